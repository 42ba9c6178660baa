/* test_plan.c - the assistance plan of SCORING.md. Run from the repo root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "guide.h"
#include "plan.h"
#include "score.h"
#include "util.h"

#include "../fixtures/guide_builder.h"

#define PREV 0
#define DATA 1
#define LEG 2
#define POL 3
#define CJ 4
#define PROT 5
#define COOP 6

/* Checks the plan's ids in order, and each item's triggering question ids
 * ("q1 q2"). */
static void expect_plan(const struct guide *g, const struct plan *p, size_t n, const char *const ids[],
			const char *const by[])
{
	if (p->n != n) {
		for (size_t i = 0; i < p->n; i++)
			fprintf(stderr, "  %s\n", p->items[i].rec->id);
		assert_int_equal(p->n, n);
	}
	for (size_t i = 0; i < n; i++) {
		const struct plan_item *it = &p->items[i];
		assert_string_equal(it->rec->id, ids[i]);
		assert_int_equal(it->area, it->rec->area);
		char buf[256] = "";
		for (size_t k = 0; k < it->n_triggered_by; k++) {
			if (k)
				strcat(buf, " ");
			strcat(buf, g->questions[it->triggered_by[k]].id);
		}
		assert_string_equal(buf, by[i]);
	}
}

static void test_fixture_scenario(void **state)
{
	(void)state;
	struct guide *g = guide_load_file("tests/fixtures/guide-small.json", NULL);
	assert_non_null(g);
	struct answer *ans = gb_answers(g);
	gb_set(g, ans, "prev.campaigns", "\"some\"");
	gb_set(g, ans, "prev.channels", "[\"media\", \"communities\"]");
	gb_set(g, ans, "data.system", "\"dk\"");
	gb_set(g, ans, "data.published", "\"yes\"");
	gb_set(g, ans, "leg.criminalized", "\"fully\"");
	gb_set(g, ans, "leg.aggravating", "\"na\"");
	gb_set(g, ans, "pol.strategy", "\"draft\"");
	gb_set(g, ans, "cj.training", "\"none\"");
	gb_set(g, ans, "cj.unit", "\"yes\"");
	gb_set(g, ans, "coop.mla", "\"no\"");
	gb_set(g, ans, "coop.liaison", "\"no\""); /* hidden: would trigger rec.liaison */
	struct score s;
	score_compute(g, ans, &s);
	struct plan p;
	plan_compute(g, ans, &s, &p);
	/* needs: cooperation 100, criminal-justice 67, policy 50, prevention 42 */
	static const char *const ids[] = {"rec.cooperation", "rec.training", "rec.strategy", "rec.awareness",
					  "rec.community"};
	static const char *const by[] = {"coop.mla", "cj.training", "pol.strategy", "prev.channels",
					 "prev.channels"};
	expect_plan(g, &p, 5, ids, by);
	assert_int_equal(p.items[0].level, LEVEL_CRITICAL);
	assert_true(p.items[0].need_defined);
	assert_int_equal(p.items[0].need, 100);
	assert_int_equal(p.items[1].level, LEVEL_HIGH);
	assert_int_equal(p.items[3].level, LEVEL_MODERATE);
	assert_int_equal(p.items[3].area, PREV);
	plan_release(&p);

	/* without a score given, the same plan */
	plan_compute(g, ans, NULL, &p);
	expect_plan(g, &p, 5, ids, by);
	plan_release(&p);
	plan_release(NULL);

	/* mla yes: liaison is shown, its "no" triggers rec.liaison and rec.cooperation;
	 * cooperation need becomes (2 + 0) / 3 -> 33 */
	score_release(&s);
	gb_set(g, ans, "coop.mla", "\"yes\"");
	score_compute(g, ans, &s);
	plan_compute(g, ans, &s, &p);
	static const char *const ids2[] = {"rec.training", "rec.strategy", "rec.awareness", "rec.community",
					   "rec.cooperation", "rec.liaison"};
	static const char *const by2[] = {"cj.training", "pol.strategy", "prev.channels", "prev.channels",
					  "coop.liaison", "coop.liaison"};
	expect_plan(g, &p, 6, ids2, by2);
	assert_int_equal(p.items[4].need, 33);
	plan_release(&p);
	score_release(&s);
	free(ans);
	guide_free(g);
}

