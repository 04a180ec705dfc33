/*
 * pg_sql_annotate.c — `-- dbsage:renamed-from OLD` annotations in
 * PostgreSQL schema files.  A comment right before CREATE TABLE / INDEX /
 * VIEW / MATERIALIZED VIEW / TYPE ... AS ENUM says the object was called OLD
 * before; one right before a column definition inside CREATE TABLE (...)
 * says it of the column, one right before a label of CREATE TYPE ... AS
 * ENUM (...) says it of that enum value.  Each becomes a catalog rename hint
 * (catalog_rename_hint_add) that `dbsage diff` turns into a RENAME.
 */
#include "source/pg_sql_annotate.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define MARK "dbsage:renamed-from"

typedef enum { TK_END, TK_IDENT, TK_QIDENT, TK_STRING, TK_PUNCT, TK_OTHER } tk_type;

typedef struct scan {
    const char *s;
    size_t pos, end;
    const char *hint;   /* annotation seen since the last token */
    size_t hint_at;
    arena *mem;
} scan;

typedef struct tok {
    tk_type type;
    size_t off, len;
    const char *hint;   /* annotation right before this token */
    size_t hint_at;
} tok;

/* OLD name of an annotation comment body s[p..eol), NULL when not one */
static const char *annotation(arena *mem, const char *s, size_t p, size_t eol)
{
    while (p < eol && isspace((unsigned char)s[p]))
        p++;
    size_t ml = strlen(MARK);
    if (eol - p <= ml || strncasecmp(s + p, MARK, ml) || !isspace((unsigned char)s[p + ml]))
        return NULL;
    p += ml;
    while (p < eol && isspace((unsigned char)s[p]))
        p++;
    if (p < eol && (s[p] == '"' || s[p] == '\'')) {
        char q = s[p];
        size_t e = p + 1;
        while (e < eol && s[e] != q)
            e++;
        return e > p + 1 ? arena_strndup(mem, s + p + 1, e - p - 1) : NULL;
    }
    size_t q = p;
    while (q < eol && !isspace((unsigned char)s[q]) && s[q] != ';' && s[q] != ',')
        q++;
    if (q == p)
        return NULL;
    char *name = arena_strndup(mem, s + p, q - p);
    for (char *c = name; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return name;
}

static void skip_quoted(scan *sc, char q)
{
    sc->pos++;
    while (sc->pos < sc->end) {
        if (sc->s[sc->pos] == q) {
            if (sc->pos + 1 < sc->end && sc->s[sc->pos + 1] == q) {
                sc->pos += 2;
                continue;
            }
            sc->pos++;
            return;
        }
        sc->pos++;
    }
}

static bool skip_dollar(scan *sc)
{
    size_t p = sc->pos + 1;
    while (p < sc->end && (isalnum((unsigned char)sc->s[p]) || sc->s[p] == '_'))
        p++;
    if (p >= sc->end || sc->s[p] != '$')
        return false;
    size_t tl = p + 1 - sc->pos;
    const char *tag = sc->s + sc->pos;
    for (size_t e = p + 1; e + tl <= sc->end; e++)
        if (!strncmp(sc->s + e, tag, tl)) {
            sc->pos = e + tl;
            return true;
        }
    sc->pos = sc->end;
    return true;
}

static tok next_tok(scan *sc)
{
    const char *s = sc->s;
    for (;;) {
        while (sc->pos < sc->end && isspace((unsigned char)s[sc->pos]))
            sc->pos++;
        if (sc->pos + 1 < sc->end && s[sc->pos] == '-' && s[sc->pos + 1] == '-') {
            size_t eol = sc->pos + 2;
            while (eol < sc->end && s[eol] != '\n')
                eol++;
            const char *old = annotation(sc->mem, s, sc->pos + 2, eol);
            if (old) {
                sc->hint = old;
                sc->hint_at = sc->pos;
            }
            sc->pos = eol;
            continue;
        }
        if (sc->pos + 1 < sc->end && s[sc->pos] == '/' && s[sc->pos + 1] == '*') {
            int depth = 1;
            sc->pos += 2;
            while (sc->pos + 1 < sc->end && depth) {
                if (s[sc->pos] == '/' && s[sc->pos + 1] == '*')
                    depth++, sc->pos += 2;
                else if (s[sc->pos] == '*' && s[sc->pos + 1] == '/')
                    depth--, sc->pos += 2;
                else
                    sc->pos++;
            }
            if (depth)
                sc->pos = sc->end;
            continue;
        }
        break;
    }
    tok t = {TK_END, sc->pos, 0, sc->hint, sc->hint_at};
    sc->hint = NULL;
    if (sc->pos >= sc->end)
        return t;
    char c = s[sc->pos];
    if (c == '"') {
        t.type = TK_QIDENT;
        skip_quoted(sc, '"');
    } else if (c == '\'') {
        t.type = TK_STRING;
        skip_quoted(sc, '\'');
    } else if ((c == 'E' || c == 'e') && sc->pos + 1 < sc->end && s[sc->pos + 1] == '\'') {
        t.type = TK_OTHER;
        sc->pos++;
        skip_quoted(sc, '\'');
    } else if (c == '$' && skip_dollar(sc)) {
        t.type = TK_OTHER;
    } else if (isalpha((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80) {
        t.type = TK_IDENT;
        while (sc->pos < sc->end && (isalnum((unsigned char)s[sc->pos]) || s[sc->pos] == '_' || s[sc->pos] == '$' ||
                                     (unsigned char)s[sc->pos] >= 0x80))
            sc->pos++;
    } else {
        t.type = strchr("(),;", c) ? TK_PUNCT : TK_OTHER;
        sc->pos++;
    }
    t.len = sc->pos - t.off;
    return t;
}

/* identifier text as the server stores it */
static const char *tok_ident(arena *mem, const char *s, tok t)
{
    if (t.type == TK_QIDENT) {
        char *out = arena_alloc(mem, t.len + 1), *o = out;
        for (size_t i = t.off + 1; i + 1 < t.off + t.len; i++) {
            *o++ = s[i];
            if (s[i] == '"' && s[i + 1] == '"')
                i++;
        }
        return out;
    }
    char *out = arena_strndup(mem, s + t.off, t.len);
    for (char *c = out; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return out;
}

static const char *tok_string(arena *mem, const char *s, tok t)
{
    char *out = arena_alloc(mem, t.len + 1), *o = out;
    for (size_t i = t.off + 1; i + 1 < t.off + t.len; i++) {
        *o++ = s[i];
        if (s[i] == '\'' && s[i + 1] == '\'')
            i++;
    }
    return out;
}

static bool is_word(const char *s, tok t, const char *w)
{
    return t.type == TK_IDENT && strlen(w) == t.len && !strncasecmp(s + t.off, w, t.len);
}

static bool table_element_keyword(const char *s, tok t)
{
    static const char *const words[] = {"constraint", "primary", "unique", "check", "foreign", "exclude", "like"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (is_word(s, t, words[i]))
            return true;
    return t.type != TK_IDENT && t.type != TK_QIDENT;
}

/* schema an unqualified object is created in */
static const char *create_schema(pgr *r, const char *schema)
{
    if (schema && *schema)
        return schema;
    for (size_t i = 0; i < r->search_path.n; i++) {
        const char *s = r->search_path.v[i];
        if (!strcmp(s, "public") || pgu_schema_exists(r, s))
            return s;
    }
    return "public";
}

typedef struct target {
    cat_object_kind kind;
    const char *schema, *name;
    bool columns;   /* CREATE TABLE: column annotations */
    bool labels;    /* CREATE TYPE AS ENUM: label annotations */
} target;

static bool statement_target(pgr *r, const PgQuery__Node *n, target *t)
{
    memset(t, 0, sizeof *t);
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_CREATE_STMT: {
        const PgQuery__RangeVar *rv = n->create_stmt->relation;
        if (!rv || (rv->relpersistence && !strcmp(rv->relpersistence, "t")))
            return false;
        *t = (target){OBJ_TABLE, create_schema(r, rv->schemaname), rv->relname, true, false};
        return true;
    }
    case PG_QUERY__NODE__NODE_VIEW_STMT: {
        const PgQuery__RangeVar *rv = n->view_stmt->view;
        if (!rv)
            return false;
        *t = (target){OBJ_VIEW, create_schema(r, rv->schemaname), rv->relname, false, false};
        return true;
    }
    case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT: {
        const PgQuery__IntoClause *into = n->create_table_as_stmt->into;
        if (!into || !into->rel || n->create_table_as_stmt->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW)
            return false;
        *t = (target){OBJ_VIEW, create_schema(r, into->rel->schemaname), into->rel->relname, false, false};
        return true;
    }
    case PG_QUERY__NODE__NODE_INDEX_STMT: {
        const PgQuery__IndexStmt *ix = n->index_stmt;
        if (!ix->idxname || !*ix->idxname || !ix->relation)
            return false;
        *t = (target){OBJ_INDEX, create_schema(r, ix->relation->schemaname), ix->idxname, false, false};
        return true;
    }
    case PG_QUERY__NODE__NODE_CREATE_ENUM_STMT: {
        const PgQuery__CreateEnumStmt *e = n->create_enum_stmt;
        const char *schema = NULL, *name = NULL;
        pgu_names(e->type_name, e->n_type_name, &schema, &name);
        if (!name)
            return false;
        *t = (target){OBJ_ENUM, create_schema(r, schema), name, false, true};
        return true;
    }
    default: return false;
    }
}

void pg_annot_statement(pgr *r, const PgQuery__Node *stmt)
{
    if (!stmt || !r->text || r->stmt_off >= r->len)
        return;
    const char *text = r->text + r->stmt_off;
    size_t len = r->stmt_len;
    /* cheap test first: most statements carry no annotation */
    bool any = false;
    for (size_t i = 0; i + strlen(MARK) <= len && !any; i++)
        any = text[i] == 'd' && !strncmp(text + i, MARK, strlen(MARK));
    target tg;
    if (!any || !statement_target(r, stmt, &tg))
        return;
    scan sc = {r->text, r->stmt_off, r->stmt_off + len, NULL, 0, &r->tmp};
    tok t = next_tok(&sc);
    if (t.hint)
        catalog_rename_hint_add(r->cat, tg.kind, tg.schema, NULL, t.hint, tg.name, line_index_loc(&r->li, t.hint_at));
    int depth = 0;
    bool after_open = false;
    for (; t.type != TK_END; t = next_tok(&sc)) {
        bool element_start = depth == 1 && after_open;
        after_open = false;
        if (t.type == TK_PUNCT && r->text[t.off] == '(') {
            depth++;
            after_open = depth == 1;
            continue;
        }
        if (t.type == TK_PUNCT && r->text[t.off] == ')') {
            depth--;
            continue;
        }
        if (t.type == TK_PUNCT && r->text[t.off] == ',') {
            after_open = depth == 1;
            continue;
        }
        if (!element_start || !t.hint)
            continue;
        src_loc loc = line_index_loc(&r->li, t.hint_at);
        if (tg.columns && !table_element_keyword(r->text, t))
            catalog_rename_hint_add(r->cat, OBJ_COLUMN, tg.schema, tg.name, t.hint, tok_ident(&r->tmp, r->text, t), loc);
        else if (tg.labels && t.type == TK_STRING)
            catalog_rename_hint_add(r->cat, OBJ_ENUM, tg.schema, tg.name, t.hint, tok_string(&r->tmp, r->text, t), loc);
    }
}
