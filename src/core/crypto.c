/* crypto.c — one-shot EVP calls; no deprecated HMAC_CTX. */
#include "core/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

void crypto_sha256(const void *p, size_t n, unsigned char out[SHA256_LEN])
{
    unsigned int len = SHA256_LEN;
    EVP_Digest(p, n, out, &len, EVP_sha256(), NULL);
}

int crypto_hmac_sha256(const void *key, size_t klen, const void *msg, size_t mlen,
                       unsigned char out[SHA256_LEN])
{
    unsigned int len = SHA256_LEN;
    return HMAC(EVP_sha256(), key, (int)klen, msg, mlen, out, &len) ? 0 : -1;
}

int crypto_equal(const void *a, const void *b, size_t n)
{
    return CRYPTO_memcmp(a, b, n) == 0;
}

int crypto_random(void *out, size_t n)
{
    return RAND_bytes(out, (int)n) == 1 ? 0 : -1;
}

int crypto_hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void crypto_hex(const unsigned char *p, size_t n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[p[i] >> 4];
        out[2 * i + 1] = hx[p[i] & 15];
    }
    out[2 * n] = '\0';
}
