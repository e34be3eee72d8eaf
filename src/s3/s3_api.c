/* s3_api.c — the S3 endpoint. The order follows ../spec/s3-compat.md §4 and §7: everything that
 * can be decided from the headers (signature, session token, expiry, scope, upload id, sizes) is
 * decided before the body, so a refused client never sends it; the body then streams through the
 * aws-chunked decoder into a temporary blob with its checksums computed on the way, and the object
 * or part is committed only when every check has passed. */
#include "s3/s3_api.h"

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

#define MIN_PART (5ULL << 20)
#define MAX_HEADERS 128
#define BG_DIGEST_MIN (4u << 20)      /* bodies from this size hash on their own thread ... */
#define BG_DIGEST_SLOT (256u << 10)   /* ... through 4 slots of 256 KiB (1 MiB per upload) */
#define BG_DIGEST_SLOTS 4
#define XMLNS "http://s3.amazonaws.com/doc/2006-03-01/"
/* What one permit may keep on disk besides its object (docs/uploads.md, Limits): a client that
 * restarts an upload without aborting the first still fits, one that opens uploads in a loop or
 * kills and restarts the CLI over and over does not. */
#define MPU_MAX_OPEN 4                /* open multipart uploads per permit */
#define MPU_FACTOR 2                  /* stored parts and bodies in flight: 2 x filesize ... */
#define MPU_SLACK (1ULL << 20)        /* ... + 1 MiB */

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

static const char *const op_names[] = {"PutObject",    "UploadPart",          "CreateMultipartUpload",
                                       "CompleteMultipartUpload", "AbortMultipartUpload",
                                       "ListParts",    "HeadObject",          "HeadBucket",
                                       "Unsupported"};

/* A body being received, counted against its permit's cap until the request ends (the bytes are
 * in a temporary file until then). One list per process, so concurrent parts cannot each pass the
 * check alone. */
struct inflight {
    struct inflight *prev, *next;
    char akid[32];
    uint64_t bytes;
    int linked;
};

static pthread_mutex_t inflight_mu = PTHREAD_MUTEX_INITIALIZER;
static struct inflight *inflight_head;

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
    struct bgfeed *bg;            /* large bodies: md5 and ck are computed on this feed's thread */
    enum s3_cksum_alg ck_alg;
    struct s3_cksum ck;
    int ck_live;
    const char *ck_header_value;    /* x-amz-checksum-<alg> header, when sent as a header */
    const char *content_md5;
    struct buf xml;
    int write_failed;
    struct inflight slot;   /* linked while the body is received */
};

/* ---- responses ---- */

static struct resp *s3_error(struct req *r, int status, const char *code, const char *msg)
{
    struct resp *p = resp_new(r, status);
    if (!p)
        return NULL;
    resp_add_header(r, p, "x-amz-request-id", r->request_id);
    if (strcmp(r->method, "HEAD") == 0)
        return p;   /* HEAD answers carry no body */
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

static struct resp *sig_error(struct req *r, enum s3_sig_code code, const char *msg)
{
    return s3_error(r, s3_sig_code_status(code), s3_sig_code_name(code), msg);
}

static struct resp *xml_ok(struct req *r, struct buf *b)
{
    struct resp *p = resp_new(r, 200);
    if (!p || resp_set_body(r, p, "application/xml", b->p, b->len))
        p = NULL;
    buf_free(b);
    if (p)
        resp_add_header(r, p, "x-amz-request-id", r->request_id);
    return p;
}

static struct resp *empty(struct req *r, int status)
{
    struct resp *p = resp_new(r, status);
    if (p)
        resp_add_header(r, p, "x-amz-request-id", r->request_id);
    return p;
}

static struct resp *internal(struct req *r, const struct err *e)
{
    log_error("rid=%s s3: %s: %s", r->request_id, rc_name(e->rc), e->msg);
    if (e->rc == RC_BUSY)
        return s3_error(r, 503, "SlowDown", "Please reduce your request rate.");
    return s3_error(r, 500, "InternalError", "We encountered an internal error. Please try again.");
}

/* ---- request classification ---- */

static int has_amz_query(const struct req *r)
{
    return http_query_has(r, "X-Amz-Signature") || http_query_has(r, "X-Amz-Credential") ||
           http_query_has(r, "X-Amz-Algorithm") || http_query_has(r, "AWSAccessKeyId");
}

int s3_is_request(const struct req *r, const struct s3_config *cfg)
{
    const char *auth = http_header(r, "Authorization");
    if (auth && (strncmp(auth, "AWS4-", 5) == 0 || strncmp(auth, "AWS ", 4) == 0))
        return 1;
    if (has_amz_query(r))
        return 1;
    size_t bl = strlen(cfg->bucket);
    const char *p = r->path;
    return p[0] == '/' && strncmp(p + 1, cfg->bucket, bl) == 0 && (p[1 + bl] == '/' || !p[1 + bl]);
}

/* Splits the raw path into bucket and key (each percent-decoded once). */
static int split_path(struct s3_call *c)
{
    const char *raw = c->r->raw_path;
    if (raw[0] != '/')
        return -1;
    const char *slash = strchr(raw + 1, '/');
    size_t bl = slash ? (size_t)(slash - raw - 1) : strlen(raw + 1);
    c->bucket = http_pct_decode(c->r->arena, raw + 1, bl);
    c->key = slash ? http_pct_decode(c->r->arena, slash + 1, strlen(slash + 1)) : "";
    if (!c->bucket || !c->key || strlen(c->key) > 1024)
        return -1;
    return 0;
}

static enum op classify(struct s3_call *c)
{
    const struct req *r = c->r;
    const char *m = r->method;
    int has_key = c->key && *c->key;
    c->upload_id = http_query(r, "uploadId");
    if (strcmp(m, "HEAD") == 0)
        return has_key ? OP_HEAD_OBJECT : OP_HEAD_BUCKET;
    if (!has_key)
        return OP_UNSUPPORTED;
    if (strcmp(m, "PUT") == 0) {
        if (http_header(r, "x-amz-copy-source"))
            return OP_UNSUPPORTED;
        return c->upload_id || http_query_has(r, "partNumber") ? OP_PART : OP_PUT;
    }
    if (strcmp(m, "POST") == 0) {
        if (http_query_has(r, "uploads"))
            return OP_CREATE;
        return c->upload_id ? OP_COMPLETE : OP_UNSUPPORTED;
    }
    if (strcmp(m, "DELETE") == 0 && c->upload_id)
        return OP_ABORT;
    if (strcmp(m, "GET") == 0 && c->upload_id)
        return OP_LIST_PARTS;
    return OP_UNSUPPORTED;
}

/* ---- authentication ---- */

struct hdr_collect {
    struct s3_header *h;
    size_t n;
};

static int collect_header(void *ctx, const char *name, const char *value)
{
    struct hdr_collect *hc = ctx;
    if (hc->n == MAX_HEADERS)
        return 1;
    hc->h[hc->n].name = name;
    hc->h[hc->n].value = value;
    hc->n++;
    return 0;
}

static int signed_header(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        const char *semi = strchr(p, ';');
        size_t len = semi ? (size_t)(semi - p) : strlen(p);
        if (len == n && strncasecmp(p, name, n) == 0)
            return 1;
        if (!semi)
            break;
        p = semi + 1;
    }
    return 0;
}

