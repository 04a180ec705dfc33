/*
 * copy_run.c — the copy engine's loader: runs copy_jobs in order, each as
 * keyset chunks (`WHERE key > $last ORDER BY key LIMIT $batch`) read from
 * the source and written to the target (PostgreSQL: COPY FROM STDIN;
 * SQLite: a prepared INSERT with typed bindings), every chunk committed
 * together with its row in dbsage_copy_progress so a SIGKILL loses at most
 * the chunk in flight; done tables are skipped on re-runs, --restart empties
 * the targets first.  After a table: sequences / identity reset to max.
 * Memory is constant: one chunk of source rows at a time (PG results are
 * fetched whole, so the LIMIT is the bound), a row arena reset per chunk.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "data/copy_int.h"
#include "emit/emit.h"

typedef struct runner {
    db_conn *src, *dst;
    const copy_opts *opts;
    const char *run_name;
    int batch;
    arena *mem;
    diag_list *diags;
    src_loc loc;     /* the target (masked) */
} runner;

static int fail(runner *r, db_conn *c, const char *what)
{
    diag_add_rule(r->diags, DIAG_ERROR, r->loc, "copy-failed", "%s: %s", what, db_last_error(c));
    return -1;
}

static void quoted_table(strbuf *sb, dialect d, const char *schema, const char *table)
{
    if (schema && *schema) {
        sql_quote_ident(sb, d, schema);
        strbuf_addch(sb, '.');
    }
    sql_quote_ident(sb, d, table);
}

/* ---- progress table ------------------------------------------------------------ */

static int progress_ensure(db_conn *dst)
{
    if (db_dialect(dst) == DIALECT_PG)
        return db_exec(dst, "CREATE TABLE IF NOT EXISTS " COPY_PROGRESS_TABLE " (job text NOT NULL, "
                            "table_name text NOT NULL, chunk bigint NOT NULL, last_key text, "
                            "rows bigint NOT NULL, done boolean NOT NULL, PRIMARY KEY (job, table_name))");
    return db_exec(dst, "CREATE TABLE IF NOT EXISTS " COPY_PROGRESS_TABLE " (job TEXT NOT NULL, "
                        "table_name TEXT NOT NULL, chunk INTEGER NOT NULL, last_key TEXT, "
                        "rows INTEGER NOT NULL, done INTEGER NOT NULL, PRIMARY KEY (job, table_name))");
}

typedef struct progress_row {
    bool found, done;
    int64_t chunk, rows;
    const char *last_key;
} progress_row;

static int progress_read(runner *r, const char *table_name, progress_row *p)
{
    memset(p, 0, sizeof *p);
    db_stmt *st = db_prepare(r->dst,
                             "SELECT chunk, last_key, rows, done FROM " COPY_PROGRESS_TABLE
                             " WHERE job = $1 AND table_name = $2",
                             2);
    if (!st)
        return fail(r, r->dst, "reading " COPY_PROGRESS_TABLE);
    db_bind_text(st, 1, r->run_name, strlen(r->run_name));
    db_bind_text(st, 2, table_name, strlen(table_name));
    int rc = db_step(st);
    if (rc == 1) {
        p->found = true;
        p->chunk = db_column_int64(st, 0);
        if (!db_column_is_null(st, 1))
            p->last_key = arena_strdup(r->mem, db_column_text(st, 1, NULL));
        p->rows = db_column_int64(st, 2);
        p->done = db_column_int64(st, 3) != 0;
    }
    if (rc < 0) {
        fail(r, r->dst, "reading " COPY_PROGRESS_TABLE);
        db_finalize(st);
        return -1;
    }
    db_finalize(st);
    return 0;
}

static int progress_write(runner *r, const char *table_name, int64_t chunk, const char *last_key, size_t klen,
                          int64_t rows, bool done)
{
    db_stmt *st = db_prepare(r->dst,
                             "INSERT INTO " COPY_PROGRESS_TABLE
                             " (job, table_name, chunk, last_key, rows, done) VALUES ($1, $2, $3, $4, $5, $6)"
                             " ON CONFLICT (job, table_name) DO UPDATE SET chunk = excluded.chunk,"
                             " last_key = excluded.last_key, rows = excluded.rows, done = excluded.done",
                             6);
    if (!st)
        return fail(r, r->dst, "writing " COPY_PROGRESS_TABLE);
    db_bind_text(st, 1, r->run_name, strlen(r->run_name));
    db_bind_text(st, 2, table_name, strlen(table_name));
    db_bind_int64(st, 3, chunk);
    if (last_key)
        db_bind_text(st, 4, last_key, klen);
    else
        db_bind_null(st, 4);
    db_bind_int64(st, 5, rows);
    if (db_dialect(r->dst) == DIALECT_PG)
        db_bind_text(st, 6, done ? "true" : "false", done ? 4 : 5);
    else
        db_bind_int64(st, 6, done);
    int rc = db_step(st);
    db_finalize(st);
    return rc < 0 ? fail(r, r->dst, "writing " COPY_PROGRESS_TABLE) : 0;
}

