/*
 * diff_pg_dep.c — PostgreSQL diff of what hangs off relations and routines:
 * views and materialized views (dropped before and recreated after what
 * they depend on, in dependency order; CREATE OR REPLACE when only options
 * change), triggers, policies, row level security flags, comments and
 * grants (GRANT/REVOKE; restated on recreated objects).
 */
#include "diff/diff_pg.h"

#include <string.h>


/* ---- views ------------------------------------------------------------------- */

static bool view_eq(const cat_view *a, const cat_view *b)
{
    return a->materialized == b->materialized && pgd_str_eq(a->definition_norm, b->definition_norm) &&
           pgd_str_eq(a->check_option, b->check_option) && a->security_barrier == b->security_barrier &&
           a->security_invoker == b->security_invoker;
}

static bool view_same_query(const cat_view *a, const cat_view *b)
{
    return a->materialized == b->materialized && pgd_str_eq(a->definition_norm, b->definition_norm);
}

/* the definition calls a routine that is dropped or recreated */
static bool uses_recreated_function(pgd *d, const cat_view *v)
{
    if (!d->recreated_fn.n || !v->definition_norm)
        return false;
    for (size_t i = 0; i < d->from->functions.n; i++) {
        const cat_function *f = d->from->functions.v[i];
        if (!hashmap_get(&d->recreated_fn, pgd_key(d, f->schema, f->name)))
            continue;
        const char *p = strstr(v->definition_norm, f->name);
        if (p && p[strlen(f->name)] == '(')
            return true;
    }
    return false;
}

static bool depends_on_dirty(pgd *d, const cat_view *v)
{
    for (size_t i = 0; i < v->depends_on.n; i++) {
        const char *s, *n;
        emit_split_qualified(d->from, v->depends_on.v[i], &s, &n);
        if (pgd_is_dirty(d, s, n))
            return true;
    }
    return false;
}

static int view_rank(cat_view **order, size_t n, const cat_view *v)
{
    for (size_t i = 0; i < n; i++)
        if (order[i] == v)
            return (int)i;
    return 0;
}

void pgd_views(pgd *d)
{
    catalog *from = d->from, *to = d->to;
    /* which FROM views go: gone, changed, or reading something that changes */
    bool *drop = arena_alloc(d->mem, (from->views.n + 1) * sizeof(bool));
    for (bool again = true; again;) {
        again = false;
        for (size_t i = 0; i < from->views.n; i++) {
            const cat_view *f = from->views.v[i];
            if (drop[i])
                continue;
            const cat_view *t = catalog_view_find(to, f->schema, f->name);
            if (!t || !view_same_query(f, t) || depends_on_dirty(d, f) || uses_recreated_function(d, f)) {
                drop[i] = true;
                again = true;
                pgd_mark_dirty(d, f->schema, f->name);
            }
        }
    }
    strbuf q = STRBUF_INIT;
    cat_view **forder = emit_views_in_dependency_order(from);
    for (size_t i = 0; i < from->views.n; i++) {
        const cat_view *f = from->views.v[i];
        if (!drop[i])
            continue;
        strbuf_adds(&q, f->materialized ? "DROP MATERIALIZED VIEW " : "DROP VIEW ");
        pg_qname(&q, f->schema, f->name);
        strbuf_adds(&q, ";\n");
        pgd_add(d, "drop_view", f->materialized ? OBJ_MATVIEW : OBJ_VIEW, f->schema, f->name, NULL,
                PHASE_DROP_DEPENDENTS, 0, &q)
            ->order = 1000 - view_rank(forder, from->views.n, f);
    }
    cat_view **order = emit_views_in_dependency_order(to);
    for (size_t i = 0; i < to->views.n; i++) {
        const cat_view *t = order[i];
        const cat_view *f = catalog_view_find(from, t->schema, t->name);
        bool dropped = f && pgd_is_dirty(d, f->schema, f->name);
        if (f && !dropped) {
            if (!view_eq(f, t)) {
                pg_emit_view(&q, t);
                const char *s = strbuf_str(&q);
                strbuf r = STRBUF_INIT;
                strbuf_adds(&r, "CREATE OR REPLACE ");
                strbuf_adds(&r, s + 7);
                strbuf_reset(&q);
                pgd_add(d, "replace_view", OBJ_VIEW, t->schema, t->name, NULL, PHASE_CREATE_VIEWS, 0, &r)->order = (int)i;
                strbuf_release(&r);
            }
            pgd_diff_indexes(d, t->schema, t->name, f->indexes.v, f->indexes.n, t->indexes.v, t->indexes.n);
            continue;
        }
        pg_emit_view(&q, t);
        pgd_add(d, f ? "recreate_view" : "create_view", t->materialized ? OBJ_MATVIEW : OBJ_VIEW, t->schema, t->name,
                NULL, PHASE_CREATE_VIEWS, t->materialized ? HAZARD_FULL_SCAN : 0, &q)
            ->order = (int)i;
        if (f)
            pgd_mark_recreated(d, "view", t->schema, t->name);
    }
    strbuf_release(&q);
}