/* Full authentication from the headers: SigV4, key id, session token, expiry, scope. */
static struct resp *authenticate(struct s3_call *c)
{
    struct req *r = c->r;
    struct s3_header *hdrs = arena_alloc(r->arena, MAX_HEADERS * sizeof *hdrs);
    if (!hdrs)
        return s3_error(r, 503, "SlowDown", "out of memory");
    struct hdr_collect hc = {hdrs, 0};
    http_each_header(r, collect_header, &hc);
    const char *query = http_raw_query(r);
    struct s3_sig_req sr = {
        .method = r->method,
        .path = r->raw_path,
        .query = query ? query : "",
        .headers = hdrs,
        .n_headers = hc.n,
        .now_ms = clock_now_ms(),
        .region = c->cfg->region,
    };
    struct s3_sig_err se = {0}, skewed = {0};
    enum s3_sig_code code = s3_sig_parse(&sr, &c->auth, &se);
    /* A request time out of the skew window is reported after the session checks (the parse is
     * complete when it says so): credentials that have expired by the server's clock are
     * ExpiredToken whatever time the client signed with, e.g. with the test clock 25 h ahead. */
    if (code == S3_SIG_ERR_SKEWED) {
        skewed = se;
        code = S3_SIG_OK;
    }
    if (code != S3_SIG_OK)
        return sig_error(r, code, se.msg);
    struct err e = {0};
    c->s = store_thread(&e);
    if (!c->s)
        return internal(r, &e);
    if (!s3_creds_akid_valid(c->auth.akid))
        return sig_error(r, S3_SIG_ERR_INVALID_AKID,
                         "The AWS Access Key Id you provided does not exist in our records.");
    enum rc rc = store_stitch_by_akid(c->s, c->auth.akid, r->arena, &c->permit, &e);
    if (rc == RC_NOTFOUND)
        return sig_error(r, S3_SIG_ERR_INVALID_AKID,
                         "The AWS Access Key Id you provided does not exist in our records.");
    if (rc != RC_OK)
        return internal(r, &e);
    r->log_principal = c->permit.access_key_id;
    /* Temporary credentials: the session token must come with the request, be covered by the
     * signature, and be this session's. */
    unsigned char h[32];
    crypto_sha256(c->auth.token, c->auth.token_len, h);
    if (!c->auth.has_token ||
        (c->auth.kind == S3_AUTH_HEADER && !signed_header(c->auth.signed_headers, "x-amz-security-token")) ||
        !crypto_equal(h, c->permit.session_hash, 32))
        return sig_error(r, S3_SIG_ERR_INVALID_TOKEN,
                         "The provided token is malformed or otherwise invalid.");
    if (clock_now_ms() >= c->permit.expires_at)
        return sig_error(r, S3_SIG_ERR_EXPIRED_TOKEN, "The provided token has expired.");
    if (skewed.code == S3_SIG_ERR_SKEWED)
        return sig_error(r, skewed.code, skewed.msg);
    char secret[S3_SECRET_LEN + 1];
    if ((rc = s3_creds_secret(c->s, c->auth.akid, secret, &e)) != RC_OK)
        return internal(r, &e);
    code = s3_sig_verify(&sr, &c->auth, secret, &c->ctx, &se);
    memset(secret, 0, sizeof secret);
    if (code != S3_SIG_OK)
        return sig_error(r, code, se.msg);
    /* The credentials allow exactly one bucket and key. */
    if (strcmp(c->bucket, c->permit.bucket) != 0 ||
        (c->op != OP_HEAD_BUCKET && strcmp(c->key, c->permit.object_key) != 0))
        return sig_error(r, S3_SIG_ERR_ACCESS_DENIED, "Access Denied");
    /* Once /process has taken the object, it is what the pipeline reads: no more writes (a
     * Complete is checked again where it would commit, so its retry can still succeed). */
    if (c->permit.job_id[0] && (c->op == OP_PUT || c->op == OP_PART || c->op == OP_CREATE))
        return s3_error(r, 403, "AccessDenied", SUBMITTED_MSG);
    return NULL;
}

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

