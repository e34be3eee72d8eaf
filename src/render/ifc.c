/* ifc.c — a minimal, valid IFC4 spatial structure. Lengths are millimetres (IfcSIUnit MILLI
 * METRE), as in the manifest. Levels above grade stack upward from elevation 0 in manifest order,
 * levels below grade downward from 0 in manifest order. Strings use the STEP encodings: '' for
 * a quote, \\ for a backslash, \X2\hhhh\X0\ for anything outside printable ASCII. */
#include "render/ifc.h"

#include "core/crypto.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct w {
    struct buf *out;
    long next;                            /* next entity number */
    const char *seed;                     /* GlobalId seed: the iGUIDE id */
};

/* Starts entity #n= and returns n. */
static long ent(struct w *w)
{
    long n = w->next++;
    buf_printf(w->out, "#%ld=", n);
    return n;
}

/* A STEP string literal with quotes. */
static void str(struct w *w, const char *s)
{
    buf_printf(w->out, "'");
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p && !buf_err(w->out)) {
        unsigned cp = *p;
        int len = 1;
        if (*p >= 0x80) {
            if ((*p & 0xe0) == 0xc0 && p[1]) {
                cp = ((p[0] & 0x1fu) << 6) | (p[1] & 0x3fu);
                len = 2;
            } else if ((*p & 0xf0) == 0xe0 && p[1] && p[2]) {
                cp = ((p[0] & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu);
                len = 3;
            } else {
                cp = '?';
                len = (*p & 0xf8) == 0xf0 && p[1] && p[2] && p[3] ? 4 : 1;
            }
        }
        if (cp == '\'')
            buf_printf(w->out, "''");
        else if (cp == '\\')
            buf_printf(w->out, "\\\\");
        else if (cp >= 0x20 && cp < 0x7f)
            buf_printf(w->out, "%c", (char)cp);
        else if (cp >= 0x80)
            buf_printf(w->out, "\\X2\\%04X\\X0\\", cp);
        p += len;
    }
    buf_printf(w->out, "'");
}

/* An IFC GlobalId: 128 bits of SHA-256(seed/kind/a/b) in the 22-character IFC base64. */
static void guid(struct w *w, const char *kind, const char *a, const char *b)
{
    static const char al[] =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_$";
    char in[400];
    unsigned char h[32];
    int n = snprintf(in, sizeof in, "%s/%s/%s/%s", w->seed, kind, a ? a : "", b ? b : "");
    crypto_sha256(in, n > 0 ? (size_t)n : 0, h);
    char g[23];
    /* The first 16 bytes as one 128-bit number: 2 bits, then 21 groups of 6 bits. */
    g[0] = al[(h[0] >> 6) & 3];
    g[1] = al[h[0] & 0x3f];
    unsigned acc = 0;
    int bits = 0, gi = 2, hi = 1;
    while (gi < 22) {
        acc = (acc << 8) | h[hi++];
        bits += 8;
        while (bits >= 6 && gi < 22) {
            g[gi++] = al[(acc >> (bits - 6)) & 63];
            bits -= 6;
        }
        acc &= (1u << bits) - 1;
    }
    g[22] = '\0';
    buf_printf(w->out, "'%s'", g);
}

static long point2(struct w *w, double x, double y)
{
    long n = ent(w);
    buf_printf(w->out, "IFCCARTESIANPOINT((%.1f,%.1f));\n", x, y);
    return n;
}

static long placement(struct w *w, long rel, double z, long origin3, long zdir, long xdir)
{
    long p = origin3;
    if (z != 0) {
        p = ent(w);
        buf_printf(w->out, "IFCCARTESIANPOINT((0.,0.,%.1f));\n", z);
    }
    long ax = ent(w);
    buf_printf(w->out, "IFCAXIS2PLACEMENT3D(#%ld,#%ld,#%ld);\n", p, zdir, xdir);
    long lp = ent(w);
    if (rel)
        buf_printf(w->out, "IFCLOCALPLACEMENT(#%ld,#%ld);\n", rel, ax);
    else
        buf_printf(w->out, "IFCLOCALPLACEMENT($,#%ld);\n", ax);
    return lp;
}

