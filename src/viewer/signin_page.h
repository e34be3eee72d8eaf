/* signin_page.h — the HTML of the sign-in flow: the sign-in form, the messages of the access
 * decision (Access Denied, not found, errors); the view pages are viewer/page.h. Pure: strings in,
 * escaped HTML out (arena); every value from outside is escaped. */
#ifndef GP_SIGNIN_PAGE_H
#define GP_SIGNIN_PAGE_H

#include "core/arena.h"

/* s with & < > " ' escaped, in a (NULL for NULL). */
char *html_escape(struct arena *a, const char *s);

struct signin_form {
    const char *return_to;      /* the local path to go to after signing in */
    const char *csrf;           /* HMAC of the nonce in the CSRF cookie (viewer/session.h) */
    const char *email;          /* to fill in again after a failure, or NULL */
    const char *error;          /* shown above the form, or NULL */
    const char *user_email;     /* already signed in as, or NULL */
    const char *signout_csrf;   /* that session's CSRF token, for the sign-out button */
};

/* The sign-in page. NULL when out of memory. */
char *page_signin(struct arena *a, const struct signin_form *f);

/* A page with a heading and one message; with user_email and signout_csrf set it names the
 * account and offers to sign out (so a denied visitor can switch accounts). */
char *page_message(struct arena *a, const char *title, const char *message,
                   const char *user_email, const char *signout_csrf, const char *return_to);

#endif
