/*
 * pg_sql_misc.c — DROP, RENAME, SET SCHEMA and COMMENT ON for the
 * PostgreSQL SQL reader (object lookup by the statement's object node).
 */
#include "source/pg_sql_follow.h"
#include "source/pg_sql_table.h"
#include "source/pg_sql_view.h"

#include <string.h>

/* ---- object lookup ------------------------------------------------------------- */

static bool view_exists(pgr *r, const char *s, const char *n)
{
    return catalog_view_find(r->cat, s, n) != NULL;
}
static bool index_exists(pgr *r, const char *s, const char *n)
{
    return catalog_index_find(r->cat, s, n) != NULL;
}
static bool seq_exists(pgr *r, const char *s, const char *n)
{
    return catalog_sequence_find(r->cat, s, n) != NULL;
}

/* names of a List node (or of a TypeName) */
static void obj_names(const PgQuery__Node *n, const char **schema, const char **name)
{
    *schema = *name = NULL;
    if (!n)
        return;
    if (n->node_case == PG_QUERY__NODE__NODE_LIST)
        pgu_names(n->list->items, n->list->n_items, schema, name);
    else if (n->node_case == PG_QUERY__NODE__NODE_TYPE_NAME)
        pgu_names(n->type_name->names, n->type_name->n_names, schema, name);
    else
        *name = pgu_str(n);
}

/* [schema.]table.member lists (triggers, policies, constraints, columns) */
static cat_table *member_table(pgr *r, const PgQuery__Node *n, const char **member)
{
    PgQuery__List *l = pgu_list(n);
    *member = NULL;
    if (!l || l->n_items < 2)
        return NULL;
    *member = pgu_str(l->items[l->n_items - 1]);
    const char *tab = pgu_str(l->items[l->n_items - 2]);
    const char *sch = l->n_items >= 3 ? pgu_str(l->items[l->n_items - 3]) : NULL;
    return tab ? pgu_find_table(r, sch, tab) : NULL;
}

static cat_view *find_view(pgr *r, const char *schema, const char *name, bool mat)
{
    const char *s = pgu_lookup_schema(r, schema, name, view_exists);
    cat_view *v = s ? catalog_view_find(r->cat, s, name) : NULL;
    return v && v->materialized == mat ? v : NULL;
}

static cat_index *find_index(pgr *r, const char *schema, const char *name)
{
    const char *s = pgu_lookup_schema(r, schema, name, index_exists);
    return s ? catalog_index_find(r->cat, s, name) : NULL;
}

static cat_sequence *find_seq(pgr *r, const char *schema, const char *name)
{
    const char *s = pgu_lookup_schema(r, schema, name, seq_exists);
    return s ? catalog_sequence_find(r->cat, s, name) : NULL;
}

typedef struct type_ref {
    cat_enum *e;
    cat_domain *d;
    cat_composite *c;
} type_ref;

static type_ref find_type(pgr *r, const char *schema, const char *name)
{
    type_ref t = {0};
    const char *s = pgu_lookup_schema(r, schema, name, pgu_type_exists);
    if (s && name) {
        t.e = catalog_enum_find(r->cat, s, name);
        t.d = catalog_domain_find(r->cat, s, name);
        t.c = catalog_composite_find(r->cat, s, name);
    }
    return t;
}

/* index implementing a constraint (ALTER INDEX t_pkey ..., COMMENT ON INDEX t_pkey) */
static cat_constraint *constraint_index(pgr *r, const char *schema, const char *name,
                                        cat_table **owner)
{
    for (size_t i = 0; i < r->cat->tables.n; i++) {
        cat_table *t = r->cat->tables.v[i];
        if (schema ? strcmp(t->schema, schema) != 0 : !pgu_strvec_has(&r->search_path, t->schema))
            continue;
        cat_constraint *c = catalog_constraint_find(t, name);
        if (c && (c->kind == CON_PRIMARY || c->kind == CON_UNIQUE || c->kind == CON_EXCLUDE)) {
            *owner = t;
            return c;
        }
    }
    return NULL;
}

