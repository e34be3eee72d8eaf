/* q_people.c — accounts, viewer groups and group members. Emails are unique case-insensitively:
 * the lower-cased copy (email_norm) carries the UNIQUE constraint, so two sign-ups that differ only
 * in case cannot both land. Deleting an account or a group cascades to memberships and sessions
 * only; views keep naming them in their JSON lists (see db/migrations/sqlite/0004_people.sql). */
#include "store/people.h"
#include "store/store_int.h"

#include <string.h>

#define USER_COLS "id, email, password_hash, is_operator, disabled, created_at, updated_at"

static const struct query q_user_insert = {
    "INSERT INTO users (id, email, email_norm, password_hash, is_operator, disabled, created_at, "
    "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    NULL};
static const struct query q_user_get = {"SELECT " USER_COLS " FROM users WHERE id = ?1", NULL};
static const struct query q_user_by_email = {
    "SELECT " USER_COLS " FROM users WHERE email_norm = ?1", NULL};
static const struct query q_user_list = {"SELECT " USER_COLS " FROM users ORDER BY seq", NULL};
static const struct query q_user_disable = {
    "UPDATE users SET disabled = ?2, updated_at = ?3 WHERE id = ?1", NULL};
static const struct query q_user_sessions_end = {"DELETE FROM sessions WHERE user_id = ?1", NULL};
static const struct query q_user_delete = {"DELETE FROM users WHERE id = ?1", NULL};

#define GROUP_COLS                                                                                 \
    "g.id, g.name, g.created_at, g.updated_at, "                                                   \
    "(SELECT COUNT(*) FROM viewer_group_members m WHERE m.group_id = g.id)"

static const struct query q_group_insert = {
    "INSERT INTO viewer_groups (id, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)", NULL};
static const struct query q_group_get = {
    "SELECT " GROUP_COLS " FROM viewer_groups g WHERE g.id = ?1", NULL};
static const struct query q_group_list = {
    "SELECT " GROUP_COLS " FROM viewer_groups g ORDER BY g.seq", NULL};
static const struct query q_group_rename = {
    "UPDATE viewer_groups SET name = ?2, updated_at = ?3 WHERE id = ?1", NULL};
static const struct query q_group_delete = {"DELETE FROM viewer_groups WHERE id = ?1", NULL};
static const struct query q_group_exists = {"SELECT 1 FROM viewer_groups WHERE id = ?1", NULL};
static const struct query q_user_exists = {"SELECT 1 FROM users WHERE id = ?1", NULL};
static const struct query q_member_add = {
    "INSERT INTO viewer_group_members (group_id, user_id, added_at) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (group_id, user_id) DO NOTHING",
    NULL};
static const struct query q_member_remove = {
    "DELETE FROM viewer_group_members WHERE group_id = ?1 AND user_id = ?2", NULL};
static const struct query q_members = {
    "SELECT u.id, u.email, u.password_hash, u.is_operator, u.disabled, u.created_at, u.updated_at "
    "FROM viewer_group_members m JOIN users u ON u.id = m.user_id WHERE m.group_id = ?1 "
    "ORDER BY m.added_at, u.seq",
    NULL};
static const struct query q_user_groups = {
    "SELECT group_id FROM viewer_group_members WHERE user_id = ?1 ORDER BY group_id", NULL};

/* ASCII lower-casing into a fixed buffer: the domain part is case-insensitive by definition and
 * no mail system in use treats local parts by case either. */
static enum rc norm_email(const char *email, char out[USER_EMAIL_MAX + 1], struct err *e)
{
    size_t n = email ? strlen(email) : 0;
    if (n == 0 || n > USER_EMAIL_MAX)
        return err_set(e, RC_INVALID, "email must be 1 to %d characters", USER_EMAIL_MAX);
    for (size_t i = 0; i < n; i++)
        out[i] = (email[i] >= 'A' && email[i] <= 'Z') ? (char)(email[i] + 32) : email[i];
    out[n] = '\0';
    return RC_OK;
}

static void read_user(struct store *s, struct db_stmt *st, struct arena *a, void *row)
{
    struct user_row *u = row;
    memset(u, 0, sizeof *u);
    q_text_into(s, st, 0, u->id, sizeof u->id);
    u->email = q_text(s, st, 1, a);
    u->password_hash = q_text(s, st, 2, a);
    u->is_operator = (int)q_i64(s, st, 3);
    u->disabled = (int)q_i64(s, st, 4);
    u->created_at = q_i64(s, st, 5);
    u->updated_at = q_i64(s, st, 6);
}

static void read_group(struct store *s, struct db_stmt *st, struct arena *a, void *row)
{
    struct group_row *g = row;
    memset(g, 0, sizeof *g);
    q_text_into(s, st, 0, g->id, sizeof g->id);
    g->name = q_text(s, st, 1, a);
    g->created_at = q_i64(s, st, 2);
    g->updated_at = q_i64(s, st, 3);
    g->members = q_i64(s, st, 4);
}

/* RC_OK when the query (one id parameter) finds a row, RC_NOTFOUND "<what> not found" if not. */
static enum rc exists(struct store *s, const struct query *q, const char *id, const char *what,
                      struct err *e)
{
    int x = q_exists(s, q, id, e);
    return x < 0 ? e->rc : x ? RC_OK : err_set(e, RC_NOTFOUND, "%s not found", what);
}

enum rc store_user_insert(struct store *s, struct user_row *u, struct err *e)
{
    char norm[USER_EMAIL_MAX + 1];
    enum rc rc = norm_email(u->email, norm, e);
    if (rc != RC_OK)
        return rc;
    if (id_uuid(u->id))
        return err_set(e, RC_INTERNAL, "no randomness for an account id");
    rc = q_exec(s, &q_user_insert, NULL, e,
                Q_ARGS(QT(u->id), QT(u->email), QT(norm), QT(u->password_hash),
                       QI((int64_t)u->is_operator), QI((int64_t)u->disabled), QI(u->created_at)));
    if (rc == RC_CONFLICT)
        return err_set(e, RC_CONFLICT, "an account with this email already exists");
    u->updated_at = u->created_at;
    return rc;
}

enum rc store_user_get(struct store *s, const char *id, struct arena *a, struct user_row *out,
                       struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_user_get, &st, e, Q_ARGS(QT(id)));
    return rc != RC_OK ? rc : q_one(s, st, a, read_user, out, "account", e);
}

