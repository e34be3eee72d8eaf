/* ingest.c — the Stitch TAR reader (docs/stitch-format.md). libarchive reads the upload through
 * pread callbacks bounded by the stored size, with only the tar formats enabled (no
 * decompression filters: compressed data is refused before libarchive sees it). Every header is
 * checked — name, type, declared size against the limits and against the upload — before any of
 * its bytes are read; only manifest.json and panoramas are read into memory, one entry at a time.
 *
 * One pass validates everything. manifest.json may come anywhere, so panoramas are decoded as they
 * stream and the manifest's references are checked at the end; when pano_cb is set and the
 * manifest came after panoramas it names, a second pass from offset 0 delivers those (decoding
 * them again, so the callback only ever sees bytes it has just seen decode). */
#include "property/ingest.h"

#include "property/decode_budget.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jerror.h>
#include <jpeglib.h>

#define READ_CHUNK (64u << 10)
#define SHOW_MAX 80 /* bytes of an entry name quoted in a message */

struct ingest_limits ingest_default_limits(void)
{
    return (struct ingest_limits){
        .max_entries = 10000,
        .max_entry_bytes = (uint64_t)64 << 20,
        .max_total_bytes = (uint64_t)50 << 30,
    };
}

/* --- the byte source ---------------------------------------------------------------------- */

struct src {
    int fd;
    uint64_t size, off;
    int io_errno;     /* set when pread failed: an unexpected failure, not bad data */
    int short_file;   /* the file ended before size */
    unsigned char buf[READ_CHUNK];
};

static la_ssize_t src_read(struct archive *ar, void *user, const void **out)
{
    struct src *s = user;
    *out = s->buf;
    if (s->off >= s->size)
        return 0;
    size_t want = s->size - s->off < READ_CHUNK ? (size_t)(s->size - s->off) : READ_CHUNK;
    ssize_t n;
    do
        n = pread(s->fd, s->buf, want, (off_t)s->off);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        s->io_errno = errno ? errno : EIO;
        archive_set_error(ar, EIO, "read failed");
        return -1;
    }
    if (n == 0) {
        s->short_file = 1;
        archive_set_error(ar, EIO, "file shorter than its recorded size");
        return -1;
    }
    s->off += (uint64_t)n;
    return n;
}

static la_int64_t src_skip(struct archive *ar, void *user, la_int64_t request)
{
    (void)ar;
    struct src *s = user;
    if (request <= 0)
        return 0;
    uint64_t left = s->size - s->off, n = (uint64_t)request < left ? (uint64_t)request : left;
    s->off += n;
    return (la_int64_t)n;
}

/* --- messages ----------------------------------------------------------------------------- */

/* A quotable form of an entry name: printable ASCII kept, other bytes '?', cut at SHOW_MAX. */
static void show(const char *name, char out[SHOW_MAX + 4])
{
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p && k < SHOW_MAX; p++)
        out[k++] = (*p >= 0x20 && *p < 0x7f && *p != '"') ? (char)*p : '?';
    if (strlen(name) > SHOW_MAX) {
        memcpy(out + k, "...", 3);
        k += 3;
    }
    out[k] = '\0';
}

static enum rc bad_entry(struct err *e, const char *name, const char *what)
{
    char s[SHOW_MAX + 4];
    show(name, s);
    return err_set(e, RC_INVALID, "entry \"%s\" %s", s, what);
}

/* --- the JPEG check ----------------------------------------------------------------------- */

struct jerr {
    struct jpeg_error_mgr pub;
    jmp_buf jb;
    char msg[JMSG_LENGTH_MAX];
};

static void jpeg_fail(j_common_ptr c)
{
    struct jerr *j = (struct jerr *)c->err;
    if (c->err->msg_code == JERR_NO_BACKING_STORE)
        snprintf(j->msg, sizeof j->msg, "it needs more than %u MiB to decode",
                 INGEST_JPEG_MAX_MEMORY >> 20);
    else
        (*c->err->format_message)(c, j->msg);
    longjmp(j->jb, 1);
}

/* Warnings ("Premature end of JPEG file", "Corrupt JPEG data: ...") are failures here: libjpeg
 * would fill a truncated image with grey and carry on. Trace messages are ignored. */
static void jpeg_message(j_common_ptr c, int level)
{
    if (level < 0)
        jpeg_fail(c);
}

