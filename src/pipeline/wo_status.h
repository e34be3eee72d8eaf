/* wo_status.h — the work-order statuses and their allowed transitions, as one table
 * (portal-api.md §5.1-5.2; the "Your first iGUIDE" tutorial, Step 7). */
#ifndef GP_WO_STATUS_H
#define GP_WO_STATUS_H

#include "core/rc.h"

#include <stdint.h>

enum wo_status {
    WO_EMPTY,
    WO_ON_HOLD,
    WO_PENDING_DRAFT,
    WO_PENDING_QA,
    WO_PENDING_PUBLISH,
    WO_EXCEPTION,
    WO_DONE,
    WO_CANCELLED,
    WO_REJECTED,
    WO__COUNT
};

/* The wire name ("pending_draft"); NULL for an out-of-range value. */
const char *wo_status_name(enum wo_status s);

/* Parses a wire name; returns 0, or -1 when name is not a status. */
int wo_status_parse(const char *name, enum wo_status *out);

/* 1 for done, cancelled and rejected. */
int wo_status_terminal(enum wo_status s);

/* 1 when the lifecycle allows moving from one status to the other. */
int wo_transition_allowed(enum wo_status from, enum wo_status to);

struct store;

/* THE way a work order's status changes: when the lifecycle allows from → to, one compare-and-set
 * in the store that also sets its reasons (NULL clears), reported as a workorder.status_changed
 * event. The work orders that depend on one it ends end with it, each by wo_move,
 * cancelled with a reason naming it: an initial work order moved to cancelled or rejected takes
 * its on_hold add-ons, an upgrade add-on the open add-ons only its package allows (docs/
 * processing.md, "When one work order ends"). RC_PRECONDITION when the lifecycle
 * does not allow it or the stored status is no longer from. Runs in the caller's write
 * transaction. */
enum rc wo_move(struct store *s, const char *id, const char *from, enum wo_status to,
                const char *rejection, const char *exception, int64_t now, struct err *e);

/* The iGUIDE processing state derived from its initial work order (§5.4):
 * empty, processing, published, rejected or cancelled. */
const char *wo_iguide_state(enum wo_status initial);

#endif
