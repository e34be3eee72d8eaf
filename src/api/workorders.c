/* workorders.c — GET /api/v1/iguides/{id}/workOrders[/{workOrderId}] (the tutorial's Step 7).
 * A work order of another iGUIDE is not found, whatever its id. */
#include "api/api_int.h"

#include "api/objects.h"
#include "core/clock.h"
#include "core/ids.h"
#include "jobs/jobs.h"
#include "json/jsonx.h"
#include "pipeline/addons.h"
#include "pipeline/operator.h"
#include "pipeline/wo_status.h"

#include <stdio.h>
#include <string.h>

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
    API_LIST_QUERY(c, NULL);
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

/* 1 when the status is terminal by name. */
static int terminal(const char *status)
{
    enum wo_status st;
    return wo_status_parse(status, &st) == 0 && wo_status_terminal(st);
}

/* POST /api/v1/iguides/{iguideId}/workOrders {"taskType"}: an additional work order. It waits
 * on_hold while the initial work order is not done and is released when it is (work-order
 * lifecycle guide: "It stays on_hold until the initial work order finishes"). */
struct resp *h_workorder_create(struct api_call *c)
{
    static const char *const keys[] = {"taskType", NULL};
    struct err e = {0};
    const char *task = NULL;
    if (jsonx_only_keys(c->body, "", keys, &e) != RC_OK ||
        jsonx_enum(c->body, "", "taskType", 1, addon_task_types, &task, &e) != RC_OK)
        return reply_err(c->r, &e);
    const char *gid = api_param(c, "iguideId");
    if (!id_valid(ID_IGUIDE, gid))
        return reply_error(c->r, RC_NOTFOUND, "iGUIDE not found");
    struct arena *a = c->r->arena;
    struct iguide_row g;
    struct workorder_row *rows;
    size_t n;
    if (store_begin(c->s, 1, &e) != RC_OK || store_iguide_get(c->s, gid, a, &g, &e) != RC_OK ||
        store_workorder_list(c->s, gid, a, &rows, &n, &e) != RC_OK)
        goto fail;
    /* The package to judge by: the iGUIDE's, or the one an open upgrade will give it. */
    const char *package = g.type, *initial_status = "empty";
    for (size_t i = 0; i < n; i++) {
        if (rows[i].is_initial)
            initial_status = rows[i].status;
        const char *target = addon_upgrade_target(rows[i].task_type);
        if (target && !terminal(rows[i].status) && strcmp(package, "premium") != 0)
            package = target;
        if (!rows[i].is_initial && strcmp(rows[i].task_type, task) == 0 && !terminal(rows[i].status)) {
            err_set(&e, RC_CONFLICT, "a %s work order is already open (%s)", task, rows[i].id);
            goto fail;
        }
    }
    if (addon_check(package, task, &e) != RC_OK)
        goto fail;
    if (strcmp(initial_status, "cancelled") == 0 || strcmp(initial_status, "rejected") == 0) {
        err_set(&e, RC_PRECONDITION, "the iGUIDE's initial work order is %s", initial_status);
        goto fail;
    }
    int64_t now = clock_now_ms();
    int start = strcmp(initial_status, "done") == 0;
    struct workorder_row w = {.task_type = task, .is_initial = 0,
                              .status = wo_status_name(start ? WO_PENDING_DRAFT : WO_ON_HOLD),
                              .created_at = now, .updated_at = now, .iguide_type = g.type};
    memcpy(w.iguide_id, gid, strlen(gid) + 1);
    if (store_workorder_create(c->s, &w, &e) != RC_OK)
        goto fail;
    if (start && pipe_enqueue_stage(c->s, "addon", gid, w.id, "order", now + c->cfg->stage_ms, NULL,
                                     NULL, &e) != RC_OK)
        goto fail;
    if (store_commit(c->s, &e) != RC_OK)
        goto fail;
    if (start)
        jobs_notify();
    return reply_json(c->r, 200, obj_workorder(&w));
fail:
    store_rollback(c->s);
    return reply_err(c->r, &e);
}

/* POST /api/v1/iguides/{iguideId}/workOrders/{workOrderId}/cancel: an integrator may cancel a work
 * order that has not started processing (empty or on_hold); one in progress is the operator's to
 * cancel. */
struct resp *h_workorder_cancel(struct api_call *c)
{
    struct err e = {0};
    struct workorder_row w;
    const char *gid = api_param(c, "iguideId"), *wid = api_param(c, "workOrderId");
    if (!id_valid(ID_IGUIDE, gid) || !id_valid(ID_WORKORDER, wid))
        return reply_error(c->r, RC_NOTFOUND, "work order not found");
    if (store_begin(c->s, 1, &e) != RC_OK ||
        store_workorder_get(c->s, gid, wid, c->r->arena, &w, &e) != RC_OK)
        goto fail;
    if (strcmp(w.status, "empty") != 0 && strcmp(w.status, "on_hold") != 0) {
        err_set(&e, RC_PRECONDITION,
                "work order %s is %s: only work orders that have not started processing (empty or "
                "on_hold) can be cancelled through the API",
                w.id, w.status);
        goto fail;
    }
    if (wo_move(c->s, wid, w.status, WO_CANCELLED, w.rejection_reason, w.exception_reason,
                clock_now_ms(), &e) != RC_OK ||
        store_workorder_get(c->s, gid, wid, c->r->arena, &w, &e) != RC_OK ||
        store_commit(c->s, &e) != RC_OK)
        goto fail;
    jobs_notify(); /* the status change's webhook deliveries */
    return reply_json(c->r, 200, obj_workorder(&w));
fail:
    store_rollback(c->s);
    return reply_err(c->r, &e);
}
