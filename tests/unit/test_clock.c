/* test_clock.c — core/clock: RFC 3339 formatting and parsing (offsets, fractions, invalid dates,
 * leap years), day starts, calendar-year arithmetic (Feb 29), and the test clock
 * (clock_set_ms / clock_advance_ms / clock_freeze move wall time, never monotonic time). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/clock.h"

/* Parses s, failing the test when it does not parse. */
static int64_t P(const char *s)
{
    int64_t ms = 0;
    if (clock_parse(s, &ms) != 0)
        fail_msg("clock_parse rejected \"%s\"", s);
    return ms;
}

static void assert_rejected(const char *s)
{
    int64_t ms = 12345;
    if (clock_parse(s, &ms) != -1)
        fail_msg("clock_parse accepted \"%s\"", s);
}

static void t_format_epoch_and_known(void **state)
{
    (void)state;
    char out[32];
    assert_string_equal(clock_format(0, 0, out), "1970-01-01T00:00:00Z");
    assert_string_equal(clock_format(0, 1, out), "1970-01-01T00:00:00.000Z");
    /* 2026-11-25T12:00:00Z = 1795608000 s. */
    assert_string_equal(clock_format(1795608000000LL, 0, out), "2026-11-25T12:00:00Z");
    assert_string_equal(clock_format(1795608000123LL, 1, out), "2026-11-25T12:00:00.123Z");
    /* Without ms the fraction is dropped, not rounded. */
    assert_string_equal(clock_format(1795608000999LL, 0, out), "2026-11-25T12:00:00Z");
    /* The returned pointer is out. */
    assert_ptr_equal(clock_format(0, 0, out), out);
}

static void t_format_before_epoch(void **state)
{
    (void)state;
    char out[32];
    assert_string_equal(clock_format(-1, 1, out), "1969-12-31T23:59:59.999Z");
    assert_string_equal(clock_format(-1000, 1, out), "1969-12-31T23:59:59.000Z");
    assert_string_equal(clock_format(-86400000LL, 0, out), "1969-12-31T00:00:00Z");
}

static void t_parse_basic(void **state)
{
    (void)state;
    assert_int_equal(P("1970-01-01T00:00:00Z"), 0);
    assert_int_equal(P("2026-11-25T12:00:00Z"), 1795608000000LL);
    assert_int_equal(P("2026-11-25t12:00:00z"), 1795608000000LL); /* RFC 3339 allows lower case */
    assert_int_equal(P("1969-12-31T23:59:59Z"), -1000);
    assert_int_equal(P("2000-01-01T00:00:00Z"), 946684800000LL);
    assert_int_equal(P("0001-01-01T00:00:00Z"), -62135596800000LL);
    assert_int_equal(P("9999-12-31T23:59:59Z"), 253402300799000LL);
}

static void t_parse_offsets(void **state)
{
    (void)state;
    int64_t z = P("2026-01-01T00:00:00Z");
    assert_int_equal(P("2026-01-01T05:30:00+05:30"), z);
    assert_int_equal(P("2025-12-31T16:00:00-08:00"), z);
    assert_int_equal(P("2026-01-01T00:00:00+00:00"), z);
    assert_int_equal(P("2026-01-01T00:00:00-00:00"), z);
    assert_int_equal(P("2026-01-01T23:59:00+23:59"), z);
    assert_int_equal(P("2026-01-01T00:00:00.250+05:30"), z - 5 * 3600000LL - 30 * 60000LL + 250);
    /* Bad offsets. */
    assert_rejected("2026-01-01T00:00:00+05");
    assert_rejected("2026-01-01T00:00:00+0530");
    assert_rejected("2026-01-01T00:00:00+05:3");
    assert_rejected("2026-01-01T00:00:00+24:00");
    assert_rejected("2026-01-01T00:00:00+05:60");
    assert_rejected("2026-01-01T00:00:00+05:30Z");
    assert_rejected("2026-01-01T00:00:00 +05:30");
}

