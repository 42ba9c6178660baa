/* db_actions.h - assistance actions in the store (schema/migrations/006_actions.sql):
 * one per item of an assessment's assistance plan, keyed to (assessment, rec_id).
 * Every change is recorded in the audit trail (kind "action", target the
 * recommendation id, old/new the fields as JSON) in the same transaction. */
#ifndef SOMGUIDE_DB_ACTIONS_H
#define SOMGUIDE_DB_ACTIONS_H

#include <stdbool.h>

#include <jansson.h>

struct db;

#define ACTION_PARTNER_MAX 200 /* characters */
#define ACTION_NOTE_MAX 2000   /* characters */

/* The statuses, in the order of their progress. */
extern const char *const db_action_statuses[4];

/* What an action says; validated by the caller. partner and note "" for none;
 * start and end "YYYY-MM-DD" or NULL. */
struct action_fields {
	const char *status;
	const char *partner;
	const char *start;
	const char *end;
	const char *note;
};

/* The actions of an assessment in the order they were made, as a new JSON array
 * of {id, rec, status, partner, start, end, note, created_at, created_by,
 * updated_at, updated_by} (partner and note "" for none, start and end null for
 * none, times ISO 8601, users {id, username} or null). NULL on error. */
json_t *db_actions_list(struct db *db, long long assessment_id);

/* The action of rec_id as a new JSON object of that shape in *out: 1 when found,
 * 0 when not, -1 on error. */
int db_action_get(struct db *db, long long assessment_id, const char *rec_id, json_t **out);

/* Creates or replaces the action of rec_id by user_id and records the change in
 * the audit trail; nothing is written when nothing changes. *created tells
 * whether it is new. Run inside the request's transaction. 0 or -1. */
int db_action_put(struct db *db, long long assessment_id, const char *rec_id, const struct action_fields *f,
		  long long user_id, bool *created);

/* 1 when rec_id is an item of the assessment's stored plan, 0 when not, -1 on error. */
int db_plan_has(struct db *db, long long assessment_id, const char *rec_id);

#endif
