/* ready.c — see ready.h. Where Guidepost has no data for a platform field it says so with null
 * (the location, the banner) rather than inventing a value; docs/webhooks.md lists them. */
#include "webhooks/ready.h"

#include "auth/session.h"
#include "core/address.h"
#include "core/clock.h"
#include "json/jsonx.h"
#include "property/measure.h"
#include "property/summary.h"

#include <stdio.h>
#include <string.h>

/* property.fullAddress is the API's fullAddress (core/address.h), the same text as the iGUIDE's. */
static json_t *property_of(const struct iguide_row *g)
{
    const struct address *ad = &g->addr;
    char full[ADDRESS_FULL_MAX];
    address_format(ad, full, sizeof full);
    /* Guidepost does not geocode: the location is unknown. */
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:n}", "fullAddress",
                     jsonx_str_or_null(full), "country", jsonx_str_or_null(ad->country),
                     "postalCode", jsonx_str_or_null(ad->postal_code), "stateProvince",
                     jsonx_str_or_null(ad->province_state), "city", jsonx_str_or_null(ad->city),
                     "streetName", jsonx_str_or_null(ad->street_name), "streetNumber",
                     jsonx_str_or_null(ad->street_number), "unit",
                     jsonx_str_or_null(ad->unit_number), "location");
}

/* A floor's JPEG "floorplan_<b>_<level>_<units>_en.jpg": its level id into level (NULL when name
 * is not one of units). */
static const char *jpg_level(const char *name, const char *units, struct arena *a)
{
    char suffix[32];
    snprintf(suffix, sizeof suffix, "_%s_en.jpg", units);
    size_t n = strlen(name), sl = strlen(suffix), pl = strlen("floorplan_");
    if (n <= pl + sl || strncmp(name, "floorplan_", pl) != 0 || strcmp(name + n - sl, suffix) != 0)
        return NULL;
    const char *p = name + pl, *end = name + n - sl;
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    if (p == name + pl || p >= end || *p != '_' || p + 1 >= end)
        return NULL;
    return arena_strndup(a, p + 1, (size_t)(end - p - 1));
}

/* urls.mediaUrls.en: the platform's keys that Guidepost's deliverables fill (§4.8). */
static json_t *media_of(const struct deliverable_row *d, size_t n, const char *view_base,
                        struct arena *a)
{
    json_t *en = json_object(), *jm = json_array(), *ji = json_array();
    if (!en || !jm || !ji) {
        json_decref(en);
        json_decref(jm);
        json_decref(ji);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const char *url = arena_printf(a, "%s/doc/%s", view_base, d[i].name);
        const char *lm = jpg_level(d[i].name, "metric", a),
                   *li = lm ? NULL : jpg_level(d[i].name, "imperial", a);
        if (!url)
            continue;
        if (strcmp(d[i].name, "floorplan_metric_en.pdf") == 0)
            json_object_set_new(en, "pdfMetric", json_string(url));
        else if (strcmp(d[i].name, "floorplan_imperial_en.pdf") == 0)
            json_object_set_new(en, "pdfImperial", json_string(url));
        else if (lm || li) {
            json_t *arr = lm ? jm : ji;
            json_array_append_new(arr, json_pack("{s:I, s:s, s:s}", "id",
                                                 (json_int_t)json_array_size(arr) + 1, "floorName",
                                                 lm ? lm : li, "url", url));
        }
    }
    json_object_set_new(en, "jpgMetric", jm);
    json_object_set_new(en, "jpgImperial", ji);
    return json_pack("{s:o}", "en", en);
}

/* The billable area: the interior area of every floor of the main building (the first), from the
 * summary, in sq ft and m² to the hundredth; null when nothing was measured (a Photos iGUIDE). */
