/* test_exports.c - the exports (JSON, CSV, XLSX, the CSV of every assessment) and
 * the pages made for paper (the report, the blank questionnaire), against a real
 * server on port 0 with the fixture guide.
 *
 * The CSV is read back with a strict RFC 4180 reader written here (CRLF after every
 * record, quotes only around whole fields, doubled inside); the workbook is opened
 * as a zip through its central directory and its workbook.xml inflated with zlib.
 * The JSON document's schema is checked by tests/schema (validate-export.mjs); here
 * it must agree with /scores and /plan and with what was stored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "htmlcheck.h"
#include "testsrv.h"

static struct testsrv srv;
static struct client *admin;    /* API token of an administrator */
static struct client *reviewer; /* API token */
static struct client *ken;      /* API token of an official of KEN */
static struct client *gha;      /* API token of an official of GHA */
static struct client *ken_page; /* the official of KEN signed in with the form */
static long long ken26, ken25, gha26, fra26;

/* What users typed, with every character a CSV or a spreadsheet cares about. */
#define NOTES "Art. 6, \"aggravating\" circumstances:\r\nsee the \xe2\x80\x9cPenal Code\xe2\x80\x9d \xe2\x80\x94 \xc3\xbc\xc3\xb1\xc3\xaf"
#define FORMULA "=HYPERLINK(\"http://example.invalid\",\"click\")"

static const struct {
	const char *qid, *comment; /* a comment each, to test the formula rule */
	const char *expect;        /* the cell as the CSV must give it */
} comments[] = {
	{"prev.campaigns", FORMULA, "'" FORMULA},
	{"prev.channels", "+1 555 0100", "'+1 555 0100"},
	{"prev.budget", "-12.5", "-12.5"},           /* a plain number: no apostrophe */
	{"data.system", "-1+2", "'-1+2"},
	{"data.published", "@SUM(A1:A2)", "'@SUM(A1:A2)"},
	{"leg.criminalized", "\tindented", "'\tindented"},
	{"pol.strategy", "'quoted'", "''quoted'"},   /* an apostrophe already: one more, so it can be undone */
	{"pol.coordination", "\xef\xbc\x9d" "1+1", "'\xef\xbc\x9d" "1+1"}, /* full-width = */
	{"cj.training", "<script>alert(1)</script> & more", "<script>alert(1)</script> & more"},
};

static struct client *token_client(const char *name)
{
	struct client *c = client_new(&srv);
	assert_int_equal(client_token(c, name, TESTSRV_PASSWORD, NULL, 0), 201);
	return c;
}

static long long create(const char *country, int round)
{
	char body[96];
	snprintf(body, sizeof(body), "{\"country\":\"%s\",\"round\":%d}", country, round);
	struct resp r;
	assert_int_equal(client_json(admin, "POST", "/api/v1/assessments", body, &r), 0);
	assert_int_equal(r.status, 201);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	resp_free(&r);
	return id;
}

static void put_answers(long long id, json_t *answers)
{
	json_t *doc = json_pack("{s:o}", "answers", answers);
	char *body = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/answers", id);
	struct resp r;
	assert_int_equal(client_json(admin, "PUT", path, body, &r), 0);
	if (r.status != 200)
		fail_msg("PUT %s: %ld %s", path, r.status, r.body);
	resp_free(&r);
	free(body);
}

