/* test_versions.c - an assessment keeps the guide version it was started on
 * (PRODUCT.md; issue 3 item 6), against a real server on port 0:
 *
 * 1. the server starts on the fixture guide (tests/fixtures/guide-small.json, 0.1.0);
 *    KEN 2024 is started and answered, and gets an assistance action;
 * 2. a new release: the server restarts on the same database with a new current guide
 *    0.2.0 (made here from the fixture: cj.training's "some" scores 0.25 instead of
 *    0.5, its guidance rewritten; cj.unit and the recommendation only it triggered
 *    removed; cj.joint added; prev.campaigns no longer accepts "na") and the fixture
 *    archived. KEN 2024 still shows, validates, scores and exports with 0.1.0 - the
 *    removed question answerable there, the new one unknown (422) - and its stored
 *    figures are not recomputed; KEN 2026, started from it, is on 0.2.0 with only the
 *    answers 0.2.0 still asks and accepts; GET /api/v1/guide?version=0.1.0 serves the
 *    archived version, /guide/print the current one;
 * 3. an archived file with errors stops the start, each error printed with its JSON path;
 * 4. the archived file removed: KEN 2024 falls back to the current guide (and its
 *    stored figures follow); put back, the figures are recomputed with 0.1.0 again.
 *
 * Every expected figure is worked out by hand from the two guides and SCORING.md.
 * The tests run in order and build on each other. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "guide.h"
#include "htmlcheck.h"
#include "testsrv.h"

#define FIXTURE "tests/fixtures/guide-small.json"

static struct testsrv srv;
static char vdir[64];               /* the guides made here */
static char v2_path[128];           /* the new current guide, 0.2.0 */
static char archive[128];           /* holds guide-0.1.0.json (the fixture) */
static char empty[128];             /* an archive without files */
static char broken[128];            /* an archive with a broken file */
static long long ken24, ken26;

/* ---- the guides ----------------------------------------------------------- */

static json_t *fixture(void)
{
	json_t *g = json_load_file(FIXTURE, 0, NULL);
	assert_non_null(g);
	return g;
}

static json_t *area_questions(json_t *g, int ai)
{
	return json_object_get(json_array_get(json_object_get(g, "areas"), (size_t)ai), "questions");
}

/* The question with that id (borrowed), or fails. */
static json_t *question(json_t *g, const char *qid)
{
	for (int ai = 0; ai < 7; ai++) {
		size_t i;
		json_t *q;
		json_array_foreach(area_questions(g, ai), i, q)
			if (strcmp(json_string_value(json_object_get(q, "id")), qid) == 0)
				return q;
	}
	fail_msg("the fixture has no question %s", qid);
	return NULL;
}

static void write_json(json_t *g, const char *path)
{
	assert_int_equal(json_dump_file(g, path, JSON_INDENT(2)), 0);
	json_decref(g);
}

/* Guide 0.2.0: one score changed, one question removed, one added. */
static void make_v2(void)
{
	json_t *g = fixture();
	json_object_set_new(g, "version", json_string("0.2.0"));
	json_array_append_new(json_object_get(g, "changelog"),
			      json_pack("{s:s, s:s, s:{s:s}}", "version", "0.2.0", "date", "2026-06-30", "changes", "en",
					"Training weighed anew; joint investigations asked instead of a specialised unit."));
	json_t *training = question(g, "cj.training");
	json_object_set_new(json_array_get(json_object_get(training, "options"), 1), "score", json_real(0.25));
	json_object_set_new(training, "guidance", json_pack("{s:s}", "en", "Guidance of version 0.2.0: count courses."));
	json_object_set_new(question(g, "prev.campaigns"), "allow_na", json_false());
	json_t *cj = area_questions(g, 4);
	assert_string_equal(json_string_value(json_object_get(json_array_get(cj, 1), "id")), "cj.unit");
	json_array_remove(cj, 1);
	json_array_append_new(
		cj, json_pack("{s:s, s:s, s:{s:s}, s:{s:s}, s:[{s:s, s:{s:s}, s:i, s:[s]}, {s:s, s:{s:s}, s:i}]}", "id",
			      "cj.joint", "type", "choice", "text", "en", "Are joint investigations carried out with other States?",
			      "guidance", "en", "Joint investigation teams or agreements.", "options", "id", "no", "label", "en",
			      "No", "score", 0, "recommend", "rec.training", "id", "yes", "label", "en", "Yes", "score", 1));
	/* the recommendation only cj.unit triggered */
	json_t *recs = json_object_get(g, "recommendations");
	size_t i;
	json_t *rec;
	json_array_foreach(recs, i, rec)
		if (strcmp(json_string_value(json_object_get(rec, "id")), "rec.specialised-unit") == 0)
			break;
	assert_true(i < json_array_size(recs));
	json_array_remove(recs, i);
	write_json(g, v2_path);
}