static void cleanup(void *p)
{
    struct s3_call *c = p;
    inflight_release(&c->slot);
    if (c->dec_live)
        s3_chunked_free(&c->dec);
    bgfeed_finish(c->bg);   /* the thread reads the checksums: stop it before they go */
    c->bg = NULL;
    if (c->md5_live)
        s3_cksum_free(&c->md5);
    if (c->ck_live)
        s3_cksum_free(&c->ck);
    blob_abort(c->w);   /* still set: not committed */
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
        return s3_error(r, 400, "InvalidRequest", "Expecting a single x-amz-checksum- header.");
    if (found && trailer)
        return s3_error(r, 400, "InvalidRequest",
                        "Expecting a single x-amz-checksum- header or a trailer, not both.");
    if (trailer) {
        enum s3_cksum_alg a = s3_cksum_from_header(trailer, strlen(trailer));
        if (a == S3_CKSUM_NONE || a == S3_CKSUM_MD5)
            return s3_error(r, 400, "InvalidRequest", "The trailer names an unsupported checksum.");
        c->ck_alg = a;
    }
    const char *sdk = http_header(r, "x-amz-sdk-checksum-algorithm");
    if (!c->ck_alg && sdk) {
        enum s3_cksum_alg a = s3_cksum_from_name(sdk, strlen(sdk));
        if (a == S3_CKSUM_NONE || a == S3_CKSUM_MD5)
            return s3_error(r, 400, "InvalidRequest", "Unsupported checksum algorithm.");
        c->ck_alg = a;
    }
    if (c->ck_alg) {
        if (s3_cksum_init(&c->ck, c->ck_alg))
            return s3_error(r, 500, "InternalError", "checksum init failed");
        c->ck_live = 1;
    }
    c->content_md5 = http_header(r, "Content-MD5");
    return NULL;
}

/* The most a permit's multipart parts and bodies in flight may hold together. */
static uint64_t permit_cap(int64_t filesize)
{
    uint64_t f = filesize > 0 ? (uint64_t)filesize : 0;
    if (f > (UINT64_MAX - MPU_SLACK) / MPU_FACTOR)
        return UINT64_MAX;
    return f * MPU_FACTOR + MPU_SLACK;
}

static struct resp *too_much(struct s3_call *c, uint64_t cap)
{
    char msg[320];
    snprintf(msg, sizeof msg,
             "This upload would make the permit's multipart uploads hold more than %llu bytes "
             "(twice the declared filesize plus 1 MiB). Abort unfinished multipart uploads, or ask "
             "for a new permit.",
             (unsigned long long)cap);
    return s3_error(c->r, 400, "EntityTooLarge", msg);
}

/* Counts a body of `bytes` against the permit's cap before a byte of it is read: a part with the
 * stored parts of the permit's open uploads (less the part it would replace) and every body of
 * the permit in flight; a PutObject with the bodies in flight (it replaces the object, and parts
 * left by an abandoned multipart upload must not stop a client from falling back to it). */
static struct resp *reserve_body(struct s3_call *c, uint64_t bytes)
{
    uint64_t cap = permit_cap(c->permit.filesize);
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
        return internal(c->r, &e);
    return over ? too_much(c, cap) : NULL;
}

