/* s3_body.c — receiving an S3 body: the aws-chunked decoder, the checksums (on a thread of
 * their own for large bodies), the temporary blob, and the per-permit cap on what is on disk and
 * in flight (docs/uploads.md, Limits). */
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

static pthread_mutex_t inflight_mu = PTHREAD_MUTEX_INITIALIZER;
static struct inflight *inflight_head;

/* ---- body ---- */

/* The digests of the body: the MD5 (the ETag) and the checksum the client asked for. */
static void digest(void *user, const unsigned char *p, size_t n)
{
    struct s3_call *c = user;
    s3_cksum_update(&c->md5, p, n);
    if (c->ck_live)
        s3_cksum_update(&c->ck, p, n);
}

static int on_data(void *user, const unsigned char *p, size_t n)
{
    struct s3_call *c = user;
    if (c->op == OP_COMPLETE)
        return buf_append(&c->xml, p, n) ? 1 : 0;
    if (c->bg)
        bgfeed_push(c->bg, p, n);
    else
        digest(c, p, n);
    struct err e = {0};
    if (blob_write(c->w, p, n, &e) != RC_OK) {
        log_error("rid=%s s3: %s", c->r->request_id, e.msg);
        c->write_failed = 1;
        return 1;
    }
    return 0;
}

static int sink(struct req *r, const char *data, size_t len)
{
    struct s3_call *c = r->app_state_s3;
    enum s3_chunked_rc rc = s3_chunked_feed(&c->dec, data, len);
    c->body_rc = rc;
    return rc == S3_CHUNKED_OK || rc == S3_CHUNKED_DONE ? 0 : 1;
}

static void inflight_release(struct inflight *f)
{
    pthread_mutex_lock(&inflight_mu);
    if (f->linked) {
        if (f->prev)
            f->prev->next = f->next;
        else
            inflight_head = f->next;
        if (f->next)
            f->next->prev = f->prev;
        f->linked = 0;
    }
    pthread_mutex_unlock(&inflight_mu);
}

void s3_body_cleanup(void *p)
{
    struct s3_call *c = p;
    inflight_release(&c->slot);
    if (c->dec_live)
        s3_chunked_free(&c->dec);
    bgfeed_finish(c->bg); /* the thread reads the checksums: stop it before they go */
    c->bg = NULL;
    if (c->md5_live)
        s3_cksum_free(&c->md5);
    if (c->ck_live)
        s3_cksum_free(&c->ck);
    blob_abort(c->w); /* still set: not committed */
    buf_free(&c->xml);
}

/* The checksum the client asked for: one x-amz-checksum-<alg> header, or a trailer declared in
 * X-Amz-Trailer, or just x-amz-sdk-checksum-algorithm (then computed and echoed). */
static struct resp *setup_checksum(struct s3_call *c)
{
    struct req *r = c->r;
    int found = 0;
    for (int a = S3_CKSUM_CRC32; a < S3_CKSUM__COUNT; a++) {
        if (a == S3_CKSUM_MD5)
            continue;
        const char *v = http_header(r, s3_cksum_header((enum s3_cksum_alg)a));
        if (v) {
            found++;
            c->ck_alg = (enum s3_cksum_alg)a;
            c->ck_header_value = v;
        }
    }
    const char *trailer = http_header(r, "x-amz-trailer");
    if (found > 1)
        return s3_reply_error(r, 400, "InvalidRequest",
                              "Expecting a single x-amz-checksum- header.");
    if (found && trailer)
        return s3_reply_error(r, 400, "InvalidRequest",
                              "Expecting a single x-amz-checksum- header or a trailer, not both.");
    if (trailer) {
        enum s3_cksum_alg a = s3_cksum_from_header(trailer, strlen(trailer));
        if (a == S3_CKSUM_NONE || a == S3_CKSUM_MD5)
            return s3_reply_error(r, 400, "InvalidRequest",
                                  "The trailer names an unsupported checksum.");
        c->ck_alg = a;
    }
    const char *sdk = http_header(r, "x-amz-sdk-checksum-algorithm");
    if (!c->ck_alg && sdk) {
        enum s3_cksum_alg a = s3_cksum_from_name(sdk, strlen(sdk));
        if (a == S3_CKSUM_NONE || a == S3_CKSUM_MD5)
            return s3_reply_error(r, 400, "InvalidRequest", "Unsupported checksum algorithm.");
        c->ck_alg = a;
    }
    if (c->ck_alg) {
        if (s3_cksum_init(&c->ck, c->ck_alg))
            return s3_reply_error(r, 500, "InternalError", "checksum init failed");
        c->ck_live = 1;
    }
    c->content_md5 = http_header(r, "Content-MD5");
    return NULL;
}

/* The most a permit's multipart parts and bodies in flight may hold together. */
uint64_t s3_permit_cap(int64_t filesize)
{
    uint64_t f = filesize > 0 ? (uint64_t)filesize : 0;
    if (f > (UINT64_MAX - MPU_SLACK) / MPU_FACTOR)
        return UINT64_MAX;
    return f * MPU_FACTOR + MPU_SLACK;
}

