/*
 * pg_sql_routines.c — views and materialized views (definition, normalised
 * definition, dependencies), functions/procedures, triggers, policies and
 * extensions for the PostgreSQL SQL reader.
 */
#include "source/pg_sql_util.h"
#include "source/pg_sql_view.h"

#include <string.h>

#include "catalog/normalize.h"
#include "util/strbuf.h"

/* ---- views ------------------------------------------------------------------- */

typedef struct dep_ctx {
    strvec ctes;
    strvec *out;
    arena *mem;
} dep_ctx;

static void visit_cte(pgr *r, const PgQuery__Node *n, void *ud)
{
    dep_ctx *d = ud;
    if (n->common_table_expr->ctename)
        VEC_PUSH(&r->tmp, d->ctes, n->common_table_expr->ctename);
}

static bool rel_or_view(pgr *r, const char *schema, const char *name)
{
    return catalog_table_find(r->cat, schema, name) || catalog_view_find(r->cat, schema, name);
}

static void visit_rangevar(pgr *r, const PgQuery__Node *n, void *ud)
{
    dep_ctx *d = ud;
    const PgQuery__RangeVar *rv = n->range_var;
    const char *schema = rv->schemaname && *rv->schemaname ? rv->schemaname : NULL;
    if (!rv->relname || (!schema && pgu_strvec_has(&d->ctes, rv->relname)))
        return;
    const char *s = pgu_lookup_schema(r, schema, rv->relname, rel_or_view);
    if (!s || !rel_or_view(r, s, rv->relname))
        return;
    const char *q = arena_printf(d->mem, "%s.%s", s, rv->relname);
    if (!pgu_strvec_has(d->out, q))
        VEC_PUSH(d->mem, *d->out, q);
}

static void view_depends(pgr *r, PgQuery__Node *query, strvec *out)
{
    dep_ctx d = {{0}, out, &r->cat->mem};
    pgu_walk(r, query, PG_QUERY__NODE__NODE_COMMON_TABLE_EXPR, visit_cte, &d);
    pgu_walk(r, query, PG_QUERY__NODE__NODE_RANGE_VAR, visit_rangevar, &d);
}