/* Decodes the whole image (entropy data to the last scanline, at 1/8 scale to spare the IDCT) and
 * checks its shape. RC_INVALID names the file. */
static enum rc jpeg_check(const char *file, const unsigned char *p, size_t n, struct err *e)
{
    struct jpeg_decompress_struct cinfo;
    struct jerr j;
    volatile uint64_t reserved = 0;   /* read after a longjmp */
    memset(&cinfo, 0, sizeof cinfo);
    cinfo.err = jpeg_std_error(&j.pub);
    j.pub.error_exit = jpeg_fail;
    j.pub.emit_message = jpeg_message;
    j.msg[0] = '\0';
    char s[SHOW_MAX + 4];
    show(file, s);
    if (setjmp(j.jb)) {
        jpeg_destroy_decompress(&cinfo);
        decode_budget_release(reserved);
        return err_set(e, RC_INVALID, "%s is not a valid JPEG: %s", s, j.msg);
    }
    jpeg_create_decompress(&cinfo);
    cinfo.mem->max_memory_to_use = INGEST_JPEG_MAX_MEMORY;
    if (n == 0) {
        jpeg_destroy_decompress(&cinfo);
        return err_set(e, RC_INVALID, "%s is not a valid JPEG: the file is empty", s);
    }
    jpeg_mem_src(&cinfo, p, (unsigned long)n);
    if (jpeg_read_header(&cinfo, TRUE) != JPEG_HEADER_OK) {
        jpeg_destroy_decompress(&cinfo);
        return err_set(e, RC_INVALID, "%s is not a valid JPEG: it holds no image", s);
    }
    unsigned w = cinfo.image_width, h = cinfo.image_height;
    const char *shape = NULL;
    char why[128];
    if (cinfo.jpeg_color_space != JCS_YCbCr && cinfo.jpeg_color_space != JCS_RGB &&
        cinfo.jpeg_color_space != JCS_GRAYSCALE)
        shape = "it is not an RGB or greyscale image";
    else if (w != 2u * h) {
        snprintf(why, sizeof why, "it is %ux%u, not 2:1 (equirectangular panoramas are twice as "
                                  "wide as high)", w, h);
        shape = why;
    } else if (w < INGEST_PANO_MIN_WIDTH || w > INGEST_PANO_MAX_WIDTH) {
        snprintf(why, sizeof why, "it is %ux%u; panoramas must be %u to %u pixels wide", w, h,
                 INGEST_PANO_MIN_WIDTH, INGEST_PANO_MAX_WIDTH);
        shape = why;
    }
    if (shape) {
        jpeg_destroy_decompress(&cinfo);
        return err_set(e, RC_INVALID, "%s is not a usable panorama: %s", s, shape);
    }
    /* The process-wide decode budget, taken from the header before any pixel is decoded. */
    struct err be = {0};
    uint64_t need = (uint64_t)w * h * (uint64_t)cinfo.num_components;
    enum rc brc = decode_budget_reserve(need, DECODE_BUDGET_WAIT_MS, &be);
    if (brc != RC_OK) {
        jpeg_destroy_decompress(&cinfo);
        return brc == RC_TOOLARGE ? err_set(e, RC_INVALID, "%s is not a usable panorama: %s", s, be.msg)
                                  : err_set(e, brc, "%s: %s", s, be.msg);
    }
    reserved = need;
    cinfo.scale_num = 1;
    cinfo.scale_denom = 8;
    cinfo.dct_method = JDCT_IFAST;
    cinfo.do_fancy_upsampling = FALSE;
    jpeg_start_decompress(&cinfo);
    JSAMPARRAY row = (*cinfo.mem->alloc_sarray)((j_common_ptr)&cinfo, JPOOL_IMAGE,
                                                cinfo.output_width * cinfo.output_components, 1);
    while (cinfo.output_scanline < cinfo.output_height)
        if (jpeg_read_scanlines(&cinfo, row, 1) != 1)
            longjmp(j.jb, 1); /* a suspending source never happens with jpeg_mem_src */
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    decode_budget_release(reserved);
    return RC_OK;
}

/* --- entry names -------------------------------------------------------------------------- */

enum kind { K_ROOT, K_MANIFEST, K_PANOS_DIR, K_PANO, K_EXTRA, K_OTHER };

