/* deliverables.c — GET /api/v1/iguides/{id}/deliverables and /download/{name}: the files processing
 * produced (floor plans, measurements, CAD), streamed from the blob store with ETag (the SHA-256),
 * If-None-Match and single byte ranges. */
#include "api/api_int.h"

#include "blob/blob.h"
#include "core/ids.h"
#include "json/jsonx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct resp *h_deliverable_list(struct api_call *c)
{
    API_LIST_QUERY(c, NULL);
    struct err e = {0};
    const char *gid = api_param(c, "iguideId");
    struct iguide_row g;
    struct deliverable_row *rows;
    size_t n;
    if (!id_valid(ID_IGUIDE, gid))
        return reply_error(c->r, RC_NOTFOUND, "iGUIDE not found");
    if (store_iguide_get(c->s, gid, c->r->arena, &g, &e) != RC_OK ||
        store_deliverable_list(c->s, gid, c->r->arena, &rows, &n, &e) != RC_OK)
        return reply_err(c->r, &e);
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        char url[512];
        snprintf(url, sizeof url, "%s/api/v1/iguides/%s/download/%s", c->cfg->public_url, gid,
                 rows[i].name);
        json_array_append_new(
            arr, json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:o}", "name", rows[i].name,
                           "format", rows[i].format, "contentType", rows[i].content_type, "size",
                           (json_int_t)rows[i].size, "sha256", rows[i].sha256, "workOrderId",
                           rows[i].work_order_id, "url", url, "createdAt",
                           jsonx_time(rows[i].created_at)));
    }
    return reply_json(c->r, 200, json_pack("{s:o}", "deliverables", arr));
}

/* Parses "bytes=a-b", "bytes=a-" or "bytes=-n" against size. 1 with [*from, *to] set, 0 when
 * the header should be ignored (not a single byte range), -1 when unsatisfiable. */
static int parse_range(const char *h, int64_t size, int64_t *from, int64_t *to)
{
    if (strncmp(h, "bytes=", 6) != 0 || strchr(h, ','))
        return 0;
    const char *p = h + 6, *dash = strchr(p, '-');
    if (!dash)
        return 0;
    char *end;
    if (dash == p) {   /* suffix: the last n bytes */
        long long n = strtoll(dash + 1, &end, 10);
        if (*end || n <= 0)
            return n == 0 && !*end ? -1 : 0;
        *from = n >= size ? 0 : size - n;
        *to = size - 1;
        return size > 0 ? 1 : -1;
    }
    long long a = strtoll(p, &end, 10);
    if (end != dash || a < 0)
        return 0;
    long long b = size - 1;
    if (dash[1]) {
        b = strtoll(dash + 1, &end, 10);
        if (*end || b < a)
            return 0;
    }
    if (a >= size)
        return -1;
    *from = a;
    *to = b >= size ? size - 1 : b;
    return 1;
}

struct resp *h_deliverable_download(struct api_call *c)
{
    struct err e = {0};
    const char *gid = api_param(c, "iguideId"), *name = api_param(c, "name");
    struct deliverable_row d;
    if (!id_valid(ID_IGUIDE, gid))
        return reply_error(c->r, RC_NOTFOUND, "iGUIDE not found");
    if (store_deliverable_get(c->s, gid, name, c->r->arena, &d, &e) != RC_OK)
        return reply_err(c->r, &e);
    char etag[80];
    snprintf(etag, sizeof etag, "\"%s\"", d.sha256);
    const char *inm = http_header(c->r, "If-None-Match");
    if (inm && (strcmp(inm, etag) == 0 || strcmp(inm, "*") == 0)) {
        struct resp *p = resp_new(c->r, 304);
        if (p)
            resp_add_header(c->r, p, "ETag", etag);
        return p;
    }
    int64_t from = 0, to = d.size - 1;
    int ranged = 0;
    const char *range = http_header(c->r, "Range");
    const char *if_range = http_header(c->r, "If-Range");
    if (range && (!if_range || strcmp(if_range, etag) == 0)) {
        ranged = parse_range(range, d.size, &from, &to);
        if (ranged < 0) {
            struct resp *p = reply_error(c->r, RC_INVALID, "the requested range is not satisfiable");
            if (p) {
                char cr[64];
                snprintf(cr, sizeof cr, "bytes */%lld", (long long)d.size);
                p->status = 416;
                resp_add_header(c->r, p, "Content-Range", cr);
            }
            return p;
        }
    }
    int fd = blob_open_read(c->cfg->blobs, d.blob_name, &e);
    if (fd < 0)
        return reply_err(c->r, &e);
    struct resp *p = resp_new(c->r, ranged > 0 ? 206 : 200);
    if (!p || resp_set_file(c->r, p, d.content_type, fd, (uint64_t)from,
                            d.size ? (uint64_t)(to - from + 1) : 0))
        return reply_error(c->r, RC_NOMEM, "out of memory");
    char v[160];
    resp_add_header(c->r, p, "ETag", etag);
    resp_add_header(c->r, p, "Accept-Ranges", "bytes");
    snprintf(v, sizeof v, "attachment; filename=\"%s\"", d.name);
    resp_add_header(c->r, p, "Content-Disposition", v);
    if (ranged > 0) {
        snprintf(v, sizeof v, "bytes %lld-%lld/%lld", (long long)from, (long long)to,
                 (long long)d.size);
        resp_add_header(c->r, p, "Content-Range", v);
    }
    return p;
}
