/* test_manifest.c — pipeline/manifest: a valid manifest parses into the documented structure, and
 * each rule of docs/stitch-format.md fails with its exact message (the work order's
 * rejectionReason). Each case patches one field of a valid base manifest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <jansson.h>

#include "property/manifest.h"
#include "sample/sample.h"

static const char base[] =
    "{\"format\": \"guidepost-stitch/1\","
    " \"property\": {\"captureDate\": \"2026-05-01T14:30:00Z\", \"capturedWith\": \"test rig\"},"
    " \"buildings\": [{\"id\": 1, \"name\": \"House\", \"levels\": [{"
    "   \"id\": \"L1\", \"name\": \"Main Floor\", \"belowGrade\": false, \"height\": 2440,"
    "   \"exterior\": [[0,0],[10000,0],[10000,8000],[0,8000],[0,0]],"
    "   \"rooms\": ["
    "     {\"id\": \"R1\", \"name\": \"Kitchen\", \"finished\": true,"
    "      \"polygon\": [[200,200],[4950,200],[4950,7800],[200,7800],[200,200]]},"
    "     {\"id\": \"R2\", \"name\": \"Living Room\", \"finished\": false,"
    "      \"polygon\": [[5050,200],[9800,200],[9800,7800],[5050,7800],[5050,200]]}],"
    "   \"doors\": ["
    "     {\"id\": \"D1\", \"room\": \"R1\", \"to\": \"R2\", \"at\": [5000,4000], \"width\": 810},"
    "     {\"id\": \"D2\", \"room\": \"R1\", \"at\": [100,4000], \"width\": 915}],"
    "   \"windows\": [{\"id\": \"W1\", \"room\": \"R2\", \"at\": [7500,100], \"width\": 1200}],"
    "   \"panoramas\": ["
    "     {\"id\": \"P1\", \"file\": \"panos/P1.jpg\", \"at\": [2500,4000], \"height\": 1500},"
    "     {\"id\": \"P2\", \"file\": \"panos/P2.jpg\", \"at\": [7500.5,4000], \"height\": 1500}]"
    " }]}]}";

#define LV "building 1, level L1"

/* Sets the value at path ("a/0/b": object keys and array indexes; an index equal to the array's
 * size appends) to the JSON text value, or deletes it when value is NULL. */
static void patch(json_t *root, const char *path, const char *value)
{
    char buf[200];
    snprintf(buf, sizeof buf, "%s", path);
    json_t *cur = root;
    char *save, *seg = strtok_r(buf, "/", &save);
    while (seg) {
        char *next = strtok_r(NULL, "/", &save);
        json_t *v = NULL;
        if (value) {
            json_error_t je;
            v = json_loads(value, JSON_DECODE_ANY, &je);
            if (!v)
                fail_msg("bad patch value %s: %s", value, je.text);
        }
        if (json_is_array(cur)) {
            size_t i = strtoul(seg, NULL, 10);
            if (!next) {
                if (!value)
                    json_array_remove(cur, i);
                else if (i == json_array_size(cur))
                    json_array_append_new(cur, v);
                else
                    json_array_set_new(cur, i, v);
                return;
            }
            json_decref(v);
            cur = json_array_get(cur, i);
        } else {
            if (!next) {
                if (!value)
                    json_object_del(cur, seg);
                else
                    json_object_set_new(cur, seg, v);
                return;
            }
            json_decref(v);
            cur = json_object_get(cur, seg);
        }
        assert_non_null(cur);
        seg = next;
    }
}

/* Parses base with one patch; returns the rc and leaves the message in e. */
static enum rc parse_patched(const char *path, const char *value, struct err *e)
{
    json_error_t je;
    json_t *root = json_loads(base, 0, &je);
    assert_non_null(root);
    if (path)
        patch(root, path, value);
    char *s = json_dumps(root, 0);
    json_decref(root);
    struct arena *a = arena_new();
    struct manifest m;
    enum rc rc = manifest_parse(s, strlen(s), a, &m, e);
    arena_free(a);
    free(s);
    return rc;
}

