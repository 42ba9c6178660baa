/* test_auth.c - accounts, sessions, CSRF, throttling, API tokens, the lifecycle
 * and the audit records, against a real server on port 0; `somguide user add`
 * and the first administrator through the built binary. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "htmlcheck.h"
#include "testsrv.h"

static struct testsrv srv;
static long long id_admin, id_reviewer, id_official, id_focal, id_observer, id_other;

static int setup(void **state)
{
	if (testsrv_start(&srv, NULL) != 0)
		return -1;
	id_admin = testsrv_add_user(&srv, "boss", "admin", NULL, false);
	id_reviewer = testsrv_add_user(&srv, "rita", "reviewer", NULL, false);
	id_official = testsrv_add_user(&srv, "otto", "official", "KEN", false);
	id_focal = testsrv_add_user(&srv, "fatima", "official", "KEN", true);
	id_observer = testsrv_add_user(&srv, "olga", "observer", "KEN", false);
	id_other = testsrv_add_user(&srv, "gus", "official", "GHA", true);
	return 0;
}

static int teardown(void **state)
{
	testsrv_stop(&srv);
	return 0;
}

/* Each test starts with no failed sign-ins on record. */
static int clean(void **state)
{
	return testsrv_exec(&srv, "DELETE FROM login_failures");
}

static const char *error_code(const struct resp *r)
{
	const char *c = json_string_value(json_object_get(json_object_get(r->json, "error"), "code"));
	return c ? c : "";
}

static struct client *signed_in(const char *name)
{
	struct client *c = client_new(&srv);
	long st = client_login(c, name, TESTSRV_PASSWORD);
	if (st != 303)
		fail_msg("%s cannot sign in: %ld", name, st);
	return c;
}

/* POSTs a form with the session's CSRF token added. */
static long post(struct client *c, const char *path, const char *fields, struct resp *r)
{
	char form[1024];
	snprintf(form, sizeof(form), "%s%scsrf_token=%s", fields, *fields ? "&" : "", client_csrf(c));
	assert_int_equal(client_post_form(c, path, form, r), 0);
	return r->status;
}

/* A JSON request with the session's CSRF header. */
static long api(struct client *c, const char *method, const char *path, const char *json, struct resp *r)
{
	char hdr[128];
	snprintf(hdr, sizeof(hdr), "X-CSRF-Token: %s", client_csrf(c));
	assert_int_equal(client_request(c, method, path, json ? "application/json" : NULL, json, json ? strlen(json) : 0,
					hdr, r),
			 0);
	return r->status;
}

static long get(struct client *c, const char *path, struct resp *r)
{
	assert_int_equal(client_get(c, path, r), 0);
	return r->status;
}

static void sha256_hex(const char *s, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
	sodium_bin2hex(out, 65, h, sizeof(h));
}

/* The value of the session cookie a response sets ("" when it clears it). */
static bool session_cookie(const struct resp *r, char *value, size_t n, char *line, size_t ln)
{
	char buf[256];
	if (!resp_set_cookie(r, "sg_session", buf, sizeof(buf)))
		return false;
	if (line)
		snprintf(line, ln, "%s", buf);
	const char *v = buf + strlen("sg_session=");
	snprintf(value, n, "%.*s", (int)strcspn(v, ";"), v);
	return true;
}

