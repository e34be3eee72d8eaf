/* manifest.c — parsing and validation of a Stitch TAR's manifest.json (docs/stitch-format.md).
 * Strict (unknown fields rejected) and bounded; every rule fails with a message that names the
 * building, level and element, because the message becomes the work order's rejectionReason. */
#include "property/manifest.h"

#include "core/clock.h"
#include "json/jsonx.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where a message points: "building 1, level L1, room R3". */
#define WHERE_MAX 128

struct ctx {
    struct arena *a;
    struct err *e;
};

/* Sets e to RC_INVALID with "<where>: <message>" (just the message when where is empty). */
static enum rc failf(struct err *e, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static enum rc failf(struct err *e, const char *where, const char *fmt, ...)
{
    char msg[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (where && *where)
        return err_set(e, RC_INVALID, "%s: %s", where, msg);
    return err_set(e, RC_INVALID, "%s", msg);
}

/* Re-targets a jsonx error ("name is required") at where; other codes pass through. */
static enum rc relay(enum rc rc, const struct err *tmp, const char *where, struct err *e)
{
    if (rc == RC_OK)
        return RC_OK;
    if (rc != RC_INVALID)
        return err_set(e, rc, "%s", tmp->msg);
    return failf(e, where, "%s", tmp->msg);
}

/* Formats a "where" prefix. Ids are at most MANIFEST_MAX_ID bytes, so the deepest prefix
 * ("building N, level L, room R") fits WHERE_MAX; truncation would only shorten a message. */
static void wheref(char *dst, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void wheref(char *dst, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, n, fmt, ap);
    va_end(ap);
}

static enum rc nomem(struct err *e)
{
    return err_set(e, RC_NOMEM, "out of memory");
}

/* Keeps ids printable and short enough for every message to name them in full. */
static int id_chars_ok(const char *s)
{
    for (const char *p = s; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-'))
            return 0;
    return 1;
}

static enum rc get_keys(json_t *o, const char *const allowed[], const char *where, struct err *e)
{
    struct err tmp = {0};
    return relay(jsonx_only_keys(o, "", allowed, &tmp), &tmp, where, e);
}

/* A required string of 1..max bytes without control characters, copied into the arena. */
static enum rc get_str(struct ctx *c, json_t *o, const char *key, int required, size_t max,
                       const char *where, const char **out)
{
    struct err tmp = {0};
    const char *s = NULL;
    enum rc rc = relay(jsonx_string(o, "", key, required, max, &s, &tmp), &tmp, where, c->e);
    if (rc != RC_OK)
        return rc;
    if (!s) {
        *out = NULL;
        return RC_OK;
    }
    if (!(*out = arena_strdup(c->a, s)))
        return nomem(c->e);
    return RC_OK;
}

/* A string id: 1..MANIFEST_MAX_ID bytes of [A-Za-z0-9._-]. */
static enum rc get_id(struct ctx *c, json_t *o, const char *key, const char *where,
                      const char **out)
{
    enum rc rc = get_str(c, o, key, 1, MANIFEST_MAX_ID, where, out);
    if (rc != RC_OK)
        return rc;
    if (*out && !id_chars_ok(*out))
        return failf(c->e, where, "%s may hold only letters, digits, '.', '_' and '-'", key);
    return RC_OK;
}

static enum rc get_bool(json_t *o, const char *key, const char *where, int *out, struct err *e)
{
    struct err tmp = {0};
    return relay(jsonx_bool(o, "", key, 1, out, &tmp), &tmp, where, e);
}

/* A required number (integer or real) within [min, max]. */
static enum rc get_num(json_t *o, const char *key, double min, double max, const char *where,
                       double *out, struct err *e)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return failf(e, where, "%s is required", key);
    if (!json_is_number(v))
        return failf(e, where, "%s must be a number", key);
    double d = json_number_value(v);
    if (!isfinite(d) || d < min || d > max)
        return failf(e, where, "%s must be between %.0f and %.0f (mm), not %.6g", key, min, max, d);
    *out = d;
    return RC_OK;
}

/* An array field: absent is an empty array unless required; at most max entries. */
static enum rc get_array(json_t *o, const char *key, int required, size_t max, const char *where,
                         json_t **out, struct err *e)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required)
            return failf(e, where, "%s is required", key);
        return RC_OK;
    }
    if (!json_is_array(v))
        return failf(e, where, "%s must be an array", key);
    if (required && json_array_size(v) == 0)
        return failf(e, where, "%s must not be empty", key);
    if (json_array_size(v) > max)
        return failf(e, where, "%s has %zu entries, more than the limit of %zu", key,
                     json_array_size(v), max);
    *out = v;
    return RC_OK;
}

