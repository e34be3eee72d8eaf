/* test_checksum.c — s3/checksum: CRC-32/32C/64-NVME check values, values computed by botocore
 * and by the JS SDK's own CRC packages (@aws-crypto/crc32, @aws-crypto/crc32c,
 * @aws-sdk/crc64-nvme), digests, split/alignment invariance, CRC combination, strict base64. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "s3/checksum.h"

static const enum s3_cksum_alg ALL[] = {S3_CKSUM_CRC32, S3_CKSUM_CRC32C, S3_CKSUM_CRC64NVME,
                                        S3_CKSUM_SHA1,  S3_CKSUM_SHA256, S3_CKSUM_MD5};
#define NALL (sizeof ALL / sizeof ALL[0])

/* Deterministic bytes from a 32-bit LCG (no libc PRNG: the same bytes on every run). */
static void fill(unsigned char *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        p[i] = (unsigned char)(seed >> 24);
    }
}

static void b64_of(enum s3_cksum_alg alg, const void *p, size_t n, char out[S3_CKSUM_B64_MAX])
{
    struct s3_cksum c;
    assert_int_equal(s3_cksum_init(&c, alg), 0);
    s3_cksum_update(&c, p, n);
    assert_true(s3_cksum_final_b64(&c, out) > 0);
}

static int digest_of(enum s3_cksum_alg alg, const void *p, size_t n, unsigned char out[S3_CKSUM_MAX_LEN])
{
    struct s3_cksum c;
    assert_int_equal(s3_cksum_init(&c, alg), 0);
    s3_cksum_update(&c, p, n);
    return s3_cksum_final(&c, out);
}

static void expect_b64(enum s3_cksum_alg alg, const void *p, size_t n, const char *want)
{
    char got[S3_CKSUM_B64_MAX];
    b64_of(alg, p, n, got);
    assert_string_equal(got, want);
}

