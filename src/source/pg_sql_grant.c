/*
 * pg_sql_grant.c — GRANT / REVOKE on tables, views, sequences, functions
 * and schemas (one cat_grant per privilege), and function lookup by
 * ObjectWithArgs, for the PostgreSQL SQL reader.
 */
#include "source/pg_sql_util.h"

#include <string.h>

#include "util/strbuf.h"

/* ---- function lookup ---------------------------------------------------------- */

cat_function *pg_sql_find_function(pgr *r, const PgQuery__ObjectWithArgs *owa, bool is_proc,
                                   const char **display)
{
    (void)is_proc;
    const char *schema, *name;
    pgu_names(owa->objname, owa->n_objname, &schema, &name);
    if (!name)
        return NULL;
    if (owa->args_unspecified) {
        *display = name;
        for (size_t p = 0; p < (schema ? 1 : r->search_path.n); p++) {
            const char *s = schema ? schema : r->search_path.v[p];
            cat_function *found = NULL;
            for (size_t i = 0; i < r->cat->functions.n; i++) {
                cat_function *f = r->cat->functions.v[i];
                if (!strcmp(f->name, name) && !strcmp(f->schema, s)) {
                    if (found) {
                        diag_error(r->diags, r->loc, "function name \"%s\" is not unique", name);
                        return NULL;
                    }
                    found = f;
                }
            }
            if (found)
                return found;
        }
        return NULL;
    }
    strbuf sb = STRBUF_INIT;
    strbuf_addf(&sb, "%s(", name);
    for (size_t i = 0; i < owa->n_objargs; i++) {
        const PgQuery__Node *a = owa->objargs[i];
        const char *t = a->node_case == PG_QUERY__NODE__NODE_TYPE_NAME
                            ? pgu_type(r, a->type_name, NULL)
                            : NULL;
        strbuf_addf(&sb, "%s%s", i ? ", " : "", t ? t : "?");
    }
    strbuf_addch(&sb, ')');
    const char *sig = arena_strdup(&r->tmp, strbuf_str(&sb));
    strbuf_release(&sb);
    *display = sig;
    for (size_t p = 0; p < (schema ? 1 : r->search_path.n); p++) {
        const char *s = schema ? schema : r->search_path.v[p];
        cat_function *f = catalog_function_find(r->cat, s, sig);
        if (f)
            return f;
    }
    return NULL;
}

/* ---- privilege lists ------------------------------------------------------------- */

static const char *const table_privs[] = {"INSERT", "SELECT", "UPDATE", "DELETE",
                                          "TRUNCATE", "REFERENCES", "TRIGGER", NULL};
static const char *const column_privs[] = {"INSERT", "SELECT", "UPDATE", "REFERENCES", NULL};
static const char *const seq_privs[] = {"SELECT", "UPDATE", "USAGE", NULL};
static const char *const func_privs[] = {"EXECUTE", NULL};
static const char *const schema_privs[] = {"USAGE", "CREATE", NULL};

static const char *const *all_privs(const char *kind, bool column)
{
    if (column)
        return column_privs;
    if (!strcmp(kind, "sequence"))
        return seq_privs;
    if (!strcmp(kind, "function") || !strcmp(kind, "procedure"))
        return func_privs;
    if (!strcmp(kind, "schema"))
        return schema_privs;
    return table_privs;
}

/* ---- grant map ---------------------------------------------------------------------- */

static const char *grant_key(pgr *r, const char *kind, const char *schema, const char *obj,
                             const char *col, const char *grantee, const char *priv)
{
    return arena_printf(&r->tmp, "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s", kind, schema ? schema : "",
                        obj ? obj : "", col ? col : "", grantee, priv);
}

static void grant_map_build(pgr *r)
{
    if (r->grant_map_valid)
        return;
    hashmap_release(&r->grant_map);
    hashmap_init(&r->grant_map, &r->tmp);
    for (size_t i = 0; i < r->cat->grants.n; i++) {
        cat_grant *g = r->cat->grants.v[i];
        hashmap_put(&r->grant_map, grant_key(r, g->object_kind, g->schema, g->object, g->column,
                                             g->grantee, g->privilege),
                    g);
    }
    r->grant_map_valid = true;
}

typedef struct grant_target {
    const char *kind, *schema, *object;
    provenance *prov;
} grant_target;

