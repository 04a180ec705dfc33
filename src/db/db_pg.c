/*
 * db_pg.c — the PostgreSQL engine of the driver (db.h) over libpq: connect
 * (application_name, client_encoding UTF8, connect_timeout 10 s unless the
 * spec says otherwise, NOTICEs suppressed, SET
 * statement_timeout / lock_timeout), statement-by-statement script execution
 * (one PQexec per statement: a multi-statement string would be one implicit
 * transaction and break CREATE INDEX CONCURRENTLY), error positions mapped
 * back to file:line:col, named prepared statements, and the session-level
 * advisory lock.
 */
#include "db/db_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void notice_ignore(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

db_conn *dbpg_open(db_conn *c, const char *spec, const db_open_opts *opts, diag_list *diags)
{
    src_loc loc = {c->spec_masked, 0, 0};
    const char *keys[7], *vals[7];
    int k = 0;
    /* the spec's own settings override these three (they come before dbname) */
    keys[k] = "fallback_application_name", vals[k++] = "dbsage";
    keys[k] = "client_encoding", vals[k++] = "UTF8";
    keys[k] = "connect_timeout", vals[k++] = "10";
    keys[k] = "dbname", vals[k++] = spec;
    if (opts->application_name && *opts->application_name)
        keys[k] = "application_name", vals[k++] = opts->application_name;
    keys[k] = NULL, vals[k] = NULL;
    c->pg = PQconnectdbParams(keys, vals, 1);
    if (!c->pg || PQstatus(c->pg) != CONNECTION_OK) {
        if (diags) {
            const char *m = c->pg ? PQerrorMessage(c->pg) : "out of memory";
            size_t n = strlen(m);
            while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
                n--;
            diag_error(diags, loc, "cannot connect to %s: %.*s", c->spec_masked, (int)n, m);
        }
        PQfinish(c->pg);
        c->pg = NULL;
        return NULL;
    }
    PQsetNoticeProcessor(c->pg, notice_ignore, NULL);
    const char *enc = PQparameterStatus(c->pg, "server_encoding");
    c->pg_bytes_positions = enc && !strcmp(enc, "SQL_ASCII");
    char sql[96];
    if (c->statement_timeout_ms > 0) {
        snprintf(sql, sizeof sql, "SET statement_timeout = %d", c->statement_timeout_ms);
        if (dbpg_exec_one(c, sql))
            goto fail;
    }
    if (c->lock_timeout_ms > 0) {
        snprintf(sql, sizeof sql, "SET lock_timeout = %d", c->lock_timeout_ms);
        if (dbpg_exec_one(c, sql))
            goto fail;
    }
    return c;
fail:
    if (diags)
        diag_error(diags, loc, "%s: %s", c->spec_masked, c->err);
    PQfinish(c->pg);
    c->pg = NULL;
    return NULL;
}

void dbpg_close(db_conn *c)
{
    strbuf_release(&c->pg_dealloc);
    PQfinish(c->pg);
    c->pg = NULL;
}

int dbpg_fail_result(db_conn *c, PGresult *res)
{
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
    if (!primary || !*primary) {
        primary = res ? PQresultErrorMessage(res) : "";
        if (!*primary)
            primary = PQerrorMessage(c->pg);
        if (!*primary)
            primary = "unexpected result from the server";
    }
    if (detail && *detail)
        return db_fail(c, "%s (%s)", primary, detail);
    return db_fail(c, "%s", primary);
}

/* Execute one statement.  On failure returns -1 with c->err set and, when
 * failed_res is given, the failed result there (caller PQclears). */
static int exec_stmt(db_conn *c, const char *sql, PGresult **failed_res)
{
    if (failed_res)
        *failed_res = NULL;
    PGresult *res = PQexec(c->pg, sql);
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_COPY_IN) {
        /* a script may not feed COPY data: end it, collect the error */
        PQclear(res);
        PQputCopyEnd(c->pg, "COPY FROM STDIN is not supported here (use dbsage import)");
        res = NULL;
        PGresult *r;
        while ((r = PQgetResult(c->pg))) {
            PQclear(res);
            res = r;
        }
        st = PQresultStatus(res);
    } else if (st == PGRES_COPY_OUT) {
        PQclear(res);
        char *buf;
        while (PQgetCopyData(c->pg, &buf, 0) > 0)
            PQfreemem(buf);
        res = NULL;
        PGresult *r;
        while ((r = PQgetResult(c->pg))) {
            PQclear(res);
            res = r;
        }
        st = PQresultStatus(res);
    }
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) {
        PQclear(res);
        return 0;
    }
    dbpg_fail_result(c, res);
    if (failed_res)
        *failed_res = res;
    else
        PQclear(res);
    return -1;
}