static void make_dirs(void)
{
	snprintf(vdir, sizeof(vdir), "/tmp/somguide-versions-XXXXXX");
	assert_non_null(mkdtemp(vdir));
	snprintf(v2_path, sizeof(v2_path), "%s/guide.json", vdir);
	snprintf(archive, sizeof(archive), "%s/guides", vdir);
	snprintf(empty, sizeof(empty), "%s/empty", vdir);
	snprintf(broken, sizeof(broken), "%s/broken", vdir);
	assert_int_equal(mkdir(archive, 0700), 0);
	assert_int_equal(mkdir(empty, 0700), 0);
	assert_int_equal(mkdir(broken, 0700), 0);
	char path[256];
	/* the archive: the fixture as it is */
	snprintf(path, sizeof(path), "%s/guide-0.1.0.json", archive);
	write_json(fixture(), path);
	snprintf(path, sizeof(path), "%s/guide-0.1.0.json", broken);
	write_json(fixture(), path);
	/* and in the broken one, an older version with a score of 1.5 and an unknown key */
	json_t *g = fixture();
	json_object_set_new(g, "version", json_string("0.0.9"));
	json_array_append_new(json_object_get(g, "changelog"),
			      json_pack("{s:s, s:s, s:{s:s}}", "version", "0.0.9", "date", "2026-02-01", "changes", "en", "Old."));
	json_t *crim = json_array_get(area_questions(g, 2), 1);
	json_object_set_new(json_array_get(json_object_get(crim, "options"), 1), "score", json_real(1.5));
	json_object_set_new(question(g, "coop.mla"), "wieght", json_integer(2));
	snprintf(path, sizeof(path), "%s/guide-0.0.9.json", broken);
	write_json(g, path);
	make_v2();
}

static int setup(void **state)
{
	make_dirs();
	if (testsrv_start_cfg(&srv, FIXTURE, NULL) != 0)
		return -1;
	testsrv_add_user(&srv, "v-admin", "admin", NULL, false);
	testsrv_add_user(&srv, "v-rev", "reviewer", NULL, false);
	testsrv_add_user(&srv, "v-ken", "official", "KEN", true);
	return 0;
}

static int teardown(void **state)
{
	testsrv_stop(&srv);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", vdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- helpers --------------------------------------------------------------- */

static json_t *get_json(struct client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static json_t *get_json(struct client *c, const char *fmt, ...)
{
	char path[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	struct resp r;
	client_expect(c, "GET", path, NULL, 200, &r);
	json_t *j = json_incref(r.json);
	resp_free(&r);
	assert_non_null(j);
	return j;
}

/* A page: its status checked, the HTML well formed; the body (caller frees). */
static char *page(struct client *c, long status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static char *page(struct client *c, long status, const char *fmt, ...)
{
	char path[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	struct resp r;
	assert_int_equal(client_get(c, path, &r), 0);
	if (r.status != status)
		fail_msg("GET %s: %ld, expected %ld", path, r.status, status);
	char err[256];
	if (r.body && strstr(r.body, "<!DOCTYPE") && html_check(r.body, r.len, err, sizeof(err)) != 0)
		fail_msg("GET %s: the HTML is not well formed: %s", path, err);
	char *body = r.body;
	r.body = NULL;
	resp_free(&r);
	return body;
}

static void put(struct client *c, long long id, const char *answers, long status, struct resp *r)
{
	char path[96], body[1024];
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/answers", id);
	snprintf(body, sizeof(body), "{\"answers\":{%s}}", answers);
	client_expect(c, "PUT", path, body, status, r);
}

static void put0(struct client *c, long long id, const char *answers, long status)
{
	struct resp r;
	put(c, id, answers, status, &r);
	resp_free(&r);
}

/* The need of an area in a GET .../scores document: -1 for null. */
static int need_of(const json_t *scores, const char *area)
{
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(scores, "areas"), i, a)
		if (strcmp(json_string_value(json_object_get(a, "id")), area) == 0)
			return json_is_null(json_object_get(a, "need")) ? -1 : (int)json_integer_value(json_object_get(a, "need"));
	fail_msg("no area %s", area);
	return -2;
}

static void expect_scores(long long id, int cj, int coop, int overall)
{
	struct client *c = testsrv_api(&srv, "v-rev");
	json_t *s = get_json(c, "/api/v1/assessments/%lld/scores", id);
	assert_int_equal(need_of(s, "criminal-justice"), cj);
	assert_int_equal(need_of(s, "cooperation"), coop);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(s, "overall"), "need")), overall);
	json_decref(s);
	client_free(c);
}

/* The stored (materialized) need of an area, as the dashboard reads it. */
static long long stored_need(long long id, const char *area)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT need FROM assessment_scores WHERE assessment_id = %lld AND area = '%s'", id,
		 area);
	return testsrv_query_int(&srv, sql);
}

