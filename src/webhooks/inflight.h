/* inflight.h — the per-URL cap on deliveries in flight in this process, so one slow or dead
 * receiver holds at most that many delivery threads and the others keep serving other URLs. A
 * fixed table under a mutex, keyed by a hash of the URL: no allocation per attempt. */
#ifndef GP_WEBHOOK_INFLIGHT_H
#define GP_WEBHOOK_INFLIGHT_H

#include <stdint.h>

/* Deliveries to one URL in flight at once in one process. */
#define WEBHOOK_PER_URL_INFLIGHT 4

/* Takes one of url's max slots, waiting up to wait_ms for one to free: a slot number to hand to
 * webhook_inflight_release, or -1 when url stays at max (or the table is full). */
int webhook_inflight_acquire(const char *url, int max, int64_t wait_ms);

/* Gives back a slot taken by webhook_inflight_acquire. */
void webhook_inflight_release(int slot);

/* Deliveries in flight to url now (for tests). */
int webhook_inflight_count(const char *url);

#endif