/* ---- triggers, policies, RLS ------------------------------------------------------ */

static bool trigger_eq(const cat_trigger *a, const cat_trigger *b)
{
    return pgd_str_eq(a->timing, b->timing) && pgd_strvec_eq(&a->events, &b->events) &&
           pgd_strvec_eq(&a->update_columns, &b->update_columns) && a->for_each_row == b->for_each_row &&
           pgd_str_eq(a->when_norm, b->when_norm) && pgd_str_eq(a->function_schema, b->function_schema) &&
           pgd_str_eq(a->function_name, b->function_name) && pgd_strvec_eq(&a->function_args, &b->function_args) &&
           a->constraint_trigger == b->constraint_trigger && a->deferrable == b->deferrable &&
           a->initially_deferred == b->initially_deferred;
}

static bool policy_eq(const cat_policy *a, const cat_policy *b)
{
    return a->permissive == b->permissive && pgd_str_eq(a->command, b->command) && pgd_strvec_eq(&a->roles, &b->roles) &&
           pgd_str_eq(a->using_norm, b->using_norm) && pgd_str_eq(a->check_norm, b->check_norm);
}

typedef struct trigvec {
    cat_trigger *const *v;
    size_t n;
} trigvec;

static const cat_trigger *find_trigger(const trigvec *v, const char *name)
{
    for (size_t i = 0; v && i < v->n; i++)
        if (!strcmp(v->v[i]->name, name))
            return v->v[i];
    return NULL;
}

static const cat_policy *find_policy(const cat_table *t, const char *name)
{
    for (size_t i = 0; i < t->policies.n; i++)
        if (!strcmp(t->policies.v[i]->name, name))
            return t->policies.v[i];
    return NULL;
}

static bool trigger_fn_recreated(pgd *d, const cat_trigger *tg)
{
    return hashmap_get(&d->recreated_fn, pgd_key(d, tg->function_schema ? tg->function_schema : "public",
                                                  tg->function_name)) != NULL;
}

/* f: FROM's triggers, NULL when the relation is new or recreated (nothing to drop);
 * dirty: drop and recreate them all */
static void diff_triggers(pgd *d, const char *schema, const char *rel, const trigvec *f, const trigvec *t, bool dirty)
{
    strbuf q = STRBUF_INIT;
    bool *dropped = arena_alloc(d->mem, ((f ? f->n : 0) + 1) * sizeof(bool));
    for (size_t i = 0; f && i < f->n; i++) {
        const cat_trigger *ft = f->v[i], *tt = find_trigger(t, ft->name);
        if (tt && trigger_eq(ft, tt) && !dirty && !trigger_fn_recreated(d, ft))
            continue;
        dropped[i] = true;
        strbuf_adds(&q, "DROP TRIGGER ");
        pg_ident(&q, ft->name);
        strbuf_adds(&q, " ON ");
        pg_qname(&q, schema, rel);
        strbuf_adds(&q, ";\n");
        pgd_add(d, "drop_trigger", OBJ_TRIGGER, schema, rel, ft->name, PHASE_DROP_DEPENDENTS, 0, &q);
    }
    for (size_t i = 0; i < t->n; i++) {
        const cat_trigger *tt = t->v[i], *ft = f ? find_trigger(f, tt->name) : NULL;
        bool was_dropped = false;
        for (size_t j = 0; f && j < f->n; j++)
            if (f->v[j] == ft)
                was_dropped = dropped[j];
        if (ft && !was_dropped)
            continue;
        pg_emit_trigger(&q, tt);
        pgd_add(d, "create_trigger", OBJ_TRIGGER, schema, rel, tt->name, PHASE_CREATE_DEPENDENTS, 0, &q);
        if (ft || !f)
            pgd_mark_recreated(d, "trigger", schema, pgd_key(d, rel, tt->name));
    }
    strbuf_release(&q);
}

