/*
 * match.h — comparing tables across catalogs, possibly of different
 * dialects: the shared ground of `inventory` (the same table defined in
 * several files) and `compare` (two databases to integrate).
 *
 * Types are compared through a documented portable type family
 * (docs/type-mapping.md): a PostgreSQL `bigint` and an SQLite `INTEGER`
 * are the same family "integer"; `jsonb` and SQLite `TEXT` holding JSON
 * are "json"/"text" (compatible, not equal); and so on.  So a PostgreSQL
 * variant and an SQLite variant of one table are not reported as
 * conflicting for dialect reasons alone.
 */
#ifndef DBSAGE_MATCH_H
#define DBSAGE_MATCH_H

#include <stdbool.h>

#include "catalog/catalog.h"
#include "util/arena.h"
#include "util/vec.h"

/* Portable family of a normalised column type of dialect d:
 * "integer", "decimal", "float", "boolean", "text", "binary", "json",
 * "uuid", "date", "time", "timestamp", "timestamptz", "interval", "array",
 * "enum", "other".  (SQLite: by type affinity rules + name hints.) */
const char *typemap_family(dialect d, const char *type);
/* How two column types relate across dialects:
 *   TYPE_SAME        same family and, in the same dialect, same type
 *   TYPE_WIDER       b can hold every value of a (int -> bigint, varchar(50) -> text, json -> text)
 *   TYPE_NARROWER    the reverse
 *   TYPE_CONFLICT    different families that do not convert losslessly */
typedef enum type_relation { TYPE_SAME, TYPE_WIDER, TYPE_NARROWER, TYPE_CONFLICT } type_relation;
type_relation typemap_relate(dialect da, const char *ta, dialect db, const char *tb);

typedef enum col_diff_kind {
    COLDIFF_ONLY_A,        /* column only in a */
    COLDIFF_ONLY_B,
    COLDIFF_TYPE,          /* see relation */
    COLDIFF_NULLABLE,      /* NOT NULL on one side only */
    COLDIFF_DEFAULT,       /* different normalised defaults (not dialect spellings like now()/CURRENT_TIMESTAMP) */
    COLDIFF_PRIMARY_KEY,   /* different primary key columns */
    COLDIFF_UNIQUE,        /* a unique constraint/index on one side only */
    COLDIFF_FOREIGN_KEY,   /* FK on one side only, or to a different table */
    COLDIFF_CHECK,         /* CHECK on one side only */
} col_diff_kind;

typedef struct col_diff {
    col_diff_kind kind;
    const char *column;    /* or constraint description for PK/UNIQUE/FK/CHECK */
    const char *a, *b;     /* the two sides as text ("bigint", "NOT NULL", "REFERENCES users(id)"), NULL = absent */
    type_relation relation;/* COLDIFF_TYPE */
    bool conflict;         /* true: contradicts (not just one side having more) */
} col_diff;

typedef struct table_match {
    const cat_table *a, *b;
    dialect da, db;
    VEC(col_diff) diffs;
    int common_columns;    /* same name (case-insensitive) */
    double score;          /* 0..1: name similarity x column overlap (Jaccard on names, typed) */
    /* identical: no diffs; compatible: one side a superset of the other
     * (only ONLY_x of one side, WIDER/NARROWER in one direction, extra
     * constraints on one side); conflicting: anything else */
    enum { MATCH_IDENTICAL, MATCH_COMPATIBLE, MATCH_CONFLICTING } verdict;
    int superset;          /* verdict COMPATIBLE: 1 = a is the superset, 2 = b */
} table_match;

/* Compare two tables column by column and constraint by constraint. */
void match_tables(arena *mem, const catalog *ca, const cat_table *a, const catalog *cb, const cat_table *b,
                  table_match *out);
/* 0..1 similarity of two identifiers: equal ignoring case/underscores/plural
 * 's' -> 1; else normalised edit distance on the tokens. */
double match_name_similarity(const char *a, const char *b);

#endif
