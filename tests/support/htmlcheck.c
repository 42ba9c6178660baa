/* htmlcheck.c - see htmlcheck.h. */
#include "htmlcheck.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_DEPTH 256
#define MAX_IDS 8192

static const char *const void_elements[] = {"area", "base", "br",   "col",   "embed", "hr",  "img",
					    "input", "link", "meta", "source", "track", "wbr"};

struct checker {
	const char *s, *end, *p;
	char stack[MAX_DEPTH][32];
	int depth;
	char **ids;
	size_t n_ids;
	char *err;
	size_t errlen;
};

static int line_of(const struct checker *c, const char *at)
{
	int line = 1;
	for (const char *q = c->s; q < at; q++)
		line += *q == '\n';
	return line;
}

static int fail(struct checker *c, const char *at, const char *fmt, ...)
{
	int n = snprintf(c->err, c->errlen, "line %d: ", line_of(c, at));
	va_list ap;
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < c->errlen)
		vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static bool is_void(const char *name)
{
	for (size_t i = 0; i < sizeof(void_elements) / sizeof(void_elements[0]); i++)
		if (strcasecmp(name, void_elements[i]) == 0)
			return true;
	return false;
}

/* A character reference at p ("&amp;", "&#39;", "&#x2013;"): its length, else 0. */
static size_t char_ref(const char *p, const char *end)
{
	const char *q = p + 1;
	if (q < end && *q == '#') {
		q++;
		bool hex = q < end && (*q == 'x' || *q == 'X');
		q += hex;
		const char *d = q;
		while (q < end && (hex ? isxdigit((unsigned char)*q) : isdigit((unsigned char)*q)))
			q++;
		return q > d && q < end && *q == ';' ? (size_t)(q - p + 1) : 0;
	}
	const char *d = q;
	while (q < end && isalnum((unsigned char)*q))
		q++;
	return q > d && q < end && *q == ';' ? (size_t)(q - p + 1) : 0;
}

static int check_text(struct checker *c, const char *from, const char *to)
{
	for (const char *q = from; q < to; q++)
		if (*q == '&' && !char_ref(q, to))
			return fail(c, q, "a bare '&' (write &amp;)");
	return 0;
}

static int add_id(struct checker *c, const char *at, const char *v, size_t n)
{
	for (size_t i = 0; i < c->n_ids; i++)
		if (strlen(c->ids[i]) == n && memcmp(c->ids[i], v, n) == 0)
			return fail(c, at, "duplicate id \"%.*s\"", (int)n, v);
	if (c->n_ids == MAX_IDS)
		return fail(c, at, "too many ids");
	c->ids[c->n_ids] = strndup(v, n);
	c->n_ids++;
	return 0;
}

/* Parses the attributes of a start tag from p to the closing '>'; sets *self_closing. */
static int attributes(struct checker *c, const char **pp, bool *self_closing)
{
	const char *p = *pp;
	*self_closing = false;
	for (;;) {
		while (p < c->end && isspace((unsigned char)*p))
			p++;
		if (p >= c->end)
			return fail(c, p, "unterminated tag");
		if (*p == '>') {
			*pp = p + 1;
			return 0;
		}
		if (*p == '/' && p + 1 < c->end && p[1] == '>') {
			*self_closing = true;
			*pp = p + 2;
			return 0;
		}
		const char *name = p;
		while (p < c->end && (isalnum((unsigned char)*p) || *p == '-' || *p == ':' || *p == '_' || *p == '.'))
			p++;
		if (p == name)
			return fail(c, p, "unexpected '%c' in a tag", *p);
		size_t nlen = (size_t)(p - name);
		if (p < c->end && *p == '=') {
			p++;
			if (p >= c->end || (*p != '"' && *p != '\''))
				return fail(c, p, "attribute %.*s: value not quoted", (int)nlen, name);
			char q = *p++;
			const char *v = p;
			while (p < c->end && *p != q) {
				if (*p == '<')
					return fail(c, p, "'<' inside attribute %.*s", (int)nlen, name);
				p++;
			}
			if (p >= c->end)
				return fail(c, v, "unterminated attribute value");
			if (check_text(c, v, p) != 0)
				return -1;
			if (nlen == 2 && strncasecmp(name, "id", 2) == 0) {
				if (p == v)
					return fail(c, v, "empty id");
				if (add_id(c, v, v, (size_t)(p - v)) != 0)
					return -1;
			}
			p++;
		}
	}
}

