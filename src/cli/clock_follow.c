/* clock_follow.c — see clock_follow.h. A setting is applied only when the row changed since the
 * last one applied, and only if this process's own clock did not change between reading its
 * generation and applying (clock_state_apply), so a POST to this very node is never overwritten
 * by the older row read just before it. */
#include "cli/clock_follow.h"

#include "core/clock.h"
#include "core/log.h"
#include "jobs/jobs.h"
#include "store/webhook_events.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#define POLL_MS 200

struct clock_follow {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;
};

static int same(const struct test_clock_row *a, const struct test_clock_row *b)
{
    return a->offset_ms == b->offset_ms && a->frozen == b->frozen &&
           a->frozen_at_ms == b->frozen_at_ms && a->updated_at == b->updated_at;
}

static void poll_once(struct test_clock_row *last, int *have)
{
    struct err e = {0};
    struct store *s = store_thread(&e);
    if (!s)
        return;
    struct clock_state before;
    clock_state_get(&before);
    struct test_clock_row row;
    enum rc rc = store_test_clock_get(s, &row, &e);
    if (rc == RC_NOTFOUND)
        return;
    if (rc != RC_OK) {
        log_debug("test clock: cannot read the shared row: %s", e.msg);
        return;
    }
    if (*have && same(&row, last))
        return;
    struct clock_state st = {
        .offset_ms = row.offset_ms, .frozen = row.frozen, .frozen_at_ms = row.frozen_at_ms};
    if (clock_state_apply(&st, before.generation) != 0)
        return; /* this process moved its clock meanwhile: read the row again next time */
    *last = row;
    *have = 1;
    char t[32];
    log_info("test clock follows the shared setting: %s%s", clock_format(clock_now_ms(), 1, t),
             row.frozen ? " (frozen)" : "");
    jobs_notify();
}

static void *follow_main(void *p)
{
    struct clock_follow *f = p;
    struct test_clock_row last = {0};
    int have = 0;
    pthread_mutex_lock(&f->mu);
    while (!f->stop) {
        pthread_mutex_unlock(&f->mu);
        poll_once(&last, &have);
        pthread_mutex_lock(&f->mu);
        struct timespec ts = clock_deadline(CLOCK_REALTIME, POLL_MS);
        if (!f->stop)
            pthread_cond_timedwait(&f->cv, &f->mu, &ts);
    }
    pthread_mutex_unlock(&f->mu);
    store_thread_release();
    return NULL;
}

struct clock_follow *clock_follow_start(struct err *e)
{
    struct clock_follow *f = calloc(1, sizeof *f);
    if (!f) {
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->cv, NULL);
    if (pthread_create(&f->th, NULL, follow_main, f) != 0) {
        pthread_cond_destroy(&f->cv);
        pthread_mutex_destroy(&f->mu);
        free(f);
        err_set(e, RC_INTERNAL, "cannot start the test clock follower");
        return NULL;
    }
    return f;
}

void clock_follow_stop(struct clock_follow *f)
{
    if (!f)
        return;
    pthread_mutex_lock(&f->mu);
    f->stop = 1;
    pthread_cond_signal(&f->cv);
    pthread_mutex_unlock(&f->mu);
    pthread_join(f->th, NULL);
    pthread_cond_destroy(&f->cv);
    pthread_mutex_destroy(&f->mu);
    free(f);
}
