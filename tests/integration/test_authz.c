/* test_authz.c - the authorization matrix: every route of the route table, called
 * by every kind of caller, against a real server.
 *
 * The test iterates router_routes itself, so a route added to the table without a
 * sample here fails the test: no route escapes the matrix. Each sample gives a
 * path (placeholders name fixtures), a body, and the status each caller must get:
 *
 *   NONE      nobody signed in
 *   ADMIN     administrator
 *   REVIEWER  UNODC reviewer
 *   OFFICIAL  official of KEN (not the focal point)
 *   FOCAL     official of KEN, focal point
 *   OTHER     official of GHA, focal point (another country)
 *   OBSERVER  observer of KEN
 *
 * Fixtures, reset before every request: assessments of KEN in each status
 * ({draft} {submitted} {returned} {validated}), a draft of GHA ({other}), an
 * account "target" ({user}), an open review comment on the submitted one
 * ({comment}) and a file the focal point attached to the draft ({evidence}). The matrix runs twice: with session cookies (pages
 * and API; CSRF tokens sent) and with API tokens (which the API accepts and pages
 * do not). A refused request must leave no audit record; an accepted change on
 * an audited route must leave one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "router.h"
#include "testsrv.h"

enum caller { NONE, ADMIN, REVIEWER, OFFICIAL, FOCAL, OTHER, OBSERVER, N_CALLERS };

static const char *const caller_names[N_CALLERS] = {"nobody", "admin", "reviewer", "official", "focal point",
						    "official of another country", "observer"};

static const struct {
	const char *username, *role, *country;
	bool focal;
} accounts[N_CALLERS] = {
	[ADMIN] = {"m-admin", "admin", NULL, false},
	[REVIEWER] = {"m-reviewer", "reviewer", NULL, false},
	[OFFICIAL] = {"m-official", "official", "KEN", false},
	[FOCAL] = {"m-focal", "official", "KEN", true},
	[OTHER] = {"m-other", "official", "GHA", true},
	[OBSERVER] = {"m-observer", "observer", "KEN", false},
};

/* Statuses every signed-in caller gets. */
#define ALL(s) {s, s, s, s, s, s, s}
#define SIGNED_IN(none, s) {none, s, s, s, s, s, s}
#define PAGE 303 /* nobody on a page: to the login form */
#define API 401  /* nobody on the API */

struct sample {
	const char *method, *pattern; /* the route */
	const char *path;             /* {draft} {submitted} {returned} {validated} {other} {user} */
	const char *body;             /* form or JSON; {self} {password} are the caller's */
	int expect[N_CALLERS];
	bool audited;                 /* an accepted request records a change */
	const char *setup;            /* SQL run after the reset, or NULL */
	const char *location;         /* a redirect's expected start for signed-in callers */
};

/* the table leaves audited, setup and location out where they do not apply */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define FORM_PW "username={self}&password={password}"
#define JSON_PW "{\"username\":\"{self}\",\"password\":\"{password}\"}"
#define ANSWER "{\"answers\":{\"prev.campaigns\":{\"value\":\"some\"}}}"
#define COMMENT_FORM "question=prev.campaigns&body=Please+give+the+figures"
#define COMMENT_JSON "{\"question\":\"prev.campaigns\",\"body\":\"Please give the figures\"}"
#define UPLOAD "multipart"  /* a PDF attached to prev.campaigns, sent as multipart/form-data */
#define PDF "%PDF-1.4\n% a law\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
/* assistance actions: a recommendation in the plan of a fixture (KEN round y), and
 * an action of it */
#define PLAN_ITEM(y) "INSERT OR IGNORE INTO assessment_plan_items(assessment_id, rec_id, area, position, n_triggers," \
	" triggered_by) SELECT id, 'rec.awareness', 'prevention', 0, 1, '[\"prev.campaigns\"]' FROM assessments"  \
	" WHERE country = 'KEN' AND round = " #y
#define ACTION(y) "INSERT INTO actions(assessment_id, rec_id, status, created_at, updated_at) SELECT id," \
	" 'rec.awareness', 'planned', 0, 0 FROM assessments WHERE country = 'KEN' AND round = " #y
#define ACTION_JSON "{\"rec\":\"rec.awareness\",\"status\":\"planned\",\"partner\":\"A partner\"}"

