/* test_rounds.c - from one round to the next (issue 5, items 5-7), against a real
 * server on port 0 with the fixture guide (tests/fixtures/guide-small.json):
 *
 * - assistance actions: the API (list, create, replace, change), the form on the
 *   results page, who may write and who only reads, the audit trail;
 * - the next round started from the last: answers carried over and marked, the
 *   marks cleared by a change or a confirmation (a box, "confirm all", the API),
 *   the progress view counting what is not yet confirmed, scores equal to the
 *   previous round's until something changes;
 * - the help delivered after a round and whether its areas improved;
 * - `somguide demo`: a database the server starts on, with full dashboards.
 *
 * The tests run in order and build on each other: KEN 2024 (answer set D below)
 * gets actions; KEN 2026 is started from it and edited; KEN 2028 from 2026.
 * Every expected figure was computed by hand from the fixture guide and
 * SCORING.md (working in the comments); nothing here calls score.c or plan.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "htmlcheck.h"
#include "log.h"
#include "testsrv.h"

static struct testsrv srv;
static long long ken24, ken26, ken28;

/* Set D of KEN 2024, area by area (weights w, scores s from the fixture):
 *   prevention: campaigns none (w2 s0; critical; recommends awareness), channels
 *     hidden (campaigns is not some/effective), budget 1000 (unscored)
 *     -> capacity 0, need 100
 *   data: system none (w3 s0; critical; data-system), published no (w1 s0;
 *     data-publication); last-report: a comment only (no value)
 *     -> capacity 0, need 100
 *   legislation: criminalized partly (w3 s.5; model-law), aggravating some (w2 s.5),
 *     notes text -> capacity .5, need 50
 *   policy: strategy no (w2 s0; strategy), coordination ad-hoc (w1 s.5)
 *     -> .5/3 = .1667, need 83
 *   criminal justice: training some (w2 s.5; training), unit no (w1 s0;
 *     specialised-unit) -> 1/3, need 67
 *   protection: assistance basic (w3 s.5), rights information + legal-aid (w2, 1)
 *     -> 3.5/5 = .7, need 30 (rec.assistance is NOT in the plan)
 *   cooperation: mla yes (w2 s1), liaison no (w1 s0; liaison, cooperation)
 *     -> 2/3, need 33
 * 15 answers have a value (last-report has none). */
static const char set_d[] =
	"{\"answers\":{"
	"\"prev.campaigns\":{\"value\":\"none\",\"comment\":\"Campaign of 2023\"},"
	"\"prev.budget\":{\"value\":1000},"
	"\"data.system\":{\"value\":\"none\"},\"data.published\":{\"value\":\"no\"},"
	"\"data.last-report\":{\"comment\":\"No report yet\"},"
	"\"leg.criminalized\":{\"value\":\"partly\"},\"leg.aggravating\":{\"value\":\"some\"},"
	"\"leg.notes\":{\"value\":\"Law 12 of 2019\"},"
	"\"pol.strategy\":{\"value\":\"no\"},\"pol.coordination\":{\"value\":\"ad-hoc\"},"
	"\"cj.training\":{\"value\":\"some\"},\"cj.unit\":{\"value\":\"no\"},"
	"\"prot.assistance\":{\"value\":\"basic\"},\"prot.rights\":{\"value\":[\"legal-aid\",\"information\"]},"
	"\"coop.mla\":{\"value\":\"yes\"},\"coop.liaison\":{\"value\":\"no\"}}}";
#define N_CARRIED 15

static int setup(void **state)
{
	if (testsrv_start(&srv, NULL) != 0)
		return -1;
	testsrv_add_user(&srv, "rd-admin", "admin", NULL, false);
	testsrv_add_user(&srv, "rd-reviewer", "reviewer", NULL, false);
	testsrv_add_user(&srv, "rd-ken", "official", "KEN", true);
	testsrv_add_user(&srv, "rd-ken2", "official", "KEN", false);
	testsrv_add_user(&srv, "rd-obs", "observer", "KEN", false);
	testsrv_add_user(&srv, "rd-gha", "official", "GHA", true);
	return 0;
}

static int teardown(void **state)
{
	testsrv_stop(&srv);
	return 0;
}

/* ---- helpers -------------------------------------------------------------- */

static json_t *get_json(struct client *c, const char *path)
{
	struct resp r;
	client_expect(c, "GET", path, NULL, 200, &r);
	json_t *j = json_incref(r.json);
	resp_free(&r);
	assert_non_null(j);
	return j;
}

static void get_page(struct client *c, const char *path, long status, struct resp *r)
{
	assert_int_equal(client_get(c, path, r), 0);
	if (r->status != status)
		fail_msg("GET %s: %ld, expected %ld", path, r->status, status);
	char err[256];
	if (r->body && strstr(r->body, "<!DOCTYPE") && html_check(r->body, r->len, err, sizeof(err)) != 0)
		fail_msg("GET %s: the HTML is not well formed: %s", path, err);
}

static void post_form(struct client *c, const char *path, const char *fields, long status, struct resp *r)
{
	char body[4096];
	snprintf(body, sizeof(body), "%s&csrf_token=%s", fields, client_csrf(c));
	assert_int_equal(client_post_form(c, path, body, r), 0);
	if (r->status != status)
		fail_msg("POST %s: %ld, expected %ld: %.300s", path, r->status, status, r->body);
	char err[256];
	if (status != 303 && r->body && strstr(r->body, "<!DOCTYPE") && html_check(r->body, r->len, err, sizeof(err)) != 0)
		fail_msg("POST %s: the HTML is not well formed: %s", path, err);
}

