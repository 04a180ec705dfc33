/*
 * catalog.c — construction, lookup, mutation and ordering of the catalog.
 *
 * Top-level objects live in per-kind vectors and are also registered in one
 * hash index keyed "kind\x1fschema\x1fname" so readers that interpret
 * thousands of statements stay O(1) per lookup.
 */
#include "catalog/catalog.h"

#include <stdlib.h>
#include <string.h>

const char *dialect_name(dialect d)
{
    switch (d) {
    case DIALECT_PG: return "pg";
    case DIALECT_SQLITE: return "sqlite";
    default: return "unknown";
    }
}

dialect dialect_from_name(const char *s)
{
    if (!s)
        return DIALECT_UNKNOWN;
    if (!strcmp(s, "pg") || !strcmp(s, "postgres") || !strcmp(s, "postgresql"))
        return DIALECT_PG;
    if (!strcmp(s, "sqlite") || !strcmp(s, "sqlite3"))
        return DIALECT_SQLITE;
    return DIALECT_UNKNOWN;
}

const char *cat_object_kind_name(cat_object_kind k)
{
    switch (k) {
    case OBJ_SCHEMA: return "schema";
    case OBJ_TABLE: return "table";
    case OBJ_COLUMN: return "column";
    case OBJ_CONSTRAINT: return "constraint";
    case OBJ_INDEX: return "index";
    case OBJ_ENUM: return "enum";
    case OBJ_DOMAIN: return "domain";
    case OBJ_SEQUENCE: return "sequence";
    case OBJ_VIEW: return "view";
    case OBJ_MATVIEW: return "materialized view";
    case OBJ_FUNCTION: return "function";
    case OBJ_PROCEDURE: return "procedure";
    case OBJ_TRIGGER: return "trigger";
    case OBJ_POLICY: return "policy";
    case OBJ_EXTENSION: return "extension";
    case OBJ_COMPOSITE_TYPE: return "type";
    }
    return "object";
}

/* ---- index keys ---------------------------------------------------------- */

/* Relations (tables, views, sequences, indexes) share one namespace in PG,
 * as do types (enums, domains, composites).  Keys use that namespace. */
enum { NS_REL = 'r', NS_TYPE = 't', NS_FUNC = 'f', NS_SCHEMA = 's', NS_EXT = 'e' };

static const char *key_of(char ns, const char *schema, const char *name, char buf[], size_t size,
                          char **heap)
{
    size_t need = 4 + (schema ? strlen(schema) : 0) + strlen(name) + 1;
    char *p = buf;
    *heap = NULL;
    if (need > size) {
        p = malloc(need);
        if (!p)
            abort();
        *heap = p;
    }
    p[0] = ns;
    p[1] = '\x1f';
    size_t sl = schema ? strlen(schema) : 0;
    if (sl)
        memcpy(p + 2, schema, sl);
    p[2 + sl] = '\x1f';
    strcpy(p + 3 + sl, name);
    return p;
}

static void index_put(catalog *cat, char ns, const char *schema, const char *name, void *obj)
{
    char buf[256], *heap;
    const char *k = key_of(ns, schema, name, buf, sizeof buf, &heap);
    hashmap_put(&cat->index, k, obj);
    free(heap);
}

static void *index_get(const catalog *cat, char ns, const char *schema, const char *name)
{
    if (!name)
        return NULL;
    char buf[256], *heap;
    const char *k = key_of(ns, schema, name, buf, sizeof buf, &heap);
    void *v = hashmap_get(&cat->index, k);
    free(heap);
    return v;
}

static void index_del(catalog *cat, char ns, const char *schema, const char *name, void *obj)
{
    char buf[256], *heap;
    const char *k = key_of(ns, schema, name, buf, sizeof buf, &heap);
    if (hashmap_get(&cat->index, k) == obj)
        hashmap_del(&cat->index, k);
    free(heap);
}

/* Relations share one namespace, so each kind also has a typed key
 * ("#<kind>\x1fschema\x1fname") to tell a table from a view in O(1). */
