/* test_router.c — http/router: pattern parameters, the trailing slash, 404 versus 405 with an
 * Allow list ("GET, HEAD, POST"), HEAD routed like GET, segment and parameter limits, and Allow
 * lists that stay well-formed in a small buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "http/router.h"

struct route {
    struct route_key k;
    int id;
};

static const struct route table[] = {
    {{"GET", "/api/v1/iguides"}, 1},
    {{"POST", "/api/v1/iguides"}, 2},
    {{"GET", "/api/v1/iguides/{iguideId}"}, 3},
    {{"DELETE", "/api/v1/iguides/{iguideId}"}, 4},
    {{"GET", "/api/v1/iguides/{iguideId}/workOrders"}, 5},
    {{"POST", "/api/v1/iguides/{iguideId}/workOrders"}, 6},
    {{"GET", "/api/v1/iguides/{iguideId}/workOrders/{workOrderId}"}, 7},
    {{"POST", "/api/v1/integrations/test"}, 8},
    {{"GET", "/api/v1/scopes"}, 9},
    {{"GET", "/"}, 10},
    {{"PUT", "/a/b/c/d/e/f/g/h/i/j/k/{l}"}, 11},                 /* 12 segments: the maximum */
    {{"PATCH", "/p/{a}/{b}/{c}/{d}/{e}/{f}"}, 12},                /* 6 parameters: the maximum */
    {{"POST", "/dup/{x}"}, 13},
    {{"POST", "/dup/fixed"}, 14},
    {{"PUT", "/dup/{y}"}, 15},
};
#define N (sizeof table / sizeof table[0])

static enum rc match(const char *method, const char *path, struct route_match *m, char *allow,
                     size_t cap)
{
    return router_match(table, N, sizeof table[0], method, path, m, allow, cap);
}

static int match_id(const char *method, const char *path, struct route_match *m)
{
    char allow[64];
    enum rc rc = match(method, path, m, allow, sizeof allow);
    if (rc != RC_OK)
        fail_msg("%s %s: %s", method, path, rc_name(rc));
    return table[m->index].id;
}

static void t_static_routes(void **state)
{
    (void)state;
    struct route_match m;
    assert_int_equal(match_id("GET", "/api/v1/iguides", &m), 1);
    assert_int_equal(m.nparams, 0);
    assert_int_equal(match_id("POST", "/api/v1/iguides", &m), 2);
    assert_int_equal(match_id("POST", "/api/v1/integrations/test", &m), 8);
    assert_int_equal(match_id("GET", "/api/v1/scopes", &m), 9);
    assert_int_equal(match_id("GET", "/", &m), 10);
    assert_int_equal(m.index, 9);
}

static void t_params(void **state)
{
    (void)state;
    struct route_match m;
    assert_int_equal(match_id("GET", "/api/v1/iguides/igABC", &m), 3);
    assert_int_equal(m.nparams, 1);
    assert_string_equal(route_param(&m, "iguideId"), "igABC");
    assert_null(route_param(&m, "workOrderId"));
    assert_null(route_param(&m, "iguideid")); /* names are case-sensitive */
    assert_int_equal(match_id("DELETE", "/api/v1/iguides/igXYZ", &m), 4);
    assert_string_equal(route_param(&m, "iguideId"), "igXYZ");
    assert_int_equal(match_id("GET", "/api/v1/iguides/igA/workOrders/Z1T9AB", &m), 7);
    assert_int_equal(m.nparams, 2);
    assert_string_equal(route_param(&m, "iguideId"), "igA");
    assert_string_equal(route_param(&m, "workOrderId"), "Z1T9AB");
    assert_string_equal(m.params[0].name, "iguideId");
    assert_string_equal(m.params[1].name, "workOrderId");
    /* A parameter captures anything within one segment, taken literally. */
    assert_int_equal(match_id("GET", "/api/v1/iguides/a%2Fb.c-d_e", &m), 3);
    assert_string_equal(route_param(&m, "iguideId"), "a%2Fb.c-d_e");
    /* Six parameters. */
    assert_int_equal(match_id("PATCH", "/p/1/2/3/4/5/6", &m), 12);
    assert_int_equal(m.nparams, 6);
    assert_string_equal(route_param(&m, "a"), "1");
    assert_string_equal(route_param(&m, "f"), "6");
}

