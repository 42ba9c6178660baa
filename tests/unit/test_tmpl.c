/* test_tmpl.c - the template engine: data-driven cases from tmpl_cases.json (one CMocka
 * test per case, named after it), an XSS corpus, directory loading, limits, threads.
 * Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "strbuf.h"
#include "tmpl.h"
#include "util.h"

#define CASES_FILE "tests/unit/tmpl_cases.json"

static json_t *cases_doc; /* loaded once in main, read-only afterwards */

/* Builds a set from a template named "test" and optional partials, links it. Returns
 * the set, or NULL with the message in err. */
static struct tmpl_set *build_set(const char *tmpl, const json_t *partials, char *err,
				  size_t errlen)
{
	struct tmpl_set *set = tmpl_set_new();
	const char *key;
	json_t *src;
	if (tmpl_set_add(set, "test", tmpl, strlen(tmpl), err, errlen) < 0)
		goto fail;
	json_object_foreach((json_t *)partials, key, src) {
		if (tmpl_set_add(set, key, json_string_value(src), json_string_length(src), err,
				 errlen) < 0)
			goto fail;
	}
	if (tmpl_set_link(set, err, errlen) < 0)
		goto fail;
	return set;
fail:
	tmpl_set_free(set);
	return NULL;
}

/* One case of tmpl_cases.json; state is the case object. */
static void test_case(void **state)
{
	const json_t *c = *state;
	const char *name = json_string_value(json_object_get(c, "name"));
	const char *tmpl = json_string_value(json_object_get(c, "template"));
	const json_t *partials = json_object_get(c, "partials");
	const char *expected = json_string_value(json_object_get(c, "expected"));
	const char *want_err = json_string_value(json_object_get(c, "error_contains"));
	char err[256] = "";

	if (!tmpl || (!expected && !want_err))
		fail_msg("case '%s': needs template and expected or error_contains",
			 name ? name : "?");
	struct tmpl_set *set = build_set(tmpl, partials, err, sizeof(err));
	if (want_err) {
		if (set) {
			tmpl_set_free(set);
			fail_msg("case '%s': compiled, expected an error containing \"%s\"", name,
				 want_err);
		}
		if (!strstr(err, want_err))
			fail_msg("case '%s': error \"%s\" does not contain \"%s\"", name, err,
				 want_err);
		return;
	}
	if (!set)
		fail_msg("case '%s': %s", name, err);
	struct strbuf out;
	strbuf_init(&out, 0);
	int rc = tmpl_render(set, "test", json_object_get(c, "data"), &out);
	bool same = rc == 0 && strcmp(out.buf, expected) == 0;
	if (!same) {
		json_t *got = json_string(out.buf), *want = json_string(expected);
		char *g = json_dumps(got, JSON_ENCODE_ANY), *w = json_dumps(want, JSON_ENCODE_ANY);
		print_error("case '%s': rc %d\n  got      %s\n  expected %s\n", name, rc, g, w);
		free(g);
		free(w);
		json_decref(got);
		json_decref(want);
	}
	strbuf_release(&out);
	tmpl_set_free(set);
	if (!same)
		fail_msg("case '%s' failed", name);
}

/* ---- XSS corpus ---- */

/* Checks that s holds no raw < > " ' and that each & starts one of the entities the
 * escaper writes; returns the decoded text (caller frees) or NULL. */
static char *decode_checked(const char *s, size_t len)
{
	static const struct {
		const char *ent;
		char ch;
	} ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
	struct strbuf d;
	strbuf_init(&d, 0);
	for (size_t i = 0; i < len;) {
		if (s[i] && strchr("<>\"'", s[i]))
			goto bad;
		if (s[i] != '&') {
			strbuf_addch(&d, s[i++]);
			continue;
		}
		size_t k;
		for (k = 0; k < ARRAY_SIZE(ents); k++)
			if (strncmp(s + i, ents[k].ent, strlen(ents[k].ent)) == 0)
				break;
		if (k == ARRAY_SIZE(ents))
			goto bad;
		strbuf_addch(&d, ents[k].ch);
		i += strlen(ents[k].ent);
	}
	return strbuf_detach(&d, NULL);
bad:
	strbuf_release(&d);
	return NULL;
}

/* Every way a value reaches {{x}}-style output: plain, dotted, inside a section, the
 * implicit iterator, through a partial. The templates' own text has no markup, so any
 * < > " ' in the output came from data unescaped. */
