/* test_jsonx.c — json/jsonx: strict body parsing (duplicates, non-objects, trailing data, NUL,
 * empty body as {}), and every getter: absent/required, wrong type, bounds, control characters,
 * with messages that name the field by its path; plus the small serialisation helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json/jsonx.h"

static json_t *parse_ok(const char *s)
{
    json_t *v = NULL;
    struct err e = {0};
    enum rc rc = jsonx_parse_object(s, strlen(s), &v, &e);
    if (rc != RC_OK)
        fail_msg("rejected %s: %s", s, e.msg);
    assert_non_null(v);
    assert_true(json_is_object(v));
    return v;
}

static void parse_rejects(const char *s, size_t n, const char *msg_part)
{
    json_t *v = (json_t *)0x1;
    struct err e = {0};
    enum rc rc = jsonx_parse_object(s, n, &v, &e);
    if (rc != RC_INVALID)
        fail_msg("accepted %.*s", (int)n, s);
    assert_int_equal(e.rc, RC_INVALID);
    assert_ptr_equal(v, (json_t *)0x1); /* *out untouched on failure */
    if (msg_part && !strstr(e.msg, msg_part))
        fail_msg("message \"%s\" lacks \"%s\"", e.msg, msg_part);
}

/* Asserts rc is RC_INVALID and e.msg contains want. */
static void invalid_with(enum rc rc, const struct err *e, const char *want)
{
    assert_int_equal(rc, RC_INVALID);
    assert_int_equal(e->rc, RC_INVALID);
    if (!strstr(e->msg, want))
        fail_msg("message \"%s\" lacks \"%s\"", e->msg, want);
}

static void t_parse_objects(void **state)
{
    (void)state;
    json_t *v = parse_ok("{\"a\":1,\"b\":{\"c\":[1,2]}}");
    assert_int_equal(json_integer_value(json_object_get(v, "a")), 1);
    json_decref(v);
    v = parse_ok("  \n {\"x\":\"y\"} \r\n\t");
    assert_string_equal(json_string_value(json_object_get(v, "x")), "y");
    json_decref(v);
    /* Only n bytes are read: data after n is ignored. */
    json_t *w = NULL;
    struct err e = {0};
    assert_int_equal(jsonx_parse_object("{\"k\":2}garbage", 7, &w, &e), RC_OK);
    assert_int_equal(json_integer_value(json_object_get(w, "k")), 2);
    json_decref(w);
}

static void t_parse_empty_body(void **state)
{
    (void)state;
    const char *bodies[] = {"", " ", "\r\n", " \t\n\r "};
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        json_t *v = NULL;
        struct err e = {0};
        assert_int_equal(jsonx_parse_object(bodies[i], strlen(bodies[i]), &v, &e), RC_OK);
        assert_true(json_is_object(v));
        assert_int_equal(json_object_size(v), 0);
        json_decref(v);
    }
    /* A NULL pointer with n == 0 is an empty body too. */
    json_t *v = NULL;
    assert_int_equal(jsonx_parse_object(NULL, 0, &v, NULL), RC_OK);
    assert_int_equal(json_object_size(v), 0);
    json_decref(v);
}

static void t_parse_rejects(void **state)
{
    (void)state;
    parse_rejects("{\"a\":1,\"a\":2}", 13, "Invalid request body");
    parse_rejects("{\"o\":{\"b\":1,\"b\":1}}", 19, "Invalid request body"); /* nested duplicate */
    parse_rejects("[]", 2, "expected a JSON object");
    parse_rejects("[{\"a\":1}]", 9, "expected a JSON object");
    parse_rejects("42", 2, "Invalid request body");
    parse_rejects("\"s\"", 3, "Invalid request body");
    parse_rejects("null", 4, "Invalid request body");
    parse_rejects("true", 4, "Invalid request body");
    parse_rejects("{}x", 3, "Invalid request body");
    parse_rejects("{}{}", 4, "Invalid request body");
    parse_rejects("{} []", 5, "Invalid request body");
    parse_rejects("{\"a\":1", 6, "Invalid request body");
    parse_rejects("{'a':1}", 7, "Invalid request body");
    parse_rejects("{\"a\":1,}", 8, "Invalid request body");
    parse_rejects("{\"a\":\"\\u0000\"}", 14, "Invalid request body");
    parse_rejects("{}\0{}", 5, "Invalid request body");            /* raw NUL then data */
    parse_rejects("{\"a\":\"x\0y\"}", 11, "Invalid request body"); /* raw NUL in a string */
    parse_rejects("{\"a\":NaN}", 9, "Invalid request body");
    parse_rejects("\xEF\xBB\xBF{}", 5, "Invalid request body");     /* BOM */
    parse_rejects("{\"a\":\"\xff\"}", 9, "Invalid request body");    /* invalid UTF-8 */
    /* Failure with a NULL err is fine. */
    json_t *v = NULL;
    assert_int_equal(jsonx_parse_object("[", 1, &v, NULL), RC_INVALID);
}

