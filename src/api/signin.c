/* signin.c — GET /signin, POST /signin, POST /signout: the HTML sign-in flow for protected views
 * (docs/access.md). CSRF on the sign-in form: the browser holds a random nonce in a cookie
 * (__Host-gp_csrf over https, gp_csrf over http) and the form carries HMAC(server key, nonce), so
 * a pair an attacker makes up (the same value in cookie and field, say) fails, and a planted
 * cookie is useless without its HMAC, which only a page from this server shows; browsers that say
 * a post is cross-origin (Sec-Fetch-Site) are refused outright. Sign-out uses the session-bound
 * token kept with the session. Attempts are limited per email and per client address. Failures
 * never say whether the account exists. */
#include "api/api_int.h"

#include "api/page_reply.h"
#include "auth/password.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "http/form.h"
#include "ratelimit/ratelimit.h"
#include "auth/session.h"
#include "viewer/signin_page.h"

#include <stdio.h>
#include <string.h>

#define DEFAULT_RETURN "/signin"
#define BAD_LOGIN "The email or password is incorrect."

/* The live session of the request, or 0 (store errors count as none: the page still shows). */
static int current_session(struct api_call *c, int64_t now, struct session_row *out,
                           struct user_row *u)
{
    struct err e = {0};
    if (session_from_cookies(c->s, http_header(c->r, "Cookie"), now, c->r->arena, out, &e) !=
            RC_OK ||
        store_user_get(c->s, out->user_id, c->r->arena, u, &e) != RC_OK)
        return 0;
    return 1;
}

/* The form, with a CSRF pair: the browser's CSRF cookie when it holds a well-formed nonce, else
 * a fresh one that is set with the answer, and the nonce's HMAC in the form. */
static struct resp *form_page(struct api_call *c, int status, const char *return_to,
                              const char *email, const char *error)
{
    struct req *r = c->r;
    const char *cname = signin_csrf_cookie(r->tls);
    const char *nonce = cookie_get(http_header(r, "Cookie"), cname, r->arena);
    unsigned char h[32], key[32];
    int fresh = !nonce || secret_hash(nonce, h);
    char newnonce[SECRET_TEXT_LEN + 1], tok[SECRET_TEXT_LEN + 1];
    if (fresh) {
        if (secret_new(newnonce))
            return reply_page(r, 500, NULL);
        nonce = newnonce;
    }
    struct err e = {0};
    if (store_server_key(c->s, CSRF_KEY_NAME, key, &e) != RC_OK)
        return reply_page_err(r, &e);
    if (signin_csrf_token(key, nonce, tok))
        return reply_page(r, 500, NULL);
    struct session_row sess;
    struct user_row u;
    int in = current_session(c, clock_now_ms(), &sess, &u);
    struct signin_form f = {
        .return_to = return_to,
        .csrf = tok,
        .email = email,
        .error = error,
        .user_email = in ? u.email : NULL,
        .signout_csrf = in ? session_csrf_token(&sess, r->arena) : NULL,
    };
    struct resp *p = reply_page(r, status, page_signin(r->arena, &f));
    if (p) {
        /* The form must not be framed by another site (clickjacking of a password form). */
        resp_add_header(r, p, "X-Frame-Options", "DENY");
        resp_add_header(r, p, "Content-Security-Policy", "frame-ancestors 'none'");
        if (fresh)
            resp_add_header(r, p, "Set-Cookie",
                            cookie_format(r->arena, cname, nonce, SESSION_TTL_MS / 1000, "Lax",
                                          r->tls));
    }
    return p;
}

/* 1 when the browser says the post comes from another origin. Sec-Fetch-Site cannot be set by a
 * page's script; browsers that do not send it (and non-browser clients) are left to the token. */
static int cross_origin_post(struct req *r)
{
    const char *site = http_header(r, "Sec-Fetch-Site");
    return site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0;
}

/* RC_OK when the form's csrf field is the HMAC of the nonce in the browser's CSRF cookie, RC_DENIED
 * when not (missing, malformed, made up, or from another origin), or the store's error when the
 * key cannot be read. */
static enum rc signin_csrf_check(struct api_call *c, const char *field, struct err *e)
{
    struct req *r = c->r;
    const char *nonce = cookie_get(http_header(r, "Cookie"), signin_csrf_cookie(r->tls), r->arena);
    unsigned char key[32];
    if (cross_origin_post(r) || !field || !nonce)
        return err_set(e, RC_DENIED, "sign-in CSRF check failed");
    enum rc rc = store_server_key(c->s, CSRF_KEY_NAME, key, e);
    if (rc != RC_OK)
        return rc;
    if (!signin_csrf_ok(key, nonce, field))
        return err_set(e, RC_DENIED, "sign-in CSRF check failed");
    return RC_OK;
}

static struct resp *bad_return(struct api_call *c)
{
    return reply_page(c->r, 400,
                      page_message(c->r->arena, "Bad return address",
                                   "The return address must be a path on this site.", NULL, NULL,
                                   NULL));
}

/* The return address given (query or form), the default when none; NULL when it is not a path
 * on this site (no open redirects). */
static const char *return_to(const char *given)
{
    if (!given || !*given)
        return DEFAULT_RETURN;
    return page_local_path(given) ? given : NULL;
}

static struct resp *redirect(struct api_call *c, const char *to)
{
    struct resp *p = reply_page(c->r, 303,
                                page_message(c->r->arena, "Signed in", "Continue to the page.",
                                             NULL, NULL, NULL));
    if (p)
        resp_add_header(c->r, p, "Location", to);
    return p;
}

/* GET /signin?return=/path */
struct resp *h_signin_form(struct api_call *c)
{
    const char *ret = return_to(http_query(c->r, "return"));
    if (!ret)
        return bad_return(c);
    return form_page(c, 200, ret, NULL, NULL);
}

