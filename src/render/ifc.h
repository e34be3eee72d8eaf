/* ifc.h — the building model as IFC4 STEP text (ISO 10303-21), the open equivalent of the Revit
 * add-on: IfcProject, IfcSite, one IfcBuilding per building, one IfcBuildingStorey per level and
 * one IfcSpace per room, each room's polygon extruded to its level's height (docs/deliverables.md). */
#ifndef GP_IFC_H
#define GP_IFC_H

#include "core/buf.h"
#include "core/rc.h"
#include "render/deliver_info.h"
#include "property/measure.h"

/* Writes the model into out; GlobalIds derive from the iGUIDE id and the element ids, so the same
 * data gives the same file. RC_TOOLARGE when out's maximum is hit, RC_NOMEM. */
enum rc ifc_model(const struct measurements *ms, const struct deliver_info *info, struct buf *out,
                  struct err *e);

#endif
