/* dispatch.c — the one path every Portal API request takes: route, authenticate, count against
 * the rate limit, check the scope, set the body limit (on_headers, before any body byte); then
 * parse the body and run the handler (on_request). Rate-limit headers go on every authenticated
 * answer. The same machinery serves two mounts: the API (JSON answers, under /api, /_test and
 * /healthz) and the sign-in pages (HTML answers, /signin and /signout). */
#include "api/api_int.h"
#include "api/page_reply.h"

#include "core/clock.h"
#include "json/jsonx.h"
#include "ratelimit/ratelimit.h"

#include <stdio.h>
#include <string.h>

struct call_state {
    struct api_call call;
    int limited;                 /* rate-limit headers to add */
    struct rl_result rl;
};

/* One mount's view of the dispatcher: its route table and the shape of its errors. */
struct api_mount {
    struct api_config *cfg;
    const struct api_route *routes;
    size_t nroutes;
    int html;                    /* people read its answers: errors as pages */
    int decline_unrouted;        /* a path its table does not know goes on to the next mount */
};

/* The process serves one Portal API: its two mounts live as long as the program. */
static struct api_mount mount_api, mount_pages;

const char *api_param(const struct api_call *c, const char *name)
{
    const char *v = route_param(&c->m, name);
    return v ? v : "";
}

static void add_rl_headers(struct req *r, struct resp *p, const struct rl_result *rl)
{
    char v[32];
    snprintf(v, sizeof v, "%d", rl->limit);
    resp_add_header(r, p, "X-RateLimit-Second-Limit", v);
    snprintf(v, sizeof v, "%d", rl->remaining < 0 ? 0 : rl->remaining);
    resp_add_header(r, p, "X-RateLimit-Second-AmountRemaining", v);
    snprintf(v, sizeof v, "%.2f", rl->reset_s < 0.01 ? 0.01 : rl->reset_s);
    resp_add_header(r, p, "X-RateLimit-Second-Reset", v);
}

