/* db_users.c - queries by noun: accounts, sessions, API tokens, failed sign-ins. */
#include "db_users.h"

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "db_assessments.h"
#include "log.h"
#include "util.h"

static int db_fail(struct db *db, const char *what)
{
	return log_error("%s: %s", what, sqlite3_errmsg(db_handle(db)));
}

/* Runs a statement that returns no rows; 0 or -1 (logged with what). */
static int step_done(struct db *db, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, what);
}

static void bind_country(sqlite3_stmt *st, int col, const char *country)
{
	if (country && *country)
		sqlite3_bind_text(st, col, country, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, col);
}

#define USER_COLS                                                                                                    \
	"u.id, u.username, u.role, coalesce(u.country, ''), u.focal_point, u.disabled, u.must_change, u.created_at, " \
	"u.updated_at, coalesce(u.last_login_at, 0)"
#define USER_NCOLS 10

static void row_to_account(sqlite3_stmt *st, int c, struct account *a)
{
	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(st, c + 0);
	snprintf(a->username, sizeof(a->username), "%s", db_col_text(st, c + 1));
	snprintf(a->role, sizeof(a->role), "%s", db_col_text(st, c + 2));
	snprintf(a->country, sizeof(a->country), "%s", db_col_text(st, c + 3));
	a->focal_point = sqlite3_column_int(st, c + 4) != 0;
	a->disabled = sqlite3_column_int(st, c + 5) != 0;
	a->must_change = sqlite3_column_int(st, c + 6) != 0;
	a->created_at = sqlite3_column_int64(st, c + 7);
	a->updated_at = sqlite3_column_int64(st, c + 8);
	a->last_login_at = sqlite3_column_int64(st, c + 9);
}

/* ---- accounts ----------------------------------------------------------- */

int db_user_get(struct db *db, long long id, struct account *out)
{
	static const char sql[] = "SELECT " USER_COLS " FROM users u WHERE u.id = ?";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), ret = 0;
	if (rc == SQLITE_ROW) {
		row_to_account(st, 0, out);
		ret = 1;
	} else if (rc != SQLITE_DONE) {
		ret = db_fail(db, "reading an account");
	}
	sqlite3_reset(st);
	return ret;
}

int db_user_by_name(struct db *db, const char *username, struct account *out, char *hash, size_t hashlen)
{
	static const char sql[] = "SELECT " USER_COLS ", u.password_hash FROM users u WHERE u.username = ?";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st), ret = 0;
	if (rc == SQLITE_ROW) {
		row_to_account(st, 0, out);
		if (hash)
			snprintf(hash, hashlen, "%s", db_col_text(st, USER_NCOLS));
		ret = 1;
	} else if (rc != SQLITE_DONE) {
		ret = db_fail(db, "reading an account");
	}
	sqlite3_reset(st);
	return ret;
}

long long db_user_create(struct db *db, const char *username, const char *hash, const char *role,
			 const char *country, bool focal_point, bool must_change)
{
	static const char sql[] = "INSERT INTO users(username, password_hash, role, country, focal_point, must_change,"
				  " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
				  " ON CONFLICT(username) DO NOTHING";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	long long now = util_now();
	sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, role, -1, SQLITE_STATIC);
	bind_country(st, 4, country);
	sqlite3_bind_int(st, 5, focal_point);
	sqlite3_bind_int(st, 6, must_change);
	sqlite3_bind_int64(st, 7, now);
	sqlite3_bind_int64(st, 8, now);
	if (step_done(db, st, "creating an account") != 0)
		return -1;
	if (sqlite3_changes(db_handle(db)) == 0)
		return 0;
	return sqlite3_last_insert_rowid(db_handle(db));
}

static long long count(struct db *db, const char *sql, const char *what)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	long long n = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	else
		db_fail(db, what);
	sqlite3_reset(st);
	return n;
}

long long db_user_count(struct db *db)
{
	static const char sql[] = "SELECT count(*) FROM users";
	return count(db, sql, "counting accounts");
}

long long db_user_count_active_admins(struct db *db)
{
	static const char sql[] = "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0";
	return count(db, sql, "counting administrators");
}

