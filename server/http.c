/* http.c - the only code that speaks libmicrohttpd: request lifecycle, bounded
 * bodies, the dispatcher with its checks, response rendering and headers. */
#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "app.h"
#include "auth.h"
#include "db.h"
#include "log.h"
#include "router.h"
#include "tmpl.h"
#include "util.h"

#define MAX_FIELDS 2000
#define MAX_FIELD_NAME 200

static const char *const security_headers[][2] = {
	{"Content-Security-Policy",
	 "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
	 "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "same-origin"},
	{"X-Frame-Options", "DENY"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
};

/* ---- accessors ---------------------------------------------------------- */

const char *req_param(const struct req *r, size_t i)
{
	return i < r->n_params ? r->params[i] : "";
}

long long req_param_id(const struct req *r, size_t i)
{
	const char *s = req_param(r, i);
	if (!*s || strlen(s) > 15)
		return -1;
	long long v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v > 0 ? v : -1;
}

const char *req_query(struct req *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *req_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

const struct form_field *req_field(const struct req *r, const char *name)
{
	for (size_t i = 0; i < r->n_fields; i++)
		if (strcmp(r->fields[i].name, name) == 0)
			return &r->fields[i];
	return NULL;
}

const char *req_form(const struct req *r, const char *name)
{
	const struct form_field *f = req_field(r, name);
	return f ? f->value : NULL;
}

bool req_accepts_gzip(struct req *r)
{
	const char *ae = req_header(r, MHD_HTTP_HEADER_ACCEPT_ENCODING);
	if (!ae)
		return false;
	/* "gzip" as a token, not refused with q=0 */
	for (const char *p = strcasestr(ae, "gzip"); p; p = strcasestr(p + 4, "gzip")) {
		if (p != ae && p[-1] != ' ' && p[-1] != ',')
			continue;
		const char *q = p + 4;
		while (*q == ' ')
			q++;
		if (*q == ';') {
			const char *v = strstr(q, "q=");
			const char *comma = strchr(q, ',');
			if (v && (!comma || v < comma) && strtod(v + 2, NULL) <= 0.0)
				return false;
		}
		return true;
	}
	return false;
}

bool req_is_api(const struct req *r)
{
	if (r->route)
		return (r->route->flags & R_API) != 0;
	return strncmp(r->path, "/api/", 5) == 0;
}

bool req_is_tls(struct req *r)
{
	/* TLS here, or at the proxy in front when the operator says so */
	if (r->app->cfg.secure_cookies)
		return true;
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_PROTOCOL);
	return ci != NULL;
}

void req_client_addr(struct req *r, char *buf, size_t n)
{
	snprintf(buf, n, "unknown");
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf, (socklen_t)n);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf, (socklen_t)n);
}

/* ---- answers ------------------------------------------------------------ */

int req_error(struct req *r, int status, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err_msg, sizeof(r->err_msg), fmt, ap);
	va_end(ap);
	/* messages quote what the client sent (a path, an id): keep them valid UTF-8,
	 * or the JSON error could not be written */
	util_utf8_sanitize(r->err_msg);
	r->err_code = code;
	r->status = status;
	return status;
}

int req_render(struct req *r, int status, const char *tmpl, json_t *view)
{
	if (!view) {
		/* a view that could not be built (json_pack refused a value): say so
		 * rather than render an empty page */
		log_error("%s %s: the view of %s could not be built", r->method, r->path, tmpl);
		return req_error(r, 500, "internal_error", "This page could not be built.");
	}
	json_decref(r->view);
	r->view = view;
	r->tmpl = tmpl;
	r->status = status;
	return status;
}

int req_json(struct req *r, int status, json_t *out)
{
	json_decref(r->out);
	r->out = out;
	r->status = status;
	return status;
}

int req_redirect(struct req *r, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_init(&sb, 0);
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	free(r->location);
	r->location = strbuf_detach(&sb, NULL);
	r->status = 303;
	return 303;
}

int req_raw(struct req *r, int status, const char *type, void *data, size_t len, bool borrowed)
{
	if (r->raw && !r->raw_borrowed)
		free(r->raw);
	r->raw = data;
	r->raw_len = len;
	r->raw_borrowed = borrowed;
	r->raw_type = type;
	r->status = status;
	return status;
}

