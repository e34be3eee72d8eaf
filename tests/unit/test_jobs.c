/* test_jobs.c — the durable job queue: claim order and exclusivity under concurrent workers,
 * leases with fencing, the reaper, retries with backoff through the clock, burial after the last
 * attempt, idempotent enqueue, in-transaction completion, the worker pool end to end, and queues
 * registered side by side: each with its own threads, each type with its own retry policy and
 * context. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "jobs/jobs.h"
#include "store_fixture.h"

static int64_t now_ms;

static void enqueue(struct fx *f, const char *type, const char *idem, int64_t run_at, char id[ID_MAX])
{
    struct err e = {0};
    int64_t at;
    int created;
    assert_int_equal(store_job_enqueue(f->s, "q", type, "{}", idem, run_at, id, &at, &created, &e),
                     RC_OK);
}

static void t_claim_order_and_empty(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    char a[ID_MAX], b[ID_MAX], c[ID_MAX];
    clock_set_ms(now_ms);
    enqueue(f, "t", "k1", now_ms - 20, a);
    enqueue(f, "t", "k2", now_ms - 10, b);
    enqueue(f, "t", "k3", now_ms + 60000, c);  /* not due yet */
    struct job_row j;
    assert_int_equal(store_job_claim(f->s, "q", "w1", now_ms, 30000, f->a, &j, &e), RC_OK);
    assert_string_equal(j.id, a);
    assert_string_equal(j.state, "running");
    assert_int_equal(j.attempts, 1);
    assert_int_equal(j.locked_until, now_ms + 30000);
    assert_int_equal(store_job_claim(f->s, "q", "w1", now_ms, 30000, f->a, &j, &e), RC_OK);
    assert_string_equal(j.id, b);
    assert_int_equal(store_job_claim(f->s, "q", "w1", now_ms, 30000, f->a, &j, &e), RC_DONE);
    assert_int_equal(store_job_claim(f->s, "other", "w1", now_ms, 30000, f->a, &j, &e), RC_DONE);
    int64_t due = 0;
    assert_int_equal(store_job_next_due(f->s, "q", &due, &e), RC_OK);
    assert_int_equal(due, now_ms + 60000);
    assert_int_equal(store_job_claim(f->s, "q", "w1", now_ms + 60000, 30000, f->a, &j, &e), RC_OK);
    assert_string_equal(j.id, c);
}

static void t_idempotent_enqueue(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    char id1[ID_MAX], id2[ID_MAX];
    int64_t at1, at2;
    int created;
    assert_int_equal(store_job_enqueue(f->s, "q", "t", "{}", "same", 100, id1, &at1, &created, &e), RC_OK);
    assert_int_equal(created, 1);
    assert_int_equal(store_job_enqueue(f->s, "q", "t", "{}", "same", 200, id2, &at2, &created, &e), RC_OK);
    assert_int_equal(created, 0);
    assert_string_equal(id1, id2);
    assert_int_equal(at2, 100);
}

static void t_fencing_and_reaper(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    char id[ID_MAX];
    enqueue(f, "t", "f1", now_ms, id);
    struct job_row j;
    assert_int_equal(store_job_claim(f->s, "q", "w1", now_ms, 1000, f->a, &j, &e), RC_OK);
    /* Before the lease ends nothing is reaped. */
    int64_t reaped = -1;
    assert_int_equal(store_job_reap(f->s, NULL, NULL, 0, now_ms + 999, &reaped, &e), RC_OK);
    assert_int_equal(reaped, 0);
    assert_int_equal(store_job_heartbeat(f->s, id, "w1", now_ms + 5000, now_ms + 500, &e), RC_OK);
    assert_int_equal(store_job_reap(f->s, NULL, NULL, 0, now_ms + 4000, &reaped, &e), RC_OK);
    assert_int_equal(reaped, 0);
    /* The lease runs out: the reaper requeues it and a second worker takes it over. */
    assert_int_equal(store_job_reap(f->s, NULL, NULL, 0, now_ms + 5001, &reaped, &e), RC_OK);
    assert_int_equal(reaped, 1);
    assert_int_equal(store_job_claim(f->s, "q", "w2", now_ms + 5001, 1000, f->a, &j, &e), RC_OK);
    assert_int_equal(j.attempts, 2);
    /* The first worker's late completion, failure and heartbeat are refused (fencing). */
    assert_int_equal(store_job_complete(f->s, id, "w1", now_ms + 5002, &e), RC_PRECONDITION);
    assert_int_equal(store_job_fail(f->s, id, "w1", now_ms + 5002, now_ms, "x", 0, &e), RC_PRECONDITION);
    assert_int_equal(store_job_heartbeat(f->s, id, "w1", now_ms + 9000, now_ms + 5002, &e),
                     RC_PRECONDITION);
    assert_int_equal(store_job_complete(f->s, id, "w2", now_ms + 5003, &e), RC_OK);
    assert_int_equal(store_job_get(f->s, id, f->a, &j, &e), RC_OK);
    assert_string_equal(j.state, "done");
    /* Done jobs are never claimed or reaped again. */
    assert_int_equal(store_job_claim(f->s, "q", "w3", now_ms + 99999, 1000, f->a, &j, &e), RC_DONE);
}