/* [x, y]: two finite numbers within ±MANIFEST_MAX_COORD. what names it in messages. */
static enum rc get_point(json_t *v, const char *what, const char *where, struct mf_point *p,
                         struct err *e)
{
    if (!json_is_array(v) || json_array_size(v) != 2 || !json_is_number(json_array_get(v, 0)) ||
        !json_is_number(json_array_get(v, 1)))
        return failf(e, where, "%s must be [x, y] with two numbers (mm)", what);
    double x = json_number_value(json_array_get(v, 0)), y = json_number_value(json_array_get(v, 1));
    if (!isfinite(x) || !isfinite(y) || fabs(x) > MANIFEST_MAX_COORD ||
        fabs(y) > MANIFEST_MAX_COORD)
        return failf(e, where, "%s (%.6g, %.6g) is outside the coordinate bounds of ±%.0f mm", what,
                     x, y, MANIFEST_MAX_COORD);
    p->x = x;
    p->y = y;
    return RC_OK;
}

static enum rc get_at(json_t *o, const char *where, struct mf_point *p, struct err *e)
{
    json_t *v = json_object_get(o, "at");
    if (!v || json_is_null(v))
        return failf(e, where, "at is required");
    return get_point(v, "at", where, p, e);
}

/* --- geometry ----------------------------------------------------------------------------- */

static int same(struct mf_point a, struct mf_point b)
{
    return a.x == b.x && a.y == b.y;
}

/* Sign of the cross product (b - a) × (c - a): 1 left turn, -1 right turn, 0 collinear. Exact for
 * the integer millimetres the format uses (products stay below 2^53). */
static int orient(struct mf_point a, struct mf_point b, struct mf_point c)
{
    double v = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
    return (v > 0) - (v < 0);
}

/* 1 when r, collinear with p-q, lies within the segment's bounding box. */
static int within(struct mf_point p, struct mf_point q, struct mf_point r)
{
    return r.x <= fmax(p.x, q.x) && r.x >= fmin(p.x, q.x) && r.y <= fmax(p.y, q.y) &&
           r.y >= fmin(p.y, q.y);
}

/* 1 when the closed segments a-b and c-d share any point. */
static int segments_meet(struct mf_point a, struct mf_point b, struct mf_point c, struct mf_point d)
{
    int o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
    if (o1 != o2 && o3 != o4)
        return 1;
    return (o1 == 0 && within(a, b, c)) || (o2 == 0 && within(a, b, d)) ||
           (o3 == 0 && within(c, d, a)) || (o4 == 0 && within(c, d, b));
}

static double area(const struct mf_polygon *p)
{
    double s = 0;
    for (size_t i = 0; i < p->n; i++) {
        struct mf_point a = p->pts[i], b = p->pts[(i + 1) % p->n];
        s += a.x * b.y - b.x * a.y;
    }
    return fabs(s) / 2;
}

