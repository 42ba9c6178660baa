/* h_review.c - review comments (pages and API), and what the area and overview
 * pages show of the review: the comment thread and the evidence under each
 * question, and the questions that still need work.
 *
 * Who may write (the route table declares the roles; the checks here say why a
 * request that passed them is still refused):
 * - reviewers and administrators comment on any question of any assessment they
 *   can see ("review" comments) and resolve open ones;
 * - officials of the country reply in a thread that has a review comment
 *   ("reply"); a reply answers the thread's open review comments;
 * - observers read only; nobody writes on a validated assessment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "db.h"
#include "db_comments.h"
#include "db_evidence.h"
#include "evidence.h"
#include "handlers.h"
#include "http.h"
#include "util.h"

/* ---- shared by the review, evidence and history handlers ----------------- */

bool h_is_reviewer(const struct req *r)
{
	return r->user && (strcmp(r->user->role, "reviewer") == 0 || strcmp(r->user->role, "admin") == 0);
}

bool h_is_admin(const struct req *r)
{
	return r->user && strcmp(r->user->role, "admin") == 0;
}

bool h_is_official(const struct req *r)
{
	return r->user && strcmp(r->user->role, "official") == 0;
}

void h_question_num(const struct guide *g, const struct guide_question *q, char buf[static 16])
{
	snprintf(buf, 16, "%d.%zu", q->area + 1, q->index - g->areas[q->area].first_q + 1);
}

void h_when_text(const char *iso, char buf[static 32])
{
	/* "2026-11-28T16:40:05Z" -> "2026-11-28 16:40 UTC" */
	if (iso && strlen(iso) >= 16 && iso[10] == 'T')
		snprintf(buf, 32, "%.10s %.5s UTC", iso, iso + 11);
	else
		snprintf(buf, 32, "%s", iso ? iso : "");
}

const char *h_user_name(const json_t *user)
{
	const char *s = json_string_value(json_object_get(user, "username"));
	return s ? s : "—";
}

json_t *h_question_of(json_t *view, const char *qid)
{
	size_t i;
	json_t *q;
	json_array_foreach(json_object_get(view, "questions"), i, q) {
		if (strcmp(json_string_value(json_object_get(q, "qid")), qid) == 0)
			return q;
	}
	return NULL;
}

int h_area_error(struct req *r, const struct assessment *a, const struct guide_question *q, const char *key,
		 const char *draft)
{
	int status = r->status;
	if (status == 401 || status == 403 || status >= 500 || req_is_api(r))
		return status;
	char num[16], msg[400];
	h_question_num(h_guide(r, a), q, num);
	snprintf(msg, sizeof(msg), "Question %s: %s", num, r->err_msg);
	char field_msg[sizeof(r->err_msg)];
	snprintf(field_msg, sizeof(field_msg), "%s", r->err_msg);
	r->err_code = NULL;
	r->err_msg[0] = '\0';
	int st = h_area_page(r, status, a, q->area, json_pack("[{s:s}]", "message", msg));
	json_t *qv = r->view ? h_question_of(r->view, q->id) : NULL;
	if (qv) {
		json_object_set_new(qv, key, json_string(field_msg));
		if (draft && util_utf8_valid(draft, strlen(draft)))
			json_object_set_new(qv, "comment_draft", json_string(draft));
	}
	return st;
}

/* ---- comments ------------------------------------------------------------ */

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return false;
	return true;
}

/* Checks and stores the caller's comment on question q of a. Returns the new id,
 * or 0 after setting an error on r. */
