/* sample_int.h — what the sample generator's files share: the splitmix64 stream every choice
 * comes from (the same seed gives the same bytes) and the house's fixed measures. Not for use
 * outside src/sample/. */
#ifndef GP_SAMPLE_INT_H
#define GP_SAMPLE_INT_H

#include "sample/sample.h"

#include <stdint.h>

#define EXT_WALL 200   /* mm */
#define INT_WALL 100
#define MTIME 1777645800 /* 2026-05-01T14:30:00Z, the capture date: archives are reproducible */
#define CAPTURE_DATE "2026-05-01T14:30:00Z"
#define PANO_HEIGHT 1500
#define BOMB_SIZE 077777777777ull /* the largest size a plain ustar header can declare */

/* RC_OK when o is within the limits of sample.h, RC_INVALID saying which is not. */
enum rc sample_check_options(const struct sample_options *o, struct err *e);

/* The next value of the splitmix64 stream s. */
uint64_t sample_next(uint64_t *s);

/* A multiple of 10 in [lo, hi], drawn from s. */
long sample_between(uint64_t *s, long lo, long hi);

#endif
