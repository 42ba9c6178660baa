/* h_dashboard.c - the reviewers' needs dashboard: countries x the seven areas as a
 * heatmap of need levels, filters (region, sub-region, status, round), sorting by
 * overall need, counts by status, regional means per area and the recommendations
 * triggered most often. It reads only the materialized figures (db_scores.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "db.h"
#include "db_scores.h"
#include "handlers.h"
#include "http.h"
#include "score.h"
#include "strbuf.h"
#include "svg.h"
#include "util.h"

#define DASH_MAX_RECS 10

/* A dashboard row with what sorting and grouping need. */
struct row {
	const struct stored_scores *s;
	const char *name, *region, *subregion;
};

static const char *country_field(struct req *r, const char *iso3, const char *key)
{
	const char *v = json_string_value(json_object_get(json_object_get(r->app->country_by_iso3, iso3), key));
	return v ? v : "";
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int by_need(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	if (a->s->need_defined != b->s->need_defined)
		return a->s->need_defined ? -1 : 1;
	if (a->s->need_defined && a->s->need != b->s->need)
		return b->s->need - a->s->need;
	int c = strcmp(a->name, b->name);
	return c ? c : b->s->round - a->s->round;
}

static int by_name(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);
	return c ? c : b->s->round - a->s->round;
}

/* The distinct values of a country field, sorted, as [{name, selected}]. For
 * sub-regions only those of `within` region when it is given. */
static json_t *choices(struct req *r, const char *key, const char *within, const char *selected)
{
	const char **names = xcalloc(json_array_size(r->app->countries) + 1, sizeof(*names));
	size_t n = 0, i;
	json_t *c;
	json_array_foreach(r->app->countries, i, c) {
		const char *v = json_string_value(json_object_get(c, key));
		const char *reg = json_string_value(json_object_get(c, "region"));
		if (!v || (within && (!reg || strcmp(reg, within) != 0)))
			continue;
		size_t k = 0;
		while (k < n && strcmp(names[k], v) != 0)
			k++;
		if (k == n)
			names[n++] = v;
	}
	qsort(names, n, sizeof(*names), by_string);
	json_t *arr = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(arr, json_pack("{s:s, s:b}", "name", names[k], "selected",
						     selected && strcmp(selected, names[k]) == 0));
	free(names);
	return arr;
}

/* The ISO3 codes of region / sub-region as a JSON array text (new string), or
 * NULL when neither is given. *known is false when no country has them. */
static char *countries_in(struct req *r, const char *region, const char *subregion, bool *known)
{
	*known = true;
	if (!region && !subregion)
		return NULL;
	json_t *arr = json_array();
	bool region_seen = !region, sub_seen = !subregion;
	size_t i;
	json_t *c;
	json_array_foreach(r->app->countries, i, c) {
		const char *reg = json_string_value(json_object_get(c, "region"));
		const char *sub = json_string_value(json_object_get(c, "subregion"));
		bool reg_ok = !region || (reg && strcmp(reg, region) == 0);
		bool sub_ok = !subregion || (sub && strcmp(sub, subregion) == 0);
		region_seen |= region && reg && strcmp(reg, region) == 0;
		sub_seen |= subregion && sub && strcmp(sub, subregion) == 0;
		if (reg_ok && sub_ok)
			json_array_append(arr, json_object_get(c, "iso3"));
	}
	*known = region_seen && sub_seen;
	char *s = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	return s;
}

/* The levels as the page shows them, indexed by enum level. */
struct level_texts {
	const char *text[LEVEL_CRITICAL + 1];
};

static void level_texts_init(struct req *r, struct level_texts *lt)
{
	for (enum level l = LEVEL_UNKNOWN; l <= LEVEL_CRITICAL; l++) {
		char key[32];
		snprintf(key, sizeof(key), "level.%s", level_name(l));
		lt->text[l] = app_msg(r->app, key);
	}
}

static void heat_cell(struct strbuf *sb, const struct level_texts *lt, bool defined, enum level l, int need)
{
	enum level k = defined ? l : LEVEL_UNKNOWN;
	svg_heat_cell(sb, level_name(k), lt->text[k], defined, need);
}

/* Means per area over a group of rows. */
struct group {
	const char *name;
	int n;
	long long sum[GUIDE_N_AREAS], sum_all;
	int cnt[GUIDE_N_AREAS], cnt_all;
};

static int by_group(const void *a, const void *b)
{
	return strcmp(((const struct group *)a)->name, ((const struct group *)b)->name);
}

