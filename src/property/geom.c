/* geom.c — double-precision plane geometry for the draft stage. Polygons are rings without the
 * closing repeat (manifest.h); every loop closes them with (i + 1) % n. Costs are O(n) per query
 * except the label search, a fixed number of samples per polygon. */
#include "property/geom.h"

#include <float.h>
#include <math.h>
#include <string.h>

#define OPENING_MAX_DEPTH 600.0           /* mm: deeper than any wall we expect to see */

double geom_signed_area(const struct mf_polygon *p)
{
    if (!p || !p->pts || p->n < 3)
        return 0.0;
    /* Translating to the first vertex keeps the cross products small: with coordinates up to a
     * kilometre, x_i*y_j terms reach 1e12 and would eat digits of a 1e7 mm² closet. */
    double ox = p->pts[0].x, oy = p->pts[0].y, s = 0.0;
    for (size_t i = 1; i + 1 < p->n; i++) {
        double x1 = p->pts[i].x - ox, y1 = p->pts[i].y - oy;
        double x2 = p->pts[i + 1].x - ox, y2 = p->pts[i + 1].y - oy;
        s += x1 * y2 - x2 * y1;
    }
    return s / 2.0;
}

double geom_area(const struct mf_polygon *p)
{
    return fabs(geom_signed_area(p));
}

double geom_perimeter(const struct mf_polygon *p)
{
    if (!p || !p->pts || p->n < 2)
        return 0.0;
    double s = 0.0;
    for (size_t i = 0; i < p->n; i++) {
        const struct mf_point *a = &p->pts[i], *b = &p->pts[(i + 1) % p->n];
        s += hypot(b->x - a->x, b->y - a->y);
    }
    return s;
}

struct mf_point geom_centroid(const struct mf_polygon *p)
{
    struct mf_point c = {0, 0};
    if (!p || !p->pts || p->n == 0)
        return c;
    double ox = p->pts[0].x, oy = p->pts[0].y, a2 = 0.0, cx = 0.0, cy = 0.0;
    for (size_t i = 0; i < p->n; i++) {
        double x1 = p->pts[i].x - ox, y1 = p->pts[i].y - oy;
        double x2 = p->pts[(i + 1) % p->n].x - ox, y2 = p->pts[(i + 1) % p->n].y - oy;
        double cr = x1 * y2 - x2 * y1;
        a2 += cr;
        cx += (x1 + x2) * cr;
        cy += (y1 + y2) * cr;
    }
    if (fabs(a2) < 1e-9) {
        for (size_t i = 0; i < p->n; i++) {
            cx += p->pts[i].x - ox;
            cy += p->pts[i].y - oy;
        }
        c.x = ox + cx / (double)p->n;
        c.y = oy + cy / (double)p->n;
        return c;
    }
    c.x = ox + cx / (3.0 * a2);
    c.y = oy + cy / (3.0 * a2);
    return c;
}

struct geom_box geom_box_empty(void)
{
    struct geom_box b = {DBL_MAX, DBL_MAX, -DBL_MAX, -DBL_MAX};
    return b;
}

void geom_box_add(struct geom_box *b, const struct mf_polygon *p)
{
    if (!p || !p->pts)
        return;
    for (size_t i = 0; i < p->n; i++) {
        b->x0 = fmin(b->x0, p->pts[i].x);
        b->y0 = fmin(b->y0, p->pts[i].y);
        b->x1 = fmax(b->x1, p->pts[i].x);
        b->y1 = fmax(b->y1, p->pts[i].y);
    }
}

struct geom_box geom_bounds(const struct mf_polygon *p)
{
    struct geom_box b = geom_box_empty();
    geom_box_add(&b, p);
    return b;
}

int geom_contains(const struct mf_polygon *p, struct mf_point q)
{
    if (!p || !p->pts || p->n < 3)
        return 0;
    int in = 0;
    for (size_t i = 0, j = p->n - 1; i < p->n; j = i++) {
        const struct mf_point *a = &p->pts[i], *b = &p->pts[j];
        if ((a->y > q.y) != (b->y > q.y) &&
            q.x < (b->x - a->x) * (q.y - a->y) / (b->y - a->y) + a->x)
            in = !in;
    }
    return in;
}

static double seg_dist(struct mf_point q, struct mf_point a, struct mf_point b)
{
    double dx = b.x - a.x, dy = b.y - a.y, l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? ((q.x - a.x) * dx + (q.y - a.y) * dy) / l2 : 0.0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return hypot(q.x - (a.x + t * dx), q.y - (a.y + t * dy));
}

size_t geom_nearest_edge(const struct mf_polygon *p, struct mf_point q, double *dist)
{
    size_t best = 0;
    double bd = DBL_MAX;
    if (p && p->pts)
        for (size_t i = 0; i < p->n; i++) {
            double d = seg_dist(q, p->pts[i], p->pts[(i + 1) % p->n]);
            if (d < bd) {
                bd = d;
                best = i;
            }
        }
    if (dist)
        *dist = bd;
    return best;
}

double geom_dist_boundary(const struct mf_polygon *p, struct mf_point q)
{
    double d;
    geom_nearest_edge(p, q, &d);
    return d;
}

#define LABEL_GRID 16
#define LABEL_ROUNDS 4

