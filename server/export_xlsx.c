/* export_xlsx.c - one assessment as an Excel workbook (libxlsxwriter): sheets
 * Summary, Answers, Plan and CJAT (docs/export-format.md).
 *
 * Every text goes in as a string cell (worksheet_write_string), never as a
 * formula, so what users typed cannot run in the spreadsheet; figures go in as
 * numbers. libxlsxwriter 1.1 writes only to a file: the workbook is written into
 * a file made with mkstemp under tmpdir (mode 0600), read back through the
 * descriptor mkstemp opened, and removed before returning. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "app.h"
#include "export.h"
#include "util.h"

#define XLSX_MAX_BYTES (64u * 1024 * 1024)

/* A sheet being written and the first error met on any cell. */
struct sheet {
	lxw_worksheet *ws;
	lxw_row_t row;
	lxw_error *err;
};

static void put_str(struct sheet *s, lxw_col_t col, const char *text, lxw_format *fmt)
{
	if (!text || !*text)
		return;
	lxw_error e = worksheet_write_string(s->ws, s->row, col, text, fmt);
	if (e && !*s->err)
		*s->err = e;
}

static void put_num(struct sheet *s, lxw_col_t col, double v, lxw_format *fmt)
{
	lxw_error e = worksheet_write_number(s->ws, s->row, col, v, fmt);
	if (e && !*s->err)
		*s->err = e;
}

struct formats {
	lxw_format *bold, *head, *wrap, *pct, *cap, *title;
};

static void header_row(struct sheet *s, const char *const *cols, size_t n, const struct formats *f)
{
	for (size_t i = 0; i < n; i++)
		put_str(s, (lxw_col_t)i, cols[i], f->head);
	worksheet_freeze_panes(s->ws, s->row + 1, 0);
	s->row++;
}

static const char *level_text(const struct app *app, enum level l)
{
	char key[32];
	snprintf(key, sizeof(key), "level.%s", level_name(l));
	return app_msg(app, key);
}

static void summary_sheet(struct sheet *s, const struct export_data *d, const struct formats *f,
			  const char *generated_at)
{
	const struct app *app = d->app;
	const struct guide *g = d->g;
	char buf[256], key[32];
	worksheet_set_column(s->ws, 0, 0, 34, NULL);
	worksheet_set_column(s->ws, 1, 8, 14, NULL);
	snprintf(buf, sizeof(buf), "%s %d", export_country_name(d), d->a.round);
	put_str(s, 0, buf, f->title);
	s->row += 2;
	snprintf(key, sizeof(key), "status.%s", d->a.status);
	snprintf(buf, sizeof(buf), "%s (%s)", export_country_name(d), d->a.country);
	const char *rows[][2] = {
		{"Country", buf},
		{"Region", export_country_field(d, "region")},
		{"Sub-region", export_country_field(d, "subregion")},
		{"Status", app_msg(app, key)},
		{"Guide version the assessment was started on", d->a.guide_version},
		{"Guide version of the figures", g->version},
		{"Exported at (UTC)", generated_at},
	};
	put_str(s, 0, "Round", f->bold);
	put_num(s, 1, d->a.round, NULL);
	s->row++;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++, s->row++) {
		put_str(s, 0, rows[i][0], f->bold);
		put_str(s, 1, rows[i][1], NULL);
	}
	put_str(s, 0, "Overall need (0-100)", f->bold);
	if (d->sc.need_defined)
		put_num(s, 1, d->sc.need, NULL);
	else
		put_str(s, 1, level_text(app, LEVEL_UNKNOWN), NULL);
	s->row++;
	put_str(s, 0, "Overall level", f->bold);
	put_str(s, 1, level_text(app, d->sc.need_defined ? level_of_need(d->sc.need) : LEVEL_UNKNOWN), NULL);
	s->row++;
	put_str(s, 0, "Coverage", f->bold);
	put_num(s, 1, d->sc.coverage, f->pct);
	s->row++;
	put_str(s, 0, "Scored questions answered", f->bold);
	put_num(s, 1, (double)d->sc.answered, NULL);
	put_str(s, 2, "of", NULL);
	put_num(s, 3, (double)d->sc.applicable, NULL);
	s->row++;
	struct strbuf prio;
	strbuf_init(&prio, 64);
	for (size_t i = 0; i < d->sc.n_priorities && i < 3; i++)
		strbuf_addf(&prio, "%s%s", i ? "; " : "",
			    guide_text(json_object_get(g->areas[d->sc.priorities[i]].json, "title"), "en"));
	put_str(s, 0, "Priority areas", f->bold);
	put_str(s, 1, prio.len ? prio.buf : "None", NULL);
	strbuf_release(&prio);
	s->row += 2;

	static const char *const cols[] = {"Area", "Need (0-100)", "Level", "Capacity (0-1)", "Coverage", "Answered",
					   "Applicable", "Don't know answers", "Critical gaps"};
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		put_str(s, (lxw_col_t)i, cols[i], f->head);
	s->row++;
	for (int ai = 0; ai < GUIDE_N_AREAS; ai++, s->row++) {
		const struct area_score *as = &d->sc.areas[ai];
		put_str(s, 0, guide_text(json_object_get(g->areas[ai].json, "title"), "en"), NULL);
		if (as->defined) {
			put_num(s, 1, as->need, NULL);
			put_num(s, 3, as->capacity, f->cap);
		}
		put_str(s, 2, level_text(app, as->level), NULL);
		put_num(s, 4, as->coverage, f->pct);
		put_num(s, 5, (double)as->answered, NULL);
		put_num(s, 6, (double)as->applicable, NULL);
		put_num(s, 7, (double)as->data_gaps, NULL);
		struct strbuf gaps;
		strbuf_init(&gaps, 0);
		for (size_t k = 0; k < as->n_critical_gaps; k++)
			strbuf_addf(&gaps, "%s%s", k ? "; " : "", g->questions[as->critical_gaps[k]].id);
		put_str(s, 8, gaps.buf, NULL);
		strbuf_release(&gaps);
	}
}

