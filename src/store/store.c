/* store.c — connections, transactions, the migration runner and the query helpers. */
#include "store/store_int.h"

#include "core/clock.h"
#include "core/log.h"
#include "store/migrations.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* dir is a folder of ours: created 0700, or an existing one tightened to 0700 (whatever the
 * umask, and whoever made it looser before). */
static enum rc private_dir(const char *dir, struct err *e)
{
    struct stat sb;
    int made = mkdir(dir, 0700) == 0;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return err_set(e, RC_IO, "cannot create data directory %s", dir);
    if ((sb.st_mode & 07777) != 0700) {
        if (chmod(dir, 0700) != 0)
            return err_set(e, RC_IO, "cannot make data directory %s private (mode 0700): %s", dir,
                           strerror(errno));
        if (!made)
            log_warn("data directory %s had mode %04o; changed to 0700", dir,
                     (unsigned)(sb.st_mode & 07777));
    }
    return RC_OK;
}

/* path is a file of ours: created empty with mode 0600 when missing, tightened to 0600 when it
 * exists with another mode. An existing file is never opened here: closing any descriptor of a
 * file drops every POSIX lock this process holds on it, SQLite's included. */
static enum rc private_file(const char *path, struct err *e)
{
    struct stat sb;
    if (stat(path, &sb) == 0) {
        if ((sb.st_mode & 07777) == 0600)
            return RC_OK;
        if (chmod(path, 0600) != 0)
            return err_set(e, RC_IO, "cannot make %s private (mode 0600): %s", path, strerror(errno));
        log_warn("%s had mode %04o; changed to 0600", path, (unsigned)(sb.st_mode & 07777));
        return RC_OK;
    }
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 && errno == EEXIST)
        return private_file(path, e);
    if (fd < 0)
        return err_set(e, RC_IO, "cannot create %s: %s", path, strerror(errno));
    enum rc rc = RC_OK;
    if (fchmod(fd, 0600) != 0)   /* the umask may have taken bits away: exactly 0600 */
        rc = err_set(e, RC_IO, "cannot make %s private (mode 0600): %s", path, strerror(errno));
    close(fd);
    return rc;
}

/* Creating the database file and SQLite opening it happen one thread at a time, so no connection
 * can open the file between its creation and the close of the creating descriptor. */
static pthread_mutex_t open_mu = PTHREAD_MUTEX_INITIALIZER;

enum rc store_open(const struct store_config *cfg, struct store **out, struct err *e)
{
    char path[4096];
    if (!cfg->data_dir || !*cfg->data_dir)
        return err_set(e, RC_INVALID, "no data directory given (--data DIR)");
    enum rc prc = private_dir(cfg->data_dir, e);
    if (prc != RC_OK)
        return prc;
    int n = snprintf(path, sizeof path, "%s/guidepost.db", cfg->data_dir);
    if (n < 0 || (size_t)n >= sizeof path - 8)
        return err_set(e, RC_INVALID, "data directory path is too long");
    /* The database holds the S3 root key, the session secret and every credential hash: it is
     * created 0600 here, before SQLite would create it 0644 less the umask. SQLite gives its -wal
     * and -shm files the database file's mode. */
    struct store *s = calloc(1, sizeof *s);
    if (!s)
        return err_set(e, RC_NOMEM, "out of memory");
    s->drv = &db_sqlite;
    pthread_mutex_lock(&open_mu);
    enum rc rc = private_file(path, e);
    for (int i = 0; i < 2 && rc == RC_OK; i++) {
        char side[4096 + 8];
        snprintf(side, sizeof side, "%s%s", path, i ? "-shm" : "-wal");
        struct stat sb;
        if (stat(side, &sb) == 0)
            rc = private_file(side, e);
    }
    if (rc == RC_OK)
        rc = s->drv->open(path, &s->conn, e);
    pthread_mutex_unlock(&open_mu);
    if (rc != RC_OK) {
        free(s);
        return rc;
    }
    *out = s;
    return RC_OK;
}

