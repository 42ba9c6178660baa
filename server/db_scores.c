/* db_scores.c - keeping the figures of score.c and plan.c in the store. See db_scores.h. */
#include "db_scores.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "plan.h"
#include "strbuf.h"
#include "util.h"

const char *const db_statuses[4] = {"draft", "submitted", "returned", "validated"};

static int db_fail(struct db *db, const char *what)
{
	return log_error("%s: %s", what, sqlite3_errmsg(db_handle(db)));
}

static enum level level_from_name(const char *s)
{
	for (enum level l = LEVEL_LOW; l <= LEVEL_CRITICAL; l++)
		if (strcmp(s, level_name(l)) == 0)
			return l;
	return LEVEL_UNKNOWN;
}

/* Runs a statement that returns no rows and resets it. 0 or -1 (logged). */
static int step_done(struct db *db, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, what);
}

/* The stored answers of an assessment parsed into answers[g->n_questions]. Text
 * answers borrow from the values kept in *keep (a new array the caller releases).
 * A value the guide no longer accepts counts as unanswered, as in h_answers_parse. */
static int read_answers(struct db *db, const struct guide *g, long long id, struct answer *answers, json_t **keep)
{
	static const char sql[] = "SELECT question_id, value FROM answers WHERE assessment_id = ?";
	*keep = json_array();
	memset(answers, 0, g->n_questions * sizeof(*answers));
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const struct guide_question *q = guide_question(g, db_col_text(st, 0));
		if (!q)
			continue;
		json_t *v = json_loads(db_col_text(st, 1), JSON_DECODE_ANY, NULL);
		if (!v)
			continue;
		json_array_append_new(*keep, v);
		char err[160];
		if (guide_parse_answer(q, v, &answers[q->index], err, sizeof(err)) != 0)
			answers[q->index].kind = ANS_NONE;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, "reading answers to score");
}

/* The JSON text of a list of question ids (a new string). */
static char *qid_list(const struct guide *g, const size_t *idx, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(g->questions[idx[i]].id));
	char *s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return s;
}

/* "rec_id:n_triggers ..." in plan order (assessment_overall.plan_recs), a new string. */
static char *plan_summary(const struct plan *p)
{
	struct strbuf sb;
	strbuf_init(&sb, p->n * 24 + 1);
	for (size_t i = 0; i < p->n; i++)
		strbuf_addf(&sb, "%s%s:%zu", i ? " " : "", p->items[i].rec->id, p->items[i].n_triggered_by);
	return strbuf_detach(&sb, NULL);
}

static int store_scores(struct db *db, const struct guide *g, long long id, const struct score *sc,
			const struct plan *p)
{
	static const char del[] = "DELETE FROM assessment_scores WHERE assessment_id = ?";
	static const char ins[] = "INSERT INTO assessment_scores(assessment_id, area, position, need, capacity, level,"
				  " coverage, answered, applicable, data_gaps, n_critical_gaps, critical_gaps)"
				  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	static const char overall[] = "INSERT OR REPLACE INTO assessment_overall(assessment_id, need, coverage,"
				      " answered, applicable, priorities, computed_at, plan_recs)"
				      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st = db_stmt(db, del);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (step_done(db, st, "clearing scores") != 0)
		return -1;
	for (int ai = 0; ai < GUIDE_N_AREAS; ai++) {
		const struct area_score *as = &sc->areas[ai];
		if (!(st = db_stmt(db, ins)))
			return -1;
		char *gaps = qid_list(g, as->critical_gaps, as->n_critical_gaps);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, g->areas[ai].id, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, ai);
		if (as->defined) {
			sqlite3_bind_int(st, 4, as->need);
			sqlite3_bind_double(st, 5, as->capacity);
		}
		sqlite3_bind_text(st, 6, level_name(as->level), -1, SQLITE_STATIC);
		sqlite3_bind_double(st, 7, as->coverage);
		sqlite3_bind_int64(st, 8, (sqlite3_int64)as->answered);
		sqlite3_bind_int64(st, 9, (sqlite3_int64)as->applicable);
		sqlite3_bind_int64(st, 10, (sqlite3_int64)as->data_gaps);
		sqlite3_bind_int64(st, 11, (sqlite3_int64)as->n_critical_gaps);
		sqlite3_bind_text(st, 12, gaps, -1, SQLITE_STATIC);
		int rc = step_done(db, st, "storing scores");
		free(gaps);
		if (rc != 0)
			return -1;
	}
	json_t *prio = json_array();
	for (size_t i = 0; i < sc->n_priorities; i++)
		json_array_append_new(prio, json_string(g->areas[sc->priorities[i]].id));
	char *prio_s = json_dumps(prio, JSON_COMPACT);
	json_decref(prio);
	char *recs = plan_summary(p);
	if (!(st = db_stmt(db, overall))) {
		free(prio_s);
		free(recs);
		return -1;
	}
	sqlite3_bind_int64(st, 1, id);
	if (sc->need_defined)
		sqlite3_bind_int(st, 2, sc->need);
	sqlite3_bind_double(st, 3, sc->coverage);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)sc->answered);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)sc->applicable);
	sqlite3_bind_text(st, 6, prio_s, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, util_now());
	sqlite3_bind_text(st, 8, recs, -1, SQLITE_STATIC);
	int rc = step_done(db, st, "storing overall scores");
	free(prio_s);
	free(recs);
	return rc;
}