static long long count(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static long long count(const char *fmt, ...)
{
	char sql[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	return testsrv_query_int(&srv, sql);
}

static const json_t *answer_of(const json_t *assessment, const char *qid)
{
	return json_object_get(json_object_get(assessment, "answers"), qid);
}

static bool carried(long long id, const char *qid)
{
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld", id);
	struct client *c = testsrv_api(&srv, "rd-admin");
	json_t *a = get_json(c, path);
	const json_t *e = answer_of(a, qid);
	if (!e)
		fail_msg("assessment %lld has no answer to %s", id, qid);
	bool v = json_is_true(json_object_get(e, "carried_over"));
	json_decref(a);
	client_free(c);
	return v;
}

/* The text of the area card of `area` on an overview page (up to its </li>). */
static char *area_card(const char *html, long long id, const char *area)
{
	char link[128];
	snprintf(link, sizeof(link), "href=\"/assessments/%lld/areas/%s\"", id, area);
	const char *p = strstr(html, link);
	if (!p)
		fail_msg("no card for area %s", area);
	const char *end = strstr(p, "</li>");
	return strndup(p, (size_t)(end - p));
}

/* ---- assistance actions: the API -------------------------------------------- */

static void test_actions_api(void **state)
{
	struct client *admin = testsrv_api(&srv, "rd-admin"), *rev = testsrv_api(&srv, "rd-reviewer");
	struct resp r;
	client_expect(admin, "POST", "/api/v1/assessments", "{\"country\":\"KEN\",\"round\":2024}", 201, &r);
	ken24 = json_integer_value(json_object_get(r.json, "id"));
	assert_true(json_is_null(json_object_get(r.json, "started_from")));
	resp_free(&r);
	char path[128], base[96];
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/answers", ken24);
	client_expect0(admin, "PUT", path, set_d, 200);
	snprintf(base, sizeof(base), "/api/v1/assessments/%lld/actions", ken24);

	/* nothing yet, and no previous round */
	json_t *j = get_json(rev, base);
	assert_int_equal(json_array_size(json_object_get(j, "actions")), 0);
	assert_true(json_is_null(json_object_get(j, "delivered_help")));
	json_decref(j);

	/* create: 201, the Location, the shape */
	client_expect(rev, "POST", base,
	     "{\"rec\":\"rec.awareness\",\"status\":\"planned\",\"partner\":\"Fictional Fund\",\"start\":\"2024-03-01\","
	     "\"end\":\"2024-09-30\",\"note\":\"Radio spots\"}",
	     201, &r);
	char loc[160], want[160];
	assert_true(resp_header(&r, "Location", loc, sizeof(loc)));
	snprintf(want, sizeof(want), "%s/rec.awareness", base);
	assert_string_equal(loc, want);
	assert_string_equal(json_string_value(json_object_get(r.json, "rec")), "rec.awareness");
	assert_string_equal(json_string_value(json_object_get(r.json, "title")), "Awareness-raising campaign");
	assert_string_equal(json_string_value(json_object_get(r.json, "area")), "prevention");
	assert_string_equal(json_string_value(json_object_get(r.json, "status")), "planned");
	assert_string_equal(json_string_value(json_object_get(r.json, "partner")), "Fictional Fund");
	assert_string_equal(json_string_value(json_object_get(r.json, "start")), "2024-03-01");
	assert_string_equal(json_string_value(json_object_get(r.json, "end")), "2024-09-30");
	assert_string_equal(json_string_value(json_object_get(r.json, "note")), "Radio spots");
	assert_true(json_is_true(json_object_get(r.json, "in_plan")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "created_by"), "username")),
			    "rd-reviewer");
	resp_free(&r);

	/* the same item again: 409; a recommendation not in the plan, an unknown one: 422 */
	client_expect(rev, "POST", base, "{\"rec\":\"rec.awareness\"}", 409, &r);
	assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "error"), "code")), "action_exists");
	resp_free(&r);
	client_expect(rev, "POST", base, "{\"rec\":\"rec.assistance\"}", 422, &r);
	assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "error"), "code")), "not_in_plan");
	resp_free(&r);
	client_expect0(rev, "POST", base, "{\"rec\":\"rec.nothing\"}", 422);
	client_expect0(rev, "POST", base, "[1]", 422);
	/* every problem at once, nothing stored */
	client_expect(rev, "POST", base,
	     "{\"rec\":\"rec.strategy\",\"status\":\"done\",\"start\":\"2024-02-30\",\"end\":5,\"colour\":\"red\"}", 422,
	     &r);
	assert_int_equal(json_array_size(json_object_get(json_object_get(r.json, "error"), "details")), 4);
	resp_free(&r);
	client_expect(rev, "POST", base, "{\"rec\":\"rec.strategy\",\"start\":\"2024-06-01\",\"end\":\"2024-05-31\"}", 422, &r);
	assert_non_null(strstr(r.body, "before the start date"));
	resp_free(&r);
	char longp[300];
	memset(longp, 'x', 201);
	longp[201] = '\0';
	char body[512];
	snprintf(body, sizeof(body), "{\"rec\":\"rec.strategy\",\"partner\":\"%s\"}", longp);
	client_expect0(rev, "POST", base, body, 422);
	assert_int_equal(count("SELECT count(*) FROM actions WHERE assessment_id = %lld", ken24), 1);

	/* PUT creates at its own address (201), replaces (200); the same again writes nothing */
	snprintf(path, sizeof(path), "%s/rec.data-system", base);
	client_expect0(rev, "PUT", path, "{\"status\":\"in_progress\",\"partner\":\"Example Agency\"}", 201);
	client_expect(rev, "PUT", path, "{\"status\":\"delivered\",\"start\":\"2024-01-10\",\"end\":\"2025-06-30\"}", 200, &r);
	assert_true(json_is_null(json_object_get(r.json, "partner"))); /* replaced: left out means none */
	assert_string_equal(json_string_value(json_object_get(r.json, "status")), "delivered");
	resp_free(&r);
	long long audit_before = count("SELECT count(*) FROM audit WHERE kind = 'action'");
	client_expect0(rev, "PUT", path, "{\"status\":\"delivered\",\"start\":\"2024-01-10\",\"end\":\"2025-06-30\"}", 200);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE kind = 'action'"), audit_before);
	client_expect0(rev, "PUT", path, "{\"rec\":\"rec.awareness\",\"status\":\"planned\"}", 422);
	snprintf(path, sizeof(path), "%s/rec.nothing", base);
	client_expect0(rev, "PUT", path, "{\"status\":\"planned\"}", 404);
	snprintf(path, sizeof(path), "%s/rec.assistance", base);
	client_expect0(rev, "PUT", path, "{\"status\":\"planned\"}", 422); /* not in the plan */

	/* PATCH changes only what it names; 404 when there is no action */
	snprintf(path, sizeof(path), "%s/rec.awareness", base);
	client_expect(rev, "PATCH", path, "{\"status\":\"delivered\"}", 200, &r);
	assert_string_equal(json_string_value(json_object_get(r.json, "status")), "delivered");
	assert_string_equal(json_string_value(json_object_get(r.json, "partner")), "Fictional Fund");
	assert_string_equal(json_string_value(json_object_get(r.json, "note")), "Radio spots");
	resp_free(&r);
	client_expect0(rev, "PATCH", path, "{\"end\":\"2023-01-01\"}", 422); /* before its start */
	snprintf(path, sizeof(path), "%s/rec.model-law", base);
	client_expect0(rev, "PATCH", path, "{\"status\":\"planned\"}", 404);

	/* the audit trail: create, create, replace, change; old and new as JSON */
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/audit?limit=1000", ken24);
	j = get_json(rev, path);
	int n_action = 0;
	const json_t *patch = NULL;
	size_t i;
	json_t *rec;
	json_array_foreach(json_object_get(j, "audit"), i, rec) {
		if (strcmp(json_string_value(json_object_get(rec, "kind")), "action") != 0)
			continue;
		if (!n_action++)
			patch = rec; /* newest first */
	}
	assert_int_equal(n_action, 4);
	assert_string_equal(json_string_value(json_object_get(patch, "target")), "rec.awareness");
	assert_string_equal(json_string_value(json_object_get(json_object_get(patch, "old"), "status")), "planned");
	assert_string_equal(json_string_value(json_object_get(json_object_get(patch, "new"), "status")), "delivered");
	assert_string_equal(json_string_value(json_object_get(json_object_get(patch, "user"), "username")), "rd-reviewer");
	json_decref(j);

	/* who: officials and observers of the country read, never write; others see nothing */
	struct client *ken = testsrv_api(&srv, "rd-ken"), *obs = testsrv_api(&srv, "rd-obs"), *gha = testsrv_api(&srv, "rd-gha");
	j = get_json(ken, base);
	assert_int_equal(json_array_size(json_object_get(j, "actions")), 2);
	json_decref(j);
	j = get_json(obs, base);
	assert_int_equal(json_array_size(json_object_get(j, "actions")), 2);
	json_decref(j);
	client_expect0(gha, "GET", base, NULL, 404);
	client_expect0(ken, "POST", base, "{\"rec\":\"rec.strategy\"}", 403);
	client_expect0(obs, "POST", base, "{\"rec\":\"rec.strategy\"}", 403);
	snprintf(path, sizeof(path), "%s/rec.awareness", base);
	client_expect0(ken, "PATCH", path, "{\"status\":\"proposed\"}", 403);
	client_expect0(ken, "PUT", path, "{\"status\":\"proposed\"}", 403);
	/* an administrator writes like a reviewer */
	client_expect0(admin, "PATCH", path, "{\"note\":\"Radio and television spots\"}", 200);
	client_free(ken);
	client_free(obs);
	client_free(gha);
	client_free(rev);
	client_free(admin);
}

