/*
 * erd.c — owns: entity-relationship diagrams of a catalog: DOT text, Mermaid
 * erDiagram text, and SVG rendered through Graphviz's library (libgvc).
 */
#include <string.h>

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include "report/report.h"

const char *erd_table_label(const catalog *cat, const cat_table *t, arena *mem)
{
    if (!t->schema || !strcmp(t->schema, catalog_default_schema(cat)))
        return t->name;
    return arena_printf(mem, "%s.%s", t->schema, t->name);
}

bool report_column_in_pk(const cat_table *t, const char *col)
{
    const cat_constraint *pk = catalog_primary_key(t);
    if (!pk)
        return false;
    for (size_t i = 0; i < pk->columns.n; i++)
        if (!strcmp(pk->columns.v[i], col))
            return true;
    return false;
}

bool report_column_in_fk(const cat_table *t, const char *col)
{
    for (size_t i = 0; i < t->constraints.n; i++) {
        const cat_constraint *c = t->constraints.v[i];
        if (c->kind != CON_FOREIGN)
            continue;
        for (size_t j = 0; j < c->columns.n; j++)
            if (!strcmp(c->columns.v[j], col))
                return true;
    }
    return false;
}

const cat_table *report_fk_target(const catalog *cat, const cat_constraint *c)
{
    const char *schema = c->ref_schema ? c->ref_schema : catalog_default_schema(cat);
    return catalog_table_find(cat, schema, c->ref_table);
}

const strvec *report_fk_ref_columns(const catalog *cat, const cat_constraint *c)
{
    if (c->ref_columns.n)
        return &c->ref_columns;
    const cat_table *t = report_fk_target(cat, c);
    const cat_constraint *pk = t ? catalog_primary_key(t) : NULL;
    return pk ? &pk->columns : &c->ref_columns;
}

/* ---- DOT ---------------------------------------------------------------------- */

static void dot_id(strbuf *out, const char *schema, const char *name)
{
    strbuf_addch(out, '"');
    for (const char *s = schema; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            strbuf_addch(out, '\\');
        strbuf_addch(out, *s);
    }
    strbuf_addch(out, '.');
    for (const char *s = name; *s; s++) {
        if (*s == '"' || *s == '\\')
            strbuf_addch(out, '\\');
        strbuf_addch(out, *s);
    }
    strbuf_addch(out, '"');
}

static void dot_text(strbuf *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            strbuf_addch(out, '\\');
        if (*s == '\n')
            strbuf_adds(out, "\\n");
        else
            strbuf_addch(out, *s);
    }
}

static void cols_joined(strbuf *out, const strvec *v)
{
    for (size_t i = 0; i < v->n; i++) {
        if (i)
            strbuf_adds(out, ", ");
        strbuf_adds(out, v->v[i]);
    }
}

