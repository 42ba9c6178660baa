/* h_api.c - the JSON API, version 1 (CONTRACT.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "db.h"
#include "db_scores.h"
#include "handlers.h"
#include "http.h"
#include "util.h"

#define COMMENT_MAX 5000
#define MAX_ANSWERS_PER_PUT 2000

/* The current guide, or with ?version=X the guide of that version (an archived
 * one, on which older assessments were started): 404 when none is loaded. */
int h_api_guide(struct req *r)
{
	const char *version = req_query(r, "version");
	const struct guide *g = version && *version ? app_guide(r->app, version) : r->app->guide;
	if (!g)
		return req_error(r, 404, "not_found", "There is no guide version \"%.40s\".", version);
	const struct app_guide *e = app_guide_entry(r->app, g);
	return req_raw(r, 200, "application/json; charset=utf-8", e->api, e->api_len, true);
}

int h_api_countries(struct req *r)
{
	return req_json(r, 200, json_pack("{s:O}", "countries", r->app->countries));
}

int h_api_assessment_list(struct req *r)
{
	const char *country = req_query(r, "country");
	const char *status = req_query(r, "status");
	const char *round_s = req_query(r, "round");
	int round = 0;
	if (round_s && *round_s) {
		char *end;
		long v = strtol(round_s, &end, 10);
		if (*end || v < 2000 || v > 2100)
			return req_error(r, 400, "bad_query", "round must be a year between 2000 and 2100");
		round = (int)v;
	}
	if (country && !*country)
		country = NULL;
	if (status && !*status)
		status = NULL;
	/* officials and observers see only their own country */
	const char *scope = h_scope_country(r);
	if (scope) {
		if (country && strcmp(country, scope) != 0)
			return req_json(r, 200, json_pack("{s:[]}", "assessments"));
		country = scope;
	}
	json_t *list = db_assessment_list(r->db, country, status, round);
	if (!list)
		return req_error(r, 503, "database_error", "the assessments cannot be read");
	return req_json(r, 200, json_pack("{s:o}", "assessments", list));
}

static int respond_assessment(struct req *r, int status, const struct assessment *a)
{
	json_t *answers = db_answers_get(r->db, a->id);
	if (!answers)
		return req_error(r, 503, "database_error", "the answers cannot be read");
	json_t *j = db_assessment_json(a);
	json_object_set_new(j, "answers", answers);
	return req_json(r, status, j);
}

int h_api_assessment_create(struct req *r)
{
	json_t *country = json_object_get(r->json, "country");
	json_t *round = json_object_get(r->json, "round");
	if (!json_is_object(r->json))
		return req_error(r, 422, "invalid_assessment", "the body must be a JSON object");
	if (!json_is_string(country) || !json_is_integer(round)) {
		r->err_details = json_array();
		if (!json_is_string(country))
			json_array_append_new(r->err_details, json_pack("{s:s, s:s}", "field", "country", "message",
									"country must be a string (ISO 3166 alpha-3)"));
		if (!json_is_integer(round))
			json_array_append_new(r->err_details, json_pack("{s:s, s:s}", "field", "round", "message",
									"round must be an integer year"));
		return req_error(r, 422, "invalid_assessment", "country must be a string and round an integer");
	}
	json_t *from_previous = json_object_get(r->json, "from_previous");
	if (from_previous && !json_is_boolean(from_previous)) {
		r->err_details = json_pack("[{s:s, s:s}]", "field", "from_previous", "message",
					   "from_previous must be true or false");
		return req_error(r, 422, "invalid_assessment", "from_previous must be true or false");
	}
	struct carried carried;
	long long id = h_create_assessment(r, json_string_value(country), json_integer_value(round),
					   json_is_true(from_previous), &carried);
	if (id <= 0)
		return r->status;
	struct assessment a;
	if (db_assessment_get(r->db, id, &a) != 1)
		return req_error(r, 503, "database_error", "the new assessment cannot be read");
	char loc[64];
	snprintf(loc, sizeof(loc), "/api/v1/assessments/%lld", id);
	req_add_header(r, "Location", loc);
	json_t *answers = db_answers_get(r->db, a.id);
	if (!answers)
		return req_error(r, 503, "database_error", "the answers cannot be read");
	json_t *j = db_assessment_json(&a);
	json_object_set_new(j, "answers", answers);
	json_object_set_new(j, "started_from",
			    carried.from_id ? json_pack("{s:I, s:i, s:i}", "id", (json_int_t)carried.from_id, "round",
							carried.from_round, "answers_carried_over", carried.answers)
					    : json_null());
	return req_json(r, 201, j);
}