struct mf_point geom_label_point(const struct mf_polygon *p)
{
    struct mf_point c = geom_centroid(p);
    if (!p || !p->pts || p->n < 3)
        return c;
    struct geom_box b = geom_bounds(p);
    struct mf_point best = c;
    double bestd = geom_contains(p, c) ? geom_dist_boundary(p, c) : -1.0;
    double cd = bestd;
    /* A coarse grid, then finer grids around the best sample: the pole of inaccessibility to a
     * few percent of the room's size, which is all a label needs. */
    for (int r = 0; r < LABEL_ROUNDS; r++) {
        double sx = (b.x1 - b.x0) / LABEL_GRID, sy = (b.y1 - b.y0) / LABEL_GRID;
        for (int i = 0; i < LABEL_GRID; i++)
            for (int j = 0; j < LABEL_GRID; j++) {
                struct mf_point q = {b.x0 + (i + 0.5) * sx, b.y0 + (j + 0.5) * sy};
                if (!geom_contains(p, q))
                    continue;
                double d = geom_dist_boundary(p, q);
                if (d > bestd) {
                    bestd = d;
                    best = q;
                }
            }
        b.x0 = best.x - 2 * sx;
        b.x1 = best.x + 2 * sx;
        b.y0 = best.y - 2 * sy;
        b.y1 = best.y + 2 * sy;
    }
    /* Rectangles and other convex rooms have a whole ridge of equally good points; the centroid
     * is the one a reader expects. */
    if (cd >= 0.85 * bestd)
        return c;
    return bestd >= 0 ? best : p->pts[0];
}

static double cross(struct mf_point o, struct mf_point a, struct mf_point b)
{
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

/* Proper or touching intersection of segments pq and rs. */
static int seg_cross(struct mf_point p, struct mf_point q, struct mf_point r, struct mf_point s)
{
    double d1 = cross(r, s, p), d2 = cross(r, s, q), d3 = cross(p, q, r), d4 = cross(p, q, s);
    return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

int geom_box_inside(const struct mf_polygon *p, struct geom_box b)
{
    struct mf_point k[4] = {{b.x0, b.y0}, {b.x1, b.y0}, {b.x1, b.y1}, {b.x0, b.y1}};
    for (int i = 0; i < 4; i++)
        if (!geom_contains(p, k[i]))
            return 0;
    for (size_t i = 0; i < p->n; i++) {
        struct mf_point a = p->pts[i], c = p->pts[(i + 1) % p->n];
        /* A vertex strictly inside the box means a notch of the room reaches into it. */
        if (a.x > b.x0 && a.x < b.x1 && a.y > b.y0 && a.y < b.y1)
            return 0;
        for (int j = 0; j < 4; j++)
            if (seg_cross(a, c, k[j], k[(j + 1) % 4]))
                return 0;
    }
    return 1;
}

const struct mf_room *geom_find_room(const struct mf_level *lv, const char *id)
{
    if (!lv || !id)
        return NULL;
    for (size_t i = 0; i < lv->nrooms; i++)
        if (lv->rooms[i].id && strcmp(lv->rooms[i].id, id) == 0)
            return &lv->rooms[i];
    return NULL;
}

/* Smallest t > 0 at which the ray o + t·d meets an edge of p; DBL_MAX when none. */
static double ray_hit(const struct mf_polygon *p, struct mf_point o, double dx, double dy)
{
    double best = DBL_MAX;
    if (!p || !p->pts)
        return best;
    for (size_t i = 0; i < p->n; i++) {
        struct mf_point a = p->pts[i], b = p->pts[(i + 1) % p->n];
        double ex = b.x - a.x, ey = b.y - a.y;
        double den = dx * ey - dy * ex;
        if (fabs(den) < 1e-12)
            continue;                     /* parallel: a wall running along the ray */
        double t = ((a.x - o.x) * ey - (a.y - o.y) * ex) / den;
        double s = ((a.x - o.x) * dy - (a.y - o.y) * dx) / den;
        if (t > 0 && s >= 0 && s <= 1 && t < best)
            best = t;
    }
    return best;
}

int geom_place_opening(const struct mf_level *lv, const struct mf_opening *o, double fallback_depth,
                       struct geom_opening *out)
{
    const struct mf_room *room = geom_find_room(lv, o ? o->room : NULL);
    if (!room || !room->poly.pts || room->poly.n < 3 || !(o->width > 0))
        return -1;
    const struct mf_polygon *p = &room->poly;
    size_t i = geom_nearest_edge(p, o->at, NULL);
    struct mf_point a = p->pts[i], b = p->pts[(i + 1) % p->n];
    double ex = b.x - a.x, ey = b.y - a.y, len = hypot(ex, ey);
    if (len <= 0)
        return -1;
    double ux = ex / len, uy = ey / len;
    /* Outward normal: to the right of the direction of travel on a counter-clockwise ring. */
    double nx = uy, ny = -ux;
    if (geom_signed_area(p) < 0) {
        nx = -nx;
        ny = -ny;
    }
    double t = (o->at.x - a.x) * ux + (o->at.y - a.y) * uy;
    struct mf_point c = {a.x + t * ux, a.y + t * uy};
    /* Start half a millimetre into the wall so the room's own face is not the first hit. */
    struct mf_point s = {c.x + nx * 0.5, c.y + ny * 0.5};
    double depth = ray_hit(&lv->exterior, s, nx, ny);
    for (size_t r = 0; r < lv->nrooms; r++)
        if (&lv->rooms[r] != room) {
            double h = ray_hit(&lv->rooms[r].poly, s, nx, ny);
            if (h < depth)
                depth = h;
        }
    depth = depth <= OPENING_MAX_DEPTH ? depth + 0.5 : fallback_depth;
    out->width = o->width;
    out->depth = depth;
    out->ux = ux;
    out->uy = uy;
    out->nx = nx;
    out->ny = ny;
    out->a.x = c.x - ux * o->width / 2;
    out->a.y = c.y - uy * o->width / 2;
    out->b.x = c.x + ux * o->width / 2;
    out->b.y = c.y + uy * o->width / 2;
    return 0;
}
