/* sign.c — see sign.h. The MAC is streamed over the three parts, so the body (which may be large)
 * is never copied to build the signed content. */
#include "webhooks/sign.h"

#include "core/base64.h"
#include "core/crypto.h"

#include <stdio.h>
#include <string.h>

#define KEY_MAX 64

enum rc webhook_sign(const char *secret, const char *msg_id, int64_t timestamp, const void *body,
                     size_t body_len, char out[WEBHOOK_SIG_LEN], struct err *e)
{
    size_t plen = sizeof WEBHOOK_SECRET_PREFIX - 1;
    if (!secret || strncmp(secret, WEBHOOK_SECRET_PREFIX, plen) != 0)
        return err_set(e, RC_INVALID, "a webhook secret starts with " WEBHOOK_SECRET_PREFIX);
    unsigned char key[KEY_MAX];
    long klen = b64_decode(secret + plen, strlen(secret + plen), 0, key, sizeof key);
    if (klen < 1)
        return err_set(e, RC_INVALID,
                       "the webhook secret is not whsec_ and base64 of 1 to 64 bytes");
    char ts[24];
    int tslen = snprintf(ts, sizeof ts, "%lld", (long long)timestamp);
    const void *parts[] = {msg_id, ".", ts, ".", body};
    size_t lens[] = {strlen(msg_id), 1, (size_t)tslen, 1, body_len};
    unsigned char mac[SHA256_LEN];
    int bad = crypto_hmac_sha256_parts(key, (size_t)klen, parts, lens, 5, mac);
    memset(key, 0, sizeof key);
    if (bad)
        return err_set(e, RC_INTERNAL, "HMAC-SHA256 failed");
    memcpy(out, "v1,", 3);
    if (b64_encode(mac, sizeof mac, 0, out + 3, WEBHOOK_SIG_LEN - 3) < 0)
        return err_set(e, RC_INTERNAL, "signature does not fit");
    return RC_OK;
}

enum rc webhook_sign_header(const char *const *secrets, size_t nsecrets, const char *msg_id,
                            int64_t timestamp, const void *body, size_t body_len, char *out,
                            size_t cap, struct err *e)
{
    if (nsecrets < 1 || nsecrets > WEBHOOK_MAX_SECRETS)
        return err_set(e, RC_INVALID, "1 to %d signing secrets", WEBHOOK_MAX_SECRETS);
    size_t len = 0;
    for (size_t i = 0; i < nsecrets; i++) {
        char sig[WEBHOOK_SIG_LEN];
        enum rc rc = webhook_sign(secrets[i], msg_id, timestamp, body, body_len, sig, e);
        if (rc != RC_OK)
            return rc;
        int n = snprintf(out + len, cap - len, "%s%s", i ? " " : "", sig);
        if (n < 0 || (size_t)n >= cap - len)
            return err_set(e, RC_INVALID, "signature header does not fit");
        len += (size_t)n;
    }
    return RC_OK;
}
