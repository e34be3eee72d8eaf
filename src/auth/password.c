/* password.c — argon2id hashing and verification for account passwords (see password.h). */
#include "auth/password.h"

#include "core/crypto.h"

#include <argon2.h>
#include <pthread.h>
#include <string.h>

enum rc password_hash(const char *pw, struct arena *a, const char **encoded, struct err *e)
{
    size_t n = pw ? strlen(pw) : 0;
    if (n < PASSWORD_MIN || n > PASSWORD_MAX)
        return err_set(e, RC_INVALID, "the password must be %d to %d characters", PASSWORD_MIN,
                       PASSWORD_MAX);
    unsigned char salt[PASSWORD_SALT_LEN];
    if (crypto_random(salt, sizeof salt))
        return err_set(e, RC_INTERNAL, "no randomness for a salt");
    size_t len = argon2_encodedlen(PASSWORD_T_COST, PASSWORD_M_COST_KIB, PASSWORD_PARALLELISM,
                                   PASSWORD_SALT_LEN, PASSWORD_HASH_LEN, Argon2_id);
    char *out = arena_alloc(a, len);
    if (!out)
        return err_set(e, RC_NOMEM, "out of memory");
    int r = argon2id_hash_encoded(PASSWORD_T_COST, PASSWORD_M_COST_KIB, PASSWORD_PARALLELISM, pw, n,
                                  salt, sizeof salt, PASSWORD_HASH_LEN, out, len);
    if (r != ARGON2_OK)
        return err_set(e, r == ARGON2_MEMORY_ALLOCATION_ERROR ? RC_NOMEM : RC_INTERNAL,
                       "argon2id: %s", argon2_error_message(r));
    *encoded = out;
    return RC_OK;
}

/* The dummy hash for unknown accounts: made once, with the same parameters as real ones. */
static char dummy[128];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    unsigned char salt[PASSWORD_SALT_LEN] = {0};
    static const char pw[] = "guidepost-no-such-account";
    (void)crypto_random(salt, sizeof salt);
    if (argon2id_hash_encoded(PASSWORD_T_COST, PASSWORD_M_COST_KIB, PASSWORD_PARALLELISM, pw,
                              sizeof pw - 1, salt, sizeof salt, PASSWORD_HASH_LEN, dummy,
                              sizeof dummy) != ARGON2_OK)
        dummy[0] = '\0';
}

int password_verify(const char *encoded, const char *pw)
{
    size_t n = pw ? strlen(pw) : 0;
    if (n > PASSWORD_MAX)
        return 0;
    if (!encoded) {
        pthread_once(&dummy_once, make_dummy);
        if (dummy[0])
            (void)argon2id_verify(dummy, pw ? pw : "", n);
        return 0;
    }
    return argon2id_verify(encoded, pw ? pw : "", n) == ARGON2_OK;
}

int password_generate(char out[PASSWORD_GENERATED_LEN + 1])
{
    /* 59 symbols (no 0/O, 1/l/I); rejection sampling keeps every symbol equally likely. */
    static const char al[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_";
    const unsigned lim = 256 - 256 % (sizeof al - 1);
    int o = 0;
    while (o < PASSWORD_GENERATED_LEN) {
        unsigned char b[32];
        if (crypto_random(b, sizeof b))
            return -1;
        for (size_t i = 0; i < sizeof b && o < PASSWORD_GENERATED_LEN; i++)
            if (b[i] < lim)
                out[o++] = al[b[i] % (sizeof al - 1)];
    }
    out[o] = '\0';
    return 0;
}
