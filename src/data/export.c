/*
 * export.c — `dbsage export` engine: root filters -> foreign-key closure of
 * rows (kept in a private temporary SQLite scratch database, keyed by
 * primary key) -> the copy engine loads only those rows, through a row hook
 * that also anonymises columns (data/anon.h).  See export.h, docs/export.md.
 */
#include "data/export.h"

#include <ctype.h>
#include <openssl/sha.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/copy.h"
#include "emit/emit.h"
#include "migrate/migrate.h"

#define KEY_SEP '\x1f'
#define EDGE_KEYS 64   /* rows of a table looked up per closure query (IN list) */

typedef struct xtable {
    const cat_table *t;
    const cat_constraint *pk;   /* NULL: rows cannot be keyed (not exported) */
    int *pk_pos;                /* positions in the copy job's source SELECT */
    bool root;
    bool whole;                 /* dbsage_migrations: copied whole */
} xtable;

/* A join step: rows of `to` related to one row of `from` (from.fcols = to.tcols). */
typedef struct xedge {
    int from, to;
    const strvec *fcols, *tcols;
    bool child;                 /* to references from (a step down) */
    int nkeys;                  /* keys of `from` per execution (single-column keys: EDGE_KEYS) */
    db_stmt *stmt;
} xedge;

typedef struct xctx {
    db_conn *src;
    dialect d;
    catalog *cat;
    xtable *tabs;
    size_t ntabs;
    VEC(xedge) edges;
    sqlite3 *scratch;
    sqlite3_stmt *add, *has;
    const export_opts *opts;
    arena *mem;
    diag_list *diags;
    src_loc loc;
    uint64_t seed;
} xctx;

static int scratch_fail(xctx *x, const char *what)
{
    diag_add_rule(x->diags, DIAG_ERROR, x->loc, "export-failed", "%s: %s", what, sqlite3_errmsg(x->scratch));
    return -1;
}

static int src_fail(xctx *x, const char *what)
{
    diag_add_rule(x->diags, DIAG_ERROR, x->loc, "export-failed", "%s: %s", what, db_last_error(x->src));
    return -1;
}

int export_parse_filter(const char *text, arena *mem, export_filter *out, diag_list *diags)
{
    src_loc loc = {"--where", 0, 0};
    const char *eq = strchr(text, '=');
    const char *dot = NULL;
    if (eq)
        for (const char *p = text; p < eq; p++)
            if (*p == '.')
                dot = p;
    if (!eq || !dot) {
        diag_add_rule(diags, DIAG_ERROR, loc, "export-usage", "'%s': expected 'table.column = value'", text);
        return -1;
    }
    const char *a = text, *b = dot;
    while (a < b && isspace((unsigned char)*a))
        a++;
    const char *c = dot + 1, *e = eq;
    while (e > c && isspace((unsigned char)e[-1]))
        e--;
    const char *v = eq + 1, *ve = v + strlen(v);
    while (v < ve && isspace((unsigned char)*v))
        v++;
    while (ve > v && isspace((unsigned char)ve[-1]))
        ve--;
    if (ve - v >= 2 && *v == '\'' && ve[-1] == '\'') {
        v++;
        ve--;
    }
    if (a == b || c == e) {
        diag_add_rule(diags, DIAG_ERROR, loc, "export-usage", "'%s': expected 'table.column = value'", text);
        return -1;
    }
    out->table = arena_strndup(mem, a, (size_t)(b - a));
    out->column = arena_strndup(mem, c, (size_t)(e - c));
    out->value = arena_strndup(mem, v, (size_t)(ve - v));
    return 0;
}

static int find_table(const xctx *x, const char *schema, const char *name)
{
    for (size_t i = 0; i < x->ntabs; i++)
        if (!strcmp(x->tabs[i].t->name, name) && (!schema || !strcmp(x->tabs[i].t->schema, schema)))
            return (int)i;
    return -1;
}

static void qcol(strbuf *sb, dialect d, const char *alias, const char *col)
{
    strbuf_adds(sb, alias);
    strbuf_addch(sb, '.');
    sql_quote_ident(sb, d, col);
}

static void add_pk_select(strbuf *sb, dialect d, const xtable *t, const char *alias)
{
    for (size_t i = 0; i < t->pk->columns.n; i++) {
        strbuf_adds(sb, i ? ", " : "");
        qcol(sb, d, alias, t->pk->columns.v[i]);
    }
}

