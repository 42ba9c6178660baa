/* test_review.c - review comments, evidence uploads and the audit trail (issue 4,
 * items 6-8), against a real server on port 0 with a real SQLite file, signed in
 * as the users each rule is about. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "htmlcheck.h"
#include "testsrv.h"

static struct testsrv srv;

/* ---- helpers ------------------------------------------------------------ */

static int setup(void **state)
{
	if (testsrv_start(&srv, NULL) != 0)
		return -1;
	testsrv_add_user(&srv, "rev", "reviewer", NULL, false);
	testsrv_add_user(&srv, "adm", "admin", NULL, false);
	testsrv_add_user(&srv, "ken_fp", "official", "KEN", true);
	testsrv_add_user(&srv, "ken_off", "official", "KEN", false);
	testsrv_add_user(&srv, "ken_obs", "observer", "KEN", false);
	testsrv_add_user(&srv, "gha_fp", "official", "GHA", true);
	return 0;
}

static int teardown(void **state)
{
	testsrv_stop(&srv);
	return 0;
}

/* A signed-in user: the browser (cookies) and the form token of its session. */
struct who {
	struct client *c;
	char csrf[128];
	char hdr[160]; /* X-CSRF-Token: ... for API writes from the browser */
};

static struct who login(const char *name)
{
	struct who w = {client_new(&srv), "", ""};
	long st = client_login(w.c, name, TESTSRV_PASSWORD);
	if (st != 303)
		fail_msg("login %s: %ld", name, st);
	snprintf(w.csrf, sizeof(w.csrf), "%s", client_csrf(w.c));
	assert_int_equal(strlen(w.csrf), 64);
	snprintf(w.hdr, sizeof(w.hdr), "X-CSRF-Token: %s", w.csrf);
	return w;
}

static void logout(struct who *w)
{
	client_free(w->c);
	w->c = NULL;
}

/* A JSON call from a signed-in browser; returns the status, fills *out. */
static long api(struct who *w, const char *method, const char *path, const char *json, struct resp *out)
{
	assert_int_equal(client_request(w->c, method, path, json ? "application/json" : NULL, json,
					json ? strlen(json) : 0, w->hdr, out),
			 0);
	return out->status;
}

static long get(struct who *w, const char *path, struct resp *out)
{
	assert_int_equal(client_get(w->c, path, out), 0);
	return out->status;
}

static long post_form(struct who *w, const char *path, const char *form, struct resp *out)
{
	assert_int_equal(client_post_form(w->c, path, form, out), 0);
	return out->status;
}

static long long create_assessment(struct who *w, const char *country, int round)
{
	char body[96];
	snprintf(body, sizeof(body), "{\"country\":\"%s\",\"round\":%d}", country, round);
	struct resp r;
	if (api(w, "POST", "/api/v1/assessments", body, &r) != 201)
		fail_msg("create %s %d: %ld %s", country, round, r.status, r.body);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	resp_free(&r);
	assert_true(id > 0);
	return id;
}

static void move(struct who *w, long long id, const char *to)
{
	char path[96], body[64];
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/transitions", id);
	snprintf(body, sizeof(body), "{\"to\":\"%s\"}", to);
	struct resp r;
	if (api(w, "POST", path, body, &r) != 200)
		fail_msg("transition to %s: %ld %s", to, r.status, r.body);
	resp_free(&r);
}

static void assert_html(const struct resp *r)
{
	char err[256];
	if (html_check(r->body, r->len, err, sizeof(err)) != 0)
		fail_msg("invalid HTML: %s", err);
}

/* A multipart/form-data body with csrf_token, question and one file part. */
struct body {
	char *p;
	size_t len;
};

#define BOUNDARY "----somguide-test-7MA4YWxkTrZu0gW"

