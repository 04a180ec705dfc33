/*
 * emit_pg.c — canonical PostgreSQL DDL for a catalog (emit_sql_pg).
 *
 * Applied with psql to an empty database it recreates the catalog.  Order:
 * schemas, extensions, types, sequences, routines, tables (inline keys and
 * checks), NOT VALID checks, OWNED BY, foreign keys (after all tables so
 * cycles work), indexes, views/matviews (depends_on order) with matview
 * indexes, triggers, RLS, policies (emit_pg_post.c), comments, grants
 * (emit_pg_meta.c).
 */
#include "emit/emit_pg.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void pg_ident(strbuf *o, const char *s)
{
    sql_quote_ident(o, DIALECT_PG, s);
}

void pg_qname(strbuf *o, const char *schema, const char *name)
{
    sql_quote_qualified(o, DIALECT_PG, schema, name);
}

void pg_ident_list(strbuf *o, const strvec *v)
{
    for (size_t i = 0; i < v->n; i++) {
        if (i)
            strbuf_adds(o, ", ");
        pg_ident(o, v->v[i]);
    }
}

/* Emit an expression/definition; newline when its last line holds a "--"
 * comment so what follows is not commented out. */
void pg_add_text(strbuf *o, const char *text)
{
    size_t start = o->len;
    emit_add_trimmed_stmt(o, text);
    const char *last = strrchr(strbuf_str(o) + start, '\n');
    if (strstr(last ? last : strbuf_str(o) + start, "--"))
        strbuf_addch(o, '\n');
}

/* ---- types ------------------------------------------------------------------ */

static void emit_schemas(strbuf *o, catalog *cat)
{
    for (size_t i = 0; i < cat->schemas.n; i++) {
        const char *n = cat->schemas.v[i]->name;
        if (!strcmp(n, "public"))
            continue;
        strbuf_adds(o, "CREATE SCHEMA ");
        pg_ident(o, n);
        strbuf_adds(o, ";\n");
    }
}

static void emit_extensions(strbuf *o, catalog *cat)
{
    for (size_t i = 0; i < cat->extensions.n; i++) {
        const cat_extension *e = cat->extensions.v[i];
        if (!strcmp(e->name, "plpgsql"))
            continue;
        strbuf_adds(o, "CREATE EXTENSION IF NOT EXISTS ");
        pg_ident(o, e->name);
        if (e->schema) {
            strbuf_adds(o, " WITH SCHEMA ");
            pg_ident(o, e->schema);
        }
        strbuf_adds(o, ";\n");
    }
}

static void emit_enums(strbuf *o, catalog *cat)
{
    for (size_t i = 0; i < cat->enums.n; i++) {
        const cat_enum *e = cat->enums.v[i];
        strbuf_adds(o, "CREATE TYPE ");
        pg_qname(o, e->schema, e->name);
        strbuf_adds(o, " AS ENUM (");
        for (size_t j = 0; j < e->labels.n; j++) {
            strbuf_adds(o, j ? ", " : "");
            sql_quote_literal(o, e->labels.v[j]);
        }
        strbuf_adds(o, ");\n");
    }
}

static void emit_collate(strbuf *o, const char *collation)
{
    if (!collation)
        return;
    strbuf_adds(o, " COLLATE ");
    pg_ident(o, collation);
}

void pg_emit_domain(strbuf *o, const cat_domain *d)
{
    strbuf_adds(o, "CREATE DOMAIN ");
    pg_qname(o, d->schema, d->name);
    strbuf_adds(o, " AS ");
    strbuf_adds(o, d->base_type ? d->base_type : d->base_type_written ? d->base_type_written : "text");
    emit_collate(o, d->collation);
    const char *def = emit_expr_text(d->default_expr, d->default_norm);
    if (def) {
        strbuf_adds(o, " DEFAULT ");
        pg_add_text(o, def);
    }
    if (d->not_null)
        strbuf_adds(o, " NOT NULL");
    for (size_t j = 0; j < d->checks.n; j++) {
        const cat_domain_check *c = &d->checks.v[j];
        strbuf_adds(o, "\n    ");
        if (c->name) {
            strbuf_adds(o, "CONSTRAINT ");
            pg_ident(o, c->name);
            strbuf_addch(o, ' ');
        }
        strbuf_adds(o, "CHECK (");
        pg_add_stable_expr(o, emit_expr_text(c->expr, c->expr_norm));
        strbuf_addch(o, ')');
    }
    strbuf_adds(o, ";\n");
}