static long long comment_add(struct req *r, const struct assessment *a, const struct guide_question *q,
			     const char *body)
{
	const char *kind;
	if (h_is_reviewer(r))
		kind = "review";
	else if (h_is_official(r))
		kind = "reply";
	else {
		req_error(r, 403, "forbidden", "You can read the review comments but not write them.");
		return 0;
	}
	if (strcmp(a->status, "validated") == 0) {
		req_error(r, 409, "review_closed", "This assessment has been validated; its review is closed.");
		return 0;
	}
	size_t len = body ? strlen(body) : 0;
	if (!body || blank(body)) {
		req_error(r, 422, "invalid_comment", "Write the comment before sending it.");
		return 0;
	}
	if (len > COMMENT_BODY_MAX) {
		req_error(r, 422, "invalid_comment", "The comment is too long: at most %d bytes.", COMMENT_BODY_MAX);
		return 0;
	}
	if (!util_utf8_valid(body, len)) {
		req_error(r, 422, "invalid_comment", "The comment contains characters that are not allowed.");
		return 0;
	}
	if (strcmp(kind, "reply") == 0) {
		int rc = db_comment_thread_open(r->db, a->id, q->id);
		if (rc < 0) {
			req_error(r, 503, "database_error", "the comments cannot be read");
			return 0;
		}
		if (rc == 0) {
			req_error(r, 409, "no_review_comment",
				  "There is no reviewer comment on this question to reply to. Use the comment box "
				  "of the answer for your own notes.");
			return 0;
		}
	}
	long long id = db_comment_add(r->db, a->id, q->id, r->user->id, kind, body);
	if (id <= 0) {
		req_error(r, 503, "database_error", "the comment could not be saved");
		return 0;
	}
	return id;
}

static const struct guide_question *form_question(struct req *r, const struct guide *g)
{
	const char *qid = req_form(r, "question");
	return qid ? guide_question(g, qid) : NULL;
}

/* q is a question of g, the guide of a. */
static int redirect_to_question(struct req *r, const struct assessment *a, const struct guide *g,
				const struct guide_question *q)
{
	return req_redirect(r, "/assessments/%lld/areas/%s#question-%s", a->id, g->areas[q->area].id, q->id);
}

int h_comment_create(struct req *r)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	const struct guide *g = h_guide(r, &a);
	const struct guide_question *q = form_question(r, g);
	if (!q)
		return req_error(r, 422, "invalid_comment",
				 "The form names no question of the guide; reload the page and try again.");
	/* the area page has one comment form; each question's box is body.QID and its
	 * button names the question */
	char name[128];
	snprintf(name, sizeof(name), "body.%s", q->id);
	const char *body = req_form(r, name);
	if (!body)
		body = req_form(r, "body");
	if (comment_add(r, &a, q, body) <= 0)
		return h_area_error(r, &a, q, "comment_error", body);
	return redirect_to_question(r, &a, g, q);
}

/* Resolves comment route parameter 1 of a. Returns 0 or the status it answered with. */
static int comment_resolve(struct req *r, const struct assessment *a)
{
	long long cid = req_param_id(r, 1);
	if (!h_is_reviewer(r))
		return req_error(r, 403, "forbidden", "Only reviewers resolve review comments.");
	if (strcmp(a->status, "validated") == 0)
		return req_error(r, 409, "review_closed", "This assessment has been validated; its review is closed.");
	int rc = cid > 0 ? db_comment_resolve(r->db, a->id, cid, r->user->id) : 0;
	if (rc < 0)
		return req_error(r, 503, "database_error", "the comment could not be resolved");
	if (rc == 0)
		return req_error(r, 404, "not_found", "There is no open review comment %s.", req_param(r, 1));
	return 0;
}

/* The comment id of assessment a as a new JSON object; NULL when absent or on error. */
static json_t *comment_json(struct req *r, long long assessment_id, long long id)
{
	json_t *all = db_comments_list(r->db, assessment_id, NULL);
	json_t *found = NULL;
	size_t i;
	json_t *c;
	json_array_foreach(all, i, c) {
		if (json_integer_value(json_object_get(c, "id")) == id) {
			found = json_incref(c);
			break;
		}
	}
	json_decref(all);
	return found;
}

int h_comment_resolve(struct req *r)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	st = comment_resolve(r, &a);
	if (st)
		return st;
	json_t *c = comment_json(r, a.id, req_param_id(r, 1));
	const struct guide *g = h_guide(r, &a);
	const struct guide_question *q = guide_question(g, json_string_value(json_object_get(c, "question")));
	json_decref(c);
	if (!q)
		return req_redirect(r, "/assessments/%lld", a.id);
	return redirect_to_question(r, &a, g, q);
}

int h_api_comments_list(struct req *r)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	const char *qid;
	if ((st = h_query_question(r, &a, &qid)))
		return st;
	json_t *list = db_comments_list(r->db, a.id, qid);
	if (!list)
		return req_error(r, 503, "database_error", "the comments cannot be read");
	return req_json(r, 200, json_pack("{s:o}", "comments", list));
}

