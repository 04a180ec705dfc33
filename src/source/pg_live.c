/*
 * pg_live.c — the live PostgreSQL reader: connection, the read-only
 * snapshot transaction, dispatch to one catalog query per object kind, the
 * small result-parsing helpers, the table/column map by oid and the
 * expression normalisation cache.  Tables, columns and constraints live in
 * pg_live_tables.c, other object kinds in pg_live_objects.c and
 * pg_live_routines.c.
 *
 * Everything is read in one REPEATABLE READ READ ONLY transaction with
 * search_path = public, so pg_get_expr()/format_type() qualify names outside
 * public exactly as a file reader sees them.  Queries never run per table:
 * the goal is well under a second for thousands of tables.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/normalize.h"
#include "source/pg_live_int.h"
#include "util/strbuf.h"
#include "util/url.h"

/* ---- helpers ------------------------------------------------------------- */

void pg_live_diag(pg_live_ctx *x, const char *prefix, const char *msg)
{
    size_t n = msg ? strlen(msg) : 0;
    while (n && isspace((unsigned char)msg[n - 1]))
        n--;
    diag_error(x->diags, x->loc, "%s%.*s", prefix, (int)n, msg ? msg : "");
}

const char *pg_live_get(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

const char *pg_live_str(pg_live_ctx *x, const PGresult *r, int row, int col)
{
    return arena_strdup(&x->cat->mem, pg_live_get(r, row, col));
}

bool pg_live_bool(const PGresult *r, int row, int col)
{
    const char *v = pg_live_get(r, row, col);
    return v && v[0] == 't';
}

long long pg_live_int(const PGresult *r, int row, int col)
{
    const char *v = pg_live_get(r, row, col);
    return v ? strtoll(v, NULL, 10) : 0;
}

/* one element of an array literal starting at *pp; advances past it */
static const char *array_elem(arena *mem, const char **pp)
{
    const char *p = *pp;
    strbuf sb = STRBUF_INIT;
    bool quoted = *p == '"';
    if (quoted) {
        p++;
        while (*p && *p != '"') {
            if (*p == '\\' && p[1])
                p++;
            strbuf_addch(&sb, *p++);
        }
        if (*p == '"')
            p++;
    } else {
        while (*p && *p != ',' && *p != '}')
            strbuf_addch(&sb, *p++);
    }
    *pp = p;
    const char *s = (!quoted && !strcmp(strbuf_str(&sb), "NULL"))
                        ? NULL
                        : arena_strdup(mem, strbuf_str(&sb));
    strbuf_release(&sb);
    return s;
}

void pg_live_array(pg_live_ctx *x, const char *lit, strvec *out)
{
    if (!lit || *lit != '{')
        return;
    const char *p = lit + 1;
    while (*p && *p != '}') {
        const char *s = array_elem(&x->cat->mem, &p);
        VEC_PUSH(&x->cat->mem, *out, s);
        if (*p == ',')
            p++;
        else if (*p != '}')
            break;
    }
}

/* skip a quoted run starting at s[i] (quote char q); returns index after it */
static size_t skip_quoted(const char *s, size_t len, size_t i, char q)
{
    for (i++; i < len; i++) {
        if (s[i] == q) {
            if (i + 1 < len && s[i + 1] == q) {
                i++;
                continue;
            }
            return i + 1;
        }
    }
    return len;
}

void pg_live_split_top(arena *mem, const char *s, size_t len, strvec *out)
{
    int depth = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len;) {
        char c = i < len ? s[i] : ',';
        if (c == '\'' || c == '"') {
            i = skip_quoted(s, len, i, c);
            continue;
        }
        if (c == '(' || c == '[')
            depth++;
        else if ((c == ')' || c == ']') && depth > 0)
            depth--;
        else if (c == ',' && depth == 0) {
            size_t a = start, b = i;
            while (a < b && isspace((unsigned char)s[a]))
                a++;
            while (b > a && isspace((unsigned char)s[b - 1]))
                b--;
            if (b > a)
                VEC_PUSH(mem, *out, arena_strndup(mem, s + a, b - a));
            start = i + 1;
        }
        i++;
    }
}

size_t pg_live_match_paren(const char *s, size_t open)
{
    size_t len = strlen(s);
    int depth = 0;
    for (size_t i = open; i < len;) {
        if (s[i] == '\'' || s[i] == '"') {
            i = skip_quoted(s, len, i, s[i]);
            continue;
        }
        if (s[i] == '(')
            depth++;
        else if (s[i] == ')' && --depth == 0)
            return i;
        i++;
    }
    return (size_t)-1;
}

/* Many columns share a default or CHECK text: normalise each text once. */
const char *pg_live_norm(pg_live_ctx *x, const char *expr)
{
    if (!expr)
        return NULL;
    const char *hit = hashmap_get(&x->norms, expr);
    if (hit)
        return hit;
    const char *n = normalize_pg_expr(&x->cat->mem, expr);
    if (!n)
        n = arena_strdup(&x->cat->mem, expr);
    hashmap_put(&x->norms, expr, (void *)n);
    return n;
}

