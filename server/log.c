/* log.c - one-line logging to standard error. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

static enum log_level level = LOG_INFO;

void log_set_level(enum log_level lvl)
{
	level = lvl;
}

static void vlog(enum log_level lvl, const char *tag, const char *fmt, va_list ap)
{
	if (lvl > level)
		return;
	char line[1024];
	vsnprintf(line, sizeof(line), fmt, ap);
	/* one line: newlines in the message would let input forge log lines */
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	fprintf(stderr, "somguide: %s%s\n", tag, line);
}

int log_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_ERROR, "error: ", fmt, ap);
	va_end(ap);
	return -1;
}

void log_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_WARN, "warning: ", fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_INFO, "", fmt, ap);
	va_end(ap);
}
