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

/* re-derive v->definition and v->definition_norm from `query` (a SelectStmt
 * node) like CREATE VIEW does; depends_on is left alone (pg_sql_routines.c) */
void pg_sql_view_redefine(pgr *r, cat_view *v, PgQuery__Node *query);

/* views reading relation os.on (renamed / moved to ns.nn, already done in the
 * catalog) or column old of t (renamed nw, already done) get their bodies
 * respelled like the server's OID-based view definitions (pg_sql_viewfollow.c) */
void pg_sql_views_follow_relation(pgr *r, const char *os, const char *on, const char *ns,
                                  const char *nn);
void pg_sql_views_follow_column(pgr *r, const cat_table *t, const char *old, const char *nw);

#endif
