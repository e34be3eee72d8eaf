/* webhook_events.c — the webhook event log (a Guidepost addition, closing the platform's "sent
 * events cannot be queried" and "no way to find out which events were missed"):
 * GET /api/v1/webhookEvents (filters, newest first, paged like GET /iguides) and
 * GET /api/v1/webhookEvents/{eventId} with its payload, deliveries and every attempt. The JSON
 * shapes are shared with `guidepost webhook events|attempts`. */
#include "api/api_int.h"

#include "api/cursor.h"
#include "core/clock.h"
#include "core/ids.h"
#include "json/jsonx.h"
#include "store/webhook_events.h"
#include "webhooks/emit.h"

#include <stdlib.h>
#include <string.h>

#define LIST_DEFAULT 20
#define LIST_MAX 100

static json_t *tms(int64_t ms)
{
    char t[32];
    return ms ? json_string(clock_format(ms, 1, t)) : json_null();
}

static json_t *int_or_null(int64_t v)
{
    return v ? json_integer((json_int_t)v) : json_null();
}

/* Text recorded from a receiver (errors, response bodies) is shown with invalid UTF-8 replaced. */
static json_t *text_or_null(const char *s)
{
    return s ? jsonx_text(s) : json_null();
}

static json_t *attempt_json(const struct whlog_attempt *t)
{
    return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:o}", "n", (json_int_t)t->n, "at",
                     tms(t->at), "url", jsonx_str_or_null(t->url), "httpStatus",
                     int_or_null(t->http_status), "errorClass", jsonx_str_or_null(t->error_class),
                     "error", text_or_null(t->error), "latencyMs", (json_int_t)t->latency_ms,
                     "responseBody", text_or_null(t->response_body), "nextAttemptAt",
                     tms(t->next_attempt_at));
}

static json_t *delivery_json(const struct webhook_delivery_row *d, const struct whlog_attempt *att,
                             size_t natt, int with_attempts)
{
    json_t *o =
        json_pack("{s:s, s:o, s:o, s:I, s:o, s:o, s:o, s:o, s:o}", "id", d->id, "url",
                  jsonx_str_or_null(d->url), "status", jsonx_str_or_null(d->status), "attemptCount",
                  (json_int_t)d->attempts, "nextAttemptAt", tms(d->next_attempt_at), "lastStatus",
                  int_or_null(d->last_status), "lastError", text_or_null(d->last_error),
                  "createdAt", tms(d->created_at), "updatedAt", tms(d->updated_at));
    if (o && with_attempts) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < natt; i++)
            json_array_append_new(arr, attempt_json(&att[i]));
        json_object_set_new(o, "attempts", arr ? arr : json_array());
    }
    return o;
}

json_t *api_webhook_event_json(const struct whlog_event *ev, const struct webhook_delivery_row *d,
                               size_t nd, struct whlog_attempt *const *attempts, const size_t *natt)
{
    json_t *o = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "id", ev->id, "type",
                          jsonx_str_or_null(ev->type), "iguideId", jsonx_str_or_null(ev->iguide_id),
                          "workOrderId", jsonx_str_or_null(ev->work_order_id), "viewId",
                          jsonx_str_or_null(ev->view_id), "createdAt", tms(ev->created_at));
    if (!o)
        return NULL;
    if (ev->body) {
        /* The stored bytes are what was sent; shown parsed (a body that no longer parses is
         * shown as the text it is). */
        json_t *p = json_loads(ev->body, 0, NULL);
        json_object_set_new(o, "payload", p ? p : jsonx_text(ev->body));
    }
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < nd; i++)
        json_array_append_new(arr, delivery_json(&d[i], attempts ? attempts[i] : NULL,
                                                 attempts ? natt[i] : 0, attempts != NULL));
    json_object_set_new(o, "deliveries", arr ? arr : json_array());
    return o;
}

enum rc api_webhook_event_load(struct store *s, const char *event_id, struct arena *a, json_t **out,
                               struct err *e)
{
    *out = NULL;
    struct whlog_event ev;
    struct webhook_delivery_row *d;
    size_t nd;
    enum rc rc;
    if ((rc = store_webhook_log_event(s, event_id, a, &ev, e)) != RC_OK ||
        (rc = store_webhook_log_deliveries(s, event_id, a, &d, &nd, e)) != RC_OK)
        return rc;
    struct whlog_attempt **att = arena_alloc(a, (nd + 1) * sizeof *att);
    size_t *natt = arena_alloc(a, (nd + 1) * sizeof *natt);
    if (!att || !natt)
        return err_set(e, RC_NOMEM, "out of memory");
    for (size_t i = 0; i < nd; i++)
        if ((rc = store_webhook_log_attempts(s, d[i].id, a, &att[i], &natt[i], e)) != RC_OK)
            return rc;
    if (!(*out = api_webhook_event_json(&ev, d, nd, att, natt)))
        return err_set(e, RC_NOMEM, "out of memory");
    return RC_OK;
}

