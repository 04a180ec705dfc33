/*
 * inventory_against.c — owns: `inventory --against URL`: the live catalog
 * (source_load) compared with every file's definitions — which live objects
 * match which files, which files look applied — and the tracking tables of
 * known migration tools and what they record:
 *
 *   dbmate          schema_migrations(version)
 *   golang-migrate  schema_migrations(version, dirty)
 *   Flyway          flyway_schema_history(installed_rank, version, success)
 *   Sqitch          sqitch.changes(change, committed_at)
 *   Atlas           atlas_schema_revisions[.atlas_schema_revisions](version, applied, total, error)
 *   dbsage          dbsage_migrations(version, execution_ms; NULL = dirty)
 *
 * The queries are fixed text (no value is ever spliced in).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "analysis/inventory.h"
#include "source/source.h"
#include "util/url.h"

/* ---- rows of a fixed query, on either engine -------------------------------------- */

typedef struct live_conn {
    dialect d;
    PGconn *pg;
    sqlite3 *lite;
} live_conn;

typedef VEC(strvec) rowvec;

/* rows (each a strvec of ncols texts, NULL for SQL NULL); -1 on error */
static int live_query(live_conn *c, arena *mem, const char *sql, int ncols, rowvec *out)
{
    if (c->d == DIALECT_PG) {
        PGresult *res = PQexec(c->pg, sql);
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            PQclear(res);
            return -1;
        }
        for (int r = 0; r < PQntuples(res); r++) {
            strvec row = {0};
            for (int k = 0; k < ncols; k++)
                VEC_PUSH(mem, row, PQgetisnull(res, r, k) ? NULL : arena_strdup(mem, PQgetvalue(res, r, k)));
            VEC_PUSH(mem, *out, row);
        }
        PQclear(res);
        return 0;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(c->lite, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        strvec row = {0};
        for (int k = 0; k < ncols; k++) {
            const unsigned char *v = sqlite3_column_text(st, k);
            VEC_PUSH(mem, row, v ? arena_strdup(mem, (const char *)v) : NULL);
        }
        VEC_PUSH(mem, *out, row);
    }
    sqlite3_finalize(st);
    return 0;
}

/* ---- tracking tables ---------------------------------------------------------------- */

