/*
 * report_extra.c — owns: the report sections that come from other
 * capabilities: the inventory of a repository (files by class, migration
 * sequences, objects defined in several places with their verdicts: the
 * conflict matrix), the migration status of a live database and the
 * verification of an import (documents vs rows in the target).
 */
#include <string.h>

#include "report/report.h"

static const char *status_label(const migrate_status_item *it)
{
    return migrate_state_name(it->state);
}

static bool table_ok(const import_table_stats *t)
{
    return t->counted == t->expected;
}

void report_extras_markdown(strbuf *out, const report_input *in)
{
    if (in->import) {
        strbuf_addf(out, "## Import verification\n\n%s", in->import->mismatches ? "MISMATCH" : "ok");
        if (in->import_db) {
            strbuf_adds(out, " (");
            report_md_escape(out, in->import_db);
            strbuf_adds(out, ")");
        }
        strbuf_adds(out, "\n\n| Table | Expected | Counted | |\n|---|---|---|---|\n");
        for (size_t i = 0; i < in->import->tables.n; i++) {
            const import_table_stats *t = &in->import->tables.v[i];
            strbuf_adds(out, "| ");
            report_md_escape(out, t->table);
            strbuf_addf(out, " | %lld | %lld | %s |\n", (long long)t->expected, (long long)t->counted,
                        table_ok(t) ? "ok" : "MISMATCH");
        }
        strbuf_adds(out, "\n");
    }
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
    if (in->import) {
        strbuf_adds(out, ",\"import\":{\"target\":");
        if (in->import_db)
            strbuf_add_json_string(out, in->import_db);
        else
            strbuf_adds(out, "null");
        strbuf_addf(out, ",\"ok\":%s,\"mismatches\":%lld,\"tables\":[", in->import->mismatches ? "false" : "true",
                    (long long)in->import->mismatches);
        for (size_t i = 0; i < in->import->tables.n; i++) {
            const import_table_stats *t = &in->import->tables.v[i];
            strbuf_adds(out, i ? ",{\"table\":" : "{\"table\":");
            strbuf_add_json_string(out, t->table);
            strbuf_addf(out, ",\"expected\":%lld,\"counted\":%lld,\"ok\":%s}", (long long)t->expected,
                        (long long)t->counted, table_ok(t) ? "true" : "false");
        }
        strbuf_adds(out, "]}");
    }
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
    if (in->import) {
        strbuf_addf(out, "<section id=\"import\">\n<h2>Import verification</h2>\n<p class=\"%s\">%s",
                    in->import->mismatches ? "sev-error" : "ok", in->import->mismatches ? "MISMATCH" : "ok");
        if (in->import_db) {
            strbuf_adds(out, " &middot; <code>");
            report_html_escape(out, in->import_db);
            strbuf_adds(out, "</code>");
        }
        strbuf_adds(out, "</p>\n<table class=\"doc import\"><tr><th>Table</th><th>Expected</th><th>Counted</th>"
                         "<th></th></tr>\n");
        for (size_t i = 0; i < in->import->tables.n; i++) {
            const import_table_stats *t = &in->import->tables.v[i];
            strbuf_adds(out, "<tr><td>");
            report_html_escape(out, t->table);
            strbuf_addf(out, "</td><td>%lld</td><td>%lld</td><td>%s</td></tr>\n", (long long)t->expected,
                        (long long)t->counted, table_ok(t) ? "ok" : "MISMATCH");
        }
        strbuf_adds(out, "</table>\n</section>\n");
    }
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
