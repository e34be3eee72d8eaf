/* test_store_views.c — store/q_views over a temp SQLite folder: additional views get fresh ids and
 * list after the default view; update writes every setting; expiry for one view and for all views
 * of an iGUIDE; deletion is permanent, refused for the default view, and cascades with the iGUIDE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/ids.h"
#include "store/store.h"

#define NOW 1795608000000LL /* 2026-11-25T12:00:00Z */

#include "store_fixture.h"

static struct made make_iguide(struct fx *f)
{
    struct made m;
    fx_iguide_fill(&m, NOW);
    fx_iguide_create(f, &m, "alias");
    return m;
}

static struct view_row add_view(struct fx *f, const char *iguide_id, int64_t now)
{
    struct view_row v = {0};
    memcpy(v.iguide_id, iguide_id, strlen(iguide_id) + 1);
    v.is_protected = 1;
    v.expires_at = now + 1000;
    v.banner_id = "b1";
    v.description = "extra";
    v.meas_std = "ansi";
    v.viewers_json = "[\"u1\"]";
    v.viewer_groups_json = "[\"g1\"]";
    v.created_at = v.updated_at = now;
    struct err e = {0};
    assert_int_equal(store_begin(f->s, 1, &e), RC_OK);
    enum rc rc = store_view_insert(f->s, &v, &e);
    if (rc != RC_OK)
        fail_msg("store_view_insert: %s %s", rc_name(rc), e.msg);
    assert_int_equal(store_commit(f->s, &e), RC_OK);
    return v;
}

static void t_insert_get_list(void **state)
{
    struct fx *f = *state;
    struct made m = make_iguide(f);
    struct view_row x = add_view(f, m.g.id, NOW + 5);
    assert_int_equal(id_valid(ID_VIEW, x.id), 1);
    assert_string_not_equal(x.id, m.v.id);
    struct view_row got;
    struct err e = {0};
    assert_int_equal(store_view_get(f->s, x.id, f->a, &got, &e), RC_OK);
    assert_string_equal(got.id, x.id);
    assert_string_equal(got.iguide_id, m.g.id);
    assert_int_equal(got.is_default, 0);
    assert_int_equal(got.is_protected, 1);
    assert_int_equal(got.expires_at, NOW + 1005);
    assert_string_equal(got.banner_id, "b1");
    assert_string_equal(got.description, "extra");
    assert_string_equal(got.meas_std, "ansi");
    assert_string_equal(got.viewers_json, "[\"u1\"]");
    assert_string_equal(got.viewer_groups_json, "[\"g1\"]");
    assert_int_equal(got.created_at, NOW + 5);
    assert_int_equal(got.updated_at, NOW + 5);
    /* The default view first, then in creation order. */
    struct view_row y = add_view(f, m.g.id, NOW + 6);
    struct view_row *vs;
    size_t n;
    assert_int_equal(store_view_list(f->s, m.g.id, f->a, &vs, &n, &e), RC_OK);
    assert_int_equal(n, 3);
    assert_string_equal(vs[0].id, m.v.id);
    assert_int_equal(vs[0].is_default, 1);
    assert_string_equal(vs[1].id, x.id);
    assert_string_equal(vs[2].id, y.id);
    /* The iGUIDE still names its default view. */
    struct iguide_row g;
    assert_int_equal(store_iguide_get(f->s, m.g.id, f->a, &g, &e), RC_OK);
    assert_string_equal(g.default_view_id, m.v.id);
    /* Unknown id. */
    assert_int_equal(store_view_get(f->s, "v0000000000000", f->a, &got, &e), RC_NOTFOUND);
    assert_string_equal(e.msg, "view not found");
    /* An iGUIDE that does not exist cannot get a view (foreign key). */
    struct view_row orphan = x;
    memcpy(orphan.iguide_id, "ig0000000000000", 16);
    assert_int_equal(store_begin(f->s, 1, &e), RC_OK);
    assert_int_not_equal(store_view_insert(f->s, &orphan, &e), RC_OK);
    store_rollback(f->s);
}

static void t_update(void **state)
{
    struct fx *f = *state;
    struct made m = make_iguide(f);
    struct view_row x = add_view(f, m.g.id, NOW);
    struct err e = {0};
    x.is_protected = 0;
    x.expires_at = NOW - 1000;
    x.banner_id = NULL;
    x.description = NULL;
    x.meas_std = "rms";
    x.viewers_json = "[]";
    x.viewer_groups_json = "[\"g2\"]";
    x.updated_at = NOW + 50;
    assert_int_equal(store_view_update(f->s, &x, &e), RC_OK);
    struct view_row got;
    assert_int_equal(store_view_get(f->s, x.id, f->a, &got, &e), RC_OK);
    assert_int_equal(got.is_protected, 0);
    assert_int_equal(got.expires_at, NOW - 1000);
    assert_null(got.banner_id);
    assert_null(got.description);
    assert_string_equal(got.meas_std, "rms");
    assert_string_equal(got.viewers_json, "[]");
    assert_string_equal(got.viewer_groups_json, "[\"g2\"]");
    assert_int_equal(got.created_at, NOW);
    assert_int_equal(got.updated_at, NOW + 50);
    assert_int_equal(got.is_default, 0);
    struct view_row missing = x;
    memcpy(missing.id, "v0000000000000", 15);
    assert_int_equal(store_view_update(f->s, &missing, &e), RC_NOTFOUND);
}