void erd_dot(strbuf *out, const catalog *cat)
{
    arena mem;
    arena_init(&mem);
    strbuf_adds(out, "digraph erd {\n"
                     "  graph [rankdir=LR, fontname=\"Helvetica\", nodesep=0.4, ranksep=0.8];\n"
                     "  node [shape=plaintext, fontname=\"Helvetica\", fontsize=10];\n"
                     "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\", arrowhead=normal];\n");
    for (size_t i = 0; i < cat->tables.n; i++) {
        const cat_table *t = cat->tables.v[i];
        strbuf_adds(out, "  ");
        dot_id(out, t->schema, t->name);
        strbuf_adds(out, " [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"4\">"
                         "<tr><td bgcolor=\"#dbe4f0\" colspan=\"3\"><b>");
        report_html_escape(out, erd_table_label(cat, t, &mem));
        strbuf_adds(out, "</b></td></tr>");
        for (size_t j = 0; j < t->columns.n; j++) {
            const cat_column *c = t->columns.v[j];
            bool pk = report_column_in_pk(t, c->name), fk = report_column_in_fk(t, c->name);
            strbuf_adds(out, "<tr><td align=\"left\">");
            strbuf_adds(out, pk && fk ? "PK FK" : pk ? "PK" : fk ? "FK" : " ");
            strbuf_adds(out, "</td><td align=\"left\">");
            report_html_escape(out, c->name);
            strbuf_adds(out, "</td><td align=\"left\">");
            report_html_escape(out, c->type && *c->type ? c->type : " ");
            if (c->not_null && !pk)
                strbuf_adds(out, " NOT NULL");
            strbuf_adds(out, "</td></tr>");
        }
        strbuf_adds(out, "</table>>];\n");
    }
    for (size_t i = 0; i < cat->tables.n; i++) {
        const cat_table *t = cat->tables.v[i];
        for (size_t j = 0; j < t->constraints.n; j++) {
            const cat_constraint *c = t->constraints.v[j];
            if (c->kind != CON_FOREIGN || !c->ref_table)
                continue;
            strbuf_adds(out, "  ");
            dot_id(out, t->schema, t->name);
            strbuf_adds(out, " -> ");
            dot_id(out, c->ref_schema ? c->ref_schema : catalog_default_schema(cat), c->ref_table);
            strbuf_adds(out, " [label=\"");
            strbuf lbl = STRBUF_INIT;
            cols_joined(&lbl, &c->columns);
            const strvec *rc = report_fk_ref_columns(cat, c);
            if (rc->n) {
                strbuf_adds(&lbl, " -> ");
                cols_joined(&lbl, rc);
            }
            dot_text(out, strbuf_str(&lbl));
            strbuf_release(&lbl);
            strbuf_adds(out, "\"];\n");
        }
    }
    strbuf_adds(out, "}\n");
    arena_free(&mem);
}

/* ---- Mermaid -------------------------------------------------------------------- */

static void mermaid_word(strbuf *out, const char *s)
{
    if (!s || !*s) {
        strbuf_adds(out, "untyped");
        return;
    }
    size_t start = out->len;
    for (; *s; s++) {
        char ch = *s;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
        if (ok)
            strbuf_addch(out, ch);
        else if (out->len > start && out->buf[out->len - 1] != '_')
            strbuf_addch(out, '_');
    }
    while (out->len > start + 1 && out->buf[out->len - 1] == '_')
        strbuf_setlen(out, out->len - 1);
    if (out->len == start)
        strbuf_adds(out, "x");
}

static void mermaid_entity(strbuf *out, const catalog *cat, const char *schema, const char *name)
{
    if (schema && strcmp(schema, catalog_default_schema(cat))) {
        mermaid_word(out, schema);
        strbuf_addch(out, '_');
    }
    mermaid_word(out, name);
}

static bool fk_nullable(const cat_table *t, const cat_constraint *c)
{
    for (size_t i = 0; i < c->columns.n; i++) {
        const cat_column *col = catalog_column_find(t, c->columns.v[i]);
        if (col && !col->not_null)
            return true;
    }
    return false;
}

void erd_mermaid(strbuf *out, const catalog *cat)
{
    strbuf_adds(out, "erDiagram\n");
    for (size_t i = 0; i < cat->tables.n; i++) {
        const cat_table *t = cat->tables.v[i];
        strbuf_adds(out, "    ");
        mermaid_entity(out, cat, t->schema, t->name);
        strbuf_adds(out, " {\n");
        for (size_t j = 0; j < t->columns.n; j++) {
            const cat_column *c = t->columns.v[j];
            bool pk = report_column_in_pk(t, c->name), fk = report_column_in_fk(t, c->name);
            strbuf_adds(out, "        ");
            mermaid_word(out, c->type);
            strbuf_addch(out, ' ');
            mermaid_word(out, c->name);
            if (pk || fk)
                strbuf_adds(out, pk && fk ? " PK, FK" : pk ? " PK" : " FK");
            strbuf_addch(out, '\n');
        }
        strbuf_adds(out, "    }\n");
    }
    for (size_t i = 0; i < cat->tables.n; i++) {
        const cat_table *t = cat->tables.v[i];
        for (size_t j = 0; j < t->constraints.n; j++) {
            const cat_constraint *c = t->constraints.v[j];
            if (c->kind != CON_FOREIGN || !c->ref_table)
                continue;
            strbuf_adds(out, "    ");
            mermaid_entity(out, cat, t->schema, t->name);
            strbuf_adds(out, " }o--");
            strbuf_adds(out, fk_nullable(t, c) ? "o|" : "||");
            strbuf_addch(out, ' ');
            mermaid_entity(out, cat, c->ref_schema, c->ref_table);
            strbuf_adds(out, " : \"");
            for (size_t k = 0; k < c->columns.n; k++) {
                if (k)
                    strbuf_adds(out, ", ");
                for (const char *s = c->columns.v[k]; *s; s++)
                    strbuf_addch(out, *s == '"' ? '\'' : *s);
            }
            strbuf_adds(out, "\"\n");
        }
    }
}

