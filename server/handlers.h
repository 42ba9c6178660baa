/* handlers.h - every route handler, one file per resource (h_*.c). A handler
 * returns the HTTP status it answered with (see http.h). */
#ifndef SOMGUIDE_HANDLERS_H
#define SOMGUIDE_HANDLERS_H

#include <jansson.h>

#include "db_assessments.h"
#include "guide.h"

struct req;

/* h_misc.c */
int h_healthz(struct req *r);
int h_static(struct req *r);
int h_home(struct req *r);

/* h_assessments.c: pages */
int h_assessment_list(struct req *r);
int h_assessment_create(struct req *r);
int h_assessment_overview(struct req *r);
int h_area_form(struct req *r);
int h_area_save(struct req *r);
/* The area page ai of a with the stored answers, answered with status and the
 * page-level errors (stolen; may be NULL). For handlers that refuse a form
 * posted from that page (comments, evidence). */
int h_area_page(struct req *r, int status, const struct assessment *a, int ai, json_t *errors);

/* h_api.c */
int h_api_guide(struct req *r);
int h_api_countries(struct req *r);
int h_api_assessment_list(struct req *r);
int h_api_assessment_create(struct req *r);
int h_api_assessment_get(struct req *r);
int h_api_answers_put(struct req *r);

/* h_scores.c: an assessment's scores and plan (API and results page) */
int h_api_scores(struct req *r);
int h_api_plan(struct req *r);
int h_results(struct req *r);
/* The results page of a, answered with status; err_rec, errors (stolen) and
 * draft (stolen) describe an action form that was refused (else NULL). */
int h_results_page(struct req *r, int status, const struct assessment *a, const char *err_rec, json_t *errors,
		   json_t *draft);
/* The figures as GET .../scores and the plan as GET .../plan give them (CONTRACT.md
 * shapes): new objects. The exports embed the very same documents. */
struct score;
struct plan;
json_t *h_scores_json(const struct guide *g, const struct score *sc);
json_t *h_plan_json(const struct guide *g, const struct plan *p);

/* h_exports.c: one assessment as JSON, CSV or XLSX, and the answers of every
 * assessment the caller may see as CSV (streamed) */
int h_api_export_json(struct req *r);
int h_api_export_csv(struct req *r);
int h_api_export_xlsx(struct req *r);
int h_api_export_answers(struct req *r);

/* h_report.c: the printable report of an assessment and the blank questionnaire */
int h_report(struct req *r);
int h_guide_print(struct req *r);

/* h_actions.c: assistance actions (API, the results page's forms and views) */
int h_api_actions_list(struct req *r);
int h_api_action_create(struct req *r);
int h_api_action_put(struct req *r);
int h_api_action_patch(struct req *r);
int h_action_save(struct req *r);
/* Adds to a results page's view (whose "plan" items have their rec "id") each
 * plan item's action (and, for those who may write them, its form: with the
 * draft values and errors when err_rec names it), and every action of a (also
 * those whose recommendation left the plan); g is a's guide. errors and draft
 * are borrowed; may be NULL. 0 or -1 (database error). */
int h_actions_results_view(struct req *r, const struct assessment *a, const struct guide *g, json_t *view,
			   const char *err_rec, json_t *errors, json_t *draft);
/* The need of each area (index as g->areas) and whether it is defined. */
struct area_needs {
	bool defined[GUIDE_N_AREAS];
	int need[GUIDE_N_AREAS];
};
/* The help delivered after the round prev_id: for each area with actions of
 * prev_id marked delivered (for recommendations of that area in prev_id's own
 * guide), in the order of g (the later round's guide, which also indexes then
 * and now), {id, title, need_then, need_now, change (now - then), improved
 * (change < 0), actions: [action]}; the figures null when not defined. A new
 * array; NULL on a database error. */
json_t *h_actions_help(struct req *r, const struct guide *g, long long prev_id, const struct area_needs *then,
		       const struct area_needs *now);
/* {previous_id, previous_round, areas: h_actions_help} for assessment a and its
 * previous round, from the stored figures, into *out (NULL when a has no
 * previous round). 0 or -1. */
int h_actions_help_api(struct req *r, const struct assessment *a, json_t **out);

/* h_dashboard.c */
int h_dashboard(struct req *r);

/* h_account.c: signing in and out, the caller's password, API tokens */
int h_login_form(struct req *r);
int h_login(struct req *r);
int h_logout(struct req *r);
int h_password_form(struct req *r);
int h_password_change(struct req *r);
int h_api_token_create(struct req *r);

/* h_admin.c: accounts (administrators) */
int h_admin_users(struct req *r);
int h_admin_user_create(struct req *r);
int h_admin_user(struct req *r);
int h_admin_user_update(struct req *r);
int h_admin_user_disable(struct req *r);
int h_admin_user_enable(struct req *r);
int h_admin_user_password(struct req *r);

