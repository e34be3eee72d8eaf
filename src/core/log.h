/* log.h — one line per event on stderr: "<RFC 3339 time> <level> <message>". Thread-safe:
 * each line is a single write(2). */
#ifndef GP_LOG_H
#define GP_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Sets the lowest level written (default LOG_INFO). */
void log_set_level(enum log_level lvl);

/* Parses "debug|info|warn|error"; returns 0, or -1 for anything else. */
int log_parse_level(const char *s, enum log_level *out);

/* Writes one line when lvl is enabled. */
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
