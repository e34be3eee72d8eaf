/* output.c — see output.h. */
#include "cli/output.h"

#include <stdio.h>
#include <stdlib.h>

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
    return e->rc == RC_NOTFOUND || e->rc == RC_INVALID ? 2 : 1;
}
