/*
 * infer.c — owns the reading side of `dbsage infer`: walking the
 * directories, grouping files into sources (path patterns with captures),
 * streaming every document into per-field statistics, and the decisions
 * (types widened, nullability, keys, child tables, names).  Output (spec,
 * catalog, reports) is infer_out.c.
 */
#define _DEFAULT_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "data/infer_int.h"

/* ---- small helpers ------------------------------------------------------------ */

const char *infer_type_name(infer_type t)
{
    switch (t) {
    case INFER_INTEGER: return "integer";
    case INFER_REAL: return "real";
    case INFER_BOOLEAN: return "boolean";
    case INFER_DATE: return "date";
    case INFER_TIMESTAMP: return "timestamp";
    case INFER_JSON: return "json";
    default: return "text";
    }
}

static bool all_digits(const char *s, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

static bool is_date(const char *s, size_t n)
{
    return n == 10 && all_digits(s, 4) && s[4] == '-' && all_digits(s + 5, 2) && s[7] == '-' &&
           all_digits(s + 8, 2) && s[5] <= '1' && s[8] <= '3';
}

/* YYYY-MM-DD[T ]HH:MM[:SS[.frac]][Z|+HH:MM|-HH:MM|+HHMM] */
static bool is_timestamp(const char *s, size_t n)
{
    if (n < 16 || !is_date(s, 10) || (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
        return false;
    size_t i = 11;
    if (!all_digits(s + i, 2) || s[i + 2] != ':' || !all_digits(s + i + 3, 2))
        return false;
    i += 5;
    if (i < n && s[i] == ':') {
        if (i + 3 > n || !all_digits(s + i + 1, 2))
            return false;
        i += 3;
        if (i < n && (s[i] == '.' || s[i] == ',')) {
            size_t j = ++i;
            while (i < n && isdigit((unsigned char)s[i]))
                i++;
            if (i == j)
                return false;
        }
    }
    if (i == n)
        return true;
    if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == n)
        return true;
    if (s[i] == '+' || s[i] == '-') {
        i++;
        if (n - i == 5)
            return all_digits(s + i, 2) && s[i + 2] == ':' && all_digits(s + i + 3, 2);
        if (n - i == 4 || n - i == 2)
            return all_digits(s + i, n - i);
    }
    return false;
}

static bool is_integer(const char *s, size_t n)
{
    size_t i = (n && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    if (!all_digits(s + i, n - i))
        return false;
    if (n - i > 1 && s[i] == '0')
        return false; /* 007: an identifier, keep the zeros */
    if (n - i > 18) {
        /* beyond int64? */
        char buf[32];
        if (n >= sizeof buf)
            return false;
        memcpy(buf, s, n);
        buf[n] = 0;
        errno = 0;
        (void)strtoll(buf, NULL, 10);
        return errno == 0;
    }
    return true;
}

static bool is_real(const char *s, size_t n)
{
    size_t i = (n && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    size_t d = 0;
    while (i < n && isdigit((unsigned char)s[i]))
        i++, d++;
    bool frac = false;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && isdigit((unsigned char)s[i]))
            i++, d++, frac = true;
    }
    if (!d)
        return false;
    bool exp = false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            i++;
        size_t j = i;
        while (i < n && isdigit((unsigned char)s[i]))
            i++;
        if (i == j)
            return false;
        exp = true;
    }
    (void)frac;
    return i == n && (exp || memchr(s, '.', n));
}

infer_type infer_scalar_type(const char *s, size_t n, bool plain)
{
    if (plain) {
        if (n == 0 || (n == 1 && s[0] == '~') || (n == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) ||
                                                             !memcmp(s, "NULL", 4))))
            return INFER_NONE;
        if ((n == 4 && (!memcmp(s, "true", 4) || !memcmp(s, "True", 4) || !memcmp(s, "TRUE", 4))) ||
            (n == 5 && (!memcmp(s, "false", 5) || !memcmp(s, "False", 5) || !memcmp(s, "FALSE", 5))))
            return INFER_BOOLEAN;
        if (is_integer(s, n))
            return INFER_INTEGER;
        if (is_real(s, n))
            return INFER_REAL;
    }
    if (is_date(s, n))
        return INFER_DATE;
    if (is_timestamp(s, n))
        return INFER_TIMESTAMP;
    return INFER_TEXT;
}

