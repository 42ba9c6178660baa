/* test_guide.c - loading and validating the guide, lookups, answer values, show_if.
 *
 * Broken guides are made in code: the fixture is parsed, edited with a few operations
 * (set / delete a key, remove an array item) and handed to guide_load_buffer. Each case
 * names the problem's exact JSON path and a part of its message. Run from the repo root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "guide.h"
#include "util.h"

#define FIXTURE "tests/fixtures/guide-small.json"

static char *fixture_text(size_t *len)
{
	char *buf = util_read_file(FIXTURE, 1 << 22, len);
	assert_non_null(buf);
	return buf;
}

static struct guide *load_fixture(void)
{
	struct guide_problems pr = {0};
	struct guide *g = guide_load_file(FIXTURE, &pr);
	for (size_t i = 0; i < pr.n; i++)
		fprintf(stderr, "%s: %s\n", pr.items[i].path, pr.items[i].message);
	assert_non_null(g);
	assert_int_equal(pr.n, 0);
	guide_problems_free(&pr);
	return g;
}

/* The value at a dotted path ("areas.0.questions.1"; numbers index arrays). */
static json_t *at(json_t *root, const char *path)
{
	json_t *j = root;
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *save = NULL, *tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save)) {
		if (json_is_array(j))
			j = json_array_get(j, strtoul(tok, NULL, 10));
		else
			j = json_object_get(j, tok);
		if (!j)
			fail_msg("no value at %s (%s)", path, tok);
	}
	return j;
}

/* One edit: on the object/array at `where`, set `key` to the JSON `value` (NULL: delete
 * the key). A key "#N" names array item N (deleted when value is NULL). */
struct edit {
	const char *where, *key, *value;
};

static void apply(json_t *root, const struct edit *e)
{
	json_t *target = e->where[0] ? at(root, e->where) : root;
	json_t *val = NULL;
	if (e->value) {
		json_error_t err;
		val = json_loads(e->value, JSON_DECODE_ANY, &err);
		if (!val)
			fail_msg("bad test value %s: %s", e->value, err.text);
	}
	if (e->key[0] == '#') {
		size_t i = strtoul(e->key + 1, NULL, 10);
		if (val)
			assert_int_equal(json_array_set_new(target, i, val), 0);
		else
			assert_int_equal(json_array_remove(target, i), 0);
	} else if (val) {
		assert_int_equal(json_object_set_new(target, e->key, val), 0);
	} else {
		assert_int_equal(json_object_del(target, e->key), 0);
	}
}

/* Loads the fixture after the edits; returns the guide (NULL when invalid). */
static struct guide *load_edited(const struct edit *edits, size_t n, struct guide_problems *pr)
{
	size_t len;
	char *text = fixture_text(&len);
	json_error_t err;
	json_t *root = json_loadb(text, len, 0, &err);
	free(text);
	assert_non_null(root);
	for (size_t i = 0; i < n; i++)
		apply(root, &edits[i]);
	char *dump = json_dumps(root, JSON_INDENT(2));
	json_decref(root);
	struct guide *g = guide_load_buffer(dump, strlen(dump), pr);
	free(dump);
	return g;
}

static void dump_problems(const struct guide_problems *pr)
{
	for (size_t i = 0; i < pr->n; i++)
		fprintf(stderr, "  %s: %s\n", pr->items[i].path, pr->items[i].message);
}

/* true when some problem has exactly this path and a message containing msg. */
static bool has_problem(const struct guide_problems *pr, const char *path, const char *msg)
{
	for (size_t i = 0; i < pr->n; i++)
		if (strcmp(pr->items[i].path, path) == 0 && strstr(pr->items[i].message, msg))
			return true;
	return false;
}

static void expect_problem(const struct guide_problems *pr, const char *path, const char *msg)
{
	if (!has_problem(pr, path, msg)) {
		fprintf(stderr, "expected %s: ...%s... among:\n", path, msg);
		dump_problems(pr);
		fail();
	}
}

/* ------------------------------------------------------------------ broken copies */

struct bcase {
	struct edit edits[3];
	const char *path, *msg;
	size_t n_problems; /* exact number expected, 0: do not check */
};

static void test_broken(void **state)
{
	const struct bcase *c = *state;
	size_t n = 0;
	while (n < 3 && c->edits[n].key)
		n++;
	struct guide_problems pr = {0};
	struct guide *g = load_edited(c->edits, n, &pr);
	assert_null(g);
	expect_problem(&pr, c->path, c->msg);
	if (c->n_problems && pr.n != c->n_problems) {
		dump_problems(&pr);
		assert_int_equal(pr.n, c->n_problems);
	}
	guide_problems_free(&pr);
}

