/* webhook_secret.c — `guidepost webhook secret show|rotate` (the signing secret alone on stdout,
 * for the operator on the machine: receivers are configured with it) and `guidepost webhook
 * resend whd_...` (the API's answer as JSON). */
#include "cli/cli.h"

#include "api/api_int.h"
#include "cli/opts.h"
#include "cli/output.h"
#include "core/clock.h"
#include "core/ids.h"
#include "store/store.h"
#include "webhooks/deliver.h"
#include "webhooks/secret.h"

#include <stdio.h>
#include <string.h>

int cli_webhook_secret(int argc, char **argv)
{
    const char *usage = "guidepost webhook secret show --data DIR\n"
                        "       guidepost webhook secret rotate --data DIR";
    struct opt opts[] = {
        {"data", 0, "./data", "data folder", NULL},
        {NULL, 0, NULL, NULL, NULL},
    };
    static const char *const commands[] = {"show", "rotate", NULL};
    int rc;
    /* argv[0] is "secret"; the command is the word after it. */
    if (cli_parse_command(opts, argc - 1, argv + 1, NULL, 0, usage, commands, &rc))
        return rc;
    struct store *s;
    struct arena *a;
    if ((rc = cli_store_open(opts, &s, &a)))
        return rc;
    struct err e = {0};
    const char *secret = NULL;
    int64_t until;
    if (strcmp(argv[1], "show") == 0) {
        if (webhook_secret_current(s, clock_now_ms(), a, &secret, &e) != RC_OK)
            rc = cli_fail(&e);
    } else if (store_begin(s, 1, &e) != RC_OK ||
               webhook_secret_rotate(s, clock_now_ms(), a, &secret, &until, &e) != RC_OK ||
               store_commit(s, &e) != RC_OK) {
        store_rollback(s);
        rc = cli_fail(&e);
    }
    if (!rc)
        printf("%s\n", secret);
    cli_store_close(s, a);
    return rc;
}

int cli_webhook_resend(int argc, char **argv)
{
    const char *usage = "guidepost webhook resend DELIVERY_ID --data DIR";
    struct opt opts[] = {
        {"data", 0, "./data", "data folder", NULL},
        {NULL, 0, NULL, NULL, NULL},
    };
    static const char *const commands[] = {"resend", NULL};
    const char *pos[1] = {NULL};
    int rc;
    if (cli_parse_command(opts, argc, argv, pos, 1, usage, commands, &rc))
        return rc;
    if (!pos[0] || !id_valid(ID_DELIVERY, pos[0])) {
        fprintf(stderr, "guidepost: webhook resend needs a delivery id (whd_...)\n");
        return 2;
    }
    struct store *s;
    struct arena *a;
    if ((rc = cli_store_open(opts, &s, &a)))
        return rc;
    struct err e = {0};
    char event_id[ID_MAX];
    if (webhook_resend(s, pos[0], clock_now_ms(), event_id, &e) != RC_OK)
        rc = cli_fail(&e);
    else
        rc = cli_print_json(api_webhook_resend_json(pos[0], event_id));
    cli_store_close(s, a);
    return rc;
}
