/* opts.h — subcommand options: "--name VALUE", "--name=VALUE" or a bare "--flag", each with an
 * environment fallback GUIDEPOST_<NAME> (upper case, '-' as '_') and a default. */
#ifndef GP_OPTS_H
#define GP_OPTS_H

#include <stdint.h>

struct opt {
    const char *name;      /* without the leading "--" */
    int is_flag;           /* takes no value */
    const char *dflt;      /* NULL: no default */
    const char *help;
    const char *value;     /* result: from the command line, else the environment, else dflt */
};

#define OPTS_HELP 1   /* opts_parse's answer to --help / -h: the usage went to stdout */

/* Parses argv[0..argc) against opts (terminated by a NULL name). Returns 0; OPTS_HELP after
 * printing the usage to stdout when --help or -h is anywhere in argv; -1 after printing a message
 * on an unknown option, a missing value or a stray argument. positional (if non-NULL) receives up
 * to npos bare arguments. */
int opts_parse(struct opt *opts, int argc, char **argv, const char **positional, int npos,
               const char *usage);

/* The option's value, or NULL. */
const char *opt_get(const struct opt *opts, const char *name);

/* 1 when a flag is set (given, or its environment variable is 1/true/yes). */
int opt_flag(const struct opt *opts, const char *name);

/* Parses an option as an integer in [min, max]; returns 0, or -1 with a message printed. */
int opt_int(const struct opt *opts, const char *name, int64_t min, int64_t max, int64_t *out);

/* Prints the options with their help lines to stderr (after a usage error). */
void opts_usage(const struct opt *opts, const char *usage);

/* Prints the options with their help lines to stdout (the answer to --help). */
void opts_help(const struct opt *opts, const char *usage);

/* 1 when argv[0..argc) holds --help or -h. */
int opts_wants_help(int argc, char **argv);

/* The exit status for a non-zero opts_parse result: 0 for OPTS_HELP, 2 for a usage error. */
int opts_exit_code(int parse_rc);

#endif
