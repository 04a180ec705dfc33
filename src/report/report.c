/*
 * report.c — owns: the schema report's shared helpers (escaping, constraint
 * and index descriptions), the format choice, and the Markdown and JSON
 * renderers.  The HTML renderer is report_html.c.
 */
#include <string.h>
#include <strings.h>

#include "report/report.h"

void report_html_escape(strbuf *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': strbuf_adds(out, "&amp;"); break;
        case '<': strbuf_adds(out, "&lt;"); break;
        case '>': strbuf_adds(out, "&gt;"); break;
        case '"': strbuf_adds(out, "&quot;"); break;
        case '\'': strbuf_adds(out, "&#39;"); break;
        default: strbuf_addch(out, *s);
        }
    }
}

void report_md_escape(strbuf *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '|': strbuf_adds(out, "\\|"); break;
        case '\n': strbuf_adds(out, "<br>"); break;
        case '\r': break;
        case '<': strbuf_adds(out, "&lt;"); break;
        case '>': strbuf_adds(out, "&gt;"); break;
        case '&': strbuf_adds(out, "&amp;"); break;
        case '`': case '*': case '_': case '[': case ']': case '\\':
            strbuf_addch(out, '\\');
            strbuf_addch(out, *s);
            break;
        default: strbuf_addch(out, *s);
        }
    }
}

const char *report_fk_action(fk_action a)
{
    switch (a) {
    case 'r': return "RESTRICT";
    case 'c': return "CASCADE";
    case 'n': return "SET NULL";
    case 'd': return "SET DEFAULT";
    default: return NULL;
    }
}

static void cols(strbuf *out, const strvec *v)
{
    strbuf_adds(out, "(");
    for (size_t i = 0; i < v->n; i++) {
        if (i)
            strbuf_adds(out, ", ");
        strbuf_adds(out, v->v[i]);
    }
    strbuf_adds(out, ")");
}

void report_constraint_text(strbuf *out, const catalog *cat, const cat_constraint *c)
{
    switch (c->kind) {
    case CON_PRIMARY: strbuf_adds(out, "PRIMARY KEY "); cols(out, &c->columns); break;
    case CON_UNIQUE: strbuf_adds(out, "UNIQUE "); cols(out, &c->columns); break;
    case CON_CHECK: strbuf_addf(out, "CHECK (%s)", c->expr ? c->expr : c->expr_norm ? c->expr_norm : ""); break;
    case CON_NOT_NULL: strbuf_adds(out, "NOT NULL "); cols(out, &c->columns); break;
    case CON_EXCLUDE: strbuf_addf(out, "EXCLUDE USING %s", c->using_method ? c->using_method : "btree"); break;
    case CON_FOREIGN: {
        strbuf_adds(out, "FOREIGN KEY ");
        cols(out, &c->columns);
        strbuf_adds(out, " REFERENCES ");
        if (c->ref_schema && strcmp(c->ref_schema, catalog_default_schema(cat)))
            strbuf_addf(out, "%s.", c->ref_schema);
        strbuf_adds(out, c->ref_table ? c->ref_table : "?");
        const strvec *rc = report_fk_ref_columns(cat, c);
        if (rc->n) {
            strbuf_addch(out, ' ');
            cols(out, rc);
        }
        if (report_fk_action(c->on_delete))
            strbuf_addf(out, " ON DELETE %s", report_fk_action(c->on_delete));
        if (report_fk_action(c->on_update))
            strbuf_addf(out, " ON UPDATE %s", report_fk_action(c->on_update));
        break;
    }
    default: strbuf_addf(out, "%c", (char)c->kind);
    }
}

void report_index_text(strbuf *out, const cat_index *ix)
{
    strbuf_adds(out, ix->unique ? "UNIQUE " : "");
    if (ix->method && strcmp(ix->method, "btree"))
        strbuf_addf(out, "USING %s ", ix->method);
    strbuf_adds(out, "(");
    for (size_t i = 0; i < ix->elems.n; i++) {
        const cat_index_elem *e = &ix->elems.v[i];
        if (i)
            strbuf_adds(out, ", ");
        strbuf_adds(out, e->column ? e->column : e->expr ? e->expr : e->expr_norm ? e->expr_norm : "?");
        if (e->desc)
            strbuf_adds(out, " DESC");
    }
    strbuf_adds(out, ")");
    if (ix->where_expr || ix->where_norm)
        strbuf_addf(out, " WHERE %s", ix->where_expr ? ix->where_expr : ix->where_norm);
}

