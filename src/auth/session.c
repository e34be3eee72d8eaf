/* session.c — cookies, sessions and view access tokens: the secrets a browser holds and the
 * hashed rows that make them mean something. */
#include "auth/session.h"

#include "core/base64.h"
#include "core/crypto.h"

#include <string.h>

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

const char *cookie_get(const char *header, const char *name, struct arena *a)
{
    if (!header || !name)
        return NULL;
    size_t nl = strlen(name);
    const char *p = header;
    while (*p) {
        while (is_space(*p) || *p == ';')
            p++;
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        if (eq && (size_t)(eq - p) == nl && memcmp(p, name, nl) == 0) {
            const char *v = eq + 1;
            size_t vl = len - nl - 1;
            while (vl && is_space(v[vl - 1]))
                vl--;
            if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
                v++;
                vl -= 2;
            }
            return vl <= COOKIE_VALUE_MAX ? arena_strndup(a, v, vl) : NULL;
        }
        p += len;
    }
    return NULL;
}

const char *cookie_format(struct arena *a, const char *name, const char *value, int64_t max_age_s,
                          const char *same_site, int tls)
{
    if (max_age_s < 0)
        max_age_s = 0;
    return arena_printf(a, "%s=%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=%s%s", name, value,
                        (long long)max_age_s, same_site, tls ? "; Secure" : "");
}

int secret_new(char out[SECRET_TEXT_LEN + 1])
{
    unsigned char b[32];
    if (crypto_random(b, sizeof b))
        return -1;
    return b64_encode(b, sizeof b, B64_URL | B64_NOPAD, out, SECRET_TEXT_LEN + 1) == SECRET_TEXT_LEN ? 0 : -1;
}

int secret_hash(const char *text, unsigned char out[32])
{
    unsigned char raw[33];
    if (!text || strlen(text) != SECRET_TEXT_LEN ||
        b64_decode(text, SECRET_TEXT_LEN, B64_URL | B64_NOPAD, raw, sizeof raw) != 32)
        return -1;
    crypto_sha256(text, SECRET_TEXT_LEN, out);
    return 0;
}

enum rc session_start(struct store *s, const char *user_id, int64_t now,
                      char secret_out[SECRET_TEXT_LEN + 1], struct session_row *row, struct err *e)
{
    memset(row, 0, sizeof *row);
    if (secret_new(secret_out) || crypto_random(row->csrf, sizeof row->csrf) ||
        secret_hash(secret_out, row->id))
        return err_set(e, RC_INTERNAL, "no randomness for a session");
    size_t ul = strlen(user_id);
    if (ul >= sizeof row->user_id)
        return err_set(e, RC_INVALID, "bad account id");
    memcpy(row->user_id, user_id, ul + 1);
    row->created_at = now;
    row->expires_at = now + SESSION_TTL_MS;
    return store_session_insert(s, row, e);
}

enum rc session_from_cookies(struct store *s, const char *cookie_header, int64_t now,
                             struct arena *a, struct session_row *out, struct err *e)
{
    const char *v = cookie_get(cookie_header, SESSION_COOKIE, a);
    unsigned char id[32];
    if (!v || secret_hash(v, id))
        return err_set(e, RC_NOTFOUND, "no session");
    return store_session_get(s, id, now, out, e);
}

const char *session_csrf_token(const struct session_row *r, struct arena *a)
{
    char *hex = arena_alloc(a, 2 * sizeof r->csrf + 1);
    if (hex)
        crypto_hex(r->csrf, sizeof r->csrf, hex);
    return hex;
}

int session_csrf_ok(const struct session_row *r, const char *token)
{
    char hex[2 * sizeof r->csrf + 1];
    crypto_hex(r->csrf, sizeof r->csrf, hex);
    if (!token || strlen(token) != sizeof hex - 1)
        return 0;
    return crypto_equal(hex, token, sizeof hex - 1);
}

const char *signin_csrf_cookie(int tls)
{
    /* Browsers take a __Host- cookie only with Secure, so plain http (the loopback listener)
     * keeps the unprefixed name. */
    return tls ? CSRF_COOKIE_TLS : CSRF_COOKIE;
}

int signin_csrf_token(const unsigned char key[32], const char *nonce,
                      char out[SECRET_TEXT_LEN + 1])
{
    /* A label in front keeps this HMAC from ever equalling one the key might sign elsewhere. */
    static const char label[] = "gp-signin-csrf";
    unsigned char h[32], mac[32];
    char msg[sizeof label + SECRET_TEXT_LEN];
    if (secret_hash(nonce, h))
        return -1;
    memcpy(msg, label, sizeof label); /* with its NUL, as the separator */
    memcpy(msg + sizeof label, nonce, SECRET_TEXT_LEN);
    if (crypto_hmac_sha256(key, 32, msg, sizeof msg, mac))
        return -1;
    return b64_encode(mac, sizeof mac, B64_URL | B64_NOPAD, out, SECRET_TEXT_LEN + 1) == SECRET_TEXT_LEN ? 0 : -1;
}

int signin_csrf_ok(const unsigned char key[32], const char *nonce, const char *token)
{
    char want[SECRET_TEXT_LEN + 1];
    if (!token || strlen(token) != SECRET_TEXT_LEN || signin_csrf_token(key, nonce, want))
        return 0;
    return crypto_equal(want, token, SECRET_TEXT_LEN);
}

enum rc vtoken_issue(struct store *s, const char *view_id, const char *created_by, int64_t now,
                     char token_out[sizeof VTOKEN_PREFIX + SECRET_TEXT_LEN], int64_t *expires_at,
                     struct err *e)
{
    struct vtoken_row r;
    memset(&r, 0, sizeof r);
    size_t vl = strlen(view_id);
    if (vl >= sizeof r.view_id)
        return err_set(e, RC_INVALID, "bad view id");
    memcpy(r.view_id, view_id, vl + 1);
    memcpy(token_out, VTOKEN_PREFIX, sizeof VTOKEN_PREFIX - 1);
    if (secret_new(token_out + sizeof VTOKEN_PREFIX - 1))
        return err_set(e, RC_INTERNAL, "no randomness for an access token");
    crypto_sha256(token_out, strlen(token_out), r.hash);
    r.created_at = now;
    r.expires_at = now + VTOKEN_TTL_MS;
    r.created_by = created_by;
    enum rc rc = store_vtoken_insert(s, &r, e);
    if (rc == RC_OK)
        *expires_at = r.expires_at;
    return rc;
}

enum rc vtoken_check(struct store *s, const char *token, const char *view_id, int64_t now,
                     struct arena *a, int64_t *expires_at, struct err *e)
{
    size_t pl = sizeof VTOKEN_PREFIX - 1;
    unsigned char raw[33], hash[32];
    if (!token || strlen(token) != pl + SECRET_TEXT_LEN || memcmp(token, VTOKEN_PREFIX, pl) != 0 ||
        b64_decode(token + pl, SECRET_TEXT_LEN, B64_URL | B64_NOPAD, raw, sizeof raw) != 32)
        return err_set(e, RC_NOTFOUND, "no access token");
    crypto_sha256(token, pl + SECRET_TEXT_LEN, hash);
    struct vtoken_row r;
    enum rc rc = store_vtoken_get(s, hash, a, &r, e);
    if (rc != RC_OK)
        return rc;
    /* The lookup is by hash, so the hash already matched; view and expiry decide the rest. */
    if (strcmp(r.view_id, view_id) != 0 || r.expires_at <= now)
        return err_set(e, RC_NOTFOUND, "no access token");
    *expires_at = r.expires_at;
    return RC_OK;
}