static int on_headers(struct req *r, void *ctx)
{
    struct api_mount *mt = ctx;
    struct api_config *cfg = mt->cfg;
    struct route_match m;
    char allow[64];
    enum rc rc = router_match(mt->routes, mt->nroutes, sizeof mt->routes[0], r->method, r->path,
                              &m, allow, sizeof allow);
    if (rc == RC_OK && ((mt->routes[m.index].auth == AUTH_TESTCLOCK && !cfg->test_clock) ||
                        (mt->routes[m.index].auth == AUTH_TESTFAULTS && !cfg->test_faults)))
        rc = RC_NOTFOUND;
    if (rc == RC_NOTFOUND && mt->decline_unrouted)
        return 0;
    struct call_state *cs = arena_alloc(r->arena, sizeof *cs);
    if (!cs) {
        r->early = reply_error(r, RC_NOMEM, "out of memory");
        return 1;
    }
    r->app_state = cs;
    struct api_call *c = &cs->call;
    c->r = r;
    c->cfg = cfg;
    c->m = m;
    /* Bodies on routes that take none are still read (and ignored) up to the JSON limit, so a
     * stray "{}" from a client does not break keep-alive. */
    r->body_limit = cfg->json_body_limit;
    if (rc == RC_NOTFOUND) {
        char msg[200];
        snprintf(msg, sizeof msg, "no route for %.16s %.150s", r->method, r->path);
        r->early = reply_error(r, RC_NOTFOUND, msg);
        return 1;
    }
    if (rc == RC_METHOD) {
        char msg[120];
        snprintf(msg, sizeof msg, "method %.16s is not allowed here; allowed: %s", r->method, allow);
        struct err me = {.rc = RC_METHOD};
        snprintf(me.msg, sizeof me.msg, "%s", msg);
        r->early = mt->html ? reply_page_err(r, &me) : reply_error(r, RC_METHOD, msg);
        if (r->early)
            resp_add_header(r, r->early, "Allow", allow);
        return 1;
    }
    c->route = &mt->routes[m.index];

    if (c->route->body == BODY_FORM)
        r->body_limit = FORM_BODY_LIMIT;
    if (c->route->auth != AUTH_TOKEN)
        return 1;
    struct err e = {0};
    c->s = store_thread(&e);
    if (!c->s) {
        r->early = reply_err(r, &e);
        return 1;
    }
    /* Two copies of a credential header are ambiguous (which one would a proxy have checked?):
     * refuse rather than pick one. */
    if (http_header_count(r, "X-Plntr-App-Id") > 1 || http_header_count(r, "X-Plntr-App-Token") > 1)
        rc = err_set(&e, RC_UNAUTH, "Unauthorized request");
    else
        rc = auth_verify(c->s, http_header(r, "X-Plntr-App-Id"),
                         http_header(r, "X-Plntr-App-Token"), r->arena, &c->who, &e);
    if (rc != RC_OK) {
        r->early = reply_err(r, &e);
        return 1;
    }
    r->log_principal = c->who.app_id;
    rl_hit(cfg->rl, c->who.app_id, clock_now_ms(), &cs->rl);
    cs->limited = 1;
    if (!cs->rl.allowed) {
        /* The rate-limiting guide's body is exactly {"code":"resource_exhausted"}. */
        struct resp *p = resp_new(r, 429);
        static const char body[] = "{\"code\":\"resource_exhausted\"}";
        if (p && resp_set_body(r, p, "application/json", body, sizeof body - 1) == 0) {
            char v[32];
            snprintf(v, sizeof v, "%.2f", cs->rl.reset_s < 0.01 ? 0.01 : cs->rl.reset_s);
            resp_add_header(r, p, "Retry-After", v);
            add_rl_headers(r, p, &cs->rl);
        }
        r->early = p;
        return 1;
    }
    if (c->route->any_of && !(c->who.scopes & c->route->any_of)) {
        char need[200];
        scope_format(c->route->any_of, need, sizeof need);
        char msg[260];
        snprintf(msg, sizeof msg, "this token lacks the scope for this operation (one of: %s)", need);
        r->early = reply_error(r, RC_DENIED, msg);
        if (r->early)
            add_rl_headers(r, r->early, &cs->rl);
    }
    return 1;
}

static void decref(void *p)
{
    json_decref(p);
}

static struct resp *on_request(struct req *r, void *ctx)
{
    (void)ctx;
    struct call_state *cs = r->app_state;
    struct api_call *c = &cs->call;
    struct resp *p;
    struct err e = {0};
    if (!c->s && !(c->s = store_thread(&e))) {
        p = reply_err(r, &e);
    } else if (c->route->body == BODY_JSON &&
               jsonx_parse_object(r->body, r->body_len, &c->body, &e) != RC_OK) {
        p = reply_err(r, &e);
    } else {
        if (c->body && arena_defer(r->arena, decref, c->body)) {
            json_decref(c->body);
            c->body = NULL;
            return reply_error(r, RC_NOMEM, "out of memory");
        }
        p = c->route->fn(c);
        if (c->s)
            store_rollback(c->s);   /* a handler that bailed out mid-transaction */
    }
    if (p && cs->limited)
        add_rl_headers(r, p, &cs->rl);
    return p;
}

static const char *const api_prefixes[] = {"/api", "/_test", "/healthz", NULL};
static const char *const page_prefixes[] = {"/signin", "/signout", NULL};

int api_mount(struct api_config *cfg, struct http_app *app)
{
    mount_api = (struct api_mount){cfg, api_routes, api_nroutes, 0, 0};
    mount_pages = (struct api_mount){cfg, page_routes, page_nroutes, 1, 1};
    struct http_mount api = {"api", api_prefixes, on_headers, on_request, &mount_api};
    struct http_mount pages = {"signin pages", page_prefixes, on_headers, on_request, &mount_pages};
    return http_mount_add(app, &api) || http_mount_add(app, &pages) ? -1 : 0;
}
