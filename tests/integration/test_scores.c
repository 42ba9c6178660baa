/* test_scores.c - needs scores, the assistance plan, the results page and the
 * dashboard, against a real server on port 0 with the fixture guide.
 *
 * Every expected figure below was computed by hand from tests/fixtures/guide-small.json
 * and SCORING.md (the working is in the comments); nothing here calls score.c or
 * plan.c. The materialized tables are read straight from the SQLite file and must
 * equal the API's fresh computation after every change.
 *
 * The tests run in order and build on each other: KEN 2024 (set D), KEN 2026 (set A,
 * then edited to set B), FRA 2026 (set A, then an area form), MEX 2026 (set A, then
 * cleared). The critical override (a low or moderate need raised to high) cannot
 * occur with this fixture (every critical question outweighs the rest of its area),
 * so the unit tests of score.c cover it. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "htmlcheck.h"
#include "testsrv.h"

static struct testsrv srv;
static json_t *fixture;       /* the guide, for recommendation titles and resources */
static long long ken24, ken26, fra26, mex26;

static int setup(void **state)
{
	fixture = json_load_file("tests/fixtures/guide-small.json", 0, NULL);
	if (!fixture || testsrv_start(&srv, NULL) != 0)
		return -1;
	testsrv_add_user(&srv, "sc-admin", "admin", NULL, false);
	testsrv_add_user(&srv, "sc-reviewer", "reviewer", NULL, false);
	testsrv_add_user(&srv, "sc-ken", "official", "KEN", true);
	return 0;
}

/* A client of the API that writes answers: an administrator with a token. */
static struct client *api_client(void)
{
	struct client *c = client_new(&srv);
	assert_int_equal(client_token(c, "sc-admin", TESTSRV_PASSWORD, NULL, 0), 201);
	return c;
}

/* A browser signed in as name. */
static struct client *browser(const char *name)
{
	struct client *c = client_new(&srv);
	assert_int_equal(client_login(c, name, TESTSRV_PASSWORD), 303);
	return c;
}

static int teardown(void **state)
{
	testsrv_stop(&srv);
	json_decref(fixture);
	return 0;
}

/* ---- expectations ------------------------------------------------------- */

#define NUL -1 /* an undefined need or capacity */

struct exp_area {
	const char *id;
	double capacity;        /* NUL: null */
	int need;               /* NUL: null */
	const char *level;
	double coverage;
	int answered, applicable, data_gaps;
	const char *gaps;       /* critical gaps, comma-separated */
};

struct exp_scores {
	struct exp_area areas[7];
	int need;               /* NUL: null */
	double coverage;
	const char *priorities; /* comma-separated */
};

struct exp_item {
	const char *id, *area, *level, *by;
};

/* Set A.
 * prevention: campaigns some .5 (w2), channels media+communities .25+.5 = .75 (w1):
 *   1.75/3 = .583333, need round(41.67) = 42 moderate.
 * data: system dk 0 (w3, critical gap, data gap), published yes 1 (w1): 1/4 = .25, 75 critical.
 * legislation: criminalized partly .5 (w3), aggravating na: 1.5/3 = .5, 50 high.
 * policy: strategy draft .5 (w2), coordination standing 1 (w1): 2/3, need 33 moderate.
 * criminal-justice: nothing answered: applicable 2, unknown.
 * protection: assistance none 0 (w3, critical gap), rights three options 1.5 capped 1 (w2):
 *   2/5 = .4, 60 high.
 * cooperation: mla no 0 (w2, critical gap); liaison stored yes but hidden (mla not yes):
 *   applicable 1, 0, need 100 critical.
 * overall: (42+75+50+33+60+100)/6 = 60; coverage 10/12; priorities by need. */
static const char set_a[] =
	"{\"answers\":{\"prev.campaigns\":{\"value\":\"some\"},\"prev.channels\":{\"value\":[\"media\",\"communities\"]},"
	"\"prev.budget\":{\"value\":1200},\"data.system\":{\"value\":\"dk\"},\"data.published\":{\"value\":\"yes\"},"
	"\"leg.criminalized\":{\"value\":\"partly\"},\"leg.aggravating\":{\"value\":\"na\"},"
	"\"pol.strategy\":{\"value\":\"draft\"},\"pol.coordination\":{\"value\":\"standing\"},"
	"\"prot.assistance\":{\"value\":\"none\"},"
	"\"prot.rights\":{\"value\":[\"information\",\"legal-aid\",\"interpreter\"]},"
	"\"coop.mla\":{\"value\":\"no\"},\"coop.liaison\":{\"value\":\"yes\"}}}";

