/* dxf.c — R12 (AC1009) ASCII DXF: the oldest version every CAD program still reads, and one that
 * needs no entity handles or object dictionaries. Polygons are POLYLINE/VERTEX/SEQEND (R12 has no
 * LWPOLYLINE); text outside ASCII is written as \U+XXXX, which AutoCAD and the common open readers
 * decode. Levels are laid out left to right with a gap of a fifth of the widest level. */
#include "render/dxf.h"

#include "property/geom.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define TEXT_MM 200.0                     /* label height on paper at 1:50 is 4 mm */
#define FALLBACK_WALL_MM 150.0

static const struct {
    const char *name;
    int color;                            /* AutoCAD Color Index */
} layers[] = {{"WALLS", 7}, {"ROOMS", 8}, {"DOORS", 3}, {"WINDOWS", 5}, {"LABELS", 2}};

struct w {
    struct buf *out;
};

/* Group code and real value, as DXF wants them: code on one line, value on the next. */
static void real(struct w *w, int code, double v)
{
    buf_printf(w->out, "%3d\n%.4f\n", code, fabs(v) < 5e-5 ? 0.0 : v);
}

/* DXF text: ASCII as is, other code points as \U+XXXX, control characters dropped. */
static void text_value(struct w *w, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p && !buf_err(w->out)) {
        unsigned cp;
        int len;
        if (*p < 0x80) {
            cp = *p;
            len = 1;
        } else if ((*p & 0xe0) == 0xc0 && p[1]) {
            cp = ((p[0] & 0x1fu) << 6) | (p[1] & 0x3fu);
            len = 2;
        } else if ((*p & 0xf0) == 0xe0 && p[1] && p[2]) {
            cp = ((p[0] & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu);
            len = 3;
        } else if ((*p & 0xf8) == 0xf0 && p[1] && p[2] && p[3]) {
            cp = ((p[0] & 0x07u) << 18) | ((p[1] & 0x3fu) << 12) | ((p[2] & 0x3fu) << 6) |
                 (p[3] & 0x3fu);
            len = 4;
        } else {
            cp = '?';
            len = 1;
        }
        if (cp >= 0x20 && cp < 0x7f && cp != '\\')
            buf_printf(w->out, "%c", (char)cp);
        else if (cp == '\\')
            buf_printf(w->out, "\\\\");
        else if (cp >= 0x80 && cp <= 0xffff)
            buf_printf(w->out, "\\U+%04X", cp);
        else if (cp > 0xffff)
            buf_printf(w->out, "?");
        p += len;
    }
    buf_printf(w->out, "\n");
}

static void line(struct w *w, const char *layer, double x0, double y0, double x1, double y1)
{
    buf_printf(w->out, "  0\nLINE\n  8\n%s\n", layer);
    real(w, 10, x0);
    real(w, 20, y0);
    real(w, 30, 0);
    real(w, 11, x1);
    real(w, 21, y1);
    real(w, 31, 0);
}

static void polyline(struct w *w, const char *layer, const struct mf_point *pts, size_t n,
                     double dx, int closed)
{
    buf_printf(w->out, "  0\nPOLYLINE\n  8\n%s\n 66\n     1\n", layer);
    real(w, 10, 0);
    real(w, 20, 0);
    real(w, 30, 0);
    buf_printf(w->out, " 70\n%6d\n", closed ? 1 : 0);
    for (size_t i = 0; i < n; i++) {
        buf_printf(w->out, "  0\nVERTEX\n  8\n%s\n", layer);
        real(w, 10, pts[i].x + dx);
        real(w, 20, pts[i].y);
        real(w, 30, 0);
    }
    buf_printf(w->out, "  0\nSEQEND\n  8\n%s\n", layer);
}

/* Centred text at (x, y). */
static void text(struct w *w, const char *layer, double x, double y, double hgt, const char *s)
{
    buf_printf(w->out, "  0\nTEXT\n  8\n%s\n", layer);
    real(w, 10, x);
    real(w, 20, y);
    real(w, 30, 0);
    real(w, 40, hgt);
    buf_printf(w->out, "  1\n");
    text_value(w, s);
    buf_printf(w->out, " 72\n     1\n");
    real(w, 11, x);
    real(w, 21, y);
    real(w, 31, 0);
    buf_printf(w->out, " 73\n     2\n");
}