bool report_format_from_path(const char *path, report_format *fmt)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return false;
    if (!strcasecmp(dot, ".html") || !strcasecmp(dot, ".htm"))
        *fmt = REPORT_HTML;
    else if (!strcasecmp(dot, ".md") || !strcasecmp(dot, ".markdown"))
        *fmt = REPORT_MARKDOWN;
    else if (!strcasecmp(dot, ".json"))
        *fmt = REPORT_JSON;
    else
        return false;
    return true;
}


/* ---- Markdown ------------------------------------------------------------------ */

static void md_table(strbuf *out, const catalog *cat, const cat_table *t, arena *mem)
{
    strbuf_adds(out, "### ");
    report_md_escape(out, erd_table_label(cat, t, mem));
    strbuf_adds(out, "\n\n");
    if (t->comment) {
        report_md_escape(out, t->comment);
        strbuf_adds(out, "\n\n");
    }
    strbuf_adds(out, "| Column | Type | Null | Default | Key | Comment |\n|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < t->columns.n; i++) {
        const cat_column *c = t->columns.v[i];
        bool pk = report_column_in_pk(t, c->name), fk = report_column_in_fk(t, c->name);
        strbuf_adds(out, "| ");
        report_md_escape(out, c->name);
        strbuf_adds(out, " | ");
        report_md_escape(out, c->type);
        strbuf_adds(out, c->not_null || pk ? " | NOT NULL | " : " | null | ");
        report_md_escape(out, c->default_expr);
        strbuf_adds(out, pk && fk ? " | PK, FK | " : pk ? " | PK | " : fk ? " | FK | " : " |  | ");
        report_md_escape(out, c->comment);
        strbuf_adds(out, " |\n");
    }
    strbuf_adds(out, "\n");
    strbuf tmp = STRBUF_INIT;
    if (t->constraints.n) {
        strbuf_adds(out, "Constraints:\n\n");
        for (size_t i = 0; i < t->constraints.n; i++) {
            const cat_constraint *c = t->constraints.v[i];
            strbuf_reset(&tmp);
            report_constraint_text(&tmp, cat, c);
            strbuf_adds(out, "- ");
            if (c->name) {
                strbuf_adds(out, "`");
                report_html_escape(out, c->name);
                strbuf_adds(out, "`: ");
            }
            report_md_escape(out, strbuf_str(&tmp));
            strbuf_adds(out, "\n");
        }
        strbuf_adds(out, "\n");
    }
    if (t->indexes.n) {
        strbuf_adds(out, "Indexes:\n\n");
        for (size_t i = 0; i < t->indexes.n; i++) {
            strbuf_reset(&tmp);
            report_index_text(&tmp, t->indexes.v[i]);
            strbuf_adds(out, "- ");
            report_md_escape(out, t->indexes.v[i]->name);
            strbuf_adds(out, ": ");
            report_md_escape(out, strbuf_str(&tmp));
            strbuf_adds(out, "\n");
        }
        strbuf_adds(out, "\n");
    }
    bool any_in = false;
    for (size_t i = 0; i < cat->tables.n; i++) {
        const cat_table *o = cat->tables.v[i];
        for (size_t j = 0; j < o->constraints.n; j++) {
            const cat_constraint *c = o->constraints.v[j];
            if (c->kind != CON_FOREIGN || report_fk_target(cat, c) != t)
                continue;
            if (!any_in)
                strbuf_adds(out, "Referenced by:\n\n");
            any_in = true;
            strbuf_adds(out, "- ");
            report_md_escape(out, erd_table_label(cat, o, mem));
            strbuf_adds(out, " ");
            strbuf_reset(&tmp);
            cols(&tmp, &c->columns);
            report_md_escape(out, strbuf_str(&tmp));
            strbuf_adds(out, "\n");
        }
    }
    if (any_in)
        strbuf_adds(out, "\n");
    strbuf_release(&tmp);
}

