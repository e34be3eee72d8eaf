/* clock.h — the one source of time. Every time rule (token and credential expiry, view
 * expiry, rate windows, retries) reads clock_now_ms(), so the test clock moves them all. */
#ifndef GP_CLOCK_H
#define GP_CLOCK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define MS_PER_SEC 1000LL
#define MS_PER_DAY (86400LL * 1000LL)

/* Wall time in Unix milliseconds, including any test-clock offset. */
int64_t clock_now_ms(void);

/* Real wall time in Unix milliseconds, never moved by the test clock: for values other clocks
 * compare with their own (the webhook-timestamp header a receiver checks against its clock). */
int64_t clock_wall_ms(void);

/* Monotonic milliseconds for durations; never moved by the test clock. */
int64_t clock_mono_ms(void);

/* Monotonic nanoseconds, for access-log latencies. */
int64_t clock_mono_ns(void);

/* The instant of clock clk (CLOCK_REALTIME or CLOCK_MONOTONIC, as the condition variable waits)
 * ms milliseconds from now, a negative ms counting as 0: the deadline of a timed wait. */
struct timespec clock_deadline(clockid_t clk, int64_t ms);

/* Test clock: shifts wall time so that clock_now_ms() returns now_ms at this instant. */
void clock_set_ms(int64_t now_ms);

/* Test clock: moves wall time forward (or back, when negative) by delta_ms. */
void clock_advance_ms(int64_t delta_ms);

/* Test clock: freeze=1 stops wall time where it is (advance and set still move it); freeze=0
 * lets it run again from where it stands. */
void clock_freeze(int freeze);

/* 1 while the test clock is frozen. */
int clock_frozen(void);

/* The test clock's whole setting, as the store's test_clock row keeps it so that several
 * processes on one machine (same real time) follow one clock. */
struct clock_state {
    int64_t offset_ms; /* added to real time while running */
    int frozen;
    int64_t frozen_at_ms; /* wall time while frozen */
    uint64_t generation;  /* counts this process's changes (read by clock_state_get) */
};

/* The current setting, consistent, with its generation. */
void clock_state_get(struct clock_state *out);

/* Replaces the setting with st's (what another process set) unless the clock changed since
 * generation if_generation was read: 0 when applied, -1 when a newer local change stands. */
int clock_state_apply(const struct clock_state *st, uint64_t if_generation);

/* Formats ms as RFC 3339 UTC, "2026-11-25T12:00:00Z" (with ".mmm" when with_ms); out >= 32 bytes.
 * Returns out. */
char *clock_format(int64_t ms, int with_ms, char out[32]);

/* Parses an RFC 3339 timestamp ("Z" or ±hh:mm offset, optional fraction) into Unix ms.
 * Returns 0, or -1 when s is not a valid timestamp. */
int clock_parse(const char *s, int64_t *ms);

/* Reads exactly n ASCII digits at s into *out; 0, or -1 when one of them is not a digit. */
int clock_digits(const char *s, int n, int *out);

/* 1 when y-m-d is a real date of the proleptic Gregorian calendar (y >= 1). */
int clock_valid_date(int y, int m, int d);

/* Milliseconds since the epoch of a UTC civil time (fields already validated). */
int64_t clock_civil_ms(int y, int mo, int d, int h, int mi, int s);

/* Unix ms of 00:00:00 UTC of the day that contains ms. */
int64_t clock_day_start(int64_t ms);

/* Adds years to a UTC timestamp as the calendar does (Feb 29 becomes Feb 28). */
int64_t clock_add_years(int64_t ms, int years);

#endif
