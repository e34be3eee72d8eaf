/* form.h — application/x-www-form-urlencoded bodies (HTML forms) and the matching encoder. */
#ifndef GP_FORM_H
#define GP_FORM_H

#include "core/arena.h"

#include <stddef.h>

/* The decoded value of the first field called name in body[0..n) ('+' is a space), in a; NULL
 * when absent or malformed (a bad escape or an encoded NUL). */
const char *form_get(struct arena *a, const char *body, size_t n, const char *name);

/* s percent-encoded for a query-string value (unreserved characters and '/' kept), in a. */
char *form_encode(struct arena *a, const char *s);

#endif
