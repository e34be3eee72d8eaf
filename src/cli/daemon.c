/* daemon.c — see daemon.h. */
#include "cli/daemon.h"

#include "core/log.h"
#include "store/store.h"

#include <pthread.h>
#include <stdio.h>

void daemon_block_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, set, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int daemon_open_data(const char *data_dir, struct blob_store **blobs)
{
    struct err e = {0};
    struct store_config scfg = {.data_dir = data_dir};
    struct store *s = NULL;
    *blobs = NULL;
    if (store_configure(&scfg, &e) != RC_OK || store_open(&scfg, &s, &e) != RC_OK ||
        store_migrate(s, NULL, &e) != RC_OK) {
        log_error("store: %s", e.msg);
        store_close(s);
        return 1;
    }
    store_close(s);
    char blob_dir[4200];
    snprintf(blob_dir, sizeof blob_dir, "%s/blobs", data_dir);
    if (blob_open(blob_dir, blobs, &e) != RC_OK) {
        log_error("%s", e.msg);
        return 1;
    }
    return 0;
}
