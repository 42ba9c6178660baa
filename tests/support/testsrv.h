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

/* Starts a server with guide_path (NULL: the fixture guide). Returns 0 or -1. */
int testsrv_start(struct testsrv *s, const char *guide_path);
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
/* Adds a request header for every later request ("Name: value"). */
void client_header(struct client *c, const char *line);

/* Each returns 0 when the transfer happened (whatever the status) and fills *out. */
int client_get(struct client *c, const char *path, struct resp *out);
/* extra_header may be NULL. */
int client_request(struct client *c, const char *method, const char *path, const char *content_type,
		   const char *body, size_t len, const char *extra_header, struct resp *out);
int client_post_form(struct client *c, const char *path, const char *form, struct resp *out);
int client_json(struct client *c, const char *method, const char *path, const char *json, struct resp *out);

/* The somguide binary under test: $SOMGUIDE_BIN (set by make test / make check), else
 * ./build/somguide. */
const char *somguide_bin(void);

/* The csrf_token value found in an HTML page (static buffer), or "" when none. */
const char *find_csrf(const char *html);

/* Percent-encodes s for a form body (static rotating buffers: use at once). */
const char *urlenc(const char *s);

#endif
