/* jobs.h — workers for the durable job queue in the store. A module registers a queue (struct
 * job_queue): a name, its own thread count and lease, and its job types, each with its handler,
 * its own context and its own retry policy. The composition root starts one pool per queue, so a
 * module adds work (webhook delivery, say) without touching another module's workers. A pool
 * claims due jobs of its queue, runs their handlers and completes, retries (exponential backoff
 * with jitter, per type) or buries them. Delivery is at least once: a handler may run again after
 * a crash or a lost lease, so every handler is idempotent, and a handler that changes the store
 * completes its job inside the same transaction (job_complete_in_tx). */
#ifndef GP_JOBS_H
#define GP_JOBS_H

#include "core/arena.h"
#include "core/rc.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

struct job_ctx {
    const struct job_row *job;
    struct store *s;              /* the worker thread's connection */
    struct arena *a;              /* freed after the job */
    const char *worker;           /* this worker's lease name */
    int64_t lease_ms;
    int completed;                /* set by job_complete_in_tx */
    void *ctx;                    /* the job type's context (job_type.ctx) */
};

/* A handler: RC_OK when the job's work is done; anything else is a failure that is retried
 * (with e->msg recorded as the job's last error) until the job runs out of attempts. */
typedef enum rc (*job_fn)(struct job_ctx *c, struct err *e);

/* Called once when a job fails its last attempt (and is buried), with the last error; runs in no
 * transaction. For recording the failure where people look (a work order's exception status). */
typedef void (*job_dead_fn)(struct job_ctx *c, const char *error);

struct job_type {
    const char *type;
    job_fn fn;
    job_dead_fn on_dead;          /* may be NULL */
    void *ctx;                    /* handed to fn and on_dead as job_ctx.ctx */
    int max_attempts;             /* buried after this many; 0: the job row's (5 by default) */
    int64_t backoff_base_ms;      /* first retry delay (0: 1000); doubles per attempt ... */
    int64_t backoff_cap_ms;       /* ... up to this */
};

/* A queue and the types its pool runs; threads share the queue, whatever the job's type. */
struct job_queue {
    const char *name;
    unsigned threads;             /* 0: no pool for this queue in this process */
    int64_t lease_ms;             /* how long a claim holds before the reaper may take it back */
    const struct job_type *types;
    size_t ntypes;
};

/* Marks the running job done inside the handler's open write transaction (fenced by the lease:
 * RC_PRECONDITION when another worker has taken it over, and then the handler must roll back). */
enum rc job_complete_in_tx(struct job_ctx *c, struct err *e);

/* Extends the running job's lease by lease_ms from now (for long stages). */
enum rc job_heartbeat(struct job_ctx *c, struct err *e);

struct job_pool;

/* Starts q->threads workers on queue q, their lease names prefixed by node ("host:pid"); q and
 * what it points to must outlive the pool. */
struct job_pool *jobs_start(const struct job_queue *q, const char *node, struct err *e);

/* Stops claiming, waits for running handlers to finish, joins and frees the pool. NULL is a no-op. */
void jobs_stop(struct job_pool *p);

/* Wakes idle workers of every pool: call after committing a transaction that enqueued jobs. */
void jobs_notify(void);

/* One claim-and-run step on the calling thread over the nq queues qs, in order: RC_OK when a job
 * ran (its outcome recorded), RC_DONE when none was due. For tests and single-shot tools. */
enum rc jobs_run_once(const struct job_queue *qs, size_t nq, const char *worker, struct err *e);

/* The retry delay of type t after a failed attempt (1-based), with up to 25% jitter. */
int64_t jobs_backoff_ms(const struct job_type *t, int attempt);

#endif
