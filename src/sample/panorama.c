/* panorama.c — the sample panoramas: equirectangular JPEGs rendered by casting rays into a box
 * room, deterministic from the seed and the panorama's index. */
#include "sample/sample_int.h"

#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

/* --- panoramas ---------------------------------------------------------------------------- */

struct jerr {
    struct jpeg_error_mgr pub;
    jmp_buf jb;
};

static void jerr_exit(j_common_ptr c)
{
    longjmp(((struct jerr *)c->err)->jb, 1);
}

/* 1 when v is within half of a line's width of a multiple of step. */
static int on_line(double v, double step, double half)
{
    double m = fmod(fabs(v), step);
    return m < half || step - m < half;
}

/* The colour seen along direction (dx, dy, dz) from a camera in a box room: half-extents ax, ay,
 * floor at -cam, ceiling at ceil - cam; a window on the +y wall, a door on the -y wall. */
static void shade(double dx, double dy, double dz, double ax, double ay, double cam, double ceil,
                  const unsigned char walls[4][3], unsigned char rgb[3])
{
    double t = 1e30;
    int surf = -1;
    if (dz < -1e-9 && -cam / dz < t)
        t = -cam / dz, surf = 4;
    if (dz > 1e-9 && (ceil - cam) / dz < t)
        t = (ceil - cam) / dz, surf = 5;
    if (fabs(dx) > 1e-9 && ax / fabs(dx) < t)
        t = ax / fabs(dx), surf = dx > 0 ? 0 : 1;
    if (fabs(dy) > 1e-9 && ay / fabs(dy) < t)
        t = ay / fabs(dy), surf = dy > 0 ? 2 : 3;
    double x = t * dx, y = t * dy, z = t * dz + cam; /* z: height above the floor */
    double r, g, b;
    if (surf == 4) { /* floor: planks, a darker metre grid */
        r = 150, g = 108, b = 68;
        if (on_line(y, 180, 6))
            r *= 0.8, g *= 0.8, b *= 0.8;
        if (on_line(x, 1000, 12) || on_line(y, 1000, 12))
            r *= 0.6, g *= 0.6, b *= 0.6;
    } else if (surf == 5) { /* ceiling */
        r = g = 236, b = 228;
        if (on_line(x, 1000, 10) || on_line(y, 1000, 10))
            r = g = b = 200;
    } else {
        double along = surf < 2 ? y : x;
        r = walls[surf][0], g = walls[surf][1], b = walls[surf][2];
        if (surf == 2 && fabs(along) < ax * 0.35 && z > 900 && z < 2100) { /* window: sky */
            double k = (z - 900) / 1200;
            r = 120 + 80 * (1 - k), g = 170 + 60 * (1 - k), b = 235;
            if (on_line(along, ax * 0.35, 25) || on_line(z - 1500, 600, 25))
                r = g = b = 245;
        } else if (surf == 3 && fabs(along - ax * 0.3) < 420 && z < 2030) { /* door */
            r = 110, g = 72, b = 40;
        } else if (on_line(along, 500, 8) || on_line(z, 500, 8)) {
            r *= 0.75, g *= 0.75, b *= 0.75;
        }
        if (z < 100) /* baseboard */
            r = g = b = 245;
    }
    double fade = 1.0 / (1.0 + t / 12000.0); /* farther is a little darker */
    rgb[0] = (unsigned char)fmin(255, r * (0.55 + 0.45 * fade) + 0.5);
    rgb[1] = (unsigned char)fmin(255, g * (0.55 + 0.45 * fade) + 0.5);
    rgb[2] = (unsigned char)fmin(255, b * (0.55 + 0.45 * fade) + 0.5);
}

enum rc sample_jpeg(uint64_t seed, int index, unsigned char **jpeg, size_t *n, struct err *e)
{
    const int W = SAMPLE_PANO_WIDTH, H = SAMPLE_PANO_WIDTH / 2;
    uint64_t s = seed * 0x100000001b3ull + (uint64_t)index;
    unsigned char walls[4][3];
    for (int i = 0; i < 4; i++) { /* muted paint colours */
        uint64_t v = sample_next(&s);
        for (int k = 0; k < 3; k++)
            walls[i][k] = (unsigned char)(150 + (v >> (8 * k)) % 90);
    }
    double ax = (double)sample_between(&s, 1400, 3000), ay = (double)sample_between(&s, 1400, 3000);
    unsigned char *img = malloc((size_t)W * 3 * H);
    double *cl = malloc(sizeof(double) * (size_t)W * 2);
    if (!img || !cl) {
        free(img);
        free(cl);
        return err_set(e, RC_NOMEM, "out of memory");
    }
    for (int u = 0; u < W; u++) {
        double lon = ((u + 0.5) / W) * 2 * M_PI - M_PI;
        cl[2 * u] = sin(lon);
        cl[2 * u + 1] = cos(lon);
    }
    for (int v = 0; v < H; v++) {
        double lat = M_PI / 2 - ((v + 0.5) / H) * M_PI, cz = cos(lat), sz = sin(lat);
        for (int u = 0; u < W; u++)
            shade(cz * cl[2 * u], cz * cl[2 * u + 1], sz, ax, ay, PANO_HEIGHT, 2440, walls,
                  img + ((size_t)v * W + u) * 3);
    }
    free(cl);

    struct jpeg_compress_struct c;
    struct jerr j;
    unsigned char *out = NULL;
    unsigned long outlen = 0;
    memset(&c, 0, sizeof c);
    c.err = jpeg_std_error(&j.pub);
    j.pub.error_exit = jerr_exit;
    if (setjmp(j.jb)) {
        jpeg_destroy_compress(&c);
        free(img);
        free(out);
        return err_set(e, RC_NOMEM, "cannot encode the sample panorama");
    }
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &out, &outlen);
    c.image_width = (JDIMENSION)W;
    c.image_height = (JDIMENSION)H;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 85, TRUE);
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < c.image_height) {
        JSAMPROW row = img + (size_t)c.next_scanline * W * 3;
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(img);
    *jpeg = out;
    *n = outlen;
    return RC_OK;
}
