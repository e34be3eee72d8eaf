/* test_crypto.c — core/crypto: SHA-256 and HMAC-SHA256 against published vectors (FIPS 180-2,
 * RFC 4231), hex, unpadded base64url both ways (RFC 4648 vectors, the URL-safe alphabet, and the
 * rejection of padding, bad characters, impossible lengths and non-canonical trailing bits). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/crypto.h"

static void hex_of(const unsigned char *p, size_t n, char *out)
{
    crypto_hex(p, n, out);
}

static void t_sha256_vectors(void **state)
{
    (void)state;
    unsigned char h[SHA256_LEN];
    char hx[2 * SHA256_LEN + 1];
    crypto_sha256("abc", 3, h);
    hex_of(h, sizeof h, hx);
    assert_string_equal(hx, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    crypto_sha256("", 0, h);
    hex_of(h, sizeof h, hx);
    assert_string_equal(hx, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    crypto_sha256(m, strlen(m), h);
    hex_of(h, sizeof h, hx);
    assert_string_equal(hx, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void t_hmac_rfc4231(void **state)
{
    (void)state;
    unsigned char out[SHA256_LEN];
    char hx[2 * SHA256_LEN + 1];
    /* Test case 1. */
    unsigned char k1[20];
    memset(k1, 0x0b, sizeof k1);
    assert_int_equal(crypto_hmac_sha256(k1, sizeof k1, "Hi There", 8, out), 0);
    hex_of(out, sizeof out, hx);
    assert_string_equal(hx, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    /* Test case 2. */
    const char *m2 = "what do ya want for nothing?";
    assert_int_equal(crypto_hmac_sha256("Jefe", 4, m2, strlen(m2), out), 0);
    hex_of(out, sizeof out, hx);
    assert_string_equal(hx, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    /* Test case 6: a key longer than the block size. */
    unsigned char k6[131];
    memset(k6, 0xaa, sizeof k6);
    const char *m6 = "Test Using Larger Than Block-Size Key - Hash Key First";
    assert_int_equal(crypto_hmac_sha256(k6, sizeof k6, m6, strlen(m6), out), 0);
    hex_of(out, sizeof out, hx);
    assert_string_equal(hx, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

static void t_hex(void **state)
{
    (void)state;
    char out[16];
    const unsigned char in[] = {0x00, 0x01, 0xab, 0xcd, 0xef, 0xff};
    memset(out, 'X', sizeof out);
    crypto_hex(in, sizeof in, out);
    assert_string_equal(out, "0001abcdefff");
    memset(out, 'X', sizeof out);
    crypto_hex(in, 0, out);
    assert_string_equal(out, "");
}

static void t_equal(void **state)
{
    (void)state;
    unsigned char a[32], b[32];
    memset(a, 7, sizeof a);
    memset(b, 7, sizeof b);
    assert_int_equal(crypto_equal(a, b, 32), 1);
    b[31] = 8;
    assert_int_equal(crypto_equal(a, b, 32), 0);
    assert_int_equal(crypto_equal(a, b, 31), 1);
    b[0] = 9;
    assert_int_equal(crypto_equal(a, b, 31), 0);
    assert_int_equal(crypto_equal(a, b, 0), 1);
}

static void t_random(void **state)
{
    (void)state;
    unsigned char a[32] = {0}, b[32] = {0}, zero[32] = {0};
    assert_int_equal(crypto_random(a, sizeof a), 0);
    assert_int_equal(crypto_random(b, sizeof b), 0);
    assert_memory_not_equal(a, b, sizeof a);
    assert_memory_not_equal(a, zero, sizeof a);
    assert_int_equal(crypto_random(a, 0), 0);
}

static void enc_is(const char *in, size_t n, const char *want)
{
    char out[64];
    memset(out, 'X', sizeof out);
    size_t len = crypto_b64url((const unsigned char *)in, n, out);
    assert_string_equal(out, want);
    assert_int_equal(len, strlen(want));
}

static void t_b64url_encode_rfc4648(void **state)
{
    (void)state;
    enc_is("", 0, "");
    enc_is("f", 1, "Zg");
    enc_is("fo", 2, "Zm8");
    enc_is("foo", 3, "Zm9v");
    enc_is("foob", 4, "Zm9vYg");
    enc_is("fooba", 5, "Zm9vYmE");
    enc_is("foobar", 6, "Zm9vYmFy");
    /* The URL-safe alphabet: '-' and '_' where standard base64 has '+' and '/'. */
    enc_is("\xfb\xff", 2, "-_8");
    enc_is("\xfb\xef\xbe", 3, "----");
    enc_is("\xff\xff\xff", 3, "____");
    enc_is("\x00\x00\x00", 3, "AAAA");
    enc_is("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", 27, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9");
}

static void dec_is(const char *in, const char *want, size_t want_len)
{
    unsigned char out[64];
    long n = crypto_b64url_decode(in, strlen(in), out, sizeof out);
    if (n != (long)want_len)
        fail_msg("decoding \"%s\" gave %ld, want %zu", in, n, want_len);
    assert_memory_equal(out, want, want_len);
}

static void dec_rejects(const char *in)
{
    unsigned char out[64];
    long n = crypto_b64url_decode(in, strlen(in), out, sizeof out);
    if (n != -1)
        fail_msg("decoding \"%s\" gave %ld, want -1", in, n);
}

static void t_b64url_decode_vectors(void **state)
{
    (void)state;
    dec_is("", "", 0);
    dec_is("Zg", "f", 1);
    dec_is("Zm8", "fo", 2);
    dec_is("Zm9v", "foo", 3);
    dec_is("Zm9vYg", "foob", 4);
    dec_is("Zm9vYmE", "fooba", 5);
    dec_is("Zm9vYmFy", "foobar", 6);
    dec_is("-_8", "\xfb\xff", 2);
    dec_is("____", "\xff\xff\xff", 3);
}

static void t_b64url_decode_rejects(void **state)
{
    (void)state;
    /* Non-canonical trailing bits: each byte string has exactly one encoding. */
    dec_rejects("Zh");   /* 'h' leaves low bits 0001 */
    dec_rejects("Zm9");  /* '9' leaves low bits 01 */
    dec_rejects("Zm9vYh");
    dec_rejects("-_9");
    dec_rejects("__");   /* 0xff would need "_w" */
    dec_is("_w", "\xff", 1);
    /* Impossible length: one leftover character carries only 6 bits. */
    dec_rejects("Z");
    dec_rejects("Zm9vY");
    /* Standard base64 and padding are not base64url. */
    dec_rejects("Zg==");
    dec_rejects("Zm8=");
    dec_rejects("+/8");
    dec_rejects("Zm 9v");
    dec_rejects("Zm9v\n");
    dec_rejects("Zm.v");
}

static void t_b64url_decode_cap(void **state)
{
    (void)state;
    unsigned char out[8];
    memset(out, 0xEE, sizeof out);
    assert_int_equal(crypto_b64url_decode("Zm9vYmFy", 8, out, 6), 6);
    assert_memory_equal(out, "foobar", 6);
    assert_int_equal(crypto_b64url_decode("Zm9vYmFy", 8, out, 5), -1);
    memset(out, 0xEE, sizeof out);
    assert_int_equal(crypto_b64url_decode("Zm9vYg", 6, out, 3), -1);
    assert_int_equal(out[3], 0xEE); /* never writes past cap */
    /* The length argument is honoured: only a prefix is decoded. */
    assert_int_equal(crypto_b64url_decode("Zm9vYmFy", 4, out, sizeof out), 3);
    assert_memory_equal(out, "foo", 3);
}

static void t_b64url_round_trip(void **state)
{
    (void)state;
    unsigned char in[100], back[100];
    char enc[4 * 34 + 1];
    for (size_t n = 0; n <= sizeof in; n++) {
        assert_int_equal(crypto_random(in, sizeof in), 0);
        size_t len = crypto_b64url(in, n, enc);
        assert_int_equal(len, (4 * n + 2) / 3); /* unpadded length */
        assert_int_equal(strlen(enc), len);
        assert_int_equal(strspn(enc, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                         len);
        long m = crypto_b64url_decode(enc, len, back, sizeof back);
        assert_int_equal(m, (long)n);
        assert_memory_equal(back, in, n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_sha256_vectors),
        cmocka_unit_test(t_hmac_rfc4231),
        cmocka_unit_test(t_hex),
        cmocka_unit_test(t_equal),
        cmocka_unit_test(t_random),
        cmocka_unit_test(t_b64url_encode_rfc4648),
        cmocka_unit_test(t_b64url_decode_vectors),
        cmocka_unit_test(t_b64url_decode_rejects),
        cmocka_unit_test(t_b64url_decode_cap),
        cmocka_unit_test(t_b64url_round_trip),
    };
    return cmocka_run_group_tests_name("crypto", tests, NULL, NULL);
}
