/*
 * normalize_fast.c — owns the fast path of deparse_pg_expr() and
 * normalize_pg_node_expr(): the common expression shapes (constants, column
 * and parameter references, simple casts, plain function calls, SQL value
 * functions, operators, AND/OR/NOT, IS [NOT] NULL, IS [NOT] TRUE/FALSE/
 * UNKNOWN, ARRAY[...], IN / LIKE / BETWEEN) are printed directly from the
 * protobuf tree, with exactly the spelling and parenthesisation of
 * libpg_query's deparser, and without the pack + deparse round trip.  Any
 * other node kind anywhere in the tree makes npg_fast_deparse() return
 * false and the caller takes the slow path.  tests/unit/test_normalize_fast.c
 * checks both paths give identical strings over a large corpus.
 */
#include "catalog/normalize_pg.h"
#include "emit/emit.h"

#include <stdio.h>
#include <string.h>

bool npg_force_slow = false;

#define NODE_IS(n, kind) ((n) && (n)->node_case == PG_QUERY__NODE__NODE_##kind)

enum { FAST_MAX_DEPTH = 64 };

static bool fast_expr(strbuf *sb, const PgQuery__Node *n, int depth);

/* quote_identifier(): bare when [a-z_][a-z0-9_]* and not a keyword that
 * needs quoting; sql_quote_ident() agrees except that it also allows '$'. */
static bool fast_ident(strbuf *sb, const char *s)
{
    if (!s || !*s || strchr(s, '$'))
        return false;
    sql_quote_ident(sb, DIALECT_PG, s);
    return true;
}

static bool fast_string_lit(strbuf *sb, const char *s)
{
    if (!s || strchr(s, '\\'))
        return false; /* E'...' syntax: leave it to the deparser */
    strbuf_addch(sb, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            strbuf_addch(sb, '\'');
        strbuf_addch(sb, *s);
    }
    strbuf_addch(sb, '\'');
    return true;
}

static bool fast_const(strbuf *sb, const PgQuery__AConst *c)
{
    if (c->isnull) {
        strbuf_adds(sb, "NULL");
        return true;
    }
    switch (c->val_case) {
    case PG_QUERY__A__CONST__VAL_IVAL:
        strbuf_addf(sb, "%d", c->ival ? c->ival->ival : 0);
        return true;
    case PG_QUERY__A__CONST__VAL_FVAL:
        if (!c->fval || !c->fval->fval || !*c->fval->fval)
            return false;
        strbuf_adds(sb, c->fval->fval);
        return true;
    case PG_QUERY__A__CONST__VAL_BOOLVAL:
        strbuf_adds(sb, c->boolval && c->boolval->boolval ? "true" : "false");
        return true;
    case PG_QUERY__A__CONST__VAL_SVAL:
        return c->sval && fast_string_lit(sb, c->sval->sval);
    default:
        return false;
    }
}

static bool fast_column_ref(strbuf *sb, const PgQuery__ColumnRef *cr)
{
    if (!cr->n_fields)
        return false;
    for (size_t i = 0; i < cr->n_fields; i++) {
        if (i)
            strbuf_addch(sb, '.');
        if (!fast_ident(sb, npg_str(cr->fields[i])))
            return false;
    }
    return true;
}

/* ---- type names ------------------------------------------------------------- */

/* pg_catalog.<internal> names the deparser prints in SQL spelling; others
 * (bit, varbit, interval, timetz with typmods ...) have special cases we
 * leave to it. */
