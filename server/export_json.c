/* export_json.c - one assessment as the JSON document of schema/export.schema.json
 * (docs/export-format.md). */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "export.h"

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *country_json(const struct export_data *d)
{
	const json_t *c = d->country;
	const json_t *inter = json_object_get(c, "intermediate_region");
	return json_pack("{s:s, s:o, s:o, s:s, s:o, s:o, s:o}", "iso3", d->a.country, "iso2",
			 str_or_null(json_string_value(json_object_get(c, "iso2"))), "m49",
			 str_or_null(json_string_value(json_object_get(c, "m49"))), "name", export_country_name(d),
			 "region", str_or_null(json_string_value(json_object_get(c, "region"))), "subregion",
			 str_or_null(json_string_value(json_object_get(c, "subregion"))), "intermediate_region",
			 str_or_null(json_string_value(inter)));
}

static json_t *answers_json(const struct export_data *d)
{
	const struct guide *g = d->g;
	size_t n;
	struct export_answer *x = export_answers(d, &n);
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct export_answer *e = &x[i];
		const struct guide_question *q = e->q;
		char num[16] = "";
		if (q)
			export_question_num(g, q, num);
		json_t *o = json_pack("{s:s, s:o, s:o, s:o, s:o, s:O, s:o, s:s, s:s, s:o, s:s, s:b, s:o, s:s}", "question",
				      e->qid, "number", q ? json_string(num) : json_null(), "area",
				      q ? json_string(g->areas[q->area].id) : json_null(), "type",
				      q ? json_string(guide_qtype_name(q->type)) : json_null(), "text",
				      q ? json_string(guide_text(json_object_get(q->json, "text"), "en")) : json_null(),
				      "value", e->value ? e->value : json_null(), "labels",
				      e->labels ? json_incref(e->labels) : json_null(), "answer", e->label_text, "state",
				      export_state_name(e->state), "score", e->has_score ? json_real(e->score) : json_null(),
				      "comment", e->comment, "carried_over", e->carried_over, "carried_from",
				      e->carried_from ? json_integer(e->carried_from) : json_null(), "updated_at",
				      e->updated_at);
		if (q) {
			json_object_set_new(o, "weight", json_integer(q->weight));
			json_object_set_new(o, "critical", json_boolean(q->critical));
		} else {
			json_object_set_new(o, "weight", json_null());
			json_object_set_new(o, "critical", json_null());
		}
		json_array_append_new(out, o);
	}
	export_answers_free(x, n);
	return out;
}

static json_t *user_name(const json_t *user)
{
	const char *s = json_string_value(json_object_get(user, "username"));
	return s ? json_string(s) : json_null();
}

static json_t *comments_json(const struct export_data *d)
{
	json_t *out = json_array();
	size_t i;
	json_t *c;
	json_array_foreach(d->comments, i, c) {
		const json_t *resolved = json_object_get(c, "resolved_at");
		json_array_append_new(
			out, json_pack("{s:O, s:O, s:O, s:O, s:O, s:o, s:b, s:O}", "id", json_object_get(c, "id"), "question",
				       json_object_get(c, "question"), "kind", json_object_get(c, "kind"), "body",
				       json_object_get(c, "body"), "created_at", json_object_get(c, "created_at"), "author",
				       user_name(json_object_get(c, "author")), "open", json_is_true(json_object_get(c, "open")),
				       "resolved_at", resolved ? resolved : json_null()));
	}
	return out;
}

static bool in_plan(const struct export_data *d, const char *rec)
{
	for (size_t i = 0; i < d->plan.n; i++)
		if (strcmp(d->plan.items[i].rec->id, rec) == 0)
			return true;
	return false;
}

static json_t *actions_json(const struct export_data *d)
{
	const struct guide *g = d->g;
	json_t *out = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(d->actions, i, x) {
		const char *rec = json_string_value(json_object_get(x, "rec"));
		const struct guide_rec *gr = rec ? guide_rec(g, rec) : NULL;
		const json_t *start = json_object_get(x, "start"), *end = json_object_get(x, "end");
		json_array_append_new(
			out, json_pack("{s:s, s:o, s:o, s:O, s:o, s:O, s:O, s:o, s:b, s:O}", "rec", rec ? rec : "", "title",
				       gr ? json_string(guide_text(json_object_get(gr->json, "title"), "en")) : json_null(),
				       "area", gr ? json_string(g->areas[gr->area].id) : json_null(), "status",
				       json_object_get(x, "status"), "partner",
				       str_or_null(json_string_value(json_object_get(x, "partner"))), "start",
				       start ? start : json_null(), "end", end ? end : json_null(), "note",
				       str_or_null(json_string_value(json_object_get(x, "note"))), "in_plan",
				       rec && in_plan(d, rec), "updated_at", json_object_get(x, "updated_at")));
	}
	return out;
}

json_t *export_json(const struct export_data *d, json_t *scores, json_t *plan, const char *generated_at)
{
	const struct guide *g = d->g;
	json_t *assessment = db_assessment_json(&d->a);
	json_object_set_new(assessment, "country_name", json_string(export_country_name(d)));
	return json_pack("{s:s, s:i, s:s, s:o, s:o, s:{s:s, s:s}, s:o, s:o, s:o, s:o, s:o, s:o}", "format",
			 "somguide-assessment", "format_version", EXPORT_FORMAT_VERSION, "generated_at", generated_at,
			 "assessment", assessment, "country", country_json(d), "guide", "version", g->version, "title",
			 guide_text(json_object_get(g->root, "title"), "en"), "answers", answers_json(d),
			 "review_comments", comments_json(d), "scores", scores, "plan", plan, "cjat", export_cjat(d),
			 "actions", actions_json(d));
}