static const struct exp_scores exp_a = {
	{{"prevention", 1.75 / 3, 42, "moderate", 1, 2, 2, 0, ""},
	 {"data", 0.25, 75, "critical", 1, 2, 2, 1, "data.system"},
	 {"legislation", 0.5, 50, "high", 1, 1, 1, 0, ""},
	 {"policy", 2.0 / 3, 33, "moderate", 1, 2, 2, 0, ""},
	 {"criminal-justice", NUL, NUL, "unknown", 0, 0, 2, 0, ""},
	 {"protection", 0.4, 60, "high", 1, 2, 2, 0, "prot.assistance"},
	 {"cooperation", 0, 100, "critical", 1, 1, 1, 0, "coop.mla"}},
	60, 10.0 / 12, "cooperation,data,protection,legislation,prevention,policy"};

/* Plan A: cooperation (100): cooperation by mla; protection (60): assistance by
 * assistance; legislation (50): model-law by criminalized; prevention (42):
 * awareness and community, one question each (channels, listed once although two
 * of its options recommend awareness): by id; policy (33): strategy by strategy. */
static const struct exp_item plan_a[] = {
	{"rec.cooperation", "cooperation", "critical", "coop.mla"},
	{"rec.assistance", "protection", "high", "prot.assistance"},
	{"rec.model-law", "legislation", "high", "leg.criminalized"},
	{"rec.awareness", "prevention", "moderate", "prev.channels"},
	{"rec.community", "prevention", "moderate", "prev.channels"},
	{"rec.strategy", "policy", "moderate", "pol.strategy"},
};

/* Set B, merged over set A.
 * prevention: campaigns none 0 (critical gap); channels hidden: 0, 100 critical.
 * data: system partial .5 (w3), published no 0 (w1): 1.5/4 = .375, need 62.5 -> 63
 *   (half away from zero) high; .5 is no critical gap.
 * legislation: criminalized fully 1 (w3), aggravating none 0 (w2): 3/5 = .6, 40 moderate.
 * policy: as in A, 33 moderate.
 * criminal-justice: training some .5 (w2), unit no 0 (w1): 1/3, need 67 high.
 * protection: assistance basic .5 (w3), rights nothing 0 (w2): 1.5/5 = .3, 70 high.
 * cooperation: mla yes 1 (w2), liaison (stored yes, now shown) 1 (w1): 1, need 0 low.
 * overall: (100+63+40+33+67+70+0)/7 = 53.29 -> 53; coverage 13/13. */
static const char set_b[] =
	"{\"answers\":{\"prev.campaigns\":{\"value\":\"none\"},\"data.system\":{\"value\":\"partial\"},"
	"\"data.published\":{\"value\":\"no\"},\"leg.criminalized\":{\"value\":\"fully\"},"
	"\"leg.aggravating\":{\"value\":\"none\"},\"cj.training\":{\"value\":\"some\"},\"cj.unit\":{\"value\":\"no\"},"
	"\"prot.assistance\":{\"value\":\"basic\"},\"prot.rights\":{\"value\":[\"nothing\"]},"
	"\"coop.mla\":{\"value\":\"yes\"}}}";

static const struct exp_scores exp_b = {
	{{"prevention", 0, 100, "critical", 1, 1, 1, 0, "prev.campaigns"},
	 {"data", 0.375, 63, "high", 1, 2, 2, 0, ""},
	 {"legislation", 0.6, 40, "moderate", 1, 2, 2, 0, ""},
	 {"policy", 2.0 / 3, 33, "moderate", 1, 2, 2, 0, ""},
	 {"criminal-justice", 1.0 / 3, 67, "high", 1, 2, 2, 0, ""},
	 {"protection", 0.3, 70, "high", 1, 2, 2, 0, ""},
	 {"cooperation", 1, 0, "low", 1, 2, 2, 0, ""}},
	53, 1, "prevention,protection,criminal-justice,data,legislation,policy,cooperation"};

/* Plan B: prevention (100) awareness by campaigns; protection (70) assistance by
 * rights; criminal-justice (67) specialised-unit and training, one each: by id; data
 * (63) data-publication and data-system: by id; legislation (40) model-law by
 * aggravating; policy (33) strategy; cooperation (0): nothing answered "no". */
static const struct exp_item plan_b[] = {
	{"rec.awareness", "prevention", "critical", "prev.campaigns"},
	{"rec.assistance", "protection", "high", "prot.rights"},
	{"rec.specialised-unit", "criminal-justice", "high", "cj.unit"},
	{"rec.training", "criminal-justice", "high", "cj.training"},
	{"rec.data-publication", "data", "high", "data.published"},
	{"rec.data-system", "data", "high", "data.system"},
	{"rec.model-law", "legislation", "moderate", "leg.aggravating"},
	{"rec.strategy", "policy", "moderate", "pol.strategy"},
};

