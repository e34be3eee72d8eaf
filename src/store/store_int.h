/* store_int.h — what the query files share: the connection struct and helpers that prepare,
 * bind by a small format string and copy columns into an arena. Not for use outside store/. */
#ifndef GP_STORE_INT_H
#define GP_STORE_INT_H

#include "store/db.h"
#include "store/store.h"

struct store {
    const struct db_driver *drv;
    void *conn;
    int in_tx;
    /* Set by q_text when the arena could not take a column: readers return nothing, so the
     * helpers that run them check this and fail the whole read with RC_NOMEM instead of handing
     * back a row with fields silently NULL. */
    int oom;
};

/* One bound parameter. Built with QT/QI/QB so the compiler checks each argument's type. */
struct qarg {
    char kind;              /* 't' text, 'i' int64, 'b' blob */
    const char *text;       /* NULL binds SQL NULL */
    int64_t i64;
    const void *blob;       /* NULL binds SQL NULL */
    size_t len;
};

#define QT(v) ((struct qarg){.kind = 't', .text = (v)})
#define QI(v) ((struct qarg){.kind = 'i', .i64 = (v)})
#define QB(p, n) ((struct qarg){.kind = 'b', .blob = (p), .len = (n)})
/* The parameter list of a query: Q_ARGS(QT(id), QI(now)); Q_NONE when there are none. */
#define Q_ARGS(...) (const struct qarg[]){__VA_ARGS__}, \
    sizeof((const struct qarg[]){__VA_ARGS__}) / sizeof(struct qarg)
#define Q_NONE NULL, 0

/* Prepares q and binds args; the count must equal the query's number of ?N parameters. */
enum rc q_start(struct store *s, const struct query *q, struct db_stmt **st, struct err *e,
                const struct qarg *args, size_t nargs);

/* Runs a statement that returns no rows; *changed (if non-NULL) gets the changed-row count. */
enum rc q_exec(struct store *s, const struct query *q, int64_t *changed, struct err *e,
               const struct qarg *args, size_t nargs);

/* Column c as an arena string (NULL for SQL NULL, or out of memory: then s->oom is set). */
const char *q_text(struct store *s, struct db_stmt *st, int c, struct arena *a);

/* Copies column c (text) into out[cap], truncating; "" for NULL. */
void q_text_into(struct store *s, struct db_stmt *st, int c, char *out, size_t cap);

int64_t q_i64(struct store *s, struct db_stmt *st, int c);

/* Copies a blob column of exactly n bytes into out; returns 0, or -1 when NULL or another size. */
int q_blob(struct store *s, struct db_stmt *st, int c, void *out, size_t n);

/* Reads one row of st into row (which the reader casts to its row type). */
typedef void (*q_reader)(struct store *s, struct db_stmt *st, struct arena *a, void *row);

/* Steps st to the end, reading each row into a growing arena array of elem-sized rows. */
enum rc q_collect(struct store *s, struct db_stmt *st, struct arena *a, size_t elem, q_reader rd,
                  void **rows, size_t *n, struct err *e);

/* Reads the single row st yields into out, or RC_NOTFOUND "<what> not found". */
enum rc q_one(struct store *s, struct db_stmt *st, struct arena *a, q_reader rd, void *out,
              const char *what, struct err *e);

/* A q_collect / q_one reader for a row that is a single string (const char *): column 0. */
void q_read_id(struct store *s, struct db_stmt *st, struct arena *a, void *row);

/* 1 when q (one text parameter: key) finds a row, 0 when not, -1 on error (e set). */
int q_exists(struct store *s, const struct query *q, const char *key, struct err *e);

/* The text of the single-column row q yields, in a; *out is NULL when there is none. */
enum rc q_one_text(struct store *s, const struct query *q, const struct qarg *args, size_t nargs,
                   struct arena *a, const char **out, struct err *e);

/* The one integer the query q yields (an aggregate: a missing row is RC_INTERNAL). */
enum rc q_one_i64(struct store *s, const struct query *q, const struct qarg *args, size_t nargs,
                  int64_t *out, struct err *e);

/* "Changed or else": rc as it is, except RC_OK with no row changed becomes if_none with msg. */
enum rc q_changed(enum rc rc, int64_t changed, enum rc if_none, const char *msg, struct err *e);

/* Draws ids of kind into out until the query taken (one text parameter: the id) finds no row. */
enum rc q_fresh_id(struct store *s, enum id_kind kind, const struct query *taken, char out[ID_MAX],
                   struct err *e);

/* ---- iGUIDE rows, shared by q_iguides.c and q_search.c ---- */

/* The columns q_read_iguide reads, for "SELECT " IGUIDE_COLS " FROM iguides g ...". */
#define IGUIDE_COLS                                                                                \
    "g.seq, g.id, g.alias, g.type, g.industry, g.country, g.province_state, g.city, "              \
    "g.postal_code, g.street_name, g.street_number, g.unit_number, g.apply_defaults, g.editors, "  \
    "g.webhooks, g.created_by, g.created_at, g.updated_at, "                                       \
    "(SELECT w.status FROM work_orders w WHERE w.iguide_id = g.id AND w.is_initial = 1), "         \
    "(SELECT w.id FROM work_orders w WHERE w.iguide_id = g.id AND w.is_initial = 1), "             \
    "(SELECT v.id FROM views v WHERE v.iguide_id = g.id AND v.is_default = 1)"

/* A q_collect / q_one reader for a struct iguide_row from IGUIDE_COLS. */
void q_read_iguide(struct store *s, struct db_stmt *st, struct arena *a, void *row);

/* Writes the search terms (core/search_terms.h) of the iGUIDE numbered seq, in the caller's
 * transaction. */
enum rc q_search_index(struct store *s, int64_t seq, const struct address *ad, const char *alias,
                       const char *id, struct err *e);

/* Migration 0007's C step: the search terms of every iGUIDE that has none, in the migration's
 * transaction. */
enum rc store_search_backfill(struct store *s, struct err *e);

#endif
