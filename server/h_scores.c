/* h_scores.c - an assessment's needs scores and assistance plan: the JSON API
 * (CONTRACT.md) and the results page (profile chart, per-area figures, critical
 * gaps, what drove each score, the plan, the change since the previous round).
 *
 * Both compute from the stored answers with score.c and plan.c (one assessment is
 * cheap); the previous round's figures come from the materialized table. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "db.h"
#include "db_scores.h"
#include "handlers.h"
#include "http.h"
#include "plan.h"
#include "score.h"
#include "strbuf.h"
#include "svg.h"
#include "util.h"

/* One assessment's answers and what the model makes of them with its guide. */
struct scored {
	const struct guide *g;   /* the guide of the assessment's version (h_guide) */
	json_t *stored;          /* db_answers_get (answers borrow text from it) */
	struct answer *answers;
	struct score sc;
	struct plan plan;
};

static int scored_load(struct req *r, const struct assessment *a, struct scored *s)
{
	memset(s, 0, sizeof(*s));
	const struct guide *g = s->g = h_guide(r, a);
	s->stored = db_answers_get(r->db, a->id);
	if (!s->stored)
		return -1;
	s->answers = xcalloc(g->n_questions ? g->n_questions : 1, sizeof(*s->answers));
	h_answers_parse(g, s->stored, s->answers);
	score_compute(g, s->answers, &s->sc);
	plan_compute(g, s->answers, &s->sc, &s->plan);
	return 0;
}

static void scored_release(struct scored *s)
{
	plan_release(&s->plan);
	score_release(&s->sc);
	free(s->answers);
	json_decref(s->stored);
}

static const char *en(const json_t *obj, const char *key)
{
	return guide_text(json_object_get(obj, key), "en");
}

static json_t *qid_array(const struct guide *g, const size_t *idx, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(g->questions[idx[i]].id));
	return a;
}

/* ---- the API ------------------------------------------------------------ */

json_t *h_scores_json(const struct guide *g, const struct score *sc)
{
	json_t *areas = json_array();
	for (int ai = 0; ai < GUIDE_N_AREAS; ai++) {
		const struct area_score *as = &sc->areas[ai];
		json_array_append_new(
			areas, json_pack("{s:s, s:s, s:o, s:o, s:s, s:f, s:I, s:I, s:I, s:o}", "id", g->areas[ai].id, "title",
					 en(g->areas[ai].json, "title"), "capacity",
					 as->defined ? json_real(as->capacity) : json_null(), "need",
					 as->defined ? json_integer(as->need) : json_null(), "level", level_name(as->level),
					 "coverage", as->coverage, "answered", (json_int_t)as->answered, "applicable",
					 (json_int_t)as->applicable, "data_gaps", (json_int_t)as->data_gaps, "critical_gaps",
					 qid_array(g, as->critical_gaps, as->n_critical_gaps)));
	}
	json_t *prio = json_array();
	for (size_t i = 0; i < sc->n_priorities; i++)
		json_array_append_new(prio, json_string(g->areas[sc->priorities[i]].id));
	return json_pack("{s:o, s:{s:o, s:f, s:I, s:I, s:o}}", "areas", areas, "overall", "need",
			 sc->need_defined ? json_integer(sc->need) : json_null(), "coverage", sc->coverage, "answered",
			 (json_int_t)sc->answered, "applicable", (json_int_t)sc->applicable, "priorities", prio);
}

static json_t *en_array(const json_t *arr)
{
	json_t *out = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
		json_array_append_new(out, json_string(guide_text(v, "en")));
	return out;
}

json_t *h_plan_json(const struct guide *g, const struct plan *p)
{
	json_t *items = json_array();
	for (size_t i = 0; i < p->n; i++) {
		const struct plan_item *it = &p->items[i];
		const json_t *rj = it->rec->json;
		json_t *cjat = json_object_get(rj, "cjat");
		json_array_append_new(
			items, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "id", it->rec->id, "title",
					 en(rj, "title"), "description", en(rj, "description"), "area", g->areas[it->area].id,
					 "level", level_name(it->level), "resources",
					 en_array(json_object_get(rj, "resources")), "cjat",
					 cjat ? json_incref(cjat) : json_array(), "triggered_by",
					 qid_array(g, it->triggered_by, it->n_triggered_by)));
	}
	return json_pack("{s:o}", "items", items);
}

