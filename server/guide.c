/* guide.c - the Assessment Guide: loading, validation (docs/guide-format.md), lookups,
 * answer values and show_if.
 *
 * Loading runs in three steps: parse with Jansson; validate every rule, collecting every
 * problem with its JSON path (ids are collected first so that references to questions,
 * recommendations and CJAT tools can be checked wherever they appear); build the structs
 * only when no problem was found, so the builder may assume a valid document. */
#include "guide.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "util.h"

const char *const guide_area_ids[GUIDE_N_AREAS] = {
	"prevention", "data", "legislation", "policy", "criminal-justice", "protection", "cooperation",
};

static const char *const qtype_names[] = {"choice", "multi", "scale", "number", "text", "date"};

static const char *const ref_clusters[] = {"criminalization", "prevention", "law-enforcement",
					   "cooperation"};

const char *guide_qtype_name(enum qtype t)
{
	if ((unsigned)t < ARRAY_SIZE(qtype_names))
		return qtype_names[t];
	return "?";
}

/* ------------------------------------------------------------------ problems */

void guide_problems_free(struct guide_problems *p)
{
	if (!p)
		return;
	free(p->items);
	p->items = NULL;
	p->n = p->alloc = 0;
}

struct vctx {
	struct guide_problems *pr;
	size_t count;    /* problems found (also when pr is NULL) */
	bool truncated;
};

static void problem(struct vctx *v, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct vctx *v, const char *path, const char *fmt, ...)
{
	v->count++;
	if (!v->pr)
		return;
	if (v->count > GUIDE_MAX_PROBLEMS) {
		if (v->truncated)
			return;
		v->truncated = true;
		path = "$";
		fmt = NULL;
	}
	struct guide_problems *p = v->pr;
	if (p->n == p->alloc) {
		p->alloc = p->alloc ? p->alloc * 2 : 16;
		p->items = xreallocarray(p->items, p->alloc, sizeof(*p->items));
	}
	struct guide_problem *it = &p->items[p->n++];
	snprintf(it->path, sizeof(it->path), "%s", path);
	if (!fmt) {
		snprintf(it->message, sizeof(it->message), "too many problems; only the first %d are shown",
			 GUIDE_MAX_PROBLEMS);
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(it->message, sizeof(it->message), fmt, ap);
	va_end(ap);
}

/* A string from the file made safe for a message: quoted, control and non-ASCII bytes
 * escaped, cut at 60 characters. */
#define QBUF 200
static const char *quote(char buf[QBUF], const char *s)
{
	size_t n = 0;
	buf[n++] = '"';
	for (size_t i = 0; s[i] && n < QBUF - 12; i++) {
		unsigned char c = (unsigned char)s[i];
		if (i >= 60) {
			memcpy(buf + n, "...", 3);
			n += 3;
			break;
		}
		if (c == '"' || c == '\\') {
			buf[n++] = '\\';
			buf[n++] = (char)c;
		} else if (c < 0x20 || c >= 0x7f) {
			n += (size_t)snprintf(buf + n, QBUF - n, "\\x%02x", c);
		} else {
			buf[n++] = (char)c;
		}
	}
	buf[n++] = '"';
	buf[n] = '\0';
	return buf;
}

static const char *json_kind(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "?";
}

/* Paths: "$.a.b[3]" built into caller buffers; a key that is not a plain name is
 * written as ["..."]. */
#define PATHMAX 256
static void path_key(char out[PATHMAX], const char *parent, const char *key)
{
	bool plain = key[0] != '\0';
	for (const char *k = key; *k; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9') ||
		      *k == '_' || *k == '-' || *k == '$'))
			plain = false;
	if (plain) {
		snprintf(out, PATHMAX, "%s.%s", parent, key);
	} else {
		char q[QBUF];
		snprintf(out, PATHMAX, "%s[%s]", parent, quote(q, key));
	}
}

static void path_idx(char out[PATHMAX], const char *parent, size_t i)
{
	snprintf(out, PATHMAX, "%s[%zu]", parent, i);
}

/* ------------------------------------------------------------------ small checks */

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 40 || lb > 40)
		return 99;
	size_t d[41][41];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			/* transposition ("wieght") */
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

/* Reports every key of obj not in allowed (NULL-terminated), suggesting a near one. */
static void check_keys(struct vctx *v, const char *path, json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *val;
	json_object_foreach(obj, key, val) {
		bool ok = false;
		const char *near = NULL;
		size_t best = 3;
		for (const char *const *a = allowed; *a; a++) {
			if (strcmp(key, *a) == 0) {
				ok = true;
				break;
			}
			size_t d = edit_distance(key, *a);
			if (d < best) {
				best = d;
				near = *a;
			}
		}
		if (ok)
			continue;
		char p[PATHMAX], q1[QBUF];
		path_key(p, path, key);
		if (near)
			problem(v, p, "unknown key %s (did you mean \"%s\"?)", quote(q1, key), near);
		else
			problem(v, p, "unknown key %s", quote(q1, key));
	}
}

/* The member key of obj; reports a missing required one. */
static json_t *member(struct vctx *v, const char *path, json_t *obj, const char *key, bool required)
{
	json_t *j = json_object_get(obj, key);
	if (!j && required) {
		char p[PATHMAX];
		path_key(p, path, key);
		problem(v, p, "required key is missing");
	}
	return j;
}

static bool expect_type(struct vctx *v, const char *path, json_t *j, json_type t, const char *what)
{
	bool ok = t == JSON_REAL ? json_is_number(j)
		: t == JSON_TRUE ? json_is_boolean(j)
		: json_typeof(j) == t;
	if (!ok)
		problem(v, path, "expected %s, found %s", what, json_kind(j));
	return ok;
}

static bool is_lang_code(const char *s)
{
	/* ll or lll, then -subtags of 2..8 alphanumerics */
	size_t n = 0;
	while (s[n] >= 'a' && s[n] <= 'z')
		n++;
	if (n < 2 || n > 3)
		return false;
	s += n;
	while (*s == '-') {
		s++;
		size_t k = 0;
		while ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') ||
		       (s[k] >= '0' && s[k] <= '9'))
			k++;
		if (k < 2 || k > 8)
			return false;
		s += k;
	}
	return *s == '\0';
}

