/* test_iguide_input.c — api/iguide_input: the POST /api/v1/iguides body (portal-api.md §4.1, §4.3):
 * the tutorial body, each required field, wrong types, unknown enum values and fields, address
 * codes, the defaultView.expiresAt window, webhooks, addons, and the alias helper. (The view rules
 * themselves, shared with the views endpoints, are in test_view_input.c.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/iguide_input.h"
#include "core/clock.h"
#include "core/slug.h"
#include "json/jsonx.h"

#define ADDR                                                                                       \
    "\"address\":{\"country\":\"CA\",\"provinceState\":\"ON\",\"city\":\"Waterloo\","             \
    "\"postalCode\":\"N2L 3G1\",\"streetName\":\"University Ave\",\"streetNumber\":\"200\"}"
#define HEAD "{\"type\":\"standard\",\"industry\":\"residential\"," ADDR

static int64_t now_ms;
static int allow_http = 1; /* as with --webhook-allow-private, unless a test says otherwise */

static json_t *body_of(const char *s)
{
    json_t *v = NULL;
    struct err e = {0};
    if (jsonx_parse_object(s, strlen(s), &v, &e) != RC_OK)
        fail_msg("test body is not JSON: %s\n%s", e.msg, s);
    return v;
}

/* Parses s and expects success; the body stays alive in *keep for borrowed pointers. */
static struct iguide_input ok(const char *s, json_t **keep)
{
    json_t *b = body_of(s);
    struct iguide_input in;
    struct err e = {0};
    enum rc rc = iguide_input_parse(b, now_ms, allow_http, &in, &e);
    if (rc != RC_OK)
        fail_msg("rejected (%s): %s\n%s", rc_name(rc), e.msg, s);
    *keep = b;
    return in;
}

/* Expects RC_INVALID with a message containing want. */
static void bad(const char *s, const char *want)
{
    json_t *b = body_of(s);
    struct iguide_input in;
    struct err e = {0};
    enum rc rc = iguide_input_parse(b, now_ms, allow_http, &in, &e);
    json_decref(b);
    if (rc != RC_INVALID)
        fail_msg("accepted (%s): %s", rc_name(rc), s);
    assert_int_equal(e.rc, RC_INVALID);
    if (!strstr(e.msg, want))
        fail_msg("message \"%s\" lacks \"%s\"\nbody: %s", e.msg, want, s);
}

static void t_tutorial_body(void **state)
{
    (void)state;
    json_t *keep;
    struct iguide_input in = ok(HEAD "}", &keep);
    assert_string_equal(in.type, "standard");
    assert_string_equal(in.industry, "residential");
    assert_string_equal(in.addr.country, "CA");
    assert_string_equal(in.addr.province_state, "ON");
    assert_string_equal(in.addr.city, "Waterloo");
    assert_string_equal(in.addr.postal_code, "N2L 3G1");
    assert_string_equal(in.addr.street_name, "University Ave");
    assert_string_equal(in.addr.street_number, "200");
    assert_null(in.addr.unit_number);
    assert_int_equal(in.apply_defaults, 0);
    assert_null(in.editors);
    assert_null(in.webhooks);
    assert_int_equal(in.view.has_protected, 0);
    assert_int_equal(in.view.has_expires, 0);
    assert_null(in.view.banner_id);
    assert_null(in.view.description);
    assert_null(in.view.meas_std);
    assert_null(in.view.viewers);
    json_decref(keep);
    /* The platform's own example (webhooks included). */
    in = ok("{\"type\":\"standard\",\"industry\":\"residential\","
            "\"address\":{\"country\":\"CA\",\"provinceState\":\"ON\",\"city\":\"Kitchener\","
            "\"postalCode\":\"N2G 2L3\",\"streetName\":\"King St E\",\"streetNumber\":\"301\"},"
            "\"webhooks\":[{\"event\":\"*\",\"url\":\"https://your-server.com/webhooks/iguide\"}]}",
            &keep);
    assert_non_null(in.webhooks);
    assert_int_equal(json_array_size(in.webhooks), 1);
    json_decref(keep);
}

