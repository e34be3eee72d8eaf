/* render_plan.c — the drafting conventions of a real estate floor plan, in cairo. Geometry stays in
 * manifest millimetres (y up) and goes through one transform to page points (y down) at a
 * standard drawing scale, so the scale printed in the title block is true on paper. Walls are the
 * exterior footprint filled dark with the rooms cut out of it (a gap between rooms is a wall), plus
 * a stroke along every room edge so rooms drawn edge to edge still get a partition. */
#include "render/render_plan.h"

#include "property/geom.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define PT_PER_MM (72.0 / 25.4)           /* paper */
#define MARGIN 24.0                       /* sheet edge to frame, pt */
#define TITLE_H 74.0                      /* title block height, pt */
#define DIM_SPACE 26.0                    /* room for the overall dimension lines, pt */
#define PARTITION_MM 90.0                 /* drawn partition where rooms touch */
#define OUTER_WALL_MM 150.0               /* drawn exterior wall when rooms sit on the outline */
#define THIN_WALL_MM 50.0                 /* below this estimate the outline has no drawn wall */
#define FONT "DejaVu Sans"

static const double WALL_RGB[3] = {0.17, 0.17, 0.17};
static const double FINISHED_RGB[3] = {0.965, 0.925, 0.85};
static const double UNFINISHED_RGB[3] = {1.0, 1.0, 1.0};
static const double INK_RGB[3] = {0.1, 0.1, 0.1};
static const double GREY_RGB[3] = {0.45, 0.45, 0.45};

/* mm (y up) → pt (y down). */
struct xf {
    double s;                             /* pt per real mm */
    double ox, oy;                        /* page point of (bx, by) */
    double bx, by;
};

static double px(const struct xf *t, double x)
{
    return t->ox + (x - t->bx) * t->s;
}

static double py(const struct xf *t, double y)
{
    return t->oy - (y - t->by) * t->s;
}

static void rgb(cairo_t *cr, const double c[3])
{
    cairo_set_source_rgb(cr, c[0], c[1], c[2]);
}

static void poly_path(cairo_t *cr, const struct xf *t, const struct mf_polygon *p)
{
    cairo_new_sub_path(cr);
    for (size_t i = 0; i < p->n; i++)
        cairo_line_to(cr, px(t, p->pts[i].x), py(t, p->pts[i].y));
    cairo_close_path(cr);
}

static void seg(cairo_t *cr, const struct xf *t, double x0, double y0, double x1, double y1)
{
    cairo_move_to(cr, px(t, x0), py(t, y0));
    cairo_line_to(cr, px(t, x1), py(t, y1));
}