int dbpg_exec_one(db_conn *c, const char *sql)
{
    return exec_stmt(c, sql, NULL);
}

/* does the text hold a ';' before its trailing blanks (several statements)? */
static bool several_statements(const char *sql)
{
    const char *semi = strchr(sql, ';');
    if (!semi)
        return false;
    size_t rest = strlen(semi + 1);
    return db_skip_blank(semi + 1, rest, 0, true) < rest;
}

int dbpg_exec(db_conn *c, const char *sql)
{
    if (!several_statements(sql))
        return exec_stmt(c, sql, NULL);
    arena tmp;
    arena_init(&tmp);
    db_stmt_span *spans;
    size_t len = strlen(sql);
    int n = db_split_script(DIALECT_PG, &tmp, sql, len, &spans);
    int rc = 0;
    if (n < 0) {
        rc = exec_stmt(c, sql, NULL);  /* let the server report the syntax error */
    } else {
        for (int i = 0; i < n && !rc; i++) {
            char *one = arena_strndup(&tmp, sql + spans[i].offset, spans[i].len);
            rc = exec_stmt(c, one, NULL);
        }
    }
    arena_free(&tmp);
    return rc;
}

/* byte offset of the 1-based character position `pos` in s */
static size_t char_pos_to_byte(const char *s, size_t len, long pos, bool bytes)
{
    if (pos <= 1)
        return 0;
    if (bytes)
        return (size_t)(pos - 1) < len ? (size_t)(pos - 1) : len;
    long chars = 0;
    for (size_t i = 0; i < len; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            chars++;
            if (chars == pos)
                return i;
        }
    }
    return len;
}

int dbpg_exec_script(db_conn *c, const char *file, const char *text, size_t len,
                     unsigned first_line, diag_list *diags)
{
    arena tmp;
    arena_init(&tmp);
    char *copy = arena_strndup(&tmp, text, len);
    db_stmt_span *spans;
    int cursor = 0;
    const char *msg = NULL;
    int n = db_split_pg(&tmp, copy, len, &spans, &cursor, &msg);
    int rc = 0;
    if (n < 0) {
        db_fail(c, "%s", msg ? msg : "cannot split the script");
        size_t off = char_pos_to_byte(copy, len, cursor, c->pg_bytes_positions);
        size_t so = db_skip_blank(copy, len, 0, true);
        db_script_error(c, diags, file, copy, len, first_line, so, len - so, (long)off, NULL,
                        NULL);
        arena_free(&tmp);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        const db_stmt_span *sp = &spans[i];
        char *one = arena_strndup(&tmp, copy + sp->offset, sp->len);
        PGresult *res = NULL;
        if (exec_stmt(c, one, &res) == 0)
            continue;
        const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
        if (primary && *primary)
            db_fail(c, "%s", primary);
        const char *pos = res ? PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION) : NULL;
        long err_off = -1;
        if (pos && *pos)
            err_off = (long)(sp->offset + char_pos_to_byte(one, sp->len, strtol(pos, NULL, 10),
                                                           c->pg_bytes_positions));
        db_script_error(c, diags, file, copy, len, first_line, sp->offset, sp->len, err_off,
                        res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL,
                        res ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT) : NULL);
        PQclear(res);
        rc = -1;
        break;
    }
    arena_free(&tmp);
    return rc;
}

/* Prepared statements finalized inside a failed transaction could not be
 * deallocated then (every command but ROLLBACK is refused): do it now. */
static void flush_deallocations(db_conn *c)
{
    if (c->pg_dealloc.len == 0 || PQtransactionStatus(c->pg) == PQTRANS_INERROR)
        return;
    PQclear(PQexec(c->pg, strbuf_str(&c->pg_dealloc)));
    strbuf_reset(&c->pg_dealloc);
}

