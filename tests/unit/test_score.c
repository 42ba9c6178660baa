/* test_score.c - SCORING.md by hand-computed cases. Run from the repo root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>

#include <cmocka.h>

#include "guide.h"
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

static void assert_close(double x, double want)
{
	if (fabs(x - want) > 1e-9)
		fail_msg("%.17g != %.17g", x, want);
}

static void test_level_names_and_thresholds(void **state)
{
	(void)state;
	assert_string_equal(level_name(LEVEL_UNKNOWN), "unknown");
	assert_string_equal(level_name(LEVEL_LOW), "low");
	assert_string_equal(level_name(LEVEL_MODERATE), "moderate");
	assert_string_equal(level_name(LEVEL_HIGH), "high");
	assert_string_equal(level_name(LEVEL_CRITICAL), "critical");
	assert_int_equal(level_of_need(0), LEVEL_LOW);
	assert_int_equal(level_of_need(24), LEVEL_LOW);
	assert_int_equal(level_of_need(25), LEVEL_MODERATE);
	assert_int_equal(level_of_need(49), LEVEL_MODERATE);
	assert_int_equal(level_of_need(50), LEVEL_HIGH);
	assert_int_equal(level_of_need(74), LEVEL_HIGH);
	assert_int_equal(level_of_need(75), LEVEL_CRITICAL);
	assert_int_equal(level_of_need(100), LEVEL_CRITICAL);
}

static void test_round_need(void **state)
{
	(void)state;
	assert_int_equal(score_round_need(12.5), 13);
	assert_int_equal(score_round_need(87.5), 88);
	assert_int_equal(score_round_need(12.4999), 12);
	assert_int_equal(score_round_need(57.49999999999999), 58); /* fp noise of an exact 57.5 */
	assert_int_equal(score_round_need(0.5), 1);
	assert_int_equal(score_round_need(0), 0);
	assert_int_equal(score_round_need(100), 100);
	assert_int_equal(score_round_need(99.5), 100);
	assert_int_equal(score_round_need(-1e-15), 0);
}

/* weights: capacity = Σw·s / Σw */
static void test_weights(void **state)
{
	(void)state;
	json_t *r = gb_new();
	gb_question(r, PREV, "a", "choice", 3, false, "no=0 partly=0.5 yes=1");
	gb_question(r, PREV, "b", "scale", 1, false, "s0=0 s1=0.25 s2=0.5 s3=0.75 s4=1");
	gb_question(r, PREV, "c", "choice", 2, false, "no=0 yes=1");
	struct guide *g = gb_load(r);
	struct answer *ans = gb_answers(g);
	gb_set(g, ans, "a", "\"partly\"");
	gb_set(g, ans, "b", "\"s3\"");
	gb_set(g, ans, "c", "\"yes\"");
	struct score s;
	score_compute(g, ans, &s);
	const struct area_score *a = &s.areas[PREV];
	/* (3·0.5 + 1·0.75 + 2·1) / 6 = 4.25 / 6; need = 100·1.75/6 = 29.17 -> 29 */
	assert_int_equal(a->applicable, 3);
	assert_int_equal(a->answered, 3);
	assert_close(a->coverage, 1);
	assert_true(a->defined);
	assert_close(a->capacity, 4.25 / 6);
	assert_int_equal(a->need, 29);
	assert_int_equal(a->level, LEVEL_MODERATE);
	assert_int_equal(a->n_critical_gaps, 0);
	assert_int_equal(a->data_gaps, 0);
	/* the other areas have nothing scored */
	for (int i = 1; i < GUIDE_N_AREAS; i++) {
		assert_false(s.areas[i].defined);
		assert_int_equal(s.areas[i].level, LEVEL_UNKNOWN);
		assert_int_equal(s.areas[i].applicable, 0);
		assert_close(s.areas[i].coverage, 0);
	}
	assert_true(s.need_defined);
	assert_int_equal(s.need, 29);
	assert_close(s.coverage, 1);
	assert_int_equal(s.n_priorities, 1);
	assert_int_equal(s.priorities[0], PREV);
	score_release(&s);
	free(ans);
	guide_free(g);
}

