/*
 * emit_sqlite.h — the SQLite statement builders of emit_sqlite.c, exposed
 * (internal API) for the SQLite diff backend, which generates CREATE
 * statements from the catalog model exactly as `dbsage inspect --format sql`
 * does.  Each builder appends one statement ending in ";\n" (the column and
 * default builders append a fragment).
 */
#ifndef DBSAGE_EMIT_SQLITE_H
#define DBSAGE_EMIT_SQLITE_H

#include "emit/emit_internal.h"

/* " DEFAULT x" / " DEFAULT (expr)" */
void sqlite_emit_default(strbuf *o, const char *def);
/* "    name TYPE ... constraints" (a column definition; ipk: the inline
 * AUTOINCREMENT primary key or NULL) */
void sqlite_emit_column(strbuf *o, const cat_table *t, const cat_column *c, const cat_constraint *ipk);
/* "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"; NULL for no action */
/* CREATE TABLE from the model (named t->schema.t->name) */
void sqlite_emit_table(strbuf *o, const cat_table *t);
/* CREATE VIRTUAL TABLE ... (stored sql) */
bool sqlite_emit_is_virtual(const cat_table *t);
/* sqlite_* internals and virtual tables' shadow tables */
bool sqlite_emit_is_shadow(const catalog *cat, const cat_table *t);
void sqlite_emit_index(strbuf *o, const cat_index *ix);
void sqlite_emit_view(strbuf *o, const cat_view *v);
void sqlite_emit_trigger(strbuf *o, const cat_trigger *tg);

#endif
