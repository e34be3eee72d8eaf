/* xml.c — the parser accepts exactly the shape clients send (botocore, JS v3, ceph s3-tests):
 * an optional declaration, <CompleteMultipartUpload> with <Part> children holding PartNumber,
 * ETag and optional Checksum* elements. Everything is bounded; nothing is recursive. */
#include "s3/xml.h"

#include "core/markup.h"

#include <stdlib.h>
#include <string.h>

int s3_xml_elem(struct buf *b, const char *tag, const char *text)
{
    return buf_printf(b, "<%s>", tag) || markup_escape(b, text) ||
                   buf_printf(b, "</%s>", tag)
               ? -1
               : 0;
}

struct cursor {
    const char *p, *end;
};

static void skip_ws(struct cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' || *c->p == '\n'))
        c->p++;
}

/* Skips <?xml ...?> and <!-- ... --> at the current position; 0, or -1 when unterminated. */
static int skip_misc(struct cursor *c)
{
    for (;;) {
        skip_ws(c);
        const char *close = NULL;
        if (c->end - c->p >= 2 && memcmp(c->p, "<?", 2) == 0)
            close = "?>";
        else if (c->end - c->p >= 4 && memcmp(c->p, "<!--", 4) == 0)
            close = "-->";
        if (!close)
            return 0;
        const char *q = c->p;
        size_t cl = strlen(close);
        while (q + cl <= c->end && memcmp(q, close, cl) != 0)
            q++;
        if (q + cl > c->end)
            return -1;
        c->p = q + cl;
    }
}

/* Reads a tag at the cursor: "<name attrs>" or "</name>". Fills name (without prefix), sets
 * *closing. Returns 0 or -1. Self-closing tags are rejected (none are expected). */
static int read_tag(struct cursor *c, char *name, size_t cap, int *closing)
{
    if (skip_misc(c) || c->p >= c->end || *c->p != '<')
        return -1;
    c->p++;
    *closing = c->p < c->end && *c->p == '/';
    if (*closing)
        c->p++;
    size_t n = 0;
    while (c->p < c->end && *c->p != '>' && *c->p != ' ' && *c->p != '\t' && *c->p != '\r' &&
           *c->p != '\n' && *c->p != '/') {
        if (n + 1 >= cap)
            return -1;
        name[n++] = *c->p++;
    }
    name[n] = '\0';
    /* Attributes (xmlns) are skipped, quoted values whole; a self-closing tag is refused. */
    while (c->p < c->end && *c->p != '>') {
        if (*c->p == '"' || *c->p == '\'') {
            char q = *c->p++;
            while (c->p < c->end && *c->p != q)
                c->p++;
            if (c->p >= c->end)
                return -1;
        } else if (*c->p == '/' || *c->p == '<') {
            return -1;
        }
        c->p++;
    }
    if (c->p >= c->end || n == 0)
        return -1;
    c->p++;
    /* Drop a namespace prefix ("s3:Part" → "Part"). */
    char *colon = strchr(name, ':');
    if (colon)
        memmove(name, colon + 1, strlen(colon + 1) + 1);
    return 0;
}

static int digit_value(char ch, int hex)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (hex && ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (hex && ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* A numeric character reference "#65;" or "#x41;" whose digits start at s[at] (just after
 * "&#"), read only within s[0..n): the body is not NUL-terminated, so strtol, which reads until
 * a non-digit, could run past its end. Returns the index of the ';' and sets *value when the
 * reference is well formed and its value is ASCII (1 to 127), else 0. Leading zeros may be many;
 * the value is refused as soon as it passes 127, so it cannot overflow. */
static size_t char_ref(const char *s, size_t n, size_t at, unsigned *value)
{
    int hex = at < n && s[at] == 'x';
    size_t j = at + (size_t)hex, first = j;
    unsigned v = 0;
    for (; j < n; j++) {
        int d = digit_value(s[j], hex);
        if (d < 0)
            break;
        v = v * (hex ? 16u : 10u) + (unsigned)d;
        if (v > 127)
            return 0;
    }
    if (j == first || j >= n || s[j] != ';' || v == 0)
        return 0;
    *value = v;
    return j;
}

/* Decodes text up to the next '<' with the five entities and numeric references (ASCII only). */
static char *read_text(struct cursor *c, struct arena *a)
{
    const char *start = c->p;
    while (c->p < c->end && *c->p != '<')
        c->p++;
    size_t n = (size_t)(c->p - start);
    char *out = arena_alloc(a, n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (start[i] != '&') {
            out[o++] = start[i];
            continue;
        }
        static const struct {
            const char *ent;
            char ch;
        } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
        int matched = 0;
        for (size_t k = 0; k < sizeof ents / sizeof ents[0]; k++) {
            size_t el = strlen(ents[k].ent);
            if (i + el <= n && memcmp(start + i, ents[k].ent, el) == 0) {
                out[o++] = ents[k].ch;
                i += el - 1;
                matched = 1;
                break;
            }
        }
        if (!matched && i + 1 < n && start[i + 1] == '#') {
            unsigned v;
            size_t j = char_ref(start, n, i + 2, &v);
            if (j) {
                out[o++] = (char)v;
                i = j;
                matched = 1;
            }
        }
        if (!matched)
            return NULL;
    }
    out[o] = '\0';
    return out;
}

static char *trim_quotes(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == '\t'))
        s[--n] = '\0';
    while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
        s++, n--;
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
        s[n - 1] = '\0';
        s++;
    }
    return s;
}

