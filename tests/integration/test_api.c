/* test_api.c - the JSON API against a real server on port 0 with a real SQLite file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>

#include "testsrv.h"

static struct testsrv srv;

static int setup(void **state)
{
	if (testsrv_start(&srv, NULL) != 0)
		return -1;
	testsrv_add_user(&srv, "api-admin", "admin", NULL, false);
	return 0;
}

/* A client that calls the API as a script does: with a bearer token. */
static struct client *api_client(void)
{
	struct client *c = client_new(&srv);
	assert_int_equal(client_token(c, "api-admin", TESTSRV_PASSWORD, NULL, 0), 201);
	return c;
}

static int teardown(void **state)
{
	testsrv_stop(&srv);
	return 0;
}

/* Creates an assessment and returns its id. */
static long long create(struct client *c, const char *country, int round)
{
	char body[128];
	snprintf(body, sizeof(body), "{\"country\":\"%s\",\"round\":%d}", country, round);
	struct resp r;
	assert_int_equal(client_json(c, "POST", "/api/v1/assessments", body, &r), 0);
	assert_int_equal(r.status, 201);
	assert_non_null(r.json);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	assert_string_equal(json_string_value(json_object_get(r.json, "status")), "draft");
	assert_string_equal(json_string_value(json_object_get(r.json, "country")), country);
	char loc[128];
	assert_true(resp_header(&r, "Location", loc, sizeof(loc)));
	resp_free(&r);
	return id;
}

static const char *error_code(const struct resp *r)
{
	return json_string_value(json_object_get(json_object_get(r->json, "error"), "code"));
}

static void test_healthz(void **state)
{
	struct client *c = client_new(&srv);
	struct resp r;
	assert_int_equal(client_get(c, "/healthz", &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "status")), "ok");
	char v[256];
	assert_true(resp_header(&r, "Content-Security-Policy", v, sizeof(v)));
	assert_non_null(strstr(v, "frame-ancestors 'none'"));
	assert_true(resp_header(&r, "X-Content-Type-Options", v, sizeof(v)));
	resp_free(&r);
	client_free(c);
}

static void test_guide(void **state)
{
	struct client *c = api_client();
	struct resp r;
	assert_int_equal(client_get(c, "/api/v1/guide", &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(r.json);
	assert_int_equal(json_array_size(json_object_get(r.json, "areas")), 7);
	assert_true(json_array_size(json_object_get(r.json, "recommendations")) > 0);
	resp_free(&r);
	assert_int_equal(client_get(c, "/api/v1/countries", &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "countries")), 195);
	resp_free(&r);
	client_free(c);
}

static void test_create_and_get(void **state)
{
	struct client *c = api_client();
	long long id = create(c, "KEN", 2024);
	struct resp r;
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld", id);
	assert_int_equal(client_get(c, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_object_size(json_object_get(r.json, "answers")), 0);
	assert_string_equal(json_string_value(json_object_get(r.json, "guide_version")), "0.1.0");
	resp_free(&r);

	/* the same country and round again: 409 naming the existing one */
	assert_int_equal(client_json(c, "POST", "/api/v1/assessments", "{\"country\":\"KEN\",\"round\":2024}", &r), 0);
	assert_int_equal(r.status, 409);
	assert_string_equal(error_code(&r), "assessment_exists");
	resp_free(&r);

	/* lower-case codes are accepted and normalised */
	id = create(c, "GHA", 2025);
	assert_int_equal(client_json(c, "POST", "/api/v1/assessments", "{\"country\":\"gha\",\"round\":2026}", &r), 0);
	assert_int_equal(r.status, 201);
	assert_string_equal(json_string_value(json_object_get(r.json, "country")), "GHA");
	resp_free(&r);

	/* the list filters */
	assert_int_equal(client_get(c, "/api/v1/assessments?country=GHA", &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "assessments")), 2);
	resp_free(&r);
	assert_int_equal(client_get(c, "/api/v1/assessments?country=GHA&round=2025", &r), 0);
	assert_int_equal(json_array_size(json_object_get(r.json, "assessments")), 1);
	resp_free(&r);
	assert_int_equal(client_get(c, "/api/v1/assessments?round=1999", &r), 0);
	assert_int_equal(r.status, 400);
	resp_free(&r);
	client_free(c);
}

static void test_create_invalid(void **state)
{
	static const struct {
		const char *body;
		long status;
		const char *code;
	} cases[] = {
		{"{\"country\":\"XXX\",\"round\":2024}", 422, "invalid_assessment"},
		{"{\"country\":\"KENYA\",\"round\":2024}", 422, "invalid_assessment"},
		{"{\"country\":\"KEN\",\"round\":\"2024\"}", 422, "invalid_assessment"},
		{"{\"country\":42,\"round\":2024}", 422, "invalid_assessment"},
		{"{\"country\":\"KEN\",\"round\":1800}", 422, "invalid_assessment"},
		{"[1,2]", 422, "invalid_assessment"},
		{"{\"country\":\"KEN\",", 400, "malformed_json"},
		{"{\"country\":\"KEN\",\"country\":\"GHA\",\"round\":2024}", 400, "malformed_json"},
		{"", 400, "malformed_json"},
	};
	struct client *c = api_client();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct resp r;
		assert_int_equal(client_json(c, "POST", "/api/v1/assessments", cases[i].body, &r), 0);
		if (r.status != cases[i].status || !r.json || strcmp(error_code(&r), cases[i].code) != 0)
			fail_msg("body %s: got %ld %s", cases[i].body, r.status, r.body);
		resp_free(&r);
	}
	/* not JSON at all */
	struct resp r;
	assert_int_equal(client_request(c, "POST", "/api/v1/assessments", "text/plain", "hello", 5, NULL, &r), 0);
	assert_int_equal(r.status, 415);
	resp_free(&r);
	client_free(c);
}

