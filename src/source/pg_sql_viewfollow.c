/*
 * pg_sql_viewfollow.c — owns what the server gets from OIDs for view bodies:
 * when a table/view a view reads is renamed or moved (ALTER ... RENAME TO,
 * SET SCHEMA) or one of its columns is renamed, every view / materialized
 * view reading it is re-parsed, its RangeVars and ColumnRefs that resolve
 * to the renamed object are respelled (an output column keeps its old name
 * with an alias, as pg_get_viewdef prints it), and the definition and
 * normalised definition are re-derived like for a new view.  depends_on is
 * kept up to date by the caller (pg_sql_misc.c).
 *
 * The re-parsed tree belongs to protobuf-c: every string pointer changed is
 * recorded and put back before the tree is freed; new strings live in r->tmp.
 */
#include "source/pg_sql_view.h"

#include <string.h>

enum { FOLLOW_MAX_DEPTH = 2000 };

typedef struct str_change {
    char **field;
    char *old;
} str_change;

typedef struct fent {
    const char *ref;   /* alias, else relation name */
    bool target;       /* the renamed relation */
    bool has_col;      /* has the renamed column (column mode) */
} fent;

typedef VEC(fent) fentvec;

typedef struct fx {
    pgr *r;
    bool column_mode;
    const char *os, *on, *ns, *nn;   /* relation: old / new schema and name */
    const char *oc, *nc;             /* column mode: old / new column */
    bool view_depends;               /* unqualified names of the view resolve to os.on */
    VEC(str_change) changes;
    VEC(fentvec *) scopes;
    bool changed;
} fx;

#define NODE_IS(n, kind) ((n) && (n)->node_case == PG_QUERY__NODE__NODE_##kind)

static void set_str(fx *x, char **field, const char *s)
{
    str_change c = {field, *field};
    VEC_PUSH(&x->r->tmp, x->changes, c);
    *field = arena_strdup(&x->r->tmp, s);
    x->changed = true;
}

static void undo_all(fx *x)
{
    for (size_t i = x->changes.n; i-- > 0;)
        *x->changes.v[i].field = x->changes.v[i].old;
    x->changes.n = 0;
}

/* ---- relation matching ---------------------------------------------------------- */

static bool rv_is_target(const fx *x, const PgQuery__RangeVar *rv)
{
    if (!rv->relname || strcmp(rv->relname, x->on))
        return false;
    const char *s = pgu_s(rv->schemaname);
    return s ? !strcmp(s, x->os) : x->view_depends;
}

static bool table_has_col(fx *x, const PgQuery__RangeVar *rv, const char *col)
{
    const char *schema = pgu_s(rv->schemaname);
    const cat_table *t = rv->relname ? pgu_find_table(x->r, schema, rv->relname) : NULL;
    return t && catalog_column_find((cat_table *)t, col) != NULL;
}

static void from_entries(fx *x, PgQuery__Node *n, fentvec *out)
{
    if (NODE_IS(n, RANGE_VAR)) {
        const PgQuery__RangeVar *rv = n->range_var;
        fent e = {rv->alias && pgu_s(rv->alias->aliasname) ? rv->alias->aliasname : rv->relname,
                  rv_is_target(x, rv), false};
        if (x->column_mode)
            e.has_col = e.target || table_has_col(x, rv, x->oc);
        VEC_PUSH(&x->r->tmp, *out, e);
    } else if (NODE_IS(n, JOIN_EXPR)) {
        from_entries(x, n->join_expr->larg, out);
        from_entries(x, n->join_expr->rarg, out);
    } else if (NODE_IS(n, RANGE_SUBSELECT) && n->range_subselect->alias) {
        fent e = {n->range_subselect->alias->aliasname, false, false};
        VEC_PUSH(&x->r->tmp, *out, e);
    }
}

/* ---- column references --------------------------------------------------------------- */

/* innermost FROM entry named ref (ref NULL: having the column) */
static const fent *resolve(const fx *x, const char *ref)
{
    for (size_t s = x->scopes.n; s-- > 0;) {
        const fentvec *v = x->scopes.v[s];
        for (size_t i = 0; i < v->n; i++) {
            const fent *e = &v->v[i];
            if (ref ? e->ref && !strcmp(e->ref, ref) : e->has_col)
                return e;
        }
    }
    return NULL;
}