static const char *catalog_type(const char *name, size_t n_typmods)
{
    static const char *const map[][2] = {
        {"int4", "int"},      {"int8", "bigint"},      {"int2", "smallint"},
        {"bool", "boolean"},  {"float8", "double precision"}, {"float4", "real"},
        {"varchar", "varchar"}, {"numeric", "numeric"}, {"bpchar", "char"},
        {"timestamp", "timestamp"}, {"time", "time"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(name, map[i][0]) == 0)
            return map[i][1];
    if (n_typmods == 0 && strcmp(name, "timestamptz") == 0)
        return "timestamp with time zone";
    if (n_typmods == 0 && strcmp(name, "timetz") == 0)
        return "time with time zone";
    return NULL;
}

static bool fast_type_name(strbuf *sb, const PgQuery__TypeName *t)
{
    if (!t || !t->n_names || t->setof || t->pct_type || t->typemod != -1)
        return false;
    const char *first = npg_str(t->names[0]);
    if (t->n_names == 2 && first && strcmp(first, "pg_catalog") == 0) {
        const char *name = npg_str(t->names[1]);
        const char *sql = name ? catalog_type(name, t->n_typmods) : NULL;
        if (!sql)
            return false;
        strbuf_adds(sb, sql);
    } else {
        for (size_t i = 0; i < t->n_names; i++) {
            if (i)
                strbuf_addch(sb, '.');
            if (!fast_ident(sb, npg_str(t->names[i])))
                return false;
        }
    }
    if (t->n_typmods) {
        strbuf_addch(sb, '(');
        for (size_t i = 0; i < t->n_typmods; i++) {
            const PgQuery__Node *m = t->typmods[i];
            if (!NODE_IS(m, A_CONST) || m->a_const->isnull ||
                m->a_const->val_case != PG_QUERY__A__CONST__VAL_IVAL)
                return false;
            strbuf_addf(sb, "%s%d", i ? ", " : "", m->a_const->ival->ival);
        }
        strbuf_addch(sb, ')');
    }
    for (size_t i = 0; i < t->n_array_bounds; i++) {
        const PgQuery__Node *b = t->array_bounds[i];
        if (!NODE_IS(b, INTEGER))
            return false;
        if (b->integer->ival < 0)
            strbuf_adds(sb, "[]");
        else
            strbuf_addf(sb, "[%d]", b->integer->ival);
    }
    return true;
}

/* ---- composite nodes ------------------------------------------------------------ */

static bool fast_type_cast(strbuf *sb, const PgQuery__TypeCast *tc, int depth)
{
    const PgQuery__Node *arg = tc->arg;
    if (!arg)
        return false;
    if (NODE_IS(arg, A_EXPR)) {
        /* the deparser spells casts of operator expressions CAST(x AS t) */
        strbuf_adds(sb, "CAST(");
        if (!fast_expr(sb, arg, depth + 1))
            return false;
        strbuf_adds(sb, " AS ");
        if (!fast_type_name(sb, tc->type_name))
            return false;
        strbuf_addch(sb, ')');
        return true;
    }
    bool parens = false;
    if (NODE_IS(arg, A_CONST) && !arg->a_const->isnull) {
        const PgQuery__AConst *c = arg->a_const;
        parens = c->val_case == PG_QUERY__A__CONST__VAL_FVAL ||
                 (c->val_case == PG_QUERY__A__CONST__VAL_IVAL && c->ival && c->ival->ival < 0);
    } else if (!NODE_IS(arg, A_CONST) && !NODE_IS(arg, COLUMN_REF) && !NODE_IS(arg, FUNC_CALL) &&
               !NODE_IS(arg, TYPE_CAST) && !NODE_IS(arg, A_ARRAY_EXPR) && !NODE_IS(arg, PARAM_REF)) {
        return false;
    }
    if (parens)
        strbuf_addch(sb, '(');
    if (!fast_expr(sb, arg, depth + 1))
        return false;
    if (parens)
        strbuf_addch(sb, ')');
    strbuf_adds(sb, "::");
    return fast_type_name(sb, tc->type_name);
}

static bool fast_expr_list(strbuf *sb, PgQuery__Node *const *items, size_t n, int depth)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            strbuf_adds(sb, ", ");
        if (!fast_expr(sb, items[i], depth + 1))
            return false;
    }
    return true;
}

static bool fast_func_call(strbuf *sb, const PgQuery__FuncCall *fc, int depth)
{
    if (fc->funcformat != PG_QUERY__COERCION_FORM__COERCE_EXPLICIT_CALL || fc->n_agg_order ||
        fc->agg_filter || fc->over || fc->agg_within_group || fc->func_variadic || !fc->n_funcname)
        return false;
    for (size_t i = 0; i < fc->n_funcname; i++) {
        if (i)
            strbuf_addch(sb, '.');
        if (!fast_ident(sb, npg_str(fc->funcname[i])))
            return false;
    }
    strbuf_addch(sb, '(');
    if (fc->agg_distinct)
        strbuf_adds(sb, "DISTINCT ");
    if (fc->agg_star) {
        if (fc->n_args)
            return false;
        strbuf_addch(sb, '*');
    } else {
        for (size_t i = 0; i < fc->n_args; i++)
            if (NODE_IS(fc->args[i], NAMED_ARG_EXPR))
                return false;
        if (!fast_expr_list(sb, fc->args, fc->n_args, depth))
            return false;
    }
    strbuf_addch(sb, ')');
    return true;
}

