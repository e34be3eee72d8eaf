/* viewer_int.h — what the viewer's handlers share: the per-request call, the route entry, the
 * gate every view route passes (resolve → access → lock), and the response helpers that put the
 * viewer's headers (embeddable anywhere, never cached) on every answer. */
#ifndef GP_VIEWER_INT_H
#define GP_VIEWER_INT_H

#include "http/router.h"
#include "store/store.h"
#include "viewer/viewer.h"

#include <jansson.h>

/* How a route answers when it cannot serve: pages and media with HTML pages and redirects, the
 * data API with JSON bodies. */
enum viewer_kind { VK_PAGE, VK_MEDIA, VK_DATA, VK_STATIC };

struct viewer_call;
typedef struct resp *(*viewer_handler)(struct viewer_call *c);

struct viewer_route {
    struct route_key key;
    viewer_handler fn;
    enum viewer_kind kind;
};

struct viewer_call {
    struct req *r;
    const struct viewer_config *cfg;
    const struct viewer_route *route;
    struct route_match m;
    struct store *s;
    /* Filled by viewer_gate. */
    struct view_row v;
    struct iguide_row g;
    int64_t now;
    int locked;                  /* viewer/expiry.h */
    int ready;                   /* the initial work order is done */
    const char *set_cookie;      /* from the access decision, sent with the answer */
    const char *user_email;      /* the signed-in account, or NULL */
    const char *csrf_token;      /* its session's CSRF token (the sign-out form), or NULL */
};

/* The captured route parameter (present by construction of the table). */
const char *viewer_param(const struct viewer_call *c, const char *name);

/* Resolves the view named by key (a view id, or an alias for its iGUIDE's default view), then
 * decides access and reads the lock and readiness into c. NULL when the request may go on; else
 * the answer: 404 (no such view), 302 to sign in or 401 (data), 403 Access Denied, 5xx. */
struct resp *viewer_gate(struct viewer_call *c, const char *key);

/* A complete HTML answer with the viewer's headers; body is the whole document. */
struct resp *viewer_html(struct viewer_call *c, int status, const char *body, size_t len);

/* A simple HTML page (the 404, Access Denied and error pages): heading and one paragraph. */
struct resp *viewer_message_page(struct viewer_call *c, int status, const char *title,
                                 const char *text);

/* A JSON answer (steals v) with the viewer's headers. */
struct resp *viewer_json(struct viewer_call *c, int status, json_t *v);

/* {"code": rc's platform code, "message": msg} with rc's status. */
struct resp *viewer_json_error(struct viewer_call *c, enum rc rc, const char *msg);

/* An error from the store: JSON for the data API, an HTML page otherwise; internals only logged. */
struct resp *viewer_fail(struct viewer_call *c, const struct err *e);

/* 302 to location (a path on this server). */
struct resp *viewer_redirect(struct viewer_call *c, const char *location);

/* Adds the viewer's headers (framing, content type sniffing, caching, the access cookie). */
void viewer_headers(struct viewer_call *c, struct resp *p, int cacheable);

/* Handlers. */
struct resp *vh_page(struct viewer_call *c);
struct resp *vh_embed(struct viewer_call *c);
struct resp *vh_doc(struct viewer_call *c);
struct resp *vh_pano(struct viewer_call *c);
struct resp *vh_status(struct viewer_call *c);
struct resp *vh_summary(struct viewer_call *c);
struct resp *vh_autofill(struct viewer_call *c);
struct resp *vh_static(struct viewer_call *c);
struct resp *vh_iguide(struct viewer_call *c);

#endif
