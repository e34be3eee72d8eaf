/* tokens.c — API-token management over HTTP (credentials.manage). The paths are Guidepost's
 * choice where the API-management guide's were not available; see docs/api.md. One rule,
 * scope_covers (docs/api.md, Decision 5): a token can only grant scopes it holds itself, and only
 * rotate, change or revoke tokens whose scopes it holds, so credentials.manage alone can neither
 * mint wider access nor take over (or switch off) a wider token. */
#include "api/api_int.h"

#include "core/clock.h"
#include "core/ids.h"
#include "json/jsonx.h"

#include <string.h>

static json_t *scopes_json(const char *scopes)
{
    json_t *a = json_array();
    scope_set set;
    char bad[80];
    if (a && scope_parse_list(scopes, &set, bad, sizeof bad) == 0)
        for (int i = 0; i < SCOPE__ALL; i++)
            if (set & SCOPE_BIT(i))
                json_array_append_new(a, json_string(scope_name((enum scope)i)));
    return a;
}

json_t *api_token_issued_json(const struct token_issued *t)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "id", t->row.id, "name", t->row.name,
                     "token", t->value, "tokenHint", t->row.hint, "scopes",
                     scopes_json(t->row.scopes), "expiresAt", jsonx_time(t->row.expires_at),
                     "createdAt", jsonx_time(t->row.created_at));
}

json_t *api_token_json(const struct token_row *t)
{
    int64_t now = clock_now_ms();
    const char *status = t->revoked_at ? "revoked" : now >= t->expires_at ? "expired" : "active";
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "id", t->id,
                     "name", t->name, "description", t->description ? t->description : "",
                     "tokenHint", t->hint, "scopes", scopes_json(t->scopes), "status", status,
                     "expiresAt", jsonx_time(t->expires_at), "createdAt",
                     jsonx_time(t->created_at), "updatedAt", jsonx_time(t->updated_at),
                     "rotatedAt", jsonx_time(t->rotated_at), "revokedAt",
                     jsonx_time(t->revoked_at), "previousTokenExpiresAt",
                     t->has_prev && t->prev_expires_at > now ? jsonx_time(t->prev_expires_at)
                                                             : json_null());
}

/* Reads "scopes" (an array of scope names) into *out; requires that the caller holds them all. */
static enum rc read_scopes(struct api_call *c, int required, scope_set *out, struct err *e)
{
    json_t *arr = NULL;
    enum rc rc = jsonx_string_array(c->body, "", "scopes", SCOPE__ALL * 2, 64, &arr, e);
    if (rc != RC_OK)
        return rc;
    if (!arr) {
        if (required)
            return err_set(e, RC_INVALID, "scopes is required");
        return RC_OK;
    }
    scope_set set = 0;
    size_t i;
    json_t *it;
    json_array_foreach(arr, i, it) {
        scope_set one;
        char bad[80];
        if (scope_parse_list(json_string_value(it), &one, bad, sizeof bad) ||
            strchr(json_string_value(it), ',') || strchr(json_string_value(it), ' '))
            return err_set(e, RC_INVALID, "scopes[%zu] is not a known scope (see GET /api/v1/scopes)",
                           i);
        set |= one;
    }
    if (!set)
        return err_set(e, RC_INVALID, "scopes must not be empty");
    if (!scope_covers(c->who.scopes, set))
        return err_set(e, RC_DENIED, "a token can only grant scopes it holds itself");
    *out = set;
    return RC_OK;
}

static enum rc token_id_param(struct api_call *c, const char **id, struct err *e)
{
    *id = api_param(c, "tokenId");
    if (!id_uuid_valid(*id))
        return err_set(e, RC_NOTFOUND, "API token not found");
    return RC_OK;
}

static struct resp *fail(struct api_call *c, const struct err *e)
{
    store_rollback(c->s);
    return reply_err(c->r, e);
}

/* Opens a write transaction and reads the token named in the path into *t; RC_DENIED unless the
 * caller holds every scope of it. The check and the change that follows share the transaction,
 * so a concurrent PATCH cannot widen the token in between. */
static enum rc managed_token(struct api_call *c, const char **id, struct token_row *t,
                             struct err *e)
{
    enum rc rc = token_id_param(c, id, e);
    if (rc == RC_OK)
        rc = store_begin(c->s, 1, e);
    if (rc == RC_OK)
        rc = store_token_get(c->s, *id, c->r->arena, t, e);
    if (rc != RC_OK)
        return rc;
    scope_set target;
    char bad[80];
    /* A stored list that no longer parses counts as every scope there is: refused, never
     * waved through. */
    if (!t->scopes || scope_parse_list(t->scopes, &target, bad, sizeof bad))
        target = ~(scope_set)0;
    if (!scope_covers(c->who.scopes, target))
        return err_set(e, RC_DENIED, "a token can only manage tokens whose scopes it holds itself");
    return RC_OK;
}