#define Q(a, q) "areas." #a ".questions." #q
#define BROKEN(X) \
	X(duplicate_question_id, "$.areas[3].questions[1].id", \
	  "duplicate question id \"prev.campaigns\" (first at $.areas[0].questions[0])", 1, \
	  {Q(3, 1), "id", "\"prev.campaigns\""}) \
	X(score_above_one, "$.areas[2].questions[1].options[1].score", \
	  "score 1.5 is outside [0, 1]", 1, \
	  {Q(2, 1) ".options.1", "score", "1.5"}) \
	X(score_negative, "$.areas[2].questions[1].options[0].score", \
	  "score -0.25 is outside [0, 1]", 1, \
	  {Q(2, 1) ".options.0", "score", "-0.25"}) \
	X(score_not_number, "$.areas[2].questions[1].options[0].score", \
	  "expected a number in [0, 1], found a string", 1, \
	  {Q(2, 1) ".options.0", "score", "\"high\""}) \
	X(show_if_later_question, "$.areas[0].questions[1].show_if.question", \
	  "show_if refers to \"cj.training\" which is not an earlier question (it is at " "$.areas[4].questions[0])", 0, \
	  {Q(0, 1) ".show_if", "question", "\"cj.training\""}) \
	X(show_if_self, "$.areas[0].questions[1].show_if.question", \
	  "show_if refers to \"prev.channels\" which is not an earlier question", 0, \
	  {Q(0, 1) ".show_if", "question", "\"prev.channels\""}) \
	X(show_if_unknown_question, "$.areas[6].questions[1].show_if.question", \
	  "show_if refers to \"coop.nothing\" which is not an earlier question (no such question)", 1, \
	  {Q(6, 1) ".show_if", "question", "\"coop.nothing\""}) \
	X(show_if_unscored, "$.areas[1].questions[1].show_if.question", \
	  "a number question; it must be choice", 1, \
	  {Q(1, 1), "show_if", "{\"question\": \"prev.budget\", \"in\": [\"x\"]}"}) \
	X(show_if_unknown_option, "$.areas[6].questions[1].show_if.in[1]", \
	  "\"maybe\" is not an option of question \"coop.mla\"", 1, \
	  {Q(6, 1) ".show_if", "in", "[\"yes\", \"maybe\"]"}) \
	X(show_if_empty_in, "$.areas[6].questions[1].show_if.in", \
	  "must list at least one option id", 1, \
	  {Q(6, 1) ".show_if", "in", "[]"}) \
	X(unknown_recommendation, "$.areas[0].questions[0].options[0].recommend[0]", \
	  "unknown recommendation \"rec.x\"", 1, \
	  {Q(0, 0) ".options.0", "recommend", "[\"rec.x\"]"}) \
	X(unknown_area, "$.areas[6].id", \
	  "unknown area \"foreign-affairs\" (expected one of prevention, data,", 2, \
	  {"areas.6", "id", "\"foreign-affairs\""}) \
	X(unknown_area_reports_missing, "$.areas", \
	  "missing area \"cooperation\"", 2, \
	  {"areas.6", "id", "\"foreign-affairs\""}) \
	X(missing_area, "$.areas", \
	  "missing area \"data\"", 0, \
	  {"areas", "#1", NULL}) \
	X(duplicate_area, "$.areas[1].id", \
	  "duplicate area \"prevention\" (first at $.areas[0])", 0, \
	  {"areas.1", "id", "\"prevention\""}) \
	X(bad_weight, "$.areas[0].questions[0].weight", \
	  "weight 5 is not 1, 2 or 3", 1, \
	  {Q(0, 0), "weight", "5"}) \
	X(fractional_weight, "$.areas[0].questions[0].weight", \
	  "weight 1.5 is not 1, 2 or 3", 1, \
	  {Q(0, 0), "weight", "1.5"}) \
	X(typo_key, "$.areas[0].questions[0].wieght", \
	  "unknown key \"wieght\" (did you mean \"weight\"?)", 1, \
	  {Q(0, 0), "weight", NULL}, {Q(0, 0), "wieght", "2"}) \
	X(unknown_top_key, "$.autor", \
	  "unknown key \"autor\"", 1, \
	  {"", "autor", "\"me\""}) \
	X(odd_key_path, "$.areas[0].questions[0][\"we ight\"]", \
	  "unknown key \"we ight\"", 1, \
	  {Q(0, 0), "we ight", "1"}) \
	X(bad_question_id, "$.areas[0].questions[2].id", \
	  "id \"Prev Budget\" must match ^[a-z0-9][a-z0-9._-]{0,63}$", 1, \
	  {Q(0, 2), "id", "\"Prev Budget\""}) \
	X(missing_type, "$.areas[0].questions[2].type", \
	  "required key is missing", 0, \
	  {Q(0, 2), "type", NULL}) \
	X(unknown_type, "$.areas[0].questions[2].type", \
	  "unknown type \"slider\"", 0, \
	  {Q(0, 2), "type", "\"slider\""}) \
	X(one_option, "$.areas[1].questions[1].options", \
	  "a choice question needs at least two options, found 1", 1, \
	  {Q(1, 1) ".options", "#1", NULL}) \
	X(reserved_option_id, "$.areas[1].questions[1].options[0].id", \
	  "option id \"na\" is reserved", 1, \
	  {Q(1, 1) ".options.0", "id", "\"na\""}) \
	X(duplicate_option_id, "$.areas[1].questions[1].options[1].id", \
	  "duplicate option id \"no\" (first at $.areas[1].questions[1].options[0])", 1, \
	  {Q(1, 1) ".options.1", "id", "\"no\""}) \
	X(options_on_number, "$.areas[0].questions[2].options", \
	  "a number question has no options", 1, \
	  {Q(0, 2), "options", "[]"}) \
	X(critical_text, "$.areas[2].questions[2].critical", \
	  "only scored questions (choice, multi, scale) may be critical", 1, \
	  {Q(2, 2), "critical", "true"}) \
	X(critical_not_bool, "$.areas[2].questions[0].critical", \
	  "expected a boolean (true or false), found a string", 1, \
	  {Q(2, 0), "critical", "\"yes\""}) \
	X(missing_guidance_scored, "$.areas[2].questions[0].guidance", \
	  "required key is missing", 1, \
	  {Q(2, 0), "guidance", NULL}) \
	X(empty_guidance_scored, "$.areas[2].questions[0].guidance.en", \
	  "the English text is empty", 1, \
	  {Q(2, 0), "guidance", "{\"en\": \"\"}"}) \
	X(text_without_en, "$.areas[2].questions[0].text.en", \
	  "the English text (\"en\") is required", 1, \
	  {Q(2, 0), "text", "{\"fr\": \"Texte\"}"}) \
	X(text_not_i18n, "$.areas[2].questions[0].text", \
	  "expected an i18n map like {\"en\": \"...\"}, found a string", 1, \
	  {Q(2, 0), "text", "\"Plain\""}) \
	X(bad_language_code, "$.title.English", \
	  "\"English\" is not a language code", 1, \
	  {"title", "English", "\"x\""}) \
	X(min_above_max, "$.areas[4].questions[2].min", \
	  "min 200000 is greater than max 100000", 1, \
	  {Q(4, 2), "min", "200000"}) \
	X(min_on_text, "$.areas[2].questions[2].min", \
	  "min is only allowed on number questions", 1, \
	  {Q(2, 2), "min", "1"}) \
	X(max_length_zero, "$.areas[2].questions[2].max_length", \
	  "max_length 0 is outside 1..20000", 1, \
	  {Q(2, 2), "max_length", "0"}) \
	X(max_length_on_date, "$.areas[1].questions[2].max_length", \
	  "max_length is only allowed on text questions", 1, \
	  {Q(1, 2), "max_length", "10"}) \
	X(protocol_article, "$.areas[0].questions[0].refs.protocol[1]", \
	  "article 20 is not an article of the Protocol", 1, \
	  {Q(0, 0) ".refs", "protocol", "[15, 20]"}) \
	X(refs_cluster, "$.areas[0].questions[0].refs.cluster", \
	  "unknown cluster \"smuggling\"", 1, \
	  {Q(0, 0) ".refs", "cluster", "\"smuggling\""}) \
	X(unknown_cjat_question, "$.areas[0].questions[0].cjat[0]", \
	  "unknown CJAT tool \"crime-prevention/nothing\"", 1, \
	  {Q(0, 0), "cjat", "[\"crime-prevention/nothing\"]"}) \
	X(unknown_cjat_rec, "$.recommendations[0].cjat[0]", \
	  "unknown CJAT tool \"x\"", 1, \
	  {"recommendations.0", "cjat", "[\"x\"]"}) \
	X(duplicate_cjat_tool, "$.cjat_tools[2].id", \
	  "duplicate CJAT tool id", 0, \
	  {"cjat_tools.1", "id", "\"cross-cutting/international-cooperation\""}) \
	X(rec_unknown_area, "$.recommendations[1].area", \
	  "unknown area \"elsewhere\"", 1, \
	  {"recommendations.1", "area", "\"elsewhere\""}) \
	X(rec_empty_resources, "$.recommendations[1].resources", \
	  "must list at least one resource", 1, \
	  {"recommendations.1", "resources", "[]"}) \
	X(rec_missing_cjat, "$.recommendations[1].cjat", \
	  "required key is missing", 1, \
	  {"recommendations.1", "cjat", NULL}) \
	X(duplicate_rec_id, "$.recommendations[1].id", \
	  "duplicate recommendation id \"rec.awareness\" (first at $.recommendations[0])", 0, \
	  {"recommendations.1", "id", "\"rec.awareness\""}) \
	X(changelog_no_current, "$.changelog", \
	  "no entry names the current version \"2.0.0\"", 1, \
	  {"", "version", "\"2.0.0\""}) \
	X(changelog_bad_date, "$.changelog[0].date", \
	  "\"2026-02-30\" is not a date YYYY-MM-DD", 1, \
	  {"changelog.0", "date", "\"2026-02-30\""}) \
	X(empty_version, "$.version", \
	  "the version is empty", 1, \
	  {"", "version", "\"\""}) \
	X(version_with_space, "$.version", \
	  "the version \"1.0 beta\" must be at most 31 letters, digits, dots, dashes, underscores or plus signs, " \
	  "starting with a letter or digit (e.g. \"1.2.0\")", 1, \
	  {"", "version", "\"1.0 beta\""}) \
	X(version_too_long, "$.version", \
	  "the version \"1.0.0-a-very-long-pre-release-name\" must be at most 31", 1, \
	  {"", "version", "\"1.0.0-a-very-long-pre-release-name\""}) \
	X(empty_questions, "$.areas[3].questions", \
	  "an area needs at least one question", 0, \
	  {"areas.3", "questions", "[]"}) \
	X(allow_na_not_bool, "$.areas[0].questions[0].allow_na", \
	  "expected a boolean", 1, \
	  {Q(0, 0), "allow_na", "1"})