/* h_transitions.c: the lifecycle (API and the overview page's buttons) */
int h_api_transition(struct req *r);
int h_transition(struct req *r);
/* The moves the caller may make on a now, for buttons: a new array of
 * {to, label, hint, secondary}. */
json_t *h_transitions_view(struct req *r, const struct assessment *a);

/* h_review.c: review comments (pages and API) and the review on the area and
 * overview pages */
int h_comment_create(struct req *r);
int h_comment_resolve(struct req *r);
int h_api_comments_list(struct req *r);
int h_api_comment_create(struct req *r);
int h_api_comment_resolve(struct req *r);
/* Adds to an area page's view, under each question, its comment thread and its
 * evidence with what the caller may do with them. 0 or -1 (database error). */
int h_review_area_view(struct req *r, const struct assessment *a, json_t *view);
/* Adds to an overview page's view the questions with open review comments
 * (needs_work). 0 or -1. */
int h_review_overview_view(struct req *r, const struct assessment *a, json_t *view);
/* Answers a refused comment or upload (status and message already set on r) with
 * the area page of question q: the message in the error summary and under the
 * question (view key `key`), the text the user wrote (draft) kept. 401, 403, 5xx
 * and API requests keep their plain error. Returns the status. */
int h_area_error(struct req *r, const struct assessment *a, const struct guide_question *q, const char *key,
		 const char *draft);
/* The caller's role, for the checks the route table cannot express. */
bool h_is_reviewer(const struct req *r); /* reviewer or admin */
bool h_is_admin(const struct req *r);
bool h_is_official(const struct req *r);
/* "2.3": the number of question q as the pages show it. */
void h_question_num(const struct guide *g, const struct guide_question *q, char buf[static 16]);
/* "2026-11-28 16:40 UTC" from an ISO 8601 time. */
void h_when_text(const char *iso, char buf[static 32]);
/* The username of a {id, username} user object; a dash for null. */
const char *h_user_name(const json_t *user);
/* The question view with that qid in a page view's "questions"; NULL. Borrowed. */
json_t *h_question_of(json_t *view, const char *qid);

/* h_evidence.c: files attached to questions */
int h_evidence_upload(struct req *r);
int h_evidence_download(struct req *r);
int h_evidence_delete(struct req *r);
int h_api_evidence_list(struct req *r);
int h_api_evidence_delete(struct req *r);

/* h_history.c: the audit trail */
int h_history(struct req *r);
int h_history_question(struct req *r);
int h_api_audit(struct req *r);

/* h_common.c: shared by the handlers */

/* Loads the assessment named by route parameter 0 into *a and checks that the
 * caller may see it. Returns 0, or the status it answered with (404). */
int h_load_assessment(struct req *r, struct assessment *a);
/* The guide assessment a was started on (its guide_version): every page, API
 * answer, score, plan and export of a uses it, whatever the current guide is. An
 * assessment whose version is not loaded (its archived file is missing from
 * schema/guides/, which should not happen) gets the current guide, and each such
 * call logs one line (app_guide_or_current). */
const struct guide *h_guide(struct req *r, const struct assessment *a);
/* The one country the caller may see (officials and observers: their own; ""
 * when nobody is signed in), or NULL for every country (reviewers, admins).
 * Every handler that lists or reads assessments filters on it. */
const char *h_scope_country(const struct req *r);
/* true when answers of a may be changed in its status (draft, returned). */
bool h_editable(const struct assessment *a);
/* Fills answers[g->n_questions] from stored answers (db_answers_get shape); a
 * stored value the guide no longer accepts counts as unanswered. Text answers
 * borrow from stored. */
void h_answers_parse(const struct guide *g, const json_t *stored, struct answer *answers);
/* The assessment as a new JSON object for page views: db_assessment_json plus
 * status_label, country_name and editable. */
json_t *h_assessment_view(struct req *r, const struct assessment *a);
/* The country's display name; the code itself when unknown. */
const char *h_country_name(struct req *r, const char *iso3);
/* Where a new round's answers came from (carry.h). */
struct carried {
	long long from_id;   /* 0: started empty */
	int from_round;
	int answers;         /* answers carried over */
};
/* Checks a country code and round given by a user and creates the assessment;
 * with from_previous, pre-filled with the answers of the country's latest earlier
 * round, each marked carried over (422 no_previous_round when there is none).
 * Returns the new id (> 0), or 0 after setting an error on r (422/409).
 * *carried (may be NULL) says what was carried over. */
long long h_create_assessment(struct req *r, const char *country, json_int_t round, bool from_previous,
			      struct carried *carried);

/* The optional ?question= filter of a list of assessment a: *qid is NULL when
 * absent or empty. Returns 0, or 400 answered when a's guide has no such question. */
int h_query_question(struct req *r, const struct assessment *a, const char **qid);

#endif
