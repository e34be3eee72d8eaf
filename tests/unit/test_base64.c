/* test_base64.c — core/base64 in each form: the RFC 4648 §10 vectors in the standard padded form
 * (S3 checksums) and the URL unpadded form (secrets, tokens, cursors), the other two combinations,
 * rejection of every non-canonical text (bad length, padding, alphabet, unused bits), the caps of
 * both directions and round trips of every length. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/base64.h"

/* Deterministic bytes covering every value (the round trips need no randomness). */
static void fill(unsigned char *p, size_t n, size_t seed)
{
    uint32_t x = (uint32_t)seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (unsigned char)x;
    }
}

static void t_std_padded(void **state)
{
    (void)state;
    static const char *const rfc[][2] = {{"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},
                                         {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
                                         {"foobar", "Zm9vYmFy"}};
    char out[32];
    unsigned char dec[32];
    for (size_t i = 0; i < sizeof rfc / sizeof rfc[0]; i++) {
        size_t n = strlen(rfc[i][0]);
        assert_int_equal(b64_encode(rfc[i][0], n, 0, out, sizeof out), (long)strlen(rfc[i][1]));
        assert_string_equal(out, rfc[i][1]);
        assert_int_equal(b64_decode(rfc[i][1], strlen(rfc[i][1]), 0, dec, sizeof dec), (long)n);
        assert_memory_equal(dec, rfc[i][0], n);
    }
    static const unsigned char bin[] = {0xfb, 0xff, 0xbf};
    assert_int_equal(b64_encode(bin, 3, 0, out, sizeof out), 4);
    assert_string_equal(out, "+/+/"); /* standard alphabet, not base64url */
    /* Rejected: wrong length, bad characters, non-zero unused bits, padding inside, no room. */
    static const char *const bad[] = {"Zg=", "Zg", "Z===", "Zh==", "Zm9=", "Zg==Zg==", "Z-8=", "Zm_v", "Zm 9", "===="};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(b64_decode(bad[i], strlen(bad[i]), 0, dec, sizeof dec), -1);
    assert_int_equal(b64_decode("Zm9vYmFy", 8, 0, dec, 5), -1);
    assert_int_equal(b64_encode("foo", 3, 0, out, 4), -1); /* 4 chars need 5 bytes with the NUL */
    assert_int_equal(b64_encode("foo", 3, 0, out, 5), 4);
}

static void enc_is(const char *in, size_t n, const char *want)
{
    char out[64];
    memset(out, 'X', sizeof out);
    long len = b64_encode(in, n, B64_URL | B64_NOPAD, out, sizeof out);
    assert_string_equal(out, want);
    assert_int_equal(len, (long)strlen(want));
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
    long n = b64_decode(in, strlen(in), B64_URL | B64_NOPAD, out, sizeof out);
    if (n != (long)want_len)
        fail_msg("decoding \"%s\" gave %ld, want %zu", in, n, want_len);
    assert_memory_equal(out, want, want_len);
}

static void dec_rejects(const char *in)
{
    unsigned char out[64];
    long n = b64_decode(in, strlen(in), B64_URL | B64_NOPAD, out, sizeof out);
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
    assert_int_equal(b64_decode("Zm9vYmFy", 8, B64_URL | B64_NOPAD, out, 6), 6);
    assert_memory_equal(out, "foobar", 6);
    assert_int_equal(b64_decode("Zm9vYmFy", 8, B64_URL | B64_NOPAD, out, 5), -1);
    memset(out, 0xEE, sizeof out);
    assert_int_equal(b64_decode("Zm9vYg", 6, B64_URL | B64_NOPAD, out, 3), -1);
    assert_int_equal(out[3], 0xEE); /* never writes past cap */
    /* The length argument is honoured: only a prefix is decoded. */
    assert_int_equal(b64_decode("Zm9vYmFy", 4, B64_URL | B64_NOPAD, out, sizeof out), 3);
    assert_memory_equal(out, "foo", 3);
}

static void t_b64url_round_trip(void **state)
{
    (void)state;
    unsigned char in[100], back[100];
    char enc[4 * 34 + 1];
    for (size_t n = 0; n <= sizeof in; n++) {
        fill(in, sizeof in, n);
        long len = b64_encode(in, n, B64_URL | B64_NOPAD, enc, sizeof enc);
        assert_int_equal(len, (4 * n + 2) / 3); /* unpadded length */
        assert_int_equal(strlen(enc), (size_t)len);
        assert_int_equal(strspn(enc, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                         (size_t)len);
        long m = b64_decode(enc, (size_t)len, B64_URL | B64_NOPAD, back, sizeof back);
        assert_int_equal(m, (long)n);
        assert_memory_equal(back, in, n);
    }
}

static void t_other_forms(void **state)
{
    (void)state;
    char out[16];
    unsigned char dec[16];
    /* Standard alphabet without padding, URL alphabet with it. */
    assert_int_equal(b64_encode("\xfb\xff", 2, B64_NOPAD, out, sizeof out), 3);
    assert_string_equal(out, "+/8");
    assert_int_equal(b64_encode("\xfb\xff", 2, B64_URL, out, sizeof out), 4);
    assert_string_equal(out, "-_8=");
    assert_int_equal(b64_encode("f", 1, B64_URL, out, sizeof out), 4);
    assert_string_equal(out, "Zg==");
    assert_int_equal(b64_decode("+/8", 3, B64_NOPAD, dec, sizeof dec), 2);
    assert_memory_equal(dec, "\xfb\xff", 2);
    assert_int_equal(b64_decode("-_8=", 4, B64_URL, dec, sizeof dec), 2);
    assert_memory_equal(dec, "\xfb\xff", 2);
    /* Each form refuses the other alphabet and the other padding. */
    assert_int_equal(b64_decode("-_8=", 4, 0, dec, sizeof dec), -1);
    assert_int_equal(b64_decode("+/8=", 4, B64_URL, dec, sizeof dec), -1);
    assert_int_equal(b64_decode("+/8=", 4, B64_NOPAD, dec, sizeof dec), -1);
    assert_int_equal(b64_decode("-_8", 3, B64_URL, dec, sizeof dec), -1);
}

static void t_std_rejects(void **state)
{
    (void)state;
    unsigned char dec[16];
    /* Non-canonical or malformed padded standard base64, as an x-amz-checksum header might carry. */
    static const char *const bad[] = {
        "Zg",        /* padding missing */
        "Zg=",       /* padding short */
        "Zg===",     /* padding long */
        "Zh==",      /* unused bits set */
        "Zm9=",      /* unused bits set */
        "Zm9v=",     /* padding on a whole group */
        "Zg==Zg==",  /* padding in the middle */
        "Z=g=",      /* '=' inside a group */
        "=Zg=",
        "A===",      /* three '=' */
        "====",
        "Zm9v\n",   /* whitespace */
        " Zm9v",
        "Zm9v\r\n",
        "Zm 9",
        "Zm9v Zg==",
        "Z-8=",      /* URL alphabet */
        "Zm_v",
        "Zm9.",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (b64_decode(bad[i], strlen(bad[i]), 0, dec, sizeof dec) != -1)
            fail_msg("\"%s\" was accepted", bad[i]);
    /* An embedded NUL within the given length is a character outside the alphabet. */
    assert_int_equal(b64_decode("Zg\0=", 4, 0, dec, sizeof dec), -1);
    assert_int_equal(b64_decode("y/Q5Jg==\0", 9, 0, dec, sizeof dec), -1);
    /* Every character that is not in the alphabet, at each position of a group. */
    for (int c = 0; c < 256; c++) {
        if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", c) && c)
            continue;
        for (int at = 0; at < 4; at++) {
            char t[5] = "Zm9v";
            t[at] = (char)c;
            if (c == '=' && at >= 2)
                continue; /* "Zm=v" is refused below, "Zm9=" has unused bits: both covered */
            assert_int_equal(b64_decode(t, 4, 0, dec, sizeof dec), -1);
        }
    }
    assert_int_equal(b64_decode("Zm=v", 4, 0, dec, sizeof dec), -1);
}

static void t_lengths(void **state)
{
    (void)state;
    static const size_t n[] = {0, 1, 2, 3, 4, 5, 6, 32, 33};
    static const size_t padded[] = {0, 4, 4, 4, 8, 8, 8, 44, 44};
    static const size_t bare[] = {0, 2, 3, 4, 6, 7, 8, 43, 44};
    for (size_t i = 0; i < sizeof n / sizeof n[0]; i++) {
        assert_int_equal(b64_encoded_len(n[i], 0), padded[i]);
        assert_int_equal(b64_encoded_len(n[i], B64_URL), padded[i]);
        assert_int_equal(b64_encoded_len(n[i], B64_URL | B64_NOPAD), bare[i]);
        assert_true(B64_ENC_SIZE(n[i]) >= padded[i] + 1);
    }
    assert_int_equal(b64_encoded_len(SIZE_MAX, 0), SIZE_MAX);
    assert_int_equal(b64_encoded_len(SIZE_MAX / 4 * 3, B64_NOPAD), SIZE_MAX);
    char out[8];
    assert_int_equal(b64_encode("x", SIZE_MAX, 0, out, sizeof out), -1); /* never reads p */
    /* A 32-byte secret is the 43 characters session.h promises. */
    unsigned char k[32];
    char s[B64_ENC_SIZE(32)];
    fill(k, sizeof k, 7);
    assert_int_equal(b64_encode(k, sizeof k, B64_URL | B64_NOPAD, s, 44), 43);
    assert_int_equal(b64_encode(k, sizeof k, B64_URL | B64_NOPAD, s, 43), -1);
}

static void t_round_trip_all_forms(void **state)
{
    (void)state;
    unsigned char in[70], back[70];
    char enc[B64_ENC_SIZE(sizeof in)];
    for (int f = 0; f < 4; f++)
        for (size_t n = 0; n <= sizeof in; n++) {
            fill(in, n, n + 100 * (size_t)f);
            long len = b64_encode(in, n, f, enc, sizeof enc);
            assert_int_equal(len, (long)b64_encoded_len(n, f));
            assert_int_equal(b64_decode(enc, (size_t)len, f, back, sizeof back), (long)n);
            assert_memory_equal(back, in, n);
            /* Exactly n bytes of room is enough; one fewer is refused. */
            if (n) {
                assert_int_equal(b64_decode(enc, (size_t)len, f, back, n), (long)n);
                assert_int_equal(b64_decode(enc, (size_t)len, f, back, n - 1), -1);
            }
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_std_padded),
        cmocka_unit_test(t_std_rejects),
        cmocka_unit_test(t_b64url_encode_rfc4648),
        cmocka_unit_test(t_b64url_decode_vectors),
        cmocka_unit_test(t_b64url_decode_rejects),
        cmocka_unit_test(t_b64url_decode_cap),
        cmocka_unit_test(t_b64url_round_trip),
        cmocka_unit_test(t_other_forms),
        cmocka_unit_test(t_lengths),
        cmocka_unit_test(t_round_trip_all_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
