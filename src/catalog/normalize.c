/* normalize.c — STUB, replaced by the normaliser. */
#include "catalog/normalize.h"
const char *normalize_pg_type_name(arena *mem, const char *name, const char *typmods, int array_dims)
{ (void)typmods; (void)array_dims; return arena_strdup(mem, name); }
const char *normalize_pg_expr(arena *mem, const char *expr) { return arena_strdup(mem, expr); }
const char *normalize_pg_query(arena *mem, const char *query) { return arena_strdup(mem, query); }
const char *normalize_sqlite_type(arena *mem, const char *declared) { return arena_strdup(mem, declared); }
const char *normalize_sqlite_expr(arena *mem, const char *expr) { return arena_strdup(mem, expr); }