int copy_progress_clear(db_conn *dst, const char *run_name, const char *table_name, diag_list *diags)
{
    src_loc loc = {db_spec_masked(dst), 0, 0};
    bool exists = false;
    if (db_table_exists(dst, NULL, COPY_PROGRESS_TABLE, &exists) < 0 || !exists)
        return 0;
    db_stmt *st = db_prepare(dst,
                             table_name ? "DELETE FROM " COPY_PROGRESS_TABLE " WHERE job = $1 AND table_name = $2"
                                        : "DELETE FROM " COPY_PROGRESS_TABLE " WHERE job = $1",
                             table_name ? 2 : 1);
    if (!st) {
        diag_error(diags, loc, "clearing " COPY_PROGRESS_TABLE ": %s", db_last_error(dst));
        return -1;
    }
    db_bind_text(st, 1, run_name, strlen(run_name));
    if (table_name)
        db_bind_text(st, 2, table_name, strlen(table_name));
    int rc = db_step(st);
    db_finalize(st);
    if (rc < 0) {
        diag_error(diags, loc, "clearing " COPY_PROGRESS_TABLE ": %s", db_last_error(dst));
        return -1;
    }
    return 0;
}

/* ---- sequences ------------------------------------------------------------------- */

static int reset_pg_column(db_conn *dst, const char *seq, const char *schema, const char *table,
                           const char *column)
{
    strbuf sql = STRBUF_INIT;
    strbuf_adds(&sql, "SELECT setval($1::regclass, COALESCE(max(");
    sql_quote_ident(&sql, DIALECT_PG, column);
    strbuf_adds(&sql, "), 1), max(");
    sql_quote_ident(&sql, DIALECT_PG, column);
    strbuf_adds(&sql, ") IS NOT NULL) FROM ");
    quoted_table(&sql, DIALECT_PG, schema ? schema : "public", table);
    db_stmt *st = db_prepare(dst, strbuf_str(&sql), 1);
    strbuf_release(&sql);
    if (!st)
        return -1;
    db_bind_text(st, 1, seq, strlen(seq));
    int rc = db_step(st);
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

int copy_reset_serial(db_conn *dst, const char *schema, const char *table, const char *column,
                      diag_list *diags)
{
    src_loc loc = {db_spec_masked(dst), 0, 0};
    /* SQLite: an INTEGER PRIMARY KEY takes max(rowid)+1 by itself, and explicit
     * ids inserted into an AUTOINCREMENT table raise sqlite_sequence: nothing to do */
    if (db_dialect(dst) != DIALECT_PG)
        return 0;
    db_stmt *st = db_prepare(dst,
                             "SELECT a.attname::text, pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), "
                             "a.attname) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                             "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND "
                             "c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped AND ($3::text IS NULL "
                             "OR a.attname = $3::text) ORDER BY a.attnum",
                             3);
    if (!st)
        goto err;
    const char *sch = schema ? schema : "public";
    db_bind_text(st, 1, sch, strlen(sch));
    db_bind_text(st, 2, table, strlen(table));
    if (column)
        db_bind_text(st, 3, column, strlen(column));
    else
        db_bind_null(st, 3);
    arena tmp;
    arena_init(&tmp);
    VEC(const char *) cols = {0};
    VEC(const char *) seqs = {0};
    int rc;
    while ((rc = db_step(st)) == 1) {
        if (db_column_is_null(st, 1))
            continue;
        VEC_PUSH(&tmp, cols, arena_strdup(&tmp, db_column_text(st, 0, NULL)));
        VEC_PUSH(&tmp, seqs, arena_strdup(&tmp, db_column_text(st, 1, NULL)));
    }
    db_finalize(st);
    for (size_t i = 0; rc == 0 && i < cols.n; i++)
        if (reset_pg_column(dst, seqs.v[i], sch, table, cols.v[i]) < 0)
            rc = -1;
    arena_free(&tmp);
    if (rc < 0)
        goto err;
    return 0;
err:
    diag_add_rule(diags, DIAG_ERROR, loc, "copy-failed", "resetting the sequences of %s: %s", table,
                  db_last_error(dst));
    return -1;
}

/* ---- one job ------------------------------------------------------------------------ */

static const char *job_name(runner *r, const copy_job *j)
{
    if (j->name)
        return j->name;
    if (j->dst_schema)
        return arena_printf(r->mem, "%s.%s", j->dst_schema, j->dst_table);
    return j->dst_table;
}

static char *chunk_sql(const copy_job *j, dialect sd, bool with_key)
{
    strbuf sql = STRBUF_INIT;
    const char *key_ref = NULL;
    strbuf key = STRBUF_INIT;
    if (j->select_sql) {
        strbuf_adds(&sql, "SELECT * FROM (");
        strbuf_adds(&sql, j->select_sql);
        strbuf_adds(&sql, ") AS q");
        if (j->key_column) {
            strbuf_adds(&key, "q.");
            sql_quote_ident(&key, sd, j->key_column);
            key_ref = strbuf_str(&key);
        }
    } else {
        strbuf_adds(&sql, "SELECT * FROM ");
        quoted_table(&sql, sd, j->src_schema, j->src_table);
        if (j->key_column) {
            sql_quote_ident(&key, sd, j->key_column);
            key_ref = strbuf_str(&key);
        }
    }
    if (key_ref) {
        if (with_key)
            strbuf_addf(&sql, " WHERE %s > $%d", key_ref, j->nparams + 1);
        strbuf_addf(&sql, " ORDER BY %s LIMIT $%d", key_ref, j->nparams + (with_key ? 2 : 1));
    }
    strbuf_release(&key);
    return strbuf_detach(&sql);
}

static int bind_params(db_stmt *st, const copy_job *j)
{
    for (int i = 0; i < j->nparams; i++)
        if (copy_value_bind(st, i + 1, &j->params[i]) < 0)
            return -1;
    return 0;
}

static bool target_tz(const copy_column *c)
{
    return c->target_type && (strstr(c->target_type, "with time zone") || strstr(c->target_type, "timestamptz"));
}

static int empty_target(runner *r, const copy_job *j)
{
    strbuf sql = STRBUF_INIT;
    strbuf_adds(&sql, "DELETE FROM ");
    quoted_table(&sql, db_dialect(r->dst), j->dst_schema, j->dst_table);
    int rc = db_exec(r->dst, strbuf_str(&sql));
    strbuf_release(&sql);
    return rc < 0 ? fail(r, r->dst, arena_printf(r->mem, "emptying %s", j->dst_table)) : 0;
}

typedef struct job_state {
    const copy_job *j;
    const char *name;
    db_stmt *q0, *q1;         /* first chunk (no key), later chunks */
    db_stmt *ins;             /* SQLite target */
    db_stmt *fetch;           /* PG source without a key: FETCH from the cursor q0 declares */
    const char **colnames;
    bool *want_blob;          /* per source column (PG source) */
    strbuf *blobbuf;          /* per source column: decoded bytea */
    int nwant;
    copy_value *src, *vals;
    int nsrc_cap;
    strbuf *txt;              /* per target column */
    const char **ptrs;
    size_t *lens;
    bool *tz;
    strbuf tmp, last_key;
} job_state;

static int write_row(runner *r, job_state *js, db_copy *cp)
{
    const copy_job *j = js->j;
    if (cp) {
        for (int k = 0; k < j->ncols; k++) {
            bool nn = copy_value_pg_text(&js->vals[k], j->cols[k].conv, js->tz[k], &js->txt[k]);
            js->ptrs[k] = nn ? strbuf_str(&js->txt[k]) : NULL;
            js->lens[k] = js->txt[k].len;
        }
        if (db_copy_row(cp, js->ptrs, js->lens) < 0)
            return fail(r, r->dst, arena_printf(r->mem, "copying into %s", js->name));
        return 0;
    }
    for (int k = 0; k < j->ncols; k++)
        if (copy_value_sqlite_bind(js->ins, k + 1, &js->vals[k], j->cols[k].conv, &js->tmp) < 0)
            return fail(r, r->dst, arena_printf(r->mem, "binding a value of %s", js->name));
    if (db_step(js->ins) < 0 || db_reset(js->ins) < 0)
        return fail(r, r->dst, arena_printf(r->mem, "inserting into %s", js->name));
    return 0;
}

/* read every row of q, rewrite and write it; *n counts rows read */
static int pump(runner *r, job_state *js, db_stmt *q, db_copy *cp, arena *row_mem, int64_t *n, bool *have_key)
{
    const copy_job *j = js->j;
    int rc;
    while ((rc = db_step(q)) == 1) {
        int nsrc = db_column_count(q);
        if (nsrc > js->nsrc_cap) {
            js->src = realloc(js->src, sizeof *js->src * (size_t)nsrc);
            if (!js->src)
                abort();
            js->nsrc_cap = nsrc;
        }
        for (int c = 0; c < nsrc; c++)
            copy_value_read(q, c, c < js->nwant && js->want_blob[c], c < js->nwant ? &js->blobbuf[c] : NULL,
                            &js->src[c]);
        for (int k = 0; k < j->ncols; k++) {
            int si = j->cols[k].src_index;
            if (si >= 0 && si < nsrc)
                js->vals[k] = js->src[si];
            else
                memset(&js->vals[k], 0, sizeof js->vals[k]);
        }
        if (j->key_column && j->key_index >= 0 && j->key_index < nsrc) {
            strbuf_reset(&js->last_key);
            *have_key = copy_value_pg_text(&js->src[j->key_index], CONV_NONE, false, &js->last_key);
        }
        (*n)++;
        if (j->row_hook) {
            int h = j->row_hook(j->hook_ctx, j, js->src, nsrc, js->vals, row_mem, r->diags);
            if (h < 0)
                return -1;
            if (h > 0)
                continue;
        }
        if (write_row(r, js, cp) < 0)
            return -1;
    }
    if (rc < 0)
        return fail(r, r->src, arena_printf(r->mem, "reading the source of %s", js->name));
    return 0;
}

/* one chunk in one target transaction; *n_out rows read */
static int run_chunk(runner *r, job_state *js, progress_row *p, int64_t *n_out)
{
    const copy_job *j = js->j;
    bool with_key = j->key_column && p->last_key;
    db_stmt *q = with_key ? js->q1 : js->q0;
    int pi = j->nparams + 1;
    if (bind_params(q, j) < 0)
        return fail(r, r->src, arena_printf(r->mem, "binding the parameters of %s", js->name));
    if (with_key) {
        if (j->key_is_int)
            db_bind_int64(q, pi++, strtoll(p->last_key, NULL, 10));
        else
            db_bind_text(q, pi++, p->last_key, strlen(p->last_key));
    }
    if (j->key_column)
        db_bind_int64(q, pi, r->batch);
    db_reset(q);
    if (db_begin(r->dst) < 0)
        return fail(r, r->dst, "BEGIN");
    db_copy *cp = NULL;
    if (db_dialect(r->dst) == DIALECT_PG) {
        cp = db_copy_begin(r->dst, j->dst_schema, j->dst_table, js->colnames, j->ncols);
        if (!cp) {
            fail(r, r->dst, arena_printf(r->mem, "starting COPY into %s", js->name));
            db_rollback(r->dst);
            return -1;
        }
    }
    arena row_mem;
    arena_init(&row_mem);
    int64_t n = 0;
    int err = 0;
    bool have_key = false;
    if (!js->fetch)
        err = pump(r, js, q, cp, &row_mem, &n, &have_key);
    else {
        /* PG source without a key: a cursor, FETCH batch by batch, so the driver
         * never holds the whole table */
        if (db_begin(r->src) < 0 || db_step(q) < 0)
            err = fail(r, r->src, arena_printf(r->mem, "opening a cursor for %s", js->name));
        for (int64_t before = -1; !err && before != n;) {
            before = n;
            db_reset(js->fetch);
            err = pump(r, js, js->fetch, cp, &row_mem, &n, &have_key);
        }
        if (!err && db_exec(r->src, "CLOSE dbsage_copy_cur") < 0)
            err = fail(r, r->src, "CLOSE cursor");
        if (err)
            db_rollback(r->src);
        else if (db_commit(r->src) < 0)
            err = fail(r, r->src, "COMMIT (source)");
    }
    arena_free(&row_mem);
    if (cp && db_copy_end(cp) < 0 && !err) {
        fail(r, r->dst, arena_printf(r->mem, "copying into %s", js->name));
        err = -1;
    }
    if (err) {
        db_rollback(r->dst);
        return -1;
    }
    bool done = !j->key_column || n < r->batch;
    int64_t rows = p->rows + n;
    const char *key = have_key ? strbuf_str(&js->last_key) : p->last_key;
    size_t klen = have_key ? js->last_key.len : key ? strlen(key) : 0;
    if (progress_write(r, js->name, p->chunk + 1, key, klen, rows, done) < 0 || db_commit(r->dst) < 0) {
        fail(r, r->dst, "COMMIT");
        db_rollback(r->dst);
        return -1;
    }
    p->chunk++;
    p->rows = rows;
    if (key)
        p->last_key = arena_strndup(r->mem, key, klen);
    p->done = done;
    *n_out = n;
    return 0;
}

static void job_state_free(job_state *js)
{
    if (js->q0)
        db_finalize(js->q0);
    if (js->q1)
        db_finalize(js->q1);
    if (js->ins)
        db_finalize(js->ins);
    if (js->fetch)
        db_finalize(js->fetch);
    if (js->txt)
        for (int k = 0; k < js->j->ncols; k++)
            strbuf_release(&js->txt[k]);
    free(js->txt);
    free(js->src);
    free(js->vals);
    free(js->ptrs);
    free(js->lens);
    free(js->tz);
    free(js->colnames);
    free(js->want_blob);
    for (int c = 0; js->blobbuf && c < js->nwant; c++)
        strbuf_release(&js->blobbuf[c]);
    free(js->blobbuf);
    strbuf_release(&js->tmp);
    strbuf_release(&js->last_key);
}

static int job_prepare(runner *r, job_state *js)
{
    const copy_job *j = js->j;
    dialect sd = db_dialect(r->src), dd = db_dialect(r->dst);
    size_t nc = (size_t)(j->ncols > 0 ? j->ncols : 1);
    js->txt = calloc(nc, sizeof *js->txt);
    js->vals = calloc(nc, sizeof *js->vals);
    js->ptrs = calloc(nc, sizeof *js->ptrs);
    js->lens = calloc(nc, sizeof *js->lens);
    js->tz = calloc(nc, sizeof *js->tz);
    js->colnames = calloc(nc, sizeof *js->colnames);
    if (!js->txt || !js->vals || !js->ptrs || !js->lens || !js->tz || !js->colnames)
        abort();
    int maxsrc = 0;
    for (int k = 0; k < j->ncols; k++) {
        js->colnames[k] = j->cols[k].name;
        js->tz[k] = target_tz(&j->cols[k]);
        if (j->cols[k].src_index + 1 > maxsrc)
            maxsrc = j->cols[k].src_index + 1;
    }
    js->nwant = maxsrc;
    js->want_blob = calloc((size_t)(maxsrc > 0 ? maxsrc : 1), sizeof *js->want_blob);
    js->blobbuf = calloc((size_t)(maxsrc > 0 ? maxsrc : 1), sizeof *js->blobbuf);
    if (!js->want_blob || !js->blobbuf)
        abort();
    for (int k = 0; k < j->ncols; k++)
        if (j->cols[k].src_index >= 0 && j->cols[k].conv == CONV_BLOB && sd == DIALECT_PG)
            js->want_blob[j->cols[k].src_index] = true;
    int extra = j->key_column ? 1 : 0;
    char *sql0 = chunk_sql(j, sd, false);
    if (sd == DIALECT_PG && !j->key_column) {
        char *decl = arena_printf(r->mem, "DECLARE dbsage_copy_cur NO SCROLL CURSOR FOR %s", sql0);
        js->q0 = db_prepare(r->src, decl, j->nparams);
        js->fetch = db_prepare(r->src, arena_printf(r->mem, "FETCH %d FROM dbsage_copy_cur", r->batch), 0);
        if (!js->fetch)
            return fail(r, r->src, arena_printf(r->mem, "preparing the cursor of %s", js->name));
    } else
        js->q0 = db_prepare(r->src, sql0, j->nparams + extra);
    free(sql0);
    if (!js->q0)
        return fail(r, r->src, arena_printf(r->mem, "preparing the source query of %s", js->name));
    if (j->key_column) {
        char *sql1 = chunk_sql(j, sd, true);
        js->q1 = db_prepare(r->src, sql1, j->nparams + 2);
        free(sql1);
        if (!js->q1)
            return fail(r, r->src, arena_printf(r->mem, "preparing the source query of %s", js->name));
    }
    if (dd == DIALECT_SQLITE) {
        strbuf sql = STRBUF_INIT;
        strbuf_adds(&sql, "INSERT INTO ");
        quoted_table(&sql, dd, j->dst_schema, j->dst_table);
        strbuf_adds(&sql, " (");
        for (int k = 0; k < j->ncols; k++) {
            if (k)
                strbuf_adds(&sql, ", ");
            sql_quote_ident(&sql, dd, j->cols[k].name);
        }
        strbuf_adds(&sql, ") VALUES (");
        for (int k = 0; k < j->ncols; k++)
            strbuf_addf(&sql, "%s$%d", k ? ", " : "", k + 1);
        strbuf_adds(&sql, ")");
        js->ins = db_prepare(r->dst, strbuf_str(&sql), j->ncols);
        strbuf_release(&sql);
        if (!js->ins)
            return fail(r, r->dst, arena_printf(r->mem, "preparing the INSERT into %s", js->name));
    }
    return 0;
}

static int run_job(runner *r, const copy_job *j, copy_table_result *res)
{
    job_state js;
    memset(&js, 0, sizeof js);
    js.j = j;
    js.name = job_name(r, j);
    res->name = js.name;
    if (j->ncols <= 0) {
        diag_add_rule(r->diags, DIAG_ERROR, r->loc, "copy-failed", "%s: no columns to copy", js.name);
        return -1;
    }
    progress_row p;
    if (progress_read(r, js.name, &p) < 0)
        return -1;
    if (p.found && p.done) {
        res->skipped_done = true;
        res->rows_total = p.rows;
        return 0;
    }
    if (p.found && (!j->key_column || !p.last_key)) {
        if (empty_target(r, j) < 0)
            return -1;
        memset(&p, 0, sizeof p);
    }
    res->resumed = p.found && p.last_key;
    int rc = job_prepare(r, &js);
    while (rc == 0 && !p.done) {
        int64_t n = 0;
        rc = run_chunk(r, &js, &p, &n);
        if (rc == 0) {
            res->rows += n;
            res->chunks++;
            if (r->opts->progress)
                r->opts->progress(r->opts->progress_ctx, j, p.rows, p.done);
        }
    }
    res->rows_total = p.rows;
    job_state_free(&js);
    if (rc < 0)
        return -1;
    return copy_reset_serial(r->dst, j->dst_schema, j->dst_table, j->serial_column, r->diags);
}

int copy_run(db_conn *src, db_conn *dst, const copy_job *jobs, size_t njobs, const copy_opts *opts,
             arena *mem, copy_result *out, diag_list *diags)
{
    copy_opts defaults;
    memset(&defaults, 0, sizeof defaults);
    if (!opts)
        opts = &defaults;
    runner r = {src, dst, opts, opts->run_name ? opts->run_name : "copy", opts->batch > 0 ? opts->batch : 10000,
                mem, diags, {db_spec_masked(dst), 0, 0}};
    memset(out, 0, sizeof *out);
    if (opts->dry_run || opts->schema_only)
        return 0;
    if (progress_ensure(dst) < 0)
        return fail(&r, dst, "creating " COPY_PROGRESS_TABLE);
    bool sqlite_fk = db_dialect(dst) == DIALECT_SQLITE;
    if (sqlite_fk && db_exec(dst, "PRAGMA foreign_keys = OFF") < 0)
        return fail(&r, dst, "PRAGMA foreign_keys = OFF");
    int rc = 0;
    if (opts->restart) {
        /* referencing tables first (jobs come in FK order) */
        if (db_begin(dst) < 0)
            rc = fail(&r, dst, "BEGIN");
        for (size_t i = njobs; rc == 0 && i-- > 0;)
            rc = empty_target(&r, &jobs[i]);
        if (rc == 0 && copy_progress_clear(dst, r.run_name, NULL, diags) < 0)
            rc = -1;
        if (rc == 0 && db_commit(dst) < 0)
            rc = fail(&r, dst, "COMMIT");
        if (rc < 0)
            db_rollback(dst);
    }
    for (size_t i = 0; rc == 0 && i < njobs; i++) {
        copy_table_result res;
        memset(&res, 0, sizeof res);
        rc = run_job(&r, &jobs[i], &res);
        out->rows += res.rows;
        VEC_PUSH(mem, out->tables, res);
    }
    if (sqlite_fk && db_exec(dst, "PRAGMA foreign_keys = ON") < 0 && rc == 0)
        rc = fail(&r, dst, "PRAGMA foreign_keys = ON");
    return rc;
}
