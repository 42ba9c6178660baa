/* lifecycle.c - the assessment lifecycle: moves and who makes them. */
#include "lifecycle.h"

#include <string.h>

#include "util.h"

static const char *const statuses[] = {"draft", "submitted", "returned", "validated"};

static const struct move {
	const char *from, *to;
} moves[] = {
	{"draft", "submitted"},
	{"returned", "submitted"},
	{"submitted", "returned"},
	{"submitted", "validated"},
};

bool lifecycle_status_known(const char *status)
{
	for (size_t i = 0; i < ARRAY_SIZE(statuses); i++)
		if (strcmp(status, statuses[i]) == 0)
			return true;
	return false;
}

/* Who may move an assessment to `to` (from wherever a move exists). */
static bool may_move_to(const char *to, const struct lc_actor *who)
{
	if (strcmp(to, "submitted") == 0)
		return strcmp(who->role, "official") == 0 && who->focal_point && who->same_country;
	if (strcmp(to, "returned") == 0 || strcmp(to, "validated") == 0)
		return strcmp(who->role, "reviewer") == 0 || strcmp(who->role, "admin") == 0;
	return false;
}

static bool move_exists(const char *from, const char *to)
{
	for (size_t i = 0; i < ARRAY_SIZE(moves); i++)
		if ((!from || strcmp(moves[i].from, from) == 0) && strcmp(moves[i].to, to) == 0)
			return true;
	return false;
}

enum lc_verdict lifecycle_check(const char *from, const char *to, const struct lc_actor *who)
{
	if (!lifecycle_status_known(to))
		return LC_UNKNOWN;
	if (!move_exists(NULL, to))
		return LC_CONFLICT;
	if (!may_move_to(to, who))
		return LC_FORBIDDEN;
	return move_exists(from, to) ? LC_OK : LC_CONFLICT;
}

size_t lifecycle_moves(const char *from, const struct lc_actor *who, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < ARRAY_SIZE(moves) && n < max; i++)
		if (strcmp(moves[i].from, from) == 0 && may_move_to(moves[i].to, who))
			out[n++] = moves[i].to;
	return n;
}
