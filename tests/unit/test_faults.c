/* test_faults.c — fault injection (core/fault.h) walked through the write paths: for n = 1, 2, ...
 * the Nth call of a fault point fails (once, and in the persistent variant every call after it),
 * until the operation makes fewer calls than n and succeeds. Every failing run must end in a clean
 * error (the expected code with a message: no crash, no RC_OK over partial results), leave no
 * partial state (rows counted through a separate connection, no open transaction, no object or
 * temporary file), and leak nothing (the ASan build runs this too). */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <ftw.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "api/view_input.h"
#include "auth/tokens.h"
#include "blob/blob.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/fault.h"
#include "core/log.h"
#include "store/store.h"

#include "store_fixture.h"

#define NOW 1795608000000LL /* 2026-11-25T12:00:00Z */
/* Every operation here makes far fewer calls than this; reaching it means one never succeeds. */
#define FAULT_LOOP_MAX 200

/* ---- the walk ---- */

/* One run of the operation under test; ctx is the test's own state. */
typedef enum rc (*op_fn)(struct fx *f, void *ctx, struct err *e);
/* Asserts that a failed run left the state as it was before the walk. */
typedef void (*check_fn)(struct fx *f, void *ctx);

/* Arms p at n = 1, 2, ... (persist: every call from the Nth fails) and runs op each time, until a
 * run sees no injected failure; that run must succeed. Each failed run must return expect with a
 * message and pass unchanged. Returns how many runs had a failure injected. */
static int walk(struct fx *f, enum fault_point p, int persist, op_fn op, check_fn unchanged,
                void *ctx, enum rc expect)
{
    for (long n = 1; n <= FAULT_LOOP_MAX; n++) {
        struct err e = {0};
        fault_arm(p, n, persist);
        enum rc rc = op(f, ctx, &e);
        long failed = fault_failures(p);
        fault_disarm_all();
        if (failed == 0) {
            if (rc != RC_OK)
                fail_msg("run %ld without an injected failure: %s %s", n, rc_name(rc), e.msg);
            return (int)(n - 1);
        }
        if (rc != expect)
            fail_msg("failure injected at call %ld%s: got %s (%s), want %s", n,
                     persist ? " (persistent)" : "", rc_name(rc), e.msg, rc_name(expect));
        if (e.rc != rc || !e.msg[0])
            fail_msg("failure injected at call %ld: no error message", n);
        if (unchanged)
            unchanged(f, ctx);
    }
    fail_msg("still failing after %d injected failures", FAULT_LOOP_MAX);
    return -1;
}

