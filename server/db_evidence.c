/* db_evidence.c - evidence files: blobs in SQLite, listed without their bytes,
 * and their audit records. */
#include "db_evidence.h"

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

#define EVIDENCE_COLS "id, assessment_id, question_id, filename, type, size, sha256, uploaded_by, uploaded_at"

static void row_to_evidence(sqlite3_stmt *st, struct evidence_file *e)
{
	memset(e, 0, sizeof(*e));
	e->id = sqlite3_column_int64(st, 0);
	e->assessment_id = sqlite3_column_int64(st, 1);
	snprintf(e->question, sizeof(e->question), "%s", db_col_text(st, 2));
	snprintf(e->filename, sizeof(e->filename), "%s", db_col_text(st, 3));
	snprintf(e->type, sizeof(e->type), "%s", db_col_text(st, 4));
	e->size = sqlite3_column_int64(st, 5);
	snprintf(e->sha256, sizeof(e->sha256), "%s", db_col_text(st, 6));
	e->uploaded_by = sqlite3_column_int64(st, 7);
	e->uploaded_at = sqlite3_column_int64(st, 8);
}

json_t *db_evidence_json(const struct evidence_file *e)
{
	return json_pack("{s:I, s:s, s:s, s:I, s:s}", "id", (json_int_t)e->id, "filename", e->filename, "type", e->type,
			 "size", (json_int_t)e->size, "sha256", e->sha256);
}

static int audit(struct db *db, const struct evidence_file *e, const char *kind, bool is_new, long long user_id)
{
	json_t *j = db_evidence_json(e);
	char *s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	int rc = db_audit_add(db, e->assessment_id, user_id, kind, e->question, is_new ? NULL : s, is_new ? s : NULL);
	free(s);
	return rc;
}

long long db_evidence_add(struct db *db, long long assessment_id, const char *question_id, const char *filename,
			  const char *type, const void *data, size_t len, const char *sha256, long long user_id)
{
	static const char sql[] = "INSERT INTO evidence(assessment_id, question_id, filename, type, size, sha256,"
				  " uploaded_by, uploaded_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	struct evidence_file e = {.assessment_id = assessment_id, .size = (long long)len};
	snprintf(e.question, sizeof(e.question), "%s", question_id);
	snprintf(e.filename, sizeof(e.filename), "%s", filename);
	snprintf(e.type, sizeof(e.type), "%s", type);
	snprintf(e.sha256, sizeof(e.sha256), "%s", sha256);
	sqlite3_bind_int64(st, 1, assessment_id);
	sqlite3_bind_text(st, 2, question_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, filename, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)len);
	sqlite3_bind_text(st, 6, sha256, -1, SQLITE_STATIC);
	if (user_id > 0)
		sqlite3_bind_int64(st, 7, user_id);
	sqlite3_bind_int64(st, 8, util_now());
	sqlite3_bind_blob64(st, 9, data, (sqlite3_uint64)len, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st); /* do not keep a pointer to the request's bytes */
	if (rc != SQLITE_DONE)
		return db_fail(db, "storing evidence");
	e.id = sqlite3_last_insert_rowid(db_handle(db));
	if (audit(db, &e, "evidence_added", true, user_id) != 0)
		return -1;
	return e.id;
}

int db_evidence_get(struct db *db, long long assessment_id, long long evidence_id, struct evidence_file *out,
		    int with_data)
{
	static const char meta[] = "SELECT " EVIDENCE_COLS " FROM evidence WHERE id = ? AND assessment_id = ?";
	static const char full[] = "SELECT " EVIDENCE_COLS ", data FROM evidence WHERE id = ? AND assessment_id = ?";
	sqlite3_stmt *st = db_stmt(db, with_data ? full : meta);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, evidence_id);
	sqlite3_bind_int64(st, 2, assessment_id);
	int rc = sqlite3_step(st);
	int ret = 0;
	if (rc == SQLITE_ROW) {
		row_to_evidence(st, out);
		if (with_data) {
			const void *b = sqlite3_column_blob(st, 9);
			size_t n = (size_t)sqlite3_column_bytes(st, 9);
			out->data = xmalloc(n ? n : 1);
			if (n)
				memcpy(out->data, b, n);
			out->size = (long long)n;
		}
		ret = 1;
	} else if (rc != SQLITE_DONE) {
		ret = db_fail(db, "reading evidence");
	}
	sqlite3_reset(st);
	return ret;
}

int db_evidence_delete(struct db *db, long long assessment_id, long long evidence_id, long long user_id)
{
	static const char sql[] = "DELETE FROM evidence WHERE id = ? AND assessment_id = ?";
	struct evidence_file e;
	int rc = db_evidence_get(db, assessment_id, evidence_id, &e, 0);
	if (rc <= 0)
		return rc;
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, evidence_id);
	sqlite3_bind_int64(st, 2, assessment_id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, "deleting evidence");
	return audit(db, &e, "evidence_deleted", false, user_id) == 0 ? 1 : -1;
}

json_t *db_evidence_list(struct db *db, long long assessment_id, const char *question_id)
{
	static const char sql[] = "SELECT e.id, e.assessment_id, e.question_id, e.filename, e.type, e.size, e.sha256,"
				  " e.uploaded_by, e.uploaded_at, u.username"
				  " FROM evidence e LEFT JOIN users u ON u.id = e.uploaded_by"
				  " WHERE e.assessment_id = ?1 AND (?2 IS NULL OR e.question_id = ?2) ORDER BY e.id";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, assessment_id);
	if (question_id)
		sqlite3_bind_text(st, 2, question_id, -1, SQLITE_STATIC);
	json_t *arr = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct evidence_file e;
		row_to_evidence(st, &e);
		json_t *j = db_evidence_json(&e);
		char at[21];
		util_iso8601(e.uploaded_at, at);
		json_object_set_new(j, "question", json_string(e.question));
		json_object_set_new(j, "uploaded_at", json_string(at));
		json_t *by = json_null();
		if (e.uploaded_by > 0) {
			char name[32];
			snprintf(name, sizeof(name), "user %lld", e.uploaded_by);
			by = json_pack("{s:I, s:s}", "id", (json_int_t)e.uploaded_by, "username",
				       sqlite3_column_type(st, 9) == SQLITE_NULL ? name : db_col_text(st, 9));
		}
		json_object_set_new(j, "uploaded_by", by);
		json_array_append_new(arr, j);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(arr);
		db_fail(db, "listing evidence");
		return NULL;
	}
	return arr;
}
