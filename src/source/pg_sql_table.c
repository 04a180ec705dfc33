/*
 * pg_sql_table.c — CREATE TABLE, column definitions (serial, identity,
 * generated), constraints with the server's naming rules, and DROP TABLE
 * dependency handling for the PostgreSQL SQL reader.  ALTER TABLE and
 * CREATE INDEX live in pg_sql_alter.c.
 */
#include "source/pg_sql_table.h"

#include <stdlib.h>
#include <string.h>

#include "catalog/normalize.h"
#include "emit/emit.h"
#include "util/strbuf.h"

/* ---- pending constraints ------------------------------------------------- */

void pgt_pend_add(pgr *r, pgt_pending *p, PgQuery__Constraint *c, const char *col)
{
    pgt_pend e = {c, col, c->deferrable, c->initdeferred};
    VEC_PUSH(&r->tmp, *p, e);
}

/* DEFERRABLE / INITIALLY DEFERRED written after a column constraint */
static void pend_attr(pgt_pending *p, PgQuery__ConstrType t)
{
    if (!p->n)
        return;
    pgt_pend *e = &p->v[p->n - 1];
    if (t == PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRABLE)
        e->deferrable = true;
    else if (t == PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_NOT_DEFERRABLE)
        e->deferrable = false;
    else if (t == PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRED)
        e->deferred = e->deferrable = true;
    else if (t == PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_IMMEDIATE)
        e->deferred = false;
}

/* ---- constraints ---------------------------------------------------------- */

static bool key_columns(pgr *r, cat_table *t, PgQuery__Node **keys, size_t n, const char *col,
                        strvec *out)
{
    if (!n && col) {
        VEC_PUSH(&r->cat->mem, *out, arena_strdup(&r->cat->mem, col));
        return true;
    }
    for (size_t i = 0; i < n; i++) {
        const char *k = pgu_str(keys[i]);
        if (!k)
            continue;
        if (!catalog_column_find(t, k)) {
            diag_error(r->diags, r->loc, "column \"%s\" named in key does not exist", k);
            return false;
        }
        VEC_PUSH(&r->cat->mem, *out, arena_strdup(&r->cat->mem, k));
    }
    return true;
}

static bool name_free(pgr *r, cat_table *t, const char *name)
{
    if (catalog_constraint_find(t, name)) {
        diag_error(r->diags, r->loc, "constraint \"%s\" for relation \"%s\" already exists", name,
                   t->name);
        return false;
    }
    return true;
}

static cat_constraint *add_check(pgr *r, cat_table *t, const pgt_pend *p)
{
    PgQuery__Constraint *c = p->c;
    const char *name = pgu_s(c->conname);
    if (name && !name_free(r, t, name))
        return NULL;
    if (!name) { /* named after the column when exactly one is referenced */
        strvec refs = {0}, cols = {0};
        pgu_column_refs(r, c->raw_expr, &refs);
        for (size_t i = 0; i < refs.n; i++)
            if (catalog_column_find(t, refs.v[i]))
                VEC_PUSH(&r->tmp, cols, refs.v[i]);
        name = pgu_choose_constraint_name(r, t, t->name, cols.n == 1 ? cols.v[0] : NULL, "check",
                                          false);
    }
    cat_constraint *k = catalog_constraint_add(r->cat, t, CON_CHECK, name, r->loc);
    k->expr = pgu_expr(r, c->raw_expr);
    k->expr_norm = pgu_expr_norm(r, c->raw_expr);
    k->no_inherit = c->is_no_inherit;
    k->not_valid = c->skip_validation;
    return k;
}

static const char *elem_colname(const PgQuery__IndexElem *e)
{
    if (pgu_s(e->indexcolname))
        return e->indexcolname;
    return pgu_s(e->name) ? e->name : pgu_figure_colname(e->expr);
}

/* ChooseIndexColumnNames: de-duplicate names within one index */
void pgt_index_colnames(pgr *r, PgQuery__Node **elems, size_t n, strvec *out)
{
    for (size_t i = 0; i < n; i++) {
        const char *orig = NULL;
        if (elems[i]->node_case == PG_QUERY__NODE__NODE_INDEX_ELEM)
            orig = elem_colname(elems[i]->index_elem);
        else
            orig = pgu_str(elems[i]);
        if (!orig)
            orig = "expr";
        const char *cur = orig;
        for (int k = 1; pgu_strvec_has(out, cur); k++) {
            char nbuf[16];
            snprintf(nbuf, sizeof nbuf, "%d", k);
            size_t lim = PG_NAMEDATALEN - 1 - strlen(nbuf), ol = strlen(orig);
            cur = arena_printf(&r->tmp, "%.*s%s", (int)(ol < lim ? ol : lim), orig, nbuf);
        }
        VEC_PUSH(&r->tmp, *out, cur);
    }
}

