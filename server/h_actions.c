/* h_actions.c - assistance actions: the API (list, create, replace, change), the
 * results page's form per plan item, and what the results page shows of them
 * (each plan item's action, every action, the help delivered after the previous
 * round). Reviewers and administrators write them (the route table says so);
 * whoever may see the assessment reads them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "db.h"
#include "db_actions.h"
#include "db_assessments.h"
#include "db_scores.h"
#include "handlers.h"
#include "http.h"
#include "router.h"
#include "util.h"

static const char *en(const json_t *obj, const char *key)
{
	return guide_text(json_object_get(obj, key), "en");
}

static bool status_known(const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(db_action_statuses); i++)
		if (s && strcmp(s, db_action_statuses[i]) == 0)
			return true;
	return false;
}

/* Characters (code points) of valid UTF-8. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static bool has_controls(const char *s, bool lines)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c < 0x20 && !(lines && (c == '\n' || c == '\r' || c == '\t'))) || c == 0x7f)
			return true;
	}
	return false;
}

static void problem(json_t *details, const char *field, const char *msg)
{
	json_array_append_new(details, json_pack("{s:s, s:s}", "field", field, "message", msg));
}

/* Checks the fields of an action; appends a {field, message} for each problem. */
static void check_fields(const struct action_fields *f, json_t *details)
{
	if (!status_known(f->status))
		problem(details, "status", "The status is one of proposed, planned, in_progress and delivered.");
	if (!util_utf8_valid(f->partner, strlen(f->partner)) || has_controls(f->partner, false))
		problem(details, "partner", "The partner or donor has characters that are not allowed.");
	else if (utf8_chars(f->partner) > ACTION_PARTNER_MAX)
		problem(details, "partner", "The partner or donor is longer than 200 characters.");
	if (!util_utf8_valid(f->note, strlen(f->note)) || has_controls(f->note, true))
		problem(details, "note", "The note has characters that are not allowed.");
	else if (utf8_chars(f->note) > ACTION_NOTE_MAX)
		problem(details, "note", "The note is longer than 2000 characters.");
	bool start_ok = !f->start || util_date_valid(f->start);
	bool end_ok = !f->end || util_date_valid(f->end);
	if (!start_ok)
		problem(details, "start", "The start date is not a date YYYY-MM-DD.");
	if (!end_ok)
		problem(details, "end", "The end date is not a date YYYY-MM-DD.");
	if (start_ok && end_ok && f->start && f->end && strcmp(f->end, f->start) < 0)
		problem(details, "end", "The end date is before the start date.");
}

/* The fields of a stored action (db_actions_list shape), borrowed from it. */
static struct action_fields stored_fields(const json_t *row)
{
	return (struct action_fields){
		.status = json_string_value(json_object_get(row, "status")),
		.partner = json_string_value(json_object_get(row, "partner")),
		.start = json_string_value(json_object_get(row, "start")),
		.end = json_string_value(json_object_get(row, "end")),
		.note = json_string_value(json_object_get(row, "note")),
	};
}

/* ---- the API ------------------------------------------------------------ */

/* A stored action (stolen) of an assessment whose guide is g, as the API gives
 * it: with the recommendation's title and area, whether it is still in the plan,
 * and null for no partner or note. */
static json_t *action_out(struct req *r, const struct guide *g, long long assessment_id, json_t *row)
{
	const char *rec = json_string_value(json_object_get(row, "rec"));
	const struct guide_rec *gr = guide_rec(g, rec);
	json_object_set_new(row, "title", json_string(gr ? en(gr->json, "title") : rec));
	json_object_set_new(row, "area", gr ? json_string(g->areas[gr->area].id) : json_null());
	json_object_set_new(row, "in_plan", json_boolean(db_plan_has(r->db, assessment_id, rec) == 1));
	static const char *const optional[] = {"partner", "note"};
	for (size_t i = 0; i < ARRAY_SIZE(optional); i++)
		if (!*json_string_value(json_object_get(row, optional[i])))
			json_object_set_new(row, optional[i], json_null());
	return row;
}

/* Reads the fields present in a JSON body over *f (strings borrowed from body).
 * rec_ok: "rec" may appear (POST; PUT when it repeats the path). */
