/*
 * sqlite_sql.c — SQLite-dialect SQL files: executed statement by statement
 * into one in-memory SQLite database per catalog (kept across files in
 * cat->sqlite_scratch), then introspected into the catalog.
 *
 * SQLite is the parser: errors are SQLite's own messages at the statement
 * start or, for syntax errors, at the offending token
 * (sqlite3_error_offset).  The statement heads (sqlite_ddl) tell which
 * object each statement created, altered or dropped; that map gives every
 * object its file:line:col provenance.  ATTACH/DETACH and VACUUM are
 * refused (reading a schema must not touch other files).
 */
#include <ctype.h>
#include <errno.h>
#include <sqlite3.h>
#include <string.h>
#include <strings.h>

#include "source/source.h"
#include "source/sqlite_ddl.h"
#include "source/sqlite_introspect.h"
#include "util/strbuf.h"

/* VM-step budget of one statement: progress callbacks of 10,000 ops each */
#define OPS_PER_CALLBACK 10000
#define MAX_CALLBACKS 20000

typedef struct col_rec {
    const char *name;
    src_loc created;
    VEC(src_loc) altered;
} col_rec;

typedef struct obj_rec {
    src_loc created;
    VEC(src_loc) altered;
    VEC(col_rec) cols;
} obj_rec;

typedef struct sqlite_scratch {
    catalog *cat;
    sqlite3 *db;
    sqlite3_stmt *version_stmt;
    hashmap recs;               /* "r\x1f<lower name>" / "g\x1f<lower name>" -> obj_rec */
    long long introspected;     /* schema_version at the last introspection, -1 = never */
    const char *denied;         /* set by the authorizer */
    bool defer;                 /* batch of files: introspect once in sqlite_sql_flush */
    const char *last_file;      /* file of the last deferred read */
    bool limit_on;
    unsigned callbacks;
} sqlite_scratch;

/* ---- the in-memory database ------------------------------------------------------ */

static int authorizer(void *ud, int action, const char *a, const char *b, const char *c, const char *d)
{
    (void)b, (void)c, (void)d;
    sqlite_scratch *s = ud;
    if (action == SQLITE_ATTACH || action == SQLITE_DETACH) {
        s->denied = action == SQLITE_ATTACH ? "ATTACH" : "DETACH";
        return SQLITE_DENY;
    }
    if (action == SQLITE_PRAGMA && a &&
        (!strcasecmp(a, "temp_store_directory") || !strcasecmp(a, "data_store_directory"))) {
        s->denied = "this PRAGMA";
        return SQLITE_DENY;
    }
    return SQLITE_OK;
}

static int progress(void *ud)
{
    sqlite_scratch *s = ud;
    return s->limit_on && ++s->callbacks > MAX_CALLBACKS;
}

static void scratch_free(void *p)
{
    sqlite_scratch *s = p;
    sqlite3_finalize(s->version_stmt);
    sqlite3_close(s->db);
    hashmap_release(&s->recs);
}

static sqlite_scratch *scratch_get(catalog *cat, const char *file, diag_list *diags)
{
    if (cat->sqlite_scratch)
        return cat->sqlite_scratch;
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        src_loc loc = {file, 0, 0};
        diag_error(diags, loc, "cannot open an in-memory SQLite database: %s",
                   db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return NULL;
    }
    sqlite_scratch *s = ARENA_NEW(&cat->mem, sqlite_scratch);
    s->cat = cat;
    s->db = db;
    s->introspected = -1;
    s->defer = cat->sqlite_defer_pending;
    hashmap_init(&s->recs, &cat->mem);
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
    sqlite3_set_authorizer(db, authorizer, s);
    sqlite3_progress_handler(db, OPS_PER_CALLBACK, progress, s);
    cat->sqlite_scratch = s;
    cat->free_scratch = scratch_free;
    return s;
}

static long long schema_version(sqlite_scratch *s)
{
    if (!s->version_stmt &&
        sqlite3_prepare_v3(s->db, "PRAGMA main.schema_version", -1, SQLITE_PREPARE_PERSISTENT,
                           &s->version_stmt, NULL) != SQLITE_OK)
        return -2;
    long long v = -2;
    if (sqlite3_step(s->version_stmt) == SQLITE_ROW)
        v = sqlite3_column_int64(s->version_stmt, 0);
    sqlite3_reset(s->version_stmt);
    return v;
}

/* ---- provenance map ------------------------------------------------------------------ */

