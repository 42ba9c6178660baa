/* tmpl.c - a mustache subset compiled once to an op tree, rendered over Jansson values.
 *
 * Compilation turns a template source into a tree of ops: text slices of the source
 * (kept alive by the template), interpolations (escaped or raw), sections and inverted
 * sections (each with a body block) and partial references, resolved to a template
 * pointer by tmpl_set_link. Rendering only walks that tree; the context stack and the
 * partial indentation live in linked frames on the C stack, so a compiled set is never
 * written after linking and can be shared by any number of threads.
 *
 * Standalone lines (a section, inverted, close, partial or comment tag alone on its
 * line with only spaces and tabs around it) are removed as the mustache spec says. A
 * standalone partial's leading whitespace indents every line of the partial: ops that
 * begin a source line carry a flag, and the renderer emits the indentation in force
 * before them and after each newline inside a text op. */
#include "tmpl.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

#define TMPL_MAX_NEST 64		    /* sections open at once in one template */
#define TMPL_MAX_FILE (1024 * 1024) /* largest template file load_dir accepts */

enum op_kind { OP_TEXT, OP_ESCAPED, OP_RAW, OP_SECTION, OP_INVERTED, OP_PARTIAL };

/* Where an op starts: mid-line, at the start of a source line, or at the very start of
 * the template (indented only when the template is entered as a standalone partial). */
enum op_bol { BOL_NONE, BOL_LINE, BOL_START };

struct op;

struct block {
	struct op *ops;
	size_t len, cap;
};

struct op {
	enum op_kind kind;
	enum op_bol bol;
	unsigned line;
	/* OP_TEXT: the text; OP_PARTIAL: the indentation of a standalone tag. Both point
	 * into the template's source. */
	const char *text;
	size_t len;
	/* Interpolations and sections: the name's parts, each NUL-terminated, in one
	 * allocation; nkeys == 0 is the implicit iterator; local for a leading dot. */
	char *keys;
	size_t nkeys;
	bool local;
	struct block body; /* OP_SECTION, OP_INVERTED */
	/* OP_PARTIAL */
	char *partial_name;
	bool standalone;
	const struct tmpl *partial; /* set by tmpl_set_link */
};

struct tmpl {
	char *name;
	char *origin; /* the name, or the file path, for error messages */
	char *src;
	size_t len;
	struct block top;
};

struct tmpl_set {
	struct tmpl **v;
	size_t len, cap;
};

