/*
 * lint.c — the lint framework: the rule registry (design + migration rule
 * sets), the lint context, finding reporting with configuration
 * (off / severity override) and inline ignore comments, sorting and counting.
 *
 * The rules themselves live in lint_design.c and lint_migration.c, the
 * configuration file reader in lint_config.c, the output formats in
 * lint_emit.c.
 */
#include "analysis/lint.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- registry ------------------------------------------------------------- */

enum { LINT_MAX_RULES = 256 };

static lint_rule all_rules[LINT_MAX_RULES + 1];
static bool all_rules_built;

static void rules_build(void)
{
    size_t n = 0;
    const lint_rule *sets[2] = {lint_design_rules(), lint_migration_rules()};
    for (size_t s = 0; s < 2; s++)
        for (const lint_rule *r = sets[s]; r && r->id && n < LINT_MAX_RULES; r++)
            all_rules[n++] = *r;
    all_rules[n] = (lint_rule){0};
    all_rules_built = true;
}

const lint_rule *lint_rules(void)
{
    if (!all_rules_built)
        rules_build();
    return all_rules;
}

const lint_rule *lint_rule_find(const char *id_or_alias)
{
    if (!id_or_alias)
        return NULL;
    for (const lint_rule *r = lint_rules(); r->id; r++)
        if (!strcmp(r->id, id_or_alias))
            return r;
    for (const lint_rule *r = lint_rules(); r->id; r++)
        if (r->squawk && !strcmp(r->squawk, id_or_alias))
            return r;
    return NULL;
}

/* ---- context -------------------------------------------------------------- */

void lint_config_init(lint_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->tenant_column = "tenant_id";
}

void lint_ctx_init(lint_ctx *ctx, arena *mem, const lint_config *cfg)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->mem = mem;
    ctx->cfg = cfg;
}

/* ---- inline ignores ------------------------------------------------------- */

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

/* Line of the ';' ending the statement that starts at or after `off`
 * (comments, quoted strings and dollar quotes skipped); the last line when
 * the text ends first. */
static unsigned statement_end_line(const char *t, size_t len, size_t off, unsigned line)
{
    size_t i = off;
    while (i < len) {
        char c = t[i];
        if (c == '\n') {
            line++;
            i++;
        } else if (c == '-' && i + 1 < len && t[i + 1] == '-') {
            while (i < len && t[i] != '\n')
                i++;
        } else if (c == '/' && i + 1 < len && t[i + 1] == '*') {
            i += 2;
            while (i + 1 < len && !(t[i] == '*' && t[i + 1] == '/')) {
                if (t[i] == '\n')
                    line++;
                i++;
            }
            i += 2;
        } else if (c == '\'' || c == '"' || c == '`' || c == '[') {
            char close = c == '[' ? ']' : c;
            i++;
            while (i < len && t[i] != close) {
                if (t[i] == '\n')
                    line++;
                i++;
            }
            i++;
        } else if (c == '$') {
            /* dollar quote $tag$ ... $tag$ */
            size_t j = i + 1;
            while (j < len && (t[j] == '_' || (t[j] >= 'a' && t[j] <= 'z') || (t[j] >= 'A' && t[j] <= 'Z') ||
                               (j > i + 1 && t[j] >= '0' && t[j] <= '9')))
                j++;
            if (j < len && t[j] == '$') {
                size_t taglen = j - i + 1;
                size_t k = j + 1;
                while (k + taglen <= len && memcmp(t + k, t + i, taglen) != 0) {
                    if (t[k] == '\n')
                        line++;
                    k++;
                }
                i = k + taglen;
            } else {
                i++;
            }
        } else if (c == ';') {
            return line;
        } else {
            i++;
        }
    }
    return line;
}

