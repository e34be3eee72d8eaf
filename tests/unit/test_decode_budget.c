/* test_decode_budget.c — the process-wide JPEG decode budget: reservations add up to at most the
 * budget, a waiter wakes when another decode releases, the wait is bounded, an image larger than
 * the whole budget is refused at once; and real decodes (jpeg_preview) running on several threads
 * together never hold more than the budget. */
#include "property/decode_budget.h"
#include "render/jpeg_io.h"
#include "sample/sample.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#define MiB (1ULL << 20)

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void t_adds_up(void **state)
{
    (void)state;
    struct err e = {0};
    decode_budget_set(100);
    assert_int_equal(decode_budget_total(), 100);
    assert_int_equal(decode_budget_reserve(60, 0, &e), RC_OK);
    assert_int_equal(decode_budget_reserve(40, 0, &e), RC_OK);
    assert_int_equal(decode_budget_in_use(), 100);
    int64_t t0 = now_ms();
    assert_int_equal(decode_budget_reserve(1, 50, &e), RC_BUSY);
    assert_true(now_ms() - t0 >= 45);   /* it waited, for about the time it was given */
    assert_non_null(strstr(e.msg, "decode memory budget"));
    decode_budget_release(40);
    assert_int_equal(decode_budget_reserve(30, 0, &e), RC_OK);
    decode_budget_release(60);
    decode_budget_release(30);
    assert_int_equal(decode_budget_in_use(), 0);
    assert_int_equal(decode_budget_peak(), 100);
}

static void t_larger_than_budget(void **state)
{
    (void)state;
    struct err e = {0};
    decode_budget_set(10 * MiB);
    int64_t t0 = now_ms();
    assert_int_equal(decode_budget_reserve(10 * MiB + 1, 10000, &e), RC_TOOLARGE);
    assert_true(now_ms() - t0 < 1000);   /* no wait: it could never fit */
    assert_non_null(strstr(e.msg, "more than the decode memory budget of 10 MiB"));
    assert_int_equal(decode_budget_in_use(), 0);
    assert_int_equal(decode_budget_reserve(10 * MiB, 0, &e), RC_OK);   /* exactly the budget fits */
    decode_budget_release(10 * MiB);
}

struct waiter {
    uint64_t bytes;
    enum rc rc;
    int64_t done_at;
};

static void *wait_for(void *p)
{
    struct waiter *w = p;
    struct err e = {0};
    w->rc = decode_budget_reserve(w->bytes, 5000, &e);
    w->done_at = now_ms();
    return NULL;
}

static void t_waiter_wakes_on_release(void **state)
{
    (void)state;
    struct err e = {0};
    decode_budget_set(100);
    assert_int_equal(decode_budget_reserve(80, 0, &e), RC_OK);
    struct waiter w = {.bytes = 50};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, wait_for, &w), 0);
    usleep(100 * 1000);
    int64_t released = now_ms();
    decode_budget_release(80);
    pthread_join(th, NULL);
    assert_int_equal(w.rc, RC_OK);
    assert_true(w.done_at >= released);
    assert_true(w.done_at - released < 2000);
    assert_int_equal(decode_budget_waits(), 1);
    assert_int_equal(decode_budget_peak(), 80);
    decode_budget_release(50);
}

/* Real decodes on several threads: each sample panorama (1024 x 512, RGB) needs 1.5 MiB. */
struct decoder {
    const unsigned char *jpeg;
    size_t n;
    int rounds;
    enum rc rc;
};

static void *decode_loop(void *p)
{
    struct decoder *d = p;
    d->rc = RC_OK;
    for (int i = 0; i < d->rounds && d->rc == RC_OK; i++) {
        struct buf out;
        buf_init(&out, 16 << 20);
        struct err e = {0};
        d->rc = jpeg_preview(d->jpeg, d->n, 256, 80, &out, NULL, NULL, &e);
        buf_free(&out);
    }
    return NULL;
}

static void run_decoders(const unsigned char *jpeg, size_t n, int threads)
{
    struct decoder d[8];
    pthread_t th[8];
    for (int i = 0; i < threads; i++) {
        d[i] = (struct decoder){.jpeg = jpeg, .n = n, .rounds = 6};
        assert_int_equal(pthread_create(&th[i], NULL, decode_loop, &d[i]), 0);
    }
    for (int i = 0; i < threads; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(d[i].rc, RC_OK);
    }
}

static void t_concurrent_decodes_stay_within(void **state)
{
    (void)state;
    unsigned char *jpeg;
    size_t n;
    struct err e = {0};
    assert_int_equal(sample_jpeg(1, 0, &jpeg, &n, &e), RC_OK);
    const uint64_t need = (uint64_t)SAMPLE_PANO_WIDTH * (SAMPLE_PANO_WIDTH / 2) * 3;

    /* Room for one decode at a time: four threads take turns, never two at once. */
    decode_budget_set(need + need / 3);
    run_decoders(jpeg, n, 4);
    assert_int_equal(decode_budget_peak(), need);
    assert_int_equal(decode_budget_in_use(), 0);

    /* Room for two: they may overlap, never beyond the budget. */
    decode_budget_set(2 * need);
    run_decoders(jpeg, n, 4);
    assert_true(decode_budget_peak() >= need);
    assert_true(decode_budget_peak() <= 2 * need);
    assert_int_equal(decode_budget_in_use(), 0);
    free(jpeg);
}

static void t_image_larger_than_budget_is_invalid(void **state)
{
    (void)state;
    unsigned char *jpeg;
    size_t n;
    struct err e = {0};
    assert_int_equal(sample_jpeg(2, 0, &jpeg, &n, &e), RC_OK);
    decode_budget_set(1 * MiB);
    struct buf out;
    buf_init(&out, 16 << 20);
    assert_int_equal(jpeg_preview(jpeg, n, 256, 80, &out, NULL, NULL, &e), RC_INVALID);
    assert_non_null(strstr(e.msg, "more than the decode memory budget of 1 MiB"));
    assert_int_equal(decode_budget_in_use(), 0);
    assert_int_equal(decode_budget_peak(), 0);
    /* A corrupt stream after the reservation gives it back too. */
    decode_budget_set(16 * MiB);
    size_t cut = n / 2;
    memset(jpeg + cut, 0xff, n - cut);
    out.len = 0;
    jpeg_preview(jpeg, n, 256, 80, &out, NULL, NULL, &e);
    assert_int_equal(decode_budget_in_use(), 0);
    buf_free(&out);
    free(jpeg);
    decode_budget_set(DECODE_BUDGET_DEFAULT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_adds_up),
        cmocka_unit_test(t_larger_than_budget),
        cmocka_unit_test(t_waiter_wakes_on_release),
        cmocka_unit_test(t_concurrent_decodes_stay_within),
        cmocka_unit_test(t_image_larger_than_budget_is_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