/* Writes "origin:line: message" to err (when there is room) and returns -1. */
__attribute__((format(printf, 5, 6))) static int tmpl_err(char *err, size_t errlen,
							   const char *origin, unsigned line,
							   const char *fmt, ...)
{
	if (!err || !errlen)
		return -1;
	int n = line ? snprintf(err, errlen, "%s:%u: ", origin, line)
		     : snprintf(err, errlen, "%s: ", origin);
	if (n < 0 || (size_t)n >= errlen)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- the op tree ---- */

static struct op *block_push(struct block *b)
{
	if (b->len == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 8;
		b->ops = xreallocarray(b->ops, b->cap, sizeof(*b->ops));
	}
	struct op *op = &b->ops[b->len++];
	memset(op, 0, sizeof(*op));
	return op;
}

static void block_free(struct block *b)
{
	for (size_t i = 0; i < b->len; i++) {
		struct op *op = &b->ops[i];
		free(op->keys);
		free(op->partial_name);
		block_free(&op->body);
	}
	free(b->ops);
	b->ops = NULL;
	b->len = b->cap = 0;
}

static void tmpl_free(struct tmpl *t)
{
	if (!t)
		return;
	block_free(&t->top);
	free(t->src);
	free(t->origin);
	free(t->name);
	free(t);
}

/* ---- the compiler ---- */

struct tag {
	char sigil;	  /* 0 for a plain interpolation, else one of # ^ / > ! & { */
	const char *name; /* trimmed content */
	size_t nlen;
	size_t end; /* offset just past the closing braces */
};

/* An open section while compiling: its body so far and where it was opened. */
struct frame {
	struct block body;
	enum op_kind kind;
	enum op_bol bol;
	unsigned line;
	const char *name; /* as written, for matching the close tag */
	size_t nlen;
	char *keys;
	size_t nkeys;
	bool local;
};

struct parser {
	const struct tmpl *t;
	size_t line_pos; /* line counting advances monotonically */
	unsigned line;
	char *err;
	size_t errlen;
};

static unsigned parser_line(struct parser *p, size_t pos)
{
	for (; p->line_pos < pos; p->line_pos++)
		if (p->t->src[p->line_pos] == '\n')
			p->line++;
	return p->line;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

static enum op_bol bol_at(const char *src, size_t pos)
{
	if (pos == 0)
		return BOL_START;
	return src[pos - 1] == '\n' ? BOL_LINE : BOL_NONE;
}

/* Reads the tag starting with "{{" at offset at. */
static int parse_tag(struct parser *p, size_t at, struct tag *tg)
{
	const char *src = p->t->src;
	size_t len = p->t->len, i = at + 2;
	unsigned line = parser_line(p, at);
	bool triple = i < len && src[i] == '{';
	if (triple)
		i++;
	const char *close = memmem(src + i, len - i, "}}", 2);
	if (!close)
		return tmpl_err(p->err, p->errlen, p->t->origin, line,
				"unterminated tag: \"{{\" without \"}}\"");
	size_t cend = (size_t)(close - src);
	tg->end = cend + 2;
	tg->sigil = 0;
	if (triple) {
		if (tg->end >= len || src[tg->end] != '}')
			return tmpl_err(p->err, p->errlen, p->t->origin, line,
					"unterminated tag: \"{{{\" without \"}}}\"");
		tg->end++;
		tg->sigil = '{';
	} else {
		while (i < cend && is_blank(src[i]))
			i++;
		if (i < cend && strchr("#^/>!&=<$", src[i]))
			tg->sigil = src[i++];
	}
	while (i < cend && is_blank(src[i]))
		i++;
	while (cend > i && is_blank(src[cend - 1]))
		cend--;
	tg->name = src + i;
	tg->nlen = cend - i;
	switch (tg->sigil) {
	case '=':
		return tmpl_err(p->err, p->errlen, p->t->origin, line,
				"set delimiter tags ({{=...=}}) are not supported");
	case '<':
	case '$':
		return tmpl_err(p->err, p->errlen, p->t->origin, line,
				"template inheritance ({{<...}}, {{$...}}) is not supported");
	case '!':
		return 0;
	}
	if (tg->nlen == 0)
		return tmpl_err(p->err, p->errlen, p->t->origin, line, "empty name in tag");
	return 0;
}

/* Splits a dotted name into NUL-separated keys: "a.b" -> "a\0b\0", 2 keys; "." -> 0
 * keys; ".a" -> "a\0", 1 key, local. */
static int parse_name(struct parser *p, const struct tag *tg, char **keys, size_t *nkeys,
		      bool *local)
{
	const char *s = tg->name;
	size_t n = tg->nlen;
	*keys = NULL;
	*nkeys = 0;
	*local = false;
	if (n == 1 && s[0] == '.')
		return 0;
	if (s[0] == '.') {
		*local = true;
		s++;
		n--;
	}
	bool ok = n > 0 && s[0] != '.' && s[n - 1] != '.';
	for (size_t i = 0; ok && i < n; i++)
		ok = is_name_char(s[i]) || (s[i] == '.' && s[i + 1] != '.');
	if (!ok)
		return tmpl_err(p->err, p->errlen, p->t->origin, p->line, "invalid name '%.*s'",
				tg->nlen > 40 ? 40 : (int)tg->nlen, tg->name);
	char *k = xmalloc(n + 1);
	size_t parts = 1;
	for (size_t i = 0; i < n; i++) {
		k[i] = s[i] == '.' ? '\0' : s[i];
		parts += s[i] == '.';
	}
	k[n] = '\0';
	*keys = k;
	*nkeys = parts;
	return 0;
}

static int check_partial_name(struct parser *p, const struct tag *tg)
{
	for (size_t i = 0; i < tg->nlen; i++)
		if (!is_name_char(tg->name[i]) && tg->name[i] != '.')
			return tmpl_err(p->err, p->errlen, p->t->origin, p->line,
					"invalid partial name '%.*s'",
					tg->nlen > 40 ? 40 : (int)tg->nlen, tg->name);
	return 0;
}

/* true when the tag spanning [tag, end) is alone on its line but for spaces and tabs;
 * *line_start receives where the line begins and *next where the following one does. */
static bool standalone_span(const char *src, size_t len, size_t tag, size_t end,
			    size_t *line_start, size_t *next)
{
	size_t b = tag;
	while (b > 0 && (src[b - 1] == ' ' || src[b - 1] == '\t'))
		b--;
	if (b > 0 && src[b - 1] != '\n')
		return false;
	size_t e = end;
	while (e < len && (src[e] == ' ' || src[e] == '\t'))
		e++;
	if (e < len) {
		if (src[e] == '\n')
			e++;
		else if (src[e] == '\r' && e + 1 < len && src[e + 1] == '\n')
			e += 2;
		else
			return false;
	}
	*line_start = b;
	*next = e;
	return true;
}

static void emit_text(struct block *b, const char *src, size_t from, size_t to)
{
	if (from >= to)
		return;
	struct op *op = block_push(b);
	op->kind = OP_TEXT;
	op->bol = bol_at(src, from);
	op->text = src + from;
	op->len = to - from;
}

static void frame_free(struct frame *f)
{
	block_free(&f->body);
	free(f->keys);
	f->keys = NULL;
}

/* Compiles t->src into t->top. Returns 0, or -1 with a message in err. */
static int tmpl_compile(struct tmpl *t, char *err, size_t errlen)
{
	struct parser p = {.t = t, .line = 1, .err = err, .errlen = errlen};
	struct frame stack[TMPL_MAX_NEST + 1];
	size_t depth = 0, pos = 0;
	const char *src = t->src;
	int rc = -1;

	memset(&stack[0], 0, sizeof(stack[0]));
	for (;;) {
		const char *open = memmem(src + pos, t->len - pos, "{{", 2);
		if (!open) {
			emit_text(&stack[depth].body, src, pos, t->len);
			break;
		}
		size_t at = (size_t)(open - src), text_end = at;
		struct tag tg;
		if (parse_tag(&p, at, &tg) < 0)
			goto out;
		size_t next = tg.end, line_start = at;
		bool standalone = tg.sigil && strchr("#^/>!", tg.sigil) &&
				  standalone_span(src, t->len, at, tg.end, &line_start, &next);
		if (standalone)
			text_end = line_start;
		emit_text(&stack[depth].body, src, pos, text_end);
		enum op_bol bol = standalone ? BOL_NONE : bol_at(src, at);
		struct op *op;
		struct frame *f;

		switch (tg.sigil) {
		case '!':
			break;
		case '#':
		case '^':
			if (depth == TMPL_MAX_NEST) {
				tmpl_err(err, errlen, t->origin, p.line,
					 "sections nested deeper than %d", TMPL_MAX_NEST);
				goto out;
			}
			f = &stack[depth + 1];
			memset(f, 0, sizeof(*f));
			if (parse_name(&p, &tg, &f->keys, &f->nkeys, &f->local) < 0)
				goto out;
			depth++;
			f->kind = tg.sigil == '#' ? OP_SECTION : OP_INVERTED;
			f->bol = bol;
			f->line = p.line;
			f->name = tg.name;
			f->nlen = tg.nlen;
			break;
		case '/':
			f = &stack[depth];
			if (depth == 0) {
				tmpl_err(err, errlen, t->origin, p.line,
					 "closing tag '%.*s' without an open section",
					 tg.nlen > 40 ? 40 : (int)tg.nlen, tg.name);
				goto out;
			}
			if (tg.nlen != f->nlen || memcmp(tg.name, f->name, tg.nlen) != 0) {
				tmpl_err(err, errlen, t->origin, p.line,
					 "closing tag '%.*s' does not match section '%.*s' opened at "
					 "line %u",
					 tg.nlen > 40 ? 40 : (int)tg.nlen, tg.name,
					 f->nlen > 40 ? 40 : (int)f->nlen, f->name, f->line);
				goto out;
			}
			op = block_push(&stack[depth - 1].body);
			op->kind = f->kind;
			op->bol = f->bol;
			op->line = f->line;
			op->keys = f->keys;
			op->nkeys = f->nkeys;
			op->local = f->local;
			op->body = f->body;
			depth--;
			break;
		case '>':
			if (check_partial_name(&p, &tg) < 0)
				goto out;
			op = block_push(&stack[depth].body);
			op->kind = OP_PARTIAL;
			op->bol = bol;
			op->line = p.line;
			op->partial_name = xstrndup(tg.name, tg.nlen);
			op->standalone = standalone;
			if (standalone) {
				op->text = src + line_start;
				op->len = at - line_start;
			}
			break;
		default: {
			char *keys;
			size_t nkeys;
			bool local;
			if (parse_name(&p, &tg, &keys, &nkeys, &local) < 0)
				goto out;
			op = block_push(&stack[depth].body);
			op->kind = tg.sigil ? OP_RAW : OP_ESCAPED;
			op->bol = bol;
			op->line = p.line;
			op->keys = keys;
			op->nkeys = nkeys;
			op->local = local;
			break;
		}
		}
		pos = next;
	}
	if (depth > 0) {
		tmpl_err(err, errlen, t->origin, stack[depth].line, "unclosed section '%.*s'",
			 stack[depth].nlen > 40 ? 40 : (int)stack[depth].nlen, stack[depth].name);
		goto out;
	}
	t->top = stack[0].body;
	memset(&stack[0], 0, sizeof(stack[0]));
	rc = 0;
out:
	for (size_t i = 0; i <= depth; i++)
		frame_free(&stack[i]);
	return rc;
}

/* ---- the set ---- */

struct tmpl_set *tmpl_set_new(void)
{
	return xcalloc(1, sizeof(struct tmpl_set));
}

void tmpl_set_free(struct tmpl_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->len; i++)
		tmpl_free(set->v[i]);
	free(set->v);
	free(set);
}

static const struct tmpl *set_find(const struct tmpl_set *set, const char *name)
{
	if (!set || !name)
		return NULL;
	for (size_t i = 0; i < set->len; i++)
		if (strcmp(set->v[i]->name, name) == 0)
			return set->v[i];
	return NULL;
}

int tmpl_exists(const struct tmpl_set *set, const char *name)
{
	return set_find(set, name) != NULL;
}

/* tmpl_set_add with the origin (a file path) named in error messages. */
static int set_add(struct tmpl_set *set, const char *name, const char *origin, const char *src,
		   size_t len, char *err, size_t errlen)
{
	if (!name || !*name)
		return tmpl_err(err, errlen, origin ? origin : "(template)", 0,
				"empty template name");
	if (set_find(set, name))
		return tmpl_err(err, errlen, origin, 0, "template '%s' defined twice", name);
	struct tmpl *t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name);
	t->origin = xstrdup(origin);
	t->src = xmalloc(len + 1);
	if (len)
		memcpy(t->src, src, len);
	t->src[len] = '\0';
	t->len = len;
	if (tmpl_compile(t, err, errlen) < 0) {
		tmpl_free(t);
		return -1;
	}
	if (set->len == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 16;
		set->v = xreallocarray(set->v, set->cap, sizeof(*set->v));
	}
	set->v[set->len++] = t;
	return 0;
}

