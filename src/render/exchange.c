/* exchange.c — the ESX and FML stand-ins. Both formats of the platform are closed (ESX) or only
 * partly documented in public (FML), so these files keep to what a consumer of either needs: room
 * outlines, names, heights, openings and the estimating quantities, in the units each world uses
 * (feet for insurance estimating, centimetres for Floorplanner). */
#include "render/exchange.h"

#include "core/markup.h"
#include "property/geom.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct w {
    struct buf *out;
};

/* An XML attribute value, escaped; errors stay in the buffer for finish(). */
static void attr(struct w *w, const char *name, const char *v)
{
    buf_printf(w->out, " %s=\"", name);
    markup_escape(w->out, v);
    buf_printf(w->out, "\"");
}

static double ft(double mm)
{
    return mm / MM_PER_FT;
}

static enum rc finish(struct w *w, const char *what, struct err *e)
{
    if (buf_err(w->out) == -2)
        return err_set(e, RC_TOOLARGE, "%s exceeds %zu bytes", what, w->out->max);
    if (buf_err(w->out))
        return err_set(e, RC_NOMEM, "out of memory");
    return RC_OK;
}

static void openings(struct w *w, const struct mf_level *lv, const struct mf_room *room)
{
    for (int k = 0; k < 2; k++) {
        const struct mf_opening *o = k == 0 ? lv->doors : lv->windows;
        size_t n = k == 0 ? lv->ndoors : lv->nwindows;
        for (size_t i = 0; i < n; i++) {
            int here = strcmp(o[i].room, room->id) == 0;
            int into = k == 0 && o[i].to && strcmp(o[i].to, room->id) == 0;
            if (!here && !into)
                continue;
            buf_printf(w->out, "        <opening");
            attr(w, "kind", k == 0 ? "door" : "window");
            attr(w, "id", o[i].id);
            if (k == 0 && (here ? o[i].to : o[i].room))
                attr(w, "to", here ? o[i].to : o[i].room);
            buf_printf(w->out, " width=\"%.2f\" x=\"%.2f\" y=\"%.2f\"/>\n", ft(o[i].width),
                       ft(o[i].at.x), ft(o[i].at.y));
        }
    }
}

enum rc exchange_sketch_xml(const struct measurements *ms, const struct deliver_info *info,
                            struct buf *out, struct err *e)
{
    struct w w = {out};
    buf_printf(w.out,
               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sketch format=\"guidepost-sketch/1\" "
               "units=\"ft\"");
    attr(&w, "title", info && info->title ? info->title : "");
    attr(&w, "iguide", info && info->iguide_id ? info->iguide_id : "");
    attr(&w, "captured", ms->src->capture_date);
    buf_printf(w.out, ">\n");
    for (size_t b = 0; b < ms->nbuildings; b++) {
        const struct meas_building *mb = &ms->buildings[b];
        buf_printf(w.out, "  <building id=\"%d\"", mb->src->id);
        attr(&w, "name", mb->src->name);
        buf_printf(w.out, ">\n");
        for (size_t l = 0; l < mb->nlevels; l++) {
            const struct meas_level *ml = &mb->levels[l];
            const struct mf_level *lv = ml->src;
            buf_printf(w.out, "    <level");
            attr(&w, "id", lv->id);
            attr(&w, "name", lv->name);
            buf_printf(w.out, " belowGrade=\"%s\" ceilingHeight=\"%.2f\" floorSF=\"%.2f\">\n",
                       lv->below_grade ? "true" : "false", ft(lv->height),
                       meas_mm2_to_ft2(ml->int_area));
            for (size_t r = 0; r < ml->nrooms; r++) {
                const struct meas_room *mr = &ml->rooms[r];
                const struct mf_room *room = mr->src;
                buf_printf(w.out, "      <room");
                attr(&w, "id", room->id);
                attr(&w, "name", room->name);
                buf_printf(w.out, " finished=\"%s\">\n", room->finished ? "true" : "false");
                /* The estimating quantities: walls are gross (perimeter x height), as a sketch
                 * reports them before openings are deducted. */
                buf_printf(
                    w.out,
                    "        <quantities floorSF=\"%.2f\" ceilingSF=\"%.2f\" wallSF=\"%.2f\" "
                    "floorLF=\"%.2f\" ceilingHeight=\"%.2f\"/>\n",
                    meas_mm2_to_ft2(mr->area), meas_mm2_to_ft2(mr->area),
                    meas_mm2_to_ft2(mr->perimeter * lv->height), ft(mr->perimeter), ft(lv->height));
                buf_printf(w.out, "        <outline>\n");
                for (size_t i = 0; i < room->poly.n; i++)
                    buf_printf(w.out, "          <v x=\"%.3f\" y=\"%.3f\"/>\n",
                               ft(room->poly.pts[i].x), ft(room->poly.pts[i].y));
                buf_printf(w.out, "        </outline>\n");
                openings(&w, lv, room);
                buf_printf(w.out, "      </room>\n");
            }
            buf_printf(w.out, "    </level>\n");
        }
        buf_printf(w.out, "  </building>\n");
    }
    buf_printf(w.out, "</sketch>\n");
    return finish(&w, "sketch", e);
}