/* ---- assistance actions: the results page --------------------------------- */

static void test_actions_pages(void **state)
{
	struct client *rev = testsrv_browser(&srv, "rd-reviewer");
	struct resp r;
	char path[96], form[1024];
	snprintf(path, sizeof(path), "/assessments/%lld/results", ken24);
	get_page(rev, path, 200, &r);
	/* a form per plan item for reviewers, with the stored values */
	char action[96];
	snprintf(action, sizeof(action), "action=\"/assessments/%lld/actions\"", ken24);
	assert_non_null(strstr(r.body, action));
	assert_non_null(strstr(r.body, "name=\"rec\" value=\"rec.strategy\""));
	assert_non_null(strstr(r.body, "name=\"partner\" value=\"Fictional Fund\""));
	/* the actions shown: in their plan item and in the table of every action */
	assert_non_null(strstr(r.body, "<span class=\"action-tag action-delivered\">Delivered</span> · Fictional Fund · "
				       "2024-03-01 \xe2\x80\x93 2024-09-30"));
	assert_non_null(strstr(r.body, "<a href=\"#rec-rec.data-system\">Case recording system</a>"));
	resp_free(&r);

	/* save through the form: 303 back to the item, then a notice */
	snprintf(path, sizeof(path), "/assessments/%lld/actions", ken24);
	post_form(rev, path, "rec=rec.model-law&status=proposed&partner=Drafting+Partner&start=&end=&note=Two+workshops",
		  303, &r);
	char loc[256], want[256];
	assert_true(resp_header(&r, "Location", loc, sizeof(loc)));
	snprintf(want, sizeof(want), "/assessments/%lld/results?action_saved=rec.model-law#rec-rec.model-law", ken24);
	assert_string_equal(loc, want);
	resp_free(&r);
	snprintf(path, sizeof(path), "/assessments/%lld/results?action_saved=rec.model-law", ken24);
	get_page(rev, path, 200, &r);
	assert_non_null(strstr(r.body, "The action has been saved: Legislative drafting support."));
	assert_non_null(strstr(r.body, "<span class=\"action-tag action-proposed\">Proposed</span> · Drafting Partner"));
	resp_free(&r);
	assert_int_equal(count("SELECT count(*) FROM actions WHERE assessment_id = %lld AND rec_id = 'rec.model-law'"
			       " AND status = 'proposed' AND note = 'Two workshops' AND start_date IS NULL",
			       ken24),
			 1);

	/* refused: the page again (422) with the message at the item and what was typed */
	snprintf(path, sizeof(path), "/assessments/%lld/actions", ken24);
	post_form(rev, path, "rec=rec.strategy&status=planned&partner=Kept+Partner&start=2025-05-01&end=2025-04-01&note=",
		  422, &r);
	assert_non_null(strstr(r.body, "The end date is before the start date."));
	assert_non_null(strstr(r.body, "value=\"Kept Partner\""));
	assert_non_null(strstr(r.body, "<details class=\"action-form\" open>"));
	resp_free(&r);
	post_form(rev, path, "rec=rec.strategy&status=finished", 422, &r);
	resp_free(&r);
	post_form(rev, path, "rec=rec.assistance&status=planned", 422, &r); /* not in the plan */
	assert_non_null(strstr(r.body, "no longer in the plan"));
	resp_free(&r);
	assert_int_equal(count("SELECT count(*) FROM actions WHERE assessment_id = %lld AND rec_id IN"
			       " ('rec.strategy', 'rec.assistance')",
			       ken24),
			 0);
	/* without the CSRF token: 403 */
	assert_int_equal(client_post_form(rev, path, "rec=rec.strategy&status=planned", &r), 0);
	assert_int_equal(r.status, 403);
	resp_free(&r);

	/* the history names the action */
	snprintf(path, sizeof(path), "/assessments/%lld/history", ken24);
	get_page(rev, path, 200, &r);
	assert_non_null(strstr(r.body, "Assistance action"));
	assert_non_null(strstr(r.body, "<td>Legislative drafting support</td>"));
	assert_non_null(strstr(r.body, "Proposed; Partner or donor: Drafting Partner; Note: Two workshops"));
	resp_free(&r);
	client_free(rev);

	/* officials and observers of the country: the actions, read-only */
	static const char *const readers[] = {"rd-ken", "rd-obs"};
	for (size_t i = 0; i < 2; i++) {
		struct client *c = testsrv_browser(&srv, readers[i]);
		snprintf(path, sizeof(path), "/assessments/%lld/results", ken24);
		get_page(c, path, 200, &r);
		assert_non_null(strstr(r.body, "Legislative drafting support"));
		assert_non_null(strstr(r.body, "action-tag action-delivered"));
		assert_null(strstr(r.body, action));
		assert_null(strstr(r.body, "name=\"partner\""));
		resp_free(&r);
		snprintf(form, sizeof(form), "/assessments/%lld/actions", ken24);
		post_form(c, form, "rec=rec.strategy&status=planned", 403, &r);
		resp_free(&r);
		client_free(c);
	}
	struct client *gha = testsrv_browser(&srv, "rd-gha");
	snprintf(path, sizeof(path), "/assessments/%lld/results", ken24);
	get_page(gha, path, 404, &r);
	resp_free(&r);
	client_free(gha);
}