int tmpl_set_add(struct tmpl_set *set, const char *name, const char *src, size_t len, char *err,
		 size_t errlen)
{
	return set_add(set, name, name, src, len, err, errlen);
}

static int link_block(const struct tmpl_set *set, const struct tmpl *t, struct block *b,
		      char *err, size_t errlen)
{
	for (size_t i = 0; i < b->len; i++) {
		struct op *op = &b->ops[i];
		if (op->kind == OP_PARTIAL) {
			op->partial = set_find(set, op->partial_name);
			if (!op->partial)
				return tmpl_err(err, errlen, t->origin, op->line,
						"unknown partial '%s'", op->partial_name);
		} else if (link_block(set, t, &op->body, err, errlen) < 0) {
			return -1;
		}
	}
	return 0;
}

int tmpl_set_link(struct tmpl_set *set, char *err, size_t errlen)
{
	for (size_t i = 0; i < set->len; i++)
		if (link_block(set, set->v[i], &set->v[i]->top, err, errlen) < 0)
			return -1;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct tmpl_set *tmpl_set_load_dir(const char *dir, char *err, size_t errlen)
{
	struct tmpl_set *set = tmpl_set_new(), *ret = NULL;
	char **files = NULL;
	size_t nfiles = 0, cap = 0;
	struct strbuf path;
	char *src = NULL, *name = NULL;
	DIR *d = opendir(dir);

	strbuf_init(&path, 0);
	if (!d) {
		tmpl_err(err, errlen, dir, 0, "cannot open directory: %s", strerror(errno));
		goto out;
	}
	for (struct dirent *de; (de = readdir(d));) {
		size_t n = strlen(de->d_name);
		if (de->d_name[0] == '.' || n <= 5 || strcmp(de->d_name + n - 5, ".html") != 0)
			continue;
		if (nfiles == cap) {
			cap = cap ? cap * 2 : 32;
			files = xreallocarray(files, cap, sizeof(*files));
		}
		files[nfiles++] = xstrdup(de->d_name);
	}
	if (nfiles)
		qsort(files, nfiles, sizeof(*files), cmp_str);
	for (size_t i = 0; i < nfiles; i++) {
		struct stat st;
		size_t len;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, files[i]);
		if (stat(path.buf, &st) != 0) {
			tmpl_err(err, errlen, path.buf, 0, "%s", strerror(errno));
			goto out;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		src = util_read_file(path.buf, TMPL_MAX_FILE, &len);
		if (!src) {
			tmpl_err(err, errlen, path.buf, 0, "cannot read: %s", strerror(errno));
			goto out;
		}
		name = xstrndup(files[i], strlen(files[i]) - 5);
		if (set_add(set, name, path.buf, src, len, err, errlen) < 0)
			goto out;
		free(name);
		name = NULL;
		free(src);
		src = NULL;
	}
	if (tmpl_set_link(set, err, errlen) < 0)
		goto out;
	ret = set;
	set = NULL;
out:
	free(name);
	free(src);
	strbuf_release(&path);
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	if (d)
		closedir(d);
	tmpl_set_free(set);
	return ret;
}

/* ---- the renderer ---- */

/* The context stack and the indentation in force, as frames on the C stack. */
struct ctx {
	const json_t *v;
	const struct ctx *up;
};

struct indent {
	const char *s;
	size_t len;
	const struct indent *up;
};

struct render {
	struct strbuf *out;
	unsigned depth; /* partials entered */
	bool too_deep;
};

static void put_indent(struct strbuf *out, const struct indent *ind)
{
	if (!ind)
		return;
	put_indent(out, ind->up);
	strbuf_add(out, ind->s, ind->len);
}

/* Appends text, indenting each line that starts inside it. */
static void put_text(struct strbuf *out, const char *s, size_t len, const struct indent *ind)
{
	if (!ind) {
		strbuf_add(out, s, len);
		return;
	}
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - s) + 1 : len;
		strbuf_add(out, s + i, end - i);
		i = end;
		if (i < len)
			put_indent(out, ind);
	}
}