/* Squared distance from p to the segment a-b. */
static double seg_dist2(struct mf_point p, struct mf_point a, struct mf_point b)
{
    double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy, t = 0;
    if (len2 > 0)
        t = fmax(0, fmin(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
    double ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
    return ex * ex + ey * ey;
}

/* 1 when p is inside poly or within tol of its outline (crossing-number test). */
static int inside_or_on(const struct mf_polygon *poly, struct mf_point p, double tol)
{
    int in = 0;
    for (size_t i = 0, j = poly->n - 1; i < poly->n; j = i++) {
        struct mf_point a = poly->pts[i], b = poly->pts[j];
        if (seg_dist2(p, a, b) <= tol * tol)
            return 1;
        if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x)
            in = !in;
    }
    return in;
}

/* Checks that the ring has no two edges that meet other than at their shared vertex, and that no
 * vertex doubles back along the edge it came from. O(n²) with n ≤ MANIFEST_MAX_POINTS. */
static enum rc simple_ring(const struct mf_polygon *p, const char *key, const char *where,
                           struct err *e)
{
    size_t n = p->n;
    for (size_t k = 0; k < n; k++) {
        struct mf_point a = p->pts[(k + n - 1) % n], b = p->pts[k], c = p->pts[(k + 1) % n];
        if (orient(a, b, c) == 0 && (b.x - a.x) * (c.x - b.x) + (b.y - a.y) * (c.y - b.y) < 0)
            return failf(e, where, "%s intersects itself: it doubles back at (%.0f, %.0f)", key, b.x,
                         b.y);
    }
    for (size_t i = 0; i < n; i++) {
        struct mf_point a = p->pts[i], b = p->pts[(i + 1) % n];
        for (size_t j = i + 2; j < n; j++) {
            if (i == 0 && j == n - 1)
                continue; /* adjacent through the closing vertex */
            struct mf_point c = p->pts[j], d = p->pts[(j + 1) % n];
            if (segments_meet(a, b, c, d))
                return failf(e, where,
                             "%s intersects itself: edge (%.0f, %.0f)-(%.0f, %.0f) meets edge "
                             "(%.0f, %.0f)-(%.0f, %.0f)",
                             key, a.x, a.y, b.x, b.y, c.x, c.y, d.x, d.y);
        }
    }
    return RC_OK;
}

/* A closed ring [[x,y],...,[x0,y0]]: stored without the repeat and without consecutive repeated
 * points; at least 3 distinct points, at least MANIFEST_MIN_AREA_MM2, not self-intersecting. */
static enum rc get_polygon(struct ctx *c, json_t *o, const char *key, const char *where,
                           struct mf_polygon *out)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return failf(c->e, where, "%s is required", key);
    if (!json_is_array(v))
        return failf(c->e, where, "%s must be an array of [x, y] points", key);
    size_t n = json_array_size(v);
    if (n > MANIFEST_MAX_POINTS)
        return failf(c->e, where, "%s has %zu points, more than the limit of %d", key, n,
                     MANIFEST_MAX_POINTS);
    if (n < 2)
        return failf(c->e, where, "%s needs at least 3 distinct points", key);
    struct mf_point *pts = arena_alloc(c->a, n * sizeof *pts);
    if (!pts)
        return nomem(c->e);
    for (size_t i = 0; i < n; i++) {
        char what[48];
        snprintf(what, sizeof what, "%s point %zu", key, i + 1);
        enum rc rc = get_point(json_array_get(v, i), what, where, &pts[i], c->e);
        if (rc != RC_OK)
            return rc;
    }
    if (!same(pts[0], pts[n - 1]))
        return failf(c->e, where, "%s is not closed (its last point must equal its first)", key);
    size_t m = 0;
    for (size_t i = 0; i + 1 < n; i++)
        if (m == 0 || !same(pts[m - 1], pts[i]))
            pts[m++] = pts[i];
    while (m > 1 && same(pts[m - 1], pts[0]))
        m--;
    if (m < 3)
        return failf(c->e, where, "%s needs at least 3 distinct points", key);
    out->pts = pts;
    out->n = m;
    if (area(out) >= MANIFEST_MIN_AREA_MM2)
        return simple_ring(out, key, where, c->e);
    /* No area: say why. A bow tie's halves cancel out; its crossing is the better message. */
    int collinear = 1;
    for (size_t i = 2; i < m && collinear; i++)
        collinear = orient(pts[0], pts[1], pts[i]) == 0;
    if (collinear)
        return failf(c->e, where, "%s has no area (its points lie on one line)", key);
    enum rc rc = simple_ring(out, key, where, c->e);
    if (rc != RC_OK)
        return rc;
    return failf(c->e, where, "%s has no area (less than %.0f mm²)", key, MANIFEST_MIN_AREA_MM2);
}

/* --- ids ---------------------------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Returns the first id that appears twice among ids[0..n) (sorted order), or NULL. */
static const char *duplicate(struct ctx *c, const char **ids, size_t n, int *oom)
{
    *oom = 0;
    if (n < 2)
        return NULL;
    const char **s = arena_alloc(c->a, n * sizeof *s);
    if (!s) {
        *oom = 1;
        return NULL;
    }
    memcpy(s, ids, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_str);
    for (size_t i = 1; i < n; i++)
        if (strcmp(s[i - 1], s[i]) == 0)
            return s[i];
    return NULL;
}

