/* carry.h - the next round starts from the last: a new round of a country
 * pre-filled with the answers of its previous round, each marked carried over
 * until an official confirms or changes it (schema/migrations/007_carried_over.sql). */
#ifndef SOMGUIDE_CARRY_H
#define SOMGUIDE_CARRY_H

#include "guide.h"

struct db;

/* Copies into the (empty) assessment to_id every answer with a value of the
 * assessment from_id (round from_round) that guide g still accepts, with its
 * comment, in guide order; values are written in their canonical form
 * (guide_answer_json), so that a form posted back unchanged stores the same text.
 * Questions the guide no longer has and values it no longer accepts are left out.
 * Each answer is marked carried over and audited (kind "carried_over", target the
 * question); one more record without a target says where they came from
 * ({"from": id, "round": year, "answers": n}). Does not refresh the scores. Run
 * inside a transaction. Returns the number of answers carried over, or -1. */
int carry_over(struct db *db, const struct guide *g, long long from_id, int from_round, long long to_id,
	       long long user_id);

#endif