int h_api_comment_create(struct req *r)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	if (!json_is_object(r->json))
		return req_error(r, 422, "invalid_comment", "the body must be {\"question\": \"QID\", \"body\": \"...\"}");
	const char *key;
	json_t *v;
	json_object_foreach(r->json, key, v) {
		if (strcmp(key, "question") != 0 && strcmp(key, "body") != 0)
			return req_error(r, 422, "invalid_comment", "unknown field \"%.64s\" (expected question, body)", key);
	}
	json_t *qj = json_object_get(r->json, "question");
	json_t *body = json_object_get(r->json, "body");
	const struct guide_question *q = json_is_string(qj) ? guide_question(h_guide(r, &a), json_string_value(qj)) : NULL;
	if (!q)
		return req_error(r, 422, "invalid_comment", "question must be a question id of the guide");
	if (!json_is_string(body))
		return req_error(r, 422, "invalid_comment", "body must be a string");
	if (strlen(json_string_value(body)) != json_string_length(body))
		return req_error(r, 422, "invalid_comment", "The comment contains characters that are not allowed.");
	long long id = comment_add(r, &a, q, json_string_value(body));
	if (id <= 0)
		return r->status;
	json_t *c = comment_json(r, a.id, id);
	if (!c)
		return req_error(r, 503, "database_error", "the comment cannot be read back");
	return req_json(r, 201, c);
}

int h_api_comment_resolve(struct req *r)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	st = comment_resolve(r, &a);
	if (st)
		return st;
	json_t *c = comment_json(r, a.id, req_param_id(r, 1));
	if (!c)
		return req_error(r, 503, "database_error", "the comment cannot be read back");
	return req_json(r, 200, c);
}

/* ---- what the area page shows under each question ------------------------ */

static json_t *comment_view(struct req *r, const json_t *c, bool can_resolve)
{
	const char *kind = json_string_value(json_object_get(c, "kind"));
	bool is_review = strcmp(kind, "review") == 0;
	bool open = json_is_true(json_object_get(c, "open"));
	const char *at = json_string_value(json_object_get(c, "created_at"));
	char when[32];
	h_when_text(at, when);
	return json_pack("{s:O, s:s, s:s, s:s, s:s, s:s, s:O, s:b, s:b, s:b}", "id", json_object_get(c, "id"), "kind",
			 kind, "kind_label", app_msg(r->app, is_review ? "review.kind_review" : "review.kind_reply"),
			 "author", h_user_name(json_object_get(c, "author")), "at", at ? at : "", "when", when, "body",
			 json_object_get(c, "body"), "open", open, "resolved", is_review && !open, "can_resolve",
			 open && can_resolve);
}

static json_t *evidence_view(struct req *r, const struct assessment *a, const json_t *e)
{
	json_int_t id = json_integer_value(json_object_get(e, "id"));
	const struct evidence_type *t = evidence_type_by_media(json_string_value(json_object_get(e, "type")));
	char size[32], when[32], url[96];
	evidence_size_text(json_integer_value(json_object_get(e, "size")), size, sizeof(size));
	const char *at = json_string_value(json_object_get(e, "uploaded_at"));
	h_when_text(at, when);
	snprintf(url, sizeof(url), "/assessments/%lld/evidence/%" JSON_INTEGER_FORMAT, a->id, id);
	const json_t *by = json_object_get(e, "uploaded_by");
	bool mine = r->user && json_integer_value(json_object_get(by, "id")) == r->user->id;
	bool can_delete = h_editable(a) && (h_is_admin(r) || (h_is_official(r) && mine));
	return json_pack("{s:I, s:O, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id", id, "filename",
			 json_object_get(e, "filename"), "type_label", t ? t->label : "file", "size_text", size, "by",
			 h_user_name(by), "at", at ? at : "", "when", when, "url", url, "can_delete", can_delete);
}

/* Groups the items of arr (each with a "question" key) into a new object
 * {QID: [items]}. */
static json_t *by_question(json_t *arr)
{
	json_t *obj = json_object();
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		const char *qid = json_string_value(json_object_get(v, "question"));
		json_t *list = json_object_get(obj, qid);
		if (!list) {
			list = json_array();
			json_object_set_new(obj, qid, list);
		}
		json_array_append(list, v);
	}
	return obj;
}

