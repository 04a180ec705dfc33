/* sqlite_sql.c — STUB, replaced by the SQLite readers. */
#include "source/source.h"
int sqlite_sql_read(catalog *cat, const char *filename, const char *sql, size_t len, diag_list *diags)
{ (void)cat; (void)sql; (void)len; src_loc l = {filename, 0, 0}; diag_error(diags, l, "sqlite reader not built"); return -1; }
int sqlite_sql_read_file(catalog *cat, const char *path, diag_list *diags)
{ return sqlite_sql_read(cat, path, "", 0, diags); }
int sqlite_live_read(catalog *cat, const char *path, const source_opts *opts, diag_list *diags)
{ (void)opts; return sqlite_sql_read(cat, path, "", 0, diags); }
