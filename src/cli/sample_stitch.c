/* sample_stitch.c — `guidepost sample-stitch --out FILE ...`: writes a sample Stitch TAR
 * (docs/stitch-format.md), valid or one of the invalid kinds, and prints a JSON summary. */
#include "cli/cli.h"

#include "cli/opts.h"
#include "sample/sample.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAD_MAX ((uint64_t)64 << 30)

/* BYTES with an optional K, M or G suffix (powers of 1024); -1 when malformed or over PAD_MAX. */
static int parse_bytes(const char *s, uint64_t *out)
{
    char *end;
    if (!s || *s < '0' || *s > '9')
        return -1;
    unsigned long long n = strtoull(s, &end, 10);
    uint64_t mul = 1;
    if (*end == 'K' || *end == 'k')
        mul = 1024, end++;
    else if (*end == 'M' || *end == 'm')
        mul = 1024 * 1024, end++;
    else if (*end == 'G' || *end == 'g')
        mul = 1024 * 1024 * 1024, end++;
    if (*end || n > PAD_MAX / mul)
        return -1;
    *out = n * mul;
    return 0;
}

int cli_sample_stitch(int argc, char **argv)
{
    const char *usage = "guidepost sample-stitch --out FILE [--levels N] [--rooms N] [--panos N] "
                        "[--pad-to BYTES] [--corrupt KIND] [--seed N]";
    struct opt opts[] = {
        {"out", 0, NULL, "the TAR file to write (replaced if it exists)", NULL},
        {"levels", 0, "2", "levels, 1-16; the lowest is a basement when there are 2 or more", NULL},
        {"rooms", 0, "6", "rooms per level, 1-60", NULL},
        {"panos", 0, "6", "panoramas per level, 0-120", NULL},
        {"pad-to", 0, NULL, "make the file at least this big (K, M, G suffixes; up to 64G)", NULL},
        {"corrupt", 0, NULL,
         "write an invalid kind: not-tar, no-manifest, bad-json, bad-jpeg, traversal, link, "
         "open-polygon, bomb",
         NULL},
        {"seed", 0, "1", "the same seed writes the same bytes", NULL},
        {NULL, 0, NULL, NULL, NULL},
    };
    int prc = opts_parse(opts, argc, argv, NULL, 0, usage);
    if (prc)
        return opts_exit_code(prc);
    struct sample_options o = sample_defaults();
    int64_t levels, rooms, panos, seed;
    const char *out = opt_get(opts, "out"), *pad = opt_get(opts, "pad-to"),
               *corrupt = opt_get(opts, "corrupt");
    if (!out || !*out) {
        fprintf(stderr, "guidepost: --out FILE is required\n");
        opts_usage(opts, usage);
        return 2;
    }
    if (opt_int(opts, "levels", 1, SAMPLE_MAX_LEVELS, &levels) ||
        opt_int(opts, "rooms", 1, SAMPLE_MAX_ROOMS, &rooms) ||
        opt_int(opts, "panos", 0, SAMPLE_MAX_PANOS, &panos) ||
        opt_int(opts, "seed", 0, INT64_MAX, &seed))
        return 2;
    if (pad && parse_bytes(pad, &o.pad_to) != 0) {
        fprintf(stderr, "guidepost: --pad-to must be a byte count up to 64G, such as 1048576 or "
                        "200M (got \"%s\")\n", pad);
        return 2;
    }
    if (corrupt && sample_kind_parse(corrupt, &o.kind) != 0) {
        fprintf(stderr, "guidepost: --corrupt must be one of not-tar, no-manifest, bad-json, "
                        "bad-jpeg, traversal, link, open-polygon, bomb (got \"%s\")\n", corrupt);
        return 2;
    }
    o.levels = (int)levels;
    o.rooms = (int)rooms;
    o.panos = (int)panos;
    o.seed = (uint64_t)seed;
    struct sample_stats st;
    struct err e = {0};
    if (sample_write(out, &o, &st, &e) != RC_OK) {
        fprintf(stderr, "guidepost: %s\n", e.msg);
        return e.rc == RC_INVALID ? 2 : 1;
    }
    json_t *j = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "file", out, "kind",
                          sample_kind_name(o.kind), "bytes", (json_int_t)st.bytes, "entries",
                          (json_int_t)st.entries, "levels", (json_int_t)st.levels, "rooms",
                          (json_int_t)st.rooms, "panoramas", (json_int_t)st.panos, "seed",
                          (json_int_t)o.seed);
    char *s = j ? json_dumps(j, JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    if (!s)
        return 1;
    printf("%s\n", s);
    free(s);
    return 0;
}
