/* query_check.c — see api_int.h: list routes refuse query parameters they do not read, so a
 * misspelt filter ("serach=", "limt=") is an error instead of a silently unfiltered list. */
#include "api/api_int.h"

#include <stdio.h>
#include <string.h>

struct resp *api_query_only(struct api_call *c, const char *const *allowed)
{
    const char *bad = http_query_unknown(c->r, allowed);
    if (!bad)
        return NULL;
    /* The name is the caller's: shown printable, and cut. */
    char name[65];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)bad; *p && n < sizeof name - 1; p++)
        name[n++] = *p >= 0x20 && *p < 0x7f && *p != '"' ? (char)*p : '?';
    name[n] = '\0';
    char list[200] = "";
    for (const char *const *a = allowed; *a; a++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", a == allowed ? "" : ", ",
                 *a);
    char msg[320];
    if (*allowed)
        snprintf(msg, sizeof msg, "unknown query parameter \"%s\" (this list takes: %s)", name,
                 list);
    else
        snprintf(msg, sizeof msg, "unknown query parameter \"%s\" (this list takes none)", name);
    return reply_error(c->r, RC_INVALID, msg);
}
