/* scopes.c — names exactly as GET /api/v1/scopes lists them. */
#include "auth/scopes.h"

#include <stdio.h>
#include <string.h>

static const char *const names[SCOPE__ALL] = {
    "iguide.list",    "iguide.ro",     "iguide.rw",       "iguide.tasks",
    "iguide.billing", "iguide.gallery", "iguide.events",  "iguide.draft.ro",
    "viewer.data",    "banner.list",   "credentials.manage", "operator",
};

const char *scope_name(enum scope s)
{
    return (s >= 0 && s < SCOPE__ALL) ? names[s] : NULL;
}

int scope_parse_list(const char *list, scope_set *out, char *bad, size_t cap)
{
    scope_set set = 0;
    int count = 0;
    const char *p = list;
    while (*p) {
        while (*p == ',' || *p == ' ')
            p++;
        if (!*p)
            break;
        size_t n = strcspn(p, ", ");
        int found = -1;
        for (int i = 0; i < SCOPE__ALL; i++)
            if (strlen(names[i]) == n && memcmp(names[i], p, n) == 0)
                found = i;
        if (found < 0) {
            snprintf(bad, cap, "%.*s", (int)(n > 64 ? 64 : n), p);
            return -1;
        }
        set |= SCOPE_BIT(found);
        count++;
        p += n;
    }
    if (!count) {
        snprintf(bad, cap, "(none)");
        return -1;
    }
    *out = set;
    return 0;
}

size_t scope_format(scope_set set, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < SCOPE__ALL; i++)
        if (set & SCOPE_BIT(i)) {
            int w = snprintf(out + n, cap - n, "%s%s", n ? " " : "", names[i]);
            if (w < 0 || (size_t)w >= cap - n) {
                out[n] = '\0';   /* drop the partial name snprintf left behind */
                break;
            }
            n += (size_t)w;
        }
    return n;
}

int scope_covers(scope_set holder, scope_set target)
{
    /* Bits beyond the known scopes count too: a set that is not understood is never covered by
     * accident. */
    return (target & ~holder) == 0;
}
