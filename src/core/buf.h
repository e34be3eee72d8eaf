/* buf.h — a growable byte buffer with a hard maximum (hitting it is an error the caller
 * turns into a 4xx, never an OOM). Memory is malloc'ed; buf_free releases it. */
#ifndef GP_BUF_H
#define GP_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
    char *p;
    size_t len, cap, max;
};

/* Starts an empty buffer that may grow to max bytes (excluding the NUL kept after the data). */
void buf_init(struct buf *b, size_t max);

/* Appends n bytes; returns 0, -1 when out of memory, -2 when max would be exceeded. */
int buf_append(struct buf *b, const void *p, size_t n);

/* Appends a C string; same returns as buf_append. */
int buf_puts(struct buf *b, const char *s);

/* Appends printf output; same returns as buf_append. */
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* buf_printf with a va_list (which it consumes). */
int buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Releases the memory and empties the buffer. */
void buf_free(struct buf *b);

#endif