#define BC_DEF(name, path_, msg_, n_, ...) \
	static struct bcase bc_##name = {.edits = {__VA_ARGS__}, .path = path_, .msg = msg_, .n_problems = n_};
#define BC_TEST(name, ...) {"broken_" #name, test_broken, NULL, NULL, &bc_##name},
BROKEN(BC_DEF)

/* Several mistakes at once: each is reported, in file order. */
static void test_collects_all_problems(void **state)
{
	(void)state;
	const struct edit e[] = {
		{Q(0, 0), "weight", "7"},
		{Q(2, 1) ".options.1", "score", "1.5"},
		{"recommendations.0", "title", NULL},
	};
	struct guide_problems pr = {0};
	assert_null(load_edited(e, 3, &pr));
	assert_int_equal(pr.n, 3);
	assert_string_equal(pr.items[0].path, "$.areas[0].questions[0].weight");
	assert_string_equal(pr.items[1].path, "$.areas[2].questions[1].options[1].score");
	assert_string_equal(pr.items[2].path, "$.recommendations[0].title");
	guide_problems_free(&pr);
	assert_null(pr.items);
}

static void test_malformed_json(void **state)
{
	(void)state;
	size_t len;
	char *text = fixture_text(&len);
	/* drop the comma after the "version" line (line 2) */
	char *p = strstr(text, "\"0.1.0\",");
	assert_non_null(p);
	p[7] = ' ';
	struct guide_problems pr = {0};
	assert_null(guide_load_buffer(text, len, &pr));
	assert_int_equal(pr.n, 1);
	assert_string_equal(pr.items[0].path, "$");
	assert_non_null(strstr(pr.items[0].message, "line 3 column"));
	guide_problems_free(&pr);

	assert_null(guide_load_buffer("{\"version\": ", 12, &pr));
	assert_int_equal(pr.n, 1);
	assert_string_equal(pr.items[0].path, "$");
	assert_true(strncmp(pr.items[0].message, "line 1 column", 13) == 0);
	guide_problems_free(&pr);
	free(text);
}

