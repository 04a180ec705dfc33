/*
 * normalize_select.c — SELECT-level rules of the normaliser, applied after
 * the SELECT's children were rewritten (normalize_expr.c):
 *  - ORDER BY <position> / GROUP BY <position> and ORDER BY <output name>
 *    are replaced by the target expression, as pg_get_viewdef prints them;
 *  - an output name equal to the one PostgreSQL infers (FigureColname:
 *    count(*) AS count, u.id AS id) is dropped;
 *  - output names of the non-first arms of UNION/INTERSECT/EXCEPT are
 *    dropped (they do not name anything; the server adds them).
 */
#include "catalog/normalize_pg.h"

#include <string.h>

const char *npg_figure_colname(const PgQuery__Node *n);
void npg_norm_select_tail(arena *a, PgQuery__SelectStmt *s);

#define NODE_IS(n, kind) ((n) && (n)->node_case == PG_QUERY__NODE__NODE_##kind)

static const char *svf_name(PgQuery__SQLValueFunctionOp op)
{
    switch (op) {
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE: return "current_date";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME_N: return "current_time";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP_N: return "current_timestamp";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME_N: return "localtime";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP_N: return "localtimestamp";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_ROLE: return "current_role";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_USER: return "current_user";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_USER: return "user";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_SESSION_USER: return "session_user";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_CATALOG: return "current_catalog";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_SCHEMA: return "current_schema";
    default: return NULL;
    }
}

static const char *target_name(const PgQuery__Node *t);

/* Name and strength as PostgreSQL's FigureColnameInternal: 2 = a real
 * name, 1 = a fallback (type name, "case"), 0 = none. */
static int figure(const PgQuery__Node *n, const char **name)
{
    if (!n)
        return 0;
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_COLUMN_REF: {
        const PgQuery__ColumnRef *cr = n->column_ref;
        const char *s = cr->n_fields ? npg_str(cr->fields[cr->n_fields - 1]) : NULL;
        if (s) { *name = s; return 2; }
        return 0;
    }
    case PG_QUERY__NODE__NODE_A_INDIRECTION: {
        const PgQuery__AIndirection *ai = n->a_indirection;
        const char *s = ai->n_indirection ? npg_str(ai->indirection[ai->n_indirection - 1]) : NULL;
        if (s) { *name = s; return 2; }
        return figure(ai->arg, name);
    }
    case PG_QUERY__NODE__NODE_FUNC_CALL: {
        const PgQuery__FuncCall *fc = n->func_call;
        const char *s = fc->n_funcname ? npg_str(fc->funcname[fc->n_funcname - 1]) : NULL;
        if (s) { *name = s; return 2; }
        return 0;
    }
    case PG_QUERY__NODE__NODE_A_EXPR:
        if (n->a_expr->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF) { *name = "nullif"; return 2; }
        return 0;
    case PG_QUERY__NODE__NODE_TYPE_CAST: {
        int st = figure(n->type_cast->arg, name);
        const PgQuery__TypeName *t = n->type_cast->type_name;
        if (st <= 1 && t && t->n_names && npg_str(t->names[t->n_names - 1])) {
            *name = npg_str(t->names[t->n_names - 1]);
            return 1;
        }
        return st;
    }
    case PG_QUERY__NODE__NODE_COLLATE_CLAUSE:
        return figure(n->collate_clause->arg, name);
    case PG_QUERY__NODE__NODE_SUB_LINK: {
        const PgQuery__SubLink *sl = n->sub_link;
        if (sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK) { *name = "exists"; return 2; }
        if (sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__ARRAY_SUBLINK) { *name = "array"; return 2; }
        if (sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK && NODE_IS(sl->subselect, SELECT_STMT)) {
            const PgQuery__SelectStmt *s = sl->subselect->select_stmt;
            const char *t = s->n_target_list ? target_name(s->target_list[0]) : NULL;
            if (t) { *name = t; return 2; }
        }
        return 0;
    }
    case PG_QUERY__NODE__NODE_CASE_EXPR: {
        int st = figure(n->case_expr->defresult, name);
        if (st <= 1) { *name = "case"; return 1; }
        return st;
    }
    case PG_QUERY__NODE__NODE_A_ARRAY_EXPR: *name = "array"; return 2;
    case PG_QUERY__NODE__NODE_ROW_EXPR: *name = "row"; return 2;
    case PG_QUERY__NODE__NODE_COALESCE_EXPR: *name = "coalesce"; return 2;
    case PG_QUERY__NODE__NODE_GROUPING_FUNC: *name = "grouping"; return 2;
    case PG_QUERY__NODE__NODE_MIN_MAX_EXPR:
        *name = n->min_max_expr->op == PG_QUERY__MIN_MAX_OP__IS_GREATEST ? "greatest" : "least";
        return 2;
    case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION: {
        const char *s = svf_name(n->sqlvalue_function->op);
        if (s) { *name = s; return 2; }
        return 0;
    }
    default:
        return 0;
    }
}

