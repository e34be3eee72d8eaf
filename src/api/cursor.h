/* cursor.h — the paging of the list endpoints (GET /iguides, GET /webhookEvents, the operator's
 * list): ?limit= and the opaque ?cursor=, base64url of the last listed row's sequence number. */
#ifndef GP_API_CURSOR_H
#define GP_API_CURSOR_H

#include <jansson.h>
#include <stdint.h>

/* Decodes a cursor this server issued into *seq (> 0); 0, or -1 when it is not one. */
int api_cursor_decode(const char *s, int64_t *seq);

/* The cursor naming seq as a JSON string (null when out of memory). */
json_t *api_cursor_json(int64_t seq);

struct api_call;
struct resp;

/* Reads ?limit= (1 to max; def when absent) into *limit and, when before is not NULL, ?cursor=
 * (0 when absent or empty) into *before. NULL, or the 400 naming the parameter that is wrong. */
struct resp *api_page_query(struct api_call *c, long def, long max, long *limit, int64_t *before);

#endif
