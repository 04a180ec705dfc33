/*
 * diff_sqlite.c — the SQLite diff backend (diff_sqlite): pairs FROM and TO
 * tables (by name or a rename hint), decides each table's fate — nothing,
 * ALTER TABLE (RENAME TO / RENAME COLUMN / DROP COLUMN / ADD COLUMN, only
 * where SQLite allows them) or the documented 12-step rebuild
 * (diff_sqlite_rebuild.c) — and hands indexes, views and triggers to
 * diff_sqlite_deps.c.  Statements for new objects come from the emitter's
 * builders (emit/emit_sqlite.h), so a diff from `empty` equals inspect's SQL.
 *
 * Framing contract with diff_emit.c: a plan holding a "rebuild_table" change
 * is wrapped in PRAGMA foreign_keys=OFF (before BEGIN) / ON (after COMMIT);
 * this backend adds a "foreign_key_check" change at PHASE_SQLITE_FK_CHECK
 * (inside the transaction, last) that makes the script fail when the
 * rebuild left foreign key violations.
 */
#include "diff/diff_sqlite_int.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "emit/emit_sqlite.h"
#include "source/sqlite_ddl.h"

/* ---- small helpers (shared through diff_sqlite_int.h) ------------------------------ */

const char *sqd_lower(sqd *d, const char *s)
{
    char *l = arena_strdup(&d->tmp, s ? s : "");
    for (char *p = l; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return l;
}

bool sqd_streq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static const char *col_key(sqd *d, const char *table, const char *col)
{
    return arena_printf(&d->tmp, "%s\x1f%s", table, col);
}

const char *sqd_col_new(sqd *d, const char *table, const char *col)
{
    const char *n = hashmap_get(&d->colmap, col_key(d, table, col));
    return n ? n : col;
}

const char *sqd_table_new(sqd *d, const char *name)
{
    sq_pair *p = name ? hashmap_get(&d->by_from, name) : NULL;
    return p && p->t ? p->t->name : name;
}

static bool mentions(sqd *d, const char *text, const hashmap *set, const char *name)
{
    if (!text)
        return false;
    sqlite_tokvec tv = {0};
    sqlite_tokenize(&d->tmp, text, strlen(text), &tv);
    for (size_t i = 0; i < tv.n; i++) {
        if (tv.v[i].type != STK_WORD && tv.v[i].type != STK_QUOTED && tv.v[i].type != STK_STRING)
            continue;
        const char *id = sqd_lower(d, sqlite_tok_ident(&d->tmp, text, tv.v[i]));
        if (set ? hashmap_get(set, id) != NULL : !strcmp(id, name))
            return true;
    }
    return false;
}

bool sqd_mentions_any(sqd *d, const char *text, const hashmap *set)
{
    return mentions(d, text, set, NULL);
}

bool sqd_mentions(sqd *d, const char *text, const char *name)
{
    return mentions(d, text, NULL, sqd_lower(d, name));
}

bool sqd_same_text(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    for (;;) {
        bool sa = false, sb = false;
        while (*a && (isspace((unsigned char)*a) || *a == ';'))
            a++, sa = true;
        while (*b && (isspace((unsigned char)*b) || *b == ';'))
            b++, sb = true;
        if (!*a || !*b)
            return !*a && !*b;
        if (sa != sb || *a != *b)
            return false;
        a++, b++;
    }
}

void sqd_mark_gone(sqd *d, const char *name)
{
    hashmap_put(&d->gone, sqd_lower(d, name), (void *)1);
}

/* ---- pairing ------------------------------------------------------------------------ */

static bool skip_table(const catalog *cat, const cat_table *t)
{
    return sqlite_emit_is_shadow(cat, t);
}

static sq_pair *new_pair(sqd *d, cat_table *f, cat_table *t)
{
    sq_pair *p = ARENA_NEW(&d->tmp, sq_pair);
    p->f = f;
    p->t = t;
    p->fate = !f ? FATE_CREATE : !t ? FATE_DROP : FATE_SAME;
    VEC_PUSH(&d->tmp, d->pairs, p);
    if (f)
        hashmap_put(&d->by_from, f->name, p);
    if (t)
        hashmap_put(&d->by_to, t->name, p);
    return p;
}

/* the TO table FROM table f was renamed to, by a hint that fits both catalogs */
static cat_table *renamed_to(sqd *d, const cat_table *f)
{
    if (catalog_table_find(d->to, f->schema, f->name))
        return NULL;
    for (size_t i = 0; i < d->opts->renames.n; i++) {
        const diff_rename *r = &d->opts->renames.v[i];
        if (r->kind != OBJ_TABLE || strcmp(r->old_name, f->name) != 0)
            continue;
        cat_table *t = catalog_table_find(d->to, f->schema, r->new_name);
        if (t && !catalog_table_find(d->from, f->schema, r->new_name) &&
            !catalog_view_find(d->from, f->schema, r->new_name) && !skip_table(d->to, t) &&
            !hashmap_get(&d->by_to, t->name))
            return t;
    }
    return NULL;
}

static void column_renames(sqd *d, const cat_table *f, const cat_table *t)
{
    for (size_t i = 0; i < d->opts->renames.n; i++) {
        const diff_rename *r = &d->opts->renames.v[i];
        if (r->kind != OBJ_COLUMN)
            continue;
        if (r->table && strcmp(r->table, t->name) != 0 && strcmp(r->table, f->name) != 0)
            continue;
        if (catalog_column_find(f, r->old_name) && !catalog_column_find(t, r->old_name) &&
            catalog_column_find(t, r->new_name) && !catalog_column_find(f, r->new_name) &&
            !hashmap_get(&d->colmap, col_key(d, f->name, r->old_name)))
            hashmap_put(&d->colmap, col_key(d, f->name, r->old_name), (void *)r->new_name);
    }
}

static void pair_tables(sqd *d)
{
    for (size_t i = 0; i < d->from->tables.n; i++) {
        cat_table *f = d->from->tables.v[i];
        if (skip_table(d->from, f))
            continue;
        cat_table *t = catalog_table_find(d->to, f->schema, f->name);
        if (t && skip_table(d->to, t))
            t = NULL;
        new_pair(d, f, t);
    }
    /* renames after exact matches, so a hint never steals a same-name table */
    for (size_t i = 0; i < d->pairs.n; i++) {
        sq_pair *p = d->pairs.v[i];
        if (p->t)
            continue;
        cat_table *t = renamed_to(d, p->f);
        if (t) {
            p->t = t;
            p->fate = FATE_SAME;
            hashmap_put(&d->by_to, t->name, p);
        }
    }
    for (size_t i = 0; i < d->to->tables.n; i++) {
        cat_table *t = d->to->tables.v[i];
        if (!skip_table(d->to, t) && !hashmap_get(&d->by_to, t->name))
            new_pair(d, NULL, t);
    }
    for (size_t i = 0; i < d->pairs.n; i++)
        if (d->pairs.v[i]->f && d->pairs.v[i]->t)
            column_renames(d, d->pairs.v[i]->f, d->pairs.v[i]->t);
}

/* ---- comparing tables ------------------------------------------------------------------ */

static bool ci_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcasecmp(a, b) == 0;
}