/* a table-level REVOKE also revokes that privilege on every column */
static void revoke_columns(pgr *r, PgQuery__GrantStmt *st, const grant_target *t,
                           const char *grantee, const char *priv)
{
    for (size_t i = r->cat->grants.n; i-- > 0;) {
        cat_grant *g = r->cat->grants.v[i];
        if (!g->column || strcmp(g->privilege, priv) || strcmp(g->grantee, grantee) ||
            strcmp(g->object_kind, t->kind) || strcmp(g->object, t->object) ||
            strcmp(g->schema ? g->schema : "", t->schema ? t->schema : ""))
            continue;
        if (st->grant_option) {
            g->with_grant_option = false;
        } else {
            VEC_REMOVE(r->cat->grants, i);
            r->grant_map_valid = false;
        }
    }
}

static void apply_one(pgr *r, PgQuery__GrantStmt *st, const grant_target *t, const char *col,
                      const char *grantee, const char *priv)
{
    grant_map_build(r);
    const char *key = grant_key(r, t->kind, t->schema, t->object, col, grantee, priv);
    cat_grant *g = hashmap_get(&r->grant_map, key);
    if (!st->is_grant && !col)
        revoke_columns(r, st, t, grantee, priv);
    if (st->is_grant) {
        if (!g) {
            g = catalog_grant_add(r->cat, r->loc);
            g->object_kind = t->kind;
            g->schema = arena_strdup(&r->cat->mem, t->schema);
            g->object = arena_strdup(&r->cat->mem, t->object);
            g->column = col ? arena_strdup(&r->cat->mem, col) : NULL;
            g->grantee = arena_strdup(&r->cat->mem, grantee);
            g->privilege = priv;
            hashmap_put(&r->grant_map, key, g);
        }
        g->with_grant_option |= st->grant_option;
        return;
    }
    if (!g)
        return;
    if (st->grant_option) { /* REVOKE GRANT OPTION FOR */
        g->with_grant_option = false;
        return;
    }
    for (size_t i = 0; i < r->cat->grants.n; i++)
        if (r->cat->grants.v[i] == g) {
            VEC_REMOVE(r->cat->grants, i);
            break;
        }
    hashmap_del(&r->grant_map, key);
}

static const char *grantee_name(const PgQuery__Node *n)
{
    if (n->node_case != PG_QUERY__NODE__NODE_ROLE_SPEC)
        return NULL;
    const PgQuery__RoleSpec *rs = n->role_spec;
    switch (rs->roletype) {
    case PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_PUBLIC: return "PUBLIC";
    case PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CSTRING: return rs->rolename;
    case PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_SESSION_USER: return "session_user";
    default: return "current_user";
    }
}

static const char *priv_const(pgr *r, const char *name)
{
    static const char *const known[] = {"INSERT", "SELECT",  "UPDATE", "DELETE", "TRUNCATE",
                                        "REFERENCES", "TRIGGER", "EXECUTE", "USAGE", "CREATE",
                                        "TEMPORARY", "CONNECT", NULL};
    const char *u = pgu_upper(&r->tmp, name);
    for (int i = 0; known[i]; i++)
        if (!strcmp(known[i], u))
            return known[i];
    return pgu_upper(&r->cat->mem, name);
}

static void apply_target(pgr *r, PgQuery__GrantStmt *st, const grant_target *t)
{
    for (size_t gi = 0; gi < st->n_grantees; gi++) {
        const char *who = grantee_name(st->grantees[gi]);
        if (!who)
            continue;
        if (!st->n_privileges) {
            for (const char *const *p = all_privs(t->kind, false); *p; p++)
                apply_one(r, st, t, NULL, who, *p);
            continue;
        }
        for (size_t pi = 0; pi < st->n_privileges; pi++) {
            if (st->privileges[pi]->node_case != PG_QUERY__NODE__NODE_ACCESS_PRIV)
                continue;
            PgQuery__AccessPriv *ap = st->privileges[pi]->access_priv;
            size_t ncols = ap->n_cols ? ap->n_cols : 1;
            for (size_t ci = 0; ci < ncols; ci++) {
                const char *col = ap->n_cols ? pgu_str(ap->cols[ci]) : NULL;
                if (pgu_s(ap->priv_name)) {
                    apply_one(r, st, t, col, who, priv_const(r, ap->priv_name));
                } else {
                    for (const char *const *p = all_privs(t->kind, col != NULL); *p; p++)
                        apply_one(r, st, t, col, who, *p);
                }
            }
        }
    }
    if (t->prov)
        pgu_altered(r, t->prov);
}

/* ---- targets ------------------------------------------------------------------------- */

static bool any_rel(pgr *r, const char *schema, const char *name)
{
    return catalog_table_find(r->cat, schema, name) || catalog_view_find(r->cat, schema, name) ||
           catalog_sequence_find(r->cat, schema, name);
}

