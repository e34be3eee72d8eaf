/* webhook_delivery.h — the store side of the webhook delivery engine: a delivery as an attempt
 * needs it (with its event's exact body), recording an attempt and its effect on the delivery in
 * the caller's transaction, disabled URLs, resend, and the installation's signing secrets. The
 * events and deliveries are created by webhook_events.h. */
#ifndef GP_STORE_WEBHOOK_DELIVERY_H
#define GP_STORE_WEBHOOK_DELIVERY_H

#include "store/store.h"
#include "store/webhook_events.h"

/* One attempt and the delivery's state after it. */
struct webhook_attempt_rec {
    const char *delivery_id;
    int64_t expected_attempts; /* the delivery's attempts when it was loaded (the fence) */
    const char *status;        /* the delivery's new status */
    int64_t at;                /* when the attempt started */
    int64_t settled_at;        /* when it ended: the delivery's updated_at */
    const char *url;
    int http_status;         /* 0: no response */
    const char *error_class; /* NULL on 2xx */
    const char *error;       /* NULL on 2xx */
    int64_t latency_ms;
    const char *response_body; /* NULL when none; valid UTF-8 */
    int64_t next_attempt_at;   /* 0: none */
};

/* The delivery id with its event's body; RC_NOTFOUND when there is none. */
enum rc store_webhook_delivery_load(struct store *s, const char *id, struct arena *a,
                                    struct webhook_delivery_row *out, struct err *e);

/* Inside the caller's write transaction: attempt number expected_attempts+1 is inserted and the
 * delivery updated (attempts and tries +1, status, next attempt, last status and error).
 * RC_PRECONDITION when the delivery is no longer pending with expected_attempts attempts (another
 * worker recorded that attempt first). */
enum rc store_webhook_attempt_record(struct store *s, const struct webhook_attempt_rec *r,
                                     struct err *e);

/* Settles a pending delivery that had expected_attempts attempts as dropped with reason, without
 * an attempt (its URL is disabled); RC_PRECONDITION like store_webhook_attempt_record. */
enum rc store_webhook_delivery_drop(struct store *s, const char *id, int64_t expected_attempts,
                                    const char *reason, int64_t now, struct err *e);

/* Marks a delivery that is still pending failed with reason (its job was buried after store
 * failures), so no delivery stays pending with nothing queued to send it; a no-op otherwise. */
enum rc store_webhook_delivery_give_up(struct store *s, const char *id, const char *reason,
                                       int64_t now, struct err *e);

/* Moves the queued jobs of queue that are due at now and attempt a pending delivery to url to
 * run_at instead (a URL at its in-flight cap: its backlog steps aside for the other URLs);
 * *moved counts them. */
enum rc store_webhook_postpone_url(struct store *s, const char *queue, const char *url, int64_t now,
                                   int64_t run_at, int64_t *moved, struct err *e);

/* Disables url for iguide_id (idempotent). */
enum rc store_webhook_disable(struct store *s, const char *iguide_id, const char *url,
                              const char *reason, int64_t now, struct err *e);

/* Makes the delivery pending again with its tries counted from 0 and due at now; its event id
 * (event_id, ID_MAX) and attempts so far come back. RC_NOTFOUND when there is no such delivery. */
enum rc store_webhook_delivery_resend(struct store *s, const char *id, int64_t now,
                                      char event_id[ID_MAX], int64_t *attempts, struct err *e);

/* The signing secrets: the current one first, then those retired after retired_since, newest
 * first; at most max. */
enum rc store_webhook_secrets(struct store *s, int64_t retired_since, int max, struct arena *a,
                              const char ***secrets, size_t *n, struct err *e);

/* Adds secret as the current one unless there is one (then *added is 0; race-safe: at most one
 * current secret exists). */
enum rc store_webhook_secret_add(struct store *s, const char *secret, int64_t now, int *added,
                                 struct err *e);

/* Retires the current secret at now (none: a no-op). */
enum rc store_webhook_secret_retire(struct store *s, int64_t now, struct err *e);

#endif