/* apply an explicit column list as output aliases (for the normalised text) */
static void apply_aliases(PgQuery__Node *query, const strvec *names, char **saved)
{
    if (!query || query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
        return;
    PgQuery__SelectStmt *s = query->select_stmt;
    for (size_t i = 0; i < names->n && i < s->n_target_list; i++) {
        PgQuery__Node *t = s->target_list[i];
        if (t->node_case != PG_QUERY__NODE__NODE_RES_TARGET)
            continue;
        PgQuery__ResTarget *rt = t->res_target;
        saved[i] = rt->name;
        const char *fig = rt->val ? pgu_figure_colname(rt->val) : NULL;
        if (pgu_s(rt->name) || !fig || strcmp(fig, names->v[i]))
            rt->name = (char *)names->v[i];
    }
}

static void restore_aliases(PgQuery__Node *query, size_t n, char **saved)
{
    if (!query || query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
        return;
    PgQuery__SelectStmt *s = query->select_stmt;
    for (size_t i = 0; i < n && i < s->n_target_list; i++)
        if (s->target_list[i]->node_case == PG_QUERY__NODE__NODE_RES_TARGET)
            s->target_list[i]->res_target->name = saved[i];
}

void pg_sql_view_redefine(pgr *r, cat_view *v, PgQuery__Node *query)
{
    v->definition = pgu_deparse_stmt(&r->cat->mem, query);
    if (!v->definition)
        v->definition = "";
    const char *src = v->definition;
    pgv_undo undo = {{0}};
    pg_sql_view_expand(r, query, &undo);  /* the shape pg_get_viewdef prints */
    if (v->column_names.n) {
        char **saved = arena_alloc(&r->tmp, v->column_names.n * sizeof(char *));
        apply_aliases(query, &v->column_names, saved);
        src = pgu_deparse_stmt(&r->tmp, query);
        restore_aliases(query, v->column_names.n, saved);
    } else if (undo.changes.n) {
        src = pgu_deparse_stmt(&r->tmp, query);
    }
    pg_sql_view_undo(&undo);
    const char *norm = src ? normalize_pg_query(&r->cat->mem, src) : NULL;
    v->definition_norm = norm ? norm : v->definition;
}

static void view_definition(pgr *r, cat_view *v, PgQuery__Node *query)
{
    pg_sql_view_redefine(r, v, query);
    v->depends_on.n = 0;
    view_depends(r, query, &v->depends_on);
    pgu_sort_strvec(&v->depends_on);
}

static cat_view *view_target(pgr *r, PgQuery__RangeVar *rv, bool replace, bool materialized,
                             bool if_not_exists)
{
    const char *schema = pgu_create_schema(r, rv->schemaname && *rv->schemaname ? rv->schemaname
                                                                                : NULL);
    if (!schema)
        return NULL;
    cat_view *v = catalog_view_find(r->cat, schema, rv->relname);
    if (v && replace && !v->materialized && !materialized) {
        pgu_altered(r, &v->prov);
        v->column_names.n = 0;
        v->check_option = NULL;
        v->security_barrier = v->security_invoker = false;
        return v;
    }
    if (v || pgu_rel_exists(r, schema, rv->relname)) {
        if (!if_not_exists)
            diag_error(r->diags, r->loc, "relation \"%s\" already exists", rv->relname);
        return NULL;
    }
    return catalog_view_add(r->cat, schema, rv->relname, materialized, r->loc);
}

void pg_sql_create_view(pgr *r, PgQuery__ViewStmt *st)
{
    if (!st->view || !st->view->relname)
        return;
    cat_view *v = view_target(r, st->view, st->replace, false, false);
    if (!v)
        return;
    for (size_t i = 0; i < st->n_aliases; i++) {
        const char *a = pgu_str(st->aliases[i]);
        if (a)
            pgu_strvec_push(&r->cat->mem, &v->column_names, a);
    }
    if (st->with_check_option == PG_QUERY__VIEW_CHECK_OPTION__LOCAL_CHECK_OPTION)
        v->check_option = "LOCAL";
    else if (st->with_check_option == PG_QUERY__VIEW_CHECK_OPTION__CASCADED_CHECK_OPTION)
        v->check_option = "CASCADED";
    for (size_t i = 0; i < st->n_options; i++) {
        if (st->options[i]->node_case != PG_QUERY__NODE__NODE_DEF_ELEM)
            continue;
        PgQuery__DefElem *d = st->options[i]->def_elem;
        if (!strcmp(d->defname, "security_barrier"))
            v->security_barrier = pgu_defbool(d);
        else if (!strcmp(d->defname, "security_invoker"))
            v->security_invoker = pgu_defbool(d);
        else if (!strcmp(d->defname, "check_option")) {
            const char *s = pgu_defstr(d);
            v->check_option = s && !strcmp(s, "local") ? "LOCAL" : "CASCADED";
        }
    }
    view_definition(r, v, st->query);
}

void pg_sql_create_matview(pgr *r, PgQuery__CreateTableAsStmt *st)
{
    if (!st->into || !st->into->rel || !st->into->rel->relname)
        return;
    cat_view *v = view_target(r, st->into->rel, false, true, st->if_not_exists);
    if (!v)
        return;
    for (size_t i = 0; i < st->into->n_col_names; i++) {
        const char *a = pgu_str(st->into->col_names[i]);
        if (a)
            pgu_strvec_push(&r->cat->mem, &v->column_names, a);
    }
    view_definition(r, v, st->query);
}

/* ---- functions ----------------------------------------------------------------- */

static char arg_mode(PgQuery__FunctionParameterMode m)
{
    switch (m) {
    case PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_OUT: return 'o';
    case PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_INOUT: return 'b';
    case PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_VARIADIC: return 'v';
    case PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_TABLE: return 't';
    default: return 'i';
    }
}

static void function_args(pgr *r, cat_function *f, PgQuery__CreateFunctionStmt *st)
{
    f->args.n = 0;
    for (size_t i = 0; i < st->n_parameters; i++) {
        if (st->parameters[i]->node_case != PG_QUERY__NODE__NODE_FUNCTION_PARAMETER)
            continue;
        PgQuery__FunctionParameter *p = st->parameters[i]->function_parameter;
        cat_func_arg a = {0};
        a.name = pgu_s(p->name) ? arena_strdup(&r->cat->mem, p->name) : NULL;
        a.mode = arg_mode(p->mode);
        a.type = pgu_type(r, p->arg_type, NULL);
        if (p->defexpr) {
            a.default_expr = pgu_expr(r, p->defexpr);
            a.default_norm = pgu_expr_norm(r, p->defexpr);
        }
        VEC_PUSH(&r->cat->mem, f->args, a);
    }
}

static const char *function_returns(pgr *r, cat_function *f, PgQuery__CreateFunctionStmt *st)
{
    if (f->is_procedure)
        return NULL;
    strbuf sb = STRBUF_INIT;
    size_t n_table = 0, n_out = 0;
    const char *out_type = NULL;
    for (size_t i = 0; i < f->args.n; i++) {
        char m = f->args.v[i].mode;
        if (m == 't') {
            strbuf_adds(&sb, n_table++ ? ", " : "TABLE(");
            strbuf_addf(&sb, "%s %s", f->args.v[i].name ? f->args.v[i].name : "",
                        f->args.v[i].type ? f->args.v[i].type : "");
        } else if (m == 'o' || m == 'b') {
            n_out++;
            out_type = f->args.v[i].type;
        }
    }
    const char *ret;
    if (n_table) {
        strbuf_addch(&sb, ')');
        ret = arena_strdup(&r->cat->mem, strbuf_str(&sb));
    } else if (st->return_type) {
        ret = pgu_type(r, st->return_type, NULL);
    } else {
        ret = n_out == 1 ? out_type : n_out ? "record" : "void";
    }
    strbuf_release(&sb);
    return ret;
}

static void function_options(pgr *r, cat_function *f, PgQuery__CreateFunctionStmt *st)
{
    const char *body = NULL;
    f->language = "sql";
    for (size_t i = 0; i < st->n_options; i++) {
        if (st->options[i]->node_case != PG_QUERY__NODE__NODE_DEF_ELEM)
            continue;
        PgQuery__DefElem *d = st->options[i]->def_elem;
        const char *k = d->defname;
        if (!strcmp(k, "as")) {
            PgQuery__List *l = pgu_list(d->arg);
            body = l && l->n_items ? pgu_str(l->items[l->n_items == 2 ? 1 : 0]) : pgu_str(d->arg);
        } else if (!strcmp(k, "language")) {
            const char *s = pgu_defstr(d);
            if (s) {
                char *low = arena_strdup(&r->cat->mem, s);
                for (char *p = low; *p; p++)
                    *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
                f->language = low;
            }
        } else if (!strcmp(k, "volatility")) {
            const char *s = pgu_defstr(d);
            f->volatility = s ? s[0] : 'v';
        } else if (!strcmp(k, "strict")) {
            f->strict = pgu_defbool(d);
        } else if (!strcmp(k, "security")) {
            f->security_definer = pgu_defbool(d);
        } else if (!strcmp(k, "leakproof")) {
            f->leakproof = pgu_defbool(d);
        } else if (!strcmp(k, "parallel")) {
            const char *s = pgu_defstr(d);
            f->parallel = s ? s[0] : 'u';
        }
    }
    if (!body && st->sql_body)
        body = pgu_deparse_stmt(&r->tmp, st->sql_body);
    catalog_function_set_body(r->cat, f, body ? body : "");
}

static const char *function_sig(pgr *r, const cat_function *f)
{
    strbuf sb = STRBUF_INIT;
    strbuf_addf(&sb, "%s(", f->name);
    bool first = true;
    for (size_t i = 0; i < f->args.n; i++) {
        char m = f->args.v[i].mode;
        if (m == 'o' || m == 't')
            continue;
        strbuf_addf(&sb, "%s%s", first ? "" : ", ", f->args.v[i].type ? f->args.v[i].type : "");
        first = false;
    }
    strbuf_addch(&sb, ')');
    const char *out = arena_strdup(&r->tmp, strbuf_str(&sb));
    strbuf_release(&sb);
    return out;
}

void pg_sql_create_function(pgr *r, PgQuery__CreateFunctionStmt *st)
{
    const char *schema, *name;
    pgu_names(st->funcname, st->n_funcname, &schema, &name);
    if (!name || !(schema = pgu_create_schema(r, schema)))
        return;
    cat_function *f = catalog_function_add(r->cat, schema, name, st->is_procedure, r->loc);
    function_args(r, f, st);
    cat_function *old = catalog_function_find(r->cat, f->schema, function_sig(r, f));
    if (old) {
        catalog_function_remove(r->cat, f); /* not registered yet: only leaves the list */
        if (!st->replace) {
            diag_error(r->diags, r->loc, "function \"%s\" already exists with same argument types",
                       old->signature);
            return;
        }
        if (old->is_procedure != (bool)st->is_procedure) {
            diag_error(r->diags, r->loc, "cannot change routine kind of \"%s\"", old->name);
            return;
        }
        old->args = f->args;
        old->strict = old->security_definer = old->leakproof = false;
        old->volatility = 'v';
        old->parallel = 'u';
        f = old;
        pgu_altered(r, &f->prov);
    } else {
        catalog_function_set_signature(r->cat, f);
    }
    f->returns = function_returns(r, f, st);
    function_options(r, f, st);
}

/* ---- triggers ----------------------------------------------------------------- */

static bool trigger_fn_exists(pgr *r, const char *schema, const char *name)
{
    return catalog_function_find(r->cat, schema, arena_printf(&r->tmp, "%s()", name)) != NULL;
}

void pg_sql_create_trigger(pgr *r, PgQuery__CreateTrigStmt *st)
{
    cat_table *t = pgu_find_table_rv(r, st->relation);
    cat_view *v = NULL;
    if (!t && st->relation && st->relation->relname) {
        const char *vs = pgu_s(st->relation->schemaname);
        const char *s = pgu_lookup_schema(r, vs, st->relation->relname, rel_or_view);
        v = s ? catalog_view_find(r->cat, s, st->relation->relname) : NULL;
    }
    if (!t && !v) {
        diag_error(r->diags, r->loc, "relation \"%s\" does not exist",
                   st->relation ? st->relation->relname : "?");
        return;
    }
    cat_trigger *tg = t ? catalog_trigger_find(t, st->trigname)
                        : catalog_view_trigger_find(v, st->trigname);
    if (tg && !st->replace) {
        diag_error(r->diags, r->loc, "trigger \"%s\" for relation \"%s\" already exists",
                   st->trigname, t ? t->name : v->name);
        return;
    }
    if (tg) {
        pgu_altered(r, &tg->prov);
        tg->events.n = tg->update_columns.n = tg->function_args.n = 0;
    } else {
        tg = t ? catalog_trigger_add(r->cat, t, st->trigname, r->loc)
               : catalog_view_trigger_add(r->cat, v, st->trigname, r->loc);
    }
    tg->timing = (st->timing & 2) ? "BEFORE" : (st->timing & 64) ? "INSTEAD OF" : "AFTER";
    static const struct { int bit; const char *name; } ev[] = {
        {4, "INSERT"}, {16, "UPDATE"}, {8, "DELETE"}, {32, "TRUNCATE"}};
    for (size_t i = 0; i < 4; i++)
        if (st->events & ev[i].bit)
            VEC_PUSH(&r->cat->mem, tg->events, ev[i].name);
    for (size_t i = 0; i < st->n_columns; i++) {
        const char *c = pgu_str(st->columns[i]);
        if (c)
            pgu_strvec_push(&r->cat->mem, &tg->update_columns, c);
    }
    tg->for_each_row = st->row;
    tg->when_expr = st->when_clause ? pgu_expr(r, st->when_clause) : NULL;
    tg->when_norm = st->when_clause ? pgu_expr_norm(r, st->when_clause) : NULL;
    const char *fs, *fn;
    pgu_names(st->funcname, st->n_funcname, &fs, &fn);
    if (fn) {
        const char *s = pgu_lookup_schema(r, fs, fn, trigger_fn_exists);
        tg->function_schema = arena_strdup(&r->cat->mem, s ? s : r->search_path.n ? r->search_path.v[0]
                                                                                   : "public");
        tg->function_name = arena_strdup(&r->cat->mem, fn);
    }
    for (size_t i = 0; i < st->n_args; i++) {
        const char *a = pgu_str(st->args[i]);
        if (a)
            pgu_strvec_push(&r->cat->mem, &tg->function_args, a);
    }
    tg->constraint_trigger = st->isconstraint;
    tg->deferrable = st->deferrable;
    tg->initially_deferred = st->initdeferred;
}

/* ---- policies ------------------------------------------------------------------ */

static void policy_roles(pgr *r, cat_policy *p, PgQuery__Node **roles, size_t n)
{
    p->roles.n = 0;
    for (size_t i = 0; i < n; i++) {
        if (roles[i]->node_case != PG_QUERY__NODE__NODE_ROLE_SPEC)
            continue;
        PgQuery__RoleSpec *rs = roles[i]->role_spec;
        const char *name = rs->roletype == PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_PUBLIC ? "public"
                           : rs->roletype == PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CSTRING
                               ? rs->rolename
                           : rs->roletype == PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_SESSION_USER
                               ? "session_user"
                               : "current_user";
        if (!pgu_strvec_has(&p->roles, name))
            pgu_strvec_push(&r->cat->mem, &p->roles, name);
    }
    if (!p->roles.n)
        VEC_PUSH(&r->cat->mem, p->roles, "public");
    pgu_sort_strvec(&p->roles);
}

void pg_sql_create_policy(pgr *r, PgQuery__CreatePolicyStmt *st)
{
    cat_table *t = pgu_find_table_rv(r, st->table);
    if (!t) {
        diag_error(r->diags, r->loc, "relation \"%s\" does not exist",
                   st->table ? st->table->relname : "?");
        return;
    }
    if (catalog_policy_find(t, st->policy_name)) {
        diag_error(r->diags, r->loc, "policy \"%s\" for table \"%s\" already exists",
                   st->policy_name, t->name);
        return;
    }
    cat_policy *p = catalog_policy_add(r->cat, t, st->policy_name, r->loc);
    p->permissive = st->permissive;
    p->command = pgu_upper(&r->cat->mem, pgu_s(st->cmd_name) ? st->cmd_name : "all");
    policy_roles(r, p, st->roles, st->n_roles);
    if (st->qual) {
        p->using_expr = pgu_expr(r, st->qual);
        p->using_norm = pgu_expr_norm(r, st->qual);
    }
    if (st->with_check) {
        p->check_expr = pgu_expr(r, st->with_check);
        p->check_norm = pgu_expr_norm(r, st->with_check);
    }
}

void pg_sql_alter_policy(pgr *r, PgQuery__AlterPolicyStmt *st)
{
    cat_table *t = pgu_find_table_rv(r, st->table);
    cat_policy *p = t ? catalog_policy_find(t, st->policy_name) : NULL;
    if (!p) {
        diag_error(r->diags, r->loc, "policy \"%s\" for table \"%s\" does not exist",
                   st->policy_name, st->table ? st->table->relname : "?");
        return;
    }
    pgu_altered(r, &p->prov);
    if (st->n_roles)
        policy_roles(r, p, st->roles, st->n_roles);
    if (st->qual) {
        p->using_expr = pgu_expr(r, st->qual);
        p->using_norm = pgu_expr_norm(r, st->qual);
    }
    if (st->with_check) {
        p->check_expr = pgu_expr(r, st->with_check);
        p->check_norm = pgu_expr_norm(r, st->with_check);
    }
}

/* ---- extensions ------------------------------------------------------------------ */

void pg_sql_create_extension(pgr *r, PgQuery__CreateExtensionStmt *st)
{
    if (!st->extname)
        return;
    if (catalog_extension_find(r->cat, st->extname) || !strcmp(st->extname, "plpgsql")) {
        if (!st->if_not_exists && strcmp(st->extname, "plpgsql"))
            diag_error(r->diags, r->loc, "extension \"%s\" already exists", st->extname);
        return;
    }
    const char *schema = NULL;
    for (size_t i = 0; i < st->n_options; i++)
        if (st->options[i]->node_case == PG_QUERY__NODE__NODE_DEF_ELEM &&
            !strcmp(st->options[i]->def_elem->defname, "schema"))
            schema = pgu_defstr(st->options[i]->def_elem);
    schema = pgu_create_schema(r, schema);
    if (!schema)
        return;
    cat_extension *e = catalog_extension_add(r->cat, st->extname, r->loc);
    e->schema = arena_strdup(&r->cat->mem, schema);
}
