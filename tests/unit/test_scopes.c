/* test_scopes.c — auth/scopes: the platform's 11 scope names in the documented order
 * (portal-api.md §2.3), parsing lists separated by commas and/or spaces with the offending name
 * reported, formatting a set back in documented order, and scope_covers — who may grant, rotate,
 * change or revoke what — over every pair of a family of scope sets and over every pair of sets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "auth/scopes.h"

static const char *const documented[] = {
    "iguide.list",    "iguide.ro",     "iguide.rw",     "iguide.tasks",
    "iguide.billing", "iguide.gallery", "iguide.events", "iguide.draft.ro",
    "viewer.data",    "banner.list",   "credentials.manage",
};

static void t_names_in_order(void **state)
{
    (void)state;
    assert_int_equal(SCOPE__COUNT, 11);
    assert_int_equal(sizeof documented / sizeof documented[0], 11);
    for (int i = 0; i < SCOPE__COUNT; i++)
        assert_string_equal(scope_name((enum scope)i), documented[i]);
    assert_string_equal(scope_name(SCOPE_IGUIDE_RW), "iguide.rw");
    assert_string_equal(scope_name(SCOPE_CREDENTIALS_MANAGE), "credentials.manage");
    assert_string_equal(scope_name(SCOPE_OPERATOR), "operator");
    assert_null(scope_name(SCOPE__ALL));
    assert_null(scope_name((enum scope)-1));
}

static scope_set parse_ok(const char *list)
{
    scope_set s = 0xdeadbeef;
    char bad[80] = "";
    if (scope_parse_list(list, &s, bad, sizeof bad) != 0)
        fail_msg("rejected \"%s\" at \"%s\"", list, bad);
    return s;
}

static void parse_bad(const char *list, const char *want_bad)
{
    scope_set s = 0x1234;
    char bad[80] = "";
    if (scope_parse_list(list, &s, bad, sizeof bad) != -1)
        fail_msg("accepted \"%s\"", list);
    assert_string_equal(bad, want_bad);
    assert_int_equal(s, 0x1234); /* untouched */
}

static void t_parse_lists(void **state)
{
    (void)state;
    scope_set want = SCOPE_BIT(SCOPE_IGUIDE_RW) | SCOPE_BIT(SCOPE_IGUIDE_TASKS);
    assert_int_equal(parse_ok("iguide.rw,iguide.tasks"), want);
    assert_int_equal(parse_ok("iguide.tasks iguide.rw"), want);
    assert_int_equal(parse_ok("iguide.rw, iguide.tasks"), want);
    assert_int_equal(parse_ok("  ,iguide.rw ,, iguide.tasks,  "), want);
    assert_int_equal(parse_ok("iguide.rw,iguide.rw,iguide.tasks"), want); /* repeats are fine */
    assert_int_equal(parse_ok("credentials.manage"), SCOPE_BIT(SCOPE_CREDENTIALS_MANAGE));
    assert_int_equal(parse_ok("iguide.draft.ro"), SCOPE_BIT(SCOPE_IGUIDE_DRAFT_RO));
    /* All eleven. */
    assert_int_equal(parse_ok("iguide.list iguide.ro iguide.rw iguide.tasks iguide.billing "
                              "iguide.gallery iguide.events iguide.draft.ro viewer.data "
                              "banner.list credentials.manage"),
                     (1u << 11) - 1);
}

