/* test_guide_content.c - the content rules of the real guide (schema/guide.json, issue 3).
 *
 * The loader (guide.c) checks the file format; this test checks what the questionnaire
 * must contain: counts of scored questions per area and overall, guidance and Protocol
 * references on every question, a critical question in every area, the recommendation
 * catalogue (size, reachability, resources named as in REFERENCES.md), informational
 * questions, and the core obligations marked critical. Run from the repo root; the
 * environment variable SOMGUIDE_GUIDE_FILE points it at another file. */
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

#define MIN_SCORED_PER_AREA 12
#define MIN_SCORED_TOTAL 90
#define MIN_RECOMMENDATIONS 30

static const char *guide_path(void)
{
	const char *p = getenv("SOMGUIDE_GUIDE_FILE");
	return p && *p ? p : "schema/guide.json";
}

static int setup(void **state)
{
	struct guide_problems pr = {0};
	struct guide *g = guide_load_file(guide_path(), &pr);
	for (size_t i = 0; i < pr.n; i++)
		fprintf(stderr, "%s: %s: %s\n", guide_path(), pr.items[i].path, pr.items[i].message);
	guide_problems_free(&pr);
	if (!g)
		return -1;
	*state = g;
	return 0;
}

static int teardown(void **state)
{
	guide_free(*state);
	return 0;
}

static const char *en(const json_t *obj, const char *key)
{
	const json_t *m = json_object_get(obj, key);
	return m ? guide_text(m, "en") : "";
}

/* The seven areas, in the canonical order of PRODUCT.md. */
static void test_areas(void **state)
{
	const struct guide *g = *state;
	for (int a = 0; a < GUIDE_N_AREAS; a++) {
		assert_string_equal(g->areas[a].id, guide_area_ids[a]);
		assert_true(strlen(en(g->areas[a].json, "title")) > 0);
		/* a description of what the area covers and why it matters: more than a line */
		if (strlen(en(g->areas[a].json, "description")) < 200)
			fail_msg("area %s: the description is too short", g->areas[a].id);
	}
	assert_non_null(g->version);
	assert_string_equal(g->version, "1.0.0");
}

static void test_scored_counts(void **state)
{
	const struct guide *g = *state;
	size_t total = 0;
	for (int a = 0; a < GUIDE_N_AREAS; a++) {
		size_t n = 0;
		for (size_t i = 0; i < g->areas[a].n_q; i++)
			n += g->questions[g->areas[a].first_q + i].scored;
		if (n < MIN_SCORED_PER_AREA)
			fail_msg("area %s has %zu scored questions, fewer than %d", g->areas[a].id, n,
				 MIN_SCORED_PER_AREA);
		total += n;
	}
	if (total < MIN_SCORED_TOTAL)
		fail_msg("%zu scored questions in all, fewer than %d", total, MIN_SCORED_TOTAL);
}

/* Every question: English guidance, Protocol articles 1..19 and a Review Mechanism cluster. */
static void test_guidance_and_refs(void **state)
{
	static const char *const clusters[] = {"criminalization", "prevention", "law-enforcement",
					       "cooperation"};
	const struct guide *g = *state;
	for (size_t i = 0; i < g->n_questions; i++) {
		const struct guide_question *q = &g->questions[i];
		if (strlen(en(q->json, "text")) == 0)
			fail_msg("%s: no English text", q->id);
		if (strlen(en(q->json, "guidance")) == 0)
			fail_msg("%s: no English guidance", q->id);
		json_t *refs = json_object_get(q->json, "refs");
		if (!json_is_object(refs))
			fail_msg("%s: no refs", q->id);
		json_t *prot = json_object_get(refs, "protocol");
		if (!json_is_array(prot) || json_array_size(prot) == 0)
			fail_msg("%s: no Protocol articles in refs.protocol", q->id);
		size_t k;
		json_t *art;
		json_array_foreach(prot, k, art) {
			if (!json_is_integer(art) || json_integer_value(art) < 1 ||
			    json_integer_value(art) > 19)
				fail_msg("%s: refs.protocol[%zu] is not an article 1..19", q->id, k);
		}
		const char *cl = json_string_value(json_object_get(refs, "cluster"));
		bool ok = false;
		for (size_t c = 0; cl && c < sizeof(clusters) / sizeof(clusters[0]); c++)
			ok |= strcmp(cl, clusters[c]) == 0;
		if (!ok)
			fail_msg("%s: refs.cluster is missing or not a Review Mechanism cluster", q->id);
	}
}