static bool column_equal(const cat_column *a, const cat_column *b)
{
    return sqd_streq(a->type && *a->type ? a->type : NULL, b->type && *b->type ? b->type : NULL) &&
           sqd_streq(a->default_norm, b->default_norm) && a->not_null == b->not_null &&
           a->generated == b->generated && sqd_streq(a->generated_norm, b->generated_norm) &&
           ci_eq(a->collation, b->collation) && a->hidden == b->hidden &&
           a->autoincrement == b->autoincrement && a->identity == b->identity;
}

static void add_names(strbuf *o, const strvec *v, sqd *d, const char *table)
{
    strbuf_addch(o, '(');
    for (size_t i = 0; i < v->n; i++)
        strbuf_addf(o, "%s%s", i ? "," : "", table ? sqd_col_new(d, table, v->v[i]) : v->v[i]);
    strbuf_addch(o, ')');
}

/* a constraint as one comparable string; FROM names mapped through renames */
static const char *con_sig(sqd *d, const cat_constraint *k, const char *from_table)
{
    strbuf o = STRBUF_INIT;
    strbuf_addf(&o, "%c|%s|", k->kind, k->name ? k->name : "");
    add_names(&o, &k->columns, d, from_table);
    strbuf_addf(&o, "|%s|", k->expr_norm ? k->expr_norm : "");
    if (k->kind == CON_FOREIGN) {
        const char *rt = k->ref_table ? k->ref_table : "";
        strbuf_addf(&o, "%s", from_table ? sqd_table_new(d, rt) : rt);
        add_names(&o, &k->ref_columns, d, from_table ? rt : NULL);
        strbuf_addf(&o, "|%c%c%c%d%d", k->on_delete ? k->on_delete : 'a', k->on_update ? k->on_update : 'a',
                    k->match ? k->match : 's', k->deferrable, k->initially_deferred);
    }
    strbuf_addf(&o, "|%s", k->conflict ? k->conflict : "");
    const char *s = arena_strdup(&d->tmp, strbuf_str(&o));
    strbuf_release(&o);
    return s;
}

