/* test_guide_archive.c - the archived versions of the guide (schema/guides/), which
 * assessments started on them keep:
 *
 * - every file of the repository's schema/guides/ passes the loader (check-guide),
 *   is named guide-VERSION.json after its version, has a version of its own, and the
 *   folder loads beside schema/guide.json as the server loads it at start;
 * - the rules of the archive loader (app_guides_load_dir) on made-up folders: only
 *   *.json files, a copy of the current guide ignored, a file with the current
 *   version but other content refused, two files of one version refused, a broken
 *   file refused, a missing folder;
 * - app_guide and app_guide_or_current.
 *
 * Run from the repository root. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "app.h"
#include "guide.h"
#include "log.h"
#include "util.h"

#define ARCHIVE "schema/guides"
#define FIXTURE "tests/fixtures/guide-small.json"

/* ---- the repository's archive ----------------------------------------------- */

static int json_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return d->d_name[0] != '.' && n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

/* Each file passes the loader, with every problem printed as check-guide prints
 * it; two files of one version are caught by the next test. */
static void test_repository_archive_files(void **state)
{
	struct guide_problems pr = {0};
	struct guide *current = guide_load_file("schema/guide.json", &pr);
	guide_problems_free(&pr);
	assert_non_null(current);
	struct dirent **names = NULL;
	int n = scandir(ARCHIVE, &names, json_name, alphasort);
	assert_true(n >= 0); /* the folder is in the repository (README.md) */
	int bad = 0;
	for (int i = 0; i < n; i++) {
		char path[512], expect[128];
		snprintf(path, sizeof(path), "%s/%s", ARCHIVE, names[i]->d_name);
		struct guide_problems p = {0};
		struct guide *g = guide_load_file(path, &p);
		for (size_t k = 0; k < p.n; k++)
			fprintf(stderr, "%s: %s: %s\n", path, p.items[k].path, p.items[k].message);
		guide_problems_free(&p);
		if (!g) {
			bad++;
			continue;
		}
		snprintf(expect, sizeof(expect), "guide-%s.json", g->version);
		if (strcmp(expect, names[i]->d_name) != 0) {
			fprintf(stderr, "%s holds version %s: name it %s\n", path, g->version, expect);
			bad++;
		}
		if (strcmp(g->version, current->version) == 0) {
			fprintf(stderr, "%s has the version of schema/guide.json (%s): archive only earlier versions\n",
				path, g->version);
			bad++;
		}
		guide_free(g);
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	guide_free(current);
	assert_int_equal(bad, 0);
}

/* The folder loads beside the current guide as `somguide serve` loads it. */
static void test_repository_archive_loads(void **state)
{
	struct app_guide *guides = calloc(1, sizeof(*guides));
	size_t n = 1;
	assert_int_equal(app_guide_load("schema/guide.json", &guides[0]), 0);
	assert_int_equal(app_guides_load_dir(ARCHIVE, false, &guides, &n), 0);
	for (size_t i = 0; i < n; i++) {
		assert_non_null(guides[i].api);
		assert_non_null(guides[i].guidance_html);
		assert_int_equal(strlen(guides[i].hash), 32);
	}
	app_guides_free(guides, n);
}

/* ---- the loader's rules on made-up folders ----------------------------------- */

static char tmp[64];

static int setup(void **state)
{
	snprintf(tmp, sizeof(tmp), "/tmp/somguide-archive-XXXXXX");
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

/* A fresh subfolder of tmp for one test: its path in out. */
static void folder(const char *name, char out[256])
{
	snprintf(out, 256, "%s/%s", tmp, name);
	assert_int_equal(mkdir(out, 0700), 0);
}

/* The fixture guide with version v (NULL: unchanged) and, when edit, one option's
 * score changed, written to dir/name (indented: other bytes, the same JSON). */
static void write_guide(const char *dir, const char *name, const char *v, bool edit)
{
	json_t *g = json_load_file(FIXTURE, 0, NULL);
	assert_non_null(g);
	if (v) {
		json_object_set_new(g, "version", json_string(v));
		json_array_append_new(json_object_get(g, "changelog"),
				      json_pack("{s:s, s:s, s:{s:s}}", "version", v, "date", "2026-06-30", "changes", "en",
						"Test version."));
	}
	if (edit) {
		json_t *q = json_array_get(json_object_get(json_array_get(json_object_get(g, "areas"), 4), "questions"), 0);
		json_object_set_new(json_array_get(json_object_get(q, "options"), 1), "score", json_real(0.25));
	}
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(json_dump_file(g, path, JSON_INDENT(2)), 0);
	json_decref(g);
}

static void write_text(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Loads the fixture as the current guide, then dir: the status, *n guides. */
static int load(const char *dir, bool missing_ok, struct app_guide **guides, size_t *n)
{
	*guides = calloc(1, sizeof(**guides));
	*n = 1;
	assert_int_equal(app_guide_load(FIXTURE, &(*guides)[0]), 0);
	return app_guides_load_dir(dir, missing_ok, guides, n);
}

static void test_loads_json_files_in_name_order(void **state)
{
	char dir[256];
	folder("order", dir);
	write_guide(dir, "guide-0.0.9.json", "0.0.9", false);
	write_guide(dir, "guide-0.0.2.json", "0.0.2", true);
	write_text(dir, "README.md", "not a guide");
	write_text(dir, ".guide-0.0.1.json", "{ hidden and broken");
	char sub[300];
	snprintf(sub, sizeof(sub), "%s/old.json", dir);
	assert_int_equal(mkdir(sub, 0700), 0); /* a folder, not a file: skipped */
	struct app_guide *g;
	size_t n;
	assert_int_equal(load(dir, false, &g, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(g[0].guide->version, "0.1.0");
	assert_string_equal(g[1].guide->version, "0.0.2");
	assert_string_equal(g[2].guide->version, "0.0.9");
	/* what the server serves and scores with, per version */
	assert_non_null(strstr(g[1].api, "\"version\":\"0.0.2\""));
	assert_string_not_equal(g[1].hash, g[2].hash);
	assert_non_null(json_object_get(g[1].guidance_html, "cj.training"));
	assert_non_null(strstr(g[1].path, "/guide-0.0.2.json"));

	struct app app = {.guide = g[0].guide, .guides = g, .n_guides = n};
	assert_ptr_equal(app_guide(&app, "0.0.9"), g[2].guide);
	assert_ptr_equal(app_guide(&app, "0.1.0"), g[0].guide);
	assert_null(app_guide(&app, "0.0.1"));
	assert_null(app_guide(&app, NULL));
	/* an unknown version falls back to the current guide (and logs one line) */
	assert_ptr_equal(app_guide_or_current(&app, "0.0.1", 7), g[0].guide);
	assert_ptr_equal(app_guide_or_current(&app, "0.0.2", 7), g[1].guide);
	assert_ptr_equal(app_guide_entry(&app, g[2].guide), &g[2]);
	assert_non_null(app_guidance_html(&app, g[1].guide, "cj.training"));
	assert_null(app_guidance_html(&app, g[1].guide, "no.such"));
	app_guides_free(g, n);
}

static void test_copy_of_current_ignored(void **state)
{
	char dir[256];
	folder("copy", dir);
	write_guide(dir, "guide-0.1.0.json", NULL, false); /* same JSON, other layout */
	write_guide(dir, "guide-0.0.9.json", "0.0.9", false);
	struct app_guide *g;
	size_t n;
	assert_int_equal(load(dir, false, &g, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(g[1].guide->version, "0.0.9");
	app_guides_free(g, n);
}

static void test_current_version_other_content_refused(void **state)
{
	char dir[256];
	folder("same-version", dir);
	write_guide(dir, "guide-0.1.0.json", NULL, true);
	struct app_guide *g;
	size_t n;
	assert_int_equal(load(dir, false, &g, &n), -1);
	assert_int_equal(n, 1);
	app_guides_free(g, n);
}

static void test_duplicate_version_refused(void **state)
{
	char dir[256];
	folder("dup", dir);
	write_guide(dir, "a.json", "0.0.9", false);
	write_guide(dir, "b.json", "0.0.9", true);
	struct app_guide *g;
	size_t n;
	assert_int_equal(load(dir, false, &g, &n), -1);
	app_guides_free(g, n);
}

static void test_broken_file_refused(void **state)
{
	char dir[256];
	folder("broken", dir);
	write_guide(dir, "guide-0.0.8.json", "0.0.8", false);
	write_text(dir, "guide-0.0.9.json", "{\"version\": \"0.0.9\"}");
	struct app_guide *g;
	size_t n;
	assert_int_equal(load(dir, false, &g, &n), -1);
	/* the good file is still loaded (every problem of every file is reported) */
	assert_int_equal(n, 2);
	app_guides_free(g, n);
}

static void test_missing_folder(void **state)
{
	char dir[300];
	snprintf(dir, sizeof(dir), "%s/nowhere", tmp);
	struct app_guide *g;
	size_t n;
	assert_int_equal(load(dir, true, &g, &n), 0); /* the default folder may be absent */
	assert_int_equal(n, 1);
	app_guides_free(g, n);
	assert_int_equal(load(dir, false, &g, &n), -1); /* a folder named by --guides must exist */
	app_guides_free(g, n);
}

int main(void)
{
	log_set_level(getenv("TEST_VERBOSE") ? LOG_DEBUG : LOG_QUIET);
	util_init_jansson();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repository_archive_files),
		cmocka_unit_test(test_repository_archive_loads),
		cmocka_unit_test(test_loads_json_files_in_name_order),
		cmocka_unit_test(test_copy_of_current_ignored),
		cmocka_unit_test(test_current_version_other_content_refused),
		cmocka_unit_test(test_duplicate_version_refused),
		cmocka_unit_test(test_broken_file_refused),
		cmocka_unit_test(test_missing_folder),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