static const char *exclude_elem_text(pgr *r, PgQuery__Node *pair)
{
    PgQuery__List *l = pgu_list(pair);
    if (!l || l->n_items < 2 || l->items[0]->node_case != PG_QUERY__NODE__NODE_INDEX_ELEM)
        return NULL;
    PgQuery__IndexElem *e = l->items[0]->index_elem;
    PgQuery__List *op = pgu_list(l->items[1]);
    const char *ops = op && op->n_items ? pgu_str(op->items[op->n_items - 1]) : "?";
    if (pgu_s(e->name))
        return arena_printf(&r->cat->mem, "%s WITH %s", e->name, ops);
    return arena_printf(&r->cat->mem, "(%s) WITH %s", pgu_expr_norm(r, e->expr), ops);
}

static cat_constraint *add_index_con(pgr *r, cat_table *t, const pgt_pend *p)
{
    PgQuery__Constraint *c = p->c;
    cat_con_kind kind = c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY  ? CON_PRIMARY
                        : c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE ? CON_UNIQUE
                                                                             : CON_EXCLUDE;
    if (kind == CON_PRIMARY && catalog_primary_key(t)) {
        diag_error(r->diags, r->loc, "multiple primary keys for table \"%s\" are not allowed",
                   t->name);
        return NULL;
    }
    strvec cols = {0}, incl = {0}, names = {0};
    if (kind != CON_EXCLUDE && !key_columns(r, t, c->keys, c->n_keys, p->col, &cols))
        return NULL;
    if (!key_columns(r, t, c->including, c->n_including, NULL, &incl))
        return NULL;
    const char *name = pgu_s(c->conname);
    if (name && !name_free(r, t, name))
        return NULL;
    if (!name) {
        if (kind == CON_PRIMARY) {
            name = pgu_choose_constraint_name(r, t, t->name, NULL, "pkey", true);
        } else {
            if (kind == CON_UNIQUE)
                for (size_t i = 0; i < cols.n; i++)
                    VEC_PUSH(&r->tmp, names, cols.v[i]);
            for (size_t i = 0; kind == CON_EXCLUDE && i < c->n_exclusions; i++) {
                PgQuery__List *l = pgu_list(c->exclusions[i]);
                if (l && l->n_items)
                    pgt_index_colnames(r, &l->items[0], 1, &names);
            }
            for (size_t i = 0; i < incl.n; i++)
                VEC_PUSH(&r->tmp, names, incl.v[i]);
            name = pgu_choose_constraint_name(r, t, t->name, pgu_name_addition(&r->tmp, &names),
                                              kind == CON_UNIQUE ? "key" : "excl", true);
        }
    }
    cat_constraint *k = catalog_constraint_add(r->cat, t, kind, name, r->loc);
    k->columns = cols;
    k->include_columns = incl;
    k->nulls_not_distinct = c->nulls_not_distinct;
    k->deferrable = p->deferrable;
    k->initially_deferred = p->deferred;
    if (kind == CON_PRIMARY)
        for (size_t i = 0; i < cols.n; i++)
            catalog_column_find(t, cols.v[i])->not_null = true;
    if (kind == CON_EXCLUDE) {
        k->using_method = arena_strdup(&r->cat->mem, pgu_s(c->access_method) ? c->access_method : "btree");
        for (size_t i = 0; i < c->n_exclusions; i++) {
            const char *s = exclude_elem_text(r, c->exclusions[i]);
            if (s)
                VEC_PUSH(&r->cat->mem, k->exclude_elems, s);
            PgQuery__List *l = pgu_list(c->exclusions[i]);
            PgQuery__IndexElem *e = l && l->n_items &&
                                            l->items[0]->node_case == PG_QUERY__NODE__NODE_INDEX_ELEM
                                        ? l->items[0]->index_elem
                                        : NULL;
            if (e && pgu_s(e->name))
                VEC_PUSH(&r->cat->mem, k->columns, arena_strdup(&r->cat->mem, e->name));
        }
        if (c->where_clause)
            k->where_norm = pgu_expr_norm(r, c->where_clause);
    }
    return k;
}