static void t_retry_then_dead(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    char id[ID_MAX];
    enqueue(f, "t", "r1", now_ms, id);
    struct job_row j;
    int64_t t = now_ms;
    for (int attempt = 1; attempt <= 5; attempt++) {
        assert_int_equal(store_job_claim(f->s, "q", "w", t, 1000, f->a, &j, &e), RC_OK);
        assert_int_equal(j.attempts, attempt);
        assert_int_equal(store_job_fail(f->s, id, "w", t, t + 100, "boom", 0, &e), RC_OK);
        assert_int_equal(store_job_get(f->s, id, f->a, &j, &e), RC_OK);
        if (attempt < 5) {
            assert_string_equal(j.state, "queued");
            /* Not before its retry time. */
            assert_int_equal(store_job_claim(f->s, "q", "w", t + 99, 1000, f->a, &j, &e), RC_DONE);
            t += 100;
        }
    }
    assert_string_equal(j.state, "dead");
    assert_string_equal(j.last_error, "boom");
    assert_int_equal(store_job_claim(f->s, "q", "w", t + 1000000, 1000, f->a, &j, &e), RC_DONE);
}

static void t_backoff_grows_and_caps(void **state)
{
    (void)state;
    struct job_type t = {.backoff_base_ms = 1000, .backoff_cap_ms = 8000};
    for (int i = 0; i < 20; i++) {
        int64_t d1 = jobs_backoff_ms(&t, 1), d3 = jobs_backoff_ms(&t, 3), d9 = jobs_backoff_ms(&t, 9);
        assert_true(d1 >= 1000 && d1 <= 1250);
        assert_true(d3 >= 4000 && d3 <= 5000);
        assert_true(d9 >= 8000 && d9 <= 10000);
    }
}

/* ---- concurrency: every job claimed exactly once by four workers ---- */

#define NJOBS 300
struct claimer {
    struct fx *f;
    int count;
    char ids[NJOBS][ID_MAX];
    char name[8];
};

static void *claim_all(void *p)
{
    struct claimer *c = p;
    struct err e = {0};
    struct store *s;
    struct store_config cfg = {.data_dir = c->f->dir};
    if (store_open(&cfg, &s, &e) != RC_OK)
        return NULL;
    struct arena *a = arena_new();
    struct job_row j;
    for (;;) {
        enum rc rc = store_job_claim(s, "c", c->name, now_ms, 60000, a, &j, &e);
        if (rc == RC_DONE)
            break;
        if (rc != RC_OK)
            continue;   /* busy: retry */
        memcpy(c->ids[c->count++], j.id, ID_MAX);
        store_job_complete(s, j.id, c->name, now_ms, &e);
    }
    arena_free(a);
    store_close(s);
    return NULL;
}