static const struct sample samples[] = {
	/* public */
	{"GET", "/healthz", "/healthz", NULL, ALL(200)},
	{"GET", "/static/*", "/static/css/site.css", NULL, ALL(200)},
	{"GET", "/login", "/login", NULL, ALL(200)},
	{"POST", "/login", "/login", FORM_PW, ALL(303)},
	{"POST", "/api/v1/tokens", "/api/v1/tokens", JSON_PW, ALL(201)},

	/* the caller's own account */
	{"POST", "/logout", "/logout", "", ALL(303), .location = "/login"},
	{"GET", "/account/password", "/account/password", NULL, SIGNED_IN(PAGE, 200)},
	{"POST", "/account/password", "/account/password",
	 "current_password=not-the-password&new_password=another-long-password&confirm_password=another-long-password",
	 SIGNED_IN(PAGE, 422)},

	/* pages */
	{"GET", "/", "/", NULL, ALL(303)},
	{"GET", "/assessments", "/assessments", NULL, SIGNED_IN(PAGE, 200)},
	{"POST", "/assessments", "/assessments", "country=KEN&round=2030", {PAGE, 303, 303, 303, 303, 422, 403}, true},
	{"GET", "/assessments/:id", "/assessments/{draft}", NULL, {PAGE, 200, 200, 200, 200, 404, 200}},
	{"GET", "/assessments/:id", "/assessments/{other}", NULL, {PAGE, 200, 200, 404, 404, 200, 404}},
	{"GET", "/assessments/:id/areas/:area", "/assessments/{draft}/areas/prevention", NULL,
	 {PAGE, 200, 200, 200, 200, 404, 200}},
	{"GET", "/assessments/:id/areas/:area", "/assessments/{other}/areas/prevention", NULL,
	 {PAGE, 200, 200, 404, 404, 200, 404}},
	{"POST", "/assessments/:id/areas/:area", "/assessments/{draft}/areas/prevention", "q.prev.campaigns=some",
	 {PAGE, 303, 403, 303, 303, 404, 403}, true},
	{"POST", "/assessments/:id/areas/:area", "/assessments/{returned}/areas/prevention", "q.prev.campaigns=some",
	 {PAGE, 303, 403, 303, 303, 404, 403}, true},
	{"POST", "/assessments/:id/areas/:area", "/assessments/{submitted}/areas/prevention", "q.prev.campaigns=some",
	 {PAGE, 409, 403, 409, 409, 404, 403}},
	{"POST", "/assessments/:id/areas/:area", "/assessments/{validated}/areas/prevention", "q.prev.campaigns=some",
	 {PAGE, 409, 403, 409, 409, 404, 403}},
	{"POST", "/assessments/:id/areas/:area", "/assessments/{other}/areas/prevention", "q.prev.campaigns=some",
	 {PAGE, 303, 403, 404, 404, 303, 403}, true},
	{"POST", "/assessments/:id/transitions", "/assessments/{draft}/transitions", "to=submitted",
	 {PAGE, 403, 403, 403, 303, 404, 403}, true},
	{"POST", "/assessments/:id/transitions", "/assessments/{returned}/transitions", "to=submitted",
	 {PAGE, 403, 403, 403, 303, 404, 403}, true},
	{"POST", "/assessments/:id/transitions", "/assessments/{submitted}/transitions", "to=submitted",
	 {PAGE, 403, 403, 403, 409, 404, 403}},
	{"POST", "/assessments/:id/transitions", "/assessments/{submitted}/transitions", "to=returned",
	 {PAGE, 303, 303, 403, 403, 404, 403}, true},
	{"POST", "/assessments/:id/transitions", "/assessments/{submitted}/transitions", "to=validated",
	 {PAGE, 303, 303, 403, 403, 404, 403}, true},
	{"POST", "/assessments/:id/transitions", "/assessments/{draft}/transitions", "to=validated",
	 {PAGE, 409, 409, 403, 403, 404, 403}},
	{"POST", "/assessments/:id/transitions", "/assessments/{validated}/transitions", "to=returned",
	 {PAGE, 409, 409, 403, 403, 404, 403}},
	{"POST", "/assessments/:id/transitions", "/assessments/{draft}/transitions", "to=draft",
	 {PAGE, 409, 409, 409, 409, 404, 403}},
	{"POST", "/assessments/:id/transitions", "/assessments/{other}/transitions", "to=submitted",
	 {PAGE, 403, 403, 404, 404, 303, 403}, true},
	{"GET", "/assessments/:id/results", "/assessments/{draft}/results", NULL, {PAGE, 200, 200, 200, 200, 404, 200}},
	/* the printable report and the blank questionnaire: whoever may see the assessment */
	{"GET", "/assessments/:id/report", "/assessments/{draft}/report", NULL, {PAGE, 200, 200, 200, 200, 404, 200}},
	{"GET", "/assessments/:id/report", "/assessments/{other}/report", NULL, {PAGE, 200, 200, 404, 404, 200, 404}},
	{"GET", "/guide/print", "/guide/print", NULL, SIGNED_IN(PAGE, 200)},
	/* review comments: reviewers comment while the review is open; officials of the
	 * country reply where a reviewer has asked something */
	{"POST", "/assessments/:id/comments", "/assessments/{submitted}/comments", COMMENT_FORM,
	 {PAGE, 303, 303, 303, 303, 404, 403}, true},
	{"POST", "/assessments/:id/comments", "/assessments/{draft}/comments", COMMENT_FORM,
	 {PAGE, 303, 303, 409, 409, 404, 403}, true},
	{"POST", "/assessments/:id/comments", "/assessments/{validated}/comments", COMMENT_FORM,
	 {PAGE, 409, 409, 409, 409, 404, 403}},
	{"POST", "/assessments/:id/comments/:cid/resolve", "/assessments/{submitted}/comments/{comment}/resolve", "",
	 {PAGE, 303, 303, 403, 403, 403, 403}, true},
	/* evidence: officials of the country (and admins) attach while answers may change */
	{"POST", "/assessments/:id/evidence", "/assessments/{draft}/evidence", UPLOAD,
	 {PAGE, 303, 403, 303, 303, 404, 403}, true},
	{"POST", "/assessments/:id/evidence", "/assessments/{submitted}/evidence", UPLOAD,
	 {PAGE, 409, 403, 409, 409, 404, 403}},
	{"GET", "/assessments/:id/evidence/:eid", "/assessments/{draft}/evidence/{evidence}", NULL,
	 {PAGE, 200, 200, 200, 200, 404, 200}},
	{"POST", "/assessments/:id/evidence/:eid/delete", "/assessments/{draft}/evidence/{evidence}/delete", "",
	 {PAGE, 303, 403, 403, 303, 404, 403}, true},
	/* assistance actions: reviewers (and administrators) record them, in any status */
	{"POST", "/assessments/:id/actions", "/assessments/{draft}/actions", "rec=rec.awareness&status=planned",
	 {PAGE, 303, 303, 403, 403, 403, 403}, true, PLAN_ITEM(2024)},
	{"POST", "/assessments/:id/actions", "/assessments/{validated}/actions", "rec=rec.awareness&status=delivered",
	 {PAGE, 303, 303, 403, 403, 403, 403}, true, PLAN_ITEM(2021)},
	{"POST", "/assessments/:id/actions", "/assessments/{draft}/actions", "rec=rec.awareness&status=planned",
	 {PAGE, 422, 422, 403, 403, 403, 403}, false, "DELETE FROM assessment_plan_items"}, /* not in the plan */
	{"GET", "/assessments/:id/history", "/assessments/{draft}/history", NULL, {PAGE, 200, 200, 200, 200, 404, 200}},
	{"GET", "/assessments/:id/history/:qid", "/assessments/{draft}/history/prev.campaigns", NULL,
	 {PAGE, 200, 200, 200, 200, 404, 200}},
	{"GET", "/dashboard", "/dashboard", NULL, {PAGE, 200, 200, 403, 403, 403, 403}},

	/* accounts (administrators) */
	{"GET", "/admin/users", "/admin/users", NULL, {PAGE, 200, 403, 403, 403, 403, 403}},
	{"POST", "/admin/users", "/admin/users", "username=newcomer&role=official&country=KEN",
	 {PAGE, 201, 403, 403, 403, 403, 403}, true},
	{"GET", "/admin/users/:id", "/admin/users/{user}", NULL, {PAGE, 200, 403, 403, 403, 403, 403}},
	{"POST", "/admin/users/:id", "/admin/users/{user}", "role=observer&country=KEN",
	 {PAGE, 303, 403, 403, 403, 403, 403}, true},
	{"POST", "/admin/users/:id/disable", "/admin/users/{user}/disable", "", {PAGE, 303, 403, 403, 403, 403, 403},
	 true},
	{"POST", "/admin/users/:id/enable", "/admin/users/{user}/enable", "", {PAGE, 303, 403, 403, 403, 403, 403}, true,
	 "UPDATE users SET disabled = 1 WHERE username = 'target'"},
	{"POST", "/admin/users/:id/password", "/admin/users/{user}/password", "", {PAGE, 200, 403, 403, 403, 403, 403},
	 true},

	/* the API */
	{"GET", "/api/v1/guide", "/api/v1/guide", NULL, SIGNED_IN(API, 200)},
	{"GET", "/api/v1/countries", "/api/v1/countries", NULL, SIGNED_IN(API, 200)},
	{"GET", "/api/v1/assessments", "/api/v1/assessments", NULL, SIGNED_IN(API, 200)},
	{"POST", "/api/v1/assessments", "/api/v1/assessments", "{\"country\":\"KEN\",\"round\":2030}",
	 {API, 201, 201, 201, 201, 422, 403}, true},
	{"POST", "/api/v1/assessments", "/api/v1/assessments", "{\"country\":\"KEN\",\"round\":2030,\"from_previous\":true}",
	 {API, 201, 201, 201, 201, 422, 403}, true},
	{"GET", "/api/v1/assessments/:id", "/api/v1/assessments/{draft}", NULL, {API, 200, 200, 200, 200, 404, 200}},
	{"GET", "/api/v1/assessments/:id", "/api/v1/assessments/{other}", NULL, {API, 200, 200, 404, 404, 200, 404}},
	{"PUT", "/api/v1/assessments/:id/answers", "/api/v1/assessments/{draft}/answers", ANSWER,
	 {API, 200, 403, 200, 200, 404, 403}, true},
	{"PUT", "/api/v1/assessments/:id/answers", "/api/v1/assessments/{returned}/answers", ANSWER,
	 {API, 200, 403, 200, 200, 404, 403}, true},
	{"PUT", "/api/v1/assessments/:id/answers", "/api/v1/assessments/{submitted}/answers", ANSWER,
	 {API, 409, 403, 409, 409, 404, 403}},
	{"PUT", "/api/v1/assessments/:id/answers", "/api/v1/assessments/{validated}/answers", ANSWER,
	 {API, 409, 403, 409, 409, 404, 403}},
	{"PUT", "/api/v1/assessments/:id/answers", "/api/v1/assessments/{other}/answers", ANSWER,
	 {API, 200, 403, 404, 404, 200, 403}, true},
	{"POST", "/api/v1/assessments/:id/transitions", "/api/v1/assessments/{draft}/transitions", "{\"to\":\"submitted\"}",
	 {API, 403, 403, 403, 200, 404, 403}, true},
	{"POST", "/api/v1/assessments/:id/transitions", "/api/v1/assessments/{returned}/transitions",
	 "{\"to\":\"submitted\"}", {API, 403, 403, 403, 200, 404, 403}, true},
	{"POST", "/api/v1/assessments/:id/transitions", "/api/v1/assessments/{submitted}/transitions",
	 "{\"to\":\"submitted\"}", {API, 403, 403, 403, 409, 404, 403}},
	{"POST", "/api/v1/assessments/:id/transitions", "/api/v1/assessments/{submitted}/transitions",
	 "{\"to\":\"returned\"}", {API, 200, 200, 403, 403, 404, 403}, true},
	{"POST", "/api/v1/assessments/:id/transitions", "/api/v1/assessments/{submitted}/transitions",
	 "{\"to\":\"validated\"}", {API, 200, 200, 403, 403, 404, 403}, true},
	{"POST", "/api/v1/assessments/:id/transitions", "/api/v1/assessments/{draft}/transitions", "{\"to\":\"validated\"}",
	 {API, 409, 409, 403, 403, 404, 403}},
	{"POST", "/api/v1/assessments/:id/transitions", "/api/v1/assessments/{validated}/transitions",
	 "{\"to\":\"returned\"}", {API, 409, 409, 403, 403, 404, 403}},
	{"POST", "/api/v1/assessments/:id/transitions", "/api/v1/assessments/{draft}/transitions", "{\"to\":\"bogus\"}",
	 {API, 422, 422, 422, 422, 404, 403}},
	{"POST", "/api/v1/assessments/:id/transitions", "/api/v1/assessments/{other}/transitions", "{\"to\":\"submitted\"}",
	 {API, 403, 403, 404, 404, 200, 403}, true},
	{"GET", "/api/v1/assessments/:id/scores", "/api/v1/assessments/{draft}/scores", NULL,
	 {API, 200, 200, 200, 200, 404, 200}},
	{"GET", "/api/v1/assessments/:id/scores", "/api/v1/assessments/{other}/scores", NULL,
	 {API, 200, 200, 404, 404, 200, 404}},
	{"GET", "/api/v1/assessments/:id/plan", "/api/v1/assessments/{draft}/plan", NULL,
	 {API, 200, 200, 200, 200, 404, 200}},
	{"GET", "/api/v1/assessments/:id/plan", "/api/v1/assessments/{other}/plan", NULL,
	 {API, 200, 200, 404, 404, 200, 404}},
	/* exports: whoever may see the assessment; every list of the caller's countries */
	{"GET", "/api/v1/assessments/:id/export.json", "/api/v1/assessments/{draft}/export.json", NULL,
	 {API, 200, 200, 200, 200, 404, 200}},
	{"GET", "/api/v1/assessments/:id/export.json", "/api/v1/assessments/{other}/export.json", NULL,
	 {API, 200, 200, 404, 404, 200, 404}},
	{"GET", "/api/v1/assessments/:id/export.csv", "/api/v1/assessments/{validated}/export.csv", NULL,
	 {API, 200, 200, 200, 200, 404, 200}},
	{"GET", "/api/v1/assessments/:id/export.csv", "/api/v1/assessments/{other}/export.csv?format=wide", NULL,
	 {API, 200, 200, 404, 404, 200, 404}},
	{"GET", "/api/v1/assessments/:id/export.xlsx", "/api/v1/assessments/{submitted}/export.xlsx", NULL,
	 {API, 200, 200, 200, 200, 404, 200}},
	{"GET", "/api/v1/assessments/:id/export.xlsx", "/api/v1/assessments/{other}/export.xlsx", NULL,
	 {API, 200, 200, 404, 404, 200, 404}},
	{"GET", "/api/v1/exports/answers.csv", "/api/v1/exports/answers.csv", NULL, SIGNED_IN(API, 200)},
	{"GET", "/api/v1/exports/answers.csv", "/api/v1/exports/answers.csv?country=GHA&format=wide", NULL,
	 SIGNED_IN(API, 200)},
	{"GET", "/api/v1/assessments/:id/comments", "/api/v1/assessments/{submitted}/comments", NULL,
	 {API, 200, 200, 200, 200, 404, 200}},
	{"POST", "/api/v1/assessments/:id/comments", "/api/v1/assessments/{submitted}/comments", COMMENT_JSON,
	 {API, 201, 201, 201, 201, 404, 403}, true},
	{"POST", "/api/v1/assessments/:id/comments", "/api/v1/assessments/{draft}/comments", COMMENT_JSON,
	 {API, 201, 201, 409, 409, 404, 403}, true},
	{"POST", "/api/v1/assessments/:id/comments", "/api/v1/assessments/{other}/comments", COMMENT_JSON,
	 {API, 201, 201, 404, 404, 409, 403}, true},
	{"POST", "/api/v1/assessments/:id/comments/:cid/resolve", "/api/v1/assessments/{submitted}/comments/{comment}/resolve",
	 NULL, {API, 200, 200, 403, 403, 403, 403}, true},
	{"GET", "/api/v1/assessments/:id/evidence", "/api/v1/assessments/{draft}/evidence", NULL,
	 {API, 200, 200, 200, 200, 404, 200}},
	{"DELETE", "/api/v1/assessments/:id/evidence/:eid", "/api/v1/assessments/{draft}/evidence/{evidence}", NULL,
	 {API, 200, 403, 403, 200, 404, 403}, true},
	{"GET", "/api/v1/assessments/:id/audit", "/api/v1/assessments/{draft}/audit", NULL,
	 {API, 200, 200, 200, 200, 404, 200}},
	{"GET", "/api/v1/assessments/:id/audit", "/api/v1/assessments/{other}/audit", NULL,
	 {API, 200, 200, 404, 404, 200, 404}},
	{"GET", "/api/v1/assessments/:id/actions", "/api/v1/assessments/{draft}/actions", NULL,
	 {API, 200, 200, 200, 200, 404, 200}},
	{"GET", "/api/v1/assessments/:id/actions", "/api/v1/assessments/{other}/actions", NULL,
	 {API, 200, 200, 404, 404, 200, 404}},
	{"POST", "/api/v1/assessments/:id/actions", "/api/v1/assessments/{draft}/actions", ACTION_JSON,
	 {API, 201, 201, 403, 403, 403, 403}, true, PLAN_ITEM(2024)},
	{"POST", "/api/v1/assessments/:id/actions", "/api/v1/assessments/{draft}/actions", ACTION_JSON,
	 {API, 409, 409, 403, 403, 403, 403}, false, PLAN_ITEM(2024) ";" ACTION(2024)},
	{"PUT", "/api/v1/assessments/:id/actions/:rec", "/api/v1/assessments/{draft}/actions/rec.awareness",
	 "{\"status\":\"delivered\"}", {API, 201, 201, 403, 403, 403, 403}, true, PLAN_ITEM(2024)},
	{"PUT", "/api/v1/assessments/:id/actions/:rec", "/api/v1/assessments/{draft}/actions/rec.awareness",
	 "{\"status\":\"delivered\"}", {API, 200, 200, 403, 403, 403, 403}, true, ACTION(2024)},
	{"PATCH", "/api/v1/assessments/:id/actions/:rec", "/api/v1/assessments/{draft}/actions/rec.awareness",
	 "{\"status\":\"in_progress\"}", {API, 200, 200, 403, 403, 403, 403}, true, ACTION(2024)},
	{"PATCH", "/api/v1/assessments/:id/actions/:rec", "/api/v1/assessments/{draft}/actions/rec.awareness",
	 "{\"status\":\"in_progress\"}", {API, 404, 404, 403, 403, 403, 403}},
};

