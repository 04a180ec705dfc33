/*
 * diff_sqlite_deps.c — indexes, views and triggers of the SQLite diff.
 *
 * SQLite has no ALTER INDEX/VIEW/TRIGGER and no CREATE OR REPLACE: a changed
 * object is dropped (phase PHASE_DROP_OBJECTS for indexes,
 * PHASE_DROP_DEPENDENTS for views and triggers) and created again from TO
 * (PHASE_CREATE_INDEXES / _VIEWS / _DEPENDENTS).  Views and triggers that
 * mention a relation being rebuilt, renamed, dropped or losing/renaming a
 * column ("gone", transitively through views) are dropped first and created
 * again afterwards: ALTER TABLE RENAME and DROP COLUMN re-parse the whole
 * schema and fail on a view or trigger that refers to something missing.
 * Indexes of a rebuilt table are recreated inside the rebuild change.
 */
#include "diff/diff_sqlite_int.h"

#include <string.h>
#include <strings.h>

#include "emit/emit_sqlite.h"

static bool ci_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcasecmp(a, b) == 0;
}

static bool strvec_eq(const strvec *a, const strvec *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (!sqd_streq(a->v[i], b->v[i]))
            return false;
    return true;
}

static sq_fate to_fate(sqd *d, const char *table)
{
    sq_pair *p = table ? hashmap_get(&d->by_to, table) : NULL;
    return p ? p->fate : FATE_SAME;
}

static bool fate_recreates(sq_fate f)
{
    return f == FATE_DROP || f == FATE_REPLACE || f == FATE_REBUILD || f == FATE_CREATE;
}

static void add_change(sqd *d, const char *kind, cat_object_kind ok, const char *schema, const char *name,
                       const char *sub, int phase, int order, strbuf *sql)
{
    diff_change *c = diff_add(d->plan, kind, ok, schema, name, sub, phase, 0, strbuf_str(sql));
    c->order = order;
    strbuf_reset(sql);
}

static void drop_stmt(strbuf *o, const char *what, const char *name)
{
    strbuf_addf(o, "DROP %s ", what);
    sql_quote_ident(o, DIALECT_SQLITE, name);
    strbuf_adds(o, ";\n");
}

/* ---- indexes ------------------------------------------------------------------------ */

static bool elem_equal(sqd *d, const char *ftable, const cat_index_elem *a, const cat_index_elem *b)
{
    const char *ac = a->column ? sqd_col_new(d, ftable, a->column) : NULL;
    return sqd_streq(ac, b->column) && sqd_streq(a->expr_norm, b->expr_norm) &&
           ci_eq(a->collation, b->collation) && a->desc == b->desc && a->nulls == b->nulls;
}

bool sqd_index_equal(sqd *d, const cat_index *fi, const cat_index *ti)
{
    if (fi->unique != ti->unique || fi->elems.n != ti->elems.n || !sqd_streq(fi->where_norm, ti->where_norm) ||
        !sqd_streq(sqd_table_new(d, fi->table), ti->table))
        return false;
    for (size_t i = 0; i < fi->elems.n; i++)
        if (!elem_equal(d, fi->table, &fi->elems.v[i], &ti->elems.v[i]))
            return false;
    return true;
}

void sqd_diff_indexes(sqd *d)
{
    hashmap kept;
    hashmap_init(&kept, &d->tmp);
    strbuf o = STRBUF_INIT;
    for (size_t i = 0; i < d->pairs.n; i++) {
        sq_pair *p = d->pairs.v[i];
        if (!p->f || fate_recreates(p->fate))
            continue; /* the index goes with its table */
        for (size_t j = 0; j < p->f->indexes.n; j++) {
            const cat_index *fi = p->f->indexes.v[j];
            const cat_index *ti = catalog_index_find(d->to, fi->schema, fi->name);
            if (ti && !fate_recreates(to_fate(d, ti->table)) && sqd_index_equal(d, fi, ti)) {
                hashmap_put(&kept, fi->name, (void *)1);
                continue;
            }
            drop_stmt(&o, "INDEX", fi->name);
            add_change(d, "drop_index", OBJ_INDEX, fi->schema, fi->table, fi->name, PHASE_DROP_OBJECTS, 1, &o);
        }
    }
    for (size_t i = 0; i < d->pairs.n; i++) {
        sq_pair *p = d->pairs.v[i];
        if (!p->t || p->fate == FATE_REBUILD)
            continue; /* created by the rebuild */
        for (size_t j = 0; j < p->t->indexes.n; j++) {
            const cat_index *ti = p->t->indexes.v[j];
            if (hashmap_get(&kept, ti->name))
                continue;
            sqlite_emit_index(&o, ti);
            add_change(d, "create_index", OBJ_INDEX, ti->schema, ti->table, ti->name, PHASE_CREATE_INDEXES, 0, &o);
        }
    }
    strbuf_release(&o);
    hashmap_release(&kept);
}

/* ---- views ----------------------------------------------------------------------------- */

static bool view_equal(const cat_view *a, const cat_view *b)
{
    return sqd_streq(a->definition_norm, b->definition_norm) && strvec_eq(&a->column_names, &b->column_names) &&
           sqd_streq(a->check_option, b->check_option);
}

/* FROM views that must be dropped: changed, gone from TO, or reading
 * something gone (transitively); their names join d->gone */
