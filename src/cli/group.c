/* group.c — `guidepost group create|list|show|rename|add|remove|delete --data DIR`: viewer groups,
 * the same operations as /api/v1/viewerGroups. Members are named by account id or email. */
#include "cli/cli.h"

#include "api/people_json.h"
#include "auth/accounts.h"
#include "cli/opts.h"
#include "cli/output.h"
#include "core/clock.h"
#include "core/ids.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int show(struct store *s, const char *id, struct arena *a)
{
    struct err e = {0};
    struct group_row g;
    struct user_row *m;
    size_t n;
    if (store_group_get(s, id, a, &g, &e) != RC_OK ||
        store_group_members(s, id, a, &m, &n, &e) != RC_OK)
        return cli_fail(&e);
    return cli_print_json(obj_group(&g, m, n));
}

/* RC_OK when id is a group id (a UUID); a message otherwise. */
static enum rc group_id(const char *id, struct err *e)
{
    if (!id || !id_uuid_valid(id))
        return err_set(e, RC_NOTFOUND, "viewer group not found (give its id)");
    return RC_OK;
}

int cli_group(int argc, char **argv)
{
    const char *usage =
        "guidepost group create --data DIR --name NAME\n"
        "       guidepost group list --data DIR\n"
        "       guidepost group show|delete GROUP-ID --data DIR\n"
        "       guidepost group rename GROUP-ID --name NAME --data DIR\n"
        "       guidepost group add|remove GROUP-ID ACCOUNT-ID-OR-EMAIL --data DIR";
    struct opt opts[] = {
        {"data", 0, "./data", "data folder", NULL},
        {"name", 0, NULL, "the group's name (create, rename)", NULL},
        {NULL, 0, NULL, NULL, NULL},
    };
    static const char *const commands[] = {"create", "list",   "show",   "rename",
                                           "add",    "remove", "delete", NULL};
    const char *pos[3] = {NULL, NULL, NULL};
    int orc;
    if (cli_parse_command(opts, argc, argv, pos, 2, usage, commands, &orc))
        return orc;
    const char *cmd = argv[0];
    struct err e = {0};
    const char *name = opt_get(opts, "name");
    /* The arguments are checked before the store is opened: a usage error touches nothing. */
    int named = strcmp(cmd, "create") == 0 || strcmp(cmd, "rename") == 0;
    int member = strcmp(cmd, "add") == 0 || strcmp(cmd, "remove") == 0;
    if ((strcmp(cmd, "create") != 0 && strcmp(cmd, "list") != 0 && group_id(pos[0], &e) != RC_OK) ||
        (named && account_group_name_check(name, "--name", &e) != RC_OK))
        return cli_fail(&e);
    if (member && !pos[1]) {
        fprintf(stderr, "guidepost: group %s needs an account id or email\n", cmd);
        return 2;
    }
    struct store *s;
    struct arena *a;
    if ((orc = cli_store_open(opts, &s, &a)))
        return orc;
    int rc = 2;
    int64_t now = clock_now_ms();
    if (strcmp(cmd, "create") == 0) {
        struct group_row g = {.name = name, .created_at = now};
        if (account_group_name_check(name, "--name", &e) != RC_OK ||
            store_group_insert(s, &g, &e) != RC_OK)
            rc = cli_fail(&e);
        else
            rc = show(s, g.id, a);
    } else if (strcmp(cmd, "list") == 0) {
        struct group_row *rows;
        size_t n;
        if (store_group_list(s, a, &rows, &n, &e) != RC_OK) {
            rc = cli_fail(&e);
        } else {
            json_t *arr = json_array();
            for (size_t i = 0; arr && i < n; i++)
                json_array_append_new(arr, obj_group(&rows[i], NULL, 0));
            rc = cli_print_json(json_pack("{s:o}", "viewerGroups", arr ? arr : json_array()));
        }
    } else if (strcmp(cmd, "show") == 0) {
        rc = group_id(pos[0], &e) != RC_OK ? cli_fail(&e) : show(s, pos[0], a);
    } else if (strcmp(cmd, "rename") == 0) {
        if (group_id(pos[0], &e) != RC_OK || account_group_name_check(name, "--name", &e) != RC_OK ||
            store_group_rename(s, pos[0], name, now, &e) != RC_OK)
            rc = cli_fail(&e);
        else
            rc = show(s, pos[0], a);
    } else if (strcmp(cmd, "delete") == 0) {
        if (group_id(pos[0], &e) != RC_OK || store_group_delete(s, pos[0], &e) != RC_OK)
            rc = cli_fail(&e);
        else
            rc = cli_print_json(json_pack("{s:s, s:b}", "id", pos[0], "deleted", 1));
    } else if (strcmp(cmd, "add") == 0 || strcmp(cmd, "remove") == 0) {
        struct user_row u;
        if (group_id(pos[0], &e) != RC_OK)
            rc = cli_fail(&e);
        else if (!pos[1])
            fprintf(stderr, "guidepost: group %s needs an account id or email\n", cmd);
        else if (account_resolve(s, pos[1], a, &u, &e) != RC_OK ||
                 (cmd[0] == 'a' ? store_group_add(s, pos[0], u.id, now, NULL, &e)
                                : store_group_remove(s, pos[0], u.id, &e)) != RC_OK)
            rc = cli_fail(&e);
        else
            rc = show(s, pos[0], a);
    }
    cli_store_close(s, a);
    return rc;
}
