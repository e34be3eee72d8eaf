/* router.c — linear scan: the table has a few dozen entries and matching is a handful of
 * string compares per entry, far below the cost of anything a handler does. */
#include "http/router.h"

#include <stdio.h>
#include <string.h>

struct seg {
    const char *p;
    size_t n;
};

/* Splits a path into segments; a single trailing slash is ignored. Returns the count, -1 if too many. */
static int split(const char *path, struct seg *out)
{
    int n = 0;
    const char *p = path;
    if (*p == '/')
        p++;
    while (*p) {
        const char *s = strchr(p, '/');
        size_t len = s ? (size_t)(s - p) : strlen(p);
        if (n == ROUTE_MAX_SEGMENTS)
            return -1;
        out[n].p = p;
        out[n].n = len;
        n++;
        if (!s)
            break;
        p = s + 1;
    }
    return n;
}

static int match_one(const char *pattern, struct seg *segs, int nsegs, struct route_match *m)
{
    struct seg ps[ROUTE_MAX_SEGMENTS];
    int np = split(pattern, ps);
    if (np != nsegs)
        return 0;
    m->nparams = 0;
    for (int i = 0; i < np; i++) {
        if (ps[i].n >= 2 && ps[i].p[0] == '{' && ps[i].p[ps[i].n - 1] == '}') {
            if (segs[i].n == 0 || segs[i].n >= sizeof m->params[0].value ||
                m->nparams == ROUTE_MAX_PARAMS)
                return 0;
            size_t nl = ps[i].n - 2;
            if (nl >= sizeof m->params[0].name)
                return 0;
            memcpy(m->params[m->nparams].name, ps[i].p + 1, nl);
            m->params[m->nparams].name[nl] = '\0';
            memcpy(m->params[m->nparams].value, segs[i].p, segs[i].n);
            m->params[m->nparams].value[segs[i].n] = '\0';
            m->nparams++;
        } else if (ps[i].n != segs[i].n || memcmp(ps[i].p, segs[i].p, ps[i].n) != 0) {
            return 0;
        }
    }
    return 1;
}

enum rc router_match(const void *table, size_t n, size_t stride, const char *method,
                     const char *path, struct route_match *m, char *allow, size_t allow_cap)
{
    struct seg segs[ROUTE_MAX_SEGMENTS];
    int nsegs = split(path, segs);
    if (allow_cap)
        allow[0] = '\0';
    if (nsegs < 0)
        return RC_NOTFOUND;
    const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
    int path_matched = 0, allow_full = 0;
    size_t alen = 0;
    for (size_t i = 0; i < n; i++) {
        const struct route_key *k = (const struct route_key *)((const char *)table + i * stride);
        struct route_match tmp;
        if (!match_one(k->pattern, segs, nsegs, &tmp))
            continue;
        if (strcmp(k->method, want) == 0) {
            *m = tmp;
            m->index = i;
            return RC_OK;
        }
        path_matched = 1;
        /* Build the Allow list without duplicates. When the buffer is too small the list stops
         * at the last whole method: snprintf's truncated tail is cut off again. */
        if (allow_cap && !allow_full && !strstr(allow, k->method)) {
            int w = snprintf(allow + alen, allow_cap - alen, "%s%s", alen ? ", " : "", k->method);
            if (w > 0 && (size_t)w < allow_cap - alen)
                alen += (size_t)w;
            else
                allow_full = 1;
            if (!allow_full && strcmp(k->method, "GET") == 0 && !strstr(allow, "HEAD")) {
                w = snprintf(allow + alen, allow_cap - alen, ", HEAD");
                if (w > 0 && (size_t)w < allow_cap - alen)
                    alen += (size_t)w;
                else
                    allow_full = 1;
            }
            allow[alen] = '\0';
        }
    }
    return path_matched ? RC_METHOD : RC_NOTFOUND;
}

const char *route_param(const struct route_match *m, const char *name)
{
    for (int i = 0; i < m->nparams; i++)
        if (strcmp(m->params[i].name, name) == 0)
            return m->params[i].value;
    return NULL;
}
