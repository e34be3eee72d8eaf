/* test_deliver.c — the deliverables of a two-level house: every expected name exactly once with
 * the right signature and structure (PDF pages per level, SVG, PNG size, JPEG markers, DXF
 * sections and layers, IFC spaces), the add-ons, panorama previews, bounds and error paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cmocka.h>

#include "core/arena.h"
#include "render/deliver.h"
#include "render/jpeg_io.h"
#include "unit/plan_fixture.h"

#define MAXOUT 40

struct item {
    char name[96], format[8], ctype[40];
    unsigned char *p;
    size_t n;
};

struct sinkt {
    struct item it[MAXOUT];
    size_t n;
    enum rc fail_with;                    /* RC_OK, or what the emitter answers */
};

static enum rc collect(void *user, const char *name, const char *format, const char *ctype,
                       const void *bytes, size_t n, struct err *e)
{
    struct sinkt *s = user;
    if (s->fail_with != RC_OK)
        return err_set(e, s->fail_with, "store refused %s", name);
    assert_true(s->n < MAXOUT);
    struct item *it = &s->it[s->n++];
    snprintf(it->name, sizeof it->name, "%s", name);
    snprintf(it->format, sizeof it->format, "%s", format);
    snprintf(it->ctype, sizeof it->ctype, "%s", ctype);
    it->p = malloc(n + 1);
    assert_non_null(it->p);
    memcpy(it->p, bytes, n);
    it->p[n] = 0;
    it->n = n;
    return RC_OK;
}

static void sink_free(struct sinkt *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->it[i].p);
    s->n = 0;
}

static const struct item *find(const struct sinkt *s, const char *name)
{
    const struct item *f = NULL;
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->it[i].name, name) == 0) {
            if (f)
                fail_msg("%s emitted twice", name);
            f = &s->it[i];
        }
    if (!f)
        fail_msg("%s not emitted", name);
    return f;
}

static size_t count(const struct item *it, const char *needle)
{
    size_t k = 0, nl = strlen(needle);
    for (size_t i = 0; i + nl <= it->n; i++)
        if (memcmp(it->p + i, needle, nl) == 0)
            k++;
    return k;
}