static void md_render(strbuf *out, const report_input *in, arena *mem)
{
    const catalog *cat = in->cat;
    strbuf_adds(out, "# ");
    report_md_escape(out, in->title ? in->title : "Schema report");
    strbuf_adds(out, "\n\n");
    if (cat->source) {
        strbuf_adds(out, "Source: ");
        report_md_escape(out, cat->source);
        strbuf_adds(out, "  \n");
    }
    strbuf_addf(out, "Dialect: %s, %zu tables\n\n## Entity-relationship diagram\n\n```mermaid\n",
                dialect_name(cat->dialect), cat->tables.n);
    erd_mermaid(out, cat);
    strbuf_adds(out, "```\n\n## Tables\n\n");
    for (size_t i = 0; i < cat->tables.n; i++)
        md_table(out, cat, cat->tables.v[i], mem);
    if (in->lint) {
        strbuf_addf(out, "## Lint findings\n\n%zu errors, %zu warnings\n\n", lint_count(in->lint, DIAG_ERROR),
                    lint_count(in->lint, DIAG_WARNING));
        for (size_t i = 0; i < in->lint->findings.n; i++) {
            const lint_finding *f = &in->lint->findings.v[i];
            strbuf_addf(out, "- %s `%s` ", diag_severity_name(f->severity), f->rule->id);
            if (f->loc.file)
                strbuf_addf(out, "%s:%u:%u ", f->loc.file, f->loc.line, f->loc.col);
            report_md_escape(out, f->message);
            strbuf_adds(out, "\n");
        }
        strbuf_adds(out, "\n");
    }
    report_extras_markdown(out, in);
}

/* ---- JSON ------------------------------------------------------------------------ */

static void json_strvec(strbuf *out, const strvec *v)
{
    strbuf_addch(out, '[');
    for (size_t i = 0; i < v->n; i++) {
        if (i)
            strbuf_addch(out, ',');
        strbuf_add_json_string(out, v->v[i]);
    }
    strbuf_addch(out, ']');
}

static void json_str_or_null(strbuf *out, const char *s)
{
    if (s)
        strbuf_add_json_string(out, s);
    else
        strbuf_adds(out, "null");
}

static void json_fk(strbuf *out, const catalog *cat, const cat_table *from, const cat_constraint *c)
{
    strbuf_adds(out, "{\"name\":");
    json_str_or_null(out, c->name);
    strbuf_adds(out, ",\"table\":");
    strbuf_add_json_string(out, from->name);
    strbuf_adds(out, ",\"schema\":");
    json_str_or_null(out, from->schema);
    strbuf_adds(out, ",\"columns\":");
    json_strvec(out, &c->columns);
    strbuf_adds(out, ",\"ref_schema\":");
    json_str_or_null(out, c->ref_schema ? c->ref_schema : catalog_default_schema(cat));
    strbuf_adds(out, ",\"ref_table\":");
    json_str_or_null(out, c->ref_table);
    strbuf_adds(out, ",\"ref_columns\":");
    json_strvec(out, report_fk_ref_columns(cat, c));
    strbuf_adds(out, ",\"on_delete\":");
    json_str_or_null(out, report_fk_action(c->on_delete));
    strbuf_adds(out, "}");
}

