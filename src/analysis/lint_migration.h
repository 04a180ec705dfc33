/*
 * lint_migration.h — lint_migration_run() (lint.h) on a text that is already
 * parsed, so a caller that also reads the text into a catalog
 * (pg_sql_read_parsed, source/pg_parse.h) parses each migration once.
 */
#ifndef DBSAGE_LINT_MIGRATION_H
#define DBSAGE_LINT_MIGRATION_H

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "analysis/lint.h"

/* As lint_migration_run; `tree` is libpg_query's parse of exactly text[0, len)
 * (pg_parse_unpack, or pg_parse_next's pg_parsed.tree), NULL = parse here
 * (also when the text has a syntax error: the tree is NULL then anyway). */
int lint_migration_run_tree(lint_ctx *ctx, dialect d, const char *file, const char *text, size_t len,
                            unsigned first_line, const catalog *before, PgQuery__ParseResult *tree,
                            diag_list *diags);

#endif
