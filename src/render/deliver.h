/* deliver.h — the deliverables, rendered from a parsed manifest and its measurements into memory
 * (each at most a few MiB) and handed to an emitter that stores them, so rendering knows nothing
 * of the blob store or the database. Names are what the deliverables API and the viewer's public
 * media URLs use (docs/deliverables.md). */
#ifndef GP_DELIVER_H
#define GP_DELIVER_H

#include "core/rc.h"
#include "property/manifest.h"
#include "property/measure.h"
#include "render/deliver_info.h"

#include <stddef.h>

/* Receives one deliverable: name such as "floorplan_metric_en.pdf", format ("pdf", "svg", "png",
 * "jpg", "dxf", "json", "csv"), its Content-Type and bytes (valid for the call only). */
typedef enum rc (*deliver_emit_fn)(void *user, const char *name, const char *format,
                                   const char *content_type, const void *bytes, size_t n,
                                   struct err *e);

/* The initial work order's deliverables: floor plans as PDF and SVG (metric and imperial, every
 * level), PNG and JPG per level, DXF, measurements JSON and CSV. */
enum rc deliver_plans(const struct manifest *m, const struct measurements *ms,
                      const struct deliver_info *info, deliver_emit_fn emit, void *user,
                      struct err *e);

/* A panorama preview (a smaller JPEG) named "pano_<pano id>.jpg" from the panorama's JPEG. */
enum rc deliver_pano_preview(const char *pano_id, const unsigned char *jpeg, size_t n,
                             deliver_emit_fn emit, void *user, struct err *e);

/* The deliverable of an additional work order's task type (dwg-init, rvt-init, esx-init,
 * corelogic-fml, siteplan; the nearest open format, docs/deliverables.md). Upgrades produce
 * nothing: RC_OK without calling emit. RC_INVALID for an unknown task type. */
enum rc deliver_addon(const char *task_type, const struct manifest *m,
                      const struct measurements *ms, const struct deliver_info *info,
                      deliver_emit_fn emit, void *user, struct err *e);

#endif
