/* h_assessments.c - the assessment pages: list, creation, overview with progress,
 * and the area forms (render, validate, save). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "db.h"
#include "db_scores.h"
#include "form.h"
#include "handlers.h"
#include "http.h"
#include "log.h"
#include "router.h"
#include "strbuf.h"
#include "util.h"

#define COMMENT_MAX 5000

static const char *const type_names[] = {"choice", "multi", "scale", "number", "text", "date"};

/* Puts the page-level error list (stolen; may be NULL) into a view. */
static void view_set_errors(json_t *view, json_t *errors)
{
	json_object_set_new(view, "has_errors", json_boolean(errors && json_array_size(errors) > 0));
	json_object_set_new(view, "errors", errors ? errors : json_array());
}

/* ---- list and creation -------------------------------------------------- */

static json_t *country_options(struct req *r, const char *selected)
{
	json_t *arr = json_array();
	size_t i;
	json_t *c;
	json_array_foreach(r->app->countries, i, c) {
		const char *iso3 = json_string_value(json_object_get(c, "iso3"));
		const char *scope = h_scope_country(r);
		if (scope && strcmp(scope, iso3) != 0)
			continue;
		json_array_append_new(arr, json_pack("{s:s, s:O, s:b}", "iso3", iso3, "name", json_object_get(c, "name"),
						     "selected", selected && strcmp(selected, iso3) == 0));
	}
	return arr;
}

static int render_list(struct req *r, int status, const char *country, const char *round, bool from_previous,
		       json_t *errors)
{
	const char *scope = h_scope_country(r);
	json_t *list = db_assessment_list(r->db, scope, NULL, 0);
	if (!list)
		return req_error(r, 503, "database_error", "the assessments cannot be read");
	size_t i;
	json_t *a;
	json_array_foreach(list, i, a) {
		const char *c = json_string_value(json_object_get(a, "country"));
		json_object_set_new(a, "country_name", json_string(h_country_name(r, c)));
		char key[32];
		snprintf(key, sizeof(key), "status.%s", json_string_value(json_object_get(a, "status")));
		json_object_set_new(a, "status_label", json_string(app_msg(r->app, key)));
	}
	json_t *view = json_pack("{s:b, s:o, s:o, s:s, s:b}", "has_assessments", json_array_size(list) > 0,
				 "assessments", list, "countries", country_options(r, country), "round", round ? round : "",
				 "from_previous", from_previous);
	view_set_errors(view, errors);
	json_object_set_new(view, "title", json_string(app_msg(r->app, "assessments.title")));
	json_object_set_new(view, "can_create",
			    json_boolean(r->user && router_allows("POST", "/assessments", r->user->role)));
	return req_render(r, status, "assessments", view);
}

int h_assessment_list(struct req *r)
{
	return render_list(r, 200, NULL, NULL, false, NULL);
}

int h_assessment_create(struct req *r)
{
	const char *country = req_form(r, "country");
	const char *round_s = req_form(r, "round");
	char *end = NULL;
	long round = round_s ? strtol(round_s, &end, 10) : 0;
	if (!round_s || end == round_s || *end)
		round = 0;
	const char *from = req_form(r, "from_previous");
	bool from_previous = from && strcmp(from, "1") == 0;
	long long id = h_create_assessment(r, country, round, from_previous, NULL);
	if (id > 0)
		return req_redirect(r, "/assessments/%lld", id);
	int st = r->status;
	json_t *errors = json_pack("[{s:s}]", "message", r->err_msg);
	r->err_code = NULL;
	return render_list(r, st, country, round_s, from_previous, errors);
}

/* ---- overview ----------------------------------------------------------- */

/* Progress of one area: visible questions, those with any answer, and those whose
 * answer is carried over from the previous round and not yet confirmed. */
