/* test_rc.c — core/rc: the one table from result codes to HTTP statuses and the platform's error
 * codes (portal-api.md §2.5), the log names, out-of-range codes, and err_set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/rc.h"

static void row(enum rc rc, int status, const char *code, const char *name)
{
    assert_int_equal(rc_http_status(rc), status);
    assert_string_equal(rc_code(rc), code);
    assert_string_equal(rc_name(rc), name);
}

static void t_platform_codes(void **state)
{
    (void)state;
    row(RC_INVALID, 400, "invalid_argument", "RC_INVALID");
    row(RC_UNAUTH, 401, "unauthenticated", "RC_UNAUTH");
    row(RC_DENIED, 403, "permission_denied", "RC_DENIED");
    row(RC_NOTFOUND, 404, "not_found", "RC_NOTFOUND");
    row(RC_CONFLICT, 409, "already_exists", "RC_CONFLICT");
    row(RC_PRECONDITION, 400, "failed_precondition", "RC_PRECONDITION");
    row(RC_RATELIMIT, 429, "resource_exhausted", "RC_RATELIMIT");
    row(RC_INTERNAL, 500, "internal", "RC_INTERNAL");
    row(RC_UNIMPLEMENTED, 501, "unimplemented", "RC_UNIMPLEMENTED");
}

static void t_other_codes(void **state)
{
    (void)state;
    row(RC_OK, 200, "ok", "RC_OK");
    row(RC_METHOD, 405, "invalid_argument", "RC_METHOD");
    row(RC_TOOLARGE, 413, "invalid_argument", "RC_TOOLARGE");
    row(RC_BUSY, 503, "unavailable", "RC_BUSY");
    row(RC_NOMEM, 503, "unavailable", "RC_NOMEM");
    row(RC_IO, 500, "internal", "RC_IO");
    /* Store-internal codes never reach a client as anything but 500. */
    row(RC_DONE, 500, "internal", "RC_DONE");
    row(RC_ROW, 500, "internal", "RC_ROW");
}

static void t_every_code_has_an_entry(void **state)
{
    (void)state;
    for (int i = 0; i < RC__COUNT; i++) {
        enum rc rc = (enum rc)i;
        int st = rc_http_status(rc);
        assert_true(st >= 200 && st <= 599);
        assert_non_null(rc_code(rc));
        assert_true(strlen(rc_code(rc)) > 0);
        assert_non_null(rc_name(rc));
        assert_memory_equal(rc_name(rc), "RC_", 3);
        /* Codes are lower-case gRPC names. */
        for (const char *p = rc_code(rc); *p; p++)
            assert_true((*p >= 'a' && *p <= 'z') || *p == '_');
        /* Names are distinct. */
        for (int j = 0; j < i; j++)
            assert_string_not_equal(rc_name((enum rc)j), rc_name(rc));
    }
}

static void t_out_of_range(void **state)
{
    (void)state;
    row(RC__COUNT, 500, "internal", "RC_?");
    row((enum rc)1000, 500, "internal", "RC_?");
    row((enum rc)-1, 500, "internal", "RC_?");
}

static void t_err_set(void **state)
{
    (void)state;
    struct err e = {RC_OK, "untouched"};
    assert_int_equal(err_set(&e, RC_NOTFOUND, "%s %d not found", "iGUIDE", 7), RC_NOTFOUND);
    assert_int_equal(e.rc, RC_NOTFOUND);
    assert_string_equal(e.msg, "iGUIDE 7 not found");
    /* NULL is allowed and still returns the code. */
    assert_int_equal(err_set(NULL, RC_CONFLICT, "x"), RC_CONFLICT);
    /* Long messages are truncated, NUL-terminated. */
    char big[600];
    memset(big, 'm', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(err_set(&e, RC_INVALID, "%s", big), RC_INVALID);
    assert_int_equal(strlen(e.msg), sizeof e.msg - 1);
    assert_int_equal(e.msg[0], 'm');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_platform_codes),
        cmocka_unit_test(t_other_codes),
        cmocka_unit_test(t_every_code_has_an_entry),
        cmocka_unit_test(t_out_of_range),
        cmocka_unit_test(t_err_set),
    };
    return cmocka_run_group_tests_name("rc", tests, NULL, NULL);
}
