/* jpeg_io.c — libjpeg with a longjmp error manager (libjpeg's default calls exit()) and a
 * destination manager that writes into a struct buf, so the output is bounded as it is written. */
#include "render/jpeg_io.h"

#include "property/decode_budget.h"

#include <stdio.h>

#include <jerror.h>
#include <jpeglib.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 16384

struct jerr {
    struct jpeg_error_mgr pub;
    jmp_buf jb;
    char msg[JMSG_LENGTH_MAX];
};

static void on_error(j_common_ptr c)
{
    struct jerr *je = (struct jerr *)c->err;
    c->err->format_message(c, je->msg);
    longjmp(je->jb, 1);
}

/* Warnings (a corrupt but decodable stream) are ignored; only errors stop the work. */
static void on_message(j_common_ptr c)
{
    (void)c;
}

struct bdest {
    struct jpeg_destination_mgr pub;
    struct buf *out;
    JOCTET chunk[CHUNK];
    int failed;                           /* buf_append's result: -1 memory, -2 maximum */
};

static void d_init(j_compress_ptr c)
{
    struct bdest *d = (struct bdest *)c->dest;
    d->pub.next_output_byte = d->chunk;
    d->pub.free_in_buffer = CHUNK;
}

static boolean d_empty(j_compress_ptr c)
{
    struct bdest *d = (struct bdest *)c->dest;
    int r = buf_append(d->out, d->chunk, CHUNK);
    if (r != 0) {
        d->failed = r;
        ERREXIT(c, JERR_FILE_WRITE);
    }
    d->pub.next_output_byte = d->chunk;
    d->pub.free_in_buffer = CHUNK;
    return TRUE;
}

static void d_term(j_compress_ptr c)
{
    struct bdest *d = (struct bdest *)c->dest;
    int r = buf_append(d->out, d->chunk, CHUNK - d->pub.free_in_buffer);
    if (r != 0) {
        d->failed = r;
        ERREXIT(c, JERR_FILE_WRITE);
    }
}

/* Compresses w x h RGB rows produced by row(i) (volatile-free: everything it needs is in ctx). */
struct src_rows {
    const unsigned char *rgb;             /* packed RGB, or NULL to convert from cairo */
    const unsigned char *cairo;           /* cairo ARGB32/RGB24 data */
    int stride;
};

