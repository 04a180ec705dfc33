/*
 * emit_internal.h — helpers shared by the emitters in src/emit/ (not a
 * public API): identifier shorthands, expression fallbacks, "schema.name"
 * splitting and the view dependency order.
 */
#ifndef DBSAGE_EMIT_INTERNAL_H
#define DBSAGE_EMIT_INTERNAL_H

#include "emit/emit.h"

/* written text when present, else the normalised text (may be NULL) */
const char *emit_expr_text(const char *written, const char *norm);

/* Split "schema.name" (as used by inherits/depends_on) into parts, resolving
 * ambiguity by looking up existing relations; no dot = default schema.
 * Results are arena copies in cat->mem. */
void emit_split_qualified(catalog *cat, const char *qname, const char **schema, const char **name);

/* Views in dependency order (views they read first, ties by schema, name).
 * Arena array of cat->views.n pointers; cycles broken deterministically. */
cat_view **emit_views_in_dependency_order(catalog *cat);

/* Tables ordered so that INHERITS parents precede children, otherwise
 * catalog_tables_in_dependency_order(). Arena array of cat->tables.n. */
cat_table **emit_tables_in_order(catalog *cat);

/* Append `s` with trailing whitespace and semicolons removed. */
void emit_add_trimmed_stmt(strbuf *out, const char *s);

/* true when s starts with the keyword sequence `words` (case-insensitive,
 * any run of whitespace between words) */
bool emit_starts_with_words(const char *s, const char *words);

/* SQLite default that needs no parentheses (literal, signed number, NULL,
 * TRUE/FALSE, CURRENT_TIME/DATE/TIMESTAMP, blob literal) */
bool emit_sqlite_default_is_literal(const char *expr);

/* JSON string literal; NULL -> null; control characters escaped, invalid
 * UTF-8 bytes replaced by \ufffd so the output is always valid JSON */
void emit_json_string(strbuf *o, const char *s);

/* "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"; NULL for NO ACTION (the default) */
const char *emit_fk_action_words(fk_action a);

#endif
