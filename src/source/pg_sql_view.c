/*
 * pg_sql_view.c — owns the view-body preparation of the PostgreSQL SQL
 * reader: before a view's SELECT is normalised, `*` and `t.*` are expanded
 * from the known columns of the FROM relations (tables, views, subqueries,
 * CTEs), and with several FROM relations unqualified column references are
 * qualified with the relation (its alias when aliased) that has the column.
 * That is the shape pg_get_viewdef prints, so normalize_pg_query() sees the
 * same tree on both sides.  Unknown relations (functions, VALUES, USING /
 * NATURAL joins for `*`) are left as written.
 *
 * The statement tree belongs to protobuf-c (freed with free_unpacked), so
 * every change is recorded and pg_sql_view_undo() puts the original
 * pointers back; new nodes live in the reader's scratch arena.
 */
#include "source/pg_sql_view.h"

#include <string.h>

enum { VIEW_MAX_DEPTH = 16 };

typedef struct relent {
    const char *ref;  /* alias, else relation name; NULL when none */
    strvec cols;      /* output columns in order */
    bool known;       /* cols is complete */
    bool merged;      /* part of a USING / NATURAL join: `*` differs */
} relent;

typedef VEC(relent) relvec;

typedef struct cte_ent {
    const char *name;
    PgQuery__CommonTableExpr *cte;
} cte_ent;

typedef struct vx {
    pgr *r;
    arena *mem;
    pgv_undo *undo;
    VEC(cte_ent) ctes;  /* CTEs in scope, innermost last */
} vx;

#define NODE_IS(n, kind) ((n) && (n)->node_case == PG_QUERY__NODE__NODE_##kind)

static bool select_output_names(vx *x, PgQuery__SelectStmt *s, int depth, strvec *out);

/* ---- undo --------------------------------------------------------------------- */

static void record(vx *x, PgQuery__Node ***list, size_t *n)
{
    pgv_change ch = {list, n, *list, *n};
    VEC_PUSH(x->mem, x->undo->changes, ch);
}

void pg_sql_view_undo(pgv_undo *u)
{
    for (size_t i = u->changes.n; i-- > 0;) {
        *u->changes.v[i].list = u->changes.v[i].old_list;
        *u->changes.v[i].n = u->changes.v[i].old_n;
    }
    u->changes.n = 0;
}

/* ---- relation columns ------------------------------------------------------------ */

static bool rel_or_view(pgr *r, const char *schema, const char *name)
{
    return catalog_table_find(r->cat, schema, name) || catalog_view_find(r->cat, schema, name);
}

static void push_name(vx *x, strvec *out, const char *s)
{
    VEC_PUSH(x->mem, *out, arena_strdup(x->mem, s));
}

/* output columns of a view already in the catalog: parse its definition */
static bool view_columns(vx *x, const cat_view *v, int depth, strvec *out)
{
    if (!v->definition || !*v->definition || depth > VIEW_MAX_DEPTH)
        return false;
    PgQueryProtobufParseResult pr = pg_query_parse_protobuf(v->definition);
    bool ok = false;
    if (!pr.error) {
        PgQuery__ParseResult *res = pg_query__parse_result__unpack(
            NULL, pr.parse_tree.len, (const uint8_t *)pr.parse_tree.data);
        if (res && res->n_stmts == 1 && NODE_IS(res->stmts[0]->stmt, SELECT_STMT)) {
            vx inner = {x->r, x->mem, x->undo, {0}};
            ok = select_output_names(&inner, res->stmts[0]->stmt->select_stmt, depth + 1, out);
        }
        if (res)
            pg_query__parse_result__free_unpacked(res, NULL);
    }
    pg_query_free_protobuf_parse_result(pr);
    for (size_t i = 0; ok && i < v->column_names.n && i < out->n; i++)
        out->v[i] = v->column_names.v[i];
    return ok;
}

static const PgQuery__CommonTableExpr *find_cte(const vx *x, const char *name)
{
    for (size_t i = x->ctes.n; i-- > 0;)
        if (strcmp(x->ctes.v[i].name, name) == 0)
            return x->ctes.v[i].cte;
    return NULL;
}

static void apply_alias_cols(const PgQuery__Alias *al, relent *e)
{
    if (!al)
        return;
    for (size_t i = 0; i < al->n_colnames && i < e->cols.n; i++) {
        const char *s = pgu_str(al->colnames[i]);
        if (s)
            e->cols.v[i] = s;
    }
}

static const char *alias_name(const PgQuery__Alias *al)
{
    return al && al->aliasname && *al->aliasname ? al->aliasname : NULL;
}

