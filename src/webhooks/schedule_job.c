/* schedule_job.c — see webhooks.h. The idempotency key names the delivery and the attempt, so a
 * handler that runs twice (a lost lease) cannot queue the same next attempt twice. */
#include "webhooks/webhooks.h"

#include "core/ids.h"

#include <stdio.h>

enum rc webhook_schedule(struct store *s, const char *delivery_id, int64_t attempts, int64_t run_at,
                         struct err *e)
{
    char key[ID_MAX + 32], job[ID_MAX];
    snprintf(key, sizeof key, "%s/%lld", delivery_id, (long long)attempts);
    int64_t enqueued_at;
    int created;
    return store_job_enqueue(s, WEBHOOK_QUEUE, WEBHOOK_JOB, delivery_id, key, run_at, job,
                             &enqueued_at, &created, e);
}