/* Counts the rows of table through a separate read-only connection: only committed state. */
static int rows(struct fx *f, const char *table)
{
    char path[128], sql[96];
    snprintf(path, sizeof path, "%s/guidepost.db", f->dir);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* The connection has no transaction left open (BEGIN inside one fails). */
static void no_open_tx(struct fx *f)
{
    struct err e = {0};
    if (store_begin(f->s, 1, &e) != RC_OK)
        fail_msg("a transaction was left open: %s", e.msg);
    store_rollback(f->s);
}

/* ---- the facility itself ---- */

static void t_fault_counts(void **state)
{
    (void)state;
    assert_int_equal(fault_hit(FAULT_ALLOC), 0);
    fault_arm(FAULT_STORE_STEP, 3, 0);
    int got[5];
    for (int i = 0; i < 5; i++)
        got[i] = fault_hit(FAULT_STORE_STEP);
    assert_int_equal(got[0] + got[1] + got[3] + got[4], 0);
    assert_int_equal(got[2], 1);
    assert_int_equal(fault_hit(FAULT_ALLOC), 0); /* other points stay quiet */
    fault_arm(FAULT_STORE_STEP, 2, 1);
    assert_int_equal(fault_hit(FAULT_STORE_STEP), 0);
    for (int i = 0; i < 4; i++)
        assert_int_equal(fault_hit(FAULT_STORE_STEP), 1);
    assert_int_equal(fault_failures(FAULT_STORE_STEP), 4);
    fault_disarm_all();
    assert_int_equal(fault_hit(FAULT_STORE_STEP), 0);
    assert_int_equal(fault_failures(FAULT_STORE_STEP), 0);
    fault_arm(FAULT_ALLOC, 1, 0);
    assert_null(arena_new());
    fault_disarm_all();
}

/* ---- iGUIDE + default view + initial work order, all or nothing ---- */

struct counts {
    int iguides, views, wos;
};

static struct counts now_counts(struct fx *f)
{
    return (struct counts){rows(f, "iguides"), rows(f, "views"), rows(f, "work_orders")};
}

static enum rc op_iguide_create(struct fx *f, void *ctx, struct err *e)
{
    (void)ctx;
    struct made m;
    fx_iguide_fill(&m, NOW);
    return store_iguide_create(f->s, &m.g, &m.v, &m.w, "200_university_ave_waterloo_on", f->a, e);
}

static void iguide_unchanged(struct fx *f, void *ctx)
{
    const struct counts *before = ctx;
    struct counts c = now_counts(f);
    assert_int_equal(c.iguides, before->iguides);
    assert_int_equal(c.views, before->views);
    assert_int_equal(c.wos, before->wos);
    no_open_tx(f);
}

static void walk_iguide_create(struct fx *f, enum fault_point p, int persist, enum rc expect,
                               int min_failures)
{
    /* One iGUIDE at the same address first, so the alias search takes its second round. */
    struct made first;
    fx_iguide_fill(&first, NOW);
    fx_iguide_create(f, &first, "200_university_ave_waterloo_on");
    struct counts before = now_counts(f);
    int n = walk(f, p, persist, op_iguide_create, iguide_unchanged, &before, expect);
    print_message("# store_iguide_create, %s%s: %d injected failures\n",
                  p == FAULT_ALLOC ? "allocation" : "store step", persist ? " (persistent)" : "", n);
    assert_true(n >= min_failures);
    struct counts after = now_counts(f);
    assert_int_equal(after.iguides, before.iguides + 1);
    assert_int_equal(after.views, before.views + 1);
    assert_int_equal(after.wos, before.wos + 1);
    no_open_tx(f);
}

static void t_iguide_create_step(void **state)
{
    /* BEGIN, three id/alias probes each at least, three inserts, COMMIT. */
    walk_iguide_create(*state, FAULT_STORE_STEP, 0, RC_IO, 9);
}

static void t_iguide_create_step_persistent(void **state)
{
    walk_iguide_create(*state, FAULT_STORE_STEP, 1, RC_IO, 9);
}

static void t_iguide_create_alloc(void **state)
{
    walk_iguide_create(*state, FAULT_ALLOC, 0, RC_NOMEM, 1);
}

/* ---- API tokens ---- */

static enum rc op_token_create(struct fx *f, void *ctx, struct err *e)
{
    (void)ctx;
    struct token_issued t;
    return auth_token_create(f->s, "ci", "deploys", SCOPE_BIT(SCOPE_IGUIDE_RO) | SCOPE_BIT(SCOPE_IGUIDE_RW), 0,
                             NULL, f->a, &t, e);
}

static void tokens_unchanged(struct fx *f, void *ctx)
{
    assert_int_equal(rows(f, "api_tokens"), *(int *)ctx);
    no_open_tx(f);
}

static void walk_token_create(struct fx *f, enum fault_point p, int persist, enum rc expect)
{
    int before = rows(f, "api_tokens");
    int n = walk(f, p, persist, op_token_create, tokens_unchanged, &before, expect);
    print_message("# auth_token_create, %s%s: %d injected failures\n",
                  p == FAULT_ALLOC ? "allocation" : "store step", persist ? " (persistent)" : "", n);
    assert_true(n >= 1);
    assert_int_equal(rows(f, "api_tokens"), before + 1);
}

static void t_token_create_step(void **state)
{
    walk_token_create(*state, FAULT_STORE_STEP, 0, RC_IO);
}

static void t_token_create_alloc(void **state)
{
    walk_token_create(*state, FAULT_ALLOC, 0, RC_NOMEM);
    walk_token_create(*state, FAULT_ALLOC, 1, RC_NOMEM);
}

struct rotate_ctx {
    char id[37];
    struct token_row before;
};

/* Rotation as the API handler and the CLI run it: inside a write transaction of the caller,
 * which rolls back when any step fails. */
static enum rc op_token_rotate(struct fx *f, void *ctx, struct err *e)
{
    struct rotate_ctx *r = ctx;
    struct token_issued t;
    enum rc rc = store_begin(f->s, 1, e);
    if (rc == RC_OK)
        rc = auth_token_rotate(f->s, r->id, f->a, &t, e);
    if (rc == RC_OK)
        rc = store_commit(f->s, e);
    if (rc != RC_OK) {
        store_rollback(f->s);
        return rc;
    }
    assert_non_null(t.value);
    assert_true(t.row.has_prev);
    assert_memory_not_equal(t.row.hash, r->before.hash, 32);
    return RC_OK;
}

static void rotate_unchanged(struct fx *f, void *ctx)
{
    struct rotate_ctx *r = ctx;
    struct token_row now;
    struct err e = {0};
    no_open_tx(f);
    assert_int_equal(store_token_get(f->s, r->id, f->a, &now, &e), RC_OK);
    assert_memory_equal(now.hash, r->before.hash, 32);
    assert_int_equal(now.has_prev, 0);
    assert_int_equal(now.rotated_at, 0);
    assert_int_equal(now.expires_at, r->before.expires_at);
}

static void walk_token_rotate(struct fx *f, enum fault_point p, int persist, enum rc expect)
{
    struct rotate_ctx r;
    struct token_issued t;
    struct err e = {0};
    assert_int_equal(auth_token_create(f->s, "ci", NULL, SCOPE_BIT(SCOPE_IGUIDE_RO), 0, NULL, f->a, &t, &e),
                     RC_OK);
    memcpy(r.id, t.row.id, sizeof r.id);
    assert_int_equal(store_token_get(f->s, r.id, f->a, &r.before, &e), RC_OK);
    int n = walk(f, p, persist, op_token_rotate, rotate_unchanged, &r, expect);
    print_message("# auth_token_rotate, %s%s: %d injected failures\n",
                  p == FAULT_ALLOC ? "allocation" : "store step", persist ? " (persistent)" : "", n);
    /* BEGIN, read, update, read back, COMMIT. */
    assert_true(n >= (p == FAULT_ALLOC ? 3 : 5));
}

static void t_token_rotate_step(void **state)
{
    walk_token_rotate(*state, FAULT_STORE_STEP, 0, RC_IO);
}

static void t_token_rotate_alloc(void **state)
{
    walk_token_rotate(*state, FAULT_ALLOC, 0, RC_NOMEM);
}

static void t_token_insert_rotate_store(void **state)
{
    /* The store calls alone: one statement each, so one failure each, and nothing written. */
    struct fx *f = *state;
    struct token_row t = {.id = "6f1c3c1e-2b7a-4d35-9a51-0b7e1f0a9c11", .name = "n",
                          .scopes = "iguides:read", .hint = "...abcde", .expires_at = NOW + 1000,
                          .created_at = NOW};
    memset(t.hash, 7, sizeof t.hash);
    struct err e = {0};
    fault_arm(FAULT_STORE_STEP, 1, 0);
    assert_int_equal(store_token_insert(f->s, &t, &e), RC_IO);
    fault_disarm_all();
    assert_int_equal(rows(f, "api_tokens"), 0);
    assert_int_equal(store_token_insert(f->s, &t, &e), RC_OK);
    unsigned char h[32];
    memset(h, 9, sizeof h);
    fault_arm(FAULT_STORE_STEP, 1, 0);
    assert_int_equal(store_token_rotate(f->s, t.id, h, "...fghij", NOW + 5, NOW, NOW + 2000, &e),
                     RC_IO);
    fault_disarm_all();
    struct token_row got;
    assert_int_equal(store_token_get(f->s, t.id, f->a, &got, &e), RC_OK);
    assert_memory_equal(got.hash, t.hash, 32);
    assert_int_equal(got.has_prev, 0);
}

/* ---- the job queue ---- */

struct enqueue_ctx {
    const char *idem;
    int jobs_before;
    char first_id[ID_MAX];
};

static enum rc op_enqueue(struct fx *f, void *ctx, struct err *e)
{
    struct enqueue_ctx *q = ctx;
    char id[ID_MAX];
    int64_t at = 0;
    int created = -1;
    enum rc rc = store_job_enqueue(f->s, "pipeline", "process", "{\"wo\":\"1\"}", q->idem, NOW, id,
                                   &at, &created, e);
    if (rc == RC_OK && q->first_id[0]) {
        /* The retried enqueue of a key finds the job already there. */
        assert_int_equal(created, 0);
        assert_string_equal(id, q->first_id);
        assert_int_equal(at, NOW);
    } else if (rc == RC_OK) {
        assert_int_equal(created, 1);
    }
    return rc;
}

static void jobs_unchanged(struct fx *f, void *ctx)
{
    assert_int_equal(rows(f, "jobs"), ((struct enqueue_ctx *)ctx)->jobs_before);
    no_open_tx(f);
}

static void t_job_enqueue_step(void **state)
{
    struct fx *f = *state;
    struct enqueue_ctx q = {.idem = "process:wo-1", .jobs_before = rows(f, "jobs")};
    int n = walk(f, FAULT_STORE_STEP, 0, op_enqueue, jobs_unchanged, &q, RC_IO);
    print_message("# store_job_enqueue (new key): %d injected failures\n", n);
    assert_int_equal(n, 1);
    assert_int_equal(rows(f, "jobs"), q.jobs_before + 1);
    /* The same key again: the insert does nothing and the lookup returns the first job. */
    struct err e = {0};
    int64_t at;
    int created;
    assert_int_equal(store_job_enqueue(f->s, "pipeline", "process", "{}", q.idem, NOW + 5,
                                       q.first_id, &at, &created, &e),
                     RC_OK);
    q.jobs_before = rows(f, "jobs");
    n = walk(f, FAULT_STORE_STEP, 0, op_enqueue, jobs_unchanged, &q, RC_IO);
    print_message("# store_job_enqueue (existing key): %d injected failures\n", n);
    assert_int_equal(n, 2);
    n = walk(f, FAULT_STORE_STEP, 1, op_enqueue, jobs_unchanged, &q, RC_IO);
    assert_int_equal(n, 2);
    assert_int_equal(rows(f, "jobs"), q.jobs_before);
}

/* ---- the blob writer ---- */

struct blobs {
    char dir[64];
    struct blob_store *b;
};

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int count_entry_files;
static int count_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)path;
    (void)sb;
    (void)ftw;
    if (flag == FTW_F)
        count_entry_files++;
    return 0;
}

