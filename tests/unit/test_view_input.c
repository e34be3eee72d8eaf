/* test_view_input.c — api/view_input: view bodies (POST /iguides/{id}/views, PATCH /views/{id},
 * defaultView), the expiresAt window to the millisecond (10 years ahead, 1 year back), defaults by
 * industry and country, PATCH overlays, and the expiration endpoints' body (any future date for
 * one view; clamped to 10 years for the batch endpoint). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/view_input.h"
#include "core/arena.h"
#include "core/clock.h"
#include "json/jsonx.h"

static int64_t now_ms;   /* 2026-03-01T00:00:00Z, set up once */

static int64_t P(const char *s)
{
    int64_t ms = 0;
    if (clock_parse(s, &ms))
        fail_msg("bad timestamp %s", s);
    return ms;
}

static json_t *body_of(const char *s)
{
    json_t *v = NULL;
    struct err e = {0};
    if (jsonx_parse_object(s, strlen(s), &v, &e) != RC_OK)
        fail_msg("test body is not JSON: %s\n%s", e.msg, s);
    return v;
}

/* Parses s as a view body (top level) and expects success; *keep holds the body. */
static struct view_params ok_f(const char *s, enum view_fields f, json_t **keep)
{
    json_t *b = body_of(s);
    struct view_params p;
    struct err e = {0};
    enum rc rc = view_params_parse(b, "", f, now_ms, &p, &e);
    if (rc != RC_OK)
        fail_msg("rejected (%s): %s\n%s", rc_name(rc), e.msg, s);
    *keep = b;
    return p;
}

static struct view_params ok(const char *s, json_t **keep)
{
    return ok_f(s, VIEW_FIELDS_VIEW, keep);
}

/* Expects RC_INVALID with a message containing want; path "" or "defaultView". */
static void bad_at(const char *s, const char *path, enum view_fields f, const char *want)
{
    json_t *b = body_of(s);
    struct view_params p;
    struct err e = {0};
    enum rc rc = view_params_parse(b, path, f, now_ms, &p, &e);
    json_decref(b);
    if (rc != RC_INVALID)
        fail_msg("accepted (%s): %s", rc_name(rc), s);
    if (!strstr(e.msg, want))
        fail_msg("message \"%s\" lacks \"%s\"\nbody: %s", e.msg, want, s);
}

static void bad(const char *s, const char *want)
{
    bad_at(s, "", VIEW_FIELDS_VIEW, want);
}

static void t_empty_body(void **state)
{
    (void)state;
    json_t *keep;
    struct view_params p = ok("{}", &keep);
    assert_int_equal(p.has_protected, 0);
    assert_int_equal(p.has_expires, 0);
    assert_int_equal(p.has_banner, 0);
    assert_int_equal(p.has_description, 0);
    assert_null(p.banner_id);
    assert_null(p.description);
    assert_null(p.meas_std);
    assert_null(p.viewers);
    assert_null(p.viewer_groups);
    json_decref(keep);
}

static void t_every_field(void **state)
{
    (void)state;
    json_t *keep;
    struct view_params p =
        ok("{\"isProtected\":true,\"expiresAt\":\"2027-02-17T00:00:00.000Z\",\"viewers\":[\"u1\","
           "\"u2\"],\"viewerGroups\":[\"g1\"],\"description\":\"Open house\",\"measStd\":\"ansi\","
           "\"bannerId\":\"b1\"}",
           &keep);
    assert_int_equal(p.has_protected, 1);
    assert_int_equal(p.is_protected, 1);
    assert_int_equal(p.has_expires, 1);
    assert_int_equal(p.expires_at, P("2027-02-17T00:00:00Z"));
    assert_int_equal(json_array_size(p.viewers), 2);
    assert_int_equal(json_array_size(p.viewer_groups), 1);
    assert_int_equal(p.has_description, 1);
    assert_string_equal(p.description, "Open house");
    assert_string_equal(p.meas_std, "ansi");
    assert_int_equal(p.has_banner, 1);
    assert_string_equal(p.banner_id, "b1");
    json_decref(keep);
    p = ok("{\"isProtected\":false,\"measStd\":\"rms\",\"viewers\":[],\"viewerGroups\":[]}", &keep);
    assert_int_equal(p.has_protected, 1);
    assert_int_equal(p.is_protected, 0);
    assert_string_equal(p.meas_std, "rms");
    assert_int_equal(json_array_size(p.viewers), 0);
    assert_int_equal(json_array_size(p.viewer_groups), 0);
    json_decref(keep);
}