static void rangevar_entry(vx *x, const PgQuery__RangeVar *rv, int depth, relent *e)
{
    const char *schema = pgu_s(rv->schemaname);
    e->ref = alias_name(rv->alias) ? rv->alias->aliasname : rv->relname;
    if (!rv->relname)
        return;
    const PgQuery__CommonTableExpr *cte = schema ? NULL : find_cte(x, rv->relname);
    if (cte) {
        if (NODE_IS(cte->ctequery, SELECT_STMT) &&
            select_output_names(x, cte->ctequery->select_stmt, depth + 1, &e->cols)) {
            for (size_t i = 0; i < cte->n_aliascolnames && i < e->cols.n; i++)
                if (pgu_str(cte->aliascolnames[i]))
                    e->cols.v[i] = pgu_str(cte->aliascolnames[i]);
            e->known = true;
        }
    } else {
        const char *s = pgu_lookup_schema(x->r, schema, rv->relname, rel_or_view);
        const cat_table *t = s ? catalog_table_find(x->r->cat, s, rv->relname) : NULL;
        const cat_view *v = s && !t ? catalog_view_find(x->r->cat, s, rv->relname) : NULL;
        if (t) {
            for (size_t i = 0; i < t->columns.n; i++)
                push_name(x, &e->cols, t->columns.v[i]->name);
            e->known = true;
        } else if (v) {
            e->known = view_columns(x, v, depth, &e->cols);
        }
    }
    if (e->known)
        apply_alias_cols(rv->alias, e);
}

static void from_item(vx *x, PgQuery__Node *n, int depth, relvec *out)
{
    relent e = {NULL, {0}, false, false};
    if (NODE_IS(n, RANGE_VAR)) {
        rangevar_entry(x, n->range_var, depth, &e);
    } else if (NODE_IS(n, RANGE_SUBSELECT)) {
        const PgQuery__RangeSubselect *rs = n->range_subselect;
        e.ref = alias_name(rs->alias);
        if (NODE_IS(rs->subquery, SELECT_STMT))
            e.known = select_output_names(x, rs->subquery->select_stmt, depth + 1, &e.cols);
        if (e.known)
            apply_alias_cols(rs->alias, &e);
    } else if (NODE_IS(n, JOIN_EXPR) && !alias_name(n->join_expr->alias)) {
        const PgQuery__JoinExpr *j = n->join_expr;
        size_t first = out->n;
        from_item(x, j->larg, depth, out);
        from_item(x, j->rarg, depth, out);
        if (j->n_using_clause || j->is_natural)
            for (size_t i = first; i < out->n; i++)
                out->v[i].merged = true;
        return;
    } else if (NODE_IS(n, JOIN_EXPR)) {
        e.ref = alias_name(n->join_expr->alias);
    } else if (NODE_IS(n, RANGE_FUNCTION)) {
        e.ref = alias_name(n->range_function->alias);
    }
    VEC_PUSH(x->mem, *out, e);
}

static void from_entries(vx *x, PgQuery__SelectStmt *s, int depth, relvec *out)
{
    for (size_t i = 0; i < s->n_from_clause; i++)
        from_item(x, s->from_clause[i], depth, out);
}

/* ---- stars --------------------------------------------------------------------- */

/* `*` (qual NULL) or `qual.*`: the entries it covers, NULL when unknown */
static bool star_target(const PgQuery__Node *val, const char **qual)
{
    if (!NODE_IS(val, COLUMN_REF))
        return false;
    const PgQuery__ColumnRef *cr = val->column_ref;
    if (!cr->n_fields || !NODE_IS(cr->fields[cr->n_fields - 1], A_STAR))
        return false;
    *qual = cr->n_fields == 2 ? pgu_str(cr->fields[0]) : NULL;
    return cr->n_fields <= 2;
}

static bool star_ok(const relvec *rels, const char *qual)
{
    bool any = false;
    for (size_t i = 0; i < rels->n; i++) {
        const relent *e = &rels->v[i];
        if (qual && !(e->ref && strcmp(e->ref, qual) == 0))
            continue;
        if (!e->known || (!qual && e->merged))
            return false;
        any = true;
    }
    return any;
}

static void push_cols(vx *x, strvec *out, const relvec *rels, const char *qual)
{
    for (size_t i = 0; i < rels->n; i++)
        if (!qual || (rels->v[i].ref && strcmp(rels->v[i].ref, qual) == 0))
            for (size_t k = 0; k < rels->v[i].cols.n; k++)
                push_name(x, out, rels->v[i].cols.v[k]);
}

