/*
 * pg_sql_alter.c — ALTER TABLE subcommands and CREATE INDEX for the
 * PostgreSQL SQL reader.
 */
#include "source/pg_sql_follow.h"
#include "source/pg_sql_table.h"

#include <string.h>

/* ---- helpers ---------------------------------------------------------------- */

static cat_column *need_column(pgr *r, cat_table *t, const char *name, bool missing_ok)
{
    cat_column *c = name ? catalog_column_find(t, name) : NULL;
    if (!c && !missing_ok)
        diag_error(r->diags, r->loc, "column \"%s\" of relation \"%s\" does not exist",
                   name ? name : "?", t->name);
    return c;
}

static bool index_uses(const cat_index *ix, const char *col)
{
    for (size_t i = 0; i < ix->elems.n; i++) {
        const cat_index_elem *e = &ix->elems.v[i];
        if ((e->column && !strcmp(e->column, col)) || pgu_text_mentions(e->expr, col))
            return true;
    }
    return pgu_strvec_has(&ix->include_columns, col) || pgu_text_mentions(ix->where_expr, col);
}

static bool constraint_uses(const cat_constraint *c, const char *col)
{
    return pgu_strvec_has(&c->columns, col) || pgu_strvec_has(&c->include_columns, col) ||
           pgu_text_mentions(c->expr, col);
}

/* FKs of other tables that reference t.col */
static bool referenced_elsewhere(pgr *r, cat_table *t, const char *col, bool cascade)
{
    catalog *cat = r->cat;
    for (size_t i = 0; i < cat->tables.n; i++) {
        cat_table *o = cat->tables.v[i];
        for (size_t j = 0; j < o->constraints.n;) {
            cat_constraint *c = o->constraints.v[j];
            if (o != t && c->kind == CON_FOREIGN && c->ref_table && !strcmp(c->ref_table, t->name) &&
                !strcmp(c->ref_schema, t->schema) && pgu_strvec_has(&c->ref_columns, col)) {
                if (!cascade) {
                    diag_error(r->diags, r->loc,
                               "cannot drop column %s of table %s because other objects depend "
                               "on it (constraint %s on table %s)",
                               col, t->name, c->name, o->name);
                    return false;
                }
                catalog_constraint_remove(cat, o, c);
                continue;
            }
            j++;
        }
    }
    return true;
}

static void drop_column(pgr *r, cat_table *t, PgQuery__AlterTableCmd *cmd)
{
    cat_column *c = need_column(r, t, cmd->name, cmd->missing_ok);
    if (!c)
        return;
    bool cascade = cmd->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
    if (!referenced_elsewhere(r, t, c->name, cascade))
        return;
    for (size_t i = 0; i < t->constraints.n;) {
        if (constraint_uses(t->constraints.v[i], c->name)) {
            catalog_constraint_remove(r->cat, t, t->constraints.v[i]);
            continue;
        }
        i++;
    }
    for (size_t i = 0; i < t->indexes.n;) {
        if (index_uses(t->indexes.v[i], c->name)) {
            catalog_index_remove(r->cat, t->indexes.v[i]);
            continue;
        }
        i++;
    }
    for (size_t i = 0; i < r->cat->sequences.n; i++) {
        cat_sequence *s = r->cat->sequences.v[i];
        if (s->owned_by_column && !strcmp(s->owned_by_column, c->name) && s->owned_by_table &&
            !strcmp(s->owned_by_table, t->name) && !strcmp(s->schema, t->schema)) {
            catalog_sequence_remove(r->cat, s);
            break;
        }
    }
    catalog_column_remove(r->cat, t, c);
}

static void add_column(pgr *r, cat_table *t, PgQuery__AlterTableCmd *cmd)
{
    if (!cmd->def || cmd->def->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF)
        return;
    PgQuery__ColumnDef *cd = cmd->def->column_def;
    if (catalog_column_find(t, cd->colname)) {
        if (!cmd->missing_ok)
            diag_error(r->diags, r->loc, "column \"%s\" of relation \"%s\" already exists",
                       cd->colname, t->name);
        return;
    }
    pgt_pending p = {0};
    pgt_add_column(r, t, cd, &p);
    pgt_apply_pending(r, t, &p);
}

