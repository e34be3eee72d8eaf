/* s3_reply.c — answers in S3's shapes: the XML error document with its code, an XML result, an
 * empty answer; internal errors are logged with the request id and never detailed to the client. */
#include "s3/s3_api.h"
#include "s3/s3_int.h"

#include "core/base64.h"
#include "core/bgfeed.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/markup.h"
#include "s3/checksum.h"
#include "s3/chunked.h"
#include "s3/creds.h"
#include "s3/sigv4.h"
#include "s3/xml.h"
#include "store/store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- responses ---- */

struct resp *s3_reply_error(struct req *r, int status, const char *code, const char *msg)
{
    struct resp *p = resp_new(r, status);
    if (!p)
        return NULL;
    resp_add_header(r, p, "x-amz-request-id", r->request_id);
    if (strcmp(r->method, "HEAD") == 0)
        return p; /* HEAD answers carry no body */
    struct buf b;
    buf_init(&b, 8192);
    int bad = buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>") ||
              s3_xml_elem(&b, "Code", code) || s3_xml_elem(&b, "Message", msg) ||
              s3_xml_elem(&b, "Resource", r->path) || s3_xml_elem(&b, "RequestId", r->request_id) ||
              buf_puts(&b, "</Error>");
    if (bad || resp_set_body(r, p, "application/xml", b.p, b.len))
        p = NULL;
    buf_free(&b);
    /* A refusal before the body (or in the middle of it) ends the connection: the client may
     * not have sent the body it announced. */
    if (p)
        resp_add_header(r, p, "Connection", "close");
    return p;
}

struct resp *s3_reply_sig(struct req *r, enum s3_sig_code code, const char *msg)
{
    return s3_reply_error(r, s3_sig_code_status(code), s3_sig_code_name(code), msg);
}

struct resp *s3_reply_xml(struct req *r, struct buf *b)
{
    struct resp *p = resp_new(r, 200);
    if (!p || resp_set_body(r, p, "application/xml", b->p, b->len))
        p = NULL;
    buf_free(b);
    if (p)
        resp_add_header(r, p, "x-amz-request-id", r->request_id);
    return p;
}

struct resp *s3_reply_empty(struct req *r, int status)
{
    struct resp *p = resp_new(r, status);
    if (p)
        resp_add_header(r, p, "x-amz-request-id", r->request_id);
    return p;
}

struct resp *s3_reply_internal(struct req *r, const struct err *e)
{
    log_error("rid=%s s3: %s: %s", r->request_id, rc_name(e->rc), e->msg);
    if (e->rc == RC_BUSY)
        return s3_reply_error(r, 503, "SlowDown", "Please reduce your request rate.");
    return s3_reply_error(r, 500, "InternalError",
                          "We encountered an internal error. Please try again.");
}
