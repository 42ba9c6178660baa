/* db_audit.h - reading the audit trail of an assessment (records are written by
 * db_audit_add in db_assessments.c and by the stores of each noun). */
#ifndef SOMGUIDE_DB_AUDIT_H
#define SOMGUIDE_DB_AUDIT_H

#include <jansson.h>

struct db;

/* The audit records of an assessment, newest first: all of them (target NULL) or
 * those of one target (a question id); only records older than before_id when it
 * is > 0; at most limit. A new JSON array of {id, at (ISO 8601), at_unix, kind,
 * target | null, old | null, new | null (the stored text), user: {id, username} |
 * null}. NULL on error. */
json_t *db_audit_list(struct db *db, long long assessment_id, const char *target, long long before_id, int limit);

#endif