/* Integral numbers as integers, others with up to 4 decimals, trailing zeros dropped. */
static void put_real(struct strbuf *out, double d)
{
	if (d == floor(d)) {
		if (fabs(d) < 1e18)
			strbuf_addf(out, "%lld", (long long)d);
		else
			strbuf_addf(out, "%.0f", d);
		return;
	}
	char buf[64];
	int n = snprintf(buf, sizeof(buf), "%.4f", d);
	if (n <= 0 || (size_t)n >= sizeof(buf))
		return;
	while (buf[n - 1] == '0')
		n--;
	if (buf[n - 1] == '.')
		n--;
	if (n == 2 && buf[0] == '-' && buf[1] == '0') /* -0.00001 */
		strbuf_addch(out, '0');
	else
		strbuf_add(out, buf, (size_t)n);
}

static void put_value(struct strbuf *out, const json_t *v, bool escape)
{
	if (!v)
		return;
	switch (json_typeof(v)) {
	case JSON_STRING:
		if (escape)
			strbuf_add_html(out, json_string_value(v), json_string_length(v));
		else
			strbuf_add(out, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		strbuf_addf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		put_real(out, json_real_value(v));
		break;
	case JSON_TRUE:
		strbuf_adds(out, "true");
		break;
	case JSON_FALSE:
		strbuf_adds(out, "false");
		break;
	default: /* null, objects and arrays render as nothing */
		break;
	}
}

static bool truthy(const json_t *v)
{
	if (!v)
		return false;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
	case JSON_TRUE:
		return true;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_STRING:
		return json_string_length(v) > 0;
	case JSON_INTEGER:
		return json_integer_value(v) != 0;
	case JSON_REAL:
		return json_real_value(v) != 0.0;
	default:
		return false;
	}
}

