/* q_pipeline.c — what processing writes: work-order transitions with their reasons, the validated
 * manifest per work order and deliverables. (Events are webhook_events.h's.) */
#include "store/store_int.h"

#include "core/ids.h"

#include <string.h>

static const struct query q_transition = {
    "UPDATE work_orders SET status = ?3, rejection_reason = ?4, exception_reason = ?5, "
    "updated_at = ?6 WHERE id = ?1 AND status = ?2",
    NULL};
static const struct query q_set_type = {
    "UPDATE iguides SET type = ?2, updated_at = ?3 WHERE id = ?1", NULL};

#define MANIFEST_COLS "work_order_id, iguide_id, stitch_id, blob_name, summary, created_at"
static const struct query q_manifest_put = {
    "INSERT INTO manifests (" MANIFEST_COLS ") VALUES (?1, ?2, ?3, ?4, NULL, ?5) "
    "ON CONFLICT (work_order_id) DO UPDATE SET stitch_id = excluded.stitch_id, "
    "blob_name = excluded.blob_name, summary = NULL, created_at = excluded.created_at",
    NULL};
static const struct query q_manifest_get = {
    "SELECT " MANIFEST_COLS " FROM manifests WHERE work_order_id = ?1", NULL};
static const struct query q_manifest_for_iguide = {
    "SELECT m.work_order_id, m.iguide_id, m.stitch_id, m.blob_name, m.summary, m.created_at "
    "FROM manifests m JOIN work_orders w ON w.id = m.work_order_id "
    "WHERE m.iguide_id = ?1 AND w.is_initial = 1",
    NULL};
static const struct query q_manifest_summary = {
    "UPDATE manifests SET summary = ?2 WHERE work_order_id = ?1", NULL};

#define DELIV_COLS                                                                                 \
    "iguide_id, name, work_order_id, format, content_type, size, sha256, blob_name, created_at"
static const struct query q_deliv_blob = {
    "SELECT blob_name FROM deliverables WHERE iguide_id = ?1 AND name = ?2", NULL};
static const struct query q_deliv_put = {
    "INSERT INTO deliverables (" DELIV_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
    "ON CONFLICT (iguide_id, name) DO UPDATE SET work_order_id = excluded.work_order_id, "
    "format = excluded.format, content_type = excluded.content_type, size = excluded.size, "
    "sha256 = excluded.sha256, blob_name = excluded.blob_name, created_at = excluded.created_at",
    NULL};
static const struct query q_deliv_get = {
    "SELECT " DELIV_COLS " FROM deliverables WHERE iguide_id = ?1 AND name = ?2", NULL};
static const struct query q_deliv_list = {
    "SELECT " DELIV_COLS " FROM deliverables WHERE iguide_id = ?1 ORDER BY name", NULL};

enum rc store_workorder_transition(struct store *s, const char *id, const char *from,
                                   const char *to, const char *rejection_reason,
                                   const char *exception_reason, int64_t now, struct err *e)
{
    int64_t changed = 0;
    enum rc rc = q_exec(s, &q_transition, &changed, e,
                        Q_ARGS(QT(id), QT(from), QT(to), QT(rejection_reason),
                               QT(exception_reason), QI(now)));
    if (rc == RC_OK && changed == 0)
        return err_set(e, RC_PRECONDITION, "work order %s is no longer %s", id, from);
    return rc;
}

enum rc store_iguide_set_type(struct store *s, const char *id, const char *type, int64_t now,
                              struct err *e)
{
    return q_exec(s, &q_set_type, NULL, e, Q_ARGS(QT(id), QT(type), QI(now)));
}