static void views_to_drop(sqd *d, hashmap *dropped)
{
    bool more = true;
    while (more) {
        more = false;
        for (size_t i = 0; i < d->from->views.n; i++) {
            const cat_view *fv = d->from->views.v[i];
            if (hashmap_get(dropped, fv->name))
                continue;
            const cat_view *tv = catalog_view_find(d->to, fv->schema, fv->name);
            const char *text = fv->sql ? fv->sql : fv->definition;
            if (tv && view_equal(fv, tv) && !sqd_mentions_any(d, text, &d->gone))
                continue;
            hashmap_put(dropped, fv->name, (void *)1);
            sqd_mark_gone(d, fv->name);
            more = true;
        }
    }
}

/* ---- triggers ----------------------------------------------------------------------------- */

static bool trigger_equal(sqd *d, const cat_trigger *a, const char *ftable, const cat_trigger *b)
{
    if (!sqd_streq(a->timing, b->timing) || !strvec_eq(&a->events, &b->events) ||
        a->update_columns.n != b->update_columns.n || a->for_each_row != b->for_each_row ||
        !sqd_streq(a->when_norm, b->when_norm) || !sqd_same_text(a->body, b->body) ||
        !sqd_streq(sqd_table_new(d, ftable), b->table))
        return false;
    for (size_t i = 0; i < a->update_columns.n; i++)
        if (!sqd_streq(sqd_col_new(d, ftable, a->update_columns.v[i]), b->update_columns.v[i]))
            return false;
    return true;
}

static const cat_trigger *to_trigger(sqd *d, const char *name)
{
    for (size_t i = 0; i < d->to->tables.n; i++) {
        const cat_trigger *tg = catalog_trigger_find(d->to->tables.v[i], name);
        if (tg)
            return tg;
    }
    for (size_t i = 0; i < d->to->views.n; i++) {
        const cat_trigger *tg = catalog_view_trigger_find(d->to->views.v[i], name);
        if (tg)
            return tg;
    }
    return NULL;
}

static void from_trigger(sqd *d, const cat_trigger *ft, const char *rel, hashmap *kept, strbuf *o)
{
    const cat_trigger *tt = to_trigger(d, ft->name);
    if (tt && !hashmap_get(&d->gone, sqd_lower(d, rel)) && !sqd_mentions_any(d, ft->sql ? ft->sql : ft->body, &d->gone) &&
        trigger_equal(d, ft, rel, tt)) {
        hashmap_put(kept, ft->name, (void *)1);
        return;
    }
    drop_stmt(o, "TRIGGER", ft->name);
    add_change(d, "drop_trigger", OBJ_TRIGGER, ft->schema, rel, ft->name, PHASE_DROP_DEPENDENTS, 0, o);
}

static void create_triggers(sqd *d, cat_trigger *const *v, size_t n, hashmap *kept, strbuf *o)
{
    for (size_t i = 0; i < n; i++) {
        if (hashmap_get(kept, v[i]->name))
            continue;
        sqlite_emit_trigger(o, v[i]);
        add_change(d, "create_trigger", OBJ_TRIGGER, v[i]->schema, v[i]->table, v[i]->name,
                   PHASE_CREATE_DEPENDENTS, 0, o);
    }
}

void sqd_diff_views_and_triggers(sqd *d)
{
    hashmap dropped, kept;
    hashmap_init(&dropped, &d->tmp);
    hashmap_init(&kept, &d->tmp);
    strbuf o = STRBUF_INIT;
    views_to_drop(d, &dropped);
    /* triggers first: their views may be dropped right after */
    for (size_t i = 0; i < d->from->tables.n; i++) {
        const cat_table *t = d->from->tables.v[i];
        for (size_t j = 0; j < t->triggers.n; j++)
            from_trigger(d, t->triggers.v[j], t->name, &kept, &o);
    }
    for (size_t i = 0; i < d->from->views.n; i++) {
        const cat_view *v = d->from->views.v[i];
        for (size_t j = 0; j < v->triggers.n; j++)
            from_trigger(d, v->triggers.v[j], v->name, &kept, &o);
    }
    for (size_t i = 0; i < d->from->views.n; i++) {
        const cat_view *v = d->from->views.v[i];
        if (!hashmap_get(&dropped, v->name))
            continue;
        drop_stmt(&o, "VIEW", v->name);
        add_change(d, "drop_view", OBJ_VIEW, v->schema, v->name, NULL, PHASE_DROP_DEPENDENTS, 1, &o);
    }
    cat_view **views = emit_views_in_dependency_order(d->to);
    for (size_t i = 0; i < d->to->views.n; i++) {
        const cat_view *v = views[i];
        const cat_view *fv = catalog_view_find(d->from, v->schema, v->name);
        if (fv && !hashmap_get(&dropped, fv->name))
            continue;
        sqlite_emit_view(&o, v);
        add_change(d, "create_view", OBJ_VIEW, v->schema, v->name, NULL, PHASE_CREATE_VIEWS, 0, &o);
    }
    for (size_t i = 0; i < d->to->tables.n; i++)
        create_triggers(d, d->to->tables.v[i]->triggers.v, d->to->tables.v[i]->triggers.n, &kept, &o);
    for (size_t i = 0; i < d->to->views.n; i++)
        create_triggers(d, d->to->views.v[i]->triggers.v, d->to->views.v[i]->triggers.n, &kept, &o);
    strbuf_release(&o);
    hashmap_release(&dropped);
    hashmap_release(&kept);
}