static void t_nulls(void **state)
{
    (void)state;
    json_t *keep;
    /* null clears bannerId and description (a PATCH), and means "not given" elsewhere. */
    struct view_params p = ok("{\"bannerId\":null,\"description\":null,\"isProtected\":null,"
                              "\"expiresAt\":null,\"measStd\":null,\"viewers\":null,"
                              "\"viewerGroups\":null}",
                              &keep);
    assert_int_equal(p.has_banner, 1);
    assert_null(p.banner_id);
    assert_int_equal(p.has_description, 1);
    assert_null(p.description);
    assert_int_equal(p.has_protected, 0);
    assert_int_equal(p.has_expires, 0);
    assert_null(p.meas_std);
    assert_null(p.viewers);
    assert_null(p.viewer_groups);
    json_decref(keep);
}

static void t_wrong_types(void **state)
{
    (void)state;
    bad("{\"isProtected\":\"true\"}", "isProtected must be true or false");
    bad("{\"isProtected\":1}", "isProtected must be true or false");
    bad("{\"expiresAt\":1700000000000}", "expiresAt must be a string");
    bad("{\"expiresAt\":true}", "expiresAt must be a string");
    bad("{\"bannerId\":7}", "bannerId must be a string");
    bad("{\"description\":[\"x\"]}", "description must be a string");
    bad("{\"measStd\":1}", "measStd must be a string");
    bad("{\"viewers\":\"u1\"}", "viewers must be an array of strings");
    bad("{\"viewers\":{}}", "viewers must be an array of strings");
    bad("{\"viewers\":[1]}", "viewers[0] must be a non-empty string");
    bad("{\"viewers\":[\"u1\",\"\"]}", "viewers[1] must be a non-empty string");
    bad("{\"viewerGroups\":\"g\"}", "viewerGroups must be an array of strings");
    bad("{\"viewerGroups\":[null]}", "viewerGroups[0] must be a non-empty string");
    bad("{\"description\":\"a\\u0001b\"}", "description must not contain control characters");
    /* A body that is not an object (the caller's defaultView, for instance). */
    json_t *arr = json_array();
    struct view_params p;
    struct err e = {0};
    assert_int_equal(view_params_parse(arr, "defaultView", VIEW_FIELDS_DEFAULT_VIEW, now_ms, &p, &e),
                     RC_INVALID);
    assert_string_equal(e.msg, "defaultView must be an object");
    assert_int_equal(view_params_parse(arr, "", VIEW_FIELDS_VIEW, now_ms, &p, &e), RC_INVALID);
    assert_string_equal(e.msg, "the body must be an object");
    json_decref(arr);
}

static void t_enum_values(void **state)
{
    (void)state;
    bad("{\"measStd\":\"imperial\"}", "measStd must be one of: ansi, rms (got \"imperial\")");
    bad("{\"measStd\":\"ANSI\"}", "measStd must be one of: ansi, rms");
    bad("{\"measStd\":\"\"}", "measStd must be one of");
}

static void t_unknown_fields(void **state)
{
    (void)state;
    bad("{\"foo\":1}", "unknown field \"foo\"");
    bad("{\"expiresat\":\"2027-01-01T00:00:00Z\"}", "unknown field \"expiresat\"");
    /* Read-only fields of the view object are not settable. */
    bad("{\"id\":\"v0000000000000\"}", "unknown field \"id\"");
    bad("{\"isDefault\":true}", "unknown field \"isDefault\"");
    bad("{\"locked\":false}", "unknown field \"locked\"");
    bad("{\"iguideId\":\"ig\"}", "unknown field \"iguideId\"");
    bad("{\"createdAt\":\"2027-01-01T00:00:00Z\"}", "unknown field \"createdAt\"");
    /* DefaultViewParams has no viewerGroups (§4.3); a view's own body does. */
    bad_at("{\"viewerGroups\":[\"g\"]}", "defaultView", VIEW_FIELDS_DEFAULT_VIEW,
           "unknown field \"defaultView.viewerGroups\"");
    json_t *keep;
    struct view_params p = ok("{\"viewerGroups\":[\"g\"]}", &keep);
    assert_int_equal(json_array_size(p.viewer_groups), 1);
    json_decref(keep);
    p = ok_f("{\"viewers\":[\"u\"]}", VIEW_FIELDS_DEFAULT_VIEW, &keep);
    assert_int_equal(json_array_size(p.viewers), 1);
    json_decref(keep);
}