static void test_duplicate_json_key(void **state)
{
	(void)state;
	const char *s = "{\"version\": \"1\",\n \"version\": \"2\"}";
	struct guide_problems pr = {0};
	assert_null(guide_load_buffer(s, strlen(s), &pr));
	assert_int_equal(pr.n, 1);
	assert_non_null(strstr(pr.items[0].message, "line 2"));
	assert_non_null(strstr(pr.items[0].message, "duplicate"));
	guide_problems_free(&pr);
}

static void test_not_an_object(void **state)
{
	(void)state;
	struct guide_problems pr = {0};
	assert_null(guide_load_buffer("[1, 2]", 6, &pr));
	expect_problem(&pr, "$", "the guide must be a JSON object, found an array");
	guide_problems_free(&pr);
	/* empty object: every required top-level key is reported */
	assert_null(guide_load_buffer("{}", 2, &pr));
	assert_int_equal(pr.n, 6);
	expect_problem(&pr, "$.areas", "required key is missing");
	expect_problem(&pr, "$.cjat_tools", "required key is missing");
	guide_problems_free(&pr);
	/* problems may be NULL */
	assert_null(guide_load_buffer("{}", 2, NULL));
}

static void test_missing_file(void **state)
{
	(void)state;
	struct guide_problems pr = {0};
	assert_null(guide_load_file("tests/fixtures/no-such-guide.json", &pr));
	assert_int_equal(pr.n, 1);
	assert_string_equal(pr.items[0].path, "$");
	assert_non_null(strstr(pr.items[0].message, "cannot read"));
	guide_problems_free(&pr);
}

static void test_too_many_problems(void **state)
{
	(void)state;
	/* 1500 unknown keys: the list stops at GUIDE_MAX_PROBLEMS plus one last note */
	json_t *root = json_object();
	for (int i = 0; i < 1500; i++) {
		char k[32];
		snprintf(k, sizeof(k), "k%d", i);
		json_object_set_new(root, k, json_true());
	}
	char *s = json_dumps(root, 0);
	json_decref(root);
	struct guide_problems pr = {0};
	assert_null(guide_load_buffer(s, strlen(s), &pr));
	assert_int_equal(pr.n, GUIDE_MAX_PROBLEMS + 1);
	assert_non_null(strstr(pr.items[pr.n - 1].message, "too many problems"));
	guide_problems_free(&pr);
	free(s);
}

static void test_slash_only_in_cjat_ids(void **state)
{
	(void)state;
	const struct edit e[] = {{Q(0, 2), "id", "\"prev/budget\""}};
	struct guide_problems pr = {0};
	assert_null(load_edited(e, 1, &pr));
	expect_problem(&pr, "$.areas[0].questions[2].id", "must match");
	guide_problems_free(&pr);
}

