/* fuzz_xml.c — libFuzzer target for s3/xml: any bytes as a CompleteMultipartUpload body. libFuzzer
 * hands the input in a heap buffer of exactly its size, as the S3 endpoint hands the parser the
 * body it received (not NUL-terminated), so any read past the length is an ASan report.
 * An accepted body must hold what the parser promises (1 to 10000 parts, part numbers 1 to
 * 10000, every part with an ETag), and what the response writer (s3_xml_elem) makes of the
 * parsed values must parse back to the same values: the escaper and the entity decoder agree.
 * Seeds: tests/fuzz/seeds/fuzz_xml (bodies as botocore, JS v3 and ceph s3-tests send them);
 * dictionary: tests/fuzz/fuzz_xml.dict. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s3/xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The parser trims blanks and one pair of quotes around ETags and checksums, so only values
 * without them (and without a NUL, which ends the C string early) survive a round trip as is. */
static int round_trips(const char *s)
{
    size_t n = strlen(s);
    if (!n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return 0;
    return !strchr(" \t\r\n\"", s[0]) && !strchr(" \t\r\n\"", s[n - 1]);
}

/* A checksum element's name is written back as a tag; a name with a ':' or other punctuation in
 * it would be read back differently (the part before a ':' is dropped as a namespace prefix). */
static int plain_name(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
            return 0;
    return 1;
}

static int keep(const struct s3_complete_part *p)
{
    return round_trips(p->etag) &&
           (!p->checksum_name || (round_trips(p->checksum) && plain_name(p->checksum_name)));
}

static void check_round_trip(const struct s3_complete_part *parts, size_t n)
{
    struct arena *a = arena_new();
    struct buf b;
    buf_init(&b, 1 << 22);
    if (!a)
        abort();
    if (buf_puts(&b, "<?xml version=\"1.0\"?>\n<CompleteMultipartUpload xmlns=\"x\">"))
        abort();
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        const struct s3_complete_part *p = &parts[i];
        if (!keep(p))
            continue;
        char num[16];
        snprintf(num, sizeof num, "%d", p->part_number);
        if (buf_puts(&b, "<Part>") || s3_xml_elem(&b, "PartNumber", num) ||
            s3_xml_elem(&b, "ETag", p->etag) ||
            (p->checksum_name && s3_xml_elem(&b, p->checksum_name, p->checksum)) ||
            buf_puts(&b, "</Part>"))
            abort();
        kept++;
    }
    if (buf_puts(&b, "</CompleteMultipartUpload>"))
        abort();
    struct s3_complete_part *back;
    size_t nback;
    struct err e = {0};
    enum rc rc = s3_xml_parse_complete(b.p, b.len, a, &back, &nback, &e);
    if (kept == 0 ? rc != RC_INVALID : rc != RC_OK || nback != kept)
        abort();
    for (size_t i = 0, j = 0; i < n && j < kept; i++) {
        const struct s3_complete_part *p = &parts[i];
        if (!keep(p))
            continue;
        if (back[j].part_number != p->part_number || strcmp(back[j].etag, p->etag) != 0 ||
            !back[j].checksum_name != !p->checksum_name ||
            (p->checksum_name && (strcmp(back[j].checksum_name, p->checksum_name) != 0 ||
                                  strcmp(back[j].checksum, p->checksum) != 0)))
            abort();
        j++;
    }
    buf_free(&b);
    arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new();
    if (!a)
        abort();
    struct s3_complete_part *parts = NULL;
    size_t n = 0;
    struct err e = {0};
    enum rc rc = s3_xml_parse_complete((const char *)data, size, a, &parts, &n, &e);
    if (rc == RC_OK) {
        if (!parts || n < 1 || n > S3_XML_MAX_PARTS)
            abort();
        for (size_t i = 0; i < n; i++)
            if (parts[i].part_number < 1 || parts[i].part_number > 10000 || !parts[i].etag ||
                !parts[i].checksum_name != !parts[i].checksum)
                abort();
        check_round_trip(parts, n);
    } else if (rc != RC_INVALID || !e.msg[0]) {
        abort();
    }
    arena_free(a);
    return 0;
}
