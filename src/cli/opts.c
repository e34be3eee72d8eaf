/* opts.c — deliberately small; getopt_long would do, but the environment fallback and the
 * uniform messages are what make every subcommand behave alike. */
#include "cli/opts.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct opt *find(struct opt *opts, const char *name, size_t n)
{
    for (struct opt *o = opts; o->name; o++)
        if (strlen(o->name) == n && strncmp(o->name, name, n) == 0)
            return o;
    return NULL;
}

static const char *from_env(const char *name)
{
    char var[96] = "GUIDEPOST_";
    size_t n = strlen(var);
    for (const char *p = name; *p && n < sizeof var - 1; p++)
        var[n++] = *p == '-' ? '_' : (char)toupper((unsigned char)*p);
    var[n] = '\0';
    return getenv(var);
}

static void usage_to(FILE *f, const struct opt *opts, const char *usage)
{
    fprintf(f, "usage: %s\n", usage);
    for (const struct opt *o = opts; o->name; o++)
        fprintf(f, "  --%-14s %s%s%s%s\n", o->name, o->help, o->dflt ? " (default " : "",
                o->dflt ? o->dflt : "", o->dflt ? ")" : "");
}

void opts_usage(const struct opt *opts, const char *usage)
{
    usage_to(stderr, opts, usage);
}

void opts_help(const struct opt *opts, const char *usage)
{
    usage_to(stdout, opts, usage);
}

int opts_wants_help(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    return 0;
}

int opts_exit_code(int parse_rc)
{
    return parse_rc == OPTS_HELP ? 0 : 2;
}

int opts_parse(struct opt *opts, int argc, char **argv, const char **positional, int npos,
               const char *usage)
{
    int pos = 0;
    for (struct opt *o = opts; o->name; o++)
        o->value = NULL;
    /* Asking for help wins over anything else on the line, including what would be an error. */
    if (opts_wants_help(argc, argv)) {
        opts_help(opts, usage);
        return OPTS_HELP;
    }
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0) {
            if (!positional || pos >= npos) {
                fprintf(stderr, "guidepost: unexpected argument \"%s\"\n", a);
                opts_usage(opts, usage);
                return -1;
            }
            positional[pos++] = a;
            continue;
        }
        const char *name = a + 2, *eq = strchr(name, '=');
        struct opt *o = find(opts, name, eq ? (size_t)(eq - name) : strlen(name));
        if (!o) {
            fprintf(stderr, "guidepost: unknown option %s\n", a);
            opts_usage(opts, usage);
            return -1;
        }
        if (o->is_flag) {
            if (eq) {
                fprintf(stderr, "guidepost: --%s takes no value\n", o->name);
                return -1;
            }
            o->value = "1";
        } else if (eq) {
            o->value = eq + 1;
        } else if (i + 1 < argc) {
            o->value = argv[++i];
        } else {
            fprintf(stderr, "guidepost: --%s needs a value\n", o->name);
            return -1;
        }
    }
    for (struct opt *o = opts; o->name; o++) {
        if (o->value)
            continue;
        const char *env = from_env(o->name);
        if (env && o->is_flag)
            o->value = (strcmp(env, "1") == 0 || strcmp(env, "true") == 0 ||
                        strcmp(env, "yes") == 0) ? "1" : NULL;
        else
            o->value = env ? env : o->dflt;
    }
    return 0;
}

const char *opt_get(const struct opt *opts, const char *name)
{
    for (const struct opt *o = opts; o->name; o++)
        if (strcmp(o->name, name) == 0)
            return o->value;
    return NULL;
}

int opt_flag(const struct opt *opts, const char *name)
{
    const char *v = opt_get(opts, name);
    return v && strcmp(v, "1") == 0;
}

int opt_int(const struct opt *opts, const char *name, int64_t min, int64_t max, int64_t *out)
{
    const char *v = opt_get(opts, name);
    if (!v)
        return 0;
    char *end;
    long long n = strtoll(v, &end, 10);
    if (!*v || *end || n < min || n > max) {
        fprintf(stderr, "guidepost: --%s must be an integer from %lld to %lld (got \"%s\")\n", name,
                (long long)min, (long long)max, v);
        return -1;
    }
    *out = n;
    return 0;
}
