/*
 * emit_sqlite.c — canonical SQLite DDL for a catalog (emit_sql_sqlite).
 *
 * Tables are generated from the model (columns, keys, checks, foreign keys,
 * WITHOUT ROWID / STRICT) so the PRAGMA-visible structure is recreated;
 * virtual tables, views and triggers are replayed from their stored `sql`
 * (SQLite keeps those as written).  Indexes come from the model unless an
 * expression element is only known through the stored `sql`.
 */
#include "emit/emit_internal.h"
#include "emit/emit_sqlite.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static void sq_ident(strbuf *o, const char *s)
{
    sql_quote_ident(o, DIALECT_SQLITE, s);
}

static void sq_ident_list(strbuf *o, const strvec *v)
{
    for (size_t i = 0; i < v->n; i++) {
        strbuf_adds(o, i ? ", " : "");
        sq_ident(o, v->v[i]);
    }
}

/* ---- default values --------------------------------------------------------- */

static bool is_string_literal(const char *s, size_t n)
{
    if (n < 2 || s[0] != '\'' || s[n - 1] != '\'')
        return false;
    for (size_t i = 1; i < n - 1; i++)
        if (s[i] == '\'' && s[++i] != '\'')
            return false;
    return true;
}

static bool is_number(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    if (i + 1 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
        i += 2;
        if (i == n)
            return false;
        for (; i < n; i++)
            if (!isxdigit((unsigned char)s[i]))
                return false;
        return true;
    }
    bool digits = false;
    while (i < n && isdigit((unsigned char)s[i]))
        i++, digits = true;
    if (i < n && s[i] == '.')
        for (i++; i < n && isdigit((unsigned char)s[i]); i++)
            digits = true;
    if (!digits)
        return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i == n || !isdigit((unsigned char)s[i]))
            return false;
        while (i < n && isdigit((unsigned char)s[i]))
            i++;
    }
    return i == n;
}

/* A default SQLite accepts without parentheses: literal, signed number,
 * NULL/TRUE/FALSE, CURRENT_TIME/DATE/TIMESTAMP, blob literal. */
bool emit_sqlite_default_is_literal(const char *expr)
{
    static const char *const words[] = {"NULL", "TRUE", "FALSE", "CURRENT_TIME", "CURRENT_DATE",
                                        "CURRENT_TIMESTAMP"};
    size_t n = strlen(expr);
    while (n && isspace((unsigned char)expr[n - 1]))
        n--;
    while (n && isspace((unsigned char)*expr))
        expr++, n--;
    if (is_string_literal(expr, n) || is_number(expr, n))
        return true;
    if (n >= 3 && (expr[0] == 'x' || expr[0] == 'X') && is_string_literal(expr + 1, n - 1))
        return true;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == n && !strncasecmp(expr, words[i], n))
            return true;
    return false;
}

void sqlite_emit_default(strbuf *o, const char *def)
{
    strbuf_adds(o, " DEFAULT ");
    if (emit_sqlite_default_is_literal(def)) {
        emit_add_trimmed_stmt(o, def);
        return;
    }
    strbuf_addch(o, '(');
    emit_add_trimmed_stmt(o, def);
    strbuf_addch(o, ')');
}

/* ---- tables ------------------------------------------------------------------ */

static void emit_conflict(strbuf *o, const char *conflict)
{
    if (!conflict || !*conflict)
        return;
    if (emit_starts_with_words(conflict, "ON CONFLICT"))
        strbuf_addf(o, " %s", conflict);
    else
        strbuf_addf(o, " ON CONFLICT %s", conflict);
}

static void emit_con_name(strbuf *o, const cat_constraint *k)
{
    if (!k || !k->name)
        return;
    strbuf_adds(o, " CONSTRAINT ");
    sq_ident(o, k->name);
}

/* the single-column AUTOINCREMENT primary key emitted inline, or NULL */
static const cat_constraint *inline_pk(const cat_table *t)
{
    const cat_constraint *pk = catalog_primary_key(t);
    if (!pk || pk->columns.n != 1)
        return NULL;
    const cat_column *c = catalog_column_find(t, pk->columns.v[0]);
    return c && c->autoincrement ? pk : NULL;
}

