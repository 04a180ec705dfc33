/*
 * import.c — owns: the import engine (import.h): files of each source,
 * the file-hash skip (dbsage_imports), batches of files in one transaction
 * with a SAVEPOINT per file, documents -> rows -> one prepared
 * INSERT ... ON CONFLICT (key) DO UPDATE per table, rejects, and the
 * verification (import_verify).  Casts are in import_cast.c.
 */
#include "data/import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "data/import_engine.h"
#include "emit/emit.h"
#include "util/digest.h"
#include "util/hashmap.h"
#include "util/strbuf.h"

/* ---- helpers ------------------------------------------------------------- */

/* file:line:col of a node (doc_node_loc: NDJSON lines and front matter are
 * offset to the file's lines); the document's line when unknown */
src_loc import_node_loc(const engine *e, struct fy_node *n, unsigned dflt_line)
{
    src_loc loc = {e->rel, dflt_line, dflt_line ? 1 : 0};
    if (n && e->reader) {
        src_loc l = doc_node_loc(e->reader, n);
        if (l.line) {
            loc.line = l.line;
            loc.col = l.col ? l.col : 1;
        }
    }
    return loc;
}

void import_emit_reject(engine *e, const char *table, src_loc loc, const char *reason)
{
    if (!e->o->on_reject)
        return;
    import_reject r = {e->src->name, e->rel, table, loc.line, loc.col, reason};
    if (e->fast) { /* reported when the batch commits (a redone batch reports again) */
        r.path = arena_strdup(&e->bm, r.path);
        r.table = arena_strdup(&e->bm, r.table);
        r.reason = arena_strdup(&e->bm, r.reason);
        VEC_PUSH(&e->bm, e->brejects, r);
        return;
    }
    e->o->on_reject(e->o->ud, &r);
}

int import_db_fail(engine *e, const char *what)
{
    src_loc loc = {db_spec_masked(e->db), 0, 0};
    diag_error(e->diags, loc, "%s: %s", what, db_last_error(e->db));
    return -1;
}

const char *import_qname(engine *e, const spec_table *t)
{
    strbuf sb = STRBUF_INIT;
    sql_quote_qualified(&sb, e->d, t->schema, t->name);
    const char *s = arena_strdup(e->mem, strbuf_str(&sb));
    strbuf_release(&sb);
    return s;
}

int import_tracking_ensure(db_conn *db, diag_list *diags)
{
    if (db_exec(db, "CREATE TABLE IF NOT EXISTS " IMPORT_TABLE " (source TEXT NOT NULL, path TEXT NOT NULL, "
                    "sha256 TEXT NOT NULL, rows BIGINT NOT NULL DEFAULT 0, rejected BIGINT NOT NULL DEFAULT 0, "
                    "imported_at TEXT NOT NULL, PRIMARY KEY (source, path))") < 0) {
        src_loc loc = {db_spec_masked(db), 0, 0};
        diag_error(diags, loc, "cannot create " IMPORT_TABLE ": %s", db_last_error(db));
        return -1;
    }
    return 0;
}

static int load_done(engine *e)
{
    hashmap_init(&e->done, &e->done_mem);
    bool exists = false;
    if (db_table_exists(e->db, NULL, IMPORT_TABLE, &exists) < 0)
        return import_db_fail(e, "cannot read " IMPORT_TABLE);
    if (!exists)
        return 0;
    db_stmt *s = db_prepare(e->db, "SELECT source, path, sha256 FROM " IMPORT_TABLE, 0);
    if (!s)
        return import_db_fail(e, "cannot read " IMPORT_TABLE);
    int rc;
    while ((rc = db_step(s)) == 1) {
        const char *k = arena_printf(&e->done_mem, "%s\x1f%s", db_column_text(s, 0, NULL), db_column_text(s, 1, NULL));
        hashmap_put(&e->done, k, arena_strdup(&e->done_mem, db_column_text(s, 2, NULL)));
    }
    db_finalize(s);
    return rc < 0 ? import_db_fail(e, "cannot read " IMPORT_TABLE) : 0;
}

/* hex SHA-256 of a file; -1 with errno */
static int file_sha(const char *path, char out[DIGEST_HEX_LEN + 1], int64_t *bytes)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    digest_ctx *d = digest_new();
    char buf[65536];
    size_t n;
    *bytes = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        digest_update(d, buf, n);
        *bytes += (int64_t)n;
    }
    int err = ferror(f);
    fclose(f);
    digest_final_hex(d, out);
    if (err) {
        errno = EIO;
        return -1;
    }
    return 0;
}