/* The routes anyone may use without signing in: exactly these. */
static const char *const public_routes[][2] = {
	{"GET", "/healthz"}, {"GET", "/static/*"}, {"GET", "/login"}, {"POST", "/login"}, {"POST", "/api/v1/tokens"},
};

static struct testsrv srv;
static struct client *session[N_CALLERS]; /* signed in with the login form */
static struct client *bearer[N_CALLERS];  /* sends the caller's API token */
static char tokens[N_CALLERS][80];         /* an API token each (NONE: a made-up one) */
static long long fixture[5];              /* draft, submitted, returned, validated, other */
static const char *const fixture_names[5] = {"draft", "submitted", "returned", "validated", "other"};
static long long target_user;
static long long user_ids[N_CALLERS];
#define FIXTURE_ROW 7 /* id of the fixture comment and of the fixture file */

static const struct route *route_of(const struct sample *s)
{
	for (size_t i = 0; i < router_n_routes; i++)
		if (strcmp(router_routes[i].method, s->method) == 0 && strcmp(router_routes[i].pattern, s->pattern) == 0)
			return &router_routes[i];
	return NULL;
}

static bool is_public(const struct route *rt)
{
	for (size_t i = 0; i < sizeof(public_routes) / sizeof(public_routes[0]); i++)
		if (strcmp(rt->method, public_routes[i][0]) == 0 && strcmp(rt->pattern, public_routes[i][1]) == 0)
			return true;
	return false;
}

