/* pg_sql.c — STUB, replaced by the PostgreSQL SQL reader. */
#include "source/source.h"
int pg_sql_read(catalog *cat, const char *filename, const char *sql, size_t len, diag_list *diags)
{ (void)cat; (void)sql; (void)len; src_loc l = {filename, 0, 0}; diag_error(diags, l, "pg reader not built"); return -1; }
int pg_sql_read_file(catalog *cat, const char *path, diag_list *diags)
{ return pg_sql_read(cat, path, "", 0, diags); }
