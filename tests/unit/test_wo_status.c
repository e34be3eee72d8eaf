/* test_wo_status.c — pipeline/wo_status: the nine work-order statuses (portal-api.md §5.1) by name,
 * the terminal set, allowed and forbidden transitions of the §5.2 state machine, and the iGUIDE
 * processing state derived from the initial work order (§5.4). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pipeline/wo_status.h"

static const char *const names[WO__COUNT] = {
    [WO_EMPTY] = "empty",
    [WO_ON_HOLD] = "on_hold",
    [WO_PENDING_DRAFT] = "pending_draft",
    [WO_PENDING_QA] = "pending_qa",
    [WO_PENDING_PUBLISH] = "pending_publish",
    [WO_EXCEPTION] = "exception",
    [WO_DONE] = "done",
    [WO_CANCELLED] = "cancelled",
    [WO_REJECTED] = "rejected",
};

static void t_names_round_trip(void **state)
{
    (void)state;
    assert_int_equal(WO__COUNT, 9);
    for (int i = 0; i < WO__COUNT; i++) {
        const char *n = wo_status_name((enum wo_status)i);
        assert_non_null(n);
        assert_string_equal(n, names[i]);
        enum wo_status back = WO__COUNT;
        assert_int_equal(wo_status_parse(n, &back), 0);
        assert_int_equal(back, i);
    }
    assert_null(wo_status_name(WO__COUNT));
    assert_null(wo_status_name((enum wo_status)-1));
}

static void t_parse_rejects(void **state)
{
    (void)state;
    const char *bad[] = {"", "Empty", "EMPTY", "pending", "processing", "published", "canceled",
                         "on-hold", "pending_draft ", " done", "done\n", "rejected_"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        enum wo_status s = WO_DONE;
        if (wo_status_parse(bad[i], &s) != -1)
            fail_msg("parsed \"%s\"", bad[i]);
        assert_int_equal(s, WO_DONE); /* untouched */
    }
}

static void t_terminal_set(void **state)
{
    (void)state;
    for (int i = 0; i < WO__COUNT; i++) {
        int want = i == WO_DONE || i == WO_CANCELLED || i == WO_REJECTED;
        if (wo_status_terminal((enum wo_status)i) != want)
            fail_msg("%s: terminal is %d", names[i], !want);
    }
}

static void allowed(enum wo_status a, enum wo_status b)
{
    if (!wo_transition_allowed(a, b))
        fail_msg("%s -> %s should be allowed", names[a], names[b]);
}

static void forbidden(enum wo_status a, enum wo_status b)
{
    if (wo_transition_allowed(a, b))
        fail_msg("%s -> %s should be forbidden", names[a], names[b]);
}

static void t_allowed_transitions(void **state)
{
    (void)state;
    /* The main lines of §5.2. */
    allowed(WO_EMPTY, WO_PENDING_DRAFT);
    allowed(WO_EMPTY, WO_PENDING_PUBLISH);          /* radix / auto-drafted */
    allowed(WO_PENDING_DRAFT, WO_PENDING_QA);
    allowed(WO_PENDING_PUBLISH, WO_DONE);
    allowed(WO_ON_HOLD, WO_PENDING_DRAFT);
    allowed(WO_ON_HOLD, WO_PENDING_PUBLISH);
    allowed(WO_REJECTED, WO_PENDING_DRAFT);         /* re-upload after rejection */
    /* pending_* → exception → back to a pending_* state, rejected or cancelled. */
    const enum wo_status pending[] = {WO_PENDING_DRAFT, WO_PENDING_QA, WO_PENDING_PUBLISH};
    for (int i = 0; i < 3; i++) {
        allowed(pending[i], WO_EXCEPTION);
        allowed(pending[i], WO_REJECTED);
        allowed(WO_EXCEPTION, pending[i]);
    }
    allowed(WO_EXCEPTION, WO_REJECTED);
    allowed(WO_EXCEPTION, WO_CANCELLED);
    /* Any non-terminal status can be cancelled. */
    for (int i = 0; i < WO__COUNT; i++)
        if (!wo_status_terminal((enum wo_status)i))
            allowed((enum wo_status)i, WO_CANCELLED);
}

static void t_forbidden_transitions(void **state)
{
    (void)state;
    /* done and cancelled are final. */
    for (int i = 0; i < WO__COUNT; i++) {
        forbidden(WO_DONE, (enum wo_status)i);
        forbidden(WO_CANCELLED, (enum wo_status)i);
    }
    /* rejected only goes back to drafting. */
    for (int i = 0; i < WO__COUNT; i++)
        if (i != WO_PENDING_DRAFT)
            forbidden(WO_REJECTED, (enum wo_status)i);
    /* No skipping the work, no going back to empty, no self loops. */
    forbidden(WO_EMPTY, WO_DONE);
    forbidden(WO_EMPTY, WO_PENDING_QA);
    forbidden(WO_EMPTY, WO_EXCEPTION);
    forbidden(WO_EMPTY, WO_REJECTED);
    forbidden(WO_PENDING_DRAFT, WO_DONE);
    forbidden(WO_ON_HOLD, WO_DONE);
    forbidden(WO_EXCEPTION, WO_DONE);
    for (int i = 0; i < WO__COUNT; i++) {
        forbidden((enum wo_status)i, WO_EMPTY);
        forbidden((enum wo_status)i, (enum wo_status)i);
    }
    /* Out of range either side. */
    assert_int_equal(wo_transition_allowed(WO__COUNT, WO_DONE), 0);
    assert_int_equal(wo_transition_allowed(WO_PENDING_PUBLISH, WO__COUNT), 0);
    assert_int_equal(wo_transition_allowed((enum wo_status)-1, WO_CANCELLED), 0);
    assert_int_equal(wo_transition_allowed(WO_EMPTY, (enum wo_status)40), 0);
}

static void t_iguide_state(void **state)
{
    (void)state;
    assert_string_equal(wo_iguide_state(WO_EMPTY), "empty");
    assert_string_equal(wo_iguide_state(WO_ON_HOLD), "processing");
    assert_string_equal(wo_iguide_state(WO_PENDING_DRAFT), "processing");
    assert_string_equal(wo_iguide_state(WO_PENDING_QA), "processing");
    assert_string_equal(wo_iguide_state(WO_PENDING_PUBLISH), "processing");
    assert_string_equal(wo_iguide_state(WO_EXCEPTION), "processing");
    assert_string_equal(wo_iguide_state(WO_DONE), "published");
    assert_string_equal(wo_iguide_state(WO_REJECTED), "rejected");
    assert_string_equal(wo_iguide_state(WO_CANCELLED), "cancelled");
    assert_string_equal(wo_iguide_state(WO__COUNT), "processing");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_names_round_trip),
        cmocka_unit_test(t_parse_rejects),
        cmocka_unit_test(t_terminal_set),
        cmocka_unit_test(t_allowed_transitions),
        cmocka_unit_test(t_forbidden_transitions),
        cmocka_unit_test(t_iguide_state),
    };
    return cmocka_run_group_tests_name("wo_status", tests, NULL, NULL);
}
