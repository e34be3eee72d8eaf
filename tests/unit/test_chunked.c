/* test_chunked.c — s3/chunked: the AWS streaming examples (signed, signed + trailer), bodies
 * captured from botocore 1.43.11 and @aws-sdk/client-s3 3.1174, signed bodies built by a Python
 * reimplementation of the algorithm, and invalid framings; each fed whole, in every 2-way split
 * and in 3-way splits, with the same output and the same verdict required every time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/base64.h"
#include "s3/checksum.h"
#include "s3/chunked.h"

static const char AWS_SECRET[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
#define SEED "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
#define SEED_TRAILER "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e"

static struct s3_sig_ctx ctx_signed, ctx_trailer;

static int setup(void **state)
{
    (void)state;
    if (s3_sig_ctx_init(&ctx_signed, AWS_SECRET, "20130524", "us-east-1", "20130524T000000Z", SEED) ||
        s3_sig_ctx_init(&ctx_trailer, AWS_SECRET, "20130524", "us-east-1", "20130524T000000Z", SEED_TRAILER))
        return -1;
    return 0;
}

/* --- a decode run and its observable result --- */

struct sinkbuf {
    unsigned char *p;
    size_t len, cap;
    size_t calls;
    long fail_after; /* refuse once this many bytes were accepted; -1 never */
};

static int on_data(void *user, const unsigned char *p, size_t n)
{
    struct sinkbuf *s = user;
    s->calls++;
    if (n == 0)
        return 0;
    if (s->fail_after >= 0 && s->len + n > (size_t)s->fail_after)
        return 1;
    assert_true(s->len + n <= s->cap);
    memcpy(s->p + s->len, p, n);
    s->len += n;
    return 0;
}

struct result {
    enum s3_chunked_rc rc;
    uint64_t decoded;
    size_t len;
    unsigned char *out;
    char trailers[512]; /* "name=value;" for each trailer */
};

static void result_free(struct result *r)
{
    free(r->out);
    r->out = NULL;
}

/* Feeds body cut at the given offsets (ascending), then finishes; stops at the first error. */
static struct result decode(const struct s3_chunked_cfg *base, const void *body, size_t n, const size_t *cuts,
                            int ncuts, long fail_after)
{
    struct result r;
    struct sinkbuf s = {.p = malloc(n + 1), .cap = n, .fail_after = fail_after};
    struct s3_chunked d;
    struct s3_chunked_cfg cfg = *base;
    assert_non_null(s.p);
    memset(&r, 0, sizeof r);
    cfg.on_data = on_data;
    cfg.user = &s;
    r.rc = s3_chunked_init(&d, &cfg);
    size_t at = 0;
    for (int i = 0; i <= ncuts && r.rc == S3_CHUNKED_OK; i++) {
        size_t end = i < ncuts ? cuts[i] : n;
        r.rc = s3_chunked_feed(&d, (const unsigned char *)body + at, end - at);
        at = end;
        if (r.rc == S3_CHUNKED_DONE && at < n) {
            /* DONE mid-way: what follows must be refused. */
            r.rc = s3_chunked_feed(&d, (const unsigned char *)body + at, n - at);
            assert_int_not_equal(r.rc, S3_CHUNKED_OK);
            break;
        }
    }
    if (r.rc == S3_CHUNKED_OK || r.rc == S3_CHUNKED_DONE)
        r.rc = s3_chunked_finish(&d);
    /* Errors are sticky. */
    if (r.rc != S3_CHUNKED_DONE) {
        assert_int_equal(s3_chunked_feed(&d, "x", 1), r.rc);
        assert_int_equal(s3_chunked_finish(&d), r.rc);
    }
    r.decoded = s3_chunked_decoded(&d);
    r.len = s.len;
    r.out = s.p;
    size_t o = 0;
    for (int i = 0; i < s3_chunked_trailer_count(&d); i++) {
        const struct s3_trailer *t = s3_chunked_trailer_at(&d, i);
        o += (size_t)snprintf(r.trailers + o, sizeof r.trailers - o, "%s=%s;", t->name, t->value);
        assert_true(o < sizeof r.trailers);
        assert_string_equal(s3_chunked_trailer(&d, t->name), t->value);
    }
    assert_null(s3_chunked_trailer_at(&d, s3_chunked_trailer_count(&d)));
    assert_null(s3_chunked_trailer_at(&d, -1));
    s3_chunked_free(&d);
    s3_chunked_free(&d);
    return r;
}

static void same(const struct result *a, const struct result *b, int compare_output)
{
    assert_int_equal(a->rc, b->rc);
    if (!compare_output)
        return;
    assert_true(a->decoded == b->decoded);
    assert_int_equal(a->len, b->len);
    assert_memory_equal(a->out, b->out, a->len);
    assert_string_equal(a->trailers, b->trailers);
}

/* Every 2-way split (and the 3-way splits around each position of the first `three` bytes and
 * of the last `three` bytes) gives the same verdict; with output for valid bodies. `stride`
 * thins the 2-way splits inside long runs of data (1 = every split). */
static void all_splits(const struct s3_chunked_cfg *cfg, const void *body, size_t n, const struct result *whole,
                       size_t stride, size_t three)
{
    int output = whole->rc == S3_CHUNKED_DONE;
    for (size_t i = 0; i <= n; i++) {
        if (stride > 1 && i > 200 && i + 200 < n && i % stride)
            continue;
        struct result r = decode(cfg, body, n, &i, 1, -1);
        same(&r, whole, output);
        result_free(&r);
    }
    for (size_t i = 0; i <= n; i++) {
        if (i > three && i + three < n)
            continue;
        size_t step = n <= 400 ? 1 : n / 64;
        for (size_t j = i; j <= n; j += (j > three && j + three < n) ? step : 1) {
            size_t cuts[2] = {i, j};
            struct result r = decode(cfg, body, n, cuts, 2, -1);
            same(&r, whole, output);
            result_free(&r);
        }
    }
    /* Byte by byte. */
    size_t *cuts = malloc((n + 1) * sizeof *cuts);
    assert_non_null(cuts);
    for (size_t i = 0; i < n; i++)
        cuts[i] = i + 1;
    struct result r = decode(cfg, body, n, cuts, n ? (int)n - 1 : 0, -1);
    same(&r, whole, output);
    result_free(&r);
    free(cuts);
}

