/* testsrv.c - see testsrv.h. */
#include "testsrv.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>

#include "auth.h"
#include "db.h"
#include "db_users.h"
#include "log.h"

/* Starts the server on s->db_path. */
static int start(struct testsrv *s, const char *guide_path, const char *guides_dir)
{
	struct app_config cfg = {
		.bind = "127.0.0.1",
		.port = 0,
		.db_path = s->db_path,
		.guide_path = guide_path ? guide_path : "tests/fixtures/guide-small.json",
		.guides_dir = guides_dir,
		.root = ".",
		.threads = 2,
		.max_body = 256 * 1024,
		.max_upload = 2 * 1024 * 1024,
		.fast_pwhash = true,
	};
	log_set_level(getenv("TEST_VERBOSE") ? LOG_DEBUG : LOG_QUIET);
	if (app_start(&s->app, &cfg) != 0)
		return -1;
	snprintf(s->base, sizeof(s->base), "http://127.0.0.1:%u", s->app.port);
	return 0;
}

int testsrv_start_cfg(struct testsrv *s, const char *guide_path, const char *guides_dir)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "/tmp/somguide-test-XXXXXX");
	if (!mkdtemp(s->dir))
		return -1;
	snprintf(s->db_path, sizeof(s->db_path), "%s/test.db", s->dir);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	return start(s, guide_path, guides_dir);
}

int testsrv_start(struct testsrv *s, const char *guide_path)
{
	return testsrv_start_cfg(s, guide_path, NULL);
}

int testsrv_restart(struct testsrv *s, const char *guide_path, const char *guides_dir)
{
	app_stop(&s->app);
	s->base[0] = '\0';
	return start(s, guide_path, guides_dir);
}

void testsrv_stop(struct testsrv *s)
{
	app_stop(&s->app);
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", s->dir);
}

void resp_free(struct resp *r)
{
	free(r->body);
	free(r->headers);
	json_decref(r->json);
	memset(r, 0, sizeof(*r));
}

bool resp_header(const struct resp *r, const char *name, char *buf, size_t n)
{
	size_t nl = strlen(name);
	const char *p = r->headers;
	while (p && *p) {
		const char *eol = strstr(p, "\r\n");
		if (!eol)
			eol = p + strlen(p);
		if ((size_t)(eol - p) > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1;
			while (*v == ' ')
				v++;
			snprintf(buf, n, "%.*s", (int)(eol - v), v);
			return true;
		}
		p = *eol ? eol + 2 : eol;
	}
	return false;
}

struct client {
	CURL *h;
	char base[64];
	struct curl_slist *headers;
	char csrf[80];       /* the session's CSRF token, after client_login */
};

struct client *client_new(const struct testsrv *s)
{
	struct client *c = calloc(1, sizeof(*c));
	c->h = curl_easy_init();
	snprintf(c->base, sizeof(c->base), "%s", s->base);
	curl_easy_setopt(c->h, CURLOPT_COOKIEFILE, ""); /* keep cookies in memory */
	return c;
}

void client_free(struct client *c)
{
	if (!c)
		return;
	curl_slist_free_all(c->headers);
	curl_easy_cleanup(c->h);
	free(c);
}

void client_source(struct client *c, const char *addr)
{
	curl_easy_setopt(c->h, CURLOPT_INTERFACE, addr);
}

void client_header(struct client *c, const char *line)
{
	c->headers = curl_slist_append(c->headers, line);
}

struct buf {
	char *p;
	size_t len;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct buf *b = ud;
	size_t n = size * nmemb;
	b->p = realloc(b->p, b->len + n + 1);
	memcpy(b->p + b->len, ptr, n);
	b->len += n;
	b->p[b->len] = '\0';
	return n;
}

