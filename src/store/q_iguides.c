/* q_iguides.c — iGUIDEs and their work orders. Creating an iGUIDE writes it, its default view
 * (through q_views.c) and its initial work order in one transaction (the "Your first iGUIDE"
 * tutorial, "What just happened?"). */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

#define WO_COLS                                                                                    \
    "w.id, w.iguide_id, g.type, w.task_type, w.is_initial, w.status, w.rejection_reason, "         \
    "w.exception_reason, w.created_at, w.updated_at, w.stage"

static const struct query q_alias_taken = {"SELECT 1 FROM iguides WHERE alias = ?1", NULL};
static const struct query q_iguide_id_taken = {"SELECT 1 FROM iguides WHERE id = ?1", NULL};
static const struct query q_wo_id_taken = {"SELECT 1 FROM work_orders WHERE id = ?1", NULL};
static const struct query q_iguide_insert = {
    "INSERT INTO iguides (id, alias, type, industry, country, province_state, city, postal_code, "
    "street_name, street_number, unit_number, apply_defaults, editors, webhooks, created_by, "
    "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
    "?15, ?16, ?16)",
    NULL};
static const struct query q_wo_insert = {"INSERT INTO work_orders (id, iguide_id, task_type, "
                                         "is_initial, status, created_at, updated_at) "
                                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                                         NULL};
static const struct query q_iguide_get = {"SELECT " IGUIDE_COLS " FROM iguides g WHERE g.id = ?1",
                                          NULL};
static const struct query q_iguide_list = {
    "SELECT " IGUIDE_COLS " FROM iguides g WHERE ?1 = 0 OR g.seq < ?1 ORDER BY g.seq DESC LIMIT ?2",
    NULL};
static const struct query q_iguide_seq = {"SELECT seq FROM iguides WHERE id = ?1", NULL};
static const struct query q_iguide_delete = {"DELETE FROM iguides WHERE id = ?1", NULL};
static const struct query q_wo_get = {"SELECT " WO_COLS
                                      " FROM work_orders w JOIN iguides g ON g.id = w.iguide_id "
                                      "WHERE w.id = ?1 AND w.iguide_id = ?2",
                                      NULL};
static const struct query q_wo_by_id = {
    "SELECT " WO_COLS " FROM work_orders w JOIN iguides g ON g.id = w.iguide_id WHERE w.id = ?1",
    NULL};
static const struct query q_wo_all = {
    "SELECT " WO_COLS " FROM work_orders w JOIN iguides g ON g.id = w.iguide_id "
    "WHERE ?1 IS NULL OR w.status = ?1 ORDER BY w.seq DESC LIMIT ?2",
    NULL};
static const struct query q_wo_stage = {
    "UPDATE work_orders SET stage = ?2 WHERE id = ?1", NULL};
static const struct query q_wo_list = {"SELECT " WO_COLS
                                       " FROM work_orders w JOIN iguides g ON g.id = w.iguide_id "
                                       "WHERE w.iguide_id = ?1 ORDER BY w.seq",
                                       NULL};

static enum rc free_alias(struct store *s, const char *base, char *out, size_t cap, struct err *e)
{
    for (int i = 1; i <= 1000; i++) {
        if (i == 1)
            snprintf(out, cap, "%s", base);
        else
            snprintf(out, cap, "%s_%d", base, i);
        int x = q_exists(s, &q_alias_taken, out, e);
        if (x < 0)
            return e ? e->rc : RC_IO;
        if (x == 0)
            return RC_OK;
    }
    return err_set(e, RC_CONFLICT, "too many iGUIDEs share the alias %s", base);
}

enum rc store_iguide_create(struct store *s, struct iguide_row *g, struct view_row *v,
                            struct workorder_row *w, const char *alias_base, struct arena *a,
                            struct err *e)
{
    char alias[160];
    enum rc rc = store_begin(s, 1, e);
    if (rc != RC_OK)
        return rc;
    if ((rc = q_fresh_id(s, ID_IGUIDE, &q_iguide_id_taken, g->id, e)) != RC_OK ||
        (rc = q_fresh_id(s, ID_WORKORDER, &q_wo_id_taken, w->id, e)) != RC_OK ||
        (rc = free_alias(s, alias_base, alias, sizeof alias, e)) != RC_OK)
        goto fail;
    memcpy(v->iguide_id, g->id, sizeof g->id);
    memcpy(w->iguide_id, g->id, sizeof g->id);
    const struct address *ad = &g->addr;
    rc = q_exec(s, &q_iguide_insert, NULL, e,
                Q_ARGS(QT(g->id), QT(alias), QT(g->type), QT(g->industry), QT(ad->country),
                       QT(ad->province_state), QT(ad->city), QT(ad->postal_code),
                       QT(ad->street_name), QT(ad->street_number), QT(ad->unit_number),
                       QI((int64_t)g->apply_defaults), QT(g->editors_json), QT(g->webhooks_json),
                       QT(g->created_by), QI(g->created_at)));
    int64_t seq = 0;
    if (rc == RC_OK)
        rc = q_one_i64(s, &q_iguide_seq, Q_ARGS(QT(g->id)), &seq, e);
    if (rc == RC_OK)
        rc = q_search_index(s, seq, ad, alias, g->id, e);
    if (rc == RC_OK)
        rc = store_view_insert(s, v, e);   /* draws the view's id */
    if (rc == RC_OK)
        rc = q_exec(s, &q_wo_insert, NULL, e,
                    Q_ARGS(QT(w->id), QT(w->iguide_id), QT(w->task_type),
                           QI((int64_t)w->is_initial), QT(w->status), QI(w->created_at)));
    if (rc != RC_OK)
        goto fail;
    if (!(g->alias = arena_strdup(a, alias))) {
        rc = err_set(e, RC_NOMEM, "out of memory");
        goto fail;
    }
    return store_commit(s, e);
fail:
    store_rollback(s);
    return rc;
}

