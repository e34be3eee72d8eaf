/* jsonx.c — the messages here reach API clients; they say which field and what was expected. */
#include "json/jsonx.h"

#include "core/clock.h"

#include <stdlib.h>
#include <string.h>

enum rc jsonx_parse_object(const char *body, size_t n, json_t **out, struct err *e)
{
    size_t i = 0;
    while (i < n && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n'))
        i++;
    if (i == n) {
        *out = json_object();
        return *out ? RC_OK : err_set(e, RC_NOMEM, "out of memory");
    }
    json_error_t je;
    json_t *v = json_loadb(body, n, JSON_REJECT_DUPLICATES, &je);
    if (!v)
        return err_set(e, RC_INVALID, "Invalid request body: %s at line %d column %d", je.text,
                       je.line, je.column);
    if (!json_is_object(v)) {
        json_decref(v);
        return err_set(e, RC_INVALID, "Invalid request body: expected a JSON object");
    }
    *out = v;
    return RC_OK;
}

static const char *field(const char *path, const char *key, char buf[160])
{
    if (path && *path)
        snprintf(buf, 160, "%s.%s", path, key);
    else
        snprintf(buf, 160, "%s", key);
    return buf;
}

enum rc jsonx_only_keys(json_t *obj, const char *path, const char *const allowed[], struct err *e)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        int ok = 0;
        for (int i = 0; allowed[i]; i++)
            if (strcmp(allowed[i], key) == 0) {
                ok = 1;
                break;
            }
        if (!ok) {
            char fb[160];
            char shown[64];
            snprintf(shown, sizeof shown, "%.60s", key);
            (void)v;
            return err_set(e, RC_INVALID, "unknown field \"%s\"", field(path, shown, fb));
        }
    }
    return RC_OK;
}

static int has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return 1;
    return 0;
}

/* The member key of obj in *v: NULL (and RC_OK) when it is absent or null and not required,
 * RC_INVALID "<path.key> is required" when it is. */
static enum rc member(json_t *obj, const char *path, const char *key, int required, json_t **v,
                      struct err *e)
{
    char fb[160];
    *v = json_object_get(obj, key);
    if (*v && json_is_null(*v))
        *v = NULL;
    if (!*v && required)
        return err_set(e, RC_INVALID, "%s is required", field(path, key, fb));
    return RC_OK;
}

enum rc jsonx_string(json_t *obj, const char *path, const char *key, int required, size_t max,
                     const char **out, struct err *e)
{
    char fb[160];
    json_t *v;
    enum rc rc = member(obj, path, key, required, &v, e);
    if (rc != RC_OK || !v)
        return rc;
    if (!json_is_string(v))
        return err_set(e, RC_INVALID, "%s must be a string", field(path, key, fb));
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (required && n == 0)
        return err_set(e, RC_INVALID, "%s must not be empty", field(path, key, fb));
    if (n > max)
        return err_set(e, RC_INVALID, "%s must be at most %zu bytes", field(path, key, fb), max);
    if (has_control(s))
        return err_set(e, RC_INVALID, "%s must not contain control characters", field(path, key, fb));
    *out = s;
    return RC_OK;
}

enum rc jsonx_bool(json_t *obj, const char *path, const char *key, int required, int *out,
                   struct err *e)
{
    char fb[160];
    json_t *v;
    enum rc rc = member(obj, path, key, required, &v, e);
    if (rc != RC_OK || !v)
        return rc;
    if (!json_is_boolean(v))
        return err_set(e, RC_INVALID, "%s must be true or false", field(path, key, fb));
    *out = json_is_true(v);
    return RC_OK;
}

enum rc jsonx_int(json_t *obj, const char *path, const char *key, int required, int64_t min,
                  int64_t max, int64_t *out, struct err *e)
{
    char fb[160];
    json_t *v;
    enum rc rc = member(obj, path, key, required, &v, e);
    if (rc != RC_OK || !v)
        return rc;
    if (!json_is_integer(v))
        return err_set(e, RC_INVALID, "%s must be an integer", field(path, key, fb));
    json_int_t n = json_integer_value(v);
    if (n < min || n > max)
        return err_set(e, RC_INVALID, "%s must be between %lld and %lld", field(path, key, fb),
                       (long long)min, (long long)max);
    *out = n;
    return RC_OK;
}