static void *typed_get(const catalog *cat, char kind, const char *schema, const char *name)
{
    /* typed keys: upper-case namespace letter + kind letter */
    if (!name)
        return NULL;
    char buf[256], *heap;
    size_t need = 5 + strlen(schema) + strlen(name) + 1;
    char *p = buf;
    heap = NULL;
    if (need > sizeof buf) {
        p = heap = malloc(need);
        if (!p)
            abort();
    }
    p[0] = '#';
    p[1] = kind;
    p[2] = '\x1f';
    strcpy(p + 3, schema);
    size_t sl = strlen(schema);
    p[3 + sl] = '\x1f';
    strcpy(p + 4 + sl, name);
    void *v = hashmap_get(&cat->index, p);
    free(heap);
    return v;
}

static void typed_set(catalog *cat, char kind, const char *schema, const char *name, void *obj)
{
    char buf[256], *heap = NULL;
    size_t need = 5 + strlen(schema) + strlen(name) + 1;
    char *p = buf;
    if (need > sizeof buf) {
        p = heap = malloc(need);
        if (!p)
            abort();
    }
    p[0] = '#';
    p[1] = kind;
    p[2] = '\x1f';
    strcpy(p + 3, schema);
    size_t sl = strlen(schema);
    p[3 + sl] = '\x1f';
    strcpy(p + 4 + sl, name);
    if (obj)
        hashmap_put(&cat->index, p, obj);
    else
        hashmap_del(&cat->index, p);
    free(heap);
}

/* ---- lifecycle ------------------------------------------------------------ */

catalog *catalog_new(dialect d)
{
    catalog *cat = calloc(1, sizeof *cat);
    if (!cat)
        abort();
    arena_init(&cat->mem);
    cat->dialect = d;
    hashmap_init(&cat->index, &cat->mem);
    return cat;
}

void catalog_free(catalog *cat)
{
    if (!cat)
        return;
    if (cat->free_scratch && cat->sqlite_scratch)
        cat->free_scratch(cat->sqlite_scratch);
    hashmap_release(&cat->index);
    arena_free(&cat->mem);
    free(cat);
}

const char *catalog_default_schema(const catalog *cat)
{
    return cat->dialect == DIALECT_SQLITE ? "main" : "public";
}

static const char *sch(catalog *cat, const char *schema)
{
    return arena_strdup(&cat->mem, schema ? schema : catalog_default_schema(cat));
}

static void prov_init(provenance *p, catalog *cat, src_loc loc)
{
    p->created = loc;
    p->created.file = arena_strdup(&cat->mem, loc.file);
}

/* ---- creation --------------------------------------------------------------- */

cat_schema *catalog_schema_add(catalog *cat, const char *name, src_loc loc)
{
    cat_schema *s = ARENA_NEW(&cat->mem, cat_schema);
    s->name = arena_strdup(&cat->mem, name);
    prov_init(&s->prov, cat, loc);
    VEC_PUSH(&cat->mem, cat->schemas, s);
    index_put(cat, NS_SCHEMA, NULL, s->name, s);
    return s;
}

cat_table *catalog_table_add(catalog *cat, const char *schema, const char *name, src_loc loc)
{
    cat_table *t = ARENA_NEW(&cat->mem, cat_table);
    t->schema = sch(cat, schema);
    t->name = arena_strdup(&cat->mem, name);
    prov_init(&t->prov, cat, loc);
    VEC_PUSH(&cat->mem, cat->tables, t);
    index_put(cat, NS_REL, t->schema, t->name, t);
    typed_set(cat, 'T', t->schema, t->name, t);
    return t;
}

cat_column *catalog_column_add(catalog *cat, cat_table *t, const char *name, src_loc loc)
{
    cat_column *c = ARENA_NEW(&cat->mem, cat_column);
    c->name = arena_strdup(&cat->mem, name);
    c->ordinal = (int)t->columns.n + 1;
    c->type = "";
    prov_init(&c->prov, cat, loc);
    VEC_PUSH(&cat->mem, t->columns, c);
    return c;
}

cat_constraint *catalog_constraint_add(catalog *cat, cat_table *t, cat_con_kind kind,
                                       const char *name, src_loc loc)
{
    cat_constraint *c = ARENA_NEW(&cat->mem, cat_constraint);
    c->kind = kind;
    c->name = arena_strdup(&cat->mem, name);
    c->on_delete = 'a';
    c->on_update = 'a';
    c->match = 's';
    prov_init(&c->prov, cat, loc);
    VEC_PUSH(&cat->mem, t->constraints, c);
    return c;
}

