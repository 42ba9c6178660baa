/* h_account.c - signing in and out, the caller's own password, API tokens. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "app.h"
#include "auth.h"
#include "db.h"
#include "db_users.h"
#include "handlers.h"
#include "http.h"
#include "util.h"

#define NEXT_MAX 512

/* A place to go back to after signing in: a path on this site, else NULL. */
static const char *safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strlen(next) > NEXT_MAX)
		return NULL;
	for (const char *p = next; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			return NULL;
	if (strncmp(next, "/login", 6) == 0 || strncmp(next, "/logout", 7) == 0)
		return NULL;
	return next;
}

static int render_login(struct req *r, int status, const char *username, const char *next, const char *error)
{
	json_t *view = json_pack("{s:s, s:s, s:s}", "title", app_msg(r->app, "login.title"), "username",
				 username ? username : "", "next", safe_next(next) ? next : "");
	json_object_set_new(view, "has_errors", json_boolean(error != NULL));
	json_object_set_new(view, "errors", error ? json_pack("[{s:s}]", "message", error) : json_array());
	if (r->user)
		json_object_set_new(view, "signed_in_as", json_string(r->user->username));
	return req_render(r, status, "login", view);
}

int h_login_form(struct req *r)
{
	return render_login(r, 200, NULL, req_query(r, "next"), NULL);
}

int h_login(struct req *r)
{
	const char *username = req_form(r, "username");
	const char *password = req_form(r, "password");
	const char *next = req_form(r, "next");
	if (!username || !*username || !password || !*password)
		return render_login(r, 422, username, next, app_msg(r->app, "login.missing"));
	struct account a;
	enum auth_result res = AUTH_BAD;
	if (strlen(username) < 64 && strlen(password) <= AUTH_PASSWORD_MAX)
		res = auth_authenticate(r, username, password, &a);
	switch (res) {
	case AUTH_OK:
		break;
	case AUTH_BAD:
		return render_login(r, 422, username, next, app_msg(r->app, "login.failed"));
	case AUTH_THROTTLED:
		req_add_header(r, "Retry-After", "900");
		return render_login(r, 429, username, next, app_msg(r->app, "login.throttled"));
	case AUTH_DISABLED:
		return render_login(r, 403, username, next, app_msg(r->app, "login.disabled"));
	case AUTH_ERROR:
		return req_error(r, 503, "database_error", "Signing in is not possible right now; try again.");
	}
	if (auth_session_start(r, &a) != 0)
		return req_error(r, 503, "database_busy", "Signing in is not possible right now; try again.");
	if (a.must_change)
		return req_redirect(r, "/account/password");
	return req_redirect(r, "%s", safe_next(next) ? next : "/");
}

int h_logout(struct req *r)
{
	auth_session_end(r);
	return req_redirect(r, "/login");
}

/* ---- the caller's password ---------------------------------------------- */

static int render_password(struct req *r, int status, json_t *errors)
{
	json_t *view = json_pack("{s:s, s:b, s:b}", "title", app_msg(r->app, "account.title"), "must_change",
				 r->user->must_change, "changed", req_query(r, "changed") != NULL && status == 200);
	json_object_set_new(view, "has_errors", json_boolean(errors && json_array_size(errors)));
	json_object_set_new(view, "errors", errors ? errors : json_array());
	return req_render(r, status, "password", view);
}

int h_password_form(struct req *r)
{
	return render_password(r, 200, NULL);
}

