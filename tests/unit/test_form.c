/* test_form.c - form fields to answer values, then through the guide's validator,
 * over the fixture guide. Run from the repo root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "form.h"
#include "guide.h"
#include "util.h"

static struct guide *g;

static int setup(void **state)
{
	util_init_jansson();
	struct guide_problems p = {0};
	g = guide_load_file("tests/fixtures/guide-small.json", &p);
	guide_problems_free(&p);
	return g ? 0 : -1;
}

static int teardown(void **state)
{
	guide_free(g);
	return 0;
}

#define F(n, v) {.name = (char *)(n), .value = (char *)(v), .len = sizeof(v) - 1}

/* Runs the form value and, when there is one, guide_parse_answer; returns the JSON
 * text of the value ("" for no answer) or "ERR:" + message. */
static const char *run(const char *qid, struct form_field *fields, size_t n)
{
	static char out[256];
	const struct guide_question *q = guide_question(g, qid);
	assert_non_null(q);
	json_t *v = NULL;
	const char *raw = NULL;
	char err[200];
	if (form_answer_value(fields, n, q, &v, &raw, err, sizeof(err)) != 0) {
		snprintf(out, sizeof(out), "ERR:%s", err);
		return out;
	}
	if (!v)
		return "";
	struct answer a;
	if (guide_parse_answer(q, v, &a, err, sizeof(err)) != 0) {
		json_decref(v);
		snprintf(out, sizeof(out), "ERR:%s", err);
		return out;
	}
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	snprintf(out, sizeof(out), "%s", s);
	free(s);
	json_decref(v);
	return out;
}

static void test_choice(void **state)
{
	struct form_field f1[] = {F("q.data.system", "partial"), F("c.data.system", "a note")};
	assert_string_equal(run("data.system", f1, 2), "\"partial\"");
	struct form_field f2[] = {F("q.data.system", "")};
	assert_string_equal(run("data.system", f2, 1), "");
	assert_string_equal(run("data.system", NULL, 0), "");
	struct form_field f3[] = {F("q.data.system", "dk")};
	assert_string_equal(run("data.system", f3, 1), "\"dk\"");
	struct form_field f4[] = {F("q.data.system", "everything")};
	assert_memory_equal(run("data.system", f4, 1), "ERR:", 4);
	/* another question's field does not count */
	struct form_field f5[] = {F("q.data.published", "yes")};
	assert_string_equal(run("data.system", f5, 1), "");
}

static void test_multi(void **state)
{
	struct form_field f1[] = {F("q.prev.channels", "media"), F("q.other", "x"), F("q.prev.channels", "online")};
	assert_string_equal(run("prev.channels", f1, 3), "[\"media\",\"online\"]");
	struct form_field f2[] = {F("q.prev.channels", "na")};
	assert_string_equal(run("prev.channels", f2, 1), "\"na\"");
	struct form_field f3[] = {F("q.prev.channels", "media"), F("q.prev.channels", "dk")};
	const char *r = run("prev.channels", f3, 2);
	assert_memory_equal(r, "ERR:", 4);
	assert_non_null(strstr(r, "cannot be combined"));
	struct form_field f4[] = {F("q.prev.channels", ""), F("q.prev.channels", "")};
	assert_string_equal(run("prev.channels", f4, 2), "");
	struct form_field f5[] = {F("q.prev.channels", "media"), F("q.prev.channels", "media")};
	assert_memory_equal(run("prev.channels", f5, 2), "ERR:", 4);
}

static void test_number(void **state)
{
	struct form_field f1[] = {F("q.prev.budget", "  2500 ")};
	assert_string_equal(run("prev.budget", f1, 1), "2500");
	struct form_field f2[] = {F("q.prev.budget", "12.75")};
	assert_string_equal(run("prev.budget", f2, 1), "12.75");
	static const char *const bad[] = {"12,5", "abc", "1e999", "nan", "inf", "3 4", "0x10q"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct form_field f[] = {{.name = (char *)"q.prev.budget", .value = (char *)bad[i], .len = strlen(bad[i])}};
		const char *r = run("prev.budget", f, 1);
		if (strncmp(r, "ERR:", 4) != 0)
			fail_msg("\"%s\" was accepted as %s", bad[i], r);
	}
	/* the raw text is kept for re-showing the form */
	const struct guide_question *q = guide_question(g, "prev.budget");
	struct form_field f3[] = {F("q.prev.budget", "twelve")};
	json_t *v = NULL;
	const char *raw = NULL;
	char err[200];
	assert_int_equal(form_answer_value(f3, 1, q, &v, &raw, err, sizeof(err)), -1);
	assert_string_equal(raw, "twelve");
	assert_null(v);
}

static void test_text_and_date(void **state)
{
	struct form_field f1[] = {F("q.leg.notes", "Law 12 <art. 4>")};
	assert_string_equal(run("leg.notes", f1, 1), "\"Law 12 <art. 4>\"");
	struct form_field f2[] = {F("q.data.last-report", "2024-02-29")};
	assert_string_equal(run("data.last-report", f2, 1), "\"2024-02-29\"");
	struct form_field f3[] = {F("q.data.last-report", "2023-02-29")};
	assert_memory_equal(run("data.last-report", f3, 1), "ERR:", 4);
	struct form_field f4[] = {F("q.data.last-report", "29/02/2024")};
	assert_memory_equal(run("data.last-report", f4, 1), "ERR:", 4);
	/* invalid UTF-8 and control characters are refused */
	struct form_field f5[] = {F("q.leg.notes", "bad \xff\xfe bytes")};
	assert_memory_equal(run("leg.notes", f5, 1), "ERR:", 4);
	struct form_field f6[] = {F("q.leg.notes", "bell \x07")};
	assert_memory_equal(run("leg.notes", f6, 1), "ERR:", 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_choice),
		cmocka_unit_test(test_multi),
		cmocka_unit_test(test_number),
		cmocka_unit_test(test_text_and_date),
	};
	return cmocka_run_group_tests_name("form", tests, setup, teardown);
}