/* Fails when two of the n ids (stride bytes apart, starting at first) are equal. */
static enum rc unique(struct ctx *c, const void *first, size_t stride, size_t n, const char *what,
                      const char *where)
{
    if (n < 2)
        return RC_OK;
    const char **ids = arena_alloc(c->a, n * sizeof *ids);
    if (!ids)
        return nomem(c->e);
    for (size_t i = 0; i < n; i++)
        ids[i] = *(const char *const *)((const char *)first + i * stride);
    int oom;
    const char *d = duplicate(c, ids, n, &oom);
    if (oom)
        return nomem(c->e);
    if (d)
        return failf(c->e, where, "%s id \"%s\" is used twice", what, d);
    return RC_OK;
}

static const struct mf_room *find_room(const struct mf_level *l, const char *id)
{
    for (size_t i = 0; i < l->nrooms; i++)
        if (strcmp(l->rooms[i].id, id) == 0)
            return &l->rooms[i];
    return NULL;
}

/* --- elements ----------------------------------------------------------------------------- */

static enum rc parse_room(struct ctx *c, json_t *o, size_t idx, const char *lwhere,
                          const struct mf_polygon *ext, struct mf_room *r)
{
    static const char *const keys[] = {"id", "name", "finished", "polygon", NULL};
    char where[WHERE_MAX];
    wheref(where, sizeof where, "%s, room #%zu", lwhere, idx + 1);
    if (!json_is_object(o))
        return failf(c->e, where, "must be an object");
    enum rc rc = get_id(c, o, "id", where, &r->id);
    if (rc != RC_OK)
        return rc;
    wheref(where, sizeof where, "%s, room %s", lwhere, r->id);
    if ((rc = get_keys(o, keys, where, c->e)) != RC_OK ||
        (rc = get_str(c, o, "name", 1, MANIFEST_MAX_NAME, where, &r->name)) != RC_OK ||
        (rc = get_bool(o, "finished", where, &r->finished, c->e)) != RC_OK ||
        (rc = get_polygon(c, o, "polygon", where, &r->poly)) != RC_OK)
        return rc;
    for (size_t i = 0; i < r->poly.n; i++)
        if (!inside_or_on(ext, r->poly.pts[i], MANIFEST_TOLERANCE_MM))
            return failf(c->e, where, "point (%.0f, %.0f) lies outside the level's exterior",
                         r->poly.pts[i].x, r->poly.pts[i].y);
    return RC_OK;
}

/* A door (is_door) or a window of level l. */
static enum rc parse_opening(struct ctx *c, json_t *o, size_t idx, int is_door, const char *lwhere,
                             const struct mf_level *l, struct mf_opening *op)
{
    static const char *const door_keys[] = {"id", "room", "to", "at", "width", NULL};
    static const char *const window_keys[] = {"id", "room", "at", "width", NULL};
    const char *kind = is_door ? "door" : "window";
    char where[WHERE_MAX];
    wheref(where, sizeof where, "%s, %s #%zu", lwhere, kind, idx + 1);
    if (!json_is_object(o))
        return failf(c->e, where, "must be an object");
    enum rc rc = get_id(c, o, "id", where, &op->id);
    if (rc != RC_OK)
        return rc;
    wheref(where, sizeof where, "%s, %s %s", lwhere, kind, op->id);
    if ((rc = get_keys(o, is_door ? door_keys : window_keys, where, c->e)) != RC_OK ||
        (rc = get_id(c, o, "room", where, &op->room)) != RC_OK)
        return rc;
    op->to = NULL;
    if (is_door && (rc = get_str(c, o, "to", 0, MANIFEST_MAX_ID, where, &op->to)) != RC_OK)
        return rc;
    if ((rc = get_at(o, where, &op->at, c->e)) != RC_OK ||
        (rc = get_num(o, "width", is_door ? MANIFEST_DOOR_WIDTH_MIN : MANIFEST_WINDOW_WIDTH_MIN,
                      is_door ? MANIFEST_DOOR_WIDTH_MAX : MANIFEST_WINDOW_WIDTH_MAX, where,
                      &op->width, c->e)) != RC_OK)
        return rc;
    if (!find_room(l, op->room))
        return failf(c->e, where, "room \"%s\" is not a room of this level", op->room);
    if (op->to) {
        if (!*op->to || !find_room(l, op->to))
            return failf(c->e, where, "to \"%s\" is not a room of this level", op->to);
        if (strcmp(op->to, op->room) == 0)
            return failf(c->e, where, "a door cannot lead from room \"%s\" to itself", op->room);
    }
    if (!inside_or_on(&l->exterior, op->at, MANIFEST_TOLERANCE_MM))
        return failf(c->e, where, "at (%.0f, %.0f) lies outside the level's exterior", op->at.x,
                     op->at.y);
    return RC_OK;
}