static bool has_question(const json_t *assessment, const char *qid)
{
	return json_object_get(json_object_get(assessment, "answers"), qid) != NULL;
}

/* ---- 1. started on 0.1.0 ----------------------------------------------------- */

/* KEN 2024 on 0.1.0:
 *   prevention: campaigns na -> nothing applicable -> undefined;
 *   criminal justice: training some (w2 s.5), unit no (w1 s0) -> 1/3, need 67;
 *   cooperation: mla yes (w2 s1), liaison open -> need 0;
 *   overall: mean(67, 0) = 33.5 -> 34. */
static void test_started_on_first_version(void **state)
{
	struct client *admin = testsrv_api(&srv, "v-admin"), *rev = testsrv_api(&srv, "v-rev");
	struct resp r;
	client_expect(admin, "POST", "/api/v1/assessments", "{\"country\":\"KEN\",\"round\":2024}", 201, &r);
	ken24 = json_integer_value(json_object_get(r.json, "id"));
	assert_string_equal(json_string_value(json_object_get(r.json, "guide_version")), "0.1.0");
	resp_free(&r);
	put0(admin, ken24,
	     "\"prev.campaigns\":{\"value\":\"na\"},\"cj.training\":{\"value\":\"some\"},"
	     "\"cj.unit\":{\"value\":\"no\"},\"coop.mla\":{\"value\":\"yes\"}",
	     200);
	expect_scores(ken24, 67, 0, 34);
	assert_int_equal(stored_need(ken24, "criminal-justice"), 67);
	/* the specialised unit (only 0.1.0 has it) is in the plan, and delivered */
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/actions", ken24);
	client_expect0(rev, "POST", path, "{\"rec\":\"rec.specialised-unit\",\"status\":\"delivered\"}", 201);
	client_free(admin);
	client_free(rev);
}

/* ---- 2. a new release ---------------------------------------------------------- */

static void test_restart_keeps_stored_scores(void **state)
{
	/* a mark the start-up recomputation would overwrite */
	char sql[160];
	snprintf(sql, sizeof(sql), "UPDATE assessment_overall SET computed_at = 12345 WHERE assessment_id = %lld", ken24);
	assert_int_equal(testsrv_exec(&srv, sql), 0);
	assert_int_equal(testsrv_restart(&srv, v2_path, archive), 0);
	assert_int_equal(srv.app.n_guides, 2);
	assert_string_equal(srv.app.guide->version, "0.2.0");
	snprintf(sql, sizeof(sql), "SELECT computed_at FROM assessment_overall WHERE assessment_id = %lld", ken24);
	assert_int_equal(testsrv_query_int(&srv, sql), 12345);
	assert_int_equal(stored_need(ken24, "criminal-justice"), 67);
}

static void test_guide_api_per_version(void **state)
{
	struct client *c = testsrv_api(&srv, "v-ken");
	json_t *g = get_json(c, "/api/v1/guide");
	assert_string_equal(json_string_value(json_object_get(g, "version")), "0.2.0");
	json_decref(g);
	g = get_json(c, "/api/v1/guide?version=0.1.0");
	assert_string_equal(json_string_value(json_object_get(g, "version")), "0.1.0");
	json_decref(g);
	g = get_json(c, "/api/v1/guide?version=");
	assert_string_equal(json_string_value(json_object_get(g, "version")), "0.2.0");
	json_decref(g);
	g = get_json(c, "/api/v1/guide?version=0.2.0");
	assert_string_equal(json_string_value(json_object_get(g, "version")), "0.2.0");
	json_decref(g);
	struct resp r;
	client_expect(c, "GET", "/api/v1/guide?version=0.0.1", NULL, 404, &r);
	assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "error"), "code")), "not_found");
	resp_free(&r);
	client_free(c);
}