static void font(cairo_t *cr, double size, int bold)
{
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

static double text_w(cairo_t *cr, const char *s)
{
    cairo_text_extents_t te;
    cairo_text_extents(cr, s, &te);
    return te.x_advance;
}

/* Shows s with its baseline at y: align 0 left, 1 centred, 2 right of x. */
static void text_at(cairo_t *cr, double x, double y, int align, const char *s)
{
    double w = align ? text_w(cr, s) : 0;
    cairo_move_to(cr, align == 1 ? x - w / 2 : align == 2 ? x - w : x, y);
    cairo_show_text(cr, s);
}

/* --- scale ------------------------------------------------------------------------------- */

struct scale {
    double denom;                         /* 1 : denom */
    char label[40];
};

/* The smallest standard scale at which a span of w x h mm fits avail_w x avail_h pt. Metric uses
 * the usual 1:N series; imperial the architect's scales (1/4" = 1'-0" is 1:48). A site larger
 * than every standard scale gets the exact fitting ratio. */
static struct scale pick_scale(enum meas_units u, double w, double h, double avail_w,
                               double avail_h)
{
    static const double metric[] = {20, 25, 50, 75, 100, 125, 150, 200, 250, 300, 400, 500, 750,
                                    1000, 1250, 1500, 2000, 2500, 5000};
    static const struct {
        double denom;
        const char *label;
    } imperial[] = {{24, "1/2\" = 1'-0\""},   {48, "1/4\" = 1'-0\""},  {64, "3/16\" = 1'-0\""},
                    {96, "1/8\" = 1'-0\""},   {128, "3/32\" = 1'-0\""}, {192, "1/16\" = 1'-0\""},
                    {384, "1/32\" = 1'-0\""}, {480, "1\" = 40'"},       {600, "1\" = 50'"},
                    {1200, "1\" = 100'"},     {2400, "1\" = 200'"}};
    struct scale sc;
    double need = fmax(w / (avail_w / PT_PER_MM), h / (avail_h / PT_PER_MM));
    if (u == MEAS_METRIC) {
        for (size_t i = 0; i < sizeof metric / sizeof *metric; i++)
            if (metric[i] >= need) {
                sc.denom = metric[i];
                snprintf(sc.label, sizeof sc.label, "Scale 1:%.0f", sc.denom);
                return sc;
            }
    } else {
        for (size_t i = 0; i < sizeof imperial / sizeof *imperial; i++)
            if (imperial[i].denom >= need) {
                sc.denom = imperial[i].denom;
                snprintf(sc.label, sizeof sc.label, "Scale %s", imperial[i].label);
                return sc;
            }
    }
    sc.denom = ceil(need);
    snprintf(sc.label, sizeof sc.label, "Scale 1:%.0f", sc.denom);
    return sc;
}

/* A transform that centres box b (mm) in the rectangle (x, y, w, h) (pt) at scale sc. */
static struct xf fit(struct geom_box b, struct scale sc, double x, double y, double w, double h)
{
    struct xf t;
    t.s = PT_PER_MM / sc.denom;
    t.bx = b.x0;
    t.by = b.y0;
    t.ox = x + (w - (b.x1 - b.x0) * t.s) / 2;
    t.oy = y + h - (h - (b.y1 - b.y0) * t.s) / 2;
    return t;
}

/* --- furniture: scale bar, north arrow, frame, title block ------------------------------- */

/* A scale bar of 4 alternating segments, at most max_w pt long, with its left end at (x, y). */
static void scale_bar(cairo_t *cr, const struct xf *t, enum meas_units u, double x, double y,
                      double max_w)
{
    static const double steps[] = {0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000};
    double unit_mm = u == MEAS_METRIC ? 1000.0 : MM_PER_FT;
    double seg_len = steps[0];
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
        if (4 * steps[i] * unit_mm * t->s <= max_w)
            seg_len = steps[i];
    double sw = seg_len * unit_mm * t->s, hgt = 4.0;
    cairo_set_line_width(cr, 0.6);
    for (int i = 0; i < 4; i++) {
        cairo_rectangle(cr, x + i * sw, y, sw, hgt);
        if (i % 2 == 0) {
            rgb(cr, INK_RGB);
            cairo_fill_preserve(cr);
        } else {
            cairo_set_source_rgb(cr, 1, 1, 1);
            cairo_fill_preserve(cr);
        }
        rgb(cr, INK_RGB);
        cairo_stroke(cr);
    }
    font(cr, 6, 0);
    char s[32];
    for (int i = 0; i <= 4; i += 2) {
        snprintf(s, sizeof s, "%g", i * seg_len);
        text_at(cr, x + i * sw, y + hgt + 7, 1, s);
    }
    text_at(cr, x + 4 * sw + 4, y + hgt, 0, u == MEAS_METRIC ? "m" : "ft");
}

/* A north arrow centred at (cx, cy). The manifest's +y is taken as north (docs/deliverables.md). */
static void north_arrow(cairo_t *cr, double cx, double cy, double r)
{
    rgb(cr, INK_RGB);
    cairo_set_line_width(cr, 0.7);
    cairo_new_path(cr);
    cairo_arc(cr, cx, cy, r, 0, 2 * M_PI);
    cairo_stroke(cr);
    cairo_move_to(cr, cx, cy - r * 0.85);
    cairo_line_to(cr, cx + r * 0.38, cy + r * 0.6);
    cairo_line_to(cr, cx, cy + r * 0.32);
    cairo_close_path(cr);
    cairo_fill(cr);
    cairo_move_to(cr, cx, cy - r * 0.85);
    cairo_line_to(cr, cx - r * 0.38, cy + r * 0.6);
    cairo_line_to(cr, cx, cy + r * 0.32);
    cairo_close_path(cr);
    cairo_stroke(cr);
    font(cr, r * 0.7, 1);
    text_at(cr, cx, cy - r - 3, 1, "N");
}

struct title_lines {
    const char *heading;                  /* the level or "Site plan" */
    char l1[160], l2[160], l3[160];       /* second column */
};

/* The sheet's frame and the title block along its bottom edge. */
static void title_block(cairo_t *cr, const struct plan_ctx *pc, double w, double h,
                        const struct title_lines *tl, const struct xf *t, const char *scale_label)
{
    double x0 = MARGIN, y0 = h - MARGIN - TITLE_H, bw = w - 2 * MARGIN;
    rgb(cr, INK_RGB);
    cairo_set_line_width(cr, 1.2);
    cairo_rectangle(cr, MARGIN, MARGIN, bw, h - 2 * MARGIN);
    cairo_stroke(cr);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x0 + bw, y0);
    double c1 = x0 + bw * 0.42, c2 = x0 + bw * 0.78;
    cairo_move_to(cr, c1, y0);
    cairo_line_to(cr, c1, y0 + TITLE_H);
    cairo_move_to(cr, c2, y0);
    cairo_line_to(cr, c2, y0 + TITLE_H);
    cairo_stroke(cr);

    /* Column 1: where and what. */
    const char *title = pc->info && pc->info->title && *pc->info->title ? pc->info->title
                                                                          : "Untitled property";
    font(cr, 11, 1);
    cairo_save(cr);
    cairo_rectangle(cr, x0 + 2, y0, c1 - x0 - 4, TITLE_H);
    cairo_clip(cr);
    text_at(cr, x0 + 8, y0 + 18, 0, title);
    font(cr, 10, 0);
    text_at(cr, x0 + 8, y0 + 35, 0, tl->heading);
    font(cr, 6.5, 0);
    rgb(cr, GREY_RGB);
    char s[200];
    snprintf(s, sizeof s, "Captured %.10s%s%s", pc->m->capture_date ? pc->m->capture_date : "",
             pc->info && pc->info->iguide_id ? "   iGUIDE " : "",
             pc->info && pc->info->iguide_id ? pc->info->iguide_id : "");
    text_at(cr, x0 + 8, y0 + 52, 0, s);
    text_at(cr, x0 + 8, y0 + 63, 0, "Drawn by Guidepost from the capture data. Areas are approximate.");
    cairo_restore(cr);

    /* Column 2: the numbers. */
    rgb(cr, INK_RGB);
    cairo_save(cr);
    cairo_rectangle(cr, c1 + 2, y0, c2 - c1 - 4, TITLE_H);
    cairo_clip(cr);
    font(cr, 7, 1);
    text_at(cr, c1 + 8, y0 + 16, 0, meas_std_title(pc->ms->std));
    font(cr, 7, 0);
    text_at(cr, c1 + 8, y0 + 31, 0, tl->l1);
    text_at(cr, c1 + 8, y0 + 45, 0, tl->l2);
    font(cr, 7, 1);
    text_at(cr, c1 + 8, y0 + 59, 0, tl->l3);
    cairo_restore(cr);

    /* Column 3: scale and north. */
    font(cr, 7, 0);
    text_at(cr, c2 + 8, y0 + 16, 0, scale_label);
    scale_bar(cr, t, pc->units, c2 + 8, y0 + 30, (x0 + bw - c2) - 70);
    north_arrow(cr, x0 + bw - 26, y0 + 42, 13);
}

