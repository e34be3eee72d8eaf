/* deliver.c — see deliver.h. */
#include "webhooks/deliver.h"

#include "core/clock.h"
#include "core/crypto.h"
#include "core/log.h"
#include "store/webhook_delivery.h"
#include "webhooks/inflight.h"
#include "webhooks/post.h"
#include "webhooks/secret.h"
#include "webhooks/sign.h"
#include "webhooks/webhooks.h"

#include <stdio.h>
#include <string.h>

/* A job that finds its URL at the cap waits this long for a slot (a fast receiver frees one in
 * milliseconds, so a busy URL is not churned through the queue), then is put back for later. */
#define CAP_WAIT_MS 100
#define CAP_RETRY_MIN_MS 1000
#define CAP_RETRY_SPAN_MS 500
/* A job due this much before its delivery's next attempt is an old schedule's (stale). */
#define STALE_SLACK_MS 1000
/* Jobs that fail on the store's side (not the receiver's) are retried this many times. */
#define JOB_MAX_ATTEMPTS 20

static const char *verdict_status(enum webhook_verdict_kind k)
{
    switch (k) {
    case WEBHOOK_DELIVERED:
        return "delivered";
    case WEBHOOK_RETRY:
        return "pending";
    case WEBHOOK_FAILED:
        return "failed";
    case WEBHOOK_DROPPED:
    case WEBHOOK_DISABLED:
        return "dropped";
    }
    return "failed";
}

/* Commits the open transaction after completing the job in it; a lost lease rolls back (the
 * new holder runs the attempt again). Returns RC_OK in both cases: nothing is left to retry. */
static enum rc finish(struct job_ctx *c, int scheduled, struct err *e)
{
    enum rc rc = job_complete_in_tx(c, e);
    if (rc == RC_PRECONDITION) {
        store_rollback(c->s);
        log_warn("webhook job %s: lease lost, its attempt is left to the new holder", c->job->id);
        return RC_OK;
    }
    if (rc == RC_OK)
        rc = store_commit(c->s, e);
    if (rc != RC_OK) {
        store_rollback(c->s);
        return rc;
    }
    if (scheduled)
        jobs_notify();
    return RC_OK;
}

/* The URL is disabled (410 under the standard policy): settled as dropped without a request. */
static enum rc drop_disabled(struct job_ctx *c, const struct webhook_delivery_row *d, int64_t now,
                             struct err *e)
{
    enum rc rc = store_begin(c->s, 1, e);
    if (rc == RC_OK)
        rc = store_webhook_delivery_drop(c->s, d->id, d->attempts,
                                         "disabled: the URL answered 410 Gone", now, e);
    if (rc == RC_PRECONDITION) {
        store_rollback(c->s);
        return RC_OK;
    }
    return rc == RC_OK ? finish(c, 0, e) : rc;
}

/* The URL is at its cap: the same attempt is queued again a little later (not counted as a try)
 * and this job completes; the URL's other due jobs step aside with it, so its backlog, which
 * would be claimed first, does not hold up the other URLs' deliveries. The key names this job,
 * so a rerun of it queues nothing more. */
static enum rc defer(struct job_ctx *c, const struct webhook_delivery_row *d, int64_t now,
                     struct err *e)
{
    uint32_t r = 0;
    crypto_random(&r, sizeof r);
    int64_t at = now + CAP_RETRY_MIN_MS + (int64_t)(r % (CAP_RETRY_SPAN_MS + 1));
    char key[ID_MAX * 2 + 48], job[ID_MAX];
    snprintf(key, sizeof key, "%s/%lld/after-%s", d->id, (long long)d->attempts, c->job->id);
    int64_t enq, moved = 0;
    int created;
    enum rc rc = store_begin(c->s, 1, e);
    if (rc == RC_OK)
        rc = store_job_enqueue(c->s, WEBHOOK_QUEUE, WEBHOOK_JOB, d->id, key, at, job, &enq,
                               &created, e);
    if (rc == RC_OK)
        rc = store_webhook_postpone_url(c->s, WEBHOOK_QUEUE, d->url, now, at, &moved, e);
    if (rc != RC_OK) {
        store_rollback(c->s);
        return rc;
    }
    log_debug("webhook %s: %s is at its in-flight cap; %lld attempt(s) put back", d->id, d->url,
              (long long)moved + 1);
    return finish(c, 0, e);
}

/* Records the attempt (started then, settled now), the delivery's new state and what follows,
 * in one transaction. */
static enum rc record(struct job_ctx *c, const struct webhook_delivery_row *d,
                      const struct webhook_response *res, const struct webhook_verdict *v,
                      int64_t started, int64_t now, struct err *e)
{
    struct webhook_attempt_rec r = {
        .delivery_id = d->id,
        .expected_attempts = d->attempts,
        .status = verdict_status(v->kind),
        .at = started,
        .settled_at = now,
        .url = d->url,
        .http_status = res->outcome.fault == WEBHOOK_RESPONSE ? res->outcome.http_status : 0,
        .error_class = webhook_error_class(&res->outcome),
        .error = res->error[0] ? res->error : NULL,
        .latency_ms = res->latency_ms,
        .response_body = res->has_body ? res->body : NULL,
        .next_attempt_at = v->kind == WEBHOOK_RETRY ? v->next_at : 0,
    };
    enum rc rc = store_begin(c->s, 1, e);
    if (rc == RC_OK)
        rc = store_webhook_attempt_record(c->s, &r, e);
    if (rc == RC_PRECONDITION) { /* another worker recorded this attempt first */
        store_rollback(c->s);
        return RC_OK;
    }
    if (rc == RC_OK && v->kind == WEBHOOK_RETRY)
        rc = webhook_schedule(c->s, d->id, d->attempts + 1, v->next_at, e);
    if (rc == RC_OK && v->kind == WEBHOOK_DISABLED && d->iguide_id)
        rc = store_webhook_disable(c->s, d->iguide_id, d->url, "410 Gone", now, e);
    if (rc != RC_OK) {
        store_rollback(c->s);
        return rc;
    }
    return finish(c, v->kind == WEBHOOK_RETRY, e);
}