/* Regular files anywhere under root/sub. */
static int files_under(struct blobs *bs, const char *sub)
{
    char p[128];
    snprintf(p, sizeof p, "%s/%s", bs->dir, sub);
    count_entry_files = 0;
    assert_int_equal(nftw(p, count_entry, 8, FTW_PHYS), 0);
    return count_entry_files;
}

static const char *const chunk[] = {"stitch ", "data ", "in ", "four parts"};
#define OBJ "stitch-data/4MN/original.tar"

struct blob_ctx {
    struct blobs *bs;
    int objects_before;     /* files under objects/ before the walk */
    const char *old_body;   /* what OBJ holds before the walk; NULL when missing */
};

/* Writes the four chunks and commits them as OBJ, aborting on a write error as callers do. */
static enum rc op_blob(struct fx *f, void *ctx, struct err *e)
{
    (void)f;
    struct blob_ctx *c = ctx;
    struct blob_writer *w;
    enum rc rc = blob_writer_open(c->bs->b, &w, e);
    if (rc != RC_OK)
        return rc;
    for (size_t i = 0; i < sizeof chunk / sizeof *chunk; i++)
        if ((rc = blob_write(w, chunk[i], strlen(chunk[i]), e)) != RC_OK) {
            blob_abort(w);
            return rc;
        }
    return blob_commit(w, OBJ, e);
}

