/* h_transitions.c - lifecycle moves of an assessment (draft -> submitted ->
 * returned -> submitted -> validated), from the API and from the overview page's
 * buttons. The rules are lifecycle.c's; this file checks them for the caller,
 * stores the new status and records the move in the audit trail. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "db.h"
#include "handlers.h"
#include "http.h"
#include "lifecycle.h"

static struct lc_actor actor(const struct req *r, const struct assessment *a)
{
	return (struct lc_actor){
		.role = r->user ? r->user->role : "",
		.focal_point = r->user && r->user->focal_point,
		.same_country = r->user && strcmp(r->user->country, a->country) == 0,
	};
}

/* Moves a (loaded and visible to the caller) to `to`. Returns 0, or the error
 * status it answered with. */
static int transition(struct req *r, struct assessment *a, const char *to)
{
	struct lc_actor who = actor(r, a);
	switch (lifecycle_check(a->status, to, &who)) {
	case LC_OK:
		break;
	case LC_UNKNOWN:
		return req_error(r, 422, "invalid_transition",
				 "\"to\" must be one of submitted, returned, validated");
	case LC_FORBIDDEN:
		if (strcmp(to, "submitted") == 0)
			return req_error(r, 403, "forbidden",
					 "Only the focal point of the country submits its assessment.");
		return req_error(r, 403, "forbidden", "Only a reviewer returns or validates an assessment.");
	case LC_CONFLICT:
		return req_error(r, 409, "transition_not_allowed", "An assessment that is %s cannot become %s.",
				 a->status, to);
	}
	char old[sizeof(a->status)];
	snprintf(old, sizeof(old), "%s", a->status);
	if (db_assessment_set_status(r->db, a->id, to) != 0 ||
	    db_audit_add(r->db, a->id, r->user->id, "status", NULL, old, to) != 0)
		return req_error(r, 503, "database_error", "the status could not be changed");
	if (db_assessment_get(r->db, a->id, a) != 1)
		return req_error(r, 503, "database_error", "the assessment cannot be read");
	return 0;
}

int h_api_transition(struct req *r)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	const char *to = json_string_value(json_object_get(r->json, "to"));
	if (!json_is_object(r->json) || !to)
		return req_error(r, 422, "invalid_transition", "the body must be {\"to\": \"STATUS\"}");
	st = transition(r, &a, to);
	if (st)
		return st;
	return req_json(r, 200, db_assessment_json(&a));
}

int h_transition(struct req *r)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	const char *to = req_form(r, "to");
	st = transition(r, &a, to ? to : "");
	if (st)
		return st;
	return req_redirect(r, "/assessments/%lld?moved=%s", a.id, a.status);
}

json_t *h_transitions_view(struct req *r, const struct assessment *a)
{
	struct lc_actor who = actor(r, a);
	const char *to[4];
	size_t n = lifecycle_moves(a->status, &who, to, 4);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		char key[48];
		snprintf(key, sizeof(key), "lifecycle.to_%s", to[i]);
		char hint[48];
		snprintf(hint, sizeof(hint), "lifecycle.hint_%s", to[i]);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b}", "to", to[i], "label", app_msg(r->app, key),
						     "hint", app_msg(r->app, hint), "secondary",
						     strcmp(to[i], "returned") == 0));
	}
	return arr;
}