/* Replaces the placeholders of a sample's path or body for caller c. */
static void expand(const char *in, enum caller c, char *out, size_t n)
{
	size_t o = 0;
	while (*in && o + 1 < n) {
		size_t word = *in == '{' ? strspn(in + 1, "abcdefghijklmnopqrstuvwxyz") : 0;
		if (word && in[word + 1] == '}') {
			const char *end = in + word + 1;
			char name[32];
			snprintf(name, sizeof(name), "%.*s", (int)(end - in - 1), in + 1);
			char val[128] = "";
			for (int k = 0; k < 5; k++)
				if (strcmp(name, fixture_names[k]) == 0)
					snprintf(val, sizeof(val), "%lld", fixture[k]);
			if (strcmp(name, "user") == 0)
				snprintf(val, sizeof(val), "%lld", target_user);
			else if (strcmp(name, "comment") == 0 || strcmp(name, "evidence") == 0)
				snprintf(val, sizeof(val), "%d", FIXTURE_ROW);
			else if (strcmp(name, "self") == 0)
				snprintf(val, sizeof(val), "%s", accounts[c == NONE ? REVIEWER : c].username);
			else if (strcmp(name, "password") == 0)
				snprintf(val, sizeof(val), "%s", TESTSRV_PASSWORD);
			if (!val[0])
				fail_msg("unknown placeholder {%s}", name);
			o += (size_t)snprintf(out + o, n - o, "%s", val);
			in = end + 1;
			continue;
		}
		out[o++] = *in++;
	}
	out[o] = '\0';
}