static void t_bounds(void **state)
{
    (void)state;
    size_t cap = 20000;
    char *body = malloc(cap);
    json_t *keep;
    /* viewers ≤ 500 */
    size_t n = (size_t)snprintf(body, cap, "{\"viewers\":[");
    for (int i = 0; i < VIEW_MAX_VIEWERS; i++)
        n += (size_t)snprintf(body + n, cap - n, "%s\"u%d\"", i ? "," : "", i);
    snprintf(body + n, cap - n, "]}");
    struct view_params p = ok(body, &keep);
    assert_int_equal(json_array_size(p.viewers), VIEW_MAX_VIEWERS);
    json_decref(keep);
    snprintf(body + n, cap - n, ",\"u500\"]}");
    bad(body, "viewers must have at most 500 items");
    /* viewerGroups ≤ 100 */
    n = (size_t)snprintf(body, cap, "{\"viewerGroups\":[");
    for (int i = 0; i < VIEW_MAX_VIEWER_GROUPS; i++)
        n += (size_t)snprintf(body + n, cap - n, "%s\"g%d\"", i ? "," : "", i);
    snprintf(body + n, cap - n, "]}");
    p = ok(body, &keep);
    assert_int_equal(json_array_size(p.viewer_groups), VIEW_MAX_VIEWER_GROUPS);
    json_decref(keep);
    snprintf(body + n, cap - n, ",\"g100\"]}");
    bad(body, "viewerGroups must have at most 100 items");
    /* a user id ≤ 128 bytes */
    n = (size_t)snprintf(body, cap, "{\"viewers\":[\"");
    memset(body + n, 'u', 128);
    snprintf(body + n + 128, cap - n - 128, "\"]}");
    ok(body, &keep);
    json_decref(keep);
    memset(body + n, 'u', 129);
    snprintf(body + n + 129, cap - n - 129, "\"]}");
    bad(body, "viewers[0] must be a non-empty string of at most 128 bytes");
    /* description ≤ 10000 bytes */
    n = (size_t)snprintf(body, cap, "{\"description\":\"");
    memset(body + n, 'd', 10000);
    snprintf(body + n + 10000, cap - n - 10000, "\"}");
    p = ok(body, &keep);
    assert_int_equal(strlen(p.description), 10000);
    json_decref(keep);
    memset(body + n, 'd', 10001);
    snprintf(body + n + 10001, cap - n - 10001, "\"}");
    bad(body, "description must be at most 10000 bytes");
    /* bannerId ≤ 64 bytes */
    n = (size_t)snprintf(body, cap, "{\"bannerId\":\"");
    memset(body + n, 'b', 64);
    snprintf(body + n + 64, cap - n - 64, "\"}");
    ok(body, &keep);
    json_decref(keep);
    memset(body + n, 'b', 65);
    snprintf(body + n + 65, cap - n - 65, "\"}");
    bad(body, "bannerId must be at most 64 bytes");
    free(body);
}

/* expiresAt in a view body: accepted (stored exactly) or refused with want. */
static void expires_case(const char *ts, int accepted, const char *want)
{
    char body[200];
    snprintf(body, sizeof body, "{\"expiresAt\":\"%s\"}", ts);
    if (accepted) {
        json_t *keep;
        struct view_params p = ok(body, &keep);
        assert_int_equal(p.has_expires, 1);
        assert_int_equal(p.expires_at, P(ts));
        json_decref(keep);
    } else {
        bad(body, want);
    }
}

