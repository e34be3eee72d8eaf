/* operator.c — the operator controls over HTTP (a Guidepost addition, docs/operations.md): where
 * people step in on the hosted platform, a token with the unlisted `operator` scope lists work
 * orders across iGUIDEs and advances, rejects, cancels or retries them. The same operations as
 * `guidepost workorder`, through pipeline/operator.h. */
#include "api/api_int.h"

#include "api/cursor.h"
#include "api/objects.h"
#include "json/jsonx.h"
#include "pipeline/operator.h"
#include "pipeline/pipeline.h"
#include "pipeline/wo_status.h"

#include <string.h>

/* GET /api/v1/operator/workOrders[?status=S][&limit=N]: the newest work orders first. */
struct resp *h_op_workorder_list(struct api_call *c)
{
    API_LIST_QUERY(c, "status", "limit");
    const char *status = http_query(c->r, "status");
    enum wo_status st;
    if (status && wo_status_parse(status, &st))
        return reply_error(c->r, RC_INVALID, "status must be a work-order status such as "
                                             "pending_qa or exception");
    long limit;
    struct resp *bad = api_page_query(c, 100, 1000, &limit, NULL);
    if (bad)
        return bad;
    struct workorder_row *rows;
    size_t n;
    struct err e = {0};
    if (store_workorder_all(c->s, status, (int)limit, c->r->arena, &rows, &n, &e) != RC_OK)
        return reply_err(c->r, &e);
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_t *o = obj_workorder(&rows[i]);
        if (o && rows[i].stage)
            json_object_set_new(o, "stage", json_string(rows[i].stage));
        json_array_append_new(arr, o);
    }
    return reply_json(c->r, 200, json_pack("{s:o}", "workOrders", arr));
}

/* The work order after an operation, or the operation's error. */
static struct resp *after(struct api_call *c, enum rc rc, struct err *e)
{
    if (rc != RC_OK)
        return reply_err(c->r, e);
    struct workorder_row w;
    if (store_workorder_by_id(c->s, api_param(c, "workOrderId"), c->r->arena, &w, e) != RC_OK)
        return reply_err(c->r, e);
    return reply_json(c->r, 200, obj_workorder(&w));
}

/* POST /api/v1/operator/workOrders/{workOrderId}/{advance,reject,cancel,retry} */
struct resp *h_op_workorder_advance(struct api_call *c)
{
    struct err e = {0};
    return after(c, pipe_op_advance(c->s, api_param(c, "workOrderId"), &e), &e);
}

struct resp *h_op_workorder_reject(struct api_call *c)
{
    static const char *const keys[] = {"reason", NULL};
    struct err e = {0};
    const char *reason = NULL;
    if (jsonx_only_keys(c->body, "", keys, &e) != RC_OK ||
        jsonx_string(c->body, "", "reason", 1, 1000, &reason, &e) != RC_OK)
        return reply_err(c->r, &e);
    return after(c, pipe_op_reject(c->s, api_param(c, "workOrderId"), reason, &e), &e);
}

struct resp *h_op_workorder_cancel(struct api_call *c)
{
    struct err e = {0};
    return after(c, pipe_op_cancel(c->s, api_param(c, "workOrderId"), &e), &e);
}

struct resp *h_op_workorder_retry(struct api_call *c)
{
    struct err e = {0};
    return after(c, pipe_op_retry(c->s, api_param(c, "workOrderId"), &e), &e);
}

/* POST /_test/faults {"stage": "draft", "times": N} (only with --test-faults): the next N runs of
 * the stage fail as an unexpected error, so retries and the exception status can be tested. */
struct resp *h_faults_set(struct api_call *c)
{
    static const char *const keys[] = {"stage", "times", NULL};
    struct err e = {0};
    const char *stage = NULL;
    int64_t times = 0;
    if (jsonx_only_keys(c->body, "", keys, &e) != RC_OK ||
        jsonx_enum(c->body, "", "stage", 1, pipe_stages, &stage, &e) != RC_OK ||
        jsonx_int(c->body, "", "times", 1, 0, 1000, &times, &e) != RC_OK)
        return reply_err(c->r, &e);
    pipe_fault_set(stage, (int)times);
    return reply_json(c->r, 200, json_pack("{s:s, s:I}", "stage", stage, "times", (json_int_t)times));
}
