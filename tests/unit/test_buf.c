/* test_buf.c — core/buf: appends stay NUL-terminated, growth keeps the data, the hard maximum
 * returns -2 and leaves the buffer as it was, printf (short and long) and free. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"

static void t_init_empty(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 100);
    assert_null(b.p);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.max, 100);
    /* An empty append still yields a valid empty string. */
    assert_int_equal(buf_append(&b, "", 0), 0);
    assert_non_null(b.p);
    assert_string_equal(b.p, "");
    buf_free(&b);
    assert_null(b.p);
    assert_int_equal(b.len, 0);
}

static void t_append_nul_terminated(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1000);
    assert_int_equal(buf_append(&b, "abcXYZ", 3), 0);
    assert_int_equal(b.len, 3);
    assert_string_equal(b.p, "abc");
    assert_int_equal(buf_puts(&b, "def"), 0);
    assert_int_equal(b.len, 6);
    assert_int_equal(b.p[6], '\0');
    assert_string_equal(b.p, "abcdef");
    /* Binary data with a NUL inside keeps its length. */
    assert_int_equal(buf_append(&b, "g\0h", 3), 0);
    assert_int_equal(b.len, 9);
    assert_memory_equal(b.p, "abcdefg\0h", 10);
    buf_free(&b);
}

static void t_growth(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1 << 22);
    char chunk[97];
    for (size_t i = 0; i < sizeof chunk; i++)
        chunk[i] = (char)('a' + i % 26);
    size_t total = 0;
    for (int i = 0; i < 20000; i++) {
        assert_int_equal(buf_append(&b, chunk, sizeof chunk), 0);
        total += sizeof chunk;
        assert_int_equal(b.len, total);
        assert_true(b.cap > b.len);
        assert_int_equal(b.p[b.len], '\0');
    }
    for (size_t i = 0; i < total; i += 4999)
        assert_int_equal(b.p[i], 'a' + (i % sizeof chunk) % 26);
    buf_free(&b);
}

static void t_max_exact_then_minus2(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 10);
    assert_int_equal(buf_append(&b, "0123456789", 10), 0); /* exactly max */
    assert_int_equal(b.len, 10);
    assert_string_equal(b.p, "0123456789");
    assert_int_equal(buf_append(&b, "x", 1), -2);
    assert_int_equal(buf_puts(&b, "y"), -2);
    assert_int_equal(buf_printf(&b, "%d", 7), -2);
    /* Refusals change nothing, and the first one sticks: even an empty append now answers it. */
    assert_int_equal(b.len, 10);
    assert_string_equal(b.p, "0123456789");
    assert_int_equal(buf_err(&b), -2);
    assert_int_equal(buf_append(&b, "", 0), -2);
    buf_free(&b);
    /* An empty append at the limit, before any refusal, is fine. */
    buf_init(&b, 1);
    assert_int_equal(buf_puts(&b, "z"), 0);
    assert_int_equal(buf_append(&b, "", 0), 0);
    assert_int_equal(buf_err(&b), 0);
    buf_free(&b);
}

static void t_max_partial_refused(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 8);
    assert_int_equal(buf_puts(&b, "abcde"), 0);
    assert_int_equal(buf_puts(&b, "fghi"), -2); /* 9 > 8: nothing of it is appended */
    assert_int_equal(b.len, 5);
    assert_string_equal(b.p, "abcde");
    /* Sticky: what would have fitted is refused too, so a writer never leaves a gap. */
    assert_int_equal(buf_puts(&b, "fgh"), -2);
    assert_string_equal(b.p, "abcde");
    buf_free(&b);
    assert_int_equal(buf_err(&b), 0); /* freeing forgets the error: the buffer is reusable */
}

static void t_max_zero(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(buf_append(&b, "", 0), 0);
    assert_string_equal(b.p, "");
    assert_int_equal(buf_append(&b, "a", 1), -2);
    assert_string_equal(b.p, "");
    buf_free(&b);
}

static void t_huge_n_no_overflow(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 100);
    assert_int_equal(buf_puts(&b, "abc"), 0);
    /* len + n would wrap around; must still be -2 (p is never read). */
    assert_int_equal(buf_append(&b, "x", SIZE_MAX), -2);
    assert_int_equal(buf_append(&b, "x", SIZE_MAX - 2), -2);
    assert_int_equal(b.len, 3);
    buf_free(&b);
}

static void t_unbounded_max(void **state)
{
    (void)state;
    /* SIZE_MAX as "no practical maximum" must not wrap the capacity computation. */
    struct buf b;
    buf_init(&b, SIZE_MAX);
    assert_int_equal(buf_puts(&b, "hello"), 0);
    assert_string_equal(b.p, "hello");
    assert_true(b.cap > b.len);
    for (int i = 0; i < 200; i++)
        assert_int_equal(buf_puts(&b, "0123456789"), 0);
    assert_int_equal(b.len, 2005);
    assert_int_equal(b.p[2005], '\0');
    buf_free(&b);
}

static void t_printf_short_and_long(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1 << 20);
    assert_int_equal(buf_printf(&b, "%s=%d;", "a", 1), 0);
    assert_string_equal(b.p, "a=1;");
    /* Longer than the internal 512-byte stack buffer. */
    char *big = malloc(3001);
    memset(big, 'z', 3000);
    big[3000] = '\0';
    assert_int_equal(buf_printf(&b, "[%s]", big), 0);
    assert_int_equal(b.len, 4 + 3002);
    assert_int_equal(b.p[4], '[');
    assert_int_equal(b.p[4 + 3001], ']');
    assert_int_equal(b.p[b.len], '\0');
    free(big);
    buf_free(&b);
}

static void t_printf_long_over_max(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 600);
    char big[1001];
    memset(big, 'k', 1000);
    big[1000] = '\0';
    assert_int_equal(buf_printf(&b, "%s", big), -2);
    assert_int_equal(b.len, 0);
    buf_free(&b);
    buf_init(&b, 600);
    assert_int_equal(buf_printf(&b, "%.600s", big), 0);
    assert_int_equal(b.len, 600);
    buf_free(&b);
}

static void t_reuse_after_free(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 50);
    assert_int_equal(buf_puts(&b, "first"), 0);
    buf_free(&b);
    assert_int_equal(b.max, 50); /* the maximum survives */
    assert_int_equal(buf_puts(&b, "second"), 0);
    assert_string_equal(b.p, "second");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_init_empty),
        cmocka_unit_test(t_append_nul_terminated),
        cmocka_unit_test(t_growth),
        cmocka_unit_test(t_max_exact_then_minus2),
        cmocka_unit_test(t_max_partial_refused),
        cmocka_unit_test(t_max_zero),
        cmocka_unit_test(t_huge_n_no_overflow),
        cmocka_unit_test(t_unbounded_max),
        cmocka_unit_test(t_printf_short_and_long),
        cmocka_unit_test(t_printf_long_over_max),
        cmocka_unit_test(t_reuse_after_free),
    };
    return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