static enum rc compress(const struct src_rows *src, int w, int h, int quality, struct buf *out,
                        struct err *e)
{
    struct jpeg_compress_struct c;
    struct jerr je;
    struct bdest *dest = calloc(1, sizeof *dest);
    unsigned char *row = malloc((size_t)w * 3);
    enum rc rc = RC_OK;
    if (!dest || !row) {
        free(dest);
        free(row);
        return err_set(e, RC_NOMEM, "out of memory");
    }
    size_t start = out->len;
    c.err = jpeg_std_error(&je.pub);
    je.pub.error_exit = on_error;
    je.pub.output_message = on_message;
    if (setjmp(je.jb)) {
        if (dest->failed == -2)
            rc = err_set(e, RC_TOOLARGE, "JPEG exceeds %zu bytes", out->max);
        else if (dest->failed == -1)
            rc = err_set(e, RC_NOMEM, "out of memory");
        else
            rc = err_set(e, RC_INTERNAL, "JPEG encoding failed: %s", je.msg);
        jpeg_destroy_compress(&c);
        out->len = start;
        free(dest);
        free(row);
        return rc;
    }
    jpeg_create_compress(&c);
    dest->out = out;
    dest->pub.init_destination = d_init;
    dest->pub.empty_output_buffer = d_empty;
    dest->pub.term_destination = d_term;
    c.dest = &dest->pub;
    c.image_width = (JDIMENSION)w;
    c.image_height = (JDIMENSION)h;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, quality, TRUE);
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < c.image_height) {
        int y = (int)c.next_scanline;
        const unsigned char *r;
        if (src->rgb) {
            r = src->rgb + (size_t)y * (size_t)src->stride;
        } else {
            const uint32_t *px = (const uint32_t *)(const void *)(src->cairo +
                                                                  (size_t)y * (size_t)src->stride);
            for (int x = 0; x < w; x++) {
                row[3 * x] = (unsigned char)(px[x] >> 16);
                row[3 * x + 1] = (unsigned char)(px[x] >> 8);
                row[3 * x + 2] = (unsigned char)px[x];
            }
            r = row;
        }
        JSAMPROW rp = (JSAMPROW)r;
        jpeg_write_scanlines(&c, &rp, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(dest);
    free(row);
    return RC_OK;
}

enum rc jpeg_encode_surface(cairo_surface_t *s, int quality, struct buf *out, struct err *e)
{
    cairo_format_t f = cairo_image_surface_get_format(s);
    if (f != CAIRO_FORMAT_ARGB32 && f != CAIRO_FORMAT_RGB24)
        return err_set(e, RC_INVALID, "JPEG needs an RGB image surface");
    cairo_surface_flush(s);
    struct src_rows src = {NULL, cairo_image_surface_get_data(s),
                           cairo_image_surface_get_stride(s)};
    if (!src.cairo)
        return err_set(e, RC_INVALID, "image surface has no data");
    return compress(&src, cairo_image_surface_get_width(s), cairo_image_surface_get_height(s),
                    quality, out, e);
}

/* Decoding state kept out of the setjmp frame's locals. */
struct decode {
    unsigned char *rgb;
    int w, h;
    uint64_t reserved;                    /* taken from the decode budget */
};

static enum rc decode_scaled(const unsigned char *jpeg, size_t n, int target_w, struct decode *d,
                             struct err *e)
{
    struct jpeg_decompress_struct c;
    struct jerr je;
    c.err = jpeg_std_error(&je.pub);
    je.pub.error_exit = on_error;
    je.pub.output_message = on_message;
    d->rgb = NULL;
    d->reserved = 0;
    if (setjmp(je.jb)) {
        jpeg_destroy_decompress(&c);
        free(d->rgb);
        d->rgb = NULL;
        decode_budget_release(d->reserved);
        d->reserved = 0;
        return err_set(e, RC_INVALID, "not a readable JPEG: %s", je.msg);
    }
    jpeg_create_decompress(&c);
    jpeg_mem_src(&c, jpeg, (unsigned long)n);
    jpeg_read_header(&c, TRUE);
    if (c.image_width == 0 || c.image_height == 0 || c.image_width > JPEG_MAX_SIDE ||
        c.image_height > JPEG_MAX_SIDE) {
        jpeg_destroy_decompress(&c);
        return err_set(e, RC_INVALID, "JPEG of %ux%u pixels is outside the limits",
                       c.image_width, c.image_height);
    }
    /* libjpeg scales by k/8 during the IDCT for almost nothing; k is the smallest that still
     * gives target_w pixels, at most 8 (no enlarging). */
    /* The whole image's size from the header, before any pixel is decoded: the process-wide
     * decode budget bounds what all workers decode at once. */
    struct err be = {0};
    uint64_t need = (uint64_t)c.image_width * c.image_height * (uint64_t)c.num_components;
    enum rc brc = decode_budget_reserve(need, DECODE_BUDGET_WAIT_MS, &be);
    if (brc != RC_OK) {
        jpeg_destroy_decompress(&c);
        return err_set(e, brc == RC_TOOLARGE ? RC_INVALID : brc, "JPEG of %ux%u pixels: %s",
                       c.image_width, c.image_height, be.msg);
    }
    d->reserved = need;
    unsigned k = (unsigned)((8ull * (unsigned)target_w + c.image_width - 1) / c.image_width);
    c.scale_num = k < 1 ? 1 : k > 8 ? 8 : k;
    c.scale_denom = 8;
    c.out_color_space = JCS_RGB;
    jpeg_start_decompress(&c);
    d->w = (int)c.output_width;
    d->h = (int)c.output_height;
    size_t stride = (size_t)d->w * 3;
    if (c.output_components != 3 || !(d->rgb = malloc(stride * (size_t)d->h))) {
        jpeg_destroy_decompress(&c);
        decode_budget_release(d->reserved);
        d->reserved = 0;
        return err_set(e, RC_NOMEM, "out of memory");
    }
    while (c.output_scanline < c.output_height) {
        JSAMPROW rp = d->rgb + stride * c.output_scanline;
        jpeg_read_scanlines(&c, &rp, 1);
    }
    jpeg_finish_decompress(&c);
    jpeg_destroy_decompress(&c);
    /* The decoder's memory is gone; the scaled output is small next to the budget. */
    decode_budget_release(d->reserved);
    d->reserved = 0;
    return RC_OK;
}

/* Averages f x f blocks of d in place (d->w and d->h shrink to whole blocks). */
static void box_down(struct decode *d, int f)
{
    int nw = d->w / f, nh = d->h / f;
    size_t sstride = (size_t)d->w * 3, dstride = (size_t)nw * 3;
    for (int y = 0; y < nh; y++)
        for (int x = 0; x < nw; x++)
            for (int ch = 0; ch < 3; ch++) {
                unsigned sum = 0;
                for (int j = 0; j < f; j++)
                    for (int i = 0; i < f; i++)
                        sum += d->rgb[sstride * (size_t)(y * f + j) + 3 * (size_t)(x * f + i) +
                                      (size_t)ch];
                d->rgb[dstride * (size_t)y + 3 * (size_t)x + (size_t)ch] =
                    (unsigned char)((sum + (unsigned)(f * f) / 2) / (unsigned)(f * f));
            }
    d->w = nw;
    d->h = nh;
}

enum rc jpeg_preview(const unsigned char *jpeg, size_t n, int target_w, int quality,
                     struct buf *out, int *w, int *h, struct err *e)
{
    struct decode d;
    if (target_w < 1)
        return err_set(e, RC_INVALID, "preview width must be positive");
    enum rc rc = decode_scaled(jpeg, n, target_w, &d, e);
    if (rc != RC_OK)
        return rc;
    int f = d.w / target_w;
    if (f >= 2 && d.h / f >= 1)
        box_down(&d, f);
    struct src_rows src = {d.rgb, NULL, d.w * 3};
    rc = compress(&src, d.w, d.h, quality, out, e);
    if (rc == RC_OK) {
        if (w)
            *w = d.w;
        if (h)
            *h = d.h;
    }
    free(d.rgb);
    return rc;
}