/* An i18n map: {"en": "...", "fr": "..."}. */
static void check_i18n(struct vctx *v, const char *path, json_t *j, bool allow_empty)
{
	if (!expect_type(v, path, j, JSON_OBJECT, "an i18n map like {\"en\": \"...\"}"))
		return;
	const char *key;
	json_t *val;
	json_object_foreach(j, key, val) {
		char p[PATHMAX], q1[QBUF];
		path_key(p, path, key);
		if (!is_lang_code(key))
			problem(v, p, "%s is not a language code (like \"en\" or \"fr\")", quote(q1, key));
		if (!json_is_string(val))
			problem(v, p, "expected a string, found %s", json_kind(val));
	}
	json_t *en = json_object_get(j, "en");
	char p[PATHMAX];
	path_key(p, path, "en");
	if (!en)
		problem(v, p, "the English text (\"en\") is required");
	else if (json_is_string(en) && !allow_empty && json_string_length(en) == 0)
		problem(v, p, "the English text is empty");
}

static bool id_valid(const char *s, bool slash)
{
	size_t n = strlen(s);
	if (n < 1 || n > 64)
		return false;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return false;
	for (size_t i = 1; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-' || (slash && c == '/')))
			return false;
	}
	return true;
}

/* An id string; NULL (with a problem) when it is not one. */
static const char *check_id(struct vctx *v, const char *path, json_t *j, bool slash)
{
	if (!j)
		return NULL;
	if (!expect_type(v, path, j, JSON_STRING, "an id (a string)"))
		return NULL;
	const char *s = json_string_value(j);
	if (!id_valid(s, slash)) {
		char q1[QBUF];
		problem(v, path, "id %s must match %s", quote(q1, s),
			slash ? "^[a-z0-9][a-z0-9._/-]{0,63}$" : "^[a-z0-9][a-z0-9._-]{0,63}$");
		return NULL;
	}
	return s;
}

static void check_bool(struct vctx *v, const char *parent, json_t *obj, const char *key)
{
	json_t *j = json_object_get(obj, key);
	if (!j)
		return;
	char p[PATHMAX];
	path_key(p, parent, key);
	expect_type(v, p, j, JSON_TRUE, "a boolean (true or false)");
}

static int area_id_index(const char *s)
{
	for (int i = 0; i < GUIDE_N_AREAS; i++)
		if (strcmp(s, guide_area_ids[i]) == 0)
			return i;
	return -1;
}

static const char *area_list(void)
{
	return "prevention, data, legislation, policy, criminal-justice, protection, cooperation";
}

/* ------------------------------------------------------------------ id sets */

struct idref {
	const char *id;
	size_t order;       /* insertion order (for questions: guide order) */
	long first;         /* order of the first entry with this id when a duplicate, else -1 */
	char path[96];
	json_t *json;
};

struct idset {
	struct idref *v;
	size_t n, alloc;
	size_t *sorted;     /* indexes into v sorted by (id, order) */
};

static void idset_add(struct idset *s, const char *id, const char *path, json_t *json)
{
	if (s->n == s->alloc) {
		s->alloc = s->alloc ? s->alloc * 2 : 32;
		s->v = xreallocarray(s->v, s->alloc, sizeof(*s->v));
	}
	struct idref *r = &s->v[s->n];
	r->id = id;
	r->order = s->n;
	r->first = -1;
	snprintf(r->path, sizeof(r->path), "%s", path);
	r->json = json;
	s->n++;
}

/* (id, index) pairs sorted by id then index: the sort key of every id index here. */
struct keyed {
	const char *id;
	size_t idx;
};

static int keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	if (c)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The indexes 0..n-1 of ids[] (ids[i] is the id of entry i) sorted by id. */
static size_t *sort_ids(struct keyed *k, size_t n)
{
	qsort(k, n, sizeof(*k), keyed_cmp);
	size_t *ix = xreallocarray(NULL, n ? n : 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++)
		ix[i] = k[i].idx;
	return ix;
}

/* Sorts the index and marks duplicates. */
static void idset_finish(struct idset *s)
{
	struct keyed *k = xreallocarray(NULL, s->n ? s->n : 1, sizeof(*k));
	for (size_t i = 0; i < s->n; i++)
		k[i] = (struct keyed){s->v[i].id, i};
	s->sorted = sort_ids(k, s->n);
	free(k);
	for (size_t i = 1; i < s->n; i++) {
		struct idref *prev = &s->v[s->sorted[i - 1]], *cur = &s->v[s->sorted[i]];
		if (strcmp(prev->id, cur->id) == 0)
			cur->first = prev->first >= 0 ? prev->first : (long)prev->order;
	}
}

/* The first entry with that id, or NULL. */
static const struct idref *idset_find(const struct idset *s, const char *id)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(s->v[s->sorted[mid]].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->n && strcmp(s->v[s->sorted[lo]].id, id) == 0)
		return &s->v[s->sorted[lo]];
	return NULL;
}

static void idset_free(struct idset *s)
{
	free(s->v);
	free(s->sorted);
}

/* ------------------------------------------------------------------ validation */

struct vstate {
	struct vctx v;
	json_t *root;
	struct idset cjat, recs, qs;
};

static bool type_scored(const char *t)
{
	return t && (strcmp(t, "choice") == 0 || strcmp(t, "multi") == 0 || strcmp(t, "scale") == 0);
}

static int type_index(const char *t)
{
	for (size_t i = 0; i < ARRAY_SIZE(qtype_names); i++)
		if (strcmp(t, qtype_names[i]) == 0)
			return (int)i;
	return -1;
}

/* An array of ids that must all be in set (what names the set in messages). */
static void check_id_refs(struct vstate *st, const char *path, json_t *arr, const struct idset *set,
			  const char *what, bool slash, bool nonempty)
{
	if (!expect_type(&st->v, path, arr, JSON_ARRAY, "an array of ids"))
		return;
	if (nonempty && json_array_size(arr) == 0)
		problem(&st->v, path, "must not be empty");
	size_t i;
	json_t *e;
	json_array_foreach(arr, i, e) {
		char p[PATHMAX], q1[QBUF];
		path_idx(p, path, i);
		const char *id = check_id(&st->v, p, e, slash);
		if (!id)
			continue;
		if (!idset_find(set, id))
			problem(&st->v, p, "unknown %s %s", what, quote(q1, id));
		for (size_t k = 0; k < i; k++)
			if (json_is_string(json_array_get(arr, k)) &&
			    strcmp(json_string_value(json_array_get(arr, k)), id) == 0) {
				problem(&st->v, p, "%s is listed twice", quote(q1, id));
				break;
			}
	}
}

/* A version names the guide in every assessment started on it and the archived
 * file that keeps it (guide-VERSION.json): short, and safe in a file name. */
static bool version_valid(const char *s, size_t len)
{
	if (len == 0 || len > GUIDE_VERSION_MAX || strlen(s) != len)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		if (!alnum && (i == 0 || (c != '.' && c != '-' && c != '_' && c != '+')))
			return false;
	}
	return true;
}

