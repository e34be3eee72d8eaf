/* viewer.h — the public side of a view, outside /api/v1: the view page (/{viewId}, /{alias}), the
 * chrome-less embed (/embed/{viewId}), public media (/{viewId}/doc/<name>, /{viewId}/pano/<id>.jpg),
 * the public data API (/{viewId}/data/status, /data/summary, /reso/autofill) and the viewer's own
 * static files (/static/...). One access decision (viewer/access.h) and one lock rule
 * (viewer/expiry.h) govern every route alike (docs/viewer.md). The Portal API's dispatcher hands a
 * request here only after its own routes, /healthz, /_test and the S3 endpoint declined it. */
#ifndef GP_VIEWER_H
#define GP_VIEWER_H

#include "blob/blob.h"
#include "http/http.h"

struct viewer_config {
    const char *public_url;      /* base URL for absolute links (RESO Media), no trailing slash */
    struct blob_store *blobs;    /* where deliverables live */
};

struct viewer_call;

/* The header phase: 1 when the viewer serves r (a GET or HEAD on one of its routes) with *out set
 * (or r->early set when out of memory), 0 when the request is not the viewer's. */
int viewer_on_headers(struct req *r, const struct viewer_config *cfg, struct viewer_call **out);

/* The answer for a request viewer_on_headers claimed. */
struct resp *viewer_on_request(struct req *r, struct viewer_call *vc);

#endif
