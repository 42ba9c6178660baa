/* db.h - the SQLite store: one connection per thread, cached prepared statements,
 * migrations, transactions. Queries by noun live in db_*.c. */
#ifndef SOMGUIDE_DB_H
#define SOMGUIDE_DB_H

#include <stdbool.h>
#include <sqlite3.h>

struct db;

/* Opens (creating if needed) the database at path with WAL, foreign_keys=ON,
 * busy_timeout and synchronous=NORMAL... see db.c for the durability note.
 * Returns NULL and logs one line on error. */
struct db *db_open(const char *path);
void db_close(struct db *db);

/* Applies every schema/migrations/NNN_*.sql in dir not yet recorded in
 * schema_migrations, in order, each in its own transaction. Returns the number
 * applied, or -1 (logged). */
int db_migrate(struct db *db, const char *dir);

/* The calling thread's connection to path (opened on first use, closed when the
 * thread exits). NULL on error. */
struct db *db_thread(const char *path);

/* A prepared statement for sql, from the connection's cache (prepared once with
 * SQLITE_PREPARE_PERSISTENT). sql must be a string with static storage: the cache
 * is keyed by its address. The statement is reset and its bindings cleared when
 * returned. NULL on error (logged). Do not finalize it. */
sqlite3_stmt *db_stmt(struct db *db, const char *sql);

sqlite3 *db_handle(struct db *db);

int db_begin(struct db *db);     /* BEGIN IMMEDIATE */
int db_commit(struct db *db);
int db_rollback(struct db *db);
bool db_in_tx(struct db *db);

/* Runs one statement with no result rows. Returns 0 or -1 (logged). */
int db_exec(struct db *db, const char *sql);

/* Consistent online copy of the database into dest (sqlite3 backup API). */
int db_backup(struct db *db, const char *dest);

/* Convenience binders/readers for cached statements. */
const char *db_col_text(sqlite3_stmt *st, int col); /* "" for NULL */

#endif
