/* ratelimit.h — the platform's rate limit (rate-limiting guide; portal-api.md §9): a fixed
 * one-second window per App ID, 50 requests by default. In memory, per process: with several
 * nodes each enforces its own window (documented in docs/operations.md). */
#ifndef GP_RATELIMIT_H
#define GP_RATELIMIT_H

#include <stdint.h>

struct rl_result {
    int allowed;
    int limit;
    int remaining;
    double reset_s;   /* seconds until the window resets, fractional */
};

struct ratelimit;

/* A limiter allowing limit requests per key per second; limit 0 disables limiting. NULL on OOM. */
struct ratelimit *rl_new(int limit);

/* The same with a fixed window of window_ms milliseconds (sign-in attempts use minutes). */
struct ratelimit *rl_new_window(int limit, int64_t window_ms);

void rl_free(struct ratelimit *rl);

/* Counts one request for key at now_ms and says whether it is allowed. Thread-safe. */
void rl_hit(struct ratelimit *rl, const char *key, int64_t now_ms, struct rl_result *out);

#endif