static void t_full_body(void **state)
{
    (void)state;
    json_t *keep;
    struct iguide_input in = ok(
        "{\"type\":\"premium\",\"industry\":\"commercial\",\"applyDefaults\":true,"
        "\"address\":{\"country\":\"US\",\"provinceState\":\"NY\",\"city\":\"New York\","
        "\"postalCode\":\"10001\",\"streetName\":\"5th Ave\",\"streetNumber\":\"350\","
        "\"unitNumber\":\"Suite 12\"},"
        "\"editors\":[\"u1\",\"u2\"],\"addons\":[],"
        "\"webhooks\":[{\"event\":\"ready\",\"url\":\"http://example.com/h\"}],"
        "\"defaultView\":{\"bannerId\":\"b1\",\"description\":\"Nice\",\"isProtected\":false,"
        "\"measStd\":\"rms\",\"viewers\":[\"v1\"],\"expiresAt\":\"2027-02-17T00:00:00.000Z\"}}",
        &keep);
    assert_string_equal(in.type, "premium");
    assert_string_equal(in.industry, "commercial");
    assert_int_equal(in.apply_defaults, 1);
    assert_string_equal(in.addr.unit_number, "Suite 12");
    assert_int_equal(json_array_size(in.editors), 2);
    assert_int_equal(in.view.has_protected, 1);
    assert_int_equal(in.view.is_protected, 0);
    assert_string_equal(in.view.banner_id, "b1");
    assert_string_equal(in.view.description, "Nice");
    assert_string_equal(in.view.meas_std, "rms");
    assert_int_equal(json_array_size(in.view.viewers), 1);
    int64_t want;
    assert_int_equal(clock_parse("2027-02-17T00:00:00.000Z", &want), 0);
    assert_int_equal(in.view.expires_at, want);
    json_decref(keep);
    /* Every enum value is accepted. */
    const char *types[] = {"standard", "premium", "radix", "photos"};
    const char *inds[] = {"residential", "commercial", "irc", "aec"};
    char buf[600];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"industry\":\"%s\"," ADDR "}", types[i],
                     inds[j]);
            in = ok(buf, &keep);
            assert_string_equal(in.type, types[i]);
            assert_string_equal(in.industry, inds[j]);
            json_decref(keep);
        }
    /* Explicit nulls for optional fields are the same as absent. */
    in = ok(HEAD ",\"applyDefaults\":null,\"editors\":null,\"webhooks\":null,\"addons\":null,"
                 "\"defaultView\":null}",
            &keep);
    assert_int_equal(in.apply_defaults, 0);
    assert_null(in.editors);
    json_decref(keep);
    in = ok(HEAD ",\"defaultView\":{\"isProtected\":null,\"measStd\":null}}", &keep);
    assert_int_equal(in.view.has_protected, 0);
    assert_null(in.view.meas_std);
    json_decref(keep);
    in = ok(HEAD ",\"defaultView\":{\"isProtected\":true}}", &keep);
    assert_int_equal(in.view.has_protected, 1);
    assert_int_equal(in.view.is_protected, 1);
    json_decref(keep);
}