static void json_table(strbuf *out, const catalog *cat, const cat_table *t)
{
    strbuf_adds(out, "{\"schema\":");
    json_str_or_null(out, t->schema);
    strbuf_adds(out, ",\"name\":");
    strbuf_add_json_string(out, t->name);
    strbuf_adds(out, ",\"comment\":");
    json_str_or_null(out, t->comment);
    strbuf_adds(out, ",\"columns\":[");
    for (size_t i = 0; i < t->columns.n; i++) {
        const cat_column *c = t->columns.v[i];
        bool pk = report_column_in_pk(t, c->name);
        strbuf_adds(out, i ? ",{\"name\":" : "{\"name\":");
        strbuf_add_json_string(out, c->name);
        strbuf_adds(out, ",\"type\":");
        json_str_or_null(out, c->type);
        strbuf_addf(out, ",\"nullable\":%s,\"primary_key\":%s,\"foreign_key\":%s,\"default\":",
                    c->not_null || pk ? "false" : "true", pk ? "true" : "false",
                    report_column_in_fk(t, c->name) ? "true" : "false");
        json_str_or_null(out, c->default_expr);
        strbuf_adds(out, ",\"comment\":");
        json_str_or_null(out, c->comment);
        strbuf_adds(out, "}");
    }
    strbuf_adds(out, "],\"constraints\":[");
    strbuf tmp = STRBUF_INIT;
    for (size_t i = 0; i < t->constraints.n; i++) {
        const cat_constraint *c = t->constraints.v[i];
        strbuf_reset(&tmp);
        report_constraint_text(&tmp, cat, c);
        strbuf_adds(out, i ? ",{\"name\":" : "{\"name\":");
        json_str_or_null(out, c->name);
        strbuf_addf(out, ",\"kind\":\"%c\",\"columns\":", (char)c->kind);
        json_strvec(out, &c->columns);
        strbuf_adds(out, ",\"definition\":");
        strbuf_add_json_string(out, strbuf_str(&tmp));
        strbuf_adds(out, "}");
    }
    strbuf_adds(out, "],\"indexes\":[");
    for (size_t i = 0; i < t->indexes.n; i++) {
        strbuf_reset(&tmp);
        report_index_text(&tmp, t->indexes.v[i]);
        strbuf_adds(out, i ? ",{\"name\":" : "{\"name\":");
        json_str_or_null(out, t->indexes.v[i]->name);
        strbuf_addf(out, ",\"unique\":%s,\"definition\":", t->indexes.v[i]->unique ? "true" : "false");
        strbuf_add_json_string(out, strbuf_str(&tmp));
        strbuf_adds(out, "}");
    }
    strbuf_release(&tmp);
    strbuf_adds(out, "],\"foreign_keys_out\":[");
    bool first = true;
    for (size_t i = 0; i < t->constraints.n; i++) {
        const cat_constraint *c = t->constraints.v[i];
        if (c->kind != CON_FOREIGN)
            continue;
        if (!first)
            strbuf_addch(out, ',');
        first = false;
        json_fk(out, cat, t, c);
    }
    strbuf_adds(out, "],\"foreign_keys_in\":[");
    first = true;
    for (size_t i = 0; i < cat->tables.n; i++) {
        const cat_table *o = cat->tables.v[i];
        for (size_t j = 0; j < o->constraints.n; j++) {
            const cat_constraint *c = o->constraints.v[j];
            if (c->kind != CON_FOREIGN || report_fk_target(cat, c) != t)
                continue;
            if (!first)
                strbuf_addch(out, ',');
            first = false;
            json_fk(out, cat, o, c);
        }
    }
    strbuf_adds(out, "]}");
}

static void json_render(strbuf *out, const report_input *in)
{
    const catalog *cat = in->cat;
    strbuf_adds(out, "{\"title\":");
    strbuf_add_json_string(out, in->title ? in->title : "Schema report");
    strbuf_adds(out, ",\"source\":");
    json_str_or_null(out, cat->source);
    strbuf_addf(out, ",\"dialect\":\"%s\",\"erd\":{\"dot\":", dialect_name(cat->dialect));
    strbuf tmp = STRBUF_INIT;
    erd_dot(&tmp, cat);
    strbuf_add_json_string(out, strbuf_str(&tmp));
    strbuf_reset(&tmp);
    erd_mermaid(&tmp, cat);
    strbuf_adds(out, ",\"mermaid\":");
    strbuf_add_json_string(out, strbuf_str(&tmp));
    strbuf_release(&tmp);
    strbuf_adds(out, "},\"tables\":[");
    for (size_t i = 0; i < cat->tables.n; i++) {
        if (i)
            strbuf_addch(out, ',');
        json_table(out, cat, cat->tables.v[i]);
    }
    strbuf_adds(out, "]");
    if (in->lint) {
        strbuf_adds(out, ",\"lint\":[");
        for (size_t i = 0; i < in->lint->findings.n; i++) {
            const lint_finding *f = &in->lint->findings.v[i];
            strbuf_adds(out, i ? ",{\"rule\":" : "{\"rule\":");
            strbuf_add_json_string(out, f->rule->id);
            strbuf_adds(out, ",\"severity\":");
            strbuf_add_json_string(out, diag_severity_name(f->severity));
            strbuf_adds(out, ",\"file\":");
            json_str_or_null(out, f->loc.file);
            strbuf_addf(out, ",\"line\":%u,\"col\":%u,\"object\":", f->loc.line, f->loc.col);
            json_str_or_null(out, f->object);
            strbuf_adds(out, ",\"message\":");
            json_str_or_null(out, f->message);
            strbuf_adds(out, "}");
        }
        strbuf_adds(out, "]");
    }
    report_extras_json(out, in);
    strbuf_adds(out, "}\n");
}

int report_render(strbuf *out, report_format fmt, const report_input *in, diag_list *diags)
{
    if (fmt == REPORT_HTML)
        return report_render_html(out, in, diags);
    arena mem;
    arena_init(&mem);
    if (fmt == REPORT_MARKDOWN)
        md_render(out, in, &mem);
    else
        json_render(out, in);
    arena_free(&mem);
    return 0;
}