/* ---- DROP ------------------------------------------------------------------------- */

static bool schema_is_empty(pgr *r, const char *s)
{
    catalog *c = r->cat;
#define ANY_IN(vec)                                    \
    for (size_t i = 0; i < c->vec.n; i++)              \
        if (!strcmp(c->vec.v[i]->schema, s))           \
            return false;
    ANY_IN(tables) ANY_IN(views) ANY_IN(sequences) ANY_IN(enums) ANY_IN(domains)
    ANY_IN(composites) ANY_IN(functions)
#undef ANY_IN
    return true;
}

static void drop_schema_contents(pgr *r, const char *s)
{
    catalog *c = r->cat;
    for (size_t i = c->tables.n; i-- > 0;)
        if (i < c->tables.n && !strcmp(c->tables.v[i]->schema, s))
            pg_sql_drop_table(r, c->tables.v[i], true);
#define DROP_IN(vec, fn)                                   \
    for (size_t i = c->vec.n; i-- > 0;)                    \
        if (i < c->vec.n && !strcmp(c->vec.v[i]->schema, s)) \
            fn(c, c->vec.v[i]);
    DROP_IN(views, catalog_view_remove)
    DROP_IN(sequences, catalog_sequence_remove)
    DROP_IN(enums, catalog_enum_remove)
    DROP_IN(domains, catalog_domain_remove)
    DROP_IN(composites, catalog_composite_remove)
    DROP_IN(functions, catalog_function_remove)
#undef DROP_IN
    for (size_t i = c->grants.n; i-- > 0;)
        if (c->grants.v[i]->schema && !strcmp(c->grants.v[i]->schema, s))
            VEC_REMOVE(c->grants, i);
}

