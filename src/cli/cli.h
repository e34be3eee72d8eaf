/* cli.h — the subcommands of the guidepost binary. Each returns the process exit code. */
#ifndef GP_CLI_H
#define GP_CLI_H

/* guidepost serve: the HTTP server (Portal API) until SIGTERM/SIGINT. */
int cli_serve(int argc, char **argv);

/* guidepost token create|list|rotate|revoke: API-token management on the data folder. */
int cli_token(int argc, char **argv);

/* guidepost user create|list|disable|enable|delete: viewer accounts on the data folder. */
int cli_user(int argc, char **argv);

/* guidepost group create|list|show|rename|add|remove|delete: viewer groups on the data folder. */
int cli_group(int argc, char **argv);

/* guidepost migrate: applies pending schema migrations and exits. */
int cli_migrate(int argc, char **argv);

/* guidepost worker: pipeline workers without the HTTP server, until SIGTERM/SIGINT. */
int cli_worker(int argc, char **argv);

/* guidepost workorder list|advance|reject|cancel|retry: the operator controls. */
int cli_workorder(int argc, char **argv);

/* guidepost sample-stitch: writes a sample Stitch TAR, valid or of an invalid kind. */
int cli_sample_stitch(int argc, char **argv);

/* guidepost webhook secret|events|attempts|resend: the signing secret and the delivery log. */
int cli_webhook(int argc, char **argv);

/* guidepost webhook secret show|rotate and webhook resend (argv[0] is the word after "webhook"). */
int cli_webhook_secret(int argc, char **argv);
int cli_webhook_resend(int argc, char **argv);

/* guidepost webhook events and webhook attempts (argv[0] is the word after "webhook"). */
int cli_webhook_events(int argc, char **argv);
int cli_webhook_attempts(int argc, char **argv);

#endif
