/* output.c — see output.h. */
#include "cli/output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_print_json(json_t *v)
{
    char *s = v ? json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(v);
    if (!s)
        return 1;
    printf("%s\n", s);
    free(s);
    return 0;
}

int cli_fail(const struct err *e)
{
    fprintf(stderr, "guidepost: %s\n", e->msg);
    return e->rc == RC_NOTFOUND || e->rc == RC_INVALID || e->rc == RC_CONFLICT ? 2 : 1;
}

int cli_parse_command(struct opt *opts, int argc, char **argv, const char **pos, int npos,
                      const char *usage, const char *const *commands, int *exit_code)
{
    /* Everything here is decided before any store is opened: help and usage errors must never
     * create a data folder. */
    if (opts_wants_help(argc, argv)) {
        opts_help(opts, usage);
        *exit_code = 0;
        return -1;
    }
    *exit_code = 2;
    if (argc < 1 || argv[0][0] == '-') {
        if (argc >= 1)
            fprintf(stderr, "guidepost: the command comes first, before any option\n");
        opts_usage(opts, usage);
        return -1;
    }
    int known = 0;
    for (const char *const *c = commands; *c && !known; c++)
        known = strcmp(*c, argv[0]) == 0;
    if (!known) {
        fprintf(stderr, "guidepost: unknown command \"%s\"\n", argv[0]);
        opts_usage(opts, usage);
        return -1;
    }
    if (opts_parse(opts, argc - 1, argv + 1, pos, npos, usage) != 0)
        return -1;
    return 0;
}

int cli_store_open(const struct opt *opts, struct store **s, struct arena **a)
{
    struct err e = {0};
    struct store_config scfg = {.data_dir = opt_get(opts, "data")};
    *s = NULL;
    *a = NULL;
    if (store_open(&scfg, s, &e) != RC_OK || store_migrate(*s, NULL, &e) != RC_OK) {
        store_close(*s);
        *s = NULL;
        return cli_fail(&e);
    }
    if (!(*a = arena_new())) {
        store_close(*s);
        *s = NULL;
        fprintf(stderr, "guidepost: out of memory\n");
        return 1;
    }
    return 0;
}

void cli_store_close(struct store *s, struct arena *a)
{
    arena_free(a);
    store_close(s);
}