int h_review_area_view(struct req *r, const struct assessment *a, json_t *view)
{
	json_t *comments = db_comments_list(r->db, a->id, NULL);
	json_t *files = db_evidence_list(r->db, a->id, NULL);
	if (!comments || !files) {
		json_decref(comments);
		json_decref(files);
		return -1;
	}
	json_t *cq = by_question(comments), *eq = by_question(files);
	bool closed = strcmp(a->status, "validated") == 0;
	bool reviewer = h_is_reviewer(r), official = h_is_official(r);
	bool can_upload = h_editable(a) && (official || h_is_admin(r));
	bool any_comment = false;
	size_t i;
	json_t *qv;
	json_array_foreach(json_object_get(view, "questions"), i, qv) {
		const char *qid = json_string_value(json_object_get(qv, "qid"));
		json_t *cs = json_array(), *es = json_array();
		int n_open = 0;
		bool has_review = false;
		size_t k;
		json_t *c;
		json_array_foreach(json_object_get(cq, qid), k, c) {
			json_t *cv = comment_view(r, c, reviewer && !closed);
			has_review |= strcmp(json_string_value(json_object_get(c, "kind")), "review") == 0;
			n_open += json_is_true(json_object_get(cv, "open"));
			json_array_append_new(cs, cv);
		}
		json_array_foreach(json_object_get(eq, qid), k, c)
			json_array_append_new(es, evidence_view(r, a, c));
		bool can_comment = !closed && (reviewer || (official && has_review));
		any_comment |= can_comment;
		bool show = json_array_size(cs) || json_array_size(es) || can_comment || can_upload;
		json_object_set_new(qv, "show_review", json_boolean(show));
		json_object_set_new(qv, "has_comments", json_boolean(json_array_size(cs) > 0));
		json_object_set_new(qv, "comments", cs);
		json_object_set_new(qv, "open_comments", json_integer(n_open));
		json_object_set_new(qv, "can_comment", json_boolean(can_comment));
		json_object_set_new(qv, "comment_label",
				    json_string(app_msg(r->app, reviewer ? "review.new_label" : "review.reply_label")));
		json_object_set_new(qv, "comment_button",
				    json_string(app_msg(r->app, reviewer ? "review.send" : "review.reply")));
		json_object_set_new(qv, "has_evidence", json_boolean(json_array_size(es) > 0));
		json_object_set_new(qv, "evidence", es);
		json_object_set_new(qv, "can_upload", json_boolean(can_upload));
	}
	char limit[32];
	evidence_size_text((long long)r->app->cfg.max_upload, limit, sizeof(limit));
	json_object_set_new(view, "evidence_accept", json_string(evidence_accept()));
	json_object_set_new(view, "evidence_types", json_string(evidence_types_text()));
	json_object_set_new(view, "evidence_limit", json_string(limit));
	/* the page holds one comment form and one upload form, shared by its questions */
	json_object_set_new(view, "comment_form", json_boolean(any_comment));
	json_object_set_new(view, "upload_form", json_boolean(can_upload));
	json_decref(cq);
	json_decref(eq);
	json_decref(comments);
	json_decref(files);
	return 0;
}

int h_review_overview_view(struct req *r, const struct assessment *a, json_t *view)
{
	json_t *open = db_comments_open_count(r->db, a->id);
	if (!open)
		return -1;
	const struct guide *g = h_guide(r, a);
	json_t *items = json_array();
	for (size_t i = 0; i < g->n_questions && json_object_size(open); i++) {
		const struct guide_question *q = &g->questions[i];
		json_int_t n = json_integer_value(json_object_get(open, q->id));
		if (n <= 0)
			continue;
		char num[16], url[256];
		h_question_num(g, q, num);
		snprintf(url, sizeof(url), "/assessments/%lld/areas/%s#question-%s", a->id, g->areas[q->area].id, q->id);
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "qid", q->id, "num", num, "text",
						       guide_text(json_object_get(q->json, "text"), "en"), "url", url,
						       "count", n, "count_label",
						       app_msg(r->app, n == 1 ? "review.open_one" : "review.open_many")));
	}
	json_decref(open);
	json_object_set_new(view, "has_needs_work", json_boolean(json_array_size(items) > 0));
	json_object_set_new(view, "needs_work", items);
	json_object_set_new(view, "is_returned", json_boolean(strcmp(a->status, "returned") == 0));
	return 0;
}
