/* respond.c — the viewer's answers. Every one may be framed by any site (the "Your first iGUIDE"
 * tutorial embeds the plain view URL in an iframe), is never cached by the browser or a proxy
 * (access, lock and deletion can change at any moment), and carries no inline code. */
#include "viewer/viewer_int.h"

#include "core/log.h"
#include "json/jsonx.h"
#include "viewer/html.h"

#include <stdlib.h>
#include <string.h>

#define MESSAGE_MAX (64 * 1024)

void viewer_headers(struct viewer_call *c, struct resp *p, int cacheable)
{
    resp_add_header(c->r, p, "Content-Security-Policy",
                    "default-src 'self'; img-src 'self' data:; script-src 'self'; "
                    "style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors *");
    resp_add_header(c->r, p, "X-Content-Type-Options", "nosniff");
    resp_add_header(c->r, p, "Referrer-Policy", "same-origin");
    resp_add_header(c->r, p, "Cache-Control", cacheable ? "public, max-age=300" : "no-store");
    if (c->set_cookie)
        resp_add_header(c->r, p, "Set-Cookie", c->set_cookie);
}

struct resp *viewer_html(struct viewer_call *c, int status, const char *body, size_t len)
{
    struct resp *p = resp_new(c->r, status);
    if (!p || resp_set_body(c->r, p, "text/html; charset=utf-8", body, len))
        return resp_new(c->r, 503);
    viewer_headers(c, p, 0);
    return p;
}

struct resp *viewer_message_page(struct viewer_call *c, int status, const char *title,
                                 const char *text)
{
    struct buf b;
    buf_init(&b, MESSAGE_MAX);
    int rc = html_open(&b, title, "message", 0);
    if (!rc)
        rc = html_raw(&b, "<main class=\"message\">\n<h1>");
    if (!rc)
        rc = markup_escape(&b, title);
    if (!rc)
        rc = html_raw(&b, "</h1>\n<p>");
    if (!rc)
        rc = markup_escape(&b, text);
    if (!rc)
        rc = html_raw(&b, "</p>\n");
    if (!rc)
        rc = html_who(&b, c->user_email, c->csrf_token, c->r->raw_path);
    if (!rc)
        rc = html_raw(&b, "</main>\n");
    if (!rc)
        rc = html_close(&b);
    struct resp *p = rc ? resp_new(c->r, 503) : viewer_html(c, status, b.p, b.len);
    buf_free(&b);
    return p;
}

struct resp *viewer_json(struct viewer_call *c, int status, json_t *v)
{
    size_t len = 0;
    char *s = v ? jsonx_dump(v, &len) : NULL;
    json_decref(v);
    struct resp *p = resp_new(c->r, s ? status : 503);
    if (p && s && resp_set_body(c->r, p, "application/json", s, len))
        p->status = 503;
    free(s);
    if (p)
        viewer_headers(c, p, 0);
    return p;
}

struct resp *viewer_json_error(struct viewer_call *c, enum rc rc, const char *msg)
{
    return viewer_json(c, rc_http_status(rc),
                       json_pack("{s:s, s:s}", "code", rc_code(rc), "message", msg));
}

struct resp *viewer_fail(struct viewer_call *c, const struct err *e)
{
    int status = rc_http_status(e->rc);
    const char *msg = e->msg;
    if (status >= 500) {
        log_error("rid=%s viewer %s: %s", c->r->request_id, rc_name(e->rc), e->msg);
        msg = status == 503 ? "service temporarily unavailable, retry" : "internal error";
    }
    if (c->route->kind == VK_DATA)
        return viewer_json_error(c, e->rc, msg);
    if (status == 404)
        return viewer_message_page(c, 404, "iGUIDE not found",
                                   "There is no iGUIDE at this address. It may have been deleted.");
    return viewer_message_page(c, status, "Something went wrong", msg);
}

struct resp *viewer_redirect(struct viewer_call *c, const char *location)
{
    struct resp *p = resp_new(c->r, 302);
    if (!p)
        return NULL;
    resp_add_header(c->r, p, "Location", location);
    viewer_headers(c, p, 0);
    return p;
}
