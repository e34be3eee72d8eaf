/* checksum.c — slice-by-8 CRC-32, CRC-32C and CRC-64/NVME (zlib is not a dependency), EVP
 * digests for SHA-1/SHA-256/MD5, their base64 forms (core/base64.h), and CRC combination in GF(2).
 * See ../spec/s3-compat.md §2.4 and §6 pitfall 4 for which algorithms clients use. */
#include "s3/checksum.h"

#include "core/base64.h"

#include <pthread.h>
#include <string.h>

#include <openssl/evp.h>

/* Reflected polynomials. CRC-64/NVME is usually written 0xAD93D23594C93659 unreflected. */
#define POLY_CRC32 0xEDB88320u
#define POLY_CRC32C 0x82F63B78u
#define POLY_CRC64NVME 0x9A6C9329AC4BC9B5ull

/* Tables are built once at first use; pthread_once makes that safe from any HTTP thread. */
static uint32_t tab32[8][256], tab32c[8][256];
static uint64_t tab64[8][256];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void build_tables(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t a = i, c = i;
        uint64_t w = i;
        for (int k = 0; k < 8; k++) {
            a = (a & 1) ? (a >> 1) ^ POLY_CRC32 : a >> 1;
            c = (c & 1) ? (c >> 1) ^ POLY_CRC32C : c >> 1;
            w = (w & 1) ? (w >> 1) ^ POLY_CRC64NVME : w >> 1;
        }
        tab32[0][i] = a;
        tab32c[0][i] = c;
        tab64[0][i] = w;
    }
    /* tab[k][i] is the CRC contribution of byte i followed by k zero bytes. */
    for (int k = 1; k < 8; k++)
        for (int i = 0; i < 256; i++) {
            tab32[k][i] = (tab32[k - 1][i] >> 8) ^ tab32[0][tab32[k - 1][i] & 0xff];
            tab32c[k][i] = (tab32c[k - 1][i] >> 8) ^ tab32c[0][tab32c[k - 1][i] & 0xff];
            tab64[k][i] = (tab64[k - 1][i] >> 8) ^ tab64[0][tab64[k - 1][i] & 0xff];
        }
}

static void tables(void)
{
    pthread_once(&tables_once, build_tables);
}

/* Little-endian loads byte by byte: no alignment or endianness assumptions. */
static uint32_t ld32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t crc32_tab(uint32_t crc, const unsigned char *p, size_t n, uint32_t t[8][256])
{
    crc = ~crc;
    while (n >= 8) {
        uint32_t lo = crc ^ ld32(p), hi = ld32(p + 4);
        crc = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^
              t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^ t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
        p += 8;
        n -= 8;
    }
    while (n--)
        crc = (crc >> 8) ^ t[0][(crc ^ *p++) & 0xff];
    return ~crc;
}

uint32_t s3_crc32(uint32_t crc, const void *p, size_t n)
{
    tables();
    return crc32_tab(crc, p, n, tab32);
}

uint32_t s3_crc32c(uint32_t crc, const void *p, size_t n)
{
    tables();
    return crc32_tab(crc, p, n, tab32c);
}

uint64_t s3_crc64nvme(uint64_t crc, const void *p, size_t n)
{
    const unsigned char *b = p;
    tables();
    crc = ~crc;
    while (n >= 8) {
        uint64_t v = crc ^ ((uint64_t)ld32(b) | (uint64_t)ld32(b + 4) << 32);
        crc = tab64[7][v & 0xff] ^ tab64[6][(v >> 8) & 0xff] ^ tab64[5][(v >> 16) & 0xff] ^
              tab64[4][(v >> 24) & 0xff] ^ tab64[3][(v >> 32) & 0xff] ^ tab64[2][(v >> 40) & 0xff] ^
              tab64[1][(v >> 48) & 0xff] ^ tab64[0][v >> 56];
        b += 8;
        n -= 8;
    }
    while (n--)
        crc = (crc >> 8) ^ tab64[0][(crc ^ *b++) & 0xff];
    return ~crc;
}