static void t_required_fields(void **state)
{
    (void)state;
    bad("{}", "type is required");
    bad("{\"industry\":\"residential\"," ADDR "}", "type is required");
    bad("{\"type\":\"standard\"," ADDR "}", "industry is required");
    bad("{\"type\":\"standard\",\"industry\":\"residential\"}", "address is required");
    bad("{\"type\":\"standard\",\"industry\":\"residential\",\"address\":null}",
        "address is required");
    bad("{\"type\":\"\",\"industry\":\"residential\"," ADDR "}", "type must not be empty");
    /* Each address field. */
    const char *fields[] = {"country", "provinceState", "city", "postalCode", "streetName",
                            "streetNumber"};
    const char *vals[] = {"CA", "ON", "Waterloo", "N2L 3G1", "University Ave", "200"};
    for (int skip = 0; skip < 6; skip++) {
        char addr[400] = "";
        size_t n = 0;
        for (int i = 0; i < 6; i++)
            if (i != skip)
                n += (size_t)snprintf(addr + n, sizeof addr - n, "%s\"%s\":\"%s\"", n ? "," : "",
                                      fields[i], vals[i]);
        char body[600], want[64];
        snprintf(body, sizeof body,
                 "{\"type\":\"standard\",\"industry\":\"residential\",\"address\":{%s}}", addr);
        snprintf(want, sizeof want, "address.%s is required", fields[skip]);
        bad(body, want);
        /* Empty counts as missing content. */
        snprintf(body, sizeof body,
                 "{\"type\":\"standard\",\"industry\":\"residential\",\"address\":{%s,\"%s\":\"\"}}",
                 addr, fields[skip]);
        snprintf(want, sizeof want, "address.%s must not be empty", fields[skip]);
        bad(body, want);
    }
}

static void t_wrong_types(void **state)
{
    (void)state;
    bad("{\"type\":1,\"industry\":\"residential\"," ADDR "}", "type must be a string");
    bad("{\"type\":\"standard\",\"industry\":true," ADDR "}", "industry must be a string");
    bad("{\"type\":[\"standard\"],\"industry\":\"residential\"," ADDR "}", "type must be a string");
    bad("{\"type\":\"standard\",\"industry\":\"residential\",\"address\":\"200 University\"}",
        "address must be an object");
    bad("{\"type\":\"standard\",\"industry\":\"residential\",\"address\":[]}",
        "address must be an object");
    bad("{\"type\":\"standard\",\"industry\":\"residential\",\"address\":{\"country\":\"CA\","
        "\"provinceState\":\"ON\",\"city\":5,\"postalCode\":\"x\",\"streetName\":\"s\","
        "\"streetNumber\":\"1\"}}",
        "address.city must be a string");
    bad("{\"type\":\"standard\",\"industry\":\"residential\",\"address\":{\"country\":\"CA\","
        "\"provinceState\":\"ON\",\"city\":\"c\",\"postalCode\":\"x\",\"streetName\":\"s\","
        "\"streetNumber\":200}}",
        "address.streetNumber must be a string");
    bad(HEAD ",\"applyDefaults\":\"yes\"}", "applyDefaults must be true or false");
    bad(HEAD ",\"applyDefaults\":1}", "applyDefaults must be true or false");
    bad(HEAD ",\"editors\":\"u1\"}", "editors must be an array of strings");
    bad(HEAD ",\"editors\":[1]}", "editors[0] must be");
    bad(HEAD ",\"editors\":[\"u1\",\"\"]}", "editors[1] must be");
    bad(HEAD ",\"defaultView\":[]}", "defaultView must be an object");
    bad(HEAD ",\"defaultView\":\"x\"}", "defaultView must be an object");
    bad(HEAD ",\"defaultView\":{\"isProtected\":\"true\"}}",
        "defaultView.isProtected must be true or false");
    bad(HEAD ",\"defaultView\":{\"bannerId\":7}}", "defaultView.bannerId must be a string");
    bad(HEAD ",\"defaultView\":{\"expiresAt\":1700000000000}}",
        "defaultView.expiresAt must be a string");
    bad(HEAD ",\"defaultView\":{\"viewers\":{}}}", "defaultView.viewers must be an array");
    bad(HEAD ",\"webhooks\":{}}", "webhooks must be an array");
    bad(HEAD ",\"webhooks\":[\"https://x.example\"]}", "webhooks[0] must be an object");
}