/* PDF page objects: "/Type /Page" not followed by "s" (that is the /Pages tree). */
static size_t pdf_pages(const struct item *it)
{
    size_t k = 0, nl = strlen("/Type /Page");
    for (size_t i = 0; i + nl < it->n; i++)
        if (memcmp(it->p + i, "/Type /Page", nl) == 0 && it->p[i + nl] != 's')
            k++;
    return k;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Width of a baseline JPEG from its SOF0 marker; 0 when absent. */
static int jpeg_width(const unsigned char *p, size_t n, int *h)
{
    for (size_t i = 2; i + 9 < n;) {
        if (p[i] != 0xff)
            return 0;
        unsigned m = p[i + 1], len = (unsigned)p[i + 2] << 8 | p[i + 3];
        if (m == 0xc0 || m == 0xc2) {
            *h = p[i + 5] << 8 | p[i + 6];
            return p[i + 7] << 8 | p[i + 8];
        }
        i += 2 + len;
    }
    return 0;
}

struct fx {
    struct arena *a;
    struct manifest m;
    struct measurements ms;
    struct deliver_info info;
};

static void load(struct fx *f, enum meas_std std)
{
    struct err e = {0};
    f->a = arena_new();
    if (manifest_parse(PLAN_FIXTURE, strlen(PLAN_FIXTURE), f->a, &f->m, &e) != RC_OK)
        fail_msg("manifest: %s", e.msg);
    assert_int_equal(meas_compute(&f->m, std, f->a, &f->ms, &e), RC_OK);
    f->info.title = "12 O'Brien Street, Springfield, IL 62701";
    f->info.iguide_id = "gTEST0001";
}

static void t_plans(void **state)
{
    (void)state;
    struct fx f;
    load(&f, MEAS_ANSI);
    struct sinkt s = {0};
    struct err e = {0};
    assert_int_equal(deliver_plans(&f.m, &f.ms, &f.info, collect, &s, &e), RC_OK);
    /* 2 units x (PDF + SVG + 2 levels x (PNG + JPG)) + DXF + JSON + CSV. */
    assert_int_equal(s.n, 2 * (2 + 2 * 2) + 3);
    const char *units[2] = {"metric", "imperial"};
    const int pw[2] = {1754, 1650}, ph[2] = {1240, 1275};
    char name[96];
    for (int u = 0; u < 2; u++) {
        snprintf(name, sizeof name, "floorplan_%s_en.pdf", units[u]);
        const struct item *pdf = find(&s, name);
        assert_memory_equal(pdf->p, "%PDF-", 5);
        assert_string_equal(pdf->format, "pdf");
        assert_string_equal(pdf->ctype, "application/pdf");
        assert_int_equal(pdf_pages(pdf), 2);
        assert_true(count(pdf, "%%EOF") >= 1);

        snprintf(name, sizeof name, "floorplan_%s_en.svg", units[u]);
        const struct item *svg = find(&s, name);
        assert_non_null(strstr((char *)svg->p, "<?xml"));
        assert_non_null(strstr((char *)svg->p, "<svg"));
        assert_non_null(strstr((char *)svg->p, "</svg>"));
        assert_string_equal(svg->ctype, "image/svg+xml");

        const char *lv[2] = {"L1", "B"};
        for (int l = 0; l < 2; l++) {
            snprintf(name, sizeof name, "floorplan_1_%s_%s_en.png", lv[l], units[u]);
            const struct item *png = find(&s, name);
            assert_memory_equal(png->p, "\x89PNG\r\n\x1a\n", 8);
            assert_memory_equal(png->p + 12, "IHDR", 4);
            assert_int_equal(be32(png->p + 16), pw[u]);
            assert_int_equal(be32(png->p + 20), ph[u]);
            snprintf(name, sizeof name, "floorplan_1_%s_%s_en.jpg", lv[l], units[u]);
            const struct item *jpg = find(&s, name);
            assert_true(jpg->n > 1000);
            assert_memory_equal(jpg->p, "\xff\xd8", 2);
            assert_memory_equal(jpg->p + jpg->n - 2, "\xff\xd9", 2);
            int h = 0;
            assert_int_equal(jpeg_width(jpg->p, jpg->n, &h), pw[u]);
            assert_int_equal(h, ph[u]);
        }
    }
    const struct item *dxf = find(&s, "floorplan.dxf");
    const char *d = (const char *)dxf->p;
    assert_non_null(strstr(d, "AC1009"));
    assert_non_null(strstr(d, "  0\nSECTION\n  2\nHEADER\n"));
    assert_non_null(strstr(d, "  0\nSECTION\n  2\nTABLES\n"));
    assert_non_null(strstr(d, "  0\nSECTION\n  2\nENTITIES\n"));
    assert_true(dxf->n > 8 && strcmp(d + dxf->n - 8, "  0\nEOF\n") == 0);
    const char *layers[] = {"WALLS", "ROOMS", "DOORS", "WINDOWS", "LABELS"};
    for (int i = 0; i < 5; i++) {
        char def[40];
        snprintf(def, sizeof def, "  0\nLAYER\n  2\n%s\n", layers[i]);
        assert_non_null(strstr(d, def));
        snprintf(def, sizeof def, "  8\n%s\n", layers[i]);
        assert_true(count(dxf, def) > 0);
    }
    /* 7 rooms on ROOMS, one swing arc per door (6), 5 windows as closed quads. */
    assert_int_equal(count(dxf, "  0\nARC\n"), 6);
    assert_int_equal(count(dxf, "  0\nPOLYLINE\n  8\nROOMS\n"), 7);
    assert_int_equal(count(dxf, "  0\nPOLYLINE\n  8\nWINDOWS\n"), 5);
    assert_non_null(strstr(d, "  1\nFamily Room\n"));
    assert_non_null(strstr(d, "14.6 m\\U+00B2"));

    const struct item *mj = find(&s, "measurements.json");
    assert_string_equal(mj->ctype, "application/json");
    json_error_t je;
    json_t *j = json_loadb((const char *)mj->p, mj->n, 0, &je);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "standard")), "ansi");
    json_decref(j);
    const struct item *csv = find(&s, "measurements.csv");
    assert_true(strncmp((char *)csv->p, "building,level,room,", 20) == 0);
    assert_int_equal(count(csv, "\r\n"), 8);
    sink_free(&s);
    arena_free(f.a);
}

static void t_deterministic(void **state)
{
    (void)state;
    struct fx f;
    load(&f, MEAS_RMS);
    struct sinkt a = {0}, b = {0};
    struct err e = {0};
    assert_int_equal(deliver_plans(&f.m, &f.ms, &f.info, collect, &a, &e), RC_OK);
    assert_int_equal(deliver_plans(&f.m, &f.ms, &f.info, collect, &b, &e), RC_OK);
    assert_int_equal(a.n, b.n);
    /* A retried publish must store the same bytes (the PDF's date is the capture date). */
    for (size_t i = 0; i < a.n; i++) {
        assert_string_equal(a.it[i].name, b.it[i].name);
        if (a.it[i].n != b.it[i].n || memcmp(a.it[i].p, b.it[i].p, a.it[i].n) != 0)
            print_message("differs: %s\n", a.it[i].name);
        assert_int_equal(a.it[i].n, b.it[i].n);
        assert_memory_equal(a.it[i].p, b.it[i].p, a.it[i].n);
    }
    assert_int_equal(count(find(&a, "floorplan_metric_en.pdf"), "20260501143000"), 1);
    sink_free(&a);
    sink_free(&b);
    arena_free(f.a);
}

