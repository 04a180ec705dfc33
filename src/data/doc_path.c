/*
 * doc_path.c — owns: source path patterns ("users/{user_id}/profile.yaml",
 * "wiki/{slug}.md", a "**" segment for any depth): parsing, matching a relative path
 * with {NAME} captures, and listing the matching regular files under a base
 * directory, sorted.
 *
 * Within one path segment: {NAME} matches one or more characters (shortest
 * first, backtracking), '*' any run (possibly empty), '?' one character;
 * none of them crosses a '/'.  A segment that is exactly '**' matches any
 * number (zero included) of directories (at most 8 wildcards a segment:
 * matching backtracks).  Symlinked directories are not
 * followed (a link back to a parent would loop); symlinked files are listed.
 */
#include "data/doc.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef enum part_kind { PART_LIT, PART_STAR, PART_ONE, PART_CAPTURE } part_kind;

typedef struct part {
    part_kind kind;
    const char *lit; /* PART_LIT */
    size_t len;
    size_t capture; /* PART_CAPTURE: index */
} part;

typedef struct segment {
    bool globstar;
    part *parts;
    size_t n_parts;
} segment;

struct doc_path_pattern {
    const char *text;
    segment *segs;
    size_t n_segs;
    const char **names;
    size_t n_names;
};

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

doc_path_pattern *doc_path_pattern_parse(arena *mem, const char *pattern, src_loc loc, diag_list *diags)
{
    doc_path_pattern *p = ARENA_NEW(mem, doc_path_pattern);
    p->text = arena_strdup(mem, pattern ? pattern : "");
    const char *s = p->text;
    while (s[0] == '.' && s[1] == '/')
        s += 2;
    if (*s == '/' || !*s) {
        diag_error(diags, loc, "bad path pattern '%s': %s", p->text,
                   *s ? "must be relative to the base directory" : "empty");
        return NULL;
    }
    size_t n_segs = 1;
    for (const char *q = s; *q; q++)
        n_segs += *q == '/';
    p->segs = arena_alloc(mem, n_segs * sizeof *p->segs);
    size_t name_cap = 4;
    p->names = arena_alloc(mem, name_cap * sizeof *p->names);
    while (*s) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        segment *g = &p->segs[p->n_segs++];
        if (n == 0) {
            diag_error(diags, loc, "bad path pattern '%s': empty segment ('//')", p->text);
            return NULL;
        }
        if (n == 2 && s[0] == '*' && s[1] == '*') {
            g->globstar = true;
        } else {
            g->parts = arena_alloc(mem, n * sizeof *g->parts);
            for (size_t i = 0; i < n;) {
                part *pt = &g->parts[g->n_parts++];
                char c = s[i];
                if (c == '*') {
                    pt->kind = PART_STAR;
                    while (i < n && s[i] == '*')
                        i++;
                } else if (c == '?') {
                    pt->kind = PART_ONE;
                    i++;
                } else if (c == '{') {
                    size_t j = i + 1;
                    while (j < n && name_char(s[j]))
                        j++;
                    if (j >= n || s[j] != '}' || j == i + 1) {
                        diag_error(diags, loc, "bad path pattern '%s': '{' must be followed by NAME}", p->text);
                        return NULL;
                    }
                    const char *name = arena_strndup(mem, s + i + 1, j - i - 1);
                    for (size_t k = 0; k < p->n_names; k++)
                        if (!strcmp(p->names[k], name)) {
                            diag_error(diags, loc, "bad path pattern '%s': {%s} appears twice", p->text, name);
                            return NULL;
                        }
                    if (p->n_names == name_cap) {
                        p->names = arena_realloc(mem, p->names, name_cap * sizeof *p->names,
                                                 2 * name_cap * sizeof *p->names);
                        name_cap *= 2;
                    }
                    pt->kind = PART_CAPTURE;
                    pt->capture = p->n_names;
                    p->names[p->n_names++] = name;
                    i = j + 1;
                } else {
                    size_t j = i;
                    while (j < n && s[j] != '*' && s[j] != '?' && s[j] != '{')
                        j++;
                    if (s[i] == '}' || memchr(s + i, '}', j - i)) {
                        diag_error(diags, loc, "bad path pattern '%s': '}' without '{'", p->text);
                        return NULL;
                    }
                    pt->kind = PART_LIT;
                    pt->lit = s + i;
                    pt->len = j - i;
                    i = j;
                }
            }
        }
        size_t wild = 0;
        for (size_t i = 0; i < g->n_parts; i++)
            wild += g->parts[i].kind != PART_LIT;
        if (wild > 8) {
            diag_error(diags, loc, "bad path pattern '%s': more than 8 wildcards in one segment", p->text);
            return NULL;
        }
        s += n;
        if (*s == '/')
            s++;
    }
    return p;
}

const char *const *doc_path_pattern_names(const doc_path_pattern *p, size_t *n)
{
    *n = p->n_names;
    return p->names;
}

typedef struct cap {
    const char *b;
    size_t len;
} cap;

/* parts[i..] against s[0..n) */
static bool match_parts(const segment *g, size_t i, const char *s, size_t n, cap *caps)
{
    if (i == g->n_parts)
        return n == 0;
    const part *pt = &g->parts[i];
    switch (pt->kind) {
    case PART_LIT:
        return n >= pt->len && !memcmp(s, pt->lit, pt->len) && match_parts(g, i + 1, s + pt->len, n - pt->len, caps);
    case PART_ONE:
        return n >= 1 && match_parts(g, i + 1, s + 1, n - 1, caps);
    case PART_STAR:
        for (size_t k = 0; k <= n; k++)
            if (match_parts(g, i + 1, s + k, n - k, caps))
                return true;
        return false;
    case PART_CAPTURE:
        for (size_t k = 1; k <= n; k++)
            if (match_parts(g, i + 1, s + k, n - k, caps)) {
                caps[pt->capture].b = s;
                caps[pt->capture].len = k;
                return true;
            }
        return false;
    }
    return false;
}

