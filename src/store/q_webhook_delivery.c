/* q_webhook_delivery.c — see webhook_delivery.h. An attempt is fenced on the delivery's attempt
 * count, so two workers that ran the same attempt (a lost lease, a resend racing a retry) record
 * it once: the second one's UPDATE changes no row and its transaction is rolled back. The casts
 * let PostgreSQL type parameters that NULLIF and arithmetic would infer as 32-bit integers. */
#include "store/webhook_delivery.h"

#include "store/store_int.h"
#include "store/webhook_int.h"

#include <string.h>

static const struct query q_load = {
    "SELECT " WEBHOOK_DELIVERY_COLS ", ev.body, "
    "CASE WHEN EXISTS (SELECT 1 FROM webhook_disabled x WHERE x.iguide_id = d.iguide_id "
    "AND x.url = d.url) THEN 1 ELSE 0 END "
    "FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id WHERE d.id = ?1",
    NULL};
static const struct query q_settle = {
    "UPDATE webhook_deliveries SET attempts = attempts + 1, tries = tries + 1, status = ?3, "
    "next_attempt_at = NULLIF(CAST(?4 AS BIGINT), 0), last_status = NULLIF(CAST(?5 AS BIGINT), 0), "
    "last_error = ?6, "
    "updated_at = ?7 WHERE id = ?1 AND attempts = ?2 AND status = 'pending'",
    NULL};
static const struct query q_attempt_insert = {
    "INSERT INTO webhook_attempts (delivery_id, n, at, url, http_status, error_class, error, "
    "latency_ms, response_body, next_attempt_at) "
    "VALUES (?1, CAST(?2 AS BIGINT) + 1, ?3, ?4, NULLIF(CAST(?5 AS BIGINT), 0), ?6, ?7, ?8, ?9, "
    "NULLIF(CAST(?10 AS BIGINT), 0))",
    NULL};
static const struct query q_drop = {
    "UPDATE webhook_deliveries SET status = 'dropped', next_attempt_at = NULL, last_error = ?3, "
    "updated_at = ?4 WHERE id = ?1 AND attempts = ?2 AND status = 'pending'",
    NULL};
static const struct query q_give_up = {
    "UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, last_error = ?2, "
    "updated_at = ?3 WHERE id = ?1 AND status = 'pending'",
    NULL};
static const struct query q_postpone = {
    "UPDATE jobs SET run_at = ?4, updated_at = ?3 WHERE queue = ?1 AND state = 'queued' "
    "AND run_at <= ?3 AND payload IN "
    "(SELECT id FROM webhook_deliveries WHERE url = ?2 AND status = 'pending')",
    NULL};
static const struct query q_disable = {
    "INSERT INTO webhook_disabled (iguide_id, url, reason, disabled_at) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (iguide_id, url) DO NOTHING",
    NULL};
static const struct query q_resend = {
    "UPDATE webhook_deliveries SET status = 'pending', tries = 0, next_attempt_at = ?2, "
    "updated_at = ?2 WHERE id = ?1 RETURNING event_id, attempts",
    NULL};
static const struct query q_secrets = {
    "SELECT secret FROM webhook_secrets WHERE retired_at IS NULL OR retired_at > ?1 "
    "ORDER BY retired_at IS NOT NULL, retired_at DESC, seq DESC LIMIT ?2",
    NULL};
static const struct query q_secret_add = {
    "INSERT INTO webhook_secrets (secret, created_at, retired_at) VALUES (?1, ?2, NULL) "
    "ON CONFLICT DO NOTHING",
    NULL};
static const struct query q_secret_retire = {
    "UPDATE webhook_secrets SET retired_at = ?1 WHERE retired_at IS NULL", NULL};

/* The delivery's columns, then its event's body and whether its URL is disabled. */
static void read_delivery(struct store *s, struct db_stmt *st, struct arena *a, void *row)
{
    struct webhook_delivery_row *d = row;
    q_read_webhook_delivery(s, st, a, d);
    d->body = q_text(s, st, WEBHOOK_DELIVERY_NCOLS, a);
    d->body_len = d->body ? strlen(d->body) : 0;
    d->disabled = q_i64(s, st, WEBHOOK_DELIVERY_NCOLS + 1) != 0;
}