static int setup(void **state)
{
	if (testsrv_start(&srv, NULL) != 0)
		return -1;
	testsrv_add_user(&srv, "ex-admin", "admin", NULL, false);
	testsrv_add_user(&srv, "ex-reviewer", "reviewer", NULL, false);
	testsrv_add_user(&srv, "ex-ken", "official", "KEN", true);
	testsrv_add_user(&srv, "ex-gha", "official", "GHA", true);
	admin = token_client("ex-admin");
	reviewer = token_client("ex-reviewer");
	ken = token_client("ex-ken");
	gha = token_client("ex-gha");
	ken_page = client_new(&srv);
	if (client_login(ken_page, "ex-ken", TESTSRV_PASSWORD) != 303)
		return -1;

	/* KEN 2026: every type, na, dk, a hidden answer (liaison while mla is no), the
	 * comments above; 16 stored answers (cj.unit and cj.cases left open) */
	ken26 = create("KEN", 2026);
	json_t *a = json_pack(
		"{s:{s:s}, s:{s:[s,s]}, s:{s:i}, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s},"
		" s:{s:s}, s:{s:s}, s:{s:[s,s]}, s:{s:s}, s:{s:s}}",
		"prev.campaigns", "value", "some", "prev.channels", "value", "media", "communities", "prev.budget", "value",
		1200, "data.system", "value", "dk", "data.published", "value", "yes", "data.last-report", "value",
		"2024-03-31", "leg.criminalized", "value", "partly", "leg.aggravating", "value", "na", "leg.notes", "value",
		NOTES, "pol.strategy", "value", "draft", "pol.coordination", "value", "standing", "cj.training", "value",
		"some", "prot.assistance", "value", "none", "prot.rights", "value", "information", "legal-aid", "coop.mla",
		"value", "no", "coop.liaison", "value", "yes");
	assert_non_null(a);
	for (size_t i = 0; i < sizeof(comments) / sizeof(comments[0]); i++)
		json_object_set_new(json_object_get(a, comments[i].qid), "comment", json_string(comments[i].comment));
	put_answers(ken26, a);

	ken25 = create("KEN", 2025);
	put_answers(ken25, json_pack("{s:{s:s}}", "prev.campaigns", "value", "none"));
	gha26 = create("GHA", 2026);
	put_answers(gha26, json_pack("{s:{s:s}, s:{s:s}}", "coop.mla", "value", "yes", "coop.liaison", "value", "no"));
	fra26 = create("FRA", 2026);
	put_answers(fra26, json_pack("{s:{s:s}}", "cj.unit", "value", "yes"));
	char sql[96];
	snprintf(sql, sizeof(sql), "UPDATE assessments SET status = 'submitted' WHERE id = %lld", fra26);
	return testsrv_exec(&srv, sql);
}

static int teardown(void **state)
{
	client_free(admin);
	client_free(reviewer);
	client_free(ken);
	client_free(gha);
	client_free(ken_page);
	testsrv_stop(&srv);
	return 0;
}

static void get(struct client *c, const char *path, long status, struct resp *r)
{
	assert_int_equal(client_get(c, path, r), 0);
	if (r->status != status)
		fail_msg("GET %s: expected %ld, got %ld: %.300s", path, status, r->status, r->body ? r->body : "");
}

static void expect_header(const struct resp *r, const char *name, const char *start)
{
	char buf[256];
	if (!resp_header(r, name, buf, sizeof(buf)))
		fail_msg("no %s header", name);
	if (strncmp(buf, start, strlen(start)) != 0)
		fail_msg("%s: \"%s\", expected \"%s...\"", name, buf, start);
}

/* ---- a strict RFC 4180 reader -------------------------------------------- */

struct csv {
	char ***rows;   /* rows[i][k] */
	size_t *n_cells;
	size_t n_rows;
};

static void csv_free(struct csv *c)
{
	for (size_t i = 0; i < c->n_rows; i++) {
		for (size_t k = 0; k < c->n_cells[i]; k++)
			free(c->rows[i][k]);
		free(c->rows[i]);
	}
	free(c->rows);
	free(c->n_cells);
	memset(c, 0, sizeof(*c));
}

/* Reads s (len bytes, no BOM) into *c. Every record ends with CRLF; a field is
 * quoted as a whole or not at all; "" inside quotes is a quote; a lone CR or LF
 * outside quotes is an error. 0, or -1 with where in err. */
