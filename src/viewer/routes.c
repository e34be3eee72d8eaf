/* routes.c — THE viewer route table, and its mount: only GET and HEAD. The viewer is mounted
 * last on the front door, after the S3 endpoint, the Portal API (which claims everything under
 * /api, /_test and /healthz) and the sign-in pages, so a view id or an alias can never shadow one
 * of their routes. The specific patterns come before /{key}. */
#include "viewer/viewer_int.h"

#include "core/arena.h"

#include <string.h>

static const struct viewer_route routes[] = {
    {{"GET", "/static/{file}"}, vh_static, VK_STATIC},
    {{"GET", "/embed/{key}"}, vh_embed, VK_PAGE},
    {{"GET", "/iguides/{iguideId}"}, vh_iguide, VK_PAGE},
    /* The ready event's manageUrl: Guidepost has no Portal UI, so it shows the default view. */
    {{"GET", "/iguides/edit/{iguideId}"}, vh_iguide, VK_PAGE},
    {{"GET", "/{key}/doc/{name}"}, vh_doc, VK_MEDIA},
    {{"GET", "/{key}/pano/{file}"}, vh_pano, VK_MEDIA},
    {{"GET", "/{key}/data/status"}, vh_status, VK_DATA},
    {{"GET", "/{key}/data/summary"}, vh_summary, VK_DATA},
    {{"GET", "/{key}/reso/autofill"}, vh_autofill, VK_DATA},
    {{"GET", "/{key}"}, vh_page, VK_PAGE},
};

const char *viewer_param(const struct viewer_call *c, const char *name)
{
    const char *v = route_param(&c->m, name);
    return v ? v : "";
}

static int on_headers(struct req *r, void *ctx)
{
    const struct viewer_config *cfg = ctx;
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
    r->app_state = c;
    return 1;
}

static struct resp *on_request(struct req *r, void *ctx)
{
    (void)ctx;
    struct viewer_call *c = r->app_state;
    struct err e = {0};
    if (c->route->kind != VK_STATIC && !(c->s = store_thread(&e)))
        return viewer_fail(c, &e);
    struct resp *p = c->route->fn(c);
    if (c->s)
        store_rollback(c->s);
    return p;
}

int viewer_mount(struct viewer_config *cfg, struct http_app *app)
{
    struct http_mount m = {"viewer", NULL, on_headers, on_request, cfg};
    return http_mount_add(app, &m);
}
