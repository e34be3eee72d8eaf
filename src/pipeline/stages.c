/* stages.c — the pipeline's job handlers. Each stage does its work outside any transaction
 * (reading the TAR, measuring, rendering), then in one write transaction moves the work order's
 * status with a compare-and-set, enqueues the next stage and completes its own job, so a crash at
 * any point leaves either the old state with the job still queued, or the new state with the next
 * job queued. A job whose work order has moved on (cancelled, rejected by an operator, a newer
 * retry) finds the status or stage it expects gone and completes without effect.
 *
 * Pace: the job that ends a status is scheduled stage_ms after the status began, so each status
 * lasts at least --stage-seconds: ingest runs at once and schedules draft at its start + stage_ms;
 * draft ends pending_draft, qa ends pending_qa, publish ends pending_publish. */
#include "pipeline/pipeline.h"
#include "pipeline/wo_status.h"

#include "core/address.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/log.h"
#include "pipeline/addons.h"
#include "render/deliver.h"
#include "property/ingest.h"
#include "property/manifest.h"
#include "property/measure.h"
#include "pipeline/operator.h"
#include "store/store.h"
#include "webhooks/ready.h"

#include <jansson.h>
#include <pthread.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- test faults ---------------------------------------------------------------------------- */

#define NSTAGES 5
static pthread_mutex_t fault_mu = PTHREAD_MUTEX_INITIALIZER;
static int fault_left[NSTAGES];

static int stage_index(const char *stage)
{
    for (int i = 0; pipe_stages[i]; i++)
        if (strcmp(pipe_stages[i], stage) == 0)
            return i;
    return -1;
}

int pipe_fault_set(const char *stage, int times)
{
    int i = stage ? stage_index(stage) : -1;
    if (i < 0 || i >= NSTAGES)
        return -1;
    pthread_mutex_lock(&fault_mu);
    fault_left[i] = times < 0 ? 0 : times;
    pthread_mutex_unlock(&fault_mu);
    return 0;
}

/* 1 when this run of stage is to fail (and counts it down). */
static int fault_take(const char *stage)
{
    int i = stage_index(stage), hit = 0;
    if (i < 0 || i >= NSTAGES)
        return 0;
    pthread_mutex_lock(&fault_mu);
    if (fault_left[i] > 0) {
        fault_left[i]--;
        hit = 1;
    }
    pthread_mutex_unlock(&fault_mu);
    return hit;
}

/* ---- the job's work order ------------------------------------------------------------------- */

struct sctx {
    struct job_ctx *c;
    const struct pipe_config *cfg;
    const char *stage;
    const char *ig, *wo, *gen;
    struct workorder_row w;
    struct iguide_row g;
    struct manifest_row mr;       /* with load_measured: the manifest drawn from, measured */
    struct manifest m;
    struct measurements ms;
};

/* Reads the payload and the work order. *skip = 1 when the job no longer applies: the work order
 * is gone, or is not in the status and stage this job was enqueued for. */
static enum rc load_job(struct job_ctx *c, const char *stage, struct sctx *x, int *skip,
                        struct err *e)
{
    memset(x, 0, sizeof *x);
    x->c = c;
    x->cfg = c->ctx;
    x->stage = stage;
    *skip = 0;
    json_error_t je;
    json_t *p = json_loads(c->job->payload, 0, &je);
    const char *ig = p ? json_string_value(json_object_get(p, "iguideId")) : NULL;
    const char *wo = p ? json_string_value(json_object_get(p, "workOrderId")) : NULL;
    const char *gen = p ? json_string_value(json_object_get(p, "generation")) : NULL;
    if (!ig || !wo || !gen) {
        json_decref(p);
        return err_set(e, RC_INTERNAL, "job %s has a malformed payload", c->job->id);
    }
    x->ig = arena_strdup(c->a, ig);
    x->wo = arena_strdup(c->a, wo);
    x->gen = arena_strdup(c->a, gen);
    json_decref(p);
    if (!x->ig || !x->wo || !x->gen)
        return err_set(e, RC_NOMEM, "out of memory");
    enum rc rc = store_workorder_by_id(c->s, x->wo, c->a, &x->w, e);
    if (rc == RC_NOTFOUND) {
        *skip = 1;
        return RC_OK;
    }
    if (rc != RC_OK)
        return rc;
    const char *want = pipe_stage_status(stage);
    if (!want || strcmp(x->w.status, want) != 0 || !x->w.stage || strcmp(x->w.stage, stage) != 0) {
        log_debug("pipeline: %s job %s for work order %s skipped: it is %s (stage %s)", stage,
                  c->job->id, x->wo, x->w.status, x->w.stage ? x->w.stage : "none");
        *skip = 1;
        return RC_OK;
    }
    rc = store_iguide_get(c->s, x->ig, c->a, &x->g, e);
    if (rc == RC_NOTFOUND) {
        *skip = 1;
        return RC_OK;
    }
    return rc;
}

