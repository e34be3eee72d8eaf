/* worker.c — `guidepost worker`: pipeline workers in a process of their own, next to (or
 * instead of) those inside `guidepost serve`, on the same data folder. Claims are one atomic
 * UPDATE in the store, so any number of processes can share the queue; an idle worker polls
 * every second. Stops on SIGTERM/SIGINT after the stages in flight finish. */
#include "cli/cli.h"

#include "blob/blob.h"
#include "cli/clock_follow.h"
#include "cli/daemon.h"
#include "cli/opts.h"
#include "cli/workers.h"
#include "core/log.h"
#include "store/store.h"

#include <signal.h>
#include <stdio.h>

int cli_worker(int argc, char **argv)
{
    const char *usage = "guidepost worker [--data DIR] [--workers N] [options]";
    struct opt opts[] = {
        {"data", 0, "./data", "data folder (SQLite database, uploads)", NULL},
        {"public-url", 0, NULL, "base URL clients reach the server at (for event links)", NULL},
        {"log-level", 0, "info", "debug, info, warn or error", NULL},
        {"test-clock", 1, NULL, "follow the test clock a `serve --test-clock` sets (tests only)",
         NULL},
        WORKERS_OPTS("2"),
        {NULL, 0, NULL, NULL, NULL},
    };
    int prc = opts_parse(opts, argc, argv, NULL, 0, usage);
    if (prc)
        return opts_exit_code(prc);
    struct workers wk;
    enum log_level lvl;
    if (workers_configure(&wk, opts))
        return 2;
    if (log_parse_level(opt_get(opts, "log-level"), &lvl)) {
        fprintf(stderr, "guidepost: --log-level must be debug, info, warn or error\n");
        return 2;
    }
    if (wk.threads == 0 && wk.webhook.threads == 0) {
        fprintf(stderr, "guidepost: worker needs --workers or --webhook-threads of at least 1\n");
        return 2;
    }
    log_set_level(lvl);
    sigset_t set;
    daemon_block_signals(&set);
    const char *data_dir = opt_get(opts, "data");
    struct blob_store *blobs;
    if (daemon_open_data(data_dir, &blobs))
        return 1;
    struct err e = {0};
    wk.pipe.blobs = blobs;
    wk.pipe.public_url = opt_get(opts, "public-url");
    struct clock_follow *follow = NULL;
    if (opt_flag(opts, "test-clock") && !(follow = clock_follow_start(&e))) {
        log_error("%s", e.msg);
        blob_close(blobs);
        return 1;
    }
    if (workers_start(&wk, &e) != RC_OK) {
        log_error("cannot start the pipeline workers: %s", e.msg);
        clock_follow_stop(follow);
        blob_close(blobs);
        return 1;
    }
    log_info("guidepost worker: %u pipeline worker(s) on %s, stages of %llds, QA %s; %u webhook "
             "delivery thread(s), %s retries%s",
             wk.threads, data_dir, (long long)(wk.pipe.stage_ms / 1000),
             wk.pipe.qa_manual ? "manual" : "automatic", wk.webhook.threads,
             webhook_policy_name(wk.webhook.policy), follow ? ", FOLLOWING THE TEST CLOCK" : "");
    int sig = 0;
    sigwait(&set, &sig);
    log_info("received %s, finishing the stages in flight", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    workers_stop(&wk);
    clock_follow_stop(follow);
    blob_close(blobs);
    store_thread_release();
    log_info("stopped");
    return 0;
}
