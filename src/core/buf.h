/* buf.h — a growable byte buffer with a hard maximum (hitting it is an error the caller
 * turns into a 4xx, never an OOM). Memory is malloc'ed; buf_free releases it. Errors are sticky
 * (curl's dynbuf, SQLite's StrAccum): after the first failed append every later one does nothing
 * and returns the same code, so a writer appends freely and checks buf_err once at the end. */
#ifndef GP_BUF_H
#define GP_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
    char *p;
    size_t len, cap, max;
    int err; /* the first error: 0, -1 (out of memory) or -2 (max exceeded) */
};

/* Starts an empty buffer that may grow to max bytes (excluding the NUL kept after the data). */
void buf_init(struct buf *b, size_t max);

/* Appends n bytes; returns 0, -1 when out of memory, -2 when max would be exceeded (and from then
 * on, that same code without appending). */
int buf_append(struct buf *b, const void *p, size_t n);

/* Appends a C string; same returns as buf_append. */
int buf_puts(struct buf *b, const char *s);

/* Appends printf output; same returns as buf_append. */
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* buf_printf with a va_list (which it consumes). */
int buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* The first error any append met (0: none). */
int buf_err(const struct buf *b);

/* Releases the memory and empties the buffer (its error too). */
void buf_free(struct buf *b);

#endif