static long long create_fixture(struct client *admin, const char *country, int round, const char *status)
{
	char body[96], sql[160];
	snprintf(body, sizeof(body), "{\"country\":\"%s\",\"round\":%d}", country, round);
	struct resp r;
	assert_int_equal(client_json(admin, "POST", "/api/v1/assessments", body, &r), 0);
	assert_int_equal(r.status, 201);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	resp_free(&r);
	snprintf(sql, sizeof(sql), "UPDATE assessments SET status = '%s' WHERE id = %lld", status, id);
	assert_int_equal(testsrv_exec(&srv, sql), 0);
	return id;
}

/* Puts the fixtures back as they were before any request of the matrix. */
static void reset(void)
{
	char sql[2048];
	snprintf(sql, sizeof(sql),
		 "BEGIN IMMEDIATE;"
		 "DELETE FROM assessments WHERE id NOT IN (%lld, %lld, %lld, %lld, %lld);"
		 "UPDATE assessments SET status = CASE id WHEN %lld THEN 'draft' WHEN %lld THEN 'submitted'"
		 " WHEN %lld THEN 'returned' WHEN %lld THEN 'validated' ELSE 'draft' END;"
		 "DELETE FROM answers;"
		 "DELETE FROM users WHERE username = 'newcomer';"
		 "UPDATE users SET role = 'official', country = 'KEN', focal_point = 0, disabled = 0, must_change = 0"
		 " WHERE username = 'target';"
		 "DELETE FROM comments; DELETE FROM evidence; DELETE FROM actions;"
		 "INSERT INTO comments(id, assessment_id, question_id, author_id, kind, body, created_at)"
		 " VALUES (%d, %lld, 'prev.campaigns', %lld, 'review', 'Which campaigns?', 0);"
		 "INSERT INTO evidence(id, assessment_id, question_id, filename, type, size, sha256, uploaded_by,"
		 " uploaded_at, data) VALUES (%d, %lld, 'prev.campaigns', 'law.pdf', 'application/pdf', length(CAST(%s AS"
		 " BLOB)), '%064d', %lld, 0, CAST(%s AS BLOB));"
		 "COMMIT;",
		 fixture[0], fixture[1], fixture[2], fixture[3], fixture[4], fixture[0], fixture[1], fixture[2],
		 fixture[3], FIXTURE_ROW, fixture[1], user_ids[REVIEWER], FIXTURE_ROW, fixture[0], "'%PDF-1.4 a law'", 0,
		 user_ids[FOCAL], "'%PDF-1.4 a law'");
	assert_int_equal(testsrv_exec(&srv, sql), 0);
}

