/*
 * db.h — one thin driver interface over SQLite (libsqlite3) and PostgreSQL
 * (libpq) for the commands that *write* to databases: migrate, import, copy,
 * export.  (Reading schemas stays in source/: those readers only introspect.)
 *
 *   db_conn *c = db_open(spec, &opts, diags);   URL / path / DSN, see util/url.h
 *   db_exec(c, "CREATE TABLE ...");             one or more statements, no params
 *   db_exec_script(c, file, text, len, first_line, diags)
 *                                               statement by statement; a failure
 *                                               is reported at file:line:col of the
 *                                               failing statement (and of the error
 *                                               position inside it when the server
 *                                               gives one)
 *   db_begin / db_commit / db_rollback          one transaction at a time
 *   db_stmt *s = db_prepare(c, sql, nparams)    $1..$n placeholders on both engines
 *   db_lock_acquire / db_lock_release           cross-process advisory lock
 *
 * SQL placeholders are always written `$1, $2, ...`; the SQLite driver binds
 * them by index (SQLite accepts `$1` as a named parameter, bound via
 * sqlite3_bind_parameter_index).  Values are always bound, never spliced.
 *
 * Errors: functions return 0 / a pointer on success, -1 / NULL on failure
 * with a human message in db_last_error(c) (an arena string of the
 * connection, valid until the next call on it) — never printed here.
 * Messages never contain a password (URLs are masked with url_mask).
 * Implementation: db.c (common), db_sqlite.c, db_pg.c, db_split.c,
 * db_copy.c; internals in db_int.h.
 */
#ifndef DBSAGE_DB_H
#define DBSAGE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/catalog.h"
#include "util/arena.h"
#include "util/diag.h"

typedef struct db_conn db_conn;
typedef struct db_stmt db_stmt;

typedef struct db_open_opts {
    bool create;                 /* SQLite: create the file when absent (else: error) */
    bool read_only;              /* SQLite: open read-only */
    int statement_timeout_ms;    /* PG: SET statement_timeout; SQLite: progress-handler interrupt; 0 = none */
    int lock_timeout_ms;         /* PG: SET lock_timeout; SQLite: busy timeout; 0 = driver default
                                    (SQLite: 5000 ms busy timeout) */
    const char *application_name;/* PG application_name, default "dbsage" */
} db_open_opts;

/* spec: postgres://..., postgresql://..., "host=... dbname=...", sqlite:PATH,
 * file:PATH, or a plain path (SQLite).  NULL + diagnostic on failure (the
 * location is the masked spec).  opts may be NULL (all defaults).
 * SQLite connections run `PRAGMA foreign_keys = ON` (turn it off with
 * db_exec outside a transaction when a table rebuild needs it); a missing
 * file without opts->create is "no such database: PATH".  PG connections
 * use client_encoding UTF8 (unless the spec says otherwise) and drop
 * NOTICE/WARNING messages. */
db_conn *db_open(const char *spec, const db_open_opts *opts, diag_list *diags);
void db_close(db_conn *c);

dialect db_dialect(const db_conn *c);          /* DIALECT_PG or DIALECT_SQLITE */
const char *db_spec_masked(const db_conn *c);  /* for messages */
const char *db_last_error(const db_conn *c);   /* message of the last failure, "" */
/* the connection's own arena, reset by nothing: use for per-connection strings */
arena *db_arena(db_conn *c);

/* ---- plain execution ----------------------------------------------------- */

/* One or more statements without parameters; stops at the first error.
 * PG: several statements are split (as db_split_script) and sent one at a
 * time, never as one implicit transaction (CREATE INDEX CONCURRENTLY works);
 * COPY ... FROM STDIN is refused (use db_copy_*). */
int db_exec(db_conn *c, const char *sql);
/* A script: split into statements (PG: libpg_query's scanner splitter;
 * SQLite: sqlite3_prepare_v2 tails), each executed in order.  `first_line`
 * is the line of text[0] in `file` (sections of a migration file start
 * mid-file).  On failure: one DIAG_ERROR at the failing statement
 * (file:line:col, with the server position inside the statement when there
 * is one) whose message is the server's, plus a note with the statement's
 * first line; returns -1.  Does not open a transaction of its own. */
int db_exec_script(db_conn *c, const char *file, const char *text, size_t len, unsigned first_line,
                   diag_list *diags);
/* Statements of a script with their byte offsets (for plans and lint):
 * out[i] = {offset, length} into text; returns count, -1 on a split error
 * (PG: an unterminated quote or comment).  A span starts at the statement's
 * first token (leading blanks and comments skipped) and stops before the
 * terminating ';' (trailing blanks trimmed); empty statements are skipped.
 * PG: libpg_query's scanner splitter (parser splitter for BEGIN ATOMIC
 * bodies); SQLite: cut at each ';' where sqlite3_complete() holds (trigger
 * bodies stay whole).  Needs no connection; `out` is allocated in mem. */
typedef struct db_stmt_span {
    size_t offset, len;
} db_stmt_span;
int db_split_script(dialect d, arena *mem, const char *text, size_t len, db_stmt_span **out);

/* ---- transactions -------------------------------------------------------- */

int db_begin(db_conn *c);      /* PG: BEGIN; SQLite: BEGIN IMMEDIATE (takes the write lock now) */
int db_commit(db_conn *c);
int db_rollback(db_conn *c);   /* no-op when no transaction is open */
bool db_in_transaction(const db_conn *c);

