/* objects.c — field names follow the platform's documents (portal-api.md §4); fields the
 * documents do not name are Guidepost's and listed in docs/api.md. */
#include "api/objects.h"

#include "core/address.h"
#include "json/jsonx.h"
#include "pipeline/wo_status.h"
#include "viewer/expiry.h"

static json_t *parse_array(const char *text)
{
    json_t *v = text ? json_loads(text, 0, NULL) : NULL;
    if (!json_is_array(v)) {
        json_decref(v);
        v = json_array();
    }
    return v;
}

json_t *obj_iguide(const struct iguide_row *g)
{
    enum wo_status st = WO_EMPTY;
    if (g->initial_status)
        wo_status_parse(g->initial_status, &st);
    const struct address *a = &g->addr;
    json_t *addr = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "country", a->country,
                             "provinceState", a->province_state, "city", a->city, "postalCode",
                             a->postal_code, "streetName", a->street_name, "streetNumber",
                             a->street_number);
    if (addr && a->unit_number)
        json_object_set_new(addr, "unitNumber", json_string(a->unit_number));
    char full[ADDRESS_FULL_MAX];
    address_format(a, full, sizeof full);
    if (addr)
        json_object_set_new(addr, "fullAddress", json_string(full));
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:o, s:o, s:o, s:o}", "id",
                     g->id, "alias", g->alias, "type", g->type, "industry", g->industry, "status",
                     wo_iguide_state(st), "defaultViewId", g->default_view_id, "workOrderId",
                     g->initial_wo_id, "address", addr ? addr : json_object(), "applyDefaults",
                     g->apply_defaults, "editors", parse_array(g->editors_json), "webhooks",
                     parse_array(g->webhooks_json), "createdAt", jsonx_time(g->created_at),
                     "updatedAt", jsonx_time(g->updated_at));
}

json_t *obj_view(const struct view_row *v, int64_t now)
{
    return json_pack("{s:s, s:s, s:b, s:b, s:o, s:b, s:o, s:o, s:s, s:o, s:o, s:o, s:o}", "id",
                     v->id, "iguideId", v->iguide_id, "isDefault", v->is_default, "isProtected",
                     v->is_protected, "expiresAt", jsonx_time(v->expires_at), "locked",
                     view_locked(v->expires_at, now), "bannerId", jsonx_str_or_null(v->banner_id),
                     "description", jsonx_str_or_null(v->description), "measStd", v->meas_std,
                     "viewers", parse_array(v->viewers_json), "viewerGroups",
                     parse_array(v->viewer_groups_json), "createdAt", jsonx_time(v->created_at),
                     "updatedAt", jsonx_time(v->updated_at));
}

json_t *obj_workorder(const struct workorder_row *w)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:o}", "id", w->id, "status",
                          w->status, "iguideId", w->iguide_id, "iguideType", w->iguide_type,
                          "taskType", w->task_type, "isInitial", w->is_initial, "createdAt",
                          jsonx_time(w->created_at), "updatedAt", jsonx_time(w->updated_at));
    if (o && w->rejection_reason)
        json_object_set_new(o, "rejectionReason", json_string(w->rejection_reason));
    if (o && w->exception_reason)
        json_object_set_new(o, "exceptionReason", json_string(w->exception_reason));
    return o;
}
