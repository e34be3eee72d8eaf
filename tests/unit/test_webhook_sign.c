/* test_webhook_sign.c — Standard Webhooks signatures: the published test vector, the
 * space-separated header of several secrets, that every part of the signed content counts, and
 * refusal of secrets that are not whsec_ + base64. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "webhooks/sign.h"

static const char *const vec_secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
static const char *const vec_id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
static const char *const vec_body = "{\"test\": 2432232314}";
static const char *const vec_sig = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

static void t_vector(void **state)
{
    (void)state;
    char sig[WEBHOOK_SIG_LEN];
    struct err e = {0};
    assert_int_equal(
        webhook_sign(vec_secret, vec_id, 1614265330, vec_body, strlen(vec_body), sig, &e), RC_OK);
    assert_string_equal(sig, vec_sig);
}

static void t_every_part_counts(void **state)
{
    (void)state;
    char sig[WEBHOOK_SIG_LEN];
    struct err e = {0};
    assert_int_equal(
        webhook_sign(vec_secret, vec_id, 1614265331, vec_body, strlen(vec_body), sig, &e), RC_OK);
    assert_string_not_equal(sig, vec_sig);
    assert_int_equal(webhook_sign(vec_secret, "msg_p5jXN8AQM9LWM0D4loKWxJeK", 1614265330, vec_body,
                                  strlen(vec_body), sig, &e),
                     RC_OK);
    assert_string_not_equal(sig, vec_sig);
    /* The body's bytes, not its JSON meaning: one space less is another signature. */
    const char *compact = "{\"test\":2432232314}";
    assert_int_equal(
        webhook_sign(vec_secret, vec_id, 1614265330, compact, strlen(compact), sig, &e), RC_OK);
    assert_string_not_equal(sig, vec_sig);
    assert_int_equal(webhook_sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSx", vec_id, 1614265330,
                                  vec_body, strlen(vec_body), sig, &e),
                     RC_OK);
    assert_string_not_equal(sig, vec_sig);
}

static void t_header_several(void **state)
{
    (void)state;
    const char *secrets[] = {"whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", vec_secret};
    char hdr[WEBHOOK_SIG_HEADER_LEN], one[WEBHOOK_SIG_LEN];
    struct err e = {0};
    assert_int_equal(webhook_sign_header(secrets, 2, vec_id, 1614265330, vec_body, strlen(vec_body),
                                         hdr, sizeof hdr, &e),
                     RC_OK);
    assert_int_equal(
        webhook_sign(secrets[0], vec_id, 1614265330, vec_body, strlen(vec_body), one, &e), RC_OK);
    char want[2 * WEBHOOK_SIG_LEN];
    snprintf(want, sizeof want, "%s %s", one, vec_sig);
    assert_string_equal(hdr, want);
    assert_int_equal(webhook_sign_header(secrets, 1, vec_id, 1614265330, vec_body, strlen(vec_body),
                                         hdr, sizeof hdr, &e),
                     RC_OK);
    assert_string_equal(hdr, one);
    assert_int_equal(webhook_sign_header(secrets, 0, vec_id, 1, "", 0, hdr, sizeof hdr, &e),
                     RC_INVALID);
    assert_int_equal(webhook_sign_header(secrets, 2, vec_id, 1, "", 0, hdr, 50, &e), RC_INVALID);
}

static void t_bad_secrets(void **state)
{
    (void)state;
    char sig[WEBHOOK_SIG_LEN];
    struct err e = {0};
    const char *bad[] = {
        "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_!!!!",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS", "wHsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        /* 66 bytes: more than a secret has */
        "whsec_"
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(webhook_sign(bad[i], vec_id, 1, "{}", 2, sig, &e), RC_INVALID);
    assert_int_equal(webhook_sign(NULL, vec_id, 1, "{}", 2, sig, &e), RC_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_vector),
        cmocka_unit_test(t_every_part_counts),
        cmocka_unit_test(t_header_several),
        cmocka_unit_test(t_bad_secrets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