static void body_add(struct body *b, const void *data, size_t n)
{
	b->p = realloc(b->p, b->len + n + 1);
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void body_adds(struct body *b, const char *s)
{
	body_add(b, s, strlen(s));
}

static struct body multipart(const char *csrf, const char *qid, const char *filename, const void *data, size_t n)
{
	struct body b = {NULL, 0};
	char part[1024];
	snprintf(part, sizeof(part),
		 "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n%s\r\n"
		 "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"question\"\r\n\r\n%s\r\n"
		 /* as the area page sends it: an empty box of another question first,
		  * then this question's box (file.QID) */
		 "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"file.other.question\"; filename=\"\"\r\n"
		 "Content-Type: application/octet-stream\r\n\r\n\r\n"
		 "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"file.%s\"; filename=\"%s\"\r\n"
		 "Content-Type: application/octet-stream\r\n\r\n",
		 csrf, qid, qid, filename);
	body_adds(&b, part);
	body_add(&b, data, n);
	body_adds(&b, "\r\n--" BOUNDARY "--\r\n");
	return b;
}

static long upload(struct who *w, long long id, const char *qid, const char *filename, const void *data, size_t n,
		   struct resp *out)
{
	char path[96];
	snprintf(path, sizeof(path), "/assessments/%lld/evidence", id);
	struct body b = multipart(w->csrf, qid, filename, data, n);
	assert_int_equal(client_request(w->c, "POST", path, "multipart/form-data; boundary=" BOUNDARY, b.p, b.len,
					NULL, out),
			 0);
	free(b.p);
	return out->status;
}

/* A small PDF with bytes of every value, NULs included. */
static size_t sample_pdf(unsigned char *buf, size_t cap)
{
	static const char head[] = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\nstream\n";
	size_t n = sizeof(head) - 1;
	memcpy(buf, head, n);
	for (int i = 0; i < 512 && n < cap - 16; i++)
		buf[n++] = (unsigned char)(i * 7);
	memcpy(buf + n, "\nendstream\n%%EOF\n", 17);
	return n + 17;
}

static const char *json_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* The audit records of an assessment (API), as a new array. */
static json_t *audit(struct who *w, long long id, const char *query)
{
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/audit%s", id, query ? query : "");
	struct resp r;
	if (api(w, "GET", path, NULL, &r) != 200)
		fail_msg("audit: %ld %s", r.status, r.body);
	json_t *a = json_incref(json_object_get(r.json, "audit"));
	resp_free(&r);
	assert_non_null(a);
	return a;
}

/* The first record of kind (newest first), borrowed from arr; NULL when none. */
static json_t *find_kind(json_t *arr, const char *kind)
{
	size_t i;
	json_t *rec;
	json_array_foreach(arr, i, rec) {
		if (strcmp(json_str(rec, "kind"), kind) == 0)
			return rec;
	}
	return NULL;
}

/* ---- comments ----------------------------------------------------------- */

static void test_comments(void **state)
{
	struct who fp = login("ken_fp"), rev = login("rev"), obs = login("ken_obs"), gha = login("gha_fp");
	long long id = create_assessment(&fp, "KEN", 2026);
	char path[160], form[1024];
	struct resp r;

	/* an official cannot open a thread: nothing to reply to yet */
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/comments", id);
	assert_int_equal(api(&fp, "POST", path, "{\"question\":\"prev.campaigns\",\"body\":\"hello\"}", &r), 409);
	resp_free(&r);

	/* the reviewer sees the comment box and comments through the page */
	snprintf(path, sizeof(path), "/assessments/%lld/areas/prevention", id);
	assert_int_equal(get(&rev, path, &r), 200);
	assert_non_null(strstr(r.body, "id=\"comment-form\""));
	assert_non_null(strstr(r.body, "name=\"body.prev.campaigns\" form=\"comment-form\""));
	assert_non_null(strstr(r.body, "form=\"comment-form\" name=\"question\" value=\"prev.campaigns\""));
	assert_null(strstr(r.body, "id=\"evidence-form\"")); /* reviewers attach nothing */
	assert_html(&r);
	resp_free(&r);
	snprintf(path, sizeof(path), "/assessments/%lld/comments", id);
	snprintf(form, sizeof(form), "csrf_token=%s&question=prev.campaigns&body.prev.campaigns=%s", rev.csrf,
		 urlenc("Please cite the <law> & its \"article\" number."));
	assert_int_equal(post_form(&rev, path, form, &r), 303);
	char loc[256];
	assert_true(resp_header(&r, "Location", loc, sizeof(loc)));
	snprintf(path, sizeof(path), "/assessments/%lld/areas/prevention#question-prev.campaigns", id);
	assert_string_equal(loc, path);
	resp_free(&r);

	/* without a token, refused */
	snprintf(path, sizeof(path), "/assessments/%lld/comments", id);
	assert_int_equal(post_form(&rev, path, "question=prev.campaigns&body=x", &r), 403);
	resp_free(&r);

	/* the API lists it */
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/comments", id);
	assert_int_equal(api(&fp, "GET", path, NULL, &r), 200);
	json_t *list = json_object_get(r.json, "comments");
	assert_int_equal(json_array_size(list), 1);
	json_t *c0 = json_array_get(list, 0);
	json_int_t review_id = json_integer_value(json_object_get(c0, "id"));
	assert_string_equal(json_str(c0, "kind"), "review");
	assert_string_equal(json_str(c0, "question"), "prev.campaigns");
	assert_string_equal(json_str(c0, "body"), "Please cite the <law> & its \"article\" number.");
	assert_string_equal(json_str(json_object_get(c0, "author"), "username"), "rev");
	assert_true(json_is_true(json_object_get(c0, "open")));
	resp_free(&r);

	/* the official sees it beside the question, escaped, with a reply box */
	snprintf(path, sizeof(path), "/assessments/%lld/areas/prevention", id);
	assert_int_equal(get(&fp, path, &r), 200);
	assert_null(strstr(r.body, "<law>"));
	assert_non_null(strstr(r.body, "Please cite the &lt;law&gt; &amp; its &quot;article&quot; number."));
	assert_non_null(strstr(r.body, "name=\"body.prev.campaigns\""));
	assert_null(strstr(r.body, "name=\"body.prev.channels\"")); /* no thread there */
	assert_null(strstr(r.body, "id=\"resolve-")); /* officials do not resolve */
	assert_html(&r);
	resp_free(&r);

	/* the observer reads it but has no box, and cannot post */
	assert_int_equal(get(&obs, path, &r), 200);
	assert_non_null(strstr(r.body, "Please cite the &lt;law&gt;"));
	assert_null(strstr(r.body, "id=\"comment-form\""));
	resp_free(&r);
	snprintf(path, sizeof(path), "/assessments/%lld/comments", id);
	snprintf(form, sizeof(form), "csrf_token=%s&question=prev.campaigns&body=me+too", obs.csrf);
	assert_int_equal(post_form(&obs, path, form, &r), 403);
	resp_free(&r);

	/* another country's official does not see the assessment at all */
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/comments", id);
	assert_int_equal(api(&gha, "GET", path, NULL, &r), 404);
	resp_free(&r);
	assert_int_equal(api(&gha, "POST", path, "{\"question\":\"prev.campaigns\",\"body\":\"x\"}", &r), 404);
	resp_free(&r);

	/* bad comments: empty, too long, unknown question, unknown field */
	snprintf(path, sizeof(path), "/assessments/%lld/comments", id);
	snprintf(form, sizeof(form), "csrf_token=%s&question=prev.campaigns&body=+%%0D%%0A", fp.csrf);
	assert_int_equal(post_form(&fp, path, form, &r), 422);
	assert_non_null(strstr(r.body, "id=\"error-summary\""));
	assert_non_null(strstr(r.body, "id=\"comment-error-prev.campaigns\""));
	assert_html(&r);
	resp_free(&r);
	char *longform = malloc(8000);
	int n = snprintf(longform, 8000, "csrf_token=%s&question=prev.campaigns&body=", fp.csrf);
	memset(longform + n, 'a', 5001);
	longform[n + 5001] = '\0';
	assert_int_equal(post_form(&fp, path, longform, &r), 422);
	/* what was written is kept in the box */
	assert_non_null(strstr(r.body, "aaaaaaaaaaaaaaaaaaaa</textarea>"));
	resp_free(&r);
	free(longform);
	snprintf(form, sizeof(form), "csrf_token=%s&question=no.such&body=hello", fp.csrf);
	assert_int_equal(post_form(&fp, path, form, &r), 422);
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/comments", id);
	assert_int_equal(api(&rev, "POST", path, "{\"question\":\"prev.campaigns\",\"body\":\"x\",\"extra\":1}", &r), 422);
	resp_free(&r);
	assert_int_equal(api(&rev, "POST", path, "{\"question\":\"prev.campaigns\",\"body\":\"a\\u0000b\"}", &r), 400);
	resp_free(&r);

	/* the official replies through the API: the review comment is answered */
	assert_int_equal(api(&fp, "POST", path,
			     "{\"question\":\"prev.campaigns\",\"body\":\"Law 12 of 2010, article 4 \\u00e9\"}", &r),
			 201);
	assert_string_equal(json_str(r.json, "kind"), "reply");
	assert_string_equal(json_str(json_object_get(r.json, "author"), "username"), "ken_fp");
	json_int_t reply_id = json_integer_value(json_object_get(r.json, "id"));
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/comments?question=prev.campaigns", id);
	assert_int_equal(api(&rev, "GET", path, NULL, &r), 200);
	list = json_object_get(r.json, "comments");
	assert_int_equal(json_array_size(list), 2);
	c0 = json_array_get(list, 0);
	assert_false(json_is_true(json_object_get(c0, "open")));
	assert_int_equal(json_integer_value(json_object_get(c0, "answered_by")), reply_id);
	assert_string_equal(json_str(json_array_get(list, 1), "body"), "Law 12 of 2010, article 4 \u00e9");
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/comments?question=nope", id);
	assert_int_equal(api(&rev, "GET", path, NULL, &r), 400);
	resp_free(&r);

	/* the reviewer asks about another question, submits and returns: the overview
	 * of the returned assessment says what needs work */
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/comments", id);
	assert_int_equal(api(&rev, "POST", path, "{\"question\":\"data.system\",\"body\":\"Which agency keeps it?\"}", &r),
			 201);
	json_int_t open_id = json_integer_value(json_object_get(r.json, "id"));
	resp_free(&r);
	move(&fp, id, "submitted");
	move(&rev, id, "returned");
	snprintf(path, sizeof(path), "/assessments/%lld", id);
	assert_int_equal(get(&fp, path, &r), 200);
	assert_non_null(strstr(r.body, "What needs work"));
	snprintf(loc, sizeof(loc), "href=\"/assessments/%lld/areas/data#question-data.system\"", id);
	assert_non_null(strstr(r.body, loc));
	snprintf(loc, sizeof(loc), "href=\"/assessments/%lld/areas/prevention#question-prev.campaigns\"", id);
	assert_null(strstr(r.body, loc)); /* answered */
	assert_html(&r);
	resp_free(&r);

	/* the reviewer resolves it from the page; nothing is left open */
	snprintf(path, sizeof(path), "/assessments/%lld/areas/data", id);
	assert_int_equal(get(&rev, path, &r), 200);
	snprintf(loc, sizeof(loc), "id=\"resolve-%" JSON_INTEGER_FORMAT "\"", open_id);
	assert_non_null(strstr(r.body, loc));
	resp_free(&r);
	snprintf(path, sizeof(path), "/assessments/%lld/comments/%" JSON_INTEGER_FORMAT "/resolve", id, open_id);
	snprintf(form, sizeof(form), "csrf_token=%s", fp.csrf);
	assert_int_equal(post_form(&fp, path, form, &r), 403); /* officials do not resolve */
	resp_free(&r);
	snprintf(form, sizeof(form), "csrf_token=%s", rev.csrf);
	assert_int_equal(post_form(&rev, path, form, &r), 303);
	resp_free(&r);
	assert_int_equal(post_form(&rev, path, form, &r), 404); /* already resolved */
	resp_free(&r);
	snprintf(path, sizeof(path), "/assessments/%lld", id);
	assert_int_equal(get(&fp, path, &r), 200);
	assert_null(strstr(r.body, "What needs work"));
	resp_free(&r);

	/* and the review closes with validation */
	(void)review_id;
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/comments", id);
	assert_int_equal(api(&rev, "POST", path, "{\"question\":\"cj.unit\",\"body\":\"For the next round.\"}", &r),
			 201);
	json_int_t left_open = json_integer_value(json_object_get(r.json, "id"));
	resp_free(&r);
	move(&fp, id, "submitted");
	move(&rev, id, "validated");
	assert_int_equal(api(&rev, "POST", path, "{\"question\":\"data.system\",\"body\":\"late\"}", &r), 409);
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/comments/%" JSON_INTEGER_FORMAT "/resolve", id, left_open);
	assert_int_equal(api(&rev, "POST", path, NULL, &r), 409);
	resp_free(&r);

	logout(&fp);
	logout(&rev);
	logout(&obs);
	logout(&gha);
}

/* ---- evidence ----------------------------------------------------------- */

static void test_evidence(void **state)
{
	struct who fp = login("ken_fp"), off = login("ken_off"), rev = login("rev"), obs = login("ken_obs"),
		   gha = login("gha_fp"), adm = login("adm");
	long long id = create_assessment(&fp, "KEN", 2027);
	unsigned char pdf[1024];
	size_t pdf_len = sample_pdf(pdf, sizeof(pdf));
	char path[160], hv[512];
	struct resp r;

	/* the official sees the upload control under each question */
	snprintf(path, sizeof(path), "/assessments/%lld/areas/legislation", id);
	assert_int_equal(get(&fp, path, &r), 200);
	assert_non_null(strstr(r.body, "id=\"evidence-form\""));
	assert_non_null(strstr(r.body, "name=\"file.leg.criminalized\" form=\"evidence-form\""));
	assert_non_null(strstr(r.body, "enctype=\"multipart/form-data\""));
	assert_non_null(strstr(r.body, "type=\"file\""));
	assert_html(&r);
	resp_free(&r);

	/* accepted; the name is made safe */
	assert_int_equal(upload(&fp, id, "leg.criminalized", "C:\\Users\\me\\Law: 2010 <final>?.pdf", pdf,
				pdf_len, &r),
			 303);
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/evidence", id);
	assert_int_equal(api(&obs, "GET", path, NULL, &r), 200);
	json_t *list = json_object_get(r.json, "evidence");
	assert_int_equal(json_array_size(list), 1);
	json_t *e = json_array_get(list, 0);
	assert_string_equal(json_str(e, "filename"), "Law_ 2010 _final__.pdf");
	assert_string_equal(json_str(e, "type"), "application/pdf");
	assert_string_equal(json_str(e, "question"), "leg.criminalized");
	assert_int_equal(json_integer_value(json_object_get(e, "size")), pdf_len);
	assert_int_equal(strlen(json_str(e, "sha256")), 64);
	assert_string_equal(json_str(json_object_get(e, "uploaded_by"), "username"), "ken_fp");
	char url[160];
	snprintf(url, sizeof(url), "%s", json_str(e, "url"));
	json_int_t eid = json_integer_value(json_object_get(e, "id"));
	resp_free(&r);

	/* downloaded back byte-identical, as an attachment, by whoever may see it */
	struct who *readers[] = {&fp, &off, &obs, &rev, &adm};
	for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]); i++) {
		assert_int_equal(get(readers[i], url, &r), 200);
		assert_int_equal(r.len, pdf_len);
		assert_memory_equal(r.body, pdf, pdf_len);
		assert_true(resp_header(&r, "Content-Type", hv, sizeof(hv)));
		assert_string_equal(hv, "application/pdf");
		assert_true(resp_header(&r, "Content-Disposition", hv, sizeof(hv)));
		assert_string_equal(hv, "attachment; filename=\"Law_ 2010 _final__.pdf\"; "
					"filename*=UTF-8''Law_%202010%20_final__.pdf");
		assert_true(resp_header(&r, "X-Content-Type-Options", hv, sizeof(hv)));
		assert_string_equal(hv, "nosniff");
		resp_free(&r);
	}
	/* not by another country's official, nor through another assessment */
	assert_int_equal(get(&gha, url, &r), 404);
	resp_free(&r);
	long long other = create_assessment(&gha, "GHA", 2027);
	snprintf(path, sizeof(path), "/assessments/%lld/evidence/%" JSON_INTEGER_FORMAT, other, eid);
	assert_int_equal(get(&gha, path, &r), 404);
	resp_free(&r);
	assert_int_equal(get(&rev, path, &r), 404);
	resp_free(&r);

	/* listed under its question */
	snprintf(path, sizeof(path), "/assessments/%lld/areas/legislation", id);
	assert_int_equal(get(&obs, path, &r), 200);
	snprintf(hv, sizeof(hv), "<a href=\"%s\">Law_ 2010 _final__.pdf</a>", url);
	assert_non_null(strstr(r.body, hv));
	assert_null(strstr(r.body, "id=\"evidence-form\"")); /* observers attach nothing */
	assert_null(strstr(r.body, "id=\"evidence-delete-"));
	resp_free(&r);

	/* a non-ASCII name: an ASCII fallback and the UTF-8 original (RFC 6266) */
	static const char csv[] = "country,cases\nKEN,12\n";
	assert_int_equal(upload(&off, id, "leg.notes", "Donn\xc3\xa9" "es 2025.csv", csv, sizeof(csv) - 1, &r), 303);
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/evidence?question=leg.notes", id);
	assert_int_equal(api(&fp, "GET", path, NULL, &r), 200);
	e = json_array_get(json_object_get(r.json, "evidence"), 0);
	assert_string_equal(json_str(e, "type"), "text/csv");
	snprintf(url, sizeof(url), "%s", json_str(e, "url"));
	json_int_t csv_id = json_integer_value(json_object_get(e, "id"));
	resp_free(&r);
	assert_int_equal(get(&rev, url, &r), 200);
	assert_true(resp_header(&r, "Content-Disposition", hv, sizeof(hv)));
	assert_string_equal(hv, "attachment; filename=\"Donn_es 2025.csv\"; filename*=UTF-8''Donn%C3%A9es%202025.csv");
	assert_true(resp_header(&r, "Content-Type", hv, sizeof(hv)));
	assert_string_equal(hv, "text/csv; charset=utf-8");
	resp_free(&r);

	/* too large: 413 (the test server takes 2 MiB) */
	size_t big_n = 2 * 1024 * 1024 + 4096;
	unsigned char *big = malloc(big_n);
	memcpy(big, pdf, pdf_len);
	memset(big + pdf_len, 'x', big_n - pdf_len);
	assert_int_equal(upload(&fp, id, "leg.criminalized", "big.pdf", big, big_n, &r), 413);
	assert_non_null(strstr(r.body, "The upload is larger than the limit of 2 MB."));
	resp_free(&r);
	free(big);

	/* wrong types: 415 with the reason on the page */
	static const char exe[] = "MZ\x90\x00\x03\x00\x00\x00\x04\x00";
	assert_int_equal(upload(&fp, id, "leg.criminalized", "tool.exe", exe, sizeof(exe) - 1, &r), 415);
	assert_non_null(strstr(r.body, "cannot be attached"));
	assert_non_null(strstr(r.body, "id=\"evidence-error-leg.criminalized\""));
	assert_html(&r);
	resp_free(&r);
	assert_int_equal(upload(&fp, id, "leg.criminalized", "report.pdf", exe, sizeof(exe) - 1, &r), 415); /* lies */
	resp_free(&r);
	static const char html[] = "<html><script>alert(1)</script></html>";
	assert_int_equal(upload(&fp, id, "leg.criminalized", "page.html", html, sizeof(html) - 1, &r), 415);
	resp_free(&r);
	assert_int_equal(upload(&fp, id, "leg.criminalized", "table.xlsx", pdf, pdf_len, &r), 415);
	resp_free(&r);
	assert_int_equal(upload(&fp, id, "leg.criminalized", "empty.txt", "", 0, &r), 422);
	resp_free(&r);
	assert_int_equal(upload(&fp, id, "no.such", "a.pdf", pdf, pdf_len, &r), 422);
	resp_free(&r);

	/* who may upload */
	assert_int_equal(upload(&obs, id, "leg.criminalized", "a.pdf", pdf, pdf_len, &r), 403);
	resp_free(&r);
	assert_int_equal(upload(&rev, id, "leg.criminalized", "a.pdf", pdf, pdf_len, &r), 403);
	resp_free(&r);
	assert_int_equal(upload(&gha, id, "leg.criminalized", "a.pdf", pdf, pdf_len, &r), 404);
	resp_free(&r);
	/* a browser without the form token */
	{
		char p2[96];
		snprintf(p2, sizeof(p2), "/assessments/%lld/evidence", id);
		struct body b = multipart("0000", "leg.criminalized", "a.pdf", pdf, pdf_len);
		assert_int_equal(client_request(fp.c, "POST", p2, "multipart/form-data; boundary=" BOUNDARY, b.p, b.len,
						NULL, &r),
				 0);
		assert_int_equal(r.status, 403);
		resp_free(&r);
		free(b.p);
	}

	/* removal: not by a colleague, by the uploader */
	char del[160], form[160];
	snprintf(del, sizeof(del), "/assessments/%lld/evidence/%" JSON_INTEGER_FORMAT "/delete", id, eid);
	snprintf(form, sizeof(form), "csrf_token=%s", off.csrf);
	assert_int_equal(post_form(&off, del, form, &r), 403);
	resp_free(&r);
	snprintf(form, sizeof(form), "csrf_token=%s", fp.csrf);
	assert_int_equal(post_form(&fp, del, form, &r), 303);
	resp_free(&r);
	snprintf(path, sizeof(path), "/assessments/%lld/evidence/%" JSON_INTEGER_FORMAT, id, eid);
	assert_int_equal(get(&fp, path, &r), 404);
	resp_free(&r);
	assert_int_equal(post_form(&fp, del, form, &r), 404);
	resp_free(&r);

	/* once submitted, nothing is added or removed */
	move(&fp, id, "submitted");
	assert_int_equal(upload(&fp, id, "leg.criminalized", "a.pdf", pdf, pdf_len, &r), 409);
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/evidence/%" JSON_INTEGER_FORMAT, id, csv_id);
	assert_int_equal(api(&adm, "DELETE", path, NULL, &r), 409);
	resp_free(&r);
	/* back in revision, an administrator may remove it */
	move(&rev, id, "returned");
	assert_int_equal(api(&adm, "DELETE", path, NULL, &r), 200);
	resp_free(&r);

	logout(&fp);
	logout(&off);
	logout(&rev);
	logout(&obs);
	logout(&gha);
	logout(&adm);
}