static void t_unknown_enum_values(void **state)
{
    (void)state;
    bad("{\"type\":\"deluxe\",\"industry\":\"residential\"," ADDR "}",
        "type must be one of: standard, premium, radix, photos (got \"deluxe\")");
    bad("{\"type\":\"Standard\",\"industry\":\"residential\"," ADDR "}", "type must be one of");
    bad("{\"type\":\"standard\",\"industry\":\"retail\"," ADDR "}",
        "industry must be one of: residential, commercial, irc, aec (got \"retail\")");
    bad(HEAD ",\"defaultView\":{\"measStd\":\"imperial\"}}",
        "defaultView.measStd must be one of: ansi, rms");
    bad(HEAD ",\"defaultView\":{\"measStd\":\"ANSI\"}}", "defaultView.measStd must be one of");
    bad(HEAD ",\"webhooks\":[{\"event\":\"created\",\"url\":\"https://x.example/h\"}]}",
        "webhooks[0].event must be one of: *, ready, view.expired");
}

static void t_unknown_fields(void **state)
{
    (void)state;
    bad(HEAD ",\"foo\":1}", "unknown field \"foo\"");
    bad(HEAD ",\"Type\":\"standard\"}", "unknown field \"Type\"");
    bad(HEAD ",\"alias\":\"x\"}", "unknown field \"alias\"");
    bad("{\"type\":\"standard\",\"industry\":\"residential\",\"address\":{\"country\":\"CA\","
        "\"provinceState\":\"ON\",\"city\":\"c\",\"postalCode\":\"x\",\"streetName\":\"s\","
        "\"streetNumber\":\"1\",\"street\":\"s\"}}",
        "unknown field \"address.street\"");
    bad(HEAD ",\"defaultView\":{\"alias\":\"x\"}}", "unknown field \"defaultView.alias\"");
    bad(HEAD ",\"defaultView\":{\"expiresat\":\"2027-01-01T00:00:00Z\"}}",
        "unknown field \"defaultView.expiresat\"");
    bad(HEAD ",\"webhooks\":[{\"event\":\"*\",\"url\":\"https://x.example\",\"secret\":\"s\"}]}",
        "unknown field \"webhooks[0].secret\"");
}

/* fullAddress is output only: the formatted value echoed back passes, anything else is refused. */
static void t_full_address_echo(void **state)
{
    (void)state;
    json_t *keep;
    const char *A = "{\"type\":\"standard\",\"industry\":\"residential\",\"address\":{"
                    "\"country\":\"CA\",\"provinceState\":\"ON\",\"city\":\"Waterloo\","
                    "\"postalCode\":\"N2L 3G1\",\"streetName\":\"University Ave\","
                    "\"streetNumber\":\"200\",\"unitNumber\":\"5\",\"fullAddress\":";
    char body[600];
    snprintf(body, sizeof body, "%s\"5-200 University Ave, Waterloo, ON N2L 3G1, Canada\"}}", A);
    struct iguide_input in = ok(body, &keep);
    assert_string_equal(in.addr.unit_number, "5");
    json_decref(keep);
    snprintf(body, sizeof body, "%snull}}", A);
    ok(body, &keep);
    json_decref(keep);
    snprintf(body, sizeof body, "%s\"200 University Ave #5, Waterloo, ON N2L 3G1, CA\"}}", A);
    bad(body, "address.fullAddress is output only");
    snprintf(body, sizeof body, "%s42}}", A);
    bad(body, "(\"5-200 University Ave, Waterloo, ON N2L 3G1, Canada\")");
}

