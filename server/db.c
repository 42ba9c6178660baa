/* db.c - connections, statement cache, migrations, transactions.
 *
 * Durability: WAL with synchronous=FULL, so that an answer acknowledged to the
 * user is on disk when the response leaves (PRODUCT.md: "an answer acknowledged
 * is on disk"). bench/ measures what that costs per write. */
#include "db.h"

#include <dirent.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "util.h"

#define STMT_SLOTS_MIN 64 /* power of two; open addressing keyed by SQL address */

struct stmt_slot {
	const char *sql;
	sqlite3_stmt *st;
};

struct db {
	sqlite3 *h;
	char *path;
	bool holds_write_lock;   /* between db_begin and db_commit/db_rollback */
	struct stmt_slot *cache; /* n_slots entries, grows at 3/4 full */
	size_t n_slots;
	size_t n_cached;
};

struct db *db_open(const char *path)
{
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(path, &h,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		log_error("cannot open database %s: %s", path, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_busy_timeout(h, 5000);
	sqlite3_extended_result_codes(h, 1);
	static const char *const pragmas[] = {
		"PRAGMA journal_mode=WAL",
		"PRAGMA synchronous=FULL",
		"PRAGMA foreign_keys=ON",
		"PRAGMA temp_store=MEMORY",
	};
	for (size_t i = 0; i < ARRAY_SIZE(pragmas); i++) {
		char *err = NULL;
		if (sqlite3_exec(h, pragmas[i], NULL, NULL, &err) != SQLITE_OK) {
			log_error("database %s: %s: %s", path, pragmas[i], err ? err : "failed");
			sqlite3_free(err);
			sqlite3_close(h);
			return NULL;
		}
	}
	struct db *db = xcalloc(1, sizeof(*db));
	db->n_slots = STMT_SLOTS_MIN;
	db->cache = xcalloc(db->n_slots, sizeof(*db->cache));
	db->h = h;
	db->path = xstrdup(path);
	return db;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	db_rollback(db);
	for (size_t i = 0; i < db->n_slots; i++)
		if (db->cache[i].st)
			sqlite3_finalize(db->cache[i].st);
	free(db->cache);
	sqlite3_close(db->h);
	free(db->path);
	free(db);
}

sqlite3 *db_handle(struct db *db)
{
	return db->h;
}

static size_t slot_of(const char *sql, size_t n_slots)
{
	uintptr_t k = (uintptr_t)sql;
	return (size_t)((k >> 3) * 2654435761u) & (n_slots - 1);
}

/* Doubles the table and re-inserts every cached statement. */
static void cache_grow(struct db *db)
{
	size_t n = db->n_slots * 2;
	struct stmt_slot *t = xcalloc(n, sizeof(*t));
	for (size_t i = 0; i < db->n_slots; i++) {
		if (!db->cache[i].sql)
			continue;
		size_t k = slot_of(db->cache[i].sql, n);
		while (t[k].sql)
			k = (k + 1) & (n - 1);
		t[k] = db->cache[i];
	}
	free(db->cache);
	db->cache = t;
	db->n_slots = n;
}

sqlite3_stmt *db_stmt(struct db *db, const char *sql)
{
	size_t i = slot_of(sql, db->n_slots);
	while (db->cache[i].sql) {
		if (db->cache[i].sql == sql) {
			sqlite3_stmt *st = db->cache[i].st;
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return st;
		}
		i = (i + 1) & (db->n_slots - 1);
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		log_error("prepare failed: %s: %s", sqlite3_errmsg(db->h), sql);
		return NULL;
	}
	if ((db->n_cached + 1) * 4 > db->n_slots * 3) {
		cache_grow(db);
		i = slot_of(sql, db->n_slots);
		while (db->cache[i].sql)
			i = (i + 1) & (db->n_slots - 1);
	}
	db->cache[i].sql = sql;
	db->cache[i].st = st;
	db->n_cached++;
	return st;
}

int db_exec(struct db *db, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db->h, sql, NULL, NULL, &err) != SQLITE_OK) {
		log_error("database: %s", err ? err : sqlite3_errmsg(db->h));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

/* Writers of this process take turns on a mutex before BEGIN IMMEDIATE. SQLite's
 * own busy handler would have the losers sleep in growing steps (and a writer
 * could wait for seconds behind a few others); a mutex wakes the next one as soon
 * as the lock is free. Other processes (the command line) still meet busy_timeout. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

static void write_unlock(struct db *db)
{
	if (db->holds_write_lock) {
		db->holds_write_lock = false;
		pthread_mutex_unlock(&write_lock);
	}
}

int db_begin(struct db *db)
{
	if (db->holds_write_lock)
		return log_error("a transaction is already open on this connection");
	pthread_mutex_lock(&write_lock);
	db->holds_write_lock = true;
	if (db_exec(db, "BEGIN IMMEDIATE") != 0) {
		write_unlock(db);
		return -1;
	}
	return 0;
}

int db_commit(struct db *db)
{
	if (db_exec(db, "COMMIT") != 0)
		return -1; /* still in the transaction: the caller rolls back */
	write_unlock(db);
	return 0;
}

int db_rollback(struct db *db)
{
	int rc = 0;
	if (!sqlite3_get_autocommit(db->h))
		rc = db_exec(db, "ROLLBACK");
	write_unlock(db);
	return rc;
}

bool db_in_tx(struct db *db)
{
	return !sqlite3_get_autocommit(db->h);
}

const char *db_col_text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? (const char *)t : "";
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int db_migrate(struct db *db, const char *dir)
{
	if (db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
			"version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)") != 0)
		return -1;
	DIR *d = opendir(dir);
	if (!d)
		return log_error("cannot open migrations folder %s", dir);
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".sql") != 0)
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);

	int applied = 0;
	for (size_t i = 0; i < n && applied >= 0; i++) {
		char *end;
		long version = strtol(names[i], &end, 10);
		if (end == names[i] || *end != '_' || version <= 0) {
			applied = log_error("migration %s/%s: name must be NNN_name.sql", dir, names[i]);
			break;
		}
		sqlite3_stmt *st = NULL;
		sqlite3_prepare_v2(db->h, "SELECT 1 FROM schema_migrations WHERE version = ?", -1, &st, NULL);
		sqlite3_bind_int64(st, 1, version);
		int done = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
		if (done)
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		char *sql = util_read_file(path, 16 * 1024 * 1024, NULL);
		if (!sql) {
			applied = log_error("cannot read migration %s", path);
			break;
		}
		char *err = NULL;
		if (db_begin(db) != 0 || sqlite3_exec(db->h, sql, NULL, NULL, &err) != SQLITE_OK) {
			log_error("migration %s failed: %s", path, err ? err : sqlite3_errmsg(db->h));
			sqlite3_free(err);
			db_rollback(db);
			free(sql);
			applied = -1;
			break;
		}
		free(sql);
		sqlite3_prepare_v2(db->h, "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
				   -1, &st, NULL);
		sqlite3_bind_int64(st, 1, version);
		sqlite3_bind_text(st, 2, names[i], -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, util_now());
		int rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE || db_commit(db) != 0) {
			db_rollback(db);
			applied = log_error("cannot record migration %s", path);
			break;
		}
		applied++;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return applied;
}

