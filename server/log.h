/* log.h - one-line logging to standard error. log_error returns -1 so that
 * `return log_error(...)` reads well. Never pass secrets (passwords, tokens,
 * session ids) to these functions. */
#ifndef SOMGUIDE_LOG_H
#define SOMGUIDE_LOG_H

enum log_level { LOG_QUIET = 0, LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_set_level(enum log_level lvl);
int log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