static void t_only_keys(void **state)
{
    (void)state;
    static const char *const allowed[] = {"a", "b", NULL};
    struct err e = {0};
    json_t *o = parse_ok("{\"a\":1,\"b\":2}");
    assert_int_equal(jsonx_only_keys(o, "", allowed, &e), RC_OK);
    json_decref(o);
    o = parse_ok("{}");
    assert_int_equal(jsonx_only_keys(o, "x", allowed, &e), RC_OK);
    json_decref(o);
    o = parse_ok("{\"a\":1,\"c\":2}");
    invalid_with(jsonx_only_keys(o, "", allowed, &e), &e, "unknown field \"c\"");
    invalid_with(jsonx_only_keys(o, "address", allowed, &e), &e, "unknown field \"address.c\"");
    json_decref(o);
    /* Case matters. */
    o = parse_ok("{\"A\":1}");
    invalid_with(jsonx_only_keys(o, "", allowed, &e), &e, "\"A\"");
    json_decref(o);
    /* A huge key is shown truncated, not overflowing the message. */
    char body[400];
    char key[301];
    memset(key, 'k', 300);
    key[300] = '\0';
    snprintf(body, sizeof body, "{\"%s\":1}", key);
    o = parse_ok(body);
    invalid_with(jsonx_only_keys(o, "p", allowed, &e), &e, "unknown field \"p.kkkk");
    assert_true(strlen(e.msg) < 120);
    json_decref(o);
}

static void t_string(void **state)
{
    (void)state;
    struct err e = {0};
    json_t *o = parse_ok("{\"s\":\"hello\",\"n\":5,\"z\":\"\",\"nul\":null,\"c\":\"a\\u0001b\","
                         "\"t\":\"a\\tb\",\"del\":\"a\\u007fb\",\"u\":\"\\u00e9t\\u00e9\",\"a\":[],"
                         "\"o\":{}}");
    const char *out = "sentinel";
    assert_int_equal(jsonx_string(o, "", "s", 1, 5, &out, &e), RC_OK);
    assert_string_equal(out, "hello");
    /* Absent, not required: unchanged. Absent, required: named. */
    out = "sentinel";
    assert_int_equal(jsonx_string(o, "", "missing", 0, 10, &out, &e), RC_OK);
    assert_string_equal(out, "sentinel");
    invalid_with(jsonx_string(o, "address", "city", 1, 10, &out, &e), &e,
                 "address.city is required");
    invalid_with(jsonx_string(o, "", "city", 1, 10, &out, &e), &e, "city is required");
    assert_true(strncmp(e.msg, "city", 4) == 0); /* no leading "." for the top level */
    /* null counts as absent. */
    assert_int_equal(jsonx_string(o, "", "nul", 0, 10, &out, &e), RC_OK);
    assert_string_equal(out, "sentinel");
    invalid_with(jsonx_string(o, "p", "nul", 1, 10, &out, &e), &e, "p.nul is required");
    /* Wrong types. */
    invalid_with(jsonx_string(o, "p", "n", 0, 10, &out, &e), &e, "p.n must be a string");
    invalid_with(jsonx_string(o, "p", "a", 0, 10, &out, &e), &e, "p.a must be a string");
    invalid_with(jsonx_string(o, "p", "o", 1, 10, &out, &e), &e, "p.o must be a string");
    /* Empty: allowed when optional, refused when required. */
    assert_int_equal(jsonx_string(o, "", "z", 0, 10, &out, &e), RC_OK);
    assert_string_equal(out, "");
    invalid_with(jsonx_string(o, "p", "z", 1, 10, &out, &e), &e, "p.z must not be empty");
    /* Bounds: max is inclusive and counts bytes. */
    out = "sentinel";
    invalid_with(jsonx_string(o, "p", "s", 1, 4, &out, &e), &e, "p.s must be at most 4 bytes");
    assert_string_equal(out, "sentinel");
    assert_int_equal(jsonx_string(o, "", "u", 1, 5, &out, &e), RC_OK); /* "été" is 5 bytes */
    invalid_with(jsonx_string(o, "", "u", 1, 4, &out, &e), &e, "u must be at most 4 bytes");
    /* Control characters, including tab and DEL. */
    invalid_with(jsonx_string(o, "p", "c", 0, 10, &out, &e), &e,
                 "p.c must not contain control characters");
    invalid_with(jsonx_string(o, "p", "t", 0, 10, &out, &e), &e, "p.t must not contain control");
    invalid_with(jsonx_string(o, "p", "del", 0, 10, &out, &e), &e, "p.del must not contain");
    json_decref(o);
}