/* The old assessment validates with 0.1.0: cj.unit is a question, cj.joint is not. */
static void test_old_assessment_answers(void **state)
{
	struct client *ken = testsrv_api(&srv, "v-ken");
	json_t *a = get_json(ken, "/api/v1/assessments/%lld", ken24);
	assert_string_equal(json_string_value(json_object_get(a, "guide_version")), "0.1.0");
	json_decref(a);
	expect_scores(ken24, 67, 0, 34); /* with 0.2.0 training would give need 75 */

	struct resp r;
	put(ken, ken24, "\"cj.joint\":{\"value\":\"no\"}", 422, &r);
	json_t *d = json_array_get(json_object_get(json_object_get(r.json, "error"), "details"), 0);
	assert_string_equal(json_string_value(json_object_get(d, "question")), "cj.joint");
	assert_non_null(strstr(json_string_value(json_object_get(d, "message")), "0.1.0"));
	resp_free(&r);
	/* "na" on prev.campaigns: 0.1.0 accepts it (0.2.0 would not) */
	put0(ken, ken24, "\"prev.campaigns\":{\"value\":\"na\",\"comment\":\"No campaigns yet\"}", 200);
	/* unit yes: (2 x .5 + 1 x 1) / 3 = .6667 -> need 33; overall mean(33, 0) = 16.5 -> 17 */
	put0(ken, ken24, "\"cj.unit\":{\"value\":\"yes\"}", 200);
	expect_scores(ken24, 33, 0, 17);
	assert_int_equal(stored_need(ken24, "criminal-justice"), 33);

	/* the plan of 0.1.0: no specialised unit any more (answered yes), training still */
	json_t *p = get_json(ken, "/api/v1/assessments/%lld/plan", ken24);
	char *s = json_dumps(p, JSON_COMPACT);
	assert_non_null(strstr(s, "\"rec.training\""));
	assert_null(strstr(s, "rec.specialised-unit"));
	free(s);
	json_decref(p);
	client_free(ken);
}

/* The area form of the old assessment: 0.1.0's questions and guidance, saved with 0.1.0. */
static void test_old_assessment_pages(void **state)
{
	struct client *ken = testsrv_browser(&srv, "v-ken");
	char *html = page(ken, 200, "/assessments/%lld/areas/criminal-justice", ken24);
	assert_non_null(strstr(html, "id=\"question-cj.unit\""));
	assert_null(strstr(html, "cj.joint"));
	assert_non_null(strstr(html, "Basic and In-depth Training Manuals."));
	assert_null(strstr(html, "Guidance of version 0.2.0"));
	free(html);

	char path[96], form[512];
	snprintf(path, sizeof(path), "/assessments/%lld/areas/criminal-justice", ken24);
	snprintf(form, sizeof(form), "csrf_token=%s&q.cj.joint=no", client_csrf(ken));
	struct resp r;
	assert_int_equal(client_post_form(ken, path, form, &r), 0);
	assert_int_equal(r.status, 422); /* not a question of this assessment's guide */
	resp_free(&r);
	/* unit no again: need 67, overall 34 */
	snprintf(form, sizeof(form), "csrf_token=%s&q.cj.unit=no&c.cj.unit=Police%%20only", client_csrf(ken));
	assert_int_equal(client_post_form(ken, path, form, &r), 0);
	assert_int_equal(r.status, 303);
	resp_free(&r);
	expect_scores(ken24, 67, 0, 34);
	assert_int_equal(stored_need(ken24, "criminal-justice"), 67);

	html = page(ken, 200, "/assessments/%lld", ken24);
	assert_non_null(strstr(html, "0.1.0"));
	free(html);
	html = page(ken, 200, "/assessments/%lld/areas/prevention", ken24);
	free(html);
	html = page(ken, 200, "/assessments/%lld/results", ken24);
	assert_non_null(strstr(html, "Is there a specialised unit?"));
	free(html);
	html = page(ken, 200, "/assessments/%lld/report", ken24);
	assert_non_null(strstr(html, "Is there a specialised unit?"));
	assert_non_null(strstr(html, "0.1.0"));
	free(html);
	html = page(ken, 200, "/assessments/%lld/history/cj.unit", ken24);
	free(html);
	html = page(ken, 404, "/assessments/%lld/history/cj.joint", ken24);
	free(html);
	client_free(ken);
}