static double now_s(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

/* ---- signing in and out --------------------------------------------------- */

static void test_login_and_logout(void **state)
{
	struct client *c = client_new(&srv);
	struct resp r;
	assert_int_equal(get(c, "/login", &r), 200);
	assert_non_null(strstr(r.body, "name=\"username\""));
	assert_non_null(strstr(r.body, "name=\"password\""));
	assert_non_null(strstr(r.body, "type=\"password\""));
	char csrf[80];
	snprintf(csrf, sizeof(csrf), "%s", find_csrf(r.body));
	assert_int_equal(strlen(csrf), 64);
	resp_free(&r);

	/* the login form itself is protected against cross-site posting */
	assert_int_equal(client_post_form(c, "/login", "username=otto&password=" TESTSRV_PASSWORD, &r), 0);
	assert_int_equal(r.status, 403);
	resp_free(&r);

	/* a wrong password: the form again, with a message, and no session */
	char form[512];
	snprintf(form, sizeof(form), "csrf_token=%s&username=otto&password=%s", csrf, urlenc("wrong password!"));
	assert_int_equal(client_post_form(c, "/login", form, &r), 0);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "The username or the password is not right."));
	assert_non_null(strstr(r.body, "value=\"otto\""));
	char value[128], line[256];
	assert_false(session_cookie(&r, value, sizeof(value), NULL, 0));
	resp_free(&r);
	snprintf(form, sizeof(form), "csrf_token=%s&username=&password=", csrf);
	assert_int_equal(client_post_form(c, "/login", form, &r), 0);
	assert_int_equal(r.status, 422);
	resp_free(&r);

	/* the right one: 303 and a session cookie, HttpOnly, SameSite, not Secure over plain HTTP */
	snprintf(form, sizeof(form), "csrf_token=%s&username=OTTO&password=%s", csrf, urlenc(TESTSRV_PASSWORD));
	assert_int_equal(client_post_form(c, "/login", form, &r), 0);
	assert_int_equal(r.status, 303);
	char loc[128];
	assert_true(resp_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/");
	assert_true(session_cookie(&r, value, sizeof(value), line, sizeof(line)));
	assert_int_equal(strlen(value), 64);
	assert_non_null(strstr(line, "HttpOnly"));
	assert_non_null(strstr(line, "SameSite=Lax"));
	assert_non_null(strstr(line, "Path=/"));
	assert_null(strstr(line, "Secure"));
	resp_free(&r);

	/* the store keeps only the hash of the session id */
	char hash[65], sql[256];
	sha256_hex(value, hash);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM sessions WHERE id_hash = '%s' AND user_id = %lld", hash,
		 id_official);
	assert_int_equal(testsrv_query_int(&srv, sql), 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM sessions WHERE id_hash = '%s'", value);
	assert_int_equal(testsrv_query_int(&srv, sql), 0);
	snprintf(sql, sizeof(sql), "SELECT last_login_at > 0 FROM users WHERE id = %lld", id_official);
	assert_int_equal(testsrv_query_int(&srv, sql), 1);

	/* signed in: pages open, the header names the account and offers to sign out */
	assert_int_equal(get(c, "/assessments", &r), 200);
	assert_non_null(strstr(r.body, ">otto</a>"));
	assert_non_null(strstr(r.body, "action=\"/logout\""));
	snprintf(csrf, sizeof(csrf), "%s", find_csrf(r.body));
	resp_free(&r);

	/* signing out needs the form's token */
	assert_int_equal(client_post_form(c, "/logout", "", &r), 0);
	assert_int_equal(r.status, 403);
	resp_free(&r);
	assert_int_equal(get(c, "/assessments", &r), 200);
	resp_free(&r);
	snprintf(form, sizeof(form), "csrf_token=%s", csrf);
	assert_int_equal(client_post_form(c, "/logout", form, &r), 0);
	assert_int_equal(r.status, 303);
	assert_true(resp_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/login");
	assert_true(session_cookie(&r, value + 64, 2, line, sizeof(line)));
	assert_non_null(strstr(line, "Max-Age=0"));
	resp_free(&r);
	assert_int_equal(get(c, "/assessments", &r), 303);
	assert_true(resp_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/login?next=%2Fassessments");
	resp_free(&r);
	client_free(c);

	/* the old cookie, replayed, opens nothing: the session is gone on the server */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM sessions WHERE id_hash = '%s'", hash);
	assert_int_equal(testsrv_query_int(&srv, sql), 0);
	struct client *thief = client_new(&srv);
	snprintf(line, sizeof(line), "Cookie: sg_session=%.64s", value);
	client_header(thief, line);
	assert_int_equal(get(thief, "/assessments", &r), 303);
	resp_free(&r);
	client_free(thief);
}

static void test_login_goes_back(void **state)
{
	struct client *c = client_new(&srv);
	struct resp r;
	assert_int_equal(get(c, "/assessments/12/areas/prevention", &r), 303);
	char loc[256];
	assert_true(resp_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/login?next=%2Fassessments%2F12%2Fareas%2Fprevention");
	resp_free(&r);
	assert_int_equal(get(c, loc, &r), 200);
	assert_non_null(strstr(r.body, "name=\"next\" value=\"/assessments/12/areas/prevention\""));
	char csrf[80];
	snprintf(csrf, sizeof(csrf), "%s", find_csrf(r.body));
	resp_free(&r);
	static const struct {
		const char *next, *to;
	} cases[] = {
		{"/assessments/12/areas/prevention", "/assessments/12/areas/prevention"},
		{"//evil.example/x", "/"},
		{"https://evil.example/", "/"},
		{"/\\evil.example", "/"},
		{"/login", "/"},
		{"", "/"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct client *b = client_new(&srv);
		assert_int_equal(get(b, "/login", &r), 200);
		snprintf(csrf, sizeof(csrf), "%s", find_csrf(r.body));
		resp_free(&r);
		char form[512];
		snprintf(form, sizeof(form), "csrf_token=%s&username=otto&password=%s&next=%s", csrf,
			 urlenc(TESTSRV_PASSWORD), urlenc(cases[i].next));
		assert_int_equal(client_post_form(b, "/login", form, &r), 0);
		assert_int_equal(r.status, 303);
		assert_true(resp_header(&r, "Location", loc, sizeof(loc)));
		if (strcmp(loc, cases[i].to) != 0)
			fail_msg("next=%s went to %s", cases[i].next, loc);
		resp_free(&r);
		client_free(b);
	}
	client_free(c);
}

/* ---- CSRF ---------------------------------------------------------------- */

static void test_csrf_refusal(void **state)
{
	struct client *otto = signed_in("otto"), *other = signed_in("otto");
	struct resp r;
	/* the session's token works, another session's token and the login form's do not */
	assert_int_equal(post(otto, "/assessments", "country=KEN&round=2031", &r), 303);
	resp_free(&r);
	char form[256];
	snprintf(form, sizeof(form), "country=KEN&round=2032&csrf_token=%s", client_csrf(other));
	assert_int_equal(client_post_form(otto, "/assessments", form, &r), 0);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(r.body, "Reload the page"));
	resp_free(&r);
	struct client *anon = client_new(&srv);
	assert_int_equal(get(anon, "/login", &r), 200);
	snprintf(form, sizeof(form), "country=KEN&round=2032&csrf_token=%s", find_csrf(r.body));
	resp_free(&r);
	assert_int_equal(client_post_form(otto, "/assessments", form, &r), 0);
	assert_int_equal(r.status, 403);
	resp_free(&r);
	client_free(anon);

	/* API writes with the session cookie need the header; with a token they do not */
	assert_int_equal(client_json(otto, "POST", "/api/v1/assessments", "{\"country\":\"KEN\",\"round\":2033}", &r), 0);
	assert_int_equal(r.status, 403);
	assert_string_equal(error_code(&r), "csrf_invalid");
	resp_free(&r);
	assert_int_equal(api(otto, "POST", "/api/v1/assessments", "{\"country\":\"KEN\",\"round\":2033}", &r), 201);
	resp_free(&r);
	struct client *script = client_new(&srv);
	assert_int_equal(client_token(script, "otto", TESTSRV_PASSWORD, NULL, 0), 201);
	assert_int_equal(client_json(script, "POST", "/api/v1/assessments", "{\"country\":\"KEN\",\"round\":2034}", &r),
			 0);
	assert_int_equal(r.status, 201);
	resp_free(&r);
	assert_int_equal(testsrv_query_int(&srv, "SELECT count(*) FROM assessments WHERE round = 2032"), 0);
	client_free(script);
	client_free(otto);
	client_free(other);
}

/* ---- throttling ---------------------------------------------------------- */

static long login_status(const char *name, const char *password)
{
	struct client *c = client_new(&srv);
	long st = client_login(c, name, password);
	client_free(c);
	return st;
}

static void test_throttling_per_account(void **state)
{
	/* five failures in a row, each answered a little later than the one before */
	double t0 = now_s(), t4 = 0;
	for (int i = 0; i < 5; i++) {
		if (i == 4)
			t4 = now_s();
		assert_int_equal(login_status("rita", "not rita's password"), 422);
	}
	double t5 = now_s();
	assert_true(t5 - t4 >= 0.7); /* the fifth waited 800 ms */
	(void)t0;

	/* then even the right password is refused, with 429 and a Retry-After */
	struct client *c = client_new(&srv);
	struct resp r;
	assert_int_equal(get(c, "/login", &r), 200);
	char form[512];
	snprintf(form, sizeof(form), "csrf_token=%s&username=rita&password=%s", find_csrf(r.body),
		 urlenc(TESTSRV_PASSWORD));
	resp_free(&r);
	assert_int_equal(client_post_form(c, "/login", form, &r), 0);
	assert_int_equal(r.status, 429);
	assert_non_null(strstr(r.body, "Too many failed attempts"));
	char v[32];
	assert_true(resp_header(&r, "Retry-After", v, sizeof(v)));
	resp_free(&r);
	client_free(c);
	/* the token endpoint counts the same failures */
	c = client_new(&srv);
	assert_int_equal(client_token(c, "rita", TESTSRV_PASSWORD, NULL, 0), 429);
	client_free(c);
	/* another account from the same address is not affected */
	assert_int_equal(login_status("otto", TESTSRV_PASSWORD), 303);
	/* nor is the same account from another address: a stranger cannot lock a
	 * colleague out */
	c = client_new(&srv);
	client_source(c, "127.0.0.2");
	assert_int_equal(client_login(c, "rita", TESTSRV_PASSWORD), 303);
	client_free(c);
	/* (that success forgot the account's failures, as a success from here would) */
	assert_int_equal(testsrv_query_int(&srv, "SELECT count(*) FROM login_failures WHERE username = 'rita'"), 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(login_status("rita", "not rita's password either"), 422);

	/* the failures age out of the window; a success forgets those of the account */
	assert_int_equal(testsrv_exec(&srv, "UPDATE login_failures SET at = at - 901"), 0);
	assert_int_equal(login_status("rita", "wrong again, rita"), 422);
	assert_int_equal(login_status("rita", TESTSRV_PASSWORD), 303);
	assert_int_equal(testsrv_query_int(&srv, "SELECT count(*) FROM login_failures WHERE username = 'rita'"), 0);
}

static void test_throttling_per_address(void **state)
{
	/* failures spread over many usernames (existing or not) still count for the address */
	for (int i = 0; i < 20; i++) {
		char name[32];
		snprintf(name, sizeof(name), "nobody%d", i);
		assert_int_equal(login_status(name, "some password or other"), 422);
	}
	assert_int_equal(login_status("otto", TESTSRV_PASSWORD), 429);
	struct client *c = client_new(&srv);
	assert_int_equal(client_token(c, "otto", TESTSRV_PASSWORD, NULL, 0), 429);
	client_free(c);
	assert_int_equal(testsrv_query_int(&srv, "SELECT count(DISTINCT address) FROM login_failures"), 1);
	assert_int_equal(testsrv_exec(&srv, "DELETE FROM login_failures"), 0);
	assert_int_equal(login_status("otto", TESTSRV_PASSWORD), 303);
}

/* ---- session expiry ------------------------------------------------------ */

static void test_session_timeouts(void **state)
{
	struct client *c = signed_in("olga");
	struct resp r;
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM sessions WHERE user_id = %lld", id_observer);
	long long before = testsrv_query_int(&srv, sql);

	/* in use: last_seen moves on (at most once a minute) */
	snprintf(sql, sizeof(sql), "UPDATE sessions SET last_seen = last_seen - 600 WHERE user_id = %lld", id_observer);
	assert_int_equal(testsrv_exec(&srv, sql), 0);
	assert_int_equal(get(c, "/assessments", &r), 200);
	resp_free(&r);
	snprintf(sql, sizeof(sql), "SELECT min(strftime('%%s','now') - last_seen) < 60 FROM sessions WHERE user_id = %lld",
		 id_observer);
	assert_int_equal(testsrv_query_int(&srv, sql), 1);

	/* idle for more than two hours: signed out, the session deleted */
	snprintf(sql, sizeof(sql), "UPDATE sessions SET last_seen = last_seen - 7300 WHERE user_id = %lld", id_observer);
	assert_int_equal(testsrv_exec(&srv, sql), 0);
	assert_int_equal(get(c, "/assessments", &r), 303);
	char loc[128];
	assert_true(resp_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/login?next=%2Fassessments");
	resp_free(&r);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM sessions WHERE user_id = %lld", id_observer);
	assert_int_equal(testsrv_query_int(&srv, sql), before - 1);
	client_free(c);

	/* busy for more than twelve hours since signing in: signed out too */
	c = signed_in("olga");
	snprintf(sql, sizeof(sql), "UPDATE sessions SET created_at = created_at - 43300 WHERE user_id = %lld",
		 id_observer);
	assert_int_equal(testsrv_exec(&srv, sql), 0);
	assert_int_equal(get(c, "/assessments", &r), 303);
	resp_free(&r);
	assert_int_equal(api(c, "GET", "/api/v1/assessments", NULL, &r), 401);
	assert_string_equal(error_code(&r), "unauthenticated");
	resp_free(&r);
	client_free(c);
}

/* ---- API tokens ---------------------------------------------------------- */

static void test_api_tokens(void **state)
{
	struct client *c = client_new(&srv);
	struct resp r;
	assert_int_equal(client_json(c, "POST", "/api/v1/tokens", "{\"username\":\"otto\",\"password\":\"nope, not it\"}", &r),
			 0);
	assert_int_equal(r.status, 401);
	assert_string_equal(error_code(&r), "invalid_credentials");
	resp_free(&r);
	assert_int_equal(client_json(c, "POST", "/api/v1/tokens", "{\"username\":\"otto\"}", &r), 0);
	assert_int_equal(r.status, 422);
	resp_free(&r);
	/* no session, no token: the API answers 401 with a JSON error */
	assert_int_equal(get(c, "/api/v1/assessments", &r), 401);
	assert_string_equal(error_code(&r), "unauthenticated");
	char v[128];
	assert_true(resp_header(&r, "WWW-Authenticate", v, sizeof(v)));
	resp_free(&r);

	char token[128];
	assert_int_equal(client_token(c, "otto", TESTSRV_PASSWORD, token, sizeof(token)), 201);
	assert_int_equal(strncmp(token, "sgt_", 4), 0);
	assert_int_equal(strlen(token), 68);
	char hash[65], sql[256];
	sha256_hex(token, hash);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM api_tokens WHERE hash = '%s' AND user_id = %lld", hash,
		 id_official);
	assert_int_equal(testsrv_query_int(&srv, sql), 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM api_tokens WHERE hash = '%s'", token);
	assert_int_equal(testsrv_query_int(&srv, sql), 0);

	/* with the token: reads and writes, no CSRF token needed */
	assert_int_equal(get(c, "/api/v1/assessments", &r), 200);
	resp_free(&r);
	assert_int_equal(client_json(c, "POST", "/api/v1/assessments", "{\"country\":\"KEN\",\"round\":2040}", &r), 0);
	assert_int_equal(r.status, 201);
	resp_free(&r);
	/* pages do not take tokens */
	assert_int_equal(get(c, "/assessments", &r), 303);
	resp_free(&r);

	/* a made-up token, an expired one, one of a disabled account: 401 */
	struct client *bad = client_new(&srv);
	client_header(bad, "Authorization: Bearer sgt_1111111111111111111111111111111111111111111111111111111111111111");
	assert_int_equal(get(bad, "/api/v1/assessments", &r), 401);
	assert_string_equal(error_code(&r), "invalid_token");
	resp_free(&r);
	client_free(bad);
	snprintf(sql, sizeof(sql), "UPDATE api_tokens SET expires_at = strftime('%%s','now') - 1 WHERE hash = '%s'", hash);
	assert_int_equal(testsrv_exec(&srv, sql), 0);
	assert_int_equal(get(c, "/api/v1/assessments", &r), 401);
	resp_free(&r);
	client_free(c);

	c = client_new(&srv);
	assert_int_equal(client_token(c, "otto", TESTSRV_PASSWORD, NULL, 0), 201);
	snprintf(sql, sizeof(sql), "UPDATE users SET disabled = 1 WHERE id = %lld", id_official);
	assert_int_equal(testsrv_exec(&srv, sql), 0);
	assert_int_equal(get(c, "/api/v1/assessments", &r), 401);
	resp_free(&r);
	/* a disabled account gets no token either, even with its password */
	struct client *d = client_new(&srv);
	assert_int_equal(client_token(d, "otto", TESTSRV_PASSWORD, NULL, 0), 403);
	client_free(d);
	snprintf(sql, sizeof(sql), "UPDATE users SET disabled = 0 WHERE id = %lld", id_official);
	assert_int_equal(testsrv_exec(&srv, sql), 0);
	assert_int_equal(get(c, "/api/v1/assessments", &r), 200);
	resp_free(&r);
	client_free(c);
}

/* ---- the lifecycle ------------------------------------------------------- */

static long transition(struct client *c, long long id, const char *to)
{
	char path[96], body[64];
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/transitions", id);
	snprintf(body, sizeof(body), "{\"to\":\"%s\"}", to);
	struct resp r;
	assert_int_equal(client_json(c, "POST", path, body, &r), 0);
	long st = r.status;
	if (st == 200)
		assert_string_equal(json_string_value(json_object_get(r.json, "status")), to);
	resp_free(&r);
	return st;
}

static long put_answer(struct client *c, long long id, const char *value)
{
	char path[96], body[128];
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/answers", id);
	snprintf(body, sizeof(body), "{\"answers\":{\"prev.campaigns\":{\"value\":\"%s\"}}}", value);
	struct resp r;
	assert_int_equal(client_json(c, "PUT", path, body, &r), 0);
	long st = r.status;
	resp_free(&r);
	return st;
}

static struct client *token_client(const char *name)
{
	struct client *c = client_new(&srv);
	assert_int_equal(client_token(c, name, TESTSRV_PASSWORD, NULL, 0), 201);
	return c;
}

static void test_lifecycle_api(void **state)
{
	struct client *boss = token_client("boss"), *rita = token_client("rita"), *otto = token_client("otto"),
		      *fatima = token_client("fatima"), *olga = token_client("olga"), *gus = token_client("gus");
	struct resp r;
	assert_int_equal(client_json(boss, "POST", "/api/v1/assessments", "{\"country\":\"KEN\",\"round\":2050}", &r), 0);
	assert_int_equal(r.status, 201);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	resp_free(&r);

	assert_int_equal(put_answer(otto, id, "some"), 200);
	assert_int_equal(put_answer(olga, id, "none"), 403);     /* observers never write */
	assert_int_equal(put_answer(rita, id, "none"), 403);     /* reviewers comment, not answer */
	assert_int_equal(put_answer(gus, id, "none"), 404);      /* another country's */
	assert_int_equal(transition(otto, id, "submitted"), 403); /* not the focal point */
	assert_int_equal(transition(rita, id, "submitted"), 403);
	assert_int_equal(transition(gus, id, "submitted"), 404);
	assert_int_equal(transition(rita, id, "validated"), 409); /* a draft cannot be validated */
	assert_int_equal(transition(fatima, id, "submitted"), 200);
	assert_int_equal(put_answer(otto, id, "effective"), 409); /* submitted: read-only */
	assert_int_equal(transition(fatima, id, "submitted"), 409);
	assert_int_equal(transition(fatima, id, "returned"), 403);
	assert_int_equal(transition(rita, id, "returned"), 200);
	assert_int_equal(put_answer(otto, id, "effective"), 200); /* returned: editable again */
	assert_int_equal(transition(rita, id, "validated"), 409); /* returned, not submitted */
	assert_int_equal(transition(fatima, id, "submitted"), 200);
	assert_int_equal(transition(boss, id, "validated"), 200);
	assert_int_equal(transition(rita, id, "returned"), 409);  /* validated is final */
	assert_int_equal(put_answer(otto, id, "none"), 409);

	char path[64];
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld", id);
	assert_int_equal(get(otto, path, &r), 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "status")), "validated");
	resp_free(&r);

	/* every move in the audit trail: who, old, new */
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "SELECT group_concat(user_id || ':' || old || '>' || new, ',') FROM"
		 " (SELECT * FROM audit WHERE assessment_id = %lld AND kind = 'status' ORDER BY id)",
		 id);
	char *trail = testsrv_query_text(&srv, sql);
	char expect[256];
	snprintf(expect, sizeof(expect), "%lld:draft>submitted,%lld:submitted>returned,%lld:returned>submitted,%lld:submitted>validated",
		 id_focal, id_reviewer, id_focal, id_admin);
	assert_non_null(trail);
	assert_string_equal(trail, expect);
	free(trail);
	/* and the answers changed by whom */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit WHERE assessment_id = %lld AND kind = 'answer' AND user_id = %lld",
		 id, id_official);
	assert_int_equal(testsrv_query_int(&srv, sql), 2);
	client_free(boss);
	client_free(rita);
	client_free(otto);
	client_free(fatima);
	client_free(olga);
	client_free(gus);
}

static void test_lifecycle_pages(void **state)
{
	struct client *otto = signed_in("otto"), *fatima = signed_in("fatima"), *rita = signed_in("rita"),
		      *olga = signed_in("olga");
	struct resp r;
	assert_int_equal(post(otto, "/assessments", "country=KEN&round=2051", &r), 303);
	char loc[128], path[128];
	assert_true(resp_header(&r, "Location", loc, sizeof(loc)));
	long long id = 0;
	assert_int_equal(sscanf(loc, "/assessments/%lld", &id), 1);
	resp_free(&r);
	char action[96];
	snprintf(action, sizeof(action), "action=\"/assessments/%lld/transitions\"", id);

	/* the official answers; only the focal point is offered to submit */
	snprintf(path, sizeof(path), "/assessments/%lld/areas/prevention", id);
	assert_int_equal(post(otto, path, "q.prev.campaigns=some", &r), 303);
	resp_free(&r);
	assert_int_equal(get(otto, loc, &r), 200);
	assert_null(strstr(r.body, action));
	resp_free(&r);
	assert_int_equal(get(olga, loc, &r), 200);
	assert_null(strstr(r.body, action));
	resp_free(&r);
	assert_int_equal(get(fatima, loc, &r), 200);
	assert_non_null(strstr(r.body, action));
	assert_non_null(strstr(r.body, "name=\"to\" value=\"submitted\""));
	assert_non_null(strstr(r.body, "Submit to UNODC"));
	resp_free(&r);

	/* the button's form needs its token */
	snprintf(path, sizeof(path), "/assessments/%lld/transitions", id);
	assert_int_equal(client_post_form(fatima, path, "to=submitted", &r), 0);
	assert_int_equal(r.status, 403);
	resp_free(&r);
	assert_int_equal(post(otto, path, "to=submitted", &r), 403);
	resp_free(&r);
	assert_int_equal(post(fatima, path, "to=submitted", &r), 303);
	char back[128];
	assert_true(resp_header(&r, "Location", back, sizeof(back)));
	resp_free(&r);
	assert_int_equal(get(fatima, back, &r), 200);
	assert_non_null(strstr(r.body, "The assessment is now: <strong>Submitted</strong>"));
	assert_null(strstr(r.body, "name=\"to\" value=\"submitted\""));
	resp_free(&r);
	/* submitted: the area form is read-only, a save is refused */
	snprintf(path, sizeof(path), "/assessments/%lld/areas/prevention", id);
	assert_int_equal(get(otto, path, &r), 200);
	assert_non_null(strstr(r.body, "has been submitted"));
	assert_null(strstr(r.body, "Save answers"));
	resp_free(&r);
	assert_int_equal(post(otto, path, "q.prev.campaigns=none", &r), 409);
	resp_free(&r);

	/* the reviewer returns it; the official can answer again */
	assert_int_equal(get(rita, loc, &r), 200);
	assert_non_null(strstr(r.body, "name=\"to\" value=\"returned\""));
	assert_non_null(strstr(r.body, "name=\"to\" value=\"validated\""));
	resp_free(&r);
	snprintf(path, sizeof(path), "/assessments/%lld/transitions", id);
	assert_int_equal(post(rita, path, "to=returned", &r), 303);
	resp_free(&r);
	snprintf(path, sizeof(path), "/assessments/%lld/areas/prevention", id);
	assert_int_equal(get(otto, path, &r), 200);
	assert_non_null(strstr(r.body, "Save answers"));
	resp_free(&r);
	/* an observer reads, and is told why there is no save button */
	assert_int_equal(get(olga, path, &r), 200);
	assert_null(strstr(r.body, "Save answers"));
	assert_non_null(strstr(r.body, "Your role lets you read these answers"));
	resp_free(&r);
	assert_int_equal(post(otto, path, "q.prev.campaigns=effective", &r), 303);
	resp_free(&r);
	snprintf(path, sizeof(path), "/assessments/%lld/transitions", id);
	assert_int_equal(post(fatima, path, "to=submitted", &r), 303);
	resp_free(&r);
	assert_int_equal(post(rita, path, "to=validated", &r), 303);
	resp_free(&r);
	assert_int_equal(post(rita, path, "to=returned", &r), 409);
	resp_free(&r);

	char sql[200];
	snprintf(sql, sizeof(sql),
		 "SELECT group_concat(old || '>' || new, ',') FROM"
		 " (SELECT * FROM audit WHERE assessment_id = %lld AND kind = 'status' ORDER BY id)",
		 id);
	char *trail = testsrv_query_text(&srv, sql);
	assert_non_null(trail);
	assert_string_equal(trail, "draft>submitted,submitted>returned,returned>submitted,submitted>validated");
	free(trail);
	client_free(otto);
	client_free(fatima);
	client_free(rita);
	client_free(olga);
}

/* ---- accounts ------------------------------------------------------------ */

/* The one-time password shown on an admin page. */
static void shown_password(const char *html, char *out, size_t n)
{
	const char *p = strstr(html, "<code id=\"one-time-password\">");
	assert_non_null(p);
	p += strlen("<code id=\"one-time-password\">");
	snprintf(out, n, "%.*s", (int)strcspn(p, "<"), p);
	assert_true(strlen(out) >= 12);
}

static long long audit_count(const char *kind, long long actor, long long target)
{
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit WHERE kind = '%s' AND user_id IS %lld AND target = 'user:%lld'",
		 kind, actor, target);
	return testsrv_query_int(&srv, sql);
}