static int store_plan(struct db *db, const struct guide *g, long long id, const struct plan *p)
{
	static const char del[] = "DELETE FROM assessment_plan_items WHERE assessment_id = ?";
	static const char ins[] = "INSERT INTO assessment_plan_items(assessment_id, rec_id, area, position, n_triggers,"
				  " triggered_by) VALUES (?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st = db_stmt(db, del);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (step_done(db, st, "clearing the plan") != 0)
		return -1;
	for (size_t i = 0; i < p->n; i++) {
		const struct plan_item *it = &p->items[i];
		if (!(st = db_stmt(db, ins)))
			return -1;
		char *by = qid_list(g, it->triggered_by, it->n_triggered_by);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, it->rec->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, g->areas[it->area].id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)i);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)it->n_triggered_by);
		sqlite3_bind_text(st, 6, by, -1, SQLITE_STATIC);
		int rc = step_done(db, st, "storing the plan");
		free(by);
		if (rc != 0)
			return -1;
	}
	return 0;
}

int db_scores_refresh(struct db *db, const struct guide *g, long long assessment_id)
{
	struct answer *answers = xcalloc(g->n_questions ? g->n_questions : 1, sizeof(*answers));
	json_t *keep = NULL;
	int ret = -1;
	if (read_answers(db, g, assessment_id, answers, &keep) != 0)
		goto out;
	struct score sc;
	struct plan p;
	score_compute(g, answers, &sc);
	plan_compute(g, answers, &sc, &p);
	ret = store_scores(db, g, assessment_id, &sc, &p);
	if (ret == 0)
		ret = store_plan(db, g, assessment_id, &p);
	plan_release(&p);
	score_release(&sc);
out:
	json_decref(keep);
	free(answers);
	return ret;
}

/* The layout of the stored figures; a new one makes the server recompute them all. */
#define SCORES_FORMAT 2

/* The guide of a version among guides[0..n): its index, or n when none has it. */
static size_t guide_of_version(const struct scores_guide *guides, size_t n, const char *version)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(guides[i].guide->version, version) == 0)
			return i;
	return n;
}

/* What the settings row 'scores_guides' held: {"format": F, "versions": {V: hash}}
 * (a new reference), NULL when absent or unreadable. */
static json_t *recorded_guides(struct db *db)
{
	static const char sql[] = "SELECT value FROM settings WHERE key = 'scores_guides'";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return NULL;
	json_t *j = NULL;
	if (sqlite3_step(st) == SQLITE_ROW)
		j = json_loads(db_col_text(st, 0), 0, NULL);
	sqlite3_reset(st);
	return j;
}

struct to_score {
	long long id;
	size_t guide;            /* index into guides (n: not loaded, scored with guides[0]) */
};

