/* view_input.c — one parser for every body that sets view fields, so the defaultView of a new
 * iGUIDE, a new view and a PATCH follow the same rules and say the same things; and the
 * expiration endpoints' {"expiresAt"} (View access, expiration & deletion guide). */
#include "api/view_input.h"

#include "core/clock.h"
#include "json/jsonx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const meas_stds[] = {"ansi", "rms", NULL};

/* "path.key", or "key" at the top level. */
static const char *field(const char *path, const char *key, char buf[96])
{
    if (path && *path)
        snprintf(buf, 96, "%s.%s", path, key);
    else
        snprintf(buf, 96, "%s", key);
    return buf;
}

static int present(json_t *obj, const char *key)
{
    return json_object_get(obj, key) != NULL;
}

enum rc view_expires_in_window(int64_t ms, int64_t now, const char *fname, struct err *e)
{
    /* DefaultViewParams.expiresAt (§4.3): at most 10 years ahead, at least 1 year back; a past
     * date within that year locks the view. */
    if (ms > clock_add_years(now, VIEW_EXPIRES_MAX_YEARS))
        return err_set(e, RC_INVALID, "%s must be at most 10 years from now", fname);
    if (ms < clock_add_years(now, -VIEW_EXPIRES_MAX_YEARS_BACK))
        return err_set(e, RC_INVALID, "%s must be at most 1 year in the past", fname);
    return RC_OK;
}

enum rc view_params_parse(json_t *obj, const char *path, enum view_fields fields, int64_t now,
                          struct view_params *out, struct err *e)
{
    static const char *const default_view_keys[] = {"bannerId", "description", "expiresAt",
                                                    "isProtected", "measStd", "viewers", NULL};
    static const char *const view_keys[] = {"bannerId", "description", "expiresAt",
                                            "isProtected", "measStd", "viewers",
                                            "viewerGroups", NULL};
    char fb[96];
    memset(out, 0, sizeof *out);
    if (!json_is_object(obj))
        return err_set(e, RC_INVALID, "%s must be an object", path && *path ? path : "the body");
    const char *expires = NULL;
    enum rc rc;
    if ((rc = jsonx_only_keys(obj, path,
                              fields == VIEW_FIELDS_VIEW ? view_keys : default_view_keys, e)) !=
            RC_OK ||
        (rc = jsonx_string(obj, path, "bannerId", 0, VIEW_BANNER_ID_MAX, &out->banner_id, e)) !=
            RC_OK ||
        (rc = jsonx_string(obj, path, "description", 0, VIEW_DESCRIPTION_MAX, &out->description,
                           e)) != RC_OK ||
        (rc = jsonx_string(obj, path, "expiresAt", 0, 40, &expires, e)) != RC_OK ||
        (rc = jsonx_enum(obj, path, "measStd", 0, meas_stds, &out->meas_std, e)) != RC_OK ||
        (rc = jsonx_string_array(obj, path, "viewers", VIEW_MAX_VIEWERS, VIEW_USER_ID_MAX,
                                 &out->viewers, e)) != RC_OK ||
        (rc = jsonx_string_array(obj, path, "viewerGroups", VIEW_MAX_VIEWER_GROUPS,
                                 VIEW_USER_ID_MAX, &out->viewer_groups, e)) != RC_OK)
        return rc;
    out->has_banner = present(obj, "bannerId");
    out->has_description = present(obj, "description");
    json_t *prot = json_object_get(obj, "isProtected");
    if (prot && !json_is_null(prot)) {
        if ((rc = jsonx_bool(obj, path, "isProtected", 1, &out->is_protected, e)) != RC_OK)
            return rc;
        out->has_protected = 1;
    }
    if (expires) {
        int64_t ms;
        if (clock_parse(expires, &ms))
            return err_set(e, RC_INVALID,
                           "%s must be an ISO 8601 timestamp like 2027-02-17T00:00:00.000Z",
                           field(path, "expiresAt", fb));
        if ((rc = view_expires_in_window(ms, now, field(path, "expiresAt", fb), e)) != RC_OK)
            return rc;
        out->has_expires = 1;
        out->expires_at = ms;
    }
    return RC_OK;
}

