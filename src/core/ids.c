/* ids.c — Crockford's base-32 alphabet (digits and upper-case letters without I, L, O, U) keeps
 * ids readable over the phone and matches the documented examples (igFKUNRGC5V8DD1, Z1T9, 4MN). */
#include "core/ids.h"

#include "core/crypto.h"

#include <string.h>

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static const struct {
    const char *prefix;
    int len;
} kinds[] = {
    [ID_IGUIDE] = {"ig", 13},  [ID_VIEW] = {"v", 13},        [ID_WORKORDER] = {"", 6},
    [ID_STITCHDATA] = {"", 6}, [ID_JOB] = {"", 16},          [ID_REQUEST] = {"", 16},
    [ID_EVENT] = {"msg_", 24}, [ID_DELIVERY] = {"whd_", 20},
};

int id_new(enum id_kind kind, char out[ID_MAX])
{
    unsigned char rnd[32];
    int n = kinds[kind].len;
    if (crypto_random(rnd, (size_t)n))
        return -1;
    size_t pl = strlen(kinds[kind].prefix);
    memcpy(out, kinds[kind].prefix, pl);
    for (int i = 0; i < n; i++)
        out[pl + (size_t)i] = alphabet[rnd[i] & 31];
    out[pl + (size_t)n] = '\0';
    return 0;
}

int id_valid(enum id_kind kind, const char *s)
{
    size_t pl = strlen(kinds[kind].prefix);
    if (strncmp(s, kinds[kind].prefix, pl) != 0 || strlen(s) != pl + (size_t)kinds[kind].len)
        return 0;
    for (const char *p = s + pl; *p; p++)
        if (!strchr(alphabet, *p))
            return 0;
    return 1;
}

int id_uuid(char out[37])
{
    unsigned char b[16];
    if (crypto_random(b, sizeof b))
        return -1;
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    static const char hx[] = "0123456789abcdef";
    int o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hx[b[i] >> 4];
        out[o++] = hx[b[i] & 15];
    }
    out[o] = '\0';
    return 0;
}

int id_uuid_valid(const char *s)
{
    if (strlen(s) != 36)
        return 0;
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return 0;
        } else if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
            return 0;
        }
    }
    return 1;
}
