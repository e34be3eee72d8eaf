/* workorders.c — GET /api/v1/iguides/{id}/workOrders[/{workOrderId}] (the tutorial's Step 7).
 * A work order of another iGUIDE is not found, whatever its id. */
#include "api/api_int.h"

#include "api/objects.h"
#include "core/ids.h"

struct resp *h_workorder_get(struct api_call *c)
{
    struct err e = {0};
    struct workorder_row w;
    const char *gid = api_param(c, "iguideId"), *wid = api_param(c, "workOrderId");
    if (!id_valid(ID_IGUIDE, gid) || !id_valid(ID_WORKORDER, wid))
        return reply_error(c->r, RC_NOTFOUND, "work order not found");
    if (store_workorder_get(c->s, gid, wid, c->r->arena, &w, &e) != RC_OK)
        return reply_err(c->r, &e);
    return reply_json(c->r, 200, obj_workorder(&w));
}

struct resp *h_workorder_list(struct api_call *c)
{
    struct err e = {0};
    struct iguide_row g;
    struct workorder_row *rows;
    size_t n;
    const char *gid = api_param(c, "iguideId");
    if (!id_valid(ID_IGUIDE, gid))
        return reply_error(c->r, RC_NOTFOUND, "iGUIDE not found");
    if (store_begin(c->s, 0, &e) != RC_OK ||
        store_iguide_get(c->s, gid, c->r->arena, &g, &e) != RC_OK ||
        store_workorder_list(c->s, gid, c->r->arena, &rows, &n, &e) != RC_OK) {
        store_rollback(c->s);
        return reply_err(c->r, &e);
    }
    store_rollback(c->s);
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        json_array_append_new(arr, obj_workorder(&rows[i]));
    return reply_json(c->r, 200, json_pack("{s:o}", "workOrders", arr));
}
