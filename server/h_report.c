/* h_report.c - pages made for paper: the report of one assessment (answers by
 * area with their labels and comments, the figures, the plan) and the blank
 * questionnaire for offline work (every question, its options as empty boxes,
 * its guidance). Both print without the site's navigation (print rules of
 * static/css/site.css for body.print-doc). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "db.h"
#include "db_actions.h"
#include "export.h"
#include "handlers.h"
#include "http.h"
#include "util.h"

static const char *en(const json_t *obj, const char *key)
{
	return guide_text(json_object_get(obj, key), "en");
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

/* "Protocol art. 15 · UNTOC Review Mechanism cluster: prevention" */
static json_t *refs_text(const struct guide_question *q)
{
	const json_t *refs = json_object_get(q->json, "refs");
	struct strbuf sb;
	strbuf_init(&sb, 64);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(refs, "protocol"), i, v)
		strbuf_addf(&sb, "%s%" JSON_INTEGER_FORMAT, i ? ", " : "Protocol art. ", json_integer_value(v));
	const char *cluster = json_string_value(json_object_get(refs, "cluster"));
	if (cluster)
		strbuf_addf(&sb, "%sUNTOC Review Mechanism cluster: %s", sb.len ? " · " : "", cluster);
	json_t *s = json_stringn(sb.buf, sb.len);
	strbuf_release(&sb);
	return s;
}

/* "Answer only if question 1.1 is “Some” or “Effective”." or null. */
static json_t *show_if_text(const struct guide *g, const struct guide_question *q)
{
	if (q->show_if_q < 0)
		return json_null();
	const struct guide_question *c = &g->questions[q->show_if_q];
	char num[16];
	export_question_num(g, c, num);
	struct strbuf sb;
	strbuf_init(&sb, 96);
	strbuf_addf(&sb, "Answer only if question %s is ", num);
	int n = 0;
	for (size_t i = 0; i < c->n_options; i++)
		if (q->show_if_mask & ((uint64_t)1 << i))
			strbuf_addf(&sb, "%s\u201c%s\u201d", n++ ? " or " : "", guide_text(c->options[i].label, "en"));
	strbuf_addch(&sb, '.');
	json_t *s = json_stringn(sb.buf, sb.len);
	strbuf_release(&sb);
	return s;
}

/* ---- the report of one assessment ---------------------------------------- */

static const char *state_key(enum export_state s)
{
	switch (s) {
	case EXP_HIDDEN: return "report.state_hidden";
	case EXP_INVALID: return "report.state_invalid";
	default: return NULL;
	}
}

/* The questions of area ai with what was answered (x: the stored answers in
 * guide order, *k the next one to look at). */
static json_t *area_questions(struct req *r, const struct export_data *d, int ai, const struct export_answer *x,
			      size_t n, size_t *k)
{
	const struct guide *g = d->g;
	const struct guide_area *area = &g->areas[ai];
	json_t *qs = json_array();
	for (size_t i = area->first_q; i < area->first_q + area->n_q; i++) {
		const struct guide_question *q = &g->questions[i];
		const struct export_answer *e = *k < n && x[*k].q == q ? &x[(*k)++] : NULL;
		char num[16];
		export_question_num(g, q, num);
		bool answered = e && e->state != EXP_NONE && e->label_text[0];
		const char *note = e ? state_key(e->state) : NULL;
		json_t *v = json_pack("{s:s, s:s, s:s, s:b, s:b, s:s, s:s}", "qid", q->id, "num", num, "text",
				      en(q->json, "text"), "critical", q->critical, "answered", answered, "answer",
				      answered ? e->label_text : app_msg(r->app, "answer.none"), "comment",
				      e ? e->comment : "");
		if (note)
			json_object_set_new(v, "note", json_string(app_msg(r->app, note)));
		if (e && e->carried_over)
			json_object_set_new(v, "carried_from", json_integer(e->carried_from));
		if (e && e->labels && json_array_size(e->labels) > 1) {
			json_object_set(v, "labels", e->labels);
			json_object_set_new(v, "has_labels", json_true());
		}
		json_array_append_new(qs, v);
	}
	return qs;
}

