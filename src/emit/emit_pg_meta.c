/*
 * emit_pg_meta.c — PostgreSQL DDL that decorates existing objects:
 * triggers, row level security, policies, COMMENT ON and GRANT statements
 * (privileges grouped per object, column, grantee and grant option).
 */
#include "emit/emit_pg.h"

#include <string.h>

void pg_emit_trigger(strbuf *o, const cat_trigger *tg)
{
    strbuf_adds(o, tg->constraint_trigger ? "CREATE CONSTRAINT TRIGGER " : "CREATE TRIGGER ");
    pg_ident(o, tg->name);
    strbuf_addf(o, " %s ", tg->timing ? tg->timing : "AFTER");
    for (size_t i = 0; i < tg->events.n; i++) {
        strbuf_adds(o, i ? " OR " : "");
        strbuf_adds(o, tg->events.v[i]);
        if (!strcmp(tg->events.v[i], "UPDATE") && tg->update_columns.n) {
            strbuf_adds(o, " OF ");
            pg_ident_list(o, &tg->update_columns);
        }
    }
    strbuf_adds(o, " ON ");
    pg_qname(o, tg->schema, tg->table);
    if (tg->constraint_trigger) {
        if (tg->deferrable)
            strbuf_adds(o, " DEFERRABLE");
        if (tg->initially_deferred)
            strbuf_adds(o, " INITIALLY DEFERRED");
    }
    strbuf_adds(o, tg->for_each_row ? " FOR EACH ROW" : " FOR EACH STATEMENT");
    const char *when = emit_expr_text(tg->when_expr, tg->when_norm);
    if (when) {
        strbuf_adds(o, " WHEN (");
        pg_add_text(o, when);
        strbuf_addch(o, ')');
    }
    strbuf_adds(o, " EXECUTE FUNCTION ");
    pg_qname(o, tg->function_schema, tg->function_name);
    strbuf_addch(o, '(');
    for (size_t i = 0; i < tg->function_args.n; i++) {
        strbuf_adds(o, i ? ", " : "");
        sql_quote_literal(o, tg->function_args.v[i]);
    }
    strbuf_adds(o, ");\n");
}

void pg_emit_rls(strbuf *o, const cat_table *t)
{
    if (t->rls_enabled) {
        strbuf_adds(o, "ALTER TABLE ");
        pg_qname(o, t->schema, t->name);
        strbuf_adds(o, " ENABLE ROW LEVEL SECURITY;\n");
    }
    if (t->rls_forced) {
        strbuf_adds(o, "ALTER TABLE ");
        pg_qname(o, t->schema, t->name);
        strbuf_adds(o, " FORCE ROW LEVEL SECURITY;\n");
    }
}

static void emit_role(strbuf *o, const char *role)
{
    if (!role || !strcmp(role, "public") || !strcmp(role, "PUBLIC"))
        strbuf_adds(o, "PUBLIC");
    else
        pg_ident(o, role);
}

void pg_emit_policy(strbuf *o, const cat_policy *p)
{
    strbuf_adds(o, "CREATE POLICY ");
    pg_ident(o, p->name);
    strbuf_adds(o, " ON ");
    pg_qname(o, p->schema, p->table);
    strbuf_adds(o, p->permissive ? " AS PERMISSIVE" : " AS RESTRICTIVE");
    strbuf_addf(o, " FOR %s", p->command ? p->command : "ALL");
    if (p->roles.n) {
        strbuf_adds(o, " TO ");
        for (size_t i = 0; i < p->roles.n; i++) {
            strbuf_adds(o, i ? ", " : "");
            emit_role(o, p->roles.v[i]);
        }
    }
    const char *u = emit_expr_text(p->using_expr, p->using_norm);
    if (u) {
        strbuf_adds(o, " USING (");
        pg_add_text(o, u);
        strbuf_addch(o, ')');
    }
    const char *c = emit_expr_text(p->check_expr, p->check_norm);
    if (c) {
        strbuf_adds(o, " WITH CHECK (");
        pg_add_text(o, c);
        strbuf_addch(o, ')');
    }
    strbuf_adds(o, ";\n");
}

/* ---- comments ---------------------------------------------------------------- */

