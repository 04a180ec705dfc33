/*
 * sql_quote.c — identifier and literal quoting for generated SQL.
 *
 * PostgreSQL: an identifier is left bare only when it matches
 * [a-z_][a-z0-9_$]* and is not a keyword that needs quoting as a column
 * name (PostgreSQL 15 reserved, type_func_name and col_name keywords — the
 * same rule as quote_ident()).  SQLite: bare when [A-Za-z_][A-Za-z0-9_]* and
 * not an SQLite keyword (sqlite3_keyword_check).  Quoting doubles embedded
 * double quotes.
 */
#include "emit/emit.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* PostgreSQL 15: pg_get_keywords() where catcode <> 'U', sorted (strcmp). */
static const char *const pg_quoted_keywords[] = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
    "authorization", "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast",
    "char", "character", "check", "coalesce", "collate", "collation", "column", "concurrently",
    "constraint", "create", "cross", "current_catalog", "current_date", "current_role",
    "current_schema", "current_time", "current_timestamp", "current_user", "dec", "decimal",
    "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "exists",
    "extract", "false", "fetch", "float", "for", "foreign", "freeze", "from", "full", "grant",
    "greatest", "group", "grouping", "having", "ilike", "in", "initially", "inner", "inout",
    "int", "integer", "intersect", "interval", "into", "is", "isnull", "join", "lateral",
    "leading", "least", "left", "like", "limit", "localtime", "localtimestamp", "national",
    "natural", "nchar", "none", "normalize", "not", "notnull", "null", "nullif", "numeric",
    "offset", "on", "only", "or", "order", "out", "outer", "overlaps", "overlay", "placing",
    "position", "precision", "primary", "real", "references", "returning", "right", "row",
    "select", "session_user", "setof", "similar", "smallint", "some", "substring", "symmetric",
    "table", "tablesample", "then", "time", "timestamp", "to", "trailing", "treat", "trim",
    "true", "union", "unique", "user", "using", "values", "varchar", "variadic", "verbose",
    "when", "where", "window", "with", "xmlattributes", "xmlconcat", "xmlelement", "xmlexists",
    "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable"
};

static int cmp_kw(const void *key, const void *elem)
{
    return strcmp((const char *)key, *(const char *const *)elem);
}

static bool pg_is_quoted_keyword(const char *s)
{
    size_t n = sizeof pg_quoted_keywords / sizeof pg_quoted_keywords[0];
    return bsearch(s, pg_quoted_keywords, n, sizeof(char *), cmp_kw) != NULL;
}

static bool pg_plain_ident(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || *s == '_'))
        return false;
    for (const char *p = s + 1; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '$'))
            return false;
    return !pg_is_quoted_keyword(s);
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool sqlite_plain_ident(const char *s)
{
    if (!is_alpha(*s))
        return false;
    for (const char *p = s + 1; *p; p++)
        if (!is_alpha(*p) && !(*p >= '0' && *p <= '9'))
            return false;
    return !sqlite3_keyword_check(s, (int)strlen(s));
}

void sql_quote_ident(strbuf *out, dialect d, const char *ident)
{
    const char *s = ident ? ident : "";
    bool plain = d == DIALECT_SQLITE ? sqlite_plain_ident(s) : pg_plain_ident(s);
    if (plain) {
        strbuf_adds(out, s);
        return;
    }
    strbuf_addch(out, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            strbuf_addch(out, '"');
        strbuf_addch(out, *p);
    }
    strbuf_addch(out, '"');
}

void sql_quote_qualified(strbuf *out, dialect d, const char *schema, const char *name)
{
    const char *def = d == DIALECT_SQLITE ? "main" : "public";
    if (schema && *schema && strcmp(schema, def) != 0) {
        sql_quote_ident(out, d, schema);
        strbuf_addch(out, '.');
    }
    sql_quote_ident(out, d, name);
}

void sql_quote_literal(strbuf *out, const char *s)
{
    if (!s) {
        strbuf_adds(out, "NULL");
        return;
    }
    strbuf_addch(out, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            strbuf_addch(out, '\'');
        strbuf_addch(out, *p);
    }
    strbuf_addch(out, '\'');
}
