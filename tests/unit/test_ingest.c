/* test_ingest.c — pipeline/ingest against real TARs on disk: every sample kind of pipeline/sample
 * (valid → counts and one pano_cb per referenced panorama; each corrupt kind → its own reason),
 * archives written here with libarchive for the rules the samples do not cover (absolute paths,
 * hard links, devices, compression, other formats, stray entries, duplicates, missing references,
 * panorama shape), the limits, and the second pass when manifest.json comes last. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <jpeglib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "property/ingest.h"
#include "sample/sample.h"

static char dir[] = "/tmp/gp-ingest-XXXXXX";

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[64];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *path_of(const char *name)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "%s/%s", dir, name);
    return buf;
}

struct calls {
    size_t n;
    char files[64][32];
    int fail_at;   /* 1-based call that fails, 0 for none */
    enum rc fail_rc; /* how it fails: RC_IO when 0 */
};

static enum rc count_pano(void *user, const char *file, const unsigned char *jpeg, size_t n,
                          struct err *e)
{
    struct calls *c = user;
    assert_true(n > 4);
    assert_int_equal(jpeg[0], 0xff);
    assert_int_equal(jpeg[1], 0xd8);
    if (c->n < 64)
        snprintf(c->files[c->n], sizeof c->files[0], "%s", file);
    c->n++;
    if (c->fail_at && (int)c->n == c->fail_at)
        return err_set(e, c->fail_rc ? c->fail_rc : RC_IO, "callback failed");
    return RC_OK;
}

/* Ingests the file at path; res and e are filled; the arena is the caller's. */
static enum rc ingest_file(const char *path, const struct ingest_limits *lim, struct arena *a,
                           struct calls *calls, struct ingest_result *res, struct err *e)
{
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    struct stat st;
    assert_int_equal(fstat(fd, &st), 0);
    struct ingest_limits dl = ingest_default_limits();
    enum rc rc = ingest_read(fd, (uint64_t)st.st_size, lim ? lim : &dl, a,
                             calls ? count_pano : NULL, calls, res, e);
    close(fd);
    return rc;
}

static uint64_t file_size(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (uint64_t)st.st_size;
}

/* --- samples ------------------------------------------------------------------------------ */

static void t_valid_sample(void **state)
{
    (void)state;
    struct sample_options o = sample_defaults();
    struct sample_stats st;
    struct err e = {0};
    const char *p = path_of("valid.tar");
    assert_int_equal(sample_write(p, &o, &st, &e), RC_OK);
    assert_int_equal(st.bytes, file_size(p));
    struct arena *a = arena_new();
    struct calls c = {0};
    struct ingest_result r;
    enum rc rc = ingest_file(p, NULL, a, &c, &r, &e);
    if (rc != RC_OK)
        fail_msg("valid sample rejected: %s", e.msg);
    assert_int_equal(r.npanos, 12);
    assert_int_equal(r.nentries, st.entries);
    assert_int_equal(r.nentries, 14); /* manifest, panos/, 12 panoramas */
    assert_int_equal(r.nunreferenced, 0);
    assert_int_equal(r.nextra, 0);
    assert_int_equal(r.passes, 1);
    assert_int_equal(c.n, 12);
    for (size_t i = 0; i < c.n; i++) {
        char want[32];
        snprintf(want, sizeof want, "panos/P%zu.jpg", i + 1);
        assert_string_equal(c.files[i], want);
    }
    assert_int_equal(r.manifest.nbuildings, 1);
    assert_int_equal(r.manifest.buildings[0].nlevels, 2);
    const struct mf_level *b = &r.manifest.buildings[0].levels[0];
    assert_true(b->below_grade);
    assert_string_equal(b->name, "Basement");
    assert_false(r.manifest.buildings[0].levels[1].below_grade);
    assert_int_equal(b->nrooms, 6);
    assert_int_equal(b->npanos, 6);
    assert_true(b->ndoors > 0 && b->nwindows > 0);
    assert_non_null(r.manifest_json);
    assert_int_equal(strlen(r.manifest_json), r.manifest_len);
    /* The manifest text is the one the sample generator wrote. */
    char *json;
    size_t jn;
    assert_int_equal(sample_manifest(&o, a, &json, &jn, &e), RC_OK);
    assert_int_equal(jn, r.manifest_len);
    assert_memory_equal(json, r.manifest_json, jn);
    /* Without a callback the same archive reads the same way. */
    struct ingest_result r2;
    assert_int_equal(ingest_file(p, NULL, a, NULL, &r2, &e), RC_OK);
    assert_int_equal(r2.npanos, 12);
    arena_free(a);
}

