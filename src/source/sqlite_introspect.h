/*
 * sqlite_introspect.h — read the schema of an open sqlite3 handle (schema
 * "main") into a catalog: tables, columns, constraints, indexes, views and
 * triggers.  Shared by the SQL-file reader (an in-memory database the files
 * were executed into) and the live reader.  Set-based: one query per
 * object kind, using table-valued pragma functions joined with
 * sqlite_schema.
 */
#ifndef DBSAGE_SQLITE_INTROSPECT_H
#define DBSAGE_SQLITE_INTROSPECT_H

#include <sqlite3.h>

#include "catalog/catalog.h"
#include "util/diag.h"

/* Where an object came from. */
typedef struct sqlite_prov {
    src_loc created;
    const src_loc *altered;
    size_t n_altered;
} sqlite_prov;

typedef struct sqlite_introspect_opts {
    /* provenance of objects the lookup does not know */
    src_loc default_loc;
    /* kind: 't' table, 'v' view, 'i' index, 'g' trigger, 'c' column (table =
     * its table); returns false to use default_loc (for a column: its
     * table's provenance). NULL = always default_loc. */
    bool (*lookup)(void *ctx, char kind, const char *table, const char *name, sqlite_prov *out);
    void *ctx;
    src_loc error_loc;          /* where introspection errors are reported */
} sqlite_introspect_opts;

/* Add the objects of db's main schema to cat (objects of the same name
 * already in cat are replaced).  Returns 0, or -1 when the database could
 * not be read (e.g. SQLITE_NOTADB; *sqlite_rc receives the code). */
int sqlite_introspect(catalog *cat, sqlite3 *db, const sqlite_introspect_opts *opts,
                      diag_list *diags, int *sqlite_rc);

/* Remove every table and view (with their indexes/triggers) from cat. */
void sqlite_catalog_clear(catalog *cat);

#endif