static void test_areas_in_other_order(void **state)
{
	(void)state;
	/* the seven areas in any order: areas[] follows the file */
	size_t len;
	char *text = fixture_text(&len);
	json_t *root = json_loadb(text, len, 0, NULL);
	free(text);
	json_t *areas = json_object_get(root, "areas");
	json_t *first = json_incref(json_array_get(areas, 0));
	json_array_remove(areas, 0);
	json_array_append_new(areas, first);
	char *s = json_dumps(root, 0);
	json_decref(root);
	struct guide *g = guide_load_buffer(s, strlen(s), NULL);
	free(s);
	assert_non_null(g);
	assert_string_equal(g->areas[0].id, "data");
	assert_string_equal(g->areas[6].id, "prevention");
	assert_int_equal(guide_area_index(g, "prevention"), 6);
	assert_int_equal(g->areas[0].first_q, 0);
	assert_string_equal(g->questions[0].id, "data.system");
	assert_int_equal(guide_rec(g, "rec.awareness")->area, 6);
	/* show_if still points to an earlier question */
	const struct guide_question *ch = guide_question(g, "prev.channels");
	assert_int_equal(ch->show_if_q, (long)guide_question(g, "prev.campaigns")->index);
	assert_true((size_t)ch->show_if_q < ch->index);
	guide_free(g);
}

/* ------------------------------------------------------------------ the valid fixture */

static void test_fixture_loads(void **state)
{
	(void)state;
	struct guide *g = load_fixture();
	assert_string_equal(g->version, "0.1.0");
	assert_int_equal(g->n_questions, 18);
	assert_int_equal(g->n_recs, 11);
	assert_int_equal(g->n_cjat, 4);
	static const size_t first[] = {0, 3, 6, 9, 11, 14, 16}, nq[] = {3, 3, 3, 2, 3, 2, 2};
	for (int a = 0; a < GUIDE_N_AREAS; a++) {
		assert_string_equal(g->areas[a].id, guide_area_ids[a]);
		assert_int_equal(g->areas[a].first_q, first[a]);
		assert_int_equal(g->areas[a].n_q, nq[a]);
		assert_int_equal(guide_area_index(g, guide_area_ids[a]), a);
		for (size_t k = 0; k < nq[a]; k++)
			assert_int_equal(g->questions[first[a] + k].area, a);
	}
	for (size_t i = 0; i < g->n_questions; i++) {
		assert_int_equal(g->questions[i].index, i);
		assert_ptr_equal(guide_question(g, g->questions[i].id), &g->questions[i]);
	}
	assert_null(guide_question(g, "nope"));
	assert_int_equal(guide_area_index(g, "nope"), -1);

	const struct guide_question *q = guide_question(g, "prev.campaigns");
	assert_int_equal(q->type, Q_SCALE);
	assert_int_equal(q->weight, 2);
	assert_true(q->critical);
	assert_true(q->allow_na);
	assert_true(q->scored);
	assert_int_equal(q->n_options, 3);
	assert_int_equal(q->show_if_q, -1);
	assert_string_equal(q->options[0].id, "none");
	assert_int_equal(q->options[0].n_recommend, 1);
	assert_string_equal(q->options[0].recommend[0], "rec.awareness");
	assert_true(q->options[1].score == 0.5);
	assert_int_equal(guide_option_index(q, "effective"), 2);
	assert_int_equal(guide_option_index(q, "na"), -1);
	assert_string_equal(guide_text(q->options[1].label, "fr"), "Occasional");

	q = guide_question(g, "prev.channels");
	assert_int_equal(q->type, Q_MULTI);
	assert_int_equal(q->weight, 1); /* default */
	assert_false(q->critical);
	assert_int_equal(q->show_if_q, 0);
	assert_int_equal(q->show_if_mask, 0x6); /* some, effective */
	assert_int_equal(q->options[2].n_recommend, 2);

	q = guide_question(g, "prev.budget");
	assert_int_equal(q->type, Q_NUMBER);
	assert_false(q->scored);
	assert_int_equal(q->n_options, 0);
	assert_true(q->has_min);
	assert_false(q->has_max);
	assert_false(q->integer);
	assert_true(guide_question(g, "cj.cases")->integer);

	assert_false(guide_question(g, "leg.criminalized")->allow_na);
	assert_int_equal(guide_question(g, "leg.notes")->max_length, 200);
	assert_int_equal(guide_question(g, "leg.notes")->type, Q_TEXT);
	assert_int_equal(guide_question(g, "data.last-report")->type, Q_DATE);
	q = guide_question(g, "coop.liaison");
	assert_int_equal(q->show_if_q, 16);
	assert_int_equal(q->show_if_mask, 0x2);

	const struct guide_rec *r = guide_rec(g, "rec.training");
	assert_non_null(r);
	assert_int_equal(r->area, 4);
	assert_string_equal(guide_text(json_object_get(r->json, "title"), "en"), "Training of practitioners");
	assert_null(guide_rec(g, "rec.none"));
	const struct guide_cjat *c = guide_cjat(g, "cross-cutting/international-cooperation");
	assert_non_null(c);
	assert_string_equal(c->cluster, "cross-cutting");
	assert_null(guide_cjat(g, "cross-cutting"));

	assert_string_equal(guide_text(json_object_get(g->root, "title"), "fr"),
			    "Guide d'évaluation (jeu d'essai)");
	assert_string_equal(guide_text(json_object_get(g->root, "title"), "es"),
			    "Assessment Guide (small test fixture)");
	assert_string_equal(guide_text(NULL, "en"), "");
	assert_string_equal(guide_qtype_name(Q_MULTI), "multi");
	guide_free(g);
	guide_free(NULL);
}