static void t_parse_fractions(void **state)
{
    (void)state;
    int64_t base = P("2026-02-17T00:00:00Z");
    assert_int_equal(P("2026-02-17T00:00:00.000Z"), base);
    assert_int_equal(P("2026-02-17T00:00:00.5Z"), base + 500);
    assert_int_equal(P("2026-02-17T00:00:00.05Z"), base + 50);
    assert_int_equal(P("2026-02-17T00:00:00.123Z"), base + 123);
    assert_int_equal(P("2026-02-17T00:00:00.1239Z"), base + 123); /* truncated, not rounded */
    assert_int_equal(P("2026-02-17T00:00:00.999999999Z"), base + 999);
    assert_int_equal(P("1969-12-31T23:59:59.500Z"), -500);
    assert_rejected("2026-02-17T00:00:00.Z");
    assert_rejected("2026-02-17T00:00:00.1234567890Z"); /* more than nanoseconds */
    assert_rejected("2026-02-17T00:00:00,5Z");
    assert_rejected("2026-02-17T00:00:00.5");
}

static void t_parse_invalid(void **state)
{
    (void)state;
    assert_rejected("");
    assert_rejected("2026-02-17");
    assert_rejected("2026-02-17T00:00:00");      /* no zone */
    assert_rejected("2026-02-30T00:00:00Z");     /* no such day */
    assert_rejected("2026-04-31T00:00:00Z");
    assert_rejected("2026-02-29T00:00:00Z");     /* 2026 is not a leap year */
    assert_rejected("2026-13-01T00:00:00Z");
    assert_rejected("2026-00-10T00:00:00Z");
    assert_rejected("2026-01-00T00:00:00Z");
    assert_rejected("2026-01-32T00:00:00Z");
    assert_rejected("2026-01-01T24:00:00Z");
    assert_rejected("2026-01-01T23:60:00Z");
    assert_rejected("2026-01-01T23:59:60Z");     /* no leap seconds */
    assert_rejected("0000-01-01T00:00:00Z");
    assert_rejected("2026-01-01 00:00:00Z");
    assert_rejected("2026/01/01T00:00:00Z");
    assert_rejected("2026-1-01T00:00:00Z");
    assert_rejected("2026-01-01T00:00:00Zjunk");
    assert_rejected(" 2026-01-01T00:00:00Z");
    assert_rejected("2026-01-01T0a:00:00Z");
    assert_rejected("+2026-01-01T00:00:00Z");
    assert_rejected("2026-01-01T00:00:00.123456789+05:30xxxxxx"); /* too long */
}

static void t_leap_years(void **state)
{
    (void)state;
    assert_int_equal(P("2024-02-29T00:00:00Z"), P("2024-02-28T00:00:00Z") + MS_PER_DAY);
    assert_int_equal(P("2024-03-01T00:00:00Z"), P("2024-02-29T00:00:00Z") + MS_PER_DAY);
    assert_int_equal(P("2000-02-29T12:00:00Z"), P("2000-02-28T12:00:00Z") + MS_PER_DAY);
    assert_rejected("1900-02-29T00:00:00Z"); /* divisible by 100, not 400 */
    assert_rejected("2100-02-29T00:00:00Z");
    assert_rejected("2023-02-29T00:00:00Z");
    char out[32];
    assert_string_equal(clock_format(P("2024-02-29T23:59:59.999Z"), 1, out),
                        "2024-02-29T23:59:59.999Z");
}

static void t_round_trips(void **state)
{
    (void)state;
    char out[32];
    const char *samples[] = {
        "1970-01-01T00:00:00.000Z", "1999-12-31T23:59:59.999Z", "2000-02-29T00:00:00.001Z",
        "2026-02-21T12:00:00.000Z", "2038-01-19T03:14:08.000Z", "2100-03-01T00:00:00.000Z",
        "1950-06-15T08:30:45.678Z", "9999-12-31T23:59:59.999Z",
    };
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++)
        assert_string_equal(clock_format(P(samples[i]), 1, out), samples[i]);
    /* And numbers → text → numbers across a wide range, every few days plus odd ms. */
    for (int64_t ms = -2000000000000LL; ms < 4000000000000LL; ms += 12345678901LL) {
        int64_t back = 0;
        assert_int_equal(clock_parse(clock_format(ms, 1, out), &back), 0);
        assert_int_equal(back, ms);
        assert_int_equal(clock_parse(clock_format(ms, 0, out), &back), 0);
        assert_int_equal(back, ms - (((ms % 1000) + 1000) % 1000));
    }
}