static void fields_from_json(const json_t *body, const char *path_rec, struct action_fields *f, json_t *details)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)body, key, v) {
		if (strcmp(key, "rec") == 0) {
			if (path_rec && (!json_is_string(v) || strcmp(json_string_value(v), path_rec) != 0))
				problem(details, "rec", "rec, when given, must be the recommendation of the path");
		} else if (strcmp(key, "status") == 0) {
			if (json_is_string(v))
				f->status = json_string_value(v);
			else
				problem(details, "status", "status must be a string");
		} else if (strcmp(key, "partner") == 0 || strcmp(key, "note") == 0) {
			const char **dst = key[0] == 'p' ? &f->partner : &f->note;
			if (json_is_null(v))
				*dst = "";
			else if (json_is_string(v) && strlen(json_string_value(v)) == json_string_length(v))
				*dst = json_string_value(v);
			else
				problem(details, key, "must be a string or null");
		} else if (strcmp(key, "start") == 0 || strcmp(key, "end") == 0) {
			const char **dst = key[0] == 's' ? &f->start : &f->end;
			if (json_is_null(v))
				*dst = NULL;
			else if (json_is_string(v))
				*dst = json_string_value(v);
			else
				problem(details, key, "must be a date \"YYYY-MM-DD\" or null");
		} else {
			problem(details, key, "unknown field (expected rec, status, partner, start, end, note)");
		}
	}
}

static int refuse(struct req *r, json_t *details)
{
	r->err_details = details;
	return req_error(r, 422, "invalid_action", "%s",
			 json_string_value(json_object_get(json_array_get(details, 0), "message")));
}

/* Stores f as the action of rec and answers with it (201 when new, else 200). */
static int store_and_answer(struct req *r, const struct assessment *a, const char *rec, const struct action_fields *f)
{
	bool created;
	if (db_action_put(r->db, a->id, rec, f, r->user ? r->user->id : 0, &created) != 0)
		return req_error(r, 503, "database_error", "the action could not be stored; nothing was changed");
	json_t *row;
	if (db_action_get(r->db, a->id, rec, &row) != 1)
		return req_error(r, 503, "database_error", "the action cannot be read");
	if (created) {
		char loc[160];
		snprintf(loc, sizeof(loc), "/api/v1/assessments/%lld/actions/%s", a->id, rec);
		req_add_header(r, "Location", loc);
	}
	return req_json(r, created ? 201 : 200, action_out(r, h_guide(r, a), a->id, row));
}

/* 0 when rec may get a new action in a (it is in the plan), else the status answered. */
static int check_in_plan(struct req *r, const struct assessment *a, const char *rec)
{
	int in = db_plan_has(r->db, a->id, rec);
	if (in < 0)
		return req_error(r, 503, "database_error", "the plan cannot be read");
	if (!in) {
		r->err_details = json_pack("[{s:s, s:s}]", "field", "rec", "message", "not in the plan");
		return req_error(r, 422, "not_in_plan", "%s is not in the assistance plan of this assessment", rec);
	}
	return 0;
}

int h_api_actions_list(struct req *r)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	json_t *rows = db_actions_list(r->db, a.id);
	if (!rows)
		return req_error(r, 503, "database_error", "the actions cannot be read");
	const struct guide *g = h_guide(r, &a);
	json_t *list = json_array();
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
		json_array_append_new(list, action_out(r, g, a.id, json_incref(row)));
	json_decref(rows);
	json_t *help = NULL;
	if (h_actions_help_api(r, &a, &help) != 0) {
		json_decref(list);
		return req_error(r, 503, "database_error", "the previous round cannot be read");
	}
	return req_json(r, 200, json_pack("{s:o, s:o}", "actions", list, "delivered_help", help ? help : json_null()));
}

