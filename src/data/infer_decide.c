/*
 * infer_decide.c — owns the decisions of `dbsage infer` once every document
 * was read: column types and nullability from the statistics, conflicts
 * (stored as JSON with a note), keys, which arrays of objects become child
 * tables, and column names.
 */
#include <string.h>

#include "data/infer_int.h"

static bool is_ident(const char *s)
{
    if (!*s || !(s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return false;
    for (const char *p = s; *p; p++)
        if (!(*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
            return false;
    return true;
}

const char *infer_selector_for_key(arena *mem, const char *key)
{
    if (is_ident(key))
        return arena_printf(mem, "$.%s", key);
    if (!strchr(key, '"'))
        return arena_printf(mem, "$.\"%s\"", key);
    if (!strchr(key, '\''))
        return arena_printf(mem, "$['%s']", key);
    return NULL;
}

static void note(infer_ctx *ix, infer_table *t, const char *msg)
{
    VEC_PUSH(ix->mem, t->notes, msg);
}

static void resolve_field(infer_ctx *ix, infer_table *t, infer_field *f)
{
    f->nullable = f->present < t->rows;
    if (f->capture) {
        f->type = f->scalar_type ? f->scalar_type : INFER_TEXT;
        f->nullable = false;
        return;
    }
    size_t structured = f->n_obj + f->n_arr_scalar + f->n_arr_obj + f->n_arr_mixed + f->n_arr_empty;
    if (!structured) {
        f->type = f->scalar_type ? f->scalar_type : INFER_TEXT;
        if (!f->scalar_type)
            note(ix, t, arena_printf(ix->mem, "field '%s' is always null: text", f->key));
        return;
    }
    f->type = INFER_JSON;
    if (f->n_scalar)
        note(ix, t,
             arena_printf(ix->mem, "field '%s' is sometimes %s, sometimes a scalar (%zu of %zu): stored as JSON text",
                          f->key, f->n_obj ? "an object" : "an array", f->n_scalar, f->present));
    else if (f->n_obj && f->n_obj < f->present)
        note(ix, t, arena_printf(ix->mem, "field '%s' is sometimes an object, sometimes an array: stored as JSON text",
                                 f->key));
    else if (f->n_arr_mixed)
        note(ix, t, arena_printf(ix->mem, "field '%s' mixes objects and scalars in its arrays: stored as JSON text",
                                 f->key));
}

static infer_field *special(infer_ctx *ix, const char *column, const char *selector, infer_type type)
{
    infer_field *f = arena_alloc(ix->mem, sizeof *f);
    f->key = column;
    f->column = column;
    f->selector = selector;
    f->special = true;
    f->type = type;
    return f;
}

static bool child_candidate(const infer_field *f)
{
    return f->child && f->n_arr_obj && !f->n_obj && !f->n_arr_scalar && !f->n_arr_mixed && !f->n_scalar;
}

/* column names: snake_case, unique; specials keep theirs */
static void name_columns(infer_ctx *ix, infer_table *t)
{
    hashmap used;
    hashmap_init(&used, ix->mem);
    for (size_t i = 0; i < t->fields.n; i++)
        if (t->fields.v[i]->special || t->fields.v[i]->capture) {
            infer_field *f = t->fields.v[i];
            if (!f->column)
                f->column = f->key;
            hashmap_put(&used, f->column, f);
        }
    for (size_t i = 0; i < t->fields.n; i++) {
        infer_field *f = t->fields.v[i];
        if (f->special || f->capture || f->is_child)
            continue;
        const char *k = f->key[0] == '$' ? f->key + 1 : f->key;
        const char *base = infer_snake(ix->mem, k), *c = base;
        if (!strcmp(f->key, "$title") && hashmap_get(&used, "title"))
            base = c = "heading"; /* front matter has its own title */
        for (int n = 2; hashmap_get(&used, c); n++)
            c = arena_printf(ix->mem, "%s_%d", base, n);
        f->column = c;
        hashmap_put(&used, c, f);
        if (!f->selector)
            f->selector = infer_selector_for_key(ix->mem, f->key);
    }
    hashmap_release(&used);
}

static void prepend(infer_ctx *ix, infer_table *t, infer_field *f)
{
    VEC_PUSH(ix->mem, t->fields, f);
    memmove(&t->fields.v[1], &t->fields.v[0], (t->fields.n - 1) * sizeof *t->fields.v);
    t->fields.v[0] = f;
}

static const char *unique_name(infer_ctx *ix, const char *name)
{
    const char *n = name;
    for (int i = 2; hashmap_get(&ix->table_names, n); i++)
        n = arena_printf(ix->mem, "%s_%d", name, i);
    hashmap_put(&ix->table_names, n, (void *)1);
    return n;
}

static void decide_source(infer_ctx *ix, infer_source *src)
{
    infer_table *t = src->table;
    t->each_root = src->root_seq && !src->root_map;
    if (src->root_seq && src->root_map)
        note(ix, t, "some documents are arrays, some objects: only the objects are read");
    if (src->non_mapping)
        note(ix, t, arena_printf(ix->mem, "%zu document(s) or elements are not objects: left out",
                                 src->non_mapping));
    for (size_t i = 0; i < t->fields.n; i++) {
        infer_field *f = t->fields.v[i];
        f->selector = f->capture ? arena_printf(ix->mem, "$file.%s", f->key) : NULL;
        resolve_field(ix, t, f);
        if (!f->capture && !f->special && !infer_selector_for_key(ix->mem, f->key)) {
            note(ix, t, arena_printf(ix->mem, "field '%s' has both quote characters in its name: left out", f->key));
            f->is_child = true; /* not a column */
        }
    }
    /* the key */
    bool path_key = false, path_ordinal_key = false;
    for (int c = 0; c < 4 && !t->key.n; c++) {
        infer_field *f = t->cand[c] ? hashmap_get(&t->by_key, t->cand[c]) : NULL;
        if (f && t->rows && t->cand_present[c] == t->rows && !t->cand_dup[c] && f->type != INFER_JSON &&
            !f->capture) {
            name_columns(ix, t); /* to know the key's column name */
            VEC_PUSH(ix->mem, t->key, f->column);
            f->nullable = false;
        }
    }
    if (src->format == DOC_TEXT)
        prepend(ix, t, special(ix, "path", "$path", INFER_TEXT));
    if (!t->key.n) {
        if (src->literal_leaf && !src->multi_doc && !t->each_root && src->capture_names.n) {
            for (size_t c = 0; c < src->capture_names.n; c++)
                VEC_PUSH(ix->mem, t->key, src->capture_names.v[c]);
        } else if (!src->multi_doc && !t->each_root) {
            if (src->format != DOC_TEXT)
                prepend(ix, t, special(ix, "file", "$path", INFER_TEXT));
            VEC_PUSH(ix->mem, t->key, src->format == DOC_TEXT ? "path" : "file");
            path_key = true;
        } else if (!src->multi_doc) {
            prepend(ix, t, special(ix, "ordinal", "$index", INFER_INTEGER));
            prepend(ix, t, special(ix, "file", "$path", INFER_TEXT));
            VEC_PUSH(ix->mem, t->key, "file");
            VEC_PUSH(ix->mem, t->key, "ordinal");
            path_ordinal_key = true;
        } else
            note(ix, t, "several documents per file and no unique id field: no key (a re-run adds the rows again)");
    }
    name_columns(ix, t);
    /* child tables */
    const char *sing = infer_singular(ix->mem, t->name);
    for (size_t i = 0; i < t->fields.n; i++) {
        infer_field *f = t->fields.v[i];
        if (!child_candidate(f) || f->is_child)
            continue;
        if (!t->key.n || path_ordinal_key) {
            note(ix, t, arena_printf(ix->mem, "field '%s' (arrays of objects) stored as JSON: %s has no key to refer to",
                                     f->key, t->name));
            continue;
        }
        f->is_child = true;
        infer_table *c = f->child;
        const char *cn = infer_plural(ix->mem, infer_snake(ix->mem, f->key[0] == '$' ? f->key + 1 : f->key));
        if (hashmap_get(&ix->table_names, cn)) /* goals/goals.json {goals: [...]}: goal_goals */
            cn = arena_printf(ix->mem, "%s_%s", sing, cn);
        c->name = unique_name(ix, cn);
        for (size_t k = 0; k < c->fields.n; k++)
            resolve_field(ix, c, c->fields.v[k]);
        /* parent key columns, then ordinal */
        prepend(ix, c, special(ix, "ordinal", "$index", INFER_INTEGER));
        for (size_t k = t->key.n; k-- > 0;) {
            infer_field *pk = NULL;
            for (size_t q = 0; q < t->fields.n; q++)
                if (t->fields.v[q]->column && !strcmp(t->fields.v[q]->column, t->key.v[k]))
                    pk = t->fields.v[q];
            const char *kc = t->key.v[k];
            size_t sl = strlen(sing);
            size_t kl = strlen(kc);
            bool keep = (!strncmp(kc, sing, sl) && kc[sl] == '_') || (kl > 3 && !strcmp(kc + kl - 3, "_id"));
            const char *col = keep ? kc : arena_printf(ix->mem, "%s_%s", sing, kc);
            const char *sel = path_key ? "$path"
                              : pk && pk->capture ? pk->selector
                                                  : arena_printf(ix->mem, "$parent.%s", pk ? pk->selector + 2 : kc);
            prepend(ix, c, special(ix, col, sel, pk ? pk->type : INFER_TEXT));
        }
        for (size_t k = 0; k < t->key.n; k++)
            VEC_PUSH(ix->mem, c->key, c->fields.v[k]->column);
        VEC_PUSH(ix->mem, c->key, "ordinal");
        name_columns(ix, c);
    }
}

void infer_finish(infer_ctx *ix)
{
    for (size_t i = 0; i < ix->sources.n; i++)
        decide_source(ix, ix->sources.v[i]);
}