int h_password_change(struct req *r)
{
	const char *current = req_form(r, "current_password");
	const char *fresh = req_form(r, "new_password");
	const char *confirm = req_form(r, "confirm_password");
	struct account a;
	char hash[AUTH_HASH_MAX];
	int rc = db_user_by_name(r->db, r->user->username, &a, hash, sizeof(hash));
	if (rc != 1)
		return req_error(r, 503, "database_error", "your account cannot be read");
	json_t *errors = json_array();
	if (!current || strlen(current) > AUTH_PASSWORD_MAX || !auth_password_verify(hash, current))
		json_array_append_new(errors, json_pack("{s:s}", "message", app_msg(r->app, "account.wrong_current")));
	const char *problem = fresh ? auth_password_problem(fresh, a.username) : "Enter a new password.";
	if (problem)
		json_array_append_new(errors, json_pack("{s:s}", "message", problem));
	else if (!confirm || strcmp(fresh, confirm) != 0)
		json_array_append_new(errors, json_pack("{s:s}", "message", app_msg(r->app, "account.mismatch")));
	else if (current && strcmp(fresh, current) == 0)
		json_array_append_new(errors, json_pack("{s:s}", "message", app_msg(r->app, "account.same")));
	sodium_memzero(hash, sizeof(hash));
	if (json_array_size(errors))
		return render_password(r, 422, errors);
	json_decref(errors);
	if (auth_password_hash(fresh, r->app->cfg.fast_pwhash, hash) != 0)
		return req_error(r, 503, "server_busy", "the password cannot be changed now; try again");
	/* the route is R_SELFTX: the slow password work above ran outside the write
	 * lock; the writes are one short transaction. The other sessions and every API
	 * token of the account end with the old password. */
	if (db_begin(r->db) != 0)
		return req_error(r, 503, "database_busy", "the database is busy; try again");
	if (db_user_set_password(r->db, a.id, hash, false) != 0 ||
	    db_sessions_delete_user(r->db, a.id, r->session_hash) != 0 || db_tokens_delete_user(r->db, a.id) != 0 ||
	    db_audit_user(r->db, a.id, "password_changed", a.id, NULL, NULL) != 0 || db_commit(r->db) != 0) {
		db_rollback(r->db);
		return req_error(r, 503, "database_error", "the password could not be changed");
	}
	return req_redirect(r, "/account/password?changed=1");
}

/* ---- API tokens --------------------------------------------------------- */

int h_api_token_create(struct req *r)
{
	json_t *u = json_object_get(r->json, "username");
	json_t *p = json_object_get(r->json, "password");
	if (!json_is_object(r->json) || !json_is_string(u) || !json_is_string(p))
		return req_error(r, 422, "invalid_request", "the body must be {\"username\": \"...\", \"password\": \"...\"}");
	const char *username = json_string_value(u), *password = json_string_value(p);
	struct account a;
	enum auth_result res = AUTH_BAD;
	if (*username && strlen(username) < 64 && strlen(password) <= AUTH_PASSWORD_MAX &&
	    strlen(password) == json_string_length(p) && strlen(username) == json_string_length(u))
		res = auth_authenticate(r, username, password, &a);
	switch (res) {
	case AUTH_OK:
		break;
	case AUTH_BAD:
		return req_error(r, 401, "invalid_credentials", "the username or password is not right");
	case AUTH_THROTTLED:
		req_add_header(r, "Retry-After", "900");
		return req_error(r, 429, "too_many_failures",
				 "too many failed sign-ins for this account or address; wait 15 minutes");
	case AUTH_DISABLED:
		return req_error(r, 403, "account_disabled", "this account is disabled");
	case AUTH_ERROR:
		return req_error(r, 503, "database_error", "tokens cannot be issued right now; try again");
	}
	if (a.must_change)
		return req_error(r, 403, "password_change_required",
				 "choose a new password (sign in with a browser) before asking for a token");
	char token[AUTH_TOKEN_MAX];
	long long expires;
	if (auth_token_issue(r, &a, token, &expires) != 0)
		return req_error(r, 503, "database_error", "the token could not be stored; try again");
	char exp[21];
	util_iso8601(expires, exp);
	json_t *out = json_pack("{s:s, s:s, s:s, s:s}", "token", token, "token_type", "Bearer", "expires_at", exp,
				"username", a.username);
	sodium_memzero(token, sizeof(token));
	return req_json(r, 201, out);
}
