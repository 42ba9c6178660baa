/* http.h - the request as handlers see it, and the helpers they answer with.
 *
 * http.c is the only code that speaks libmicrohttpd. It builds a struct req,
 * collects and bounds the body, finds the route, runs the route's declared checks
 * once, calls the handler, then renders what the handler left in the req (a view
 * through a template, a JSON document, a redirect, raw bytes or an error) and adds
 * the security headers. Handlers never queue responses. Everything request-scoped
 * hangs off struct req and is freed in one place when the request completes. */
#ifndef SOMGUIDE_HTTP_H
#define SOMGUIDE_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "strbuf.h"

struct app;
struct db;
struct route;
struct MHD_Connection;
struct MHD_PostProcessor;

#define REQ_MAX_PARAMS 4
#define REQ_MAX_HEADERS 8

struct form_field {
	char *name;
	char *value;          /* NUL-terminated; len bytes (may hold NULs for files) */
	size_t len;
	size_t cap;           /* bytes allocated for value */
	char *filename;       /* multipart file parts only */
	char *content_type;   /* multipart parts only */
};

/* The signed-in account, when there is one (filled by the auth check). */
struct user {
	long long id;
	char username[64];
	char role[16];        /* admin, reviewer, official, observer */
	char country[4];      /* ISO3 or "" */
	bool focal_point;
	bool must_change;     /* signed in with a one-time password */
};

/* Writes the next piece of a streamed body into out (empty on entry): 1 when more
 * follows, 0 after the last piece, -1 on an error (see req_stream). */
typedef int (*req_stream_fn)(void *ctx, struct strbuf *out);

struct req {
	struct app *app;
	struct MHD_Connection *conn;
	const char *method;   /* borrowed from libmicrohttpd */
	const char *path;
	const struct route *route;
	char *params[REQ_MAX_PARAMS];
	size_t n_params;

	/* body */
	struct MHD_PostProcessor *pp;
	struct strbuf body;   /* JSON or raw bodies */
	bool body_json;
	size_t body_limit;    /* max_body, or max_upload on R_UPLOAD routes */
	bool too_large;
	bool bad_body;
	char bad_body_msg[128];
	struct form_field *fields;
	size_t n_fields, fields_alloc;
	size_t form_bytes;
	json_t *json;         /* parsed JSON body (owned) */

	/* the caller */
	struct db *db;
	struct user *user;    /* NULL: nobody signed in */
	bool via_token;       /* authenticated with a bearer token */
	char session_hash[65];/* hex sha256 of the session id, "" when none */
	char csrf[65];        /* token expected in forms for this browser (hex) */
	char *new_cookie;     /* Set-Cookie to send (owned) */

	/* the response, filled by the handler */
	int status;
	const char *tmpl;
	json_t *view;         /* owned */
	json_t *out;          /* owned; API documents */
	char *location;       /* owned; redirects */
	const char *err_code;
	char err_msg[256];
	json_t *err_details;  /* owned */
	void *raw;            /* owned unless raw_borrowed */
	size_t raw_len;
	bool raw_borrowed;
	const char *raw_type;
	bool no_compress;     /* the handler chose the encoding (static files) */
	char *raw_disposition;/* owned */
	req_stream_fn stream_fill; /* req_stream: the body, written after the handler */
	void (*stream_free)(void *ctx);
	void *stream_ctx;     /* owned until http.c hands it to the response */
	char *headers[REQ_MAX_HEADERS][2];
	size_t n_headers;
};

/* Route parameter i (":id" etc.), NUL-terminated, never NULL for i < n_params. */
const char *req_param(const struct req *r, size_t i);
/* Route parameter i as a positive integer id; -1 when it is not one. */
long long req_param_id(const struct req *r, size_t i);
/* Query-string argument, header, cookie; NULL when absent. */
const char *req_query(struct req *r, const char *key);
const char *req_header(struct req *r, const char *name);
const char *req_cookie(struct req *r, const char *name);
/* First form field of that name; NULL when absent. */
const struct form_field *req_field(const struct req *r, const char *name);
const char *req_form(const struct req *r, const char *name);
bool req_is_api(const struct req *r);
/* true when the client takes gzip (Accept-Encoding). */
bool req_accepts_gzip(struct req *r);
/* true when the request came over TLS (as libmicrohttpd sees it; proxy headers
 * are not trusted). */
bool req_is_tls(struct req *r);
/* The client's IP address as text into buf ("unknown" when not known). */
void req_client_addr(struct req *r, char *buf, size_t n);

/* Answers. Each returns the status it was given, so handlers can
 * `return req_error(r, 404, "not_found", "no assessment %lld", id);`.
 * view/out are stolen. */
int req_error(struct req *r, int status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int req_render(struct req *r, int status, const char *tmpl, json_t *view);
int req_json(struct req *r, int status, json_t *out);
int req_redirect(struct req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int req_raw(struct req *r, int status, const char *type, void *data, size_t len, bool borrowed);
void req_add_header(struct req *r, const char *name, const char *value);
/* Answers with a body of unknown length written piece by piece after the handler
 * has returned (chunked), for exports too large to build at once; the type and
 * r->raw_disposition apply as for req_raw. fill runs on the thread serving the
 * connection (db_thread gives it the same connection the handler had), after r is
 * freed: ctx must own all it needs. When fill fails (-1) the transfer is cut
 * short, so the client sees an incomplete body, never a silently shorter file.
 * free_ctx(ctx) runs exactly once, when the response is done or was never sent. */
int req_stream(struct req *r, int status, const char *type, req_stream_fn fill, void (*free_ctx)(void *ctx),
	       void *ctx);

/* Starts / stops the libmicrohttpd daemon for app. http_start fills app->port. */
int http_start(struct app *app);
void http_stop(struct app *app);

#endif