json_t *db_user_json(const struct account *a)
{
	char created[21], last[21] = "";
	util_iso8601(a->created_at, created);
	if (a->last_login_at)
		util_iso8601(a->last_login_at, last);
	json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:b, s:b, s:b, s:s}", "id", (json_int_t)a->id, "username",
			      a->username, "role", a->role, "country", a->country, "focal_point", a->focal_point,
			      "disabled", a->disabled, "must_change", a->must_change, "created_at", created);
	json_object_set_new(j, "last_login_at", a->last_login_at ? json_string(last) : json_null());
	return j;
}

json_t *db_user_list(struct db *db)
{
	static const char sql[] = "SELECT " USER_COLS " FROM users u ORDER BY u.username COLLATE NOCASE";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return NULL;
	json_t *arr = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct account a;
		row_to_account(st, 0, &a);
		json_array_append_new(arr, db_user_json(&a));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(arr);
		db_fail(db, "listing accounts");
		return NULL;
	}
	return arr;
}

int db_user_update(struct db *db, long long id, const char *role, const char *country, bool focal_point)
{
	static const char sql[] = "UPDATE users SET role = ?, country = ?, focal_point = ?, updated_at = ? WHERE id = ?";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, role, -1, SQLITE_STATIC);
	bind_country(st, 2, country);
	sqlite3_bind_int(st, 3, focal_point);
	sqlite3_bind_int64(st, 4, util_now());
	sqlite3_bind_int64(st, 5, id);
	return step_done(db, st, "changing an account");
}

int db_user_set_disabled(struct db *db, long long id, bool disabled)
{
	static const char sql[] = "UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, disabled);
	sqlite3_bind_int64(st, 2, util_now());
	sqlite3_bind_int64(st, 3, id);
	return step_done(db, st, "disabling an account");
}

int db_user_set_password(struct db *db, long long id, const char *hash, bool must_change)
{
	static const char sql[] = "UPDATE users SET password_hash = ?, must_change = ?, updated_at = ? WHERE id = ?";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, must_change);
	sqlite3_bind_int64(st, 3, util_now());
	sqlite3_bind_int64(st, 4, id);
	return step_done(db, st, "changing a password");
}

int db_user_touch_login(struct db *db, long long id)
{
	static const char sql[] = "UPDATE users SET last_login_at = ? WHERE id = ?";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, util_now());
	sqlite3_bind_int64(st, 2, id);
	return step_done(db, st, "recording a sign-in");
}

int db_audit_user(struct db *db, long long actor, const char *kind, long long target_id, const char *old,
		  const char *new_)
{
	char target[32];
	snprintf(target, sizeof(target), "user:%lld", target_id);
	return db_audit_add(db, 0, actor, kind, target, old, new_);
}

/* ---- sessions ----------------------------------------------------------- */

int db_session_create(struct db *db, const char *id_hash, long long user_id)
{
	static const char sql[] = "INSERT INTO sessions(id_hash, user_id, created_at, last_seen) VALUES (?, ?, ?, ?)";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	long long now = util_now();
	sqlite3_bind_text(st, 1, id_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, now);
	return step_done(db, st, "starting a session");
}

int db_session_get(struct db *db, const char *id_hash, struct account *u, long long *created_at,
		   long long *last_seen)
{
	static const char sql[] = "SELECT s.created_at, s.last_seen, " USER_COLS
				  " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id_hash, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st), ret = 0;
	if (rc == SQLITE_ROW) {
		*created_at = sqlite3_column_int64(st, 0);
		*last_seen = sqlite3_column_int64(st, 1);
		row_to_account(st, 2, u);
		ret = 1;
	} else if (rc != SQLITE_DONE) {
		ret = db_fail(db, "reading a session");
	}
	sqlite3_reset(st);
	return ret;
}

int db_session_touch(struct db *db, const char *id_hash, long long now)
{
	static const char sql[] = "UPDATE sessions SET last_seen = ? WHERE id_hash = ?";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, id_hash, -1, SQLITE_STATIC);
	return step_done(db, st, "touching a session");
}

int db_session_delete(struct db *db, const char *id_hash)
{
	static const char sql[] = "DELETE FROM sessions WHERE id_hash = ?";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id_hash, -1, SQLITE_STATIC);
	return step_done(db, st, "ending a session");
}