static char **field_str(PgQuery__ColumnRef *cr, size_t i)
{
    return NODE_IS(cr->fields[i], STRING) ? &cr->fields[i]->string->sval : NULL;
}

static void column_ref(fx *x, PgQuery__ColumnRef *cr)
{
    size_t n = cr->n_fields;
    if (!n)
        return;
    char **last = field_str(cr, n - 1);
    if (!x->column_mode) {  /* qualifiers naming the relation itself */
        char **rel = n >= 2 ? field_str(cr, n - 2) : NULL;
        char **sch = n >= 3 ? field_str(cr, n - 3) : NULL;
        if (!rel || strcmp(*rel, x->on))
            return;
        const fent *e = resolve(x, x->on);
        if (sch ? strcmp(*sch, x->os) != 0 : !(e && e->target))
            return;
        if (strcmp(x->on, x->nn))
            set_str(x, rel, x->nn);
        if (sch && strcmp(x->os, x->ns))
            set_str(x, sch, x->ns);
        return;
    }
    if (!last || strcmp(*last, x->oc))
        return;
    bool hit;
    if (n == 1) {
        const fent *e = resolve(x, NULL);
        hit = e && e->target;
    } else if (n == 2) {
        char **q = field_str(cr, 0);
        const fent *e = q ? resolve(x, *q) : NULL;
        hit = e && e->target;
    } else {
        char **rel = field_str(cr, n - 2);
        hit = rel && !strcmp(*rel, x->on);
    }
    if (hit)
        set_str(x, last, x->nc);
}

/* ---- generic walk -------------------------------------------------------------------- */

static void walk_msg(fx *x, ProtobufCMessage *m, int depth);

static void walk_select(fx *x, PgQuery__SelectStmt *s, int depth)
{
    if (s->with_clause)
        walk_msg(x, &s->with_clause->base, depth + 1);
    fentvec *scope = ARENA_NEW(&x->r->tmp, fentvec);
    for (size_t i = 0; i < s->n_from_clause; i++)  /* before the names change */
        from_entries(x, s->from_clause[i], scope);
    VEC_PUSH(&x->r->tmp, x->scopes, scope);
    for (size_t i = 0; i < s->n_from_clause; i++)  /* JOIN ... ON sees the scope */
        walk_msg(x, &s->from_clause[i]->base, depth + 1);
    const ProtobufCMessageDescriptor *d = s->base.descriptor;
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        if (!strcmp(f->name, "with_clause") || !strcmp(f->name, "from_clause") ||
            f->type != PROTOBUF_C_TYPE_MESSAGE)
            continue;
        char *base = (char *)s;
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t n = *(size_t *)(base + f->quantifier_offset);
            ProtobufCMessage **arr = *(ProtobufCMessage ***)(base + f->offset);
            for (size_t k = 0; k < n; k++)
                walk_msg(x, arr[k], depth + 1);
        } else {
            walk_msg(x, *(ProtobufCMessage **)(base + f->offset), depth + 1);
        }
    }
    x->scopes.n--;
}

static void walk_field(fx *x, ProtobufCMessage *m, const ProtobufCFieldDescriptor *f, int depth)
{
    char *base = (char *)m;
    if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
        *(uint32_t *)(base + f->quantifier_offset) != f->id)
        return;
    if (f->type != PROTOBUF_C_TYPE_MESSAGE)
        return;
    if (f->label == PROTOBUF_C_LABEL_REPEATED) {
        size_t n = *(size_t *)(base + f->quantifier_offset);
        ProtobufCMessage **arr = *(ProtobufCMessage ***)(base + f->offset);
        for (size_t i = 0; i < n; i++)
            walk_msg(x, arr[i], depth + 1);
    } else {
        walk_msg(x, *(ProtobufCMessage **)(base + f->offset), depth + 1);
    }
}