static void area_progress(const struct guide *g, int area, const json_t *stored, const struct answer *ans, int *total,
			  int *answered, int *unconfirmed, int *carried_round)
{
	*total = *answered = *unconfirmed = 0;
	const struct guide_area *ga = &g->areas[area];
	for (size_t k = 0; k < ga->n_q; k++) {
		const struct guide_question *q = &g->questions[ga->first_q + k];
		if (!guide_question_visible(g, q, ans))
			continue;
		(*total)++;
		if (ans[q->index].kind != ANS_NONE)
			(*answered)++;
		const json_t *e = json_object_get(stored, q->id);
		if (json_is_true(json_object_get(e, "carried_over"))) {
			(*unconfirmed)++;
			*carried_round = (int)json_integer_value(json_object_get(e, "carried_from"));
		}
	}
}

int h_assessment_overview(struct req *r)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	const struct guide *g = h_guide(r, &a);
	json_t *stored = db_answers_get(r->db, a.id);
	if (!stored)
		return req_error(r, 503, "database_error", "the answers cannot be read");
	struct answer *ans = xcalloc(g->n_questions ? g->n_questions : 1, sizeof(*ans));
	h_answers_parse(g, stored, ans);
	json_t *areas = json_array();
	int all_total = 0, all_answered = 0, all_unconfirmed = 0, carried_round = 0;
	for (int i = 0; i < GUIDE_N_AREAS; i++) {
		int total, answered, unconfirmed;
		area_progress(g, i, stored, ans, &total, &answered, &unconfirmed, &carried_round);
		all_total += total;
		all_answered += answered;
		all_unconfirmed += unconfirmed;
		const json_t *aj = g->areas[i].json;
		json_t *av = json_pack("{s:i, s:s, s:s, s:s, s:i, s:i, s:i, s:b, s:i}", "number", i + 1, "id", g->areas[i].id,
				       "title", guide_text(json_object_get(aj, "title"), "en"), "description",
				       guide_text(json_object_get(aj, "description"), "en"), "total", total, "answered",
				       answered, "percent", total ? answered * 100 / total : 0, "complete",
				       total && answered == total, "unconfirmed", unconfirmed);
		json_array_append_new(areas, av);
	}
	free(ans);
	json_decref(stored);
	json_t *view = json_pack("{s:o, s:o, s:i, s:i, s:i}", "assessment", h_assessment_view(r, &a), "areas", areas,
				 "total", all_total, "answered", all_answered, "percent",
				 all_total ? all_answered * 100 / all_total : 0);
	if (all_unconfirmed)
		json_object_set_new(view, "carry", json_pack("{s:i, s:i}", "unconfirmed", all_unconfirmed, "round",
							     carried_round));
	char title[160];
	snprintf(title, sizeof(title), "%s %d", h_country_name(r, a.country), a.round);
	json_object_set_new(view, "title", json_string(title));
	json_t *moves = h_transitions_view(r, &a);
	json_object_set_new(view, "has_transitions", json_boolean(json_array_size(moves) > 0));
	json_object_set_new(view, "transitions", moves);
	const char *moved = req_query(r, "moved");
	if (moved && strcmp(moved, a.status) == 0) {
		char key[32];
		snprintf(key, sizeof(key), "status.%s", a.status);
		json_object_set_new(view, "moved", json_string(app_msg(r->app, key)));
	}
	if (h_review_overview_view(r, &a, view) != 0) {
		json_decref(view);
		return req_error(r, 503, "database_error", "the review comments cannot be read");
	}
	return req_render(r, 200, "overview", view);
}

/* ---- area form ---------------------------------------------------------- */

/* What a question shows in the form: the value (stored or as posted), the raw
 * text of free inputs, the comment and an error. */
struct qview {
	json_t *value;      /* borrowed; NULL when unanswered */
	const char *raw;    /* text shown in number/text/date inputs */
	const char *comment;
	const char *error;
	int carried_from;   /* the stored answer is carried over from this round; 0: not */
	bool confirm;       /* its "confirm" box is ticked (as posted) */
	char version[17];   /* of the stored answer: the form sends it back as s.QID */
};

/* A short fingerprint of a stored answer (value and comment), "0" for none. The
 * area form carries it per question, so that saving a page opened before someone
 * else changed an answer is noticed instead of overwriting their change. */