/* WHERE alias.pk1 = $first AND ... */
static void add_pk_where(strbuf *sb, dialect d, const xtable *t, const char *alias, int first)
{
    for (size_t i = 0; i < t->pk->columns.n; i++) {
        strbuf_adds(sb, i ? " AND " : "");
        qcol(sb, d, alias, t->pk->columns.v[i]);
        strbuf_addf(sb, " = $%d", first + (int)i);
    }
}

/* Key text of the current row of s (pk in columns 0..npk-1) into sb. */
static void row_key(db_stmt *s, size_t npk, strbuf *sb, bool *null)
{
    strbuf_reset(sb);
    *null = false;
    for (size_t i = 0; i < npk; i++) {
        if (db_column_is_null(s, (int)i))
            *null = true;
        size_t len = 0;
        const char *v = db_column_text(s, (int)i, &len);
        if (i)
            strbuf_addch(sb, KEY_SEP);
        strbuf_add(sb, v ? v : "", v ? len : 0);
    }
}

/* Bind the parts of key to $first.. */
static void bind_key(db_stmt *s, const char *key, size_t npk, int first)
{
    const char *p = key;
    for (size_t i = 0; i < npk; i++) {
        const char *e = strchr(p, KEY_SEP);
        size_t n = e ? (size_t)(e - p) : strlen(p);
        db_bind_text(s, first + (int)i, p, n);
        p = e ? e + 1 : p + n;
    }
}

static int add_row(xctx *x, int ti, const strbuf *key, bool down)
{
    sqlite3_reset(x->add);
    sqlite3_bind_int(x->add, 1, ti);
    sqlite3_bind_text(x->add, 2, strbuf_str(key), (int)key->len, SQLITE_TRANSIENT);
    sqlite3_bind_int(x->add, 3, down);
    if (sqlite3_step(x->add) != SQLITE_DONE)
        return scratch_fail(x, "recording a row");
    return 0;
}

/* Run s (already bound); every row's key (columns 0..npk-1) is added to table ti. */
static int collect(xctx *x, db_stmt *s, int ti, bool down)
{
    int r;
    strbuf k;
    strbuf_init(&k);
    while ((r = db_step(s)) == 1) {
        bool null;
        row_key(s, x->tabs[ti].pk->columns.n, &k, &null);
        if (!null && add_row(x, ti, &k, down) < 0) {
            strbuf_release(&k);
            return -1;
        }
    }
    strbuf_release(&k);
    return r < 0 ? src_fail(x, "reading the source") : 0;
}

