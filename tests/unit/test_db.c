/* test_db.c - the SQLite store on a real temporary file: migrations, the statement
 * cache, assessments, answers with their audit records, transactions, backup. */
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

#include "db.h"
#include "db_assessments.h"
#include "log.h"
#include "util.h"

static char dir[64];
static char path[128];
static struct db *db;

static int setup(void **state)
{
	util_init_jansson();
	log_set_level(LOG_QUIET);
	snprintf(dir, sizeof(dir), "/tmp/somguide-db-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	db = db_open(path);
	return db && db_migrate(db, "schema/migrations") > 0 ? 0 : -1;
}

static int teardown(void **state)
{
	db_close(db);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static long long count(const char *sql)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void test_pragmas_and_migrations(void **state)
{
	assert_int_equal(count("SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"), 1);
	assert_int_equal(count("SELECT foreign_keys FROM pragma_foreign_keys"), 1);
	assert_int_equal(count("SELECT synchronous FROM pragma_synchronous"), 2); /* FULL */
	long long applied = count("SELECT count(*) FROM schema_migrations");
	assert_true(applied >= 1);
	/* a second run applies nothing */
	assert_int_equal(db_migrate(db, "schema/migrations"), 0);
	assert_int_equal(count("SELECT count(*) FROM schema_migrations"), applied);
}

static void test_bad_migration_rolls_back(void **state)
{
	char mdir[128], f[192];
	snprintf(mdir, sizeof(mdir), "%s/migr", dir);
	assert_int_equal(mkdir(mdir, 0700), 0);
	snprintf(f, sizeof(f), "%s/900_half.sql", mdir);
	FILE *fp = fopen(f, "w");
	fputs("CREATE TABLE half_done(x); INSERT INTO nowhere VALUES (1);", fp);
	fclose(fp);
	assert_int_equal(db_migrate(db, mdir), -1);
	/* nothing of it stayed: the table does not exist, the version is not recorded */
	assert_int_equal(count("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'"), 0);
	assert_int_equal(count("SELECT count(*) FROM schema_migrations WHERE version = 900"), 0);
	assert_false(db_in_tx(db));
	/* a badly named file is refused */
	unlink(f);
	snprintf(f, sizeof(f), "%s/first.sql", mdir);
	fp = fopen(f, "w");
	fputs("SELECT 1;", fp);
	fclose(fp);
	assert_int_equal(db_migrate(db, mdir), -1);
}

static void test_statement_cache(void **state)
{
	static const char sql[] = "SELECT ?1 + 1";
	sqlite3_stmt *a = db_stmt(db, sql);
	assert_non_null(a);
	sqlite3_bind_int(a, 1, 41);
	assert_int_equal(sqlite3_step(a), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(a, 0), 42);
	/* the same SQL gives the same statement back, reset and unbound */
	sqlite3_stmt *b = db_stmt(db, sql);
	assert_ptr_equal(a, b);
	assert_int_equal(sqlite3_step(b), SQLITE_ROW);
	assert_int_equal(sqlite3_column_type(b, 0), SQLITE_NULL);
	sqlite3_reset(b);
	assert_null(db_stmt(db, "SELECT FROM nothing WHERE"));
	/* many distinct statements: the cache grows and keeps handing back the same ones */
	enum { N = 300 };
	static char sqls[N][32];
	sqlite3_stmt *first[N];
	for (int i = 0; i < N; i++) {
		snprintf(sqls[i], sizeof(sqls[i]), "SELECT %d", i);
		first[i] = db_stmt(db, sqls[i]);
		assert_non_null(first[i]);
	}
	for (int i = 0; i < N; i++) {
		sqlite3_stmt *st = db_stmt(db, sqls[i]);
		assert_ptr_equal(st, first[i]);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), i);
		sqlite3_reset(st);
	}
}

static void test_assessments(void **state)
{
	long long existing = 0;
	long long id = db_assessment_create(db, "KEN", 2026, "1.0.0", 0, &existing);
	assert_true(id > 0);
	assert_int_equal(db_assessment_create(db, "KEN", 2026, "1.0.0", 0, &existing), 0);
	assert_int_equal(existing, id);
	struct assessment a;
	assert_int_equal(db_assessment_get(db, id, &a), 1);
	assert_string_equal(a.country, "KEN");
	assert_int_equal(a.round, 2026);
	assert_string_equal(a.status, "draft");
	assert_int_equal(db_assessment_get(db, id + 1000, &a), 0);
	assert_int_equal(db_assessment_set_status(db, id, "submitted"), 0);
	assert_int_equal(db_assessment_get(db, id, &a), 1);
	assert_string_equal(a.status, "submitted");
	/* the schema refuses a status outside the lifecycle */
	assert_int_equal(db_assessment_set_status(db, id, "archived"), -1);
	json_t *list = db_assessment_list(db, "KEN", NULL, 0);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
	list = db_assessment_list(db, NULL, "draft", 0);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
}