static void aggregate(struct w *w, const char *kind, const char *a, const char *b, long whole,
                      const long *parts, size_t n)
{
    if (n == 0)
        return;
    ent(w);
    buf_printf(w->out, "IFCRELAGGREGATES(");
    guid(w, kind, a, b);
    buf_printf(w->out, ",$,$,$,#%ld,(", whole);
    for (size_t i = 0; i < n; i++)
        buf_printf(w->out, "%s#%ld", i ? "," : "", parts[i]);
    buf_printf(w->out, "));\n");
}

enum rc ifc_model(const struct measurements *ms, const struct deliver_info *info, struct buf *out,
                  struct err *e)
{
    struct w w = {out, 1, info && info->iguide_id ? info->iguide_id : "guidepost"};
    const struct manifest *m = ms->src;
    char stamp[20] = "1970-01-01T00:00:00";
    if (m->capture_date && strlen(m->capture_date) >= 19)
        memcpy(stamp, m->capture_date, 19);
    const char *title = info && info->title ? info->title : "Guidepost model";

    buf_printf(w.out,
               "ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('ViewDefinition [ReferenceView_V1.2]'),"
               "'2;1');\nFILE_NAME(");
    str(&w, "model.ifc");
    buf_printf(w.out, ",'%s',('Guidepost'),('Guidepost'),'Guidepost','Guidepost','');\n", stamp);
    buf_printf(w.out, "FILE_SCHEMA(('IFC4'));\nENDSEC;\nDATA;\n");

    long org = ent(&w);
    buf_printf(w.out, "IFCORGANIZATION($,'Guidepost',$,$,$);\n");
    ent(&w);
    buf_printf(w.out, "IFCAPPLICATION(#%ld,'1','Guidepost','Guidepost');\n", org);
    long u_len = ent(&w);
    buf_printf(w.out, "IFCSIUNIT(*,.LENGTHUNIT.,.MILLI.,.METRE.);\n");
    long u_area = ent(&w);
    buf_printf(w.out, "IFCSIUNIT(*,.AREAUNIT.,$,.SQUARE_METRE.);\n");
    long u_vol = ent(&w);
    buf_printf(w.out, "IFCSIUNIT(*,.VOLUMEUNIT.,$,.CUBIC_METRE.);\n");
    long u_ang = ent(&w);
    buf_printf(w.out, "IFCSIUNIT(*,.PLANEANGLEUNIT.,$,.RADIAN.);\n");
    long units = ent(&w);
    buf_printf(w.out, "IFCUNITASSIGNMENT((#%ld,#%ld,#%ld,#%ld));\n", u_len, u_area, u_vol, u_ang);
    long origin = ent(&w);
    buf_printf(w.out, "IFCCARTESIANPOINT((0.,0.,0.));\n");
    long zdir = ent(&w);
    buf_printf(w.out, "IFCDIRECTION((0.,0.,1.));\n");
    long xdir = ent(&w);
    buf_printf(w.out, "IFCDIRECTION((1.,0.,0.));\n");
    long world = ent(&w);
    buf_printf(w.out, "IFCAXIS2PLACEMENT3D(#%ld,#%ld,#%ld);\n", origin, zdir, xdir);
    long ctx = ent(&w);
    buf_printf(w.out, "IFCGEOMETRICREPRESENTATIONCONTEXT($,'Model',3,1.E-05,#%ld,$);\n", world);
    long body = ent(&w);
    buf_printf(
        w.out,
        "IFCGEOMETRICREPRESENTATIONSUBCONTEXT('Body','Model',*,*,*,*,#%ld,$,.MODEL_VIEW.,$);\n",
        ctx);
    long project = ent(&w);
    buf_printf(w.out, "IFCPROJECT(");
    guid(&w, "project", NULL, NULL);
    buf_printf(w.out, ",$,");
    str(&w, title);
    buf_printf(w.out, ",$,$,$,$,(#%ld),#%ld);\n", ctx, units);
    long site_pl = placement(&w, 0, 0, origin, zdir, xdir);
    long site = ent(&w);
    buf_printf(w.out, "IFCSITE(");
    guid(&w, "site", NULL, NULL);
    buf_printf(w.out, ",$,'Site',$,$,#%ld,$,$,.ELEMENT.,$,$,$,$,$);\n", site_pl);
    aggregate(&w, "rel", "project", NULL, project, &site, 1);

