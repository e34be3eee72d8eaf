/* test_wo_move.c — wo_move, the one way a work order's status changes: the lifecycle table is
 * asked first (a forbidden move changes nothing), then one compare-and-set in the store (a stale
 * "from" changes nothing), and the reasons are set or cleared with the move. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/clock.h"
#include "pipeline/wo_status.h"
#include "store/store.h"

#include "store_fixture.h"

#define NOW 1764000000000LL

static const char *status_of(struct fx *f, struct made *m)
{
    struct workorder_row w;
    struct err e = {0};
    assert_int_equal(store_workorder_get(f->s, m->g.id, m->w.id, f->a, &w, &e), RC_OK);
    return w.status;
}

static void t_lifecycle_first(void **state)
{
    struct fx *f = *state;
    struct made m;
    fx_iguide_fill(&m, NOW);
    fx_iguide_create(f, &m, "move");
    struct err e = {0};
    /* empty → done is not a lifecycle step: refused before the store is touched. */
    assert_int_equal(wo_move(f->s, m.w.id, "empty", WO_DONE, NULL, NULL, NOW, &e), RC_PRECONDITION);
    assert_non_null(strstr(e.msg, "cannot become done"));
    assert_string_equal(status_of(f, &m), "empty");
    /* An unknown "from" is refused the same way. */
    assert_int_equal(wo_move(f->s, m.w.id, "bogus", WO_PENDING_DRAFT, NULL, NULL, NOW, &e),
                     RC_PRECONDITION);
    /* empty → pending_draft is; then a second move from the stale "empty" finds nothing. */
    assert_int_equal(wo_move(f->s, m.w.id, "empty", WO_PENDING_DRAFT, NULL, NULL, NOW, &e), RC_OK);
    assert_string_equal(status_of(f, &m), "pending_draft");
    assert_int_equal(wo_move(f->s, m.w.id, "empty", WO_CANCELLED, NULL, NULL, NOW, &e),
                     RC_PRECONDITION);
    assert_string_equal(status_of(f, &m), "pending_draft");
}

static void t_reasons_move_with_the_status(void **state)
{
    struct fx *f = *state;
    struct made m;
    fx_iguide_fill(&m, NOW);
    fx_iguide_create(f, &m, "reasons");
    struct err e = {0};
    assert_int_equal(wo_move(f->s, m.w.id, "empty", WO_PENDING_DRAFT, NULL, NULL, NOW, &e), RC_OK);
    assert_int_equal(wo_move(f->s, m.w.id, "pending_draft", WO_REJECTED, "no manifest", NULL, NOW, &e),
                     RC_OK);
    struct workorder_row w;
    assert_int_equal(store_workorder_get(f->s, m.g.id, m.w.id, f->a, &w, &e), RC_OK);
    assert_string_equal(w.status, "rejected");
    assert_string_equal(w.rejection_reason, "no manifest");
    /* Rejected is final except for a new upload (rejected → pending_draft). */
    assert_int_equal(wo_move(f->s, m.w.id, "rejected", WO_DONE, NULL, NULL, NOW, &e), RC_PRECONDITION);
    assert_int_equal(wo_move(f->s, m.w.id, "rejected", WO_PENDING_DRAFT, NULL, NULL, NOW, &e), RC_OK);
    assert_int_equal(store_workorder_get(f->s, m.g.id, m.w.id, f->a, &w, &e), RC_OK);
    assert_null(w.rejection_reason);
}

/* An add-on of m's iGUIDE, created in status (on_hold, or pending_draft as if released). */
static void addon(struct fx *f, struct made *m, const char *task, const char *status,
                  struct workorder_row *out)
{
    struct err e = {0};
    memset(out, 0, sizeof *out);
    memcpy(out->iguide_id, m->g.id, sizeof out->iguide_id);
    out->task_type = task;
    out->status = status;
    out->created_at = out->updated_at = NOW;
    assert_int_equal(store_workorder_create(f->s, out, &e), RC_OK);
}

static const char *addon_status(struct fx *f, struct made *m, const char *id, const char **reason)
{
    struct workorder_row w;
    struct err e = {0};
    assert_int_equal(store_workorder_get(f->s, m->g.id, id, f->a, &w, &e), RC_OK);
    if (reason)
        *reason = w.rejection_reason;
    return w.status;
}

/* An initial work order that ends cancelled or rejected takes its on_hold add-ons with it (the
 * reason names it); an add-on already running, or the initial work order going to exception or
 * done, leaves them alone; cancelling an add-on moves nothing else. */
