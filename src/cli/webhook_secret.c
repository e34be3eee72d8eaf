/* webhook_secret.c — placeholder until its owner's branch lands. */
#include "cli/cli.h"

#include <stdio.h>

int cli_webhook_secret(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "guidepost webhook secret: not built yet\n");
    return 2;
}

int cli_webhook_resend(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "guidepost webhook resend: not built yet\n");
    return 2;
}