int db_scores_reconcile(struct db *db, const struct scores_guide *guides, size_t n)
{
	static const char list[] = "SELECT a.id, a.guide_version, NOT EXISTS (SELECT 1 FROM assessment_overall o"
				   " WHERE o.assessment_id = a.id) FROM assessments a ORDER BY a.id";
	static const char set[] = "INSERT OR REPLACE INTO settings(key, value) VALUES ('scores_guides', ?)";
	/* the single hash recorded before archived guides existed */
	static const char drop_old[] = "DELETE FROM settings WHERE key = 'scores_guide_hash'";
	json_t *old = recorded_guides(db);
	const json_t *old_versions = json_integer_value(json_object_get(old, "format")) == SCORES_FORMAT
					     ? json_object_get(old, "versions")
					     : NULL;
	/* the hash each version is scored with now: its own guide's, else the current one's */
	json_t *versions = json_object();
	for (size_t i = 0; i < n; i++)
		json_object_set_new(versions, guides[i].guide->version, json_string(guides[i].hash));
	json_t *unknown = json_object(); /* version -> number of assessments */
	struct to_score *rows = NULL;
	size_t n_rows = 0, alloc = 0;
	sqlite3_stmt *st = db_stmt(db, list);
	int rc = SQLITE_ERROR;
	while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *version = db_col_text(st, 1);
		size_t gi = guide_of_version(guides, n, version);
		if (gi == n) {
			json_object_set_new(versions, version, json_string(guides[0].hash));
			json_object_set_new(unknown, version,
					    json_integer(json_integer_value(json_object_get(unknown, version)) + 1));
		}
		const char *was = json_string_value(json_object_get(old_versions, version));
		bool missing = sqlite3_column_int(st, 2) != 0;
		if (!missing && was && strcmp(was, json_string_value(json_object_get(versions, version))) == 0)
			continue;
		if (n_rows == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			rows = xreallocarray(rows, alloc, sizeof(*rows));
		}
		rows[n_rows++] = (struct to_score){.id = sqlite3_column_int64(st, 0), .guide = gi};
	}
	if (st)
		sqlite3_reset(st);
	int ret = -1;
	if (rc != SQLITE_DONE) {
		if (st)
			db_fail(db, "listing assessments to score");
		goto out;
	}
	const char *v;
	json_t *count;
	json_object_foreach(unknown, v, count)
		log_warn("%" JSON_INTEGER_FORMAT " assessment%s started on guide version \"%s\", which is not loaded: "
			 "shown and scored with the current guide %s until that version is archived again",
			 json_integer_value(count), json_integer_value(count) == 1 ? " was" : "s were", v,
			 guides[0].guide->version);
	if (n_rows == 0 && old_versions && json_equal((json_t *)old_versions, versions)) {
		ret = 0;
		goto out;
	}
	if (db_begin(db) != 0)
		goto out;
	for (size_t i = 0; i < n_rows; i++)
		if (db_scores_refresh(db, guides[rows[i].guide < n ? rows[i].guide : 0].guide, rows[i].id) != 0)
			goto fail;
	json_t *rec = json_pack("{s:i, s:O}", "format", SCORES_FORMAT, "versions", versions);
	char *text = json_dumps(rec, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(rec);
	if (!(st = db_stmt(db, set))) {
		free(text);
		goto fail;
	}
	sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
	free(text);
	if (step_done(db, st, "recording the guides of the scores") != 0 || !(st = db_stmt(db, drop_old)) ||
	    step_done(db, st, "recording the guides of the scores") != 0 || db_commit(db) != 0)
		goto fail;
	ret = (int)n_rows;
	goto out;
fail:
	db_rollback(db);
out:
	json_decref(old);
	json_decref(versions);
	json_decref(unknown);
	free(rows);
	return ret;
}

/* Reads the area columns (area, need, level, n_critical_gaps) starting at col into
 * s; rows of an area the guide does not have are ignored. */
static void read_area(const struct guide *g, sqlite3_stmt *st, int col, struct stored_scores *s)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return;
	int ai = guide_area_index(g, db_col_text(st, col));
	if (ai < 0)
		return;
	struct stored_area *a = &s->areas[ai];
	a->defined = sqlite3_column_type(st, col + 1) != SQLITE_NULL;
	a->need = sqlite3_column_int(st, col + 1);
	a->level = level_from_name(db_col_text(st, col + 2));
	a->n_critical_gaps = (size_t)sqlite3_column_int64(st, col + 3);
}

/* Reads the assessment and overall columns 0..5 of a row into s. */
static void read_head(sqlite3_stmt *st, struct stored_scores *s)
{
	memset(s, 0, sizeof(*s));
	s->assessment_id = sqlite3_column_int64(st, 0);
	snprintf(s->country, sizeof(s->country), "%s", db_col_text(st, 1));
	s->round = sqlite3_column_int(st, 2);
	snprintf(s->status, sizeof(s->status), "%s", db_col_text(st, 3));
	s->need_defined = sqlite3_column_type(st, 4) != SQLITE_NULL;
	s->need = sqlite3_column_int(st, 4);
	s->coverage = sqlite3_column_double(st, 5);
}