static void t_concurrent_claims(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    assert_int_equal(store_begin(f->s, 1, &e), RC_OK);
    for (int i = 0; i < NJOBS; i++) {
        char id[ID_MAX], idem[16];
        int64_t at;
        int created;
        snprintf(idem, sizeof idem, "c%d", i);
        assert_int_equal(store_job_enqueue(f->s, "c", "t", "{}", idem, now_ms, id, &at, &created, &e),
                         RC_OK);
    }
    assert_int_equal(store_commit(f->s, &e), RC_OK);
    static struct claimer cl[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        memset(&cl[i], 0, sizeof cl[i]);
        cl[i].f = f;
        snprintf(cl[i].name, sizeof cl[i].name, "w%d", i);
        assert_int_equal(pthread_create(&th[i], NULL, claim_all, &cl[i]), 0);
    }
    int total = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        total += cl[i].count;
    }
    assert_int_equal(total, NJOBS);
    /* No id twice. */
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < cl[i].count; k++)
            for (int i2 = i; i2 < 4; i2++)
                for (int k2 = (i2 == i ? k + 1 : 0); k2 < cl[i2].count; k2++)
                    assert_string_not_equal(cl[i].ids[k], cl[i2].ids[k2]);
}

/* ---- the pool ---- */

static int ran_ok, ran_flaky, flaky_failures;
static pthread_mutex_t ran_mu = PTHREAD_MUTEX_INITIALIZER;

static enum rc h_ok(struct job_ctx *c, struct err *e)
{
    /* Completes inside its own transaction, as pipeline stages do. */
    if (store_begin(c->s, 1, e) != RC_OK || job_complete_in_tx(c, e) != RC_OK ||
        store_commit(c->s, e) != RC_OK)
        return e->rc;
    pthread_mutex_lock(&ran_mu);
    ran_ok++;
    pthread_mutex_unlock(&ran_mu);
    return RC_OK;
}

static enum rc h_flaky(struct job_ctx *c, struct err *e)
{
    pthread_mutex_lock(&ran_mu);
    int fail = c->job->attempts < 2;
    if (fail)
        flaky_failures++;
    else
        ran_flaky++;
    pthread_mutex_unlock(&ran_mu);
    return fail ? err_set(e, RC_IO, "transient") : RC_OK;
}

static int dead_calls;
static char dead_error[64];

static enum rc h_doomed(struct job_ctx *c, struct err *e)
{
    (void)c;
    return err_set(e, RC_IO, "disk on fire");
}

static void on_doomed_dead(struct job_ctx *c, const char *error)
{
    pthread_mutex_lock(&ran_mu);
    dead_calls++;
    snprintf(dead_error, sizeof dead_error, "%s after %d", error, c->job->attempts);
    pthread_mutex_unlock(&ran_mu);
}

static void t_pool_runs_everything(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
#define FAST_RETRY .max_attempts = 5, .backoff_base_ms = 10, .backoff_cap_ms = 20
    static const struct job_type types[] = {{.type = "ok", .fn = h_ok, FAST_RETRY},
                                            {.type = "flaky", .fn = h_flaky, FAST_RETRY},
                                            {.type = "doomed", .fn = h_doomed,
                                             .on_dead = on_doomed_dead, FAST_RETRY}};
    struct job_queue q = {.name = "p", .threads = 3, .lease_ms = 30000, .types = types,
                          .ntypes = 3};
    struct store_config scfg = {.data_dir = f->dir};
    assert_int_equal(store_configure(&scfg, &e), RC_OK);
    clock_freeze(0);
    clock_set_ms(now_ms);
    char id[ID_MAX], unknown[ID_MAX];
    int64_t at;
    int created;
    for (int i = 0; i < 20; i++) {
        char idem[16];
        snprintf(idem, sizeof idem, "p%d", i);
        assert_int_equal(store_job_enqueue(f->s, "p", i % 4 ? "ok" : "flaky", "{}", idem,
                                           clock_now_ms(), id, &at, &created, &e), RC_OK);
    }
    assert_int_equal(store_job_enqueue(f->s, "p", "nope", "{}", "u", clock_now_ms(), unknown, &at,
                                       &created, &e), RC_OK);
    char doomed[ID_MAX];
    assert_int_equal(store_job_enqueue(f->s, "p", "doomed", "{}", "d", clock_now_ms(), doomed, &at,
                                       &created, &e), RC_OK);
    ran_ok = ran_flaky = flaky_failures = dead_calls = 0;
    struct job_pool *p = jobs_start(&q, "test", &e);
    assert_non_null(p);
    jobs_notify();
    for (int i = 0; i < 300 && (ran_ok < 15 || ran_flaky < 5 || dead_calls < 1); i++) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    jobs_stop(p);
    assert_int_equal(ran_ok, 15);
    assert_int_equal(ran_flaky, 5);
    assert_int_equal(flaky_failures, 5);
    /* The always-failing job is buried after its 5th attempt and reported once. */
    assert_int_equal(dead_calls, 1);
    assert_string_equal(dead_error, "disk on fire after 5");
    /* A job of a type nobody handles is retried, then buried, and never blocks the others. */
    struct job_row j;
    assert_int_equal(store_job_get(f->s, unknown, f->a, &j, &e), RC_OK);
    assert_true(strcmp(j.state, "queued") == 0 || strcmp(j.state, "dead") == 0);
    assert_non_null(strstr(j.last_error, "no handler"));
    store_thread_release();
}