static void alter_type(pgr *r, cat_table *t, PgQuery__AlterTableCmd *cmd)
{
    cat_column *c = need_column(r, t, cmd->name, false);
    if (!c || !cmd->def || cmd->def->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF)
        return;
    PgQuery__ColumnDef *cd = cmd->def->column_def;
    const char *ty = pgu_type(r, cd->type_name, &c->type_written);
    c->type = ty ? ty : "";
    if (cd->coll_clause && cd->coll_clause->n_collname)
        c->collation = arena_strdup(&r->cat->mem, pgu_str(cd->coll_clause->collname[cd->coll_clause->n_collname - 1]));
    pgu_altered(r, &c->prov);
}

static void set_default(pgr *r, cat_table *t, PgQuery__AlterTableCmd *cmd)
{
    cat_column *c = need_column(r, t, cmd->name, false);
    if (!c)
        return;
    c->default_expr = cmd->def ? pgu_expr(r, cmd->def) : NULL;
    c->default_norm = cmd->def ? pgu_expr_norm(r, cmd->def) : NULL;
    pgu_altered(r, &c->prov);
}

static void set_not_null(pgr *r, cat_table *t, PgQuery__AlterTableCmd *cmd, bool on)
{
    cat_column *c = need_column(r, t, cmd->name, false);
    if (!c)
        return;
    if (!on) {
        cat_constraint *pk = catalog_primary_key(t);
        if (pk && pgu_strvec_has(&pk->columns, c->name)) {
            diag_error(r->diags, r->loc, "column \"%s\" is in a primary key", c->name);
            return;
        }
        if (c->identity) {
            diag_error(r->diags, r->loc, "column \"%s\" of relation \"%s\" is an identity column",
                       c->name, t->name);
            return;
        }
    }
    c->not_null = on;
    pgu_altered(r, &c->prov);
}

static void add_constraint(pgr *r, cat_table *t, PgQuery__AlterTableCmd *cmd)
{
    if (!cmd->def || cmd->def->node_case != PG_QUERY__NODE__NODE_CONSTRAINT)
        return;
    pgt_pending p = {0};
    pgt_pend_add(r, &p, cmd->def->constraint, NULL);
    pgt_apply_pending(r, t, &p);
}

static void drop_constraint(pgr *r, cat_table *t, PgQuery__AlterTableCmd *cmd)
{
    cat_constraint *c = catalog_constraint_find(t, cmd->name);
    if (!c) {
        if (!cmd->missing_ok)
            diag_error(r->diags, r->loc, "constraint \"%s\" of relation \"%s\" does not exist",
                       cmd->name, t->name);
        return;
    }
    catalog_constraint_remove(r->cat, t, c);
}

static void validate_constraint(pgr *r, cat_table *t, PgQuery__AlterTableCmd *cmd)
{
    cat_constraint *c = catalog_constraint_find(t, cmd->name);
    if (!c) {
        diag_error(r->diags, r->loc, "constraint \"%s\" of relation \"%s\" does not exist",
                   cmd->name, t->name);
        return;
    }
    c->not_valid = false;
    pgu_altered(r, &c->prov);
}

static void identity_cmd(pgr *r, cat_table *t, PgQuery__AlterTableCmd *cmd)
{
    bool drop = cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_DropIdentity;
    cat_column *c = need_column(r, t, cmd->name, drop && cmd->missing_ok);
    if (!c)
        return;
    if (drop) {
        if (!c->identity && !cmd->missing_ok)
            diag_error(r->diags, r->loc,
                       "column \"%s\" of relation \"%s\" is not an identity column", c->name,
                       t->name);
        c->identity = 0;
        c->identity_options = NULL;
    } else if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddIdentity) {
        if (c->identity) {
            diag_error(r->diags, r->loc,
                       "column \"%s\" of relation \"%s\" is already an identity column", c->name,
                       t->name);
            return;
        }
        if (!c->not_null) {
            diag_error(r->diags, r->loc,
                       "column \"%s\" of relation \"%s\" must be declared NOT NULL before "
                       "identity can be added",
                       c->name, t->name);
            return;
        }
        if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) {
            pgt_pending p = {0};
            pgt_column_constraint(r, c, cmd->def->constraint, &p);
        }
    } else { /* SET GENERATED / sequence options */
        PgQuery__List *l = pgu_list(cmd->def);
        for (size_t i = 0; l && i < l->n_items; i++) {
            PgQuery__Node *n = l->items[i];
            if (n->node_case == PG_QUERY__NODE__NODE_DEF_ELEM &&
                !strcmp(n->def_elem->defname, "generated")) {
                PgQuery__Node *a = n->def_elem->arg;
                if (a && a->node_case == PG_QUERY__NODE__NODE_INTEGER)
                    c->identity = (char)a->integer->ival;
            }
        }
        if (l)
            c->identity_options = pg_sql_identity_options(r, c->type, l->items, l->n_items);
    }
    pgu_altered(r, &c->prov);
}

