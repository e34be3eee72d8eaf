/* wo_status.c — the transition table. Rows are "from", bits are the allowed "to" statuses.
 * rejected → pending_draft is the re-upload path (a new Stitch upload on a rejected work order). */
#include "pipeline/wo_status.h"

#include "store/store.h"

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

enum rc wo_move(struct store *s, const char *id, const char *from, enum wo_status to,
                const char *rejection, const char *exception, int64_t now, struct err *e)
{
    enum wo_status f;
    if (wo_status_parse(from, &f) || !wo_transition_allowed(f, to))
        return err_set(e, RC_PRECONDITION, "work order %s is %s and cannot become %s", id, from,
                       wo_status_name(to) ? wo_status_name(to) : "?");
    return store_workorder_transition(s, id, from, wo_status_name(to), rejection, exception, now, e);
}
