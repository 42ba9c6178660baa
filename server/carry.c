/* carry.c - pre-filling a new round with the previous one's answers (carry.h). */
#include "carry.h"

#include <stdio.h>
#include <stdlib.h>

#include "db.h"
#include "db_assessments.h"
#include "log.h"

int carry_over(struct db *db, const struct guide *g, long long from_id, int from_round, long long to_id,
	       long long user_id)
{
	json_t *stored = db_answers_get(db, from_id);
	if (!stored)
		return -1;
	int n = 0;
	for (size_t qi = 0; qi < g->n_questions && n >= 0; qi++) {
		const struct guide_question *q = &g->questions[qi];
		const json_t *entry = json_object_get(stored, q->id);
		const json_t *value = json_object_get(entry, "value");
		if (!value || json_is_null(value))
			continue; /* a comment without an answer stays behind */
		struct answer parsed;
		char err[200];
		if (guide_parse_answer(q, value, &parsed, err, sizeof(err)) != 0 || parsed.kind == ANS_NONE)
			continue;
		json_t *canon = guide_answer_json(q, &parsed);
		char *vj = json_dumps(canon, JSON_COMPACT | JSON_ENCODE_ANY);
		json_decref(canon);
		const char *comment = json_string_value(json_object_get(entry, "comment"));
		if (!vj || db_answer_carry(db, to_id, q->id, vj, comment ? comment : "", from_round, user_id) != 0)
			n = -1;
		else
			n++;
		free(vj);
	}
	json_decref(stored);
	if (n < 0)
		return -1;
	char rec[96];
	snprintf(rec, sizeof(rec), "{\"from\":%lld,\"round\":%d,\"answers\":%d}", from_id, from_round, n);
	if (db_audit_add(db, to_id, user_id, "carried_over", NULL, NULL, rec) != 0)
		return -1;
	return n;
}