/* INSERT INTO t (cols) VALUES ($1, expr($2)...) [ON CONFLICT (key) DO UPDATE SET ...];
 * with stage: INSERT INTO t (cols) SELECT c1, expr(c2) ... FROM stage ... */
void import_insert_sql(engine *e, const spec_table *t, const char *stage, strbuf *out)
{
    strbuf sql = STRBUF_INIT;
    strbuf_addf(&sql, "INSERT INTO %s (", import_qname(e, t));
    for (size_t i = 0; i < t->columns.n; i++) {
        if (i)
            strbuf_adds(&sql, ", ");
        sql_quote_ident(&sql, e->d, t->columns.v[i].name);
    }
    strbuf_adds(&sql, stage ? ") SELECT " : ") VALUES (");
    for (size_t i = 0; i < t->columns.n; i++) {
        if (i)
            strbuf_adds(&sql, ", ");
        strbuf val = STRBUF_INIT;
        if (stage)
            sql_quote_ident(&val, e->d, t->columns.v[i].name);
        else
            strbuf_addf(&val, "$%zu", i + 1);
        const char *x = t->columns.v[i].sql;
        if (!x)
            strbuf_adds(&sql, strbuf_str(&val));
        for (; x && *x; x++) {
            if (*x == '?')
                strbuf_adds(&sql, strbuf_str(&val));
            else
                strbuf_addch(&sql, *x);
        }
        strbuf_release(&val);
    }
    if (stage)
        strbuf_addf(&sql, " FROM %s", stage);
    else
        strbuf_adds(&sql, ")");
    if (t->key.n) {
        strbuf_adds(&sql, " ON CONFLICT (");
        for (size_t i = 0; i < t->key.n; i++) {
            if (i)
                strbuf_adds(&sql, ", ");
            sql_quote_ident(&sql, e->d, t->key.v[i]);
        }
        strbuf_adds(&sql, ")");
        size_t nset = 0;
        for (size_t i = 0; i < t->columns.n; i++) {
            bool is_key = false;
            for (size_t k = 0; k < t->key.n; k++)
                is_key |= !strcmp(t->key.v[k], t->columns.v[i].name);
            if (is_key)
                continue;
            strbuf_adds(&sql, nset++ ? ", " : " DO UPDATE SET ");
            sql_quote_ident(&sql, e->d, t->columns.v[i].name);
            strbuf_adds(&sql, " = excluded.");
            sql_quote_ident(&sql, e->d, t->columns.v[i].name);
        }
        if (!nset)
            strbuf_adds(&sql, " DO NOTHING");
    }
    strbuf_add(out, sql.buf, sql.len);
    strbuf_release(&sql);
}

static db_stmt *prepare_insert(engine *e, const spec_table *t)
{
    strbuf sql = STRBUF_INIT;
    import_insert_sql(e, t, NULL, &sql);
    db_stmt *s = db_prepare(e->db, strbuf_str(&sql), (int)t->columns.n);
    if (!s) {
        diag_error(e->diags, t->loc, "cannot prepare the insert into '%s': %s", t->name, db_last_error(e->db));
    }
    strbuf_release(&sql);
    return s;
}

/* ---- batches ---------------------------------------------------------------- */

static int batch_begin(engine *e)
{
    if (e->verify || e->in_batch)
        return 0;
    if (db_begin(e->db) < 0)
        return import_db_fail(e, "BEGIN failed");
    e->in_batch = true;
    e->files_in_batch = 0;
    e->rows_in_batch = 0;
    return 0;
}

int import_batch_commit(engine *e)
{
    if (!e->in_batch)
        return 0;
    e->in_batch = false;
    if (db_commit(e->db) < 0)
        return import_db_fail(e, "COMMIT failed");
    return 0;
}

/* ---- rows -------------------------------------------------------------------- */

static int bind_value(db_stmt *s, int i, const import_value *v)
{
    switch (v->kind) {
    case IV_NULL:
        return db_bind_null(s, i);
    case IV_TEXT:
        return db_bind_text(s, i, v->s, v->len);
    case IV_INT:
        return db_bind_int64(s, i, v->i);
    case IV_REAL:
        return db_bind_double(s, i, v->d);
    case IV_BLOB:
        return db_bind_blob(s, i, v->s, v->len);
    }
    return -1;
}

