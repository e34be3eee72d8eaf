/* operator.c — the operator actions. Each checks the work order's current status against the
 * transition table (wo_status) and moves it with a compare-and-set, so a stage finishing at the
 * same moment cannot be overwritten: one of the two sees RC_PRECONDITION. */
#include "pipeline/operator.h"

#include "core/clock.h"
#include "jobs/jobs.h"
#include "pipeline/pipeline.h"
#include "pipeline/wo_status.h"

#include <stdio.h>
#include <string.h>

const char *const pipe_stages[] = {"ingest", "draft", "qa", "publish", "addon", NULL};

const char *pipe_stage_status(const char *stage)
{
    if (!stage)
        return NULL;
    if (strcmp(stage, "ingest") == 0 || strcmp(stage, "draft") == 0 || strcmp(stage, "addon") == 0)
        return "pending_draft";
    if (strcmp(stage, "qa") == 0)
        return "pending_qa";
    if (strcmp(stage, "publish") == 0)
        return "pending_publish";
    return NULL;
}

enum rc pipe_enqueue_stage(struct store *s, const char *stage, const char *iguide_id,
                           const char *wo_id, const char *generation, int64_t run_at,
                           char *jid_out, int64_t *enqueued_at, struct err *e)
{
    char payload[200], idem[120], jid[ID_MAX];
    snprintf(payload, sizeof payload,
             "{\"iguideId\":\"%s\",\"workOrderId\":\"%s\",\"generation\":\"%s\"}", iguide_id,
             wo_id, generation);
    snprintf(idem, sizeof idem, "%s:%s:%s", stage, wo_id, generation);
    int64_t at;
    int created;
    enum rc rc = store_job_enqueue(s, PIPE_QUEUE, stage, payload, idem, run_at, jid, &at, &created, e);
    if (rc == RC_OK)
        rc = store_workorder_set_stage(s, wo_id, stage, e);
    if (rc == RC_OK && jid_out)
        memcpy(jid_out, jid, ID_MAX);
    if (rc == RC_OK && enqueued_at)
        *enqueued_at = at;
    return rc;
}

/* Runs fn inside a write transaction on the work order; commits when it succeeds. */
static enum rc in_tx(struct store *s, const char *wo_id,
                     enum rc (*fn)(struct store *, struct workorder_row *, const void *, struct err *),
                     const void *arg, struct err *e)
{
    struct arena *a = arena_new();
    if (!a)
        return err_set(e, RC_NOMEM, "out of memory");
    struct workorder_row w;
    enum rc rc = store_begin(s, 1, e);
    if (rc == RC_OK)
        rc = store_workorder_by_id(s, wo_id, a, &w, e);
    if (rc == RC_OK)
        rc = fn(s, &w, arg, e);
    if (rc == RC_OK)
        rc = store_commit(s, e);
    else
        store_rollback(s);
    arena_free(a);
    if (rc == RC_OK)
        jobs_notify();
    return rc;
}

static enum rc move(struct store *s, struct workorder_row *w, enum wo_status to,
                    const char *rejection, const char *exception, struct err *e)
{
    return wo_move(s, w->id, w->status, to, rejection, exception, clock_now_ms(), e);
}

static enum rc do_advance(struct store *s, struct workorder_row *w, const void *arg, struct err *e)
{
    (void)arg;
    if (strcmp(w->status, "pending_qa") != 0)
        return err_set(e, RC_PRECONDITION, "work order %s is %s: only a work order waiting in "
                                           "pending_qa can be advanced", w->id, w->status);
    enum rc rc = move(s, w, WO_PENDING_PUBLISH, NULL, NULL, e);
    char gen[40];
    snprintf(gen, sizeof gen, "advance%lld", (long long)clock_now_ms());
    return rc == RC_OK ? pipe_enqueue_stage(s, "publish", w->iguide_id, w->id, gen, clock_now_ms(), NULL,
                                            NULL, e)
                       : rc;
}

static enum rc do_reject(struct store *s, struct workorder_row *w, const void *arg, struct err *e)
{
    return move(s, w, WO_REJECTED, arg, NULL, e);
}

static enum rc do_cancel(struct store *s, struct workorder_row *w, const void *arg, struct err *e)
{
    (void)arg;
    enum wo_status from;
    if (!wo_status_parse(w->status, &from) && wo_status_terminal(from))
        return err_set(e, RC_PRECONDITION, "work order %s is already %s", w->id, w->status);
    /* Cancellation is allowed from every non-terminal status (§5.2: any non-terminal →
     * cancelled). */
    return move(s, w, WO_CANCELLED, w->rejection_reason, NULL, e);
}

static enum rc do_retry(struct store *s, struct workorder_row *w, const void *arg, struct err *e)
{
    (void)arg;
    const char *to = pipe_stage_status(w->stage);
    if (strcmp(w->status, "exception") != 0 || !to)
        return err_set(e, RC_PRECONDITION, "work order %s is %s: only a work order in exception "
                                           "can be retried", w->id, w->status);
    enum wo_status ts;
    enum rc rc = wo_status_parse(to, &ts) ? err_set(e, RC_INTERNAL, "stage status %s unknown", to)
                                          : move(s, w, ts, NULL, NULL, e);
    char gen[40];
    snprintf(gen, sizeof gen, "retry%lld", (long long)clock_now_ms());
    return rc == RC_OK ? pipe_enqueue_stage(s, w->stage, w->iguide_id, w->id, gen, clock_now_ms(), NULL,
                                            NULL, e)
                       : rc;
}

enum rc pipe_op_advance(struct store *s, const char *wo_id, struct err *e)
{
    return in_tx(s, wo_id, do_advance, NULL, e);
}

enum rc pipe_op_reject(struct store *s, const char *wo_id, const char *reason, struct err *e)
{
    return in_tx(s, wo_id, do_reject, reason, e);
}

enum rc pipe_op_cancel(struct store *s, const char *wo_id, struct err *e)
{
    return in_tx(s, wo_id, do_cancel, NULL, e);
}

enum rc pipe_op_retry(struct store *s, const char *wo_id, struct err *e)
{
    return in_tx(s, wo_id, do_retry, NULL, e);
}
