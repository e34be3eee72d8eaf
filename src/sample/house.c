/* house.c — the sample house and its manifest: a rectangular house whose rooms tile the interior
 * on a grid (exterior walls 200 mm, partitions 100 mm, so interior and exterior areas differ as in
 * a real plan), doors between neighbours and to the outside, windows on exterior walls, panoramas
 * inside rooms. Everything comes from a splitmix64 stream seeded by the caller, so the same
 * options give the same bytes. */
#include "sample/sample_int.h"

#include "property/manifest.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
        w += widths[c] = sample_between(&s, 2800, 4800);
    for (int r = 0; r < rows; r++)
        d += depths[r] = sample_between(&s, 2800, 4200);
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

enum rc sample_check_options(const struct sample_options *o, struct err *e)
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
    enum rc rc = sample_check_options(o, e);
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

/* --- randomness --------------------------------------------------------------------------- */

uint64_t sample_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* A multiple of 10 in [lo, hi]. */
long sample_between(uint64_t *s, long lo, long hi)
{
    long steps = (hi - lo) / 10 + 1;
    return lo + (long)(sample_next(s) % (uint64_t)steps) * 10;
}
