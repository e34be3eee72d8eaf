/* test_addons.c — the package rules for additional work orders (portal-api.md §5.3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "pipeline/addons.h"

static void expect(const char *package, const char *task, enum rc want, const char *msg_part)
{
    struct err e = {0};
    enum rc rc = addon_check(package, task, &e);
    if (rc != want)
        fail_msg("%s ordering %s: got %d (%s), want %d", package, task, rc, e.msg, want);
    if (msg_part && !strstr(e.msg, msg_part))
        fail_msg("%s ordering %s: message \"%s\" lacks \"%s\"", package, task, e.msg, msg_part);
}

static void t_matrix(void **state)
{
    (void)state;
    /* The table of the order-additional-services tutorial. */
    expect("standard", "dwg-init", RC_OK, NULL);
    expect("premium", "dwg-init", RC_OK, NULL);
    expect("radix", "dwg-init", RC_PRECONDITION, "upgraded");
    expect("standard", "rvt-init", RC_PRECONDITION, "premium-upgrade");
    expect("premium", "rvt-init", RC_OK, NULL);
    expect("radix", "rvt-init", RC_PRECONDITION, NULL);
    expect("standard", "esx-init", RC_OK, NULL);
    expect("radix", "esx-init", RC_PRECONDITION, "upgraded");
    expect("premium", "corelogic-fml", RC_OK, NULL);
    expect("radix", "corelogic-fml", RC_PRECONDITION, NULL);
    expect("standard", "siteplan", RC_OK, NULL);
    expect("radix", "siteplan", RC_PRECONDITION, NULL);
    expect("standard", "premium-upgrade", RC_OK, NULL);
    expect("radix", "premium-upgrade", RC_OK, NULL);
    expect("premium", "premium-upgrade", RC_PRECONDITION, "already Premium");
    expect("radix", "standard-upgrade", RC_OK, NULL);
    expect("standard", "standard-upgrade", RC_PRECONDITION, NULL);
    for (const char *const *t = addon_task_types; *t; t++)
        expect("photos", *t, RC_PRECONDITION, "Photos iGUIDEs cannot");
    expect("standard", "dwg", RC_INVALID, "dwg-init, rvt-init");
}

static void t_targets(void **state)
{
    (void)state;
    assert_string_equal(addon_upgrade_target("premium-upgrade"), "premium");
    assert_string_equal(addon_upgrade_target("standard-upgrade"), "standard");
    assert_null(addon_upgrade_target("dwg-init"));
    assert_null(addon_upgrade_target("nope"));
    int n = 0;
    for (const char *const *t = addon_task_types; *t; t++)
        n++;
    assert_int_equal(n, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_matrix),
        cmocka_unit_test(t_targets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