/* Set D: four areas answered with nothing (need 100 each); prevention's campaigns
 * unanswered (open, channels hidden: applicable 1); coop.liaison hidden.
 * coverage 7/12; priorities all 100 with one critical gap each: guide order.
 * Plan: all areas 100, so by number of triggering questions: model-law and strategy
 * (two each, by id), then cooperation, data-publication, data-system (by id). */
static const char set_d[] =
	"{\"answers\":{\"data.system\":{\"value\":\"none\"},\"data.published\":{\"value\":\"no\"},"
	"\"leg.criminalized\":{\"value\":\"no\"},\"leg.aggravating\":{\"value\":\"none\"},"
	"\"pol.strategy\":{\"value\":\"no\"},\"pol.coordination\":{\"value\":\"none\"},"
	"\"coop.mla\":{\"value\":\"no\"}}}";

static const struct exp_scores exp_d = {
	{{"prevention", NUL, NUL, "unknown", 0, 0, 1, 0, ""},
	 {"data", 0, 100, "critical", 1, 2, 2, 0, "data.system"},
	 {"legislation", 0, 100, "critical", 1, 2, 2, 0, "leg.criminalized"},
	 {"policy", 0, 100, "critical", 1, 2, 2, 0, "pol.strategy"},
	 {"criminal-justice", NUL, NUL, "unknown", 0, 0, 2, 0, ""},
	 {"protection", NUL, NUL, "unknown", 0, 0, 2, 0, ""},
	 {"cooperation", 0, 100, "critical", 1, 1, 1, 0, "coop.mla"}},
	100, 7.0 / 12, "data,legislation,policy,cooperation"};

static const struct exp_item plan_d[] = {
	{"rec.model-law", "legislation", "critical", "leg.criminalized,leg.aggravating"},
	{"rec.strategy", "policy", "critical", "pol.strategy,pol.coordination"},
	{"rec.cooperation", "cooperation", "critical", "coop.mla"},
	{"rec.data-publication", "data", "critical", "data.published"},
	{"rec.data-system", "data", "critical", "data.system"},
};

/* Set C: every answer of set A cleared (null): nothing defined, coverage 0. */
static const char set_c[] =
	"{\"answers\":{\"prev.campaigns\":{\"value\":null},\"prev.channels\":{\"value\":null},"
	"\"prev.budget\":{\"value\":null},\"data.system\":{\"value\":null},\"data.published\":{\"value\":null},"
	"\"leg.criminalized\":{\"value\":null},\"leg.aggravating\":{\"value\":null},"
	"\"pol.strategy\":{\"value\":null},\"pol.coordination\":{\"value\":null},"
	"\"prot.assistance\":{\"value\":null},\"prot.rights\":{\"value\":null},"
	"\"coop.mla\":{\"value\":null},\"coop.liaison\":{\"value\":null}}}";

static const struct exp_scores exp_c = {
	{{"prevention", NUL, NUL, "unknown", 0, 0, 1, 0, ""},
	 {"data", NUL, NUL, "unknown", 0, 0, 2, 0, ""},
	 {"legislation", NUL, NUL, "unknown", 0, 0, 2, 0, ""},
	 {"policy", NUL, NUL, "unknown", 0, 0, 2, 0, ""},
	 {"criminal-justice", NUL, NUL, "unknown", 0, 0, 2, 0, ""},
	 {"protection", NUL, NUL, "unknown", 0, 0, 2, 0, ""},
	 {"cooperation", NUL, NUL, "unknown", 0, 0, 1, 0, ""}},
	NUL, 0, ""};

/* ---- helpers ------------------------------------------------------------ */

static long long create(struct client *c, const char *country, int round)
{
	char body[128];
	snprintf(body, sizeof(body), "{\"country\":\"%s\",\"round\":%d}", country, round);
	struct resp r;
	assert_int_equal(client_json(c, "POST", "/api/v1/assessments", body, &r), 0);
	assert_int_equal(r.status, 201);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	resp_free(&r);
	assert_true(id > 0);
	return id;
}

static void put_answers(struct client *c, long long id, const char *body)
{
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/answers", id);
	struct resp r;
	assert_int_equal(client_json(c, "PUT", path, body, &r), 0);
	if (r.status != 200)
		fail_msg("PUT %s: %ld %s", path, r.status, r.body);
	resp_free(&r);
}

/* GET /api/v1/assessments/{id}/{what} as JSON (200 expected); the caller releases
 * the document. */
