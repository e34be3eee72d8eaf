/* static.c — the viewer's own files, assembled into the binary with .incbin (as the migrations
 * are) so a page needs nothing from another host: the stylesheet, the 360° panorama viewer and the
 * fallback image a locked view's media redirect to. */
#include "viewer/viewer_int.h"

#include "core/embed.h"

#include <string.h>

EMBED(viewer_asset_js, "src/viewer/assets/viewer.js");
EMBED(viewer_asset_css, "src/viewer/assets/viewer.css");
EMBED(viewer_asset_locked_svg, "src/viewer/assets/locked.svg");

static const struct {
    const char *name, *type;
    const char *bytes;
} files[] = {
    {"viewer.js", "text/javascript; charset=utf-8", viewer_asset_js},
    {"viewer.css", "text/css; charset=utf-8", viewer_asset_css},
    {"locked.svg", "image/svg+xml", viewer_asset_locked_svg},
};

struct resp *vh_static(struct viewer_call *c)
{
    const char *want = viewer_param(c, "file");
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        if (strcmp(files[i].name, want) != 0)
            continue;
        struct resp *p = resp_new(c->r, 200);
        if (!p || resp_set_body(c->r, p, files[i].type, files[i].bytes, strlen(files[i].bytes)))
            return resp_new(c->r, 503);
        viewer_headers(c, p, 1);
        return p;
    }
    return viewer_message_page(c, 404, "Not found", "There is no such file.");
}
