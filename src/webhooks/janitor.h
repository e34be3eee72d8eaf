/* janitor.h — the webhook module's housekeeping, as a job queue of its own: one sweep job that
 * reschedules itself every WH_JANITOR_PERIOD_MS of service-clock time (the test clock drives it).
 * A sweep reports view.expired once per view when the midnight UTC after its expiresAt has passed
 * (a compare-and-set on views.expired_event_at in the event's transaction, so two processes or a
 * restart never report it twice; the marker is set for every newly expired view, and the event is
 * recorded when the iGUIDE's list names view.expired), and deletes attempts older than 30 days.
 * The next sweep is queued under an idempotency key naming its time slot, so however many
 * processes run the queue, one sweep runs per slot. */
#ifndef GP_WEBHOOKS_JANITOR_H
#define GP_WEBHOOKS_JANITOR_H

#include "core/arena.h"
#include "core/rc.h"
#include "jobs/jobs.h"
#include "store/store.h"

#include <stdint.h>

#define WH_JANITOR_QUEUE "webhook-janitor"
#define WH_JANITOR_JOB "webhook.sweep"
#define WH_JANITOR_PERIOD_MS (60LL * 1000)
#define WH_ATTEMPTS_KEEP_MS (30LL * 24 * 3600 * 1000)

/* The janitor's queue (one thread) into out; its job types are static. */
void webhook_janitor_queue(struct job_queue *out);

/* Queues the sweep of the current time slot unless one is queued or ran (call at start). */
enum rc webhook_janitor_kick(struct store *s, int64_t now, struct err *e);

/* One sweep at now, each view in its own transaction: *expired (may be NULL) counts the views
 * newly marked, *events the view.expired events recorded, *pruned the attempts deleted. */
enum rc webhook_janitor_sweep(struct store *s, int64_t now, int64_t *expired, int64_t *events,
                              int64_t *pruned, struct err *e);

#endif
