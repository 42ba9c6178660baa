/* main.c - the command line: flags and environment, subcommands, signals. */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app.h"
#include "cli_user.h"
#include "db.h"
#include "demo.h"
#include "guide.h"
#include "log.h"
#include "seed.h"
#include "util.h"

#ifndef SOMGUIDE_VERSION
#define SOMGUIDE_VERSION "0.1.0"
#endif

static const char usage[] =
	"usage: somguide COMMAND [OPTIONS]\n"
	"\n"
	"commands:\n"
	"  serve        run the web server\n"
	"  migrate      create or upgrade the database\n"
	"  check-guide  validate a guide file and print every problem\n"
	"  backup       write a consistent online copy of the database\n"
	"  seed         fill a database with generated, fictional assessments\n"
	"  demo         write the demo data set (fictional) with its accounts into a new database\n"
	"  user add     create an account (the password is read from standard input)\n"
	"\n"
	"  somguide COMMAND --help   options of a command\n"
	"  somguide --version        the version\n";

static const char usage_serve[] =
	"usage: somguide serve [--bind ADDR] [--port N] [--db PATH] [--guide PATH]\n"
	"                      [--guides DIR] [--root DIR] [--threads N] [--secure-cookies]\n"
	"\n"
	"  --bind ADDR    address to listen on (SOMGUIDE_BIND; default 127.0.0.1)\n"
	"  --port N       port; 0 takes a free one (SOMGUIDE_PORT; default 8080)\n"
	"  --db PATH      SQLite database, created and migrated if needed\n"
	"                 (SOMGUIDE_DB; default data/somguide.db)\n"
	"  --guide PATH   the current guide: new assessments start on it\n"
	"                 (SOMGUIDE_GUIDE; default ROOT/schema/guide.json)\n"
	"  --guides DIR   earlier versions of the guide (every *.json), which assessments\n"
	"                 started on them keep (SOMGUIDE_GUIDES; default ROOT/schema/guides)\n"
	"  --root DIR     folder with templates/, static/ and schema/ (SOMGUIDE_ROOT; default .)\n"
	"  --threads N    worker threads (default: the number of cores)\n"
	"  --secure-cookies  the site is served over HTTPS (by a proxy in front):\n"
	"                 cookies are marked Secure, responses send Strict-Transport-Security\n"
	"                 (SOMGUIDE_SECURE_COOKIES=1)\n"
	"\n"
	"Prints \"listening on http://ADDR:PORT\" once it accepts connections.\n"
	"SIGTERM or SIGINT stop it cleanly.\n";

static const char usage_migrate[] =
	"usage: somguide migrate [--db PATH] [--root DIR]\n"
	"Applies the migrations of ROOT/schema/migrations that the database lacks.\n";

static const char usage_check[] =
	"usage: somguide check-guide PATH\n"
	"Validates a guide file; prints every problem with its JSON path; exits 1 if any.\n";

static const char usage_backup[] =
	"usage: somguide backup DEST [--db PATH]\n"
	"Writes a consistent copy of the live database to DEST.\n";

struct opts {
	struct app_config cfg;
	const char *arg; /* positional argument */
};

static int parse_port(const char *s, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < 0 || v > 65535)
		return -1;
	*out = (int)v;
	return 0;
}

/* Parses the options common to the subcommands; environment first, flags win.
 * Returns 0, 1 when --help was printed, or -1 after one line on stderr. */
static int parse_opts(int argc, char **argv, const char *help, struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->cfg.port = 8080;
	o->cfg.db_path = getenv("SOMGUIDE_DB");
	o->cfg.bind = getenv("SOMGUIDE_BIND");
	o->cfg.guide_path = getenv("SOMGUIDE_GUIDE");
	o->cfg.guides_dir = getenv("SOMGUIDE_GUIDES");
	o->cfg.root = getenv("SOMGUIDE_ROOT");
	const char *env_secure = getenv("SOMGUIDE_SECURE_COOKIES");
	o->cfg.secure_cookies = env_secure && strcmp(env_secure, "1") == 0;
	const char *env_port = getenv("SOMGUIDE_PORT");
	if (env_port && *env_port && parse_port(env_port, &o->cfg.port) != 0)
		return log_error("SOMGUIDE_PORT=\"%s\" is not a port number", env_port);

	static const struct option longopts[] = {
		{"bind", required_argument, NULL, 'b'}, {"port", required_argument, NULL, 'p'},
		{"db", required_argument, NULL, 'd'},   {"guide", required_argument, NULL, 'g'},
		{"root", required_argument, NULL, 'r'}, {"threads", required_argument, NULL, 't'},
		{"guides", required_argument, NULL, 'G'}, {"help", no_argument, NULL, 'h'},
		{"secure-cookies", no_argument, NULL, 'S'},
		{NULL, 0, NULL, 0},
	};
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'b': o->cfg.bind = optarg; break;
		case 'p':
			if (parse_port(optarg, &o->cfg.port) != 0)
				return log_error("--port \"%s\" is not a port number (0-65535)", optarg);
			break;
		case 'd': o->cfg.db_path = optarg; break;
		case 'g': o->cfg.guide_path = optarg; break;
		case 'G': o->cfg.guides_dir = optarg; break;
		case 'S': o->cfg.secure_cookies = true; break;
		case 'r': o->cfg.root = optarg; break;
		case 't': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 256)
				return log_error("--threads \"%s\" must be a number from 1 to 256", optarg);
			o->cfg.threads = (unsigned)n;
			break;
		}
		case 'h': fputs(help, stdout); return 1;
		case ':': return log_error("option %s needs a value (see --help)", argv[optind - 1]);
		default: return log_error("unknown option %s (see --help)", argv[optind - 1]);
		}
	}
	if (optind < argc)
		o->arg = argv[optind++];
	if (optind < argc)
		return log_error("unexpected argument \"%s\" (see --help)", argv[optind]);
	return 0;
}