/* --- combination: CRC(A||B) = CRC(A)·x^(8|B|) mod P  xor  CRC(B), in the reflected domain
 * (the method of zlib's crc32_combine, generalised to a width of 32 or 64 bits). --- */

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t poly, int width)
{
    uint64_t m = 1ull << (width - 1), p = 0;
    for (;;) {
        if (a & m) {
            p ^= b;
            if ((a & (m - 1)) == 0)
                break;
        }
        m >>= 1;
        if (!m)
            break;
        b = (b & 1) ? (b >> 1) ^ poly : b >> 1;
    }
    return p;
}

uint64_t s3_crc_combine(enum s3_cksum_alg alg, uint64_t crc1, uint64_t crc2, uint64_t len2)
{
    uint64_t poly;
    int width;
    switch (alg) {
    case S3_CKSUM_CRC32: poly = POLY_CRC32, width = 32; break;
    case S3_CKSUM_CRC32C: poly = POLY_CRC32C, width = 32; break;
    case S3_CKSUM_CRC64NVME: poly = POLY_CRC64NVME, width = 64; break;
    default: return crc2;
    }
    /* x^(8·len2): square x^(2^k) as k walks the bits of 8·len2 (len2 < 2^61 for any real body). */
    uint64_t sq = 1ull << (width - 2); /* x^1 */
    uint64_t xn = 1ull << (width - 1); /* x^0 */
    uint64_t e = len2;
    for (int k = 0; k < 3; k++)
        sq = mulmod(sq, sq, poly, width); /* x^8: one byte */
    while (e) {
        if (e & 1)
            xn = mulmod(sq, xn, poly, width);
        e >>= 1;
        if (e)
            sq = mulmod(sq, sq, poly, width);
    }
    return mulmod(xn, crc1, poly, width) ^ crc2;
}

/* --- the streaming interface --- */

static const struct {
    const char *name, *header;
    size_t len;
} algs[S3_CKSUM__COUNT] = {
    [S3_CKSUM_NONE] = {"", "", 0},
    [S3_CKSUM_CRC32] = {"CRC32", "x-amz-checksum-crc32", 4},
    [S3_CKSUM_CRC32C] = {"CRC32C", "x-amz-checksum-crc32c", 4},
    [S3_CKSUM_CRC64NVME] = {"CRC64NVME", "x-amz-checksum-crc64nvme", 8},
    [S3_CKSUM_SHA1] = {"SHA1", "x-amz-checksum-sha1", 20},
    [S3_CKSUM_SHA256] = {"SHA256", "x-amz-checksum-sha256", 32},
    [S3_CKSUM_MD5] = {"MD5", "content-md5", 16},
};

static int valid_alg(enum s3_cksum_alg alg)
{
    return alg > S3_CKSUM_NONE && alg < S3_CKSUM__COUNT;
}

size_t s3_cksum_len(enum s3_cksum_alg alg)
{
    return valid_alg(alg) ? algs[alg].len : 0;
}

const char *s3_cksum_name(enum s3_cksum_alg alg)
{
    return valid_alg(alg) ? algs[alg].name : "";
}

const char *s3_cksum_header(enum s3_cksum_alg alg)
{
    return valid_alg(alg) ? algs[alg].header : "";
}

static int ieq(const char *a, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    if (n != m)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)a[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        unsigned char d = (unsigned char)lit[i];
        if (d >= 'A' && d <= 'Z')
            d = (unsigned char)(d - 'A' + 'a');
        if (c != d)
            return 0;
    }
    return 1;
}

enum s3_cksum_alg s3_cksum_from_name(const char *s, size_t n)
{
    for (int a = S3_CKSUM_CRC32; a <= S3_CKSUM_SHA256; a++)
        if (ieq(s, n, algs[a].name))
            return (enum s3_cksum_alg)a;
    return S3_CKSUM_NONE;
}