static void test_old_assessment_review_and_exports(void **state)
{
	struct client *rev = testsrv_api(&srv, "v-rev");
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/comments", ken24);
	client_expect0(rev, "POST", path, "{\"question\":\"cj.unit\",\"body\":\"Which unit is it?\"}", 201);
	client_expect0(rev, "POST", path, "{\"question\":\"cj.joint\",\"body\":\"?\"}", 422);
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/evidence?question=cj.unit", ken24);
	client_expect0(rev, "GET", path, NULL, 200);
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/evidence?question=cj.joint", ken24);
	client_expect0(rev, "GET", path, NULL, 400);

	/* the action's recommendation is found in 0.1.0 */
	json_t *acts = get_json(rev, "/api/v1/assessments/%lld/actions", ken24);
	json_t *a = json_array_get(json_object_get(acts, "actions"), 0);
	assert_string_equal(json_string_value(json_object_get(a, "rec")), "rec.specialised-unit");
	assert_string_equal(json_string_value(json_object_get(a, "title")), "Specialised unit");
	assert_string_equal(json_string_value(json_object_get(a, "area")), "criminal-justice");
	json_decref(acts);

	json_t *doc = get_json(rev, "/api/v1/assessments/%lld/export.json", ken24);
	assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "guide"), "version")), "0.1.0");
	assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "assessment"), "guide_version")), "0.1.0");
	bool unit = false;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(doc, "answers"), i, x)
		if (strcmp(json_string_value(json_object_get(x, "question")), "cj.unit") == 0) {
			unit = true;
			assert_string_equal(json_string_value(json_object_get(x, "state")), "answered");
			assert_string_equal(json_string_value(json_object_get(x, "number")), "5.2");
		}
	assert_true(unit);
	json_decref(doc);

	struct resp r;
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/export.csv?bom=0", ken24);
	client_expect(rev, "GET", path, NULL, 200, &r);
	assert_non_null(strstr(r.body, ",criminal-justice,5.2,cj.unit,Is there a specialised unit?,choice,"));
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/export.xlsx", ken24);
	client_expect0(rev, "GET", path, NULL, 200);
	client_free(rev);
}

/* KEN 2026 starts on 0.2.0 from KEN 2024: training some and mla yes carried over;
 * unit (not in 0.2.0) and campaigns na (0.2.0 refuses na there) left behind.
 *   criminal justice: training some (w2 s.25) -> need 75; cooperation 0;
 *   overall mean(75, 0) = 37.5 -> 38. */
