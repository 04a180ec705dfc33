/*
 * lint_migration_int.h — internals of the migration-safety rules shared by
 * lint_migration.c (driver: parsing, per-file state, statements other than
 * ALTER TABLE) and lint_migration_table.c (CREATE TABLE / ALTER TABLE,
 * column types, defaults, constraints).
 */
#ifndef DBSAGE_LINT_MIGRATION_INT_H
#define DBSAGE_LINT_MIGRATION_INT_H

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "analysis/lint.h"
#include "util/hashmap.h"

/* a table created in this file: its columns (declared type text: SQLite only) */
typedef struct mig_newtable {
    strvec cols;
    strvec types;
} mig_newtable;

/* an existing table dropped in this file: reported as ban-drop-table at the
 * end unless a table created here is renamed to its name (a rebuild) */
typedef struct mig_drop {
    const char *schema, *name, *display;
    src_loc loc;
    unsigned end_line;
    bool rebuilt;
} mig_drop;

/* the state of one migration file while its statements are checked in order */
typedef struct mig {
    lint_ctx *ctx;
    dialect d;
    const char *file;
    const char *text;          /* NUL-terminated copy */
    size_t len;
    line_index li;
    unsigned first_line;
    const catalog *before;     /* NULL = unknown: every table not created here exists */
    arena tmp;
    hashmap created;           /* "schema.table" -> mig_newtable of tables created in this file */
    mig_newtable no_info;      /* value for tables whose columns are unknown */
    hashmap renamed;           /* "schema.table" new names of existing tables renamed here */
    VEC(mig_drop) drops;
    hashmap robust_constraints;/* constraint names dropped IF EXISTS (re-adding is robust) */
    hashmap not_valid_in_tx;   /* constraint names added NOT VALID in the open transaction */
    size_t n_stmts;            /* statements in the file (1 = implicit transaction) */
    bool in_tx;
    src_loc begin_loc;         /* the BEGIN of the open transaction */
    bool lock_timeout, statement_timeout, timeout_reported;
    bool lock_timeout_local, statement_timeout_local; /* set by SET LOCAL: end with the transaction */
    /* the current statement */
    size_t base;               /* offset of the parsed text whose locations nodes carry */
    size_t stmt_off, stmt_end;
    src_loc stmt_loc;
    unsigned stmt_end_line;
} mig;

/* report rule `id` at a node location (relative to m->base; < 0 = the
 * statement's start); skipped for rules that make no sense in m->d */
void mig_report(mig *m, const char *id, int node_loc, const char *object, const char *help,
                const char *fmt, ...) __attribute__((format(printf, 6, 7)));

const char *mig_schema(const mig *m, const char *schema);       /* schema or the default */
const char *mig_key(mig *m, const char *schema, const char *name);
const char *mig_rv_display(mig *m, const PgQuery__RangeVar *rv);
/* true when the table existed before this file: not created here and (with a
 * `before` catalog) present in it */
bool mig_table_existing(mig *m, const PgQuery__RangeVar *rv);
void mig_table_created(mig *m, const PgQuery__RangeVar *rv, mig_newtable *info);
const cat_table *mig_before_table(const mig *m, const char *schema, const char *name);

/* ---- rebuilds (lint_migration_rebuild.c) ---- */
/* the columns of a CREATE TABLE (type text from the source for SQLite) */
mig_newtable *mig_newtable_of(mig *m, const PgQuery__CreateStmt *st, size_t base);
/* DROP TABLE of an existing table: deferred */
void mig_drop_table(mig *m, const char *schema, const char *name, const char *display);
/* new table `from` (created here, info) renamed to `schema.to`: a rebuild when `to` was dropped */
void mig_rename_new_table(mig *m, const char *schema, const char *to, const mig_newtable *info);
/* end of file: the drops that were not rebuilds */
void mig_drops_report(mig *m);
/* SQLite-only syntax blanked out (same length) so libpg_query can parse the rest; NULL if none */
char *mig_sqlite_blank(arena *mem, const char *sql, size_t len);
/* a statement that takes a strong lock on an existing table: the timeout rule */
void mig_locking(mig *m, int node_loc);
/* prefer-robust-stmts applies: outside a transaction, several statements */
bool mig_robust_applies(const mig *m);

void mig_create_table(mig *m, PgQuery__CreateStmt *st);
void mig_alter_table(mig *m, PgQuery__AlterTableStmt *st);
/* column type style rules (PG): bigint, identity, text, timestamptz, char */
void mig_check_type(mig *m, const PgQuery__TypeName *tn, const char *object);

#endif
