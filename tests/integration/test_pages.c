/* test_pages.c - HTML pages, forms, static files and the guide check, against a
 * real server on port 0 with a real SQLite file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <zlib.h>

#include "testsrv.h"

static struct testsrv srv;

static int setup(void **state)
{
	if (testsrv_start(&srv, NULL) != 0)
		return -1;
	testsrv_add_user(&srv, "page-admin", "admin", NULL, false);
	return 0;
}

/* A browser signed in as an administrator (who may start and answer any
 * country's assessment). */
static struct client *signed_in_client(void)
{
	struct client *c = client_new(&srv);
	assert_int_equal(client_login(c, "page-admin", TESTSRV_PASSWORD), 303);
	return c;
}

static int teardown(void **state)
{
	testsrv_stop(&srv);
	return 0;
}

/* Inflates a gzip body; returns a new NUL-terminated buffer. */
static char *gunzip(const char *in, size_t len, size_t *outlen)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	size_t cap = len * 20 + 1024;
	char *out = malloc(cap);
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)(cap - 1);
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	*outlen = z.total_out;
	out[*outlen] = '\0';
	inflateEnd(&z);
	return out;
}

static void test_compression(void **state)
{
	struct client *c = signed_in_client();
	struct resp plain, gz;
	char v[128];
	/* a page: the same bytes, about a sixth on the wire */
	assert_int_equal(client_get(c, "/assessments", &plain), 0);
	assert_int_equal(plain.status, 200);
	assert_false(resp_header(&plain, "Content-Encoding", v, sizeof(v)));
	assert_int_equal(client_request(c, "GET", "/assessments", NULL, NULL, 0, "Accept-Encoding: br, gzip;q=0.8", &gz), 0);
	assert_int_equal(gz.status, 200);
	assert_true(resp_header(&gz, "Content-Encoding", v, sizeof(v)));
	assert_string_equal(v, "gzip");
	assert_true(resp_header(&gz, "Vary", v, sizeof(v)));
	assert_true(gz.len < plain.len / 3);
	size_t n;
	char *back = gunzip(gz.body, gz.len, &n);
	/* the same page: the CSRF token belongs to the session, not the request */
	assert_int_equal(n, plain.len);
	assert_memory_equal(back, plain.body, n);
	free(back);
	resp_free(&gz);
	resp_free(&plain);
	/* refused with q=0: not compressed */
	assert_int_equal(client_request(c, "GET", "/assessments", NULL, NULL, 0, "Accept-Encoding: gzip;q=0", &gz), 0);
	assert_false(resp_header(&gz, "Content-Encoding", v, sizeof(v)));
	resp_free(&gz);
	/* a static file: its compressed variant, with its own ETag */
	assert_int_equal(client_get(c, "/static/css/site.css", &plain), 0);
	assert_int_equal(client_request(c, "GET", "/static/css/site.css", NULL, NULL, 0, "Accept-Encoding: gzip", &gz), 0);
	assert_true(resp_header(&gz, "Content-Encoding", v, sizeof(v)));
	char e1[64], e2[64];
	assert_true(resp_header(&plain, "ETag", e1, sizeof(e1)));
	assert_true(resp_header(&gz, "ETag", e2, sizeof(e2)));
	assert_string_not_equal(e1, e2);
	back = gunzip(gz.body, gz.len, &n);
	assert_int_equal(n, plain.len);
	assert_memory_equal(back, plain.body, n);
	free(back);
	char hdr[96];
	resp_free(&gz);
	resp_free(&plain);
	client_header(c, "Accept-Encoding: gzip");
	snprintf(hdr, sizeof(hdr), "If-None-Match: %s", e2);
	assert_int_equal(client_request(c, "GET", "/static/css/site.css", NULL, NULL, 0, hdr, &gz), 0);
	assert_int_equal(gz.status, 304);
	resp_free(&gz);
	client_free(c);
}

