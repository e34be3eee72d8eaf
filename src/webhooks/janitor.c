/* janitor.c — see janitor.h. The sweep job completes (and queues its successor) in its first
 * transaction, before the sweep proper: a failing sweep is logged and left to the next slot
 * rather than retried, so the chain of sweeps never breaks. */
#include "webhooks/janitor.h"

#include "core/clock.h"
#include "core/log.h"
#include "core/view_expiry.h"
#include "store/webhook_events.h"
#include "webhooks/emit.h"

#include <stdio.h>

#define BATCH 100
#define MAX_BATCHES 50 /* 5 000 views a sweep; the rest go to the next one */

/* Queues the sweep of time slot `slot`, due at run_at (idempotent per slot). */
static enum rc schedule(struct store *s, int64_t slot, int64_t run_at, struct err *e)
{
    char key[64], job[ID_MAX];
    snprintf(key, sizeof key, "%s/%lld", WH_JANITOR_QUEUE, (long long)slot);
    int64_t enqueued_at;
    int created;
    return store_job_enqueue(s, WH_JANITOR_QUEUE, WH_JANITOR_JOB, "", key, run_at, job,
                             &enqueued_at, &created, e);
}

enum rc webhook_janitor_kick(struct store *s, int64_t now, struct err *e)
{
    enum rc rc = store_begin(s, 1, e);
    if (rc != RC_OK)
        return rc;
    if ((rc = schedule(s, now / WH_JANITOR_PERIOD_MS, now, e)) == RC_OK &&
        (rc = store_commit(s, e)) == RC_OK) {
        jobs_notify();
        return RC_OK;
    }
    store_rollback(s);
    return rc;
}

/* Marks one view and records its event, in one transaction: 1 when this process marked it. */
static enum rc expire_one(struct store *s, const struct expired_view *v, int64_t now, int *marked,
                          int *recorded, struct arena *a, struct err *e)
{
    *marked = *recorded = 0;
    char at[32];
    json_t *f = json_pack("{s:s, s:s, s:s}", "iguideId", v->iguide_id, "viewId", v->id, "expiresAt",
                          clock_format(v->expires_at, 1, at));
    if (!f)
        return err_set(e, RC_NOMEM, "out of memory");
    struct webhook_event ev = {
        .type = WH_VIEW_EXPIRED, .iguide_id = v->iguide_id, .view_id = v->id, .fields = f};
    struct webhook_emitted out;
    enum rc rc = store_begin(s, 1, e);
    if (rc == RC_OK)
        rc = store_view_expired_mark(s, v->id, now, e);
    if (rc == RC_OK)
        rc = webhook_emit(s, &ev, NULL, now, a, &out, e);
    if (rc == RC_OK)
        rc = store_commit(s, e);
    json_decref(f);
    if (rc != RC_OK) {
        store_rollback(s);
        return rc == RC_PRECONDITION ? RC_OK : rc; /* another process was first */
    }
    *marked = 1;
    *recorded = out.event_id[0] != '\0';
    return RC_OK;
}

enum rc webhook_janitor_sweep(struct store *s, int64_t now, int64_t *expired, int64_t *events,
                              int64_t *pruned, struct err *e)
{
    int64_t nexp = 0, nev = 0, npr = 0;
    enum rc rc = RC_OK;
    struct arena *a = arena_new();
    if (!a)
        return err_set(e, RC_NOMEM, "out of memory");
    for (int b = 0; rc == RC_OK && b < MAX_BATCHES; b++) {
        struct expired_view *rows;
        size_t n = 0;
        if ((rc = store_views_expired_pending(s, view_locked_below(now), BATCH, a, &rows, &n, e)) !=
            RC_OK)
            break;
        for (size_t i = 0; rc == RC_OK && i < n; i++) {
            int marked, recorded;
            rc = expire_one(s, &rows[i], now, &marked, &recorded, a, e);
            nexp += marked;
            nev += recorded;
        }
        if (n < BATCH)
            break;
    }
    if (rc == RC_OK)
        rc = store_webhook_attempts_prune(s, now - WH_ATTEMPTS_KEEP_MS, &npr, e);
    arena_free(a);
    if (nev)
        jobs_notify();
    if (expired)
        *expired = nexp;
    if (events)
        *events = nev;
    if (pruned)
        *pruned = npr;
    return rc;
}

static enum rc sweep_job(struct job_ctx *c, struct err *e)
{
    int64_t now = clock_now_ms();
    enum rc rc = store_begin(c->s, 1, e);
    if (rc != RC_OK)
        return rc;
    int64_t slot = now / WH_JANITOR_PERIOD_MS + 1;
    if ((rc = schedule(c->s, slot, slot * WH_JANITOR_PERIOD_MS, e)) != RC_OK ||
        (rc = job_complete_in_tx(c, e)) != RC_OK || (rc = store_commit(c->s, e)) != RC_OK) {
        store_rollback(c->s);
        return rc;
    }
    jobs_notify();
    int64_t nexp, nev, npr;
    struct err se = {0};
    if (webhook_janitor_sweep(c->s, now, &nexp, &nev, &npr, &se) != RC_OK)
        log_warn("webhook janitor: the sweep stopped early: %s", se.msg);
    else if (nexp || npr)
        log_info("webhook janitor: %lld view(s) expired (%lld view.expired event(s)), %lld old "
                 "attempt(s) deleted",
                 (long long)nexp, (long long)nev, (long long)npr);
    return RC_OK;
}

static const struct job_type types[] = {
    {.type = WH_JANITOR_JOB,
     .fn = sweep_job,
     .max_attempts = 5,
     .backoff_base_ms = 5000,
     .backoff_cap_ms = WH_JANITOR_PERIOD_MS},
};

void webhook_janitor_queue(struct job_queue *out)
{
    *out = (struct job_queue){
        .name = WH_JANITOR_QUEUE,
        .threads = 1,
        .lease_ms = 5 * WH_JANITOR_PERIOD_MS,
        .types = types,
        .ntypes = sizeof types / sizeof types[0],
    };
}
