/* s3_api.h — the S3-compatible upload endpoint: PutObject, the multipart operations, ListParts,
 * HeadObject and HeadBucket, for the temporary credentials of upload permits. Requests reach it
 * on the main listener when they carry S3 authentication or name the upload bucket (in the path or
 * as a virtual host), or on their own listener (--s3-listen). */
#ifndef GP_S3_API_H
#define GP_S3_API_H

#include "blob/blob.h"
#include "http/http.h"

#include <stddef.h>
#include <stdint.h>

struct s3_config {
    const char *bucket;        /* the one bucket permits point into */
    const char *const *hosts;  /* the endpoint's host names (lower case, no port): a request whose
                                * Host is "<bucket>.<one of them>" is virtual-hosted style */
    size_t n_hosts;
    const char *region;        /* the region clients must sign for */
    struct blob_store *blobs;
    uint64_t max_object;       /* largest object or part, bytes (5 GiB) */
    size_t max_xml;            /* largest CompleteMultipartUpload body */
};

/* Mounts the S3 endpoint on app (claiming what s3_is_request says is S3's); cfg must outlive the
 * server. 0, or -1 when app is full. */
int s3_mount(struct s3_config *cfg, struct http_app *app);

/* 1 when r is meant for the S3 endpoint (SigV4 header or query auth, or the bucket's path, or
 * the bucket's virtual host). */
int s3_is_request(const struct req *r, const struct s3_config *cfg);

/* The header phase: authenticate and authorize, refuse early (before 100 Continue), or set up the
 * body sink. *state receives the call's state, to hand to s3_on_request. */
void s3_on_headers(struct req *r, struct s3_config *cfg, void **state);

/* The whole request is in: verify the body and commit, then answer. */
struct resp *s3_on_request(struct req *r, void *state);

/* Removes multipart uploads whose credentials expired (parts on disk and rows); returns how many. */
int s3_reap_expired(struct s3_config *cfg, int64_t now);

#endif
