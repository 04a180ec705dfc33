/*
 * compare.c — owns the integration analysis of two catalogs (compare.h):
 * candidate scoring, the greedy best-score pairing, tenant copies,
 * one-side-only objects and the FK-graph hint propagation.  Output lives in
 * compare_emit.c.
 */
#include "analysis/compare.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void compare_opts_init(compare_opts *o)
{
    memset(o, 0, sizeof *o);
    o->min_score = 0.5;
    o->hint_min_score = 0.1;
}

static const char *qualified(arena *mem, const catalog *c, const char *schema, const char *name)
{
    if (!schema || !strcmp(schema, catalog_default_schema(c)))
        return arena_strdup(mem, name);
    return arena_printf(mem, "%s.%s", schema, name);
}

static double pair_score(const table_match *m)
{
    return (m->name_similarity + m->column_overlap) / 2.0;
}

/* --schema-map: may a of schema sa pair with b of schema sb? */
static bool schema_allowed(const compare_opts *o, const char *sa, const char *sb)
{
    bool mapped = false;
    for (size_t i = 0; i < o->schema_map.n; i++)
        if (!strcmp(o->schema_map.v[i].a, sa)) {
            mapped = true;
            if (!strcmp(o->schema_map.v[i].b, sb))
                return true;
        }
    return !mapped;
}

/* typed-free Jaccard on column names: an upper bound of column_overlap */
static double name_jaccard(const cat_table *a, const cat_table *b)
{
    size_t common = 0;
    for (size_t i = 0; i < a->columns.n; i++)
        for (size_t j = 0; j < b->columns.n; j++)
            if (!strcasecmp(a->columns.v[i]->name, b->columns.v[j]->name)) {
                common++;
                break;
            }
    size_t uni = a->columns.n + b->columns.n - common;
    return uni ? (double)common / (double)uni : 1.0;
}

typedef struct candidate {
    size_t ia, ib;
    double score;
    table_match m;
    const char *reason;  /* hints */
} candidate;

static int cmp_candidate(const void *x, const void *y)
{
    const candidate *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    int c = strcmp(a->m.a->name, b->m.a->name);
    if (c)
        return c;
    c = strcmp(a->m.a->schema, b->m.a->schema);
    if (c)
        return c;
    c = strcmp(a->m.b->schema, b->m.b->schema);
    return c ? c : strcmp(a->m.b->name, b->m.b->name);
}

/* ---- FK graph ----------------------------------------------------------- */

typedef enum { REL_OUT, REL_IN, REL_LINK } rel_kind;

typedef struct neighbour {
    size_t t;            /* table index in its catalog */
    rel_kind rel;
    const char *via;     /* FK columns, or the association table */
} neighbour;

typedef VEC(neighbour) neighbour_vec;

static long table_index(const catalog *c, const char *schema, const char *name)
{
    const cat_table *t = catalog_table_find(c, schema, name);
    if (!t)
        return -1;
    for (size_t i = 0; i < c->tables.n; i++)
        if (c->tables.v[i] == t)
            return (long)i;
    return -1;
}

static const char *fk_cols(arena *mem, const cat_constraint *k)
{
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < k->columns.n; i++) {
        if (i)
            strbuf_adds(&sb, ", ");
        strbuf_adds(&sb, k->columns.v[i]);
    }
    const char *r = arena_strdup(mem, strbuf_str(&sb));
    strbuf_release(&sb);
    return r;
}

/* a table whose primary key is made of its FK columns: an association */
static bool is_link_table(const cat_table *t)
{
    const cat_constraint *pk = catalog_primary_key(t);
    int fks = 0;
    for (size_t i = 0; i < t->constraints.n; i++)
        fks += t->constraints.v[i]->kind == CON_FOREIGN;
    if (fks < 2)
        return false;
    if (!pk)
        return t->columns.n <= (size_t)fks + 2;
    for (size_t i = 0; i < pk->columns.n; i++) {
        bool in_fk = false;
        for (size_t j = 0; j < t->constraints.n && !in_fk; j++) {
            const cat_constraint *k = t->constraints.v[j];
            if (k->kind != CON_FOREIGN)
                continue;
            for (size_t c = 0; c < k->columns.n && !in_fk; c++)
                in_fk = !strcasecmp(k->columns.v[c], pk->columns.v[i]);
        }
        if (!in_fk)
            return false;
    }
    return true;
}

