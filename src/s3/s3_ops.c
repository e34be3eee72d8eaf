/* s3_ops.c — each S3 operation once its body is in: PutObject, UploadPart, the multipart
 * upload's create, complete, abort and list, HeadObject. */
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
        return s3_reply_internal(r, &e);
    }
    c->w = NULL;
    struct object_row o = {.bucket = c->bucket,
                           .key = c->key,
                           .size = size,
                           .etag = etag,
                           .checksum_alg = alg_name,
                           .checksum = cksum,
                           .content_type = http_header(r, "Content-Type"),
                           .blob_name = name,
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
        return s3_reply_error(r, 403, "AccessDenied", SUBMITTED_MSG);
    }
    if (store_object_put(c->s, &o, r->arena, &old, &e) != RC_OK || store_commit(c->s, &e) != RC_OK)
        goto fail;
    if (old && strcmp(old, name) != 0)
        blob_delete(c->cfg->blobs, old, NULL);
    return NULL;
fail:
    store_rollback(c->s);
    blob_delete(c->cfg->blobs, name, NULL);
    return s3_reply_internal(r, &e);
}

struct resp *s3_do_put(struct s3_call *c)
{
    char etag_hex[33], ck[S3_CKSUM_B64_MAX];
    struct resp *p = s3_body_finish(c, etag_hex, ck);
    if (p)
        return p;
    char etag[40];
    snprintf(etag, sizeof etag, "\"%s\"", etag_hex);
    int64_t size = (int64_t)s3_chunked_decoded(&c->dec);
    if ((p = commit_object(c, etag, c->ck_alg ? s3_cksum_name(c->ck_alg) : NULL, ck[0] ? ck : NULL,
                           size)))
        return p;
    p = s3_reply_empty(c->r, 200);
    if (p) {
        resp_add_header(c->r, p, "ETag", etag);
        if (ck[0])
            resp_add_header(c->r, p, s3_cksum_header(c->ck_alg), ck);
    }
    return p;
}

struct resp *s3_do_part(struct s3_call *c)
{
    struct req *r = c->r;
    char etag_hex[33], ck[S3_CKSUM_B64_MAX];
    struct resp *p = s3_body_finish(c, etag_hex, ck);
    if (p)
        return p;
    struct err e = {0};
    char etag[40];
    snprintf(etag, sizeof etag, "\"%s\"", etag_hex);
    const char *name = fresh_blob_name(c, arena_printf(r->arena, "mpu/%s", c->upload_id));
    if (!name || blob_commit(c->w, name, &e) != RC_OK) {
        c->w = NULL;
        return s3_reply_internal(r, &e);
    }
    c->w = NULL;
    struct part_row pr = {.part_number = c->part_number,
                          .size = (int64_t)s3_chunked_decoded(&c->dec),
                          .etag = etag,
                          .checksum = ck[0] ? ck : NULL,
                          .blob_name = name,
                          .created_at = clock_now_ms()};
    const char *old = NULL;
    int64_t stored = 0;
    uint64_t cap = s3_permit_cap(c->permit.filesize);
    if (store_begin(c->s, 1, &e) != RC_OK ||
        store_part_put(c->s, c->upload_id, &pr, r->arena, &old, &e) != RC_OK ||
        store_mpu_open_bytes(c->s, c->permit.access_key_id, NULL, 0, &stored, &e) != RC_OK) {
        store_rollback(c->s);
        blob_delete(c->cfg->blobs, name, NULL);
        return s3_reply_internal(r, &e);
    }
    /* Checked again where it commits: another node may have taken the room meanwhile. */
    if ((uint64_t)stored > cap) {
        store_rollback(c->s);
        blob_delete(c->cfg->blobs, name, NULL);
        return s3_body_too_much(c, cap);
    }
    if (store_commit(c->s, &e) != RC_OK) {
        store_rollback(c->s);
        blob_delete(c->cfg->blobs, name, NULL);
        return s3_reply_internal(r, &e);
    }
    /* A re-uploaded part replaces the earlier one (retries and resends). */
    if (old)
        blob_delete(c->cfg->blobs, old, NULL);
    p = s3_reply_empty(r, 200);
    if (p) {
        resp_add_header(r, p, "ETag", etag);
        if (ck[0])
            resp_add_header(r, p, s3_cksum_header(c->ck_alg), ck);
    }
    return p;
}