static struct resp *setup_body(struct s3_call *c)
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
            return s3_error(r, 400, "InvalidArgument", "x-amz-decoded-content-length is not a size.");
        decoded = v;
    } else if (streaming) {
        return s3_error(r, 411, "MissingContentLength",
                        "You must provide the x-amz-decoded-content-length header.");
    } else {
        decoded = r->content_length;
    }
    if (decoded >= 0 && (uint64_t)decoded > max)
        return s3_error(r, 400, c->op == OP_COMPLETE ? "MalformedXML" : "EntityTooLarge",
                        "Your proposed upload exceeds the maximum allowed size.");
    struct resp *p = c->op == OP_COMPLETE ? NULL : reserve_body(c, decoded >= 0 ? (uint64_t)decoded : max);
    if (!p && c->op != OP_COMPLETE)
        p = setup_checksum(c);
    if (p)
        return p;
    if (c->op == OP_COMPLETE) {
        buf_init(&c->xml, c->cfg->max_xml);
    } else {
        struct err e = {0};
        if (s3_cksum_init(&c->md5, S3_CKSUM_MD5))
            return s3_error(r, 500, "InternalError", "checksum init failed");
        c->md5_live = 1;
        /* MD5 runs at about 700 MB/s, slower than receiving and writing: for a large body it
         * gets a core of its own (falling back to inline hashing when no thread can start). */
        if (decoded < 0 || decoded >= BG_DIGEST_MIN)
            c->bg = bgfeed_start(digest, c, BG_DIGEST_SLOT, BG_DIGEST_SLOTS);
        if (blob_writer_open(c->cfg->blobs, &c->w, &e) != RC_OK)
            return internal(r, &e);
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
        return s3_error(r, 400, "InvalidRequest", "The x-amz-trailer header is not acceptable.");
    }
    c->dec_live = 1;
    r->sink = sink;
    return NULL;
}

/* ---- header phase ---- */

void s3_on_headers(struct req *r, struct s3_config *cfg, void **state)
{
    struct s3_call *c = arena_alloc(r->arena, sizeof *c);
    if (!c) {
        r->early = s3_error(r, 503, "SlowDown", "out of memory");
        return;
    }
    *state = c;
    r->app_state_s3 = c;
    c->cfg = cfg;
    c->r = r;
    buf_init(&c->xml, 0);
    if (arena_defer(r->arena, cleanup, c)) {
        r->early = s3_error(r, 503, "SlowDown", "out of memory");
        return;
    }
    if (split_path(c)) {
        r->early = s3_error(r, 400, "InvalidURI", "Couldn't parse the specified URI.");
        return;
    }
    c->op = classify(c);
    if ((r->early = authenticate(c)))
        return;
    if (c->op == OP_UNSUPPORTED) {
        r->early = s3_error(r, 501, "NotImplemented",
                            "A header or operation you provided implies functionality that is not "
                            "implemented.");
        return;
    }
    struct err e = {0};
    if (c->op == OP_PART || c->op == OP_COMPLETE || c->op == OP_ABORT || c->op == OP_LIST_PARTS) {
        struct mpu_row m;
        enum rc rc = c->upload_id ? store_mpu_get(c->s, c->upload_id, r->arena, &m, &e) : RC_NOTFOUND;
        if (rc == RC_OK && (strcmp(m.access_key_id, c->permit.access_key_id) != 0 ||
                            strcmp(m.key, c->key) != 0 ||
                            (strcmp(m.state, "open") != 0 && c->op != OP_COMPLETE)))
            rc = RC_NOTFOUND;
        if (rc == RC_NOTFOUND) {
            r->early = s3_error(r, 404, "NoSuchUpload",
                                "The specified upload does not exist. The upload ID may be invalid, "
                                "or the upload may have been aborted or completed.");
            return;
        }
        if (rc != RC_OK) {
            r->early = internal(r, &e);
            return;
        }
    }
    if (c->op == OP_PART) {
        const char *pn = http_query(r, "partNumber");
        char *end;
        long v = pn ? strtol(pn, &end, 10) : 0;
        if (!pn || !*pn || *end || v < 1 || v > 10000) {
            r->early = s3_error(r, 400, "InvalidArgument",
                                "Part number must be an integer between 1 and 10000, inclusive");
            return;
        }
        c->part_number = (int)v;
    }
    if (c->op == OP_PUT || c->op == OP_PART || c->op == OP_COMPLETE)
        r->early = setup_body(c);
}

/* ---- the final phase, per operation ---- */