static void check_changelog(struct vstate *st, json_t *cl, const char *version)
{
	struct vctx *v = &st->v;
	const char *path = "$.changelog";
	if (!expect_type(v, path, cl, JSON_ARRAY, "an array of changelog entries"))
		return;
	static const char *const keys[] = {"version", "date", "changes", NULL};
	bool current = false;
	size_t i;
	json_t *e;
	json_array_foreach(cl, i, e) {
		char p[PATHMAX], c[PATHMAX];
		path_idx(p, path, i);
		if (!expect_type(v, p, e, JSON_OBJECT, "a changelog entry (an object)"))
			continue;
		check_keys(v, p, e, keys);
		json_t *ver = member(v, p, e, "version", true);
		json_t *date = member(v, p, e, "date", true);
		json_t *ch = member(v, p, e, "changes", true);
		if (ver) {
			path_key(c, p, "version");
			if (expect_type(v, c, ver, JSON_STRING, "a string")) {
				if (json_string_length(ver) == 0)
					problem(v, c, "the version is empty");
				if (version && strcmp(json_string_value(ver), version) == 0)
					current = true;
			}
		}
		if (date) {
			path_key(c, p, "date");
			char q1[QBUF];
			if (expect_type(v, c, date, JSON_STRING, "a date \"YYYY-MM-DD\"") &&
			    !util_date_valid(json_string_value(date)))
				problem(v, c, "%s is not a date YYYY-MM-DD", quote(q1, json_string_value(date)));
		}
		if (ch) {
			path_key(c, p, "changes");
			check_i18n(v, c, ch, false);
		}
	}
	if (version && !current) {
		char q1[QBUF];
		problem(v, path, "no entry names the current version %s", quote(q1, version));
	}
}

static void check_cjat_tools(struct vstate *st, json_t *arr)
{
	struct vctx *v = &st->v;
	const char *path = "$.cjat_tools";
	if (!expect_type(v, path, arr, JSON_ARRAY, "an array of CJAT tools"))
		return;
	static const char *const keys[] = {"id", "cluster", "title", NULL};
	size_t i;
	json_t *e;
	json_array_foreach(arr, i, e) {
		char p[PATHMAX], c[PATHMAX];
		path_idx(p, path, i);
		if (!expect_type(v, p, e, JSON_OBJECT, "a CJAT tool (an object)"))
			continue;
		check_keys(v, p, e, keys);
		json_t *id = member(v, p, e, "id", true);
		json_t *cluster = member(v, p, e, "cluster", true);
		json_t *title = member(v, p, e, "title", true);
		path_key(c, p, "id");
		const char *s = check_id(v, c, id, true);
		if (s)
			idset_add(&st->cjat, s, p, e);
		if (cluster) {
			path_key(c, p, "cluster");
			if (expect_type(v, c, cluster, JSON_STRING, "a string") &&
			    json_string_length(cluster) == 0)
				problem(v, c, "the cluster is empty");
		}
		if (title) {
			path_key(c, p, "title");
			check_i18n(v, c, title, false);
		}
	}
}

static void report_dups(struct vstate *st, const struct idset *s, const char *what)
{
	/* in insertion (file) order */
	for (size_t i = 0; i < s->n; i++) {
		const struct idref *r = &s->v[i];
		if (r->first < 0)
			continue;
		char q1[QBUF], p[PATHMAX];
		path_key(p, r->path, "id");
		problem(&st->v, p, "duplicate %s id %s (first at %s)", what, quote(q1, r->id),
			s->v[r->first].path);
	}
}

/* Pass 1 over the areas: collects the question ids in guide order (the path stored is
 * the question's, e.g. $.areas[0].questions[3]). */
static void collect_questions(struct vstate *st, json_t *areas)
{
	if (!json_is_array(areas))
		return;
	size_t ai, qi;
	json_t *a, *q;
	json_array_foreach(areas, ai, a) {
		json_t *qs = json_object_get(a, "questions");
		if (!json_is_array(qs))
			continue;
		json_array_foreach(qs, qi, q) {
			json_t *id = json_object_get(q, "id");
			if (!json_is_string(id) || !id_valid(json_string_value(id), false))
				continue;
			char p[PATHMAX];
			snprintf(p, sizeof(p), "$.areas[%zu].questions[%zu]", ai, qi);
			idset_add(&st->qs, json_string_value(id), p, q);
		}
	}
}

static void collect_recs(struct vstate *st, json_t *recs)
{
	if (!json_is_array(recs))
		return;
	size_t i;
	json_t *r;
	json_array_foreach(recs, i, r) {
		json_t *id = json_object_get(r, "id");
		if (!json_is_string(id) || !id_valid(json_string_value(id), false))
			continue;
		char p[PATHMAX];
		snprintf(p, sizeof(p), "$.recommendations[%zu]", i);
		idset_add(&st->recs, json_string_value(id), p, r);
	}
}

static void check_option(struct vstate *st, const char *opath, json_t *options, size_t oi)
{
	struct vctx *v = &st->v;
	static const char *const keys[] = {"id", "label", "score", "recommend", NULL};
	json_t *o = json_array_get(options, oi);
	char p[PATHMAX];
	path_idx(p, opath, oi);
	if (!expect_type(v, p, o, JSON_OBJECT, "an option (an object)"))
		return;
	check_keys(v, p, o, keys);
	char c[PATHMAX], q1[QBUF];
	json_t *id = member(v, p, o, "id", true);
	json_t *label = member(v, p, o, "label", true);
	json_t *score = member(v, p, o, "score", true);
	json_t *rec = json_object_get(o, "recommend");
	path_key(c, p, "id");
	const char *s = check_id(v, c, id, false);
	if (s) {
		if (strcmp(s, "na") == 0 || strcmp(s, "dk") == 0)
			problem(v, c, "option id %s is reserved (not applicable / don't know)",
				quote(q1, s));
		for (size_t k = 0; k < oi; k++) {
			json_t *other = json_object_get(json_array_get(options, k), "id");
			if (json_is_string(other) && strcmp(json_string_value(other), s) == 0) {
				char first[PATHMAX];
				path_idx(first, opath, k);
				problem(v, c, "duplicate option id %s (first at %s)", quote(q1, s), first);
				break;
			}
		}
	}
	if (label) {
		path_key(c, p, "label");
		check_i18n(v, c, label, false);
	}
	if (score) {
		path_key(c, p, "score");
		if (expect_type(v, c, score, JSON_REAL, "a number in [0, 1]")) {
			double x = json_number_value(score);
			if (!(x >= 0 && x <= 1))
				problem(v, c, "score %g is outside [0, 1]", x);
		}
	}
	if (rec) {
		path_key(c, p, "recommend");
		check_id_refs(st, c, rec, &st->recs, "recommendation", false, false);
	}
}