static void diff_policies(pgd *d, const cat_table *tt, const cat_table *ft, bool dirty)
{
    strbuf q = STRBUF_INIT;
    const cat_table *f = ft;
    bool *dropped = arena_alloc(d->mem, ((f ? f->policies.n : 0) + 1) * sizeof(bool));
    for (size_t i = 0; f && i < f->policies.n; i++) {
        const cat_policy *fp = f->policies.v[i], *tp = find_policy(tt, fp->name);
        if (tp && policy_eq(fp, tp) && !dirty)
            continue;
        dropped[i] = true;
        strbuf_adds(&q, "DROP POLICY ");
        pg_ident(&q, fp->name);
        strbuf_adds(&q, " ON ");
        pg_qname(&q, tt->schema, tt->name);
        strbuf_adds(&q, ";\n");
        pgd_add(d, "drop_policy", OBJ_POLICY, tt->schema, tt->name, fp->name, PHASE_DROP_DEPENDENTS, 0, &q);
    }
    for (size_t i = 0; i < tt->policies.n; i++) {
        const cat_policy *tp = tt->policies.v[i], *fp = NULL;
        bool was_dropped = false;
        for (size_t j = 0; f && j < f->policies.n; j++)
            if (!strcmp(f->policies.v[j]->name, tp->name)) {
                fp = f->policies.v[j];
                was_dropped = dropped[j];
            }
        if (fp && !was_dropped)
            continue;
        pg_emit_policy(&q, tp);
        pgd_add(d, "create_policy", OBJ_POLICY, tt->schema, tt->name, tp->name, PHASE_CREATE_DEPENDENTS, 0, &q);
        if (fp || !f)
            pgd_mark_recreated(d, "policy", tt->schema, pgd_key(d, tt->name, tp->name));
    }
    strbuf_release(&q);
}

static void diff_rls(pgd *d, const cat_table *f, const cat_table *t)
{
    strbuf q = STRBUF_INIT;
    bool fe = f && f->rls_enabled, ff = f && f->rls_forced;
    if (fe != t->rls_enabled) {
        pgd_alter_table(&q, t);
        strbuf_adds(&q, t->rls_enabled ? " ENABLE ROW LEVEL SECURITY;\n" : " DISABLE ROW LEVEL SECURITY;\n");
    }
    if (ff != t->rls_forced) {
        pgd_alter_table(&q, t);
        strbuf_adds(&q, t->rls_forced ? " FORCE ROW LEVEL SECURITY;\n" : " NO FORCE ROW LEVEL SECURITY;\n");
    }
    if (q.len)
        pgd_add(d, "alter_table_rls", OBJ_TABLE, t->schema, t->name, NULL, PHASE_CREATE_DEPENDENTS, 0, &q)->order = -1;
    strbuf_release(&q);
}

void pgd_triggers_policies(pgd *d)
{
    for (size_t i = 0; i < d->to->tables.n; i++) {
        const cat_table *t = d->to->tables.v[i];
        const cat_table *f = catalog_table_find(d->from, t->schema, t->name);
        if (f && pgd_is_recreated(d, "table", t->schema, t->name))
            f = NULL;
        bool dirty = pgd_is_dirty(d, t->schema, t->name);
        trigvec fv = {f ? f->triggers.v : NULL, f ? f->triggers.n : 0}, tv = {t->triggers.v, t->triggers.n};
        diff_triggers(d, t->schema, t->name, f ? &fv : NULL, &tv, dirty);
        diff_policies(d, t, f, dirty);
        diff_rls(d, f, t);
    }
    for (size_t i = 0; i < d->from->tables.n; i++) {
        const cat_table *f = d->from->tables.v[i];
        if (catalog_table_find(d->to, f->schema, f->name))
            continue;
        (void)f; /* triggers and policies go with the table */
    }
    for (size_t i = 0; i < d->to->views.n; i++) {
        const cat_view *t = d->to->views.v[i];
        const cat_view *f = catalog_view_find(d->from, t->schema, t->name);
        if (f && pgd_is_recreated(d, "view", t->schema, t->name))
            f = NULL;
        if (f && !view_same_query(f, t))
            f = NULL;
        trigvec fv = {f ? f->triggers.v : NULL, f ? f->triggers.n : 0}, tv = {t->triggers.v, t->triggers.n};
        diff_triggers(d, t->schema, t->name, f ? &fv : NULL, &tv, false);
    }
}

