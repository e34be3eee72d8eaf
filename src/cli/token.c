/* token.c — `guidepost token create|list|rotate|revoke --data DIR`: the operator's way to issue
 * the first token (before any token exists to call the HTTP endpoints with). Prints JSON. */
#include "cli/cli.h"

#include "api/api_int.h"
#include "cli/opts.h"
#include "cli/output.h"
#include "core/clock.h"
#include "core/ids.h"
#include "json/jsonx.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_token(int argc, char **argv)
{
    const char *usage =
        "guidepost token create --data DIR --name NAME --scopes a,b [--expires-in DAYS] "
        "[--description TEXT]\n"
        "       guidepost token list --data DIR\n"
        "       guidepost token rotate ID --data DIR\n"
        "       guidepost token revoke ID --data DIR";
    struct opt opts[] = {
        {"data", 0, "./data", "data folder", NULL},
        {"name", 0, NULL, "token name (create)", NULL},
        {"description", 0, NULL, "token description (create)", NULL},
        {"scopes", 0, NULL, "comma-separated scopes (create), see GET /api/v1/scopes", NULL},
        {"expires-in", 0, NULL, "lifetime in days (create; default 2 years)", NULL},
        {NULL, 0, NULL, NULL, NULL},
    };
    static const char *const commands[] = {"create", "list", "rotate", "revoke", NULL};
    const char *pos[2] = {NULL, NULL};
    int rc;
    if (cli_parse_command(opts, argc, argv, pos, 1, usage, commands, &rc))
        return rc;
    const char *cmd = argv[0];
    /* The arguments are checked before the store is opened: a usage error touches nothing. */
    const char *name = opt_get(opts, "name"), *scopes = opt_get(opts, "scopes"), *id = pos[0];
    int64_t days = 0;
    scope_set set = 0;
    char bad[80];
    if (strcmp(cmd, "create") == 0) {
        if (!name || !*name || strlen(name) > 100) {
            fprintf(stderr, "guidepost: --name is required (1 to 100 characters)\n");
            return 2;
        }
        if (!scopes || scope_parse_list(scopes, &set, bad, sizeof bad)) {
            fprintf(stderr, "guidepost: --scopes needs known scopes, comma-separated (bad: %s)\n",
                    scopes ? bad : "(none)");
            return 2;
        }
        if (opt_int(opts, "expires-in", 1, TOKEN_MAX_DAYS, &days))
            return 2;
    } else if (strcmp(cmd, "list") != 0 && (!id || !id_uuid_valid(id))) {
        fprintf(stderr, "guidepost: token %s needs the token's id (a UUID)\n", cmd);
        return 2;
    }
    struct err e = {0};
    struct store *s;
    struct arena *a;
    if ((rc = cli_store_open(opts, &s, &a)))
        return rc;
    if (strcmp(cmd, "create") == 0) {
        struct token_issued t;
        if (auth_token_create(s, name, opt_get(opts, "description"), set, (int)days, NULL, a, &t,
                              &e) != RC_OK)
            rc = cli_fail(&e);
        else
            rc = cli_print_json(api_token_issued_json(&t));
    } else if (strcmp(cmd, "list") == 0) {
        struct token_row *rows;
        size_t n;
        if (store_token_list(s, a, &rows, &n, &e) != RC_OK) {
            rc = cli_fail(&e);
        } else {
            json_t *arr = json_array();
            for (size_t i = 0; arr && i < n; i++)
                json_array_append_new(arr, api_token_json(&rows[i]));
            rc = cli_print_json(json_pack("{s:o}", "apiTokens", arr));
        }
    } else if (strcmp(cmd, "rotate") == 0) {
        struct token_issued t;
        if (store_begin(s, 1, &e) != RC_OK || auth_token_rotate(s, id, a, &t, &e) != RC_OK ||
            store_commit(s, &e) != RC_OK) {
            store_rollback(s);
            rc = cli_fail(&e);
        } else
            rc = cli_print_json(api_token_issued_json(&t));
    } else { /* revoke */
        struct token_row t;
        if (store_token_revoke(s, id, clock_now_ms(), &e) != RC_OK ||
            store_token_get(s, id, a, &t, &e) != RC_OK)
            rc = cli_fail(&e);
        else
            rc = cli_print_json(api_token_json(&t));
    }
    cli_store_close(s, a);
    return rc;
}

int cli_migrate(int argc, char **argv)
{
    struct opt opts[] = {
        {"data", 0, "./data", "data folder", NULL},
        {NULL, 0, NULL, NULL, NULL},
    };
    int prc = opts_parse(opts, argc, argv, NULL, 0, "guidepost migrate --data DIR");
    if (prc)
        return opts_exit_code(prc);
    struct err e = {0};
    struct store_config scfg = {.data_dir = opt_get(opts, "data")};
    struct store *s = NULL;
    int applied = 0;
    if (store_open(&scfg, &s, &e) != RC_OK || store_migrate(s, &applied, &e) != RC_OK) {
        store_close(s);
        return cli_fail(&e);
    }
    store_close(s);
    printf("applied %d migration(s)\n", applied);
    return 0;
}