static void emit_domains(strbuf *o, catalog *cat)
{
    for (size_t i = 0; i < cat->domains.n; i++)
        pg_emit_domain(o, cat->domains.v[i]);
}

static void emit_composites(strbuf *o, catalog *cat)
{
    for (size_t i = 0; i < cat->composites.n; i++) {
        const cat_composite *c = cat->composites.v[i];
        strbuf_adds(o, "CREATE TYPE ");
        pg_qname(o, c->schema, c->name);
        strbuf_adds(o, " AS (");
        for (size_t j = 0; j < c->attrs.n; j++) {
            strbuf_adds(o, j ? ",\n    " : "\n    ");
            pg_ident(o, c->attrs.v[j].name);
            strbuf_addch(o, ' ');
            strbuf_adds(o, c->attrs.v[j].type ? c->attrs.v[j].type : c->attrs.v[j].type_written);
        }
        strbuf_adds(o, c->attrs.n ? "\n);\n" : ");\n");
    }
}

static void emit_sequences(strbuf *o, catalog *cat)
{
    for (size_t i = 0; i < cat->sequences.n; i++) {
        const cat_sequence *s = cat->sequences.v[i];
        strbuf_adds(o, "CREATE SEQUENCE ");
        pg_qname(o, s->schema, s->name);
        strbuf_addf(o,
                    " AS %s START WITH %" PRId64 " INCREMENT BY %" PRId64 " MINVALUE %" PRId64
                    " MAXVALUE %" PRId64 " CACHE %" PRId64 "%s;\n",
                    s->type ? s->type : "bigint", s->start, s->increment, s->min_value,
                    s->max_value, s->cache, s->cycle ? " CYCLE" : " NO CYCLE");
    }
}

static void emit_owned_by(strbuf *o, catalog *cat)
{
    for (size_t i = 0; i < cat->sequences.n; i++) {
        const cat_sequence *s = cat->sequences.v[i];
        if (!s->owned_by_table || !s->owned_by_column)
            continue;
        const char *ts = s->schema, *tn = s->owned_by_table;
        if (!catalog_table_find(cat, ts, tn) && strchr(tn, '.'))
            emit_split_qualified(cat, tn, &ts, &tn);
        strbuf_adds(o, "ALTER SEQUENCE ");
        pg_qname(o, s->schema, s->name);
        strbuf_adds(o, " OWNED BY ");
        pg_qname(o, ts, tn);
        strbuf_addch(o, '.');
        pg_ident(o, s->owned_by_column);
        strbuf_adds(o, ";\n");
    }
}

/* ---- routines ----------------------------------------------------------- */

/* true when tag occurs in body+tag before the closing position */
static bool tag_clashes(const char *body, const char *tag)
{
    size_t bl = strlen(body), tl = strlen(tag);
    for (size_t i = 0; i < bl; i++)
        if (!strncmp(body + i, tag, bl - i < tl ? bl - i : tl) &&
            (bl - i >= tl || !strncmp(tag + (bl - i), tag, tl - (bl - i))))
            return true;
    return false;
}

void pg_dollar_quote(strbuf *o, const char *body)
{
    const char *b = body ? body : "";
    char tag[48] = "$$";
    for (int n = 0; tag_clashes(b, tag); n++) {
        if (n == 0)
            strcpy(tag, "$body$");
        else
            snprintf(tag, sizeof tag, "$body%d$", n);
    }
    strbuf_adds(o, tag);
    strbuf_adds(o, b);
    strbuf_adds(o, tag);
}

static void emit_func_args(strbuf *o, const cat_function *f)
{
    bool first = true;
    for (size_t j = 0; j < f->args.n; j++) {
        const cat_func_arg *a = &f->args.v[j];
        if (a->mode == 't')
            continue;
        strbuf_adds(o, first ? "" : ", ");
        first = false;
        switch (a->mode) {
        case 'o': strbuf_adds(o, "OUT "); break;
        case 'b': strbuf_adds(o, "INOUT "); break;
        case 'v': strbuf_adds(o, "VARIADIC "); break;
        default: break;
        }
        if (a->name && *a->name) {
            pg_ident(o, a->name);
            strbuf_addch(o, ' ');
        }
        strbuf_adds(o, a->type ? a->type : "unknown");
        const char *def = emit_expr_text(a->default_expr, a->default_norm);
        if (def) {
            strbuf_adds(o, " DEFAULT ");
            pg_add_text(o, def);
        }
    }
}

