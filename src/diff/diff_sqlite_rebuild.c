/*
 * diff_sqlite_rebuild.c — the SQLite 12-step table rebuild
 * (https://www.sqlite.org/lang_altertable.html#otheralter) for changes
 * ALTER TABLE cannot make: one "rebuild_table" change holding
 *
 *   CREATE TABLE "new_X" (...TO's definition...);
 *   INSERT INTO "new_X" (common columns) SELECT common columns FROM "X";
 *   DROP TABLE "X";
 *   ALTER TABLE "new_X" RENAME TO "X";
 *   CREATE INDEX ... (every index TO has on X)
 *
 * The framing steps live elsewhere: PRAGMA foreign_keys=OFF before BEGIN and
 * ON after COMMIT (diff_emit.c, triggered by the change kind), the foreign
 * key check before COMMIT (diff_sqlite.c), and dropping / recreating the
 * triggers and views that reference X (diff_sqlite_deps.c).  With foreign
 * keys OFF, DROP TABLE "X" performs no implicit DELETE, so no ON DELETE
 * CASCADE of a child table fires; the rename (legacy_alter_table=OFF) leaves
 * other tables' references to "X" pointing at the new table.
 */
#include "diff/diff_sqlite_int.h"

#include <string.h>
#include <strings.h>

#include "emit/emit_sqlite.h"

static void q(strbuf *o, const char *name)
{
    sql_quote_ident(o, DIALECT_SQLITE, name);
}

/* "new_X", or "new_X_2"... when that name is taken on either side */
static const char *temp_name(sqd *d, const cat_table *t)
{
    const char *name = arena_printf(&d->tmp, "new_%s", t->name);
    for (int i = 2; catalog_table_find(d->from, t->schema, name) || catalog_table_find(d->to, t->schema, name) ||
                    catalog_view_find(d->from, t->schema, name) || catalog_view_find(d->to, t->schema, name) ||
                    catalog_index_find(d->from, t->schema, name) || catalog_index_find(d->to, t->schema, name);
         i++)
        name = arena_printf(&d->tmp, "new_%s_%d", t->name, i);
    return name;
}

static cat_column *source_of(sqd *d, const cat_table *f, const char *name)
{
    for (size_t i = 0; i < f->columns.n; i++)
        if (!strcmp(sqd_col_new(d, f->name, f->columns.v[i]->name), name))
            return f->columns.v[i];
    return NULL;
}


/* the copy: target columns and source expressions; returns hazards found */
static unsigned copy_columns(sqd *d, const cat_table *f, const cat_table *t, strbuf *cols, strbuf *exprs)
{
    unsigned hz = 0;
    size_t n = 0;
    for (size_t i = 0; i < t->columns.n; i++) {
        const cat_column *tc = t->columns.v[i];
        const cat_column *fc = source_of(d, f, tc->name);
        if (!fc) {
            if (tc->not_null && !tc->default_norm && !tc->generated)
                hz |= HAZARD_DATA_DEPENDENT;
            continue;
        }
        if (tc->generated || tc->hidden || fc->hidden)
            continue;
        if (!sqd_streq(fc->type, tc->type))
            hz |= HAZARD_DATA_DEPENDENT;
        strbuf_adds(cols, n ? ", " : "");
        strbuf_adds(exprs, n ? ", " : "");
        n++;
        q(cols, tc->name);
        const char *def = tc->default_expr ? tc->default_expr : tc->default_norm;
        if (tc->not_null && !fc->not_null && def) {
            strbuf_adds(exprs, "coalesce(");
            q(exprs, fc->name);
            strbuf_adds(exprs, ", ");
            if (emit_sqlite_default_is_literal(def))
                emit_add_trimmed_stmt(exprs, def);
            else {
                strbuf_addch(exprs, '(');
                emit_add_trimmed_stmt(exprs, def);
                strbuf_addch(exprs, ')');
            }
            strbuf_addch(exprs, ')');
        } else {
            if (tc->not_null && !fc->not_null)
                hz |= HAZARD_DATA_DEPENDENT;
            q(exprs, fc->name);
        }
    }
    for (size_t i = 0; i < f->columns.n; i++) {
        const cat_column *fc = f->columns.v[i];
        if (!fc->generated && !fc->hidden && !catalog_column_find(t, sqd_col_new(d, f->name, fc->name)))
            hz |= HAZARD_DESTRUCTIVE;
    }
    return hz;
}

void sqd_emit_rebuild(sqd *d, sq_pair *p)
{
    const cat_table *f = p->f, *t = p->t;
    const char *tmp = temp_name(d, t);
    cat_table copy = *t;
    copy.name = tmp;
    strbuf o = STRBUF_INIT, cols = STRBUF_INIT, exprs = STRBUF_INIT;
    sqlite_emit_table(&o, &copy);
    unsigned hz = HAZARD_TABLE_REWRITE | copy_columns(d, f, t, &cols, &exprs);
    if (sqd_adds_constraints(d, f, t))
        hz |= HAZARD_DATA_DEPENDENT;
    if (cols.len) {
        strbuf_adds(&o, "INSERT INTO ");
        q(&o, tmp);
        strbuf_addf(&o, " (%s)\n  SELECT %s FROM ", strbuf_str(&cols), strbuf_str(&exprs));
        q(&o, t->name); /* a rename to t->name, if any, ran before */
        strbuf_adds(&o, ";\n");
    }
    strbuf_adds(&o, "DROP TABLE ");
    q(&o, t->name);
    strbuf_adds(&o, ";\nALTER TABLE ");
    q(&o, tmp);
    strbuf_adds(&o, " RENAME TO ");
    q(&o, t->name);
    strbuf_adds(&o, ";\n");
    for (size_t i = 0; i < t->indexes.n; i++)
        sqlite_emit_index(&o, t->indexes.v[i]);
    diff_change *c = diff_add(d->plan, "rebuild_table", OBJ_TABLE, t->schema, t->name, NULL, PHASE_ALTER_TABLES,
                              hz, strbuf_str(&o));
    c->order = 5;
    c->note = arena_printf(d->plan->mem, "SQLite cannot ALTER this (%s): 12-step rebuild",
                           p->reason ? p->reason : "table definition changed");
    strbuf_release(&o);
    strbuf_release(&cols);
    strbuf_release(&exprs);
    sqd_mark_gone(d, f->name);
    sqd_mark_gone(d, t->name);
    d->any_rebuild = true;
}