static void test_static_files(void **state)
{
	struct client *c = client_new(&srv);
	struct resp r;
	assert_int_equal(client_get(c, "/static/css/site.css", &r), 0);
	assert_int_equal(r.status, 200);
	char v[128], etag[64];
	assert_true(resp_header(&r, "Content-Type", v, sizeof(v)));
	assert_string_equal(v, "text/css; charset=utf-8");
	assert_true(resp_header(&r, "ETag", etag, sizeof(etag)));
	assert_true(resp_header(&r, "Cache-Control", v, sizeof(v)));
	assert_non_null(strstr(v, "max-age"));
	assert_non_null(strstr(r.body, ":root"));
	resp_free(&r);

	assert_int_equal(client_get(c, "/static/js/app.js", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(resp_header(&r, "Content-Type", v, sizeof(v)));
	assert_string_equal(v, "text/javascript; charset=utf-8");
	resp_free(&r);

	/* a conditional request with the ETag: 304, no body */
	char hdr[128];
	snprintf(hdr, sizeof(hdr), "If-None-Match: %s", etag);
	assert_int_equal(client_request(c, "GET", "/static/css/site.css", NULL, NULL, 0, hdr, &r), 0);
	assert_int_equal(r.status, 304);
	assert_int_equal(r.len, 0);
	resp_free(&r);

	/* nothing outside static/ is reachable, however the path is spelled */
	static const char *const escapes[] = {
		"/static/../Makefile",
		"/static/css/../../Makefile",
		"/static/%2e%2e/Makefile",
		"/static/%2E%2E/%2E%2E/etc/passwd",
		"/static/css/%2e%2e/%2e%2e/schema/migrations/001_assessments.sql",
		"/static/..%2fMakefile",
		"/static//etc/passwd",
		"/static/./css/site.css",
		"/static/css%2f..%2f..%2fMakefile",
		"/static/",
		"/static/nothing.css",
	};
	for (size_t i = 0; i < sizeof(escapes) / sizeof(escapes[0]); i++) {
		assert_int_equal(client_get(c, escapes[i], &r), 0);
		if (r.status != 404 && r.status != 400)
			fail_msg("%s answered %ld", escapes[i], r.status);
		assert_null(strstr(r.body, "CFLAGS"));
		assert_null(strstr(r.body, "root:"));
		resp_free(&r);
	}
	client_free(c);
}

/* Starts an assessment through the HTML form; returns its id. */
static long long create_via_form(struct client *c, const char *country, const char *round)
{
	struct resp r;
	assert_int_equal(client_get(c, "/assessments", &r), 0);
	assert_int_equal(r.status, 200);
	char form[256];
	snprintf(form, sizeof(form), "csrf_token=%s&country=%s&round=%s", find_csrf(r.body), country, round);
	resp_free(&r);
	assert_int_equal(client_post_form(c, "/assessments", form, &r), 0);
	assert_int_equal(r.status, 303);
	char loc[128];
	assert_true(resp_header(&r, "Location", loc, sizeof(loc)));
	resp_free(&r);
	long long id = 0;
	assert_int_equal(sscanf(loc, "/assessments/%lld", &id), 1);
	return id;
}

static void test_form_saved_and_read_back(void **state)
{
	struct client *c = signed_in_client();
	long long id = create_via_form(c, "KEN", "2026");
	char path[128];
	snprintf(path, sizeof(path), "/assessments/%lld/areas/prevention", id);
	struct resp r;
	assert_int_equal(client_get(c, path, &r), 0);
	assert_int_equal(r.status, 200);
	/* every question type renders with a label and a fieldset */
	assert_non_null(strstr(r.body, "<fieldset"));
	assert_non_null(strstr(r.body, "<legend>"));
	assert_non_null(strstr(r.body, "type=\"radio\""));
	assert_non_null(strstr(r.body, "type=\"checkbox\""));
	assert_non_null(strstr(r.body, "inputmode=\"decimal\""));
	char csrf[128];
	snprintf(csrf, sizeof(csrf), "%s", find_csrf(r.body));
	assert_int_equal(strlen(csrf), 64);
	resp_free(&r);

	char form[1024];
	snprintf(form, sizeof(form),
		 "csrf_token=%s&q.prev.campaigns=some&q.prev.channels=media&q.prev.channels=schools"
		 "&q.prev.budget=2500&c.prev.budget=%s&c.prev.campaigns=",
		 csrf, urlenc("Ministry of Interior, 2025 <estimate>"));
	assert_int_equal(client_post_form(c, path, form, &r), 0);
	assert_int_equal(r.status, 303);
	resp_free(&r);

	assert_int_equal(client_get(c, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "id=\"q-prev.campaigns-some\" name=\"q.prev.campaigns\" value=\"some\" checked"));
	assert_non_null(strstr(r.body, "value=\"media\" checked"));
	assert_non_null(strstr(r.body, "value=\"schools\" checked"));
	assert_null(strstr(r.body, "value=\"online\" checked"));
	assert_non_null(strstr(r.body, "value=\"2500\""));
	/* the comment comes back escaped */
	assert_non_null(strstr(r.body, "Ministry of Interior, 2025 &lt;estimate&gt;"));
	resp_free(&r);

	/* the API sees the same answers */
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld", id);
	assert_int_equal(client_get(c, path, &r), 0);
	json_t *ans = json_object_get(r.json, "answers");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(ans, "prev.budget"), "value")), 2500);
	assert_int_equal(json_array_size(json_object_get(json_object_get(ans, "prev.channels"), "value")), 2);
	resp_free(&r);

	/* the overview counts the progress of the area */
	snprintf(path, sizeof(path), "/assessments/%lld", id);
	assert_int_equal(client_get(c, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "3 / 3 answered"));
	resp_free(&r);
	client_free(c);
}

