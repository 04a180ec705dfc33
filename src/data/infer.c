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

/* ---- walking ---------------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* every regular file under dir/rel, relative to dir, sorted */
static int walk(arena *mem, const char *dir, const char *rel, strvec *out, diag_list *diags)
{
    const char *full = *rel ? arena_printf(mem, "%s/%s", dir, rel) : dir;
    DIR *d = opendir(full);
    if (!d) {
        src_loc loc = {full, 0, 0};
        diag_error(diags, loc, "cannot read directory: %s", strerror(errno));
        return -1;
    }
    strvec names = {0};
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            VEC_PUSH(mem, names, arena_strdup(mem, e->d_name));
    closedir(d);
    if (names.n)
        qsort(names.v, names.n, sizeof *names.v, cmp_str);
    for (size_t i = 0; i < names.n; i++) {
        const char *r = *rel ? arena_printf(mem, "%s/%s", rel, names.v[i]) : names.v[i];
        struct stat st;
        if (lstat(arena_printf(mem, "%s/%s", dir, r), &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            walk(mem, dir, r, out, diags);
        else if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) {
            if (S_ISLNK(st.st_mode) && (stat(arena_printf(mem, "%s/%s", dir, r), &st) != 0 ||
                                        !S_ISREG(st.st_mode)))
                continue;
            VEC_PUSH(mem, *out, r);
        }
    }
    return 0;
}

/* ---- grouping ----------------------------------------------------------------------- */

static size_t split(arena *mem, const char *path, const char ***segs)
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

static const char *ext_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && dot != name ? dot + 1 : "";
}

/* Is directory `parent` (relative to DIR, "" for DIR) one whose
 * subdirectories are captures?  Yes when it has >= 2 subdirectories and they
 * are all ids, or they all hold the same (non-empty) set of file names. */
static bool capture_level(arena *mem, const strvec *files, const char *parent)
{
    size_t plen = strlen(parent);
    strvec subs = {0}, sigs = {0};
    for (size_t i = 0; i < files->n; i++) {
        const char *f = files->v[i];
        if (plen && (strncmp(f, parent, plen) || f[plen] != '/'))
            continue;
        const char *rest = plen ? f + plen + 1 : f;
        const char *slash = strchr(rest, '/');
        if (!slash)
            continue;
        const char *sub = arena_strndup(mem, rest, (size_t)(slash - rest));
        size_t k;
        for (k = 0; k < subs.n && strcmp(subs.v[k], sub); k++)
            ;
        if (k == subs.n) {
            VEC_PUSH(mem, subs, sub);
            VEC_PUSH(mem, sigs, "");
        }
        if (!strchr(slash + 1, '/')) /* a file directly in sub */
            sigs.v[k] = arena_printf(mem, "%s/%s", sigs.v[k], slash + 1);
    }
    if (subs.n < 2)
        return false;
    bool ids = true, same = *sigs.v[0] != 0;
    for (size_t k = 0; k < subs.n; k++) {
        ids = ids && infer_is_id_name(subs.v[k]);
        same = same && !strcmp(sigs.v[k], sigs.v[0]);
    }
    return ids || same;
}

static const char *unique_table_name(infer_ctx *ix, const char *name, const char *ext)
{
    const char *n = name;
    if (hashmap_get(&ix->table_names, n) && ext && *ext)
        n = arena_printf(ix->mem, "%s_%s", name, infer_snake(ix->mem, ext));
    for (int i = 2; hashmap_get(&ix->table_names, n); i++)
        n = arena_printf(ix->mem, "%s_%d", name, i);
    hashmap_put(&ix->table_names, n, (void *)1);
    return n;
}

static infer_table *table_new(infer_ctx *ix, infer_source *src, const char *name)
{
    infer_table *t = arena_alloc(ix->mem, sizeof *t);
    t->name = name;
    t->src = src;
    hashmap_init(&t->by_key, ix->mem);
    VEC_PUSH(ix->mem, src->tables, t);
    return t;
}

static infer_field *field_get(infer_ctx *ix, infer_table *t, const char *key)
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

/* The pattern of one file: captured directory levels replaced by {NAME}. */
static const char *file_pattern(infer_ctx *ix, const char *dir, const strvec *files, const char *file,
                                bool *has_capture)
{
    const char **segs;
    size_t n = split(ix->mem, file, &segs);
    strbuf b = STRBUF_INIT;
    *has_capture = false;
    const char *dirbase = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
    for (size_t i = 0; i + 1 < n; i++) {
        strbuf parent = STRBUF_INIT;
        for (size_t j = 0; j < i; j++)
            strbuf_addf(&parent, "%s%s", j ? "/" : "", segs[j]);
        bool cap = capture_level(ix->mem, files, strbuf_str(&parent));
        strbuf_release(&parent);
        if (cap) {
            const char *above = i ? segs[i - 1] : dirbase;
            strbuf_addf(&b, "{%s_id}/", infer_singular(ix->mem, infer_snake(ix->mem, above)));
            *has_capture = true;
        } else
            strbuf_addf(&b, "%s/", segs[i]);
    }
    strbuf_adds(&b, segs[n - 1]);
    const char *r = arena_strdup(ix->mem, strbuf_str(&b));
    strbuf_release(&b);
    return r;
}

