/* db_comments.h - review comments in the store: one thread per question of an
 * assessment (schema/migrations/004_review.sql). Every change is recorded in the
 * audit trail in the same transaction. */
#ifndef SOMGUIDE_DB_COMMENTS_H
#define SOMGUIDE_DB_COMMENTS_H

#include <stdbool.h>

#include <jansson.h>

struct db;

#define COMMENT_BODY_MAX 5000 /* bytes */

/* Adds a comment of kind "review" or "reply" by user_id to the thread of
 * question_id, and records it in the audit trail (kind "comment"). A reply
 * answers every open review comment of its thread: they are resolved, with
 * answered_by set to the reply (audit kind "comment_resolved" for each). Run
 * inside the request's transaction. Returns the new id, or -1. */
long long db_comment_add(struct db *db, long long assessment_id, const char *question_id, long long user_id,
			 const char *kind, const char *body);

/* 1 when the thread of question_id has at least one review comment, 0 when not,
 * -1 on error. */
int db_comment_thread_open(struct db *db, long long assessment_id, const char *question_id);

/* Resolves the open review comment comment_id of the assessment (audit kind
 * "comment_resolved"). 1 when done, 0 when there is no such open review comment,
 * -1 on error. */
int db_comment_resolve(struct db *db, long long assessment_id, long long comment_id, long long user_id);

/* The comments of an assessment (question_id NULL) or of one thread, oldest
 * first, as a new JSON array of {id, question, kind, body, created_at (ISO 8601),
 * author: {id, username} | null, open (review comments not resolved),
 * answered_by: id | null, resolved_at: ISO | null, resolved_by: {id, username} | null}.
 * NULL on error. */
json_t *db_comments_list(struct db *db, long long assessment_id, const char *question_id);

/* The questions with open review comments: a new JSON object {QID: count}.
 * NULL on error. */
json_t *db_comments_open_count(struct db *db, long long assessment_id);

#endif