int h_api_action_create(struct req *r)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	if (!json_is_object(r->json))
		return req_error(r, 422, "invalid_action", "the body must be a JSON object");
	const char *rec = json_string_value(json_object_get(r->json, "rec"));
	json_t *details = json_array();
	struct action_fields f = {.status = "proposed", .partner = "", .note = ""};
	fields_from_json(r->json, NULL, &f, details);
	if (!rec)
		problem(details, "rec", "rec must be the id of a recommendation of the plan");
	else if (!guide_rec(h_guide(r, &a), rec))
		problem(details, "rec", "unknown recommendation");
	check_fields(&f, details); /* fields refused above kept their defaults */
	if (json_array_size(details))
		return refuse(r, details);
	json_decref(details);
	json_t *existing;
	int found = db_action_get(r->db, a.id, rec, &existing);
	if (found < 0)
		return req_error(r, 503, "database_error", "the actions cannot be read");
	if (found) {
		r->err_details = json_pack("[{s:s, s:I}]", "field", "rec", "existing_id",
					   json_integer_value(json_object_get(existing, "id")));
		json_decref(existing);
		return req_error(r, 409, "action_exists",
				 "%s already has an action in this assessment; change it with PUT or PATCH", rec);
	}
	st = check_in_plan(r, &a, rec);
	return st ? st : store_and_answer(r, &a, rec, &f);
}

/* PUT (replace: fields left out take their defaults) and PATCH (change the fields
 * given) of /api/v1/assessments/{id}/actions/{rec}. */
static int api_action_write(struct req *r, bool patch)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	const char *rec = req_param(r, 1);
	if (!guide_rec(h_guide(r, &a), rec))
		return req_error(r, 404, "not_found", "There is no recommendation \"%.64s\".", rec);
	if (!json_is_object(r->json))
		return req_error(r, 422, "invalid_action", "the body must be a JSON object");
	json_t *existing;
	int found = db_action_get(r->db, a.id, rec, &existing);
	if (found < 0)
		return req_error(r, 503, "database_error", "the actions cannot be read");
	if (patch && !found)
		return req_error(r, 404, "not_found", "There is no action for %s in this assessment; create it first.", rec);
	struct action_fields f = {.status = "proposed", .partner = "", .note = ""};
	if (patch)
		f = stored_fields(existing);
	json_t *details = json_array();
	fields_from_json(r->json, rec, &f, details);
	check_fields(&f, details);
	if (json_array_size(details)) {
		json_decref(existing);
		return refuse(r, details);
	}
	json_decref(details);
	st = found ? 0 : check_in_plan(r, &a, rec);
	if (!st)
		st = store_and_answer(r, &a, rec, &f);
	json_decref(existing); /* f borrowed from it until stored */
	return st;
}

int h_api_action_put(struct req *r)
{
	return api_action_write(r, false);
}

int h_api_action_patch(struct req *r)
{
	return api_action_write(r, true);
}

/* ---- the form on the results page ---------------------------------------- */

int h_action_save(struct req *r)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	const char *rec = req_form(r, "rec");
	const char *start = req_form(r, "start"), *end = req_form(r, "end");
	struct action_fields f = {
		.status = req_form(r, "status"),
		.partner = req_form(r, "partner") ? req_form(r, "partner") : "",
		.start = start && *start ? start : NULL,
		.end = end && *end ? end : NULL,
		.note = req_form(r, "note") ? req_form(r, "note") : "",
	};
	if (!rec || !guide_rec(h_guide(r, &a), rec))
		return req_error(r, 422, "invalid_action", "The form names no recommendation of the guide; reload the page.");
	json_t *details = json_array();
	check_fields(&f, details);
	json_t *existing = NULL;
	int found = db_action_get(r->db, a.id, rec, &existing);
	json_decref(existing);
	if (found < 0) {
		json_decref(details);
		return req_error(r, 503, "database_error", "the actions cannot be read");
	}
	if (!found && !json_array_size(details)) {
		int in = db_plan_has(r->db, a.id, rec);
		if (in < 0) {
			json_decref(details);
			return req_error(r, 503, "database_error", "the plan cannot be read");
		}
		if (!in)
			problem(details, "rec", "This recommendation is no longer in the plan; reload the page.");
	}
	if (json_array_size(details)) {
		json_t *draft = json_pack("{s:s, s:s, s:s, s:s, s:s}", "status", f.status ? f.status : "", "partner",
					  f.partner, "start", start ? start : "", "end", end ? end : "", "note", f.note);
		return h_results_page(r, 422, &a, rec, details, draft);
	}
	json_decref(details);
	bool created;
	if (db_action_put(r->db, a.id, rec, &f, r->user ? r->user->id : 0, &created) != 0)
		return req_error(r, 503, "database_error", "the action could not be stored; nothing was changed");
	return req_redirect(r, "/assessments/%lld/results?action_saved=%s#rec-%s", a.id, rec, rec);
}

