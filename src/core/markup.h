/* markup.h — the one escaper for text that goes into HTML or XML (viewer pages, S3 answers, the
 * exchange add-ons). One form is valid in both languages, in element content and in quoted
 * attribute values alike, so a caller never has to know which context it writes into. */
#ifndef GP_MARKUP_H
#define GP_MARKUP_H

#include "core/buf.h"

/* Appends s (NULL appends nothing) with & < > " ' as &amp; &lt; &gt; &quot; &#39; and C0 control
 * characters other than tab, LF and CR dropped (XML 1.0 cannot carry them); other bytes,
 * UTF-8 included, pass through. Returns 0 or buf_append's error (sticky in b). */
int markup_escape(struct buf *b, const char *s);

#endif
