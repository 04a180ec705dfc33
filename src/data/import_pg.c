/*
 * import_pg.c — owns: the PostgreSQL batch path of the import engine: the
 * rows of a batch of files are buffered (batch arena), then in one
 * transaction COPYed into temporary staging tables and moved by INSERT ...
 * SELECT ... ON CONFLICT, with the files' dbsage_imports rows; a batch the
 * server refuses is redone file by file through the per-row path
 * (import.c).  docs/import.md describes it.
 */
#include "data/import_engine.h"

#include <string.h>

#include "emit/emit.h"

/* a value as COPY text (NULL: SQL NULL) */
void import_copy_text(arena *bm, const import_value *v, const char **out, size_t *len)
{
    static const char hex[] = "0123456789abcdef";
    switch (v->kind) {
    case IV_NULL:
        *out = NULL;
        *len = 0;
        return;
    case IV_TEXT: /* document memory is freed per document: copy */
        *out = arena_strndup(bm, v->s, v->len);
        *len = v->len;
        return;
    case IV_INT:
        *out = arena_printf(bm, "%lld", (long long)v->i);
        break;
    case IV_REAL:
        *out = arena_printf(bm, "%.17g", v->d);
        break;
    case IV_BLOB: {
        char *h = arena_alloc(bm, 2 * v->len + 3);
        h[0] = '\\';
        h[1] = 'x';
        for (size_t i = 0; i < v->len; i++) {
            h[2 + 2 * i] = hex[(unsigned char)v->s[i] >> 4];
            h[3 + 2 * i] = hex[(unsigned char)v->s[i] & 15];
        }
        *out = h;
        break;
    }
    }
    *len = strlen(*out);
}

/* One row of table plan p at row context ctx: evaluate, cast, bind, step. */
void import_pg_snapshot(engine *e)
{
    e->snap = *e->sstats;
    if (!e->snap_tables)
        e->snap_tables = arena_alloc(e->mem, (e->src->tables.n + 1) * 2 * sizeof(int64_t));
    for (size_t i = 0; i < e->src->tables.n; i++) {
        e->snap_tables[2 * i] = e->plans[i].stats->rows;
        e->snap_tables[2 * i + 1] = e->plans[i].stats->rejected;
    }
}

void import_pg_note(engine *e, const char *rel, const char *abs, const char *sha, bool ok)
{
    bfile b = {arena_strdup(&e->bm, rel), arena_strdup(&e->bm, abs), sha ? arena_strdup(&e->bm, sha) : NULL,
               e->file_rows, e->file_rejected, ok};
    VEC_PUSH(&e->bm, e->bfiles, b);
}

void import_pg_reset(engine *e)
{
    for (size_t i = 0; i < e->src->tables.n; i++) {
        memset(&e->plans[i].rows, 0, sizeof e->plans[i].rows);
        memset(&e->plans[i].lens, 0, sizeof e->plans[i].lens);
    }
    memset(&e->bfiles, 0, sizeof e->bfiles);
    memset(&e->brejects, 0, sizeof e->brejects);
    arena_free(&e->bm);
    arena_init(&e->bm);
    e->files_in_batch = 0;
    e->rows_in_batch = 0;
}

/* COPY each table's rows into its staging table, INSERT ... SELECT ... ON
 * CONFLICT into the target, record the files: one transaction.  direct:
 * COPY straight into the targets (tables without sql: expressions) — one
 * server pass instead of two, right as long as no key exists yet (a first
 * import); a conflict fails the batch and the caller retries staged.
 * 0 ok, 1 the server refused (rolled back, *why set), -1 a connection error. */
