/*
 * doc_select.c — owns: selector parsing ($, $.a.b, $."k", $['k'], [n], [-1],
 * [*], $doc, $parent, $index, $key, $path, $file.NAME) and evaluation against
 * a doc_row_ctx (doc_select, doc_select_all).  Parsed once into an arena;
 * evaluation allocates nothing but the scalar strings of $index & co.
 */
#include "data/doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum step_kind { STEP_KEY, STEP_INDEX, STEP_ALL } step_kind;

typedef struct step {
    step_kind kind;
    const char *key;
    size_t key_len;
    long index;
} step;

typedef enum sel_base { BASE_ROW, BASE_DOC, BASE_PARENT, BASE_INDEX, BASE_KEY, BASE_PATH, BASE_FILE } sel_base;

struct doc_selector {
    const char *text;
    sel_base base;
    unsigned parent_depth; /* $parent.$parent... */
    const char *file_name; /* $file.NAME */
    step *steps;
    size_t n_steps;
    bool has_all;
};

const char *doc_selector_text(const doc_selector *s)
{
    return s->text;
}

bool doc_selector_is_set(const doc_selector *s)
{
    return s->has_all;
}

static bool ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           (unsigned char)c >= 0x80;
}

static bool word_at(const char *p, const char *w)
{
    size_t n = strlen(w);
    return !strncmp(p, w, n) && !ident_char(p[n]);
}

/* quoted 'x' or "x" with backslash escapes of the quote and backslash */
static const char *parse_quoted(arena *mem, const char *p, const char **out, size_t *out_len)
{
    char q = *p++;
    size_t cap = strlen(p) + 1, n = 0;
    char *buf = arena_alloc(mem, cap);
    while (*p && *p != q) {
        if (*p == '\\' && p[1])
            p++;
        buf[n++] = *p++;
    }
    if (*p != q)
        return NULL;
    buf[n] = '\0';
    *out = buf;
    *out_len = n;
    return p + 1;
}

doc_selector *doc_selector_parse(arena *mem, const char *text, src_loc loc, diag_list *diags)
{
    doc_selector *s = ARENA_NEW(mem, doc_selector);
    s->text = arena_strdup(mem, text ? text : "");
    const char *p = s->text;
    const char *why = NULL;
    size_t cap = 4;
    s->steps = arena_alloc(mem, cap * sizeof *s->steps);
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p != '$') {
        why = "a selector starts with '$'";
        goto bad;
    }
    if (word_at(p, "$doc")) {
        s->base = BASE_DOC;
        p += 4;
    } else if (word_at(p, "$parent")) {
        s->base = BASE_PARENT;
        s->parent_depth = 1;
        p += 7;
        while (!strncmp(p, ".$parent", 8) && !ident_char(p[8])) {
            s->parent_depth++;
            p += 8;
        }
    } else if (word_at(p, "$index")) {
        s->base = BASE_INDEX;
        p += 6;
    } else if (word_at(p, "$key")) {
        s->base = BASE_KEY;
        p += 4;
    } else if (word_at(p, "$path")) {
        s->base = BASE_PATH;
        p += 5;
    } else if (word_at(p, "$file")) {
        s->base = BASE_FILE;
        p += 5;
        if (*p != '.' || !ident_char(p[1])) {
            why = "$file needs a capture name: $file.NAME";
            goto bad;
        }
        p++;
        const char *b = p;
        while (ident_char(*p))
            p++;
        s->file_name = arena_strndup(mem, b, (size_t)(p - b));
    } else if (p[1] == '\0' || p[1] == '.' || p[1] == '[' || p[1] == ' ') {
        s->base = BASE_ROW;
        p += 1;
    } else {
        why = "unknown selector root (expected $, $doc, $parent, $index, $key, $path or $file.NAME)";
        goto bad;
    }
    while (*p && *p != ' ' && *p != '\t') {
        const char *step_start = p;
        step st;
        memset(&st, 0, sizeof st);
        if (*p == '.') {
            p++;
            if (*p == '"' || *p == '\'') {
                const char *q = parse_quoted(mem, p, &st.key, &st.key_len);
                if (!q) {
                    why = "unterminated quoted key";
                    goto bad;
                }
                p = q;
            } else if (*p == '*') {
                st.kind = STEP_ALL;
                p++;
            } else {
                const char *b = p;
                while (*p && *p != '.' && *p != '[' && *p != ' ' && *p != '\t')
                    p++;
                if (p == b) {
                    why = "empty key after '.'";
                    goto bad;
                }
                st.key = arena_strndup(mem, b, (size_t)(p - b));
                st.key_len = (size_t)(p - b);
            }
        } else if (*p == '[') {
            p++;
            while (*p == ' ')
                p++;
            if (*p == '"' || *p == '\'') {
                const char *q = parse_quoted(mem, p, &st.key, &st.key_len);
                if (!q) {
                    why = "unterminated quoted key";
                    goto bad;
                }
                p = q;
            } else if (*p == '*') {
                st.kind = STEP_ALL;
                p++;
            } else {
                char *end;
                long v = strtol(p, &end, 10);
                if (end == p || (*p != '-' && (*p < '0' || *p > '9'))) {
                    why = "expected an index, '*' or a quoted key inside [ ]";
                    goto bad;
                }
                st.kind = STEP_INDEX;
                st.index = v;
                p = end;
            }
            while (*p == ' ')
                p++;
            if (*p != ']') {
                why = "missing ']'";
                goto bad;
            }
            p++;
        } else {
            why = "expected '.' or '[' in the selector";
            goto bad;
        }
        if (s->base == BASE_INDEX || s->base == BASE_KEY || s->base == BASE_PATH || s->base == BASE_FILE) {
            why = "$index, $key, $path and $file.NAME take no path";
            p = step_start;
            goto bad;
        }
        if (st.kind == STEP_ALL)
            s->has_all = true;
        if (s->n_steps == cap) {
            s->steps = arena_realloc(mem, s->steps, cap * sizeof *s->steps, 2 * cap * sizeof *s->steps);
            cap *= 2;
        }
        s->steps[s->n_steps++] = st;
    }
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p) {
        why = "unexpected text after the selector";
        goto bad;
    }
    return s;