/* ---- SVG through libgvc ------------------------------------------------------------ */

/* Graphviz reports problems through a process-wide callback; while erd_svg
 * runs they are collected here and turned into diagnostics (never printed). */
static strbuf erd_gv_messages = STRBUF_INIT;

static int erd_gv_message(char *msg)
{
    strbuf_adds(&erd_gv_messages, msg);
    return 0;
}

/* Graphviz 2.43's pango text layout caches a pointer to the last font name
 * it measured, a string owned by the context's font dictionary; freeing the
 * context leaves that cache dangling and the next layout reads freed memory
 * (caught by ASan).  So one context serves the whole process and is never
 * freed.  (Not thread-safe: neither is libgvc.) */
static GVC_t *erd_gvc;

static void erd_gv_diag(diag_list *diags, const char *what)
{
    src_loc loc = {"<erd>", 0, 0};
    strbuf_rtrim(&erd_gv_messages);
    if (erd_gv_messages.len)
        diag_error(diags, loc, "graphviz: %s: %s", what, strbuf_str(&erd_gv_messages));
    else
        diag_error(diags, loc, "graphviz: %s", what);
}

int erd_svg(strbuf *out, const char *dot, diag_list *diags)
{
    strbuf_reset(&erd_gv_messages);
    agusererrf old = agseterrf(erd_gv_message);
    int rc = -1;
    if (!erd_gvc)
        erd_gvc = gvContext();
    GVC_t *gvc = erd_gvc;
    Agraph_t *g = NULL;
    if (!gvc) {
        erd_gv_diag(diags, "cannot create a context");
        goto done;
    }
    g = agmemread(dot);
    if (!g) {
        erd_gv_diag(diags, "cannot parse the DOT text");
        goto done;
    }
    if (gvLayout(gvc, g, "dot") != 0) {
        erd_gv_diag(diags, "the dot layout failed");
        goto done;
    }
    char *buf = NULL;
    unsigned int len = 0;
    if (gvRenderData(gvc, g, "svg", &buf, &len) != 0 || !buf) {
        erd_gv_diag(diags, "svg rendering failed");
    } else {
        strbuf_add(out, buf, len);
        rc = 0;
    }
    if (buf)
        gvFreeRenderData(buf);
    gvFreeLayout(gvc, g);

done:
    if (g)
        agclose(g);
    agseterrf(old);
    strbuf_release(&erd_gv_messages);
    return rc;
}

/* Graphviz 2.43 (Debian 12) keeps layout caches and fontconfig state that it
 * never frees; under -fsanitize=address LeakSanitizer would report them at
 * exit.  This hook (read by LSan only when it is linked in) ignores leaks
 * whose stack passes through those libraries — our own allocations around
 * them are strbufs and arenas, checked as usual. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libgvc.so\nleak:libcgraph.so\nleak:libcdt.so\nleak:libfontconfig.so\n"
           "leak:libglib-2.0.so\nleak:libpango\nleak:libcairo.so\nleak:libgvplugin\n"
           "leak:libexpat.so\nleak:libfreetype.so\n";
}

/* ...and does not list the suppressed allocations at every exit. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
    return "print_suppressions=0";
}
