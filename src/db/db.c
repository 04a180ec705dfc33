/*
 * db.c — the engine-independent half of the driver (db.h): opening by spec
 * (PostgreSQL URL / keyword DSN, sqlite:/file: spec or plain path), errors,
 * dispatch to db_sqlite.c / db_pg.c, prepared-statement binding and column
 * access for both engines, and the helpers written once over db_prepare:
 * db_query_value, db_table_exists, db_list_schemas, db_set_schema, and the
 * polling loop of db_lock_acquire.
 */
#include "db/db_int.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "emit/emit.h"
#include "util/url.h"

/* ---- small helpers --------------------------------------------------------- */

int db_fail(db_conn *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *m = arena_vprintf(&c->mem, fmt, ap);
    va_end(ap);
    size_t n = strlen(m);
    while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
        m[--n] = '\0';
    c->err = m;
    return -1;
}

void db_clear_error(db_conn *c)
{
    c->err = "";
}

int64_t db_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void db_sleep_ms(int ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
    }
}

size_t db_skip_blank(const char *text, size_t len, size_t off, bool nested)
{
    size_t i = off;
    while (i < len) {
        char ch = text[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v') {
            i++;
        } else if (ch == '-' && i + 1 < len && text[i + 1] == '-') {
            /* PostgreSQL's scanner ends a -- comment at \n or \r, SQLite's at \n */
            while (i < len && text[i] != '\n' && !(nested && text[i] == '\r'))
                i++;
        } else if (ch == '/' && i + 1 < len && text[i + 1] == '*') {
            int depth = 1;
            i += 2;
            while (i < len && depth > 0) {
                if (text[i] == '*' && i + 1 < len && text[i + 1] == '/') {
                    depth--;
                    i += 2;
                } else if (nested && text[i] == '/' && i + 1 < len && text[i + 1] == '*') {
                    depth++;
                    i += 2;
                } else {
                    i++;
                }
            }
        } else {
            break;
        }
    }
    return i;
}

size_t db_trim_right(const char *text, size_t len)
{
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t' || text[len - 1] == '\n' ||
                   text[len - 1] == '\r' || text[len - 1] == '\f' || text[len - 1] == '\v'))
        len--;
    return len;
}

const char *db_first_line(arena *mem, const char *stmt, size_t len)
{
    size_t n = 0;
    while (n < len && stmt[n] != '\n' && stmt[n] != '\r')
        n++;
    bool more = n < len;
    if (n > 120) {
        n = 120;
        while (n > 0 && ((unsigned char)stmt[n] & 0xC0) == 0x80)
            n--;  /* do not cut a UTF-8 sequence */
        more = true;
    }
    return arena_printf(mem, "%.*s%s", (int)n, stmt, more ? " ..." : "");
}

/* ---- open / close ---------------------------------------------------------- */

db_conn *db_open(const char *spec, const db_open_opts *opts, diag_list *diags)
{
    static const db_open_opts defaults;
    if (!opts)
        opts = &defaults;
    if (!spec || !*spec) {
        src_loc nowhere = {NULL, 0, 0};
        if (diags)
            diag_error(diags, nowhere, "no database given");
        return NULL;
    }
    db_conn *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    arena_init(&c->mem);
    c->err = "";
    c->lock_fd = -1;
    c->statement_timeout_ms = opts->statement_timeout_ms > 0 ? opts->statement_timeout_ms : 0;
    c->lock_timeout_ms = opts->lock_timeout_ms > 0 ? opts->lock_timeout_ms : 0;
    c->spec_masked = url_mask(&c->mem, spec);
    db_conn *ok;
    if (url_is_postgres(spec)) {
        c->d = DIALECT_PG;
        ok = dbpg_open(c, spec, opts, diags);
    } else {
        c->d = DIALECT_SQLITE;
        const char *path = url_is_sqlite(spec) ? url_sqlite_path(&c->mem, spec)
                                                : arena_strdup(&c->mem, spec);
        ok = dbsq_open(c, path, opts, diags);
    }
    if (!ok) {
        arena_free(&c->mem);
        free(c);
        return NULL;
    }
    return c;
}

void db_close(db_conn *c)
{
    if (!c)
        return;
    if (c->d == DIALECT_PG)
        dbpg_close(c);
    else
        dbsq_close(c);
    arena_free(&c->mem);
    free(c);
}

dialect db_dialect(const db_conn *c)
{
    return c->d;
}

const char *db_spec_masked(const db_conn *c)
{
    return c->spec_masked;
}

const char *db_last_error(const db_conn *c)
{
    return c->err ? c->err : "";
}