static const char *svf_text(PgQuery__SQLValueFunctionOp op)
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

static bool fast_svf(strbuf *sb, const PgQuery__SQLValueFunction *f)
{
    const char *s = svf_text(f->op);
    if (!s)
        return false;
    strbuf_adds(sb, s);
    if (f->typmod != -1)
        strbuf_addf(sb, "(%d)", f->typmod);
    return true;
}

/* a single unqualified operator name made of operator characters */
static const char *plain_op(PgQuery__Node *const *name, size_t n)
{
    const char *op = n == 1 ? npg_str(name[0]) : NULL;
    if (!op || !*op || strspn(op, "+-*/<>=~!@#%^&|`?") != strlen(op))
        return NULL;
    return op;
}

/* The deparser prints some operands without parentheses even where the
 * text would then parse differently ("(a AND b) IS NULL" -> "a AND b IS
 * NULL"); such trees are left to the slow path, so that the fast
 * normaliser (which skips the text round trip) stays exact. */
static bool loose_operand(const PgQuery__Node *n)
{
    return NODE_IS(n, A_EXPR) || NODE_IS(n, BOOL_EXPR) || NODE_IS(n, NULL_TEST) ||
           NODE_IS(n, BOOLEAN_TEST);
}

static bool needs_op_parens(const PgQuery__Node *n)
{
    return NODE_IS(n, BOOL_EXPR) || NODE_IS(n, NULL_TEST) || NODE_IS(n, A_EXPR);
}

static bool fast_operand(strbuf *sb, const PgQuery__Node *n, int depth)
{
    if (NODE_IS(n, BOOLEAN_TEST))
        return false;
    bool p = needs_op_parens(n);
    if (p)
        strbuf_addch(sb, '(');
    if (!fast_expr(sb, n, depth + 1))
        return false;
    if (p)
        strbuf_addch(sb, ')');
    return true;
}

static bool fast_a_expr_op(strbuf *sb, const PgQuery__AExpr *e, const char *op, int depth)
{
    if (!e->rexpr)
        return false;
    if (e->lexpr) {
        if (!fast_operand(sb, e->lexpr, depth))
            return false;
        strbuf_addch(sb, ' ');
    }
    strbuf_adds(sb, op);
    strbuf_addch(sb, ' ');
    return fast_operand(sb, e->rexpr, depth);
}

/* x IN (...), x LIKE y, x BETWEEN a AND b: spelled with keywords */
static const char *keyword_op(PgQuery__AExprKind kind, const char *op)
{
    static const struct { PgQuery__AExprKind kind; const char *op, *kw; } map[] = {
        {PG_QUERY__A__EXPR__KIND__AEXPR_IN, "=", "IN"},
        {PG_QUERY__A__EXPR__KIND__AEXPR_IN, "<>", "NOT IN"},
        {PG_QUERY__A__EXPR__KIND__AEXPR_LIKE, "~~", "LIKE"},
        {PG_QUERY__A__EXPR__KIND__AEXPR_LIKE, "!~~", "NOT LIKE"},
        {PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE, "~~*", "ILIKE"},
        {PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE, "!~~*", "NOT ILIKE"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i].kind == kind && strcmp(map[i].op, op) == 0)
            return map[i].kw;
    return NULL;
}