static void blob_unchanged(struct fx *f, void *ctx)
{
    struct blob_ctx *c = ctx;
    assert_int_equal(files_under(c->bs, "tmp"), 0);
    assert_int_equal(files_under(c->bs, "objects"), c->objects_before);
    char *body;
    size_t n;
    struct err e = {0};
    enum rc rc = blob_read_all(c->bs->b, OBJ, 1024, f->a, &body, &n, &e);
    if (!c->old_body) {
        assert_int_equal(rc, RC_NOTFOUND);
    } else {
        assert_int_equal(rc, RC_OK);
        assert_string_equal(body, c->old_body);
    }
}

static void walk_blob(struct fx *f, enum fault_point p, int persist, int want)
{
    struct blobs bs;
    snprintf(bs.dir, sizeof bs.dir, "/tmp/gp-faults-XXXXXX");
    assert_non_null(mkdtemp(bs.dir));
    struct err e = {0};
    assert_int_equal(blob_open(bs.dir, &bs.b, &e), RC_OK);
    struct blob_ctx c = {.bs = &bs};
    int n = walk(f, p, persist, op_blob, blob_unchanged, &c, RC_IO);
    assert_int_equal(n, want);
    /* Replacing an object: a failed commit keeps the old bytes in place. */
    struct blob_writer *w;
    assert_int_equal(blob_writer_open(bs.b, &w, &e), RC_OK);
    assert_int_equal(blob_write(w, "old", 3, &e), RC_OK);
    assert_int_equal(blob_commit(w, OBJ, &e), RC_OK);
    c.objects_before = files_under(&bs, "objects");
    c.old_body = "old";
    assert_int_equal(walk(f, p, persist, op_blob, blob_unchanged, &c, RC_IO), want);
    print_message("# blob write + commit, %s%s: %d injected failures (new), %d (replace)\n",
                  p == FAULT_BLOB_WRITE ? "write" : "commit", persist ? " (persistent)" : "", want,
                  want);
    char *body;
    size_t len;
    assert_int_equal(blob_read_all(bs.b, OBJ, 1024, f->a, &body, &len, &e), RC_OK);
    assert_string_equal(body, "stitch data in four parts");
    assert_int_equal(files_under(&bs, "tmp"), 0);
    blob_close(bs.b);
    assert_int_equal(nftw(bs.dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS), 0);
}

