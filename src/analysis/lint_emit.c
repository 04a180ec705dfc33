/*
 * lint_emit.c — output formats of lint findings: text (gcc style
 * `file:line:col: severity: message [rule]`), JSON, SARIF 2.1.0, GitHub
 * Actions workflow commands, and the rule index (text / markdown) behind
 * `dbsage lint --list-rules`.
 */
#include "analysis/lint.h"

#include <string.h>

#define LINT_HELP_BASE "https://github.com/dbsage/dbsage/blob/main/docs/rules/"

static const char *sarif_level(diag_severity s)
{
    return s == DIAG_ERROR ? "error" : s == DIAG_WARNING ? "warning" : "note";
}

static const char *category_name(lint_category c) { return c == LINT_DESIGN ? "design" : "migration"; }

static void add_loc_prefix(strbuf *out, src_loc loc)
{
    strbuf_adds(out, loc.file ? loc.file : "<unknown>");
    if (loc.line) {
        strbuf_addf(out, ":%u", loc.line);
        if (loc.col)
            strbuf_addf(out, ":%u", loc.col);
    }
    strbuf_adds(out, ": ");
}

void lint_emit_text(strbuf *out, const lint_ctx *ctx, bool color)
{
    static const char *colors[] = {"\033[1;36m", "\033[1;35m", "\033[1;31m"};
    for (size_t i = 0; i < ctx->findings.n; i++) {
        const lint_finding *f = &ctx->findings.v[i];
        add_loc_prefix(out, f->loc);
        if (color)
            strbuf_addf(out, "%s%s:\033[0m ", colors[f->severity], diag_severity_name(f->severity));
        else
            strbuf_addf(out, "%s: ", diag_severity_name(f->severity));
        strbuf_addf(out, "%s [%s]\n", f->message, f->rule->id);
        if (f->help)
            strbuf_addf(out, "  help: %s\n", f->help);
    }
}

void lint_emit_json(strbuf *out, const lint_ctx *ctx)
{
    strbuf_adds(out, "{\n  \"findings\": [");
    for (size_t i = 0; i < ctx->findings.n; i++) {
        const lint_finding *f = &ctx->findings.v[i];
        strbuf_adds(out, i ? ",\n    {" : "\n    {");
        strbuf_adds(out, "\"rule\": ");
        strbuf_add_json_string(out, f->rule->id);
        strbuf_adds(out, ", \"squawk\": ");
        strbuf_add_json_string(out, f->rule->squawk);
        strbuf_addf(out, ", \"category\": \"%s\", \"severity\": \"%s\", \"file\": ", category_name(f->rule->category),
                    diag_severity_name(f->severity));
        strbuf_add_json_string(out, f->loc.file);
        strbuf_addf(out, ", \"line\": %u, \"col\": %u, \"object\": ", f->loc.line, f->loc.col);
        strbuf_add_json_string(out, f->object);
        strbuf_adds(out, ", \"message\": ");
        strbuf_add_json_string(out, f->message);
        strbuf_adds(out, ", \"help\": ");
        strbuf_add_json_string(out, f->help);
        strbuf_adds(out, "}");
    }
    strbuf_addf(out, "%s],\n  \"summary\": {\"errors\": %zu, \"warnings\": %zu, \"notes\": %zu}\n}\n",
                ctx->findings.n ? "\n  " : "", lint_count(ctx, DIAG_ERROR), lint_count(ctx, DIAG_WARNING),
                lint_count(ctx, DIAG_NOTE));
}

/* a URI for a path (relative reference, file:// for absolute paths):
 * unreserved bytes and '/' kept, the rest %XX */
static void add_uri_json(strbuf *out, const char *path)
{
    strbuf sb = STRBUF_INIT;
    if (path && path[0] == '/')
        strbuf_adds(&sb, "file://");
    for (const unsigned char *p = (const unsigned char *)(path ? path : ""); *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
            strbuf_addch(&sb, (char)*p);
        else
            strbuf_addf(&sb, "%%%02X", *p);
    }
    strbuf_add_json_string(out, strbuf_str(&sb));
    strbuf_release(&sb);
}