static int roots(xctx *x)
{
    const export_opts *o = x->opts;
    for (int i = 0; i < o->nfilters; i++) {
        const export_filter *f = &o->filters[i];
        const char *dotp = strchr(f->table, '.');
        const char *schema = dotp ? arena_strndup(x->mem, f->table, (size_t)(dotp - f->table)) : NULL;
        int ti = find_table(x, schema, dotp ? dotp + 1 : f->table);
        if (ti < 0 || !catalog_column_find(x->tabs[ti].t, f->column)) {
            diag_add_rule(x->diags, DIAG_ERROR, x->loc, "export-usage", "--where %s.%s: no such %s", f->table,
                          f->column, ti < 0 ? "table" : "column");
            return -1;
        }
        xtable *t = &x->tabs[ti];
        if (!t->pk) {
            diag_add_rule(x->diags, DIAG_ERROR, x->loc, "export-usage",
                          "--where %s: the table has no primary key, its rows cannot be tracked", f->table);
            return -1;
        }
        t->root = true;
        strbuf sb;
        strbuf_init(&sb);
        strbuf_adds(&sb, "SELECT ");
        add_pk_select(&sb, x->d, t, "r");
        strbuf_adds(&sb, " FROM ");
        sql_quote_qualified(&sb, x->d, t->t->schema, t->t->name);
        strbuf_adds(&sb, " AS r WHERE ");
        qcol(&sb, x->d, "r", f->column);
        strbuf_adds(&sb, " = $1");
        db_stmt *s = db_prepare(x->src, strbuf_str(&sb), 1);
        strbuf_release(&sb);
        if (!s)
            return src_fail(x, "preparing a root filter");
        db_bind_text(s, 1, f->value, strlen(f->value));
        int rc = collect(x, s, ti, true);
        db_finalize(s);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static void add_edges(xctx *x)
{
    for (size_t i = 0; i < x->ntabs; i++) {
        const cat_table *t = x->tabs[i].t;
        for (size_t c = 0; c < t->constraints.n; c++) {
            const cat_constraint *k = t->constraints.v[c];
            if (k->kind != CON_FOREIGN)
                continue;
            int p = find_table(x, k->ref_schema, k->ref_table);
            if (p < 0 && k->ref_schema)
                p = find_table(x, NULL, k->ref_table);
            if (p < 0 || !x->tabs[p].pk || !x->tabs[i].pk)
                continue;
            const strvec *ref = k->ref_columns.n ? &k->ref_columns : &x->tabs[p].pk->columns;
            if (ref->n != k->columns.n)
                continue;
            xedge up = {(int)i, p, &k->columns, ref, false, 1, NULL};
            xedge down = {p, (int)i, ref, &k->columns, true, 1, NULL};
            VEC_PUSH(x->mem, x->edges, up);
            VEC_PUSH(x->mem, x->edges, down);
        }
    }
}

static db_stmt *edge_stmt(xctx *x, xedge *e)
{
    if (e->stmt)
        return e->stmt;
    const xtable *a = &x->tabs[e->from], *b = &x->tabs[e->to];
    strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "SELECT ");
    add_pk_select(&sb, x->d, b, "b");
    strbuf_adds(&sb, " FROM ");
    sql_quote_qualified(&sb, x->d, b->t->schema, b->t->name);
    strbuf_adds(&sb, " AS b JOIN ");
    sql_quote_qualified(&sb, x->d, a->t->schema, a->t->name);
    strbuf_adds(&sb, " AS a ON ");
    for (size_t i = 0; i < e->fcols->n; i++) {
        strbuf_adds(&sb, i ? " AND " : "");
        qcol(&sb, x->d, "b", e->tcols->v[i]);
        strbuf_adds(&sb, " = ");
        qcol(&sb, x->d, "a", e->fcols->v[i]);
    }
    strbuf_adds(&sb, " WHERE ");
    if (a->pk->columns.n == 1) {
        e->nkeys = EDGE_KEYS;
        qcol(&sb, x->d, "a", a->pk->columns.v[0]);
        strbuf_adds(&sb, " IN (");
        for (int i = 1; i <= EDGE_KEYS; i++)
            strbuf_addf(&sb, i > 1 ? ", $%d" : "$%d", i);
        strbuf_addch(&sb, ')');
    } else {
        e->nkeys = 1;
        add_pk_where(&sb, x->d, a, "a", 1);
    }
    e->stmt = db_prepare(x->src, strbuf_str(&sb), e->nkeys > 1 ? e->nkeys : (int)a->pk->columns.n);
    strbuf_release(&sb);
    return e->stmt;
}

typedef struct pending {
    int t;
    const char *k;
    bool down;
} pending;

static int fixed_point(xctx *x)
{
    sqlite3_stmt *next = NULL, *done = NULL;
    if (sqlite3_prepare_v2(x->scratch, "SELECT t, k, down FROM keep WHERE done = 0 ORDER BY t, k LIMIT 1000", -1,
                           &next, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(x->scratch, "UPDATE keep SET done = 1 WHERE t = ?1 AND k = ?2", -1, &done, NULL) !=
            SQLITE_OK) {
        sqlite3_finalize(next);
        return scratch_fail(x, "preparing the closure");
    }
    int rc = 0;
    for (;;) {
        /* one batch of at most 1000 rows at a time: memory stays bounded, the key
         * sets themselves live in the scratch database */
        arena bm;
        arena_init(&bm);
        VEC(pending) batch = {0};
        sqlite3_reset(next);
        while (sqlite3_step(next) == SQLITE_ROW) {
            pending p = {sqlite3_column_int(next, 0),
                         arena_strdup(&bm, (const char *)sqlite3_column_text(next, 1)),
                         sqlite3_column_int(next, 2) != 0};
            VEC_PUSH(&bm, batch, p);
        }
        if (!batch.n) {
            arena_free(&bm);
            break;
        }
        for (size_t i = 0; i < batch.n; i++) {
            sqlite3_reset(done);
            sqlite3_bind_int(done, 1, batch.v[i].t);
            sqlite3_bind_text(done, 2, batch.v[i].k, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(done) != SQLITE_DONE) {
                rc = scratch_fail(x, "marking a row");
                break;
            }
        }
        /* the batch is ordered by table: per table and per `down` flag, each edge
         * looks up EDGE_KEYS rows per query (the IN list padded with the last key) */
        const pending **sel = arena_alloc(&bm, sizeof *sel * batch.n);
        for (size_t i = 0; i < batch.n && rc == 0;) {
            size_t j = i;
            while (j < batch.n && batch.v[j].t == batch.v[i].t)
                j++;
            int t = batch.v[i].t;
            for (int down = 0; down < 2 && rc == 0; down++) {
                size_t ns = 0;
                for (size_t m = i; m < j; m++)
                    if (batch.v[m].down == (down == 1))
                        sel[ns++] = &batch.v[m];
                if (!ns)
                    continue;
                bool follow_children = x->opts->follow == EXPORT_FOLLOW_BOTH ||
                                       (x->opts->follow == EXPORT_FOLLOW_DESCENDANTS && down);
                for (size_t e = 0; e < x->edges.n && rc == 0; e++) {
                    xedge *ed = &x->edges.v[e];
                    if (ed->from != t || (ed->child && !follow_children))
                        continue;
                    db_stmt *s = edge_stmt(x, ed);
                    if (!s) {
                        rc = src_fail(x, "preparing a closure step");
                        break;
                    }
                    for (size_t c = 0; c < ns && rc == 0; c += (size_t)ed->nkeys) {
                        db_reset(s);
                        if (ed->nkeys == 1) {
                            bind_key(s, sel[c]->k, x->tabs[t].pk->columns.n, 1);
                        } else {
                            for (int q = 0; q < ed->nkeys; q++) {
                                const char *k = sel[c + (size_t)q < ns ? c + (size_t)q : ns - 1]->k;
                                db_bind_text(s, q + 1, k, strlen(k));
                            }
                        }
                        rc = collect(x, s, ed->to, ed->child && down);
                    }
                }
            }
            i = j;
        }
        arena_free(&bm);
        if (rc < 0)
            break;
    }
    sqlite3_finalize(next);
    sqlite3_finalize(done);
    return rc;
}

/* ---- loading ---------------------------------------------------------------- */

typedef struct hook_ctx {
    xctx *x;
    int ti;
    const anon_rule **rules;   /* per job column, NULL = keep */
} hook_ctx;

static const char *value_text(const copy_value *v, arena *mem, size_t *len)
{
    switch (v->kind) {
    case COPY_INT: {
        const char *s = arena_printf(mem, "%lld", (long long)v->i);
        *len = strlen(s);
        return s;
    }
    case COPY_REAL: {
        const char *s = arena_printf(mem, "%.17g", v->d);
        *len = strlen(s);
        return s;
    }
    case COPY_TEXT:
    case COPY_BLOB:
        *len = v->len;
        return v->s;
    default:
        *len = 0;
        return NULL;
    }
}

static int export_hook(void *vctx, const copy_job *job, const copy_value *src, int nsrc, copy_value *vals,
                       arena *row_mem, diag_list *diags)
{
    (void)diags;
    hook_ctx *h = vctx;
    xtable *t = &h->x->tabs[h->ti];
    if (!t->whole) {
        strbuf sb;
        strbuf_init(&sb);
        for (size_t i = 0; i < t->pk->columns.n; i++) {
            int pos = t->pk_pos[i];
            if (pos < 0 || pos >= nsrc) {
                strbuf_release(&sb);
                return 1;
            }
            size_t len;
            const char *v = value_text(&src[pos], row_mem, &len);
            if (i)
                strbuf_addch(&sb, KEY_SEP);
            strbuf_add(&sb, v ? v : "", v ? len : 0);
        }
        sqlite3_stmt *has = h->x->has;
        sqlite3_reset(has);
        sqlite3_bind_int(has, 1, h->ti);
        sqlite3_bind_text(has, 2, strbuf_str(&sb), (int)sb.len, SQLITE_TRANSIENT);
        int r = sqlite3_step(has);
        strbuf_release(&sb);
        if (r != SQLITE_ROW)
            return 1;
    }
    for (int k = 0; k < job->ncols; k++)
        if (h->rules[k])
            anon_apply_value(h->rules[k], &vals[k], h->x->seed, row_mem);
    return 0;
}

static int setup_tables(xctx *x)
{
    x->ntabs = x->cat->tables.n;
    x->tabs = arena_alloc(x->mem, sizeof *x->tabs * (x->ntabs + 1));
    for (size_t i = 0; i < x->ntabs; i++) {
        xtable *t = &x->tabs[i];
        t->t = x->cat->tables.v[i];
        t->whole = !strcmp(t->t->name, "dbsage_migrations");
        const cat_constraint *pk = catalog_primary_key(t->t);
        if (!pk || !pk->columns.n) {
            if (!t->whole)
                diag_add_rule(x->diags, DIAG_WARNING, x->loc, "export-no-key",
                              "%s has no primary key: its rows cannot be tracked, it is exported empty",
                              t->t->name);
            continue;
        }
        t->pk = pk;
        t->pk_pos = arena_alloc(x->mem, sizeof(int) * pk->columns.n);
        for (size_t k = 0; k < pk->columns.n; k++) {
            t->pk_pos[k] = -1;
            int pos = 0;
            for (size_t c = 0; c < t->t->columns.n; c++) {
                const cat_column *col = t->t->columns.v[c];
                if (col->hidden)
                    continue;
                if (!strcmp(col->name, pk->columns.v[k]))
                    t->pk_pos[k] = pos;
                pos++;
            }
        }
    }
    return 0;
}

static int open_scratch(xctx *x)
{
    /* "" = a private temporary database on disk (deleted at close): pages spill to the
     * file beyond the cache, so a large subset does not grow the process */
    if (sqlite3_open("", &x->scratch) != SQLITE_OK)
        return scratch_fail(x, "opening the scratch database");
    if (sqlite3_exec(x->scratch,
                     "PRAGMA cache_size = -16384; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                     "CREATE TABLE keep (t INTEGER NOT NULL, k TEXT NOT NULL, down INTEGER NOT NULL,"
                     " done INTEGER NOT NULL, PRIMARY KEY (t, k)) WITHOUT ROWID;"
                     "CREATE INDEX keep_todo ON keep (done) WHERE done = 0;",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(x->scratch,
                           "INSERT INTO keep (t, k, down, done) VALUES (?1, ?2, ?3, 0) ON CONFLICT (t, k) DO "
                           "UPDATE SET down = 1, done = 0 WHERE excluded.down = 1 AND keep.down = 0",
                           -1, &x->add, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(x->scratch, "SELECT 1 FROM keep WHERE t = ?1 AND k = ?2", -1, &x->has, NULL) !=
            SQLITE_OK)
        return scratch_fail(x, "creating the scratch tables");
    return 0;
}

static const char *follow_name(export_follow f)
{
    return f == EXPORT_FOLLOW_BOTH ? "both" : f == EXPORT_FOLLOW_PARENTS ? "parents" : "descendants";
}

static int write_marker(xctx *x, db_conn *dst)
{
    const export_opts *o = x->opts;
    if (db_exec(dst, "DROP TABLE IF EXISTS dbsage_copy_progress") < 0 ||
        db_exec(dst, "DROP TABLE IF EXISTS dbsage_export") < 0 ||
        db_exec(dst, "CREATE TABLE dbsage_export (source text, filters text, follow text, seed_fingerprint text,"
                     " read_only integer NOT NULL, exported_at text NOT NULL)") < 0) {
        diag_add_rule(x->diags, DIAG_ERROR, x->loc, "export-failed", "writing dbsage_export: %s",
                      db_last_error(dst));
        return -1;
    }
    strbuf f;
    strbuf_init(&f);
    for (int i = 0; i < o->nfilters; i++)
        strbuf_addf(&f, "%s%s.%s = %s", i ? "; " : "", o->filters[i].table, o->filters[i].column,
                    o->filters[i].value);
    db_stmt *s = db_prepare(dst,
                            db_dialect(dst) == DIALECT_PG
                                ? "INSERT INTO dbsage_export VALUES ($1, $2, $3, $4, $5, "
                                  "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))"
                                : "INSERT INTO dbsage_export VALUES ($1, $2, $3, $4, $5, "
                                  "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                            5);
    int rc = -1;
    if (s) {
        const char *src = o->source_label ? o->source_label : "";
        /* the seed salts every hash and fake: recording it would let anyone confirm a guessed
         * original value, so only its fingerprint travels (same seed <=> same fingerprint) */
        const char *seed = o->seed ? o->seed : "";
        unsigned char md[SHA256_DIGEST_LENGTH];
        char fp[17] = "";
        if (*seed) {
            SHA256((const unsigned char *)seed, strlen(seed), md);
            for (int i = 0; i < 8; i++)
                snprintf(fp + 2 * i, 3, "%02x", md[i]);
        }
        seed = fp;
        db_bind_text(s, 1, src, strlen(src));
        db_bind_text(s, 2, strbuf_str(&f), f.len);
        db_bind_text(s, 3, follow_name(o->follow), strlen(follow_name(o->follow)));
        db_bind_text(s, 4, seed, strlen(seed));
        db_bind_int64(s, 5, o->read_only ? 1 : 0);
        rc = db_step(s) < 0 ? -1 : 0;
        db_finalize(s);
    }
    strbuf_release(&f);
    if (rc < 0)
        diag_add_rule(x->diags, DIAG_ERROR, x->loc, "export-failed", "writing dbsage_export: %s",
                      db_last_error(dst));
    if (rc == 0 && o->read_only && db_dialect(dst) == DIALECT_PG) {
        int err = 0;
        const char *name = db_query_value(dst, "SELECT current_database()", &err);
        strbuf q;
        strbuf_init(&q);
        strbuf_adds(&q, "ALTER DATABASE ");
        sql_quote_ident(&q, DIALECT_PG, name ? name : "");
        strbuf_adds(&q, " SET default_transaction_read_only = on");
        if (err || !name || db_exec(dst, strbuf_str(&q)) < 0) {
            diag_add_rule(x->diags, DIAG_ERROR, x->loc, "export-failed", "marking the database read-only: %s",
                          db_last_error(dst));
            rc = -1;
        }
        strbuf_release(&q);
    }
    return rc;
}

/* `shuffle` rules: permute the loaded values within each column (anon.h). */
static int shuffle_pass(xctx *x, db_conn *dst, const copy_job *jobs, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        const hook_ctx *h = jobs[j].hook_ctx;
        for (int k = 0; k < jobs[j].ncols; k++) {
            if (!h->rules[k] || h->rules[k]->kind != ANON_SHUFFLE)
                continue;
            const xtable *t = &x->tabs[h->ti];
            if (t->pk->columns.n != 1) {
                diag_add_rule(x->diags, DIAG_ERROR, x->loc, "export-failed",
                              "shuffle %s.%s: needs a single-column primary key", jobs[j].dst_table,
                              jobs[j].cols[k].name);
                return -1;
            }
            if (anon_shuffle_column(dst, jobs[j].dst_schema, jobs[j].dst_table, jobs[j].cols[k].name,
                                    t->pk->columns.v[0], x->seed, x->mem, x->diags) < 0)
                return -1;
        }
    }
    return 0;
}

/* The schema version travels: every dbsage_migrations row of the source. */
static int copy_migrations(xctx *x, db_conn *dst)
{
    migrate_record_list recs = {0};
    bool exists = false;
    if (db_table_exists(x->src, NULL, MIGRATE_TABLE, &exists) < 0)
        return src_fail(x, "looking for dbsage_migrations");
    if (!exists)
        return 0;
    if (migrate_tracking_load(x->src, NULL, x->mem, &recs, x->diags) < 0 ||
        migrate_tracking_ensure(dst, NULL, x->diags) < 0)
        return -1;
    for (size_t i = 0; i < recs.n; i++)
        if (migrate_tracking_insert(dst, NULL, &recs.v[i], x->diags) < 0)
            return -1;
    return 0;
}

/* Rows now in each target table (what the export wrote). */
static int count_rows(xctx *x, db_conn *dst, const copy_job *jobs, size_t n, export_result *out)
{
    for (size_t i = 0; i < n; i++) {
        strbuf q;
        strbuf_init(&q);
        strbuf_adds(&q, "SELECT count(*) FROM ");
        sql_quote_qualified(&q, db_dialect(dst), jobs[i].dst_schema, jobs[i].dst_table);
        int err = 0;
        const char *v = db_query_value(dst, strbuf_str(&q), &err);
        strbuf_release(&q);
        if (err) {
            diag_add_rule(x->diags, DIAG_ERROR, x->loc, "export-failed", "counting %s: %s", jobs[i].dst_table,
                          db_last_error(dst));
            return -1;
        }
        export_table_count c = {arena_strdup(x->mem, jobs[i].dst_table), v ? strtoll(v, NULL, 10) : 0};
        VEC_PUSH(x->mem, out->tables, c);
        out->rows += c.rows;
    }
    return 0;
}

int export_run(const char *src_spec, const char *dst_spec, db_conn *src, db_conn *dst, const export_opts *opts,
               arena *mem, export_result *out, diag_list *diags)
{
    xctx x;
    memset(&x, 0, sizeof x);
    x.src = src;
    x.opts = opts;
    x.mem = mem;
    x.diags = diags;
    x.loc.file = db_spec_masked(src);
    x.seed = anon_seed_parse(opts->seed);
    copy_opts co;
    memset(&co, 0, sizeof co);
    co.run_name = "export";
    co.restart = true;
    co.batch = 10000;
    copy_plan plan;
    memset(&plan, 0, sizeof plan);
    memset(out, 0, sizeof *out);
    int rc = -1;
    if (copy_plan_build(src_spec, dst_spec, src, dst, NULL, &co, mem, &plan, diags) < 0)
        goto done;
    if (plan.refused.n) {
        diag_add_rule(diags, DIAG_ERROR, x.loc, "export-failed",
                      "the target has tables incompatible with the source (%s): export into an empty target",
                      plan.refused.v[0]);
        goto done;
    }
    x.cat = plan.src_cat;
    x.d = x.cat->dialect;
    setup_tables(&x);
    add_edges(&x);
    if (open_scratch(&x) < 0 || roots(&x) < 0 || fixed_point(&x) < 0)
        goto done;
    if (copy_plan_apply_ddl(dst, &plan, diags) < 0)
        goto done;
    for (size_t j = 0; j < plan.jobs.n; j++) {
        copy_job *job = &plan.jobs.v[j];
        int ti = find_table(&x, job->src_schema, job->src_table);
        hook_ctx *h = arena_alloc(mem, sizeof *h);
        h->x = &x;
        h->ti = ti;
        h->rules = arena_alloc(mem, sizeof *h->rules * ((size_t)job->ncols + 1));
        if (ti < 0 || (!x.tabs[ti].pk && !x.tabs[ti].whole) ||
            (!x.tabs[ti].whole && !strncmp(job->src_table, "dbsage_", 7))) {
            h->ti = -1;
        }
        for (int k = 0; k < job->ncols && h->ti >= 0 && opts->rules; k++) {
            const cat_column *c = catalog_column_find(x.tabs[ti].t, job->cols[k].name);
            h->rules[k] = anon_rule_for(opts->rules, job->src_table, job->cols[k].name, c && c->not_null);
        }
        job->row_hook = export_hook;
        job->hook_ctx = h;
    }
    /* tables that export nothing: run no job (rows would only be skipped) */
    size_t w = 0;
    for (size_t j = 0; j < plan.jobs.n; j++)
        if (((hook_ctx *)plan.jobs.v[j].hook_ctx)->ti >= 0)
            plan.jobs.v[w++] = plan.jobs.v[j];
    copy_result res;
    memset(&res, 0, sizeof res);
    if (copy_run(src, dst, plan.jobs.v, w, &co, mem, &res, diags) < 0)
        goto done;
    if (shuffle_pass(&x, dst, plan.jobs.v, w) < 0 || copy_migrations(&x, dst) < 0 || count_rows(&x, dst, plan.jobs.v, w, out) < 0)
        goto done;
    rc = write_marker(&x, dst);
done:
    for (size_t e = 0; e < x.edges.n; e++)
        if (x.edges.v[e].stmt)
            db_finalize(x.edges.v[e].stmt);
    if (x.add)
        sqlite3_finalize(x.add);
    if (x.has)
        sqlite3_finalize(x.has);
    if (x.scratch)
        sqlite3_close(x.scratch);
    copy_plan_free(&plan);
    return rc;
}