static void t_expires_window(void **state)
{
    (void)state;
    /* now = 2026-03-01T00:00:00.000Z */
    expires_case("2027-03-01T00:00:00.000Z", 1, NULL);           /* the default: one year */
    expires_case("2036-03-01T00:00:00.000Z", 1, NULL);           /* exactly 10 years ahead */
    expires_case("2036-02-29T23:59:59.999Z", 1, NULL);
    expires_case("2036-03-01T00:00:00.001Z", 0, "expiresAt must be at most 10 years from now");
    expires_case("2046-03-01T00:00:00Z", 0, "expiresAt must be at most 10 years from now");
    expires_case("2025-03-01T00:00:00.000Z", 1, NULL);           /* exactly 1 year back */
    expires_case("2025-03-01T00:00:00.001Z", 1, NULL);
    expires_case("2025-02-28T23:59:59.999Z", 0, "expiresAt must be at most 1 year in the past");
    expires_case("2000-01-01T00:00:00Z", 0, "expiresAt must be at most 1 year in the past");
    expires_case("2026-02-28T12:00:00Z", 1, NULL);               /* past within a year: locks */
    expires_case("2026-03-01T00:00:00.000Z", 1, NULL);           /* now itself */
    /* Offsets count by their UTC instant. */
    expires_case("2036-03-01T05:30:00+05:30", 1, NULL);
    expires_case("2036-03-01T05:30:00.001+05:30", 0, "at most 10 years");
    expires_case("2025-02-28T19:00:00-05:00", 1, NULL);
    expires_case("2025-02-28T18:59:59.999-05:00", 0, "at most 1 year in the past");
    /* Not timestamps. */
    expires_case("tomorrow", 0, "expiresAt must be an ISO 8601 timestamp");
    expires_case("2027-02-30T00:00:00Z", 0, "expiresAt must be an ISO 8601 timestamp");
    expires_case("2027-02-17", 0, "expiresAt must be an ISO 8601 timestamp");
    expires_case("2027-02-17T00:00:00", 0, "expiresAt must be an ISO 8601 timestamp");
    expires_case("", 0, "expiresAt must be an ISO 8601 timestamp");
    /* The same window under defaultView names the field by its path. */
    bad_at("{\"expiresAt\":\"2036-03-01T00:00:00.001Z\"}", "defaultView", VIEW_FIELDS_DEFAULT_VIEW,
           "defaultView.expiresAt must be at most 10 years from now");
    bad_at("{\"expiresAt\":\"2025-02-28T23:59:59.999Z\"}", "defaultView", VIEW_FIELDS_DEFAULT_VIEW,
           "defaultView.expiresAt must be at most 1 year in the past");
}

static void t_expires_window_direct(void **state)
{
    (void)state;
    struct err e = {0};
    int64_t now = P("2028-02-29T12:00:00Z");   /* a leap day: the limits fall on Feb 28 */
    assert_int_equal(view_expires_in_window(P("2038-02-28T12:00:00Z"), now, "x", &e), RC_OK);
    assert_int_equal(view_expires_in_window(P("2038-02-28T12:00:00.001Z"), now, "x", &e),
                     RC_INVALID);
    assert_string_equal(e.msg, "x must be at most 10 years from now");
    assert_int_equal(view_expires_in_window(P("2027-02-28T12:00:00Z"), now, "x", &e), RC_OK);
    assert_int_equal(view_expires_in_window(P("2027-02-28T11:59:59.999Z"), now, "x", &e),
                     RC_INVALID);
    assert_string_equal(e.msg, "x must be at most 1 year in the past");
    /* Sub-second now: the limits keep its milliseconds. */
    now = P("2026-06-15T08:09:10.123Z");
    assert_int_equal(view_expires_in_window(P("2036-06-15T08:09:10.123Z"), now, "x", &e), RC_OK);
    assert_int_equal(view_expires_in_window(P("2036-06-15T08:09:10.124Z"), now, "x", &e),
                     RC_INVALID);
    assert_int_equal(view_expires_in_window(P("2025-06-15T08:09:10.123Z"), now, "x", &e), RC_OK);
    assert_int_equal(view_expires_in_window(P("2025-06-15T08:09:10.122Z"), now, "x", &e),
                     RC_INVALID);
}

static void t_defaults(void **state)
{
    (void)state;
    assert_int_equal(view_default_protected("residential"), 0);
    assert_int_equal(view_default_protected("commercial"), 1);
    assert_int_equal(view_default_protected("irc"), 1);
    assert_int_equal(view_default_protected("aec"), 1);
    assert_string_equal(view_default_meas_std("US"), "ansi");
    assert_string_equal(view_default_meas_std("CA"), "rms");
    assert_string_equal(view_default_meas_std("GB"), "rms");
    assert_string_equal(view_default_meas_std("UM"), "rms");
}

