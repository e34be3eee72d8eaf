/* sample.h — synthetic Stitch TARs (docs/stitch-format.md) for trying Guidepost out and for the
 * tests: a house with plausible geometry and real equirectangular JPEGs, all deterministic from a
 * seed, or one of the invalid kinds the ingest stage must reject. */
#ifndef GP_SAMPLE_H
#define GP_SAMPLE_H

#include "core/arena.h"
#include "core/rc.h"

#include <stddef.h>
#include <stdint.h>

enum sample_kind {
    SAMPLE_VALID = 0,
    SAMPLE_NOT_TAR,        /* bytes that are no archive at all */
    SAMPLE_NO_MANIFEST,    /* a TAR of panoramas without manifest.json */
    SAMPLE_BAD_JSON,       /* manifest.json cut short */
    SAMPLE_BAD_JPEG,       /* the first panorama truncated to half its bytes */
    SAMPLE_TRAVERSAL,      /* an entry named "../outside.txt" */
    SAMPLE_LINK,           /* a symbolic link panos/link.jpg -> /etc/passwd */
    SAMPLE_OPEN_POLYGON,   /* the first room's polygon does not end where it starts */
    SAMPLE_BOMB,           /* a header declaring 8 GiB - 1 of data the file does not hold */
    SAMPLE__COUNT
};

#define SAMPLE_MAX_LEVELS 16         /* MANIFEST_MAX_LEVELS */
#define SAMPLE_MAX_ROOMS 60          /* per level: a house, not a mall */
#define SAMPLE_MAX_PANOS 120         /* per level */
#define SAMPLE_PAD_CHUNK (32u << 20) /* padding entries stay below the default per-file limit */
#define SAMPLE_PANO_WIDTH 1024       /* panoramas are SAMPLE_PANO_WIDTH x SAMPLE_PANO_WIDTH/2 */

struct sample_options {
    int levels;            /* 1..SAMPLE_MAX_LEVELS; the lowest is a basement when >= 2 */
    int rooms;             /* per level, 1..SAMPLE_MAX_ROOMS */
    int panos;             /* per level, 0..SAMPLE_MAX_PANOS */
    uint64_t pad_to;       /* the file is at least this many bytes (extra/padding-NNNN.bin) */
    enum sample_kind kind;
    uint64_t seed;
};

struct sample_stats {
    uint64_t bytes;        /* size of the file written */
    size_t entries;        /* TAR entries (0 for not-tar) */
    size_t levels, rooms, panos; /* as in the manifest (rooms and panos over all levels) */
};

/* Defaults: 2 levels, 6 rooms and 6 panoramas per level, no padding, valid, seed 1. */
struct sample_options sample_defaults(void);

/* "valid", "not-tar", "no-manifest", ... for k; NULL when out of range. */
const char *sample_kind_name(enum sample_kind k);

/* Parses a kind name; returns 0, or -1 when unknown. */
int sample_kind_parse(const char *name, enum sample_kind *out);

/* The manifest.json text of o's house (o->kind only matters for open-polygon), in arena memory. */
enum rc sample_manifest(const struct sample_options *o, struct arena *a, char **json, size_t *n,
                        struct err *e);

/* One panorama JPEG (SAMPLE_PANO_WIDTH x half, a room seen from inside) for seed and index, in
 * malloc'ed memory the caller frees. */
enum rc sample_jpeg(uint64_t seed, int index, unsigned char **jpeg, size_t *n, struct err *e);

/* Writes the sample to path (through a temporary file renamed into place); stats may be NULL.
 * RC_INVALID for options out of range, RC_IO when the file cannot be written. */
enum rc sample_write(const char *path, const struct sample_options *o, struct sample_stats *stats,
                     struct err *e);

#endif
