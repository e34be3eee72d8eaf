/* search_fill.c — fills a data folder with N iGUIDEs for bench/search.sh, each written by
 * store_iguide_create exactly as POST /api/v1/iguides writes it (default view, initial work
 * order, alias, search terms), so the benchmark measures the index the server builds itself.
 * Addresses are drawn from fixed lists with a fixed seed, so runs are repeatable; every
 * iGUIDE is in Canada. Prints the seconds it took to stderr.
 *
 *   build/bench/search_fill DATA_DIR N */
#include "api/iguide_input.h"
#include "api/view_input.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/slug.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const streets[] = {
    "Main St",
    "King St E",
    "King St W",
    "Queen St",
    "University Ave",
    "Erb St",
    "Weber St N",
    "Columbia St",
    "Victoria St",
    "Albert St",
    "Rue Saint-Denis",
    "Rue Sainte-Catherine O",
    "Boul René-Lévesque",
    "Ch de la Côte",
    "Maple Ave",
    "Oak St",
    "Pine St",
    "Cedar Rd",
    "Elm St",
    "Birch Cres",
    "Willow Way",
    "Spruce Dr",
    "Park Ave",
    "Lakeshore Rd",
    "Hillcrest Dr",
    "Sunset Blvd",
    "Riverside Dr",
    "Church St",
    "Mill St",
    "Bridge St",
    "Front St",
    "Water St",
    "Wellington St",
    "Dundas St",
    "Bloor St",
    "Yonge St",
    "Bay St",
    "College St",
    "Spadina Ave",
};
static const struct {
    const char *city, *prov;
} cities[] = {
    {"Waterloo", "ON"},      {"Kitchener", "ON"}, {"Toronto", "ON"},     {"Ottawa", "ON"},
    {"Hamilton", "ON"},      {"London", "ON"},    {"Guelph", "ON"},      {"Montréal", "QC"},
    {"Québec", "QC"},        {"Laval", "QC"},     {"Gatineau", "QC"},    {"Sherbrooke", "QC"},
    {"Vancouver", "BC"},     {"Victoria", "BC"},  {"Kelowna", "BC"},     {"Calgary", "AB"},
    {"Edmonton", "AB"},      {"Regina", "SK"},    {"Saskatoon", "SK"},   {"Winnipeg", "MB"},
    {"Halifax", "NS"},       {"Moncton", "NB"},   {"Fredericton", "NB"}, {"St. John's", "NL"},
    {"Charlottetown", "PE"},
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static unsigned long long rng = 88172645463325252ULL;
static unsigned next(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s DATA_DIR N\n", argv[0]);
        return 2;
    }
    long total = strtol(argv[2], NULL, 10);
    log_set_level(LOG_WARN);
    struct store_config cfg = {argv[1]};
    struct store *s;
    struct err e = {0};
    if (store_open(&cfg, &s, &e) != RC_OK || store_migrate(s, NULL, &e) != RC_OK) {
        fprintf(stderr, "search_fill: %s\n", e.msg);
        return 1;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int64_t now = clock_now_ms();
    for (long i = 0; i < total; i++) {
        struct arena *a = arena_new();
        char num[16], unit[8], postal[8];
        snprintf(num, sizeof num, "%u", 1 + next(9999));
        snprintf(unit, sizeof unit, "%u", 1 + next(40));
        snprintf(postal, sizeof postal, "%c%u%c %u%c%u", 'A' + next(26), next(10), 'A' + next(26),
                 next(10), 'A' + next(26), next(10));
        unsigned c = next(COUNT(cities));
        struct iguide_row g = {0};
        struct view_row v = {0};
        struct workorder_row w = {0};
        g.type = "standard";
        g.industry = "residential";
        g.addr = (struct address){"CA",
                                  cities[c].prov,
                                  cities[c].city,
                                  postal,
                                  streets[next(COUNT(streets))],
                                  num,
                                  next(4) == 0 ? unit : NULL};
        g.editors_json = g.webhooks_json = "[]";
        g.created_at = g.updated_at = now;
        struct view_params vp;
        memset(&vp, 0, sizeof vp);
        v.is_default = 1;
        w.task_type = "initial";
        w.is_initial = 1;
        w.status = "empty";
        w.created_at = w.updated_at = now;
        char alias[SLUG_MAX];
        iguide_alias_base(&g.addr, alias, sizeof alias);
        if (!a || view_params_to_new(&vp, g.industry, "CA", now, &v, a, &e) != RC_OK ||
            store_iguide_create(s, &g, &v, &w, alias, a, &e) != RC_OK) {
            fprintf(stderr, "search_fill: iGUIDE %ld: %s\n", i, e.msg);
            return 1;
        }
        arena_free(a);
        if ((i + 1) % 100000 == 0)
            fprintf(stderr, "search_fill: %ld\n", i + 1);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fprintf(stderr, "search_fill: %ld iGUIDEs in %.1f s\n", total,
            (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    store_close(s);
    return 0;
}