int view_default_protected(const char *industry)
{
    return strcmp(industry, "residential") != 0;
}

const char *view_default_meas_std(const char *country)
{
    return strcmp(country, "US") == 0 ? "ansi" : "rms";
}

/* The JSON text of a list for the store, or NULL when out of memory. */
static const char *list_text(const json_t *list, struct arena *a)
{
    if (!list)
        return "[]";
    char *s = jsonx_dump(list, NULL);
    if (!s)
        return NULL;
    const char *copy = arena_strdup(a, s);
    free(s);
    return copy;
}

enum rc view_params_to_new(const struct view_params *p, const char *industry, const char *country,
                           int64_t now, struct view_row *v, struct arena *a, struct err *e)
{
    v->is_protected = p->has_protected ? p->is_protected : view_default_protected(industry);
    /* "New views expire 1 year from creation" (View access, expiration & deletion guide). */
    v->expires_at = p->has_expires ? p->expires_at : clock_add_years(now, 1);
    v->banner_id = p->banner_id;
    v->description = p->description;
    v->meas_std = p->meas_std ? p->meas_std : view_default_meas_std(country);
    v->viewers_json = list_text(p->viewers, a);
    v->viewer_groups_json = list_text(p->viewer_groups, a);
    v->created_at = v->updated_at = now;
    if (!v->viewers_json || !v->viewer_groups_json)
        return err_set(e, RC_NOMEM, "out of memory");
    return RC_OK;
}

enum rc view_params_apply(const struct view_params *p, int64_t now, struct view_row *v,
                          struct arena *a, struct err *e)
{
    if (p->has_protected)
        v->is_protected = p->is_protected;
    if (p->has_expires)
        v->expires_at = p->expires_at;
    if (p->has_banner)
        v->banner_id = p->banner_id;
    if (p->has_description)
        v->description = p->description;
    if (p->meas_std)
        v->meas_std = p->meas_std;
    if (p->viewers && !(v->viewers_json = list_text(p->viewers, a)))
        return err_set(e, RC_NOMEM, "out of memory");
    if (p->viewer_groups && !(v->viewer_groups_json = list_text(p->viewer_groups, a)))
        return err_set(e, RC_NOMEM, "out of memory");
    v->updated_at = now;
    return RC_OK;
}

enum rc view_expiry_parse(json_t *body, int64_t now, enum view_expiry_cap cap, int64_t *out,
                          int *clamped, struct err *e)
{
    static const char *const keys[] = {"expiresAt", NULL};
    const char *s = NULL;
    enum rc rc;
    if ((rc = jsonx_only_keys(body, "", keys, e)) != RC_OK ||
        (rc = jsonx_string(body, "", "expiresAt", 1, 40, &s, e)) != RC_OK)
        return rc;
    int64_t ms;
    if (clock_parse(s, &ms))
        return err_set(e, RC_INVALID,
                       "expiresAt must be an ISO 8601 timestamp like 2027-02-17T00:00:00.000Z");
    /* "The per-view endpoint accepts any future date": a date not after now is refused; a view
     * is locked with PATCH /views/{id} and a past expiresAt instead. */
    if (ms <= now)
        return err_set(e, RC_INVALID, "expiresAt must be in the future");
    int was_clamped = 0;
    /* "The batch iGUIDE endpoint ... clamps the date to a maximum of 10 years from today." */
    int64_t max = clock_add_years(now, VIEW_EXPIRES_MAX_YEARS);
    if (cap == VIEW_EXPIRY_CLAMP && ms > max) {
        ms = max;
        was_clamped = 1;
    }
    *out = ms;
    if (clamped)
        *clamped = was_clamped;
    return RC_OK;
}