arena *db_arena(db_conn *c)
{
    return &c->mem;
}

/* ---- execution ------------------------------------------------------------- */

int db_exec(db_conn *c, const char *sql)
{
    db_clear_error(c);
    if (!sql)
        return db_fail(c, "no SQL given");
    return c->d == DIALECT_PG ? dbpg_exec(c, sql) : dbsq_exec(c, sql);
}

int db_exec_script(db_conn *c, const char *file, const char *text, size_t len, unsigned first_line,
                   diag_list *diags)
{
    db_clear_error(c);
    if (!text)
        return db_fail(c, "no SQL given");
    if (first_line == 0)
        first_line = 1;
    return c->d == DIALECT_PG ? dbpg_exec_script(c, file, text, len, first_line, diags)
                              : dbsq_exec_script(c, file, text, len, first_line, diags);
}

/* ---- transactions ---------------------------------------------------------- */

int db_begin(db_conn *c)
{
    if (db_in_transaction(c))
        return db_fail(c, "a transaction is already open");
    return db_exec(c, c->d == DIALECT_PG ? "BEGIN" : "BEGIN IMMEDIATE");
}

int db_commit(db_conn *c)
{
    if (!db_in_transaction(c))
        return db_fail(c, "no transaction is open");
    if (c->d == DIALECT_PG && PQtransactionStatus(c->pg) == PQTRANS_INERROR) {
        /* COMMIT of a failed transaction is a silent ROLLBACK in PostgreSQL */
        db_exec(c, "ROLLBACK");
        return db_fail(c, "the transaction failed earlier and was rolled back");
    }
    return db_exec(c, "COMMIT");
}

int db_rollback(db_conn *c)
{
    if (!db_in_transaction(c))
        return 0;
    return db_exec(c, "ROLLBACK");
}

bool db_in_transaction(const db_conn *c)
{
    if (c->d == DIALECT_PG)
        return PQtransactionStatus(c->pg) != PQTRANS_IDLE &&
               PQtransactionStatus(c->pg) != PQTRANS_UNKNOWN;
    return !sqlite3_get_autocommit(c->sq);
}

/* ---- prepared statements ------------------------------------------------- */

db_stmt *db_prepare(db_conn *c, const char *sql, int nparams)
{
    db_clear_error(c);
    if (!sql || nparams < 0) {
        db_fail(c, "db_prepare: bad arguments");
        return NULL;
    }
    return c->d == DIALECT_PG ? dbpg_prepare(c, sql, nparams) : dbsq_prepare(c, sql, nparams);
}

/* binding after an execution starts a new one (implicit db_reset) */
static int bind_check(db_stmt *s, int i)
{
    if (i < 1 || i > s->nparams)
        return db_fail(s->c, "parameter $%d out of range (statement has %d)", i, s->nparams);
    if (s->executed)
        db_reset(s);
    return 0;
}

static int sq_bind_rc(db_stmt *s, int rc)
{
    if (rc != SQLITE_OK)
        return db_fail(s->c, "%s", sqlite3_errmsg(s->c->sq));
    return 0;
}

/* PG: keep a heap copy of the value (text format unless binary) */
static int pg_bind(db_stmt *s, int i, const void *v, size_t len, int fmt)
{
    free(s->vals[i - 1]);
    s->vals[i - 1] = NULL;
    s->lens[i - 1] = 0;
    s->fmts[i - 1] = fmt;
    if (!v)
        return 0;
    if (len > (size_t)INT32_MAX)
        return db_fail(s->c, "parameter $%d is too large", i);
    char *copy = malloc(len + 1);
    if (!copy)
        abort();
    memcpy(copy, v, len);
    copy[len] = '\0';
    s->vals[i - 1] = copy;
    s->lens[i - 1] = (int)len;
    return 0;
}

int db_bind_null(db_stmt *s, int i)
{
    if (bind_check(s, i))
        return -1;
    if (s->c->d == DIALECT_PG)
        return pg_bind(s, i, NULL, 0, 0);
    return s->sq_index[i] ? sq_bind_rc(s, sqlite3_bind_null(s->st, s->sq_index[i])) : 0;
}

int db_bind_text(db_stmt *s, int i, const char *v, size_t len)
{
    if (!v)
        return db_bind_null(s, i);
    if (bind_check(s, i))
        return -1;
    if (s->c->d == DIALECT_PG) {
        if (memchr(v, '\0', len))
            return db_fail(s->c, "parameter $%d: text contains a NUL byte", i);
        return pg_bind(s, i, v, len, 0);
    }
    if (!s->sq_index[i])
        return 0;
    return sq_bind_rc(s, sqlite3_bind_text64(s->st, s->sq_index[i], v, len, SQLITE_TRANSIENT,
                                             SQLITE_UTF8));
}

