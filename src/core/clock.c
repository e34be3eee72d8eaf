/* clock.c — realtime plus an atomic offset; calendar maths with gmtime_r/timegm only. */
#include "core/clock.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static _Atomic int64_t offset_ms;
/* While frozen, wall time is frozen_at_ms. Only tests change these, never concurrently with a
 * reader that needs them consistent beyond one load each. */
static atomic_int frozen;
static _Atomic int64_t frozen_at_ms;
/* Writers (the test clock's setters) serialise on mu and count their changes in generation, so a
 * follower applying another process's setting never overwrites a newer local one. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static _Atomic uint64_t generation;

static int64_t real_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_now_ms(void)
{
    if (atomic_load_explicit(&frozen, memory_order_acquire))
        return atomic_load(&frozen_at_ms);
    return real_ms() + atomic_load_explicit(&offset_ms, memory_order_relaxed);
}

int64_t clock_wall_ms(void)
{
    return real_ms();
}

int64_t clock_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t clock_mono_ms(void)
{
    return clock_mono_ns() / 1000000;
}

struct timespec clock_deadline(clockid_t clk, int64_t ms)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    if (ms < 0)
        ms = 0;
    ts.tv_sec += (time_t)(ms / 1000);
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

void clock_set_ms(int64_t now_ms)
{
    pthread_mutex_lock(&mu);
    atomic_store(&offset_ms, now_ms - real_ms());
    atomic_store(&frozen_at_ms, now_ms);
    atomic_fetch_add(&generation, 1);
    pthread_mutex_unlock(&mu);
}

void clock_advance_ms(int64_t delta_ms)
{
    pthread_mutex_lock(&mu);
    atomic_fetch_add(&offset_ms, delta_ms);
    atomic_fetch_add(&frozen_at_ms, delta_ms);
    atomic_fetch_add(&generation, 1);
    pthread_mutex_unlock(&mu);
}

void clock_freeze(int freeze)
{
    pthread_mutex_lock(&mu);
    atomic_fetch_add(&generation, 1);
    if (freeze && !atomic_load(&frozen)) {
        atomic_store(&frozen_at_ms, clock_now_ms());
        atomic_store_explicit(&frozen, 1, memory_order_release);
    } else if (!freeze && atomic_load(&frozen)) {
        /* Resume from the frozen instant. */
        atomic_store(&offset_ms, atomic_load(&frozen_at_ms) - real_ms());
        atomic_store_explicit(&frozen, 0, memory_order_release);
    }
    pthread_mutex_unlock(&mu);
}

int clock_frozen(void)
{
    return atomic_load(&frozen);
}

void clock_state_get(struct clock_state *out)
{
    pthread_mutex_lock(&mu);
    out->frozen = atomic_load(&frozen);
    out->frozen_at_ms = atomic_load(&frozen_at_ms);
    out->offset_ms = atomic_load(&offset_ms);
    out->generation = atomic_load(&generation);
    pthread_mutex_unlock(&mu);
}

int clock_state_apply(const struct clock_state *st, uint64_t if_generation)
{
    pthread_mutex_lock(&mu);
    int ok = atomic_load(&generation) == if_generation;
    if (ok) {
        /* Frozen: the instant first, then the flag (readers check the flag, then the instant). */
        atomic_store(&offset_ms, st->offset_ms);
        atomic_store(&frozen_at_ms, st->frozen_at_ms);
        atomic_store_explicit(&frozen, st->frozen ? 1 : 0, memory_order_release);
        atomic_fetch_add(&generation, 1);
    }
    pthread_mutex_unlock(&mu);
    return ok ? 0 : -1;
}

/* Floor division so instants before 1970 format correctly. */
static int64_t floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

char *clock_format(int64_t ms, int with_ms, char out[32])
{
    time_t secs = (time_t)floordiv(ms, 1000);
    int frac = (int)(ms - (int64_t)secs * 1000);
    struct tm tm;
    char tmp[96];
    if (!gmtime_r(&secs, &tm)) {
        snprintf(out, 32, "invalid");
        return out;
    }
    if (with_ms)
        snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
    else
        snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    snprintf(out, 32, "%.31s", tmp);
    return out;
}

int clock_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int clock_valid_date(int y, int m, int d)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= dim[m - 1] + (m == 2 && leap);
}

/* Days from 1970-01-01 to y-m-d (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int64_t clock_civil_ms(int y, int mo, int d, int h, int mi, int s)
{
    return ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000LL + s * 1000LL;
}

int clock_parse(const char *s, int64_t *ms)
{
    int Y, M, D, h, m, sec;
    size_t n = strlen(s);
    if (n < 20 || n > 40)
        return -1;
    if (clock_digits(s, 4, &Y) || s[4] != '-' || clock_digits(s + 5, 2, &M) || s[7] != '-' ||
        clock_digits(s + 8, 2, &D) || (s[10] != 'T' && s[10] != 't') ||
        clock_digits(s + 11, 2, &h) || s[13] != ':' || clock_digits(s + 14, 2, &m) ||
        s[16] != ':' || clock_digits(s + 17, 2, &sec))
        return -1;
    if (!clock_valid_date(Y, M, D) || h > 23 || m > 59 || sec > 59)
        return -1;
    const char *p = s + 19;
    int frac_ms = 0;
    if (*p == '.') {
        p++;
        int nd = 0, scale = 100;
        while (*p >= '0' && *p <= '9') {
            if (nd < 3)
                frac_ms += (*p - '0') * scale;
            scale /= 10;
            nd++;
            p++;
        }
        if (nd == 0 || nd > 9)
            return -1;
    }
    int64_t off_min = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (clock_digits(p + 1, 2, &oh) || p[3] != ':' || clock_digits(p + 4, 2, &om) || oh > 23 ||
            om > 59)
            return -1;
        off_min = (int64_t)(oh * 60 + om) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return -1;
    }
    if (*p)
        return -1;
    struct tm tm = {.tm_year = Y - 1900, .tm_mon = M - 1, .tm_mday = D, .tm_hour = h, .tm_min = m, .tm_sec = sec};
    time_t t = timegm(&tm);
    *ms = ((int64_t)t - off_min * 60) * 1000 + frac_ms;
    return 0;
}

int64_t clock_day_start(int64_t ms)
{
    return floordiv(ms, MS_PER_DAY) * MS_PER_DAY;
}

int64_t clock_add_years(int64_t ms, int years)
{
    time_t secs = (time_t)floordiv(ms, 1000);
    int64_t rest = ms - (int64_t)secs * 1000;
    struct tm tm;
    if (!gmtime_r(&secs, &tm))
        return ms;
    tm.tm_year += years;
    if (tm.tm_mon == 1 && tm.tm_mday == 29 && !clock_valid_date(tm.tm_year + 1900, 2, 29))
        tm.tm_mday = 28;
    return (int64_t)timegm(&tm) * 1000 + rest;
}