bad:
    if (loc.col)
        loc.col += (unsigned)(p - s->text);
    diag_error(diags, loc, "bad selector '%s': %s", s->text, why);
    return NULL;
}

static struct fy_node *base_node(const doc_selector *s, const doc_row_ctx *row)
{
    switch (s->base) {
    case BASE_ROW:
        return row->node;
    case BASE_DOC:
        return row->root;
    case BASE_PARENT: {
        const doc_row_ctx *c = row;
        for (unsigned i = 0; i < s->parent_depth && c; i++)
            c = c->parent;
        return c ? c->node : NULL;
    }
    default:
        return NULL;
    }
}

static struct fy_node *resolve(struct fy_node *n)
{
    if (n && fy_node_is_alias(n))
        n = fy_node_resolve_alias(n);
    return n;
}

static struct fy_node *apply_step(const step *st, struct fy_node *n)
{
    n = resolve(n);
    if (!n)
        return NULL;
    if (st->kind == STEP_KEY) {
        if (!fy_node_is_mapping(n))
            return NULL;
        return resolve(fy_node_mapping_lookup_by_string(n, st->key, st->key_len));
    }
    if (!fy_node_is_sequence(n))
        return NULL;
    long idx = st->index;
    if (idx < 0) {
        long count = fy_node_sequence_item_count(n);
        idx += count;
        if (idx < 0)
            return NULL;
    }
    if (idx > 0x7fffffffL)
        return NULL;
    return resolve(fy_node_sequence_get_by_index(n, (int)idx));
}

static const char *scalar_value(const doc_selector *s, const doc_row_ctx *row, arena *mem)
{
    switch (s->base) {
    case BASE_INDEX:
        if (row->index < 0)
            return NULL;
        else {
            char buf[24], *q = buf + sizeof buf;
            unsigned long v = (unsigned long)row->index;
            *--q = '\0';
            do
                *--q = (char)('0' + v % 10);
            while ((v /= 10) != 0);
            return arena_strndup(mem, q, (size_t)(buf + sizeof buf - 1 - q)); /* no printf per row */
        }
    case BASE_KEY:
        return row->key;
    case BASE_PATH:
        return row->path;
    case BASE_FILE:
        for (size_t i = 0; i < row->n_captures; i++)
            if (!strcmp(row->capture_names[i], s->file_name))
                return row->capture_values[i];
        return NULL;
    default:
        return NULL;
    }
}

struct fy_node *doc_select(const doc_selector *s, const doc_row_ctx *row, arena *mem, const char **scalar)
{
    if (scalar)
        *scalar = NULL;
    if (s->base >= BASE_INDEX) {
        if (scalar)
            *scalar = scalar_value(s, row, mem);
        return NULL;
    }
    struct fy_node *n = resolve(base_node(s, row));
    for (size_t i = 0; i < s->n_steps && n; i++) {
        if (s->steps[i].kind == STEP_ALL)
            return NULL; /* a set: doc_select_all */
        n = apply_step(&s->steps[i], n);
    }
    return n;
}

typedef struct collect {
    arena *mem;
    struct fy_node **items;
    size_t n, cap;
} collect;

static void push(collect *c, struct fy_node *n)
{
    if (c->n == c->cap) {
        size_t nc = c->cap ? 2 * c->cap : 16;
        c->items = arena_realloc(c->mem, c->items, c->cap * sizeof *c->items, nc * sizeof *c->items);
        c->cap = nc;
    }
    c->items[c->n++] = n;
}

static void walk(const doc_selector *s, size_t i, struct fy_node *n, collect *c)
{
    for (; i < s->n_steps && n; i++) {
        if (s->steps[i].kind != STEP_ALL) {
            n = apply_step(&s->steps[i], n);
            continue;
        }
        n = resolve(n);
        if (!n)
            return;
        void *it = NULL;
        if (fy_node_is_sequence(n)) {
            struct fy_node *e;
            while ((e = fy_node_sequence_iterate(n, &it)) != NULL)
                walk(s, i + 1, resolve(e), c);
        } else if (fy_node_is_mapping(n)) {
            struct fy_node_pair *p;
            while ((p = fy_node_mapping_iterate(n, &it)) != NULL)
                walk(s, i + 1, resolve(fy_node_pair_value(p)), c);
        }
        return;
    }
    if (n)
        push(c, n);
}

size_t doc_select_all(const doc_selector *s, const doc_row_ctx *row, arena *mem, struct fy_node ***out)
{
    collect c = {mem, NULL, 0, 0};
    *out = NULL;
    if (s->base >= BASE_INDEX)
        return 0;
    walk(s, 0, resolve(base_node(s, row)), &c);
    *out = c.items;
    return c.n;
}
