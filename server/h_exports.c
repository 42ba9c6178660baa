/* h_exports.c - the exports of CONTRACT.md: one assessment as JSON, CSV or XLSX,
 * and the answers of every assessment the caller may see as one CSV, streamed.
 *
 * The handlers read the store and leave the formatting to the writers
 * (export_*.c); the figures are those of GET .../scores and .../plan, computed
 * the same way from the same stored answers. docs/export-format.md describes the
 * formats. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "db.h"
#include "db_actions.h"
#include "db_comments.h"
#include "export.h"
#include "handlers.h"
#include "http.h"
#include "log.h"
#include "util.h"

/* One assessment's CSV is built in memory: far below this with any guide. */
#define CSV_ONE_MAX (16u * 1024 * 1024)
/* answers.csv is streamed in pieces of about this size. */
#define CSV_PIECE (64u * 1024)

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define CSV_TYPE "text/csv; charset=utf-8; header=present"

/* Loads assessment route parameter 0 (h_load_assessment checks the caller may see
 * it) with its answers, figures and, when full, review comments and actions.
 * Returns 0 or the status it answered with. */
static int load(struct req *r, struct export_data *d, bool full)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	json_t *stored = db_answers_get(r->db, a.id);
	if (!stored)
		return req_error(r, 503, "database_error", "the answers cannot be read");
	export_data_init(d, r->app, &a, stored);
	if (full) {
		d->comments = db_comments_list(r->db, a.id, NULL);
		d->actions = db_actions_list(r->db, a.id);
		if (!d->comments || !d->actions) {
			export_data_release(d);
			return req_error(r, 503, "database_error", "the review comments or actions cannot be read");
		}
	}
	return 0;
}

/* Content-Disposition: attachment; filename="somguide-KEN-2026[-suffix].ext". The
 * name holds only letters, digits and dashes. */
