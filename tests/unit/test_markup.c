/* test_markup.c — core/markup: each special character, control characters dropped but tab, LF and
 * CR kept, UTF-8 and DEL passed through, NULL, and the buffer's maximum (sticky). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/markup.h"

static char *esc(struct buf *b, const char *s)
{
    buf_free(b);
    buf_init(b, 1024);
    assert_int_equal(markup_escape(b, s), 0);
    return b->p ? b->p : "";
}

static void t_specials(void **state)
{
    (void)state;
    struct buf b = {0};
    assert_string_equal(esc(&b, "a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
    assert_string_equal(esc(&b, "&"), "&amp;");
    assert_string_equal(esc(&b, "<"), "&lt;");
    assert_string_equal(esc(&b, ">"), "&gt;");
    assert_string_equal(esc(&b, "\""), "&quot;");
    assert_string_equal(esc(&b, "'"), "&#39;");
    /* An entity already in the text is escaped again: the text is data, never markup. */
    assert_string_equal(esc(&b, "&amp;"), "&amp;amp;");
    assert_string_equal(esc(&b, "12 O'Brien <Street> & \"Sons\""),
                        "12 O&#39;Brien &lt;Street&gt; &amp; &quot;Sons&quot;");
    assert_string_equal(esc(&b, "plain text"), "plain text");
    assert_string_equal(esc(&b, ""), "");
    buf_free(&b);
}

static void t_controls(void **state)
{
    (void)state;
    struct buf b = {0};
    char all[32];
    for (int i = 1; i < 32; i++)
        all[i - 1] = (char)i;
    all[31] = '\0';
    assert_string_equal(esc(&b, all), "\t\n\r");
    assert_string_equal(esc(&b, "a\x01" "b\x1f" "c\x0b" "d\x0c" "e\x1b[0m"), "abcde[0m");
    assert_string_equal(esc(&b, "\x01<\x02"), "&lt;");
    assert_string_equal(esc(&b, "line 1\r\nline 2\tend"), "line 1\r\nline 2\tend");
    /* DEL is allowed in XML 1.0 and HTML text; it passes. */
    assert_string_equal(esc(&b, "x\x7fy"), "x\x7fy");
    buf_free(&b);
}

static void t_utf8(void **state)
{
    (void)state;
    struct buf b = {0};
    assert_string_equal(esc(&b, "Caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x8f\xa0 <\xc3\xa9>"),
                        "Caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x8f\xa0 &lt;\xc3\xa9&gt;");
    /* Bytes that are not valid UTF-8 are not this function's business: they pass unchanged. */
    assert_string_equal(esc(&b, "\xff\xfe\x80"), "\xff\xfe\x80");
    buf_free(&b);
}

static void t_null_and_max(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 10);
    assert_int_equal(markup_escape(&b, NULL), 0);
    assert_int_equal(b.len, 0);
    assert_int_equal(markup_escape(&b, "0123456789"), 0); /* exactly the maximum */
    assert_int_equal(b.len, 10);
    buf_free(&b);

    buf_init(&b, 10);
    assert_int_equal(markup_escape(&b, "ab"), 0);
    assert_int_equal(markup_escape(&b, "<<<"), -2); /* the third &lt; does not fit */
    assert_int_equal(buf_err(&b), -2);
    /* Sticky: nothing more is written, NULL included, and the error comes back. */
    size_t len = b.len;
    assert_int_equal(markup_escape(&b, "x"), -2);
    assert_int_equal(markup_escape(&b, NULL), -2);
    assert_int_equal(b.len, len);
    buf_free(&b);

    buf_init(&b, 64);
    assert_int_equal(markup_escape(&b, "<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<"), -2);
    buf_free(&b);

    /* A long run with no special character goes past the maximum as one append. */
    buf_init(&b, 5);
    assert_int_equal(markup_escape(&b, "abcdef"), -2);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_specials),
        cmocka_unit_test(t_controls),
        cmocka_unit_test(t_utf8),
        cmocka_unit_test(t_null_and_max),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
