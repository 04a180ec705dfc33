/*
 * lint.h — rules, findings and their reporting, shared by the two rule sets:
 *
 *   design rules     (lint_design.c)    on the resulting catalog
 *   migration rules  (lint_migration.c) on the statements of migration files,
 *                                       knowing the schema before each file
 *
 * Every rule has a stable kebab-case id, an optional squawk alias (accepted
 * wherever an id is: config, inline ignores, --rule), a default severity, a
 * one-line summary and a documentation page docs/rules/<id>.md.
 *
 * Suppression: a config file (YAML, libfyaml)
 *     rules:
 *       missing-primary-key: off          # or: error | warning | note
 *       require-concurrent-index-creation: error
 *     tenant:
 *       column: client_id                 # what "tenant table" means
 *       tables: ['*']                     # globs of tables that must be tenant-scoped
 * and inline comments in the SQL:
 *     -- dbsage:ignore RULE[,RULE...]     the next statement (or this line's statement)
 *     -- dbsage:ignore-file RULE[,...]    the whole file
 * (squawk's "-- squawk-ignore RULE" is honoured too).
 */
#ifndef DBSAGE_LINT_H
#define DBSAGE_LINT_H

#include <stdbool.h>

#include "catalog/catalog.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/vec.h"

typedef enum lint_category { LINT_DESIGN, LINT_MIGRATION } lint_category;

typedef struct lint_rule {
    const char *id;              /* "missing-primary-key" */
    const char *squawk;          /* squawk's name, or NULL */
    lint_category category;
    diag_severity severity;      /* default */
    const char *summary;         /* one line, for --list-rules and SARIF shortDescription */
} lint_rule;

typedef struct lint_finding {
    const lint_rule *rule;
    diag_severity severity;      /* after configuration */
    src_loc loc;                 /* file:line:col of the statement / object */
    const char *object;          /* "public.users.email", or NULL */
    const char *message;
    const char *help;            /* how to fix, one line, or NULL */
} lint_finding;

typedef struct lint_rule_setting {
    const char *id;              /* canonical id */
    bool off;
    diag_severity severity;
} lint_rule_setting;

typedef struct lint_config {
    VEC(lint_rule_setting) rules;
    const char *tenant_column;   /* default "tenant_id"; also matched: client_id, org_id, account_id */
    strvec tenant_tables;        /* globs; empty = tables having any tenant-like column */
} lint_config;

/* A suppression from an inline comment: rule (canonical id, or "*" for
 * all) in file from line `from` to `to` (a whole file: 0..UINT_MAX). */
typedef struct lint_ignore {
    const char *file;
    const char *rule;
    unsigned from, to;
} lint_ignore;

typedef struct lint_ctx {
    arena *mem;
    const lint_config *cfg;
    VEC(lint_finding) findings;
    VEC(lint_ignore) ignores;
} lint_ctx;

/* all rules of both sets, in documentation order; NULL-id terminated */
const lint_rule *lint_rules(void);
/* by id or squawk alias; NULL when unknown */
const lint_rule *lint_rule_find(const char *id_or_alias);

void lint_config_init(lint_config *cfg);
/* YAML config (libfyaml).  Unknown rule ids are errors at file:line:col. */
int lint_config_load(lint_config *cfg, arena *mem, const char *path, diag_list *diags);

void lint_ctx_init(lint_ctx *ctx, arena *mem, const lint_config *cfg);
/* Record the inline `-- dbsage:ignore` / `-- squawk-ignore` comments of one
 * SQL text (before the rules run on it). */
void lint_ignores_scan(lint_ctx *ctx, const char *file, const char *text, size_t len);
/* Report a finding of rule `id` at loc unless disabled by config or an inline
 * ignore covering loc.line; `stmt_end_line` is the last line of the
 * statement (an ignore comment directly above the statement, or on any of
 * its lines, covers it); 0 = loc.line. */
void lint_report(lint_ctx *ctx, const char *id, src_loc loc, unsigned stmt_end_line, const char *object,
                 const char *help, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* findings sorted by file, line, col, rule */
void lint_sort(lint_ctx *ctx);
size_t lint_count(const lint_ctx *ctx, diag_severity sev);

/* ---- the rule sets -------------------------------------------------------- */

const lint_rule *lint_design_rules(void);      /* NULL-id terminated */
const lint_rule *lint_migration_rules(void);   /* NULL-id terminated */

/* Design rules over a whole catalog. */
void lint_design_run(lint_ctx *ctx, const catalog *cat);
/* Design checks on a source text itself (call once per file, PG dialect):
 * identifier-too-long, since PostgreSQL truncates identifiers over 63 bytes
 * while parsing and the catalog never sees the long name. */
void lint_design_scan(lint_ctx *ctx, dialect d, const char *file, const char *text, size_t len);
/* Migration-safety rules over one migration file (or section): `before` is
 * the schema as it stands before this text runs (NULL = unknown: every table
 * counts as existing); tables created earlier in the same text are "new" and
 * exempt from the lock rules, like squawk.  first_line: line of text[0] in file. */
int lint_migration_run(lint_ctx *ctx, dialect d, const char *file, const char *text, size_t len,
                       unsigned first_line, const catalog *before, diag_list *diags);

/* ---- output ----------------------------------------------------------------- */

void lint_emit_text(strbuf *out, const lint_ctx *ctx, bool color);
void lint_emit_json(strbuf *out, const lint_ctx *ctx);
/* SARIF 2.1.0: one run, tool.driver {name, version, informationUri, rules[]
 * with id, name, shortDescription, helpUri, defaultConfiguration.level},
 * results[] with ruleId, ruleIndex, level, message, locations
 * (physicalLocation.artifactLocation.uri + region.startLine/startColumn). */
void lint_emit_sarif(strbuf *out, const lint_ctx *ctx);
/* GitHub Actions workflow commands: ::error file=F,line=L,col=C,title=RULE::message */
void lint_emit_github(strbuf *out, const lint_ctx *ctx);
/* the rule index: aligned text, or the markdown table of docs/rules/README.md */
void lint_emit_rules(strbuf *out, bool markdown);

#endif
