/* sigv4.h — AWS Signature Version 4 verification for the S3 endpoint, as pure functions over
 * plain request data (no I/O, no globals, no HTTP types): header and presigned-query auth,
 * the canonical request, signing keys, and the streaming chunk/trailer signatures. */
#ifndef GP_S3_SIGV4_H
#define GP_S3_SIGV4_H

#include <stddef.h>
#include <stdint.h>

#define S3_SIG_SKEW_MS (15LL * 60 * 1000) /* ../spec/s3-compat.md §4.2: MinIO and AWS use 15 min */
#define S3_SIG_MAX_EXPIRES 604800         /* presigned X-Amz-Expires cap: one week, in seconds */

/* Caps on what one request may carry; past them the request is refused, never truncated. */
#define S3_SIG_AKID_MAX 128
#define S3_SIG_REGION_MAX 64
#define S3_SIG_SIGNED_HEADERS_MAX 1024
#define S3_SIG_SIGNED_HEADERS_COUNT 64
#define S3_SIG_QUERY_PARAMS_MAX 128
#define S3_SIG_TOKEN_MAX 4096
#define S3_SIG_SECRET_MAX 128
#define S3_SIG_SCOPE_MAX 128 /* "yyyymmdd/<region>/s3/aws4_request" */

/* One request header as received; names in any case, repeated names allowed. */
struct s3_header {
    const char *name;
    const char *value;
};

/* The request as the HTTP layer saw it. All strings are NUL-terminated. */
struct s3_sig_req {
    const char *method;               /* "PUT" */
    const char *path;                 /* raw request-target path exactly as received, no '?' */
    const char *query;                /* raw query after '?', NULL or "" when there is none */
    const struct s3_header *headers;  /* every request header, in arrival order */
    size_t n_headers;
    int64_t now_ms;                   /* wall clock (core/clock) for skew and expiry */
    const char *region;               /* the only region accepted, or NULL for any */
    unsigned flags;                   /* S3_SIG_F_* */
};

/* Require every x-amz-* header present in the request to be signed (AWS does; off by default
 * because not every SDK signs every x-amz-* header it sends). */
#define S3_SIG_F_STRICT_AMZ 1u

/* Every outcome of authentication, with its S3 error code and HTTP status in one table
 * (s3_sig_code_name / s3_sig_code_status; ../spec/s3-compat.md §3.2). The last four are
 * for the caller's own checks after s3_sig_parse, so one table covers all of them. */
enum s3_sig_code {
    S3_SIG_OK = 0,
    S3_SIG_ERR_ANONYMOUS,          /* AccessDenied 403: neither Authorization nor X-Amz-Signature */
    S3_SIG_ERR_UNSUPPORTED,        /* InvalidRequest 400: SigV2 or another algorithm */
    S3_SIG_ERR_MULTIPLE_AUTH,      /* InvalidArgument 400: header and query auth together */
    S3_SIG_ERR_HEADER_MALFORMED,   /* AuthorizationHeaderMalformed 400 */
    S3_SIG_ERR_QUERY_MALFORMED,    /* AuthorizationQueryParametersError 400 */
    S3_SIG_ERR_MISSING_DATE,       /* AccessDenied 403: no valid X-Amz-Date or Date */
    S3_SIG_ERR_MISSING_SHA256,     /* InvalidRequest 400: header auth without x-amz-content-sha256 */
    S3_SIG_ERR_BAD_SHA256,         /* InvalidArgument 400: x-amz-content-sha256 not a known value */
    S3_SIG_ERR_UNSIGNED_HEADER,    /* AccessDenied 403: a header that must be signed is not */
    S3_SIG_ERR_SIGNED_HEADER_MISSING, /* SignatureDoesNotMatch 403: signed header absent */
    S3_SIG_ERR_SKEWED,             /* RequestTimeTooSkewed 403 */
    S3_SIG_ERR_EXPIRED,            /* AccessDenied 403 "Request has expired" (presigned) */
    S3_SIG_ERR_NOT_YET_VALID,      /* AccessDenied 403 "Request is not valid yet" (presigned) */
    S3_SIG_ERR_TOKEN_MALFORMED,    /* InvalidToken 400: security token over the cap */
    S3_SIG_ERR_MISMATCH,           /* SignatureDoesNotMatch 403 */
    S3_SIG_ERR_LIMIT,              /* InvalidRequest 400: too many query params / signed headers */
    S3_SIG_ERR_INTERNAL,           /* InternalError 500: libcrypto failed */
    S3_SIG_ERR_INVALID_AKID,       /* InvalidAccessKeyId 403 (caller: unknown key id) */
    S3_SIG_ERR_INVALID_TOKEN,      /* InvalidToken 400 (caller: token absent or not the session's) */
    S3_SIG_ERR_EXPIRED_TOKEN,      /* ExpiredToken 400 (caller: session over) */
    S3_SIG_ERR_ACCESS_DENIED,      /* AccessDenied 403 (caller: bucket/key out of scope) */
    S3_SIG_CODE__COUNT
};

/* Why authentication failed, for the <Message> of the error XML (never holds secrets). */
struct s3_sig_err {
    enum s3_sig_code code;
    char msg[200];
};

/* The five x-amz-content-sha256 forms (../spec/s3-compat.md §4.4). */
enum s3_payload_mode {
    S3_PAYLOAD_HASH = 0,                   /* 64-hex SHA-256 of the body */
    S3_PAYLOAD_UNSIGNED,                   /* UNSIGNED-PAYLOAD */
    S3_PAYLOAD_STREAMING_SIGNED,           /* STREAMING-AWS4-HMAC-SHA256-PAYLOAD */
    S3_PAYLOAD_STREAMING_SIGNED_TRAILER,   /* STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER */
    S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER, /* STREAMING-UNSIGNED-PAYLOAD-TRAILER */
};