struct resp *h_token_create(struct api_call *c)
{
    static const char *const keys[] = {"name", "description", "scopes", "expiresInDays", NULL};
    struct err e = {0};
    const char *name = NULL, *desc = NULL;
    int64_t days = 0;
    scope_set set = 0;
    if (jsonx_only_keys(c->body, "", keys, &e) != RC_OK ||
        jsonx_string(c->body, "", "name", 1, 100, &name, &e) != RC_OK ||
        jsonx_string(c->body, "", "description", 0, 500, &desc, &e) != RC_OK ||
        jsonx_int(c->body, "", "expiresInDays", 0, 1, TOKEN_MAX_DAYS, &days, &e) != RC_OK ||
        read_scopes(c, 1, &set, &e) != RC_OK)
        return reply_err(c->r, &e);
    struct token_issued t;
    if (auth_token_create(c->s, name, desc, set, (int)days, c->who.app_id, c->r->arena, &t, &e) !=
        RC_OK)
        return reply_err(c->r, &e);
    return reply_json(c->r, 200, api_token_issued_json(&t));
}

struct resp *h_token_list(struct api_call *c)
{
    API_LIST_QUERY(c, NULL);
    struct err e = {0};
    struct token_row *rows;
    size_t n;
    if (store_token_list(c->s, c->r->arena, &rows, &n, &e) != RC_OK)
        return reply_err(c->r, &e);
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, api_token_json(&rows[i]));
    return reply_json(c->r, 200, json_pack("{s:o}", "apiTokens", a));
}

struct resp *h_token_get(struct api_call *c)
{
    struct err e = {0};
    const char *id;
    struct token_row t;
    if (token_id_param(c, &id, &e) != RC_OK || store_token_get(c->s, id, c->r->arena, &t, &e) != RC_OK)
        return reply_err(c->r, &e);
    return reply_json(c->r, 200, api_token_json(&t));
}

struct resp *h_token_update(struct api_call *c)
{
    static const char *const keys[] = {"name", "description", "scopes", NULL};
    struct err e = {0};
    const char *id, *name = NULL, *desc = NULL;
    scope_set set = 0;
    char scope_text[256];
    struct token_row t;
    if (managed_token(c, &id, &t, &e) != RC_OK || jsonx_only_keys(c->body, "", keys, &e) != RC_OK ||
        jsonx_string(c->body, "", "description", 0, 500, &desc, &e) != RC_OK ||
        read_scopes(c, 0, &set, &e) != RC_OK)
        return fail(c, &e);
    if (json_object_get(c->body, "name") &&
        jsonx_string(c->body, "", "name", 1, 100, &name, &e) != RC_OK)
        return fail(c, &e);
    if (set)
        scope_format(set, scope_text, sizeof scope_text);
    if (store_token_update(c->s, id, name, desc, set ? scope_text : NULL, clock_now_ms(), &e) !=
            RC_OK ||
        store_token_get(c->s, id, c->r->arena, &t, &e) != RC_OK || store_commit(c->s, &e) != RC_OK)
        return fail(c, &e);
    return reply_json(c->r, 200, api_token_json(&t));
}

struct resp *h_token_rotate(struct api_call *c)
{
    struct err e = {0};
    const char *id;
    struct token_row old;
    struct token_issued t;
    if (managed_token(c, &id, &old, &e) != RC_OK ||
        auth_token_rotate(c->s, id, c->r->arena, &t, &e) != RC_OK ||
        store_commit(c->s, &e) != RC_OK)
        return fail(c, &e);
    json_t *v = api_token_issued_json(&t);
    json_object_set_new(v, "previousTokenExpiresAt", jsonx_time(t.row.prev_expires_at));
    return reply_json(c->r, 200, v);
}

struct resp *h_token_revoke(struct api_call *c)
{
    struct err e = {0};
    const char *id;
    struct token_row t;
    if (managed_token(c, &id, &t, &e) != RC_OK ||
        store_token_revoke(c->s, id, clock_now_ms(), &e) != RC_OK ||
        store_token_get(c->s, id, c->r->arena, &t, &e) != RC_OK || store_commit(c->s, &e) != RC_OK)
        return fail(c, &e);
    return reply_json(c->r, 200, api_token_json(&t));
}