static void answers_sheet(struct sheet *s, const struct export_data *d, const struct formats *f)
{
	const struct guide *g = d->g;
	static const char *const cols[] = {"Area", "Number", "Question id", "Question", "Type", "Weight", "Critical",
					   "Value", "Answer", "State", "Score", "Comment", "Carried over", "Updated at (UTC)"};
	static const double widths[] = {16, 8, 24, 60, 8, 7, 8, 18, 40, 10, 7, 40, 12, 20};
	for (size_t i = 0; i < sizeof(widths) / sizeof(widths[0]); i++)
		worksheet_set_column(s->ws, (lxw_col_t)i, (lxw_col_t)i, widths[i],
				     i == 3 || i == 8 || i == 11 ? f->wrap : NULL);
	header_row(s, cols, sizeof(cols) / sizeof(cols[0]), f);
	size_t n;
	struct export_answer *x = export_answers(d, &n);
	for (size_t i = 0; i < n; i++, s->row++) {
		const struct export_answer *e = &x[i];
		const struct guide_question *q = e->q;
		if (q) {
			char num[16];
			export_question_num(g, q, num);
			put_str(s, 0, g->areas[q->area].id, NULL);
			put_str(s, 1, num, NULL);
			put_str(s, 3, guide_text(json_object_get(q->json, "text"), "en"), NULL);
			put_str(s, 4, guide_qtype_name(q->type), NULL);
			put_num(s, 5, q->weight, NULL);
			put_str(s, 6, q->critical ? "yes" : "no", NULL);
		}
		put_str(s, 2, e->qid, NULL);
		if (q && q->type == Q_NUMBER && e->state == EXP_ANSWERED && d->answers[q->index].kind == ANS_VALUE)
			put_num(s, 7, d->answers[q->index].number, NULL);
		else
			put_str(s, 7, e->value_text, NULL);
		put_str(s, 8, e->label_text, NULL);
		put_str(s, 9, export_state_name(e->state), NULL);
		if (e->has_score)
			put_num(s, 10, e->score, NULL);
		put_str(s, 11, e->comment, NULL);
		put_str(s, 12, e->carried_over ? "yes" : "no", NULL);
		put_str(s, 13, e->updated_at, NULL);
	}
	export_answers_free(x, n);
	if (n)
		worksheet_autofilter(s->ws, 0, 0, (lxw_row_t)n, (lxw_col_t)(sizeof(cols) / sizeof(cols[0]) - 1));
}

