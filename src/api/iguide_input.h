/* iguide_input.h — validation of the POST /api/v1/iguides body (IGuideCreateInput,
 * portal-api.md §4.1; DefaultViewParams §4.3). Pure: no store, no HTTP, unit-tested. */
#ifndef GP_IGUIDE_INPUT_H
#define GP_IGUIDE_INPUT_H

#include "api/view_input.h"
#include "core/rc.h"
#include "store/store.h"

#include <jansson.h>
#include <stdint.h>

struct iguide_input {
    const char *type, *industry;        /* validated enum values (static strings) */
    struct address addr;                /* borrowed from the JSON body */
    int apply_defaults;
    json_t *editors;                    /* borrowed, may be NULL */
    json_t *webhooks;                   /* borrowed, may be NULL */
    struct view_params view;            /* defaultView (all unset when absent) */
};

/* Checks body against the schema at now (for the expiresAt window); webhook URLs may be plain
 * http:// only when allow_http (--webhook-allow-private). RC_INVALID names the field. */
enum rc iguide_input_parse(json_t *body, int64_t now, int allow_http, struct iguide_input *in,
                           struct err *e);

/* Checks a webhook list: an array of at most 20 {event, url}, event one of "*", "ready",
 * "view.expired", "view.deleted", "iguide.deleted", "workorder.status_changed", url an absolute
 * https:// URL with a host (http:// too when allow_http), no spaces or control characters, at most
 * 2048 bytes. RC_INVALID names the entry ("webhooks[3].url ..."). */
enum rc iguide_webhooks_parse(json_t *list, int allow_http, struct err *e);

/* Writes the alias base for an address into out: number, street, unit, city, province,
 * e.g. "200_university_ave_waterloo_on" (the tutorial's Step 3). */
void iguide_alias_base(const struct address *a, char *out, size_t cap);

#endif