static struct s3_chunked_cfg cfg_mode(enum s3_payload_mode m, const char *declared, int64_t len)
{
    struct s3_chunked_cfg c = {.mode = m, .declared_trailers = declared, .decoded_length = len};
    if (m == S3_PAYLOAD_STREAMING_SIGNED)
        c.sig = &ctx_signed;
    if (m == S3_PAYLOAD_STREAMING_SIGNED_TRAILER)
        c.sig = &ctx_trailer;
    return c;
}

/* Decodes whole, checks the expectation, then checks every split against it. */
static void check_body(const struct s3_chunked_cfg *cfg, const char *body, size_t n, enum s3_chunked_rc want,
                       const char *want_out, const char *want_trailers)
{
    struct result whole = decode(cfg, body, n, NULL, 0, -1);
    assert_int_equal(whole.rc, want);
    if (want == S3_CHUNKED_DONE) {
        assert_int_equal(whole.len, strlen(want_out));
        assert_memory_equal(whole.out, want_out, whole.len);
        assert_true(whole.decoded == whole.len);
        assert_string_equal(whole.trailers, want_trailers ? want_trailers : "");
    }
    all_splits(cfg, body, n, &whole, 1, 12);
    result_free(&whole);
}

#define BODY(s) s, sizeof(s) - 1

#define HELLO "Hello, Guidepost! Hello, Guidepost! Hello, Guidepost! \n"
#define SIG64 "0000000000000000000000000000000000000000000000000000000000000000"

/* --- valid bodies --- */

static void test_botocore_bodies(void **state)
{
    (void)state;
    /* botocore 1.43.11 PutObject over https: 55 bytes, one aws-chunk, CRC32 trailer. */
    struct s3_chunked_cfg c = cfg_mode(S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER, "x-amz-checksum-crc32", 55);
    check_body(&c, BODY("37\r\n" HELLO "\r\n0\r\nx-amz-checksum-crc32:UFMLTQ==\r\n\r\n"), S3_CHUNKED_DONE, HELLO,
               "x-amz-checksum-crc32=UFMLTQ==;");
    /* The JS SDK's stream body is byte-identical (same 55 bytes, hex 37, same trailer). */
    c = cfg_mode(S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER, "X-Amz-Checksum-CRC32", -1);
    check_body(&c, BODY("37\r\n" HELLO "\r\n0\r\nx-amz-checksum-crc32:UFMLTQ==\r\n\r\n"), S3_CHUNKED_DONE, HELLO,
               "x-amz-checksum-crc32=UFMLTQ==;");
    /* botocore UploadPart of an empty part. */
    c = cfg_mode(S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER, "x-amz-checksum-crc32", 0);
    check_body(&c, BODY("0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n"), S3_CHUNKED_DONE, "",
               "x-amz-checksum-crc32=AAAAAA==;");
}

static void test_unsigned_variants(void **state)
{
    (void)state;
    struct s3_chunked_cfg c = cfg_mode(S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER, "x-amz-checksum-crc32", 21);
    /* Several chunks, lower- and upper-case hex, leading zeros. */
    check_body(&c, BODY("a\r\n0123456789\r\nB\r\nabcdefghijk\r\n0\r\nx-amz-checksum-crc32:SrNDPA==\r\n\r\n"),
               S3_CHUNKED_DONE, "0123456789abcdefghijk", "x-amz-checksum-crc32=SrNDPA==;");
    check_body(&c, BODY("000a\r\n0123456789\r\n0b\r\nabcdefghijk\r\n000\r\nx-amz-checksum-crc32:SrNDPA==\r\n\r\n"),
               S3_CHUNKED_DONE, "0123456789abcdefghijk", "x-amz-checksum-crc32=SrNDPA==;");
    /* Blanks around ':' and the value, names in any case (§2.5). */
    c = cfg_mode(S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER, "x-amz-checksum-crc32", 3);
    check_body(&c, BODY("3\r\nabc\r\n0\r\nX-Amz-Checksum-CRC32 : \tNSRBwg== \r\n\r\n"), S3_CHUNKED_DONE, "abc",
               "x-amz-checksum-crc32=NSRBwg==;");
    /* chunk-signature and other extensions are tolerated in unsigned modes. */
    check_body(&c, BODY("3;chunk-signature=" SIG64 "\r\nabc\r\n0;chunk-signature=" SIG64
                        "\r\nx-amz-checksum-crc32:NSRBwg==\r\n\r\n"),
               S3_CHUNKED_DONE, "abc", "x-amz-checksum-crc32=NSRBwg==;");
    check_body(&c, BODY("3 ; foo = bar ;baz\r\nabc\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\n\r\n"), S3_CHUNKED_DONE,
               "abc", "x-amz-checksum-crc32=NSRBwg==;");
    /* No X-Amz-Trailer and no trailer: accepted (versitygw#1632). */
    c = cfg_mode(S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER, NULL, 3);
    check_body(&c, BODY("3\r\nabc\r\n0\r\n\r\n"), S3_CHUNKED_DONE, "abc", "");
    /* The JS encoder without a checksum stops after "0\r\n": accepted at finish. */
    check_body(&c, BODY("3\r\nabc\r\n0\r\n"), S3_CHUNKED_DONE, "abc", "");
    /* Two declared trailers, sent in the other order. */
    c = cfg_mode(S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER, "x-amz-checksum-crc32, x-amz-checksum-sha1", 3);
    check_body(&c, BODY("3\r\nabc\r\n0\r\nx-amz-checksum-sha1:qZk+NkcGgWq6PiVxeFDCbJzQ2J0=\r\n"
                        "x-amz-checksum-crc32:NSRBwg==\r\n\r\n"),
               S3_CHUNKED_DONE, "abc", "x-amz-checksum-sha1=qZk+NkcGgWq6PiVxeFDCbJzQ2J0=;x-amz-checksum-crc32=NSRBwg==;");
}

