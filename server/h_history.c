/* h_history.c - the audit trail: an assessment's history page, one answer's
 * history page (values shown with the guide's option labels), and the API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "db.h"
#include "db_audit.h"
#include "evidence.h"
#include "handlers.h"
#include "http.h"
#include "strbuf.h"
#include "util.h"

#define HISTORY_PAGE 200 /* records per page */
#define API_AUDIT_MAX 1000

/* Kinds whose old/new are plain text, not JSON. */
static bool plain_text_kind(const char *kind)
{
	return strcmp(kind, "answer_comment") == 0 || strcmp(kind, "status") == 0;
}

/* The stored old/new text of a record as JSON: parsed for the kinds that keep
 * JSON, else (or when it does not parse) the string itself. New reference. */
static json_t *stored_json(const char *kind, const json_t *v)
{
	if (!json_is_string(v))
		return json_null();
	if (!plain_text_kind(kind)) {
		json_t *j = json_loads(json_string_value(v), JSON_DECODE_ANY, NULL);
		if (j)
			return j;
	}
	return json_incref((json_t *)v);
}

/* An answer value made readable with the labels of question q (may be NULL). */
static void answer_text(struct req *r, const struct guide_question *q, const json_t *v, struct strbuf *sb)
{
	if (!v || json_is_null(v)) {
		strbuf_adds(sb, app_msg(r->app, "history.no_answer"));
		return;
	}
	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) {
			if (i)
				strbuf_adds(sb, "; ");
			answer_text(r, q, x, sb);
		}
		return;
	}
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		if (strcmp(s, "na") == 0 || strcmp(s, "dk") == 0) {
			strbuf_adds(sb, app_msg(r->app, strcmp(s, "na") == 0 ? "answer.na" : "answer.dk"));
			return;
		}
		long oi = q && q->scored ? guide_option_index(q, s) : -1;
		strbuf_adds(sb, oi >= 0 ? guide_text(q->options[oi].label, "en") : s);
		return;
	}
	if (json_is_integer(v))
		strbuf_addf(sb, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_real(v))
		strbuf_addf(sb, "%.15g", json_real_value(v));
	else if (json_is_boolean(v))
		strbuf_adds(sb, json_is_true(v) ? "true" : "false");
}

/* The readable text of one side (old or new) of a record; "" when there is none. */
static json_t *side_text(struct req *r, const char *kind, const struct guide_question *q, const json_t *stored)
{
	if (!json_is_string(stored) && strcmp(kind, "answer") != 0)
		return json_string("");
	json_t *v = stored_json(kind, stored);
	struct strbuf sb;
	strbuf_init(&sb, 64);
	bool answer_kind = strcmp(kind, "answer") == 0 || strcmp(kind, "answer_confirmed") == 0 ||
			   (strcmp(kind, "carried_over") == 0 && q);
	if (answer_kind) {
		answer_text(r, q, v, &sb);
	} else if (strcmp(kind, "carried_over") == 0) {
		/* where a new round's answers came from */
		strbuf_addf(&sb, "%s %" JSON_INTEGER_FORMAT ": %" JSON_INTEGER_FORMAT, app_msg(r->app, "results.round"),
			    json_integer_value(json_object_get(v, "round")), json_integer_value(json_object_get(v, "answers")));
	} else if (strcmp(kind, "action") == 0) {
		/* an assistance action: its status, partner, dates and note */
		char key[48];
		snprintf(key, sizeof(key), "action.status.%.20s", json_string_value(json_object_get(v, "status")) ?
				json_string_value(json_object_get(v, "status")) : "");
		strbuf_adds(&sb, app_msg(r->app, key));
		static const char *const parts[] = {"partner", "start", "end", "note"};
		for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
			const char *p = json_string_value(json_object_get(v, parts[i]));
			if (p && *p)
				strbuf_addf(&sb, "; %s: %s", app_msg(r->app, i == 0 ? "action.partner" : i == 1 ? "action.start"
										  : i == 2 ? "action.end" : "action.note"), p);
		}
	} else if (strcmp(kind, "answer_comment") == 0) {
		strbuf_adds(&sb, *json_string_value(v) ? json_string_value(v) : app_msg(r->app, "history.empty"));
	} else if (strcmp(kind, "comment") == 0) {
		strbuf_adds(&sb, json_string_value(json_object_get(v, "body")) ? json_string_value(json_object_get(v, "body")) : "");
	} else if (strcmp(kind, "comment_resolved") == 0) {
		const char *s = json_string_value(json_object_get(v, "status"));
		json_t *by = json_object_get(v, "answered_by");
		if (by)
			strbuf_addf(&sb, "%s (#%" JSON_INTEGER_FORMAT ")", app_msg(r->app, "history.answered"),
				    json_integer_value(by));
		else
			strbuf_adds(&sb, app_msg(r->app, s && strcmp(s, "open") == 0 ? "review.open" : "review.resolved"));
	} else if (strncmp(kind, "evidence_", 9) == 0) {
		char size[32];
		evidence_size_text(json_integer_value(json_object_get(v, "size")), size, sizeof(size));
		const char *fn = json_string_value(json_object_get(v, "filename"));
		strbuf_addf(&sb, "%s (%s)", fn ? fn : "?", size);
	} else if (json_is_string(v)) {
		/* a status ("draft") or any other plain value */
		char key[64];
		snprintf(key, sizeof(key), "status.%.40s", json_string_value(v));
		const char *label = app_msg(r->app, key);
		strbuf_adds(&sb, strcmp(label, key) != 0 ? label : json_string_value(v));
	} else if (json_is_object(v) && json_object_get(v, "country")) {
		strbuf_addf(&sb, "%s %" JSON_INTEGER_FORMAT, h_country_name(r, json_string_value(json_object_get(v, "country"))),
			    json_integer_value(json_object_get(v, "round")));
	} else {
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		strbuf_adds(&sb, s ? s : "");
		free(s);
	}
	json_decref(v);
	json_t *out = json_stringn(sb.buf, sb.len);
	strbuf_release(&sb);
	return out ? out : json_string("");
}