static int write_row(engine *e, tplan *p, const doc_row_ctx *ctx, arena *dm, unsigned doc_line)
{
    const spec_table *t = p->t;
    /* a row's place: its element of each:, or the start of its document */
    src_loc rloc = ctx->index >= 0 ? import_node_loc(e, ctx->node, doc_line) : (src_loc){e->rel, doc_line, 1};
    strbuf keybuf = STRBUF_INIT;
    const char **fv = NULL;
    size_t *fl = NULL;
    if (e->fast) {
        fv = arena_alloc(&e->bm, (t->columns.n + 1) * sizeof *fv);
        fl = arena_alloc(&e->bm, (t->columns.n + 1) * sizeof *fl);
    }
    for (size_t i = 0; i < t->columns.n; i++) {
        const spec_column *c = &t->columns.v[i];
        const char *text = NULL;
        bool is_json = false;
        struct fy_node *n = NULL;
        if (c->is_const) {
            text = c->const_value;
        } else {
            const char *sc = NULL;
            n = doc_select(c->path, ctx, dm, &sc);
            text = n ? doc_node_text(n, dm, &is_json) : sc;
        }
        if (!text && c->def)
            text = c->def;
        import_value v = {0};
        if (!text) {
            if (c->required) {
                import_emit_reject(e, t->name, rloc, arena_printf(dm, "column %s: required value missing (%s)", c->name,
                                                      c->path ? doc_selector_text(c->path) : "const"));
                goto rejected;
            }
        } else {
            const char *why = import_cast(c->type, e->d, text, is_json, dm, &v);
            if (why) {
                src_loc vloc = n ? import_node_loc(e, n, doc_line) : rloc;
                import_emit_reject(e, t->name, vloc, arena_printf(dm, "column %s: %s", c->name, why));
                goto rejected;
            }
        }
        if (e->verify) {
            for (size_t k = 0; k < t->key.n; k++)
                if (!strcmp(t->key.v[k], c->name)) {
                    strbuf_addf(&keybuf, "%zu:", v.kind == IV_NULL ? 0 : v.len);
                    if (v.kind == IV_INT)
                        strbuf_addf(&keybuf, "%lld", (long long)v.i);
                    else if (v.kind == IV_REAL)
                        strbuf_addf(&keybuf, "%.17g", v.d);
                    else if (v.kind != IV_NULL)
                        strbuf_add(&keybuf, v.s, v.len);
                    strbuf_addch(&keybuf, '\x1f');
                }
        } else if (e->fast) {
            import_copy_text(&e->bm, &v, &fv[i], &fl[i]);
        } else if (bind_value(p->ins, (int)i + 1, &v) < 0) {
            strbuf_release(&keybuf);
            return import_db_fail(e, "bind failed");
        }
    }
    if (e->verify) {
        import_table_stats *g = &e->res->tables.v[p->vt->index];
        if (!t->key.n) {
            g->expected++;
        } else if (!hashmap_get(&p->vt->keys, strbuf_str(&keybuf))) {
            hashmap_put(&p->vt->keys, strbuf_str(&keybuf), (void *)1);
            g->expected++;
        }
        strbuf_release(&keybuf);
        p->stats->rows++;
        e->file_rows++;
        return 0;
    }
    strbuf_release(&keybuf);
    if (e->fast) {
        VEC_PUSH(&e->bm, p->rows, fv);
        VEC_PUSH(&e->bm, p->lens, fl);
        p->stats->rows++;
        e->file_rows++;
        return 0;
    }
    int rc = db_step(p->ins);
    if (rc < 0) {
        const char *msg = arena_strdup(dm, db_last_error(e->db));
        db_reset(p->ins);
        if (e->d == DIALECT_PG) { /* the transaction is aborted: the file fails */
            e->file_failed = true;
            e->file_error = arena_printf(e->mem, "table %s: %s", t->name, msg);
            e->file_error_loc = rloc;
            return 0;
        }
        import_emit_reject(e, t->name, rloc, arena_printf(dm, "table %s: %s", t->name, msg));
        goto rejected_nostrbuf;
    }
    db_reset(p->ins);
    p->stats->rows++;
    e->file_rows++;
    return 0;
rejected:
    strbuf_release(&keybuf);
rejected_nostrbuf:
    p->stats->rejected++;
    e->file_rejected++;
    return 0;
}

