/* test_ratelimit.c — ratelimit: the fixed one-second window per key (N allowed then denied,
 * remaining counting down, fractional reset in (0, 1], a new window starting over), limit 0 as
 * unlimited, long keys, many distinct keys (fail-open when full), and a pthreads smoke test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <pthread.h>

#include <cmocka.h>

#include "ratelimit/ratelimit.h"

#define T0 1795608000000LL /* a whole second: 2026-11-25T12:00:00Z */
#define APP "550e8400-e29b-41d4-a716-446655440000"

static void near(double got, double want)
{
    double d = got - want;
    if (d < -1e-9 || d > 1e-9)
        fail_msg("got %.6f, want %.6f", got, want);
}

static void t_limit_then_denied(void **state)
{
    (void)state;
    struct ratelimit *rl = rl_new(3);
    assert_non_null(rl);
    struct rl_result r;
    for (int i = 1; i <= 3; i++) {
        memset(&r, 0xff, sizeof r);
        rl_hit(rl, APP, T0 + 100, &r);
        assert_int_equal(r.allowed, 1);
        assert_int_equal(r.limit, 3);
        assert_int_equal(r.remaining, 3 - i);
    }
    for (int i = 0; i < 5; i++) {
        rl_hit(rl, APP, T0 + 200 + i, &r);
        assert_int_equal(r.allowed, 0);
        assert_int_equal(r.remaining, 0);
        assert_int_equal(r.limit, 3);
    }
    /* Another key has its own window. */
    rl_hit(rl, "other-app", T0 + 300, &r);
    assert_int_equal(r.allowed, 1);
    assert_int_equal(r.remaining, 2);
    rl_free(rl);
    rl_free(NULL);
}

static void t_reset_fraction(void **state)
{
    (void)state;
    struct ratelimit *rl = rl_new(50);
    struct rl_result r;
    rl_hit(rl, APP, T0 + 230, &r);
    near(r.reset_s, 0.77);
    rl_hit(rl, APP, T0 + 999, &r);
    near(r.reset_s, 0.001);
    /* At the very start of a window a whole second remains: the value is in (0, 1]. */
    rl_hit(rl, APP, T0, &r);
    near(r.reset_s, 1.0);
    for (int ms = 0; ms < 3000; ms += 7) {
        rl_hit(rl, "sweep", T0 + ms, &r);
        assert_true(r.reset_s > 0.0 && r.reset_s <= 1.0);
        near(r.reset_s, (1000 - ms % 1000) / 1000.0);
    }
    /* Before 1970 too (floor, not truncation). */
    rl_hit(rl, APP, -250, &r);
    near(r.reset_s, 0.25);
    rl_free(rl);
}

static void t_new_window_resets(void **state)
{
    (void)state;
    struct ratelimit *rl = rl_new(2);
    struct rl_result r;
    rl_hit(rl, APP, T0 + 998, &r);
    rl_hit(rl, APP, T0 + 999, &r);
    assert_int_equal(r.allowed, 1);
    assert_int_equal(r.remaining, 0);
    rl_hit(rl, APP, T0 + 999, &r);
    assert_int_equal(r.allowed, 0);
    /* The next millisecond is a new second. */
    rl_hit(rl, APP, T0 + 1000, &r);
    assert_int_equal(r.allowed, 1);
    assert_int_equal(r.remaining, 1);
    near(r.reset_s, 1.0);
    /* Skipping many seconds also starts fresh. */
    rl_hit(rl, APP, T0 + 1001, &r);
    rl_hit(rl, APP, T0 + 1002, &r);
    assert_int_equal(r.allowed, 0);
    rl_hit(rl, APP, T0 + 3600 * 1000, &r);
    assert_int_equal(r.allowed, 1);
    assert_int_equal(r.remaining, 1);
    /* A clock moved backwards is a different window too: never stuck denied. */
    rl_hit(rl, APP, T0 - 5000, &r);
    assert_int_equal(r.allowed, 1);
    rl_free(rl);
}

static void t_limit_zero_unlimited(void **state)
{
    (void)state;
    struct ratelimit *rl = rl_new(0);
    struct rl_result r;
    for (int i = 0; i < 5000; i++) {
        rl_hit(rl, APP, T0 + 10, &r);
        assert_int_equal(r.allowed, 1);
        assert_int_equal(r.limit, 0);
    }
    near(r.reset_s, 0.99);
    rl_free(rl);
}

static void t_limit_one(void **state)
{
    (void)state;
    struct ratelimit *rl = rl_new(1);
    struct rl_result r;
    rl_hit(rl, APP, T0, &r);
    assert_int_equal(r.allowed, 1);
    assert_int_equal(r.remaining, 0);
    rl_hit(rl, APP, T0 + 500, &r);
    assert_int_equal(r.allowed, 0);
    rl_free(rl);
}