static cat_index *index_new(catalog *cat, const char *schema, const char *table, const char *name,
                            src_loc loc)
{
    cat_index *ix = ARENA_NEW(&cat->mem, cat_index);
    ix->schema = sch(cat, schema);
    ix->table = arena_strdup(&cat->mem, table);
    ix->name = arena_strdup(&cat->mem, name);
    prov_init(&ix->prov, cat, loc);
    index_put(cat, NS_REL, ix->schema, ix->name, ix);
    typed_set(cat, 'I', ix->schema, ix->name, ix);
    return ix;
}

cat_index *catalog_index_add(catalog *cat, cat_table *t, const char *name, src_loc loc)
{
    cat_index *ix = index_new(cat, t->schema, t->name, name, loc);
    VEC_PUSH(&cat->mem, t->indexes, ix);
    return ix;
}

cat_index *catalog_matview_index_add(catalog *cat, cat_view *v, const char *name, src_loc loc)
{
    cat_index *ix = index_new(cat, v->schema, v->name, name, loc);
    VEC_PUSH(&cat->mem, v->indexes, ix);
    return ix;
}

cat_trigger *catalog_trigger_add(catalog *cat, cat_table *t, const char *name, src_loc loc)
{
    cat_trigger *tg = ARENA_NEW(&cat->mem, cat_trigger);
    tg->name = arena_strdup(&cat->mem, name);
    tg->schema = t->schema;
    tg->table = t->name;
    prov_init(&tg->prov, cat, loc);
    VEC_PUSH(&cat->mem, t->triggers, tg);
    return tg;
}

cat_trigger *catalog_view_trigger_add(catalog *cat, cat_view *v, const char *name, src_loc loc)
{
    cat_trigger *tg = ARENA_NEW(&cat->mem, cat_trigger);
    tg->name = arena_strdup(&cat->mem, name);
    tg->schema = v->schema;
    tg->table = v->name;
    prov_init(&tg->prov, cat, loc);
    VEC_PUSH(&cat->mem, v->triggers, tg);
    return tg;
}

cat_policy *catalog_policy_add(catalog *cat, cat_table *t, const char *name, src_loc loc)
{
    cat_policy *p = ARENA_NEW(&cat->mem, cat_policy);
    p->name = arena_strdup(&cat->mem, name);
    p->schema = t->schema;
    p->table = t->name;
    p->permissive = true;
    p->command = "ALL";
    prov_init(&p->prov, cat, loc);
    VEC_PUSH(&cat->mem, t->policies, p);
    return p;
}

cat_enum *catalog_enum_add(catalog *cat, const char *schema, const char *name, src_loc loc)
{
    cat_enum *e = ARENA_NEW(&cat->mem, cat_enum);
    e->schema = sch(cat, schema);
    e->name = arena_strdup(&cat->mem, name);
    prov_init(&e->prov, cat, loc);
    VEC_PUSH(&cat->mem, cat->enums, e);
    index_put(cat, NS_TYPE, e->schema, e->name, e);
    typed_set(cat, 'E', e->schema, e->name, e);
    return e;
}

cat_domain *catalog_domain_add(catalog *cat, const char *schema, const char *name, src_loc loc)
{
    cat_domain *d = ARENA_NEW(&cat->mem, cat_domain);
    d->schema = sch(cat, schema);
    d->name = arena_strdup(&cat->mem, name);
    prov_init(&d->prov, cat, loc);
    VEC_PUSH(&cat->mem, cat->domains, d);
    index_put(cat, NS_TYPE, d->schema, d->name, d);
    typed_set(cat, 'D', d->schema, d->name, d);
    return d;
}

cat_composite *catalog_composite_add(catalog *cat, const char *schema, const char *name, src_loc loc)
{
    cat_composite *c = ARENA_NEW(&cat->mem, cat_composite);
    c->schema = sch(cat, schema);
    c->name = arena_strdup(&cat->mem, name);
    prov_init(&c->prov, cat, loc);
    VEC_PUSH(&cat->mem, cat->composites, c);
    index_put(cat, NS_TYPE, c->schema, c->name, c);
    typed_set(cat, 'C', c->schema, c->name, c);
    return c;
}

