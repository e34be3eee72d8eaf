/* emit.c — see emit.h. The body is built with type, eventId and occurredAt first and serialised
 * with 15 significant digits, so the view summary's areas print as they were measured. */
#include "webhooks/emit.h"

#include "core/clock.h"
#include "property/measure.h"
#include "store/webhook_events.h"
#include "webhooks/webhooks.h"

#include <stdlib.h>
#include <string.h>

#define MAX_ENTRIES 64 /* above the registration bound (20): a list is never cut short */

const char *const webhook_event_names[] = {WH_READY,          WH_VIEW_EXPIRED, WH_VIEW_DELETED,
                                           WH_IGUIDE_DELETED, WH_WO_STATUS,    NULL};

int webhook_entry_matches(const char *entry_event, const char *type)
{
    if (!entry_event || !type)
        return 0;
    if (strcmp(entry_event, "*") == 0)
        return strcmp(type, WH_READY) == 0;
    return strcmp(entry_event, type) == 0;
}

static int known_type(const char *type)
{
    for (size_t i = 0; type && webhook_event_names[i]; i++)
        if (strcmp(webhook_event_names[i], type) == 0)
            return 1;
    return 0;
}

/* The distinct URLs of list that receive type, in list order, into urls (at most MAX_ENTRIES). */
static enum rc matching_urls(const char *list, const char *type, const char **urls, size_t *n,
                             json_t **keep, struct err *e)
{
    *n = 0;
    json_error_t je;
    json_t *arr = json_loads(list, 0, &je);
    if (!json_is_array(arr)) {
        json_decref(arr);
        return err_set(e, RC_INVALID, "the stored webhook list is not a JSON array");
    }
    size_t i;
    json_t *it;
    json_array_foreach(arr, i, it)
    {
        const char *ev = json_string_value(json_object_get(it, "event"));
        const char *url = json_string_value(json_object_get(it, "url"));
        if (!url || !webhook_entry_matches(ev, type))
            continue;
        int dup = 0;
        for (size_t k = 0; k < *n && !dup; k++)
            dup = strcmp(urls[k], url) == 0;
        if (!dup && *n < MAX_ENTRIES)
            urls[(*n)++] = url;
    }
    *keep = arr; /* the URLs point into it */
    return RC_OK;
}

static char *body_of(const struct webhook_event *ev, const char *id, int64_t now)
{
    char at[32];
    json_t *o = json_pack("{s:s, s:s, s:s}", "type", ev->type, "eventId", id, "occurredAt",
                          clock_format(now, 1, at));
    if (!o)
        return NULL;
    const char *k;
    json_t *v;
    if (ev->fields)
        json_object_foreach(ev->fields, k, v)
        {
            if (strcmp(k, "type") && strcmp(k, "eventId") && strcmp(k, "occurredAt"))
                json_object_set(o, k, v);
        }
    char *text = meas_json_dump(o, NULL);
    json_decref(o);
    return text;
}

enum rc webhook_emit(struct store *s, const struct webhook_event *ev, const char *webhooks_json,
                     int64_t now, struct arena *a, struct webhook_emitted *out, struct err *e)
{
    struct webhook_emitted tmp;
    if (!out)
        out = &tmp;
    memset(out, 0, sizeof *out);
    if (!known_type(ev->type))
        return err_set(e, RC_INVALID, "unknown webhook event type");
    enum rc rc;
    const char *list = webhooks_json;
    if (!list && ev->iguide_id) {
        rc = store_iguide_webhooks_get(s, ev->iguide_id, a, &list, e);
        if (rc == RC_NOTFOUND)
            list = NULL;
        else if (rc != RC_OK)
            return rc;
    }
    const char *urls[MAX_ENTRIES];
    size_t nurls = 0;
    json_t *keep = NULL;
    if (list && (rc = matching_urls(list, ev->type, urls, &nurls, &keep, e)) != RC_OK)
        return rc;
    if (nurls == 0 && strcmp(ev->type, WH_READY) != 0) {
        json_decref(keep);
        return RC_OK; /* nobody listens for this Guidepost event */
    }
    struct whlog_event row = {.type = ev->type,
                              .iguide_id = ev->iguide_id,
                              .work_order_id = ev->work_order_id,
                              .view_id = ev->view_id,
                              .created_at = now};
    /* The id is drawn before the body is built (the body carries it): draw, then insert. */
    char *body = NULL;
    if (id_new(ID_EVENT, row.id)) {
        rc = err_set(e, RC_INTERNAL, "random source failed");
        goto done;
    }
    if (!(body = body_of(ev, row.id, now))) {
        rc = err_set(e, RC_NOMEM, "out of memory");
        goto done;
    }
    row.body = body;
    if ((rc = store_webhook_event_insert(s, &row, e)) != RC_OK)
        goto done;
    memcpy(out->event_id, row.id, sizeof out->event_id);
    out->delivery_ids = arena_alloc(a, (nurls + 1) * sizeof *out->delivery_ids);
    out->urls = arena_alloc(a, (nurls + 1) * sizeof *out->urls);
    if (!out->delivery_ids || !out->urls) {
        rc = err_set(e, RC_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nurls; i++) {
        int disabled = 0;
        if ((rc = store_webhook_disabled_has(s, ev->iguide_id, urls[i], &disabled, e)) != RC_OK)
            goto done;
        if (disabled)
            continue;
        char did[ID_MAX];
        if ((rc = store_webhook_delivery_add(s, row.id, ev->iguide_id, urls[i], now, did, e)) !=
                RC_OK ||
            (rc = webhook_schedule(s, did, 0, now, e)) != RC_OK)
            goto done;
        const char *d = arena_strdup(a, did), *u = arena_strdup(a, urls[i]);
        if (!d || !u) {
            rc = err_set(e, RC_NOMEM, "out of memory");
            goto done;
        }
        out->delivery_ids[out->n] = d;
        out->urls[out->n++] = u;
    }
done:
    free(body);
    json_decref(keep);
    return rc;
}