/* ---- the next round starts from the last ----------------------------------- */

static void test_carry_over(void **state)
{
	struct client *ken = testsrv_browser(&srv, "rd-ken");
	struct resp r;
	/* the focal point starts 2026 from the previous round through the form */
	post_form(ken, "/assessments", "country=KEN&round=2026&from_previous=1", 303, &r);
	char loc[128];
	assert_true(resp_header(&r, "Location", loc, sizeof(loc)));
	assert_int_equal(sscanf(loc, "/assessments/%lld", &ken26), 1);
	resp_free(&r);

	/* every answer with a value is there, as it was, marked carried over from 2024 */
	struct client *admin = testsrv_api(&srv, "rd-admin");
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld", ken24);
	json_t *old = get_json(admin, path);
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld", ken26);
	json_t *now = get_json(admin, path);
	assert_int_equal(json_object_size(json_object_get(now, "answers")), N_CARRIED);
	assert_null(answer_of(now, "data.last-report")); /* a comment without an answer stays behind */
	const char *qid;
	json_t *e;
	json_object_foreach(json_object_get(now, "answers"), qid, e) {
		assert_true(json_is_true(json_object_get(e, "carried_over")));
		assert_int_equal(json_integer_value(json_object_get(e, "carried_from")), 2024);
		const json_t *v = json_object_get(e, "value");
		const json_t *was = json_object_get(answer_of(old, qid), "value");
		if (strcmp(qid, "prot.rights") == 0) /* written in the guide's option order */
			assert_string_equal(json_string_value(json_array_get(v, 0)), "information");
		else if (!json_equal((json_t *)v, (json_t *)was))
			fail_msg("%s: carried %s", qid, json_dumps(v, JSON_ENCODE_ANY));
	}
	assert_string_equal(json_string_value(json_object_get(answer_of(now, "prev.campaigns"), "comment")),
			    "Campaign of 2023");
	/* answers given in their own round carry no mark */
	assert_false(json_is_true(json_object_get(answer_of(old, "prev.campaigns"), "carried_over")));
	json_decref(old);
	json_decref(now);

	/* they are answers: the scores and the plan equal those of 2024 */
	static const char *const what[] = {"scores", "plan"};
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/api/v1/assessments/%lld/%s", ken24, what[i]);
		json_t *a = get_json(admin, path);
		snprintf(path, sizeof(path), "/api/v1/assessments/%lld/%s", ken26, what[i]);
		json_t *b = get_json(admin, path);
		assert_true(json_equal(a, b));
		json_decref(a);
		json_decref(b);
	}
	assert_int_equal(count("SELECT need FROM assessment_overall WHERE assessment_id = %lld", ken26),
			 count("SELECT need FROM assessment_overall WHERE assessment_id = %lld", ken24));

	/* the audit: one record per answer and one saying where from */
	assert_int_equal(count("SELECT count(*) FROM audit WHERE assessment_id = %lld AND kind = 'carried_over'"
			       " AND target IS NOT NULL",
			       ken26),
			 N_CARRIED);
	char want[96];
	snprintf(want, sizeof(want), "{\"from\":%lld,\"round\":2024,\"answers\":%d}", ken24, N_CARRIED);
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT new FROM audit WHERE assessment_id = %lld AND kind = 'carried_over'"
				   " AND target IS NULL", ken26);
	char *rec = testsrv_query_text(&srv, sql);
	assert_non_null(rec);
	assert_string_equal(rec, want);
	free(rec);

	/* the overview counts what is not confirmed, area by area */
	snprintf(path, sizeof(path), "/assessments/%lld", ken26);
	get_page(ken, path, 200, &r);
	assert_non_null(strstr(r.body, "<strong>15</strong> answers carried over from round 2024"));
	static const struct {
		const char *area;
		int n;
	} first[] = {{"prevention", 2}, {"data", 2}, {"legislation", 3}, {"policy", 2},
		     {"criminal-justice", 2}, {"protection", 2}, {"cooperation", 2}};
	for (size_t i = 0; i < 7; i++) {
		char *card = area_card(r.body, ken26, first[i].area);
		char txt[96];
		snprintf(txt, sizeof(txt), "<strong>%d</strong> carried over, not yet confirmed", first[i].n);
		if (!strstr(card, txt))
			fail_msg("area %s: expected \"%s\" in %s", first[i].area, txt, card);
		free(card);
	}
	resp_free(&r);

	/* the area page marks them, with a box each and "confirm all" */
	snprintf(path, sizeof(path), "/assessments/%lld/areas/prevention", ken26);
	get_page(ken, path, 200, &r);
	assert_non_null(strstr(r.body, "Carried over from 2024</span> \xe2\x80\x94 confirm or change"));
	assert_non_null(strstr(r.body, "name=\"confirm.prev.campaigns\" value=\"1\">"));
	assert_non_null(strstr(r.body, "name=\"confirm_all\""));
	assert_non_null(strstr(r.body, "<strong>2</strong> answers of this area carried over from round 2024 are not yet confirmed."));
	resp_free(&r);
	struct client *obs = testsrv_browser(&srv, "rd-obs");
	get_page(obs, path, 200, &r);
	assert_non_null(strstr(r.body, "Carried over from 2024"));
	assert_null(strstr(r.body, "name=\"confirm.prev.campaigns\""));
	assert_null(strstr(r.body, "name=\"confirm_all\""));
	resp_free(&r);
	client_free(obs);

	/* saved unchanged without a box: still carried over */
	const char *prev_form = "q.prev.campaigns=none&c.prev.campaigns=Campaign+of+2023&q.prev.budget=1000&c.prev.budget=";
	post_form(ken, path, prev_form, 303, &r);
	resp_free(&r);
	assert_true(carried(ken26, "prev.campaigns"));
	assert_true(carried(ken26, "prev.budget"));
	/* the box of one: that one confirmed, by the official, audited */
	char fields[512];
	snprintf(fields, sizeof(fields), "%s&confirm.prev.campaigns=1", prev_form);
	post_form(ken, path, fields, 303, &r);
	resp_free(&r);
	assert_false(carried(ken26, "prev.campaigns"));
	assert_true(carried(ken26, "prev.budget"));
	assert_int_equal(count("SELECT count(*) FROM audit a JOIN users u ON u.id = a.user_id WHERE a.assessment_id = %lld"
			       " AND a.kind = 'answer_confirmed' AND a.target = 'prev.campaigns' AND u.username = 'rd-ken'",
			       ken26),
			 1);
	/* a changed answer loses its mark; the unchanged one beside it keeps it */
	snprintf(path, sizeof(path), "/assessments/%lld/areas/data", ken26);
	post_form(ken, path, "q.data.system=partial&q.data.published=no&q.data.last-report=", 303, &r);
	resp_free(&r);
	assert_false(carried(ken26, "data.system"));
	assert_true(carried(ken26, "data.published"));
	/* "confirm all unchanged in this area" */
	snprintf(path, sizeof(path), "/assessments/%lld/areas/legislation", ken26);
	post_form(ken, path,
		  "q.leg.criminalized=partly&q.leg.aggravating=some&q.leg.notes=Law+12+of+2019&confirm_all=1", 303, &r);
	resp_free(&r);
	assert_false(carried(ken26, "leg.criminalized"));
	assert_false(carried(ken26, "leg.aggravating"));
	assert_false(carried(ken26, "leg.notes"));
	/* through the API: the same value sent back confirms it */
	struct client *kapi = testsrv_api(&srv, "rd-ken2");
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/answers", ken26);
	struct resp pr;
	client_expect(kapi, "PUT", path, "{\"answers\":{\"pol.strategy\":{\"value\":\"no\"}}}", 200, &pr);
	assert_false(json_is_true(json_object_get(answer_of(pr.json, "pol.strategy"), "carried_over")));
	assert_true(json_is_true(json_object_get(answer_of(pr.json, "pol.coordination"), "carried_over")));
	resp_free(&pr);
	client_free(kapi);
	/* a refused form changes nothing and keeps the box as ticked */
	snprintf(path, sizeof(path), "/assessments/%lld/areas/criminal-justice", ken26);
	post_form(ken, path, "q.cj.training=some&q.cj.unit=no&q.cj.cases=many&confirm.cj.training=1", 422, &r);
	assert_non_null(strstr(r.body, "name=\"confirm.cj.training\" value=\"1\" checked>"));
	resp_free(&r);
	assert_true(carried(ken26, "cj.training"));

	/* the overview now: 15 - 1 (campaigns) - 1 (system) - 3 (legislation) - 1 (strategy) = 9 */
	snprintf(path, sizeof(path), "/assessments/%lld", ken26);
	get_page(ken, path, 200, &r);
	assert_non_null(strstr(r.body, "<strong>9</strong> answers carried over from round 2024"));
	static const struct {
		const char *area;
		int n;
	} after[] = {{"prevention", 1}, {"data", 1}, {"legislation", 0}, {"policy", 1},
		     {"criminal-justice", 2}, {"protection", 2}, {"cooperation", 2}};
	for (size_t i = 0; i < 7; i++) {
		char *card = area_card(r.body, ken26, after[i].area);
		char txt[96];
		snprintf(txt, sizeof(txt), "<strong>%d</strong> carried over", after[i].n);
		if (after[i].n ? !strstr(card, txt) : strstr(card, "carried over") != NULL)
			fail_msg("area %s: expected %d unconfirmed in %s", after[i].area, after[i].n, card);
		free(card);
	}
	resp_free(&r);
	/* a change moved the scores away from 2024's: data 100 -> 63 */
	assert_int_equal(count("SELECT need FROM assessment_scores WHERE assessment_id = %lld AND area = 'data'", ken26),
			 63);

	/* no earlier round: refused, nothing created */
	struct client *gha = testsrv_browser(&srv, "rd-gha");
	post_form(gha, "/assessments", "country=GHA&round=2026&from_previous=1", 422, &r);
	assert_non_null(strstr(r.body, "GHA has no assessment before round 2026 to start from"));
	assert_non_null(strstr(r.body, "id=\"from_previous\" name=\"from_previous\" value=\"1\" checked"));
	resp_free(&r);
	client_free(gha);
	client_expect(admin, "POST", "/api/v1/assessments", "{\"country\":\"GHA\",\"round\":2026,\"from_previous\":true}", 422, &pr);
	assert_string_equal(json_string_value(json_object_get(json_object_get(pr.json, "error"), "code")),
			    "no_previous_round");
	resp_free(&pr);
	client_expect0(admin, "POST", "/api/v1/assessments", "{\"country\":\"GHA\",\"round\":2026,\"from_previous\":\"yes\"}", 422);
	assert_int_equal(count("SELECT count(*) FROM assessments WHERE country = 'GHA'"), 0);

	/* through the API: from the LATEST earlier round (2026, with its change), not 2024 */
	client_expect(admin, "POST", "/api/v1/assessments", "{\"country\":\"KEN\",\"round\":2028,\"from_previous\":true}", 201, &pr);
	ken28 = json_integer_value(json_object_get(pr.json, "id"));
	const json_t *from = json_object_get(pr.json, "started_from");
	assert_int_equal(json_integer_value(json_object_get(from, "id")), ken26);
	assert_int_equal(json_integer_value(json_object_get(from, "round")), 2026);
	assert_int_equal(json_integer_value(json_object_get(from, "answers_carried_over")), N_CARRIED);
	const json_t *sys = answer_of(pr.json, "data.system");
	assert_string_equal(json_string_value(json_object_get(sys, "value")), "partial");
	assert_true(json_is_true(json_object_get(sys, "carried_over")));
	assert_int_equal(json_integer_value(json_object_get(sys, "carried_from")), 2026);
	resp_free(&pr);
	/* the history of a question tells the carry-over and the confirmation */
	snprintf(path, sizeof(path), "/assessments/%lld/history/prev.campaigns", ken26);
	get_page(ken, path, 200, &r);
	assert_non_null(strstr(r.body, "Carried over from the previous round"));
	assert_non_null(strstr(r.body, "Carried-over answer confirmed"));
	resp_free(&r);
	client_free(admin);
	client_free(ken);
}

