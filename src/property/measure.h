/* measure.h — areas and measurements of a parsed manifest (the draft stage): per room, level and
 * building, in mm² and mm as the platform's view summary reports them (portal-api.md §6.6), the
 * headline area of the ANSI or RMS standard (§4.3 measStd; docs/measurements.md), and the summary,
 * JSON and CSV deliverables. Nothing is rounded until output. */
#ifndef GP_MEASURE_H
#define GP_MEASURE_H

#include "core/arena.h"
#include "core/buf.h"
#include "core/rc.h"
#include "property/manifest.h"

#include <jansson.h>
#include <stddef.h>

enum meas_std { MEAS_ANSI, MEAS_RMS };
enum meas_units { MEAS_METRIC, MEAS_IMPERIAL };

#define MM2_PER_M2 1e6
#define MM2_PER_FT2 92903.04              /* (304.8 mm)², exact: 1 ft = 0.3048 m by definition */
#define MM_PER_FT 304.8
#define MM_PER_IN 25.4

struct meas_room {
    const struct mf_room *src;
    double area;                          /* mm², the room's polygon */
    double perimeter;                     /* mm */
    double width, depth;                  /* mm, the bounding box along x and along y */
};

struct meas_level {
    const struct mf_level *src;
    double int_area, ext_area;            /* mm²: sum of the rooms; the exterior outline */
    double finished, unfinished;          /* mm², rooms by their finished flag */
    double ext_perimeter;                 /* mm */
    double wall_thickness;                /* mm, estimated (0 when no room is near the outline) */
    int in_headline;                      /* the level counts toward the standard's headline */
    double headline;                      /* mm², this level's share of the headline */
    struct meas_room *rooms;
    size_t nrooms;
};

struct meas_building {
    const struct mf_building *src;
    double int_above, ext_above, int_total, ext_total;         /* mm² */
    double fin_total, unfin_total, fin_above, unfin_above;     /* mm², interior */
    double wall_thickness;                                     /* mm */
    double headline;                                           /* mm² */
    struct meas_level *levels;
    size_t nlevels;
};

struct measurements {
    const struct manifest *src;
    enum meas_std std;
    struct meas_building *buildings;
    size_t nbuildings;
};

/* Measures every building, level and room of m under std into out (arena memory; out keeps
 * pointers into m). RC_INVALID naming the polygon for a ring of fewer than 3 points or a
 * non-finite coordinate; RC_NOMEM. */
enum rc meas_compute(const struct manifest *m, enum meas_std std, struct arena *a,
                     struct measurements *out, struct err *e);

/* The default standard for a country code (§4.3): ANSI for "US" (any case), RMS otherwise. */
enum meas_std meas_std_default(const char *country);

/* Parses "ansi" or "rms"; returns 0, or -1 for anything else. */
int meas_std_parse(const char *s, enum meas_std *out);

/* The wire name, "ansi" or "rms". */
const char *meas_std_name(enum meas_std s);

/* The title for plans, e.g. "ANSI Z765 (Guidepost approximation)". */
const char *meas_std_title(enum meas_std s);

/* The units a standard reports its headline in: imperial for ANSI, metric for RMS. */
enum meas_units meas_std_units(enum meas_std s);

/* Unit conversions; plain divisions, no rounding. */
double meas_mm2_to_m2(double mm2);
double meas_mm2_to_ft2(double mm2);
double meas_mm_to_m(double mm);
double meas_mm_to_ft(double mm);

/* x rounded to 2 decimals, halves away from zero (applied to the double as computed). */
double meas_round2(double x);

/* The building's headline as the standard reports it: whole square feet (ANSI) or tenths of a
 * square metre (RMS). */
double meas_headline_value(const struct meas_building *b, enum meas_std s);

/* Formats an area for a label: "12.3 m²" or "1,845 sq ft" (whole sq ft, tenths of m²). Returns out. */
char *meas_fmt_area(double mm2, enum meas_units u, char *out, size_t cap);

/* Formats a length: "4.20 m" or "13'9\"" (nearest inch). Returns out. */
char *meas_fmt_length(double mm, enum meas_units u, char *out, size_t cap);

/* The view summary of §6.6, {"buildings":[{"id":1,"name":…,"intAreaAboveGrade":…,…}]}, mm² to
 * the hundredth and wallThickness in mm; a new reference, NULL when out of memory. */
json_t *meas_summary_json(const struct measurements *ms);

/* The measurements deliverable: everything per building, level and room (docs/measurements.md);
 * a new reference, NULL when out of memory. */
json_t *meas_json(const struct measurements *ms);

/* Serialises v compactly with 15 significant digits, so 1234.56 prints as 1234.56 (jansson's
 * default of 17 prints 1234.5599999999999); malloc'ed, NULL when out of memory. */
char *meas_json_dump(const json_t *v, size_t *len);

/* The CSV deliverable, one row per room after a header:
 * building,level,room,finished,area_m2,area_ft2,perimeter_m. RC_TOOLARGE when out's maximum is
 * hit, RC_NOMEM. */
enum rc meas_csv(const struct measurements *ms, struct buf *out, struct err *e);

#endif
