/* post.h — one webhook HTTP request: a POST of the event's bytes with the Standard Webhooks
 * headers, over a libcurl handle kept per thread (so connections to a receiver are reused), with
 * the SSRF guard, the timeout, no redirects. Reports the status or the kind of failure, the
 * latency and the first WEBHOOK_BODY_KEEP bytes of the answer as valid UTF-8. */
#ifndef GP_WEBHOOK_POST_H
#define GP_WEBHOOK_POST_H

#include "core/rc.h"
#include "webhooks/retry.h"

#include <stddef.h>
#include <stdint.h>

/* Bytes of the response body kept for the log. */
#define WEBHOOK_BODY_KEEP 4096

struct webhook_request {
    const char *url;
    const char *msg_id;    /* webhook-id */
    int64_t timestamp;     /* webhook-timestamp, Unix seconds */
    const char *signature; /* webhook-signature */
    const char *body;
    size_t body_len;
    int timeout_s;
    int allow_private;
};

struct webhook_response {
    struct webhook_outcome outcome;
    int64_t latency_ms;
    /* The kept body with every invalid UTF-8 sequence (and NUL) as U+FFFD, so up to 3 bytes per
     * byte kept; has_body is 0 when nothing came back. */
    char body[3 * WEBHOOK_BODY_KEEP + 1];
    int has_body;
    char error[300]; /* "" on a 2xx */
};

/* Sends rq on the calling thread's handle and fills out; RC_OK whenever an outcome was reached
 * (a refusal or a timeout included), an error only when the request could not be set up. */
enum rc webhook_post(const struct webhook_request *rq, struct webhook_response *out, struct err *e);

/* Frees the calling thread's handle (threads that end free theirs themselves). */
void webhook_post_thread_release(void);

#endif
