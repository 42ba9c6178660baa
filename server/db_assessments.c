/* db_assessments.c - queries by noun: assessments, answers, audit. */
#include "db_assessments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "util.h"

static int db_fail(struct db *db, const char *what)
{
	return log_error("%s: %s", what, sqlite3_errmsg(db_handle(db)));
}

static void iso(long long t, char buf[static 21])
{
	util_iso8601(t, buf);
}

static void row_to_assessment(sqlite3_stmt *st, struct assessment *a)
{
	a->id = sqlite3_column_int64(st, 0);
	snprintf(a->country, sizeof(a->country), "%s", db_col_text(st, 1));
	a->round = sqlite3_column_int(st, 2);
	snprintf(a->guide_version, sizeof(a->guide_version), "%s", db_col_text(st, 3));
	snprintf(a->status, sizeof(a->status), "%s", db_col_text(st, 4));
	a->created_at = sqlite3_column_int64(st, 5);
	a->updated_at = sqlite3_column_int64(st, 6);
}

#define ASSESSMENT_COLS "id, country, round, guide_version, status, created_at, updated_at"

int db_assessment_get(struct db *db, long long id, struct assessment *out)
{
	static const char sql[] = "SELECT " ASSESSMENT_COLS " FROM assessments WHERE id = ?";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	int ret = 0;
	if (rc == SQLITE_ROW) {
		row_to_assessment(st, out);
		ret = 1;
	} else if (rc != SQLITE_DONE) {
		ret = db_fail(db, "reading an assessment");
	}
	sqlite3_reset(st);
	return ret;
}

long long db_assessment_create(struct db *db, const char *country, int round, const char *guide_version,
			       long long user_id, long long *existing)
{
	static const char find[] = "SELECT id FROM assessments WHERE country = ? AND round = ?";
	static const char ins[] = "INSERT INTO assessments(country, round, guide_version, status, created_at, "
				  "updated_at, created_by) VALUES (?, ?, ?, 'draft', ?, ?, ?)";
	sqlite3_stmt *st = db_stmt(db, find);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, country, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, round);
	if (sqlite3_step(st) == SQLITE_ROW) {
		if (existing)
			*existing = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	st = db_stmt(db, ins);
	if (!st)
		return -1;
	long long now = util_now();
	sqlite3_bind_text(st, 1, country, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, round);
	sqlite3_bind_text(st, 3, guide_version, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, now);
	if (user_id > 0)
		sqlite3_bind_int64(st, 6, user_id);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, "creating an assessment");
	long long id = sqlite3_last_insert_rowid(db_handle(db));
	char buf[64];
	snprintf(buf, sizeof(buf), "{\"country\":\"%s\",\"round\":%d}", country, round);
	if (db_audit_add(db, id, user_id, "assessment_created", NULL, NULL, buf) != 0)
		return -1;
	return id;
}

json_t *db_assessment_json(const struct assessment *a)
{
	char c[21], u[21];
	iso(a->created_at, c);
	iso(a->updated_at, u);
	return json_pack("{s:I, s:s, s:i, s:s, s:s, s:s, s:s}", "id", (json_int_t)a->id, "country", a->country,
			 "round", a->round, "guide_version", a->guide_version, "status", a->status, "created_at", c,
			 "updated_at", u);
}

json_t *db_assessment_list(struct db *db, const char *country, const char *status, int round)
{
	static const char sql[] = "SELECT " ASSESSMENT_COLS " FROM assessments"
				  " WHERE (?1 IS NULL OR country = ?1) AND (?2 IS NULL OR status = ?2)"
				  " AND (?3 = 0 OR round = ?3) ORDER BY round DESC, country";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return NULL;
	if (country)
		sqlite3_bind_text(st, 1, country, -1, SQLITE_STATIC);
	if (status)
		sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, round);
	json_t *arr = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct assessment a;
		row_to_assessment(st, &a);
		json_array_append_new(arr, db_assessment_json(&a));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(arr);
		db_fail(db, "listing assessments");
		return NULL;
	}
	return arr;
}

