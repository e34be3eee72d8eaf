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

struct pipe_config {
    struct blob_store *blobs;
    int64_t stage_ms;          /* each stage lasts at least this long (--stage-seconds) */
    int qa_manual;             /* --qa manual: work orders wait in pending_qa for an operator */
    const char *public_url;    /* for the URLs in the ready event */
};

/* The pipeline's job types (handlers bound to cfg through jobs_config.user = cfg). */
const struct job_type *pipe_job_types(size_t *n);

/* Test faults (--test-faults): the next `times` runs of stage fail as an unexpected error.
 * Returns 0, or -1 for an unknown stage name. */
int pipe_fault_set(const char *stage, int times);

/* The stage names, NULL-terminated: ingest, draft, qa, publish, addon. */
extern const char *const pipe_stages[];

#endif
