/* test_measure.c — areas against hand-computed polygons: rectangles, an L-shaped room, above and
 * below grade, finished and unfinished, the wall thickness estimate, the ANSI and RMS headlines
 * and their rounding, unit formatting, and the summary, JSON and CSV outputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "core/arena.h"
#include "property/measure.h"
#include "unit/plan_fixture.h"

struct fx {
    struct arena *a;
    struct manifest m;
    struct measurements ms;
};

static void load(struct fx *f, const char *json, enum meas_std std)
{
    struct err e = {0};
    f->a = arena_new();
    assert_non_null(f->a);
    if (manifest_parse(json, strlen(json), f->a, &f->m, &e) != RC_OK)
        fail_msg("manifest: %s", e.msg);
    assert_int_equal(meas_compute(&f->m, std, f->a, &f->ms, &e), RC_OK);
}

static void near(double a, double b, int line)
{
    if (!(fabs(a - b) < 1e-6 * fmax(1.0, fabs(b))))
        fail_msg("line %d: %.6f is not %.6f", line, a, b);
}
#define NEAR(a, b) near((a), (b), __LINE__)

static void t_rooms_and_levels(void **state)
{
    (void)state;
    struct fx f;
    load(&f, PLAN_FIXTURE, MEAS_ANSI);
    assert_int_equal(f.ms.nbuildings, 1);
    const struct meas_building *b = &f.ms.buildings[0];
    assert_int_equal(b->nlevels, 2);
    const struct meas_level *l1 = &b->levels[0], *bs = &b->levels[1];
    assert_int_equal(l1->nrooms, 5);
    /* Living room 5000 x 5000. */
    NEAR(l1->rooms[0].area, 25e6);
    NEAR(l1->rooms[0].perimeter, 20000);
    NEAR(l1->rooms[0].width, 5000);
    NEAR(l1->rooms[0].depth, 5000);
    /* The L: 4900 x 3900 less the 2400 x 1900 notch; its perimeter is its bounding box's. */
    NEAR(l1->rooms[3].area, 4900.0 * 3900 - 2400.0 * 1900);
    NEAR(l1->rooms[3].area, 14550000);
    NEAR(l1->rooms[3].perimeter, 2 * (4900 + 3900));
    NEAR(l1->rooms[3].width, 4900);
    NEAR(l1->rooms[3].depth, 3900);
    /* Level sums. */
    NEAR(l1->int_area, 25e6 + 19.6e6 + 14.5e6 + 14.55e6 + 4.14e6);
    NEAR(l1->ext_area, 10300.0 * 8300);
    NEAR(l1->finished, 73.65e6);
    NEAR(l1->unfinished, 4.14e6);
    NEAR(l1->ext_perimeter, 2 * (10300 + 8300));
    NEAR(l1->wall_thickness, 150);
    assert_true(l1->in_headline);
    assert_false(bs->in_headline);
    NEAR(bs->int_area, 48e6 + 31.2e6);
    NEAR(bs->headline, 0);
    /* Building: above grade is the main floor only. */
    NEAR(b->int_above, 77.79e6);
    NEAR(b->ext_above, 85.49e6);
    NEAR(b->int_total, 77.79e6 + 79.2e6);
    NEAR(b->ext_total, 2 * 85.49e6);
    NEAR(b->fin_total, 73.65e6 + 48e6);
    NEAR(b->unfin_total, 4.14e6 + 31.2e6);
    NEAR(b->fin_above, 73.65e6);
    NEAR(b->unfin_above, 4.14e6);
    NEAR(b->wall_thickness, 150);
    arena_free(f.a);
}

static void t_headlines(void **state)
{
    (void)state;
    struct fx f;
    /* ANSI: the outline apportioned by the finished share, 85.49 m² x 73.65 / 77.79. */
    load(&f, PLAN_FIXTURE, MEAS_ANSI);
    double ansi = 85.49e6 * 73.65e6 / 77.79e6;
    NEAR(f.ms.buildings[0].headline, ansi);
    /* 80.940 m² is 871.2 sq ft: whole square feet. */
    assert_true(meas_headline_value(&f.ms.buildings[0], MEAS_ANSI) == 871.0);
    arena_free(f.a);
    /* RMS: the finished rooms above grade, 73.65 m², in tenths. */
    load(&f, PLAN_FIXTURE, MEAS_RMS);
    NEAR(f.ms.buildings[0].headline, 73.65e6);
    assert_true(meas_headline_value(&f.ms.buildings[0], MEAS_RMS) == 73.7);
    arena_free(f.a);
}

