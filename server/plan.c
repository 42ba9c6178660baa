/* plan.c - the assistance plan of SCORING.md. See plan.h. */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static int item_cmp(const void *a, const void *b)
{
	const struct plan_item *x = a, *y = b;
	if (x->need_defined != y->need_defined)
		return x->need_defined ? -1 : 1;
	if (x->need_defined && x->need != y->need)
		return x->need > y->need ? -1 : 1;
	if (x->n_triggered_by != y->n_triggered_by)
		return x->n_triggered_by > y->n_triggered_by ? -1 : 1;
	return strcmp(x->rec->id, y->rec->id);
}

void plan_compute(const struct guide *g, const struct answer *answers, const struct score *sc,
		  struct plan *out)
{
	memset(out, 0, sizeof(*out));
	struct score own;
	if (!sc) {
		score_compute(g, answers, &own);
		sc = &own;
	}
	/* one slot per recommendation of the catalogue, in catalogue order */
	size_t nr = g->n_recs;
	struct plan_item *slot = xcalloc(nr ? nr : 1, sizeof(*slot));
	for (size_t qi = 0; answers && qi < g->n_questions; qi++) {
		const struct guide_question *q = &g->questions[qi];
		const struct answer *a = &answers[qi];
		if (!q->scored || a->kind != ANS_VALUE || !guide_question_visible(g, q, answers))
			continue;
		for (size_t o = 0; o < q->n_options; o++) {
			if (!(a->mask & ((uint64_t)1 << o)))
				continue;
			const struct guide_option *op = &q->options[o];
			for (size_t r = 0; r < op->n_recommend; r++) {
				const struct guide_rec *rec = guide_rec(g, op->recommend[r]);
				if (!rec)
					continue; /* cannot happen in a validated guide */
				struct plan_item *it = &slot[rec - g->recs];
				/* questions come in guide order: a repeat is always the last one */
				if (it->n_triggered_by && it->triggered_by[it->n_triggered_by - 1] == qi)
					continue;
				if (!it->triggered_by)
					it->triggered_by = xcalloc(g->n_questions, sizeof(size_t));
				it->triggered_by[it->n_triggered_by++] = qi;
				it->rec = rec;
			}
		}
	}
	size_t n = 0;
	for (size_t r = 0; r < nr; r++) {
		if (!slot[r].n_triggered_by)
			continue;
		struct plan_item *it = &slot[r];
		const struct area_score *as = &sc->areas[it->rec->area];
		it->area = it->rec->area;
		it->level = as->level;
		it->need_defined = as->defined;
		it->need = as->defined ? as->need : 0;
		slot[n++] = *it;
	}
	qsort(slot, n, sizeof(*slot), item_cmp);
	out->items = slot;
	out->n = n;
	if (sc == &own)
		score_release(&own);
}

void plan_release(struct plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		free(p->items[i].triggered_by);
	free(p->items);
	p->items = NULL;
	p->n = 0;
}
