/* q_jobs.c — the durable job queue (c-service-notes.md §C.4): claim with one UPDATE ... RETURNING
 * (PostgreSQL adds FOR UPDATE SKIP LOCKED in the subquery), leases with fencing on locked_by,
 * retries by moving run_at, a reaper for expired leases. At-least-once: handlers are idempotent. */
#include "store/store_int.h"

#include <string.h>

#define JOB_COLS                                                                                   \
    "id, queue, type, payload, state, attempts, max_attempts, run_at, locked_until, locked_by, "   \
    "last_error, created_at, updated_at"

static const struct query q_claim = {
    "UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = ?2, "
    "locked_until = ?3 + ?4, updated_at = ?3 "
    "WHERE id = (SELECT id FROM jobs WHERE queue = ?1 AND state = 'queued' AND run_at <= ?3 "
    "ORDER BY priority DESC, run_at, id LIMIT 1) "
    "RETURNING " JOB_COLS,
    "UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = $2, "
    "locked_until = $3 + $4, updated_at = $3 "
    "WHERE id = (SELECT id FROM jobs WHERE queue = $1 AND state = 'queued' AND run_at <= $3 "
    "ORDER BY priority DESC, run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) "
    "RETURNING " JOB_COLS};
static const struct query q_complete = {
    "UPDATE jobs SET state = 'done', locked_by = NULL, locked_until = NULL, updated_at = ?3 "
    "WHERE id = ?1 AND locked_by = ?2 AND state = 'running'",
    NULL};
/* The attempt limit is the job type's (?6), 0 meaning the row's; the row keeps the limit applied. */
static const struct query q_fail = {
    "UPDATE jobs SET max_attempts = COALESCE(NULLIF(?6, 0), max_attempts), "
    "state = CASE WHEN attempts >= COALESCE(NULLIF(?6, 0), max_attempts) THEN 'dead' "
    "ELSE 'queued' END, "
    "run_at = ?4, last_error = ?5, locked_by = NULL, locked_until = NULL, updated_at = ?3 "
    "WHERE id = ?1 AND locked_by = ?2 AND state = 'running'",
    NULL};
static const struct query q_heartbeat = {
    "UPDATE jobs SET locked_until = ?3, updated_at = ?4 "
    "WHERE id = ?1 AND locked_by = ?2 AND state = 'running'",
    NULL};
static const struct query q_reap = {
    "UPDATE jobs SET max_attempts = COALESCE(NULLIF(?4, 0), max_attempts), "
    "state = CASE WHEN attempts >= COALESCE(NULLIF(?4, 0), max_attempts) THEN 'dead' "
    "ELSE 'queued' END, "
    "last_error = COALESCE(last_error, 'lease expired'), locked_by = NULL, locked_until = NULL, "
    "updated_at = ?1 WHERE state = 'running' AND locked_until < ?1 "
    "AND (CAST(?2 AS TEXT) IS NULL OR queue = ?2) "
    "AND (CAST(?3 AS TEXT) IS NULL OR type = ?3)",
    NULL};
static const struct query q_next_due = {
    "SELECT MIN(run_at) FROM jobs WHERE queue = ?1 AND state = 'queued'", NULL};
static const struct query q_get = {"SELECT " JOB_COLS " FROM jobs WHERE id = ?1", NULL};
static const struct query q_job_insert = {
    "INSERT INTO jobs (id, queue, type, payload, state, run_at, idem_key, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, 'queued', ?5, ?6, ?7, ?7) ON CONFLICT (idem_key) DO NOTHING",
    NULL};
static const struct query q_job_by_idem = {"SELECT id, created_at FROM jobs WHERE idem_key = ?1",
                                           NULL};

static void read_job(struct store *s, struct db_stmt *st, struct arena *a, void *row)
{
    struct job_row *j = row;
    memset(j, 0, sizeof *j);
    q_text_into(s, st, 0, j->id, sizeof j->id);
    j->queue = q_text(s, st, 1, a);
    j->type = q_text(s, st, 2, a);
    j->payload = q_text(s, st, 3, a);
    j->state = q_text(s, st, 4, a);
    j->attempts = (int)q_i64(s, st, 5);
    j->max_attempts = (int)q_i64(s, st, 6);
    j->run_at = q_i64(s, st, 7);
    j->locked_until = q_i64(s, st, 8);
    j->locked_by = q_text(s, st, 9, a);
    j->last_error = q_text(s, st, 10, a);
    j->created_at = q_i64(s, st, 11);
    j->updated_at = q_i64(s, st, 12);
}

