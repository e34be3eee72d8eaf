/* workers.c — see workers.h. */
#include "cli/workers.h"

#include "core/clock.h"
#include "property/decode_budget.h"
#include "webhooks/janitor.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The next free queue slot, or NULL after printing (WORKERS_MAX_QUEUES is too small). */
static struct job_queue *add_queue(struct workers *w)
{
    if (w->nqueues == WORKERS_MAX_QUEUES) {
        fprintf(stderr, "guidepost: more job queues than WORKERS_MAX_QUEUES\n");
        return NULL;
    }
    return &w->queues[w->nqueues++];
}

/* The --webhook-* options into cfg; 0, or -1 after printing what is wrong. */
static int webhook_configure(struct webhook_config *cfg, const struct opt *opts)
{
    int64_t threads, timeout;
    if (opt_int(opts, "webhook-threads", 0, 64, &threads) ||
        opt_int(opts, "webhook-timeout", 1, 120, &timeout))
        return -1;
    if (webhook_policy_parse(opt_get(opts, "webhook-retry"), &cfg->policy)) {
        fprintf(stderr, "guidepost: --webhook-retry must be platform or standard\n");
        return -1;
    }
    cfg->threads = (unsigned)threads;
    cfg->timeout_s = (int)timeout;
    cfg->allow_private = opt_flag(opts, "webhook-allow-private");
    return 0;
}

int workers_configure(struct workers *w, const struct opt *opts)
{
    memset(w, 0, sizeof *w);
    int64_t threads, stage_s, lease_s, retry_ms, decode_mib = 512;
    if (opt_int(opts, "workers", 0, 64, &threads) || opt_int(opts, "stage-seconds", 0, 3600, &stage_s) ||
        opt_int(opts, "decode-memory", 1, 1 << 20, &decode_mib) ||
        opt_int(opts, "lease-seconds", 1, 86400, &lease_s) ||
        opt_int(opts, "retry-base-ms", 1, 3600000, &retry_ms))
        return -1;
    const char *qa = opt_get(opts, "qa");
    if (strcmp(qa, "auto") != 0 && strcmp(qa, "manual") != 0) {
        fprintf(stderr, "guidepost: --qa must be auto or manual\n");
        return -1;
    }
    decode_budget_set((uint64_t)decode_mib << 20);
    w->threads = (unsigned)threads;
    w->test_faults = opt_flag(opts, "test-faults");
    w->pipe.stage_ms = stage_s * 1000;
    w->pipe.qa_manual = strcmp(qa, "manual") == 0;
    char host[64] = "localhost";
    gethostname(host, sizeof host - 1);
    snprintf(w->node, sizeof w->node, "%.60s:%ld", host, (long)getpid());
    w->pipe.threads = w->threads;
    w->pipe.lease_ms = lease_s * 1000;
    w->pipe.retry_base_ms = retry_ms;
    if (webhook_configure(&w->webhook, opts))
        return -1;
    /* The registered queues: each module's own threads, types and retry policies. */
    struct job_queue *q = add_queue(w);
    if (!q)
        return -1;
    pipe_job_queue(&w->pipe, q);
    if (!(q = add_queue(w))) /* webhook delivery (webhooks/deliver.h) */
        return -1;
    webhook_job_queue(&w->webhook, q);
    if (!(q = add_queue(w))) /* view.expired and attempt pruning (webhooks/janitor.h) */
        return -1;
    webhook_janitor_queue(q);
    return 0;
}

enum rc workers_start(struct workers *w, struct err *e)
{
    /* The first sweep of the webhook janitor; later ones queue themselves. */
    struct store *s = store_thread(e);
    enum rc rc = s ? webhook_janitor_kick(s, clock_now_ms(), e) : e->rc;
    store_thread_release(); /* the calling (main) thread keeps no connection */
    if (rc != RC_OK)
        return rc;
    for (size_t i = 0; i < w->nqueues; i++) {
        if (!w->queues[i].threads)
            continue;
        w->pools[i] = jobs_start(&w->queues[i], w->node, e);
        if (!w->pools[i]) {
            workers_stop(w);
            return e->rc;
        }
    }
    return RC_OK;
}

void workers_stop(struct workers *w)
{
    for (size_t i = 0; i < w->nqueues; i++) {
        jobs_stop(w->pools[i]);
        w->pools[i] = NULL;
    }
}