void store_close(struct store *s)
{
    if (!s)
        return;
    if (s->in_tx)
        store_rollback(s);
    s->drv->close(s->conn);
    free(s);
}

enum rc store_begin(struct store *s, int write, struct err *e)
{
    enum rc rc = s->drv->exec(s->conn, write ? s->drv->begin_write : s->drv->begin_read, e);
    if (rc == RC_OK)
        s->in_tx = 1;
    return rc;
}

enum rc store_commit(struct store *s, struct err *e)
{
    enum rc rc = s->drv->exec(s->conn, "COMMIT", e);
    if (rc != RC_OK) {
        store_rollback(s);
        return rc;
    }
    s->in_tx = 0;
    return RC_OK;
}

void store_rollback(struct store *s)
{
    if (s->in_tx) {
        s->drv->exec(s->conn, "ROLLBACK", NULL);
        s->in_tx = 0;
    }
}

static const struct query q_ping = {"SELECT 1", NULL};

enum rc store_ping(struct store *s, struct err *e)
{
    return q_exec(s, &q_ping, NULL, e, Q_NONE);
}

/* ---- migrations ---- */

static const struct query q_mig_table = {
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
    "name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
    NULL};
static const struct query q_mig_has = {"SELECT 1 FROM schema_migrations WHERE version = ?1", NULL};
static const struct query q_mig_add = {
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)", NULL};

enum rc store_migrate(struct store *s, int *applied, struct err *e)
{
    int count = 0;
    enum rc rc = store_begin(s, 1, e);
    if (rc != RC_OK)
        return rc;
    rc = q_exec(s, &q_mig_table, NULL, e, Q_NONE);
    const struct migration *m = migrations_for(s->drv->name);
    for (; rc == RC_OK && m && m->sql; m++) {
        struct db_stmt *st;
        rc = q_start(s, &q_mig_has, &st, e, Q_ARGS(QI((int64_t)m->version)));
        if (rc != RC_OK)
            break;
        rc = s->drv->step(st, e);
        s->drv->reset(st);
        if (rc == RC_ROW) {
            rc = RC_OK;
            continue;
        }
        if (rc != RC_DONE)
            break;
        rc = s->drv->exec(s->conn, m->sql, e);
        if (rc == RC_OK && m->after)
            rc = m->after(s, e);
        if (rc == RC_OK)
            rc = q_exec(s, &q_mig_add, NULL, e,
                        Q_ARGS(QI((int64_t)m->version), QT(m->name), QI(clock_now_ms())));
        if (rc == RC_OK) {
            log_info("store: applied migration %04d_%s", m->version, m->name);
            count++;
        } else {
            log_error("store: migration %04d_%s failed: %s", m->version, m->name, e ? e->msg : "");
        }
    }
    if (rc != RC_OK) {
        store_rollback(s);
        return rc;
    }
    rc = store_commit(s, e);
    if (rc == RC_OK && applied)
        *applied = count;
    return rc;
}

/* ---- per-thread connections ---- */

static struct store_config global_cfg;
static char global_dir[4096];
static pthread_key_t tls_key;
static pthread_once_t tls_once = PTHREAD_ONCE_INIT;

static void thread_close(void *p)
{
    store_close(p);
}

static void make_key(void)
{
    pthread_key_create(&tls_key, thread_close);
}

enum rc store_configure(const struct store_config *cfg, struct err *e)
{
    if (!cfg->data_dir || strlen(cfg->data_dir) >= sizeof global_dir)
        return err_set(e, RC_INVALID, "bad data directory");
    memcpy(global_dir, cfg->data_dir, strlen(cfg->data_dir) + 1);
    global_cfg.data_dir = global_dir;
    pthread_once(&tls_once, make_key);
    return RC_OK;
}