int client_request(struct client *c, const char *method, const char *path, const char *content_type,
		   const char *body, size_t len, const char *extra_header, struct resp *out)
{
	memset(out, 0, sizeof(*out));
	char url[2048];
	snprintf(url, sizeof(url), "%s%s", c->base, path);
	struct buf b = {calloc(1, 1), 0}, h = {calloc(1, 1), 0};
	CURL *e = c->h;
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_data);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, &h);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, 30L);
	struct curl_slist *hdrs = NULL;
	for (struct curl_slist *p = c->headers; p; p = p->next)
		hdrs = curl_slist_append(hdrs, p->data);
	char ct[160];
	if (content_type) {
		snprintf(ct, sizeof(ct), "Content-Type: %s", content_type);
		hdrs = curl_slist_append(hdrs, ct);
	}
	if (extra_header)
		hdrs = curl_slist_append(hdrs, extra_header);
	hdrs = curl_slist_append(hdrs, "Expect:");
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdrs);
	if (strcmp(method, "GET") == 0) {
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, NULL);
	} else {
		curl_easy_setopt(e, CURLOPT_POST, 1L);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, body ? body : "");
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(body ? len : 0));
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, strcmp(method, "POST") == 0 ? NULL : method);
	}
	CURLcode rc = curl_easy_perform(e);
	curl_slist_free_all(hdrs);
	if (rc != CURLE_OK) {
		fprintf(stderr, "curl %s %s: %s\n", method, path, curl_easy_strerror(rc));
		free(b.p);
		free(h.p);
		return -1;
	}
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &out->status);
	out->body = b.p;
	out->len = b.len;
	out->headers = h.p;
	char type[128];
	if (resp_header(out, "Content-Type", type, sizeof(type)) && strstr(type, "json"))
		out->json = json_loadb(b.p, b.len, 0, NULL);
	return 0;
}

int client_get(struct client *c, const char *path, struct resp *out)
{
	return client_request(c, "GET", path, NULL, NULL, 0, NULL, out);
}

int client_post_form(struct client *c, const char *path, const char *form, struct resp *out)
{
	return client_request(c, "POST", path, "application/x-www-form-urlencoded", form, strlen(form), NULL, out);
}

int client_json(struct client *c, const char *method, const char *path, const char *json, struct resp *out)
{
	return client_request(c, method, path, json ? "application/json" : NULL, json, json ? strlen(json) : 0, NULL,
			      out);
}

const char *find_csrf(const char *html)
{
	static char tok[128];
	tok[0] = '\0';
	const char *p = html ? strstr(html, "name=\"csrf_token\" value=\"") : NULL;
	if (!p)
		return tok;
	p += strlen("name=\"csrf_token\" value=\"");
	size_t n = strcspn(p, "\"");
	if (n >= sizeof(tok))
		n = sizeof(tok) - 1;
	memcpy(tok, p, n);
	tok[n] = '\0';
	return tok;
}

const char *urlenc(const char *s)
{
	static char bufs[4][4096];
	static int k;
	char *out = bufs[k++ & 3];
	size_t o = 0;
	for (; *s && o + 4 < sizeof(bufs[0]); s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
		    ch == '_' || ch == '.')
			out[o++] = (char)ch;
		else
			o += (size_t)snprintf(out + o, 4, "%%%02X", ch);
	}
	out[o] = '\0';
	return out;
}

const char *somguide_bin(void)
{
	const char *b = getenv("SOMGUIDE_BIN");
	return b && *b ? b : "./build/somguide";
}

/* ---- accounts ----------------------------------------------------------- */

long long testsrv_add_user(struct testsrv *s, const char *name, const char *role, const char *country, bool focal)
{
	char hash[AUTH_HASH_MAX];
	if (auth_password_hash(TESTSRV_PASSWORD, true, hash) != 0)
		abort();
	struct db *db = db_open(s->db_path);
	if (!db)
		abort();
	long long id = db_user_create(db, name, hash, role, country, focal, false);
	db_close(db);
	if (id <= 0) {
		fprintf(stderr, "testsrv_add_user %s: cannot create the account\n", name);
		abort();
	}
	return id;
}

int testsrv_exec(struct testsrv *s, const char *sql)
{
	sqlite3 *h = NULL;
	int rc = sqlite3_open(s->db_path, &h);
	char *err = NULL;
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(h, 5000);
		/* test fixtures need no durability; the server's own writes keep theirs */
		sqlite3_exec(h, "PRAGMA synchronous=OFF", NULL, NULL, NULL);
		rc = sqlite3_exec(h, sql, NULL, NULL, &err);
	}
	if (rc != SQLITE_OK)
		fprintf(stderr, "testsrv_exec: %s: %s\n", sql, err ? err : sqlite3_errmsg(h));
	sqlite3_free(err);
	sqlite3_close(h);
	return rc == SQLITE_OK ? 0 : -1;
}

