/* cli_user.c - `somguide user add`: creates an account from the command line,
 * the password read from standard input (one line), so that it never appears in
 * the process list or the shell history. */
#include "cli_user.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "app.h"
#include "auth.h"
#include "db.h"
#include "db_users.h"
#include "log.h"
#include "util.h"

static const char usage_user[] =
	"usage: somguide user add --username NAME --role admin|reviewer|official|observer\n"
	"                         [--country ISO3] [--focal-point] [--db PATH] [--root DIR]\n"
	"\n"
	"Creates an account; reads its password (at least 12 characters) from standard\n"
	"input, one line.\n"
	"\n"
	"  --username NAME  2 to 63 letters, digits and . _ - @\n"
	"  --role ROLE      admin, reviewer, official or observer\n"
	"  --country ISO3   the country of an official or observer (ISO 3166 alpha-3)\n"
	"  --focal-point    the official is the focal point of the country (submits)\n"
	"  --db PATH        SQLite database, created and migrated if needed\n"
	"                   (SOMGUIDE_DB; default data/somguide.db)\n"
	"  --root DIR       folder with schema/ (SOMGUIDE_ROOT; default .)\n";

/* Reads one line from stdin into buf (without the line end); echo is off when
 * stdin is a terminal. 0, or -1 when there is no line or it is too long. */
static int read_password(char *buf, size_t n)
{
	bool tty = isatty(STDIN_FILENO);
	struct termios old, quiet;
	if (tty) {
		fputs("password: ", stderr);
		fflush(stderr);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char *got = fgets(buf, (int)n, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (!got)
		return -1;
	size_t len = strlen(buf);
	if (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	else if (len == n - 1 && !feof(stdin))
		return -1; /* longer than the buffer */
	if (len && buf[len - 1] == '\r')
		buf[--len] = '\0';
	return 0;
}

static int user_add(int argc, char **argv)
{
	const char *username = NULL, *role = NULL, *country_arg = NULL;
	const char *db_path = getenv("SOMGUIDE_DB"), *root = getenv("SOMGUIDE_ROOT");
	bool focal = false;
	static const struct option longopts[] = {
		{"username", required_argument, NULL, 'u'}, {"role", required_argument, NULL, 'r'},
		{"country", required_argument, NULL, 'c'},  {"focal-point", no_argument, NULL, 'f'},
		{"db", required_argument, NULL, 'd'},       {"root", required_argument, NULL, 'R'},
		{"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
	};
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'u': username = optarg; break;
		case 'r': role = optarg; break;
		case 'c': country_arg = optarg; break;
		case 'f': focal = true; break;
		case 'd': db_path = optarg; break;
		case 'R': root = optarg; break;
		case 'h': fputs(usage_user, stdout); return 0;
		case ':': return log_error("option %s needs a value (see --help)", argv[optind - 1]), 2;
		default: return log_error("unknown option %s (see --help)", argv[optind - 1]), 2;
		}
	}
	if (optind < argc)
		return log_error("unexpected argument \"%s\" (see --help)", argv[optind]), 2;
	if (!username || !role)
		return log_error("user add needs --username and --role (see --help)"), 2;
	if (!db_path || !*db_path)
		db_path = "data/somguide.db";
	if (!root || !*root)
		root = ".";
	char country[4] = "";
	if (country_arg && *country_arg) {
		if (strlen(country_arg) != 3)
			return log_error("--country \"%s\" is not an ISO 3166 alpha-3 code", country_arg), 2;
		for (int i = 0; i < 3; i++)
			country[i] = (char)(country_arg[i] >= 'a' && country_arg[i] <= 'z' ? country_arg[i] - 32
											   : country_arg[i]);
	}

	util_init_jansson();
	if (sodium_init() < 0)
		return log_error("libsodium cannot start"), 1;
	json_t *countries = NULL, *by_iso3 = NULL;
	int ret = 2;
	if (app_countries_load(root, &countries, &by_iso3) != 0) {
		ret = 1;
		goto out_json;
	}
	const char *problem = auth_account_problem(by_iso3, username, role, country, focal);
	if (problem) {
		log_error("%s", problem);
		goto out_json;
	}

	char password[AUTH_PASSWORD_MAX + 2];
	if (read_password(password, sizeof(password)) != 0) {
		log_error("give the password on standard input, one line of at most %d bytes", AUTH_PASSWORD_MAX);
		goto out_json;
	}
	problem = auth_password_problem(password, username);
	if (problem) {
		log_error("%s", problem);
		goto out_pw;
	}
	ret = 1;
	char hash[AUTH_HASH_MAX];
	if (auth_password_hash(password, false, hash) != 0)
		goto out_pw;
	struct db *db = db_open(db_path);
	if (!db)
		goto out_pw;
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/schema/migrations", root);
	if (db_migrate(db, dir) < 0 || db_begin(db) != 0)
		goto out_db;
	long long id = db_user_create(db, username, hash, role, country, focal, false);
	if (id == 0) {
		log_error("there is already an account named \"%s\"", username);
		db_rollback(db);
		goto out_db;
	}
	json_t *j = json_pack("{s:s, s:s, s:s, s:b, s:s}", "username", username, "role", role, "country", country,
			      "focal_point", focal, "via", "command line");
	char *js = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	int rc = id < 0 ? -1 : db_audit_user(db, 0, "user_created", id, NULL, js);
	free(js);
	if (rc != 0 || db_commit(db) != 0) {
		db_rollback(db);
		log_error("the account could not be created");
		goto out_db;
	}
	printf("created %s '%s'%s%s%s%s\n", role, username, *country ? " (" : "", country,
	       focal ? ", focal point" : "", *country ? ")" : "");
	ret = 0;
out_db:
	db_close(db);
out_pw:
	sodium_memzero(password, sizeof(password));
out_json:
	json_decref(countries);
	json_decref(by_iso3);
	return ret;
}

int cli_user_main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_user, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "add") == 0)
		return user_add(argc - 1, argv + 1);
	log_error("unknown user command \"%s\" (see somguide user --help)", argv[1]);
	return 2;
}
