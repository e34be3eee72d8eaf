/* q_sessions.c — browser sessions and view access tokens, both found by the SHA-256 of a secret
 * the client holds, so a copy of the database opens no door. */
#include "store/people.h"
#include "store/store_int.h"

#include <string.h>

static const struct query q_session_insert = {
    "INSERT INTO sessions (id, user_id, csrf, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    NULL};
/* A disabled account's sessions are deleted when it is disabled; the join keeps that true even
 * for a session created in a race with the disabling. */
static const struct query q_session_get = {
    "SELECT s.id, s.user_id, s.csrf, s.created_at, s.expires_at FROM sessions s "
    "JOIN users u ON u.id = s.user_id WHERE s.id = ?1 AND s.expires_at > ?2 AND u.disabled = 0",
    NULL};
static const struct query q_session_delete = {"DELETE FROM sessions WHERE id = ?1", NULL};
static const struct query q_session_purge = {"DELETE FROM sessions WHERE expires_at <= ?1", NULL};
static const struct query q_vtoken_insert = {
    "INSERT INTO view_access_tokens (hash, view_id, created_at, expires_at, created_by) "
    "VALUES (?1, ?2, ?3, ?4, ?5)",
    NULL};
static const struct query q_vtoken_get = {
    "SELECT hash, view_id, created_at, expires_at, created_by FROM view_access_tokens "
    "WHERE hash = ?1",
    NULL};

static void read_session(struct store *s, struct db_stmt *st, struct arena *a, void *row)
{
    (void)a;
    struct session_row *r = row;
    memset(r, 0, sizeof *r);
    (void)q_blob(s, st, 0, r->id, sizeof r->id);
    q_text_into(s, st, 1, r->user_id, sizeof r->user_id);
    (void)q_blob(s, st, 2, r->csrf, sizeof r->csrf);
    r->created_at = q_i64(s, st, 3);
    r->expires_at = q_i64(s, st, 4);
}

static void read_vtoken(struct store *s, struct db_stmt *st, struct arena *a, void *row)
{
    struct vtoken_row *r = row;
    memset(r, 0, sizeof *r);
    (void)q_blob(s, st, 0, r->hash, sizeof r->hash);
    q_text_into(s, st, 1, r->view_id, sizeof r->view_id);
    r->created_at = q_i64(s, st, 2);
    r->expires_at = q_i64(s, st, 3);
    r->created_by = q_text(s, st, 4, a);
}

enum rc store_session_insert(struct store *s, const struct session_row *r, struct err *e)
{
    return q_exec(s, &q_session_insert, NULL, e,
                  Q_ARGS(QB(r->id, sizeof r->id), QT(r->user_id), QB(r->csrf, sizeof r->csrf),
                         QI(r->created_at), QI(r->expires_at)));
}

enum rc store_session_get(struct store *s, const unsigned char id[32], int64_t now,
                          struct session_row *out, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_session_get, &st, e, Q_ARGS(QB(id, 32), QI(now)));
    return rc != RC_OK ? rc : q_one(s, st, NULL, read_session, out, "session", e);
}

enum rc store_session_delete(struct store *s, const unsigned char id[32], struct err *e)
{
    return q_exec(s, &q_session_delete, NULL, e, Q_ARGS(QB(id, 32)));
}

enum rc store_session_purge(struct store *s, int64_t now, int64_t *n, struct err *e)
{
    return q_exec(s, &q_session_purge, n, e, Q_ARGS(QI(now)));
}

enum rc store_vtoken_insert(struct store *s, const struct vtoken_row *r, struct err *e)
{
    return q_exec(s, &q_vtoken_insert, NULL, e,
                  Q_ARGS(QB(r->hash, sizeof r->hash), QT(r->view_id), QI(r->created_at),
                         QI(r->expires_at), QT(r->created_by)));
}

enum rc store_vtoken_get(struct store *s, const unsigned char hash[32], struct arena *a,
                         struct vtoken_row *out, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_vtoken_get, &st, e, Q_ARGS(QB(hash, 32)));
    return rc != RC_OK ? rc : q_one(s, st, a, read_vtoken, out, "access token", e);
}