static void t_to_new(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct err e = {0};
    json_t *keep;
    /* Nothing given: the documented defaults. */
    struct view_params p = ok("{}", &keep);
    struct view_row v = {0};
    assert_int_equal(view_params_to_new(&p, "residential", "CA", now_ms, &v, a, &e), RC_OK);
    assert_int_equal(v.is_protected, 0);
    assert_int_equal(v.expires_at, P("2027-03-01T00:00:00Z"));
    assert_string_equal(v.meas_std, "rms");
    assert_null(v.banner_id);
    assert_null(v.description);
    assert_string_equal(v.viewers_json, "[]");
    assert_string_equal(v.viewer_groups_json, "[]");
    assert_int_equal(v.created_at, now_ms);
    assert_int_equal(v.updated_at, now_ms);
    memset(&v, 0, sizeof v);
    assert_int_equal(view_params_to_new(&p, "commercial", "US", now_ms, &v, a, &e), RC_OK);
    assert_int_equal(v.is_protected, 1);
    assert_string_equal(v.meas_std, "ansi");
    for (const char *const *ind = (const char *const[]){"irc", "aec", NULL}; *ind; ind++) {
        assert_int_equal(view_params_to_new(&p, *ind, "CA", now_ms, &v, a, &e), RC_OK);
        assert_int_equal(v.is_protected, 1);
    }
    json_decref(keep);
    /* Everything given wins over the defaults. */
    p = ok("{\"isProtected\":false,\"expiresAt\":\"2030-01-01T00:00:00Z\",\"viewers\":[\"u1\","
           "\"u2\"],\"viewerGroups\":[\"g1\"],\"description\":\"d\",\"measStd\":\"rms\","
           "\"bannerId\":\"b\"}",
           &keep);
    memset(&v, 0, sizeof v);
    assert_int_equal(view_params_to_new(&p, "aec", "US", now_ms, &v, a, &e), RC_OK);
    assert_int_equal(v.is_protected, 0);
    assert_int_equal(v.expires_at, P("2030-01-01T00:00:00Z"));
    assert_string_equal(v.meas_std, "rms");
    assert_string_equal(v.banner_id, "b");
    assert_string_equal(v.description, "d");
    assert_string_equal(v.viewers_json, "[\"u1\",\"u2\"]");
    assert_string_equal(v.viewer_groups_json, "[\"g1\"]");
    json_decref(keep);
    /* New views expire one year after creation, calendar-wise (Feb 29 → Feb 28). */
    p = ok("{}", &keep);
    assert_int_equal(view_params_to_new(&p, "residential", "CA", P("2028-02-29T10:00:00Z"), &v, a,
                                        &e),
                     RC_OK);
    assert_int_equal(v.expires_at, P("2029-02-28T10:00:00Z"));
    json_decref(keep);
    arena_free(a);
}