/* Checks the raw name (absolute, "..", length, control bytes) and writes its normal form: "."
 * and empty segments dropped, so "./panos//P1.jpg" is "panos/P1.jpg" and "./" is "". */
static enum rc check_name(const char *raw, char norm[INGEST_MAX_PATH + 1], struct err *e)
{
    if (!raw || !*raw)
        return err_set(e, RC_INVALID, "a TAR entry has no name");
    size_t n = strlen(raw);
    if (n > INGEST_MAX_PATH)
        return bad_entry(e, raw, "has a name longer than 255 bytes");
    if (raw[0] == '/' || raw[0] == '\\')
        return bad_entry(e, raw, "has an absolute path");
    for (const unsigned char *p = (const unsigned char *)raw; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return bad_entry(e, raw, "has control characters in its name");
    /* ".." is looked for between backslashes too: an extractor on Windows would follow them. */
    for (const char *seg = raw; *seg;) {
        size_t len = strcspn(seg, "/\\");
        if (len == 2 && seg[0] == '.' && seg[1] == '.')
            return bad_entry(e, raw, "escapes the archive (\"..\" in its path)");
        seg += len;
        if (*seg)
            seg++;
    }
    if (strchr(raw, '\\'))
        return bad_entry(e, raw, "has a backslash in its name");
    size_t k = 0;
    const char *seg = raw;
    while (*seg) {
        size_t len = strcspn(seg, "/");
        if (len > 0 && !(len == 1 && seg[0] == '.')) {
            if (k)
                norm[k++] = '/';
            memcpy(norm + k, seg, len);
            k += len;
        }
        seg += len;
        if (*seg)
            seg++;
    }
    norm[k] = '\0';
    return RC_OK;
}

/* <name>.jpg directly under panos/, with the name rules of manifest.h. */
static int pano_name_ok(const char *base)
{
    size_t n = strlen(base);
    if (n < 5 || n - 4 > MANIFEST_MAX_PANO_NAME || strcmp(base + n - 4, ".jpg") != 0 ||
        base[0] == '.')
        return 0;
    for (size_t i = 0; i < n - 4; i++) {
        char c = base[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

static enum kind classify(const char *norm)
{
    if (!*norm)
        return K_ROOT;
    if (strcmp(norm, "manifest.json") == 0)
        return K_MANIFEST;
    if (strcmp(norm, "panos") == 0)
        return K_PANOS_DIR;
    if (strncmp(norm, "panos/", 6) == 0 && !strchr(norm + 6, '/') && pano_name_ok(norm + 6))
        return K_PANO;
    if (strcmp(norm, "extra") == 0 || strncmp(norm, "extra/", 6) == 0)
        return K_EXTRA;
    return K_OTHER;
}

/* --- the read ----------------------------------------------------------------------------- */

struct ref {                 /* a panorama file the manifest names */
    const char *file;
    int found, delivered;
};

struct reader {
    const struct ingest_limits *lim;
    struct arena *a;
    ingest_pano_fn cb;
    void *user;
    struct ingest_result *out;
    struct src *src;
    unsigned char *buf;      /* one entry's bytes, grown up to max_entry_bytes */
    size_t cap;
    int have_manifest;
    struct ref *refs;        /* sorted by file */
    size_t nrefs;
    const char **seen;       /* panos/ files in TAR order (arena) */
    size_t nseen, seen_cap;
};

static int cmp_ref(const void *a, const void *b)
{
    return strcmp(((const struct ref *)a)->file, ((const struct ref *)b)->file);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static struct ref *find_ref(struct reader *r, const char *file)
{
    struct ref key = {.file = file};
    return r->nrefs ? bsearch(&key, r->refs, r->nrefs, sizeof key, cmp_ref) : NULL;
}

/* The error for a failed libarchive call: I/O on our side, else damaged or not a TAR. */
static enum rc archive_fail(struct reader *r, struct archive *ar, size_t entries, struct err *e)
{
    if (r->src->io_errno)
        return err_set(e, RC_IO, "reading stitch data failed: %s", strerror(r->src->io_errno));
    if (r->src->short_file)
        return err_set(e, RC_IO, "stitch data is shorter than its recorded size");
    if (entries == 0)
        return err_set(e, RC_INVALID, "stitch data is not a TAR archive");
    const char *m = archive_error_string(ar);
    return err_set(e, RC_INVALID, "stitch data is a damaged TAR archive: %.120s",
                   m ? m : "unreadable entry");
}

/* Reads the current entry's n bytes into r->buf. */
static enum rc read_entry(struct reader *r, struct archive *ar, const char *name, size_t n,
                          size_t entries, struct err *e)
{
    if (n + 1 > r->cap) {
        unsigned char *nb = realloc(r->buf, n + 1);
        if (!nb)
            return err_set(e, RC_NOMEM, "out of memory");
        r->buf = nb;
        r->cap = n + 1;
    }
    size_t got = 0;
    while (got < n) {
        la_ssize_t k = archive_read_data(ar, r->buf + got, n - got);
        if (k < 0)
            return archive_fail(r, ar, entries, e);
        if (k == 0) {
            char s[SHOW_MAX + 4];
            show(name, s);
            return err_set(e, RC_INVALID, "stitch data is a damaged TAR archive: entry \"%s\" is "
                                          "truncated", s);
        }
        got += (size_t)k;
    }
    r->buf[n] = '\0';
    return RC_OK;
}

static enum rc take_manifest(struct reader *r, size_t n, struct err *e)
{
    char *json = arena_alloc(r->a, n + 1);
    if (!json)
        return err_set(e, RC_NOMEM, "out of memory");
    memcpy(json, r->buf, n + 1);
    enum rc rc = manifest_parse(json, n, r->a, &r->out->manifest, e);
    if (rc != RC_OK)
        return rc;
    r->out->manifest_json = json;
    r->out->manifest_len = n;
    r->have_manifest = 1;
    const struct manifest *m = &r->out->manifest;
    for (size_t b = 0; b < m->nbuildings; b++)
        for (size_t l = 0; l < m->buildings[b].nlevels; l++)
            r->nrefs += m->buildings[b].levels[l].npanos;
    if (!(r->refs = arena_alloc(r->a, (r->nrefs ? r->nrefs : 1) * sizeof *r->refs)))
        return err_set(e, RC_NOMEM, "out of memory");
    size_t k = 0;
    for (size_t b = 0; b < m->nbuildings; b++)
        for (size_t l = 0; l < m->buildings[b].nlevels; l++)
            for (size_t i = 0; i < m->buildings[b].levels[l].npanos; i++)
                r->refs[k++].file = m->buildings[b].levels[l].panos[i].file;
    qsort(r->refs, r->nrefs, sizeof *r->refs, cmp_ref);
    /* Panoramas that came before the manifest were checked already. */
    for (size_t i = 0; i < r->nseen; i++) {
        struct ref *f = find_ref(r, r->seen[i]);
        if (f)
            f->found = 1;
    }
    return RC_OK;
}

static enum rc deliver(struct reader *r, struct ref *f, size_t n, struct err *e)
{
    if (!r->cb || f->delivered)
        return RC_OK;
    f->delivered = 1;
    return r->cb(r->user, f->file, r->buf, n, e);
}

static enum rc take_pano(struct reader *r, const char *norm, size_t n, struct err *e)
{
    enum rc rc = jpeg_check(norm, r->buf, n, e);
    if (rc != RC_OK)
        return rc;
    if (r->nseen == r->seen_cap) {
        size_t cap = r->seen_cap ? r->seen_cap * 2 : 64;
        const char **ns = arena_alloc(r->a, cap * sizeof *ns);
        if (!ns)
            return err_set(e, RC_NOMEM, "out of memory");
        if (r->nseen)
            memcpy(ns, r->seen, r->nseen * sizeof *ns);
        r->seen = ns;
        r->seen_cap = cap;
    }
    if (!(r->seen[r->nseen++] = arena_strdup(r->a, norm)))
        return err_set(e, RC_NOMEM, "out of memory");
    if (!r->have_manifest)
        return RC_OK;
    struct ref *f = find_ref(r, norm);
    if (!f)
        return RC_OK;
    f->found = 1;
    return deliver(r, f, n, e);
}

/* Opens a tar-only reader on src from offset 0. */
static enum rc open_reader(struct src *s, struct archive **out, struct err *e)
{
    s->off = 0;
    struct archive *ar = archive_read_new();
    if (!ar)
        return err_set(e, RC_NOMEM, "out of memory");
    if (archive_read_support_format_tar(ar) != ARCHIVE_OK ||
        archive_read_set_read_callback(ar, src_read) != ARCHIVE_OK ||
        archive_read_set_skip_callback(ar, src_skip) != ARCHIVE_OK ||
        archive_read_set_callback_data(ar, s) != ARCHIVE_OK) {
        archive_read_free(ar);
        return err_set(e, RC_NOMEM, "cannot set up the TAR reader");
    }
    if (archive_read_open1(ar) != ARCHIVE_OK) {
        enum rc rc = s->io_errno || s->short_file
                         ? err_set(e, RC_IO, "reading stitch data failed")
                         : err_set(e, RC_INVALID, "stitch data is not a TAR archive");
        archive_read_free(ar);
        return rc;
    }
    *out = ar;
    return RC_OK;
}

/* Checks one header: count, name, type, declared sizes. Sets *kind and *norm. */
static enum rc check_header(struct reader *r, struct archive *ar, struct archive_entry *ent,
                            size_t entries, char norm[INGEST_MAX_PATH + 1], enum kind *kind,
                            struct err *e)
{
    if (entries > r->lim->max_entries)
        return err_set(e, RC_INVALID, "the TAR has more than %zu entries", r->lim->max_entries);
    if (entries == 1) {
        int f = archive_format(ar);
        if (f != ARCHIVE_FORMAT_TAR_USTAR && f != ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE &&
            f != ARCHIVE_FORMAT_TAR_PAX_RESTRICTED && f != ARCHIVE_FORMAT_TAR_GNUTAR)
            return err_set(e, RC_INVALID, "stitch data is an old-style (v7) TAR; use ustar, pax "
                                          "or GNU tar");
    }
    const char *raw = archive_entry_pathname(ent);
    enum rc rc = check_name(raw, norm, e);
    if (rc != RC_OK)
        return rc;
    if (archive_entry_hardlink(ent))
        return bad_entry(e, raw, "is a hard link; links are not allowed");
    switch (archive_entry_filetype(ent)) {
    case AE_IFREG:
    case AE_IFDIR:
        break;
    case AE_IFLNK:
        return bad_entry(e, raw, "is a symbolic link; links are not allowed");
    case AE_IFCHR:
    case AE_IFBLK:
        return bad_entry(e, raw, "is a device; only regular files and directories are allowed");
    case AE_IFIFO:
        return bad_entry(e, raw, "is a FIFO; only regular files and directories are allowed");
    case AE_IFSOCK:
        return bad_entry(e, raw, "is a socket; only regular files and directories are allowed");
    default:
        return bad_entry(e, raw, "is not a regular file or directory");
    }
    if (archive_entry_sparse_count(ent) > 0)
        return bad_entry(e, raw, "is a sparse file; only plain regular files are allowed");
    int is_file = archive_entry_filetype(ent) == AE_IFREG;
    if (is_file) {
        la_int64_t sz = archive_entry_size(ent);
        if (!archive_entry_size_is_set(ent) || sz < 0)
            return bad_entry(e, raw, "has no valid size");
        uint64_t n = (uint64_t)sz, total = r->out->total_bytes + n;
        char s[SHOW_MAX + 4];
        show(raw, s);
        /* A TAR stores its files uncompressed: headers that declare more than the upload holds
         * are a bomb (or the archive was cut short). */
        if (total < n || total > r->src->size)
            return err_set(e, RC_INVALID,
                           "entry \"%s\" declares %llu bytes, more than the %llu-byte upload can "
                           "hold (a TAR bomb or a truncated archive)",
                           s, (unsigned long long)n, (unsigned long long)r->src->size);
        if (n > r->lim->max_entry_bytes)
            return err_set(e, RC_INVALID,
                           "entry \"%s\" is %llu bytes, more than the limit of %llu bytes per file",
                           s, (unsigned long long)n, (unsigned long long)r->lim->max_entry_bytes);
        if (total > r->lim->max_total_bytes)
            return err_set(e, RC_INVALID,
                           "the TAR's files add up to more than the limit of %llu bytes",
                           (unsigned long long)r->lim->max_total_bytes);
        r->out->total_bytes = total;
    }
    *kind = classify(norm);
    switch (*kind) {
    case K_ROOT:
    case K_PANOS_DIR:
        if (is_file)
            return bad_entry(e, raw, "must be a directory");
        break;
    case K_MANIFEST:
    case K_PANO:
        if (!is_file)
            return bad_entry(e, raw, "must be a regular file");
        break;
    case K_EXTRA:
        break;
    case K_OTHER:
        if (strncmp(norm, "panos/", 6) == 0)
            return bad_entry(e, raw, "is not a panorama: files under panos/ must be named "
                                     "<name>.jpg (<name>: up to 64 letters, digits, '.', '_' or '-', "
                                     "not starting with '.')");
        return bad_entry(e, raw, "is not part of the Stitch format (expected manifest.json, "
                                 "panos/<name>.jpg or extra/...)");
    }
    return RC_OK;
}

static enum rc pass_one(struct reader *r, struct archive *ar, struct err *e)
{
    size_t entries = 0;
    int manifests = 0;
    for (;;) {
        struct archive_entry *ent;
        int st = archive_read_next_header(ar, &ent);
        if (st == ARCHIVE_EOF)
            break;
        if (st != ARCHIVE_OK)
            return archive_fail(r, ar, entries, e);
        entries++;
        char norm[INGEST_MAX_PATH + 1];
        enum kind kind = K_OTHER;
        enum rc rc = check_header(r, ar, ent, entries, norm, &kind, e);
        if (rc != RC_OK)
            return rc;
        r->out->nentries = entries;
        size_t n = (size_t)archive_entry_size(ent);
        if (kind == K_EXTRA) {
            r->out->nextra++;
        } else if (kind == K_MANIFEST) {
            if (manifests++)
                return err_set(e, RC_INVALID, "entry \"manifest.json\" appears twice");
            if (n > MANIFEST_MAX_BYTES)
                return err_set(e, RC_INVALID,
                               "manifest.json is %zu bytes, more than the limit of %u", n,
                               MANIFEST_MAX_BYTES);
            if ((rc = read_entry(r, ar, norm, n, entries, e)) != RC_OK ||
                (rc = take_manifest(r, n, e)) != RC_OK)
                return rc;
        } else if (kind == K_PANO) {
            if ((rc = read_entry(r, ar, norm, n, entries, e)) != RC_OK ||
                (rc = take_pano(r, norm, n, e)) != RC_OK)
                return rc;
        }
    }
    if (entries == 0)
        return err_set(e, RC_INVALID, "stitch data is an empty TAR archive");
    return RC_OK;
}

/* Delivers the referenced panoramas pass one could not (the manifest came after them). The data
 * passed every check a moment ago, so any failure now is the file changing underneath: RC_IO. */
static enum rc pass_two(struct reader *r, struct err *e)
{
    struct archive *ar = NULL;
    enum rc rc = open_reader(r->src, &ar, e);
    if (rc != RC_OK)
        return rc == RC_INVALID ? err_set(e, RC_IO, "stitch data changed while it was read") : rc;
    r->out->passes = 2;
    size_t entries = 0;
    for (;;) {
        struct archive_entry *ent;
        int st = archive_read_next_header(ar, &ent);
        if (st == ARCHIVE_EOF)
            break;
        if (st != ARCHIVE_OK) {
            rc = archive_fail(r, ar, ++entries, e);
            break;
        }
        entries++;
        char norm[INGEST_MAX_PATH + 1];
        if (archive_entry_filetype(ent) != AE_IFREG ||
            check_name(archive_entry_pathname(ent), norm, e) != RC_OK || classify(norm) != K_PANO)
            continue;
        struct ref *f = find_ref(r, norm);
        if (!f || f->delivered)
            continue;
        size_t n = (size_t)archive_entry_size(ent);
        if (n > r->lim->max_entry_bytes) {
            rc = err_set(e, RC_INVALID, "stitch data changed while it was read");
            break;
        }
        if ((rc = read_entry(r, ar, norm, n, entries, e)) != RC_OK ||
            (rc = jpeg_check(norm, r->buf, n, e)) != RC_OK)
            break;
        if ((rc = deliver(r, f, n, e)) != RC_OK) {
            archive_read_free(ar);
            return rc; /* the callback's answer, as it is */
        }
    }
    archive_read_free(ar);
    if (rc == RC_INVALID)
        return err_set(e, RC_IO, "stitch data changed while it was read");
    return rc;
}

/* Names the container when the upload is a compressed file or another archive format. */
static const char *sniff(const unsigned char *p, size_t n)
{
    static const struct {
        const char *magic;
        size_t len;
        const char *what;
    } kinds[] = {
        {"\x1f\x8b", 2, "gzip-compressed"},        {"BZh", 3, "bzip2-compressed"},
        {"\xfd" "7zXZ\0", 6, "xz-compressed"},     {"\x28\xb5\x2f\xfd", 4, "zstd-compressed"},
        {"\x04\x22\x4d\x18", 4, "lz4-compressed"}, {"\x1f\x9d", 2, "compress(1)-compressed"},
        {"LZIP", 4, "lzip-compressed"},            {"\x5d\0\0", 3, "lzma-compressed"},
        {"PK\x03\x04", 4, "a ZIP archive"},        {"PK\x05\x06", 4, "a ZIP archive"},
        {"7z\xbc\xaf\x27\x1c", 6, "a 7-Zip archive"}, {"Rar!\x1a\x07", 6, "a RAR archive"},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (n >= kinds[i].len && memcmp(p, kinds[i].magic, kinds[i].len) == 0)
            return kinds[i].what;
    return NULL;
}

enum rc ingest_read(int fd, uint64_t size, const struct ingest_limits *lim, struct arena *a,
                    ingest_pano_fn pano_cb, void *user, struct ingest_result *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    if (size == 0)
        return err_set(e, RC_INVALID, "stitch data is empty");
    struct src *s = malloc(sizeof *s);
    if (!s)
        return err_set(e, RC_NOMEM, "out of memory");
    *s = (struct src){.fd = fd, .size = size};
    struct reader r = {.lim = lim, .a = a, .cb = pano_cb, .user = user, .out = out, .src = s};
    out->passes = 1;

    unsigned char head[8];
    size_t hn = size < sizeof head ? (size_t)size : sizeof head;
    ssize_t got;
    do
        got = pread(fd, head, hn, 0);
    while (got < 0 && errno == EINTR);
    enum rc rc = RC_OK;
    const char *what;
    struct archive *ar = NULL;
    if (got < 0 || (size_t)got != hn) {
        rc = err_set(e, RC_IO, "reading stitch data failed: %s",
                     got < 0 ? strerror(errno) : "file shorter than its recorded size");
    } else if ((what = sniff(head, hn)) != NULL) {
        rc = err_set(e, RC_INVALID, "stitch data is %s, not an uncompressed TAR archive", what);
    } else if ((rc = open_reader(s, &ar, e)) == RC_OK) {
        rc = pass_one(&r, ar, e);
        archive_read_free(ar);
    }
    if (rc == RC_OK && !r.have_manifest)
        rc = err_set(e, RC_INVALID, "stitch data has no manifest.json");
    if (rc == RC_OK && r.nseen > 1) {
        /* The same panorama twice would make the TAR mean two things. */
        const char **sorted = arena_alloc(a, r.nseen * sizeof *sorted);
        if (!sorted) {
            rc = err_set(e, RC_NOMEM, "out of memory");
        } else {
            memcpy(sorted, r.seen, r.nseen * sizeof *sorted);
            qsort(sorted, r.nseen, sizeof *sorted, cmp_str);
            for (size_t i = 1; i < r.nseen && rc == RC_OK; i++)
                if (strcmp(sorted[i - 1], sorted[i]) == 0)
                    rc = bad_entry(e, sorted[i], "appears twice");
        }
    }
    for (size_t i = 0; rc == RC_OK && i < r.nrefs; i++)
        if (!r.refs[i].found)
            rc = err_set(e, RC_INVALID, "the manifest names %s, which is not in the TAR",
                         r.refs[i].file);
    if (rc == RC_OK) {
        out->npanos = r.nrefs;
        out->nunreferenced = r.nseen - r.nrefs;
        for (size_t i = 0; i < r.nrefs && pano_cb; i++)
            if (!r.refs[i].delivered) {
                rc = pass_two(&r, e);
                break;
            }
    }
    for (size_t i = 0; rc == RC_OK && pano_cb && i < r.nrefs; i++)
        if (!r.refs[i].delivered)
            rc = err_set(e, RC_IO, "stitch data changed while it was read");
    free(r.buf);
    free(s);
    return rc;
}
