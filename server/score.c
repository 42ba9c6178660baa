/* score.c - SCORING.md, per question, per area and overall. See score.h. */
#include "score.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const char *level_name(enum level l)
{
	switch (l) {
	case LEVEL_LOW: return "low";
	case LEVEL_MODERATE: return "moderate";
	case LEVEL_HIGH: return "high";
	case LEVEL_CRITICAL: return "critical";
	case LEVEL_UNKNOWN: break;
	}
	return "unknown";
}

enum level level_of_need(int need)
{
	if (need < 25)
		return LEVEL_LOW;
	if (need < 50)
		return LEVEL_MODERATE;
	if (need < 75)
		return LEVEL_HIGH;
	return LEVEL_CRITICAL;
}

int score_round_need(double x)
{
	if (!(x > 0))
		return 0;
	if (x >= 100)
		return 100;
	return (int)floor(x + 0.5 + 1e-9);
}

enum qstate score_question_state(const struct guide *g, const struct guide_question *q,
				 const struct answer *answers)
{
	if (!guide_question_visible(g, q, answers))
		return QS_HIDDEN;
	const struct answer *a = answers ? &answers[q->index] : NULL;
	switch (a ? a->kind : ANS_NONE) {
	case ANS_NA: return QS_NA;
	case ANS_DK: return QS_DK;
	case ANS_VALUE: return QS_ANSWERED;
	case ANS_NONE: break;
	}
	return QS_OPEN;
}

double score_answer_value(const struct guide_question *q, const struct answer *a)
{
	if (a->kind != ANS_VALUE || !q->scored)
		return 0;
	double s = 0;
	for (size_t i = 0; i < q->n_options; i++)
		if (a->mask & ((uint64_t)1 << i)) {
			s += q->options[i].score;
			if (q->type != Q_MULTI)
				break;
		}
	return s > 1 ? 1 : s;
}

/* Sorting priorities: need desc, critical gaps desc, area order. */
static int prio_before(const struct score *s, int a, int b)
{
	const struct area_score *x = &s->areas[a], *y = &s->areas[b];
	if (x->need != y->need)
		return x->need > y->need;
	if (x->n_critical_gaps != y->n_critical_gaps)
		return x->n_critical_gaps > y->n_critical_gaps;
	return a < b;
}

void score_compute(const struct guide *g, const struct answer *answers, struct score *out)
{
	memset(out, 0, sizeof(*out));
	long long need_sum = 0;
	long long n_need = 0;
	for (int ai = 0; ai < GUIDE_N_AREAS; ai++) {
		const struct guide_area *ar = &g->areas[ai];
		struct area_score *as = &out->areas[ai];
		for (size_t k = 0; k < ar->n_q; k++) {
			const struct guide_question *q = &g->questions[ar->first_q + k];
			enum qstate st = score_question_state(g, q, answers);
			if (st == QS_DK)
				as->data_gaps++;
			if (!q->scored || st == QS_HIDDEN || st == QS_NA)
				continue;
			as->applicable++;
			if (st == QS_OPEN) {
				as->open++;
				continue;
			}
			as->answered++;
			double s = st == QS_DK ? 0 : score_answer_value(q, &answers[q->index]);
			as->sum_w += q->weight;
			as->sum_ws += q->weight * s;
			if (q->critical && s < 0.5) {
				if (!as->critical_gaps)
					as->critical_gaps = xcalloc(ar->n_q, sizeof(size_t));
				as->critical_gaps[as->n_critical_gaps++] = q->index;
			}
		}
		as->coverage = as->applicable ? (double)as->answered / (double)as->applicable : 0;
		out->answered += as->answered;
		out->applicable += as->applicable;
		if (!as->answered) {
			as->level = LEVEL_UNKNOWN;
			continue;
		}
		as->defined = true;
		as->capacity = as->sum_ws / as->sum_w;
		if (as->capacity > 1)
			as->capacity = 1;
		as->need = score_round_need((as->sum_w - as->sum_ws) * 100.0 / as->sum_w);
		as->level = level_of_need(as->need);
		if (as->n_critical_gaps && as->level < LEVEL_HIGH)
			as->level = LEVEL_HIGH;
		need_sum += as->need;
		n_need++;
	}
	out->coverage = out->applicable ? (double)out->answered / (double)out->applicable : 0;
	if (n_need) {
		out->need_defined = true;
		/* mean rounded half away from zero, exactly (the needs are >= 0) */
		out->need = (int)((2 * need_sum + n_need) / (2 * n_need));
	}
	/* insertion sort of at most seven areas */
	for (int ai = 0; ai < GUIDE_N_AREAS; ai++) {
		if (!out->areas[ai].defined)
			continue;
		size_t j = out->n_priorities++;
		while (j > 0 && prio_before(out, ai, out->priorities[j - 1])) {
			out->priorities[j] = out->priorities[j - 1];
			j--;
		}
		out->priorities[j] = ai;
	}
}

void score_release(struct score *s)
{
	if (!s)
		return;
	for (int i = 0; i < GUIDE_N_AREAS; i++) {
		free(s->areas[i].critical_gaps);
		s->areas[i].critical_gaps = NULL;
		s->areas[i].n_critical_gaps = 0;
	}
}

size_t score_breakdown(const struct guide *g, const struct answer *answers, int area,
		       struct score_item *items)
{
	if (area < 0 || area >= GUIDE_N_AREAS || !answers)
		return 0;
	const struct guide_area *ar = &g->areas[area];
	size_t n = 0;
	double sum_w = 0;
	for (size_t k = 0; k < ar->n_q; k++) {
		const struct guide_question *q = &g->questions[ar->first_q + k];
		enum qstate st = score_question_state(g, q, answers);
		if (!q->scored || (st != QS_DK && st != QS_ANSWERED))
			continue;
		struct score_item *it = &items[n++];
		memset(it, 0, sizeof(*it));
		it->question = q->index;
		it->weight = q->weight;
		it->dk = st == QS_DK;
		it->score = it->dk ? 0 : score_answer_value(q, &answers[q->index]);
		it->critical_gap = q->critical && it->score < 0.5;
		sum_w += q->weight;
	}
	for (size_t i = 0; i < n; i++) {
		items[i].weight_share = items[i].weight / sum_w;
		items[i].need_points = 100.0 * items[i].weight * (1 - items[i].score) / sum_w;
	}
	return n;
}