static const char *volatility_word(char v)
{
    return v == 'i' ? "IMMUTABLE" : v == 's' ? "STABLE" : "VOLATILE";
}

static const char *parallel_word(char p)
{
    return p == 's' ? "SAFE" : p == 'r' ? "RESTRICTED" : "UNSAFE";
}

/* LANGUAGE sql body in SQL-standard form (RETURN expr / BEGIN ATOMIC ... END) */
static bool sql_standard_body(const cat_function *f)
{
    if (!f->language || strcmp(f->language, "sql") || !f->body)
        return false;
    return emit_starts_with_words(f->body, "RETURN ") || emit_starts_with_words(f->body, "BEGIN ATOMIC");
}

void pg_emit_function(strbuf *o, const cat_function *f)
{
    strbuf_adds(o, f->is_procedure ? "CREATE PROCEDURE " : "CREATE FUNCTION ");
    pg_qname(o, f->schema, f->name);
    strbuf_addch(o, '(');
    emit_func_args(o, f);
    strbuf_adds(o, ")\n");
    if (!f->is_procedure)
        strbuf_addf(o, "    RETURNS %s\n", f->returns ? f->returns : "void");
    strbuf_adds(o, "    LANGUAGE ");
    pg_ident(o, f->language ? f->language : "sql");
    if (!f->is_procedure) {
        strbuf_addf(o, " %s", volatility_word(f->volatility));
        if (f->strict)
            strbuf_adds(o, " STRICT");
    }
    if (f->security_definer)
        strbuf_adds(o, " SECURITY DEFINER");
    if (!f->is_procedure) {
        if (f->leakproof)
            strbuf_adds(o, " LEAKPROOF");
        strbuf_addf(o, " PARALLEL %s", parallel_word(f->parallel));
    }
    if (sql_standard_body(f)) {
        strbuf_adds(o, "\n");
        emit_add_trimmed_stmt(o, f->body);
        strbuf_adds(o, ";\n");
        return;
    }
    strbuf_adds(o, "\n    AS ");
    pg_dollar_quote(o, f->body);
    strbuf_adds(o, ";\n");
}

/* ---- routines that use relation row types ---------------------------------- */

/* `type` (an argument or result type) is exactly relation type `rel`, allowing
 * SETOF and array suffixes; TABLE(name type, ...) checks each column type */
static bool type_is(const char *type, const char *rel)
{
    if (!type)
        return false;
    size_t n = strlen(type);
    if (!strncmp(type, "TABLE(", 6) && n > 7 && type[n - 1] == ')') {
        const char *p = type + 6, *end = type + n - 1;
        while (p < end) {
            const char *comma = p;
            int depth = 0;
            bool quoted = false;
            for (; comma < end && (depth || quoted || *comma != ','); comma++) {
                if (*comma == '"')
                    quoted = !quoted;
                else if (!quoted && *comma == '(')
                    depth++;
                else if (!quoted && *comma == ')')
                    depth--;
            }
            const char *sp = p;
            bool q = false;
            while (sp < comma && (q || *sp != ' '))
                q ^= *sp++ == '"';
            while (sp < comma && *sp == ' ')
                sp++;
            strbuf part = STRBUF_INIT;
            strbuf_add(&part, sp, (size_t)(comma - sp));
            bool hit = type_is(strbuf_str(&part), rel);
            strbuf_release(&part);
            if (hit)
                return true;
            p = comma < end ? comma + 1 : end;
            while (p < end && *p == ' ')
                p++;
        }
        return false;
    }
    if (!strncmp(type, "SETOF ", 6))
        type += 6, n -= 6;
    while (n >= 2 && type[n - 2] == '[' && type[n - 1] == ']')
        n -= 2;
    return strlen(rel) == n && !strncmp(type, rel, n);
}

static bool function_uses_type(const cat_function *f, const char *rel)
{
    if (type_is(f->returns, rel))
        return true;
    for (size_t i = 0; i < f->args.n; i++)
        if (type_is(f->args.v[i].type, rel))
            return true;
    return false;
}

static bool uses_relation(const cat_function *f, const char *schema, const char *name)
{
    strbuf q = STRBUF_INIT;
    pg_qname(&q, schema, name);
    bool hit = function_uses_type(f, strbuf_str(&q));
    strbuf_release(&q);
    return hit;
}