static bool select_output_names(vx *x, PgQuery__SelectStmt *s, int depth, strvec *out)
{
    if (depth > VIEW_MAX_DEPTH)
        return false;
    if (s->op != PG_QUERY__SET_OPERATION__SETOP_NONE &&
        s->op != PG_QUERY__SET_OPERATION__SET_OPERATION_UNDEFINED)
        return s->larg && select_output_names(x, s->larg, depth + 1, out);
    if (s->n_values_lists)
        return false;
    size_t ncte = x->ctes.n;
    if (s->with_clause)
        for (size_t i = 0; i < s->with_clause->n_ctes; i++)
            if (NODE_IS(s->with_clause->ctes[i], COMMON_TABLE_EXPR)) {
                cte_ent c = {s->with_clause->ctes[i]->common_table_expr->ctename,
                             s->with_clause->ctes[i]->common_table_expr};
                if (c.name)
                    VEC_PUSH(x->mem, x->ctes, c);
            }
    relvec rels = {0};
    from_entries(x, s, depth, &rels);
    bool ok = true;
    for (size_t i = 0; ok && i < s->n_target_list; i++) {
        const PgQuery__Node *t = s->target_list[i];
        if (!NODE_IS(t, RES_TARGET)) {
            ok = false;
            break;
        }
        const PgQuery__ResTarget *rt = t->res_target;
        const char *qual;
        if (star_target(rt->val, &qual)) {
            ok = star_ok(&rels, qual);
            if (ok)
                push_cols(x, out, &rels, qual);
        } else if (pgu_s(rt->name)) {
            push_name(x, out, rt->name);
        } else {
            const char *f = rt->val ? pgu_figure_colname(rt->val) : "expr";
            push_name(x, out, strcmp(f, "expr") ? f : "?column?");
        }
    }
    x->ctes.n = ncte;
    return ok;
}

/* ---- rewriting --------------------------------------------------------------------- */

static PgQuery__Node *string_node(arena *a, const char *s)
{
    PgQuery__String *str = ARENA_NEW(a, PgQuery__String);
    pg_query__string__init(str);
    str->sval = (char *)s;
    PgQuery__Node *n = ARENA_NEW(a, PgQuery__Node);
    pg_query__node__init(n);
    n->node_case = PG_QUERY__NODE__NODE_STRING;
    n->string = str;
    return n;
}

static PgQuery__Node *qualified_target(arena *a, const char *ref, const char *col)
{
    PgQuery__ColumnRef *cr = ARENA_NEW(a, PgQuery__ColumnRef);
    pg_query__column_ref__init(cr);
    cr->n_fields = ref ? 2 : 1;
    cr->fields = arena_alloc(a, 2 * sizeof *cr->fields);
    cr->fields[0] = string_node(a, ref ? ref : col);
    if (ref)
        cr->fields[1] = string_node(a, col);
    cr->location = -1;
    PgQuery__Node *val = ARENA_NEW(a, PgQuery__Node);
    pg_query__node__init(val);
    val->node_case = PG_QUERY__NODE__NODE_COLUMN_REF;
    val->column_ref = cr;
    PgQuery__ResTarget *rt = ARENA_NEW(a, PgQuery__ResTarget);
    pg_query__res_target__init(rt);
    rt->val = val;
    rt->location = -1;
    PgQuery__Node *n = ARENA_NEW(a, PgQuery__Node);
    pg_query__node__init(n);
    n->node_case = PG_QUERY__NODE__NODE_RES_TARGET;
    n->res_target = rt;
    return n;
}

static void expand_stars(vx *x, PgQuery__SelectStmt *s, const relvec *rels)
{
    bool any = false;
    for (size_t i = 0; i < s->n_target_list; i++) {
        const char *qual;
        if (NODE_IS(s->target_list[i], RES_TARGET) &&
            star_target(s->target_list[i]->res_target->val, &qual) && star_ok(rels, qual))
            any = true;
    }
    if (!any)
        return;
    VEC(PgQuery__Node *) nt = {0};
    for (size_t i = 0; i < s->n_target_list; i++) {
        PgQuery__Node *t = s->target_list[i];
        const char *qual;
        if (!NODE_IS(t, RES_TARGET) || !star_target(t->res_target->val, &qual) ||
            !star_ok(rels, qual)) {
            VEC_PUSH(x->mem, nt, t);
            continue;
        }
        for (size_t k = 0; k < rels->n; k++) {
            const relent *e = &rels->v[k];
            if (qual && !(e->ref && strcmp(e->ref, qual) == 0))
                continue;
            for (size_t c = 0; c < e->cols.n; c++)
                VEC_PUSH(x->mem, nt, qualified_target(x->mem, e->ref, e->cols.v[c]));
        }
    }
    record(x, &s->target_list, &s->n_target_list);
    s->target_list = nt.v;
    s->n_target_list = nt.n;
}

typedef struct qctx {
    vx *x;
    const relvec *rels;
    const strvec *outnames;  /* ORDER BY: output names win over columns */
    int depth;
} qctx;

static void expand_select(vx *x, PgQuery__SelectStmt *s, int depth);