enum rc store_webhook_delivery_load(struct store *s, const char *id, struct arena *a,
                                    struct webhook_delivery_row *out, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_load, &st, e, Q_ARGS(QT(id)));
    if (rc != RC_OK)
        return rc;
    rc = q_one(s, st, a, read_delivery, out, "webhook delivery", e);
    if (rc == RC_OK && (!out->url || !out->status || !out->body))
        rc = err_set(e, RC_NOMEM, "out of memory");
    return rc;
}

enum rc store_webhook_attempt_record(struct store *s, const struct webhook_attempt_rec *r,
                                     struct err *e)
{
    int64_t changed = 0;
    enum rc rc =
        q_exec(s, &q_settle, &changed, e,
               Q_ARGS(QT(r->delivery_id), QI(r->expected_attempts), QT(r->status),
                      QI(r->next_attempt_at), QI(r->http_status), QT(r->error), QI(r->settled_at)));
    rc = q_changed(rc, changed, RC_PRECONDITION, "the delivery has moved on", e);
    if (rc != RC_OK)
        return rc;
    return q_exec(s, &q_attempt_insert, NULL, e,
                  Q_ARGS(QT(r->delivery_id), QI(r->expected_attempts), QI(r->at), QT(r->url),
                         QI(r->http_status), QT(r->error_class), QT(r->error), QI(r->latency_ms),
                         QT(r->response_body), QI(r->next_attempt_at)));
}

enum rc store_webhook_delivery_drop(struct store *s, const char *id, int64_t expected_attempts,
                                    const char *reason, int64_t now, struct err *e)
{
    int64_t changed = 0;
    enum rc rc =
        q_exec(s, &q_drop, &changed, e, Q_ARGS(QT(id), QI(expected_attempts), QT(reason), QI(now)));
    return q_changed(rc, changed, RC_PRECONDITION, "the delivery has moved on", e);
}

enum rc store_webhook_delivery_give_up(struct store *s, const char *id, const char *reason,
                                       int64_t now, struct err *e)
{
    int64_t changed = 0;
    return q_exec(s, &q_give_up, &changed, e, Q_ARGS(QT(id), QT(reason), QI(now)));
}

enum rc store_webhook_postpone_url(struct store *s, const char *queue, const char *url, int64_t now,
                                   int64_t run_at, int64_t *moved, struct err *e)
{
    return q_exec(s, &q_postpone, moved, e, Q_ARGS(QT(queue), QT(url), QI(now), QI(run_at)));
}

enum rc store_webhook_disable(struct store *s, const char *iguide_id, const char *url,
                              const char *reason, int64_t now, struct err *e)
{
    return q_exec(s, &q_disable, NULL, e, Q_ARGS(QT(iguide_id), QT(url), QT(reason), QI(now)));
}

enum rc store_webhook_delivery_resend(struct store *s, const char *id, int64_t now,
                                      char event_id[ID_MAX], int64_t *attempts, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_resend, &st, e, Q_ARGS(QT(id), QI(now)));
    if (rc != RC_OK)
        return rc;
    rc = s->drv->step(st, e);
    if (rc == RC_ROW) {
        q_text_into(s, st, 0, event_id, ID_MAX);
        *attempts = q_i64(s, st, 1);
        rc = RC_OK;
        /* Step to the end so the statement's write is finished before the reset. */
        s->drv->step(st, e);
    } else if (rc == RC_DONE) {
        rc = err_set(e, RC_NOTFOUND, "webhook delivery not found");
    }
    s->drv->reset(st);
    return rc;
}

enum rc store_webhook_secrets(struct store *s, int64_t retired_since, int max, struct arena *a,
                              const char ***secrets, size_t *n, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_secrets, &st, e, Q_ARGS(QI(retired_since), QI(max)));
    if (rc != RC_OK)
        return rc;
    return q_collect(s, st, a, sizeof(const char *), q_read_id, (void **)secrets, n, e);
}

enum rc store_webhook_secret_add(struct store *s, const char *secret, int64_t now, int *added,
                                 struct err *e)
{
    int64_t changed = 0;
    enum rc rc = q_exec(s, &q_secret_add, &changed, e, Q_ARGS(QT(secret), QI(now)));
    *added = rc == RC_OK && changed > 0;
    return rc;
}

enum rc store_webhook_secret_retire(struct store *s, int64_t now, struct err *e)
{
    return q_exec(s, &q_secret_retire, NULL, e, Q_ARGS(QI(now)));
}
