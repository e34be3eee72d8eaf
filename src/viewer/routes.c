/* routes.c — THE viewer route table, and its place in the request flow: only GET and HEAD, and
 * never a path the Portal API, the operations routes or the test clock own (they are matched
 * first by the API dispatcher; the prefixes below keep a future /api/v1 route from ever falling
 * through to /{alias}). The specific patterns come before /{key}. */
#include "viewer/viewer_int.h"

#include "core/arena.h"

#include <string.h>

static const struct viewer_route routes[] = {
    {{"GET", "/static/{file}"}, vh_static, VK_STATIC},
    {{"GET", "/embed/{key}"}, vh_embed, VK_PAGE},
    {{"GET", "/iguides/{iguideId}"}, vh_iguide, VK_PAGE},
    {{"GET", "/{key}/doc/{name}"}, vh_doc, VK_MEDIA},
    {{"GET", "/{key}/pano/{file}"}, vh_pano, VK_MEDIA},
    {{"GET", "/{key}/data/status"}, vh_status, VK_DATA},
    {{"GET", "/{key}/data/summary"}, vh_summary, VK_DATA},
    {{"GET", "/{key}/reso/autofill"}, vh_autofill, VK_DATA},
    {{"GET", "/{key}"}, vh_page, VK_PAGE},
};

static const char *const reserved[] = {"/api/", "/api", "/_test/", "/_test", "/healthz", NULL};

const char *viewer_param(const struct viewer_call *c, const char *name)
{
    const char *v = route_param(&c->m, name);
    return v ? v : "";
}

static int is_reserved(const char *path)
{
    for (int i = 0; reserved[i]; i++) {
        size_t n = strlen(reserved[i]);
        if (strncmp(path, reserved[i], n) == 0 &&
            (reserved[i][n - 1] == '/' || path[n] == '\0' || path[n] == '/'))
            return 1;
    }
    return 0;
}

int viewer_on_headers(struct req *r, const struct viewer_config *cfg, struct viewer_call **out)
{
    *out = NULL;
    if (is_reserved(r->path))
        return 0;
    struct route_match m;
    char allow[64];
    if (router_match(routes, sizeof routes / sizeof routes[0], sizeof routes[0], r->method,
                     r->path, &m, allow, sizeof allow) != RC_OK)
        return 0;
    struct viewer_call *c = arena_alloc(r->arena, sizeof *c);
    if (!c) {
        r->early = resp_new(r, 503);
        return 1;
    }
    c->r = r;
    c->cfg = cfg;
    c->m = m;
    c->route = &routes[m.index];
    *out = c;
    return 1;
}

struct resp *viewer_on_request(struct req *r, struct viewer_call *c)
{
    (void)r;
    struct err e = {0};
    if (c->route->kind != VK_STATIC && !(c->s = store_thread(&e)))
        return viewer_fail(c, &e);
    struct resp *p = c->route->fn(c);
    if (c->s)
        store_rollback(c->s);
    return p;
}
