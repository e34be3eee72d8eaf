/* test_viewer_page.c — the view page from store fixtures: escaping of everything from data, the
 * processing screen before the work order is done, a ready page with plans in the view's units,
 * panoramas and measurements, the locked screen with none of them (page and embed), the embed
 * without chrome; the RESO Autofill object computed from a summary. (markup_escape itself: test_markup.c.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/clock.h"
#include "viewer/html.h"
#include "viewer/page.h"
#include "viewer/reso.h"

#define NOW 1795608000000LL /* 2026-11-25T12:00:00Z */

#include "store_fixture.h"

/* 289318703.31 mm² is the platform's example (≈289.3 m², 3114 sq ft). */
#define SUMMARY                                                                                    \
    "{\"buildings\":[{\"id\":1,\"name\":\"Main <Building>\",\"intAreaAboveGrade\":200000000.0,"    \
    "\"extAreaAboveGrade\":220000000.0,\"intAreaTotal\":289318703.31,\"extAreaTotal\":310000000,"  \
    "\"finishedAreaTotal\":250000000,\"unfinishedAreaTotal\":39318703.31,"                          \
    "\"finishedAreaAboveGrade\":180000000,\"unfinishedAreaAboveGrade\":20000000,"                   \
    "\"wallThickness\":152.4}]}"

static struct made make_iguide(struct fx *f, const char *street)
{
    struct made m;
    struct err e = {0};
    fx_iguide_fill(&m, NOW);
    m.g.addr.street_name = street;
    m.v.description = "Sunny & <bright>";
    fx_iguide_create(f, &m, "alias");
    assert_int_equal(store_iguide_get(f->s, m.g.id, f->a, &m.g, &e), RC_OK);
    return m;
}

static void put_doc(struct fx *f, const struct made *m, const char *name, const char *format,
                    const char *ctype)
{
    struct deliverable_row d = {0};
    memcpy(d.iguide_id, m->g.id, strlen(m->g.id) + 1);
    d.name = name;
    d.work_order_id = m->w.id;
    d.format = format;
    d.content_type = ctype;
    d.sha256 = "00";
    d.blob_name = name;
    d.size = 10;
    d.created_at = NOW;
    const char *old = NULL;
    struct err e = {0};
    assert_int_equal(store_deliverable_put(f->s, &d, f->a, &old, &e), RC_OK);
}

/* Moves the initial work order to done and stores deliverables and the summary, as processing
 * does. */
static void make_ready(struct fx *f, struct made *m)
{
    struct err e = {0};
    assert_int_equal(store_workorder_transition(f->s, m->w.id, "empty", "done", NULL, NULL, NOW, &e), RC_OK);
    put_doc(f, m, "floorplan_metric_en.svg", "svg", "image/svg+xml");
    put_doc(f, m, "floorplan_imperial_en.svg", "svg", "image/svg+xml");
    put_doc(f, m, "floorplan_metric_en.pdf", "pdf", "application/pdf");
    put_doc(f, m, "pano_P1.jpg", "jpg", "image/jpeg");
    put_doc(f, m, "pano_P2.jpg", "jpg", "image/jpeg");
    put_doc(f, m, "measurements.json", "json", "application/json");
    struct manifest_row mr = {0};
    memcpy(mr.work_order_id, m->w.id, strlen(m->w.id) + 1);
    memcpy(mr.iguide_id, m->g.id, strlen(m->g.id) + 1);
    memcpy(mr.stitch_id, "ABC123", 7);
    mr.blob_name = "manifests/x.json";
    mr.created_at = NOW;
    assert_int_equal(store_manifest_put(f->s, &mr, &e), RC_OK);
    assert_int_equal(store_manifest_set_summary(f->s, m->w.id, SUMMARY, &e), RC_OK);
    assert_int_equal(store_iguide_get(f->s, m->g.id, f->a, &m->g, &e), RC_OK);
}