/* --- FML-style JSON ---------------------------------------------------------------------- */

static double cm(double mm)
{
    return round(mm) / 10.0;
}

static json_t *xy(double x, double y)
{
    return json_pack("{s:f, s:f, s:f}", "x", cm(x), "y", cm(-y), "z", 0.0);
}

/* The walls of one level: the exterior outline's edges (as thick as the level's estimate) and
 * every room edge (a partition); a door or window goes on the room edge nearest to it, at its
 * position t (0..1) along the edge. */
static json_t *walls(const struct meas_level *ml)
{
    const struct mf_level *lv = ml->src;
    json_t *arr = json_array();
    double ext_t = ml->wall_thickness > 50 ? ml->wall_thickness : 150;
    for (size_t i = 0; arr && i < lv->exterior.n; i++) {
        struct mf_point a = lv->exterior.pts[i], b = lv->exterior.pts[(i + 1) % lv->exterior.n];
        json_t *wl = json_pack("{s:o, s:o, s:f, s:f, s:b, s:[]}", "a", xy(a.x, a.y), "b",
                               xy(b.x, b.y), "thickness", cm(ext_t), "height", cm(lv->height),
                               "exterior", 1, "openings");
        if (json_array_append_new(arr, wl) != 0)
            goto fail;
    }
    for (size_t r = 0; arr && r < lv->nrooms; r++) {
        const struct mf_polygon *p = &lv->rooms[r].poly;
        for (size_t i = 0; i < p->n; i++) {
            struct mf_point a = p->pts[i], b = p->pts[(i + 1) % p->n];
            json_t *ops = json_array();
            for (int k = 0; ops && k < 2; k++) {
                const struct mf_opening *o = k == 0 ? lv->doors : lv->windows;
                size_t n = k == 0 ? lv->ndoors : lv->nwindows;
                for (size_t j = 0; j < n; j++) {
                    if (strcmp(o[j].room, lv->rooms[r].id) != 0 ||
                        geom_nearest_edge(p, o[j].at, NULL) != i)
                        continue;
                    double len = hypot(b.x - a.x, b.y - a.y);
                    double t = len > 0 ? ((o[j].at.x - a.x) * (b.x - a.x) +
                                          (o[j].at.y - a.y) * (b.y - a.y)) / (len * len)
                                       : 0.5;
                    t = t < 0 ? 0 : t > 1 ? 1 : t;
                    json_array_append_new(
                        ops, json_pack("{s:s, s:s, s:f, s:f}", "type", k == 0 ? "door" : "window",
                                       "refid", o[j].id, "t", round(t * 1000) / 1000, "width",
                                       cm(o[j].width)));
                }
            }
            json_t *wl = json_pack("{s:o, s:o, s:f, s:f, s:b, s:o}", "a", xy(a.x, a.y), "b",
                                   xy(b.x, b.y), "thickness", 9.0, "height", cm(lv->height),
                                   "exterior", 0, "openings", ops);
            if (json_array_append_new(arr, wl) != 0)
                goto fail;
        }
    }
    return arr;
fail:
    json_decref(arr);
    return NULL;
}