static bool constraint_in(sqd *d, const char *sig, const cat_table *t, const char *from_table)
{
    for (size_t i = 0; i < t->constraints.n; i++)
        if (!strcmp(sig, con_sig(d, t->constraints.v[i], from_table)))
            return true;
    return false;
}

static bool constraints_equal(sqd *d, const cat_table *f, const cat_table *t)
{
    if (f->constraints.n != t->constraints.n)
        return false;
    for (size_t i = 0; i < f->constraints.n; i++)
        if (!constraint_in(d, con_sig(d, f->constraints.v[i], f->name), t, NULL))
            return false;
    for (size_t i = 0; i < t->constraints.n; i++)
        if (!constraint_in(d, con_sig(d, t->constraints.v[i], NULL), f, f->name))
            return false;
    return true;
}

bool sqd_adds_constraints(sqd *d, const cat_table *f, const cat_table *t)
{
    for (size_t i = 0; i < t->constraints.n; i++)
        if (!constraint_in(d, con_sig(d, t->constraints.v[i], NULL), f, f->name))
            return true;
    return false;
}

/* FROM column of f that becomes TO column `name`, or NULL */
static cat_column *source_column(sqd *d, const cat_table *f, const char *name)
{
    for (size_t i = 0; i < f->columns.n; i++)
        if (!strcmp(sqd_col_new(d, f->name, f->columns.v[i]->name), name))
            return f->columns.v[i];
    return NULL;
}

static bool in_names(const strvec *v, const char *name)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->v[i] && !strcasecmp(v->v[i], name))
            return true;
    return false;
}

/* SQLite's ALTER TABLE DROP COLUMN refuses columns other schema parts use */
static bool droppable(sqd *d, const cat_table *f, const cat_column *c)
{
    for (size_t i = 0; i < f->constraints.n; i++) {
        const cat_constraint *k = f->constraints.v[i];
        if (in_names(&k->columns, c->name) || sqd_mentions(d, k->expr_norm, c->name) ||
            sqd_mentions(d, k->expr, c->name))
            return false;
    }
    for (size_t i = 0; i < f->indexes.n; i++) {
        const cat_index *ix = f->indexes.v[i];
        if (sqd_mentions(d, ix->sql, c->name) || sqd_mentions(d, ix->where_norm, c->name))
            return false;
        for (size_t j = 0; j < ix->elems.n; j++)
            if (ci_eq(ix->elems.v[j].column, c->name) || sqd_mentions(d, ix->elems.v[j].expr_norm, c->name))
                return false;
    }
    for (size_t i = 0; i < f->columns.n; i++)
        if (f->columns.v[i] != c && sqd_mentions(d, f->columns.v[i]->generated_norm, c->name))
            return false;
    /* foreign keys of any table that reference this column */
    for (size_t i = 0; i < d->from->tables.n; i++) {
        const cat_table *o = d->from->tables.v[i];
        for (size_t k = 0; k < o->constraints.n; k++) {
            const cat_constraint *fk = o->constraints.v[k];
            if (fk->kind == CON_FOREIGN && ci_eq(fk->ref_table, f->name) &&
                (in_names(&fk->ref_columns, c->name) || !fk->ref_columns.n))
                return false;
        }
    }
    return true;
}

