/* ratelimit.c — 64 shards, each a mutex and a small open-addressing table of keys; a slot whose
 * window has passed is free for reuse, so the table never needs a sweeper. When a shard is full
 * of live keys the request is allowed and not counted (fail open rather than refuse service). */
#include "ratelimit/ratelimit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RL_SHARDS 64
#define RL_SLOTS 256
#define RL_KEY 40

struct slot {
    char key[RL_KEY];
    int64_t window;   /* the window this count belongs to */
    int count;
};

struct shard {
    pthread_mutex_t mu;
    struct slot slots[RL_SLOTS];
};

struct ratelimit {
    int limit;
    int64_t window_ms;
    struct shard shards[RL_SHARDS];
};

struct ratelimit *rl_new(int limit)
{
    return rl_new_window(limit, 1000);
}

struct ratelimit *rl_new_window(int limit, int64_t window_ms)
{
    struct ratelimit *rl = calloc(1, sizeof *rl);
    if (!rl || window_ms <= 0) {
        free(rl);
        return NULL;
    }
    rl->limit = limit;
    rl->window_ms = window_ms;
    for (int i = 0; i < RL_SHARDS; i++) {
        pthread_mutex_init(&rl->shards[i].mu, NULL);
        for (int j = 0; j < RL_SLOTS; j++)
            rl->shards[i].slots[j].window = INT64_MIN;
    }
    return rl;
}

void rl_free(struct ratelimit *rl)
{
    if (!rl)
        return;
    for (int i = 0; i < RL_SHARDS; i++)
        pthread_mutex_destroy(&rl->shards[i].mu);
    free(rl);
}

static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u;   /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

void rl_hit(struct ratelimit *rl, const char *key, int64_t now_ms, struct rl_result *out)
{
    int64_t window = floor_div(now_ms, rl->window_ms);
    out->limit = rl->limit;
    out->reset_s = (double)((window + 1) * rl->window_ms - now_ms) / 1000.0;
    if (rl->limit <= 0) {
        out->allowed = 1;
        out->remaining = 0;
        return;
    }
    uint32_t h = hash(key);
    struct shard *sh = &rl->shards[h % RL_SHARDS];
    pthread_mutex_lock(&sh->mu);
    struct slot *found = NULL, *reuse = NULL;
    for (int i = 0; i < RL_SLOTS; i++) {
        struct slot *sl = &sh->slots[(h / RL_SHARDS + (uint32_t)i) % RL_SLOTS];
        /* Compare what is stored: a key of RL_KEY - 1 bytes or more is kept truncated, and
         * comparing it in full would never find it again (so it would never be limited). */
        if (sl->window != INT64_MIN && strncmp(sl->key, key, RL_KEY - 1) == 0) {
            found = sl;
            break;
        }
        if (!reuse && sl->window < window)
            reuse = sl;
        if (sl->window == INT64_MIN)
            break;   /* never-used slot: the key is not further along the probe sequence */
    }
    if (!found && reuse) {
        found = reuse;
        snprintf(found->key, sizeof found->key, "%s", key);   /* kept truncated, as compared */
        found->window = window;
        found->count = 0;
    }
    if (!found) {
        pthread_mutex_unlock(&sh->mu);
        out->allowed = 1;
        out->remaining = rl->limit - 1;
        return;
    }
    if (found->window != window) {
        found->window = window;
        found->count = 0;
    }
    if (found->count < rl->limit) {
        found->count++;
        out->allowed = 1;
    } else {
        out->allowed = 0;
    }
    out->remaining = rl->limit - found->count;
    pthread_mutex_unlock(&sh->mu);
}
