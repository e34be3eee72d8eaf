/* webhook_log.c — `guidepost webhook events|attempts --data DIR`: the webhook event log on the
 * operator's machine, in the shapes of GET /api/v1/webhookEvents and …/{eventId} (docs/api.md). */
#include "cli/cli.h"

#include "api/api_int.h"
#include "cli/opts.h"
#include "cli/output.h"
#include "core/clock.h"
#include "json/jsonx.h"
#include "store/webhook_events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_webhook_events(int argc, char **argv)
{
    const char *usage = "guidepost webhook events --data DIR [--iguide ID] [--type T] "
                        "[--status S] [--since RFC3339] [--limit N]";
    struct opt opts[] = {
        {"data", 0, "./data", "data folder", NULL},
        {"iguide", 0, NULL, "only this iGUIDE's events", NULL},
        {"type", 0, NULL, "only events of this type (ready, view.expired, ...)", NULL},
        {"status", 0, NULL,
         "only events with a delivery in this status (pending, delivered, "
         "failed, dropped)",
         NULL},
        {"since", 0, NULL, "only events created at or after this RFC 3339 time", NULL},
        {"limit", 0, "100", "at most this many events, newest first (1-1000)", NULL},
        {NULL, 0, NULL, NULL, NULL},
    };
    static const char *const commands[] = {"events", NULL};
    int rc;
    if (cli_parse_command(opts, argc, argv, NULL, 0, usage, commands, &rc))
        return rc;
    struct whlog_filter f = {.iguide_id = opt_get(opts, "iguide"),
                             .type = opt_get(opts, "type"),
                             .status = opt_get(opts, "status")};
    struct err e = {0};
    int64_t limit;
    if (opt_int(opts, "limit", 1, 1000, &limit))
        return 2;
    const char *since = opt_get(opts, "since");
    if (since && clock_parse(since, &f.since)) {
        fprintf(stderr, "guidepost: --since must be an RFC 3339 timestamp\n");
        return 2;
    }
    if (api_webhook_filter_check(&f, &e) != RC_OK)
        return cli_fail(&e);
    struct store *s;
    struct arena *a;
    if ((rc = cli_store_open(opts, &s, &a)))
        return rc;
    json_t *events;
    int64_t next;
    if (store_begin(s, 0, &e) != RC_OK ||
        api_webhook_event_page(s, &f, (int)limit, a, &events, &next, &e) != RC_OK) {
        store_rollback(s);
        rc = cli_fail(&e);
    } else {
        store_rollback(s);
        size_t i;
        json_t *ev;
        rc = 0;
        json_array_foreach(events, i, ev)
        {
            char *line = jsonx_dump(ev, NULL);
            if (!line) {
                rc = 1;
                break;
            }
            printf("%s\n", line);
            free(line);
        }
        json_decref(events);
    }
    cli_store_close(s, a);
    return rc;
}

int cli_webhook_attempts(int argc, char **argv)
{
    const char *usage = "guidepost webhook attempts msg_...|whd_... --data DIR";
    struct opt opts[] = {
        {"data", 0, "./data", "data folder", NULL},
        {NULL, 0, NULL, NULL, NULL},
    };
    static const char *const commands[] = {"attempts", NULL};
    const char *pos[1] = {NULL};
    int rc;
    if (cli_parse_command(opts, argc, argv, pos, 1, usage, commands, &rc))
        return rc;
    const char *id = pos[0];
    int is_delivery = id && strncmp(id, "whd_", 4) == 0 && id_valid(ID_DELIVERY, id);
    if (!id || (!is_delivery && !api_webhook_event_id_ok(id))) {
        fprintf(stderr, "guidepost: webhook attempts needs an event id (msg_...) or a delivery "
                        "id (whd_...)\n");
        return 2;
    }
    struct err e = {0};
    struct store *s;
    struct arena *a;
    if ((rc = cli_store_open(opts, &s, &a)))
        return rc;
    json_t *o = NULL;
    const char *event_id = id;
    if (store_begin(s, 0, &e) != RC_OK ||
        (is_delivery && store_webhook_log_event_of(s, id, a, &event_id, &e) != RC_OK) ||
        api_webhook_event_load(s, event_id, a, &o, &e) != RC_OK) {
        store_rollback(s);
        rc = cli_fail(&e);
    } else {
        store_rollback(s);
        rc = cli_print_json(o);
    }
    cli_store_close(s, a);
    return rc;
}
