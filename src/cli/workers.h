/* workers.h — the job queues `guidepost serve` and `guidepost worker` run, one pool each: the
 * shared options, their parsing into each module's configuration, the list of queues, start, stop.
 * A module with jobs of its own (webhook delivery) adds its queue in workers_configure. */
#ifndef GP_WORKERS_H
#define GP_WORKERS_H

#include "blob/blob.h"
#include "cli/opts.h"
#include "core/rc.h"
#include "jobs/jobs.h"
#include "pipeline/pipeline.h"
#include "webhooks/deliver.h"

/* The options both subcommands take, for their option tables (no trailing NULL entry). */
#define WORKERS_OPTS(default_workers)                                                              \
    {"workers", 0, default_workers, "pipeline worker threads (serve: 0 leaves processing to "      \
                                    "`guidepost worker`)", NULL},                                  \
    {"stage-seconds", 0, "2", "each work-order status lasts at least this long (0 in tests)",     \
     NULL},                                                                                        \
    {"qa", 0, "auto", "auto, or manual: work orders wait in pending_qa for an operator", NULL},    \
    {"lease-seconds", 0, "120", "a stage running longer than this without a heartbeat is "        \
                                "taken back and retried", NULL},                                   \
    {"retry-base-ms", 0, "2000", "first retry delay of a failed stage, doubling per attempt",     \
     NULL},                                                                                        \
    {"test-faults", 1, NULL, "expose POST /_test/faults to make stages fail (tests only)", NULL}, \
    {"decode-memory", 0, "512", "MiB that all JPEG decodes of the process may hold at once; a "   \
                                "larger panorama is rejected", NULL},                              \
    {"webhook-threads", 0, "8", "webhook delivery threads (0 leaves delivery to other processes)", \
     NULL},                                                                                        \
    {"webhook-retry", 0, "platform", "platform (5xx/timeouts retried 10-15 min later, 5 "         \
                                     "attempts) or standard (the Standard Webhooks schedule)",   \
     NULL},                                                                                        \
    {"webhook-timeout", 0, "15", "seconds a webhook receiver has to answer", NULL},               \
    {"webhook-allow-private", 1, NULL, "allow http:// and loopback/private receivers (local "     \
                                       "development and CI)", NULL}

#define WORKERS_MAX_QUEUES 4

struct workers {
    struct pipe_config pipe;
    struct webhook_config webhook;                 /* the --webhook-* options */
    struct job_queue queues[WORKERS_MAX_QUEUES];   /* one per module with jobs */
    struct job_pool *pools[WORKERS_MAX_QUEUES];
    size_t nqueues;
    unsigned threads;                               /* the pipeline's (--workers) */
    int test_faults;
    char node[80];
};

/* Reads the WORKERS_OPTS values into w (pipe.blobs and pipe.public_url are the caller's to set).
 * Returns 0, or -1 after printing what is wrong. */
int workers_configure(struct workers *w, const struct opt *opts);

/* Starts one pool per queue of w (none for a queue of 0 threads); on failure none is left running. */
enum rc workers_start(struct workers *w, struct err *e);

/* Stops claiming on every queue, lets running jobs finish, joins. */
void workers_stop(struct workers *w);

#endif