static int csv_parse(const char *s, size_t len, struct csv *c, char *err, size_t errlen)
{
	memset(c, 0, sizeof(*c));
	size_t i = 0;
	char *field = malloc(len + 1);
	while (i < len) {
		char **cells = NULL;
		size_t n = 0;
		for (;;) {
			size_t f = 0;
			if (s[i] == '"') {
				i++;
				for (;;) {
					if (i >= len) {
						snprintf(err, errlen, "row %zu: a quoted field is not closed", c->n_rows + 1);
						goto bad;
					}
					if (s[i] == '"') {
						if (i + 1 < len && s[i + 1] == '"') {
							field[f++] = '"';
							i += 2;
							continue;
						}
						i++;
						break;
					}
					field[f++] = s[i++];
				}
			} else {
				while (i < len && s[i] != ',' && s[i] != '\r' && s[i] != '\n') {
					if (s[i] == '"') {
						snprintf(err, errlen, "row %zu: a quote inside an unquoted field", c->n_rows + 1);
						goto bad;
					}
					field[f++] = s[i++];
				}
			}
			field[f] = '\0';
			cells = realloc(cells, (n + 1) * sizeof(*cells));
			cells[n++] = strdup(field);
			if (i < len && s[i] == ',') {
				i++;
				continue;
			}
			if (i + 1 < len && s[i] == '\r' && s[i + 1] == '\n') {
				i += 2;
				break;
			}
			snprintf(err, errlen, "row %zu, field %zu: not followed by a comma or CRLF", c->n_rows + 1, n);
			c->rows = realloc(c->rows, (c->n_rows + 1) * sizeof(*c->rows));
			c->n_cells = realloc(c->n_cells, (c->n_rows + 1) * sizeof(*c->n_cells));
			c->rows[c->n_rows] = cells;
			c->n_cells[c->n_rows++] = n;
			goto bad_kept;
		}
		c->rows = realloc(c->rows, (c->n_rows + 1) * sizeof(*c->rows));
		c->n_cells = realloc(c->n_cells, (c->n_rows + 1) * sizeof(*c->n_cells));
		c->rows[c->n_rows] = cells;
		c->n_cells[c->n_rows++] = n;
		continue;
	bad:
		for (size_t k = 0; k < n; k++)
			free(cells[k]);
		free(cells);
	bad_kept:
		free(field);
		csv_free(c);
		return -1;
	}
	free(field);
	return 0;
}

/* The body of a CSV response read back: the BOM checked (present unless no_bom). */
static void csv_of(const struct resp *r, bool bom, struct csv *c)
{
	const char *s = r->body;
	size_t len = r->len;
	bool has = len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0;
	if (has != bom)
		fail_msg("the CSV %s a byte order mark", has ? "has" : "lacks");
	if (has) {
		s += 3;
		len -= 3;
	}
	char err[160];
	if (csv_parse(s, len, c, err, sizeof(err)) != 0)
		fail_msg("not RFC 4180: %s", err);
	for (size_t i = 1; i < c->n_rows; i++)
		if (c->n_cells[i] != c->n_cells[0])
			fail_msg("row %zu has %zu cells, the header %zu", i + 1, c->n_cells[i], c->n_cells[0]);
}

static long col(const struct csv *c, const char *name)
{
	for (size_t k = 0; k < c->n_cells[0]; k++)
		if (strcmp(c->rows[0][k], name) == 0)
			return (long)k;
	fail_msg("no column %s", name);
	return -1;
}

/* The row (index) whose column name holds value; -1 when none. */
static long row_with(const struct csv *c, const char *name, const char *value)
{
	long k = col(c, name);
	for (size_t i = 1; i < c->n_rows; i++)
		if (strcmp(c->rows[i][k], value) == 0)
			return (long)i;
	return -1;
}

/* ---- the JSON document --------------------------------------------------- */

/* GET /api/v1/assessments/{id}{what} as a new JSON document (200 expected). */
static json_t *get_json(struct client *c, long long id, const char *what)
{
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld%s", id, what);
	struct resp r;
	get(c, path, 200, &r);
	json_t *j = json_loadb(r.body, r.len, 0, NULL);
	assert_non_null(j);
	resp_free(&r);
	return j;
}

static json_t *answer_of(json_t *doc, const char *qid)
{
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(doc, "answers"), i, a)
		if (strcmp(json_string_value(json_object_get(a, "question")), qid) == 0)
			return a;
	return NULL;
}