static void group_add(struct group *gr, const struct stored_scores *s)
{
	gr->n++;
	for (int ai = 0; ai < GUIDE_N_AREAS; ai++)
		if (s->areas[ai].defined) {
			gr->sum[ai] += s->areas[ai].need;
			gr->cnt[ai]++;
		}
	if (s->need_defined) {
		gr->sum_all += s->need;
		gr->cnt_all++;
	}
}

/* The mean rounded half away from zero (the needs are >= 0), as SCORING.md rounds. */
static int mean(long long sum, int n)
{
	return (int)((2 * sum + n) / (2 * (long long)n));
}

static void mean_cell(struct strbuf *sb, const struct level_texts *lt, long long sum, int n)
{
	int m = n > 0 ? mean(sum, n) : 0;
	heat_cell(sb, lt, n > 0, level_of_need(m), m);
}

/* A row of the means: {name, assessments, cells_html (overall, then the areas)}. */
static json_t *group_json(const struct level_texts *lt, const struct group *gr)
{
	struct strbuf sb;
	strbuf_init(&sb, 512);
	mean_cell(&sb, lt, gr->sum_all, gr->cnt_all);
	for (int ai = 0; ai < GUIDE_N_AREAS; ai++)
		mean_cell(&sb, lt, gr->sum[ai], gr->cnt[ai]);
	json_t *j = json_pack("{s:s, s:i, s:s%}", "name", gr->name, "assessments", gr->n, "cells_html", sb.buf, sb.len);
	strbuf_release(&sb);
	return j;
}

static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