enum rc store_job_claim(struct store *s, const char *queue, const char *worker, int64_t now,
                        int64_t lease_ms, struct arena *a, struct job_row *out, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_claim, &st, e, Q_ARGS(QT(queue), QT(worker), QI(now), QI(lease_ms)));
    if (rc != RC_OK)
        return rc;
    rc = s->drv->step(st, e);
    if (rc == RC_ROW) {
        s->oom = 0;
        read_job(s, st, a, out);
        /* The claim stands even when the row cannot be copied: the lease runs out and the reaper
         * requeues the job, as after a crash. */
        rc = s->oom ? err_set(e, RC_NOMEM, "out of memory") : RC_OK;
        /* Step to the end so the statement's write is finished before the reset. */
        s->drv->step(st, e);
    }
    s->drv->reset(st);
    return rc;
}

enum rc store_job_complete(struct store *s, const char *id, const char *worker, int64_t now,
                           struct err *e)
{
    int64_t changed = 0;
    enum rc rc = q_exec(s, &q_complete, &changed, e, Q_ARGS(QT(id), QT(worker), QI(now)));
    return q_changed(rc, changed, RC_PRECONDITION, "the job's lease was lost", e);
}

enum rc store_job_fail(struct store *s, const char *id, const char *worker, int64_t now,
                       int64_t retry_at, const char *error, int max_attempts, struct err *e)
{
    int64_t changed = 0;
    enum rc rc = q_exec(s, &q_fail, &changed, e,
                        Q_ARGS(QT(id), QT(worker), QI(now), QI(retry_at), QT(error),
                               QI(max_attempts)));
    return q_changed(rc, changed, RC_PRECONDITION, "the job's lease was lost", e);
}

enum rc store_job_heartbeat(struct store *s, const char *id, const char *worker,
                            int64_t locked_until, int64_t now, struct err *e)
{
    int64_t changed = 0;
    enum rc rc = q_exec(s, &q_heartbeat, &changed, e,
                        Q_ARGS(QT(id), QT(worker), QI(locked_until), QI(now)));
    return q_changed(rc, changed, RC_PRECONDITION, "the job's lease was lost", e);
}

enum rc store_job_reap(struct store *s, const char *queue, const char *type, int max_attempts,
                       int64_t now, int64_t *reaped, struct err *e)
{
    return q_exec(s, &q_reap, reaped, e, Q_ARGS(QI(now), QT(queue), QT(type), QI(max_attempts)));
}

enum rc store_job_next_due(struct store *s, const char *queue, int64_t *run_at, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_next_due, &st, e, Q_ARGS(QT(queue)));
    if (rc != RC_OK)
        return rc;
    rc = s->drv->step(st, e);
    *run_at = rc == RC_ROW && !s->drv->col_is_null(st, 0) ? q_i64(s, st, 0) : 0;
    s->drv->reset(st);
    return rc == RC_ROW || rc == RC_DONE ? RC_OK : rc;
}

enum rc store_job_get(struct store *s, const char *id, struct arena *a, struct job_row *out,
                      struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_get, &st, e, Q_ARGS(QT(id)));
    return rc != RC_OK ? rc : q_one(s, st, a, read_job, out, "job", e);
}

enum rc store_job_enqueue(struct store *s, const char *queue, const char *type,
                          const char *payload, const char *idem_key, int64_t run_at,
                          char id_out[ID_MAX], int64_t *enqueued_at, int *created, struct err *e)
{
    char id[ID_MAX];
    if (id_new(ID_JOB, id))
        return err_set(e, RC_INTERNAL, "random source failed");
    int64_t changed = 0;
    enum rc rc = q_exec(s, &q_job_insert, &changed, e,
                        Q_ARGS(QT(id), QT(queue), QT(type), QT(payload), QI(run_at), QT(idem_key),
                               QI(run_at)));
    if (rc != RC_OK)
        return rc;
    if (changed) {
        memcpy(id_out, id, sizeof id);
        *enqueued_at = run_at;
        *created = 1;
        return RC_OK;
    }
    struct db_stmt *st;
    rc = q_start(s, &q_job_by_idem, &st, e, Q_ARGS(QT(idem_key)));
    if (rc != RC_OK)
        return rc;
    rc = s->drv->step(st, e);
    if (rc == RC_ROW) {
        q_text_into(s, st, 0, id_out, ID_MAX);
        *enqueued_at = q_i64(s, st, 1);
        *created = 0;
        rc = RC_OK;
    } else if (rc == RC_DONE) {
        rc = err_set(e, RC_INTERNAL, "job vanished during enqueue");
    }
    s->drv->reset(st);
    return rc;
}
