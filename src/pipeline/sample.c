/* sample.c — the sample Stitch TAR: a rectangular house whose rooms tile the interior on a grid
 * (exterior walls 200 mm, partitions 100 mm, so interior and exterior areas differ as in a real
 * plan), doors between neighbours and to the outside, windows on exterior walls, panoramas inside
 * rooms, and panoramas rendered by casting rays into a box room. Everything comes from a
 * splitmix64 stream seeded by the caller, so the same options give the same bytes. */
#include "pipeline/sample.h"

#include "pipeline/manifest.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jpeglib.h>

#define EXT_WALL 200   /* mm */
#define INT_WALL 100
#define MTIME 1777645800 /* 2026-05-01T14:30:00Z, the capture date: archives are reproducible */
#define CAPTURE_DATE "2026-05-01T14:30:00Z"
#define PANO_HEIGHT 1500
#define BOMB_SIZE 077777777777ull /* the largest size a plain ustar header can declare */

static const char *const kind_names[SAMPLE__COUNT] = {
    [SAMPLE_VALID] = "valid",           [SAMPLE_NOT_TAR] = "not-tar",
    [SAMPLE_NO_MANIFEST] = "no-manifest", [SAMPLE_BAD_JSON] = "bad-json",
    [SAMPLE_BAD_JPEG] = "bad-jpeg",     [SAMPLE_TRAVERSAL] = "traversal",
    [SAMPLE_LINK] = "link",             [SAMPLE_OPEN_POLYGON] = "open-polygon",
    [SAMPLE_BOMB] = "bomb",
};

struct sample_options sample_defaults(void)
{
    return (struct sample_options){.levels = 2, .rooms = 6, .panos = 6, .seed = 1};
}

const char *sample_kind_name(enum sample_kind k)
{
    return (unsigned)k < SAMPLE__COUNT ? kind_names[k] : NULL;
}

int sample_kind_parse(const char *name, enum sample_kind *out)
{
    for (int i = 0; i < SAMPLE__COUNT; i++)
        if (strcmp(kind_names[i], name) == 0) {
            *out = (enum sample_kind)i;
            return 0;
        }
    return -1;
}

/* --- randomness --------------------------------------------------------------------------- */

static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* A multiple of 10 in [lo, hi]. */
static long between(uint64_t *s, long lo, long hi)
{
    long steps = (hi - lo) / 10 + 1;
    return lo + (long)(next(s) % (uint64_t)steps) * 10;
}

/* --- geometry ----------------------------------------------------------------------------- */

struct cell {
    long x0, y0, x1, y1; /* the room's inner faces, mm */
    int row, col;
};

struct plan {
    long w, d;           /* exterior footprint */
    int rows, cols;
    struct cell *cells;  /* row-major, rooms of them */
    int ncells;
};

/* Lays out n rooms on a grid: full rows of cols rooms, the last row's rooms sharing its width. */
static int plan_make(int n, uint64_t seed, struct plan *p)
{
    uint64_t s = seed ^ 0x5eedf00dull;
    int cols = 1;
    while (cols * cols < n)
        cols++;
    int rows = (n + cols - 1) / cols;
    long widths[SAMPLE_MAX_ROOMS], depths[SAMPLE_MAX_ROOMS];
    long w = 2 * EXT_WALL + INT_WALL * (cols - 1), d = 2 * EXT_WALL + INT_WALL * (rows - 1);
    for (int c = 0; c < cols; c++)
        w += widths[c] = between(&s, 2800, 4800);
    for (int r = 0; r < rows; r++)
        d += depths[r] = between(&s, 2800, 4200);
    p->w = w;
    p->d = d;
    p->rows = rows;
    p->cols = cols;
    p->ncells = n;
    if (!(p->cells = calloc((size_t)n, sizeof *p->cells)))
        return -1;
    long y = EXT_WALL;
    int k = 0;
    for (int r = 0; r < rows; r++) {
        int in_row = r < rows - 1 ? cols : n - cols * (rows - 1);
        long x = EXT_WALL, share = (w - 2 * EXT_WALL - INT_WALL * (in_row - 1)) / in_row / 10 * 10;
        for (int c = 0; c < in_row; c++, k++) {
            long cw = in_row == cols ? widths[c] : share;
            if (c == in_row - 1)
                cw = w - EXT_WALL - x;
            p->cells[k] = (struct cell){x, y, x + cw, y + depths[r], r, c};
            x += cw + INT_WALL;
        }
        y += depths[r] + INT_WALL;
    }
    return 0;
}

