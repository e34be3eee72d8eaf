/* jsonx.h — strict parsing of request bodies and typed field access with client-facing messages.
 * Every getter names the field by its path ("address.city") in the error it sets. */
#ifndef GP_JSONX_H
#define GP_JSONX_H

#include "core/rc.h"

#include <jansson.h>
#include <stdint.h>

/* Parses body[0..n) as one JSON object (duplicate keys, NUL escapes and trailing data rejected).
 * An empty body is an empty object. On success *out holds a new reference. */
enum rc jsonx_parse_object(const char *body, size_t n, json_t **out, struct err *e);

/* Fails with RC_INVALID naming the first key of obj not in the NULL-terminated list allowed. */
enum rc jsonx_only_keys(json_t *obj, const char *path, const char *const allowed[], struct err *e);

/* Reads a string field: absent leaves *out unchanged (RC_OK) unless required; wrong type, empty
 * (when required), longer than max bytes, or with control characters is RC_INVALID. */
enum rc jsonx_string(json_t *obj, const char *path, const char *key, int required, size_t max,
                     const char **out, struct err *e);

/* Reads a boolean field; absent leaves *out unchanged unless required. */
enum rc jsonx_bool(json_t *obj, const char *path, const char *key, int required, int *out,
                   struct err *e);

/* Reads an integer field within [min, max]; absent leaves *out unchanged unless required. */
enum rc jsonx_int(json_t *obj, const char *path, const char *key, int required, int64_t min,
                  int64_t max, int64_t *out, struct err *e);

/* Reads a string field that must be one of the NULL-terminated values. */
enum rc jsonx_enum(json_t *obj, const char *path, const char *key, int required,
                   const char *const values[], const char **out, struct err *e);

/* Checks that obj[key], when present, is an array of at most max strings (each ≤ item_max bytes,
 * non-empty); *out gets the borrowed array or stays unchanged when absent. */
enum rc jsonx_string_array(json_t *obj, const char *path, const char *key, size_t max,
                           size_t item_max, json_t **out, struct err *e);

/* Serialises v compactly into a malloc'ed string (caller frees); NULL when out of memory. */
char *jsonx_dump(const json_t *v, size_t *len);

/* json_string of s, or json_null() when s is NULL. */
json_t *jsonx_str_or_null(const char *s);

/* A JSON string from any bytes (text echoed from a request): each byte that is not part of a
 * valid UTF-8 sequence becomes U+FFFD. NULL only when out of memory. */
json_t *jsonx_text(const char *s);

/* Copies s[0..n) to out (cap >= 3n+1, never less than 1) with each byte that is not part of a
 * valid UTF-8 sequence, NUL included, replaced by U+FFFD; with cut (s is the head of a longer text)
 * a sequence that n cuts short is left out. Returns the length written (out is NUL-terminated). */
size_t jsonx_utf8_repair(const unsigned char *s, size_t n, int cut, char *out, size_t cap);

/* RFC 3339 string of ms (seconds precision), or null when ms is 0. */
json_t *jsonx_time(int64_t ms);

#endif
