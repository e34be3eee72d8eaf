/* views.c — the Portal API side of views: create, list, read, update, delete, and the three
 * expiration endpoints of the View access, expiration & deletion guide. The Portal API is not
 * affected by protection or expiry: a locked view is read, updated and extended like any other. */
#include "api/api_int.h"

#include "api/objects.h"
#include "api/view_input.h"
#include "core/clock.h"
#include "core/ids.h"
#include "jobs/jobs.h"
#include "webhooks/emit.h"

#include <string.h>

static struct resp *view_not_found(struct api_call *c)
{
    return reply_error(c->r, RC_NOTFOUND, "view not found");
}

static struct resp *iguide_not_found(struct api_call *c)
{
    return reply_error(c->r, RC_NOTFOUND, "iGUIDE not found");
}

/* Ends a transaction the handler opened and answers its error. */
static struct resp *fail(struct api_call *c, const struct err *e)
{
    store_rollback(c->s);
    return reply_err(c->r, e);
}

static json_t *views_json(const struct view_row *rows, size_t n, int64_t now)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        json_array_append_new(arr, obj_view(&rows[i], now));
    return json_pack("{s:o}", "views", arr ? arr : json_array());
}

/* POST /api/v1/iguides/{iguideId}/views */
struct resp *h_view_create(struct api_call *c)
{
    struct err e = {0};
    const char *gid = api_param(c, "iguideId");
    if (!id_valid(ID_IGUIDE, gid))
        return iguide_not_found(c);
    int64_t now = clock_now_ms();
    struct view_params p;
    if (view_params_parse(c->body, "", VIEW_FIELDS_VIEW, now, &p, &e) != RC_OK)
        return reply_err(c->r, &e);
    struct iguide_row g;
    struct view_row v = {0};
    if (store_begin(c->s, 1, &e) != RC_OK ||
        store_iguide_get(c->s, gid, c->r->arena, &g, &e) != RC_OK)
        return fail(c, &e);
    /* The defaults follow the iGUIDE: protection by industry, measurement standard by country. */
    memcpy(v.iguide_id, g.id, sizeof v.iguide_id);
    v.is_default = 0;
    if (view_params_to_new(&p, g.industry, g.addr.country, now, &v, c->r->arena, &e) != RC_OK ||
        store_view_insert(c->s, &v, &e) != RC_OK || store_commit(c->s, &e) != RC_OK)
        return fail(c, &e);
    return reply_json(c->r, 200, obj_view(&v, now));
}

/* GET /api/v1/iguides/{iguideId}/views */
struct resp *h_view_list(struct api_call *c)
{
    API_LIST_QUERY(c, NULL);
    struct err e = {0};
    const char *gid = api_param(c, "iguideId");
    if (!id_valid(ID_IGUIDE, gid))
        return iguide_not_found(c);
    struct iguide_row g;
    struct view_row *rows;
    size_t n;
    if (store_begin(c->s, 0, &e) != RC_OK ||
        store_iguide_get(c->s, gid, c->r->arena, &g, &e) != RC_OK ||
        store_view_list(c->s, gid, c->r->arena, &rows, &n, &e) != RC_OK)
        return fail(c, &e);
    store_rollback(c->s);
    return reply_json(c->r, 200, views_json(rows, n, clock_now_ms()));
}

/* GET /api/v1/iguides/{iguideId}/views/{viewId}: a view of another iGUIDE is not found. */
struct resp *h_iguide_view_get(struct api_call *c)
{
    struct err e = {0};
    const char *gid = api_param(c, "iguideId"), *vid = api_param(c, "viewId");
    if (!id_valid(ID_IGUIDE, gid) || !id_valid(ID_VIEW, vid))
        return view_not_found(c);
    struct view_row v;
    if (store_view_get(c->s, vid, c->r->arena, &v, &e) != RC_OK)
        return reply_err(c->r, &e);
    if (strcmp(v.iguide_id, gid) != 0)
        return view_not_found(c);
    return reply_json(c->r, 200, obj_view(&v, clock_now_ms()));
}

/* GET /api/v1/views/{viewId} */
struct resp *h_view_get(struct api_call *c)
{
    struct err e = {0};
    const char *vid = api_param(c, "viewId");
    if (!id_valid(ID_VIEW, vid))
        return view_not_found(c);
    struct view_row v;
    if (store_view_get(c->s, vid, c->r->arena, &v, &e) != RC_OK)
        return reply_err(c->r, &e);
    return reply_json(c->r, 200, obj_view(&v, clock_now_ms()));
}

/* PATCH /api/v1/views/{viewId}: the fields given replace the stored ones, with the rules of
 * creation (expiresAt at most 10 years ahead and 1 year back). */