static bool fast_a_expr(strbuf *sb, const PgQuery__AExpr *e, int depth)
{
    const char *op = e->n_name == 1 ? npg_str(e->name[0]) : NULL;
    if (!op)
        return false;
    switch (e->kind) {
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP:
        return plain_op(e->name, e->n_name) && fast_a_expr_op(sb, e, op, depth);
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY:
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ALL:
        if (!plain_op(e->name, e->n_name) || !e->lexpr || !e->rexpr || loose_operand(e->lexpr) ||
            !fast_expr(sb, e->lexpr, depth + 1))
            return false;
        strbuf_addf(sb, " %s %s(", op, e->kind == PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY ? "ANY" : "ALL");
        if (!fast_expr(sb, e->rexpr, depth + 1))
            return false;
        strbuf_addch(sb, ')');
        return true;
    case PG_QUERY__A__EXPR__KIND__AEXPR_IN: {
        const char *kw = keyword_op(e->kind, op);
        if (!kw || !e->lexpr || !NODE_IS(e->rexpr, LIST) || loose_operand(e->lexpr) ||
            !fast_expr(sb, e->lexpr, depth + 1))
            return false;
        strbuf_addf(sb, " %s (", kw);
        const PgQuery__List *l = e->rexpr->list;
        if (!fast_expr_list(sb, l->items, l->n_items, depth))
            return false;
        strbuf_addch(sb, ')');
        return true;
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_LIKE:
    case PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE: {
        const char *kw = keyword_op(e->kind, op);
        if (!kw || !e->lexpr || !e->rexpr || NODE_IS(e->rexpr, FUNC_CALL) ||
            loose_operand(e->lexpr) || loose_operand(e->rexpr) || !fast_expr(sb, e->lexpr, depth + 1))
            return false;
        strbuf_addf(sb, " %s ", kw);
        return fast_expr(sb, e->rexpr, depth + 1);
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN: {
        if (!e->lexpr || !NODE_IS(e->rexpr, LIST) || e->rexpr->list->n_items != 2 ||
            (strcmp(op, "BETWEEN") != 0 && strcmp(op, "NOT BETWEEN") != 0) || loose_operand(e->lexpr) ||
            loose_operand(e->rexpr->list->items[0]) || loose_operand(e->rexpr->list->items[1]) ||
            !fast_expr(sb, e->lexpr, depth + 1))
            return false;
        strbuf_addf(sb, " %s ", op);
        if (!fast_expr(sb, e->rexpr->list->items[0], depth + 1))
            return false;
        strbuf_adds(sb, " AND ");
        return fast_expr(sb, e->rexpr->list->items[1], depth + 1);
    }
    default:
        return false;
    }
}

static bool is_and_or(const PgQuery__Node *n)
{
    return NODE_IS(n, BOOL_EXPR) && (n->bool_expr->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR ||
                                     n->bool_expr->boolop == PG_QUERY__BOOL_EXPR_TYPE__OR_EXPR);
}

static bool fast_bool_arg(strbuf *sb, const PgQuery__Node *n, int depth)
{
    bool p = is_and_or(n);
    if (p)
        strbuf_addch(sb, '(');
    if (!fast_expr(sb, n, depth + 1))
        return false;
    if (p)
        strbuf_addch(sb, ')');
    return true;
}

static bool fast_bool_expr(strbuf *sb, const PgQuery__BoolExpr *b, int depth)
{
    const char *sep;
    switch (b->boolop) {
    case PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR: sep = " AND "; break;
    case PG_QUERY__BOOL_EXPR_TYPE__OR_EXPR: sep = " OR "; break;
    case PG_QUERY__BOOL_EXPR_TYPE__NOT_EXPR:
        if (b->n_args != 1)
            return false;
        strbuf_adds(sb, "NOT ");
        return fast_bool_arg(sb, b->args[0], depth);
    default: return false;
    }
    if (b->n_args < 2)
        return false;
    for (size_t i = 0; i < b->n_args; i++) {
        if (i)
            strbuf_adds(sb, sep);
        if (!fast_bool_arg(sb, b->args[i], depth))
            return false;
    }
    return true;
}

static bool fast_null_test(strbuf *sb, const PgQuery__NullTest *t, int depth)
{
    if (!t->arg || NODE_IS(t->arg, BOOL_EXPR) || !fast_expr(sb, t->arg, depth + 1))
        return false;
    switch (t->nulltesttype) {
    case PG_QUERY__NULL_TEST_TYPE__IS_NULL: strbuf_adds(sb, " IS NULL"); return true;
    case PG_QUERY__NULL_TEST_TYPE__IS_NOT_NULL: strbuf_adds(sb, " IS NOT NULL"); return true;
    default: return false;
    }
}

static bool fast_boolean_test(strbuf *sb, const PgQuery__BooleanTest *t, int depth)
{
    static const char *const kw[] = {NULL, " IS TRUE", " IS NOT TRUE", " IS FALSE",
                                     " IS NOT FALSE", " IS UNKNOWN", " IS NOT UNKNOWN"};
    if (!t->arg || NODE_IS(t->arg, BOOL_EXPR) || t->booltesttype < 1 || t->booltesttype > 6 ||
        !fast_expr(sb, t->arg, depth + 1))
        return false;
    strbuf_adds(sb, kw[t->booltesttype]);
    return true;
}

static bool fast_expr(strbuf *sb, const PgQuery__Node *n, int depth)
{
    if (!n || depth > FAST_MAX_DEPTH)
        return false;
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_A_CONST: return fast_const(sb, n->a_const);
    case PG_QUERY__NODE__NODE_COLUMN_REF: return fast_column_ref(sb, n->column_ref);
    case PG_QUERY__NODE__NODE_PARAM_REF:
        if (n->param_ref->number <= 0)
            return false;
        strbuf_addf(sb, "$%d", n->param_ref->number);
        return true;
    case PG_QUERY__NODE__NODE_TYPE_CAST: return fast_type_cast(sb, n->type_cast, depth);
    case PG_QUERY__NODE__NODE_FUNC_CALL: return fast_func_call(sb, n->func_call, depth);
    case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION: return fast_svf(sb, n->sqlvalue_function);
    case PG_QUERY__NODE__NODE_A_EXPR: return fast_a_expr(sb, n->a_expr, depth);
    case PG_QUERY__NODE__NODE_BOOL_EXPR: return fast_bool_expr(sb, n->bool_expr, depth);
    case PG_QUERY__NODE__NODE_NULL_TEST: return fast_null_test(sb, n->null_test, depth);
    case PG_QUERY__NODE__NODE_BOOLEAN_TEST: return fast_boolean_test(sb, n->boolean_test, depth);
    case PG_QUERY__NODE__NODE_A_ARRAY_EXPR:
        strbuf_adds(sb, "ARRAY[");
        if (!fast_expr_list(sb, n->a_array_expr->elements, n->a_array_expr->n_elements, depth))
            return false;
        strbuf_addch(sb, ']');
        return true;
    default:
        return false;
    }
}

bool npg_fast_deparse(strbuf *out, const PgQuery__Node *n)
{
    if (npg_force_slow)
        return false;
    strbuf_reset(out);
    if (fast_expr(out, n, 0))
        return true;
    strbuf_reset(out);
    return false;
}

/* ---- copy for the rewriter ------------------------------------------------------ */

/* Deep copy of the messages of a tree (strings shared: the rewriter never
 * writes into them, it only replaces pointers and arrays). */
static ProtobufCMessage *copy_msg(arena *a, const ProtobufCMessage *m)
{
    if (!m)
        return NULL;
    const ProtobufCMessageDescriptor *d = m->descriptor;
    char *c = arena_alloc(a, d->sizeof_message);
    memcpy(c, m, d->sizeof_message);
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        if (f->type != PROTOBUF_C_TYPE_MESSAGE)
            continue;
        if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
            *(const uint32_t *)((const char *)m + f->quantifier_offset) != f->id)
            continue;
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t n = *(size_t *)(c + f->quantifier_offset);
            ProtobufCMessage **src = *(ProtobufCMessage ***)(c + f->offset);
            if (!n || !src)
                continue;
            ProtobufCMessage **dst = arena_alloc(a, n * sizeof *dst);
            for (size_t k = 0; k < n; k++)
                dst[k] = copy_msg(a, src[k]);
            *(ProtobufCMessage ***)(c + f->offset) = dst;
        } else {
            ProtobufCMessage **slot = (ProtobufCMessage **)(c + f->offset);
            *slot = copy_msg(a, *slot);
        }
    }
    return (ProtobufCMessage *)c;
}

PgQuery__Node *npg_copy_node(arena *a, const PgQuery__Node *n)
{
    return (PgQuery__Node *)copy_msg(a, (const ProtobufCMessage *)n);
}