static json_t *get_json(struct client *c, long long id, const char *what)
{
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/%s", id, what);
	struct resp r;
	assert_int_equal(client_get(c, path, &r), 0);
	if (r.status != 200)
		fail_msg("GET %s: %ld %s", path, r.status, r.body);
	assert_non_null(r.json);
	json_t *j = json_incref(r.json);
	resp_free(&r);
	return j;
}

/* The comma-separated list of the strings of a JSON array (static rotating buffers). */
static const char *joined(const json_t *arr)
{
	static char bufs[4][1024];
	static int k;
	char *out = bufs[k++ & 3];
	size_t o = 0;
	out[0] = '\0';
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		assert_true(json_is_string(v));
		o += (size_t)snprintf(out + o, sizeof(bufs[0]) - o, "%s%s", i ? "," : "", json_string_value(v));
	}
	return out;
}

static void check_scores(const json_t *s, const struct exp_scores *e)
{
	const json_t *areas = json_object_get(s, "areas");
	assert_int_equal(json_array_size(areas), 7);
	for (size_t i = 0; i < 7; i++) {
		const json_t *a = json_array_get(areas, i);
		const struct exp_area *x = &e->areas[i];
		assert_string_equal(json_string_value(json_object_get(a, "id")), x->id);
		const json_t *cap = json_object_get(a, "capacity"), *need = json_object_get(a, "need");
		if (x->need == NUL) {
			assert_true(json_is_null(cap));
			assert_true(json_is_null(need));
		} else {
			assert_true(json_is_number(cap));
			if (fabs(json_number_value(cap) - x->capacity) > 1e-9)
				fail_msg("%s: capacity %.10f, expected %.10f", x->id, json_number_value(cap), x->capacity);
			assert_true(json_is_integer(need));
			if (json_integer_value(need) != x->need)
				fail_msg("%s: need %lld, expected %d", x->id, (long long)json_integer_value(need), x->need);
		}
		assert_string_equal(json_string_value(json_object_get(a, "level")), x->level);
		assert_true(fabs(json_number_value(json_object_get(a, "coverage")) - x->coverage) < 1e-9);
		assert_int_equal(json_integer_value(json_object_get(a, "answered")), x->answered);
		assert_int_equal(json_integer_value(json_object_get(a, "applicable")), x->applicable);
		assert_int_equal(json_integer_value(json_object_get(a, "data_gaps")), x->data_gaps);
		assert_string_equal(joined(json_object_get(a, "critical_gaps")), x->gaps);
	}
	const json_t *o = json_object_get(s, "overall");
	if (e->need == NUL)
		assert_true(json_is_null(json_object_get(o, "need")));
	else
		assert_int_equal(json_integer_value(json_object_get(o, "need")), e->need);
	assert_true(fabs(json_number_value(json_object_get(o, "coverage")) - e->coverage) < 1e-9);
	assert_string_equal(joined(json_object_get(o, "priorities")), e->priorities);
}

/* The fixture's recommendation of that id. */
static const json_t *fixture_rec(const char *id)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(fixture, "recommendations"), i, r) {
		if (strcmp(json_string_value(json_object_get(r, "id")), id) == 0)
			return r;
	}
	fail_msg("no recommendation %s in the fixture", id);
	return NULL;
}

static void check_plan(const json_t *p, const struct exp_item *items, size_t n)
{
	const json_t *arr = json_object_get(p, "items");
	if (json_array_size(arr) != n) {
		char *s = json_dumps(p, JSON_COMPACT);
		fail_msg("plan has %zu items, expected %zu: %s", json_array_size(arr), n, s);
	}
	for (size_t i = 0; i < n; i++) {
		const json_t *it = json_array_get(arr, i);
		const json_t *rec = fixture_rec(items[i].id);
		assert_string_equal(json_string_value(json_object_get(it, "id")), items[i].id);
		assert_string_equal(json_string_value(json_object_get(it, "area")), items[i].area);
		assert_string_equal(json_string_value(json_object_get(it, "level")), items[i].level);
		assert_string_equal(joined(json_object_get(it, "triggered_by")), items[i].by);
		assert_string_equal(json_string_value(json_object_get(it, "title")),
				    json_string_value(json_object_get(json_object_get(rec, "title"), "en")));
		const json_t *res = json_object_get(it, "resources"), *fres = json_object_get(rec, "resources");
		assert_int_equal(json_array_size(res), json_array_size(fres));
		for (size_t k = 0; k < json_array_size(res); k++)
			assert_string_equal(json_string_value(json_array_get(res, k)),
					    json_string_value(json_object_get(json_array_get(fres, k), "en")));
		assert_true(json_equal(json_object_get(it, "cjat"), json_object_get(rec, "cjat")));
	}
}