static void test_check_values(void **state)
{
    (void)state;
    /* The catalogue check values of each CRC, for "123456789". */
    assert_int_equal(s3_crc32(0, "123456789", 9), 0xCBF43926u);
    assert_int_equal(s3_crc32c(0, "123456789", 9), 0xE3069283u);
    assert_true(s3_crc64nvme(0, "123456789", 9) == 0xAE8B14860A799888ull);
    expect_b64(S3_CKSUM_CRC32, "123456789", 9, "y/Q5Jg==");
    expect_b64(S3_CKSUM_CRC32C, "123456789", 9, "4waSgw==");
    expect_b64(S3_CKSUM_CRC64NVME, "123456789", 9, "rosUhgp5mIg=");
    unsigned char d[S3_CKSUM_MAX_LEN];
    assert_int_equal(digest_of(S3_CKSUM_CRC64NVME, "123456789", 9, d), 8);
    static const unsigned char be[8] = {0xAE, 0x8B, 0x14, 0x86, 0x0A, 0x79, 0x98, 0x88};
    assert_memory_equal(d, be, 8); /* big-endian on the wire */
    expect_b64(S3_CKSUM_SHA1, "abc", 3, "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=");
    expect_b64(S3_CKSUM_SHA256, "abc", 3, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
    expect_b64(S3_CKSUM_MD5, "abc", 3, "kAFQmDzST7DWlj99KOF/cg==");
}

static void test_empty(void **state)
{
    (void)state;
    /* An empty upload: botocore sends x-amz-checksum-crc32:AAAAAA== (§2.5). */
    expect_b64(S3_CKSUM_CRC32, "", 0, "AAAAAA==");
    expect_b64(S3_CKSUM_CRC32C, "", 0, "AAAAAA==");
    expect_b64(S3_CKSUM_CRC64NVME, "", 0, "AAAAAAAAAAA=");
    expect_b64(S3_CKSUM_SHA1, "", 0, "2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
    expect_b64(S3_CKSUM_SHA256, "", 0, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    expect_b64(S3_CKSUM_MD5, "", 0, "1B2M2Y8AsgTpgAmY7PhCfg==");
}

static void test_client_values(void **state)
{
    (void)state;
    /* The body of the botocore 1.43.11 PutObject captured for test_sigv4/test_chunked: botocore put
     * x-amz-checksum-crc32: UFMLTQ== on it; the JS SDK packages give the crc32c/crc64nvme values. */
    const char *body = "Hello, Guidepost! Hello, Guidepost! Hello, Guidepost! \n";
    size_t n = strlen(body);
    expect_b64(S3_CKSUM_CRC32, body, n, "UFMLTQ==");
    expect_b64(S3_CKSUM_CRC32C, body, n, "SX1E1A==");
    expect_b64(S3_CKSUM_CRC64NVME, body, n, "3OgWmrMVpd8=");
    expect_b64(S3_CKSUM_SHA1, body, n, "GCkc4kXLFctw9mWhRuhynWrPzIM=");
    expect_b64(S3_CKSUM_SHA256, body, n, "b8uw/Pinf3vm3l/DZO/nopqzjCIC6ahBSUjv+trLkAM=");
    expect_b64(S3_CKSUM_MD5, body, n, "fTnJW+OqzWR18W+lokkgxA==");
    unsigned char d[S3_CKSUM_MAX_LEN];
    char hex[65];
    assert_int_equal(digest_of(S3_CKSUM_MD5, body, n, d), 16);
    for (int i = 0; i < 16; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    assert_string_equal(hex, "7d39c95be3aacd6475f16fa5a24920c4"); /* the ETag */
}

static void test_aws_trailer_vector(void **state)
{
    (void)state;
    /* sigv4-streaming-trailers.html: 66 560 × 'a' carries x-amz-checksum-crc32c:sOO8/Q==. */
    size_t n = 66560;
    unsigned char *a = malloc(n);
    assert_non_null(a);
    memset(a, 'a', n);
    expect_b64(S3_CKSUM_CRC32C, a, n, "sOO8/Q==");
    expect_b64(S3_CKSUM_CRC32, a, n, "sK4Y7A==");
    expect_b64(S3_CKSUM_CRC64NVME, a, n, "pRf+emrnL+A=");
    free(a);
}

static void test_one_mib(void **state)
{
    (void)state;
    /* 1 MiB of (i*31+7)&0xff, fed in uneven pieces; values from the JS SDK packages and hashlib. */
    size_t n = 1u << 20;
    unsigned char *a = malloc(n);
    assert_non_null(a);
    for (size_t i = 0; i < n; i++)
        a[i] = (unsigned char)((i * 31 + 7) & 0xff);
    static const struct {
        enum s3_cksum_alg alg;
        const char *b64;
    } want[] = {
        {S3_CKSUM_CRC32, "1CS9wQ=="},
        {S3_CKSUM_CRC32C, "/1vj/A=="},
        {S3_CKSUM_CRC64NVME, "nWrsVNogmeU="},
        {S3_CKSUM_SHA1, "lUIWELjd2GyG4yab/STSp5GZJF8="},
        {S3_CKSUM_SHA256, "Bre7+3gkqgM4IFFpFjDrJt6FEC0bCKgekH7AdEzYooY="},
        {S3_CKSUM_MD5, "PyyL2c/eZVD9/0s2YXwyYQ=="},
    };
    for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
        struct s3_cksum c;
        char got[S3_CKSUM_B64_MAX];
        assert_int_equal(s3_cksum_init(&c, want[w].alg), 0);
        size_t off = 0, step = 1;
        while (off < n) {
            size_t k = n - off < step ? n - off : step;
            s3_cksum_update(&c, a + off, k);
            off += k;
            step = step * 3 + 1;
            if (step > 70000)
                step = 5;
        }
        assert_true(s3_cksum_final_b64(&c, got) > 0);
        assert_string_equal(got, want[w].b64);
    }
    free(a);
}

static void test_split_and_alignment(void **state)
{
    (void)state;
    unsigned char buf[300 + 8];
    fill(buf, sizeof buf, 7);
    for (size_t k = 0; k < NALL; k++) {
        unsigned char whole[S3_CKSUM_MAX_LEN], part[S3_CKSUM_MAX_LEN];
        int len = digest_of(ALL[k], buf, 300, whole);
        assert_int_equal((size_t)len, s3_cksum_len(ALL[k]));
        for (size_t i = 0; i <= 300; i++) {
            struct s3_cksum c;
            assert_int_equal(s3_cksum_init(&c, ALL[k]), 0);
            s3_cksum_update(&c, buf, i);
            s3_cksum_update(&c, buf + i, 300 - i);
            assert_int_equal(s3_cksum_final(&c, part), len);
            assert_memory_equal(whole, part, (size_t)len);
        }
        /* Byte by byte. */
        struct s3_cksum c;
        assert_int_equal(s3_cksum_init(&c, ALL[k]), 0);
        for (size_t i = 0; i < 300; i++)
            s3_cksum_update(&c, buf + i, 1);
        assert_int_equal(s3_cksum_final(&c, part), len);
        assert_memory_equal(whole, part, (size_t)len);
    }
    /* The same bytes at every alignment give the same CRC (slice-by-8 loads are unaligned). */
    for (size_t len = 0; len <= 64; len++) {
        unsigned char base[80], moved[80];
        fill(base, len, (uint32_t)len);
        uint32_t c32 = s3_crc32(0, base, len), c32c = s3_crc32c(0, base, len);
        uint64_t c64 = s3_crc64nvme(0, base, len);
        for (size_t off = 1; off < 8; off++) {
            memcpy(moved + off, base, len);
            assert_int_equal(s3_crc32(0, moved + off, len), c32);
            assert_int_equal(s3_crc32c(0, moved + off, len), c32c);
            assert_true(s3_crc64nvme(0, moved + off, len) == c64);
        }
    }
}

/* Bit-at-a-time reference CRCs: independent of the tables under test. */
static uint64_t slow_crc(const unsigned char *p, size_t n, uint64_t poly, int width)
{
    uint64_t mask = width == 64 ? ~0ull : (1ull << width) - 1, crc = mask;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int b = 0; b < 8; b++)
            crc = (crc & 1) ? (crc >> 1) ^ poly : crc >> 1;
    }
    return crc ^ mask;
}

static void test_against_bitwise(void **state)
{
    (void)state;
    unsigned char buf[1000];
    fill(buf, sizeof buf, 99);
    for (size_t n = 0; n <= sizeof buf; n += 37) {
        assert_int_equal(s3_crc32(0, buf, n), (uint32_t)slow_crc(buf, n, 0xEDB88320u, 32));
        assert_int_equal(s3_crc32c(0, buf, n), (uint32_t)slow_crc(buf, n, 0x82F63B78u, 32));
        assert_true(s3_crc64nvme(0, buf, n) == slow_crc(buf, n, 0x9A6C9329AC4BC9B5ull, 64));
    }
    /* Continuation: crc(A||B) == crc(crc(A), B). */
    assert_int_equal(s3_crc32(s3_crc32(0, buf, 123), buf + 123, 877), s3_crc32(0, buf, 1000));
    assert_int_equal(s3_crc32c(s3_crc32c(0, buf, 5), buf + 5, 995), s3_crc32c(0, buf, 1000));
    assert_true(s3_crc64nvme(s3_crc64nvme(0, buf, 999), buf + 999, 1) == s3_crc64nvme(0, buf, 1000));
}

static void test_combine(void **state)
{
    (void)state;
    static const size_t cuts[][2] = {{0, 0}, {0, 17}, {17, 0}, {1, 1}, {8, 8}, {100, 923}, {1000, 1}, {333, 334}};
    unsigned char buf[1100];
    fill(buf, sizeof buf, 3);
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        size_t a = cuts[i][0], b = cuts[i][1];
        assert_true(s3_crc_combine(S3_CKSUM_CRC32, s3_crc32(0, buf, a), s3_crc32(0, buf + a, b), b) ==
                    s3_crc32(0, buf, a + b));
        assert_true(s3_crc_combine(S3_CKSUM_CRC32C, s3_crc32c(0, buf, a), s3_crc32c(0, buf + a, b), b) ==
                    s3_crc32c(0, buf, a + b));
        assert_true(s3_crc_combine(S3_CKSUM_CRC64NVME, s3_crc64nvme(0, buf, a), s3_crc64nvme(0, buf + a, b), b) ==
                    s3_crc64nvme(0, buf, a + b));
    }
    /* Large second part (exercises many squarings): 1 MiB of zeros after "123456789". */
    size_t big = 1u << 20;
    unsigned char *z = calloc(1, big + 9);
    assert_non_null(z);
    memcpy(z, "123456789", 9);
    assert_true(s3_crc_combine(S3_CKSUM_CRC64NVME, 0xAE8B14860A799888ull, s3_crc64nvme(0, z + 9, big), big) ==
                s3_crc64nvme(0, z, big + 9));
    assert_true(s3_crc_combine(S3_CKSUM_CRC32, 0xCBF43926u, s3_crc32(0, z + 9, big), big) == s3_crc32(0, z, big + 9));
    free(z);
    /* Not a CRC: the second value comes back. */
    assert_true(s3_crc_combine(S3_CKSUM_SHA256, 1, 2, 3) == 2);
}