enum rc store_user_by_email(struct store *s, const char *email, struct arena *a,
                            struct user_row *out, struct err *e)
{
    char norm[USER_EMAIL_MAX + 1];
    if (norm_email(email, norm, NULL) != RC_OK)
        return err_set(e, RC_NOTFOUND, "account not found");
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_user_by_email, &st, e, Q_ARGS(QT(norm)));
    return rc != RC_OK ? rc : q_one(s, st, a, read_user, out, "account", e);
}

enum rc store_user_list(struct store *s, struct arena *a, struct user_row **rows, size_t *n,
                        struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_user_list, &st, e, Q_NONE);
    return rc != RC_OK ? rc : q_collect(s, st, a, sizeof **rows, read_user, (void **)rows, n, e);
}

enum rc store_user_set_disabled(struct store *s, const char *id, int disabled, int64_t now,
                                struct err *e)
{
    int64_t changed = 0;
    enum rc rc = q_exec(s, &q_user_disable, &changed, e,
                        Q_ARGS(QT(id), QI((int64_t)(disabled != 0)), QI(now)));
    if ((rc = q_changed(rc, changed, RC_NOTFOUND, "account not found", e)) != RC_OK || !disabled)
        return rc;
    return q_exec(s, &q_user_sessions_end, NULL, e, Q_ARGS(QT(id)));
}

enum rc store_user_delete(struct store *s, const char *id, struct err *e)
{
    int64_t changed = 0;
    enum rc rc = q_exec(s, &q_user_delete, &changed, e, Q_ARGS(QT(id)));
    return q_changed(rc, changed, RC_NOTFOUND, "account not found", e);
}

enum rc store_group_insert(struct store *s, struct group_row *g, struct err *e)
{
    if (id_uuid(g->id))
        return err_set(e, RC_INTERNAL, "no randomness for a group id");
    g->updated_at = g->created_at;
    return q_exec(s, &q_group_insert, NULL, e, Q_ARGS(QT(g->id), QT(g->name), QI(g->created_at)));
}

enum rc store_group_get(struct store *s, const char *id, struct arena *a, struct group_row *out,
                        struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_group_get, &st, e, Q_ARGS(QT(id)));
    return rc != RC_OK ? rc : q_one(s, st, a, read_group, out, "viewer group", e);
}

enum rc store_group_list(struct store *s, struct arena *a, struct group_row **rows, size_t *n,
                         struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_group_list, &st, e, Q_NONE);
    return rc != RC_OK ? rc : q_collect(s, st, a, sizeof **rows, read_group, (void **)rows, n, e);
}

enum rc store_group_rename(struct store *s, const char *id, const char *name, int64_t now,
                           struct err *e)
{
    int64_t changed = 0;
    enum rc rc = q_exec(s, &q_group_rename, &changed, e, Q_ARGS(QT(id), QT(name), QI(now)));
    return q_changed(rc, changed, RC_NOTFOUND, "viewer group not found", e);
}

enum rc store_group_delete(struct store *s, const char *id, struct err *e)
{
    int64_t changed = 0;
    enum rc rc = q_exec(s, &q_group_delete, &changed, e, Q_ARGS(QT(id)));
    return q_changed(rc, changed, RC_NOTFOUND, "viewer group not found", e);
}

enum rc store_group_add(struct store *s, const char *group_id, const char *user_id, int64_t now,
                        int *added, struct err *e)
{
    enum rc rc;
    if ((rc = exists(s, &q_group_exists, group_id, "viewer group", e)) != RC_OK ||
        (rc = exists(s, &q_user_exists, user_id, "account", e)) != RC_OK)
        return rc;
    int64_t changed = 0;
    rc = q_exec(s, &q_member_add, &changed, e, Q_ARGS(QT(group_id), QT(user_id), QI(now)));
    if (added)
        *added = changed > 0;
    return rc;
}

enum rc store_group_remove(struct store *s, const char *group_id, const char *user_id,
                           struct err *e)
{
    int64_t changed = 0;
    enum rc rc = q_exec(s, &q_member_remove, &changed, e, Q_ARGS(QT(group_id), QT(user_id)));
    return q_changed(rc, changed, RC_NOTFOUND, "group member not found", e);
}

enum rc store_group_members(struct store *s, const char *group_id, struct arena *a,
                            struct user_row **rows, size_t *n, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_members, &st, e, Q_ARGS(QT(group_id)));
    return rc != RC_OK ? rc : q_collect(s, st, a, sizeof **rows, read_user, (void **)rows, n, e);
}

enum rc store_user_groups(struct store *s, const char *user_id, struct arena *a, char ***ids,
                          size_t *n, struct err *e)
{
    struct db_stmt *st;
    const char **rows = NULL;
    enum rc rc = q_start(s, &q_user_groups, &st, e, Q_ARGS(QT(user_id)));
    if (rc == RC_OK)
        rc = q_collect(s, st, a, sizeof *rows, q_read_id, (void **)&rows, n, e);
    if (rc != RC_OK)
        return rc;
    *ids = (char **)rows;   /* arena strings the caller may keep (the API's char ** is historical) */
    return RC_OK;
}