/* ---- the results page ----------------------------------------------------- */

/* "2026-03-01 – 2026-06-30", "from 2026-03-01", "until ...", "" */
static void dates_text(struct req *r, const char *start, const char *end, char *buf, size_t n)
{
	if (start && end)
		snprintf(buf, n, "%s \u2013 %s", start, end);
	else if (start)
		snprintf(buf, n, "%s %s", app_msg(r->app, "action.from"), start);
	else if (end)
		snprintf(buf, n, "%s %s", app_msg(r->app, "action.until"), end);
	else
		buf[0] = '\0';
}

/* A stored action (borrowed) of an assessment whose guide is g, for pages: {rec,
 * title, area_title, status, status_label, partner, dates, note, updated}. */
static json_t *action_page(struct req *r, const struct guide *g, const json_t *row)
{
	const char *rec = json_string_value(json_object_get(row, "rec"));
	const char *status = json_string_value(json_object_get(row, "status"));
	const struct guide_rec *gr = guide_rec(g, rec);
	char key[48], dates[64], when[32], updated[160];
	snprintf(key, sizeof(key), "action.status.%s", status);
	dates_text(r, json_string_value(json_object_get(row, "start")), json_string_value(json_object_get(row, "end")),
		   dates, sizeof(dates));
	h_when_text(json_string_value(json_object_get(row, "updated_at")), when);
	snprintf(updated, sizeof(updated), "%s, %s", h_user_name(json_object_get(row, "updated_by")), when);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:O, s:s, s:O, s:s}", "rec", rec, "title",
			 gr ? en(gr->json, "title") : rec, "area_title", gr ? en(g->areas[gr->area].json, "title") : "",
			 "status", status, "status_label", app_msg(r->app, key), "partner", json_object_get(row, "partner"),
			 "dates", dates, "note", json_object_get(row, "note"), "updated", updated);
}

/* The form of one plan item: the values (stored, or as posted when draft) and
 * the status options. */
static json_t *action_form(struct req *r, const char *rec, const json_t *values, const json_t *errors)
{
	const char *status = json_string_value(json_object_get(values, "status"));
	if (!status || !*status)
		status = "proposed";
	json_t *opts = json_array();
	for (size_t i = 0; i < ARRAY_SIZE(db_action_statuses); i++) {
		char key[48];
		snprintf(key, sizeof(key), "action.status.%s", db_action_statuses[i]);
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "id", db_action_statuses[i], "label",
						      app_msg(r->app, key), "selected",
						      strcmp(status, db_action_statuses[i]) == 0));
	}
	const char *keys[] = {"partner", "start", "end", "note"};
	json_t *form = json_pack("{s:s, s:o}", "rec", rec, "statuses", opts);
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		const char *v = json_string_value(json_object_get(values, keys[i]));
		json_object_set_new(form, keys[i], json_string(v ? v : ""));
	}
	/* always present, so that the page's own error list is never looked up here */
	bool refused = errors && json_array_size(errors) > 0;
	json_object_set_new(form, "errors", refused ? json_incref((json_t *)errors) : json_array());
	json_object_set_new(form, "open", json_boolean(refused));
	return form;
}