static int cells_in_row(const struct plan *p, int r)
{
    return r < p->rows - 1 ? p->cols : p->ncells - p->cols * (p->rows - 1);
}

static const struct cell *cell_at(const struct plan *p, int r, int c)
{
    return &p->cells[r * p->cols + c];
}

/* --- the manifest ------------------------------------------------------------------------- */

static const char *const main_names[] = {
    "Foyer",   "Living Room", "Kitchen", "Dining Room", "Family Room", "Powder Room", "Office",
    "Laundry Room", "Mudroom", "Pantry", "Den", "Sunroom", "Hallway", "Closet", NULL};
static const char *const upper_names[] = {
    "Primary Bedroom", "Ensuite", "Bedroom", "Bathroom", "Bedroom", "Walk-in Closet", "Bedroom",
    "Hallway", "Linen Closet", "Study", "Bathroom", NULL};
static const char *const basement_names[] = {
    "Recreation Room", "Utility Room", "Storage", "Bathroom", "Bedroom", "Workshop",
    "Cold Cellar", "Laundry Room", NULL};
static const char *const unfinished[] = {"Utility Room", "Storage", "Workshop", "Cold Cellar", NULL};

static const char *level_name(int idx, int basement, char buf[32])
{
    static const char *const floors[] = {"Main Floor", "Second Floor", "Third Floor",
                                         "Fourth Floor"};
    if (basement && idx == 0)
        return "Basement";
    int above = basement ? idx - 1 : idx;
    if (above < 4)
        return floors[above];
    snprintf(buf, 32, "Floor %d", above + 1);
    return buf;
}

/* Room i's name on a level: from the level's list, numbered when it repeats ("Bedroom 2"). */
static void room_name(const char *const *list, int i, char out[48], int *finished)
{
    int len = 0;
    while (list[len])
        len++;
    const char *base = i < len ? list[i] : NULL;
    if (!base) {
        snprintf(out, 48, "Room %d", i + 1);
        *finished = 1;
        return;
    }
    int nth = 0, total = 0;
    for (int k = 0; k < len; k++)
        if (strcmp(list[k], base) == 0) {
            total++;
            if (k <= i)
                nth++;
        }
    if (total > 1 && nth > 1)
        snprintf(out, 48, "%s %d", base, nth);
    else
        snprintf(out, 48, "%s", base);
    *finished = 1;
    for (int k = 0; unfinished[k]; k++)
        if (strcmp(unfinished[k], base) == 0)
            *finished = 0;
}

static json_t *pt(long x, long y)
{
    return json_pack("[I, I]", (json_int_t)x, (json_int_t)y);
}

static json_t *rect(long x0, long y0, long x1, long y1, int close)
{
    json_t *a = json_array();
    json_array_append_new(a, pt(x0, y0));
    json_array_append_new(a, pt(x1, y0));
    json_array_append_new(a, pt(x1, y1));
    json_array_append_new(a, pt(x0, y1));
    if (close)
        json_array_append_new(a, pt(x0, y0));
    return a;
}

static void add_opening(json_t *arr, const char *prefix, int *n, int room, int to, long x, long y,
                        long width)
{
    char id[16], r[16], t[16];
    snprintf(id, sizeof id, "%s%d", prefix, ++*n);
    snprintf(r, sizeof r, "R%d", room + 1);
    json_t *o = json_pack("{s:s, s:s}", "id", id, "room", r);
    if (to >= 0) {
        snprintf(t, sizeof t, "R%d", to + 1);
        json_object_set_new(o, "to", json_string(t));
    }
    json_object_set_new(o, "at", pt(x, y));
    json_object_set_new(o, "width", json_integer(width));
    json_array_append_new(arr, o);
}

