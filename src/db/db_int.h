/*
 * db_int.h — internals shared by the driver files (not a public header):
 * the connection and statement structs, the per-engine entry points that
 * db.c dispatches to, and small helpers (errors, clocks, comment skipping).
 *
 *   db.c         common layer: open/close dispatch, errors, query_value,
 *                glob -> LIKE, lock polling, script locations
 *   db_split.c   db_split_script for both dialects
 *   db_sqlite.c  SQLite (libsqlite3)
 *   db_pg.c      PostgreSQL (libpq)
 *   db_copy.c    bulk load (PG COPY FROM STDIN, SQLite prepared INSERT)
 */
#ifndef DBSAGE_DB_INT_H
#define DBSAGE_DB_INT_H

#include <libpq-fe.h>
#include <sqlite3.h>

#include "db/db.h"
#include "util/strbuf.h"

struct db_conn {
    dialect d;
    arena mem;                 /* per-connection strings (errors, query values) */
    const char *spec_masked;
    const char *err;           /* last error, "" */
    int statement_timeout_ms;
    int lock_timeout_ms;
    /* SQLite */
    sqlite3 *sq;
    const char *path;          /* database file path */
    int lock_fd;               /* companion lock file, -1 when not held */
    int64_t deadline_ms;       /* statement deadline (monotonic), 0 = none */
    bool timed_out;            /* the progress handler interrupted */
    /* PostgreSQL */
    PGconn *pg;
    bool pg_bytes_positions;   /* server encoding SQL_ASCII: positions count bytes */
    unsigned long pg_stmt_seq; /* names of prepared statements */
    strbuf pg_dealloc;         /* "DEALLOCATE x;" owed from a failed transaction */
};

struct db_stmt {
    db_conn *c;
    int nparams;
    bool executed;             /* db_step ran the statement */
    bool done;                 /* no more rows */
    int64_t changes;
    /* SQLite */
    sqlite3_stmt *st;
    int *sq_index;             /* [nparams+1]: parameter index of $i */
    /* PostgreSQL */
    char *sql;                 /* heap copy */
    int runs;                  /* executions so far */
    char *name;                /* named prepared statement (from the 2nd run), heap */
    char **vals;               /* [nparams] heap copies, NULL = SQL NULL */
    int *lens, *fmts;
    PGresult *res;
    int row, nrows;
    unsigned char *blob;       /* db_column_blob decode buffer */
};

/* errors: set c->err (arena copy), return -1 */
int db_fail(db_conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void db_clear_error(db_conn *c);
int64_t db_now_ms(void);       /* CLOCK_MONOTONIC */
void db_sleep_ms(int ms);

/* offset of the first token at or after `off` (skips whitespace, -- and
 * block comments; with `nested` (PostgreSQL) block comments nest and -- comments also end at \r) */
size_t db_skip_blank(const char *text, size_t len, size_t off, bool nested);
/* length without trailing whitespace */
size_t db_trim_right(const char *text, size_t len);
/* first line of a statement, at most 120 bytes, for notes */
const char *db_first_line(arena *mem, const char *stmt, size_t len);

/* Report a failed script statement: one DIAG_ERROR at the error position
 * (err_off >= 0, byte offset into text) or at the statement start, whose
 * message is c->err; notes with detail / hint (may be NULL) and the
 * statement's first line. */
void db_script_error(db_conn *c, diag_list *diags, const char *file, const char *text, size_t len,
                     unsigned first_line, size_t stmt_off, size_t stmt_len, long err_off,
                     const char *detail, const char *hint);

/* PostgreSQL split of a NUL-terminated text; on a scanner error returns -1
 * with the 1-based character position and message (arena copy in mem). */
int db_split_pg(arena *mem, const char *text, size_t len, db_stmt_span **out, int *err_cursor,
                const char **err_msg);

/* engines */
db_conn *dbsq_open(db_conn *c, const char *path, const db_open_opts *opts, diag_list *diags);
void dbsq_close(db_conn *c);
int dbsq_exec(db_conn *c, const char *sql);
int dbsq_exec_script(db_conn *c, const char *file, const char *text, size_t len,
                     unsigned first_line, diag_list *diags);
db_stmt *dbsq_prepare(db_conn *c, const char *sql, int nparams);
int dbsq_lock_try(db_conn *c, const char *name, bool *got);
int dbsq_lock_release(db_conn *c);
int dbsq_begin_step(db_conn *c);   /* arm the statement timeout */
void dbsq_end_step(db_conn *c);

db_conn *dbpg_open(db_conn *c, const char *spec, const db_open_opts *opts, diag_list *diags);
void dbpg_close(db_conn *c);
int dbpg_exec_one(db_conn *c, const char *sql);
int dbpg_exec(db_conn *c, const char *sql);
int dbpg_exec_script(db_conn *c, const char *file, const char *text, size_t len,
                     unsigned first_line, diag_list *diags);
db_stmt *dbpg_prepare(db_conn *c, const char *sql, int nparams);
int dbpg_step(db_stmt *s);
void dbpg_finalize(db_stmt *s);
int dbpg_lock_try(db_conn *c, const char *name, bool *got);
int dbpg_lock_release(db_conn *c, const char *name);
/* the error of a failed result, "primary (detail)" into c->err; returns -1 */
int dbpg_fail_result(db_conn *c, PGresult *res);

#endif