static void t_sample_shapes(void **state)
{
    (void)state;
    /* Every size the option ranges allow at their edges is accepted by the reader. */
    const int shapes[][3] = {{1, 1, 0}, {1, 1, 1}, {3, 5, 2}, {4, 13, 20}, {2, 60, 3}};
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        struct sample_options o = sample_defaults();
        o.levels = shapes[i][0];
        o.rooms = shapes[i][1];
        o.panos = shapes[i][2];
        o.seed = 7 + i;
        struct err e = {0};
        const char *p = path_of("shape.tar");
        assert_int_equal(sample_write(p, &o, NULL, &e), RC_OK);
        struct arena *a = arena_new();
        struct calls c = {0};
        struct ingest_result r;
        if (ingest_file(p, NULL, a, &c, &r, &e) != RC_OK)
            fail_msg("shape %zu rejected: %s", i, e.msg);
        assert_int_equal(r.npanos, (size_t)(o.levels * o.panos));
        assert_int_equal(c.n, r.npanos);
        const struct mf_building *b = &r.manifest.buildings[0];
        assert_int_equal(b->nlevels, (size_t)o.levels);
        for (size_t l = 0; l < b->nlevels; l++) {
            assert_int_equal(b->levels[l].nrooms, (size_t)o.rooms);
            assert_int_equal(b->levels[l].below_grade, o.levels >= 2 && l == 0);
        }
        arena_free(a);
    }
}

static void t_sample_is_deterministic(void **state)
{
    (void)state;
    struct sample_options o = sample_defaults();
    o.seed = 42;
    struct err e = {0};
    unsigned char *j1, *j2, *j3;
    size_t n1, n2, n3;
    assert_int_equal(sample_jpeg(42, 3, &j1, &n1, &e), RC_OK);
    assert_int_equal(sample_jpeg(42, 3, &j2, &n2, &e), RC_OK);
    assert_int_equal(sample_jpeg(43, 3, &j3, &n3, &e), RC_OK);
    assert_int_equal(n1, n2);
    assert_memory_equal(j1, j2, n1);
    assert_true(n1 != n3 || memcmp(j1, j3, n1) != 0);
    free(j1);
    free(j2);
    free(j3);
    assert_int_equal(sample_write(path_of("a.tar"), &o, NULL, &e), RC_OK);
    assert_int_equal(sample_write(path_of("b.tar"), &o, NULL, &e), RC_OK);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cmp -s %s/a.tar %s/b.tar", dir, dir);
    assert_int_equal(system(cmd), 0);
}

static void t_padding(void **state)
{
    (void)state;
    struct sample_options o = sample_defaults();
    o.levels = 1;
    o.panos = 1;
    o.pad_to = (uint64_t)SAMPLE_PAD_CHUNK + (3u << 20); /* two padding entries */
    struct sample_stats st;
    struct err e = {0};
    const char *p = path_of("padded.tar");
    assert_int_equal(sample_write(p, &o, &st, &e), RC_OK);
    uint64_t size = file_size(p);
    assert_true(size >= o.pad_to);
    assert_true(size < o.pad_to + 10240);
    struct arena *a = arena_new();
    struct calls c = {0};
    struct ingest_result r;
    if (ingest_file(p, NULL, a, &c, &r, &e) != RC_OK)
        fail_msg("padded sample rejected: %s", e.msg);
    assert_int_equal(r.nextra, 2);
    assert_int_equal(r.npanos, 1);
    assert_int_equal(c.n, 1);
    assert_true(r.total_bytes > SAMPLE_PAD_CHUNK);
    arena_free(a);
}

