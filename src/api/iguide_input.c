/* iguide_input.c — every rejection says which field and why; unknown fields are rejected so a
 * misspelt optional field does not silently do nothing (decision recorded in docs/api.md). */
#include "api/iguide_input.h"

#include "core/address.h"
#include "core/slug.h"
#include "json/jsonx.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const types[] = {"standard", "premium", "radix", "photos", NULL};
static const char *const industries[] = {"residential", "commercial", "irc", "aec", NULL};
/* "*" and "ready" are the platform's; the others are Guidepost's (webhooks/emit.h). */
static const char *const events[] = {
    "*", "ready", "view.expired", "view.deleted", "iguide.deleted", "workorder.status_changed",
    NULL};

#define ADDR_FIELD_MAX 200
#define MAX_EDITORS 50
#define MAX_WEBHOOKS 20
#define URL_MAX 2048

static int all_match(const char *s, int (*pred)(int))
{
    for (; *s; s++)
        if (!pred((unsigned char)*s))
            return 0;
    return 1;
}

/* fullAddress is output only, but an integrator echoing an address object back sends it: it is
 * accepted when it is exactly what Guidepost would write, and otherwise refused rather than
 * silently dropped (a caller may believe it sets the address). */
static enum rc check_full_address(json_t *addr, const struct address *a, struct err *e)
{
    json_t *f = json_object_get(addr, "fullAddress");
    if (!f || json_is_null(f))
        return RC_OK;
    char full[ADDRESS_FULL_MAX];
    address_format(a, full, sizeof full);
    if (json_is_string(f) && strcmp(json_string_value(f), full) == 0)
        return RC_OK;
    return err_set(e, RC_INVALID,
                   "address.fullAddress is output only: omit it or send exactly the value "
                   "Guidepost writes for these parts (\"%.300s\")",
                   full);
}

static enum rc parse_address(json_t *body, struct address *a, struct err *e)
{
    static const char *const keys[] = {"country",    "provinceState", "city",
                                       "postalCode", "streetName",    "streetNumber",
                                       "unitNumber", "fullAddress",   NULL};
    json_t *addr = json_object_get(body, "address");
    if (!addr || json_is_null(addr))
        return err_set(e, RC_INVALID, "address is required");
    if (!json_is_object(addr))
        return err_set(e, RC_INVALID, "address must be an object");
    enum rc rc;
    if ((rc = jsonx_only_keys(addr, "address", keys, e)) != RC_OK ||
        (rc = jsonx_string(addr, "address", "country", 1, 2, &a->country, e)) != RC_OK ||
        (rc = jsonx_string(addr, "address", "provinceState", 1, 3, &a->province_state, e)) != RC_OK ||
        (rc = jsonx_string(addr, "address", "city", 1, ADDR_FIELD_MAX, &a->city, e)) != RC_OK ||
        (rc = jsonx_string(addr, "address", "postalCode", 1, 16, &a->postal_code, e)) != RC_OK ||
        (rc = jsonx_string(addr, "address", "streetName", 1, ADDR_FIELD_MAX, &a->street_name, e)) !=
            RC_OK ||
        (rc = jsonx_string(addr, "address", "streetNumber", 1, 32, &a->street_number, e)) != RC_OK ||
        (rc = jsonx_string(addr, "address", "unitNumber", 0, 64, &a->unit_number, e)) != RC_OK)
        return rc;
    /* ISO 3166-1 alpha-2 country and ISO 3166-2 subdivision codes, upper case as documented. */
    if (strlen(a->country) != 2 || !all_match(a->country, isupper))
        return err_set(e, RC_INVALID,
                       "address.country must be an ISO 3166-1 alpha-2 code in upper case, like \"CA\"");
    for (const char *p = a->province_state; *p; p++)
        if (!isupper((unsigned char)*p) && !isdigit((unsigned char)*p))
            return err_set(e, RC_INVALID,
                           "address.provinceState must be an ISO 3166-2 subdivision code in upper "
                           "case, like \"ON\"");
    if (a->unit_number && !*a->unit_number)
        a->unit_number = NULL;
    return check_full_address(addr, a, e);
}

/* The host[:port] of an http(s) URL, from just after "//" to the first '/', '?' or '#': a DNS
 * name or IPv4 address (letters, digits, '.', '-'), or an IPv6 literal in brackets, then an
 * optional port 1-65535. No user info: credentials do not belong in a webhook URL. */
static int authority_ok(const char *p, size_t n)
{
    size_t i = 0;
    if (n == 0)
        return 0;
    if (p[0] == '[') {
        for (i = 1; i < n && p[i] != ']'; i++)
            if (!isxdigit((unsigned char)p[i]) && p[i] != ':' && p[i] != '.')
                return 0;
        if (i >= n || i < 3)
            return 0;
        i++;
    } else {
        for (; i < n && p[i] != ':'; i++)
            if (!isalnum((unsigned char)p[i]) && p[i] != '.' && p[i] != '-')
                return 0;
        if (i == 0 || p[0] == '.' || p[0] == '-')
            return 0;
    }
    if (i == n)
        return 1;
    if (p[i] != ':' || i + 1 == n || n - i - 1 > 5)
        return 0;
    long port = 0;
    for (size_t k = i + 1; k < n; k++) {
        if (!isdigit((unsigned char)p[k]))
            return 0;
        port = port * 10 + (p[k] - '0');
    }
    return port >= 1 && port <= 65535;
}