static int api_scored(struct req *r, bool plan)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	struct scored s;
	if (scored_load(r, &a, &s) != 0)
		return req_error(r, 503, "database_error", "the answers cannot be read");
	json_t *out = plan ? h_plan_json(s.g, &s.plan) : h_scores_json(s.g, &s.sc);
	scored_release(&s);
	return req_json(r, 200, out);
}

int h_api_scores(struct req *r)
{
	return api_scored(r, false);
}

int h_api_plan(struct req *r)
{
	return api_scored(r, true);
}

/* ---- the results page --------------------------------------------------- */

/* A link to a question: {qid, num, text, href}. */
static json_t *question_ref(const struct guide *g, long long id, size_t qi)
{
	const struct guide_question *q = &g->questions[qi];
	char num[16], href[256];
	h_question_num(g, q, num);
	snprintf(href, sizeof(href), "/assessments/%lld/areas/%s#question-%s", id, g->areas[q->area].id, q->id);
	return json_pack("{s:s, s:s, s:s, s:s}", "qid", q->id, "num", num, "text", en(q->json, "text"), "href", href);
}

static json_t *level_json(struct req *r, enum level l)
{
	char key[32];
	snprintf(key, sizeof(key), "level.%s", level_name(l));
	return json_pack("{s:s, s:s}", "id", level_name(l), "text", app_msg(r->app, key));
}

static json_t *pct(double x)
{
	char buf[16];
	snprintf(buf, sizeof(buf), "%.0f%%", floor(x * 100 + 0.5));
	return json_string(buf);
}

/* The chosen options of an answer, as text. */
static json_t *answer_text(struct req *r, const struct guide_question *q, const struct answer *a)
{
	if (a->kind == ANS_DK)
		return json_string(app_msg(r->app, "answer.dk"));
	struct strbuf sb;
	strbuf_init(&sb, 64);
	for (size_t i = 0; i < q->n_options; i++)
		if (a->mask & ((uint64_t)1 << i)) {
			if (sb.len)
				strbuf_adds(&sb, "; ");
			strbuf_adds(&sb, guide_text(q->options[i].label, "en"));
		}
	json_t *s = json_stringn(sb.buf, sb.len);
	strbuf_release(&sb);
	return s;
}

static json_t *breakdown_json(struct req *r, long long id, const struct scored *s, int ai,
			      struct score_item *items)
{
	const struct guide *g = s->g;
	size_t n = score_breakdown(g, s->answers, ai, items);
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct score_item *it = &items[i];
		const struct guide_question *q = &g->questions[it->question];
		char share[16], points[16], score[16];
		snprintf(share, sizeof(share), "%.1f%%", it->weight_share * 100);
		snprintf(points, sizeof(points), "%.1f", it->need_points);
		snprintf(score, sizeof(score), "%.2f", it->score);
		json_t *row = question_ref(g, id, it->question);
		json_object_set_new(row, "answer", answer_text(r, q, &s->answers[it->question]));
		json_object_set_new(row, "weight", json_integer(it->weight));
		json_object_set_new(row, "score", json_string(score));
		json_object_set_new(row, "share", json_string(share));
		json_object_set_new(row, "need_points", json_string(points));
		json_object_set_new(row, "dk", json_boolean(it->dk));
		json_object_set_new(row, "critical_gap", json_boolean(it->critical_gap));
		json_array_append_new(rows, row);
	}
	return rows;
}

/* The change of one need between rounds, as text: "+12", "−5", "0". */
static json_t *change_json(struct req *r, bool then_def, int then, bool now_def, int now)
{
	if (!then_def || !now_def)
		return json_pack("{s:s, s:s}", "direction", "unknown", "text", app_msg(r->app, "results.change_unknown"));
	int d = now - then;
	char text[64];
	if (d > 0)
		snprintf(text, sizeof(text), "+%d (%s)", d, app_msg(r->app, "results.worse"));
	else if (d < 0)
		snprintf(text, sizeof(text), "\u2212%d (%s)", -d, app_msg(r->app, "results.better"));
	else
		snprintf(text, sizeof(text), "0 (%s)", app_msg(r->app, "results.same"));
	return json_pack("{s:s, s:s}", "direction", d > 0 ? "up" : d < 0 ? "down" : "same", "text", text);
}

static json_t *need_json(bool defined, int need)
{
	return defined ? json_integer(need) : json_null();
}

/* A need as text for tables: "42", or "–" when undefined. */
static json_t *need_text(bool defined, int need)
{
	char buf[16];
	snprintf(buf, sizeof(buf), "%d", need);
	return json_string(defined ? buf : "\u2013");
}