/* need = 100·(1 − capacity) rounded half away from zero, exactly at the half */
static void test_rounding_half_away(void **state)
{
	(void)state;
	json_t *r = gb_new();
	gb_question(r, PREV, "p", "choice", 1, false, "lo=0.125 hi=0.875");
	/* 0.2 and 0.65 (weights 1, 1): capacity 0.425, need 57.5; in doubles the sum gives
	 * 57.49999999999999, which a plain round() would make 57 */
	gb_question(r, DATA, "d1", "choice", 1, false, "x=0.2 y=1");
	gb_question(r, DATA, "d2", "choice", 1, false, "x=0.65 y=1");
	/* 0.55 and 0.9: need 27.5 -> 28 (27.499999999999993 in doubles) */
	gb_question(r, LEG, "l1", "choice", 1, false, "x=0.55 y=1");
	gb_question(r, LEG, "l2", "choice", 1, false, "x=0.9 y=1");
	/* weights 3 and 1 with 0.1 and 0.3: (0.3 + 0.3)/4 = 0.15, need 85 exactly */
	gb_question(r, POL, "o1", "choice", 3, false, "x=0.1 y=1");
	gb_question(r, POL, "o2", "choice", 1, false, "x=0.3 y=1");
	struct guide *g = gb_load(r);
	struct answer *ans = gb_answers(g);
	struct score s;

	gb_set(g, ans, "p", "\"hi\"");
	score_compute(g, ans, &s);
	assert_close(s.areas[PREV].capacity, 0.875);
	assert_int_equal(s.areas[PREV].need, 13); /* 12.5 -> 13 */
	assert_int_equal(s.areas[PREV].level, LEVEL_LOW);
	score_release(&s);

	gb_set(g, ans, "p", "\"lo\"");
	gb_set(g, ans, "d1", "\"x\"");
	gb_set(g, ans, "d2", "\"x\"");
	gb_set(g, ans, "l1", "\"x\"");
	gb_set(g, ans, "l2", "\"x\"");
	gb_set(g, ans, "o1", "\"x\"");
	gb_set(g, ans, "o2", "\"x\"");
	score_compute(g, ans, &s);
	assert_close(s.areas[PREV].capacity, 0.125);
	assert_int_equal(s.areas[PREV].need, 88); /* 87.5 -> 88 */
	assert_int_equal(s.areas[PREV].level, LEVEL_CRITICAL);
	assert_close(s.areas[DATA].capacity, 0.425);
	assert_int_equal(s.areas[DATA].need, 58);
	assert_int_equal(s.areas[DATA].level, LEVEL_HIGH);
	assert_int_equal(s.areas[LEG].need, 28);
	assert_int_equal(s.areas[POL].need, 85);
	/* overall: (88 + 58 + 28 + 85) / 4 = 64.75 -> 65 */
	assert_int_equal(s.need, 65);
	score_release(&s);
	free(ans);
	guide_free(g);
}

/* na is not applicable; dk is answered with 0 and a data gap; open lowers coverage */
static void test_na_dk_open(void **state)
{
	(void)state;
	json_t *r = gb_new();
	gb_question(r, CJ, "a", "choice", 2, false, "no=0 yes=1");
	gb_question(r, CJ, "b", "choice", 1, false, "no=0 yes=1");
	gb_question(r, CJ, "c", "choice", 1, false, "no=0 yes=1");
	gb_question(r, CJ, "d", "choice", 1, false, "no=0 yes=1");
	gb_question(r, CJ, "n", "number", 1, false, NULL);
	struct guide *g = gb_load(r);
	struct answer *ans = gb_answers(g);
	gb_set(g, ans, "a", "\"yes\"");
	gb_set(g, ans, "b", "\"na\"");
	gb_set(g, ans, "c", "\"dk\"");
	/* d open */
	struct score s;
	score_compute(g, ans, &s);
	const struct area_score *a = &s.areas[CJ];
	assert_int_equal(a->applicable, 3); /* a, c, d */
	assert_int_equal(a->answered, 2);   /* a, c */
	assert_int_equal(a->open, 1);
	assert_close(a->coverage, 2.0 / 3);
	assert_close(a->capacity, 2.0 / 3); /* (2·1 + 1·0) / 3 */
	assert_int_equal(a->need, 33);
	assert_int_equal(a->level, LEVEL_MODERATE);
	assert_int_equal(a->data_gaps, 1);
	assert_close(s.coverage, 2.0 / 3);
	score_release(&s);

	/* dk on an unscored question is a data gap too, and changes nothing else */
	gb_set(g, ans, "n", "\"dk\"");
	score_compute(g, ans, &s);
	assert_int_equal(s.areas[CJ].data_gaps, 2);
	assert_int_equal(s.areas[CJ].applicable, 3);
	assert_int_equal(s.areas[CJ].need, 33);
	score_release(&s);

	/* everything na: nothing applicable, coverage 0, need undefined */
	gb_set(g, ans, "a", "\"na\"");
	gb_set(g, ans, "c", "\"na\"");
	gb_set(g, ans, "d", "\"na\"");
	score_compute(g, ans, &s);
	assert_int_equal(s.areas[CJ].applicable, 0);
	assert_int_equal(s.areas[CJ].answered, 0);
	assert_close(s.areas[CJ].coverage, 0);
	assert_false(s.areas[CJ].defined);
	assert_int_equal(s.areas[CJ].level, LEVEL_UNKNOWN);
	assert_false(s.need_defined);
	assert_close(s.coverage, 0);
	assert_int_equal(s.n_priorities, 0);
	score_release(&s);
	free(ans);
	guide_free(g);
}