static const char *rec_key(arena *mem, char ns, const char *name)
{
    char *k = arena_printf(mem, "%c\x1f%s", ns, name);
    for (char *p = k + 2; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return k;
}

static obj_rec *rec_get(sqlite_scratch *s, arena *tmp, char ns, const char *name)
{
    return name ? hashmap_get(&s->recs, rec_key(tmp, ns, name)) : NULL;
}

static obj_rec *rec_new(sqlite_scratch *s, arena *tmp, char ns, const char *name, src_loc loc)
{
    obj_rec *r = ARENA_NEW(&s->cat->mem, obj_rec);
    r->created = loc;
    hashmap_put(&s->recs, rec_key(tmp, ns, name), r);
    return r;
}

static col_rec *col_get(obj_rec *r, const char *name)
{
    for (size_t i = 0; name && i < r->cols.n; i++)
        if (!strcasecmp(r->cols.v[i].name, name))
            return &r->cols.v[i];
    return NULL;
}

static void record_alter(sqlite_scratch *s, arena *tmp, const sqlite_stmt_head *h, src_loc loc)
{
    arena *mem = &s->cat->mem;
    obj_rec *r = rec_get(s, tmp, 'r', h->name);
    if (!r)
        r = rec_new(s, tmp, 'r', h->name, loc);
    else
        VEC_PUSH(mem, r->altered, loc);
    col_rec *c = col_get(r, h->column);
    switch (h->alter) {
    case SA_RENAME_TABLE:
        if (h->new_name) {
            hashmap_del(&s->recs, rec_key(tmp, 'r', h->name));
            hashmap_put(&s->recs, rec_key(tmp, 'r', h->new_name), r);
        }
        break;
    case SA_RENAME_COLUMN:
        if (!h->new_name)
            break;
        if (!c) {
            col_rec nc = {0};
            nc.created = r->created;
            VEC_PUSH(mem, r->cols, nc);
            c = &r->cols.v[r->cols.n - 1];
        }
        c->name = arena_strdup(mem, h->new_name);
        VEC_PUSH(mem, c->altered, loc);
        break;
    case SA_ADD_COLUMN:
        if (h->column) {
            if (c)
                VEC_REMOVE(r->cols, (size_t)(c - r->cols.v));
            col_rec nc = {0};
            nc.name = arena_strdup(mem, h->column);
            nc.created = loc;
            VEC_PUSH(mem, r->cols, nc);
        }
        break;
    case SA_DROP_COLUMN:
        if (c)
            VEC_REMOVE(r->cols, (size_t)(c - r->cols.v));
        break;
    default:
        break;
    }
}

static void record_ddl(sqlite_scratch *s, arena *tmp, const sqlite_stmt_head *h, src_loc loc)
{
    if (!h->name || h->temp || (h->schema && strcasecmp(h->schema, "main") != 0))
        return;
    char ns = h->kind == 'g' ? 'g' : 'r';
    if (h->verb == SV_CREATE)
        rec_new(s, tmp, ns, h->name, loc);
    else if (h->verb == SV_DROP)
        hashmap_del(&s->recs, rec_key(tmp, ns, h->name));
    else if (h->verb == SV_ALTER && h->kind == 't')
        record_alter(s, tmp, h, loc);
}

typedef struct lookup_ctx {
    sqlite_scratch *s;
    arena *tmp;
} lookup_ctx;

static bool prov_lookup(void *ctx, char kind, const char *table, const char *name, sqlite_prov *out)
{
    lookup_ctx *lc = ctx;
    obj_rec *r = rec_get(lc->s, lc->tmp, kind == 'g' ? 'g' : 'r', kind == 'c' ? table : name);
    if (!r)
        return false;
    if (kind == 'c') {
        col_rec *c = col_get(r, name);
        if (!c)
            return false;
        out->created = c->created;
        out->altered = c->altered.v;
        out->n_altered = c->altered.n;
        return true;
    }
    out->created = r->created;
    out->altered = r->altered.v;
    out->n_altered = r->altered.n;
    return true;
}

/* ---- statements ------------------------------------------------------------------------- */

typedef struct run_ctx {
    sqlite_scratch *s;
    catalog *cat;
    const char *sql;
    size_t len;
    line_index li;
    arena *tmp;
    diag_list *diags;
} run_ctx;

static void record_opaque(run_ctx *r, const sqlite_stmt_head *h, size_t start, size_t end, src_loc loc)
{
    char *text = sqlite_text_slice(r->tmp, r->sql, start, end);
    size_t n = strlen(text);
    while (n && (text[n - 1] == ';' || isspace((unsigned char)text[n - 1])))
        text[--n] = 0;
    catalog_opaque_add(r->cat, h->dml_kind ? h->dml_kind : "other", text, loc);
}

static int step_all(run_ctx *r, sqlite3_stmt *st)
{
    int rc;
    r->s->callbacks = 0;
    r->s->limit_on = true;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        ;
    r->s->limit_on = false;
    return rc;
}

/* Execute the statement starting at `start`; returns where the next begins. */
static size_t run_statement(run_ctx *r, size_t start)
{
    sqlite3 *db = r->s->db;
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    src_loc loc = line_index_loc(&r->li, start);
    r->s->denied = NULL;
    size_t avail = r->len - start;
    /* r->sql is NUL-terminated: -1 spares SQLite copying the rest of the text */
    int rc = sqlite3_prepare_v3(db, r->sql + start, -1, 0, &st, &tail);
    if (rc != SQLITE_OK) {
        if (r->s->denied) {
            diag_error(r->diags, loc, "%s is not allowed in a schema file (it could touch other files)",
                       r->s->denied);
        } else {
            int off = sqlite3_error_offset(db);
            src_loc at = off >= 0 && (size_t)off < avail ? line_index_loc(&r->li, start + (size_t)off) : loc;
            diag_error(r->diags, at, "%s", sqlite3_errmsg(db));
        }
        sqlite3_finalize(st);
        return sqlite_stmt_end(r->sql, r->len, start);
    }
    size_t end = tail ? (size_t)(tail - r->sql) : r->len;
    if (end <= start) {
        diag_error(r->diags, loc, "unexpected character in SQL text (NUL byte)");
        sqlite3_finalize(st);
        return start + 1;
    }
    if (!st)
        return end;
    sqlite_stmt_head h;
    sqlite_stmt_head_scan(r->tmp, r->sql + start, end - start, &h);
    if (h.verb == SV_VACUUM || h.verb == SV_ATTACH) {
        diag_error(r->diags, loc, "%s is not allowed in a schema file (it could touch other files)",
                   h.verb == SV_VACUUM ? "VACUUM" : "ATTACH");
        sqlite3_finalize(st);
        return end;
    }
    bool ddl = h.verb == SV_CREATE || h.verb == SV_ALTER || h.verb == SV_DROP;
    long long before = ddl ? schema_version(r->s) : 0;
    rc = (h.verb == SV_DML && h.dml_kind && !strcmp(h.dml_kind, "select")) ? SQLITE_DONE : step_all(r, st);
    if (rc != SQLITE_DONE) {
        const char *msg = rc == SQLITE_INTERRUPT ? "statement interrupted: it ran too long"
                                                 : sqlite3_errmsg(db);
        diag_error(r->diags, loc, "%s", msg);
        sqlite3_finalize(st);
        return end;
    }
    sqlite3_finalize(st);
    if (ddl && schema_version(r->s) != before)
        record_ddl(r->s, r->tmp, &h, loc);
    else if (h.verb == SV_DML)
        record_opaque(r, &h, start, end, loc);
    return end;
}

static int introspect(sqlite_scratch *s, catalog *cat, const char *file, arena *tmp, diag_list *diags)
{
    long long v = schema_version(s);
    if (v == s->introspected && v >= 0)
        return 0;
    lookup_ctx lc = {s, tmp};
    sqlite_introspect_opts o = {0};
    o.default_loc.file = file;
    o.error_loc.file = file;
    o.lookup = prov_lookup;
    o.ctx = &lc;
    sqlite_catalog_clear(cat);
    int rc = sqlite_introspect(cat, s->db, &o, diags, NULL);
    s->introspected = rc == 0 ? v : -1;
    return rc;
}

void sqlite_sql_defer(catalog *cat, bool on)
{
    sqlite_scratch *s = cat->sqlite_scratch;
    if (s)
        s->defer = on;
    else if (on)
        cat->sqlite_defer_pending = true;
}

int sqlite_sql_flush(catalog *cat, diag_list *diags)
{
    sqlite_scratch *s = cat->sqlite_scratch;
    cat->sqlite_defer_pending = false;
    if (!s)
        return 0;
    s->defer = false;
    if (!s->last_file)
        return 0;
    arena tmp;
    arena_init(&tmp);
    int rc = introspect(s, cat, s->last_file, &tmp, diags);
    arena_free(&tmp);
    return rc;
}

int sqlite_sql_read(catalog *cat, const char *filename, const char *sql, size_t len, diag_list *diags)
{
    const char *file = filename ? filename : "<input>";
    sqlite_scratch *s = scratch_get(cat, file, diags);
    if (!s)
        return -1;
    arena tmp;
    arena_init(&tmp);
    /* one NUL-terminated copy (the caller's text need not be terminated) */
    run_ctx r = {.s = s, .cat = cat, .sql = arena_strndup(&tmp, sql ? sql : "", sql ? len : 0),
                 .len = sql ? len : 0, .tmp = &tmp, .diags = diags};
    file = arena_strdup(&cat->mem, file);
    line_index_build(&r.li, &tmp, file, r.sql, r.len);
    size_t pos = 0;
    while ((pos = sqlite_skip_space(r.sql, r.len, pos)) < r.len)
        pos = run_statement(&r, pos);
    sqlite_annotate_scan(cat, r.sql, r.len, &r.li);
    int rc = 0;
    if (s->defer)
        s->last_file = file;
    else
        rc = introspect(s, cat, file, &tmp, diags);
    arena_free(&tmp);
    return rc;
}

int sqlite_sql_read_file(catalog *cat, const char *path, diag_list *diags)
{
    strbuf sb = STRBUF_INIT;
    if (strbuf_read_file(&sb, path) != 0) {
        src_loc loc = {path, 0, 0};
        diag_error(diags, loc, "cannot read file: %s", strerror(errno));
        strbuf_release(&sb);
        return -1;
    }
    source_mask_down_sections(sb.buf, sb.len);
    int rc = sqlite_sql_read(cat, path, strbuf_str(&sb), sb.len, diags);
    strbuf_release(&sb);
    return rc;
}