static void t_std_names(void **state)
{
    (void)state;
    enum meas_std s;
    assert_int_equal(meas_std_default("US"), MEAS_ANSI);
    assert_int_equal(meas_std_default("us"), MEAS_ANSI);
    assert_int_equal(meas_std_default("CA"), MEAS_RMS);
    assert_int_equal(meas_std_default(NULL), MEAS_RMS);
    assert_int_equal(meas_std_parse("ansi", &s), 0);
    assert_int_equal(s, MEAS_ANSI);
    assert_int_equal(meas_std_parse("rms", &s), 0);
    assert_int_equal(s, MEAS_RMS);
    assert_int_equal(meas_std_parse("ANSI", &s), -1);
    assert_int_equal(meas_std_parse("", &s), -1);
    assert_string_equal(meas_std_name(MEAS_RMS), "rms");
    assert_non_null(strstr(meas_std_title(MEAS_ANSI), "approximation"));
    assert_int_equal(meas_std_units(MEAS_ANSI), MEAS_IMPERIAL);
    assert_int_equal(meas_std_units(MEAS_RMS), MEAS_METRIC);
}

static void t_units_and_rounding(void **state)
{
    (void)state;
    char s[64];
    NEAR(meas_mm2_to_m2(2.5e6), 2.5);
    NEAR(meas_mm2_to_ft2(92903.04), 1.0);
    NEAR(meas_mm_to_ft(304.8), 1.0);
    NEAR(meas_mm_to_m(4200), 4.2);
    assert_true(meas_round2(0.125) == 0.13);
    assert_true(meas_round2(-0.125) == -0.13);
    assert_true(meas_round2(1234.5649) == 1234.56);
    assert_string_equal(meas_fmt_area(12.34e6, MEAS_METRIC, s, sizeof s), "12.3 m\xc2\xb2");
    assert_string_equal(meas_fmt_area(1845 * 92903.04, MEAS_IMPERIAL, s, sizeof s), "1,845 sq ft");
    assert_string_equal(meas_fmt_area(1234567 * 92903.04, MEAS_IMPERIAL, s, sizeof s),
                        "1,234,567 sq ft");
    assert_string_equal(meas_fmt_area(999 * 92903.04, MEAS_IMPERIAL, s, sizeof s), "999 sq ft");
    assert_string_equal(meas_fmt_length(4200, MEAS_METRIC, s, sizeof s), "4.20 m");
    assert_string_equal(meas_fmt_length(165 * 25.4, MEAS_IMPERIAL, s, sizeof s), "13'9\"");
    /* 11.8 inches rounds to a whole foot, not 0'12". */
    assert_string_equal(meas_fmt_length(11.8 * 25.4, MEAS_IMPERIAL, s, sizeof s), "1'0\"");
}

static void t_summary_json(void **state)
{
    (void)state;
    struct fx f;
    load(&f, PLAN_FIXTURE, MEAS_ANSI);
    json_t *j = meas_summary_json(&f.ms);
    assert_non_null(j);
    json_t *b = json_array_get(json_object_get(j, "buildings"), 0);
    assert_int_equal(json_integer_value(json_object_get(b, "id")), 1);
    assert_string_equal(json_string_value(json_object_get(b, "name")), "Main Building");
    NEAR(json_number_value(json_object_get(b, "intAreaAboveGrade")), 77.79e6);
    NEAR(json_number_value(json_object_get(b, "extAreaTotal")), 170.98e6);
    NEAR(json_number_value(json_object_get(b, "finishedAreaAboveGrade")), 73.65e6);
    NEAR(json_number_value(json_object_get(b, "unfinishedAreaTotal")), 35.34e6);
    NEAR(json_number_value(json_object_get(b, "wallThickness")), 150);
    assert_int_equal(json_object_size(b), 11);
    json_decref(j);
    arena_free(f.a);
}

static void t_deliverable_json(void **state)
{
    (void)state;
    struct fx f;
    load(&f, PLAN_FIXTURE, MEAS_RMS);
    json_t *j = meas_json(&f.ms);
    assert_non_null(j);
    size_t n;
    char *s = meas_json_dump(j, &n);
    assert_non_null(s);
    assert_int_equal(strlen(s), n);
    /* 15 significant digits: no 17-digit noise in the text. */
    assert_null(strstr(s, "99999999"));
    json_decref(j);
    json_error_t je;
    json_t *r = json_loads(s, 0, &je);
    free(s);
    assert_non_null(r);
    assert_string_equal(json_string_value(json_object_get(r, "format")), "guidepost-measurements/1");
    assert_string_equal(json_string_value(json_object_get(r, "standard")), "rms");
    json_t *b = json_array_get(json_object_get(r, "buildings"), 0);
    json_t *h = json_object_get(b, "headline");
    NEAR(json_number_value(json_object_get(h, "value")), 73.7);
    assert_string_equal(json_string_value(json_object_get(h, "unit")), "m2");
    json_t *l1 = json_array_get(json_object_get(b, "levels"), 0);
    assert_true(json_is_true(json_object_get(l1, "inHeadline")));
    json_t *fam = json_array_get(json_object_get(l1, "rooms"), 3);
    assert_string_equal(json_string_value(json_object_get(fam, "name")), "Family Room");
    NEAR(json_number_value(json_object_get(fam, "area")), 14550000);
    NEAR(json_number_value(json_object_get(fam, "areaM2")), 14.55);
    NEAR(json_number_value(json_object_get(fam, "areaFt2")), 156.61);
    json_t *bl = json_array_get(json_object_get(b, "levels"), 1);
    assert_true(json_is_true(json_object_get(bl, "belowGrade")));
    assert_true(json_is_false(json_object_get(bl, "inHeadline")));
    json_decref(r);
    arena_free(f.a);
}

