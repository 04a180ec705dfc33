/*
 * emit_markdown.c — human-readable Markdown listing of a catalog
 * (emit_markdown): per table a column table, constraints, indexes,
 * triggers, policies and RLS; then views, functions, types, sequences and
 * extensions.
 */
#include "emit/emit_internal.h"

#include <inttypes.h>
#include <string.h>

/* text safe inside a table cell / list item: '|' escaped, newlines as spaces */
static void md_text(strbuf *o, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '|')
            strbuf_adds(o, "\\|");
        else if (*p == '\n' || *p == '\r' || *p == '\t')
            strbuf_addch(o, ' ');
        else
            strbuf_addch(o, *p);
    }
}

static void md_list(strbuf *o, const strvec *v)
{
    for (size_t i = 0; i < v->n; i++) {
        strbuf_adds(o, i ? ", " : "");
        md_text(o, v->v[i]);
    }
}

static void md_column_default(strbuf *o, const cat_column *c)
{
    if (c->generated) {
        strbuf_adds(o, "generated: ");
        md_text(o, emit_expr_text(c->generated_expr, c->generated_norm));
    } else if (c->identity) {
        strbuf_adds(o, c->identity == 'a' ? "identity always" : "identity by default");
    } else {
        md_text(o, emit_expr_text(c->default_expr, c->default_norm));
    }
}

static void md_columns(strbuf *o, const cat_table *t)
{
    strbuf_adds(o, "| column | type | null | default | comment |\n");
    strbuf_adds(o, "|---|---|---|---|---|\n");
    for (size_t i = 0; i < t->columns.n; i++) {
        const cat_column *c = t->columns.v[i];
        strbuf_adds(o, "| ");
        md_text(o, c->name);
        strbuf_adds(o, " | ");
        md_text(o, c->type && *c->type ? c->type : c->type_written);
        if (c->collation) {
            strbuf_adds(o, " collate ");
            md_text(o, c->collation);
        }
        strbuf_adds(o, c->not_null ? " | no | " : " | yes | ");
        md_column_default(o, c);
        strbuf_adds(o, " | ");
        md_text(o, c->comment);
        strbuf_adds(o, " |\n");
    }
}

static void md_constraint(strbuf *o, const cat_constraint *k)
{
    strbuf_adds(o, "- ");
    md_text(o, k->name ? k->name : "(unnamed)");
    strbuf_adds(o, ": ");
    switch (k->kind) {
    case CON_PRIMARY: strbuf_adds(o, "PRIMARY KEY ("); break;
    case CON_UNIQUE: strbuf_adds(o, "UNIQUE ("); break;
    case CON_FOREIGN: strbuf_adds(o, "FOREIGN KEY ("); break;
    case CON_NOT_NULL: strbuf_adds(o, "NOT NULL ("); break;
    case CON_EXCLUDE: strbuf_adds(o, "EXCLUDE ("); break;
    case CON_CHECK: strbuf_adds(o, "CHECK ("); break;
    }
    if (k->kind == CON_CHECK)
        md_text(o, emit_expr_text(k->expr, k->expr_norm));
    else if (k->kind == CON_EXCLUDE)
        md_list(o, &k->exclude_elems);
    else
        md_list(o, &k->columns);
    strbuf_addch(o, ')');
    if (k->kind == CON_FOREIGN) {
        strbuf_adds(o, " → ");
        if (k->ref_schema) {
            md_text(o, k->ref_schema);
            strbuf_addch(o, '.');
        }
        md_text(o, k->ref_table);
        strbuf_adds(o, " (");
        md_list(o, &k->ref_columns);
        const char *del = emit_fk_action_words(k->on_delete), *upd = emit_fk_action_words(k->on_update);
        strbuf_addf(o, ") on delete %s, on update %s", del ? del : "NO ACTION", upd ? upd : "NO ACTION");
    }
    if (k->deferrable)
        strbuf_adds(o, k->initially_deferred ? ", deferrable initially deferred" : ", deferrable");
    if (k->not_valid)
        strbuf_adds(o, ", not valid");
    strbuf_addch(o, '\n');
}

