/* db_actions.c - assistance actions in the store (db_actions.h). */
#include "db_actions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_assessments.h"
#include "log.h"
#include "util.h"

const char *const db_action_statuses[4] = {"proposed", "planned", "in_progress", "delivered"};

static int db_fail(struct db *db, const char *what)
{
	return log_error("%s: %s", what, sqlite3_errmsg(db_handle(db)));
}

static json_t *user_or_null(sqlite3_stmt *st, int id_col, int name_col)
{
	if (sqlite3_column_type(st, id_col) == SQLITE_NULL)
		return json_null();
	long long uid = sqlite3_column_int64(st, id_col);
	char name[32];
	snprintf(name, sizeof(name), "user %lld", uid);
	return json_pack("{s:I, s:s}", "id", (json_int_t)uid, "username",
			 sqlite3_column_type(st, name_col) == SQLITE_NULL ? name : db_col_text(st, name_col));
}

static json_t *text_or_null(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? json_null() : json_string(db_col_text(st, col));
}

#define ACTION_COLS                                                                                                \
	"SELECT x.id, x.rec_id, x.status, x.partner, x.start_date, x.end_date, x.note, x.created_at, x.created_by,"  \
	" cu.username, x.updated_at, x.updated_by, uu.username FROM actions x"                                       \
	" LEFT JOIN users cu ON cu.id = x.created_by LEFT JOIN users uu ON uu.id = x.updated_by"

static json_t *row_json(sqlite3_stmt *st)
{
	char c[21], u[21];
	util_iso8601(sqlite3_column_int64(st, 7), c);
	util_iso8601(sqlite3_column_int64(st, 10), u);
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:o, s:s, s:o}", "id",
			 (json_int_t)sqlite3_column_int64(st, 0), "rec", db_col_text(st, 1), "status", db_col_text(st, 2),
			 "partner", db_col_text(st, 3), "start", text_or_null(st, 4), "end", text_or_null(st, 5), "note",
			 db_col_text(st, 6), "created_at", c, "created_by", user_or_null(st, 8, 9), "updated_at", u,
			 "updated_by", user_or_null(st, 11, 12));
}

json_t *db_actions_list(struct db *db, long long assessment_id)
{
	static const char sql[] = ACTION_COLS " WHERE x.assessment_id = ? ORDER BY x.id";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, assessment_id);
	json_t *arr = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(arr, row_json(st));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(arr);
		db_fail(db, "listing actions");
		return NULL;
	}
	return arr;
}

int db_action_get(struct db *db, long long assessment_id, const char *rec_id, json_t **out)
{
	static const char sql[] = ACTION_COLS " WHERE x.assessment_id = ? AND x.rec_id = ?";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, assessment_id);
	sqlite3_bind_text(st, 2, rec_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	int ret = 0;
	*out = NULL;
	if (rc == SQLITE_ROW) {
		*out = row_json(st);
		ret = 1;
	} else if (rc != SQLITE_DONE) {
		ret = db_fail(db, "reading an action");
	}
	sqlite3_reset(st);
	return ret;
}

/* The fields as the audit trail keeps them (new string). */
static char *fields_json(const struct action_fields *f)
{
	json_t *j = json_pack("{s:s, s:s, s:o, s:o, s:s}", "status", f->status, "partner", f->partner ? f->partner : "",
			      "start", f->start ? json_string(f->start) : json_null(), "end",
			      f->end ? json_string(f->end) : json_null(), "note", f->note ? f->note : "");
	char *s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return s;
}

int db_action_put(struct db *db, long long assessment_id, const char *rec_id, const struct action_fields *f,
		  long long user_id, bool *created)
{
	static const char sel[] = "SELECT status, partner, start_date, end_date, note FROM actions"
				  " WHERE assessment_id = ? AND rec_id = ?";
	static const char up[] = "INSERT INTO actions(assessment_id, rec_id, status, partner, start_date, end_date, note,"
				 " created_by, created_at, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?8, ?9)"
				 " ON CONFLICT(assessment_id, rec_id) DO UPDATE SET status = excluded.status,"
				 " partner = excluded.partner, start_date = excluded.start_date, end_date = excluded.end_date,"
				 " note = excluded.note, updated_by = excluded.updated_by, updated_at = excluded.updated_at";
	*created = false;
	sqlite3_stmt *st = db_stmt(db, sel);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, assessment_id);
	sqlite3_bind_text(st, 2, rec_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	char *old = NULL;
	if (rc == SQLITE_ROW) {
		struct action_fields o = {
			.status = db_col_text(st, 0),
			.partner = db_col_text(st, 1),
			.start = sqlite3_column_type(st, 2) == SQLITE_NULL ? NULL : db_col_text(st, 2),
			.end = sqlite3_column_type(st, 3) == SQLITE_NULL ? NULL : db_col_text(st, 3),
			.note = db_col_text(st, 4),
		};
		old = fields_json(&o);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, "reading an action");
	char *new_ = fields_json(f);
	int ret = 0;
	if (old && strcmp(old, new_) == 0)
		goto out; /* nothing changes */
	st = db_stmt(db, up);
	if (!st) {
		ret = -1;
		goto out;
	}
	sqlite3_bind_int64(st, 1, assessment_id);
	sqlite3_bind_text(st, 2, rec_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, f->status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, f->partner ? f->partner : "", -1, SQLITE_STATIC);
	if (f->start)
		sqlite3_bind_text(st, 5, f->start, -1, SQLITE_STATIC);
	if (f->end)
		sqlite3_bind_text(st, 6, f->end, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, f->note ? f->note : "", -1, SQLITE_STATIC);
	if (user_id > 0)
		sqlite3_bind_int64(st, 8, user_id);
	sqlite3_bind_int64(st, 9, util_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		ret = db_fail(db, "storing an action");
		goto out;
	}
	*created = old == NULL;
	ret = db_audit_add(db, assessment_id, user_id, "action", rec_id, old, new_);
out:
	free(old);
	free(new_);
	return ret;
}

int db_plan_has(struct db *db, long long assessment_id, const char *rec_id)
{
	static const char sql[] = "SELECT 1 FROM assessment_plan_items WHERE assessment_id = ? AND rec_id = ?";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, assessment_id);
	sqlite3_bind_text(st, 2, rec_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(db, "reading the plan");
}