struct resp *s3_body_too_much(struct s3_call *c, uint64_t cap)
{
    char msg[320];
    snprintf(msg, sizeof msg,
             "This upload would make the permit's multipart uploads hold more than %llu bytes "
             "(twice the declared filesize plus 1 MiB). Abort unfinished multipart uploads, or ask "
             "for a new permit.",
             (unsigned long long)cap);
    return s3_reply_error(c->r, 400, "EntityTooLarge", msg);
}

/* Counts a body of `bytes` against the permit's cap before a byte of it is read: a part with the
 * stored parts of the permit's open uploads (less the part it would replace) and every body of
 * the permit in flight; a PutObject with the bodies in flight (it replaces the object, and parts
 * left by an abandoned multipart upload must not stop a client from falling back to it). */
static struct resp *reserve_body(struct s3_call *c, uint64_t bytes)
{
    uint64_t cap = s3_permit_cap(c->permit.filesize);
    struct err e = {0};
    int64_t stored = 0;
    enum rc rc = RC_OK;
    int over = 0;
    pthread_mutex_lock(&inflight_mu);
    if (c->op == OP_PART)
        rc = store_mpu_open_bytes(c->s, c->permit.access_key_id, c->upload_id, c->part_number,
                                  &stored, &e);
    if (rc == RC_OK) {
        uint64_t total = stored > 0 ? (uint64_t)stored : 0;
        for (struct inflight *f = inflight_head; f && !over; f = f->next)
            if (strcmp(f->akid, c->permit.access_key_id) == 0)
                over = (total += f->bytes) > cap;
        over = over || bytes > cap || total > cap - bytes;
    }
    if (rc == RC_OK && !over) {
        struct inflight *f = &c->slot;
        snprintf(f->akid, sizeof f->akid, "%s", c->permit.access_key_id);
        f->bytes = bytes;
        f->prev = NULL;
        f->next = inflight_head;
        if (inflight_head)
            inflight_head->prev = f;
        inflight_head = f;
        f->linked = 1;
    }
    pthread_mutex_unlock(&inflight_mu);
    if (rc != RC_OK)
        return s3_reply_internal(c->r, &e);
    return over ? s3_body_too_much(c, cap) : NULL;
}

struct resp *s3_body_setup(struct s3_call *c)
{
    struct req *r = c->r;
    uint64_t max = c->op == OP_COMPLETE ? c->cfg->max_xml : c->cfg->max_object;
    /* An upload never needs to be larger than the permit's declared file. */
    if (c->op != OP_COMPLETE && (uint64_t)c->permit.filesize < max)
        max = (uint64_t)c->permit.filesize;
    const char *dl = http_header(r, "x-amz-decoded-content-length");
    int64_t decoded = -1;
    int streaming = c->auth.payload == S3_PAYLOAD_STREAMING_SIGNED ||
                    c->auth.payload == S3_PAYLOAD_STREAMING_SIGNED_TRAILER ||
                    c->auth.payload == S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER;
    if (dl) {
        char *end;
        long long v = strtoll(dl, &end, 10);
        if (!*dl || *end || v < 0)
            return s3_reply_error(r, 400, "InvalidArgument",
                                  "x-amz-decoded-content-length is not a size.");
        decoded = v;
    } else if (streaming) {
        return s3_reply_error(r, 411, "MissingContentLength",
                              "You must provide the x-amz-decoded-content-length header.");
    } else {
        decoded = r->content_length;
    }
    if (decoded >= 0 && (uint64_t)decoded > max)
        return s3_reply_error(r, 400, c->op == OP_COMPLETE ? "MalformedXML" : "EntityTooLarge",
                              "Your proposed upload exceeds the maximum allowed size.");
    struct resp *p =
        c->op == OP_COMPLETE ? NULL : reserve_body(c, decoded >= 0 ? (uint64_t)decoded : max);
    if (!p && c->op != OP_COMPLETE)
        p = setup_checksum(c);
    if (p)
        return p;
    if (c->op == OP_COMPLETE) {
        buf_init(&c->xml, c->cfg->max_xml);
    } else {
        struct err e = {0};
        if (s3_cksum_init(&c->md5, S3_CKSUM_MD5))
            return s3_reply_error(r, 500, "InternalError", "checksum init failed");
        c->md5_live = 1;
        /* MD5 runs at about 700 MB/s, slower than receiving and writing: for a large body it
         * gets a core of its own (falling back to inline hashing when no thread can start). */
        if (decoded < 0 || decoded >= BG_DIGEST_MIN)
            c->bg = bgfeed_start(digest, c, BG_DIGEST_SLOT, BG_DIGEST_SLOTS);
        if (blob_writer_open(c->cfg->blobs, &c->w, &e) != RC_OK)
            return s3_reply_internal(r, &e);
    }
    struct s3_chunked_cfg dc = {
        .mode = c->auth.payload,
        .payload_sha256 = c->auth.payload_sha256,
        .sig = &c->ctx,
        .declared_trailers = http_header(r, "x-amz-trailer"),
        .decoded_length = decoded,
        .max_length = max,
        .on_data = on_data,
        .user = c,
    };
    if (s3_chunked_init(&c->dec, &dc) != S3_CHUNKED_OK) {
        s3_chunked_free(&c->dec);
        return s3_reply_error(r, 400, "InvalidRequest",
                              "The x-amz-trailer header is not acceptable.");
    }
    c->dec_live = 1;
    r->sink = sink;
    return NULL;
}