static void t_apply(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct err e = {0};
    json_t *keep;
    const struct view_row orig = {.id = "v0000000000000", .iguide_id = "ig0000000000000",
                                  .is_default = 1, .is_protected = 1, .expires_at = 1000,
                                  .banner_id = "b", .description = "d", .meas_std = "rms",
                                  .viewers_json = "[\"u\"]", .viewer_groups_json = "[\"g\"]",
                                  .created_at = 5, .updated_at = 5};
    /* An empty PATCH changes nothing but updatedAt. */
    struct view_params p = ok("{}", &keep);
    struct view_row v = orig;
    assert_int_equal(view_params_apply(&p, now_ms, &v, a, &e), RC_OK);
    assert_int_equal(v.is_protected, 1);
    assert_int_equal(v.expires_at, 1000);
    assert_string_equal(v.banner_id, "b");
    assert_string_equal(v.description, "d");
    assert_string_equal(v.meas_std, "rms");
    assert_string_equal(v.viewers_json, "[\"u\"]");
    assert_string_equal(v.viewer_groups_json, "[\"g\"]");
    assert_int_equal(v.is_default, 1);
    assert_int_equal(v.created_at, 5);
    assert_int_equal(v.updated_at, now_ms);
    json_decref(keep);
    /* One field at a time. */
    p = ok("{\"isProtected\":false}", &keep);
    v = orig;
    assert_int_equal(view_params_apply(&p, now_ms, &v, a, &e), RC_OK);
    assert_int_equal(v.is_protected, 0);
    assert_string_equal(v.banner_id, "b");
    json_decref(keep);
    p = ok("{\"expiresAt\":\"2025-06-01T00:00:00Z\"}", &keep);   /* locks, within a year back */
    v = orig;
    assert_int_equal(view_params_apply(&p, now_ms, &v, a, &e), RC_OK);
    assert_int_equal(v.expires_at, P("2025-06-01T00:00:00Z"));
    assert_int_equal(v.is_protected, 1);
    json_decref(keep);
    /* null clears bannerId and description; [] empties the lists. */
    p = ok("{\"bannerId\":null,\"description\":null,\"viewers\":[],\"viewerGroups\":[]}", &keep);
    v = orig;
    assert_int_equal(view_params_apply(&p, now_ms, &v, a, &e), RC_OK);
    assert_null(v.banner_id);
    assert_null(v.description);
    assert_string_equal(v.viewers_json, "[]");
    assert_string_equal(v.viewer_groups_json, "[]");
    assert_string_equal(v.meas_std, "rms");
    json_decref(keep);
    p = ok("{\"measStd\":\"ansi\",\"viewerGroups\":[\"g2\",\"g3\"],\"description\":\"\"}", &keep);
    v = orig;
    assert_int_equal(view_params_apply(&p, now_ms, &v, a, &e), RC_OK);
    assert_string_equal(v.meas_std, "ansi");
    assert_string_equal(v.viewer_groups_json, "[\"g2\",\"g3\"]");
    assert_string_equal(v.viewers_json, "[\"u\"]");
    assert_string_equal(v.description, "");
    json_decref(keep);
    arena_free(a);
}

/* The expiration endpoints' body: accepted into *out, or refused with want. */
static int64_t expiry_ok(const char *s, enum view_expiry_cap cap, int *clamped)
{
    json_t *b = body_of(s);
    struct err e = {0};
    int64_t out = 0;
    enum rc rc = view_expiry_parse(b, now_ms, cap, &out, clamped, &e);
    json_decref(b);
    if (rc != RC_OK)
        fail_msg("rejected (%s): %s\n%s", rc_name(rc), e.msg, s);
    return out;
}

static void expiry_bad(const char *s, enum view_expiry_cap cap, const char *want)
{
    json_t *b = body_of(s);
    struct err e = {0};
    int64_t out = 0;
    enum rc rc = view_expiry_parse(b, now_ms, cap, &out, NULL, &e);
    json_decref(b);
    if (rc != RC_INVALID)
        fail_msg("accepted (%s): %s", rc_name(rc), s);
    if (!strstr(e.msg, want))
        fail_msg("message \"%s\" lacks \"%s\"\nbody: %s", e.msg, want, s);
}

static void t_expiry_per_view(void **state)
{
    (void)state;
    int clamped = -1;
    /* Any future date: 20 and 100 years ahead are kept as given. */
    assert_int_equal(expiry_ok("{\"expiresAt\":\"2046-03-01T00:00:00Z\"}", VIEW_EXPIRY_UNCAPPED,
                               &clamped),
                     P("2046-03-01T00:00:00Z"));
    assert_int_equal(clamped, 0);
    assert_int_equal(expiry_ok("{\"expiresAt\":\"2126-01-01T00:00:00Z\"}", VIEW_EXPIRY_UNCAPPED,
                               NULL),
                     P("2126-01-01T00:00:00Z"));
    /* The guide's own example. */
    assert_int_equal(expiry_ok("{\"expiresAt\":\"2027-02-17T00:00:00Z\"}", VIEW_EXPIRY_UNCAPPED,
                               NULL),
                     P("2027-02-17T00:00:00Z"));
    /* The future starts one millisecond after now. */
    assert_int_equal(expiry_ok("{\"expiresAt\":\"2026-03-01T00:00:00.001Z\"}",
                               VIEW_EXPIRY_UNCAPPED, NULL),
                     now_ms + 1);
    expiry_bad("{\"expiresAt\":\"2026-03-01T00:00:00.000Z\"}", VIEW_EXPIRY_UNCAPPED,
               "expiresAt must be in the future");
    expiry_bad("{\"expiresAt\":\"2026-02-28T23:59:59.999Z\"}", VIEW_EXPIRY_UNCAPPED,
               "expiresAt must be in the future");
    expiry_bad("{\"expiresAt\":\"2020-01-01T00:00:00Z\"}", VIEW_EXPIRY_UNCAPPED,
               "expiresAt must be in the future");
}