static void t_day_start(void **state)
{
    (void)state;
    assert_int_equal(clock_day_start(P("2026-11-25T12:34:56.789Z")), P("2026-11-25T00:00:00Z"));
    assert_int_equal(clock_day_start(P("2026-11-25T00:00:00Z")), P("2026-11-25T00:00:00Z"));
    assert_int_equal(clock_day_start(P("2026-11-25T23:59:59.999Z")), P("2026-11-25T00:00:00Z"));
    assert_int_equal(clock_day_start(0), 0);
    assert_int_equal(clock_day_start(-1), -MS_PER_DAY);
    assert_int_equal(clock_day_start(-MS_PER_DAY), -MS_PER_DAY);
    assert_int_equal(clock_day_start(P("1969-07-20T20:17:00Z")), P("1969-07-20T00:00:00Z"));
}

static void t_add_years(void **state)
{
    (void)state;
    /* The documented token example: createdAt + 2 years. */
    assert_int_equal(clock_add_years(P("2026-02-21T12:00:00Z"), 2), P("2028-02-21T12:00:00Z"));
    /* Milliseconds are kept. */
    assert_int_equal(clock_add_years(P("2026-02-21T12:00:00.123Z"), 2),
                     P("2028-02-21T12:00:00.123Z"));
    /* Feb 29 becomes Feb 28 in a common year, stays Feb 29 in a leap year. */
    assert_int_equal(clock_add_years(P("2024-02-29T10:00:00Z"), 1), P("2025-02-28T10:00:00Z"));
    assert_int_equal(clock_add_years(P("2024-02-29T10:00:00Z"), 2), P("2026-02-28T10:00:00Z"));
    assert_int_equal(clock_add_years(P("2024-02-29T10:00:00Z"), 4), P("2028-02-29T10:00:00Z"));
    assert_int_equal(clock_add_years(P("2024-02-29T10:00:00Z"), -1), P("2023-02-28T10:00:00Z"));
    assert_int_equal(clock_add_years(P("2024-02-29T10:00:00Z"), 76), P("2100-02-28T10:00:00Z"));
    /* Backwards and across the epoch. */
    assert_int_equal(clock_add_years(P("2026-03-01T00:00:00Z"), -1), P("2025-03-01T00:00:00Z"));
    assert_int_equal(clock_add_years(P("1971-06-01T00:00:00.500Z"), -2),
                     P("1969-06-01T00:00:00.500Z"));
    assert_int_equal(clock_add_years(P("1969-12-31T23:59:59.999Z"), 1),
                     P("1970-12-31T23:59:59.999Z"));
    assert_int_equal(clock_add_years(P("2026-07-04T01:02:03Z"), 0), P("2026-07-04T01:02:03Z"));
    /* Ten years ahead (the expiresAt window). */
    assert_int_equal(clock_add_years(P("2026-03-01T00:00:00Z"), 10), P("2036-03-01T00:00:00Z"));
}

