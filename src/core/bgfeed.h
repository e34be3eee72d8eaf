/* bgfeed.h — hands a byte stream, in order, to a consumer running on its own thread, so work
 * on the bytes (hashing an upload) overlaps the producer's own (receiving and writing it). The
 * bytes are copied into a small ring of slots; the producer waits only when every slot is full.
 * Memory: nslots × slot_bytes per feed. */
#ifndef GP_BGFEED_H
#define GP_BGFEED_H

#include <stddef.h>

/* The consumer; called on the feed's thread, in order, with bytes valid for the call only. */
typedef void (*bgfeed_fn)(void *user, const unsigned char *p, size_t n);

struct bgfeed;

/* Starts the consumer thread; NULL when memory or a thread cannot be had (then consume inline). */
struct bgfeed *bgfeed_start(bgfeed_fn fn, void *user, size_t slot_bytes, unsigned nslots);

/* Appends p[0..n) to the stream (copied; waits for a free slot when the ring is full). */
void bgfeed_push(struct bgfeed *f, const void *p, size_t n);

/* Hands over what is buffered, waits until the consumer has seen every byte, joins the thread
 * and frees f. After it returns, whatever the consumer wrote is visible. NULL is a no-op. */
void bgfeed_finish(struct bgfeed *f);

#endif
