/*
 * emit_pg.h — internal interface between the PostgreSQL DDL emitter files
 * (emit_pg.c driver and types/routines, emit_pg_table.c relations,
 * emit_pg_meta.c triggers/policies/comments/grants).
 */
#ifndef DBSAGE_EMIT_PG_H
#define DBSAGE_EMIT_PG_H

#include "emit/emit_internal.h"

void pg_ident(strbuf *o, const char *s);
void pg_qname(strbuf *o, const char *schema, const char *name);
void pg_ident_list(strbuf *o, const strvec *v);
void pg_add_text(strbuf *o, const char *text);
/* pg_add_text of an expression, in the spelling the server keeps (emit_pg_expr.c) */
void pg_add_stable_expr(strbuf *o, const char *text);
/* $tag$body$tag$ with a tag that does not occur in the body */
void pg_dollar_quote(strbuf *o, const char *body);
void pg_emit_function(strbuf *o, const cat_function *f);
void pg_emit_domain(strbuf *o, const cat_domain *d);

void pg_emit_table(strbuf *o, catalog *cat, const cat_table *t);
/* "name type [COLLATE c] [GENERATED ... | DEFAULT ...] [NOT NULL] [identity]" */
void pg_emit_column_def(strbuf *o, const cat_column *c);
/* what follows "CONSTRAINT name ": PRIMARY KEY / UNIQUE / CHECK / EXCLUDE /
 * FOREIGN KEY ... [DEFERRABLE ...] [NOT VALID] */
void pg_emit_constraint_def(strbuf *o, const cat_constraint *k);
/* resolved INHERITS parent i (NULL when not in the catalog); whether a column
 * comes from a parent */
const cat_table *pg_table_parent(catalog *cat, const cat_table *t, size_t i);
bool pg_inherited_column(catalog *cat, const cat_table *t, const char *col);
void pg_emit_not_valid_checks(strbuf *o, catalog *cat, const cat_table *t);
void pg_emit_foreign_keys(strbuf *o, catalog *cat, const cat_table *t);
void pg_emit_index(strbuf *o, const cat_index *ix);
void pg_emit_view(strbuf *o, const cat_view *v);

void pg_emit_trigger(strbuf *o, const cat_trigger *tg);
void pg_emit_rls(strbuf *o, const cat_table *t);
void pg_emit_policy(strbuf *o, const cat_policy *p);
void pg_emit_comments(strbuf *o, catalog *cat);
void pg_emit_grants(strbuf *o, catalog *cat);

#endif
