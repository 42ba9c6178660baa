/* tmpl.h - a mustache subset over Jansson values, compiled once, escaping by default.
 *
 * Supported: {{name}} (HTML-escaped), {{{name}}} and {{& name}} (raw: only for HTML the
 * server generated itself), {{#section}}...{{/section}}, {{^inverted}}...{{/inverted}},
 * {{> partial}}, {{! comment}}, dotted names (a.b.c), the implicit iterator {{.}}.
 * Sections iterate arrays, enter objects, render once for other truthy values; false,
 * null, "", 0 and [] are falsy. Lookup walks up the context stack like mustache.
 * Numbers render as integers when integral, otherwise with up to 4 decimals; true and
 * false as "true"/"false"; null, missing names, objects and arrays as nothing.
 * Standalone-line trimming of section, partial and comment tags is applied as in the
 * mustache spec, and a standalone partial's indentation is prepended to its lines.
 * Names are [A-Za-z0-9_-] parts joined by dots; a leading dot looks only at the top
 * of the context stack. Not supported (compile errors): set delimiters {{=...=}},
 * template inheritance {{< }} {{$ }}. A partial that is not in the set is an error
 * at tmpl_set_link, not an empty string. Lambdas do not exist over JSON. Sections nest
 * at most 64 deep within one template. */
#ifndef SOMGUIDE_TMPL_H
#define SOMGUIDE_TMPL_H

#include <stddef.h>

#include <jansson.h>

#include "strbuf.h"

/* How many partials may be expanded inside each other while rendering. */
#define TMPL_MAX_DEPTH 32

struct tmpl_set;

/* Compiles every *.html file under dir (non-recursive, dot files and non-regular
 * files skipped, at most 1 MiB each; the name without .html is the template name,
 * partials are referenced by that name). Returns NULL and writes one line
 * "dir/file.html:line: message" to err when any template fails to compile or a partial
 * is unknown. Caller frees with tmpl_set_free. */
struct tmpl_set *tmpl_set_load_dir(const char *dir, char *err, size_t errlen);

/* An empty set; add templates from memory (used by tests). name is copied. Returns
 * 0 or -1 with "name:line: message" in err. Call tmpl_set_link after the last add
 * to resolve partials (-1 with a message when one is missing). */
struct tmpl_set *tmpl_set_new(void);
int tmpl_set_add(struct tmpl_set *set, const char *name, const char *src, size_t len, char *err,
		 size_t errlen);
int tmpl_set_link(struct tmpl_set *set, char *err, size_t errlen);
void tmpl_set_free(struct tmpl_set *set);

/* true when the set has a template of that name. */
int tmpl_exists(const struct tmpl_set *set, const char *name);

/* Renders template name over data (borrowed; NULL renders like null) into out.
 * Returns 0, or -1 when the template is unknown or partials nest deeper than
 * TMPL_MAX_DEPTH (the deeper partials are left out, the output is incomplete).
 * Thread-safe: a linked set is never written while rendering. out's overflow flag is
 * the caller's to check; rendering stops early once it is set. */
int tmpl_render(const struct tmpl_set *set, const char *name, const json_t *data,
		struct strbuf *out);

#endif
