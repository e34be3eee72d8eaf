/* fuzz_chunked.c — libFuzzer target for s3/chunked: any body in any mode, decoded whole and
 * again in pieces chosen by the input; the two runs must agree on the verdict, the payload,
 * the decoded length and the trailers, and nothing may read or write out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "s3/checksum.h"
#include "s3/chunked.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct run {
    enum s3_chunked_rc rc;
    uint64_t decoded, bytes;
    uint32_t crc;
    char trailers[S3_CHUNKED_TRAILER_BYTES + 2 * S3_CHUNKED_TRAILERS_MAX + 1];
};

static int on_data(void *user, const unsigned char *p, size_t n)
{
    struct run *r = user;
    r->crc = s3_crc32(r->crc, p, n);
    r->bytes += n;
    return 0;
}

/* Decodes body[0..n) cut every `step` bytes (0: whole); the config comes from the selector. */
static void decode(struct run *r, uint8_t sel, const struct s3_sig_ctx *ctx, const uint8_t *body, size_t n,
                   size_t step)
{
    static const enum s3_payload_mode modes[] = {
        S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER, S3_PAYLOAD_STREAMING_SIGNED, S3_PAYLOAD_STREAMING_SIGNED_TRAILER,
        S3_PAYLOAD_UNSIGNED, S3_PAYLOAD_HASH};
    static const unsigned char zero[32];
    static const char *const declared[] = {NULL, "x-amz-checksum-crc32", "x-amz-checksum-crc32c,x-amz-checksum-sha1",
                                           "a,b"};
    struct s3_chunked_cfg cfg = {
        .mode = modes[sel % 5],
        .payload_sha256 = zero,
        .sig = ctx,
        .declared_trailers = declared[(sel >> 3) & 3],
        .decoded_length = (sel & 0x20) ? (int64_t)(sel & 0x0f) : -1,
        .max_length = (sel & 0x40) ? 64 : 0,
        .on_data = on_data,
        .user = r,
    };
    struct s3_chunked d;
    memset(r, 0, sizeof *r);
    r->rc = s3_chunked_init(&d, &cfg);
    size_t at = 0;
    while (r->rc == S3_CHUNKED_OK && at < n) {
        size_t k = step && n - at > step ? step : n - at;
        r->rc = s3_chunked_feed(&d, body + at, k);
        at += k;
        if (r->rc == S3_CHUNKED_DONE && at < n)
            r->rc = s3_chunked_feed(&d, body + at, n - at);
    }
    if (r->rc == S3_CHUNKED_OK || r->rc == S3_CHUNKED_DONE)
        r->rc = s3_chunked_finish(&d);
    r->decoded = s3_chunked_decoded(&d);
    size_t o = 0;
    for (int i = 0; i < s3_chunked_trailer_count(&d); i++) {
        const struct s3_trailer *t = s3_chunked_trailer_at(&d, i);
        size_t nl = strlen(t->name), vl = strlen(t->value);
        if (o + nl + vl + 2 >= sizeof r->trailers)
            abort(); /* more than the decoder may ever store */
        memcpy(r->trailers + o, t->name, nl);
        r->trailers[o + nl] = '=';
        memcpy(r->trailers + o + nl + 1, t->value, vl);
        r->trailers[o + nl + 1 + vl] = ';';
        o += nl + vl + 2;
    }
    r->trailers[o] = '\0';
    s3_chunked_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct s3_sig_ctx ctx;
    static int ready;
    if (!ready) {
        if (s3_sig_ctx_init(&ctx, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524", "us-east-1",
                            "20130524T000000Z", "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"))
            abort();
        ready = 1;
    }
    if (size < 2)
        return 0;
    uint8_t sel = data[0], step = data[1];
    struct run whole, split;
    decode(&whole, sel, &ctx, data + 2, size - 2, 0);
    decode(&split, sel, &ctx, data + 2, size - 2, (size_t)(step % 17) + 1);
    if (whole.rc != split.rc)
        abort();
    if (whole.rc == S3_CHUNKED_DONE &&
        (whole.decoded != split.decoded || whole.bytes != split.bytes || whole.crc != split.crc ||
         whole.bytes != whole.decoded || strcmp(whole.trailers, split.trailers) != 0))
        abort();
    return 0;
}