static void md_index(strbuf *o, const cat_index *ix)
{
    strbuf_adds(o, "- ");
    md_text(o, ix->name);
    strbuf_adds(o, ": ");
    if (ix->unique)
        strbuf_adds(o, "UNIQUE ");
    if (ix->method)
        strbuf_addf(o, "%s ", ix->method);
    strbuf_addch(o, '(');
    for (size_t i = 0; i < ix->elems.n; i++) {
        const cat_index_elem *e = &ix->elems.v[i];
        strbuf_adds(o, i ? ", " : "");
        md_text(o, e->column ? e->column : emit_expr_text(e->expr, e->expr_norm));
        if (e->desc)
            strbuf_adds(o, " DESC");
    }
    strbuf_addch(o, ')');
    const char *where = emit_expr_text(ix->where_expr, ix->where_norm);
    if (where) {
        strbuf_adds(o, " WHERE ");
        md_text(o, where);
    }
    strbuf_addch(o, '\n');
}

static void md_trigger(strbuf *o, const cat_trigger *tg)
{
    strbuf_adds(o, "- ");
    md_text(o, tg->name);
    strbuf_adds(o, ": ");
    md_text(o, tg->timing);
    strbuf_addch(o, ' ');
    for (size_t i = 0; i < tg->events.n; i++) {
        strbuf_adds(o, i ? " OR " : "");
        md_text(o, tg->events.v[i]);
    }
    strbuf_adds(o, tg->for_each_row ? " FOR EACH ROW" : " FOR EACH STATEMENT");
    if (tg->function_name) {
        strbuf_adds(o, " → ");
        md_text(o, tg->function_name);
        strbuf_adds(o, "()");
    }
    strbuf_addch(o, '\n');
}

static void md_policy(strbuf *o, const cat_policy *p)
{
    strbuf_adds(o, "- ");
    md_text(o, p->name);
    strbuf_addf(o, ": %s FOR %s TO ", p->permissive ? "PERMISSIVE" : "RESTRICTIVE",
                p->command ? p->command : "ALL");
    md_list(o, &p->roles);
    const char *u = emit_expr_text(p->using_expr, p->using_norm);
    const char *c = emit_expr_text(p->check_expr, p->check_norm);
    if (u) {
        strbuf_adds(o, " USING (");
        md_text(o, u);
        strbuf_addch(o, ')');
    }
    if (c) {
        strbuf_adds(o, " WITH CHECK (");
        md_text(o, c);
        strbuf_addch(o, ')');
    }
    strbuf_addch(o, '\n');
}

#define MD_SECTION(o, title, vec, fn)                    \
    do {                                                 \
        if ((vec).n) {                                   \
            strbuf_adds((o), "\n**" title "**\n\n");     \
            for (size_t i_ = 0; i_ < (vec).n; i_++)      \
                fn((o), (vec).v[i_]);                    \
        }                                                \
    } while (0)

static void md_table(strbuf *o, const cat_table *t)
{
    strbuf_adds(o, "\n## ");
    md_text(o, t->schema);
    strbuf_addch(o, '.');
    md_text(o, t->name);
    strbuf_adds(o, "\n\n");
    if (t->comment) {
        md_text(o, t->comment);
        strbuf_adds(o, "\n\n");
    }
    md_columns(o, t);
    MD_SECTION(o, "Constraints", t->constraints, md_constraint);
    MD_SECTION(o, "Indexes", t->indexes, md_index);
    MD_SECTION(o, "Triggers", t->triggers, md_trigger);
    MD_SECTION(o, "Policies", t->policies, md_policy);
    if (t->rls_enabled || t->rls_forced)
        strbuf_addf(o, "\nRow level security: %s%s\n", t->rls_enabled ? "enabled" : "disabled",
                    t->rls_forced ? ", forced" : "");
}

static void md_qname(strbuf *o, const char *schema, const char *name)
{
    md_text(o, schema);
    strbuf_addch(o, '.');
    md_text(o, name);
}

static void md_views(strbuf *o, const catalog *cat)
{
    if (!cat->views.n)
        return;
    strbuf_adds(o, "\n## Views\n\n");
    for (size_t i = 0; i < cat->views.n; i++) {
        const cat_view *v = cat->views.v[i];
        strbuf_adds(o, "- ");
        md_qname(o, v->schema, v->name);
        if (v->materialized)
            strbuf_adds(o, " (materialized)");
        if (v->comment) {
            strbuf_adds(o, ": ");
            md_text(o, v->comment);
        }
        strbuf_addch(o, '\n');
        for (size_t j = 0; j < v->indexes.n; j++) {
            strbuf_adds(o, "  ");
            md_index(o, v->indexes.v[j]);
        }
        for (size_t j = 0; j < v->triggers.n; j++) {
            strbuf_adds(o, "  ");
            md_trigger(o, v->triggers.v[j]);
        }
    }
}

