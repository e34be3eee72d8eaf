/* ready.h — the ready object (portal-api.md §7.3, §4.8): what an integrator needs to show and
 * bill a published iGUIDE, filled from what Guidepost knows. The same object is the ready event's
 * body (with eventId and occurredAt), GET …/events/ready/object and the event of …/dispatch.
 * Each object carries a fresh view access token for the default view (auth/session.h, valid 3
 * weeks), so building one writes a token row: call it inside a write transaction. */
#ifndef GP_WEBHOOKS_READY_H
#define GP_WEBHOOKS_READY_H

#include "core/arena.h"
#include "core/rc.h"
#include "store/store.h"
#include "webhooks/emit.h"

#include <jansson.h>
#include <stdint.h>

/* The ready object of work order wo_id of iGUIDE iguide_id at now, with URLs under base_url (no
 * trailing slash; "" gives paths): a new reference in *out. The token is recorded as created by
 * created_by (may be NULL). RC_NOTFOUND for an unknown iGUIDE or a work order not of that iGUIDE;
 * RC_PRECONDITION when the work order is not done. */
enum rc webhook_ready_object(struct store *s, const char *iguide_id, const char *wo_id,
                             const char *base_url, const char *created_by, int64_t now,
                             struct arena *a, json_t **out, struct err *e);

/* Builds the ready object and records it as a ready event (emit.h) for the iGUIDE's webhook list,
 * in the caller's write transaction; out (may be NULL) tells what was written. */
enum rc webhook_emit_ready(struct store *s, const char *iguide_id, const char *wo_id,
                           const char *base_url, const char *created_by, int64_t now,
                           struct arena *a, struct webhook_emitted *out, struct err *e);

#endif