static void test_xss_corpus(void **state)
{
	(void)state;
	static const char page[] = "[{{x}}]{{o.x}}{{#o}}({{x}}){{/o}}{{#l}}<{{.}}>{{/l}}{{>p}}";
	/* The same template with its <> made literal outside the data: checked separately. */
	static const char plain[] = "[{{x}}]{{o.x}}{{#o}}({{x}}){{/o}}{{#l}}-{{.}}-{{/l}}{{>p}}";
	static const char attr[] = "<a title=\"{{x}}\" data-x='{{x}}'>";
	char err[256];
	const json_t *corpus = json_object_get(cases_doc, "xss");
	assert_true(json_array_size(corpus) > 0);

	struct tmpl_set *set = tmpl_set_new();
	assert_int_equal(tmpl_set_add(set, "page", page, strlen(page), err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_add(set, "plain", plain, strlen(plain), err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_add(set, "attr", attr, strlen(attr), err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_add(set, "p", "{{x}}", 5, err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_add(set, "raw", "{{{x}}}", 7, err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_link(set, err, sizeof(err)), 0);

	size_t i;
	json_t *s;
	json_array_foreach(corpus, i, s) {
		const char *x = json_string_value(s);
		assert_non_null(x);
		json_t *data = json_pack("{s:O, s:{s:O}, s:[O,O]}", "x", s, "o", "x", s, "l", s, s);
		struct strbuf out, want;
		strbuf_init(&out, 0);
		strbuf_init(&want, 0);

		assert_int_equal(tmpl_render(set, "plain", data, &out), 0);
		char *dec = decode_checked(out.buf, out.len);
		if (!dec)
			fail_msg("xss #%zu: raw markup character or bare & in \"%s\"", i, out.buf);
		strbuf_addf(&want, "[%s]%s(%s)-%s--%s-%s", x, x, x, x, x, x);
		if (strcmp(dec, want.buf) != 0)
			fail_msg("xss #%zu: decoding \"%s\" gives \"%s\", not \"%s\"", i, out.buf,
				 dec, want.buf);
		free(dec);

		/* With markup in the template: exactly the template's own <, >, quotes. */
		strbuf_reset(&out);
		assert_int_equal(tmpl_render(set, "page", data, &out), 0);
		size_t lt = 0, gt = 0, q = 0;
		for (size_t k = 0; k < out.len; k++) {
			lt += out.buf[k] == '<';
			gt += out.buf[k] == '>';
			q += out.buf[k] == '"' || out.buf[k] == '\'';
		}
		assert_int_equal(lt, 2);
		assert_int_equal(gt, 2);
		assert_int_equal(q, 0);

		strbuf_reset(&out);
		assert_int_equal(tmpl_render(set, "attr", data, &out), 0);
		strbuf_reset(&want);
		strbuf_adds(&want, "<a title=\"");
		strbuf_add_html(&want, x, strlen(x));
		strbuf_adds(&want, "\" data-x='");
		strbuf_add_html(&want, x, strlen(x));
		strbuf_adds(&want, "'>");
		assert_string_equal(out.buf, want.buf);

		/* The raw form really is raw: the corpus would be caught if escaping broke. */
		strbuf_reset(&out);
		assert_int_equal(tmpl_render(set, "raw", data, &out), 0);
		assert_string_equal(out.buf, x);

		strbuf_release(&want);
		strbuf_release(&out);
		json_decref(data);
	}
	tmpl_set_free(set);
}

/* Strings are rendered by length, not up to a NUL. */
static void test_embedded_nul(void **state)
{
	(void)state;
	char err[128];
	struct tmpl_set *set = tmpl_set_new();
	assert_int_equal(tmpl_set_add(set, "t", "{{x}}|{{{x}}}", 13, err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_link(set, err, sizeof(err)), 0);
	json_t *data = json_pack("{s:s%}", "x", "a\0<", (size_t)3);
	struct strbuf out;
	strbuf_init(&out, 0);
	assert_int_equal(tmpl_render(set, "t", data, &out), 0);
	assert_int_equal(out.len, 10);
	assert_memory_equal(out.buf, "a\0&lt;|a\0<", 10);
	strbuf_release(&out);
	json_decref(data);
	tmpl_set_free(set);
}

/* ---- directory loading ---- */

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void remove_tree(const char *dir, const char *const *names, size_t n)
{
	char path[512];
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (unlink(path) != 0)
			rmdir(path);
	}
	rmdir(dir);
}

static void test_load_dir_ok(void **state)
{
	(void)state;
	static const char *const names[] = {"page.html", "item.html", "notes.txt",
					    ".hidden.html", "sub.html"};
	char dir[] = "/tmp/test_tmpl_XXXXXX", err[512] = "";
	assert_non_null(mkdtemp(dir));
	write_file(dir, "page.html", "<ul>\n  {{>item}}\n</ul>\n");
	write_file(dir, "item.html", "{{#items}}\n<li>{{name}}</li>\n{{/items}}\n");
	write_file(dir, "notes.txt", "{{#broken");
	write_file(dir, ".hidden.html", "{{#broken");
	char sub[600];
	snprintf(sub, sizeof(sub), "%s/sub.html", dir);
	assert_int_equal(mkdir(sub, 0700), 0);

	struct tmpl_set *set = tmpl_set_load_dir(dir, err, sizeof(err));
	if (!set)
		fail_msg("load_dir: %s", err);
	assert_true(tmpl_exists(set, "page"));
	assert_true(tmpl_exists(set, "item"));
	assert_false(tmpl_exists(set, "notes"));
	assert_false(tmpl_exists(set, ".hidden"));
	assert_false(tmpl_exists(set, "sub"));
	assert_false(tmpl_exists(set, "page.html"));
	json_t *data = json_pack("{s:[{s:s},{s:s}]}", "items", "name", "a<b", "name", "c");
	struct strbuf out;
	strbuf_init(&out, 0);
	assert_int_equal(tmpl_render(set, "page", data, &out), 0);
	assert_string_equal(out.buf, "<ul>\n  <li>a&lt;b</li>\n  <li>c</li>\n</ul>\n");
	strbuf_release(&out);
	json_decref(data);
	tmpl_set_free(set);
	remove_tree(dir, names, ARRAY_SIZE(names));
}

static void test_load_dir_broken(void **state)
{
	(void)state;
	static const char *const names[] = {"good.html", "file.html"};
	char dir[] = "/tmp/test_tmpl_XXXXXX", err[512] = "", want[600];
	assert_non_null(mkdtemp(dir));
	write_file(dir, "good.html", "fine {{x}}\n");
	write_file(dir, "file.html", "<p>\n{{#open}}\n{{/close}}\n</p>\n");
	assert_null(tmpl_set_load_dir(dir, err, sizeof(err)));
	assert_non_null(strstr(err, "file.html:3:"));
	snprintf(want, sizeof(want), "%s/file.html:3: closing tag 'close'", dir);
	assert_non_null(strstr(err, want));
	assert_null(strchr(err, '\n'));
	remove_tree(dir, names, ARRAY_SIZE(names));
}

static void test_load_dir_unknown_partial(void **state)
{
	(void)state;
	static const char *const names[] = {"file.html"};
	char dir[] = "/tmp/test_tmpl_XXXXXX", err[512] = "";
	assert_non_null(mkdtemp(dir));
	write_file(dir, "file.html", "a\nb\n  {{> nav }}\n");
	assert_null(tmpl_set_load_dir(dir, err, sizeof(err)));
	assert_non_null(strstr(err, "file.html:3: unknown partial 'nav'"));
	remove_tree(dir, names, ARRAY_SIZE(names));
}

static void test_load_dir_missing(void **state)
{
	(void)state;
	char err[512] = "";
	assert_null(tmpl_set_load_dir("/nonexistent/tmpl-dir", err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/tmpl-dir"));
	/* A NULL or tiny error buffer is fine. */
	assert_null(tmpl_set_load_dir("/nonexistent/tmpl-dir", NULL, 0));
	char tiny[8];
	assert_null(tmpl_set_load_dir("/nonexistent/tmpl-dir", tiny, sizeof(tiny)));
	assert_true(strlen(tiny) < sizeof(tiny));
}

/* ---- limits ---- */

static void test_recursion_bounded(void **state)
{
	(void)state;
	char err[256];
	struct tmpl_set *set = tmpl_set_new();
	assert_int_equal(tmpl_set_add(set, "self", "x{{>self}}", 10, err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_add(set, "a", "a{{>b}}", 7, err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_add(set, "b", "b{{>a}}", 7, err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_link(set, err, sizeof(err)), 0);
	struct strbuf out;
	strbuf_init(&out, 0);
	assert_int_equal(tmpl_render(set, "self", NULL, &out), -1);
	assert_int_equal(out.len, TMPL_MAX_DEPTH + 1);
	strbuf_reset(&out);
	assert_int_equal(tmpl_render(set, "a", NULL, &out), -1);
	assert_int_equal(out.len, TMPL_MAX_DEPTH + 1);
	strbuf_release(&out);
	tmpl_set_free(set);
}

/* Data-driven recursion up to the limit renders completely. */
static void test_recursion_at_limit(void **state)
{
	(void)state;
	static const char node[] = "{{n}}{{#kids}}({{>node}}){{/kids}}";
	char err[256];
	struct tmpl_set *set = tmpl_set_new();
	assert_int_equal(tmpl_set_add(set, "node", node, strlen(node), err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_link(set, err, sizeof(err)), 0);
	/* Leaves need their own empty kids: a missing name would climb the context stack. */
	json_t *leaf = json_pack("{s:i, s:[]}", "n", TMPL_MAX_DEPTH, "kids");
	for (int i = TMPL_MAX_DEPTH - 1; i >= 0; i--)
		leaf = json_pack("{s:i, s:[o]}", "n", i, "kids", leaf);
	struct strbuf out;
	strbuf_init(&out, 0);
	assert_int_equal(tmpl_render(set, "node", leaf, &out), 0);
	assert_true(strstr(out.buf, "(32)") != NULL);
	strbuf_release(&out);
	/* One level more is cut off and reported. */
	leaf = json_pack("{s:i, s:[o]}", "n", -1, "kids", leaf);
	assert_int_equal(tmpl_render(set, "node", leaf, &out), -1);
	assert_null(strstr(out.buf, "(32)"));
	strbuf_release(&out);
	json_decref(leaf);
	tmpl_set_free(set);
}

static void test_nesting_limit(void **state)
{
	(void)state;
	char err[256];
	for (int n = 64; n <= 65; n++) {
		struct strbuf src;
		strbuf_init(&src, 0);
		for (int i = 0; i < n; i++)
			strbuf_adds(&src, "{{#a}}");
		strbuf_adds(&src, "{{v}}");
		for (int i = 0; i < n; i++)
			strbuf_adds(&src, "{{/a}}");
		struct tmpl_set *set = tmpl_set_new();
		int rc = tmpl_set_add(set, "deep", src.buf, src.len, err, sizeof(err));
		if (n == 64) {
			assert_int_equal(rc, 0);
			json_t *data = json_pack("{s:b, s:s}", "a", 1, "v", "ok");
			struct strbuf out;
			strbuf_init(&out, 0);
			assert_int_equal(tmpl_render(set, "deep", data, &out), 0);
			assert_string_equal(out.buf, "ok");
			strbuf_release(&out);
			json_decref(data);
		} else {
			assert_int_equal(rc, -1);
			assert_non_null(strstr(err, "deep:1: sections nested deeper than 64"));
		}
		tmpl_set_free(set);
		strbuf_release(&src);
	}
}

static void test_unknown_and_duplicate(void **state)
{
	(void)state;
	char err[256] = "";
	struct tmpl_set *set = tmpl_set_new();
	assert_int_equal(tmpl_set_add(set, "t", "x", 1, err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_add(set, "t", "y", 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "defined twice"));
	assert_int_equal(tmpl_set_add(set, "", "y", 1, err, sizeof(err)), -1);
	assert_int_equal(tmpl_set_link(set, err, sizeof(err)), 0);
	assert_true(tmpl_exists(set, "t"));
	assert_false(tmpl_exists(set, "nope"));
	struct strbuf out;
	strbuf_init(&out, 0);
	assert_int_equal(tmpl_render(set, "nope", NULL, &out), -1);
	assert_int_equal(out.len, 0);
	assert_int_equal(tmpl_render(set, "t", NULL, &out), 0);
	assert_string_equal(out.buf, "x");
	strbuf_release(&out);
	tmpl_set_free(set);
	tmpl_set_free(NULL);
}

/* Rendering stops once the output's limit is hit; the flag tells the caller. */
static void test_output_limit(void **state)
{
	(void)state;
	static const char src[] = "{{#l}}{{.}}<br>{{/l}}";
	char err[256];
	struct tmpl_set *set = tmpl_set_new();
	assert_int_equal(tmpl_set_add(set, "t", src, strlen(src), err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_link(set, err, sizeof(err)), 0);
	json_t *l = json_array();
	for (int i = 0; i < 1000; i++)
		json_array_append_new(l, json_string("<item>"));
	json_t *data = json_pack("{s:o}", "l", l);
	struct strbuf out;
	strbuf_init(&out, 0);
	out.limit = 100;
	assert_int_equal(tmpl_render(set, "t", data, &out), 0);
	assert_true(out.overflow);
	assert_true(out.len <= 100);
	strbuf_release(&out);
	json_decref(data);
	tmpl_set_free(set);
}

/* ---- threads ---- */

struct thread_arg {
	const struct tmpl_set *set;
	const json_t *data;
	const char *expected;
	int failures;
};

static void *render_many(void *p)
{
	struct thread_arg *a = p;
	struct strbuf out;
	strbuf_init(&out, 0);
	for (int i = 0; i < 300; i++) {
		strbuf_reset(&out);
		if (tmpl_render(a->set, "page", a->data, &out) != 0 ||
		    strcmp(out.buf, a->expected) != 0)
			a->failures++;
	}
	strbuf_release(&out);
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	static const char page[] = "<h1>{{title}}</h1>\n{{#rows}}\n  {{>row}}\n{{/rows}}\n";
	static const char row[] = "<tr>\n<td>{{name}}</td><td>{{score}}</td>\n</tr>\n";
	char err[256];
	struct tmpl_set *set = tmpl_set_new();
	assert_int_equal(tmpl_set_add(set, "page", page, strlen(page), err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_add(set, "row", row, strlen(row), err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_link(set, err, sizeof(err)), 0);
	json_t *data = json_pack("{s:s, s:[{s:s,s:f},{s:s,s:i}]}", "title", "T&C", "rows", "name",
				 "a", "score", 2.5, "name", "<b>", "score", 3);
	const char *expected = "<h1>T&amp;C</h1>\n"
			       "  <tr>\n  <td>a</td><td>2.5</td>\n  </tr>\n"
			       "  <tr>\n  <td>&lt;b&gt;</td><td>3</td>\n  </tr>\n";
	struct strbuf out;
	strbuf_init(&out, 0);
	assert_int_equal(tmpl_render(set, "page", data, &out), 0);
	assert_string_equal(out.buf, expected);
	strbuf_release(&out);

	pthread_t th[8];
	struct thread_arg args[8];
	for (size_t i = 0; i < ARRAY_SIZE(th); i++) {
		args[i] = (struct thread_arg){.set = set, .data = data, .expected = expected};
		assert_int_equal(pthread_create(&th[i], NULL, render_many, &args[i]), 0);
	}
	for (size_t i = 0; i < ARRAY_SIZE(th); i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(args[i].failures, 0);
	}
	json_decref(data);
	tmpl_set_free(set);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_xss_corpus),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_load_dir_ok),
		cmocka_unit_test(test_load_dir_broken),
		cmocka_unit_test(test_load_dir_unknown_partial),
		cmocka_unit_test(test_load_dir_missing),
		cmocka_unit_test(test_recursion_bounded),
		cmocka_unit_test(test_recursion_at_limit),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_unknown_and_duplicate),
		cmocka_unit_test(test_output_limit),
		cmocka_unit_test(test_threads),
	};
	json_error_t jerr;

	util_init_jansson();
	cases_doc = json_load_file(CASES_FILE, 0, &jerr);
	if (!cases_doc) {
		fprintf(stderr, "%s:%d: %s (run from the repository root)\n", CASES_FILE,
			jerr.line, jerr.text);
		return 1;
	}
	const json_t *cases = json_object_get(cases_doc, "cases");
	size_t ncases = json_array_size(cases), n = ARRAY_SIZE(fixed) + ncases;
	if (ncases == 0) {
		fprintf(stderr, "%s: no cases\n", CASES_FILE);
		json_decref(cases_doc);
		return 1;
	}
	/* One test per case, named after it, so a failure names the case. */
	struct CMUnitTest tests[n];
	memcpy(tests, fixed, sizeof(fixed));
	for (size_t i = 0; i < ncases; i++) {
		json_t *c = json_array_get(cases, i);
		const char *name = json_string_value(json_object_get(c, "name"));
		tests[ARRAY_SIZE(fixed) + i] = (struct CMUnitTest){
			.name = name ? name : "(unnamed case)",
			.test_func = test_case,
			.initial_state = c,
		};
	}
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	json_decref(cases_doc);
	return rc;
}
