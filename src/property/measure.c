/* measure.c — the draft stage's numbers (docs/measurements.md): room polygons summed per level and
 * building, the exterior outline's area, a wall thickness estimated from the gap between the rooms
 * and the outline, and the headline of the view's standard. Everything stays in mm / mm² doubles;
 * rounding happens only in the output functions. */
#include "property/measure.h"

#include "property/geom.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A room edge counts as running along the exterior wall when its midpoint is at most this far
 * from the outline and it is nearly parallel to the nearest outline edge. */
#define WALL_MAX_MM 600.0
#define WALL_MIN_MM 1.0                   /* closer than this the room is drawn on the outline */
#define WALL_PARALLEL_SIN 0.05            /* about 3 degrees */

struct wall_acc {
    double sum, weight;                   /* Σ gap·length, Σ length (mm², mm) */
};

/* Adds the gap between each outline-parallel room edge of lv and the exterior, weighted by the
 * edge's length, so long walls count more than the returns of a bay window. */
static void wall_samples(const struct mf_level *lv, struct wall_acc *acc)
{
    const struct mf_polygon *ext = &lv->exterior;
    for (size_t r = 0; r < lv->nrooms; r++) {
        const struct mf_polygon *p = &lv->rooms[r].poly;
        for (size_t i = 0; i < p->n; i++) {
            struct mf_point a = p->pts[i], b = p->pts[(i + 1) % p->n];
            double len = hypot(b.x - a.x, b.y - a.y);
            if (len <= 0)
                continue;
            struct mf_point mid = {(a.x + b.x) / 2, (a.y + b.y) / 2};
            double d;
            size_t k = geom_nearest_edge(ext, mid, &d);
            if (d < WALL_MIN_MM || d > WALL_MAX_MM)
                continue;
            struct mf_point c = ext->pts[k], q = ext->pts[(k + 1) % ext->n];
            double elen = hypot(q.x - c.x, q.y - c.y);
            if (elen <= 0)
                continue;
            double s = ((b.x - a.x) * (q.y - c.y) - (b.y - a.y) * (q.x - c.x)) / (len * elen);
            if (fabs(s) > WALL_PARALLEL_SIN)
                continue;
            acc->sum += d * len;
            acc->weight += len;
        }
    }
}

static int check_poly(const struct mf_polygon *p, const char *what, const char *id,
                      struct err *e)
{
    if (!p->pts || p->n < 3)
        return err_set(e, RC_INVALID, "%s %s: polygon has fewer than 3 points", what, id), -1;
    for (size_t i = 0; i < p->n; i++)
        if (!isfinite(p->pts[i].x) || !isfinite(p->pts[i].y))
            return err_set(e, RC_INVALID, "%s %s: polygon has a non-finite coordinate", what, id),
                   -1;
    return 0;
}

enum meas_std meas_std_default(const char *country)
{
    return country && strcasecmp(country, "US") == 0 ? MEAS_ANSI : MEAS_RMS;
}

int meas_std_parse(const char *s, enum meas_std *out)
{
    if (s && strcmp(s, "ansi") == 0)
        *out = MEAS_ANSI;
    else if (s && strcmp(s, "rms") == 0)
        *out = MEAS_RMS;
    else
        return -1;
    return 0;
}

const char *meas_std_name(enum meas_std s)
{
    return s == MEAS_ANSI ? "ansi" : "rms";
}

const char *meas_std_title(enum meas_std s)
{
    return s == MEAS_ANSI ? "ANSI Z765 (Guidepost approximation)"
                          : "RMS (Guidepost approximation)";
}

enum meas_units meas_std_units(enum meas_std s)
{
    return s == MEAS_ANSI ? MEAS_IMPERIAL : MEAS_METRIC;
}

double meas_mm2_to_m2(double mm2)
{
    return mm2 / MM2_PER_M2;
}

double meas_mm2_to_ft2(double mm2)
{
    return mm2 / MM2_PER_FT2;
}

double meas_mm_to_m(double mm)
{
    return mm / 1000.0;
}