static void test_json_export(void **state)
{
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/export.json", ken26);
	struct resp r;
	get(ken, path, 200, &r);
	expect_header(&r, "Content-Type", "application/json; charset=utf-8");
	expect_header(&r, "Content-Disposition", "attachment; filename=\"somguide-KEN-2026.json\"");
	json_t *doc = json_loadb(r.body, r.len, 0, NULL);
	resp_free(&r);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "format")), "somguide-assessment");
	assert_int_equal(json_integer_value(json_object_get(doc, "format_version")), 1);
	json_t *country = json_object_get(doc, "country");
	assert_string_equal(json_string_value(json_object_get(country, "name")), "Kenya");
	assert_string_equal(json_string_value(json_object_get(country, "region")), "Africa");

	/* the figures are those of /scores and /plan, to the last digit */
	json_t *scores = get_json(ken, ken26, "/scores");
	json_t *plan = get_json(ken, ken26, "/plan");
	assert_true(json_equal(json_object_get(doc, "scores"), scores));
	assert_true(json_equal(json_object_get(doc, "plan"), plan));
	assert_true(json_array_size(json_object_get(plan, "items")) > 0);
	json_decref(scores);
	json_decref(plan);

	/* the answers as stored, in guide order, with their labels and states */
	json_t *stored = get_json(ken, ken26, "");
	json_t *answers = json_object_get(doc, "answers");
	assert_int_equal(json_array_size(answers), json_object_size(json_object_get(stored, "answers")));
	assert_int_equal(json_array_size(answers), 16);
	assert_string_equal(json_string_value(json_object_get(json_array_get(answers, 0), "question")), "prev.campaigns");
	json_t *ch = answer_of(doc, "prev.channels");
	assert_int_equal(json_array_size(json_object_get(ch, "labels")), 2);
	assert_string_equal(json_string_value(json_object_get(ch, "state")), "answered");
	assert_string_equal(json_string_value(json_object_get(answer_of(doc, "data.system"), "state")), "dk");
	assert_string_equal(json_string_value(json_object_get(answer_of(doc, "leg.aggravating"), "state")), "na");
	assert_string_equal(json_string_value(json_object_get(answer_of(doc, "coop.liaison"), "state")), "hidden");
	assert_string_equal(json_string_value(json_object_get(answer_of(doc, "leg.notes"), "value")), NOTES);
	assert_string_equal(json_string_value(json_object_get(answer_of(doc, "prev.campaigns"), "comment")), FORMULA);
	assert_true(json_real_value(json_object_get(answer_of(doc, "prev.channels"), "score")) == 0.75);
	json_decref(stored);

	/* CJAT: the plan's tools resolved (rec.awareness cites the prevention tool) */
	bool found = false;
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(doc, "cjat"), i, t) {
		if (strcmp(json_string_value(json_object_get(t, "id")), "crime-prevention/crime-prevention-assessment-tool") == 0) {
			found = true;
			assert_string_equal(json_string_value(json_object_get(t, "title")), "Crime Prevention Assessment Tool");
			assert_string_equal(json_string_value(json_array_get(json_object_get(t, "recommendations"), 0)),
					    "rec.awareness");
		}
	}
	assert_true(found);
	json_decref(doc);

	/* another country's official: as if it did not exist */
	get(gha, path, 404, &r);
	resp_free(&r);
}

/* ---- CSV ----------------------------------------------------------------- */

static void test_csv_export(void **state)
{
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/export.csv", ken26);
	struct resp r;
	get(ken, path, 200, &r);
	expect_header(&r, "Content-Type", "text/csv; charset=utf-8");
	expect_header(&r, "Content-Disposition", "attachment; filename=\"somguide-KEN-2026.csv\"");
	struct csv c;
	csv_of(&r, true, &c);
	resp_free(&r);
	assert_int_equal(c.n_rows, 1 + 16); /* the header and one row per stored answer */
	assert_string_equal(c.rows[0][0], "assessment_id");
	long value = col(&c, "value"), answer = col(&c, "answer"), comment = col(&c, "comment"), state_ = col(&c, "state");

	/* commas, quotes, CR LF and UTF-8 come back unchanged */
	long notes = row_with(&c, "question_id", "leg.notes");
	assert_true(notes > 0);
	assert_string_equal(c.rows[notes][value], NOTES);
	assert_string_equal(c.rows[notes][answer], NOTES);

	/* labels of a multi answer, in the guide's option order */
	long channels = row_with(&c, "question_id", "prev.channels");
	assert_string_equal(c.rows[channels][value], "media;communities");
	assert_string_equal(c.rows[channels][col(&c, "score")], "0.75");
	assert_string_equal(c.rows[row_with(&c, "question_id", "coop.liaison")][state_], "hidden");
	assert_string_equal(c.rows[row_with(&c, "question_id", "prev.budget")][value], "1200");

	/* formula starts neutralized, plain numbers left alone */
	for (size_t i = 0; i < sizeof(comments) / sizeof(comments[0]); i++) {
		long row = row_with(&c, "question_id", comments[i].qid);
		assert_true(row > 0);
		if (strcmp(c.rows[row][comment], comments[i].expect) != 0)
			fail_msg("comment of %s: \"%s\", expected \"%s\"", comments[i].qid, c.rows[row][comment],
				 comments[i].expect);
	}
	csv_free(&c);

	/* without the byte order mark, and wide: one row, one column per question */
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/export.csv?format=wide&bom=0", ken26);
	get(ken, path, 200, &r);
	csv_of(&r, false, &c);
	resp_free(&r);
	assert_int_equal(c.n_rows, 2);
	assert_int_equal(c.n_cells[0], 11 + 7 + 18);
	assert_string_equal(c.rows[0][11], "need.prevention");
	assert_string_equal(c.rows[0][18], "prev.campaigns");
	assert_string_equal(c.rows[0][35], "coop.liaison");
	assert_string_equal(c.rows[1][col(&c, "leg.notes")], NOTES);
	assert_string_equal(c.rows[1][col(&c, "cj.unit")], "");
	assert_string_equal(c.rows[1][col(&c, "need.cooperation")], "100");
	assert_string_equal(c.rows[1][col(&c, "need.criminal-justice")], "50");
	csv_free(&c);

	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/export.csv?format=tall", ken26);
	get(ken, path, 400, &r);
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/export.csv", ken26);
	get(gha, path, 404, &r);
	resp_free(&r);
}