static void test_not_found_and_method(void **state)
{
	struct client *c = api_client();
	struct resp r;
	const char *paths[] = {"/api/v1/assessments/999999", "/api/v1/assessments/abc", "/api/v1/assessments/0",
			       "/api/v1/nothing"};
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(client_get(c, paths[i], &r), 0);
		assert_int_equal(r.status, 404);
		assert_non_null(r.json);
		assert_string_equal(error_code(&r), "not_found");
		resp_free(&r);
	}
	assert_int_equal(client_json(c, "DELETE", "/api/v1/guide", NULL, &r), 0);
	assert_int_equal(r.status, 405);
	char allow[64];
	assert_true(resp_header(&r, "Allow", allow, sizeof(allow)));
	assert_string_equal(allow, "GET");
	resp_free(&r);
	client_free(c);
}

static void test_answers_roundtrip(void **state)
{
	struct client *c = api_client();
	long long id = create(c, "MEX", 2026);
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/answers", id);
	struct resp r;
	assert_int_equal(client_json(c, "PUT", path,
				     "{\"answers\":{"
				     "\"prev.campaigns\":{\"value\":\"some\",\"comment\":\"two campaigns in 2025\"},"
				     "\"prev.channels\":{\"value\":[\"media\",\"online\"]},"
				     "\"prev.budget\":{\"value\":125000.5},"
				     "\"data.system\":{\"value\":\"dk\"},"
				     "\"data.last-report\":{\"value\":\"2025-06-30\"},"
				     "\"leg.notes\":{\"value\":\"Law 12/2019 <b>art. 4</b>\"},"
				     "\"coop.mla\":{\"value\":\"na\"}}}",
				     &r),
			 0);
	assert_int_equal(r.status, 200);
	json_t *ans = json_object_get(r.json, "answers");
	assert_int_equal(json_object_size(ans), 7);
	assert_string_equal(json_string_value(json_object_get(json_object_get(ans, "prev.campaigns"), "value")), "some");
	assert_string_equal(json_string_value(json_object_get(json_object_get(ans, "prev.campaigns"), "comment")),
			    "two campaigns in 2025");
	assert_int_equal(json_array_size(json_object_get(json_object_get(ans, "prev.channels"), "value")), 2);
	assert_true(json_real_value(json_object_get(json_object_get(ans, "prev.budget"), "value")) == 125000.5);
	resp_free(&r);

	/* a merge: one answer changed, the comment kept, others untouched */
	assert_int_equal(client_json(c, "PUT", path, "{\"answers\":{\"prev.campaigns\":{\"value\":\"effective\"}}}", &r),
			 0);
	assert_int_equal(r.status, 200);
	ans = json_object_get(r.json, "answers");
	assert_int_equal(json_object_size(ans), 7);
	assert_string_equal(json_string_value(json_object_get(json_object_get(ans, "prev.campaigns"), "value")),
			    "effective");
	assert_string_equal(json_string_value(json_object_get(json_object_get(ans, "prev.campaigns"), "comment")),
			    "two campaigns in 2025");
	resp_free(&r);

	/* clearing with null removes the answer */
	assert_int_equal(client_json(c, "PUT", path, "{\"answers\":{\"leg.notes\":{\"value\":null}}}", &r), 0);
	assert_int_equal(r.status, 200);
	assert_null(json_object_get(json_object_get(r.json, "answers"), "leg.notes"));
	resp_free(&r);

	/* read back through GET */
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld", id);
	assert_int_equal(client_get(c, path, &r), 0);
	assert_int_equal(json_object_size(json_object_get(r.json, "answers")), 6);
	resp_free(&r);
	client_free(c);
}

