/* q_search.c — iGUIDE search (docs/api.md, "Search"): each query word must begin one of an
 * iGUIDE's terms (db/migrations/sqlite/0007_search.sql). Terms are folded to [a-z0-9], so the
 * words beginning with w are exactly the range [w, w || '~') in byte order.
 *
 * Two plans, both newest first and both index-only until the rows are read:
 *  - driven: the range of the rarest word, each candidate checked for the other words through the
 *    (iguide_seq, term) index; work grows with that word's matches, not with the table;
 *  - scan: iGUIDEs newest first, each checked for every word; chosen only when every word is
 *    common, so a page fills after few rows.
 * A word with M matches among N iGUIDEs costs the driven plan about M range steps, the scan about
 * limit x N / M index probes (a probe ~3 steps): they cross near M = sqrt(3 x limit x N), the
 * threshold used (drive_max), so neither plan's work grows like N.
 * Unused word slots are '' and their checks are skipped. */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

/* Bounds on the "common" threshold (see the plans above). */
#define DRIVE_FLOOR 200
#define DRIVE_CEIL 50000
/* A word with fewer matches than this drives at once, without counting the others. */
#define DRIVE_NOW 100

#define SLOTS SEARCH_WORDS_MAX

/* The check that iGUIDE <seq> has a term in word slot (lo, hi). */
#define HAS(seq, lo, hi)                                                                           \
    " AND (?" lo " = '' OR EXISTS (SELECT 1 FROM iguide_search_terms x WHERE x.iguide_seq = " seq  \
    " AND x.term >= ?" lo " AND x.term < ?" hi "))"
#define HAS_OTHERS(seq)                                                                            \
    HAS(seq, "4", "5")                                                                             \
    HAS(seq, "6", "7") HAS(seq, "8", "9") HAS(seq, "10", "11") HAS(seq, "12", "13")                \
        HAS(seq, "14", "15") HAS(seq, "16", "17")

static const struct query q_newest = {"SELECT COALESCE(MAX(seq), 0) FROM iguides", NULL};
static const struct query q_term_insert = {
    "INSERT INTO iguide_search_terms (term, iguide_seq) VALUES (?1, ?2)", NULL};
static const struct query q_word_count = {
    "SELECT COUNT(*) FROM (SELECT 1 FROM iguide_search_terms WHERE term >= ?1 AND term < ?2 "
    "LIMIT ?3) c",
    NULL};
static const struct query q_search_driven = {
    "SELECT " IGUIDE_COLS " FROM iguides g WHERE g.seq IN (SELECT DISTINCT t.iguide_seq FROM "
    "iguide_search_terms t WHERE t.term >= ?1 AND t.term < ?2 AND (?3 = 0 OR t.iguide_seq < "
    "?3)" HAS_OTHERS("t.iguide_seq") " ORDER BY t.iguide_seq DESC LIMIT ?18) ORDER BY g.seq DESC",
    NULL};
static const struct query q_search_scan = {
    "SELECT " IGUIDE_COLS " FROM iguides g WHERE (?3 = 0 OR g.seq < ?3)" HAS("g.seq", "1", "2")
        HAS_OTHERS("g.seq") " ORDER BY g.seq DESC LIMIT ?18",
    NULL};
static const struct query q_unindexed = {
    "SELECT " IGUIDE_COLS " FROM iguides g WHERE g.seq > ?1 AND NOT EXISTS (SELECT 1 FROM "
    "iguide_search_terms x WHERE x.iguide_seq = g.seq) ORDER BY g.seq LIMIT 500",
    NULL};

enum rc q_search_index(struct store *s, int64_t seq, const struct address *ad, const char *alias,
                       const char *id, struct err *e)
{
    search_term terms[SEARCH_TERMS_MAX];
    int n = search_terms_of(ad, alias, id, terms);
    enum rc rc = RC_OK;
    for (int i = 0; rc == RC_OK && i < n; i++)
        rc = q_exec(s, &q_term_insert, NULL, e, Q_ARGS(QT(terms[i]), QI(seq)));
    return rc;
}

