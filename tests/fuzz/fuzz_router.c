/* fuzz_router.c — libFuzzer target for http/router against the real route table (api_routes,
 * src/api/routes.c). The input is "METHOD PATH" (PATH as the server hands it over: percent-
 * decoded, so any byte but NUL). router_match's answer is compared with a plain matcher written
 * here from the contract in router.h: the first entry whose pattern matches the path and whose
 * method is the request's (HEAD as GET) wins, with its {parameters}; else RC_METHOD with the
 * Allow list of the matching patterns' methods, or RC_NOTFOUND. A path of more than
 * ROUTE_MAX_SEGMENTS segments or a parameter of 128 bytes or more matches nothing.
 * Seeds: tests/fuzz/seeds/fuzz_router (every route with sample ids, and near misses). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "http/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT 4096

struct seg {
    const char *p;
    size_t n;
};

/* The path's segments: one leading '/' dropped, then one trailing '/' ignored; -1 when too
 * many. */
static int segments(const char *path, struct seg *out, int max)
{
    size_t len = strlen(path);
    if (len && path[0] == '/')
        path++, len--;
    if (!len)
        return 0;
    /* "a/" is one segment, and "/" (after the leading one) one empty segment. */
    if (path[len - 1] == '/')
        len--;
    int n = 0;
    for (size_t i = 0;;) {
        const char *s = memchr(path + i, '/', len - i);
        size_t sl = s ? (size_t)(s - (path + i)) : len - i;
        if (n == max)
            return -1;
        out[n].p = path + i;
        out[n].n = sl;
        n++;
        if (!s)
            break;
        i += sl + 1;
    }
    return n;
}

/* 1 when pattern matches the path's segments; params (names and values) are appended to want. */
static int matches(const char *pattern, const struct seg *ps, int np, char *want, size_t cap)
{
    struct seg pat[ROUTE_MAX_SEGMENTS + 1];
    if (segments(pattern, pat, ROUTE_MAX_SEGMENTS) != np)
        return 0;
    size_t o = 0;
    want[0] = '\0';
    for (int i = 0; i < np; i++) {
        if (pat[i].n >= 2 && pat[i].p[0] == '{' && pat[i].p[pat[i].n - 1] == '}') {
            if (ps[i].n == 0 || ps[i].n >= 128)
                return 0;
            int w = snprintf(want + o, cap - o, "%.*s=%.*s;", (int)pat[i].n - 2, pat[i].p + 1,
                             (int)ps[i].n, ps[i].p);
            if (w < 0 || (size_t)w >= cap - o)
                abort();
            o += (size_t)w;
        } else if (pat[i].n != ps[i].n || memcmp(pat[i].p, ps[i].p, ps[i].n) != 0) {
            return 0;
        }
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    char in[MAX_INPUT + 1];
    memcpy(in, data, size);
    in[size] = '\0';
    char *sp = strchr(in, ' ');
    if (!sp)
        return 0;
    *sp = '\0';
    const char *method = in, *path = sp + 1;

    struct route_match m;
    char allow[64];
    enum rc rc = router_match(api_routes, api_nroutes, sizeof api_routes[0], method, path, &m, allow,
                              sizeof allow);

    struct seg ps[ROUTE_MAX_SEGMENTS + 1];
    int np = segments(path, ps, ROUTE_MAX_SEGMENTS);
    const char *mw = strcmp(method, "HEAD") == 0 ? "GET" : method;
    char want[ROUTE_MAX_PARAMS * 200], expect_allow[256] = "";
    size_t first = api_nroutes;
    for (size_t i = 0; np >= 0 && i < api_nroutes; i++) {
        const struct route_key *k = &api_routes[i].key;
        char params[sizeof want];
        if (!matches(k->pattern, ps, np, params, sizeof params))
            continue;
        if (strcmp(k->method, mw) == 0) {
            first = i;
            memcpy(want, params, sizeof want);
            break;
        }
        /* Expected Allow list: table order, no repeats, HEAD right after GET. */
        char item[24];
        snprintf(item, sizeof item, "%s", k->method);
        if (!strstr(expect_allow, item)) {
            size_t el = strlen(expect_allow);
            snprintf(expect_allow + el, sizeof expect_allow - el, "%s%s%s", el ? ", " : "", item,
                     strcmp(item, "GET") == 0 ? ", HEAD" : "");
        }
    }

    if (first < api_nroutes) {
        if (rc != RC_OK || m.index != first)
            abort();
        char got[sizeof want];
        size_t o = 0;
        got[0] = '\0';
        for (int i = 0; i < m.nparams; i++) {
            int w = snprintf(got + o, sizeof got - o, "%s=%s;", m.params[i].name, m.params[i].value);
            if (w < 0 || (size_t)w >= sizeof got - o)
                abort();
            o += (size_t)w;
            if (strcmp(route_param(&m, m.params[i].name), m.params[i].value) != 0)
                abort();
        }
        if (strcmp(got, want) != 0)
            abort();
    } else if (expect_allow[0]) {
        /* The Allow list is cut at the last whole method that fits in the buffer. */
        size_t al = strlen(allow);
        if (rc != RC_METHOD || al >= sizeof allow || strncmp(expect_allow, allow, al) != 0 ||
            (expect_allow[al] != '\0' && expect_allow[al] != ','))
            abort();
        if (strlen(expect_allow) < sizeof allow && strcmp(allow, expect_allow) != 0)
            abort();
    } else if (rc != RC_NOTFOUND) {
        abort();
    }
    return 0;
}
