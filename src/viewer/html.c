/* html.c — the document shell shared by every viewer page. Styles and scripts are
 * files under /static (served from the binary), so the pages carry no inline code and the
 * Content-Security-Policy can forbid it. */
#include "viewer/html.h"

#include <string.h>

int html_raw(struct buf *b, const char *markup)
{
    return buf_puts(b, markup);
}

int html_open(struct buf *b, const char *title, const char *body_class, int refresh_s)
{
    int rc = html_raw(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    if (!rc && refresh_s > 0)
        rc = buf_printf(b, "<meta http-equiv=\"refresh\" content=\"%d\">\n", refresh_s);
    if (!rc)
        rc = html_raw(b, "<title>");
    if (!rc)
        rc = markup_escape(b, title);
    if (!rc)
        rc = html_raw(b, "</title>\n<link rel=\"stylesheet\" href=\"/static/viewer.css\">\n"
                         "</head>\n<body class=\"");
    if (!rc)
        rc = markup_escape(b, body_class);
    if (!rc)
        rc = html_raw(b, "\">\n");
    return rc;
}

int html_who(struct buf *b, const char *email, const char *csrf, const char *return_to)
{
    if (!email || !csrf)
        return 0;
    int rc = html_raw(b, "<form class=\"who\" method=\"post\" action=\"/signout\">Signed in as "
                         "<strong>");
    if (!rc)
        rc = markup_escape(b, email);
    if (!rc)
        rc = html_raw(b, "</strong>. <input type=\"hidden\" name=\"csrf\" value=\"");
    if (!rc)
        rc = markup_escape(b, csrf);
    if (!rc)
        rc = html_raw(b, "\"><input type=\"hidden\" name=\"return\" value=\"");
    if (!rc)
        rc = markup_escape(b, return_to);
    if (!rc)
        rc = html_raw(b, "\"><button type=\"submit\">Sign out</button></form>\n");
    return rc;
}

int html_close(struct buf *b)
{
    return html_raw(b, "<script src=\"/static/viewer.js\"></script>\n</body>\n</html>\n");
}