static void t_valid(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct manifest m;
    struct err e = {0};
    assert_int_equal(manifest_parse(base, strlen(base), a, &m, &e), RC_OK);
    assert_string_equal(m.format, MANIFEST_FORMAT);
    assert_string_equal(m.capture_date, "2026-05-01T14:30:00Z");
    assert_string_equal(m.captured_with, "test rig");
    assert_int_equal(m.nbuildings, 1);
    assert_int_equal(m.buildings[0].id, 1);
    const struct mf_level *l = &m.buildings[0].levels[0];
    assert_string_equal(l->id, "L1");
    assert_false(l->below_grade);
    assert_true(l->height == 2440);
    assert_int_equal(l->exterior.n, 4); /* the closing repeat is not stored */
    assert_int_equal(l->nrooms, 2);
    assert_true(l->rooms[0].finished);
    assert_false(l->rooms[1].finished);
    assert_string_equal(l->rooms[1].name, "Living Room");
    assert_int_equal(l->rooms[1].poly.n, 4);
    assert_true(l->rooms[1].poly.pts[1].x == 9800 && l->rooms[1].poly.pts[1].y == 200);
    assert_int_equal(l->ndoors, 2);
    assert_string_equal(l->doors[0].to, "R2");
    assert_null(l->doors[1].to);
    assert_int_equal(l->nwindows, 1);
    assert_null(l->windows[0].to);
    assert_true(l->windows[0].width == 1200);
    assert_int_equal(l->npanos, 2);
    assert_string_equal(l->panos[1].file, "panos/P2.jpg");
    assert_true(l->panos[1].at.x == 7500.5);
    arena_free(a);
    /* Optional parts may be left out. */
    assert_int_equal(parse_patched("buildings/0/levels/0/doors", NULL, &e), RC_OK);
    assert_int_equal(parse_patched("buildings/0/levels/0/panoramas", "null", &e), RC_OK);
    assert_int_equal(parse_patched("property/capturedWith", NULL, &e), RC_OK);
    /* Repeated consecutive points are dropped, a point within 10 mm outside the exterior is on it. */
    assert_int_equal(parse_patched("buildings/0/levels/0/rooms/1/polygon",
                                   "[[5050,200],[9800,200],[9800,200],[10009,7800],[5050,7800],"
                                   "[5050,200]]", &e), RC_OK);
    /* Every sample generator manifest parses. */
    for (int levels = 1; levels <= 4; levels++) {
        struct sample_options o = sample_defaults();
        o.levels = levels;
        o.rooms = levels * 5;
        o.panos = levels * 3;
        char *json;
        size_t n;
        a = arena_new();
        assert_int_equal(sample_manifest(&o, a, &json, &n, &e), RC_OK);
        if (manifest_parse(json, n, a, &m, &e) != RC_OK)
            fail_msg("sample manifest with %d levels rejected: %s", levels, e.msg);
        arena_free(a);
    }
}

struct rule {
    const char *path, *value, *want;
};