struct resp *h_view_update(struct api_call *c)
{
    struct err e = {0};
    const char *vid = api_param(c, "viewId");
    if (!id_valid(ID_VIEW, vid))
        return view_not_found(c);
    int64_t now = clock_now_ms();
    struct view_params p;
    if (view_params_parse(c->body, "", VIEW_FIELDS_VIEW, now, &p, &e) != RC_OK)
        return reply_err(c->r, &e);
    struct view_row v;
    if (store_begin(c->s, 1, &e) != RC_OK ||
        store_view_get(c->s, vid, c->r->arena, &v, &e) != RC_OK ||
        view_params_apply(&p, now, &v, c->r->arena, &e) != RC_OK ||
        store_view_update(c->s, &v, &e) != RC_OK || store_commit(c->s, &e) != RC_OK)
        return fail(c, &e);
    return reply_json(c->r, 200, obj_view(&v, now));
}

static enum rc announce_deleted(struct api_call *c, const struct view_row *v, struct err *e)
{
    json_t *f = json_pack("{s:s, s:s}", "iguideId", v->iguide_id, "viewId", v->id);
    if (!f)
        return err_set(e, RC_NOMEM, "out of memory");
    struct webhook_event ev = {
        .type = WH_VIEW_DELETED, .iguide_id = v->iguide_id, .view_id = v->id, .fields = f};
    enum rc rc = webhook_emit(c->s, &ev, NULL, clock_now_ms(), c->r->arena, NULL, e);
    json_decref(f);
    return rc;
}

/* DELETE /api/v1/views/{viewId}: permanent, reported as view.deleted in the same transaction; the
 * default view answers 403 ("View deletion"). */
struct resp *h_view_delete(struct api_call *c)
{
    struct err e = {0};
    const char *vid = api_param(c, "viewId");
    if (!id_valid(ID_VIEW, vid))
        return view_not_found(c);
    struct view_row v;
    if (store_begin(c->s, 1, &e) != RC_OK ||
        store_view_get(c->s, vid, c->r->arena, &v, &e) != RC_OK ||
        store_view_delete(c->s, vid, &e) != RC_OK || announce_deleted(c, &v, &e) != RC_OK ||
        store_commit(c->s, &e) != RC_OK)
        return fail(c, &e);
    jobs_notify();
    return reply_json(c->r, 200, json_pack("{s:s, s:b}", "id", vid, "deleted", 1));
}

/* PUT /api/v1/views/{viewId}/expires: "The per-view endpoint accepts any future date." */
struct resp *h_view_expires(struct api_call *c)
{
    struct err e = {0};
    const char *vid = api_param(c, "viewId");
    if (!id_valid(ID_VIEW, vid))
        return view_not_found(c);
    int64_t now = clock_now_ms(), at;
    if (view_expiry_parse(c->body, now, VIEW_EXPIRY_UNCAPPED, &at, NULL, &e) != RC_OK)
        return reply_err(c->r, &e);
    struct view_row v;
    if (store_begin(c->s, 1, &e) != RC_OK || store_view_set_expiry(c->s, vid, at, now, &e) != RC_OK ||
        store_view_get(c->s, vid, c->r->arena, &v, &e) != RC_OK || store_commit(c->s, &e) != RC_OK)
        return fail(c, &e);
    return reply_json(c->r, 200, obj_view(&v, now));
}

/* PUT /api/v1/iguides/{iguideId}/views/expires ("Update View Expiration Dates", the batch
 * endpoint) and PUT /api/v1/iguides/{iguideId}/expires: every view of the iGUIDE gets the date,
 * clamped to 10 years from now (docs/api.md, Decisions). */
struct resp *h_iguide_views_expires(struct api_call *c)
{
    struct err e = {0};
    const char *gid = api_param(c, "iguideId");
    if (!id_valid(ID_IGUIDE, gid))
        return iguide_not_found(c);
    int64_t now = clock_now_ms(), at;
    if (view_expiry_parse(c->body, now, VIEW_EXPIRY_CLAMP, &at, NULL, &e) != RC_OK)
        return reply_err(c->r, &e);
    struct iguide_row g;
    struct view_row *rows;
    size_t n;
    if (store_begin(c->s, 1, &e) != RC_OK ||
        store_iguide_get(c->s, gid, c->r->arena, &g, &e) != RC_OK ||
        store_view_set_expiry_all(c->s, gid, at, now, NULL, &e) != RC_OK ||
        store_view_list(c->s, gid, c->r->arena, &rows, &n, &e) != RC_OK ||
        store_commit(c->s, &e) != RC_OK)
        return fail(c, &e);
    return reply_json(c->r, 200, views_json(rows, n, now));
}