double meas_mm_to_ft(double mm)
{
    return mm / MM_PER_FT;
}

double meas_round2(double x)
{
    return round(x * 100.0) / 100.0;
}

/* A level's share of the headline. ANSI Z765 counts finished above-grade area measured to the
 * outside of the exterior walls: the outline's area apportioned by the finished share of the rooms.
 * RMS (as Guidepost approximates it) counts finished above-grade area measured inside: the
 * finished rooms themselves. Below-grade levels count toward neither. */
static double level_headline(const struct meas_level *l, enum meas_std std)
{
    if (!l->in_headline || l->int_area <= 0)
        return 0.0;
    if (std == MEAS_ANSI)
        return l->ext_area * (l->finished / l->int_area);
    return l->finished;
}

enum rc meas_compute(const struct manifest *m, enum meas_std std, struct arena *a,
                     struct measurements *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    out->src = m;
    out->std = std;
    out->nbuildings = m->nbuildings;
    if (m->nbuildings &&
        !(out->buildings = arena_alloc(a, m->nbuildings * sizeof *out->buildings)))
        return err_set(e, RC_NOMEM, "out of memory");
    for (size_t bi = 0; bi < m->nbuildings; bi++) {
        const struct mf_building *sb = &m->buildings[bi];
        struct meas_building *b = &out->buildings[bi];
        struct wall_acc bacc = {0, 0};
        b->src = sb;
        b->nlevels = sb->nlevels;
        if (sb->nlevels && !(b->levels = arena_alloc(a, sb->nlevels * sizeof *b->levels)))
            return err_set(e, RC_NOMEM, "out of memory");
        for (size_t li = 0; li < sb->nlevels; li++) {
            const struct mf_level *sl = &sb->levels[li];
            struct meas_level *l = &b->levels[li];
            l->src = sl;
            if (check_poly(&sl->exterior, "level", sl->id, e))
                return RC_INVALID;
            l->ext_area = geom_area(&sl->exterior);
            l->ext_perimeter = geom_perimeter(&sl->exterior);
            l->nrooms = sl->nrooms;
            if (sl->nrooms && !(l->rooms = arena_alloc(a, sl->nrooms * sizeof *l->rooms)))
                return err_set(e, RC_NOMEM, "out of memory");
            for (size_t ri = 0; ri < sl->nrooms; ri++) {
                const struct mf_room *sr = &sl->rooms[ri];
                struct meas_room *r = &l->rooms[ri];
                if (check_poly(&sr->poly, "room", sr->id, e))
                    return RC_INVALID;
                struct geom_box bx = geom_bounds(&sr->poly);
                r->src = sr;
                r->area = geom_area(&sr->poly);
                r->perimeter = geom_perimeter(&sr->poly);
                r->width = bx.x1 - bx.x0;
                r->depth = bx.y1 - bx.y0;
                l->int_area += r->area;
                if (sr->finished)
                    l->finished += r->area;
                else
                    l->unfinished += r->area;
            }
            struct wall_acc acc = {0, 0};
            wall_samples(sl, &acc);
            l->wall_thickness = acc.weight > 0 ? acc.sum / acc.weight : 0.0;
            bacc.sum += acc.sum;
            bacc.weight += acc.weight;
            l->in_headline = !sl->below_grade;
            l->headline = level_headline(l, std);

            b->int_total += l->int_area;
            b->ext_total += l->ext_area;
            b->fin_total += l->finished;
            b->unfin_total += l->unfinished;
            if (!sl->below_grade) {
                b->int_above += l->int_area;
                b->ext_above += l->ext_area;
                b->fin_above += l->finished;
                b->unfin_above += l->unfinished;
            }
            b->headline += l->headline;
        }
        b->wall_thickness = bacc.weight > 0 ? bacc.sum / bacc.weight : 0.0;
    }
    return RC_OK;
}

double meas_headline_value(const struct meas_building *b, enum meas_std s)
{
    if (s == MEAS_ANSI)
        return round(meas_mm2_to_ft2(b->headline));
    return round(meas_mm2_to_m2(b->headline) * 10.0) / 10.0;
}

