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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(t_lifecycle_first, setup, teardown),
        cmocka_unit_test_setup_teardown(t_reasons_move_with_the_status, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