static void test_invalid_form_keeps_values(void **state)
{
	struct client *c = signed_in_client();
	long long id = create_via_form(c, "GHA", "2026");
	char path[128];
	snprintf(path, sizeof(path), "/assessments/%lld/areas/prevention", id);
	struct resp r;
	assert_int_equal(client_get(c, path, &r), 0);
	char csrf[128];
	snprintf(csrf, sizeof(csrf), "%s", find_csrf(r.body));
	resp_free(&r);

	char form[1024];
	snprintf(form, sizeof(form),
		 "csrf_token=%s&q.prev.campaigns=effective&q.prev.channels=media&q.prev.channels=dk"
		 "&q.prev.budget=%s&c.prev.campaigns=%s",
		 csrf, urlenc("twelve thousand"), urlenc("kept comment"));
	assert_int_equal(client_post_form(c, path, form, &r), 0);
	assert_int_equal(r.status, 422);
	/* the errors are shown beside their fields, the values are kept */
	assert_non_null(strstr(r.body, "id=\"error-summary\""));
	assert_non_null(strstr(r.body, "id=\"error-prev.budget\""));
	assert_non_null(strstr(r.body, "id=\"error-prev.channels\""));
	assert_null(strstr(r.body, "id=\"error-prev.campaigns\""));
	assert_non_null(strstr(r.body, "value=\"twelve thousand\""));
	assert_non_null(strstr(r.body, "value=\"effective\" checked"));
	assert_non_null(strstr(r.body, "kept comment"));
	resp_free(&r);

	/* and nothing was stored */
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld", id);
	assert_int_equal(client_get(c, path, &r), 0);
	assert_int_equal(json_object_size(json_object_get(r.json, "answers")), 0);
	resp_free(&r);

	/* an unknown question or one of another area is refused */
	snprintf(path, sizeof(path), "/assessments/%lld/areas/prevention", id);
	snprintf(form, sizeof(form), "csrf_token=%s&q.data.system=full", csrf);
	assert_int_equal(client_post_form(c, path, form, &r), 0);
	assert_int_equal(r.status, 422);
	resp_free(&r);
	snprintf(path, sizeof(path), "/assessments/%lld/areas/nowhere", id);
	assert_int_equal(client_get(c, path, &r), 0);
	assert_int_equal(r.status, 404);
	resp_free(&r);
	client_free(c);
}

/* The value of a hidden input of that name in a page (static buffer). */
static const char *hidden_value(const char *html, const char *name)
{
	static char v[64];
	char key[160];
	snprintf(key, sizeof(key), "name=\"%s\" value=\"", name);
	const char *p = strstr(html, key);
	v[0] = '\0';
	if (p) {
		p += strlen(key);
		size_t n = strcspn(p, "\"");
		snprintf(v, sizeof(v), "%.*s", (int)(n < sizeof(v) ? n : sizeof(v) - 1), p);
	}
	return v;
}

