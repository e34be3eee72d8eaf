/* fuzz_json_input.c — libFuzzer target for the JSON request bodies of the Portal API: any bytes
 * as a body go through jsonx_parse_object as dispatch does, then through every validator a
 * handler runs on a body (the iGUIDE create input under both webhook URL rules, the webhook list of
 * PUT …/webhooks, a view's create and patch bodies, both expiration bodies) and through the typed
 * getters on each top-level key. Invariants: a refusal carries a message, only the documented codes
 * come back, and what is accepted keeps the validators' promises (lengths, no control characters,
 * enum values, the expiry window, viewer lists written back as JSON arrays, an alias base made of
 * [a-z0-9_]). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/iguide_input.h"
#include "api/view_input.h"
#include "core/slug.h"
#include "json/jsonx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A fixed clock, so the expiry window does not move between runs: 2025-06-01T00:00:00Z. */
#define NOW_MS 1748736000000LL
#define YEAR_MS (366LL * 24 * 3600 * 1000)

/* Request bodies are capped by the edge long before this; it keeps single runs fast. */
#define MAX_INPUT 65536

static void refused(enum rc rc, const struct err *e)
{
    if (rc == RC_OK)
        return;
    if (rc != RC_INVALID && rc != RC_NOMEM && rc != RC_TOOLARGE)
        abort();
    if (!e->msg[0])
        abort();
}

/* A string a getter accepted: within max, no control characters (jsonx_string's promise). */
static void check_text(const char *s, size_t max)
{
    if (!s)
        return;
    size_t n = strlen(s);
    if (n > max)
        abort();
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20)
            abort();
}

static void check_json_array(const char *text)
{
    if (!text)
        return;
    json_error_t je;
    json_t *v = json_loads(text, 0, &je);
    if (!v || !json_is_array(v))
        abort();
    json_decref(v);
}

static void check_view_row(const struct view_row *v)
{
    if (v->expires_at < NOW_MS - YEAR_MS || v->expires_at > NOW_MS + 10 * YEAR_MS)
        abort();
    if (v->meas_std && strcmp(v->meas_std, "ansi") != 0 && strcmp(v->meas_std, "rms") != 0)
        abort();
    check_text(v->banner_id, VIEW_BANNER_ID_MAX);
    check_json_array(v->viewers_json);
    check_json_array(v->viewer_groups_json);
    if (v->updated_at != NOW_MS)
        abort();
}

static void views(json_t *body)
{
    struct err e = {0};
    struct view_params p;
    enum rc rc = view_params_parse(body, "", VIEW_FIELDS_VIEW, NOW_MS, &p, &e);
    refused(rc, &e);
    if (rc != RC_OK)
        return;
    if (p.has_expires && (p.expires_at < NOW_MS - YEAR_MS || p.expires_at > NOW_MS + 10 * YEAR_MS))
        abort();
    check_text(p.banner_id, VIEW_BANNER_ID_MAX);
    if (p.description && strlen(p.description) > VIEW_DESCRIPTION_MAX)
        abort();
    if ((p.viewers && json_array_size(p.viewers) > VIEW_MAX_VIEWERS) ||
        (p.viewer_groups && json_array_size(p.viewer_groups) > VIEW_MAX_VIEWER_GROUPS))
        abort();
    struct arena *a = arena_new();
    if (!a)
        return;
    /* POST /iguides/{id}/views, then PATCH /views/{id} over that view, as the handlers do. */
    struct view_row v = {0};
    rc = view_params_to_new(&p, "residential", "US", NOW_MS, &v, a, &e);
    refused(rc, &e);
    if (rc == RC_OK) {
        check_view_row(&v);
        if (!p.has_protected && v.is_protected != view_default_protected("residential"))
            abort();
        rc = view_params_apply(&p, NOW_MS, &v, a, &e);
        refused(rc, &e);
        if (rc == RC_OK)
            check_view_row(&v);
    }
    arena_free(a);
}

/* A webhook list the validator took: at most 20 entries, each URL an http(s) URL (https only
 * when allow_http is 0) without spaces or control characters. */
static void check_webhooks(json_t *list, int allow_http)
{
    if (!list)
        return;
    if (!json_is_array(list) || json_array_size(list) > 20)
        abort();
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it)
    {
        const char *u = json_string_value(json_object_get(it, "url"));
        if (!u || !json_string_value(json_object_get(it, "event")) || strlen(u) > 2048)
            abort();
        if (strncasecmp(u, "https://", 8) != 0 &&
            (!allow_http || strncasecmp(u, "http://", 7) != 0))
            abort();
        for (const unsigned char *c = (const unsigned char *)u; *c; c++)
            if (*c <= 0x20 || *c == 0x7f)
                abort();
    }
}

/* The body of PUT /iguides/{id}/webhooks: its list under both registration rules. */
static void webhooks(json_t *body)
{
    json_t *list = json_object_get(body, "webhooks");
    for (int allow = 0; list && allow < 2; allow++) {
        struct err e = {0};
        enum rc rc = iguide_webhooks_parse(list, allow, &e);
        refused(rc, &e);
        if (rc == RC_OK)
            check_webhooks(list, allow);
    }
}