/* Inserts thousands separators into the digits of a non-negative integer. */
static void group3(long long v, char *out, size_t cap)
{
    char d[32];
    snprintf(d, sizeof d, "%lld", v < 0 ? -v : v);
    size_t n = strlen(d), o = 0;
    if (v < 0 && o + 1 < cap)
        out[o++] = '-';
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        if (i > 0 && (n - i) % 3 == 0 && o + 2 < cap)
            out[o++] = ',';
        out[o++] = d[i];
    }
    out[o] = '\0';
}

char *meas_fmt_area(double mm2, enum meas_units u, char *out, size_t cap)
{
    if (u == MEAS_METRIC) {
        snprintf(out, cap, "%.1f m\xc2\xb2", meas_mm2_to_m2(mm2));
    } else {
        char g[40];
        group3(llround(meas_mm2_to_ft2(mm2)), g, sizeof g);
        snprintf(out, cap, "%s sq ft", g);
    }
    return out;
}

char *meas_fmt_length(double mm, enum meas_units u, char *out, size_t cap)
{
    if (u == MEAS_METRIC) {
        snprintf(out, cap, "%.2f m", meas_mm_to_m(mm));
    } else {
        long long in = llround(fabs(mm) / MM_PER_IN);
        snprintf(out, cap, "%s%lld'%lld\"", mm < 0 ? "-" : "", in / 12, in % 12);
    }
    return out;
}

/* A real rounded to the hundredth; NULL when out of memory (json_pack then fails as a whole). */
static json_t *r2(double v)
{
    return json_real(meas_round2(v));
}

