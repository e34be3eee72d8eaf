/* page.h — the view page and its embed as data (page_model) and as HTML (page_render), apart
 * from HTTP so the rendering can be tested on store fixtures. What a page shows follows the View
 * access, expiration & deletion guide: a locked view shows the locked screen and nothing of the
 * property's plans, panoramas or measurements; a view whose iGUIDE is not processed yet shows the
 * processing screen; a ready view shows address, floor plans, panoramas and measurements. */
#ifndef GP_PAGE_H
#define GP_PAGE_H

#include "blob/blob.h"
#include "core/arena.h"
#include "core/buf.h"
#include "property/manifest.h"
#include "store/store.h"

#include <jansson.h>

#define PAGE_MAX (4u << 20)        /* largest page, bytes */

struct page_model {
    const struct view_row *v;
    const struct iguide_row *g;
    int locked, ready, embed;
    const char *base;              /* URL path prefix of the view's media, "/<viewId>" */
    const char *user_email;        /* the signed-in account, named in the header; or NULL */
    const char *csrf_token;        /* its session's CSRF token, for the sign-out button */
    struct deliverable_row *docs;  /* loaded only for a ready, unlocked view */
    size_t ndocs;
    json_t *summary;               /* the §6.6 summary {"buildings":[…]} or NULL (arena-owned) */
    struct manifest *mf;           /* the parsed manifest, or NULL when it cannot be read */
};

/* Fills the content of m (docs, summary, manifest) from the store and the blob store when m is
 * ready and not locked; v, g, locked, ready, embed and base must be set. A summary or manifest
 * that cannot be read is left NULL (the page shows what it has); store errors are returned. */
enum rc page_load(struct store *s, struct blob_store *blobs, struct page_model *m, struct arena *a,
                  struct err *e);

/* Appends the whole HTML document for m to out. RC_TOOLARGE past PAGE_MAX, RC_NOMEM. */
enum rc page_render(const struct page_model *m, struct buf *out, struct err *e);

#endif
