/*
 * report.h — owns: entity-relationship diagrams of a catalog (DOT, Mermaid,
 * SVG through Graphviz's libgvc) and the schema report (HTML, Markdown,
 * JSON) built from a catalog plus optional lint findings.
 *
 * Library code: nothing here prints or exits; problems go to a diag_list.
 */
#ifndef DBSAGE_REPORT_H
#define DBSAGE_REPORT_H

#include <stdbool.h>

#include "analysis/inventory.h"
#include "analysis/lint.h"
#include "catalog/catalog.h"
#include "data/import.h"
#include "migrate/migrate.h"
#include "util/diag.h"
#include "util/strbuf.h"

/* ---- ERD (erd.c) ------------------------------------------------------------ */

/* Graphviz DOT text: one node per table (HTML-like label listing the columns
 * with PK/FK markers and types), one edge per foreign key, labelled with its
 * columns ("user_id -> id").  Tables in catalog order. */
void erd_dot(strbuf *out, const catalog *cat);
/* Mermaid `erDiagram` text (names and types reduced to [A-Za-z0-9_]). */
void erd_mermaid(strbuf *out, const catalog *cat);
/* SVG of the DOT text through libgvc's "dot" layout; -1 after a diagnostic. */
int erd_svg(strbuf *out, const char *dot, diag_list *diags);

/* The label of a table in diagrams and reports: "name" in the default
 * schema, else "schema.name" (arena string). */
const char *erd_table_label(const catalog *cat, const cat_table *t, arena *mem);

/* ---- report (report.c, report_html.c) ---------------------------------------- */

typedef enum report_format { REPORT_HTML, REPORT_MARKDOWN, REPORT_JSON } report_format;

typedef struct report_input {
    const char *title;          /* NULL: "Schema report" */
    const catalog *cat;
    const lint_ctx *lint;       /* NULL: no lint section */
    const inventory *inv;       /* NULL: no inventory section (classes, sequences, conflicts) */
    const migrate_status_list *migrations; /* NULL: no migration status section */
    const char *migrations_db;  /* the (password-masked) database of that status */
    const import_result *import; /* NULL: no import verification section (import_verify's result) */
    const char *import_db;      /* the (password-masked) target of that import */
} report_input;

/* "x.html"/".htm" -> HTML, ".md"/".markdown" -> Markdown, ".json" -> JSON;
 * false when the extension is none of these. */
bool report_format_from_path(const char *path, report_format *fmt);
/* Renders the report; -1 after a diagnostic (e.g. the SVG layout failed). */
int report_render(strbuf *out, report_format fmt, const report_input *in, diag_list *diags);

/* helpers shared by the report renderers */
void report_html_escape(strbuf *out, const char *s);
void report_md_escape(strbuf *out, const char *s);
const char *report_fk_action(fk_action a);  /* "CASCADE", ..., NULL for no action */
/* "PRIMARY KEY (a, b)", "FOREIGN KEY (x) REFERENCES t (y) ON DELETE CASCADE", "CHECK (...)" */
void report_constraint_text(strbuf *out, const catalog *cat, const cat_constraint *c);
void report_index_text(strbuf *out, const cat_index *ix);
/* the columns a FK references (its ref_columns, or the referenced table's PK) */
const strvec *report_fk_ref_columns(const catalog *cat, const cat_constraint *c);
const cat_table *report_fk_target(const catalog *cat, const cat_constraint *c);
bool report_column_in_pk(const cat_table *t, const char *col);
bool report_column_in_fk(const cat_table *t, const char *col);
/* report_extra.c: the inventory and migration-status sections */
void report_extras_markdown(strbuf *out, const report_input *in);
void report_extras_json(strbuf *out, const report_input *in);  /* ,"inventory":...,"migrations":[...] */
void report_extras_html(strbuf *out, const report_input *in);
/* report_html.c: the HTML renderer behind report_render */
int report_render_html(strbuf *out, const report_input *in, diag_list *diags);

#endif