/* hidden questions count as na whatever is stored */
static void test_skip_logic(void **state)
{
	(void)state;
	json_t *r = gb_new();
	gb_question(r, LEG, "law", "choice", 1, false, "no=0 yes=1");
	json_t *q = gb_question(r, LEG, "law.penalties", "choice", 3, true, "weak=0 strong=1");
	gb_show_if(q, "law", "yes");
	q = gb_question(r, LEG, "law.penalties.review", "choice", 1, false, "no=0 yes=1");
	gb_show_if(q, "law.penalties", "weak");
	struct guide *g = gb_load(r);
	struct answer *ans = gb_answers(g);
	struct score s;

	/* controlling question unanswered: the stored answers below it do not count */
	gb_set(g, ans, "law.penalties", "\"weak\"");
	gb_set(g, ans, "law.penalties.review", "\"dk\"");
	score_compute(g, ans, &s);
	assert_int_equal(s.areas[LEG].applicable, 1);
	assert_int_equal(s.areas[LEG].answered, 0);
	assert_false(s.areas[LEG].defined);
	assert_int_equal(s.areas[LEG].n_critical_gaps, 0);
	assert_int_equal(s.areas[LEG].data_gaps, 0); /* a hidden dk is no data gap */
	assert_int_equal(score_question_state(g, guide_question(g, "law.penalties"), ans), QS_HIDDEN);
	score_release(&s);

	/* "no": still hidden */
	gb_set(g, ans, "law", "\"no\"");
	score_compute(g, ans, &s);
	assert_int_equal(s.areas[LEG].applicable, 1);
	assert_int_equal(s.areas[LEG].answered, 1);
	assert_int_equal(s.areas[LEG].need, 100);
	assert_int_equal(s.areas[LEG].level, LEVEL_CRITICAL);
	score_release(&s);

	/* "yes": penalties shown (weak, critical gap), review shown (dk) */
	gb_set(g, ans, "law", "\"yes\"");
	score_compute(g, ans, &s);
	assert_int_equal(s.areas[LEG].applicable, 3);
	assert_int_equal(s.areas[LEG].answered, 3);
	assert_close(s.areas[LEG].capacity, 1.0 / 5); /* (1 + 0 + 0) / (1 + 3 + 1) */
	assert_int_equal(s.areas[LEG].need, 80);
	assert_int_equal(s.areas[LEG].data_gaps, 1);
	assert_int_equal(s.areas[LEG].n_critical_gaps, 1);
	assert_int_equal(s.areas[LEG].critical_gaps[0], gb_qindex(g, "law.penalties"));
	score_release(&s);

	/* controlling question answered dk or na: hidden */
	gb_set(g, ans, "law", "\"dk\"");
	score_compute(g, ans, &s);
	assert_int_equal(s.areas[LEG].applicable, 1);
	assert_int_equal(s.areas[LEG].need, 100);
	assert_int_equal(s.areas[LEG].data_gaps, 1);
	score_release(&s);
	free(ans);
	guide_free(g);
}

