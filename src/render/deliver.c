/* deliver.c — renders every deliverable into a bounded memory buffer and hands it to the emitter
 * (docs/deliverables.md). Floor-plan PDFs hold one page per level of every building; the SVGs
 * stack the same sheets top to bottom in one drawing (SVG has no pages); PNG and JPG are one image
 * per level at 150 dpi. Output is deterministic for the same manifest: the PDF's creation date
 * is the capture date, not the clock. */
#include "render/deliver.h"

#include "core/buf.h"
#include "render/dxf.h"
#include "render/exchange.h"
#include "render/ifc.h"
#include "render/jpeg_io.h"
#include "render/render_plan.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DELIVER_MAX (32u << 20)           /* bytes of one deliverable */
#define RASTER_DPI 150.0
#define JPEG_QUALITY 85
#define PREVIEW_WIDTH 2048   /* sharp enough for the viewer's 360° canvas, a fraction of an 8K original */
#define PREVIEW_QUALITY 80

/* fontconfig (under cairo's text API) keeps its configuration and font caches for the life of the
 * process and frees them only in FcFini, which is unsafe while other threads may draw. Leak
 * checking (ASan builds) is told to ignore those allocations and nothing else; the hook is the
 * sanitizer runtime's documented one and unused otherwise. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

/* cairo's stream callback: appends to the buffer and remembers why it stopped. */
struct sink {
    struct buf b;
    int failed;                           /* buf_append's result */
};

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int length)
{
    struct sink *s = closure;
    int r = buf_append(&s->b, data, length);
    if (r != 0) {
        s->failed = r;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

static enum rc cairo_fail(const struct sink *s, cairo_status_t st, const char *what,
                          struct err *e)
{
    if (s->failed == -2)
        return err_set(e, RC_TOOLARGE, "%s exceeds %u bytes", what, DELIVER_MAX);
    if (s->failed == -1 || st == CAIRO_STATUS_NO_MEMORY)
        return err_set(e, RC_NOMEM, "out of memory");
    return err_set(e, RC_INTERNAL, "rendering %s failed: %s", what, cairo_status_to_string(st));
}

static const char *units_name(enum meas_units u)
{
    return u == MEAS_METRIC ? "metric" : "imperial";
}

static size_t level_count(const struct measurements *ms)
{
    size_t n = 0;
    for (size_t b = 0; b < ms->nbuildings; b++)
        n += ms->buildings[b].nlevels;
    return n;
}

/* "2026-05-01T14:30:00" from an RFC 3339 capture date, for the PDF's CreationDate. */
static void pdf_date(const struct manifest *m, char out[20])
{
    snprintf(out, 20, "%s", "1970-01-01T00:00:00");
    if (m->capture_date && strlen(m->capture_date) >= 19)
        memcpy(out, m->capture_date, 19);
}

/* Ends drawing on a stream surface (PDF, SVG): destroys cr, finishes (flushing the last bytes
 * to the sink) and destroys surf; the first failure among st, the context's and the surface's. */
static cairo_status_t close_stream(cairo_t *cr, cairo_surface_t *surf, cairo_status_t st)
{
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surf);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    return st;
}

/* A PDF of every level (site == 0) or the site plan (site == 1). */
static enum rc render_pdf(const struct plan_ctx *pc, int site, struct sink *s, struct err *e)
{
    double w, h;
    plan_page_size(pc->units, &w, &h);
    cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(sink_write, s, w, h);
    char date[20];
    pdf_date(pc->m, date);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "Guidepost");
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE, date);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE,
                                   pc->info && pc->info->title ? pc->info->title : "Floor plan");
    cairo_t *cr = cairo_create(surf);
    cairo_status_t st = CAIRO_STATUS_SUCCESS;
    if (site) {
        st = plan_draw_site(cr, pc, w, h);
        cairo_show_page(cr);
    } else {
        for (size_t b = 0; st == CAIRO_STATUS_SUCCESS && b < pc->ms->nbuildings; b++)
            for (size_t l = 0; st == CAIRO_STATUS_SUCCESS && l < pc->ms->buildings[b].nlevels;
                 l++) {
                st = plan_draw_level(cr, pc, b, l, w, h);
                cairo_show_page(cr);
            }
    }
    st = close_stream(cr, surf, st);
    return st == CAIRO_STATUS_SUCCESS && !s->failed ? RC_OK : cairo_fail(s, st, "PDF", e);
}

