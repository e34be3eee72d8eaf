/* base64.h — the one base64 (RFC 4648) of the service: the standard alphabet, padded, for the
 * S3 checksum headers and Content-MD5 (§4); the URL alphabet, unpadded, for secrets, tokens and
 * cursors (§5). Decoding is strict everywhere: a byte string has exactly one accepted text, so
 * a value compared or hashed as text cannot be spelt two ways. */
#ifndef GP_BASE64_H
#define GP_BASE64_H

#include <stddef.h>

#define B64_URL   1 /* the URL-safe alphabet ('-' '_' for 62 and 63) instead of '+' '/' */
#define B64_NOPAD 2 /* no '=': the encoder writes none and the decoder accepts none */

/* Bytes of out that b64_encode needs for n input bytes in any form, NUL included (a constant
 * expression for sizing arrays). */
#define B64_ENC_SIZE(n) (((n) + 2) / 3 * 4 + 1)

/* Length of the text of n bytes in form flags (without the NUL); SIZE_MAX when it would overflow. */
size_t b64_encoded_len(size_t n, int flags);

/* Encodes p[0..n) in form flags into out (cap bytes, NUL-terminated); returns the text's length,
 * or -1 (out untouched) when cap is too small. */
long b64_encode(const void *p, size_t n, int flags, char *out, size_t cap);

/* Decodes s[0..n) in form flags into out (cap bytes); returns the byte count, or -1 when the
 * text is not the canonical encoding in that form (a character outside the alphabet, '='
 * misplaced, missing or forbidden, a length no encoding has, non-zero unused bits) or the bytes
 * do not fit in cap. */
long b64_decode(const char *s, size_t n, int flags, unsigned char *out, size_t cap);

#endif
