/*
 * catalog_order.c — deterministic order of a catalog: catalog_sort() (every
 * object list by schema and name, per-table lists by name) and the tables in
 * foreign-key dependency order (referenced first, cycles broken
 * deterministically).
 */
#include "catalog/catalog.h"

#include <stdlib.h>
#include <string.h>

static int cmp2(const char *as, const char *an, const char *bs, const char *bn)
{
    int r = strcmp(as ? as : "", bs ? bs : "");
    return r ? r : strcmp(an ? an : "", bn ? bn : "");
}

#define DEF_CMP(fn, type, s, n)                                   \
    static int fn(const void *a, const void *b)                   \
    {                                                             \
        const type *x = *(const type *const *)a;                  \
        const type *y = *(const type *const *)b;                  \
        return cmp2(x->s, x->n, y->s, y->n);                      \
    }

DEF_CMP(cmp_table, cat_table, schema, name)
DEF_CMP(cmp_enum, cat_enum, schema, name)
DEF_CMP(cmp_domain, cat_domain, schema, name)
DEF_CMP(cmp_composite, cat_composite, schema, name)
DEF_CMP(cmp_sequence, cat_sequence, schema, name)
DEF_CMP(cmp_view, cat_view, schema, name)
DEF_CMP(cmp_function, cat_function, schema, signature)
DEF_CMP(cmp_extension, cat_extension, name, name)
DEF_CMP(cmp_schema, cat_schema, name, name)
DEF_CMP(cmp_index, cat_index, schema, name)
DEF_CMP(cmp_trigger, cat_trigger, name, name)
DEF_CMP(cmp_policy, cat_policy, name, name)

static int cmp_constraint(const void *a, const void *b)
{
    const cat_constraint *x = *(const cat_constraint *const *)a;
    const cat_constraint *y = *(const cat_constraint *const *)b;
    /* named first by name; unnamed (SQLite) keep kind + columns order */
    if (x->name && y->name)
        return strcmp(x->name, y->name);
    if (x->name || y->name)
        return x->name ? -1 : 1;
    if (x->kind != y->kind)
        return (int)x->kind - (int)y->kind;
    size_t n = x->columns.n < y->columns.n ? x->columns.n : y->columns.n;
    for (size_t i = 0; i < n; i++) {
        int r = strcmp(x->columns.v[i], y->columns.v[i]);
        if (r)
            return r;
    }
    if (x->columns.n != y->columns.n)
        return x->columns.n < y->columns.n ? -1 : 1;
    return strcmp(x->expr_norm ? x->expr_norm : "", y->expr_norm ? y->expr_norm : "");
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_grant(const void *a, const void *b)
{
    const cat_grant *x = *(const cat_grant *const *)a;
    const cat_grant *y = *(const cat_grant *const *)b;
    int r;
    if ((r = strcmp(x->object_kind ? x->object_kind : "", y->object_kind ? y->object_kind : "")))
        return r;
    if ((r = cmp2(x->schema, x->object, y->schema, y->object)))
        return r;
    if ((r = strcmp(x->column ? x->column : "", y->column ? y->column : "")))
        return r;
    if ((r = strcmp(x->grantee ? x->grantee : "", y->grantee ? y->grantee : "")))
        return r;
    return strcmp(x->privilege ? x->privilege : "", y->privilege ? y->privilege : "");
}

#define SORTV(vec, fn)                                                     \
    do {                                                                   \
        if ((vec).n > 1)                                                   \
            qsort((vec).v, (vec).n, sizeof(*(vec).v), fn);                 \
    } while (0)

void catalog_sort(catalog *cat)
{
    SORTV(cat->schemas, cmp_schema);
    SORTV(cat->tables, cmp_table);
    SORTV(cat->enums, cmp_enum);
    SORTV(cat->domains, cmp_domain);
    SORTV(cat->composites, cmp_composite);
    SORTV(cat->sequences, cmp_sequence);
    SORTV(cat->views, cmp_view);
    SORTV(cat->functions, cmp_function);
    SORTV(cat->extensions, cmp_extension);
    SORTV(cat->grants, cmp_grant);
    for (size_t i = 0; i < cat->tables.n; i++) {
        cat_table *t = cat->tables.v[i];
        SORTV(t->constraints, cmp_constraint);
        SORTV(t->indexes, cmp_index);
        SORTV(t->triggers, cmp_trigger);
        SORTV(t->policies, cmp_policy);
    }
    for (size_t i = 0; i < cat->views.n; i++) {
        SORTV(cat->views.v[i]->indexes, cmp_index);
        SORTV(cat->views.v[i]->depends_on, cmp_str);
        SORTV(cat->views.v[i]->triggers, cmp_trigger);
    }
}

typedef struct ptr_idx {
    const void *p;
    size_t i;
} ptr_idx;

static int cmp_ptr_idx(const void *a, const void *b)
{
    const ptr_idx *x = a, *y = b;
    return x->p < y->p ? -1 : x->p > y->p;
}

static size_t ptr_index(const ptr_idx *tab, size_t n, const void *p)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (tab[mid].p == p)
            return tab[mid].i;
        if ((const char *)tab[mid].p < (const char *)p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return n;
}

cat_table **catalog_tables_in_dependency_order(catalog *cat)
{
    size_t n = cat->tables.n;
    cat_table **out = arena_alloc(&cat->mem, (n ? n : 1) * sizeof(cat_table *));
    unsigned char *state = calloc(n ? n : 1, 1); /* 0 new, 1 visiting, 2 done */
    size_t *stack = malloc((n ? n : 1) * sizeof(size_t));
    size_t *edge = malloc((n ? n : 1) * sizeof(size_t));
    ptr_idx *byptr = malloc((n ? n : 1) * sizeof(ptr_idx));
    if (!state || !stack || !edge || !byptr)
        abort();
    for (size_t i = 0; i < n; i++) {
        byptr[i].p = cat->tables.v[i];
        byptr[i].i = i;
    }
    qsort(byptr, n, sizeof(ptr_idx), cmp_ptr_idx);
    size_t k = 0;
    /* iterative DFS in (schema, name) order; FK edges to already-visiting
     * tables are cycles and are skipped (those FKs are added afterwards). */
    for (size_t root = 0; root < n; root++) {
        if (state[root])
            continue;
        size_t sp = 0;
        stack[sp] = root;
        edge[sp] = 0;
        state[root] = 1;
        sp++;
        while (sp) {
            size_t ti = stack[sp - 1];
            cat_table *t = cat->tables.v[ti];
            bool pushed = false;
            while (edge[sp - 1] < t->constraints.n) {
                cat_constraint *c = t->constraints.v[edge[sp - 1]++];
                if (c->kind != CON_FOREIGN || !c->ref_table)
                    continue;
                cat_table *r = catalog_table_find(cat, c->ref_schema, c->ref_table);
                if (!r || r == t)
                    continue;
                size_t ri = ptr_index(byptr, n, r);
                if (ri == n || state[ri])
                    continue;
                state[ri] = 1;
                stack[sp] = ri;
                edge[sp] = 0;
                sp++;
                pushed = true;
                break;
            }
            if (!pushed) {
                state[ti] = 2;
                out[k++] = t;
                sp--;
            }
        }
    }
    free(state);
    free(stack);
    free(edge);
    free(byptr);
    return out;
}

