/*
 * pg_sql_view.h — view-body preparation for the PostgreSQL SQL reader
 * (pg_sql_view.c): expand `*` / `t.*` and qualify columns of join views
 * like pg_get_viewdef, on the borrowed statement tree, undoably.
 */
#ifndef DBSAGE_PG_SQL_VIEW_H
#define DBSAGE_PG_SQL_VIEW_H

#include "source/pg_sql_util.h"

typedef struct pgv_change {
    PgQuery__Node ***list;  /* the rewritten (node array, count) pair */
    size_t *n;
    PgQuery__Node **old_list;
    size_t old_n;
} pgv_change;

typedef struct pgv_undo {
    VEC(pgv_change) changes;  /* in r->tmp */
} pgv_undo;

/* Rewrite `query` (a SelectStmt node) in place: stars expanded from the
 * catalog's relations, unqualified columns of multi-relation FROMs
 * qualified.  New nodes come from r->tmp; call pg_sql_view_undo() before
 * the tree is freed or used for anything else. */
void pg_sql_view_expand(pgr *r, PgQuery__Node *query, pgv_undo *undo);
void pg_sql_view_undo(pgv_undo *undo);

#endif