static int write_table(engine *e, tplan *p, const doc_row_ctx *doc, arena *dm, unsigned doc_line)
{
    if (!p->t->each)
        return write_row(e, p, doc, dm, doc_line);
    const char *sc = NULL;
    struct fy_node *set = doc_select(p->t->each, doc, dm, &sc);
    if (!set || fy_node_is_null(set))
        return 0;
    doc_row_ctx row = *doc;
    row.parent = doc;
    if (fy_node_is_sequence(set)) {
        void *it = NULL;
        struct fy_node *el;
        long i = 0;
        while ((el = fy_node_sequence_iterate(set, &it))) {
            row.node = el;
            row.index = i++;
            if (write_row(e, p, &row, dm, doc_line) < 0)
                return -1;
            if (e->file_failed)
                return 0;
        }
    } else if (fy_node_is_mapping(set)) {
        void *it = NULL;
        struct fy_node_pair *pr;
        long i = 0;
        while ((pr = fy_node_mapping_iterate(set, &it))) {
            size_t len;
            struct fy_node *k = fy_node_pair_key(pr);
            const char *ks = k && fy_node_is_scalar(k) ? fy_node_get_scalar(k, &len) : NULL;
            row.node = fy_node_pair_value(pr);
            row.key = ks ? arena_strndup(dm, ks, len) : NULL;
            row.index = i++;
            if (write_row(e, p, &row, dm, doc_line) < 0)
                return -1;
            if (e->file_failed)
                return 0;
        }
    } else {
        import_emit_reject(e, p->t->name, import_node_loc(e, set, doc_line),
               arena_printf(dm, "each: %s is a scalar, not a sequence or mapping", doc_selector_text(p->t->each)));
        p->stats->rejected++;
        e->file_rejected++;
    }
    return 0;
}

/* ---- files ------------------------------------------------------------------- */

int import_track_file(engine *e, const char *sha)
{
    if (!e->track) {
        e->track = db_prepare(e->db,
                              "INSERT INTO " IMPORT_TABLE " (source, path, sha256, rows, rejected, imported_at) "
                              "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (source, path) DO UPDATE SET "
                              "sha256 = excluded.sha256, rows = excluded.rows, rejected = excluded.rejected, "
                              "imported_at = excluded.imported_at",
                              6);
        if (!e->track)
            return import_db_fail(e, "cannot prepare the " IMPORT_TABLE " upsert");
    }
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    db_bind_text(e->track, 1, e->src->name, strlen(e->src->name));
    db_bind_text(e->track, 2, e->rel, strlen(e->rel));
    db_bind_text(e->track, 3, sha, DIGEST_HEX_LEN);
    db_bind_int64(e->track, 4, e->file_rows);
    db_bind_int64(e->track, 5, e->file_rejected);
    db_bind_text(e->track, 6, now, strlen(now));
    int rc = db_step(e->track);
    db_reset(e->track);
    return rc < 0 ? import_db_fail(e, "cannot record the import") : 0;
}