int req_stream(struct req *r, int status, const char *type, req_stream_fn fill, void (*free_ctx)(void *ctx),
	       void *ctx)
{
	if (r->stream_ctx && r->stream_free)
		r->stream_free(r->stream_ctx);
	r->stream_fill = fill;
	r->stream_free = free_ctx;
	r->stream_ctx = ctx;
	r->raw_type = type;
	r->status = status;
	return status;
}

void req_add_header(struct req *r, const char *name, const char *value)
{
	if (r->n_headers >= REQ_MAX_HEADERS) {
		log_error("too many response headers for %s", r->path);
		return;
	}
	r->headers[r->n_headers][0] = xstrdup(name);
	r->headers[r->n_headers][1] = xstrdup(value);
	r->n_headers++;
}

/* ---- request lifecycle -------------------------------------------------- */

static void req_free(struct req *r)
{
	if (!r)
		return;
	if (r->pp)
		MHD_destroy_post_processor(r->pp);
	for (size_t i = 0; i < r->n_params; i++)
		free(r->params[i]);
	strbuf_release(&r->body);
	for (size_t i = 0; i < r->n_fields; i++) {
		free(r->fields[i].name);
		free(r->fields[i].value);
		free(r->fields[i].filename);
		free(r->fields[i].content_type);
	}
	free(r->fields);
	json_decref(r->json);
	free(r->user);
	free(r->new_cookie);
	json_decref(r->view);
	json_decref(r->out);
	free(r->location);
	json_decref(r->err_details);
	if (r->raw && !r->raw_borrowed)
		free(r->raw);
	free(r->raw_disposition);
	if (r->stream_ctx && r->stream_free)
		r->stream_free(r->stream_ctx);
	for (size_t i = 0; i < r->n_headers; i++) {
		free(r->headers[i][0]);
		free(r->headers[i][1]);
	}
	free(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct app *app = cls;
	struct req *r = *con_cls;
	if (!r)
		return;
	req_free(r);
	*con_cls = NULL;
	__atomic_sub_fetch(&app->inflight, 1, __ATOMIC_SEQ_CST);
}

static enum MHD_Result on_form_field(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *filename, const char *content_type,
				     const char *transfer_encoding, const char *data, uint64_t off,
				     size_t size)
{
	struct req *r = cls;
	if (!key)
		return MHD_YES;
	if (r->form_bytes + size > r->body_limit) {
		r->too_large = true;
		return MHD_NO;
	}
	r->form_bytes += size;
	struct form_field *f = r->n_fields ? &r->fields[r->n_fields - 1] : NULL;
	if (off == 0 || !f || strcmp(f->name, key) != 0) {
		if (r->n_fields >= MAX_FIELDS || strlen(key) > MAX_FIELD_NAME) {
			r->bad_body = true;
			snprintf(r->bad_body_msg, sizeof(r->bad_body_msg),
				 "the form has too many fields or a field name that is too long");
			return MHD_NO;
		}
		if (r->n_fields == r->fields_alloc) {
			r->fields_alloc = r->fields_alloc ? r->fields_alloc * 2 : 16;
			r->fields = xreallocarray(r->fields, r->fields_alloc, sizeof(*r->fields));
		}
		f = &r->fields[r->n_fields++];
		memset(f, 0, sizeof(*f));
		f->name = xstrdup(key);
		f->value = xmalloc(1);
		f->value[0] = '\0';
		f->cap = 1;
		if (filename)
			f->filename = xstrdup(filename);
		if (content_type)
			f->content_type = xstrdup(content_type);
	}
	if (size) {
		if (f->len + size + 1 > f->cap) {
			size_t cap = f->cap ? f->cap : 64;
			while (cap < f->len + size + 1)
				cap *= 2;
			f->value = xrealloc(f->value, cap);
			f->cap = cap;
		}
		memcpy(f->value + f->len, data, size);
		f->len += size;
		f->value[f->len] = '\0';
	}
	return MHD_YES;
}

static bool has_prefix_ci(const char *s, const char *prefix)
{
	return s && strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* Answers 413, naming the limit of file uploads when the body is a multipart form. */
static int too_large(struct req *r)
{
	if (!has_prefix_ci(req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE), "multipart/form-data"))
		return req_error(r, 413, "body_too_large", "the request body is larger than allowed");
	size_t kb = (r->body_limit + 1023) / 1024;
	if (kb >= 1024 && kb % 1024 == 0)
		return req_error(r, 413, "body_too_large", "The upload is larger than the limit of %zu MB. Attach a smaller file.",
				 kb / 1024);
	return req_error(r, 413, "body_too_large", "The upload is larger than the limit of %zu KB. Attach a smaller file.",
			 kb);
}

/* Finds the route and the caller. Runs on the first call for a request, before any
 * of the body is read, so that a request nobody may make is refused without
 * buffering its body. Returns 0, or the status answered. */
static int route_and_identify(struct req *r)
{
	char allow[64];
	switch (router_match(r->method, r->path, &r->route, r->params, REQ_MAX_PARAMS, &r->n_params,
			     allow, sizeof(allow))) {
	case ROUTE_NOT_FOUND:
		return req_error(r, 404, "not_found", "%s", "There is no such page.");
	case ROUTE_BAD_METHOD:
		req_add_header(r, "Allow", allow);
		return req_error(r, 405, "method_not_allowed", "This method is not allowed here.");
	case ROUTE_FOUND:
		break;
	}
	if (!(r->route->flags & R_NODB)) {
		r->db = db_thread(r->app->db_path);
		if (!r->db)
			return req_error(r, 503, "database_unavailable", "the database cannot be opened");
	}
	return auth_check(r, r->route);
}

/* First call for a request: route, caller, then body collection bounded by what
 * the route takes (file uploads only where the route declares R_UPLOAD). Returns 0,
 * or an HTTP status to answer at once. */
static int req_begin(struct req *r)
{
	int st = route_and_identify(r);
	if (st)
		return st;
	const char *cl = req_header(r, MHD_HTTP_HEADER_CONTENT_LENGTH);
	const char *ct = req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
	bool multipart = has_prefix_ci(ct, "multipart/form-data");
	r->body_limit = (r->route->flags & R_UPLOAD) ? r->app->cfg.max_upload : r->app->cfg.max_body;
	if (cl) {
		char *end;
		errno = 0;
		unsigned long long n = strtoull(cl, &end, 10);
		if (errno || *end || n > r->body_limit) {
			r->too_large = true;
			return too_large(r);
		}
	}
	r->body.limit = r->body_limit;
	if (has_prefix_ci(ct, "application/x-www-form-urlencoded") || multipart) {
		r->pp = MHD_create_post_processor(r->conn, 32 * 1024, on_form_field, r);
		if (!r->pp) {
			r->bad_body = true;
			snprintf(r->bad_body_msg, sizeof(r->bad_body_msg), "the form encoding is not understood");
		}
	} else if (has_prefix_ci(ct, "application/json")) {
		r->body_json = true;
	}
	return 0;
}

static void req_feed(struct req *r, const char *data, size_t size)
{
	if (r->too_large || r->bad_body)
		return;
	if (r->pp) {
		if (MHD_post_process(r->pp, data, size) != MHD_YES && !r->too_large && !r->bad_body) {
			r->bad_body = true;
			snprintf(r->bad_body_msg, sizeof(r->bad_body_msg), "the form could not be read");
		}
		return;
	}
	strbuf_add(&r->body, data, size);
	if (r->body.overflow)
		r->too_large = true;
}

/* ---- the dispatcher ----------------------------------------------------- */

static int parse_json_body(struct req *r)
{
	if (!r->body_json) {
		if (r->body.len == 0 && !r->pp)
			return 0;
		if (r->pp)
			return req_error(r, 415, "unsupported_media_type",
					 "send the body as application/json");
		return req_error(r, 415, "unsupported_media_type", "send the body as application/json");
	}
	json_error_t e;
	r->json = json_loadb(r->body.buf, r->body.len, JSON_REJECT_DUPLICATES, &e);
	if (!r->json)
		return req_error(r, 400, "malformed_json", "malformed JSON at line %d, column %d: %s",
				 e.line, e.column, e.text);
	return 0;
}

/* Last call for a request, with the whole body: its checks, then the handler, in
 * one transaction for a write route. */
static int dispatch(struct req *r)
{
	const struct route *rt = r->route;
	if (r->too_large)
		return too_large(r);
	if (r->bad_body)
		return req_error(r, 400, "bad_form", "%s", r->bad_body_msg);
	bool write = (rt->flags & R_WRITE) != 0;
	int st = auth_check_csrf(r, rt);
	if (st)
		return st;
	if (write && (rt->flags & R_API)) {
		st = parse_json_body(r);
		if (st)
			return st;
	}
	if (!write)
		return rt->fn(r);
	if (rt->flags & R_SELFTX) {
		st = rt->fn(r);
		if (db_in_tx(r->db)) {
			log_error("%s %s left a transaction open", r->method, r->path);
			db_rollback(r->db);
		}
		return st;
	}
	if (db_begin(r->db) != 0)
		return req_error(r, 503, "database_busy", "the database is busy; try again");
	st = rt->fn(r);
	if (st >= 400) {
		db_rollback(r->db);
		return st;
	}
	if (db_commit(r->db) != 0) {
		db_rollback(r->db);
		return req_error(r, 503, "database_busy", "the change could not be saved; try again");
	}
	return st;
}

/* ---- rendering ---------------------------------------------------------- */

static const char *status_title(int status)
{
	switch (status) {
	case 400: return "Bad request";
	case 401: return "Sign-in required";
	case 403: return "Not allowed";
	case 404: return "Not found";
	case 405: return "Method not allowed";
	case 409: return "Conflict";
	case 413: return "Too large";
	case 415: return "Unsupported type";
	case 422: return "Invalid input";
	case 429: return "Too many requests";
	case 503: return "Unavailable";
	default: return status >= 500 ? "Server error" : "Error";
	}
}

/* Adds the keys every page template may use. */
static void view_add_common(struct req *r, json_t *view)
{
	json_object_set(view, "t", r->app->messages);
	json_object_set_new(view, "csrf_token", json_string(r->csrf));
	json_object_set_new(view, "path", json_string(r->path));
	if (r->user) {
		json_object_set_new(view, "user",
				    json_pack("{s:s, s:s, s:s, s:b, s:b, s:b}", "username", r->user->username,
					      "role", r->user->role, "country", r->user->country,
					      "focal_point", r->user->focal_point,
					      "is_reviewer", strcmp(r->user->role, "reviewer") == 0 ||
								     strcmp(r->user->role, "admin") == 0,
					      "is_admin", strcmp(r->user->role, "admin") == 0));
	}
}

/* A streamed body (req_stream) while libmicrohttpd sends it. */
struct stream {
	req_stream_fn fill;
	void (*free_ctx)(void *ctx);
	void *ctx;
	struct strbuf buf;   /* the piece being sent */
	size_t off;          /* bytes of buf already sent */
	bool last;           /* fill said buf is the last piece */
};

static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct stream *s = cls;
	(void)pos;
	while (s->off == s->buf.len) {
		if (s->last)
			return MHD_CONTENT_READER_END_OF_STREAM;
		strbuf_reset(&s->buf);
		s->off = 0;
		int rc = s->fill(s->ctx, &s->buf);
		if (rc < 0 || s->buf.overflow)
			return MHD_CONTENT_READER_END_WITH_ERROR;
		s->last = rc == 0;
	}
	size_t n = s->buf.len - s->off < max ? s->buf.len - s->off : max;
	memcpy(out, s->buf.buf + s->off, n);
	s->off += n;
	return (ssize_t)n;
}

