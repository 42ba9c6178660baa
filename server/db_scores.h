/* db_scores.h - the materialized scores and plans (schema/migrations/003_scores.sql).
 *
 * The figures are computed by score.c and plan.c; this file only keeps them, so
 * that the dashboard reads a few thousand rows instead of recomputing every
 * assessment from its answers. Whatever changes an assessment's answers calls
 * db_scores_refresh in the same transaction. */
#ifndef SOMGUIDE_DB_SCORES_H
#define SOMGUIDE_DB_SCORES_H

#include <stdbool.h>
#include <stddef.h>

#include "guide.h"
#include "score.h"

struct db;

/* Recomputes the scores and plan of one assessment from its stored answers (with
 * guide g) and rewrites its rows. Run it inside the transaction that changed the
 * answers. 0 or -1 (logged). */
int db_scores_refresh(struct db *db, const struct guide *g, long long assessment_id);

/* A guide that scores assessments, with a hash of its content. */
struct scores_guide {
	const struct guide *guide;
	const char *hash;
};

/* At start: makes every assessment's stored figures those of the guide of its
 * version (assessments.guide_version). guides[0..n) are the loaded guides,
 * guides[0] the current one, which also scores the assessments whose version
 * none of them has (one warning per such version). Refreshes the assessments
 * without stored figures, and every assessment of a version whose guide (by its
 * hash) differs from the one recorded with the figures - a guide file changed,
 * or an archived version came back - or when the stored figures have an older
 * layout. Records the hash per version (settings 'scores_guides'). One
 * transaction. Returns how many were refreshed, or -1 (logged). */
int db_scores_reconcile(struct db *db, const struct scores_guide *guides, size_t n);

/* The stored figures of one assessment, as the dashboard and the round-to-round
 * comparison read them. Areas are indexed like g->areas. */
struct stored_area {
	bool defined;
	int need;
	enum level level;
	size_t n_critical_gaps;
};

struct stored_scores {
	long long assessment_id;
	char country[4];
	int round;
	char status[16];
	bool need_defined;
	int need;
	double coverage;
	struct stored_area areas[GUIDE_N_AREAS];
};

/* 1 and fills *out when the assessment has stored figures, 0 when not, -1 on error. */
int db_scores_get(struct db *db, const struct guide *g, long long assessment_id, struct stored_scores *out);

/* The id of the country's assessment with the greatest round before `round`; 0 when
 * there is none, -1 on error. *prev_round receives its round. */
long long db_scores_previous(struct db *db, const char *country, int round, int *prev_round);

/* What the dashboard shows. */
enum dash_round { DASH_ROUND_LATEST = 0, DASH_ROUND_ALL = -1 };

struct dash_filter {
	const char *countries_json; /* JSON array of ISO3 codes to keep; NULL: every country */
	const char *status;         /* NULL: any */
	int round;                  /* a year, DASH_ROUND_LATEST (each country's latest) or DASH_ROUND_ALL */
};

struct dash_rec {
	char rec_id[72];
	int n_assessments;          /* assessments whose plan holds it */
	int n_triggers;             /* triggering questions over those assessments */
};

struct dash {
	struct stored_scores *rows; /* in assessment id order (owned) */
	size_t n_rows;
	struct dash_rec *recs;      /* most often triggered first (owned) */
	size_t n_recs;
	int status_counts[4];       /* draft, submitted, returned, validated; the filter without status */
	int *rounds;                /* every round in the database, newest first (owned) */
	size_t n_rounds;
};

/* The statuses in the order of dash.status_counts. */
extern const char *const db_statuses[4];

/* Reads the dashboard for filter f, with at most max_recs recommendations. 0 or -1.
 * Release with db_dash_release. */
int db_dash_read(struct db *db, const struct guide *g, const struct dash_filter *f, size_t max_recs,
		 struct dash *out);
void db_dash_release(struct dash *d);

#endif