static void test_signed_small(void **state)
{
    (void)state;
    /* Chunk signatures computed in Python from the AWS example seed. */
    struct s3_chunked_cfg c = cfg_mode(S3_PAYLOAD_STREAMING_SIGNED, NULL, 8);
    check_body(&c,
               BODY("3;chunk-signature=e911d05c1a01ba430c96ab3bd82a248c6995be8f4db64535e784a24c5567504a\r\nabc\r\n"
                    "5;chunk-signature=d8dec8a8a72cc030ae957f2ea886dd0ca46ee3dd1c9e254af0a36216f7ad49f3\r\ndefgh\r\n"
                    "0;chunk-signature=2455acbbade394919ab0b00dc4f4200b3180218a0929c6d9dfe9d2cdac3d0213\r\n\r\n"),
               S3_CHUNKED_DONE, "abcdefgh", "");
    /* Upper-case hex in a signature is the same signature. */
    check_body(&c,
               BODY("3;chunk-signature=E911D05C1A01BA430C96AB3BD82A248C6995BE8F4DB64535E784A24C5567504A\r\nabc\r\n"
                    "5;chunk-signature=d8dec8a8a72cc030ae957f2ea886dd0ca46ee3dd1c9e254af0a36216f7ad49f3\r\ndefgh\r\n"
                    "0;chunk-signature=2455acbbade394919ab0b00dc4f4200b3180218a0929c6d9dfe9d2cdac3d0213\r\n\r\n"),
               S3_CHUNKED_DONE, "abcdefgh", "");
    c = cfg_mode(S3_PAYLOAD_STREAMING_SIGNED_TRAILER, "x-amz-checksum-crc32c", 17);
    check_body(&c,
               BODY("7;chunk-signature=54eea8fecae2898ed3096d3540d79b9c83d4b230e1bab76cbe1b9e83b212db22\r\nHello, \r\n"
                    "a;chunk-signature=9aaff99e5e162dc73d75f575eba1d846ef4733820eac3eabeb88a97c7cb0f33b\r\n"
                    "Guidepost!\r\n"
                    "0;chunk-signature=4c33ebd85dc2b0b2c36d860a3642740c4b78e9f848951f4b47ad53625531b76d\r\n"
                    "x-amz-checksum-crc32c:TO563Q==\r\n"
                    "x-amz-trailer-signature:247a115e77e77f448b96e058b2975fdd82a82b082b65ea8f170060a728b43e37\r\n"
                    "\r\n"),
               S3_CHUNKED_DONE, "Hello, Guidepost!", "x-amz-checksum-crc32c=TO563Q==;");
    /* Signed trailer with no trailer field: only the signature line. */
    c = cfg_mode(S3_PAYLOAD_STREAMING_SIGNED_TRAILER, NULL, 3);
    check_body(&c,
               BODY("3;chunk-signature=8ea9d478d83b6b681f1a5efb18bb0255c0e27f92afd6713a24de308c675a88db\r\nxyz\r\n"
                    "0;chunk-signature=c6a6b6e262acdb6e082c09be633e7d3e3c4e23a6d7f5e76a0e2475cac7953f72\r\n"
                    "x-amz-trailer-signature:cac490bef2e5f897582f91ba400d7f6365ef52ce744c0a9592d2b0a77f5a3c22\r\n\r\n"),
               S3_CHUNKED_DONE, "xyz", "");
}

/* The AWS examples: 64 KiB + 1 KiB of 'a' (sigv4-streaming.html, sigv4-streaming-trailers.html). */
static char *aws_body(int trailer, size_t *n)
{
    char *b = malloc(70000);
    assert_non_null(b);
    size_t o = 0;
    const char *s1 = trailer ? "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2"
                             : "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648";
    const char *s2 = trailer ? "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7"
                             : "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497";
    const char *s3 = trailer ? "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992"
                             : "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9";
    o += (size_t)snprintf(b + o, 70000 - o, "10000;chunk-signature=%s\r\n", s1);
    memset(b + o, 'a', 65536);
    o += 65536;
    o += (size_t)snprintf(b + o, 70000 - o, "\r\n400;chunk-signature=%s\r\n", s2);
    memset(b + o, 'a', 1024);
    o += 1024;
    o += (size_t)snprintf(b + o, 70000 - o, "\r\n0;chunk-signature=%s\r\n", s3);
    if (trailer)
        o += (size_t)snprintf(b + o, 70000 - o,
                              "x-amz-checksum-crc32c:sOO8/Q==\r\n"
                              "x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n");
    o += (size_t)snprintf(b + o, 70000 - o, "\r\n");
    *n = o;
    return b;
}

