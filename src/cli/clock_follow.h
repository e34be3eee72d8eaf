/* clock_follow.h — the shared test clock: a process started with --test-clock (serve or worker)
 * follows the store's test_clock row, which POST /_test/clock writes, so the clocks of a serving
 * node and any number of worker processes on one machine agree (docs/testing.md). */
#ifndef GP_CLOCK_FOLLOW_H
#define GP_CLOCK_FOLLOW_H

#include "core/rc.h"

struct clock_follow;

/* Starts a thread that reads the row every 200 ms and applies a setting it has not applied yet
 * (waking the job pools when the clock moved). NULL with e set when it cannot start. */
struct clock_follow *clock_follow_start(struct err *e);

/* Stops and joins the thread. NULL is a no-op. */
void clock_follow_stop(struct clock_follow *f);

#endif
