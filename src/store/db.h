/* db.h — the driver boundary inside store/ (the store's VFS, in SQLite's terms). Query files
 * (q_*.c) are written once against these calls with ?1..?N placeholders; sqlite.c (and pg.c,
 * with the scale-out issue) are the only files that include a database header. */
#ifndef GP_DB_H
#define GP_DB_H

#include "core/rc.h"

#include <stddef.h>
#include <stdint.h>

struct db_stmt;

/* A statement, defined statically in a q_*.c file and prepared once per connection. */
struct query {
    const char *sql;      /* portable SQL with ?N placeholders */
    const char *sql_pg;   /* NULL unless the PostgreSQL text differs */
};

struct db_driver {
    const char *name;
    const char *begin_read, *begin_write;   /* transaction openers */
    enum rc (*open)(const char *target, void **conn, struct err *e);
    void (*close)(void *conn);
    /* Runs one or more statements without parameters (DDL, BEGIN, COMMIT). */
    enum rc (*exec)(void *conn, const char *sql, struct err *e);
    /* A ready statement for q, cached per connection; reset and unbound. */
    enum rc (*prepare)(void *conn, const struct query *q, struct db_stmt **st, struct err *e);
    enum rc (*bind_i64)(struct db_stmt *st, int i, int64_t v);
    enum rc (*bind_text)(struct db_stmt *st, int i, const char *s);   /* NULL binds NULL */
    enum rc (*bind_blob)(struct db_stmt *st, int i, const void *p, size_t n);
    enum rc (*bind_null)(struct db_stmt *st, int i);
    int (*param_count)(struct db_stmt *st);
    /* RC_ROW, RC_DONE, RC_CONFLICT (unique violation), RC_BUSY, or RC_IO with e set. */
    enum rc (*step)(struct db_stmt *st, struct err *e);
    int64_t (*col_i64)(struct db_stmt *st, int c);
    const char *(*col_text)(struct db_stmt *st, int c);                /* NULL for NULL */
    const void *(*col_blob)(struct db_stmt *st, int c, size_t *n);
    int (*col_is_null)(struct db_stmt *st, int c);
    void (*reset)(struct db_stmt *st);
    int64_t (*changes)(void *conn);
};

extern const struct db_driver db_sqlite;

#endif
