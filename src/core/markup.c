/* markup.c — see markup.h. &#39; rather than &apos;: HTML 4 has no &apos;, and the numeric form
 * means the same in every HTML and XML parser. */
#include "core/markup.h"

int markup_escape(struct buf *b, const char *s)
{
    if (!s)
        return buf_err(b);
    const char *run = s;
    for (const char *p = s;; p++) {
        unsigned char c = (unsigned char)*p;
        const char *rep;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        case '\0': return buf_append(b, run, (size_t)(p - run));
        case '\t':
        case '\n':
        case '\r': continue;
        default:
            if (c >= 0x20)
                continue;
            rep = ""; /* a control character: dropped */
        }
        /* Runs of plain bytes go in one append; the buffer's error is sticky, so later appends
         * after a failure return the same code without writing. */
        int rc = buf_append(b, run, (size_t)(p - run));
        if (rc || (rc = buf_puts(b, rep)))
            return rc;
        run = p + 1;
    }
}