static bool default_constant(const char *def)
{
    if (!def)
        return true;
    if (!emit_sqlite_default_is_literal(def))
        return false;
    while (isspace((unsigned char)*def))
        def++;
    return strncasecmp(def, "CURRENT_", 8) != 0;
}

/* SQLite's ALTER TABLE ADD COLUMN restrictions */
static bool addable(const cat_table *t, const cat_column *c)
{
    if (c->generated == 's' || c->autoincrement || c->hidden)
        return false;
    for (size_t i = 0; i < t->constraints.n; i++) {
        const cat_constraint *k = t->constraints.v[i];
        if (in_names(&k->columns, c->name))
            return false;
    }
    const char *def = c->default_expr ? c->default_expr : c->default_norm;
    if (c->generated)
        return !c->not_null;
    if (!default_constant(def))
        return false;
    if (c->not_null && (!def || !strcasecmp(def, "NULL")))
        return false;
    return true;
}

/* Can ALTER TABLE do it?  Sets p->reason when not. */
static bool alter_possible(sqd *d, sq_pair *p)
{
    cat_table *f = p->f, *t = p->t;
    if (f->without_rowid != t->without_rowid || f->strict != t->strict) {
        p->reason = "WITHOUT ROWID / STRICT changed";
        return false;
    }
    if (!constraints_equal(d, f, t)) {
        p->reason = "constraints changed";
        return false;
    }
    /* kept columns in the same relative order, new ones only at the end */
    size_t fi = 0;
    bool adding = false;
    for (size_t i = 0; i < t->columns.n; i++) {
        const cat_column *tc = t->columns.v[i];
        cat_column *fc = source_column(d, f, tc->name);
        if (!fc) {
            adding = true;
            if (!addable(t, tc)) {
                p->reason = arena_printf(&d->tmp, "column %s cannot be added by ALTER TABLE", tc->name);
                return false;
            }
            continue;
        }
        if (adding) {
            p->reason = "column order changed";
            return false;
        }
        while (fi < f->columns.n && f->columns.v[fi] != fc) {
            const cat_column *gone = f->columns.v[fi++];
            if (!droppable(d, f, gone)) {
                p->reason = arena_printf(&d->tmp, "column %s cannot be dropped by ALTER TABLE", gone->name);
                return false;
            }
        }
        if (fi == f->columns.n) {
            p->reason = "column order changed";
            return false;
        }
        fi++;
        if (!column_equal(fc, tc)) {
            p->reason = arena_printf(&d->tmp, "column %s changed", tc->name);
            return false;
        }
    }
    for (; fi < f->columns.n; fi++)
        if (!droppable(d, f, f->columns.v[fi])) {
            p->reason = arena_printf(&d->tmp, "column %s cannot be dropped by ALTER TABLE",
                                     f->columns.v[fi]->name);
            return false;
        }
    return true;
}

static bool columns_unchanged(sqd *d, const cat_table *f, const cat_table *t)
{
    if (f->columns.n != t->columns.n)
        return false;
    for (size_t i = 0; i < f->columns.n; i++)
        if (strcmp(sqd_col_new(d, f->name, f->columns.v[i]->name), t->columns.v[i]->name) != 0 ||
            !column_equal(f->columns.v[i], t->columns.v[i]))
            return false;
    return true;
}

