/* arena.c — blocks grow geometrically; large requests get a block of their own so a
 * single big allocation does not waste the tail of the current block. */
#include "core/arena.h"

#include "core/fault.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_FIRST_BLOCK 4096u
#define ARENA_MAX_BLOCK (1u << 20)
#define ARENA_MAX_ALLOC ((size_t)1 << 30)

struct block {
    struct block *next;
    size_t size, used;
    _Alignas(max_align_t) unsigned char data[];
};

struct hook {
    struct hook *next;
    void (*fn)(void *);
    void *ctx;
};

struct arena {
    struct block *head;
    struct hook *hooks;
    size_t next_size, total;
};

struct arena *arena_new(void)
{
    if (fault_hit(FAULT_ALLOC))
        return NULL;
    return calloc(1, sizeof(struct arena));
}

void arena_free(struct arena *a)
{
    if (!a)
        return;
    for (struct hook *h = a->hooks; h; h = h->next)
        h->fn(h->ctx);
    struct block *b = a->head;
    while (b) {
        struct block *n = b->next;
        free(b);
        b = n;
    }
    free(a);
}

void *arena_alloc(struct arena *a, size_t n)
{
    const size_t align = _Alignof(max_align_t);
    /* Every call may need a new block, so every call is a point where memory can run out. */
    if (n > ARENA_MAX_ALLOC || fault_hit(FAULT_ALLOC))
        return NULL;
    n = (n + align - 1) & ~(align - 1);
    if (n == 0)
        n = align;
    struct block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = a->next_size ? a->next_size : ARENA_FIRST_BLOCK;
        if (size < ARENA_MAX_BLOCK)
            a->next_size = size * 2;
        if (size < n)
            size = n;
        struct block *nb = malloc(sizeof *nb + size);
        if (!nb)
            return NULL;
        nb->size = size;
        nb->used = 0;
        /* A dedicated big block goes behind the head so the head's free tail stays usable. */
        if (b && size == n && b->size - b->used > 256) {
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            a->head = nb;
        }
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += n;
    a->total += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(struct arena *a, const char *p, size_t n)
{
    if (n == SIZE_MAX)
        return NULL;
    char *s = arena_alloc(a, n + 1);
    if (s && n)
        memcpy(s, p, n);
    return s;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = arena_alloc(a, (size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

int arena_defer(struct arena *a, void (*fn)(void *), void *ctx)
{
    struct hook *h = arena_alloc(a, sizeof *h);
    if (!h)
        return -1;
    h->fn = fn;
    h->ctx = ctx;
    h->next = a->hooks;
    a->hooks = h;
    return 0;
}

size_t arena_used(const struct arena *a)
{
    return a->total;
}