static void t_literal_segments_exact(void **state)
{
    (void)state;
    struct route_match m;
    char allow[64];
    assert_int_equal(match("GET", "/api/v1/iguide", &m, allow, sizeof allow), RC_NOTFOUND);
    assert_int_equal(match("GET", "/api/v1/iguidesX", &m, allow, sizeof allow), RC_NOTFOUND);
    assert_int_equal(match("GET", "/api/v1/Iguides", &m, allow, sizeof allow), RC_NOTFOUND);
    assert_int_equal(match("GET", "/api/v2/iguides", &m, allow, sizeof allow), RC_NOTFOUND);
    assert_int_equal(match("GET", "/api/v1/iguides/x/y", &m, allow, sizeof allow), RC_NOTFOUND);
    assert_int_equal(match("GET", "/api/v1", &m, allow, sizeof allow), RC_NOTFOUND);
    assert_string_equal(allow, "");
}

static void t_trailing_slash(void **state)
{
    (void)state;
    struct route_match m;
    char allow[64];
    /* One trailing slash is ignored. */
    assert_int_equal(match_id("GET", "/api/v1/iguides/", &m), 1);
    assert_int_equal(match_id("GET", "/api/v1/iguides/igA/", &m), 3);
    assert_string_equal(route_param(&m, "iguideId"), "igA");
    /* Two are not, and neither is an empty segment inside the path. */
    assert_int_equal(match("GET", "/api/v1/iguides//", &m, allow, sizeof allow), RC_NOTFOUND);
    assert_int_equal(match("GET", "/api/v1//iguides", &m, allow, sizeof allow), RC_NOTFOUND);
    /* An empty segment never fills a parameter. */
    assert_int_equal(match("GET", "/api/v1/iguides//workOrders", &m, allow, sizeof allow),
                     RC_NOTFOUND);
    assert_int_equal(match("GET", "/api/v1/iguides//workOrders/x", &m, allow, sizeof allow),
                     RC_NOTFOUND);
}

static void t_404_vs_405(void **state)
{
    (void)state;
    struct route_match m;
    char allow[64] = "junk";
    assert_int_equal(match("GET", "/nowhere", &m, allow, sizeof allow), RC_NOTFOUND);
    assert_string_equal(allow, "");
    snprintf(allow, sizeof allow, "junk");
    assert_int_equal(match("PUT", "/api/v1/iguides", &m, allow, sizeof allow), RC_METHOD);
    assert_string_equal(allow, "GET, HEAD, POST");
    assert_int_equal(match("DELETE", "/api/v1/iguides", &m, allow, sizeof allow), RC_METHOD);
    assert_string_equal(allow, "GET, HEAD, POST");
    assert_int_equal(match("POST", "/api/v1/iguides/igA", &m, allow, sizeof allow), RC_METHOD);
    assert_string_equal(allow, "GET, HEAD, DELETE");
    assert_int_equal(match("GET", "/api/v1/integrations/test", &m, allow, sizeof allow),
                     RC_METHOD);
    assert_string_equal(allow, "POST");
    assert_int_equal(match("POST", "/api/v1/scopes", &m, allow, sizeof allow), RC_METHOD);
    assert_string_equal(allow, "GET, HEAD");
    /* Methods are case-sensitive tokens. */
    assert_int_equal(match("get", "/api/v1/scopes", &m, allow, sizeof allow), RC_METHOD);
    /* The same method from two matching patterns is listed once. */
    assert_int_equal(match("GET", "/dup/fixed", &m, allow, sizeof allow), RC_METHOD);
    assert_string_equal(allow, "POST, PUT");
}

