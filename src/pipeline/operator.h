/* operator.h — what an operator does where people would step in on the hosted platform (a
 * Guidepost addition): advance a work order held for manual QA, reject it with a reason, cancel
 * it, or retry one in exception from the stage that failed. Shared by `guidepost workorder` and
 * the operator HTTP endpoints; each runs in its own write transaction. */
#ifndef GP_OPERATOR_H
#define GP_OPERATOR_H

#include "core/rc.h"
#include "store/store.h"

#include <stdint.h>

/* Enqueues stage for a work order at run_at (idempotent per stage, work order and generation —
 * the Stitch Data id, or a retry's own mark) and records the stage on the work order. Runs in the
 * caller's transaction. jid / enqueued_at (may be NULL) receive the job's id and time. */
enum rc pipe_enqueue_stage(struct store *s, const char *stage, const char *iguide_id,
                           const char *wo_id, const char *generation, int64_t run_at,
                           char *jid, int64_t *enqueued_at, struct err *e);

/* pending_qa (held for manual QA) → pending_publish, publishing now. */
enum rc pipe_op_advance(struct store *s, const char *wo_id, struct err *e);

/* Any non-terminal status → rejected with reason. */
enum rc pipe_op_reject(struct store *s, const char *wo_id, const char *reason, struct err *e);

/* Any non-terminal status → cancelled. */
enum rc pipe_op_cancel(struct store *s, const char *wo_id, struct err *e);

/* exception → the failed stage's status, and that stage enqueued again. */
enum rc pipe_op_retry(struct store *s, const char *wo_id, struct err *e);

/* The status a work order has while in stage ("ingest" → "pending_draft"), or NULL. */
const char *pipe_stage_status(const char *stage);

#endif