static void test_critical_per_area(void **state)
{
	const struct guide *g = *state;
	for (int a = 0; a < GUIDE_N_AREAS; a++) {
		size_t n = 0;
		for (size_t i = 0; i < g->areas[a].n_q; i++) {
			const struct guide_question *q = &g->questions[g->areas[a].first_q + i];
			assert_true(!q->critical || q->scored);
			n += q->critical;
		}
		if (n == 0)
			fail_msg("area %s has no critical question", g->areas[a].id);
	}
}

static bool has_article(const struct guide_question *q, int art)
{
	json_t *prot = json_object_get(json_object_get(q->json, "refs"), "protocol");
	size_t k;
	json_t *e;
	json_array_foreach(prot, k, e) {
		if (json_integer_value(e) == art)
			return true;
	}
	return false;
}

/* The core obligations named in the issue are critical scored questions. */
static void test_core_obligations_critical(void **state)
{
	static const struct {
		const char *id;
		int articles[2];
	} core[] = {
		{"leg.criminalization-smuggling", {3, 6}}, /* art. 6 with the art. 3 definition */
		{"leg.non-liability-migrants", {5, 5}},    /* art. 5 */
		{"cj.migrants-not-prosecuted", {5, 5}},    /* art. 5 in practice */
		{"prot.life-safety", {16, 16}},            /* art. 16 */
		{"prot.asylum-non-refoulement", {19, 19}}, /* art. 19 */
	};
	const struct guide *g = *state;
	for (size_t i = 0; i < sizeof(core) / sizeof(core[0]); i++) {
		const struct guide_question *q = guide_question(g, core[i].id);
		if (!q)
			fail_msg("core question %s is missing", core[i].id);
		if (!q->scored || !q->critical)
			fail_msg("core question %s is not a critical scored question", q->id);
		for (int k = 0; k < 2; k++)
			if (!has_article(q, core[i].articles[k]))
				fail_msg("%s does not refer to art. %d", q->id, core[i].articles[k]);
	}
	/* the art. 3 definition includes the financial or other material benefit */
	const struct guide_question *q = guide_question(g, "leg.criminalization-smuggling");
	assert_non_null(strstr(en(q->json, "text"), "financial or other material benefit"));
}

/* >= 30 recommendations; every one is reachable from some option; every option's
 * recommend ids resolve; every resource is a UNODC tool named as in REFERENCES.md. */
static void test_recommendations(void **state)
{
	static const char *const tools[] = {
		"Model Law against the Smuggling of Migrants",
		"International Framework for Action to Implement the Smuggling of Migrants Protocol",
		"Toolkit to Combat Smuggling of Migrants, Tool ",
		"Basic Training Manual on Investigating and Prosecuting the Smuggling of Migrants",
		"In-depth Training Manual on Investigating and Prosecuting the Smuggling of Migrants",
		"Training film \"Ways and Means\"",
		"Capacity-building workshops",
		"Legislative drafting assistance",
		"Legislative Guide for the Implementation of the Protocol against the Smuggling of Migrants",
		"Assessment Guide to the Criminal Justice Response to the Smuggling of Migrants",
		"Criminal Justice Assessment Toolkit: ",
		"Crime Prevention Assessment Tool",
	};
	const struct guide *g = *state;
	if (g->n_recs < MIN_RECOMMENDATIONS)
		fail_msg("%zu recommendations, fewer than %d", g->n_recs, MIN_RECOMMENDATIONS);
	bool *reached = calloc(g->n_recs ? g->n_recs : 1, sizeof(*reached));
	assert_non_null(reached);
	for (size_t i = 0; i < g->n_questions; i++) {
		const struct guide_question *q = &g->questions[i];
		for (size_t o = 0; o < q->n_options; o++)
			for (size_t r = 0; r < q->options[o].n_recommend; r++) {
				const struct guide_rec *rec = guide_rec(g, q->options[o].recommend[r]);
				if (!rec)
					fail_msg("%s/%s: unknown recommendation %s", q->id,
						 q->options[o].id, q->options[o].recommend[r]);
				reached[rec - g->recs] = true;
			}
	}
	for (size_t r = 0; r < g->n_recs; r++) {
		const struct guide_rec *rec = &g->recs[r];
		if (!reached[r])
			fail_msg("recommendation %s is not reachable from any option", rec->id);
		if (strlen(en(rec->json, "title")) == 0 || strlen(en(rec->json, "description")) < 80)
			fail_msg("recommendation %s: title or description missing or too short", rec->id);
		json_t *res = json_object_get(rec->json, "resources");
		if (json_array_size(res) == 0)
			fail_msg("recommendation %s has no resources", rec->id);
		size_t k;
		json_t *e;
		json_array_foreach(res, k, e) {
			const char *s = guide_text(e, "en");
			bool known = false;
			for (size_t t = 0; t < sizeof(tools) / sizeof(tools[0]); t++)
				known |= strncmp(s, tools[t], strlen(tools[t])) == 0;
			if (!known)
				fail_msg("recommendation %s: resource \"%s\" is not a UNODC tool of "
					 "REFERENCES.md",
					 rec->id, s);
		}
	}
	free(reached);
}

