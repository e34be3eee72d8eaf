/* objects.h — the JSON shapes of iGUIDEs, views and work orders, in one place so every endpoint
 * (and later the webhook payloads) shows a resource the same way. */
#ifndef GP_OBJECTS_H
#define GP_OBJECTS_H

#include "store/store.h"

#include <jansson.h>
#include <stdint.h>

/* The iGUIDE without its views and work orders (those are added by GET /iguides/{id}). */
json_t *obj_iguide(const struct iguide_row *g);

/* A view as seen at now (locked is derived from expiresAt at day granularity). */
json_t *obj_view(const struct view_row *v, int64_t now);

/* A work order: the tutorial's id, status, iguideId, iguideType first. */
json_t *obj_workorder(const struct workorder_row *w);

#endif
