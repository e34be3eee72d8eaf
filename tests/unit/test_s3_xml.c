/* test_s3_xml.c — s3/xml: CompleteMultipartUpload bodies as botocore, JS v3 and ceph s3-tests
 * send them, entity and numeric-reference decoding, and the parser staying inside its length
 * argument: every body is copied into a malloc'd buffer of exactly n bytes with no NUL after it,
 * so a read past n is an ASan report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "s3/xml.h"

/* Parses the first n bytes of text from an exact-size heap copy (no terminator after them). */
static enum rc parse_n(const char *text, size_t n, struct arena *a, struct s3_complete_part **parts,
                       size_t *nparts)
{
    char *exact = malloc(n ? n : 1);
    assert_non_null(exact);
    memcpy(exact, text, n);
    struct err e = {0};
    enum rc rc = s3_xml_parse_complete(exact, n, a, parts, nparts, &e);
    free(exact);
    return rc;
}

static enum rc parse(const char *text, struct arena *a, struct s3_complete_part **parts,
                     size_t *nparts)
{
    return parse_n(text, strlen(text), a, parts, nparts);
}

static void t_botocore_body(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct s3_complete_part *p;
    size_t n;
    assert_int_equal(parse("<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\n"
                           "  <Part><ETag>\"455dae9dc865b4c9d385e65ced3a1776\"</ETag><PartNumber>1"
                           "</PartNumber><ChecksumCRC32>Cnb0HQ==</ChecksumCRC32></Part>\n"
                           "  <Part><ETag>\"0b9a\"</ETag><PartNumber>2</PartNumber></Part>\n"
                           "</CompleteMultipartUpload>",
                           a, &p, &n),
                     RC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(p[0].part_number, 1);
    assert_string_equal(p[0].etag, "455dae9dc865b4c9d385e65ced3a1776");
    assert_string_equal(p[0].checksum_name, "ChecksumCRC32");
    assert_string_equal(p[0].checksum, "Cnb0HQ==");
    assert_int_equal(p[1].part_number, 2);
    assert_null(p[1].checksum_name);
    arena_free(a);
}

static void t_js_v3_body(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct s3_complete_part *p;
    size_t n;
    assert_int_equal(parse("<?xml version=\"1.0\" encoding=\"UTF-8\"?><CompleteMultipartUpload "
                           "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Part><ETag>&quot;abc"
                           "&quot;</ETag><ChecksumCRC32>AAAAAA==</ChecksumCRC32><PartNumber>7"
                           "</PartNumber></Part></CompleteMultipartUpload>",
                           a, &p, &n),
                     RC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].part_number, 7);
    assert_string_equal(p[0].etag, "abc");
    arena_free(a);
}

static void t_numeric_references(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct s3_complete_part *p;
    size_t n;
    assert_int_equal(parse("<CompleteMultipartUpload><Part><ETag>&#34;a&#x62;c&#x22;</ETag>"
                           "<PartNumber>&#49;</PartNumber></Part></CompleteMultipartUpload>",
                           a, &p, &n),
                     RC_OK);
    assert_string_equal(p[0].etag, "abc");
    assert_int_equal(p[0].part_number, 1);
    /* Out of ASCII, zero, signs, spaces, no digits, unterminated: all malformed. */
    static const char *const bad[] = {"&#128;", "&#0;", "&#-65;", "&#+65;", "&# 65;", "&#x;",
                                      "&#;", "&#65", "&#x4g;", "&#00000000000000000000065"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char body[200];
        snprintf(body, sizeof body,
                 "<CompleteMultipartUpload><Part><ETag>%s</ETag><PartNumber>1</PartNumber></Part>"
                 "</CompleteMultipartUpload>",
                 bad[i]);
        assert_int_equal(parse(body, a, &p, &n), RC_INVALID);
    }
    /* Leading zeros are fine as long as the value fits. */
    assert_int_equal(parse("<CompleteMultipartUpload><Part><ETag>&#00065;</ETag><PartNumber>1"
                           "</PartNumber></Part></CompleteMultipartUpload>",
                           a, &p, &n),
                     RC_OK);
    assert_string_equal(p[0].etag, "A");
    arena_free(a);
}

/* The regression: a numeric reference whose digits run to the end of the given length was read
 * with strtol, which went on past n looking for more digits (and for the ';'). Each prefix of
 * the body is parsed from an exact-size buffer; all are malformed, none may read beyond n. */
static void t_reference_at_end_of_input(void **state)
{
    (void)state;
    static const char body[] = "<CompleteMultipartUpload><Part><ETag>&#x4142434445464748";
    struct arena *a = arena_new();
    struct s3_complete_part *p;
    size_t n;
    for (size_t len = 0; len <= sizeof body - 1; len++)
        assert_int_equal(parse_n(body, len, a, &p, &n), RC_INVALID);
    static const char dec[] = "<CompleteMultipartUpload><Part><PartNumber>&#6";
    for (size_t len = 0; len <= sizeof dec - 1; len++)
        assert_int_equal(parse_n(dec, len, a, &p, &n), RC_INVALID);
    arena_free(a);
}

static void t_shapes_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "<CompleteMultipartUpload></CompleteMultipartUpload>",
        "<CompleteMultipartUpload/>",
        "<Delete><Object><Key>k</Key></Object></Delete>",
        "<CompleteMultipartUpload><Part><ETag>x</ETag></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>0</PartNumber><ETag>x</ETag></Part>"
        "</CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>10001</PartNumber><ETag>x</ETag></Part>"
        "</CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part>"
        "</CompleteMultipartUpload>trailing",
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&bogus;</ETag></Part>"
        "</CompleteMultipartUpload>",
        "<!-- unterminated",
    };
    struct arena *a = arena_new();
    struct s3_complete_part *p;
    size_t n;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(parse(bad[i], a, &p, &n), RC_INVALID);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_botocore_body),
        cmocka_unit_test(t_js_v3_body),
        cmocka_unit_test(t_numeric_references),
        cmocka_unit_test(t_reference_at_end_of_input),
        cmocka_unit_test(t_shapes_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
