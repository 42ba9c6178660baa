/* h_admin.c - the administrator's account pages: list, create, change role,
 * country and focal point, disable and re-enable, reset a password. Every change
 * is recorded in the audit trail (kind user_*, target "user:ID"); passwords never
 * are. New and reset passwords are one-time passwords, shown once. */
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

static const char *const role_names[] = {"official", "observer", "reviewer", "admin"};

static void view_set_errors(json_t *view, const char *error)
{
	json_object_set_new(view, "has_errors", json_boolean(error != NULL));
	json_object_set_new(view, "errors", error ? json_pack("[{s:s}]", "message", error) : json_array());
}

static json_t *role_options(struct req *r, const char *selected)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < ARRAY_SIZE(role_names); i++) {
		char key[32];
		snprintf(key, sizeof(key), "roles.%s", role_names[i]);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "id", role_names[i], "label", app_msg(r->app, key),
						     "selected", selected && strcmp(selected, role_names[i]) == 0));
	}
	return arr;
}

static json_t *country_options(struct req *r, const char *selected)
{
	json_t *arr = json_array();
	size_t i;
	json_t *c;
	json_array_foreach(r->app->countries, i, c) {
		const char *iso3 = json_string_value(json_object_get(c, "iso3"));
		json_array_append_new(arr, json_pack("{s:s, s:O, s:b}", "iso3", iso3, "name", json_object_get(c, "name"),
						     "selected", selected && strcmp(selected, iso3) == 0));
	}
	return arr;
}

/* Adds display fields to a db_user_json object. */
static json_t *user_view(struct req *r, json_t *u)
{
	char key[32];
	snprintf(key, sizeof(key), "roles.%s", json_string_value(json_object_get(u, "role")));
	json_object_set_new(u, "role_label", json_string(app_msg(r->app, key)));
	const char *c = json_string_value(json_object_get(u, "country"));
	json_object_set_new(u, "country_name", json_string(c && *c ? h_country_name(r, c) : ""));
	json_object_set_new(u, "is_self", json_boolean(json_integer_value(json_object_get(u, "id")) == r->user->id));
	return u;
}

/* The form's fields, normalised: country upper-cased, "" when none. */
struct user_form {
	const char *username;
	const char *role;
	char country[4];
	bool focal_point;
	bool country_bad;   /* given but not three letters */
};

static void read_form(struct req *r, struct user_form *f)
{
	memset(f, 0, sizeof(*f));
	f->username = req_form(r, "username");
	f->role = req_form(r, "role");
	const char *c = req_form(r, "country");
	if (c && *c) {
		if (strlen(c) != 3) {
			f->country_bad = true;
		} else {
			for (int i = 0; i < 3; i++)
				f->country[i] = (char)(c[i] >= 'a' && c[i] <= 'z' ? c[i] - 32 : c[i]);
		}
	}
	const char *fp = req_form(r, "focal_point");
	f->focal_point = fp && strcmp(fp, "1") == 0;
}

static const char *form_problem(struct req *r, const struct user_form *f, bool with_username)
{
	if (f->country_bad)
		return "The country code is not an ISO 3166 alpha-3 code of a known country.";
	return auth_account_problem(r->app->country_by_iso3, with_username ? (f->username ? f->username : "") : NULL,
				    f->role, f->country, f->focal_point);
}

/* ---- list and creation -------------------------------------------------- */

static int render_list(struct req *r, int status, const struct user_form *f, const char *error)
{
	json_t *users = db_user_list(r->db);
	if (!users)
		return req_error(r, 503, "database_error", "the accounts cannot be read");
	size_t i;
	json_t *u;
	json_array_foreach(users, i, u)
		user_view(r, u);
	json_t *view = json_pack("{s:s, s:o, s:o, s:o, s:s, s:b}", "title", app_msg(r->app, "admin.users_title"), "users",
				 users, "roles", role_options(r, f ? f->role : "official"), "countries",
				 country_options(r, f ? f->country : NULL), "username",
				 f && f->username ? f->username : "", "focal_point", f && f->focal_point);
	view_set_errors(view, error);
	return req_render(r, status, "admin_users", view);
}

