/* api.h — the Portal API as two mounts on the front door (the API and the sign-in pages): the route
 * tables, the dispatch order
 * (route → authenticate → rate limit → scope → body limit, all before the body is read) and the
 * handlers, one file per resource. */
#ifndef GP_API_H
#define GP_API_H

#include "http/http.h"

#include <stddef.h>
#include <stdint.h>

struct ratelimit;
struct s3_config;
struct blob_store;

#define SIGNIN_WINDOW_MS (15LL * 60 * 1000)

struct api_config {
    const char *public_url;        /* base URL for links, no trailing slash */
    int test_clock;                /* expose /_test/clock */
    struct ratelimit *rl;
    struct ratelimit *signin_rl_email;   /* sign-in attempts per email (NULL: unlimited) */
    struct ratelimit *signin_rl_ip;      /* ... and per client address */
    size_t json_body_limit;        /* bytes, for JSON routes */
    struct s3_config *s3;          /* the upload endpoint (its bucket and region, for permits) */
    const char *s3_endpoint;       /* its URL, handed out in upload permits */
    int64_t max_filesize;          /* largest Stitch Data upload a permit allows */
    struct blob_store *blobs;      /* where uploads and deliverables live */
    int64_t stage_ms;              /* pipeline pace (--stage-seconds), for stages the API starts */
    int test_faults;               /* expose /_test/faults */
    int webhook_allow_private;     /* --webhook-allow-private: http:// receivers may register */
};

/* Mounts the Portal API (/api, /_test, /healthz; JSON) and the sign-in pages (/signin,
 * /signout; HTML) on app, in that order; cfg must outlive the server. 0, or -1 when app is full. */
int api_mount(struct api_config *cfg, struct http_app *app);

#endif