static struct resp *body_error(struct s3_call *c, enum s3_chunked_rc rc)
{
    if (rc == S3_CHUNKED_ERR_CALLBACK) {
        if (c->op == OP_COMPLETE)
            return s3_error(c->r, 400, "MalformedXML", "The XML you provided was too large.");
        return s3_error(c->r, 500, "InternalError", "We could not store the upload. Please retry.");
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
    return s3_error(c->r, s3_chunked_rc_status(rc), s3_chunked_rc_name(rc), msg);
}

/* Finishes the body: decoder complete, Content-MD5 and the flexible checksum verified. Fills
 * etag_hex and (when a checksum was asked for) cksum_b64. */
static struct resp *finish_body(struct s3_call *c, char etag_hex[33], char cksum_b64[S3_CKSUM_B64_MAX])
{
    struct req *r = c->r;
    enum s3_chunked_rc rc = c->body_rc;
    if (rc == S3_CHUNKED_OK || rc == S3_CHUNKED_DONE)
        rc = s3_chunked_finish(&c->dec);
    if (rc != S3_CHUNKED_DONE)
        return body_error(c, rc);
    if (c->op == OP_COMPLETE)
        return NULL;
    bgfeed_finish(c->bg);   /* every byte digested */
    c->bg = NULL;
    unsigned char md5[S3_CKSUM_MAX_LEN];
    s3_cksum_final(&c->md5, md5);
    crypto_hex(md5, 16, etag_hex);
    if (c->content_md5) {
        int v = s3_cksum_check_b64(S3_CKSUM_MD5, md5, c->content_md5, strlen(c->content_md5));
        if (v < 0)
            return s3_error(r, 400, "InvalidDigest", "The Content-MD5 you specified is not valid.");
        if (v == 0)
            return s3_error(r, 400, "BadDigest",
                            "The Content-MD5 you specified did not match what we received.");
    }
    cksum_b64[0] = '\0';
    if (c->ck_live) {
        unsigned char d[S3_CKSUM_MAX_LEN];
        if (s3_cksum_final(&c->ck, d) < 0 ||
            b64_encode(d, s3_cksum_len(c->ck_alg), 0, cksum_b64, S3_CKSUM_B64_MAX) < 0)
            return s3_error(r, 500, "InternalError", "checksum failed");
        const char *want = c->ck_header_value;
        if (!want)
            want = s3_chunked_trailer(&c->dec, s3_cksum_header(c->ck_alg));
        if (!want && http_header(r, "x-amz-trailer"))
            return s3_error(r, 400, "MalformedTrailerError",
                            "The request contained trailing data that was not well-formed.");
        if (want) {
            int v = s3_cksum_check_b64(c->ck_alg, d, want, strlen(want));
            if (v < 0)
                return s3_error(r, 400, "InvalidRequest",
                                "Value for the x-amz-checksum header is invalid.");
            if (v == 0)
                return s3_error(r, 400, "BadDigest",
                                "The checksum you specified did not match what we received.");
        }
    }
    if (c->write_failed)
        return s3_error(r, 500, "InternalError", "We could not store the upload. Please retry.");
    return NULL;
}

static const char *fresh_blob_name(struct s3_call *c, const char *prefix)
{
    unsigned char rnd[8];
    char hex[17];
    if (crypto_random(rnd, sizeof rnd))
        return NULL;
    crypto_hex(rnd, sizeof rnd, hex);
    return arena_printf(c->r->arena, "%s/%s", prefix, hex);
}

/* Writes the row in a transaction, then removes what it replaced. */
static struct resp *commit_object(struct s3_call *c, const char *etag, const char *alg_name,
                                  const char *cksum, int64_t size)
{
    struct req *r = c->r;
    struct err e = {0};
    const char *name = fresh_blob_name(c, arena_printf(r->arena, "s3/%s", c->permit.id));
    if (!name || blob_commit(c->w, name, &e) != RC_OK) {
        c->w = NULL;
        return internal(r, &e);
    }
    c->w = NULL;
    struct object_row o = {.bucket = c->bucket, .key = c->key, .size = size, .etag = etag,
                           .checksum_alg = alg_name, .checksum = cksum,
                           .content_type = http_header(r, "Content-Type"), .blob_name = name,
                           .created_at = clock_now_ms()};
    const char *old = NULL;
    struct stitch_row now_permit;
    if (store_begin(c->s, 1, &e) != RC_OK ||
        store_stitch_get(c->s, c->permit.id, r->arena, &now_permit, &e) != RC_OK)
        goto fail;
    /* /process may have run while the body streamed; both write under BEGIN IMMEDIATE, so the
     * object it checked is the one the pipeline reads. */
    if (now_permit.job_id[0]) {
        store_rollback(c->s);
        blob_delete(c->cfg->blobs, name, NULL);
        return s3_error(r, 403, "AccessDenied", SUBMITTED_MSG);
    }
    if (store_object_put(c->s, &o, r->arena, &old, &e) != RC_OK || store_commit(c->s, &e) != RC_OK)
        goto fail;
    if (old && strcmp(old, name) != 0)
        blob_delete(c->cfg->blobs, old, NULL);
    return NULL;
fail:
    store_rollback(c->s);
    blob_delete(c->cfg->blobs, name, NULL);
    return internal(r, &e);
}

static struct resp *do_put(struct s3_call *c)
{
    char etag_hex[33], ck[S3_CKSUM_B64_MAX];
    struct resp *p = finish_body(c, etag_hex, ck);
    if (p)
        return p;
    char etag[40];
    snprintf(etag, sizeof etag, "\"%s\"", etag_hex);
    int64_t size = (int64_t)s3_chunked_decoded(&c->dec);
    if ((p = commit_object(c, etag, c->ck_alg ? s3_cksum_name(c->ck_alg) : NULL, ck[0] ? ck : NULL,
                           size)))
        return p;
    p = empty(c->r, 200);
    if (p) {
        resp_add_header(c->r, p, "ETag", etag);
        if (ck[0])
            resp_add_header(c->r, p, s3_cksum_header(c->ck_alg), ck);
    }
    return p;
}

static struct resp *do_part(struct s3_call *c)
{
    struct req *r = c->r;
    char etag_hex[33], ck[S3_CKSUM_B64_MAX];
    struct resp *p = finish_body(c, etag_hex, ck);
    if (p)
        return p;
    struct err e = {0};
    char etag[40];
    snprintf(etag, sizeof etag, "\"%s\"", etag_hex);
    const char *name = fresh_blob_name(c, arena_printf(r->arena, "mpu/%s", c->upload_id));
    if (!name || blob_commit(c->w, name, &e) != RC_OK) {
        c->w = NULL;
        return internal(r, &e);
    }
    c->w = NULL;
    struct part_row pr = {.part_number = c->part_number,
                          .size = (int64_t)s3_chunked_decoded(&c->dec), .etag = etag,
                          .checksum = ck[0] ? ck : NULL, .blob_name = name,
                          .created_at = clock_now_ms()};
    const char *old = NULL;
    int64_t stored = 0;
    uint64_t cap = permit_cap(c->permit.filesize);
    if (store_begin(c->s, 1, &e) != RC_OK ||
        store_part_put(c->s, c->upload_id, &pr, r->arena, &old, &e) != RC_OK ||
        store_mpu_open_bytes(c->s, c->permit.access_key_id, NULL, 0, &stored, &e) != RC_OK) {
        store_rollback(c->s);
        blob_delete(c->cfg->blobs, name, NULL);
        return internal(r, &e);
    }
    /* Checked again where it commits: another node may have taken the room meanwhile. */
    if ((uint64_t)stored > cap) {
        store_rollback(c->s);
        blob_delete(c->cfg->blobs, name, NULL);
        return too_much(c, cap);
    }
    if (store_commit(c->s, &e) != RC_OK) {
        store_rollback(c->s);
        blob_delete(c->cfg->blobs, name, NULL);
        return internal(r, &e);
    }
    /* A re-uploaded part replaces the earlier one (retries and resends). */
    if (old)
        blob_delete(c->cfg->blobs, old, NULL);
    p = empty(r, 200);
    if (p) {
        resp_add_header(r, p, "ETag", etag);
        if (ck[0])
            resp_add_header(r, p, s3_cksum_header(c->ck_alg), ck);
    }
    return p;
}

static struct resp *do_create(struct s3_call *c)
{
    struct req *r = c->r;
    struct err e = {0};
    unsigned char rnd[24];
    char id[49];
    if (crypto_random(rnd, sizeof rnd))
        return s3_error(r, 500, "InternalError", "random source failed");
    b64_encode(rnd, sizeof rnd, B64_URL | B64_NOPAD, id, sizeof id); /* 32 characters: fits */
    const char *alg = http_header(r, "x-amz-checksum-algorithm");
    if (alg) {
        enum s3_cksum_alg a = s3_cksum_from_name(alg, strlen(alg));
        if (a == S3_CKSUM_NONE || a == S3_CKSUM_MD5)
            return s3_error(r, 400, "InvalidRequest", "Unsupported checksum algorithm.");
        alg = s3_cksum_name(a);
    }
    struct mpu_row m = {.upload_id = id, .bucket = c->bucket, .key = c->key,
                        .access_key_id = c->permit.access_key_id, .checksum_alg = alg,
                        .content_type = http_header(r, "Content-Type"),
                        .expires_at = c->permit.expires_at, .created_at = clock_now_ms()};
    /* Counted and created in one write transaction, so concurrent creates cannot both take the
     * last place. */
    int64_t open_now = 0;
    if (store_begin(c->s, 1, &e) != RC_OK ||
        store_mpu_open_count(c->s, c->permit.access_key_id, &open_now, &e) != RC_OK) {
        store_rollback(c->s);
        return internal(r, &e);
    }
    if (open_now >= MPU_MAX_OPEN) {
        store_rollback(c->s);
        char msg[256];
        snprintf(msg, sizeof msg,
                 "This upload permit already has %d multipart uploads in progress, the most it "
                 "allows. Complete or abort one of them, or ask for a new permit.",
                 MPU_MAX_OPEN);
        return s3_error(r, 403, "AccessDenied", msg);
    }
    if (store_mpu_create(c->s, &m, &e) != RC_OK || store_commit(c->s, &e) != RC_OK) {
        store_rollback(c->s);
        return internal(r, &e);
    }
    struct buf b;
    buf_init(&b, 8192);
    if (buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult "
                     "xmlns=\"" XMLNS "\">") ||
        s3_xml_elem(&b, "Bucket", c->bucket) || s3_xml_elem(&b, "Key", c->key) ||
        s3_xml_elem(&b, "UploadId", id) || buf_puts(&b, "</InitiateMultipartUploadResult>")) {
        buf_free(&b);
        return s3_error(r, 500, "InternalError", "response too large");
    }
    struct resp *p = xml_ok(r, &b);
    if (p && alg)
        resp_add_header(r, p, "x-amz-checksum-algorithm", alg);
    return p;
}

