/* mount.c — the S3 endpoint on the front door. It is mounted first and claims by predicate, not by
 * prefix: a SigV4 signature (header or query) or the bucket's path, whatever else the path says. */
#include "s3/s3_api.h"

static int on_headers(struct req *r, void *ctx)
{
    struct s3_config *cfg = ctx;
    if (!s3_is_request(r, cfg))
        return 0;
    /* Without state (out of memory) r->early is set and on_request is not called. */
    s3_on_headers(r, cfg, &r->app_state);
    return 1;
}

static struct resp *on_request(struct req *r, void *ctx)
{
    (void)ctx;
    return s3_on_request(r, r->app_state);
}

int s3_mount(struct s3_config *cfg, struct http_app *app)
{
    struct http_mount m = {"s3", NULL, on_headers, on_request, cfg};
    return http_mount_add(app, &m);
}