/* cairo names the SVG's root group after a process-wide surface counter ("surface59"), so the same
 * plan rendered twice would differ; the group is renamed "plans" so a retried publish stores the
 * same bytes. */
static void svg_stable_ids(struct buf *b)
{
    static const char pre[] = "<g id=\"surface", repl[] = "<g id=\"plans\"";
    char *p = b->p ? memmem(b->p, b->len, pre, sizeof pre - 1) : NULL;
    if (!p)
        return;
    char *q = p + sizeof pre - 1;
    while (q < b->p + b->len && *q >= '0' && *q <= '9')
        q++;
    if (q >= b->p + b->len || *q != '"')
        return;
    q++;
    size_t old = (size_t)(q - p), nw = sizeof repl - 1;
    if (nw > old)
        return;                           /* never: "surface" + a digit is longer than "plans" */
    memcpy(p, repl, nw);
    memmove(p + nw, q, (size_t)(b->p + b->len - q));
    b->len -= old - nw;
    b->p[b->len] = '\0';
}

/* Every level's sheet stacked vertically in one SVG drawing. */
static enum rc render_svg(const struct plan_ctx *pc, struct sink *s, struct err *e)
{
    double w, h;
    plan_page_size(pc->units, &w, &h);
    size_t n = level_count(pc->ms);
    cairo_surface_t *surf =
        cairo_svg_surface_create_for_stream(sink_write, s, w, h * (double)(n ? n : 1));
    cairo_svg_surface_restrict_to_version(surf, CAIRO_SVG_VERSION_1_1);
    cairo_t *cr = cairo_create(surf);
    cairo_status_t st = CAIRO_STATUS_SUCCESS;
    size_t k = 0;
    for (size_t b = 0; st == CAIRO_STATUS_SUCCESS && b < pc->ms->nbuildings; b++)
        for (size_t l = 0; st == CAIRO_STATUS_SUCCESS && l < pc->ms->buildings[b].nlevels; l++) {
            cairo_save(cr);
            cairo_translate(cr, 0, h * (double)k++);
            st = plan_draw_level(cr, pc, b, l, w, h);
            cairo_restore(cr);
        }
    st = close_stream(cr, surf, st);
    if (st != CAIRO_STATUS_SUCCESS || s->failed)
        return cairo_fail(s, st, "SVG", e);
    svg_stable_ids(&s->b);
    return RC_OK;
}

/* One level's sheet as an RGB image at RASTER_DPI; the caller destroys it. */
static enum rc render_image(const struct plan_ctx *pc, size_t b, size_t l, cairo_surface_t **out,
                            struct err *e)
{
    double w, h, k = RASTER_DPI / 72.0;
    plan_page_size(pc->units, &w, &h);
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)lround(w * k),
                                                       (int)lround(h * k));
    cairo_t *cr = cairo_create(surf);
    cairo_scale(cr, k, k);
    cairo_status_t st = plan_draw_level(cr, pc, b, l, w, h);
    cairo_destroy(cr);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(surf);
    if (st != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surf);
        return st == CAIRO_STATUS_NO_MEMORY
                   ? err_set(e, RC_NOMEM, "out of memory")
                   : err_set(e, RC_INTERNAL, "rendering an image failed: %s",
                             cairo_status_to_string(st));
    }
    *out = surf;
    return RC_OK;
}

static enum rc emit_buf(deliver_emit_fn emit, void *user, const char *name, const char *format,
                        const char *ctype, const struct buf *b, struct err *e)
{
    return emit(user, name, format, ctype, b->p ? b->p : "", b->len, e);
}

