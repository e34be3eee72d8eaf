/* test_arena.c — core/arena: alignment, zero-filling, absurd and big allocations (a big one gets
 * its own block and does not waste the current block's tail), string helpers, printf, and
 * cleanup hooks running last-registered-first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"

#define ALIGN _Alignof(max_align_t)

static void t_new_and_free_null(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    assert_non_null(a);
    assert_int_equal(arena_used(a), 0);
    arena_free(a);
    arena_free(NULL); /* a no-op, must not crash */
}

static void t_alignment(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    /* Odd sizes one after another: every pointer is aligned for any type. */
    for (size_t n = 0; n < 300; n++) {
        void *p = arena_alloc(a, n % 37 + (n % 3 == 0 ? 0 : 1));
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % ALIGN, 0);
    }
    /* Big ones too. */
    for (size_t n = 5000; n < 200000; n = n * 3 + 1) {
        void *p = arena_alloc(a, n);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % ALIGN, 0);
    }
    arena_free(a);
}

static void t_distinct_and_writable(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    unsigned char *ps[200];
    for (int i = 0; i < 200; i++) {
        ps[i] = arena_alloc(a, 24);
        assert_non_null(ps[i]);
        memset(ps[i], i, 24);
    }
    /* No allocation overlaps another: each still holds its own fill byte. */
    for (int i = 0; i < 200; i++)
        for (int j = 0; j < 24; j++)
            assert_int_equal(ps[i][j], (unsigned char)i);
    arena_free(a);
}

static void t_zero_filled(void **state)
{
    (void)state;
    /* Dirty a lot of heap memory, free it, then allocate again: fresh memory must be zero even
     * when malloc hands back the dirty blocks. */
    for (int round = 0; round < 2; round++) {
        struct arena *a = arena_new();
        size_t sizes[] = {1, 7, 16, 100, 1000, 4000, 5000, 70000, 1 << 20, (1 << 20) + 3};
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            unsigned char *p = arena_alloc(a, sizes[i]);
            assert_non_null(p);
            for (size_t k = 0; k < sizes[i]; k++)
                if (p[k] != 0)
                    fail_msg("byte %zu of a %zu-byte allocation is %d, not 0", k, sizes[i], p[k]);
            memset(p, 0xA5, sizes[i]);
        }
        arena_free(a);
    }
}

static void t_zero_size_and_absurd(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    void *p = arena_alloc(a, 0);
    void *q = arena_alloc(a, 0);
    assert_non_null(p);
    assert_non_null(q);
    assert_ptr_not_equal(p, q);
    assert_null(arena_alloc(a, SIZE_MAX));
    assert_null(arena_alloc(a, SIZE_MAX - 8));
    assert_null(arena_alloc(a, ((size_t)1 << 30) + 1));
    assert_null(arena_strndup(a, "x", SIZE_MAX));
    /* The arena still works after refusing. */
    char *s = arena_strdup(a, "still fine");
    assert_string_equal(s, "still fine");
    arena_free(a);
}

static void t_big_allocation(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    char *s1 = arena_alloc(a, 16);
    assert_non_null(s1);
    size_t big_n = 3u << 20; /* larger than any regular block */
    unsigned char *big = arena_alloc(a, big_n);
    assert_non_null(big);
    memset(big, 0x5A, big_n); /* ASan catches a short block */
    assert_int_equal(big[0], 0x5A);
    assert_int_equal(big[big_n - 1], 0x5A);
    /* The big block went behind the current one: the next small allocation continues right
     * after the previous small one instead of starting a new block. */
    char *s2 = arena_alloc(a, 16);
    assert_non_null(s2);
    assert_ptr_equal(s2, s1 + 16);
    assert_true(arena_used(a) >= big_n + 32);
    arena_free(a);
}

static void t_used_counts(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    size_t before = arena_used(a);
    arena_alloc(a, 10);
    size_t after1 = arena_used(a);
    assert_true(after1 >= before + 10);
    arena_alloc(a, 10000);
    assert_true(arena_used(a) >= after1 + 10000);
    arena_free(a);
}

static void t_strings(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    char *s = arena_strndup(a, "hello world", 5);
    assert_string_equal(s, "hello");
    assert_int_equal(strlen(s), 5);
    char *e = arena_strndup(a, "abc", 0);
    assert_non_null(e);
    assert_string_equal(e, "");
    assert_null(arena_strdup(a, NULL));
    const char *src = "copy me";
    char *d = arena_strdup(a, src);
    assert_string_equal(d, src);
    assert_ptr_not_equal(d, src);
    /* Embedded data after n is not copied. */
    char raw[] = {'a', 'b', 'c', 'd'};
    char *r = arena_strndup(a, raw, 3);
    assert_memory_equal(r, "abc", 4);
    arena_free(a);
}

static void t_printf(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    char *s = arena_printf(a, "%s-%d-%05.1f", "x", 42, 3.14159);
    assert_string_equal(s, "x-42-003.1");
    assert_string_equal(arena_printf(a, "%s", ""), "");
    /* Longer than the first block. */
    char *pad = malloc(20001);
    memset(pad, 'q', 20000);
    pad[20000] = '\0';
    char *l = arena_printf(a, "<%s>", pad);
    assert_non_null(l);
    assert_int_equal(strlen(l), 20002);
    assert_int_equal(l[0], '<');
    assert_int_equal(l[20001], '>');
    assert_int_equal(l[10000], 'q');
    free(pad);
    arena_free(a);
}

static char order_log[16];
static size_t order_n;

static void hook(void *ctx)
{
    order_log[order_n++] = *(const char *)ctx;
}

static void t_defer_reverse_order(void **state)
{
    (void)state;
    order_n = 0;
    memset(order_log, 0, sizeof order_log);
    static const char ids[] = "abcde";
    struct arena *a = arena_new();
    for (int i = 0; i < 5; i++) {
        assert_int_equal(arena_defer(a, hook, (void *)&ids[i]), 0);
        /* Allocations in between do not disturb the hook list. */
        assert_non_null(arena_alloc(a, 3000));
    }
    assert_int_equal(order_n, 0); /* nothing runs before the free */
    arena_free(a);
    assert_int_equal(order_n, 5);
    assert_string_equal(order_log, "edcba");
}

static void free_ctx(void *p)
{
    free(p);
}

static void t_defer_frees_resources(void **state)
{
    (void)state;
    /* Under ASan a hook that did not run would show up as a leak. */
    struct arena *a = arena_new();
    for (int i = 0; i < 100; i++)
        assert_int_equal(arena_defer(a, free_ctx, malloc(64)), 0);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_new_and_free_null),
        cmocka_unit_test(t_alignment),
        cmocka_unit_test(t_distinct_and_writable),
        cmocka_unit_test(t_zero_filled),
        cmocka_unit_test(t_zero_size_and_absurd),
        cmocka_unit_test(t_big_allocation),
        cmocka_unit_test(t_used_counts),
        cmocka_unit_test(t_strings),
        cmocka_unit_test(t_printf),
        cmocka_unit_test(t_defer_reverse_order),
        cmocka_unit_test(t_defer_frees_resources),
    };
    return cmocka_run_group_tests_name("arena", tests, NULL, NULL);
}
