/* page_reply.c — HTML responses and the local-path rule that keeps return URLs from becoming
 * open redirects. */
#include "api/page_reply.h"

#include "core/log.h"
#include "viewer/signin_page.h"

#include <string.h>

struct resp *reply_page(struct req *r, int status, const char *html)
{
    static const char fallback[] = "<!doctype html><title>Error</title><h1>Internal error</h1>";
    if (!html) {
        status = 500;
        html = fallback;
    }
    struct resp *p = resp_new(r, status);
    if (!p || resp_set_body(r, p, "text/html; charset=utf-8", html, strlen(html)))
        return NULL;
    resp_add_header(r, p, "Cache-Control", "no-store");
    resp_add_header(r, p, "X-Content-Type-Options", "nosniff");
    resp_add_header(r, p, "Referrer-Policy", "same-origin");
    return p;
}

struct resp *reply_page_err(struct req *r, const struct err *e)
{
    int status = rc_http_status(e->rc);
    const char *title = "Error", *msg = e->msg;
    if (status >= 500) {
        log_error("rid=%s %s: %s", r->request_id, rc_name(e->rc), e->msg);
        title = "Something went wrong";
        msg = "The server could not answer this request. Please try again later.";
    } else if (status == 404) {
        title = "Not found";
    }
    return reply_page(r, status, page_message(r->arena, title, msg, NULL, NULL, NULL));
}

int page_local_path(const char *s)
{
    if (!s || s[0] != '/' || s[1] == '/' || s[1] == '\\')
        return 0;
    size_t n = strlen(s);
    if (n > 2048)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || s[i] == '\\')
            return 0;
    return 1;
}