/* Runs a query and hands its first value to the caller as text (NULL: no row). */
static char *query_first(struct testsrv *s, const char *sql)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	char *out = NULL;
	if (sqlite3_open(s->db_path, &h) == SQLITE_OK && sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_busy_timeout(h, 5000);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
			out = strdup((const char *)sqlite3_column_text(st, 0));
	} else {
		fprintf(stderr, "testsrv query: %s: %s\n", sql, sqlite3_errmsg(h));
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	return out;
}

long long testsrv_query_int(struct testsrv *s, const char *sql)
{
	char *v = query_first(s, sql);
	long long n = v ? strtoll(v, NULL, 10) : -1;
	free(v);
	return n;
}

char *testsrv_query_text(struct testsrv *s, const char *sql)
{
	return query_first(s, sql);
}

long client_login(struct client *c, const char *name, const char *password)
{
	struct resp r;
	c->csrf[0] = '\0';
	if (client_get(c, "/login", &r) != 0)
		return -1;
	char form[1024];
	snprintf(form, sizeof(form), "csrf_token=%s&username=%s&password=%s", find_csrf(r.body), urlenc(name),
		 urlenc(password));
	resp_free(&r);
	if (client_post_form(c, "/login", form, &r) != 0)
		return -1;
	long status = r.status;
	resp_free(&r);
	if (status != 303)
		return status;
	/* the session's token, from a page every signed-in account may open */
	if (client_get(c, "/account/password", &r) != 0)
		return -1;
	snprintf(c->csrf, sizeof(c->csrf), "%s", find_csrf(r.body));
	resp_free(&r);
	return status;
}

const char *client_csrf(const struct client *c)
{
	return c->csrf;
}

long client_token(struct client *c, const char *name, const char *password, char *token, size_t n)
{
	json_t *body = json_pack("{s:s, s:s}", "username", name, "password", password);
	char *s = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	struct resp r;
	int rc = client_json(c, "POST", "/api/v1/tokens", s, &r);
	free(s);
	if (rc != 0)
		return -1;
	long status = r.status;
	const char *t = json_string_value(json_object_get(r.json, "token"));
	if (status == 201 && t) {
		char line[160];
		snprintf(line, sizeof(line), "Authorization: Bearer %s", t);
		client_header(c, line);
		if (token)
			snprintf(token, n, "%s", t);
	}
	resp_free(&r);
	return status;
}

bool resp_set_cookie(const struct resp *r, const char *name, char *buf, size_t n)
{
	size_t nl = strlen(name);
	const char *p = r->headers;
	while (p && *p) {
		const char *eol = strstr(p, "\r\n");
		if (!eol)
			eol = p + strlen(p);
		if (strncasecmp(p, "Set-Cookie:", 11) == 0) {
			const char *v = p + 11;
			while (*v == ' ')
				v++;
			if (strncmp(v, name, nl) == 0 && v[nl] == '=') {
				snprintf(buf, n, "%.*s", (int)(eol - v), v);
				return true;
			}
		}
		p = *eol ? eol + 2 : eol;
	}
	return false;
}

struct client *testsrv_api(const struct testsrv *s, const char *name)
{
	struct client *c = client_new(s);
	assert_int_equal(client_token(c, name, TESTSRV_PASSWORD, NULL, 0), 201);
	return c;
}

struct client *testsrv_browser(const struct testsrv *s, const char *name)
{
	struct client *c = client_new(s);
	assert_int_equal(client_login(c, name, TESTSRV_PASSWORD), 303);
	return c;
}

void client_expect(struct client *c, const char *method, const char *path, const char *body, long status,
		   struct resp *r)
{
	assert_int_equal(client_json(c, method, path, body, r), 0);
	if (r->status != status)
		fail_msg("%s %s: %ld, expected %ld: %.400s", method, path, r->status, status, r->body);
}

void client_expect0(struct client *c, const char *method, const char *path, const char *body, long status)
{
	struct resp r;
	client_expect(c, method, path, body, status, &r);
	resp_free(&r);
}
