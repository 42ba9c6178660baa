/* seed.c - generated assessments for benchmarks and demonstrations. See seed.h. */
#include "seed.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "carry.h"
#include "db.h"
#include "db_actions.h"
#include "db_assessments.h"
#include "db_comments.h"
#include "db_scores.h"
#include "guide.h"
#include "log.h"
#include "plan.h"
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

/* Stores one answer (ANS_NONE removes it). 0 or -1. */
static int put_answer(struct db *db, const struct guide_question *q, long long id, const struct answer *a,
		      long long user_id)
{
	char *vj = NULL;
	if (a->kind != ANS_NONE) {
		json_t *v = guide_answer_json(q, a);
		vj = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		json_decref(v);
	}
	bool changed;
	int ret = db_answer_put(db, id, q->id, vj, "", user_id, &changed);
	free(vj);
	return ret;
}

/* Draws and stores the answers of a new assessment into ans[g->n_questions]. */
static int fill_answers(struct db *db, const struct guide *g, long long id, const double capacity[GUIDE_N_AREAS],
			unsigned long long *rng, struct answer *ans, long long user_id)
{
	int ret = 0;
	for (size_t qi = 0; qi < g->n_questions && ret == 0; qi++) {
		const struct guide_question *q = &g->questions[qi];
		if (!guide_question_visible(g, q, ans))
			continue;
		draw_answer(q, capacity[q->area], rng, &ans[qi]);
		if (ans[qi].kind != ANS_NONE)
			ret = put_answer(db, q, id, &ans[qi], user_id);
	}
	return ret;
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

/* ---- the demo data set --------------------------------------------------- */

static const char *const demo_partners[] = {
	"Northwind Cooperation Fund (fictional)", "Example Bilateral Agency (fictional)",
	"Blue Harbour Foundation (fictional)", "Regional Justice Network (fictional)",
	"Sample Donor Consortium (fictional)", "UNODC field office (demo)",
};

static const char *const demo_notes[] = {
	"National workshop for investigators and prosecutors, two days.",
	"Technical advice to the drafting committee, with a review of the draft.",
	"Training of trainers in two sessions, with the basic training manual.",
	"Study visit and peer exchange with a neighbouring State.",
	"Advice on the collection and publication of statistics.",
	"Awareness materials adapted, translated and distributed.",
	"",
};

static const char *const demo_review[] = {
	"Please attach the text of the law or regulation that supports this answer.",
	"This answer differs from the previous round; what has changed since?",
	"Which agency holds these data, and for which reference year?",
	"Could you say how this is applied in practice, with an example?",
};

static const char *const demo_reply[] = {
	"The law is attached; its article 12 covers this.",
	"A specialized unit was set up last year; the decree is attached.",
	"The figures come from the national statistics office, reference year 2025.",
};

static const char *pick(const char *const *list, size_t n, unsigned long long *rng)
{
	return list[next(rng) % n];
}

/* A date in year y (1..28 of a month from m0 to m0 + span - 1, capped at 12). */
static void demo_date(int y, int m0, int span, unsigned long long *rng, char buf[static 11])
{
	int m = m0 + (int)(next(rng) % (unsigned)span);
	snprintf(buf, 11, "%04d-%02d-%02d", y, m > 12 ? 12 : m, 1 + (int)(next(rng) % 28));
}

/* Assistance actions for the plan of assessment id (answers ans) of round `round`;
 * next_round is the following round's year (0 for the newest). Areas whose help
 * was delivered are marked in helped[]. 0 or -1. */
static int demo_actions(struct db *db, const struct guide *g, long long id, const struct answer *ans, int round,
			int next_round, const struct seed_opts *o, unsigned long long *rng, bool helped[GUIDE_N_AREAS])
{
	struct plan p;
	plan_compute(g, ans, NULL, &p);
	int ret = 0;
	for (size_t i = 0; i < p.n && ret == 0; i++) {
		double u = uniform(rng);
		const char *status;
		if (next_round) {
			/* an older round: most of its actions have been carried out since */
			if (u > 0.15)
				continue;
			double v = uniform(rng);
			status = v < 0.55 ? "delivered" : v < 0.75 ? "in_progress" : v < 0.9 ? "planned" : "proposed";
		} else {
			if (u > 0.08)
				continue;
			double v = uniform(rng);
			status = v < 0.5 ? "proposed" : v < 0.8 ? "planned" : "in_progress";
		}
		char start[11] = "", end[11] = "";
		int y = round;
		if (strcmp(status, "delivered") == 0) {
			demo_date(y, 3, 9, rng, start);
			demo_date(y + 1 < next_round ? y + 1 : y, 1, 6, rng, end);
			if (strcmp(end, start) < 0)
				snprintf(end, sizeof(end), "%04d-12-15", y);
		} else if (strcmp(status, "in_progress") == 0) {
			demo_date(next_round ? next_round - 1 : y, 1, 6, rng, start);
			demo_date(next_round ? next_round : y + 1, 3, 9, rng, end);
		} else if (strcmp(status, "planned") == 0) {
			demo_date(next_round ? next_round : y + 1, 1, 10, rng, start);
		}
		struct action_fields f = {
			.status = status,
			.partner = strcmp(status, "proposed") == 0 ? "" : pick(demo_partners, ARRAY_SIZE(demo_partners), rng),
			.start = start[0] ? start : NULL,
			.end = end[0] ? end : NULL,
			.note = pick(demo_notes, ARRAY_SIZE(demo_notes), rng),
		};
		bool created;
		ret = db_action_put(db, id, p.items[i].rec->id, &f, o->reviewer_id, &created);
		if (ret == 0 && created && o->stats) {
			o->stats->actions++;
			o->stats->delivered += strcmp(status, "delivered") == 0;
		}
		if (strcmp(status, "delivered") == 0)
			helped[p.items[i].area] = true;
	}
	plan_release(&p);
	return ret;
}

/* A later round: starts from the previous one (carried over), then the answers
 * that changed are drawn again: more often, and towards more capacity, in areas
 * that received help. Unchanged answers are confirmed, except for part of them in
 * a round still being answered (draft, returned). ans holds the previous round's
 * answers on entry and this round's on return. 0 or -1. */
static int demo_next_round(struct db *db, const struct guide *g, long long prev_id, int prev_round, long long id,
			   const char *status, const double capacity[GUIDE_N_AREAS], const bool helped[GUIDE_N_AREAS],
			   long long official_id, unsigned long long *rng, struct answer *ans, struct seed_stats *stats)
{
	if (carry_over(db, g, prev_id, prev_round, id, official_id) < 0)
		return -1;
	for (size_t qi = 0; qi < g->n_questions; qi++) {
		const struct guide_question *q = &g->questions[qi];
		if (!guide_question_visible(g, q, ans)) {
			if (ans[qi].kind != ANS_NONE) {
				ans[qi] = (struct answer){0};
				if (put_answer(db, q, id, &ans[qi], official_id) != 0)
					return -1;
			}
			continue;
		}
		double p_change = helped[q->area] ? 0.6 : 0.2;
		if (ans[qi].kind != ANS_NONE && uniform(rng) >= p_change)
			continue;
		struct answer a;
		draw_answer(q, capacity[q->area], rng, &a);
		if (q->type == Q_TEXT || q->type == Q_DATE)
			continue;
		if (a.kind == ans[qi].kind && a.mask == ans[qi].mask && a.number == ans[qi].number)
			continue;
		ans[qi] = a;
		if (put_answer(db, q, id, &ans[qi], official_id) != 0)
			return -1;
	}
	/* what is still carried over was not changed: confirmed, or part of it left for
	 * the officials when the round is still being answered */
	double keep = strcmp(status, "draft") == 0 ? 0.5 : strcmp(status, "returned") == 0 ? 0.15 : 0;
	json_t *stored = db_answers_get(db, id);
	if (!stored)
		return -1;
	int ret = 0;
	for (size_t qi = 0; qi < g->n_questions && ret == 0; qi++) {
		const json_t *e = json_object_get(stored, g->questions[qi].id);
		if (!json_is_true(json_object_get(e, "carried_over")))
			continue;
		if (stats)
			stats->carried++;
		if (uniform(rng) < keep) {
			if (stats)
				stats->unconfirmed++;
			continue;
		}
		ret = db_answer_confirm(db, id, g->questions[qi].id, official_id) < 0 ? -1 : 0;
	}
	json_decref(stored);
	return ret;
}

/* Review comments on a submitted or returned assessment: a reviewer asks about a
 * few answered questions; in a returned one the officials (when the country has
 * accounts) have replied to some. 0 or -1. */
static int demo_comments(struct db *db, const struct guide *g, long long id, const char *status,
			 const struct answer *ans, long long reviewer_id, long long official_id, unsigned long long *rng,
			 struct seed_stats *stats)
{
	int n = 1 + (int)(next(rng) % 3), made = 0;
	for (int tries = 0; made < n && tries < 50; tries++) {
		const struct guide_question *q = &g->questions[next(rng) % g->n_questions];
		if (!q->scored || ans[q->index].kind == ANS_NONE || db_comment_thread_open(db, id, q->id) != 0)
			continue;
		if (db_comment_add(db, id, q->id, reviewer_id, "review", pick(demo_review, ARRAY_SIZE(demo_review), rng)) < 0)
			return -1;
		made++;
		if (stats)
			stats->comments++;
		if (strcmp(status, "returned") == 0 && official_id > 0 && (made == 1 || uniform(rng) < 0.4)) {
			if (db_comment_add(db, id, q->id, official_id, "reply", pick(demo_reply, ARRAY_SIZE(demo_reply), rng)) < 0)
				return -1;
			if (stats)
				stats->comments++;
		}
	}
	return 0;
}

static const struct seed_team *team_of(const struct seed_opts *o, const char *iso3)
{
	for (size_t i = 0; i < o->n_teams; i++)
		if (strcmp(o->teams[i].country, iso3) == 0)
			return &o->teams[i];
	return NULL;
}

/* Every round of one country for the demo. 0 or -1. */
static int demo_country(struct db *db, const struct guide *g, const char *iso3, const struct seed_opts *o,
			unsigned long long *rng, long long *created)
{
	static const char *const newest_status[] = {"draft", "submitted", "submitted", "returned", "validated",
						    "validated"};
	const struct seed_team *team = team_of(o, iso3);
	long long official = team ? team->focal_id : 0;
	double base = 0.15 + 0.7 * uniform(rng), capacity[GUIDE_N_AREAS];
	for (int ai = 0; ai < GUIDE_N_AREAS; ai++)
		capacity[ai] = fmin(1, fmax(0, base + (uniform(rng) - 0.5) * 0.5));
	struct answer *ans = xcalloc(g->n_questions ? g->n_questions : 1, sizeof(*ans));
	bool helped[GUIDE_N_AREAS] = {false};
	long long prev_id = 0;
	int prev_round = 0, ret = 0;
	for (size_t k = 0; k < o->n_rounds && ret == 0; k++) {
		bool newest = k + 1 == o->n_rounds;
		const char *status = newest ? newest_status[next(rng) % ARRAY_SIZE(newest_status)] : "validated";
		if (newest && team)
			status = team->newest_status;
		long long existing = 0;
		long long id = db_assessment_create(db, iso3, o->rounds[k], g->version, official, &existing);
		if (id <= 0) {
			ret = id < 0 ? -1 : 0;
			prev_id = existing;
			prev_round = o->rounds[k];
			continue;
		}
		if (prev_id)
			ret = demo_next_round(db, g, prev_id, prev_round, id, status, capacity, helped, official, rng, ans,
					      o->stats);
		else
			ret = fill_answers(db, g, id, capacity, rng, ans, official);
		if (ret == 0)
			ret = db_assessment_set_status(db, id, status);
		if (ret == 0)
			ret = db_scores_refresh(db, g, id);
		/* the plan turned into assistance actions; those delivered help the areas */
		memset(helped, 0, sizeof(helped));
		if (ret == 0 && strcmp(status, "draft") != 0 && strcmp(status, "returned") != 0)
			ret = demo_actions(db, g, id, ans, o->rounds[k], newest ? 0 : o->rounds[k + 1], o, rng, helped);
		if (ret == 0 && (strcmp(status, "submitted") == 0 || strcmp(status, "returned") == 0) &&
		    (team || next(rng) % 3 == 0))
			ret = demo_comments(db, g, id, status, ans, o->reviewer_id, official, rng, o->stats);
		if (ret == 0)
			(*created)++;
		for (int ai = 0; ai < GUIDE_N_AREAS; ai++)
			capacity[ai] = fmin(1, fmax(0, capacity[ai] + (uniform(rng) - 0.4) * 0.2 + (helped[ai] ? 0.25 : 0)));
		prev_id = id;
		prev_round = o->rounds[k];
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
		if (o->demo) {
			if (demo_country(db, g, iso3, o, &rng, &created) != 0)
				goto fail;
			continue;
		}
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
	"usage: somguide seed [--db PATH] [--root DIR] [--guide PATH] [--guides DIR] [--rounds Y1,Y2,...]\n"
	"                     [--seed N]\n"
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
	cfg.guides_dir = getenv("SOMGUIDE_GUIDES");
	cfg.root = getenv("SOMGUIDE_ROOT");
	struct seed_opts o = {.rounds = {2023, 2026}, .n_rounds = 2, .seed = 1};
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'},     {"guide", required_argument, NULL, 'g'},
		{"root", required_argument, NULL, 'r'},   {"rounds", required_argument, NULL, 'R'},
		{"seed", required_argument, NULL, 's'},   {"guides", required_argument, NULL, 'G'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': cfg.db_path = optarg; break;
		case 'g': cfg.guide_path = optarg; break;
		case 'G': cfg.guides_dir = optarg; break;
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