static const char *pattern_dir(arena *mem, const char *pat)
{
    const char *slash = strrchr(pat, '/');
    return slash ? arena_strndup(mem, pat, (size_t)(slash - pat)) : "";
}

static const char *relpath(arena *mem, const char *from_dir, const char *to)
{
    char a[PATH_MAX], b[PATH_MAX];
    if (!realpath(from_dir, a) || !realpath(to, b))
        return to;
    size_t i = 0, last = 0;
    while (a[i] && a[i] == b[i]) {
        i++;
        if (a[i] == '/' || !a[i])
            last = i;
    }
    if (!a[i] && (b[i] == '/' || !b[i]))
        last = i;
    strbuf s = STRBUF_INIT;
    for (const char *p = a + last; *p; p++)
        if (*p == '/')
            strbuf_adds(&s, "../");
    const char *rest = b + last;
    if (*rest == '/')
        rest++;
    strbuf_adds(&s, rest);
    strbuf_rtrim(&s);
    while (s.len && s.buf[s.len - 1] == '/')
        strbuf_setlen(&s, s.len - 1);
    const char *r = arena_strdup(mem, strbuf_str(&s));
    strbuf_release(&s);
    return r;
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
        const char *key = arena_strndup(ix->mem, ks, klen);
        infer_field *f = field_get(ix, t, key);
        if (f->capture || f->special)
            continue;
        if (depth == 0)
            observe_candidate(t, key, v);
        observe_value(ix, t, f, v, depth);
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
            f->child = table_new(ix, t->src, NULL);
            f->child->parent = t;
            f->child->parent_field = f;
        }
        it = NULL;
        while ((e = fy_node_sequence_iterate(v, &it)))
            observe_mapping(ix, f->child, e, depth + 1);
    }
}

