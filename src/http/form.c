/* form.c — HTML form bodies: name=value pairs joined by '&', '+' for space, %XX escapes. */
#include "http/form.h"

#include "core/crypto.h"

#include <string.h>

static char *decode(struct arena *a, const char *s, size_t n)
{
    char *out = arena_alloc(a, n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            out[o++] = ' ';
        } else if (s[i] == '%') {
            int hi = i + 2 < n ? crypto_hexval(s[i + 1]) : -1;
            int lo = i + 2 < n ? crypto_hexval(s[i + 2]) : -1;
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return NULL;
            out[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    return out;
}

const char *form_get(struct arena *a, const char *body, size_t n, const char *name)
{
    if (!body || !name)
        return NULL;
    size_t nl = strlen(name);
    size_t i = 0;
    while (i < n) {
        const char *p = body + i;
        const char *amp = memchr(p, '&', n - i);
        size_t len = amp ? (size_t)(amp - p) : n - i;
        const char *eq = memchr(p, '=', len);
        size_t kl = eq ? (size_t)(eq - p) : len;
        if (kl == nl && memcmp(p, name, nl) == 0)
            return eq ? decode(a, eq + 1, len - kl - 1) : arena_strdup(a, "");
        i += len + 1;
    }
    return NULL;
}

char *form_encode(struct arena *a, const char *s)
{
    static const char hx[] = "0123456789ABCDEF";
    size_t n = strlen(s);
    char *out = arena_alloc(a, 3 * n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            strchr("-._~/", c)) {
            out[o++] = (char)c;
        } else {
            out[o++] = '%';
            out[o++] = hx[c >> 4];
            out[o++] = hx[c & 15];
        }
    }
    out[o] = '\0';
    return out;
}