struct store *store_thread(struct err *e)
{
    pthread_once(&tls_once, make_key);
    struct store *s = pthread_getspecific(tls_key);
    if (s)
        return s;
    if (!global_cfg.data_dir) {
        err_set(e, RC_INTERNAL, "store not configured");
        return NULL;
    }
    if (store_open(&global_cfg, &s, e) != RC_OK)
        return NULL;
    pthread_setspecific(tls_key, s);
    return s;
}

void store_thread_release(void)
{
    pthread_once(&tls_once, make_key);
    struct store *s = pthread_getspecific(tls_key);
    if (s) {
        pthread_setspecific(tls_key, NULL);
        store_close(s);
    }
}

/* ---- query helpers ---- */

static enum rc bind_all(struct store *s, const struct query *q, struct db_stmt *st,
                        const struct qarg *args, size_t nargs, struct err *e)
{
    if ((size_t)s->drv->param_count(st) != nargs)
        return err_set(e, RC_INTERNAL, "query takes %d parameters, %zu given: %.80s",
                       s->drv->param_count(st), nargs, q->sql);
    enum rc rc = RC_OK;
    for (size_t i = 0; i < nargs && rc == RC_OK; i++) {
        int idx = (int)i + 1;
        const struct qarg *a = &args[i];
        switch (a->kind) {
        case 't':
            rc = s->drv->bind_text(st, idx, a->text);
            break;
        case 'i':
            rc = s->drv->bind_i64(st, idx, a->i64);
            break;
        case 'b':
            rc = a->blob ? s->drv->bind_blob(st, idx, a->blob, a->len) : s->drv->bind_null(st, idx);
            break;
        default:
            rc = RC_INTERNAL;
        }
    }
    return rc == RC_OK ? RC_OK : err_set(e, rc, "cannot bind parameters of: %.80s", q->sql);
}

enum rc q_start(struct store *s, const struct query *q, struct db_stmt **st, struct err *e,
                const struct qarg *args, size_t nargs)
{
    enum rc rc = s->drv->prepare(s->conn, q, st, e);
    return rc != RC_OK ? rc : bind_all(s, q, *st, args, nargs, e);
}

enum rc q_exec(struct store *s, const struct query *q, int64_t *changed, struct err *e,
               const struct qarg *args, size_t nargs)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, q, &st, e, args, nargs);
    if (rc != RC_OK)
        return rc;
    rc = s->drv->step(st, e);
    s->drv->reset(st);
    if (rc == RC_DONE || rc == RC_ROW) {
        if (changed)
            *changed = s->drv->changes(s->conn);
        return RC_OK;
    }
    return rc;
}

const char *q_text(struct store *s, struct db_stmt *st, int c, struct arena *a)
{
    const char *t = s->drv->col_text(st, c);
    if (!t)
        return NULL;
    char *copy = arena_strdup(a, t);
    if (!copy)
        s->oom = 1;
    return copy;
}

void q_text_into(struct store *s, struct db_stmt *st, int c, char *out, size_t cap)
{
    const char *t = s->drv->col_text(st, c);
    snprintf(out, cap, "%s", t ? t : "");
}

int64_t q_i64(struct store *s, struct db_stmt *st, int c)
{
    return s->drv->col_i64(st, c);
}

int q_blob(struct store *s, struct db_stmt *st, int c, void *out, size_t n)
{
    size_t len;
    const void *p = s->drv->col_blob(st, c, &len);
    if (!p || len != n)
        return -1;
    memcpy(out, p, n);
    return 0;
}

