/* dxf.h — the floor plans as AutoCAD R12 ASCII DXF, in millimetres with y up (the manifest's
 * frame): every level of every building side by side along x, on the layers WALLS, ROOMS, DOORS,
 * WINDOWS and LABELS (docs/deliverables.md). */
#ifndef GP_DXF_H
#define GP_DXF_H

#include "core/buf.h"
#include "core/rc.h"
#include "render/deliver_info.h"
#include "property/measure.h"

/* Writes the drawing into out. RC_TOOLARGE when out's maximum is hit, RC_NOMEM. */
enum rc dxf_plans(const struct measurements *ms, const struct deliver_info *info, struct buf *out,
                  struct err *e);

#endif