static cat_constraint *add_fk(pgr *r, cat_table *t, const pgt_pend *p)
{
    PgQuery__Constraint *c = p->c;
    cat_table *ref = pgu_find_table_rv(r, c->pktable);
    if (!ref) {
        diag_error(r->diags, r->loc, "relation \"%s\" does not exist",
                   pgu_display(c->pktable && c->pktable->schemaname && *c->pktable->schemaname
                                   ? c->pktable->schemaname
                                   : NULL,
                               c->pktable ? c->pktable->relname : "?", &r->tmp));
        return NULL;
    }
    strvec cols = {0}, refcols = {0};
    if (!key_columns(r, t, c->fk_attrs, c->n_fk_attrs, p->col, &cols))
        return NULL;
    if (c->n_pk_attrs) {
        for (size_t i = 0; i < c->n_pk_attrs; i++) {
            const char *k = pgu_str(c->pk_attrs[i]);
            if (k && !catalog_column_find(ref, k)) {
                diag_error(r->diags, r->loc,
                           "column \"%s\" referenced in foreign key constraint does not exist", k);
                return NULL;
            }
            if (k)
                VEC_PUSH(&r->cat->mem, refcols, arena_strdup(&r->cat->mem, k));
        }
    } else {
        cat_constraint *pk = catalog_primary_key(ref);
        if (!pk) {
            diag_error(r->diags, r->loc, "there is no primary key for referenced table \"%s\"",
                       ref->name);
            return NULL;
        }
        for (size_t i = 0; i < pk->columns.n; i++)
            VEC_PUSH(&r->cat->mem, refcols, pk->columns.v[i]);
    }
    if (refcols.n != cols.n) {
        diag_error(r->diags, r->loc,
                   "number of referencing and referenced columns for foreign key disagree");
        return NULL;
    }
    const char *name = pgu_s(c->conname);
    if (name && !name_free(r, t, name))
        return NULL;
    if (!name)
        name = pgu_choose_constraint_name(r, t, t->name, pgu_name_addition(&r->tmp, &cols), "fkey",
                                          false);
    cat_constraint *k = catalog_constraint_add(r->cat, t, CON_FOREIGN, name, r->loc);
    k->columns = cols;
    k->ref_columns = refcols;
    k->ref_schema = ref->schema;
    k->ref_table = ref->name;
    k->on_delete = c->fk_del_action && *c->fk_del_action ? c->fk_del_action[0] : 'a';
    k->on_update = c->fk_upd_action && *c->fk_upd_action ? c->fk_upd_action[0] : 'a';
    k->match = c->fk_matchtype && *c->fk_matchtype ? c->fk_matchtype[0] : 's';
    k->deferrable = p->deferrable;
    k->initially_deferred = p->deferred;
    k->not_valid = c->skip_validation;
    return k;
}

/* Apply pending constraints in the server's order: checks, keys, foreign keys. */
void pgt_apply_pending(pgr *r, cat_table *t, pgt_pending *p)
{
    for (int pass = 0; pass < 3; pass++) {
        for (size_t i = 0; i < p->n; i++) {
            PgQuery__ConstrType ty = p->v[i].c->contype;
            if (pass == 0 && ty == PG_QUERY__CONSTR_TYPE__CONSTR_CHECK)
                add_check(r, t, &p->v[i]);
            else if (pass == 1 && (ty == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY ||
                                   ty == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE ||
                                   ty == PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION))
                add_index_con(r, t, &p->v[i]);
            else if (pass == 2 && ty == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN)
                add_fk(r, t, &p->v[i]);
        }
    }
}

/* ---- columns ---------------------------------------------------------------- */

static void serial_column(pgr *r, cat_table *t, cat_column *col, int kind)
{
    col->type = kind == 8 ? "bigint" : kind == 2 ? "smallint" : "integer";
    col->not_null = true;
    const char *seqname = pgu_choose_relation_name(r, t->schema, t->name, col->name, "seq");
    cat_sequence *s = catalog_sequence_add(r->cat, t->schema, seqname, r->loc);
    pg_sql_sequence_defaults(s, col->type);
    s->owned_by_table = t->name;
    s->owned_by_column = col->name;
    strbuf q = STRBUF_INIT, lit = STRBUF_INIT;
    if (strcmp(t->schema, "public")) {
        sql_quote_ident(&q, DIALECT_PG, t->schema);
        strbuf_addch(&q, '.');
    }
    sql_quote_ident(&q, DIALECT_PG, seqname);
    sql_quote_literal(&lit, strbuf_str(&q));
    col->default_expr = arena_printf(&r->cat->mem, "nextval(%s::regclass)", strbuf_str(&lit));
    const char *n = normalize_pg_expr(&r->cat->mem, col->default_expr);
    col->default_norm = n ? n : col->default_expr;
    strbuf_release(&q);
    strbuf_release(&lit);
}