static void t_corrupt_kinds(void **state)
{
    (void)state;
    char seen[SAMPLE__COUNT][sizeof(struct err){0}.msg];
    for (int k = SAMPLE_NOT_TAR; k < SAMPLE__COUNT; k++) {
        struct sample_options o = sample_defaults();
        o.kind = (enum sample_kind)k;
        struct err e = {0};
        char name[64];
        snprintf(name, sizeof name, "%s.tar", sample_kind_name(o.kind));
        char p[256];
        snprintf(p, sizeof p, "%s", path_of(name));
        assert_int_equal(sample_write(p, &o, NULL, &e), RC_OK);
        char want[300];
        const char *prefix = NULL;
        switch (o.kind) {
        case SAMPLE_NOT_TAR:
            snprintf(want, sizeof want, "stitch data is not a TAR archive");
            break;
        case SAMPLE_NO_MANIFEST:
            snprintf(want, sizeof want, "stitch data has no manifest.json");
            break;
        case SAMPLE_BAD_JSON:
            prefix = "manifest.json is not valid JSON: '}' expected near end of file (line ";
            break;
        case SAMPLE_BAD_JPEG:
            snprintf(want, sizeof want, "panos/P1.jpg is not a valid JPEG: Premature end of JPEG file");
            break;
        case SAMPLE_TRAVERSAL:
            snprintf(want, sizeof want,
                     "entry \"../outside.txt\" escapes the archive (\"..\" in its path)");
            break;
        case SAMPLE_LINK:
            snprintf(want, sizeof want,
                     "entry \"panos/link.jpg\" is a symbolic link; links are not allowed");
            break;
        case SAMPLE_OPEN_POLYGON:
            snprintf(want, sizeof want, "building 1, level L1, room R1: polygon is not closed (its "
                                        "last point must equal its first)");
            break;
        case SAMPLE_BOMB:
            snprintf(want, sizeof want,
                     "entry \"panos/bomb.jpg\" declares 8589934591 bytes, more than the "
                     "%llu-byte upload can hold (a TAR bomb or a truncated archive)",
                     (unsigned long long)file_size(p));
            break;
        default:
            fail();
        }
        struct arena *a = arena_new();
        struct calls c = {0};
        struct ingest_result r;
        enum rc rc = ingest_file(p, NULL, a, &c, &r, &e);
        if (rc != RC_INVALID)
            fail_msg("%s: got %d (%s)", name, rc, e.msg);
        if (prefix)
            assert_true(strncmp(e.msg, prefix, strlen(prefix)) == 0);
        else
            assert_string_equal(e.msg, want);
        snprintf(seen[k], sizeof seen[k], "%s", e.msg);
        for (int j = SAMPLE_NOT_TAR; j < k; j++)
            assert_string_not_equal(seen[j], seen[k]);
        arena_free(a);
    }
}

static void t_bad_options(void **state)
{
    (void)state;
    struct err e = {0};
    struct sample_options o = sample_defaults();
    o.levels = 0;
    assert_int_equal(sample_write(path_of("x.tar"), &o, NULL, &e), RC_INVALID);
    o = sample_defaults();
    o.rooms = SAMPLE_MAX_ROOMS + 1;
    assert_int_equal(sample_write(path_of("x.tar"), &o, NULL, &e), RC_INVALID);
    o = sample_defaults();
    o.panos = 0;
    o.kind = SAMPLE_BAD_JPEG;
    assert_int_equal(sample_write(path_of("x.tar"), &o, NULL, &e), RC_INVALID);
    assert_int_equal(access(path_of("x.tar"), F_OK), -1);
    o = sample_defaults();
    assert_int_equal(sample_write("/nonexistent-dir/x.tar", &o, NULL, &e), RC_IO);
    enum sample_kind k;
    assert_int_equal(sample_kind_parse("bomb", &k), 0);
    assert_int_equal(k, SAMPLE_BOMB);
    assert_int_equal(sample_kind_parse("Bomb", &k), -1);
    assert_null(sample_kind_name(SAMPLE__COUNT));
}