/* The rules of a receiver URL; NULL when url is acceptable, else what is wrong. */
static const char *url_problem(const char *url, int allow_http)
{
    size_t hl = strncasecmp(url, "https://", 8) == 0  ? 8
                : strncasecmp(url, "http://", 7) == 0 ? 7
                                                      : 0;
    if (!hl)
        return "must be an absolute http(s) URL";
    if (hl == 7 && !allow_http)
        return "must be an https:// URL (plain http:// needs a server started with "
               "--webhook-allow-private)";
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= 0x20 || *p == 0x7f)
            return "must be a URL without spaces or control characters";
    const char *host = url + hl;
    size_t n = strcspn(host, "/?#");
    if (!authority_ok(host, n))
        return "must be an absolute http(s) URL with a host name";
    return NULL;
}

enum rc iguide_webhooks_parse(json_t *w, int allow_http, struct err *e)
{
    if (!json_is_array(w))
        return err_set(e, RC_INVALID, "webhooks must be an array of {event, url}");
    if (json_array_size(w) > MAX_WEBHOOKS)
        return err_set(e, RC_INVALID, "webhooks must have at most %d items", MAX_WEBHOOKS);
    static const char *const keys[] = {"event", "url", NULL};
    size_t i;
    json_t *it;
    json_array_foreach(w, i, it) {
        char path[32];
        snprintf(path, sizeof path, "webhooks[%zu]", i);
        if (!json_is_object(it))
            return err_set(e, RC_INVALID, "%s must be an object {event, url}", path);
        const char *ev = NULL, *url = NULL;
        enum rc rc;
        if ((rc = jsonx_only_keys(it, path, keys, e)) != RC_OK ||
            (rc = jsonx_enum(it, path, "event", 1, events, &ev, e)) != RC_OK ||
            (rc = jsonx_string(it, path, "url", 1, URL_MAX, &url, e)) != RC_OK)
            return rc;
        const char *why = url_problem(url, allow_http);
        if (why)
            return err_set(e, RC_INVALID, "%s.url %s", path, why);
    }
    return RC_OK;
}

static enum rc parse_webhooks(json_t *body, int allow_http, json_t **out, struct err *e)
{
    json_t *w = json_object_get(body, "webhooks");
    if (!w || json_is_null(w))
        return RC_OK;
    enum rc rc = iguide_webhooks_parse(w, allow_http, e);
    if (rc == RC_OK)
        *out = w;
    return rc;
}

/* defaultView is DefaultViewParams (§4.3): the same rules as a view of its own. */
static enum rc parse_default_view(json_t *body, int64_t now, struct iguide_input *in, struct err *e)
{
    json_t *dv = json_object_get(body, "defaultView");
    if (!dv || json_is_null(dv))
        return RC_OK;
    return view_params_parse(dv, "defaultView", VIEW_FIELDS_DEFAULT_VIEW, now, &in->view, e);
}

enum rc iguide_input_parse(json_t *body, int64_t now, int allow_http, struct iguide_input *in,
                           struct err *e)
{
    static const char *const keys[] = {"type",    "industry",      "address", "applyDefaults",
                                       "defaultView", "editors",    "addons",  "webhooks", NULL};
    memset(in, 0, sizeof *in);
    enum rc rc;
    if ((rc = jsonx_only_keys(body, "", keys, e)) != RC_OK ||
        (rc = jsonx_enum(body, "", "type", 1, types, &in->type, e)) != RC_OK ||
        (rc = jsonx_enum(body, "", "industry", 1, industries, &in->industry, e)) != RC_OK ||
        (rc = parse_address(body, &in->addr, e)) != RC_OK ||
        (rc = jsonx_bool(body, "", "applyDefaults", 0, &in->apply_defaults, e)) != RC_OK ||
        (rc = jsonx_string_array(body, "", "editors", MAX_EDITORS, 128, &in->editors, e)) !=
            RC_OK ||
        (rc = parse_webhooks(body, allow_http, &in->webhooks, e)) != RC_OK ||
        (rc = parse_default_view(body, now, in, e)) != RC_OK)
        return rc;
    /* addons is obsolete (§4.1): add-ons are ordered as work orders now. */
    json_t *addons = json_object_get(body, "addons");
    if (addons && !json_is_null(addons) && !(json_is_array(addons) && json_array_size(addons) == 0))
        return err_set(e, RC_INVALID,
                       "addons is obsolete: order add-ons with POST /api/v1/iguides/{id}/workOrders");
    return RC_OK;
}

void iguide_alias_base(const struct address *a, char *out, size_t cap)
{
    out[0] = '\0';
    slug_append(out, cap, a->street_number);
    slug_append(out, cap, a->street_name);
    if (a->unit_number)
        slug_append(out, cap, a->unit_number);
    slug_append(out, cap, a->city);
    slug_append(out, cap, a->province_state);
    if (!out[0])
        snprintf(out, cap, "iguide");
}
