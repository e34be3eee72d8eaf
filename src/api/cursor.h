/* cursor.h — the opaque paging cursors of the list endpoints (GET /iguides, GET /webhookEvents):
 * base64url of the last listed row's sequence number. */
#ifndef GP_API_CURSOR_H
#define GP_API_CURSOR_H

#include <jansson.h>
#include <stdint.h>

/* Decodes a cursor this server issued into *seq (> 0); 0, or -1 when it is not one. */
int api_cursor_decode(const char *s, int64_t *seq);

/* The cursor naming seq as a JSON string (null when out of memory). */
json_t *api_cursor_json(int64_t seq);

#endif
