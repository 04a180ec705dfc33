/*
 * report_html.c — owns: the self-contained offline HTML schema report: inline
 * CSS, the ERD as inline SVG (libgvc), per-table documentation and lint
 * findings.  No scripts and no external URLs; every text is entity-escaped.
 */
#include <string.h>

#include "report/report.h"

static const char report_css[] =
    "body{font-family:Helvetica,Arial,sans-serif;margin:2em;color:#222;background:#fff}"
    "h1{border-bottom:2px solid #36c}h2{margin-top:2em;border-bottom:1px solid #ccc}"
    "table.doc{border-collapse:collapse;margin:.5em 0 1em}"
    "table.doc th,table.doc td{border:1px solid #bbb;padding:.25em .6em;text-align:left;vertical-align:top}"
    "table.doc th{background:#eef2f8}code{background:#f3f3f3;padding:0 .2em}"
    "#erd svg{max-width:100%;height:auto}.meta{color:#555}"
    ".sev-error{color:#b00}.sev-warning{color:#a60}.sev-note{color:#555}\n";

static void tag_text(strbuf *out, const char *open, const char *text, const char *close)
{
    strbuf_adds(out, open);
    report_html_escape(out, text);
    strbuf_adds(out, close);
}

static void html_table(strbuf *out, const catalog *cat, const cat_table *t, arena *mem)
{
    const char *label = erd_table_label(cat, t, mem);
    strbuf_adds(out, "<section class=\"table\" id=\"table-");
    report_html_escape(out, label);
    strbuf_adds(out, "\">\n");
    tag_text(out, "<h3>", label, "</h3>\n");
    if (t->comment)
        tag_text(out, "<p class=\"comment\">", t->comment, "</p>\n");
    strbuf_adds(out, "<table class=\"doc columns\"><tr><th>Column</th><th>Type</th><th>Null</th>"
                     "<th>Default</th><th>Key</th><th>Comment</th></tr>\n");
    for (size_t i = 0; i < t->columns.n; i++) {
        const cat_column *c = t->columns.v[i];
        bool pk = report_column_in_pk(t, c->name), fk = report_column_in_fk(t, c->name);
        tag_text(out, "<tr><td><code>", c->name, "</code></td>");
        tag_text(out, "<td>", c->type, "</td>");
        strbuf_adds(out, c->not_null || pk ? "<td>NOT NULL</td>" : "<td>null</td>");
        tag_text(out, "<td>", c->default_expr, "</td>");
        strbuf_adds(out, pk && fk ? "<td>PK, FK</td>" : pk ? "<td>PK</td>" : fk ? "<td>FK</td>" : "<td></td>");
        tag_text(out, "<td>", c->comment, "</td></tr>\n");
    }
    strbuf_adds(out, "</table>\n");
    strbuf tmp = STRBUF_INIT;
    if (t->constraints.n) {
        strbuf_adds(out, "<h4>Constraints</h4>\n<ul class=\"constraints\">\n");
        for (size_t i = 0; i < t->constraints.n; i++) {
            const cat_constraint *c = t->constraints.v[i];
            strbuf_reset(&tmp);
            report_constraint_text(&tmp, cat, c);
            strbuf_adds(out, "<li>");
            if (c->name)
                tag_text(out, "<code>", c->name, "</code>: ");
            report_html_escape(out, strbuf_str(&tmp));
            strbuf_adds(out, "</li>\n");
        }
        strbuf_adds(out, "</ul>\n");
    }
    if (t->indexes.n) {
        strbuf_adds(out, "<h4>Indexes</h4>\n<ul class=\"indexes\">\n");
        for (size_t i = 0; i < t->indexes.n; i++) {
            strbuf_reset(&tmp);
            report_index_text(&tmp, t->indexes.v[i]);
            tag_text(out, "<li><code>", t->indexes.v[i]->name, "</code>: ");
            report_html_escape(out, strbuf_str(&tmp));
            strbuf_adds(out, "</li>\n");
        }
        strbuf_adds(out, "</ul>\n");
    }
    bool any_in = false;
    for (size_t i = 0; i < cat->tables.n; i++) {
        const cat_table *o = cat->tables.v[i];
        for (size_t j = 0; j < o->constraints.n; j++) {
            const cat_constraint *c = o->constraints.v[j];
            if (c->kind != CON_FOREIGN || report_fk_target(cat, c) != t)
                continue;
            if (!any_in)
                strbuf_adds(out, "<h4>Referenced by</h4>\n<ul class=\"fk-in\">\n");
            any_in = true;
            strbuf_adds(out, "<li><a href=\"#table-");
            report_html_escape(out, erd_table_label(cat, o, mem));
            strbuf_adds(out, "\">");
            report_html_escape(out, erd_table_label(cat, o, mem));
            strbuf_adds(out, "</a> (");
            for (size_t k = 0; k < c->columns.n; k++) {
                if (k)
                    strbuf_adds(out, ", ");
                report_html_escape(out, c->columns.v[k]);
            }
            strbuf_adds(out, ")</li>\n");
        }
    }
    if (any_in)
        strbuf_adds(out, "</ul>\n");
    strbuf_release(&tmp);
    strbuf_adds(out, "</section>\n");
}