static void test_aws_examples(void **state)
{
    (void)state;
    for (int trailer = 0; trailer <= 1; trailer++) {
        size_t n;
        char *b = aws_body(trailer, &n);
        if (!trailer)
            assert_int_equal(n, 66824); /* the example's Content-Length */
        struct s3_chunked_cfg c =
            cfg_mode(trailer ? S3_PAYLOAD_STREAMING_SIGNED_TRAILER : S3_PAYLOAD_STREAMING_SIGNED,
                     trailer ? "x-amz-checksum-crc32c" : NULL, 66560);
        struct result whole = decode(&c, b, n, NULL, 0, -1);
        assert_int_equal(whole.rc, S3_CHUNKED_DONE);
        assert_true(whole.decoded == 66560);
        assert_int_equal(whole.len, 66560);
        for (size_t i = 0; i < whole.len; i++)
            assert_int_equal(whole.out[i], 'a');
        assert_string_equal(whole.trailers, trailer ? "x-amz-checksum-crc32c=sOO8/Q==;" : "");
        /* The trailer's checksum is the payload's (what the caller checks next). */
        if (trailer) {
            struct s3_cksum ck;
            char b64[S3_CKSUM_B64_MAX];
            assert_int_equal(s3_cksum_init(&ck, S3_CKSUM_CRC32C), 0);
            s3_cksum_update(&ck, whole.out, whole.len);
            assert_true(s3_cksum_final_b64(&ck, b64) > 0);
            assert_string_equal(b64, "sOO8/Q==");
        }
        /* Every split in the framing, every 1009th in the data. */
        all_splits(&c, b, n, &whole, 1009, 4);
        /* One payload byte changed: the first chunk's signature fails. */
        b[100] = 'b';
        struct result bad = decode(&c, b, n, NULL, 0, -1);
        assert_int_equal(bad.rc, S3_CHUNKED_ERR_SIGNATURE);
        result_free(&bad);
        b[100] = 'a';
        /* A different seed (another request's signature) breaks the chain at once. */
        struct s3_chunked_cfg c2 = c;
        c2.sig = trailer ? &ctx_signed : &ctx_trailer;
        bad = decode(&c2, b, n, NULL, 0, -1);
        assert_int_equal(bad.rc, S3_CHUNKED_ERR_SIGNATURE);
        assert_int_equal(bad.len, 65536); /* data came out before its signature was known */
        result_free(&bad);
        result_free(&whole);
        free(b);
    }
}

/* --- invalid bodies: the verdict, whole and split --- */

