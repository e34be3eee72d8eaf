/* xml.h — the little XML the S3 endpoint speaks: an element writer for responses (the escaping is
 * core/markup.h's), and a bounded parser for the one request body it reads,
 * CompleteMultipartUpload. */
#ifndef GP_S3_XML_H
#define GP_S3_XML_H

#include "core/arena.h"
#include "core/buf.h"
#include "core/rc.h"

#include <stddef.h>

#define S3_XML_MAX_PARTS 10000

/* Appends <tag>text escaped by markup_escape</tag> (NULL text: an empty element); 0 or -1. */
int s3_xml_elem(struct buf *b, const char *tag, const char *text);

struct s3_complete_part {
    int part_number;
    const char *etag;          /* without surrounding quotes */
    const char *checksum_name; /* "ChecksumCRC32", ... or NULL */
    const char *checksum;      /* its value */
};

/* Parses a CompleteMultipartUpload body (entities decoded, any element order, quotes around ETags
 * optional). RC_INVALID (MalformedXML) for anything else, an empty list included. */
enum rc s3_xml_parse_complete(const char *xml, size_t n, struct arena *a,
                              struct s3_complete_part **parts, size_t *nparts, struct err *e);

#endif