/* Renders the page of m's default view; the HTML in arena memory. */
static const char *render(struct fx *f, struct made *m, int locked, int embed)
{
    struct page_model pm = {
        .v = &m->v,
        .g = &m->g,
        .locked = locked,
        .ready = strcmp(m->g.initial_status, "done") == 0,
        .embed = embed,
        .base = arena_printf(f->a, "/%s", m->v.id),
    };
    struct err e = {0};
    assert_int_equal(page_load(f->s, NULL, &pm, f->a, &e), RC_OK);
    struct buf b;
    buf_init(&b, PAGE_MAX);
    assert_int_equal(page_render(&pm, &b, &e), RC_OK);
    const char *html = arena_strndup(f->a, b.p, b.len);
    buf_free(&b);
    return html;
}

static void t_escaping_and_processing(void **state)
{
    struct fx *f = *state;
    struct made m = make_iguide(f, "University <script>alert(1)</script> \"Ave\"");
    const char *html = render(f, &m, 0, 0);
    assert_null(strstr(html, "<script>alert"));
    assert_non_null(strstr(html, "University &lt;script&gt;alert(1)&lt;/script&gt; &quot;Ave&quot;"));
    assert_non_null(strstr(html, "This iGUIDE is being processed"));
    assert_non_null(strstr(html, "<code>empty</code>"));
    assert_non_null(strstr(html, "http-equiv=\"refresh\""));
    assert_null(strstr(html, "id=\"plans\""));
    assert_null(strstr(html, "id=\"panos\""));
    assert_null(strstr(html, "id=\"measurements\""));
    assert_non_null(strstr(html, "<script src=\"/static/viewer.js\"></script>"));
}

static void t_ready(void **state)
{
    struct fx *f = *state;
    struct made m = make_iguide(f, "University Ave");
    make_ready(f, &m);
    const char *html = render(f, &m, 0, 0);
    char want[200];
    /* RMS view: the metric plan, not the imperial one. */
    snprintf(want, sizeof want, "src=\"/%s/doc/floorplan_metric_en.svg\"", m.v.id);
    assert_non_null(strstr(html, want));
    assert_null(strstr(html, "floorplan_imperial_en.svg"));
    snprintf(want, sizeof want, "href=\"/%s/doc/floorplan_metric_en.pdf\"", m.v.id);
    assert_non_null(strstr(html, want));
    snprintf(want, sizeof want, "data-src=\"/%s/pano/P1.jpg\"", m.v.id);
    assert_non_null(strstr(html, want));
    snprintf(want, sizeof want, "data-src=\"/%s/pano/P2.jpg\"", m.v.id);
    assert_non_null(strstr(html, want));
    assert_non_null(strstr(html, "<canvas class=\"pano\""));
    assert_non_null(strstr(html, "<caption>Main &lt;Building&gt;</caption>"));
    assert_non_null(strstr(html, "<td>289.3 m²</td><td>3114 sq ft</td>"));
    assert_non_null(strstr(html, "<td>152 mm</td><td>6.0 in</td>"));
    assert_non_null(strstr(html, "Sunny &amp; &lt;bright&gt;"));
    assert_non_null(strstr(html, "<header class=\"bar\">"));
    assert_null(strstr(html, "being processed"));
    assert_null(strstr(html, "locked"));
    /* ANSI: the imperial plan. */
    m.v.meas_std = "ansi";
    html = render(f, &m, 0, 0);
    assert_non_null(strstr(html, "floorplan_imperial_en.svg"));
    assert_null(strstr(html, "floorplan_metric_en.svg"));
}

static void t_locked_and_embed(void **state)
{
    struct fx *f = *state;
    struct made m = make_iguide(f, "University Ave");
    make_ready(f, &m);
    for (int embed = 0; embed <= 1; embed++) {
        const char *html = render(f, &m, 1, embed);
        assert_non_null(strstr(html, "This iGUIDE has been locked"));
        assert_non_null(strstr(html, "src=\"/static/locked.svg\""));
        assert_null(strstr(html, "/doc/"));
        assert_null(strstr(html, "/pano/"));
        assert_null(strstr(html, "<canvas"));
        assert_null(strstr(html, "m²"));
        assert_null(strstr(html, "Sunny"));
        assert_true((strstr(html, "<header") == NULL) == embed);
    }
    const char *html = render(f, &m, 0, 1);
    assert_null(strstr(html, "<header"));
    assert_null(strstr(html, "<footer"));
    assert_non_null(strstr(html, "class=\"embed view-ready\""));
    assert_non_null(strstr(html, "<canvas class=\"pano\""));
    assert_non_null(strstr(html, "id=\"measurements\""));
}