int db_bind_int64(db_stmt *s, int i, int64_t v)
{
    if (bind_check(s, i))
        return -1;
    if (s->c->d == DIALECT_PG) {
        char buf[32];
        int n = snprintf(buf, sizeof buf, "%" PRId64, v);
        return pg_bind(s, i, buf, (size_t)n, 0);
    }
    return s->sq_index[i] ? sq_bind_rc(s, sqlite3_bind_int64(s->st, s->sq_index[i], v)) : 0;
}

int db_bind_double(db_stmt *s, int i, double v)
{
    if (bind_check(s, i))
        return -1;
    if (s->c->d == DIALECT_PG) {
        char buf[40];
        int n;
        if (isnan(v))
            n = snprintf(buf, sizeof buf, "NaN");
        else if (isinf(v))
            n = snprintf(buf, sizeof buf, "%sInfinity", v < 0 ? "-" : "");
        else
            n = snprintf(buf, sizeof buf, "%.17g", v);
        return pg_bind(s, i, buf, (size_t)n, 0);
    }
    return s->sq_index[i] ? sq_bind_rc(s, sqlite3_bind_double(s->st, s->sq_index[i], v)) : 0;
}

int db_bind_blob(db_stmt *s, int i, const void *v, size_t len)
{
    if (!v && len == 0)
        v = "";
    if (!v)
        return db_bind_null(s, i);
    if (bind_check(s, i))
        return -1;
    if (s->c->d == DIALECT_PG)
        return pg_bind(s, i, v, len, 1);
    if (!s->sq_index[i])
        return 0;
    return sq_bind_rc(s, sqlite3_bind_blob64(s->st, s->sq_index[i], v, len, SQLITE_TRANSIENT));
}

int db_step(db_stmt *s)
{
    db_clear_error(s->c);
    if (s->done)
        return 0;
    if (s->c->d == DIALECT_PG)
        return dbpg_step(s);
    db_conn *c = s->c;
    s->executed = true;
    dbsq_begin_step(c);
    int rc = sqlite3_step(s->st);
    dbsq_end_step(c);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE) {
        s->done = true;
        s->changes = sqlite3_changes64(c->sq);
        return 0;
    }
    s->done = true;
    if (c->timed_out)
        return db_fail(c, "canceling statement due to statement timeout (%d ms)",
                       c->statement_timeout_ms);
    return db_fail(c, "%s", sqlite3_errmsg(c->sq));
}

static bool has_row(db_stmt *s, int col)
{
    if (s->c->d == DIALECT_PG)
        return s->res && s->row >= 0 && s->row < s->nrows && col >= 0 &&
               col < PQnfields(s->res);
    return s->executed && !s->done && col >= 0 && col < sqlite3_column_count(s->st);
}

int db_column_count(db_stmt *s)
{
    if (s->c->d == DIALECT_PG)
        return s->res ? PQnfields(s->res) : 0;
    return sqlite3_column_count(s->st);
}

const char *db_column_name(db_stmt *s, int col)
{
    if (col < 0 || col >= db_column_count(s))
        return NULL;
    if (s->c->d == DIALECT_PG)
        return PQfname(s->res, col);
    return sqlite3_column_name(s->st, col);
}

bool db_column_is_null(db_stmt *s, int col)
{
    if (!has_row(s, col))
        return true;
    if (s->c->d == DIALECT_PG)
        return PQgetisnull(s->res, s->row, col);
    return sqlite3_column_type(s->st, col) == SQLITE_NULL;
}

const char *db_column_text(db_stmt *s, int col, size_t *len)
{
    if (len)
        *len = 0;
    if (db_column_is_null(s, col))
        return NULL;
    if (s->c->d == DIALECT_PG) {
        if (len)
            *len = (size_t)PQgetlength(s->res, s->row, col);
        return PQgetvalue(s->res, s->row, col);
    }
    const char *t = (const char *)sqlite3_column_text(s->st, col);
    if (len)
        *len = (size_t)sqlite3_column_bytes(s->st, col);
    return t ? t : "";
}

#define BYTEA_OID 17

const void *db_column_blob(db_stmt *s, int col, size_t *len)
{
    if (len)
        *len = 0;
    if (db_column_is_null(s, col))
        return NULL;
    if (s->c->d == DIALECT_PG) {
        if (PQftype(s->res, col) != BYTEA_OID)
            return db_column_text(s, col, len);
        if (s->blob)
            PQfreemem(s->blob);
        size_t n = 0;
        s->blob = PQunescapeBytea((const unsigned char *)PQgetvalue(s->res, s->row, col), &n);
        if (len)
            *len = n;
        return s->blob ? (const void *)s->blob : (const void *)"";
    }
    const void *b = sqlite3_column_blob(s->st, col);
    if (len)
        *len = (size_t)sqlite3_column_bytes(s->st, col);
    return b ? b : "";
}