/* --- level content ----------------------------------------------------------------------- */

/* A horizontal or vertical dimension line between page points with text of the real length. */
static void dim_line(cairo_t *cr, double x0, double y0, double x1, double y1, const char *label,
                     int vertical)
{
    rgb(cr, GREY_RGB);
    cairo_set_line_width(cr, 0.5);
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
    double tick = 3;
    for (int k = 0; k < 2; k++) {
        double x = k ? x1 : x0, y = k ? y1 : y0;
        cairo_move_to(cr, x - tick, y + tick);
        cairo_line_to(cr, x + tick, y - tick);
        if (vertical) {
            cairo_move_to(cr, x - 2 * tick, y);
            cairo_line_to(cr, x + 2 * tick, y);
        } else {
            cairo_move_to(cr, x, y - 2 * tick);
            cairo_line_to(cr, x, y + 2 * tick);
        }
    }
    cairo_stroke(cr);
    font(cr, 7, 0);
    rgb(cr, INK_RGB);
    double w = text_w(cr, label);
    cairo_save(cr);
    if (vertical) {
        cairo_translate(cr, x0 - 4, (y0 + y1) / 2 + w / 2);
        cairo_rotate(cr, -M_PI / 2);
        cairo_move_to(cr, 0, 0);
    } else {
        cairo_move_to(cr, (x0 + x1) / 2 - w / 2, y0 - 4);
    }
    cairo_show_text(cr, label);
    cairo_restore(cr);
}

