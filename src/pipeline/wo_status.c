/* wo_status.c — the transition table. Rows are "from", bits are the allowed "to" statuses.
 * rejected → pending_draft is the re-upload path (a new Stitch upload on a rejected work order).
 * wo_move also ends the work orders that depend on the one it ends (end_held_addons,
 * end_upgraded_addons). */
#include "pipeline/wo_status.h"

#include "core/arena.h"
#include "pipeline/addons.h"
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

/* Moves the work order to cancelled with reason when it is still in one of the statuses `open`
 * accepts (re-read: an earlier move of the same cascade may have ended it already). */
static enum rc end_one(struct store *s, const char *id, int (*open)(enum wo_status),
                       const char *reason, int64_t now, struct arena *a, struct err *e)
{
    struct workorder_row w;
    enum wo_status st;
    enum rc rc = store_workorder_by_id(s, id, a, &w, e);
    if (rc != RC_OK || wo_status_parse(w.status, &st) || !open(st))
        return rc;
    return wo_move(s, id, w.status, WO_CANCELLED, reason, NULL, now, e);
}

static int is_on_hold(enum wo_status st)
{
    return st == WO_ON_HOLD;
}

static int is_open(enum wo_status st)
{
    return !wo_status_terminal(st);
}

/* The initial work order ended without publishing (cancelled or rejected): the add-ons waiting
 * on_hold for it can never be released, so they end cancelled with it, naming it. The add-ons are
 * drawn from its data; a re-upload of a rejected initial work order starts without them (they are
 * ordered again). */
static enum rc end_held_addons(struct store *s, const struct workorder_row *initial,
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
        if (!rows[i].is_initial)
            rc = end_one(s, rows[i].id, is_on_hold, reason, now, a, e);
    return rc;
}

/* An upgrade add-on ended without reaching done: the open add-ons that were allowed only by the
 * package it would have given (rvt-init after premium-upgrade on a Standard iGUIDE) end cancelled,
 * naming it; the package is judged as at ordering (addons.h), by the upgrades still open. */
static enum rc end_upgraded_addons(struct store *s, const struct workorder_row *up,
                                   enum wo_status to, int64_t now, struct arena *a, struct err *e)
{
    struct workorder_row *rows;
    size_t n;
    enum rc rc = store_workorder_list(s, up->iguide_id, a, &rows, &n, e);
    if (rc != RC_OK)
        return rc;
    const char *package = up->iguide_type;
    for (size_t i = 0; package && i < n; i++) {
        enum wo_status st;
        const char *target = rows[i].task_type ? addon_upgrade_target(rows[i].task_type) : NULL;
        if (target && !wo_status_parse(rows[i].status, &st) && !wo_status_terminal(st) &&
            strcmp(package, "premium") != 0)
            package = target;
    }
    const char *reason = arena_printf(a, "the %s work order %s it needs was %s", up->task_type,
                                      up->id, wo_status_name(to));
    if (!package || !reason)
        return err_set(e, RC_NOMEM, "out of memory");
    for (size_t i = 0; rc == RC_OK && i < n; i++) {
        struct err ce = {0};
        if (!rows[i].is_initial && rows[i].task_type && strcmp(rows[i].id, up->id) != 0 &&
            addon_check(package, rows[i].task_type, &ce) == RC_PRECONDITION)
            rc = end_one(s, rows[i].id, is_open, reason, now, a, e);
    }
    return rc;
}

/* The workorder.status_changed event of a move, in the move's transaction. */
static enum rc announce(struct store *s, const struct workorder_row *w, enum wo_status from,
                        enum wo_status to, const char *rejection, const char *exception,
                        int64_t now, struct arena *a, struct err *e)
{
    json_t *f = json_pack("{s:s, s:s, s:s, s:s}", "iguideId", w->iguide_id, "workOrderId", w->id,
                          "from", wo_status_name(from), "to", wo_status_name(to));
    if (!f)
        return err_set(e, RC_NOMEM, "out of memory");
    if (rejection)
        json_object_set_new(f, "rejectionReason", json_string(rejection));
    if (exception)
        json_object_set_new(f, "exceptionReason", json_string(exception));
    struct webhook_event ev = {
        .type = WH_WO_STATUS, .iguide_id = w->iguide_id, .work_order_id = w->id, .fields = f};
    enum rc rc = webhook_emit(s, &ev, NULL, now, a, NULL, e);
    json_decref(f);
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
        rc = announce(s, &w, f, to, rejection, exception, now, a, e);
    int ended = to == WO_CANCELLED || to == WO_REJECTED;
    if (rc == RC_OK && ended && w.is_initial)
        rc = end_held_addons(s, &w, to, now, a, e);
    if (rc == RC_OK && ended && w.task_type && addon_upgrade_target(w.task_type))
        rc = end_upgraded_addons(s, &w, to, now, a, e);
    arena_free(a);
    return rc;
}