static long clampl(long v, long lo, long hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static json_t *level_json(const struct sample_options *o, const struct plan *p, int idx,
                          int *pano_no)
{
    int basement = o->levels >= 2, below = basement && idx == 0;
    int main_floor = idx == (basement ? 1 : 0);
    char id[16], nbuf[32];
    snprintf(id, sizeof id, "L%d", idx + 1);
    const char *const *names = below ? basement_names : main_floor ? main_names : upper_names;
    json_t *l = json_pack("{s:s, s:s, s:b, s:i}", "id", id, "name", level_name(idx, basement, nbuf),
                          "belowGrade", below, "height", below ? 2300 : 2440);
    json_object_set_new(l, "exterior", rect(0, 0, p->w, p->d, 1));
    json_t *rooms = json_array(), *doors = json_array(), *windows = json_array(),
           *panos = json_array();
    for (int i = 0; i < p->ncells; i++) {
        const struct cell *c = &p->cells[i];
        char rid[16], name[48];
        int finished;
        snprintf(rid, sizeof rid, "R%d", i + 1);
        room_name(names, i, name, &finished);
        json_t *poly = rect(c->x0, c->y0, c->x1, c->y1, 1);
        if (o->kind == SAMPLE_OPEN_POLYGON && idx == 0 && i == 0)
            json_array_remove(poly, json_array_size(poly) - 1);
        json_array_append_new(rooms, json_pack("{s:s, s:s, s:b, s:o}", "id", rid, "name", name,
                                               "finished", finished, "polygon", poly));
    }
    int nd = 0, nw = 0;
    /* Doors: along each row, between the first rooms of neighbouring rows, and between the last
     * rooms of neighbouring rows when the plan is wide enough to need a second way through. */
    for (int i = 0; i < p->ncells; i++) {
        const struct cell *c = &p->cells[i];
        if (c->col + 1 < cells_in_row(p, c->row))
            add_opening(doors, "D", &nd, i, i + 1, c->x1 + INT_WALL / 2, (c->y0 + c->y1) / 2, 810);
    }
    for (int r = 0; r + 1 < p->rows; r++) {
        int last_a = cells_in_row(p, r) - 1, last_b = cells_in_row(p, r + 1) - 1;
        for (int pass = 0; pass < 2; pass++) {
            int ca = pass ? last_a : 0, cb = pass ? last_b : 0;
            if (pass && (p->cols < 3 || last_b == 0))
                break;
            const struct cell *a = cell_at(p, r, ca), *b = cell_at(p, r + 1, cb);
            long lo = a->x0 > b->x0 ? a->x0 : b->x0, hi = a->x1 < b->x1 ? a->x1 : b->x1;
            if (hi - lo < 1000)
                continue;
            add_opening(doors, "D", &nd, (int)(a - p->cells), (int)(b - p->cells), (lo + hi) / 2,
                        a->y1 + INT_WALL / 2, 810);
        }
    }
    if (main_floor) {
        const struct cell *front = &p->cells[0], *back = &p->cells[p->ncells - 1];
        add_opening(doors, "D", &nd, 0, -1, EXT_WALL / 2, (front->y0 + front->y1) / 2, 915);
        add_opening(doors, "D", &nd, p->ncells - 1, -1, p->w - EXT_WALL / 2,
                    (back->y0 + back->y1) / 2, 915);
    }
    /* Windows: on the front or back wall of the outer rows, on a side wall in between. */
    for (int i = 0; i < p->ncells; i++) {
        const struct cell *c = &p->cells[i];
        long ww = below ? 600 : clampl((c->x1 - c->x0) * 2 / 5 / 10 * 10, 600, 1800);
        long hw = below ? 600 : clampl((c->y1 - c->y0) * 2 / 5 / 10 * 10, 600, 1800);
        if (c->row == 0)
            add_opening(windows, "W", &nw, i, -1, (c->x0 + c->x1) / 2, EXT_WALL / 2, ww);
        else if (c->row == p->rows - 1)
            add_opening(windows, "W", &nw, i, -1, (c->x0 + c->x1) / 2, p->d - EXT_WALL / 2, ww);
        else if (c->col == 0)
            add_opening(windows, "W", &nw, i, -1, EXT_WALL / 2, (c->y0 + c->y1) / 2, hw);
        else if (c->col == cells_in_row(p, c->row) - 1)
            add_opening(windows, "W", &nw, i, -1, p->w - EXT_WALL / 2, (c->y0 + c->y1) / 2, hw);
    }
    /* Panoramas: spread over the rooms; a room with m of them has them evenly across its width. */
    for (int j = 0; j < o->panos; j++) {
        int room = j % p->ncells, k = j / p->ncells;
        int m = o->panos / p->ncells + (room < o->panos % p->ncells);
        const struct cell *c = &p->cells[room];
        char pid[16], file[32];
        snprintf(pid, sizeof pid, "P%d", ++*pano_no);
        snprintf(file, sizeof file, "panos/P%d.jpg", *pano_no);
        json_t *at = pt(c->x0 + (c->x1 - c->x0) * (k + 1) / (m + 1), (c->y0 + c->y1) / 2);
        json_array_append_new(panos, json_pack("{s:s, s:s, s:o, s:i}", "id", pid, "file", file,
                                               "at", at, "height", PANO_HEIGHT));
    }
    json_object_set_new(l, "rooms", rooms);
    json_object_set_new(l, "doors", doors);
    json_object_set_new(l, "windows", windows);
    json_object_set_new(l, "panoramas", panos);
    return l;
}

static enum rc check_options(const struct sample_options *o, struct err *e)
{
    if (o->levels < 1 || o->levels > SAMPLE_MAX_LEVELS)
        return err_set(e, RC_INVALID, "levels must be from 1 to %d", SAMPLE_MAX_LEVELS);
    if (o->rooms < 1 || o->rooms > SAMPLE_MAX_ROOMS)
        return err_set(e, RC_INVALID, "rooms must be from 1 to %d", SAMPLE_MAX_ROOMS);
    if (o->panos < 0 || o->panos > SAMPLE_MAX_PANOS)
        return err_set(e, RC_INVALID, "panos must be from 0 to %d", SAMPLE_MAX_PANOS);
    if ((unsigned)o->kind >= SAMPLE__COUNT)
        return err_set(e, RC_INVALID, "unknown sample kind");
    if (o->kind == SAMPLE_BAD_JPEG && o->panos < 1)
        return err_set(e, RC_INVALID, "the bad-jpeg kind needs at least one panorama");
    return RC_OK;
}

/* Length of a JSON number at p (digits, sign, '.', exponent), 0 when none. */
static size_t number_len(const char *p)
{
    size_t n = 0;
    while (p[n] && strchr("0123456789+-.eE", p[n]))
        n++;
    return n;
}

/* Rewrites jansson's one-number-per-line points "[\n  x,\n  y\n]" as "[x, y]" in place, so
 * the indented manifest stays readable. */
static void collapse_points(char *s)
{
    char *w = s;
    for (const char *r = s; *r;) {
        if (*r == '[') {
            const char *p = r + 1;
            while (*p == ' ' || *p == '\n')
                p++;
            size_t a = number_len(p);
            const char *q = p + a;
            if (a && *q == ',') {
                q++;
                while (*q == ' ' || *q == '\n')
                    q++;
                size_t b = number_len(q);
                const char *t = q + b;
                while (*t == ' ' || *t == '\n')
                    t++;
                if (b && *t == ']') {
                    *w++ = '[';
                    memmove(w, p, a);
                    w += a;
                    *w++ = ',';
                    *w++ = ' ';
                    memmove(w, q, b);
                    w += b;
                    *w++ = ']';
                    r = t + 1;
                    continue;
                }
            }
        }
        *w++ = *r++;
    }
    *w = '\0';
}

enum rc sample_manifest(const struct sample_options *o, struct arena *a, char **json, size_t *n,
                        struct err *e)
{
    enum rc rc = check_options(o, e);
    if (rc != RC_OK)
        return rc;
    struct plan p;
    if (plan_make(o->rooms, o->seed, &p) != 0)
        return err_set(e, RC_NOMEM, "out of memory");
    char with[64];
    snprintf(with, sizeof with, "guidepost sample-stitch (seed %llu)", (unsigned long long)o->seed);
    json_t *levels = json_array();
    int pano_no = 0;
    for (int i = 0; i < o->levels; i++)
        json_array_append_new(levels, level_json(o, &p, i, &pano_no));
    json_t *root = json_pack("{s:s, s:{s:s, s:s}, s:[{s:i, s:s, s:o}]}", "format", MANIFEST_FORMAT,
                             "property", "captureDate", CAPTURE_DATE, "capturedWith", with,
                             "buildings", "id", 1, "name", "Main House", "levels", levels);
    free(p.cells);
    char *s = root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(root);
    if (!s)
        return err_set(e, RC_NOMEM, "out of memory");
    collapse_points(s);
    size_t len = strlen(s);
    if (o->kind == SAMPLE_BAD_JSON)
        len--; /* the closing brace */
    *json = arena_strndup(a, s, len);
    free(s);
    if (!*json)
        return err_set(e, RC_NOMEM, "out of memory");
    *n = len;
    return RC_OK;
}

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
        uint64_t v = next(&s);
        for (int k = 0; k < 3; k++)
            walls[i][k] = (unsigned char)(150 + (v >> (8 * k)) % 90);
    }
    double ax = (double)between(&s, 1400, 3000), ay = (double)between(&s, 1400, 3000);
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