/* multi: the sum of the selected options' scores, capped at 1 */
static void test_multi_capped(void **state)
{
	(void)state;
	json_t *r = gb_new();
	gb_question(r, PROT, "m", "multi", 1, false, "a=0.5 b=0.5 c=0.5 none=0");
	gb_question(r, PROT, "z", "choice", 1, false, "no=0 yes=1");
	struct guide *g = gb_load(r);
	struct answer *ans = gb_answers(g);
	const struct guide_question *m = guide_question(g, "m");
	struct score s;

	gb_set(g, ans, "m", "[\"a\", \"b\", \"c\"]");
	assert_close(score_answer_value(m, &ans[m->index]), 1);
	gb_set(g, ans, "z", "\"no\"");
	score_compute(g, ans, &s);
	assert_close(s.areas[PROT].capacity, 0.5); /* (1 + 0) / 2, not (1.5 + 0) / 2 */
	assert_int_equal(s.areas[PROT].need, 50);
	assert_int_equal(s.areas[PROT].level, LEVEL_HIGH);
	score_release(&s);

	gb_set(g, ans, "m", "[\"none\", \"c\"]");
	assert_close(score_answer_value(m, &ans[m->index]), 0.5);
	gb_set(g, ans, "m", "[\"none\"]");
	assert_close(score_answer_value(m, &ans[m->index]), 0);
	/* stale option bits beyond the options are ignored */
	struct answer stale = {.kind = ANS_VALUE, .mask = 0x1 | ((uint64_t)1 << 40)};
	assert_close(score_answer_value(m, &stale), 0.5);
	free(ans);
	guide_free(g);
}

/* a critical question answered below 0.5 makes the level at least high */
static void test_critical_override(void **state)
{
	(void)state;
	json_t *r = gb_new();
	gb_question(r, COOP, "crit", "scale", 1, true, "s0=0 s1=0.25 s2=0.5 s3=1");
	gb_question(r, COOP, "other", "choice", 3, false, "no=0 yes=1");
	gb_question(r, COOP, "crit2", "choice", 1, true, "no=0 yes=1");
	struct guide *g = gb_load(r);
	struct answer *ans = gb_answers(g);
	struct score s;

	/* 0.25 (critical) and 1 (w3): (0.25 + 3) / 4 = 0.8125, need 18.75 -> 19: low -> high */
	gb_set(g, ans, "crit", "\"s1\"");
	gb_set(g, ans, "other", "\"yes\"");
	score_compute(g, ans, &s);
	assert_int_equal(s.areas[COOP].need, 19);
	assert_int_equal(s.areas[COOP].level, LEVEL_HIGH);
	assert_int_equal(s.areas[COOP].n_critical_gaps, 1);
	assert_int_equal(s.areas[COOP].critical_gaps[0], gb_qindex(g, "crit"));
	score_release(&s);

	/* exactly 0.5 is no gap: (0.5 + 3) / 4 = 0.875, need 12.5 -> 13, low */
	gb_set(g, ans, "crit", "\"s2\"");
	score_compute(g, ans, &s);
	assert_int_equal(s.areas[COOP].need, 13);
	assert_int_equal(s.areas[COOP].level, LEVEL_LOW);
	assert_int_equal(s.areas[COOP].n_critical_gaps, 0);
	score_release(&s);

	/* dk on a critical question is a gap (s = 0); gaps in guide order */
	gb_set(g, ans, "crit", "\"dk\"");
	gb_set(g, ans, "crit2", "\"no\"");
	score_compute(g, ans, &s);
	/* (0 + 3 + 0) / 5 = 0.6, need 40: moderate -> high */
	assert_int_equal(s.areas[COOP].need, 40);
	assert_int_equal(s.areas[COOP].level, LEVEL_HIGH);
	assert_int_equal(s.areas[COOP].n_critical_gaps, 2);
	assert_int_equal(s.areas[COOP].critical_gaps[0], gb_qindex(g, "crit"));
	assert_int_equal(s.areas[COOP].critical_gaps[1], gb_qindex(g, "crit2"));
	score_release(&s);

	/* a critical level stays critical */
	gb_set(g, ans, "other", "\"no\"");
	score_compute(g, ans, &s);
	assert_int_equal(s.areas[COOP].need, 100);
	assert_int_equal(s.areas[COOP].level, LEVEL_CRITICAL);
	score_release(&s);

	/* na on the critical questions: no gap */
	gb_set(g, ans, "crit", "\"na\"");
	gb_set(g, ans, "crit2", "\"na\"");
	gb_set(g, ans, "other", "\"yes\"");
	score_compute(g, ans, &s);
	assert_int_equal(s.areas[COOP].n_critical_gaps, 0);
	assert_int_equal(s.areas[COOP].level, LEVEL_LOW);
	score_release(&s);
	free(ans);
	guide_free(g);
}

