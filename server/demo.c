/* demo.c - `somguide demo`: the demo data set in a new database.
 *
 * Everything is generated (seed.c), nothing hand-written: every country of
 * schema/countries.json, two rounds (2023 and 2026 by default), the second
 * started from the first with its answers carried over, statuses across the
 * lifecycle, assistance actions, review comments. The accounts share one password,
 * generated (or given with --password) and printed once. The data is fictional:
 * it describes no real State. */
#include "demo.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "app.h"
#include "auth.h"
#include "db.h"
#include "db_users.h"
#include "log.h"
#include "seed.h"
#include "util.h"

static const char usage_demo[] =
	"usage: somguide demo [--db PATH] [--replace] [--root DIR] [--guide PATH] [--guides DIR] [--seed N]\n"
	"                     [--password PW]\n"
	"Writes the demo data set into a new database (default --db data/demo.db; the file\n"
	"must not exist, unless --replace and it holds an earlier demo data set, which is then\n"
	"deleted; any other database is never touched): generated, fictional assessments of\n"
	"every country for rounds 2023\n"
	"and 2026, the second started from the first (answers carried over, some still to\n"
	"confirm), statuses across the lifecycle, assistance actions and review comments,\n"
	"and accounts to explore it: admin, reviewer, and for two countries a focal point,\n"
	"an official and an observer. They share one password, printed once: generated,\n"
	"or --password PW (at least 12 characters).\n"
	"Then: somguide serve --db PATH (or make run DB=PATH).\n";

/* The demo's accounts: username, role, country, focal point, what they show. */
static const struct {
	const char *username, *role, *country;
	bool focal;
	const char *what;
} demo_users[] = {
	{"reviewer", "reviewer", NULL, false, "UNODC reviewer: the dashboard, every country, the actions"},
	{"focal.ken", "official", "KEN", true, "focal point of Kenya: round 2026 is a draft with answers to confirm"},
	{"official.ken", "official", "KEN", false, "official of Kenya"},
	{"observer.ken", "observer", "KEN", false, "observer of Kenya (reads only)"},
	{"focal.mex", "official", "MEX", true, "focal point of Mexico: round 2026 was returned with comments"},
	{"observer.mex", "observer", "MEX", false, "observer of Mexico (reads only)"},
};

/* Creates the accounts (and gives the administrator made at the first start the
 * demo password); fills the team and reviewer ids of o. 0 or -1. */
static int make_users(struct db *db, const char *hash, struct seed_opts *o, struct seed_team teams[2])
{
	if (db_begin(db) != 0)
		return -1;
	/* the mark that lets `somguide demo --replace` replace this database, and nothing else */
	if (db_exec(db, "INSERT INTO settings(key, value) VALUES ('demo', 'written by somguide demo')") != 0)
		goto fail;
	struct account admin;
	if (db_user_by_name(db, "admin", &admin, NULL, 0) != 1 || db_user_set_password(db, admin.id, hash, false) != 0)
		goto fail;
	for (size_t i = 0; i < ARRAY_SIZE(demo_users); i++) {
		long long id = db_user_create(db, demo_users[i].username, hash, demo_users[i].role, demo_users[i].country,
					      demo_users[i].focal, false);
		if (id <= 0)
			goto fail;
		json_t *j = json_pack("{s:s, s:s, s:s, s:b, s:s}", "username", demo_users[i].username, "role",
				      demo_users[i].role, "country", demo_users[i].country ? demo_users[i].country : "",
				      "focal_point", demo_users[i].focal, "via", "demo");
		char *js = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(j);
		int rc = db_audit_user(db, 0, "user_created", id, NULL, js);
		free(js);
		if (rc != 0)
			goto fail;
		if (strcmp(demo_users[i].role, "reviewer") == 0)
			o->reviewer_id = id;
		for (int t = 0; t < 2; t++)
			if (demo_users[i].focal && strcmp(demo_users[i].country, teams[t].country) == 0)
				teams[t].focal_id = id;
	}
	return db_commit(db);
fail:
	db_rollback(db);
	return log_error("the demo accounts could not be created");
}

/* Deletes path (and its -wal and -shm files) when it holds a demo data set.
 * Returns 0, or the exit status after one line on stderr. */
static int remove_demo(const char *path)
{
	sqlite3 *h = NULL;
	int is_demo = 0;
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(h, "SELECT 1 FROM settings WHERE key = 'demo'", -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			is_demo = 1;
		sqlite3_finalize(st);
	}
	sqlite3_close(h);
	if (!is_demo)
		return log_error("%s is not a demo database: it is left alone (give another --db)", path), 2;
	static const char *const suffixes[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < ARRAY_SIZE(suffixes); i++) {
		char p[4096];
		snprintf(p, sizeof(p), "%s%s", path, suffixes[i]);
		if (unlink(p) != 0 && i == 0)
			return log_error("cannot remove %s", path), 1;
	}
	return 0;
}