/* ---- queues side by side: each type's own retry policy and context, each queue's own threads ---- */

struct type_ctx {
    const char *type;      /* the type whose handler must receive this context */
    int calls, wrong_ctx, dead_calls, dead_attempts;
    int running, max_running;
    char workers[4][160];  /* the distinct lease names that ran this type */
    int nworkers;
};

static pthread_mutex_t tc_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t tc_cv = PTHREAD_COND_INITIALIZER;

/* Counts the call against the context it was handed, noting a context of another type. */
static struct type_ctx *tc_enter(struct job_ctx *c)
{
    struct type_ctx *x = c->ctx;
    pthread_mutex_lock(&tc_mu);
    x->calls++;
    if (strcmp(x->type, c->job->type) != 0)
        x->wrong_ctx++;
    int seen = 0;
    for (int i = 0; i < x->nworkers; i++)
        seen |= strcmp(x->workers[i], c->worker) == 0;
    if (!seen && x->nworkers < 4)
        snprintf(x->workers[x->nworkers++], sizeof x->workers[0], "%s", c->worker);
    pthread_mutex_unlock(&tc_mu);
    return x;
}

static enum rc h_always_fails(struct job_ctx *c, struct err *e)
{
    tc_enter(c);
    return err_set(e, RC_IO, "%s broke", c->job->type);
}

static void on_tc_dead(struct job_ctx *c, const char *error)
{
    (void)error;
    struct type_ctx *x = c->ctx;
    pthread_mutex_lock(&tc_mu);
    x->dead_calls++;
    x->dead_attempts = c->job->attempts;
    if (strcmp(x->type, c->job->type) != 0)
        x->wrong_ctx++;
    pthread_mutex_unlock(&tc_mu);
}

static void enqueue_in(struct fx *f, const char *queue, const char *type, const char *idem,
                       char id[ID_MAX])
{
    struct err e = {0};
    int64_t at;
    int created;
    assert_int_equal(store_job_enqueue(f->s, queue, type, "{}", idem, clock_now_ms(), id, &at,
                                       &created, &e), RC_OK);
}