enum rc api_webhook_event_page(struct store *s, const struct whlog_filter *f, int limit,
                               struct arena *a, json_t **events, int64_t *next_seq, struct err *e)
{
    *events = NULL;
    *next_seq = 0;
    struct whlog_event *rows;
    size_t n;
    /* One row more than asked tells whether another page exists. */
    enum rc rc = store_webhook_log_events(s, f, limit + 1, a, &rows, &n, e);
    if (rc != RC_OK)
        return rc;
    size_t shown = n > (size_t)limit ? (size_t)limit : n;
    json_t *arr = json_array();
    if (!arr)
        return err_set(e, RC_NOMEM, "out of memory");
    for (size_t i = 0; i < shown; i++) {
        struct webhook_delivery_row *d;
        size_t nd;
        if ((rc = store_webhook_log_deliveries(s, rows[i].id, a, &d, &nd, e)) != RC_OK) {
            json_decref(arr);
            return rc;
        }
        json_array_append_new(arr, api_webhook_event_json(&rows[i], d, nd, NULL, NULL));
    }
    if (n > (size_t)limit)
        *next_seq = rows[shown - 1].seq;
    *events = arr;
    return RC_OK;
}

enum rc api_webhook_filter_check(const struct whlog_filter *f, struct err *e)
{
    static const char *const statuses[] = {"pending", "delivered", "failed", "dropped", NULL};
    if (f->iguide_id && !id_valid(ID_IGUIDE, f->iguide_id))
        return err_set(e, RC_INVALID, "iguideId is not an iGUIDE id");
    if (f->type) {
        int ok = 0;
        for (size_t i = 0; webhook_event_names[i] && !ok; i++)
            ok = strcmp(webhook_event_names[i], f->type) == 0;
        if (!ok)
            return err_set(e, RC_INVALID,
                           "type must be one of: ready, view.expired, view.deleted, "
                           "iguide.deleted, workorder.status_changed");
    }
    if (f->status) {
        int ok = 0;
        for (size_t i = 0; statuses[i] && !ok; i++)
            ok = strcmp(statuses[i], f->status) == 0;
        if (!ok)
            return err_set(e, RC_INVALID,
                           "status must be one of: pending, delivered, failed, "
                           "dropped");
    }
    return RC_OK;
}

/* GET /api/v1/webhookEvents?iguideId=&type=&status=&since=&limit=&cursor= */
struct resp *h_webhook_event_list(struct api_call *c)
{
    API_LIST_QUERY(c, "iguideId", "type", "status", "since", "limit", "cursor");
    struct err e = {0};
    struct whlog_filter f = {0};
    const char *v;
    f.iguide_id = (v = http_query(c->r, "iguideId")) && *v ? v : NULL;
    f.type = (v = http_query(c->r, "type")) && *v ? v : NULL;
    f.status = (v = http_query(c->r, "status")) && *v ? v : NULL;
    if (api_webhook_filter_check(&f, &e) != RC_OK)
        return reply_err(c->r, &e);
    if ((v = http_query(c->r, "since")) && *v && clock_parse(v, &f.since))
        return reply_error(c->r, RC_INVALID, "since must be an RFC 3339 timestamp");
    long limit;
    struct resp *bad = api_page_query(c, LIST_DEFAULT, LIST_MAX, &limit, &f.before_seq);
    if (bad)
        return bad;
    json_t *events;
    int64_t next;
    if (store_begin(c->s, 0, &e) != RC_OK ||
        api_webhook_event_page(c->s, &f, (int)limit, c->r->arena, &events, &next, &e) != RC_OK) {
        store_rollback(c->s);
        return reply_err(c->r, &e);
    }
    store_rollback(c->s);
    return reply_json(c->r, 200,
                      json_pack("{s:o, s:o}", "events", events, "nextCursor",
                                next ? api_cursor_json(next) : json_null()));
}

int api_webhook_event_id_ok(const char *id)
{
    /* msg_ + 24 for events Guidepost writes, msg_ + 16 for those migrated from the outbox. */
    size_t n = strlen(id);
    if (n < 4 + 16 || n > 4 + 24 || strncmp(id, "msg_", 4) != 0)
        return 0;
    for (size_t i = 4; i < n; i++)
        if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'A' && id[i] <= 'Z')))
            return 0;
    return 1;
}

/* GET /api/v1/webhookEvents/{eventId} */
struct resp *h_webhook_event_get(struct api_call *c)
{
    struct err e = {0};
    const char *id = api_param(c, "eventId");
    if (!api_webhook_event_id_ok(id))
        return reply_error(c->r, RC_NOTFOUND, "webhook event not found");
    json_t *o;
    if (store_begin(c->s, 0, &e) != RC_OK ||
        api_webhook_event_load(c->s, id, c->r->arena, &o, &e) != RC_OK) {
        store_rollback(c->s);
        return reply_err(c->r, &e);
    }
    store_rollback(c->s);
    return reply_json(c->r, 200, o);
}