static void test_first_administrator(void **state)
{
	/* a first start on an empty users table made "admin" with a one-time password */
	const char *pw = srv.app.bootstrap_password;
	assert_true(strlen(pw) >= 12);
	long long id = testsrv_query_int(&srv, "SELECT id FROM users WHERE username = 'admin' AND must_change = 1");
	assert_true(id > 0);
	struct client *c = client_new(&srv);
	assert_int_equal(client_login(c, "admin", pw), 303);
	struct resp r;
	/* nothing opens before a new password is chosen */
	assert_int_equal(get(c, "/assessments", &r), 303);
	char loc[128];
	assert_true(resp_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/account/password");
	resp_free(&r);
	assert_int_equal(api(c, "GET", "/api/v1/assessments", NULL, &r), 403);
	assert_string_equal(error_code(&r), "password_change_required");
	resp_free(&r);
	struct client *t = client_new(&srv);
	assert_int_equal(client_token(t, "admin", pw, NULL, 0), 403);
	client_free(t);
	assert_int_equal(get(c, "/account/password", &r), 200);
	assert_non_null(strstr(r.body, "one-time password"));
	resp_free(&r);

	char form[512];
	snprintf(form, sizeof(form), "current_password=%s&new_password=short&confirm_password=short", urlenc(pw));
	assert_int_equal(post(c, "/account/password", form, &r), 422);
	assert_non_null(strstr(r.body, "at least 12 characters"));
	resp_free(&r);
	snprintf(form, sizeof(form), "current_password=%s&new_password=%s&confirm_password=%s", urlenc(pw),
		 urlenc("first admin password"), urlenc("first admin passwort"));
	assert_int_equal(post(c, "/account/password", form, &r), 422);
	resp_free(&r);
	snprintf(form, sizeof(form), "current_password=%s&new_password=%s&confirm_password=%s",
		 urlenc("not the current one"), urlenc("first admin password"), urlenc("first admin password"));
	assert_int_equal(post(c, "/account/password", form, &r), 422);
	resp_free(&r);
	snprintf(form, sizeof(form), "current_password=%s&new_password=%s&confirm_password=%s", urlenc(pw),
		 urlenc("first admin password"), urlenc("first admin password"));
	assert_int_equal(post(c, "/account/password", form, &r), 303);
	resp_free(&r);
	assert_int_equal(get(c, "/admin/users", &r), 200);
	assert_non_null(strstr(r.body, ">admin</a>"));
	resp_free(&r);
	assert_int_equal(audit_count("password_changed", id, id), 1);
	client_free(c);
	assert_int_equal(login_status("admin", pw), 422);
	assert_int_equal(login_status("admin", "first admin password"), 303);
}

static void test_admin_manages_accounts(void **state)
{
	struct client *boss = signed_in("boss");
	struct resp r;
	/* only administrators reach the pages */
	struct client *rita = signed_in("rita");
	assert_int_equal(get(rita, "/admin/users", &r), 403);
	resp_free(&r);
	client_free(rita);

	/* bad input is refused with the reason, nothing created */
	static const struct {
		const char *form;
		long status;
		const char *message;
	} bad[] = {
		{"username=x&role=official&country=KEN", 422, "2 to 63 characters"},
		{"username=bad%20name&role=official&country=KEN", 422, "2 to 63 characters"},
		{"username=newbie&role=official", 422, "belong to a country"},
		{"username=newbie&role=official&country=XXX", 422, "not an ISO 3166"},
		{"username=newbie&role=reviewer&country=KEN", 422, "give no country"},
		{"username=newbie&role=observer&country=KEN&focal_point=1", 422, "Only an official"},
		{"username=newbie&role=superuser", 422, "The role must be"},
		{"username=Otto&role=official&country=KEN", 409, "already an account"},
	};
	long long users_before = testsrv_query_int(&srv, "SELECT count(*) FROM users");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(post(boss, "/admin/users", bad[i].form, &r), bad[i].status);
		if (!strstr(r.body, bad[i].message))
			fail_msg("%s: no \"%s\" in the page", bad[i].form, bad[i].message);
		resp_free(&r);
	}
	assert_int_equal(testsrv_query_int(&srv, "SELECT count(*) FROM users"), users_before);

	/* create: the one-time password is shown once */
	assert_int_equal(post(boss, "/admin/users", "username=newbie&role=official&country=ken&focal_point=1", &r), 201);
	char pw[64];
	shown_password(r.body, pw, sizeof(pw));
	resp_free(&r);
	long long id = testsrv_query_int(&srv, "SELECT id FROM users WHERE username = 'newbie' AND country = 'KEN'"
					       " AND focal_point = 1 AND must_change = 1");
	assert_true(id > 0);
	assert_int_equal(audit_count("user_created", id_admin, id), 1);
	struct client *newbie = client_new(&srv);
	assert_int_equal(client_login(newbie, "newbie", pw), 303);
	assert_int_equal(get(newbie, "/assessments", &r), 303); /* must choose a password first */
	resp_free(&r);
	char path[96], form[512];
	snprintf(form, sizeof(form), "current_password=%s&new_password=%s&confirm_password=%s", urlenc(pw),
		 urlenc(TESTSRV_PASSWORD), urlenc(TESTSRV_PASSWORD));
	assert_int_equal(post(newbie, "/account/password", form, &r), 303);
	resp_free(&r);
	assert_int_equal(get(newbie, "/assessments", &r), 200);
	resp_free(&r);

	/* change the role: the account's next request already has the new rights */
	snprintf(path, sizeof(path), "/admin/users/%lld", id);
	assert_int_equal(get(boss, path, &r), 200);
	assert_non_null(strstr(r.body, "<h1>newbie</h1>"));
	resp_free(&r);
	assert_int_equal(post(boss, path, "role=observer&country=KEN", &r), 303);
	resp_free(&r);
	assert_int_equal(audit_count("user_updated", id_admin, id), 1);
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT old || ' ' || new FROM audit WHERE kind = 'user_updated' AND target = 'user:%lld'",
		 id);
	char *change = testsrv_query_text(&srv, sql);
	assert_non_null(change);
	assert_non_null(strstr(change, "\"role\":\"official\""));
	assert_non_null(strstr(change, "\"role\":\"observer\""));
	free(change);
	assert_int_equal(api(newbie, "POST", "/api/v1/assessments", "{\"country\":\"KEN\",\"round\":2060}", &r), 403);
	resp_free(&r);
	assert_int_equal(post(boss, path, "role=observer&country=KEN&focal_point=1", &r), 422);
	resp_free(&r);

	/* disable: sessions and tokens end, signing in is refused; re-enable */
	struct client *script = token_client("newbie");
	snprintf(path, sizeof(path), "/admin/users/%lld/disable", id);
	assert_int_equal(post(boss, path, "", &r), 303);
	resp_free(&r);
	assert_int_equal(audit_count("user_disabled", id_admin, id), 1);
	assert_int_equal(get(newbie, "/assessments", &r), 303);
	resp_free(&r);
	assert_int_equal(get(script, "/api/v1/assessments", &r), 401);
	resp_free(&r);
	assert_int_equal(login_status("newbie", TESTSRV_PASSWORD), 403);
	snprintf(path, sizeof(path), "/admin/users/%lld/enable", id);
	assert_int_equal(post(boss, path, "", &r), 303);
	resp_free(&r);
	assert_int_equal(audit_count("user_enabled", id_admin, id), 1);
	assert_int_equal(login_status("newbie", TESTSRV_PASSWORD), 303);

	/* reset the password: a new one-time password; the old password and its sessions end */
	assert_int_equal(client_login(newbie, "newbie", TESTSRV_PASSWORD), 303);
	snprintf(path, sizeof(path), "/admin/users/%lld/password", id);
	assert_int_equal(post(boss, path, "", &r), 200);
	char pw2[64];
	shown_password(r.body, pw2, sizeof(pw2));
	assert_string_not_equal(pw, pw2);
	resp_free(&r);
	assert_int_equal(audit_count("user_password_reset", id_admin, id), 1);
	assert_int_equal(get(newbie, "/account/password", &r), 303);
	resp_free(&r);
	assert_int_equal(login_status("newbie", TESTSRV_PASSWORD), 422);
	assert_int_equal(login_status("newbie", pw2), 303);

	/* an administrator cannot lock themselves out, nor remove the last administrator */
	snprintf(path, sizeof(path), "/admin/users/%lld/disable", id_admin);
	assert_int_equal(post(boss, path, "", &r), 409);
	resp_free(&r);
	long long first = testsrv_query_int(&srv, "SELECT id FROM users WHERE username = 'admin'");
	snprintf(path, sizeof(path), "/admin/users/%lld/disable", first);
	assert_int_equal(post(boss, path, "", &r), 303);
	resp_free(&r);
	snprintf(path, sizeof(path), "/admin/users/%lld", id_admin);
	assert_int_equal(post(boss, path, "role=reviewer", &r), 409);
	assert_non_null(strstr(r.body, "last active administrator"));
	resp_free(&r);
	snprintf(path, sizeof(path), "/admin/users/%lld/enable", first);
	assert_int_equal(post(boss, path, "", &r), 303);
	resp_free(&r);

	/* no password ever reaches the audit trail */
	char sql2[512];
	snprintf(sql2, sizeof(sql2), "SELECT count(*) FROM audit WHERE instr(coalesce(old, '') || coalesce(new, ''), '%s')"
		 " OR instr(coalesce(old, '') || coalesce(new, ''), '%s') OR instr(coalesce(old, '') || coalesce(new, ''), '%s')",
		 pw, pw2, TESTSRV_PASSWORD);
	assert_int_equal(testsrv_query_int(&srv, sql2), 0);
	client_free(script);
	client_free(newbie);
	client_free(boss);
}