static void t_each_type_its_own_policy_and_context(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    struct store_config scfg = {.data_dir = f->dir};
    assert_int_equal(store_configure(&scfg, &e), RC_OK);
    clock_freeze(1);
    clock_set_ms(now_ms);
    static struct type_ctx ca, cb;
    memset(&ca, 0, sizeof ca);
    memset(&cb, 0, sizeof cb);
    ca.type = "a";
    cb.type = "b";
    const struct job_type ta = {.type = "a", .fn = h_always_fails, .on_dead = on_tc_dead,
                                .ctx = &ca, .max_attempts = 2, .backoff_base_ms = 10,
                                .backoff_cap_ms = 20};
    const struct job_type tb = {.type = "b", .fn = h_always_fails, .on_dead = on_tc_dead,
                                .ctx = &cb, .max_attempts = 4, .backoff_base_ms = 400,
                                .backoff_cap_ms = 800};
    const struct job_queue qs[] = {{.name = "one", .threads = 1, .lease_ms = 30000, .types = &ta,
                                    .ntypes = 1},
                                   {.name = "many", .threads = 3, .lease_ms = 30000, .types = &tb,
                                    .ntypes = 1}};
    char a[ID_MAX], b[ID_MAX];
    enqueue_in(f, "one", "a", "a1", a);
    enqueue_in(f, "many", "b", "b1", b);
    struct job_row j;
    /* First attempts: each failure is rescheduled by its own type's backoff. */
    int64_t t0 = clock_now_ms();
    assert_int_equal(jobs_run_once(qs, 2, "test/w", &e), RC_OK);
    assert_int_equal(jobs_run_once(qs, 2, "test/w", &e), RC_OK);
    assert_int_equal(jobs_run_once(qs, 2, "test/w", &e), RC_DONE);
    assert_int_equal(store_job_get(f->s, a, f->a, &j, &e), RC_OK);
    assert_string_equal(j.state, "queued");
    assert_true(j.run_at >= t0 + 10 && j.run_at <= t0 + 12);
    assert_int_equal(store_job_get(f->s, b, f->a, &j, &e), RC_OK);
    assert_string_equal(j.state, "queued");
    assert_true(j.run_at >= t0 + 400 && j.run_at <= t0 + 500);
    /* A is due again before B: only A runs. */
    clock_advance_ms(20);
    assert_int_equal(jobs_run_once(qs, 2, "test/w", &e), RC_OK);
    assert_int_equal(jobs_run_once(qs, 2, "test/w", &e), RC_DONE);
    assert_int_equal(ca.calls, 2);
    assert_int_equal(cb.calls, 1);
    /* A has had its two attempts; B goes on to its fourth. */
    for (int round = 0; round < 10; round++) {
        clock_advance_ms(1000);
        while (jobs_run_once(qs, 2, "test/w", &e) == RC_OK)
            ;
    }
    assert_int_equal(store_job_get(f->s, a, f->a, &j, &e), RC_OK);
    assert_string_equal(j.state, "dead");
    assert_int_equal(j.attempts, 2);
    assert_int_equal(j.max_attempts, 2);
    assert_string_equal(j.last_error, "a broke");
    assert_int_equal(store_job_get(f->s, b, f->a, &j, &e), RC_OK);
    assert_string_equal(j.state, "dead");
    assert_int_equal(j.attempts, 4);
    assert_int_equal(j.max_attempts, 4);
    assert_int_equal(ca.calls, 2);
    assert_int_equal(cb.calls, 4);
    assert_int_equal(ca.dead_calls, 1);
    assert_int_equal(ca.dead_attempts, 2);
    assert_int_equal(cb.dead_calls, 1);
    assert_int_equal(cb.dead_attempts, 4);
    /* Every call, handler and burial, got its own type's context. */
    assert_int_equal(ca.wrong_ctx, 0);
    assert_int_equal(cb.wrong_ctx, 0);
    clock_freeze(0);
    store_thread_release();
}

static void t_reap_applies_the_types_limit(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    char a[ID_MAX], b[ID_MAX];
    enqueue(f, "a", "ra", now_ms, a);
    enqueue(f, "b", "rb", now_ms, b);
    struct job_row j;
    assert_int_equal(store_job_claim(f->s, "q", "w", now_ms, 1000, f->a, &j, &e), RC_OK);
    assert_int_equal(store_job_claim(f->s, "q", "w", now_ms, 1000, f->a, &j, &e), RC_OK);
    int64_t reaped = 0;
    /* The lease of both ran out after one attempt: a allows one, b three. */
    assert_int_equal(store_job_reap(f->s, "q", "a", 1, now_ms + 2000, &reaped, &e), RC_OK);
    assert_int_equal(reaped, 1);
    assert_int_equal(store_job_reap(f->s, "other", "b", 3, now_ms + 2000, &reaped, &e), RC_OK);
    assert_int_equal(reaped, 0);
    assert_int_equal(store_job_reap(f->s, "q", "b", 3, now_ms + 2000, &reaped, &e), RC_OK);
    assert_int_equal(reaped, 1);
    assert_int_equal(store_job_get(f->s, a, f->a, &j, &e), RC_OK);
    assert_string_equal(j.state, "dead");
    assert_string_equal(j.last_error, "lease expired");
    assert_int_equal(store_job_get(f->s, b, f->a, &j, &e), RC_OK);
    assert_string_equal(j.state, "queued");
    assert_int_equal(j.max_attempts, 3);
}

/* Holds the job until `want` jobs of its type run at once (or a while passes), so the most that
 * ever ran together shows the queue's thread count. */