/* "panos/<name>.jpg" with <name> of 1..MANIFEST_MAX_PANO_NAME bytes [A-Za-z0-9._-], not
 * starting with '.'. */
static int pano_file_ok(const char *f)
{
    size_t n = strlen(f);
    if (n < 6 + 1 + 4 || strncmp(f, "panos/", 6) != 0 || strcmp(f + n - 4, ".jpg") != 0)
        return 0;
    size_t len = n - 10;
    if (len > MANIFEST_MAX_PANO_NAME || f[6] == '.')
        return 0;
    for (size_t i = 6; i < n - 4; i++) {
        char ch = f[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '.' || ch == '_' || ch == '-'))
            return 0;
    }
    return 1;
}

static enum rc parse_pano(struct ctx *c, json_t *o, size_t idx, const char *lwhere,
                          const struct mf_level *l, struct mf_pano *p)
{
    static const char *const keys[] = {"id", "file", "at", "height", NULL};
    char where[WHERE_MAX];
    wheref(where, sizeof where, "%s, panorama #%zu", lwhere, idx + 1);
    if (!json_is_object(o))
        return failf(c->e, where, "must be an object");
    enum rc rc = get_id(c, o, "id", where, &p->id);
    if (rc != RC_OK)
        return rc;
    wheref(where, sizeof where, "%s, panorama %s", lwhere, p->id);
    if ((rc = get_keys(o, keys, where, c->e)) != RC_OK ||
        (rc = get_str(c, o, "file", 1, 6 + MANIFEST_MAX_PANO_NAME + 4, where, &p->file)) != RC_OK ||
        (rc = get_at(o, where, &p->at, c->e)) != RC_OK ||
        (rc = get_num(o, "height", MANIFEST_PANO_HEIGHT_MIN, MANIFEST_PANO_HEIGHT_MAX, where,
                      &p->height, c->e)) != RC_OK)
        return rc;
    if (!pano_file_ok(p->file))
        return failf(c->e, where,
                     "file \"%s\" must be named panos/<name>.jpg (<name>: up to %d letters, digits, "
                     "'.', '_' or '-', not starting with '.')",
                     p->file, MANIFEST_MAX_PANO_NAME);
    if (p->height >= l->height)
        return failf(c->e, where, "height %.0f is not below the level's ceiling (%.0f)", p->height,
                     l->height);
    if (!inside_or_on(&l->exterior, p->at, MANIFEST_TOLERANCE_MM))
        return failf(c->e, where, "at (%.0f, %.0f) lies outside the level's exterior", p->at.x,
                     p->at.y);
    return RC_OK;
}

static enum rc parse_level(struct ctx *c, json_t *o, size_t idx, const char *bwhere,
                           struct mf_level *l)
{
    static const char *const keys[] = {"id",    "name",  "belowGrade", "height",    "exterior",
                                       "rooms", "doors", "windows",    "panoramas", NULL};
    char where[WHERE_MAX];
    wheref(where, sizeof where, "%s, level #%zu", bwhere, idx + 1);
    if (!json_is_object(o))
        return failf(c->e, where, "must be an object");
    enum rc rc = get_id(c, o, "id", where, &l->id);
    if (rc != RC_OK)
        return rc;
    wheref(where, sizeof where, "%s, level %s", bwhere, l->id);
    json_t *rooms, *doors, *windows, *panos;
    if ((rc = get_keys(o, keys, where, c->e)) != RC_OK ||
        (rc = get_str(c, o, "name", 1, MANIFEST_MAX_NAME, where, &l->name)) != RC_OK ||
        (rc = get_bool(o, "belowGrade", where, &l->below_grade, c->e)) != RC_OK ||
        (rc = get_num(o, "height", MANIFEST_LEVEL_HEIGHT_MIN, MANIFEST_LEVEL_HEIGHT_MAX, where,
                      &l->height, c->e)) != RC_OK ||
        (rc = get_polygon(c, o, "exterior", where, &l->exterior)) != RC_OK ||
        (rc = get_array(o, "rooms", 1, MANIFEST_MAX_ROOMS, where, &rooms, c->e)) != RC_OK ||
        (rc = get_array(o, "doors", 0, MANIFEST_MAX_OPENINGS, where, &doors, c->e)) != RC_OK ||
        (rc = get_array(o, "windows", 0, MANIFEST_MAX_OPENINGS, where, &windows, c->e)) != RC_OK ||
        (rc = get_array(o, "panoramas", 0, MANIFEST_MAX_PANOS, where, &panos, c->e)) != RC_OK)
        return rc;