static const struct rule rules[] = {
    {"format", "\"guidepost-stitch/2\"",
     "format must be \"guidepost-stitch/1\", not \"guidepost-stitch/2\""},
    {"format", NULL, "format is required"},
    {"format", "1", "format must be a string"},
    {"extra", "{}", "unknown field \"extra\""},
    {"property", NULL, "property must be an object with captureDate"},
    {"property/captureDate", "\"yesterday\"",
     "property: captureDate must be an RFC 3339 timestamp such as \"2026-05-01T14:30:00Z\""},
    {"property/captureDate", "\"2026-02-30T10:00:00Z\"",
     "property: captureDate must be an RFC 3339 timestamp such as \"2026-05-01T14:30:00Z\""},
    {"property/captureDate", NULL, "property: captureDate is required"},
    {"property/camera", "\"x\"", "property: unknown field \"camera\""},
    {"buildings", "[]", "buildings must not be empty"},
    {"buildings", "{}", "buildings must be an array"},
    {"buildings/0", "7", "building #1: must be an object"},
    {"buildings/0/id", "0", "building #1: id must be between 1 and 1000000"},
    {"buildings/0/id", "1.5", "building #1: id must be an integer"},
    {"buildings/0/name", NULL, "building 1: name is required"},
    {"buildings/0/levels", "[]", "building 1: levels must not be empty"},
    {"buildings/0/levels/0/id", "\"L 1\"",
     "building 1, level #1: id may hold only letters, digits, '.', '_' and '-'"},
    {"buildings/0/levels/0/id", "\"L123456789012345678901234567890123\"",
     "building 1, level #1: id must be at most 32 bytes"},
    {"buildings/0/levels/0/belowGrade", "1", LV ": belowGrade must be true or false"},
    {"buildings/0/levels/0/height", "500", LV ": height must be between 1000 and 20000 (mm), not 500"},
    {"buildings/0/levels/0/height", "\"2440\"", LV ": height must be a number"},
    {"buildings/0/levels/0/exterior", "[[0,0],[10000,0],[10000,8000],[0,8000]]",
     LV ": exterior is not closed (its last point must equal its first)"},
    {"buildings/0/levels/0/exterior", "[[0,0],[2000000,0],[10000,8000],[0,0]]",
     LV ": exterior point 2 (2e+06, 0) is outside the coordinate bounds of ±1000000 mm"},
    {"buildings/0/levels/0/exterior", "[[0,0]]",
     LV ": exterior needs at least 3 distinct points"},
    {"buildings/0/levels/0/exterior", "{}", LV ": exterior must be an array of [x, y] points"},
    {"buildings/0/levels/0/rooms", "[]", LV ": rooms must not be empty"},
    {"buildings/0/levels/0/rooms/0/polygon", "[[200,200],[4950,200],[4950,7800],[200,7800]]",
     LV ", room R1: polygon is not closed (its last point must equal its first)"},
    {"buildings/0/levels/0/rooms/0/polygon", "[[200,200],[300,300],[200,200]]",
     LV ", room R1: polygon needs at least 3 distinct points"},
    {"buildings/0/levels/0/rooms/0/polygon", "[[200,200],[300,200],[400,200],[200,200]]",
     LV ", room R1: polygon has no area (its points lie on one line)"},
    {"buildings/0/levels/0/rooms/0/polygon", "[[200,200],[4000,4000],[4000,200],[200,4000],[200,200]]",
     LV ", room R1: polygon intersects itself: edge (200, 200)-(4000, 4000) meets edge "
        "(4000, 200)-(200, 4000)"},
    {"buildings/0/levels/0/rooms/0/polygon", "[[200,200],[4000,200],[4000,4000],[200,200],[200,4000],[4000,4000],[200,200]]",
     LV ", room R1: polygon intersects itself: edge (200, 200)-(4000, 200) meets edge "
        "(4000, 4000)-(200, 200)"},
    {"buildings/0/levels/0/rooms/0/polygon", "[[200,200],[201,200],[200,201.5],[200,200]]",
     LV ", room R1: polygon has no area (less than 1 mm²)"},
    {"buildings/0/levels/0/rooms/0/polygon",
     "[[200,200],[4000,200],[4000,4000],[4000,1000],[200,4000],[200,200]]",
     LV ", room R1: polygon intersects itself: it doubles back at (4000, 4000)"},
    {"buildings/0/levels/0/rooms/0/polygon", "[[200,200],[12000,200],[12000,7800],[200,200]]",
     LV ", room R1: point (12000, 200) lies outside the level's exterior"},
    {"buildings/0/levels/0/rooms/0/polygon", "[[200,200],[4950,200],[4950],[200,7800],[200,200]]",
     LV ", room R1: polygon point 3 must be [x, y] with two numbers (mm)"},
    {"buildings/0/levels/0/rooms/0/name", "\"Kit\\u0001chen\"",
     LV ", room R1: name must not contain control characters"},
    {"buildings/0/levels/0/rooms/0/finished", NULL, LV ", room R1: finished is required"},
    {"buildings/0/levels/0/rooms/0/area", "12", LV ", room R1: unknown field \"area\""},
    {"buildings/0/levels/0/rooms/1/id", "\"R1\"", LV ": room id \"R1\" is used twice"},
    {"buildings/0/levels/0/doors/0/room", "\"R9\"",
     LV ", door D1: room \"R9\" is not a room of this level"},
    {"buildings/0/levels/0/doors/0/to", "\"R9\"",
     LV ", door D1: to \"R9\" is not a room of this level"},
    {"buildings/0/levels/0/doors/0/to", "\"R1\"",
     LV ", door D1: a door cannot lead from room \"R1\" to itself"},
    {"buildings/0/levels/0/doors/0/width", "100",
     LV ", door D1: width must be between 300 and 6000 (mm), not 100"},
    {"buildings/0/levels/0/doors/0/at", "[20000,4000]",
     LV ", door D1: at (20000, 4000) lies outside the level's exterior"},
    {"buildings/0/levels/0/doors/1/id", "\"D1\"", LV ": door id \"D1\" is used twice"},
    {"buildings/0/levels/0/windows/0/to", "\"R1\"", LV ", window W1: unknown field \"to\""},
    {"buildings/0/levels/0/windows/0/at", NULL, LV ", window W1: at is required"},
    {"buildings/0/levels/0/windows/0/width", "50",
     LV ", window W1: width must be between 100 and 20000 (mm), not 50"},
    {"buildings/0/levels/0/panoramas/0/file", "\"P1.jpg\"",
     LV ", panorama P1: file \"P1.jpg\" must be named panos/<name>.jpg (<name>: up to 64 letters, "
        "digits, '.', '_' or '-', not starting with '.')"},
    {"buildings/0/levels/0/panoramas/0/file", "\"panos/.hidden.jpg\"",
     LV ", panorama P1: file \"panos/.hidden.jpg\" must be named panos/<name>.jpg (<name>: up to 64 "
        "letters, digits, '.', '_' or '-', not starting with '.')"},
    {"buildings/0/levels/0/panoramas/0/height", "2440",
     LV ", panorama P1: height 2440 is not below the level's ceiling (2440)"},
    {"buildings/0/levels/0/panoramas/0/height", "50",
     LV ", panorama P1: height must be between 100 and 5000 (mm), not 50"},
    {"buildings/0/levels/0/panoramas/0/at", "[2500,-400]",
     LV ", panorama P1: at (2500, -400) lies outside the level's exterior"},
    {"buildings/0/levels/0/panoramas/1/id", "\"P1\"", "panorama id \"P1\" is used twice"},
    {"buildings/0/levels/0/panoramas/1/file", "\"panos/P1.jpg\"",
     "panorama file \"panos/P1.jpg\" is used twice"},
    {"buildings/0/levels/0/panoramas", "{}", LV ": panoramas must be an array"},
};