/* ---- audit trail -------------------------------------------------------- */

static void test_audit_trail(void **state)
{
	struct who fp = login("ken_fp"), rev = login("rev"), gha = login("gha_fp"), obs = login("ken_obs");
	long long id = create_assessment(&fp, "KEN", 2028);
	char path[160];
	struct resp r;

	/* answers: first given, then changed */
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/answers", id);
	assert_int_equal(api(&fp, "PUT", path,
			     "{\"answers\":{\"prev.campaigns\":{\"value\":\"some\"},"
			     "\"prev.channels\":{\"value\":[\"media\",\"online\"]}}}",
			     &r),
			 200);
	resp_free(&r);
	assert_int_equal(api(&fp, "PUT", path,
			     "{\"answers\":{\"prev.campaigns\":{\"value\":\"effective\",\"comment\":\"since <2024>\"}}}", &r),
			 200);
	resp_free(&r);
	/* a comment, a reply, a file, a removal, status moves */
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/comments", id);
	assert_int_equal(api(&rev, "POST", path, "{\"question\":\"prev.campaigns\",\"body\":\"Evaluated by whom?\"}", &r),
			 201);
	resp_free(&r);
	assert_int_equal(api(&fp, "POST", path, "{\"question\":\"prev.campaigns\",\"body\":\"The ministry.\"}", &r), 201);
	resp_free(&r);
	static const char txt[] = "Campaign report 2025\n";
	assert_int_equal(upload(&fp, id, "prev.campaigns", "report.txt", txt, sizeof(txt) - 1, &r), 303);
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/evidence", id);
	assert_int_equal(api(&fp, "GET", path, NULL, &r), 200);
	json_int_t eid = json_integer_value(json_object_get(json_array_get(json_object_get(r.json, "evidence"), 0), "id"));
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/evidence/%" JSON_INTEGER_FORMAT, id, eid);
	assert_int_equal(api(&fp, "DELETE", path, NULL, &r), 200);
	resp_free(&r);
	move(&fp, id, "submitted");

	/* the API: newest first, who, old and new */
	json_t *a = audit(&rev, id, NULL);
	assert_string_equal(json_str(json_array_get(a, 0), "kind"), "status");
	json_t *rec = find_kind(a, "status");
	assert_string_equal(json_str(rec, "old"), "draft");
	assert_string_equal(json_str(rec, "new"), "submitted");
	assert_string_equal(json_str(json_object_get(rec, "user"), "username"), "ken_fp");
	rec = find_kind(a, "answer"); /* the newest answer record: some -> effective */
	assert_string_equal(json_str(rec, "target"), "prev.campaigns");
	assert_string_equal(json_str(rec, "old"), "some");
	assert_string_equal(json_str(rec, "new"), "effective");
	rec = find_kind(a, "answer_comment");
	assert_string_equal(json_str(rec, "new"), "since <2024>");
	rec = find_kind(a, "comment"); /* newest: the reply */
	assert_string_equal(json_str(json_object_get(rec, "new"), "kind"), "reply");
	assert_string_equal(json_str(json_object_get(rec, "new"), "body"), "The ministry.");
	assert_true(json_is_null(json_object_get(rec, "old")));
	rec = find_kind(a, "comment_resolved");
	assert_non_null(rec);
	assert_string_equal(json_str(json_object_get(rec, "user"), "username"), "ken_fp");
	rec = find_kind(a, "evidence_deleted");
	assert_string_equal(json_str(json_object_get(rec, "old"), "filename"), "report.txt");
	assert_true(json_is_null(json_object_get(rec, "new")));
	rec = find_kind(a, "evidence_added");
	assert_string_equal(json_str(json_object_get(rec, "new"), "filename"), "report.txt");
	assert_int_equal(strlen(json_str(json_object_get(rec, "new"), "sha256")), 64);
	assert_string_equal(json_str(json_object_get(rec, "user"), "username"), "ken_fp");
	/* ids descend */
	size_t n = json_array_size(a);
	assert_true(n >= 10);
	for (size_t i = 1; i < n; i++)
		assert_true(json_integer_value(json_object_get(json_array_get(a, i - 1), "id")) >
			    json_integer_value(json_object_get(json_array_get(a, i), "id")));
	json_int_t oldest_shown = json_integer_value(json_object_get(json_array_get(a, 1), "id"));
	json_decref(a);

	/* filters and paging */
	a = audit(&rev, id, "?question=prev.channels");
	assert_int_equal(json_array_size(a), 1);
	json_t *v = json_object_get(json_array_get(a, 0), "new");
	assert_int_equal(json_array_size(v), 2);
	json_decref(a);
	a = audit(&rev, id, "?limit=1");
	assert_int_equal(json_array_size(a), 1);
	json_decref(a);
	char q[64];
	snprintf(q, sizeof(q), "?before=%" JSON_INTEGER_FORMAT "&limit=1", oldest_shown);
	a = audit(&rev, id, q);
	assert_true(json_integer_value(json_object_get(json_array_get(a, 0), "id")) < oldest_shown);
	json_decref(a);
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/audit?limit=0", id);
	assert_int_equal(api(&rev, "GET", path, NULL, &r), 400);
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/audit", id);
	assert_int_equal(api(&gha, "GET", path, NULL, &r), 404);
	resp_free(&r);

	/* the history page: readable values with the guide's labels, names, newest first */
	snprintf(path, sizeof(path), "/assessments/%lld/history", id);
	assert_int_equal(get(&obs, path, &r), 200);
	assert_html(&r);
	const char *b = r.body;
	assert_non_null(strstr(b, "<td class=\"value\">Occasional</td>"));
	assert_non_null(strstr(b, "<td class=\"value\">Regular and evaluated</td>"));
	assert_non_null(strstr(b, "since &lt;2024&gt;"));
	assert_non_null(strstr(b, "Evaluated by whom?"));
	assert_non_null(strstr(b, "report.txt"));
	assert_non_null(strstr(b, "ken_fp"));
	assert_non_null(strstr(b, ">rev<"));
	const char *status = strstr(b, "Submitted");
	const char *first_answer = strstr(b, "(no answer)");
	assert_non_null(status);
	assert_non_null(first_answer);
	assert_true(status < first_answer); /* newest first */
	char href[128];
	snprintf(href, sizeof(href), "href=\"/assessments/%lld/history/prev.campaigns\"", id);
	assert_non_null(strstr(b, href));
	resp_free(&r);

	/* one answer's history */
	snprintf(path, sizeof(path), "/assessments/%lld/history/prev.campaigns", id);
	assert_int_equal(get(&fp, path, &r), 200);
	assert_html(&r);
	assert_non_null(strstr(r.body, "Are there public awareness campaigns"));
	assert_non_null(strstr(r.body, "Regular and evaluated"));
	assert_non_null(strstr(r.body, "The ministry."));
	assert_null(strstr(r.body, "Schools")); /* prev.channels is not here */
	assert_null(strstr(r.body, ">Status<"));
	resp_free(&r);
	snprintf(path, sizeof(path), "/assessments/%lld/history/prev.channels", id);
	assert_int_equal(get(&fp, path, &r), 200);
	assert_non_null(strstr(r.body, "General public; Online"));
	resp_free(&r);
	snprintf(path, sizeof(path), "/assessments/%lld/history/no.such", id);
	assert_int_equal(get(&fp, path, &r), 404);
	resp_free(&r);
	assert_int_equal(get(&gha, path, &r), 404);
	resp_free(&r);
	snprintf(path, sizeof(path), "/assessments/%lld/history", id);
	assert_int_equal(get(&gha, path, &r), 404);
	resp_free(&r);

	/* the area page links each answer to its history; the overview to the whole */
	snprintf(path, sizeof(path), "/assessments/%lld/areas/prevention", id);
	assert_int_equal(get(&fp, path, &r), 200);
	assert_non_null(strstr(r.body, href));
	resp_free(&r);
	snprintf(path, sizeof(path), "/assessments/%lld", id);
	assert_int_equal(get(&fp, path, &r), 200);
	snprintf(href, sizeof(href), "href=\"/assessments/%lld/history\"", id);
	assert_non_null(strstr(r.body, href));
	resp_free(&r);

	logout(&fp);
	logout(&rev);
	logout(&gha);
	logout(&obs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_evidence),
		cmocka_unit_test(test_audit_trail),
	};
	return cmocka_run_group_tests_name("review", tests, setup, teardown);
}