/* ---- XLSX: a zip read through its central directory ---------------------- */

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* The member name of the zip z (n bytes), inflated into a new string; NULL when it
 * is not there. *names (may be NULL) receives every member name, comma-separated. */
static char *zip_member(const unsigned char *z, size_t n, const char *want, char *names, size_t names_len)
{
	size_t eocd = 0;
	for (size_t i = n >= 22 ? n - 22 : 0; i > 0 && !eocd; i--)
		if (le32(z + i) == 0x06054b50)
			eocd = i;
	assert_true(eocd > 0);
	size_t count = le16(z + eocd + 10), off = le32(z + eocd + 16);
	char *found = NULL;
	if (names)
		names[0] = '\0';
	for (size_t e = 0; e < count; e++) {
		assert_true(off + 46 <= n && le32(z + off) == 0x02014b50);
		uint16_t method = le16(z + off + 10);
		uint32_t csize = le32(z + off + 20), usize = le32(z + off + 24);
		size_t nlen = le16(z + off + 28), xlen = le16(z + off + 30), clen = le16(z + off + 32);
		size_t local = le32(z + off + 42);
		char name[256];
		snprintf(name, sizeof(name), "%.*s", (int)nlen, (const char *)z + off + 46);
		if (names && strlen(names) + nlen + 2 < names_len) {
			strcat(names, name);
			strcat(names, ",");
		}
		if (strcmp(name, want) == 0) {
			assert_true(le32(z + local) == 0x04034b50);
			const unsigned char *data = z + local + 30 + le16(z + local + 26) + le16(z + local + 28);
			assert_true(data + csize <= z + n);
			found = calloc(1, usize + 1);
			if (method == 0) {
				memcpy(found, data, usize);
			} else {
				assert_int_equal(method, 8);
				z_stream zs = {0};
				assert_int_equal(inflateInit2(&zs, -15), Z_OK);
				zs.next_in = (unsigned char *)data;
				zs.avail_in = csize;
				zs.next_out = (unsigned char *)found;
				zs.avail_out = usize;
				assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
				inflateEnd(&zs);
			}
		}
		off += 46 + nlen + xlen + clen;
	}
	return found;
}