static const cat_constraint *named_not_null(const cat_table *t, const char *col)
{
    for (size_t i = 0; i < t->constraints.n; i++) {
        const cat_constraint *k = t->constraints.v[i];
        if (k->kind == CON_NOT_NULL && k->name && k->columns.n == 1 && !strcmp(k->columns.v[0], col))
            return k;
    }
    return NULL;
}

/* a CHECK the reader tied to one column was written as a column constraint */
static bool column_check(const cat_constraint *k)
{
    return k->kind == CON_CHECK && k->columns.n == 1;
}

static void emit_column_checks(strbuf *o, const cat_table *t, const cat_column *c)
{
    for (size_t i = 0; i < t->constraints.n; i++) {
        const cat_constraint *k = t->constraints.v[i];
        if (!column_check(k) || strcmp(k->columns.v[0], c->name))
            continue;
        emit_con_name(o, k);
        strbuf_adds(o, " CHECK (");
        emit_add_trimmed_stmt(o, emit_expr_text(k->expr, k->expr_norm));
        strbuf_addch(o, ')');
    }
}

void sqlite_emit_column(strbuf *o, const cat_table *t, const cat_column *c, const cat_constraint *ipk)
{
    strbuf_adds(o, "    ");
    sq_ident(o, c->name);
    const char *type = c->type_written ? c->type_written : c->type;
    if (type && *type)
        strbuf_addf(o, " %s", type);
    if (ipk && !strcmp(ipk->columns.v[0], c->name)) {
        emit_con_name(o, ipk);
        strbuf_adds(o, " PRIMARY KEY");
        emit_conflict(o, ipk->conflict);
        strbuf_adds(o, " AUTOINCREMENT");
    }
    if (c->not_null) {
        emit_con_name(o, named_not_null(t, c->name));
        strbuf_adds(o, " NOT NULL");
    }
    const char *def = emit_expr_text(c->default_expr, c->default_norm);
    if (def && !c->generated)
        sqlite_emit_default(o, def);
    if (c->collation) {
        strbuf_adds(o, " COLLATE ");
        sq_ident(o, c->collation);
    }
    const char *gen = emit_expr_text(c->generated_expr, c->generated_norm);
    if (c->generated && gen) {
        strbuf_adds(o, " GENERATED ALWAYS AS (");
        emit_add_trimmed_stmt(o, gen);
        strbuf_adds(o, c->generated == 'v' ? ") VIRTUAL" : ") STORED");
    }
    emit_column_checks(o, t, c);
}

