/* q_tokens.c — API tokens. Only hashes of token values are stored. */
#include "store/store_int.h"

#include <string.h>

#define TOKEN_COLS                                                                                 \
    "id, name, description, scopes, secret_hash, token_hint, prev_hash, prev_expires_at, "         \
    "expires_at, created_at, updated_at, rotated_at, revoked_at, created_by"

static const struct query q_insert = {
    "INSERT INTO api_tokens (" TOKEN_COLS ") VALUES "
    "(?1, ?2, ?3, ?4, ?5, ?6, NULL, NULL, ?7, ?8, ?8, NULL, NULL, ?9)",
    NULL};
static const struct query q_get = {"SELECT " TOKEN_COLS " FROM api_tokens WHERE id = ?1", NULL};
static const struct query q_list = {
    "SELECT " TOKEN_COLS " FROM api_tokens ORDER BY created_at DESC, id", NULL};
static const struct query q_rotate = {
    "UPDATE api_tokens SET prev_hash = secret_hash, prev_expires_at = ?2, secret_hash = ?3, "
    "token_hint = ?4, rotated_at = ?5, updated_at = ?5, expires_at = ?6 "
    "WHERE id = ?1 AND revoked_at IS NULL",
    NULL};
static const struct query q_revoke = {
    "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?2), updated_at = ?2 WHERE id = ?1",
    NULL};
static const struct query q_update = {
    "UPDATE api_tokens SET name = COALESCE(?2, name), description = COALESCE(?3, description), "
    "scopes = COALESCE(?4, scopes), updated_at = ?5 WHERE id = ?1",
    NULL};

enum rc store_token_insert(struct store *s, const struct token_row *t, struct err *e)
{
    return q_exec(s, &q_insert, NULL, e,
                  Q_ARGS(QT(t->id), QT(t->name), QT(t->description ? t->description : ""),
                         QT(t->scopes), QB((const void *)t->hash, sizeof t->hash), QT(t->hint),
                         QI(t->expires_at), QI(t->created_at), QT(t->created_by)));
}

static void read_row(struct store *s, struct db_stmt *st, struct arena *a, void *row)
{
    struct token_row *t = row;
    memset(t, 0, sizeof *t);
    q_text_into(s, st, 0, t->id, sizeof t->id);
    t->name = q_text(s, st, 1, a);
    t->description = q_text(s, st, 2, a);
    t->scopes = q_text(s, st, 3, a);
    q_blob(s, st, 4, t->hash, sizeof t->hash);
    t->hint = q_text(s, st, 5, a);
    t->has_prev = q_blob(s, st, 6, t->prev_hash, sizeof t->prev_hash) == 0;
    t->prev_expires_at = q_i64(s, st, 7);
    t->expires_at = q_i64(s, st, 8);
    t->created_at = q_i64(s, st, 9);
    t->updated_at = q_i64(s, st, 10);
    t->rotated_at = q_i64(s, st, 11);
    t->revoked_at = q_i64(s, st, 12);
    t->created_by = q_text(s, st, 13, a);
}

enum rc store_token_get(struct store *s, const char *id, struct arena *a, struct token_row *out,
                        struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_get, &st, e, Q_ARGS(QT(id)));
    return rc != RC_OK ? rc : q_one(s, st, a, read_row, out, "API token", e);
}

enum rc store_token_list(struct store *s, struct arena *a, struct token_row **rows, size_t *n,
                         struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_list, &st, e, Q_NONE);
    return rc != RC_OK ? rc : q_collect(s, st, a, sizeof **rows, read_row, (void **)rows, n, e);
}

enum rc store_token_rotate(struct store *s, const char *id, const unsigned char hash[32],
                           const char *hint, int64_t grace_until, int64_t now, int64_t expires_at,
                           struct err *e)
{
    int64_t changed = 0;
    enum rc rc = q_exec(
        s, &q_rotate, &changed, e,
        Q_ARGS(QT(id), QI(grace_until), QB((const void *)hash, (size_t)32), QT(hint), QI(now),
               QI(expires_at)));
    return q_changed(rc, changed, RC_NOTFOUND, "API token not found", e);
}

enum rc store_token_revoke(struct store *s, const char *id, int64_t now, struct err *e)
{
    int64_t changed = 0;
    enum rc rc = q_exec(s, &q_revoke, &changed, e, Q_ARGS(QT(id), QI(now)));
    return q_changed(rc, changed, RC_NOTFOUND, "API token not found", e);
}

enum rc store_token_update(struct store *s, const char *id, const char *name,
                           const char *description, const char *scopes, int64_t now, struct err *e)
{
    int64_t changed = 0;
    enum rc rc = q_exec(s, &q_update, &changed, e,
                        Q_ARGS(QT(id), QT(name), QT(description), QT(scopes), QI(now)));
    return q_changed(rc, changed, RC_NOTFOUND, "API token not found", e);
}
