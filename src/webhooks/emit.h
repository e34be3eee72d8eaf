/* emit.h — writing a webhook event: run inside the write transaction that makes the change it
 * reports (the transactional outbox). The event gets its id, its body is serialised once (the
 * bytes every attempt sends), and each matching URL of the iGUIDE's webhook list gets a pending
 * delivery with its first attempt queued (webhooks.h). The caller calls jobs_notify() after it
 * commits. Matching: "*" and "ready" entries receive only ready; the Guidepost events go only to
 * entries that name them; a URL listed twice gets one delivery; a URL disabled by a 410 none.
 * A ready event is always recorded (it is the publication's record and can be re-dispatched);
 * a Guidepost event only when an entry of the list names its type. docs/webhooks.md. */
#ifndef GP_WEBHOOKS_EMIT_H
#define GP_WEBHOOKS_EMIT_H

#include "core/arena.h"
#include "core/ids.h"
#include "core/rc.h"
#include "store/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define WH_READY "ready"
#define WH_VIEW_EXPIRED "view.expired"
#define WH_VIEW_DELETED "view.deleted"
#define WH_IGUIDE_DELETED "iguide.deleted"
#define WH_WO_STATUS "workorder.status_changed"

/* The event types an entry of a webhook list may name ("*" aside), NULL-terminated. */
extern const char *const webhook_event_names[];

struct webhook_event {
    const char *type; /* one of the WH_* names */
    const char *iguide_id;
    const char *work_order_id, *view_id; /* the log's columns; NULL when none */
    json_t *fields;                      /* the body's fields after type, eventId, occurredAt
                                            (borrowed; may be NULL) */
};

struct webhook_emitted {
    char event_id[ID_MAX];             /* "" when nothing was recorded */
    size_t n;                          /* deliveries created */
    const char **delivery_ids, **urls; /* n each, in the arena */
};

/* 1 when an entry naming `entry_event` receives events of type `type`. */
int webhook_entry_matches(const char *entry_event, const char *type);

/* Records ev at now inside the caller's write transaction, for the webhook list webhooks_json
 * (the iGUIDE's stored list when NULL; an iGUIDE that is gone has none). out (may be NULL) tells
 * what was written. RC_INVALID when the list or the type is malformed. */
enum rc webhook_emit(struct store *s, const struct webhook_event *ev, const char *webhooks_json,
                     int64_t now, struct arena *a, struct webhook_emitted *out, struct err *e);

#endif
