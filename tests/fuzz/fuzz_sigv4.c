/* fuzz_sigv4.c — libFuzzer target for s3/sigv4 parsing: the input is a request as text
 * (method, path, query, then "name:value" header lines, '\n'-separated); parse it, and when it
 * parses, build its canonical request and verify it, checking the buffer contracts on the way. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "s3/sigv4.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_HEADERS 48

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    /* Split into lines; NULs inside a line simply end that string early. */
    char *line[3 + MAX_HEADERS];
    int nl = 0;
    char *p = text;
    while (nl < 3 + MAX_HEADERS) {
        line[nl++] = p;
        char *e = strchr(p, '\n');
        if (!e)
            break;
        *e = '\0';
        p = e + 1;
    }
    struct s3_header h[MAX_HEADERS];
    size_t nh = 0;
    for (int i = 3; i < nl; i++) {
        char *c = strchr(line[i], ':');
        if (!c)
            continue;
        *c = '\0';
        h[nh].name = line[i];
        h[nh].value = c + 1;
        nh++;
    }
    struct s3_sig_req req = {
        .method = nl > 0 ? line[0] : "",
        .path = nl > 1 ? line[1] : "",
        .query = nl > 2 ? line[2] : NULL,
        .headers = h,
        .n_headers = nh,
        .now_ms = 1369353600000LL + (size & 0xff) * 7000LL,
        .region = (size & 0x100) ? "us-east-1" : NULL,
        .flags = (size & 0x200) ? S3_SIG_F_STRICT_AMZ : 0,
    };
    static struct s3_auth auth; /* large: keep it off the fuzzer's stack */
    struct s3_sig_err err;
    enum s3_sig_code rc = s3_sig_parse(&req, &auth, &err);
    if (rc != err.code || (rc != S3_SIG_OK && err.msg[0] == '\0'))
        abort();
    if ((unsigned)rc >= S3_SIG_CODE__COUNT || s3_sig_code_status(rc) < 200)
        abort();
    if (rc == S3_SIG_OK || rc == S3_SIG_ERR_SKEWED || rc == S3_SIG_ERR_EXPIRED || rc == S3_SIG_ERR_NOT_YET_VALID) {
        char small[16], big[8192];
        size_t a = s3_sig_canonical_request(&req, &auth, 0, small, sizeof small);
        size_t b = s3_sig_canonical_request(&req, &auth, 0, big, sizeof big);
        if (a != b || strlen(small) != (a < sizeof small ? a : sizeof small - 1))
            abort();
        if (b < sizeof big && strlen(big) != b)
            abort();
        s3_sig_canonical_request(&req, &auth, 1, big, sizeof big);
        s3_sig_string_to_sign(&req, &auth, small, sizeof small);
        struct s3_sig_ctx ctx;
        rc = s3_sig_verify(&req, &auth, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", &ctx, &err);
        if (rc != S3_SIG_OK && rc != S3_SIG_ERR_MISMATCH)
            abort();
    }
    free(text);
    return 0;
}