/* PDF, SVG, PNG and JPG of every level in one unit system. */
static enum rc plans_in(const struct plan_ctx *pc, deliver_emit_fn emit, void *user,
                        struct err *e)
{
    const char *un = units_name(pc->units);
    char name[160];
    struct sink s = {0};
    buf_init(&s.b, DELIVER_MAX);
    enum rc rc = render_pdf(pc, 0, &s, e);
    snprintf(name, sizeof name, "floorplan_%s_en.pdf", un);
    if (rc == RC_OK)
        rc = emit_buf(emit, user, name, "pdf", "application/pdf", &s.b, e);
    buf_free(&s.b);
    if (rc != RC_OK)
        return rc;

    s.failed = 0;
    buf_init(&s.b, DELIVER_MAX);
    rc = render_svg(pc, &s, e);
    snprintf(name, sizeof name, "floorplan_%s_en.svg", un);
    if (rc == RC_OK)
        rc = emit_buf(emit, user, name, "svg", "image/svg+xml", &s.b, e);
    buf_free(&s.b);
    if (rc != RC_OK)
        return rc;

    for (size_t b = 0; b < pc->ms->nbuildings; b++)
        for (size_t l = 0; l < pc->ms->buildings[b].nlevels; l++) {
            const struct mf_level *lv = pc->ms->buildings[b].levels[l].src;
            int bid = pc->ms->buildings[b].src->id;
            cairo_surface_t *img = NULL;
            if ((rc = render_image(pc, b, l, &img, e)) != RC_OK)
                return rc;
            s.failed = 0;
            buf_init(&s.b, DELIVER_MAX);
            cairo_status_t st = cairo_surface_write_to_png_stream(img, sink_write, &s);
            if (st != CAIRO_STATUS_SUCCESS || s.failed)
                rc = cairo_fail(&s, st, "PNG", e);
            snprintf(name, sizeof name, "floorplan_%d_%s_%s_en.png", bid, lv->id, un);
            if (rc == RC_OK)
                rc = emit_buf(emit, user, name, "png", "image/png", &s.b, e);
            buf_free(&s.b);
            if (rc == RC_OK) {
                buf_init(&s.b, DELIVER_MAX);
                rc = jpeg_encode_surface(img, JPEG_QUALITY, &s.b, e);
                snprintf(name, sizeof name, "floorplan_%d_%s_%s_en.jpg", bid, lv->id, un);
                if (rc == RC_OK)
                    rc = emit_buf(emit, user, name, "jpg", "image/jpeg", &s.b, e);
                buf_free(&s.b);
            }
            cairo_surface_destroy(img);
            if (rc != RC_OK)
                return rc;
        }
    return RC_OK;
}

static enum rc emit_json(const json_t *v, const char *name, deliver_emit_fn emit, void *user,
                         struct err *e)
{
    if (!v)
        return err_set(e, RC_NOMEM, "out of memory");
    size_t n;
    char *s = meas_json_dump(v, &n);
    if (!s)
        return err_set(e, RC_NOMEM, "out of memory");
    enum rc rc = n > DELIVER_MAX ? err_set(e, RC_TOOLARGE, "%s exceeds %u bytes", name, DELIVER_MAX)
                                 : emit(user, name, "json", "application/json", s, n, e);
    free(s);
    return rc;
}

enum rc deliver_plans(const struct manifest *m, const struct measurements *ms,
                      const struct deliver_info *info, deliver_emit_fn emit, void *user,
                      struct err *e)
{
    enum rc rc;
    for (int u = 0; u < 2; u++) {
        struct plan_ctx pc = {m, ms, info, u == 0 ? MEAS_METRIC : MEAS_IMPERIAL};
        if ((rc = plans_in(&pc, emit, user, e)) != RC_OK)
            return rc;
    }
    struct buf b;
    buf_init(&b, DELIVER_MAX);
    rc = dxf_plans(ms, info, &b, e);
    if (rc == RC_OK)
        rc = emit_buf(emit, user, "floorplan.dxf", "dxf", "application/dxf", &b, e);
    buf_free(&b);
    if (rc != RC_OK)
        return rc;