enum rc jsonx_enum(json_t *obj, const char *path, const char *key, int required,
                   const char *const values[], const char **out, struct err *e)
{
    const char *s = NULL;
    enum rc rc = jsonx_string(obj, path, key, required, 64, &s, e);
    if (rc != RC_OK || !s)
        return rc;
    for (int i = 0; values[i]; i++)
        if (strcmp(values[i], s) == 0) {
            *out = values[i];
            return RC_OK;
        }
    char fb[160], list[256] = "";
    size_t n = 0;
    for (int i = 0; values[i] && n < sizeof list; i++)
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", values[i]);
    char shown[40];
    snprintf(shown, sizeof shown, "%.32s", s);
    return err_set(e, RC_INVALID, "%s must be one of: %s (got \"%s\")", field(path, key, fb), list,
                   shown);
}

enum rc jsonx_string_array(json_t *obj, const char *path, const char *key, size_t max,
                           size_t item_max, json_t **out, struct err *e)
{
    char fb[160];
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return RC_OK;
    if (!json_is_array(v))
        return err_set(e, RC_INVALID, "%s must be an array of strings", field(path, key, fb));
    if (json_array_size(v) > max)
        return err_set(e, RC_INVALID, "%s must have at most %zu items", field(path, key, fb), max);
    size_t i;
    json_t *it;
    json_array_foreach(v, i, it) {
        if (!json_is_string(it) || json_string_length(it) == 0 || json_string_length(it) > item_max ||
            has_control(json_string_value(it)))
            return err_set(e, RC_INVALID, "%s[%zu] must be a non-empty string of at most %zu bytes",
                           field(path, key, fb), i, item_max);
    }
    *out = v;
    return RC_OK;
}

char *jsonx_dump(const json_t *v, size_t *len)
{
    char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (s && len)
        *len = strlen(s);
    return s;
}

json_t *jsonx_str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *jsonx_time(int64_t ms)
{
    char t[32];
    return ms ? json_string(clock_format(ms, 0, t)) : json_null();
}

/* Length of the valid UTF-8 sequence at s, of which avail bytes are there (1..4; RFC 3629: no
 * overlongs, no surrogates, nothing above U+10FFFF, and no NUL); 0 when it is not valid; -1 when
 * the avail bytes are the valid beginning of a sequence that does not fit. */
static int utf8_seq(const unsigned char *s, size_t avail)
{
    if (s[0] < 0x80)
        return s[0] ? 1 : 0;
    size_t n;
    unsigned lo = 0x80, hi = 0xBF;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        n = 2;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        n = 3;
        if (s[0] == 0xE0)
            lo = 0xA0;
        else if (s[0] == 0xED)
            hi = 0x9F;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        n = 4;
        if (s[0] == 0xF0)
            lo = 0x90;
        else if (s[0] == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if (i >= avail)
            return -1;
        if (i == 1 ? (s[1] < lo || s[1] > hi) : (s[i] < 0x80 || s[i] > 0xBF))
            return 0;
    }
    return (int)n;
}

size_t jsonx_utf8_repair(const unsigned char *s, size_t n, int cut, char *out, size_t cap)
{
    size_t o = 0, i = 0;
    while (i < n && o + 4 <= cap) {
        int k = utf8_seq(s + i, n - i);
        if (k < 0 && cut)
            break;
        if (k > 0) {
            memcpy(out + o, s + i, (size_t)k);
            o += (size_t)k;
            i += (size_t)k;
        } else {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        }
    }
    out[o] = '\0';
    return o;
}

json_t *jsonx_text(const char *s)
{
    size_t len = strlen(s);
    char *out = malloc(len * 3 + 1);
    if (!out)
        return NULL;
    size_t o = jsonx_utf8_repair((const unsigned char *)s, len, 0, out, len * 3 + 1);
    json_t *v = json_stringn(out, o);
    free(out);
    return v;
}
