/*
 * normalize_pg.h — internal to src/catalog/normalize*.c: libpg_query
 * plumbing (parse into a scratch arena, pack + deparse) and the tree
 * rewriter that makes a user's spelling and the server's spelling of one
 * expression or view body identical.  Not a public interface.
 */
#ifndef DBSAGE_NORMALIZE_PG_H
#define DBSAGE_NORMALIZE_PG_H

#include <stdbool.h>

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "util/arena.h"

/* Parse SQL text; the whole protobuf tree lives in `scratch`.  NULL on a
 * parse error. */
PgQuery__ParseResult *npg_parse(arena *scratch, const char *sql);

/* Pack + deparse a parse result; the text is copied into `mem`.  NULL on
 * error.  A trailing ';' is never produced. */
char *npg_deparse(arena *mem, arena *scratch, PgQuery__ParseResult *pr);

/* A one-statement parse result "SELECT <node>" wrapping a borrowed node. */
PgQuery__ParseResult *npg_wrap_expr(arena *scratch, PgQuery__Node *node);

/* Rewrite a scalar expression tree (CHECK, DEFAULT, index/policy/trigger
 * WHEN expression) in place; *slot may be replaced. */
void npg_rewrite_scalar(arena *scratch, PgQuery__Node **slot);

/* Rewrite a statement tree (a SELECT / view body) in place. */
void npg_rewrite_stmt(arena *scratch, PgQuery__Node **slot);

/* Fast path (normalize_fast.c): print the common expression shapes exactly
 * as libpg_query's deparser would, without packing.  Returns false (out
 * reset) when the tree holds anything else.  npg_force_slow disables it
 * (tests compare both paths). */
#include "util/strbuf.h"
extern bool npg_force_slow;
bool npg_fast_deparse(strbuf *out, const PgQuery__Node *n);
/* Deep copy of a node tree into `a` (strings shared). */
PgQuery__Node *npg_copy_node(arena *a, const PgQuery__Node *n);

/* Small helpers shared by the rewriter files. */
PgQuery__Node *npg_new_node(arena *scratch);
const char *npg_str(const PgQuery__Node *n);   /* String node value or NULL */

#endif
