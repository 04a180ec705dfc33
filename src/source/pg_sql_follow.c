/*
 * pg_sql_follow.c — owns two things of the PostgreSQL SQL reader that the
 * server gets for free from OIDs: a column rename rewrites the expressions
 * of its table that mention the column (CHECK, defaults, generated columns,
 * index expressions and predicates, policies, trigger WHEN), and ALTER TYPE
 * on composite types (ADD / DROP / ALTER ATTRIBUTE, RENAME ATTRIBUTE).
 */
#include "source/pg_sql_follow.h"

#include <ctype.h>
#include <string.h>

#include "util/strbuf.h"

/* ---- identifiers in expression text ---------------------------------------------- */

static bool ident_char(char ch)
{
    return isalnum((unsigned char)ch) || ch == '_' || ch == '$';
}

static void add_ident(strbuf *sb, const char *s)
{
    bool plain = *s && !isdigit((unsigned char)*s);
    for (const char *p = s; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_'))
            plain = false;
    if (plain) {
        strbuf_adds(sb, s);
        return;
    }
    strbuf_addch(sb, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            strbuf_addch(sb, '"');
        strbuf_addch(sb, *p);
    }
    strbuf_addch(sb, '"');
}

/* a word or quoted identifier at [b, e) followed by '(' is a function name;
 * one after "::" is a type name: neither is a column */
static bool column_position(const char *text, const char *b, const char *e)
{
    while (*e == ' ' || *e == '\t' || *e == '\n')
        e++;
    if (*e == '(')
        return false;
    while (b > text && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\n'))
        b--;
    return !(b - text >= 2 && b[-1] == ':' && b[-2] == ':');
}

const char *pg_sql_rename_ident(arena *a, const char *text, const char *old, const char *nw)
{
    if (!text || !old || !nw || !strstr(text, old))
        return text;
    strbuf sb = STRBUF_INIT;
    bool changed = false;
    const char *p = text;
    while (*p) {
        if (*p == '\'') {  /* string literal, '' escapes */
            const char *q = p + 1;
            while (*q && !(*q == '\'' && q[1] != '\''))
                q += *q == '\'' ? 2 : 1;
            q += *q ? 1 : 0;
            strbuf_add(&sb, p, (size_t)(q - p));
            p = q;
        } else if (*p == '"') {
            strbuf name = STRBUF_INIT;
            const char *q = p + 1;
            for (; *q; q++) {
                if (*q == '"' && q[1] == '"')
                    strbuf_addch(&name, '"'), q++;
                else if (*q == '"')
                    break;
                else
                    strbuf_addch(&name, *q);
            }
            q += *q ? 1 : 0;
            if (strcmp(strbuf_str(&name), old) == 0 && column_position(text, p, q)) {
                add_ident(&sb, nw);
                changed = true;
            } else {
                strbuf_add(&sb, p, (size_t)(q - p));
            }
            strbuf_release(&name);
            p = q;
        } else if (ident_char(*p) && !isdigit((unsigned char)*p)) {
            const char *q = p;
            while (ident_char(*q))
                q++;
            size_t n = (size_t)(q - p);
            bool same = n == strlen(old);
            for (size_t i = 0; same && i < n; i++)
                same = tolower((unsigned char)p[i]) == old[i];
            if (same && column_position(text, p, q)) {
                add_ident(&sb, nw);
                changed = true;
            } else {
                strbuf_add(&sb, p, n);
            }
            p = q;
        } else if (isdigit((unsigned char)*p)) {
            const char *q = p;
            while (ident_char(*q) || *q == '.')
                q++;
            strbuf_add(&sb, p, (size_t)(q - p));
            p = q;
        } else {
            strbuf_addch(&sb, *p++);
        }
    }
    const char *out = changed ? arena_strdup(a, strbuf_str(&sb)) : text;
    strbuf_release(&sb);
    return out;
}

/* ---- column rename ----------------------------------------------------------------- */

#define FOLLOW(field) ((field) = pg_sql_rename_ident(a, (field), old, nw))

void pg_sql_column_renamed(pgr *r, cat_table *t, const char *old, const char *nw)
{
    arena *a = &r->cat->mem;
    for (size_t i = 0; i < t->columns.n; i++) {
        cat_column *c = t->columns.v[i];
        FOLLOW(c->default_expr);
        FOLLOW(c->default_norm);
        FOLLOW(c->generated_expr);
        FOLLOW(c->generated_norm);
    }
    for (size_t i = 0; i < t->constraints.n; i++) {
        cat_constraint *c = t->constraints.v[i];
        FOLLOW(c->expr);
        FOLLOW(c->expr_norm);
        FOLLOW(c->where_norm);
        for (size_t k = 0; k < c->exclude_elems.n; k++)
            FOLLOW(c->exclude_elems.v[k]);
    }
    for (size_t i = 0; i < t->indexes.n; i++) {
        cat_index *ix = t->indexes.v[i];
        FOLLOW(ix->where_expr);
        FOLLOW(ix->where_norm);
        for (size_t k = 0; k < ix->elems.n; k++) {
            FOLLOW(ix->elems.v[k].expr);
            FOLLOW(ix->elems.v[k].expr_norm);
        }
    }
    for (size_t i = 0; i < t->policies.n; i++) {
        cat_policy *p = t->policies.v[i];
        FOLLOW(p->using_expr);
        FOLLOW(p->using_norm);
        FOLLOW(p->check_expr);
        FOLLOW(p->check_norm);
    }
    for (size_t i = 0; i < t->triggers.n; i++) {
        FOLLOW(t->triggers.v[i]->when_expr);
        FOLLOW(t->triggers.v[i]->when_norm);
    }
}

#undef FOLLOW

/* ---- composite types ---------------------------------------------------------------- */

static bool composite_exists(pgr *r, const char *schema, const char *name)
{
    return catalog_composite_find(r->cat, schema, name) != NULL;
}

static cat_composite *find_composite(pgr *r, const PgQuery__RangeVar *rv, bool missing_ok)
{
    const char *schema = rv ? pgu_s(rv->schemaname) : NULL;
    const char *s = rv && rv->relname ? pgu_lookup_schema(r, schema, rv->relname, composite_exists)
                                      : NULL;
    cat_composite *c = s ? catalog_composite_find(r->cat, s, rv->relname) : NULL;
    if (!c && !missing_ok)
        diag_error(r->diags, r->loc, "type \"%s\" does not exist",
                   rv && rv->relname ? pgu_display(schema, rv->relname, &r->tmp) : "?");
    return c;
}

static long attr_index(const cat_composite *c, const char *name)
{
    for (size_t i = 0; name && i < c->attrs.n; i++)
        if (strcmp(c->attrs.v[i].name, name) == 0)
            return (long)i;
    return -1;
}

static void composite_cmd(pgr *r, cat_composite *c, const PgQuery__AlterTableCmd *cmd)
{
    const PgQuery__ColumnDef *cd =
        cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF ? cmd->def->column_def
                                                                           : NULL;
    switch (cmd->subtype) {
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumnRecurse: {
        if (!cd || !cd->colname)
            return;
        if (attr_index(c, cd->colname) >= 0) {
            diag_error(r->diags, r->loc, "column \"%s\" of relation \"%s\" already exists",
                       cd->colname, c->name);
            return;
        }
        cat_composite_attr at = {0};
        at.name = arena_strdup(&r->cat->mem, cd->colname);
        at.type = pgu_type(r, cd->type_name, &at.type_written);
        VEC_PUSH(&r->cat->mem, c->attrs, at);
        return;
    }
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumnRecurse: {
        long i = attr_index(c, cmd->name);
        if (i >= 0)
            VEC_REMOVE(c->attrs, (size_t)i);
        else if (!cmd->missing_ok)
            diag_error(r->diags, r->loc, "column \"%s\" of relation \"%s\" does not exist",
                       cmd->name ? cmd->name : "?", c->name);
        return;
    }
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType: {
        long i = attr_index(c, cmd->name);
        if (i < 0 || !cd) {
            diag_error(r->diags, r->loc, "column \"%s\" of relation \"%s\" does not exist",
                       cmd->name ? cmd->name : "?", c->name);
            return;
        }
        c->attrs.v[i].type = pgu_type(r, cd->type_name, &c->attrs.v[i].type_written);
        return;
    }
    default:
        diag_warning(r->diags, r->loc, "ALTER TYPE subcommand %d is not interpreted",
                     (int)cmd->subtype);
        return;
    }
}

void pg_sql_alter_composite(pgr *r, PgQuery__AlterTableStmt *st)
{
    cat_composite *c = find_composite(r, st->relation, st->missing_ok);
    if (!c)
        return;
    pgu_altered(r, &c->prov);
    for (size_t i = 0; i < st->n_cmds; i++)
        if (st->cmds[i]->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_CMD)
            composite_cmd(r, c, st->cmds[i]->alter_table_cmd);
}

void pg_sql_rename_attribute(pgr *r, PgQuery__RenameStmt *st)
{
    cat_composite *c = find_composite(r, st->relation, st->missing_ok);
    if (!c)
        return;
    long i = attr_index(c, st->subname);
    if (i < 0) {
        diag_error(r->diags, r->loc, "column \"%s\" does not exist",
                   st->subname ? st->subname : "?");
        return;
    }
    if (attr_index(c, st->newname) >= 0) {
        diag_error(r->diags, r->loc, "column \"%s\" of relation \"%s\" already exists",
                   st->newname, c->name);
        return;
    }
    c->attrs.v[i].name = arena_strdup(&r->cat->mem, st->newname);
    pgu_altered(r, &c->prov);
}