static void test_default_max_length(void **state)
{
	(void)state;
	const struct edit e[] = {{Q(2, 2), "max_length", NULL}};
	struct guide *g = load_edited(e, 1, NULL);
	assert_non_null(g);
	assert_int_equal(guide_question(g, "leg.notes")->max_length, GUIDE_TEXT_MAX_LENGTH_DEFAULT);
	guide_free(g);
}

/* ------------------------------------------------------------------ answers */

static int parse(const struct guide *g, const char *qid, const char *value_json, struct answer *a,
		 char *err, json_t **keep)
{
	const struct guide_question *q = guide_question(g, qid);
	assert_non_null(q);
	json_t *v = json_loads(value_json, JSON_DECODE_ANY, NULL);
	assert_non_null(v);
	int rc = guide_parse_answer(q, v, a, err, 200);
	if (keep)
		*keep = v;
	else
		json_decref(v);
	return rc;
}

static void expect_ok(const struct guide *g, const char *qid, const char *v, enum answer_kind kind,
		      uint64_t mask)
{
	struct answer a;
	char err[200];
	if (parse(g, qid, v, &a, err, NULL) != 0)
		fail_msg("%s = %s refused: %s", qid, v, err);
	assert_int_equal(a.kind, kind);
	assert_int_equal(a.mask, mask);
}

static void expect_err(const struct guide *g, const char *qid, const char *v, const char *msg)
{
	struct answer a;
	char err[200];
	if (parse(g, qid, v, &a, err, NULL) == 0)
		fail_msg("%s = %s accepted", qid, v);
	if (!strstr(err, msg))
		fail_msg("%s = %s: \"%s\" does not contain \"%s\"", qid, v, err, msg);
	assert_int_equal(a.kind, ANS_NONE);
}

static void test_answer_choice_scale(void **state)
{
	struct guide *g = *state;
	expect_ok(g, "data.system", "\"partial\"", ANS_VALUE, 0x2);
	expect_ok(g, "prev.campaigns", "\"effective\"", ANS_VALUE, 0x4);
	expect_ok(g, "data.system", "\"na\"", ANS_NA, 0);
	expect_ok(g, "data.system", "\"dk\"", ANS_DK, 0);
	expect_ok(g, "data.system", "null", ANS_NONE, 0);
	expect_err(g, "data.system", "\"maybe\"",
		   "\"maybe\" is not an option of question \"data.system\" (options: none, partial, full)");
	expect_err(g, "data.system", "\"\"", "is not an option");
	expect_err(g, "data.system", "1", "expected an option id (a string), found a number");
	expect_err(g, "data.system", "[\"full\"]", "found an array");
	/* allow_na: false */
	expect_err(g, "leg.criminalized", "\"na\"", "\"na\" (not applicable) is not allowed");
	expect_ok(g, "leg.criminalized", "\"dk\"", ANS_DK, 0);
}

static void test_answer_multi(void **state)
{
	struct guide *g = *state;
	expect_ok(g, "prev.channels", "[\"media\"]", ANS_VALUE, 0x1);
	expect_ok(g, "prev.channels", "[\"online\", \"media\", \"schools\"]", ANS_VALUE, 0xb);
	expect_ok(g, "prev.channels", "\"na\"", ANS_NA, 0);
	expect_ok(g, "prev.channels", "\"dk\"", ANS_DK, 0);
	expect_err(g, "prev.channels", "[]", "select at least one option");
	expect_err(g, "prev.channels", "\"media\"", "expected an array of option ids, found a string");
	expect_err(g, "prev.channels", "[\"media\", \"media\"]", "option \"media\" is selected twice");
	expect_err(g, "prev.channels", "[\"media\", \"radio\"]", "\"radio\" is not an option");
	expect_err(g, "prev.channels", "[\"media\", 3]", "item 2: expected an option id");
	expect_err(g, "prev.channels", "[\"dk\"]", "\"dk\" must be the whole answer");
}

static void test_answer_number(void **state)
{
	struct guide *g = *state;
	struct answer a;
	char err[200];
	assert_int_equal(parse(g, "cj.cases", "42", &a, err, NULL), 0);
	assert_int_equal(a.kind, ANS_VALUE);
	assert_true(a.number == 42);
	assert_int_equal(parse(g, "cj.cases", "100000", &a, err, NULL), 0);
	assert_int_equal(parse(g, "cj.cases", "0", &a, err, NULL), 0);
	assert_int_equal(parse(g, "cj.cases", "7.0", &a, err, NULL), 0); /* whole */
	expect_err(g, "cj.cases", "2.5", "expected a whole number, found 2.5");
	expect_err(g, "cj.cases", "-1", "-1 is below the minimum 0");
	expect_err(g, "cj.cases", "100001", "100001 is above the maximum 100000");
	expect_err(g, "cj.cases", "\"12\"", "expected a number, found a string");
	expect_err(g, "cj.cases", "true", "expected a number, found a boolean");
	expect_ok(g, "cj.cases", "\"dk\"", ANS_DK, 0);
	expect_ok(g, "cj.cases", "\"na\"", ANS_NA, 0);
	/* no max: a large budget is fine */
	assert_int_equal(parse(g, "prev.budget", "1e9", &a, err, NULL), 0);
	assert_true(a.number == 1e9);
}