/* One audit record of a (whose guide is g) for the page. */
static json_t *record_view(struct req *r, const struct assessment *a, const struct guide *g, const json_t *rec)
{
	const char *kind = json_string_value(json_object_get(rec, "kind"));
	const char *target = json_string_value(json_object_get(rec, "target"));
	const struct guide_question *q = target ? guide_question(g, target) : NULL;
	const char *at = json_string_value(json_object_get(rec, "at"));
	char when[32], key[80];
	h_when_text(at, when);
	const json_t *old = json_object_get(rec, "old"), *new_ = json_object_get(rec, "new");
	bool reply = false;
	if (strcmp(kind, "comment") == 0 && json_is_string(new_)) {
		json_t *c = json_loads(json_string_value(new_), 0, NULL);
		reply = c && strcmp(json_string_value(json_object_get(c, "kind")) ? json_string_value(json_object_get(c, "kind")) : "", "reply") == 0;
		json_decref(c);
	}
	snprintf(key, sizeof(key), "history.kind.%.60s", reply ? "reply" : kind);
	const char *what = app_msg(r->app, key);
	if (strcmp(what, key) == 0)
		what = kind;
	json_t *v = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "at", at, "when", when, "who",
			      h_user_name(json_object_get(rec, "user")), "what", what, "old",
			      side_text(r, kind, q, old), "new", side_text(r, kind, q, new_));
	json_object_set_new(v, "has_old", json_boolean(!json_is_null(old) || strcmp(kind, "answer") == 0));
	if (q) {
		char num[16], url[256], hurl[256];
		h_question_num(g, q, num);
		snprintf(url, sizeof(url), "/assessments/%lld/areas/%s#question-%s", a->id, g->areas[q->area].id, q->id);
		snprintf(hurl, sizeof(hurl), "/assessments/%lld/history/%s", a->id, q->id);
		json_object_set_new(v, "question", json_pack("{s:s, s:s, s:s}", "num", num, "url", url, "history_url", hurl));
	} else if (target && strcmp(kind, "action") == 0 && guide_rec(g, target)) {
		json_object_set_new(v, "target", json_string(guide_text(json_object_get(guide_rec(g, target)->json, "title"), "en")));
	} else if (target) {
		json_object_set_new(v, "target", json_string(target));
	}
	return v;
}

/* ?before=ID, 0 when absent; -1 when malformed. */
static long long before_param(struct req *r)
{
	const char *s = req_query(r, "before");
	if (!s || !*s)
		return 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	return *end || v <= 0 ? -1 : v;
}

