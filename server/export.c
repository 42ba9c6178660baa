/* export.c - one assessment as the exports show it (see export.h). */
#include "export.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "util.h"

void export_data_init(struct export_data *d, const struct app *app, const struct assessment *a, json_t *stored)
{
	const struct guide *g = app_guide_or_current(app, a->guide_version, a->id);
	memset(d, 0, sizeof(*d));
	d->app = app;
	d->g = g;
	d->a = *a;
	d->country = json_object_get(app->country_by_iso3, a->country);
	d->stored = stored;
	d->answers = xcalloc(g->n_questions ? g->n_questions : 1, sizeof(*d->answers));
	/* as h_answers_parse: a stored value the guide no longer accepts counts as
	 * unanswered */
	const char *qid;
	json_t *v;
	json_object_foreach(stored, qid, v) {
		const struct guide_question *q = guide_question(g, qid);
		char err[160];
		if (q && guide_parse_answer(q, json_object_get(v, "value"), &d->answers[q->index], err, sizeof(err)) != 0)
			d->answers[q->index].kind = ANS_NONE;
	}
	score_compute(g, d->answers, &d->sc);
	plan_compute(g, d->answers, &d->sc, &d->plan);
}

void export_data_release(struct export_data *d)
{
	plan_release(&d->plan);
	score_release(&d->sc);
	free(d->answers);
	json_decref(d->stored);
	json_decref(d->comments);
	json_decref(d->actions);
	memset(d, 0, sizeof(*d));
}

const char *export_state_name(enum export_state s)
{
	static const char *const names[] = {"answered", "na", "dk", "hidden", "none", "invalid"};
	return (unsigned)s < ARRAY_SIZE(names) ? names[s] : "invalid";
}

void export_question_num(const struct guide *g, const struct guide_question *q, char buf[static 16])
{
	snprintf(buf, 16, "%d.%zu", q->area + 1, q->index - g->areas[q->area].first_q + 1);
}

void export_number(double x, char buf[static 32])
{
	if (isfinite(x) && fabs(x) < 1e15 && x == floor(x))
		snprintf(buf, 32, "%.0f", x);
	else
		snprintf(buf, 32, "%.15g", x);
	if (strcmp(buf, "-0") == 0)
		snprintf(buf, 32, "0");
}

const char *export_country_name(const struct export_data *d)
{
	const char *n = json_string_value(json_object_get(d->country, "name"));
	return n ? n : d->a.country;
}

const char *export_country_field(const struct export_data *d, const char *key)
{
	const char *s = json_string_value(json_object_get(d->country, key));
	return s ? s : "";
}

/* The value and label texts of a stored answer to q (parsed into *ans). */
static void answer_texts(const struct app *app, const struct guide_question *q, const json_t *value,
			 const struct answer *ans, struct export_answer *x)
{
	struct strbuf val, lab;
	strbuf_init(&val, 32);
	strbuf_init(&lab, 64);
	switch (ans->kind) {
	case ANS_NA:
		strbuf_adds(&val, "na");
		strbuf_adds(&lab, app_msg(app, "answer.na"));
		break;
	case ANS_DK:
		strbuf_adds(&val, "dk");
		strbuf_adds(&lab, app_msg(app, "answer.dk"));
		break;
	case ANS_VALUE:
		if (q->type == Q_CHOICE || q->type == Q_SCALE || q->type == Q_MULTI) {
			/* options in the guide's order, as the forms list them */
			x->labels = json_array();
			for (size_t i = 0; i < q->n_options; i++) {
				if (!(ans->mask & ((uint64_t)1 << i)))
					continue;
				const char *label = guide_text(q->options[i].label, "en");
				strbuf_addf(&val, "%s%s", val.len ? ";" : "", q->options[i].id);
				strbuf_addf(&lab, "%s%s", lab.len ? "; " : "", label);
				json_array_append_new(x->labels, json_string(label));
			}
		} else if (q->type == Q_NUMBER) {
			char num[32];
			export_number(ans->number, num);
			strbuf_adds(&val, num);
			strbuf_adds(&lab, num);
		} else {
			strbuf_adds(&val, ans->text ? ans->text : "");
			strbuf_adds(&lab, ans->text ? ans->text : "");
		}
		break;
	case ANS_NONE:
		if (value && !json_is_null(value)) {
			/* not accepted by the guide in use: kept as it is stored */
			char *s = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
			if (s)
				strbuf_adds(&val, s);
			free(s);
		}
		break;
	}
	x->value_text = strbuf_detach(&val, NULL);
	x->label_text = strbuf_detach(&lab, NULL);
}