    l->nrooms = json_array_size(rooms);
    l->ndoors = doors ? json_array_size(doors) : 0;
    l->nwindows = windows ? json_array_size(windows) : 0;
    l->npanos = panos ? json_array_size(panos) : 0;
    l->rooms = arena_alloc(c->a, l->nrooms * sizeof *l->rooms);
    l->doors = arena_alloc(c->a, (l->ndoors ? l->ndoors : 1) * sizeof *l->doors);
    l->windows = arena_alloc(c->a, (l->nwindows ? l->nwindows : 1) * sizeof *l->windows);
    l->panos = arena_alloc(c->a, (l->npanos ? l->npanos : 1) * sizeof *l->panos);
    if (!l->rooms || !l->doors || !l->windows || !l->panos)
        return nomem(c->e);

    for (size_t i = 0; i < l->nrooms; i++)
        if ((rc = parse_room(c, json_array_get(rooms, i), i, where, &l->exterior, &l->rooms[i])) !=
            RC_OK)
            return rc;
    if ((rc = unique(c, &l->rooms[0].id, sizeof *l->rooms, l->nrooms, "room", where)) != RC_OK)
        return rc;
    for (size_t i = 0; i < l->ndoors; i++)
        if ((rc = parse_opening(c, json_array_get(doors, i), i, 1, where, l, &l->doors[i])) != RC_OK)
            return rc;
    for (size_t i = 0; i < l->nwindows; i++)
        if ((rc = parse_opening(c, json_array_get(windows, i), i, 0, where, l, &l->windows[i])) !=
            RC_OK)
            return rc;
    for (size_t i = 0; i < l->npanos; i++)
        if ((rc = parse_pano(c, json_array_get(panos, i), i, where, l, &l->panos[i])) != RC_OK)
            return rc;
    if ((rc = unique(c, &l->doors[0].id, sizeof *l->doors, l->ndoors, "door", where)) != RC_OK ||
        (rc = unique(c, &l->windows[0].id, sizeof *l->windows, l->nwindows, "window", where)) !=
            RC_OK)
        return rc;
    return RC_OK;
}

static enum rc parse_building(struct ctx *c, json_t *o, size_t idx, struct mf_building *b)
{
    static const char *const keys[] = {"id", "name", "levels", NULL};
    char where[WHERE_MAX];
    wheref(where, sizeof where, "building #%zu", idx + 1);
    if (!json_is_object(o))
        return failf(c->e, where, "must be an object");
    int64_t id = 0;
    struct err tmp = {0};
    enum rc rc = relay(jsonx_int(o, "", "id", 1, 1, MANIFEST_MAX_BUILDING_ID, &id, &tmp), &tmp,
                       where, c->e);
    if (rc != RC_OK)
        return rc;
    b->id = (int)id;
    wheref(where, sizeof where, "building %d", b->id);
    json_t *levels;
    if ((rc = get_keys(o, keys, where, c->e)) != RC_OK ||
        (rc = get_str(c, o, "name", 1, MANIFEST_MAX_NAME, where, &b->name)) != RC_OK ||
        (rc = get_array(o, "levels", 1, MANIFEST_MAX_LEVELS, where, &levels, c->e)) != RC_OK)
        return rc;
    b->nlevels = json_array_size(levels);
    if (!(b->levels = arena_alloc(c->a, b->nlevels * sizeof *b->levels)))
        return nomem(c->e);
    for (size_t i = 0; i < b->nlevels; i++)
        if ((rc = parse_level(c, json_array_get(levels, i), i, where, &b->levels[i])) != RC_OK)
            return rc;
    return unique(c, &b->levels[0].id, sizeof *b->levels, b->nlevels, "level", where);
}

