/* seed.c - generated assessments for benchmarks and demonstrations. See seed.h. */
#include "seed.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "db.h"
#include "db_assessments.h"
#include "db_scores.h"
#include "guide.h"
#include "log.h"
#include "util.h"

/* splitmix64: small, fast, and the same numbers on every machine */
static unsigned long long next(unsigned long long *s)
{
	unsigned long long z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* uniform in [0, 1) */
static double uniform(unsigned long long *s)
{
	return (double)(next(s) >> 11) / 9007199254740992.0;
}

static unsigned long long hash_str(const char *s)
{
	unsigned long long h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* An option of a choice or scale question, drawn with weights that favour
 * options whose score lies near the target capacity. */
static size_t pick_option(const struct guide_question *q, double target, unsigned long long *rng)
{
	double w[GUIDE_MAX_OPTIONS], sum = 0;
	for (size_t i = 0; i < q->n_options; i++) {
		double d = q->options[i].score - target;
		w[i] = exp(-d * d / 0.06);
		sum += w[i];
	}
	double x = uniform(rng) * sum;
	for (size_t i = 0; i < q->n_options; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return q->n_options - 1;
}

/* Draws the answer to question q of an area whose capacity tends to `target`. */
static void draw_answer(const struct guide_question *q, double target, unsigned long long *rng, struct answer *a)
{
	memset(a, 0, sizeof(*a));
	double u = uniform(rng);
	if (u < 0.04)
		return; /* left open */
	if (u < 0.08) {
		a->kind = ANS_DK;
		return;
	}
	if (u < 0.10 && q->allow_na) {
		a->kind = ANS_NA;
		return;
	}
	switch (q->type) {
	case Q_CHOICE:
	case Q_SCALE:
		a->kind = ANS_VALUE;
		a->mask = (uint64_t)1 << pick_option(q, target, rng);
		return;
	case Q_MULTI:
		/* options that show capacity are selected with a probability near the
		 * target; an option scoring 0 ("none of these") only when nothing else is */
		for (size_t i = 0; i < q->n_options; i++)
			if (q->options[i].score > 0 && uniform(rng) < target)
				a->mask |= (uint64_t)1 << i;
		if (!a->mask)
			a->mask = (uint64_t)1 << pick_option(q, 0, rng);
		a->kind = ANS_VALUE;
		return;
	case Q_NUMBER: {
		double lo = q->has_min ? q->min : 0, hi = q->has_max ? q->max : lo + 500;
		if (hi - lo > 500)
			hi = lo + 500;
		a->kind = ANS_VALUE;
		a->number = floor(lo + uniform(rng) * (hi - lo));
		return;
	}
	case Q_TEXT:
	case Q_DATE:
		return; /* free text is not generated */
	}
}

static int fill_assessment(struct db *db, const struct guide *g, long long id, const double capacity[GUIDE_N_AREAS],
			   unsigned long long *rng)
{
	struct answer *ans = xcalloc(g->n_questions ? g->n_questions : 1, sizeof(*ans));
	int ret = 0;
	for (size_t qi = 0; qi < g->n_questions && ret == 0; qi++) {
		const struct guide_question *q = &g->questions[qi];
		if (!guide_question_visible(g, q, ans))
			continue;
		draw_answer(q, capacity[q->area], rng, &ans[qi]);
		if (ans[qi].kind == ANS_NONE)
			continue;
		json_t *v = guide_answer_json(q, &ans[qi]);
		char *vj = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		json_decref(v);
		bool changed;
		ret = db_answer_put(db, id, q->id, vj, "", 0, &changed);
		free(vj);
	}
	free(ans);
	return ret;
}

long long seed_generate(struct db *db, const struct guide *g, const json_t *countries, const struct seed_opts *o)
{
	static const char *const newest_status[] = {"draft", "submitted", "submitted", "returned", "validated",
						    "validated"};
	if (db_begin(db) != 0)
		return -1;
	long long created = 0;
	size_t i;
	json_t *c;
	json_array_foreach(countries, i, c) {
		const char *iso3 = json_string_value(json_object_get(c, "iso3"));
		if (!iso3)
			continue;
		unsigned long long rng = o->seed ^ hash_str(iso3);
		/* a country's profile: a general capacity and one per area around it */
		double base = 0.15 + 0.7 * uniform(&rng), capacity[GUIDE_N_AREAS];
		for (int ai = 0; ai < GUIDE_N_AREAS; ai++)
			capacity[ai] = fmin(1, fmax(0, base + (uniform(&rng) - 0.5) * 0.5));
		for (size_t k = 0; k < o->n_rounds; k++) {
			long long existing = 0;
			long long id = db_assessment_create(db, iso3, o->rounds[k], g->version, 0, &existing);
			if (id < 0)
				goto fail;
			if (id > 0) {
				const char *status = k + 1 < o->n_rounds
							     ? "validated"
							     : newest_status[next(&rng) % ARRAY_SIZE(newest_status)];
				if (fill_assessment(db, g, id, capacity, &rng) != 0 ||
				    db_assessment_set_status(db, id, status) != 0 || db_scores_refresh(db, g, id) != 0)
					goto fail;
				created++;
			}
			/* the next round shows what assistance may have changed */
			for (int ai = 0; ai < GUIDE_N_AREAS; ai++)
				capacity[ai] = fmin(1, fmax(0, capacity[ai] + (uniform(&rng) - 0.3) * 0.3));
		}
	}
	if (db_commit(db) != 0)
		goto fail;
	return created;
fail:
	db_rollback(db);
	return -1;
}

static const char usage_seed[] =
	"usage: somguide seed [--db PATH] [--root DIR] [--guide PATH] [--rounds Y1,Y2,...] [--seed N]\n"
	"Fills the database with generated, fictional assessments: every country of\n"
	"ROOT/schema/countries.json, one per round (default --rounds 2023,2026), with\n"
	"answers drawn from --seed (default 1). Existing assessments are left alone.\n"
	"For benchmarks and demonstrations only: the figures describe no real State.\n";

static int parse_rounds(const char *s, struct seed_opts *o)
{
	o->n_rounds = 0;
	while (*s) {
		char *end;
		long y = strtol(s, &end, 10);
		if (end == s || y < 2000 || y > 2100 || o->n_rounds == SEED_MAX_ROUNDS ||
		    (o->n_rounds && y <= o->rounds[o->n_rounds - 1]))
			return -1;
		o->rounds[o->n_rounds++] = (int)y;
		s = end;
		if (*s == ',')
			s++;
		else if (*s)
			return -1;
	}
	return o->n_rounds ? 0 : -1;
}

int seed_main(int argc, char **argv)
{
	struct app_config cfg = {.port = 0};
	cfg.db_path = getenv("SOMGUIDE_DB");
	cfg.guide_path = getenv("SOMGUIDE_GUIDE");
	cfg.root = getenv("SOMGUIDE_ROOT");
	struct seed_opts o = {.rounds = {2023, 2026}, .n_rounds = 2, .seed = 1};
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'},     {"guide", required_argument, NULL, 'g'},
		{"root", required_argument, NULL, 'r'},   {"rounds", required_argument, NULL, 'R'},
		{"seed", required_argument, NULL, 's'},   {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': cfg.db_path = optarg; break;
		case 'g': cfg.guide_path = optarg; break;
		case 'r': cfg.root = optarg; break;
		case 'R':
			if (parse_rounds(optarg, &o) != 0)
				return log_error("--rounds \"%s\": give increasing years 2000-2100, comma-separated (at most %d)",
						 optarg, SEED_MAX_ROUNDS), 2;
			break;
		case 's': {
			char *end;
			o.seed = strtoull(optarg, &end, 10);
			if (*end || end == optarg)
				return log_error("--seed \"%s\" is not a number", optarg), 2;
			break;
		}
		case 'h': fputs(usage_seed, stdout); return 0;
		case ':': return log_error("option %s needs a value (see --help)", argv[optind - 1]), 2;
		default: return log_error("unknown option %s (see --help)", argv[optind - 1]), 2;
		}
	}
	if (optind < argc)
		return log_error("unexpected argument \"%s\" (see --help)", argv[optind]), 2;
	static struct app app;
	if (app_init(&app, &cfg) != 0) {
		app_stop(&app);
		return 1;
	}
	struct db *db = db_open(app.db_path);
	long long n = db ? seed_generate(db, app.guide, app.countries, &o) : -1;
	db_close(db);
	if (n >= 0)
		printf("%s: %lld assessment%s generated\n", app.db_path, n, n == 1 ? "" : "s");
	app_stop(&app);
	return n >= 0 ? 0 : 1;
}
