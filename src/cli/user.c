/* user.c — `guidepost user create|list|disable|enable|delete --data DIR`: the accounts that sign
 * in to see protected views. `create` reads the password from standard input with
 * --password-stdin, or generates one and prints it once. Prints JSON. */
#include "cli/cli.h"

#include "api/people_json.h"
#include "auth/accounts.h"
#include "auth/password.h"
#include "cli/opts.h"
#include "cli/output.h"
#include "core/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One line of standard input, without its line ending; -1 when empty, unreadable or too long. */
static int read_password(char *buf, size_t cap)
{
    if (!fgets(buf, (int)cap, stdin))
        return -1;
    size_t n = strlen(buf);
    if (n && buf[n - 1] == '\n')
        buf[--n] = '\0';
    else if (n == cap - 1)
        return -1;   /* longer than the buffer */
    if (n && buf[n - 1] == '\r')
        buf[--n] = '\0';
    return n ? 0 : -1;
}

static int create(struct store *s, const struct opt *opts, struct arena *a)
{
    const char *email = opt_get(opts, "email");
    struct err e = {0};
    if (account_email_check(email, "--email", &e) != RC_OK)
        return cli_fail(&e);
    char pw[PASSWORD_MAX + 2];
    int generated = 0;
    if (opt_flag(opts, "password-stdin")) {
        if (read_password(pw, sizeof pw)) {
            fprintf(stderr, "guidepost: --password-stdin needs one line of %d to %d characters\n",
                    PASSWORD_MIN, PASSWORD_MAX);
            return 2;
        }
    } else {
        if (password_generate(pw)) {
            fprintf(stderr, "guidepost: no randomness for a password\n");
            return 1;
        }
        generated = 1;
    }
    struct user_row u;
    enum rc rc = account_create(s, email, pw, opt_flag(opts, "operator"), clock_now_ms(), a, &u, &e);
    if (rc != RC_OK)
        return cli_fail(&e);
    json_t *o = obj_user(&u);
    /* The only time a generated password is shown; it is not stored anywhere but as a hash. */
    if (o && generated)
        json_object_set_new(o, "password", json_string(pw));
    return cli_print_json(o);
}

int cli_user(int argc, char **argv)
{
    const char *usage =
        "guidepost user create --data DIR --email EMAIL [--password-stdin] [--operator]\n"
        "       guidepost user list --data DIR\n"
        "       guidepost user disable|enable|delete ID-OR-EMAIL --data DIR";
    struct opt opts[] = {
        {"data", 0, "./data", "data folder", NULL},
        {"email", 0, NULL, "the account's email (create)", NULL},
        {"password-stdin", 1, NULL, "read the password from one line of standard input (create); "
                                    "without it a password is generated and printed once", NULL},
        {"operator", 1, NULL, "an operator account: the manager of every iGUIDE (create)", NULL},
        {NULL, 0, NULL, NULL, NULL},
    };
    static const char *const commands[] = {"create", "list", "disable", "enable", "delete", NULL};
    const char *pos[2] = {NULL, NULL};
    int orc;
    if (cli_parse_command(opts, argc, argv, pos, 1, usage, commands, &orc))
        return orc;
    const char *cmd = argv[0];
    struct err e = {0};
    /* The arguments are checked before the store is opened: a usage error touches nothing. */
    if (strcmp(cmd, "create") == 0 && account_email_check(opt_get(opts, "email"), "--email", &e) != RC_OK)
        return cli_fail(&e);
    if (strcmp(cmd, "create") != 0 && strcmp(cmd, "list") != 0 && !pos[0]) {
        fprintf(stderr, "guidepost: user %s needs an account id or email\n", cmd);
        return 2;
    }
    struct store *s;
    struct arena *a;
    if ((orc = cli_store_open(opts, &s, &a)))
        return orc;
    int rc = 2;
    int64_t now = clock_now_ms();
    if (strcmp(cmd, "create") == 0) {
        rc = create(s, opts, a);
    } else if (strcmp(cmd, "list") == 0) {
        struct user_row *rows;
        size_t n;
        if (store_user_list(s, a, &rows, &n, &e) != RC_OK) {
            rc = cli_fail(&e);
        } else {
            json_t *arr = json_array();
            for (size_t i = 0; arr && i < n; i++)
                json_array_append_new(arr, obj_user(&rows[i]));
            rc = cli_print_json(json_pack("{s:o}", "users", arr ? arr : json_array()));
        }
    } else { /* disable, enable, delete */
        struct user_row u;
        if (account_resolve(s, pos[0], a, &u, &e) != RC_OK) {
            rc = cli_fail(&e);
        } else if (cmd[1] == 'e') { /* delete */
            if (store_user_delete(s, u.id, &e) != RC_OK)
                rc = cli_fail(&e);
            else
                rc = cli_print_json(json_pack("{s:s, s:b}", "id", u.id, "deleted", 1));
        } else {
            int off = cmd[0] == 'd';
            if (store_user_set_disabled(s, u.id, off, now, &e) != RC_OK ||
                store_user_get(s, u.id, a, &u, &e) != RC_OK)
                rc = cli_fail(&e);
            else
                rc = cli_print_json(obj_user(&u));
        }
    }
    cli_store_close(s, a);
    return rc;
}