enum rc q_collect(struct store *s, struct db_stmt *st, struct arena *a, size_t elem, q_reader rd,
                  void **rows, size_t *n, struct err *e)
{
    size_t cap = 8, count = 0;
    char *out = arena_alloc(a, cap * elem);
    enum rc rc = RC_DONE;
    s->oom = 0;
    while (out && !s->oom && (rc = s->drv->step(st, e)) == RC_ROW) {
        if (count == cap) {
            char *grown = arena_alloc(a, 2 * cap * elem);
            if (!grown) {
                out = NULL;
                break;
            }
            memcpy(grown, out, count * elem);
            out = grown;
            cap *= 2;
        }
        rd(s, st, a, out + count * elem);
        count++;
    }
    s->drv->reset(st);
    if (!out || s->oom)
        return err_set(e, RC_NOMEM, "out of memory");
    if (rc != RC_DONE)
        return rc;
    *rows = out;
    *n = count;
    return RC_OK;
}

enum rc q_one(struct store *s, struct db_stmt *st, struct arena *a, q_reader rd, void *out,
              const char *what, struct err *e)
{
    enum rc rc = s->drv->step(st, e);
    if (rc == RC_ROW) {
        s->oom = 0;
        rd(s, st, a, out);
        rc = s->oom ? err_set(e, RC_NOMEM, "out of memory") : RC_OK;
    } else if (rc == RC_DONE) {
        rc = err_set(e, RC_NOTFOUND, "%s not found", what);
    }
    s->drv->reset(st);
    return rc;
}

void q_read_id(struct store *s, struct db_stmt *st, struct arena *a, void *row)
{
    *(const char **)row = q_text(s, st, 0, a);
}

int q_exists(struct store *s, const struct query *q, const char *key, struct err *e)
{
    struct db_stmt *st;
    if (q_start(s, q, &st, e, Q_ARGS(QT(key))) != RC_OK)
        return -1;
    enum rc rc = s->drv->step(st, e);
    s->drv->reset(st);
    return rc == RC_ROW ? 1 : rc == RC_DONE ? 0 : -1;
}

enum rc q_one_text(struct store *s, const struct query *q, const struct qarg *args, size_t nargs,
                   struct arena *a, const char **out, struct err *e)
{
    struct db_stmt *st;
    *out = NULL;
    enum rc rc = q_start(s, q, &st, e, args, nargs);
    if (rc != RC_OK)
        return rc;
    rc = s->drv->step(st, e);
    s->oom = 0;
    if (rc == RC_ROW)
        *out = q_text(s, st, 0, a);
    s->drv->reset(st);
    if (s->oom)
        return err_set(e, RC_NOMEM, "out of memory");
    return rc == RC_ROW || rc == RC_DONE ? RC_OK : rc;
}

enum rc q_one_i64(struct store *s, const struct query *q, const struct qarg *args, size_t nargs,
                  int64_t *out, struct err *e)
{
    struct db_stmt *st;
    *out = 0;
    enum rc rc = q_start(s, q, &st, e, args, nargs);
    if (rc != RC_OK)
        return rc;
    rc = s->drv->step(st, e);
    if (rc == RC_ROW)
        *out = q_i64(s, st, 0);
    s->drv->reset(st);
    return rc == RC_ROW ? RC_OK : rc == RC_DONE ? err_set(e, RC_INTERNAL, "no row") : rc;
}

enum rc q_changed(enum rc rc, int64_t changed, enum rc if_none, const char *msg, struct err *e)
{
    if (rc == RC_OK && changed == 0)
        return err_set(e, if_none, "%s", msg);
    return rc;
}

/* Eight draws: a collision is astronomically rare for 65-bit ids and rare for 30-bit work-order
 * ids, so failure is impossible in practice. */
enum rc q_fresh_id(struct store *s, enum id_kind kind, const struct query *taken, char out[ID_MAX],
                   struct err *e)
{
    for (int i = 0; i < 8; i++) {
        if (id_new(kind, out))
            return err_set(e, RC_INTERNAL, "random source failed");
        int x = q_exists(s, taken, out, e);
        if (x < 0)
            return e ? e->rc : RC_IO;
        if (x == 0)
            return RC_OK;
    }
    return err_set(e, RC_INTERNAL, "could not draw a free id");
}