static void push_neighbour(arena *mem, neighbour_vec *v, size_t t, rel_kind rel, const char *via)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->v[i].t == t)
            return;
    neighbour n = {t, rel, via};
    VEC_PUSH(mem, *v, n);
}

/* neighbours of every table: referenced (OUT), referencing (IN), and linked
 * through an association table (LINK) */
static neighbour_vec *build_graph(arena *mem, const catalog *c)
{
    neighbour_vec *g = arena_alloc(mem, (c->tables.n ? c->tables.n : 1) * sizeof *g);
    for (size_t i = 0; i < c->tables.n; i++) {
        const cat_table *t = c->tables.v[i];
        bool link = is_link_table(t);
        for (size_t j = 0; j < t->constraints.n; j++) {
            const cat_constraint *k = t->constraints.v[j];
            if (k->kind != CON_FOREIGN || !k->ref_table)
                continue;
            long r = table_index(c, k->ref_schema ? k->ref_schema : t->schema, k->ref_table);
            if (r < 0 || (size_t)r == i)
                continue;
            const char *cols = fk_cols(mem, k);
            push_neighbour(mem, &g[i], (size_t)r, REL_OUT, cols);
            push_neighbour(mem, &g[r], i, REL_IN, cols);
            if (!link)
                continue;
            for (size_t m = 0; m < t->constraints.n; m++) {
                const cat_constraint *o = t->constraints.v[m];
                if (m == j || o->kind != CON_FOREIGN || !o->ref_table)
                    continue;
                long r2 = table_index(c, o->ref_schema ? o->ref_schema : t->schema, o->ref_table);
                if (r2 >= 0 && r2 != r)
                    push_neighbour(mem, &g[r], (size_t)r2, REL_LINK, qualified(mem, c, t->schema, t->name));
            }
        }
    }
    return g;
}

static const char *describe(arena *mem, const char *x, const char *n, const neighbour *nb)
{
    switch (nb->rel) {
    case REL_OUT: return arena_printf(mem, "%s references %s (%s)", x, n, nb->via);
    case REL_IN: return arena_printf(mem, "%s references %s (%s)", n, x, nb->via);
    case REL_LINK: return arena_printf(mem, "%s and %s are linked through %s", x, n, nb->via);
    }
    return "";
}

static bool rel_compatible(rel_kind x, rel_kind y)
{
    return x == y || x == REL_LINK || y == REL_LINK;
}

/* ---- the analysis -------------------------------------------------------- */

typedef struct state {
    arena *mem;
    const catalog *a, *b;
    const compare_opts *opts;
    compare_result *out;
    bool *used_a, *used_b;
    bool *hinted_a, *hinted_b;
} state;

