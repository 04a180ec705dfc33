/*
 * export_dump.c — an exported SQLite database -> a SQL dump: the schema
 * through the catalog (sqlite_live_read + emit_sql_sqlite), then one INSERT
 * per row, tables in dependency order, rows in primary-key (rowid) order,
 * identifiers through sql_quote_ident and text through sql_quote_literal.
 */
#include <sqlite3.h>
#include <string.h>

#include "data/export.h"
#include "emit/emit.h"
#include "source/source.h"

static void add_value(strbuf *out, sqlite3_stmt *s, int i)
{
    switch (sqlite3_column_type(s, i)) {
    case SQLITE_NULL:
        strbuf_adds(out, "NULL");
        break;
    case SQLITE_INTEGER:
        strbuf_addf(out, "%lld", (long long)sqlite3_column_int64(s, i));
        break;
    case SQLITE_FLOAT:
        strbuf_addf(out, "%.17g", sqlite3_column_double(s, i));
        break;
    case SQLITE_BLOB: {
        const unsigned char *b = sqlite3_column_blob(s, i);
        int n = sqlite3_column_bytes(s, i);
        strbuf_adds(out, "X'");
        for (int k = 0; k < n; k++)
            strbuf_addf(out, "%02X", b[k]);
        strbuf_addch(out, '\'');
        break;
    }
    default: {
        const char *t = (const char *)sqlite3_column_text(s, i);
        int n = sqlite3_column_bytes(s, i);
        if (t && memchr(t, 0, (size_t)n)) {   /* NUL bytes: a literal cannot hold them */
            strbuf_adds(out, "CAST(X'");
            for (int k = 0; k < n; k++)
                strbuf_addf(out, "%02X", (unsigned char)t[k]);
            strbuf_adds(out, "' AS TEXT)");
        } else {
            sql_quote_literal(out, t ? t : "");
        }
    }
    }
}

int export_dump_sqlite(const char *sqlite_path, strbuf *out, arena *mem, diag_list *diags)
{
    (void)mem;
    src_loc loc = {sqlite_path, 0, 0};
    catalog *cat = catalog_new(DIALECT_SQLITE);
    if (sqlite_live_read(cat, sqlite_path, NULL, diags) < 0) {
        catalog_free(cat);
        return -1;
    }
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(sqlite_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        diag_add_rule(diags, DIAG_ERROR, loc, "export-failed", "%s", db ? sqlite3_errmsg(db) : "cannot open");
        sqlite3_close(db);
        catalog_free(cat);
        return -1;
    }
    emit_opts eo = {false, false};
    strbuf_adds(out, "-- dbsage export (SQLite dialect): schema, then rows\n");
    emit_sql_sqlite(out, cat, &eo);
    strbuf_adds(out, "\nBEGIN;\n");
    cat_table **order = catalog_tables_in_dependency_order(cat);
    int rc = 0;
    for (size_t i = 0; i < cat->tables.n && rc == 0; i++) {
        const cat_table *t = order[i];
        strbuf q, head;
        strbuf_init(&q);
        strbuf_init(&head);
        strbuf_adds(&q, "SELECT ");
        strbuf_adds(&head, "INSERT INTO ");
        sql_quote_ident(&head, DIALECT_SQLITE, t->name);
        strbuf_adds(&head, " (");
        int n = 0;
        for (size_t c = 0; c < t->columns.n; c++) {
            const cat_column *col = t->columns.v[c];
            if (col->hidden || col->generated)
                continue;
            strbuf_adds(&q, n ? ", " : "");
            strbuf_adds(&head, n ? ", " : "");
            sql_quote_ident(&q, DIALECT_SQLITE, col->name);
            sql_quote_ident(&head, DIALECT_SQLITE, col->name);
            n++;
        }
        strbuf_adds(&head, ") VALUES (");
        strbuf_adds(&q, " FROM ");
        sql_quote_ident(&q, DIALECT_SQLITE, t->name);
        const cat_constraint *pk = catalog_primary_key(t);
        strbuf_adds(&q, " ORDER BY ");
        if (pk && pk->columns.n) {
            for (size_t k = 0; k < pk->columns.n; k++) {
                strbuf_adds(&q, k ? ", " : "");
                sql_quote_ident(&q, DIALECT_SQLITE, pk->columns.v[k]);
            }
        } else {
            strbuf_adds(&q, t->without_rowid ? "1" : "rowid");
        }
        sqlite3_stmt *s = NULL;
        if (n && sqlite3_prepare_v2(db, strbuf_str(&q), -1, &s, NULL) != SQLITE_OK) {
            diag_add_rule(diags, DIAG_ERROR, loc, "export-failed", "%s: %s", t->name, sqlite3_errmsg(db));
            rc = -1;
        }
        int r;
        while (s && (r = sqlite3_step(s)) == SQLITE_ROW) {
            strbuf_add(out, head.buf, head.len);
            for (int c = 0; c < n; c++) {
                if (c)
                    strbuf_adds(out, ", ");
                add_value(out, s, c);
            }
            strbuf_adds(out, ");\n");
        }
        if (s && r != SQLITE_DONE) {
            diag_add_rule(diags, DIAG_ERROR, loc, "export-failed", "%s: %s", t->name, sqlite3_errmsg(db));
            rc = -1;
        }
        sqlite3_finalize(s);
        strbuf_release(&q);
        strbuf_release(&head);
    }
    strbuf_adds(out, "COMMIT;\n");
    sqlite3_close(db);
    catalog_free(cat);
    return rc;
}
