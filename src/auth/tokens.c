/* tokens.c — the value is header.payload.secret in JWT form so that clients which expect a JWT
 * (the "Your first iGUIDE" tutorial calls it "Your JWT access token") accept it; its last part is
 * 256 random bits, and the whole string is what is hashed and compared. */
#include "auth/tokens.h"

#include "core/base64.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/ids.h"

#include <stdio.h>
#include <string.h>

static enum rc mint(const char *app_id, int64_t now, struct arena *a, const char **value,
                    unsigned char hash[32], const char **hint, struct err *e)
{
    unsigned char secret[32], jti[12];
    if (crypto_random(secret, sizeof secret) || crypto_random(jti, sizeof jti))
        return err_set(e, RC_INTERNAL, "random source failed");
    char header[64], payload[256], p64[360], s64[48], j64[20];
    static const char hdr[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    if (b64_encode(hdr, strlen(hdr), B64_URL | B64_NOPAD, header, sizeof header) < 0 ||
        b64_encode(jti, sizeof jti, B64_URL | B64_NOPAD, j64, sizeof j64) < 0)
        return err_set(e, RC_INTERNAL, "token header does not fit");
    int n = snprintf(payload, sizeof payload, "{\"sub\":\"%s\",\"jti\":\"%s\",\"iat\":%lld}", app_id,
                     j64, (long long)(now / 1000));
    if (n < 0 || (size_t)n >= sizeof payload ||
        b64_encode(payload, (size_t)n, B64_URL | B64_NOPAD, p64, sizeof p64) < 0 ||
        b64_encode(secret, sizeof secret, B64_URL | B64_NOPAD, s64, sizeof s64) < 0)
        return err_set(e, RC_INVALID, "app id too long for a token");
    char *v = arena_printf(a, "%s.%s.%s", header, p64, s64);
    if (!v)
        return err_set(e, RC_NOMEM, "out of memory");
    crypto_sha256(v, strlen(v), hash);
    /* The documented hint is a masked suffix: "...ssw5c". */
    *hint = arena_printf(a, "...%s", v + strlen(v) - 5);
    *value = v;
    return *hint ? RC_OK : err_set(e, RC_NOMEM, "out of memory");
}

enum rc auth_token_create(struct store *s, const char *name, const char *description,
                          scope_set scopes, int expires_days, const char *created_by,
                          struct arena *a, struct token_issued *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    struct token_row *t = &out->row;
    if (id_uuid(t->id))
        return err_set(e, RC_INTERNAL, "random source failed");
    int64_t now = clock_now_ms();
    char scope_text[256];
    scope_format(scopes, scope_text, sizeof scope_text);
    t->name = name;
    t->description = description ? description : "";
    if (!(t->scopes = arena_strdup(a, scope_text)))
        return err_set(e, RC_NOMEM, "out of memory");
    t->created_at = t->updated_at = now;
    /* The documented example shows createdAt 2026-02-21T12:00:00Z → expiresAt 2028-02-21T12:00:00Z:
     * the default is two calendar years, not 730 days. */
    t->expires_at = expires_days > 0 ? now + (int64_t)expires_days * 86400 * 1000
                                     : clock_add_years(now, 2);
    t->created_by = created_by;
    enum rc rc = mint(t->id, now, a, &out->value, t->hash, &t->hint, e);
    if (rc != RC_OK)
        return rc;
    return store_token_insert(s, t, e);
}

enum rc auth_token_rotate(struct store *s, const char *id, struct arena *a,
                          struct token_issued *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    int64_t now = clock_now_ms();
    unsigned char hash[32];
    const char *hint = NULL, *value = NULL;
    struct token_row old;
    enum rc rc = store_token_get(s, id, a, &old, e);
    if (rc == RC_OK && old.revoked_at)
        rc = err_set(e, RC_NOTFOUND, "API token not found");
    if (rc == RC_OK)
        rc = mint(id, now, a, &value, hash, &hint, e);
    /* Rotation is how a token is renewed (API-tokens guide: "Rotate the token to get a new
     * value"): the new value gets the token's original lifetime from now. */
    if (rc == RC_OK)
        rc = store_token_rotate(s, id, hash, hint, now + TOKEN_ROTATE_GRACE_MS, now,
                                now + (old.expires_at - old.created_at), e);
    if (rc == RC_OK)
        rc = store_token_get(s, id, a, &out->row, e);
    out->value = rc == RC_OK ? value : NULL;
    return rc;
}

enum rc auth_verify(struct store *s, const char *app_id, const char *value, struct arena *a,
                    struct principal *out, struct err *e)
{
    static const char msg[] = "Unauthorized request";
    if (!app_id || !value || !id_uuid_valid(app_id) || !*value || strlen(value) > TOKEN_VALUE_MAX)
        return err_set(e, RC_UNAUTH, msg);
    struct token_row t;
    struct err se;
    enum rc rc = store_token_get(s, app_id, a, &t, &se);
    if (rc == RC_NOTFOUND)
        return err_set(e, RC_UNAUTH, msg);
    if (rc != RC_OK) {
        if (e)
            *e = se;
        return rc;
    }
    int64_t now = clock_now_ms();
    unsigned char h[32];
    crypto_sha256(value, strlen(value), h);
    int ok = crypto_equal(h, t.hash, 32);
    int ok_prev = t.has_prev && crypto_equal(h, t.prev_hash, 32) && now < t.prev_expires_at;
    if ((!ok && !ok_prev) || t.revoked_at || now >= t.expires_at)
        return err_set(e, RC_UNAUTH, msg);
    memcpy(out->app_id, t.id, sizeof out->app_id);
    char bad[80];
    if (scope_parse_list(t.scopes, &out->scopes, bad, sizeof bad))
        out->scopes = 0;
    return RC_OK;
}