/* The stored (materialized) figures of assessment id must equal the API's. */
static void check_stored(struct client *c, long long id)
{
	json_t *s = get_json(c, id, "scores");
	json_t *p = get_json(c, id, "plan");
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(srv.db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT area, need, capacity, level, coverage, answered, applicable, data_gaps,"
					    " n_critical_gaps, critical_gaps FROM assessment_scores WHERE assessment_id = ?"
					    " ORDER BY position",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	size_t i = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const json_t *a = json_array_get(json_object_get(s, "areas"), i++);
		assert_non_null(a);
		assert_string_equal((const char *)sqlite3_column_text(st, 0), json_string_value(json_object_get(a, "id")));
		const json_t *need = json_object_get(a, "need");
		if (json_is_null(need)) {
			assert_int_equal(sqlite3_column_type(st, 1), SQLITE_NULL);
			assert_int_equal(sqlite3_column_type(st, 2), SQLITE_NULL);
		} else {
			assert_int_equal(sqlite3_column_int(st, 1), json_integer_value(need));
			assert_true(fabs(sqlite3_column_double(st, 2) - json_number_value(json_object_get(a, "capacity"))) <
				    1e-12);
		}
		assert_string_equal((const char *)sqlite3_column_text(st, 3), json_string_value(json_object_get(a, "level")));
		assert_true(fabs(sqlite3_column_double(st, 4) - json_number_value(json_object_get(a, "coverage"))) < 1e-12);
		assert_int_equal(sqlite3_column_int(st, 5), json_integer_value(json_object_get(a, "answered")));
		assert_int_equal(sqlite3_column_int(st, 6), json_integer_value(json_object_get(a, "applicable")));
		assert_int_equal(sqlite3_column_int(st, 7), json_integer_value(json_object_get(a, "data_gaps")));
		assert_int_equal(sqlite3_column_int(st, 8), json_array_size(json_object_get(a, "critical_gaps")));
		json_t *gaps = json_loads((const char *)sqlite3_column_text(st, 9), 0, NULL);
		assert_true(json_equal(gaps, json_object_get(a, "critical_gaps")));
		json_decref(gaps);
	}
	sqlite3_finalize(st);
	assert_int_equal(i, 7);

	assert_int_equal(sqlite3_prepare_v2(db, "SELECT need, coverage, priorities FROM assessment_overall"
						" WHERE assessment_id = ?", -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	const json_t *o = json_object_get(s, "overall");
	if (json_is_null(json_object_get(o, "need")))
		assert_int_equal(sqlite3_column_type(st, 0), SQLITE_NULL);
	else
		assert_int_equal(sqlite3_column_int(st, 0), json_integer_value(json_object_get(o, "need")));
	assert_true(fabs(sqlite3_column_double(st, 1) - json_number_value(json_object_get(o, "coverage"))) < 1e-12);
	json_t *prio = json_loads((const char *)sqlite3_column_text(st, 2), 0, NULL);
	assert_true(json_equal(prio, json_object_get(o, "priorities")));
	json_decref(prio);
	sqlite3_finalize(st);

	assert_int_equal(sqlite3_prepare_v2(db, "SELECT rec_id, area, n_triggers, triggered_by FROM assessment_plan_items"
						" WHERE assessment_id = ? ORDER BY position", -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	i = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const json_t *it = json_array_get(json_object_get(p, "items"), i++);
		assert_non_null(it);
		assert_string_equal((const char *)sqlite3_column_text(st, 0), json_string_value(json_object_get(it, "id")));
		assert_string_equal((const char *)sqlite3_column_text(st, 1), json_string_value(json_object_get(it, "area")));
		assert_int_equal(sqlite3_column_int(st, 2), json_array_size(json_object_get(it, "triggered_by")));
		json_t *by = json_loads((const char *)sqlite3_column_text(st, 3), 0, NULL);
		assert_true(json_equal(by, json_object_get(it, "triggered_by")));
		json_decref(by);
	}
	sqlite3_finalize(st);
	assert_int_equal(i, json_array_size(json_object_get(p, "items")));
	sqlite3_close(db);
	json_decref(s);
	json_decref(p);
}

static void check_api(struct client *c, long long id, const struct exp_scores *e, const struct exp_item *items,
		      size_t n)
{
	json_t *s = get_json(c, id, "scores");
	check_scores(s, e);
	json_decref(s);
	json_t *p = get_json(c, id, "plan");
	check_plan(p, items, n);
	json_decref(p);
	check_stored(c, id);
}

/* GETs an HTML page: its status, and when 200, that it is well formed. The caller
 * frees the response. */
static void get_page(struct client *c, const char *path, long status, struct resp *r)
{
	assert_int_equal(client_get(c, path, r), 0);
	if (r->status != status)
		fail_msg("GET %s: %ld, expected %ld", path, r->status, status);
	if (status == 200) {
		char err[256];
		if (html_check(r->body, r->len, err, sizeof(err)) != 0)
			fail_msg("GET %s: the HTML is not well formed: %s", path, err);
	}
}

/* true when a occurs in s before b (both must occur). */
static bool before(const char *s, const char *a, const char *b)
{
	const char *x = strstr(s, a), *y = strstr(s, b);
	if (!x || !y)
		fail_msg("\"%s\" or \"%s\" missing", a, b);
	return x < y;
}

static void set_status(long long id, const char *status)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "UPDATE assessments SET status = '%s' WHERE id = %lld", status, id);
	assert_int_equal(testsrv_exec(&srv, sql), 0);
}

/* ---- the tests ---------------------------------------------------------- */

static void test_new_assessment_has_stored_figures(void **state)
{
	struct client *c = api_client();
	ken24 = create(c, "KEN", 2024);
	/* nothing answered: every area unknown, the prevention channels and the
	 * liaison question hidden; the table has its rows from the start */
	check_api(c, ken24, &exp_c, NULL, 0);
	client_free(c);
}

static void test_scores_set_d(void **state)
{
	struct client *c = api_client();
	put_answers(c, ken24, set_d);
	check_api(c, ken24, &exp_d, plan_d, sizeof(plan_d) / sizeof(plan_d[0]));
	client_free(c);
}

static void test_scores_set_a_then_b(void **state)
{
	struct client *c = api_client();
	ken26 = create(c, "KEN", 2026);
	put_answers(c, ken26, set_a);
	check_api(c, ken26, &exp_a, plan_a, sizeof(plan_a) / sizeof(plan_a[0]));
	put_answers(c, ken26, set_b);
	check_api(c, ken26, &exp_b, plan_b, sizeof(plan_b) / sizeof(plan_b[0]));
	client_free(c);
}

static void test_scores_cleared(void **state)
{
	struct client *c = api_client();
	mex26 = create(c, "MEX", 2026);
	put_answers(c, mex26, set_a);
	check_api(c, mex26, &exp_a, plan_a, sizeof(plan_a) / sizeof(plan_a[0]));
	put_answers(c, mex26, set_c);
	check_api(c, mex26, &exp_c, NULL, 0);
	client_free(c);
}

/* The area form is the other write path: it refreshes the stored figures too. */
static void test_area_form_refreshes(void **state)
{
	struct client *c = api_client();
	fra26 = create(c, "FRA", 2026);
	put_answers(c, fra26, set_a);
	client_free(c);
	c = browser("sc-admin");
	char path[96];
	snprintf(path, sizeof(path), "/assessments/%lld/areas/cooperation", fra26);
	struct resp r;
	char form[512];
	snprintf(form, sizeof(form), "csrf_token=%s&q.coop.mla=yes&c.coop.mla=&q.coop.liaison=no&c.coop.liaison=",
		 client_csrf(c));
	assert_int_equal(client_post_form(c, path, form, &r), 0);
	assert_int_equal(r.status, 303);
	resp_free(&r);
	/* cooperation: mla yes 1 (w2), liaison no 0 (w1): 2/3, need 33 moderate; the
	 * plan gains liaison and cooperation, both by liaison (cooperation area, 33,
	 * after prevention 42 and before policy 33 by... the same need: one trigger
	 * each, then id: cooperation, liaison, strategy) */
	struct exp_scores e = exp_a;
	e.areas[6] = (struct exp_area){"cooperation", 2.0 / 3, 33, "moderate", 1, 2, 2, 0, ""};
	e.need = 49;                  /* (42+75+50+33+60+33)/6 = 48.83 */
	e.coverage = 11.0 / 13;
	e.priorities = "data,protection,legislation,prevention,policy,cooperation";
	static const struct exp_item plan[] = {
		{"rec.assistance", "protection", "high", "prot.assistance"},
		{"rec.model-law", "legislation", "high", "leg.criminalized"},
		{"rec.awareness", "prevention", "moderate", "prev.channels"},
		{"rec.community", "prevention", "moderate", "prev.channels"},
		{"rec.cooperation", "cooperation", "moderate", "coop.liaison"},
		{"rec.liaison", "cooperation", "moderate", "coop.liaison"},
		{"rec.strategy", "policy", "moderate", "pol.strategy"},
	};
	check_api(c, fra26, &e, plan, sizeof(plan) / sizeof(plan[0]));
	client_free(c);
}

static void test_api_errors(void **state)
{
	struct client *c = api_client();
	struct resp r;
	static const char *const paths[] = {"/api/v1/assessments/9999/scores", "/api/v1/assessments/9999/plan",
					    "/api/v1/assessments/abc/scores"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		assert_int_equal(client_get(c, paths[i], &r), 0);
		assert_int_equal(r.status, 404);
		assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "error"), "code")),
				    "not_found");
		resp_free(&r);
	}
	client_free(c);
}

