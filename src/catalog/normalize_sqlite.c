/* normalize_sqlite.c — SQLite spellings (WIP). */
#include "catalog/normalize.h"
const char *normalize_sqlite_type(arena *mem, const char *declared) { return arena_strdup(mem, declared); }
const char *normalize_sqlite_expr(arena *mem, const char *expr) { return arena_strdup(mem, expr); }
