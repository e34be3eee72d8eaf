/* fuzz_ingest.c — libFuzzer target for pipeline/ingest: any bytes as the uploaded Stitch TAR, read
 * through a memfd exactly as the ingest stage reads a stored upload (pread on a regular file). The
 * reader must answer RC_OK or RC_INVALID with a message, never RC_IO (the file does not change
 * under it), never crash, leak or read out of bounds; an accepted TAR must have handed every
 * panorama the manifest names to the callback exactly once, as bytes that start a JPEG.
 * Limits are small so a mutated header declaring a large entry is refused quickly.
 * A mutated TAR header almost always fails its checksum, which libarchive checks before our rules
 * see the header; so for inputs whose size is a whole number of 512-byte blocks (what byte
 * changes keep) the checksum of every ustar/GNU header is recomputed first, letting mutated
 * names, types and sizes reach check_header. Other sizes are read as they are.
 * Seeds: `make fuzz-seeds` (part of `make fuzzers`) writes small `guidepost sample-stitch` TARs
 * (valid and each corrupt kind) into build/fuzz/corpus/fuzz_ingest. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "property/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_SEEN 256

struct seen {
    const struct manifest *m;   /* NULL until the read returns: the callback cannot check it */
    size_t n;
    char files[MAX_SEEN][MANIFEST_MAX_PANO_NAME + 16];
};

static enum rc on_pano(void *user, const char *file, const unsigned char *jpeg, size_t n,
                       struct err *e)
{
    (void)e;
    struct seen *s = user;
    if (!file || strncmp(file, "panos/", 6) != 0 || n < 4 || jpeg[0] != 0xff || jpeg[1] != 0xd8)
        abort();
    for (size_t i = 0; i < s->n && i < MAX_SEEN; i++)
        if (strcmp(s->files[i], file) == 0)
            abort(); /* delivered twice */
    if (s->n < MAX_SEEN) {
        if (strlen(file) >= sizeof s->files[0])
            abort();
        strcpy(s->files[s->n], file);
    }
    s->n++;
    return RC_OK;
}

/* The value of an octal (or GNU base-256) numeric header field; -1 when neither. */
static long long tar_number(const uint8_t *f, size_t n)
{
    long long v = 0;
    if (f[0] & 0x80) {
        for (size_t i = 1; i < n; i++) {
            if (v > (1LL << 40))
                return -1;
            v = v << 8 | f[i];
        }
        return v;
    }
    size_t i = 0;
    while (i < n && f[i] == ' ')
        i++;
    for (; i < n && f[i] >= '0' && f[i] <= '7'; i++) {
        if (v > (1LL << 40))
            return -1;
        v = v * 8 + (f[i] - '0');
    }
    return v;
}

/* Recomputes the checksum of each ustar/GNU header found by walking the TAR's blocks. */
static void fix_checksums(uint8_t *p, size_t size)
{
    for (size_t off = 0; off + 512 <= size;) {
        uint8_t *h = p + off;
        if (memcmp(h + 257, "ustar", 5) != 0) {
            off += 512;
            continue;
        }
        unsigned sum = 0;
        memset(h + 148, ' ', 8);
        for (size_t i = 0; i < 512; i++)
            sum += h[i];
        char field[8];
        snprintf(field, sizeof field, "%06o", sum & 0777777);
        memcpy(h + 148, field, 7); /* six digits, NUL, and the space already there */
        long long n = tar_number(h + 124, 12);
        off += 512;
        if (n > 0 && (unsigned long long)n < size)
            off += ((size_t)n + 511) / 512 * 512;
    }
}

/* Writes data as the whole content of the memfd (created once, reused). -1 on failure. */
static int as_file(const uint8_t *data, size_t size)
{
    static int fd = -1;
    if (fd < 0 && (fd = memfd_create("fuzz-ingest", MFD_CLOEXEC)) < 0)
        return -1;
    if (ftruncate(fd, 0) != 0)
        return -1;
    for (size_t off = 0; off < size;) {
        ssize_t k = pwrite(fd, data + off, size - off, (off_t)off);
        if (k <= 0)
            return -1;
        off += (size_t)k;
    }
    return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = NULL;
    if (size && size % 512 == 0) {
        if (!(copy = malloc(size)))
            return 0;
        memcpy(copy, data, size);
        fix_checksums(copy, size);
        data = copy;
    }
    int fd = as_file(data, size);
    free(copy);
    if (fd < 0)
        abort();
    struct arena *a = arena_new();
    if (!a)
        return 0;
    const struct ingest_limits lim = {
        .max_entries = 64,
        .max_entry_bytes = 1u << 20,
        .max_total_bytes = 4u << 20,
    };
    struct seen s = {0};
    struct ingest_result res;
    struct err e = {0};
    enum rc rc = ingest_read(fd, size, &lim, a, on_pano, &s, &res, &e);
    if (rc != RC_OK && rc != RC_INVALID && rc != RC_NOMEM)
        abort();
    if (rc == RC_INVALID && !e.msg[0])
        abort();
    if (rc == RC_OK) {
        if (!res.manifest_json || strlen(res.manifest_json) != res.manifest_len ||
            res.npanos != s.n || res.nentries < 1 || res.nentries > lim.max_entries ||
            res.total_bytes > size || res.total_bytes > lim.max_total_bytes ||
            (res.passes != 1 && res.passes != 2))
            abort();
        /* Every panorama the manifest names was delivered (and nothing else). */
        size_t named = 0;
        const struct manifest *m = &res.manifest;
        for (size_t b = 0; b < m->nbuildings; b++)
            for (size_t l = 0; l < m->buildings[b].nlevels; l++)
                for (size_t i = 0; i < m->buildings[b].levels[l].npanos; i++) {
                    const char *f = m->buildings[b].levels[l].panos[i].file;
                    int hit = 0;
                    for (size_t k = 0; k < s.n && k < MAX_SEEN; k++)
                        hit |= strcmp(s.files[k], f) == 0;
                    if (!hit && s.n <= MAX_SEEN)
                        abort();
                    named++;
                }
        if (named != res.npanos)
            abort();
    }
    arena_free(a);
    return 0;
}