static void t_bool(void **state)
{
    (void)state;
    struct err e = {0};
    json_t *o = parse_ok("{\"t\":true,\"f\":false,\"s\":\"true\",\"i\":1,\"n\":null}");
    int b = 7;
    assert_int_equal(jsonx_bool(o, "", "t", 1, &b, &e), RC_OK);
    assert_int_equal(b, 1);
    assert_int_equal(jsonx_bool(o, "", "f", 1, &b, &e), RC_OK);
    assert_int_equal(b, 0);
    b = 7;
    assert_int_equal(jsonx_bool(o, "", "absent", 0, &b, &e), RC_OK);
    assert_int_equal(b, 7);
    assert_int_equal(jsonx_bool(o, "", "n", 0, &b, &e), RC_OK);
    assert_int_equal(b, 7);
    invalid_with(jsonx_bool(o, "dv", "absent", 1, &b, &e), &e, "dv.absent is required");
    invalid_with(jsonx_bool(o, "dv", "s", 0, &b, &e), &e, "dv.s must be true or false");
    invalid_with(jsonx_bool(o, "", "i", 0, &b, &e), &e, "i must be true or false");
    assert_int_equal(b, 7);
    json_decref(o);
}

static void t_int(void **state)
{
    (void)state;
    struct err e = {0};
    json_t *o = parse_ok("{\"a\":5,\"neg\":-3,\"r\":1.0,\"s\":\"5\",\"big\":9223372036854775807,"
                         "\"b\":true,\"n\":null}");
    int64_t v = 99;
    assert_int_equal(jsonx_int(o, "", "a", 1, 0, 10, &v, &e), RC_OK);
    assert_int_equal(v, 5);
    assert_int_equal(jsonx_int(o, "", "a", 1, 5, 5, &v, &e), RC_OK); /* bounds inclusive */
    v = 99;
    invalid_with(jsonx_int(o, "q", "a", 1, 6, 10, &v, &e), &e, "q.a must be between 6 and 10");
    invalid_with(jsonx_int(o, "q", "a", 1, 0, 4, &v, &e), &e, "q.a must be between 0 and 4");
    assert_int_equal(v, 99);
    assert_int_equal(jsonx_int(o, "", "neg", 1, -3, 0, &v, &e), RC_OK);
    assert_true(v == -3);
    invalid_with(jsonx_int(o, "", "neg", 1, -2, 0, &v, &e), &e, "neg must be between -2 and 0");
    invalid_with(jsonx_int(o, "q", "r", 1, 0, 10, &v, &e), &e, "q.r must be an integer");
    invalid_with(jsonx_int(o, "q", "s", 1, 0, 10, &v, &e), &e, "q.s must be an integer");
    invalid_with(jsonx_int(o, "q", "b", 1, 0, 10, &v, &e), &e, "q.b must be an integer");
    assert_int_equal(jsonx_int(o, "", "big", 1, INT64_MIN, INT64_MAX, &v, &e), RC_OK);
    assert_true(v == INT64_MAX);
    v = 99;
    assert_int_equal(jsonx_int(o, "", "n", 0, 0, 1, &v, &e), RC_OK);
    assert_int_equal(jsonx_int(o, "", "absent", 0, 0, 1, &v, &e), RC_OK);
    assert_int_equal(v, 99);
    invalid_with(jsonx_int(o, "q", "absent", 1, 0, 1, &v, &e), &e, "q.absent is required");
    json_decref(o);
}

