/*
 * report_extra.c — owns: the report sections that come from other
 * capabilities: the inventory of a repository (files by class, migration
 * sequences, objects defined in several places with their verdicts: the
 * conflict matrix) and the migration status of a live database.
 */
#include <string.h>

#include "report/report.h"

static const char *status_label(const migrate_status_item *it)
{
    return migrate_state_name(it->state);
}

void report_extras_markdown(strbuf *out, const report_input *in)
{
    if (in->inv) {
        strbuf_adds(out, "## Inventory\n\n");
        strbuf inv = STRBUF_INIT;
        inventory_report_markdown(&inv, in->inv);
        /* its headings one level down, under this section (outside code fences) */
        bool fence = false;
        for (const char *l = strbuf_str(&inv); *l;) {
            const char *e = strchr(l, '\n');
            size_t n = e ? (size_t)(e - l) + 1 : strlen(l);
            if (!strncmp(l, "```", 3))
                fence = !fence;
            if (!fence && *l == '#')
                strbuf_adds(out, "##");
            strbuf_add(out, l, n);
            l += n;
        }
        strbuf_release(&inv);
        strbuf_adds(out, "\n");
    }
    if (in->migrations) {
        strbuf_adds(out, "## Migration status\n\n");
        if (in->migrations_db) {
            strbuf_adds(out, "Database: ");
            report_md_escape(out, in->migrations_db);
            strbuf_adds(out, "\n\n");
        }
        strbuf_adds(out, "| Version | Name | State | Applied at |\n|---|---|---|---|\n");
        for (size_t i = 0; i < in->migrations->n; i++) {
            const migrate_status_item *it = &in->migrations->v[i];
            strbuf_adds(out, "| ");
            report_md_escape(out, it->version);
            strbuf_adds(out, " | ");
            report_md_escape(out, it->name);
            strbuf_addf(out, " | %s%s | ", status_label(it), it->out_of_order ? " (out of order)" : "");
            report_md_escape(out, it->record ? it->record->applied_at : "");
            strbuf_adds(out, " |\n");
        }
        strbuf_adds(out, "\n");
    }
}

void report_extras_json(strbuf *out, const report_input *in)
{
    if (in->inv) {
        strbuf inv = STRBUF_INIT;
        inventory_report_json(&inv, in->inv);
        strbuf_rtrim(&inv);
        strbuf_adds(out, ",\"inventory\":");
        strbuf_adds(out, inv.len ? strbuf_str(&inv) : "null");
        strbuf_release(&inv);
    }
    if (in->migrations) {
        strbuf_adds(out, ",\"migrations\":{\"database\":");
        if (in->migrations_db)
            strbuf_add_json_string(out, in->migrations_db);
        else
            strbuf_adds(out, "null");
        strbuf_adds(out, ",\"items\":[");
        for (size_t i = 0; i < in->migrations->n; i++) {
            const migrate_status_item *it = &in->migrations->v[i];
            strbuf_adds(out, i ? ",{\"version\":" : "{\"version\":");
            strbuf_add_json_string(out, it->version ? it->version : "");
            strbuf_adds(out, ",\"name\":");
            strbuf_add_json_string(out, it->name ? it->name : "");
            strbuf_addf(out, ",\"state\":\"%s\",\"out_of_order\":%s,\"applied_at\":", status_label(it),
                        it->out_of_order ? "true" : "false");
            if (it->record && it->record->applied_at)
                strbuf_add_json_string(out, it->record->applied_at);
            else
                strbuf_adds(out, "null");
            strbuf_adds(out, "}");
        }
        strbuf_adds(out, "]}");
    }
}

void report_extras_html(strbuf *out, const report_input *in)
{
    if (in->inv) {
        strbuf inv = STRBUF_INIT;
        inventory_report_text(&inv, in->inv);
        strbuf_adds(out, "<section id=\"inventory\">\n<h2>Inventory</h2>\n<pre class=\"inventory\">");
        report_html_escape(out, strbuf_str(&inv));
        strbuf_adds(out, "</pre>\n</section>\n");
        strbuf_release(&inv);
    }
    if (in->migrations) {
        strbuf_adds(out, "<section id=\"migrations\">\n<h2>Migration status</h2>\n");
        if (in->migrations_db) {
            strbuf_adds(out, "<p>Database: <code>");
            report_html_escape(out, in->migrations_db);
            strbuf_adds(out, "</code></p>\n");
        }
        strbuf_adds(out, "<table class=\"doc migrations\"><tr><th>Version</th><th>Name</th><th>State</th>"
                         "<th>Applied at</th></tr>\n");
        for (size_t i = 0; i < in->migrations->n; i++) {
            const migrate_status_item *it = &in->migrations->v[i];
            strbuf_adds(out, "<tr><td>");
            report_html_escape(out, it->version);
            strbuf_adds(out, "</td><td>");
            report_html_escape(out, it->name);
            strbuf_addf(out, "</td><td class=\"state-%s\">%s%s</td><td>", status_label(it), status_label(it),
                        it->out_of_order ? " (out of order)" : "");
            report_html_escape(out, it->record ? it->record->applied_at : "");
            strbuf_adds(out, "</td></tr>\n");
        }
        strbuf_adds(out, "</table>\n</section>\n");
    }
}
