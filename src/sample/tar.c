/* tar.c — the sample Stitch TAR: the manifest, the panoramas and optional padding written with
 * libarchive in a reproducible order and time, or one of the invalid kinds the ingest stage must
 * reject (docs/stitch-format.md). */
#include "sample/sample_int.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* --- the TAR ------------------------------------------------------------------------------ */

struct sink {
    int fd;
    uint64_t written;
    int drop;      /* swallow libarchive's end-of-archive blocks (the bomb has none) */
    int failed;
};

static int write_all(struct sink *k, const void *p, size_t n)
{
    const unsigned char *b = p;
    while (n) {
        ssize_t w = write(k->fd, b, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            k->failed = errno ? errno : EIO;
            return -1;
        }
        b += w;
        n -= (size_t)w;
        k->written += (uint64_t)w;
    }
    return 0;
}

static la_ssize_t sink_write(struct archive *ar, void *user, const void *p, size_t n)
{
    struct sink *k = user;
    if (k->drop)
        return (la_ssize_t)n;
    if (write_all(k, p, n) != 0) {
        archive_set_error(ar, k->failed, "write failed");
        return -1;
    }
    return (la_ssize_t)n;
}

static enum rc tar_fail(struct archive *ar, struct sink *k, struct err *e)
{
    if (k->failed)
        return err_set(e, RC_IO, "cannot write the sample: %s", strerror(k->failed));
    const char *m = archive_error_string(ar);
    return err_set(e, RC_IO, "cannot write the sample: %s", m ? m : "archive error");
}

/* Adds one entry: a file (data, n), a directory (type AE_IFDIR) or a symlink (target). */
static enum rc add(struct archive *ar, struct sink *k, const char *name, int type,
                   const void *data, size_t n, const char *target, struct err *e)
{
    struct archive_entry *ent = archive_entry_new();
    if (!ent)
        return err_set(e, RC_NOMEM, "out of memory");
    archive_entry_set_pathname(ent, name);
    archive_entry_set_filetype(ent, (unsigned)type);
    archive_entry_set_perm(ent, type == AE_IFDIR ? 0755 : 0644);
    archive_entry_set_mtime(ent, MTIME, 0);
    archive_entry_set_uname(ent, "guidepost");
    archive_entry_set_gname(ent, "guidepost");
    archive_entry_set_size(ent, type == AE_IFREG ? (la_int64_t)n : 0);
    if (target)
        archive_entry_set_symlink(ent, target);
    int st = archive_write_header(ar, ent);
    archive_entry_free(ent);
    if (st != ARCHIVE_OK)
        return tar_fail(ar, k, e);
    if (type == AE_IFREG && n && archive_write_data(ar, data, n) != (la_ssize_t)n)
        return tar_fail(ar, k, e);
    if (archive_write_finish_entry(ar) != ARCHIVE_OK)
        return tar_fail(ar, k, e);
    return RC_OK;
}

/* Padding entries under extra/ until the file (with its two end blocks) reaches pad_to. */
static enum rc pad(struct archive *ar, struct sink *k, uint64_t pad_to, size_t *entries,
                   struct err *e)
{
    static const unsigned char zeros[64 << 10];
    int i = 0;
    while (k->written + 1024 < pad_to) {
        uint64_t need = pad_to - k->written - 1024;
        uint64_t n = need > 512 ? need - 512 : 0;
        if (n > SAMPLE_PAD_CHUNK)
            n = SAMPLE_PAD_CHUNK;
        char name[40];
        snprintf(name, sizeof name, "extra/padding-%04d.bin", ++i);
        struct archive_entry *ent = archive_entry_new();
        if (!ent)
            return err_set(e, RC_NOMEM, "out of memory");
        archive_entry_set_pathname(ent, name);
        archive_entry_set_filetype(ent, AE_IFREG);
        archive_entry_set_perm(ent, 0644);
        archive_entry_set_mtime(ent, MTIME, 0);
        archive_entry_set_size(ent, (la_int64_t)n);
        int st = archive_write_header(ar, ent);
        archive_entry_free(ent);
        if (st != ARCHIVE_OK)
            return tar_fail(ar, k, e);
        for (uint64_t left = n; left;) {
            size_t c = left < sizeof zeros ? (size_t)left : sizeof zeros;
            if (archive_write_data(ar, zeros, c) != (la_ssize_t)c)
                return tar_fail(ar, k, e);
            left -= c;
        }
        if (archive_write_finish_entry(ar) != ARCHIVE_OK)
            return tar_fail(ar, k, e);
        ++*entries;
    }
    return RC_OK;
}

/* A ustar header by hand: libarchive will not write a header whose data never follows. */
static void ustar_header(unsigned char h[512], const char *name, unsigned long long size)
{
    memset(h, 0, 512);
    snprintf((char *)h, 100, "%s", name);
    snprintf((char *)h + 100, 8, "%07o", 0644);
    snprintf((char *)h + 108, 8, "%07o", 0);
    snprintf((char *)h + 116, 8, "%07o", 0);
    snprintf((char *)h + 124, 12, "%011llo", size);
    snprintf((char *)h + 136, 12, "%011llo", (unsigned long long)MTIME);
    h[156] = '0';
    memcpy(h + 257, "ustar\0" "00", 8);
    memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++)
        sum += h[i];
    snprintf((char *)h + 148, 8, "%06o", sum);
    h[155] = ' ';
}