static void check_show_if(struct vstate *st, const char *p, json_t *si, size_t order)
{
	struct vctx *v = &st->v;
	static const char *const keys[] = {"question", "in", NULL};
	if (!expect_type(v, p, si, JSON_OBJECT, "an object {\"question\": ID, \"in\": [option ids]}"))
		return;
	check_keys(v, p, si, keys);
	json_t *qj = member(v, p, si, "question", true);
	json_t *in = member(v, p, si, "in", true);
	char c[PATHMAX], q1[QBUF];
	path_key(c, p, "question");
	const char *qid = check_id(v, c, qj, false);
	const struct idref *ctl = NULL;
	if (qid) {
		ctl = idset_find(&st->qs, qid);
		if (!ctl) {
			problem(v, c, "show_if refers to %s which is not an earlier question (no such question)",
				quote(q1, qid));
		} else if (ctl->order >= order) {
			problem(v, c, "show_if refers to %s which is not an earlier question (it is at %s)",
				quote(q1, qid), ctl->path);
			ctl = NULL;
		} else {
			json_t *t = json_object_get(ctl->json, "type");
			if (!json_is_string(t) || !type_scored(json_string_value(t))) {
				if (json_is_string(t) && type_index(json_string_value(t)) >= 0)
					problem(v, c, "show_if refers to %s, a %s question; it must be choice, multi or scale",
						quote(q1, qid), json_string_value(t));
				ctl = NULL;
			}
		}
	}
	if (!in)
		return;
	path_key(c, p, "in");
	if (!expect_type(v, c, in, JSON_ARRAY, "a non-empty array of option ids"))
		return;
	if (json_array_size(in) == 0)
		problem(v, c, "must list at least one option id");
	json_t *opts = ctl ? json_object_get(ctl->json, "options") : NULL;
	size_t i;
	json_t *e;
	json_array_foreach(in, i, e) {
		char ep[PATHMAX];
		path_idx(ep, c, i);
		const char *oid = check_id(v, ep, e, false);
		if (!oid)
			continue;
		for (size_t k = 0; k < i; k++)
			if (json_is_string(json_array_get(in, k)) &&
			    strcmp(json_string_value(json_array_get(in, k)), oid) == 0) {
				problem(v, ep, "%s is listed twice", quote(q1, oid));
				break;
			}
		if (!json_is_array(opts))
			continue;
		bool found = false;
		size_t k;
		json_t *o;
		json_array_foreach(opts, k, o) {
			json_t *x = json_object_get(o, "id");
			if (json_is_string(x) && strcmp(json_string_value(x), oid) == 0)
				found = true;
		}
		if (!found) {
			char q2[QBUF];
			problem(v, ep, "%s is not an option of question %s", quote(q1, oid), quote(q2, qid));
		}
	}
}

static void check_refs(struct vstate *st, const char *p, json_t *refs)
{
	struct vctx *v = &st->v;
	static const char *const keys[] = {"protocol", "cluster", NULL};
	if (!expect_type(v, p, refs, JSON_OBJECT, "an object {\"protocol\": [...], \"cluster\": ...}"))
		return;
	check_keys(v, p, refs, keys);
	char c[PATHMAX];
	json_t *prot = json_object_get(refs, "protocol");
	if (prot) {
		path_key(c, p, "protocol");
		if (expect_type(v, c, prot, JSON_ARRAY, "an array of article numbers")) {
			size_t i;
			json_t *e;
			json_array_foreach(prot, i, e) {
				char ep[PATHMAX];
				path_idx(ep, c, i);
				if (!json_is_integer(e)) {
					problem(v, ep, "expected an article number (an integer 1..19), found %s",
						json_kind(e));
					continue;
				}
				json_int_t n = json_integer_value(e);
				if (n < 1 || n > 19) {
					problem(v, ep, "article %" JSON_INTEGER_FORMAT
						   " is not an article of the Protocol (1..19)", n);
					continue;
				}
				for (size_t k = 0; k < i; k++)
					if (json_is_integer(json_array_get(prot, k)) &&
					    json_integer_value(json_array_get(prot, k)) == n) {
						problem(v, ep, "article %" JSON_INTEGER_FORMAT " is listed twice", n);
						break;
					}
			}
		}
	}
	json_t *cl = json_object_get(refs, "cluster");
	if (cl) {
		path_key(c, p, "cluster");
		if (expect_type(v, c, cl, JSON_STRING, "a string")) {
			bool ok = false;
			for (size_t i = 0; i < ARRAY_SIZE(ref_clusters); i++)
				if (strcmp(json_string_value(cl), ref_clusters[i]) == 0)
					ok = true;
			char q1[QBUF];
			if (!ok)
				problem(v, c, "unknown cluster %s (expected criminalization, prevention, "
					      "law-enforcement or cooperation)",
					quote(q1, json_string_value(cl)));
		}
	}
}