/* load_job, then a test fault (--test-faults) when one is armed for this stage. */
static enum rc load(struct job_ctx *c, const char *stage, struct sctx *x, int *skip, struct err *e)
{
    enum rc rc = load_job(c, stage, x, skip, e);
    if (rc == RC_OK && !*skip && fault_take(stage))
        return err_set(e, RC_INTERNAL, "test fault injected into the %s stage", stage);
    return rc;
}

static enum rc tx_begin(struct sctx *x, struct err *e)
{
    return store_begin(x->c->s, 1, e);
}

/* Completes the job and commits when rc is RC_OK, else rolls back. A compare-and-set that lost
 * (the work order changed meanwhile, e.g. an operator cancelled it) is not a failure: the job
 * completes without effect. */
static enum rc tx_end(struct sctx *x, enum rc rc, struct err *e)
{
    if (rc == RC_OK)
        rc = job_complete_in_tx(x->c, e);
    if (rc == RC_OK)
        rc = store_commit(x->c->s, e);
    if (rc == RC_OK) {
        jobs_notify();
        return RC_OK;
    }
    store_rollback(x->c->s);
    if (rc == RC_PRECONDITION) {
        log_info("pipeline: %s for work order %s: %s; nothing changed", x->stage, x->wo, e->msg);
        return RC_OK;
    }
    return rc;
}

static enum rc move(struct sctx *x, enum wo_status to, const char *rejection, struct err *e)
{
    return wo_move(x->c->s, x->wo, x->w.status, to, rejection, NULL, clock_now_ms(), e);
}

static enum rc next(struct sctx *x, const char *stage, int64_t run_at, struct err *e)
{
    return pipe_enqueue_stage(x->c->s, stage, x->ig, x->wo, x->gen, run_at, NULL, NULL, e);
}

/* Ends the stage by rejecting the work order with reason (bad data). */
static enum rc reject(struct sctx *x, const char *reason, struct err *e)
{
    log_info("pipeline: work order %s rejected in %s: %s", x->wo, x->stage, reason);
    enum rc rc = tx_begin(x, e);
    if (rc != RC_OK)
        return rc;
    return tx_end(x, move(x, WO_REJECTED, reason, e), e);
}

/* ---- reading stored files ------------------------------------------------------------------- */

/* The manifest the work order is drawn from: its own for the initial work order, the initial
 * work order's for an additional one. */
static enum rc load_manifest(struct sctx *x, struct manifest_row *row, struct manifest *m,
                             struct err *e)
{
    enum rc rc = x->w.is_initial ? store_manifest_get(x->c->s, x->wo, x->c->a, row, e)
                                 : store_manifest_for_iguide(x->c->s, x->ig, x->c->a, row, e);
    if (rc == RC_NOTFOUND)
        return err_set(e, RC_INTERNAL, "no validated manifest for work order %s", x->wo);
    if (rc != RC_OK)
        return rc;
    char *json = NULL;
    size_t n = 0;
    if ((rc = blob_read_all(x->cfg->blobs, row->blob_name, MANIFEST_MAX_BYTES, x->c->a, &json, &n,
                            e)) != RC_OK)
        return rc;
    struct err pe = {0};
    if (manifest_parse(json, n, x->c->a, m, &pe) != RC_OK)
        return err_set(e, RC_INTERNAL, "the stored manifest %s no longer parses: %s",
                       row->blob_name, pe.msg);
    return RC_OK;
}