static void test_concurrent_edits_not_lost(void **state)
{
	struct client *c = signed_in_client();
	long long id = create_via_form(c, "ARG", "2026");
	char page[128], api[128];
	snprintf(page, sizeof(page), "/assessments/%lld/areas/prevention", id);
	snprintf(api, sizeof(api), "/api/v1/assessments/%lld/answers", id);
	struct resp r;
	char hdr[128];
	assert_int_equal(client_get(c, page, &r), 0);
	char csrf[128], seen[64];
	snprintf(csrf, sizeof(csrf), "%s", find_csrf(r.body));
	snprintf(seen, sizeof(seen), "%s", hidden_value(r.body, "s.prev.campaigns"));
	assert_string_equal(seen, "0");
	resp_free(&r);
	snprintf(hdr, sizeof(hdr), "X-CSRF-Token: %s", csrf);

	/* a colleague answers while this page is open */
	static const char theirs[] = "{\"answers\":{\"prev.campaigns\":{\"value\":\"effective\"},"
				     "\"prev.budget\":{\"value\":900}}}";
	assert_int_equal(client_request(c, "PUT", api, "application/json", theirs, strlen(theirs), hdr, &r), 0);
	assert_int_equal(r.status, 200);
	resp_free(&r);

	/* saving the stale page: 409, their answer kept, the user's choice shown */
	char form[512];
	snprintf(form, sizeof(form), "csrf_token=%s&s.prev.campaigns=%s&q.prev.campaigns=none", csrf, seen);
	assert_int_equal(client_post_form(c, page, form, &r), 0);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body, "Someone else changed this answer"));
	assert_non_null(strstr(r.body, "value=\"none\" checked"));
	char fresh[64];
	snprintf(fresh, sizeof(fresh), "%s", hidden_value(r.body, "s.prev.campaigns"));
	assert_string_not_equal(fresh, "0");
	resp_free(&r);
	snprintf(page, sizeof(page), "/api/v1/assessments/%lld", id);
	assert_int_equal(client_get(c, page, &r), 0);
	json_t *ans = json_object_get(r.json, "answers");
	assert_string_equal(json_string_value(json_object_get(json_object_get(ans, "prev.campaigns"), "value")),
			    "effective");
	resp_free(&r);

	/* saving again from the re-shown page (new version) keeps the user's answer;
	 * the budget, absent from this form, is left alone */
	snprintf(page, sizeof(page), "/assessments/%lld/areas/prevention", id);
	snprintf(form, sizeof(form), "csrf_token=%s&s.prev.campaigns=%s&q.prev.campaigns=none", csrf, fresh);
	assert_int_equal(client_post_form(c, page, form, &r), 0);
	assert_int_equal(r.status, 303);
	resp_free(&r);
	snprintf(page, sizeof(page), "/api/v1/assessments/%lld", id);
	assert_int_equal(client_get(c, page, &r), 0);
	ans = json_object_get(r.json, "answers");
	assert_string_equal(json_string_value(json_object_get(json_object_get(ans, "prev.campaigns"), "value")), "none");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(ans, "prev.budget"), "value")), 900);
	resp_free(&r);

	/* a comment that is not UTF-8 is refused, not stored half-readable */
	snprintf(page, sizeof(page), "/assessments/%lld/areas/prevention", id);
	snprintf(form, sizeof(form), "csrf_token=%s&q.prev.budget=900&c.prev.budget=bad%%FFbyte", csrf);
	assert_int_equal(client_post_form(c, page, form, &r), 0);
	assert_int_equal(r.status, 422);
	resp_free(&r);
	client_free(c);
}

static void test_csrf_refused(void **state)
{
	struct client *c = signed_in_client();
	long long id = create_via_form(c, "PER", "2026");
	char path[128];
	snprintf(path, sizeof(path), "/assessments/%lld/areas/prevention", id);
	struct resp r;
	/* no token, a wrong token, another browser's token */
	assert_int_equal(client_post_form(c, path, "q.prev.campaigns=none", &r), 0);
	assert_int_equal(r.status, 403);
	resp_free(&r);
	assert_int_equal(client_post_form(c, path, "csrf_token=0000000000000000000000000000000000000000000000000000000000000000&q.prev.campaigns=none", &r), 0);
	assert_int_equal(r.status, 403);
	resp_free(&r);
	struct client *other = signed_in_client();
	assert_int_equal(client_get(other, "/assessments", &r), 0);
	char form[256];
	snprintf(form, sizeof(form), "csrf_token=%s&q.prev.campaigns=none", find_csrf(r.body));
	resp_free(&r);
	assert_int_equal(client_post_form(c, path, form, &r), 0);
	assert_int_equal(r.status, 403);
	resp_free(&r);
	client_free(other);
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld", id);
	assert_int_equal(client_get(c, path, &r), 0);
	assert_int_equal(json_object_size(json_object_get(r.json, "answers")), 0);
	resp_free(&r);
	client_free(c);
}

