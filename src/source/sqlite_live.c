/*
 * sqlite_live.c — live SQLite database files: opened read-only and
 * introspected (sqlite_introspect) into the catalog.  Provenance of every
 * object is the database path (no line).
 */
#include <sqlite3.h>

#include "source/source.h"
#include "source/sqlite_introspect.h"

int sqlite_live_read(catalog *cat, const char *path, const source_opts *opts, diag_list *diags)
{
    (void)opts;
    src_loc loc = {path, 0, 0};
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK) {
        diag_error(diags, loc, "cannot open SQLite database: %s", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 2000);
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite_introspect_opts o = {0};
    o.default_loc = loc;
    o.error_loc = loc;
    int src = 0;
    rc = sqlite_introspect(cat, db, &o, diags, &src);
    if (rc != 0 && src == SQLITE_NOTADB)
        diag_error(diags, loc, "not a SQLite database");
    sqlite3_close(db);
    return rc;
}