static void t_initial_ends_its_on_hold_addons(void **state)
{
    struct fx *f = *state;
    const char *ends[] = {"cancelled", "rejected"};
    for (int k = 0; k < 2; k++) {
        struct made m;
        fx_iguide_fill(&m, NOW);
        fx_iguide_create(f, &m, ends[k]);
        struct workorder_row held, held2, running;
        addon(f, &m, "dwg-init", "on_hold", &held);
        addon(f, &m, "esx-init", "on_hold", &held2);
        addon(f, &m, "siteplan", "pending_draft", &running);
        struct err e = {0};
        /* Cancelling one add-on moves only it. */
        assert_int_equal(wo_move(f->s, held2.id, "on_hold", WO_CANCELLED, NULL, NULL, NOW, &e),
                         RC_OK);
        assert_string_equal(addon_status(f, &m, held.id, NULL), "on_hold");
        /* The initial work order in exception still blocks them. */
        assert_int_equal(wo_move(f->s, m.w.id, "empty", WO_PENDING_DRAFT, NULL, NULL, NOW, &e),
                         RC_OK);
        assert_int_equal(wo_move(f->s, m.w.id, "pending_draft", WO_EXCEPTION, NULL, "x", NOW, &e),
                         RC_OK);
        assert_string_equal(addon_status(f, &m, held.id, NULL), "on_hold");
        enum wo_status to;
        assert_int_equal(wo_status_parse(ends[k], &to), 0);
        assert_int_equal(wo_move(f->s, m.w.id, "exception", to, "bad", NULL, NOW, &e), RC_OK);
        const char *reason = NULL;
        assert_string_equal(addon_status(f, &m, held.id, &reason), "cancelled");
        assert_non_null(reason);
        assert_non_null(strstr(reason, m.w.id));
        assert_non_null(strstr(reason, ends[k]));
        assert_string_equal(addon_status(f, &m, held2.id, &reason), "cancelled");
        assert_null(reason);
        assert_string_equal(addon_status(f, &m, running.id, NULL), "pending_draft");
    }
}

/* An upgrade that ends without done takes the add-ons only its package allows (rvt-init on a
 * Standard iGUIDE), running or not, and no others; cancelling the initial work order under such a
 * cascade ends everything once, without tripping on the add-ons already ended. */
static void t_upgrade_ends_what_needs_it(void **state)
{
    struct fx *f = *state;
    struct made m;
    fx_iguide_fill(&m, NOW);
    fx_iguide_create(f, &m, "upgrade");
    struct workorder_row up, rvt, dwg;
    addon(f, &m, "premium-upgrade", "pending_draft", &up);
    addon(f, &m, "rvt-init", "pending_draft", &rvt);
    addon(f, &m, "dwg-init", "on_hold", &dwg);
    struct err e = {0};
    assert_int_equal(wo_move(f->s, up.id, "pending_draft", WO_CANCELLED, NULL, NULL, NOW, &e),
                     RC_OK);
    const char *reason = NULL;
    assert_string_equal(addon_status(f, &m, rvt.id, &reason), "cancelled");
    assert_non_null(reason);
    assert_non_null(strstr(reason, up.id));
    assert_string_equal(addon_status(f, &m, dwg.id, NULL), "on_hold");

    struct made m2;
    fx_iguide_fill(&m2, NOW);
    fx_iguide_create(f, &m2, "upgrade2");
    addon(f, &m2, "premium-upgrade", "on_hold", &up);
    addon(f, &m2, "rvt-init", "on_hold", &rvt);
    addon(f, &m2, "dwg-init", "on_hold", &dwg);
    assert_int_equal(wo_move(f->s, m2.w.id, "empty", WO_CANCELLED, NULL, NULL, NOW, &e), RC_OK);
    assert_string_equal(addon_status(f, &m2, up.id, NULL), "cancelled");
    assert_string_equal(addon_status(f, &m2, rvt.id, NULL), "cancelled");
    assert_string_equal(addon_status(f, &m2, dwg.id, NULL), "cancelled");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(t_lifecycle_first, setup, teardown),
        cmocka_unit_test_setup_teardown(t_reasons_move_with_the_status, setup, teardown),
        cmocka_unit_test_setup_teardown(t_initial_ends_its_on_hold_addons, setup, teardown),
        cmocka_unit_test_setup_teardown(t_upgrade_ends_what_needs_it, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