/* Signs and sends the attempt (the URL's slot is held). */
static enum rc attempt(struct job_ctx *c, const struct webhook_config *cfg,
                       const struct webhook_delivery_row *d, struct webhook_response *res,
                       struct err *e)
{
    const char **secrets;
    size_t n;
    enum rc rc = webhook_secret_signing(c->s, clock_now_ms(), c->a, &secrets, &n, e);
    if (rc != RC_OK)
        return rc;
    /* Receivers compare the timestamp with their own clock: the real one, never the test clock. */
    int64_t ts = clock_wall_ms() / 1000;
    char sig[WEBHOOK_SIG_HEADER_LEN];
    rc = webhook_sign_header(secrets, n, d->event_id, ts, d->body, d->body_len, sig, sizeof sig, e);
    if (rc != RC_OK)
        return rc;
    struct webhook_request rq = {.url = d->url,
                                 .msg_id = d->event_id,
                                 .timestamp = ts,
                                 .signature = sig,
                                 .body = d->body,
                                 .body_len = d->body_len,
                                 .timeout_s = cfg->timeout_s,
                                 .allow_private = cfg->allow_private};
    return webhook_post(&rq, res, e);
}

static enum rc deliver(struct job_ctx *c, struct err *e)
{
    const struct webhook_config *cfg = c->ctx;
    const char *id = c->job->payload;
    if (!id || !id_valid(ID_DELIVERY, id)) {
        log_warn("webhook job %s: payload is not a delivery id", c->job->id);
        return RC_OK;
    }
    struct webhook_delivery_row d;
    enum rc rc = store_webhook_delivery_load(c->s, id, c->a, &d, e);
    if (rc == RC_NOTFOUND) /* pruned with its event */
        return RC_OK;
    if (rc != RC_OK)
        return rc;
    int64_t now = clock_now_ms();
    /* Settled, or this job belongs to a schedule a later one replaced (a resend, a retry). */
    if (strcmp(d.status, "pending") != 0 || d.next_attempt_at > now + STALE_SLACK_MS)
        return RC_OK;
    if (d.disabled)
        return drop_disabled(c, &d, now, e);
    int slot = webhook_inflight_acquire(d.url, WEBHOOK_PER_URL_INFLIGHT, CAP_WAIT_MS);
    if (slot < 0)
        return defer(c, &d, clock_now_ms(), e);
    /* Static per thread would do too; the response is 12 KiB, too much for some thread stacks
     * next to curl's, so it lives in the job's arena (freed after the job). */
    struct webhook_response *res = arena_alloc(c->a, sizeof *res);
    int64_t started = clock_now_ms();
    rc = res ? attempt(c, cfg, &d, res, e) : err_set(e, RC_NOMEM, "out of memory");
    webhook_inflight_release(slot);
    if (rc != RC_OK)
        return rc;
    now = clock_now_ms();
    struct webhook_verdict v =
        webhook_retry_decide(cfg->policy, &res->outcome, (int)d.tries + 1, now);
    log_debug("webhook %s attempt %lld to %s: %s -> %s", d.id, (long long)d.attempts + 1, d.url,
              res->error[0] ? res->error : "ok", verdict_status(v.kind));
    return record(c, &d, res, &v, started, now, e);
}

/* A job buried after store failures: its delivery is marked failed (visible in the log, and
 * resendable) rather than left pending with nothing queued to send it. */
static void on_dead(struct job_ctx *c, const char *error)
{
    const char *id = c->job->payload ? c->job->payload : "?";
    log_error("webhook delivery %s: job %s gave up after store failures: %s", id, c->job->id,
              error ? error : "");
    struct err e = {0};
    char reason[300];
    snprintf(reason, sizeof reason, "gave up after store failures: %.250s", error ? error : "");
    if (c->job->payload &&
        store_webhook_delivery_give_up(c->s, id, reason, clock_now_ms(), &e) != RC_OK)
        log_error("webhook delivery %s: could not mark it failed: %s", id, e.msg);
}

void webhook_job_queue(struct webhook_config *cfg, struct job_queue *q)
{
    cfg->type = (struct job_type){.type = WEBHOOK_JOB,
                                  .fn = deliver,
                                  .on_dead = on_dead,
                                  .ctx = cfg,
                                  .max_attempts = JOB_MAX_ATTEMPTS,
                                  .backoff_base_ms = 1000,
                                  .backoff_cap_ms = 60000};
    *q = (struct job_queue){.name = WEBHOOK_QUEUE,
                            .threads = cfg->threads,
                            /* An attempt takes at most the timeout; the margin covers the store. */
                            .lease_ms = ((int64_t)cfg->timeout_s + 60) * 1000,
                            .types = &cfg->type,
                            .ntypes = 1};
}

void webhook_thread_release(void)
{
    webhook_post_thread_release();
}