infer_type infer_widen(infer_type a, infer_type b)
{
    if (a == INFER_NONE)
        return b;
    if (b == INFER_NONE || a == b)
        return a;
    if (a == INFER_JSON || b == INFER_JSON)
        return INFER_JSON;
    if ((a == INFER_INTEGER && b == INFER_REAL) || (a == INFER_REAL && b == INFER_INTEGER))
        return INFER_REAL;
    if ((a == INFER_DATE && b == INFER_TIMESTAMP) || (a == INFER_TIMESTAMP && b == INFER_DATE))
        return INFER_TIMESTAMP;
    return INFER_TEXT;
}

const char *infer_snake(arena *mem, const char *s)
{
    strbuf b = STRBUF_INIT;
    char prev = 0; /* 'l' lower/digit, 'u' upper, '_' separator */
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (isupper(c)) {
            bool next_lower = p[1] && islower((unsigned char)p[1]);
            if (prev == 'l' || (prev == 'u' && next_lower))
                strbuf_addch(&b, '_');
            strbuf_addch(&b, (char)tolower(c));
            prev = 'u';
        } else if (isalnum(c)) {
            strbuf_addch(&b, (char)c);
            prev = 'l';
        } else if (prev && prev != '_') {
            strbuf_addch(&b, '_');
            prev = '_';
        }
    }
    while (b.len && b.buf[b.len - 1] == '_')
        strbuf_setlen(&b, b.len - 1);
    const char *r;
    if (!b.len)
        r = arena_strdup(mem, "col");
    else if (isdigit((unsigned char)b.buf[0]))
        r = arena_printf(mem, "t_%s", strbuf_str(&b));
    else
        r = arena_strdup(mem, strbuf_str(&b));
    strbuf_release(&b);
    return r;
}

static bool ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !memcmp(s + n - m, suf, m);
}

static bool is_vowel(char c)
{
    return c && strchr("aeiou", c);
}

const char *infer_plural(arena *mem, const char *s)
{
    size_t n = strlen(s);
    if (!n)
        return s;
    if (ends_with(s, "ss") || ends_with(s, "sh") || ends_with(s, "ch") || ends_with(s, "x") ||
        ends_with(s, "z"))
        return arena_printf(mem, "%ses", s);
    if (s[n - 1] == 's' || ends_with(s, "data") || ends_with(s, "info") || ends_with(s, "media"))
        return s;
    if (s[n - 1] == 'y' && n > 1 && !is_vowel(s[n - 2]))
        return arena_printf(mem, "%.*sies", (int)(n - 1), s);
    return arena_printf(mem, "%ss", s);
}

const char *infer_singular(arena *mem, const char *s)
{
    size_t n = strlen(s);
    if (ends_with(s, "ies") && n > 3)
        return arena_printf(mem, "%.*sy", (int)(n - 3), s);
    if (ends_with(s, "sses") || ends_with(s, "shes") || ends_with(s, "ches") || ends_with(s, "xes"))
        return arena_strndup(mem, s, n - 2);
    if (n > 1 && s[n - 1] == 's' && s[n - 2] != 's' && s[n - 2] != 'u' && s[n - 2] != 'i')
        return arena_strndup(mem, s, n - 1);
    return s;
}

bool infer_is_id_name(const char *s)
{
    size_t n = strlen(s);
    if (all_digits(s, n))
        return true;
    size_t hex = 0, dash = 0;
    for (size_t i = 0; i < n; i++) {
        if (isxdigit((unsigned char)s[i]))
            hex++;
        else if (s[i] == '-')
            dash++;
        else
            return false;
    }
    return (n == 36 && dash == 4) || (dash == 0 && hex >= 8 && hex == n && strpbrk(s, "0123456789"));
}

/* ---- hash set ------------------------------------------------------------------- */

