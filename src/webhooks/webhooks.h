/* webhooks.h — what the webhook module's halves share: the job queue a delivery attempt runs on
 * and how an attempt is scheduled. Events are written by emit (events.h) in the transaction that
 * makes the change, with one delivery row per matching URL; each attempt is one job of type
 * WEBHOOK_JOB on queue WEBHOOK_QUEUE whose payload is the delivery id, run by deliver.h's handler,
 * which records the attempt and schedules the next one. docs/webhooks.md. */
#ifndef GP_WEBHOOKS_H
#define GP_WEBHOOKS_H

#include "core/rc.h"
#include "store/store.h"

#include <stdint.h>

#define WEBHOOK_QUEUE "webhooks"
#define WEBHOOK_JOB "webhook.deliver"

/* Enqueues the attempt of delivery delivery_id that follows its first `attempts` attempts, due at
 * run_at, inside the caller's write transaction (idempotent: the same attempt is queued once).
 * The caller calls jobs_notify() after committing. */
enum rc webhook_schedule(struct store *s, const char *delivery_id, int64_t attempts, int64_t run_at,
                         struct err *e);

#endif