/* ---- comments ------------------------------------------------------------------------- */

static void comment_change(pgd *d, cat_object_kind ok, const char *schema, const char *name, const char *sub,
                           const char *old, const char *new_comment, strbuf *target)
{
    if (pgd_str_eq(old, new_comment)) {
        strbuf_reset(target);
        return;
    }
    strbuf q = STRBUF_INIT;
    strbuf_adds(&q, "COMMENT ON ");
    strbuf_adds(&q, strbuf_str(target));
    strbuf_adds(&q, " IS ");
    if (new_comment)
        sql_quote_literal(&q, new_comment);
    else
        strbuf_adds(&q, "NULL");
    strbuf_adds(&q, ";\n");
    pgd_add(d, "comment", ok, schema, name, sub, PHASE_METADATA, 0, &q);
    strbuf_reset(target);
    strbuf_release(&q);
}

static void target_qname(strbuf *o, const char *what, const char *schema, const char *name)
{
    strbuf_addf(o, "%s ", what);
    pg_qname(o, schema, name);
}

static void target_sub(strbuf *o, const char *what, const char *name, const char *schema, const char *rel)
{
    strbuf_addf(o, "%s ", what);
    pg_ident(o, name);
    strbuf_adds(o, " ON ");
    pg_qname(o, schema, rel);
}

static void table_comments(pgd *d, const cat_table *t, const cat_table *f)
{
    strbuf tg = STRBUF_INIT;
    target_qname(&tg, "TABLE", t->schema, t->name);
    comment_change(d, OBJ_TABLE, t->schema, t->name, NULL, f ? f->comment : NULL, t->comment, &tg);
    for (size_t i = 0; i < t->columns.n; i++) {
        const cat_column *c = t->columns.v[i];
        const cat_column *fc = f ? catalog_column_find(f, c->name) : NULL;
        pg_qname(&tg, t->schema, t->name);
        strbuf_addch(&tg, '.');
        pg_ident(&tg, c->name);
        strbuf r = STRBUF_INIT;
        strbuf_adds(&r, "COLUMN ");
        strbuf_adds(&r, strbuf_str(&tg));
        strbuf_reset(&tg);
        comment_change(d, OBJ_COLUMN, t->schema, t->name, c->name, fc && fc->generated == c->generated ? fc->comment : NULL,
                       c->comment, &r);
        strbuf_release(&r);
    }
    for (size_t i = 0; i < t->constraints.n; i++) {
        const cat_constraint *k = t->constraints.v[i];
        if (!k->name)
            continue;
        const cat_constraint *fk = f ? catalog_constraint_find(f, k->name) : NULL;
        if (pgd_is_recreated(d, "constraint", t->schema, pgd_key(d, t->name, k->name)))
            fk = NULL;
        target_sub(&tg, "CONSTRAINT", k->name, t->schema, t->name);
        comment_change(d, OBJ_CONSTRAINT, t->schema, t->name, k->name, fk ? fk->comment : NULL, k->comment, &tg);
    }
    for (size_t i = 0; i < t->indexes.n; i++) {
        const cat_index *ix = t->indexes.v[i];
        const cat_index *fx = f ? catalog_index_find(d->from, ix->schema, ix->name) : NULL;
        if (pgd_is_recreated(d, "index", ix->schema, ix->name))
            fx = NULL;
        target_qname(&tg, "INDEX", ix->schema, ix->name);
        comment_change(d, OBJ_INDEX, ix->schema, ix->name, NULL, fx ? fx->comment : NULL, ix->comment, &tg);
    }
    for (size_t i = 0; i < t->triggers.n; i++) {
        const cat_trigger *x = t->triggers.v[i];
        const cat_trigger *fx = f ? catalog_trigger_find(f, x->name) : NULL;
        if (pgd_is_recreated(d, "trigger", t->schema, pgd_key(d, t->name, x->name)))
            fx = NULL;
        target_sub(&tg, "TRIGGER", x->name, t->schema, t->name);
        comment_change(d, OBJ_TRIGGER, t->schema, t->name, x->name, fx ? fx->comment : NULL, x->comment, &tg);
    }
    for (size_t i = 0; i < t->policies.n; i++) {
        const cat_policy *x = t->policies.v[i];
        const cat_policy *fx = f ? catalog_policy_find(f, x->name) : NULL;
        if (pgd_is_recreated(d, "policy", t->schema, pgd_key(d, t->name, x->name)))
            fx = NULL;
        target_sub(&tg, "POLICY", x->name, t->schema, t->name);
        comment_change(d, OBJ_POLICY, t->schema, t->name, x->name, fx ? fx->comment : NULL, x->comment, &tg);
    }
    strbuf_release(&tg);
}