static void t_expiry(void **state)
{
    struct fx *f = *state;
    struct made a = make_iguide(f), b = make_iguide(f);
    struct view_row ax = add_view(f, a.g.id, NOW);
    struct view_row bx = add_view(f, b.g.id, NOW);
    struct err e = {0};
    struct view_row got;
    /* One view. */
    assert_int_equal(store_view_set_expiry(f->s, ax.id, NOW + 77, NOW + 1, &e), RC_OK);
    assert_int_equal(store_view_get(f->s, ax.id, f->a, &got, &e), RC_OK);
    assert_int_equal(got.expires_at, NOW + 77);
    assert_int_equal(got.updated_at, NOW + 1);
    assert_int_equal(store_view_get(f->s, a.v.id, f->a, &got, &e), RC_OK);
    assert_int_equal(got.expires_at, clock_add_years(NOW, 1));
    assert_int_equal(store_view_set_expiry(f->s, "v0000000000000", NOW, NOW, &e), RC_NOTFOUND);
    /* Every view of one iGUIDE, and only of that one. */
    int64_t changed = -1;
    assert_int_equal(store_view_set_expiry_all(f->s, a.g.id, NOW + 99, NOW + 2, &changed, &e),
                     RC_OK);
    assert_int_equal(changed, 2);
    struct view_row *vs;
    size_t n;
    assert_int_equal(store_view_list(f->s, a.g.id, f->a, &vs, &n, &e), RC_OK);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(vs[i].expires_at, NOW + 99);
        assert_int_equal(vs[i].updated_at, NOW + 2);
    }
    assert_int_equal(store_view_get(f->s, bx.id, f->a, &got, &e), RC_OK);
    assert_int_equal(got.expires_at, NOW + 1000);
    assert_int_equal(store_view_get(f->s, b.v.id, f->a, &got, &e), RC_OK);
    assert_int_equal(got.expires_at, clock_add_years(NOW, 1));
    assert_int_equal(store_view_set_expiry_all(f->s, "ig0000000000000", NOW, NOW, &changed, &e),
                     RC_OK);
    assert_int_equal(changed, 0);
    assert_int_equal(store_view_set_expiry_all(f->s, b.g.id, NOW + 3, NOW, NULL, &e), RC_OK);
}

static void t_delete(void **state)
{
    struct fx *f = *state;
    struct made m = make_iguide(f);
    struct view_row x = add_view(f, m.g.id, NOW);
    struct err e = {0};
    struct view_row got;
    /* The default view stays. */
    assert_int_equal(store_view_delete(f->s, m.v.id, &e), RC_DENIED);
    assert_string_equal(e.msg, "the default view cannot be deleted");
    assert_int_equal(store_view_get(f->s, m.v.id, f->a, &got, &e), RC_OK);
    /* Another view goes for good: the row is gone, a second delete is not found. */
    assert_int_equal(store_view_delete(f->s, x.id, &e), RC_OK);
    assert_int_equal(store_view_get(f->s, x.id, f->a, &got, &e), RC_NOTFOUND);
    assert_int_equal(store_view_delete(f->s, x.id, &e), RC_NOTFOUND);
    assert_int_equal(store_view_update(f->s, &x, &e), RC_NOTFOUND);
    assert_int_equal(store_view_set_expiry(f->s, x.id, NOW, NOW, &e), RC_NOTFOUND);
    assert_int_equal(store_view_delete(f->s, "v0000000000000", &e), RC_NOTFOUND);
    struct view_row *vs;
    size_t n;
    assert_int_equal(store_view_list(f->s, m.g.id, f->a, &vs, &n, &e), RC_OK);
    assert_int_equal(n, 1);
    /* Deleting the iGUIDE takes every view with it, the default one included. */
    struct view_row y = add_view(f, m.g.id, NOW);
    assert_int_equal(store_iguide_delete(f->s, m.g.id, &e), RC_OK);
    assert_int_equal(store_view_get(f->s, y.id, f->a, &got, &e), RC_NOTFOUND);
    assert_int_equal(store_view_get(f->s, m.v.id, f->a, &got, &e), RC_NOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(t_insert_get_list, setup, teardown),
        cmocka_unit_test_setup_teardown(t_update, setup, teardown),
        cmocka_unit_test_setup_teardown(t_expiry, setup, teardown),
        cmocka_unit_test_setup_teardown(t_delete, setup, teardown),
    };
    return cmocka_run_group_tests_name("store_views", tests, NULL, NULL);
}