void lint_emit_sarif(strbuf *out, const lint_ctx *ctx)
{
    const lint_rule *rules = lint_rules();
    strbuf_adds(out, "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
                     "  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": {\n        \"driver\": {\n"
                     "          \"name\": \"dbsage\",\n          \"version\": \"" DBSAGE_VERSION "\",\n"
                     "          \"informationUri\": \"https://github.com/dbsage/dbsage\",\n          \"rules\": [");
    for (size_t i = 0; rules[i].id; i++) {
        const lint_rule *r = &rules[i];
        strbuf_adds(out, i ? ",\n            {" : "\n            {");
        strbuf_adds(out, "\"id\": ");
        strbuf_add_json_string(out, r->id);
        strbuf_adds(out, ", \"name\": ");
        strbuf_add_json_string(out, r->id);
        strbuf_adds(out, ", \"shortDescription\": {\"text\": ");
        strbuf_add_json_string(out, r->summary);
        strbuf_addf(out, "}, \"helpUri\": \"" LINT_HELP_BASE "%s.md\"", r->id);
        strbuf_addf(out, ", \"defaultConfiguration\": {\"level\": \"%s\"}", sarif_level(r->severity));
        strbuf_addf(out, ", \"properties\": {\"category\": \"%s\"", category_name(r->category));
        if (r->squawk) {
            strbuf_adds(out, ", \"squawk\": ");
            strbuf_add_json_string(out, r->squawk);
        }
        strbuf_adds(out, "}}");
    }
    strbuf_adds(out, "\n          ]\n        }\n      },\n      \"results\": [");
    for (size_t i = 0; i < ctx->findings.n; i++) {
        const lint_finding *f = &ctx->findings.v[i];
        size_t idx = (size_t)(f->rule - rules);
        if (f->rule < rules || !rules[idx].id) /* not from the registry: find it by id */
            for (idx = 0; rules[idx].id && strcmp(rules[idx].id, f->rule->id); idx++)
                ;
        strbuf_adds(out, i ? ",\n        {" : "\n        {");
        strbuf_adds(out, "\"ruleId\": ");
        strbuf_add_json_string(out, f->rule->id);
        strbuf_addf(out, ", \"ruleIndex\": %zu, \"level\": \"%s\", \"message\": {\"text\": ", idx, sarif_level(f->severity));
        strbuf_add_json_string(out, f->help ? arena_printf(ctx->mem, "%s (%s)", f->message, f->help) : f->message);
        strbuf_adds(out, "}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ");
        add_uri_json(out, f->loc.file);
        strbuf_adds(out, "}");
        if (f->loc.line) {
            strbuf_addf(out, ", \"region\": {\"startLine\": %u", f->loc.line);
            if (f->loc.col)
                strbuf_addf(out, ", \"startColumn\": %u", f->loc.col);
            strbuf_adds(out, "}");
        }
        strbuf_adds(out, "}");
        if (f->object) {
            strbuf_adds(out, ", \"logicalLocations\": [{\"fullyQualifiedName\": ");
            strbuf_add_json_string(out, f->object);
            strbuf_adds(out, "}]");
        }
        strbuf_adds(out, "}]}");
    }
    strbuf_addf(out, "%s]\n    }\n  ]\n}\n", ctx->findings.n ? "\n      " : "");
}

/* workflow command escaping: data (%, CR, LF) and properties (also : and ,) */
static void add_gh_escaped(strbuf *out, const char *s, bool property)
{
    for (; s && *s; s++) {
        if (*s == '%')
            strbuf_adds(out, "%25");
        else if (*s == '\r')
            strbuf_adds(out, "%0D");
        else if (*s == '\n')
            strbuf_adds(out, "%0A");
        else if (property && *s == ':')
            strbuf_adds(out, "%3A");
        else if (property && *s == ',')
            strbuf_adds(out, "%2C");
        else
            strbuf_addch(out, *s);
    }
}

void lint_emit_github(strbuf *out, const lint_ctx *ctx)
{
    for (size_t i = 0; i < ctx->findings.n; i++) {
        const lint_finding *f = &ctx->findings.v[i];
        const char *cmd = f->severity == DIAG_ERROR ? "error" : f->severity == DIAG_WARNING ? "warning" : "notice";
        strbuf_addf(out, "::%s ", cmd);
        if (f->loc.file) {
            strbuf_adds(out, "file=");
            add_gh_escaped(out, f->loc.file, true);
            if (f->loc.line)
                strbuf_addf(out, ",line=%u", f->loc.line);
            if (f->loc.col)
                strbuf_addf(out, ",col=%u", f->loc.col);
            strbuf_adds(out, ",");
        }
        strbuf_adds(out, "title=");
        add_gh_escaped(out, f->rule->id, true);
        strbuf_adds(out, "::");
        add_gh_escaped(out, f->message, false);
        strbuf_addch(out, '\n');
    }
}

void lint_emit_rules(strbuf *out, bool markdown)
{
    const lint_rule *r = lint_rules();
    if (markdown) {
        strbuf_adds(out, "# dbsage lint rules\n\n"
                         "Generated by `dbsage lint --list-rules --format markdown`; do not edit by hand.\n"
                         "Every rule can be disabled in `.dbsage-lint.yaml` (`rules: {ID: off}`) or with an inline\n"
                         "`-- dbsage:ignore ID` comment; a squawk alias is accepted wherever an id is.\n\n"
                         "| id | squawk alias | category | severity | summary |\n|---|---|---|---|---|\n");
        for (; r->id; r++) {
            strbuf_addf(out, "| [%s](%s.md) | %s | %s | %s | ", r->id, r->id, r->squawk ? r->squawk : "",
                        category_name(r->category), diag_severity_name(r->severity));
            for (const char *p = r->summary ? r->summary : ""; *p; p++)
                if (*p == '|')
                    strbuf_adds(out, "\\|");
                else
                    strbuf_addch(out, *p);
            strbuf_adds(out, " |\n");
        }
        return;
    }
    for (; r->id; r++)
        strbuf_addf(out, "%-32s %-9s %-8s %s%s%s%s\n", r->id, category_name(r->category),
                    diag_severity_name(r->severity), r->summary, r->squawk ? " (squawk: " : "",
                    r->squawk ? r->squawk : "", r->squawk ? ")" : "");
}
