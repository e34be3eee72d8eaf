/* exchange.h — the open stand-ins for two proprietary add-on formats (docs/deliverables.md):
 * a room sketch in XML for estimating (in place of Xactimate ESX) and a Floorplanner-style FML
 * JSON document (in place of the CoreLogic FML export). */
#ifndef GP_EXCHANGE_H
#define GP_EXCHANGE_H

#include "core/buf.h"
#include "core/rc.h"
#include "render/deliver_info.h"
#include "property/measure.h"

/* The "guidepost-sketch/1" XML: per room its outline in feet and the quantities an estimate is
 * built from (floor and ceiling square feet, wall square feet, floor perimeter), and its openings.
 * RC_TOOLARGE when out's maximum is hit, RC_NOMEM. */
enum rc exchange_sketch_xml(const struct measurements *ms, const struct deliver_info *info,
                            struct buf *out, struct err *e);

/* The FML-style JSON (centimetres, y down): floors with one design per building holding walls
 * (with their door and window openings), areas (rooms) and labels. RC_TOOLARGE, RC_NOMEM. */
enum rc exchange_fml_json(const struct measurements *ms, const struct deliver_info *info,
                          struct buf *out, struct err *e);

#endif