static void test_nothing_answered(void **state)
{
	(void)state;
	json_t *r = gb_new();
	for (int a = 0; a < GUIDE_N_AREAS; a++) {
		char id[16];
		snprintf(id, sizeof(id), "q%d", a);
		gb_question(r, a, id, "choice", 1, true, "no=0 yes=1");
	}
	struct guide *g = gb_load(r);
	struct answer *ans = gb_answers(g);
	struct score s;
	score_compute(g, ans, &s);
	for (int a = 0; a < GUIDE_N_AREAS; a++) {
		assert_false(s.areas[a].defined);
		assert_int_equal(s.areas[a].level, LEVEL_UNKNOWN);
		assert_int_equal(s.areas[a].applicable, 1);
		assert_int_equal(s.areas[a].open, 1);
		assert_close(s.areas[a].coverage, 0);
		assert_int_equal(s.areas[a].n_critical_gaps, 0);
	}
	assert_false(s.need_defined);
	assert_close(s.coverage, 0);
	assert_int_equal(s.n_priorities, 0);
	score_release(&s);
	/* NULL answers: the same */
	score_compute(g, NULL, &s);
	assert_false(s.need_defined);
	assert_int_equal(s.applicable, 7);
	score_release(&s);
	score_release(NULL);
	free(ans);
	guide_free(g);
}

/* overall need: mean of the defined needs, rounded half away from zero */
static void test_overall_mean(void **state)
{
	(void)state;
	json_t *r = gb_new();
	for (int a = 0; a < GUIDE_N_AREAS; a++) {
		char id[16];
		snprintf(id, sizeof(id), "q%d", a);
		/* needs: 100, 75, 62.5 -> 63, 50, 37.5 -> 38, 25, 12.5 -> 13, 0 */
		gb_question(r, a, id, "choice", 1, false, "n0=0 n25=0.25 n375=0.375 n50=0.5 n625=0.625 "
							  "n75=0.75 n875=0.875 n100=1");
	}
	struct guide *g = gb_load(r);
	struct answer *ans = gb_answers(g);
	struct score s;

	/* 25 and 50: 37.5 -> 38 */
	gb_set(g, ans, "q0", "\"n75\"");
	gb_set(g, ans, "q1", "\"n50\"");
	score_compute(g, ans, &s);
	assert_int_equal(s.areas[0].need, 25);
	assert_int_equal(s.areas[1].need, 50);
	assert_int_equal(s.need, 38);
	score_release(&s);

	/* 25, 50, 50: 41.67 -> 42 */
	gb_set(g, ans, "q2", "\"n50\"");
	score_compute(g, ans, &s);
	assert_int_equal(s.need, 42);
	score_release(&s);

	/* 13 and 38 (each rounded first): 25.5 -> 26 */
	memset(ans, 0, g->n_questions * sizeof(*ans));
	gb_set(g, ans, "q3", "\"n875\"");
	gb_set(g, ans, "q4", "\"n625\"");
	score_compute(g, ans, &s);
	assert_int_equal(s.areas[3].need, 13);
	assert_int_equal(s.areas[4].need, 38);
	assert_int_equal(s.need, 26);
	score_release(&s);

	/* 0, 0, 13: 4.33 -> 4; and with 63 and 38 too: 114 / 5 = 22.8 -> 23 */
	gb_set(g, ans, "q0", "\"n100\"");
	gb_set(g, ans, "q1", "\"n100\"");
	gb_set(g, ans, "q4", "\"na\"");
	score_compute(g, ans, &s);
	assert_int_equal(s.need, 4);
	score_release(&s);
	gb_set(g, ans, "q4", "\"n625\"");
	gb_set(g, ans, "q5", "\"n375\"");
	score_compute(g, ans, &s);
	assert_int_equal(s.areas[5].need, 63);
	assert_int_equal(s.need, 23);
	score_release(&s);
	free(ans);
	guide_free(g);
}

