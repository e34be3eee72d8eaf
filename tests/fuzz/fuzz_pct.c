/* fuzz_pct.c — libFuzzer target for http_pct_decode (http/server.c), which decodes every request
 * path and query argument before routing. The input is the encoded text, handed over in a heap
 * buffer of exactly its size, so a read past it is an ASan report. The result is compared with a
 * plain reference decoder written here from the contract in http.h ('+' stays '+'; NULL for a
 * truncated or non-hex escape or an encoded NUL); and any decoded string, encoded again with
 * every byte as %XX, must decode back to itself. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int hexval(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes s[0..n) into out (n + 1 bytes); the decoded length, or -1 when malformed. */
static long reference(const uint8_t *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%') {
            out[o++] = (char)s[i];
            continue;
        }
        if (n - i < 3 || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0)
            return -1;
        int v = hexval(s[i + 1]) * 16 + hexval(s[i + 2]);
        if (v == 0)
            return -1;
        out[o++] = (char)v;
        i += 2;
    }
    out[o] = '\0';
    return (long)o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new();
    char *want = malloc(size + 1);
    if (!a || !want)
        abort();
    const char *got = http_pct_decode(a, (const char *)data, size);
    long wl = reference(data, size, want);
    if (wl < 0 ? got != NULL : !got || memcmp(got, want, (size_t)wl + 1) != 0)
        abort();
    /* A literal NUL in the input decodes to a string that ends early; the round trip is for the
     * strings the server actually routes on. */
    if (got && strlen(got) == (size_t)wl) {
        size_t gl = (size_t)wl;
        char *enc = malloc(3 * gl + 1);
        if (!enc)
            abort();
        for (size_t i = 0; i < gl; i++)
            snprintf(enc + 3 * i, 4, "%%%02X", (unsigned char)got[i]);
        const char *back = http_pct_decode(a, enc, 3 * gl);
        if (!back || strcmp(back, got) != 0)
            abort();
        free(enc);
    }
    free(want);
    arena_free(a);
    return 0;
}