/* canonical id of a rule name in an ignore comment; "*" for all */
static const char *ignore_rule_name(lint_ctx *ctx, const char *s, size_t n)
{
    if (n == 0 || (n == 1 && s[0] == '*') || (n == 3 && !strncasecmp(s, "all", 3)))
        return "*";
    char *name = arena_strndup(ctx->mem, s, n);
    const lint_rule *r = lint_rule_find(name);
    return r ? r->id : name; /* unknown names are kept: they match nothing */
}

static void ignore_add(lint_ctx *ctx, const char *file, const char *rule, unsigned from, unsigned to)
{
    lint_ignore ig = {file, rule, from, to};
    VEC_PUSH(ctx->mem, ctx->ignores, ig);
}

/* One comment body (after "--"), from `p` to `end`, on `line`.  open_stmt:
 * first line of the statement the comment is inside (0 = between statements);
 * closed_stmt: first line of a statement that ended earlier on this line (0 = none). */
static void ignore_comment(lint_ctx *ctx, const char *file, const char *text, size_t len, const char *p,
                           const char *end, unsigned line, unsigned open_stmt, unsigned closed_stmt)
{
    while (p < end && is_space(*p))
        p++;
    bool whole_file = false;
    size_t plen = (size_t)(end - p);
    if (plen >= 18 && !strncmp(p, "dbsage:ignore-file", 18)) {
        whole_file = true;
        p += 18;
    } else if (plen >= 13 && !strncmp(p, "dbsage:ignore", 13)) {
        p += 13;
    } else if (plen >= 18 && !strncmp(p, "squawk-ignore-file", 18)) {
        whole_file = true;
        p += 18;
    } else if (plen >= 13 && !strncmp(p, "squawk-ignore", 13)) {
        p += 13;
    } else {
        return;
    }
    if (p < end && !is_space(*p) && *p != ':')
        return; /* e.g. "dbsage:ignored" */
    if (p < end && *p == ':')
        p++;
    unsigned from = line, to;
    if (whole_file) {
        from = 0;
        to = UINT_MAX;
    } else if (open_stmt) { /* inside a statement: the whole statement */
        from = open_stmt;
        to = statement_end_line(text, len, (size_t)(end - text), line);
    } else if (closed_stmt) { /* after `...;` on the same line: that statement */
        from = closed_stmt;
        to = line;
    } else { /* on its own line: the next statement */
        to = statement_end_line(text, len, (size_t)(end - text), line);
    }
    bool any = false;
    while (p < end) {
        while (p < end && (is_space(*p) || *p == ','))
            p++;
        const char *s = p;
        while (p < end && !is_space(*p) && *p != ',')
            p++;
        if (p > s) {
            ignore_add(ctx, file, ignore_rule_name(ctx, s, (size_t)(p - s)), from, to);
            any = true;
        }
    }
    if (!any)
        ignore_add(ctx, file, "*", from, to);
}

void lint_ignores_scan(lint_ctx *ctx, const char *file, const char *text, size_t len)
{
    if (!text)
        return;
    unsigned line = 1;
    unsigned open_stmt = 0;   /* first line of the statement being read, 0 = none */
    unsigned closed_stmt = 0; /* first line of a statement that ended on this line */
    size_t i = 0;
    while (i < len) {
        char c = text[i];
        if (c == '\n') {
            line++;
            closed_stmt = 0;
            i++;
            continue;
        }
        if (c == '-' && i + 1 < len && text[i + 1] == '-') {
            size_t s = i + 2;
            while (i < len && text[i] != '\n')
                i++;
            ignore_comment(ctx, file, text, len, text + s, text + i, line, open_stmt, closed_stmt);
            continue;
        }
        if (c == '/' && i + 1 < len && text[i + 1] == '*') {
            i += 2;
            while (i + 1 < len && !(text[i] == '*' && text[i + 1] == '/')) {
                if (text[i] == '\n')
                    line++;
                i++;
            }
            i += 2;
            continue;
        }
        if (is_space(c)) {
            i++;
            continue;
        }
        if (!open_stmt)
            open_stmt = line;
        if (c == ';') {
            closed_stmt = open_stmt;
            open_stmt = 0;
            i++;
        } else if (c == '\'' || c == '"') {
            i++;
            while (i < len && text[i] != c) {
                if (text[i] == '\n')
                    line++;
                i++;
            }
            i++;
        } else if (c == '$') {
            size_t j = i + 1;
            while (j < len && (text[j] == '_' || (text[j] >= 'a' && text[j] <= 'z') ||
                               (text[j] >= 'A' && text[j] <= 'Z') || (j > i + 1 && text[j] >= '0' && text[j] <= '9')))
                j++;
            if (j < len && text[j] == '$') {
                size_t taglen = j - i + 1;
                size_t k = j + 1;
                while (k + taglen <= len && memcmp(text + k, text + i, taglen) != 0) {
                    if (text[k] == '\n')
                        line++;
                    k++;
                }
                i = k + taglen;
            } else {
                i++;
            }
        } else {
            i++;
        }
    }
}