int db_sessions_delete_user(struct db *db, long long user_id, const char *keep_hash)
{
	static const char sql[] = "DELETE FROM sessions WHERE user_id = ? AND (?2 IS NULL OR id_hash <> ?2)";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, user_id);
	if (keep_hash && *keep_hash)
		sqlite3_bind_text(st, 2, keep_hash, -1, SQLITE_STATIC);
	return step_done(db, st, "ending sessions");
}

int db_sessions_purge(struct db *db, long long idle_before, long long created_before)
{
	static const char sql[] = "DELETE FROM sessions WHERE last_seen < ? OR created_at < ?";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, idle_before);
	sqlite3_bind_int64(st, 2, created_before);
	return step_done(db, st, "forgetting old sessions");
}

/* ---- API tokens --------------------------------------------------------- */

int db_token_create(struct db *db, const char *hash, long long user_id, long long expires_at)
{
	static const char sql[] = "INSERT INTO api_tokens(hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_int64(st, 3, util_now());
	sqlite3_bind_int64(st, 4, expires_at);
	return step_done(db, st, "storing a token");
}

int db_token_get(struct db *db, const char *hash, struct account *u, long long *expires_at, long long *last_used)
{
	static const char sql[] = "SELECT t.expires_at, coalesce(t.last_used_at, 0), " USER_COLS
				  " FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ?";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st), ret = 0;
	if (rc == SQLITE_ROW) {
		*expires_at = sqlite3_column_int64(st, 0);
		*last_used = sqlite3_column_int64(st, 1);
		row_to_account(st, 2, u);
		ret = 1;
	} else if (rc != SQLITE_DONE) {
		ret = db_fail(db, "reading a token");
	}
	sqlite3_reset(st);
	return ret;
}

int db_token_touch(struct db *db, const char *hash, long long now)
{
	static const char sql[] = "UPDATE api_tokens SET last_used_at = ? WHERE hash = ?";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
	return step_done(db, st, "touching a token");
}

int db_token_delete(struct db *db, const char *hash)
{
	static const char sql[] = "DELETE FROM api_tokens WHERE hash = ?";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	return step_done(db, st, "revoking a token");
}

int db_tokens_delete_user(struct db *db, long long user_id)
{
	static const char sql[] = "DELETE FROM api_tokens WHERE user_id = ?";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, user_id);
	return step_done(db, st, "revoking tokens");
}

/* ---- failed sign-ins ---------------------------------------------------- */

int db_login_failure_add(struct db *db, const char *username, const char *address, long long forget_before)
{
	static const char ins[] = "INSERT INTO login_failures(at, username, address) VALUES (?, ?, ?)";
	static const char del[] = "DELETE FROM login_failures WHERE at < ?";
	sqlite3_stmt *st = db_stmt(db, ins);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, util_now());
	sqlite3_bind_text(st, 2, username, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, address, -1, SQLITE_STATIC);
	if (step_done(db, st, "recording a failed sign-in") != 0)
		return -1;
	st = db_stmt(db, del);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, forget_before);
	return step_done(db, st, "forgetting old failed sign-ins");
}

int db_login_failures_count(struct db *db, const char *username, const char *address, long long since,
			    int *by_user, int *by_address, int *by_pair)
{
	static const char sql[] = "SELECT (SELECT count(*) FROM login_failures WHERE username = ?1 AND at >= ?3),"
				  " (SELECT count(*) FROM login_failures WHERE address = ?2 AND at >= ?3),"
				  " (SELECT count(*) FROM login_failures WHERE username = ?1 AND address = ?2 AND at >= ?3)";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, address, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, since);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*by_user = sqlite3_column_int(st, 0);
		*by_address = sqlite3_column_int(st, 1);
		*by_pair = sqlite3_column_int(st, 2);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : db_fail(db, "counting failed sign-ins");
}

int db_login_failures_clear(struct db *db, const char *username)
{
	static const char sql[] = "DELETE FROM login_failures WHERE username = ?";
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
	return step_done(db, st, "forgetting failed sign-ins");
}