static void test_xlsx_export(void **state)
{
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/export.xlsx", ken26);
	struct resp r;
	get(ken, path, 200, &r);
	expect_header(&r, "Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	expect_header(&r, "Content-Disposition", "attachment; filename=\"somguide-KEN-2026.xlsx\"");
	const unsigned char *z = (const unsigned char *)r.body;
	assert_true(r.len > 1000 && memcmp(z, "PK\x03\x04", 4) == 0);
	char names[2048];
	char *wb = zip_member(z, r.len, "xl/workbook.xml", names, sizeof(names));
	assert_non_null(wb);
	for (int i = 1; i <= 4; i++) {
		char want[64];
		snprintf(want, sizeof(want), "xl/worksheets/sheet%d.xml,", i);
		if (!strstr(names, want))
			fail_msg("no %s in %s", want, names);
	}
	const char *sum = strstr(wb, "<sheet name=\"Summary\"");
	const char *ans = strstr(wb, "<sheet name=\"Answers\"");
	const char *plan = strstr(wb, "<sheet name=\"Plan\"");
	const char *cjat = strstr(wb, "<sheet name=\"CJAT\"");
	assert_true(sum && ans && plan && cjat && sum < ans && ans < plan && plan < cjat);
	free(wb);
	/* what users typed is text, never a formula; UTF-8 kept */
	char *answers = zip_member(z, r.len, "xl/worksheets/sheet2.xml", NULL, 0);
	assert_non_null(answers);
	assert_null(strstr(answers, "<f>"));
	free(answers);
	char *strings = zip_member(z, r.len, "xl/sharedStrings.xml", NULL, 0);
	assert_non_null(strings);
	assert_non_null(strstr(strings, "<t>=HYPERLINK(\"http://example.invalid\",\"click\")</t>"));
	assert_non_null(strstr(strings, "\xe2\x80\x9cPenal Code\xe2\x80\x9d"));
	assert_non_null(strstr(strings, "Kenya (KEN)"));
	free(strings);
	resp_free(&r);
	get(gha, path, 404, &r);
	resp_free(&r);
}

/* ---- every assessment the caller may see ---------------------------------- */

/* The distinct assessment ids in column 0 of c, as a count. */
static size_t assessments_in(const struct csv *c)
{
	size_t n = 0;
	for (size_t i = 1; i < c->n_rows; i++)
		if (i == 1 || strcmp(c->rows[i][0], c->rows[i - 1][0]) != 0)
			n++;
	return n;
}

static void answers_csv(struct client *cl, const char *query, long status, struct csv *c)
{
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/exports/answers.csv%s", query);
	struct resp r;
	get(cl, path, status, &r);
	if (status == 200) {
		expect_header(&r, "Content-Type", "text/csv; charset=utf-8");
		expect_header(&r, "Transfer-Encoding", "chunked");
		expect_header(&r, "Content-Disposition", "attachment; filename=\"somguide-answers");
		csv_of(&r, true, c);
	}
	resp_free(&r);
}

static void test_answers_csv(void **state)
{
	struct csv c;
	/* a reviewer sees everything: 16 + 1 + 2 + 1 answers of four assessments */
	answers_csv(reviewer, "", 200, &c);
	assert_int_equal(c.n_rows, 1 + 20);
	assert_int_equal(assessments_in(&c), 4);
	csv_free(&c);

	/* an official only the own country, whatever is asked */
	answers_csv(ken, "", 200, &c);
	assert_int_equal(c.n_rows, 1 + 17);
	long country = col(&c, "country");
	for (size_t i = 1; i < c.n_rows; i++)
		assert_string_equal(c.rows[i][country], "KEN");
	csv_free(&c);
	answers_csv(ken, "?country=GHA", 200, &c);
	assert_int_equal(c.n_rows, 1);
	csv_free(&c);
	answers_csv(gha, "?format=wide", 200, &c);
	assert_int_equal(c.n_rows, 2);
	assert_string_equal(c.rows[1][col(&c, "country")], "GHA");
	assert_string_equal(c.rows[1][col(&c, "coop.liaison")], "no");
	csv_free(&c);

	/* filters */
	answers_csv(reviewer, "?status=submitted", 200, &c);
	assert_int_equal(c.n_rows, 2);
	assert_string_equal(c.rows[1][col(&c, "country")], "FRA");
	csv_free(&c);
	answers_csv(reviewer, "?round=2025", 200, &c);
	assert_int_equal(c.n_rows, 2);
	assert_string_equal(c.rows[1][col(&c, "question_id")], "prev.campaigns");
	csv_free(&c);
	answers_csv(reviewer, "?country=KEN&round=2026&bom=1", 200, &c);
	assert_int_equal(c.n_rows, 17);
	csv_free(&c);

	/* wide: one row per assessment */
	answers_csv(reviewer, "?format=wide", 200, &c);
	assert_int_equal(c.n_rows, 1 + 4);
	assert_int_equal(c.n_cells[0], 11 + 7 + 18);
	assert_int_equal(assessments_in(&c), 4);
	csv_free(&c);
	answers_csv(ken, "?format=wide", 200, &c);
	assert_int_equal(c.n_rows, 1 + 2);
	csv_free(&c);

	answers_csv(reviewer, "?format=tall", 400, NULL);
	answers_csv(reviewer, "?status=finished", 400, NULL);
	answers_csv(reviewer, "?round=20x6", 400, NULL);
	struct client *nobody = client_new(&srv);
	answers_csv(nobody, "", 401, NULL);
	client_free(nobody);
}