static void test_answer_text(void **state)
{
	struct guide *g = *state;
	struct answer a;
	char err[200];
	json_t *keep;
	assert_int_equal(parse(g, "leg.notes", "\"Law 12/2019, art. 5\\nand é\"", &a, err, &keep), 0);
	assert_int_equal(a.kind, ANS_VALUE);
	assert_ptr_equal(a.text, json_string_value(keep)); /* borrowed */
	json_decref(keep);
	expect_ok(g, "leg.notes", "\"na\"", ANS_NA, 0);
	expect_ok(g, "leg.notes", "\"dk\"", ANS_DK, 0);
	expect_err(g, "leg.notes", "\"\"", "the text is empty");
	expect_err(g, "leg.notes", "12", "expected a text (a string), found a number");
	expect_err(g, "leg.notes", "\"bell\\u0007\"", "not valid UTF-8 or contains control characters");

	/* max_length 200 bytes: 200 ok, 201 refused; counted in bytes, not characters */
	char big[260];
	big[0] = '"';
	memset(big + 1, 'x', 200);
	strcpy(big + 201, "\"");
	expect_ok(g, "leg.notes", big, ANS_VALUE, 0);
	memset(big + 1, 'x', 201);
	strcpy(big + 202, "\"");
	expect_err(g, "leg.notes", big, "the text is 201 bytes long; the limit is 200");
	big[0] = '"';
	for (int i = 0; i < 101; i++)
		memcpy(big + 1 + 2 * i, "\xc3\xa9", 2); /* 101 x "é" = 202 bytes */
	strcpy(big + 203, "\"");
	expect_err(g, "leg.notes", big, "202 bytes");

	/* a JSON string with an embedded NUL (only with JSON_ALLOW_NUL) is refused */
	json_t *v = json_stringn("a\0b", 3);
	assert_int_equal(guide_parse_answer(guide_question(g, "leg.notes"), v, &a, err, sizeof(err)), -1);
	json_decref(v);
}

static void test_answer_date(void **state)
{
	struct guide *g = *state;
	expect_ok(g, "data.last-report", "\"2024-02-29\"", ANS_VALUE, 0);
	expect_ok(g, "data.last-report", "\"dk\"", ANS_DK, 0);
	expect_err(g, "data.last-report", "\"2023-02-29\"", "\"2023-02-29\" is not a valid date YYYY-MM-DD");
	expect_err(g, "data.last-report", "\"2024-13-01\"", "is not a valid date");
	expect_err(g, "data.last-report", "\"24-01-01\"", "is not a valid date");
	expect_err(g, "data.last-report", "\"2024-01-01T00:00\"", "is not a valid date");
	expect_err(g, "data.last-report", "20240101", "expected a date \"YYYY-MM-DD\" (a string), found a number");
	/* err may be NULL */
	struct answer a;
	json_t *v = json_string("nope");
	assert_int_equal(guide_parse_answer(guide_question(g, "data.last-report"), v, &a, NULL, 0), -1);
	json_decref(v);
}