static void inherit_cmd(pgr *r, cat_table *t, PgQuery__AlterTableCmd *cmd, bool add)
{
    if (!cmd->def || cmd->def->node_case != PG_QUERY__NODE__NODE_RANGE_VAR)
        return;
    cat_table *p = pgu_find_table_rv(r, cmd->def->range_var);
    if (!p) {
        diag_error(r->diags, r->loc, "relation \"%s\" does not exist", cmd->def->range_var->relname);
        return;
    }
    const char *q = arena_printf(&r->cat->mem, "%s.%s", p->schema, p->name);
    if (add) {
        if (!pgu_strvec_has(&t->inherits, q))
            VEC_PUSH(&r->cat->mem, t->inherits, q);
        return;
    }
    for (size_t i = 0; i < t->inherits.n; i++)
        if (!strcmp(t->inherits.v[i], q)) {
            VEC_REMOVE(t->inherits, i);
            break;
        }
}

static void table_cmd(pgr *r, cat_table *t, PgQuery__AlterTableCmd *cmd)
{
    switch (cmd->subtype) {
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumnRecurse: add_column(r, t, cmd); break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumnRecurse: drop_column(r, t, cmd); break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault: set_default(r, t, cmd); break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull: set_not_null(r, t, cmd, false); break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull: set_not_null(r, t, cmd, true); break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType: alter_type(r, t, cmd); break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DropExpression: {
        cat_column *c = need_column(r, t, cmd->name, cmd->missing_ok);
        if (c)
            c->generated = 0, c->generated_expr = c->generated_norm = NULL;
        break;
    }
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraintRecurse: add_constraint(r, t, cmd); break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraintRecurse: drop_constraint(r, t, cmd); break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraintRecurse:
        validate_constraint(r, t, cmd);
        break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AddIdentity:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_SetIdentity:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DropIdentity: identity_cmd(r, t, cmd); break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableRowSecurity: t->rls_enabled = true; break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableRowSecurity: t->rls_enabled = false; break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_ForceRowSecurity: t->rls_forced = true; break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_NoForceRowSecurity: t->rls_forced = false; break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_SetLogged: t->unlogged = false; break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_SetUnLogged: t->unlogged = true; break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AddInherit: inherit_cmd(r, t, cmd, true); break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DropInherit: inherit_cmd(r, t, cmd, false); break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_ChangeOwner:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_SetStatistics:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_SetStorage:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_SetCompression:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_SetRelOptions:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_ResetRelOptions:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_ClusterOn:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_ReplicaIdentity:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrig:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrig:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrigAll:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrigAll:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrigUser:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrigUser: break;
    default:
        diag_warning(r->diags, r->loc, "ALTER TABLE subcommand %d is not interpreted",
                     (int)cmd->subtype);
        break;
    }
}

void pg_sql_alter_table(pgr *r, PgQuery__AlterTableStmt *st)
{
    PgQuery__RangeVar *rv = st->relation;
    if (!rv || !rv->relname)
        return;
    const char *schema = rv->schemaname && *rv->schemaname ? rv->schemaname : NULL;
    if (st->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_TYPE) {
        pg_sql_alter_composite(r, st);  /* ALTER TYPE ... ADD/DROP/ALTER ATTRIBUTE */
        return;
    }
    if (st->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
        /* ALTER INDEX/SEQUENCE/VIEW ... options and owners are not modelled */
        const char *s = pgu_lookup_schema(r, schema, rv->relname, pgu_rel_exists);
        if ((!s || !pgu_rel_exists(r, s, rv->relname)) && !st->missing_ok)
            diag_error(r->diags, r->loc, "relation \"%s\" does not exist", rv->relname);
        return;
    }
    cat_table *t = pgu_find_table(r, schema, rv->relname);
    if (!t) {
        if (!st->missing_ok)
            diag_error(r->diags, r->loc, "relation \"%s\" does not exist",
                       pgu_display(schema, rv->relname, &r->tmp));
        return;
    }
    pgu_altered(r, &t->prov);
    for (size_t i = 0; i < st->n_cmds; i++)
        if (st->cmds[i]->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_CMD)
            table_cmd(r, t, st->cmds[i]->alter_table_cmd);
}

