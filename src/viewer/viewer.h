/* viewer.h — the public side of a view, outside /api/v1: the view page (/{viewId}, /{alias}), the
 * chrome-less embed (/embed/{viewId}), public media (/{viewId}/doc/<name>, /{viewId}/pano/<id>.jpg),
 * the public data API (/{viewId}/data/status, /data/summary, /reso/autofill) and the viewer's own
 * static files (/static/...). One access decision (viewer/access.h) and one lock rule
 * (viewer/expiry.h) govern every route alike (docs/viewer.md). Mounted last on the front door: it
 * sees only what the S3 endpoint, the Portal API and the sign-in pages did not claim. */
#ifndef GP_VIEWER_H
#define GP_VIEWER_H

#include "blob/blob.h"
#include "http/http.h"

struct viewer_config {
    const char *public_url;      /* base URL for absolute links (RESO Media), no trailing slash */
    struct blob_store *blobs;    /* where deliverables live */
};

/* Mounts the viewer on app: it claims GET and HEAD on its routes and declines everything else;
 * cfg must outlive the server. 0, or -1 when app is full. */
int viewer_mount(struct viewer_config *cfg, struct http_app *app);

#endif
