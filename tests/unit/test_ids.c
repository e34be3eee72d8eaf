/* test_ids.c — core/ids: the documented id shapes (ig+13, v+13, 6-character work orders and
 * Stitch Data ids, 16-character job/request ids) drawn from Crockford's base-32 alphabet,
 * id_valid's rejections, UUID v4 shape and id_uuid_valid, and uniqueness over 10k draws. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/ids.h"

#define CROCKFORD "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

static void check_shape(enum id_kind kind, const char *prefix, size_t body_len)
{
    char id[ID_MAX];
    for (int i = 0; i < 500; i++) {
        memset(id, 'X', sizeof id);
        assert_int_equal(id_new(kind, id), 0);
        size_t pl = strlen(prefix);
        assert_int_equal(strlen(id), pl + body_len);
        assert_memory_equal(id, prefix, pl);
        assert_int_equal(strspn(id + pl, CROCKFORD), body_len);
        assert_int_equal(id_valid(kind, id), 1);
    }
}

static void t_shapes(void **state)
{
    (void)state;
    check_shape(ID_IGUIDE, "ig", 13);
    check_shape(ID_VIEW, "v", 13);
    check_shape(ID_WORKORDER, "", 6);
    check_shape(ID_STITCHDATA, "", 6);
    check_shape(ID_JOB, "", 16);
    check_shape(ID_REQUEST, "", 16);
}

static void t_alphabet_is_crockford(void **state)
{
    (void)state;
    /* Over many draws every Crockford symbol shows up and nothing else does (no I, L, O, U, no
     * lower case). */
    int seen[256] = {0};
    char id[ID_MAX];
    for (int i = 0; i < 2000; i++) {
        assert_int_equal(id_new(ID_JOB, id), 0);
        for (const char *p = id; *p; p++)
            seen[(unsigned char)*p]++;
    }
    for (int c = 0; c < 256; c++) {
        int allowed = c != 0 && strchr(CROCKFORD, c) != NULL;
        if (allowed && !seen[c])
            fail_msg("symbol '%c' never drawn", c);
        if (!allowed && seen[c])
            fail_msg("symbol 0x%02x drawn but not in the alphabet", c);
    }
}

