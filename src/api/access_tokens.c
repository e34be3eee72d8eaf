/* access_tokens.c — POST /api/v1/views/{viewId}/accessTokens, a Guidepost addition: the
 * platform hands a view's temporary access token (read access for 3 weeks, View access,
 * expiration & deletion guide) to integrators in the ready webhook event; until Guidepost's
 * webhooks carry it, this endpoint issues one on demand (docs/access.md). */
#include "api/api_int.h"

#include "core/clock.h"
#include "core/ids.h"
#include "json/jsonx.h"
#include "auth/session.h"

struct resp *h_view_access_token(struct api_call *c)
{
    struct err e = {0};
    const char *vid = api_param(c, "viewId");
    static const char *const keys[] = {NULL};
    if (jsonx_only_keys(c->body, "", keys, &e) != RC_OK)
        return reply_err(c->r, &e);
    if (!id_valid(ID_VIEW, vid))
        return reply_error(c->r, RC_NOTFOUND, "view not found");
    int64_t now = clock_now_ms(), expires = 0;
    char tok[sizeof VTOKEN_PREFIX + SECRET_TEXT_LEN];
    struct view_row v;
    if (store_begin(c->s, 1, &e) != RC_OK ||
        store_view_get(c->s, vid, c->r->arena, &v, &e) != RC_OK ||
        vtoken_issue(c->s, vid, c->who.app_id, now, tok, &expires, &e) != RC_OK ||
        store_commit(c->s, &e) != RC_OK) {
        store_rollback(c->s);
        return reply_err(c->r, &e);
    }
    return reply_json(c->r, 200, json_pack("{s:s, s:s, s:o}", "token", tok, "viewId", vid,
                                           "expiresAt", jsonx_time(expires)));
}
