/*
 * normalize_expr.c — rewrites libpg_query trees so that an expression or
 * view body as a user writes it and as the server prints it back
 * (pg_get_expr, pg_get_constraintdef, pg_get_viewdef, ...) become the same
 * tree.  Every rule is applied to both spellings, so it only has to be
 * deterministic, not semantically complete:
 *  - casts of literals are dropped ('x'::text, (0)::numeric, NULL::text,
 *    ARRAY['a'::text]::text[]); number-looking string literals become
 *    numbers ('-1'::integer == -1);
 *  - casts of column references without typmods are dropped (col::text,
 *    (col)::numeric): the server adds and removes them from column types we
 *    do not know; length coercions (col::varchar(10)) stay;
 *  - IN (...) -> = ANY (ARRAY[...]), NOT IN -> <> ALL, BETWEEN -> >= AND <=,
 *    LIKE/ILIKE/SIMILAR TO -> their operators (~~, ~~*, ~), nested AND/OR
 *    flattened;
 *  - pg_catalog./public. prefixes of functions, types and relations dropped;
 *  - column qualifiers dropped when they name the one relation of the
 *    SELECT (scalar expressions: any qualifier but NEW/OLD);
 *  - output names equal to the name the server would infer dropped
 *    (count(*) AS count), names of non-first UNION arms dropped;
 *  - ORDER BY/GROUP BY positions and output-name references replaced by the
 *    target expression.
 * Nodes are walked generically through the protobuf-c descriptors, so node
 * kinds without a rule are still visited.
 */
#include "catalog/normalize_pg.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct scope {
    const char *rel;     /* qualifier that may be stripped, NULL for none */
    const char *schema;  /* schema of rel when written schema.rel.col */
} scope;

typedef struct nctx {
    arena *a;
    const scope *sc;     /* innermost SELECT, NULL outside any */
    bool scalar;         /* top level of a scalar expression */
} nctx;

static void walk_slot(nctx *c, ProtobufCMessage **slot);

#define NODE_IS(n, kind) ((n) && (n)->node_case == PG_QUERY__NODE__NODE_##kind)

/* ---- generic traversal ------------------------------------------------- */

static void walk_fields(nctx *c, ProtobufCMessage *m)
{
    const ProtobufCMessageDescriptor *d = m->descriptor;
    char *base = (char *)m;
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        if (f->type != PROTOBUF_C_TYPE_MESSAGE)
            continue;
        if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
            *(uint32_t *)(base + f->quantifier_offset) != f->id)
            continue;
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t n = *(size_t *)(base + f->quantifier_offset);
            ProtobufCMessage **arr = *(ProtobufCMessage ***)(base + f->offset);
            for (size_t k = 0; arr && k < n; k++)
                walk_slot(c, &arr[k]);
        } else {
            walk_slot(c, (ProtobufCMessage **)(base + f->offset));
        }
    }
}

/* ---- small constructors ----------------------------------------------- */

static PgQuery__Node *mk_string(arena *a, const char *s)
{
    PgQuery__String *str = ARENA_NEW(a, PgQuery__String);
    pg_query__string__init(str);
    str->sval = arena_strdup(a, s);
    PgQuery__Node *n = npg_new_node(a);
    n->node_case = PG_QUERY__NODE__NODE_STRING;
    n->string = str;
    return n;
}

static PgQuery__Node *mk_op(arena *a, const char *op, PgQuery__Node *l, PgQuery__Node *r)
{
    PgQuery__AExpr *e = ARENA_NEW(a, PgQuery__AExpr);
    pg_query__a__expr__init(e);
    e->kind = PG_QUERY__A__EXPR__KIND__AEXPR_OP;
    e->n_name = 1;
    e->name = ARENA_NEW(a, PgQuery__Node *);
    e->name[0] = mk_string(a, op);
    e->lexpr = l;
    e->rexpr = r;
    e->location = -1;
    PgQuery__Node *n = npg_new_node(a);
    n->node_case = PG_QUERY__NODE__NODE_A_EXPR;
    n->a_expr = e;
    return n;
}

static PgQuery__Node *mk_bool(arena *a, PgQuery__BoolExprType op, PgQuery__Node *x, PgQuery__Node *y)
{
    PgQuery__BoolExpr *b = ARENA_NEW(a, PgQuery__BoolExpr);
    pg_query__bool_expr__init(b);
    b->boolop = op;
    b->n_args = 2;
    b->args = arena_alloc(a, 2 * sizeof(PgQuery__Node *));
    b->args[0] = x;
    b->args[1] = y;
    b->location = -1;
    PgQuery__Node *n = npg_new_node(a);
    n->node_case = PG_QUERY__NODE__NODE_BOOL_EXPR;
    n->bool_expr = b;
    return n;
}