static struct resp *complete_reply(struct s3_call *c, const char *etag)
{
    struct req *r = c->r;
    struct buf b;
    buf_init(&b, 16384);
    char *loc = arena_printf(r->arena, "%s%s", r->tls ? "https://" : "http://",
                             http_header(r, "Host") ? http_header(r, "Host") : "localhost");
    if (buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUploadResult "
                     "xmlns=\"" XMLNS "\">") ||
        buf_puts(&b, "<Location>") || markup_escape(&b, loc) ||
        markup_escape(&b, r->raw_path) || buf_puts(&b, "</Location>") ||
        s3_xml_elem(&b, "Bucket", c->bucket) || s3_xml_elem(&b, "Key", c->key) ||
        s3_xml_elem(&b, "ETag", etag) || buf_puts(&b, "</CompleteMultipartUploadResult>")) {
        buf_free(&b);
        return s3_error(r, 500, "InternalError", "response too large");
    }
    return xml_ok(r, &b);
}

static struct resp *do_complete(struct s3_call *c)
{
    struct req *r = c->r;
    char etag_hex[33], ck[S3_CKSUM_B64_MAX];
    struct resp *p = finish_body(c, etag_hex, ck);
    if (p)
        return p;
    struct err e = {0};
    struct s3_complete_part *want;
    size_t nwant;
    enum rc rc = s3_xml_parse_complete(c->xml.p ? c->xml.p : "", c->xml.len, r->arena, &want,
                                       &nwant, &e);
    if (rc != RC_OK)
        return rc == RC_NOMEM ? internal(r, &e)
                              : s3_error(r, 400, "MalformedXML",
                                         "The XML you provided was not well-formed or did not "
                                         "validate against our published schema.");
    /* The list of parts as a signature, to recognise a retried Complete. */
    struct buf sig;
    buf_init(&sig, 1 << 20);
    for (size_t i = 0; i < nwant; i++)
        if (buf_printf(&sig, "%d:%s;", want[i].part_number, want[i].etag)) {
            buf_free(&sig);
            return s3_error(r, 400, "MalformedXML", "Too many parts.");
        }
    const char *signature = arena_strdup(r->arena, sig.p ? sig.p : "");
    buf_free(&sig);
    struct mpu_row m;
    if (store_mpu_get(c->s, c->upload_id, r->arena, &m, &e) != RC_OK)
        return internal(r, &e);
    if (strcmp(m.state, "completed") == 0) {
        /* A retried Complete of an upload that already completed with these parts succeeds. */
        if (m.completed_parts && signature && strcmp(m.completed_parts, signature) == 0)
            return complete_reply(c, m.completed_etag);
        return s3_error(r, 404, "NoSuchUpload", "The specified upload does not exist.");
    }
    struct part_row *have;
    size_t nhave;
    if (store_part_list(c->s, c->upload_id, r->arena, &have, &nhave, &e) != RC_OK)
        return internal(r, &e);
    const char **names = arena_alloc(r->arena, (nwant + 1) * sizeof *names);
    struct s3_cksum md5s;
    if (!names || s3_cksum_init(&md5s, S3_CKSUM_MD5))
        return s3_error(r, 500, "InternalError", "out of memory");
    int64_t total = 0;
    size_t h = 0;
    struct resp *fail = NULL;
    for (size_t i = 0; i < nwant && !fail; i++) {
        if (i && want[i].part_number <= want[i - 1].part_number) {
            fail = s3_error(r, 400, "InvalidPartOrder",
                            "The list of parts was not in ascending order.");
            break;
        }
        while (h < nhave && have[h].part_number < want[i].part_number)
            h++;
        char quoted[80];
        snprintf(quoted, sizeof quoted, "\"%s\"", want[i].etag);
        if (h == nhave || have[h].part_number != want[i].part_number ||
            strcmp(have[h].etag, quoted) != 0) {
            fail = s3_error(r, 400, "InvalidPart",
                            "One or more of the specified parts could not be found or its ETag "
                            "did not match.");
            break;
        }
        if (want[i].checksum && have[h].checksum && strcmp(want[i].checksum, have[h].checksum) != 0) {
            fail = s3_error(r, 400, "InvalidPart", "A part's checksum did not match.");
            break;
        }
        if (i + 1 < nwant && (uint64_t)have[h].size < MIN_PART) {
            fail = s3_error(r, 400, "EntityTooSmall",
                            "Your proposed upload is smaller than the minimum allowed object size.");
            break;
        }
        unsigned char bin[16];
        for (int k = 0; k < 16; k++) {
            unsigned v;
            sscanf(have[h].etag + 1 + 2 * k, "%2x", &v);
            bin[k] = (unsigned char)v;
        }
        s3_cksum_update(&md5s, bin, 16);
        names[i] = have[h].blob_name;
        total += have[h].size;
    }
    unsigned char md[S3_CKSUM_MAX_LEN];
    s3_cksum_final(&md5s, md);
    s3_cksum_free(&md5s);
    if (fail)
        return fail;
    if ((uint64_t)total > (uint64_t)c->permit.filesize && total > 0)
        return s3_error(r, 400, "EntityTooLarge",
                        "Your proposed upload exceeds the size declared for this upload.");
    /* Assemble the parts into one object (copy_file_range: the bytes stay in the kernel). */
    if (blob_writer_open(c->cfg->blobs, &c->w, &e) != RC_OK)
        return internal(r, &e);
    for (size_t i = 0; i < nwant; i++)
        if (blob_append_from(c->w, names[i], &e) != RC_OK)
            return internal(r, &e);
    char hex[33], etag[48];
    crypto_hex(md, 16, hex);
    snprintf(etag, sizeof etag, "\"%s-%zu\"", hex, nwant);
    if ((p = commit_object(c, etag, m.checksum_alg, NULL, total)))
        return p;
    if (store_mpu_mark_completed(c->s, c->upload_id, etag, signature, &e) != RC_OK)
        log_warn("rid=%s s3: could not record completion of %s: %s", r->request_id, c->upload_id,
                 e.msg);
    char *prefix = arena_printf(r->arena, "mpu/%s", c->upload_id);
    if (prefix)
        blob_delete_prefix(c->cfg->blobs, prefix, NULL);
    return complete_reply(c, etag);
}