/* ---- did the help delivered move the scores? -------------------------------- */

static void test_delivered_help(void **state)
{
	/* KEN 2024's actions: awareness delivered (prevention), data-system delivered
	 * (data), model-law proposed (legislation: not delivered, not shown).
	 * In 2026: prevention unchanged, 100 -> 100; data system none -> partial:
	 * (3 x .5 + 1 x 0) / 4 = .375, need 62.5 -> 63, i.e. 100 -> 63, -37. */
	struct client *rev = testsrv_api(&srv, "rd-reviewer");
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/actions", ken26);
	json_t *j = get_json(rev, path);
	assert_int_equal(json_array_size(json_object_get(j, "actions")), 0);
	const json_t *help = json_object_get(j, "delivered_help");
	assert_int_equal(json_integer_value(json_object_get(help, "previous_id")), ken24);
	assert_int_equal(json_integer_value(json_object_get(help, "previous_round")), 2024);
	const json_t *areas = json_object_get(help, "areas");
	assert_int_equal(json_array_size(areas), 2);
	static const struct {
		const char *id;
		int then, now, change;
		bool improved;
		const char *action;
	} want[] = {{"prevention", 100, 100, 0, false, "rec.awareness"}, {"data", 100, 63, -37, true, "rec.data-system"}};
	for (size_t i = 0; i < 2; i++) {
		const json_t *a = json_array_get(areas, i);
		assert_string_equal(json_string_value(json_object_get(a, "id")), want[i].id);
		assert_int_equal(json_integer_value(json_object_get(a, "need_then")), want[i].then);
		assert_int_equal(json_integer_value(json_object_get(a, "need_now")), want[i].now);
		assert_int_equal(json_integer_value(json_object_get(a, "change")), want[i].change);
		assert_int_equal(json_is_true(json_object_get(a, "improved")), want[i].improved);
		const json_t *acts = json_object_get(a, "actions");
		assert_int_equal(json_array_size(acts), 1);
		assert_string_equal(json_string_value(json_object_get(json_array_get(acts, 0), "rec")), want[i].action);
		assert_string_equal(json_string_value(json_object_get(json_array_get(acts, 0), "status")), "delivered");
	}
	json_decref(j);
	client_free(rev);

	/* the results page of 2026, for an official of the country as for a reviewer */
	static const char *const who[] = {"rd-ken", "rd-reviewer"};
	for (size_t i = 0; i < 2; i++) {
		struct client *c = testsrv_browser(&srv, who[i]);
		struct resp r;
		snprintf(path, sizeof(path), "/assessments/%lld/results", ken26);
		get_page(c, path, 200, &r);
		const char *h = strstr(r.body, "<h3 id=\"help-heading\">Help delivered after round 2024</h3>");
		assert_non_null(h);
		assert_non_null(strstr(h, "<tr><th scope=\"row\">Prevention and awareness-raising</th><td class=\"num\">100</td>"
					  "<td class=\"num\">100</td><td class=\"change change-same\">0 (no change)</td>"
					  "<td class=\"outcome\">No change</td><td><ul class=\"plain\"><li>Awareness-raising campaign"
					  " (Fictional Fund), 2024-03-01 \xe2\x80\x93 2024-09-30</li></ul></td></tr>"));
		assert_non_null(strstr(h, "<tr><th scope=\"row\">Data collection and research</th><td class=\"num\">100</td>"
					  "<td class=\"num\">63</td><td class=\"change change-down\">\xe2\x88\x92" "37 (less need)</td>"
					  "<td class=\"outcome improved\">Improved</td><td><ul class=\"plain\"><li>Case recording "
					  "system, 2024-01-10 \xe2\x80\x93 2025-06-30</li></ul></td></tr>"));
		assert_null(strstr(h, "<th scope=\"row\">Legislative assistance</th><td class=\"num\">50</td><td class=\"num\">50</td><td class=\"change change-same\">0 (no change)</td><td class=\"outcome"));
		resp_free(&r);
		client_free(c);
	}
	/* 2028 compares with 2026, whose plan has no delivered action */
	struct client *c = testsrv_browser(&srv, "rd-reviewer");
	struct resp r;
	snprintf(path, sizeof(path), "/assessments/%lld/results", ken28);
	get_page(c, path, 200, &r);
	assert_non_null(strstr(r.body, "Help delivered after round 2026"));
	assert_non_null(strstr(r.body, "No assistance action of that round is marked delivered."));
	resp_free(&r);
	client_free(c);
}