cat_sequence *catalog_sequence_add(catalog *cat, const char *schema, const char *name, src_loc loc)
{
    cat_sequence *s = ARENA_NEW(&cat->mem, cat_sequence);
    s->schema = sch(cat, schema);
    s->name = arena_strdup(&cat->mem, name);
    s->type = "bigint";
    s->start = 1;
    s->increment = 1;
    s->min_value = 1;
    s->max_value = INT64_MAX;
    s->cache = 1;
    prov_init(&s->prov, cat, loc);
    VEC_PUSH(&cat->mem, cat->sequences, s);
    index_put(cat, NS_REL, s->schema, s->name, s);
    typed_set(cat, 'S', s->schema, s->name, s);
    return s;
}

cat_view *catalog_view_add(catalog *cat, const char *schema, const char *name, bool materialized,
                           src_loc loc)
{
    cat_view *v = ARENA_NEW(&cat->mem, cat_view);
    v->schema = sch(cat, schema);
    v->name = arena_strdup(&cat->mem, name);
    v->materialized = materialized;
    prov_init(&v->prov, cat, loc);
    VEC_PUSH(&cat->mem, cat->views, v);
    index_put(cat, NS_REL, v->schema, v->name, v);
    typed_set(cat, 'V', v->schema, v->name, v);
    return v;
}

cat_function *catalog_function_add(catalog *cat, const char *schema, const char *name,
                                   bool is_procedure, src_loc loc)
{
    cat_function *f = ARENA_NEW(&cat->mem, cat_function);
    f->schema = sch(cat, schema);
    f->name = arena_strdup(&cat->mem, name);
    f->is_procedure = is_procedure;
    f->volatility = 'v';
    f->parallel = 'u';
    prov_init(&f->prov, cat, loc);
    VEC_PUSH(&cat->mem, cat->functions, f);
    return f;
}

void catalog_function_set_signature(catalog *cat, cat_function *fn)
{
    if (fn->signature)
        index_del(cat, NS_FUNC, fn->schema, fn->signature, fn);
    size_t len = strlen(fn->name) + 3;
    for (size_t i = 0; i < fn->args.n; i++)
        len += strlen(fn->args.v[i].type ? fn->args.v[i].type : "") + 2;
    char *sig = arena_alloc(&cat->mem, len + 1);
    strcpy(sig, fn->name);
    strcat(sig, "(");
    bool first = true;
    for (size_t i = 0; i < fn->args.n; i++) {
        char m = fn->args.v[i].mode;
        if (m == 'o' || m == 't')
            continue;
        if (!first)
            strcat(sig, ", ");
        strcat(sig, fn->args.v[i].type ? fn->args.v[i].type : "");
        first = false;
    }
    strcat(sig, ")");
    fn->signature = sig;
    index_put(cat, NS_FUNC, fn->schema, sig, fn);
}

