/* webhook_deliveries.c — POST /api/v1/webhookDeliveries/{deliveryId}/resend: sends a delivery
 * again from now on (same webhook-id, a new timestamp and signature, its tries counted from 0),
 * whatever its status (docs/webhooks.md). */
#include "api/api_int.h"

#include "core/clock.h"
#include "json/jsonx.h"
#include "webhooks/deliver.h"

json_t *api_webhook_resend_json(const char *delivery_id, const char *event_id)
{
    return json_pack("{s:s, s:s, s:s}", "id", delivery_id, "eventId", event_id, "status",
                     "pending");
}

struct resp *h_webhook_resend(struct api_call *c)
{
    struct err e = {0};
    static const char *const keys[] = {NULL};
    if (jsonx_only_keys(c->body, "", keys, &e) != RC_OK)
        return reply_err(c->r, &e);
    const char *id = api_param(c, "deliveryId");
    char event_id[ID_MAX];
    if (webhook_resend(c->s, id, clock_now_ms(), event_id, &e) != RC_OK)
        return reply_err(c->r, &e);
    return reply_json(c->r, 202, api_webhook_resend_json(id, event_id));
}
