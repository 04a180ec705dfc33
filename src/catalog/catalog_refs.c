/*
 * catalog_refs.c — owns reference following in the catalog: what the server
 * resolves by OID but the catalog stores as names.  When a sequence, type,
 * view or function is renamed or moved, the stored texts that name it
 * (nextval('seq'::regclass) defaults, column / domain / attribute / argument
 * types, grants) are rewritten; when an object is dropped its grants go.
 * Called by the catalog_*_rename / *_remove functions in catalog.c.
 */
#include "catalog/catalog.h"

#include <ctype.h>
#include <string.h>

#include "util/strbuf.h"

/* ---- spellings ----------------------------------------------------------------- */

static bool plain_ident(const char *s)
{
    if (!s || !*s || isdigit((unsigned char)*s))
        return false;
    for (const char *p = s; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_'))
            return false;
    return true;
}

static void add_ident(strbuf *sb, const char *s)
{
    if (plain_ident(s)) {
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

/* format_type / regclass spelling: schema omitted when it is public */
static const char *spelled(arena *a, const char *schema, const char *name)
{
    strbuf sb = STRBUF_INIT;
    if (schema && strcmp(schema, "public") != 0) {
        add_ident(&sb, schema);
        strbuf_addch(&sb, '.');
    }
    add_ident(&sb, name);
    const char *out = arena_strdup(a, strbuf_str(&sb));
    strbuf_release(&sb);
    return out;
}

/* ---- types --------------------------------------------------------------------- */

/* t is `old` or `old[]...` (optionally "SETOF "): the same with `nw`, else NULL */
static const char *retype(arena *a, const char *t, const char *old, const char *nw)
{
    if (!t)
        return NULL;
    const char *pre = "";
    if (strncmp(t, "SETOF ", 6) == 0)
        pre = "SETOF ", t += 6;
    size_t n = strlen(old);
    if (strncmp(t, old, n) != 0)
        return NULL;
    for (const char *p = t + n; *p; p += 2)
        if (strncmp(p, "[]", 2) != 0)
            return NULL;
    return arena_printf(a, "%s%s%s", pre, nw, t + n);
}

static void retype_field(arena *a, const char **field, const char *old, const char *nw)
{
    const char *t = retype(a, *field, old, nw);
    if (t)
        *field = t;
}

static void functions_retype(catalog *cat, const char *old, const char *nw)
{
    arena *a = &cat->mem;
    for (size_t i = 0; i < cat->functions.n; i++) {
        cat_function *f = cat->functions.v[i];
        bool args = false;
        for (size_t k = 0; k < f->args.n; k++) {
            const char *t = retype(a, f->args.v[k].type, old, nw);
            if (t)
                f->args.v[k].type = t, args = true;
        }
        retype_field(a, &f->returns, old, nw);
        if (args && f->signature)
            catalog_function_rename(cat, f, NULL, NULL);  /* new signature; grants follow */
    }
}

void catalog_type_renamed(catalog *cat, const char *old_schema, const char *old_name,
                          const char *new_schema, const char *new_name)
{
    arena *a = &cat->mem;
    const char *old = spelled(a, old_schema, old_name);
    const char *nw = spelled(a, new_schema, new_name);
    if (strcmp(old, nw) == 0)
        return;
    for (size_t i = 0; i < cat->tables.n; i++) {
        cat_table *t = cat->tables.v[i];
        for (size_t k = 0; k < t->columns.n; k++)
            retype_field(a, &t->columns.v[k]->type, old, nw);
    }
    for (size_t i = 0; i < cat->domains.n; i++)
        retype_field(a, &cat->domains.v[i]->base_type, old, nw);
    for (size_t i = 0; i < cat->composites.n; i++) {
        cat_composite *c = cat->composites.v[i];
        for (size_t k = 0; k < c->attrs.n; k++)
            retype_field(a, &c->attrs.v[k].type, old, nw);
    }
    functions_retype(cat, old, nw);
}

/* ---- sequences in defaults ------------------------------------------------------- */

/* does the regclass literal text lit[0..n) name schema.name? */
static bool names_seq(const char *lit, size_t n, const char *schema, const char *name)
{
    char parts[2][256];
    int np = 0;
    size_t i = 0;
    while (i <= n && np < 2) {
        size_t k = 0;
        if (i < n && lit[i] == '"') {
            for (i++; i < n && k < 255; i++) {
                if (lit[i] == '"' && i + 1 < n && lit[i + 1] == '"')
                    parts[np][k++] = '"', i++;
                else if (lit[i] == '"')
                    break;
                else
                    parts[np][k++] = lit[i];
            }
            i++;
        } else {
            for (; i < n && lit[i] != '.' && k < 255; i++)
                parts[np][k++] = (char)tolower((unsigned char)lit[i]);
        }
        parts[np++][k] = '\0';
        if (i < n && lit[i] != '.')
            return false;
        i++;
    }
    if (np == 1)
        return strcmp(schema, "public") == 0 && strcmp(parts[0], name) == 0;
    return np == 2 && strcmp(parts[0], schema) == 0 && strcmp(parts[1], name) == 0;
}

/* rewrite nextval('old') in text; NULL when it does not mention it */
static const char *renextval(arena *a, const char *text, const char *os, const char *on,
                             const char *nw)
{
    if (!text || !strstr(text, "nextval("))
        return NULL;
    strbuf sb = STRBUF_INIT;
    bool changed = false;
    const char *p = text, *hit;
    while ((hit = strstr(p, "nextval('")) != NULL) {
        const char *lit = hit + 9, *end = strchr(lit, '\'');
        if (!end)
            break;
        strbuf_add(&sb, p, (size_t)(lit - p));
        if (names_seq(lit, (size_t)(end - lit), os, on)) {
            strbuf_adds(&sb, nw);
            changed = true;
        } else {
            strbuf_add(&sb, lit, (size_t)(end - lit));
        }
        p = end;
    }
    strbuf_adds(&sb, p);
    const char *out = changed ? arena_strdup(a, strbuf_str(&sb)) : NULL;
    strbuf_release(&sb);
    return out;
}

void catalog_sequence_renamed(catalog *cat, const char *old_schema, const char *old_name,
                              const char *new_schema, const char *new_name)
{
    arena *a = &cat->mem;
    const char *nw = spelled(a, new_schema, new_name);
    strbuf esc = STRBUF_INIT;  /* inside a string literal: double the quotes */
    for (const char *q = nw; *q; q++) {
        if (*q == '\'')
            strbuf_addch(&esc, '\'');
        strbuf_addch(&esc, *q);
    }
    nw = arena_strdup(a, strbuf_str(&esc));
    strbuf_release(&esc);
    for (size_t i = 0; i < cat->tables.n; i++) {
        cat_table *t = cat->tables.v[i];
        for (size_t k = 0; k < t->columns.n; k++) {
            cat_column *c = t->columns.v[k];
            const char *x = renextval(a, c->default_expr, old_schema, old_name, nw);
            if (x)
                c->default_expr = x;
            x = renextval(a, c->default_norm, old_schema, old_name, nw);
            if (x)
                c->default_norm = x;
        }
    }
}

/* ---- grants --------------------------------------------------------------------- */

static bool relation_grant(const cat_grant *g)
{
    return g->object_kind && strcmp(g->object_kind, "function") != 0 &&
           strcmp(g->object_kind, "schema") != 0;
}

void catalog_grants_renamed(catalog *cat, bool function, const char *old_schema,
                            const char *old_object, const char *new_schema,
                            const char *new_object)
{
    for (size_t i = 0; i < cat->grants.n; i++) {
        cat_grant *g = cat->grants.v[i];
        if ((function ? !(g->object_kind && strcmp(g->object_kind, "function") == 0)
                      : !relation_grant(g)) ||
            !g->object || strcmp(g->object, old_object) != 0 || !g->schema ||
            strcmp(g->schema, old_schema) != 0)
            continue;
        g->object = arena_strdup(&cat->mem, new_object);
        g->schema = arena_strdup(&cat->mem, new_schema);
    }
}

void catalog_grants_drop(catalog *cat, bool function, const char *schema, const char *object)
{
    for (size_t i = 0; i < cat->grants.n;) {
        cat_grant *g = cat->grants.v[i];
        bool kind = function ? g->object_kind && strcmp(g->object_kind, "function") == 0
                             : relation_grant(g);
        if (kind && g->object && object && strcmp(g->object, object) == 0 && g->schema &&
            strcmp(g->schema, schema) == 0) {
            VEC_REMOVE(cat->grants, i);
            continue;
        }
        i++;
    }
}
