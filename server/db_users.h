/* db_users.h - accounts, sessions, API tokens and failed sign-ins in the store.
 * Secrets never reach this layer: it sees password hashes and the SHA-256 (hex)
 * of session ids and tokens. */
#ifndef SOMGUIDE_DB_USERS_H
#define SOMGUIDE_DB_USERS_H

#include <stdbool.h>

#include <jansson.h>

struct db;

struct account {
	long long id;
	char username[64];
	char role[16];         /* admin, reviewer, official, observer */
	char country[4];       /* ISO3 for officials and observers, else "" */
	bool focal_point;
	bool disabled;
	bool must_change;      /* signed in with a one-time password */
	long long created_at, updated_at, last_login_at; /* last_login_at 0: never */
};

/* ---- accounts ---- */

/* 1 and fills *out when found, 0 when not, -1 on error. db_user_by_name also
 * copies the password hash into hash[hashlen] when hash is not NULL. Usernames
 * compare without regard to case. */
int db_user_get(struct db *db, long long id, struct account *out);
int db_user_by_name(struct db *db, const char *username, struct account *out, char *hash, size_t hashlen);
/* Inserts an account (country NULL or "" for none). Returns the new id, 0 when
 * the username is taken, -1 on error. */
long long db_user_create(struct db *db, const char *username, const char *hash, const char *role,
			 const char *country, bool focal_point, bool must_change);
/* Number of accounts (-1 on error); of enabled administrators. */
long long db_user_count(struct db *db);
long long db_user_count_active_admins(struct db *db);
/* Every account as a new JSON array of {id, username, role, country, focal_point,
 * disabled, must_change, created_at, last_login_at}, by username. NULL on error. */
json_t *db_user_list(struct db *db);
/* Changes role, country ("" or NULL: none) and focal point. 0 or -1. */
int db_user_update(struct db *db, long long id, const char *role, const char *country, bool focal_point);
int db_user_set_disabled(struct db *db, long long id, bool disabled);
int db_user_set_password(struct db *db, long long id, const char *hash, bool must_change);
int db_user_touch_login(struct db *db, long long id);
/* The account as a new JSON object (the shape of db_user_list's items). */
json_t *db_user_json(const struct account *a);

/* Records a change of account target_id by actor (0: the system) in the audit
 * trail: kind such as "user_created", target "user:ID", old/new JSON or NULL.
 * Never pass a password. 0 or -1. */
int db_audit_user(struct db *db, long long actor, const char *kind, long long target_id, const char *old,
		  const char *new_);

/* ---- sessions (keyed by the hex SHA-256 of the cookie value) ---- */

int db_session_create(struct db *db, const char *id_hash, long long user_id);
/* 1 and fills *u (the account, enabled or not) and the session's times when the
 * session exists; 0 when not; -1 on error. */
int db_session_get(struct db *db, const char *id_hash, struct account *u, long long *created_at,
		   long long *last_seen);
int db_session_touch(struct db *db, const char *id_hash, long long now);
int db_session_delete(struct db *db, const char *id_hash);
/* Ends every session of a user except keep_hash (NULL: all). 0 or -1. */
int db_sessions_delete_user(struct db *db, long long user_id, const char *keep_hash);
/* Deletes sessions idle since before idle_before or created before created_before. */
int db_sessions_purge(struct db *db, long long idle_before, long long created_before);

/* ---- API tokens (keyed by the hex SHA-256 of the token) ---- */

int db_token_create(struct db *db, const char *hash, long long user_id, long long expires_at);
/* 1 and fills *u and the token's times when the token exists; 0; -1. */
int db_token_get(struct db *db, const char *hash, struct account *u, long long *expires_at, long long *last_used);
int db_token_touch(struct db *db, const char *hash, long long now);
int db_token_delete(struct db *db, const char *hash);
int db_tokens_delete_user(struct db *db, long long user_id);

/* ---- failed sign-ins ---- */

/* Records one failure and forgets those older than forget_before. 0 or -1. */
int db_login_failure_add(struct db *db, const char *username, const char *address, long long forget_before);
/* Failures since `since` for that username and for that address. 0 or -1. */
int db_login_failures_count(struct db *db, const char *username, const char *address, long long since,
			    int *by_user, int *by_address, int *by_pair);
/* Forgets the failures of a username (after a successful sign-in). 0 or -1. */
int db_login_failures_clear(struct db *db, const char *username);

#endif
