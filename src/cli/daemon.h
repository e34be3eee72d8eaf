/* daemon.h — what the long-running subcommands (serve, worker) share at start-up: the shutdown
 * signals, and the data folder opened (store configured and migrated, blob store open). */
#ifndef GP_CLI_DAEMON_H
#define GP_CLI_DAEMON_H

#include "blob/blob.h"

#include <signal.h>

/* Blocks SIGINT and SIGTERM in the calling thread (and so in every thread it starts later) and
 * ignores SIGPIPE; *set holds the two for sigwait. Call before any thread starts. */
void daemon_block_signals(sigset_t *set);

/* Configures the store for data_dir, applies pending migrations and opens <data_dir>/blobs into
 * *blobs. Returns 0, or 1 after logging why. */
int daemon_open_data(const char *data_dir, struct blob_store **blobs);

#endif
