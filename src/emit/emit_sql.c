/*
 * emit_sql.c — emit_sql() dialect dispatch and the helpers shared by the
 * DDL emitters: expression fallback, "schema.name" resolution and the
 * dependency orders of views (depends_on) and tables (INHERITS parents).
 */
#include "emit/emit_internal.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

void emit_sql(strbuf *out, catalog *cat, const emit_opts *opts)
{
    if (cat->dialect == DIALECT_SQLITE)
        emit_sql_sqlite(out, cat, opts);
    else
        emit_sql_pg(out, cat, opts);
}

const char *emit_expr_text(const char *written, const char *norm)
{
    return written ? written : norm;
}

static bool relation_exists(catalog *cat, const char *schema, const char *name)
{
    return catalog_table_find(cat, schema, name) || catalog_view_find(cat, schema, name) ||
           catalog_sequence_find(cat, schema, name);
}

void emit_split_qualified(catalog *cat, const char *qname, const char **schema, const char **name)
{
    const char *q = qname ? qname : "";
    const char *first = strchr(q, '.');
    if (!first) {
        *schema = catalog_default_schema(cat);
        *name = arena_strdup(&cat->mem, q);
        return;
    }
    for (const char *dot = first; dot; dot = strchr(dot + 1, '.')) {
        char *s = arena_strndup(&cat->mem, q, (size_t)(dot - q));
        if (relation_exists(cat, s, dot + 1)) {
            *schema = s;
            *name = arena_strdup(&cat->mem, dot + 1);
            return;
        }
    }
    if (relation_exists(cat, catalog_default_schema(cat), q)) {
        *schema = catalog_default_schema(cat);
        *name = arena_strdup(&cat->mem, q);
        return;
    }
    *schema = arena_strndup(&cat->mem, q, (size_t)(first - q));
    *name = arena_strdup(&cat->mem, first + 1);
}

/* ---- generic topological order ------------------------------------------ */

typedef VEC(size_t) idxvec;

/* Iterative DFS over nodes 0..n-1 in order; deps[i] lists nodes that must
 * come before i.  Edges to nodes on the current path (cycles) are skipped.
 * Writes the order into out[0..n-1]. */
static void topo_order(arena *scratch, size_t n, const idxvec *deps, size_t *out)
{
    unsigned char *state = arena_alloc(scratch, n + 1);
    size_t *stack = arena_alloc(scratch, (n + 1) * sizeof(size_t));
    size_t *edge = arena_alloc(scratch, (n + 1) * sizeof(size_t));
    size_t k = 0;
    for (size_t root = 0; root < n; root++) {
        if (state[root])
            continue;
        size_t sp = 0;
        stack[sp] = root;
        edge[sp++] = 0;
        state[root] = 1;
        while (sp) {
            size_t cur = stack[sp - 1];
            bool pushed = false;
            while (edge[sp - 1] < deps[cur].n) {
                size_t d = deps[cur].v[edge[sp - 1]++];
                if (d >= n || state[d])
                    continue;
                state[d] = 1;
                stack[sp] = d;
                edge[sp++] = 0;
                pushed = true;
                break;
            }
            if (!pushed) {
                state[cur] = 2;
                out[k++] = cur;
                sp--;
            }
        }
    }
}

static const char *rel_key(arena *a, const char *schema, const char *name)
{
    return arena_printf(a, "%s\x1f%s", schema ? schema : "", name ? name : "");
}

cat_view **emit_views_in_dependency_order(catalog *cat)
{
    size_t n = cat->views.n;
    cat_view **res = arena_alloc(&cat->mem, (n + 1) * sizeof(cat_view *));
    arena scratch;
    arena_init(&scratch);
    hashmap pos;
    hashmap_init(&pos, &scratch);
    for (size_t i = 0; i < n; i++)
        hashmap_put(&pos, rel_key(&scratch, cat->views.v[i]->schema, cat->views.v[i]->name),
                    (void *)(uintptr_t)(i + 1));
    idxvec *deps = arena_alloc(&scratch, (n + 1) * sizeof(idxvec));
    for (size_t i = 0; i < n; i++) {
        const cat_view *v = cat->views.v[i];
        for (size_t j = 0; j < v->depends_on.n; j++) {
            const char *s, *nm;
            emit_split_qualified(cat, v->depends_on.v[j], &s, &nm);
            uintptr_t p = (uintptr_t)hashmap_get(&pos, rel_key(&scratch, s, nm));
            if (p && p - 1 != i)
                VEC_PUSH(&scratch, deps[i], (size_t)(p - 1));
        }
    }
    size_t *order = arena_alloc(&scratch, (n + 1) * sizeof(size_t));
    topo_order(&scratch, n, deps, order);
    for (size_t i = 0; i < n; i++)
        res[i] = cat->views.v[order[i]];
    hashmap_release(&pos);
    arena_free(&scratch);
    return res;
}

cat_table **emit_tables_in_order(catalog *cat)
{
    size_t n = cat->tables.n;
    cat_table **base = catalog_tables_in_dependency_order(cat);
    cat_table **res = arena_alloc(&cat->mem, (n + 1) * sizeof(cat_table *));
    arena scratch;
    arena_init(&scratch);
    hashmap pos;
    hashmap_init(&pos, &scratch);
    for (size_t i = 0; i < n; i++)
        hashmap_put(&pos, rel_key(&scratch, base[i]->schema, base[i]->name),
                    (void *)(uintptr_t)(i + 1));
    idxvec *deps = arena_alloc(&scratch, (n + 1) * sizeof(idxvec));
    for (size_t i = 0; i < n; i++) {
        const cat_table *t = base[i];
        for (size_t j = 0; j < t->inherits.n; j++) {
            const char *s, *nm;
            emit_split_qualified(cat, t->inherits.v[j], &s, &nm);
            uintptr_t p = (uintptr_t)hashmap_get(&pos, rel_key(&scratch, s, nm));
            if (p && p - 1 != i)
                VEC_PUSH(&scratch, deps[i], (size_t)(p - 1));
        }
    }
    size_t *order = arena_alloc(&scratch, (n + 1) * sizeof(size_t));
    topo_order(&scratch, n, deps, order);
    for (size_t i = 0; i < n; i++)
        res[i] = base[order[i]];
    hashmap_release(&pos);
    arena_free(&scratch);
    return res;
}

void emit_add_trimmed_stmt(strbuf *out, const char *s)
{
    if (!s)
        return;
    size_t n = strlen(s);
    while (n && (isspace((unsigned char)s[n - 1]) || s[n - 1] == ';'))
        n--;
    size_t b = 0;
    while (b < n && isspace((unsigned char)s[b]))
        b++;
    strbuf_add(out, s + b, n - b);
}

bool emit_starts_with_words(const char *s, const char *words)
{
    if (!s)
        return false;
    while (isspace((unsigned char)*s))
        s++;
    while (*words) {
        if (*words == ' ') {
            if (!isspace((unsigned char)*s))
                return false;
            while (isspace((unsigned char)*s))
                s++;
            words++;
            continue;
        }
        if (tolower((unsigned char)*s) != tolower((unsigned char)*words))
            return false;
        s++;
        words++;
    }
    return true;
}

const char *emit_fk_action_words(fk_action a)
{
    switch (a) {
    case 'r': return "RESTRICT";
    case 'c': return "CASCADE";
    case 'n': return "SET NULL";
    case 'd': return "SET DEFAULT";
    default: return NULL;
    }
}