/* ---- the demo data set ------------------------------------------------------- */

static void test_demo(void **state)
{
	struct testsrv demo;
	memset(&demo, 0, sizeof(demo));
	snprintf(demo.dir, sizeof(demo.dir), "/tmp/somguide-demo-XXXXXX");
	assert_non_null(mkdtemp(demo.dir));
	snprintf(demo.db_path, sizeof(demo.db_path), "%s/demo.db", demo.dir);
	char cmd[512], out[8192] = "";
	snprintf(cmd, sizeof(cmd), "%s demo --db %s --password 'demo password for tests' 2>&1", somguide_bin(),
		 demo.db_path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	int rc = pclose(p);
	if (!WIFEXITED(rc) || WEXITSTATUS(rc) != 0)
		fail_msg("somguide demo: %d: %s", rc, out);
	assert_non_null(strstr(out, "generated and fictional"));
	assert_non_null(strstr(out, "one password for all, shown only now: demo password for tests"));
	assert_non_null(strstr(out, "reviewer"));
	/* an existing file is never overwritten; --replace replaces only a demo */
	p = popen(cmd, "r");
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	rc = pclose(p);
	assert_true(WIFEXITED(rc) && WEXITSTATUS(rc) == 2);
	assert_non_null(strstr(out, "exists"));
	snprintf(cmd, sizeof(cmd), "%s demo --replace --db %s 2>&1", somguide_bin(), srv.db_path);
	p = popen(cmd, "r");
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	rc = pclose(p);
	assert_true(WIFEXITED(rc) && WEXITSTATUS(rc) == 2);
	assert_non_null(strstr(out, "is not a demo database"));

	/* what it holds */
	struct testsrv *d = &demo;
	assert_true(testsrv_query_int(d, "SELECT count(DISTINCT country) FROM assessments") >= 100);
	assert_int_equal(testsrv_query_int(d, "SELECT count(DISTINCT round) FROM assessments"), 2);
	assert_int_equal(testsrv_query_int(d, "SELECT count(DISTINCT status) FROM assessments"), 4);
	assert_true(testsrv_query_int(d, "SELECT count(*) FROM actions WHERE status = 'delivered'") > 0);
	assert_int_equal(testsrv_query_int(d, "SELECT count(DISTINCT status) FROM actions"), 4);
	assert_true(testsrv_query_int(d, "SELECT count(*) FROM answers WHERE carried_from = 2023") > 0);
	assert_true(testsrv_query_int(d, "SELECT count(*) FROM comments WHERE kind = 'reply'") > 0);
	assert_int_equal(testsrv_query_int(d, "SELECT count(*) FROM answers a JOIN assessments s ON s.id = a.assessment_id"
					      " WHERE a.carried_from IS NOT NULL AND s.round = 2023"),
			 0);

	/* the server starts on it; the dashboard is full */
	struct app_config cfg = {
		.bind = "127.0.0.1",
		.db_path = demo.db_path,
		.guide_path = "schema/guide.json",
		.root = ".",
		.threads = 2,
	};
	log_set_level(getenv("TEST_VERBOSE") ? LOG_DEBUG : LOG_QUIET);
	assert_int_equal(app_start(&demo.app, &cfg), 0);
	snprintf(demo.base, sizeof(demo.base), "http://127.0.0.1:%u", demo.app.port);
	struct client *rev = client_new(&demo);
	assert_int_equal(client_login(rev, "reviewer", "demo password for tests"), 303);
	struct resp r;
	get_page(rev, "/dashboard", 200, &r);
	int rows = 0;
	for (const char *s = r.body; (s = strstr(s, "<tr><th scope=\"row\"><a href=\"/assessments/")); s++)
		rows++;
	if (rows < 100)
		fail_msg("the demo dashboard lists %d countries", rows);
	resp_free(&r);
	/* Kenya 2026: a draft started from 2023, with its help compared */
	long long k26 = testsrv_query_int(d, "SELECT id FROM assessments WHERE country = 'KEN' AND round = 2026");
	char path[96];
	snprintf(path, sizeof(path), "/assessments/%lld/results", k26);
	get_page(rev, path, 200, &r);
	assert_non_null(strstr(r.body, "Help delivered after round 2023"));
	resp_free(&r);
	client_free(rev);
	struct client *focal = client_new(&demo);
	assert_int_equal(client_login(focal, "focal.ken", "demo password for tests"), 303);
	snprintf(path, sizeof(path), "/assessments/%lld", k26);
	get_page(focal, path, 200, &r);
	assert_non_null(strstr(r.body, "answers carried over from round 2023"));
	resp_free(&r);
	get_page(focal, "/dashboard", 403, &r);
	resp_free(&r);
	client_free(focal);
	testsrv_stop(&demo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_actions_api),
		cmocka_unit_test(test_actions_pages),
		cmocka_unit_test(test_carry_over),
		cmocka_unit_test(test_delivered_help),
		cmocka_unit_test(test_demo),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