/* --- archives built here ------------------------------------------------------------------ */

struct ent {
    const char *name;
    int type;             /* AE_IFREG, AE_IFDIR, AE_IFLNK, AE_IFIFO, AE_IFCHR; 0 ends */
    const void *data;
    size_t n;
    const char *link;     /* symlink target, or hardlink target when hard */
    int hard;
};

/* Writes ents as a TAR of format (an archive_write_set_format_* function) through filter (an
 * archive_write_add_filter_* function, or NULL). */
static void write_archive(const char *path, int (*format)(struct archive *),
                          int (*filter)(struct archive *), const struct ent *ents)
{
    struct archive *ar = archive_write_new();
    assert_int_equal(format(ar), ARCHIVE_OK);
    if (filter)
        assert_int_equal(filter(ar), ARCHIVE_OK);
    assert_int_equal(archive_write_open_filename(ar, path), ARCHIVE_OK);
    for (const struct ent *x = ents; x->name; x++) {
        struct archive_entry *en = archive_entry_new();
        archive_entry_set_pathname(en, x->name);
        archive_entry_set_filetype(en, (unsigned)x->type);
        archive_entry_set_perm(en, 0644);
        archive_entry_set_size(en, x->type == AE_IFREG && !x->hard ? (la_int64_t)x->n : 0);
        if (x->link && x->hard)
            archive_entry_set_hardlink(en, x->link);
        else if (x->link)
            archive_entry_set_symlink(en, x->link);
        assert_true(archive_write_header(ar, en) >= ARCHIVE_WARN);
        if (x->n && !x->hard)
            assert_int_equal(archive_write_data(ar, x->data, x->n), (la_ssize_t)x->n);
        archive_entry_free(en);
    }
    assert_int_equal(archive_write_close(ar), ARCHIVE_OK);
    archive_write_free(ar);
}

struct fixture {
    struct arena *a;
    char *manifest;       /* one level, one panorama: panos/P1.jpg */
    size_t mn;
    unsigned char *jpg;   /* a valid panorama */
    size_t jn;
};

static void fixture_open(struct fixture *f, int panos)
{
    struct sample_options o = sample_defaults();
    o.levels = 1;
    o.rooms = 3;
    o.panos = panos;
    struct err e = {0};
    f->a = arena_new();
    assert_int_equal(sample_manifest(&o, f->a, &f->manifest, &f->mn, &e), RC_OK);
    assert_int_equal(sample_jpeg(1, 1, &f->jpg, &f->jn, &e), RC_OK);
}

static void fixture_close(struct fixture *f)
{
    free(f->jpg);
    arena_free(f->a);
}

/* Writes ents as pax and expects RC_INVALID with exactly want (or RC_OK when want is NULL). */
static void expect(const char *name, const struct ent *ents, const char *want)
{
    const char *p = path_of(name);
    write_archive(p, archive_write_set_format_pax_restricted, NULL, ents);
    struct arena *a = arena_new();
    struct ingest_result r;
    struct err e = {0};
    enum rc rc = ingest_file(p, NULL, a, NULL, &r, &e);
    if (!want && rc != RC_OK)
        fail_msg("%s: rejected: %s", name, e.msg);
    if (want && (rc != RC_INVALID || strcmp(e.msg, want) != 0))
        fail_msg("%s: got %d \"%s\", want \"%s\"", name, rc, e.msg, want);
    arena_free(a);
}

