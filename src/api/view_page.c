/* view_page.c — GET /{viewId}: the view's public page as far as access goes (View access,
 * expiration & deletion guide, "HTTP responses for protected views"): 302 to the sign-in page
 * when nobody is signed in, 403 "Access Denied" for a signed-in account that is not allowed, and
 * 200 otherwise, with a page naming the iGUIDE and saying whether it is ready, processing or
 * locked. The full viewer (plans, panoramas, measurements) renders on top of the same decision. */
#include "api/api_int.h"

#include "api/page_reply.h"
#include "core/clock.h"
#include "core/ids.h"
#include "http/form.h"
#include "viewer/access.h"
#include "viewer/expiry.h"
#include "viewer/signin_page.h"

#include <string.h>

static struct resp *not_found(struct api_call *c)
{
    return reply_page(c->r, 404,
                      page_message(c->r->arena, "Not found",
                                   "There is no iGUIDE at this address. It may have been deleted.",
                                   NULL, NULL, NULL));
}

/* GET /{viewId} */
struct resp *h_view_page(struct api_call *c)
{
    struct req *r = c->r;
    const char *vid = api_param(c, "viewId");
    if (!id_valid(ID_VIEW, vid))
        return not_found(c);
    struct err e = {0};
    struct view_row v;
    enum rc rc = store_view_get(c->s, vid, r->arena, &v, &e);
    if (rc == RC_NOTFOUND)
        return not_found(c);
    if (rc != RC_OK)
        return reply_page_err(r, &e);
    int64_t now = clock_now_ms();
    struct access_request rq = {
        .authtoken = http_query(r, "authtoken"),
        .cookie_header = http_header(r, "Cookie"),
        .tls = r->tls,
    };
    struct access_decision d;
    if (access_decide(c->s, &v, &rq, now, r->arena, &d, &e) != RC_OK)
        return reply_page_err(r, &e);
    const char *self = arena_printf(r->arena, "/%s", v.id);
    struct resp *p;
    switch (d.verdict) {
    case ACCESS_SIGN_IN: {
        const char *ret = form_encode(r->arena, self ? self : "/");
        p = reply_page(r, 302,
                       page_message(r->arena, "Sign in required",
                                    "This iGUIDE is protected. Sign in to see it.", NULL, NULL,
                                    NULL));
        if (p)
            resp_add_header(r, p, "Location", arena_printf(r->arena, "/signin?return=%s", ret));
        return p;
    }
    case ACCESS_DENIED:
        return reply_page(r, 403,
                          page_message(r->arena, "Access Denied",
                                       "Your account does not have access to this iGUIDE.",
                                       d.user_email, d.csrf_token, self));
    case ACCESS_ALLOW:
        break;
    }
    struct iguide_row g;
    if ((rc = store_iguide_get(c->s, v.iguide_id, r->arena, &g, &e)) != RC_OK)
        return rc == RC_NOTFOUND ? not_found(c) : reply_page_err(r, &e);
    const char *state = view_locked(v.expires_at, now)          ? "locked"
                        : g.initial_status && strcmp(g.initial_status, "done") == 0 ? "ready"
                                                                                     : "processing";
    const char *addr = arena_printf(
        r->arena, "%s%s%s %s, %s, %s %s", g.addr.unit_number ? g.addr.unit_number : "",
        g.addr.unit_number ? "-" : "", g.addr.street_number, g.addr.street_name, g.addr.city,
        g.addr.province_state, g.addr.postal_code);
    p = reply_page(r, 200, page_view_state(r->arena, v.id, addr, state, d.user_email,
                                           d.csrf_token));
    if (p && d.set_cookie)
        resp_add_header(r, p, "Set-Cookie", d.set_cookie);
    if (p && v.is_protected)
        resp_add_header(r, p, "X-Robots-Tag", "noindex");
    return p;
}