/* 0 done (imported, skipped or rejected), -1 error, 1 --strict abort */
int import_file(engine *e, const char *rel, const char *abs)
{
    if (e->fast && !e->bfiles.n)
        import_pg_snapshot(e);
    arena fm;
    arena_init(&fm);
    e->rel = rel;
    e->file_rows = e->file_rejected = 0;
    e->file_failed = false;
    e->file_error = NULL;
    char sha[DIGEST_HEX_LEN + 1];
    int64_t bytes = 0;
    int ret = 0;
    e->sstats->files++;
    if (file_sha(abs, sha, &bytes) < 0) {
        src_loc loc = {rel, 0, 0};
        diag_error(e->diags, loc, "cannot read: %s", strerror(errno));
        arena_free(&fm);
        return -1;
    }
    e->sstats->bytes += bytes;
    const char *prev = hashmap_get(&e->done, arena_printf(&fm, "%s\x1f%s", e->src->name, rel));
    bool unrecorded = e->verify && (!prev || strcmp(prev, sha));
    if (e->verify) {
        /* checked after reading: a malformed file is counted as malformed */
    } else if (prev && !strcmp(prev, sha) && !e->o->force) {
        e->sstats->skipped++;
        if (e->fast)
            import_pg_note(e, rel, abs, NULL, false);
        arena_free(&fm);
        return 0;
    }
    if (e->fast) {
        /* no transaction yet: import_pg_flush opens one per batch */
    } else if (batch_begin(e) < 0 || (!e->verify && db_exec(e->db, "SAVEPOINT dbsage_file") < 0)) {
        arena_free(&fm);
        return e->in_batch ? import_db_fail(e, "SAVEPOINT failed") : -1;
    }
    const char **capv = NULL;
    size_t ncap = 0;
    doc_path_pattern_match(e->src->pattern, &fm, rel, &capv, &ncap);
    size_t nnames = 0;
    const char *const *names = doc_path_pattern_names(e->src->pattern, &nnames);
    diag_list fd;
    diag_list_init(&fd, &fm);
    doc_reader *r = doc_open(abs, e->src->format, &fd);
    e->reader = r;
    int rc = r ? 0 : -1;
    int64_t docs = 0;
    arena dm;
    arena_init(&dm);
    int64_t *before = arena_alloc(&fm, (e->src->tables.n + 1) * 3 * sizeof(int64_t));
    for (size_t i = 0; i < e->src->tables.n; i++) {
        before[2 * i] = e->plans[i].stats->rows;
        before[2 * i + 1] = e->plans[i].stats->rejected;
        before[2 * e->src->tables.n + i] = (int64_t)e->plans[i].rows.n;
    }
    struct fy_document *doc = NULL;
    while (r && (rc = doc_next(r, &doc, &fd)) == 1) {
        docs++;
        arena_free(&dm);
        arena_init(&dm);
        doc_row_ctx ctx = {.node = fy_document_root(doc), .root = fy_document_root(doc), .index = -1, .path = rel,
                           .capture_names = names, .capture_values = capv, .n_captures = ncap < nnames ? ncap : nnames};
        for (size_t i = 0; i < e->src->tables.n && !e->file_failed; i++)
            if (write_table(e, &e->plans[i], &ctx, &dm, doc_line(r)) < 0) {
                ret = -1;
                break;
            }
        if (ret < 0 || e->file_failed)
            break;
    }
    arena_free(&dm);
    if (r)
        doc_close(r);
    e->reader = NULL;
    e->sstats->docs += docs;
    bool malformed = rc < 0 || e->file_failed;
    if (ret < 0) {
        /* database error: handled by the caller (rollback) */
    } else if (malformed) {
        src_loc loc = {rel, 0, 0};
        const char *why = "cannot read";
        if (e->file_failed) {
            loc = e->file_error_loc;
            why = e->file_error;
        } else if (fd.items.n) {
            const diag *last = &fd.items.v[fd.items.n - 1];
            loc = last->loc;
            loc.file = rel;
            why = last->message;
        }
        import_emit_reject(e, NULL, loc, why);
        e->sstats->malformed++;
        e->sstats->rejected += e->file_rejected;
        /* its rows do not count: none are committed */
        for (size_t i = 0; i < e->src->tables.n; i++) {
            e->plans[i].stats->rows = before[2 * i];
            e->plans[i].rows.n = e->plans[i].lens.n = (size_t)before[2 * e->src->tables.n + i];
        }
        if (e->fast)
            import_pg_note(e, rel, abs, NULL, false);
        else if (!e->verify && (db_exec(e->db, "ROLLBACK TO SAVEPOINT dbsage_file") < 0 ||
                           db_exec(e->db, "RELEASE SAVEPOINT dbsage_file") < 0))
            ret = import_db_fail(e, "ROLLBACK TO SAVEPOINT failed");
        if (ret == 0 && e->o->strict)
            ret = 1;
    } else if (e->o->strict && e->file_rejected) {
        e->sstats->rejected += e->file_rejected;
        for (size_t i = 0; i < e->src->tables.n; i++)
            e->plans[i].stats->rows = before[2 * i];
        if (!e->verify && (db_exec(e->db, "ROLLBACK TO SAVEPOINT dbsage_file") < 0 ||
                           db_exec(e->db, "RELEASE SAVEPOINT dbsage_file") < 0))
            ret = import_db_fail(e, "ROLLBACK TO SAVEPOINT failed");
        else
            ret = 1;
    } else {
        if (unrecorded) {
            e->sstats->not_imported++;
            src_loc loc = {rel, 0, 0};
            diag_add(e->diags, DIAG_WARNING, loc, "%s", prev ? "changed since its import" : "not imported");
        }
        e->sstats->imported++;
        e->sstats->rows += e->file_rows;
        e->sstats->rejected += e->file_rejected;
        if (e->fast) {
            import_pg_note(e, rel, abs, sha, true);
            e->files_in_batch++;
            e->rows_in_batch += e->file_rows;
            int bf = e->o->batch_files > 0 ? e->o->batch_files : 256;
            int br = e->o->batch_rows > 0 ? e->o->batch_rows : 50000;
            if (e->files_in_batch >= bf || e->rows_in_batch >= br)
                ret = import_pg_flush(e);
        } else if (!e->verify) {
            if (import_track_file(e, sha) < 0 || db_exec(e->db, "RELEASE SAVEPOINT dbsage_file") < 0)
                ret = -1;
            e->files_in_batch++;
            e->rows_in_batch += e->file_rows;
            int bf = e->o->batch_files > 0 ? e->o->batch_files : 256;
            int br = e->o->batch_rows > 0 ? e->o->batch_rows : 50000;
            if (ret == 0 && (e->files_in_batch >= bf || e->rows_in_batch >= br))
                ret = import_batch_commit(e);
        }
    }
    arena_free(&fm);
    return ret;
}

