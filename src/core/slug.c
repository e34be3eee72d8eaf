/* slug.c — folds the common accented Latin letters (UTF-8, U+00C0..U+00FF) so "Rue Saint-Étienne"
 * becomes "rue_saint_etienne"; anything else outside ASCII acts as a separator. */
#include "core/slug.h"

#include <string.h>

static char fold_latin1(unsigned cp)
{
    /* Index 0 is U+00C0. */
    static const char map[] = "aaaaaaaceeeeiiiidnooooo_ouuuuyts"
                              "aaaaaaaceeeeiiiidnooooo_ouuuuyty";
    if (cp >= 0xC0 && cp <= 0xFF)
        return map[cp - 0xC0];
    return '_';
}

size_t slug_append(char *out, size_t cap, const char *s)
{
    size_t n = strlen(out);
    int pending_sep = n > 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        char c;
        if (*p < 0x80) {
            c = (char)*p;
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
                c = '_';
            p++;
        } else if ((*p & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
            c = fold_latin1(((unsigned)(*p & 0x1F) << 6) | (p[1] & 0x3F));
            p += 2;
        } else {
            c = '_';
            p++;
            while ((*p & 0xC0) == 0x80)
                p++;
        }
        if (c == '_') {
            pending_sep = n > 0;
            continue;
        }
        if (pending_sep) {
            if (n + 2 >= cap)
                break;
            out[n++] = '_';
            pending_sep = 0;
        }
        if (n + 1 >= cap)
            break;
        out[n++] = c;
    }
    out[n] = '\0';
    return n;
}
