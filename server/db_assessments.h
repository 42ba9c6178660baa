/* db_assessments.h - assessments, answers and the audit trail in the store. */
#ifndef SOMGUIDE_DB_ASSESSMENTS_H
#define SOMGUIDE_DB_ASSESSMENTS_H

#include <stdbool.h>

#include <jansson.h>

struct db;

struct assessment {
	long long id;
	char country[4];
	int round;
	char guide_version[32];
	char status[16];
	long long created_at, updated_at;
};

/* 1 and fills *out when found, 0 when not, -1 on error. */
int db_assessment_get(struct db *db, long long id, struct assessment *out);
/* The new id; 0 when that country already has that round (*existing receives its
 * id); -1 on error. */
long long db_assessment_create(struct db *db, const char *country, int round, const char *guide_version,
			       long long user_id, long long *existing);
/* Assessments matching the filters (NULL / 0: any), newest round first, as a new
 * JSON array of assessment objects. NULL on error. */
json_t *db_assessment_list(struct db *db, const char *country, const char *status, int round);
/* The assessment as a new JSON object (without answers). */
json_t *db_assessment_json(const struct assessment *a);
/* Sets the status, touches updated_at. 0 or -1. */
int db_assessment_set_status(struct db *db, long long id, const char *status);

/* Every stored answer of an assessment: a new object
 * {QID: {"value": V, "comment": "...", "updated_at": ISO, "updated_by": id|null,
 *        "carried_over": bool, "carried_from": round|null}}.
 * carried_over: the answer was carried over from the round carried_from (see
 * db_answer_carry) and nobody has confirmed or changed it since. */
json_t *db_answers_get(struct db *db, long long assessment_id);
/* Stores (or, with value_json NULL, removes) one answer and records the change in
 * the audit trail when value or comment changed. *changed tells whether it did.
 * A change clears the carried-over mark; an unchanged answer keeps it.
 * Run inside the request's transaction. 0 or -1. */
int db_answer_put(struct db *db, long long assessment_id, const char *question_id, const char *value_json,
		  const char *comment, long long user_id, bool *changed);

/* Inserts the answer of a new round carried over from round from_round (value_json
 * already checked against the guide), marked carried over, and records it in the
 * audit trail (kind "carried_over", target the question, new the value). The
 * question must have no answer yet. 0 or -1. */
int db_answer_carry(struct db *db, long long assessment_id, const char *question_id, const char *value_json,
		    const char *comment, int from_round, long long user_id);
/* Confirms a carried-over answer as it stands: clears the mark, sets who and when,
 * records it (kind "answer_confirmed", new the value). 1 when done, 0 when the
 * answer is not carried over (or does not exist), -1 on error. */
int db_answer_confirm(struct db *db, long long assessment_id, const char *question_id, long long user_id);

/* Appends one audit record. old/new may be NULL. 0 or -1. */
int db_audit_add(struct db *db, long long assessment_id, long long user_id, const char *kind,
		 const char *target, const char *old, const char *new_);

#endif