static void stream_done(void *cls)
{
	struct stream *s = cls;
	if (s->free_ctx)
		s->free_ctx(s->ctx);
	strbuf_release(&s->buf);
	free(s);
}

/* Whether this response may be compressed: the client takes gzip and no handler
 * has chosen an encoding already. */
static bool may_compress(struct req *r)
{
	if (r->no_compress)
		return false;
	for (size_t i = 0; i < r->n_headers; i++)
		if (strcasecmp(r->headers[i][0], "Content-Encoding") == 0)
			return false;
	return req_accepts_gzip(r);
}

/* A response for len bytes at buf (owned: freed here or by libmicrohttpd; else
 * borrowed), gzip-compressed when the type is worth it and the client takes it.
 * Pages are mostly repeated markup and guidance text: an area page shrinks about
 * six times, which is what a slow line notices. */
static struct MHD_Response *body_response(struct req *r, char *buf, size_t len, bool owned, const char *type)
{
	if (len >= 1024 && util_compressible(type) && may_compress(r)) {
		size_t zlen;
		char *z = util_gzip(buf, len, &zlen);
		if (z) {
			if (owned)
				free(buf);
			struct MHD_Response *resp = MHD_create_response_from_buffer(zlen, z, MHD_RESPMEM_MUST_FREE);
			MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
			MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
			return resp;
		}
	}
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, buf, owned ? MHD_RESPMEM_MUST_FREE
										   : MHD_RESPMEM_PERSISTENT);
	if (util_compressible(type))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
	return resp;
}