/* ---- the command line ---------------------------------------------------- */

/* Runs `somguide user add ARGS` with input on stdin; returns the exit status and
 * what it wrote (stdout and stderr) into out. */
static int user_add(const char *args, const char *input, char *out, size_t n)
{
	char cmd[1024], log[160];
	snprintf(log, sizeof(log), "%s/user-add.out", srv.dir);
	snprintf(cmd, sizeof(cmd), "%s user add %s --db %s > %s 2>&1", somguide_bin(), args, srv.db_path, log);
	FILE *p = popen(cmd, "w");
	assert_non_null(p);
	fputs(input, p);
	int status = pclose(p);
	FILE *f = fopen(log, "r");
	size_t got = f ? fread(out, 1, n - 1, f) : 0;
	out[got] = '\0';
	if (f)
		fclose(f);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_user_add_command(void **state)
{
	char out[2048];
	assert_int_equal(user_add("--username cli-official --role official --country ken --focal-point",
				  "a password from stdin\n", out, sizeof(out)),
			 0);
	assert_non_null(strstr(out, "created official 'cli-official' (KEN, focal point)"));
	assert_null(strstr(out, "a password from stdin"));
	assert_int_equal(login_status("cli-official", "a password from stdin"), 303);
	assert_int_equal(testsrv_query_int(&srv, "SELECT focal_point FROM users WHERE username = 'cli-official'"), 1);
	assert_int_equal(testsrv_query_int(&srv, "SELECT count(*) FROM audit WHERE kind = 'user_created'"
						 " AND user_id IS NULL AND new LIKE '%cli-official%'"),
			 1);
	/* the password is argon2id, not the text */
	char *hash = testsrv_query_text(&srv, "SELECT password_hash FROM users WHERE username = 'cli-official'");
	assert_non_null(hash);
	assert_int_equal(strncmp(hash, "$argon2id$", 10), 0);
	free(hash);
	/* a line end of either kind, and a reviewer without a country */
	assert_int_equal(user_add("--username cli-reviewer --role reviewer", "windows line end\r\n", out, sizeof(out)), 0);
	assert_int_equal(login_status("cli-reviewer", "windows line end"), 303);

	static const struct {
		const char *args, *input;
		int status;
		const char *message;
	} bad[] = {
		{"--username cli-x --role official --country KEN", "too short\n", 2, "at least 12 characters"},
		{"--username cli-x --role official", "long enough password\n", 2, "belong to a country"},
		{"--username cli-x --role official --country XYZ", "long enough password\n", 2, "not an ISO 3166"},
		{"--username cli-x --role reviewer --country KEN", "long enough password\n", 2, "give no country"},
		{"--username cli-x --role observer --country KEN --focal-point", "long enough password\n", 2,
		 "Only an official"},
		{"--username cli-x --role king", "long enough password\n", 2, "The role must be"},
		{"--username cli-x", "long enough password\n", 2, "needs --username and --role"},
		{"--username cli-x --role reviewer", "", 2, "standard input"},
		{"--username cli-official --role official --country KEN", "long enough password\n", 1, "already an account"},
		{"--username cli-x --role reviewer --bogus", "long enough password\n", 2, "unknown option"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int st = user_add(bad[i].args, bad[i].input, out, sizeof(out));
		if (st != bad[i].status || !strstr(out, bad[i].message))
			fail_msg("user add %s: exit %d, output: %s", bad[i].args, st, out);
		assert_null(strstr(out, "long enough password"));
	}
	assert_int_equal(testsrv_query_int(&srv, "SELECT count(*) FROM users WHERE username = 'cli-x'"), 0);
	/* --help */
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "%s user add --help | grep -q -- '--focal-point'", somguide_bin());
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s --help | grep -q 'user add'", somguide_bin());
	assert_int_equal(system(cmd), 0);
}

/* Starts the binary on a database; returns its pid and a stream of its stdout. */
static pid_t serve(const char *db, FILE **out)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execl(somguide_bin(), "somguide", "serve", "--port", "0", "--db", db, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	*out = fdopen(fds[0], "r");
	return pid;
}

static void stop(pid_t pid, FILE *out, char *rest, size_t n)
{
	kill(pid, SIGTERM);
	size_t got = fread(rest, 1, n - 1, out);
	rest[got] = '\0';
	fclose(out);
	int status;
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_first_start_prints_administrator(void **state)
{
	char db[160], line[256], rest[4096];
	snprintf(db, sizeof(db), "%s/first-start.db", srv.dir);
	FILE *out;
	pid_t pid = serve(db, &out);
	assert_non_null(fgets(line, sizeof(line), out));
	int port = 0;
	assert_int_equal(sscanf(line, "listening on http://127.0.0.1:%d", &port), 1);
	assert_non_null(fgets(line, sizeof(line), out));
	char pw[64] = "";
	assert_int_equal(sscanf(line, "created administrator 'admin' with one-time password: %63s", pw), 1);
	assert_true(strlen(pw) >= 12);

	struct testsrv there;
	memset(&there, 0, sizeof(there));
	snprintf(there.base, sizeof(there.base), "http://127.0.0.1:%d", port);
	struct client *c = client_new(&there);
	assert_int_equal(client_login(c, "admin", pw), 303);
	struct resp r;
	assert_int_equal(get(c, "/account/password", &r), 200);
	resp_free(&r);
	client_free(c);
	stop(pid, out, rest, sizeof(rest));
	assert_null(strstr(rest, pw));

	/* the next start prints no password: the account exists */
	pid = serve(db, &out);
	assert_non_null(fgets(line, sizeof(line), out));
	assert_non_null(strstr(line, "listening on"));
	stop(pid, out, rest, sizeof(rest));
	assert_null(strstr(rest, "one-time password"));
}

/* ---- the pages are well-formed ---------------------------------------- */

static void check_html(const char *what, const struct resp *r)
{
	char err[256];
	if (html_check(r->body, r->len, err, sizeof(err)) != 0)
		fail_msg("%s: %s", what, err);
}

static void test_pages_are_well_formed(void **state)
{
	struct client *anon = client_new(&srv), *boss = signed_in("boss"), *fatima = signed_in("fatima");
	struct resp r;
	assert_int_equal(get(anon, "/login?next=%2Fassessments", &r), 200);
	check_html("login", &r);
	char form[256];
	snprintf(form, sizeof(form), "csrf_token=%s&username=%s&password=x", find_csrf(r.body), urlenc("<b>&"));
	resp_free(&r);
	assert_int_equal(client_post_form(anon, "/login", form, &r), 0);
	assert_int_equal(r.status, 422);
	check_html("login with an error", &r);
	assert_non_null(strstr(r.body, "value=\"&lt;b&gt;&amp;\""));
	resp_free(&r);
	assert_int_equal(get(fatima, "/account/password", &r), 200);
	check_html("password", &r);
	resp_free(&r);
	assert_int_equal(post(fatima, "/account/password", "current_password=x&new_password=y&confirm_password=z", &r),
			 422);
	check_html("password with errors", &r);
	resp_free(&r);
	assert_int_equal(get(boss, "/admin/users", &r), 200);
	check_html("accounts", &r);
	resp_free(&r);
	assert_int_equal(post(boss, "/admin/users", "username=%3Cwell%3E&role=official&country=KEN", &r), 422);
	check_html("accounts with an error", &r);
	assert_non_null(strstr(r.body, "&lt;well&gt;"));
	resp_free(&r);
	char path[64];
	snprintf(path, sizeof(path), "/admin/users/%lld", id_focal);
	assert_int_equal(get(boss, path, &r), 200);
	check_html("account", &r);
	resp_free(&r);
	assert_int_equal(post(boss, "/admin/users", "username=formed&role=reviewer", &r), 201);
	check_html("one-time password", &r);
	resp_free(&r);
	assert_int_equal(post(fatima, "/assessments", "country=KEN&round=2070", &r), 303);
	char loc[128];
	assert_true(resp_header(&r, "Location", loc, sizeof(loc)));
	resp_free(&r);
	assert_int_equal(get(fatima, loc, &r), 200);
	assert_non_null(strstr(r.body, "Submit to UNODC"));
	check_html("overview with the workflow buttons", &r);
	resp_free(&r);
	client_free(anon);
	client_free(boss);
	client_free(fatima);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_login_and_logout, clean),
		cmocka_unit_test_setup(test_login_goes_back, clean),
		cmocka_unit_test_setup(test_csrf_refusal, clean),
		cmocka_unit_test_setup(test_throttling_per_account, clean),
		cmocka_unit_test_setup(test_throttling_per_address, clean),
		cmocka_unit_test_setup(test_session_timeouts, clean),
		cmocka_unit_test_setup(test_api_tokens, clean),
		cmocka_unit_test_setup(test_lifecycle_api, clean),
		cmocka_unit_test_setup(test_lifecycle_pages, clean),
		cmocka_unit_test_setup(test_first_administrator, clean),
		cmocka_unit_test_setup(test_admin_manages_accounts, clean),
		cmocka_unit_test_setup(test_user_add_command, clean),
		cmocka_unit_test_setup(test_first_start_prints_administrator, clean),
		cmocka_unit_test_setup(test_pages_are_well_formed, clean),
	};
	return cmocka_run_group_tests_name("auth", tests, setup, teardown);
}
