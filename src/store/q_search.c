/* q_search.c — iGUIDE search (docs/api.md, "Search"): each query word must begin one of an
 * iGUIDE's terms (db/migrations/sqlite/0007_search.sql). Terms are folded to [a-z0-9], so the
 * terms beginning with w are exactly the range [w, w || '~') in byte order.
 *
 * Three plans, all newest first and index-only until the page's rows are read; the other words
 * are checked per candidate through the (iguide_seq, term) index:
 *  - walk: when a word's range holds one term only (a whole word, "montreal"), that term's
 *    (term, iguide_seq) entries are already in iGUIDE order: walked newest first, they stop as
 *    soon as the page is full;
 *  - driven: the range of a rare word (a prefix such as "mont" covers several terms), its
 *    candidates sorted; work grows with that word's matches, which are few;
 *  - scan: iGUIDEs newest first, for queries whose words are all common prefixes.
 * Matches are counted by levels (256, 2048, then drive_max), so a query with a rare word does
 * not pay for counting its common ones. A word with M matches among N iGUIDEs costs the driven plan
 * about M range steps and the scan about limit x N / M probes (~3 steps each): they cross near
 * M = sqrt(3 x limit x N), drive_max, so no plan's work grows like N.
 * Unused word slots are '' and their checks are skipped. */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

/* Bounds on the "common" threshold (see the plans above). */
#define DRIVE_FLOOR 200
#define DRIVE_CEIL 50000

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
static const struct query q_one_term = {
    "SELECT CASE WHEN EXISTS (SELECT 1 FROM iguide_search_terms WHERE term = ?1) AND NOT EXISTS "
    "(SELECT 1 FROM iguide_search_terms WHERE term > ?1 AND term < ?2) THEN 1 ELSE 0 END",
    NULL};
/* ?3 is never 0 here: the first page passes the largest seq. */
static const struct query q_search_walk = {
    "SELECT " IGUIDE_COLS " FROM iguides g WHERE g.seq IN (SELECT t.iguide_seq FROM "
    "iguide_search_terms t WHERE t.term = ?1 AND t.term < ?2 AND t.iguide_seq < ?3" HAS_OTHERS(
        "t.iguide_seq") " ORDER BY t.iguide_seq DESC LIMIT ?18) ORDER BY g.seq DESC",
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

/* 1 when the range of word (hi its upper bound) holds the term word and no other, 0 if not. */
static enum rc one_term(struct store *s, const char *word, const char *hi, int *out, struct err *e)
{
    int64_t v = 0;
    enum rc rc = q_one_i64(s, &q_one_term, Q_ARGS(QT(word), QT(hi)), &v, e);
    *out = v != 0;
    return rc;
}

/* one_term for every word; *longest is the longest whole word, or -1. */
static enum rc whole_words(struct store *s, const search_term *words,
                           char (*hi)[SEARCH_TERM_MAX + 2], int nwords, int *whole, int *longest,
                           struct err *e)
{
    *longest = -1;
    for (int i = 0; i < nwords; i++) {
        enum rc rc = one_term(s, words[i], hi[i], &whole[i], e);
        if (rc != RC_OK)
            return rc;
        if (whole[i] && (*longest < 0 || strlen(words[i]) > strlen(words[*longest])))
            *longest = i;
    }
    return RC_OK;
}

enum rc store_iguide_search(struct store *s, const search_term *words, int nwords,
                            int64_t before_seq, int limit, struct arena *a,
                            struct iguide_row **rows, size_t *n, struct err *e)
{
    *rows = NULL;
    *n = 0;
    if (nwords < 1 || nwords > SLOTS)
        return err_set(e, RC_INVALID, "search needs 1 to %d words", SLOTS);
    char hi[SLOTS][SEARCH_TERM_MAX + 2];
    for (int i = 0; i < nwords; i++)
        snprintf(hi[i], sizeof hi[i], "%s~", words[i]);
    /* seq counts deleted iGUIDEs too: an estimate is all the threshold needs. */
    int64_t newest = 0;
    enum rc rc = q_one_i64(s, &q_newest, Q_NONE, &newest, e);
    if (rc != RC_OK)
        return rc;
    /* Whole words (their range is one term) can be walked; the longest is the likely rarest.
     * Checked only where the choice needs it. */
    int whole[SLOTS] = {0}, checked = 0, longest = -1;
    const struct query *plan = &q_search_walk;
    int first = 0, rare = -1;
    if (nwords == 1 && (rc = one_term(s, words[0], hi[0], &whole[0], e)) != RC_OK)
        return rc;
    if (!(nwords == 1 && whole[0])) { /* a whole word alone: its walk stops with the page */
        int64_t cap = drive_max(newest, limit), count[SLOTS], level = 0;
        const int64_t levels[] = {256, 2048, cap};
        /* Longer words first: they tend to be rarer, and the first word under a level ends the
         * counting (an estimate of the rarest is enough to choose a plan). */
        int order[SLOTS];
        for (int i = 0; i < nwords; i++) {
            int j = i;
            for (; j > 0 && strlen(words[order[j - 1]]) < strlen(words[i]); j--)
                order[j] = order[j - 1];
            order[j] = i;
        }
        for (size_t l = 0; l < sizeof levels / sizeof levels[0] && rare < 0 && rc == RC_OK; l++) {
            int64_t next = levels[l] > cap ? cap : levels[l];
            if (next <= level)
                continue;
            /* Past 2048 matches a whole word is walked rather than counted further. */
            if (level > 0 && next == cap) {
                if (!checked &&
                    (rc = whole_words(s, words, hi, nwords, whole, &longest, e)) != RC_OK)
                    return rc;
                checked = 1;
                if (longest >= 0)
                    break;
            }
            level = next;
            for (int k = 0; k < nwords && rare < 0 && rc == RC_OK; k++) {
                int i = order[k];
                rc = q_one_i64(s, &q_word_count, Q_ARGS(QT(words[i]), QT(hi[i]), QI(level)),
                               &count[i], e);
                if (rc == RC_OK && count[i] < level)
                    rare = i;
            }
        }
        if (rc != RC_OK || (rare >= 0 && count[rare] == 0))
            return rc;
        /* The rare word (walked if whole, else driven); with every word common, the longest
         * whole word is walked, else everything is scanned. */
        if (rare >= 0) {
            first = rare;
            if (!checked && nwords > 1 &&
                (rc = one_term(s, words[rare], hi[rare], &whole[rare], e)))
                return rc;
            plan = whole[rare] ? &q_search_walk : &q_search_driven;
        } else {
            if (!checked && (rc = whole_words(s, words, hi, nwords, whole, &longest, e)) != RC_OK)
                return rc;
            if (longest >= 0)
                first = longest;
            else
                plan = &q_search_scan;
        }
    }
    if (plan == &q_search_walk && before_seq == 0)
        before_seq = INT64_MAX;
    const char *w[SLOTS * 2 + 2];
    int k = 0;
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
    rc = q_start(s, plan, &st, e,
                 Q_ARGS(QT(w[0]), QT(w[1]), QI(before_seq), QT(w[2]), QT(w[3]), QT(w[4]), QT(w[5]),
                        QT(w[6]), QT(w[7]), QT(w[8]), QT(w[9]), QT(w[10]), QT(w[11]), QT(w[12]),
                        QT(w[13]), QT(w[14]), QT(w[15]), QI((int64_t)limit)));
    return rc != RC_OK ? rc
                       : q_collect(s, st, a, sizeof **rows, q_read_iguide, (void **)rows, n, e);
}
