/* test_slug.c — core/slug: the tutorial's alias "200_university_ave_waterloo_on", Latin-1 accent
 * folding, collapsing of separator runs, non-Latin and invalid UTF-8 as separators, and
 * truncation at the cap that never leaves a trailing '_' or a character outside [a-z0-9_]. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/slug.h"

static void slug_is(const char *in, const char *want)
{
    char out[SLUG_MAX] = "";
    size_t n = slug_append(out, sizeof out, in);
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
}

static void t_tutorial_alias(void **state)
{
    (void)state;
    char out[SLUG_MAX] = "";
    slug_append(out, sizeof out, "200");
    slug_append(out, sizeof out, "University Ave");
    slug_append(out, sizeof out, "Waterloo");
    size_t n = slug_append(out, sizeof out, "ON");
    assert_string_equal(out, "200_university_ave_waterloo_on");
    assert_int_equal(n, strlen("200_university_ave_waterloo_on"));
}

static void t_basic(void **state)
{
    (void)state;
    slug_is("King St E", "king_st_e");
    slug_is("ABCxyz019", "abcxyz019");
    slug_is("", "");
    slug_is("---", "");
    slug_is("  King   St--E  ", "king_st_e");
    slug_is("#12/B", "12_b");
    slug_is("a.b,c;d:e!f?g'h\"i(j)k[l]m{n}o@p", "a_b_c_d_e_f_g_h_i_j_k_l_m_n_o_p");
    slug_is("\t\r\nx\x7f\x01y", "x_y");
}

static void t_accents_folded(void **state)
{
    (void)state;
    slug_is("Saint-Étienne", "saint_etienne");
    slug_is("Rue Saint-Étienne", "rue_saint_etienne");
    slug_is("Montréal", "montreal");
    slug_is("Québec", "quebec");
    slug_is("ÀÁÂÃÄÅ àáâãäå", "aaaaaa_aaaaaa");
    slug_is("ÇçÈÉÊËèéêëÌÍÎÏìíîï", "cceeeeeeeeiiiiiiii");
    slug_is("ÑñÒÓÔÕÖØòóôõöø", "nnoooooooooooo");
    slug_is("ÙÚÛÜùúûüÝýÿ", "uuuuuuuuyyy");
    slug_is("Straße", "strase");
    slug_is("Ærø", "aro");
    /* × and ÷ are not letters: separators. */
    slug_is("2×4", "2_4");
    slug_is("6÷3", "6_3");
}

static void t_non_latin_and_invalid_utf8(void **state)
{
    (void)state;
    slug_is("東京 Tower", "tower");
    slug_is("a😀b", "a_b");
    slug_is("Ωmega", "mega");
    slug_is("a\xC3", "a");              /* truncated two-byte sequence */
    slug_is("a\xC3zb", "a_zb");         /* lead byte without continuation */
    slug_is("a\x80\x80\x80" "b", "a_b"); /* lone continuation bytes */
    slug_is("\xff\xfe" "ab", "ab");
    slug_is("\xC0\x80x", "x");          /* overlong NUL is not a letter */
    slug_is("a\xE2\x82\xAC" "b", "a_b"); /* € */
}

static void t_append_joins_with_one_sep(void **state)
{
    (void)state;
    char out[SLUG_MAX] = "";
    slug_append(out, sizeof out, "abc");
    slug_append(out, sizeof out, "");      /* nothing: no dangling '_' */
    slug_append(out, sizeof out, " -- "); /* only separators: nothing either */
    assert_string_equal(out, "abc");
    slug_append(out, sizeof out, "  def");
    assert_string_equal(out, "abc_def");
    slug_append(out, sizeof out, "Ghi_");
    assert_string_equal(out, "abc_def_ghi");
}

static void t_truncation(void **state)
{
    (void)state;
    char out[8] = "";
    size_t n = slug_append(out, sizeof out, "abcdefghij");
    assert_string_equal(out, "abcdefg");
    assert_int_equal(n, 7);
    /* A separator is only written when a character fits after it. */
    char o2[6] = "";
    slug_append(o2, sizeof o2, "abcd efgh");
    assert_string_equal(o2, "abcd");
    char o3[6] = "";
    slug_append(o3, sizeof o3, "abc efgh");
    assert_string_equal(o3, "abc_e");
    /* Across appends. */
    char o4[6] = "";
    slug_append(o4, sizeof o4, "abcd");
    slug_append(o4, sizeof o4, "efgh");
    assert_string_equal(o4, "abcd");
    /* A multi-byte letter at the cap. */
    char o5[5] = "";
    slug_append(o5, sizeof o5, "abcÉé");
    assert_string_equal(o5, "abce");
    /* cap 1: only the NUL fits. */
    char o6[1] = "";
    assert_int_equal(slug_append(o6, sizeof o6, "abc"), 0);
    assert_string_equal(o6, "");
}

static void t_truncation_never_invalid(void **state)
{
    (void)state;
    /* For every cap and several inputs: length < cap, NUL-terminated, only [a-z0-9_], no leading,
     * trailing or doubled '_', and the result is a prefix of the uncapped slug. */
    const char *inputs[] = {"200 University Ave Waterloo ON", "Saint-Étienne   Rue   Du Pré",
                            "a b c d e f g h i j k l m n o p", "ÉÉÉ___ééé///ççç", "x😀y😀z😀w"};
    for (size_t k = 0; k < sizeof inputs / sizeof inputs[0]; k++) {
        char full[SLUG_MAX] = "";
        slug_append(full, sizeof full, inputs[k]);
        for (size_t cap = 1; cap <= 40; cap++) {
            char buf[48];
            memset(buf, '#', sizeof buf);
            buf[0] = '\0';
            size_t n = slug_append(buf, cap, inputs[k]);
            assert_true(n < cap);
            assert_int_equal(strlen(buf), n);
            assert_int_equal(buf[cap], '#'); /* nothing written past cap */
            assert_int_equal(strspn(buf, "abcdefghijklmnopqrstuvwxyz0123456789_"), n);
            if (n) {
                assert_true(buf[0] != '_');
                assert_true(buf[n - 1] != '_');
            }
            assert_null(strstr(buf, "__"));
            assert_memory_equal(buf, full, n);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_tutorial_alias),
        cmocka_unit_test(t_basic),
        cmocka_unit_test(t_accents_folded),
        cmocka_unit_test(t_non_latin_and_invalid_utf8),
        cmocka_unit_test(t_append_joins_with_one_sep),
        cmocka_unit_test(t_truncation),
        cmocka_unit_test(t_truncation_never_invalid),
    };
    return cmocka_run_group_tests_name("slug", tests, NULL, NULL);
}
