/* iguides.c — POST/GET/DELETE /api/v1/iguides. Creating an iGUIDE also creates its default view
 * (public for residential, protected otherwise; expiring one year after creation) and its initial
 * work order (status empty), in one transaction. */
#include "api/api_int.h"

#include "blob/blob.h"
#include "core/base64.h"
#include "core/log.h"

#include "api/cursor.h"
#include "api/iguide_input.h"
#include "api/objects.h"
#include "api/view_input.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/search_terms.h"
#include "core/slug.h"
#include "json/jsonx.h"
#include "jobs/jobs.h"
#include "pipeline/wo_status.h"
#include "store/webhook_events.h"
#include "webhooks/emit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_DEFAULT 20
#define LIST_MAX 100

static const char *dump_or(json_t *v, const char *dflt, struct arena *a)
{
    if (!v)
        return dflt;
    char *s = jsonx_dump(v, NULL);
    if (!s)
        return NULL;
    const char *copy = arena_strdup(a, s);
    free(s);
    return copy;
}

struct resp *h_iguide_create(struct api_call *c)
{
    struct err e = {0};
    struct iguide_input in;
    int64_t now = clock_now_ms();
    if (iguide_input_parse(c->body, now, c->cfg->webhook_allow_private, &in, &e) != RC_OK)
        return reply_err(c->r, &e);
    struct arena *a = c->r->arena;
    struct iguide_row g = {0};
    struct view_row v = {0};
    struct workorder_row w = {0};
    g.type = in.type;
    g.industry = in.industry;
    g.addr = in.addr;
    g.apply_defaults = in.apply_defaults;
    g.editors_json = dump_or(in.editors, "[]", a);
    g.webhooks_json = dump_or(in.webhooks, "[]", a);
    g.created_by = c->who.app_id;
    g.created_at = g.updated_at = now;
    v.is_default = 1;
    if (view_params_to_new(&in.view, in.industry, in.addr.country, now, &v, a, &e) != RC_OK)
        return reply_err(c->r, &e);
    w.task_type = "initial";
    w.is_initial = 1;
    w.status = wo_status_name(WO_EMPTY);
    w.created_at = w.updated_at = now;
    if (!g.editors_json || !g.webhooks_json)
        return reply_error(c->r, RC_NOMEM, "out of memory");
    char alias_base[SLUG_MAX];
    iguide_alias_base(&in.addr, alias_base, sizeof alias_base);
    if (store_iguide_create(c->s, &g, &v, &w, alias_base, a, &e) != RC_OK)
        return reply_err(c->r, &e);
    /* The tutorial's response fields first, in its order; type and industry after. */
    return reply_json(c->r, 200, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", g.id, "alias",
                                           g.alias, "workOrderId", w.id, "defaultViewId", v.id,
                                           "type", g.type, "industry", g.industry));
}

struct resp *h_iguide_get(struct api_call *c)
{
    struct err e = {0};
    struct iguide_row g;
    struct view_row *views;
    struct workorder_row *wos;
    size_t nv, nw;
    const char *id = api_param(c, "iguideId");
    if (!id_valid(ID_IGUIDE, id))
        return reply_error(c->r, RC_NOTFOUND, "iGUIDE not found");
    if (store_begin(c->s, 0, &e) != RC_OK ||
        store_iguide_get(c->s, id, c->r->arena, &g, &e) != RC_OK ||
        store_view_list(c->s, id, c->r->arena, &views, &nv, &e) != RC_OK ||
        store_workorder_list(c->s, id, c->r->arena, &wos, &nw, &e) != RC_OK) {
        store_rollback(c->s);
        return reply_err(c->r, &e);
    }
    store_rollback(c->s);
    json_t *o = obj_iguide(&g);
    json_t *va = json_array(), *wa = json_array();
    int64_t now = clock_now_ms();
    for (size_t i = 0; va && i < nv; i++)
        json_array_append_new(va, obj_view(&views[i], now));
    for (size_t i = 0; wa && i < nw; i++)
        json_array_append_new(wa, obj_workorder(&wos[i]));
    if (o) {
        json_object_set_new(o, "views", va ? va : json_array());
        json_object_set_new(o, "workOrders", wa ? wa : json_array());
    } else {
        json_decref(va);
        json_decref(wa);
    }
    return reply_json(c->r, 200, o);
}

/* The words of ?search= (or its alias ?q=) into words; 0 words when neither is given or it is
 * empty, -1 with
 * *bad set to the 400 when the text breaks a rule (docs/api.md, "Search"). */
static int search_query(struct api_call *c, search_term words[SEARCH_WORDS_MAX], struct resp **bad)
{
    const char *s = http_query(c->r, "search"), *q = http_query(c->r, "q");
    if (s && q) {
        *bad = reply_error(c->r, RC_INVALID, "give search or its alias q, not both");
        return -1;
    }
    const char *name = s ? "search" : "q", *text = s ? s : q;
    if (!text || !*text)
        return 0; /* "search=" as a form sends it when nothing was typed: no filter */
    char msg[160];
    int n = strlen(text) > SEARCH_TEXT_MAX ? -2 : search_words(text, words, SEARCH_WORDS_MAX);
    if (n == -2)
        snprintf(msg, sizeof msg, "%s must be at most %d bytes", name, SEARCH_TEXT_MAX);
    else if (n < 0)
        snprintf(msg, sizeof msg, "%s must have at most %d words", name, SEARCH_WORDS_MAX);
    else if (n == 0)
        snprintf(msg, sizeof msg, "%s must contain a letter or a digit", name);
    else
        return n;
    *bad = reply_error(c->r, RC_INVALID, msg);
    return -1;
}