static void test_new_assessment_on_current_version(void **state)
{
	struct client *admin = testsrv_api(&srv, "v-admin");
	struct resp r;
	client_expect(admin, "POST", "/api/v1/assessments", "{\"country\":\"KEN\",\"round\":2026,\"from_previous\":true}", 201, &r);
	ken26 = json_integer_value(json_object_get(r.json, "id"));
	assert_string_equal(json_string_value(json_object_get(r.json, "guide_version")), "0.2.0");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r.json, "started_from"), "answers_carried_over")),
			 2);
	assert_true(has_question(r.json, "cj.training"));
	assert_true(has_question(r.json, "coop.mla"));
	assert_false(has_question(r.json, "cj.unit"));
	assert_false(has_question(r.json, "prev.campaigns"));
	resp_free(&r);
	expect_scores(ken26, 75, 0, 38);

	put(admin, ken26, "\"cj.unit\":{\"value\":\"yes\"}", 422, &r);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(json_object_get(r.json, "error"), "details"), 0), "question")),
			    "cj.unit");
	resp_free(&r);
	put0(admin, ken26, "\"prev.campaigns\":{\"value\":\"na\"}", 422);
	/* joint no: (2 x .25 + 1 x 0) / 3 = .1667 -> 83; overall mean(83, 0) = 41.5 -> 42 */
	put0(admin, ken26, "\"cj.joint\":{\"value\":\"no\"}", 200);
	expect_scores(ken26, 83, 0, 42);
	assert_int_equal(stored_need(ken26, "criminal-justice"), 83);
	/* the old round is untouched */
	expect_scores(ken24, 67, 0, 34);

	/* the help delivered after 2024 (an action on a recommendation 0.2.0 lacks) */
	json_t *acts = get_json(admin, "/api/v1/assessments/%lld/actions", ken26);
	json_t *help = json_object_get(acts, "delivered_help");
	assert_int_equal(json_integer_value(json_object_get(help, "previous_id")), ken24);
	json_t *area = json_array_get(json_object_get(help, "areas"), 0);
	assert_string_equal(json_string_value(json_object_get(area, "id")), "criminal-justice");
	assert_int_equal(json_integer_value(json_object_get(area, "need_then")), 67);
	assert_int_equal(json_integer_value(json_object_get(area, "need_now")), 83);
	json_t *act = json_array_get(json_object_get(area, "actions"), 0);
	assert_string_equal(json_string_value(json_object_get(act, "title")), "Specialised unit");
	json_decref(acts);

	json_t *doc = get_json(admin, "/api/v1/assessments/%lld/export.json", ken26);
	assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "guide"), "version")), "0.2.0");
	json_decref(doc);
	client_free(admin);

	struct client *ken = testsrv_browser(&srv, "v-ken");
	char *html = page(ken, 200, "/assessments/%lld/areas/criminal-justice", ken26);
	assert_non_null(strstr(html, "id=\"question-cj.joint\""));
	assert_null(strstr(html, "question-cj.unit"));
	assert_non_null(strstr(html, "Guidance of version 0.2.0"));
	free(html);
	html = page(ken, 200, "/assessments/%lld/results", ken26);
	assert_non_null(strstr(html, "Specialised unit"));
	free(html);
	/* the blank questionnaire is the current guide */
	html = page(ken, 200, "/guide/print");
	assert_non_null(strstr(html, "0.2.0"));
	assert_non_null(strstr(html, "Are joint investigations carried out with other States?"));
	assert_null(strstr(html, "Is there a specialised unit?"));
	free(html);
	client_free(ken);

	struct client *rev = testsrv_browser(&srv, "v-rev");
	html = page(rev, 200, "/dashboard?round=all");
	free(html);
	client_free(rev);
}

/* The cells of one CSV line without quotes (the rows read here have none). */
static size_t split(char *line, char **cells, size_t max)
{
	size_t n = 0;
	char *save = NULL;
	for (char *t = strtok_r(line, ",", &save); t && n < max; t = strtok_r(NULL, ",", &save))
		cells[n++] = t;
	return n;
}

/* answers.csv in wide form: the questions of both versions, each assessment's own. */
static void test_answers_csv_wide(void **state)
{
	struct client *rev = testsrv_api(&srv, "v-rev");
	struct resp r;
	client_expect(rev, "GET", "/api/v1/exports/answers.csv?format=wide&bom=0", NULL, 200, &r);
	char *body = strdup(r.body);
	resp_free(&r);
	char *save = NULL, *lines[4];
	size_t nl = 0;
	for (char *l = strtok_r(body, "\r\n", &save); l && nl < 4; l = strtok_r(NULL, "\r\n", &save))
		lines[nl++] = l;
	assert_int_equal(nl, 3);
	char *head[64], *row[2][64];
	size_t nh = split(lines[0], head, 64);
	long unit = -1, joint = -1;
	for (size_t i = 0; i < nh; i++) {
		if (strcmp(head[i], "cj.unit") == 0)
			unit = (long)i;
		if (strcmp(head[i], "cj.joint") == 0)
			joint = (long)i;
	}
	assert_true(unit > 0 && joint > 0);
	assert_true(joint < unit); /* the current guide's questions first */
	/* empty cells vanish in strtok: compare with the cells counted from the start */
	for (int k = 0; k < 2; k++) {
		char *copy = strdup(lines[1 + k]);
		size_t n = 0;
		char *p = copy;
		for (;;) {
			char *c = strchr(p, ',');
			if (c)
				*c = '\0';
			if (n < 64)
				row[k][n++] = p;
			if (!c)
				break;
			p = c + 1;
		}
		assert_int_equal(n, nh);
		bool is24 = atoll(row[k][0]) == ken24;
		assert_string_equal(row[k][7], is24 ? "0.1.0" : "0.2.0"); /* guide_version */
		assert_string_equal(row[k][unit], is24 ? "no" : "");
		assert_string_equal(row[k][joint], is24 ? "" : "no");
		free(copy);
	}
	free(body);
	client_free(rev);
}