/* ---- sources and the run ----------------------------------------------------- */

static vtable *vtable_for(engine *e, const spec_table *t)
{
    const char *q = import_qname(e, t);
    for (size_t i = 0; i < e->vtables.n; i++)
        if (!strcmp(e->vtables.v[i]->qname, q))
            return e->vtables.v[i];
    vtable *v = ARENA_NEW(e->mem, vtable);
    v->qname = q;
    v->index = e->res->tables.n;
    hashmap_init(&v->keys, &e->key_mem);
    import_table_stats st = {.schema = t->schema, .table = t->name, .counted = -1};
    VEC_PUSH(e->mem, e->res->tables, st);
    VEC_PUSH(e->mem, e->vtables, v);
    return v;
}

static bool source_selected(const import_opts *o, const char *name)
{
    if (!o->n_only)
        return true;
    for (size_t i = 0; i < o->n_only; i++)
        if (!strcmp(o->only[i], name))
            return true;
    return false;
}

static const char *rel_of(engine *e, const char *f)
{
    size_t bl = strlen(e->spec->base_dir);
    if (strcmp(e->spec->base_dir, ".") && !strncmp(f, e->spec->base_dir, bl) && f[bl] == '/')
        return f + bl + 1;
    return f;
}

static void totals(import_result *res)
{
    res->files = res->imported = res->skipped = res->malformed = res->docs = res->rows = res->rejected = 0;
    res->bytes = 0;
    for (size_t i = 0; i < res->sources.n; i++) {
        const import_source_stats *s = &res->sources.v[i];
        res->files += s->files;
        res->imported += s->imported;
        res->skipped += s->skipped;
        res->malformed += s->malformed;
        res->docs += s->docs;
        res->rows += s->rows;
        res->rejected += s->rejected;
        res->bytes += s->bytes;
    }
}

static void progress(engine *e, bool final)
{
    if (!e->o->on_progress)
        return;
    totals(e->res);
    import_progress p = {e->files_done, e->files_total, e->res->rows, e->res->bytes, final};
    e->o->on_progress(e->o->ud, &p);
}