static void test_check_b64(void **state)
{
    (void)state;
    unsigned char d[S3_CKSUM_MAX_LEN];
    assert_int_equal(digest_of(S3_CKSUM_CRC32, "123456789", 9, d), 4);
    assert_int_equal(s3_cksum_check_b64(S3_CKSUM_CRC32, d, "y/Q5Jg==", 8), 1);
    assert_int_equal(s3_cksum_check_b64(S3_CKSUM_CRC32, d, "AAAAAA==", 8), 0); /* BadDigest */
    assert_int_equal(s3_cksum_check_b64(S3_CKSUM_CRC32, d, "y/Q5", 4), -1);     /* 3 bytes: invalid */
    assert_int_equal(s3_cksum_check_b64(S3_CKSUM_CRC32, d, "y/Q5Jg=", 7), -1);
    assert_int_equal(s3_cksum_check_b64(S3_CKSUM_CRC32, d, "rosUhgp5mIg=", 12), -1); /* 8 bytes */
    assert_int_equal(digest_of(S3_CKSUM_MD5, "", 0, d), 16);
    assert_int_equal(s3_cksum_check_b64(S3_CKSUM_MD5, d, "1B2M2Y8AsgTpgAmY7PhCfg==", 24), 1);
    assert_int_equal(s3_cksum_check_b64(S3_CKSUM_MD5, d, "1B2M2Y8AsgTpgAmY7PhCfA==", 24), 0);
    assert_int_equal(s3_cksum_check_b64(S3_CKSUM_MD5, d, "d41d8cd98f00b204e9800998ecf8427e", 32), -1); /* hex */
    assert_int_equal(s3_cksum_check_b64(S3_CKSUM_NONE, d, "AAAAAA==", 8), -1);
}