static void identity_column(pgr *r, cat_column *col, PgQuery__Constraint *c)
{
    col->identity = c->generated_when && *c->generated_when ? c->generated_when[0] : 'a';
    col->not_null = true;
    col->identity_options = pg_sql_identity_options(r, col->type, c->options, c->n_options);
}

static bool is_null_const(const PgQuery__Node *n)
{
    return n && n->node_case == PG_QUERY__NODE__NODE_A_CONST && n->a_const->isnull;
}

void pgt_column_constraint(pgr *r, cat_column *col, PgQuery__Constraint *c, pgt_pending *p)
{
    switch (c->contype) {
    case PG_QUERY__CONSTR_TYPE__CONSTR_NULL: col->not_null = false; break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL: col->not_null = true; break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT: /* DEFAULT NULL stores no default */
        col->default_expr = is_null_const(c->raw_expr) ? NULL : pgu_expr(r, c->raw_expr);
        col->default_norm = is_null_const(c->raw_expr) ? NULL : pgu_expr_norm(r, c->raw_expr);
        break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY: identity_column(r, col, c); break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED:
        col->generated = 's';
        col->generated_expr = pgu_expr(r, c->raw_expr);
        col->generated_norm = pgu_expr_norm(r, c->raw_expr);
        break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
    case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
    case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
    case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION:
    case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN: pgt_pend_add(r, p, c, col->name); break;
    default: pend_attr(p, c->contype); break;
    }
}

static const char *collation_name(PgQuery__CollateClause *cc)
{
    if (!cc || !cc->n_collname)
        return NULL;
    return pgu_str(cc->collname[cc->n_collname - 1]);
}

cat_column *pgt_add_column(pgr *r, cat_table *t, PgQuery__ColumnDef *cd, pgt_pending *p)
{
    cat_column *col = catalog_column_add(r->cat, t, cd->colname, r->loc);
    int serial = pgu_serial_kind(cd->type_name);
    col->type = pgu_type(r, cd->type_name, &col->type_written);
    if (!col->type)
        col->type = "";
    if (serial)
        serial_column(r, t, col, serial);
    if (cd->is_not_null)
        col->not_null = true;
    if (cd->raw_default) {
        col->default_expr = pgu_expr(r, cd->raw_default);
        col->default_norm = pgu_expr_norm(r, cd->raw_default);
    }
    const char *coll = collation_name(cd->coll_clause);
    if (coll)
        col->collation = arena_strdup(&r->cat->mem, coll);
    for (size_t i = 0; i < cd->n_constraints; i++)
        if (cd->constraints[i]->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
            pgt_column_constraint(r, col, cd->constraints[i]->constraint, p);
    return col;
}

static void copy_columns(pgr *r, cat_table *t, const cat_table *from)
{
    for (size_t i = 0; i < from->columns.n; i++) {
        const cat_column *s = from->columns.v[i];
        if (catalog_column_find(t, s->name))
            continue;
        cat_column *c = catalog_column_add(r->cat, t, s->name, r->loc);
        c->type = s->type;
        c->type_written = s->type_written;
        c->not_null = s->not_null;
        c->default_expr = s->default_expr;
        c->default_norm = s->default_norm;
        c->collation = s->collation;
    }
}

/* ---- CREATE TABLE -------------------------------------------------------------- */

static const char *partition_by(pgr *r, PgQuery__PartitionSpec *ps)
{
    strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, pgu_upper(&r->tmp, ps->strategy));
    strbuf_adds(&sb, " (");
    for (size_t i = 0; i < ps->n_part_params; i++) {
        if (i)
            strbuf_adds(&sb, ", ");
        PgQuery__Node *n = ps->part_params[i];
        if (n->node_case != PG_QUERY__NODE__NODE_PARTITION_ELEM)
            continue;
        PgQuery__PartitionElem *e = n->partition_elem;
        if (pgu_s(e->name))
            strbuf_adds(&sb, e->name);
        else if (e->expr && e->expr->node_case == PG_QUERY__NODE__NODE_FUNC_CALL)
            strbuf_adds(&sb, pgu_expr_norm(r, e->expr));
        else if (e->expr)
            strbuf_addf(&sb, "(%s)", pgu_expr_norm(r, e->expr));
    }
    strbuf_addch(&sb, ')');
    const char *out = arena_strdup(&r->cat->mem, strbuf_str(&sb));
    strbuf_release(&sb);
    return out;
}

