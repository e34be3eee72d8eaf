/* cursor.c — see cursor.h. */
#include "api/cursor.h"

#include "api/api_int.h"
#include "core/base64.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int api_cursor_decode(const char *s, int64_t *seq)
{
    unsigned char raw[24];
    if (strlen(s) > 32)
        return -1;
    long n = b64_decode(s, strlen(s), B64_URL | B64_NOPAD, raw, sizeof raw - 1);
    if (n <= 0)
        return -1;
    raw[n] = '\0';
    char *end;
    long long v = strtoll((const char *)raw, &end, 10);
    if (*end || v <= 0 || raw[0] == '0')
        return -1;
    *seq = v;
    return 0;
}

json_t *api_cursor_json(int64_t seq)
{
    char num[24], enc[40];
    int k = snprintf(num, sizeof num, "%lld", (long long)seq);
    /* 19 digits at most: the text always fits enc. */
    if (b64_encode(num, (size_t)k, B64_URL | B64_NOPAD, enc, sizeof enc) > 0)
        return json_string(enc);
    return json_null();
}

struct resp *api_page_query(struct api_call *c, long def, long max, long *limit, int64_t *before)
{
    const char *v = http_query(c->r, "limit");
    *limit = def;
    if (v) {
        char *end;
        *limit = strtol(v, &end, 10);
        if (!*v || *end || *limit < 1 || *limit > max) {
            char msg[64];
            snprintf(msg, sizeof msg, "limit must be an integer from 1 to %ld", max);
            return reply_error(c->r, RC_INVALID, msg);
        }
    }
    if (!before)
        return NULL;
    *before = 0;
    if ((v = http_query(c->r, "cursor")) && *v && api_cursor_decode(v, before))
        return reply_error(c->r, RC_INVALID, "cursor is not one this server issued");
    return NULL;
}