static const char *action_of(const json_t *actions, const char *rec)
{
	size_t i;
	json_t *x;
	json_array_foreach(actions, i, x) {
		const char *id = json_string_value(json_object_get(x, "rec"));
		if (id && strcmp(id, rec) == 0)
			return json_string_value(json_object_get(x, "status"));
	}
	return NULL;
}

static json_t *plan_view(struct req *r, const struct export_data *d)
{
	const struct guide *g = d->g;
	json_t *items = json_array();
	for (size_t i = 0; i < d->plan.n; i++) {
		const struct plan_item *it = &d->plan.items[i];
		const json_t *rj = it->rec->json;
		json_t *resources = json_array(), *cjat = json_array();
		size_t k;
		json_t *v;
		json_array_foreach(json_object_get(rj, "resources"), k, v)
			json_array_append_new(resources, json_string(guide_text(v, "en")));
		json_array_foreach(json_object_get(rj, "cjat"), k, v) {
			const struct guide_cjat *c = guide_cjat(g, json_string_value(v));
			json_array_append_new(cjat, json_string(c ? en(c->json, "title") : json_string_value(v)));
		}
		struct strbuf by;
		strbuf_init(&by, 32);
		for (size_t t = 0; t < it->n_triggered_by; t++) {
			char num[16];
			export_question_num(g, &g->questions[it->triggered_by[t]], num);
			strbuf_addf(&by, "%s%s", t ? ", " : "", num);
		}
		json_t *item = json_pack("{s:i, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:b, s:b, s:s}", "number", (int)i + 1, "id",
					 it->rec->id, "title", en(rj, "title"), "description", en(rj, "description"),
					 "area_title", en(g->areas[it->area].json, "title"), "level", level_json(r, it->level),
					 "resources", resources, "cjat", cjat, "has_resources", json_array_size(resources) > 0,
					 "has_cjat", json_array_size(cjat) > 0, "triggered_by", by.buf);
		strbuf_release(&by);
		const char *st = action_of(d->actions, it->rec->id);
		if (st) {
			char key[48];
			snprintf(key, sizeof(key), "action.status.%s", st);
			json_object_set_new(item, "action", json_string(app_msg(r->app, key)));
		}
		json_array_append_new(items, item);
	}
	return items;
}

int h_report(struct req *r)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	json_t *stored = db_answers_get(r->db, a.id);
	if (!stored)
		return req_error(r, 503, "database_error", "the answers cannot be read");
	struct export_data d;
	export_data_init(&d, r->app, &a, stored);
	d.actions = db_actions_list(r->db, a.id);
	if (!d.actions) {
		export_data_release(&d);
		return req_error(r, 503, "database_error", "the assistance actions cannot be read");
	}
	const struct guide *g = d.g;
	size_t n, k = 0;
	struct export_answer *x = export_answers(&d, &n);
	json_t *areas = json_array();
	for (int ai = 0; ai < GUIDE_N_AREAS; ai++) {
		const struct area_score *as = &d.sc.areas[ai];
		char need[16] = "\u2013", cap[16] = "\u2013";
		if (as->defined) {
			snprintf(need, sizeof(need), "%d", as->need);
			snprintf(cap, sizeof(cap), "%.2f", as->capacity);
		}
		json_array_append_new(
			areas, json_pack("{s:i, s:s, s:s, s:s, s:s, s:o, s:o, s:I, s:I, s:I, s:o}", "number", ai + 1, "id",
					 g->areas[ai].id, "title", en(g->areas[ai].json, "title"), "need", need, "capacity",
					 cap, "level", level_json(r, as->level), "coverage", pct(as->coverage), "answered",
					 (json_int_t)as->answered, "applicable", (json_int_t)as->applicable, "data_gaps",
					 (json_int_t)as->data_gaps, "questions", area_questions(r, &d, ai, x, n, &k)));
	}
	export_answers_free(x, n);
	json_t *prio = json_array();
	for (size_t i = 0; i < d.sc.n_priorities && i < 3; i++)
		json_array_append_new(prio, json_string(en(g->areas[d.sc.priorities[i]].json, "title")));
	char need[16] = "", at[21], when[32], title[200];
	if (d.sc.need_defined)
		snprintf(need, sizeof(need), "%d", d.sc.need);
	util_iso8601(util_now(), at);
	h_when_text(at, when);
	snprintf(title, sizeof(title), "%s %s %d", app_msg(r->app, "report.title"), h_country_name(r, a.country), a.round);
	json_t *plan = plan_view(r, &d);
	json_t *view = json_pack(
		"{s:s, s:s, s:o, s:s, s:s, s:{s:s, s:b, s:o, s:o, s:I, s:I, s:o, s:b}, s:o, s:b, s:o, s:s}", "title", title,
		"body_class", "print-doc", "assessment", h_assessment_view(r, &a), "generated", when, "region",
		export_country_field(&d, "region"), "overall", "need", need, "defined", d.sc.need_defined, "level",
		level_json(r, d.sc.need_defined ? level_of_need(d.sc.need) : LEVEL_UNKNOWN), "coverage", pct(d.sc.coverage),
		"answered", (json_int_t)d.sc.answered, "applicable", (json_int_t)d.sc.applicable, "priorities", prio,
		"has_priorities", json_array_size(prio) > 0, "plan", plan, "has_plan", d.plan.n > 0, "areas", areas,
		"guide_in_use", g->version);
	export_data_release(&d);
	return req_render(r, 200, "report", view);
}