static void t_emit_failure_stops(void **state)
{
    (void)state;
    struct fx f;
    load(&f, MEAS_ANSI);
    struct sinkt s = {0};
    s.fail_with = RC_IO;
    struct err e = {0};
    assert_int_equal(deliver_plans(&f.m, &f.ms, &f.info, collect, &s, &e), RC_IO);
    assert_non_null(strstr(e.msg, "floorplan_metric_en.pdf"));
    assert_int_equal(deliver_addon("rvt-init", &f.m, &f.ms, &f.info, collect, &s, &e), RC_IO);
    arena_free(f.a);
}

static void t_addons(void **state)
{
    (void)state;
    struct fx f;
    load(&f, MEAS_ANSI);
    struct sinkt s = {0};
    struct err e = {0};
    const char *types[] = {"dwg-init", "rvt-init", "esx-init", "corelogic-fml", "siteplan"};
    for (int i = 0; i < 5; i++)
        assert_int_equal(deliver_addon(types[i], &f.m, &f.ms, &f.info, collect, &s, &e), RC_OK);
    assert_int_equal(s.n, 5);

    const struct item *dxf = find(&s, "addon_dwg-init.dxf");
    assert_non_null(strstr((char *)dxf->p, "  0\nSECTION\n  2\nENTITIES\n"));

    const struct item *ifc = find(&s, "addon_rvt-init.ifc");
    const char *t = (const char *)ifc->p;
    assert_true(strncmp(t, "ISO-10303-21;\nHEADER;\n", 22) == 0);
    assert_non_null(strstr(t, "FILE_SCHEMA(('IFC4'));"));
    assert_non_null(strstr(t, "END-ISO-10303-21;\n"));
    assert_int_equal(count(ifc, "=IFCPROJECT("), 1);
    assert_int_equal(count(ifc, "=IFCSITE("), 1);
    assert_int_equal(count(ifc, "=IFCBUILDING("), 1);
    assert_int_equal(count(ifc, "=IFCBUILDINGSTOREY("), 2);
    assert_int_equal(count(ifc, "=IFCSPACE("), 7);
    assert_int_equal(count(ifc, "=IFCEXTRUDEDAREASOLID("), 7);
    /* The basement sits one basement height below the main floor. */
    assert_non_null(strstr(t, ",.ELEMENT.,-2300.0);"));
    /* A quote in a name is doubled, per ISO 10303-21. */
    assert_non_null(strstr(t, "'12 O''Brien Street"));

    const struct item *esx = find(&s, "addon_esx-init.xml");
    assert_true(strncmp((char *)esx->p, "<?xml", 5) == 0);
    assert_int_equal(count(esx, "<room "), 7);
    assert_non_null(strstr((char *)esx->p, "title=\"12 O&#39;Brien Street"));
    assert_non_null(strstr((char *)esx->p, "</sketch>\n"));

    const struct item *fml = find(&s, "addon_corelogic-fml.json");
    json_error_t je;
    json_t *j = json_loadb((const char *)fml->p, fml->n, 0, &je);
    assert_non_null(j);
    json_t *floors = json_object_get(j, "floors");
    assert_int_equal(json_array_size(floors), 2);
    json_t *d0 = json_array_get(json_object_get(json_array_get(floors, 0), "designs"), 0);
    assert_int_equal(json_array_size(json_object_get(d0, "areas")), 5);
    json_decref(j);

    const struct item *site = find(&s, "addon_siteplan.pdf");
    assert_memory_equal(site->p, "%PDF-", 5);
    assert_int_equal(pdf_pages(site), 1);
    sink_free(&s);

    /* Upgrades produce nothing; unknown types are refused. */
    assert_int_equal(deliver_addon("premium-upgrade", &f.m, &f.ms, &f.info, collect, &s, &e),
                     RC_OK);
    assert_int_equal(deliver_addon("standard-upgrade", &f.m, &f.ms, &f.info, collect, &s, &e),
                     RC_OK);
    assert_int_equal(s.n, 0);
    assert_int_equal(deliver_addon("photos", &f.m, &f.ms, &f.info, collect, &s, &e), RC_INVALID);
    assert_int_equal(deliver_addon(NULL, &f.m, &f.ms, &f.info, collect, &s, &e), RC_INVALID);
    arena_free(f.a);
}