/* segs[i..] against the path components comps[j..] */
static bool match_segs(const doc_path_pattern *p, size_t i, const cap *comps, size_t nc, size_t j, cap *caps)
{
    if (i == p->n_segs)
        return j == nc;
    const segment *g = &p->segs[i];
    if (g->globstar) {
        for (size_t k = j; k <= nc; k++)
            if (match_segs(p, i + 1, comps, nc, k, caps))
                return true;
        return false;
    }
    if (j == nc)
        return false;
    return match_parts(g, 0, comps[j].b, comps[j].len, caps) && match_segs(p, i + 1, comps, nc, j + 1, caps);
}

bool doc_path_pattern_match(const doc_path_pattern *p, arena *mem, const char *rel_path, const char ***values,
                            size_t *n)
{
    if (values)
        *values = NULL;
    if (n)
        *n = 0;
    while (rel_path[0] == '.' && rel_path[1] == '/')
        rel_path += 2;
    size_t nc = 1;
    for (const char *q = rel_path; *q; q++)
        nc += *q == '/';
    cap stack_comps[32], stack_caps[16];
    cap *comps = nc <= 32 ? stack_comps : malloc(nc * sizeof *comps);
    cap *caps = p->n_names <= 16 ? stack_caps : malloc(p->n_names * sizeof *caps);
    if (!comps || !caps)
        abort();
    size_t k = 0;
    const char *b = rel_path;
    for (const char *q = rel_path;; q++)
        if (*q == '/' || !*q) {
            comps[k].b = b;
            comps[k].len = (size_t)(q - b);
            k++;
            if (!*q)
                break;
            b = q + 1;
        }
    bool ok = match_segs(p, 0, comps, nc, 0, caps);
    if (ok && values && p->n_names) {
        const char **v = arena_alloc(mem, p->n_names * sizeof *v);
        for (size_t i = 0; i < p->n_names; i++)
            v[i] = arena_strndup(mem, caps[i].b, caps[i].len);
        *values = v;
    }
    if (ok && n)
        *n = p->n_names;
    if (comps != stack_comps)
        free(comps);
    if (caps != stack_caps)
        free(caps);
    return ok;
}

typedef struct file_list {
    arena *mem;
    const char **items;
    size_t n, cap;
} file_list;

static void walk_dir(const doc_path_pattern *p, file_list *fl, const char *base, char *rel, size_t rel_len,
                     size_t rel_cap, unsigned depth)
{
    if (depth > 64)
        return;
    char *dirpath = rel_len ? arena_printf(fl->mem, "%s/%.*s", base, (int)rel_len, rel) : (char *)base;
    DIR *d = opendir(dirpath);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        size_t nl = strlen(e->d_name);
        size_t need = rel_len + 1 + nl + 1;
        if (need > rel_cap)
            continue; /* absurdly long path */
        size_t l = rel_len;
        if (l)
            rel[l++] = '/';
        memcpy(rel + l, e->d_name, nl + 1);
        l += nl;
        char *full = arena_printf(fl->mem, "%s/%s", base, rel);
        struct stat st;
        if (lstat(full, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            walk_dir(p, fl, base, rel, l, rel_cap, depth + 1);
        } else {
            if (S_ISLNK(st.st_mode) && (stat(full, &st) != 0 || !S_ISREG(st.st_mode)))
                continue;
            if (!S_ISREG(st.st_mode))
                continue;
            if (doc_path_pattern_match(p, fl->mem, rel, NULL, NULL)) {
                if (fl->n == fl->cap) {
                    size_t nc = fl->cap ? 2 * fl->cap : 64;
                    fl->items = arena_realloc(fl->mem, fl->items, fl->cap * sizeof *fl->items,
                                              nc * sizeof *fl->items);
                    fl->cap = nc;
                }
                fl->items[fl->n++] = arena_strdup(fl->mem, rel);
            }
        }
        rel[rel_len] = '\0';
    }
    closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

size_t doc_path_pattern_files(const doc_path_pattern *p, arena *mem, const char *base_dir, const char ***out)
{
    file_list fl = {mem, NULL, 0, 0};
    size_t rel_cap = 4096;
    char *rel = malloc(rel_cap);
    if (!rel)
        abort();
    rel[0] = '\0';
    /* start below the literal leading directories of the pattern */
    size_t l = 0;
    for (size_t i = 0; i + 1 < p->n_segs; i++) {
        const segment *g = &p->segs[i];
        if (g->globstar || g->n_parts != 1 || g->parts[0].kind != PART_LIT)
            break;
        if (l + g->parts[0].len + 2 >= rel_cap)
            break;
        if (l)
            rel[l++] = '/';
        memcpy(rel + l, g->parts[0].lit, g->parts[0].len);
        l += g->parts[0].len;
        rel[l] = '\0';
    }
    walk_dir(p, &fl, base_dir && *base_dir ? base_dir : ".", rel, l, rel_cap, 0);
    free(rel);
    if (fl.n > 1)
        qsort(fl.items, fl.n, sizeof *fl.items, cmp_str);
    *out = fl.items;
    return fl.n;
}
