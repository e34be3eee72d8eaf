/* media.c — the public media URLs: /{viewId}/doc/<deliverable name> (also under the alias, as in
 * /{alias}/doc/floorplan_metric_en.pdf) and /{viewId}/pano/<id>.jpg (the deliverable
 * pano_<id>.jpg). A locked view's media redirect (302) to the fallback image /static/locked.svg;
 * before processing is done there is nothing to serve (404). */
#include "viewer/viewer_int.h"

#include "blob/blob.h"

#include <stdio.h>
#include <string.h>

#define LOCKED_IMAGE "/static/locked.svg"

static struct resp *serve(struct viewer_call *c, const char *name)
{
    struct resp *p = viewer_gate(c, viewer_param(c, "key"));
    if (p)
        return p;
    if (c->locked)
        return viewer_redirect(c, LOCKED_IMAGE);
    struct err e = {0};
    struct deliverable_row d;
    if (!c->ready || !blob_name_valid(name)) {
        err_set(&e, RC_NOTFOUND, "no such file");
        return viewer_fail(c, &e);
    }
    if (store_deliverable_get(c->s, c->g.id, name, c->r->arena, &d, &e) != RC_OK)
        return viewer_fail(c, &e);
    store_rollback(c->s);
    char etag[80];
    snprintf(etag, sizeof etag, "\"%s\"", d.sha256);
    const char *inm = http_header(c->r, "If-None-Match");
    if (inm && strcmp(inm, etag) == 0) {
        p = resp_new(c->r, 304);
        if (p) {
            resp_add_header(c->r, p, "ETag", etag);
            viewer_headers(c, p, 0);
        }
        return p;
    }
    int fd = blob_open_read(c->cfg->blobs, d.blob_name, &e);
    if (fd < 0)
        return viewer_fail(c, &e);
    p = resp_new(c->r, 200);
    if (!p || resp_set_file(c->r, p, d.content_type, fd, 0, (uint64_t)d.size))
        return resp_new(c->r, 503);
    resp_add_header(c->r, p, "ETag", etag);
    char cd[200];
    snprintf(cd, sizeof cd, "inline; filename=\"%s\"", d.name);
    resp_add_header(c->r, p, "Content-Disposition", cd);
    viewer_headers(c, p, 0);
    /* An SVG opened on its own is a document: it gets no scripts, and only its own styles. */
    resp_add_header(c->r, p, "Content-Security-Policy",
                    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
                    "frame-ancestors *; sandbox");
    return p;
}

struct resp *vh_doc(struct viewer_call *c)
{
    return serve(c, viewer_param(c, "name"));
}

struct resp *vh_pano(struct viewer_call *c)
{
    const char *file = viewer_param(c, "file");
    size_t n = strlen(file);
    char name[160];
    if (n <= 4 || strcmp(file + n - 4, ".jpg") != 0 || n + 5 >= sizeof name) {
        struct resp *p = viewer_gate(c, viewer_param(c, "key"));
        if (p)
            return p;
        struct err e = {0};
        err_set(&e, RC_NOTFOUND, "no such panorama");
        return viewer_fail(c, &e);
    }
    snprintf(name, sizeof name, "pano_%s", file);
    return serve(c, name);
}