static const double *room_rgb(const struct mf_room *r)
{
    return r->finished ? FINISHED_RGB : UNFINISHED_RGB;
}

/* The quad of an opening through its wall, slightly larger than the wall so it clears the strokes
 * on both faces. */
static void opening_quad(cairo_t *cr, const struct xf *t, const struct geom_opening *g, double in,
                         double out)
{
    double ax = g->a.x - g->nx * in, ay = g->a.y - g->ny * in;
    double bx = g->b.x - g->nx * in, by = g->b.y - g->ny * in;
    double d = g->depth + out;
    cairo_new_path(cr);
    cairo_move_to(cr, px(t, ax), py(t, ay));
    cairo_line_to(cr, px(t, bx), py(t, by));
    cairo_line_to(cr, px(t, bx + g->nx * (d + in)), py(t, by + g->ny * (d + in)));
    cairo_line_to(cr, px(t, ax + g->nx * (d + in)), py(t, ay + g->ny * (d + in)));
    cairo_close_path(cr);
}

static void draw_door(cairo_t *cr, const struct xf *t, const struct mf_level *lv,
                      const struct mf_opening *o, double fallback)
{
    struct geom_opening g;
    if (geom_place_opening(lv, o, fallback, &g) != 0)
        return;
    const struct mf_room *room = geom_find_room(lv, o->room);
    double clear = PARTITION_MM / 2 + 5;
    rgb(cr, room_rgb(room));
    /* Between rooms the gap also clears the partition stroke of the room behind; an exterior
     * door stops at the outside face. */
    opening_quad(cr, t, &g, clear, o->to ? clear : 0.5);
    cairo_fill(cr);
    rgb(cr, INK_RGB);
    cairo_set_line_width(cr, fmax(0.35, 15 * t->s));
    /* Jambs across the wall. */
    seg(cr, t, g.a.x, g.a.y, g.a.x + g.nx * g.depth, g.a.y + g.ny * g.depth);
    seg(cr, t, g.b.x, g.b.y, g.b.x + g.nx * g.depth, g.b.y + g.ny * g.depth);
    cairo_stroke(cr);
    if (g.width > 2000) {
        /* Garage and wide openings: an overhead or sliding door, drawn dashed across. */
        double dash = fmax(1.5, 150 * t->s);
        cairo_set_dash(cr, &dash, 1, 0);
        seg(cr, t, g.a.x + g.nx * g.depth / 2, g.a.y + g.ny * g.depth / 2,
            g.b.x + g.nx * g.depth / 2, g.b.y + g.ny * g.depth / 2);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        return;
    }
    /* A swing into the room: the leaf open at 90 degrees from the hinge at a, and its arc. */
    int leaves = g.width > 1300 ? 2 : 1;
    double lw = g.width / leaves;
    for (int k = 0; k < leaves; k++) {
        struct mf_point h = k == 0 ? g.a : g.b;
        double sx = k == 0 ? g.ux : -g.ux, sy = k == 0 ? g.uy : -g.uy;
        double ex = h.x - g.nx * lw, ey = h.y - g.ny * lw;
        cairo_set_line_width(cr, fmax(0.5, 25 * t->s));
        seg(cr, t, h.x, h.y, ex, ey);
        cairo_stroke(cr);
        cairo_set_line_width(cr, fmax(0.3, 8 * t->s));
        cairo_move_to(cr, px(t, ex), py(t, ey));
        for (int i = 1; i <= 18; i++) {
            double a = (M_PI / 2) * i / 18.0;
            double vx = -g.nx * cos(a) + sx * sin(a), vy = -g.ny * cos(a) + sy * sin(a);
            cairo_line_to(cr, px(t, h.x + vx * lw), py(t, h.y + vy * lw));
        }
        cairo_stroke(cr);
    }
}