static void test_answer_json_roundtrip(void **state)
{
	struct guide *g = *state;
	static const struct {
		const char *q, *v;
	} cases[] = {
		{"data.system", "\"partial\""},
		{"prev.channels", "[\"media\", \"online\"]"},
		{"cj.cases", "42"},
		{"prev.budget", "12.5"},
		{"leg.notes", "\"text\""},
		{"data.last-report", "\"2024-02-29\""},
		{"data.system", "\"na\""},
		{"cj.cases", "\"dk\""},
		{"leg.notes", "null"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct answer a;
		char err[200];
		json_t *keep;
		assert_int_equal(parse(g, cases[i].q, cases[i].v, &a, err, &keep), 0);
		json_t *back = guide_answer_json(guide_question(g, cases[i].q), &a);
		if (!json_equal(back, keep)) {
			char *s = json_dumps(back, JSON_ENCODE_ANY);
			fail_msg("%s: %s came back as %s", cases[i].q, cases[i].v, s);
		}
		json_decref(back);
		json_decref(keep);
	}
}

/* ------------------------------------------------------------------ show_if */

static void test_visibility(void **state)
{
	struct guide *g = *state;
	struct answer *ans = xcalloc(g->n_questions, sizeof(*ans));
	const struct guide_question *camp = guide_question(g, "prev.campaigns");
	const struct guide_question *chan = guide_question(g, "prev.channels");
	const struct guide_question *mla = guide_question(g, "coop.mla");
	const struct guide_question *liaison = guide_question(g, "coop.liaison");

	assert_true(guide_question_visible(g, camp, ans));
	assert_false(guide_question_visible(g, chan, ans)); /* controlling question unanswered */
	assert_false(guide_question_visible(g, chan, NULL));
	assert_true(guide_question_visible(g, camp, NULL));
	ans[camp->index] = (struct answer){.kind = ANS_VALUE, .mask = 0x1}; /* none */
	assert_false(guide_question_visible(g, chan, ans));
	ans[camp->index].mask = 0x2; /* some */
	assert_true(guide_question_visible(g, chan, ans));
	ans[camp->index].mask = 0x4; /* effective */
	assert_true(guide_question_visible(g, chan, ans));
	ans[camp->index] = (struct answer){.kind = ANS_NA};
	assert_false(guide_question_visible(g, chan, ans));
	ans[camp->index] = (struct answer){.kind = ANS_DK};
	assert_false(guide_question_visible(g, chan, ans));

	ans[mla->index] = (struct answer){.kind = ANS_VALUE, .mask = 0x2};
	assert_true(guide_question_visible(g, liaison, ans));
	ans[mla->index].mask = 0x1;
	assert_false(guide_question_visible(g, liaison, ans));
	free(ans);
}

static void test_visibility_chain_and_multi(void **state)
{
	(void)state;
	/* prot.rights (multi) controls a new question, and coop.liaison controls another:
	 * hidden when the controlling question is itself hidden */
	const struct edit e[] = {
		{"areas.5.questions", "#1",
		 "{\"id\": \"prot.rights\", \"type\": \"multi\", \"text\": {\"en\": \"R\"},"
		 " \"guidance\": {\"en\": \"G\"}, \"options\": ["
		 "{\"id\": \"a\", \"label\": {\"en\": \"A\"}, \"score\": 0.5},"
		 "{\"id\": \"b\", \"label\": {\"en\": \"B\"}, \"score\": 0.5},"
		 "{\"id\": \"c\", \"label\": {\"en\": \"C\"}, \"score\": 0.5}]}"},
		{"areas.6.questions.1", "critical", "false"},
	};
	struct guide_problems pr = {0};
	struct guide *g = load_edited(e, 2, &pr);
	dump_problems(&pr);
	assert_non_null(g);
	guide_problems_free(&pr);
	/* add the dependants through the JSON of a second load */
	json_t *root = json_deep_copy(g->root);
	guide_free(g);
	json_array_append_new(json_object_get(at(root, "areas.5"), "questions"),
			      json_pack("{s:s, s:s, s:{s:s}, s:{s:s, s:[s, s]}}", "id", "prot.dep", "type",
					"text", "text", "en", "Dep", "show_if", "question", "prot.rights",
					"in", "b", "c"));
	json_array_append_new(json_object_get(at(root, "areas.6"), "questions"),
			      json_pack("{s:s, s:s, s:{s:s}, s:{s:s, s:[s]}}", "id", "coop.dep", "type",
					"date", "text", "en", "Dep", "show_if", "question", "coop.liaison",
					"in", "yes"));
	char *s = json_dumps(root, 0);
	json_decref(root);
	g = guide_load_buffer(s, strlen(s), &pr);
	free(s);
	dump_problems(&pr);
	assert_non_null(g);

	struct answer *ans = xcalloc(g->n_questions, sizeof(*ans));
	const struct guide_question *rights = guide_question(g, "prot.rights");
	const struct guide_question *dep = guide_question(g, "prot.dep");
	assert_int_equal(dep->show_if_mask, 0x6);
	ans[rights->index] = (struct answer){.kind = ANS_VALUE, .mask = 0x1};
	assert_false(guide_question_visible(g, dep, ans));
	ans[rights->index].mask = 0x5; /* a and c: any selected option in show_if.in */
	assert_true(guide_question_visible(g, dep, ans));

	const struct guide_question *mla = guide_question(g, "coop.mla");
	const struct guide_question *liaison = guide_question(g, "coop.liaison");
	const struct guide_question *cdep = guide_question(g, "coop.dep");
	ans[mla->index] = (struct answer){.kind = ANS_VALUE, .mask = 0x2};     /* yes */
	ans[liaison->index] = (struct answer){.kind = ANS_VALUE, .mask = 0x2}; /* yes */
	assert_true(guide_question_visible(g, cdep, ans));
	/* mla "no" hides liaison, and so coop.dep although liaison's stored answer is "yes" */
	ans[mla->index].mask = 0x1;
	assert_false(guide_question_visible(g, liaison, ans));
	assert_false(guide_question_visible(g, cdep, ans));
	free(ans);
	guide_free(g);
}

static int setup_guide(void **state)
{
	*state = load_fixture();
	return 0;
}

static int teardown_guide(void **state)
{
	guide_free(*state);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_loads),
		cmocka_unit_test(test_default_max_length),
		cmocka_unit_test(test_areas_in_other_order),
		BROKEN(BC_TEST)
		cmocka_unit_test(test_collects_all_problems),
		cmocka_unit_test(test_malformed_json),
		cmocka_unit_test(test_duplicate_json_key),
		cmocka_unit_test(test_not_an_object),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_too_many_problems),
		cmocka_unit_test(test_slash_only_in_cjat_ids),
		cmocka_unit_test_setup_teardown(test_answer_choice_scale, setup_guide, teardown_guide),
		cmocka_unit_test_setup_teardown(test_answer_multi, setup_guide, teardown_guide),
		cmocka_unit_test_setup_teardown(test_answer_number, setup_guide, teardown_guide),
		cmocka_unit_test_setup_teardown(test_answer_text, setup_guide, teardown_guide),
		cmocka_unit_test_setup_teardown(test_answer_date, setup_guide, teardown_guide),
		cmocka_unit_test_setup_teardown(test_answer_json_roundtrip, setup_guide, teardown_guide),
		cmocka_unit_test_setup_teardown(test_visibility, setup_guide, teardown_guide),
		cmocka_unit_test(test_visibility_chain_and_multi),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