static void t_reso(void **state)
{
    (void)state;
    json_t *sum = json_loads(SUMMARY, 0, NULL);
    struct address ad = {"US", "NY", "Buffalo", "14201", "Main St", "12", "4B"};
    const char *pdfs[] = {"floorplan_imperial_en.pdf", "floorplan_metric_en.pdf"};
    struct reso_input in = {&ad, "ansi", sum, "http://h/vX", "http://h/embed/vX", "http://h/a/doc",
                            pdfs, 2};
    json_t *out = reso_autofill(&in);
    assert_non_null(out);
    assert_string_equal(json_string_value(json_object_get(out, "@reso.context")), RESO_CONTEXT);
    json_t *p = json_array_get(json_object_get(out, "value"), 0);
    assert_string_equal(json_string_value(json_object_get(p, "StateOrProvince")), "NY");
    assert_string_equal(json_string_value(json_object_get(p, "UnitNumber")), "4B");
    /* 180000000 mm² = 1937.5038… ft² */
    assert_float_equal(json_number_value(json_object_get(p, "LivingArea")), 1937.5, 0.001);
    assert_string_equal(json_string_value(json_object_get(p, "LivingAreaUnits")), "Square Feet");
    assert_float_equal(json_number_value(json_object_get(p, "AboveGradeFinishedArea")), 1937.5, 0.001);
    /* below grade finished: 250000000 - 180000000 = 70000000 mm² = 753.47 ft² */
    assert_float_equal(json_number_value(json_object_get(p, "BelowGradeFinishedArea")), 753.47, 0.001);
    assert_float_equal(json_number_value(json_object_get(p, "BuildingAreaTotal")), 3114.2, 0.001);
    json_t *media = json_object_get(p, "Media");
    assert_int_equal(json_array_size(media), 4);
    json_t *m3 = json_array_get(media, 2);
    assert_string_equal(json_string_value(json_object_get(m3, "MediaCategory")), "Floor Plan");
    assert_string_equal(json_string_value(json_object_get(m3, "MediaType")), "pdf");
    assert_string_equal(json_string_value(json_object_get(m3, "ShortDescription")), "imperial");
    assert_string_equal(json_string_value(json_object_get(m3, "MediaURL")),
                        "http://h/a/doc/floorplan_imperial_en.pdf");
    json_decref(out);
    /* RMS: square metres; no summary: address and tours only. */
    in.meas_std = "rms";
    out = reso_autofill(&in);
    p = json_array_get(json_object_get(out, "value"), 0);
    assert_float_equal(json_number_value(json_object_get(p, "LivingArea")), 180.0, 0.001);
    assert_string_equal(json_string_value(json_object_get(p, "BuildingAreaTotalUnits")),
                        "Square Meters");
    json_decref(out);
    in.summary = NULL;
    in.npdfs = 0;
    out = reso_autofill(&in);
    p = json_array_get(json_object_get(out, "value"), 0);
    assert_null(json_object_get(p, "LivingArea"));
    assert_int_equal(json_array_size(json_object_get(p, "Media")), 2);
    json_decref(out);
    json_decref(sum);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(t_escaping_and_processing, setup, teardown),
        cmocka_unit_test_setup_teardown(t_ready, setup, teardown),
        cmocka_unit_test_setup_teardown(t_locked_and_embed, setup, teardown),
        cmocka_unit_test(t_reso),
    };
    return cmocka_run_group_tests_name("viewer_page", tests, NULL, NULL);
}