/* Order: area need desc, then number of triggering questions desc, then id (strcmp). */
static void test_order_and_ties(void **state)
{
	(void)state;
	json_t *r = gb_new();
	/* prevention: need 100 */
	gb_question(r, PREV, "p1", "choice", 1, false, "no=0>rec.p.one>rec.p.two yes=1");
	gb_question(r, PREV, "p2", "choice", 1, false, "no=0>rec.p.two yes=1");
	/* data: need 50 */
	gb_question(r, DATA, "d1", "choice", 1, false, "no=0>rec.a9>rec.a10 yes=1");
	gb_question(r, DATA, "d2", "choice", 1, false, "no=0 yes=1");
	/* legislation: need 50 too, its rec sorts between rec.a10 and rec.a9 */
	gb_question(r, LEG, "l1", "choice", 1, false, "no=0>rec.a5 half=0.5>rec.a5 yes=1");
	/* protection: the question triggers a recommendation of cooperation, whose need is
	 * undefined: last */
	gb_question(r, PROT, "r1", "choice", 1, false, "no=0>rec.zz.coop>rec.aa.coop yes=1");
	gb_question(r, COOP, "c1", "choice", 1, false, "no=0 yes=1");
	gb_rec(r, "rec.p.one", PREV);
	gb_rec(r, "rec.p.two", PREV);
	gb_rec(r, "rec.a9", DATA);
	gb_rec(r, "rec.a10", DATA);
	gb_rec(r, "rec.a5", LEG);
	gb_rec(r, "rec.zz.coop", COOP);
	gb_rec(r, "rec.aa.coop", COOP);
	gb_rec(r, "rec.unused", PREV);
	struct guide *g = gb_load(r);
	struct answer *ans = gb_answers(g);
	gb_set(g, ans, "p1", "\"no\"");
	gb_set(g, ans, "p2", "\"no\"");
	gb_set(g, ans, "d1", "\"no\"");
	gb_set(g, ans, "d2", "\"yes\"");
	gb_set(g, ans, "l1", "\"half\"");
	gb_set(g, ans, "r1", "\"no\"");
	struct plan p;
	plan_compute(g, ans, NULL, &p);
	static const char *const ids[] = {
		"rec.p.two",   /* 100, two questions */
		"rec.p.one",   /* 100, one */
		"rec.a10",     /* 50, one: "rec.a10" < "rec.a5" < "rec.a9" bytewise */
		"rec.a5",      /* 50 (legislation) */
		"rec.a9",      /* 50 */
		"rec.aa.coop", /* protection 100 but the recommendation's area is cooperation: undefined */
		"rec.zz.coop",
	};
	static const char *const by[] = {"p1 p2", "p1", "d1", "l1", "d1", "r1", "r1"};
	expect_plan(g, &p, 7, ids, by);
	assert_false(p.items[5].need_defined);
	assert_int_equal(p.items[5].level, LEVEL_UNKNOWN);
	assert_int_equal(p.items[5].area, COOP);
	plan_release(&p);
	free(ans);
	guide_free(g);
}

/* hidden, na, dk and open questions trigger nothing */
static void test_hidden_na_dk_do_not_trigger(void **state)
{
	(void)state;
	json_t *r = gb_new();
	gb_question(r, CJ, "gate", "choice", 1, false, "no=0 yes=1");
	json_t *q = gb_question(r, CJ, "inner", "choice", 1, false, "no=0>rec.inner yes=1");
	gb_show_if(q, "gate", "yes");
	q = gb_question(r, CJ, "inner2", "multi", 1, false, "a=0>rec.inner2 b=1");
	gb_show_if(q, "inner", "no");
	gb_question(r, CJ, "other", "choice", 1, false, "no=0>rec.other yes=1");
	gb_rec(r, "rec.inner", CJ);
	gb_rec(r, "rec.inner2", CJ);
	gb_rec(r, "rec.other", CJ);
	struct guide *g = gb_load(r);
	struct answer *ans = gb_answers(g);
	struct plan p;

	/* gate unanswered: inner and inner2 hidden though answered */
	gb_set(g, ans, "inner", "\"no\"");
	gb_set(g, ans, "inner2", "[\"a\"]");
	plan_compute(g, ans, NULL, &p);
	assert_int_equal(p.n, 0);
	plan_release(&p);

	/* gate no: still hidden */
	gb_set(g, ans, "gate", "\"no\"");
	plan_compute(g, ans, NULL, &p);
	assert_int_equal(p.n, 0);
	plan_release(&p);

	/* gate yes: both shown and triggering */
	gb_set(g, ans, "gate", "\"yes\"");
	plan_compute(g, ans, NULL, &p);
	static const char *const ids[] = {"rec.inner", "rec.inner2"};
	static const char *const by[] = {"inner", "inner2"};
	expect_plan(g, &p, 2, ids, by);
	plan_release(&p);

	/* other: na and dk trigger nothing */
	gb_set(g, ans, "other", "\"na\"");
	plan_compute(g, ans, NULL, &p);
	assert_int_equal(p.n, 2);
	plan_release(&p);
	gb_set(g, ans, "other", "\"dk\"");
	plan_compute(g, ans, NULL, &p);
	assert_int_equal(p.n, 2);
	plan_release(&p);

	/* nothing answered at all */
	plan_compute(g, NULL, NULL, &p);
	assert_int_equal(p.n, 0);
	plan_release(&p);
	free(ans);
	guide_free(g);
}

/* a multi answer triggers the recommendations of every selected option; a question
 * is listed once per recommendation */
static void test_multi_triggers_each_option(void **state)
{
	(void)state;
	json_t *r = gb_new();
	gb_question(r, PROT, "m", "multi", 1, false,
		    "a=0>rec.x b=0>rec.y>rec.x c=0.5>rec.z d=1");
	gb_question(r, PROT, "n", "choice", 1, false, "no=0>rec.y yes=1");
	gb_rec(r, "rec.x", PROT);
	gb_rec(r, "rec.y", PROT);
	gb_rec(r, "rec.z", PROT);
	struct guide *g = gb_load(r);
	struct answer *ans = gb_answers(g);
	struct plan p;

	gb_set(g, ans, "m", "[\"a\", \"b\", \"c\"]");
	gb_set(g, ans, "n", "\"no\"");
	plan_compute(g, ans, NULL, &p);
	/* rec.y has two questions; rec.x (m once, though a and b both recommend it) and
	 * rec.z one each */
	static const char *const ids[] = {"rec.y", "rec.x", "rec.z"};
	static const char *const by[] = {"m n", "m", "m"};
	expect_plan(g, &p, 3, ids, by);
	plan_release(&p);

	gb_set(g, ans, "m", "[\"d\", \"c\"]");
	gb_set(g, ans, "n", "\"yes\"");
	plan_compute(g, ans, NULL, &p);
	static const char *const ids2[] = {"rec.z"};
	static const char *const by2[] = {"m"};
	expect_plan(g, &p, 1, ids2, by2);
	plan_release(&p);
	free(ans);
	guide_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_scenario),
		cmocka_unit_test(test_order_and_ties),
		cmocka_unit_test(test_hidden_na_dk_do_not_trigger),
		cmocka_unit_test(test_multi_triggers_each_option),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