static void classify(sqd *d, sq_pair *p)
{
    if (!p->f || !p->t)
        return;
    bool fv = sqlite_emit_is_virtual(p->f), tv = sqlite_emit_is_virtual(p->t);
    if (fv || tv) {
        bool same = fv && tv && sqd_same_text(p->f->sql, p->t->sql) && !strcmp(p->f->name, p->t->name);
        p->fate = same ? FATE_SAME : FATE_REPLACE;
        return;
    }
    if (columns_unchanged(d, p->f, p->t) && p->f->without_rowid == p->t->without_rowid &&
        p->f->strict == p->t->strict && constraints_equal(d, p->f, p->t)) {
        bool renamed_cols = false;
        for (size_t i = 0; i < p->f->columns.n; i++)
            renamed_cols |= strcmp(p->f->columns.v[i]->name, p->t->columns.v[i]->name) != 0;
        p->fate = renamed_cols ? FATE_ALTER : FATE_SAME;
        return;
    }
    p->fate = alter_possible(d, p) ? FATE_ALTER : FATE_REBUILD;
}

/* ---- statements -------------------------------------------------------------------------- */

static void q(strbuf *o, const char *name)
{
    sql_quote_ident(o, DIALECT_SQLITE, name);
}

static diff_change *add_sql(sqd *d, const char *kind, cat_object_kind ok, const cat_table *t, const char *sub,
                            int phase, int order, unsigned hazards, strbuf *sql)
{
    diff_change *c = diff_add(d->plan, kind, ok, t->schema, t->name, sub, phase, hazards, strbuf_str(sql));
    c->order = order;
    strbuf_reset(sql);
    return c;
}

static void emit_create(sqd *d, const cat_table *t)
{
    strbuf o = STRBUF_INIT;
    if (sqlite_emit_is_virtual(t)) {
        emit_add_trimmed_stmt(&o, t->sql);
        strbuf_adds(&o, ";\n");
    } else {
        sqlite_emit_table(&o, t);
    }
    add_sql(d, "create_table", OBJ_TABLE, t, NULL, PHASE_ALTER_TABLES, 4, 0, &o);
    strbuf_release(&o);
}

static void emit_drop(sqd *d, const cat_table *f)
{
    strbuf o = STRBUF_INIT;
    strbuf_adds(&o, "DROP TABLE ");
    q(&o, f->name);
    strbuf_adds(&o, ";\n");
    add_sql(d, "drop_table", OBJ_TABLE, f, NULL, PHASE_DROP_OBJECTS, 0, HAZARD_DESTRUCTIVE, &o);
    strbuf_release(&o);
    sqd_mark_gone(d, f->name);
}

static void emit_rename(sqd *d, const sq_pair *p)
{
    strbuf o = STRBUF_INIT;
    strbuf_adds(&o, "ALTER TABLE ");
    q(&o, p->f->name);
    strbuf_adds(&o, " RENAME TO ");
    q(&o, p->t->name);
    strbuf_adds(&o, ";\n");
    diff_change *c = add_sql(d, "rename_table", OBJ_TABLE, p->t, NULL, PHASE_ALTER_TABLES, 0, 0, &o);
    c->note = arena_printf(d->plan->mem, "renamed from %s", p->f->name);
    strbuf_release(&o);
    sqd_mark_gone(d, p->f->name);
}

static void emit_alter(sqd *d, const sq_pair *p)
{
    const cat_table *f = p->f, *t = p->t;
    strbuf o = STRBUF_INIT;
    for (size_t i = 0; i < f->columns.n; i++) {
        const char *old = f->columns.v[i]->name, *nw = sqd_col_new(d, f->name, old);
        if (!strcmp(old, nw) || !catalog_column_find(t, nw))
            continue;
        strbuf_adds(&o, "ALTER TABLE ");
        q(&o, t->name);
        strbuf_adds(&o, " RENAME COLUMN ");
        q(&o, old);
        strbuf_adds(&o, " TO ");
        q(&o, nw);
        strbuf_adds(&o, ";\n");
        add_sql(d, "rename_column", OBJ_COLUMN, t, nw, PHASE_ALTER_TABLES, 1, 0, &o);
        sqd_mark_gone(d, f->name);
    }
    for (size_t i = 0; i < f->columns.n; i++) {
        const cat_column *c = f->columns.v[i];
        if (catalog_column_find(t, sqd_col_new(d, f->name, c->name)))
            continue;
        strbuf_adds(&o, "ALTER TABLE ");
        q(&o, t->name);
        strbuf_adds(&o, " DROP COLUMN ");
        q(&o, c->name);
        strbuf_adds(&o, ";\n");
        add_sql(d, "drop_column", OBJ_COLUMN, t, c->name, PHASE_ALTER_TABLES, 2,
                c->generated ? 0 : HAZARD_DESTRUCTIVE, &o);
        sqd_mark_gone(d, f->name);
    }
    for (size_t i = 0; i < t->columns.n; i++) {
        const cat_column *c = t->columns.v[i];
        if (source_column(d, f, c->name))
            continue;
        strbuf def = STRBUF_INIT;
        sqlite_emit_column(&def, t, c, NULL);
        const char *s = strbuf_str(&def);
        while (*s == ' ')
            s++;
        strbuf_adds(&o, "ALTER TABLE ");
        q(&o, t->name);
        strbuf_addf(&o, " ADD COLUMN %s;\n", s);
        strbuf_release(&def);
        add_sql(d, "add_column", OBJ_COLUMN, t, c->name, PHASE_ALTER_TABLES, 3, 0, &o);
    }
    strbuf_release(&o);
}

