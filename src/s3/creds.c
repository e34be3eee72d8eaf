/* creds.c — secret = base64url(HMAC-SHA256(server key "s3-credentials", akid)) cut to 40
 * characters: any node with the store can verify a signature, and a leaked database holds no
 * usable secret without the key row (which backups should treat as sensitive). */
#include "s3/creds.h"

#include "core/base64.h"
#include "core/crypto.h"

#include <string.h>

static const char akid_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int s3_creds_akid_valid(const char *akid)
{
    if (strlen(akid) != S3_AKID_LEN || strncmp(akid, "ASIA", 4) != 0)
        return 0;
    for (const char *p = akid + 4; *p; p++)
        if (!strchr(akid_alphabet, *p))
            return 0;
    return 1;
}

enum rc s3_creds_secret(struct store *s, const char *akid, char out[S3_SECRET_LEN + 1],
                        struct err *e)
{
    unsigned char key[32], mac[32];
    enum rc rc = store_server_key(s, "s3-credentials", key, e);
    if (rc != RC_OK)
        return rc;
    if (crypto_hmac_sha256(key, sizeof key, akid, strlen(akid), mac))
        return err_set(e, RC_INTERNAL, "hmac failed");
    char b64[B64_ENC_SIZE(sizeof mac)];
    if (b64_encode(mac, sizeof mac, B64_URL | B64_NOPAD, b64, sizeof b64) < S3_SECRET_LEN)
        return err_set(e, RC_INTERNAL, "secret encoding failed");
    memcpy(out, b64, S3_SECRET_LEN);
    out[S3_SECRET_LEN] = '\0';
    return RC_OK;
}

enum rc s3_creds_mint(struct store *s, struct arena *a, struct s3_creds *out, struct err *e)
{
    unsigned char rnd[16], tok[48];
    if (crypto_random(rnd, sizeof rnd) || crypto_random(tok, sizeof tok))
        return err_set(e, RC_INTERNAL, "random source failed");
    memcpy(out->access_key_id, "ASIA", 4);
    for (int i = 0; i < 16; i++)
        out->access_key_id[4 + i] = akid_alphabet[rnd[i] & 31];
    out->access_key_id[S3_AKID_LEN] = '\0';
    enum rc rc = s3_creds_secret(s, out->access_key_id, out->secret, e);
    if (rc != RC_OK)
        return rc;
    char *t = arena_alloc(a, B64_ENC_SIZE(sizeof tok));
    if (!t)
        return err_set(e, RC_NOMEM, "out of memory");
    b64_encode(tok, sizeof tok, B64_URL | B64_NOPAD, t, B64_ENC_SIZE(sizeof tok)); /* always fits */
    out->session_token = t;
    crypto_sha256(t, strlen(t), out->session_hash);
    return RC_OK;
}