static json_t *areas(const struct meas_level *ml)
{
    json_t *arr = json_array();
    for (size_t r = 0; arr && r < ml->nrooms; r++) {
        const struct mf_room *room = ml->rooms[r].src;
        json_t *poly = json_array();
        for (size_t i = 0; poly && i < room->poly.n; i++)
            json_array_append_new(poly, xy(room->poly.pts[i].x, room->poly.pts[i].y));
        struct mf_point lp = geom_label_point(&room->poly);
        json_t *a = json_pack("{s:s, s:s, s:s, s:o, s:o, s:f}", "refid", room->id, "name",
                              room->name, "color", room->finished ? "#f6ecd9" : "#ffffff",
                              "poly", poly, "labelPosition", xy(lp.x, lp.y), "area",
                              meas_round2(meas_mm2_to_m2(ml->rooms[r].area)));
        if (json_array_append_new(arr, a) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

enum rc exchange_fml_json(const struct measurements *ms, const struct deliver_info *info,
                          struct buf *out, struct err *e)
{
    /* Floors are the union of the buildings' levels by position: floor k holds level k of
     * every building that has one, each building one design. */
    size_t nfloors = 0;
    for (size_t b = 0; b < ms->nbuildings; b++)
        if (ms->buildings[b].nlevels > nfloors)
            nfloors = ms->buildings[b].nlevels;
    json_t *floors = json_array();
    for (size_t f = 0; floors && f < nfloors; f++) {
        json_t *designs = json_array();
        const char *fname = NULL;
        double height = 0;
        int below = 0;
        for (size_t b = 0; designs && b < ms->nbuildings; b++) {
            const struct meas_building *mb = &ms->buildings[b];
            if (f >= mb->nlevels)
                continue;
            const struct meas_level *ml = &mb->levels[f];
            if (!fname) {
                fname = ml->src->name;
                height = ml->src->height;
                below = ml->src->below_grade;
            }
            json_t *d = json_pack("{s:i, s:s, s:s, s:o, s:o}", "building", mb->src->id, "name",
                                  mb->src->name, "level", ml->src->id, "walls", walls(ml),
                                  "areas", areas(ml));
            if (json_array_append_new(designs, d) != 0) {
                json_decref(designs);
                designs = NULL;
            }
        }
        json_t *fl = designs ? json_pack("{s:s, s:f, s:b, s:o}", "name", fname ? fname : "",
                                         "height", cm(height), "belowGrade", below, "designs",
                                         designs)
                             : NULL;
        if (json_array_append_new(floors, fl) != 0) {
            json_decref(floors);
            floors = NULL;
        }
    }
    json_t *root = floors ? json_pack("{s:s, s:s, s:s, s:s, s:o}", "format", "guidepost-fml/1",
                                      "units", "cm", "name",
                                      info && info->title ? info->title : "", "id",
                                      info && info->iguide_id ? info->iguide_id : "", "floors",
                                      floors)
                          : NULL;
    if (!root)
        return err_set(e, RC_NOMEM, "out of memory");
    char *s = meas_json_dump(root, NULL);
    json_decref(root);
    if (!s)
        return err_set(e, RC_NOMEM, "out of memory");
    int r = buf_puts(out, s);
    free(s);
    if (r == -2)
        return err_set(e, RC_TOOLARGE, "FML exceeds %zu bytes", out->max);
    return r ? err_set(e, RC_NOMEM, "out of memory") : RC_OK;
}