static void datum_list(pgr *r, strbuf *sb, PgQuery__Node **d, size_t n)
{
    strbuf_addch(sb, '(');
    for (size_t i = 0; i < n; i++) {
        const PgQuery__Node *x = d[i];
        if (x->node_case == PG_QUERY__NODE__NODE_PARTITION_RANGE_DATUM)
            x = x->partition_range_datum->value
                    ? x->partition_range_datum->value
                    : NULL;
        const char *s = NULL;
        if (!x && d[i]->node_case == PG_QUERY__NODE__NODE_PARTITION_RANGE_DATUM)
            s = d[i]->partition_range_datum->kind ==
                        PG_QUERY__PARTITION_RANGE_DATUM_KIND__PARTITION_RANGE_DATUM_MINVALUE
                    ? "MINVALUE"
                    : "MAXVALUE";
        else if (x && x->node_case == PG_QUERY__NODE__NODE_COLUMN_REF)
            s = pgu_upper(&r->tmp, pgu_figure_colname(x)); /* MINVALUE / MAXVALUE */
        else
            s = x ? pgu_expr_norm(r, x) : "";
        strbuf_addf(sb, "%s%s", i ? ", " : "", s);
    }
    strbuf_addch(sb, ')');
}

/* pg_get_expr(relpartbound) spelling */
static const char *partition_bound(pgr *r, PgQuery__PartitionBoundSpec *b)
{
    if (b->is_default)
        return "DEFAULT";
    strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, "FOR VALUES ");
    if (b->n_listdatums) {
        strbuf_adds(&sb, "IN ");
        datum_list(r, &sb, b->listdatums, b->n_listdatums);
    } else if (b->n_lowerdatums || b->n_upperdatums) {
        strbuf_adds(&sb, "FROM ");
        datum_list(r, &sb, b->lowerdatums, b->n_lowerdatums);
        strbuf_adds(&sb, " TO ");
        datum_list(r, &sb, b->upperdatums, b->n_upperdatums);
    } else {
        strbuf_addf(&sb, "WITH (modulus %d, remainder %d)", b->modulus, b->remainder);
    }
    const char *out = arena_strdup(&r->cat->mem, strbuf_str(&sb));
    strbuf_release(&sb);
    return out;
}

static bool inherit_from(pgr *r, cat_table *t, PgQuery__Node *n)
{
    if (n->node_case != PG_QUERY__NODE__NODE_RANGE_VAR)
        return true;
    cat_table *parent = pgu_find_table_rv(r, n->range_var);
    if (!parent) {
        diag_error(r->diags, r->loc, "relation \"%s\" does not exist", n->range_var->relname);
        return false;
    }
    VEC_PUSH(&r->cat->mem, t->inherits,
             arena_printf(&r->cat->mem, "%s.%s", parent->schema, parent->name));
    copy_columns(r, t, parent);
    return true;
}

static void table_element(pgr *r, cat_table *t, PgQuery__Node *n, pgt_pending *p)
{
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_COLUMN_DEF: {
        PgQuery__ColumnDef *cd = n->column_def;
        cat_column *have = catalog_column_find(t, cd->colname);
        if (have && (t->inherits.n || !cd->type_name)) { /* merged with parent / WITH OPTIONS */
            for (size_t i = 0; i < cd->n_constraints; i++)
                if (cd->constraints[i]->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
                    pgt_column_constraint(r, have, cd->constraints[i]->constraint, p);
        } else if (have) {
            diag_error(r->diags, r->loc, "column \"%s\" specified more than once", cd->colname);
        } else {
            pgt_add_column(r, t, cd, p);
        }
        break;
    }
    case PG_QUERY__NODE__NODE_CONSTRAINT: pgt_pend_add(r, p, n->constraint, NULL); break;
    case PG_QUERY__NODE__NODE_TABLE_LIKE_CLAUSE: {
        cat_table *src = pgu_find_table_rv(r, n->table_like_clause->relation);
        if (src)
            copy_columns(r, t, src);
        else
            diag_error(r->diags, r->loc, "relation \"%s\" does not exist",
                       n->table_like_clause->relation ? n->table_like_clause->relation->relname
                                                      : "?");
        break;
    }
    default: break;
    }
}