int h_actions_results_view(struct req *r, const struct assessment *a, const struct guide *g, json_t *view,
			   const char *err_rec, json_t *errors, json_t *draft)
{
	json_t *rows = db_actions_list(r->db, a->id);
	if (!rows)
		return -1;
	bool can_act = r->user && router_allows("POST", "/assessments/:id/actions", r->user->role);
	json_t *plan = json_object_get(view, "plan");
	size_t i;
	json_t *item;
	json_array_foreach(plan, i, item) {
		const char *rec = json_string_value(json_object_get(item, "id"));
		const json_t *stored = NULL;
		size_t k;
		json_t *row;
		json_array_foreach(rows, k, row)
			if (strcmp(json_string_value(json_object_get(row, "rec")), rec) == 0)
				stored = row;
		if (stored)
			json_object_set_new(item, "action", action_page(r, g, stored));
		if (can_act) {
			bool this_one = err_rec && strcmp(err_rec, rec) == 0;
			json_object_set_new(item, "action_form",
					    action_form(r, rec, this_one && draft ? draft : stored, this_one ? errors : NULL));
		}
	}
	json_t *all = json_array();
	json_array_foreach(rows, i, item) {
		json_t *v = action_page(r, g, item);
		const char *rec = json_string_value(json_object_get(item, "rec"));
		bool in_plan = false;
		size_t k;
		json_t *p;
		json_array_foreach(plan, k, p)
			in_plan = in_plan || strcmp(json_string_value(json_object_get(p, "id")), rec) == 0;
		json_object_set_new(v, "in_plan", json_boolean(in_plan));
		json_array_append_new(all, v);
	}
	json_decref(rows);
	json_object_set_new(view, "has_actions", json_boolean(json_array_size(all) > 0));
	json_object_set_new(view, "actions", all);
	json_object_set_new(view, "can_act", json_boolean(can_act));
	return 0;
}

/* ---- the help delivered after the previous round --------------------------- */

json_t *h_actions_help(struct req *r, const struct guide *g, long long prev_id, const struct area_needs *then,
		       const struct area_needs *now)
{
	/* the actions belong to the previous round, whose guide may be an older one:
	 * its recommendations are found there, their areas matched by id */
	struct assessment prev;
	int found = db_assessment_get(r->db, prev_id, &prev);
	if (found < 0)
		return NULL;
	const struct guide *pg = found ? h_guide(r, &prev) : g;
	json_t *rows = db_actions_list(r->db, prev_id);
	if (!rows)
		return NULL;
	json_t *areas = json_array();
	for (int ai = 0; ai < GUIDE_N_AREAS; ai++) {
		json_t *acts = json_array();
		size_t i;
		json_t *row;
		json_array_foreach(rows, i, row) {
			const struct guide_rec *gr = guide_rec(pg, json_string_value(json_object_get(row, "rec")));
			if (gr && guide_area_index(g, pg->areas[gr->area].id) == ai &&
			    strcmp(json_string_value(json_object_get(row, "status")), "delivered") == 0)
				json_array_append_new(acts, action_out(r, pg, prev_id, json_incref(row)));
		}
		if (!json_array_size(acts)) {
			json_decref(acts);
			continue;
		}
		bool comparable = then->defined[ai] && now->defined[ai];
		int change = now->need[ai] - then->need[ai];
		json_array_append_new(
			areas, json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "id", g->areas[ai].id, "title",
					 en(g->areas[ai].json, "title"), "need_then",
					 then->defined[ai] ? json_integer(then->need[ai]) : json_null(), "need_now",
					 now->defined[ai] ? json_integer(now->need[ai]) : json_null(), "change",
					 comparable ? json_integer(change) : json_null(), "improved",
					 comparable ? json_boolean(change < 0) : json_null(), "actions", acts));
	}
	json_decref(rows);
	return areas;
}

static void needs_of(const struct stored_scores *s, struct area_needs *n)
{
	for (int ai = 0; ai < GUIDE_N_AREAS; ai++) {
		n->defined[ai] = s->areas[ai].defined;
		n->need[ai] = s->areas[ai].need;
	}
}

int h_actions_help_api(struct req *r, const struct assessment *a, json_t **out)
{
	*out = NULL;
	int prev_round = 0;
	long long prev_id = db_scores_previous(r->db, a->country, a->round, &prev_round);
	if (prev_id < 0)
		return -1;
	if (prev_id == 0)
		return 0;
	const struct guide *g = h_guide(r, a);
	struct stored_scores then_s, now_s;
	int f1 = db_scores_get(r->db, g, prev_id, &then_s);
	int f2 = db_scores_get(r->db, g, a->id, &now_s);
	if (f1 < 0 || f2 < 0)
		return -1;
	struct area_needs then = {0}, now = {0};
	if (f1)
		needs_of(&then_s, &then);
	if (f2)
		needs_of(&now_s, &now);
	json_t *areas = h_actions_help(r, g, prev_id, &then, &now);
	if (!areas)
		return -1;
	*out = json_pack("{s:I, s:i, s:o}", "previous_id", (json_int_t)prev_id, "previous_round", prev_round, "areas",
			 areas);
	return 0;
}