static void t_address_codes(void **state)
{
    (void)state;
    char body[600];
    const char *bad_countries[] = {"ca", "Ca", "CAN", "C", "C1", "\\u00c9A"};
    for (size_t i = 0; i < sizeof bad_countries / sizeof bad_countries[0]; i++) {
        snprintf(body, sizeof body,
                 "{\"type\":\"standard\",\"industry\":\"residential\",\"address\":{\"country\":"
                 "\"%s\",\"provinceState\":\"ON\",\"city\":\"c\",\"postalCode\":\"x\","
                 "\"streetName\":\"s\",\"streetNumber\":\"1\"}}",
                 bad_countries[i]);
        bad(body, "address.country");
    }
    const char *bad_provinces[] = {"on", "On", "O-N", "ONTA"};
    for (size_t i = 0; i < sizeof bad_provinces / sizeof bad_provinces[0]; i++) {
        snprintf(body, sizeof body,
                 "{\"type\":\"standard\",\"industry\":\"residential\",\"address\":{\"country\":"
                 "\"CA\",\"provinceState\":\"%s\",\"city\":\"c\",\"postalCode\":\"x\","
                 "\"streetName\":\"s\",\"streetNumber\":\"1\"}}",
                 bad_provinces[i]);
        bad(body, "address.provinceState");
    }
    const char *good_provinces[] = {"ON", "BC", "NSW", "01", "9"};
    for (size_t i = 0; i < sizeof good_provinces / sizeof good_provinces[0]; i++) {
        snprintf(body, sizeof body,
                 "{\"type\":\"standard\",\"industry\":\"residential\",\"address\":{\"country\":"
                 "\"AU\",\"provinceState\":\"%s\",\"city\":\"c\",\"postalCode\":\"x\","
                 "\"streetName\":\"s\",\"streetNumber\":\"1\"}}",
                 good_provinces[i]);
        json_t *keep;
        struct iguide_input in = ok(body, &keep);
        assert_string_equal(in.addr.province_state, good_provinces[i]);
        json_decref(keep);
    }
    /* An empty unit number is the same as none. */
    json_t *keep;
    struct iguide_input in =
        ok("{\"type\":\"standard\",\"industry\":\"residential\",\"address\":{\"country\":\"CA\","
           "\"provinceState\":\"ON\",\"city\":\"c\",\"postalCode\":\"x\",\"streetName\":\"s\","
           "\"streetNumber\":\"1\",\"unitNumber\":\"\"}}",
           &keep);
    assert_null(in.addr.unit_number);
    json_decref(keep);
    /* Lengths are bounded. */
    char city[260];
    memset(city, 'c', 201);
    city[201] = '\0';
    snprintf(body, sizeof body,
             "{\"type\":\"standard\",\"industry\":\"residential\",\"address\":{\"country\":\"CA\","
             "\"provinceState\":\"ON\",\"city\":\"%s\",\"postalCode\":\"x\",\"streetName\":\"s\","
             "\"streetNumber\":\"1\"}}",
             city);
    bad(body, "address.city must be at most 200 bytes");
    bad("{\"type\":\"standard\",\"industry\":\"residential\",\"address\":{\"country\":\"CA\","
        "\"provinceState\":\"ON\",\"city\":\"c\",\"postalCode\":\"12345678901234567\","
        "\"streetName\":\"s\",\"streetNumber\":\"1\"}}",
        "address.postalCode must be at most 16 bytes");
    bad("{\"type\":\"standard\",\"industry\":\"residential\",\"address\":{\"country\":\"CA\","
        "\"provinceState\":\"ON\",\"city\":\"Water\\nloo\",\"postalCode\":\"x\","
        "\"streetName\":\"s\",\"streetNumber\":\"1\"}}",
        "address.city must not contain control characters");
}

static void expires_case(const char *ts, int accepted, const char *want)
{
    char body[700];
    snprintf(body, sizeof body, HEAD ",\"defaultView\":{\"expiresAt\":\"%s\"}}", ts);
    if (accepted) {
        json_t *keep;
        struct iguide_input in = ok(body, &keep);
        int64_t ms;
        assert_int_equal(clock_parse(ts, &ms), 0);
        assert_int_equal(in.view.expires_at, ms);
        json_decref(keep);
    } else {
        bad(body, want);
    }
}