static void t_blob_write(void **state)
{
    walk_blob(*state, FAULT_BLOB_WRITE, 0, 4);
    walk_blob(*state, FAULT_BLOB_WRITE, 1, 4);
}

static void t_blob_commit(void **state)
{
    /* fsync, then rename. */
    walk_blob(*state, FAULT_BLOB_COMMIT, 0, 2);
    walk_blob(*state, FAULT_BLOB_COMMIT, 1, 2);
}

/* ---- arena exhaustion where JSON is turned into rows and rows into memory ---- */

struct view_ctx {
    json_t *body;
    struct arena *a;
};

static enum rc op_view_params(struct fx *f, void *ctx, struct err *e)
{
    (void)f;
    struct view_ctx *c = ctx;
    struct view_params p;
    enum rc rc = view_params_parse(c->body, "", VIEW_FIELDS_VIEW, NOW, &p, e);
    if (rc != RC_OK)
        return rc;
    struct view_row v = {0};
    rc = view_params_to_new(&p, "residential", "CA", NOW, &v, c->a, e);
    if (rc != RC_OK)
        return rc;
    assert_string_equal(v.viewers_json, "[\"u1\",\"u2\"]");
    assert_string_equal(v.viewer_groups_json, "[\"g1\"]");
    rc = view_params_apply(&p, NOW + 1, &v, c->a, e);
    if (rc == RC_OK)
        assert_string_equal(v.viewers_json, "[\"u1\",\"u2\"]");
    return rc;
}

