/* q_webhook_events.c — see webhook_events.h. Listing filters are optional parameters tested in
 * the query ("?1 IS NULL OR ..."), so one prepared statement serves every combination; the status
 * filter matches events that have a delivery in that status. */
#include "store/store_int.h"
#include "store/webhook_events.h"
#include "store/webhook_int.h"

#include <string.h>

static const struct query q_delivery_taken = {"SELECT 1 FROM webhook_deliveries WHERE id = ?1",
                                              NULL};
static const struct query q_event_insert = {
    "INSERT INTO webhook_events (id, type, iguide_id, work_order_id, view_id, body, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    NULL};
static const struct query q_delivery_insert = {
    "INSERT INTO webhook_deliveries (id, event_id, iguide_id, url, status, attempts, tries, "
    "next_attempt_at, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 'pending', 0, 0, ?5, ?5, ?5)",
    NULL};
static const struct query q_disabled_has = {
    "SELECT 1 FROM webhook_disabled WHERE iguide_id = ?1 AND url = ?2", NULL};
static const struct query q_disabled_clear = {"DELETE FROM webhook_disabled WHERE iguide_id = ?1",
                                              NULL};
static const struct query q_webhooks_get = {"SELECT webhooks FROM iguides WHERE id = ?1", NULL};
static const struct query q_webhooks_set = {
    "UPDATE iguides SET webhooks = ?2, updated_at = ?3 WHERE id = ?1", NULL};

#define EVENT_COLS "seq, id, type, iguide_id, work_order_id, view_id, created_at"
static const struct query q_events = {
    "SELECT " EVENT_COLS " FROM webhook_events ev "
    "WHERE (CAST(?1 AS TEXT) IS NULL OR iguide_id = ?1) "
    "AND (CAST(?2 AS TEXT) IS NULL OR type = ?2) "
    "AND (CAST(?3 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM webhook_deliveries d "
    "WHERE d.event_id = ev.id AND d.status = ?3)) "
    "AND (?4 = 0 OR created_at >= ?4) AND (?5 = 0 OR seq < ?5) "
    "ORDER BY seq DESC LIMIT ?6",
    NULL};
static const struct query q_event_get = {
    "SELECT " EVENT_COLS ", body FROM webhook_events WHERE id = ?1", NULL};

static const struct query q_deliveries = {
    "SELECT " WEBHOOK_DELIVERY_COLS
    " FROM webhook_deliveries d WHERE d.event_id = ?1 ORDER BY d.seq",
    NULL};
static const struct query q_attempts = {
    "SELECT n, at, url, http_status, error_class, error, response_body, latency_ms, "
    "next_attempt_at FROM webhook_attempts WHERE delivery_id = ?1 ORDER BY n",
    NULL};
static const struct query q_event_of = {"SELECT event_id FROM webhook_deliveries WHERE id = ?1",
                                        NULL};

static const struct query q_expired_pending = {
    "SELECT id, iguide_id, expires_at FROM views WHERE expired_event_at IS NULL "
    "AND expires_at < ?1 ORDER BY expires_at, id LIMIT ?2",
    NULL};
static const struct query q_expired_mark = {
    "UPDATE views SET expired_event_at = ?2 WHERE id = ?1 AND expired_event_at IS NULL", NULL};
static const struct query q_attempts_prune = {"DELETE FROM webhook_attempts WHERE at < ?1", NULL};

static const struct query q_clock_put = {
    "INSERT INTO test_clock (id, offset_ms, frozen, frozen_at_ms, updated_at) "
    "VALUES (1, ?1, ?2, ?3, ?4) ON CONFLICT (id) DO UPDATE SET offset_ms = excluded.offset_ms, "
    "frozen = excluded.frozen, frozen_at_ms = excluded.frozen_at_ms, "
    "updated_at = excluded.updated_at",
    NULL};
static const struct query q_clock_get = {
    "SELECT offset_ms, frozen, frozen_at_ms, updated_at FROM test_clock WHERE id = 1", NULL};

enum rc store_webhook_event_insert(struct store *s, const struct whlog_event *ev, struct err *e)
{
    return q_exec(s, &q_event_insert, NULL, e,
                  Q_ARGS(QT(ev->id), QT(ev->type), QT(ev->iguide_id), QT(ev->work_order_id),
                         QT(ev->view_id), QT(ev->body), QI(ev->created_at)));
}

enum rc store_webhook_delivery_add(struct store *s, const char *event_id, const char *iguide_id,
                                   const char *url, int64_t now, char id_out[ID_MAX], struct err *e)
{
    enum rc rc = q_fresh_id(s, ID_DELIVERY, &q_delivery_taken, id_out, e);
    if (rc != RC_OK)
        return rc;
    return q_exec(s, &q_delivery_insert, NULL, e,
                  Q_ARGS(QT(id_out), QT(event_id), QT(iguide_id), QT(url), QI(now)));
}

enum rc store_webhook_disabled_has(struct store *s, const char *iguide_id, const char *url,
                                   int *disabled, struct err *e)
{
    struct db_stmt *st;
    *disabled = 0;
    enum rc rc = q_start(s, &q_disabled_has, &st, e, Q_ARGS(QT(iguide_id), QT(url)));
    if (rc != RC_OK)
        return rc;
    rc = s->drv->step(st, e);
    s->drv->reset(st);
    if (rc == RC_ROW)
        *disabled = 1;
    return rc == RC_ROW || rc == RC_DONE ? RC_OK : rc;
}

enum rc store_webhook_disabled_clear(struct store *s, const char *iguide_id, struct err *e)
{
    return q_exec(s, &q_disabled_clear, NULL, e, Q_ARGS(QT(iguide_id)));
}

enum rc store_iguide_webhooks_get(struct store *s, const char *iguide_id, struct arena *a,
                                  const char **json, struct err *e)
{
    enum rc rc = q_one_text(s, &q_webhooks_get, Q_ARGS(QT(iguide_id)), a, json, e);
    if (rc == RC_OK && !*json)
        return err_set(e, RC_NOTFOUND, "iGUIDE not found");
    return rc;
}

enum rc store_iguide_webhooks_set(struct store *s, const char *iguide_id, const char *json,
                                  int64_t now, struct err *e)
{
    int64_t changed = 0;
    enum rc rc = q_exec(s, &q_webhooks_set, &changed, e, Q_ARGS(QT(iguide_id), QT(json), QI(now)));
    return q_changed(rc, changed, RC_NOTFOUND, "iGUIDE not found", e);
}

static void read_event(struct store *s, struct db_stmt *st, struct arena *a, void *row)
{
    struct whlog_event *ev = row;
    memset(ev, 0, sizeof *ev);
    ev->seq = q_i64(s, st, 0);
    q_text_into(s, st, 1, ev->id, sizeof ev->id);
    ev->type = q_text(s, st, 2, a);
    ev->iguide_id = q_text(s, st, 3, a);
    ev->work_order_id = q_text(s, st, 4, a);
    ev->view_id = q_text(s, st, 5, a);
    ev->created_at = q_i64(s, st, 6);
}

static void read_event_body(struct store *s, struct db_stmt *st, struct arena *a, void *row)
{
    read_event(s, st, a, row);
    ((struct whlog_event *)row)->body = q_text(s, st, 7, a);
}

enum rc store_webhook_log_events(struct store *s, const struct whlog_filter *f, int limit,
                                 struct arena *a, struct whlog_event **rows, size_t *n,
                                 struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_events, &st, e,
                         Q_ARGS(QT(f->iguide_id), QT(f->type), QT(f->status), QI(f->since),
                                QI(f->before_seq), QI((int64_t)limit)));
    return rc != RC_OK ? rc : q_collect(s, st, a, sizeof **rows, read_event, (void **)rows, n, e);
}