static void test_framing_errors(void **state)
{
    (void)state;
    struct s3_chunked_cfg c = cfg_mode(S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER, NULL, -1);
    static const struct {
        const char *body;
        enum s3_chunked_rc want;
    } cases[] = {
        {"3\nabc\r\n0\r\n\r\n", S3_CHUNKED_ERR_FRAMING},      /* bare LF */
        {"3\r\nabcX\r\n0\r\n\r\n", S3_CHUNKED_ERR_FRAMING},   /* no CRLF after data */
        {"3\r\nabc\n0\r\n\r\n", S3_CHUNKED_ERR_FRAMING},
        {"3\r\nabc\r0\r\n\r\n", S3_CHUNKED_ERR_FRAMING},
        {"3\rabc\r\n0\r\n\r\n", S3_CHUNKED_ERR_FRAMING},
        {"3\r\nabc\r\n0\r\n\n", S3_CHUNKED_ERR_FRAMING},
        {"3\r\nabc\r\n0\r\n\rx", S3_CHUNKED_ERR_FRAMING},
        {"g\r\nabc\r\n0\r\n\r\n", S3_CHUNKED_ERR_FRAMING},    /* not hex */
        {"\r\nabc\r\n0\r\n\r\n", S3_CHUNKED_ERR_FRAMING},     /* empty size */
        {" 3\r\nabc\r\n0\r\n\r\n", S3_CHUNKED_ERR_FRAMING},
        {"-3\r\nabc\r\n0\r\n\r\n", S3_CHUNKED_ERR_FRAMING},
        {"0x3\r\nabc\r\n0\r\n\r\n", S3_CHUNKED_ERR_FRAMING},
        {"+3\r\nabc\r\n0\r\n\r\n", S3_CHUNKED_ERR_FRAMING},
        {"10000000000000000\r\n", S3_CHUNKED_ERR_FRAMING},   /* 2^64: overflow */
        {"3;\r\nabc\r\n0\r\n\r\n", S3_CHUNKED_ERR_FRAMING},   /* empty extension */
        {"3;=x\r\nabc\r\n0\r\n\r\n", S3_CHUNKED_ERR_FRAMING},
        {"3;a=\r\nabc\r\n0\r\n\r\n", S3_CHUNKED_ERR_FRAMING},
        {"3;a=\"q\"\r\nabc\r\n0\r\n\r\n", S3_CHUNKED_ERR_FRAMING},
        {"3;a;b;c;d;e\r\nabc\r\n0\r\n\r\n", S3_CHUNKED_ERR_FRAMING}, /* over S3_CHUNKED_EXT_MAX */
        {"3;chunk-signature=1;chunk-signature=2\r\nabc\r\n0\r\n\r\n", S3_CHUNKED_ERR_FRAMING},
        {"3x\r\nabc\r\n0\r\n\r\n", S3_CHUNKED_ERR_FRAMING},
        {"3\r\nabc\r\n0\r\n\r\nx", S3_CHUNKED_ERR_FRAMING},   /* bytes after the end */
        {"3\r\nabc\r\n0\r\n\r\n\r\n", S3_CHUNKED_ERR_FRAMING},
        {"3\r\nabc\r\n0\r\n\r\n0\r\n\r\n", S3_CHUNKED_ERR_FRAMING},
        {"3\r\nab", S3_CHUNKED_ERR_TRUNCATED},
        {"3\r\nabc", S3_CHUNKED_ERR_TRUNCATED},
        {"3\r\nabc\r\n", S3_CHUNKED_ERR_TRUNCATED},
        {"3\r\nabc\r\n0", S3_CHUNKED_ERR_TRUNCATED},
        {"3\r\nabc\r\n0\r", S3_CHUNKED_ERR_TRUNCATED},
        {"3\r\nabc\r\n0\r\n\r", S3_CHUNKED_ERR_TRUNCATED},
        {"", S3_CHUNKED_ERR_TRUNCATED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        print_message("# framing case %zu\n", i);
        check_body(&c, cases[i].body, strlen(cases[i].body), cases[i].want, NULL, NULL);
    }
    /* A size line over S3_CHUNKED_LINE_MAX, even of valid hex. */
    char line[S3_CHUNKED_LINE_MAX + 16];
    memset(line, '0', S3_CHUNKED_LINE_MAX); /* LINE_MAX + 1 characters */
    snprintf(line + S3_CHUNKED_LINE_MAX, 16, "3\r\nabc\r\n");
    check_body(&c, line, strlen(line), S3_CHUNKED_ERR_FRAMING, NULL, NULL);
    memset(line, '0', S3_CHUNKED_LINE_MAX - 1);
    snprintf(line + S3_CHUNKED_LINE_MAX - 1, 16, "3\r\nabc\r\n0\r\n\r\n"); /* exactly at the cap: fine */
    check_body(&c, line, strlen(line), S3_CHUNKED_DONE, "abc", NULL);
}

static void test_length_rules(void **state)
{
    (void)state;
    const char *b = "37\r\n" HELLO "\r\n0\r\nx-amz-checksum-crc32:UFMLTQ==\r\n\r\n";
    struct s3_chunked_cfg c = cfg_mode(S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER, "x-amz-checksum-crc32", 56);
    check_body(&c, b, strlen(b), S3_CHUNKED_ERR_LENGTH, NULL, NULL); /* short of the declared length */
    c.decoded_length = 54;
    check_body(&c, b, strlen(b), S3_CHUNKED_ERR_LENGTH, NULL, NULL); /* over it: caught at the size line */
    struct result r = decode(&c, b, strlen(b), NULL, 0, -1);
    assert_int_equal(r.len, 0);
    result_free(&r);
    c.decoded_length = -1;
    c.max_length = 54;
    check_body(&c, b, strlen(b), S3_CHUNKED_ERR_TOO_LARGE, NULL, NULL);
    c.max_length = 55;
    check_body(&c, b, strlen(b), S3_CHUNKED_DONE, HELLO, "x-amz-checksum-crc32=UFMLTQ==;");
    /* A huge announced chunk is refused before any byte of it is read. */
    c = cfg_mode(S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER, NULL, -1);
    c.max_length = 5ull << 30;
    check_body(&c, BODY("ffffffffffffffff\r\nabc"), S3_CHUNKED_ERR_TOO_LARGE, NULL, NULL);
    c.max_length = 0;
    check_body(&c, BODY("ffffffffffffffff\r\nabc"), S3_CHUNKED_ERR_TRUNCATED, NULL, NULL);
    c.decoded_length = 3;
    check_body(&c, BODY("ffffffffffffffff\r\nabc"), S3_CHUNKED_ERR_LENGTH, NULL, NULL);
}

static void test_trailer_errors(void **state)
{
    (void)state;
    static const struct {
        const char *declared, *body;
        enum s3_chunked_rc want;
    } cases[] = {
        /* declared but never sent (versitygw#1600) */
        {"x-amz-checksum-crc32", "3\r\nabc\r\n0\r\n\r\n", S3_CHUNKED_ERR_TRAILER},
        {"x-amz-checksum-crc32", "3\r\nabc\r\n0\r\n", S3_CHUNKED_ERR_TRUNCATED},
        /* sent but not declared, or another one than declared */
        {NULL, "3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\n\r\n", S3_CHUNKED_ERR_TRAILER},
        {"x-amz-checksum-crc32", "3\r\nabc\r\n0\r\nx-amz-checksum-crc32c:AAAAAA==\r\n\r\n", S3_CHUNKED_ERR_TRAILER},
        /* repeated */
        {"x-amz-checksum-crc32",
         "3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\nx-amz-checksum-crc32:NSRBwg==\r\n\r\n",
         S3_CHUNKED_ERR_TRAILER},
        {"x-amz-checksum-crc32",
         "3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\nX-AMZ-CHECKSUM-CRC32:NSRBwg==\r\n\r\n",
         S3_CHUNKED_ERR_TRAILER},
        /* malformed lines (versitygw#1626, #1690) */
        {"x-amz-checksum-crc32", "3\r\nabc\r\n0\r\nx-amz-checksum-crc32NSRBwg==\r\n\r\n", S3_CHUNKED_ERR_TRAILER},
        {"x-amz-checksum-crc32", "3\r\nabc\r\n0\r\n:NSRBwg==\r\n\r\n", S3_CHUNKED_ERR_TRAILER},
        {"x-amz-checksum-crc32", "3\r\nabc\r\n0\r\nx amz:1\r\n\r\n", S3_CHUNKED_ERR_TRAILER},
        {"x-amz-checksum-crc32", "3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NS\x01RBwg==\r\n\r\n", S3_CHUNKED_ERR_TRAILER},
        {"x-amz-checksum-crc32", "3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\n\r\n", S3_CHUNKED_ERR_FRAMING},
        /* a signature line in the unsigned mode */
        {"x-amz-checksum-crc32",
         "3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\nx-amz-trailer-signature:" SIG64 "\r\n\r\n",
         S3_CHUNKED_ERR_TRAILER},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct s3_chunked_cfg c = cfg_mode(S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER, cases[i].declared, -1);
        print_message("# %zu\n", i);
        check_body(&c, cases[i].body, strlen(cases[i].body), cases[i].want, NULL, NULL);
    }
    /* A trailer line over the cap. */
    char b[S3_CHUNKED_LINE_MAX + 64];
    int o = snprintf(b, sizeof b, "3\r\nabc\r\n0\r\nx-amz-checksum-crc32:");
    memset(b + o, 'A', S3_CHUNKED_LINE_MAX);
    snprintf(b + o + S3_CHUNKED_LINE_MAX, sizeof b - (size_t)o - S3_CHUNKED_LINE_MAX, "\r\n\r\n");
    struct s3_chunked_cfg c = cfg_mode(S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER, "x-amz-checksum-crc32", -1);
    check_body(&c, b, strlen(b), S3_CHUNKED_ERR_TRAILER, NULL, NULL);
    /* Trailers in the signed mode without trailers. */
    c = cfg_mode(S3_PAYLOAD_STREAMING_SIGNED, "x-amz-checksum-crc32", -1);
    check_body(&c,
               BODY("3;chunk-signature=e911d05c1a01ba430c96ab3bd82a248c6995be8f4db64535e784a24c5567504a\r\nabc\r\n"
                    "5;chunk-signature=d8dec8a8a72cc030ae957f2ea886dd0ca46ee3dd1c9e254af0a36216f7ad49f3\r\ndefgh\r\n"
                    "0;chunk-signature=2455acbbade394919ab0b00dc4f4200b3180218a0929c6d9dfe9d2cdac3d0213\r\n"
                    "x-amz-checksum-crc32:NSRBwg==\r\n\r\n"),
               S3_CHUNKED_ERR_TRAILER, NULL, NULL);
}

static void test_signature_errors(void **state)
{
    (void)state;
#define A1 "3;chunk-signature=e911d05c1a01ba430c96ab3bd82a248c6995be8f4db64535e784a24c5567504a\r\nabc\r\n"
#define A2 "5;chunk-signature=d8dec8a8a72cc030ae957f2ea886dd0ca46ee3dd1c9e254af0a36216f7ad49f3\r\ndefgh\r\n"
#define A3 "0;chunk-signature=2455acbbade394919ab0b00dc4f4200b3180218a0929c6d9dfe9d2cdac3d0213\r\n\r\n"
    struct s3_chunked_cfg c = cfg_mode(S3_PAYLOAD_STREAMING_SIGNED, NULL, -1);
    static const char *const bad[] = {
        /* one hex digit off in each signature in turn */
        "3;chunk-signature=e911d05c1a01ba430c96ab3bd82a248c6995be8f4db64535e784a24c5567504b\r\nabc\r\n" A2 A3,
        A1 "5;chunk-signature=e8dec8a8a72cc030ae957f2ea886dd0ca46ee3dd1c9e254af0a36216f7ad49f3\r\ndefgh\r\n" A3,
        A1 A2 "0;chunk-signature=2455acbbade394919ab0b00dc4f4200b3180218a0929c6d9dfe9d2cdac3d0214\r\n\r\n",
        /* data changed, chunks swapped, a chunk dropped */
        A1 "5;chunk-signature=d8dec8a8a72cc030ae957f2ea886dd0ca46ee3dd1c9e254af0a36216f7ad49f3\r\ndefgX\r\n" A3,
        A2 A1 A3,
        A1 A3,
        /* signature missing, short, not hex, empty */
        "3\r\nabc\r\n" A2 A3,
        "3;chunk-signature=e911d05c1a01ba430c96ab3bd82a248c6995be8f4db64535e784a24c5567504\r\nabc\r\n" A2 A3,
        "3;chunk-signature=z911d05c1a01ba430c96ab3bd82a248c6995be8f4db64535e784a24c5567504a\r\nabc\r\n" A2 A3,
        "3;chunk-signature\r\nabc\r\n" A2 A3,
        A1 A2 "0\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        print_message("# signed %zu\n", i);
        check_body(&c, bad[i], strlen(bad[i]), S3_CHUNKED_ERR_SIGNATURE, NULL, NULL);
    }
    /* The same body is fine in the unsigned mode (signatures ignored there). */
    c = cfg_mode(S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER, NULL, -1);
    check_body(&c, bad[0], strlen(bad[0]), S3_CHUNKED_DONE, "abcdefgh", NULL);

#define B1 "7;chunk-signature=54eea8fecae2898ed3096d3540d79b9c83d4b230e1bab76cbe1b9e83b212db22\r\nHello, \r\n"
#define B2 "a;chunk-signature=9aaff99e5e162dc73d75f575eba1d846ef4733820eac3eabeb88a97c7cb0f33b\r\nGuidepost!\r\n"
#define B3 "0;chunk-signature=4c33ebd85dc2b0b2c36d860a3642740c4b78e9f848951f4b47ad53625531b76d\r\n"
#define BT "x-amz-checksum-crc32c:TO563Q==\r\n"
#define BS "x-amz-trailer-signature:247a115e77e77f448b96e058b2975fdd82a82b082b65ea8f170060a728b43e37\r\n"
    c = cfg_mode(S3_PAYLOAD_STREAMING_SIGNED_TRAILER, "x-amz-checksum-crc32c", -1);
    static const struct {
        const char *body;
        enum s3_chunked_rc want;
    } tcases[] = {
        {B1 B2 B3 BT BS "\r\n", S3_CHUNKED_DONE},
        {B1 B2 B3 "x-amz-checksum-crc32c:TO563R==\r\n" BS "\r\n", S3_CHUNKED_ERR_SIGNATURE}, /* value changed */
        {B1 B2 B3 BT "x-amz-trailer-signature:347a115e77e77f448b96e058b2975fdd82a82b082b65ea8f170060a728b43e37\r\n\r\n",
         S3_CHUNKED_ERR_SIGNATURE},
        {B1 B2 B3 BT "x-amz-trailer-signature:47a115e77e77f448b96e058b2975fdd82a82b082b65ea8f170060a728b43e37\r\n\r\n",
         S3_CHUNKED_ERR_SIGNATURE},
        {B1 B2 B3 BT "\r\n", S3_CHUNKED_ERR_FRAMING},            /* no signature line (versitygw#1695) */
        {B1 B2 B3 "\r\n", S3_CHUNKED_ERR_FRAMING},
        {B1 B2 B3 BT BS BT "\r\n", S3_CHUNKED_ERR_TRAILER},      /* a line after the signature */
        {B1 B2 B3 BT BS, S3_CHUNKED_ERR_TRUNCATED},
        {B1 B2 B3 BS BT "\r\n", S3_CHUNKED_ERR_SIGNATURE},       /* signature over no trailer */
    };
    /* Nothing may follow the signature line, not even another declared trailer. */
    c = cfg_mode(S3_PAYLOAD_STREAMING_SIGNED_TRAILER, "x-amz-checksum-crc32c, x-amz-checksum-sha1", -1);
    check_body(&c, BODY(B1 B2 B3 BT BS "x-amz-checksum-sha1:qZk+NkcGgWq6PiVxeFDCbJzQ2J0=\r\n\r\n"),
               S3_CHUNKED_ERR_TRAILER, NULL, NULL);
    c = cfg_mode(S3_PAYLOAD_STREAMING_SIGNED_TRAILER, "x-amz-checksum-crc32c", -1);
    for (size_t i = 0; i < sizeof tcases / sizeof tcases[0]; i++) {
        print_message("# trailer %zu\n", i);
        check_body(&c, tcases[i].body, strlen(tcases[i].body), tcases[i].want, "Hello, Guidepost!",
                   "x-amz-checksum-crc32c=TO563Q==;");
    }
#undef A1
#undef A2
#undef A3
#undef B1
#undef B2
#undef B3
#undef BT
#undef BS
}

static void test_plain_modes(void **state)
{
    (void)state;
    /* UNSIGNED-PAYLOAD and a literal hash: the body is the payload; the hash is checked at the end. */
    static const unsigned char hello_sha[32] = {0x6f, 0xcb, 0xb0, 0xfc, 0xf8, 0xa7, 0x7f, 0x7b, 0xe6, 0xde, 0x5f,
                                                0xc3, 0x64, 0xef, 0xe7, 0xa2, 0x9a, 0xb3, 0x8c, 0x22, 0x02, 0xe9,
                                                0xa8, 0x41, 0x49, 0x48, 0xef, 0xfa, 0xda, 0xcb, 0x90, 0x03};
    struct s3_chunked_cfg c = cfg_mode(S3_PAYLOAD_HASH, NULL, 55);
    c.payload_sha256 = hello_sha;
    check_body(&c, BODY(HELLO), S3_CHUNKED_DONE, HELLO, "");
    check_body(&c, BODY("Hello, Guidepost! Hello, Guidepost! Hello, Guidepost! !"), S3_CHUNKED_ERR_PAYLOAD_HASH,
               NULL, NULL);
    check_body(&c, BODY("Hello"), S3_CHUNKED_ERR_LENGTH, NULL, NULL);
    c.decoded_length = -1;
    check_body(&c, BODY("Hello"), S3_CHUNKED_ERR_PAYLOAD_HASH, NULL, NULL);
    c.max_length = 10;
    check_body(&c, BODY(HELLO), S3_CHUNKED_ERR_TOO_LARGE, NULL, NULL);
    /* Both limits passed: the verdict names the tighter one, however the body is split (a
     * whole-body feed once said EntityTooLarge where a byte-wise feed said IncompleteBody). */
    c = cfg_mode(S3_PAYLOAD_UNSIGNED, NULL, 3);
    c.max_length = 10;
    check_body(&c, BODY(HELLO), S3_CHUNKED_ERR_LENGTH, NULL, NULL);
    c.decoded_length = 10;
    c.max_length = 3;
    check_body(&c, BODY(HELLO), S3_CHUNKED_ERR_TOO_LARGE, NULL, NULL);
    c.max_length = 10; /* a tie: the body broke its own declared length */
    check_body(&c, BODY(HELLO), S3_CHUNKED_ERR_LENGTH, NULL, NULL);
    c = cfg_mode(S3_PAYLOAD_UNSIGNED, NULL, -1);
    /* aws-chunked text in a plain body is just bytes. */
    check_body(&c, BODY("3\r\nabc\r\n0\r\n\r\n"), S3_CHUNKED_DONE, "3\r\nabc\r\n0\r\n\r\n", "");
    check_body(&c, "", 0, S3_CHUNKED_DONE, "", "");
    c.decoded_length = 4;
    check_body(&c, BODY("abcde"), S3_CHUNKED_ERR_LENGTH, NULL, NULL);
}

static void test_callback_and_init(void **state)
{
    (void)state;
    const char *b = "37\r\n" HELLO "\r\n0\r\nx-amz-checksum-crc32:UFMLTQ==\r\n\r\n";
    struct s3_chunked_cfg c = cfg_mode(S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER, "x-amz-checksum-crc32", 55);
    struct result r = decode(&c, b, strlen(b), NULL, 0, 10);
    assert_int_equal(r.rc, S3_CHUNKED_ERR_CALLBACK);
    result_free(&r);
    assert_string_equal(s3_chunked_rc_name(S3_CHUNKED_ERR_CALLBACK), "InternalError");

    struct s3_chunked d;
    c = cfg_mode(S3_PAYLOAD_STREAMING_SIGNED, NULL, -1);
    c.sig = NULL;
    assert_int_equal(s3_chunked_init(&d, &c), S3_CHUNKED_ERR_INTERNAL);
    s3_chunked_free(&d);
    c = cfg_mode(S3_PAYLOAD_HASH, NULL, -1);
    assert_int_equal(s3_chunked_init(&d, &c), S3_CHUNKED_ERR_INTERNAL); /* no digest given */
    s3_chunked_free(&d);
    c = cfg_mode(S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER, "a,b,c,d,e,f,g,h,i", -1);
    assert_int_equal(s3_chunked_init(&d, &c), S3_CHUNKED_ERR_TRAILER);
    assert_int_equal(s3_chunked_feed(&d, "0\r\n\r\n", 5), S3_CHUNKED_ERR_TRAILER);
    s3_chunked_free(&d);
    c = cfg_mode(S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER,
                 "x-amz-checksum-a-name-that-is-much-longer-than-any-real-one", -1);
    assert_int_equal(s3_chunked_init(&d, &c), S3_CHUNKED_ERR_TRAILER);
    s3_chunked_free(&d);
    /* Eight declared names, empty items ignored, is fine. */
    c = cfg_mode(S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER, " a, ,b,c,d,e,f,g,h,", -1);
    assert_int_equal(s3_chunked_init(&d, &c), S3_CHUNKED_OK);
    s3_chunked_free(&d);
    /* The declared list is copied: the caller's string need not outlive init. */
    char decl[32];
    snprintf(decl, sizeof decl, "x-amz-checksum-crc32");
    c = cfg_mode(S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER, decl, -1);
    assert_int_equal(s3_chunked_init(&d, &c), S3_CHUNKED_OK);
    memset(decl, 0, sizeof decl);
    assert_int_equal(s3_chunked_feed(&d, b, strlen(b)), S3_CHUNKED_DONE);
    assert_int_equal(s3_chunked_finish(&d), S3_CHUNKED_DONE);
    assert_int_equal(s3_chunked_finish(&d), S3_CHUNKED_DONE);
    assert_string_equal(s3_chunked_trailer(&d, "X-AMZ-CHECKSUM-CRC32"), "UFMLTQ==");
    assert_null(s3_chunked_trailer(&d, "x-amz-checksum-crc3"));
    s3_chunked_free(&d);

    static const struct {
        enum s3_chunked_rc rc;
        const char *name;
        int status;
    } t[] = {{S3_CHUNKED_OK, "", 200},
             {S3_CHUNKED_DONE, "", 200},
             {S3_CHUNKED_ERR_FRAMING, "IncompleteBody", 400},
             {S3_CHUNKED_ERR_TRUNCATED, "IncompleteBody", 400},
             {S3_CHUNKED_ERR_SIGNATURE, "SignatureDoesNotMatch", 403},
             {S3_CHUNKED_ERR_TRAILER, "MalformedTrailerError", 400},
             {S3_CHUNKED_ERR_LENGTH, "IncompleteBody", 400},
             {S3_CHUNKED_ERR_TOO_LARGE, "EntityTooLarge", 400},
             {S3_CHUNKED_ERR_PAYLOAD_HASH, "XAmzContentSHA256Mismatch", 400},
             {S3_CHUNKED_ERR_CALLBACK, "InternalError", 500},
             {S3_CHUNKED_ERR_INTERNAL, "InternalError", 500}};
    assert_int_equal(sizeof t / sizeof t[0], S3_CHUNKED_RC__COUNT);
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        assert_int_equal(t[i].rc, (enum s3_chunked_rc)i);
        assert_string_equal(s3_chunked_rc_name(t[i].rc), t[i].name);
        assert_int_equal(s3_chunked_rc_status(t[i].rc), t[i].status);
    }
}