static void t_entry_rules(void **state)
{
    (void)state;
    struct fixture f;
    fixture_open(&f, 1);
    const char *m = f.manifest;
#define MF {"manifest.json", AE_IFREG, m, f.mn, NULL, 0}
#define P1 {"panos/P1.jpg", AE_IFREG, f.jpg, f.jn, NULL, 0}
#define END {NULL, 0, NULL, 0, NULL, 0}
    expect("ok.tar", (struct ent[]){MF, P1, END}, NULL);
    expect("dot.tar",
           (struct ent[]){{"./", AE_IFDIR, NULL, 0, NULL, 0},
                          {"./manifest.json", AE_IFREG, m, f.mn, NULL, 0},
                          {"./panos/", AE_IFDIR, NULL, 0, NULL, 0},
                          {"./panos//P1.jpg", AE_IFREG, f.jpg, f.jn, NULL, 0},
                          {"extra/tool/notes.txt", AE_IFREG, "hi", 2, NULL, 0},
                          END},
           NULL);
    expect("abs.tar", (struct ent[]){MF, P1, {"/etc/cron.d/x", AE_IFREG, "x", 1, NULL, 0}, END},
           "entry \"/etc/cron.d/x\" has an absolute path");
    expect("dotdot.tar",
           (struct ent[]){MF, P1, {"extra/../../x", AE_IFREG, "x", 1, NULL, 0}, END},
           "entry \"extra/../../x\" escapes the archive (\"..\" in its path)");
    expect("hard.tar", (struct ent[]){MF, P1, {"extra/h", AE_IFREG, NULL, 0, "manifest.json", 1}, END},
           "entry \"extra/h\" is a hard link; links are not allowed");
    expect("sym.tar", (struct ent[]){MF, P1, {"extra/s", AE_IFLNK, NULL, 0, "../../etc", 0}, END},
           "entry \"extra/s\" is a symbolic link; links are not allowed");
    expect("fifo.tar", (struct ent[]){MF, P1, {"extra/f", AE_IFIFO, NULL, 0, NULL, 0}, END},
           "entry \"extra/f\" is a FIFO; only regular files and directories are allowed");
    expect("dev.tar", (struct ent[]){MF, P1, {"extra/d", AE_IFCHR, NULL, 0, NULL, 0}, END},
           "entry \"extra/d\" is a device; only regular files and directories are allowed");
    expect("stray.tar", (struct ent[]){MF, P1, {"notes.txt", AE_IFREG, "x", 1, NULL, 0}, END},
           "entry \"notes.txt\" is not part of the Stitch format (expected manifest.json, "
           "panos/<name>.jpg or extra/...)");
    expect("png.tar", (struct ent[]){MF, P1, {"panos/P2.png", AE_IFREG, "x", 1, NULL, 0}, END},
           "entry \"panos/P2.png\" is not a panorama: files under panos/ must be named <name>.jpg "
           "(<name>: up to 64 letters, digits, '.', '_' or '-', not starting with '.')");
    expect("mfdir.tar", (struct ent[]){{"manifest.json", AE_IFDIR, NULL, 0, NULL, 0}, P1, END},
           "entry \"manifest.json/\" must be a regular file");
    expect("twice.tar", (struct ent[]){MF, P1, MF, END}, "entry \"manifest.json\" appears twice");
    expect("p1twice.tar", (struct ent[]){MF, P1, P1, END}, "entry \"panos/P1.jpg\" appears twice");
    expect("missing.tar", (struct ent[]){MF, END},
           "the manifest names panos/P1.jpg, which is not in the TAR");
    expect("noname.tar", (struct ent[]){MF, P1, {"extra/a\tb", AE_IFREG, "x", 1, NULL, 0}, END},
           "entry \"extra/a?b\" has control characters in its name");
    expect("backslash.tar", (struct ent[]){MF, P1, {"extra\\..\\x", AE_IFREG, "x", 1, NULL, 0}, END},
           "entry \"extra\\..\\x\" escapes the archive (\"..\" in its path)");
    expect("backslash2.tar", (struct ent[]){MF, P1, {"extra\\x", AE_IFREG, "x", 1, NULL, 0}, END},
           "entry \"extra\\x\" has a backslash in its name");
    /* Panoramas the manifest does not name are checked, counted and not delivered. */
    const char *p = path_of("unref.tar");
    write_archive(p, archive_write_set_format_gnutar, NULL,
                  (struct ent[]){MF, P1, {"panos/spare.jpg", AE_IFREG, f.jpg, f.jn, NULL, 0}, END});
    struct ingest_result r;
    struct err e = {0};
    struct calls c = {0};
    assert_int_equal(ingest_file(p, NULL, f.a, &c, &r, &e), RC_OK);
    assert_int_equal(r.npanos, 1);
    assert_int_equal(r.nunreferenced, 1);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.files[0], "panos/P1.jpg");
    write_archive(p, archive_write_set_format_gnutar, NULL,
                  (struct ent[]){MF, P1, {"panos/spare.jpg", AE_IFREG, f.jpg, f.jn / 3, NULL, 0}, END});
    assert_int_equal(ingest_file(p, NULL, f.a, NULL, &r, &e), RC_INVALID);
    assert_string_equal(e.msg, "panos/spare.jpg is not a valid JPEG: Premature end of JPEG file");
    fixture_close(&f);
}