static void comment_is(strbuf *o, const char *comment)
{
    strbuf_adds(o, " IS ");
    sql_quote_literal(o, comment);
    strbuf_adds(o, ";\n");
}

static void comment_on(strbuf *o, const char *what, const char *schema, const char *name,
                       const char *comment)
{
    if (!comment)
        return;
    strbuf_addf(o, "COMMENT ON %s ", what);
    pg_qname(o, schema, name);
    comment_is(o, comment);
}

/* COMMENT ON TRIGGER/POLICY/CONSTRAINT name ON relation */
static void comment_on_sub(strbuf *o, const char *what, const char *name, const char *rel_schema,
                           const char *rel_name, const char *comment)
{
    if (!comment)
        return;
    strbuf_addf(o, "COMMENT ON %s ", what);
    pg_ident(o, name);
    strbuf_adds(o, " ON ");
    pg_qname(o, rel_schema, rel_name);
    comment_is(o, comment);
}

/* "(type, type)" over the input arguments */
static void func_arg_types(strbuf *o, const cat_function *f)
{
    strbuf_addch(o, '(');
    bool first = true;
    for (size_t i = 0; i < f->args.n; i++) {
        char m = f->args.v[i].mode;
        if (m == 'o' || m == 't')
            continue;
        strbuf_adds(o, first ? "" : ", ");
        first = false;
        if (m == 'v')
            strbuf_adds(o, "VARIADIC ");
        strbuf_adds(o, f->args.v[i].type ? f->args.v[i].type : "unknown");
    }
    strbuf_addch(o, ')');
}

static void emit_table_comments(strbuf *o, const cat_table *t)
{
    comment_on(o, "TABLE", t->schema, t->name, t->comment);
    for (size_t i = 0; i < t->columns.n; i++) {
        const cat_column *c = t->columns.v[i];
        if (!c->comment)
            continue;
        strbuf_adds(o, "COMMENT ON COLUMN ");
        pg_qname(o, t->schema, t->name);
        strbuf_addch(o, '.');
        pg_ident(o, c->name);
        comment_is(o, c->comment);
    }
    for (size_t i = 0; i < t->constraints.n; i++)
        if (t->constraints.v[i]->name)
            comment_on_sub(o, "CONSTRAINT", t->constraints.v[i]->name, t->schema, t->name,
                           t->constraints.v[i]->comment);
    for (size_t i = 0; i < t->indexes.n; i++)
        comment_on(o, "INDEX", t->indexes.v[i]->schema, t->indexes.v[i]->name,
                   t->indexes.v[i]->comment);
    for (size_t i = 0; i < t->triggers.n; i++)
        comment_on_sub(o, "TRIGGER", t->triggers.v[i]->name, t->schema, t->name,
                       t->triggers.v[i]->comment);
    for (size_t i = 0; i < t->policies.n; i++)
        comment_on_sub(o, "POLICY", t->policies.v[i]->name, t->schema, t->name,
                       t->policies.v[i]->comment);
}

