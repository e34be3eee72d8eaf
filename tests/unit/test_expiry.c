/* test_expiry.c — viewer/expiry: a view is locked from 00:00 UTC of the day after its expiresAt
 * date (day granularity), open up to the millisecond before that midnight. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/clock.h"
#include "viewer/expiry.h"

static int64_t P(const char *s)
{
    int64_t ms = 0;
    if (clock_parse(s, &ms))
        fail_msg("bad timestamp %s", s);
    return ms;
}

static void t_midday_expiry(void **state)
{
    (void)state;
    int64_t exp = P("2027-01-01T15:30:00.000Z");
    assert_int_equal(view_locked(exp, P("2026-06-01T00:00:00Z")), 0);
    assert_int_equal(view_locked(exp, exp - 1), 0);
    /* Not yet at expiresAt itself, nor for the rest of that day. */
    assert_int_equal(view_locked(exp, exp), 0);
    assert_int_equal(view_locked(exp, P("2027-01-01T23:59:59.999Z")), 0);
    /* Midnight after: locked. */
    assert_int_equal(view_locked(exp, P("2027-01-02T00:00:00.000Z")), 1);
    assert_int_equal(view_locked(exp, P("2027-01-02T00:00:00.001Z")), 1);
    assert_int_equal(view_locked(exp, P("2030-01-01T00:00:00Z")), 1);
}

static void t_midnight_expiry(void **state)
{
    (void)state;
    /* expiresAt at 00:00 still leaves the whole of that day. */
    int64_t exp = P("2027-01-01T00:00:00.000Z");
    assert_int_equal(view_locked(exp, exp), 0);
    assert_int_equal(view_locked(exp, P("2027-01-01T23:59:59.999Z")), 0);
    assert_int_equal(view_locked(exp, P("2027-01-02T00:00:00.000Z")), 1);
    /* And at the last millisecond of a day. */
    exp = P("2027-01-01T23:59:59.999Z");
    assert_int_equal(view_locked(exp, exp), 0);
    assert_int_equal(view_locked(exp, exp + 1), 1);
}

static void t_offsets_and_month_ends(void **state)
{
    (void)state;
    /* expiresAt written with an offset counts by its UTC date: 2027-03-01T01:00+05:30 is
     * 2027-02-28T19:30Z, so the view locks at 2027-03-01T00:00Z. */
    int64_t exp = P("2027-03-01T01:00:00+05:30");
    assert_int_equal(view_locked(exp, P("2027-02-28T23:59:59.999Z")), 0);
    assert_int_equal(view_locked(exp, P("2027-03-01T00:00:00.000Z")), 1);
    /* Leap day and year end. */
    exp = P("2028-02-29T10:00:00Z");
    assert_int_equal(view_locked(exp, P("2028-02-29T23:59:59.999Z")), 0);
    assert_int_equal(view_locked(exp, P("2028-03-01T00:00:00Z")), 1);
    exp = P("2027-12-31T12:00:00Z");
    assert_int_equal(view_locked(exp, P("2027-12-31T23:59:59.999Z")), 0);
    assert_int_equal(view_locked(exp, P("2028-01-01T00:00:00Z")), 1);
}

static void t_past_and_epoch(void **state)
{
    (void)state;
    /* A past expiresAt locks at once (how the API locks a view). */
    int64_t now = P("2026-06-15T12:00:00Z");
    assert_int_equal(view_locked(P("2025-07-01T00:00:00Z"), now), 1);
    assert_int_equal(view_locked(P("2026-06-14T23:59:59.999Z"), now), 1);
    assert_int_equal(view_locked(P("2026-06-15T00:00:00Z"), now), 0);
    /* Before 1970 the day boundary is still a floor. */
    int64_t exp = P("1969-12-31T12:00:00Z");
    assert_int_equal(view_locked(exp, -1), 0);
    assert_int_equal(view_locked(exp, 0), 1);
}

/* view_locked_below is the same rule as a bound for a query (the janitor's view.expired): for
 * every pair of instants around day boundaries, expires_at < bound exactly when the view is
 * locked. */
static void t_locked_below_agrees(void **state)
{
    (void)state;
    static const char *const at[] = {"1969-12-31T12:00:00Z",     "1970-01-01T00:00:00Z",
                                     "2026-06-14T23:59:59.999Z", "2026-06-15T00:00:00Z",
                                     "2026-06-15T00:00:00.001Z", "2026-06-15T12:00:00Z",
                                     "2026-06-15T23:59:59.999Z", "2026-06-16T00:00:00Z",
                                     "2028-02-29T00:00:00Z",     "2028-03-01T00:00:00Z"};
    size_t n = sizeof at / sizeof at[0];
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            int64_t exp = P(at[i]), now = P(at[j]);
            for (int64_t d = -1; d <= 1; d++)
                assert_int_equal(exp + d < view_locked_below(now), view_locked(exp + d, now));
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_midday_expiry),          cmocka_unit_test(t_midnight_expiry),
        cmocka_unit_test(t_offsets_and_month_ends), cmocka_unit_test(t_past_and_epoch),
        cmocka_unit_test(t_locked_below_agrees),
    };
    return cmocka_run_group_tests_name("expiry", tests, NULL, NULL);
}
