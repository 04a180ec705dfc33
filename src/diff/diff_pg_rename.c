/*
 * diff_pg_rename.c — PostgreSQL diff: renames from hints (annotations and
 * --rename): tables, views, columns, indexes, enum types and labels.  Each
 * rename is emitted first (PHASE_RENAMES) and applied to the FROM catalog in
 * memory, so everything compared and emitted afterwards uses the new names.
 */
#include "diff/diff_pg.h"

#include <string.h>

static const char *schema_or_default(const char *s)
{
    return s && *s ? s : "public";
}


static void rename_fk_refs(catalog *cat, const char *os, const char *on, const char *ns, const char *nn)
{
    for (size_t i = 0; i < cat->tables.n; i++) {
        cat_table *t = cat->tables.v[i];
        for (size_t j = 0; j < t->constraints.n; j++) {
            cat_constraint *k = t->constraints.v[j];
            if (k->kind == CON_FOREIGN && pgd_str_eq(k->ref_table, on) &&
                !strcmp(schema_or_default(k->ref_schema), os)) {
                k->ref_table = arena_strdup(&cat->mem, nn);
                k->ref_schema = arena_strdup(&cat->mem, ns);
            }
        }
    }
}

static void rename_in_strvec(catalog *cat, strvec *v, const char *old, const char *new_name)
{
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->v[i], old))
            v->v[i] = arena_strdup(&cat->mem, new_name);
}

static void rename_column_refs(catalog *cat, cat_table *t, const char *old, const char *new_name)
{
    for (size_t i = 0; i < t->constraints.n; i++) {
        rename_in_strvec(cat, &t->constraints.v[i]->columns, old, new_name);
        rename_in_strvec(cat, &t->constraints.v[i]->include_columns, old, new_name);
    }
    for (size_t i = 0; i < t->indexes.n; i++) {
        cat_index *ix = t->indexes.v[i];
        for (size_t j = 0; j < ix->elems.n; j++)
            if (pgd_str_eq(ix->elems.v[j].column, old))
                ix->elems.v[j].column = arena_strdup(&cat->mem, new_name);
        rename_in_strvec(cat, &ix->include_columns, old, new_name);
    }
    for (size_t i = 0; i < t->triggers.n; i++)
        rename_in_strvec(cat, &t->triggers.v[i]->update_columns, old, new_name);
    for (size_t i = 0; i < cat->tables.n; i++) {
        cat_table *o = cat->tables.v[i];
        for (size_t j = 0; j < o->constraints.n; j++) {
            cat_constraint *k = o->constraints.v[j];
            if (k->kind == CON_FOREIGN && pgd_str_eq(k->ref_table, t->name) &&
                !strcmp(schema_or_default(k->ref_schema), t->schema))
                rename_in_strvec(cat, &k->ref_columns, old, new_name);
        }
    }
    for (size_t i = 0; i < cat->sequences.n; i++) {
        cat_sequence *s = cat->sequences.v[i];
        if (pgd_str_eq(s->owned_by_table, t->name) && pgd_str_eq(s->owned_by_column, old) &&
            !strcmp(s->schema, t->schema))
            s->owned_by_column = arena_strdup(&cat->mem, new_name);
    }
    for (size_t i = 0; i < cat->grants.n; i++) {
        cat_grant *g = cat->grants.v[i];
        if (g->column && !strcmp(g->column, old) && pgd_str_eq(g->object, t->name) &&
            !strcmp(schema_or_default(g->schema), t->schema))
            g->column = arena_strdup(&cat->mem, new_name);
    }
}

static bool relation_exists(catalog *cat, const char *s, const char *n)
{
    return catalog_table_find(cat, s, n) || catalog_view_find(cat, s, n);
}

static void rename_relation(pgd *d, const diff_rename *r, const char *s)
{
    if (!relation_exists(d->from, s, r->old_name) || relation_exists(d->from, s, r->new_name) ||
        relation_exists(d->to, s, r->old_name) || !relation_exists(d->to, s, r->new_name))
        return;
    strbuf q = STRBUF_INIT;
    cat_table *t = catalog_table_find(d->from, s, r->old_name);
    cat_view *v = t ? NULL : catalog_view_find(d->from, s, r->old_name);
    if (t && !catalog_table_find(d->to, s, r->new_name))
        return;
    if (v && (!catalog_view_find(d->to, s, r->new_name) ||
              catalog_view_find(d->to, s, r->new_name)->materialized != v->materialized))
        return;
    strbuf_adds(&q, t ? "ALTER TABLE " : v->materialized ? "ALTER MATERIALIZED VIEW " : "ALTER VIEW ");
    pg_qname(&q, s, r->old_name);
    strbuf_adds(&q, " RENAME TO ");
    pg_ident(&q, r->new_name);
    strbuf_adds(&q, ";\n");
    diff_change *c = pgd_add(d, t ? "rename_table" : "rename_view", t ? OBJ_TABLE : OBJ_VIEW, s, r->new_name,
                             NULL, PHASE_RENAMES, 0, &q);
    c->order = -100;
    c->note = arena_printf(d->mem, "renamed from %s", r->old_name);
    if (t)
        catalog_table_rename(d->from, t, s, r->new_name);
    else
        catalog_view_rename(d->from, v, s, r->new_name);
    rename_fk_refs(d->from, s, r->old_name, s, r->new_name);
    strbuf_release(&q);
}