/* The measurement standard: the default view's measStd when set, else by country (§4.3). */
static enum meas_std std_for(struct sctx *x)
{
    struct view_row *views;
    size_t n;
    struct err e = {0};
    enum meas_std std = meas_std_default(x->g.addr.country);
    if (store_view_list(x->c->s, x->ig, x->c->a, &views, &n, &e) == RC_OK)
        for (size_t i = 0; i < n; i++)
            if (views[i].is_default && views[i].meas_std)
                meas_std_parse(views[i].meas_std, &std);
    return std;
}

static enum rc measure(struct sctx *x, const struct manifest *m, struct measurements *ms,
                       struct err *e)
{
    struct err me = {0};
    if (meas_compute(m, std_for(x), x->c->a, ms, &me) != RC_OK)
        return err_set(e, me.rc == RC_NOMEM ? RC_NOMEM : RC_INTERNAL, "measuring: %s", me.msg);
    return RC_OK;
}

/* load, then the manifest the work order is drawn from, parsed and measured into x. */
static enum rc load_measured(struct job_ctx *c, const char *stage, struct sctx *x, int *skip,
                             struct err *e)
{
    enum rc rc = load(c, stage, x, skip, e);
    if (rc != RC_OK || *skip)
        return rc;
    if ((rc = load_manifest(x, &x->mr, &x->m, e)) != RC_OK)
        return rc;
    return measure(x, &x->m, &x->ms, e);
}

/* The Stitch Data this work order's processing reads: the permit /process was called for (the
 * job's generation), or for a retry the newest processed one. */
static enum rc stitch_object(struct sctx *x, const char *stitch_id, struct stitch_row *st,
                             struct object_row *obj, struct err *e)
{
    enum rc rc = stitch_id ? store_stitch_get(x->c->s, stitch_id, x->c->a, st, e) : RC_NOTFOUND;
    if (rc == RC_OK && strcmp(st->work_order_id, x->wo) != 0)
        rc = RC_NOTFOUND;
    if (rc == RC_NOTFOUND)
        rc = store_stitch_processed_for_wo(x->c->s, x->wo, x->c->a, st, e);
    if (rc != RC_OK)
        return rc;
    return store_object_get(x->c->s, st->bucket, st->object_key, x->c->a, obj, e);
}

/* ---- ingest --------------------------------------------------------------------------------- */

static enum rc write_blob(struct blob_store *b, const char *name, const void *p, size_t n,
                          struct err *e)
{
    struct blob_writer *w;
    enum rc rc = blob_writer_open(b, &w, e);
    if (rc != RC_OK)
        return rc;
    if ((rc = blob_write(w, p, n, e)) != RC_OK) {
        blob_abort(w);
        return rc;
    }
    return blob_commit(w, name, e);
}

