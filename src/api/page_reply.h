/* page_reply.h — HTML answers of the routes outside /api/v1 (sign-in, view pages): a page body,
 * never cached, never sniffed; errors as a readable page rather than JSON. */
#ifndef GP_PAGE_REPLY_H
#define GP_PAGE_REPLY_H

#include "core/rc.h"
#include "http/http.h"

/* An HTML response with html (arena) as its body; a plain 500 page when html is NULL. */
struct resp *reply_page(struct req *r, int status, const char *html);

/* A page with title and message and rc's HTTP status (internal detail is logged, not shown). */
struct resp *reply_page_err(struct req *r, const struct err *e);

/* 1 when s is a safe place to send a browser back to: a local absolute path ("/..." but not
 * "//..." or "/\\..."), at most 2048 bytes, without control characters or backslashes. */
int page_local_path(const char *s);

#endif