void pg_emit_comments(strbuf *o, catalog *cat)
{
    for (size_t i = 0; i < cat->schemas.n; i++)
        if (cat->schemas.v[i]->comment) {
            strbuf_adds(o, "COMMENT ON SCHEMA ");
            pg_ident(o, cat->schemas.v[i]->name);
            comment_is(o, cat->schemas.v[i]->comment);
        }
    for (size_t i = 0; i < cat->enums.n; i++)
        comment_on(o, "TYPE", cat->enums.v[i]->schema, cat->enums.v[i]->name, cat->enums.v[i]->comment);
    for (size_t i = 0; i < cat->domains.n; i++)
        comment_on(o, "DOMAIN", cat->domains.v[i]->schema, cat->domains.v[i]->name,
                   cat->domains.v[i]->comment);
    for (size_t i = 0; i < cat->composites.n; i++)
        comment_on(o, "TYPE", cat->composites.v[i]->schema, cat->composites.v[i]->name,
                   cat->composites.v[i]->comment);
    for (size_t i = 0; i < cat->sequences.n; i++)
        comment_on(o, "SEQUENCE", cat->sequences.v[i]->schema, cat->sequences.v[i]->name,
                   cat->sequences.v[i]->comment);
    for (size_t i = 0; i < cat->functions.n; i++) {
        const cat_function *f = cat->functions.v[i];
        if (!f->comment)
            continue;
        strbuf_adds(o, f->is_procedure ? "COMMENT ON PROCEDURE " : "COMMENT ON FUNCTION ");
        pg_qname(o, f->schema, f->name);
        func_arg_types(o, f);
        comment_is(o, f->comment);
    }
    for (size_t i = 0; i < cat->tables.n; i++)
        emit_table_comments(o, cat->tables.v[i]);
    for (size_t i = 0; i < cat->views.n; i++) {
        const cat_view *v = cat->views.v[i];
        comment_on(o, v->materialized ? "MATERIALIZED VIEW" : "VIEW", v->schema, v->name, v->comment);
        for (size_t j = 0; j < v->indexes.n; j++)
            comment_on(o, "INDEX", v->indexes.v[j]->schema, v->indexes.v[j]->name,
                       v->indexes.v[j]->comment);
        for (size_t j = 0; j < v->triggers.n; j++)
            comment_on_sub(o, "TRIGGER", v->triggers.v[j]->name, v->schema, v->name,
                           v->triggers.v[j]->comment);
    }
}

/* ---- grants -------------------------------------------------------------------- */

static bool str_eq(const char *a, const char *b)
{
    return !strcmp(a ? a : "", b ? b : "");
}

static bool same_target(const cat_grant *a, const cat_grant *b)
{
    return str_eq(a->object_kind, b->object_kind) && str_eq(a->schema, b->schema) &&
           str_eq(a->object, b->object) && str_eq(a->column, b->column) &&
           str_eq(a->grantee, b->grantee);
}

/* "name(args)" signature -> qualified name + "(args)" */
static void emit_routine_target(strbuf *o, const char *schema, const char *sig)
{
    const char *paren = strchr(sig, '(');
    size_t n = paren ? (size_t)(paren - sig) : strlen(sig);
    strbuf name = STRBUF_INIT;
    strbuf_add(&name, sig, n);
    pg_qname(o, schema, strbuf_str(&name));
    strbuf_release(&name);
    strbuf_adds(o, paren ? paren : "()");
}

static void emit_grant_target(strbuf *o, const cat_grant *g)
{
    const char *k = g->object_kind ? g->object_kind : "table";
    const char *obj = g->object ? g->object : "";
    if (!strcmp(k, "schema")) {
        strbuf_adds(o, "SCHEMA ");
        pg_ident(o, g->object ? g->object : g->schema);
    } else if (!strcmp(k, "function") || !strcmp(k, "procedure")) {
        strbuf_adds(o, !strcmp(k, "function") ? "FUNCTION " : "PROCEDURE ");
        emit_routine_target(o, g->schema, obj);
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

void pg_emit_grants(strbuf *o, catalog *cat)
{
    size_t n = cat->grants.n;
    arena scratch;
    arena_init(&scratch);
    bool *done = arena_alloc(&scratch, (n + 1) * sizeof(bool));
    for (size_t i = 0; i < n; i++) {
        if (done[i])
            continue;
        const cat_grant *g = cat->grants.v[i];
        strbuf_adds(o, "GRANT ");
        bool first = true;
        for (size_t j = i; j < n && same_target(g, cat->grants.v[j]); j++) {
            const cat_grant *h = cat->grants.v[j];
            if (done[j] || h->with_grant_option != g->with_grant_option)
                continue;
            done[j] = true;
            strbuf_adds(o, first ? "" : ", ");
            first = false;
            strbuf_adds(o, h->privilege ? h->privilege : "ALL");
            if (g->column) {
                strbuf_adds(o, " (");
                pg_ident(o, g->column);
                strbuf_addch(o, ')');
            }
        }
        strbuf_adds(o, " ON ");
        emit_grant_target(o, g);
        strbuf_adds(o, " TO ");
        emit_role(o, g->grantee);
        strbuf_adds(o, g->with_grant_option ? " WITH GRANT OPTION;\n" : ";\n");
    }
    arena_free(&scratch);
}
