/* search_terms.c — see search_terms.h. Folding is slug_append's, so "Montréal" in an address and
 * "MONTREAL" in a query both become "montreal"; splitting is at the '_' it puts between words. */
#include "core/search_terms.h"

#include "core/slug.h"

#include <string.h>

/* Adds w (n bytes, cut to SEARCH_TERM_MAX) unless it is already there. 0 when full. */
static int add(search_term *out, int *k, int max, const char *w, size_t n)
{
    if (n == 0)
        return 1;
    if (n > SEARCH_TERM_MAX)
        n = SEARCH_TERM_MAX;
    for (int i = 0; i < *k; i++)
        if (strlen(out[i]) == n && memcmp(out[i], w, n) == 0)
            return 1;
    if (*k >= max)
        return 0;
    memcpy(out[*k], w, n);
    out[*k][n] = '\0';
    (*k)++;
    return 1;
}

/* Folds text and adds each of its words; 0 when out filled up first. */
static int add_words(search_term *out, int *k, int max, const char *text)
{
    char folded[1024] = "";
    if (!text)
        return 1;
    slug_append(folded, sizeof folded, text);
    for (char *p = folded; *p;) {
        size_t n = strcspn(p, "_");
        if (!add(out, k, max, p, n))
            return 0;
        p += n;
        if (*p == '_')
            p++;
    }
    return 1;
}

int search_words(const char *text, search_term *out, int max)
{
    int k = 0;
    return add_words(out, &k, max, text) ? k : -1;
}

int search_terms_of(const struct address *a, const char *alias, const char *id,
                    search_term out[SEARCH_TERMS_MAX])
{
    char full[ADDRESS_FULL_MAX], folded[64] = "";
    int k = 0;
    address_format(a, full, sizeof full);
    /* The postal code as one word too: "N2L3G1" finds "N2L 3G1". */
    slug_append(folded, sizeof folded, a->postal_code ? a->postal_code : "");
    size_t m = 0;
    for (const char *p = folded; *p; p++)
        if (*p != '_')
            folded[m++] = *p;
    folded[m] = '\0';
    (void)(add_words(out, &k, SEARCH_TERMS_MAX, full) &&
           add_words(out, &k, SEARCH_TERMS_MAX, a->country) &&
           add(out, &k, SEARCH_TERMS_MAX, folded, m) &&
           add_words(out, &k, SEARCH_TERMS_MAX, alias) && add_words(out, &k, SEARCH_TERMS_MAX, id));
    return k;
}
