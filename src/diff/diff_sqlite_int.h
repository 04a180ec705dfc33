/*
 * diff_sqlite_int.h — state shared by the SQLite diff backend's files:
 * diff_sqlite.c (pairing, table fates, ALTER TABLE path), diff_sqlite_rebuild.c
 * (the 12-step rebuild) and diff_sqlite_deps.c (indexes, views, triggers and
 * the dependents a table change forces out).  Internal, not a public API.
 */
#ifndef DBSAGE_DIFF_SQLITE_INT_H
#define DBSAGE_DIFF_SQLITE_INT_H

#include "diff/diff.h"
#include "util/hashmap.h"

typedef enum sq_fate {
    FATE_SAME = 0,   /* nothing to do for the table itself (maybe renamed) */
    FATE_ALTER,      /* ALTER TABLE RENAME COLUMN / DROP COLUMN / ADD COLUMN */
    FATE_REBUILD,    /* the 12-step rebuild */
    FATE_REPLACE,    /* virtual table changed: DROP + CREATE */
    FATE_DROP,       /* only in FROM */
    FATE_CREATE,     /* only in TO */
} sq_fate;

typedef struct sq_pair {
    cat_table *f;    /* FROM table, NULL when created */
    cat_table *t;    /* TO table, NULL when dropped */
    sq_fate fate;
    const char *reason;   /* why a rebuild is needed */
} sq_pair;

typedef struct sqd {
    diff_plan *plan;
    catalog *from, *to;
    const diff_opts *opts;
    arena tmp;
    VEC(sq_pair *) pairs;
    hashmap by_from;      /* FROM table name -> sq_pair */
    hashmap by_to;        /* TO table name -> sq_pair */
    hashmap colmap;       /* "from table\x1fcolumn" -> new column name (valid renames) */
    hashmap gone;         /* lower-case FROM relation names whose dependents are dropped first */
    bool any_rebuild;
} sqd;

/* lower-case copy in d->tmp */
const char *sqd_lower(sqd *d, const char *s);
bool sqd_streq(const char *a, const char *b);
/* the column name in TO of FROM table `table`'s column `col` */
const char *sqd_col_new(sqd *d, const char *table, const char *col);
/* the TO name of FROM table `name` (itself when not paired) */
const char *sqd_table_new(sqd *d, const char *name);
/* does text (SQL) mention, as an identifier token, any name in set (lower-case keys)? */
bool sqd_mentions_any(sqd *d, const char *text, const hashmap *set);
bool sqd_mentions(sqd *d, const char *text, const char *name);
/* whitespace-collapsed comparison of statement text */
bool sqd_same_text(const char *a, const char *b);
void sqd_mark_gone(sqd *d, const char *name);

/* does TO table t have a constraint FROM table f lacks? (may reject rows) */
bool sqd_adds_constraints(sqd *d, const cat_table *f, const cat_table *t);

/* diff_sqlite_rebuild.c */
void sqd_emit_rebuild(sqd *d, sq_pair *p);

/* diff_sqlite_deps.c: indexes, views, triggers (after the table fates are known) */
bool sqd_index_equal(sqd *d, const cat_index *fi, const cat_index *ti);
void sqd_diff_indexes(sqd *d);
void sqd_diff_views_and_triggers(sqd *d);

#endif
