/* search_terms.h — the words of iGUIDE search (GET /iguides?search=): the terms an iGUIDE is
 * found by and the words of a query, folded the same way as aliases (core/slug.h) so case and
 * Latin-1 accents do not matter. A query matches when each of its words begins some term. */
#ifndef GP_SEARCH_TERMS_H
#define GP_SEARCH_TERMS_H

#include "core/address.h"

#include <stddef.h>

/* Longest term or query word kept, in bytes; longer ones are cut (a cut word still prefixes the
 * cut term, so matching is unchanged). */
#define SEARCH_TERM_MAX 48
/* Most terms one iGUIDE has. */
#define SEARCH_TERMS_MAX 64
/* Bounds on a query: its length in bytes and its number of words. */
#define SEARCH_TEXT_MAX 200
#define SEARCH_WORDS_MAX 8

typedef char search_term[SEARCH_TERM_MAX + 1];

/* Splits text into folded words (lower-case ASCII letters and digits), at most max of them, in
 * order and without repeats. Returns how many, or -1 when text has more than max distinct words. */
int search_words(const char *text, search_term *out, int max);

/* The terms of an iGUIDE: the words of its fullAddress (country name and code included), its
 * postal code without spaces, the words of its alias and its id. Returns how many (without
 * repeats, at most SEARCH_TERMS_MAX). */
int search_terms_of(const struct address *a, const char *alias, const char *id,
                    search_term out[SEARCH_TERMS_MAX]);

#endif