int db_assessment_set_status(struct db *db, long long id, const char *status)
{
	static const char sql[] = "UPDATE assessments SET status = ?, updated_at = ? WHERE id = ?";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, util_now());
	sqlite3_bind_int64(st, 3, id);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, "changing a status");
}

json_t *db_answers_get(struct db *db, long long assessment_id)
{
	static const char sql[] = "SELECT question_id, value, comment, updated_at, updated_by, carried_from FROM answers"
				  " WHERE assessment_id = ?";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, assessment_id);
	json_t *obj = json_object();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_error_t e;
		json_t *v = json_loads(db_col_text(st, 1), JSON_DECODE_ANY, &e);
		if (!v) {
			log_error("assessment %lld: stored answer to %s is not JSON", assessment_id, db_col_text(st, 0));
			continue;
		}
		char at[21];
		iso(sqlite3_column_int64(st, 3), at);
		json_t *by = sqlite3_column_type(st, 4) == SQLITE_NULL ? json_null()
								       : json_integer(sqlite3_column_int64(st, 4));
		bool carried = sqlite3_column_type(st, 5) != SQLITE_NULL;
		/* a comment stored before comments were checked may not be UTF-8: show it
		 * mended rather than lose the whole answer from view */
		json_t *comment = json_string(db_col_text(st, 2));
		if (!comment) {
			char *copy = xstrdup(db_col_text(st, 2));
			util_utf8_sanitize(copy);
			comment = json_string(copy);
			free(copy);
			log_warn("assessment %lld: the comment on %s is not UTF-8", assessment_id, db_col_text(st, 0));
		}
		json_object_set_new(obj, db_col_text(st, 0),
				    json_pack("{s:o, s:o, s:s, s:o, s:b, s:o}", "value", v, "comment", comment,
					      "updated_at", at, "updated_by", by, "carried_over", carried, "carried_from",
					      carried ? json_integer(sqlite3_column_int(st, 5)) : json_null()));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(obj);
		db_fail(db, "reading answers");
		return NULL;
	}
	return obj;
}

int db_audit_add(struct db *db, long long assessment_id, long long user_id, const char *kind,
		 const char *target, const char *old, const char *new_)
{
	static const char sql[] = "INSERT INTO audit(assessment_id, user_id, at, kind, target, old, new)"
				  " VALUES (?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	if (assessment_id > 0)
		sqlite3_bind_int64(st, 1, assessment_id);
	if (user_id > 0)
		sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_int64(st, 3, util_now());
	sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC);
	if (target)
		sqlite3_bind_text(st, 5, target, -1, SQLITE_STATIC);
	if (old)
		sqlite3_bind_text(st, 6, old, -1, SQLITE_STATIC);
	if (new_)
		sqlite3_bind_text(st, 7, new_, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, "writing the audit trail");
}