static void emit_table_changes(sqd *d)
{
    /* drops children first (reverse dependency order), creates parents first */
    cat_table **fo = catalog_tables_in_dependency_order(d->from);
    for (size_t i = d->from->tables.n; i-- > 0;) {
        sq_pair *p = hashmap_get(&d->by_from, fo[i]->name);
        if (p && (p->fate == FATE_DROP || p->fate == FATE_REPLACE))
            emit_drop(d, p->f);
    }
    for (size_t i = 0; i < d->pairs.n; i++) {
        sq_pair *p = d->pairs.v[i];
        if (p->f && p->t && strcmp(p->f->name, p->t->name) != 0 && p->fate != FATE_REPLACE)
            emit_rename(d, p);
        if (p->fate == FATE_ALTER)
            emit_alter(d, p);
    }
    cat_table **to = catalog_tables_in_dependency_order(d->to);
    for (size_t i = 0; i < d->to->tables.n; i++) {
        sq_pair *p = hashmap_get(&d->by_to, to[i]->name);
        if (p && (p->fate == FATE_CREATE || p->fate == FATE_REPLACE))
            emit_create(d, p->t);
        else if (p && p->fate == FATE_REBUILD)
            sqd_emit_rebuild(d, p);
    }
}

static void emit_fk_check(sqd *d)
{
    diff_change *c = diff_add(d->plan, "foreign_key_check", OBJ_TABLE, NULL, "pragma_foreign_key_check", NULL,
                              PHASE_SQLITE_FK_CHECK,
                              0,
                              "SELECT json('dbsage: foreign key violation in table ' || \"table\")\n"
                              "  FROM pragma_foreign_key_check LIMIT 1;\n");
    c->note = "fails (\"malformed JSON\") when the rebuild left foreign key violations; run with sqlite3 -bail "
              "so the transaction is not committed";
}

int diff_sqlite(diff_plan *plan, catalog *from, catalog *to, const diff_opts *opts, diag_list *diags)
{
    (void)diags;
    diff_opts none;
    memset(&none, 0, sizeof none);
    sqd d;
    memset(&d, 0, sizeof d);
    d.plan = plan;
    d.from = from;
    d.to = to;
    d.opts = opts ? opts : &none;
    arena_init(&d.tmp);
    hashmap_init(&d.by_from, &d.tmp);
    hashmap_init(&d.by_to, &d.tmp);
    hashmap_init(&d.colmap, &d.tmp);
    hashmap_init(&d.gone, &d.tmp);
    pair_tables(&d);
    for (size_t i = 0; i < d.pairs.n; i++)
        classify(&d, d.pairs.v[i]);
    emit_table_changes(&d);
    sqd_diff_indexes(&d);
    sqd_diff_views_and_triggers(&d);
    if (d.any_rebuild)
        emit_fk_check(&d);
    hashmap_release(&d.by_from);
    hashmap_release(&d.by_to);
    hashmap_release(&d.colmap);
    hashmap_release(&d.gone);
    arena_free(&d.tmp);
    return 0;
}