const char *npg_figure_colname(const PgQuery__Node *n)
{
    const char *name = NULL;
    return figure(n, &name) ? name : NULL;
}

static PgQuery__ResTarget *as_target(const PgQuery__Node *t)
{
    return NODE_IS(t, RES_TARGET) ? t->res_target : NULL;
}

/* Output column name: explicit or inferred. */
static const char *target_name(const PgQuery__Node *t)
{
    PgQuery__ResTarget *rt = as_target(t);
    if (!rt)
        return NULL;
    if (rt->name && rt->name[0])
        return rt->name;
    return npg_figure_colname(rt->val);
}

/* Target expression for ORDER BY/GROUP BY position k (1-based), or NULL. */
static PgQuery__Node *target_at(const PgQuery__SelectStmt *s, const PgQuery__Node *k)
{
    if (!NODE_IS(k, A_CONST) || k->a_const->val_case != PG_QUERY__A__CONST__VAL_IVAL)
        return NULL;
    int pos = k->a_const->ival ? k->a_const->ival->ival : 0;
    if (pos < 1 || (size_t)pos > s->n_target_list)
        return NULL;
    PgQuery__ResTarget *rt = as_target(s->target_list[pos - 1]);
    if (!rt || !rt->val || NODE_IS(rt->val, A_CONST))
        return NULL;
    return rt->val;
}

/* Target expression whose output name is the bare column reference k. */
static PgQuery__Node *target_named(const PgQuery__SelectStmt *s, const PgQuery__Node *k)
{
    if (!NODE_IS(k, COLUMN_REF) || k->column_ref->n_fields != 1)
        return NULL;
    const char *want = npg_str(k->column_ref->fields[0]);
    PgQuery__Node *found = NULL;
    for (size_t i = 0; want && i < s->n_target_list; i++) {
        const char *nm = target_name(s->target_list[i]);
        if (nm && strcmp(nm, want) == 0) {
            if (found)
                return NULL;          /* ambiguous */
            found = as_target(s->target_list[i])->val;
        }
    }
    return found;
}

static void resolve_sort_group(PgQuery__SelectStmt *s)
{
    for (size_t i = 0; i < s->n_sort_clause; i++) {
        PgQuery__Node *sb = s->sort_clause[i];
        if (!NODE_IS(sb, SORT_BY))
            continue;
        PgQuery__Node *t = target_at(s, sb->sort_by->node);
        if (!t)
            t = target_named(s, sb->sort_by->node);
        if (t)
            sb->sort_by->node = t;
    }
    for (size_t i = 0; i < s->n_group_clause; i++) {
        PgQuery__Node *t = target_at(s, s->group_clause[i]);
        if (t)
            s->group_clause[i] = t;
    }
}

static void clear_inferred_names(PgQuery__SelectStmt *s)
{
    for (size_t i = 0; i < s->n_target_list; i++) {
        PgQuery__ResTarget *rt = as_target(s->target_list[i]);
        if (!rt || !rt->name || !rt->name[0])
            continue;
        const char *fig = npg_figure_colname(rt->val);
        if (fig && strcmp(fig, rt->name) == 0)
            rt->name = "";
    }
}

static bool is_setop(const PgQuery__SelectStmt *s)
{
    return s->op != PG_QUERY__SET_OPERATION__SETOP_NONE &&
           s->op != PG_QUERY__SET_OPERATION__SET_OPERATION_UNDEFINED;
}

static void drop_all_names(PgQuery__SelectStmt *s)
{
    if (!s)
        return;
    if (is_setop(s)) {
        drop_all_names(s->larg);
        drop_all_names(s->rarg);
        return;
    }
    for (size_t i = 0; i < s->n_target_list; i++) {
        PgQuery__ResTarget *rt = as_target(s->target_list[i]);
        if (rt)
            rt->name = "";
    }
}

void npg_norm_select_tail(arena *a, PgQuery__SelectStmt *s)
{
    (void)a;
    if (is_setop(s)) {
        if (s->rarg)
            drop_all_names(s->rarg);
        return;                       /* larg was handled as its own SELECT */
    }
    resolve_sort_group(s);
    clear_inferred_names(s);
}
