/*
 * cmd_import.h — what `dbsage import` (cmd_import.c) shares with
 * `dbsage verify --spec` (cmd_verify.c): opening the spec and its target,
 * and printing the per-source / per-table summary.
 */
#ifndef DBSAGE_CMD_IMPORT_H
#define DBSAGE_CMD_IMPORT_H

#include <stdbool.h>

#include "data/import.h"
#include "data/spec.h"
#include "db/db.h"

/* Loads the spec, resolves the target (--into > spec into: > DATABASE_URL >
 * .env > dbsage.db), opens it (SQLite: created when absent).  NULL with
 * *rc = EXIT_USAGE after printing diagnostics. */
db_conn *cli_import_open(const char *spec_path, const char *into, arena *mem, diag_list *diags,
                         import_spec **spec_out, int *rc);
/* The summary: text (a table per source) or JSON; verify adds the recount. */
void cli_import_summary(FILE *out, const import_result *res, bool json, bool verify, const char *target);

#endif
