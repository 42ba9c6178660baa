/* h_evidence.c - evidence files attached to questions: upload (multipart form),
 * download as an attachment, removal, and the API list.
 *
 * A file is accepted only when its extension names a type of the allow-list and
 * its content looks like that type (evidence.c); its bytes go into the store,
 * never onto the disk under a name a user chose. Files are served only to those
 * who may see the assessment (h_load_assessment), always as a download. Adding
 * and removing are possible only while the answers are editable, and recorded in
 * the audit trail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app.h"
#include "db.h"
#include "db_evidence.h"
#include "evidence.h"
#include "handlers.h"
#include "http.h"
#include "util.h"

/* Checks and stores the uploaded file of the request for question q of a.
 * Returns the new id, or 0 after setting an error on r. */
static long long evidence_add(struct req *r, const struct assessment *a, const struct guide_question *q)
{
	if (!h_is_official(r) && !h_is_admin(r)) {
		req_error(r, 403, "forbidden", "Only officials of the country attach evidence.");
		return 0;
	}
	if (!h_editable(a)) {
		req_error(r, 409, "not_editable", "This assessment is %s; evidence can no longer be added.", a->status);
		return 0;
	}
	/* the area page's upload form has one file box per question (file.QID); the
	 * pressed button names the question */
	char field[128];
	snprintf(field, sizeof(field), "file.%s", q->id);
	const struct form_field *f = req_field(r, field);
	if (!f)
		f = req_field(r, "file");
	if (!f || !f->filename || !f->filename[0]) {
		req_error(r, 422, "no_file", "Choose a file to attach.");
		return 0;
	}
	char name[EVIDENCE_NAME_MAX + 1];
	evidence_sanitize_name(f->filename, name);
	if (f->len == 0) {
		req_error(r, 422, "empty_file", "The file \u201c%s\u201d is empty.", name);
		return 0;
	}
	if (f->len > r->app->cfg.max_upload) {
		char limit[32];
		evidence_size_text((long long)r->app->cfg.max_upload, limit, sizeof(limit));
		req_error(r, 413, "file_too_large", "The file \u201c%s\u201d is larger than %s.", name, limit);
		return 0;
	}
	const struct evidence_type *t = evidence_sniff(name, f->value, f->len);
	if (!t) {
		req_error(r, 415, "unsupported_file_type",
			  "The file \u201c%.80s\u201d cannot be attached: it is not one of the accepted types (%s), or "
			  "its content does not match its extension.",
			  name, evidence_types_text());
		return 0;
	}
	unsigned char hash[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	crypto_hash_sha256(hash, (const unsigned char *)f->value, f->len);
	sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
	long long id = db_evidence_add(r->db, a->id, q->id, name, t->media_type, f->value, f->len, hex, r->user->id);
	if (id <= 0) {
		req_error(r, 503, "database_error", "the file could not be stored");
		return 0;
	}
	return id;
}

int h_evidence_upload(struct req *r)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	const char *qid = req_form(r, "question");
	const struct guide *g = h_guide(r, &a);
	const struct guide_question *q = qid ? guide_question(g, qid) : NULL;
	if (!q)
		return req_error(r, 422, "invalid_evidence",
				 "The form names no question of the guide; reload the page and try again.");
	if (evidence_add(r, &a, q) <= 0)
		return h_area_error(r, &a, q, "evidence_error", NULL);
	return req_redirect(r, "/assessments/%lld/areas/%s#question-%s", a.id, g->areas[q->area].id, q->id);
}

int h_evidence_download(struct req *r)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	long long eid = req_param_id(r, 1);
	struct evidence_file e;
	int rc = eid > 0 ? db_evidence_get(r->db, a.id, eid, &e, 1) : 0;
	if (rc < 0)
		return req_error(r, 503, "database_error", "the file cannot be read");
	if (rc == 0)
		return req_error(r, 404, "not_found", "There is no such file.");
	const struct evidence_type *t = evidence_type_by_media(e.type);
	free(r->raw_disposition);
	r->raw_disposition = evidence_disposition(e.filename);
	req_add_header(r, "Cache-Control", "private, no-store");
	return req_raw(r, 200, t ? t->serve_type : "application/octet-stream", e.data, (size_t)e.size, false);
}

/* Removes evidence route parameter 1 of a. Returns 0 with *q set to its question
 * in g, a's guide (NULL when g has no such question), or the status it answered
 * with. */
static int evidence_delete(struct req *r, const struct assessment *a, const struct guide *g,
			   const struct guide_question **q)
{
	long long eid = req_param_id(r, 1);
	struct evidence_file e;
	int rc = eid > 0 ? db_evidence_get(r->db, a->id, eid, &e, 0) : 0;
	if (rc < 0)
		return req_error(r, 503, "database_error", "the file cannot be read");
	if (rc == 0)
		return req_error(r, 404, "not_found", "There is no such file.");
	*q = guide_question(g, e.question);
	if (!h_is_admin(r) && !(h_is_official(r) && r->user->id == e.uploaded_by))
		return req_error(r, 403, "forbidden", "Only the person who attached a file, or an administrator, can "
						      "remove it.");
	if (!h_editable(a))
		return req_error(r, 409, "not_editable", "This assessment is %s; its evidence can no longer be removed.",
				 a->status);
	rc = db_evidence_delete(r->db, a->id, eid, r->user->id);
	if (rc < 0)
		return req_error(r, 503, "database_error", "the file could not be removed");
	if (rc == 0)
		return req_error(r, 404, "not_found", "There is no such file.");
	return 0;
}

int h_evidence_delete(struct req *r)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	const struct guide *g = h_guide(r, &a);
	const struct guide_question *q = NULL;
	st = evidence_delete(r, &a, g, &q);
	if (st)
		return q && st == 409 ? h_area_error(r, &a, q, "evidence_error", NULL) : st;
	if (!q)
		return req_redirect(r, "/assessments/%lld", a.id);
	return req_redirect(r, "/assessments/%lld/areas/%s#question-%s", a.id, g->areas[q->area].id, q->id);
}

int h_api_evidence_list(struct req *r)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	const char *qid;
	if ((st = h_query_question(r, &a, &qid)))
		return st;
	json_t *list = db_evidence_list(r->db, a.id, qid);
	if (!list)
		return req_error(r, 503, "database_error", "the evidence cannot be read");
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e) {
		char url[96];
		snprintf(url, sizeof(url), "/assessments/%lld/evidence/%" JSON_INTEGER_FORMAT, a.id,
			 json_integer_value(json_object_get(e, "id")));
		json_object_set_new(e, "url", json_string(url));
	}
	return req_json(r, 200, json_pack("{s:o}", "evidence", list));
}

int h_api_evidence_delete(struct req *r)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	const struct guide_question *q = NULL;
	st = evidence_delete(r, &a, h_guide(r, &a), &q);
	if (st)
		return st;
	return req_json(r, 200, json_pack("{s:b}", "deleted", 1));
}
