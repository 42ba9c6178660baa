/* test_cli.c - the command line of CONTRACT.md, through the real binary: serve on
 * port 0 with its "listening on" line, a clean stop on SIGTERM and SIGINT, --help,
 * --version, errors as one line with a non-zero status, the environment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "testsrv.h"

static char dir[64];

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/somguide-cli-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Runs a shell command; returns its exit status and its output in out. */
static int sh(const char *cmd, char *out, size_t n)
{
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t got = fread(out, 1, n - 1, p);
	out[got] = '\0';
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

struct child {
	pid_t pid;
	FILE *out;
	int port;
};

/* Starts `somguide serve` with extra arguments and env; waits for its line. */
static void start(struct child *c, const char *env, const char *args)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	c->pid = fork();
	assert_true(c->pid >= 0);
	if (c->pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		char cmd[512];
		snprintf(cmd, sizeof(cmd), "%s exec %s serve --db %s/cli.db %s", env ? env : "", somguide_bin(), dir, args);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	c->out = fdopen(fds[0], "r");
	char line[256] = "";
	/* a first start may say other things (the bootstrap account) before it listens */
	do {
		assert_non_null(fgets(line, sizeof(line), c->out));
	} while (strncmp(line, "listening on ", 13) != 0);
	char host[64];
	if (sscanf(line, "listening on http://%63[^:]:%d", host, &c->port) != 2)
		fail_msg("unexpected first line: %s", line);
	assert_string_equal(host, "127.0.0.1");
	assert_true(c->port > 0);
}

static int stop(struct child *c, int sig)
{
	kill(c->pid, sig);
	int st;
	assert_int_equal(waitpid(c->pid, &st, 0), c->pid);
	fclose(c->out);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void test_serve_and_stop(void **state)
{
	static const int sigs[] = {SIGTERM, SIGINT};
	for (size_t i = 0; i < 2; i++) {
		struct child c;
		start(&c, NULL, "--port 0");
		char cmd[128], out[256];
		snprintf(cmd, sizeof(cmd), "curl -s http://127.0.0.1:%d/healthz", c.port);
		assert_int_equal(sh(cmd, out, sizeof(out)), 0);
		assert_string_equal(out, "{\"status\":\"ok\"}");
		assert_int_equal(stop(&c, sigs[i]), 0);
		/* the port is free again */
		assert_int_not_equal(sh(cmd, out, sizeof(out)), 0);
	}
}

static void test_environment_and_flags(void **state)
{
	/* SOMGUIDE_PORT gives the default; --port wins */
	struct child c;
	start(&c, "SOMGUIDE_PORT=1", "--port 0");
	assert_int_not_equal(c.port, 1);
	assert_int_equal(stop(&c, SIGTERM), 0);
	char out[1024], cmd[256];
	snprintf(cmd, sizeof(cmd), "SOMGUIDE_PORT=notaport %s serve --db %s/x.db 2>&1", somguide_bin(), dir);
	assert_int_not_equal(sh(cmd, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "SOMGUIDE_PORT"));
	assert_non_null(strchr(out, '\n'));
	assert_null(strchr(strchr(out, '\n') + 1, '\n')); /* one line */
}

static void test_secure_cookies(void **state)
{
	/* behind a TLS proxy: the cookies say Secure, the responses ask for HTTPS */
	struct child c;
	start(&c, NULL, "--port 0 --secure-cookies");
	char cmd[160], out[4096];
	snprintf(cmd, sizeof(cmd), "curl -s -i http://127.0.0.1:%d/login", c.port);
	assert_int_equal(sh(cmd, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "Strict-Transport-Security: max-age="));
	char *cookie = strstr(out, "Set-Cookie: ");
	assert_non_null(cookie);
	assert_non_null(strstr(cookie, "; Secure"));
	assert_int_equal(stop(&c, SIGTERM), 0);
	/* and not by default */
	start(&c, NULL, "--port 0");
	snprintf(cmd, sizeof(cmd), "curl -s -i http://127.0.0.1:%d/login", c.port);
	assert_int_equal(sh(cmd, out, sizeof(out)), 0);
	assert_null(strstr(out, "Strict-Transport-Security"));
	assert_null(strstr(out, "; Secure"));
	assert_int_equal(stop(&c, SIGTERM), 0);
}

static void test_help_version_errors(void **state)
{
	char out[4096], cmd[256];
	snprintf(cmd, sizeof(cmd), "%s --version", somguide_bin());
	assert_int_equal(sh(cmd, out, sizeof(out)), 0);
	assert_memory_equal(out, "somguide ", 9);
	snprintf(cmd, sizeof(cmd), "%s --help", somguide_bin());
	assert_int_equal(sh(cmd, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "check-guide"));
	snprintf(cmd, sizeof(cmd), "%s serve --help", somguide_bin());
	assert_int_equal(sh(cmd, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "--port"));
	static const char *const bad[] = {"frobnicate", "serve --port 70000", "serve --bogus", "serve --port",
					  "check-guide", "serve --bind not-an-address --port 0"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(cmd, sizeof(cmd), "%s %s --db %s/y.db 2>&1 >/dev/null", somguide_bin(), bad[i], dir);
		int st = sh(cmd, out, sizeof(out));
		if (st == 0)
			fail_msg("'%s' exited 0", bad[i]);
		if (!strstr(out, "somguide: ") || strchr(out, '\n') != out + strlen(out) - 1)
			fail_msg("'%s' did not print one error line: %s", bad[i], out);
	}
}

static void test_migrate_and_backup(void **state)
{
	char out[1024], cmd[512];
	snprintf(cmd, sizeof(cmd), "%s migrate --db %s/m.db", somguide_bin(), dir);
	assert_int_equal(sh(cmd, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "applied"));
	assert_int_equal(sh(cmd, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "0 migrations applied"));
	snprintf(cmd, sizeof(cmd), "%s backup %s/copy.db --db %s/m.db && sqlite3 %s/copy.db 'SELECT count(*) > 0 FROM schema_migrations'",
		 somguide_bin(), dir, dir, dir);
	assert_int_equal(sh(cmd, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "1\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_serve_and_stop),
		cmocka_unit_test(test_environment_and_flags),
		cmocka_unit_test(test_secure_cookies),
		cmocka_unit_test(test_help_version_errors),
		cmocka_unit_test(test_migrate_and_backup),
	};
	return cmocka_run_group_tests_name("cli", tests, setup, teardown);
}