static int pg_write_batch(engine *e, const char **why, bool direct)
{
    if (db_begin(e->db) < 0)
        return -1;
    for (size_t i = 0; i < e->src->tables.n; i++) {
        tplan *p = &e->plans[i];
        if (!p->rows.n)
            continue;
        const spec_table *t = p->t;
        const char *stage = arena_printf(&e->bm, "dbsage_stage_%zu", i);
        const char **cols = arena_alloc(&e->bm, (t->columns.n + 1) * sizeof *cols);
        bool has_sql = false;
        for (size_t c = 0; c < t->columns.n; c++) {
            cols[c] = t->columns.v[c].name;
            has_sql |= t->columns.v[c].sql != NULL;
        }
        if (direct && !has_sql) {
            int rc = 0;
            db_copy *cp = db_copy_begin(e->db, t->schema, t->name, cols, (int)t->columns.n);
            for (size_t r = 0; cp && r < p->rows.n && rc == 0; r++)
                rc = db_copy_row(cp, p->rows.v[r], p->lens.v[r]);
            if (!cp || db_copy_end(cp) < 0 || rc < 0) {
                *why = arena_printf(&e->bm, "table %s: %s", t->name, db_last_error(e->db));
                db_rollback(e->db);
                return 1;
            }
            continue;
        }
        strbuf sql = STRBUF_INIT;
        strbuf_addf(&sql, "CREATE TEMP TABLE IF NOT EXISTS %s ON COMMIT DELETE ROWS AS SELECT ", stage);
        for (size_t c = 0; c < t->columns.n; c++) {
            if (c)
                strbuf_adds(&sql, ", ");
            sql_quote_ident(&sql, e->d, t->columns.v[c].name);
        }
        strbuf_addf(&sql, " FROM %s WITH NO DATA", import_qname(e, t));
        int rc = db_exec(e->db, strbuf_str(&sql));
        strbuf_reset(&sql);
        db_copy *cp = rc < 0 ? NULL : db_copy_begin(e->db, NULL, stage, cols, (int)t->columns.n);
        for (size_t r = 0; cp && r < p->rows.n && rc == 0; r++)
            rc = db_copy_row(cp, p->rows.v[r], p->lens.v[r]);
        if (cp && db_copy_end(cp) < 0)
            rc = -1;
        if (!cp)
            rc = -1;
        if (rc == 0) {
            import_insert_sql(e, t, stage, &sql);
            rc = db_exec(e->db, strbuf_str(&sql));
            if (rc == 0) {
                strbuf_reset(&sql);
                strbuf_addf(&sql, "TRUNCATE %s", stage);
                rc = db_exec(e->db, strbuf_str(&sql));
            }
        }
        strbuf_release(&sql);
        if (rc < 0) {
            *why = arena_printf(&e->bm, "table %s: %s", t->name, db_last_error(e->db));
            db_rollback(e->db);
            return 1;
        }
    }
    for (size_t f = 0; f < e->bfiles.n; f++) {
        const bfile *b = &e->bfiles.v[f];
        if (!b->ok)
            continue;
        e->rel = b->rel;
        e->file_rows = b->rows;
        e->file_rejected = b->rejected;
        if (import_track_file(e, b->sha) < 0) {
            db_rollback(e->db);
            return -1;
        }
    }
    if (db_commit(e->db) < 0) {
        *why = arena_strdup(&e->bm, db_last_error(e->db));
        db_rollback(e->db);
        return 1;
    }
    return 0;
}

int import_pg_flush(engine *e)
{
    if (!e->bfiles.n)
        return 0;
    const char *why = NULL;
    int rc = pg_write_batch(e, &why, e->pg_direct);
    if (rc == 1 && e->pg_direct) { /* keys exist (a re-import): staged from now on */
        e->pg_direct = false;
        rc = pg_write_batch(e, &why, false);
    }
    if (rc < 0) {
        import_pg_reset(e);
        return import_db_fail(e, "import batch failed");
    }
    if (rc == 0) {
        e->fast = false; /* report the batch's rejects now */
        for (size_t i = 0; i < e->brejects.n; i++) {
            e->rel = e->brejects.v[i].path;
            src_loc loc = {e->rel, e->brejects.v[i].line, e->brejects.v[i].col};
            import_emit_reject(e, e->brejects.v[i].table, loc, e->brejects.v[i].reason);
        }
        e->fast = true;
        import_pg_reset(e);
        return 0;
    }
    /* the server refused the batch (a constraint, duplicate keys in one batch):
     * redo its files one by one with a SAVEPOINT each, as on SQLite */
    VEC(bfile) redo = {0};
    arena rm;
    arena_init(&rm);
    for (size_t f = 0; f < e->bfiles.n; f++) {
        bfile b = e->bfiles.v[f];
        b.rel = arena_strdup(&rm, b.rel);
        b.abs = arena_strdup(&rm, b.abs);
        VEC_PUSH(&rm, redo, b);
    }
    *e->sstats = e->snap;
    for (size_t i = 0; i < e->src->tables.n; i++) {
        e->plans[i].stats->rows = e->snap_tables[2 * i];
        e->plans[i].stats->rejected = e->snap_tables[2 * i + 1];
    }
    import_pg_reset(e);
    e->fast = false;
    int ret = 0;
    for (size_t f = 0; ret == 0 && f < redo.n; f++)
        ret = import_file(e, redo.v[f].rel, redo.v[f].abs);
    if (ret == 0)
        ret = import_batch_commit(e);
    else if (ret < 0 && e->in_batch) {
        db_rollback(e->db);
        e->in_batch = false;
    }
    e->fast = true;
    arena_free(&rm);
    return ret;
}

