/* jpeg_io.h — JPEG in and out with libjpeg: a cairo image surface encoded into a bounded buffer,
 * and a panorama decoded at a reduced scale and re-encoded as a preview. */
#ifndef GP_JPEG_IO_H
#define GP_JPEG_IO_H

#include "core/buf.h"
#include "core/rc.h"

#include <cairo.h>
#include <stddef.h>

#define JPEG_MAX_SIDE 30000               /* pixels; larger sources are refused before decoding */

/* Encodes an ARGB32 or RGB24 image surface (alpha ignored: draw on white first) as a baseline
 * JPEG of the given quality (1..100), appending to out. RC_TOOLARGE when out's maximum is hit,
 * RC_INVALID for another surface format, RC_NOMEM. */
enum rc jpeg_encode_surface(cairo_surface_t *s, int quality, struct buf *out, struct err *e);

/* Decodes jpeg[0..n) at the smallest libjpeg scale (k/8) that keeps it at least target_w pixels
 * wide (never enlarging), box-filters it down to about target_w when still much wider, and
 * re-encodes it at quality into out. *w and *h (if non-NULL) get the preview's size. The decode
 * holds width x height x components bytes of the decode budget (decode_budget.h). RC_INVALID for
 * data libjpeg rejects, a side over JPEG_MAX_SIDE or an image larger than the whole budget;
 * RC_BUSY when the budget stayed taken (retry later); RC_TOOLARGE, RC_NOMEM. */
enum rc jpeg_preview(const unsigned char *jpeg, size_t n, int target_w, int quality,
                     struct buf *out, int *w, int *h, struct err *e);

#endif
