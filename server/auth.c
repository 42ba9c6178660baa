/* auth.c - CSRF protection bound to a browser cookie, checks declared by routes. */
#include "auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "router.h"
#include "util.h"

#define CSRF_COOKIE "sg_csrf"
#define CSRF_COOKIE_HEX 64

static bool is_hex(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* The form token for a browser: HMAC of its cookie under the server secret. */
static void csrf_token(const struct app *app, const char *binding, char out[static 65])
{
	unsigned char mac[crypto_auth_BYTES];
	crypto_auth(mac, (const unsigned char *)binding, strlen(binding), app->secret);
	sodium_bin2hex(out, 65, mac, 32);
}

/* Computes the token this browser's forms must carry; pages (not the API) give a
 * browser without the cookie a new one. */
static void csrf_prepare(struct req *r, bool may_set_cookie)
{
	const char *c = req_cookie(r, CSRF_COOKIE);
	char fresh[CSRF_COOKIE_HEX + 1];
	if (!c || !is_hex(c, CSRF_COOKIE_HEX)) {
		if (!may_set_cookie)
			return;
		unsigned char rnd[32];
		randombytes_buf(rnd, sizeof(rnd));
		sodium_bin2hex(fresh, sizeof(fresh), rnd, sizeof(rnd));
		c = fresh;
		size_t n = strlen(CSRF_COOKIE) + CSRF_COOKIE_HEX + 64;
		free(r->new_cookie);
		r->new_cookie = xmalloc(n);
		snprintf(r->new_cookie, n, "%s=%s; Path=/; HttpOnly; SameSite=Lax", CSRF_COOKIE, c);
	}
	csrf_token(r->app, c, r->csrf);
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

int auth_check(struct req *r, const struct route *rt)
{
	if (!(rt->flags & R_NODB))
		csrf_prepare(r, !(rt->flags & R_API));
	if ((rt->flags & R_WRITE) && !(rt->flags & R_NOCSRF) && !r->via_token) {
		/* API calls without any browser cookie carry no ambient authority to abuse */
		bool cookie_auth = !(rt->flags & R_API) || req_cookie(r, CSRF_COOKIE) != NULL;
		if (cookie_auth && !csrf_valid(r))
			return req_error(r, 403, "csrf_invalid",
					 "This form has expired or did not come from this site. "
					 "Reload the page and try again.");
	}
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
