/* test_s3_vhost.c — virtual-hosted-style addressing: the bucket a Host header names, and the
 * addressing the AWS SDKs for JavaScript v3 and Go v2 choose by default. The addressing table is
 * what @aws-sdk/client-s3 3.1175 built (tests/e2e/uploads_addressing.t checks the same against the
 * SDK itself). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "s3/vhost.h"

static const char *const ENDS[] = {"s3.example.com", "example.com", "localhost", "127.0.0.1"};

static const char *vb(const char *host)
{
    static char out[S3_HOST_MAX];
    size_t n = s3_vhost_bucket(host, ENDS, 4, out, sizeof out);
    if (!n)
        return "";
    assert_int_equal(strlen(out), n);
    return out;
}

static void t_vhost_bucket(void **state)
{
    (void)state;
    /* path style: an endpoint host itself, with or without a port, in any case */
    assert_string_equal(vb("s3.example.com"), "");
    assert_string_equal(vb("S3.Example.COM:8443"), "");
    assert_string_equal(vb("localhost:8080"), "");
    assert_string_equal(vb("127.0.0.1:9000"), "");
    /* virtual hosts, the longest endpoint suffix winning */
    assert_string_equal(vb("stitch.s3.example.com"), "stitch");
    assert_string_equal(vb("Stitch.S3.example.com:443"), "stitch");
    assert_string_equal(vb("guidepost_stitch.localhost:8080"), "guidepost_stitch");
    assert_string_equal(vb("iguides.plntr.ca.s3.example.com"), "iguides.plntr.ca");
    assert_string_equal(vb("www.example.com"), "www");
    /* not ours, or not a host name */
    assert_string_equal(vb("example.org"), "");
    assert_string_equal(vb("notexample.com"), "");
    assert_string_equal(vb(".localhost"), "");
    assert_string_equal(vb("a b.localhost"), "");
    assert_string_equal(vb("a/b.localhost"), "");
    assert_string_equal(vb("[::1]:8080"), "");
    assert_string_equal(vb(""), "");
    assert_int_equal(s3_vhost_bucket(NULL, ENDS, 4, (char[8]){0}, 8), 0);
    assert_int_equal(s3_vhost_bucket("stitch.localhost", ENDS, 0, (char[8]){0}, 8), 0);
    /* a bucket that does not fit the output is no bucket */
    char small[6];
    assert_int_equal(s3_vhost_bucket("stitch.localhost", ENDS, 4, small, sizeof small), 0);
    assert_int_equal(s3_vhost_bucket("stit.localhost", ENDS, 4, small, sizeof small), 4);
    assert_string_equal(small, "stit");
}

struct addr_case {
    const char *bucket;
    int https;
    const char *host;
    enum s3_addressing want;
};

static void t_sdk_addressing(void **state)
{
    (void)state;
#define P S3_ADDR_PATH
#define V S3_ADDR_VIRTUAL
#define B S3_ADDR_BROKEN
    static const struct addr_case cases[] = {
        /* the measured table (docs/uploads.md) */
        {"stitch.guidepost.local", 0, "127.0.0.1", B},
        {"stitch.guidepost.local", 1, "127.0.0.1", P},
        {"stitch.guidepost.local", 0, "localhost", V},
        {"stitch.guidepost.local", 1, "localhost", P},
        {"stitch.guidepost.local", 0, "s3.example.com", V},
        {"stitch.guidepost.local", 1, "s3.example.com", P},
        {"stitch.guidepost.local", 0, "[::1]", B},
        {"guidepost-stitch", 0, "127.0.0.1", P},
        {"guidepost-stitch", 1, "127.0.0.1", P},
        {"guidepost-stitch", 0, "localhost", V},
        {"guidepost-stitch", 1, "localhost", V},
        {"guidepost-stitch", 1, "s3.example.com", V},
        {"guidepost-stitch", 0, "[::1]", P},
        {"stitch", 0, "localhost", V},
        {"guidepost_stitch", 0, "127.0.0.1", P},
        {"guidepost_stitch", 1, "127.0.0.1", P},
        {"guidepost_stitch", 0, "localhost", P},
        {"guidepost_stitch", 1, "localhost", P},
        {"guidepost_stitch", 0, "s3.example.com", P},
        {"guidepost_stitch", 1, "s3.example.com", P},
        {"gp_stitch.local", 0, "s3.example.com", P},
        {"gp_stitch.local", 0, "127.0.0.1", P},
        /* the label rules: every label 3-63 characters, no '-' at an end, not an IP address */
        {"ab.cde", 0, "s3.example.com", P},
        {"abc.def", 0, "s3.example.com", V},
        {"abc.def", 0, "10.0.0.1", B},
        {"192.168.1.1", 0, "s3.example.com", P},
        {"192.168.100.300", 0, "s3.example.com", P},
        {"x111.222.333.444y", 0, "s3.example.com", P},
        {"111.abc.333.444", 0, "s3.example.com", V},
        {"123.456.789", 0, "s3.example.com", V},
        {"a-b", 1, "s3.example.com", V},
        {"ab", 1, "s3.example.com", P},
        {"1.2.3.4", 1, "localhost", P},
        /* an IP-looking host name is a name when it is not a dotted quad */
        {"stitch", 0, "1.2.3", V},
        {"stitch", 0, "1.2.3.04", V},
        {"stitch", 0, "256.1.1.1", V},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum s3_addressing got = s3_sdk_addressing(cases[i].bucket, cases[i].https, cases[i].host);
        if (got != cases[i].want)
            fail_msg("%s on %s://%s: %d, want %d", cases[i].bucket,
                     cases[i].https ? "https" : "http", cases[i].host, got, cases[i].want);
    }
#undef P
#undef V
#undef B
}

static void t_url_host(void **state)
{
    (void)state;
    char h[S3_HOST_MAX];
    int https = -1;
    assert_int_equal(s3_url_host("https://S3.Example.com:8443/", h, sizeof h, &https), 0);
    assert_string_equal(h, "s3.example.com");
    assert_int_equal(https, 1);
    assert_int_equal(s3_url_host("http://127.0.0.1:0", h, sizeof h, &https), 0);
    assert_string_equal(h, "127.0.0.1");
    assert_int_equal(https, 0);
    assert_int_equal(s3_url_host("http://[::1]:80/x", h, sizeof h, &https), 0);
    assert_string_equal(h, "[::1]");
    assert_int_equal(s3_url_host("http://user:pw@host/a:b", h, sizeof h, &https), 0);
    assert_string_equal(h, "host");
    assert_int_equal(s3_url_host("http://host", h, sizeof h, &https), 0);
    assert_string_equal(h, "host");
    assert_int_equal(s3_url_host("ftp://host", h, sizeof h, &https), -1);
    assert_int_equal(s3_url_host("http://", h, sizeof h, &https), -1);
    assert_int_equal(s3_url_host("http://:80", h, sizeof h, &https), -1);
    assert_int_equal(s3_url_host("http://abcdef", h, 4, &https), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_vhost_bucket),
        cmocka_unit_test(t_sdk_addressing),
        cmocka_unit_test(t_url_host),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