static void fill_answer(const struct export_data *d, const char *qid, const json_t *entry, struct export_answer *x)
{
	const struct guide *g = d->g;
	memset(x, 0, sizeof(*x));
	x->qid = qid;
	x->q = guide_question(g, qid);
	x->value = json_object_get(entry, "value");
	x->comment = json_string_value(json_object_get(entry, "comment"));
	if (!x->comment)
		x->comment = "";
	x->updated_at = json_string_value(json_object_get(entry, "updated_at"));
	if (!x->updated_at)
		x->updated_at = "";
	x->carried_over = json_is_true(json_object_get(entry, "carried_over"));
	x->carried_from = x->carried_over ? (int)json_integer_value(json_object_get(entry, "carried_from")) : 0;
	bool has_value = x->value && !json_is_null(x->value);
	if (!x->q) {
		x->state = has_value ? EXP_INVALID : EXP_NONE;
		struct answer none = {0};
		struct guide_question dummy = {0};
		answer_texts(d->app, &dummy, x->value, &none, x);
		return;
	}
	const struct answer *ans = &d->answers[x->q->index];
	answer_texts(d->app, x->q, x->value, ans, x);
	if (!has_value) {
		x->state = EXP_NONE;
		return;
	}
	if (ans->kind == ANS_NONE) {
		x->state = EXP_INVALID;
		return;
	}
	switch (score_question_state(g, x->q, d->answers)) {
	case QS_HIDDEN: x->state = EXP_HIDDEN; break;
	case QS_NA: x->state = EXP_NA; break;
	case QS_DK: x->state = EXP_DK; break;
	default: x->state = EXP_ANSWERED; break;
	}
	if (x->q->scored && (x->state == EXP_ANSWERED || x->state == EXP_DK)) {
		x->has_score = true;
		x->score = score_answer_value(x->q, ans);
	}
}

static int by_key(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct export_answer *export_answers(const struct export_data *d, size_t *n)
{
	const struct guide *g = d->g;
	size_t total = json_object_size(d->stored), k = 0;
	*n = 0;
	if (!total)
		return NULL;
	struct export_answer *x = xcalloc(total, sizeof(*x));
	for (size_t i = 0; i < g->n_questions && k < total; i++) {
		const char *qid = g->questions[i].id;
		const json_t *entry = json_object_get(d->stored, qid);
		if (entry)
			fill_answer(d, qid, entry, &x[k++]);
	}
	if (k < total) {
		/* answers to questions the guide in use does not have, by id */
		const char **rest = xcalloc(total - k, sizeof(*rest));
		size_t nr = 0;
		const char *qid;
		json_t *v;
		json_object_foreach(d->stored, qid, v)
			if (!guide_question(g, qid) && nr < total - k)
				rest[nr++] = qid;
		qsort(rest, nr, sizeof(*rest), by_key);
		for (size_t i = 0; i < nr; i++)
			fill_answer(d, rest[i], json_object_get(d->stored, rest[i]), &x[k++]);
		free(rest);
	}
	*n = k;
	return x;
}

void export_answers_free(struct export_answer *x, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(x[i].value_text);
		free(x[i].label_text);
		json_decref(x[i].labels);
	}
	free(x);
}

static bool has_string(const json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

json_t *export_cjat(const struct export_data *d)
{
	const struct guide *g = d->g;
	json_t *out = json_array();
	for (size_t t = 0; t < g->n_cjat; t++) {
		const struct guide_cjat *c = &g->cjat[t];
		json_t *recs = json_array(), *qs = json_array();
		for (size_t i = 0; i < d->plan.n; i++)
			if (has_string(json_object_get(d->plan.items[i].rec->json, "cjat"), c->id))
				json_array_append_new(recs, json_string(d->plan.items[i].rec->id));
		for (size_t i = 0; i < g->n_questions; i++) {
			const struct guide_question *q = &g->questions[i];
			enum qstate st = score_question_state(g, q, d->answers);
			if ((st == QS_ANSWERED || st == QS_DK) && has_string(json_object_get(q->json, "cjat"), c->id))
				json_array_append_new(qs, json_string(q->id));
		}
		if (!json_array_size(recs) && !json_array_size(qs)) {
			json_decref(recs);
			json_decref(qs);
			continue;
		}
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:o, s:o}", "id", c->id, "cluster",
						     c->cluster ? c->cluster : "", "title",
						     guide_text(json_object_get(c->json, "title"), "en"), "recommendations",
						     recs, "questions", qs));
	}
	return out;
}

void export_columns_init(struct export_columns *c, const struct app *app, const struct guide *g)
{
	memset(c, 0, sizeof(*c));
	const struct guide *first = g ? g : app->guide;
	for (int ai = 0; ai < GUIDE_N_AREAS; ai++)
		c->areas[ai] = first->areas[ai].id;
	size_t n_guides = g ? 1 : app->n_guides, total = 0;
	for (size_t i = 0; i < n_guides; i++)
		total += g ? g->n_questions : app->guides[i].guide->n_questions;
	c->questions = xcalloc(total ? total : 1, sizeof(*c->questions));
	for (size_t i = 0; i < n_guides; i++) {
		const struct guide *gi = g ? g : app->guides[i].guide;
		for (size_t k = 0; k < gi->n_questions; k++) {
			const char *id = gi->questions[k].id;
			bool seen = false;
			for (size_t j = 0; j < i && !seen; j++)
				seen = guide_question(app->guides[j].guide, id) != NULL;
			if (!seen)
				c->questions[c->n_questions++] = id;
		}
	}
}

void export_columns_release(struct export_columns *c)
{
	free(c->questions);
	memset(c, 0, sizeof(*c));
}
