/* normalize_type.c — PostgreSQL type names in format_type() spelling. (WIP) */
#include "catalog/normalize.h"
const char *normalize_pg_type_name(arena *mem, const char *name, const char *typmods, int array_dims)
{ (void)typmods; (void)array_dims; return arena_strdup(mem, name); }