static void test_names(void **state)
{
    (void)state;
    assert_int_equal(s3_cksum_from_name("CRC32", 5), S3_CKSUM_CRC32);
    assert_int_equal(s3_cksum_from_name("crc32c", 6), S3_CKSUM_CRC32C);
    assert_int_equal(s3_cksum_from_name("CRC64NVME", 9), S3_CKSUM_CRC64NVME);
    assert_int_equal(s3_cksum_from_name("sha1", 4), S3_CKSUM_SHA1);
    assert_int_equal(s3_cksum_from_name("SHA256", 6), S3_CKSUM_SHA256);
    assert_int_equal(s3_cksum_from_name("MD5", 3), S3_CKSUM_NONE);
    assert_int_equal(s3_cksum_from_name("CRC3", 4), S3_CKSUM_NONE);
    assert_int_equal(s3_cksum_from_name("CRC32X", 6), S3_CKSUM_NONE);
    assert_int_equal(s3_cksum_from_name("", 0), S3_CKSUM_NONE);
    assert_int_equal(s3_cksum_from_header("x-amz-checksum-crc32", 20), S3_CKSUM_CRC32);
    assert_int_equal(s3_cksum_from_header("X-Amz-Checksum-CRC32C", 21), S3_CKSUM_CRC32C);
    assert_int_equal(s3_cksum_from_header("x-amz-checksum-crc64nvme", 24), S3_CKSUM_CRC64NVME);
    assert_int_equal(s3_cksum_from_header("x-amz-checksum-sha1", 19), S3_CKSUM_SHA1);
    assert_int_equal(s3_cksum_from_header("x-amz-checksum-sha256", 21), S3_CKSUM_SHA256);
    assert_int_equal(s3_cksum_from_header("x-amz-checksum-type", 19), S3_CKSUM_NONE);
    assert_int_equal(s3_cksum_from_header("x-amz-checksum-algorithm", 24), S3_CKSUM_NONE);
    assert_int_equal(s3_cksum_from_header("x-amz-checksum-sha10", 20), S3_CKSUM_NONE);
    assert_int_equal(s3_cksum_from_header("content-md5", 11), S3_CKSUM_NONE);
    assert_string_equal(s3_cksum_header(S3_CKSUM_CRC64NVME), "x-amz-checksum-crc64nvme");
    assert_string_equal(s3_cksum_header(S3_CKSUM_MD5), "content-md5");
    assert_string_equal(s3_cksum_name(S3_CKSUM_CRC32C), "CRC32C");
    assert_string_equal(s3_cksum_name(S3_CKSUM_NONE), "");
    assert_string_equal(s3_cksum_name((enum s3_cksum_alg)99), "");
    static const size_t lens[] = {4, 4, 8, 20, 32, 16};
    for (size_t k = 0; k < NALL; k++)
        assert_int_equal(s3_cksum_len(ALL[k]), lens[k]);
    assert_int_equal(s3_cksum_len(S3_CKSUM_NONE), 0);
}

