/* wo_status.c — the transition table. Rows are "from", bits are the allowed "to" statuses.
 * rejected → pending_draft is the re-upload path (a new Stitch upload on a rejected work order).
 * wo_move also moves the work orders that depend on the one it moves (end_dependents). */
#include "pipeline/wo_status.h"

#include "core/arena.h"
#include "store/store.h"
#include "webhooks/emit.h"

#include <jansson.h>

#include <string.h>

#define B(s) (1u << (s))

static const struct {
    const char *name;
    const char *iguide_state;
    unsigned next;
} table[WO__COUNT] = {
    [WO_EMPTY] = {"empty", "empty", B(WO_PENDING_DRAFT) | B(WO_PENDING_PUBLISH) | B(WO_CANCELLED)},
    [WO_ON_HOLD] = {"on_hold", "processing",
                    B(WO_PENDING_DRAFT) | B(WO_PENDING_PUBLISH) | B(WO_CANCELLED)},
    [WO_PENDING_DRAFT] = {"pending_draft", "processing",
                          B(WO_PENDING_QA) | B(WO_PENDING_PUBLISH) | B(WO_EXCEPTION) |
                              B(WO_REJECTED) | B(WO_CANCELLED) | B(WO_ON_HOLD)},
    [WO_PENDING_QA] = {"pending_qa", "processing",
                       B(WO_PENDING_PUBLISH) | B(WO_PENDING_DRAFT) | B(WO_EXCEPTION) |
                           B(WO_REJECTED) | B(WO_CANCELLED) | B(WO_ON_HOLD)},
    [WO_PENDING_PUBLISH] = {"pending_publish", "processing",
                            B(WO_DONE) | B(WO_EXCEPTION) | B(WO_REJECTED) | B(WO_CANCELLED) |
                                B(WO_ON_HOLD)},
    [WO_EXCEPTION] = {"exception", "processing",
                      B(WO_PENDING_DRAFT) | B(WO_PENDING_QA) | B(WO_PENDING_PUBLISH) |
                          B(WO_REJECTED) | B(WO_CANCELLED)},
    [WO_DONE] = {"done", "published", 0},
    [WO_CANCELLED] = {"cancelled", "cancelled", 0},
    [WO_REJECTED] = {"rejected", "rejected", B(WO_PENDING_DRAFT)},
};

const char *wo_status_name(enum wo_status s)
{
    return (s >= 0 && s < WO__COUNT) ? table[s].name : NULL;
}

int wo_status_parse(const char *name, enum wo_status *out)
{
    for (int i = 0; i < WO__COUNT; i++)
        if (strcmp(table[i].name, name) == 0) {
            *out = (enum wo_status)i;
            return 0;
        }
    return -1;
}

int wo_status_terminal(enum wo_status s)
{
    return s == WO_DONE || s == WO_CANCELLED || s == WO_REJECTED;
}

int wo_transition_allowed(enum wo_status from, enum wo_status to)
{
    if (from < 0 || from >= WO__COUNT || to < 0 || to >= WO__COUNT)
        return 0;
    return (table[from].next & B(to)) != 0;
}

const char *wo_iguide_state(enum wo_status initial)
{
    return (initial >= 0 && initial < WO__COUNT) ? table[initial].iguide_state : "processing";
}

/* The initial work order ended without publishing (cancelled or rejected): the add-ons waiting
 * on_hold for it can never be released, so they end cancelled with it, naming it. The add-ons are
 * drawn from its data; a re-upload of a rejected initial work order starts without them (they are
 * ordered again). Each through wo_move, so each is checked and reported. */
static enum rc end_dependents(struct store *s, const struct workorder_row *initial,
                              enum wo_status to, int64_t now, struct arena *a, struct err *e)
{
    struct workorder_row *rows;
    size_t n;
    enum rc rc = store_workorder_list(s, initial->iguide_id, a, &rows, &n, e);
    const char *reason = rc == RC_OK ? arena_printf(a, "the initial work order %s was %s",
                                                    initial->id, wo_status_name(to))
                                     : NULL;
    if (rc == RC_OK && !reason)
        rc = err_set(e, RC_NOMEM, "out of memory");
    for (size_t i = 0; rc == RC_OK && i < n; i++)
        if (!rows[i].is_initial && strcmp(rows[i].status, wo_status_name(WO_ON_HOLD)) == 0)
            rc = wo_move(s, rows[i].id, rows[i].status, WO_CANCELLED, reason, NULL, now, e);
    return rc;
}

enum rc wo_move(struct store *s, const char *id, const char *from, enum wo_status to,
                const char *rejection, const char *exception, int64_t now, struct err *e)
{
    enum wo_status f;
    if (wo_status_parse(from, &f) || !wo_transition_allowed(f, to))
        return err_set(e, RC_PRECONDITION, "work order %s is %s and cannot become %s", id, from,
                       wo_status_name(to) ? wo_status_name(to) : "?");
    enum rc rc =
        store_workorder_transition(s, id, from, wo_status_name(to), rejection, exception, now, e);
    if (rc != RC_OK)
        return rc;
    struct arena *a = arena_new();
    if (!a)
        return err_set(e, RC_NOMEM, "out of memory");
    struct workorder_row w;
    rc = store_workorder_by_id(s, id, a, &w, e);
    if (rc == RC_OK)
        rc = wo_announce(s, w.iguide_id, id, f, to, rejection, exception, now, e);
    if (rc == RC_OK && w.is_initial && (to == WO_CANCELLED || to == WO_REJECTED))
        rc = end_dependents(s, &w, to, now, a, e);
    arena_free(a);
    return rc;
}

enum rc wo_announce(struct store *s, const char *iguide_id, const char *id, enum wo_status from,
                    enum wo_status to, const char *rejection, const char *exception, int64_t now,
                    struct err *e)
{
    struct arena *a = arena_new();
    if (!a)
        return err_set(e, RC_NOMEM, "out of memory");
    enum rc rc = RC_OK;
    if (!iguide_id) {
        struct workorder_row w;
        if ((rc = store_workorder_by_id(s, id, a, &w, e)) == RC_OK)
            iguide_id = arena_strdup(a, w.iguide_id);
        if (rc == RC_OK && !iguide_id)
            rc = err_set(e, RC_NOMEM, "out of memory");
    }
    json_t *f = rc == RC_OK
                    ? json_pack("{s:s, s:s, s:s, s:s}", "iguideId", iguide_id, "workOrderId", id,
                                "from", wo_status_name(from), "to", wo_status_name(to))
                    : NULL;
    if (rc == RC_OK && !f)
        rc = err_set(e, RC_NOMEM, "out of memory");
    if (f && rejection)
        json_object_set_new(f, "rejectionReason", json_string(rejection));
    if (f && exception)
        json_object_set_new(f, "exceptionReason", json_string(exception));
    if (rc == RC_OK) {
        struct webhook_event ev = {
            .type = WH_WO_STATUS, .iguide_id = iguide_id, .work_order_id = id, .fields = f};
        rc = webhook_emit(s, &ev, NULL, now, a, NULL, e);
    }
    json_decref(f);
    arena_free(a);
    return rc;
}