static void test_results_page(void **state)
{
	struct client *c = browser("sc-reviewer");
	struct resp r;
	char path[96];
	snprintf(path, sizeof(path), "/assessments/%lld/results", ken26);
	get_page(c, path, 200, &r);
	const char *b = r.body;
	/* the chart: an SVG with a title and a description in words */
	assert_non_null(strstr(b, "<svg "));
	assert_non_null(strstr(b, "role=\"img\""));
	assert_non_null(strstr(b, "<title id=\"profile-title\">Needs profile of Kenya, round 2026</title>"));
	assert_non_null(strstr(b, "<desc id=\"profile-desc\">"));
	assert_non_null(strstr(b, "Prevention and awareness-raising: 100, Critical"));
	assert_non_null(strstr(b, "Data collection and research: 63, High (round 2024: 100)"));
	/* the figures table: capacity to four decimals */
	assert_non_null(strstr(b, "0.3750"));
	assert_non_null(strstr(b, "0.6667"));
	/* the critical gap, linked to its question */
	char link[160];
	snprintf(link, sizeof(link), "href=\"/assessments/%lld/areas/prevention#question-prev.campaigns\"", ken26);
	assert_non_null(strstr(b, link));
	/* what drove data's score: system w3 share 75%, 37.5 need points; published 25 */
	assert_non_null(strstr(b, "75.0%"));
	assert_non_null(strstr(b, "37.5"));
	assert_non_null(strstr(b, "25.0"));
	/* the plan in plan order, with its triggers */
	assert_true(before(b, "Awareness-raising campaign", "Assistance to smuggled migrants"));
	assert_true(before(b, "Specialised unit", "Training of practitioners"));
	snprintf(link, sizeof(link), "href=\"/assessments/%lld/areas/protection#question-prot.rights\"", ken26);
	assert_non_null(strstr(b, link));
	/* the change since 2024: data 100 -> 63 */
	assert_non_null(strstr(b, "Change since round 2024"));
	assert_non_null(strstr(b, "\xe2\x88\x92" "37 (less need)"));
	/* a reviewer's pages link to the dashboard */
	assert_non_null(strstr(b, "<a href=\"/dashboard\">"));
	resp_free(&r);

	/* the first round has no previous one */
	snprintf(path, sizeof(path), "/assessments/%lld/results", ken24);
	get_page(c, path, 200, &r);
	assert_null(strstr(r.body, "Change since round"));
	assert_non_null(strstr(r.body, "<title id=\"profile-title\">"));
	resp_free(&r);
	/* nothing answered: no data everywhere, still a chart */
	snprintf(path, sizeof(path), "/assessments/%lld/results", mex26);
	get_page(c, path, 200, &r);
	assert_non_null(strstr(r.body, "<desc id=\"profile-desc\">"));
	resp_free(&r);
	/* linked from the overview */
	snprintf(path, sizeof(path), "/assessments/%lld", ken26);
	get_page(c, path, 200, &r);
	snprintf(link, sizeof(link), "href=\"/assessments/%lld/results\"", ken26);
	assert_non_null(strstr(r.body, link));
	resp_free(&r);
	get_page(c, "/assessments/9999/results", 404, &r);
	resp_free(&r);
	client_free(c);
}

