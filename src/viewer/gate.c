/* gate.c — the order every view route follows: a view that does not exist (never did, deleted,
 * or its iGUIDE deleted) is 404 on every surface; then the one access decision (viewer/access.h)
 * — sign in (302, or 401 for the data API), Access Denied (403) — so a protected view reveals
 * nothing, not even whether it is locked, to someone who may not see it; then the lock
 * (viewer/expiry.h) and readiness, which each handler applies in its own way. */
#include "viewer/viewer_int.h"

#include "core/clock.h"
#include "core/ids.h"
#include "viewer/access.h"
#include "viewer/expiry.h"

#include <stdio.h>
#include <string.h>

#define ALIAS_MAX 160

/* Aliases are slugs (core/slug.h) with an optional _N suffix: [a-z0-9_]. */
static int alias_shaped(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > ALIAS_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return 0;
    return 1;
}

/* The path and query as received, percent-encoded for a query parameter value. */
static const char *return_url(struct viewer_call *c)
{
    const char *q = http_raw_query(c->r);
    const char *raw = arena_printf(c->r->arena, "%s%s%s", c->r->raw_path, *q ? "?" : "", q);
    if (!raw)
        return NULL;
    size_t n = strlen(raw);
    char *out = arena_alloc(c->r->arena, 3 * n + 1), *o = out;
    if (!out)
        return NULL;
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)raw; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p)) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    return out;
}

struct resp *viewer_gate(struct viewer_call *c, const char *key)
{
    struct err e = {0};
    struct arena *a = c->r->arena;
    enum rc rc;
    if (id_valid(ID_VIEW, key))
        rc = store_view_get(c->s, key, a, &c->v, &e);
    else if (alias_shaped(key))
        rc = store_view_by_alias(c->s, key, a, &c->v, &e);
    else
        rc = err_set(&e, RC_NOTFOUND, "view not found");
    if (rc == RC_OK)
        rc = store_iguide_get(c->s, c->v.iguide_id, a, &c->g, &e);
    if (rc == RC_NOTFOUND)
        err_set(&e, RC_NOTFOUND, "view not found");
    if (rc != RC_OK)
        return viewer_fail(c, &e);

    c->now = clock_now_ms();
    struct access_request rq = {
        .authtoken = http_query(c->r, "authtoken"),
        .cookie_header = http_header(c->r, "Cookie"),
        .tls = c->r->tls,
    };
    struct access_decision d = {0};
    if (access_decide(c->s, &c->v, &rq, c->now, a, &d, &e) != RC_OK)
        return viewer_fail(c, &e);
    switch (d.verdict) {
    case ACCESS_ALLOW:
        break;
    case ACCESS_SIGN_IN:
        if (c->route->kind == VK_DATA)
            return viewer_json_error(c, RC_UNAUTH,
                                     "this view is protected: sign in or present an access token");
        {
            const char *ret = return_url(c);
            const char *loc = ret ? arena_printf(a, "/signin?return=%s", ret) : NULL;
            return loc ? viewer_redirect(c, loc) : resp_new(c->r, 503);
        }
    case ACCESS_DENIED:
    default:
        if (c->route->kind == VK_DATA)
            return viewer_json_error(c, RC_DENIED, "Access Denied");
        c->user_email = d.user_email;
        c->csrf_token = d.csrf_token;
        return viewer_message_page(c, 403, "Access Denied",
                                   "Your account may not see this iGUIDE. Ask its owner to add you "
                                   "to the view's viewers.");
    }
    c->set_cookie = d.set_cookie;
    c->user_email = d.user_email;
    c->csrf_token = d.csrf_token;
    c->locked = view_locked(c->v.expires_at, c->now);
    c->ready = c->g.initial_status && strcmp(c->g.initial_status, "done") == 0;
    return NULL;
}