static int setup(void **state)
{
	if (testsrv_start(&srv, NULL) != 0)
		return -1;
	for (int c = ADMIN; c < N_CALLERS; c++)
		user_ids[c] = testsrv_add_user(&srv, accounts[c].username, accounts[c].role, accounts[c].country,
					       accounts[c].focal);
	target_user = testsrv_add_user(&srv, "target", "official", "KEN", false);
	snprintf(tokens[NONE], sizeof(tokens[NONE]), "sgt_%064d", 0);
	for (int c = NONE; c < N_CALLERS; c++) {
		session[c] = client_new(&srv);
		bearer[c] = client_new(&srv);
		if (c == NONE)
			continue;
		if (client_login(session[c], accounts[c].username, TESTSRV_PASSWORD) != 303 ||
		    client_token(bearer[c], accounts[c].username, TESTSRV_PASSWORD, tokens[c], sizeof(tokens[c])) != 201)
			return -1;
	}
	fixture[0] = create_fixture(bearer[ADMIN], "KEN", 2024, "draft");
	fixture[1] = create_fixture(bearer[ADMIN], "KEN", 2023, "submitted");
	fixture[2] = create_fixture(bearer[ADMIN], "KEN", 2022, "returned");
	fixture[3] = create_fixture(bearer[ADMIN], "KEN", 2021, "validated");
	fixture[4] = create_fixture(bearer[ADMIN], "GHA", 2024, "draft");
	return 0;
}

static int teardown(void **state)
{
	for (int c = NONE; c < N_CALLERS; c++) {
		client_free(session[c]);
		client_free(bearer[c]);
	}
	testsrv_stop(&srv);
	return 0;
}

/* ---- the table itself ---------------------------------------------------- */

/* Every route has a sample, every sample a route; the samples agree with the
 * roles the table declares; public routes are exactly the public list; observers
 * write nothing but their own sign-out and password. */