static void drop_one(pgr *r, PgQuery__DropStmt *st, PgQuery__Node *o)
{
    bool cascade = st->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
    const char *schema, *name, *what = "object";
    obj_names(o, &schema, &name);
    bool found = true;
    switch (st->remove_type) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE: {
        what = "table";
        cat_table *t = pgu_find_table(r, schema, name);
        if ((found = t != NULL))
            pg_sql_drop_table(r, t, cascade);
        break;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
    case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW: {
        bool mat = st->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW;
        what = mat ? "materialized view" : "view";
        cat_view *v = find_view(r, schema, name, mat);
        if ((found = v != NULL) &&
            pgt_drop_dependent_views(r, arena_printf(&r->tmp, "%s.%s", v->schema, v->name),
                                     arena_printf(&r->tmp, "%s %s", what, v->name), cascade))
            catalog_view_remove(r->cat, v);
        break;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX: {
        what = "index";
        cat_index *ix = find_index(r, schema, name);
        cat_table *owner = NULL;
        if (ix)
            catalog_index_remove(r->cat, ix);
        else if (name && constraint_index(r, schema, name, &owner))
            diag_error(r->diags, r->loc,
                       "cannot drop index %s because constraint %s on table %s requires it", name,
                       name, owner->name);
        else
            found = false;
        break;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE: {
        what = "sequence";
        cat_sequence *s = find_seq(r, schema, name);
        if ((found = s != NULL))
            catalog_sequence_remove(r->cat, s);
        break;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE:
    case PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN: {
        what = "type";
        type_ref t = find_type(r, schema, name);
        bool dom = st->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN;
        if (t.d)
            catalog_domain_remove(r->cat, t.d);
        else if (t.e && !dom)
            catalog_enum_remove(r->cat, t.e);
        else if (t.c && !dom)
            catalog_composite_remove(r->cat, t.c);
        else
            found = false;
        break;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION:
    case PG_QUERY__OBJECT_TYPE__OBJECT_PROCEDURE:
    case PG_QUERY__OBJECT_TYPE__OBJECT_ROUTINE: {
        what = st->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_PROCEDURE ? "procedure" : "function";
        const char *disp = "?";
        cat_function *f = o->node_case == PG_QUERY__NODE__NODE_OBJECT_WITH_ARGS
                              ? pg_sql_find_function(r, o->object_with_args, false, &disp)
                              : NULL;
        if (f)
            catalog_function_remove(r->cat, f);
        else if (!st->missing_ok)
            diag_error(r->diags, r->loc, "%s %s does not exist", what, disp);
        return;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER:
    case PG_QUERY__OBJECT_TYPE__OBJECT_POLICY: {
        bool trig = st->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER;
        const char *m;
        cat_table *t = member_table(r, o, &m);
        if (!t) {
            diag_error(r->diags, r->loc, "relation does not exist");
            return;
        }
        cat_trigger *tg = trig ? catalog_trigger_find(t, m) : NULL;
        cat_policy *p = trig ? NULL : catalog_policy_find(t, m);
        if (tg)
            catalog_trigger_remove(r->cat, t, tg);
        else if (p)
            catalog_policy_remove(r->cat, t, p);
        else if (!st->missing_ok)
            diag_error(r->diags, r->loc, "%s \"%s\" for table \"%s\" does not exist",
                       trig ? "trigger" : "policy", m ? m : "?", t->name);
        return;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA: {
        what = "schema";
        cat_schema *s = name ? catalog_schema_find(r->cat, name) : NULL;
        if (!s && name && !strcmp(name, "public")) {
            if (!cascade && !schema_is_empty(r, name))
                diag_error(r->diags, r->loc,
                           "cannot drop schema public because other objects depend on it");
            else
                drop_schema_contents(r, name);
            return;
        }
        if ((found = s != NULL)) {
            if (!cascade && !schema_is_empty(r, name)) {
                diag_error(r->diags, r->loc,
                           "cannot drop schema %s because other objects depend on it", name);
                return;
            }
            drop_schema_contents(r, name);
            catalog_schema_remove(r->cat, s);
        }
        break;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_EXTENSION: {
        what = "extension";
        cat_extension *e = name ? catalog_extension_find(r->cat, name) : NULL;
        if (e)
            catalog_extension_remove(r->cat, e);
        found = e || (name && !strcmp(name, "plpgsql"));
        break;
    }
    default:
        diag_warning(r->diags, r->loc, "DROP of this object kind is not interpreted");
        catalog_opaque_add(r->cat, "drop", pgu_stmt_text(r), r->loc);
        return;
    }
    if (!found && !st->missing_ok)
        diag_error(r->diags, r->loc, "%s \"%s\" does not exist", what,
                   pgu_display(schema, name ? name : "?", &r->tmp));
}

void pg_sql_drop(pgr *r, PgQuery__DropStmt *st)
{
    r->grant_map_valid = false;
    for (size_t i = 0; i < st->n_objects; i++)
        drop_one(r, st, st->objects[i]);
}

/* ---- RENAME ------------------------------------------------------------------------- */

static void rename_column_refs(pgr *r, cat_table *t, const char *old, const char *nw)
{
    for (size_t i = 0; i < t->constraints.n; i++) {
        cat_constraint *c = t->constraints.v[i];
        for (size_t k = 0; k < c->columns.n; k++)
            if (!strcmp(c->columns.v[k], old))
                c->columns.v[k] = nw;
        for (size_t k = 0; k < c->include_columns.n; k++)
            if (!strcmp(c->include_columns.v[k], old))
                c->include_columns.v[k] = nw;
    }
    for (size_t i = 0; i < t->indexes.n; i++) {
        cat_index *ix = t->indexes.v[i];
        for (size_t k = 0; k < ix->elems.n; k++)
            if (ix->elems.v[k].column && !strcmp(ix->elems.v[k].column, old))
                ix->elems.v[k].column = nw;
    }
    for (size_t i = 0; i < t->triggers.n; i++)
        for (size_t k = 0; k < t->triggers.v[i]->update_columns.n; k++)
            if (!strcmp(t->triggers.v[i]->update_columns.v[k], old))
                t->triggers.v[i]->update_columns.v[k] = nw;
    for (size_t i = 0; i < r->cat->tables.n; i++) {
        cat_table *o = r->cat->tables.v[i];
        for (size_t j = 0; j < o->constraints.n; j++) {
            cat_constraint *c = o->constraints.v[j];
            if (c->kind != CON_FOREIGN || !c->ref_table || strcmp(c->ref_table, t->name) ||
                strcmp(c->ref_schema, t->schema))
                continue;
            for (size_t k = 0; k < c->ref_columns.n; k++)
                if (!strcmp(c->ref_columns.v[k], old))
                    c->ref_columns.v[k] = nw;
        }
    }
    for (size_t i = 0; i < r->cat->sequences.n; i++) {
        cat_sequence *s = r->cat->sequences.v[i];
        if (s->owned_by_column && !strcmp(s->owned_by_column, old) && s->owned_by_table &&
            !strcmp(s->owned_by_table, t->name) && !strcmp(s->schema, t->schema))
            s->owned_by_column = nw;
    }
}

static void views_follow(pgr *r, const char *os, const char *on, const char *ns, const char *nn)
{
    const char *oq = arena_printf(&r->tmp, "%s.%s", os, on);
    for (size_t i = 0; i < r->cat->views.n; i++) {
        strvec *d = &r->cat->views.v[i]->depends_on;
        for (size_t k = 0; k < d->n; k++)
            if (!strcmp(d->v[k], oq))
                d->v[k] = arena_printf(&r->cat->mem, "%s.%s", ns, nn);
    }
}

static bool name_taken(pgr *r, const char *schema, const char *name)
{
    if (pgu_rel_exists(r, schema, name)) {
        diag_error(r->diags, r->loc, "relation \"%s\" already exists", name);
        return true;
    }
    return false;
}

/* rename (new_name) or move (new_schema) a relation named by rv */
static void move_relation(pgr *r, PgQuery__RangeVar *rv, bool missing_ok, const char *new_schema,
                          const char *new_name)
{
    const char *schema = rv->schemaname && *rv->schemaname ? rv->schemaname : NULL;
    const char *s = pgu_lookup_schema(r, schema, rv->relname, pgu_rel_exists);
    catalog *c = r->cat;
    cat_table *t = s ? catalog_table_find(c, s, rv->relname) : NULL;
    cat_view *v = s && !t ? catalog_view_find(c, s, rv->relname) : NULL;
    cat_sequence *q = s && !t && !v ? catalog_sequence_find(c, s, rv->relname) : NULL;
    cat_index *ix = s && !t && !v && !q ? catalog_index_find(c, s, rv->relname) : NULL;
    cat_table *owner = NULL;
    cat_constraint *con = !t && !v && !q && !ix && new_name
                              ? constraint_index(r, schema, rv->relname, &owner)
                              : NULL;
    if (!t && !v && !q && !ix && !con) {
        if (!missing_ok)
            diag_error(r->diags, r->loc, "relation \"%s\" does not exist",
                       pgu_display(schema, rv->relname, &r->tmp));
        return;
    }
    if (new_schema && !pgu_schema_exists(r, new_schema)) {
        diag_error(r->diags, r->loc, "schema \"%s\" does not exist", new_schema);
        return;
    }
    const char *ts = new_schema ? new_schema : s ? s : owner->schema;
    const char *tn = new_name ? new_name : rv->relname;
    if (name_taken(r, ts, tn))
        return;
    if (con) {
        con->name = arena_strdup(&c->mem, new_name);
        pgu_altered(r, &con->prov);
        return;
    }
    if (t) {
        catalog_table_rename(c, t, new_schema, new_name);
        pgu_altered(r, &t->prov);
    } else if (v) {
        catalog_view_rename(c, v, new_schema, new_name);
        pgu_altered(r, &v->prov);
    } else if (q) {
        catalog_sequence_rename(c, q, new_schema, new_name);
        pgu_altered(r, &q->prov);
    } else {
        catalog_index_rename(c, ix, new_schema, new_name);
        pgu_altered(r, &ix->prov);
    }
    if (t || v)
        pg_sql_views_follow_relation(r, s, rv->relname, ts, tn);
    views_follow(r, s, rv->relname, ts, tn);
}

static void rename_member(pgr *r, PgQuery__RenameStmt *st)
{
    cat_table *t = pgu_find_table_rv(r, st->relation);
    if (!t) {
        if (!st->missing_ok)
            diag_error(r->diags, r->loc, "relation \"%s\" does not exist",
                       st->relation ? st->relation->relname : "?");
        return;
    }
    const char *nw = arena_strdup(&r->cat->mem, st->newname);
    pgu_altered(r, &t->prov);
    switch (st->rename_type) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN: {
        cat_column *c = catalog_column_find(t, st->subname);
        if (!c) {
            diag_error(r->diags, r->loc, "column \"%s\" does not exist", st->subname);
        } else if (catalog_column_find(t, nw)) {
            diag_error(r->diags, r->loc, "column \"%s\" of relation \"%s\" already exists", nw,
                       t->name);
        } else {
            const char *old = c->name;
            rename_column_refs(r, t, old, nw);
            pg_sql_column_renamed(r, t, old, nw);
            c->name = nw;
            pg_sql_views_follow_column(r, t, old, nw);
            pgu_altered(r, &c->prov);
        }
        break;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT: {
        cat_constraint *c = catalog_constraint_find(t, st->subname);
        if (!c)
            diag_error(r->diags, r->loc, "constraint \"%s\" for table \"%s\" does not exist",
                       st->subname, t->name);
        else if (catalog_constraint_find(t, nw))
            diag_error(r->diags, r->loc, "constraint \"%s\" for relation \"%s\" already exists",
                       nw, t->name);
        else
            c->name = nw, pgu_altered(r, &c->prov);
        break;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER: {
        cat_trigger *tg = catalog_trigger_find(t, st->subname);
        if (!tg)
            diag_error(r->diags, r->loc, "trigger \"%s\" for table \"%s\" does not exist",
                       st->subname, t->name);
        else
            tg->name = nw, pgu_altered(r, &tg->prov);
        break;
    }
    default: {
        cat_policy *p = catalog_policy_find(t, st->subname);
        if (!p)
            diag_error(r->diags, r->loc, "policy \"%s\" for table \"%s\" does not exist",
                       st->subname, t->name);
        else
            p->name = nw, pgu_altered(r, &p->prov);
        break;
    }
    }
}

static void rename_type(pgr *r, PgQuery__RenameStmt *st)
{
    const char *schema, *name;
    obj_names(st->object, &schema, &name);
    type_ref t = find_type(r, schema, name);
    if (!t.e && !t.d && !t.c) {
        if (!st->missing_ok)
            diag_error(r->diags, r->loc, "type \"%s\" does not exist", name ? name : "?");
        return;
    }
    const char *s = t.e ? t.e->schema : t.d ? t.d->schema : t.c->schema;
    if (pgu_type_exists(r, s, st->newname)) {
        diag_error(r->diags, r->loc, "type \"%s\" already exists", st->newname);
        return;
    }
    if (st->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_DOMCONSTRAINT && t.d) {
        for (size_t i = 0; i < t.d->checks.n; i++)
            if (!strcmp(t.d->checks.v[i].name, st->subname))
                t.d->checks.v[i].name = arena_strdup(&r->cat->mem, st->newname);
        pgu_altered(r, &t.d->prov);
    } else if (t.e) {
        catalog_enum_rename(r->cat, t.e, NULL, st->newname);
        pgu_altered(r, &t.e->prov);
    } else if (t.d) {
        catalog_domain_rename(r->cat, t.d, NULL, st->newname);
        pgu_altered(r, &t.d->prov);
    } else {
        catalog_composite_rename(r->cat, t.c, NULL, st->newname);
        pgu_altered(r, &t.c->prov);
    }
}

void pg_sql_rename(pgr *r, PgQuery__RenameStmt *st)
{
    r->grant_map_valid = false;
    switch (st->rename_type) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
    case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
    case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW:
    case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
    case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
        if (st->relation)
            move_relation(r, st->relation, st->missing_ok, NULL, st->newname);
        break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN:
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT:
    case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER:
    case PG_QUERY__OBJECT_TYPE__OBJECT_POLICY: rename_member(r, st); break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE:
    case PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN:
    case PG_QUERY__OBJECT_TYPE__OBJECT_DOMCONSTRAINT: rename_type(r, st); break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_ATTRIBUTE: pg_sql_rename_attribute(r, st); break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION:
    case PG_QUERY__OBJECT_TYPE__OBJECT_PROCEDURE:
    case PG_QUERY__OBJECT_TYPE__OBJECT_ROUTINE: {
        const char *disp = "?";
        cat_function *f = st->object && st->object->node_case ==
                                            PG_QUERY__NODE__NODE_OBJECT_WITH_ARGS
                              ? pg_sql_find_function(r, st->object->object_with_args, false, &disp)
                              : NULL;
        if (!f) {
            diag_error(r->diags, r->loc, "function %s does not exist", disp);
            return;
        }
        catalog_function_rename(r->cat, f, NULL, st->newname);
        pgu_altered(r, &f->prov);
        break;
    }
    default:
        diag_warning(r->diags, r->loc, "this RENAME is not interpreted");
        catalog_opaque_add(r->cat, "other", pgu_stmt_text(r), r->loc);
        break;
    }
}

/* ---- SET SCHEMA --------------------------------------------------------------------- */

void pg_sql_set_schema(pgr *r, PgQuery__AlterObjectSchemaStmt *st)
{
    r->grant_map_valid = false;
    const char *ns = st->newschema;
    if (st->relation) {
        move_relation(r, st->relation, st->missing_ok, ns, NULL);
        return;
    }
    if (!pgu_schema_exists(r, ns)) {
        diag_error(r->diags, r->loc, "schema \"%s\" does not exist", ns ? ns : "?");
        return;
    }
    if (st->object_type == PG_QUERY__OBJECT_TYPE__OBJECT_EXTENSION) {
        const char *n = pgu_str(st->object);
        cat_extension *e = n ? catalog_extension_find(r->cat, n) : NULL;
        if (e)
            e->schema = arena_strdup(&r->cat->mem, ns), pgu_altered(r, &e->prov);
        else
            diag_error(r->diags, r->loc, "extension \"%s\" does not exist", n ? n : "?");
        return;
    }
    if (st->object && st->object->node_case == PG_QUERY__NODE__NODE_OBJECT_WITH_ARGS) {
        const char *disp = "?";
        cat_function *f = pg_sql_find_function(r, st->object->object_with_args, false, &disp);
        if (f)
            catalog_function_rename(r->cat, f, ns, NULL), pgu_altered(r, &f->prov);
        else if (!st->missing_ok)
            diag_error(r->diags, r->loc, "function %s does not exist", disp);
        return;
    }
    const char *schema, *name;
    obj_names(st->object, &schema, &name);
    type_ref t = find_type(r, schema, name);
    if (t.e)
        catalog_enum_rename(r->cat, t.e, ns, NULL), pgu_altered(r, &t.e->prov);
    else if (t.d)
        catalog_domain_rename(r->cat, t.d, ns, NULL), pgu_altered(r, &t.d->prov);
    else if (t.c)
        catalog_composite_rename(r->cat, t.c, ns, NULL), pgu_altered(r, &t.c->prov);
    else if (!st->missing_ok)
        diag_error(r->diags, r->loc, "type \"%s\" does not exist", name ? name : "?");
}

/* ---- COMMENT ON ------------------------------------------------------------------------ */

static void set_comment(pgr *r, const char **field, provenance *prov, const char *text)
{
    *field = text && *text ? arena_strdup(&r->cat->mem, text) : NULL;
    if (prov)
        pgu_altered(r, prov);
}

static void comment_member(pgr *r, PgQuery__CommentStmt *st)
{
    const char *m;
    cat_table *t = member_table(r, st->object, &m);
    if (!t) {
        diag_error(r->diags, r->loc, "relation does not exist");
        return;
    }
    switch (st->objtype) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN: {
        cat_column *c = catalog_column_find(t, m);
        if (c)
            set_comment(r, &c->comment, &c->prov, st->comment);
        else
            diag_error(r->diags, r->loc, "column \"%s\" of relation \"%s\" does not exist", m,
                       t->name);
        return;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT: {
        cat_constraint *c = catalog_constraint_find(t, m);
        if (c)
            set_comment(r, &c->comment, &c->prov, st->comment);
        else
            diag_error(r->diags, r->loc, "constraint \"%s\" for table \"%s\" does not exist", m,
                       t->name);
        return;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER: {
        cat_trigger *tg = catalog_trigger_find(t, m);
        if (tg)
            set_comment(r, &tg->comment, &tg->prov, st->comment);
        else
            diag_error(r->diags, r->loc, "trigger \"%s\" for table \"%s\" does not exist", m,
                       t->name);
        return;
    }
    default: {
        cat_policy *p = catalog_policy_find(t, m);
        if (p)
            set_comment(r, &p->comment, &p->prov, st->comment);
        else
            diag_error(r->diags, r->loc, "policy \"%s\" for table \"%s\" does not exist", m,
                       t->name);
        return;
    }
    }
}

void pg_sql_comment(pgr *r, PgQuery__CommentStmt *st)
{
    const char *schema, *name;
    obj_names(st->object, &schema, &name);
    const char *what = "relation";
    switch (st->objtype) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN:
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT:
    case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER:
    case PG_QUERY__OBJECT_TYPE__OBJECT_POLICY: comment_member(r, st); return;
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE: {
        cat_table *t = pgu_find_table(r, schema, name);
        if (t)
            return set_comment(r, &t->comment, &t->prov, st->comment);
        break;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
    case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW: {
        cat_view *v = find_view(r, schema, name,
                                st->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW);
        if (v)
            return set_comment(r, &v->comment, &v->prov, st->comment);
        break;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX: {
        cat_index *ix = find_index(r, schema, name);
        cat_table *owner;
        cat_constraint *c = ix || !name ? NULL : constraint_index(r, schema, name, &owner);
        if (ix)
            return set_comment(r, &ix->comment, &ix->prov, st->comment);
        if (c)
            return set_comment(r, &c->comment, &c->prov, st->comment);
        what = "index";
        break;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE: {
        cat_sequence *s = find_seq(r, schema, name);
        if (s)
            return set_comment(r, &s->comment, &s->prov, st->comment);
        break;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE:
    case PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN: {
        type_ref t = find_type(r, schema, name);
        what = "type";
        if (t.e)
            return set_comment(r, &t.e->comment, &t.e->prov, st->comment);
        if (t.d)
            return set_comment(r, &t.d->comment, &t.d->prov, st->comment);
        if (t.c)
            return set_comment(r, &t.c->comment, &t.c->prov, st->comment);
        break;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION:
    case PG_QUERY__OBJECT_TYPE__OBJECT_PROCEDURE:
    case PG_QUERY__OBJECT_TYPE__OBJECT_ROUTINE: {
        const char *disp = "?";
        cat_function *f = st->object && st->object->node_case ==
                                            PG_QUERY__NODE__NODE_OBJECT_WITH_ARGS
                              ? pg_sql_find_function(r, st->object->object_with_args, false, &disp)
                              : NULL;
        if (f)
            return set_comment(r, &f->comment, &f->prov, st->comment);
        diag_error(r->diags, r->loc, "function %s does not exist", disp);
        return;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA: {
        cat_schema *s = name ? catalog_schema_find(r->cat, name) : NULL;
        if (s)
            return set_comment(r, &s->comment, &s->prov, st->comment);
        if (name && !strcmp(name, "public"))
            return; /* public is never listed */
        what = "schema";
        break;
    }
    default:
        catalog_opaque_add(r->cat, "comment", pgu_stmt_text(r), r->loc);
        return;
    }
    diag_error(r->diags, r->loc, "%s \"%s\" does not exist", what,
               pgu_display(schema, name ? name : "?", &r->tmp));
}
