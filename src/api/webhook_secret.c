/* webhook_secret.c — POST /api/v1/webhookSecret/rotate: a new signing secret, shown this once;
 * the previous one keeps signing (a second signature) for 24 h so receivers can switch over. */
#include "api/api_int.h"

#include "core/clock.h"
#include "json/jsonx.h"
#include "webhooks/secret.h"

json_t *api_webhook_secret_json(const char *secret, int64_t previous_valid_until)
{
    char t[32];
    return json_pack("{s:s, s:s}", "secret", secret, "previousValidUntil",
                     clock_format(previous_valid_until, 1, t));
}

struct resp *h_webhook_secret_rotate(struct api_call *c)
{
    struct err e = {0};
    static const char *const keys[] = {NULL};
    if (jsonx_only_keys(c->body, "", keys, &e) != RC_OK)
        return reply_err(c->r, &e);
    const char *secret;
    int64_t until;
    if (store_begin(c->s, 1, &e) != RC_OK ||
        webhook_secret_rotate(c->s, clock_now_ms(), c->r->arena, &secret, &until, &e) != RC_OK ||
        store_commit(c->s, &e) != RC_OK) {
        store_rollback(c->s);
        return reply_err(c->r, &e);
    }
    return reply_json(c->r, 200, api_webhook_secret_json(secret, until));
}