/* --- the TAR ------------------------------------------------------------------------------ */

struct sink {
    int fd;
    uint64_t written;
    int drop;      /* swallow libarchive's end-of-archive blocks (the bomb has none) */
    int failed;
};

static int write_all(struct sink *k, const void *p, size_t n)
{
    const unsigned char *b = p;
    while (n) {
        ssize_t w = write(k->fd, b, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            k->failed = errno ? errno : EIO;
            return -1;
        }
        b += w;
        n -= (size_t)w;
        k->written += (uint64_t)w;
    }
    return 0;
}

static la_ssize_t sink_write(struct archive *ar, void *user, const void *p, size_t n)
{
    struct sink *k = user;
    if (k->drop)
        return (la_ssize_t)n;
    if (write_all(k, p, n) != 0) {
        archive_set_error(ar, k->failed, "write failed");
        return -1;
    }
    return (la_ssize_t)n;
}

static enum rc tar_fail(struct archive *ar, struct sink *k, struct err *e)
{
    if (k->failed)
        return err_set(e, RC_IO, "cannot write the sample: %s", strerror(k->failed));
    const char *m = archive_error_string(ar);
    return err_set(e, RC_IO, "cannot write the sample: %s", m ? m : "archive error");
}

/* Adds one entry: a file (data, n), a directory (type AE_IFDIR) or a symlink (target). */
static enum rc add(struct archive *ar, struct sink *k, const char *name, int type,
                   const void *data, size_t n, const char *target, struct err *e)
{
    struct archive_entry *ent = archive_entry_new();
    if (!ent)
        return err_set(e, RC_NOMEM, "out of memory");
    archive_entry_set_pathname(ent, name);
    archive_entry_set_filetype(ent, (unsigned)type);
    archive_entry_set_perm(ent, type == AE_IFDIR ? 0755 : 0644);
    archive_entry_set_mtime(ent, MTIME, 0);
    archive_entry_set_uname(ent, "guidepost");
    archive_entry_set_gname(ent, "guidepost");
    archive_entry_set_size(ent, type == AE_IFREG ? (la_int64_t)n : 0);
    if (target)
        archive_entry_set_symlink(ent, target);
    int st = archive_write_header(ar, ent);
    archive_entry_free(ent);
    if (st != ARCHIVE_OK)
        return tar_fail(ar, k, e);
    if (type == AE_IFREG && n && archive_write_data(ar, data, n) != (la_ssize_t)n)
        return tar_fail(ar, k, e);
    if (archive_write_finish_entry(ar) != ARCHIVE_OK)
        return tar_fail(ar, k, e);
    return RC_OK;
}

