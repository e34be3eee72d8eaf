/* test_webhook_retry.c — the retry policies: the platform's (5xx and every network failure retried
 * 10-15 minutes later, failed after the fifth try, other statuses dropped) with its jitter bounds,
 * the Standard Webhooks schedule step by step with its jitter, Retry-After honoured for
 * 429/502/503/504 and capped, 410 disabling, and the Retry-After parser on both forms and on
 * garbage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/clock.h"
#include "webhooks/retry.h"

#define MIN 60000LL
#define HOUR (60 * MIN)
static const int64_t now = 1765000000000LL;

static struct webhook_outcome status(int st)
{
    return (struct webhook_outcome){
        .fault = WEBHOOK_RESPONSE, .http_status = st, .retry_after_ms = -1};
}

static struct webhook_outcome fault(enum webhook_fault f)
{
    return (struct webhook_outcome){.fault = f, .retry_after_ms = -1};
}

static void t_platform(void **state)
{
    (void)state;
    struct webhook_outcome ok = status(204), s500 = status(500), s404 = status(404);
    assert_int_equal(webhook_retry_decide(WEBHOOK_POLICY_PLATFORM, &ok, 1, now).kind,
                     WEBHOOK_DELIVERED);
    /* Five tries in all: the first four failures are retried, the fifth fails the delivery. */
    for (int tries = 1; tries <= 4; tries++) {
        struct webhook_verdict v = webhook_retry_decide(WEBHOOK_POLICY_PLATFORM, &s500, tries, now);
        assert_int_equal(v.kind, WEBHOOK_RETRY);
    }
    assert_int_equal(webhook_retry_decide(WEBHOOK_POLICY_PLATFORM, &s500, 5, now).kind,
                     WEBHOOK_FAILED);
    assert_int_equal(webhook_retry_decide(WEBHOOK_POLICY_PLATFORM, &s404, 1, now).kind,
                     WEBHOOK_DROPPED);
    int drop[] = {301, 302, 400, 401, 403, 404, 409, 410, 418, 429, 499, 100};
    for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++) {
        struct webhook_outcome o = status(drop[i]);
        assert_int_equal(webhook_retry_decide(WEBHOOK_POLICY_PLATFORM, &o, 1, now).kind,
                         WEBHOOK_DROPPED);
    }
    enum webhook_fault net[] = {WEBHOOK_TIMEOUT, WEBHOOK_CONNECT, WEBHOOK_DNS, WEBHOOK_TLS,
                                WEBHOOK_REFUSED_ADDRESS};
    for (size_t i = 0; i < sizeof net / sizeof net[0]; i++) {
        struct webhook_outcome o = fault(net[i]);
        assert_int_equal(webhook_retry_decide(WEBHOOK_POLICY_PLATFORM, &o, 1, now).kind,
                         WEBHOOK_RETRY);
        assert_int_equal(webhook_retry_decide(WEBHOOK_POLICY_PLATFORM, &o, 5, now).kind,
                         WEBHOOK_FAILED);
    }
    struct webhook_outcome proto = fault(WEBHOOK_PROTOCOL);
    assert_int_equal(webhook_retry_decide(WEBHOOK_POLICY_PLATFORM, &proto, 1, now).kind,
                     WEBHOOK_DROPPED);
}

/* Uniform 10..15 minutes: always inside, and spread over the window (not a constant). */
static void t_platform_jitter(void **state)
{
    (void)state;
    struct webhook_outcome o = status(503);
    int64_t lo = INT64_MAX, hi = 0;
    for (int i = 0; i < 2000; i++) {
        struct webhook_verdict v = webhook_retry_decide(WEBHOOK_POLICY_PLATFORM, &o, 1, now);
        int64_t d = v.next_at - now;
        assert_true(d >= 10 * MIN && d <= 15 * MIN);
        lo = d < lo ? d : lo;
        hi = d > hi ? d : hi;
    }
    assert_true(lo < 10 * MIN + 30000);
    assert_true(hi > 15 * MIN - 30000);
}

static void t_standard_steps(void **state)
{
    (void)state;
    const int64_t steps[] = {5000,      5 * MIN,   30 * MIN,  2 * HOUR, 5 * HOUR,
                             10 * HOUR, 14 * HOUR, 20 * HOUR, 24 * HOUR};
    struct webhook_outcome o = status(500);
    for (int i = 0; i < 9; i++) {
        assert_int_equal(webhook_standard_delay_ms(i + 1), steps[i]);
        for (int k = 0; k < 50; k++) {
            struct webhook_verdict v =
                webhook_retry_decide(WEBHOOK_POLICY_STANDARD, &o, i + 1, now);
            assert_int_equal(v.kind, WEBHOOK_RETRY);
            assert_true(v.next_at - now >= steps[i]);
            assert_true(v.next_at - now <= steps[i] + steps[i] / 10);
        }
    }
    assert_int_equal(webhook_standard_delay_ms(10), -1);
    assert_int_equal(webhook_standard_delay_ms(0), -1);
    assert_int_equal(webhook_retry_decide(WEBHOOK_POLICY_STANDARD, &o, 10, now).kind,
                     WEBHOOK_FAILED);
    struct webhook_outcome t = fault(WEBHOOK_TIMEOUT);
    assert_int_equal(webhook_retry_decide(WEBHOOK_POLICY_STANDARD, &t, 3, now).kind, WEBHOOK_RETRY);
    struct webhook_outcome gone = status(410), s404 = status(404), s302 = status(302);
    assert_int_equal(webhook_retry_decide(WEBHOOK_POLICY_STANDARD, &gone, 1, now).kind,
                     WEBHOOK_DISABLED);
    assert_int_equal(webhook_retry_decide(WEBHOOK_POLICY_STANDARD, &s404, 1, now).kind,
                     WEBHOOK_DROPPED);
    assert_int_equal(webhook_retry_decide(WEBHOOK_POLICY_STANDARD, &s302, 1, now).kind,
                     WEBHOOK_DROPPED);
    struct webhook_outcome ok = status(200);
    assert_int_equal(webhook_retry_decide(WEBHOOK_POLICY_STANDARD, &ok, 9, now).kind,
                     WEBHOOK_DELIVERED);
}