static void t_enum(void **state)
{
    (void)state;
    static const char *const vals[] = {"standard", "premium", "radix", NULL};
    struct err e = {0};
    json_t *o = parse_ok("{\"t\":\"premium\",\"bad\":\"deluxe\",\"num\":3,\"case\":\"Premium\","
                         "\"long\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}");
    const char *out = NULL;
    assert_int_equal(jsonx_enum(o, "", "t", 1, vals, &out, &e), RC_OK);
    assert_ptr_equal(out, vals[1]); /* the table's own string, not the body's */
    invalid_with(jsonx_enum(o, "", "bad", 1, vals, &out, &e), &e,
                 "bad must be one of: standard, premium, radix (got \"deluxe\")");
    invalid_with(jsonx_enum(o, "w", "case", 1, vals, &out, &e), &e, "w.case must be one of");
    invalid_with(jsonx_enum(o, "w", "num", 1, vals, &out, &e), &e, "w.num must be a string");
    invalid_with(jsonx_enum(o, "w", "absent", 1, vals, &out, &e), &e, "w.absent is required");
    invalid_with(jsonx_enum(o, "w", "long", 1, vals, &out, &e), &e, "w.long");
    out = "keep";
    assert_int_equal(jsonx_enum(o, "", "absent", 0, vals, &out, &e), RC_OK);
    assert_string_equal(out, "keep");
    json_decref(o);
}

static void t_string_array(void **state)
{
    (void)state;
    struct err e = {0};
    json_t *o = parse_ok("{\"ok\":[\"a\",\"bb\"],\"empty\":[],\"notarr\":\"a\",\"num\":[\"a\",1],"
                         "\"blank\":[\"a\",\"\"],\"long\":[\"abcd\"],\"ctl\":[\"a\\nb\"],"
                         "\"n\":null}");
    json_t *out = NULL;
    assert_int_equal(jsonx_string_array(o, "", "ok", 2, 2, &out, &e), RC_OK);
    assert_ptr_equal(out, json_object_get(o, "ok"));
    assert_int_equal(jsonx_string_array(o, "", "empty", 0, 2, &out, &e), RC_OK);
    assert_int_equal(json_array_size(out), 0);
    out = NULL;
    assert_int_equal(jsonx_string_array(o, "", "absent", 2, 2, &out, &e), RC_OK);
    assert_null(out);
    assert_int_equal(jsonx_string_array(o, "", "n", 2, 2, &out, &e), RC_OK);
    assert_null(out);
    invalid_with(jsonx_string_array(o, "", "ok", 1, 2, &out, &e), &e,
                 "ok must have at most 1 items");
    invalid_with(jsonx_string_array(o, "dv", "notarr", 5, 5, &out, &e), &e,
                 "dv.notarr must be an array of strings");
    invalid_with(jsonx_string_array(o, "dv", "num", 5, 5, &out, &e), &e, "dv.num[1] must be");
    invalid_with(jsonx_string_array(o, "dv", "blank", 5, 5, &out, &e), &e, "dv.blank[1] must be");
    invalid_with(jsonx_string_array(o, "dv", "long", 5, 3, &out, &e), &e,
                 "dv.long[0] must be a non-empty string of at most 3 bytes");
    assert_int_equal(jsonx_string_array(o, "dv", "long", 5, 4, &out, &e), RC_OK);
    invalid_with(jsonx_string_array(o, "dv", "ctl", 5, 5, &out, &e), &e, "dv.ctl[0]");
    assert_ptr_equal(out, json_object_get(o, "long")); /* unchanged by the failures */
    json_decref(o);
}