static void t_rules(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        struct err e = {0};
        enum rc rc = parse_patched(rules[i].path, rules[i].value, &e);
        if (rc != RC_INVALID || strcmp(e.msg, rules[i].want) != 0)
            fail_msg("%s = %s: got %d \"%s\"\n  want \"%s\"", rules[i].path,
                     rules[i].value ? rules[i].value : "(deleted)", rc, e.msg, rules[i].want);
    }
}

/* Rules that need more than one patch, and the text-level ones. */
static void t_structure(void **state)
{
    (void)state;
    struct err e = {0};
    struct arena *a = arena_new();
    struct manifest m;
    json_error_t je;
    json_t *root = json_loads(base, 0, &je);
    json_t *b = json_array_get(json_object_get(root, "buildings"), 0);
    json_array_append_new(json_object_get(root, "buildings"), json_deep_copy(b));
    char *s = json_dumps(root, 0);
    assert_int_equal(manifest_parse(s, strlen(s), a, &m, &e), RC_INVALID);
    assert_string_equal(e.msg, "building id 1 is used twice");
    free(s);
    json_t *levels = json_object_get(b, "levels");
    json_array_append_new(levels, json_deep_copy(json_array_get(levels, 0)));
    s = json_dumps(root, 0);
    assert_int_equal(manifest_parse(s, strlen(s), a, &m, &e), RC_INVALID);
    assert_string_equal(e.msg, "building 1: level id \"L1\" is used twice");
    free(s);
    json_decref(root);

    /* Array limits. */
    root = json_loads(base, 0, &je);
    json_t *rooms = json_object_get(
        json_array_get(json_object_get(json_array_get(json_object_get(root, "buildings"), 0),
                                       "levels"), 0), "rooms");
    while (json_array_size(rooms) <= MANIFEST_MAX_ROOMS)
        json_array_append_new(rooms, json_deep_copy(json_array_get(rooms, 0)));
    s = json_dumps(root, 0);
    assert_int_equal(manifest_parse(s, strlen(s), a, &m, &e), RC_INVALID);
    assert_string_equal(e.msg, LV ": rooms has 201 entries, more than the limit of 200");
    free(s);
    json_decref(root);

    static const struct {
        const char *text, *prefix;
    } texts[] = {
        {"{", "manifest.json is not valid JSON: "},
        {"", "manifest.json is not valid JSON: "},
        {"[]", "manifest.json must hold a JSON object"},
        {"{\"format\": \"guidepost-stitch/1\", \"format\": \"guidepost-stitch/1\"}",
         "manifest.json is not valid JSON: duplicate object key"},
        {"{} {}", "manifest.json is not valid JSON: "},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        assert_int_equal(manifest_parse(texts[i].text, strlen(texts[i].text), a, &m, &e),
                         RC_INVALID);
        if (strncmp(e.msg, texts[i].prefix, strlen(texts[i].prefix)) != 0)
            fail_msg("\"%s\": got \"%s\"", texts[i].text, e.msg);
    }
    /* The size limit is checked before parsing. */
    size_t big = MANIFEST_MAX_BYTES + 1;
    char *huge = malloc(big);
    memset(huge, ' ', big);
    assert_int_equal(manifest_parse(huge, big, a, &m, &e), RC_INVALID);
    assert_string_equal(e.msg, "manifest.json is 4194305 bytes, more than the limit of 4194304");
    free(huge);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_valid),
        cmocka_unit_test(t_rules),
        cmocka_unit_test(t_structure),
    };
    return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}
