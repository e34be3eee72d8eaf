/* fuzz_form.c — libFuzzer target for http/form: an HTML form body (application/x-www-form-
 * urlencoded) as the sign-in page posts it. The input is "NAME\nBODY": form_get looks NAME up in
 * BODY, which is handed over in a heap buffer of exactly its size (the server's request bodies are
 * not NUL-terminated), so a read past it is an ASan report. A value found must be no longer than
 * the body; and form_encode of that value, posted back as "NAME=<encoded>", must decode to the
 * same value (the encoder and the decoder agree).
 * Seeds: tests/fuzz/seeds/fuzz_form (the sign-in form as browsers send it). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_NAME 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size < MAX_NAME ? size : MAX_NAME);
    if (!nl)
        return 0;
    char name[MAX_NAME + 1];
    size_t namelen = (size_t)(nl - data);
    memcpy(name, data, namelen);
    name[namelen] = '\0';
    size_t n = size - namelen - 1;
    char *body = malloc(n ? n : 1);
    if (!body)
        abort();
    memcpy(body, nl + 1, n);
    struct arena *a = arena_new();
    if (!a)
        abort();
    const char *v = form_get(a, body, n, name);
    if (v) {
        size_t vl = strlen(v);
        if (vl > n)
            abort();
        /* Names with '&' or '=' cannot be looked up by a body built from them. */
        if (!strpbrk(name, "&=")) {
            const char *enc = form_encode(a, v);
            char *again = enc ? arena_printf(a, "x=1&%s=%s&y=2", name, enc) : NULL;
            if (!again)
                abort();
            /* The first field called name wins; "x" would shadow it when name is "x". */
            const char *back = strcmp(name, "x") == 0 ? v : form_get(a, again, strlen(again), name);
            if (!back || strcmp(back, v) != 0)
                abort();
        }
    }
    arena_free(a);
    free(body);
    return 0;
}