int h_dashboard(struct req *r)
{
	const struct guide *g = r->app->guide;
	const char *region = nonempty(req_query(r, "region"));
	const char *subregion = nonempty(req_query(r, "subregion"));
	const char *status = nonempty(req_query(r, "status"));
	const char *round_s = nonempty(req_query(r, "round"));
	const char *sort = nonempty(req_query(r, "sort"));
	struct dash_filter f = {.status = status, .round = DASH_ROUND_LATEST};

	if (status) {
		bool ok = false;
		for (size_t i = 0; i < ARRAY_SIZE(db_statuses); i++)
			ok |= strcmp(status, db_statuses[i]) == 0;
		if (!ok)
			return req_error(r, 400, "bad_query", "There is no status \"%.40s\".", status);
	}
	if (round_s && strcmp(round_s, "all") == 0) {
		f.round = DASH_ROUND_ALL;
	} else if (round_s && strcmp(round_s, "latest") != 0) {
		char *end;
		long v = strtol(round_s, &end, 10);
		if (*end || v < 2000 || v > 2100)
			return req_error(r, 400, "bad_query", "The round must be a year between 2000 and 2100.");
		f.round = (int)v;
	}
	if (sort && strcmp(sort, "need") != 0 && strcmp(sort, "name") != 0)
		return req_error(r, 400, "bad_query", "Sort by \"need\" or \"name\".");
	bool known;
	char *countries = countries_in(r, region, subregion, &known);
	if (!known) {
		free(countries);
		return req_error(r, 400, "bad_query", "There is no such region or sub-region.");
	}
	f.countries_json = countries;
	struct dash d;
	int rc = db_dash_read(r->db, g, &f, DASH_MAX_RECS, &d);
	free(countries);
	if (rc != 0)
		return req_error(r, 503, "database_error", "the dashboard cannot be read");

	struct row *rows = xcalloc(d.n_rows ? d.n_rows : 1, sizeof(*rows));
	for (size_t i = 0; i < d.n_rows; i++) {
		rows[i].s = &d.rows[i];
		rows[i].name = h_country_name(r, d.rows[i].country);
		rows[i].region = country_field(r, d.rows[i].country, "region");
		rows[i].subregion = country_field(r, d.rows[i].country, "subregion");
	}
	qsort(rows, d.n_rows, sizeof(*rows), sort && strcmp(sort, "name") == 0 ? by_name : by_need);

	/* the heatmap, and the groups of the regional means: regions, or the
	 * sub-regions of the region chosen */
	struct level_texts lt;
	level_texts_init(r, &lt);
	struct strbuf sb;
	strbuf_init(&sb, 1024);
	json_t *jrows = json_array();
	struct group *groups = xcalloc(d.n_rows + 1, sizeof(*groups));
	size_t n_groups = 0;
	struct group all = {.name = app_msg(r->app, "dashboard.all_filtered")};
	for (size_t i = 0; i < d.n_rows; i++) {
		const struct stored_scores *s = rows[i].s;
		strbuf_reset(&sb);
		heat_cell(&sb, &lt, s->need_defined, level_of_need(s->need), s->need);
		for (int ai = 0; ai < GUIDE_N_AREAS; ai++)
			heat_cell(&sb, &lt, s->areas[ai].defined, s->areas[ai].level, s->areas[ai].need);
		char key[32];
		snprintf(key, sizeof(key), "status.%s", s->status);
		json_array_append_new(jrows, json_pack("{s:I, s:s, s:i, s:s, s:s, s:s%}", "id", (json_int_t)s->assessment_id,
						       "name", rows[i].name, "round", s->round, "status", s->status,
						       "status_label", app_msg(r->app, key), "cells_html", sb.buf, sb.len));

		const char *gname = region ? rows[i].subregion : rows[i].region;
		size_t k = 0;
		while (k < n_groups && strcmp(groups[k].name, gname) != 0)
			k++;
		if (k == n_groups)
			groups[n_groups++].name = gname;
		group_add(&groups[k], s);
		group_add(&all, s);
	}
	qsort(groups, n_groups, sizeof(*groups), by_group);
	json_t *means = json_array();
	for (size_t k = 0; k < n_groups; k++)
		json_array_append_new(means, group_json(&lt, &groups[k]));
	if (n_groups)
		json_array_append_new(means, group_json(&lt, &all));
	strbuf_release(&sb);
	free(groups);
	free(rows);

	json_t *recs = json_array();
	for (size_t i = 0; i < d.n_recs; i++) {
		const struct guide_rec *rec = guide_rec(g, d.recs[i].rec_id);
		char share[16];
		snprintf(share, sizeof(share), "%d%%",
			 d.n_rows ? (int)((200LL * d.recs[i].n_assessments + (long long)d.n_rows) / (2LL * (long long)d.n_rows))
				  : 0);
		json_array_append_new(
			recs, json_pack("{s:s, s:s, s:s, s:i, s:i, s:s}", "id", d.recs[i].rec_id, "title",
					rec ? guide_text(json_object_get(rec->json, "title"), "en") : d.recs[i].rec_id,
					"area_title",
					rec ? guide_text(json_object_get(g->areas[rec->area].json, "title"), "en") : "",
					"assessments", d.recs[i].n_assessments, "triggers", d.recs[i].n_triggers, "share",
					share));
	}

	json_t *counts = json_array();
	int total = 0;
	for (size_t i = 0; i < ARRAY_SIZE(db_statuses); i++) {
		char key[32];
		snprintf(key, sizeof(key), "status.%s", db_statuses[i]);
		json_array_append_new(counts, json_pack("{s:s, s:s, s:i, s:b}", "id", db_statuses[i], "label",
							app_msg(r->app, key), "count", d.status_counts[i], "selected",
							status && strcmp(status, db_statuses[i]) == 0));
		total += d.status_counts[i];
	}
	json_t *rounds = json_array();
	for (size_t i = 0; i < d.n_rounds; i++)
		json_array_append_new(rounds, json_pack("{s:i, s:b}", "value", d.rounds[i], "selected", f.round == d.rounds[i]));
	json_t *areas = json_array();
	for (int ai = 0; ai < GUIDE_N_AREAS; ai++) {
		char key[64];
		snprintf(key, sizeof(key), "area_short.%s", g->areas[ai].id);
		json_array_append_new(areas, json_pack("{s:i, s:s, s:s, s:s}", "number", ai + 1, "id", g->areas[ai].id,
						       "title", guide_text(json_object_get(g->areas[ai].json, "title"), "en"),
						       "short", app_msg(r->app, key)));
	}
	size_t n_rows = d.n_rows;
	db_dash_release(&d);

	json_t *view = json_pack(
		"{s:s, s:o, s:o, s:i, s:b, s:o, s:o, s:b, s:o, s:b, s:o, s:o, s:o}", "title",
		app_msg(r->app, "dashboard.title"), "areas", areas, "rows", jrows, "n_rows", (int)n_rows, "has_rows",
		n_rows > 0, "means", means, "recs", recs, "has_recs", json_array_size(recs) > 0, "counts", counts,
		"has_counts", total > 0, "regions", choices(r, "region", NULL, region), "subregions",
		choices(r, "subregion", region, subregion), "rounds", rounds);
	json_object_set_new(view, "filter",
			    json_pack("{s:b, s:b, s:b, s:b, s:s}", "latest", f.round == DASH_ROUND_LATEST, "all_rounds",
				      f.round == DASH_ROUND_ALL, "sort_name", sort && strcmp(sort, "name") == 0,
				      "by_subregion", region != NULL, "region", region ? region : ""));
	json_object_set_new(view, "status_total", json_integer(total));
	if (view)
		json_object_set_new(view, "body_class", json_string("wide"));
	return req_render(r, 200, "dashboard", view);
}
