/*
 * pg_sql_annotate.h — `-- dbsage:renamed-from OLD` annotations of the
 * PostgreSQL SQL-file reader (pg_sql_annotate.c).
 */
#ifndef DBSAGE_PG_SQL_ANNOTATE_H
#define DBSAGE_PG_SQL_ANNOTATE_H

#include "source/pg_sql_util.h"

/* After a statement was interpreted: record the rename hints its text
 * carries (statement head, column definitions, enum labels). */
void pg_annot_statement(pgr *r, const PgQuery__Node *stmt);

#endif