static void view_comments(pgd *d, const cat_view *t, const cat_view *f)
{
    strbuf tg = STRBUF_INIT;
    target_qname(&tg, t->materialized ? "MATERIALIZED VIEW" : "VIEW", t->schema, t->name);
    comment_change(d, t->materialized ? OBJ_MATVIEW : OBJ_VIEW, t->schema, t->name, NULL, f ? f->comment : NULL,
                   t->comment, &tg);
    for (size_t i = 0; i < t->indexes.n; i++) {
        const cat_index *ix = t->indexes.v[i];
        const cat_index *fx = f ? catalog_index_find(d->from, ix->schema, ix->name) : NULL;
        if (pgd_is_recreated(d, "index", ix->schema, ix->name))
            fx = NULL;
        target_qname(&tg, "INDEX", ix->schema, ix->name);
        comment_change(d, OBJ_INDEX, ix->schema, ix->name, NULL, fx ? fx->comment : NULL, ix->comment, &tg);
    }
    for (size_t i = 0; i < t->triggers.n; i++) {
        const cat_trigger *x = t->triggers.v[i];
        const cat_trigger *fx = f ? catalog_view_trigger_find(f, x->name) : NULL;
        if (pgd_is_recreated(d, "trigger", t->schema, pgd_key(d, t->name, x->name)))
            fx = NULL;
        target_sub(&tg, "TRIGGER", x->name, t->schema, t->name);
        comment_change(d, OBJ_TRIGGER, t->schema, t->name, x->name, fx ? fx->comment : NULL, x->comment, &tg);
    }
    strbuf_release(&tg);
}

static void function_target(strbuf *o, const cat_function *f)
{
    strbuf_adds(o, f->is_procedure ? "PROCEDURE " : "FUNCTION ");
    pg_qname(o, f->schema, f->name);
    const char *paren = f->signature ? strchr(f->signature, '(') : NULL;
    strbuf_adds(o, paren ? paren : "()");
}