static void qualify_ref(qctx *q, PgQuery__ColumnRef *cr)
{
    const char *col = cr->n_fields == 1 ? pgu_str(cr->fields[0]) : NULL;
    if (!col || (q->outnames && pgu_strvec_has(q->outnames, col)))
        return;
    const relent *hit = NULL;
    for (size_t i = 0; i < q->rels->n; i++) {
        const relent *e = &q->rels->v[i];
        if (!e->known || !pgu_strvec_has(&e->cols, col))
            continue;
        if (hit || !e->ref)
            return;  /* ambiguous (USING column) or unnamed */
        hit = e;
    }
    if (!hit)
        return;
    record(q->x, &cr->fields, &cr->n_fields);
    PgQuery__Node **f = arena_alloc(q->x->mem, 2 * sizeof *f);
    f[0] = string_node(q->x->mem, hit->ref);
    f[1] = cr->fields[0];
    cr->fields = f;
    cr->n_fields = 2;
}

static void qualify_msg(qctx *q, ProtobufCMessage *m);

static void qualify_child(qctx *q, ProtobufCMessage *m)
{
    if (!m)
        return;
    if (m->descriptor == &pg_query__select_stmt__descriptor) {
        expand_select(q->x, (PgQuery__SelectStmt *)m, q->depth + 1);
        return;
    }
    if (m->descriptor == &pg_query__column_ref__descriptor) {
        qualify_ref(q, (PgQuery__ColumnRef *)m);
        return;
    }
    qualify_msg(q, m);
}

static void qualify_field(qctx *q, ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
    char *base = (char *)m;
    if (f->type != PROTOBUF_C_TYPE_MESSAGE)
        return;
    if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
        *(uint32_t *)(base + f->quantifier_offset) != f->id)
        return;
    if (f->label == PROTOBUF_C_LABEL_REPEATED) {
        size_t n = *(size_t *)(base + f->quantifier_offset);
        ProtobufCMessage **arr = *(ProtobufCMessage ***)(base + f->offset);
        for (size_t i = 0; i < n; i++)
            qualify_child(q, arr[i]);
    } else {
        qualify_child(q, *(ProtobufCMessage **)(base + f->offset));
    }
}

static void qualify_msg(qctx *q, ProtobufCMessage *m)
{
    if (q->depth > VIEW_MAX_DEPTH * 8)
        return;
    q->depth++;
    for (unsigned i = 0; i < m->descriptor->n_fields; i++)
        qualify_field(q, m, &m->descriptor->fields[i]);
    q->depth--;
}

static void expand_select(vx *x, PgQuery__SelectStmt *s, int depth)
{
    if (depth > VIEW_MAX_DEPTH * 8)
        return;
    size_t ncte = x->ctes.n;
    if (s->with_clause)
        for (size_t i = 0; i < s->with_clause->n_ctes; i++) {
            PgQuery__Node *c = s->with_clause->ctes[i];
            if (!NODE_IS(c, COMMON_TABLE_EXPR))
                continue;
            if (NODE_IS(c->common_table_expr->ctequery, SELECT_STMT))
                expand_select(x, c->common_table_expr->ctequery->select_stmt, depth + 1);
            if (c->common_table_expr->ctename) {
                cte_ent ce = {c->common_table_expr->ctename, c->common_table_expr};
                VEC_PUSH(x->mem, x->ctes, ce);
            }
        }
    if (s->op != PG_QUERY__SET_OPERATION__SETOP_NONE &&
        s->op != PG_QUERY__SET_OPERATION__SET_OPERATION_UNDEFINED) {
        if (s->larg)
            expand_select(x, s->larg, depth + 1);
        if (s->rarg)
            expand_select(x, s->rarg, depth + 1);
        x->ctes.n = ncte;
        return;
    }
    relvec rels = {0};
    from_entries(x, s, depth, &rels);
    expand_stars(x, s, &rels);
    strvec outnames = {0};
    for (size_t i = 0; i < s->n_target_list; i++) {
        const PgQuery__Node *t = s->target_list[i];
        if (NODE_IS(t, RES_TARGET) && pgu_s(t->res_target->name))
            VEC_PUSH(x->mem, outnames, t->res_target->name);
    }
    relvec none = {0};
    qctx q = {x, rels.n > 1 ? &rels : &none, NULL, depth};
    const ProtobufCMessageDescriptor *d = s->base.descriptor;
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        if (!strcmp(f->name, "with_clause") || !strcmp(f->name, "larg") || !strcmp(f->name, "rarg"))
            continue;
        q.outnames = !strcmp(f->name, "sort_clause") ? &outnames : NULL;
        qualify_field(&q, &s->base, f);
    }
    x->ctes.n = ncte;
}

void pg_sql_view_expand(pgr *r, PgQuery__Node *query, pgv_undo *undo)
{
    if (!NODE_IS(query, SELECT_STMT))
        return;
    vx x = {r, &r->tmp, undo, {0}};
    expand_select(&x, query->select_stmt, 0);
}