static void test_dashboard(void **state)
{
	struct client *c = browser("sc-reviewer");
	struct resp r;
	char link[4][64];
	snprintf(link[0], sizeof(link[0]), "\"/assessments/%lld/results\"", ken24);
	snprintf(link[1], sizeof(link[1]), "\"/assessments/%lld/results\"", ken26);
	snprintf(link[2], sizeof(link[2]), "\"/assessments/%lld/results\"", fra26);
	snprintf(link[3], sizeof(link[3]), "\"/assessments/%lld/results\"", mex26);

	/* default: the latest round of each country, greatest overall need first
	 * (Kenya 53, France 49, Mexico none) */
	get_page(c, "/dashboard", 200, &r);
	assert_null(strstr(r.body, link[0]));
	assert_true(before(r.body, link[1], link[2]));
	assert_true(before(r.body, link[2], link[3]));
	/* the levels in words beside the colours */
	assert_non_null(strstr(r.body, "<td class=\"lvl-critical\">100 <span>Critical</span></td>"));
	assert_non_null(strstr(r.body, "<td class=\"lvl-unknown\"><span>No data</span></td>"));
	/* counts by status: three drafts */
	assert_non_null(strstr(r.body, "<span class=\"status status-draft\">Draft</span> <strong>3</strong>"));
	/* the means: one row per region */
	assert_non_null(strstr(r.body, "<th scope=\"row\">Africa</th>"));
	assert_non_null(strstr(r.body, "<th scope=\"row\">Europe</th>"));
	/* most frequent recommendations: four in both plans (Kenya B, France),
	 * then by id */
	assert_true(before(r.body, "<th scope=\"row\">Assistance to smuggled migrants</th>",
			   "<th scope=\"row\">Awareness-raising campaign</th>"));
	assert_true(before(r.body, "<th scope=\"row\">Legislative drafting support</th>",
			   "<th scope=\"row\">National strategy</th>"));
	resp_free(&r);

	get_page(c, "/dashboard?sort=name", 200, &r);
	assert_true(before(r.body, link[2], link[1])); /* France, Kenya, Mexico */
	assert_true(before(r.body, link[1], link[3]));
	resp_free(&r);

	get_page(c, "/dashboard?region=Europe", 200, &r);
	assert_non_null(strstr(r.body, link[2]));
	assert_null(strstr(r.body, link[1]));
	assert_null(strstr(r.body, link[3]));
	assert_non_null(strstr(r.body, "<th scope=\"row\">Western Europe</th>")); /* means by sub-region */
	resp_free(&r);

	get_page(c, "/dashboard?subregion=Sub-Saharan+Africa", 200, &r);
	assert_non_null(strstr(r.body, link[1]));
	assert_null(strstr(r.body, link[2]));
	resp_free(&r);

	get_page(c, "/dashboard?round=2024", 200, &r);
	assert_non_null(strstr(r.body, link[0]));
	assert_null(strstr(r.body, link[1]));
	resp_free(&r);

	get_page(c, "/dashboard?round=all", 200, &r);
	for (int i = 0; i < 4; i++)
		assert_non_null(strstr(r.body, link[i]));
	resp_free(&r);

	/* status: the latest round with that status */
	set_status(ken24, "validated");
	set_status(fra26, "validated");
	get_page(c, "/dashboard?status=validated", 200, &r);
	assert_non_null(strstr(r.body, link[0])); /* Kenya's latest validated round is 2024 */
	assert_non_null(strstr(r.body, link[2]));
	assert_null(strstr(r.body, link[1]));
	assert_null(strstr(r.body, link[3]));
	resp_free(&r);
	get_page(c, "/dashboard?status=submitted", 200, &r);
	assert_non_null(strstr(r.body, "No assessment matches these filters."));
	resp_free(&r);

	static const char *const bad[] = {"/dashboard?status=lost", "/dashboard?round=1999", "/dashboard?round=x",
					  "/dashboard?region=Atlantis", "/dashboard?sort=size"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		get_page(c, bad[i], 400, &r);
		resp_free(&r);
	}
	client_free(c);
}

