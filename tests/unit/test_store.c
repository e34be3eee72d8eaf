/* test_store.c — store over a temp SQLite folder: migrations apply once, store_iguide_create writes
 * the iGUIDE, its default view and initial work order atomically, alias collisions get "_2", list
 * pagination (newest first, before_seq), delete cascades, and work orders scoped to their iGUIDE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/ids.h"
#include "core/log.h"
#include "store/migrations.h"
#include "store/store.h"

#define NOW 1795608000000LL /* 2026-11-25T12:00:00Z */

#include "store_fixture.h"

/* Counts rows of a query with one text parameter, through a separate read-only connection. */
static int count_rows(struct fx *f, const char *sql, const char *param)
{
    char path[128];
    snprintf(path, sizeof path, "%s/guidepost.db", f->dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    if (param)
        sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* The fixture's iGUIDE with every optional field set, so a round trip checks them all. */
static void fill(struct made *m, int64_t now)
{
    fx_iguide_fill(m, now);
    m->g.apply_defaults = 1;
    m->g.editors_json = "[\"u1\"]";
    m->g.created_by = "550e8400-e29b-41d4-a716-446655440000";
    m->v.description = "desc";
}

static struct made create(struct fx *f, const char *alias_base, int64_t now)
{
    struct made m;
    fill(&m, now);
    fx_iguide_create(f, &m, alias_base);
    return m;
}

static void t_migrations_once(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    int applied = -1;
    assert_int_equal(store_migrate(f->s, &applied, &e), RC_OK);
    assert_int_equal(applied, 0);
    /* A second connection sees the same schema and applies nothing either. */
    struct store *s2;
    struct store_config cfg = {.data_dir = f->dir};
    assert_int_equal(store_open(&cfg, &s2, &e), RC_OK);
    applied = -1;
    assert_int_equal(store_migrate(s2, &applied, &e), RC_OK);
    assert_int_equal(applied, 0);
    assert_int_equal(store_ping(s2, &e), RC_OK);
    store_close(s2);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM schema_migrations", NULL), migration_count());
    assert_int_equal(count_rows(f, "SELECT count(*) FROM schema_migrations WHERE version = 1 "
                                   "AND name = 'init'",
                                NULL),
                     1);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                                   "name IN ('api_tokens','iguides','views','work_orders')",
                                NULL),
                     4);
    assert_int_equal(store_ping(f->s, &e), RC_OK);
    /* NULL applied is allowed. */
    assert_int_equal(store_migrate(f->s, NULL, &e), RC_OK);
}

static void t_open_errors(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    struct store *s = NULL;
    struct store_config none = {.data_dir = NULL};
    assert_int_equal(store_open(&none, &s, &e), RC_INVALID);
    struct store_config empty = {.data_dir = ""};
    assert_int_equal(store_open(&empty, &s, &e), RC_INVALID);
    /* A regular file where the folder should be. */
    char path[128];
    snprintf(path, sizeof path, "%s/guidepost.db", f->dir);
    struct store_config file = {.data_dir = path};
    assert_int_equal(store_open(&file, &s, &e), RC_IO);
    store_close(NULL);
}