static void t_long_keys_are_limited(void **state)
{
    (void)state;
    /* Keys longer than the internal key slot (OAuth client ids, say) must still be counted. */
    const char *k = "oauth-client-0123456789abcdefghijklmnopqrstuvwxyz-0123456789";
    struct ratelimit *rl = rl_new(2);
    struct rl_result r;
    rl_hit(rl, k, T0, &r);
    assert_int_equal(r.allowed, 1);
    assert_int_equal(r.remaining, 1);
    rl_hit(rl, k, T0 + 1, &r);
    assert_int_equal(r.allowed, 1);
    assert_int_equal(r.remaining, 0);
    rl_hit(rl, k, T0 + 2, &r);
    assert_int_equal(r.allowed, 0);
    /* A 39-character key (fits exactly) behaves the same. */
    const char *k39 = "abcdefghijklmnopqrstuvwxyz0123456789abc";
    assert_int_equal(strlen(k39), 39);
    rl_hit(rl, k39, T0, &r);
    rl_hit(rl, k39, T0, &r);
    rl_hit(rl, k39, T0, &r);
    assert_int_equal(r.allowed, 0);
    rl_free(rl);
}

static void t_many_distinct_keys(void **state)
{
    (void)state;
    struct ratelimit *rl = rl_new(2);
    struct rl_result r;
    char key[40];
    /* 5000 keys fit: each gets exactly two requests in the window. */
    for (int round = 0; round < 3; round++) {
        int64_t now = T0 + round * 1000LL + 10; /* a new window each round: slots are reused */
        for (int i = 0; i < 5000; i++) {
            snprintf(key, sizeof key, "key-%d", i);
            rl_hit(rl, key, now, &r);
            assert_int_equal(r.allowed, 1);
            assert_int_equal(r.remaining, 1);
        }
        for (int i = 0; i < 5000; i++) {
            snprintf(key, sizeof key, "key-%d", i);
            rl_hit(rl, key, now, &r);
            assert_int_equal(r.allowed, 1);
            assert_int_equal(r.remaining, 0);
            rl_hit(rl, key, now, &r);
            if (r.allowed)
                fail_msg("round %d: %s allowed a third time", round, key);
        }
    }
    rl_free(rl);
}

static void t_full_table_fails_open(void **state)
{
    (void)state;
    /* More live keys than the table holds (64 shards x 256 slots): requests are never refused
     * for keys that could not be counted, and the keys that were counted are limited. */
    enum { K = 20000 };
    struct ratelimit *rl = rl_new(1);
    struct rl_result r;
    char key[40];
    for (int w = 0; w < 2; w++) {
        int64_t now = T0 + w * 1000LL;
        for (int i = 0; i < K; i++) {
            snprintf(key, sizeof key, "client-%d", i);
            rl_hit(rl, key, now, &r);
            assert_int_equal(r.allowed, 1);
        }
        int denied = 0;
        for (int i = 0; i < K; i++) {
            snprintf(key, sizeof key, "client-%d", i);
            rl_hit(rl, key, now, &r);
            denied += !r.allowed;
        }
        assert_true(denied <= 64 * 256);
        assert_true(denied >= 15000);
    }
    rl_free(rl);
}

struct worker {
    struct ratelimit *rl;
    const char *key;
    int hits, allowed;
};

static void *hammer(void *p)
{
    struct worker *w = p;
    struct rl_result r;
    for (int i = 0; i < w->hits; i++) {
        rl_hit(w->rl, w->key, T0 + 500, &r);
        w->allowed += r.allowed;
        if (r.remaining < 0)
            w->allowed = -1000000; /* poisons the total */
    }
    return NULL;
}

static void t_threads_shared_key(void **state)
{
    (void)state;
    enum { THREADS = 8, HITS = 2000, LIMIT = 5000 };
    struct ratelimit *rl = rl_new(LIMIT);
    pthread_t th[THREADS];
    struct worker w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (struct worker){rl, APP, HITS, 0};
        assert_int_equal(pthread_create(&th[i], NULL, hammer, &w[i]), 0);
    }
    int total = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        total += w[i].allowed;
    }
    /* Exactly LIMIT of the 16000 concurrent requests got through. */
    assert_int_equal(total, LIMIT);
    rl_free(rl);
}

static void t_threads_own_keys(void **state)
{
    (void)state;
    enum { THREADS = 8, HITS = 1500, LIMIT = 700 };
    struct ratelimit *rl = rl_new(LIMIT);
    pthread_t th[THREADS];
    struct worker w[THREADS];
    char keys[THREADS][40];
    for (int i = 0; i < THREADS; i++) {
        snprintf(keys[i], sizeof keys[i], "thread-key-%d", i);
        w[i] = (struct worker){rl, keys[i], HITS, 0};
        assert_int_equal(pthread_create(&th[i], NULL, hammer, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].allowed, LIMIT);
    }
    rl_free(rl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_limit_then_denied),
        cmocka_unit_test(t_reset_fraction),
        cmocka_unit_test(t_new_window_resets),
        cmocka_unit_test(t_limit_zero_unlimited),
        cmocka_unit_test(t_limit_one),
        cmocka_unit_test(t_long_keys_are_limited),
        cmocka_unit_test(t_many_distinct_keys),
        cmocka_unit_test(t_full_table_fails_open),
        cmocka_unit_test(t_threads_shared_key),
        cmocka_unit_test(t_threads_own_keys),
    };
    return cmocka_run_group_tests_name("ratelimit", tests, NULL, NULL);
}