static struct MHD_Response *render(struct req *r)
{
	struct MHD_Response *resp = NULL;
	const char *type = "text/html; charset=utf-8";
	bool is_api = req_is_api(r);
	if (r->status == 0)
		r->status = 500;

	if (r->location) {
		static const char body[] = "See other\n";
		resp = MHD_create_response_from_buffer(sizeof(body) - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r->location);
		type = "text/plain; charset=utf-8";
	} else if (r->raw) {
		type = r->raw_type;
		resp = body_response(r, r->raw, r->raw_len, !r->raw_borrowed, type);
		if (!r->raw_borrowed)
			r->raw = NULL; /* the response owns it now */
		if (r->raw_disposition)
			MHD_add_response_header(resp, "Content-Disposition", r->raw_disposition);
	} else if (r->stream_fill && r->status < 400) {
		struct stream *st = xcalloc(1, sizeof(*st));
		st->fill = r->stream_fill;
		st->free_ctx = r->stream_free;
		st->ctx = r->stream_ctx;
		strbuf_init(&st->buf, 0);
		r->stream_ctx = NULL; /* the response owns it now */
		resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 32 * 1024, stream_read, st, stream_done);
		if (resp) {
			type = r->raw_type;
			if (r->raw_disposition)
				MHD_add_response_header(resp, "Content-Disposition", r->raw_disposition);
		} else {
			stream_done(st);
			req_error(r, 500, "internal_error", "the answer could not be written");
		}
	} else if (r->out && r->status < 400) {
		char *s = json_dumps(r->out, JSON_COMPACT | JSON_ENSURE_ASCII);
		if (s) {
			type = "application/json; charset=utf-8";
			resp = body_response(r, s, strlen(s), true, type);
		} else {
			log_error("%s %s: the JSON document could not be written", r->method, r->path);
			req_error(r, 500, "internal_error", "the answer could not be written");
		}
	}
	if (!resp && r->status >= 400 && (is_api || !r->tmpl)) {
		if (is_api) {
			json_t *e = json_pack("{s:{s:s, s:s}}", "error", "code",
					      r->err_code ? r->err_code : "error", "message",
					      r->err_msg[0] ? r->err_msg : status_title(r->status));
			if (e && r->err_details)
				json_object_set(json_object_get(e, "error"), "details", r->err_details);
			char *s = e ? json_dumps(e, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
			json_decref(e);
			if (s) {
				resp = body_response(r, s, strlen(s), true, "application/json");
			} else {
				static const char fallback[] = "{\"error\":{\"code\":\"error\",\"message\":\"Error\"}}";
				log_error("%s %s: the error document could not be written", r->method, r->path);
				resp = MHD_create_response_from_buffer(sizeof(fallback) - 1, (void *)fallback,
								       MHD_RESPMEM_PERSISTENT);
			}
			type = "application/json; charset=utf-8";
		} else {
			json_t *v = json_pack("{s:i, s:s, s:s}", "status", r->status, "title", status_title(r->status),
					      "message", r->err_msg[0] ? r->err_msg : status_title(r->status));
			req_render(r, r->status, "error", v);
		}
	}
	if (!resp && r->tmpl) {
		struct strbuf sb;
		strbuf_init(&sb, 16 * 1024);
		if (!r->view)
			r->view = json_object();
		view_add_common(r, r->view);
		if (tmpl_render(r->app->tmpl, r->tmpl, r->view, &sb) != 0) {
			log_error("no template %s", r->tmpl);
			strbuf_reset(&sb);
			strbuf_adds(&sb, "<!doctype html><title>Server error</title><p>Server error.</p>");
			r->status = 500;
		}
		size_t len;
		char *s = strbuf_detach(&sb, &len);
		resp = body_response(r, s, len, true, type);
	}
	if (!resp) {
		log_error("%s %s: handler left no response (status %d)", r->method, r->path, r->status);
		r->status = 500;
		static const char body[] = "Server error\n";
		resp = MHD_create_response_from_buffer(sizeof(body) - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
		type = "text/plain; charset=utf-8";
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	for (size_t i = 0; i < ARRAY_SIZE(security_headers); i++)
		MHD_add_response_header(resp, security_headers[i][0], security_headers[i][1]);
	if (r->app->cfg.secure_cookies)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	bool has_cache = false;
	for (size_t i = 0; i < r->n_headers; i++) {
		MHD_add_response_header(resp, r->headers[i][0], r->headers[i][1]);
		if (strcasecmp(r->headers[i][0], "Cache-Control") == 0)
			has_cache = true;
	}
	if (!has_cache)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (r->new_cookie)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, r->new_cookie);
	return resp;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct app *app = cls;
	struct req *r = *con_cls;
	if (!r) {
		r = xcalloc(1, sizeof(*r));
		r->app = app;
		r->conn = conn;
		r->method = method;
		r->path = url;
		strbuf_init(&r->body, 0);
		*con_cls = r;
		__atomic_add_fetch(&app->inflight, 1, __ATOMIC_SEQ_CST);
		int st;
		if (__atomic_load_n(&app->stopping, __ATOMIC_SEQ_CST)) {
			req_add_header(r, "Connection", "close");
			req_add_header(r, "Retry-After", "5");
			st = req_error(r, 503, "stopping", "The server is stopping; try again in a moment.");
		} else {
			st = req_begin(r);
		}
		if (st == 0)
			return MHD_YES;
		/* refused at once (unknown route, caller not allowed, body too large): the
		 * body is never read */
	} else if (*upload_data_size) {
		req_feed(r, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	} else {
		if (r->pp) {
			MHD_destroy_post_processor(r->pp);
			r->pp = NULL;
		}
		dispatch(r);
	}
	struct MHD_Response *resp = render(r);
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	if (r->status >= 500)
		log_error("%s %s -> %d", method, url, r->status);
	return ret;
}

__attribute__((format(printf, 2, 0))) static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	vsnprintf(line, sizeof(line), fmt, ap);
	size_t n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	log_warn("http: %s", line);
}

int http_start(struct app *app)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	unsigned flags = MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC;
	socklen_t sl;
	struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, app->cfg.bind, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)app->cfg.port);
		sl = sizeof(*in4);
	} else if (inet_pton(AF_INET6, app->cfg.bind, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)app->cfg.port);
		flags |= MHD_USE_IPv6;
		sl = sizeof(*in6);
	} else {
		return log_error("cannot bind to \"%s\": not an IPv4 or IPv6 address", app->cfg.bind);
	}
	(void)sl;
	app->daemon = MHD_start_daemon(
		flags, (uint16_t)app->cfg.port, NULL, NULL, on_request, app,
		MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, app,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, app->threads,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, app,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)app->cfg.idle_timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
		MHD_OPTION_CONNECTION_LIMIT, 1000u,
		/* one client cannot hold every connection (slow clients): run behind a
		 * reverse proxy that buffers requests when serving the Internet */
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, 64u,
		MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
		MHD_OPTION_END);
	if (!app->daemon)
		return log_error("cannot listen on %s:%d: %s", app->cfg.bind, app->cfg.port,
				 errno ? strerror(errno) : "libmicrohttpd refused to start");
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(app->daemon, MHD_DAEMON_INFO_BIND_PORT);
	app->port = info ? info->port : (uint16_t)app->cfg.port;
	return 0;
}

void http_stop(struct app *app)
{
	if (!app->daemon)
		return;
	/* new requests get 503, requests in flight finish (bounded: 10 s), then the
	 * daemon stops. (MHD_quiesce_daemon would stop accepting at once, but with the
	 * thread pool and epoll, libmicrohttpd 0.9.75 can abort in it when a worker
	 * has taken the listen socket out of its epoll set.) */
	__atomic_store_n(&app->stopping, 1, __ATOMIC_SEQ_CST);
	for (int i = 0; i < 1000 && __atomic_load_n(&app->inflight, __ATOMIC_SEQ_CST) > 0; i++) {
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(app->daemon);
	app->daemon = NULL;
}