static void t_create_writes_three_rows(void **state)
{
    struct fx *f = *state;
    struct made m = create(f, "200_university_ave_waterloo_on", NOW);
    assert_int_equal(id_valid(ID_IGUIDE, m.g.id), 1);
    assert_int_equal(id_valid(ID_VIEW, m.v.id), 1);
    assert_int_equal(id_valid(ID_WORKORDER, m.w.id), 1);
    assert_string_equal(m.v.iguide_id, m.g.id);
    assert_string_equal(m.w.iguide_id, m.g.id);
    assert_string_equal(m.g.alias, "200_university_ave_waterloo_on");

    struct iguide_row g;
    struct err e = {0};
    assert_int_equal(store_iguide_get(f->s, m.g.id, f->a, &g, &e), RC_OK);
    assert_string_equal(g.id, m.g.id);
    assert_true(g.seq > 0);
    assert_string_equal(g.alias, "200_university_ave_waterloo_on");
    assert_string_equal(g.type, "standard");
    assert_string_equal(g.industry, "residential");
    assert_string_equal(g.addr.country, "CA");
    assert_string_equal(g.addr.province_state, "ON");
    assert_string_equal(g.addr.city, "Waterloo");
    assert_string_equal(g.addr.postal_code, "N2L 3G1");
    assert_string_equal(g.addr.street_name, "University Ave");
    assert_string_equal(g.addr.street_number, "200");
    assert_null(g.addr.unit_number);
    assert_int_equal(g.apply_defaults, 1);
    assert_string_equal(g.editors_json, "[\"u1\"]");
    assert_string_equal(g.webhooks_json, "[]");
    assert_string_equal(g.created_by, "550e8400-e29b-41d4-a716-446655440000");
    assert_int_equal(g.created_at, NOW);
    assert_int_equal(g.updated_at, NOW);
    assert_string_equal(g.initial_status, "empty");
    assert_string_equal(g.initial_wo_id, m.w.id);
    assert_string_equal(g.default_view_id, m.v.id);

    struct view_row *vs;
    size_t nv;
    assert_int_equal(store_view_list(f->s, m.g.id, f->a, &vs, &nv, &e), RC_OK);
    assert_int_equal(nv, 1);
    assert_string_equal(vs[0].id, m.v.id);
    assert_string_equal(vs[0].iguide_id, m.g.id);
    assert_int_equal(vs[0].is_default, 1);
    assert_int_equal(vs[0].is_protected, 0);
    assert_int_equal(vs[0].expires_at, clock_add_years(NOW, 1));
    assert_null(vs[0].banner_id);
    assert_string_equal(vs[0].description, "desc");
    assert_string_equal(vs[0].meas_std, "rms");
    assert_string_equal(vs[0].viewers_json, "[]");
    assert_string_equal(vs[0].viewer_groups_json, "[]");
    assert_int_equal(vs[0].created_at, NOW);

    struct workorder_row *ws;
    size_t nw;
    assert_int_equal(store_workorder_list(f->s, m.g.id, f->a, &ws, &nw, &e), RC_OK);
    assert_int_equal(nw, 1);
    assert_string_equal(ws[0].id, m.w.id);
    assert_string_equal(ws[0].iguide_id, m.g.id);
    assert_string_equal(ws[0].iguide_type, "standard");
    assert_string_equal(ws[0].task_type, "initial");
    assert_int_equal(ws[0].is_initial, 1);
    assert_string_equal(ws[0].status, "empty");
    assert_null(ws[0].rejection_reason);
    assert_null(ws[0].exception_reason);
    assert_int_equal(ws[0].created_at, NOW);

    assert_int_equal(count_rows(f, "SELECT count(*) FROM iguides", NULL), 1);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM views WHERE iguide_id = ?1", m.g.id), 1);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM work_orders WHERE iguide_id = ?1", m.g.id),
                     1);
}

static void t_unit_number_kept(void **state)
{
    struct fx *f = *state;
    struct made m;
    fill(&m, NOW);
    m.g.addr.unit_number = "Suite 5";
    struct err e = {0};
    assert_int_equal(store_iguide_create(f->s, &m.g, &m.v, &m.w, "x", f->a, &e), RC_OK);
    struct iguide_row g;
    assert_int_equal(store_iguide_get(f->s, m.g.id, f->a, &g, &e), RC_OK);
    assert_string_equal(g.addr.unit_number, "Suite 5");
}

static void t_alias_collisions(void **state)
{
    struct fx *f = *state;
    struct made a = create(f, "200_university_ave_waterloo_on", NOW);
    struct made b = create(f, "200_university_ave_waterloo_on", NOW + 1);
    struct made c = create(f, "200_university_ave_waterloo_on", NOW + 2);
    assert_string_equal(a.g.alias, "200_university_ave_waterloo_on");
    assert_string_equal(b.g.alias, "200_university_ave_waterloo_on_2");
    assert_string_equal(c.g.alias, "200_university_ave_waterloo_on_3");
    struct iguide_row g;
    struct err e = {0};
    assert_int_equal(store_iguide_get(f->s, b.g.id, f->a, &g, &e), RC_OK);
    assert_string_equal(g.alias, "200_university_ave_waterloo_on_2");
    /* A base that already looks like a suffixed alias. */
    struct made d = create(f, "lot", NOW);
    struct made d2 = create(f, "lot_2", NOW);
    struct made d3 = create(f, "lot", NOW);
    assert_string_equal(d.g.alias, "lot");
    assert_string_equal(d2.g.alias, "lot_2");
    assert_string_equal(d3.g.alias, "lot_3");
    /* After a delete the freed alias is used again. */
    assert_int_equal(store_iguide_delete(f->s, a.g.id, &e), RC_OK);
    struct made a2 = create(f, "200_university_ave_waterloo_on", NOW);
    assert_string_equal(a2.g.alias, "200_university_ave_waterloo_on");
}