/* ---- reporting ------------------------------------------------------------ */

static const lint_rule_setting *setting_of(const lint_config *cfg, const char *id)
{
    if (!cfg)
        return NULL;
    for (size_t i = 0; i < cfg->rules.n; i++)
        if (cfg->rules.v[i].id && !strcmp(cfg->rules.v[i].id, id))
            return &cfg->rules.v[i];
    return NULL;
}

static bool same_file(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return !strcmp(a, b);
}

static bool ignored(const lint_ctx *ctx, const char *id, src_loc loc, unsigned end_line)
{
    for (size_t i = 0; i < ctx->ignores.n; i++) {
        const lint_ignore *ig = &ctx->ignores.v[i];
        if (!same_file(ig->file, loc.file))
            continue;
        if (strcmp(ig->rule, "*") != 0 && strcmp(ig->rule, id) != 0)
            continue;
        if (ig->from <= end_line && loc.line <= ig->to)
            return true;
    }
    return false;
}

void lint_report(lint_ctx *ctx, const char *id, src_loc loc, unsigned stmt_end_line, const char *object,
                 const char *help, const char *fmt, ...)
{
    const lint_rule *rule = lint_rule_find(id);
    if (!rule)
        return;
    diag_severity sev = rule->severity;
    const lint_rule_setting *set = setting_of(ctx->cfg, rule->id);
    if (set) {
        if (set->off)
            return;
        sev = set->severity;
    }
    unsigned end_line = stmt_end_line > loc.line ? stmt_end_line : loc.line;
    if (ignored(ctx, rule->id, loc, end_line))
        return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = arena_vprintf(ctx->mem, fmt, ap);
    va_end(ap);
    lint_finding f = {
        .rule = rule,
        .severity = sev,
        .loc = {arena_strdup(ctx->mem, loc.file), loc.line, loc.col},
        .object = arena_strdup(ctx->mem, object),
        .message = msg,
        .help = arena_strdup(ctx->mem, help),
    };
    VEC_PUSH(ctx->mem, ctx->findings, f);
}

static int cmp_str(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int finding_cmp(const void *pa, const void *pb)
{
    const lint_finding *a = pa, *b = pb;
    int c = cmp_str(a->loc.file, b->loc.file);
    if (c)
        return c;
    if (a->loc.line != b->loc.line)
        return a->loc.line < b->loc.line ? -1 : 1;
    if (a->loc.col != b->loc.col)
        return a->loc.col < b->loc.col ? -1 : 1;
    c = strcmp(a->rule->id, b->rule->id);
    if (c)
        return c;
    c = cmp_str(a->object, b->object);
    if (c)
        return c;
    return cmp_str(a->message, b->message);
}

void lint_sort(lint_ctx *ctx)
{
    if (ctx->findings.n > 1)
        qsort(ctx->findings.v, ctx->findings.n, sizeof *ctx->findings.v, finding_cmp);
}

size_t lint_count(const lint_ctx *ctx, diag_severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < ctx->findings.n; i++)
        if (ctx->findings.v[i].severity == sev)
            n++;
    return n;
}
