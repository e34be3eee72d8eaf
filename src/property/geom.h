/* geom.h — plane geometry on manifest polygons, in millimetres with x to the right and y up (the
 * DXF convention): shoelace area, perimeter, bounds, containment, distances, a label point well
 * inside a room, and where a door or window sits in its wall. Pure; shared by measure, render, dxf. */
#ifndef GP_GEOM_H
#define GP_GEOM_H

#include "property/manifest.h"

#include <stddef.h>

struct geom_box {
    double x0, y0, x1, y1;                /* x0 > x1 while empty */
};

/* Where an opening sits: the span a → b on the room's face of the wall, the unit vector u along
 * it (a → b), the unit normal n from the room into the wall, and the wall's depth along n. */
struct geom_opening {
    struct mf_point a, b;
    double ux, uy, nx, ny;
    double width, depth;
};

/* Shoelace area with the ring translated to its first vertex (less cancellation far from the
 * origin); positive when counter-clockwise in a y-up frame, 0 for fewer than 3 points. */
double geom_signed_area(const struct mf_polygon *p);

/* |geom_signed_area|: the same area whichever way the ring turns. */
double geom_area(const struct mf_polygon *p);

/* Length of the closed ring, closing edge included. */
double geom_perimeter(const struct mf_polygon *p);

/* The area centroid; the vertex mean when the area is 0. */
struct mf_point geom_centroid(const struct mf_polygon *p);

/* An empty box, for geom_box_add. */
struct geom_box geom_box_empty(void);

/* Grows b to hold every vertex of p. */
void geom_box_add(struct geom_box *b, const struct mf_polygon *p);

/* The axis-aligned bounds of p. */
struct geom_box geom_bounds(const struct mf_polygon *p);

/* 1 when q is inside p (even-odd rule; points on the boundary may go either way). */
int geom_contains(const struct mf_polygon *p, struct mf_point q);

/* Distance from q to the nearest point of p's boundary. */
double geom_dist_boundary(const struct mf_polygon *p, struct mf_point q);

/* Index i of the edge p[i] → p[i+1 mod n] nearest to q; *dist (if non-NULL) gets its distance. */
size_t geom_nearest_edge(const struct mf_polygon *p, struct mf_point q, double *dist);

/* A point well inside p for a label: the centroid when it is nearly as far from the walls as the
 * best point found, else the point farthest from the boundary on a refined grid. Deterministic. */
struct mf_point geom_label_point(const struct mf_polygon *p);

/* 1 when the box lies inside p: its corners inside and no edge of p crossing it. */
int geom_box_inside(const struct mf_polygon *p, struct geom_box b);

/* The room of lv whose id is id, or NULL. */
const struct mf_room *geom_find_room(const struct mf_level *lv, const char *id);

/* Places opening o of level lv on the nearest edge of its room, centred on the projection of o->at;
 * the depth is the distance along n to the next room or exterior edge behind that face (at most
 * 600 mm), else fallback_depth. Returns 0, or -1 when the room is unknown or o->width is not > 0. */
int geom_place_opening(const struct mf_level *lv, const struct mf_opening *o, double fallback_depth,
                       struct geom_opening *out);

#endif