int db_answer_put(struct db *db, long long assessment_id, const char *question_id, const char *value_json,
		  const char *comment, long long user_id, bool *changed)
{
	static const char sel[] = "SELECT value, comment FROM answers WHERE assessment_id = ? AND question_id = ?";
	static const char up[] = "INSERT INTO answers(assessment_id, question_id, value, comment, updated_by, updated_at)"
				 " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(assessment_id, question_id) DO UPDATE SET"
				 " value = excluded.value, comment = excluded.comment,"
				 " updated_by = excluded.updated_by, updated_at = excluded.updated_at, carried_from = NULL";
	static const char del[] = "DELETE FROM answers WHERE assessment_id = ? AND question_id = ?";
	*changed = false;
	sqlite3_stmt *st = db_stmt(db, sel);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, assessment_id);
	sqlite3_bind_text(st, 2, question_id, -1, SQLITE_STATIC);
	char *old_value = NULL, *old_comment = NULL;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		old_value = xstrdup(db_col_text(st, 0));
		old_comment = xstrdup(db_col_text(st, 1));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, "reading an answer");
	if (!comment)
		comment = old_comment ? old_comment : "";
	int ret = 0;
	bool same_value = (!old_value && !value_json) || (old_value && value_json && strcmp(old_value, value_json) == 0);
	bool same_comment = strcmp(old_comment ? old_comment : "", comment) == 0;
	if (same_value && same_comment)
		goto out;
	if (!value_json) {
		st = db_stmt(db, del);
		if (!st)
			goto fail;
		sqlite3_bind_int64(st, 1, assessment_id);
		sqlite3_bind_text(st, 2, question_id, -1, SQLITE_STATIC);
	} else {
		st = db_stmt(db, up);
		if (!st)
			goto fail;
		sqlite3_bind_int64(st, 1, assessment_id);
		sqlite3_bind_text(st, 2, question_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, value_json, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, comment, -1, SQLITE_STATIC);
		if (user_id > 0)
			sqlite3_bind_int64(st, 5, user_id);
		sqlite3_bind_int64(st, 6, util_now());
	}
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(db, "storing an answer");
		goto fail;
	}
	*changed = true;
	static const char touch[] = "UPDATE assessments SET updated_at = ? WHERE id = ?";
	st = db_stmt(db, touch);
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, util_now());
	sqlite3_bind_int64(st, 2, assessment_id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(db, "touching an assessment");
		goto fail;
	}
	if (!same_value && db_audit_add(db, assessment_id, user_id, "answer", question_id, old_value, value_json) != 0)
		goto fail;
	if (!same_comment && value_json &&
	    db_audit_add(db, assessment_id, user_id, "answer_comment", question_id, old_comment, comment) != 0)
		goto fail;
	goto out;
fail:
	ret = -1;
out:
	free(old_value);
	free(old_comment);
	return ret;
}

/* Sets the assessment's updated_at to now. 0 or -1. */
static int touch_assessment(struct db *db, long long assessment_id)
{
	static const char sql[] = "UPDATE assessments SET updated_at = ? WHERE id = ?";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, util_now());
	sqlite3_bind_int64(st, 2, assessment_id);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, "touching an assessment");
}

int db_answer_carry(struct db *db, long long assessment_id, const char *question_id, const char *value_json,
		    const char *comment, int from_round, long long user_id)
{
	static const char sql[] = "INSERT INTO answers(assessment_id, question_id, value, comment, updated_by, updated_at,"
				  " carried_from) VALUES (?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, assessment_id);
	sqlite3_bind_text(st, 2, question_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, value_json, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, comment ? comment : "", -1, SQLITE_STATIC);
	if (user_id > 0)
		sqlite3_bind_int64(st, 5, user_id);
	sqlite3_bind_int64(st, 6, util_now());
	sqlite3_bind_int(st, 7, from_round);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, "carrying an answer over");
	return db_audit_add(db, assessment_id, user_id, "carried_over", question_id, NULL, value_json);
}

int db_answer_confirm(struct db *db, long long assessment_id, const char *question_id, long long user_id)
{
	static const char sql[] = "UPDATE answers SET carried_from = NULL, updated_by = ?, updated_at = ?"
				  " WHERE assessment_id = ? AND question_id = ? AND carried_from IS NOT NULL"
				  " RETURNING value";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	if (user_id > 0)
		sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, util_now());
	sqlite3_bind_int64(st, 3, assessment_id);
	sqlite3_bind_text(st, 4, question_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	char *value = rc == SQLITE_ROW ? xstrdup(db_col_text(st, 0)) : NULL;
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(value);
		return db_fail(db, "confirming an answer");
	}
	if (!value)
		return 0;
	int ret = db_audit_add(db, assessment_id, user_id, "answer_confirmed", question_id, NULL, value) == 0 &&
			  touch_assessment(db, assessment_id) == 0
		  ? 1
		  : -1;
	free(value);
	return ret;
}
