/* render_plan.h — floor-plan sheets drawn with cairo: one sheet per level (walls, door swings,
 * windows, room labels, overall dimensions, north arrow, scale bar, title block) and a site plan
 * of every building's footprint. Surface-agnostic: the caller owns the surface (PDF, SVG or
 * image) and the page; everything is drawn in points from cr's current origin. */
#ifndef GP_RENDER_PLAN_H
#define GP_RENDER_PLAN_H

#include "render/deliver_info.h"
#include "property/manifest.h"
#include "property/measure.h"

#include <cairo.h>
#include <stddef.h>

struct plan_ctx {
    const struct manifest *m;
    const struct measurements *ms;
    const struct deliver_info *info;
    enum meas_units units;                /* of every label, the scale and the scale bar */
};

/* The sheet for units, landscape, in points: A4 (842 x 595) for metric, US Letter (792 x 612)
 * for imperial. */
void plan_page_size(enum meas_units u, double *w, double *h);

/* Draws building bi's level li as a w x h sheet. Returns cairo's status for cr afterwards. */
cairo_status_t plan_draw_level(cairo_t *cr, const struct plan_ctx *pc, size_t bi, size_t li,
                               double w, double h);

/* Draws the site plan (every building's ground footprint in the manifest's common frame, with
 * its exterior wall lengths) as a w x h sheet. Returns cairo's status for cr afterwards. */
cairo_status_t plan_draw_site(cairo_t *cr, const struct plan_ctx *pc, double w, double h);

#endif