/* The strings of a JSON array of i18n maps (resources) or ids, joined by "; ". */
static void join_array(struct strbuf *sb, const json_t *arr, bool i18n)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
		strbuf_addf(sb, "%s%s", sb->len ? "; " : "", i18n ? guide_text(v, "en") : json_string_value(v));
}

static const char *action_status(const struct export_data *d, const char *rec)
{
	size_t i;
	json_t *x;
	json_array_foreach(d->actions, i, x)
		if (json_is_string(json_object_get(x, "rec")) && strcmp(json_string_value(json_object_get(x, "rec")), rec) == 0)
			return json_string_value(json_object_get(x, "status"));
	return NULL;
}

static void plan_sheet(struct sheet *s, const struct export_data *d, const struct formats *f)
{
	const struct guide *g = d->g;
	static const char *const cols[] = {"#", "Recommendation id", "Title", "Area", "Level", "Area need", "Called for by",
					   "Resources", "CJAT tools", "Description", "Action status"};
	static const double widths[] = {4, 26, 40, 16, 10, 9, 28, 40, 36, 60, 13};
	for (size_t i = 0; i < sizeof(widths) / sizeof(widths[0]); i++)
		worksheet_set_column(s->ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], i == 2 || i == 7 || i == 9 ? f->wrap : NULL);
	header_row(s, cols, sizeof(cols) / sizeof(cols[0]), f);
	for (size_t i = 0; i < d->plan.n; i++, s->row++) {
		const struct plan_item *it = &d->plan.items[i];
		const json_t *rj = it->rec->json;
		put_num(s, 0, (double)(i + 1), NULL);
		put_str(s, 1, it->rec->id, NULL);
		put_str(s, 2, guide_text(json_object_get(rj, "title"), "en"), NULL);
		put_str(s, 3, g->areas[it->area].id, NULL);
		put_str(s, 4, level_text(d->app, it->level), NULL);
		if (it->need_defined)
			put_num(s, 5, it->need, NULL);
		struct strbuf sb;
		strbuf_init(&sb, 64);
		for (size_t k = 0; k < it->n_triggered_by; k++) {
			char num[16];
			const struct guide_question *q = &g->questions[it->triggered_by[k]];
			export_question_num(g, q, num);
			strbuf_addf(&sb, "%s%s %s", k ? "; " : "", num, q->id);
		}
		put_str(s, 6, sb.buf, NULL);
		strbuf_reset(&sb);
		join_array(&sb, json_object_get(rj, "resources"), true);
		put_str(s, 7, sb.buf, NULL);
		strbuf_reset(&sb);
		size_t k;
		json_t *v;
		json_array_foreach(json_object_get(rj, "cjat"), k, v) {
			const struct guide_cjat *c = guide_cjat(g, json_string_value(v));
			strbuf_addf(&sb, "%s%s", sb.len ? "; " : "",
				    c ? guide_text(json_object_get(c->json, "title"), "en") : json_string_value(v));
		}
		put_str(s, 8, sb.buf, NULL);
		strbuf_release(&sb);
		put_str(s, 9, guide_text(json_object_get(rj, "description"), "en"), NULL);
		const char *st = action_status(d, it->rec->id);
		if (st) {
			char key[48];
			snprintf(key, sizeof(key), "action.status.%s", st);
			put_str(s, 10, app_msg(d->app, key), NULL);
		}
	}
}

static void cjat_sheet(struct sheet *s, const struct export_data *d, const struct formats *f)
{
	static const char *const cols[] = {"CJAT tool id", "Cluster", "Title", "Cited by plan items", "Cited by answered questions"};
	static const double widths[] = {48, 18, 40, 40, 40};
	for (size_t i = 0; i < sizeof(widths) / sizeof(widths[0]); i++)
		worksheet_set_column(s->ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], NULL);
	header_row(s, cols, sizeof(cols) / sizeof(cols[0]), f);
	json_t *tools = export_cjat(d);
	size_t i;
	json_t *t;
	json_array_foreach(tools, i, t) {
		put_str(s, 0, json_string_value(json_object_get(t, "id")), NULL);
		put_str(s, 1, json_string_value(json_object_get(t, "cluster")), NULL);
		put_str(s, 2, json_string_value(json_object_get(t, "title")), NULL);
		struct strbuf sb;
		strbuf_init(&sb, 64);
		join_array(&sb, json_object_get(t, "recommendations"), false);
		put_str(s, 3, sb.buf, NULL);
		strbuf_reset(&sb);
		join_array(&sb, json_object_get(t, "questions"), false);
		put_str(s, 4, sb.buf, NULL);
		strbuf_release(&sb);
		s->row++;
	}
	json_decref(tools);
}