static enum rc st_ingest(struct job_ctx *c, struct err *e)
{
    struct sctx x;
    int skip;
    enum rc rc = load(c, "ingest", &x, &skip, e);
    if (rc != RC_OK || skip)
        return rc;
    struct stitch_row st;
    struct object_row obj;
    rc = stitch_object(&x, x.gen, &st, &obj, e);
    if (rc == RC_NOTFOUND)
        return reject(&x, "the uploaded Stitch Data is missing: upload it again", e);
    if (rc != RC_OK)
        return rc;
    int fd = blob_open_read(x.cfg->blobs, obj.blob_name, e);
    if (fd < 0)
        return e->rc == RC_NOTFOUND ? reject(&x, "the uploaded Stitch Data is missing: upload it "
                                                 "again", e)
                                    : e->rc;
    struct ingest_limits lim = ingest_default_limits();
    struct ingest_result res;
    struct err ie = {0};
    rc = ingest_read(fd, (uint64_t)obj.size, &lim, c->a, NULL, NULL, &res, &ie);
    close(fd);
    if (rc == RC_INVALID)
        return reject(&x, ie.msg, e);
    if (rc != RC_OK)
        return err_set(e, rc, "%s", ie.msg);
    const char *name = arena_printf(c->a, "iguides/%s/work/%s/manifest.json", x.ig, x.wo);
    if (!name)
        return err_set(e, RC_NOMEM, "out of memory");
    if ((rc = write_blob(x.cfg->blobs, name, res.manifest_json, res.manifest_len, e)) != RC_OK)
        return rc;
    struct manifest_row mr = {.blob_name = name, .created_at = clock_now_ms()};
    snprintf(mr.work_order_id, sizeof mr.work_order_id, "%s", x.wo);
    snprintf(mr.iguide_id, sizeof mr.iguide_id, "%s", x.ig);
    snprintf(mr.stitch_id, sizeof mr.stitch_id, "%s", st.id);
    log_info("pipeline: work order %s: Stitch Data %s is valid (%zu building(s), %zu panorama(s))",
             x.wo, st.id, res.manifest.nbuildings, res.npanos);
    if ((rc = tx_begin(&x, e)) != RC_OK)
        return rc;
    rc = store_manifest_put(c->s, &mr, e);
    if (rc == RC_OK)
        rc = next(&x, "draft", c->job->created_at + x.cfg->stage_ms, e);
    return tx_end(&x, rc, e);
}

/* ---- draft ---------------------------------------------------------------------------------- */

static enum rc st_draft(struct job_ctx *c, struct err *e)
{
    struct sctx x;
    int skip;
    enum rc rc = load_measured(c, "draft", &x, &skip, e);
    if (rc != RC_OK || skip)
        return rc;
    json_t *sum = meas_summary_json(&x.ms);
    size_t n = 0;
    char *text = sum ? meas_json_dump(sum, &n) : NULL;
    json_decref(sum);
    if (!text)
        return err_set(e, RC_NOMEM, "out of memory");
    if ((rc = tx_begin(&x, e)) == RC_OK) {
        rc = store_manifest_set_summary(c->s, x.wo, text, e);
        if (rc == RC_OK)
            rc = move(&x, WO_PENDING_QA, NULL, e);
        if (rc == RC_OK)
            rc = next(&x, "qa", clock_now_ms() + x.cfg->stage_ms, e);
        rc = tx_end(&x, rc, e);
    }
    free(text);
    return rc;
}

/* An additional work order's drafting: the initial work order's manifest is what it is drawn
 * from, so it only has to exist. */
static enum rc st_addon(struct job_ctx *c, struct err *e)
{
    struct sctx x;
    int skip;
    enum rc rc = load(c, "addon", &x, &skip, e);
    if (rc != RC_OK || skip)
        return rc;
    if ((rc = load_manifest(&x, &x.mr, &x.m, e)) != RC_OK)
        return rc;
    if ((rc = tx_begin(&x, e)) != RC_OK)
        return rc;
    rc = move(&x, WO_PENDING_QA, NULL, e);
    if (rc == RC_OK)
        rc = next(&x, "qa", clock_now_ms() + x.cfg->stage_ms, e);
    return tx_end(&x, rc, e);
}

/* ---- qa ------------------------------------------------------------------------------------- */

/* Automatic checks on the measured plan; NULL when it passes, else the reason (arena). */
static const char *qa_problem(struct arena *a, const struct measurements *ms)
{
    for (size_t b = 0; b < ms->nbuildings; b++)
        for (size_t l = 0; l < ms->buildings[b].nlevels; l++) {
            const struct meas_level *lv = &ms->buildings[b].levels[l];
            if (lv->nrooms == 0)
                return arena_printf(a, "QA: level %s has no rooms", lv->src->id);
            /* Rooms lie inside the outline (the manifest guarantees it), so rooms covering more
             * than the outline can only overlap each other. */
            if (lv->int_area > lv->ext_area * 1.001 + 1e4)
                return arena_printf(a, "QA: the rooms of level %s overlap (%.1f m² of rooms in a "
                                       "%.1f m² outline)",
                                    lv->src->id, meas_mm2_to_m2(lv->int_area),
                                    meas_mm2_to_m2(lv->ext_area));
        }
    return NULL;
}

