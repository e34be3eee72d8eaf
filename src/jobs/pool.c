/* pool.c — the worker threads. Idle workers sleep on one process-wide condition variable, woken by
 * jobs_notify() after an enqueue commits, and otherwise until the next job is due or a second has
 * passed, so delayed retries, jobs enqueued by other processes and missed signals are all picked
 * up. Worker 0 also runs the reaper every few seconds. */
#include "jobs/jobs.h"

#include "core/clock.h"
#include "core/crypto.h"
#include "core/log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REAP_EVERY_MS 5000
#define IDLE_WAIT_MS 1000

static pthread_mutex_t wake_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake_cv = PTHREAD_COND_INITIALIZER;
static unsigned long wake_seq;

void jobs_notify(void)
{
    pthread_mutex_lock(&wake_mu);
    wake_seq++;
    pthread_cond_broadcast(&wake_cv);
    pthread_mutex_unlock(&wake_mu);
}

struct worker {
    struct job_pool *pool;
    pthread_t th;
    int index, started;
    char name[96];
};

struct job_pool {
    const struct jobs_config *cfg;
    struct worker *workers;
    unsigned n;
    int stop;   /* under wake_mu */
};

int64_t jobs_backoff_ms(const struct jobs_config *cfg, int attempt)
{
    int64_t d = cfg->backoff_base_ms > 0 ? cfg->backoff_base_ms : 1000;
    for (int i = 1; i < attempt && d < cfg->backoff_cap_ms; i++)
        d *= 2;
    if (cfg->backoff_cap_ms > 0 && d > cfg->backoff_cap_ms)
        d = cfg->backoff_cap_ms;
    uint32_t r = 0;
    crypto_random(&r, sizeof r);
    return d + (int64_t)(r % (uint32_t)(d / 4 + 1));
}

enum rc job_complete_in_tx(struct job_ctx *c, struct err *e)
{
    enum rc rc = store_job_complete(c->s, c->job->id, c->worker, clock_now_ms(), e);
    if (rc == RC_OK)
        c->completed = 1;
    return rc;
}

enum rc job_heartbeat(struct job_ctx *c, struct err *e)
{
    int64_t now = clock_now_ms();
    return store_job_heartbeat(c->s, c->job->id, c->worker, now + c->lease_ms, now, e);
}

static const struct job_type *find_type(const struct jobs_config *cfg, const struct job_row *j)
{
    for (size_t i = 0; i < cfg->ntypes; i++)
        if (strcmp(cfg->types[i].queue, j->queue) == 0 && strcmp(cfg->types[i].type, j->type) == 0)
            return &cfg->types[i];
    return NULL;
}

/* Runs the claimed job j and records its outcome. */
static void run_job(const struct jobs_config *cfg, struct store *s, struct arena *a,
                    const char *worker, const struct job_row *j)
{
    struct err e = {0};
    struct job_ctx ctx = {.job = j, .s = s, .a = a, .worker = worker, .lease_ms = cfg->lease_ms,
                          .user = cfg->user};
    const struct job_type *t = find_type(cfg, j);
    enum rc rc = t ? t->fn(&ctx, &e) : err_set(&e, RC_UNIMPLEMENTED, "no handler for %s/%s",
                                                    j->queue, j->type);
    store_rollback(s);   /* a handler that returned with its transaction still open */
    int64_t now = clock_now_ms();
    struct err e2 = {0};
    if (rc == RC_OK) {
        if (!ctx.completed && store_job_complete(s, j->id, worker, now, &e2) != RC_OK)
            log_warn("job %s (%s): could not complete: %s", j->id, j->type, e2.msg);
        log_debug("job %s (%s) done after %d attempt(s)", j->id, j->type, j->attempts);
        return;
    }
    int64_t retry_at = now + jobs_backoff_ms(cfg, j->attempts);
    enum rc frc = store_job_fail(s, j->id, worker, now, retry_at, e.msg, &e2);
    if (frc != RC_OK)
        log_warn("job %s (%s): could not record the failure: %s", j->id, j->type, e2.msg);
    else if (j->attempts >= j->max_attempts) {
        log_error("job %s (%s) failed for good after %d attempts: %s", j->id, j->type, j->attempts,
                  e.msg);
        if (t && t->on_dead)
            t->on_dead(&ctx, e.msg);
    }
    else
        log_warn("job %s (%s) attempt %d failed, retrying: %s", j->id, j->type, j->attempts, e.msg);
}