static void set_attachment(struct req *r, const char *country, int round, const char *suffix, const char *ext)
{
	char code[4] = "";
	size_t k = 0;
	for (const char *p = country; *p && k < 3; p++)
		if ((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
			code[k++] = *p;
	code[k] = '\0';
	char buf[160];
	if (round)
		snprintf(buf, sizeof(buf), "attachment; filename=\"somguide-%s-%d%s.%s\"", code, round, suffix, ext);
	else
		snprintf(buf, sizeof(buf), "attachment; filename=\"somguide-%s.%s\"", suffix, ext);
	free(r->raw_disposition);
	r->raw_disposition = xstrdup(buf);
}

static void now_iso(char buf[static 21])
{
	util_iso8601(util_now(), buf);
}

int h_api_export_json(struct req *r)
{
	struct export_data d;
	int st = load(r, &d, true);
	if (st)
		return st;
	char at[21];
	now_iso(at);
	json_t *doc = export_json(&d, h_scores_json(d.g, &d.sc), h_plan_json(d.g, &d.plan), at);
	char *s = doc ? json_dumps(doc, JSON_INDENT(2)) : NULL;
	json_decref(doc);
	set_attachment(r, d.a.country, d.a.round, "", "json");
	export_data_release(&d);
	if (!s) {
		log_error("%s: the export document could not be written", r->path);
		return req_error(r, 500, "internal_error", "the export could not be written");
	}
	return req_raw(r, 200, "application/json; charset=utf-8", s, strlen(s), false);
}

/* ?format=long|wide (long when absent) and ?bom=1|0 (1 when absent): 0, or -1
 * after answering 400. */
static int csv_options(struct req *r, bool *wide, bool *bom)
{
	const char *f = req_query(r, "format");
	const char *b = req_query(r, "bom");
	*wide = false;
	*bom = true;
	if (f && *f) {
		if (strcmp(f, "wide") == 0)
			*wide = true;
		else if (strcmp(f, "long") != 0)
			return req_error(r, 400, "bad_query", "format must be long or wide"), -1;
	}
	if (b && *b) {
		if (strcmp(b, "0") == 0)
			*bom = false;
		else if (strcmp(b, "1") != 0)
			return req_error(r, 400, "bad_query", "bom must be 1 or 0"), -1;
	}
	return 0;
}

int h_api_export_csv(struct req *r)
{
	bool wide, bom;
	if (csv_options(r, &wide, &bom) != 0)
		return r->status;
	struct export_data d;
	int st = load(r, &d, false);
	if (st)
		return st;
	struct strbuf sb;
	strbuf_init(&sb, 64 * 1024);
	sb.limit = CSV_ONE_MAX;
	if (bom)
		strbuf_adds(&sb, EXPORT_CSV_BOM);
	if (wide) {
		struct export_columns cols;
		export_columns_init(&cols, r->app, d.g);
		export_csv_wide_header(&sb, &cols);
		export_csv_wide_row(&sb, &d, &cols);
		export_columns_release(&cols);
	} else {
		export_csv_long_header(&sb);
		export_csv_long_rows(&sb, &d);
	}
	set_attachment(r, d.a.country, d.a.round, wide ? "-wide" : "", "csv");
	export_data_release(&d);
	if (sb.overflow) {
		strbuf_release(&sb);
		return req_error(r, 500, "export_too_large", "the export is larger than %u bytes", CSV_ONE_MAX);
	}
	size_t len;
	char *s = strbuf_detach(&sb, &len);
	return req_raw(r, 200, CSV_TYPE, s, len, false);
}

int h_api_export_xlsx(struct req *r)
{
	struct export_data d;
	int st = load(r, &d, true);
	if (st)
		return st;
	const char *tmpdir = getenv("TMPDIR");
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	char at[21], err[256];
	now_iso(at);
	void *buf = NULL;
	size_t len = 0;
	int rc = export_xlsx(&d, tmpdir, at, &buf, &len, err, sizeof(err));
	set_attachment(r, d.a.country, d.a.round, "", "xlsx");
	export_data_release(&d);
	if (rc != 0) {
		log_error("%s: %s", r->path, err);
		return req_error(r, 500, "internal_error", "the workbook could not be written");
	}
	return req_raw(r, 200, XLSX_TYPE, buf, len, false);
}

/* ---- every assessment the caller may see, streamed ------------------------ */

struct answers_stream {
	const struct app *app;
	long long *ids;          /* the assessments, in list order */
	size_t n, next;
	bool wide, bom, started;
	struct export_columns cols; /* wide: the questions of every loaded version */
};

static void answers_stream_free(void *ctx)
{
	struct answers_stream *s = ctx;
	export_columns_release(&s->cols);
	free(s->ids);
	free(s);
}

/* The next piece: the header first, then the rows of as many assessments as fit
 * in about CSV_PIECE bytes, each read at once (an assessment changed meanwhile is
 * written as it is when its turn comes; one removed meanwhile is left out). */
static int answers_stream_fill(void *ctx, struct strbuf *out)
{
	struct answers_stream *s = ctx;
	if (!s->started) {
		s->started = true;
		if (s->bom)
			strbuf_adds(out, EXPORT_CSV_BOM);
		if (s->wide)
			export_csv_wide_header(out, &s->cols);
		else
			export_csv_long_header(out);
		return s->next < s->n ? 1 : 0;
	}
	struct db *db = db_thread(s->app->db_path);
	if (!db)
		return -1;
	while (s->next < s->n && out->len < CSV_PIECE) {
		struct assessment a;
		int rc = db_assessment_get(db, s->ids[s->next++], &a);
		if (rc < 0)
			return -1;
		if (rc == 0)
			continue;
		json_t *stored = db_answers_get(db, a.id);
		if (!stored)
			return -1;
		struct export_data d;
		export_data_init(&d, s->app, &a, stored);
		if (s->wide)
			export_csv_wide_row(out, &d, &s->cols);
		else
			export_csv_long_rows(out, &d);
		export_data_release(&d);
	}
	return s->next < s->n ? 1 : 0;
}

int h_api_export_answers(struct req *r)
{
	bool wide, bom;
	if (csv_options(r, &wide, &bom) != 0)
		return r->status;
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
	if (status && strcmp(status, "draft") != 0 && strcmp(status, "submitted") != 0 &&
	    strcmp(status, "returned") != 0 && strcmp(status, "validated") != 0)
		return req_error(r, 400, "bad_query", "status must be draft, submitted, returned or validated");
	/* officials and observers: only their own country, as the list */
	const char *scope = h_scope_country(r);
	bool none = false;
	if (scope) {
		if (country && strcmp(country, scope) != 0)
			none = true;
		country = scope;
	}
	json_t *list = none ? json_array() : db_assessment_list(r->db, country, status, round);
	if (!list)
		return req_error(r, 503, "database_error", "the assessments cannot be read");
	struct answers_stream *s = xcalloc(1, sizeof(*s));
	s->app = r->app;
	s->wide = wide;
	s->bom = bom;
	if (wide)
		export_columns_init(&s->cols, r->app, NULL);
	s->n = json_array_size(list);
	s->ids = xcalloc(s->n ? s->n : 1, sizeof(*s->ids));
	for (size_t i = 0; i < s->n; i++)
		s->ids[i] = json_integer_value(json_object_get(json_array_get(list, i), "id"));
	json_decref(list);
	set_attachment(r, "", 0, wide ? "answers-wide" : "answers", "csv");
	return req_stream(r, 200, CSV_TYPE, answers_stream_fill, answers_stream_free, s);
}
