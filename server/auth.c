/* auth.c - passwords, sessions, API tokens, CSRF, throttling, and the checks
 * routes declare. */
#include "auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "app.h"
#include "db.h"
#include "db_users.h"
#include "http.h"
#include "log.h"
#include "router.h"
#include "strbuf.h"
#include "util.h"

#define HEX64 64
#define TOKEN_PREFIX "sgt_"
#define TOUCH_EVERY 60 /* seconds between updates of a session's last_seen */

/* Hashes verified when the username is unknown, so that the answer takes as long
 * as for a known one (one per cost setting; the password behind them is unknown). */
static const char dummy_hash[AUTH_HASH_MAX] =
	"$argon2id$v=19$m=65536,t=2,p=1$vH6jPMsEzl45p6uLqIl8Ng$KIt6t2NcAJZ8BQXnrBBi0/EqJm1erfa8GrhQ6ejWpcQ";
static const char dummy_hash_fast[AUTH_HASH_MAX] =
	"$argon2id$v=19$m=8,t=1,p=1$aaMBgrEBETc+8hRFVRrmFg$gsAsCmbUQ7+4Kkmip5odqkpMq9hqDGx9EoKhto1mh2Y";

static bool is_hex(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* Hex SHA-256 of a string. */
static void sha256_hex(const char *s, char out[static HEX64 + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
	sodium_bin2hex(out, HEX64 + 1, h, sizeof(h));
}

static void random_hex(char out[static HEX64 + 1])
{
	unsigned char rnd[32];
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(out, HEX64 + 1, rnd, sizeof(rnd));
	sodium_memzero(rnd, sizeof(rnd));
}

/* ---- passwords ---------------------------------------------------------- */

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

const char *auth_password_problem(const char *pw, const char *username)
{
	size_t len = strlen(pw);
	if (len > AUTH_PASSWORD_MAX)
		return "The password is too long (at most 1024 bytes).";
	if (!util_utf8_valid(pw, len))
		return "The password contains characters that are not allowed.";
	if (utf8_chars(pw) < AUTH_PASSWORD_MIN)
		return "The password must have at least 12 characters.";
	if (username && strcasecmp(pw, username) == 0)
		return "The password must not be the username.";
	return NULL;
}

int auth_password_hash(const char *pw, bool fast, char out[static AUTH_HASH_MAX])
{
	unsigned long long ops = fast ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
	size_t mem = fast ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
	if (crypto_pwhash_str(out, pw, strlen(pw), ops, mem) != 0)
		return log_error("cannot hash a password (out of memory?)");
	return 0;
}

bool auth_password_verify(const char *hash, const char *pw)
{
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

void auth_onetime_password(char out[static AUTH_ONETIME_MAX])
{
	/* no 0/O, 1/I/L: read aloud or copied by hand without mistakes */
	static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
	size_t o = 0;
	for (int i = 0; i < 20; i++) {
		if (i && i % 4 == 0)
			out[o++] = '-';
		out[o++] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	}
	out[o] = '\0';
}

/* ---- accounts ----------------------------------------------------------- */

static bool username_valid(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 63)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-' && c != '@')))
			return false;
	}
	return true;
}

const char *auth_account_problem(const json_t *country_by_iso3, const char *username, const char *role,
				 const char *country, bool focal_point)
{
	if (username && !username_valid(username))
		return "The username must have 2 to 63 characters: letters, digits and . _ - @, starting with a "
		       "letter or digit.";
	unsigned bit = role ? router_role_bit(role) : 0;
	if (!bit)
		return "The role must be admin, reviewer, official or observer.";
	bool scoped = bit == ROLE_OFFICIAL || bit == ROLE_OBSERVER;
	if (scoped && (!country || !*country))
		return "Officials and observers belong to a country: give its ISO 3166 alpha-3 code.";
	if (!scoped && country && *country)
		return "Administrators and reviewers work for every country: give no country.";
	if (scoped && !json_object_get(country_by_iso3, country))
		return "The country code is not an ISO 3166 alpha-3 code of a known country.";
	if (focal_point && bit != ROLE_OFFICIAL)
		return "Only an official can be the focal point of a country.";
	return NULL;
}

int auth_bootstrap_admin(struct db *db, bool fast, char password[static AUTH_ONETIME_MAX])
{
	password[0] = '\0';
	long long n = db_user_count(db);
	if (n != 0)
		return n < 0 ? -1 : 0;
	char hash[AUTH_HASH_MAX];
	auth_onetime_password(password);
	if (auth_password_hash(password, fast, hash) != 0)
		return -1;
	if (db_begin(db) != 0)
		return -1;
	/* counted again inside the transaction: two servers starting at once make one */
	long long id = db_user_count(db) == 0 ? db_user_create(db, "admin", hash, "admin", NULL, false, true) : 0;
	if (id < 0 || (id > 0 && db_audit_user(db, 0, "user_created", id, NULL,
					       "{\"username\":\"admin\",\"role\":\"admin\",\"one_time_password\":true}") != 0)) {
		db_rollback(db);
		password[0] = '\0';
		return -1;
	}
	if (db_commit(db) != 0) {
		db_rollback(db);
		password[0] = '\0';
		return -1;
	}
	if (id == 0)
		password[0] = '\0';
	return id > 0 ? 1 : 0;
}

/* ---- who is calling ----------------------------------------------------- */

static void set_user(struct req *r, const struct account *a)
{
	free(r->user);
	r->user = xcalloc(1, sizeof(*r->user));
	r->user->id = a->id;
	snprintf(r->user->username, sizeof(r->user->username), "%s", a->username);
	snprintf(r->user->role, sizeof(r->user->role), "%s", a->role);
	snprintf(r->user->country, sizeof(r->user->country), "%s", a->country);
	r->user->focal_point = a->focal_point;
	r->user->must_change = a->must_change;
}

static void session_cookie(struct req *r, const char *value)
{
	char c[160];
	snprintf(c, sizeof(c), "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", AUTH_SESSION_COOKIE, value,
		 req_is_tls(r) ? "; Secure" : "", *value ? "" : "; Max-Age=0");
	req_add_header(r, "Set-Cookie", c);
}

/* Accepts a bearer token. Returns true when it names an enabled account. */
static bool token_auth(struct req *r, const char *token)
{
	while (*token == ' ')
		token++;
	if (strncmp(token, TOKEN_PREFIX, strlen(TOKEN_PREFIX)) != 0 ||
	    !is_hex(token + strlen(TOKEN_PREFIX), HEX64))
		return false;
	char hash[HEX64 + 1];
	sha256_hex(token, hash);
	struct account a;
	long long expires, last_used, now = util_now();
	if (db_token_get(r->db, hash, &a, &expires, &last_used) != 1)
		return false;
	if (a.disabled || expires <= now)
		return false;
	if (now - last_used >= TOUCH_EVERY)
		db_token_touch(r->db, hash, now);
	set_user(r, &a);
	r->via_token = true;
	return true;
}

/* Accepts the session cookie when its session is alive; ends it when it is not. */
static void session_auth(struct req *r)
{
	const char *c = req_cookie(r, AUTH_SESSION_COOKIE);
	if (!c)
		return;
	if (!is_hex(c, HEX64)) {
		session_cookie(r, "");
		return;
	}
	char hash[HEX64 + 1];
	sha256_hex(c, hash);
	struct account a;
	long long created, last_seen, now = util_now();
	int rc = db_session_get(r->db, hash, &a, &created, &last_seen);
	if (rc < 0)
		return;
	if (rc == 0 || a.disabled || now - last_seen > AUTH_IDLE_TIMEOUT || now - created > AUTH_ABSOLUTE_TIMEOUT) {
		if (rc == 1)
			db_session_delete(r->db, hash);
		session_cookie(r, "");
		return;
	}
	if (now - last_seen >= TOUCH_EVERY)
		db_session_touch(r->db, hash, now);
	memcpy(r->session_hash, hash, sizeof(r->session_hash));
	set_user(r, &a);
}

/* ---- CSRF --------------------------------------------------------------- */

/* The form token: HMAC under the server secret of the session (once signed in)
 * or of the browser's sg_csrf cookie (the login form). */
static void csrf_token(const struct app *app, const char *kind, const char *binding, char out[static 65])
{
	unsigned char mac[crypto_auth_hmacsha512256_BYTES];
	crypto_auth_hmacsha512256_state st;
	crypto_auth_hmacsha512256_init(&st, app->secret, 32);
	crypto_auth_hmacsha512256_update(&st, (const unsigned char *)kind, strlen(kind) + 1);
	crypto_auth_hmacsha512256_update(&st, (const unsigned char *)binding, strlen(binding));
	crypto_auth_hmacsha512256_final(&st, mac);
	sodium_bin2hex(out, 65, mac, 32);
}

/* Computes the token this caller's forms must carry; pages (not the API) give a
 * browser without a session or cookie a new cookie. */
static void csrf_prepare(struct req *r, bool may_set_cookie)
{
	r->csrf[0] = '\0';
	if (r->via_token)
		return;
	if (r->session_hash[0]) {
		csrf_token(r->app, "session", r->session_hash, r->csrf);
		return;
	}
	const char *c = req_cookie(r, AUTH_CSRF_COOKIE);
	char fresh[HEX64 + 1];
	if (!c || !is_hex(c, HEX64)) {
		if (!may_set_cookie)
			return;
		random_hex(fresh);
		c = fresh;
		size_t n = strlen(AUTH_CSRF_COOKIE) + HEX64 + 64;
		free(r->new_cookie);
		r->new_cookie = xmalloc(n);
		snprintf(r->new_cookie, n, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s", AUTH_CSRF_COOKIE, c,
			 req_is_tls(r) ? "; Secure" : "");
	}
	csrf_token(r->app, "cookie", c, r->csrf);
}

static bool csrf_valid(struct req *r)
{
	const char *given = req_form(r, "csrf_token");
	if (!given)
		given = req_header(r, "X-CSRF-Token");
	if (!given || strlen(given) != 64 || !r->csrf[0])
		return false;
	return util_ct_equal(given, r->csrf, 64);
}

/* ---- the checks --------------------------------------------------------- */

static int need_sign_in(struct req *r, const struct route *rt)
{
	if (rt->flags & R_API) {
		req_add_header(r, "WWW-Authenticate", "Bearer realm=\"somguide\"");
		return req_error(r, 401, "unauthenticated",
				 "sign in, or send an API token (POST /api/v1/tokens) as \"Authorization: Bearer TOKEN\"");
	}
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
		return req_redirect(r, "/login");
	struct strbuf sb;
	strbuf_init(&sb, 64);
	strbuf_add_urlenc(&sb, r->path);
	req_redirect(r, "/login?next=%s", sb.buf);
	strbuf_release(&sb);
	return 303;
}

int auth_check(struct req *r, const struct route *rt)
{
	if (rt->flags & R_NODB)
		return 0; /* static files: public, no session */
	bool is_api = (rt->flags & R_API) != 0;
	const char *authz = is_api ? req_header(r, "Authorization") : NULL;
	if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
		if (!token_auth(r, authz + 7) && !(rt->flags & R_PUBLIC)) {
			req_add_header(r, "WWW-Authenticate", "Bearer realm=\"somguide\", error=\"invalid_token\"");
			return req_error(r, 401, "invalid_token", "the API token is not valid (unknown, expired or revoked)");
		}
	} else {
		session_auth(r);
	}
	csrf_prepare(r, !is_api);
	if (!(rt->flags & R_PUBLIC)) {
		if (!r->user)
			return need_sign_in(r, rt);
		if (!(rt->roles & router_role_bit(r->user->role)))
			return req_error(r, 403, "forbidden", "Your role (%s) does not allow this.", r->user->role);
		if (r->user->must_change && !(rt->flags & R_PWCHANGE)) {
			if (is_api)
				return req_error(r, 403, "password_change_required",
						 "choose a new password (sign in with a browser) before using the API");
			return req_redirect(r, "/account/password");
		}
	}
	return 0;
}