static void rename_column(pgd *d, const diff_rename *r, const char *s)
{
    cat_table *ft = catalog_table_find(d->from, s, r->table);
    cat_table *tt = catalog_table_find(d->to, s, r->table);
    if (!ft || !tt || !catalog_column_find(ft, r->old_name) || catalog_column_find(ft, r->new_name) ||
        catalog_column_find(tt, r->old_name) || !catalog_column_find(tt, r->new_name))
        return;
    strbuf q = STRBUF_INIT;
    strbuf_adds(&q, "ALTER TABLE ");
    pg_qname(&q, s, r->table);
    strbuf_adds(&q, " RENAME COLUMN ");
    pg_ident(&q, r->old_name);
    strbuf_adds(&q, " TO ");
    pg_ident(&q, r->new_name);
    strbuf_adds(&q, ";\n");
    diff_change *c = pgd_add(d, "rename_column", OBJ_COLUMN, s, r->table, r->new_name, PHASE_RENAMES, 0, &q);
    c->order = -90;
    c->note = arena_printf(d->mem, "renamed from %s", r->old_name);
    cat_column *col = catalog_column_find(ft, r->old_name);
    col->name = arena_strdup(&d->from->mem, r->new_name);
    rename_column_refs(d->from, ft, r->old_name, r->new_name);
    strbuf_release(&q);
}

static void rename_index(pgd *d, const diff_rename *r, const char *s)
{
    cat_index *ix = catalog_index_find(d->from, s, r->old_name);
    if (!ix || catalog_index_find(d->from, s, r->new_name) || catalog_index_find(d->to, s, r->old_name) ||
        !catalog_index_find(d->to, s, r->new_name))
        return;
    strbuf q = STRBUF_INIT;
    strbuf_adds(&q, "ALTER INDEX ");
    pg_qname(&q, s, r->old_name);
    strbuf_adds(&q, " RENAME TO ");
    pg_ident(&q, r->new_name);
    strbuf_adds(&q, ";\n");
    diff_change *c = pgd_add(d, "rename_index", OBJ_INDEX, s, r->new_name, NULL, PHASE_RENAMES, 0, &q);
    c->order = -80;
    c->note = arena_printf(d->mem, "renamed from %s", r->old_name);
    catalog_index_rename(d->from, ix, s, r->new_name);
    strbuf_release(&q);
}


static void rename_enum(pgd *d, const diff_rename *r, const char *s)
{
    strbuf q = STRBUF_INIT;
    if (!r->table) { /* the type itself */
        cat_enum *e = catalog_enum_find(d->from, s, r->old_name);
        if (!e || catalog_enum_find(d->from, s, r->new_name) || catalog_enum_find(d->to, s, r->old_name) ||
            !catalog_enum_find(d->to, s, r->new_name))
            return;
        strbuf_adds(&q, "ALTER TYPE ");
        pg_qname(&q, s, r->old_name);
        strbuf_adds(&q, " RENAME TO ");
        pg_ident(&q, r->new_name);
        strbuf_adds(&q, ";\n");
        diff_change *c = pgd_add(d, "rename_type", OBJ_ENUM, s, r->new_name, NULL, PHASE_RENAMES, 0, &q);
        c->order = -110;
        catalog_enum_rename(d->from, e, s, r->new_name);
        strbuf_release(&q);
        return;
    }
    cat_enum *fe = catalog_enum_find(d->from, s, r->table), *te = catalog_enum_find(d->to, s, r->table);
    if (!fe || !te || !pgd_enum_has_label(fe, r->old_name) || pgd_enum_has_label(fe, r->new_name) || pgd_enum_has_label(te, r->old_name) ||
        !pgd_enum_has_label(te, r->new_name))
        return;
    strbuf_adds(&q, "ALTER TYPE ");
    pg_qname(&q, s, r->table);
    strbuf_adds(&q, " RENAME VALUE ");
    sql_quote_literal(&q, r->old_name);
    strbuf_adds(&q, " TO ");
    sql_quote_literal(&q, r->new_name);
    strbuf_adds(&q, ";\n");
    diff_change *c = pgd_add(d, "rename_enum_value", OBJ_ENUM, s, r->table, r->new_name, PHASE_RENAMES, 0, &q);
    c->order = -100;
    rename_in_strvec(d->from, &fe->labels, r->old_name, r->new_name);
    strbuf_release(&q);
}

void pgd_apply_renames(pgd *d)
{
    /* relations first so column renames find their (new) table */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < d->opts->renames.n; i++) {
            const diff_rename *r = &d->opts->renames.v[i];
            const char *s = schema_or_default(r->schema);
            bool rel = r->kind == OBJ_TABLE || r->kind == OBJ_VIEW || r->kind == OBJ_MATVIEW;
            if (pass == 0 && rel)
                rename_relation(d, r, s);
            else if (pass == 0 && r->kind == OBJ_ENUM && !r->table)
                rename_enum(d, r, s);
            else if (pass == 1 && r->kind == OBJ_COLUMN && r->table)
                rename_column(d, r, s);
            else if (pass == 1 && r->kind == OBJ_INDEX)
                rename_index(d, r, s);
            else if (pass == 1 && r->kind == OBJ_ENUM && r->table)
                rename_enum(d, r, s);
        }
}