enum rc store_webhook_log_event(struct store *s, const char *id, struct arena *a,
                                struct whlog_event *out, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_event_get, &st, e, Q_ARGS(QT(id)));
    return rc != RC_OK ? rc : q_one(s, st, a, read_event_body, out, "webhook event", e);
}

/* Column c as a time or status where SQL NULL means none (0). */
static int64_t opt_i64(struct store *s, struct db_stmt *st, int c)
{
    return s->drv->col_is_null(st, c) ? 0 : q_i64(s, st, c);
}

void q_read_webhook_delivery(struct store *s, struct db_stmt *st, struct arena *a, void *row)
{
    struct webhook_delivery_row *d = row;
    memset(d, 0, sizeof *d);
    q_text_into(s, st, 0, d->id, sizeof d->id);
    q_text_into(s, st, 1, d->event_id, sizeof d->event_id);
    d->iguide_id = q_text(s, st, 2, a);
    d->url = q_text(s, st, 3, a);
    d->status = q_text(s, st, 4, a);
    d->attempts = q_i64(s, st, 5);
    d->tries = q_i64(s, st, 6);
    d->next_attempt_at = opt_i64(s, st, 7);
    d->last_status = opt_i64(s, st, 8);
    d->last_error = q_text(s, st, 9, a);
    d->created_at = q_i64(s, st, 10);
    d->updated_at = q_i64(s, st, 11);
}