static bool digits(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

static bool same_version(const char *a, const char *b)
{
    if (digits(a) && digits(b)) {
        while (*a == '0' && a[1])
            a++;
        while (*b == '0' && b[1])
            b++;
    }
    return !strcmp(a, b);
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* migration files recording version v (sqitch: change name = file name without .sql) */
static void map_version(inventory *inv, inv_tracking *t, const char *v, bool by_name)
{
    bool found = false;
    for (size_t i = 0; i < inv->files.n; i++) {
        inv_file *f = inv->files.v[i];
        bool hit;
        if (by_name) {
            const char *b = base_name(f->name);
            size_t n = strlen(v);
            hit = !strncmp(b, v, n) && !strcasecmp(b + n, ".sql");
        } else {
            hit = f->version && same_version(f->version, v);
        }
        if (!hit)
            continue;
        found = true;
        VEC_PUSH(&inv->mem, t->files, arena_printf(&inv->mem, "%s -> %s", v, f->name));
    }
    if (!found)
        VEC_PUSH(&inv->mem, t->unknown, v);
}

static const cat_table *live_table(const catalog *live, const char *schema, const char *name)
{
    for (size_t i = 0; i < live->tables.n; i++)
        if (!strcmp(live->tables.v[i]->name, name) &&
            !strcmp(live->tables.v[i]->schema, schema ? schema : catalog_default_schema(live)))
            return live->tables.v[i];
    return NULL;
}

typedef struct tool_def {
    const char *tool, *schema, *table, *query;
    int ncols;
    int dirty_kind; /* 0 none, 1 col1 true = dirty, 2 col1 false = failed, 3 col1 NULL = dirty, 4 atlas */
    bool by_name;
} tool_def;

static void tracking(inventory *inv, live_conn *c, const catalog *live)
{
    inv_against *a = inv->against;
    const cat_table *sm = live_table(live, NULL, "schema_migrations");
    bool golang = sm && catalog_column_find(sm, "dirty");
    const tool_def tools[] = {
        {"dbmate", NULL, "schema_migrations", "SELECT version FROM schema_migrations ORDER BY version", 1, 0, false},
        {"golang-migrate", NULL, "schema_migrations", "SELECT version, dirty FROM schema_migrations ORDER BY version", 2,
         1, false},
        {"flyway", NULL, "flyway_schema_history",
         "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank", 2, 2,
         false},
        {"sqitch", "sqitch", "changes", "SELECT change FROM sqitch.changes ORDER BY committed_at", 1, 0, true},
        {"atlas", "atlas_schema_revisions", "atlas_schema_revisions",
         "SELECT version, applied, total, error FROM atlas_schema_revisions.atlas_schema_revisions ORDER BY version", 4,
         4, false},
        {"atlas", NULL, "atlas_schema_revisions",
         "SELECT version, applied, total, error FROM atlas_schema_revisions ORDER BY version", 4, 4, false},
        {"dbsage", NULL, "dbsage_migrations", "SELECT version, execution_ms FROM dbsage_migrations ORDER BY version", 2,
         3, false},
    };
    for (size_t i = 0; i < sizeof tools / sizeof *tools; i++) {
        const tool_def *td = &tools[i];
        if (!live_table(live, td->schema, td->table))
            continue;
        if (!strcmp(td->table, "schema_migrations") && golang != !strcmp(td->tool, "golang-migrate"))
            continue;
        rowvec rows = {0};
        if (live_query(c, &inv->mem, td->query, td->ncols, &rows) < 0)
            continue;
        inv_tracking t;
        memset(&t, 0, sizeof t);
        t.tool = td->tool;
        t.table = td->schema ? arena_printf(&inv->mem, "%s.%s", td->schema, td->table) : td->table;
        if (!strcmp(td->tool, "dbsage") || !strcmp(td->tool, "dbmate") || !strcmp(td->tool, "golang-migrate")) {
            /* versions are text: order them numerically when they are numbers */
            for (size_t r = 1; r < rows.n; r++)
                for (size_t q = r; q > 0; q--) {
                    const char *x = rows.v[q - 1].v[0], *y = rows.v[q].v[0];
                    bool swap = digits(x) && digits(y) ? atoll(x) > atoll(y) : strcmp(x, y) > 0;
                    if (!swap)
                        break;
                    strvec tmp = rows.v[q - 1];
                    rows.v[q - 1] = rows.v[q];
                    rows.v[q] = tmp;
                }
        }
        for (size_t r = 0; r < rows.n; r++) {
            const strvec *row = &rows.v[r];
            const char *v = row->v[0];
            if (!v)
                continue;
            bool dirty = false;
            switch (td->dirty_kind) {
            case 1: dirty = row->v[1] && (!strcmp(row->v[1], "t") || !strcmp(row->v[1], "1")); break;
            case 2: dirty = row->v[1] && (!strcmp(row->v[1], "f") || !strcmp(row->v[1], "0")); break;
            case 3: dirty = row->v[1] == NULL; break;
            case 4:
                dirty = (row->v[1] && row->v[2] && strcmp(row->v[1], row->v[2])) || (row->v[3] && *row->v[3]);
                break;
            }
            VEC_PUSH(&inv->mem, t.versions, v);
            if (dirty)
                VEC_PUSH(&inv->mem, t.dirty, v);
            t.latest = v;
            map_version(inv, &t, v, td->by_name);
        }
        VEC_PUSH(&inv->mem, a->tracking, t);
    }
}

/* ---- objects and files ------------------------------------------------------------ */

static bool is_tracking_table(const cat_table *t)
{
    static const char *const names[] = {"schema_migrations", "flyway_schema_history", "atlas_schema_revisions",
                                        "dbsage_migrations", NULL};
    if (!strcmp(t->schema, "sqitch"))
        return true;
    for (const char *const *n = names; *n; n++)
        if (!strcmp(t->name, *n))
            return true;
    return false;
}

static void compare_objects(inventory *inv, const catalog *live)
{
    inv_against *a = inv->against;
    for (size_t i = 0; i < inv->objects.n; i++) {
        inv_object *o = inv->objects.v[i];
        if (!o->defs.n)
            continue;
        inv_live_object lo;
        memset(&lo, 0, sizeof lo);
        lo.obj = o;
        lo.present = inv_present(live, o->kind, o->schema, o->name);
        for (size_t d = 0; lo.present && d < o->defs.n; d++) {
            inv_file *f = o->defs.v[d].file;
            strvec diffs = {0};
            int sup = 0;
            inv_verdict v = inv_compare(&inv->mem, o->kind, o->schema, o->name, f->cat, live, f->name, "the database",
                                        &sup, &diffs);
            if (v == INV_CONFLICTING || (v == INV_COMPATIBLE && sup == 1))
                VEC_PUSH(&inv->mem, lo.differs, arena_printf(&inv->mem, "%s: %s", f->name, inv_first_diff(&diffs)));
            else
                VEC_PUSH(&inv->mem, lo.matches,
                         arena_printf(&inv->mem, "%s (%s)", f->name,
                                      v == INV_IDENTICAL ? "identical" : "compatible, the database holds more"));
        }
        VEC_PUSH(&inv->mem, a->objects, lo);
    }
    for (size_t i = 0; i < live->tables.n; i++) {
        const cat_table *t = live->tables.v[i];
        const char *s = inv_norm_schema(live->dialect, t->schema);
        if (is_tracking_table(t) || inv_object_find(inv, INVK_TABLE, s, t->name))
            continue;
        VEC_PUSH(&inv->mem, a->live_only,
                 arena_printf(&inv->mem, "table %s%s%s", s ? s : "", s ? "." : "", t->name));
    }
    for (size_t i = 0; i < live->views.n; i++) {
        const cat_view *v = live->views.v[i];
        const char *s = inv_norm_schema(live->dialect, v->schema);
        if (!inv_object_find(inv, INVK_VIEW, s, v->name))
            VEC_PUSH(&inv->mem, a->live_only, arena_printf(&inv->mem, "view %s%s%s", s ? s : "", s ? "." : "", v->name));
    }
}

/* an ALTER whose effect can be checked: add/drop column, index */
static int alter_applied(const catalog *live, const inv_ref *r)
{
    if (r->kind != INVK_TABLE || !r->detail)
        return -1;
    const cat_table *t = live_table(live, r->schema, r->name);
    if (!strncmp(r->detail, "add column ", 11) && !strchr(r->detail, ','))
        return t && catalog_column_find(t, r->detail + 11);
    if (!strncmp(r->detail, "drop column ", 12) && !strchr(r->detail, ','))
        return t && !catalog_column_find(t, r->detail + 12);
    if (!strncmp(r->detail, "index ", 6) && strcmp(r->detail, "index (unnamed)"))
        return catalog_index_find(live, r->schema ? r->schema : catalog_default_schema(live), r->detail + 6) != NULL;
    return -1;
}

static void compare_files(inventory *inv, const catalog *live)
{
    inv_against *a = inv->against;
    for (size_t i = 0; i < inv->files.n; i++) {
        inv_file *f = inv->files.v[i];
        if (f->cls != INV_SNAPSHOT && f->cls != INV_MIGRATION)
            continue;
        inv_live_file lf;
        memset(&lf, 0, sizeof lf);
        lf.file = f;
        int matching = 0;
        for (size_t k = 0; k < f->refs.n; k++) {
            const inv_ref *r = &f->refs.v[k];
            if (r->action == INV_CREATE) {
                lf.total++;
                if (inv_present(live, r->kind, r->schema, r->name)) {
                    lf.present++;
                    /* matching: identical, or the database holds more (later migrations) */
                    int sup = 0;
                    inv_verdict v = inv_compare(&inv->mem, r->kind, r->schema, r->name, f->cat, live, "a", "b", &sup,
                                                NULL);
                    matching += v == INV_IDENTICAL || (v == INV_COMPATIBLE && sup != 1);
                }
            } else if (r->action == INV_ALTER) {
                int ok = alter_applied(live, r);
                if (ok < 0)
                    continue;
                lf.total++;
                lf.present += ok;
                matching += ok;
            }
        }
        lf.state = lf.total && matching == lf.total ? "applied"
                   : lf.present                     ? "partially applied"
                                                    : "not applied";
        for (size_t t = 0; t < a->tracking.n && !lf.tracked; t++) {
            const inv_tracking *tr = &a->tracking.v[t];
            for (size_t k = 0; k < tr->files.n && !lf.tracked; k++) {
                const char *arrow = strstr(tr->files.v[k], " -> ");
                if (arrow && !strcmp(arrow + 4, f->name))
                    lf.tracked = arena_printf(&inv->mem, "recorded by %s (version %.*s)", tr->tool,
                                              (int)(arrow - tr->files.v[k]), tr->files.v[k]);
            }
        }
        VEC_PUSH(&inv->mem, a->files, lf);
    }
}

int inventory_against_live(inventory *inv, const char *spec, diag_list *diags)
{
    inv_against *a = ARENA_NEW(&inv->mem, inv_against);
    inv->against = a;
    a->url = url_mask(&inv->mem, spec);
    source_kind kind = source_classify(spec);
    a->dialect = kind == SOURCE_LIVE_PG ? DIALECT_PG : DIALECT_SQLITE;
    if (kind != SOURCE_LIVE_PG && kind != SOURCE_LIVE_SQLITE) {
        src_loc l = {a->url, 0, 0};
        diag_error(diags, l, "--against needs a live database (postgres://... or an SQLite file)");
        inv->against = NULL;
        return -1;
    }
    catalog *live = catalog_new(a->dialect);
    source_opts so = {0};
    if (source_load(live, spec, &so, diags) < 0) {
        catalog_free(live);
        inv->against = NULL;
        return -1;
    }
    live_conn c = {a->dialect, NULL, NULL};
    if (a->dialect == DIALECT_PG) {
        c.pg = PQconnectdb(spec);
        if (PQstatus(c.pg) != CONNECTION_OK) {
            PQfinish(c.pg);
            c.pg = NULL;
        }
    } else {
        char *path = url_sqlite_path(&inv->mem, spec);
        if (sqlite3_open_v2(path ? path : spec, &c.lite, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
            sqlite3_close(c.lite);
            c.lite = NULL;
        }
    }
    if (c.pg || c.lite)
        tracking(inv, &c, live);
    compare_objects(inv, live);
    compare_files(inv, live);
    if (c.pg)
        PQfinish(c.pg);
    if (c.lite)
        sqlite3_close(c.lite);
    catalog_free(live);
    return 0;
}
