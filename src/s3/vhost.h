/* vhost.h — virtual-hosted-style addressing (../spec/s3-compat.md §2.1): which bucket a Host
 * header names as "<bucket>.<endpoint host>", and how the SDKs that prefer virtual hosts address
 * a bucket with their default settings, so that `serve --s3-bucket` can refuse a name they would
 * send somewhere that does not reach the server. */
#ifndef GP_S3_VHOST_H
#define GP_S3_VHOST_H

#include <stddef.h>

#define S3_HOST_MAX 256 /* longest host name kept, with its NUL */

/* The bucket a Host header value names in virtual-hosted style: host (any case, its ":port"
 * ignored) equals "<bucket>.<E>" for one of the n endpoint hosts ends[] (lower case, no port) and
 * none of them exactly. The bucket is written lower-cased to out (cap bytes with the NUL); its
 * length is returned, or 0 for a path-style request (no such host, an empty or oversized label, a
 * bucket that does not fit out, bytes that cannot be in a host name). */
size_t s3_vhost_bucket(const char *host, const char *const *ends, size_t n, char *out, size_t cap);

/* How a default SDK addresses a bucket on an endpoint. */
enum s3_addressing {
    S3_ADDR_PATH,    /* <endpoint>/<bucket>/<key> */
    S3_ADDR_VIRTUAL, /* <scheme>://<bucket>.<host>[:port]/<key> */
    S3_ADDR_BROKEN   /* "<bucket>.<IP address>": the SDK cannot build the URL and fails */
};

/* What the AWS SDKs for JavaScript v3 and Go v2 (the S3 endpoint rule set, forcePathStyle /
 * UsePathStyle unset) send for bucket on an endpoint of this scheme (https: 1) and host (lower
 * case, no port, an IPv6 address in brackets). The AWS CLI and boto3 always use path style when an
 * endpoint URL is set. Measured with @aws-sdk/client-s3 3.1175 (tests/e2e/uploads_addressing.t). */
enum s3_addressing s3_sdk_addressing(const char *bucket, int https, const char *host);

/* The host of an http:// or https:// URL, lower-cased, without userinfo and port, into out (cap
 * bytes with the NUL); *https says which scheme. 0, or -1 when url is not such a URL or the host
 * is empty or does not fit. */
int s3_url_host(const char *url, char *out, size_t cap, int *https);

#endif