static void t_containers(void **state)
{
    (void)state;
    struct fixture f;
    fixture_open(&f, 1);
    const char *m = f.manifest;
    const struct ent ents[] = {MF, P1, END};
    const struct {
        int (*format)(struct archive *);
        int (*filter)(struct archive *);
        const char *want;
    } cases[] = {
        {archive_write_set_format_ustar, NULL, NULL},
        {archive_write_set_format_pax, NULL, NULL},
        {archive_write_set_format_gnutar, NULL, NULL},
        {archive_write_set_format_pax_restricted, archive_write_add_filter_gzip,
         "stitch data is gzip-compressed, not an uncompressed TAR archive"},
        {archive_write_set_format_pax_restricted, archive_write_add_filter_bzip2,
         "stitch data is bzip2-compressed, not an uncompressed TAR archive"},
        {archive_write_set_format_pax_restricted, archive_write_add_filter_xz,
         "stitch data is xz-compressed, not an uncompressed TAR archive"},
        {archive_write_set_format_zip, NULL,
         "stitch data is a ZIP archive, not an uncompressed TAR archive"},
        {archive_write_set_format_cpio_newc, NULL, "stitch data is not a TAR archive"},
        {archive_write_set_format_v7tar, NULL,
         "stitch data is an old-style (v7) TAR; use ustar, pax or GNU tar"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *p = path_of("container");
        write_archive(p, cases[i].format, cases[i].filter, ents);
        struct ingest_result r;
        struct err e = {0};
        enum rc rc = ingest_file(p, NULL, f.a, NULL, &r, &e);
        if (!cases[i].want && rc != RC_OK)
            fail_msg("case %zu rejected: %s", i, e.msg);
        if (cases[i].want && (rc != RC_INVALID || strcmp(e.msg, cases[i].want) != 0))
            fail_msg("case %zu: got %d \"%s\"", i, rc, e.msg);
    }
    /* Empty data, an empty TAR (only the end blocks), and a TAR cut short. */
    const char *p = path_of("raw");
    FILE *fp = fopen(p, "w");
    fclose(fp);
    struct ingest_result r;
    struct err e = {0};
    int fd = open(p, O_RDONLY);
    struct ingest_limits lim = ingest_default_limits();
    assert_int_equal(ingest_read(fd, 0, &lim, f.a, NULL, NULL, &r, &e), RC_INVALID);
    assert_string_equal(e.msg, "stitch data is empty");
    close(fd);
    fp = fopen(p, "w");
    static const char zeros[1024];
    fwrite(zeros, 1, sizeof zeros, fp);
    fclose(fp);
    assert_int_equal(ingest_file(p, NULL, f.a, NULL, &r, &e), RC_INVALID);
    assert_string_equal(e.msg, "stitch data is an empty TAR archive");
    write_archive(p, archive_write_set_format_ustar, NULL, ents);
    assert_int_equal(truncate(p, 512 + 4096), 0);
    assert_int_equal(ingest_file(p, NULL, f.a, NULL, &r, &e), RC_INVALID);
    if (!strstr(e.msg, "entry \"panos/P1.jpg\" declares"))
        fail_msg("truncated: %s", e.msg);
    /* The recorded size is what counts: a file shorter than it is an I/O failure, not bad data. */
    write_archive(p, archive_write_set_format_ustar, NULL, ents);
    uint64_t full = file_size(p);
    assert_int_equal(truncate(p, 512 + 2048), 0);
    fd = open(p, O_RDONLY);
    assert_int_equal(ingest_read(fd, full, &lim, f.a, NULL, NULL, &r, &e), RC_IO);
    assert_string_equal(e.msg, "stitch data is shorter than its recorded size");
    close(fd);
    fixture_close(&f);
}

/* A JPEG of w x h (grey), malloc'ed. */
static unsigned char *grey_jpeg(unsigned w, unsigned h, size_t *n)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr je;
    unsigned char *out = NULL;
    unsigned long len = 0;
    c.err = jpeg_std_error(&je);
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &out, &len);
    c.image_width = w;
    c.image_height = h;
    c.input_components = 1;
    c.in_color_space = JCS_GRAYSCALE;
    jpeg_set_defaults(&c);
    jpeg_start_compress(&c, TRUE);
    unsigned char *row = calloc(w, 1);
    while (c.next_scanline < h)
        jpeg_write_scanlines(&c, &row, 1);
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    *n = len;
    return out;
}