static void emit_table_constraint(strbuf *o, const cat_constraint *k)
{
    strbuf_adds(o, ",\n   ");
    emit_con_name(o, k);
    switch (k->kind) {
    case CON_PRIMARY:
    case CON_UNIQUE:
        strbuf_adds(o, k->kind == CON_PRIMARY ? " PRIMARY KEY (" : " UNIQUE (");
        sq_ident_list(o, &k->columns);
        strbuf_addch(o, ')');
        emit_conflict(o, k->conflict);
        break;
    case CON_CHECK:
        strbuf_adds(o, " CHECK (");
        emit_add_trimmed_stmt(o, emit_expr_text(k->expr, k->expr_norm));
        strbuf_addch(o, ')');
        break;
    default: { /* CON_FOREIGN */
        strbuf_adds(o, " FOREIGN KEY (");
        sq_ident_list(o, &k->columns);
        strbuf_adds(o, ") REFERENCES ");
        sq_ident(o, k->ref_table);
        if (k->ref_columns.n) {
            strbuf_adds(o, " (");
            sq_ident_list(o, &k->ref_columns);
            strbuf_addch(o, ')');
        }
        const char *del = emit_fk_action_words(k->on_delete), *upd = emit_fk_action_words(k->on_update);
        if (del)
            strbuf_addf(o, " ON DELETE %s", del);
        if (upd)
            strbuf_addf(o, " ON UPDATE %s", upd);
        if (k->deferrable)
            strbuf_adds(o, k->initially_deferred ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE");
        break;
    }
    }
}

static bool table_level(const cat_constraint *k, const cat_constraint *ipk)
{
    if (k == ipk || k->kind == CON_NOT_NULL || k->kind == CON_EXCLUDE || column_check(k))
        return false;
    return k->kind != CON_FOREIGN || k->ref_table;
}

void sqlite_emit_table(strbuf *o, const cat_table *t)
{
    const cat_constraint *ipk = inline_pk(t);
    strbuf_adds(o, "CREATE TABLE ");
    sql_quote_qualified(o, DIALECT_SQLITE, t->schema, t->name);
    strbuf_adds(o, " (\n");
    for (size_t i = 0; i < t->columns.n; i++) {
        if (i)
            strbuf_adds(o, ",\n");
        sqlite_emit_column(o, t, t->columns.v[i], ipk);
    }
    /* primary key first, then the rest in catalog order */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < t->constraints.n; i++) {
            const cat_constraint *k = t->constraints.v[i];
            if ((k->kind == CON_PRIMARY) == (pass == 0) && table_level(k, ipk))
                emit_table_constraint(o, k);
        }
    strbuf_adds(o, "\n)");
    if (t->without_rowid)
        strbuf_adds(o, " WITHOUT ROWID");
    if (t->strict)
        strbuf_adds(o, t->without_rowid ? ", STRICT" : " STRICT");
    strbuf_adds(o, ";\n");
}

bool sqlite_emit_is_virtual(const cat_table *t)
{
    return t->sql && emit_starts_with_words(t->sql, "CREATE VIRTUAL TABLE");
}

/* shadow tables (fts/rtree internals) are created by their virtual table */
bool sqlite_emit_is_shadow(const catalog *cat, const cat_table *t)
{
    if (!strncmp(t->name, "sqlite_", 7))
        return true;
    for (size_t i = 0; i < cat->tables.n; i++) {
        const cat_table *v = cat->tables.v[i];
        size_t n = strlen(v->name);
        if (v != t && sqlite_emit_is_virtual(v) && !strncmp(t->name, v->name, n) && t->name[n] == '_' &&
            !strcmp(v->schema, t->schema))
            return true;
    }
    return false;
}

/* ---- indexes, views, triggers -------------------------------------------------- */

static bool index_needs_sql(const cat_index *ix)
{
    for (size_t i = 0; i < ix->elems.n; i++)
        if (!ix->elems.v[i].column && !emit_expr_text(ix->elems.v[i].expr, ix->elems.v[i].expr_norm))
            return true;
    return ix->elems.n == 0;
}