static void t_expiry_batch_clamps(void **state)
{
    (void)state;
    int clamped = -1;
    int64_t max = P("2036-03-01T00:00:00Z");   /* now + 10 years */
    assert_int_equal(expiry_ok("{\"expiresAt\":\"2046-03-01T00:00:00Z\"}", VIEW_EXPIRY_CLAMP,
                               &clamped),
                     max);
    assert_int_equal(clamped, 1);
    assert_int_equal(expiry_ok("{\"expiresAt\":\"2036-03-01T00:00:00.001Z\"}", VIEW_EXPIRY_CLAMP,
                               &clamped),
                     max);
    assert_int_equal(clamped, 1);
    assert_int_equal(expiry_ok("{\"expiresAt\":\"2036-03-01T00:00:00.000Z\"}", VIEW_EXPIRY_CLAMP,
                               &clamped),
                     max);
    assert_int_equal(clamped, 0);
    assert_int_equal(expiry_ok("{\"expiresAt\":\"2027-02-17T00:00:00Z\"}", VIEW_EXPIRY_CLAMP,
                               &clamped),
                     P("2027-02-17T00:00:00Z"));
    assert_int_equal(clamped, 0);
    expiry_bad("{\"expiresAt\":\"2026-03-01T00:00:00Z\"}", VIEW_EXPIRY_CLAMP,
               "expiresAt must be in the future");
    expiry_bad("{\"expiresAt\":\"2025-12-31T00:00:00Z\"}", VIEW_EXPIRY_CLAMP,
               "expiresAt must be in the future");
}

static void t_expiry_body(void **state)
{
    (void)state;
    for (int cap = VIEW_EXPIRY_UNCAPPED; cap <= VIEW_EXPIRY_CLAMP; cap++) {
        expiry_bad("{}", (enum view_expiry_cap)cap, "expiresAt is required");
        expiry_bad("{\"expiresAt\":null}", (enum view_expiry_cap)cap, "expiresAt is required");
        expiry_bad("{\"expiresAt\":\"\"}", (enum view_expiry_cap)cap, "expiresAt must not be empty");
        expiry_bad("{\"expiresAt\":1900000000000}", (enum view_expiry_cap)cap,
                   "expiresAt must be a string");
        expiry_bad("{\"expiresAt\":\"next year\"}", (enum view_expiry_cap)cap,
                   "expiresAt must be an ISO 8601 timestamp");
        expiry_bad("{\"expiresAt\":\"2027-02-17\"}", (enum view_expiry_cap)cap,
                   "expiresAt must be an ISO 8601 timestamp");
        expiry_bad("{\"expiresAt\":\"2027-02-17T00:00:00Z\",\"isProtected\":true}",
                   (enum view_expiry_cap)cap, "unknown field \"isProtected\"");
        expiry_bad("{\"expires_at\":\"2027-02-17T00:00:00Z\"}", (enum view_expiry_cap)cap,
                   "unknown field \"expires_at\"");
    }
}

static int setup(void **state)
{
    (void)state;
    return clock_parse("2026-03-01T00:00:00Z", &now_ms);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_empty_body),
        cmocka_unit_test(t_every_field),
        cmocka_unit_test(t_nulls),
        cmocka_unit_test(t_wrong_types),
        cmocka_unit_test(t_enum_values),
        cmocka_unit_test(t_unknown_fields),
        cmocka_unit_test(t_bounds),
        cmocka_unit_test(t_expires_window),
        cmocka_unit_test(t_expires_window_direct),
        cmocka_unit_test(t_defaults),
        cmocka_unit_test(t_to_new),
        cmocka_unit_test(t_apply),
        cmocka_unit_test(t_expiry_per_view),
        cmocka_unit_test(t_expiry_batch_clamps),
        cmocka_unit_test(t_expiry_body),
    };
    return cmocka_run_group_tests_name("view_input", tests, setup, NULL);
}
