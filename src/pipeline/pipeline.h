/* pipeline.h — the processing of a work order as jobs on the "pipeline" queue, one job type per
 * stage: ingest (pending_draft) → draft (pending_draft) → qa (pending_qa) → publish
 * (pending_publish) → done, plus "addon" for additional work orders. Each stage moves the work
 * order's status in the same transaction that enqueues the next stage and completes its own job;
 * bad data ends in rejected with a rejectionReason, an unexpected failure after the last retry in
 * exception with an exceptionReason (work-order lifecycle guide). */
#ifndef GP_PIPELINE_H
#define GP_PIPELINE_H

#include "blob/blob.h"
#include "jobs/jobs.h"

#include <stddef.h>
#include <stdint.h>

#define PIPE_QUEUE "pipeline"
#define PIPE_NTYPES 5
#define PIPE_MAX_ATTEMPTS 5    /* a stage's attempts before its work order goes to exception */

struct pipe_config {
    struct blob_store *blobs;
    int64_t stage_ms;          /* each stage lasts at least this long (--stage-seconds) */
    int qa_manual;             /* --qa manual: work orders wait in pending_qa for an operator */
    const char *public_url;    /* for the URLs in the ready event */
    unsigned threads;          /* worker threads of this process (--workers) */
    int64_t lease_ms;          /* --lease-seconds */
    int64_t retry_base_ms;     /* first retry delay, doubling per attempt up to 32 times it */
    struct job_type types[PIPE_NTYPES];   /* filled by pipe_job_queue */
};

/* The pipeline's queue: its stages as job types bound to cfg (their context), with the stages'
 * retry policy, cfg's threads and lease. out points into cfg, which must outlive the pool. */
void pipe_job_queue(struct pipe_config *cfg, struct job_queue *out);

/* Test faults (--test-faults): the next `times` runs of stage fail as an unexpected error.
 * Returns 0, or -1 for an unknown stage name. */
int pipe_fault_set(const char *stage, int times);

/* The stage names, NULL-terminated: ingest, draft, qa, publish, addon. */
extern const char *const pipe_stages[];

#endif