/* ---- CREATE INDEX ---------------------------------------------------------------- */

static bool matview_exists(pgr *r, const char *schema, const char *name)
{
    cat_view *v = catalog_view_find(r->cat, schema, name);
    return v && v->materialized;
}

static void index_elem(pgr *r, cat_index *ix, PgQuery__IndexElem *e)
{
    cat_index_elem el;
    memset(&el, 0, sizeof el);
    if (pgu_s(e->name)) {
        el.column = arena_strdup(&r->cat->mem, e->name);
    } else {
        el.expr = pgu_expr(r, e->expr);
        el.expr_norm = pgu_expr_norm(r, e->expr);
    }
    if (e->n_collation)
        el.collation = arena_strdup(&r->cat->mem, pgu_str(e->collation[e->n_collation - 1]));
    if (e->n_opclass)
        el.opclass = arena_strdup(&r->cat->mem, pgu_str(e->opclass[e->n_opclass - 1]));
    el.desc = e->ordering == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
    if (e->nulls_ordering == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST)
        el.nulls = 'f';
    else if (e->nulls_ordering == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST)
        el.nulls = 'l';
    VEC_PUSH(&r->cat->mem, ix->elems, el);
}

void pg_sql_create_index(pgr *r, PgQuery__IndexStmt *st)
{
    PgQuery__RangeVar *rv = st->relation;
    if (!rv || !rv->relname)
        return;
    const char *schema = rv->schemaname && *rv->schemaname ? rv->schemaname : NULL;
    cat_table *t = pgu_find_table(r, schema, rv->relname);
    cat_view *mv = NULL;
    if (!t) {
        const char *s = pgu_lookup_schema(r, schema, rv->relname, matview_exists);
        mv = s ? catalog_view_find(r->cat, s, rv->relname) : NULL;
        if (!mv || !mv->materialized) {
            diag_error(r->diags, r->loc, "relation \"%s\" does not exist",
                       pgu_display(schema, rv->relname, &r->tmp));
            return;
        }
    }
    const char *tschema = t ? t->schema : mv->schema, *tname = t ? t->name : mv->name;
    const char *name = pgu_s(st->idxname);
    if (name && pgu_rel_exists(r, tschema, name)) {
        if (!st->if_not_exists)
            diag_error(r->diags, r->loc, "relation \"%s\" already exists", name);
        return;
    }
    if (!name) {
        strvec cols = {0};
        pgt_index_colnames(r, st->index_params, st->n_index_params, &cols);
        pgt_index_colnames(r, st->index_including_params, st->n_index_including_params, &cols);
        name = pgu_choose_relation_name(r, tschema, tname, pgu_name_addition(&r->tmp, &cols),
                                        "idx");
    }
    cat_index *ix = t ? catalog_index_add(r->cat, t, name, r->loc)
                      : catalog_matview_index_add(r->cat, mv, name, r->loc);
    ix->method = arena_strdup(&r->cat->mem, pgu_s(st->access_method) ? st->access_method : "btree");
    ix->unique = st->unique;
    ix->nulls_not_distinct = st->nulls_not_distinct;
    for (size_t i = 0; i < st->n_index_params; i++)
        if (st->index_params[i]->node_case == PG_QUERY__NODE__NODE_INDEX_ELEM)
            index_elem(r, ix, st->index_params[i]->index_elem);
    for (size_t i = 0; i < st->n_index_including_params; i++) {
        PgQuery__Node *n = st->index_including_params[i];
        const char *c = n->node_case == PG_QUERY__NODE__NODE_INDEX_ELEM ? pgu_s(n->index_elem->name)
                                                                        : pgu_str(n);
        if (c)
            VEC_PUSH(&r->cat->mem, ix->include_columns, arena_strdup(&r->cat->mem, c));
    }
    if (st->where_clause) {
        ix->where_expr = pgu_expr(r, st->where_clause);
        ix->where_norm = pgu_expr_norm(r, st->where_clause);
    }
    if (t)
        for (size_t i = 0; i < ix->elems.n; i++)
            if (ix->elems.v[i].column && !catalog_column_find(t, ix->elems.v[i].column))
                diag_error(r->diags, r->loc, "column \"%s\" does not exist",
                           ix->elems.v[i].column);
}