/* true when h was already there */
static bool hashset_add(infer_hashset *s, uint64_t h)
{
    if (!h)
        h = 1;
    if ((s->n + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        uint64_t *v = calloc(cap, sizeof *v);
        if (!v)
            abort();
        for (size_t i = 0; i < s->cap; i++)
            if (s->v[i]) {
                size_t j = s->v[i] & (cap - 1);
                while (v[j])
                    j = (j + 1) & (cap - 1);
                v[j] = s->v[i];
            }
        free(s->v);
        s->v = v;
        s->cap = cap;
    }
    size_t j = h & (s->cap - 1);
    while (s->v[j]) {
        if (s->v[j] == h)
            return true;
        j = (j + 1) & (s->cap - 1);
    }
    s->v[j] = h;
    s->n++;
    return false;
}

/* ---- context ---------------------------------------------------------------------- */

infer_ctx *infer_new(arena *mem, const char *spec_dir)
{
    infer_ctx *ix = arena_alloc(mem, sizeof *ix);
    ix->mem = mem;
    ix->spec_dir = arena_strdup(mem, spec_dir && *spec_dir ? spec_dir : ".");
    hashmap_init(&ix->table_names, mem);
    return ix;
}

static void table_free(infer_table *t)
{
    hashmap_release(&t->by_key);
    for (int i = 0; i < 4; i++)
        free(t->cand_set[i].v);
}

void infer_free(infer_ctx *ix)
{
    if (!ix)
        return;
    for (size_t i = 0; i < ix->sources.n; i++)
        for (size_t j = 0; j < ix->sources.v[i]->tables.n; j++)
            table_free(ix->sources.v[i]->tables.v[j]);
    hashmap_release(&ix->table_names);
    strbuf_release(&ix->key);
}

size_t infer_malformed_count(const infer_ctx *ix)
{
    return ix->malformed;
}

size_t infer_table_count(const infer_ctx *ix)
{
    size_t n = 0;
    for (size_t i = 0; i < ix->sources.n; i++)
        for (size_t j = 0; j < ix->sources.v[i]->tables.n; j++) {
            const infer_table *t = ix->sources.v[i]->tables.v[j];
            n += !t->parent || t->parent_field->is_child;
        }
    return n;
}


/* ---- model ------------------------------------------------------------------------ */

size_t infer_split(arena *mem, const char *path, const char ***segs)
{
    size_t n = 1;
    for (const char *p = path; *p; p++)
        n += *p == '/';
    const char **v = arena_alloc(mem, n * sizeof *v);
    size_t i = 0;
    const char *s = path;
    for (const char *p = path;; p++)
        if (*p == '/' || !*p) {
            v[i++] = arena_strndup(mem, s, (size_t)(p - s));
            if (!*p)
                break;
            s = p + 1;
        }
    *segs = v;
    return n;
}

infer_table *infer_table_new(infer_ctx *ix, infer_source *src, const char *name)
{
    infer_table *t = arena_alloc(ix->mem, sizeof *t);
    t->name = name;
    t->src = src;
    hashmap_init(&t->by_key, ix->mem);
    VEC_PUSH(ix->mem, src->tables, t);
    return t;
}

infer_field *infer_field_get(infer_ctx *ix, infer_table *t, const char *key)
{
    infer_field *f = hashmap_get(&t->by_key, key);
    if (f)
        return f;
    f = arena_alloc(ix->mem, sizeof *f);
    f->key = arena_strdup(ix->mem, key);
    hashmap_put(&t->by_key, f->key, f);
    VEC_PUSH(ix->mem, t->fields, f);
    return f;
}

/* ---- statistics ------------------------------------------------------------------------ */

static void observe_value(infer_ctx *ix, infer_table *t, infer_field *f, struct fy_node *v, int depth);

static void observe_candidate(infer_table *t, const char *key, struct fy_node *v)
{
    for (int c = 0; c < 4; c++) {
        if (!t->cand[c] || strcmp(t->cand[c], key))
            continue;
        if (!v || !fy_node_is_scalar(v))
            return;
        size_t len;
        const char *s = fy_node_get_scalar(v, &len);
        if (!s || infer_scalar_type(s, len, fy_node_get_style(v) == FYNS_PLAIN) == INFER_NONE)
            return;
        t->cand_present[c]++;
        if (hashset_add(&t->cand_set[c], hash_bytes(s, len)))
            t->cand_dup[c] = true;
    }
}

static void observe_mapping(infer_ctx *ix, infer_table *t, struct fy_node *map, int depth)
{
    t->rows++;
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(map, &it))) {
        struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
        if (!k || !fy_node_is_scalar(k))
            continue;
        size_t klen;
        const char *ks = fy_node_get_scalar(k, &klen);
        if (!ks)
            continue;
        /* no allocation per document: the key is copied only for a new field */
        strbuf_reset(&ix->key);
        strbuf_add(&ix->key, ks, klen);
        const char *key = strbuf_str(&ix->key);
        infer_field *f = infer_field_get(ix, t, key);
        if (f->capture || f->special)
            continue;
        if (depth == 0)
            observe_candidate(t, key, v);
        observe_value(ix, t, f, v, depth);
    }
    if (depth == 0)
        for (int c = 0; c < 4; c++)
            if (t->cand[c] && (t->cand_dup[c] || t->cand_present[c] != t->rows)) {
                /* missing or duplicated: not a key; stop collecting its values */
                t->cand_dup[c] = true;
                free(t->cand_set[c].v);
                memset(&t->cand_set[c], 0, sizeof t->cand_set[c]);
                t->cand[c] = NULL;
            }
}

