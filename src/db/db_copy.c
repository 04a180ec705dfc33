/*
 * db_copy.c — bulk load (db_copy_*): PostgreSQL `COPY ... FROM STDIN` in
 * text format, rows escaped here (\\, tab, newline, CR; NULL as \N) and sent
 * in 64 KiB chunks; SQLite a prepared INSERT run once per row (the caller
 * batches rows in transactions).  Memory stays constant whatever the row
 * count.
 */
#include "db/db_int.h"

#include <stdlib.h>
#include <string.h>

#include "emit/emit.h"

#define COPY_CHUNK (64 * 1024)

struct db_copy {
    db_conn *c;
    int ncols;
    bool failed;      /* an error already reported: end only cleans up */
    strbuf buf;       /* PG: pending COPY data */
    db_stmt *ins;     /* SQLite: the INSERT */
};

/* schema.table (cols): a given schema is always spelled out, even public /
 * main (the search_path may point elsewhere) */
static void target_sql(strbuf *sql, dialect d, const char *schema, const char *table,
                        const char *const *cols, int ncols)
{
    if (schema && *schema) {
        sql_quote_ident(sql, d, schema);
        strbuf_addch(sql, '.');
    }
    sql_quote_ident(sql, d, table);
    if (ncols > 0 && cols) {
        strbuf_adds(sql, " (");
        for (int i = 0; i < ncols; i++) {
            if (i)
                strbuf_adds(sql, ", ");
            sql_quote_ident(sql, d, cols[i]);
        }
        strbuf_addch(sql, ')');
    }
}

db_copy *db_copy_begin(db_conn *c, const char *schema, const char *table, const char *const *cols,
                       int ncols)
{
    db_clear_error(c);
    if (!table || ncols <= 0 || !cols) {
        db_fail(c, "db_copy_begin: a table and its columns are needed");
        return NULL;
    }
    strbuf sql = STRBUF_INIT;
    db_copy *cp = calloc(1, sizeof *cp);
    if (!cp)
        abort();
    cp->c = c;
    cp->ncols = ncols;
    strbuf_init(&cp->buf);
    if (c->d == DIALECT_PG) {
        strbuf_adds(&sql, "COPY ");
        target_sql(&sql, DIALECT_PG, schema, table, cols, ncols);
        strbuf_adds(&sql, " FROM STDIN");
        PGresult *res = PQexec(c->pg, strbuf_str(&sql));
        if (PQresultStatus(res) != PGRES_COPY_IN) {
            dbpg_fail_result(c, res);
            PQclear(res);
            goto fail;
        }
        PQclear(res);
    } else {
        strbuf_adds(&sql, "INSERT INTO ");
        target_sql(&sql, DIALECT_SQLITE, schema, table, cols, ncols);
        strbuf_adds(&sql, " VALUES (");
        for (int i = 0; i < ncols; i++)
            strbuf_addf(&sql, "%s$%d", i ? ", " : "", i + 1);
        strbuf_addch(&sql, ')');
        cp->ins = db_prepare(c, strbuf_str(&sql), ncols);
        if (!cp->ins)
            goto fail;
    }
    strbuf_release(&sql);
    return cp;
fail:
    strbuf_release(&sql);
    strbuf_release(&cp->buf);
    free(cp);
    return NULL;
}

/* COPY text format: backslash, tab, newline and CR are escaped; a NUL
 * cannot be sent (PostgreSQL text has none). */
static int pg_add_value(db_copy *cp, const char *v, size_t len)
{
    strbuf *b = &cp->buf;
    if (!v) {
        strbuf_add(b, "\\N", 2);
        return 0;
    }
    size_t run = 0;  /* copy unescaped runs in one go */
    for (size_t i = 0; i < len; i++) {
        char ch = v[i];
        const char *esc = NULL;
        switch (ch) {
        case '\\': esc = "\\\\"; break;
        case '\t': esc = "\\t"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\0': return db_fail(cp->c, "COPY: a value contains a NUL byte");
        default: continue;
        }
        strbuf_add(b, v + run, i - run);
        strbuf_add(b, esc, 2);
        run = i + 1;
    }
    strbuf_add(b, v + run, len - run);
    return 0;
}

static int pg_flush(db_copy *cp)
{
    if (cp->buf.len == 0)
        return 0;
    if (PQputCopyData(cp->c->pg, cp->buf.buf, (int)cp->buf.len) != 1) {
        strbuf_reset(&cp->buf);
        return db_fail(cp->c, "COPY: %s", PQerrorMessage(cp->c->pg));
    }
    strbuf_reset(&cp->buf);
    return 0;
}

int db_copy_row(db_copy *cp, const char *const *vals, const size_t *lens)
{
    db_conn *c = cp->c;
    db_clear_error(c);
    if (cp->failed)
        return db_fail(c, "COPY: an earlier row failed");
    if (c->d == DIALECT_PG) {
        size_t mark = cp->buf.len;
        for (int i = 0; i < cp->ncols; i++) {
            if (i)
                strbuf_addch(&cp->buf, '\t');
            const char *v = vals[i];
            if (pg_add_value(cp, v, v ? (lens ? lens[i] : strlen(v)) : 0)) {
                strbuf_setlen(&cp->buf, mark);  /* drop the partial row */
                return -1;
            }
        }
        strbuf_addch(&cp->buf, '\n');
        if (cp->buf.len >= COPY_CHUNK && pg_flush(cp)) {
            cp->failed = true;
            return -1;
        }
        return 0;
    }
    for (int i = 0; i < cp->ncols; i++) {
        const char *v = vals[i];
        int rc = v ? db_bind_text(cp->ins, i + 1, v, lens ? lens[i] : strlen(v))
                   : db_bind_null(cp->ins, i + 1);
        if (rc)
            return -1;
    }
    int rc = db_step(cp->ins);
    db_reset(cp->ins);
    return rc < 0 ? -1 : 0;
}

int db_copy_end(db_copy *cp)
{
    if (!cp)
        return -1;
    db_conn *c = cp->c;
    int rc = 0;
    if (c->d == DIALECT_PG) {
        const char *err = NULL;
        if (!cp->failed && pg_flush(cp))
            err = c->err;
        else if (cp->failed)
            err = c->err;
        PQputCopyEnd(c->pg, err ? "dbsage: COPY aborted" : NULL);
        PGresult *res;
        while ((res = PQgetResult(c->pg))) {
            if (PQresultStatus(res) != PGRES_COMMAND_OK && !err) {
                dbpg_fail_result(c, res);
                err = c->err;
            }
            PQclear(res);
        }
        if (err) {
            c->err = err;
            rc = -1;
        }
    } else {
        db_finalize(cp->ins);
    }
    strbuf_release(&cp->buf);
    free(cp);
    return rc;
}
