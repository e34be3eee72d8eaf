/* sqlite.c — the SQLite driver: WAL, NORMAL sync, foreign keys on, a busy timeout, and a small
 * per-connection cache of prepared statements keyed by the query's address. */
#include "store/db.h"

#include "core/fault.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define STMT_CACHE 96

struct sq_conn {
    sqlite3 *db;
    int nstmt;
    struct {
        const struct query *q;
        sqlite3_stmt *st;
    } cache[STMT_CACHE];
};

/* db_stmt is an sqlite3_stmt in disguise; the cast keeps the driver boundary opaque. */
#define ST(s) ((sqlite3_stmt *)(s))

static enum rc sq_error(sqlite3 *db, int rc, struct err *e)
{
    int primary = rc & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        return err_set(e, RC_BUSY, "database is busy");
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return err_set(e, RC_CONFLICT, "unique constraint: %s", sqlite3_errmsg(db));
    if (primary == SQLITE_NOMEM)
        return err_set(e, RC_NOMEM, "out of memory");
    return err_set(e, RC_IO, "sqlite: %s (%d)", sqlite3_errmsg(db), rc);
}

/* What an injected store fault reports: the failure a full or failing disk gives. */
static enum rc injected_io(struct err *e)
{
    return err_set(e, RC_IO, "sqlite: disk I/O error (%d)", SQLITE_IOERR);
}

static enum rc sq_exec(void *conn, const char *sql, struct err *e)
{
    struct sq_conn *c = conn;
    /* ROLLBACK is exempt: it is how every failure path recovers, and SQLite undoes a transaction
     * whose statement hit an I/O error on its own. */
    if (strncmp(sql, "ROLLBACK", 8) != 0 && fault_hit(FAULT_STORE_STEP))
        return injected_io(e);
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? RC_OK : sq_error(c->db, rc, e);
}

static enum rc sq_open(const char *path, void **out, struct err *e)
{
    struct sq_conn *c = calloc(1, sizeof *c);
    if (!c)
        return err_set(e, RC_NOMEM, "out of memory");
    int rc = sqlite3_open_v2(path, &c->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        enum rc r = err_set(e, RC_IO, "cannot open %s: %s", path,
                            c->db ? sqlite3_errmsg(c->db) : "out of memory");
        sqlite3_close(c->db);
        free(c);
        return r;
    }
    sqlite3_extended_result_codes(c->db, 1);
    sqlite3_busy_timeout(c->db, 5000);
    enum rc r = sq_exec(c, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                           "PRAGMA foreign_keys=ON;", e);
    if (r != RC_OK) {
        sqlite3_close(c->db);
        free(c);
        return r;
    }
    *out = c;
    return RC_OK;
}

static void sq_close(void *conn)
{
    struct sq_conn *c = conn;
    if (!c)
        return;
    for (int i = 0; i < c->nstmt; i++)
        sqlite3_finalize(c->cache[i].st);
    sqlite3_close(c->db);
    free(c);
}

static enum rc sq_prepare(void *conn, const struct query *q, struct db_stmt **out, struct err *e)
{
    struct sq_conn *c = conn;
    for (int i = 0; i < c->nstmt; i++)
        if (c->cache[i].q == q) {
            sqlite3_reset(c->cache[i].st);
            sqlite3_clear_bindings(c->cache[i].st);
            *out = (struct db_stmt *)c->cache[i].st;
            return RC_OK;
        }
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v3(c->db, q->sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK)
        return sq_error(c->db, rc, e);
    if (c->nstmt < STMT_CACHE) {
        c->cache[c->nstmt].q = q;
        c->cache[c->nstmt].st = st;
        c->nstmt++;
    } else {
        /* The cache is sized above the number of queries; this is a programming error. */
        sqlite3_finalize(st);
        return err_set(e, RC_INTERNAL, "statement cache full");
    }
    *out = (struct db_stmt *)st;
    return RC_OK;
}

static enum rc bind_rc(int rc)
{
    return rc == SQLITE_OK ? RC_OK : (rc == SQLITE_NOMEM ? RC_NOMEM : RC_INTERNAL);
}

static enum rc sq_bind_i64(struct db_stmt *st, int i, int64_t v)
{
    return bind_rc(sqlite3_bind_int64(ST(st), i, v));
}

static enum rc sq_bind_text(struct db_stmt *st, int i, const char *s)
{
    return bind_rc(s ? sqlite3_bind_text(ST(st), i, s, -1, SQLITE_TRANSIENT)
                     : sqlite3_bind_null(ST(st), i));
}

static enum rc sq_bind_blob(struct db_stmt *st, int i, const void *p, size_t n)
{
    return bind_rc(sqlite3_bind_blob64(ST(st), i, p, n, SQLITE_TRANSIENT));
}

static enum rc sq_bind_null(struct db_stmt *st, int i)
{
    return bind_rc(sqlite3_bind_null(ST(st), i));
}

static int sq_param_count(struct db_stmt *st)
{
    return sqlite3_bind_parameter_count(ST(st));
}

static enum rc sq_step(struct db_stmt *st, struct err *e)
{
    if (fault_hit(FAULT_STORE_STEP)) {
        sqlite3_reset(ST(st));
        return injected_io(e);
    }
    int rc = sqlite3_step(ST(st));
    if (rc == SQLITE_ROW)
        return RC_ROW;
    if (rc == SQLITE_DONE)
        return RC_DONE;
    sqlite3 *db = sqlite3_db_handle(ST(st));
    enum rc r = sq_error(db, sqlite3_extended_errcode(db), e);
    sqlite3_reset(ST(st));
    return r;
}

static int64_t sq_col_i64(struct db_stmt *st, int c)
{
    return sqlite3_column_int64(ST(st), c);
}

static const char *sq_col_text(struct db_stmt *st, int c)
{
    return (const char *)sqlite3_column_text(ST(st), c);
}

static const void *sq_col_blob(struct db_stmt *st, int c, size_t *n)
{
    const void *p = sqlite3_column_blob(ST(st), c);
    *n = (size_t)sqlite3_column_bytes(ST(st), c);
    return p;
}

static int sq_col_is_null(struct db_stmt *st, int c)
{
    return sqlite3_column_type(ST(st), c) == SQLITE_NULL;
}

static void sq_reset(struct db_stmt *st)
{
    sqlite3_reset(ST(st));
}

static int64_t sq_changes(void *conn)
{
    return sqlite3_changes64(((struct sq_conn *)conn)->db);
}

const struct db_driver db_sqlite = {
    .name = "sqlite",
    /* Every write transaction takes the write lock up front: a deferred BEGIN that later
     * upgrades does not wait on the busy handler (c-service-notes.md §C.4). */
    .begin_read = "BEGIN",
    .begin_write = "BEGIN IMMEDIATE",
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .bind_i64 = sq_bind_i64,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .bind_null = sq_bind_null,
    .param_count = sq_param_count,
    .step = sq_step,
    .col_i64 = sq_col_i64,
    .col_text = sq_col_text,
    .col_blob = sq_col_blob,
    .col_is_null = sq_col_is_null,
    .reset = sq_reset,
    .changes = sq_changes,
};