int64_t db_column_int64(db_stmt *s, int col)
{
    if (db_column_is_null(s, col))
        return 0;
    if (s->c->d == DIALECT_PG) {
        const char *v = PQgetvalue(s->res, s->row, col);
        if (!strcmp(v, "t"))
            return 1;
        if (!strcmp(v, "f"))
            return 0;
        return strtoll(v, NULL, 10);
    }
    return sqlite3_column_int64(s->st, col);
}

double db_column_double(db_stmt *s, int col)
{
    if (db_column_is_null(s, col))
        return 0;
    if (s->c->d == DIALECT_PG)
        return strtod(PQgetvalue(s->res, s->row, col), NULL);
    return sqlite3_column_double(s->st, col);
}

int64_t db_changes(db_stmt *s)
{
    return s->changes;
}

int db_reset(db_stmt *s)
{
    s->executed = false;
    s->done = false;
    s->changes = 0;
    if (s->c->d == DIALECT_PG) {
        PQclear(s->res);
        s->res = NULL;
        s->row = -1;
        s->nrows = 0;
        return 0;
    }
    sqlite3_reset(s->st);  /* returns the last step's error, already reported */
    return 0;
}

void db_finalize(db_stmt *s)
{
    if (!s)
        return;
    db_conn *c = s->c;
    if (c->d == DIALECT_PG) {
        dbpg_finalize(s);
    } else {
        sqlite3_finalize(s->st);
        free(s->sq_index);
    }
    free(s);
}

/* ---- one-shot helpers -------------------------------------------------------- */

const char *db_query_value(db_conn *c, const char *sql, int *err_out)
{
    if (err_out)
        *err_out = -1;
    db_stmt *s = db_prepare(c, sql, 0);
    if (!s)
        return NULL;
    const char *out = NULL;
    int rc = db_step(s);
    if (rc == 1) {
        size_t n;
        const char *v = db_column_text(s, 0, &n);
        out = v ? arena_strndup(&c->mem, v, n) : NULL;
    }
    if (rc >= 0) {
        /* drain, so that the statement completes (SQLite DML ... RETURNING) */
        while (rc == 1)
            rc = db_step(s);
    }
    if (rc < 0) {
        /* keep the error past finalize (DEALLOCATE clears nothing but be safe) */
        const char *err = c->err;
        db_finalize(s);
        c->err = err;
        return NULL;
    }
    db_finalize(s);
    if (err_out)
        *err_out = 0;
    return out;
}

int db_table_exists(db_conn *c, const char *schema, const char *table, bool *exists)
{
    *exists = false;
    if (!table)
        return db_fail(c, "db_table_exists: no table name");
    db_stmt *s;
    if (c->d == DIALECT_PG) {
        if (schema)
            s = db_prepare(c,
                           "SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                           "ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') "
                           "AND c.relname = $1 AND n.nspname = $2",
                           2);
        else
            s = db_prepare(c,
                           "SELECT 1 FROM pg_catalog.pg_class c WHERE c.relkind IN ('r', 'p') "
                           "AND c.relname = $1 AND pg_catalog.pg_table_is_visible(c.oid)",
                           1);
    } else {
        strbuf sql = STRBUF_INIT;
        strbuf_adds(&sql, "SELECT 1 FROM ");
        if (schema && strcmp(schema, "main") != 0) {
            sql_quote_ident(&sql, DIALECT_SQLITE, schema);
            strbuf_addch(&sql, '.');
        }
        strbuf_adds(&sql, "sqlite_master WHERE type = 'table' AND name = $1 COLLATE NOCASE");
        s = db_prepare(c, strbuf_str(&sql), 1);
        strbuf_release(&sql);
    }
    if (!s)
        return -1;
    int rc = db_bind_text(s, 1, table, strlen(table));
    if (!rc && c->d == DIALECT_PG && schema)
        rc = db_bind_text(s, 2, schema, strlen(schema));
    if (!rc)
        rc = db_step(s);
    const char *err = c->err;
    db_finalize(s);
    c->err = err;
    if (rc < 0)
        return -1;
    *exists = rc == 1;
    return 0;
}