void pgd_comments(pgd *d)
{
    strbuf tg = STRBUF_INIT;
    for (size_t i = 0; i < d->to->schemas.n; i++) {
        const cat_schema *s = d->to->schemas.v[i], *f = catalog_schema_find(d->from, s->name);
        strbuf_adds(&tg, "SCHEMA ");
        pg_ident(&tg, s->name);
        comment_change(d, OBJ_SCHEMA, NULL, s->name, NULL, f ? f->comment : NULL, s->comment, &tg);
    }
    for (size_t i = 0; i < d->to->enums.n; i++) {
        const cat_enum *t = d->to->enums.v[i], *f = catalog_enum_find(d->from, t->schema, t->name);
        if (pgd_is_recreated(d, "type", t->schema, t->name))
            f = NULL;
        target_qname(&tg, "TYPE", t->schema, t->name);
        comment_change(d, OBJ_ENUM, t->schema, t->name, NULL, f ? f->comment : NULL, t->comment, &tg);
    }
    for (size_t i = 0; i < d->to->domains.n; i++) {
        const cat_domain *t = d->to->domains.v[i], *f = catalog_domain_find(d->from, t->schema, t->name);
        if (pgd_is_recreated(d, "domain", t->schema, t->name))
            f = NULL;
        target_qname(&tg, "DOMAIN", t->schema, t->name);
        comment_change(d, OBJ_DOMAIN, t->schema, t->name, NULL, f ? f->comment : NULL, t->comment, &tg);
    }
    for (size_t i = 0; i < d->to->composites.n; i++) {
        const cat_composite *t = d->to->composites.v[i], *f = catalog_composite_find(d->from, t->schema, t->name);
        if (pgd_is_recreated(d, "type", t->schema, t->name))
            f = NULL;
        target_qname(&tg, "TYPE", t->schema, t->name);
        comment_change(d, OBJ_COMPOSITE_TYPE, t->schema, t->name, NULL, f ? f->comment : NULL, t->comment, &tg);
    }
    for (size_t i = 0; i < d->to->sequences.n; i++) {
        const cat_sequence *t = d->to->sequences.v[i], *f = catalog_sequence_find(d->from, t->schema, t->name);
        target_qname(&tg, "SEQUENCE", t->schema, t->name);
        comment_change(d, OBJ_SEQUENCE, t->schema, t->name, NULL, f ? f->comment : NULL, t->comment, &tg);
    }
    for (size_t i = 0; i < d->to->functions.n; i++) {
        const cat_function *t = d->to->functions.v[i], *f = catalog_function_find(d->from, t->schema, t->signature);
        if (pgd_is_recreated(d, "function", t->schema, t->signature))
            f = NULL;
        function_target(&tg, t);
        comment_change(d, OBJ_FUNCTION, t->schema, t->signature, NULL, f ? f->comment : NULL, t->comment, &tg);
    }
    for (size_t i = 0; i < d->to->tables.n; i++) {
        const cat_table *t = d->to->tables.v[i], *f = catalog_table_find(d->from, t->schema, t->name);
        if (pgd_is_recreated(d, "table", t->schema, t->name))
            f = NULL;
        table_comments(d, t, f);
    }
    for (size_t i = 0; i < d->to->views.n; i++) {
        const cat_view *t = d->to->views.v[i], *f = catalog_view_find(d->from, t->schema, t->name);
        if (pgd_is_recreated(d, "view", t->schema, t->name))
            f = NULL;
        view_comments(d, t, f);
    }
    strbuf_release(&tg);
}

/* ---- grants ------------------------------------------------------------------------------ */

static const char *grant_key(pgd *d, const cat_grant *g)
{
    return arena_printf(d->mem, "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%d", g->object_kind ? g->object_kind : "table",
                        g->schema ? g->schema : "", g->object ? g->object : "", g->column ? g->column : "",
                        g->grantee ? g->grantee : "", g->privilege ? g->privilege : "", g->with_grant_option);
}

static void grant_target(strbuf *o, const cat_grant *g)
{
    const char *k = g->object_kind ? g->object_kind : "table";
    const char *obj = g->object ? g->object : "";
    if (!strcmp(k, "schema")) {
        strbuf_adds(o, "SCHEMA ");
        pg_ident(o, g->object ? g->object : g->schema);
    } else if (!strcmp(k, "function") || !strcmp(k, "procedure")) {
        strbuf_adds(o, !strcmp(k, "function") ? "FUNCTION " : "PROCEDURE ");
        const char *paren = strchr(obj, '(');
        size_t n = paren ? (size_t)(paren - obj) : strlen(obj);
        strbuf name = STRBUF_INIT;
        strbuf_add(&name, obj, n);
        pg_qname(o, g->schema, strbuf_str(&name));
        strbuf_release(&name);
        strbuf_adds(o, paren ? paren : "()");
    } else if (!strcmp(k, "sequence")) {
        strbuf_adds(o, "SEQUENCE ");
        pg_qname(o, g->schema, obj);
    } else if (!strcmp(k, "type") || !strcmp(k, "domain")) {
        strbuf_adds(o, !strcmp(k, "type") ? "TYPE " : "DOMAIN ");
        pg_qname(o, g->schema, obj);
    } else {
        strbuf_adds(o, "TABLE ");
        pg_qname(o, g->schema, obj);
    }
}

static void grantee(strbuf *o, const char *role)
{
    if (!role || !strcmp(role, "public") || !strcmp(role, "PUBLIC"))
        strbuf_adds(o, "PUBLIC");
    else
        pg_ident(o, role);
}