/* Counts one attempt for email and the client address; 0 when either is over its limit. */
static int attempt_allowed(struct api_call *c, const char *email, int64_t now, double *retry_s)
{
    struct rl_result a = {.allowed = 1}, b = {.allowed = 1};
    /* Keys are hashed so long emails are not truncated into each other by the limiter. */
    char lower[USER_EMAIL_MAX + 1];
    size_t n = strlen(email);
    if (n > USER_EMAIL_MAX)
        n = USER_EMAIL_MAX;
    for (size_t i = 0; i < n; i++)
        lower[i] = (email[i] >= 'A' && email[i] <= 'Z') ? (char)(email[i] + 32) : email[i];
    lower[n] = '\0';
    unsigned char h[32];
    crypto_sha256(lower, n, h);
    char key[40] = "e:";
    crypto_hex(h, 16, key + 2);
    if (c->cfg->signin_rl_email)
        rl_hit(c->cfg->signin_rl_email, key, now, &a);
    if (c->cfg->signin_rl_ip) {
        char ipkey[56];
        snprintf(ipkey, sizeof ipkey, "i:%s", c->r->client_addr);
        rl_hit(c->cfg->signin_rl_ip, ipkey, now, &b);
    }
    *retry_s = a.allowed ? b.reset_s : a.reset_s;
    return a.allowed && b.allowed;
}

/* POST /signin (email, password, csrf, return) */
struct resp *h_signin(struct api_call *c)
{
    struct req *r = c->r;
    const char *email = form_get(r->arena, r->body, r->body_len, "email");
    const char *pw = form_get(r->arena, r->body, r->body_len, "password");
    const char *csrf = form_get(r->arena, r->body, r->body_len, "csrf");
    const char *ret = return_to(form_get(r->arena, r->body, r->body_len, "return"));
    if (!ret)
        return bad_return(c);

    struct err e = {0};
    enum rc crc = signin_csrf_check(c, csrf, &e);
    if (crc == RC_DENIED)
        return form_page(c, 403, ret, email,
                         "This sign-in form expired or did not come from this site. "
                         "Please try again.");
    if (crc != RC_OK)
        return reply_page_err(r, &e);
    if (!email || !*email || !pw || !*pw || strlen(email) > USER_EMAIL_MAX ||
        strlen(pw) > PASSWORD_MAX)
        return form_page(c, 401, ret, email, BAD_LOGIN);

    int64_t now = clock_now_ms();
    double retry = 0;
    if (!attempt_allowed(c, email, now, &retry)) {
        struct resp *p = form_page(c, 429, ret, email,
                                   "Too many sign-in attempts. Please wait a few minutes and try "
                                   "again.");
        if (p) {
            char v[32];
            snprintf(v, sizeof v, "%.0f", retry < 1 ? 1 : retry + 0.5);
            resp_add_header(r, p, "Retry-After", v);
        }
        return p;
    }

    struct user_row u;
    enum rc rc = store_user_by_email(c->s, email, r->arena, &u, &e);
    if (rc != RC_OK && rc != RC_NOTFOUND)
        return reply_page_err(r, &e);
    /* Unknown and disabled accounts cost the same argon2id run as a wrong password. */
    int ok = password_verify(rc == RC_OK ? u.password_hash : NULL, pw);
    if (!ok || rc != RC_OK || u.disabled)
        return form_page(c, 401, ret, email, BAD_LOGIN);

    /* A fresh session every time; the one the browser held (if any) is ended, so a session id
     * planted before sign-in is never promoted (session fixation). */
    const char *old = cookie_get(http_header(r, "Cookie"), SESSION_COOKIE, r->arena);
    unsigned char oldid[32];
    char secret[SECRET_TEXT_LEN + 1];
    struct session_row sess;
    if (store_begin(c->s, 1, &e) != RC_OK ||
        (old && !secret_hash(old, oldid) && store_session_delete(c->s, oldid, &e) != RC_OK) ||
        session_start(c->s, u.id, now, secret, &sess, &e) != RC_OK ||
        store_commit(c->s, &e) != RC_OK) {
        store_rollback(c->s);
        return reply_page_err(r, &e);
    }
    struct resp *p = redirect(c, ret);
    if (p)
        resp_add_header(r, p, "Set-Cookie",
                        cookie_format(r->arena, SESSION_COOKIE, secret, SESSION_TTL_MS / 1000,
                                      "Lax", r->tls));
    return p;
}

/* POST /signout (csrf, return): needs the session's own CSRF token. */
struct resp *h_signout(struct api_call *c)
{
    struct req *r = c->r;
    const char *csrf = form_get(r->arena, r->body, r->body_len, "csrf");
    const char *ret = return_to(form_get(r->arena, r->body, r->body_len, "return"));
    if (!ret)
        return bad_return(c);
    struct session_row sess;
    struct user_row u;
    struct err e = {0};
    if (current_session(c, clock_now_ms(), &sess, &u)) {
        if (!session_csrf_ok(&sess, csrf))
            return reply_page(r, 403,
                              page_message(r->arena, "Sign-out refused",
                                           "This sign-out request did not come from this site.",
                                           NULL, NULL, NULL));
        if (store_session_delete(c->s, sess.id, &e) != RC_OK)
            return reply_page_err(r, &e);
    }
    struct resp *p = reply_page(r, 303,
                                page_message(r->arena, "Signed out", "You are signed out.", NULL,
                                             NULL, NULL));
    if (p) {
        resp_add_header(r, p, "Location", ret);
        resp_add_header(r, p, "Set-Cookie",
                        cookie_format(r->arena, SESSION_COOKIE, "", 0, "Lax", r->tls));
    }
    return p;
}
