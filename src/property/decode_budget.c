/* decode_budget.c — see decode_budget.h. A mutex and a condition variable on the monotonic clock
 * (a test clock or a wall-clock step must not stretch or cut the wait). */
#include "property/decode_budget.h"

#include "core/clock.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv;
static pthread_once_t cv_once = PTHREAD_ONCE_INIT;
static uint64_t total = DECODE_BUDGET_DEFAULT, in_use, peak, waits;

static void cv_init(void)
{
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(&cv, &a);
    pthread_condattr_destroy(&a);
}

void decode_budget_set(uint64_t bytes)
{
    pthread_once(&cv_once, cv_init);
    pthread_mutex_lock(&mu);
    total = bytes ? bytes : DECODE_BUDGET_DEFAULT;
    peak = in_use;
    waits = 0;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
}

uint64_t decode_budget_total(void)
{
    pthread_mutex_lock(&mu);
    uint64_t t = total;
    pthread_mutex_unlock(&mu);
    return t;
}

enum rc decode_budget_reserve(uint64_t bytes, int64_t wait_ms, struct err *e)
{
    pthread_once(&cv_once, cv_init);
    struct timespec until = clock_deadline(CLOCK_MONOTONIC, wait_ms);
    pthread_mutex_lock(&mu);
    if (bytes > total) {
        uint64_t t = total;
        pthread_mutex_unlock(&mu);
        return err_set(e, RC_TOOLARGE,
                       "it needs %llu MiB to decode, more than the decode memory budget of %llu MiB",
                       (unsigned long long)((bytes + (1u << 20) - 1) >> 20),
                       (unsigned long long)(t >> 20));
    }
    int waited = 0, timed_out = 0;
    while (in_use + bytes > total && !timed_out) {
        waited = 1;
        timed_out = pthread_cond_timedwait(&cv, &mu, &until) == ETIMEDOUT;
    }
    /* The budget may have been freed just as the wait timed out. */
    if (in_use + bytes > total) {
        pthread_mutex_unlock(&mu);
        return err_set(e, RC_BUSY,
                       "the decode memory budget stayed taken by other decodes for %lld ms",
                       (long long)wait_ms);
    }
    in_use += bytes;
    if (in_use > peak)
        peak = in_use;
    waits += (uint64_t)waited;
    pthread_mutex_unlock(&mu);
    return RC_OK;
}

void decode_budget_release(uint64_t bytes)
{
    pthread_once(&cv_once, cv_init);
    pthread_mutex_lock(&mu);
    in_use = bytes > in_use ? 0 : in_use - bytes;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
}

uint64_t decode_budget_in_use(void)
{
    pthread_mutex_lock(&mu);
    uint64_t v = in_use;
    pthread_mutex_unlock(&mu);
    return v;
}

uint64_t decode_budget_peak(void)
{
    pthread_mutex_lock(&mu);
    uint64_t v = peak;
    pthread_mutex_unlock(&mu);
    return v;
}

uint64_t decode_budget_waits(void)
{
    pthread_mutex_lock(&mu);
    uint64_t v = waits;
    pthread_mutex_unlock(&mu);
    return v;
}