static void read_manifest(struct store *s, struct db_stmt *st, struct arena *a, void *row)
{
    struct manifest_row *m = row;
    memset(m, 0, sizeof *m);
    q_text_into(s, st, 0, m->work_order_id, sizeof m->work_order_id);
    q_text_into(s, st, 1, m->iguide_id, sizeof m->iguide_id);
    q_text_into(s, st, 2, m->stitch_id, sizeof m->stitch_id);
    m->blob_name = q_text(s, st, 3, a);
    m->summary = q_text(s, st, 4, a);
    m->created_at = q_i64(s, st, 5);
}

enum rc store_manifest_put(struct store *s, const struct manifest_row *m, struct err *e)
{
    return q_exec(s, &q_manifest_put, NULL, e,
                  Q_ARGS(QT(m->work_order_id), QT(m->iguide_id), QT(m->stitch_id),
                         QT(m->blob_name), QI(m->created_at)));
}

enum rc store_manifest_get(struct store *s, const char *work_order_id, struct arena *a,
                           struct manifest_row *out, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_manifest_get, &st, e, Q_ARGS(QT(work_order_id)));
    return rc != RC_OK ? rc : q_one(s, st, a, read_manifest, out, "manifest", e);
}

enum rc store_manifest_for_iguide(struct store *s, const char *iguide_id, struct arena *a,
                                  struct manifest_row *out, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_manifest_for_iguide, &st, e, Q_ARGS(QT(iguide_id)));
    return rc != RC_OK ? rc : q_one(s, st, a, read_manifest, out, "manifest", e);
}

enum rc store_manifest_set_summary(struct store *s, const char *work_order_id,
                                   const char *summary, struct err *e)
{
    return q_exec(s, &q_manifest_summary, NULL, e, Q_ARGS(QT(work_order_id), QT(summary)));
}

static void read_deliv(struct store *s, struct db_stmt *st, struct arena *a, void *row)
{
    struct deliverable_row *d = row;
    memset(d, 0, sizeof *d);
    q_text_into(s, st, 0, d->iguide_id, sizeof d->iguide_id);
    d->name = q_text(s, st, 1, a);
    d->work_order_id = q_text(s, st, 2, a);
    d->format = q_text(s, st, 3, a);
    d->content_type = q_text(s, st, 4, a);
    d->size = q_i64(s, st, 5);
    d->sha256 = q_text(s, st, 6, a);
    d->blob_name = q_text(s, st, 7, a);
    d->created_at = q_i64(s, st, 8);
}

enum rc store_deliverable_put(struct store *s, const struct deliverable_row *d, struct arena *a,
                              const char **old_blob, struct err *e)
{
    struct db_stmt *st;
    *old_blob = NULL;
    enum rc rc = q_start(s, &q_deliv_blob, &st, e, Q_ARGS(QT(d->iguide_id), QT(d->name)));
    if (rc != RC_OK)
        return rc;
    rc = s->drv->step(st, e);
    if (rc == RC_ROW)
        *old_blob = q_text(s, st, 0, a);
    s->drv->reset(st);
    if (rc != RC_ROW && rc != RC_DONE)
        return rc;
    return q_exec(s, &q_deliv_put, NULL, e,
                  Q_ARGS(QT(d->iguide_id), QT(d->name), QT(d->work_order_id), QT(d->format),
                         QT(d->content_type), QI(d->size), QT(d->sha256), QT(d->blob_name),
                         QI(d->created_at)));
}

enum rc store_deliverable_get(struct store *s, const char *iguide_id, const char *name,
                              struct arena *a, struct deliverable_row *out, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_deliv_get, &st, e, Q_ARGS(QT(iguide_id), QT(name)));
    return rc != RC_OK ? rc : q_one(s, st, a, read_deliv, out, "deliverable", e);
}

enum rc store_deliverable_list(struct store *s, const char *iguide_id, struct arena *a,
                               struct deliverable_row **rows, size_t *n, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_deliv_list, &st, e, Q_ARGS(QT(iguide_id)));
    return rc != RC_OK ? rc : q_collect(s, st, a, sizeof **rows, read_deliv, (void **)rows, n, e);
}
