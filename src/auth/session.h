/* session.h — browser credentials, for the viewer, the sign-in pages and the Portal to come:
 * cookies, sign-in sessions and view access tokens (docs/access.md). A session is a random 32-byte
 * secret held in the gp_session cookie; the store keeps only its SHA-256, with the account and a
 * session-bound CSRF secret. A view
 * access token ("gpat_" + 43 base64url characters) is per view, read-only and valid 3 weeks; the
 * store keeps its SHA-256. */
#ifndef GP_SESSION_H
#define GP_SESSION_H

#include "core/arena.h"
#include "core/rc.h"
#include "store/people.h"

#include <stdint.h>

#define SESSION_COOKIE "gp_session"
#define CSRF_COOKIE "gp_csrf"                 /* the sign-in form's CSRF nonce, over http */
#define CSRF_COOKIE_TLS "__Host-gp_csrf"      /* the same over https: no other origin can set it */
#define CSRF_KEY_NAME "signin-csrf"           /* the server key (store_server_key) of its HMAC */
#define VTOKEN_COOKIE_PREFIX "gp_at_"         /* + the view id */
#define SESSION_TTL_MS (14LL * 24 * 3600 * 1000)
#define VTOKEN_TTL_MS (21LL * 24 * 3600 * 1000)   /* 3 weeks (View access guide) */
#define VTOKEN_PREFIX "gpat_"
#define SECRET_TEXT_LEN 43                    /* base64url of 32 bytes, unpadded */
#define COOKIE_VALUE_MAX 256

/* The value of the first cookie called name in a raw Cookie header (arena), or NULL. Values
 * longer than COOKIE_VALUE_MAX count as absent. */
const char *cookie_get(const char *header, const char *name, struct arena *a);

/* A Set-Cookie value (arena): name=value; Path=/; Max-Age; HttpOnly; SameSite=same_site and
 * Secure when tls. max_age_s 0 deletes the cookie. NULL when out of memory. */
const char *cookie_format(struct arena *a, const char *name, const char *value, int64_t max_age_s,
                          const char *same_site, int tls);

/* 32 random bytes as unpadded base64url (43 characters + NUL); 0 or -1. */
int secret_new(char out[SECRET_TEXT_LEN + 1]);

/* SHA-256 of the base64url secret text; -1 unless text is exactly a 43-character secret. */
int secret_hash(const char *text, unsigned char out[32]);

/* Starts a session for user_id at now: a fresh secret (into secret_out) and its row. Always a new
 * id, so a session planted before sign-in is never promoted (session fixation). */
enum rc session_start(struct store *s, const char *user_id, int64_t now,
                      char secret_out[SECRET_TEXT_LEN + 1], struct session_row *row, struct err *e);

/* The live session named by the Cookie header, if any: RC_OK with *out, RC_NOTFOUND when there
 * is none (absent, malformed, unknown, expired, or its account disabled), or a store error. */
enum rc session_from_cookies(struct store *s, const char *cookie_header, int64_t now,
                             struct arena *a, struct session_row *out, struct err *e);

/* The session-bound CSRF token of a session (hex of its CSRF secret, arena). */
const char *session_csrf_token(const struct session_row *r, struct arena *a);

/* 1 when token (from a form) equals the session's CSRF token, compared in constant time. */
int session_csrf_ok(const struct session_row *r, const char *token);

/* The name of the sign-in CSRF cookie for a request over https (tls 1) or http (tls 0). */
const char *signin_csrf_cookie(int tls);

/* The sign-in form's CSRF token for the nonce held in the CSRF cookie: unpadded base64url of
 * HMAC-SHA256(key, "gp-signin-csrf" NUL nonce), 43 characters + NUL, into out. 0, or -1 when
 * nonce is not a well-formed secret (secret_hash) or the HMAC fails. */
int signin_csrf_token(const unsigned char key[32], const char *nonce,
                      char out[SECRET_TEXT_LEN + 1]);

/* 1 when token (from the form) is signin_csrf_token(key, nonce), compared in constant time; 0
 * otherwise, including a missing or malformed nonce or token. */
int signin_csrf_ok(const unsigned char key[32], const char *nonce, const char *token);

/* Issues an access token for view_id at now, valid VTOKEN_TTL_MS: the token text into
 * token_out, its expiry into *expires_at. created_by may be NULL. */
enum rc vtoken_issue(struct store *s, const char *view_id, const char *created_by, int64_t now,
                     char token_out[sizeof VTOKEN_PREFIX + SECRET_TEXT_LEN], int64_t *expires_at,
                     struct err *e);

/* RC_OK when token opens view_id at now (known, for that view, not expired), with *expires_at;
 * RC_NOTFOUND otherwise (malformed included), or a store error. */
enum rc vtoken_check(struct store *s, const char *token, const char *view_id, int64_t now,
                     struct arena *a, int64_t *expires_at, struct err *e);

#endif
