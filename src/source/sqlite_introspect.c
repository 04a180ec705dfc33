/*
 * sqlite_introspect.c — schema of an open sqlite3 handle -> catalog objects.
 *
 * One query per object kind (tables, columns, foreign keys, indexes and
 * UNIQUE constraints, views, triggers) through table-valued pragma functions
 * joined with pragma_table_list / sqlite_schema; details the pragmas lack
 * (constraint names, CHECKs, generated expressions, deferrability, index
 * expressions, view and trigger parts) come from the stored DDL text via
 * sqlite_ddl.  See sqlite_introspect.h.
 */
#include "source/sqlite_introspect.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog/normalize.h"
#include "source/sqlite_ddl.h"

typedef struct pk_col {
    int pos;
    const char *name;
} pk_col;

typedef struct tentry {
    cat_table *t;
    sqlite_ddl_table ddl;
    bool virt;
    VEC(pk_col) pk;
} tentry;

typedef struct ictx {
    catalog *cat;
    sqlite3 *db;
    const sqlite_introspect_opts *o;
    diag_list *diags;
    arena tmp;
    hashmap tables;  /* stored name -> tentry */
    hashmap lc;      /* lower-case name -> stored name of tables and views */
    int rc;
} ictx;

#define USER_TABLES                                                                          \
    " FROM pragma_table_list l WHERE l.schema = 'main' AND l.type IN ('table', 'virtual')" \
    " AND lower(substr(l.name, 1, 7)) <> 'sqlite_'"

/* ---- helpers ---------------------------------------------------------------- */

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static char *dup(ictx *x, const char *s)
{
    return arena_strdup(&x->cat->mem, s);
}

static const char *norm_expr(ictx *x, const char *s)
{
    if (!s)
        return NULL;
    const char *n = normalize_sqlite_expr(&x->cat->mem, s);
    return n ? n : dup(x, s);
}

