/* fuzz_cookie.c — libFuzzer target for the viewer's cookie parsing (cookie_get in
 * auth/session.c), which reads the raw Cookie header of every view page, asset and sign-in
 * request. The input is "NAME\nHEADER". A value found must be no longer than COOKIE_VALUE_MAX and
 * must occur in the header as is; and a Set-Cookie line that cookie_format writes for a value
 * taken from the input, sent back as a Cookie header after other cookies, must give the same
 * value back (what the server sets is what it reads).
 * Seeds: tests/fuzz/seeds/fuzz_cookie (Cookie headers as browsers send them). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_NAME 64

/* Cookie values a browser returns unchanged: RFC 6265 cookie-octets. */
static int cookie_octets(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x21 || c > 0x7e || c == '"' || c == ',' || c == ';' || c == '\\')
            return 0;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size < MAX_NAME ? size : MAX_NAME);
    if (!nl)
        return 0;
    struct arena *a = arena_new();
    if (!a)
        abort();
    size_t namelen = (size_t)(nl - data);
    char *name = arena_strndup(a, (const char *)data, namelen);
    char *header = arena_strndup(a, (const char *)nl + 1, size - namelen - 1);
    if (!name || !header)
        abort();
    const char *v = cookie_get(header, name, a);
    if (v && (strlen(v) > COOKIE_VALUE_MAX || !strstr(header, v)))
        abort();
    /* The round trip, for a cookie name made of token characters and a value of cookie-octets
     * (session secrets and view tokens are base64url, well inside both). */
    if (*name && !strpbrk(name, " \t;=,\"") && cookie_octets(name) && v && cookie_octets(v)) {
        const char *set = cookie_format(a, name, v, 3600, "Lax", 1);
        const char *semi = set ? strchr(set, ';') : NULL;
        char *sent = semi ? arena_printf(a, "other=1; %.*s; last=2", (int)(semi - set), set) : NULL;
        if (!sent)
            abort();
        const char *back = cookie_get(sent, name, a);
        if (strcmp(name, "other") != 0 && (!back || strcmp(back, v) != 0))
            abort();
    }
    arena_free(a);
    return 0;
}