void pg_sql_create_table(pgr *r, PgQuery__CreateStmt *st)
{
    PgQuery__RangeVar *rv = st->relation;
    if (!rv || !rv->relname)
        return;
    const char *schema = pgu_create_schema(r, rv->schemaname && *rv->schemaname ? rv->schemaname
                                                                                : NULL);
    if (!schema)
        return;
    if (pgu_rel_exists(r, schema, rv->relname)) {
        if (!st->if_not_exists)
            diag_error(r->diags, r->loc, "relation \"%s\" already exists", rv->relname);
        return;
    }
    if (st->of_typename) {
        diag_warning(r->diags, r->loc, "CREATE TABLE OF type is kept as is");
        catalog_opaque_add(r->cat, "other", pgu_stmt_text(r), r->loc);
        return;
    }
    cat_table *t = catalog_table_add(r->cat, schema, rv->relname, r->loc);
    t->unlogged = rv->relpersistence && rv->relpersistence[0] == 'u';
    for (size_t i = 0; i < st->n_inh_relations; i++)
        if (!inherit_from(r, t, st->inh_relations[i]))
            break;
    if (st->partspec)
        t->partition_by = partition_by(r, st->partspec);
    if (st->partbound)
        t->partition_bound = partition_bound(r, st->partbound);
    pgt_pending p = {0};
    for (size_t i = 0; i < st->n_table_elts; i++)
        table_element(r, t, st->table_elts[i], &p);
    for (size_t i = 0; i < st->n_constraints; i++)
        if (st->constraints[i]->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
            pgt_pend_add(r, &p, st->constraints[i]->constraint, NULL);
    pgt_apply_pending(r, t, &p);
}

/* ---- DROP TABLE ------------------------------------------------------------------ */

static bool view_reads(const cat_view *v, const char *qualified)
{
    return pgu_strvec_has(&v->depends_on, qualified);
}

/* views reading `qualified`; with cascade they are dropped, else an error */
bool pgt_drop_dependent_views(pgr *r, const char *qualified, const char *what, bool cascade)
{
    for (size_t i = 0; i < r->cat->views.n; i++) {
        cat_view *v = r->cat->views.v[i];
        if (!view_reads(v, qualified))
            continue;
        if (!cascade) {
            diag_error(r->diags, r->loc,
                       "cannot drop %s because other objects depend on it (view %s)", what,
                       v->name);
            return false;
        }
    }
    if (!cascade)
        return true;
    for (size_t i = 0; i < r->cat->views.n;) {
        cat_view *v = r->cat->views.v[i];
        if (view_reads(v, qualified)) {
            const char *vq = arena_printf(&r->tmp, "%s.%s", v->schema, v->name);
            catalog_view_remove(r->cat, v);
            pgt_drop_dependent_views(r, vq, "view", true);
            i = 0;
            continue;
        }
        i++;
    }
    return true;
}

void pg_sql_drop_table(pgr *r, cat_table *t, bool cascade)
{
    catalog *cat = r->cat;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < cat->tables.n; i++) {
            cat_table *o = cat->tables.v[i];
            if (o == t)
                continue;
            for (size_t j = 0; j < o->constraints.n;) {
                cat_constraint *c = o->constraints.v[j];
                if (c->kind == CON_FOREIGN && c->ref_table && !strcmp(c->ref_table, t->name) &&
                    c->ref_schema && !strcmp(c->ref_schema, t->schema)) {
                    if (!cascade) {
                        diag_error(r->diags, r->loc,
                                   "cannot drop table %s because other objects depend on it "
                                   "(constraint %s on table %s)",
                                   t->name, c->name, o->name);
                        return;
                    }
                    if (pass == 1) {
                        catalog_constraint_remove(cat, o, c);
                        continue;
                    }
                }
                j++;
            }
        }
        if (pass == 0 &&
            !pgt_drop_dependent_views(r, arena_printf(&r->tmp, "%s.%s", t->schema, t->name),
                                      arena_printf(&r->tmp, "table %s", t->name), cascade))
            return;
    }
    catalog_table_remove(cat, t);
}
