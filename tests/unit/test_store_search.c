/* test_store_search.c — store_iguide_search against an oracle: 300 iGUIDEs (250 in one city, so
 * its name is common, 50 in another; queries chosen to take each plan: walk, driven, scan), each
 * query paged to the end and compared with what matching every word against search_terms_of
 * says, newest first; deletion drops the terms; the migration's backfill step restores them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store_fixture.h"

#include "core/search_terms.h"
#include "store/store_int.h"

#define N 300

struct one {
    char id[ID_MAX];
    int64_t seq;
    struct address addr;
    char alias[160];
    char num[8];
    int gone;
};
static struct one all[N];

static void make_all(struct fx *f)
{
    int64_t now = clock_now_ms();
    for (int i = 0; i < N; i++) {
        struct made m;
        fx_iguide_fill(&m, now);
        snprintf(all[i].num, sizeof all[i].num, "%d", i + 1);
        m.g.addr.street_number = all[i].num;
        if (i % 6 == 5) { /* 50 of them */
            m.g.addr.city = "Guelph";
            m.g.addr.street_name = "Rue Saint-Étienne";
        }
        char base[64];
        snprintf(base, sizeof base, "%s_%s", all[i].num, i % 6 == 5 ? "guelph" : "waterloo");
        fx_iguide_create(f, &m, base);
        memcpy(all[i].id, m.g.id, sizeof m.g.id);
        all[i].addr = m.g.addr;
        snprintf(all[i].alias, sizeof all[i].alias, "%s", m.g.alias);
        all[i].gone = 0;
    }
}

/* The oracle: every word begins one of the iGUIDE's terms. */
static int matches(const struct one *o, search_term *w, int nw)
{
    search_term t[SEARCH_TERMS_MAX];
    int nt = search_terms_of(&o->addr, o->alias, o->id, t);
    for (int i = 0; i < nw; i++) {
        int hit = 0;
        for (int j = 0; j < nt && !hit; j++)
            hit = strncmp(t[j], w[i], strlen(w[i])) == 0;
        if (!hit)
            return 0;
    }
    return 1;
}

/* Pages through a search 7 at a time and compares the ids with the oracle's, newest first. */
static void check(struct fx *f, const char *text, int expect_min)
{
    search_term w[SEARCH_WORDS_MAX];
    int nw = search_words(text, w, SEARCH_WORDS_MAX);
    assert_true(nw > 0);
    char want[N * ID_MAX] = "", got[N * ID_MAX] = "";
    int nwant = 0;
    for (int i = N - 1; i >= 0; i--)
        if (!all[i].gone && matches(&all[i], w, nw)) {
            strcat(want, all[i].id);
            strcat(want, " ");
            nwant++;
        }
    int64_t before = 0;
    for (int page = 0; page < N; page++) {
        struct iguide_row *rows;
        size_t n = 0;
        struct err e = {0};
        enum rc rc = store_iguide_search(f->s, w, nw, before, 7, f->a, &rows, &n, &e);
        if (rc != RC_OK)
            fail_msg("search %s: %s", text, e.msg);
        for (size_t i = 0; i < n; i++) {
            strcat(got, rows[i].id);
            strcat(got, " ");
        }
        if (n < 7)
            break;
        before = rows[n - 1].seq;
    }
    if (strcmp(want, got) != 0)
        fail_msg("search \"%s\"\nwant %s\ngot  %s", text, want, got);
    if (nwant < expect_min)
        fail_msg("search \"%s\": %d matches, fewer than the test meant (%d)", text, nwant,
                 expect_min);
}

static void t_against_oracle(void **state)
{
    struct fx *f = *state;
    make_all(f);
    check(f, "waterloo", 250);      /* common, a whole term: walked */
    check(f, "WATERLOO 1", 90);     /* ... with a second word */
    check(f, "guelph", 50);         /* rare, a whole term: walked */
    check(f, "Saint-ÉTIENNE 2", 5); /* three words */
    check(f, "gue", 50);            /* rare, a prefix: driven */
    check(f, "univ 29", 2);         /* "29" rare, a prefix of "290": driven */
    check(f, "wat univ", 250);      /* every word a common prefix: scanned */
    check(f, "wat univ 1", 90);
    check(f, "n2l3g1 canada", 250);
    check(f, "on ca", 300);
    check(f, "guelph waterloo", 0);
    check(f, "zzz", 0);
    char idp[8];
    snprintf(idp, sizeof idp, "%.6s", all[17].id);
    check(f, idp, 1);
    check(f, all[42].alias, 1);
}

static const struct query q_forget = {"DELETE FROM iguide_search_terms", NULL};

static void t_delete_and_backfill(void **state)
{
    struct fx *f = *state;
    make_all(f);
    struct err e = {0};
    for (int i = 0; i < N; i += 3) {
        assert_int_equal(store_iguide_delete(f->s, all[i].id, &e), RC_OK);
        all[i].gone = 1;
    }
    check(f, "waterloo", 150);
    check(f, "guelph", 30);
    assert_int_equal(q_exec(f->s, &q_forget, NULL, &e, Q_NONE), RC_OK);
    search_term w[1];
    struct iguide_row *rows;
    size_t n = 1;
    search_words("waterloo", w, 1);
    assert_int_equal(store_iguide_search(f->s, w, 1, 0, 7, f->a, &rows, &n, &e), RC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_begin(f->s, 1, &e), RC_OK);
    assert_int_equal(store_search_backfill(f->s, &e), RC_OK);
    assert_int_equal(store_commit(f->s, &e), RC_OK);
    check(f, "waterloo", 150);
    check(f, "saint etienne", 30);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(t_against_oracle, setup, teardown),
        cmocka_unit_test_setup_teardown(t_delete_and_backfill, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
