/* signin_page.c — the sign-in flow's HTML (signin_page.h). One layout; all outside text escaped. */
#include "viewer/signin_page.h"

#include "core/buf.h"
#include "viewer/html.h"

#include <string.h>

char *html_escape(struct arena *a, const char *s)
{
    if (!s)
        return NULL;
    struct buf b;
    buf_init(&b, strlen(s) * 6 + 1);
    char *out = markup_escape(&b, s) == 0 ? arena_strndup(a, b.p ? b.p : "", b.len) : NULL;
    buf_free(&b);
    return out;
}

static const char head[] =
    "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "<meta name=\"robots\" content=\"noindex\"><title>%s — Guidepost</title>"
    "<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem;"
    "color:#222}h1{font-size:1.4rem}label{display:block;margin:.8rem 0 .2rem}"
    "input[type=email],input[type=password]{width:100%%;padding:.5rem;box-sizing:border-box}"
    "button{margin-top:1rem;padding:.5rem 1.2rem}.error{color:#a00;background:#fee;padding:.6rem;"
    "border-radius:4px}.who{color:#555;font-size:.9rem}</style></head><body>\n";

/* The "signed in as ... [Sign out]" line, or "". */
static char *who_line(struct arena *a, const char *user_email, const char *csrf,
                      const char *return_to)
{
    if (!user_email || !csrf)
        return "";
    return arena_printf(a,
                        "<form class=\"who\" method=\"post\" action=\"/signout\">Signed in as "
                        "<strong>%s</strong>. <input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                        "<input type=\"hidden\" name=\"return\" value=\"%s\">"
                        "<button type=\"submit\">Sign out</button></form>\n",
                        html_escape(a, user_email), html_escape(a, csrf),
                        html_escape(a, return_to ? return_to : "/signin"));
}

char *page_signin(struct arena *a, const struct signin_form *f)
{
    char *t = arena_printf(a, head, "Sign in");
    const char *err = f->error ? arena_printf(a, "<p class=\"error\" role=\"alert\">%s</p>\n",
                                              html_escape(a, f->error))
                               : "";
    const char *who = who_line(a, f->user_email, f->signout_csrf, "/signin");
    if (!t || !err || !who)
        return NULL;
    return arena_printf(
        a,
        "%s<h1>Sign in</h1>\n<p>Sign in to see this iGUIDE.</p>\n%s%s"
        "<form method=\"post\" action=\"/signin\">\n"
        "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
        "<input type=\"hidden\" name=\"return\" value=\"%s\">\n"
        "<label for=\"email\">Email</label>"
        "<input id=\"email\" type=\"email\" name=\"email\" value=\"%s\" autocomplete=\"username\" "
        "required autofocus>\n"
        "<label for=\"password\">Password</label>"
        "<input id=\"password\" type=\"password\" name=\"password\" "
        "autocomplete=\"current-password\" required>\n"
        "<button type=\"submit\">Sign in</button>\n</form>\n</body></html>\n",
        t, err, who, html_escape(a, f->csrf), html_escape(a, f->return_to),
        f->email ? html_escape(a, f->email) : "");
}

char *page_message(struct arena *a, const char *title, const char *message,
                   const char *user_email, const char *signout_csrf, const char *return_to)
{
    char *t = arena_printf(a, head, html_escape(a, title));
    const char *who = who_line(a, user_email, signout_csrf, return_to);
    if (!t || !who)
        return NULL;
    return arena_printf(a, "%s<h1>%s</h1>\n<p>%s</p>\n%s</body></html>\n", t,
                        html_escape(a, title), html_escape(a, message), who);
}