/* ---- pages for paper ------------------------------------------------------ */

static void check_html(const struct resp *r)
{
	char err[256];
	if (html_check(r->body, r->len, err, sizeof(err)) != 0)
		fail_msg("invalid HTML: %s", err);
}

static void test_report_page(void **state)
{
	char path[128];
	snprintf(path, sizeof(path), "/assessments/%lld/report", ken26);
	struct resp r;
	get(ken_page, path, 200, &r);
	check_html(&r);
	assert_non_null(strstr(r.body, "<body class=\"print-doc\">"));
	/* answers with their option labels, comments escaped, the figures, the plan */
	assert_non_null(strstr(r.body, "<li>General public</li>"));
	assert_non_null(strstr(r.body, "<li>Communities of origin</li>"));
	assert_non_null(strstr(r.body, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
	assert_null(strstr(r.body, "<script>alert"));
	assert_non_null(strstr(r.body, "Figures by intervention area"));
	assert_non_null(strstr(r.body, "Assistance plan"));
	assert_non_null(strstr(r.body, "Crime Prevention Assessment Tool"));
	assert_non_null(strstr(r.body, "No answer yet")); /* cj.unit */
	resp_free(&r);

	/* linked from the overview (with the exports) and the results page */
	snprintf(path, sizeof(path), "/assessments/%lld", ken26);
	get(ken_page, path, 200, &r);
	char link[96];
	snprintf(link, sizeof(link), "href=\"/assessments/%lld/report\"", ken26);
	assert_non_null(strstr(r.body, link));
	snprintf(link, sizeof(link), "href=\"/api/v1/assessments/%lld/export.xlsx\"", ken26);
	assert_non_null(strstr(r.body, link));
	assert_non_null(strstr(r.body, "href=\"/guide/print\""));
	resp_free(&r);
	snprintf(path, sizeof(path), "/assessments/%lld/results", ken26);
	get(ken_page, path, 200, &r);
	snprintf(link, sizeof(link), "href=\"/assessments/%lld/report\"", ken26);
	assert_non_null(strstr(r.body, link));
	resp_free(&r);

	/* another country's report does not exist for this official */
	snprintf(path, sizeof(path), "/assessments/%lld/report", gha26);
	get(ken_page, path, 404, &r);
	resp_free(&r);
}

static void test_blank_questionnaire(void **state)
{
	struct resp r;
	get(ken_page, "/guide/print", 200, &r);
	check_html(&r);
	assert_non_null(strstr(r.body, "<body class=\"print-doc\">"));
	/* every question, options as boxes, guidance */
	size_t questions = 0, boxes = 0;
	for (const char *p = r.body; (p = strstr(p, "class=\"print-question\"")); p++)
		questions++;
	for (const char *p = r.body; (p = strstr(p, "class=\"box\"")); p++)
		boxes++;
	assert_int_equal(questions, 18);
	/* 40 options of 14 choice/scale/multi questions, na on 13 of them, dk on 14 */
	assert_int_equal(boxes, 40 + 13 + 14);
	assert_non_null(strstr(r.body, "id=\"question-coop.liaison\""));
	assert_non_null(strstr(r.body, "Answer only if question 7.1 is"));
	assert_non_null(strstr(r.body, "class=\"print-guidance\""));
	resp_free(&r);
	struct client *nobody = client_new(&srv);
	get(nobody, "/guide/print", 303, &r);
	resp_free(&r);
	client_free(nobody);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_export),
		cmocka_unit_test(test_csv_export),
		cmocka_unit_test(test_xlsx_export),
		cmocka_unit_test(test_answers_csv),
		cmocka_unit_test(test_report_page),
		cmocka_unit_test(test_blank_questionnaire),
	};
	return cmocka_run_group_tests_name("exports", tests, setup, teardown);
}
