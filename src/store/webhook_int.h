/* webhook_int.h — store-internal: the columns of a webhook delivery and their one reader, shared
 * by the log's listing (q_webhook_events.c) and the delivery engine's load (q_webhook_delivery.c),
 * so both read a row the same way. Queries name the table webhook_deliveries d. */
#ifndef GP_STORE_WEBHOOK_INT_H
#define GP_STORE_WEBHOOK_INT_H

#include "store/store_int.h"

#define WEBHOOK_DELIVERY_COLS                                                                      \
    "d.id, d.event_id, d.iguide_id, d.url, d.status, d.attempts, d.tries, d.next_attempt_at, "     \
    "d.last_status, d.last_error, d.created_at, d.updated_at"
/* How many columns WEBHOOK_DELIVERY_COLS has: a query's further columns start here. */
#define WEBHOOK_DELIVERY_NCOLS 12

/* A q_reader: WEBHOOK_DELIVERY_COLS into a struct webhook_delivery_row (zeroed first; the optional
 * times and status read 0 for SQL NULL). */
void q_read_webhook_delivery(struct store *s, struct db_stmt *st, struct arena *a, void *row);

#endif