int s3_upload_id_new(char out[S3_UPLOAD_ID_MAX])
{
    unsigned char rnd[24];
    if (crypto_random(rnd, sizeof rnd))
        return -1;
    b64_encode(rnd, sizeof rnd, B64_URL | B64_NOPAD, out, S3_UPLOAD_ID_MAX); /* 32 characters */
    /* Clients pass the id on command lines (aws s3api ... --upload-id ID): one that began with
     * '-' would be read as an option there. The first character is always a letter. */
    if (out[0] == '-' || out[0] == '_')
        out[0] = (char)('A' + (rnd[0] & 15));
    return 0;
}

struct resp *s3_do_create(struct s3_call *c)
{
    struct req *r = c->r;
    struct err e = {0};
    char id[S3_UPLOAD_ID_MAX];
    if (s3_upload_id_new(id))
        return s3_reply_error(r, 500, "InternalError", "random source failed");
    const char *alg = http_header(r, "x-amz-checksum-algorithm");
    if (alg) {
        enum s3_cksum_alg a = s3_cksum_from_name(alg, strlen(alg));
        if (a == S3_CKSUM_NONE || a == S3_CKSUM_MD5)
            return s3_reply_error(r, 400, "InvalidRequest", "Unsupported checksum algorithm.");
        alg = s3_cksum_name(a);
    }
    struct mpu_row m = {.upload_id = id,
                        .bucket = c->bucket,
                        .key = c->key,
                        .access_key_id = c->permit.access_key_id,
                        .checksum_alg = alg,
                        .content_type = http_header(r, "Content-Type"),
                        .expires_at = c->permit.expires_at,
                        .created_at = clock_now_ms()};
    /* Counted and created in one write transaction, so concurrent creates cannot both take the
     * last place. */
    int64_t open_now = 0;
    if (store_begin(c->s, 1, &e) != RC_OK ||
        store_mpu_open_count(c->s, c->permit.access_key_id, &open_now, &e) != RC_OK) {
        store_rollback(c->s);
        return s3_reply_internal(r, &e);
    }
    if (open_now >= MPU_MAX_OPEN) {
        store_rollback(c->s);
        char msg[256];
        snprintf(msg, sizeof msg,
                 "This upload permit already has %d multipart uploads in progress, the most it "
                 "allows. Complete or abort one of them, or ask for a new permit.",
                 MPU_MAX_OPEN);
        return s3_reply_error(r, 403, "AccessDenied", msg);
    }
    if (store_mpu_create(c->s, &m, &e) != RC_OK || store_commit(c->s, &e) != RC_OK) {
        store_rollback(c->s);
        return s3_reply_internal(r, &e);
    }
    struct buf b;
    buf_init(&b, 8192);
    if (buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult "
                     "xmlns=\"" XMLNS "\">") ||
        s3_xml_elem(&b, "Bucket", c->bucket) || s3_xml_elem(&b, "Key", c->key) ||
        s3_xml_elem(&b, "UploadId", id) || buf_puts(&b, "</InitiateMultipartUploadResult>")) {
        buf_free(&b);
        return s3_reply_error(r, 500, "InternalError", "response too large");
    }
    struct resp *p = s3_reply_xml(r, &b);
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
        buf_puts(&b, "<Location>") || markup_escape(&b, loc) || markup_escape(&b, r->raw_path) ||
        buf_puts(&b, "</Location>") || s3_xml_elem(&b, "Bucket", c->bucket) ||
        s3_xml_elem(&b, "Key", c->key) || s3_xml_elem(&b, "ETag", etag) ||
        buf_puts(&b, "</CompleteMultipartUploadResult>")) {
        buf_free(&b);
        return s3_reply_error(r, 500, "InternalError", "response too large");
    }
    return s3_reply_xml(r, &b);
}