/* Padding entries under extra/ until the file (with its two end blocks) reaches pad_to. */
static enum rc pad(struct archive *ar, struct sink *k, uint64_t pad_to, size_t *entries,
                   struct err *e)
{
    static const unsigned char zeros[64 << 10];
    int i = 0;
    while (k->written + 1024 < pad_to) {
        uint64_t need = pad_to - k->written - 1024;
        uint64_t n = need > 512 ? need - 512 : 0;
        if (n > SAMPLE_PAD_CHUNK)
            n = SAMPLE_PAD_CHUNK;
        char name[40];
        snprintf(name, sizeof name, "extra/padding-%04d.bin", ++i);
        struct archive_entry *ent = archive_entry_new();
        if (!ent)
            return err_set(e, RC_NOMEM, "out of memory");
        archive_entry_set_pathname(ent, name);
        archive_entry_set_filetype(ent, AE_IFREG);
        archive_entry_set_perm(ent, 0644);
        archive_entry_set_mtime(ent, MTIME, 0);
        archive_entry_set_size(ent, (la_int64_t)n);
        int st = archive_write_header(ar, ent);
        archive_entry_free(ent);
        if (st != ARCHIVE_OK)
            return tar_fail(ar, k, e);
        for (uint64_t left = n; left;) {
            size_t c = left < sizeof zeros ? (size_t)left : sizeof zeros;
            if (archive_write_data(ar, zeros, c) != (la_ssize_t)c)
                return tar_fail(ar, k, e);
            left -= c;
        }
        if (archive_write_finish_entry(ar) != ARCHIVE_OK)
            return tar_fail(ar, k, e);
        ++*entries;
    }
    return RC_OK;
}

