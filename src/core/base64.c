/* base64.c — see base64.h. */
#include "core/base64.h"

#include <limits.h>
#include <stdint.h>

static const char std_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char url_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t b64_encoded_len(size_t n, int flags)
{
    if (n / 3 > (SIZE_MAX - 4) / 4)
        return SIZE_MAX;
    if (!(flags & B64_NOPAD))
        return (n + 2) / 3 * 4;
    return n / 3 * 4 + (n % 3 ? n % 3 + 1 : 0);
}

long b64_encode(const void *p, size_t n, int flags, char *out, size_t cap)
{
    const unsigned char *s = p;
    const char *al = flags & B64_URL ? url_alphabet : std_alphabet;
    size_t need = b64_encoded_len(n, flags);
    if (need >= (size_t)LONG_MAX || cap <= need)
        return -1;
    size_t o = 0, i = 0;
    for (; i + 2 < n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
        out[o++] = al[v >> 18];
        out[o++] = al[(v >> 12) & 63];
        out[o++] = al[(v >> 6) & 63];
        out[o++] = al[v & 63];
    }
    if (n - i) {
        uint32_t v = (uint32_t)s[i] << 16 | (n - i == 2 ? (uint32_t)s[i + 1] << 8 : 0);
        out[o++] = al[v >> 18];
        out[o++] = al[(v >> 12) & 63];
        if (n - i == 2)
            out[o++] = al[(v >> 6) & 63];
        if (!(flags & B64_NOPAD)) {
            if (n - i == 1)
                out[o++] = '=';
            out[o++] = '=';
        }
    }
    out[o] = '\0';
    return (long)o;
}

static int value(unsigned char c, int url)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == (url ? '-' : '+'))
        return 62;
    if (c == (url ? '_' : '/'))
        return 63;
    return -1;
}

long b64_decode(const char *s, size_t n, int flags, unsigned char *out, size_t cap)
{
    size_t data = n;
    if (!(flags & B64_NOPAD)) {
        if (n % 4)
            return -1;
        /* At most two '=', only at the very end. */
        if (data && s[data - 1] == '=')
            data--;
        if (data && s[data - 1] == '=' && data % 4 == 3)
            data--;
    }
    /* One leftover character carries 6 bits, never a whole byte: no encoding ends that way. */
    if (data % 4 == 1)
        return -1;
    if (data / 4 * 3 + (data % 4 ? data % 4 - 1 : 0) > cap)
        return -1;
    int url = flags & B64_URL;
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < data; i++) {
        int v = value((unsigned char)s[i], url);
        if (v < 0)
            return -1;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)(acc >> bits);
        }
    }
    /* Unused low bits must be zero, so every byte string has exactly one accepted text. */
    if (bits && (acc & ((1u << bits) - 1)))
        return -1;
    return (long)o;
}
