/* html.h — HTML output into a bounded buffer with escaping by default: every string that comes
 * from data goes through markup_escape (core/markup.h), which is safe in element content and in
 * quoted attribute values alike. */
#ifndef GP_HTML_H
#define GP_HTML_H

#include "core/buf.h"
#include "core/markup.h"

/* Appends literal markup (never data). */
int html_raw(struct buf *b, const char *markup);

/* The document head and the start of <body class="cls">, with the title escaped; refresh_s > 0
 * adds a meta refresh (the processing page). */
int html_open(struct buf *b, const char *title, const char *body_class, int refresh_s);

/* "Signed in as <strong>email</strong>" with a sign-out button (a POST form carrying the
 * session's CSRF token and the page to come back to); nothing when either is NULL. */
int html_who(struct buf *b, const char *email, const char *csrf, const char *return_to);

/* The scripts and the end of the document. */
int html_close(struct buf *b);

#endif