#define HEAD_COLS "a.id, a.country, a.round, a.status, o.need, o.coverage"
#define AREA_COLS "s.area, s.need, s.level, s.n_critical_gaps"
#define FROM_SCORES                                                                                                \
	" FROM assessments a LEFT JOIN assessment_overall o ON o.assessment_id = a.id"                             \
	" LEFT JOIN assessment_scores s ON s.assessment_id = a.id"

int db_scores_get(struct db *db, const struct guide *g, long long assessment_id, struct stored_scores *out)
{
	static const char sql[] = "SELECT " HEAD_COLS ", " AREA_COLS FROM_SCORES
				  " WHERE a.id = ? AND o.assessment_id IS NOT NULL";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, assessment_id);
	int rc, found = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!found)
			read_head(st, out);
		found = 1;
		read_area(g, st, 6, out);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? found : db_fail(db, "reading stored scores");
}

long long db_scores_previous(struct db *db, const char *country, int round, int *prev_round)
{
	static const char sql[] = "SELECT id, round FROM assessments WHERE country = ? AND round < ?"
				  " ORDER BY round DESC LIMIT 1";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, country, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, round);
	long long id = 0;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		*prev_round = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? id : db_fail(db, "finding the previous round");
}

/* The dashboard's filter over assessments a: ?1 countries (JSON array or NULL),
 * ?2 status (or NULL), ?3 round (a year, 0 = each country's latest, -1 = all). */
#define DASH_WHERE                                                                                                 \
	" WHERE (?1 IS NULL OR a.country IN (SELECT value FROM json_each(?1)))"                                    \
	" AND (?2 IS NULL OR a.status = ?2)"                                                                       \
	" AND (?3 = -1 OR (?3 > 0 AND a.round = ?3) OR (?3 = 0 AND a.round ="                                      \
	" (SELECT max(b.round) FROM assessments b WHERE b.country = a.country AND (?2 IS NULL OR b.status = ?2))))"

static void bind_filter(sqlite3_stmt *st, const struct dash_filter *f, bool with_status)
{
	if (f->countries_json)
		sqlite3_bind_text(st, 1, f->countries_json, -1, SQLITE_STATIC);
	if (with_status && f->status)
		sqlite3_bind_text(st, 2, f->status, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, f->round);
}

static int by_frequency(const void *pa, const void *pb)
{
	const struct dash_rec *a = pa, *b = pb;
	if (a->n_assessments != b->n_assessments)
		return b->n_assessments - a->n_assessments;
	if (a->n_triggers != b->n_triggers)
		return b->n_triggers - a->n_triggers;
	return strcmp(a->rec_id, b->rec_id);
}

/* Counts the recommendations of one plan summary ("rec_id:n ...") into all[],
 * indexed like g->recs. Ids the guide does not know are skipped: those of the
 * plan of an assessment made on an archived version that the current guide no
 * longer has. */
static void count_recs(const struct guide *g, const char *s, struct dash_rec *all)
{
	while (*s) {
		const char *end = strchr(s, ' ');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		const char *colon = memchr(s, ':', len);
		char id[72];
		if (colon && (size_t)(colon - s) < sizeof(id)) {
			memcpy(id, s, (size_t)(colon - s));
			id[colon - s] = '\0';
			const struct guide_rec *rec = guide_rec(g, id);
			if (rec) {
				all[rec - g->recs].n_assessments++;
				all[rec - g->recs].n_triggers += atoi(colon + 1);
			}
		}
		s += len + (end ? 1 : 0);
	}
}

/* Keeps the max_recs most frequent of all[] (g->n_recs counters) in d->recs. */
static void dash_recs(const struct guide *g, struct dash_rec *all, size_t max_recs, struct dash *d)
{
	size_t n = 0;
	for (size_t i = 0; i < g->n_recs; i++)
		if (all[i].n_assessments) {
			all[n] = all[i];
			snprintf(all[n].rec_id, sizeof(all[n].rec_id), "%s", g->recs[i].id);
			n++;
		}
	qsort(all, n, sizeof(*all), by_frequency);
	d->n_recs = n < max_recs ? n : max_recs;
	d->recs = all;
}