static struct resp *do_abort(struct s3_call *c)
{
    struct err e = {0};
    char *prefix = arena_printf(c->r->arena, "mpu/%s", c->upload_id);
    if (store_mpu_delete(c->s, c->upload_id, &e) != RC_OK)
        return internal(c->r, &e);
    if (prefix)
        blob_delete_prefix(c->cfg->blobs, prefix, NULL);
    return empty(c->r, 204);
}

static struct resp *do_list_parts(struct s3_call *c)
{
    struct req *r = c->r;
    struct err e = {0};
    struct part_row *rows;
    size_t n;
    if (store_part_list(c->s, c->upload_id, r->arena, &rows, &n, &e) != RC_OK)
        return internal(r, &e);
    struct buf b;
    buf_init(&b, 4u << 20);
    int bad = buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListPartsResult xmlns=\"" XMLNS
                           "\">") ||
              s3_xml_elem(&b, "Bucket", c->bucket) || s3_xml_elem(&b, "Key", c->key) ||
              s3_xml_elem(&b, "UploadId", c->upload_id) ||
              buf_puts(&b, "<IsTruncated>false</IsTruncated>");
    for (size_t i = 0; i < n && !bad; i++) {
        char t[32];
        bad = buf_printf(&b, "<Part><PartNumber>%d</PartNumber><LastModified>%s</LastModified>",
                         rows[i].part_number, clock_format(rows[i].created_at, 1, t)) ||
              s3_xml_elem(&b, "ETag", rows[i].etag) ||
              buf_printf(&b, "<Size>%lld</Size></Part>", (long long)rows[i].size);
    }
    if (bad || buf_puts(&b, "</ListPartsResult>")) {
        buf_free(&b);
        return s3_error(r, 500, "InternalError", "response too large");
    }
    return xml_ok(r, &b);
}

