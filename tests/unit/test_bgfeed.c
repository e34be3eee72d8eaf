/* test_bgfeed.c — the background feed delivers every byte, in order, whatever the push sizes,
 * and finish waits for the consumer. */
#include "core/bgfeed.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

struct seen {
    unsigned char *p;
    size_t n, cap, calls;
};

static void collect(void *user, const unsigned char *p, size_t n)
{
    struct seen *s = user;
    assert_true(s->n + n <= s->cap);
    memcpy(s->p + s->n, p, n);
    s->n += n;
    s->calls++;
}

static void run(size_t total, size_t slot, unsigned nslots, size_t maxpush)
{
    unsigned char *src = malloc(total + 1);
    assert_non_null(src);
    for (size_t i = 0; i < total; i++)
        src[i] = (unsigned char)(i * 2654435761u >> 13);
    struct seen s = {.p = malloc(total + 1), .cap = total};
    assert_non_null(s.p);
    struct bgfeed *f = bgfeed_start(collect, &s, slot, nslots);
    assert_non_null(f);
    size_t off = 0, k = 1;
    while (off < total) {
        size_t n = k % (maxpush + 1);
        if (n > total - off)
            n = total - off;
        bgfeed_push(f, src + off, n);
        off += n;
        k = k * 7 + 3;
    }
    bgfeed_finish(f);
    assert_int_equal(s.n, total);
    assert_memory_equal(s.p, src, total);
    if (total)
        assert_true(s.calls >= (total + slot - 1) / slot);
    free(src);
    free(s.p);
}

static void t_every_byte_in_order(void **state)
{
    (void)state;
    run(0, 16, 2, 5);
    run(1, 16, 2, 5);
    run(16, 16, 2, 16);          /* exactly one slot */
    run(1000, 16, 2, 40);        /* pushes larger than a slot */
    run(100000, 64, 3, 1000);
    run(3u << 20, 256u << 10, 4, 300000);
}

static void t_bad_arguments(void **state)
{
    (void)state;
    struct seen s = {0};
    assert_null(bgfeed_start(NULL, &s, 16, 2));
    assert_null(bgfeed_start(collect, &s, 0, 2));
    assert_null(bgfeed_start(collect, &s, 16, 1));
    bgfeed_finish(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_every_byte_in_order),
        cmocka_unit_test(t_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
