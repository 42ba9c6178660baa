/* seed.h - generated assessments: every country of schema/countries.json, several
 * rounds, answers drawn at random (deterministically from a seed) so that the
 * dashboards have something to show. Used by `somguide seed` for benchmarks; the
 * demo data set builds on it. The data is fictional: it describes no real State. */
#ifndef SOMGUIDE_SEED_H
#define SOMGUIDE_SEED_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct db;
struct guide;

#define SEED_MAX_ROUNDS 8

/* A country of the demo with accounts: its answers are given, its carried-over
 * answers confirmed and its review comments replied to by the focal point, and
 * its newest round has the status given. */
struct seed_team {
	char country[4];
	long long focal_id;
	const char *newest_status;
};

/* What the demo made (counted as it goes). */
struct seed_stats {
	long long actions, delivered, comments, carried, unconfirmed;
};

struct seed_opts {
	int rounds[SEED_MAX_ROUNDS]; /* years, oldest first */
	size_t n_rounds;
	unsigned long long seed;
	/* the demo data set (somguide demo): rounds after the first start from the
	 * previous one (answers carried over, then some changed, the rest confirmed or,
	 * in rounds still being answered, partly left unconfirmed); plans turned into
	 * assistance actions by reviewer_id (delivered help makes the next round of the
	 * area better); review comments on submitted and returned assessments */
	bool demo;
	long long reviewer_id;
	const struct seed_team *teams;
	size_t n_teams;
	struct seed_stats *stats;    /* may be NULL */
};

/* Creates, for every country of `countries` (app->countries) and every round, an
 * assessment with generated answers, a status (older rounds validated, the newest a
 * mix) and its materialized scores; a country's later rounds tend to show less need.
 * With o->demo, also what the demo shows (see struct seed_opts). Assessments that
 * exist already are left alone. One transaction. Returns the number of assessments
 * created, or -1 (logged). */
long long seed_generate(struct db *db, const struct guide *g, const json_t *countries, const struct seed_opts *o);

/* `somguide seed`: parses argv (argv[0] is "seed"), fills the database. Returns the
 * exit status. */
int seed_main(int argc, char **argv);

#endif