static void t_test_clock(void **state)
{
    (void)state;
    int64_t target = P("2030-05-05T05:05:05Z");
    int64_t mono0 = clock_mono_ms();
    clock_set_ms(target);
    int64_t now = clock_now_ms();
    assert_true(now >= target && now < target + 2000);
    clock_advance_ms(3 * MS_PER_DAY);
    now = clock_now_ms();
    assert_true(now >= target + 3 * MS_PER_DAY && now < target + 3 * MS_PER_DAY + 2000);
    clock_advance_ms(-10 * MS_PER_DAY);
    now = clock_now_ms();
    assert_true(now >= target - 7 * MS_PER_DAY && now < target - 7 * MS_PER_DAY + 2000);
    /* Monotonic time is not moved by the test clock. */
    int64_t mono1 = clock_mono_ms();
    assert_true(mono1 >= mono0 && mono1 - mono0 < 2000);
    int64_t ns0 = clock_mono_ns();
    int64_t ns1 = clock_mono_ns();
    assert_true(ns1 >= ns0);
    /* Setting again replaces, rather than adds to, the offset. */
    clock_set_ms(0);
    now = clock_now_ms();
    assert_true(now >= 0 && now < 2000);
    clock_set_ms(target);
    now = clock_now_ms();
    assert_true(now >= target && now < target + 2000);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void t_freeze(void **state)
{
    (void)state;
    int64_t target = P("2031-01-01T00:00:00Z");
    clock_set_ms(target);
    assert_int_equal(clock_frozen(), 0);
    clock_freeze(1);
    assert_int_equal(clock_frozen(), 1);
    int64_t a = clock_now_ms();
    assert_true(a >= target && a < target + 2000);
    int64_t mono0 = clock_mono_ms();
    sleep_ms(30);
    /* Wall time stands still; monotonic time does not. */
    assert_int_equal(clock_now_ms(), a);
    assert_true(clock_mono_ms() - mono0 >= 25);
    /* Advance and set still move a frozen clock, exactly. */
    clock_advance_ms(5000);
    assert_int_equal(clock_now_ms(), a + 5000);
    clock_advance_ms(-MS_PER_DAY);
    assert_int_equal(clock_now_ms(), a + 5000 - MS_PER_DAY);
    int64_t t2 = P("2032-02-29T23:59:59.999Z");
    clock_set_ms(t2);
    assert_int_equal(clock_now_ms(), t2);
    clock_freeze(1); /* idempotent: does not re-read the real clock */
    assert_int_equal(clock_now_ms(), t2);
    /* Unfreezing resumes from the frozen instant, and time runs again. */
    clock_freeze(0);
    assert_int_equal(clock_frozen(), 0);
    int64_t b = clock_now_ms();
    assert_true(b >= t2 && b < t2 + 2000);
    sleep_ms(30);
    assert_true(clock_now_ms() >= b + 25);
    clock_freeze(0); /* idempotent too */
    assert_int_equal(clock_frozen(), 0);
}

/* The shared test clock: another process's setting is applied unless this process moved its
 * clock after reading the generation; a frozen setting stands exactly. */
static void t_state_apply(void **state)
{
    (void)state;
    struct clock_state before,
        st = {.offset_ms = 0, .frozen = 1, .frozen_at_ms = 1893456000000LL}; /* 2030-01-01 */
    clock_state_get(&before);
    clock_advance_ms(5000); /* a local change after the read: the older setting loses */
    assert_int_equal(clock_state_apply(&st, before.generation), -1);
    assert_int_equal(clock_frozen(), 0);
    clock_state_get(&before);
    assert_int_equal(clock_state_apply(&st, before.generation), 0);
    assert_int_equal(clock_frozen(), 1);
    assert_int_equal(clock_now_ms(), 1893456000000LL);
    struct clock_state now;
    clock_state_get(&now);
    assert_int_equal(now.frozen_at_ms, 1893456000000LL);
    assert_true(now.generation > before.generation);
    /* Back to real time for the other tests. */
    st = (struct clock_state){0};
    assert_int_equal(clock_state_apply(&st, now.generation), 0);
    assert_int_equal(clock_frozen(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_format_epoch_and_known),
        cmocka_unit_test(t_format_before_epoch),
        cmocka_unit_test(t_parse_basic),
        cmocka_unit_test(t_parse_offsets),
        cmocka_unit_test(t_parse_fractions),
        cmocka_unit_test(t_parse_invalid),
        cmocka_unit_test(t_leap_years),
        cmocka_unit_test(t_round_trips),
        cmocka_unit_test(t_day_start),
        cmocka_unit_test(t_add_years),
        cmocka_unit_test(t_test_clock),
        cmocka_unit_test(t_freeze),
        cmocka_unit_test(t_state_apply),
    };
    return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