/* Drop a leading "pg_catalog" / "public" from a qualified name list. */
static void strip_std_schema(PgQuery__Node ***names, size_t *n)
{
    if (*n < 2)
        return;
    const char *s = npg_str((*names)[0]);
    if (s && (strcmp(s, "pg_catalog") == 0 || strcmp(s, "public") == 0)) {
        (*names)++;
        (*n)--;
    }
}

/* ---- literals ------------------------------------------------------------ */

/* "-12", "3.50" (no leading zeros, no exponent) -> canonical number text. */
static bool number_like(const char *s)
{
    const char *p = s;
    if (*p == '-')
        p++;
    if (!isdigit((unsigned char)*p) || (p[0] == '0' && isdigit((unsigned char)p[1])))
        return false;
    while (isdigit((unsigned char)*p))
        p++;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return false;
        while (isdigit((unsigned char)*p))
            p++;
    }
    return *p == '\0';
}

static void const_set_number(arena *a, PgQuery__AConst *k, const char *s)
{
    errno = 0;
    char *end = NULL;
    long v = strchr(s, '.') ? 0 : strtol(s, &end, 10);
    if (!strchr(s, '.') && errno == 0 && end && *end == '\0' && v >= INT_MIN && v <= INT_MAX) {
        PgQuery__Integer *i = ARENA_NEW(a, PgQuery__Integer);
        pg_query__integer__init(i);
        i->ival = (int32_t)v;
        k->val_case = PG_QUERY__A__CONST__VAL_IVAL;
        k->ival = i;
    } else {
        PgQuery__Float *f = ARENA_NEW(a, PgQuery__Float);
        pg_query__float__init(f);
        f->fval = arena_strdup(a, s);
        k->val_case = PG_QUERY__A__CONST__VAL_FVAL;
        k->fval = f;
    }
}

static void norm_const(arena *a, PgQuery__AConst *k)
{
    if (k->isnull)
        return;
    if (k->val_case == PG_QUERY__A__CONST__VAL_SVAL && k->sval && k->sval->sval &&
        number_like(k->sval->sval))
        const_set_number(a, k, k->sval->sval);
    else if (k->val_case == PG_QUERY__A__CONST__VAL_FVAL && k->fval && k->fval->fval &&
             number_like(k->fval->fval))
        const_set_number(a, k, k->fval->fval);
}

static bool is_const_array(const PgQuery__Node *n)
{
    if (!NODE_IS(n, A_ARRAY_EXPR))
        return false;
    for (size_t i = 0; i < n->a_array_expr->n_elements; i++)
        if (!NODE_IS(n->a_array_expr->elements[i], A_CONST))
            return false;
    return true;
}

static const char *type_last(const PgQuery__TypeName *t)
{
    return t && t->n_names ? npg_str(t->names[t->n_names - 1]) : NULL;
}

static PgQuery__Node *norm_type_cast(PgQuery__Node *n)
{
    PgQuery__TypeCast *tc = n->type_cast;
    PgQuery__Node *arg = tc->arg;
    if (NODE_IS(arg, A_CONST) || is_const_array(arg))
        return arg;
    /* casts of column references are dropped on both sides: the server adds
     * implicit ones from the column type ((int_col)::numeric, (vc)::text) and
     * drops no-op ones (text_col::text); we do not know column types here.
     * Length coercions (col::varchar(10)) are never implicit: kept. */
    if (NODE_IS(arg, COLUMN_REF) && tc->type_name && !tc->type_name->n_typmods)
        return arg;
    /* the server wraps varchar/char columns compared with text as
     * ((col)::character varying(n))::text — keep the inner cast only */
    const char *outer = type_last(tc->type_name);
    if (outer && strcmp(outer, "text") == 0 && NODE_IS(arg, TYPE_CAST)) {
        const char *inner = type_last(arg->type_cast->type_name);
        if (inner && (strcmp(inner, "varchar") == 0 || strcmp(inner, "bpchar") == 0))
            return arg;
    }
    return n;
}

/* ---- operators ------------------------------------------------------------ */