static void draw_window(cairo_t *cr, const struct xf *t, const struct mf_level *lv,
                        const struct mf_opening *o, double fallback)
{
    struct geom_opening g;
    if (geom_place_opening(lv, o, fallback, &g) != 0)
        return;
    double clear = PARTITION_MM / 2;
    cairo_set_source_rgb(cr, 1, 1, 1);
    opening_quad(cr, t, &g, clear, 0);
    cairo_fill(cr);
    rgb(cr, INK_RGB);
    cairo_set_line_width(cr, fmax(0.3, 10 * t->s));
    opening_quad(cr, t, &g, 0, 0);
    cairo_stroke(cr);
    for (int k = 1; k <= 2; k++) {
        double f = g.depth * k / 3.0;
        seg(cr, t, g.a.x + g.nx * f, g.a.y + g.ny * f, g.b.x + g.nx * f, g.b.y + g.ny * f);
    }
    cairo_stroke(cr);
}

/* 1 when the room is a rectangle aligned with the axes (its bounding box is its dimensions). */
static int is_box(const struct meas_room *r)
{
    return r->src->poly.n == 4 && fabs(r->width * r->depth - r->area) <= 0.005 * r->area;
}

/* Name, area and (for rectangles) width x depth at the room's label point, shrunk to fit. */
static void room_label(cairo_t *cr, const struct xf *t, const struct meas_room *r,
                       enum meas_units u)
{
    struct mf_point lp = geom_label_point(&r->src->poly);
    double cx = px(t, lp.x), cy = py(t, lp.y);
    double room_r = geom_dist_boundary(&r->src->poly, lp) * t->s;
    double avail = fmax(room_r * 2 - 4, 10);
    char area[48], dims[80], a[32], b[32];
    meas_fmt_area(r->area, u, area, sizeof area);
    dims[0] = '\0';
    if (is_box(r))
        snprintf(dims, sizeof dims, "%s \xc3\x97 %s", meas_fmt_length(r->width, u, a, sizeof a),
                 meas_fmt_length(r->depth, u, b, sizeof b));
    const char *lines[3] = {r->src->name, area, dims[0] ? dims : NULL};
    int n = dims[0] ? 3 : 2;
    double size = 8.0;
    for (;;) {
        double wmax = 0;
        for (int i = 0; i < n; i++) {
            font(cr, i == 0 ? size : size * 0.82, i == 0);
            wmax = fmax(wmax, text_w(cr, lines[i]));
        }
        double hgt = size * 1.25 * n;
        if ((wmax <= avail && hgt <= room_r * 2.2) || (size <= 4.0 && n == 1))
            break;
        if (size > 4.0)
            size -= 0.5;
        else
            n--;
    }
    double lh = size * 1.2, y = cy - (n - 1) * lh / 2 + size * 0.35;
    for (int i = 0; i < n; i++) {
        font(cr, i == 0 ? size : size * 0.82, i == 0);
        rgb(cr, i == 0 ? INK_RGB : GREY_RGB);
        text_at(cr, cx, y + i * lh, 1, lines[i]);
    }
}

/* Walls, openings and labels of one level under transform t. */
static void draw_level_body(cairo_t *cr, const struct xf *t, const struct meas_level *ml,
                            enum meas_units u, double page_w, double page_h)
{
    const struct mf_level *lv = ml->src;
    int thin = ml->wall_thickness < THIN_WALL_MM;
    double fallback = thin ? OUTER_WALL_MM : ml->wall_thickness;
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);

    /* The footprint is solid wall... */
    rgb(cr, WALL_RGB);
    cairo_new_path(cr);
    poly_path(cr, t, &lv->exterior);
    cairo_fill(cr);
    if (thin) {
        /* ...and where the rooms reach the outline the wall is drawn outside it. */
        cairo_save(cr);
        cairo_new_path(cr);
        cairo_rectangle(cr, 0, 0, page_w, page_h);
        poly_path(cr, t, &lv->exterior);
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
        cairo_clip(cr);
        cairo_set_line_width(cr, 2 * OUTER_WALL_MM * t->s);
        poly_path(cr, t, &lv->exterior);
        cairo_stroke(cr);
        cairo_restore(cr);
    }
    /* ...with the rooms cut out, then partitions along every room edge. */
    for (size_t i = 0; i < lv->nrooms; i++) {
        rgb(cr, room_rgb(&lv->rooms[i]));
        cairo_new_path(cr);
        poly_path(cr, t, &lv->rooms[i].poly);
        cairo_fill(cr);
    }
    rgb(cr, WALL_RGB);
    cairo_set_line_width(cr, fmax(0.8, PARTITION_MM * t->s));
    cairo_new_path(cr);
    for (size_t i = 0; i < lv->nrooms; i++)
        poly_path(cr, t, &lv->rooms[i].poly);
    cairo_stroke(cr);

    for (size_t i = 0; i < lv->nwindows; i++)
        draw_window(cr, t, lv, &lv->windows[i], fallback);
    for (size_t i = 0; i < lv->ndoors; i++)
        draw_door(cr, t, lv, &lv->doors[i], fallback);
    for (size_t i = 0; i < ml->nrooms; i++)
        room_label(cr, t, &ml->rooms[i], u);
}