static void md_functions(strbuf *o, const catalog *cat)
{
    if (!cat->functions.n)
        return;
    strbuf_adds(o, "\n## Functions\n\n");
    for (size_t i = 0; i < cat->functions.n; i++) {
        const cat_function *f = cat->functions.v[i];
        strbuf_adds(o, "- ");
        md_qname(o, f->schema, f->signature ? f->signature : f->name);
        if (f->is_procedure)
            strbuf_adds(o, " (procedure)");
        else {
            strbuf_adds(o, " → ");
            md_text(o, f->returns);
        }
        strbuf_adds(o, ", ");
        md_text(o, f->language);
        if (f->comment) {
            strbuf_adds(o, ": ");
            md_text(o, f->comment);
        }
        strbuf_addch(o, '\n');
    }
}

static void md_types(strbuf *o, const catalog *cat)
{
    if (!cat->enums.n && !cat->domains.n && !cat->composites.n)
        return;
    strbuf_adds(o, "\n## Types\n\n");
    for (size_t i = 0; i < cat->enums.n; i++) {
        strbuf_adds(o, "- ");
        md_qname(o, cat->enums.v[i]->schema, cat->enums.v[i]->name);
        strbuf_adds(o, ": enum (");
        md_list(o, &cat->enums.v[i]->labels);
        strbuf_adds(o, ")\n");
    }
    for (size_t i = 0; i < cat->domains.n; i++) {
        const cat_domain *d = cat->domains.v[i];
        strbuf_adds(o, "- ");
        md_qname(o, d->schema, d->name);
        strbuf_adds(o, ": domain over ");
        md_text(o, d->base_type ? d->base_type : d->base_type_written);
        if (d->not_null)
            strbuf_adds(o, " NOT NULL");
        strbuf_addch(o, '\n');
    }
    for (size_t i = 0; i < cat->composites.n; i++) {
        const cat_composite *c = cat->composites.v[i];
        strbuf_adds(o, "- ");
        md_qname(o, c->schema, c->name);
        strbuf_adds(o, ": composite (");
        for (size_t j = 0; j < c->attrs.n; j++) {
            strbuf_adds(o, j ? ", " : "");
            md_text(o, c->attrs.v[j].name);
            strbuf_addch(o, ' ');
            md_text(o, c->attrs.v[j].type);
        }
        strbuf_adds(o, ")\n");
    }
}

static void md_sequences_extensions(strbuf *o, const catalog *cat)
{
    if (cat->sequences.n)
        strbuf_adds(o, "\n## Sequences\n\n");
    for (size_t i = 0; i < cat->sequences.n; i++) {
        const cat_sequence *s = cat->sequences.v[i];
        strbuf_adds(o, "- ");
        md_qname(o, s->schema, s->name);
        strbuf_addf(o, ": %s start %" PRId64 " increment %" PRId64, s->type ? s->type : "bigint",
                    s->start, s->increment);
        if (s->owned_by_table) {
            strbuf_adds(o, ", owned by ");
            md_text(o, s->owned_by_table);
            strbuf_addch(o, '.');
            md_text(o, s->owned_by_column);
        }
        strbuf_addch(o, '\n');
    }
    if (cat->extensions.n)
        strbuf_adds(o, "\n## Extensions\n\n");
    for (size_t i = 0; i < cat->extensions.n; i++) {
        strbuf_adds(o, "- ");
        md_text(o, cat->extensions.v[i]->name);
        if (cat->extensions.v[i]->schema) {
            strbuf_adds(o, " (schema ");
            md_text(o, cat->extensions.v[i]->schema);
            strbuf_addch(o, ')');
        }
        strbuf_addch(o, '\n');
    }
}

void emit_markdown(strbuf *out, catalog *cat, const emit_opts *opts)
{
    (void)opts;
    catalog_sort(cat);
    strbuf_adds(out, "# Schema\n");
    if (cat->source) {
        strbuf_adds(out, "\nSource: ");
        md_text(out, cat->source);
        strbuf_addch(out, '\n');
    }
    for (size_t i = 0; i < cat->tables.n; i++)
        md_table(out, cat->tables.v[i]);
    md_views(out, cat);
    md_functions(out, cat);
    md_types(out, cat);
    md_sequences_extensions(out, cat);
}