/* A ustar header by hand: libarchive will not write a header whose data never follows. */
static void ustar_header(unsigned char h[512], const char *name, unsigned long long size)
{
    memset(h, 0, 512);
    snprintf((char *)h, 100, "%s", name);
    snprintf((char *)h + 100, 8, "%07o", 0644);
    snprintf((char *)h + 108, 8, "%07o", 0);
    snprintf((char *)h + 116, 8, "%07o", 0);
    snprintf((char *)h + 124, 12, "%011llo", size);
    snprintf((char *)h + 136, 12, "%011llo", (unsigned long long)MTIME);
    h[156] = '0';
    memcpy(h + 257, "ustar\0" "00", 8);
    memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++)
        sum += h[i];
    snprintf((char *)h + 148, 8, "%06o", sum);
    h[155] = ' ';
}

static enum rc write_not_tar(struct sink *k, const struct sample_options *o, struct err *e)
{
    uint64_t s = o->seed, total = o->pad_to > 4096 ? o->pad_to : 4096;
    static const char head[] = "Guidepost sample: this file is deliberately not a TAR archive.\n";
    if (write_all(k, head, sizeof head - 1) != 0)
        return err_set(e, RC_IO, "cannot write the sample: %s", strerror(k->failed));
    unsigned char buf[4096];
    while (k->written < total) {
        for (size_t i = 0; i < sizeof buf; i += 8) {
            uint64_t v = next(&s);
            memcpy(buf + i, &v, 8);
        }
        size_t n = total - k->written < sizeof buf ? (size_t)(total - k->written) : sizeof buf;
        if (write_all(k, buf, n) != 0)
            return err_set(e, RC_IO, "cannot write the sample: %s", strerror(k->failed));
    }
    return RC_OK;
}

