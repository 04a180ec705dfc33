/*
 * normalize.h — canonical spellings for comparison.
 *
 * Types: PostgreSQL type names in format_type() spelling (int4 -> integer,
 * varchar(20) -> character varying(20), timestamptz -> timestamp with time
 * zone, _int4/int[] -> integer[]).
 *
 * Expressions: parsed with libpg_query, then casts of literals and of
 * column references (the server adds implicit ones from column types and
 * drops no-op ones, so both sides drop them all: `col::text` and `col`
 * compare equal; casts with typmods such as `col::varchar(10)` are kept),
 * redundant qualification and parentheses removed, IN lists rewritten the
 * way the server stores them (= ANY (ARRAY[...])), and deparsed.  The result
 * is only for comparing two spellings of one expression; the as-written
 * text is what gets emitted.
 */
#ifndef DBSAGE_NORMALIZE_H
#define DBSAGE_NORMALIZE_H

#include "util/arena.h"

/* "pg_catalog.int4" / "int4" / "integer" -> "integer"; typmods appended as
 * given ("numeric", "10,2" -> "numeric(10,2)"; "decimal(5)" -> "numeric(5,0)",
 * bare char -> "character(1)"); typmods and "[]" may also be part of name
 * ("character varying(20)[]", "timestamp(3) with time zone", "_int4").
 * Arrays get ONE "[]" whatever array_dims is (format_type does the same).
 * User type names are kept as stored (quoted like format_type when not a
 * plain lower-case identifier); "public." and "pg_catalog." are dropped. */
const char *normalize_pg_type_name(arena *mem, const char *name, const char *typmods, int array_dims);

/* The same for a libpg_query TypeName node (PgQuery__TypeName *, borrowed):
 * names, typmods (interval field masks decoded) and array bounds. */
const char *normalize_pg_type_node(arena *mem, const void *pgquery_typename);

/* Normalise a PostgreSQL scalar expression given as SQL text.  Returns NULL
 * when it cannot be parsed (callers keep the written text then). */
const char *normalize_pg_expr(arena *mem, const char *expr);

/* Normalise a SELECT (view body).  NULL when unparsable.
 * Limits (the server knows the catalog, we do not): `SELECT *` stays `*`
 * (pg_get_viewdef expands it — a reader that knows the columns should
 * expand it before comparing); with several relations in FROM qualifiers
 * are kept as written (pg_get_viewdef qualifies every column, so a join view
 * matches only when the user qualified every column); implicit casts the
 * server adds to other expressions from their types ((a + b)::numeric) are
 * not reproduced (casts of plain column references are dropped, see above).
 * Texts over 32 KiB or nested deeper than ~600 levels give NULL. */
const char *normalize_pg_query(arena *mem, const char *query);

/* Deparse an already-parsed libpg_query expression node (a PgQuery__Node *
 * from pg_query.pb-c.h, borrowed, not modified) back to SQL text as written
 * (no normalisation).  NULL when it cannot be deparsed. */
const char *deparse_pg_expr(arena *mem, const void *pgquery_node);

/* normalize_pg_expr() of an already-parsed PgQuery__Node expression (borrowed,
 * not modified).  NULL when it cannot be deparsed. */
const char *normalize_pg_node_expr(arena *mem, const void *pgquery_node);

/* SQLite declared type: upper-case, single spaces, no spaces inside parens. */
const char *normalize_sqlite_type(arena *mem, const char *declared);

/* SQLite expression text: outside literals and quoted identifiers,
 * whitespace removed except one blank between two words or two operator
 * characters ("( price  >  0 )" -> "price>0"), SQL keywords (NULL, TRUE,
 * AND, IS, IN, LIKE, CURRENT_TIMESTAMP, ...) upper-cased, redundant outer
 * parentheses removed. */
const char *normalize_sqlite_expr(arena *mem, const char *expr);

#endif