enum rc s3_xml_parse_complete(const char *xml, size_t n, struct arena *a,
                              struct s3_complete_part **parts, size_t *nparts, struct err *e)
{
    struct cursor c = {xml, xml + n};
    char name[64];
    int closing;
    if (read_tag(&c, name, sizeof name, &closing) || closing ||
        strcmp(name, "CompleteMultipartUpload") != 0)
        return err_set(e, RC_INVALID, "expected <CompleteMultipartUpload>");
    size_t cap = 16, count = 0;
    struct s3_complete_part *out = arena_alloc(a, cap * sizeof *out);
    if (!out)
        return err_set(e, RC_NOMEM, "out of memory");
    for (;;) {
        if (read_tag(&c, name, sizeof name, &closing))
            return err_set(e, RC_INVALID, "malformed XML");
        if (closing) {
            if (strcmp(name, "CompleteMultipartUpload") != 0)
                return err_set(e, RC_INVALID, "malformed XML");
            break;
        }
        if (strcmp(name, "Part") != 0)
            return err_set(e, RC_INVALID, "unexpected element <%.40s>", name);
        if (count == S3_XML_MAX_PARTS)
            return err_set(e, RC_INVALID, "more than %d parts", S3_XML_MAX_PARTS);
        if (count == cap) {
            struct s3_complete_part *g = arena_alloc(a, 2 * cap * sizeof *out);
            if (!g)
                return err_set(e, RC_NOMEM, "out of memory");
            memcpy(g, out, count * sizeof *out);
            out = g;
            cap *= 2;
        }
        struct s3_complete_part *p = &out[count];
        memset(p, 0, sizeof *p);
        for (;;) {
            if (read_tag(&c, name, sizeof name, &closing))
                return err_set(e, RC_INVALID, "malformed XML in <Part>");
            if (closing) {
                if (strcmp(name, "Part") != 0)
                    return err_set(e, RC_INVALID, "malformed XML in <Part>");
                break;
            }
            char field[64];
            memcpy(field, name, sizeof field);
            char *text = read_text(&c, a);
            if (!text || read_tag(&c, name, sizeof name, &closing) || !closing ||
                strcmp(name, field) != 0)
                return err_set(e, RC_INVALID, "malformed <%.40s>", field);
            if (strcmp(field, "PartNumber") == 0) {
                char *endp;
                long v = strtol(text, &endp, 10);
                if (!*text || *endp || v < 1 || v > 10000)
                    return err_set(e, RC_INVALID, "PartNumber must be 1 to 10000");
                p->part_number = (int)v;
            } else if (strcmp(field, "ETag") == 0) {
                p->etag = trim_quotes(text);
            } else if (strncmp(field, "Checksum", 8) == 0) {
                p->checksum_name = arena_strdup(a, field);
                p->checksum = trim_quotes(text);
            }
            /* Other elements (e.g. Size from some tools) are ignored. */
        }
        if (!p->part_number || !p->etag)
            return err_set(e, RC_INVALID, "each <Part> needs <PartNumber> and <ETag>");
        count++;
    }
    skip_misc(&c);
    skip_ws(&c);
    if (c.p != c.end)
        return err_set(e, RC_INVALID, "data after </CompleteMultipartUpload>");
    if (!count)
        return err_set(e, RC_INVALID, "no parts given");
    *parts = out;
    *nparts = count;
    return RC_OK;
}