int auth_check_csrf(struct req *r, const struct route *rt)
{
	if ((rt->flags & R_WRITE) && !(rt->flags & R_NOCSRF) && !r->via_token && !csrf_valid(r))
		return req_error(r, 403, "csrf_invalid",
				 "This form has expired or did not come from this site. Reload the page and try again.");
	return 0;
}

int auth_load_secret(struct db *db, unsigned char secret[32])
{
	static const char sel[] = "SELECT value FROM settings WHERE key = 'csrf_secret'";
	static const char ins[] = "INSERT INTO settings(key, value) VALUES ('csrf_secret', ?)";
	sqlite3_stmt *st = db_stmt(db, sel);
	if (!st)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 32) {
		memcpy(secret, sqlite3_column_blob(st, 0), 32);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	randombytes_buf(secret, 32);
	st = db_stmt(db, ins);
	if (!st)
		return -1;
	sqlite3_bind_blob(st, 1, secret, 32, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return log_error("cannot store the server secret: %s", sqlite3_errmsg(db_handle(db)));
	return 0;
}

/* ---- signing in --------------------------------------------------------- */

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0)
		;
}

enum auth_result auth_authenticate(struct req *r, const char *username, const char *password, struct account *out)
{
	char addr[64];
	req_client_addr(r, addr, sizeof(addr));
	long long now = util_now();
	int by_user = 0, by_addr = 0, by_pair = 0;
	if (db_login_failures_count(r->db, username, addr, now - AUTH_THROTTLE_WINDOW, &by_user, &by_addr, &by_pair) != 0)
		return AUTH_ERROR;
	if (by_pair >= AUTH_MAX_FAILS_PAIR || by_addr >= AUTH_MAX_FAILS_ADDRESS || by_user >= AUTH_MAX_FAILS_ACCOUNT)
		return AUTH_THROTTLED;
	char hash[AUTH_HASH_MAX];
	int found = db_user_by_name(r->db, username, out, hash, sizeof(hash));
	if (found < 0)
		return AUTH_ERROR;
	bool ok;
	if (found) {
		ok = auth_password_verify(hash, password);
	} else {
		auth_password_verify(r->app->cfg.fast_pwhash ? dummy_hash_fast : dummy_hash, password);
		ok = false;
	}
	sodium_memzero(hash, sizeof(hash));
	if (ok)
		return out->disabled ? AUTH_DISABLED : AUTH_OK;
	if (db_login_failure_add(r->db, username, addr, now - AUTH_THROTTLE_WINDOW) != 0)
		return AUTH_ERROR;
	/* each further failure from the same address answers a little later */
	long delay = 200L * by_pair;
	sleep_ms(delay > 1000 ? 1000 : delay);
	return AUTH_BAD;
}

