/* reso.c — the Autofill object. RESO's lookups name the units "Square Feet" and "Square Meters";
 * an ANSI view reports in square feet, an RMS view in square metres (portal-api.md §4.3). Living
 * area is the finished area above grade (the gross-living-area convention of ANSI Z765, used for
 * both standards), below-grade finished area is the finished total minus that, and the building
 * area total is the interior total (finished and unfinished). */
#include "viewer/reso.h"

#include "property/measure.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static double round2(double x)
{
    return x < 0 ? -floor(-x * 100.0 + 0.5) / 100.0 : floor(x * 100.0 + 0.5) / 100.0;
}

static void set_str(json_t *o, const char *k, const char *v)
{
    if (v && *v)
        json_object_set_new(o, k, json_string(v));
}

static void media(json_t *arr, const char *category, const char *type, const char *url,
                  const char *desc)
{
    json_t *m = json_pack("{s:s, s:s, s:s, s:s}", "ResourceName", "Property", "MediaCategory",
                          category, "MediaType", type, "MediaURL", url);
    if (m && desc)
        json_object_set_new(m, "ShortDescription", json_string(desc));
    json_array_append_new(arr, m);
}

/* Sets <field>, <field>Units from the summary key of building b (mm²). */
static void area(json_t *o, const char *field, double mm2, int feet)
{
    char k[64];
    json_object_set_new(o, field, json_real(round2(feet ? mm2 / MM2_PER_FT2 : mm2 / MM2_PER_M2)));
    snprintf(k, sizeof k, "%sUnits", field);
    json_object_set_new(o, k, json_string(feet ? "Square Feet" : "Square Meters"));
}

static double num(const json_t *b, const char *k, int *ok)
{
    const json_t *v = json_object_get(b, k);
    if (!json_is_number(v)) {
        *ok = 0;
        return 0;
    }
    return json_number_value(v);
}

json_t *reso_autofill(const struct reso_input *in)
{
    json_t *p = json_object();
    json_t *arr = json_array();
    json_t *out = json_pack("{s:s, s:[o]}", "@reso.context", RESO_CONTEXT, "value", p);
    json_object_set_new(p, "Media", arr);
    if (!out || !p || !arr) {
        json_decref(out);
        return NULL;
    }
    set_str(p, "Country", in->addr->country);
    set_str(p, "StateOrProvince", in->addr->province_state);
    set_str(p, "City", in->addr->city);
    set_str(p, "PostalCode", in->addr->postal_code);
    set_str(p, "StreetName", in->addr->street_name);
    set_str(p, "StreetNumber", in->addr->street_number);
    set_str(p, "UnitNumber", in->addr->unit_number);
    set_str(p, "VirtualTourURLBranded", in->tour_url);
    set_str(p, "VirtualTourURLUnbranded", in->embed_url);
    media(arr, "Branded Virtual Tour", "html", in->tour_url, NULL);
    media(arr, "Unbranded Virtual Tour", "html", in->embed_url, NULL);

    const json_t *bs = in->summary ? json_object_get(in->summary, "buildings") : NULL;
    const json_t *b = json_is_array(bs) ? json_array_get(bs, 0) : NULL;
    if (json_is_object(b)) {
        int feet = in->meas_std && strcmp(in->meas_std, "ansi") == 0, ok = 1;
        double fin_above = num(b, "finishedAreaAboveGrade", &ok);
        double fin_total = num(b, "finishedAreaTotal", &ok);
        double int_total = num(b, "intAreaTotal", &ok);
        if (ok) {
            area(p, "LivingArea", fin_above, feet);
            area(p, "AboveGradeFinishedArea", fin_above, feet);
            area(p, "BelowGradeFinishedArea", fin_total > fin_above ? fin_total - fin_above : 0,
                 feet);
            area(p, "BuildingAreaTotal", int_total, feet);
        }
    }
    for (size_t i = 0; i < in->npdfs; i++) {
        char url[600];
        snprintf(url, sizeof url, "%s/%s", in->doc_base, in->pdfs[i]);
        const char *desc = strstr(in->pdfs[i], "imperial") ? "imperial"
                           : strstr(in->pdfs[i], "metric") ? "metric"
                                                            : NULL;
        media(arr, "Floor Plan", "pdf", url, desc);
    }
    return out;
}
