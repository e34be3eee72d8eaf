/* ingest.h — reading an uploaded Stitch TAR (docs/stitch-format.md) the one safe way: streamed
 * from the blob store with libarchive, never unpacked to disk, every entry checked against the
 * limits before its bytes are read. Used by the ingest stage (validate, keep the manifest) and
 * the publish stage (panorama previews). */
#ifndef GP_INGEST_H
#define GP_INGEST_H

#include "core/arena.h"
#include "core/rc.h"
#include "property/manifest.h"

#include <stddef.h>
#include <stdint.h>

/* Fixed rules of docs/stitch-format.md that are not per-deployment limits. */
#define INGEST_MAX_PATH 255                  /* bytes of an entry's name */
#define INGEST_PANO_MIN_WIDTH 256            /* pixels; panoramas are exactly twice as wide as high */
#define INGEST_PANO_MAX_WIDTH 16384
#define INGEST_JPEG_MAX_MEMORY (512u << 20)  /* libjpeg working memory while checking one panorama */

struct ingest_limits {
    size_t max_entries;          /* entries of any kind */
    uint64_t max_entry_bytes;    /* one regular file, uncompressed */
    uint64_t max_total_bytes;    /* all regular files together (also never more than the upload) */
};

/* The defaults documented in docs/stitch-format.md. */
struct ingest_limits ingest_default_limits(void);

/* Called for each panorama JPEG after it has been validated; bytes are only valid for the call.
 * Any rc other than RC_OK stops the read and is returned as it is. */
typedef enum rc (*ingest_pano_fn)(void *user, const char *file, const unsigned char *jpeg,
                                  size_t n, struct err *e);

struct ingest_result {
    struct manifest manifest;    /* parsed and validated, arena memory */
    const char *manifest_json;   /* the manifest's bytes as uploaded (arena), NUL-terminated */
    size_t manifest_len;
    size_t npanos;               /* panoramas found and decoded */
    /* Added with ingest.c: what else the read saw (for logs and tests). */
    size_t nentries;             /* TAR entries of every kind */
    uint64_t total_bytes;        /* declared bytes of all regular files */
    size_t nunreferenced;        /* panos/ files the manifest does not name (checked, not used) */
    size_t nextra;               /* entries under extra/ (skipped unread) */
    int passes;                  /* 1, or 2 when pano_cb needed a second read because
                                    manifest.json came after panoramas it names */
};

/* Reads the TAR in fd (size bytes, as stored) against lim: rejects non-TAR data, absolute paths,
 * "..", links, devices and other non-regular entries, too many or too large entries, a missing or
 * invalid manifest.json, panoramas that are not decodable equirectangular JPEGs (2:1), and
 * manifest references to files that are not in the TAR. RC_INVALID carries the readable reason
 * that becomes the work order's rejectionReason (a panorama larger than the whole decode memory
 * budget included); RC_IO / RC_NOMEM, and RC_BUSY when the decode budget stayed taken by other
 * decodes, are unexpected failures (the job is retried). pano_cb may be NULL; it may have run for some panoramas even when the result
 * is RC_INVALID. fd must allow pread (a regular file); its offset is not used. Does not close fd. */
enum rc ingest_read(int fd, uint64_t size, const struct ingest_limits *lim, struct arena *a,
                    ingest_pano_fn pano_cb, void *user, struct ingest_result *out,
                    struct err *e);

#endif
