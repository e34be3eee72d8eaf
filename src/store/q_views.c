/* q_views.c — views: insert (the default view of a new iGUIDE and additional views), read, list,
 * update, expiry, and hard deletion. The default view is never deleted on its own (View access,
 * expiration & deletion guide, "View deletion"); it goes only with its iGUIDE, by cascade. */
#include "store/store_int.h"

#include <string.h>

#define VIEW_COLS                                                                                  \
    "id, iguide_id, is_default, is_protected, expires_at, banner_id, description, meas_std, "      \
    "viewers, viewer_groups, created_at, updated_at"

/* A new expiry date is a new expiry: view.expired is reported again when it passes (the webhook
 * janitor's marker, webhook_events.h, is cleared; expires_at on the right is the old value). */
#define EXPIRY_MOVED(p)                                                                            \
    "expired_event_at = CASE WHEN expires_at = " #p " THEN expired_event_at ELSE NULL END"

static const struct query q_view_id_taken = {"SELECT 1 FROM views WHERE id = ?1", NULL};
static const struct query q_view_insert = {
    "INSERT INTO views (" VIEW_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    NULL};
static const struct query q_view_get = {"SELECT " VIEW_COLS " FROM views WHERE id = ?1", NULL};
static const struct query q_view_by_alias = {
    "SELECT " VIEW_COLS " FROM views WHERE is_default = 1 AND "
    "iguide_id = (SELECT id FROM iguides WHERE alias = ?1)",
    NULL};
static const struct query q_view_list = {
    "SELECT " VIEW_COLS " FROM views WHERE iguide_id = ?1 ORDER BY seq", NULL};
static const struct query q_view_update = {
    "UPDATE views SET is_protected = ?2, expires_at = ?3, banner_id = ?4, description = ?5, "
    "meas_std = ?6, viewers = ?7, viewer_groups = ?8, updated_at = ?9, " EXPIRY_MOVED(?3)
    " WHERE id = ?1",
    NULL};
static const struct query q_view_delete = {
    "DELETE FROM views WHERE id = ?1 AND is_default = 0", NULL};
static const struct query q_view_set_expiry = {
    "UPDATE views SET expires_at = ?2, updated_at = ?3, " EXPIRY_MOVED(?2) " WHERE id = ?1", NULL};
static const struct query q_view_set_expiry_all = {
    "UPDATE views SET expires_at = ?2, updated_at = ?3, " EXPIRY_MOVED(?2) " WHERE iguide_id = ?1",
    NULL};

static void read_view(struct store *s, struct db_stmt *st, struct arena *a, void *row)
{
    struct view_row *v = row;
    memset(v, 0, sizeof *v);
    q_text_into(s, st, 0, v->id, sizeof v->id);
    q_text_into(s, st, 1, v->iguide_id, sizeof v->iguide_id);
    v->is_default = (int)q_i64(s, st, 2);
    v->is_protected = (int)q_i64(s, st, 3);
    v->expires_at = q_i64(s, st, 4);
    v->banner_id = q_text(s, st, 5, a);
    v->description = q_text(s, st, 6, a);
    v->meas_std = q_text(s, st, 7, a);
    v->viewers_json = q_text(s, st, 8, a);
    v->viewer_groups_json = q_text(s, st, 9, a);
    v->created_at = q_i64(s, st, 10);
    v->updated_at = q_i64(s, st, 11);
}

enum rc store_view_insert(struct store *s, struct view_row *v, struct err *e)
{
    enum rc rc = q_fresh_id(s, ID_VIEW, &q_view_id_taken, v->id, e);
    if (rc != RC_OK)
        return rc;
    return q_exec(s, &q_view_insert, NULL, e,
                  Q_ARGS(QT(v->id), QT(v->iguide_id), QI((int64_t)v->is_default),
                         QI((int64_t)v->is_protected), QI(v->expires_at), QT(v->banner_id),
                         QT(v->description), QT(v->meas_std), QT(v->viewers_json),
                         QT(v->viewer_groups_json), QI(v->created_at), QI(v->updated_at)));
}

enum rc store_view_get(struct store *s, const char *id, struct arena *a, struct view_row *out,
                       struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_view_get, &st, e, Q_ARGS(QT(id)));
    return rc != RC_OK ? rc : q_one(s, st, a, read_view, out, "view", e);
}

enum rc store_view_by_alias(struct store *s, const char *alias, struct arena *a,
                            struct view_row *out, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_view_by_alias, &st, e, Q_ARGS(QT(alias)));
    return rc != RC_OK ? rc : q_one(s, st, a, read_view, out, "iGUIDE", e);
}

enum rc store_view_list(struct store *s, const char *iguide_id, struct arena *a,
                        struct view_row **rows, size_t *n, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_view_list, &st, e, Q_ARGS(QT(iguide_id)));
    return rc != RC_OK ? rc : q_collect(s, st, a, sizeof **rows, read_view, (void **)rows, n, e);
}

enum rc store_view_update(struct store *s, const struct view_row *v, struct err *e)
{
    int64_t changed = 0;
    enum rc rc = q_exec(s, &q_view_update, &changed, e,
                        Q_ARGS(QT(v->id), QI((int64_t)v->is_protected), QI(v->expires_at),
                               QT(v->banner_id), QT(v->description), QT(v->meas_std),
                               QT(v->viewers_json), QT(v->viewer_groups_json), QI(v->updated_at)));
    if (rc == RC_OK && changed == 0)
        return err_set(e, RC_NOTFOUND, "view not found");
    return rc;
}

enum rc store_view_delete(struct store *s, const char *id, struct err *e)
{
    int64_t changed = 0;
    enum rc rc = q_exec(s, &q_view_delete, &changed, e, Q_ARGS(QT(id)));
    if (rc != RC_OK || changed > 0)
        return rc;
    /* Nothing deleted: either no such view, or the default view (is_default never changes, so
     * this second look cannot disagree with the first). */
    struct db_stmt *st;
    if ((rc = q_start(s, &q_view_id_taken, &st, e, Q_ARGS(QT(id)))) != RC_OK)
        return rc;
    rc = s->drv->step(st, e);
    s->drv->reset(st);
    if (rc == RC_ROW)
        return err_set(e, RC_DENIED, "the default view cannot be deleted");
    if (rc == RC_DONE)
        return err_set(e, RC_NOTFOUND, "view not found");
    return rc;
}

enum rc store_view_set_expiry(struct store *s, const char *id, int64_t expires_at, int64_t now,
                              struct err *e)
{
    int64_t changed = 0;
    enum rc rc =
        q_exec(s, &q_view_set_expiry, &changed, e, Q_ARGS(QT(id), QI(expires_at), QI(now)));
    if (rc == RC_OK && changed == 0)
        return err_set(e, RC_NOTFOUND, "view not found");
    return rc;
}

enum rc store_view_set_expiry_all(struct store *s, const char *iguide_id, int64_t expires_at,
                                  int64_t now, int64_t *changed, struct err *e)
{
    return q_exec(s, &q_view_set_expiry_all, changed, e,
                  Q_ARGS(QT(iguide_id), QI(expires_at), QI(now)));
}
