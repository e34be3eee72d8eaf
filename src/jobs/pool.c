/* pool.c — the worker threads. Idle workers sleep on one process-wide condition variable, woken by
 * jobs_notify() after an enqueue commits, and otherwise until the next job is due or a second has
 * passed, so delayed retries, jobs enqueued by other processes and missed signals are all picked
 * up. One pool serves one queue; worker 0 of each pool also runs its queue's reaper every few
 * seconds. */
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
    char name[160];
};

struct job_pool {
    const struct job_queue *q;
    struct worker *workers;
    unsigned n;
    int stop;   /* under wake_mu */
};

/* A job of a type its queue does not list (enqueued by a newer release, say) is retried with
 * this, so a worker that knows the type may still take it; its row sets the attempt limit. */
static const struct job_type unknown_type = {.backoff_base_ms = 1000, .backoff_cap_ms = 60000};

int64_t jobs_backoff_ms(const struct job_type *t, int attempt)
{
    int64_t d = t->backoff_base_ms > 0 ? t->backoff_base_ms : 1000;
    for (int i = 1; i < attempt && d < t->backoff_cap_ms; i++)
        d *= 2;
    if (t->backoff_cap_ms > 0 && d > t->backoff_cap_ms)
        d = t->backoff_cap_ms;
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

static const struct job_type *find_type(const struct job_queue *q, const char *type)
{
    for (size_t i = 0; i < q->ntypes; i++)
        if (strcmp(q->types[i].type, type) == 0)
            return &q->types[i];
    return NULL;
}

/* Runs the claimed job j of queue q and records its outcome under its type's retry policy. */
static void run_job(const struct job_queue *q, struct store *s, struct arena *a,
                    const char *worker, const struct job_row *j)
{
    struct err e = {0};
    const struct job_type *t = find_type(q, j->type);
    struct job_ctx ctx = {.job = j, .s = s, .a = a, .worker = worker, .lease_ms = q->lease_ms,
                          .ctx = t ? t->ctx : NULL};
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
    const struct job_type *policy = t ? t : &unknown_type;
    int max_attempts = policy->max_attempts > 0 ? policy->max_attempts : j->max_attempts;
    int64_t retry_at = now + jobs_backoff_ms(policy, j->attempts);
    enum rc frc = store_job_fail(s, j->id, worker, now, retry_at, e.msg, policy->max_attempts,
                                 &e2);
    if (frc != RC_OK)
        log_warn("job %s (%s): could not record the failure: %s", j->id, j->type, e2.msg);
    else if (j->attempts >= max_attempts) {
        log_error("job %s (%s) failed for good after %d attempts: %s", j->id, j->type, j->attempts,
                  e.msg);
        if (t && t->on_dead)
            t->on_dead(&ctx, e.msg);
    }
    else
        log_warn("job %s (%s) attempt %d failed, retrying: %s", j->id, j->type, j->attempts, e.msg);
}

/* Claims from each queue in turn; RC_OK when a job ran, RC_DONE when none was due. */
static enum rc step(const struct job_queue *qs, size_t nq, struct store *s, const char *worker,
                    int64_t *next_due, struct err *e)
{
    *next_due = 0;
    for (size_t i = 0; i < nq; i++) {
        const struct job_queue *q = &qs[i];
        struct arena *a = arena_new();
        if (!a)
            return err_set(e, RC_NOMEM, "out of memory");
        struct job_row j;
        enum rc rc = store_job_claim(s, q->name, worker, clock_now_ms(), q->lease_ms, a, &j, e);
        if (rc == RC_OK) {
            run_job(q, s, a, worker, &j);
            arena_free(a);
            return RC_OK;
        }
        arena_free(a);
        if (rc != RC_DONE)
            return rc;
        int64_t due = 0;
        if (store_job_next_due(s, q->name, &due, e) == RC_OK && due &&
            (!*next_due || due < *next_due))
            *next_due = due;
    }
    return RC_DONE;
}

/* Takes back q's jobs whose lease expired, each type under its own attempt limit, then those of
 * types q does not list under their rows' limit. One `now` for all passes, so the last pass
 * cannot catch a listed type's job whose lease ran out in between. */
static enum rc reap(const struct job_queue *q, struct store *s, int64_t *reaped, struct err *e)
{
    int64_t now = clock_now_ms(), n = 0;
    *reaped = 0;
    for (size_t i = 0; i <= q->ntypes; i++) {
        const struct job_type *t = i < q->ntypes ? &q->types[i] : NULL;
        enum rc rc = store_job_reap(s, q->name, t ? t->type : NULL, t ? t->max_attempts : 0, now,
                                    &n, e);
        if (rc != RC_OK)
            return rc;
        *reaped += n;
    }
    return RC_OK;
}

enum rc jobs_run_once(const struct job_queue *qs, size_t nq, const char *worker, struct err *e)
{
    struct store *s = store_thread(e);
    if (!s)
        return e ? e->rc : RC_IO;
    int64_t next;
    return step(qs, nq, s, worker, &next, e);
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct job_pool *p = w->pool;
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
            if (reap(p->q, s, &reaped, &e) == RC_OK && reaped)
                log_warn("jobs: %lld expired lease(s) of queue %s returned", (long long)reaped,
                         p->q->name);
            last_reap = clock_mono_ms();
        }
        if (s)
            rc = step(p->q, 1, s, w->name, &next_due, &e);
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
        struct timespec ts = clock_deadline(CLOCK_REALTIME, wait);
        pthread_mutex_lock(&wake_mu);
        while (!p->stop && wake_seq == seen)
            if (pthread_cond_timedwait(&wake_cv, &wake_mu, &ts) != 0)
                break;
        pthread_mutex_unlock(&wake_mu);
    }
    store_thread_release();
    return NULL;
}

struct job_pool *jobs_start(const struct job_queue *q, const char *node, struct err *e)
{
    struct job_pool *p = calloc(1, sizeof *p);
    if (!p || !(p->workers = calloc(q->threads ? q->threads : 1, sizeof *p->workers))) {
        free(p);
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    p->q = q;
    p->n = q->threads;
    for (unsigned i = 0; i < p->n; i++) {
        struct worker *w = &p->workers[i];
        w->pool = p;
        w->index = (int)i;
        /* Unique per process and queue: the lease name is what fences a job to its worker. */
        snprintf(w->name, sizeof w->name, "%s/%s/w%u", node ? node : "node", q->name, i);
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