void catalog_function_set_body(catalog *cat, cat_function *fn, const char *body)
{
    fn->body = arena_strdup(&cat->mem, body);
    const char *s = body ? body : "";
    size_t n = strlen(s);
    while (n && (s[0] == ' ' || s[0] == '\n' || s[0] == '\t' || s[0] == '\r'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    uint64_t h = hash_bytes(s, n);
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++)
        fn->body_hash[i] = hex[(h >> (60 - 4 * i)) & 0xf];
    fn->body_hash[16] = '\0';
}

cat_extension *catalog_extension_add(catalog *cat, const char *name, src_loc loc)
{
    cat_extension *e = ARENA_NEW(&cat->mem, cat_extension);
    e->name = arena_strdup(&cat->mem, name);
    prov_init(&e->prov, cat, loc);
    VEC_PUSH(&cat->mem, cat->extensions, e);
    index_put(cat, NS_EXT, NULL, e->name, e);
    return e;
}

cat_grant *catalog_grant_add(catalog *cat, src_loc loc)
{
    cat_grant *g = ARENA_NEW(&cat->mem, cat_grant);
    prov_init(&g->prov, cat, loc);
    VEC_PUSH(&cat->mem, cat->grants, g);
    return g;
}

void catalog_opaque_add(catalog *cat, const char *kind, const char *sql, src_loc loc)
{
    cat_opaque o;
    o.kind = arena_strdup(&cat->mem, kind);
    o.sql = arena_strdup(&cat->mem, sql);
    o.loc = loc;
    o.loc.file = arena_strdup(&cat->mem, loc.file);
    VEC_PUSH(&cat->mem, cat->opaque, o);
}

void catalog_rename_hint_add(catalog *cat, cat_object_kind kind, const char *schema, const char *table,
                             const char *old_name, const char *new_name, src_loc loc)
{
    cat_rename_hint h;
    h.kind = kind;
    h.schema = arena_strdup(&cat->mem, schema ? schema : catalog_default_schema(cat));
    h.table = arena_strdup(&cat->mem, table);
    h.old_name = arena_strdup(&cat->mem, old_name);
    h.new_name = arena_strdup(&cat->mem, new_name);
    h.loc = loc;
    h.loc.file = arena_strdup(&cat->mem, loc.file);
    VEC_PUSH(&cat->mem, cat->rename_hints, h);
}

/* ---- lookup ----------------------------------------------------------------- */

static const char *dsch(const catalog *cat, const char *schema)
{
    return schema ? schema : catalog_default_schema(cat);
}

cat_schema *catalog_schema_find(const catalog *cat, const char *name)
{
    return index_get(cat, NS_SCHEMA, NULL, name);
}


cat_table *catalog_table_find(const catalog *cat, const char *schema, const char *name)
{
    return typed_get(cat, 'T', dsch(cat, schema), name);
}

cat_index *catalog_index_find(const catalog *cat, const char *schema, const char *name)
{
    return typed_get(cat, 'I', dsch(cat, schema), name);
}

cat_enum *catalog_enum_find(const catalog *cat, const char *schema, const char *name)
{
    return typed_get(cat, 'E', dsch(cat, schema), name);
}

cat_domain *catalog_domain_find(const catalog *cat, const char *schema, const char *name)
{
    return typed_get(cat, 'D', dsch(cat, schema), name);
}

cat_composite *catalog_composite_find(const catalog *cat, const char *schema, const char *name)
{
    return typed_get(cat, 'C', dsch(cat, schema), name);
}

cat_sequence *catalog_sequence_find(const catalog *cat, const char *schema, const char *name)
{
    return typed_get(cat, 'S', dsch(cat, schema), name);
}

cat_view *catalog_view_find(const catalog *cat, const char *schema, const char *name)
{
    return typed_get(cat, 'V', dsch(cat, schema), name);
}

cat_function *catalog_function_find(const catalog *cat, const char *schema, const char *signature)
{
    return index_get(cat, NS_FUNC, dsch(cat, schema), signature);
}

cat_extension *catalog_extension_find(const catalog *cat, const char *name)
{
    return index_get(cat, NS_EXT, NULL, name);
}

cat_column *catalog_column_find(const cat_table *t, const char *name)
{
    for (size_t i = 0; i < t->columns.n; i++)
        if (!strcmp(t->columns.v[i]->name, name))
            return t->columns.v[i];
    return NULL;
}

cat_constraint *catalog_constraint_find(const cat_table *t, const char *name)
{
    for (size_t i = 0; i < t->constraints.n; i++)
        if (t->constraints.v[i]->name && !strcmp(t->constraints.v[i]->name, name))
            return t->constraints.v[i];
    return NULL;
}

cat_constraint *catalog_primary_key(const cat_table *t)
{
    for (size_t i = 0; i < t->constraints.n; i++)
        if (t->constraints.v[i]->kind == CON_PRIMARY)
            return t->constraints.v[i];
    return NULL;
}

cat_trigger *catalog_trigger_find(const cat_table *t, const char *name)
{
    for (size_t i = 0; i < t->triggers.n; i++)
        if (!strcmp(t->triggers.v[i]->name, name))
            return t->triggers.v[i];
    return NULL;
}

cat_trigger *catalog_view_trigger_find(const cat_view *v, const char *name)
{
    for (size_t i = 0; i < v->triggers.n; i++)
        if (!strcmp(v->triggers.v[i]->name, name))
            return v->triggers.v[i];
    return NULL;
}

cat_policy *catalog_policy_find(const cat_table *t, const char *name)
{
    for (size_t i = 0; i < t->policies.n; i++)
        if (!strcmp(t->policies.v[i]->name, name))
            return t->policies.v[i];
    return NULL;
}

cat_table *catalog_index_table(const catalog *cat, const cat_index *ix)
{
    return catalog_table_find(cat, ix->schema, ix->table);
}

/* ---- mutation ------------------------------------------------------------------ */

void catalog_provenance_altered(catalog *cat, provenance *p, src_loc loc)
{
    loc.file = arena_strdup(&cat->mem, loc.file);
    VEC_PUSH(&cat->mem, p->altered, loc);
}

#define VEC_REMOVE_PTR(vec, ptr)                       \
    do {                                               \
        for (size_t i_ = 0; i_ < (vec).n; i_++) {      \
            if ((void *)(vec).v[i_] == (void *)(ptr)) { \
                VEC_REMOVE((vec), i_);                 \
                break;                                 \
            }                                          \
        }                                              \
    } while (0)

void catalog_index_remove(catalog *cat, cat_index *ix)
{
    index_del(cat, NS_REL, ix->schema, ix->name, ix);
    typed_set(cat, 'I', ix->schema, ix->name, NULL);
    cat_table *t = catalog_table_find(cat, ix->schema, ix->table);
    if (t)
        VEC_REMOVE_PTR(t->indexes, ix);
    cat_view *v = catalog_view_find(cat, ix->schema, ix->table);
    if (v)
        VEC_REMOVE_PTR(v->indexes, ix);
}

void catalog_sequence_remove(catalog *cat, cat_sequence *s)
{
    catalog_grants_drop(cat, false, s->schema, s->name);
    index_del(cat, NS_REL, s->schema, s->name, s);
    typed_set(cat, 'S', s->schema, s->name, NULL);
    VEC_REMOVE_PTR(cat->sequences, s);
}

void catalog_table_remove(catalog *cat, cat_table *t)
{
    while (t->indexes.n)
        catalog_index_remove(cat, t->indexes.v[0]);
    /* sequences owned by its columns go with it */
    for (size_t i = 0; i < cat->sequences.n;) {
        cat_sequence *s = cat->sequences.v[i];
        if (s->owned_by_table && !strcmp(s->owned_by_table, t->name) && s->schema &&
            !strcmp(s->schema, t->schema)) {
            catalog_sequence_remove(cat, s);
            continue;
        }
        i++;
    }
    /* grants on it */
    for (size_t i = 0; i < cat->grants.n;) {
        cat_grant *g = cat->grants.v[i];
        if (g->object && !strcmp(g->object, t->name) && g->schema && !strcmp(g->schema, t->schema) &&
            strcmp(g->object_kind, "function") != 0 && strcmp(g->object_kind, "schema") != 0) {
            VEC_REMOVE(cat->grants, i);
            continue;
        }
        i++;
    }
    index_del(cat, NS_REL, t->schema, t->name, t);
    typed_set(cat, 'T', t->schema, t->name, NULL);
    VEC_REMOVE_PTR(cat->tables, t);
}

void catalog_column_remove(catalog *cat, cat_table *t, cat_column *c)
{
    (void)cat;
    VEC_REMOVE_PTR(t->columns, c);
    for (size_t i = 0; i < t->columns.n; i++)
        t->columns.v[i]->ordinal = (int)i + 1;
}

void catalog_constraint_remove(catalog *cat, cat_table *t, cat_constraint *c)
{
    (void)cat;
    VEC_REMOVE_PTR(t->constraints, c);
}

void catalog_trigger_remove(catalog *cat, cat_table *t, cat_trigger *tg)
{
    (void)cat;
    VEC_REMOVE_PTR(t->triggers, tg);
}

void catalog_view_trigger_remove(catalog *cat, cat_view *v, cat_trigger *tg)
{
    (void)cat;
    VEC_REMOVE_PTR(v->triggers, tg);
}

void catalog_policy_remove(catalog *cat, cat_table *t, cat_policy *p)
{
    (void)cat;
    VEC_REMOVE_PTR(t->policies, p);
}

void catalog_enum_remove(catalog *cat, cat_enum *e)
{
    index_del(cat, NS_TYPE, e->schema, e->name, e);
    typed_set(cat, 'E', e->schema, e->name, NULL);
    VEC_REMOVE_PTR(cat->enums, e);
}

void catalog_domain_remove(catalog *cat, cat_domain *d)
{
    index_del(cat, NS_TYPE, d->schema, d->name, d);
    typed_set(cat, 'D', d->schema, d->name, NULL);
    VEC_REMOVE_PTR(cat->domains, d);
}

void catalog_composite_remove(catalog *cat, cat_composite *c)
{
    index_del(cat, NS_TYPE, c->schema, c->name, c);
    typed_set(cat, 'C', c->schema, c->name, NULL);
    VEC_REMOVE_PTR(cat->composites, c);
}

void catalog_view_remove(catalog *cat, cat_view *v)
{
    catalog_grants_drop(cat, false, v->schema, v->name);
    while (v->indexes.n)
        catalog_index_remove(cat, v->indexes.v[0]);
    index_del(cat, NS_REL, v->schema, v->name, v);
    typed_set(cat, 'V', v->schema, v->name, NULL);
    VEC_REMOVE_PTR(cat->views, v);
}

void catalog_function_remove(catalog *cat, cat_function *f)
{
    if (f->signature)
        catalog_grants_drop(cat, true, f->schema, f->signature);
    if (f->signature)
        index_del(cat, NS_FUNC, f->schema, f->signature, f);
    VEC_REMOVE_PTR(cat->functions, f);
}

void catalog_extension_remove(catalog *cat, cat_extension *e)
{
    index_del(cat, NS_EXT, NULL, e->name, e);
    VEC_REMOVE_PTR(cat->extensions, e);
}

void catalog_schema_remove(catalog *cat, cat_schema *s)
{
    index_del(cat, NS_SCHEMA, NULL, s->name, s);
    VEC_REMOVE_PTR(cat->schemas, s);
}

static void rel_move(catalog *cat, char kind, char ns, const char **schema, const char **name,
                     const char *new_schema, const char *new_name, void *obj)
{
    index_del(cat, ns, *schema, *name, obj);
    typed_set(cat, kind, *schema, *name, NULL);
    if (new_schema)
        *schema = arena_strdup(&cat->mem, new_schema);
    if (new_name)
        *name = arena_strdup(&cat->mem, new_name);
    index_put(cat, ns, *schema, *name, obj);
    typed_set(cat, kind, *schema, *name, obj);
}

void catalog_table_rename(catalog *cat, cat_table *t, const char *new_schema, const char *new_name)
{
    const char *old_schema = t->schema, *old_name = t->name;
    rel_move(cat, 'T', NS_REL, &t->schema, &t->name, new_schema, new_name, t);
    for (size_t i = 0; i < t->indexes.n; i++) {
        cat_index *ix = t->indexes.v[i];
        ix->table = t->name;
        if (ix->schema != t->schema && strcmp(ix->schema, t->schema))
            rel_move(cat, 'I', NS_REL, &ix->schema, &ix->name, t->schema, NULL, ix);
    }
    for (size_t i = 0; i < t->triggers.n; i++) {
        t->triggers.v[i]->schema = t->schema;
        t->triggers.v[i]->table = t->name;
    }
    for (size_t i = 0; i < t->policies.n; i++) {
        t->policies.v[i]->schema = t->schema;
        t->policies.v[i]->table = t->name;
    }
    for (size_t i = 0; i < cat->sequences.n; i++) {
        cat_sequence *s = cat->sequences.v[i];
        if (s->owned_by_table && !strcmp(s->owned_by_table, old_name) && !strcmp(s->schema, old_schema)) {
            s->owned_by_table = t->name;
            if (strcmp(s->schema, t->schema))
                catalog_sequence_rename(cat, s, t->schema, NULL);
        }
    }
    /* foreign keys elsewhere that point at it */
    for (size_t i = 0; i < cat->tables.n; i++) {
        cat_table *o = cat->tables.v[i];
        for (size_t j = 0; j < o->constraints.n; j++) {
            cat_constraint *c = o->constraints.v[j];
            if (c->kind == CON_FOREIGN && c->ref_table && !strcmp(c->ref_table, old_name) &&
                c->ref_schema && !strcmp(c->ref_schema, old_schema)) {
                c->ref_table = t->name;
                c->ref_schema = t->schema;
            }
        }
    }
    for (size_t i = 0; i < cat->grants.n; i++) {
        cat_grant *g = cat->grants.v[i];
        if (g->object && !strcmp(g->object, old_name) && g->schema && !strcmp(g->schema, old_schema)) {
            g->object = t->name;
            g->schema = t->schema;
        }
    }
}

void catalog_index_rename(catalog *cat, cat_index *ix, const char *new_schema, const char *new_name)
{
    rel_move(cat, 'I', NS_REL, &ix->schema, &ix->name, new_schema, new_name, ix);
}

void catalog_view_rename(catalog *cat, cat_view *v, const char *new_schema, const char *new_name)
{
    const char *os = v->schema, *on = v->name;
    rel_move(cat, 'V', NS_REL, &v->schema, &v->name, new_schema, new_name, v);
    catalog_grants_renamed(cat, false, os, on, v->schema, v->name);
    for (size_t i = 0; i < v->indexes.n; i++)
        v->indexes.v[i]->table = v->name;
    for (size_t i = 0; i < v->triggers.n; i++) {
        v->triggers.v[i]->schema = v->schema;
        v->triggers.v[i]->table = v->name;
    }
}

void catalog_sequence_rename(catalog *cat, cat_sequence *s, const char *new_schema, const char *new_name)
{
    const char *os = s->schema, *on = s->name;
    rel_move(cat, 'S', NS_REL, &s->schema, &s->name, new_schema, new_name, s);
    catalog_sequence_renamed(cat, os, on, s->schema, s->name);
    catalog_grants_renamed(cat, false, os, on, s->schema, s->name);
}

void catalog_enum_rename(catalog *cat, cat_enum *e, const char *new_schema, const char *new_name)
{
    const char *os = e->schema, *on = e->name;
    rel_move(cat, 'E', NS_TYPE, &e->schema, &e->name, new_schema, new_name, e);
    catalog_type_renamed(cat, os, on, e->schema, e->name);
}

void catalog_domain_rename(catalog *cat, cat_domain *d, const char *new_schema, const char *new_name)
{
    const char *os = d->schema, *on = d->name;
    rel_move(cat, 'D', NS_TYPE, &d->schema, &d->name, new_schema, new_name, d);
    catalog_type_renamed(cat, os, on, d->schema, d->name);
}

void catalog_composite_rename(catalog *cat, cat_composite *c, const char *new_schema,
                              const char *new_name)
{
    const char *os = c->schema, *on = c->name;
    rel_move(cat, 'C', NS_TYPE, &c->schema, &c->name, new_schema, new_name, c);
    catalog_type_renamed(cat, os, on, c->schema, c->name);
}

void catalog_function_rename(catalog *cat, cat_function *f, const char *new_schema, const char *new_name)
{
    const char *os = f->schema, *osig = f->signature;
    if (f->signature)
        index_del(cat, NS_FUNC, f->schema, f->signature, f);
    if (new_schema)
        f->schema = arena_strdup(&cat->mem, new_schema);
    if (new_name)
        f->name = arena_strdup(&cat->mem, new_name);
    f->signature = NULL;
    catalog_function_set_signature(cat, f);
    if (osig && f->signature)
        catalog_grants_renamed(cat, true, os, osig, f->schema, f->signature);
}

const char *catalog_qualified(catalog *cat, const char *schema, const char *name)
{
    if (!schema || !strcmp(schema, catalog_default_schema(cat)))
        return name;
    return arena_printf(&cat->mem, "%s.%s", schema, name);
}

bool catalog_is_tool_table(const char *name)
{
    static const char *const tool_tables[] = {"dbsage_migrations", "dbsage_imports",   "dbsage_copy_progress",
                                              "dbsage_copy_tenants", "dbsage_key_map",  NULL};
    for (const char *const *t = tool_tables; *t; t++)
        if (!strcmp(name, *t))
            return true;
    return false;
}

size_t catalog_remove_tool_tables(catalog *cat)
{
    size_t removed = 0;
    for (size_t i = cat->tables.n; i-- > 0;)
        if (catalog_is_tool_table(cat->tables.v[i]->name)) {
            catalog_table_remove(cat, cat->tables.v[i]);
            removed++;
        }
    return removed;
}
