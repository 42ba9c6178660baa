/* plan.h - the assistance plan of SCORING.md: the recommendations triggered by an
 * assessment's answers, in plan order. Pure functions; no I/O; thread-safe.
 *
 * A question triggers the `recommend` ids of its chosen option(s) when it is shown
 * (guide_question_visible) and answered with a value: na, dk, hidden and open
 * questions trigger nothing; a multi answer triggers the ids of every selected option.
 * A question is listed once per recommendation even when several of its selected
 * options recommend it.
 *
 * Order: by the need of the recommendation's area (its `area`, not the triggering
 * questions') descending, undefined needs last; then by the number of triggering
 * questions descending; then by recommendation id ascending (strcmp, i.e. bytewise). */
#ifndef SOMGUIDE_PLAN_H
#define SOMGUIDE_PLAN_H

#include <stddef.h>

#include "guide.h"
#include "score.h"

struct plan_item {
	const struct guide_rec *rec;   /* borrowed from the guide */
	int area;                      /* rec->area */
	enum level level;              /* the level of that area (LEVEL_UNKNOWN if undefined) */
	bool need_defined;
	int need;                      /* the area's need, when defined */
	size_t *triggered_by;          /* question indexes in guide order (owned) */
	size_t n_triggered_by;
};

struct plan {
	struct plan_item *items;       /* in plan order (owned) */
	size_t n;
};

/* Computes the plan into *out (caller releases with plan_release). sc is the score of
 * the same answers (score_compute); when NULL it is computed here. answers may be NULL. */
void plan_compute(const struct guide *g, const struct answer *answers, const struct score *sc,
		  struct plan *out);
void plan_release(struct plan *p);

#endif