static void arc(struct w *w, const char *layer, double cx, double cy, double r, double a0,
                double a1)
{
    buf_printf(w->out, "  0\nARC\n  8\n%s\n", layer);
    real(w, 10, cx);
    real(w, 20, cy);
    real(w, 30, 0);
    real(w, 40, r);
    real(w, 50, a0);
    real(w, 51, a1);
}

static double deg(double x, double y)
{
    double a = atan2(y, x) * 180.0 / M_PI;
    return a < 0 ? a + 360.0 : a;
}

static void door(struct w *w, const struct mf_level *lv, const struct mf_opening *o,
                 double fallback, double dx)
{
    struct geom_opening g;
    if (geom_place_opening(lv, o, fallback, &g) != 0)
        return;
    double ax = g.a.x + dx, bx = g.b.x + dx;
    line(w, "DOORS", ax, g.a.y, ax + g.nx * g.depth, g.a.y + g.ny * g.depth);
    line(w, "DOORS", bx, g.b.y, bx + g.nx * g.depth, g.b.y + g.ny * g.depth);
    if (g.width > 2000) {
        line(w, "DOORS", ax + g.nx * g.depth / 2, g.a.y + g.ny * g.depth / 2,
             bx + g.nx * g.depth / 2, g.b.y + g.ny * g.depth / 2);
        return;
    }
    /* The leaf open into the room (along -n) from the hinge at a, and its swing to b: an arc
     * from the leaf to the wall, counter-clockwise as DXF draws arcs. */
    line(w, "DOORS", ax, g.a.y, ax - g.nx * g.width, g.a.y - g.ny * g.width);
    double a_leaf = deg(-g.nx, -g.ny), a_wall = deg(g.ux, g.uy);
    double turn = (-g.nx) * g.uy - (-g.ny) * g.ux;
    if (turn > 0)
        arc(w, "DOORS", ax, g.a.y, g.width, a_leaf, a_wall);
    else
        arc(w, "DOORS", ax, g.a.y, g.width, a_wall, a_leaf);
}

static void window(struct w *w, const struct mf_level *lv, const struct mf_opening *o,
                   double fallback, double dx)
{
    struct geom_opening g;
    if (geom_place_opening(lv, o, fallback, &g) != 0)
        return;
    struct mf_point q[4] = {{g.a.x + dx, g.a.y},
                            {g.b.x + dx, g.b.y},
                            {g.b.x + dx + g.nx * g.depth, g.b.y + g.ny * g.depth},
                            {g.a.x + dx + g.nx * g.depth, g.a.y + g.ny * g.depth}};
    polyline(w, "WINDOWS", q, 4, 0, 1);
    line(w, "WINDOWS", g.a.x + dx + g.nx * g.depth / 2, g.a.y + g.ny * g.depth / 2,
         g.b.x + dx + g.nx * g.depth / 2, g.b.y + g.ny * g.depth / 2);
}

enum rc dxf_plans(const struct measurements *ms, const struct deliver_info *info, struct buf *out,
                  struct err *e)
{
    struct w w = {out};
    /* Lay the levels out: each level's box moved so its left edge follows the previous one. */
    double widest = 0;
    struct geom_box all = geom_box_empty();
    for (size_t b = 0; b < ms->nbuildings; b++)
        for (size_t l = 0; l < ms->buildings[b].nlevels; l++) {
            struct geom_box bx = geom_bounds(&ms->buildings[b].levels[l].src->exterior);
            widest = fmax(widest, bx.x1 - bx.x0);
        }
    double gap = fmax(2000.0, widest / 5), cursor = 0;