static int engine_run(engine *e)
{
    memset(e->res, 0, sizeof *e->res);
    arena_init(&e->done_mem);
    arena_init(&e->key_mem);
    arena_init(&e->bm);
    e->fast = e->d == DIALECT_PG && !e->verify && !e->o->strict && !getenv("DBSAGE_IMPORT_NO_COPY");
    e->pg_direct = e->fast;
    int ret = load_done(e);
    const char ***files = arena_alloc(e->mem, (e->spec->sources.n + 1) * sizeof *files);
    size_t *nfiles = arena_alloc(e->mem, (e->spec->sources.n + 1) * sizeof *nfiles);
    for (size_t s = 0; ret == 0 && s < e->spec->sources.n; s++) {
        const spec_source *src = &e->spec->sources.v[s];
        if (!source_selected(e->o, src->name))
            continue;
        nfiles[s] = doc_path_pattern_files(src->pattern, e->mem, e->spec->base_dir, &files[s]);
        e->files_total += (int64_t)nfiles[s];
    }
    for (size_t s = 0; ret == 0 && s < e->spec->sources.n; s++) {
        const spec_source *src = &e->spec->sources.v[s];
        if (!source_selected(e->o, src->name))
            continue;
        import_source_stats ss = {.name = src->name};
        VEC_PUSH(e->mem, e->res->sources, ss);
        e->src = src;
        e->sstats = &e->res->sources.v[e->res->sources.n - 1];
        e->plans = arena_alloc(e->mem, (src->tables.n + 1) * sizeof(tplan));
        for (size_t t = 0; t < src->tables.n; t++) {
            import_table_stats ts = {.schema = src->tables.v[t].schema, .table = src->tables.v[t].name,
                                     .counted = -1};
            VEC_PUSH(e->mem, e->sstats->tables, ts);
        }
        for (size_t t = 0; ret == 0 && t < src->tables.n; t++) {
            tplan *p = &e->plans[t];
            p->t = &src->tables.v[t];
            p->stats = &e->sstats->tables.v[t];
            if (e->verify)
                p->vt = vtable_for(e, p->t);
            else if (!(p->ins = prepare_insert(e, p->t)))
                ret = -1;
        }
        e->snap_tables = NULL;
        for (size_t f = 0; ret == 0 && f < nfiles[s]; f++) {
            const char *abs = files[s][f];
            const char *rel = rel_of(e, abs);
            if (abs == rel && strcmp(e->spec->base_dir, ".") && abs[0] != '/')
                abs = arena_printf(e->mem, "%s/%s", e->spec->base_dir, rel);
            ret = import_file(e, rel, abs);
            e->files_done++;
            progress(e, false);
        }
        if (e->fast && ret == 0)
            ret = import_pg_flush(e);
        if (e->fast)
            import_pg_reset(e);
        for (size_t t = 0; t < src->tables.n; t++)
            if (e->plans[t].ins)
                db_finalize(e->plans[t].ins);
    }
    if (ret < 0) {
        if (e->in_batch)
            db_rollback(e->db);
        e->in_batch = false;
    } else if (import_batch_commit(e) < 0) {
        ret = -1;
    }
    if (e->track)
        db_finalize(e->track);
    if (ret == 1)
        e->res->aborted = true;
    totals(e->res);
    progress(e, true);
    for (size_t i = 0; i < e->vtables.n; i++)
        hashmap_release(&e->vtables.v[i]->keys);
    hashmap_release(&e->done);
    arena_free(&e->done_mem);
    arena_free(&e->bm);
    arena_free(&e->key_mem);
    return ret;
}

int import_run(const import_spec *spec, db_conn *db, const import_opts *o, import_result *res, arena *mem,
               diag_list *diags)
{
    engine e = {.spec = spec, .db = db, .d = db_dialect(db), .o = o, .res = res, .mem = mem, .diags = diags};
    if (import_tracking_ensure(db, diags) < 0)
        return -1;
    int ret = engine_run(&e);
    if (ret < 0)
        return -1;
    return ret == 1 || res->rejected || res->malformed ? 1 : 0;
}

int import_verify(const import_spec *spec, db_conn *db, const import_opts *o, import_result *res, arena *mem,
                  diag_list *diags)
{
    import_opts vo = *o;
    vo.strict = false;
    engine e = {.spec = spec, .db = db, .d = db_dialect(db), .o = &vo, .res = res, .mem = mem, .diags = diags,
                .verify = true};
    if (engine_run(&e) < 0)
        return -1;
    res->mismatches = 0;
    for (size_t i = 0; i < res->tables.n; i++) {
        import_table_stats *t = &res->tables.v[i];
        strbuf sql = STRBUF_INIT;
        strbuf_adds(&sql, "SELECT count(*) FROM ");
        sql_quote_qualified(&sql, e.d, t->schema, t->table);
        db_stmt *s = db_prepare(db, strbuf_str(&sql), 0);
        strbuf_release(&sql);
        if (!s || db_step(s) != 1) {
            if (s)
                db_finalize(s);
            return import_db_fail(&e, arena_printf(mem, "cannot count the rows of %s", t->table));
        }
        t->counted = db_column_int64(s, 0);
        db_finalize(s);
        if (t->counted != t->expected)
            res->mismatches++;
    }
    for (size_t i = 0; i < res->sources.n; i++)
        if (res->sources.v[i].not_imported)
            res->mismatches++;
    return res->mismatches ? 1 : 0;
}