static enum rc write_not_tar(struct sink *k, const struct sample_options *o, struct err *e)
{
    uint64_t s = o->seed, total = o->pad_to > 4096 ? o->pad_to : 4096;
    static const char head[] = "Guidepost sample: this file is deliberately not a TAR archive.\n";
    if (write_all(k, head, sizeof head - 1) != 0)
        return err_set(e, RC_IO, "cannot write the sample: %s", strerror(k->failed));
    unsigned char buf[4096];
    while (k->written < total) {
        for (size_t i = 0; i < sizeof buf; i += 8) {
            uint64_t v = sample_next(&s);
            memcpy(buf + i, &v, 8);
        }
        size_t n = total - k->written < sizeof buf ? (size_t)(total - k->written) : sizeof buf;
        if (write_all(k, buf, n) != 0)
            return err_set(e, RC_IO, "cannot write the sample: %s", strerror(k->failed));
    }
    return RC_OK;
}

static enum rc write_tar(struct sink *k, const struct sample_options *o, struct sample_stats *st,
                         struct arena *a, struct err *e)
{
    char *json;
    size_t jn;
    enum rc rc = sample_manifest(o, a, &json, &jn, e);
    if (rc != RC_OK)
        return rc;
    struct archive *ar = archive_write_new();
    if (!ar)
        return err_set(e, RC_NOMEM, "out of memory");
    if (archive_write_set_format_pax_restricted(ar) != ARCHIVE_OK ||
        archive_write_set_bytes_per_block(ar, 0) != ARCHIVE_OK ||
        archive_write_open(ar, k, NULL, sink_write, NULL) != ARCHIVE_OK) {
        rc = tar_fail(ar, k, e);
        archive_write_free(ar);
        return rc;
    }
    size_t entries = 0;
    if (o->kind == SAMPLE_TRAVERSAL) {
        static const char t[] = "written outside the archive's folder by a careless extractor\n";
        rc = add(ar, k, "../outside.txt", AE_IFREG, t, sizeof t - 1, NULL, e);
        entries++;
    }
    if (rc == RC_OK && o->kind != SAMPLE_NO_MANIFEST) {
        rc = add(ar, k, "manifest.json", AE_IFREG, json, jn, NULL, e);
        entries++;
    }
    if (rc == RC_OK) {
        rc = add(ar, k, "panos/", AE_IFDIR, NULL, 0, NULL, e);
        entries++;
    }
    if (rc == RC_OK && o->kind == SAMPLE_LINK) {
        rc = add(ar, k, "panos/link.jpg", AE_IFLNK, NULL, 0, "/etc/passwd", e);
        entries++;
    }
    int total = o->panos * o->levels;
    for (int i = 1; i <= total && rc == RC_OK; i++) {
        unsigned char *jpg;
        size_t n;
        if ((rc = sample_jpeg(o->seed, i, &jpg, &n, e)) != RC_OK)
            break;
        if (o->kind == SAMPLE_BAD_JPEG && i == 1)
            n /= 2;
        char name[32];
        snprintf(name, sizeof name, "panos/P%d.jpg", i);
        rc = add(ar, k, name, AE_IFREG, jpg, n, NULL, e);
        free(jpg);
        entries++;
    }
    if (rc == RC_OK)
        rc = pad(ar, k, o->pad_to, &entries, e);
    if (rc == RC_OK && o->kind == SAMPLE_BOMB)
        k->drop = 1;
    if (rc == RC_OK && archive_write_close(ar) != ARCHIVE_OK)
        rc = tar_fail(ar, k, e);
    archive_write_free(ar);
    if (rc == RC_OK && o->kind == SAMPLE_BOMB) {
        /* A header promising 8 GiB, a little data, no end: what a bomb or a cut-off upload is. */
        unsigned char h[512], body[4096];
        ustar_header(h, "panos/bomb.jpg", BOMB_SIZE);
        memset(body, 0xa5, sizeof body);
        k->drop = 0;
        if (write_all(k, h, sizeof h) != 0 || write_all(k, body, sizeof body) != 0)
            return err_set(e, RC_IO, "cannot write the sample: %s", strerror(k->failed));
        entries++;
    }
    st->entries = entries;
    return rc;
}

enum rc sample_write(const char *path, const struct sample_options *o, struct sample_stats *stats,
                     struct err *e)
{
    enum rc rc = sample_check_options(o, e);
    if (rc != RC_OK)
        return rc;
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    struct arena *a = arena_new();
    if (!tmp || !a) {
        free(tmp);
        arena_free(a);
        return err_set(e, RC_NOMEM, "out of memory");
    }
    snprintf(tmp, plen + 16, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        rc = err_set(e, RC_IO, "cannot create %s: %s", path, strerror(errno));
        free(tmp);
        arena_free(a);
        return rc;
    }
    struct sink k = {.fd = fd};
    struct sample_stats st = {0};
    rc = o->kind == SAMPLE_NOT_TAR ? write_not_tar(&k, o, e) : write_tar(&k, o, &st, a, e);
    if (rc == RC_OK && fchmod(fd, 0644) != 0)
        rc = err_set(e, RC_IO, "cannot write %s: %s", path, strerror(errno));
    if (close(fd) != 0 && rc == RC_OK)
        rc = err_set(e, RC_IO, "cannot write %s: %s", path, strerror(errno));
    if (rc == RC_OK && rename(tmp, path) != 0)
        rc = err_set(e, RC_IO, "cannot write %s: %s", path, strerror(errno));
    if (rc != RC_OK)
        unlink(tmp);
    free(tmp);
    arena_free(a);
    if (rc == RC_OK && stats) {
        st.bytes = k.written;
        st.levels = (size_t)o->levels;
        st.rooms = (size_t)o->levels * (size_t)o->rooms;
        st.panos = (size_t)o->levels * (size_t)o->panos;
        *stats = st;
    }
    return rc;
}