static void t_panorama_shape(void **state)
{
    (void)state;
    struct fixture f;
    fixture_open(&f, 1);
    const char *m = f.manifest;
    size_t n;
    unsigned char *j = grey_jpeg(600, 400, &n);
    expect("43.tar", (struct ent[]){MF, {"panos/P1.jpg", AE_IFREG, j, n, NULL, 0}, END},
           "panos/P1.jpg is not a usable panorama: it is 600x400, not 2:1 (equirectangular "
           "panoramas are twice as wide as high)");
    free(j);
    j = grey_jpeg(128, 64, &n);
    expect("small.tar", (struct ent[]){MF, {"panos/P1.jpg", AE_IFREG, j, n, NULL, 0}, END},
           "panos/P1.jpg is not a usable panorama: it is 128x64; panoramas must be 256 to 16384 "
           "pixels wide");
    free(j);
    j = grey_jpeg(512, 256, &n); /* greyscale 2:1 is fine */
    expect("grey.tar", (struct ent[]){MF, {"panos/P1.jpg", AE_IFREG, j, n, NULL, 0}, END}, NULL);
    free(j);
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0};
    expect("png.tar", (struct ent[]){MF, {"panos/P1.jpg", AE_IFREG, png, sizeof png, NULL, 0}, END},
           "panos/P1.jpg is not a valid JPEG: Not a JPEG file: starts with 0x89 0x50");
    expect("empty.tar", (struct ent[]){MF, {"panos/P1.jpg", AE_IFREG, "", 0, NULL, 0}, END},
           "panos/P1.jpg is not a valid JPEG: the file is empty");
    fixture_close(&f);
}

