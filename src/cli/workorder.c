/* workorder.c — `guidepost workorder list|advance|reject|cancel|retry`: the operator controls on
 * the data folder (the same operations as the operator HTTP endpoints; docs/operations.md). A
 * running server's workers pick up what these enqueue within a second. Prints JSON. */
#include "cli/cli.h"

#include "api/objects.h"
#include "cli/opts.h"
#include "cli/output.h"
#include "pipeline/operator.h"
#include "pipeline/wo_status.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

static json_t *wo_json(const struct workorder_row *w)
{
    json_t *o = obj_workorder(w);
    if (o && w->stage)
        json_object_set_new(o, "stage", json_string(w->stage));
    return o;
}

int cli_workorder(int argc, char **argv)
{
    const char *usage =
        "guidepost workorder list [--status S] [--limit N] --data DIR\n"
        "       guidepost workorder advance|cancel|retry ID --data DIR\n"
        "       guidepost workorder reject ID --reason TEXT --data DIR";
    struct opt opts[] = {
        {"data", 0, "./data", "data folder", NULL},
        {"status", 0, NULL, "list only work orders with this status (e.g. pending_qa, exception)",
         NULL},
        {"limit", 0, "100", "list at most this many, newest first", NULL},
        {"reason", 0, NULL, "the rejection reason (reject)", NULL},
        {NULL, 0, NULL, NULL, NULL},
    };
    static const char *const commands[] = {"list", "advance", "reject", "cancel", "retry", NULL};
    const char *pos[2] = {NULL, NULL};
    int prc;
    if (cli_parse_command(opts, argc, argv, pos, 1, usage, commands, &prc))
        return prc;
    const char *cmd = argv[0], *id = pos[0];
    int list = strcmp(cmd, "list") == 0;
    int64_t limit = 100;
    enum wo_status st;
    const char *status = opt_get(opts, "status"), *reason = opt_get(opts, "reason");
    if (opt_int(opts, "limit", 1, 100000, &limit))
        return 2;
    if (status && wo_status_parse(status, &st)) {
        fprintf(stderr, "guidepost: --status must be a work-order status (empty, on_hold, "
                        "pending_draft, pending_qa, pending_publish, done, exception, cancelled, "
                        "rejected)\n");
        return 2;
    }
    if (!list && (!id || !*id || strlen(id) >= ID_MAX)) {
        fprintf(stderr, "guidepost: workorder %s needs the work order's id\n", cmd);
        return 2;
    }
    if (strcmp(cmd, "reject") == 0 && (!reason || !*reason || strlen(reason) > 1000)) {
        fprintf(stderr, "guidepost: workorder reject needs --reason (1 to 1000 characters)\n");
        return 2;
    }
    struct err e = {0};
    struct store *s;
    struct arena *a;
    int orc = cli_store_open(opts, &s, &a);
    if (orc)
        return orc;
    int rc;
    if (list) {
        struct workorder_row *rows;
        size_t n;
        if (store_workorder_all(s, status, (int)limit, a, &rows, &n, &e) != RC_OK) {
            rc = cli_fail(&e);
        } else {
            json_t *arr = json_array();
            for (size_t i = 0; arr && i < n; i++)
                json_array_append_new(arr, wo_json(&rows[i]));
            rc = cli_print_json(json_pack("{s:o}", "workOrders", arr));
        }
    } else {
        enum rc op_rc = cmd[0] == 'a'   ? pipe_op_advance(s, id, &e)
                      : cmd[2] == 'j' ? pipe_op_reject(s, id, reason, &e)
                      : cmd[0] == 'c' ? pipe_op_cancel(s, id, &e)
                                      : pipe_op_retry(s, id, &e);
        struct workorder_row w;
        if (op_rc != RC_OK || store_workorder_by_id(s, id, a, &w, &e) != RC_OK)
            rc = cli_fail(&e);
        else
            rc = cli_print_json(wo_json(&w));
    }
    cli_store_close(s, a);
    return rc;
}
