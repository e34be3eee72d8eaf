/* test_signin_csrf.c — the sign-in form's CSRF token (viewer/session.h): the form carries
 * HMAC-SHA256(server key, "gp-signin-csrf" NUL nonce) of the nonce in the cookie, checked against
 * a vector computed outside this code; a pair made up without the key (the same value in cookie
 * and field, a token for another nonce or key, a damaged token) is refused; and the cookie is
 * __Host- prefixed over https only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "auth/session.h"

/* Computed with Python's hmac module: key = bytes 1..32, nonce = base64url of bytes 100..131. */
static const char vec_nonce[] = "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1-f4CBgoM";
static const char vec_token[] = "aIyWSbniiQdKSX5xBlKdub2TMEooGQkNkKDqUTkOCRk";

static void vec_key(unsigned char key[32])
{
    for (int i = 0; i < 32; i++)
        key[i] = (unsigned char)(i + 1);
}

static void t_known_answer(void **state)
{
    (void)state;
    unsigned char key[32];
    vec_key(key);
    char tok[SECRET_TEXT_LEN + 1];
    memset(tok, 'x', sizeof tok);
    assert_int_equal(signin_csrf_token(key, vec_nonce, tok), 0);
    assert_string_equal(tok, vec_token);
    assert_int_equal(signin_csrf_ok(key, vec_nonce, vec_token), 1);
}

static void t_made_up_pairs_refused(void **state)
{
    (void)state;
    unsigned char key[32], other[32];
    vec_key(key);
    vec_key(other);
    other[31] ^= 1;
    /* Plain double submit accepted these: the same well-formed value in cookie and field. */
    assert_int_equal(signin_csrf_ok(key, vec_nonce, vec_nonce), 0);
    char chosen[SECRET_TEXT_LEN + 1];
    assert_int_equal(secret_new(chosen), 0);
    assert_int_equal(signin_csrf_ok(key, chosen, chosen), 0);
    /* The HMAC under another key, or of another nonce. */
    char tok[SECRET_TEXT_LEN + 1];
    assert_int_equal(signin_csrf_token(other, vec_nonce, tok), 0);
    assert_string_not_equal(tok, vec_token);
    assert_int_equal(signin_csrf_ok(key, vec_nonce, tok), 0);
    assert_int_equal(signin_csrf_ok(key, chosen, vec_token), 0);
    /* The genuine token, damaged anywhere, cut short or lengthened. */
    for (size_t i = 0; i < SECRET_TEXT_LEN; i++) {
        char bad[SECRET_TEXT_LEN + 1];
        memcpy(bad, vec_token, sizeof bad);
        bad[i] = bad[i] == 'A' ? 'B' : 'A';
        assert_int_equal(signin_csrf_ok(key, vec_nonce, bad), 0);
    }
    char shorter[SECRET_TEXT_LEN];
    memcpy(shorter, vec_token, SECRET_TEXT_LEN - 1);
    shorter[SECRET_TEXT_LEN - 1] = '\0';
    assert_int_equal(signin_csrf_ok(key, vec_nonce, shorter), 0);
    char longer[SECRET_TEXT_LEN + 2];
    memcpy(longer, vec_token, SECRET_TEXT_LEN);
    longer[SECRET_TEXT_LEN] = 'A';
    longer[SECRET_TEXT_LEN + 1] = '\0';
    assert_int_equal(signin_csrf_ok(key, vec_nonce, longer), 0);
    assert_int_equal(signin_csrf_ok(key, vec_nonce, ""), 0);
    assert_int_equal(signin_csrf_ok(key, vec_nonce, NULL), 0);
}

static void t_malformed_nonce(void **state)
{
    (void)state;
    unsigned char key[32];
    vec_key(key);
    char tok[SECRET_TEXT_LEN + 1];
    /* Only a 43-character base64url secret is a nonce; no token is made or accepted for others. */
    const char *bad[] = {"", "short", "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1-f4CBgo",
                         "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1-f4CBgoMA",
                         "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM",
                         "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1-f4CBgo="};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(signin_csrf_token(key, bad[i], tok), -1);
        assert_int_equal(signin_csrf_ok(key, bad[i], vec_token), 0);
    }
    assert_int_equal(signin_csrf_token(key, NULL, tok), -1);
    assert_int_equal(signin_csrf_ok(key, NULL, vec_token), 0);
}

static void t_fresh_nonces(void **state)
{
    (void)state;
    unsigned char key[32];
    vec_key(key);
    char a[SECRET_TEXT_LEN + 1], b[SECRET_TEXT_LEN + 1], ta[SECRET_TEXT_LEN + 1],
        tb[SECRET_TEXT_LEN + 1];
    assert_int_equal(secret_new(a), 0);
    assert_int_equal(secret_new(b), 0);
    assert_string_not_equal(a, b);
    assert_int_equal(signin_csrf_token(key, a, ta), 0);
    assert_int_equal(signin_csrf_token(key, b, tb), 0);
    assert_string_not_equal(ta, tb);
    assert_string_not_equal(ta, a); /* the form never shows the cookie's value */
    assert_int_equal(strlen(ta), SECRET_TEXT_LEN);
    assert_int_equal(signin_csrf_ok(key, a, ta), 1);
    assert_int_equal(signin_csrf_ok(key, b, ta), 0);
}

static void t_cookie_names(void **state)
{
    (void)state;
    assert_string_equal(signin_csrf_cookie(1), "__Host-gp_csrf");
    assert_string_equal(signin_csrf_cookie(0), "gp_csrf");
    /* A __Host- cookie is one browsers keep only with Secure, Path=/ and no Domain. */
    char buf[512];
    struct arena *a = arena_new();
    assert_non_null(a);
    const char *sc = cookie_format(a, signin_csrf_cookie(1), vec_nonce, 60, "Lax", 1);
    snprintf(buf, sizeof buf,
             "__Host-gp_csrf=%s; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure", vec_nonce);
    assert_string_equal(sc, buf);
    assert_null(strstr(sc, "Domain"));
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_known_answer),
        cmocka_unit_test(t_made_up_pairs_refused),
        cmocka_unit_test(t_malformed_nonce),
        cmocka_unit_test(t_fresh_nonces),
        cmocka_unit_test(t_cookie_names),
    };
    return cmocka_run_group_tests_name("signin_csrf", tests, NULL, NULL);
}