/* Rooms on the outline (no wall), names a spreadsheet would misread. */
static const char TRICKY[] =
    "{\"format\":\"guidepost-stitch/1\",\"property\":{\"captureDate\":\"2026-01-02T03:04:05Z\"},"
    "\"buildings\":[{\"id\":7,\"name\":\"Shed, \\\"old\\\"\",\"levels\":["
    "{\"id\":\"G\",\"name\":\"Ground\",\"belowGrade\":false,\"height\":2400,"
    "\"exterior\":" RECT(0, 0, 4000, 3000) ","
    "\"rooms\":["
    "{\"id\":\"A\",\"name\":\"=SUM(A1)\",\"finished\":true,\"polygon\":" RECT(0, 0, 2000, 3000) "},"
    "{\"id\":\"B\",\"name\":\"Bay\",\"finished\":false,\"polygon\":"
    "[[2000,0],[4000,0],[4000,3000],[2000,3000],[2000,0]]}]}]}]}";

static void t_csv(void **state)
{
    (void)state;
    struct fx f;
    load(&f, PLAN_FIXTURE, MEAS_ANSI);
    struct buf b;
    struct err e = {0};
    buf_init(&b, 1 << 16);
    assert_int_equal(meas_csv(&f.ms, &b, &e), RC_OK);
    assert_true(strncmp(b.p, "building,level,room,finished,area_m2,area_ft2,perimeter_m\r\n", 59) ==
                0);
    assert_non_null(strstr(b.p, "\r\nMain Building,Main Floor,Living Room,true,25.00,269.10,20.00\r\n"));
    assert_non_null(strstr(b.p, "\r\nMain Building,Main Floor,Family Room,true,14.55,156.61,17.60\r\n"));
    assert_non_null(strstr(b.p, "\r\nMain Building,Basement,Utility,false,31.20,335.83,23.80\r\n"));
    int rows = 0;
    for (const char *p = b.p; (p = strstr(p, "\r\n")); p += 2)
        rows++;
    assert_int_equal(rows, 1 + 7);
    buf_free(&b);
    /* The maximum is a hard error. */
    buf_init(&b, 100);
    assert_int_equal(meas_csv(&f.ms, &b, &e), RC_TOOLARGE);
    buf_free(&b);
    arena_free(f.a);

    load(&f, TRICKY, MEAS_RMS);
    buf_init(&b, 1 << 16);
    assert_int_equal(meas_csv(&f.ms, &b, &e), RC_OK);
    assert_non_null(strstr(b.p, "\r\n\"Shed, \"\"old\"\"\",Ground,'=SUM(A1),true,6.00,64.58,10.00\r\n"));
    buf_free(&b);
    /* Rooms drawn on the outline: no wall to estimate, exterior equals interior. */
    NEAR(f.ms.buildings[0].wall_thickness, 0);
    NEAR(f.ms.buildings[0].ext_above, 12e6);
    NEAR(f.ms.buildings[0].int_above, 12e6);
    NEAR(f.ms.buildings[0].headline, 6e6);
    assert_true(meas_headline_value(&f.ms.buildings[0], MEAS_RMS) == 6.0);
    arena_free(f.a);
}

static void t_invalid_polygons(void **state)
{
    (void)state;
    struct fx f;
    load(&f, TRICKY, MEAS_ANSI);
    struct measurements ms;
    struct err e = {0};
    struct mf_level *lv = &f.m.buildings[0].levels[0];
    lv->rooms[1].poly.n = 2;
    assert_int_equal(meas_compute(&f.m, MEAS_ANSI, f.a, &ms, &e), RC_INVALID);
    assert_non_null(strstr(e.msg, "room B"));
    lv->rooms[1].poly.n = 4;
    lv->rooms[1].poly.pts[2].x = NAN;
    assert_int_equal(meas_compute(&f.m, MEAS_ANSI, f.a, &ms, &e), RC_INVALID);
    assert_non_null(strstr(e.msg, "non-finite"));
    arena_free(f.a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_rooms_and_levels), cmocka_unit_test(t_headlines),
        cmocka_unit_test(t_std_names),        cmocka_unit_test(t_units_and_rounding),
        cmocka_unit_test(t_summary_json),     cmocka_unit_test(t_deliverable_json),
        cmocka_unit_test(t_csv),              cmocka_unit_test(t_invalid_polygons),
    };
    return cmocka_run_group_tests_name("measure", tests, NULL, NULL);
}
