/*
 * pg_live_int.h — internals shared by the live PostgreSQL reader
 * (pg_live.c: connection, helpers, the table/column map and the
 * normalisation cache; pg_live_tables.c: schemas, tables, columns,
 * constraints; pg_live_objects.c and pg_live_routines.c: every other object
 * kind).  Not a public interface.
 */
#ifndef DBSAGE_PG_LIVE_INT_H
#define DBSAGE_PG_LIVE_INT_H

#include <libpq-fe.h>

#include "catalog/catalog.h"
#include "source/source.h"

/* A table read in this pass, by pg_class oid: its columns by attnum, so
 * attnum lists (conkey, indkey, ...) resolve in C instead of per-row
 * subqueries on the server. */
typedef struct pg_live_rel {
    cat_table *table;
    VEC(cat_column *) att;    /* index = attnum; NULL for dropped columns */
} pg_live_rel;

/* A catalog query of the plan: sent up front (pipelined), read in order. */
typedef struct pg_live_planned {
    const char *what;
    const char *sql;
    int conn;                 /* 0 = conn, 1 = conn2 */
} pg_live_planned;

/* One read: the connections, the catalog being filled, where diags go. */
typedef struct pg_live_ctx {
    catalog *cat;
    PGconn *conn;
    PGconn *conn2;            /* second session on the same snapshot, NULL if none */
    bool collecting;          /* pg_live_query only records the plan */
    VEC(pg_live_planned) plan;
    size_t next;              /* next planned query to read */
    diag_list *diags;
    src_loc loc;              /* masked URL, line 0: provenance of everything read */
    const char *schema_param; /* text[] literal of --schema filters, NULL = all */
    cat_table *last_table;    /* lookup cache: rows come grouped by table */
    arena tmp;                /* per-read scratch: the maps below */
    hashmap rels;             /* table oid text -> pg_live_rel */
    hashmap norms;            /* expression text -> normalised (cat arena) */
    pg_live_rel *last_rel;    /* lookup cache for pg_live_rel_get */
    const char *last_rel_oid;
} pg_live_ctx;

/* Namespace filter on alias `n` (system schemas out, --schema filter in $1). */
#define PGL_NS_FILTER(n)                                                          \
    "(" n ".nspname NOT IN ('pg_catalog', 'information_schema') AND " n          \
    ".nspname !~ '^pg_(toast|temp_)' AND ($1::text[] IS NULL OR " n                \
    ".nspname = ANY($1::text[])))"

/* Object `oid` of catalog `cls` is not a member of an extension. */
#define PGL_NOT_EXT(cls, oid)                                                     \
    "NOT EXISTS (SELECT 1 FROM pg_depend x_ WHERE x_.classid = '" cls            \
    "'::regclass AND x_.objid = " oid " AND x_.deptype = 'e')"

/* Comment of an object: a scalar subquery (index probe; a join to
 * pg_description gets badly misestimated on fresh databases). */
#define PGL_COMMENT(oid, cls, sub)                                                \
    "(SELECT d_.description FROM pg_description d_ WHERE d_.objoid = " oid        \
    " AND d_.classoid = '" cls "'::regclass AND d_.objsubid = " sub ")"

/* pg_live_pipeline.c.  Every reader step starts with one pg_live_query: in
 * the collect pass it records (what, sql) and returns NULL; after
 * pg_live_send_plan has pipelined all queries (two sessions sharing one
 * exported snapshot when possible) it returns the step's result ($1 =
 * schema filter), NULL + diag on failure. */
PGresult *pg_live_query(pg_live_ctx *x, const char *what, const char *sql);
int pg_live_connect(pg_live_ctx *x, const char *conninfo);
int pg_live_send_plan(pg_live_ctx *x);
void pg_live_disconnect(pg_live_ctx *x);
/* error diag "<prefix><server message>" at the masked URL */
void pg_live_diag(pg_live_ctx *x, const char *prefix, const char *msg);
/* Cell text, NULL for SQL NULL (valid until PQclear). */
const char *pg_live_get(const PGresult *r, int row, int col);
/* Cell text copied into the catalog arena, NULL for SQL NULL. */
const char *pg_live_str(pg_live_ctx *x, const PGresult *r, int row, int col);
bool pg_live_bool(const PGresult *r, int row, int col);
long long pg_live_int(const PGresult *r, int row, int col);
/* Parse a one-dimensional array literal ({a,"b c",NULL}) into arena strings. */
void pg_live_array(pg_live_ctx *x, const char *lit, strvec *out);
/* Split s[0..len) on commas outside parentheses, brackets and quotes. */
void pg_live_split_top(arena *mem, const char *s, size_t len, strvec *out);
/* Index of the ')' matching the '(' at s[open], or (size_t)-1. */
size_t pg_live_match_paren(const char *s, size_t open);
/* Normalised expression; the text itself when it does not parse. */
const char *pg_live_norm(pg_live_ctx *x, const char *expr);
/* The table schema.name (cached for consecutive rows); NULL if unknown. */
cat_table *pg_live_table(pg_live_ctx *x, const char *schema, const char *name);

/* Table of oid `oid` registered by pg_live_rel_add, NULL when not read. */
pg_live_rel *pg_live_rel_get(pg_live_ctx *x, const char *oid);
pg_live_rel *pg_live_rel_add(pg_live_ctx *x, const char *oid, cat_table *t);
/* Column name of attnum on rel, NULL if unknown (system column, 0 = expression). */
const char *pg_live_attname(const pg_live_rel *rel, long long attnum);
/* Names of an attnum list ("{1,2}" int2[] or "1 2" int2vector) appended to out;
 * false (out unchanged) when rel is NULL or an attnum is unknown. */
bool pg_live_attnames(pg_live_ctx *x, const pg_live_rel *rel, const char *list, strvec *out);

/* pg_live_tables.c: schemas, tables, columns, constraints; 0 or -1. */
int pg_live_read_schemas(pg_live_ctx *x);
int pg_live_read_tables(pg_live_ctx *x);
int pg_live_read_columns(pg_live_ctx *x);
int pg_live_read_column_comments(pg_live_ctx *x);
int pg_live_read_identity_options(pg_live_ctx *x);
int pg_live_read_constraints(pg_live_ctx *x);

/* pg_live_objects.c: one function per object kind, 0 or -1. */
int pg_live_read_indexes(pg_live_ctx *x);
int pg_live_read_enums(pg_live_ctx *x);
int pg_live_read_domains(pg_live_ctx *x);
int pg_live_read_composites(pg_live_ctx *x);
int pg_live_read_sequences(pg_live_ctx *x);
int pg_live_read_views(pg_live_ctx *x);
int pg_live_read_functions(pg_live_ctx *x);
int pg_live_read_triggers(pg_live_ctx *x);
int pg_live_read_policies(pg_live_ctx *x);
int pg_live_read_extensions(pg_live_ctx *x);
int pg_live_read_grants(pg_live_ctx *x);

#endif