json_t *meas_summary_json(const struct measurements *ms)
{
    json_t *arr = json_array();
    if (!arr)
        return NULL;
    for (size_t i = 0; i < ms->nbuildings; i++) {
        const struct meas_building *b = &ms->buildings[i];
        json_t *o = json_pack(
            "{s:i, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", b->src->id, "name",
            b->src->name, "intAreaAboveGrade", r2(b->int_above), "extAreaAboveGrade",
            r2(b->ext_above), "intAreaTotal", r2(b->int_total), "extAreaTotal", r2(b->ext_total),
            "finishedAreaTotal", r2(b->fin_total), "unfinishedAreaTotal", r2(b->unfin_total),
            "finishedAreaAboveGrade", r2(b->fin_above), "unfinishedAreaAboveGrade",
            r2(b->unfin_above), "wallThickness", r2(b->wall_thickness));
        if (!o || json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    json_t *root = json_pack("{s:o}", "buildings", arr);
    return root;
}

static json_t *room_json(const struct meas_room *r)
{
    return json_pack("{s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:o}", "id", r->src->id, "name",
                     r->src->name, "finished", r->src->finished, "area", r2(r->area), "areaM2",
                     r2(meas_mm2_to_m2(r->area)), "areaFt2", r2(meas_mm2_to_ft2(r->area)),
                     "perimeter", r2(r->perimeter), "width", r2(r->width), "depth",
                     r2(r->depth));
}

static json_t *level_json(const struct meas_level *l)
{
    json_t *rooms = json_array();
    if (!rooms)
        return NULL;
    for (size_t i = 0; i < l->nrooms; i++)
        if (json_array_append_new(rooms, room_json(&l->rooms[i])) != 0) {
            json_decref(rooms);
            return NULL;
        }
    return json_pack("{s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:o}", "id",
                     l->src->id, "name", l->src->name, "belowGrade", l->src->below_grade,
                     "height", r2(l->src->height), "intArea", r2(l->int_area), "extArea",
                     r2(l->ext_area), "finishedArea", r2(l->finished), "unfinishedArea",
                     r2(l->unfinished), "extPerimeter", r2(l->ext_perimeter), "wallThickness",
                     r2(l->wall_thickness), "inHeadline", l->in_headline, "headlineArea",
                     r2(l->headline), "rooms", rooms);
}

json_t *meas_json(const struct measurements *ms)
{
    json_t *arr = json_array();
    if (!arr)
        return NULL;
    enum meas_units hu = meas_std_units(ms->std);
    for (size_t i = 0; i < ms->nbuildings; i++) {
        const struct meas_building *b = &ms->buildings[i];
        json_t *levels = json_array();
        if (!levels) {
            json_decref(arr);
            return NULL;
        }
        for (size_t j = 0; j < b->nlevels; j++)
            if (json_array_append_new(levels, level_json(&b->levels[j])) != 0) {
                json_decref(levels);
                json_decref(arr);
                return NULL;
            }
        json_t *headline = json_pack(
            "{s:o, s:f, s:s, s:s}", "area", r2(b->headline), "value",
            meas_headline_value(b, ms->std), "unit", hu == MEAS_IMPERIAL ? "sq ft" : "m2", "basis",
            ms->std == MEAS_ANSI ? "finished above grade, to the outside of the exterior walls"
                                 : "finished above grade, to the inside of the exterior walls");
        json_t *o = json_pack(
            "{s:i, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", b->src->id,
            "name", b->src->name, "headline", headline, "intAreaAboveGrade", r2(b->int_above),
            "extAreaAboveGrade", r2(b->ext_above), "intAreaTotal", r2(b->int_total),
            "extAreaTotal", r2(b->ext_total), "finishedAreaTotal", r2(b->fin_total),
            "unfinishedAreaTotal", r2(b->unfin_total), "finishedAreaAboveGrade", r2(b->fin_above),
            "unfinishedAreaAboveGrade", r2(b->unfin_above), "wallThickness",
            r2(b->wall_thickness), "levels", levels);
        if (!o || json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:o}", "format", "guidepost-measurements/1",
                     "standard", meas_std_name(ms->std), "standardTitle",
                     meas_std_title(ms->std), "units", "area", "mm2", "length", "mm", "buildings",
                     arr);
}

char *meas_json_dump(const json_t *v, size_t *len)
{
    char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    if (s && len)
        *len = strlen(s);
    return s;
}

/* One CSV field per RFC 4180; a leading = + - @ or tab gets a ' so a spreadsheet shows the name
 * instead of evaluating it. */
static int csv_field(struct buf *out, const char *s)
{
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    int guard = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t';
    int r = 0;
    if (quote)
        r = buf_puts(out, "\"");
    if (r == 0 && guard)
        r = buf_puts(out, "'");
    for (const char *p = s; r == 0 && *p; p++)
        r = *p == '"' ? buf_puts(out, "\"\"") : buf_append(out, p, 1);
    if (r == 0 && quote)
        r = buf_puts(out, "\"");
    return r;
}

enum rc meas_csv(const struct measurements *ms, struct buf *out, struct err *e)
{
    int r = buf_puts(out, "building,level,room,finished,area_m2,area_ft2,perimeter_m\r\n");
    for (size_t i = 0; r == 0 && i < ms->nbuildings; i++) {
        const struct meas_building *b = &ms->buildings[i];
        for (size_t j = 0; r == 0 && j < b->nlevels; j++) {
            const struct meas_level *l = &b->levels[j];
            for (size_t k = 0; r == 0 && k < l->nrooms; k++) {
                const struct meas_room *rm = &l->rooms[k];
                if ((r = csv_field(out, b->src->name)) == 0 && (r = buf_puts(out, ",")) == 0 &&
                    (r = csv_field(out, l->src->name)) == 0 && (r = buf_puts(out, ",")) == 0 &&
                    (r = csv_field(out, rm->src->name)) == 0)
                    r = buf_printf(out, ",%s,%.2f,%.2f,%.2f\r\n",
                                   rm->src->finished ? "true" : "false",
                                   meas_round2(meas_mm2_to_m2(rm->area)),
                                   meas_round2(meas_mm2_to_ft2(rm->area)),
                                   meas_round2(meas_mm_to_m(rm->perimeter)));
            }
        }
    }
    if (r == -2)
        return err_set(e, RC_TOOLARGE, "measurements CSV exceeds %zu bytes", out->max);
    if (r != 0)
        return err_set(e, RC_NOMEM, "out of memory");
    return RC_OK;
}