struct resp *h_iguide_list(struct api_call *c)
{
    API_LIST_QUERY(c, "limit", "cursor", "search", "q");
    struct err e = {0};
    long limit;
    int64_t before;
    struct resp *bad = api_page_query(c, LIST_DEFAULT, LIST_MAX, &limit, &before);
    if (bad)
        return bad;
    search_term words[SEARCH_WORDS_MAX];
    int nw = search_query(c, words, &bad);
    if (nw < 0)
        return bad;
    struct iguide_row *rows;
    size_t n;
    /* One row more than asked tells whether another page exists. A search's cursor is the same
     * kind as the list's: the next page repeats the search below the last row shown. */
    enum rc rc = nw ? store_iguide_search(c->s, words, nw, before, (int)limit + 1, c->r->arena,
                                          &rows, &n, &e)
                    : store_iguide_list(c->s, before, (int)limit + 1, c->r->arena, &rows, &n, &e);
    if (rc != RC_OK)
        return reply_err(c->r, &e);
    json_t *arr = json_array();
    size_t shown = n > (size_t)limit ? (size_t)limit : n;
    for (size_t i = 0; arr && i < shown; i++)
        json_array_append_new(arr, obj_iguide(&rows[i]));
    json_t *next = n > (size_t)limit ? api_cursor_json(rows[shown - 1].seq) : json_null();
    return reply_json(c->r, 200, json_pack("{s:o, s:o}", "iguides", arr, "nextCursor", next));
}

static enum rc announce_deleted(struct api_call *c, const struct iguide_row *g, struct err *e)
{
    json_t *f = json_pack("{s:s, s:s}", "iguideId", g->id, "iguideAlias", g->alias);
    if (!f)
        return err_set(e, RC_NOMEM, "out of memory");
    struct webhook_event ev = {.type = WH_IGUIDE_DELETED, .iguide_id = g->id, .fields = f};
    enum rc rc = webhook_emit(c->s, &ev, g->webhooks_json, clock_now_ms(), c->r->arena, NULL, e);
    json_decref(f);
    return rc;
}

/* PUT /api/v1/iguides/{iguideId}/webhooks: a Guidepost addition (the platform lets editors change
 * the list). Replacing the list also re-enables the URLs a 410 disabled. */
struct resp *h_iguide_webhooks_put(struct api_call *c)
{
    struct err e = {0};
    const char *id = api_param(c, "iguideId");
    static const char *const keys[] = {"webhooks", NULL};
    if (jsonx_only_keys(c->body, "", keys, &e) != RC_OK)
        return reply_err(c->r, &e);
    json_t *list = json_object_get(c->body, "webhooks");
    if (!list)
        return reply_error(c->r, RC_INVALID, "webhooks is required");
    if (iguide_webhooks_parse(list, c->cfg->webhook_allow_private, &e) != RC_OK)
        return reply_err(c->r, &e);
    if (!id_valid(ID_IGUIDE, id))
        return reply_error(c->r, RC_NOTFOUND, "iGUIDE not found");
    const char *text = dump_or(list, "[]", c->r->arena);
    if (!text)
        return reply_error(c->r, RC_NOMEM, "out of memory");
    if (store_begin(c->s, 1, &e) != RC_OK ||
        store_iguide_webhooks_set(c->s, id, text, clock_now_ms(), &e) != RC_OK ||
        store_webhook_disabled_clear(c->s, id, &e) != RC_OK || store_commit(c->s, &e) != RC_OK) {
        store_rollback(c->s);
        return reply_err(c->r, &e);
    }
    return reply_json(c->r, 200, json_pack("{s:O}", "webhooks", list));
}

struct resp *h_iguide_delete(struct api_call *c)
{
    struct err e = {0};
    const char *id = api_param(c, "iguideId");
    if (!id_valid(ID_IGUIDE, id))
        return reply_error(c->r, RC_NOTFOUND, "iGUIDE not found");
    /* Rows first, in one transaction; then the files, which nothing points at any more. A crash
     * between the two leaves unreferenced files, never a row without its file. */
    const char **blobs = NULL;
    size_t n = 0;
    struct iguide_row g;
    if (store_begin(c->s, 1, &e) != RC_OK)
        return reply_err(c->r, &e);
    /* iguide.deleted goes to the list the iGUIDE had, read before its row goes. */
    if (store_iguide_get(c->s, id, c->r->arena, &g, &e) != RC_OK ||
        announce_deleted(c, &g, &e) != RC_OK ||
        store_iguide_uploads_purge(c->s, id, c->r->arena, &blobs, &n, &e) != RC_OK ||
        store_iguide_delete(c->s, id, &e) != RC_OK || store_commit(c->s, &e) != RC_OK) {
        store_rollback(c->s);
        return reply_err(c->r, &e);
    }
    jobs_notify();
    struct blob_store *b = c->cfg->blobs;
    struct err be = {0};
    char prefix[ID_MAX + 16];
    snprintf(prefix, sizeof prefix, "iguides/%s", id);
    for (size_t i = 0; b && i < n; i++)
        if (blob_delete(b, blobs[i], &be) != RC_OK)
            log_warn("iGUIDE %s deleted, but its upload %s was not removed: %s", id, blobs[i], be.msg);
    if (b && blob_delete_prefix(b, prefix, &be) != RC_OK)
        log_warn("iGUIDE %s deleted, but its files were not all removed: %s", id, be.msg);
    return reply_json(c->r, 200, json_pack("{s:s, s:b}", "id", id, "deleted", 1));
}