/* A multi-MiB body in botocore's 1 MiB aws-chunks, fed in HTTP-sized pieces unrelated to them:
 * the decoder holds no more than its fixed struct, whatever the body size. */
static int crc_sink(void *user, const unsigned char *p, size_t n)
{
    s3_cksum_update(user, p, n);
    return 0;
}

static void test_large_stream(void **state)
{
    (void)state;
    assert_true(sizeof(struct s3_chunked) < 4096);
    const size_t chunk = 1u << 20, total = 8 * chunk + 12345;
    unsigned char *data = malloc(chunk);
    assert_non_null(data);
    for (size_t i = 0; i < chunk; i++)
        data[i] = (unsigned char)((i * 31 + 7) & 0xff);
    /* Expected CRC of the payload (the pattern repeated, then a 12 345-byte tail). */
    uint32_t want = 0;
    for (size_t o = 0; o < total; o += chunk)
        want = s3_crc32(want, data, total - o < chunk ? total - o : chunk);
    unsigned char be[4] = {(unsigned char)(want >> 24), (unsigned char)(want >> 16), (unsigned char)(want >> 8),
                           (unsigned char)want};
    char b64[16], trailer[64], size[16];
    assert_int_equal(b64_encode(be, 4, 0, b64, sizeof b64), 8);
    snprintf(trailer, sizeof trailer, "0\r\nx-amz-checksum-crc32:%s\r\n\r\n", b64);

    struct s3_cksum ck;
    assert_int_equal(s3_cksum_init(&ck, S3_CKSUM_CRC32), 0);
    struct s3_chunked d;
    struct s3_chunked_cfg c = cfg_mode(S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER, "x-amz-checksum-crc32", (int64_t)total);
    c.on_data = crc_sink;
    c.user = &ck;
    assert_int_equal(s3_chunked_init(&d, &c), S3_CHUNKED_OK);
    /* Pieces of 128 KiB + 7 so that framing lands at every kind of offset. */
    unsigned char *wire = malloc(chunk + 64);
    assert_non_null(wire);
    for (size_t o = 0; o < total; o += chunk) {
        size_t k = total - o < chunk ? total - o : chunk;
        int hl = snprintf(size, sizeof size, "%zx\r\n", k);
        memcpy(wire, size, (size_t)hl);
        memcpy(wire + hl, data, k);
        memcpy(wire + (size_t)hl + k, "\r\n", 2);
        size_t wl = (size_t)hl + k + 2;
        for (size_t p = 0; p < wl; p += 131079) {
            size_t q = wl - p < 131079 ? wl - p : 131079;
            assert_int_equal(s3_chunked_feed(&d, wire + p, q), S3_CHUNKED_OK);
        }
    }
    assert_int_equal(s3_chunked_feed(&d, trailer, strlen(trailer)), S3_CHUNKED_DONE);
    assert_int_equal(s3_chunked_finish(&d), S3_CHUNKED_DONE);
    assert_true(s3_chunked_decoded(&d) == total);
    char got[S3_CKSUM_B64_MAX];
    assert_true(s3_cksum_final_b64(&ck, got) > 0);
    assert_string_equal(got, s3_chunked_trailer(&d, "x-amz-checksum-crc32"));
    s3_chunked_free(&d);
    free(wire);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_botocore_bodies),  cmocka_unit_test(test_unsigned_variants),
        cmocka_unit_test(test_signed_small),     cmocka_unit_test(test_aws_examples),
        cmocka_unit_test(test_framing_errors),   cmocka_unit_test(test_length_rules),
        cmocka_unit_test(test_trailer_errors),   cmocka_unit_test(test_signature_errors),
        cmocka_unit_test(test_plain_modes),      cmocka_unit_test(test_callback_and_init),
        cmocka_unit_test(test_large_stream),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
