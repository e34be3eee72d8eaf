/* view_input.h — validation of view settings: the defaultView of POST /api/v1/iguides
 * (DefaultViewParams, portal-api.md §4.3), the bodies of POST /iguides/{id}/views and PATCH
 * /views/{id}, and the {"expiresAt"} body of the expiration endpoints. Pure: no store, no HTTP. */
#ifndef GP_VIEW_INPUT_H
#define GP_VIEW_INPUT_H

#include "core/arena.h"
#include "core/rc.h"
#include "store/store.h"

#include <jansson.h>
#include <stdint.h>

/* DefaultViewParams.expiresAt: at most 10 years ahead, at most 1 year back (§4.3). */
#define VIEW_EXPIRES_MAX_YEARS 10
#define VIEW_EXPIRES_MAX_YEARS_BACK 1
#define VIEW_MAX_VIEWERS 500
#define VIEW_MAX_VIEWER_GROUPS 100
#define VIEW_USER_ID_MAX 128
#define VIEW_BANNER_ID_MAX 64
#define VIEW_DESCRIPTION_MAX 10000

/* Which fields a view body may carry. */
enum view_fields {
    VIEW_FIELDS_DEFAULT_VIEW,   /* DefaultViewParams: no viewerGroups (§4.3 lists none) */
    VIEW_FIELDS_VIEW            /* a view's own body: every field, viewerGroups included */
};

/* Parsed view settings; has_* (or a non-NULL pointer) marks a field that was given. Strings and
 * arrays are borrowed from the JSON body. */
struct view_params {
    int has_protected, is_protected;
    int has_expires;
    int64_t expires_at;
    int has_banner;                     /* with banner_id NULL: "bannerId": null clears it */
    const char *banner_id;
    int has_description;                /* with description NULL: null clears it */
    const char *description;
    const char *meas_std;               /* "ansi" | "rms" (static), NULL when not given */
    json_t *viewers, *viewer_groups;    /* NULL when not given (or null) */
};

/* Checks obj (a JSON object; path names it in messages, "" at the top level) against the view
 * schema at now. Unknown fields, wrong types, unknown enum values and an expiresAt outside
 * [now - 1 year, now + 10 years] are RC_INVALID with a message naming the field. */
enum rc view_params_parse(json_t *obj, const char *path, enum view_fields fields, int64_t now,
                          struct view_params *out, struct err *e);

/* RC_OK when ms is at most 10 years after now and at most 1 year before it, both limits
 * included (calendar years); otherwise RC_INVALID naming field. */
enum rc view_expires_in_window(int64_t ms, int64_t now, const char *field, struct err *e);

/* The default protection for an iGUIDE's industry: residential public, everything else
 * protected (View access, expiration & deletion guide, "View access modes"). */
int view_default_protected(const char *industry);

/* The default measurement standard: "ansi" for US addresses, "rms" otherwise (§4.3). */
const char *view_default_meas_std(const char *country);

/* Fills the settings of a new view v from p, with the documented defaults where p is silent:
 * protection by industry, expiry one year after now, measurement standard by country, no
 * viewers or groups. Sets created_at and updated_at to now; leaves id, iguide_id, is_default.
 * The viewer lists are written as JSON text into a. RC_NOMEM when a is exhausted. */
enum rc view_params_to_new(const struct view_params *p, const char *industry, const char *country,
                           int64_t now, struct view_row *v, struct arena *a, struct err *e);

/* Overlays the fields given in p on v (a PATCH) and sets updated_at to now. RC_NOMEM as above. */
enum rc view_params_apply(const struct view_params *p, int64_t now, struct view_row *v,
                          struct arena *a, struct err *e);

/* How an expiration endpoint treats a date more than 10 years ahead. */
enum view_expiry_cap {
    VIEW_EXPIRY_UNCAPPED,       /* PUT /views/{id}/expires: any future date */
    VIEW_EXPIRY_CLAMP           /* the batch endpoint: clamped to now + 10 years */
};

/* Checks the body {"expiresAt": "<RFC 3339>"} of an expiration endpoint: the field is required,
 * nothing else is allowed, and the date must be after now (RC_INVALID otherwise). *out gets the
 * date, clamped to now + 10 years under VIEW_EXPIRY_CLAMP; *clamped (if non-NULL) says whether
 * it was. */
enum rc view_expiry_parse(json_t *body, int64_t now, enum view_expiry_cap cap, int64_t *out,
                          int *clamped, struct err *e);

#endif
