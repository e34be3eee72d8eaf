/* inflight.c — see inflight.h. The table has more entries than any process has delivery threads
 * (--webhook-threads is at most 64), so it cannot fill up with live entries. */
#include "webhooks/inflight.h"

#include "core/clock.h"
#include "core/crypto.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#define SLOTS 128

struct entry {
    unsigned char key[SHA256_LEN];
    int count; /* 0: free */
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t freed = PTHREAD_COND_INITIALIZER;
static struct entry table[SLOTS];

/* The entry of key, or a free one (count 0, key set) when absent; -1 when the table is full.
 * Under mu. */
static int find(const unsigned char key[SHA256_LEN])
{
    int free_slot = -1;
    for (int i = 0; i < SLOTS; i++) {
        if (table[i].count && memcmp(table[i].key, key, SHA256_LEN) == 0)
            return i;
        if (!table[i].count && free_slot < 0)
            free_slot = i;
    }
    if (free_slot >= 0)
        memcpy(table[free_slot].key, key, SHA256_LEN);
    return free_slot;
}

int webhook_inflight_acquire(const char *url, int max, int64_t wait_ms)
{
    unsigned char key[SHA256_LEN];
    crypto_sha256(url, strlen(url), key);
    struct timespec until = clock_deadline(CLOCK_REALTIME, wait_ms);
    pthread_mutex_lock(&mu);
    int slot;
    for (;;) {
        slot = find(key);
        if (slot >= 0 && table[slot].count < max) {
            table[slot].count++;
            break;
        }
        if (wait_ms <= 0 || pthread_cond_timedwait(&freed, &mu, &until) == ETIMEDOUT) {
            slot = -1;
            break;
        }
    }
    pthread_mutex_unlock(&mu);
    return slot;
}

void webhook_inflight_release(int slot)
{
    if (slot < 0 || slot >= SLOTS)
        return;
    pthread_mutex_lock(&mu);
    if (table[slot].count > 0)
        table[slot].count--;
    pthread_cond_broadcast(&freed);
    pthread_mutex_unlock(&mu);
}

int webhook_inflight_count(const char *url)
{
    unsigned char key[SHA256_LEN];
    crypto_sha256(url, strlen(url), key);
    pthread_mutex_lock(&mu);
    int n = 0;
    for (int i = 0; i < SLOTS; i++)
        if (table[i].count && memcmp(table[i].key, key, SHA256_LEN) == 0)
            n = table[i].count;
    pthread_mutex_unlock(&mu);
    return n;
}
