/* arena.h — a bump allocator that owns everything a request (or a job, or a CLI command)
 * allocates, plus cleanup hooks for non-memory resources; freed in one step. */
#ifndef GP_ARENA_H
#define GP_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* Creates an arena; NULL when out of memory. */
struct arena *arena_new(void);

/* Runs the cleanup hooks (last registered first), then frees every block. NULL is a no-op. */
void arena_free(struct arena *a);

/* n bytes aligned for any type, zero-filled; NULL when out of memory or n is absurd. */
void *arena_alloc(struct arena *a, size_t n);

/* A NUL-terminated copy of p[0..n); NULL when out of memory. */
char *arena_strndup(struct arena *a, const char *p, size_t n);

/* A NUL-terminated copy of s (NULL stays NULL). */
char *arena_strdup(struct arena *a, const char *s);

/* printf into arena memory; NULL when out of memory. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Registers fn(ctx) to run when the arena is freed; returns 0, or -1 when out of memory. */
int arena_defer(struct arena *a, void (*fn)(void *), void *ctx);

/* Total bytes handed out so far (for bounds and tests). */
size_t arena_used(const struct arena *a);

#endif