static void t_view_params_alloc(void **state)
{
    struct view_ctx c = {
        .body = json_loads("{\"viewers\":[\"u1\",\"u2\"],\"viewerGroups\":[\"g1\"],"
                           "\"description\":\"d\"}",
                           0, NULL),
        .a = arena_new()};
    assert_non_null(c.body);
    int n = walk(*state, FAULT_ALLOC, 0, op_view_params, NULL, &c, RC_NOMEM);
    print_message("# view_params_to_new + view_params_apply, allocation: %d injected failures\n",
                  n);
    assert_int_equal(n, 4);
    assert_int_equal(walk(*state, FAULT_ALLOC, 1, op_view_params, NULL, &c, RC_NOMEM), 4);
    json_decref(c.body);
    arena_free(c.a);
}

/* Reading rows copies their text into the arena: an exhausted arena is RC_NOMEM, never a row
 * with fields silently missing. */
static enum rc op_iguide_read(struct fx *f, void *ctx, struct err *e)
{
    const char *id = ctx;
    struct iguide_row g;
    enum rc rc = store_iguide_get(f->s, id, f->a, &g, e);
    if (rc != RC_OK)
        return rc;
    assert_string_equal(g.alias, "200_university_ave_waterloo_on");
    assert_string_equal(g.addr.city, "Waterloo");
    assert_non_null(g.initial_status);
    struct iguide_row *list;
    size_t n;
    rc = store_iguide_list(f->s, 0, 10, f->a, &list, &n, e);
    if (rc != RC_OK)
        return rc;
    assert_int_equal(n, 1);
    assert_string_equal(list[0].type, "standard");
    return RC_OK;
}

static void t_store_read_alloc(void **state)
{
    struct fx *f = *state;
    struct made m;
    fx_iguide_fill(&m, NOW);
    fx_iguide_create(f, &m, "200_university_ave_waterloo_on");
    int n = walk(f, FAULT_ALLOC, 0, op_iguide_read, NULL, m.g.id, RC_NOMEM);
    print_message("# store_iguide_get + store_iguide_list, allocation: %d injected failures\n", n);
    /* A dozen text columns per row, read twice (one get, one list). */
    assert_true(n >= 20);
    assert_true(walk(f, FAULT_ALLOC, 1, op_iguide_read, NULL, m.g.id, RC_NOMEM) == n);
}

int main(void)
{
    log_set_level(LOG_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_fault_counts),
        cmocka_unit_test_setup_teardown(t_iguide_create_step, setup, teardown),
        cmocka_unit_test_setup_teardown(t_iguide_create_step_persistent, setup, teardown),
        cmocka_unit_test_setup_teardown(t_iguide_create_alloc, setup, teardown),
        cmocka_unit_test_setup_teardown(t_token_create_step, setup, teardown),
        cmocka_unit_test_setup_teardown(t_token_create_alloc, setup, teardown),
        cmocka_unit_test_setup_teardown(t_token_rotate_step, setup, teardown),
        cmocka_unit_test_setup_teardown(t_token_rotate_alloc, setup, teardown),
        cmocka_unit_test_setup_teardown(t_token_insert_rotate_store, setup, teardown),
        cmocka_unit_test_setup_teardown(t_job_enqueue_step, setup, teardown),
        cmocka_unit_test_setup_teardown(t_blob_write, setup, teardown),
        cmocka_unit_test_setup_teardown(t_blob_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(t_view_params_alloc, setup, teardown),
        cmocka_unit_test_setup_teardown(t_store_read_alloc, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