enum s3_auth_kind { S3_AUTH_HEADER = 1, S3_AUTH_PRESIGNED };

/* What s3_sig_parse extracted; self-contained (copies, no pointers into the request). */
struct s3_auth {
    enum s3_auth_kind kind;
    char akid[S3_SIG_AKID_MAX + 1];
    char date[9];                     /* scope date yyyymmdd */
    char region[S3_SIG_REGION_MAX + 1];
    char amz_date[17];                /* yyyymmddThhmmssZ, as put in the string to sign */
    int64_t time_ms;                  /* amz_date as Unix ms */
    int64_t expires_s;                /* presigned X-Amz-Expires; 0 for header auth */
    char signed_headers[S3_SIG_SIGNED_HEADERS_MAX + 1];
    unsigned char signature[32];      /* the client's signature, decoded */
    enum s3_payload_mode payload;
    char payload_hash[65];            /* the literal last line of the canonical request */
    unsigned char payload_sha256[32]; /* S3_PAYLOAD_HASH: the promised body digest */
    int has_token;                    /* an X-Amz-Security-Token header or query parameter */
    char token[S3_SIG_TOKEN_MAX + 1]; /* decoded; never holds NUL or control characters */
    size_t token_len;
};

/* What streaming verification needs once the request signature checked out. */
struct s3_sig_ctx {
    unsigned char key[32];            /* kSigning */
    char amz_date[17];
    char scope[S3_SIG_SCOPE_MAX + 1];
    char seed[65];                    /* the request signature, lower-case hex */
};

/* Parses header or presigned auth and checks everything that needs no secret: format,
 * scope (service s3, aws4_request, date = X-Amz-Date's, region), required headers, and time
 * (skew, presigned expiry). On a time error auth is already complete (for logging). */
enum s3_sig_code s3_sig_parse(const struct s3_sig_req *req, struct s3_auth *auth, struct s3_sig_err *err);

/* Recomputes the signature with secret and compares it in constant time; on success fills ctx
 * (may be NULL) for the aws-chunked decoder. Retries once with the path re-encoded for clients
 * that send reserved characters unencoded (§4.4). */
enum s3_sig_code s3_sig_verify(const struct s3_sig_req *req, const struct s3_auth *auth, const char *secret,
                               struct s3_sig_ctx *ctx, struct s3_sig_err *err);

/* s3_sig_verify with kSigning already derived (from s3_sig_signing_key, e.g. cached per
 * access key, date and region as §4.6 suggests). */
enum s3_sig_code s3_sig_verify_key(const struct s3_sig_req *req, const struct s3_auth *auth,
                                   const unsigned char key[32], struct s3_sig_ctx *ctx, struct s3_sig_err *err);

/* The signature of req under auth's scope and secret, as lower-case hex (test and tool use). */
enum s3_sig_code s3_sig_compute(const struct s3_sig_req *req, const struct s3_auth *auth, const char *secret,
                                char out[65]);

/* kSigning = HMAC chain of "AWS4"+secret over date, region, "s3", "aws4_request"; 0 or -1. */
int s3_sig_signing_key(const char *secret, const char *date, const char *region, unsigned char out[32]);

/* Fills ctx from its parts (seed is 64 hex); 0, or -1 on a bad argument or libcrypto failure. */
int s3_sig_ctx_init(struct s3_sig_ctx *ctx, const char *secret, const char *date, const char *region,
                    const char *amz_date, const char *seed);

/* The canonical request (reencode_path: the §4.4 fallback form) into out[0..cap), NUL-terminated
 * and truncated if needed (AWS echoes it in SignatureDoesNotMatch); returns its full length. */
size_t s3_sig_canonical_request(const struct s3_sig_req *req, const struct s3_auth *auth, int reencode_path,
                                char *out, size_t cap);

/* The string to sign for the raw-path canonical request, same buffer rules; returns its length. */
size_t s3_sig_string_to_sign(const struct s3_sig_req *req, const struct s3_auth *auth, char *out, size_t cap);

/* Signature of one aws-chunked chunk: HMAC(kSigning, "AWS4-HMAC-SHA256-PAYLOAD\n" date scope
 * prev sha256("") sha256(chunk)) as hex; prev is the seed or the previous chunk's; 0 or -1. */
int s3_sig_chunk_signature(const struct s3_sig_ctx *ctx, const char prev[65], const unsigned char chunk_sha256[32],
                           char out[65]);

/* Signature of the trailer block: HMAC(kSigning, "AWS4-HMAC-SHA256-TRAILER\n" date scope prev
 * sha256(canonical trailers)) as hex, prev being the final chunk's signature; 0 or -1. */
int s3_sig_trailer_signature(const struct s3_sig_ctx *ctx, const char prev[65],
                             const unsigned char trailers_sha256[32], char out[65]);

/* The S3 error code for code ("SignatureDoesNotMatch"), for the <Code> of the error XML. */
const char *s3_sig_code_name(enum s3_sig_code code);

/* The HTTP status S3 uses for code (200 for S3_SIG_OK). */
int s3_sig_code_status(enum s3_sig_code code);

/* The x-amz-content-sha256 text of a payload mode ("UNSIGNED-PAYLOAD"; "" for HASH). */
const char *s3_payload_mode_name(enum s3_payload_mode mode);

#endif