static void test_lifecycle(void **state)
{
    (void)state;
    struct s3_cksum c;
    unsigned char d[S3_CKSUM_MAX_LEN];
    assert_int_equal(s3_cksum_init(&c, S3_CKSUM_NONE), -1);
    assert_int_equal(s3_cksum_init(&c, (enum s3_cksum_alg)42), -1);
    assert_int_equal(s3_cksum_final(&c, d), -1);
    /* Abandoned digests are released by free (ASan checks the leak), twice is harmless. */
    assert_int_equal(s3_cksum_init(&c, S3_CKSUM_SHA256), 0);
    s3_cksum_update(&c, "x", 1);
    s3_cksum_free(&c);
    s3_cksum_free(&c);
    assert_int_equal(s3_cksum_final(&c, d), -1);
    /* A CRC needs no free, but free is still fine. */
    assert_int_equal(s3_cksum_init(&c, S3_CKSUM_CRC32), 0);
    s3_cksum_free(&c);
    assert_int_equal(s3_cksum_final(&c, d), 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_values),  cmocka_unit_test(test_empty),
        cmocka_unit_test(test_client_values), cmocka_unit_test(test_aws_trailer_vector),
        cmocka_unit_test(test_one_mib),       cmocka_unit_test(test_split_and_alignment),
        cmocka_unit_test(test_against_bitwise), cmocka_unit_test(test_combine),
        cmocka_unit_test(test_check_b64),
        cmocka_unit_test(test_names),         cmocka_unit_test(test_lifecycle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