static json_t *billing_of(const struct iguide_row *g, const struct workorder_row *wos, size_t nw,
                          json_t *summary)
{
    json_t *addons = json_array();
    for (size_t i = 0; addons && i < nw; i++)
        if (!wos[i].is_initial && wos[i].status && strcmp(wos[i].status, "done") == 0)
            json_array_append_new(addons, json_string(wos[i].task_type));
    json_t *b0 = json_array_get(json_object_get(summary, "buildings"), 0);
    json_t *area = json_object_get(b0, "intAreaTotal");
    json_t *ft = json_null(), *m2 = json_null();
    if (json_is_number(area)) {
        double mm2 = json_number_value(area);
        ft = json_real(meas_round2(meas_mm2_to_ft2(mm2)));
        m2 = json_real(meas_round2(meas_mm2_to_m2(mm2)));
    }
    /* Guidepost has one notion of package: the iGUIDE's type fills both fields. */
    return json_pack("{s:s, s:s, s:o, s:o, s:o}", "iguideType", g->type, "package", g->type,
                     "addons", addons ? addons : json_array(), "billableAreaSqFeet", ft,
                     "billableAreaSqMeters", m2);
}

enum rc webhook_ready_object(struct store *s, const char *iguide_id, const char *wo_id,
                             const char *base_url, const char *created_by, int64_t now,
                             struct arena *a, json_t **out, struct err *e)
{
    *out = NULL;
    struct iguide_row g;
    struct workorder_row w, *wos;
    struct deliverable_row *ds;
    size_t nw, nd;
    enum rc rc;
    if ((rc = store_iguide_get(s, iguide_id, a, &g, e)) != RC_OK ||
        (rc = store_workorder_get(s, iguide_id, wo_id, a, &w, e)) != RC_OK)
        return rc;
    if (!w.status || strcmp(w.status, "done") != 0)
        return err_set(e, RC_PRECONDITION,
                       "work order %s is %s: the ready object exists once it is done", wo_id,
                       w.status ? w.status : "unknown");
    if ((rc = store_workorder_list(s, iguide_id, a, &wos, &nw, e)) != RC_OK ||
        (rc = store_deliverable_list(s, iguide_id, a, &ds, &nd, e)) != RC_OK)
        return rc;
    json_t *summary;
    if ((rc = summary_load(s, iguide_id, a, &summary, e)) != RC_OK)
        return rc;
    char tok[sizeof VTOKEN_PREFIX + SECRET_TEXT_LEN];
    int64_t expires = 0;
    if ((rc = vtoken_issue(s, g.default_view_id, created_by, now, tok, &expires, e)) != RC_OK) {
        json_decref(summary);
        return rc;
    }
    const char *base = base_url ? base_url : "";
    const char *view = arena_printf(a, "%s/%s", base, g.default_view_id);
    const char *embed = arena_printf(a, "%s/embed/%s", base, g.default_view_id);
    const char *manage = arena_printf(a, "%s/iguides/edit/%s", base, g.id);
    json_t *media = view ? media_of(ds, nd, view, a) : NULL;
    /* Guidepost's viewer carries no branding: the unbranded tour is the tour. */
    json_t *urls =
        json_pack("{s:o, s:o, s:o, s:o, s:o}", "publicUrl", jsonx_str_or_null(view), "embeddedUrl",
                  jsonx_str_or_null(embed), "unbrandedUrl", jsonx_str_or_null(view), "manageUrl",
                  jsonx_str_or_null(manage), "mediaUrls", media ? media : json_object());
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:n}", "iguideId", g.id,
                          "workOrderId", w.id, "defaultViewId", g.default_view_id, "iguideAlias",
                          g.alias, "authtoken", tok, "urls", urls ? urls : json_object(),
                          "property", property_of(&g), "summary", summary, "billingInfo",
                          billing_of(&g, wos, nw, summary), "banner");
    if (!o)
        return err_set(e, RC_NOMEM, "out of memory");
    *out = o;
    return RC_OK;
}

enum rc webhook_emit_ready(struct store *s, const char *iguide_id, const char *wo_id,
                           const char *base_url, const char *created_by, int64_t now,
                           struct arena *a, struct webhook_emitted *out, struct err *e)
{
    json_t *o;
    enum rc rc = webhook_ready_object(s, iguide_id, wo_id, base_url, created_by, now, a, &o, e);
    if (rc != RC_OK)
        return rc;
    struct webhook_event ev = {
        .type = WH_READY, .iguide_id = iguide_id, .work_order_id = wo_id, .fields = o};
    rc = webhook_emit(s, &ev, NULL, now, a, out, e);
    json_decref(o);
    return rc;
}