static void t_dump_and_helpers(void **state)
{
    (void)state;
    json_t *o = json_object();
    json_object_set_new(o, "z", json_integer(1));
    json_object_set_new(o, "a", json_string("x\"y"));
    json_object_set_new(o, "n", jsonx_str_or_null(NULL));
    json_object_set_new(o, "s", jsonx_str_or_null("v"));
    json_object_set_new(o, "t0", jsonx_time(0));
    json_object_set_new(o, "t", jsonx_time(1795608000999LL));
    size_t len = 0;
    char *s = jsonx_dump(o, &len);
    assert_non_null(s);
    /* Compact, insertion order kept, seconds precision for times. */
    assert_string_equal(s, "{\"z\":1,\"a\":\"x\\\"y\",\"n\":null,\"s\":\"v\",\"t0\":null,"
                           "\"t\":\"2026-11-25T12:00:00Z\"}");
    assert_int_equal(len, strlen(s));
    free(s);
    s = jsonx_dump(o, NULL);
    assert_non_null(s);
    free(s);
    json_decref(o);
}

/* Text echoed from a request becomes a valid JSON string whatever its bytes. */
static void t_text_any_bytes(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"plain /api/v1/x", "plain /api/v1/x"},
        {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8f\xa0", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8f\xa0"},
        {"/\xff", "/\xef\xbf\xbd"},                       /* never valid */
        {"\xc3\x28", "\xef\xbf\xbd("},                     /* a lead byte without its tail */
        {"\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},   /* a surrogate */
        {"\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd"},         /* an overlong '/' */
        {"\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"}, /* > U+10FFFF */
        {"\xe2\x82", "\xef\xbf\xbd\xef\xbf\xbd"},         /* cut short by the end */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *v = jsonx_text(cases[i].in);
        assert_non_null(v);
        assert_string_equal(json_string_value(v), cases[i].want);
        char *dump = json_dumps(v, JSON_ENCODE_ANY);
        assert_non_null(dump);   /* jansson refuses to dump invalid UTF-8: this would be NULL */
        free(dump);
        json_decref(v);
    }
}

static void t_utf8_repair(void **state)
{
    (void)state;
    char out[64];
    const unsigned char in[] = {'a',  0xff, 'b',  0xc3, 0xa9, 0xe2, 0x82, 0xac,
                                0xed, 0xa0, 0x80, 0xc0, 0xaf, 0,    'z'};
    size_t n = jsonx_utf8_repair(in, sizeof in, 1, out, sizeof out);
    assert_int_equal(n, strlen(out));
    assert_string_equal(out, "a\xef\xbf\xbd"
                             "b\xc3\xa9\xe2\x82\xac"
                             "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                             "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdz");
    /* An incomplete sequence at the very end (the 4 KiB cut) is left out. */
    const unsigned char cut[] = {'o', 'k', 0xe2, 0x82};
    jsonx_utf8_repair(cut, sizeof cut, 1, out, sizeof out);
    assert_string_equal(out, "ok");
    /* A whole text: the same bytes are invalid, each replaced. */
    jsonx_utf8_repair(cut, sizeof cut, 0, out, sizeof out);
    assert_string_equal(out, "ok\xef\xbf\xbd\xef\xbf\xbd");
    /* Only a valid beginning is a cut character: a broken one before the end is replaced. */
    const unsigned char broken[] = {'o', 'k', 0xe2, 'x'};
    jsonx_utf8_repair(broken, sizeof broken, 1, out, sizeof out);
    assert_string_equal(out, "ok\xef\xbf\xbdx");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_parse_objects),
        cmocka_unit_test(t_parse_empty_body),
        cmocka_unit_test(t_parse_rejects),
        cmocka_unit_test(t_only_keys),
        cmocka_unit_test(t_string),
        cmocka_unit_test(t_bool),
        cmocka_unit_test(t_int),
        cmocka_unit_test(t_enum),
        cmocka_unit_test(t_string_array),
        cmocka_unit_test(t_dump_and_helpers),
        cmocka_unit_test(t_text_any_bytes),
        cmocka_unit_test(t_utf8_repair),
    };
    return cmocka_run_group_tests_name("jsonx", tests, NULL, NULL);
}
