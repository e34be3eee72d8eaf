/* output.h — what the data-folder subcommands share: opening the store, and answering with
 * JSON on stdout or errors as one line on stderr. */
#ifndef GP_CLI_OUTPUT_H
#define GP_CLI_OUTPUT_H

#include "cli/opts.h"
#include "core/arena.h"
#include "core/rc.h"
#include "store/store.h"

#include <jansson.h>

/* Prints v indented (taking the reference); 0, or 1 when v is NULL or cannot be serialised. */
int cli_print_json(json_t *v);

/* Prints "guidepost: <message>"; the exit code: 2 for bad input, a missing or conflicting
 * thing, else 1. */
int cli_fail(const struct err *e);

/* Parses "COMMAND [options] [ARG...]" (argv[0] is the command, one of the NULL-terminated
 * commands) against opts, up to npos bare arguments into pos, without touching the store.
 * Returns 0 to go on; -1 when the command is done, with *exit_code 0 after --help / -h (usage on
 * stdout) or 2 after a usage error (message and usage on stderr). */
int cli_parse_command(struct opt *opts, int argc, char **argv, const char **pos, int npos,
                      const char *usage, const char *const *commands, int *exit_code);

/* Opens and migrates the store of the --data option in opts and a fresh arena for the command.
 * Returns 0, or the exit code after printing why; on success the caller closes both
 * (cli_store_close). */
int cli_store_open(const struct opt *opts, struct store **s, struct arena **a);

/* Closes what cli_store_open opened. */
void cli_store_close(struct store *s, struct arena *a);

#endif