/* A 2048 x 1024 "panorama": horizontal colour bands, encoded with the module under test. */
static void make_pano(struct buf *out, int w, int h)
{
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(img);
    for (int i = 0; i < 8; i++) {
        cairo_set_source_rgb(cr, i / 8.0, 0.5, 1 - i / 8.0);
        cairo_rectangle(cr, 0, h * i / 8.0, w, h / 8.0);
        cairo_fill(cr);
    }
    cairo_destroy(cr);
    struct err e = {0};
    buf_init(out, 1 << 24);
    assert_int_equal(jpeg_encode_surface(img, 90, out, &e), RC_OK);
    cairo_surface_destroy(img);
}

static void t_pano_preview(void **state)
{
    (void)state;
    struct buf src;
    make_pano(&src, 4096, 2048);
    struct sinkt s = {0};
    struct err e = {0};
    assert_int_equal(deliver_pano_preview("P1", (unsigned char *)src.p, src.len, collect, &s, &e),
                     RC_OK);
    assert_int_equal(s.n, 1);
    const struct item *p = find(&s, "pano_P1.jpg");
    assert_string_equal(p->ctype, "image/jpeg");
    int h = 0, w = jpeg_width(p->p, p->n, &h);
    assert_int_equal(w, 2048);
    assert_int_equal(h, 1024);
    assert_true(p->n < src.len);
    assert_memory_equal(p->p + p->n - 2, "\xff\xd9", 2);
    sink_free(&s);

    /* A panorama already smaller than the preview width keeps its size (never enlarged). */
    struct buf small;
    make_pano(&small, 1024, 512);
    assert_int_equal(deliver_pano_preview("P-2", (unsigned char *)small.p, small.len, collect, &s,
                                          &e),
                     RC_OK);
    w = jpeg_width(s.it[0].p, s.it[0].n, &h);
    assert_int_equal(w, 1024);
    assert_int_equal(h, 512);
    sink_free(&s);
    buf_free(&small);

    /* A much larger source goes through libjpeg's 1/8 and then the box filter. */
    struct buf big, out;
    make_pano(&big, 8192, 4096);
    buf_init(&out, 1 << 24);
    int bw = 0, bh = 0;
    assert_int_equal(jpeg_preview((unsigned char *)big.p, big.len, 512, 80, &out, &bw, &bh, &e),
                     RC_OK);
    assert_int_equal(bw, 512);
    assert_int_equal(bh, 256);
    assert_int_equal(jpeg_width((unsigned char *)out.p, out.len, &h), 512);
    buf_free(&out);
    buf_free(&big);

    /* Not a JPEG, truncated, bad ids. */
    assert_int_equal(deliver_pano_preview("P1", (const unsigned char *)"hello", 5, collect, &s, &e),
                     RC_INVALID);
    assert_int_equal(deliver_pano_preview("P1", (unsigned char *)src.p, 100, collect, &s, &e),
                     RC_INVALID);
    assert_int_equal(deliver_pano_preview("../x", (unsigned char *)src.p, src.len, collect, &s, &e),
                     RC_INVALID);
    assert_int_equal(deliver_pano_preview("", (unsigned char *)src.p, src.len, collect, &s, &e),
                     RC_INVALID);
    assert_int_equal(s.n, 0);
    buf_free(&src);
}

static void t_jpeg_bound(void **state)
{
    (void)state;
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 400, 300);
    struct buf b;
    struct err e = {0};
    buf_init(&b, 200);
    assert_int_equal(jpeg_encode_surface(img, 90, &b, &e), RC_TOOLARGE);
    assert_int_equal(b.len, 0);
    buf_free(&b);
    cairo_surface_destroy(img);
    img = cairo_image_surface_create(CAIRO_FORMAT_A8, 10, 10);
    buf_init(&b, 1 << 20);
    assert_int_equal(jpeg_encode_surface(img, 90, &b, &e), RC_INVALID);
    buf_free(&b);
    cairo_surface_destroy(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_plans),       cmocka_unit_test(t_deterministic),
        cmocka_unit_test(t_emit_failure_stops), cmocka_unit_test(t_addons),
        cmocka_unit_test(t_pano_preview), cmocka_unit_test(t_jpeg_bound),
    };
    return cmocka_run_group_tests_name("deliver", tests, NULL, NULL);
}