static void observe_value(infer_ctx *ix, infer_table *t, infer_field *f, struct fy_node *v, int depth)
{
    if (!v) {
        f->nulls++;
        return;
    }
    if (fy_node_is_scalar(v)) {
        size_t len;
        const char *s = fy_node_get_scalar(v, &len);
        infer_type ty = infer_scalar_type(s ? s : "", s ? len : 0, fy_node_get_style(v) == FYNS_PLAIN);
        if (ty != INFER_NONE && f->key[0] == '$')
            ty = INFER_TEXT; /* Markdown $body / $title */
        if (ty == INFER_NONE) {
            f->nulls++;
            return;
        }
        f->present++;
        f->n_scalar++;
        f->scalar_type = infer_widen(f->scalar_type, ty);
        return;
    }
    f->present++;
    if (fy_node_is_mapping(v)) {
        f->n_obj++;
        return;
    }
    size_t n_map = 0, n_other = 0;
    void *it = NULL;
    struct fy_node *e;
    while ((e = fy_node_sequence_iterate(v, &it))) {
        if (fy_node_is_mapping(e))
            n_map++;
        else
            n_other++;
    }
    if (!n_map && !n_other)
        f->n_arr_empty++;
    else if (n_map && n_other)
        f->n_arr_mixed++;
    else if (n_other)
        f->n_arr_scalar++;
    else {
        f->n_arr_obj++;
        if (depth > 0)
            return; /* arrays of objects inside child rows stay JSON */
        if (!f->child) {
            f->child = infer_table_new(ix, t->src, NULL);
            f->child->parent = t;
            f->child->parent_field = f;
        }
        it = NULL;
        while ((e = fy_node_sequence_iterate(v, &it)))
            observe_mapping(ix, f->child, e, depth + 1);
    }
}

void infer_read_source(infer_ctx *ix, infer_source *src, diag_list *diags)
{
    infer_table *t = src->table;
    for (size_t i = 0; i < src->files.n; i++) {
        const char *full = arena_printf(ix->mem, "%s/%s", src->dir, src->files.v[i]);
        /* captures */
        const char **segs;
        size_t nseg = infer_split(ix->mem, src->files.v[i], &segs);
        diag_list local;
        diag_list_init(&local, ix->mem);
        doc_reader *r = doc_open(full, src->format, &local);
        size_t docs = 0;
        int rc = 0;
        if (r) {
            struct fy_document *d;
            while ((rc = doc_next(r, &d, &local)) == 1) {
                docs++;
                struct fy_node *root = fy_document_root(d);
                size_t before = t->rows;
                if (root && fy_node_is_mapping(root)) {
                    src->root_map = true;
                    observe_mapping(ix, t, root, 0);
                } else if (root && fy_node_is_sequence(root)) {
                    src->root_seq = true;
                    void *it = NULL;
                    struct fy_node *e;
                    while ((e = fy_node_sequence_iterate(root, &it)))
                        if (fy_node_is_mapping(e))
                            observe_mapping(ix, t, e, 0);
                        else
                            src->non_mapping++;
                } else
                    src->non_mapping++;
                /* path captures: one value per row */
                for (size_t c = 0; c < src->capture_names.n; c++) {
                    infer_field *f = hashmap_get(&t->by_key, src->capture_names.v[c]);
                    int sg = src->capture_segs.v[c];
                    const char *val = (size_t)sg < nseg ? segs[sg] : "";
                    for (size_t k = before; k < t->rows; k++) {
                        f->present++;
                        f->n_scalar++;
                        f->scalar_type =
                            infer_widen(f->scalar_type, infer_scalar_type(val, strlen(val), true));
                        if (f->scalar_type == INFER_NONE)
                            f->scalar_type = INFER_TEXT;
                    }
                }
            }
            doc_close(r);
        }
        for (size_t k = 0; k < local.items.n; k++)
            VEC_PUSH(diags->mem, diags->items, local.items.v[k]);
        diags->n_errors += local.n_errors;
        diags->n_warnings += local.n_warnings;
        ix->files++;
        if (!r || rc < 0) {
            src->malformed++;
            ix->malformed++;
        }
        if (docs > 1)
            src->multi_doc = true;
        src->docs += docs;
        ix->docs += docs;
    }
}