void dbpg_finalize(db_stmt *s)
{
    db_conn *c = s->c;
    PQclear(s->res);
    if (s->blob)
        PQfreemem(s->blob);
    if (s->name && PQstatus(c->pg) == CONNECTION_OK) {
        if (PQtransactionStatus(c->pg) == PQTRANS_INERROR) {
            strbuf_addf(&c->pg_dealloc, "DEALLOCATE %s;", s->name);
        } else {
            char sql[64];
            snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
            PQclear(PQexec(c->pg, sql));
        }
    }
    for (int i = 0; i < s->nparams; i++)
        free(s->vals[i]);
    free(s->vals);
    free(s->lens);
    free(s->fmts);
    free(s->name);
    free(s->sql);
}

/* The server sees the statement at its first execution: PQexecParams (the
 * unnamed statement, one round trip).  A statement run again is prepared
 * under a name then (PQprepare) and executed with PQexecPrepared. */
db_stmt *dbpg_prepare(db_conn *c, const char *sql, int nparams)
{
    flush_deallocations(c);
    db_stmt *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->c = c;
    s->nparams = nparams;
    s->row = -1;
    s->sql = strdup(sql);
    size_t n = nparams > 0 ? (size_t)nparams : 1;
    s->vals = calloc(n, sizeof(char *));
    s->lens = calloc(n, sizeof(int));
    s->fmts = calloc(n, sizeof(int));
    if (!s->sql || !s->vals || !s->lens || !s->fmts)
        abort();
    return s;
}

static PGresult *execute(db_stmt *s)
{
    db_conn *c = s->c;
    const char *const *vals = (const char *const *)s->vals;
    if (s->runs++ == 0)
        return PQexecParams(c->pg, s->sql, s->nparams, NULL, vals, s->lens, s->fmts, 0);
    if (!s->name) {
        char name[48];
        snprintf(name, sizeof name, "dbsage_s%lu", ++c->pg_stmt_seq);
        PGresult *res = PQprepare(c->pg, name, s->sql, s->nparams, NULL);
        if (PQresultStatus(res) != PGRES_COMMAND_OK)
            return res;
        PQclear(res);
        s->name = strdup(name);
        if (!s->name)
            abort();
    }
    return PQexecPrepared(c->pg, s->name, s->nparams, vals, s->lens, s->fmts, 0);
}

int dbpg_step(db_stmt *s)
{
    db_conn *c = s->c;
    if (!s->executed) {
        s->executed = true;
        s->res = execute(s);
        ExecStatusType st = PQresultStatus(s->res);
        if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
            s->done = true;
            dbpg_fail_result(c, s->res);
            PQclear(s->res);
            s->res = NULL;
            return -1;
        }
        s->nrows = st == PGRES_TUPLES_OK ? PQntuples(s->res) : 0;
        s->row = -1;
        s->changes = strtoll(PQcmdTuples(s->res), NULL, 10);
    }
    s->row++;
    if (s->row < s->nrows)
        return 1;
    s->done = true;
    return 0;
}

/* ---- lock ----------------------------------------------------------------------- */

static int lock_query(db_conn *c, const char *sql, const char *name, bool *result)
{
    const char *vals[1] = {name};
    PGresult *res = PQexecParams(c->pg, sql, 1, NULL, vals, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
        dbpg_fail_result(c, res);
        PQclear(res);
        return -1;
    }
    *result = !strcmp(PQgetvalue(res, 0, 0), "t");
    PQclear(res);
    return 0;
}

int dbpg_lock_try(db_conn *c, const char *name, bool *got)
{
    /* session level: survives COMMIT/ROLLBACK, released on disconnect */
    return lock_query(c, "SELECT pg_catalog.pg_try_advisory_lock(pg_catalog.hashtext($1))", name,
                      got);
}

int dbpg_lock_release(db_conn *c, const char *name)
{
    bool released = false;
    if (lock_query(c, "SELECT pg_catalog.pg_advisory_unlock(pg_catalog.hashtext($1))", name,
                   &released))
        return -1;
    if (!released)
        return db_fail(c, "the lock \"%s\" is not held by this connection", name);
    return 0;
}