static void check_question(struct vstate *st, const char *p, json_t *q, size_t *order)
{
	struct vctx *v = &st->v;
	static const char *const keys[] = {"id",   "type",    "text", "guidance", "weight",  "critical",
					   "allow_na", "refs", "cjat", "options",  "show_if", "min",
					   "max",  "integer", "unit", "max_length", NULL};
	if (!expect_type(v, p, q, JSON_OBJECT, "a question (an object)"))
		return;
	check_keys(v, p, q, keys);
	char c[PATHMAX], q1[QBUF];

	json_t *id = member(v, p, q, "id", true);
	path_key(c, p, "id");
	const char *qid = check_id(v, c, id, false);
	size_t my_order = *order;
	if (qid)
		(*order)++; /* guide order counts the questions collected in pass 1 */

	json_t *type = member(v, p, q, "type", true);
	int t = -1;
	if (type) {
		path_key(c, p, "type");
		if (expect_type(v, c, type, JSON_STRING, "a string")) {
			t = type_index(json_string_value(type));
			if (t < 0)
				problem(v, c, "unknown type %s (expected choice, multi, scale, number, text or date)",
					quote(q1, json_string_value(type)));
		}
	}
	bool scored = t == Q_CHOICE || t == Q_MULTI || t == Q_SCALE;

	json_t *text = member(v, p, q, "text", true);
	if (text) {
		path_key(c, p, "text");
		check_i18n(v, c, text, false);
	}
	json_t *guid = member(v, p, q, "guidance", scored);
	if (guid) {
		path_key(c, p, "guidance");
		check_i18n(v, c, guid, !scored);
	}

	json_t *w = json_object_get(q, "weight");
	if (w) {
		path_key(c, p, "weight");
		if (json_is_integer(w)) {
			if (json_integer_value(w) < 1 || json_integer_value(w) > 3)
				problem(v, c, "weight %" JSON_INTEGER_FORMAT " is not 1, 2 or 3",
					json_integer_value(w));
		} else if (json_is_real(w)) {
			problem(v, c, "weight %g is not 1, 2 or 3 (an integer)", json_real_value(w));
		} else {
			problem(v, c, "expected a weight 1, 2 or 3, found %s", json_kind(w));
		}
	}
	check_bool(v, p, q, "critical");
	check_bool(v, p, q, "allow_na");
	if (json_is_true(json_object_get(q, "critical")) && t >= 0 && !scored) {
		path_key(c, p, "critical");
		problem(v, c, "only scored questions (choice, multi, scale) may be critical; this one is %s",
			qtype_names[t]);
	}

	json_t *refs = json_object_get(q, "refs");
	if (refs) {
		path_key(c, p, "refs");
		check_refs(st, c, refs);
	}
	json_t *cj = json_object_get(q, "cjat");
	if (cj) {
		path_key(c, p, "cjat");
		check_id_refs(st, c, cj, &st->cjat, "CJAT tool", true, false);
	}

	json_t *opts = json_object_get(q, "options");
	if (t >= 0 && scored) {
		opts = member(v, p, q, "options", true);
		if (opts) {
			path_key(c, p, "options");
			if (expect_type(v, c, opts, JSON_ARRAY, "an array of options")) {
				size_t n = json_array_size(opts);
				if (n < 2)
					problem(v, c, "a %s question needs at least two options, found %zu",
						qtype_names[t], n);
				else if (n > GUIDE_MAX_OPTIONS)
					problem(v, c, "a question may have at most %d options, found %zu",
						GUIDE_MAX_OPTIONS, n);
				for (size_t i = 0; i < n; i++)
					check_option(st, c, opts, i);
			}
		}
	} else if (t >= 0 && opts) {
		path_key(c, p, "options");
		problem(v, c, "a %s question has no options", qtype_names[t]);
	}

	json_t *si = json_object_get(q, "show_if");
	if (si) {
		path_key(c, p, "show_if");
		check_show_if(st, c, si, qid ? my_order : (size_t)-1);
	}

	/* number-only keys */
	static const char *const numkeys[] = {"min", "max", "integer", "unit"};
	for (size_t i = 0; i < ARRAY_SIZE(numkeys); i++) {
		json_t *j = json_object_get(q, numkeys[i]);
		if (!j)
			continue;
		path_key(c, p, numkeys[i]);
		if (t >= 0 && t != Q_NUMBER) {
			problem(v, c, "%s is only allowed on number questions", numkeys[i]);
			continue;
		}
		if (i < 2)
			expect_type(v, c, j, JSON_REAL, "a number");
		else if (i == 2)
			expect_type(v, c, j, JSON_TRUE, "a boolean (true or false)");
		else
			check_i18n(v, c, j, false);
	}
	json_t *mn = json_object_get(q, "min"), *mx = json_object_get(q, "max");
	if (t == Q_NUMBER && json_is_number(mn) && json_is_number(mx) &&
	    json_number_value(mn) > json_number_value(mx)) {
		path_key(c, p, "min");
		problem(v, c, "min %g is greater than max %g", json_number_value(mn), json_number_value(mx));
	}
	json_t *ml = json_object_get(q, "max_length");
	if (ml) {
		path_key(c, p, "max_length");
		if (t >= 0 && t != Q_TEXT)
			problem(v, c, "max_length is only allowed on text questions");
		else if (!json_is_integer(ml))
			problem(v, c, "expected an integer 1..20000, found %s", json_kind(ml));
		else if (json_integer_value(ml) < 1 || json_integer_value(ml) > 20000)
			problem(v, c, "max_length %" JSON_INTEGER_FORMAT " is outside 1..20000",
				json_integer_value(ml));
	}
}

static void check_areas(struct vstate *st, json_t *areas)
{
	struct vctx *v = &st->v;
	const char *path = "$.areas";
	if (!expect_type(v, path, areas, JSON_ARRAY, "an array of the seven areas"))
		return;
	static const char *const keys[] = {"id", "title", "description", "questions", NULL};
	long seen[GUIDE_N_AREAS];
	for (int i = 0; i < GUIDE_N_AREAS; i++)
		seen[i] = -1;
	size_t order = 0;
	size_t ai;
	json_t *a;
	json_array_foreach(areas, ai, a) {
		char p[PATHMAX], c[PATHMAX], q1[QBUF];
		path_idx(p, path, ai);
		if (!expect_type(v, p, a, JSON_OBJECT, "an area (an object)"))
			continue;
		check_keys(v, p, a, keys);
		json_t *id = member(v, p, a, "id", true);
		if (id) {
			path_key(c, p, "id");
			if (expect_type(v, c, id, JSON_STRING, "an area id (a string)")) {
				int k = area_id_index(json_string_value(id));
				if (k < 0)
					problem(v, c, "unknown area %s (expected one of %s)",
						quote(q1, json_string_value(id)), area_list());
				else if (seen[k] >= 0)
					problem(v, c, "duplicate area %s (first at $.areas[%ld])",
						quote(q1, json_string_value(id)), seen[k]);
				else
					seen[k] = (long)ai;
			}
		}
		json_t *title = member(v, p, a, "title", true);
		if (title) {
			path_key(c, p, "title");
			check_i18n(v, c, title, false);
		}
		json_t *desc = member(v, p, a, "description", true);
		if (desc) {
			path_key(c, p, "description");
			check_i18n(v, c, desc, false);
		}
		json_t *qs = member(v, p, a, "questions", true);
		if (!qs)
			continue;
		path_key(c, p, "questions");
		if (!expect_type(v, c, qs, JSON_ARRAY, "an array of questions"))
			continue;
		if (json_array_size(qs) == 0)
			problem(v, c, "an area needs at least one question");
		size_t qi;
		json_t *q;
		json_array_foreach(qs, qi, q) {
			char qp[PATHMAX];
			path_idx(qp, c, qi);
			check_question(st, qp, q, &order);
		}
	}
	for (int i = 0; i < GUIDE_N_AREAS; i++)
		if (seen[i] < 0)
			problem(v, path, "missing area \"%s\" (the guide needs exactly the seven areas: %s)",
				guide_area_ids[i], area_list());
}

