/*
 * lint_design.c — the design rules: checks on the resulting schema (a
 * catalog read from files or from a live database), each finding placed at
 * the CREATE location of the object from its provenance.
 */
#include "analysis/lint.h"

#include <string.h>

static const lint_rule design_rules[] = {
    {"missing-primary-key", NULL, LINT_DESIGN, DIAG_WARNING, "table has no primary key"},
    {"fk-missing-index", NULL, LINT_DESIGN, DIAG_WARNING,
     "foreign key columns are not a prefix of any index, primary key or unique constraint"},
    {"fk-type-mismatch", NULL, LINT_DESIGN, DIAG_ERROR,
     "foreign key column type differs from the referenced column type"},
    {"fk-missing-on-delete", NULL, LINT_DESIGN, DIAG_NOTE,
     "foreign key without an explicit ON DELETE policy (defaults to NO ACTION)"},
    {"tenant-table-without-rls", NULL, LINT_DESIGN, DIAG_WARNING,
     "table with a tenant column does not enable row level security"},
    {"tenant-column-missing", NULL, LINT_DESIGN, DIAG_WARNING,
     "table that must be tenant-scoped (config tenant.tables) lacks the tenant column"},
    {"json-in-text", NULL, LINT_DESIGN, DIAG_WARNING, "JSON stored in a text/varchar column; use json/jsonb"},
    {"plaintext-secret", NULL, LINT_DESIGN, DIAG_ERROR,
     "column looks like a plaintext secret (password, token, api key)"},
    {"timestamp-without-time-zone", NULL, LINT_DESIGN, DIAG_WARNING,
     "timestamp without time zone; use timestamptz"},
    {"prefer-text-over-varchar", NULL, LINT_DESIGN, DIAG_WARNING,
     "varchar(n) where text (with a CHECK if needed) serves"},
    {"identifier-too-long", NULL, LINT_DESIGN, DIAG_ERROR,
     "identifier longer than 63 bytes (PostgreSQL truncates it)"},
    {"duplicate-index", NULL, LINT_DESIGN, DIAG_WARNING,
     "index duplicates another index or the primary key / a unique constraint"},
    {"table-without-timestamps", NULL, LINT_DESIGN, DIAG_NOTE,
     "table has no created_at / updated_at-like column"},
    {"role-literal-password", NULL, LINT_DESIGN, DIAG_ERROR,
     "role created or altered with a literal password in the source"},
    {NULL, NULL, LINT_DESIGN, DIAG_NOTE, NULL},
};

const lint_rule *lint_design_rules(void) { return design_rules; }

void lint_design_run(lint_ctx *ctx, const catalog *cat)
{
    (void)ctx;
    (void)cat;
}