/* Claims from each queue in turn; RC_OK when a job ran, RC_DONE when none was due. */
static enum rc step(const struct jobs_config *cfg, struct store *s, const char *worker,
                    int64_t *next_due, struct err *e)
{
    *next_due = 0;
    for (const char *const *q = cfg->queues; q && *q; q++) {
        struct arena *a = arena_new();
        if (!a)
            return err_set(e, RC_NOMEM, "out of memory");
        struct job_row j;
        enum rc rc = store_job_claim(s, *q, worker, clock_now_ms(), cfg->lease_ms, a, &j, e);
        if (rc == RC_OK) {
            run_job(cfg, s, a, worker, &j);
            arena_free(a);
            return RC_OK;
        }
        arena_free(a);
        if (rc != RC_DONE)
            return rc;
        int64_t due = 0;
        if (store_job_next_due(s, *q, &due, e) == RC_OK && due && (!*next_due || due < *next_due))
            *next_due = due;
    }
    return RC_DONE;
}

enum rc jobs_run_once(const struct jobs_config *cfg, const char *worker, struct err *e)
{
    struct store *s = store_thread(e);
    if (!s)
        return e ? e->rc : RC_IO;
    int64_t next;
    return step(cfg, s, worker, &next, e);
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct job_pool *p = w->pool;
    const struct jobs_config *cfg = p->cfg;
    int64_t last_reap = 0;
    for (;;) {
        pthread_mutex_lock(&wake_mu);
        int stop = p->stop;
        unsigned long seen = wake_seq;
        pthread_mutex_unlock(&wake_mu);
        if (stop)
            break;
        struct err e = {0};
        struct store *s = store_thread(&e);
        int64_t next_due = 0;
        enum rc rc = s ? RC_OK : RC_IO;
        if (s && w->index == 0 && clock_mono_ms() - last_reap >= REAP_EVERY_MS) {
            int64_t reaped = 0;
            if (store_job_reap(s, clock_now_ms(), &reaped, &e) == RC_OK && reaped)
                log_warn("jobs: %lld expired lease(s) returned to the queue", (long long)reaped);
            last_reap = clock_mono_ms();
        }
        if (s)
            rc = step(cfg, s, w->name, &next_due, &e);
        if (rc == RC_OK)
            continue;   /* maybe more work: claim again at once */
        if (rc != RC_DONE)
            log_warn("jobs: %s: %s", w->name, e.msg);
        /* Nothing due: sleep until woken, the next job is due, or a second has passed. */
        int64_t wait = IDLE_WAIT_MS;
        if (next_due) {
            int64_t until = next_due - clock_now_ms();
            if (until < wait)
                wait = until < 1 ? 1 : until;
        }
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += wait / 1000;
        ts.tv_nsec += (wait % 1000) * 1000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_mutex_lock(&wake_mu);
        while (!p->stop && wake_seq == seen)
            if (pthread_cond_timedwait(&wake_cv, &wake_mu, &ts) != 0)
                break;
        pthread_mutex_unlock(&wake_mu);
    }
    store_thread_release();
    return NULL;
}

struct job_pool *jobs_start(const struct jobs_config *cfg, struct err *e)
{
    struct job_pool *p = calloc(1, sizeof *p);
    if (!p || !(p->workers = calloc(cfg->threads ? cfg->threads : 1, sizeof *p->workers))) {
        free(p);
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    p->cfg = cfg;
    p->n = cfg->threads;
    for (unsigned i = 0; i < p->n; i++) {
        struct worker *w = &p->workers[i];
        w->pool = p;
        w->index = (int)i;
        snprintf(w->name, sizeof w->name, "%s/w%u", cfg->node ? cfg->node : "node", i);
        if (pthread_create(&w->th, NULL, worker_main, w) != 0) {
            err_set(e, RC_INTERNAL, "cannot start worker thread %u", i);
            jobs_stop(p);
            return NULL;
        }
        w->started = 1;
    }
    return p;
}

void jobs_stop(struct job_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&wake_mu);
    p->stop = 1;
    pthread_cond_broadcast(&wake_cv);
    pthread_mutex_unlock(&wake_mu);
    for (unsigned i = 0; i < p->n; i++)
        if (p->workers[i].started)
            pthread_join(p->workers[i].th, NULL);
    free(p->workers);
    free(p);
}