static struct resp *do_head_object(struct s3_call *c)
{
    struct err e = {0};
    struct object_row o;
    enum rc rc = store_object_get(c->s, c->bucket, c->key, c->r->arena, &o, &e);
    if (rc == RC_NOTFOUND)
        return s3_error(c->r, 404, "NoSuchKey", "The specified key does not exist.");
    if (rc != RC_OK)
        return internal(c->r, &e);
    struct resp *p = empty(c->r, 200);
    if (p) {
        p->head_length = o.size;
        resp_add_header(c->r, p, "ETag", o.etag);
        if (o.content_type)
            p->content_type = o.content_type;
        char t[40];
        resp_add_header(c->r, p, "x-amz-meta-uploaded", clock_format(o.created_at, 0, t));
        if (o.checksum_alg && o.checksum) {
            enum s3_cksum_alg a = s3_cksum_from_name(o.checksum_alg, strlen(o.checksum_alg));
            if (a != S3_CKSUM_NONE)
                resp_add_header(c->r, p, s3_cksum_header(a), o.checksum);
        }
    }
    return p;
}

struct resp *s3_on_request(struct req *r, void *state)
{
    struct s3_call *c = state;
    log_debug("rid=%s s3 %s %s/%s", r->request_id, op_names[c->op], c->bucket, c->key);
    switch (c->op) {
    case OP_PUT:
        return do_put(c);
    case OP_PART:
        return do_part(c);
    case OP_CREATE:
        return do_create(c);
    case OP_COMPLETE:
        return do_complete(c);
    case OP_ABORT:
        return do_abort(c);
    case OP_LIST_PARTS:
        return do_list_parts(c);
    case OP_HEAD_OBJECT:
        return do_head_object(c);
    case OP_HEAD_BUCKET:
        return empty(r, 200);
    case OP_UNSUPPORTED:
        break;
    }
    return s3_error(r, 501, "NotImplemented", "not implemented");
}

int s3_reap_expired(struct s3_config *cfg, int64_t now)
{
    struct err e = {0};
    struct store *s = store_thread(&e);
    struct arena *a = arena_new();
    int count = 0;
    struct mpu_row *rows;
    size_t n;
    if (s && a && store_mpu_expired(s, now, 100, a, &rows, &n, &e) == RC_OK) {
        for (size_t i = 0; i < n; i++) {
            char prefix[128];
            snprintf(prefix, sizeof prefix, "mpu/%s", rows[i].upload_id);
            if (store_mpu_delete(s, rows[i].upload_id, &e) == RC_OK) {
                blob_delete_prefix(cfg->blobs, prefix, NULL);
                count++;
            }
        }
    }
    arena_free(a);
    return count;
}
