/* page.c — the view page. Plans are the SVG deliverables shown as images in the units of the
 * view's measurement standard (imperial for ANSI, metric for RMS), panoramas the pano_<id>.jpg
 * deliverables drawn by the 360° viewer of /static/viewer.js, measurements the §6.6 summary in
 * both unit systems. The manifest, when it can be read, names the levels. Every string from data
 * is escaped (viewer/html.h). */
#include "viewer/page.h"

#include "core/log.h"
#include "property/measure.h"
#include "viewer/html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- loading ---- */

static void decref(void *p)
{
    json_decref(p);
}

static struct manifest *load_manifest(struct blob_store *blobs, const char *blob_name,
                                      struct arena *a)
{
    struct err e = {0};
    char *json = NULL;
    size_t n = 0;
    struct manifest *m = NULL;
    if (blob_read_all(blobs, blob_name, MANIFEST_MAX_BYTES, a, &json, &n, &e) != RC_OK ||
        !(m = arena_alloc(a, sizeof *m)) || manifest_parse(json, n, a, m, &e) != RC_OK) {
        log_warn("viewer: manifest %s unreadable: %s", blob_name, e.msg);
        return NULL;
    }
    return m;
}

enum rc page_load(struct store *s, struct blob_store *blobs, struct page_model *m, struct arena *a,
                  struct err *e)
{
    m->docs = NULL;
    m->ndocs = 0;
    m->summary = NULL;
    m->mf = NULL;
    if (!m->ready || m->locked)
        return RC_OK;
    enum rc rc = store_deliverable_list(s, m->g->id, a, &m->docs, &m->ndocs, e);
    if (rc != RC_OK)
        return rc;
    struct manifest_row mr;
    rc = store_manifest_for_iguide(s, m->g->id, a, &mr, e);
    if (rc == RC_NOTFOUND)
        return RC_OK;
    if (rc != RC_OK)
        return rc;
    if (mr.summary) {
        json_t *j = json_loads(mr.summary, 0, NULL);
        if (j && json_is_object(j) && arena_defer(a, decref, j) == 0)
            m->summary = j;
        else
            json_decref(j);
    }
    if (blobs && mr.blob_name)
        m->mf = load_manifest(blobs, mr.blob_name, a);
    return RC_OK;
}

/* ---- writing ---- */

/* The page's buffer; its first error sticks (core/buf.h), so the writers below append freely
 * and page_render checks once at the end. */
struct w {
    struct buf *b;
};

static void raw(struct w *w, const char *s)
{
    html_raw(w->b, s);
}

static void text(struct w *w, const char *s)
{
    markup_escape(w->b, s);
}

static void fmt(struct w *w, const char *f, ...) __attribute__((format(printf, 2, 3)));
static void fmt(struct w *w, const char *f, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, f);
    vsnprintf(tmp, sizeof tmp, f, ap);
    va_end(ap);
    text(w, tmp);
}

static void header(struct w *w, const struct page_model *m)
{
    const struct address *ad = &m->g->addr;
    raw(w, "<header class=\"bar\">\n<h1 class=\"address\">");
    if (ad->unit_number && *ad->unit_number) {
        text(w, ad->unit_number);
        raw(w, "-");
    }
    text(w, ad->street_number);
    raw(w, " ");
    text(w, ad->street_name);
    raw(w, "</h1>\n<p class=\"locality\">");
    text(w, ad->city);
    raw(w, ", ");
    text(w, ad->province_state);
    raw(w, " ");
    text(w, ad->postal_code);
    raw(w, ", ");
    text(w, ad->country);
    raw(w, "</p>\n");
    html_who(w->b, m->user_email, m->csrf_token, m->base);
    raw(w, "</header>\n");
}

static void locked_screen(struct w *w)
{
    raw(w, "<section class=\"locked\" id=\"locked\">\n"
           "<img src=\"/static/locked.svg\" alt=\"\" width=\"96\" height=\"96\">\n"
           "<h2>This iGUIDE has been locked</h2>\n"
           "<p>The iGUIDE View is locked: its floor plans, panoramas and measurements are not "
           "available. The owner can restore access by extending the view's expiration date.</p>\n"
           "</section>\n");
}

static void processing_screen(struct w *w, const struct page_model *m)
{
    raw(w, "<section class=\"processing\" id=\"processing\">\n"
           "<div class=\"spinner\" aria-hidden=\"true\"></div>\n"
           "<h2>This iGUIDE is being processed</h2>\n"
           "<p>Floor plans, panoramas and measurements appear here when processing is done "
           "(work order status: <code>");
    text(w, m->g->initial_status ? m->g->initial_status : "unknown");
    raw(w, "</code>). This page reloads by itself.</p>\n</section>\n");
}

/* "floorplan_metric_en_L2.svg" → 1 when the name belongs to level id (a _<id> part). */
static int names_level(const char *name, const char *level_id)
{
    size_t n = strlen(level_id);
    for (const char *p = strchr(name, '_'); p; p = strchr(p + 1, '_'))
        if (strncmp(p + 1, level_id, n) == 0 && (p[1 + n] == '.' || p[1 + n] == '_'))
            return 1;
    return 0;
}