/* Resolves op's name: the first key up the context stack (only the top for a leading
 * dot), the others inside the value found. NULL when any part is missing. */
static const json_t *lookup(const struct ctx *c, const struct op *op)
{
	if (op->nkeys == 0)
		return c->v;
	const char *k = op->keys;
	const json_t *v = NULL;
	for (const struct ctx *s = c; s && !v; s = op->local ? NULL : s->up)
		if (json_is_object(s->v))
			v = json_object_get(s->v, k);
	for (size_t i = 1; v && i < op->nkeys; i++) {
		k += strlen(k) + 1;
		v = json_is_object(v) ? json_object_get(v, k) : NULL;
	}
	return v;
}

static void render_block(struct render *r, const struct block *b, const struct ctx *c,
			 const struct indent *ind);

static void render_section(struct render *r, const struct op *op, const struct ctx *c,
			   const struct indent *ind)
{
	const json_t *v = lookup(c, op);
	if (!truthy(v))
		return;
	struct ctx inner = {.v = v, .up = c};
	if (!json_is_array(v)) {
		render_block(r, &op->body, &inner, ind);
		return;
	}
	for (size_t i = 0; i < json_array_size(v) && !r->out->overflow; i++) {
		inner.v = json_array_get(v, i);
		render_block(r, &op->body, &inner, ind);
	}
}