/* ---- the final phase, per operation ---- */

static struct resp *body_error(struct s3_call *c, enum s3_chunked_rc rc)
{
    if (rc == S3_CHUNKED_ERR_CALLBACK) {
        if (c->op == OP_COMPLETE)
            return s3_reply_error(c->r, 400, "MalformedXML", "The XML you provided was too large.");
        return s3_reply_error(c->r, 500, "InternalError",
                              "We could not store the upload. Please retry.");
    }
    static const char *const msgs[] = {
        [S3_CHUNKED_ERR_FRAMING] = "The request body is not valid aws-chunked encoding.",
        [S3_CHUNKED_ERR_TRUNCATED] = "You did not provide the number of bytes specified.",
        [S3_CHUNKED_ERR_SIGNATURE] = "A chunk signature does not match.",
        [S3_CHUNKED_ERR_TRAILER] = "The request contained trailing data that was not well-formed.",
        [S3_CHUNKED_ERR_LENGTH] = "The decoded length does not match x-amz-decoded-content-length.",
        [S3_CHUNKED_ERR_TOO_LARGE] = "Your proposed upload exceeds the maximum allowed size.",
        [S3_CHUNKED_ERR_PAYLOAD_HASH] =
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
        [S3_CHUNKED_ERR_INTERNAL] = "We encountered an internal error. Please try again.",
    };
    const char *msg = rc < S3_CHUNKED_RC__COUNT && msgs[rc] ? msgs[rc] : "Bad request body.";
    return s3_reply_error(c->r, s3_chunked_rc_status(rc), s3_chunked_rc_name(rc), msg);
}

/* Finishes the body: decoder complete, Content-MD5 and the flexible checksum verified. Fills
 * etag_hex and (when a checksum was asked for) cksum_b64. */
struct resp *s3_body_finish(struct s3_call *c, char etag_hex[33], char cksum_b64[S3_CKSUM_B64_MAX])
{
    struct req *r = c->r;
    enum s3_chunked_rc rc = c->body_rc;
    if (rc == S3_CHUNKED_OK || rc == S3_CHUNKED_DONE)
        rc = s3_chunked_finish(&c->dec);
    if (rc != S3_CHUNKED_DONE)
        return body_error(c, rc);
    if (c->op == OP_COMPLETE)
        return NULL;
    bgfeed_finish(c->bg); /* every byte digested */
    c->bg = NULL;
    unsigned char md5[S3_CKSUM_MAX_LEN];
    s3_cksum_final(&c->md5, md5);
    crypto_hex(md5, 16, etag_hex);
    if (c->content_md5) {
        int v = s3_cksum_check_b64(S3_CKSUM_MD5, md5, c->content_md5, strlen(c->content_md5));
        if (v < 0)
            return s3_reply_error(r, 400, "InvalidDigest",
                                  "The Content-MD5 you specified is not valid.");
        if (v == 0)
            return s3_reply_error(r, 400, "BadDigest",
                                  "The Content-MD5 you specified did not match what we received.");
    }
    cksum_b64[0] = '\0';
    if (c->ck_live) {
        unsigned char d[S3_CKSUM_MAX_LEN];
        if (s3_cksum_final(&c->ck, d) < 0 ||
            b64_encode(d, s3_cksum_len(c->ck_alg), 0, cksum_b64, S3_CKSUM_B64_MAX) < 0)
            return s3_reply_error(r, 500, "InternalError", "checksum failed");
        const char *want = c->ck_header_value;
        if (!want)
            want = s3_chunked_trailer(&c->dec, s3_cksum_header(c->ck_alg));
        if (!want && http_header(r, "x-amz-trailer"))
            return s3_reply_error(r, 400, "MalformedTrailerError",
                                  "The request contained trailing data that was not well-formed.");
        if (want) {
            int v = s3_cksum_check_b64(c->ck_alg, d, want, strlen(want));
            if (v < 0)
                return s3_reply_error(r, 400, "InvalidRequest",
                                      "Value for the x-amz-checksum header is invalid.");
            if (v == 0)
                return s3_reply_error(r, 400, "BadDigest",
                                      "The checksum you specified did not match what we received.");
        }
    }
    if (c->write_failed)
        return s3_reply_error(r, 500, "InternalError",
                              "We could not store the upload. Please retry.");
    return NULL;
}
