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
 * "enum", "other", and "any" for an untyped SQLite column (or an empty
 * type).  (SQLite: by type affinity rules + name hints.)  Without a
 * catalog, user-defined types (enums, domains) are "other": use
 * typemap_family_in. */
const char *typemap_family(dialect d, const char *type);
/* How two column types relate across dialects:
 *   TYPE_SAME        same family and, in the same dialect, same type
 *   TYPE_WIDER       b can hold every value of a (int -> bigint, varchar(50) -> text, json -> text)
 *   TYPE_NARROWER    the reverse
 *   TYPE_CONFLICT    different families that do not convert losslessly */
typedef enum type_relation { TYPE_SAME, TYPE_WIDER, TYPE_NARROWER, TYPE_CONFLICT } type_relation;
type_relation typemap_relate(dialect da, const char *ta, dialect db, const char *tb);
/* With the catalogs the types come from: domains resolved to their base
 * type (typemap_resolve), enums are family "enum" and relate by labels
 * (a's labels a subset of b's: WIDER). */
const char *typemap_resolve(const catalog *c, const char *type);
const char *typemap_family_in(const catalog *c, const char *type);
type_relation typemap_relate_in(const catalog *ca, const char *ta, const catalog *cb, const char *tb);
const char *typemap_relation_name(type_relation r);  /* "same", "wider", "narrower", "conflict" */

typedef enum col_diff_kind {
    COLDIFF_ONLY_A,        /* column only in a (its type in col_diff.a, b NULL) */
    COLDIFF_ONLY_B,        /* column only in b (its type in col_diff.b, a NULL) */
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
    double name_similarity;/* match_name_similarity of the table names (schemas ignored) */
    double column_overlap; /* 0..1: typed Jaccard on column names: a common column counts 1,
                              0.5 when its types conflict; divided by the union size */
    double score;          /* 0..1: name_similarity x column_overlap */
    /* identical: no diffs; compatible: one side a superset of the other
     * (only ONLY_x of one side, WIDER/NARROWER in one direction, extra
     * constraints on one side); conflicting: anything else.  "More" means:
     * the extra column, the wider type, the NOT NULL / default / PK /
     * UNIQUE / FK / CHECK present on that side only.  Any col_diff with
     * conflict=true (type CONFLICT, two different defaults, different PK
     * columns, an FK on the same columns to another table) or "more" on
     * both sides makes it conflicting. */
    enum { MATCH_IDENTICAL, MATCH_COMPATIBLE, MATCH_CONFLICTING } verdict;
    int superset;          /* verdict COMPATIBLE: 1 = a is the superset, 2 = b, 0 = neither
                              (only same-capacity respellings, e.g. varchar vs text) */
} table_match;

/* Compare two tables column by column and constraint by constraint. */
void match_tables(arena *mem, const catalog *ca, const cat_table *a, const catalog *cb, const cat_table *b,
                  table_match *out);
/* 0..1 similarity of two identifiers: equal ignoring case/underscores/plural
 * 's' -> 1; else the larger of the squared normalised edit similarity of
 * the joined tokens and the Dice coefficient of the token sets (< 1). */
double match_name_similarity(const char *a, const char *b);
const char *match_verdict_name(int verdict);           /* "identical", "compatible", "conflicting" */
const char *match_diff_kind_name(col_diff_kind k);     /* "only_a", "type", "foreign_key", ... */

#endif