static void render_partial(struct render *r, const struct op *op, const struct ctx *c,
			   const struct indent *ind)
{
	const struct tmpl *t = op->partial;
	if (!t)
		return; /* not linked */
	if (r->depth >= TMPL_MAX_DEPTH) {
		r->too_deep = true;
		return;
	}
	struct indent own;
	if (op->standalone) {
		if (op->len) {
			own = (struct indent){.s = op->text, .len = op->len, .up = ind};
			ind = &own;
		}
		if (t->top.len && t->top.ops[0].bol == BOL_START)
			put_indent(r->out, ind);
	}
	r->depth++;
	render_block(r, &t->top, c, ind);
	r->depth--;
}

static void render_block(struct render *r, const struct block *b, const struct ctx *c,
			 const struct indent *ind)
{
	for (size_t i = 0; i < b->len && !r->out->overflow; i++) {
		const struct op *op = &b->ops[i];
		if (op->bol == BOL_LINE)
			put_indent(r->out, ind);
		switch (op->kind) {
		case OP_TEXT:
			put_text(r->out, op->text, op->len, ind);
			break;
		case OP_ESCAPED:
		case OP_RAW:
			put_value(r->out, lookup(c, op), op->kind == OP_ESCAPED);
			break;
		case OP_SECTION:
			render_section(r, op, c, ind);
			break;
		case OP_INVERTED:
			if (!truthy(lookup(c, op)))
				render_block(r, &op->body, c, ind);
			break;
		case OP_PARTIAL:
			render_partial(r, op, c, ind);
			break;
		}
	}
}

int tmpl_render(const struct tmpl_set *set, const char *name, const json_t *data,
		struct strbuf *out)
{
	const struct tmpl *t = set_find(set, name);
	if (!t)
		return -1;
	struct render r = {.out = out};
	struct ctx root = {.v = data};
	render_block(&r, &t->top, &root, NULL);
	return r.too_deep ? -1 : 0;
}