    buf_printf(w.out, "999\nGuidepost floor plans, millimetres\n");
    buf_printf(w.out, "  0\nSECTION\n  2\nHEADER\n  9\n$ACADVER\n  1\nAC1009\n");
    buf_printf(w.out, "  9\n$INSBASE\n");
    real(&w, 10, 0);
    real(&w, 20, 0);
    real(&w, 30, 0);
    buf_printf(w.out, "  0\nENDSEC\n");
    buf_printf(w.out, "  0\nSECTION\n  2\nTABLES\n");
    buf_printf(w.out,
               "  0\nTABLE\n  2\nLTYPE\n 70\n     1\n  0\nLTYPE\n  2\nCONTINUOUS\n 70\n     0\n"
               "  3\nSolid line\n 72\n    65\n 73\n     0\n 40\n0.0\n  0\nENDTAB\n");
    buf_printf(w.out, "  0\nTABLE\n  2\nLAYER\n 70\n%6zu\n", sizeof layers / sizeof *layers);
    for (size_t i = 0; i < sizeof layers / sizeof *layers; i++)
        buf_printf(w.out, "  0\nLAYER\n  2\n%s\n 70\n     0\n 62\n%6d\n  6\nCONTINUOUS\n",
                   layers[i].name, layers[i].color);
    buf_printf(w.out, "  0\nENDTAB\n  0\nENDSEC\n");
    buf_printf(w.out, "  0\nSECTION\n  2\nENTITIES\n");

    for (size_t b = 0; b < ms->nbuildings; b++) {
        const struct meas_building *mb = &ms->buildings[b];
        for (size_t l = 0; l < mb->nlevels; l++) {
            const struct meas_level *ml = &mb->levels[l];
            const struct mf_level *lv = ml->src;
            struct geom_box bx = geom_bounds(&lv->exterior);
            double dx = cursor - bx.x0;
            cursor += (bx.x1 - bx.x0) + gap;
            all.x0 = fmin(all.x0, bx.x0 + dx);
            all.x1 = fmax(all.x1, bx.x1 + dx);
            all.y0 = fmin(all.y0, bx.y0);
            all.y1 = fmax(all.y1, bx.y1);
            double fallback = ml->wall_thickness > 50 ? ml->wall_thickness : FALLBACK_WALL_MM;

            polyline(&w, "WALLS", lv->exterior.pts, lv->exterior.n, dx, 1);
            for (size_t r = 0; r < lv->nrooms; r++) {
                polyline(&w, "WALLS", lv->rooms[r].poly.pts, lv->rooms[r].poly.n, dx, 1);
                polyline(&w, "ROOMS", lv->rooms[r].poly.pts, lv->rooms[r].poly.n, dx, 1);
            }
            for (size_t i = 0; i < lv->ndoors; i++)
                door(&w, lv, &lv->doors[i], fallback, dx);
            for (size_t i = 0; i < lv->nwindows; i++)
                window(&w, lv, &lv->windows[i], fallback, dx);
            char s[96];
            for (size_t r = 0; r < ml->nrooms; r++) {
                struct mf_point p = geom_label_point(&lv->rooms[r].poly);
                text(&w, "LABELS", p.x + dx, p.y + TEXT_MM * 0.7, TEXT_MM, lv->rooms[r].name);
                text(&w, "LABELS", p.x + dx, p.y - TEXT_MM * 0.7, TEXT_MM * 0.75,
                     meas_fmt_area(ml->rooms[r].area, MEAS_METRIC, s, sizeof s));
            }
            char title[240];
            snprintf(title, sizeof title, "%s - %s", mb->src->name, lv->name);
            text(&w, "LABELS", (bx.x0 + bx.x1) / 2 + dx, bx.y1 + TEXT_MM * 3, TEXT_MM * 1.5,
                 title);
        }
    }
    if (info && info->title && *info->title && all.x0 <= all.x1)
        text(&w, "LABELS", (all.x0 + all.x1) / 2, all.y0 - TEXT_MM * 4, TEXT_MM * 1.5,
             info->title);
    buf_printf(w.out, "  0\nENDSEC\n  0\nEOF\n");
    if (buf_err(w.out) == -2)
        return err_set(e, RC_TOOLARGE, "DXF exceeds %zu bytes", out->max);
    if (buf_err(w.out))
        return err_set(e, RC_NOMEM, "out of memory");
    return RC_OK;
}