static void t_standard_retry_after(void **state)
{
    (void)state;
    int slow[] = {429, 502, 503, 504};
    for (size_t i = 0; i < 4; i++) {
        struct webhook_outcome o = status(slow[i]);
        o.retry_after_ms = 120000;
        struct webhook_verdict v = webhook_retry_decide(WEBHOOK_POLICY_STANDARD, &o, 1, now);
        assert_int_equal(v.kind, WEBHOOK_RETRY);
        assert_int_equal(v.next_at, now + 120000);
        o.retry_after_ms = 100 * HOUR; /* capped */
        v = webhook_retry_decide(WEBHOOK_POLICY_STANDARD, &o, 1, now);
        assert_int_equal(v.next_at, now + WEBHOOK_RETRY_AFTER_MAX_MS);
        /* Still bounded by the schedule's length. */
        assert_int_equal(webhook_retry_decide(WEBHOOK_POLICY_STANDARD, &o, 10, now).kind,
                         WEBHOOK_FAILED);
    }
    /* A 500 with Retry-After follows the schedule. */
    struct webhook_outcome o = status(500);
    o.retry_after_ms = 3 * HOUR;
    struct webhook_verdict v = webhook_retry_decide(WEBHOOK_POLICY_STANDARD, &o, 1, now);
    assert_true(v.next_at - now >= 5000 && v.next_at - now <= 5500);
    /* 429 without Retry-After: the schedule. */
    o = status(429);
    v = webhook_retry_decide(WEBHOOK_POLICY_STANDARD, &o, 2, now);
    assert_true(v.next_at - now >= 5 * MIN && v.next_at - now <= 5 * MIN + 30000);
}

static void t_retry_after_parse(void **state)
{
    (void)state;
    int64_t wall = clock_civil_ms(2026, 12, 7, 10, 0, 0), d = -5;
    assert_int_equal(webhook_retry_after_parse("120", wall, &d), 0);
    assert_int_equal(d, 120000);
    assert_int_equal(webhook_retry_after_parse(" 0 \r\n", wall, &d), 0);
    assert_int_equal(d, 0);
    assert_int_equal(webhook_retry_after_parse("99999999999999999999999", wall, &d), 0);
    assert_int_equal(d, WEBHOOK_RETRY_AFTER_MAX_MS);
    assert_int_equal(webhook_retry_after_parse("Mon, 07 Dec 2026 10:05:00 GMT", wall, &d), 0);
    assert_int_equal(d, 5 * MIN);
    assert_int_equal(webhook_retry_after_parse("Sun, 06 Dec 2026 10:05:00 GMT", wall, &d), 0);
    assert_int_equal(d, 0); /* in the past: at once */
    assert_int_equal(webhook_retry_after_parse("Fri, 01 Jan 2100 00:00:00 GMT", wall, &d), 0);
    assert_int_equal(d, WEBHOOK_RETRY_AFTER_MAX_MS);
    const char *bad[] = {"",
                         "   ",
                         "-1",
                         "1.5",
                         "12a",
                         "0x10",
                         "+5",
                         "soon",
                         "Mon, 07 Dec 2026 10:05:00 UTC",
                         "Mon, 32 Dec 2026 10:05:00 GMT",
                         "Mon, 07 Foo 2026 10:05:00 GMT",
                         "Xyz, 07 Dec 2026 10:05:00 GMT",
                         "Mon, 07 Dec 2026 25:05:00 GMT",
                         "Mon,  7 Dec 2026 10:05:00 GMT",
                         "Monday, 07-Dec-26 10:05:00 GMT",
                         "Mon Dec  7 10:05:00 2026",
                         "Mon, 29 Feb 2026 10:05:00 GMT",
                         "1111111111111111111111111111111111111111111111111111111111111"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        d = -5;
        assert_int_equal(webhook_retry_after_parse(bad[i], wall, &d), -1);
        assert_int_equal(d, -5);
    }
    assert_int_equal(webhook_retry_after_parse(NULL, wall, &d), -1);
}

static void t_names(void **state)
{
    (void)state;
    enum webhook_policy p;
    assert_int_equal(webhook_policy_parse("standard", &p), 0);
    assert_int_equal(p, WEBHOOK_POLICY_STANDARD);
    assert_int_equal(webhook_policy_parse("platform", &p), 0);
    assert_int_equal(p, WEBHOOK_POLICY_PLATFORM);
    assert_int_equal(webhook_policy_parse("Standard", &p), -1);
    assert_int_equal(webhook_policy_parse(NULL, &p), -1);
    struct webhook_outcome o = status(200);
    assert_null(webhook_error_class(&o));
    o = status(500);
    assert_string_equal(webhook_error_class(&o), "http");
    o = fault(WEBHOOK_REFUSED_ADDRESS);
    assert_string_equal(webhook_error_class(&o), "refused_address");
    o = fault(WEBHOOK_TIMEOUT);
    assert_string_equal(webhook_error_class(&o), "timeout");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_platform),          cmocka_unit_test(t_platform_jitter),
        cmocka_unit_test(t_standard_steps),    cmocka_unit_test(t_standard_retry_after),
        cmocka_unit_test(t_retry_after_parse), cmocka_unit_test(t_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