static long long count(struct db *db, const char *sql)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	long long n = st && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	if (st)
		sqlite3_reset(st);
	return n;
}

int demo_main(int argc, char **argv)
{
	struct app_config cfg = {.port = 0};
	cfg.db_path = getenv("SOMGUIDE_DB");
	cfg.guide_path = getenv("SOMGUIDE_GUIDE");
	cfg.guides_dir = getenv("SOMGUIDE_GUIDES");
	cfg.root = getenv("SOMGUIDE_ROOT");
	const char *password = NULL;
	unsigned long long seed = 1;
	bool db_given = false, replace = false;
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'},   {"guide", required_argument, NULL, 'g'},
		{"root", required_argument, NULL, 'r'}, {"seed", required_argument, NULL, 's'},
		{"password", required_argument, NULL, 'p'}, {"replace", no_argument, NULL, 'x'},
		{"guides", required_argument, NULL, 'G'}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': cfg.db_path = optarg; db_given = true; break;
		case 'g': cfg.guide_path = optarg; break;
		case 'G': cfg.guides_dir = optarg; break;
		case 'r': cfg.root = optarg; break;
		case 'p': password = optarg; break;
		case 'x': replace = true; break;
		case 's': {
			char *end;
			seed = strtoull(optarg, &end, 10);
			if (*end || end == optarg)
				return log_error("--seed \"%s\" is not a number", optarg), 2;
			break;
		}
		case 'h': fputs(usage_demo, stdout); return 0;
		case ':': return log_error("option %s needs a value (see --help)", argv[optind - 1]), 2;
		default: return log_error("unknown option %s (see --help)", argv[optind - 1]), 2;
		}
	}
	if (optind < argc)
		return log_error("unexpected argument \"%s\" (see --help)", argv[optind]), 2;
	if (!db_given)
		cfg.db_path = "data/demo.db"; /* never the working database by default */
	if (access(cfg.db_path, F_OK) == 0) {
		if (!replace)
			return log_error("%s exists: the demo writes a new database (give another --db, or --replace "
					 "to replace an earlier demo)", cfg.db_path), 2;
		int st = remove_demo(cfg.db_path);
		if (st)
			return st;
	}
	char generated[AUTH_ONETIME_MAX];
	if (sodium_init() < 0)
		return log_error("libsodium cannot start"), 1;
	if (!password) {
		auth_onetime_password(generated);
		password = generated;
	}
	const char *problem = auth_password_problem(password, "reviewer");
	if (problem)
		return log_error("--password: %s", problem), 2;

	static struct app app;
	if (app_init(&app, &cfg) != 0) {
		app_stop(&app);
		return 1;
	}
	int ret = 1;
	struct db *db = db_open(app.db_path);
	char hash[AUTH_HASH_MAX];
	struct seed_team teams[2] = {{"KEN", 0, "draft"}, {"MEX", 0, "returned"}};
	struct seed_stats stats = {0};
	struct seed_opts o = {.rounds = {2023, 2026}, .n_rounds = 2, .seed = seed, .demo = true, .teams = teams,
			      .n_teams = 2, .stats = &stats};
	if (!db || auth_password_hash(password, false, hash) != 0 || make_users(db, hash, &o, teams) != 0)
		goto out;
	long long n = seed_generate(db, app.guide, app.countries, &o);
	if (n < 0)
		goto out;
	printf("%s: the demo data set, generated and fictional (the figures describe no real State)\n"
	       "  %lld assessments of %lld countries, rounds 2023 and 2026: %lld draft, %lld submitted, %lld returned, "
	       "%lld validated\n"
	       "  %lld assistance actions (%lld delivered), %lld review comments and replies\n"
	       "  %lld answers of round 2026 carried over from 2023 unchanged, %lld of them not yet confirmed\n",
	       app.db_path, n, count(db, "SELECT count(DISTINCT country) FROM assessments"),
	       count(db, "SELECT count(*) FROM assessments WHERE status = 'draft'"),
	       count(db, "SELECT count(*) FROM assessments WHERE status = 'submitted'"),
	       count(db, "SELECT count(*) FROM assessments WHERE status = 'returned'"),
	       count(db, "SELECT count(*) FROM assessments WHERE status = 'validated'"), stats.actions, stats.delivered,
	       stats.comments, stats.carried, stats.unconfirmed);
	printf("accounts (one password for all, shown only now: %s)\n", password);
	printf("  %-14s administrator: accounts, and everything a reviewer does\n", "admin");
	for (size_t i = 0; i < ARRAY_SIZE(demo_users); i++)
		printf("  %-14s %s\n", demo_users[i].username, demo_users[i].what);
	printf("start the server on it: somguide serve --db %s\n", app.db_path);
	ret = 0;
out:
	if (ret)
		log_error("the demo data set could not be written to %s", app.db_path);
	sodium_memzero(generated, sizeof(generated));
	db_close(db);
	app_stop(&app);
	return ret;
}
