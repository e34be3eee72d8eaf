/* address.c — the one fullAddress formatter. The layouts follow Canada Post's Canadian Addressing
 * Guide and USPS Publication 28, written on one line with ", " where the envelope has a line
 * break. Elsewhere the unit follows the street after a comma and the locality takes the order of
 * the country's group (locality() below); the number always leads, since the API's parts do not
 * say where a country puts it. */
#include "core/address.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *code, *name;
} countries[] = {
    {"CA", "Canada"},      {"US", "United States"}, {"GB", "United Kingdom"}, {"AU", "Australia"},
    {"NZ", "New Zealand"}, {"IE", "Ireland"},       {"FR", "France"},         {"DE", "Germany"},
    {"NL", "Netherlands"}, {"BE", "Belgium"},       {"CH", "Switzerland"},    {"AT", "Austria"},
    {"ES", "Spain"},       {"IT", "Italy"},         {"PT", "Portugal"},       {"MX", "Mexico"},
    {"JP", "Japan"},
};

const char *address_country_name(const char *code)
{
    for (size_t i = 0; code && i < sizeof countries / sizeof countries[0]; i++)
        if (strcmp(countries[i].code, code) == 0)
            return countries[i].name;
    return code ? code : "";
}

struct out {
    char *p;
    size_t cap, len;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
    if (o->len + 1 >= o->cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
    va_end(ap);
    if (k > 0)
        o->len += (size_t)k < o->cap - o->len ? (size_t)k : o->cap - o->len - 1;
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

/* A bare unit identifier ("5", "5B", "A", "1203") as opposed to a description that carries its
 * own designator ("Suite 500", "Basement", "#5"): letters and digits only, at least one digit or a
 * single letter. */
static int bare_unit(const char *u)
{
    int digits = 0;
    size_t n = 0;
    for (; u[n]; n++) {
        if (!isalnum((unsigned char)u[n]))
            return 0;
        digits += isdigit((unsigned char)u[n]) != 0;
    }
    return n > 0 && (digits > 0 || n == 1);
}

/* North America: "City, PS Postal"; Australia, New Zealand, the UK, Ireland: "City PS Postal";
 * elsewhere the continental European "Postal City, PS". Empty parts are left out. */
static void locality(struct out *o, const struct address *a, const char *c)
{
    const char *ps = nz(a->province_state), *pc = nz(a->postal_code), *city = nz(a->city);
    if (strcmp(c, "CA") == 0 || strcmp(c, "US") == 0) {
        put(o, ", %s", city);
        if (*ps || *pc)
            put(o, ",%s%s%s%s", *ps ? " " : "", ps, *pc ? " " : "", pc);
    } else if (strcmp(c, "AU") == 0 || strcmp(c, "NZ") == 0 || strcmp(c, "GB") == 0 ||
               strcmp(c, "IE") == 0) {
        put(o, ", %s%s%s%s%s", city, *ps ? " " : "", ps, *pc ? " " : "", pc);
    } else {
        put(o, ", %s%s%s", pc, *pc ? " " : "", city);
        if (*ps)
            put(o, ", %s", ps);
    }
}

size_t address_format(const struct address *a, char *out, size_t cap)
{
    struct out o = {out, cap, 0};
    if (cap == 0)
        return 0;
    out[0] = '\0';
    const char *c = nz(a->country), *u = a->unit_number && *a->unit_number ? a->unit_number : NULL;
    const char *num = nz(a->street_number), *street = nz(a->street_name);
    if (strcmp(c, "CA") == 0) {
        /* Canada Post: "5-200 University Ave W"; a described unit follows the street. */
        if (u && bare_unit(u))
            put(&o, "%s-%s %s", u, num, street);
        else
            put(&o, "%s %s%s%s", num, street, u ? " " : "", u ? u : "");
    } else if (strcmp(c, "US") == 0) {
        /* USPS: an unknown designator is "#", with a space before the unit. */
        if (u && bare_unit(u))
            put(&o, "%s %s # %s", num, street, u);
        else
            put(&o, "%s %s%s%s", num, street, u ? " " : "", u ? u : "");
    } else {
        put(&o, "%s %s", num, street);
        if (u)
            put(&o, ", %s", u);
    }
    locality(&o, a, c);
    put(&o, ", %s", address_country_name(c));
    return o.len;
}