/* ---- prepared statements ------------------------------------------------- */

db_stmt *db_prepare(db_conn *c, const char *sql, int nparams);
int db_bind_null(db_stmt *s, int i);                     /* i is 1-based */
int db_bind_text(db_stmt *s, int i, const char *v, size_t len);
int db_bind_int64(db_stmt *s, int i, int64_t v);
int db_bind_double(db_stmt *s, int i, double v);
int db_bind_blob(db_stmt *s, int i, const void *v, size_t len);
/* Execute; for queries, then iterate rows: 1 = a row is available, 0 = done,
 * -1 = error.  db_step executes on the first call; once done it keeps
 * returning 0 until db_reset (binding a parameter after an execution resets
 * implicitly).  Bindings survive db_reset.
 * PG: the server sees the statement at the first db_step (PQexecParams, one
 * round trip), so errors in the SQL show there, not at db_prepare as on
 * SQLite; from its second execution on it is a named prepared statement
 * (PQprepare once, DEALLOCATE at db_finalize).  Blobs are sent in binary
 * format, everything else as text; results come back as text.  nparams must
 * match the SQL on PG (the server checks); SQLite ignores bindings of a $i
 * the SQL does not use, and refuses placeholders other than $1..$nparams. */
int db_step(db_stmt *s);
int db_column_count(db_stmt *s);                         /* PG: 0 before the first step */
bool db_column_is_null(db_stmt *s, int col);             /* col is 0-based */
const char *db_column_text(db_stmt *s, int col, size_t *len); /* valid until the next step */
/* Raw bytes of a column: SQLite blob; PG bytea decoded (other PG types:
 * their text).  Valid until the next step — and on PostgreSQL only until the
 * next db_column_blob call on the same statement (one decode buffer): copy
 * the bytes out before reading a second bytea column of the row. */
const void *db_column_blob(db_stmt *s, int col, size_t *len);
const char *db_column_name(db_stmt *s, int col);        /* NULL when out of range */
int64_t db_column_int64(db_stmt *s, int col);            /* PG bool: t = 1, f = 0 */
double db_column_double(db_stmt *s, int col);
int64_t db_changes(db_stmt *s);                          /* rows affected by the last execution */
int db_reset(db_stmt *s);                                /* ready to bind and run again */
void db_finalize(db_stmt *s);

/* Convenience: a query returning one text value (NULL when no row / NULL;
 * arena copy in db_arena). *err_out set to -1 on error, else 0. */
const char *db_query_value(db_conn *c, const char *sql, int *err_out);
/* Does a table exist?  schema NULL = current (PG search_path / SQLite main). */
int db_table_exists(db_conn *c, const char *schema, const char *table, bool *exists);

/* ---- schemas (PostgreSQL) ------------------------------------------------ */

/* Names of schemas matching a glob ('client_*', '?' and '*'), sorted;
 * SQLite: error. */
int db_list_schemas(db_conn *c, const char *glob, arena *mem, const char ***out, size_t *n);
/* SET search_path TO schema (then public for extensions' types); NULL: SET
 * search_path TO DEFAULT.  SQLite: error unless schema is NULL or "main". */
int db_set_schema(db_conn *c, const char *schema);

/* ---- cross-process lock -------------------------------------------------- */

/* An advisory lock that holds across processes and is *not* tied to a
 * transaction (non-transactional migrations must not deadlock on it):
 *   PG:     pg_try_advisory_lock(hashtext(name)) polled every 50 ms until
 *           timeout_ms (0 = try once, -1 = forever);
 *   SQLite: an exclusive fcntl lock (F_OFD_SETLK where available, else
 *           F_SETLK, on a companion file "<database>-dbsage.lock"; `name` is
 *           not used: one lock per database file) polled the same way; held
 *           until release, db_close or process death (the kernel drops it on
 *           SIGKILL).  OFD locks belong to the open file, so two connections
 *           of one process exclude each other as well.  An in-memory
 *           database is private: the lock is always granted.
 * Acquiring a lock this connection holds succeeds (PG counts: release as
 * often).  Returns 0 acquired, 1 timed out (db_last_error: "another dbsage
 * process holds the migration lock on <db>; waited N ms"), -1 error.
 * db_lock_release of a lock not held: -1. */
int db_lock_acquire(db_conn *c, const char *name, int timeout_ms);
int db_lock_release(db_conn *c, const char *name);

/* ---- bulk load ------------------------------------------------------------ */

/* PG: COPY schema.table (cols) FROM STDIN (text format) — rows are sent with
 * db_copy_row (values NULL = SQL NULL, escaped here); SQLite: a prepared
 * INSERT executed per row (the caller batches rows in transactions). */
typedef struct db_copy db_copy;
db_copy *db_copy_begin(db_conn *c, const char *schema, const char *table, const char *const *cols, int ncols);
int db_copy_row(db_copy *cp, const char *const *vals, const size_t *lens);
int db_copy_end(db_copy *cp);   /* flushes; -1 with the server's error */
/* Always end a copy (it frees cp); no other call on the connection in
 * between.  A given schema is always written out, even public/main.  PG: a
 * value with a NUL byte fails that row only; server errors (bad input, a
 * constraint) show at db_copy_end. */

#endif
