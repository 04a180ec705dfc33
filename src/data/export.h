/*
 * export.h — `dbsage export`: a foreign-key-closed subset of a database,
 * anonymised, written to another database (SQLite or PostgreSQL) or to a
 * SQL dump.
 *
 *   closure (export.c)   root filters (table.col = value) -> the set of rows
 *                        to export, keyed by primary key, kept in a private
 *                        temporary SQLite scratch database (the source is
 *                        only read); parents are always followed, children
 *                        as configured, iterated to a fixed point (cycles
 *                        end because a row is visited once per direction)
 *   anonymise            data/anon.h: per-column rules + default secret
 *                        removal, applied in the row hook; `shuffle` as a
 *                        second pass on the loaded target; deterministic per seed
 *   load                 the copy engine (copy.h): the plan creates the
 *                        target schema, one job per table, a row hook keeps
 *                        only closure rows and rewrites anonymised columns;
 *                        dbsage_migrations travels whole; a dbsage_export
 *                        row records source, filters, seed, read_only
 *   dump (export_dump.c) an exported SQLite database -> DDL + INSERTs
 *
 * Library code: never prints or exits; problems go to the diag_list.
 */
#ifndef DBSAGE_EXPORT_H
#define DBSAGE_EXPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "data/anon.h"
#include "db/db.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/vec.h"

typedef enum export_follow {
    EXPORT_FOLLOW_DESCENDANTS = 0, /* default: children of root rows and of their children, transitively;
                                      parents of every exported row (never the children of a parent) */
    EXPORT_FOLLOW_PARENTS,         /* root rows and their parents only */
    EXPORT_FOLLOW_BOTH,            /* full closure: children and parents of every exported row */
} export_follow;

typedef struct export_filter {
    const char *table;   /* "table" or "schema.table" */
    const char *column;
    const char *value;   /* bound as a parameter */
} export_filter;

/* "table.col = value" (value may be quoted '...') -> filter; -1 + diag when malformed */
int export_parse_filter(const char *text, arena *mem, export_filter *out, diag_list *diags);

/* ---- run -------------------------------------------------------------------- */

typedef struct export_opts {
    const export_filter *filters;
    int nfilters;
    export_follow follow;
    anon_rules *rules;           /* NULL: none (values kept) */
    const char *seed;            /* --seed text ("" none); anon_seed_parse'd */
    bool read_only;              /* PG target: ALTER DATABASE ... SET default_transaction_read_only */
    const char *source_label;    /* masked source URL for dbsage_export */
} export_opts;

typedef struct export_table_count {
    const char *table;
    int64_t rows;
} export_table_count;

typedef struct export_result {
    VEC(export_table_count) tables;  /* exported rows per table (every table of the source) */
    int64_t rows;
} export_result;

/* Compute the closure on src and load it into dst (created through the copy
 * engine's plan).  0, or -1 with diagnostics. */
int export_run(const char *src_spec, const char *dst_spec, db_conn *src, db_conn *dst, const export_opts *opts,
               arena *mem, export_result *out, diag_list *diags);

/* An SQLite database (an export) -> SQL script: its schema (catalog
 * emitters) then INSERT statements, values quoted by sql_quote_literal,
 * tables in dependency order, rows by primary key. */
int export_dump_sqlite(const char *sqlite_path, strbuf *out, arena *mem, diag_list *diags);

#endif