static void test_table_is_covered(void **state)
{
	int missing = 0;
	for (size_t i = 0; i < router_n_routes; i++) {
		const struct route *rt = &router_routes[i];
		bool found = false;
		for (size_t k = 0; k < sizeof(samples) / sizeof(samples[0]); k++)
			if (route_of(&samples[k]) == rt)
				found = true;
		if (!found) {
			print_message("no sample for route %s %s: add one to test_authz.c\n", rt->method, rt->pattern);
			missing++;
		}
		if (((rt->flags & R_PUBLIC) != 0) != is_public(rt)) {
			print_message("route %s %s: R_PUBLIC does not match the list of public routes\n", rt->method,
				      rt->pattern);
			missing++;
		}
		if ((rt->flags & R_NODB) && !(rt->flags & R_PUBLIC)) {
			print_message("route %s %s: a route without a database cannot check a session\n", rt->method,
				      rt->pattern);
			missing++;
		}
		if ((rt->flags & R_WRITE) && !(rt->flags & (R_PUBLIC | R_PWCHANGE)) && (rt->roles & ROLE_OBSERVER)) {
			print_message("route %s %s: observers never write\n", rt->method, rt->pattern);
			missing++;
		}
	}
	for (size_t k = 0; k < sizeof(samples) / sizeof(samples[0]); k++) {
		const struct sample *s = &samples[k];
		const struct route *rt = route_of(s);
		if (!rt) {
			print_message("sample %s %s names no route\n", s->method, s->path);
			missing++;
			continue;
		}
		for (int c = NONE; c < N_CALLERS; c++) {
			int e = s->expect[c];
			if (c == NONE && !(rt->flags & R_PUBLIC) && e != ((rt->flags & R_API) ? 401 : 303)) {
				print_message("sample %s %s: nobody must get %d\n", s->method, s->path,
					      (rt->flags & R_API) ? 401 : 303);
				missing++;
			}
			if (c != NONE && !(rt->roles & router_role_bit(accounts[c].role)) && e != 403) {
				print_message("sample %s %s: the route refuses %s, expected 403\n", s->method, s->path,
					      caller_names[c]);
				missing++;
			}
		}
	}
	assert_int_equal(missing, 0);
}

/* ---- the matrix ---------------------------------------------------------- */

/* Signs a caller's session in again (after a sample that signed out or in). */
static void relogin(enum caller c)
{
	if (c == NONE)
		return;
	assert_int_equal(client_login(session[c], accounts[c].username, TESTSRV_PASSWORD), 303);
}

/* The login form's CSRF token for client cl (bound to its sg_csrf cookie). */
static void form_token(struct client *cl, char *csrf, size_t n)
{
	struct resp r;
	assert_int_equal(client_get(cl, "/login", &r), 0);
	snprintf(csrf, n, "%s", find_csrf(r.body));
	resp_free(&r);
}

static int failures;

static void run_one(const struct sample *s, const struct route *rt, enum caller c, bool with_token)
{
	reset();
	if (s->setup)
		assert_int_equal(testsrv_exec(&srv, s->setup), 0);
	char path[256], body[512] = "";
	expand(s->path, c, path, sizeof(path));
	if (s->body)
		expand(s->body, c, body, sizeof(body));
	bool api = (rt->flags & R_API) != 0;
	/* pages ignore API tokens: with only a token, a page answers as for nobody */
	bool anonymous = c == NONE || (with_token && !api);
	int expect = with_token && !api ? s->expect[NONE] : s->expect[c];

	/* sessions are kept across requests; anything else starts from a new client
	 * so that no cookie carries over */
	struct client *cl, *temp = NULL;
	char csrf[80] = "";
	if (!with_token && c != NONE) {
		cl = session[c];
		snprintf(csrf, sizeof(csrf), "%s", client_csrf(cl));
	} else {
		cl = temp = client_new(&srv);
		if (with_token) {
			char hdr[128];
			snprintf(hdr, sizeof(hdr), "Authorization: Bearer %s", tokens[c]);
			client_header(cl, hdr);
		}
		if (!api)
			form_token(cl, csrf, sizeof(csrf));
	}

	long long audit_before = testsrv_query_int(&srv, "SELECT count(*) FROM audit");
	struct resp r;
	int rc;
	if (strcmp(s->method, "GET") == 0) {
		rc = client_get(cl, path, &r);
	} else if (api) {
		char hdr[128] = "";
		if (!with_token && csrf[0])
			snprintf(hdr, sizeof(hdr), "X-CSRF-Token: %s", csrf);
		rc = client_request(cl, s->method, path, body[0] ? "application/json" : NULL, body, strlen(body),
				    hdr[0] ? hdr : NULL, &r);
	} else if (strcmp(body, UPLOAD) == 0) {
		char form[1024];
		int len = snprintf(form, sizeof(form),
				   "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n%s\r\n"
				   "--XyZ\r\nContent-Disposition: form-data; name=\"question\"\r\n\r\nprev.campaigns\r\n"
				   "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"law.pdf\"\r\n"
				   "Content-Type: application/pdf\r\n\r\n%s\r\n--XyZ--\r\n",
				   csrf, PDF);
		rc = client_request(cl, "POST", path, "multipart/form-data; boundary=XyZ", form, (size_t)len, NULL, &r);
	} else {
		char form[700];
		snprintf(form, sizeof(form), "%s%scsrf_token=%s", body, body[0] ? "&" : "", csrf);
		rc = client_post_form(cl, path, form, &r);
	}
	assert_int_equal(rc, 0);
	long long audit_after = testsrv_query_int(&srv, "SELECT count(*) FROM audit");

	char loc[256] = "";
	resp_header(&r, "Location", loc, sizeof(loc));
	bool to_login = strncmp(loc, "/login", 6) == 0;
	const char *why = NULL;
	if (r.status != expect)
		why = "status";
	else if (expect == 303 && !(rt->flags & R_PUBLIC) && anonymous && !to_login)
		why = "redirect to the login form expected";
	else if (expect == 303 && !anonymous &&
		 (s->location ? strncmp(loc, s->location, strlen(s->location)) != 0 : to_login))
		why = "redirect";
	else if ((r.status >= 400 || to_login) && audit_after != audit_before)
		why = "a refused request left an audit record";
	else if (s->audited && r.status < 400 && !to_login && audit_after <= audit_before)
		why = "an accepted change left no audit record";
	if (why) {
		print_message("%s %s as %s (%s): %s: expected %d, got %ld%s%s\n", s->method, path, caller_names[c],
			      with_token ? "API token" : "session", why, expect, r.status, loc[0] ? " -> " : "", loc);
		failures++;
	}
	resp_free(&r);
	client_free(temp);
	if (!with_token && (strcmp(s->pattern, "/login") == 0 || strcmp(s->pattern, "/logout") == 0) &&
	    strcmp(s->method, "POST") == 0)
		relogin(c);
}

