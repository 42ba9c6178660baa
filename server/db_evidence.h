/* db_evidence.h - evidence files attached to questions, kept as blobs in the
 * store (schema/migrations/004_review.sql). Adding and deleting are recorded in
 * the audit trail in the same transaction. */
#ifndef SOMGUIDE_DB_EVIDENCE_H
#define SOMGUIDE_DB_EVIDENCE_H

#include <stddef.h>

#include <jansson.h>

struct db;

struct evidence_file {
	long long id;
	long long assessment_id;
	char question[65];
	char filename[256];
	char type[128];
	long long size;
	char sha256[65];
	long long uploaded_by;  /* 0: nobody known */
	long long uploaded_at;
	void *data;             /* owned; only when asked for */
};

/* Stores a file (type from the allow-list, sha256 as 64 hex digits) and records
 * "evidence_added" in the audit trail. Returns the new id, or -1. */
long long db_evidence_add(struct db *db, long long assessment_id, const char *question_id, const char *filename,
			  const char *type, const void *data, size_t len, const char *sha256, long long user_id);

/* 1 and fills *out (with the bytes in out->data when with_data; free them) when the
 * assessment has evidence evidence_id; 0 when not; -1 on error. */
int db_evidence_get(struct db *db, long long assessment_id, long long evidence_id, struct evidence_file *out,
		    int with_data);

/* Deletes evidence_id of the assessment and records "evidence_deleted" (old: its
 * description). 1 when deleted, 0 when there was none, -1 on error. */
int db_evidence_delete(struct db *db, long long assessment_id, long long evidence_id, long long user_id);

/* The evidence of an assessment (question_id NULL) or of one question, oldest
 * first, without the bytes: a new JSON array of {id, question, filename, type,
 * size, sha256, uploaded_at (ISO 8601), uploaded_by: {id, username} | null}. NULL
 * on error. */
json_t *db_evidence_list(struct db *db, long long assessment_id, const char *question_id);

/* The JSON description of a file kept in the audit trail (new object). */
json_t *db_evidence_json(const struct evidence_file *e);

#endif