static enum rc st_qa(struct job_ctx *c, struct err *e)
{
    struct sctx x;
    int skip;
    enum rc rc = load_measured(c, "qa", &x, &skip, e);
    if (rc != RC_OK || skip)
        return rc;
    const char *problem = x.w.is_initial ? qa_problem(c->a, &x.ms) : NULL;
    if (problem)
        return reject(&x, problem, e);
    if (x.cfg->qa_manual && x.w.is_initial) {
        log_info("pipeline: work order %s passed the automatic checks and waits in pending_qa for "
                 "an operator (--qa manual)", x.wo);
        return RC_OK;
    }
    if ((rc = tx_begin(&x, e)) != RC_OK)
        return rc;
    rc = move(&x, WO_PENDING_PUBLISH, NULL, e);
    if (rc == RC_OK)
        rc = next(&x, "publish", clock_now_ms() + x.cfg->stage_ms, e);
    return tx_end(&x, rc, e);
}

/* ---- publish -------------------------------------------------------------------------------- */

struct outlist {
    struct sctx *x;
    const struct manifest *m;
    struct deliverable_row *rows;
    size_t n, cap;
};

/* Stores one rendered deliverable under a name unique to this job, so a deliverable being read
 * is never replaced in place; the rows go in with the status change. */
static enum rc emit(void *user, const char *name, const char *format, const char *ctype,
                    const void *bytes, size_t n, struct err *e)
{
    struct outlist *o = user;
    struct sctx *x = o->x;
    struct arena *a = x->c->a;
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->rows[i].name, name) == 0)
            return err_set(e, RC_INTERNAL, "deliverable %s rendered twice", name);
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 32;
        struct deliverable_row *r = arena_alloc(a, cap * sizeof *r);
        if (!r)
            return err_set(e, RC_NOMEM, "out of memory");
        if (o->n)
            memcpy(r, o->rows, o->n * sizeof *r);
        o->rows = r;
        o->cap = cap;
    }
    const char *blob = arena_printf(a, "iguides/%s/deliverables/%s/%s", x->ig, x->c->job->id, name);
    if (!blob)
        return err_set(e, RC_NOMEM, "out of memory");
    if (!blob_name_valid(blob))
        return err_set(e, RC_INTERNAL, "deliverable name %s is not storable", name);
    enum rc rc = write_blob(x->cfg->blobs, blob, bytes, n, e);
    if (rc != RC_OK)
        return rc;
    unsigned char sum[32];
    char hex[65];
    crypto_sha256(bytes, n, sum);
    crypto_hex(sum, sizeof sum, hex);
    struct deliverable_row *d = &o->rows[o->n];
    memset(d, 0, sizeof *d);
    snprintf(d->iguide_id, sizeof d->iguide_id, "%s", x->ig);
    d->name = arena_strdup(a, name);
    d->work_order_id = x->wo;
    d->format = arena_strdup(a, format);
    d->content_type = arena_strdup(a, ctype);
    d->sha256 = arena_strdup(a, hex);
    d->blob_name = blob;
    d->size = (int64_t)n;
    d->created_at = clock_now_ms();
    if (!d->name || !d->format || !d->content_type || !d->sha256)
        return err_set(e, RC_NOMEM, "out of memory");
    o->n++;
    return RC_OK;
}

/* A panorama of the TAR, re-read at publish: its preview, named after the panorama's id. */
static enum rc on_pano(void *user, const char *file, const unsigned char *jpeg, size_t n,
                       struct err *e)
{
    struct outlist *o = user;
    for (size_t b = 0; b < o->m->nbuildings; b++)
        for (size_t l = 0; l < o->m->buildings[b].nlevels; l++) {
            const struct mf_level *lv = &o->m->buildings[b].levels[l];
            for (size_t p = 0; p < lv->npanos; p++)
                if (strcmp(lv->panos[p].file, file) == 0)
                    return deliver_pano_preview(lv->panos[p].id, jpeg, n, emit, o, e);
        }
    return RC_OK;
}