static void test_answers_and_audit(void **state)
{
	long long id = db_assessment_create(db, "GHA", 2026, "1.0.0", 0, NULL);
	assert_true(id > 0);
	bool changed;
	assert_int_equal(db_answer_put(db, id, "q1", "\"yes\"", "", 7, &changed), 0);
	assert_true(changed);
	/* the same again changes nothing and writes no audit record */
	long long audits = count("SELECT count(*) FROM audit WHERE kind LIKE 'answer%'");
	assert_int_equal(db_answer_put(db, id, "q1", "\"yes\"", "", 7, &changed), 0);
	assert_false(changed);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE kind LIKE 'answer%'"), audits);
	/* a new value and a comment: two records with old and new */
	assert_int_equal(db_answer_put(db, id, "q1", "\"no\"", "see law 4", 7, &changed), 0);
	assert_true(changed);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE kind = 'answer' AND target = 'q1' "
			       "AND old = '\"yes\"' AND new = '\"no\"' AND user_id = 7"),
			 1);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE kind = 'answer_comment' AND new = 'see law 4'"), 1);
	json_t *ans = db_answers_get(db, id);
	assert_string_equal(json_string_value(json_object_get(json_object_get(ans, "q1"), "value")), "no");
	assert_string_equal(json_string_value(json_object_get(json_object_get(ans, "q1"), "comment")), "see law 4");
	json_decref(ans);
	/* removal is audited too */
	assert_int_equal(db_answer_put(db, id, "q1", NULL, "", 7, &changed), 0);
	assert_true(changed);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE kind = 'answer' AND target = 'q1' AND new IS NULL"), 1);
	ans = db_answers_get(db, id);
	assert_int_equal(json_object_size(ans), 0);
	json_decref(ans);
	/* a value that is not JSON never reaches the table */
	assert_int_equal(db_answer_put(db, id, "q2", "{not json", "", 7, &changed), -1);
}

static void test_transaction_rollback(void **state)
{
	long long id = db_assessment_create(db, "PER", 2026, "1.0.0", 0, NULL);
	bool changed;
	assert_int_equal(db_begin(db), 0);
	assert_true(db_in_tx(db));
	assert_int_equal(db_answer_put(db, id, "q1", "1", "", 0, &changed), 0);
	/* a second BEGIN on the same connection is refused and leaves the first open */
	assert_int_equal(db_begin(db), -1);
	assert_true(db_in_tx(db));
	assert_int_equal(db_rollback(db), 0);
	assert_false(db_in_tx(db));
	/* and the write turn was given back: another connection can write at once */
	struct db *other = db_open(path);
	assert_non_null(other);
	assert_int_equal(db_begin(other), 0);
	assert_int_equal(db_commit(other), 0);
	db_close(other);
	json_t *ans = db_answers_get(db, id);
	assert_int_equal(json_object_size(ans), 0);
	json_decref(ans);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE assessment_id = (SELECT id FROM assessments WHERE country = 'PER') AND kind = 'answer'"), 0);
}

static void test_backup(void **state)
{
	char dest[160];
	snprintf(dest, sizeof(dest), "%s/copy.db", dir);
	assert_int_equal(db_backup(db, dest), 0);
	struct db *copy = db_open(dest);
	assert_non_null(copy);
	sqlite3_stmt *st = NULL;
	sqlite3_prepare_v2(db_handle(copy), "SELECT count(*) FROM assessments", -1, &st, NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_true(sqlite3_column_int(st, 0) >= 3);
	sqlite3_finalize(st);
	db_close(copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pragmas_and_migrations),
		cmocka_unit_test(test_bad_migration_rolls_back),
		cmocka_unit_test(test_statement_cache),
		cmocka_unit_test(test_assessments),
		cmocka_unit_test(test_answers_and_audit),
		cmocka_unit_test(test_transaction_rollback),
		cmocka_unit_test(test_backup),
	};
	return cmocka_run_group_tests_name("db", tests, setup, teardown);
}
