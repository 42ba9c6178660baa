/* testsrv.h - integration-test support: a real server on port 0 with a temporary
 * SQLite file, and a libcurl client that keeps cookies. */
#ifndef SOMGUIDE_TESTSRV_H
#define SOMGUIDE_TESTSRV_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "app.h"

struct testsrv {
	struct app app;
	char dir[64];        /* temporary folder holding the database */
	char db_path[128];
	char base[64];       /* http://127.0.0.1:PORT */
};

/* Starts a server with guide_path (NULL: the fixture guide) and the repository's
 * archive of guides (schema/guides). Returns 0 or -1. */
int testsrv_start(struct testsrv *s, const char *guide_path);
/* The same with a folder of archived guides (NULL: schema/guides). */
int testsrv_start_cfg(struct testsrv *s, const char *guide_path, const char *guides_dir);
/* Stops the server and starts it again on the same database (and folder) with
 * the guides given, as a new release would: the port changes, so make new
 * clients. Returns 0, or -1 when the server does not start (it is then stopped;
 * testsrv_stop still removes the folder). */
int testsrv_restart(struct testsrv *s, const char *guide_path, const char *guides_dir);
void testsrv_stop(struct testsrv *s);

struct resp {
	long status;
	char *body;
	size_t len;
	char *headers;       /* raw header block */
	json_t *json;        /* parsed body when it is JSON, else NULL */
};

void resp_free(struct resp *r);
/* Value of a response header (case-insensitive name) into buf; false if absent. */
bool resp_header(const struct resp *r, const char *name, char *buf, size_t n);

struct client;
struct client *client_new(const struct testsrv *s);
void client_free(struct client *c);
/* Makes c connect from another loopback address (e.g. "127.0.0.2"), as another
 * client machine would. */
void client_source(struct client *c, const char *addr);
/* Adds a request header for every later request ("Name: value"). */
void client_header(struct client *c, const char *line);

/* Each returns 0 when the transfer happened (whatever the status) and fills *out. */
int client_get(struct client *c, const char *path, struct resp *out);
/* extra_header may be NULL. */
int client_request(struct client *c, const char *method, const char *path, const char *content_type,
		   const char *body, size_t len, const char *extra_header, struct resp *out);
int client_post_form(struct client *c, const char *path, const char *form, struct resp *out);
int client_json(struct client *c, const char *method, const char *path, const char *json, struct resp *out);

/* For tests (these assert through CMocka, so a failure names the request):
 * a client of account name signed in with an API token / through the login form,
 * and a JSON request whose status must be `status` (response left in *r, or
 * dropped). */
struct client *testsrv_api(const struct testsrv *s, const char *name);
struct client *testsrv_browser(const struct testsrv *s, const char *name);
void client_expect(struct client *c, const char *method, const char *path, const char *body, long status,
		   struct resp *r);
void client_expect0(struct client *c, const char *method, const char *path, const char *body, long status);

/* The somguide binary under test: $SOMGUIDE_BIN (set by make test / make check), else
 * ./build/somguide. */
const char *somguide_bin(void);

/* ---- accounts ----
 * Every account made by testsrv_add_user has the password TESTSRV_PASSWORD; the
 * test server hashes passwords with libsodium's minimum limits, so signing in is
 * fast. testsrv_start also leaves the bootstrap administrator "admin" (with a
 * one-time password in s->app.bootstrap_password), as a first start does. */
#define TESTSRV_PASSWORD "correct horse battery staple"

/* Creates an account directly in the test database (country NULL for admins and
 * reviewers). Returns its id; fails the process on error. */
long long testsrv_add_user(struct testsrv *s, const char *name, const char *role, const char *country, bool focal);
/* Runs SQL on the test database through a connection of its own, e.g. to age a
 * session ("UPDATE sessions SET last_seen = last_seen - 9000"). 0 or -1. */
int testsrv_exec(struct testsrv *s, const char *sql);
/* The first column of the first row of a query as an integer (-1 when there is no
 * row) or as a new string (NULL when none; the caller frees). */
long long testsrv_query_int(struct testsrv *s, const char *sql);
char *testsrv_query_text(struct testsrv *s, const char *sql);

/* Signs c in through the login form (GET /login, then POST /login with the form's
 * csrf_token) and remembers the session's CSRF token. Returns the status of the
 * POST: 303 on success. */
long client_login(struct client *c, const char *name, const char *password);
/* The CSRF token of c's session after client_login ("" before), for forms
 * (csrf_token=...) and API writes (X-CSRF-Token: ...). */
const char *client_csrf(const struct client *c);
/* Asks for an API token (POST /api/v1/tokens) and, on success, sends it as
 * "Authorization: Bearer TOKEN" on every later request of c. Returns the status
 * (201 on success); the token is copied to token[n] when token is not NULL. */
long client_token(struct client *c, const char *name, const char *password, char *token, size_t n);
/* The Set-Cookie header that sets cookie name (the whole line after "Set-Cookie: ")
 * into buf; false when the response sets no such cookie. */
bool resp_set_cookie(const struct resp *r, const char *name, char *buf, size_t n);

/* The csrf_token value found in an HTML page (static buffer), or "" when none. */
const char *find_csrf(const char *html);

/* Percent-encodes s for a form body (static rotating buffers: use at once). */
const char *urlenc(const char *s);

#endif
