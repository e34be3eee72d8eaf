/* checksum.h — one streaming interface for the object checksums S3 clients send
 * (x-amz-checksum-{crc32,crc32c,crc64nvme,sha1,sha256} and Content-MD5), and their values in the
 * padded standard base64 those headers use (core/base64.h). CRCs are table-driven here; digests go through EVP. */
#ifndef GP_S3_CHECKSUM_H
#define GP_S3_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

enum s3_cksum_alg {
    S3_CKSUM_NONE = 0,
    S3_CKSUM_CRC32,     /* ISO-HDLC, reflected 0xEDB88320, what botocore sends by default */
    S3_CKSUM_CRC32C,    /* Castagnoli, reflected 0x82F63B78 */
    S3_CKSUM_CRC64NVME, /* reflected 0x9A6C9329AC4BC9B5, the aws-cli v2 default */
    S3_CKSUM_SHA1,
    S3_CKSUM_SHA256,
    S3_CKSUM_MD5,       /* Content-MD5 and ETags */
    S3_CKSUM__COUNT
};

#define S3_CKSUM_MAX_LEN 32 /* largest digest (SHA-256) in bytes */
#define S3_CKSUM_B64_MAX 48 /* base64 of S3_CKSUM_MAX_LEN bytes (44) + NUL, rounded up */

struct evp_md_ctx_st; /* OpenSSL's EVP_MD_CTX, kept opaque so callers need no OpenSSL header */

/* A running checksum. Plain data apart from md, which s3_cksum_final/s3_cksum_free release. */
struct s3_cksum {
    enum s3_cksum_alg alg;
    uint64_t crc;              /* CRC algorithms: the running value (zlib convention) */
    struct evp_md_ctx_st *md;  /* digest algorithms: the EVP context */
};

/* Starts a checksum of alg; returns 0, or -1 for S3_CKSUM_NONE/unknown or an allocation failure. */
int s3_cksum_init(struct s3_cksum *c, enum s3_cksum_alg alg);

/* Adds p[0..n) to the checksum; never allocates. */
void s3_cksum_update(struct s3_cksum *c, const void *p, size_t n);

/* Writes the big-endian digest to out, releases the state; returns its length or -1. */
int s3_cksum_final(struct s3_cksum *c, unsigned char out[S3_CKSUM_MAX_LEN]);

/* Like s3_cksum_final but writes the padded base64 text S3 puts in headers; returns its length or -1. */
int s3_cksum_final_b64(struct s3_cksum *c, char out[S3_CKSUM_B64_MAX]);

/* Releases the state of an unfinished checksum; safe to call twice or after final. */
void s3_cksum_free(struct s3_cksum *c);

/* Digest length in bytes of alg (0 for NONE). */
size_t s3_cksum_len(enum s3_cksum_alg alg);

/* The algorithm's name as in x-amz-checksum-algorithm ("CRC32", "CRC64NVME", "MD5"); "" for NONE. */
const char *s3_cksum_name(enum s3_cksum_alg alg);

/* The header that carries alg's value ("x-amz-checksum-crc32", "content-md5"); "" for NONE. */
const char *s3_cksum_header(enum s3_cksum_alg alg);

/* Algorithm for an x-amz-checksum-algorithm / x-amz-sdk-checksum-algorithm value (any case);
 * MD5 is not one of them, so it and unknown names give S3_CKSUM_NONE. */
enum s3_cksum_alg s3_cksum_from_name(const char *s, size_t n);

/* Algorithm for a header or trailer name "x-amz-checksum-<alg>" (any case); NONE otherwise
 * (including x-amz-checksum-type and x-amz-checksum-algorithm, which carry no value). */
enum s3_cksum_alg s3_cksum_from_header(const char *s, size_t n);

/* Compares a received base64 value with a computed digest of alg: 1 equal, 0 different,
 * -1 when the text is not canonical padded base64 of exactly s3_cksum_len(alg) bytes
 * (S3 answers that with InvalidDigest / InvalidRequest rather than BadDigest). */
int s3_cksum_check_b64(enum s3_cksum_alg alg, const unsigned char *digest, const char *b64, size_t n);


/* CRC-32 of p[0..n) continuing from crc (0 to start), zlib convention. */
uint32_t s3_crc32(uint32_t crc, const void *p, size_t n);

/* CRC-32C of p[0..n) continuing from crc (0 to start). */
uint32_t s3_crc32c(uint32_t crc, const void *p, size_t n);

/* CRC-64/NVME of p[0..n) continuing from crc (0 to start). */
uint64_t s3_crc64nvme(uint64_t crc, const void *p, size_t n);

/* CRC of A||B from crc1 = CRC(A), crc2 = CRC(B) and len2 = |B| for a CRC alg (full-object
 * checksums of multipart uploads without re-reading the parts); returns crc2 for other algs. */
uint64_t s3_crc_combine(enum s3_cksum_alg alg, uint64_t crc1, uint64_t crc2, uint64_t len2);

#endif