int report_render_html(strbuf *out, const report_input *in, diag_list *diags)
{
    const catalog *cat = in->cat;
    const char *title = in->title ? in->title : "Schema report";
    strbuf dot = STRBUF_INIT, svg = STRBUF_INIT;
    erd_dot(&dot, cat);
    int rc = erd_svg(&svg, strbuf_str(&dot), diags);
    strbuf_release(&dot);
    if (rc < 0) {
        strbuf_release(&svg);
        return -1;
    }
    arena mem;
    arena_init(&mem);
    strbuf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    tag_text(out, "<title>", title, "</title>\n");
    strbuf_adds(out, "<style>");
    strbuf_adds(out, report_css);
    strbuf_adds(out, "</style>\n</head>\n<body>\n");
    tag_text(out, "<h1>", title, "</h1>\n");
    strbuf_adds(out, "<p class=\"meta\">");
    if (cat->source)
        tag_text(out, "Source: <code>", cat->source, "</code> &middot; ");
    strbuf_addf(out, "dialect %s &middot; %zu tables</p>\n", dialect_name(cat->dialect), cat->tables.n);
    strbuf_adds(out, "<section id=\"erd\">\n<h2>Entity-relationship diagram</h2>\n");
    /* inline the <svg> element only: drop the XML prolog, DOCTYPE and comments before it */
    const char *s = strstr(strbuf_str(&svg), "<svg");
    strbuf_adds(out, s ? s : "");
    strbuf_adds(out, "</section>\n<section id=\"tables\">\n<h2>Tables</h2>\n<ul class=\"toc\">\n");
    for (size_t i = 0; i < cat->tables.n; i++) {
        const char *label = erd_table_label(cat, cat->tables.v[i], &mem);
        strbuf_adds(out, "<li><a href=\"#table-");
        report_html_escape(out, label);
        strbuf_adds(out, "\">");
        report_html_escape(out, label);
        strbuf_adds(out, "</a></li>\n");
    }
    strbuf_adds(out, "</ul>\n");
    for (size_t i = 0; i < cat->tables.n; i++)
        html_table(out, cat, cat->tables.v[i], &mem);
    strbuf_adds(out, "</section>\n");
    if (in->lint) {
        strbuf_addf(out, "<section id=\"lint\">\n<h2>Lint findings</h2>\n<p>%zu errors, %zu warnings</p>\n<ul>\n",
                    lint_count(in->lint, DIAG_ERROR), lint_count(in->lint, DIAG_WARNING));
        for (size_t i = 0; i < in->lint->findings.n; i++) {
            const lint_finding *f = &in->lint->findings.v[i];
            strbuf_addf(out, "<li class=\"sev-%s\">", diag_severity_name(f->severity));
            tag_text(out, "<code>", f->rule->id, "</code> ");
            if (f->loc.file) {
                report_html_escape(out, f->loc.file);
                strbuf_addf(out, ":%u:%u ", f->loc.line, f->loc.col);
            }
            report_html_escape(out, f->message);
            strbuf_adds(out, "</li>\n");
        }
        strbuf_adds(out, "</ul>\n</section>\n");
    }
    report_extras_html(out, in);
    strbuf_adds(out, "</body>\n</html>\n");
    strbuf_release(&svg);
    arena_free(&mem);
    return 0;
}