/* Options of low capacity (a score below 0.5) point to some assistance. In a multi
 * question the options add up, so only its zero-score options are held to this. */
static void test_low_capacity_options_recommend(void **state)
{
	const struct guide *g = *state;
	for (size_t i = 0; i < g->n_questions; i++) {
		const struct guide_question *q = &g->questions[i];
		for (size_t o = 0; o < q->n_options; o++) {
			const struct guide_option *op = &q->options[o];
			bool low = q->type == Q_MULTI ? op->score == 0 : op->score < 0.5;
			if (low && op->n_recommend == 0)
				fail_msg("%s/%s: score %.2f but no recommendation", q->id, op->id,
					 op->score);
		}
	}
}

static void test_informational_questions(void **state)
{
	const struct guide *g = *state;
	size_t n_number = 0, n_text = 0, n_date = 0;
	for (size_t i = 0; i < g->n_questions; i++) {
		switch (g->questions[i].type) {
		case Q_NUMBER: n_number++; break;
		case Q_TEXT: n_text++; break;
		case Q_DATE: n_date++; break;
		default: break;
		}
	}
	assert_true(n_number >= 1);
	assert_true(n_text >= 1);
	assert_true(n_date >= 1);
	/* the facts the issue names: cases investigated, prosecuted, convicted */
	assert_non_null(guide_question(g, "cj.cases-investigated"));
	assert_non_null(guide_question(g, "cj.persons-prosecuted"));
	assert_non_null(guide_question(g, "cj.persons-convicted"));
	assert_int_equal(guide_question(g, "cj.persons-convicted")->type, Q_NUMBER);
}

/* The skip logic the issue asks for: art. 8 boarding only for States concerned by the
 * sea, action-plan follow-ups only when a plan exists. */
static void test_skip_logic(void **state)
{
	const struct guide *g = *state;
	const struct guide_question *gate = guide_question(g, "coop.maritime-authority");
	const struct guide_question *boarding = guide_question(g, "coop.boarding");
	assert_non_null(gate);
	assert_non_null(boarding);
	assert_true(gate->allow_na);
	assert_int_equal(boarding->show_if_q, (long)gate->index);

	const struct guide_question *plan = guide_question(g, "pol.national-strategy");
	const struct guide_question *funding = guide_question(g, "pol.plan-funding");
	assert_non_null(plan);
	assert_non_null(funding);
	assert_int_equal(funding->show_if_q, (long)plan->index);
	long none = guide_option_index(plan, "none");
	assert_true(none >= 0);
	assert_false(funding->show_if_mask & ((uint64_t)1 << none));

	size_t n_skip = 0;
	for (size_t i = 0; i < g->n_questions; i++) {
		const struct guide_question *q = &g->questions[i];
		if (q->show_if_q < 0)
			continue;
		n_skip++;
		assert_true((size_t)q->show_if_q < q->index);
		assert_true(g->questions[q->show_if_q].scored);
		assert_true(q->show_if_mask != 0);
	}
	assert_true(n_skip >= 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_areas),
		cmocka_unit_test(test_scored_counts),
		cmocka_unit_test(test_guidance_and_refs),
		cmocka_unit_test(test_critical_per_area),
		cmocka_unit_test(test_core_obligations_critical),
		cmocka_unit_test(test_recommendations),
		cmocka_unit_test(test_low_capacity_options_recommend),
		cmocka_unit_test(test_informational_questions),
		cmocka_unit_test(test_skip_logic),
	};
	return cmocka_run_group_tests_name("guide content", tests, setup, teardown);
}