static void answer_version(const json_t *entry, char out[17])
{
	if (!entry) {
		strcpy(out, "0");
		return;
	}
	char *v = json_dumps(json_object_get(entry, "value"), JSON_COMPACT | JSON_ENCODE_ANY);
	const char *c = json_string_value(json_object_get(entry, "comment"));
	unsigned long long h = 1469598103934665603ull;
	for (const char *p = v ? v : ""; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	h = (h ^ 0x1f) * 1099511628211ull;
	for (const char *p = c ? c : ""; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	free(v);
	snprintf(out, 17, "%016llx", h);
}

/* The versions of an area's stored answers into states[]. */
static void version_states(const struct guide *g, const struct guide_area *area, const json_t *stored,
			   struct qview *states)
{
	for (size_t k = 0; k < area->n_q; k++)
		answer_version(json_object_get(stored, g->questions[area->first_q + k].id), states[k].version);
}

/* The carried-over marks of an area's stored answers into states[]; posted: also
 * whether each "confirm.QID" box was ticked. */
static void carry_states(struct req *r, const struct guide *g, const struct guide_area *area, const json_t *stored,
			 struct qview *states, bool posted)
{
	for (size_t k = 0; k < area->n_q; k++) {
		const struct guide_question *q = &g->questions[area->first_q + k];
		const json_t *e = json_object_get(stored, q->id);
		if (!json_is_true(json_object_get(e, "carried_over")))
			continue;
		states[k].carried_from = (int)json_integer_value(json_object_get(e, "carried_from"));
		if (posted) {
			char name[128];
			snprintf(name, sizeof(name), "confirm.%s", q->id);
			const char *v = req_form(r, name);
			states[k].confirm = v && strcmp(v, "1") == 0;
		}
	}
}

static bool value_has(const json_t *value, const char *opt)
{
	if (json_is_string(value))
		return strcmp(json_string_value(value), opt) == 0;
	size_t i;
	json_t *v;
	json_array_foreach(value, i, v) {
		if (json_is_string(v) && strcmp(json_string_value(v), opt) == 0)
			return true;
	}
	return false;
}

static void format_number(const json_t *v, char *buf, size_t n)
{
	if (json_is_integer(v))
		snprintf(buf, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, n, "%.15g", json_real_value(v));
	else
		buf[0] = '\0';
}

static json_t *refs_text(const struct guide_question *q)
{
	const json_t *refs = json_object_get(q->json, "refs");
	const json_t *arts = json_object_get(refs, "protocol");
	struct strbuf sb;
	strbuf_init(&sb, 64);
	size_t i;
	json_t *v;
	json_array_foreach(arts, i, v)
		strbuf_addf(&sb, "%s%" JSON_INTEGER_FORMAT, i ? ", " : "Protocol art. ", json_integer_value(v));
	static const char *const clusters[][2] = {
		{"criminalization", "criminalization and jurisdiction"},
		{"prevention", "prevention, technical assistance, protection and other measures"},
		{"law-enforcement", "law enforcement and the judicial system"},
		{"cooperation", "international cooperation, mutual legal assistance and confiscation"},
	};
	const char *cluster = json_string_value(json_object_get(refs, "cluster"));
	for (size_t k = 0; cluster && k < ARRAY_SIZE(clusters); k++)
		if (strcmp(cluster, clusters[k][0]) == 0)
			cluster = clusters[k][1];
	if (cluster)
		strbuf_addf(&sb, "%sUNTOC Review Mechanism cluster: %s", sb.len ? " · " : "", cluster);
	json_t *s = json_stringn(sb.buf, sb.len);
	strbuf_release(&sb);
	return s;
}

static json_t *show_if_text(const struct guide *g, const struct guide_question *q)
{
	if (q->show_if_q < 0)
		return json_null();
	const struct guide_question *c = &g->questions[q->show_if_q];
	struct strbuf sb;
	strbuf_init(&sb, 96);
	strbuf_addf(&sb, "Answer this question only if question %d.%zu is ", c->area + 1,
		    c->index - g->areas[c->area].first_q + 1);
	int n = 0;
	for (size_t i = 0; i < c->n_options; i++) {
		if (!(q->show_if_mask & (1ull << i)))
			continue;
		strbuf_addf(&sb, "%s\u201c%s\u201d", n++ ? " or " : "", guide_text(c->options[i].label, "en"));
	}
	strbuf_addch(&sb, '.');
	json_t *s = json_stringn(sb.buf, sb.len);
	strbuf_release(&sb);
	return s;
}

static json_t *question_view(struct req *r, const struct guide *g, const struct guide_question *q,
			     const struct qview *s, bool visible)
{
	const struct guide_area *area = &g->areas[q->area];
	json_t *opts = json_array();
	for (size_t i = 0; i < q->n_options; i++) {
		const struct guide_option *o = &q->options[i];
		json_array_append_new(opts, json_pack("{s:s, s:s, s:s, s:b}", "qid", q->id, "oid", o->id, "label",
						      guide_text(o->label, "en"), "checked", s->value && value_has(s->value, o->id)));
	}
	json_t *reserved = json_array();
	if (q->scored) {
		if (q->allow_na)
			json_array_append_new(reserved, json_pack("{s:s, s:s, s:s, s:b}", "qid", q->id, "oid", "na", "label",
								  app_msg(r->app, "answer.na"), "checked",
								  s->value && value_has(s->value, "na")));
		json_array_append_new(reserved, json_pack("{s:s, s:s, s:s, s:b}", "qid", q->id, "oid", "dk", "label",
							  app_msg(r->app, "answer.dk"), "checked",
							  s->value && value_has(s->value, "dk")));
	}
	char num[32];
	snprintf(num, sizeof(num), "%d.%zu", q->area + 1, q->index - area->first_q + 1);
	char raw[64];
	const char *rawtext = s->raw;
	if (!rawtext && s->value) {
		if (q->type == Q_NUMBER) {
			format_number(s->value, raw, sizeof(raw));
			rawtext = raw;
		} else if (json_is_string(s->value)) {
			rawtext = json_string_value(s->value);
		}
	}
	json_t *guidance = app_guidance_html(r->app, g, q->id);
	json_t *v = json_pack("{s:s, s:s, s:s, s:s, s:b, s:i, s:o, s:o, s:s, s:s, s:o, s:o, s:b, s:b}", "qid", q->id,
			      "num", num, "text", guide_text(json_object_get(q->json, "text"), "en"), "type",
			      type_names[q->type], "critical", q->critical, "weight", q->weight, "options", opts,
			      "reserved", reserved, "raw", rawtext ? rawtext : "", "comment",
			      s->comment ? s->comment : "", "refs", refs_text(q), "show_if", show_if_text(g, q),
			      "visible", visible, "answered", s->value != NULL);
	json_object_set_new(v, "version", json_string(s->version[0] ? s->version : "0"));
	json_object_set_new(v, "is_choice", json_boolean(q->type == Q_CHOICE || q->type == Q_SCALE));
	json_object_set_new(v, "is_multi", json_boolean(q->type == Q_MULTI));
	json_object_set_new(v, "is_number", json_boolean(q->type == Q_NUMBER));
	json_object_set_new(v, "is_text", json_boolean(q->type == Q_TEXT));
	json_object_set_new(v, "is_date", json_boolean(q->type == Q_DATE));
	if (guidance)
		json_object_set(v, "guidance_html", guidance);
	const json_t *unit = json_object_get(q->json, "unit");
	if (unit)
		json_object_set_new(v, "unit", json_string(guide_text(unit, "en")));
	if (q->show_if_q >= 0) {
		const struct guide_question *c = &g->questions[q->show_if_q];
		struct strbuf in;
		strbuf_init(&in, 32);
		for (size_t i = 0; i < c->n_options; i++)
			if (q->show_if_mask & (1ull << i))
				strbuf_addf(&in, "%s%s", in.len ? " " : "", c->options[i].id);
		json_object_set_new(v, "show_if_question", json_string(c->id));
		json_object_set_new(v, "show_if_in", json_stringn(in.buf, in.len));
		strbuf_release(&in);
	}
	if (s->error)
		json_object_set_new(v, "error", json_string(s->error));
	if (s->carried_from) {
		json_object_set_new(v, "carried_from", json_integer(s->carried_from));
		json_object_set_new(v, "confirm_checked", json_boolean(s->confirm));
	}
	return v;
}

/* The area of route parameter 1 in guide g: its index, or -1. */
static int area_index(struct req *r, const struct guide *g)
{
	return guide_area_index(g, req_param(r, 1));
}

/* Renders the form of area ai of guide g (a's), with states[] for its questions
 * (n = area size). */
static int render_area(struct req *r, int status, const struct assessment *a, const struct guide *g, int ai,
		       const struct qview *states, const struct answer *answers, json_t *errors)
{
	const struct guide_area *area = &g->areas[ai];
	json_t *qs = json_array();
	for (size_t k = 0; k < area->n_q; k++) {
		const struct guide_question *q = &g->questions[area->first_q + k];
		json_array_append_new(qs, question_view(r, g, q, &states[k], guide_question_visible(g, q, answers)));
	}
	json_t *nav = json_array();
	for (int i = 0; i < GUIDE_N_AREAS; i++)
		json_array_append_new(nav, json_pack("{s:i, s:s, s:s, s:b}", "number", i + 1, "id", g->areas[i].id,
						     "title", guide_text(json_object_get(g->areas[i].json, "title"), "en"),
						     "current", i == ai));
	json_t *view = json_pack("{s:o, s:{s:i, s:s, s:s, s:s}, s:o, s:o}", "assessment", h_assessment_view(r, a),
				 "area", "number", ai + 1, "id", area->id, "title",
				 guide_text(json_object_get(area->json, "title"), "en"), "description",
				 guide_text(json_object_get(area->json, "description"), "en"), "questions", qs, "nav", nav);
	view_set_errors(view, errors);
	int n_carried = 0, carried_round = 0; /* as the overview counts them: shown questions */
	for (size_t k = 0; k < area->n_q; k++)
		if (states[k].carried_from && guide_question_visible(g, &g->questions[area->first_q + k], answers)) {
			n_carried++;
			carried_round = states[k].carried_from;
		}
	if (n_carried)
		json_object_set_new(view, "carry", json_pack("{s:i, s:i, s:b}", "count", n_carried, "round", carried_round,
							     "one", n_carried == 1));
	if (ai > 0)
		json_object_set_new(view, "prev", json_pack("{s:s, s:s}", "id", g->areas[ai - 1].id, "title",
							    guide_text(json_object_get(g->areas[ai - 1].json, "title"), "en")));
	if (ai + 1 < GUIDE_N_AREAS)
		json_object_set_new(view, "next", json_pack("{s:s, s:s}", "id", g->areas[ai + 1].id, "title",
							    guide_text(json_object_get(g->areas[ai + 1].json, "title"), "en")));
	const char *saved = req_query(r, "saved");
	json_object_set_new(view, "saved", json_boolean(saved && status == 200));
	char title[200];
	snprintf(title, sizeof(title), "%s – %s %d", guide_text(json_object_get(area->json, "title"), "en"),
		 h_country_name(r, a->country), a->round);
	json_object_set_new(view, "title", json_string(title));
	if (h_review_area_view(r, a, view) != 0) {
		json_decref(view);
		return req_error(r, 503, "database_error", "the review comments cannot be read");
	}
	return req_render(r, status, "area", view);
}

int h_area_form(struct req *r)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	int ai = area_index(r, h_guide(r, &a));
	if (ai < 0)
		return req_error(r, 404, "not_found", "There is no area \"%s\".", req_param(r, 1));
	return h_area_page(r, 200, &a, ai, NULL);
}

int h_area_page(struct req *r, int status, const struct assessment *a, int ai, json_t *errors)
{
	const struct guide *g = h_guide(r, a);
	json_t *stored = db_answers_get(r->db, a->id);
	if (!stored) {
		json_decref(errors);
		return req_error(r, 503, "database_error", "the answers cannot be read");
	}
	struct answer *ans = xcalloc(g->n_questions ? g->n_questions : 1, sizeof(*ans));
	h_answers_parse(g, stored, ans);
	const struct guide_area *area = &g->areas[ai];
	struct qview *states = xcalloc(area->n_q ? area->n_q : 1, sizeof(*states));
	for (size_t k = 0; k < area->n_q; k++) {
		json_t *e = json_object_get(stored, g->questions[area->first_q + k].id);
		states[k].value = json_object_get(e, "value");
		states[k].comment = json_string_value(json_object_get(e, "comment"));
	}
	carry_states(r, g, area, stored, states, false);
	version_states(g, area, stored, states);
	int st = render_area(r, status, a, g, ai, states, ans, errors);
	free(states);
	free(ans);
	json_decref(stored);
	return st;
}

int h_area_save(struct req *r)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	const struct guide *g = h_guide(r, &a);
	int ai = area_index(r, g);
	if (ai < 0)
		return req_error(r, 404, "not_found", "There is no area \"%s\".", req_param(r, 1));
	if (!h_editable(&a))
		return req_error(r, 409, "not_editable", "This assessment is %s; its answers can no longer be changed.",
				 a.status);
	const struct guide_area *area = &g->areas[ai];
	json_t *errors = json_array();
	/* fields must belong to this area's questions */
	for (size_t i = 0; i < r->n_fields; i++) {
		const char *n = r->fields[i].name;
		if ((n[0] == 'q' || n[0] == 'c') && n[1] == '.') {
			const struct guide_question *q = guide_question(g, n + 2);
			if (!q || q->area != ai)
				json_array_append_new(errors, json_pack("{s:s}", "message", "The form names a question "
											    "that is not in this area; "
											    "reload the page."));
		}
	}
	size_t n = area->n_q;
	struct qview *states = xcalloc(n ? n : 1, sizeof(*states));
	json_t **values = xcalloc(n ? n : 1, sizeof(*values));
	char (*errs)[200] = xcalloc(n ? n : 1, sizeof(*errs));
	bool *absent = xcalloc(n ? n : 1, sizeof(*absent));
	struct answer *ans = xcalloc(g->n_questions ? g->n_questions : 1, sizeof(*ans));
	json_t *stored = db_answers_get(r->db, a.id);
	if (!stored) {
		st = req_error(r, 503, "database_error", "the answers cannot be read");
		goto out;
	}
	h_answers_parse(g, stored, ans);
	carry_states(r, g, area, stored, states, true);
	version_states(g, area, stored, states);
	int n_errors = 0;
	for (size_t k = 0; k < n; k++) {
		const struct guide_question *q = &g->questions[area->first_q + k];
		char cname[128], vname[128], qname[128];
		snprintf(cname, sizeof(cname), "c.%s", q->id);
		snprintf(vname, sizeof(vname), "s.%s", q->id);
		snprintf(qname, sizeof(qname), "q.%s", q->id);
		/* a question the form did not carry at all is left as it is */
		if (!req_field(r, vname) && !req_field(r, qname) && !req_field(r, cname)) {
			const json_t *e = json_object_get(stored, q->id);
			absent[k] = true;
			states[k].value = json_object_get(e, "value");
			states[k].comment = json_string_value(json_object_get(e, "comment"));
			continue;
		}
		states[k].comment = req_form(r, cname);
		if (states[k].comment && (strlen(states[k].comment) > COMMENT_MAX ||
					  !util_utf8_valid(states[k].comment, strlen(states[k].comment)))) {
			snprintf(errs[k], sizeof(errs[k]), "The comment is longer than %d characters or holds characters "
				 "that are not allowed.", COMMENT_MAX);
			states[k].error = errs[k];
			states[k].comment = NULL;
			n_errors++;
		}
		if (form_answer_value(r->fields, r->n_fields, q, &values[k], &states[k].raw, errs[k], sizeof(errs[k])) != 0) {
			states[k].error = errs[k];
			n_errors++;
			continue;
		}
		states[k].value = values[k];
		struct answer parsed;
		if (values[k] && guide_parse_answer(q, values[k], &parsed, errs[k], sizeof(errs[k])) != 0) {
			states[k].error = errs[k];
			n_errors++;
			continue;
		}
		ans[q->index] = values[k] ? parsed : (struct answer){0};
	}
	if (n_errors || json_array_size(errors)) {
		if (n_errors)
			json_array_append_new(errors, json_pack("{s:s}", "message",
								n_errors == 1 ? "One answer needs correcting; see below."
									      : "Some answers need correcting; see below."));
		st = render_area(r, 422, &a, g, ai, states, ans, errors);
		errors = NULL;
		goto out;
	}
	/* someone else changed an answer since this page was opened: show theirs and
	 * the user's, store nothing (a second save, with the new version, overwrites) */
	int n_conflicts = 0;
	for (size_t k = 0; k < n; k++) {
		const struct guide_question *q = &g->questions[area->first_q + k];
		char vname[128];
		snprintf(vname, sizeof(vname), "s.%s", q->id);
		const char *seen = req_form(r, vname);
		if (absent[k] || !seen || strcmp(seen, states[k].version) == 0)
			continue;
		const char *comment = states[k].comment ? states[k].comment : "";
		json_t *mine = json_pack("{s:O?, s:s}", "value", values[k] ? values[k] : (*comment ? json_null() : NULL),
					 "comment", comment);
		char mine_v[17];
		answer_version(values[k] || *comment ? mine : NULL, mine_v);
		json_decref(mine);
		if (strcmp(mine_v, states[k].version) == 0)
			continue; /* both made the same change */
		snprintf(errs[k], sizeof(errs[k]), "Someone else changed this answer after you opened the page. "
			 "Your version is shown; check it and save again to keep it.");
		states[k].error = errs[k];
		n_conflicts++;
	}
	if (n_conflicts) {
		json_array_append_new(errors, json_pack("{s:s}", "message",
							"Answers were changed by someone else while you worked; nothing "
							"was saved. Check the answers marked below and save again."));
		st = render_area(r, 409, &a, g, ai, states, ans, errors);
		errors = NULL;
		goto out;
	}
	const char *confirm_all = req_form(r, "confirm_all");
	for (size_t k = 0; k < n; k++) {
		const struct guide_question *q = &g->questions[area->first_q + k];
		if (absent[k])
			continue;
		const char *comment = states[k].comment ? states[k].comment : "";
		/* a comment without an answer is kept, with a null value */
		char *vj = values[k] ? json_dumps(values[k], JSON_COMPACT | JSON_ENCODE_ANY)
				     : *comment ? xstrdup("null") : NULL;
		bool changed;
		int rc = db_answer_put(r->db, a.id, q->id, vj, comment, r->user ? r->user->id : 0, &changed);
		free(vj);
		/* a carried-over answer left as it was stays carried over unless its box
		 * (or "confirm all unchanged") says that it still holds */
		if (rc == 0 && !changed && states[k].carried_from && (states[k].confirm || confirm_all))
			rc = db_answer_confirm(r->db, a.id, q->id, r->user ? r->user->id : 0) < 0 ? -1 : 0;
		if (rc != 0) {
			st = req_error(r, 503, "database_error", "the answers could not be saved; nothing was changed");
			goto out;
		}
	}
	if (db_scores_refresh(r->db, g, a.id) != 0) {
		st = req_error(r, 503, "database_error", "the scores could not be updated; nothing was changed");
		goto out;
	}
	const char *next = req_form(r, "next");
	if (next && strcmp(next, "1") == 0 && ai + 1 < GUIDE_N_AREAS)
		st = req_redirect(r, "/assessments/%lld/areas/%s", a.id, g->areas[ai + 1].id);
	else
		st = req_redirect(r, "/assessments/%lld/areas/%s?saved=1", a.id, area->id);
out:
	json_decref(errors);
	for (size_t k = 0; k < n; k++)
		json_decref(values[k]);
	free(absent);
	free(values);
	free(states);
	free(errs);
	free(ans);
	json_decref(stored);
	return st;
}