    long bids[MANIFEST_MAX_BUILDINGS];
    size_t nb = 0;
    for (size_t b = 0; b < ms->nbuildings && nb < MANIFEST_MAX_BUILDINGS; b++) {
        const struct meas_building *mb = &ms->buildings[b];
        char bid[16];
        snprintf(bid, sizeof bid, "%d", mb->src->id);
        long bpl = placement(&w, site_pl, 0, origin, zdir, xdir);
        long bent = ent(&w);
        bids[nb++] = bent;
        buf_printf(w.out, "IFCBUILDING(");
        guid(&w, "building", bid, NULL);
        buf_printf(w.out, ",$,");
        str(&w, mb->src->name);
        buf_printf(w.out, ",$,$,#%ld,$,$,.ELEMENT.,$,$,$);\n", bpl);

        /* Elevations: the levels above grade stack up from 0 in manifest order, those below
         * grade stack down from 0 in manifest order (the first one listed is the highest). */
        double up = 0, down = 0;
        long storeys[MANIFEST_MAX_LEVELS];
        size_t ns = 0;
        for (size_t l = 0; l < mb->nlevels && ns < MANIFEST_MAX_LEVELS; l++) {
            const struct meas_level *ml = &mb->levels[l];
            const struct mf_level *lv = ml->src;
            double z;
            if (lv->below_grade) {
                down -= lv->height;
                z = down;
            } else {
                z = up;
                up += lv->height;
            }
            long spl = placement(&w, bpl, z, origin, zdir, xdir);
            long sent = ent(&w);
            storeys[ns++] = sent;
            buf_printf(w.out, "IFCBUILDINGSTOREY(");
            guid(&w, "storey", bid, lv->id);
            buf_printf(w.out, ",$,");
            str(&w, lv->name);
            buf_printf(w.out, ",$,$,#%ld,$,$,.ELEMENT.,%.1f);\n", spl, z);

            long spaces[MANIFEST_MAX_ROOMS];
            size_t nsp = 0;
            for (size_t r = 0; r < lv->nrooms && nsp < MANIFEST_MAX_ROOMS; r++) {
                const struct mf_room *room = &lv->rooms[r];
                const struct mf_polygon *p = &room->poly;
                long first = 0;
                /* Points first, then the polyline that lists them and closes on the first. */
                long p0 = w.next;
                for (size_t i = 0; i < p->n; i++) {
                    long id = point2(&w, p->pts[i].x, p->pts[i].y);
                    if (i == 0)
                        first = id;
                }
                long pl = ent(&w);
                buf_printf(w.out, "IFCPOLYLINE((");
                for (size_t i = 0; i < p->n; i++)
                    buf_printf(w.out, "#%ld,", p0 + (long)i);
                buf_printf(w.out, "#%ld));\n", first);
                long prof = ent(&w);
                buf_printf(w.out, "IFCARBITRARYCLOSEDPROFILEDEF(.AREA.,");
                str(&w, room->name);
                buf_printf(w.out, ",#%ld);\n", pl);
                long solid = ent(&w);
                buf_printf(w.out, "IFCEXTRUDEDAREASOLID(#%ld,#%ld,#%ld,%.1f);\n", prof, world, zdir,
                           lv->height);
                long rep = ent(&w);
                buf_printf(w.out, "IFCSHAPEREPRESENTATION(#%ld,'Body','SweptSolid',(#%ld));\n",
                           body, solid);
                long pds = ent(&w);
                buf_printf(w.out, "IFCPRODUCTDEFINITIONSHAPE($,$,(#%ld));\n", rep);
                long rpl = placement(&w, spl, 0, origin, zdir, xdir);
                long sp = ent(&w);
                spaces[nsp++] = sp;
                buf_printf(w.out, "IFCSPACE(");
                guid(&w, "space", bid, room->id);
                buf_printf(w.out, ",$,");
                str(&w, room->id);
                buf_printf(w.out, ",$,$,#%ld,#%ld,", rpl, pds);
                str(&w, room->name);
                buf_printf(w.out, ",.ELEMENT.,.INTERNAL.,$);\n");
            }
            aggregate(&w, "rel-storey", bid, lv->id, sent, spaces, nsp);
        }
        aggregate(&w, "rel-building", bid, NULL, bent, storeys, ns);
    }
    aggregate(&w, "rel", "site", NULL, site, bids, nb);
    buf_printf(w.out, "ENDSEC;\nEND-ISO-10303-21;\n");
    if (buf_err(w.out) == -2)
        return err_set(e, RC_TOOLARGE, "IFC model exceeds %zu bytes", out->max);
    if (buf_err(w.out))
        return err_set(e, RC_NOMEM, "out of memory");
    return RC_OK;
}
