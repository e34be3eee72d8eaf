/* s3_int.h — what the S3 endpoint's files share: the call's state, the operations, the limits and
 * the answers in S3's XML error shape. s3_api.c classifies, authenticates and dispatches;
 * s3_body.c receives and checks bodies; s3_ops.c carries out each operation; s3_reply.c answers.
 * Not for use outside src/s3/. */
#ifndef GP_S3_INT_H
#define GP_S3_INT_H

#include "s3/s3_api.h"

#include "core/bgfeed.h"
#include "core/buf.h"
#include "s3/checksum.h"
#include "s3/chunked.h"
#include "s3/sigv4.h"
#include "store/store.h"

#include <stdint.h>

#define MIN_PART (5ULL << 20)
#define MAX_HEADERS 128
#define BG_DIGEST_MIN (4u << 20)    /* bodies from this size hash on their own thread ... */
#define BG_DIGEST_SLOT (256u << 10) /* ... through 4 slots of 256 KiB (1 MiB per upload) */
#define BG_DIGEST_SLOTS 4
#define XMLNS "http://s3.amazonaws.com/doc/2006-03-01/"
/* What one permit may keep on disk besides its object (docs/uploads.md, Limits): a client that
 * restarts an upload without aborting the first still fits, one that opens uploads in a loop or
 * kills and restarts the CLI over and over does not. */
#define MPU_MAX_OPEN 4         /* open multipart uploads per permit */
#define MPU_FACTOR 2           /* stored parts and bodies in flight: 2 x filesize ... */
#define MPU_SLACK (1ULL << 20) /* ... + 1 MiB */

enum op {
    OP_PUT,
    OP_PART,
    OP_CREATE,
    OP_COMPLETE,
    OP_ABORT,
    OP_LIST_PARTS,
    OP_HEAD_OBJECT,
    OP_HEAD_BUCKET,
    OP_UNSUPPORTED
};

#define SUBMITTED_MSG "This upload was submitted for processing and can no longer be changed."

/* A body being received, counted against its permit's cap until the request ends (the bytes are
 * in a temporary file until then). One list per process, so concurrent parts cannot each pass the
 * check alone. */
struct inflight {
    struct inflight *prev, *next;
    char akid[32];
    uint64_t bytes;
    int linked;
};

struct s3_call {
    struct s3_config *cfg;
    struct req *r;
    enum op op;
    const char *bucket, *key;
    const char *upload_id;
    int part_number;
    struct store *s;
    struct stitch_row permit;
    struct s3_auth auth;
    struct s3_sig_ctx ctx;
    /* body */
    struct s3_chunked dec;
    int dec_live;
    enum s3_chunked_rc body_rc;
    struct blob_writer *w;
    struct s3_cksum md5;
    int md5_live;
    struct bgfeed *bg; /* large bodies: md5 and ck are computed on this feed's thread */
    enum s3_cksum_alg ck_alg;
    struct s3_cksum ck;
    int ck_live;
    const char *ck_header_value; /* x-amz-checksum-<alg> header, when sent as a header */
    const char *content_md5;
    struct buf xml;
    int write_failed;
    struct inflight slot; /* linked while the body is received */
};

/* An S3 XML error document (Code, Message, RequestId) with status; NULL only when out of memory. */
struct resp *s3_reply_error(struct req *r, int status, const char *code, const char *msg);

/* The S3 error a signature check's outcome maps to (code and status from sigv4.h). */
struct resp *s3_reply_sig(struct req *r, enum s3_sig_code code, const char *msg);

/* 200 with b's XML as the body (NULL when out of memory); frees b. */
struct resp *s3_reply_xml(struct req *r, struct buf *b);

/* status with no body. */
struct resp *s3_reply_empty(struct req *r, int status);

/* 500 InternalError (503 SlowDown when the store is busy), e logged with the request id. */
struct resp *s3_reply_internal(struct req *r, const struct err *e);

/* 400 EntityTooLarge naming the permit's cap. */
struct resp *s3_body_too_much(struct s3_call *c, uint64_t cap);

/* Before the body: the checksum asked for, the cap reservation, the decoder, the temporary blob
 * and the sink; NULL to go on, or the refusal. */
struct resp *s3_body_setup(struct s3_call *c);

/* Finishes the body: decoder complete, Content-MD5 and the flexible checksum verified. Fills
 * etag_hex and (when a checksum was asked for) cksum_b64. */
struct resp *s3_body_finish(struct s3_call *c, char etag_hex[33], char cksum_b64[S3_CKSUM_B64_MAX]);

/* The operations, once the body is in: each answers the client. */
struct resp *s3_do_put(struct s3_call *c);

struct resp *s3_do_part(struct s3_call *c);

struct resp *s3_do_create(struct s3_call *c);

struct resp *s3_do_complete(struct s3_call *c);

struct resp *s3_do_abort(struct s3_call *c);

struct resp *s3_do_list_parts(struct s3_call *c);

struct resp *s3_do_head_object(struct s3_call *c);

#define S3_UPLOAD_ID_MAX 49

/* A fresh multipart upload id: 32 base64url characters of 192 random bits, never starting with
 * '-' or '_'. 0, or -1 when the random source failed. */
int s3_upload_id_new(char out[S3_UPLOAD_ID_MAX]);

/* The most a permit's multipart parts and bodies in flight may hold together. */
uint64_t s3_permit_cap(int64_t filesize);

/* Releases what a call's body holds (the in-flight count, decoder, checksums, an uncommitted
 * blob, the XML buffer): the request arena runs it when the request ends, however it ends. */
void s3_body_cleanup(void *p);

#endif