/* The profile chart's <desc>: every bar in words. */
static char *chart_desc(struct req *r, const struct guide *g, const struct score *sc,
			const struct stored_scores *prev)
{
	struct strbuf sb;
	strbuf_init(&sb, 512);
	strbuf_adds(&sb, app_msg(r->app, "results.chart_desc"));
	for (int ai = 0; ai < GUIDE_N_AREAS; ai++) {
		const struct area_score *as = &sc->areas[ai];
		char key[32];
		snprintf(key, sizeof(key), "level.%s", level_name(as->level));
		strbuf_addf(&sb, "%s %s: ", ai ? ";" : "", en(g->areas[ai].json, "title"));
		if (as->defined)
			strbuf_addf(&sb, "%d, %s", as->need, app_msg(r->app, key));
		else
			strbuf_adds(&sb, app_msg(r->app, key));
		if (prev && prev->areas[ai].defined)
			strbuf_addf(&sb, " (%s %d: %d)", app_msg(r->app, "results.round"), prev->round,
				    prev->areas[ai].need);
	}
	strbuf_addch(&sb, '.');
	return strbuf_detach(&sb, NULL);
}

static char *chart_svg(struct req *r, const struct assessment *a, const struct guide *g, const struct score *sc,
		       const struct stored_scores *prev)
{
	struct svg_bar bars[GUIDE_N_AREAS];
	for (int ai = 0; ai < GUIDE_N_AREAS; ai++) {
		const struct area_score *as = &sc->areas[ai];
		char key[32];
		snprintf(key, sizeof(key), "level.%s", level_name(as->level));
		bars[ai] = (struct svg_bar){
			.label = en(g->areas[ai].json, "title"),
			.defined = as->defined,
			.need = as->need,
			.level = level_name(as->level),
			.level_text = app_msg(r->app, key),
			.prev_defined = prev && prev->areas[ai].defined,
			.prev_need = prev ? prev->areas[ai].need : 0,
		};
	}
	char title[200], now[64], before[64];
	snprintf(title, sizeof(title), "%s %s, %s %d", app_msg(r->app, "results.chart_title"),
		 h_country_name(r, a->country), app_msg(r->app, "results.round"), a->round);
	snprintf(now, sizeof(now), "%s %d", app_msg(r->app, "results.round"), a->round);
	if (prev)
		snprintf(before, sizeof(before), "%s %d", app_msg(r->app, "results.round"), prev->round);
	char *desc = chart_desc(r, g, sc, prev);
	struct svg_profile p = {
		.id = "profile",
		.title = title,
		.desc = desc,
		.bars = bars,
		.n_bars = GUIDE_N_AREAS,
		.axis_label = app_msg(r->app, "results.axis"),
		.no_data = app_msg(r->app, "level.unknown"),
		.now_label = now,
		.prev_label = prev ? before : NULL,
	};
	struct strbuf sb;
	strbuf_init(&sb, 8192);
	svg_profile_chart(&sb, &p);
	free(desc);
	return strbuf_detach(&sb, NULL);
}

static json_t *plan_view(struct req *r, const struct guide *g, long long id, const struct plan *p)
{
	json_t *items = json_array();
	for (size_t i = 0; i < p->n; i++) {
		const struct plan_item *it = &p->items[i];
		const json_t *rj = it->rec->json;
		json_t *cjat = json_array();
		size_t k;
		json_t *v;
		json_array_foreach(json_object_get(rj, "cjat"), k, v) {
			const struct guide_cjat *c = guide_cjat(g, json_string_value(v));
			json_array_append_new(cjat, json_pack("{s:s, s:s}", "id", json_string_value(v), "title",
							      c ? en(c->json, "title") : json_string_value(v)));
		}
		json_t *by = json_array();
		for (size_t t = 0; t < it->n_triggered_by; t++)
			json_array_append_new(by, question_ref(g, id, it->triggered_by[t]));
		json_array_append_new(items, json_pack("{s:i, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:b, s:o}", "number",
						       (int)i + 1, "id", it->rec->id, "title", en(rj, "title"),
						       "description", en(rj, "description"), "area_title",
						       en(g->areas[it->area].json, "title"), "level", level_json(r, it->level),
						       "resources", en_array(json_object_get(rj, "resources")), "cjat", cjat,
						       "has_cjat", json_array_size(cjat) > 0, "triggered_by", by));
	}
	return items;
}

int h_results(struct req *r)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	return h_results_page(r, 200, &a, NULL, NULL, NULL);
}

/* The help delivered after the previous round, for the page: each area's figures
 * in words and its delivered actions. prev and sc are indexed like g->areas.
 * NULL on a database error. */
