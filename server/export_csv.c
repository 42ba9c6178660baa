/* export_csv.c - answers as CSV: RFC 4180, UTF-8, safe to open in a spreadsheet
 * (see export.h and docs/export-format.md). */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "export.h"
#include "util.h"

/* true when s is a plain decimal number (-3, 4.25, -1e5): a spreadsheet reads it as
 * a number, never as a formula, so it needs no apostrophe. */
static bool plain_number(const char *s)
{
	const char *p = s;
	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

/* true when a spreadsheet could take a cell starting like s for a formula (or s
 * starts with the apostrophe that marks a neutralized cell). */
static bool risky_start(const char *s)
{
	switch (s[0]) {
	case '=': case '+': case '-': case '@': case '\t': case '\r': case '\'':
		return true;
	}
	/* full-width = + - @ (U+FF1D U+FF0B U+FF0D U+FF20): EF BC 9D / 8B / 8D, EF BC A0 */
	const unsigned char *u = (const unsigned char *)s;
	return u[0] == 0xEF && u[1] == 0xBC && (u[2] == 0x9D || u[2] == 0x8B || u[2] == 0x8D || u[2] == 0xA0);
}

void export_csv_cell(struct strbuf *sb, const char *s, bool first)
{
	if (!first)
		strbuf_addch(sb, ',');
	if (!s)
		s = "";
	bool apostrophe = risky_start(s) && !plain_number(s);
	bool quote = apostrophe || strpbrk(s, ",\"\r\n") != NULL;
	if (!quote) {
		strbuf_adds(sb, s);
		return;
	}
	strbuf_addch(sb, '"');
	if (apostrophe)
		strbuf_addch(sb, '\'');
	for (const char *p = s; *p; p++) {
		const char *q = strchr(p, '"');
		if (!q) {
			strbuf_adds(sb, p);
			break;
		}
		strbuf_add(sb, p, (size_t)(q - p + 1));
		strbuf_addch(sb, '"');
		p = q;
	}
	strbuf_addch(sb, '"');
}

static void cell_int(struct strbuf *sb, long long v, bool first)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%lld", v);
	export_csv_cell(sb, buf, first);
}

static void cell_num(struct strbuf *sb, bool defined, double v)
{
	char buf[32] = "";
	if (defined)
		export_number(v, buf);
	export_csv_cell(sb, buf, false);
}

static void row_end(struct strbuf *sb)
{
	strbuf_add(sb, "\r\n", 2);
}

/* The columns that say which assessment a row belongs to. */
static const char *const assessment_cols[] = {"assessment_id", "country", "country_name", "region", "subregion",
					      "round", "status", "guide_version"};

static void assessment_cells(struct strbuf *sb, const struct export_data *d)
{
	cell_int(sb, d->a.id, true);
	export_csv_cell(sb, d->a.country, false);
	export_csv_cell(sb, export_country_name(d), false);
	export_csv_cell(sb, export_country_field(d, "region"), false);
	export_csv_cell(sb, export_country_field(d, "subregion"), false);
	cell_int(sb, d->a.round, false);
	export_csv_cell(sb, d->a.status, false);
	export_csv_cell(sb, d->a.guide_version, false);
}

void export_csv_long_header(struct strbuf *sb)
{
	static const char *const cols[] = {"area", "question_number", "question_id", "question", "type", "weight",
					   "critical", "value", "answer", "state", "score", "comment", "carried_over",
					   "updated_at"};
	for (size_t i = 0; i < sizeof(assessment_cols) / sizeof(assessment_cols[0]); i++)
		export_csv_cell(sb, assessment_cols[i], i == 0);
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		export_csv_cell(sb, cols[i], false);
	row_end(sb);
}

void export_csv_long_rows(struct strbuf *sb, const struct export_data *d)
{
	const struct guide *g = d->g;
	size_t n;
	struct export_answer *x = export_answers(d, &n);
	for (size_t i = 0; i < n; i++) {
		const struct export_answer *e = &x[i];
		const struct guide_question *q = e->q;
		char num[16] = "";
		if (q)
			export_question_num(g, q, num);
		assessment_cells(sb, d);
		export_csv_cell(sb, q ? g->areas[q->area].id : "", false);
		export_csv_cell(sb, num, false);
		export_csv_cell(sb, e->qid, false);
		export_csv_cell(sb, q ? guide_text(json_object_get(q->json, "text"), "en") : "", false);
		export_csv_cell(sb, q ? guide_qtype_name(q->type) : "", false);
		if (q)
			cell_int(sb, q->weight, false);
		else
			export_csv_cell(sb, "", false);
		export_csv_cell(sb, q ? (q->critical ? "true" : "false") : "", false);
		export_csv_cell(sb, e->value_text, false);
		export_csv_cell(sb, e->label_text, false);
		export_csv_cell(sb, export_state_name(e->state), false);
		cell_num(sb, e->has_score, e->score);
		export_csv_cell(sb, e->comment, false);
		export_csv_cell(sb, e->carried_over ? "true" : "false", false);
		export_csv_cell(sb, e->updated_at, false);
		row_end(sb);
	}
	export_answers_free(x, n);
}

void export_csv_wide_header(struct strbuf *sb, const struct export_columns *c)
{
	for (size_t i = 0; i < sizeof(assessment_cols) / sizeof(assessment_cols[0]); i++)
		export_csv_cell(sb, assessment_cols[i], i == 0);
	export_csv_cell(sb, "updated_at", false);
	export_csv_cell(sb, "overall_need", false);
	export_csv_cell(sb, "coverage", false);
	for (int ai = 0; ai < GUIDE_N_AREAS; ai++) {
		char col[80];
		snprintf(col, sizeof(col), "need.%s", c->areas[ai]);
		export_csv_cell(sb, col, false);
	}
	for (size_t i = 0; i < c->n_questions; i++)
		export_csv_cell(sb, c->questions[i], false);
	row_end(sb);
}

void export_csv_wide_row(struct strbuf *sb, const struct export_data *d, const struct export_columns *c)
{
	const struct guide *g = d->g;
	assessment_cells(sb, d);
	char updated[21];
	util_iso8601(d->a.updated_at, updated);
	export_csv_cell(sb, updated, false);
	cell_num(sb, d->sc.need_defined, d->sc.need);
	cell_num(sb, true, d->sc.coverage);
	/* the areas by id: every version has the seven, perhaps in another order */
	for (int k = 0; k < GUIDE_N_AREAS; k++) {
		int ai = guide_area_index(g, c->areas[k]);
		cell_num(sb, ai >= 0 && d->sc.areas[ai].defined, ai >= 0 ? d->sc.areas[ai].need : 0);
	}
	/* one cell per question column: the machine form of its stored value */
	size_t n;
	struct export_answer *x = export_answers(d, &n);
	const char **by_q = xcalloc(g->n_questions ? g->n_questions : 1, sizeof(*by_q));
	for (size_t k = 0; k < n; k++)
		if (x[k].q)
			by_q[x[k].q->index] = x[k].value_text;
	for (size_t i = 0; i < c->n_questions; i++) {
		const struct guide_question *q = guide_question(g, c->questions[i]);
		const char *v = q ? by_q[q->index] : NULL;
		export_csv_cell(sb, v ? v : "", false);
	}
	free(by_q);
	export_answers_free(x, n);
	row_end(sb);
}
