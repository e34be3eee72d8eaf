/* webhook_events.h — the webhook event log's side of the store (q_webhook_events.c): events and
 * their deliveries as emit writes them, the disabled-URL check, an iGUIDE's webhook list, reading
 * the log back (events, deliveries, attempts), the view.expired marker, attempt pruning and the
 * shared test clock row. The delivery engine's own queries (claim, record an attempt, secrets)
 * are in webhook_delivery.h. Times are Unix ms; 0 stands for SQL NULL in the optional ones. */
#ifndef GP_STORE_WEBHOOK_EVENTS_H
#define GP_STORE_WEBHOOK_EVENTS_H

#include "core/arena.h"
#include "core/ids.h"
#include "core/rc.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

struct whlog_event {
    int64_t seq;
    char id[ID_MAX];
    const char *type;
    const char *iguide_id, *work_order_id, *view_id; /* NULL when none */
    const char *body;                                /* NULL in listings */
    int64_t created_at;
};

/* A delivery: as the log lists it and as its next attempt reads it (store_webhook_delivery_load,
 * webhook_delivery.h, which alone fills body and disabled). */
struct webhook_delivery_row {
    char id[ID_MAX];
    char event_id[ID_MAX]; /* the webhook-id header */
    const char *iguide_id; /* NULL when no iGUIDE named the URL */
    const char *url;
    const char *status; /* pending, delivered, failed, dropped */
    int64_t attempts, tries;
    int64_t next_attempt_at; /* 0: none */
    int64_t last_status;     /* 0: no HTTP status came back */
    const char *last_error;
    int64_t created_at, updated_at;
    const char *body; /* the event's exact bytes (NULL in the log's listings) */
    size_t body_len;
    int disabled; /* (iguide_id, url) is in webhook_disabled */
};

struct whlog_attempt {
    int64_t n, at;
    const char *url;
    int64_t http_status; /* 0: none */
    const char *error_class, *error, *response_body;
    int64_t latency_ms;
    int64_t next_attempt_at; /* 0: none */
};

struct whlog_filter {
    const char *iguide_id, *type, *status; /* NULL: any */
    int64_t since;                         /* 0: any; else created_at >= since */
    int64_t before_seq;                    /* 0: from the newest; else seq < before_seq */
};

/* Inserts the event ev (its id drawn by the caller, since the body carries it) inside the
 * caller's transaction; RC_CONFLICT if the id is taken. */
enum rc store_webhook_event_insert(struct store *s, const struct whlog_event *ev, struct err *e);

/* Inserts a pending delivery of event_id to url (for iguide_id's list), due at now, drawing a
 * fresh whd_ id into id_out. */
enum rc store_webhook_delivery_add(struct store *s, const char *event_id, const char *iguide_id,
                                   const char *url, int64_t now, char id_out[ID_MAX],
                                   struct err *e);

/* *disabled = 1 when (iguide_id, url) answered 410 under the standard schedule. */
enum rc store_webhook_disabled_has(struct store *s, const char *iguide_id, const char *url,
                                   int *disabled, struct err *e);

/* Re-enables every URL of the iGUIDE (its webhook list was replaced). */
enum rc store_webhook_disabled_clear(struct store *s, const char *iguide_id, struct err *e);

/* The iGUIDE's webhook list as stored (JSON text, arena); RC_NOTFOUND when there is no iGUIDE. */
enum rc store_iguide_webhooks_get(struct store *s, const char *iguide_id, struct arena *a,
                                  const char **json, struct err *e);

/* Replaces the iGUIDE's webhook list (JSON text); RC_NOTFOUND when there is no iGUIDE. */
enum rc store_iguide_webhooks_set(struct store *s, const char *iguide_id, const char *json,
                                  int64_t now, struct err *e);

/* Up to limit events matching f, newest first (without their bodies). */
enum rc store_webhook_log_events(struct store *s, const struct whlog_filter *f, int limit,
                                 struct arena *a, struct whlog_event **rows, size_t *n,
                                 struct err *e);

/* One event with its body; RC_NOTFOUND "webhook event not found". */
enum rc store_webhook_log_event(struct store *s, const char *id, struct arena *a,
                                struct whlog_event *out, struct err *e);

/* The deliveries of an event in creation order. */
enum rc store_webhook_log_deliveries(struct store *s, const char *event_id, struct arena *a,
                                     struct webhook_delivery_row **rows, size_t *n, struct err *e);

/* The attempts of a delivery, first to last. */
enum rc store_webhook_log_attempts(struct store *s, const char *delivery_id, struct arena *a,
                                   struct whlog_attempt **rows, size_t *n, struct err *e);

/* The event id of a delivery (arena); RC_NOTFOUND "webhook delivery not found". */
enum rc store_webhook_log_event_of(struct store *s, const char *delivery_id, struct arena *a,
                                   const char **event_id, struct err *e);

struct expired_view {
    char id[ID_MAX], iguide_id[ID_MAX];
    int64_t expires_at;
};

/* Up to limit views with expires_at < locked_below whose view.expired has not been handled yet,
 * oldest expiry first. */
enum rc store_views_expired_pending(struct store *s, int64_t locked_below, int limit,
                                    struct arena *a, struct expired_view **rows, size_t *n,
                                    struct err *e);

/* Marks view.expired handled for the view (a compare-and-set on views.expired_event_at):
 * RC_PRECONDITION when another process did it first or the view is gone. */
enum rc store_view_expired_mark(struct store *s, const char *view_id, int64_t now, struct err *e);

/* Deletes the attempts made before `before`; *deleted (if non-NULL) gets how many. */
enum rc store_webhook_attempts_prune(struct store *s, int64_t before, int64_t *deleted,
                                     struct err *e);

struct test_clock_row {
    int64_t offset_ms;
    int frozen;
    int64_t frozen_at_ms;
    int64_t updated_at;
};

/* Writes the test clock row (one row, replaced). */
enum rc store_test_clock_put(struct store *s, const struct test_clock_row *t, struct err *e);

/* The test clock row; RC_NOTFOUND when no --test-clock node ever set it. */
enum rc store_test_clock_get(struct store *s, struct test_clock_row *out, struct err *e);

#endif
