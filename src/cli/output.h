/* output.h — how subcommands answer: JSON on stdout, errors as one line on stderr. */
#ifndef GP_CLI_OUTPUT_H
#define GP_CLI_OUTPUT_H

#include "core/rc.h"

#include <jansson.h>

/* Prints v indented (taking the reference); 0, or 1 when v is NULL or cannot be serialised. */
int cli_print_json(json_t *v);

/* Prints "guidepost: <message>"; the exit code: 2 for bad input or a missing thing, else 1. */
int cli_fail(const struct err *e);

#endif