/* Reads the whole file behind fd into a new buffer. 0 or -1. */
static int read_back(int fd, void **out, size_t *len)
{
	struct stat st;
	if (fstat(fd, &st) != 0 || st.st_size <= 0 || (unsigned long long)st.st_size > XLSX_MAX_BYTES)
		return -1;
	size_t n = (size_t)st.st_size, got = 0;
	char *buf = xmalloc(n);
	while (got < n) {
		ssize_t k = pread(fd, buf + got, n - got, (off_t)got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			free(buf);
			return -1;
		}
		got += (size_t)k;
	}
	*out = buf;
	*len = n;
	return 0;
}

int export_xlsx(const struct export_data *d, const char *tmpdir, const char *generated_at, void **out, size_t *len,
		char *err, size_t errlen)
{
	char path[512];
	if ((size_t)snprintf(path, sizeof(path), "%s/somguide-xlsx-XXXXXX", tmpdir) >= sizeof(path)) {
		snprintf(err, errlen, "the temporary folder name is too long");
		return -1;
	}
	int fd = mkstemp(path);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create a temporary file in %s: %s", tmpdir, strerror(errno));
		return -1;
	}
	int ret = -1;
	lxw_error cell_err = LXW_NO_ERROR;
	lxw_workbook_options opts = {.constant_memory = LXW_FALSE, .tmpdir = (char *)tmpdir, .use_zip64 = LXW_FALSE};
	lxw_workbook *wb = workbook_new_opt(path, &opts);
	if (!wb) {
		snprintf(err, errlen, "libxlsxwriter cannot start a workbook");
		goto out;
	}
	char title[160];
	snprintf(title, sizeof(title), "Assessment %s %d", d->a.country, d->a.round);
	lxw_doc_properties props = {.title = title, .subject = "Smuggling of migrants: needs assessment",
				    .comments = "Exported by somguide"};
	workbook_set_properties(wb, &props);
	struct formats f = {0};
	f.bold = workbook_add_format(wb);
	format_set_bold(f.bold);
	f.title = workbook_add_format(wb);
	format_set_bold(f.title);
	format_set_font_size(f.title, 14);
	f.head = workbook_add_format(wb);
	format_set_bold(f.head);
	format_set_bottom(f.head, LXW_BORDER_THIN);
	f.wrap = workbook_add_format(wb);
	format_set_text_wrap(f.wrap);
	format_set_align(f.wrap, LXW_ALIGN_VERTICAL_TOP);
	f.pct = workbook_add_format(wb);
	format_set_num_format(f.pct, "0%");
	f.cap = workbook_add_format(wb);
	format_set_num_format(f.cap, "0.0000");

	struct sheet s = {.err = &cell_err};
	s.ws = workbook_add_worksheet(wb, "Summary");
	summary_sheet(&s, d, &f, generated_at);
	s = (struct sheet){.ws = workbook_add_worksheet(wb, "Answers"), .err = &cell_err};
	answers_sheet(&s, d, &f);
	s = (struct sheet){.ws = workbook_add_worksheet(wb, "Plan"), .err = &cell_err};
	plan_sheet(&s, d, &f);
	s = (struct sheet){.ws = workbook_add_worksheet(wb, "CJAT"), .err = &cell_err};
	cjat_sheet(&s, d, &f);

	lxw_error e = workbook_close(wb);
	if (cell_err || e) {
		snprintf(err, errlen, "libxlsxwriter: %s", lxw_strerror(cell_err ? cell_err : e));
		goto out;
	}
	if (read_back(fd, out, len) != 0) {
		snprintf(err, errlen, "cannot read the workbook back");
		goto out;
	}
	ret = 0;
out:
	unlink(path);
	close(fd);
	return ret;
}