/* priorities: need desc, then critical gaps desc, then the guide's area order */
static void test_priorities(void **state)
{
	(void)state;
	json_t *r = gb_new();
	gb_question(r, PREV, "p1", "choice", 1, false, "no=0 half=0.5 yes=1");
	gb_question(r, DATA, "d1", "choice", 1, true, "no=0 yes=1");
	gb_question(r, DATA, "d2", "choice", 1, false, "no=0 yes=1");
	gb_question(r, LEG, "l1", "choice", 1, false, "no=0 quarter=0.25 yes=1");
	gb_question(r, POL, "o1", "choice", 1, false, "no=0 half=0.5 yes=1");
	gb_question(r, CJ, "c1", "choice", 1, true, "no=0 yes=1");
	gb_question(r, CJ, "c2", "choice", 1, true, "no=0 yes=1");
	gb_question(r, CJ, "c3", "choice", 2, false, "no=0 yes=1");
	gb_question(r, PROT, "r1", "choice", 1, false, "no=0 yes=1");
	struct guide *g = gb_load(r);
	struct answer *ans = gb_answers(g);
	gb_set(g, ans, "p1", "\"half\"");    /* prevention 50, no gap */
	gb_set(g, ans, "d1", "\"no\"");      /* data 50, one gap */
	gb_set(g, ans, "d2", "\"yes\"");
	gb_set(g, ans, "l1", "\"quarter\""); /* legislation 75 */
	gb_set(g, ans, "o1", "\"half\"");    /* policy 50, no gap */
	gb_set(g, ans, "c1", "\"no\"");      /* criminal justice 50, two gaps */
	gb_set(g, ans, "c2", "\"no\"");
	gb_set(g, ans, "c3", "\"yes\"");
	/* protection open: undefined; cooperation nothing scored */
	struct score s;
	score_compute(g, ans, &s);
	assert_int_equal(s.areas[CJ].need, 50);
	assert_int_equal(s.areas[CJ].n_critical_gaps, 2);
	assert_int_equal(s.n_priorities, 5);
	static const int want[] = {LEG, CJ, DATA, PREV, POL};
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(s.priorities[i], want[i]);
	/* (50 + 50 + 75 + 50 + 50) / 5 = 55 */
	assert_int_equal(s.need, 55);
	/* coverage: 8 answered of 9 applicable */
	assert_int_equal(s.answered, 8);
	assert_int_equal(s.applicable, 9);
	assert_close(s.coverage, 8.0 / 9);
	score_release(&s);
	free(ans);
	guide_free(g);
}

/* "what drove the score" */
static void test_breakdown(void **state)
{
	(void)state;
	json_t *r = gb_new();
	gb_question(r, POL, "a", "choice", 3, true, "no=0 half=0.5 yes=1");
	gb_question(r, POL, "b", "choice", 1, false, "no=0 yes=1");
	gb_question(r, POL, "c", "choice", 2, false, "no=0 yes=1");
	gb_question(r, POL, "d", "choice", 2, false, "no=0 yes=1");
	gb_question(r, POL, "e", "choice", 2, false, "no=0 yes=1");
	gb_question(r, POL, "t", "text", 1, false, NULL);
	struct guide *g = gb_load(r);
	struct answer *ans = gb_answers(g);
	gb_set(g, ans, "a", "\"half\"");
	gb_set(g, ans, "b", "\"dk\"");
	gb_set(g, ans, "c", "\"yes\"");
	gb_set(g, ans, "d", "\"na\"");
	/* e open */
	struct score_item items[6];
	size_t n = score_breakdown(g, ans, POL, items);
	assert_int_equal(n, 3);
	assert_int_equal(items[0].question, gb_qindex(g, "a"));
	assert_int_equal(items[0].weight, 3);
	assert_close(items[0].score, 0.5);
	assert_false(items[0].critical_gap);
	assert_close(items[0].weight_share, 0.5);
	assert_close(items[0].need_points, 25);
	assert_int_equal(items[1].question, gb_qindex(g, "b"));
	assert_true(items[1].dk);
	assert_close(items[1].score, 0);
	assert_close(items[1].need_points, 100.0 / 6);
	assert_int_equal(items[2].question, gb_qindex(g, "c"));
	assert_close(items[2].need_points, 0);
	/* the parts add up to the area's need before rounding: 41.67 -> 42 */
	struct score s;
	score_compute(g, ans, &s);
	assert_int_equal(s.areas[POL].need, 42);
	assert_int_equal(score_round_need(items[0].need_points + items[1].need_points + items[2].need_points),
			 42);
	score_release(&s);
	assert_int_equal(score_breakdown(g, ans, PREV, items), 0);
	assert_int_equal(score_breakdown(g, ans, -1, items), 0);
	free(ans);
	guide_free(g);
}