static enum rc write_tar(struct sink *k, const struct sample_options *o, struct sample_stats *st,
                         struct arena *a, struct err *e)
{
    char *json;
    size_t jn;
    enum rc rc = sample_manifest(o, a, &json, &jn, e);
    if (rc != RC_OK)
        return rc;
    struct archive *ar = archive_write_new();
    if (!ar)
        return err_set(e, RC_NOMEM, "out of memory");
    if (archive_write_set_format_pax_restricted(ar) != ARCHIVE_OK ||
        archive_write_set_bytes_per_block(ar, 0) != ARCHIVE_OK ||
        archive_write_open(ar, k, NULL, sink_write, NULL) != ARCHIVE_OK) {
        rc = tar_fail(ar, k, e);
        archive_write_free(ar);
        return rc;
    }
    size_t entries = 0;
    if (o->kind == SAMPLE_TRAVERSAL) {
        static const char t[] = "written outside the archive's folder by a careless extractor\n";
        rc = add(ar, k, "../outside.txt", AE_IFREG, t, sizeof t - 1, NULL, e);
        entries++;
    }
    if (rc == RC_OK && o->kind != SAMPLE_NO_MANIFEST) {
        rc = add(ar, k, "manifest.json", AE_IFREG, json, jn, NULL, e);
        entries++;
    }
    if (rc == RC_OK) {
        rc = add(ar, k, "panos/", AE_IFDIR, NULL, 0, NULL, e);
        entries++;
    }
    if (rc == RC_OK && o->kind == SAMPLE_LINK) {
        rc = add(ar, k, "panos/link.jpg", AE_IFLNK, NULL, 0, "/etc/passwd", e);
        entries++;
    }
    int total = o->panos * o->levels;
    for (int i = 1; i <= total && rc == RC_OK; i++) {
        unsigned char *jpg;
        size_t n;
        if ((rc = sample_jpeg(o->seed, i, &jpg, &n, e)) != RC_OK)
            break;
        if (o->kind == SAMPLE_BAD_JPEG && i == 1)
            n /= 2;
        char name[32];
        snprintf(name, sizeof name, "panos/P%d.jpg", i);
        rc = add(ar, k, name, AE_IFREG, jpg, n, NULL, e);
        free(jpg);
        entries++;
    }
    if (rc == RC_OK)
        rc = pad(ar, k, o->pad_to, &entries, e);
    if (rc == RC_OK && o->kind == SAMPLE_BOMB)
        k->drop = 1;
    if (rc == RC_OK && archive_write_close(ar) != ARCHIVE_OK)
        rc = tar_fail(ar, k, e);
    archive_write_free(ar);
    if (rc == RC_OK && o->kind == SAMPLE_BOMB) {
        /* A header promising 8 GiB, a little data, no end: what a bomb or a cut-off upload is. */
        unsigned char h[512], body[4096];
        ustar_header(h, "panos/bomb.jpg", BOMB_SIZE);
        memset(body, 0xa5, sizeof body);
        k->drop = 0;
        if (write_all(k, h, sizeof h) != 0 || write_all(k, body, sizeof body) != 0)
            return err_set(e, RC_IO, "cannot write the sample: %s", strerror(k->failed));
        entries++;
    }
    st->entries = entries;
    return rc;
}

enum rc sample_write(const char *path, const struct sample_options *o, struct sample_stats *stats,
                     struct err *e)
{
    enum rc rc = check_options(o, e);
    if (rc != RC_OK)
        return rc;
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    struct arena *a = arena_new();
    if (!tmp || !a) {
        free(tmp);
        arena_free(a);
        return err_set(e, RC_NOMEM, "out of memory");
    }
    snprintf(tmp, plen + 16, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        rc = err_set(e, RC_IO, "cannot create %s: %s", path, strerror(errno));
        free(tmp);
        arena_free(a);
        return rc;
    }
    struct sink k = {.fd = fd};
    struct sample_stats st = {0};
    rc = o->kind == SAMPLE_NOT_TAR ? write_not_tar(&k, o, e) : write_tar(&k, o, &st, a, e);
    if (rc == RC_OK && fchmod(fd, 0644) != 0)
        rc = err_set(e, RC_IO, "cannot write %s: %s", path, strerror(errno));
    if (close(fd) != 0 && rc == RC_OK)
        rc = err_set(e, RC_IO, "cannot write %s: %s", path, strerror(errno));
    if (rc == RC_OK && rename(tmp, path) != 0)
        rc = err_set(e, RC_IO, "cannot write %s: %s", path, strerror(errno));
    if (rc != RC_OK)
        unlink(tmp);
    free(tmp);
    arena_free(a);
    if (rc == RC_OK && stats) {
        st.bytes = k.written;
        st.levels = (size_t)o->levels;
        st.rooms = (size_t)o->levels * (size_t)o->rooms;
        st.panos = (size_t)o->levels * (size_t)o->panos;
        *stats = st;
    }
    return rc;
}