static void t_expires_window(void **state)
{
    (void)state;
    /* now = 2026-03-01T00:00:00Z */
    expires_case("2027-02-17T00:00:00.000Z", 1, NULL);
    expires_case("2036-03-01T00:00:00.000Z", 1, NULL);          /* exactly 10 years ahead */
    expires_case("2036-03-01T00:00:00.001Z", 0, "at most 10 years from now");
    expires_case("2036-03-02T00:00:00.000Z", 0, "at most 10 years from now");
    expires_case("2099-01-01T00:00:00Z", 0, "defaultView.expiresAt must be at most 10 years");
    expires_case("2025-03-01T00:00:00.000Z", 1, NULL);          /* exactly 1 year back */
    expires_case("2025-02-28T23:59:59.999Z", 0, "at most 1 year in the past");
    expires_case("2020-01-01T00:00:00Z", 0, "defaultView.expiresAt must be at most 1 year");
    expires_case("2026-01-01T00:00:00Z", 1, NULL);              /* past dates lock; allowed */
    /* The same limits written with an offset. */
    expires_case("2036-03-01T05:30:00+05:30", 1, NULL);
    expires_case("2036-03-01T05:30:01+05:30", 0, "at most 10 years");
    /* Not a timestamp. */
    expires_case("tomorrow", 0, "defaultView.expiresAt must be an ISO 8601 timestamp");
    expires_case("2027-02-30T00:00:00Z", 0, "defaultView.expiresAt must be an ISO 8601");
    expires_case("2027-02-17", 0, "defaultView.expiresAt must be an ISO 8601");
    expires_case("", 0, "defaultView.expiresAt must be an ISO 8601");
}

static void t_expires_window_leap(void **state)
{
    (void)state;
    /* On Feb 29 the limits are Feb 28 of the target years. */
    int64_t saved = now_ms;
    assert_int_equal(clock_parse("2028-02-29T12:00:00Z", &now_ms), 0);
    expires_case("2038-02-28T12:00:00Z", 1, NULL);
    expires_case("2038-02-28T12:00:00.001Z", 0, "at most 10 years");
    expires_case("2027-02-28T12:00:00Z", 1, NULL);
    expires_case("2027-02-28T11:59:59.999Z", 0, "at most 1 year in the past");
    now_ms = saved;
}