static void t_limits(void **state)
{
    (void)state;
    struct sample_options o = sample_defaults();
    struct err e = {0};
    const char *p = path_of("limits.tar");
    assert_int_equal(sample_write(p, &o, NULL, &e), RC_OK);
    struct arena *a = arena_new();
    struct ingest_result r;
    struct ingest_limits lim = ingest_default_limits();
    lim.max_entries = 14;
    assert_int_equal(ingest_file(p, &lim, a, NULL, &r, &e), RC_OK);
    lim.max_entries = 13;
    assert_int_equal(ingest_file(p, &lim, a, NULL, &r, &e), RC_INVALID);
    assert_string_equal(e.msg, "the TAR has more than 13 entries");
    lim = ingest_default_limits();
    lim.max_entry_bytes = 1000;
    assert_int_equal(ingest_file(p, &lim, a, NULL, &r, &e), RC_INVALID);
    assert_non_null(strstr(e.msg, "entry \"manifest.json\" is "));
    assert_non_null(strstr(e.msg, " bytes, more than the limit of 1000 bytes per file"));
    lim = ingest_default_limits();
    lim.max_total_bytes = 200000;
    assert_int_equal(ingest_file(p, &lim, a, NULL, &r, &e), RC_INVALID);
    assert_string_equal(e.msg, "the TAR's files add up to more than the limit of 200000 bytes");
    /* The exact totals pass. */
    assert_int_equal(ingest_file(p, NULL, a, NULL, &r, &e), RC_OK);
    lim = ingest_default_limits();
    lim.max_total_bytes = r.total_bytes;
    assert_int_equal(ingest_file(p, &lim, a, NULL, &r, &e), RC_OK);
    arena_free(a);
}

static void t_manifest_last(void **state)
{
    (void)state;
    struct fixture f;
    fixture_open(&f, 2);
    const char *m = f.manifest;
    unsigned char *j2;
    size_t n2;
    struct err e = {0};
    assert_int_equal(sample_jpeg(1, 2, &j2, &n2, &e), RC_OK);
    const char *p = path_of("last.tar");
    write_archive(p, archive_write_set_format_pax_restricted, NULL,
                  (struct ent[]){P1, {"panos/P2.jpg", AE_IFREG, j2, n2, NULL, 0}, MF, END});
    struct ingest_result r;
    struct calls c = {0};
    assert_int_equal(ingest_file(p, NULL, f.a, &c, &r, &e), RC_OK);
    assert_int_equal(r.passes, 2);
    assert_int_equal(r.npanos, 2);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.files[0], "panos/P1.jpg");
    assert_string_equal(c.files[1], "panos/P2.jpg");
    /* Without a callback one pass is enough. */
    assert_int_equal(ingest_file(p, NULL, f.a, NULL, &r, &e), RC_OK);
    assert_int_equal(r.passes, 1);
    /* Manifest in the middle: P1 needs the second pass, P2 is delivered in the first. */
    write_archive(p, archive_write_set_format_pax_restricted, NULL,
                  (struct ent[]){P1, MF, {"panos/P2.jpg", AE_IFREG, j2, n2, NULL, 0}, END});
    memset(&c, 0, sizeof c);
    assert_int_equal(ingest_file(p, NULL, f.a, &c, &r, &e), RC_OK);
    assert_int_equal(r.passes, 2);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.files[0], "panos/P2.jpg");
    assert_string_equal(c.files[1], "panos/P1.jpg");
    /* A callback's failure stops the read and comes back as it is. */
    memset(&c, 0, sizeof c);
    c.fail_at = 1;
    assert_int_equal(ingest_file(p, NULL, f.a, &c, &r, &e), RC_IO);
    assert_string_equal(e.msg, "callback failed");
    assert_int_equal(c.n, 1);
    /* ... in the second pass too (P1 is delivered there, after P2). */
    memset(&c, 0, sizeof c);
    c.fail_at = 2;
    c.fail_rc = RC_INVALID;
    assert_int_equal(ingest_file(p, NULL, f.a, &c, &r, &e), RC_INVALID);
    assert_string_equal(e.msg, "callback failed");
    assert_int_equal(c.n, 2);
    free(j2);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_valid_sample),     cmocka_unit_test(t_sample_shapes),
        cmocka_unit_test(t_sample_is_deterministic), cmocka_unit_test(t_padding),
        cmocka_unit_test(t_corrupt_kinds),    cmocka_unit_test(t_bad_options),
        cmocka_unit_test(t_entry_rules),      cmocka_unit_test(t_containers),
        cmocka_unit_test(t_panorama_shape),   cmocka_unit_test(t_limits),
        cmocka_unit_test(t_manifest_last),
    };
    return cmocka_run_group_tests_name("ingest", tests, setup, teardown);
}