static void check_recommendations(struct vstate *st, json_t *recs)
{
	struct vctx *v = &st->v;
	const char *path = "$.recommendations";
	if (!expect_type(v, path, recs, JSON_ARRAY, "an array of recommendations"))
		return;
	static const char *const keys[] = {"id", "area", "title", "description", "resources", "cjat",
					   NULL};
	size_t i;
	json_t *r;
	json_array_foreach(recs, i, r) {
		char p[PATHMAX], c[PATHMAX], q1[QBUF];
		path_idx(p, path, i);
		if (!expect_type(v, p, r, JSON_OBJECT, "a recommendation (an object)"))
			continue;
		check_keys(v, p, r, keys);
		json_t *id = member(v, p, r, "id", true);
		path_key(c, p, "id");
		check_id(v, c, id, false);
		json_t *area = member(v, p, r, "area", true);
		if (area) {
			path_key(c, p, "area");
			if (expect_type(v, c, area, JSON_STRING, "an area id (a string)") &&
			    area_id_index(json_string_value(area)) < 0)
				problem(v, c, "unknown area %s (expected one of %s)",
					quote(q1, json_string_value(area)), area_list());
		}
		json_t *title = member(v, p, r, "title", true);
		if (title) {
			path_key(c, p, "title");
			check_i18n(v, c, title, false);
		}
		json_t *desc = member(v, p, r, "description", true);
		if (desc) {
			path_key(c, p, "description");
			check_i18n(v, c, desc, false);
		}
		json_t *res = member(v, p, r, "resources", true);
		if (res) {
			path_key(c, p, "resources");
			if (expect_type(v, c, res, JSON_ARRAY, "a non-empty array of i18n maps")) {
				if (json_array_size(res) == 0)
					problem(v, c, "must list at least one resource");
				size_t k;
				json_t *e;
				json_array_foreach(res, k, e) {
					char ep[PATHMAX];
					path_idx(ep, c, k);
					check_i18n(v, ep, e, false);
				}
			}
		}
		json_t *cj = member(v, p, r, "cjat", true);
		if (cj) {
			path_key(c, p, "cjat");
			check_id_refs(st, c, cj, &st->cjat, "CJAT tool", true, false);
		}
	}
}

/* Runs every check; returns the number of problems. */
static size_t validate(struct vstate *st)
{
	struct vctx *v = &st->v;
	json_t *root = st->root;
	if (!json_is_object(root)) {
		problem(v, "$", "the guide must be a JSON object, found %s", json_kind(root));
		return v->count;
	}
	static const char *const keys[] = {"version", "title", "changelog", "cjat_tools", "areas",
					   "recommendations", NULL};
	check_keys(v, "$", root, keys);

	json_t *ver = member(v, "$", root, "version", true);
	const char *version = NULL;
	if (ver && expect_type(v, "$.version", ver, JSON_STRING, "a string")) {
		char q1[QBUF];
		if (json_string_length(ver) == 0)
			problem(v, "$.version", "the version is empty");
		else if (!version_valid(json_string_value(ver), json_string_length(ver)))
			problem(v, "$.version",
				"the version %s must be at most %d letters, digits, dots, dashes, underscores or plus "
				"signs, starting with a letter or digit (e.g. \"1.2.0\")",
				quote(q1, json_string_value(ver)), GUIDE_VERSION_MAX);
		else
			version = json_string_value(ver);
	}
	json_t *title = member(v, "$", root, "title", true);
	if (title)
		check_i18n(v, "$.title", title, false);
	json_t *cl = member(v, "$", root, "changelog", true);
	if (cl)
		check_changelog(st, cl, version);

	json_t *tools = member(v, "$", root, "cjat_tools", true);
	if (tools)
		check_cjat_tools(st, tools);
	idset_finish(&st->cjat);
	report_dups(st, &st->cjat, "CJAT tool");

	json_t *areas = member(v, "$", root, "areas", true);
	json_t *recs = member(v, "$", root, "recommendations", true);
	collect_recs(st, recs);
	idset_finish(&st->recs);
	collect_questions(st, areas);
	idset_finish(&st->qs);

	if (areas)
		check_areas(st, areas);
	report_dups(st, &st->qs, "question");
	if (recs)
		check_recommendations(st, recs);
	report_dups(st, &st->recs, "recommendation");
	return v->count;
}

/* ------------------------------------------------------------------ building */

/* An index of n structs (stride bytes apart, each starting with a const char *id) sorted
 * by id. */
static size_t *sorted_index(const void *base, size_t n, size_t stride)
{
	struct keyed *k = xreallocarray(NULL, n ? n : 1, sizeof(*k));
	for (size_t i = 0; i < n; i++)
		k[i] = (struct keyed){*(const char *const *)((const char *)base + i * stride), i};
	size_t *ix = sort_ids(k, n);
	free(k);
	return ix;
}