static enum rc previews(struct sctx *x, const struct manifest_row *mr, struct outlist *o,
                        struct err *e)
{
    struct stitch_row st;
    struct object_row obj;
    enum rc rc = stitch_object(x, mr->stitch_id, &st, &obj, e);
    if (rc != RC_OK)
        return rc == RC_NOTFOUND ? err_set(e, RC_INTERNAL, "the Stitch Data of work order %s is "
                                                           "gone", x->wo)
                                 : rc;
    int fd = blob_open_read(x->cfg->blobs, obj.blob_name, e);
    if (fd < 0)
        return e->rc;
    struct ingest_limits lim = ingest_default_limits();
    struct ingest_result res;
    struct err ie = {0};
    rc = ingest_read(fd, (uint64_t)obj.size, &lim, x->c->a, on_pano, o, &res, &ie);
    close(fd);
    if (rc != RC_OK)
        return err_set(e, rc == RC_INVALID ? RC_INTERNAL : rc, "re-reading the Stitch Data: %s",
                       ie.msg);
    return RC_OK;
}

/* The deliverables' title: the fullAddress, as the API shows it. */
static const char *title_of(struct arena *a, const struct address *ad)
{
    char full[ADDRESS_FULL_MAX];
    address_format(ad, full, sizeof full);
    return arena_strdup(a, full);
}

/* The initial work order is done: the additional work orders that waited for it start drafting,
 * each by wo_move (checked, compare-and-set, reported) in the transaction that publishes. */
static enum rc after_initial(struct sctx *x, struct err *e)
{
    struct workorder_row *rows;
    size_t n;
    int64_t now = clock_now_ms();
    enum rc rc = store_workorder_list(x->c->s, x->ig, x->c->a, &rows, &n, e);
    for (size_t i = 0; rc == RC_OK && i < n; i++) {
        if (rows[i].is_initial || strcmp(rows[i].status, wo_status_name(WO_ON_HOLD)) != 0)
            continue;
        rc = wo_move(x->c->s, rows[i].id, rows[i].status, WO_PENDING_DRAFT, NULL, NULL, now, e);
        if (rc == RC_OK)
            rc = pipe_enqueue_stage(x->c->s, "addon", x->ig, rows[i].id, "released",
                                    now + x->cfg->stage_ms, NULL, NULL, e);
    }
    return rc;
}

/* Published (the initial work order or an add-on reached done): the ready event, with a fresh
 * view access token, in the transaction that publishes. */
static enum rc announce_ready(struct sctx *x, struct err *e)
{
    struct webhook_emitted out;
    enum rc rc = webhook_emit_ready(x->c->s, x->ig, x->wo, x->cfg->public_url, NULL, clock_now_ms(),
                                    x->c->a, &out, e);
    if (rc == RC_OK)
        log_info("pipeline: work order %s published: ready event %s, %zu delivery(ies)", x->wo,
                 out.event_id, out.n);
    return rc;
}