enum rc store_webhook_log_deliveries(struct store *s, const char *event_id, struct arena *a,
                                     struct webhook_delivery_row **rows, size_t *n, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_deliveries, &st, e, Q_ARGS(QT(event_id)));
    return rc != RC_OK
               ? rc
               : q_collect(s, st, a, sizeof **rows, q_read_webhook_delivery, (void **)rows, n, e);
}

static void read_attempt(struct store *s, struct db_stmt *st, struct arena *a, void *row)
{
    struct whlog_attempt *t = row;
    memset(t, 0, sizeof *t);
    t->n = q_i64(s, st, 0);
    t->at = q_i64(s, st, 1);
    t->url = q_text(s, st, 2, a);
    t->http_status = q_i64(s, st, 3);
    t->error_class = q_text(s, st, 4, a);
    t->error = q_text(s, st, 5, a);
    t->response_body = q_text(s, st, 6, a);
    t->latency_ms = q_i64(s, st, 7);
    t->next_attempt_at = q_i64(s, st, 8);
}

enum rc store_webhook_log_attempts(struct store *s, const char *delivery_id, struct arena *a,
                                   struct whlog_attempt **rows, size_t *n, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_attempts, &st, e, Q_ARGS(QT(delivery_id)));
    return rc != RC_OK ? rc : q_collect(s, st, a, sizeof **rows, read_attempt, (void **)rows, n, e);
}

enum rc store_webhook_log_event_of(struct store *s, const char *delivery_id, struct arena *a,
                                   const char **event_id, struct err *e)
{
    enum rc rc = q_one_text(s, &q_event_of, Q_ARGS(QT(delivery_id)), a, event_id, e);
    if (rc == RC_OK && !*event_id)
        return err_set(e, RC_NOTFOUND, "webhook delivery not found");
    return rc;
}

static void read_expired(struct store *s, struct db_stmt *st, struct arena *a, void *row)
{
    (void)a;
    struct expired_view *v = row;
    memset(v, 0, sizeof *v);
    q_text_into(s, st, 0, v->id, sizeof v->id);
    q_text_into(s, st, 1, v->iguide_id, sizeof v->iguide_id);
    v->expires_at = q_i64(s, st, 2);
}

enum rc store_views_expired_pending(struct store *s, int64_t locked_below, int limit,
                                    struct arena *a, struct expired_view **rows, size_t *n,
                                    struct err *e)
{
    struct db_stmt *st;
    enum rc rc =
        q_start(s, &q_expired_pending, &st, e, Q_ARGS(QI(locked_below), QI((int64_t)limit)));
    return rc != RC_OK ? rc : q_collect(s, st, a, sizeof **rows, read_expired, (void **)rows, n, e);
}

enum rc store_view_expired_mark(struct store *s, const char *view_id, int64_t now, struct err *e)
{
    int64_t changed = 0;
    enum rc rc = q_exec(s, &q_expired_mark, &changed, e, Q_ARGS(QT(view_id), QI(now)));
    return q_changed(rc, changed, RC_PRECONDITION, "view.expired was already handled", e);
}

enum rc store_webhook_attempts_prune(struct store *s, int64_t before, int64_t *deleted,
                                     struct err *e)
{
    return q_exec(s, &q_attempts_prune, deleted, e, Q_ARGS(QI(before)));
}

enum rc store_test_clock_put(struct store *s, const struct test_clock_row *t, struct err *e)
{
    return q_exec(
        s, &q_clock_put, NULL, e,
        Q_ARGS(QI(t->offset_ms), QI((int64_t)t->frozen), QI(t->frozen_at_ms), QI(t->updated_at)));
}

static void read_clock(struct store *s, struct db_stmt *st, struct arena *a, void *row)
{
    (void)a;
    struct test_clock_row *t = row;
    t->offset_ms = q_i64(s, st, 0);
    t->frozen = (int)q_i64(s, st, 1);
    t->frozen_at_ms = q_i64(s, st, 2);
    t->updated_at = q_i64(s, st, 3);
}

enum rc store_test_clock_get(struct store *s, struct test_clock_row *out, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_clock_get, &st, e, Q_NONE);
    return rc != RC_OK ? rc : q_one(s, st, NULL, read_clock, out, "test clock", e);
}