static void test_answers_invalid_store_nothing(void **state)
{
	struct client *c = api_client();
	long long id = create(c, "PER", 2026);
	char path[96], get[96];
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/answers", id);
	snprintf(get, sizeof(get), "/api/v1/assessments/%lld", id);
	struct resp r;
	assert_int_equal(client_json(c, "PUT", path, "{\"answers\":{\"prev.campaigns\":{\"value\":\"none\"}}}", &r), 0);
	assert_int_equal(r.status, 200);
	resp_free(&r);

	/* one valid change and five problems: 422 listing each, nothing stored */
	assert_int_equal(client_json(c, "PUT", path,
				     "{\"answers\":{"
				     "\"prev.campaigns\":{\"value\":\"effective\"},"
				     "\"prev.channels\":{\"value\":[\"media\",\"nowhere\"]},"
				     "\"no.such\":{\"value\":\"yes\"},"
				     "\"prev.budget\":{\"value\":\"lots\"},"
				     "\"data.last-report\":{\"value\":\"2025-02-30\"},"
				     "\"data.system\":{\"value\":[\"full\"]}}}",
				     &r),
			 0);
	assert_int_equal(r.status, 422);
	assert_string_equal(error_code(&r), "invalid_answers");
	json_t *details = json_object_get(json_object_get(r.json, "error"), "details");
	assert_int_equal(json_array_size(details), 5);
	const char *expect[] = {"prev.channels", "no.such", "prev.budget", "data.last-report", "data.system"};
	for (size_t i = 0; i < 5; i++) {
		bool found = false;
		size_t k;
		json_t *d;
		json_array_foreach(details, k, d) {
			if (strcmp(json_string_value(json_object_get(d, "question")), expect[i]) == 0)
				found = true;
		}
		if (!found)
			fail_msg("no problem reported for %s: %s", expect[i], r.body);
	}
	resp_free(&r);
	assert_int_equal(client_get(c, get, &r), 0);
	json_t *ans = json_object_get(r.json, "answers");
	assert_int_equal(json_object_size(ans), 1);
	assert_string_equal(json_string_value(json_object_get(json_object_get(ans, "prev.campaigns"), "value")), "none");
	resp_free(&r);

	static const char *const bad[] = {
		"{\"answers\":[]}", "{\"answer\":{}}", "{\"answers\":{\"prev.campaigns\":\"some\"}}",
		"{\"answers\":{\"prev.campaigns\":{\"valeur\":\"some\"}}}",
		"{\"answers\":{\"prev.campaigns\":{\"value\":\"some\",\"comment\":7}}}",
		"{\"answers\":{\"prev.channels\":{\"value\":[]}}}",
		"{\"answers\":{\"prev.channels\":{\"value\":[\"media\",\"media\"]}}}",
		"{\"answers\":{\"coop.mla\":{\"value\":\"maybe\"}}}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(client_json(c, "PUT", path, bad[i], &r), 0);
		if (r.status != 422)
			fail_msg("%s: expected 422, got %ld %s", bad[i], r.status, r.body);
		resp_free(&r);
	}
	assert_int_equal(client_json(c, "PUT", path, "{\"answers\":{", &r), 0);
	assert_int_equal(r.status, 400);
	assert_string_equal(error_code(&r), "malformed_json");
	resp_free(&r);
	assert_int_equal(client_get(c, get, &r), 0);
	assert_int_equal(json_object_size(json_object_get(r.json, "answers")), 1);
	resp_free(&r);
	client_free(c);
}