static void run_matrix(bool with_token)
{
	failures = 0;
	size_t runs = 0;
	for (size_t i = 0; i < router_n_routes; i++) {
		const struct route *rt = &router_routes[i];
		for (size_t k = 0; k < sizeof(samples) / sizeof(samples[0]); k++) {
			if (route_of(&samples[k]) != rt)
				continue;
			for (int c = NONE; c < N_CALLERS; c++, runs++)
				run_one(&samples[k], rt, (enum caller)c, with_token);
		}
	}
	print_message("%zu requests, %d unexpected\n", runs, failures);
	assert_int_equal(failures, 0);
}

static void test_matrix_with_sessions(void **state)
{
	run_matrix(false);
}

static void test_matrix_with_tokens(void **state)
{
	run_matrix(true);
}

/* ---- lists ---------------------------------------------------------------- */

/* Every list shows only what the caller may open: officials and observers their
 * own country, reviewers and administrators all. */
static void test_lists_are_filtered(void **state)
{
	reset();
	static const int expect_all[N_CALLERS] = {-1, 5, 5, 4, 4, 1, 4};
	for (int c = ADMIN; c < N_CALLERS; c++) {
		struct resp r;
		assert_int_equal(client_get(bearer[c], "/api/v1/assessments", &r), 0);
		assert_int_equal(r.status, 200);
		json_t *list = json_object_get(r.json, "assessments");
		if ((int)json_array_size(list) != expect_all[c])
			fail_msg("%s sees %zu assessments, expected %d", caller_names[c], json_array_size(list),
				 expect_all[c]);
		size_t i;
		json_t *a;
		json_array_foreach(list, i, a) {
			const char *country = json_string_value(json_object_get(a, "country"));
			if (accounts[c].country && strcmp(country, accounts[c].country) != 0)
				fail_msg("%s sees an assessment of %s", caller_names[c], country);
		}
		resp_free(&r);

		/* asking for another country by name gives nothing */
		assert_int_equal(client_get(bearer[c], "/api/v1/assessments?country=GHA", &r), 0);
		size_t n = json_array_size(json_object_get(r.json, "assessments"));
		assert_int_equal(n, c == ADMIN || c == REVIEWER || c == OTHER ? 1 : 0);
		resp_free(&r);

		/* the page lists the same */
		assert_int_equal(client_get(session[c], "/assessments", &r), 0);
		assert_int_equal(r.status, 200);
		char link[64];
		snprintf(link, sizeof(link), "href=\"/assessments/%lld\"", fixture[4]);
		bool sees_other = strstr(r.body, link) != NULL;
		snprintf(link, sizeof(link), "href=\"/assessments/%lld\"", fixture[0]);
		bool sees_own = strstr(r.body, link) != NULL;
		assert_true(sees_other == (c == ADMIN || c == REVIEWER || c == OTHER));
		assert_true(sees_own == (c != OTHER));
		/* only those who may start an assessment see the form */
		assert_true((strstr(r.body, "action=\"/assessments\"") != NULL) == (c != OBSERVER));
		resp_free(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_is_covered),
		cmocka_unit_test(test_matrix_with_sessions),
		cmocka_unit_test(test_matrix_with_tokens),
		cmocka_unit_test(test_lists_are_filtered),
	};
	return cmocka_run_group_tests_name("authz", tests, setup, teardown);
}
