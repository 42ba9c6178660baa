/* seed.h - generated assessments: every country of schema/countries.json, several
 * rounds, answers drawn at random (deterministically from a seed) so that the
 * dashboards have something to show. Used by `somguide seed` for benchmarks; the
 * demo data set builds on it. The data is fictional: it describes no real State. */
#ifndef SOMGUIDE_SEED_H
#define SOMGUIDE_SEED_H

#include <stddef.h>

#include <jansson.h>

struct db;
struct guide;

#define SEED_MAX_ROUNDS 8

struct seed_opts {
	int rounds[SEED_MAX_ROUNDS]; /* years, oldest first */
	size_t n_rounds;
	unsigned long long seed;
};

/* Creates, for every country of `countries` (app->countries) and every round, an
 * assessment with generated answers, a status (older rounds validated, the newest a
 * mix) and its materialized scores; a country's later rounds tend to show less need.
 * Assessments that exist already are left alone. One transaction. Returns the
 * number of assessments created, or -1 (logged). */
long long seed_generate(struct db *db, const struct guide *g, const json_t *countries, const struct seed_opts *o);

/* `somguide seed`: parses argv (argv[0] is "seed"), fills the database. Returns the
 * exit status. */
int seed_main(int argc, char **argv);

#endif