static void grant_priv(strbuf *o, const cat_grant *g)
{
    strbuf_adds(o, g->privilege ? g->privilege : "ALL");
    if (g->column) {
        strbuf_adds(o, " (");
        pg_ident(o, g->column);
        strbuf_addch(o, ')');
    }
}

/* the grant's object was dropped and created again (its grants went with it) */
static bool grant_object_recreated(pgd *d, const cat_grant *g)
{
    const char *k = g->object_kind ? g->object_kind : "table";
    const char *s = g->schema ? g->schema : "public";
    if (!strcmp(k, "table") || !strcmp(k, "view"))
        return pgd_is_recreated(d, "table", s, g->object) || pgd_is_recreated(d, "view", s, g->object);
    if (!strcmp(k, "function") || !strcmp(k, "procedure"))
        return pgd_is_recreated(d, "function", s, g->object);
    if (!strcmp(k, "type"))
        return pgd_is_recreated(d, "type", s, g->object);
    if (!strcmp(k, "domain"))
        return pgd_is_recreated(d, "domain", s, g->object);
    return false;
}

/* the grant's object (and column) still exists in TO */
static bool grant_object_exists(pgd *d, const cat_grant *g)
{
    const char *k = g->object_kind ? g->object_kind : "table";
    const char *s = g->schema ? g->schema : "public";
    catalog *to = d->to;
    if (!strcmp(k, "schema"))
        return !strcmp(g->object ? g->object : "", "public") || catalog_schema_find(to, g->object);
    if (!strcmp(k, "function") || !strcmp(k, "procedure"))
        return catalog_function_find(to, s, g->object) != NULL;
    if (!strcmp(k, "sequence"))
        return catalog_sequence_find(to, s, g->object) != NULL;
    if (!strcmp(k, "type"))
        return catalog_enum_find(to, s, g->object) || catalog_composite_find(to, s, g->object);
    if (!strcmp(k, "domain"))
        return catalog_domain_find(to, s, g->object) != NULL;
    const cat_table *t = catalog_table_find(to, s, g->object);
    if (t)
        return !g->column || catalog_column_find(t, g->column);
    return catalog_view_find(to, s, g->object) != NULL;
}

void pgd_grants(pgd *d)
{
    hashmap fk, tk;
    hashmap_init(&fk, d->mem);
    hashmap_init(&tk, d->mem);
    for (size_t i = 0; i < d->from->grants.n; i++)
        if (!grant_object_recreated(d, d->from->grants.v[i]))
            hashmap_put(&fk, grant_key(d, d->from->grants.v[i]), (void *)1);
    for (size_t i = 0; i < d->to->grants.n; i++)
        hashmap_put(&tk, grant_key(d, d->to->grants.v[i]), (void *)1);
    strbuf q = STRBUF_INIT;
    for (size_t i = 0; i < d->from->grants.n; i++) {
        const cat_grant *g = d->from->grants.v[i];
        if (hashmap_get(&tk, grant_key(d, g)) || grant_object_recreated(d, g) || !grant_object_exists(d, g))
            continue;
        strbuf_adds(&q, "REVOKE ");
        grant_priv(&q, g);
        strbuf_adds(&q, " ON ");
        grant_target(&q, g);
        strbuf_adds(&q, " FROM ");
        grantee(&q, g->grantee);
        strbuf_adds(&q, ";\n");
        pgd_add(d, "revoke", OBJ_TABLE, g->schema, g->object, g->grantee, PHASE_METADATA, 0, &q)->order = 10;
    }
    for (size_t i = 0; i < d->to->grants.n; i++) {
        const cat_grant *g = d->to->grants.v[i];
        /* a privilege revoked above because only its grant option changed is granted again */
        if (hashmap_get(&fk, grant_key(d, g)))
            continue;
        strbuf_adds(&q, "GRANT ");
        grant_priv(&q, g);
        strbuf_adds(&q, " ON ");
        grant_target(&q, g);
        strbuf_adds(&q, " TO ");
        grantee(&q, g->grantee);
        strbuf_adds(&q, g->with_grant_option ? " WITH GRANT OPTION;\n" : ";\n");
        pgd_add(d, "grant", OBJ_TABLE, g->schema, g->object, g->grantee, PHASE_METADATA, 0, &q)->order = 20;
    }
    strbuf_release(&q);
    hashmap_release(&fk);
    hashmap_release(&tk);
}
