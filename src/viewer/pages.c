/* pages.c — GET /{viewId}, GET /{alias} (the iGUIDE's default view) and GET /embed/{viewId}: the
 * gate, then the page of viewer/page.h. A locked view answers 200 with the locked screen (View
 * access, expiration & deletion guide, "What happens when a view expires"). */
#include "viewer/viewer_int.h"

#include "viewer/page.h"

#include <stdlib.h>

static struct resp *page(struct viewer_call *c, int embed)
{
    struct resp *p = viewer_gate(c, viewer_param(c, "key"));
    if (p)
        return p;
    struct err e = {0};
    struct page_model m = {
        .v = &c->v,
        .g = &c->g,
        .locked = c->locked,
        .ready = c->ready,
        .embed = embed,
        .user_email = c->user_email,
        .csrf_token = c->csrf_token,
        .base = arena_printf(c->r->arena, "/%s", c->v.id),
    };
    if (!m.base)
        return resp_new(c->r, 503);
    if (page_load(c->s, c->cfg->blobs, &m, c->r->arena, &e) != RC_OK)
        return viewer_fail(c, &e);
    store_rollback(c->s);
    struct buf b;
    buf_init(&b, PAGE_MAX);
    if (page_render(&m, &b, &e) != RC_OK)
        p = viewer_fail(c, &e);
    else
        p = viewer_html(c, 200, b.p, b.len);
    buf_free(&b);
    return p;
}

struct resp *vh_page(struct viewer_call *c)
{
    return page(c, 0);
}

struct resp *vh_embed(struct viewer_call *c)
{
    return page(c, 1);
}

/* GET /iguides/{iguideId}: the link the "Your first iGUIDE" tutorial prints when processing is
 * done ("View at: …/iguides/$IGUIDE_ID") leads to the iGUIDE's default view, whose page then
 * applies the access rules. Unknown ids get the same 404 page as unknown views. */
struct resp *vh_iguide(struct viewer_call *c)
{
    struct err e = {0};
    const char *id = viewer_param(c, "iguideId");
    struct iguide_row g;
    enum rc rc = id_valid(ID_IGUIDE, id) ? store_iguide_get(c->s, id, c->r->arena, &g, &e)
                                         : RC_NOTFOUND;
    if (rc == RC_NOTFOUND)
        return viewer_message_page(c, 404, "Not found", "There is no iGUIDE at this address.");
    if (rc != RC_OK)
        return viewer_fail(c, &e);
    const char *to = arena_printf(c->r->arena, "/%s", g.default_view_id);
    return to ? viewer_redirect(c, to) : resp_new(c->r, 503);
}
