/* h_common.c - what several handlers need: loading an assessment the caller may
 * see, parsing stored answers, creating an assessment from user input. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "carry.h"
#include "db.h"
#include "db_scores.h"
#include "handlers.h"
#include "http.h"
#include "router.h"

int h_load_assessment(struct req *r, struct assessment *a)
{
	long long id = req_param_id(r, 0);
	int rc = id > 0 ? db_assessment_get(r->db, id, a) : 0;
	if (rc < 0)
		return req_error(r, 503, "database_error", "the assessment cannot be read");
	/* an official or observer reaches only the own country; others do not exist */
	const char *scope = h_scope_country(r);
	if (rc == 0 || (scope && strcmp(scope, a->country) != 0))
		return req_error(r, 404, "not_found", "There is no assessment %s.", req_param(r, 0));
	return 0;
}

const char *h_scope_country(const struct req *r)
{
	if (!r->user)
		return ""; /* nobody signed in: no country at all */
	if (strcmp(r->user->role, "official") == 0 || strcmp(r->user->role, "observer") == 0)
		return r->user->country; /* never "" for these roles (users table CHECK) */
	return NULL;
}

_Static_assert(sizeof(((struct assessment *)0)->guide_version) > GUIDE_VERSION_MAX,
	       "an assessment keeps the whole version of its guide");

const struct guide *h_guide(struct req *r, const struct assessment *a)
{
	return app_guide_or_current(r->app, a->guide_version, a->id);
}

bool h_editable(const struct assessment *a)
{
	return strcmp(a->status, "draft") == 0 || strcmp(a->status, "returned") == 0;
}

void h_answers_parse(const struct guide *g, const json_t *stored, struct answer *answers)
{
	memset(answers, 0, g->n_questions * sizeof(*answers));
	const char *qid;
	json_t *v;
	json_object_foreach((json_t *)stored, qid, v) {
		const struct guide_question *q = guide_question(g, qid);
		if (!q)
			continue;
		char err[160];
		if (guide_parse_answer(q, json_object_get(v, "value"), &answers[q->index], err, sizeof(err)) != 0)
			answers[q->index].kind = ANS_NONE;
	}
}

json_t *h_assessment_view(struct req *r, const struct assessment *a)
{
	json_t *j = db_assessment_json(a);
	char key[32];
	snprintf(key, sizeof(key), "status.%s", a->status);
	json_object_set_new(j, "status_label", json_string(app_msg(r->app, key)));
	json_object_set_new(j, "country_name", json_string(h_country_name(r, a->country)));
	/* editable: the status allows changes and the caller's role makes them */
	json_object_set_new(j, "status_editable", json_boolean(h_editable(a)));
	json_object_set_new(j, "editable", json_boolean(h_editable(a) && r->user &&
							router_allows("POST", "/assessments/:id/areas/:area",
								      r->user->role)));
	return j;
}

const char *h_country_name(struct req *r, const char *iso3)
{
	const char *n = json_string_value(json_object_get(json_object_get(r->app->country_by_iso3, iso3), "name"));
	return n ? n : iso3;
}

long long h_create_assessment(struct req *r, const char *country, json_int_t round, bool from_previous,
			      struct carried *carried)
{
	if (carried)
		memset(carried, 0, sizeof(*carried));
	json_t *details = json_array();
	char code[4] = "";
	if (!country || strlen(country) != 3) {
		json_array_append_new(details, json_pack("{s:s, s:s}", "field", "country", "message",
							 "give the country as an ISO 3166 alpha-3 code"));
	} else {
		for (int i = 0; i < 3; i++)
			code[i] = (char)(country[i] >= 'a' && country[i] <= 'z' ? country[i] - 32 : country[i]);
		code[3] = '\0';
		if (!json_object_get(r->app->country_by_iso3, code))
			json_array_append_new(details, json_pack("{s:s, s:s}", "field", "country", "message",
								 "unknown country code"));
		else if (h_scope_country(r) && strcmp(h_scope_country(r), code) != 0)
			json_array_append_new(details, json_pack("{s:s, s:s}", "field", "country", "message",
								 "you may only start an assessment of your own country"));
	}
	if (round < 2000 || round > 2100)
		json_array_append_new(details, json_pack("{s:s, s:s}", "field", "round", "message",
							 "the round is a year between 2000 and 2100"));
	if (json_array_size(details)) {
		r->err_details = details;
		req_error(r, 422, "invalid_assessment", "%s",
			  json_string_value(json_object_get(json_array_get(details, 0), "message")));
		return 0;
	}
	json_decref(details);
	/* the round to start from: the latest earlier round of the country */
	long long from_id = 0;
	int from_round = 0;
	if (from_previous) {
		from_id = db_scores_previous(r->db, code, (int)round, &from_round);
		if (from_id < 0) {
			req_error(r, 503, "database_error", "the previous round cannot be read");
			return 0;
		}
		if (from_id == 0) {
			r->err_details = json_pack("[{s:s, s:s}]", "field", "from_previous", "message",
						   "there is no earlier round to start from");
			req_error(r, 422, "no_previous_round",
				  "%s has no assessment before round %d to start from; start this round empty", code,
				  (int)round);
			return 0;
		}
	}
	long long existing = 0;
	long long id = db_assessment_create(r->db, code, (int)round, r->app->guide->version,
					    r->user ? r->user->id : 0, &existing);
	if (id < 0) {
		req_error(r, 503, "database_error", "the assessment cannot be created");
		return 0;
	}
	if (id == 0) {
		r->err_details = json_pack("[{s:s, s:I}]", "field", "round", "existing_id", (json_int_t)existing);
		req_error(r, 409, "assessment_exists", "%s already has an assessment for round %d (id %lld)", code,
			  (int)round, existing);
		return 0;
	}
	/* a new assessment starts on the current guide; what is carried over from a
	 * round made on an older one is what the current guide still asks and accepts */
	if (from_id > 0) {
		int n = carry_over(r->db, r->app->guide, from_id, from_round, id, r->user ? r->user->id : 0);
		if (n < 0) {
			req_error(r, 503, "database_error", "the answers of round %d cannot be carried over", from_round);
			return 0;
		}
		if (carried)
			*carried = (struct carried){.from_id = from_id, .from_round = from_round, .answers = n};
	}
	if (db_scores_refresh(r->db, r->app->guide, id) != 0) {
		req_error(r, 503, "database_error", "the assessment cannot be created");
		return 0;
	}
	return id;
}

int h_query_question(struct req *r, const struct assessment *a, const char **qid)
{
	const char *q = req_query(r, "question");
	*qid = q && *q ? q : NULL;
	if (*qid && !guide_question(h_guide(r, a), *qid))
		return req_error(r, 400, "bad_query", "unknown question \"%.64s\"", *qid);
	return 0;
}