enum s3_cksum_alg s3_cksum_from_header(const char *s, size_t n)
{
    for (int a = S3_CKSUM_CRC32; a <= S3_CKSUM_SHA256; a++)
        if (ieq(s, n, algs[a].header))
            return (enum s3_cksum_alg)a;
    return S3_CKSUM_NONE;
}

static const EVP_MD *evp_of(enum s3_cksum_alg alg)
{
    switch (alg) {
    case S3_CKSUM_SHA1: return EVP_sha1();
    case S3_CKSUM_SHA256: return EVP_sha256();
    case S3_CKSUM_MD5: return EVP_md5();
    default: return NULL;
    }
}

int s3_cksum_init(struct s3_cksum *c, enum s3_cksum_alg alg)
{
    c->alg = S3_CKSUM_NONE;
    c->crc = 0;
    c->md = NULL;
    if (!valid_alg(alg))
        return -1;
    const EVP_MD *md = evp_of(alg);
    if (md) {
        c->md = EVP_MD_CTX_new();
        if (!c->md)
            return -1;
        if (EVP_DigestInit_ex(c->md, md, NULL) != 1) {
            EVP_MD_CTX_free(c->md);
            c->md = NULL;
            return -1;
        }
    } else {
        tables();
    }
    c->alg = alg;
    return 0;
}

void s3_cksum_update(struct s3_cksum *c, const void *p, size_t n)
{
    if (n == 0)
        return;
    switch (c->alg) {
    case S3_CKSUM_CRC32: c->crc = crc32_tab((uint32_t)c->crc, p, n, tab32); break;
    case S3_CKSUM_CRC32C: c->crc = crc32_tab((uint32_t)c->crc, p, n, tab32c); break;
    case S3_CKSUM_CRC64NVME: c->crc = s3_crc64nvme(c->crc, p, n); break;
    default:
        /* A failed update is caught by final, which then reports -1. */
        if (c->md && EVP_DigestUpdate(c->md, p, n) != 1) {
            EVP_MD_CTX_free(c->md);
            c->md = NULL;
        }
        break;
    }
}

void s3_cksum_free(struct s3_cksum *c)
{
    if (c->md)
        EVP_MD_CTX_free(c->md);
    c->md = NULL;
}

int s3_cksum_final(struct s3_cksum *c, unsigned char out[S3_CKSUM_MAX_LEN])
{
    size_t len = s3_cksum_len(c->alg);
    int rc = (int)len;
    switch (c->alg) {
    case S3_CKSUM_CRC32:
    case S3_CKSUM_CRC32C:
    case S3_CKSUM_CRC64NVME:
        /* S3 sends CRCs as the big-endian bytes of the value. */
        for (size_t i = 0; i < len; i++)
            out[i] = (unsigned char)(c->crc >> (8 * (len - 1 - i)));
        break;
    case S3_CKSUM_SHA1:
    case S3_CKSUM_SHA256:
    case S3_CKSUM_MD5: {
        unsigned int olen = 0;
        if (!c->md || EVP_DigestFinal_ex(c->md, out, &olen) != 1 || olen != len)
            rc = -1;
        break;
    }
    default: rc = -1; break;
    }
    s3_cksum_free(c);
    return rc;
}

int s3_cksum_final_b64(struct s3_cksum *c, char out[S3_CKSUM_B64_MAX])
{
    unsigned char d[S3_CKSUM_MAX_LEN];
    int n = s3_cksum_final(c, d);
    if (n < 0)
        return -1;
    return (int)b64_encode(d, (size_t)n, 0, out, S3_CKSUM_B64_MAX);
}

int s3_cksum_check_b64(enum s3_cksum_alg alg, const unsigned char *digest, const char *text, size_t n)
{
    unsigned char got[S3_CKSUM_MAX_LEN];
    size_t len = s3_cksum_len(alg);
    if (len == 0)
        return -1;
    long g = b64_decode(text, n, 0, got, sizeof got);
    if (g < 0 || (size_t)g != len)
        return -1;
    return memcmp(got, digest, len) == 0;
}
