/* buf.c — growth doubles up to the maximum; the data is always NUL-terminated. */
#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b, size_t max)
{
    b->p = NULL;
    b->len = b->cap = 0;
    b->max = max;
    b->err = 0;
}

int buf_append(struct buf *b, const void *p, size_t n)
{
    if (b->err)
        return b->err;
    if (n > b->max || b->len > b->max - n)
        return b->err = -2;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        if (cap - 1 > b->max)   /* not cap > max + 1: that wraps to 0 when max is SIZE_MAX */
            cap = b->max + 1;
        char *np = realloc(b->p, cap);
        if (!np)
            return b->err = -1;
        b->p = np;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

int buf_puts(struct buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
    if (b->err)
        return b->err;
    char small[512];
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    int r = -1;
    if (n >= 0 && (size_t)n < sizeof small) {
        r = buf_append(b, small, (size_t)n);
    } else if (n >= 0) {
        char *big = malloc((size_t)n + 1);
        if (big) {
            vsnprintf(big, (size_t)n + 1, fmt, again);
            r = buf_append(b, big, (size_t)n);
            free(big);
        }
    }
    va_end(again);
    if (r && !b->err)
        b->err = r; /* vsnprintf or the temporary failed before anything was appended */
    return r;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = buf_vprintf(b, fmt, ap);
    va_end(ap);
    return r;
}

int buf_err(const struct buf *b)
{
    return b->err;
}

void buf_free(struct buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
    b->err = 0;
}