/* Who may see what: the country's official sees its results and scores, not
 * another country's (404) nor the dashboard (403); nobody signed in is sent to
 * the login page (pages) or gets 401 (API). */
static void test_access(void **state)
{
	struct client *c = browser("sc-ken");
	struct resp r;
	char path[96];
	snprintf(path, sizeof(path), "/assessments/%lld/results", ken26);
	get_page(c, path, 200, &r);
	resp_free(&r);
	snprintf(path, sizeof(path), "/assessments/%lld/results", fra26);
	get_page(c, path, 404, &r);
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/scores", ken26);
	assert_int_equal(client_get(c, path, &r), 0);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/plan", fra26);
	assert_int_equal(client_get(c, path, &r), 0);
	assert_int_equal(r.status, 404);
	resp_free(&r);
	get_page(c, "/dashboard", 403, &r);
	resp_free(&r);
	client_free(c);

	c = client_new(&srv);
	get_page(c, "/dashboard", 303, &r);
	resp_free(&r);
	snprintf(path, sizeof(path), "/assessments/%lld/results", ken26);
	get_page(c, path, 303, &r);
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/scores", ken26);
	assert_int_equal(client_get(c, path, &r), 0);
	assert_int_equal(r.status, 401);
	resp_free(&r);
	client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_assessment_has_stored_figures),
		cmocka_unit_test(test_scores_set_d),
		cmocka_unit_test(test_scores_set_a_then_b),
		cmocka_unit_test(test_scores_cleared),
		cmocka_unit_test(test_area_form_refreshes),
		cmocka_unit_test(test_api_errors),
		cmocka_unit_test(test_results_page),
		cmocka_unit_test(test_dashboard),
		cmocka_unit_test(test_access),
	};
	return cmocka_run_group_tests_name("scores", tests, setup, teardown);
}
