/* address.h — a postal address as the API takes it (portal-api.md §4.1) and its one-line
 * fullAddress, written the way the country's post office writes it (rules in docs/api.md). */
#ifndef GP_ADDRESS_H
#define GP_ADDRESS_H

#include <stddef.h>

struct address {
    const char *country, *province_state, *city, *postal_code, *street_name, *street_number,
        *unit_number;
};

/* Room for any fullAddress of an address that passed the API's field bounds. */
#define ADDRESS_FULL_MAX 1024

/* Writes the one-line fullAddress of a into out (cap bytes incl. NUL; truncated to fit). NULL
 * fields count as empty. Returns the length written. */
size_t address_format(const struct address *a, char *out, size_t cap);

/* The English name of an ISO 3166-1 alpha-2 country code Guidepost knows, else the code itself. */
const char *address_country_name(const char *code);

#endif