int h_api_assessment_get(struct req *r)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	return respond_assessment(r, 200, &a);
}

static void problem(json_t *details, const char *qid, const char *field, const char *msg)
{
	json_array_append_new(details, json_pack("{s:s, s:s, s:s}", "question", qid, "field", field, "message", msg));
}

int h_api_answers_put(struct req *r)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	if (!h_editable(&a))
		return req_error(r, 409, "not_editable", "the assessment is %s; answers can no longer be changed",
				 a.status);
	json_t *answers = json_object_get(r->json, "answers");
	if (!json_is_object(r->json) || !json_is_object(answers))
		return req_error(r, 422, "invalid_answers", "the body must be {\"answers\": {\"QID\": {\"value\": ...}}}");
	if (json_object_size(answers) > MAX_ANSWERS_PER_PUT)
		return req_error(r, 413, "too_many_answers", "at most %d answers per request", MAX_ANSWERS_PER_PUT);
	const struct guide *g = h_guide(r, &a);
	json_t *details = json_array();
	const char *qid;
	json_t *entry;
	json_object_foreach(answers, qid, entry) {
		const struct guide_question *q = guide_question(g, qid);
		if (!q) {
			char msg[120];
			snprintf(msg, sizeof(msg), "unknown question (not in guide version %s, which this assessment uses)",
				 g->version);
			problem(details, qid, "question", msg);
			continue;
		}
		if (!json_is_object(entry)) {
			problem(details, qid, "answer", "each answer must be an object with \"value\" and/or \"comment\"");
			continue;
		}
		const char *key;
		json_t *v;
		json_object_foreach(entry, key, v) {
			if (strcmp(key, "value") != 0 && strcmp(key, "comment") != 0)
				problem(details, qid, key, "unknown field (expected \"value\" or \"comment\")");
		}
		json_t *value = json_object_get(entry, "value");
		json_t *comment = json_object_get(entry, "comment");
		if (!value && !comment)
			problem(details, qid, "answer", "give a \"value\", a \"comment\" or both");
		if (comment && !json_is_string(comment))
			problem(details, qid, "comment", "the comment must be a string");
		else if (comment && (json_string_length(comment) > COMMENT_MAX ||
				     !util_utf8_valid(json_string_value(comment), json_string_length(comment))))
			problem(details, qid, "comment", "the comment is too long or has characters that are not allowed");
		char err[200];
		struct answer parsed;
		if (value && !json_is_null(value) && guide_parse_answer(q, value, &parsed, err, sizeof(err)) != 0)
			problem(details, qid, "value", err);
	}
	if (json_array_size(details)) {
		r->err_details = details;
		return req_error(r, 422, "invalid_answers", "%zu problem%s; nothing was stored", json_array_size(details),
				 json_array_size(details) == 1 ? "" : "s");
	}
	json_decref(details);
	json_t *stored = db_answers_get(r->db, a.id);
	if (!stored)
		return req_error(r, 503, "database_error", "the answers cannot be read");
	json_object_foreach(answers, qid, entry) {
		json_t *value = json_object_get(entry, "value");
		json_t *comment = json_object_get(entry, "comment");
		const json_t *old = json_object_get(stored, qid);
		const char *cm = comment ? json_string_value(comment)
					 : json_string_value(json_object_get(old, "comment"));
		if (!cm)
			cm = "";
		char *vj;
		if (value && !json_is_null(value))
			vj = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
		else if (!value && old && !json_is_null(json_object_get(old, "value")))
			vj = json_dumps(json_object_get(old, "value"), JSON_COMPACT | JSON_ENCODE_ANY);
		else
			vj = *cm ? xstrdup("null") : NULL;
		bool changed;
		int rc = db_answer_put(r->db, a.id, qid, vj, cm, r->user ? r->user->id : 0, &changed);
		free(vj);
		/* an answer carried over from the previous round and sent back as it is:
		 * the caller confirms it (a changed one lost its mark in db_answer_put) */
		if (rc == 0 && !changed && json_is_true(json_object_get(old, "carried_over")))
			rc = db_answer_confirm(r->db, a.id, qid, r->user ? r->user->id : 0) < 0 ? -1 : 0;
		if (rc != 0) {
			json_decref(stored);
			return req_error(r, 503, "database_error", "the answers could not be stored; nothing was changed");
		}
	}
	json_decref(stored);
	if (db_scores_refresh(r->db, g, a.id) != 0)
		return req_error(r, 503, "database_error", "the scores could not be updated; nothing was changed");
	if (db_assessment_get(r->db, a.id, &a) != 1)
		return req_error(r, 503, "database_error", "the assessment cannot be read");
	return respond_assessment(r, 200, &a);
}