/* ---- the blank questionnaire --------------------------------------------- */

/* The blank questionnaire is always the current guide (new assessments start on it). */
static json_t *print_question(struct req *r, const struct guide_question *q)
{
	const struct guide *g = r->app->guide;
	char num[16];
	export_question_num(g, q, num);
	json_t *opts = json_array();
	for (size_t i = 0; i < q->n_options; i++)
		json_array_append_new(opts, json_pack("{s:s}", "label", guide_text(q->options[i].label, "en")));
	/* Not applicable and Don't know beside the options, as the area form offers them */
	bool has_options = q->type == Q_CHOICE || q->type == Q_SCALE || q->type == Q_MULTI;
	json_t *reserved = json_array();
	if (has_options && q->allow_na)
		json_array_append_new(reserved, json_pack("{s:s}", "label", app_msg(r->app, "answer.na")));
	if (has_options)
		json_array_append_new(reserved, json_pack("{s:s}", "label", app_msg(r->app, "answer.dk")));
	char key[32];
	snprintf(key, sizeof(key), "print.type_%s", guide_qtype_name(q->type));
	json_t *v = json_pack("{s:s, s:s, s:s, s:b, s:b, s:b, s:o, s:o, s:s, s:o, s:o}", "qid", q->id, "num", num, "text",
			      en(q->json, "text"), "critical", q->critical, "has_options", has_options, "multi",
			      q->type == Q_MULTI, "options", opts, "reserved", reserved, "instruction",
			      app_msg(r->app, key), "show_if", show_if_text(g, q), "refs", refs_text(q));
	json_object_set_new(v, "is_number", json_boolean(q->type == Q_NUMBER));
	json_object_set_new(v, "is_text", json_boolean(q->type == Q_TEXT));
	json_object_set_new(v, "is_date", json_boolean(q->type == Q_DATE));
	const json_t *unit = json_object_get(q->json, "unit");
	if (unit)
		json_object_set_new(v, "unit", json_string(guide_text(unit, "en")));
	json_t *guidance = app_guidance_html(r->app, g, q->id);
	if (guidance && json_string_length(guidance))
		json_object_set(v, "guidance_html", guidance);
	return v;
}

int h_guide_print(struct req *r)
{
	const struct guide *g = r->app->guide;
	json_t *areas = json_array();
	for (int ai = 0; ai < GUIDE_N_AREAS; ai++) {
		const struct guide_area *area = &g->areas[ai];
		json_t *qs = json_array();
		for (size_t i = area->first_q; i < area->first_q + area->n_q; i++)
			json_array_append_new(qs, print_question(r, &g->questions[i]));
		json_array_append_new(areas, json_pack("{s:i, s:s, s:s, s:s, s:o}", "number", ai + 1, "id", area->id, "title",
						       en(area->json, "title"), "description", en(area->json, "description"),
						       "questions", qs));
	}
	json_t *view = json_pack("{s:s, s:s, s:s, s:s, s:o}", "title", app_msg(r->app, "print.title"), "body_class",
				 "print-doc", "guide_title", guide_text(json_object_get(g->root, "title"), "en"),
				 "guide_version", g->version, "areas", areas);
	return req_render(r, 200, "guide_print", view);
}
