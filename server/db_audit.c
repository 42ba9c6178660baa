/* db_audit.c - reading the audit trail, with the names of the users. */
#include "db_audit.h"

#include <stdio.h>

#include "db.h"
#include "log.h"
#include "util.h"

static json_t *text_or_null(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? json_null() : json_string(db_col_text(st, col));
}

json_t *db_audit_list(struct db *db, long long assessment_id, const char *target, long long before_id, int limit)
{
	static const char sql[] = "SELECT a.id, a.at, a.kind, a.target, a.old, a.new, a.user_id, u.username"
				  " FROM audit a LEFT JOIN users u ON u.id = a.user_id"
				  " WHERE a.assessment_id = ?1 AND (?2 IS NULL OR a.target = ?2)"
				  " AND (?3 <= 0 OR a.id < ?3) ORDER BY a.id DESC LIMIT ?4";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, assessment_id);
	if (target)
		sqlite3_bind_text(st, 2, target, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, before_id);
	sqlite3_bind_int(st, 4, limit);
	json_t *arr = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char at[21];
		long long t = sqlite3_column_int64(st, 1);
		util_iso8601(t, at);
		json_t *user = json_null();
		if (sqlite3_column_type(st, 6) != SQLITE_NULL) {
			long long uid = sqlite3_column_int64(st, 6);
			char name[32];
			snprintf(name, sizeof(name), "user %lld", uid);
			user = json_pack("{s:I, s:s}", "id", (json_int_t)uid, "username",
					 sqlite3_column_type(st, 7) == SQLITE_NULL ? name : db_col_text(st, 7));
		}
		json_array_append_new(arr, json_pack("{s:I, s:s, s:I, s:s, s:o, s:o, s:o, s:o}", "id",
						     (json_int_t)sqlite3_column_int64(st, 0), "at", at, "at_unix",
						     (json_int_t)t, "kind", db_col_text(st, 2), "target",
						     text_or_null(st, 3), "old", text_or_null(st, 4), "new",
						     text_or_null(st, 5), "user", user));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(arr);
		log_error("reading the audit trail: %s", sqlite3_errmsg(db_handle(db)));
		return NULL;
	}
	return arr;
}