cat_table *pg_live_table(pg_live_ctx *x, const char *schema, const char *name)
{
    cat_table *t = x->last_table;
    if (t && !strcmp(t->name, name) && !strcmp(t->schema, schema))
        return t;
    t = catalog_table_find(x->cat, schema, name);
    x->last_table = t;
    return t;
}

/* ---- tables by oid ----------------------------------------------------------- */

pg_live_rel *pg_live_rel_get(pg_live_ctx *x, const char *oid)
{
    if (!oid)
        return NULL;
    if (x->last_rel_oid && !strcmp(x->last_rel_oid, oid))
        return x->last_rel;
    pg_live_rel *rel = hashmap_get(&x->rels, oid);
    x->last_rel = rel;
    x->last_rel_oid = rel ? arena_strdup(&x->tmp, oid) : NULL;
    return rel;
}

pg_live_rel *pg_live_rel_add(pg_live_ctx *x, const char *oid, cat_table *t)
{
    pg_live_rel *rel = ARENA_NEW(&x->tmp, pg_live_rel);
    rel->table = t;
    hashmap_put(&x->rels, oid, rel);
    return rel;
}

const char *pg_live_attname(const pg_live_rel *rel, long long attnum)
{
    if (!rel || attnum <= 0 || (size_t)attnum >= rel->att.n || !rel->att.v[attnum])
        return NULL;
    return rel->att.v[attnum]->name;
}

bool pg_live_attnames(pg_live_ctx *x, const pg_live_rel *rel, const char *list, strvec *out)
{
    if (!rel || !list)
        return false;
    size_t start = out->n;
    for (const char *p = list; *p;) {
        if (!isdigit((unsigned char)*p) && *p != '-') {
            p++;
            continue;
        }
        char *end;
        long long num = strtoll(p, &end, 10);
        p = end;
        const char *name = pg_live_attname(rel, num);
        if (!name) {
            out->n = start;
            return false;
        }
        VEC_PUSH(&x->cat->mem, *out, name);
    }
    return true;
}

/* ---- connection and dispatch ------------------------------------------------- */

/* {"a","b"} text[] literal of the --schema filters, NULL when none */
static const char *schema_param(arena *mem, const source_opts *opts)
{
    if (!opts || !opts->n_schemas)
        return NULL;
    strbuf sb = STRBUF_INIT;
    strbuf_addch(&sb, '{');
    for (size_t i = 0; i < opts->n_schemas; i++) {
        if (i)
            strbuf_addch(&sb, ',');
        strbuf_addch(&sb, '"');
        for (const char *p = opts->schemas[i]; p && *p; p++) {
            if (*p == '"' || *p == '\\')
                strbuf_addch(&sb, '\\');
            strbuf_addch(&sb, *p);
        }
        strbuf_addch(&sb, '"');
    }
    strbuf_addch(&sb, '}');
    const char *s = arena_strdup(mem, strbuf_str(&sb));
    strbuf_release(&sb);
    return s;
}

static int read_all(pg_live_ctx *x)
{
    int (*const steps[])(pg_live_ctx *) = {
        pg_live_read_schemas,   pg_live_read_tables,   pg_live_read_columns,
        pg_live_read_column_comments, pg_live_read_identity_options,
        pg_live_read_constraints, pg_live_read_views,  pg_live_read_indexes,
        pg_live_read_enums,     pg_live_read_domains,  pg_live_read_composites,
        pg_live_read_sequences, pg_live_read_functions, pg_live_read_triggers,
        pg_live_read_policies,  pg_live_read_extensions, pg_live_read_grants,
    };
    size_t n = sizeof steps / sizeof steps[0];
    /* 1. collect every query (the readers only call pg_live_query, which
     *    records it and returns NULL); 2. send them all; 3. read results. */
    x->collecting = true;
    for (size_t i = 0; i < n; i++)
        (void)steps[i](x);
    x->collecting = false;
    if (pg_live_send_plan(x) != 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (steps[i](x) != 0)
            return -1;
    return 0;
}

int pg_live_read(catalog *cat, const char *conninfo, const source_opts *opts, diag_list *diags)
{
    pg_live_ctx x = {0};
    x.cat = cat;
    x.diags = diags;
    x.loc.file = url_mask(&cat->mem, conninfo);
    x.schema_param = schema_param(&cat->mem, opts);
    if (!cat->source)
        cat->source = x.loc.file;

    if (pg_live_connect(&x, conninfo) != 0)
        return -1;
    arena_init(&x.tmp);
    hashmap_init(&x.rels, &x.tmp);
    hashmap_init(&x.norms, &x.tmp);
    int rc = read_all(&x);
    pg_live_disconnect(&x);
    hashmap_release(&x.rels);
    hashmap_release(&x.norms);
    arena_free(&x.tmp);
    return rc;
}
