/* h_misc.c - health, static files, the home page. */
#include <string.h>

#include "app.h"
#include "db.h"
#include "handlers.h"
#include "http.h"
#include "static.h"

int h_healthz(struct req *r)
{
	sqlite3_stmt *st = db_stmt(r->db, "SELECT 1");
	if (!st || sqlite3_step(st) != SQLITE_ROW) {
		if (st)
			sqlite3_reset(st);
		return req_error(r, 503, "database_unavailable", "the database does not answer");
	}
	sqlite3_reset(st);
	return req_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

int h_static(struct req *r)
{
	const struct static_file *f = static_find(r->app->statics, req_param(r, 0));
	if (!f)
		return req_error(r, 404, "not_found", "%s", "There is no such file.");
	/* the compressed variant was made once at start; it has its own ETag */
	bool gz = f->gz && req_accepts_gzip(r);
	const char *etag = gz ? f->etag_gz : f->etag;
	req_add_header(r, "ETag", etag);
	req_add_header(r, "Cache-Control", "public, max-age=3600");
	r->no_compress = true; /* the variants are made once, at start */
	if (f->gz)
		req_add_header(r, "Vary", "Accept-Encoding");
	if (gz)
		req_add_header(r, "Content-Encoding", "gzip");
	const char *inm = req_header(r, "If-None-Match");
	if (inm && strcmp(inm, etag) == 0)
		return req_raw(r, 304, f->type, (void *)"", 0, true);
	if (gz)
		return req_raw(r, 200, f->type, f->gz, f->gz_len, true);
	return req_raw(r, 200, f->type, f->data, f->len, true);
}

int h_home(struct req *r)
{
	return req_redirect(r, "/assessments");
}
