/* data.c — the public data API of a view (portal-api.md §6.6-6.7): /data/status, /data/summary and
 * /reso/autofill, behind the same gate as the page. A locked view answers /data/status with
 * 200 {"status":"locked"} and every other data endpoint with 403 "iGUIDE View is locked" (View
 * access, expiration & deletion guide). */
#include "viewer/viewer_int.h"

#include "property/summary.h"
#include "viewer/reso.h"

#include <stdlib.h>
#include <string.h>

#define LOCKED_MESSAGE "iGUIDE View is locked"

static const char *status_word(const struct viewer_call *c)
{
    return c->locked ? "locked" : c->ready ? "ready" : "not-ready";
}

struct resp *vh_status(struct viewer_call *c)
{
    struct resp *p = viewer_gate(c, viewer_param(c, "key"));
    if (p)
        return p;
    return viewer_json(c, 200, json_pack("{s:s}", "status", status_word(c)));
}

struct resp *vh_summary(struct viewer_call *c)
{
    struct resp *p = viewer_gate(c, viewer_param(c, "key"));
    if (p)
        return p;
    if (c->locked)
        return viewer_json_error(c, RC_DENIED, LOCKED_MESSAGE);
    if (!c->ready)
        return viewer_json(c, 200, json_pack("{s:s, s:n}", "status", "not-ready", "summary"));
    struct err e = {0};
    json_t *sum;
    if (summary_load(c->s, c->g.id, c->r->arena, &sum, &e) != RC_OK)
        return viewer_fail(c, &e);
    return viewer_json(c, 200, json_pack("{s:s, s:o}", "status", "ready", "summary", sum));
}

struct resp *vh_autofill(struct viewer_call *c)
{
    struct resp *p = viewer_gate(c, viewer_param(c, "key"));
    if (p)
        return p;
    if (c->locked)
        return viewer_json_error(c, RC_DENIED, LOCKED_MESSAGE);
    struct err e = {0};
    struct arena *a = c->r->arena;
    const char *base = c->cfg->public_url ? c->cfg->public_url : "";
    struct reso_input in = {
        .addr = &c->g.addr,
        .meas_std = c->v.meas_std,
        .tour_url = arena_printf(a, "%s/%s", base, c->v.id),
        .embed_url = arena_printf(a, "%s/embed/%s", base, c->v.id),
        .doc_base = c->v.is_default ? arena_printf(a, "%s/%s/doc", base, c->g.alias)
                                    : arena_printf(a, "%s/%s/doc", base, c->v.id),
    };
    json_t *sum = NULL;
    if (c->ready) {
        struct deliverable_row *docs;
        size_t n = 0;
        if (summary_load(c->s, c->g.id, a, &sum, &e) != RC_OK ||
            store_deliverable_list(c->s, c->g.id, a, &docs, &n, &e) != RC_OK) {
            json_decref(sum);
            return viewer_fail(c, &e);
        }
        const char **pdfs = arena_alloc(a, (n + 1) * sizeof *pdfs);
        if (!pdfs) {
            json_decref(sum);
            return resp_new(c->r, 503);
        }
        for (size_t i = 0; i < n; i++) {
            size_t k = strlen(docs[i].name);
            if (strncmp(docs[i].name, "floorplan_", 10) == 0 && k > 4 &&
                strcmp(docs[i].name + k - 4, ".pdf") == 0)
                pdfs[in.npdfs++] = docs[i].name;
        }
        in.pdfs = pdfs;
        in.summary = sum;
    }
    json_t *out = in.tour_url && in.embed_url && in.doc_base ? reso_autofill(&in) : NULL;
    json_decref(sum);
    return viewer_json(c, 200, out);
}