static bool relation_target(pgr *r, const PgQuery__RangeVar *rv, bool seq_only, grant_target *t)
{
    const char *schema = rv->schemaname && *rv->schemaname ? rv->schemaname : NULL;
    const char *s = pgu_lookup_schema(r, schema, rv->relname, any_rel);
    cat_table *tab = s ? catalog_table_find(r->cat, s, rv->relname) : NULL;
    cat_view *v = s && !tab ? catalog_view_find(r->cat, s, rv->relname) : NULL;
    cat_sequence *q = s && !tab && !v ? catalog_sequence_find(r->cat, s, rv->relname) : NULL;
    if ((!tab && !v && !q) || (seq_only && !q)) {
        diag_error(r->diags, r->loc, "relation \"%s\" does not exist", rv->relname);
        return false;
    }
    t->schema = s;
    t->object = rv->relname;
    t->kind = tab ? "table" : v ? "view" : "sequence";
    t->prov = tab ? &tab->prov : v ? &v->prov : &q->prov;
    return true;
}

static void grant_all_in_schema(pgr *r, PgQuery__GrantStmt *st, const char *schema)
{
    catalog *c = r->cat;
    grant_target t = {0};
    t.schema = schema;
    if (st->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
        for (size_t i = 0; i < c->tables.n; i++)
            if (!strcmp(c->tables.v[i]->schema, schema)) {
                t.kind = "table", t.object = c->tables.v[i]->name, t.prov = &c->tables.v[i]->prov;
                apply_target(r, st, &t);
            }
        for (size_t i = 0; i < c->views.n; i++)
            if (!strcmp(c->views.v[i]->schema, schema)) {
                t.kind = "view", t.object = c->views.v[i]->name, t.prov = &c->views.v[i]->prov;
                apply_target(r, st, &t);
            }
    } else if (st->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE) {
        for (size_t i = 0; i < c->sequences.n; i++)
            if (!strcmp(c->sequences.v[i]->schema, schema)) {
                t.kind = "sequence", t.object = c->sequences.v[i]->name;
                t.prov = &c->sequences.v[i]->prov;
                apply_target(r, st, &t);
            }
    } else {
        for (size_t i = 0; i < c->functions.n; i++) {
            cat_function *f = c->functions.v[i];
            bool proc = st->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_PROCEDURE;
            bool any = st->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_ROUTINE;
            if (!strcmp(f->schema, schema) && (any || f->is_procedure == proc)) {
                t.kind = "function", t.object = f->signature, t.prov = &f->prov;
                apply_target(r, st, &t);
            }
        }
    }
}

void pg_sql_grant(pgr *r, PgQuery__GrantStmt *st)
{
    if (st->targtype == PG_QUERY__GRANT_TARGET_TYPE__ACL_TARGET_ALL_IN_SCHEMA) {
        for (size_t i = 0; i < st->n_objects; i++) {
            const char *s = pgu_str(st->objects[i]);
            if (s && !pgu_schema_exists(r, s))
                diag_error(r->diags, r->loc, "schema \"%s\" does not exist", s);
            else if (s)
                grant_all_in_schema(r, st, s);
        }
        return;
    }
    for (size_t i = 0; i < st->n_objects; i++) {
        PgQuery__Node *o = st->objects[i];
        grant_target t = {0};
        switch (st->objtype) {
        case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
        case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
            if (o->node_case != PG_QUERY__NODE__NODE_RANGE_VAR ||
                !relation_target(r, o->range_var,
                                 st->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE, &t))
                continue;
            break;
        case PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION:
        case PG_QUERY__OBJECT_TYPE__OBJECT_PROCEDURE:
        case PG_QUERY__OBJECT_TYPE__OBJECT_ROUTINE: {
            const char *disp = "?";
            cat_function *f = o->node_case == PG_QUERY__NODE__NODE_OBJECT_WITH_ARGS
                                  ? pg_sql_find_function(r, o->object_with_args, false, &disp)
                                  : NULL;
            if (!f) {
                diag_error(r->diags, r->loc, "function %s does not exist", disp);
                continue;
            }
            t.kind = "function", t.schema = f->schema, t.object = f->signature, t.prov = &f->prov;
            break;
        }
        case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA: {
            const char *s = pgu_str(o);
            if (!s || !pgu_schema_exists(r, s)) {
                diag_error(r->diags, r->loc, "schema \"%s\" does not exist", s ? s : "?");
                continue;
            }
            cat_schema *cs = catalog_schema_find(r->cat, s);
            t.kind = "schema", t.schema = NULL, t.object = s, t.prov = cs ? &cs->prov : NULL;
            break;
        }
        default:
            catalog_opaque_add(r->cat, "grant", pgu_stmt_text(r), r->loc);
            return;
        }
        apply_target(r, st, &t);
    }
}
