/* decode_budget.h — one memory budget for every JPEG decode in the process. Each pipeline worker
 * decodes panoramas (up to 16384 x 8192) on its own thread; without a shared budget a few workers
 * fed a small TAR of large panoramas could together take gigabytes. A decode reserves
 * width x height x components bytes, read from the JPEG header before any pixel is decoded, and
 * waits (bounded) while the budget is taken by other decodes. */
#ifndef GP_DECODE_BUDGET_H
#define GP_DECODE_BUDGET_H

#include "core/rc.h"

#include <stdint.h>

#define DECODE_BUDGET_DEFAULT (512ULL << 20)   /* bytes: `--decode-memory 512` */
#define DECODE_BUDGET_WAIT_MS 60000            /* then the stage fails and is retried later */

/* Sets the process-wide budget in bytes (> 0). Call before decodes start; resets the peak and
 * the wait count. */
void decode_budget_set(uint64_t total);

/* The budget in bytes. */
uint64_t decode_budget_total(void);

/* Reserves bytes, waiting up to wait_ms while other decodes hold the budget. RC_OK; RC_TOOLARGE
 * (nothing reserved, at once) when bytes alone exceed the whole budget: the image can never be
 * decoded here; RC_BUSY when the time ran out (retry later). */
enum rc decode_budget_reserve(uint64_t bytes, int64_t wait_ms, struct err *e);

/* Returns what one decode_budget_reserve took. */
void decode_budget_release(uint64_t bytes);

/* Bytes reserved now, the most ever reserved at once since decode_budget_set, and how many
 * reservations had to wait (for tests and logs). */
uint64_t decode_budget_in_use(void);
uint64_t decode_budget_peak(void);
uint64_t decode_budget_waits(void);

#endif
