/* fuzz_s3host.c — libFuzzer target for s3/vhost: the input is a Host header value (a bucket name
 * and a URL too). The bucket a virtual host names must fit its buffer and be the Host's front
 * labels, lower-cased; the addressing rule and the URL host parser stay within their inputs. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "s3/vhost.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const ENDS[] = {"s3.example.com", "example.com", "localhost", "127.0.0.1"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    /* a small buffer first (a bucket that does not fit is none), then a large one */
    char small[8], out[S3_HOST_MAX];
    size_t a = s3_vhost_bucket(text, ENDS, 4, small, sizeof small);
    size_t n = s3_vhost_bucket(text, ENDS, 4, out, sizeof out);
    if (a >= sizeof small || (a && (a != n || memcmp(small, out, a + 1) != 0)))
        abort();
    if (n) {
        if (n >= sizeof out || strlen(out) != n || n + 1 >= strlen(text) + 1 || text[n] != '.')
            abort();
        for (size_t i = 0; i < n; i++)
            if ((out[i] >= 'A' && out[i] <= 'Z') || out[i] == ':' ||
                (out[i] | 32) != (text[i] | 32))
                abort();
    }
    for (int https = 0; https < 2; https++) {
        enum s3_addressing ad = s3_sdk_addressing(text, https, "localhost");
        enum s3_addressing ip = s3_sdk_addressing(text, https, "127.0.0.1");
        if ((unsigned)ad > S3_ADDR_BROKEN || ip == S3_ADDR_VIRTUAL ||
            (ip == S3_ADDR_BROKEN && https))
            abort();
        s3_sdk_addressing("guidepost_stitch", https, text);
    }
    char h[S3_HOST_MAX];
    int https = -1;
    if (s3_url_host(text, h, sizeof h, &https) == 0 &&
        (strlen(h) == 0 || strlen(h) >= sizeof h || (https != 0 && https != 1)))
        abort();
    free(text);
    return 0;
}