static void t_parse_rejects(void **state)
{
    (void)state;
    parse_bad("", "(none)");
    parse_bad(" , ,", "(none)");
    parse_bad("iguide.read", "iguide.read");  /* third-party names are not scopes */
    parse_bad("iguide.rw,iguide.write", "iguide.write");
    parse_bad("iguide.rw bogus iguide.tasks", "bogus");
    parse_bad("iguide", "iguide");             /* a prefix is not a match */
    parse_bad("iguide.rwx", "iguide.rwx");
    parse_bad("iguide.draft", "iguide.draft");
    parse_bad("IGUIDE.RW", "IGUIDE.RW");       /* case-sensitive */
    parse_bad("iguide.rw;iguide.tasks", "iguide.rw;iguide.tasks");
    parse_bad("iguide.rw\tiguide.tasks", "iguide.rw\tiguide.tasks");
    /* A long bad name is cut to fit the caller's buffer. */
    char longname[300];
    memset(longname, 'q', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    scope_set s;
    char bad[16];
    assert_int_equal(scope_parse_list(longname, &s, bad, sizeof bad), -1);
    assert_int_equal(strlen(bad), sizeof bad - 1);
    assert_int_equal(bad[0], 'q');
}

static void t_format(void **state)
{
    (void)state;
    char out[256];
    assert_int_equal(scope_format(0, out, sizeof out), 0);
    assert_string_equal(out, "");
    size_t n = scope_format(SCOPE_BIT(SCOPE_IGUIDE_TASKS) | SCOPE_BIT(SCOPE_IGUIDE_RW), out,
                            sizeof out);
    assert_string_equal(out, "iguide.rw iguide.tasks");
    assert_int_equal(n, strlen(out));
    n = scope_format((1u << SCOPE__COUNT) - 1, out, sizeof out);
    assert_string_equal(out, "iguide.list iguide.ro iguide.rw iguide.tasks iguide.billing "
                             "iguide.gallery iguide.events iguide.draft.ro viewer.data "
                             "banner.list credentials.manage");
    assert_int_equal(n, strlen(out));
    /* Bits beyond the eleven are ignored. */
    assert_int_equal(scope_format(SCOPE_BIT(SCOPE_VIEWER_DATA) | (1u << 20), out, sizeof out),
                     strlen("viewer.data"));
    assert_string_equal(out, "viewer.data");
    /* A small buffer holds whole names only. */
    char small[24];
    n = scope_format((1u << SCOPE__COUNT) - 1, small, sizeof small);
    assert_string_equal(small, "iguide.list iguide.ro");
    assert_int_equal(n, strlen(small));
}

static void t_round_trip(void **state)
{
    (void)state;
    char out[256];
    for (scope_set s = 1; s < (1u << SCOPE__COUNT); s = s * 3 + 1) {
        scope_set set = s & ((1u << SCOPE__COUNT) - 1);
        if (!set)
            continue;
        scope_format(set, out, sizeof out);
        assert_int_equal(parse_ok(out), set);
    }
}

/* The oracle works on names, not bits: target ⊆ holder when each name of target's formatted list
 * is a whole word of holder's. */
static int covers_by_name(scope_set holder, scope_set target)
{
    char h[300] = " ", t[300];
    scope_format(holder, h + 1, sizeof h - 2);
    strcat(h, " ");
    scope_format(target, t, sizeof t);
    for (char *save = NULL, *w = strtok_r(t, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        char word[64];
        snprintf(word, sizeof word, " %s ", w);
        if (!strstr(h, word))
            return 0;
    }
    return 1;
}

#define ALL_SCOPES (((scope_set)1 << SCOPE__ALL) - 1)
#define MANAGE SCOPE_BIT(SCOPE_CREDENTIALS_MANAGE)

/* The representative family: every scope alone, every pair, credentials.manage with each other
 * scope (pairs again, named for the issue), credentials.manage with operator and iguide.rw, the
 * eleven documented scopes, and all twelve. */
static size_t family(scope_set *out, size_t cap)
{
    size_t n = 0;
    for (int i = 0; i < SCOPE__ALL; i++)
        out[n++] = SCOPE_BIT(i);
    for (int i = 0; i < SCOPE__ALL; i++)
        for (int j = i + 1; j < SCOPE__ALL; j++)
            out[n++] = SCOPE_BIT(i) | SCOPE_BIT(j);
    out[n++] = MANAGE | SCOPE_BIT(SCOPE_OPERATOR) | SCOPE_BIT(SCOPE_IGUIDE_RW);
    out[n++] = ((scope_set)1 << SCOPE__COUNT) - 1;
    out[n++] = ALL_SCOPES;
    assert_true(n <= cap);
    return n;
}

static void t_covers_family_matrix(void **state)
{
    (void)state;
    scope_set f[128];
    size_t n = family(f, sizeof f / sizeof f[0]);
    assert_int_equal(n, 12 + 66 + 3);
    size_t allowed = 0;
    for (size_t h = 0; h < n; h++)
        for (size_t t = 0; t < n; t++) {
            int want = covers_by_name(f[h], f[t]);
            if (scope_covers(f[h], f[t]) != want) {
                char hs[300], ts[300];
                scope_format(f[h], hs, sizeof hs);
                scope_format(f[t], ts, sizeof ts);
                fail_msg("holder {%s} target {%s}: want %s", hs, ts, want ? "allowed" : "refused");
            }
            allowed += (size_t)want;
        }
    /* Counted by hand, so an oracle that said yes (or no) to everything would fail here. Holders
     * of a single: itself, its 11 pairs, the full sets that hold it, the triple for manage, rw and
     * operator: 2*15 + 10*14 = 170. Of a pair: itself, all twelve, the documented eleven for the
     * 55 without operator, the triple for its 3 pairs: 66 + 66 + 55 + 3 = 190. The triple, the
     * eleven: itself and all twelve (2 + 2); all twelve: itself (1). */
    assert_int_equal(allowed, 170 + 190 + 2 + 2 + 1);
}

/* The rule named in the issue, spelled out. */
static void t_covers_named_cases(void **state)
{
    (void)state;
    scope_set wide = SCOPE_BIT(SCOPE_OPERATOR) | SCOPE_BIT(SCOPE_IGUIDE_RW);
    assert_false(scope_covers(MANAGE, wide));
    assert_false(scope_covers(MANAGE | SCOPE_BIT(SCOPE_IGUIDE_RW), wide));
    assert_true(scope_covers(MANAGE | wide, wide));
    assert_true(scope_covers(MANAGE, MANAGE));                       /* itself */
    assert_false(scope_covers(MANAGE, MANAGE | SCOPE_BIT(SCOPE_IGUIDE_RO)));
    assert_true(scope_covers(ALL_SCOPES, ALL_SCOPES));
    assert_false(scope_covers(((scope_set)1 << SCOPE__COUNT) - 1, SCOPE_BIT(SCOPE_OPERATOR)));
    /* A set with bits no scope has (a damaged row read as "everything") is never covered. */
    assert_false(scope_covers(ALL_SCOPES, ~(scope_set)0));
    assert_false(scope_covers(ALL_SCOPES, (scope_set)1 << 20));
}

/* Every pair of the 4096 subsets of the twelve scopes against a per-scope oracle. */
static void t_covers_every_pair(void **state)
{
    (void)state;
    for (scope_set h = 0; h <= ALL_SCOPES; h++)
        for (scope_set t = 0; t <= ALL_SCOPES; t++) {
            int want = 1;
            for (int i = 0; i < SCOPE__ALL && want; i++)
                if ((t & SCOPE_BIT(i)) && !(h & SCOPE_BIT(i)))
                    want = 0;
            if (scope_covers(h, t) != want)
                fail_msg("holder %#x target %#x: want %d", (unsigned)h, (unsigned)t, want);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_names_in_order),
        cmocka_unit_test(t_parse_lists),
        cmocka_unit_test(t_parse_rejects),
        cmocka_unit_test(t_format),
        cmocka_unit_test(t_round_trip),
        cmocka_unit_test(t_covers_family_matrix),
        cmocka_unit_test(t_covers_named_cases),
        cmocka_unit_test(t_covers_every_pair),
    };
    return cmocka_run_group_tests_name("scopes", tests, NULL, NULL);
}