static void walk_msg(fx *x, ProtobufCMessage *m, int depth)
{
    if (!m || depth > FOLLOW_MAX_DEPTH)
        return;
    const ProtobufCMessageDescriptor *d = m->descriptor;
    if (d == &pg_query__select_stmt__descriptor) {
        walk_select(x, (PgQuery__SelectStmt *)m, depth);
        return;
    }
    if (d == &pg_query__column_ref__descriptor) {
        column_ref(x, (PgQuery__ColumnRef *)m);
        return;
    }
    if (d == &pg_query__range_var__descriptor && !x->column_mode) {
        PgQuery__RangeVar *rv = (PgQuery__RangeVar *)m;
        if (rv_is_target(x, rv)) {
            if (strcmp(x->on, x->nn))
                set_str(x, &rv->relname, x->nn);
            if (strcmp(x->os, x->ns))
                set_str(x, &rv->schemaname, x->ns);
        }
    }
    if (d == &pg_query__res_target__descriptor && x->column_mode) {
        PgQuery__ResTarget *rt = (PgQuery__ResTarget *)m;
        if (rt->val && !rt->indirection) {
            const char *before = !pgu_s(rt->name) ? pgu_figure_colname(rt->val) : NULL;
            size_t nch = x->changes.n;
            walk_msg(x, &rt->val->base, depth + 1);
            if (before && x->changes.n != nch && NODE_IS(rt->val, COLUMN_REF) &&
                strcmp(before, pgu_figure_colname(rt->val)))
                set_str(x, &rt->name, before);
            return;
        }
    }
    for (unsigned i = 0; i < d->n_fields; i++)
        walk_field(x, m, &d->fields[i], depth);
}

/* ---- views ----------------------------------------------------------------------------- */

static void follow_view(fx *x, cat_view *v)
{
    if (!v->definition || !*v->definition)
        return;
    PgQueryProtobufParseResult pr = pg_query_parse_protobuf(v->definition);
    if (pr.error) {
        pg_query_free_protobuf_parse_result(pr);
        return;
    }
    PgQuery__ParseResult *res = pg_query__parse_result__unpack(
        NULL, pr.parse_tree.len, (const uint8_t *)pr.parse_tree.data);
    if (res && res->n_stmts == 1 && NODE_IS(res->stmts[0]->stmt, SELECT_STMT)) {
        x->changed = false;
        x->scopes.n = 0;
        walk_msg(x, &res->stmts[0]->stmt->base, 0);
        if (x->changed)
            pg_sql_view_redefine(x->r, v, res->stmts[0]->stmt);
        undo_all(x);
    }
    if (res)
        pg_query__parse_result__free_unpacked(res, NULL);
    pg_query_free_protobuf_parse_result(pr);
}

static bool depends(const cat_view *v, const char *q)
{
    return pgu_strvec_has(&v->depends_on, q);
}

void pg_sql_views_follow_relation(pgr *r, const char *os, const char *on, const char *ns,
                                  const char *nn)
{
    if (!os || !on || !ns || !nn || (!strcmp(os, ns) && !strcmp(on, nn)))
        return;
    const char *q = arena_printf(&r->tmp, "%s.%s", os, on);
    fx x = {0};
    x.r = r;
    x.os = os, x.on = on, x.ns = ns, x.nn = nn;
    for (size_t i = 0; i < r->cat->views.n; i++) {
        cat_view *v = r->cat->views.v[i];
        if (!depends(v, q))
            continue;
        x.view_depends = true;
        follow_view(&x, v);
    }
}

void pg_sql_views_follow_column(pgr *r, const cat_table *t, const char *old, const char *nw)
{
    if (!old || !nw || !strcmp(old, nw))
        return;
    const char *q = arena_printf(&r->tmp, "%s.%s", t->schema, t->name);
    fx x = {0};
    x.r = r;
    x.column_mode = true;
    x.os = x.ns = t->schema, x.on = x.nn = t->name;
    x.oc = old, x.nc = nw;
    for (size_t i = 0; i < r->cat->views.n; i++) {
        cat_view *v = r->cat->views.v[i];
        if (!depends(v, q))
            continue;
        x.view_depends = true;
        follow_view(&x, v);
    }
}