struct resp *s3_do_complete(struct s3_call *c)
{
    struct req *r = c->r;
    char etag_hex[33], ck[S3_CKSUM_B64_MAX];
    struct resp *p = s3_body_finish(c, etag_hex, ck);
    if (p)
        return p;
    struct err e = {0};
    struct s3_complete_part *want;
    size_t nwant;
    enum rc rc =
        s3_xml_parse_complete(c->xml.p ? c->xml.p : "", c->xml.len, r->arena, &want, &nwant, &e);
    if (rc != RC_OK)
        return rc == RC_NOMEM
                   ? s3_reply_internal(r, &e)
                   : s3_reply_error(r, 400, "MalformedXML",
                                    "The XML you provided was not well-formed or did not "
                                    "validate against our published schema.");
    /* The list of parts as a signature, to recognise a retried Complete. */
    struct buf sig;
    buf_init(&sig, 1 << 20);
    for (size_t i = 0; i < nwant; i++)
        if (buf_printf(&sig, "%d:%s;", want[i].part_number, want[i].etag)) {
            buf_free(&sig);
            return s3_reply_error(r, 400, "MalformedXML", "Too many parts.");
        }
    const char *signature = arena_strdup(r->arena, sig.p ? sig.p : "");
    buf_free(&sig);
    struct mpu_row m;
    if (store_mpu_get(c->s, c->upload_id, r->arena, &m, &e) != RC_OK)
        return s3_reply_internal(r, &e);
    if (strcmp(m.state, "completed") == 0) {
        /* A retried Complete of an upload that already completed with these parts succeeds. */
        if (m.completed_parts && signature && strcmp(m.completed_parts, signature) == 0)
            return complete_reply(c, m.completed_etag);
        return s3_reply_error(r, 404, "NoSuchUpload", "The specified upload does not exist.");
    }
    struct part_row *have;
    size_t nhave;
    if (store_part_list(c->s, c->upload_id, r->arena, &have, &nhave, &e) != RC_OK)
        return s3_reply_internal(r, &e);
    const char **names = arena_alloc(r->arena, (nwant + 1) * sizeof *names);
    struct s3_cksum md5s;
    if (!names || s3_cksum_init(&md5s, S3_CKSUM_MD5))
        return s3_reply_error(r, 500, "InternalError", "out of memory");
    int64_t total = 0;
    size_t h = 0;
    struct resp *fail = NULL;
    for (size_t i = 0; i < nwant && !fail; i++) {
        if (i && want[i].part_number <= want[i - 1].part_number) {
            fail = s3_reply_error(r, 400, "InvalidPartOrder",
                                  "The list of parts was not in ascending order.");
            break;
        }
        while (h < nhave && have[h].part_number < want[i].part_number)
            h++;
        char quoted[80];
        snprintf(quoted, sizeof quoted, "\"%s\"", want[i].etag);
        if (h == nhave || have[h].part_number != want[i].part_number ||
            strcmp(have[h].etag, quoted) != 0) {
            fail =
                s3_reply_error(r, 400, "InvalidPart",
                               "One or more of the specified parts could not be found or its ETag "
                               "did not match.");
            break;
        }
        if (want[i].checksum && have[h].checksum &&
            strcmp(want[i].checksum, have[h].checksum) != 0) {
            fail = s3_reply_error(r, 400, "InvalidPart", "A part's checksum did not match.");
            break;
        }
        if (i + 1 < nwant && (uint64_t)have[h].size < MIN_PART) {
            fail = s3_reply_error(
                r, 400, "EntityTooSmall",
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
        return s3_reply_error(r, 400, "EntityTooLarge",
                              "Your proposed upload exceeds the size declared for this upload.");
    /* Assemble the parts into one object (copy_file_range: the bytes stay in the kernel). */
    if (blob_writer_open(c->cfg->blobs, &c->w, &e) != RC_OK)
        return s3_reply_internal(r, &e);
    for (size_t i = 0; i < nwant; i++)
        if (blob_append_from(c->w, names[i], &e) != RC_OK)
            return s3_reply_internal(r, &e);
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

struct resp *s3_do_abort(struct s3_call *c)
{
    struct err e = {0};
    char *prefix = arena_printf(c->r->arena, "mpu/%s", c->upload_id);
    if (store_mpu_delete(c->s, c->upload_id, &e) != RC_OK)
        return s3_reply_internal(c->r, &e);
    if (prefix)
        blob_delete_prefix(c->cfg->blobs, prefix, NULL);
    return s3_reply_empty(c->r, 204);
}

struct resp *s3_do_list_parts(struct s3_call *c)
{
    struct req *r = c->r;
    struct err e = {0};
    struct part_row *rows;
    size_t n;
    if (store_part_list(c->s, c->upload_id, r->arena, &rows, &n, &e) != RC_OK)
        return s3_reply_internal(r, &e);
    struct buf b;
    buf_init(&b, 4u << 20);
    int bad =
        buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListPartsResult xmlns=\"" XMLNS
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
        return s3_reply_error(r, 500, "InternalError", "response too large");
    }
    return s3_reply_xml(r, &b);
}

struct resp *s3_do_head_object(struct s3_call *c)
{
    struct err e = {0};
    struct object_row o;
    enum rc rc = store_object_get(c->s, c->bucket, c->key, c->r->arena, &o, &e);
    if (rc == RC_NOTFOUND)
        return s3_reply_error(c->r, 404, "NoSuchKey", "The specified key does not exist.");
    if (rc != RC_OK)
        return s3_reply_internal(c->r, &e);
    struct resp *p = s3_reply_empty(c->r, 200);
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