static json_t *help_view(struct req *r, const struct guide *g, long long prev_id, const struct stored_scores *prev,
			 const struct score *sc)
{
	struct area_needs then = {0}, now = {0};
	for (int ai = 0; ai < GUIDE_N_AREAS; ai++) {
		then.defined[ai] = prev->areas[ai].defined;
		then.need[ai] = prev->areas[ai].need;
		now.defined[ai] = sc->areas[ai].defined;
		now.need[ai] = sc->areas[ai].need;
	}
	json_t *areas = h_actions_help(r, g, prev_id, &then, &now);
	if (!areas)
		return NULL;
	json_t *rows = json_array();
	size_t i;
	json_t *h;
	json_array_foreach(areas, i, h) {
		int ai = guide_area_index(g, json_string_value(json_object_get(h, "id")));
		const char *outcome = json_is_null(json_object_get(h, "improved")) ? "help.not_comparable"
				      : json_is_true(json_object_get(h, "improved")) ? "help.improved"
				      : json_integer_value(json_object_get(h, "change")) == 0 ? "help.unchanged"
											       : "help.worse";
		json_t *acts = json_array();
		size_t k;
		json_t *x;
		json_array_foreach(json_object_get(h, "actions"), k, x) {
			const char *start = json_string_value(json_object_get(x, "start"));
			const char *end = json_string_value(json_object_get(x, "end"));
			char dates[64] = "";
			if (start || end)
				snprintf(dates, sizeof(dates), "%s \u2013 %s", start ? start : "", end ? end : "");
			json_array_append_new(acts, json_pack("{s:O, s:O, s:s}", "title", json_object_get(x, "title"),
							      "partner", json_object_get(x, "partner"), "dates", dates));
		}
		json_array_append_new(
			rows, json_pack("{s:O, s:o, s:o, s:o, s:s, s:b, s:o}", "title", json_object_get(h, "title"), "then_text",
					need_text(then.defined[ai], then.need[ai]), "now_text",
					need_text(now.defined[ai], now.need[ai]), "change",
					change_json(r, then.defined[ai], then.need[ai], now.defined[ai], now.need[ai]),
					"outcome", app_msg(r->app, outcome), "improved",
					json_is_true(json_object_get(h, "improved")), "actions", acts));
	}
	json_decref(areas);
	return rows;
}

