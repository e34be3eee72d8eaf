/* resend.c — webhook_resend (deliver.h). The job's key names the resend's instant and a random
 * part, so it never collides with the retry already queued for the delivery (which then finds
 * itself stale, or the delivery settled, and does nothing). */
#include "webhooks/deliver.h"

#include "core/crypto.h"
#include "store/webhook_delivery.h"
#include "webhooks/webhooks.h"

#include <stdio.h>

enum rc webhook_resend(struct store *s, const char *delivery_id, int64_t now, char event_id[ID_MAX],
                       struct err *e)
{
    if (!id_valid(ID_DELIVERY, delivery_id))
        return err_set(e, RC_NOTFOUND, "webhook delivery not found");
    unsigned char rnd[8];
    char hex[2 * sizeof rnd + 1], key[ID_MAX + 80], job[ID_MAX];
    if (crypto_random(rnd, sizeof rnd))
        return err_set(e, RC_INTERNAL, "random source failed");
    crypto_hex(rnd, sizeof rnd, hex);
    int64_t attempts = 0, enq;
    int created;
    enum rc rc = store_begin(s, 1, e);
    if (rc == RC_OK)
        rc = store_webhook_delivery_resend(s, delivery_id, now, event_id, &attempts, e);
    if (rc == RC_OK) {
        snprintf(key, sizeof key, "%s/%lld/resend-%lld-%s", delivery_id, (long long)attempts,
                 (long long)now, hex);
        rc = store_job_enqueue(s, WEBHOOK_QUEUE, WEBHOOK_JOB, delivery_id, key, now, job, &enq,
                               &created, e);
    }
    if (rc == RC_OK)
        rc = store_commit(s, e);
    if (rc != RC_OK) {
        store_rollback(s);
        return rc;
    }
    jobs_notify();
    return RC_OK;
}
