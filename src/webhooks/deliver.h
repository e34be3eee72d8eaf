/* deliver.h — the webhook delivery engine: the job handler that makes one attempt of one
 * delivery (WEBHOOK_JOB on WEBHOOK_QUEUE, webhooks.h) and records it, its queue for the workers,
 * and resend. Each attempt is one claim and one write transaction: the attempt row, the
 * delivery's new state, the next attempt's job and the job's completion commit together, and
 * only after the receiver answered (at least once: a crash before the commit repeats the attempt
 * with the same webhook-id). docs/webhooks.md. */
#ifndef GP_WEBHOOK_DELIVER_H
#define GP_WEBHOOK_DELIVER_H

#include "core/ids.h"
#include "core/rc.h"
#include "jobs/jobs.h"
#include "store/store.h"
#include "webhooks/retry.h"

#include <stdint.h>

/* The --webhook-* options of serve and worker. */
struct webhook_config {
    unsigned threads; /* 0: this process delivers nothing */
    enum webhook_policy policy;
    int timeout_s;        /* 1..120 */
    int allow_private;    /* http:// and non-public addresses allowed */
    struct job_type type; /* filled by webhook_job_queue */
};

/* Fills q with the delivery queue run under cfg (which must outlive the pool). */
void webhook_job_queue(struct webhook_config *cfg, struct job_queue *q);

/* Frees what the calling thread kept for deliveries (its connection handle). Threads that end
 * free it themselves; for the main thread of tests and single-shot tools. */
void webhook_thread_release(void);

/* Sends the delivery again from now on, with its tries counted from 0 (same webhook-id, a new
 * timestamp and signature): pending, due now, and a job for it, in one transaction of its own;
 * event_id (ID_MAX) gets its event's id; workers are woken after the commit. RC_NOTFOUND when
 * there is no such delivery. */
enum rc webhook_resend(struct store *s, const char *delivery_id, int64_t now, char event_id[ID_MAX],
                       struct err *e);

#endif