static void t_list_pagination(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    struct iguide_row *rows;
    size_t n = 99;
    assert_int_equal(store_iguide_list(f->s, 0, 10, f->a, &rows, &n, &e), RC_OK);
    assert_int_equal(n, 0);
    char ids[5][ID_MAX];
    for (int i = 0; i < 5; i++) {
        char base[16];
        snprintf(base, sizeof base, "home_%d", i);
        struct made m = create(f, base, NOW + i);
        memcpy(ids[i], m.g.id, ID_MAX);
    }
    /* Newest first, two at a time, continuing before the last seq seen. */
    int64_t before = 0;
    int seen = 0;
    int64_t last_seq = INT64_MAX;
    for (int page = 0; page < 4; page++) {
        assert_int_equal(store_iguide_list(f->s, before, 2, f->a, &rows, &n, &e), RC_OK);
        assert_int_equal(n, page < 2 ? 2 : page == 2 ? 1 : 0);
        for (size_t i = 0; i < n; i++) {
            assert_string_equal(rows[i].id, ids[4 - seen]);
            assert_true(rows[i].seq < last_seq);
            last_seq = rows[i].seq;
            assert_non_null(rows[i].alias);
            assert_string_equal(rows[i].initial_status, "empty");
            assert_true(id_valid(ID_VIEW, rows[i].default_view_id));
            seen++;
        }
        if (n)
            before = rows[n - 1].seq;
    }
    assert_int_equal(seen, 5);
    /* One big page holds everything, in the same order. */
    assert_int_equal(store_iguide_list(f->s, 0, 100, f->a, &rows, &n, &e), RC_OK);
    assert_int_equal(n, 5);
    for (int i = 0; i < 5; i++)
        assert_string_equal(rows[i].id, ids[4 - i]);
    /* More than the collector's first chunk (8 rows) to exercise its growth. */
    for (int i = 0; i < 20; i++)
        create(f, "many", NOW);
    assert_int_equal(store_iguide_list(f->s, 0, 100, f->a, &rows, &n, &e), RC_OK);
    assert_int_equal(n, 25);
    for (size_t i = 1; i < n; i++)
        assert_true(rows[i].seq < rows[i - 1].seq);
    assert_string_equal(rows[24].id, ids[0]);
}

static void t_delete_cascades(void **state)
{
    struct fx *f = *state;
    struct made a = create(f, "a", NOW);
    struct made b = create(f, "b", NOW);
    struct err e = {0};
    assert_int_equal(store_iguide_delete(f->s, a.g.id, &e), RC_OK);
    struct iguide_row g;
    assert_int_equal(store_iguide_get(f->s, a.g.id, f->a, &g, &e), RC_NOTFOUND);
    assert_int_equal(e.rc, RC_NOTFOUND);
    struct view_row *vs;
    struct workorder_row *ws;
    size_t n;
    assert_int_equal(store_view_list(f->s, a.g.id, f->a, &vs, &n, &e), RC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_workorder_list(f->s, a.g.id, f->a, &ws, &n, &e), RC_OK);
    assert_int_equal(n, 0);
    struct workorder_row w;
    assert_int_equal(store_workorder_get(f->s, a.g.id, a.w.id, f->a, &w, &e), RC_NOTFOUND);
    /* Nothing of it is left in the tables at all. */
    assert_int_equal(count_rows(f, "SELECT count(*) FROM views WHERE id = ?1", a.v.id), 0);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM work_orders WHERE id = ?1", a.w.id), 0);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM views", NULL), 1);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM work_orders", NULL), 1);
    /* The other iGUIDE is untouched. */
    assert_int_equal(store_iguide_get(f->s, b.g.id, f->a, &g, &e), RC_OK);
    assert_int_equal(store_view_list(f->s, b.g.id, f->a, &vs, &n, &e), RC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_workorder_list(f->s, b.g.id, f->a, &ws, &n, &e), RC_OK);
    assert_int_equal(n, 1);
    /* Deleting again, or something that never existed. */
    assert_int_equal(store_iguide_delete(f->s, a.g.id, &e), RC_NOTFOUND);
    assert_int_equal(store_iguide_delete(f->s, "igNOPE000000000", &e), RC_NOTFOUND);
}