static int by_id(const void *key, const void *elem)
{
	long long k = *(const long long *)key, id = ((const struct stored_scores *)elem)->assessment_id;
	return k < id ? -1 : k > id;
}

/* Reads the rows of the filter (assessments with their overall figures, then the
 * areas of those assessments: two queries cost less than one join that carries
 * the plan summary through seven rows each) and counts the recommendations of
 * their plans into recs[] (g->n_recs counters). */
static int dash_rows(struct db *db, const struct guide *g, const struct dash_filter *f, struct dash *d,
		     struct dash_rec *recs)
{
	static const char heads[] = "SELECT " HEAD_COLS ", o.plan_recs FROM assessments a"
				    " LEFT JOIN assessment_overall o ON o.assessment_id = a.id" DASH_WHERE " ORDER BY a.id";
	static const char areas[] = "SELECT s.assessment_id, " AREA_COLS " FROM assessment_scores s"
				    " WHERE s.assessment_id IN (SELECT value FROM json_each(?1))";
	sqlite3_stmt *st = db_stmt(db, heads);
	if (!st)
		return -1;
	bind_filter(st, f, true);
	size_t alloc = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (d->n_rows == alloc) {
			alloc = alloc ? alloc * 2 : 256;
			d->rows = xreallocarray(d->rows, alloc, sizeof(*d->rows));
		}
		read_head(st, &d->rows[d->n_rows++]);
		count_recs(g, db_col_text(st, 6), recs);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, "reading the dashboard");

	struct strbuf ids;
	strbuf_init(&ids, d->n_rows * 8 + 2);
	strbuf_addch(&ids, '[');
	for (size_t i = 0; i < d->n_rows; i++)
		strbuf_addf(&ids, "%s%lld", i ? "," : "", d->rows[i].assessment_id);
	strbuf_addch(&ids, ']');
	if (!(st = db_stmt(db, areas))) {
		strbuf_release(&ids);
		return -1;
	}
	sqlite3_bind_text(st, 1, ids.buf, (int)ids.len, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		struct stored_scores *row = bsearch(&id, d->rows, d->n_rows, sizeof(*d->rows), by_id);
		if (row)
			read_area(g, st, 1, row);
	}
	sqlite3_reset(st);
	strbuf_release(&ids);
	return rc == SQLITE_DONE ? 0 : db_fail(db, "reading the dashboard's areas");
}

static int dash_counts(struct db *db, const struct dash_filter *f, struct dash *d)
{
	static const char sql[] = "SELECT a.status, count(*) FROM assessments a" DASH_WHERE " GROUP BY a.status";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	bind_filter(st, f, false);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (size_t i = 0; i < ARRAY_SIZE(db_statuses); i++)
			if (strcmp(db_col_text(st, 0), db_statuses[i]) == 0)
				d->status_counts[i] = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, "counting assessments by status");
}

static int dash_rounds(struct db *db, struct dash *d)
{
	static const char sql[] = "SELECT DISTINCT round FROM assessments ORDER BY round DESC";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	size_t alloc = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (d->n_rounds == alloc) {
			alloc = alloc ? alloc * 2 : 8;
			d->rounds = xreallocarray(d->rounds, alloc, sizeof(*d->rounds));
		}
		d->rounds[d->n_rounds++] = sqlite3_column_int(st, 0);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, "listing rounds");
}

int db_dash_read(struct db *db, const struct guide *g, const struct dash_filter *f, size_t max_recs,
		 struct dash *out)
{
	memset(out, 0, sizeof(*out));
	/* one snapshot for the rows, the counts and the rounds */
	bool own_tx = !db_in_tx(db);
	if (own_tx && db_exec(db, "BEGIN") != 0)
		return -1;
	struct dash_rec *recs = xcalloc(g->n_recs ? g->n_recs : 1, sizeof(*recs));
	int rc = dash_rows(db, g, f, out, recs) == 0 && dash_counts(db, f, out) == 0 && dash_rounds(db, out) == 0 ? 0 : -1;
	if (own_tx && db_exec(db, rc == 0 ? "COMMIT" : "ROLLBACK") != 0)
		rc = -1;
	if (rc != 0) {
		free(recs);
		db_dash_release(out);
		return -1;
	}
	dash_recs(g, recs, max_recs, out);
	return 0;
}

void db_dash_release(struct dash *d)
{
	free(d->rows);
	free(d->recs);
	free(d->rounds);
	memset(d, 0, sizeof(*d));
}
