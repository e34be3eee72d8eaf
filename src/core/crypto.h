/* crypto.h — the few primitives the service needs, over OpenSSL libcrypto. */
#ifndef GP_CRYPTO_H
#define GP_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

/* SHA-256 of p[0..n) into out. */
void crypto_sha256(const void *p, size_t n, unsigned char out[SHA256_LEN]);

/* HMAC-SHA256(key, msg) into out; returns 0, -1 on a library failure. */
int crypto_hmac_sha256(const void *key, size_t klen, const void *msg, size_t mlen,
                       unsigned char out[SHA256_LEN]);

/* HMAC-SHA256(key, parts[0] .. parts[nparts-1] concatenated) into out, without copying the parts
 * together; returns 0, -1 on a library failure. */
int crypto_hmac_sha256_parts(const void *key, size_t klen, const void *const *parts,
                             const size_t *lens, size_t nparts, unsigned char out[SHA256_LEN]);

/* Constant-time equality of two n-byte regions; 1 when equal. */
int crypto_equal(const void *a, const void *b, size_t n);

/* n cryptographically random bytes; returns 0, -1 when the generator fails. */
int crypto_random(void *out, size_t n);

/* The value of one hex digit (either case), or -1 for any other character. */
int crypto_hexval(int c);

/* Lower-case hex of p[0..n) into out (2n+1 bytes). */
void crypto_hex(const unsigned char *p, size_t n, char *out);

#endif