/* The fixture, one answer set, every area hand-computed. */
static void test_fixture_scenario(void **state)
{
	(void)state;
	struct guide *g = guide_load_file("tests/fixtures/guide-small.json", NULL);
	assert_non_null(g);
	struct answer *ans = gb_answers(g);
	gb_set(g, ans, "prev.campaigns", "\"some\"");               /* w2 0.5, critical, no gap */
	gb_set(g, ans, "prev.channels", "[\"media\", \"communities\"]"); /* w1 0.75 */
	gb_set(g, ans, "data.system", "\"dk\"");                    /* w3 0, critical gap */
	gb_set(g, ans, "data.published", "\"yes\"");                /* w1 1 */
	gb_set(g, ans, "data.last-report", "\"dk\"");               /* unscored data gap */
	gb_set(g, ans, "leg.criminalized", "\"fully\"");            /* w3 1 */
	gb_set(g, ans, "leg.aggravating", "\"na\"");
	gb_set(g, ans, "pol.strategy", "\"draft\"");                /* w2 0.5; coordination open */
	gb_set(g, ans, "cj.training", "\"none\"");                  /* w2 0, critical gap */
	gb_set(g, ans, "cj.unit", "\"yes\"");                       /* w1 1 */
	gb_set(g, ans, "coop.mla", "\"no\"");                       /* w2 0, critical gap */
	gb_set(g, ans, "coop.liaison", "\"yes\"");                  /* hidden by mla = no */
	struct score s;
	score_compute(g, ans, &s);

	static const struct {
		size_t applicable, answered;
		bool defined;
		double capacity;
		int need;
		enum level level;
		size_t gaps, data_gaps;
	} want[GUIDE_N_AREAS] = {
		{2, 2, true, 1.75 / 3, 42, LEVEL_MODERATE, 0, 0}, /* 41.67 */
		{2, 2, true, 0.25, 75, LEVEL_CRITICAL, 1, 2},
		{1, 1, true, 1, 0, LEVEL_LOW, 0, 0},
		{2, 1, true, 0.5, 50, LEVEL_HIGH, 0, 0},
		{2, 2, true, 1.0 / 3, 67, LEVEL_HIGH, 1, 0},        /* 66.67 */
		{2, 0, false, 0, 0, LEVEL_UNKNOWN, 0, 0},
		{1, 1, true, 0, 100, LEVEL_CRITICAL, 1, 0},
	};
	for (int a = 0; a < GUIDE_N_AREAS; a++) {
		const struct area_score *as = &s.areas[a];
		assert_int_equal(as->applicable, want[a].applicable);
		assert_int_equal(as->answered, want[a].answered);
		assert_int_equal(as->defined, want[a].defined);
		assert_close(as->capacity, want[a].capacity);
		assert_int_equal(as->need, want[a].need);
		assert_int_equal(as->level, want[a].level);
		assert_int_equal(as->n_critical_gaps, want[a].gaps);
		assert_int_equal(as->data_gaps, want[a].data_gaps);
	}
	assert_int_equal(s.areas[1].critical_gaps[0], gb_qindex(g, "data.system"));
	assert_int_equal(s.areas[4].critical_gaps[0], gb_qindex(g, "cj.training"));
	assert_int_equal(s.areas[6].critical_gaps[0], gb_qindex(g, "coop.mla"));
	assert_close(s.areas[3].coverage, 0.5);
	/* (42 + 75 + 0 + 50 + 67 + 100) / 6 = 55.67 -> 56 */
	assert_true(s.need_defined);
	assert_int_equal(s.need, 56);
	assert_close(s.coverage, 9.0 / 12);
	static const int prio[] = {6, 1, 4, 3, 0, 2};
	assert_int_equal(s.n_priorities, 6);
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(s.priorities[i], prio[i]);
	score_release(&s);
	free(ans);
	guide_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_level_names_and_thresholds),
		cmocka_unit_test(test_round_need),
		cmocka_unit_test(test_weights),
		cmocka_unit_test(test_rounding_half_away),
		cmocka_unit_test(test_na_dk_open),
		cmocka_unit_test(test_skip_logic),
		cmocka_unit_test(test_multi_capped),
		cmocka_unit_test(test_critical_override),
		cmocka_unit_test(test_nothing_answered),
		cmocka_unit_test(test_overall_mean),
		cmocka_unit_test(test_priorities),
		cmocka_unit_test(test_breakdown),
		cmocka_unit_test(test_fixture_scenario),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
