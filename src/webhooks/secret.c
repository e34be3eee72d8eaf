/* secret.c — see secret.h. */
#include "webhooks/secret.h"

#include "core/base64.h"
#include "core/crypto.h"
#include "store/webhook_delivery.h"
#include "webhooks/sign.h"

#include <string.h>

#define SECRET_BYTES 32

/* A fresh "whsec_<base64>" into out. */
static enum rc fresh(char out[sizeof WEBHOOK_SECRET_PREFIX + B64_ENC_SIZE(SECRET_BYTES)],
                     struct err *e)
{
    unsigned char key[SECRET_BYTES];
    if (crypto_random(key, sizeof key))
        return err_set(e, RC_INTERNAL, "random source failed");
    memcpy(out, WEBHOOK_SECRET_PREFIX, sizeof WEBHOOK_SECRET_PREFIX - 1);
    long n = b64_encode(key, sizeof key, 0, out + sizeof WEBHOOK_SECRET_PREFIX - 1,
                        B64_ENC_SIZE(SECRET_BYTES));
    memset(key, 0, sizeof key);
    return n < 0 ? err_set(e, RC_INTERNAL, "secret does not fit") : RC_OK;
}

/* Creates a current secret unless one exists (another process may win the race: fine). */
static enum rc ensure(struct store *s, int64_t now, struct err *e)
{
    char sec[sizeof WEBHOOK_SECRET_PREFIX + B64_ENC_SIZE(SECRET_BYTES)];
    int added;
    enum rc rc = fresh(sec, e);
    if (rc == RC_OK)
        rc = store_webhook_secret_add(s, sec, now, &added, e);
    memset(sec, 0, sizeof sec);
    return rc;
}

enum rc webhook_secret_signing(struct store *s, int64_t now, struct arena *a, const char ***secrets,
                               size_t *n, struct err *e)
{
    for (int round = 0; round < 2; round++) {
        enum rc rc = store_webhook_secrets(s, now - WEBHOOK_SECRET_OVERLAP_MS, WEBHOOK_MAX_SECRETS,
                                           a, secrets, n, e);
        if (rc != RC_OK)
            return rc;
        if (*n > 0)
            return RC_OK;
        if ((rc = ensure(s, now, e)) != RC_OK)
            return rc;
    }
    return err_set(e, RC_INTERNAL, "cannot create the webhook signing secret");
}

enum rc webhook_secret_current(struct store *s, int64_t now, struct arena *a, const char **secret,
                               struct err *e)
{
    const char **all;
    size_t n;
    enum rc rc = webhook_secret_signing(s, now, a, &all, &n, e);
    if (rc == RC_OK)
        *secret = all[0];
    return rc;
}

enum rc webhook_secret_rotate(struct store *s, int64_t now, struct arena *a, const char **secret,
                              int64_t *previous_valid_until, struct err *e)
{
    char sec[sizeof WEBHOOK_SECRET_PREFIX + B64_ENC_SIZE(SECRET_BYTES)];
    int added = 0;
    enum rc rc = fresh(sec, e);
    if (rc == RC_OK)
        rc = store_webhook_secret_retire(s, now, e);
    if (rc == RC_OK)
        rc = store_webhook_secret_add(s, sec, now, &added, e);
    if (rc == RC_OK && !added)
        rc = err_set(e, RC_BUSY, "another rotation is under way");
    if (rc == RC_OK && !(*secret = arena_strdup(a, sec)))
        rc = err_set(e, RC_NOMEM, "out of memory");
    memset(sec, 0, sizeof sec);
    if (rc == RC_OK)
        *previous_valid_until = now + WEBHOOK_SECRET_OVERLAP_MS;
    return rc;
}