static long find_sorted(const void *base, size_t n, size_t stride, const size_t *ix, const char *id)
{
	if (!id || !ix)
		return -1;
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *s = *(const char *const *)((const char *)base + ix[mid] * stride);
		int c = strcmp(s, id);
		if (c == 0)
			return (long)ix[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static void build(struct guide *g)
{
	json_t *root = g->root;
	g->version = json_string_value(json_object_get(root, "version"));

	json_t *tools = json_object_get(root, "cjat_tools");
	g->n_cjat = json_array_size(tools);
	g->cjat = xcalloc(g->n_cjat ? g->n_cjat : 1, sizeof(*g->cjat));
	for (size_t i = 0; i < g->n_cjat; i++) {
		json_t *t = json_array_get(tools, i);
		g->cjat[i].id = json_string_value(json_object_get(t, "id"));
		g->cjat[i].cluster = json_string_value(json_object_get(t, "cluster"));
		g->cjat[i].json = t;
	}
	g->cjat_by_id = sorted_index(g->cjat, g->n_cjat, sizeof(*g->cjat));

	json_t *areas = json_object_get(root, "areas");
	size_t nq = 0;
	for (size_t a = 0; a < GUIDE_N_AREAS; a++)
		nq += json_array_size(json_object_get(json_array_get(areas, a), "questions"));
	g->n_questions = nq;
	g->questions = xcalloc(nq ? nq : 1, sizeof(*g->questions));

	size_t k = 0;
	for (size_t a = 0; a < GUIDE_N_AREAS; a++) {
		json_t *aj = json_array_get(areas, a);
		struct guide_area *ar = &g->areas[a];
		ar->id = json_string_value(json_object_get(aj, "id"));
		ar->json = aj;
		ar->first_q = k;
		json_t *qs = json_object_get(aj, "questions");
		ar->n_q = json_array_size(qs);
		for (size_t i = 0; i < ar->n_q; i++, k++) {
			json_t *qj = json_array_get(qs, i);
			struct guide_question *q = &g->questions[k];
			q->id = json_string_value(json_object_get(qj, "id"));
			q->index = k;
			q->area = (int)a;
			q->type = (enum qtype)type_index(json_string_value(json_object_get(qj, "type")));
			json_t *w = json_object_get(qj, "weight");
			q->weight = w ? (int)json_integer_value(w) : 1;
			q->critical = json_is_true(json_object_get(qj, "critical"));
			json_t *na = json_object_get(qj, "allow_na");
			q->allow_na = na ? json_is_true(na) : true;
			q->scored = q->type == Q_CHOICE || q->type == Q_MULTI || q->type == Q_SCALE;
			q->show_if_q = -1;
			q->json = qj;
			json_t *mn = json_object_get(qj, "min"), *mx = json_object_get(qj, "max");
			q->has_min = mn != NULL;
			q->has_max = mx != NULL;
			q->min = mn ? json_number_value(mn) : 0;
			q->max = mx ? json_number_value(mx) : 0;
			q->integer = json_is_true(json_object_get(qj, "integer"));
			json_t *ml = json_object_get(qj, "max_length");
			q->max_length = ml ? (size_t)json_integer_value(ml) : GUIDE_TEXT_MAX_LENGTH_DEFAULT;
			json_t *opts = json_object_get(qj, "options");
			q->n_options = q->scored ? json_array_size(opts) : 0;
			if (q->n_options)
				q->options = xcalloc(q->n_options, sizeof(*q->options));
			for (size_t o = 0; o < q->n_options; o++) {
				json_t *oj = json_array_get(opts, o);
				struct guide_option *op = &q->options[o];
				op->id = json_string_value(json_object_get(oj, "id"));
				op->score = json_number_value(json_object_get(oj, "score"));
				op->label = json_object_get(oj, "label");
				json_t *rec = json_object_get(oj, "recommend");
				op->n_recommend = json_array_size(rec);
				if (op->n_recommend) {
					op->recommend = xcalloc(op->n_recommend, sizeof(*op->recommend));
					for (size_t r = 0; r < op->n_recommend; r++)
						op->recommend[r] = json_string_value(json_array_get(rec, r));
				}
			}
		}
	}
	g->q_by_id = sorted_index(g->questions, g->n_questions, sizeof(*g->questions));

	/* show_if needs every question (and its options) in place */
	for (size_t i = 0; i < g->n_questions; i++) {
		struct guide_question *q = &g->questions[i];
		json_t *si = json_object_get(q->json, "show_if");
		if (!si)
			continue;
		long c = find_sorted(g->questions, g->n_questions, sizeof(*g->questions), g->q_by_id,
				     json_string_value(json_object_get(si, "question")));
		q->show_if_q = c;
		size_t e;
		json_t *oid;
		json_array_foreach(json_object_get(si, "in"), e, oid) {
			long o = guide_option_index(&g->questions[c], json_string_value(oid));
			q->show_if_mask |= (uint64_t)1 << o;
		}
	}

	json_t *recs = json_object_get(root, "recommendations");
	g->n_recs = json_array_size(recs);
	g->recs = xcalloc(g->n_recs ? g->n_recs : 1, sizeof(*g->recs));
	for (size_t i = 0; i < g->n_recs; i++) {
		json_t *r = json_array_get(recs, i);
		g->recs[i].id = json_string_value(json_object_get(r, "id"));
		g->recs[i].area = guide_area_index(g, json_string_value(json_object_get(r, "area")));
		g->recs[i].json = r;
	}
	g->rec_by_id = sorted_index(g->recs, g->n_recs, sizeof(*g->recs));
}

struct guide *guide_load_buffer(const char *buf, size_t len, struct guide_problems *problems)
{
	struct vstate st;
	memset(&st, 0, sizeof(st));
	st.v.pr = problems;
	json_error_t err;
	st.root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
	if (!st.root) {
		problem(&st.v, "$", "line %d column %d: %s", err.line, err.column, err.text);
		return NULL;
	}
	size_t n = validate(&st);
	idset_free(&st.cjat);
	idset_free(&st.recs);
	idset_free(&st.qs);
	if (n) {
		json_decref(st.root);
		return NULL;
	}
	struct guide *g = xcalloc(1, sizeof(*g));
	g->root = st.root;
	build(g);
	return g;
}

struct guide *guide_load_file(const char *path, struct guide_problems *problems)
{
	size_t len;
	char *buf = util_read_file(path, GUIDE_MAX_FILE, &len);
	if (!buf) {
		struct vctx v = {.pr = problems};
		char q1[QBUF];
		problem(&v, "$", "cannot read %s: %s", quote(q1, path),
			errno == EFBIG ? "larger than 16 MiB" : strerror(errno));
		return NULL;
	}
	struct guide *g = guide_load_buffer(buf, len, problems);
	free(buf);
	return g;
}

void guide_free(struct guide *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n_questions; i++) {
		struct guide_question *q = &g->questions[i];
		for (size_t o = 0; o < q->n_options; o++)
			free(q->options[o].recommend);
		free(q->options);
	}
	free(g->questions);
	free(g->recs);
	free(g->cjat);
	free(g->q_by_id);
	free(g->rec_by_id);
	free(g->cjat_by_id);
	json_decref(g->root);
	free(g);
}

/* ------------------------------------------------------------------ lookups */

const struct guide_question *guide_question(const struct guide *g, const char *id)
{
	long i = find_sorted(g->questions, g->n_questions, sizeof(*g->questions), g->q_by_id, id);
	return i < 0 ? NULL : &g->questions[i];
}

const struct guide_rec *guide_rec(const struct guide *g, const char *id)
{
	long i = find_sorted(g->recs, g->n_recs, sizeof(*g->recs), g->rec_by_id, id);
	return i < 0 ? NULL : &g->recs[i];
}

const struct guide_cjat *guide_cjat(const struct guide *g, const char *id)
{
	long i = find_sorted(g->cjat, g->n_cjat, sizeof(*g->cjat), g->cjat_by_id, id);
	return i < 0 ? NULL : &g->cjat[i];
}

int guide_area_index(const struct guide *g, const char *id)
{
	if (!id)
		return -1;
	for (int i = 0; i < GUIDE_N_AREAS; i++)
		if (g->areas[i].id && strcmp(g->areas[i].id, id) == 0)
			return i;
	return -1;
}

long guide_option_index(const struct guide_question *q, const char *id)
{
	if (!id)
		return -1;
	for (size_t i = 0; i < q->n_options; i++)
		if (strcmp(q->options[i].id, id) == 0)
			return (long)i;
	return -1;
}

const char *guide_text(const json_t *i18n, const char *lang)
{
	const char *s = NULL;
	if (lang)
		s = json_string_value(json_object_get(i18n, lang));
	if (!s)
		s = json_string_value(json_object_get(i18n, "en"));
	return s ? s : "";
}

/* ------------------------------------------------------------------ answers */

static int fail(char *err, size_t errlen, struct answer *out, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, struct answer *out, const char *fmt, ...)
{
	memset(out, 0, sizeof(*out));
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* "a, b, c" of q's option ids for messages */
static void option_list(const struct guide_question *q, char *buf, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	sb.limit = len > 4 ? len - 4 : 1;
	for (size_t i = 0; i < q->n_options; i++) {
		if (i)
			strbuf_adds(&sb, ", ");
		strbuf_adds(&sb, q->options[i].id);
	}
	snprintf(buf, len, "%s%s", sb.buf, sb.overflow ? "..." : "");
	strbuf_release(&sb);
}

static int unknown_option(const struct guide_question *q, const char *s, struct answer *out, char *err,
			  size_t errlen)
{
	char q1[QBUF], list[300];
	option_list(q, list, sizeof(list));
	return fail(err, errlen, out, "%s is not an option of question \"%s\" (options: %s)",
		    quote(q1, s), q->id, list);
}

int guide_parse_answer(const struct guide_question *q, const json_t *value, struct answer *out,
		       char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (err && errlen)
		err[0] = '\0';
	if (!value || json_is_null(value)) {
		out->kind = ANS_NONE;
		return 0;
	}
	if (json_is_string(value)) {
		const char *s = json_string_value(value);
		if (strcmp(s, "dk") == 0) {
			out->kind = ANS_DK;
			return 0;
		}
		if (strcmp(s, "na") == 0) {
			if (!q->allow_na)
				return fail(err, errlen, out,
					    "\"na\" (not applicable) is not allowed for question \"%s\"", q->id);
			out->kind = ANS_NA;
			return 0;
		}
	}
	char q1[QBUF];
	switch (q->type) {
	case Q_CHOICE:
	case Q_SCALE: {
		if (!json_is_string(value))
			return fail(err, errlen, out, "expected an option id (a string), found %s",
				    json_kind(value));
		long o = guide_option_index(q, json_string_value(value));
		if (o < 0)
			return unknown_option(q, json_string_value(value), out, err, errlen);
		out->kind = ANS_VALUE;
		out->mask = (uint64_t)1 << o;
		return 0;
	}
	case Q_MULTI: {
		if (!json_is_array(value))
			return fail(err, errlen, out, "expected an array of option ids, found %s",
				    json_kind(value));
		if (json_array_size(value) == 0)
			return fail(err, errlen, out, "select at least one option (or answer \"na\" or \"dk\")");
		uint64_t mask = 0;
		size_t i;
		const json_t *e;
		json_array_foreach(value, i, e) {
			if (!json_is_string(e))
				return fail(err, errlen, out, "item %zu: expected an option id (a string), found %s",
					    i + 1, json_kind(e));
			const char *s = json_string_value(e);
			if (strcmp(s, "na") == 0 || strcmp(s, "dk") == 0)
				return fail(err, errlen, out, "\"%s\" must be the whole answer, not an item of the list",
					    s);
			long o = guide_option_index(q, s);
			if (o < 0)
				return unknown_option(q, s, out, err, errlen);
			uint64_t bit = (uint64_t)1 << o;
			if (mask & bit)
				return fail(err, errlen, out, "option %s is selected twice", quote(q1, s));
			mask |= bit;
		}
		out->kind = ANS_VALUE;
		out->mask = mask;
		return 0;
	}
	case Q_NUMBER: {
		if (!json_is_number(value))
			return fail(err, errlen, out, "expected a number, found %s", json_kind(value));
		double x = json_number_value(value);
		if (!isfinite(x))
			return fail(err, errlen, out, "the number is not finite");
		if (q->integer && x != floor(x))
			return fail(err, errlen, out, "expected a whole number, found %.15g", x);
		if (q->has_min && x < q->min)
			return fail(err, errlen, out, "%.15g is below the minimum %.15g", x, q->min);
		if (q->has_max && x > q->max)
			return fail(err, errlen, out, "%.15g is above the maximum %.15g", x, q->max);
		out->kind = ANS_VALUE;
		out->number = x;
		return 0;
	}
	case Q_TEXT: {
		if (!json_is_string(value))
			return fail(err, errlen, out, "expected a text (a string), found %s", json_kind(value));
		const char *s = json_string_value(value);
		size_t n = json_string_length(value);
		if (n == 0)
			return fail(err, errlen, out, "the text is empty (send null to clear the answer)");
		if (!util_utf8_valid(s, n))
			return fail(err, errlen, out,
				    "the text is not valid UTF-8 or contains control characters");
		if (n > q->max_length)
			return fail(err, errlen, out, "the text is %zu bytes long; the limit is %zu", n,
				    q->max_length);
		out->kind = ANS_VALUE;
		out->text = s;
		return 0;
	}
	case Q_DATE: {
		if (!json_is_string(value))
			return fail(err, errlen, out, "expected a date \"YYYY-MM-DD\" (a string), found %s",
				    json_kind(value));
		const char *s = json_string_value(value);
		if (strlen(s) != json_string_length(value) || !util_date_valid(s))
			return fail(err, errlen, out, "%s is not a valid date YYYY-MM-DD", quote(q1, s));
		out->kind = ANS_VALUE;
		out->text = s;
		return 0;
	}
	}
	return fail(err, errlen, out, "question \"%s\" has an unknown type", q->id);
}

json_t *guide_answer_json(const struct guide_question *q, const struct answer *a)
{
	switch (a->kind) {
	case ANS_NONE: return json_null();
	case ANS_NA: return json_string("na");
	case ANS_DK: return json_string("dk");
	case ANS_VALUE: break;
	}
	switch (q->type) {
	case Q_CHOICE:
	case Q_SCALE:
		for (size_t i = 0; i < q->n_options; i++)
			if (a->mask & ((uint64_t)1 << i))
				return json_string(q->options[i].id);
		return json_null();
	case Q_MULTI: {
		json_t *arr = json_array();
		for (size_t i = 0; i < q->n_options; i++)
			if (a->mask & ((uint64_t)1 << i))
				json_array_append_new(arr, json_string(q->options[i].id));
		return arr;
	}
	case Q_NUMBER:
		if (a->number == floor(a->number) && fabs(a->number) < 9e15)
			return json_integer((json_int_t)a->number);
		return json_real(a->number);
	case Q_TEXT:
	case Q_DATE:
		return a->text ? json_string(a->text) : json_null();
	}
	return json_null();
}

bool guide_question_visible(const struct guide *g, const struct guide_question *q,
			    const struct answer *answers)
{
	/* show_if always points to an earlier question, so this walk ends */
	while (q->show_if_q >= 0) {
		const struct guide_question *c = &g->questions[q->show_if_q];
		if (!answers)
			return false;
		const struct answer *a = &answers[c->index];
		if (a->kind != ANS_VALUE || !(a->mask & q->show_if_mask))
			return false;
		q = c;
	}
	return true;
}
