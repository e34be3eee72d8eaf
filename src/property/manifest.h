/* manifest.h — the parsed form of a Stitch TAR's manifest.json (the format is defined in
 * docs/stitch-format.md): buildings with levels; each level an exterior outline, rooms as
 * polygons in millimetres with names and finished / below-grade flags, doors, windows and
 * panorama positions. All strings and arrays live in the arena passed to manifest_parse. */
#ifndef GP_MANIFEST_H
#define GP_MANIFEST_H

#include "core/arena.h"
#include "core/rc.h"

#include <stddef.h>

#define MANIFEST_FORMAT "guidepost-stitch/1"
#define MANIFEST_MAX_BYTES (4u << 20)     /* manifest.json size limit */
#define MANIFEST_MAX_BUILDINGS 8
#define MANIFEST_MAX_LEVELS 16            /* per building */
#define MANIFEST_MAX_ROOMS 200            /* per level */
#define MANIFEST_MAX_POINTS 1000          /* per polygon */
#define MANIFEST_MAX_OPENINGS 500         /* doors or windows per level */
#define MANIFEST_MAX_PANOS 500            /* per level */
#define MANIFEST_MAX_COORD 1000000.0      /* |x|, |y| in mm: a kilometre */

/* Further limits of docs/stitch-format.md (added with manifest.c). */
#define MANIFEST_MAX_ID 32                /* bytes of a string id, [A-Za-z0-9._-] */
#define MANIFEST_MAX_NAME 100             /* bytes of a name (UTF-8, no control characters) */
#define MANIFEST_MAX_TEXT 200             /* bytes of property.capturedWith */
#define MANIFEST_MAX_BUILDING_ID 1000000  /* building ids are 1 .. this */
#define MANIFEST_MAX_PANO_NAME 64         /* bytes of <name> in "panos/<name>.jpg" */
#define MANIFEST_TOLERANCE_MM 10.0        /* "on the outline" means within this distance */
#define MANIFEST_MIN_AREA_MM2 1.0         /* a polygon's area must be at least this */
#define MANIFEST_LEVEL_HEIGHT_MIN 1000.0  /* floor-to-ceiling, mm */
#define MANIFEST_LEVEL_HEIGHT_MAX 20000.0
#define MANIFEST_PANO_HEIGHT_MIN 100.0    /* camera above the floor, mm (and below the ceiling) */
#define MANIFEST_PANO_HEIGHT_MAX 5000.0
#define MANIFEST_DOOR_WIDTH_MIN 300.0     /* mm */
#define MANIFEST_DOOR_WIDTH_MAX 6000.0
#define MANIFEST_WINDOW_WIDTH_MIN 100.0   /* mm */
#define MANIFEST_WINDOW_WIDTH_MAX 20000.0

struct mf_point {
    double x, y;                          /* millimetres */
};

/* A closed ring: the last point repeats the first (stored without the repeat, n >= 3). */
struct mf_polygon {
    struct mf_point *pts;
    size_t n;
};

struct mf_room {
    const char *id, *name;
    int finished;                         /* finished living space */
    struct mf_polygon poly;
};

struct mf_opening {                       /* a door (room → to) or a window (room) */
    const char *id, *room, *to;           /* to: NULL for windows and exterior doors */
    struct mf_point at;
    double width;                         /* mm */
};

struct mf_pano {
    const char *id, *file;                /* file: the TAR entry, e.g. "panos/P1.jpg" */
    struct mf_point at;
    double height;                        /* camera height above the floor, mm */
};

struct mf_level {
    const char *id, *name;
    int below_grade;
    double height;                        /* floor-to-ceiling, mm */
    struct mf_polygon exterior;           /* the level's outer footprint */
    struct mf_room *rooms;
    size_t nrooms;
    struct mf_opening *doors, *windows;
    size_t ndoors, nwindows;
    struct mf_pano *panos;
    size_t npanos;
};

struct mf_building {
    int id;
    const char *name;
    struct mf_level *levels;
    size_t nlevels;
};

struct manifest {
    const char *format;                   /* MANIFEST_FORMAT */
    const char *capture_date;             /* RFC 3339 */
    const char *captured_with;            /* free text, may be NULL */
    struct mf_building *buildings;
    size_t nbuildings;
};

/* Parses and validates manifest.json: types, bounds, unique ids, closed simple polygons with
 * positive area, rooms inside their level's exterior, openings and panoramas referring to rooms
 * and files of the right shape. RC_INVALID with a readable reason (it becomes the work order's
 * rejectionReason), e.g. "level L1, room R3: polygon is not closed". */
enum rc manifest_parse(const char *json, size_t n, struct arena *a, struct manifest *out,
                       struct err *e);

#endif