static int run(struct checker *c)
{
	bool doctype = false;
	const char *text = c->p;
	while (c->p < c->end) {
		const char *lt = memchr(c->p, '<', (size_t)(c->end - c->p));
		if (!lt)
			lt = c->end;
		if (check_text(c, text, lt) != 0)
			return -1;
		if (lt == c->end)
			break;
		const char *p = lt + 1;
		if (c->end - p >= 3 && memcmp(p, "!--", 3) == 0) {
			const char *e = strstr(p + 3, "-->");
			if (!e || e >= c->end)
				return fail(c, lt, "unterminated comment");
			c->p = text = e + 3;
			continue;
		}
		if (*p == '!') {
			if (doctype || c->depth || strncasecmp(p, "!doctype html>", 14) != 0)
				return fail(c, lt, "a doctype must be <!doctype html>, once, first");
			doctype = true;
			c->p = text = p + 14;
			continue;
		}
		bool closing = *p == '/';
		p += closing;
		const char *name = p;
		while (p < c->end && (isalnum((unsigned char)*p) || *p == '-'))
			p++;
		size_t nlen = (size_t)(p - name);
		if (!nlen || nlen >= sizeof(c->stack[0]))
			return fail(c, lt, "a '<' that starts no tag (write &lt;)");
		char tag[32];
		memcpy(tag, name, nlen);
		tag[nlen] = '\0';
		if (!doctype)
			return fail(c, lt, "<%s> before <!doctype html>", tag);
		if (closing) {
			while (p < c->end && isspace((unsigned char)*p))
				p++;
			if (p >= c->end || *p != '>')
				return fail(c, lt, "malformed end tag </%s", tag);
			if (!c->depth)
				return fail(c, lt, "</%s> closes nothing", tag);
			if (strcasecmp(c->stack[c->depth - 1], tag) != 0)
				return fail(c, lt, "</%s> where </%s> was expected", tag, c->stack[c->depth - 1]);
			c->depth--;
			c->p = text = p + 1;
			continue;
		}
		bool self_closing;
		if (attributes(c, &p, &self_closing) != 0)
			return -1;
		c->p = text = p;
		if (is_void(tag) || self_closing)
			continue;
		if (strcasecmp(tag, "script") == 0 || strcasecmp(tag, "style") == 0) {
			char endtag[16];
			snprintf(endtag, sizeof(endtag), "</%s>", tag);
			const char *e = strcasestr(p, endtag);
			if (!e || e >= c->end)
				return fail(c, lt, "<%s> not closed", tag);
			c->p = text = e + strlen(endtag);
			continue;
		}
		if (c->depth == MAX_DEPTH)
			return fail(c, lt, "nesting too deep");
		snprintf(c->stack[c->depth++], sizeof(c->stack[0]), "%s", tag);
	}
	if (!doctype)
		return fail(c, c->end, "no <!doctype html>");
	if (c->depth)
		return fail(c, c->end, "<%s> is never closed", c->stack[c->depth - 1]);
	return 0;
}

int html_check(const char *html, size_t len, char *err, size_t errlen)
{
	struct checker c = {.s = html, .end = html + len, .p = html, .err = err, .errlen = errlen};
	if (errlen)
		err[0] = '\0';
	if (memchr(html, '\0', len))
		return fail(&c, html, "a NUL byte");
	c.ids = calloc(MAX_IDS, sizeof(*c.ids));
	int rc = run(&c);
	for (size_t i = 0; i < c.n_ids; i++)
		free(c.ids[i]);
	free(c.ids);
	return rc;
}