static void test_html_escaping_of_user_input(void **state)
{
	struct client *c = signed_in_client();
	long long id = create_via_form(c, "BRA", "2026");
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/answers", id);
	struct resp r;
	static const char body[] = "{\"answers\":{\"leg.notes\":{\"value\":\"\\\"><script>alert(1)</script>\","
				   "\"comment\":\"</textarea><img src=x onerror=alert(2)>\"}}}";
	/* a browser with the site's cookie must send the CSRF header on API writes */
	assert_int_equal(client_json(c, "PUT", path, body, &r), 0);
	assert_int_equal(r.status, 403);
	resp_free(&r);
	assert_int_equal(client_get(c, "/assessments", &r), 0);
	char hdr[128];
	snprintf(hdr, sizeof(hdr), "X-CSRF-Token: %s", find_csrf(r.body));
	resp_free(&r);
	assert_int_equal(client_request(c, "PUT", path, "application/json", body, strlen(body), hdr, &r), 0);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	snprintf(path, sizeof(path), "/assessments/%lld/areas/legislation", id);
	assert_int_equal(client_get(c, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "<script>alert"));
	assert_null(strstr(r.body, "<img src=x"));
	assert_non_null(strstr(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(r.body, "&lt;/textarea&gt;&lt;img src=x onerror=alert(2)&gt;"));
	resp_free(&r);
	client_free(c);
}

static void test_error_pages(void **state)
{
	struct client *c = client_new(&srv);
	struct resp r;
	assert_int_equal(client_get(c, "/no/such/page", &r), 0);
	assert_int_equal(r.status, 404);
	char v[64];
	assert_true(resp_header(&r, "Content-Type", v, sizeof(v)));
	assert_string_equal(v, "text/html; charset=utf-8");
	assert_non_null(strstr(r.body, "<h1>Not found</h1>"));
	resp_free(&r);
	client_free(c);
}

/* Writes a copy of the fixture guide broken in two places and returns its path. */
static const char *broken_guide(void)
{
	static char path[128];
	json_t *g = json_load_file("tests/fixtures/guide-small.json", 0, NULL);
	assert_non_null(g);
	json_t *q0 = json_array_get(json_object_get(json_array_get(json_object_get(g, "areas"), 0), "questions"), 0);
	json_object_set_new(json_array_get(json_object_get(q0, "options"), 1), "score", json_real(1.5));
	json_t *q1 = json_array_get(json_object_get(json_array_get(json_object_get(g, "areas"), 1), "questions"), 0);
	json_object_set_new(q1, "id", json_string("prev.campaigns"));
	snprintf(path, sizeof(path), "%s/broken-guide.json", srv.dir);
	assert_int_equal(json_dump_file(g, path, JSON_INDENT(1)), 0);
	json_decref(g);
	return path;
}

static void test_check_guide_command(void **state)
{
	const char *path = broken_guide();
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "%s check-guide %s 2>&1", somguide_bin(), path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char out[8192];
	size_t n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	int status = pclose(p);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	if (!strstr(out, "$.areas[0].questions[0].options[1].score") || !strstr(out, "$.areas[1].questions[0].id"))
		fail_msg("check-guide output lacks the JSON paths:\n%s", out);

	snprintf(cmd, sizeof(cmd), "%s check-guide tests/fixtures/guide-small.json >/dev/null 2>&1", somguide_bin());
	assert_int_equal(system(cmd), 0);
}

static void test_serve_refuses_broken_guide(void **state)
{
	const char *path = broken_guide();
	struct app app;
	char db[160];
	snprintf(db, sizeof(db), "%s/other.db", srv.dir);
	struct app_config cfg = {.bind = "127.0.0.1", .port = 0, .db_path = db, .guide_path = path, .root = "."};
	assert_int_equal(app_start(&app, &cfg), -1);
	/* and the binary exits non-zero with the paths on stderr */
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "%s serve --port 0 --db %s --guide %s 2>&1", somguide_bin(), db, path);
	FILE *p = popen(cmd, "r");
	char out[4096];
	size_t n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	int status = pclose(p);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) != 0);
	assert_non_null(strstr(out, "$.areas[0].questions[0].options[1].score"));
	assert_null(strstr(out, "listening on"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_static_files),
		cmocka_unit_test(test_compression),
		cmocka_unit_test(test_form_saved_and_read_back),
		cmocka_unit_test(test_invalid_form_keeps_values),
		cmocka_unit_test(test_concurrent_edits_not_lost),
		cmocka_unit_test(test_csrf_refused),
		cmocka_unit_test(test_html_escaping_of_user_input),
		cmocka_unit_test(test_error_pages),
		cmocka_unit_test(test_check_guide_command),
		cmocka_unit_test(test_serve_refuses_broken_guide),
	};
	return cmocka_run_group_tests_name("pages", tests, setup, teardown);
}
