/* fuzz_manifest.c — libFuzzer target for pipeline/manifest: any bytes as manifest.json. The parser
 * must answer RC_OK or RC_INVALID with a message (never crash, leak or read out of bounds), and an
 * accepted manifest must hold what the format promises: closed rings stored without the repeat,
 * coordinates in bounds, references that resolve. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "property/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_ring(const struct mf_polygon *p)
{
    if (p->n < 3 || p->n > MANIFEST_MAX_POINTS)
        abort();
    for (size_t i = 0; i < p->n; i++)
        if (p->pts[i].x > MANIFEST_MAX_COORD || p->pts[i].x < -MANIFEST_MAX_COORD ||
            p->pts[i].y > MANIFEST_MAX_COORD || p->pts[i].y < -MANIFEST_MAX_COORD)
            abort();
}

static int has_room(const struct mf_level *l, const char *id)
{
    for (size_t i = 0; i < l->nrooms; i++)
        if (strcmp(l->rooms[i].id, id) == 0)
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new();
    if (!a)
        return 0;
    struct manifest m;
    struct err e = {0};
    enum rc rc = manifest_parse((const char *)data, size, a, &m, &e);
    if (rc == RC_INVALID && !e.msg[0])
        abort();
    if (rc != RC_OK && rc != RC_INVALID && rc != RC_NOMEM)
        abort();
    if (rc == RC_OK) {
        if (strcmp(m.format, MANIFEST_FORMAT) != 0 || m.nbuildings < 1 ||
            m.nbuildings > MANIFEST_MAX_BUILDINGS)
            abort();
        for (size_t b = 0; b < m.nbuildings; b++)
            for (size_t l = 0; l < m.buildings[b].nlevels; l++) {
                const struct mf_level *lv = &m.buildings[b].levels[l];
                check_ring(&lv->exterior);
                for (size_t i = 0; i < lv->nrooms; i++)
                    check_ring(&lv->rooms[i].poly);
                for (size_t i = 0; i < lv->ndoors; i++)
                    if (!has_room(lv, lv->doors[i].room) ||
                        (lv->doors[i].to && !has_room(lv, lv->doors[i].to)))
                        abort();
                for (size_t i = 0; i < lv->npanos; i++)
                    if (strncmp(lv->panos[i].file, "panos/", 6) != 0 ||
                        lv->panos[i].height >= lv->height)
                        abort();
            }
    }
    arena_free(a);
    return 0;
}
