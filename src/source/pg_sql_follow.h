/*
 * pg_sql_follow.h — PostgreSQL SQL reader: column renames followed into
 * expressions, ALTER TYPE on composite types (pg_sql_follow.c).
 */
#ifndef DBSAGE_PG_SQL_FOLLOW_H
#define DBSAGE_PG_SQL_FOLLOW_H

#include "source/pg_sql_util.h"

/* text with every identifier token `old` that is used as a column (not a
 * function name, not a type after ::, not inside a string literal) spelled
 * `nw`; `text` itself when nothing changed */
const char *pg_sql_rename_ident(arena *a, const char *text, const char *old, const char *nw);
/* rewrite the expressions of table t after column old was renamed nw */
void pg_sql_column_renamed(pgr *r, cat_table *t, const char *old, const char *nw);
/* ALTER TYPE composite ADD / DROP / ALTER ATTRIBUTE (an AlterTableStmt of OBJECT_TYPE) */
void pg_sql_alter_composite(pgr *r, PgQuery__AlterTableStmt *st);
/* ALTER TYPE composite RENAME ATTRIBUTE a TO b */
void pg_sql_rename_attribute(pgr *r, PgQuery__RenameStmt *st);

#endif