static void test_body_too_large(void **state)
{
	struct client *c = api_client();
	long long id = create(c, "CHL", 2026);
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/answers", id);
	size_t n = 300 * 1024; /* the test server allows 256 KiB */
	char *big = malloc(n + 64);
	int off = snprintf(big, n + 64, "{\"answers\":{\"leg.notes\":{\"value\":\"");
	memset(big + off, 'a', n);
	strcpy(big + off + n, "\"}}}");
	struct resp r;
	assert_int_equal(client_json(c, "PUT", path, big, &r), 0);
	assert_int_equal(r.status, 413);
	assert_non_null(r.json);
	assert_string_equal(error_code(&r), "body_too_large");
	resp_free(&r);
	/* the same without a Content-Length (chunked): refused once it passes the limit */
	assert_int_equal(client_request(c, "PUT", path, "application/json", big, strlen(big),
					"Transfer-Encoding: chunked", &r),
			 0);
	assert_int_equal(r.status, 413);
	resp_free(&r);
	free(big);
	/* the server is still well */
	assert_int_equal(client_get(c, "/healthz", &r), 0);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	client_free(c);
}

/* Sends raw bytes to the server and returns what it answers within a few seconds
 * (the first read's worth is enough here). */
static void raw_exchange(const char *req, size_t len, char *out, size_t n)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(srv.app.port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	struct timeval tv = {5, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	assert_int_equal(write(fd, req, len), (ssize_t)len);
	ssize_t got = read(fd, out, n - 1);
	out[got > 0 ? got : 0] = '\0';
	close(fd);
}

static void test_hostile_requests(void **state)
{
	struct client *c = api_client();
	struct resp r;
	char out[4096];
	/* bytes that are not UTF-8 in the method and in the path: an answer, not a crash */
	static const char bad_method[] = "G\xffT /api/v1/guide HTTP/1.1\r\nHost: x\r\n\r\n";
	raw_exchange(bad_method, sizeof(bad_method) - 1, out, sizeof(out));
	assert_memory_equal(out, "HTTP/1.1 ", 9);
	assert_int_equal(client_get(c, "/api/v1/assessments/%FF", &r), 0);
	assert_int_equal(r.status, 404);
	assert_non_null(r.json); /* a valid JSON error document */
	resp_free(&r);
	assert_int_equal(client_get(c, "/api/v1/nothing/%FF%FE%C3", &r), 0);
	assert_int_equal(r.status, 404);
	assert_non_null(r.json);
	resp_free(&r);

	/* a stranger announcing a huge body is refused before any of it is read */
	static const char huge[] = "POST /api/v1/assessments HTTP/1.1\r\nHost: x\r\n"
				   "Content-Type: application/json\r\nContent-Length: 50000000\r\n\r\n";
	raw_exchange(huge, sizeof(huge) - 1, out, sizeof(out));
	assert_memory_equal(out, "HTTP/1.1 401", 12);
	/* so is an unknown route */
	static const char nowhere[] = "POST /nowhere HTTP/1.1\r\nHost: x\r\n"
				      "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 9000000\r\n\r\n";
	raw_exchange(nowhere, sizeof(nowhere) - 1, out, sizeof(out));
	assert_memory_equal(out, "HTTP/1.1 404", 12);

	/* a multipart body gets the upload limit only on the upload route */
	size_t n = 512 * 1024; /* over max_body (256 KiB), under max_upload (2 MiB) */
	char *body = malloc(n + 256);
	int off = snprintf(body, n + 256, "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n");
	memset(body + off, 'a', n);
	off += (int)n;
	off += snprintf(body + off, 64, "\r\n--b--\r\n");
	assert_int_equal(client_request(c, "POST", "/api/v1/assessments", "multipart/form-data; boundary=b", body,
					(size_t)off, NULL, &r),
			 0);
	assert_int_equal(r.status, 413);
	resp_free(&r);
	free(body);

	/* the server is still well */
	assert_int_equal(client_get(c, "/healthz", &r), 0);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthz),
		cmocka_unit_test(test_guide),
		cmocka_unit_test(test_create_and_get),
		cmocka_unit_test(test_create_invalid),
		cmocka_unit_test(test_not_found_and_method),
		cmocka_unit_test(test_answers_roundtrip),
		cmocka_unit_test(test_answers_invalid_store_nothing),
		cmocka_unit_test(test_body_too_large),
		cmocka_unit_test(test_hostile_requests),
	};
	return cmocka_run_group_tests_name("api", tests, setup, teardown);
}