int h_admin_users(struct req *r)
{
	return render_list(r, 200, NULL, NULL);
}

/* Shows a one-time password, once. */
static int render_secret(struct req *r, int status, const struct account *a, const char *password, bool created)
{
	json_t *view = json_pack("{s:s, s:I, s:s, s:s, s:b}", "title", app_msg(r->app, "admin.secret_title"), "id",
				 (json_int_t)a->id, "username", a->username, "password", password, "created", created);
	return req_render(r, status, "admin_secret", view);
}

static char *account_json(const struct account *a)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:b}", "username", a->username, "role", a->role, "country", a->country,
			      "focal_point", a->focal_point);
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

int h_admin_user_create(struct req *r)
{
	struct user_form f;
	read_form(r, &f);
	const char *problem = form_problem(r, &f, true);
	if (problem)
		return render_list(r, 422, &f, problem);
	char password[AUTH_ONETIME_MAX], hash[AUTH_HASH_MAX];
	auth_onetime_password(password);
	if (auth_password_hash(password, r->app->cfg.fast_pwhash, hash) != 0)
		return req_error(r, 503, "server_busy", "the account cannot be created now; try again");
	/* R_SELFTX: the hashing above ran outside the write lock; the writes are one
	 * short transaction */
	if (db_begin(r->db) != 0)
		return req_error(r, 503, "database_busy", "the database is busy; try again");
	long long id = db_user_create(r->db, f.username, hash, f.role, f.country, f.focal_point, true);
	if (id == 0) {
		db_rollback(r->db);
		return render_list(r, 409, &f, app_msg(r->app, "admin.username_taken"));
	}
	struct account a;
	int rc = id > 0 && db_user_get(r->db, id, &a) == 1 ? 0 : -1;
	if (rc == 0) {
		char *j = account_json(&a);
		rc = db_audit_user(r->db, r->user->id, "user_created", id, NULL, j);
		free(j);
	}
	if (rc != 0 || db_commit(r->db) != 0) {
		db_rollback(r->db);
		return req_error(r, 503, "database_error", "the account could not be created");
	}
	int st = render_secret(r, 201, &a, password, true);
	sodium_memzero(password, sizeof(password));
	return st;
}

/* ---- one account -------------------------------------------------------- */

/* Loads the account named by route parameter 0. 0, or the status answered. */
static int load_account(struct req *r, struct account *a)
{
	long long id = req_param_id(r, 0);
	int rc = id > 0 ? db_user_get(r->db, id, a) : 0;
	if (rc < 0)
		return req_error(r, 503, "database_error", "the account cannot be read");
	if (rc == 0)
		return req_error(r, 404, "not_found", "There is no account %s.", req_param(r, 0));
	return 0;
}

static int render_user(struct req *r, int status, const struct account *a, const struct user_form *f,
		       const char *error)
{
	json_t *u = user_view(r, db_user_json(a));
	json_t *view = json_pack("{s:s, s:o, s:o, s:o, s:b, s:b}", "title", a->username, "account", u, "roles",
				 role_options(r, f ? f->role : a->role), "countries",
				 country_options(r, f ? f->country : a->country), "focal_point",
				 f ? f->focal_point : a->focal_point, "saved", req_query(r, "saved") && status == 200);
	view_set_errors(view, error);
	return req_render(r, status, "admin_user", view);
}

int h_admin_user(struct req *r)
{
	struct account a;
	int st = load_account(r, &a);
	return st ? st : render_user(r, 200, &a, NULL, NULL);
}

/* 409 when the change would leave no enabled administrator. */
static int keep_an_admin(struct req *r, const struct account *a, bool stays_admin)
{
	if (strcmp(a->role, "admin") != 0 || a->disabled || stays_admin)
		return 0;
	long long n = db_user_count_active_admins(r->db);
	if (n < 0)
		return req_error(r, 503, "database_error", "the accounts cannot be read");
	if (n <= 1)
		return req_error(r, 409, "last_admin", "%s", app_msg(r->app, "admin.last_admin"));
	return 0;
}

