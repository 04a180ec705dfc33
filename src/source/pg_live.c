/* pg_live.c — STUB, replaced by the live PostgreSQL reader. */
#include "source/source.h"
int pg_live_read(catalog *cat, const char *conninfo, const source_opts *opts, diag_list *diags)
{ (void)cat; (void)opts; (void)conninfo; src_loc l = {"postgres", 0, 0}; diag_error(diags, l, "pg live reader not built"); return -1; }