static const char *level_of_plan(const struct page_model *m, const char *name)
{
    for (size_t b = 0; m->mf && b < m->mf->nbuildings; b++)
        for (size_t l = 0; l < m->mf->buildings[b].nlevels; l++)
            if (names_level(name, m->mf->buildings[b].levels[l].id))
                return m->mf->buildings[b].levels[l].name;
    return NULL;
}

static int is_plan_svg(const struct deliverable_row *d)
{
    size_t n = strlen(d->name);
    return strncmp(d->name, "floorplan_", 10) == 0 && n > 4 && strcmp(d->name + n - 4, ".svg") == 0;
}

static void plans(struct w *w, const struct page_model *m)
{
    const char *units = m->v->meas_std && strcmp(m->v->meas_std, "ansi") == 0 ? "imperial" : "metric";
    char want[32];
    snprintf(want, sizeof want, "floorplan_%s", units);
    int have_units = 0, shown = 0;
    for (size_t i = 0; i < m->ndocs; i++)
        have_units |= is_plan_svg(&m->docs[i]) && strncmp(m->docs[i].name, want, strlen(want)) == 0;
    raw(w, "<section class=\"plans\" id=\"plans\">\n<h2>Floor plans</h2>\n");
    if (m->mf) {
        raw(w, "<p class=\"levels\">");
        for (size_t b = 0; b < m->mf->nbuildings; b++)
            for (size_t l = 0; l < m->mf->buildings[b].nlevels; l++) {
                const struct mf_level *lv = &m->mf->buildings[b].levels[l];
                raw(w, shown++ ? " · " : "Levels: ");
                text(w, lv->name);
                if (lv->below_grade)
                    raw(w, " (below grade)");
            }
        raw(w, "</p>\n");
        shown = 0;
    }
    for (size_t i = 0; i < m->ndocs; i++) {
        const struct deliverable_row *d = &m->docs[i];
        if (!is_plan_svg(d) || (have_units && strncmp(d->name, want, strlen(want)) != 0))
            continue;
        const char *level = level_of_plan(m, d->name);
        raw(w, "<figure class=\"plan\">\n<img class=\"plan-img\" src=\"");
        text(w, m->base);
        raw(w, "/doc/");
        text(w, d->name);
        raw(w, "\" alt=\"Floor plan");
        if (level) {
            raw(w, ", ");
            text(w, level);
        }
        raw(w, "\">\n<figcaption>");
        text(w, level ? level : "All levels");
        raw(w, " — ");
        text(w, units);
        raw(w, "</figcaption>\n</figure>\n");
        shown++;
    }
    if (!shown)
        raw(w, "<p class=\"empty\">No floor plans were produced for this iGUIDE.</p>\n");
    int pdfs = 0;
    for (size_t i = 0; i < m->ndocs; i++) {
        const struct deliverable_row *d = &m->docs[i];
        size_t n = strlen(d->name);
        if (n < 4 || strcmp(d->name + n - 4, ".pdf") != 0)
            continue;
        raw(w, pdfs++ ? "" : "<ul class=\"downloads\">\n");
        raw(w, "<li><a href=\"");
        text(w, m->base);
        raw(w, "/doc/");
        text(w, d->name);
        raw(w, "\">");
        text(w, d->name);
        raw(w, "</a></li>\n");
    }
    if (pdfs)
        raw(w, "</ul>\n");
    raw(w, "</section>\n");
}

/* The pano id of a "pano_<id>.jpg" deliverable into out, or 0. */
static int pano_id(const char *name, char *out, size_t cap)
{
    size_t n = strlen(name);
    if (strncmp(name, "pano_", 5) != 0 || n <= 9 || strcmp(name + n - 4, ".jpg") != 0 ||
        n - 9 >= cap)
        return 0;
    memcpy(out, name + 5, n - 9);
    out[n - 9] = '\0';
    return 1;
}

static const char *level_of_pano(const struct page_model *m, const char *id)
{
    for (size_t b = 0; m->mf && b < m->mf->nbuildings; b++)
        for (size_t l = 0; l < m->mf->buildings[b].nlevels; l++) {
            const struct mf_level *lv = &m->mf->buildings[b].levels[l];
            for (size_t p = 0; p < lv->npanos; p++)
                if (strcmp(lv->panos[p].id, id) == 0)
                    return lv->name;
        }
    return NULL;
}

static void panos(struct w *w, const struct page_model *m)
{
    char id[128];
    int n = 0;
    for (size_t i = 0; i < m->ndocs; i++) {
        if (!pano_id(m->docs[i].name, id, sizeof id))
            continue;
        if (n++ == 0) {
            raw(w, "<section class=\"panos\" id=\"panos\">\n<h2>Panoramas</h2>\n"
                   "<div class=\"pano-viewer\">\n<canvas class=\"pano\" id=\"pano\" width=\"960\" "
                   "height=\"540\" tabindex=\"0\" aria-label=\"360° panorama: drag to look around\" "
                   "data-src=\"");
            text(w, m->base);
            raw(w, "/pano/");
            text(w, id);
            raw(w, ".jpg\"></canvas>\n</div>\n<ul class=\"pano-list\">\n");
        }
        const char *level = level_of_pano(m, id);
        raw(w, "<li><button type=\"button\" class=\"pano-pick\" data-src=\"");
        text(w, m->base);
        raw(w, "/pano/");
        text(w, id);
        raw(w, ".jpg\">");
        if (level) {
            text(w, level);
            raw(w, " · ");
        }
        text(w, id);
        raw(w, "</button></li>\n");
    }
    if (n)
        raw(w, "</ul>\n</section>\n");
}