int auth_session_start(struct req *r, const struct account *a)
{
	char id[HEX64 + 1], hash[HEX64 + 1];
	random_hex(id);
	sha256_hex(id, hash);
	long long now = util_now();
	if (db_begin(r->db) != 0)
		goto fail;
	if ((r->session_hash[0] && db_session_delete(r->db, r->session_hash) != 0) ||
	    db_sessions_purge(r->db, now - AUTH_IDLE_TIMEOUT, now - AUTH_ABSOLUTE_TIMEOUT) != 0 ||
	    db_session_create(r->db, hash, a->id) != 0 || db_login_failures_clear(r->db, a->username) != 0 ||
	    db_user_touch_login(r->db, a->id) != 0 || db_commit(r->db) != 0) {
		db_rollback(r->db);
		goto fail;
	}
	session_cookie(r, id);
	sodium_memzero(id, sizeof(id));
	memcpy(r->session_hash, hash, sizeof(r->session_hash));
	set_user(r, a);
	r->via_token = false;
	csrf_prepare(r, false);
	return 0;
fail:
	sodium_memzero(id, sizeof(id));
	return -1;
}

void auth_session_end(struct req *r)
{
	if (r->session_hash[0])
		db_session_delete(r->db, r->session_hash);
	r->session_hash[0] = '\0';
	session_cookie(r, "");
}

int auth_token_issue(struct req *r, const struct account *a, char out[static AUTH_TOKEN_MAX], long long *expires_at)
{
	char rnd[HEX64 + 1], hash[HEX64 + 1];
	random_hex(rnd);
	snprintf(out, AUTH_TOKEN_MAX, "%s%s", TOKEN_PREFIX, rnd);
	sodium_memzero(rnd, sizeof(rnd));
	sha256_hex(out, hash);
	*expires_at = util_now() + AUTH_TOKEN_LIFETIME;
	if (db_token_create(r->db, hash, a->id, *expires_at) != 0) {
		sodium_memzero(out, AUTH_TOKEN_MAX);
		return -1;
	}
	return 0;
}