static void t_head_like_get(void **state)
{
    (void)state;
    struct route_match m;
    char allow[64];
    assert_int_equal(match_id("HEAD", "/api/v1/scopes", &m), 9);
    assert_int_equal(match_id("HEAD", "/api/v1/iguides/igQ/workOrders/W1", &m), 7);
    assert_string_equal(route_param(&m, "workOrderId"), "W1");
    /* HEAD where there is no GET: 405, listing what is allowed. */
    assert_int_equal(match("HEAD", "/api/v1/integrations/test", &m, allow, sizeof allow),
                     RC_METHOD);
    assert_string_equal(allow, "POST");
}

static void t_segment_limit(void **state)
{
    (void)state;
    struct route_match m;
    char allow[64];
    assert_int_equal(match_id("PUT", "/a/b/c/d/e/f/g/h/i/j/k/last", &m), 11);
    assert_string_equal(route_param(&m, "l"), "last");
    assert_int_equal(match_id("PUT", "/a/b/c/d/e/f/g/h/i/j/k/last/", &m), 11);
    /* 13 segments: too many, never a match (and no crash). */
    assert_int_equal(match("PUT", "/a/b/c/d/e/f/g/h/i/j/k/last/x", &m, allow, sizeof allow),
                     RC_NOTFOUND);
    assert_string_equal(allow, "");
    char longpath[1024] = "";
    for (int i = 0; i < 200; i++)
        strncat(longpath, "/s", sizeof longpath - strlen(longpath) - 1);
    assert_int_equal(match("GET", longpath, &m, allow, sizeof allow), RC_NOTFOUND);
}

static void t_param_length_limit(void **state)
{
    (void)state;
    struct route_match m;
    char allow[64];
    char path[400];
    char v[200];
    /* 127 bytes fit (value[128] with its NUL). */
    memset(v, 'x', 127);
    v[127] = '\0';
    snprintf(path, sizeof path, "/api/v1/iguides/%s", v);
    assert_int_equal(match_id("GET", path, &m), 3);
    assert_string_equal(route_param(&m, "iguideId"), v);
    /* 128 bytes do not: no route matches rather than a truncated parameter. */
    memset(v, 'y', 128);
    v[128] = '\0';
    snprintf(path, sizeof path, "/api/v1/iguides/%s", v);
    assert_int_equal(match("GET", path, &m, allow, sizeof allow), RC_NOTFOUND);
    memset(v, 'z', 199);
    v[199] = '\0';
    snprintf(path, sizeof path, "/api/v1/iguides/%s/workOrders/w", v);
    assert_int_equal(match("GET", path, &m, allow, sizeof allow), RC_NOTFOUND);
}

static void t_allow_small_buffer(void **state)
{
    (void)state;
    struct route_match m;
    /* Whatever the capacity, the Allow value is NUL-terminated within it and is a clean list:
     * whole method names, no dangling separator. */
    const char *full = "GET, HEAD, POST";
    for (size_t cap = 1; cap <= 20; cap++) {
        char allow[32];
        memset(allow, '#', sizeof allow);
        assert_int_equal(match("PUT", "/api/v1/iguides", &m, allow, cap), RC_METHOD);
        size_t n = strlen(allow);
        assert_true(n < cap);
        assert_int_equal(allow[cap], '#');
        assert_memory_equal(allow, full, n);
        if (n)
            assert_true(allow[n - 1] != ' ' && allow[n - 1] != ',');
        assert_true(n == 0 || n == 3 || n == 9 || n == 15);
    }
    /* cap 0: allow is not touched at all. */
    char untouched[4] = "abc";
    assert_int_equal(match("PUT", "/api/v1/iguides", &m, untouched, 0), RC_METHOD);
    assert_string_equal(untouched, "abc");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_static_routes),
        cmocka_unit_test(t_params),
        cmocka_unit_test(t_literal_segments_exact),
        cmocka_unit_test(t_trailing_slash),
        cmocka_unit_test(t_404_vs_405),
        cmocka_unit_test(t_head_like_get),
        cmocka_unit_test(t_segment_limit),
        cmocka_unit_test(t_param_length_limit),
        cmocka_unit_test(t_allow_small_buffer),
    };
    return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
