/* lifecycle.h - the assessment lifecycle as data: which moves exist and who may
 * make them. Pure functions: no HTTP, no SQL.
 *
 *   draft -> submitted -> returned -> submitted -> ... -> validated
 *
 * A focal point of the assessment's country submits (from draft or returned);
 * reviewers and administrators return or validate a submitted assessment. Nobody
 * else moves an assessment, and nothing leaves validated. */
#ifndef SOMGUIDE_LIFECYCLE_H
#define SOMGUIDE_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>

/* The caller, as far as the lifecycle cares. */
struct lc_actor {
	const char *role;     /* admin, reviewer, official, observer */
	bool focal_point;
	bool same_country;    /* the caller's country is the assessment's */
};

enum lc_verdict {
	LC_OK,
	LC_UNKNOWN,           /* `to` is not a status (422) */
	LC_FORBIDDEN,         /* this caller never makes a move to `to` (403) */
	LC_CONFLICT,          /* no move from the current status to `to` (409) */
};

/* true for draft, submitted, returned, validated. */
bool lifecycle_status_known(const char *status);
/* Whether who may move an assessment from `from` to `to`. The caller is checked
 * before the status: one who may never make the move hears 403 whatever the
 * status; one who may hears 409 when the status does not allow it now. A target
 * that no move reaches (draft) is 409 for everyone. */
enum lc_verdict lifecycle_check(const char *from, const char *to, const struct lc_actor *who);
/* The targets who may move to from `from` now, in the order a page offers them;
 * returns how many (at most max) were written to out (static strings). */
size_t lifecycle_moves(const char *from, const struct lc_actor *who, const char **out, size_t max);

#endif