/* glob ('*', '?') -> LIKE pattern with '\' as the escape character */
static char *glob_to_like(arena *mem, const char *glob)
{
    strbuf sb = STRBUF_INIT;
    for (const char *p = glob; *p; p++) {
        if (*p == '*')
            strbuf_addch(&sb, '%');
        else if (*p == '?')
            strbuf_addch(&sb, '_');
        else {
            if (*p == '%' || *p == '_' || *p == '\\')
                strbuf_addch(&sb, '\\');
            strbuf_addch(&sb, *p);
        }
    }
    char *out = arena_strdup(mem, strbuf_str(&sb));
    strbuf_release(&sb);
    return out;
}

int db_list_schemas(db_conn *c, const char *glob, arena *mem, const char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    db_clear_error(c);
    if (c->d != DIALECT_PG)
        return db_fail(c, "SQLite databases have no schemas to list");
    const char *like = glob_to_like(&c->mem, glob ? glob : "*");
    db_stmt *s = db_prepare(c,
                            "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname LIKE $1 "
                            "ORDER BY 1",
                            1);
    if (!s)
        return -1;
    VEC(const char *) names = {0};
    int rc = db_bind_text(s, 1, like, strlen(like));
    while (!rc && (rc = db_step(s)) == 1) {
        size_t len;
        const char *v = db_column_text(s, 0, &len);
        VEC_PUSH(mem, names, arena_strndup(mem, v, len));
        rc = 0;
    }
    const char *err = c->err;
    db_finalize(s);
    c->err = err;
    if (rc < 0)
        return -1;
    *out = names.v;
    *n = names.n;
    return 0;
}

int db_set_schema(db_conn *c, const char *schema)
{
    db_clear_error(c);
    if (c->d != DIALECT_PG) {
        if (!schema || !strcmp(schema, "main"))
            return 0;
        return db_fail(c, "SQLite has no schema \"%s\" to switch to (only main)", schema);
    }
    if (!schema)
        return db_exec(c, "SET search_path TO DEFAULT");
    strbuf sql = STRBUF_INIT;
    strbuf_adds(&sql, "SET search_path TO ");
    sql_quote_ident(&sql, DIALECT_PG, schema);
    if (strcmp(schema, "public") != 0)
        strbuf_adds(&sql, ", public");
    int rc = db_exec(c, strbuf_str(&sql));
    strbuf_release(&sql);
    return rc;
}

/* ---- lock -------------------------------------------------------------------- */

int db_lock_acquire(db_conn *c, const char *name, int timeout_ms)
{
    db_clear_error(c);
    if (!name || !*name)
        return db_fail(c, "db_lock_acquire: no lock name");
    int64_t start = db_now_ms();
    for (;;) {
        bool got = false;
        int rc = c->d == DIALECT_PG ? dbpg_lock_try(c, name, &got) : dbsq_lock_try(c, name, &got);
        if (rc)
            return -1;
        if (got)
            return 0;
        int64_t waited = db_now_ms() - start;
        if (timeout_ms >= 0 && waited >= timeout_ms) {
            db_fail(c, "another dbsage process holds the migration lock on %s; waited %" PRId64
                       " ms",
                    c->spec_masked, waited);
            return 1;
        }
        int64_t nap = 50;
        if (timeout_ms >= 0 && timeout_ms - waited < nap)
            nap = timeout_ms - waited;
        db_sleep_ms((int)nap);
    }
}

int db_lock_release(db_conn *c, const char *name)
{
    db_clear_error(c);
    if (!name || !*name)
        return db_fail(c, "db_lock_release: no lock name");
    return c->d == DIALECT_PG ? dbpg_lock_release(c, name) : dbsq_lock_release(c);
}

/* ---- script errors ------------------------------------------------------------ */

void db_script_error(db_conn *c, diag_list *diags, const char *file, const char *text, size_t len,
                     unsigned first_line, size_t stmt_off, size_t stmt_len, long err_off,
                     const char *detail, const char *hint)
{
    if (!diags)
        return;
    line_index li;
    line_index_build(&li, diags->mem, file, text, len);
    src_loc at_stmt = line_index_loc(&li, stmt_off);
    src_loc at = err_off >= 0 && (size_t)err_off <= len ? line_index_loc(&li, (size_t)err_off)
                                                         : at_stmt;
    at_stmt.line += first_line - 1;
    at.line += first_line - 1;
    diag_error(diags, at, "%s", db_last_error(c));
    if (detail && *detail)
        diag_note(diags, at, "detail: %s", detail);
    if (hint && *hint)
        diag_note(diags, at, "hint: %s", hint);
    diag_note(diags, at_stmt, "in statement: %s", db_first_line(diags->mem, text + stmt_off, stmt_len));
}
