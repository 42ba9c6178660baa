/* score.h - the needs scoring model of SCORING.md (version 1): pure functions over a
 * loaded guide and one assessment's answers. No I/O, no global state; thread-safe.
 *
 * `answers` is always an array of g->n_questions answers in guide order (index =
 * guide_question.index), as filled by guide_parse_answer; ANS_NONE means unanswered.
 * Area indexes are indexes into g->areas (the file's area order, which is "the guide's
 * area order" of SCORING.md).
 *
 * Interpretations of SCORING.md made here:
 * - a question is hidden when guide_question_visible() says so (its show_if is not met,
 *   its controlling question is unanswered, na, dk or itself hidden); a hidden question
 *   counts as na whatever is stored;
 * - dk on a scored question is *answered* with s_q = 0 (so it lowers capacity, and a dk
 *   on a critical question is a critical gap);
 * - data_gaps counts every dk answer of a shown question of the area, scored or not
 *   ("number of dk answers in a"); unscored questions affect nothing else;
 * - stale option bits beyond a question's options are ignored.
 *
 * Rounding: need_a = round_half_away(x) with x = (Σw − Σw·s)·100 / Σw computed in
 * double; values within 1e-9 of a .5 boundary are taken as the exact half (scores come
 * from decimal JSON numbers, so 87.5 may be computed as 87.49999999999999). The overall
 * need is rounded in exact integer arithmetic: (2·Σneed + n) / (2·n). */
#ifndef SOMGUIDE_SCORE_H
#define SOMGUIDE_SCORE_H

#include <stdbool.h>
#include <stddef.h>

#include "guide.h"

enum level { LEVEL_UNKNOWN = 0, LEVEL_LOW, LEVEL_MODERATE, LEVEL_HIGH, LEVEL_CRITICAL };

/* "unknown", "low", "moderate", "high", "critical" (static strings). */
const char *level_name(enum level l);
/* The level for a defined need 0..100, before the critical override. */
enum level level_of_need(int need);

/* How SCORING.md sees one question. */
enum qstate {
	QS_OPEN = 0,   /* shown, not answered */
	QS_HIDDEN,     /* show_if not met: treated as na */
	QS_NA,         /* answered "na" */
	QS_DK,         /* answered "dk": answered, s_q = 0, a data gap */
	QS_ANSWERED,   /* answered with a value */
};

enum qstate score_question_state(const struct guide *g, const struct guide_question *q,
				 const struct answer *answers);

/* s_q of an answer with a value (choice/scale: the option's score; multi: the sum of the
 * selected options' scores capped at 1) or 0 for dk and anything else. */
double score_answer_value(const struct guide_question *q, const struct answer *a);

/* Rounds x >= 0 half away from zero, tolerating 1e-9 of floating point noise. */
int score_round_need(double x);

struct area_score {
	size_t applicable;       /* |applicable_a| */
	size_t answered;         /* |answered_a| (dk included) */
	size_t open;             /* applicable but not answered */
	double coverage;         /* answered / applicable, 0 when applicable is 0 */
	bool defined;            /* capacity, need defined (answered > 0) */
	double capacity;         /* Σw·s / Σw in [0,1]; 0 when !defined */
	int need;                /* 0..100; 0 when !defined */
	enum level level;        /* LEVEL_UNKNOWN when !defined; critical override applied */
	size_t *critical_gaps;   /* question indexes, guide order (owned) */
	size_t n_critical_gaps;
	size_t data_gaps;        /* dk answers */
	double sum_w, sum_ws;    /* Σw and Σw·s over answered_a */
};

struct score {
	struct area_score areas[GUIDE_N_AREAS]; /* same order as g->areas */
	bool need_defined;
	int need;                /* overall; 0 when !need_defined */
	double coverage;         /* Σanswered / Σapplicable, 0 when Σapplicable is 0 */
	size_t answered, applicable;
	int priorities[GUIDE_N_AREAS]; /* area indexes with a defined need, in priority order */
	size_t n_priorities;     /* the first min(3, n) are the priority areas */
};

/* Computes every figure into *out (which the caller releases with score_release).
 * answers may be NULL (nothing answered). */
void score_compute(const struct guide *g, const struct answer *answers, struct score *out);
void score_release(struct score *s);

/* "What drove the score": one row per answered scored question of an area. */
struct score_item {
	size_t question;         /* question index */
	int weight;
	double score;            /* s_q */
	bool dk;
	bool critical_gap;       /* critical and s_q < 0.5 */
	double weight_share;     /* w / Σw over the area's answered questions */
	double need_points;      /* 100·w·(1 − s_q) / Σw: this answer's part of the need
				    (the parts sum to need_a before rounding) */
};

/* Fills items (room for g->areas[area].n_q rows) with the answered scored questions of
 * the area in guide order; returns how many. */
size_t score_breakdown(const struct guide *g, const struct answer *answers, int area,
		       struct score_item *items);

#endif