static void propagate(state *s, neighbour_vec *ga, neighbour_vec *gb)
{
    /* queue of (ia, ib, name a, name b) pairs: overlaps first, then hints */
    typedef struct qitem { size_t ia, ib; const char *na, *nb; } qitem;
    VEC(qitem) q = {0};
    for (size_t i = 0; i < s->out->overlaps.n; i++) {
        const compare_pair *p = &s->out->overlaps.v[i];
        long ia = -1, ib = -1;
        for (size_t k = 0; k < s->a->tables.n; k++)
            if (s->a->tables.v[k] == p->m.a)
                ia = (long)k;
        for (size_t k = 0; k < s->b->tables.n; k++)
            if (s->b->tables.v[k] == p->m.b)
                ib = (long)k;
        qitem it = {(size_t)ia, (size_t)ib, p->a_name, p->b_name};
        VEC_PUSH(s->mem, q, it);
    }
    for (size_t qi = 0; qi < q.n; qi++) {
        qitem it = q.v[qi];
        VEC(candidate) cands = {0};
        for (size_t i = 0; i < ga[it.ia].n; i++) {
            const neighbour *na = &ga[it.ia].v[i];
            if (s->used_a[na->t])
                continue;
            for (size_t j = 0; j < gb[it.ib].n; j++) {
                const neighbour *nb = &gb[it.ib].v[j];
                if (s->used_b[nb->t] || !rel_compatible(na->rel, nb->rel))
                    continue;
                const cat_table *ta = s->a->tables.v[na->t], *tb = s->b->tables.v[nb->t];
                if (!schema_allowed(s->opts, ta->schema, tb->schema))
                    continue;
                candidate c = {na->t, nb->t, 0, {0}, NULL};
                match_tables(s->mem, s->a, ta, s->b, tb, &c.m);
                c.score = pair_score(&c.m);
                if (c.score < s->opts->hint_min_score || c.m.common_columns == 0)
                    continue;
                const char *xa = qualified(s->mem, s->a, ta->schema, ta->name);
                const char *xb = qualified(s->mem, s->b, tb->schema, tb->name);
                c.reason = arena_printf(s->mem, "%s; %s; from %s ~ %s",
                                               describe(s->mem, it.na, xa, na),
                                               describe(s->mem, it.nb, xb, nb), it.na, it.nb);
                VEC_PUSH(s->mem, cands, c);
            }
        }
        /* greedy over this step's candidates */
        if (cands.n)
            qsort(cands.v, cands.n, sizeof *cands.v, cmp_candidate);
        for (size_t i = 0; i < cands.n; i++) {
            candidate *c = &cands.v[i];
            if (s->used_a[c->ia] || s->used_b[c->ib])
                continue;
            s->used_a[c->ia] = s->used_b[c->ib] = true;
            s->hinted_a[c->ia] = s->hinted_b[c->ib] = true;
            const cat_table *ta = s->a->tables.v[c->ia], *tb = s->b->tables.v[c->ib];
            compare_hint h = {ta, tb, qualified(s->mem, s->a, ta->schema, ta->name),
                              qualified(s->mem, s->b, tb->schema, tb->name), c->score,
                              c->reason};
            VEC_PUSH(s->mem, s->out->hints, h);
            qitem next = {c->ia, c->ib, h.a_name, h.b_name};
            VEC_PUSH(s->mem, q, next);
        }
    }
}

static bool same_structure(arena *mem, const catalog *c, const cat_table *x, const cat_table *y)
{
    table_match m;
    match_tables(mem, c, x, c, y, &m);
    return m.verdict == MATCH_IDENTICAL;
}

static void other_objects(state *s, const catalog *x, const catalog *y, compare_object_vec *out)
{
    arena *mem = s->mem;
#define ONE_SIDE(list, kindname)                                                              \
    for (size_t i = 0; i < x->list.n; i++) {                                                  \
        bool found = false;                                                                   \
        for (size_t j = 0; j < y->list.n && !found; j++)                                      \
            found = !strcasecmp(x->list.v[i]->name, y->list.v[j]->name);                      \
        if (!found) {                                                                         \
            compare_object o = {kindname, qualified(mem, x, x->list.v[i]->schema, x->list.v[i]->name), \
                                false, NULL};                                                 \
            VEC_PUSH(mem, *out, o);                                                           \
        }                                                                                     \
    }
    ONE_SIDE(views, "view")
    ONE_SIDE(enums, "enum")
    ONE_SIDE(functions, "function")
#undef ONE_SIDE
}

