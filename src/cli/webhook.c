/* webhook.c — `guidepost webhook`: dispatches to the signing-secret, resend and log commands. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static void usage(void)
{
    fprintf(stderr,
            "usage: guidepost webhook <command> --data DIR [options]\n\n"
            "commands:\n"
            "  secret show|rotate   print the signing secret, or replace it (the old one "
            "signs 24 h more)\n"
            "  events               list webhook events (--iguide, --type, --status, --since)\n"
            "  attempts ID          an event (msg_...) or delivery (whd_...) with every attempt\n"
            "  resend DELIVERY      send a delivery again (same webhook-id)\n");
}

int cli_webhook(int argc, char **argv)
{
    if (argc < 1 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        usage();
        return argc < 1 ? 2 : 0;
    }
    if (strcmp(argv[0], "secret") == 0)
        return cli_webhook_secret(argc, argv);
    if (strcmp(argv[0], "resend") == 0)
        return cli_webhook_resend(argc, argv);
    if (strcmp(argv[0], "events") == 0)
        return cli_webhook_events(argc, argv);
    if (strcmp(argv[0], "attempts") == 0)
        return cli_webhook_attempts(argc, argv);
    fprintf(stderr, "guidepost webhook: unknown command \"%s\"\n\n", argv[0]);
    usage();
    return 2;
}
