/* test_lifecycle.c - the assessment lifecycle: every (status, target, caller)
 * combination against the rules written out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lifecycle.h"

static const char *const statuses[] = {"draft", "submitted", "returned", "validated"};

enum who { ADMIN, REVIEWER, OFFICIAL, FOCAL, FOCAL_ELSEWHERE, OBSERVER, N_WHO };

static const struct lc_actor actors[N_WHO] = {
	[ADMIN] = {"admin", false, false},
	[REVIEWER] = {"reviewer", false, false},
	[OFFICIAL] = {"official", false, true},
	[FOCAL] = {"official", true, true},
	[FOCAL_ELSEWHERE] = {"official", true, false},
	[OBSERVER] = {"observer", false, true},
};

/* The rules, restated: who may move to a target at all, and from where. */
static bool may(enum who w, const char *to)
{
	if (strcmp(to, "submitted") == 0)
		return w == FOCAL;
	if (strcmp(to, "returned") == 0 || strcmp(to, "validated") == 0)
		return w == ADMIN || w == REVIEWER;
	return false;
}

static bool edge(const char *from, const char *to)
{
	return (strcmp(to, "submitted") == 0 && (strcmp(from, "draft") == 0 || strcmp(from, "returned") == 0)) ||
	       (strcmp(from, "submitted") == 0 && (strcmp(to, "returned") == 0 || strcmp(to, "validated") == 0));
}

static void test_every_combination(void **state)
{
	for (size_t f = 0; f < 4; f++)
		for (size_t t = 0; t < 4; t++)
			for (int w = 0; w < N_WHO; w++) {
				const char *from = statuses[f], *to = statuses[t];
				enum lc_verdict expect = strcmp(to, "draft") == 0 ? LC_CONFLICT
							 : !may(w, to)            ? LC_FORBIDDEN
							 : edge(from, to)         ? LC_OK
										  : LC_CONFLICT;
				enum lc_verdict got = lifecycle_check(from, to, &actors[w]);
				if (got != expect)
					fail_msg("%s -> %s by actor %d: got %d, expected %d", from, to, w, got, expect);
			}
}

static void test_unknown_target(void **state)
{
	static const char *const bad[] = {"", "Submitted", "approved", "draft ", "validated\n"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(lifecycle_check("draft", bad[i], &actors[FOCAL]), LC_UNKNOWN);
	assert_false(lifecycle_status_known("closed"));
	assert_true(lifecycle_status_known("returned"));
}

static void test_moves_offered(void **state)
{
	const char *out[4];
	assert_int_equal(lifecycle_moves("draft", &actors[FOCAL], out, 4), 1);
	assert_string_equal(out[0], "submitted");
	assert_int_equal(lifecycle_moves("draft", &actors[OFFICIAL], out, 4), 0);
	assert_int_equal(lifecycle_moves("draft", &actors[FOCAL_ELSEWHERE], out, 4), 0);
	assert_int_equal(lifecycle_moves("draft", &actors[REVIEWER], out, 4), 0);
	assert_int_equal(lifecycle_moves("submitted", &actors[REVIEWER], out, 4), 2);
	assert_string_equal(out[0], "returned");
	assert_string_equal(out[1], "validated");
	assert_int_equal(lifecycle_moves("submitted", &actors[FOCAL], out, 4), 0);
	assert_int_equal(lifecycle_moves("returned", &actors[FOCAL], out, 4), 1);
	assert_int_equal(lifecycle_moves("submitted", &actors[ADMIN], out, 1), 1);
	for (int w = 0; w < N_WHO; w++) {
		assert_int_equal(lifecycle_moves("validated", &actors[w], out, 4), 0);
		assert_int_equal(lifecycle_moves("submitted", &actors[OBSERVER], out, 4), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_combination),
		cmocka_unit_test(test_unknown_target),
		cmocka_unit_test(test_moves_offered),
	};
	return cmocka_run_group_tests_name("lifecycle", tests, NULL, NULL);
}
