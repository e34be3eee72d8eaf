/* test_scopes.c — auth/scopes: the platform's 11 scope names in the documented order
 * (portal-api.md §2.3), parsing lists separated by commas and/or spaces with the offending name
 * reported, and formatting a set back in documented order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "auth/scopes.h"

static const char *const documented[] = {
    "iguide.list",    "iguide.ro",     "iguide.rw",     "iguide.tasks",
    "iguide.billing", "iguide.gallery", "iguide.events", "iguide.draft.ro",
    "viewer.data",    "banner.list",   "credentials.manage",
};

static void t_names_in_order(void **state)
{
    (void)state;
    assert_int_equal(SCOPE__COUNT, 11);
    assert_int_equal(sizeof documented / sizeof documented[0], 11);
    for (int i = 0; i < SCOPE__COUNT; i++)
        assert_string_equal(scope_name((enum scope)i), documented[i]);
    assert_string_equal(scope_name(SCOPE_IGUIDE_RW), "iguide.rw");
    assert_string_equal(scope_name(SCOPE_CREDENTIALS_MANAGE), "credentials.manage");
    assert_string_equal(scope_name(SCOPE_OPERATOR), "operator");
    assert_null(scope_name(SCOPE__ALL));
    assert_null(scope_name((enum scope)-1));
}

static scope_set parse_ok(const char *list)
{
    scope_set s = 0xdeadbeef;
    char bad[80] = "";
    if (scope_parse_list(list, &s, bad, sizeof bad) != 0)
        fail_msg("rejected \"%s\" at \"%s\"", list, bad);
    return s;
}

static void parse_bad(const char *list, const char *want_bad)
{
    scope_set s = 0x1234;
    char bad[80] = "";
    if (scope_parse_list(list, &s, bad, sizeof bad) != -1)
        fail_msg("accepted \"%s\"", list);
    assert_string_equal(bad, want_bad);
    assert_int_equal(s, 0x1234); /* untouched */
}

static void t_parse_lists(void **state)
{
    (void)state;
    scope_set want = SCOPE_BIT(SCOPE_IGUIDE_RW) | SCOPE_BIT(SCOPE_IGUIDE_TASKS);
    assert_int_equal(parse_ok("iguide.rw,iguide.tasks"), want);
    assert_int_equal(parse_ok("iguide.tasks iguide.rw"), want);
    assert_int_equal(parse_ok("iguide.rw, iguide.tasks"), want);
    assert_int_equal(parse_ok("  ,iguide.rw ,, iguide.tasks,  "), want);
    assert_int_equal(parse_ok("iguide.rw,iguide.rw,iguide.tasks"), want); /* repeats are fine */
    assert_int_equal(parse_ok("credentials.manage"), SCOPE_BIT(SCOPE_CREDENTIALS_MANAGE));
    assert_int_equal(parse_ok("iguide.draft.ro"), SCOPE_BIT(SCOPE_IGUIDE_DRAFT_RO));
    /* All eleven. */
    assert_int_equal(parse_ok("iguide.list iguide.ro iguide.rw iguide.tasks iguide.billing "
                              "iguide.gallery iguide.events iguide.draft.ro viewer.data "
                              "banner.list credentials.manage"),
                     (1u << 11) - 1);
}

static void t_parse_rejects(void **state)
{
    (void)state;
    parse_bad("", "(none)");
    parse_bad(" , ,", "(none)");
    parse_bad("iguide.read", "iguide.read");  /* third-party names are not scopes */
    parse_bad("iguide.rw,iguide.write", "iguide.write");
    parse_bad("iguide.rw bogus iguide.tasks", "bogus");
    parse_bad("iguide", "iguide");             /* a prefix is not a match */
    parse_bad("iguide.rwx", "iguide.rwx");
    parse_bad("iguide.draft", "iguide.draft");
    parse_bad("IGUIDE.RW", "IGUIDE.RW");       /* case-sensitive */
    parse_bad("iguide.rw;iguide.tasks", "iguide.rw;iguide.tasks");
    parse_bad("iguide.rw\tiguide.tasks", "iguide.rw\tiguide.tasks");
    /* A long bad name is cut to fit the caller's buffer. */
    char longname[300];
    memset(longname, 'q', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    scope_set s;
    char bad[16];
    assert_int_equal(scope_parse_list(longname, &s, bad, sizeof bad), -1);
    assert_int_equal(strlen(bad), sizeof bad - 1);
    assert_int_equal(bad[0], 'q');
}

static void t_format(void **state)
{
    (void)state;
    char out[256];
    assert_int_equal(scope_format(0, out, sizeof out), 0);
    assert_string_equal(out, "");
    size_t n = scope_format(SCOPE_BIT(SCOPE_IGUIDE_TASKS) | SCOPE_BIT(SCOPE_IGUIDE_RW), out,
                            sizeof out);
    assert_string_equal(out, "iguide.rw iguide.tasks");
    assert_int_equal(n, strlen(out));
    n = scope_format((1u << SCOPE__COUNT) - 1, out, sizeof out);
    assert_string_equal(out, "iguide.list iguide.ro iguide.rw iguide.tasks iguide.billing "
                             "iguide.gallery iguide.events iguide.draft.ro viewer.data "
                             "banner.list credentials.manage");
    assert_int_equal(n, strlen(out));
    /* Bits beyond the eleven are ignored. */
    assert_int_equal(scope_format(SCOPE_BIT(SCOPE_VIEWER_DATA) | (1u << 20), out, sizeof out),
                     strlen("viewer.data"));
    assert_string_equal(out, "viewer.data");
    /* A small buffer holds whole names only. */
    char small[24];
    n = scope_format((1u << SCOPE__COUNT) - 1, small, sizeof small);
    assert_string_equal(small, "iguide.list iguide.ro");
    assert_int_equal(n, strlen(small));
}

static void t_round_trip(void **state)
{
    (void)state;
    char out[256];
    for (scope_set s = 1; s < (1u << SCOPE__COUNT); s = s * 3 + 1) {
        scope_set set = s & ((1u << SCOPE__COUNT) - 1);
        if (!set)
            continue;
        scope_format(set, out, sizeof out);
        assert_int_equal(parse_ok(out), set);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_names_in_order),
        cmocka_unit_test(t_parse_lists),
        cmocka_unit_test(t_parse_rejects),
        cmocka_unit_test(t_format),
        cmocka_unit_test(t_round_trip),
    };
    return cmocka_run_group_tests_name("scopes", tests, NULL, NULL);
}