static enum rc st_publish(struct job_ctx *c, struct err *e)
{
    struct sctx x;
    int skip;
    enum rc rc = load_measured(c, "publish", &x, &skip, e);
    if (rc != RC_OK || skip)
        return rc;
    struct deliver_info info = {.title = title_of(c->a, &x.g.addr), .iguide_id = x.ig};
    struct outlist o = {.x = &x, .m = &x.m};
    struct err de = {0};
    if (x.w.is_initial) {
        rc = deliver_plans(&x.m, &x.ms, &info, emit, &o, &de);
        if (rc == RC_OK)
            rc = previews(&x, &x.mr, &o, &de);
    } else {
        rc = deliver_addon(x.w.task_type, &x.m, &x.ms, &info, emit, &o, &de);
    }
    if (rc != RC_OK)
        return err_set(e, rc, "rendering: %s", de.msg);
    const char **old = arena_alloc(c->a, (o.n + 1) * sizeof *old);
    if (!old)
        return err_set(e, RC_NOMEM, "out of memory");
    size_t nold = 0;
    if ((rc = tx_begin(&x, e)) != RC_OK)
        return rc;
    for (size_t i = 0; rc == RC_OK && i < o.n; i++) {
        const char *prev = NULL;
        rc = store_deliverable_put(c->s, &o.rows[i], c->a, &prev, e);
        if (rc == RC_OK && prev && strcmp(prev, o.rows[i].blob_name) != 0)
            old[nold++] = prev;
    }
    if (rc == RC_OK)
        rc = move(&x, WO_DONE, NULL, e);
    const char *target = x.w.task_type ? addon_upgrade_target(x.w.task_type) : NULL;
    if (rc == RC_OK && target)
        rc = store_iguide_set_type(c->s, x.ig, target, clock_now_ms(), e);
    if (rc == RC_OK && x.w.is_initial)
        rc = after_initial(&x, e);
    if (rc == RC_OK)
        rc = announce_ready(&x, e);
    int was_ok = rc == RC_OK;
    rc = tx_end(&x, rc, e);
    if (rc == RC_OK && was_ok) {
        struct err be = {0};
        for (size_t i = 0; i < nold; i++)
            if (blob_delete(x.cfg->blobs, old[i], &be) != RC_OK)
                log_warn("pipeline: could not remove the replaced deliverable %s: %s", old[i],
                         be.msg);
        log_info("pipeline: work order %s is done (%zu deliverable(s))", x.wo, o.n);
    }
    return rc;
}

/* ---- the last retry failed ------------------------------------------------------------------ */

/* Moves the work order to exception with the failure as its exceptionReason, unless it has
 * moved on meanwhile. */
static void st_dead(struct job_ctx *c, const char *error)
{
    struct sctx x;
    int skip;
    struct err e = {0};
    const char *stage = c->job->type;
    if (load_job(c, stage, &x, &skip, &e) != RC_OK || skip)
        return;
    const char *reason = arena_printf(c->a, "the %s stage failed after %d attempt(s): %s", stage,
                                      c->job->attempts, error ? error : "unknown error");
    if (store_begin(c->s, 1, &e) != RC_OK)
        return;
    if (wo_move(c->s, x.wo, x.w.status, WO_EXCEPTION, NULL, reason ? reason : "processing failed",
                clock_now_ms(), &e) != RC_OK ||
        store_commit(c->s, &e) != RC_OK) {
        store_rollback(c->s);
        log_warn("pipeline: could not put work order %s into exception: %s", x.wo, e.msg);
        return;
    }
    jobs_notify();
    log_error("pipeline: work order %s is in exception: %s", x.wo, reason ? reason : "");
}

static const struct {
    const char *type;
    job_fn fn;
} stage_fns[PIPE_NTYPES] = {
    {"ingest", st_ingest}, {"draft", st_draft},   {"qa", st_qa},
    {"publish", st_publish}, {"addon", st_addon},
};

void pipe_job_queue(struct pipe_config *cfg, struct job_queue *out)
{
    for (size_t i = 0; i < PIPE_NTYPES; i++)
        cfg->types[i] = (struct job_type){
            .type = stage_fns[i].type,
            .fn = stage_fns[i].fn,
            .on_dead = st_dead,
            .ctx = cfg,
            .max_attempts = PIPE_MAX_ATTEMPTS,
            .backoff_base_ms = cfg->retry_base_ms,
            /* The last of five attempts waits 8 × base: the cap only matters if they grow. */
            .backoff_cap_ms = cfg->retry_base_ms * 32,
        };
    *out = (struct job_queue){
        .name = PIPE_QUEUE,
        .threads = cfg->threads,
        .lease_ms = cfg->lease_ms,
        .types = cfg->types,
        .ntypes = PIPE_NTYPES,
    };
}