enum rc store_search_backfill(struct store *s, struct err *e)
{
    int64_t after = 0;
    for (;;) {
        struct arena *a = arena_new();
        if (!a)
            return err_set(e, RC_NOMEM, "out of memory");
        struct iguide_row *rows;
        size_t n = 0;
        struct db_stmt *st;
        enum rc rc = q_start(s, &q_unindexed, &st, e, Q_ARGS(QI(after)));
        if (rc == RC_OK)
            rc = q_collect(s, st, a, sizeof *rows, q_read_iguide, (void **)&rows, &n, e);
        for (size_t i = 0; rc == RC_OK && i < n; i++) {
            rc = q_search_index(s, rows[i].seq, &rows[i].addr, rows[i].alias, rows[i].id, e);
            after = rows[i].seq;
        }
        arena_free(a);
        if (rc != RC_OK || n == 0)
            return rc;
    }
}

/* Where the scan starts to beat the driven plan for a page of limit among about n iGUIDEs. */
static int64_t drive_max(int64_t n, int limit)
{
    int64_t want = 3 * (int64_t)limit * n, lo = DRIVE_FLOOR, hi = DRIVE_CEIL;
    while (lo < hi) { /* the least r in [FLOOR, CEIL] with r * r >= want */
        int64_t mid = lo + (hi - lo) / 2;
        if (mid * mid >= want)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

enum rc store_iguide_search(struct store *s, const search_term *words, int nwords,
                            int64_t before_seq, int limit, struct arena *a,
                            struct iguide_row **rows, size_t *n, struct err *e)
{
    if (nwords < 1 || nwords > SLOTS)
        return err_set(e, RC_INVALID, "search needs 1 to %d words", SLOTS);
    char hi[SLOTS][SEARCH_TERM_MAX + 2];
    for (int i = 0; i < nwords; i++)
        snprintf(hi[i], sizeof hi[i], "%s~", words[i]);
    /* The rarest word drives, unless every word is common. seq counts deleted iGUIDEs too: an
     * estimate is all the threshold needs. */
    int64_t newest = 0;
    enum rc rc0 = q_one_i64(s, &q_newest, Q_NONE, &newest, e);
    if (rc0 != RC_OK)
        return rc0;
    int drive = -1;
    int64_t cap = drive_max(newest, limit), best = cap;
    for (int i = 0; i < nwords && best >= DRIVE_NOW; i++) {
        int64_t c = 0;
        enum rc rc = q_one_i64(s, &q_word_count, Q_ARGS(QT(words[i]), QT(hi[i]), QI(cap)), &c, e);
        if (rc != RC_OK)
            return rc;
        if (c < best) {
            best = c;
            drive = i;
        }
    }
    if (best == 0) {
        *rows = NULL;
        *n = 0;
        return RC_OK;
    }
    const char *w[SLOTS * 2 + 2];
    int k = 0, first = drive < 0 ? 0 : drive;
    w[k++] = words[first];
    w[k++] = hi[first];
    for (int i = 0; i < nwords; i++)
        if (i != first) {
            w[k++] = words[i];
            w[k++] = hi[i];
        }
    while (k < SLOTS * 2) {
        w[k++] = "";
        w[k++] = "";
    }
    struct db_stmt *st;
    enum rc rc =
        q_start(s, drive < 0 ? &q_search_scan : &q_search_driven, &st, e,
                Q_ARGS(QT(w[0]), QT(w[1]), QI(before_seq), QT(w[2]), QT(w[3]), QT(w[4]), QT(w[5]),
                       QT(w[6]), QT(w[7]), QT(w[8]), QT(w[9]), QT(w[10]), QT(w[11]), QT(w[12]),
                       QT(w[13]), QT(w[14]), QT(w[15]), QI((int64_t)limit)));
    return rc != RC_OK ? rc
                       : q_collect(s, st, a, sizeof **rows, q_read_iguide, (void **)rows, n, e);
}