static void t_webhooks(void **state)
{
    (void)state;
    json_t *keep;
    struct iguide_input in =
        ok(HEAD ",\"webhooks\":[{\"event\":\"*\",\"url\":\"https://a.example/x\"},"
                "{\"event\":\"ready\",\"url\":\"HTTP://b.example:8080/y?z=1\"}]}",
           &keep);
    assert_int_equal(json_array_size(in.webhooks), 2);
    json_decref(keep);
    in = ok(HEAD ",\"webhooks\":[]}", &keep);
    assert_int_equal(json_array_size(in.webhooks), 0);
    json_decref(keep);
    bad(HEAD ",\"webhooks\":[{\"url\":\"https://a.example\"}]}", "webhooks[0].event is required");
    bad(HEAD ",\"webhooks\":[{\"event\":\"*\"}]}", "webhooks[0].url is required");
    bad(HEAD ",\"webhooks\":[{\"event\":\"*\",\"url\":\"https://a.example\"},{\"event\":\"*\","
             "\"url\":\"ftp://a.example\"}]}",
        "webhooks[1].url must be an absolute http(s) URL");
    bad(HEAD ",\"webhooks\":[{\"event\":\"*\",\"url\":\"https://\"}]}", "webhooks[0].url must be");
    bad(HEAD ",\"webhooks\":[{\"event\":\"*\",\"url\":\"https:///path\"}]}",
        "webhooks[0].url must be");
    bad(HEAD ",\"webhooks\":[{\"event\":\"*\",\"url\":\"https://a b.example\"}]}",
        "webhooks[0].url must be");
    bad(HEAD ",\"webhooks\":[{\"event\":\"*\",\"url\":\"/relative\"}]}", "webhooks[0].url must be");
    bad(HEAD ",\"webhooks\":[{\"event\":\"*\",\"url\":\"\"}]}", "webhooks[0].url must not be empty");
    bad(HEAD ",\"webhooks\":[{\"event\":\"*\",\"url\":7}]}", "webhooks[0].url must be a string");
    /* The Guidepost events are names an entry may use. */
    in = ok(HEAD ",\"webhooks\":[{\"event\":\"view.expired\",\"url\":\"https://a.example\"},"
                 "{\"event\":\"view.deleted\",\"url\":\"https://a.example\"},"
                 "{\"event\":\"iguide.deleted\",\"url\":\"https://a.example\"},"
                 "{\"event\":\"workorder.status_changed\",\"url\":\"https://[::1]:8443/h\"}]}",
            &keep);
    assert_int_equal(json_array_size(in.webhooks), 4);
    json_decref(keep);
    bad(HEAD ",\"webhooks\":[{\"event\":\"view.created\",\"url\":\"https://a.example\"}]}",
        "webhooks[0].event must be one of: *, ready, view.expired, view.deleted, iguide.deleted, "
        "workorder.status_changed");
    /* Hosts, ports, user info and control characters. */
    static const char *const refused[] = {"https://user:pw@a.example/",
                                          "https://a.example:0/",
                                          "https://a.example:65536/",
                                          "https://a.example:/",
                                          "https://-a.example/",
                                          "https://.a.example/",
                                          "https://a_b.example/",
                                          "https://[]/",
                                          "https://[zz::1]/",
                                          "https://a.example/\\u0001",
                                          "https://a.example/x\\ty",
                                          "https://a.example:8o/",
                                          "javascript:alert(1)",
                                          "https:/a.example",
                                          NULL};
    for (size_t i = 0; refused[i]; i++) {
        char b[512];
        snprintf(b, sizeof b, HEAD ",\"webhooks\":[{\"event\":\"*\",\"url\":\"%s\"}]}", refused[i]);
        bad(b, "webhooks[0].url must");
    }
    /* Plain http:// only with --webhook-allow-private. */
    allow_http = 0;
    bad(HEAD ",\"webhooks\":[{\"event\":\"*\",\"url\":\"https://a.example\"},{\"event\":\"*\","
             "\"url\":\"http://a.example/h\"}]}",
        "webhooks[1].url must be an https:// URL (plain http:// needs a server started with "
        "--webhook-allow-private)");
    in = ok(HEAD ",\"webhooks\":[{\"event\":\"*\",\"url\":\"https://a.example:443/h\"}]}", &keep);
    json_decref(keep);
    allow_http = 1;
    /* A URL at the length bound is taken; one byte more is not. */
    char big[2200];
    int k = snprintf(big, sizeof big, "https://a.example/");
    memset(big + k, 'x', 2048 - (size_t)k);
    big[2048] = '\0';
    char *body = malloc(4096);
    snprintf(body, 4096, HEAD ",\"webhooks\":[{\"event\":\"*\",\"url\":\"%s\"}]}", big);
    in = ok(body, &keep);
    json_decref(keep);
    snprintf(body, 4096, HEAD ",\"webhooks\":[{\"event\":\"*\",\"url\":\"%sx\"}]}", big);
    bad(body, "webhooks[0].url must be at most 2048");
    free(body);
    /* At most twenty. */
    char list[4000];
    size_t n = (size_t)snprintf(list, sizeof list, "%s", HEAD ",\"webhooks\":[");
    for (int i = 0; i < 20; i++)
        n += (size_t)snprintf(list + n, sizeof list - n,
                              "%s{\"event\":\"*\",\"url\":\"https://h%d.example\"}", i ? "," : "",
                              i);
    snprintf(list + n, sizeof list - n, "]}");
    in = ok(list, &keep);
    assert_int_equal(json_array_size(in.webhooks), 20);
    json_decref(keep);
    snprintf(list + n, sizeof list - n, ",{\"event\":\"*\",\"url\":\"https://h.example\"}]}");
    bad(list, "webhooks must have at most 20 items");
}

static void t_addons(void **state)
{
    (void)state;
    json_t *keep;
    ok(HEAD ",\"addons\":[]}", &keep);
    json_decref(keep);
    bad(HEAD ",\"addons\":[\"dwg-init\"]}", "addons is obsolete");
    bad(HEAD ",\"addons\":\"dwg-init\"}", "addons is obsolete");
    bad(HEAD ",\"addons\":{}}", "addons is obsolete");
    bad(HEAD ",\"addons\":false}", "addons is obsolete");
}

