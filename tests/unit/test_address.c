/* test_address.c — core/address (the one fullAddress formatter: Canada Post and USPS layouts,
 * units bare and described, the fallback orders, truncation) and core/search_terms (folding,
 * splitting, bounds, the terms an iGUIDE is found by). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/address.h"
#include "core/search_terms.h"

static void full_is(struct address a, const char *want)
{
    char out[ADDRESS_FULL_MAX];
    size_t n = address_format(&a, out, sizeof out);
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
}

static void t_canada(void **state)
{
    (void)state;
    struct address a = {"CA", "ON", "Waterloo", "N2L 3G1", "University Ave W", "200", NULL};
    full_is(a, "200 University Ave W, Waterloo, ON N2L 3G1, Canada");
    a.unit_number = "5";
    full_is(a, "5-200 University Ave W, Waterloo, ON N2L 3G1, Canada");
    a.unit_number = "12B";
    full_is(a, "12B-200 University Ave W, Waterloo, ON N2L 3G1, Canada");
    a.unit_number = "Suite 500";
    full_is(a, "200 University Ave W Suite 500, Waterloo, ON N2L 3G1, Canada");
    a.unit_number = "";
    full_is(a, "200 University Ave W, Waterloo, ON N2L 3G1, Canada");
}

static void t_united_states(void **state)
{
    (void)state;
    struct address a = {"US", "NY", "Buffalo", "14201", "Main St", "12", "4B"};
    full_is(a, "12 Main St # 4B, Buffalo, NY 14201, United States");
    a.unit_number = "Apt 4";
    full_is(a, "12 Main St Apt 4, Buffalo, NY 14201, United States");
    a.unit_number = "#4";
    full_is(a, "12 Main St #4, Buffalo, NY 14201, United States");
}

static void t_elsewhere(void **state)
{
    (void)state;
    full_is((struct address){"FR", "42", "Saint-Étienne", "42000", "Rue de la Paix", "3", "B"},
            "3 Rue de la Paix, B, 42000 Saint-Étienne, 42, France");
    full_is((struct address){"DE", "", "Berlin", "10115", "Hauptstraße", "5", NULL},
            "5 Hauptstraße, 10115 Berlin, Germany");
    full_is((struct address){"AU", "NSW", "Sydney", "2000", "George St", "1", "3"},
            "1 George St, 3, Sydney NSW 2000, Australia");
    full_is((struct address){"ZZ", "", "Town", "", "Road", "1", NULL}, "1 Road, Town, ZZ");
}

static void t_truncates(void **state)
{
    (void)state;
    struct address a = {"CA", "ON", "Waterloo", "N2L 3G1", "University Ave", "200", NULL};
    char out[10];
    size_t n = address_format(&a, out, sizeof out);
    assert_string_equal(out, "200 Unive");
    assert_int_equal(n, 9);
    assert_string_equal(address_country_name("CA"), "Canada");
    assert_string_equal(address_country_name("QQ"), "QQ");
}

static void t_words(void **state)
{
    (void)state;
    search_term w[SEARCH_WORDS_MAX];
    assert_int_equal(search_words("  MONTRÉAL,  rue St-Denis ", w, SEARCH_WORDS_MAX), 4);
    assert_string_equal(w[0], "montreal");
    assert_string_equal(w[1], "rue");
    assert_string_equal(w[2], "st");
    assert_string_equal(w[3], "denis");
    assert_int_equal(search_words("a a A á", w, SEARCH_WORDS_MAX), 1);
    assert_int_equal(search_words("--- !!", w, SEARCH_WORDS_MAX), 0);
    assert_int_equal(search_words("1 2 3 4 5 6 7 8", w, SEARCH_WORDS_MAX), 8);
    assert_int_equal(search_words("1 2 3 4 5 6 7 8 9", w, SEARCH_WORDS_MAX), -1);
    char longw[100];
    memset(longw, 'x', 99);
    longw[99] = '\0';
    assert_int_equal(search_words(longw, w, SEARCH_WORDS_MAX), 1);
    assert_int_equal(strlen(w[0]), SEARCH_TERM_MAX);
}

static int has(search_term *t, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (strcmp(t[i], s) == 0)
            return 1;
    return 0;
}

static void t_terms(void **state)
{
    (void)state;
    search_term t[SEARCH_TERMS_MAX];
    struct address a = {"CA", "QC", "Montréal", "H2X 1Y4", "Rue Saint-Denis", "1200", "3"};
    int n = search_terms_of(&a, "1200_rue_saint_denis_3_montreal_qc", "igAB3XR9M2KQ7", t);
    const char *want[] = {"3",   "1200", "rue",    "saint", "denis",  "montreal",     "qc",
                          "h2x", "1y4",  "canada", "ca",    "h2x1y4", "igab3xr9m2kq7"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_true(has(t, n, want[i]));
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            assert_string_not_equal(t[i], t[j]);
    assert_int_equal(n, 13);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_canada),    cmocka_unit_test(t_united_states),
        cmocka_unit_test(t_elsewhere), cmocka_unit_test(t_truncates),
        cmocka_unit_test(t_words),     cmocka_unit_test(t_terms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