int h_admin_user_update(struct req *r)
{
	struct account a;
	int st = load_account(r, &a);
	if (st)
		return st;
	struct user_form f;
	read_form(r, &f);
	const char *problem = form_problem(r, &f, false);
	if (problem)
		return render_user(r, 422, &a, &f, problem);
	st = keep_an_admin(r, &a, strcmp(f.role, "admin") == 0);
	if (st)
		return render_user(r, st, &a, &f, r->err_msg);
	if (strcmp(a.role, f.role) == 0 && strcmp(a.country, f.country) == 0 && a.focal_point == f.focal_point)
		return req_redirect(r, "/admin/users/%lld?saved=1", a.id);
	char *old = account_json(&a);
	if (db_user_update(r->db, a.id, f.role, f.country, f.focal_point) != 0 || db_user_get(r->db, a.id, &a) != 1) {
		free(old);
		return req_error(r, 503, "database_error", "the account could not be changed");
	}
	char *new_ = account_json(&a);
	int rc = db_audit_user(r->db, r->user->id, "user_updated", a.id, old, new_);
	free(old);
	free(new_);
	if (rc != 0)
		return req_error(r, 503, "database_error", "the account could not be changed");
	return req_redirect(r, "/admin/users/%lld?saved=1", a.id);
}

static int set_disabled(struct req *r, bool disabled)
{
	struct account a;
	int st = load_account(r, &a);
	if (st)
		return st;
	if (disabled && a.id == r->user->id)
		return req_error(r, 409, "own_account", "%s", app_msg(r->app, "admin.not_self"));
	if (disabled && (st = keep_an_admin(r, &a, false)) != 0)
		return st;
	if (a.disabled == disabled)
		return req_redirect(r, "/admin/users/%lld", a.id);
	if (db_user_set_disabled(r->db, a.id, disabled) != 0 ||
	    (disabled && (db_sessions_delete_user(r->db, a.id, NULL) != 0 || db_tokens_delete_user(r->db, a.id) != 0)) ||
	    db_audit_user(r->db, r->user->id, disabled ? "user_disabled" : "user_enabled", a.id, NULL, NULL) != 0)
		return req_error(r, 503, "database_error", "the account could not be changed");
	return req_redirect(r, "/admin/users/%lld?saved=1", a.id);
}

int h_admin_user_disable(struct req *r)
{
	return set_disabled(r, true);
}

int h_admin_user_enable(struct req *r)
{
	return set_disabled(r, false);
}

int h_admin_user_password(struct req *r)
{
	struct account a;
	int st = load_account(r, &a);
	if (st)
		return st;
	if (a.id == r->user->id)
		return req_error(r, 409, "own_account", "%s", app_msg(r->app, "admin.own_password"));
	char password[AUTH_ONETIME_MAX], hash[AUTH_HASH_MAX];
	auth_onetime_password(password);
	if (auth_password_hash(password, r->app->cfg.fast_pwhash, hash) != 0)
		return req_error(r, 503, "server_busy", "the password cannot be reset now; try again");
	/* R_SELFTX: hashed outside the write lock, then one short transaction; the old
	 * password's sessions and tokens end with it */
	if (db_begin(r->db) != 0)
		return req_error(r, 503, "database_busy", "the database is busy; try again");
	if (db_user_set_password(r->db, a.id, hash, true) != 0 || db_sessions_delete_user(r->db, a.id, NULL) != 0 ||
	    db_tokens_delete_user(r->db, a.id) != 0 ||
	    db_audit_user(r->db, r->user->id, "user_password_reset", a.id, NULL, NULL) != 0 || db_commit(r->db) != 0) {
		db_rollback(r->db);
		return req_error(r, 503, "database_error", "the password could not be reset");
	}
	st = render_secret(r, 200, &a, password, false);
	sodium_memzero(password, sizeof(password));
	return st;
}
