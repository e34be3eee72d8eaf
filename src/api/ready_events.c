/* ready_events.c — the ready object on demand (portal-api.md §3 #16-#17):
 * GET /api/v1/iguides/{iguideId}/events/ready/object?taskId={workOrderId} answers the object with
 * a fresh authtoken; POST …/events/ready/dispatch?taskId= records a new ready event (new id, new
 * token) for the iGUIDE's webhook list, delivered like any other. Both need the work order done
 * (failed_precondition otherwise). */
#include "api/api_int.h"

#include "core/clock.h"
#include "core/ids.h"
#include "jobs/jobs.h"
#include "json/jsonx.h"
#include "webhooks/ready.h"

/* The iGUIDE and work order ids of the request, or an error answer in *fail. */
static int ids_of(struct api_call *c, const char **gid, const char **wid, struct resp **fail)
{
    *gid = api_param(c, "iguideId");
    *wid = http_query(c->r, "taskId");
    if (!*wid || !**wid) {
        *fail = reply_error(c->r, RC_INVALID, "taskId (the work order id) is required");
        return -1;
    }
    if (!id_valid(ID_IGUIDE, *gid)) {
        *fail = reply_error(c->r, RC_NOTFOUND, "iGUIDE not found");
        return -1;
    }
    if (!id_valid(ID_WORKORDER, *wid)) {
        *fail = reply_error(c->r, RC_NOTFOUND, "work order not found");
        return -1;
    }
    return 0;
}

struct resp *h_ready_object(struct api_call *c)
{
    struct err e = {0};
    const char *gid, *wid;
    struct resp *p;
    if (ids_of(c, &gid, &wid, &p))
        return p;
    json_t *o = NULL;
    /* A write transaction: the object's token is recorded like any view access token. */
    if (store_begin(c->s, 1, &e) != RC_OK ||
        webhook_ready_object(c->s, gid, wid, c->cfg->public_url, c->who.app_id, clock_now_ms(),
                             c->r->arena, &o, &e) != RC_OK ||
        store_commit(c->s, &e) != RC_OK) {
        store_rollback(c->s);
        json_decref(o);
        return reply_err(c->r, &e);
    }
    json_t *out = json_pack("{s:s}", "type", "ready");
    if (out)
        json_object_update(out, o);
    json_decref(o);
    return reply_json(c->r, 200, out);
}

struct resp *h_ready_dispatch(struct api_call *c)
{
    struct err e = {0};
    const char *gid, *wid;
    struct resp *p;
    static const char *const keys[] = {NULL};
    if (jsonx_only_keys(c->body, "", keys, &e) != RC_OK)
        return reply_err(c->r, &e);
    if (ids_of(c, &gid, &wid, &p))
        return p;
    struct webhook_emitted out;
    if (store_begin(c->s, 1, &e) != RC_OK ||
        webhook_emit_ready(c->s, gid, wid, c->cfg->public_url, c->who.app_id, clock_now_ms(),
                           c->r->arena, &out, &e) != RC_OK ||
        store_commit(c->s, &e) != RC_OK) {
        store_rollback(c->s);
        return reply_err(c->r, &e);
    }
    jobs_notify();
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < out.n; i++)
        json_array_append_new(
            arr, json_pack("{s:s, s:s}", "id", out.delivery_ids[i], "url", out.urls[i]));
    return reply_json(
        c->r, 202,
        json_pack("{s:s, s:o}", "eventId", out.event_id, "deliveries", arr ? arr : json_array()));
}
