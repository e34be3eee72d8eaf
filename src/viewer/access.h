/* access.h — the one decision, for a view's page, embed, assets and public data API alike, of who
 * may see it (View access, expiration & deletion guide, "Access modes"): public → allowed;
 * protected → a valid view access token (?authtoken=, then its cookie), or a signed-in account
 * that is a viewer, in a viewer group, the manager or an editor; nobody signed in → sign in;
 * anybody else → Access Denied. Expiry (locking) is decided separately (viewer/expiry.h). */
#ifndef GP_ACCESS_H
#define GP_ACCESS_H

#include "core/arena.h"
#include "core/rc.h"
#include "store/store.h"

#include <stdint.h>

enum access_verdict {
    ACCESS_ALLOW,        /* 200 */
    ACCESS_SIGN_IN,      /* 302 to the sign-in page with a return URL (pages); 401-like for data */
    ACCESS_DENIED,       /* 403 "Access Denied" */
};

/* What the request brings; strings may be NULL. */
struct access_request {
    const char *authtoken;      /* the ?authtoken= query parameter */
    const char *cookie_header;  /* the raw Cookie header */
    int tls;                    /* the request came over HTTPS (cookies get Secure) */
};

/* Why the verdict was reached, for logs and tests. */
enum access_reason {
    ACCESS_BY_PUBLIC,           /* the view is public */
    ACCESS_BY_TOKEN,            /* a valid ?authtoken= (set_cookie is set) */
    ACCESS_BY_TOKEN_COOKIE,     /* a valid gp_at_<viewId> cookie */
    ACCESS_BY_MANAGER,          /* an operator account: the manager of every iGUIDE */
    ACCESS_BY_EDITOR,           /* listed in the iGUIDE's editors */
    ACCESS_BY_VIEWER,           /* listed in the view's viewers */
    ACCESS_BY_GROUP,            /* member of one of the view's viewer groups */
    ACCESS_NOBODY,              /* SIGN_IN: nobody signed in, no valid token */
    ACCESS_NOT_AUTHORIZED       /* DENIED: signed in, on none of the lists */
};

struct access_decision {
    enum access_verdict verdict;
    enum access_reason reason;
    const char *user_id;        /* the signed-in account, or NULL */
    const char *user_email;     /* its email, or NULL */
    const char *csrf_token;     /* its session's CSRF token (for a sign-out form), or NULL */
    /* A Set-Cookie header value to send with the answer (arena), or NULL: set when a valid
     * ?authtoken= was accepted, so the page's assets load with the cookie. */
    const char *set_cookie;
};

/* Decides for view v at time now (the signed-in account is looked up for public views too, so
 * pages can name it). Unknown, expired or foreign access tokens and sessions count
 * as absent. RC_OK with *out filled, or a store error. */
enum rc access_decide(struct store *s, const struct view_row *v, const struct access_request *rq,
                      int64_t now, struct arena *a, struct access_decision *out, struct err *e);

#endif