static void read_source(infer_ctx *ix, infer_source *src, diag_list *diags)
{
    infer_table *t = src->table;
    for (size_t i = 0; i < src->files.n; i++) {
        const char *full = arena_printf(ix->mem, "%s/%s", src->dir, src->files.v[i]);
        /* captures */
        const char **segs;
        size_t nseg = split(ix->mem, src->files.v[i], &segs);
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

int infer_add_dir(infer_ctx *ix, const char *dir, diag_list *diags)
{
    strvec files = {0};
    if (walk(ix->mem, dir, "", &files, diags) < 0)
        return -1;
    const char *prefix = relpath(ix->mem, ix->spec_dir, dir);
    if (!strcmp(prefix, "."))
        prefix = "";
    /* group: (pattern dir, extension) */
    strvec pats = {0};
    bool *caps = arena_alloc(ix->mem, (files.n + 1) * sizeof *caps);
    for (size_t i = 0; i < files.n; i++) {
        const char *p = file_pattern(ix, dir, &files, files.v[i], &caps[i]);
        VEC_PUSH(ix->mem, pats, p);
    }
    bool *done = arena_alloc(ix->mem, (files.n + 1) * sizeof *done);
    for (size_t i = 0; i < files.n; i++) {
        if (done[i])
            continue;
        const char *pdir = pattern_dir(ix->mem, pats.v[i]);
        const char *ext = ext_of(strrchr(files.v[i], '/') ? strrchr(files.v[i], '/') + 1 : files.v[i]);
        /* members of the group */
        VEC(size_t) members = {0};
        bool every_leaf_repeats = true;
        for (size_t j = i; j < files.n; j++) {
            if (done[j] || strcmp(pattern_dir(ix->mem, pats.v[j]), pdir))
                continue;
            const char *leaf = strrchr(files.v[j], '/') ? strrchr(files.v[j], '/') + 1 : files.v[j];
            if (strcmp(ext_of(leaf), ext))
                continue;
            VEC_PUSH(ix->mem, members, j);
        }
        const char *leaf_i = strrchr(pats.v[i], '/') ? strrchr(pats.v[i], '/') + 1 : pats.v[i];
        for (size_t m = 0; m < members.n; m++) {
            const char *lm = strrchr(pats.v[members.v[m]], '/') ? strrchr(pats.v[members.v[m]], '/') + 1
                                                                 : pats.v[members.v[m]];
            size_t count = 0;
            for (size_t q = 0; q < members.n; q++) {
                const char *lq = strrchr(pats.v[members.v[q]], '/') ? strrchr(pats.v[members.v[q]], '/') + 1
                                                                     : pats.v[members.v[q]];
                count += !strcmp(lq, lm);
            }
            if (count < 2)
                every_leaf_repeats = false;
        }
        bool literal = caps[i] && every_leaf_repeats;
        infer_source *src = arena_alloc(ix->mem, sizeof *src);
        src->dir = arena_strdup(ix->mem, dir);
        src->prefix = prefix;
        src->literal_leaf = literal;
        src->pattern = literal ? pats.v[i]
                               : arena_printf(ix->mem, "%s%s*%s%s", pdir, *pdir ? "/" : "", *ext ? "." : "", ext);
        src->format = doc_format_for_path(files.v[i]);
        for (size_t m = 0; m < members.n; m++) {
            size_t j = members.v[m];
            const char *lj = strrchr(pats.v[j], '/') ? strrchr(pats.v[j], '/') + 1 : pats.v[j];
            if (literal && strcmp(lj, leaf_i))
                continue;
            done[j] = true;
            VEC_PUSH(ix->mem, src->files, files.v[j]);
        }
        /* captures */
        const char **segs;
        size_t nseg = split(ix->mem, src->pattern, &segs);
        for (size_t s = 0; s < nseg; s++)
            if (segs[s][0] == '{') {
                const char *name = arena_strndup(ix->mem, segs[s] + 1, strlen(segs[s]) - 2);
                for (int k = 2;; k++) {
                    bool clash = false;
                    for (size_t c = 0; c < src->capture_names.n; c++)
                        clash = clash || !strcmp(src->capture_names.v[c], name);
                    if (!clash)
                        break;
                    name = arena_printf(ix->mem, "%.*s_%d", (int)strlen(segs[s]) - 2, segs[s] + 1, k);
                }
                if (strcmp(name, arena_strndup(ix->mem, segs[s] + 1, strlen(segs[s]) - 2))) {
                    /* rewrite the pattern with the renamed capture */
                    segs[s] = arena_printf(ix->mem, "{%s}", name);
                    strbuf b = STRBUF_INIT;
                    for (size_t q = 0; q < nseg; q++)
                        strbuf_addf(&b, "%s%s", q ? "/" : "", segs[q]);
                    src->pattern = arena_strdup(ix->mem, strbuf_str(&b));
                    strbuf_release(&b);
                }
                VEC_PUSH(ix->mem, src->capture_names, name);
                VEC_PUSH(ix->mem, src->capture_segs, (int)s);
            }
        /* table name: the last plain directory (or DIR's name) */
        const char *base = NULL;
        for (size_t s = nseg - 1; s-- > 0;)
            if (segs[s][0] != '{') {
                base = segs[s];
                break;
            }
        if (!base) {
            char abs[PATH_MAX];
            const char *d = realpath(dir, abs) ? abs : dir;
            base = strrchr(d, '/') && strrchr(d, '/')[1] ? strrchr(d, '/') + 1 : d;
        }
        const char *name = infer_plural(ix->mem, infer_snake(ix->mem, base));
        if (literal) {
            /* users/{user_id}/profile.yaml next to settings.yaml: user_profiles, user_settings */
            bool alone = true;
            for (size_t j = 0; j < files.n; j++)
                if (!done[j] && !strcmp(pattern_dir(ix->mem, pats.v[j]), pdir))
                    alone = false;
            for (size_t q = 0; q < ix->sources.n; q++)
                if (ix->sources.v[q]->literal_leaf && !strcmp(ix->sources.v[q]->dir, src->dir) &&
                    !strcmp(pattern_dir(ix->mem, ix->sources.v[q]->pattern), pattern_dir(ix->mem, src->pattern)))
                    alone = false;
            if (!alone) {
                char *stem = arena_strdup(ix->mem, leaf_i);
                char *dot = strrchr(stem, '.');
                if (dot && dot != stem)
                    *dot = 0;
                name = arena_printf(ix->mem, "%s_%s", infer_singular(ix->mem, infer_snake(ix->mem, base)),
                                    infer_plural(ix->mem, infer_snake(ix->mem, stem)));
            }
        }
        src->table = table_new(ix, src, unique_table_name(ix, name, ext));
        for (size_t c = 0; c < src->capture_names.n; c++) {
            infer_field *f = field_get(ix, src->table, src->capture_names.v[c]);
            f->capture = true;
        }
        const char *sing = infer_singular(ix->mem, src->table->name);
        src->table->cand[0] = "id";
        src->table->cand[1] = arena_printf(ix->mem, "%s_id", sing);
        src->table->cand[2] = "uuid";
        src->table->cand[3] = "slug";
        VEC_PUSH(ix->mem, ix->sources, src);
        read_source(ix, src, diags);
    }
    return 0;
}