static char *lower(arena *mem, const char *s)
{
    char *l = arena_strdup(mem, s);
    for (char *p = l; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return l;
}

static const char *stored_name(ictx *x, const char *name)
{
    if (!name)
        return NULL;
    const char *s = hashmap_get(&x->lc, lower(&x->tmp, name));
    return s ? s : name;
}

static sqlite3_stmt *prep(ictx *x, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(x->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        if (!x->rc)
            x->rc = rc;
        if (rc != SQLITE_NOTADB)
            diag_error(x->diags, x->o->error_loc, "sqlite: %s", sqlite3_errmsg(x->db));
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

/* step; on error record it and return false */
static bool step_row(ictx *x, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        return true;
    if (rc != SQLITE_DONE) {
        if (!x->rc)
            x->rc = rc;
        if (rc != SQLITE_NOTADB)
            diag_error(x->diags, x->o->error_loc, "sqlite: %s", sqlite3_errmsg(x->db));
    }
    return false;
}

/* provenance of an object: created loc returned, altered appended later */
static sqlite_prov lookup_prov(ictx *x, char kind, const char *table, const char *name)
{
    sqlite_prov p = {x->o->default_loc, NULL, 0};
    if (x->o->lookup && x->o->lookup(x->o->ctx, kind, table, name, &p))
        return p;
    p.created = x->o->default_loc;
    p.n_altered = 0;
    return p;
}

static void add_altered(ictx *x, provenance *dst, const sqlite_prov *p)
{
    for (size_t i = 0; i < p->n_altered; i++)
        catalog_provenance_altered(x->cat, dst, p->altered[i]);
}

static bool same_names(const strvec *a, const strvec *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (!a->v[i] || !b->v[i] || strcasecmp(a->v[i], b->v[i]) != 0)
            return false;
    return true;
}

static const sqlite_ddl_con *ddl_con(const tentry *e, char kind, const strvec *cols,
                                     const char *ref_table)
{
    for (size_t i = 0; i < e->ddl.cons.n; i++) {
        const sqlite_ddl_con *c = &e->ddl.cons.v[i];
        if (c->kind != kind || (cols && !same_names(&c->columns, cols)))
            continue;
        if (ref_table && (!c->ref_table || strcasecmp(c->ref_table, ref_table) != 0))
            continue;
        return c;
    }
    return NULL;
}

static const sqlite_ddl_col *ddl_col(const tentry *e, const char *name)
{
    for (size_t i = 0; i < e->ddl.cols.n; i++)
        if (e->ddl.cols.v[i].name && !strcasecmp(e->ddl.cols.v[i].name, name))
            return &e->ddl.cols.v[i];
    return NULL;
}

static void strvec_add(ictx *x, strvec *v, const char *s)
{
    VEC_PUSH(&x->cat->mem, *v, dup(x, s));
}

/* ---- tables ------------------------------------------------------------------- */

static void drop_existing(ictx *x, const char *name)
{
    cat_table *t = catalog_table_find(x->cat, "main", name);
    if (t)
        catalog_table_remove(x->cat, t);
    cat_view *v = catalog_view_find(x->cat, "main", name);
    if (v)
        catalog_view_remove(x->cat, v);
}

static void table_sql_map(ictx *x, hashmap *out)
{
    sqlite3_stmt *st = prep(x, "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql IS NOT NULL");
    if (!st)
        return;
    while (step_row(x, st))
        if (col_text(st, 0) && col_text(st, 1))
            hashmap_put(out, col_text(st, 0), arena_strdup(&x->tmp, col_text(st, 1)));
    sqlite3_finalize(st);
}

static void read_tables(ictx *x)
{
    hashmap sqls;
    hashmap_init(&sqls, &x->tmp);
    table_sql_map(x, &sqls);
    sqlite3_stmt *st = x->rc ? NULL : prep(x, "SELECT l.name, l.type, l.wr, l.strict" USER_TABLES
                                              " ORDER BY l.name");
    if (!st) {
        hashmap_release(&sqls);
        return;
    }
    while (step_row(x, st)) {
        const char *name = col_text(st, 0);
        if (!name)
            continue;
        drop_existing(x, name);
        sqlite_prov p = lookup_prov(x, 't', NULL, name);
        tentry *e = ARENA_NEW(&x->tmp, tentry);
        e->t = catalog_table_add(x->cat, "main", name, p.created);
        add_altered(x, &e->t->prov, &p);
        e->virt = col_text(st, 1) && !strcmp(col_text(st, 1), "virtual");
        e->t->without_rowid = sqlite3_column_int(st, 2) != 0;
        e->t->strict = sqlite3_column_int(st, 3) != 0;
        e->t->sql = dup(x, hashmap_get(&sqls, name));
        if (!e->virt)
            sqlite_ddl_table_scan(&x->tmp, e->t->sql, &e->ddl);
        hashmap_put(&x->tables, name, e);
        hashmap_put(&x->lc, lower(&x->tmp, name), (void *)e->t->name);
    }
    sqlite3_finalize(st);
    hashmap_release(&sqls);
}

/* ---- columns ------------------------------------------------------------------------ */

/* row: cid, name, type, notnull, dflt_value, pk, hidden */
static void add_column(ictx *x, tentry *e, sqlite3_stmt *st, int base)
{
    const char *name = col_text(st, base + 1);
    if (!name)
        return;
    cat_table *t = e->t;
    sqlite_prov p = {t->prov.created, NULL, 0};
    if (!x->o->lookup || !x->o->lookup(x->o->ctx, 'c', t->name, name, &p)) {
        p.created = t->prov.created;
        p.n_altered = 0;
    }
    cat_column *c = catalog_column_add(x->cat, t, name, p.created);
    add_altered(x, &c->prov, &p);
    const sqlite_ddl_col *dc = ddl_col(e, name);
    const char *decl = dc && dc->type ? dc->type : col_text(st, base + 2);
    if (decl && *decl) {
        c->type_written = dup(x, decl);
        const char *n = normalize_sqlite_type(&x->cat->mem, decl);
        c->type = n ? n : c->type_written;
    }
    const char *dflt = col_text(st, base + 4);
    if (dflt) {
        c->default_expr = dup(x, dflt);
        c->default_norm = norm_expr(x, dflt);
    }
    c->not_null = sqlite3_column_int(st, base + 3) != 0;
    int pk = sqlite3_column_int(st, base + 5);
    int hidden = sqlite3_column_int(st, base + 6);
    c->hidden = hidden == 1;
    if (hidden == 2 || hidden == 3) {
        c->generated = hidden == 2 ? 'v' : 's';
        if (dc && dc->generated_expr) {
            c->generated_expr = dup(x, dc->generated_expr);
            c->generated_norm = norm_expr(x, dc->generated_expr);
        }
    }
    const char *coll = NULL;
    int autoinc = 0;
    if (!e->virt && sqlite3_table_column_metadata(x->db, "main", t->name, name, NULL, &coll, NULL,
                                                  NULL, &autoinc) == SQLITE_OK) {
        if (coll && strcasecmp(coll, "BINARY") != 0)
            c->collation = dup(x, coll);
        c->autoincrement = autoinc != 0;
    }
    if (pk > 0) {
        pk_col pc = {pk, c->name};
        VEC_PUSH(&x->tmp, e->pk, pc);
    }
}

static void read_columns(ictx *x)
{
    sqlite3_stmt *st = prep(x, "SELECT l.name, p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, "
                               "p.pk, p.hidden FROM pragma_table_list l "
                               "JOIN pragma_table_xinfo(l.name, 'main') p "
                               "WHERE l.schema = 'main' AND l.type = 'table' "
                               "AND lower(substr(l.name, 1, 7)) <> 'sqlite_' ORDER BY l.name, p.cid");
    if (!st)
        return;
    while (step_row(x, st)) {
        tentry *e = col_text(st, 0) ? hashmap_get(&x->tables, col_text(st, 0)) : NULL;
        if (e)
            add_column(x, e, st, 1);
    }
    sqlite3_finalize(st);
}

/* virtual tables one by one: their module may be missing (then no columns) */
static void read_virtual_columns(ictx *x)
{
    for (size_t i = 0; i < x->cat->tables.n; i++) {
        tentry *e = hashmap_get(&x->tables, x->cat->tables.v[i]->name);
        if (!e || !e->virt || e->t->columns.n)
            continue;
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(x->db,
                               "SELECT cid, name, type, \"notnull\", dflt_value, pk, hidden "
                               "FROM pragma_table_xinfo(?1, 'main')",
                               -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, e->t->name, -1, SQLITE_STATIC);
            while (sqlite3_step(st) == SQLITE_ROW)
                add_column(x, e, st, 0);
        }
        sqlite3_finalize(st);
    }
}

static int pk_cmp(const void *a, const void *b)
{
    return ((const pk_col *)a)->pos - ((const pk_col *)b)->pos;
}

static void add_primary_keys(ictx *x)
{
    for (size_t i = 0; i < x->cat->tables.n; i++) {
        tentry *e = hashmap_get(&x->tables, x->cat->tables.v[i]->name);
        if (!e || !e->pk.n)
            continue;
        qsort(e->pk.v, e->pk.n, sizeof(pk_col), pk_cmp);
        const sqlite_ddl_con *dc = ddl_con(e, 'p', NULL, NULL);
        cat_constraint *c = catalog_constraint_add(x->cat, e->t, CON_PRIMARY, dc ? dc->name : NULL,
                                                   e->t->prov.created);
        for (size_t k = 0; k < e->pk.n; k++)
            strvec_add(x, &c->columns, e->pk.v[k].name);
        if (dc && dc->conflict)
            c->conflict = dup(x, dc->conflict);
    }
}

/* CHECK and named NOT NULL constraints exist only in the DDL text */
static void add_ddl_constraints(ictx *x)
{
    for (size_t i = 0; i < x->cat->tables.n; i++) {
        tentry *e = hashmap_get(&x->tables, x->cat->tables.v[i]->name);
        if (!e)
            continue;
        for (size_t k = 0; k < e->ddl.cons.n; k++) {
            const sqlite_ddl_con *dc = &e->ddl.cons.v[k];
            if (dc->kind != 'c' && dc->kind != 'n')
                continue;
            cat_constraint *c = catalog_constraint_add(
                x->cat, e->t, dc->kind == 'c' ? CON_CHECK : CON_NOT_NULL, dc->name, e->t->prov.created);
            for (size_t j = 0; j < dc->columns.n; j++) {
                cat_column *col = catalog_column_find(e->t, dc->columns.v[j]);
                strvec_add(x, &c->columns, col ? col->name : dc->columns.v[j]);
            }
            if (dc->expr) {
                c->expr = dup(x, dc->expr);
                c->expr_norm = norm_expr(x, dc->expr);
            }
            if (dc->conflict)
                c->conflict = dup(x, dc->conflict);
        }
    }
}

/* ---- foreign keys ------------------------------------------------------------------ */

static fk_action fk_action_of(const char *s)
{
    if (!s)
        return 'a';
    if (!strcasecmp(s, "RESTRICT"))
        return 'r';
    if (!strcasecmp(s, "CASCADE"))
        return 'c';
    if (!strcasecmp(s, "SET NULL"))
        return 'n';
    if (!strcasecmp(s, "SET DEFAULT"))
        return 'd';
    return 'a';
}

static char fk_match_of(const char *s)
{
    if (s && !strcasecmp(s, "FULL"))
        return 'f';
    if (s && !strcasecmp(s, "PARTIAL"))
        return 'p';
    return 's';
}

static void fk_finish(ictx *x, tentry *e, cat_constraint *c)
{
    const sqlite_ddl_con *dc = ddl_con(e, 'f', &c->columns, c->ref_table);
    if (!dc)
        return;
    c->name = dc->name ? dup(x, dc->name) : NULL;
    c->deferrable = dc->deferrable;
    c->initially_deferred = dc->initially_deferred;
}

static void read_foreign_keys(ictx *x)
{
    sqlite3_stmt *st = prep(x, "SELECT l.name, f.id, f.\"table\", f.\"from\", f.\"to\", f.on_update, "
                               "f.on_delete, f.\"match\" FROM pragma_table_list l "
                               "JOIN pragma_foreign_key_list(l.name, 'main') f "
                               "WHERE l.schema = 'main' AND l.type = 'table' "
                               "AND lower(substr(l.name, 1, 7)) <> 'sqlite_' "
                               "ORDER BY l.name, f.id DESC, f.seq");
    if (!st)
        return;
    tentry *cur_e = NULL;
    cat_constraint *cur = NULL;
    int cur_id = -1;
    while (step_row(x, st)) {
        tentry *e = col_text(st, 0) ? hashmap_get(&x->tables, col_text(st, 0)) : NULL;
        if (!e)
            continue;
        int id = sqlite3_column_int(st, 1);
        if (e != cur_e || id != cur_id || !cur) {
            if (cur)
                fk_finish(x, cur_e, cur);
            cur = catalog_constraint_add(x->cat, e->t, CON_FOREIGN, NULL, e->t->prov.created);
            cur->ref_schema = "main";
            cur->ref_table = dup(x, stored_name(x, col_text(st, 2)));
            cur->on_update = fk_action_of(col_text(st, 5));
            cur->on_delete = fk_action_of(col_text(st, 6));
            cur->match = fk_match_of(col_text(st, 7));
            cur_e = e;
            cur_id = id;
        }
        const char *from = col_text(st, 3);
        cat_column *fc = from ? catalog_column_find(e->t, from) : NULL;
        strvec_add(x, &cur->columns, fc ? fc->name : from ? from : "");
        if (col_text(st, 4))
            strvec_add(x, &cur->ref_columns, col_text(st, 4));
    }
    if (cur)
        fk_finish(x, cur_e, cur);
    sqlite3_finalize(st);
}

/* FKs written without referenced columns reference the primary key */
static void resolve_fk_targets(ictx *x)
{
    for (size_t i = 0; i < x->cat->tables.n; i++) {
        cat_table *t = x->cat->tables.v[i];
        for (size_t k = 0; k < t->constraints.n; k++) {
            cat_constraint *c = t->constraints.v[k];
            if (c->kind != CON_FOREIGN || c->ref_columns.n)
                continue;
            cat_table *rt = catalog_table_find(x->cat, "main", c->ref_table);
            cat_constraint *pk = rt ? catalog_primary_key(rt) : NULL;
            if (pk && pk->columns.n == c->columns.n)
                for (size_t j = 0; j < pk->columns.n; j++)
                    VEC_PUSH(&x->cat->mem, c->ref_columns, pk->columns.v[j]);
        }
    }
}

/* ---- indexes and UNIQUE constraints -------------------------------------------------- */

typedef struct ixgroup {
    tentry *e;
    const char *name;
    char origin;
    bool unique;
    cat_constraint *con;
    cat_index *ix;
    sqlite_ddl_index ddl;
} ixgroup;

static void index_sql_map(ictx *x, hashmap *out)
{
    sqlite3_stmt *st = prep(x, "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL");
    if (!st)
        return;
    while (step_row(x, st))
        if (col_text(st, 0) && col_text(st, 1))
            hashmap_put(out, col_text(st, 0), arena_strdup(&x->tmp, col_text(st, 1)));
    sqlite3_finalize(st);
}

static void ixgroup_finish(ictx *x, ixgroup *g)
{
    if (!g->con)
        return;
    const sqlite_ddl_con *dc = ddl_con(g->e, 'u', &g->con->columns, NULL);
    if (dc) {
        g->con->name = dc->name ? dup(x, dc->name) : NULL;
        g->con->conflict = dc->conflict ? dup(x, dc->conflict) : NULL;
    }
}

static void ixgroup_start(ictx *x, ixgroup *g, tentry *e, sqlite3_stmt *st, hashmap *sqls)
{
    memset(g, 0, sizeof *g);
    g->e = e;
    g->name = arena_strdup(&x->tmp, col_text(st, 1));
    g->unique = sqlite3_column_int(st, 2) != 0;
    const char *origin = col_text(st, 3);
    g->origin = origin ? origin[0] : 'c';
    if (g->origin == 'u') {
        g->con = catalog_constraint_add(x->cat, e->t, CON_UNIQUE, NULL, e->t->prov.created);
        return;
    }
    sqlite_prov p = lookup_prov(x, 'i', e->t->name, g->name);
    g->ix = catalog_index_add(x->cat, e->t, g->name, p.created);
    add_altered(x, &g->ix->prov, &p);
    g->ix->unique = g->unique;
    const char *sql = hashmap_get(sqls, g->name);
    g->ix->sql = dup(x, sql);
    sqlite_ddl_index_scan(&x->tmp, sql, &g->ddl);
    if (g->ddl.where) {
        g->ix->where_expr = dup(x, g->ddl.where);
        g->ix->where_norm = norm_expr(x, g->ddl.where);
    }
}

/* row: table, index, unique, origin, seqno, cid, name, desc, coll */
static void ixgroup_elem(ictx *x, ixgroup *g, sqlite3_stmt *st)
{
    int seqno = sqlite3_column_int(st, 4);
    int cid = sqlite3_column_int(st, 5);
    const char *name = col_text(st, 6);
    if (g->con) {
        strvec_add(x, &g->con->columns, name ? name : "");
        return;
    }
    cat_index_elem el = {0};
    if (cid >= 0 && name) {
        el.column = dup(x, name);
    } else if (cid == -1) {
        el.column = "rowid";
    } else {
        const char *text = seqno >= 0 && (size_t)seqno < g->ddl.elems.n ? g->ddl.elems.v[seqno] : "";
        el.expr = dup(x, text);
        el.expr_norm = norm_expr(x, text);
    }
    el.desc = sqlite3_column_int(st, 7) != 0;
    const char *coll = col_text(st, 8);
    if (coll && strcasecmp(coll, "BINARY") != 0)
        el.collation = dup(x, coll);
    VEC_PUSH(&x->cat->mem, g->ix->elems, el);
}

static void read_indexes(ictx *x)
{
    hashmap sqls;
    hashmap_init(&sqls, &x->tmp);
    index_sql_map(x, &sqls);
    sqlite3_stmt *st = prep(x, "SELECT l.name, il.name, il.\"unique\", il.origin, ii.seqno, ii.cid, "
                               "ii.name, ii.\"desc\", ii.coll FROM pragma_table_list l "
                               "JOIN pragma_index_list(l.name, 'main') il "
                               "JOIN pragma_index_xinfo(il.name, 'main') ii "
                               "WHERE l.schema = 'main' AND l.type = 'table' "
                               "AND lower(substr(l.name, 1, 7)) <> 'sqlite_' "
                               "AND il.origin <> 'pk' AND ii.key = 1 "
                               "ORDER BY l.name, il.name, ii.seqno");
    if (st) {
        ixgroup g = {0};
        bool open = false;
        while (step_row(x, st)) {
            tentry *e = col_text(st, 0) ? hashmap_get(&x->tables, col_text(st, 0)) : NULL;
            if (!e || !col_text(st, 1))
                continue;
            if (!open || g.e != e || strcmp(g.name, col_text(st, 1)) != 0) {
                if (open)
                    ixgroup_finish(x, &g);
                ixgroup_start(x, &g, e, st, &sqls);
                open = true;
            }
            ixgroup_elem(x, &g, st);
        }
        if (open)
            ixgroup_finish(x, &g);
        sqlite3_finalize(st);
    }
    hashmap_release(&sqls);
}

/* ---- views ------------------------------------------------------------------------------ */

static void view_depends(ictx *x, cat_view *v)
{
    if (!v->definition)
        return;
    sqlite_tokvec tv = {0};
    sqlite_tokenize(&x->tmp, v->definition, strlen(v->definition), &tv);
    for (size_t i = 0; i < tv.n; i++) {
        if (tv.v[i].type != STK_WORD && tv.v[i].type != STK_QUOTED)
            continue;
        char *id = sqlite_tok_ident(&x->tmp, v->definition, tv.v[i]);
        const char *name = hashmap_get(&x->lc, lower(&x->tmp, id));
        if (!name || !strcasecmp(name, v->name))
            continue;
        const char *q = arena_printf(&x->cat->mem, "main.%s", name);
        bool seen = false;
        for (size_t k = 0; k < v->depends_on.n && !seen; k++)
            seen = !strcmp(v->depends_on.v[k], q);
        if (!seen)
            VEC_PUSH(&x->cat->mem, v->depends_on, q);
    }
}

static void read_views(ictx *x)
{
    sqlite3_stmt *st = prep(x, "SELECT name, sql FROM sqlite_schema WHERE type = 'view' ORDER BY name");
    if (!st)
        return;
    VEC(cat_view *) added = {0};
    while (step_row(x, st)) {
        const char *name = col_text(st, 0);
        if (!name)
            continue;
        drop_existing(x, name);
        sqlite_prov p = lookup_prov(x, 'v', NULL, name);
        cat_view *v = catalog_view_add(x->cat, "main", name, false, p.created);
        add_altered(x, &v->prov, &p);
        v->sql = dup(x, col_text(st, 1));
        sqlite_ddl_view dv;
        sqlite_ddl_view_scan(&x->tmp, v->sql, &dv);
        for (size_t i = 0; i < dv.column_names.n; i++)
            strvec_add(x, &v->column_names, dv.column_names.v[i]);
        if (dv.definition) {
            v->definition = dup(x, dv.definition);
            v->definition_norm = norm_expr(x, dv.definition);
        }
        hashmap_put(&x->lc, lower(&x->tmp, name), (void *)v->name);
        VEC_PUSH(&x->tmp, added, v);
    }
    sqlite3_finalize(st);
    for (size_t i = 0; i < added.n; i++)
        view_depends(x, added.v[i]);
}

/* ---- triggers ------------------------------------------------------------------------------ */

static void add_trigger(ictx *x, const char *name, const char *table, const char *sql)
{
    const char *tname = stored_name(x, table);
    cat_table *t = catalog_table_find(x->cat, "main", tname);
    cat_view *v = t ? NULL : catalog_view_find(x->cat, "main", tname);
    if (!t && !v)
        return;
    sqlite_prov p = lookup_prov(x, 'g', tname, name);
    cat_trigger *tg = t ? catalog_trigger_add(x->cat, t, name, p.created)
                        : catalog_view_trigger_add(x->cat, v, name, p.created);
    add_altered(x, &tg->prov, &p);
    tg->sql = dup(x, sql);
    tg->for_each_row = true;
    sqlite_ddl_trigger dt;
    sqlite_ddl_trigger_scan(&x->tmp, sql, &dt);
    tg->timing = dt.timing;
    if (dt.event)
        VEC_PUSH(&x->cat->mem, tg->events, dt.event);
    for (size_t i = 0; i < dt.update_columns.n; i++) {
        cat_column *c = t ? catalog_column_find(t, dt.update_columns.v[i]) : NULL;
        strvec_add(x, &tg->update_columns, c ? c->name : dt.update_columns.v[i]);
    }
    if (dt.when) {
        tg->when_expr = dup(x, dt.when);
        tg->when_norm = norm_expr(x, dt.when);
    }
    tg->body = dup(x, dt.body);
}

static void read_triggers(ictx *x)
{
    sqlite3_stmt *st = prep(x, "SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'trigger' "
                               "ORDER BY name");
    if (!st)
        return;
    while (step_row(x, st))
        if (col_text(st, 0) && col_text(st, 1) && col_text(st, 2))
            add_trigger(x, col_text(st, 0), col_text(st, 1), col_text(st, 2));
    sqlite3_finalize(st);
}

/* ---- entry points ----------------------------------------------------------------------------- */

void sqlite_catalog_clear(catalog *cat)
{
    while (cat->views.n)
        catalog_view_remove(cat, cat->views.v[cat->views.n - 1]);
    while (cat->tables.n)
        catalog_table_remove(cat, cat->tables.v[cat->tables.n - 1]);
}

int sqlite_introspect(catalog *cat, sqlite3 *db, const sqlite_introspect_opts *opts,
                      diag_list *diags, int *sqlite_rc)
{
    ictx x = {.cat = cat, .db = db, .o = opts, .diags = diags};
    arena_init(&x.tmp);
    hashmap_init(&x.tables, &x.tmp);
    hashmap_init(&x.lc, &x.tmp);
    read_tables(&x);
    if (!x.rc) {
        read_columns(&x);
        read_virtual_columns(&x);
        add_primary_keys(&x);
        read_foreign_keys(&x);
        read_indexes(&x);
        add_ddl_constraints(&x);
        resolve_fk_targets(&x);
        read_views(&x);
        read_triggers(&x);
    }
    hashmap_release(&x.tables);
    hashmap_release(&x.lc);
    arena_free(&x.tmp);
    if (sqlite_rc)
        *sqlite_rc = x.rc;
    return x.rc ? -1 : 0;
}