static void t_valid_rejects(void **state)
{
    (void)state;
    assert_int_equal(id_valid(ID_IGUIDE, "igFKXNRGC5V8DD1"), 1);
    assert_int_equal(id_valid(ID_IGUIDE, "igFKXNRGC5V8DD"), 0);    /* 12 */
    assert_int_equal(id_valid(ID_IGUIDE, "igFKXNRGC5V8DD12"), 0);  /* 14 */
    assert_int_equal(id_valid(ID_IGUIDE, "IGFKXNRGC5V8DD1"), 0);   /* prefix case */
    assert_int_equal(id_valid(ID_IGUIDE, "vgFKXNRGC5V8DD1"), 0);
    assert_int_equal(id_valid(ID_IGUIDE, "igfkxnrgc5v8dd1"), 0);   /* lower case */
    assert_int_equal(id_valid(ID_IGUIDE, "igFKXNRGC5V8DI1"), 0);   /* I */
    assert_int_equal(id_valid(ID_IGUIDE, "igFKXNRGC5V8DL1"), 0);   /* L */
    assert_int_equal(id_valid(ID_IGUIDE, "igFKXNRGC5V8DO1"), 0);   /* O */
    assert_int_equal(id_valid(ID_IGUIDE, "igFKUNRGC5V8DD1"), 0);   /* U */
    assert_int_equal(id_valid(ID_IGUIDE, "igFKXNRGC5V8D-1"), 0);
    assert_int_equal(id_valid(ID_IGUIDE, ""), 0);
    assert_int_equal(id_valid(ID_IGUIDE, "ig"), 0);
    assert_int_equal(id_valid(ID_VIEW, "vFKXNRGC5V8DD1"), 1);
    assert_int_equal(id_valid(ID_VIEW, "igFKXNRGC5V8DD1"), 0);
    assert_int_equal(id_valid(ID_VIEW, "vFKXNRGC5V8DD"), 0);
    assert_int_equal(id_valid(ID_WORKORDER, "Z1T9AB"), 1);
    assert_int_equal(id_valid(ID_WORKORDER, "Z1T9"), 0);           /* the docs' 4-char example; ours are 6 */
    assert_int_equal(id_valid(ID_WORKORDER, "Z1T9ABC"), 0);
    assert_int_equal(id_valid(ID_WORKORDER, "z1t9ab"), 0);
    assert_int_equal(id_valid(ID_WORKORDER, "Z1T9A "), 0);
    assert_int_equal(id_valid(ID_WORKORDER, "../../"), 0);
    assert_int_equal(id_valid(ID_STITCHDATA, "4MN000"), 1);
    assert_int_equal(id_valid(ID_JOB, "0123456789ABCDEF"), 1);
    assert_int_equal(id_valid(ID_JOB, "0123456789ABCDEFG"), 0);
    /* A valid id of one kind is not automatically valid for another. */
    char id[ID_MAX];
    assert_int_equal(id_new(ID_IGUIDE, id), 0);
    assert_int_equal(id_valid(ID_VIEW, id), 0);
    assert_int_equal(id_valid(ID_WORKORDER, id), 0);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static void assert_unique(enum id_kind kind, size_t n)
{
    char (*ids)[ID_MAX] = calloc(n, ID_MAX);
    assert_non_null(ids);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(id_new(kind, ids[i]), 0);
    qsort(ids, n, ID_MAX, cmp_str);
    for (size_t i = 1; i < n; i++)
        if (strcmp(ids[i - 1], ids[i]) == 0)
            fail_msg("duplicate id %s", ids[i]);
    free(ids);
}

static void t_unique_10k(void **state)
{
    (void)state;
    assert_unique(ID_IGUIDE, 10000);
    assert_unique(ID_VIEW, 10000);
    assert_unique(ID_JOB, 10000);
    assert_unique(ID_REQUEST, 10000);
}

static void t_workorder_ids_spread(void **state)
{
    (void)state;
    /* 30-bit ids may collide over 10k draws (the store retries), but they must be spread out:
     * every position takes many different values and duplicates stay rare. */
    enum { N = 10000 };
    char (*ids)[ID_MAX] = calloc(N, ID_MAX);
    assert_non_null(ids);
    int per_pos[6][256] = {{0}};
    for (size_t i = 0; i < N; i++) {
        assert_int_equal(id_new(ID_WORKORDER, ids[i]), 0);
        for (int p = 0; p < 6; p++)
            per_pos[p][(unsigned char)ids[i][p]]++;
    }
    for (int p = 0; p < 6; p++) {
        int distinct = 0;
        for (int c = 0; c < 256; c++)
            if (per_pos[p][c]) {
                distinct++;
                assert_true(per_pos[p][c] < N / 32 * 2); /* no symbol twice as common as fair */
            }
        assert_int_equal(distinct, 32);
    }
    qsort(ids, N, ID_MAX, cmp_str);
    int dups = 0;
    for (size_t i = 1; i < N; i++)
        dups += strcmp(ids[i - 1], ids[i]) == 0;
    assert_true(dups <= 3); /* expected about 0.05 */
    free(ids);
}

static void t_uuid_shape(void **state)
{
    (void)state;
    char u[37];
    for (int i = 0; i < 1000; i++) {
        memset(u, 'X', sizeof u);
        assert_int_equal(id_uuid(u), 0);
        assert_int_equal(strlen(u), 36);
        for (int k = 0; k < 36; k++) {
            if (k == 8 || k == 13 || k == 18 || k == 23)
                assert_int_equal(u[k], '-');
            else
                assert_non_null(strchr("0123456789abcdef", u[k]));
        }
        assert_int_equal(u[14], '4');                       /* version 4 */
        assert_non_null(strchr("89ab", u[19]));             /* RFC 4122 variant */
        assert_int_equal(id_uuid_valid(u), 1);
    }
}

static void t_uuid_unique(void **state)
{
    (void)state;
    enum { N = 10000 };
    char (*us)[37] = calloc(N, 37);
    assert_non_null(us);
    for (size_t i = 0; i < N; i++)
        assert_int_equal(id_uuid(us[i]), 0);
    qsort(us, N, 37, cmp_str);
    for (size_t i = 1; i < N; i++)
        if (strcmp(us[i - 1], us[i]) == 0)
            fail_msg("duplicate uuid %s", us[i]);
    free(us);
}

static void t_uuid_valid_rejects(void **state)
{
    (void)state;
    assert_int_equal(id_uuid_valid("550e8400-e29b-41d4-a716-446655440000"), 1);
    assert_int_equal(id_uuid_valid("550E8400-E29B-41D4-A716-446655440000"), 0); /* upper case */
    assert_int_equal(id_uuid_valid("550e8400-e29b-41d4-a716-44665544000A"), 0);
    assert_int_equal(id_uuid_valid("550e8400e29b-41d4-a716-4466554400000"), 0);  /* dash moved */
    assert_int_equal(id_uuid_valid("550e8400-e29b41d4-a716-4466554400000-"), 0);
    assert_int_equal(id_uuid_valid("550e8400-e29b-41d4-a716_446655440000"), 0);
    assert_int_equal(id_uuid_valid("550e8400-e29b-41d4-a716-44665544000"), 0);   /* 35 */
    assert_int_equal(id_uuid_valid("550e8400-e29b-41d4-a716-4466554400000"), 0); /* 37 */
    assert_int_equal(id_uuid_valid("550e8400-e29b-41d4-a716-44665544000g"), 0);
    assert_int_equal(id_uuid_valid("{50e8400-e29b-41d4-a716-44665544000}"), 0);
    assert_int_equal(id_uuid_valid("550e8400 e29b 41d4 a716 446655440000"), 0);
    assert_int_equal(id_uuid_valid("550e8400e29b41d4a716446655440000"), 0);
    assert_int_equal(id_uuid_valid(""), 0);
    assert_int_equal(id_uuid_valid("------------------------------------"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_shapes),
        cmocka_unit_test(t_alphabet_is_crockford),
        cmocka_unit_test(t_valid_rejects),
        cmocka_unit_test(t_unique_10k),
        cmocka_unit_test(t_workorder_ids_spread),
        cmocka_unit_test(t_uuid_shape),
        cmocka_unit_test(t_uuid_unique),
        cmocka_unit_test(t_uuid_valid_rejects),
    };
    return cmocka_run_group_tests_name("ids", tests, NULL, NULL);
}
