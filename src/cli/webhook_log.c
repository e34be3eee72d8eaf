/* webhook_log.c — placeholder until its owner's branch lands. */
#include "cli/cli.h"

#include <stdio.h>

int cli_webhook_events(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "guidepost webhook events: not built yet\n");
    return 2;
}

int cli_webhook_attempts(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "guidepost webhook attempts: not built yet\n");
    return 2;
}

