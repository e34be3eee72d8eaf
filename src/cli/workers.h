/* workers.h — the pipeline's worker pool as `guidepost serve` and `guidepost worker` run it:
 * the shared options, their parsing into the pipeline and job-queue configuration, start, stop. */
#ifndef GP_WORKERS_H
#define GP_WORKERS_H

#include "blob/blob.h"
#include "cli/opts.h"
#include "core/rc.h"
#include "jobs/jobs.h"
#include "pipeline/pipeline.h"

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
                                "larger panorama is rejected", NULL}

struct workers {
    struct pipe_config pipe;
    struct jobs_config jobs;
    unsigned threads;
    int test_faults;
    struct job_pool *pool;
    char node[80];
};

/* Reads the WORKERS_OPTS values into w (pipe.blobs and pipe.public_url are the caller's to set).
 * Returns 0, or -1 after printing what is wrong. */
int workers_configure(struct workers *w, const struct opt *opts);

/* Starts w->threads workers (none when 0). */
enum rc workers_start(struct workers *w, struct err *e);

/* Stops claiming, lets running stages finish, joins. */
void workers_stop(struct workers *w);

#endif