void compare_catalogs(arena *mem, const catalog *a, const catalog *b, const compare_opts *opts,
                      compare_result *out)
{
    memset(out, 0, sizeof *out);
    out->a = a;
    out->b = b;
    out->min_score = opts->min_score;
    size_t na = a->tables.n, nb = b->tables.n;
    state s = {mem, a, b, opts, out, arena_alloc(mem, na + 1), arena_alloc(mem, nb + 1),
               arena_alloc(mem, na + 1), arena_alloc(mem, nb + 1)};

    /* tenant copies: a table of A identical to an earlier one of the same name in
     * another schema stands for nothing of its own (per-client schemas) */
    long *copy_of = arena_alloc(mem, (na + 1) * sizeof *copy_of);
    for (size_t i = 0; i < na; i++) {
        copy_of[i] = -1;
        for (size_t j = 0; j < i && copy_of[i] < 0; j++)
            if (copy_of[j] < 0 && !strcmp(a->tables.v[i]->name, a->tables.v[j]->name) &&
                strcmp(a->tables.v[i]->schema, a->tables.v[j]->schema) != 0 &&
                same_structure(mem, a, a->tables.v[j], a->tables.v[i]))
                copy_of[i] = (long)j;
        if (copy_of[i] >= 0)
            s.used_a[i] = true;
    }

    /* candidates: every pair whose upper-bound score can reach the threshold */
    VEC(candidate) cands = {0};
    for (size_t i = 0; i < na; i++) {
        const cat_table *ta = a->tables.v[i];
        for (size_t j = 0; j < nb && copy_of[i] < 0; j++) {
            const cat_table *tb = b->tables.v[j];
            if (!schema_allowed(opts, ta->schema, tb->schema))
                continue;
            double ns = match_name_similarity(ta->name, tb->name);
            if ((ns + name_jaccard(ta, tb)) / 2.0 < opts->min_score)
                continue;
            candidate c = {i, j, 0, {0}, NULL};
            match_tables(mem, a, ta, b, tb, &c.m);
            c.score = pair_score(&c.m);
            if (c.score >= opts->min_score && c.score > 0)
                VEC_PUSH(mem, cands, c);
        }
    }
    if (cands.n)
        qsort(cands.v, cands.n, sizeof *cands.v, cmp_candidate);
    for (size_t k = 0; k < cands.n; k++) {
        candidate *c = &cands.v[k];
        if (s.used_a[c->ia] || s.used_b[c->ib])
            continue;
        s.used_a[c->ia] = s.used_b[c->ib] = true;
        compare_pair p = {c->m, qualified(mem, a, c->m.a->schema, c->m.a->name),
                          qualified(mem, b, c->m.b->schema, c->m.b->name), c->score, {0}};
        VEC_PUSH(mem, out->overlaps, p);
    }
    /* the copies join their representative's pair */
    for (size_t i = 0; i < na; i++) {
        if (copy_of[i] < 0)
            continue;
        const cat_table *rep = a->tables.v[copy_of[i]], *t = a->tables.v[i];
        for (size_t k = 0; k < out->overlaps.n; k++)
            if (out->overlaps.v[k].m.a == rep)
                VEC_PUSH(mem, out->overlaps.v[k].tenant_copies, qualified(mem, a, t->schema, t->name));
    }
    for (size_t k = 0; k < out->overlaps.n; k++) {
        const table_match *m = &out->overlaps.v[k].m;
        out->identical += m->verdict == MATCH_IDENTICAL;
        out->compatible += m->verdict == MATCH_COMPATIBLE;
        out->conflicting += m->verdict == MATCH_CONFLICTING;
        for (size_t d = 0; d < m->diffs.n; d++)
            out->conflicts += m->diffs.v[d].conflict;
    }

    propagate(&s, build_graph(mem, a), build_graph(mem, b));

    for (size_t i = 0; i < na; i++) {
        long rep = copy_of[i] >= 0 ? copy_of[i] : (long)i;
        if (s.used_a[rep] && !s.hinted_a[rep])
            continue;  /* paired: the copies are listed with the pair */
        compare_object o = {"table", qualified(mem, a, a->tables.v[i]->schema, a->tables.v[i]->name),
                            s.hinted_a[rep], NULL};
        if (copy_of[i] >= 0)
            o.copy_of = qualified(mem, a, a->tables.v[rep]->schema, a->tables.v[rep]->name);
        VEC_PUSH(mem, out->only_a, o);
    }
    for (size_t j = 0; j < nb; j++)
        if (!s.used_b[j] || s.hinted_b[j]) {
            compare_object o = {"table", qualified(mem, b, b->tables.v[j]->schema, b->tables.v[j]->name),
                                s.hinted_b[j], NULL};
            VEC_PUSH(mem, out->only_b, o);
        }
    other_objects(&s, a, b, &out->only_a);
    other_objects(&s, b, a, &out->only_b);
}
