/*
 * emit.h — catalog -> text: canonical DDL (PostgreSQL, SQLite), JSON,
 * Markdown.  Output is deterministic: emitters call catalog_sort() first and
 * order DDL by dependencies.  Identifiers always go through sql_quote_ident.
 */
#ifndef DBSAGE_EMIT_H
#define DBSAGE_EMIT_H

#include <stdbool.h>

#include "catalog/catalog.h"
#include "util/strbuf.h"

typedef struct emit_opts {
    bool provenance;     /* JSON: include provenance (default true) */
    bool header;         /* SQL: leading comment naming the source (default true) */
} emit_opts;

/* Canonical DDL for the catalog in its own dialect; re-applied to an empty
 * database it reproduces the catalog. */
void emit_sql(strbuf *out, catalog *cat, const emit_opts *opts);
void emit_sql_pg(strbuf *out, catalog *cat, const emit_opts *opts);
void emit_sql_sqlite(strbuf *out, catalog *cat, const emit_opts *opts);
/* The whole catalog as JSON; shape documented in docs/catalog-json.md. */
void emit_json(strbuf *out, catalog *cat, const emit_opts *opts);
/* Human-readable per-table listing. */
void emit_markdown(strbuf *out, catalog *cat, const emit_opts *opts);

/* Quote an identifier for a dialect only when needed (not a plain lower-case
 * identifier, or a keyword); always correct. */
void sql_quote_ident(strbuf *out, dialect d, const char *ident);
/* schema-qualified, schema omitted when default */
void sql_quote_qualified(strbuf *out, dialect d, const char *schema, const char *name);
/* SQL string literal 'it''s' */
void sql_quote_literal(strbuf *out, const char *s);

#endif
