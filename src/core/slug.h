/* slug.h — URL slugs for iGUIDE aliases ("200_university_ave_waterloo_on", as in the
 * "Your first iGUIDE" tutorial, Step 3). */
#ifndef GP_SLUG_H
#define GP_SLUG_H

#include <stddef.h>

#define SLUG_MAX 96

/* Appends the slug form of s to out (cap bytes incl. NUL): ASCII letters and digits lower-cased,
 * every other run of characters one '_', Latin-1 accented letters folded to their base letter,
 * no leading or trailing '_'. Returns the new length of out. */
size_t slug_append(char *out, size_t cap, const char *s);

#endif