/* The history of a, or of its question q (of g, a's guide; NULL: all). */
static int render_history(struct req *r, const struct assessment *a, const struct guide *g,
			  const struct guide_question *q)
{
	long long before = before_param(r);
	if (before < 0)
		return req_error(r, 400, "bad_query", "before must be a record number");
	json_t *recs = db_audit_list(r->db, a->id, q ? q->id : NULL, before, HISTORY_PAGE);
	if (!recs)
		return req_error(r, 503, "database_error", "the history cannot be read");
	json_t *rows = json_array();
	size_t i;
	json_t *rec;
	json_array_foreach(recs, i, rec)
		json_array_append_new(rows, record_view(r, a, g, rec));
	json_t *view = json_pack("{s:o, s:o, s:b}", "assessment", h_assessment_view(r, a), "records", rows,
				 "has_records", json_array_size(rows) > 0);
	if (json_array_size(recs) == HISTORY_PAGE) {
		char url[256];
		json_int_t last = json_integer_value(json_object_get(json_array_get(recs, HISTORY_PAGE - 1), "id"));
		if (q)
			snprintf(url, sizeof(url), "/assessments/%lld/history/%s?before=%" JSON_INTEGER_FORMAT, a->id, q->id,
				 last);
		else
			snprintf(url, sizeof(url), "/assessments/%lld/history?before=%" JSON_INTEGER_FORMAT, a->id, last);
		json_object_set_new(view, "older_url", json_string(url));
	}
	json_decref(recs);
	char title[300];
	if (q) {
		char num[16], url[256];
		h_question_num(g, q, num);
		snprintf(url, sizeof(url), "/assessments/%lld/areas/%s#question-%s", a->id, g->areas[q->area].id, q->id);
		json_object_set_new(view, "for_question",
				    json_pack("{s:s, s:s, s:s, s:s}", "qid", q->id, "num", num, "text",
					      guide_text(json_object_get(q->json, "text"), "en"), "url", url));
		snprintf(title, sizeof(title), "%s %s – %s %d", app_msg(r->app, "history.question_title"), num,
			 h_country_name(r, a->country), a->round);
	} else {
		snprintf(title, sizeof(title), "%s – %s %d", app_msg(r->app, "history.title"), h_country_name(r, a->country),
			 a->round);
	}
	json_object_set_new(view, "title", json_string(title));
	return req_render(r, 200, "history", view);
}

int h_history(struct req *r)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	return render_history(r, &a, h_guide(r, &a), NULL);
}

int h_history_question(struct req *r)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	const struct guide *g = h_guide(r, &a);
	const struct guide_question *q = guide_question(g, req_param(r, 1));
	if (!q)
		return req_error(r, 404, "not_found", "There is no question \"%.64s\".", req_param(r, 1));
	return render_history(r, &a, g, q);
}

int h_api_audit(struct req *r)
{
	struct assessment a;
	int st = h_load_assessment(r, &a);
	if (st)
		return st;
	const char *qid = req_query(r, "question");
	if (qid && !*qid)
		qid = NULL;
	if (qid && strlen(qid) > 64)
		return req_error(r, 400, "bad_query", "question is too long");
	long long before = before_param(r);
	if (before < 0)
		return req_error(r, 400, "bad_query", "before must be a record id");
	int limit = 200;
	const char *ls = req_query(r, "limit");
	if (ls && *ls) {
		char *end;
		long v = strtol(ls, &end, 10);
		if (*end || v < 1 || v > API_AUDIT_MAX)
			return req_error(r, 400, "bad_query", "limit must be between 1 and %d", API_AUDIT_MAX);
		limit = (int)v;
	}
	json_t *recs = db_audit_list(r->db, a.id, qid, before, limit);
	if (!recs)
		return req_error(r, 503, "database_error", "the audit trail cannot be read");
	size_t i;
	json_t *rec;
	json_array_foreach(recs, i, rec) {
		const char *kind = json_string_value(json_object_get(rec, "kind"));
		json_object_set_new(rec, "old", stored_json(kind, json_object_get(rec, "old")));
		json_object_set_new(rec, "new", stored_json(kind, json_object_get(rec, "new")));
		json_object_del(rec, "at_unix");
	}
	json_t *out = json_pack("{s:o}", "audit", recs);
	if ((int)json_array_size(recs) == limit)
		json_object_set_new(out, "next_before", json_copy(json_object_get(json_array_get(recs, limit - 1), "id")));
	else
		json_object_set_new(out, "next_before", json_null());
	return req_json(r, 200, out);
}