static void t_list_bounds(void **state)
{
    (void)state;
    /* editors ≤ 50, viewers ≤ 500, description ≤ 10000 bytes. */
    size_t cap = 20000;
    char *body = malloc(cap);
    size_t n = (size_t)snprintf(body, cap, "%s", HEAD ",\"editors\":[");
    for (int i = 0; i < 50; i++)
        n += (size_t)snprintf(body + n, cap - n, "%s\"u%d\"", i ? "," : "", i);
    snprintf(body + n, cap - n, "]}");
    json_t *keep;
    ok(body, &keep);
    json_decref(keep);
    snprintf(body + n, cap - n, ",\"u50\"]}");
    bad(body, "editors must have at most 50 items");
    n = (size_t)snprintf(body, cap, "%s", HEAD ",\"defaultView\":{\"viewers\":[");
    for (int i = 0; i < 501; i++)
        n += (size_t)snprintf(body + n, cap - n, "%s\"v%d\"", i ? "," : "", i);
    snprintf(body + n, cap - n, "]}}");
    bad(body, "defaultView.viewers must have at most 500 items");
    n = (size_t)snprintf(body, cap, "%s", HEAD ",\"defaultView\":{\"description\":\"");
    memset(body + n, 'd', 10001);
    snprintf(body + n + 10001, cap - n - 10001, "\"}}");
    bad(body, "defaultView.description must be at most 10000 bytes");
    snprintf(body + n + 10000, cap - n - 10000, "\"}}");
    struct iguide_input in = ok(body, &keep);
    assert_int_equal(strlen(in.view.description), 10000);
    json_decref(keep);
    free(body);
}

static void t_alias_base(void **state)
{
    (void)state;
    char out[SLUG_MAX];
    struct address a = {.country = "CA", .province_state = "ON", .city = "Waterloo",
                        .postal_code = "N2L 3G1", .street_name = "University Ave",
                        .street_number = "200", .unit_number = NULL};
    memset(out, 'X', sizeof out);
    iguide_alias_base(&a, out, sizeof out);
    assert_string_equal(out, "200_university_ave_waterloo_on");
    a.unit_number = "Unit 5";
    iguide_alias_base(&a, out, sizeof out);
    assert_string_equal(out, "200_university_ave_unit_5_waterloo_on");
    a.unit_number = "#12B";
    iguide_alias_base(&a, out, sizeof out);
    assert_string_equal(out, "200_university_ave_12b_waterloo_on");
    struct address fr = {.country = "FR", .province_state = "42", .city = "Saint-Étienne",
                         .postal_code = "42000", .street_name = "Rue de la République",
                         .street_number = "10"};
    iguide_alias_base(&fr, out, sizeof out);
    assert_string_equal(out, "10_rue_de_la_republique_saint_etienne_42");
    /* Nothing sluggable: a fixed fallback, never an empty alias. */
    struct address none = {.country = "JP", .province_state = "", .city = "東京",
                           .postal_code = "1", .street_name = "—", .street_number = "#"};
    iguide_alias_base(&none, out, sizeof out);
    assert_string_equal(out, "iguide");
    /* The cap holds. */
    char small[12];
    iguide_alias_base(&a, small, sizeof small);
    assert_string_equal(small, "200_univers");
}

static int setup(void **state)
{
    (void)state;
    return clock_parse("2026-03-01T00:00:00Z", &now_ms);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_tutorial_body),
        cmocka_unit_test(t_full_body),
        cmocka_unit_test(t_required_fields),
        cmocka_unit_test(t_wrong_types),
        cmocka_unit_test(t_unknown_enum_values),
        cmocka_unit_test(t_unknown_fields),
        cmocka_unit_test(t_address_codes),
        cmocka_unit_test(t_full_address_echo),
        cmocka_unit_test(t_expires_window),
        cmocka_unit_test(t_expires_window_leap),
        cmocka_unit_test(t_webhooks),
        cmocka_unit_test(t_addons),
        cmocka_unit_test(t_list_bounds),
        cmocka_unit_test(t_alias_base),
    };
    return cmocka_run_group_tests_name("iguide_input", tests, setup, NULL);
}
