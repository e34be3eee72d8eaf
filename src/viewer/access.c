/* access.c — who may see a view (View access, expiration & deletion guide, "View access modes"
 * and "HTTP responses for protected views"; docs/access.md). The order is fixed: a public view is
 * open; then an ?authtoken= for this view; then its gp_at_<viewId> cookie; then the signed-in
 * account, which must be the manager (an operator account), an editor of the iGUIDE, a viewer of
 * the view, or in one of its viewer groups. Viewers and editors are named by account id or email
 * (case-insensitive); groups by id. Anything malformed or unknown counts as absent. */
#include "viewer/access.h"

#include "auth/session.h"

#include <jansson.h>
#include <string.h>
#include <strings.h>

/* 1 when some string of the JSON array text satisfies match (ctx is match's). */
static int list_any(const char *json_text, int (*match)(const char *s, const void *ctx),
                    const void *ctx)
{
    if (!json_text || !*json_text)
        return 0;
    json_t *arr = json_loads(json_text, 0, NULL);
    int hit = 0;
    size_t i;
    json_t *it;
    if (json_is_array(arr))
        json_array_foreach(arr, i, it) {
            const char *str = json_string_value(it);
            if (str && (hit = match(str, ctx)))
                break;
        }
    json_decref(arr);
    return hit;
}

/* The account, named by id or (case-insensitively) by email. */
static int names_user(const char *s, const void *ctx)
{
    const struct user_row *u = ctx;
    return strcmp(s, u->id) == 0 || (u->email && strcasecmp(s, u->email) == 0);
}

struct groups {
    char **ids;
    size_t n;
};

/* One of the account's groups. */
static int names_group(const char *s, const void *ctx)
{
    const struct groups *g = ctx;
    for (size_t k = 0; k < g->n; k++)
        if (g->ids[k] && strcmp(s, g->ids[k]) == 0)
            return 1;
    return 0;
}

/* Which list, if any, lets account u see view v. */
static enum rc authorize(struct store *s, const struct view_row *v, const struct user_row *u,
                         struct arena *a, enum access_reason *why, struct err *e)
{
    if (u->is_operator) {
        *why = ACCESS_BY_MANAGER;
        return RC_OK;
    }
    struct iguide_row g;
    enum rc rc = store_iguide_get(s, v->iguide_id, a, &g, e);
    if (rc != RC_OK)
        return rc;
    if (list_any(g.editors_json, names_user, u)) {
        *why = ACCESS_BY_EDITOR;
        return RC_OK;
    }
    if (list_any(v->viewers_json, names_user, u)) {
        *why = ACCESS_BY_VIEWER;
        return RC_OK;
    }
    struct groups gs = {NULL, 0};
    if ((rc = store_user_groups(s, u->id, a, &gs.ids, &gs.n, e)) != RC_OK)
        return rc;
    *why = list_any(v->viewer_groups_json, names_group, &gs) ? ACCESS_BY_GROUP
                                                             : ACCESS_NOT_AUTHORIZED;
    return RC_OK;
}

static void verdict(struct access_decision *out, enum access_verdict vd, enum access_reason why)
{
    out->verdict = vd;
    out->reason = why;
}

enum rc access_decide(struct store *s, const struct view_row *v, const struct access_request *rq,
                      int64_t now, struct arena *a, struct access_decision *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    enum rc rc;

    /* The signed-in account, if any (a missing or stale session is simply nobody). */
    struct session_row sess;
    struct user_row user;
    int signed_in = 0;
    rc = session_from_cookies(s, rq->cookie_header, now, a, &sess, e);
    if (rc == RC_OK) {
        rc = store_user_get(s, sess.user_id, a, &user, e);
        if (rc == RC_OK && !user.disabled) {
            signed_in = 1;
            out->user_id = arena_strdup(a, user.id);
            out->user_email = user.email;
            out->csrf_token = session_csrf_token(&sess, a);
        }
    }
    if (rc != RC_OK && rc != RC_NOTFOUND)
        return rc;

    if (!v->is_protected) {
        verdict(out, ACCESS_ALLOW, ACCESS_BY_PUBLIC);
        return RC_OK;
    }

    int64_t tok_expires = 0;
    if (rq->authtoken && *rq->authtoken) {
        rc = vtoken_check(s, rq->authtoken, v->id, now, a, &tok_expires, e);
        if (rc == RC_OK) {
            char name[sizeof VTOKEN_COOKIE_PREFIX + ID_MAX];
            memcpy(name, VTOKEN_COOKIE_PREFIX, sizeof VTOKEN_COOKIE_PREFIX - 1);
            memcpy(name + sizeof VTOKEN_COOKIE_PREFIX - 1, v->id, strlen(v->id) + 1);
            /* SameSite=None under TLS so a page embedded in another site's iframe still sends
             * it with its assets; browsers accept None only with Secure, so plain http gets Lax. */
            out->set_cookie = cookie_format(a, name, rq->authtoken, (tok_expires - now) / 1000,
                                            rq->tls ? "None" : "Lax", rq->tls);
            if (!out->set_cookie)
                return err_set(e, RC_NOMEM, "out of memory");
            verdict(out, ACCESS_ALLOW, ACCESS_BY_TOKEN);
            return RC_OK;
        }
        if (rc != RC_NOTFOUND)
            return rc;
    }

    char name[sizeof VTOKEN_COOKIE_PREFIX + ID_MAX];
    memcpy(name, VTOKEN_COOKIE_PREFIX, sizeof VTOKEN_COOKIE_PREFIX - 1);
    memcpy(name + sizeof VTOKEN_COOKIE_PREFIX - 1, v->id, strlen(v->id) + 1);
    const char *ck = cookie_get(rq->cookie_header, name, a);
    if (ck) {
        rc = vtoken_check(s, ck, v->id, now, a, &tok_expires, e);
        if (rc == RC_OK) {
            verdict(out, ACCESS_ALLOW, ACCESS_BY_TOKEN_COOKIE);
            return RC_OK;
        }
        if (rc != RC_NOTFOUND)
            return rc;
    }

    if (!signed_in) {
        verdict(out, ACCESS_SIGN_IN, ACCESS_NOBODY);
        return RC_OK;
    }
    enum access_reason why = ACCESS_NOT_AUTHORIZED;
    if ((rc = authorize(s, v, &user, a, &why, e)) != RC_OK)
        return rc;
    verdict(out, why == ACCESS_NOT_AUTHORIZED ? ACCESS_DENIED : ACCESS_ALLOW, why);
    return RC_OK;
}