/* ---- 3. a broken archive stops the start ----------------------------------------- */

static void test_broken_archive_refused(void **state)
{
	/* in this process */
	assert_int_equal(testsrv_restart(&srv, v2_path, broken), -1);
	/* and the command, with each problem and its JSON path on stderr */
	char cmd[1024], out[8192];
	snprintf(cmd, sizeof(cmd), "%s serve --port 0 --db %s/x.db --guide %s --guides %s 2>&1 >/dev/null",
		 somguide_bin(), vdir, v2_path, broken);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	int st = pclose(p);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 1);
	char expect[512];
	snprintf(expect, sizeof(expect), "%s/guide-0.0.9.json: $.areas[2].questions[1].options[1].score: score 1.5 is outside [0, 1]",
		 broken);
	if (!strstr(out, expect))
		fail_msg("expected \"%s\" in:\n%s", expect, out);
	snprintf(expect, sizeof(expect), "%s/guide-0.0.9.json: $.areas[6].questions[0].wieght: unknown key", broken);
	if (!strstr(out, expect))
		fail_msg("expected \"%s\" in:\n%s", expect, out);
	assert_null(strstr(out, "listening on"));
	/* the good archive starts again */
	assert_int_equal(testsrv_restart(&srv, v2_path, archive), 0);
	expect_scores(ken24, 67, 0, 34);
}

/* ---- 4. an archived version missing, then back ------------------------------------ */

/* Without 0.1.0, KEN 2024 is shown and scored with 0.2.0 (training .25, unit not
 * a question): need 75, overall mean(75, 0) = 37.5 -> 38; the stored figures follow
 * at start. With 0.1.0 back they are recomputed with it: 67 again. */
static void test_missing_version_falls_back(void **state)
{
	assert_int_equal(testsrv_restart(&srv, v2_path, empty), 0);
	assert_int_equal(srv.app.n_guides, 1);
	assert_int_equal(stored_need(ken24, "criminal-justice"), 75);
	expect_scores(ken24, 75, 0, 38);
	struct client *ken = testsrv_browser(&srv, "v-ken");
	char *html = page(ken, 200, "/assessments/%lld/areas/criminal-justice", ken24);
	assert_non_null(strstr(html, "id=\"question-cj.joint\""));
	free(html);
	client_free(ken);

	assert_int_equal(testsrv_restart(&srv, v2_path, archive), 0);
	assert_int_equal(stored_need(ken24, "criminal-justice"), 67);
	assert_int_equal(stored_need(ken26, "criminal-justice"), 83);
	expect_scores(ken24, 67, 0, 34);
}

/* The start-up recomputation scores each assessment with its own guide. */
static void test_recomputation_uses_own_guide(void **state)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "UPDATE assessment_scores SET need = 1 WHERE assessment_id IN (%lld, %lld)", ken24,
		 ken26);
	assert_int_equal(testsrv_exec(&srv, sql), 0);
	assert_int_equal(testsrv_exec(&srv, "DELETE FROM settings WHERE key = 'scores_guides'"), 0);
	assert_int_equal(testsrv_restart(&srv, v2_path, archive), 0);
	assert_int_equal(stored_need(ken24, "criminal-justice"), 67);
	assert_int_equal(stored_need(ken26, "criminal-justice"), 83);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_started_on_first_version),
		cmocka_unit_test(test_restart_keeps_stored_scores),
		cmocka_unit_test(test_guide_api_per_version),
		cmocka_unit_test(test_old_assessment_answers),
		cmocka_unit_test(test_old_assessment_pages),
		cmocka_unit_test(test_old_assessment_review_and_exports),
		cmocka_unit_test(test_new_assessment_on_current_version),
		cmocka_unit_test(test_answers_csv_wide),
		cmocka_unit_test(test_broken_archive_refused),
		cmocka_unit_test(test_missing_version_falls_back),
		cmocka_unit_test(test_recomputation_uses_own_guide),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