/* Per-thread connections: one key, a destructor that closes on thread exit. */
static pthread_key_t thread_key;
static pthread_once_t thread_once = PTHREAD_ONCE_INIT;

static void thread_conn_free(void *p)
{
	db_close(p);
}

static void thread_key_init(void)
{
	pthread_key_create(&thread_key, thread_conn_free);
}

struct db *db_thread(const char *path)
{
	pthread_once(&thread_once, thread_key_init);
	struct db *db = pthread_getspecific(thread_key);
	if (db && strcmp(db->path, path) == 0)
		return db;
	if (db) {
		db_close(db);
		pthread_setspecific(thread_key, NULL);
	}
	db = db_open(path);
	if (db)
		pthread_setspecific(thread_key, db);
	return db;
}

int db_backup(struct db *db, const char *dest)
{
	sqlite3 *out = NULL;
	if (sqlite3_open_v2(dest, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		log_error("cannot open backup destination %s: %s", dest, sqlite3_errmsg(out));
		sqlite3_close(out);
		return -1;
	}
	sqlite3_backup *b = sqlite3_backup_init(out, "main", db->h, "main");
	if (!b) {
		log_error("backup to %s: %s", dest, sqlite3_errmsg(out));
		sqlite3_close(out);
		return -1;
	}
	int rc;
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	int ret = 0;
	if (rc != SQLITE_DONE)
		ret = log_error("backup to %s failed: %s", dest, sqlite3_errstr(rc));
	sqlite3_close(out);
	return ret;
}