    json_t *j = meas_json(ms);
    rc = emit_json(j, "measurements.json", emit, user, e);
    json_decref(j);
    if (rc != RC_OK)
        return rc;

    buf_init(&b, DELIVER_MAX);
    rc = meas_csv(ms, &b, e);
    if (rc == RC_OK)
        rc = emit_buf(emit, user, "measurements.csv", "csv", "text/csv; charset=utf-8", &b, e);
    buf_free(&b);
    return rc;
}

enum rc deliver_pano_preview(const char *pano_id, const unsigned char *jpeg, size_t n,
                             deliver_emit_fn emit, void *user, struct err *e)
{
    size_t len = pano_id ? strlen(pano_id) : 0;
    if (len == 0 || len > MANIFEST_MAX_ID || strspn(pano_id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                             "abcdefghijklmnopqrstuvwxyz"
                                                             "0123456789._-") != len)
        return err_set(e, RC_INVALID, "panorama id must be 1 to %d letters, digits, '.', '_' or '-'",
                       MANIFEST_MAX_ID);
    struct buf b;
    buf_init(&b, DELIVER_MAX);
    enum rc rc = jpeg_preview(jpeg, n, PREVIEW_WIDTH, PREVIEW_QUALITY, &b, NULL, NULL, e);
    if (rc == RC_OK) {
        char name[MANIFEST_MAX_ID + 16];
        snprintf(name, sizeof name, "pano_%s.jpg", pano_id);
        rc = emit_buf(emit, user, name, "jpg", "image/jpeg", &b, e);
    }
    buf_free(&b);
    return rc;
}

enum rc deliver_addon(const char *task_type, const struct manifest *m,
                      const struct measurements *ms, const struct deliver_info *info,
                      deliver_emit_fn emit, void *user, struct err *e)
{
    if (!task_type)
        return err_set(e, RC_INVALID, "task type is required");
    if (strcmp(task_type, "premium-upgrade") == 0 || strcmp(task_type, "standard-upgrade") == 0)
        return RC_OK;
    struct buf b;
    buf_init(&b, DELIVER_MAX);
    enum rc rc;
    const char *name, *format, *ctype;
    if (strcmp(task_type, "dwg-init") == 0) {
        rc = dxf_plans(ms, info, &b, e);
        name = "addon_dwg-init.dxf", format = "dxf", ctype = "application/dxf";
    } else if (strcmp(task_type, "rvt-init") == 0) {
        rc = ifc_model(ms, info, &b, e);
        name = "addon_rvt-init.ifc", format = "ifc", ctype = "application/x-step";
    } else if (strcmp(task_type, "esx-init") == 0) {
        rc = exchange_sketch_xml(ms, info, &b, e);
        name = "addon_esx-init.xml", format = "xml", ctype = "application/xml";
    } else if (strcmp(task_type, "corelogic-fml") == 0) {
        rc = exchange_fml_json(ms, info, &b, e);
        name = "addon_corelogic-fml.json", format = "json", ctype = "application/json";
    } else if (strcmp(task_type, "siteplan") == 0) {
        struct plan_ctx pc = {m, ms, info, meas_std_units(ms->std)};
        struct sink s = {0};
        buf_init(&s.b, DELIVER_MAX);
        rc = render_pdf(&pc, 1, &s, e);
        if (rc == RC_OK)
            rc = emit_buf(emit, user, "addon_siteplan.pdf", "pdf", "application/pdf", &s.b, e);
        buf_free(&s.b);
        return rc;
    } else {
        return err_set(e, RC_INVALID, "unknown task type \"%.40s\"", task_type);
    }
    if (rc == RC_OK)
        rc = emit_buf(emit, user, name, format, ctype, &b, e);
    buf_free(&b);
    return rc;
}