void q_read_iguide(struct store *s, struct db_stmt *st, struct arena *a, void *row)
{
    struct iguide_row *g = row;
    memset(g, 0, sizeof *g);
    g->seq = q_i64(s, st, 0);
    q_text_into(s, st, 1, g->id, sizeof g->id);
    g->alias = q_text(s, st, 2, a);
    g->type = q_text(s, st, 3, a);
    g->industry = q_text(s, st, 4, a);
    g->addr.country = q_text(s, st, 5, a);
    g->addr.province_state = q_text(s, st, 6, a);
    g->addr.city = q_text(s, st, 7, a);
    g->addr.postal_code = q_text(s, st, 8, a);
    g->addr.street_name = q_text(s, st, 9, a);
    g->addr.street_number = q_text(s, st, 10, a);
    g->addr.unit_number = q_text(s, st, 11, a);
    g->apply_defaults = (int)q_i64(s, st, 12);
    g->editors_json = q_text(s, st, 13, a);
    g->webhooks_json = q_text(s, st, 14, a);
    g->created_by = q_text(s, st, 15, a);
    g->created_at = q_i64(s, st, 16);
    g->updated_at = q_i64(s, st, 17);
    g->initial_status = q_text(s, st, 18, a);
    q_text_into(s, st, 19, g->initial_wo_id, sizeof g->initial_wo_id);
    q_text_into(s, st, 20, g->default_view_id, sizeof g->default_view_id);
}

static void read_wo(struct store *s, struct db_stmt *st, struct arena *a, void *row)
{
    struct workorder_row *w = row;
    memset(w, 0, sizeof *w);
    q_text_into(s, st, 0, w->id, sizeof w->id);
    q_text_into(s, st, 1, w->iguide_id, sizeof w->iguide_id);
    w->iguide_type = q_text(s, st, 2, a);
    w->task_type = q_text(s, st, 3, a);
    w->is_initial = (int)q_i64(s, st, 4);
    w->status = q_text(s, st, 5, a);
    w->rejection_reason = q_text(s, st, 6, a);
    w->exception_reason = q_text(s, st, 7, a);
    w->created_at = q_i64(s, st, 8);
    w->updated_at = q_i64(s, st, 9);
    w->stage = q_text(s, st, 10, a);
}

enum rc store_iguide_get(struct store *s, const char *id, struct arena *a, struct iguide_row *out,
                         struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_iguide_get, &st, e, Q_ARGS(QT(id)));
    return rc != RC_OK ? rc : q_one(s, st, a, q_read_iguide, out, "iGUIDE", e);
}

enum rc store_iguide_list(struct store *s, int64_t before_seq, int limit, struct arena *a,
                          struct iguide_row **rows, size_t *n, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_iguide_list, &st, e, Q_ARGS(QI(before_seq), QI((int64_t)limit)));
    return rc != RC_OK ? rc
                       : q_collect(s, st, a, sizeof **rows, q_read_iguide, (void **)rows, n, e);
}

enum rc store_iguide_delete(struct store *s, const char *id, struct err *e)
{
    int64_t changed = 0;
    enum rc rc = q_exec(s, &q_iguide_delete, &changed, e, Q_ARGS(QT(id)));
    if (rc == RC_OK && changed == 0)
        return err_set(e, RC_NOTFOUND, "iGUIDE not found");
    return rc;
}

enum rc store_workorder_get(struct store *s, const char *iguide_id, const char *id, struct arena *a,
                            struct workorder_row *out, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_wo_get, &st, e, Q_ARGS(QT(id), QT(iguide_id)));
    return rc != RC_OK ? rc : q_one(s, st, a, read_wo, out, "work order", e);
}

enum rc store_workorder_by_id(struct store *s, const char *id, struct arena *a,
                              struct workorder_row *out, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_wo_by_id, &st, e, Q_ARGS(QT(id)));
    return rc != RC_OK ? rc : q_one(s, st, a, read_wo, out, "work order", e);
}

enum rc store_workorder_all(struct store *s, const char *status, int limit, struct arena *a,
                            struct workorder_row **rows, size_t *n, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_wo_all, &st, e, Q_ARGS(QT(status), QI(limit)));
    return rc != RC_OK ? rc
                       : q_collect(s, st, a, sizeof **rows, read_wo, (void **)rows, n, e);
}

enum rc store_workorder_set_stage(struct store *s, const char *id, const char *stage,
                                  struct err *e)
{
    return q_exec(s, &q_wo_stage, NULL, e, Q_ARGS(QT(id), QT(stage)));
}

enum rc store_workorder_create(struct store *s, struct workorder_row *w, struct err *e)
{
    enum rc rc = q_fresh_id(s, ID_WORKORDER, &q_wo_id_taken, w->id, e);
    if (rc != RC_OK)
        return rc;
    return q_exec(s, &q_wo_insert, NULL, e,
                  Q_ARGS(QT(w->id), QT(w->iguide_id), QT(w->task_type), QI((int64_t)w->is_initial),
                         QT(w->status), QI(w->created_at)));
}

enum rc store_workorder_list(struct store *s, const char *iguide_id, struct arena *a,
                             struct workorder_row **rows, size_t *n, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_wo_list, &st, e, Q_ARGS(QT(iguide_id)));
    return rc != RC_OK ? rc : q_collect(s, st, a, sizeof **rows, read_wo, (void **)rows, n, e);
}