void sqlite_emit_index(strbuf *o, const cat_index *ix)
{
    if (ix->sql && index_needs_sql(ix)) {
        emit_add_trimmed_stmt(o, ix->sql);
        strbuf_adds(o, ";\n");
        return;
    }
    strbuf_adds(o, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
    sql_quote_qualified(o, DIALECT_SQLITE, ix->schema, ix->name);
    strbuf_adds(o, " ON ");
    sq_ident(o, ix->table);
    strbuf_adds(o, " (");
    for (size_t i = 0; i < ix->elems.n; i++) {
        const cat_index_elem *e = &ix->elems.v[i];
        strbuf_adds(o, i ? ", " : "");
        if (e->column) {
            sq_ident(o, e->column);
        } else {
            strbuf_addch(o, '(');
            emit_add_trimmed_stmt(o, emit_expr_text(e->expr, e->expr_norm));
            strbuf_addch(o, ')');
        }
        if (e->collation) {
            strbuf_adds(o, " COLLATE ");
            sq_ident(o, e->collation);
        }
        if (e->desc)
            strbuf_adds(o, " DESC");
    }
    strbuf_addch(o, ')');
    const char *where = emit_expr_text(ix->where_expr, ix->where_norm);
    if (where) {
        strbuf_adds(o, " WHERE ");
        emit_add_trimmed_stmt(o, where);
    }
    strbuf_adds(o, ";\n");
}

void sqlite_emit_view(strbuf *o, const cat_view *v)
{
    if (v->sql) {
        emit_add_trimmed_stmt(o, v->sql);
        strbuf_adds(o, ";\n");
        return;
    }
    strbuf_adds(o, "CREATE VIEW ");
    sql_quote_qualified(o, DIALECT_SQLITE, v->schema, v->name);
    if (v->column_names.n) {
        strbuf_adds(o, " (");
        sq_ident_list(o, &v->column_names);
        strbuf_addch(o, ')');
    }
    strbuf_adds(o, " AS\n");
    emit_add_trimmed_stmt(o, emit_expr_text(v->definition, v->definition_norm));
    strbuf_adds(o, ";\n");
}

void sqlite_emit_trigger(strbuf *o, const cat_trigger *tg)
{
    if (tg->sql) {
        emit_add_trimmed_stmt(o, tg->sql);
        strbuf_adds(o, ";\n");
        return;
    }
    strbuf_adds(o, "CREATE TRIGGER ");
    sql_quote_qualified(o, DIALECT_SQLITE, tg->schema, tg->name);
    strbuf_addf(o, " %s ", tg->timing ? tg->timing : "AFTER");
    for (size_t i = 0; i < tg->events.n; i++) {
        strbuf_adds(o, i ? " OR " : "");
        strbuf_adds(o, tg->events.v[i]);
        if (!strcmp(tg->events.v[i], "UPDATE") && tg->update_columns.n) {
            strbuf_adds(o, " OF ");
            sq_ident_list(o, &tg->update_columns);
        }
    }
    strbuf_adds(o, " ON ");
    sq_ident(o, tg->table);
    if (tg->for_each_row)
        strbuf_adds(o, " FOR EACH ROW");
    const char *when = emit_expr_text(tg->when_expr, tg->when_norm);
    if (when) {
        strbuf_adds(o, " WHEN ");
        emit_add_trimmed_stmt(o, when);
    }
    strbuf_adds(o, "\nBEGIN\n");
    emit_add_trimmed_stmt(o, tg->body);
    strbuf_adds(o, ";\nEND;\n");
}

void emit_sql_sqlite(strbuf *out, catalog *cat, const emit_opts *opts)
{
    catalog_sort(cat);
    if (!opts || opts->header) {
        strbuf_adds(out, "-- dbsage inspect: ");
        for (const char *p = cat->source ? cat->source : ""; *p; p++)
            strbuf_addch(out, *p == '\n' || *p == '\r' ? ' ' : *p);
        strbuf_addch(out, '\n');
    }
    strbuf_adds(out, "PRAGMA foreign_keys=OFF;\nBEGIN;\n");
    cat_table **tables = catalog_tables_in_dependency_order(cat);
    for (size_t i = 0; i < cat->tables.n; i++) {
        const cat_table *t = tables[i];
        if (sqlite_emit_is_virtual(t)) {
            emit_add_trimmed_stmt(out, t->sql);
            strbuf_adds(out, ";\n");
        } else if (!sqlite_emit_is_shadow(cat, t)) {
            sqlite_emit_table(out, t);
        }
    }
    for (size_t i = 0; i < cat->tables.n; i++)
        if (!sqlite_emit_is_shadow(cat, tables[i]))
            for (size_t j = 0; j < tables[i]->indexes.n; j++)
                sqlite_emit_index(out, tables[i]->indexes.v[j]);
    cat_view **views = emit_views_in_dependency_order(cat);
    for (size_t i = 0; i < cat->views.n; i++)
        sqlite_emit_view(out, views[i]);
    for (size_t i = 0; i < cat->tables.n; i++)
        for (size_t j = 0; j < tables[i]->triggers.n; j++)
            sqlite_emit_trigger(out, tables[i]->triggers.v[j]);
    for (size_t i = 0; i < cat->views.n; i++)
        for (size_t j = 0; j < views[i]->triggers.n; j++)
            sqlite_emit_trigger(out, views[i]->triggers.v[j]);
    strbuf_adds(out, "COMMIT;\nPRAGMA foreign_keys=ON;\n");
}