static void iguide(json_t *body)
{
    struct err e = {0};
    struct iguide_input in;
    enum rc rc = iguide_input_parse(body, NOW_MS, 0, &in, &e);
    refused(rc, &e);
    if (rc == RC_OK)
        check_webhooks(in.webhooks, 0);
    rc = iguide_input_parse(body, NOW_MS, 1, &in, &e);
    refused(rc, &e);
    if (rc != RC_OK)
        return;
    check_webhooks(in.webhooks, 1);
    if (!in.type || !in.industry || !in.addr.country || !in.addr.city || !in.addr.street_name ||
        !in.addr.street_number || !in.addr.province_state || !in.addr.postal_code)
        abort();
    check_text(in.addr.country, 2);
    check_text(in.addr.province_state, 3);
    check_text(in.addr.postal_code, 16);
    check_text(in.addr.street_number, 32);
    check_text(in.addr.unit_number, 64);
    char base[SLUG_MAX];
    memset(base, 'X', sizeof base);
    iguide_alias_base(&in.addr, base, sizeof base);
    if (!memchr(base, '\0', sizeof base))
        abort();
    for (const char *c = base; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
            abort();
    struct arena *a = arena_new();
    if (!a)
        return;
    struct view_row v = {0};
    rc = view_params_to_new(&in.view, in.industry, in.addr.country, NOW_MS, &v, a, &e);
    refused(rc, &e);
    if (rc == RC_OK) {
        check_view_row(&v);
        if (v.viewer_groups_json && strcmp(v.viewer_groups_json, "[]") != 0)
            abort(); /* a defaultView carries no viewerGroups */
    }
    arena_free(a);
}

static void expiry(json_t *body)
{
    for (int cap = 0; cap < 2; cap++) {
        struct err e = {0};
        int64_t at = 0;
        int clamped = -1;
        enum rc rc = view_expiry_parse(body, NOW_MS, cap ? VIEW_EXPIRY_CLAMP : VIEW_EXPIRY_UNCAPPED,
                                       &at, &clamped, &e);
        refused(rc, &e);
        if (rc != RC_OK)
            continue;
        if (at <= NOW_MS || clamped < 0 || (cap && at > NOW_MS + 10 * YEAR_MS) || (!cap && clamped))
            abort();
    }
}

/* The getters on every top-level key, with the limits the validators use. */
static void getters(json_t *body)
{
    static const char *const vals[] = {"ansi", "rms", NULL};
    static const char *const only[] = {"type", "industry", "address", "defaultView", NULL};
    struct err e = {0};
    refused(jsonx_only_keys(body, "", only, &e), &e);
    const char *key;
    json_t *val;
    json_object_foreach(body, key, val) {
        const char *s = NULL;
        int b = -1;
        int64_t i = 42;
        json_t *arr = NULL;
        enum rc rc;
        memset(&e, 0, sizeof e);
        refused(rc = jsonx_string(body, "", key, 1, 16, &s, &e), &e);
        if (rc == RC_OK && (!s || !*s))
            abort();
        check_text(s, 16);
        memset(&e, 0, sizeof e);
        refused(rc = jsonx_bool(body, "", key, 1, &b, &e), &e);
        if (rc == RC_OK && b != 0 && b != 1)
            abort();
        memset(&e, 0, sizeof e);
        refused(rc = jsonx_int(body, "", key, 1, -5, 1000, &i, &e), &e);
        if (rc == RC_OK && (i < -5 || i > 1000))
            abort();
        memset(&e, 0, sizeof e);
        s = NULL;
        refused(rc = jsonx_enum(body, "", key, 1, vals, &s, &e), &e);
        if (rc == RC_OK && s != vals[0] && s != vals[1])
            abort();
        memset(&e, 0, sizeof e);
        refused(rc = jsonx_string_array(body, "", key, 3, 8, &arr, &e), &e);
        if (rc == RC_OK && arr) {
            if (!json_is_array(arr) || json_array_size(arr) > 3)
                abort();
            for (size_t k = 0; k < json_array_size(arr); k++)
                check_text(json_string_value(json_array_get(arr, k)), 8);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    /* An exact-size copy: the parser must not read past the body it is given. */
    char *body = malloc(size ? size : 1);
    if (!body)
        return 0;
    memcpy(body, data, size);
    json_t *obj = NULL;
    struct err e = {0};
    enum rc rc = jsonx_parse_object(body, size, &obj, &e);
    free(body);
    refused(rc, &e);
    if (rc != RC_OK) {
        if (obj)
            abort();
        return 0;
    }
    if (!json_is_object(obj))
        abort();
    /* The body jansson holds must serialise: what a handler echoes or stores. */
    char *dump = jsonx_dump(obj, NULL);
    if (!dump)
        abort();
    free(dump);
    iguide(obj);
    webhooks(obj);
    views(obj);
    expiry(obj);
    getters(obj);
    json_decref(obj);
    return 0;
}