static PgQuery__Node *norm_a_expr(nctx *c, PgQuery__Node *n)
{
    PgQuery__AExpr *e = n->a_expr;
    strip_std_schema(&e->name, &e->n_name);
    const char *op = e->n_name ? npg_str(e->name[0]) : NULL;
    switch (e->kind) {
    case PG_QUERY__A__EXPR__KIND__AEXPR_IN:
        if (NODE_IS(e->rexpr, LIST) && e->rexpr->list->n_items == 1 && op) {
            /* x IN ('a') is stored as x = 'a' */
            e->kind = PG_QUERY__A__EXPR__KIND__AEXPR_OP;
            e->rexpr = e->rexpr->list->items[0];
        } else if (NODE_IS(e->rexpr, LIST) && op) {
            PgQuery__AArrayExpr *arr = ARENA_NEW(c->a, PgQuery__AArrayExpr);
            pg_query__a__array_expr__init(arr);
            arr->n_elements = e->rexpr->list->n_items;
            arr->elements = e->rexpr->list->items;
            arr->location = -1;
            PgQuery__Node *an = npg_new_node(c->a);
            an->node_case = PG_QUERY__NODE__NODE_A_ARRAY_EXPR;
            an->a_array_expr = arr;
            e->rexpr = an;
            e->kind = strcmp(op, "=") == 0 ? PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY
                                           : PG_QUERY__A__EXPR__KIND__AEXPR_OP_ALL;
        }
        return n;
    case PG_QUERY__A__EXPR__KIND__AEXPR_LIKE:
    case PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE:
    case PG_QUERY__A__EXPR__KIND__AEXPR_SIMILAR:
        e->kind = PG_QUERY__A__EXPR__KIND__AEXPR_OP;
        return n;
    case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN:
        if (NODE_IS(e->rexpr, LIST) && e->rexpr->list->n_items == 2) {
            PgQuery__Node *lo = e->rexpr->list->items[0], *hi = e->rexpr->list->items[1];
            if (e->kind == PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN)
                return mk_bool(c->a, PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR,
                               mk_op(c->a, ">=", e->lexpr, lo), mk_op(c->a, "<=", e->lexpr, hi));
            return mk_bool(c->a, PG_QUERY__BOOL_EXPR_TYPE__OR_EXPR,
                           mk_op(c->a, "<", e->lexpr, lo), mk_op(c->a, ">", e->lexpr, hi));
        }
        return n;
    default:
        return n;
    }
}

/* (a AND b) AND c -> AND(a, b, c); same for OR. */
static void flatten_bool(arena *a, PgQuery__BoolExpr *b)
{
    if (b->boolop == PG_QUERY__BOOL_EXPR_TYPE__NOT_EXPR)
        return;
    size_t total = 0;
    for (size_t i = 0; i < b->n_args; i++) {
        PgQuery__Node *x = b->args[i];
        total += NODE_IS(x, BOOL_EXPR) && x->bool_expr->boolop == b->boolop ? x->bool_expr->n_args : 1;
    }
    if (total == b->n_args)
        return;
    PgQuery__Node **args = arena_alloc(a, total * sizeof *args);
    size_t k = 0;
    for (size_t i = 0; i < b->n_args; i++) {
        PgQuery__Node *x = b->args[i];
        if (NODE_IS(x, BOOL_EXPR) && x->bool_expr->boolop == b->boolop)
            for (size_t j = 0; j < x->bool_expr->n_args; j++)
                args[k++] = x->bool_expr->args[j];
        else
            args[k++] = x;
    }
    b->args = args;
    b->n_args = total;
}

/* ---- column references -------------------------------------------------- */

static bool is_new_old(const char *q)
{
    return q && (strcmp(q, "new") == 0 || strcmp(q, "old") == 0);
}

static void norm_column_ref(nctx *c, PgQuery__ColumnRef *cr)
{
    size_t n = cr->n_fields;
    if (n < 2 || !npg_str(cr->fields[n - 1]))
        return;                       /* bare column or t.* */
    const char *q = npg_str(cr->fields[n - 2]);
    bool strip = false;
    if (!c->sc && c->scalar)
        strip = !(n == 2 && is_new_old(q));
    else if (c->sc && c->sc->rel && q && strcmp(q, c->sc->rel) == 0)
        strip = n == 2 || (n == 3 && c->sc->schema && npg_str(cr->fields[0]) &&
                           strcmp(npg_str(cr->fields[0]), c->sc->schema) == 0);
    if (strip) {
        cr->fields += n - 1;
        cr->n_fields = 1;
    }
}

/* ---- per-node rules -------------------------------------------------------- */

static PgQuery__Node *rewrite_node(nctx *c, PgQuery__Node *n)
{
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_A_CONST:
        norm_const(c->a, n->a_const);
        return n;
    case PG_QUERY__NODE__NODE_TYPE_CAST:
        return norm_type_cast(n);
    case PG_QUERY__NODE__NODE_A_EXPR:
        return norm_a_expr(c, n);
    case PG_QUERY__NODE__NODE_BOOL_EXPR:
        flatten_bool(c->a, n->bool_expr);
        return n;
    case PG_QUERY__NODE__NODE_COLUMN_REF:
        norm_column_ref(c, n->column_ref);
        return n;
    case PG_QUERY__NODE__NODE_FUNC_CALL:
        strip_std_schema(&n->func_call->funcname, &n->func_call->n_funcname);
        return n;
    default:
        return n;
    }
}

/* ---- SELECT ------------------------------------------------------------------ */

const char *npg_figure_colname(const PgQuery__Node *n);
void npg_norm_select_tail(arena *a, PgQuery__SelectStmt *s);