void plan_page_size(enum meas_units u, double *w, double *h)
{
    if (u == MEAS_METRIC) {
        *w = 842;
        *h = 595;
    } else {
        *w = 792;
        *h = 612;
    }
}

/* The plan area inside the frame, above the title block, leaving room for the heading and the
 * dimension lines. */
static void plan_area(double w, double h, double *x, double *y, double *aw, double *ah)
{
    *x = MARGIN + 12 + DIM_SPACE;
    *y = MARGIN + 30 + DIM_SPACE;
    *aw = w - 2 * MARGIN - 24 - 2 * DIM_SPACE;
    *ah = h - 2 * MARGIN - TITLE_H - 42 - 2 * DIM_SPACE;
}

cairo_status_t plan_draw_level(cairo_t *cr, const struct plan_ctx *pc, size_t bi, size_t li,
                               double w, double h)
{
    const struct meas_building *mb = &pc->ms->buildings[bi];
    const struct meas_level *ml = &mb->levels[li];
    const struct mf_level *lv = ml->src;
    enum meas_units u = pc->units;

    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, 0, 0, w, h);
    cairo_fill(cr);

    struct geom_box b = geom_bounds(&lv->exterior);
    double pad = ml->wall_thickness < THIN_WALL_MM ? OUTER_WALL_MM : 0;
    struct geom_box bp = {b.x0 - pad, b.y0 - pad, b.x1 + pad, b.y1 + pad};
    double ax, ay, aw, ah;
    plan_area(w, h, &ax, &ay, &aw, &ah);
    struct scale sc = pick_scale(u, bp.x1 - bp.x0, bp.y1 - bp.y0, aw, ah);
    struct xf t = fit(bp, sc, ax, ay, aw, ah);

    draw_level_body(cr, &t, ml, u, w, h);

    /* Overall dimensions of the outline, above and to the left. */
    char s[64];
    double top = py(&t, bp.y1) - 14, left = px(&t, bp.x0) - 14;
    dim_line(cr, px(&t, b.x0), top, px(&t, b.x1), top,
             meas_fmt_length(b.x1 - b.x0, u, s, sizeof s), 0);
    dim_line(cr, left, py(&t, b.y0), left, py(&t, b.y1),
             meas_fmt_length(b.y1 - b.y0, u, s, sizeof s), 1);

    /* Heading: the level's name and its areas. */
    rgb(cr, INK_RGB);
    font(cr, 15, 1);
    text_at(cr, MARGIN + 12, MARGIN + 22, 0, lv->name);
    char ia[48], ea[48];
    font(cr, 8, 0);
    rgb(cr, GREY_RGB);
    snprintf(s, sizeof s, "%s%s", mb->src->name, lv->below_grade ? "  \xc2\xb7  below grade" : "");
    text_at(cr, w - MARGIN - 12, MARGIN + 20, 2, s);

    struct title_lines tl;
    char heading[240];
    snprintf(heading, sizeof heading, "%s \xe2\x80\x94 %s", mb->src->name, lv->name);
    tl.heading = heading;
    snprintf(tl.l1, sizeof tl.l1, "This level: interior %s, exterior %s",
             meas_fmt_area(ml->int_area, u, ia, sizeof ia),
             meas_fmt_area(ml->ext_area, u, ea, sizeof ea));
    snprintf(tl.l2, sizeof tl.l2, "Finished %s, unfinished %s",
             meas_fmt_area(ml->finished, u, ia, sizeof ia),
             meas_fmt_area(ml->unfinished, u, ea, sizeof ea));
    snprintf(tl.l3, sizeof tl.l3, "Total finished above grade: %s",
             meas_fmt_area(mb->headline, u, ia, sizeof ia));
    title_block(cr, pc, w, h, &tl, &t, sc.label);
    cairo_restore(cr);
    return cairo_status(cr);
}