static const struct {
    const char *key, *label;
    int length;
} meas_rows[] = {
    {"intAreaAboveGrade", "Interior area, above grade", 0},
    {"extAreaAboveGrade", "Exterior area, above grade", 0},
    {"intAreaTotal", "Interior area, total", 0},
    {"extAreaTotal", "Exterior area, total", 0},
    {"finishedAreaAboveGrade", "Finished area, above grade", 0},
    {"unfinishedAreaAboveGrade", "Unfinished area, above grade", 0},
    {"finishedAreaTotal", "Finished area, total", 0},
    {"unfinishedAreaTotal", "Unfinished area, total", 0},
    {"wallThickness", "Wall thickness", 1},
};

static void measurements(struct w *w, const struct page_model *m)
{
    json_t *bs = m->summary ? json_object_get(m->summary, "buildings") : NULL;
    raw(w, "<section class=\"measurements\" id=\"measurements\">\n<h2>Measurements</h2>\n");
    if (!json_is_array(bs) || json_array_size(bs) == 0) {
        raw(w, "<p class=\"empty\">No measurements are available.</p>\n</section>\n");
        return;
    }
    size_t i;
    json_t *b;
    json_array_foreach(bs, i, b) {
        raw(w, "<table class=\"meas\">\n<caption>");
        text(w, json_string_value(json_object_get(b, "name")));
        raw(w, "</caption>\n<thead><tr><th scope=\"col\"></th><th scope=\"col\">Metric</th>"
               "<th scope=\"col\">Imperial</th></tr></thead>\n<tbody>\n");
        for (size_t k = 0; k < sizeof meas_rows / sizeof meas_rows[0]; k++) {
            json_t *v = json_object_get(b, meas_rows[k].key);
            if (!json_is_number(v))
                continue;
            double x = json_number_value(v);
            char met[64], imp[64];
            if (meas_rows[k].length) {
                snprintf(met, sizeof met, "%.0f mm", x);
                snprintf(imp, sizeof imp, "%.1f in", x / MM_PER_IN);
            } else {
                snprintf(met, sizeof met, "%.1f m²", x / MM2_PER_M2);
                snprintf(imp, sizeof imp, "%.0f sq ft", x / MM2_PER_FT2);
            }
            raw(w, "<tr><th scope=\"row\">");
            text(w, meas_rows[k].label);
            raw(w, "</th><td>");
            text(w, met);
            raw(w, "</td><td>");
            text(w, imp);
            raw(w, "</td></tr>\n");
        }
        raw(w, "</tbody>\n</table>\n");
    }
    raw(w, "</section>\n");
}

enum rc page_render(const struct page_model *m, struct buf *out, struct err *e)
{
    struct w w = {out};
    char title[400];
    snprintf(title, sizeof title, "%s %s, %s — iGUIDE", m->g->addr.street_number,
             m->g->addr.street_name, m->g->addr.city);
    const char *cls = m->locked  ? (m->embed ? "embed view-locked" : "view view-locked")
                      : m->ready ? (m->embed ? "embed view-ready" : "view view-ready")
                                 : (m->embed ? "embed view-processing" : "view view-processing");
    html_open(out, title, cls, !m->locked && !m->ready ? 30 : 0);
    if (!m->embed)
        header(&w, m);
    raw(&w, "<main data-view=\"");
    text(&w, m->v->id);
    raw(&w, "\" data-state=\"");
    raw(&w, m->locked ? "locked" : m->ready ? "ready" : "processing");
    raw(&w, "\">\n");
    if (m->locked) {
        locked_screen(&w);
    } else if (!m->ready) {
        processing_screen(&w, m);
    } else {
        if (m->embed) {
            raw(&w, "<p class=\"embed-address\">");
            fmt(&w, "%s %s, %s", m->g->addr.street_number, m->g->addr.street_name, m->g->addr.city);
            raw(&w, "</p>\n");
        }
        if (!m->embed && m->v->description && *m->v->description) {
            raw(&w, "<section class=\"details\" id=\"details\">\n<h2>Details</h2>\n<p>");
            text(&w, m->v->description);
            raw(&w, "</p>\n</section>\n");
        }
        panos(&w, m);
        plans(&w, m);
        measurements(&w, m);
    }
    raw(&w, "</main>\n");
    if (!m->embed)
        raw(&w, "<footer class=\"foot\">Served by Guidepost</footer>\n");
    html_close(out);
    if (buf_err(out) == -2)
        return err_set(e, RC_TOOLARGE, "the page is too large");
    if (buf_err(out))
        return err_set(e, RC_NOMEM, "out of memory");
    return RC_OK;
}