static void single_relation(const PgQuery__SelectStmt *s, scope *sc)
{
    sc->rel = sc->schema = NULL;
    if (s->n_from_clause != 1 || !s->from_clause[0])
        return;
    const PgQuery__Node *f = s->from_clause[0];
    const PgQuery__Alias *al = NULL;
    if (NODE_IS(f, RANGE_VAR)) {
        al = f->range_var->alias;
        if (!al || !al->aliasname || !al->aliasname[0]) {
            sc->rel = f->range_var->relname;
            sc->schema = f->range_var->schemaname;
            return;
        }
    } else if (NODE_IS(f, RANGE_SUBSELECT)) {
        al = f->range_subselect->alias;
    } else if (NODE_IS(f, RANGE_FUNCTION)) {
        al = f->range_function->alias;
    }
    if (al && al->aliasname && al->aliasname[0])
        sc->rel = al->aliasname;
}

static bool is_setop(const PgQuery__SelectStmt *s)
{
    return s->op != PG_QUERY__SET_OPERATION__SETOP_NONE &&
           s->op != PG_QUERY__SET_OPERATION__SET_OPERATION_UNDEFINED;
}

static void norm_select(nctx *c, PgQuery__SelectStmt *s)
{
    scope sc = {NULL, NULL};
    if (!is_setop(s))
        single_relation(s, &sc);
    nctx inner = {c->a, &sc, false};
    walk_fields(&inner, &s->base);
    npg_norm_select_tail(c->a, s);
}

static bool cast_to(const PgQuery__Node *n, const char *type)
{
    const char *t = NODE_IS(n, TYPE_CAST) ? type_last(n->type_cast->type_name) : NULL;
    return t && strcmp(t, type) == 0;
}

/* The server's spelling of `vc IN ('a', 'b')` for a varchar column:
 *   (vc)::text = ANY ((ARRAY['a'::character varying, ...])::text[])
 * The varchar-typed elements prove the column is varchar, so the cast of
 * the column is the server's, not the user's: drop it.  (Runs before the
 * children are rewritten, while the element casts are still there.) */
static void pre_varchar_any(PgQuery__Node *n)
{
    if (!NODE_IS(n, A_EXPR))
        return;
    PgQuery__AExpr *e = n->a_expr;
    if ((e->kind != PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY &&
         e->kind != PG_QUERY__A__EXPR__KIND__AEXPR_OP_ALL) ||
        !cast_to(e->lexpr, "text") || !NODE_IS(e->lexpr->type_cast->arg, COLUMN_REF) ||
        !cast_to(e->rexpr, "text") || !NODE_IS(e->rexpr->type_cast->arg, A_ARRAY_EXPR))
        return;
    const PgQuery__AArrayExpr *arr = e->rexpr->type_cast->arg->a_array_expr;
    if (!arr->n_elements)
        return;
    for (size_t i = 0; i < arr->n_elements; i++)
        if (!cast_to(arr->elements[i], "varchar"))
            return;
    e->lexpr = e->lexpr->type_cast->arg;
}

static void walk_slot(nctx *c, ProtobufCMessage **slot)
{
    ProtobufCMessage *m = *slot;
    if (!m)
        return;
    const ProtobufCMessageDescriptor *d = m->descriptor;
    if (d == &pg_query__select_stmt__descriptor) {
        norm_select(c, (PgQuery__SelectStmt *)m);
        return;
    }
    if (d == &pg_query__node__descriptor)
        pre_varchar_any((PgQuery__Node *)m);
    walk_fields(c, m);
    if (d == &pg_query__node__descriptor) {
        *slot = (ProtobufCMessage *)rewrite_node(c, (PgQuery__Node *)m);
    } else if (d == &pg_query__type_name__descriptor) {
        /* pg_catalog.int4 deparses as "integer"; only public. is noise */
        PgQuery__TypeName *t = (PgQuery__TypeName *)m;
        if (t->n_names == 2 && npg_str(t->names[0]) && strcmp(npg_str(t->names[0]), "public") == 0) {
            t->names++;
            t->n_names--;
        }
    } else if (d == &pg_query__range_var__descriptor) {
        PgQuery__RangeVar *rv = (PgQuery__RangeVar *)m;
        if (rv->schemaname && strcmp(rv->schemaname, "public") == 0)
            rv->schemaname = "";
    }
}

void npg_rewrite_scalar(arena *scratch, PgQuery__Node **slot)
{
    nctx c = {scratch, NULL, true};
    walk_slot(&c, (ProtobufCMessage **)slot);
}

void npg_rewrite_stmt(arena *scratch, PgQuery__Node **slot)
{
    nctx c = {scratch, NULL, false};
    walk_slot(&c, (ProtobufCMessage **)slot);
}