static enum rc h_gather(struct job_ctx *c, struct err *e)
{
    (void)e;
    struct type_ctx *x = tc_enter(c);
    /* b's three threads meet well within the wait, however loaded the machine; a's second
     * thread, which must not exist, is only given a short chance on each of its six jobs. */
    int many = strcmp(c->job->type, "b") == 0, want = many ? 3 : 2;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    if (many)
        until.tv_sec += 5;
    else
        until.tv_nsec += 200 * 1000 * 1000;
    if (until.tv_nsec >= 1000000000) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&tc_mu);
    if (++x->running > x->max_running)
        x->max_running = x->running;
    pthread_cond_broadcast(&tc_cv);
    while (x->running < want)
        if (pthread_cond_timedwait(&tc_cv, &tc_mu, &until) != 0)
            break;
    x->running--;
    pthread_mutex_unlock(&tc_mu);
    return RC_OK;
}

static void t_each_queue_its_own_threads(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    struct store_config scfg = {.data_dir = f->dir};
    assert_int_equal(store_configure(&scfg, &e), RC_OK);
    clock_set_ms(now_ms);
    static struct type_ctx ca, cb;
    memset(&ca, 0, sizeof ca);
    memset(&cb, 0, sizeof cb);
    ca.type = "a";
    cb.type = "b";
    static struct job_type ta, tb;
    ta = (struct job_type){.type = "a", .fn = h_gather, .ctx = &ca, .max_attempts = 2};
    tb = (struct job_type){.type = "b", .fn = h_gather, .ctx = &cb, .max_attempts = 4};
    static struct job_queue q1, q3;
    q1 = (struct job_queue){.name = "one", .threads = 1, .lease_ms = 30000, .types = &ta,
                            .ntypes = 1};
    q3 = (struct job_queue){.name = "many", .threads = 3, .lease_ms = 30000, .types = &tb,
                            .ntypes = 1};
    char id[ID_MAX];
    for (int i = 0; i < 6; i++) {
        char idem[16];
        snprintf(idem, sizeof idem, "a%d", i);
        enqueue_in(f, "one", "a", idem, id);
        snprintf(idem, sizeof idem, "b%d", i);
        enqueue_in(f, "many", "b", idem, id);
    }
    struct job_pool *p1 = jobs_start(&q1, "test", &e);
    struct job_pool *p3 = jobs_start(&q3, "test", &e);
    assert_non_null(p1);
    assert_non_null(p3);
    jobs_notify();
    for (int i = 0; i < 3000; i++) {
        pthread_mutex_lock(&tc_mu);
        int done = ca.calls == 6 && cb.calls == 6 && ca.running == 0 && cb.running == 0;
        pthread_mutex_unlock(&tc_mu);
        if (done)
            break;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    jobs_stop(p1);
    jobs_stop(p3);
    assert_int_equal(ca.calls, 6);
    assert_int_equal(cb.calls, 6);
    /* One thread on "one" (its jobs never overlap), three on "many". */
    assert_int_equal(ca.max_running, 1);
    assert_int_equal(cb.max_running, 3);
    assert_int_equal(ca.nworkers, 1);
    assert_int_equal(cb.nworkers, 3);
    assert_non_null(strstr(ca.workers[0], "/one/"));
    for (int i = 0; i < cb.nworkers; i++)
        assert_non_null(strstr(cb.workers[i], "/many/"));
    assert_int_equal(ca.wrong_ctx, 0);
    assert_int_equal(cb.wrong_ctx, 0);
    store_thread_release();
}

int main(void)
{
    log_set_level(LOG_ERROR);
    now_ms = 1795608000000LL;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(t_claim_order_and_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(t_idempotent_enqueue, setup, teardown),
        cmocka_unit_test_setup_teardown(t_fencing_and_reaper, setup, teardown),
        cmocka_unit_test_setup_teardown(t_retry_then_dead, setup, teardown),
        cmocka_unit_test(t_backoff_grows_and_caps),
        cmocka_unit_test_setup_teardown(t_concurrent_claims, setup, teardown),
        cmocka_unit_test_setup_teardown(t_pool_runs_everything, setup, teardown),
        cmocka_unit_test_setup_teardown(t_each_type_its_own_policy_and_context, setup, teardown),
        cmocka_unit_test_setup_teardown(t_reap_applies_the_types_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(t_each_queue_its_own_threads, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
