/* db_comments.c - review comments: threads per question, replies that answer
 * them, resolution, and their audit records. */
#include "db_comments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_assessments.h"
#include "log.h"
#include "util.h"

static int db_fail(struct db *db, const char *what)
{
	return log_error("%s: %s", what, sqlite3_errmsg(db_handle(db)));
}

/* {id, username} from two columns (id NULL: json null). */
static json_t *user_ref(sqlite3_stmt *st, int id_col, int name_col)
{
	if (sqlite3_column_type(st, id_col) == SQLITE_NULL)
		return json_null();
	long long id = sqlite3_column_int64(st, id_col);
	if (sqlite3_column_type(st, name_col) == SQLITE_NULL) {
		char name[32];
		snprintf(name, sizeof(name), "user %lld", id);
		return json_pack("{s:I, s:s}", "id", (json_int_t)id, "username", name);
	}
	return json_pack("{s:I, s:s}", "id", (json_int_t)id, "username", db_col_text(st, name_col));
}

static json_t *iso_or_null(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_null();
	char buf[21];
	util_iso8601(sqlite3_column_int64(st, col), buf);
	return json_string(buf);
}

/* Records the resolution of comment id in the audit trail. */
static int audit_resolved(struct db *db, long long assessment_id, const char *question_id, long long id,
			  long long answered_by, long long user_id)
{
	json_t *j = json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "resolved");
	if (answered_by > 0)
		json_object_set_new(j, "answered_by", json_integer(answered_by));
	char *s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	int rc = db_audit_add(db, assessment_id, user_id, "comment_resolved", question_id, "{\"status\":\"open\"}", s);
	free(s);
	return rc;
}

long long db_comment_add(struct db *db, long long assessment_id, const char *question_id, long long user_id,
			 const char *kind, const char *body)
{
	static const char ins[] = "INSERT INTO comments(assessment_id, question_id, author_id, kind, body, created_at)"
				  " VALUES (?, ?, ?, ?, ?, ?)";
	static const char open_sel[] = "SELECT id FROM comments WHERE assessment_id = ? AND question_id = ?"
				       " AND kind = 'review' AND resolved_at IS NULL ORDER BY id LIMIT 1";
	static const char answer[] = "UPDATE comments SET answered_by = ?, resolved_at = ?, resolved_by = ?"
				     " WHERE id = ? AND resolved_at IS NULL";
	long long now = util_now();
	sqlite3_stmt *st = db_stmt(db, ins);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, assessment_id);
	sqlite3_bind_text(st, 2, question_id, -1, SQLITE_STATIC);
	if (user_id > 0)
		sqlite3_bind_int64(st, 3, user_id);
	sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, now);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, "storing a comment");
	long long id = sqlite3_last_insert_rowid(db_handle(db));
	json_t *j = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "kind", kind, "body", body);
	char *s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	rc = db_audit_add(db, assessment_id, user_id, "comment", question_id, NULL, s);
	free(s);
	if (rc != 0)
		return -1;
	if (strcmp(kind, "reply") != 0)
		return id;

	/* a reply answers the open review comments of its thread, one at a time */
	for (;;) {
		st = db_stmt(db, open_sel);
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, assessment_id);
		sqlite3_bind_text(st, 2, question_id, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		long long open_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			break;
		if (rc != SQLITE_ROW)
			return db_fail(db, "reading open comments");
		st = db_stmt(db, answer);
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, now);
		if (user_id > 0)
			sqlite3_bind_int64(st, 3, user_id);
		sqlite3_bind_int64(st, 4, open_id);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return db_fail(db, "answering a comment");
		if (audit_resolved(db, assessment_id, question_id, open_id, id, user_id) != 0)
			return -1;
	}
	return id;
}

int db_comment_thread_open(struct db *db, long long assessment_id, const char *question_id)
{
	static const char sql[] = "SELECT 1 FROM comments WHERE assessment_id = ? AND question_id = ?"
				  " AND kind = 'review' LIMIT 1";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, assessment_id);
	sqlite3_bind_text(st, 2, question_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(db, "reading a comment thread");
}

int db_comment_resolve(struct db *db, long long assessment_id, long long comment_id, long long user_id)
{
	static const char sel[] = "SELECT question_id FROM comments WHERE id = ? AND assessment_id = ?"
				  " AND kind = 'review' AND resolved_at IS NULL";
	static const char up[] = "UPDATE comments SET resolved_at = ?, resolved_by = ? WHERE id = ?";
	sqlite3_stmt *st = db_stmt(db, sel);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, comment_id);
	sqlite3_bind_int64(st, 2, assessment_id);
	int rc = sqlite3_step(st);
	char qid[128] = "";
	if (rc == SQLITE_ROW)
		snprintf(qid, sizeof(qid), "%s", db_col_text(st, 0));
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return db_fail(db, "reading a comment");
	st = db_stmt(db, up);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, util_now());
	if (user_id > 0)
		sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_int64(st, 3, comment_id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, "resolving a comment");
	return audit_resolved(db, assessment_id, qid, comment_id, 0, user_id) == 0 ? 1 : -1;
}

json_t *db_comments_list(struct db *db, long long assessment_id, const char *question_id)
{
	static const char sql[] =
		"SELECT c.id, c.question_id, c.kind, c.body, c.created_at, c.author_id, a.username,"
		" c.answered_by, c.resolved_at, c.resolved_by, r.username"
		" FROM comments c LEFT JOIN users a ON a.id = c.author_id LEFT JOIN users r ON r.id = c.resolved_by"
		" WHERE c.assessment_id = ?1 AND (?2 IS NULL OR c.question_id = ?2) ORDER BY c.id";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, assessment_id);
	if (question_id)
		sqlite3_bind_text(st, 2, question_id, -1, SQLITE_STATIC);
	json_t *arr = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *kind = db_col_text(st, 2);
		bool open = strcmp(kind, "review") == 0 && sqlite3_column_type(st, 8) == SQLITE_NULL;
		json_t *answered = sqlite3_column_type(st, 7) == SQLITE_NULL ? json_null()
									 : json_integer(sqlite3_column_int64(st, 7));
		json_t *c = json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:b, s:o, s:o, s:o}", "id",
				      (json_int_t)sqlite3_column_int64(st, 0), "question", db_col_text(st, 1), "kind",
				      kind, "body", db_col_text(st, 3), "created_at", iso_or_null(st, 4), "author",
				      user_ref(st, 5, 6), "open", open, "answered_by", answered, "resolved_at",
				      iso_or_null(st, 8), "resolved_by", user_ref(st, 9, 10));
		json_array_append_new(arr, c);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(arr);
		db_fail(db, "listing comments");
		return NULL;
	}
	return arr;
}

json_t *db_comments_open_count(struct db *db, long long assessment_id)
{
	static const char sql[] = "SELECT question_id, count(*) FROM comments WHERE assessment_id = ?"
				  " AND kind = 'review' AND resolved_at IS NULL GROUP BY question_id";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, assessment_id);
	json_t *obj = json_object();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_object_set_new(obj, db_col_text(st, 0), json_integer(sqlite3_column_int64(st, 1)));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(obj);
		db_fail(db, "counting open comments");
		return NULL;
	}
	return obj;
}