int h_results_page(struct req *r, int status, const struct assessment *ap, const char *err_rec, json_t *errors,
		   json_t *draft)
{
	struct assessment a = *ap;
	struct scored s;
	if (scored_load(r, &a, &s) != 0) {
		json_decref(errors);
		json_decref(draft);
		return req_error(r, 503, "database_error", "the answers cannot be read");
	}
	const struct guide *g = s.g;
	/* the country's previous round, from its stored figures */
	int prev_round = 0, found = 0;
	long long prev_id = db_scores_previous(r->db, a.country, a.round, &prev_round);
	struct stored_scores prev_s, *prev = NULL;
	if (prev_id > 0)
		found = db_scores_get(r->db, g, prev_id, &prev_s);
	if (prev_id < 0 || found < 0) {
		scored_release(&s);
		json_decref(errors);
		json_decref(draft);
		return req_error(r, 503, "database_error", "the previous round cannot be read");
	}
	if (found)
		prev = &prev_s;

	size_t max_q = 1;
	for (int ai = 0; ai < GUIDE_N_AREAS; ai++)
		if (g->areas[ai].n_q > max_q)
			max_q = g->areas[ai].n_q;
	struct score_item *items = xcalloc(max_q, sizeof(*items));
	json_t *areas = json_array(), *gaps = json_array(), *changes = json_array();
	for (int ai = 0; ai < GUIDE_N_AREAS; ai++) {
		const struct area_score *as = &s.sc.areas[ai];
		json_t *area_gaps = json_array();
		for (size_t k = 0; k < as->n_critical_gaps; k++)
			json_array_append_new(area_gaps, question_ref(g, a.id, as->critical_gaps[k]));
		json_t *bd = breakdown_json(r, a.id, &s, ai, items);
		char cap[16] = "";
		if (as->defined)
			snprintf(cap, sizeof(cap), "%.4f", as->capacity);
		json_t *av = json_pack("{s:i, s:s, s:s, s:b, s:o, s:s, s:o, s:o, s:I, s:I, s:I, s:b, s:o, s:b, s:o}",
				       "number", ai + 1, "id", g->areas[ai].id, "title", en(g->areas[ai].json, "title"),
				       "defined", as->defined, "need", need_json(as->defined, as->need), "capacity", cap,
				       "level", level_json(r, as->level), "coverage", pct(as->coverage), "answered",
				       (json_int_t)as->answered, "applicable", (json_int_t)as->applicable, "data_gaps",
				       (json_int_t)as->data_gaps, "has_breakdown", json_array_size(bd) > 0, "breakdown",
				       bd, "has_critical_gaps", as->n_critical_gaps > 0, "critical_gaps",
				       json_incref(area_gaps));
		json_array_append_new(areas, av);
		if (as->n_critical_gaps)
			json_array_append_new(gaps, json_pack("{s:s, s:o}", "title", en(g->areas[ai].json, "title"),
							      "questions", area_gaps));
		else
			json_decref(area_gaps);
		if (prev)
			json_array_append_new(changes,
					      json_pack("{s:s, s:o, s:o, s:o}", "title", en(g->areas[ai].json, "title"),
							"then_text", need_text(prev->areas[ai].defined, prev->areas[ai].need),
							"now_text", need_text(as->defined, as->need), "change",
							change_json(r, prev->areas[ai].defined, prev->areas[ai].need,
								    as->defined, as->need)));
	}
	free(items);

	json_t *prio = json_array();
	for (size_t i = 0; i < s.sc.n_priorities && i < 3; i++) {
		int ai = s.sc.priorities[i];
		json_array_append_new(prio, json_pack("{s:s, s:s, s:i}", "id", g->areas[ai].id, "title",
						      en(g->areas[ai].json, "title"), "need", s.sc.areas[ai].need));
	}
	char *svg = chart_svg(r, &a, g, &s.sc, prev);
	json_t *view = json_pack(
		"{s:o, s:s, s:o, s:o, s:o, s:b, s:o, s:b, s:o}", "assessment", h_assessment_view(r, &a), "chart_svg", svg,
		"overall",
		json_pack("{s:o, s:b, s:o, s:o, s:I, s:I, s:o, s:b}", "need", need_json(s.sc.need_defined, s.sc.need),
			  "defined", s.sc.need_defined, "level",
			  level_json(r, s.sc.need_defined ? level_of_need(s.sc.need) : LEVEL_UNKNOWN), "coverage",
			  pct(s.sc.coverage), "answered", (json_int_t)s.sc.answered, "applicable",
			  (json_int_t)s.sc.applicable, "priorities", prio, "has_priorities", s.sc.n_priorities > 0),
		"areas", areas, "gaps", gaps, "has_gaps", json_array_size(gaps) > 0, "plan", plan_view(r, g, a.id, &s.plan),
		"has_plan", s.plan.n > 0, "changes", changes);
	free(svg);
	json_t *help = prev ? help_view(r, g, prev_id, prev, &s.sc) : NULL;
	if (prev && !help) {
		scored_release(&s);
		json_decref(view);
		json_decref(errors);
		json_decref(draft);
		return req_error(r, 503, "database_error", "the actions of the previous round cannot be read");
	}
	if (prev)
		json_object_set_new(view, "previous",
				    json_pack("{s:I, s:i, s:o, s:o, s:o, s:b, s:o}", "id", (json_int_t)prev->assessment_id,
					      "round", prev->round, "then_text", need_text(prev->need_defined, prev->need),
					      "now_text", need_text(s.sc.need_defined, s.sc.need), "change",
					      change_json(r, prev->need_defined, prev->need, s.sc.need_defined, s.sc.need),
					      "has_help", json_array_size(help) > 0, "help", help));
	scored_release(&s);
	int rc = h_actions_results_view(r, &a, g, view, err_rec, errors, draft);
	json_object_set_new(view, "has_errors", json_boolean(errors && json_array_size(errors) > 0));
	json_object_set_new(view, "errors", errors ? errors : json_array());
	json_decref(draft);
	if (rc != 0) {
		json_decref(view);
		return req_error(r, 503, "database_error", "the assistance actions cannot be read");
	}
	const char *saved = req_query(r, "action_saved");
	const struct guide_rec *saved_rec = saved ? guide_rec(g, saved) : NULL;
	if (saved_rec && status == 200)
		json_object_set_new(view, "action_saved", json_string(en(saved_rec->json, "title")));
	char title[200];
	snprintf(title, sizeof(title), "%s %s %d", app_msg(r->app, "results.title"), h_country_name(r, a.country),
		 a.round);
	json_object_set_new(view, "title", json_string(title));
	return req_render(r, status, "results", view);
}