static int cmd_serve(int argc, char **argv)
{
	struct opts o;
	int rc = parse_opts(argc, argv, usage_serve, &o);
	if (rc)
		return rc > 0 ? 0 : 2;
	if (o.arg)
		return log_error("serve takes no argument \"%s\" (see --help)", o.arg), 2;

	/* the worker threads inherit this mask; only this thread takes the signals */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	static struct app app;
	if (app_start(&app, &o.cfg) != 0)
		return 1;
	const char *host = app.cfg.bind;
	bool v6 = strchr(host, ':') != NULL;
	printf("listening on http://%s%s%s:%u\n", v6 ? "[" : "", host, v6 ? "]" : "", app.port);
	if (app.bootstrap_password[0]) {
		/* the only time this password is shown; it must be changed at first sign-in */
		printf("created administrator 'admin' with one-time password: %s\n", app.bootstrap_password);
		sodium_memzero(app.bootstrap_password, sizeof(app.bootstrap_password));
	}
	fflush(stdout);
	int sig = 0;
	sigwait(&set, &sig);
	log_info("stopping (%s)", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	app_stop(&app);
	return 0;
}

static int cmd_migrate(int argc, char **argv)
{
	struct opts o;
	int rc = parse_opts(argc, argv, usage_migrate, &o);
	if (rc)
		return rc > 0 ? 0 : 2;
	const char *path = o.cfg.db_path ? o.cfg.db_path : "data/somguide.db";
	struct db *db = db_open(path);
	if (!db)
		return 1;
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/schema/migrations", o.cfg.root ? o.cfg.root : ".");
	int n = db_migrate(db, dir);
	db_close(db);
	if (n < 0)
		return 1;
	printf("%s: %d migration%s applied\n", path, n, n == 1 ? "" : "s");
	return 0;
}

static int cmd_check_guide(int argc, char **argv)
{
	struct opts o;
	int rc = parse_opts(argc, argv, usage_check, &o);
	if (rc)
		return rc > 0 ? 0 : 2;
	if (!o.arg)
		return log_error("check-guide needs the path of a guide file (see --help)"), 2;
	util_init_jansson();
	struct guide_problems problems = {0};
	struct guide *g = guide_load_file(o.arg, &problems);
	if (!g) {
		for (size_t i = 0; i < problems.n; i++)
			printf("%s: %s: %s\n", o.arg, problems.items[i].path, problems.items[i].message);
		if (!problems.n)
			printf("%s: cannot be loaded\n", o.arg);
		fprintf(stderr, "somguide: %s: %zu problem%s\n", o.arg, problems.n ? problems.n : 1,
			problems.n == 1 ? "" : "s");
		guide_problems_free(&problems);
		return 1;
	}
	size_t scored = 0;
	for (size_t i = 0; i < g->n_questions; i++)
		scored += g->questions[i].scored;
	printf("%s: guide %s is valid: %d areas, %zu questions (%zu scored), %zu recommendations\n", o.arg,
	       g->version, GUIDE_N_AREAS, g->n_questions, scored, g->n_recs);
	guide_free(g);
	return 0;
}

static int cmd_backup(int argc, char **argv)
{
	struct opts o;
	int rc = parse_opts(argc, argv, usage_backup, &o);
	if (rc)
		return rc > 0 ? 0 : 2;
	if (!o.arg)
		return log_error("backup needs a destination path (see --help)"), 2;
	const char *path = o.cfg.db_path ? o.cfg.db_path : "data/somguide.db";
	struct db *db = db_open(path);
	if (!db)
		return 1;
	rc = db_backup(db, o.arg);
	db_close(db);
	if (rc)
		return 1;
	printf("%s: copied to %s\n", path, o.arg);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{"serve", cmd_serve},
		{"migrate", cmd_migrate},
		{"check-guide", cmd_check_guide},
		{"backup", cmd_backup},
		{"seed", seed_main},
		{"demo", demo_main},
		{"user", cli_user_main},
	};
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("somguide %s\n", SOMGUIDE_VERSION);
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	log_error("unknown command \"%s\" (see somguide --help)", argv[1]);
	return 2;
}