/* Panorama ids and files are unique across the whole manifest: they name TAR entries. */
static enum rc unique_panos(struct ctx *c, const struct manifest *m)
{
    size_t n = 0, k = 0;
    for (size_t b = 0; b < m->nbuildings; b++)
        for (size_t l = 0; l < m->buildings[b].nlevels; l++)
            n += m->buildings[b].levels[l].npanos;
    if (n < 2)
        return RC_OK;
    const char **ids = arena_alloc(c->a, n * sizeof *ids), **files = arena_alloc(c->a, n * sizeof *files);
    if (!ids || !files)
        return nomem(c->e);
    for (size_t b = 0; b < m->nbuildings; b++)
        for (size_t l = 0; l < m->buildings[b].nlevels; l++)
            for (size_t i = 0; i < m->buildings[b].levels[l].npanos; i++) {
                ids[k] = m->buildings[b].levels[l].panos[i].id;
                files[k++] = m->buildings[b].levels[l].panos[i].file;
            }
    int oom;
    const char *d = duplicate(c, ids, n, &oom);
    if (oom)
        return nomem(c->e);
    if (d)
        return failf(c->e, "", "panorama id \"%s\" is used twice", d);
    if ((d = duplicate(c, files, n, &oom)) != NULL)
        return failf(c->e, "", "panorama file \"%s\" is used twice", d);
    return oom ? nomem(c->e) : RC_OK;
}

enum rc manifest_parse(const char *json, size_t n, struct arena *a, struct manifest *out,
                       struct err *e)
{
    static const char *const top_keys[] = {"format", "property", "buildings", NULL};
    static const char *const prop_keys[] = {"captureDate", "capturedWith", NULL};
    if (n > MANIFEST_MAX_BYTES)
        return failf(e, "", "manifest.json is %zu bytes, more than the limit of %u", n,
                     MANIFEST_MAX_BYTES);
    json_error_t je;
    json_t *root = json_loadb(n ? json : "", n, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return failf(e, "", "manifest.json is not valid JSON: %s (line %d, column %d)", je.text,
                     je.line, je.column);
    struct ctx c = {.a = a, .e = e};
    struct manifest m = {0};
    enum rc rc = RC_OK;
    json_t *prop, *buildings;
    int64_t when;
    if (!json_is_object(root)) {
        rc = failf(e, "", "manifest.json must hold a JSON object");
        goto done;
    }
    if ((rc = get_keys(root, top_keys, "", e)) != RC_OK ||
        (rc = get_str(&c, root, "format", 1, 64, "", &m.format)) != RC_OK)
        goto done;
    if (strcmp(m.format, MANIFEST_FORMAT) != 0) {
        rc = failf(e, "", "format must be \"%s\", not \"%.40s\"", MANIFEST_FORMAT, m.format);
        goto done;
    }
    prop = json_object_get(root, "property");
    if (!prop || !json_is_object(prop)) {
        rc = failf(e, "", "property must be an object with captureDate");
        goto done;
    }
    if ((rc = get_keys(prop, prop_keys, "property", e)) != RC_OK ||
        (rc = get_str(&c, prop, "captureDate", 1, 40, "property", &m.capture_date)) != RC_OK ||
        (rc = get_str(&c, prop, "capturedWith", 0, MANIFEST_MAX_TEXT, "property",
                      &m.captured_with)) != RC_OK)
        goto done;
    if (clock_parse(m.capture_date, &when) != 0) {
        rc = failf(e, "property", "captureDate must be an RFC 3339 timestamp such as "
                                  "\"2026-05-01T14:30:00Z\"");
        goto done;
    }
    if ((rc = get_array(root, "buildings", 1, MANIFEST_MAX_BUILDINGS, "", &buildings, e)) != RC_OK)
        goto done;
    m.nbuildings = json_array_size(buildings);
    if (!(m.buildings = arena_alloc(a, m.nbuildings * sizeof *m.buildings))) {
        rc = nomem(e);
        goto done;
    }
    for (size_t i = 0; i < m.nbuildings; i++) {
        if ((rc = parse_building(&c, json_array_get(buildings, i), i, &m.buildings[i])) != RC_OK)
            goto done;
        for (size_t j = 0; j < i; j++)
            if (m.buildings[j].id == m.buildings[i].id) {
                rc = failf(e, "", "building id %d is used twice", m.buildings[i].id);
                goto done;
            }
    }
    if ((rc = unique_panos(&c, &m)) != RC_OK)
        goto done;
    *out = m;
done:
    json_decref(root);
    return rc;
}
