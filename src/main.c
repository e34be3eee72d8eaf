/* main.c — the guidepost binary: one process, subcommands. */
#include "cli/cli.h"
#include "core/version.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

static void usage(void)
{
    fprintf(stderr,
            "guidepost %s — a self-hostable iGUIDE Portal API\n\n"
            "usage: guidepost <command> [options]\n\n"
            "commands:\n"
            "  serve     run the HTTP server (Portal API)\n"
            "  token     create, list, rotate or revoke API tokens\n"
            "  user      create, list, disable, enable or delete viewer accounts\n"
            "  group     create, list, show, rename or delete viewer groups; add, remove members\n"
            "  worker    run pipeline workers without the HTTP server\n"
            "  workorder list, advance, reject, cancel or retry work orders (operator)\n"
            "  webhook   show or rotate the signing secret; list events and attempts; resend\n"
            "  migrate   apply pending schema migrations\n"
            "  sample-stitch  write a sample Stitch TAR (docs/stitch-format.md)\n"
            "  version   print the version\n\n"
            "Every command takes --data DIR; `guidepost <command> --help` lists the rest.\n",
            GUIDEPOST_VERSION);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage();
        return 2;
    }
    const char *cmd = argv[1];
    /* libcurl's global state (webhook delivery) is set up once, before any thread starts. */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "guidepost: cannot initialise libcurl\n");
        return 1;
    }
    if (strcmp(cmd, "serve") == 0)
        return cli_serve(argc - 2, argv + 2);
    if (strcmp(cmd, "token") == 0)
        return cli_token(argc - 2, argv + 2);
    if (strcmp(cmd, "user") == 0)
        return cli_user(argc - 2, argv + 2);
    if (strcmp(cmd, "group") == 0)
        return cli_group(argc - 2, argv + 2);
    if (strcmp(cmd, "worker") == 0)
        return cli_worker(argc - 2, argv + 2);
    if (strcmp(cmd, "workorder") == 0)
        return cli_workorder(argc - 2, argv + 2);
    if (strcmp(cmd, "webhook") == 0)
        return cli_webhook(argc - 2, argv + 2);
    if (strcmp(cmd, "migrate") == 0)
        return cli_migrate(argc - 2, argv + 2);
    if (strcmp(cmd, "sample-stitch") == 0)
        return cli_sample_stitch(argc - 2, argv + 2);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("guidepost %s\n", GUIDEPOST_VERSION);
        return 0;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage();
        return 0;
    }
    fprintf(stderr, "guidepost: unknown command \"%s\"\n\n", cmd);
    usage();
    return 2;
}
