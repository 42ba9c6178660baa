/* strbuf.h - a growable string builder (after git's strbuf and sqlite3_str).
 *
 * buf is never NULL and always NUL-terminated. When a limit is set and an append
 * would exceed it, the builder stops growing and sets the sticky `overflow` flag;
 * later appends are ignored. Callers check it once at the end. */
#ifndef SOMGUIDE_STRBUF_H
#define SOMGUIDE_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
	size_t limit; /* 0: no limit */
	bool overflow;
};

extern char strbuf_empty_buf[1];
#define STRBUF_INIT {.buf = strbuf_empty_buf}

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);
/* Returns the buffer (caller frees) and leaves sb empty and reusable. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_reset(struct strbuf *sb);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Appends s with & < > " ' escaped for HTML text and attribute values. */
void strbuf_add_html(struct strbuf *sb, const char *s, size_t len);
/* Appends s percent-encoded for use in a URL query component. */
void strbuf_add_urlenc(struct strbuf *sb, const char *s);

#endif