static void t_workorder_scoped(void **state)
{
    struct fx *f = *state;
    struct made a = create(f, "a", NOW);
    struct made b = create(f, "b", NOW);
    struct err e = {0};
    struct workorder_row w;
    assert_int_equal(store_workorder_get(f->s, a.g.id, a.w.id, f->a, &w, &e), RC_OK);
    assert_string_equal(w.id, a.w.id);
    assert_string_equal(w.iguide_id, a.g.id);
    assert_string_equal(w.iguide_type, "standard");
    assert_string_equal(w.status, "empty");
    /* Right work order, wrong iGUIDE: not found (no peeking across iGUIDEs). */
    e.rc = RC_OK;
    assert_int_equal(store_workorder_get(f->s, b.g.id, a.w.id, f->a, &w, &e), RC_NOTFOUND);
    assert_int_equal(e.rc, RC_NOTFOUND);
    assert_int_equal(store_workorder_get(f->s, a.g.id, b.w.id, f->a, &w, &e), RC_NOTFOUND);
    assert_int_equal(store_workorder_get(f->s, "igNOPE000000000", a.w.id, f->a, &w, &e),
                     RC_NOTFOUND);
    assert_int_equal(store_workorder_get(f->s, a.g.id, "ZZZZZZ", f->a, &w, &e), RC_NOTFOUND);
    assert_int_equal(store_iguide_get(f->s, "igNOPE000000000", f->a, &(struct iguide_row){0}, &e),
                     RC_NOTFOUND);
}

static void t_create_is_atomic(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    /* The third insert (work order) fails: the iGUIDE and view inserted before must be gone. */
    struct made m;
    fill(&m, NOW);
    m.w.task_type = NULL; /* NOT NULL column */
    enum rc rc = store_iguide_create(f->s, &m.g, &m.v, &m.w, "atomic", f->a, &e);
    assert_int_not_equal(rc, RC_OK);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM iguides", NULL), 0);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM views", NULL), 0);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM work_orders", NULL), 0);
    /* The second insert fails. */
    fill(&m, NOW);
    m.v.meas_std = NULL;
    assert_int_not_equal(store_iguide_create(f->s, &m.g, &m.v, &m.w, "atomic", f->a, &e), RC_OK);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM iguides", NULL), 0);
    /* And the connection is usable afterwards; the alias was not consumed. */
    struct made ok = create(f, "atomic", NOW);
    assert_string_equal(ok.g.alias, "atomic");
    assert_int_equal(count_rows(f, "SELECT count(*) FROM iguides", NULL), 1);
}

static void t_transactions(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    /* Rollback without a transaction is harmless; begin/commit and begin/rollback work. */
    store_rollback(f->s);
    assert_int_equal(store_begin(f->s, 0, &e), RC_OK);
    struct iguide_row *rows;
    size_t n;
    assert_int_equal(store_iguide_list(f->s, 0, 5, f->a, &rows, &n, &e), RC_OK);
    store_rollback(f->s);
    assert_int_equal(store_begin(f->s, 1, &e), RC_OK);
    assert_int_equal(store_commit(f->s, &e), RC_OK);
    /* Committing with nothing open is an error, not a crash. */
    assert_int_not_equal(store_commit(f->s, &e), RC_OK);
    /* Still usable. */
    create(f, "after", NOW);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    log_set_level(LOG_WARN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(t_migrations_once, setup, teardown),
        cmocka_unit_test_setup_teardown(t_open_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(t_create_writes_three_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(t_unit_number_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(t_alias_collisions, setup, teardown),
        cmocka_unit_test_setup_teardown(t_list_pagination, setup, teardown),
        cmocka_unit_test_setup_teardown(t_delete_cascades, setup, teardown),
        cmocka_unit_test_setup_teardown(t_workorder_scoped, setup, teardown),
        cmocka_unit_test_setup_teardown(t_create_is_atomic, setup, teardown),
        cmocka_unit_test_setup_teardown(t_transactions, setup, teardown),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