/* 0: before tables; 1: after tables (a table row type); 2: after views */
static int routine_tier(const catalog *cat, const cat_function *f)
{
    int tier = 0;
    for (size_t i = 0; i < cat->views.n && tier < 2; i++)
        if (uses_relation(f, cat->views.v[i]->schema, cat->views.v[i]->name))
            tier = 2;
    for (size_t i = 0; i < cat->tables.n && tier < 1; i++)
        if (uses_relation(f, cat->tables.v[i]->schema, cat->tables.v[i]->name))
            tier = 1;
    return tier;
}

static void emit_routines(strbuf *o, const catalog *cat, const int *tiers, int tier)
{
    for (size_t i = 0; i < cat->functions.n; i++)
        if (tiers[i] == tier)
            pg_emit_function(o, cat->functions.v[i]);
}

/* extensions outside public: put their schemas on the search path so that
 * unqualified operator classes, types and functions of theirs resolve */
static void emit_search_path(strbuf *o, const catalog *cat)
{
    bool any = false;
    for (size_t i = 0; i < cat->extensions.n; i++) {
        const char *s = cat->extensions.v[i]->schema;
        if (!s || !strcmp(s, "public") || !strcmp(s, "pg_catalog"))
            continue;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = cat->extensions.v[j]->schema && !strcmp(cat->extensions.v[j]->schema, s);
        if (seen)
            continue;
        strbuf_adds(o, any ? ", " : "SET search_path = public, ");
        any = true;
        pg_ident(o, s);
    }
    if (any)
        strbuf_adds(o, ";\n");
}

/* ---- driver --------------------------------------------------------------- */

static void header_line(strbuf *o, const char *source)
{
    strbuf_adds(o, "-- dbsage inspect: ");
    for (const char *p = source ? source : ""; *p; p++)
        strbuf_addch(o, *p == '\n' || *p == '\r' ? ' ' : *p);
    strbuf_addch(o, '\n');
}

void emit_sql_pg(strbuf *out, catalog *cat, const emit_opts *opts)
{
    catalog_sort(cat);
    if (!opts || opts->header)
        header_line(out, cat->source);
    strbuf_adds(out, "SET check_function_bodies = false;\n");
    emit_schemas(out, cat);
    emit_extensions(out, cat);
    emit_search_path(out, cat);
    emit_enums(out, cat);
    emit_domains(out, cat);
    emit_composites(out, cat);
    emit_sequences(out, cat);
    int *tiers = arena_alloc(&cat->mem, (cat->functions.n + 1) * sizeof(int));
    for (size_t i = 0; i < cat->functions.n; i++)
        tiers[i] = routine_tier(cat, cat->functions.v[i]);
    emit_routines(out, cat, tiers, 0);
    cat_table **tables = emit_tables_in_order(cat);
    for (size_t i = 0; i < cat->tables.n; i++)
        pg_emit_table(out, cat, tables[i]);
    emit_routines(out, cat, tiers, 1);
    for (size_t i = 0; i < cat->tables.n; i++)
        pg_emit_not_valid_checks(out, cat, tables[i]);
    emit_owned_by(out, cat);
    for (size_t i = 0; i < cat->tables.n; i++)
        pg_emit_foreign_keys(out, cat, tables[i]);
    for (size_t i = 0; i < cat->tables.n; i++)
        for (size_t j = 0; j < tables[i]->indexes.n; j++)
            pg_emit_index(out, tables[i]->indexes.v[j]);
    cat_view **views = emit_views_in_dependency_order(cat);
    for (size_t i = 0; i < cat->views.n; i++)
        pg_emit_view(out, views[i]);
    emit_routines(out, cat, tiers, 2);
    for (size_t i = 0; i < cat->tables.n; i++)
        for (size_t j = 0; j < cat->tables.v[i]->triggers.n; j++)
            pg_emit_trigger(out, cat->tables.v[i]->triggers.v[j]);
    for (size_t i = 0; i < cat->views.n; i++)
        for (size_t j = 0; j < views[i]->triggers.n; j++)
            pg_emit_trigger(out, views[i]->triggers.v[j]);
    for (size_t i = 0; i < cat->tables.n; i++)
        pg_emit_rls(out, cat->tables.v[i]);
    for (size_t i = 0; i < cat->tables.n; i++)
        for (size_t j = 0; j < cat->tables.v[i]->policies.n; j++)
            pg_emit_policy(out, cat->tables.v[i]->policies.v[j]);
    pg_emit_comments(out, cat);
    pg_emit_grants(out, cat);
}
