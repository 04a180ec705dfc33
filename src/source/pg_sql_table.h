/*
 * pg_sql_table.h — internals shared by pg_sql_table.c (CREATE/DROP TABLE,
 * columns, constraints) and pg_sql_alter.c (ALTER TABLE, CREATE INDEX).
 */
#ifndef DBSAGE_PG_SQL_TABLE_H
#define DBSAGE_PG_SQL_TABLE_H

#include "source/pg_sql_util.h"

/* a constraint waiting to be created once all columns exist */
typedef struct pgt_pend {
    PgQuery__Constraint *c;
    const char *col;        /* column of a column constraint, NULL for table constraints */
    bool deferrable, deferred;
} pgt_pend;
typedef VEC(pgt_pend) pgt_pending;

void pgt_pend_add(pgr *r, pgt_pending *p, PgQuery__Constraint *c, const char *col);
void pgt_apply_pending(pgr *r, cat_table *t, pgt_pending *p);
void pgt_column_constraint(pgr *r, cat_column *col, PgQuery__Constraint *c, pgt_pending *p);
cat_column *pgt_add_column(pgr *r, cat_table *t, PgQuery__ColumnDef *cd, pgt_pending *p);
void pgt_index_colnames(pgr *r, PgQuery__Node **elems, size_t n, strvec *out);
bool pgt_drop_dependent_views(pgr *r, const char *qualified, const char *what, bool cascade);

#endif