/* The footprint of a building: its lowest level above grade, else its first level. */
static const struct meas_level *footprint(const struct meas_building *mb)
{
    for (size_t i = 0; i < mb->nlevels; i++)
        if (!mb->levels[i].src->below_grade)
            return &mb->levels[i];
    return mb->nlevels ? &mb->levels[0] : NULL;
}

cairo_status_t plan_draw_site(cairo_t *cr, const struct plan_ctx *pc, double w, double h)
{
    enum meas_units u = pc->units;
    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, 0, 0, w, h);
    cairo_fill(cr);

    struct geom_box b = geom_box_empty();
    for (size_t i = 0; i < pc->ms->nbuildings; i++) {
        const struct meas_level *fp = footprint(&pc->ms->buildings[i]);
        if (fp)
            geom_box_add(&b, &fp->src->exterior);
    }
    if (b.x0 > b.x1)
        b = (struct geom_box){0, 0, 1000, 1000};
    double pad = 2000;                    /* the wall-length labels sit outside the outline */
    struct geom_box bp = {b.x0 - pad, b.y0 - pad, b.x1 + pad, b.y1 + pad};
    double ax, ay, aw, ah;
    plan_area(w, h, &ax, &ay, &aw, &ah);
    struct scale sc = pick_scale(u, bp.x1 - bp.x0, bp.y1 - bp.y0, aw, ah);
    struct xf t = fit(bp, sc, ax, ay, aw, ah);

    double total = 0;
    char s[64], a[48];
    for (size_t i = 0; i < pc->ms->nbuildings; i++) {
        const struct meas_level *fp = footprint(&pc->ms->buildings[i]);
        if (!fp)
            continue;
        const struct mf_polygon *p = &fp->src->exterior;
        total += fp->ext_area;
        cairo_new_path(cr);
        poly_path(cr, &t, p);
        cairo_set_source_rgb(cr, 0.86, 0.86, 0.86);
        cairo_fill_preserve(cr);
        rgb(cr, INK_RGB);
        cairo_set_line_width(cr, 1.6);
        cairo_stroke(cr);
        /* Each wall's length, outside the footprint, along the wall. */
        double sa = geom_signed_area(p) >= 0 ? 1 : -1;
        font(cr, 6.5, 0);
        for (size_t k = 0; k < p->n; k++) {
            struct mf_point p0 = p->pts[k], p1 = p->pts[(k + 1) % p->n];
            double len = hypot(p1.x - p0.x, p1.y - p0.y);
            if (len < 1000 || len * t.s < 24)
                continue;
            double nx = sa * (p1.y - p0.y) / len, ny = -sa * (p1.x - p0.x) / len;
            double mx = (p0.x + p1.x) / 2 + nx * 9 / t.s, my = (p0.y + p1.y) / 2 + ny * 9 / t.s;
            double ang = atan2(-(p1.y - p0.y), p1.x - p0.x);
            if (ang > M_PI / 2)
                ang -= M_PI;
            if (ang < -M_PI / 2)
                ang += M_PI;
            meas_fmt_length(len, u, s, sizeof s);
            cairo_save(cr);
            cairo_translate(cr, px(&t, mx), py(&t, my));
            cairo_rotate(cr, ang);
            text_at(cr, 0, 2.5, 1, s);
            cairo_restore(cr);
        }
        struct mf_point lp = geom_label_point(p);
        font(cr, 9, 1);
        text_at(cr, px(&t, lp.x), py(&t, lp.y), 1, pc->ms->buildings[i].src->name);
        font(cr, 7, 0);
        text_at(cr, px(&t, lp.x), py(&t, lp.y) + 11, 1, meas_fmt_area(fp->ext_area, u, a, sizeof a));
    }

    rgb(cr, INK_RGB);
    font(cr, 15, 1);
    text_at(cr, MARGIN + 12, MARGIN + 22, 0, "Site plan");
    struct title_lines tl;
    tl.heading = "Site plan: building footprints";
    snprintf(tl.l1, sizeof tl.l1, "Buildings: %zu", pc->ms->nbuildings);
    snprintf(tl.l2, sizeof tl.l2, "Footprints measured to the outside of the exterior walls");
    snprintf(tl.l3, sizeof tl.l3, "Total footprint: %s", meas_fmt_area(total, u, a, sizeof a));
    title_block(cr, pc, w, h, &tl, &t, sc.label);
    cairo_restore(cr);
    return cairo_status(cr);
}
