/*
 * infer_group.c — owns how `dbsage infer` turns a directory into sources:
 * the walk (sorted, dot files skipped, symlinked folders not followed), the
 * directory levels that become captures ({user_id}), the grouping of files
 * by pattern directory and extension, table names, and paths relative to
 * the spec.  Linear in the number of files (one pass builds the directory
 * tree; groups are found through hash maps).
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "data/infer_int.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* NUL bytes in the first 4 KiB: an image, an archive... not a document */
static bool is_binary(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false; /* the reader reports it */
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return memchr(buf, 0, n) != NULL;
}

/* every regular file under dir/rel (relative to dir), sorted; symlinked
 * folders are not followed, dot files are skipped */
static bool excluded(const infer_ctx *ix, const struct stat *st)
{
    for (size_t i = 0; i < ix->excluded.n; i++)
        if (ix->excluded.v[i].dev == (uint64_t)st->st_dev && ix->excluded.v[i].ino == (uint64_t)st->st_ino)
            return true;
    return false;
}

void infer_exclude(infer_ctx *ix, const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0) {
        infer_file_id id = {(uint64_t)st.st_dev, (uint64_t)st.st_ino};
        VEC_PUSH(ix->mem, ix->excluded, id);
    }
}

static int walk(infer_ctx *ix, const char *dir, const char *rel, strvec *out, diag_list *diags)
{
    arena *mem = ix->mem;
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
        if (excluded(ix, &st))
            continue; /* the spec and migrations being written */
        if (S_ISDIR(st.st_mode))
            walk(ix, dir, r, out, diags);
        else if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) {
            if (S_ISLNK(st.st_mode) && (stat(arena_printf(mem, "%s/%s", dir, r), &st) != 0 ||
                                        !S_ISREG(st.st_mode) || excluded(ix, &st)))
                continue;
            if (is_binary(arena_printf(mem, "%s/%s", dir, r))) {
                src_loc loc = {arena_printf(mem, "%s/%s", dir, r), 0, 0};
                diag_warning(diags, loc, "not a text document (NUL bytes): skipped");
                continue;
            }
            VEC_PUSH(mem, *out, r);
        }
    }
    return 0;
}

static const char *ext_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && dot != name ? dot + 1 : "";
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

/* ---- the directory tree ------------------------------------------------------------ */

/* The subdirectories of one directory, each with a signature of the files
 * directly in it (count and sum of name hashes: equal sets, equal sums). */
typedef struct dir_info {
    strvec subs;
    VEC(uint64_t) sig;
    VEC(size_t) count;
    VEC(const char *) ext;   /* extension of the files directly in sub; "\x1f" when mixed */
    VEC(bool) deeper;        /* sub has subdirectories */
    hashmap idx; /* sub -> index + 1 */
    int capture; /* 0 unknown, 1 yes, -1 no */
} dir_info;

typedef struct tree {
    arena *mem;
    hashmap dirs; /* parent path ("" for DIR) -> dir_info */
    VEC(dir_info *) all;
} tree;

static dir_info *tree_dir(tree *tr, const char *parent)
{
    dir_info *d = hashmap_get(&tr->dirs, parent);
    if (!d) {
        d = arena_alloc(tr->mem, sizeof *d);
        hashmap_init(&d->idx, tr->mem);
        hashmap_put(&tr->dirs, parent, d);
        VEC_PUSH(tr->mem, tr->all, d);
    }
    return d;
}

static void tree_add(tree *tr, const char *const *segs, size_t n, strbuf *scratch)
{
    strbuf_reset(scratch);
    for (size_t i = 0; i + 1 < n; i++) {
        dir_info *d = tree_dir(tr, strbuf_str(scratch));
        size_t k = (size_t)(uintptr_t)hashmap_get(&d->idx, segs[i]);
        if (!k) {
            VEC_PUSH(tr->mem, d->subs, segs[i]);
            VEC_PUSH(tr->mem, d->sig, 0);
            VEC_PUSH(tr->mem, d->count, 0);
            VEC_PUSH(tr->mem, d->ext, NULL);
            VEC_PUSH(tr->mem, d->deeper, false);
            k = d->subs.n;
            hashmap_put(&d->idx, segs[i], (void *)(uintptr_t)k);
        }
        if (i + 2 == n) { /* the file is directly in segs[i] */
            d->sig.v[k - 1] += hash_bytes(segs[n - 1], strlen(segs[n - 1]));
            d->count.v[k - 1]++;
            const char *e = ext_of(segs[n - 1]);
            if (!d->ext.v[k - 1])
                d->ext.v[k - 1] = e;
            else if (strcmp(d->ext.v[k - 1], e))
                d->ext.v[k - 1] = "\x1f";
        } else
            d->deeper.v[k - 1] = true;
        if (i)
            strbuf_addch(scratch, '/');
        strbuf_adds(scratch, segs[i]);
    }
}

/* Are the subdirectories of `parent` captures?  Yes when there are >= 2 of
 * them and they are all ids (uuids, numbers), or all hold the same
 * non-empty set of file names (users/alice/profile.yaml, users/bob/...), or
 * -- below DIR's own level -- they are all leaf directories of files of one
 * same extension (wiki/concept/ *.md, wiki/entity/ *.md: slugs). */
static bool tree_capture(tree *tr, const char *parent)
{
    dir_info *d = hashmap_get(&tr->dirs, parent);
    if (!d || d->subs.n < 2)
        return false;
    if (!d->capture) {
        bool ids = true, same = d->count.v[0] > 0, slugs = *parent && d->ext.v[0] && strcmp(d->ext.v[0], "\x1f");
        for (size_t k = 0; k < d->subs.n; k++) {
            ids = ids && infer_is_id_name(d->subs.v[k]);
            same = same && d->count.v[k] == d->count.v[0] && d->sig.v[k] == d->sig.v[0];
            slugs = slugs && !d->deeper.v[k] && d->ext.v[k] && !strcmp(d->ext.v[k], d->ext.v[0]);
        }
        d->capture = ids || same || slugs ? 1 : -1;
    }
    return d->capture > 0;
}

static void tree_free(tree *tr)
{
    for (size_t i = 0; i < tr->all.n; i++)
        hashmap_release(&tr->all.v[i]->idx);
    hashmap_release(&tr->dirs);
}

/* The pattern of one file: captured directory levels replaced by {NAME}. */
static const char *file_pattern(arena *mem, tree *tr, const char *dirbase, const char *const *segs, size_t n,
                                bool *has_capture, strbuf *scratch)
{
    strbuf b = STRBUF_INIT;
    *has_capture = false;
    strbuf_reset(scratch);
    for (size_t i = 0; i + 1 < n; i++) {
        if (tree_capture(tr, strbuf_str(scratch))) {
            const char *above = i ? segs[i - 1] : dirbase;
            strbuf_addf(&b, "{%s_id}/", infer_singular(mem, infer_snake(mem, above)));
            *has_capture = true;
        } else
            strbuf_addf(&b, "%s/", segs[i]);
        if (i)
            strbuf_addch(scratch, '/');
        strbuf_adds(scratch, segs[i]);
    }
    strbuf_adds(&b, segs[n - 1]);
    const char *r = arena_strdup(mem, strbuf_str(&b));
    strbuf_release(&b);
    return r;
}

/* ---- sources ------------------------------------------------------------------------ */

typedef struct group {
    const char *pdir, *ext;
    bool caps;
    VEC(size_t) members;
} group;

static const char *leaf_of(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* captures of src->pattern, renamed when a name repeats ({user_id}/{user_id_2}) */
static void source_captures(infer_ctx *ix, infer_source *src)
{
    const char **segs;
    size_t nseg = infer_split(ix->mem, src->pattern, &segs);
    bool renamed = false;
    for (size_t s = 0; s < nseg; s++) {
        if (segs[s][0] != '{')
            continue;
        const char *base = arena_strndup(ix->mem, segs[s] + 1, strlen(segs[s]) - 2), *name = base;
        for (int k = 2;; k++) {
            bool clash = false;
            for (size_t c = 0; c < src->capture_names.n; c++)
                clash = clash || !strcmp(src->capture_names.v[c], name);
            if (!clash)
                break;
            name = arena_printf(ix->mem, "%s_%d", base, k);
        }
        if (name != base) {
            segs[s] = arena_printf(ix->mem, "{%s}", name);
            renamed = true;
        }
        VEC_PUSH(ix->mem, src->capture_names, name);
        VEC_PUSH(ix->mem, src->capture_segs, (int)s);
    }
    if (renamed) {
        strbuf b = STRBUF_INIT;
        for (size_t q = 0; q < nseg; q++)
            strbuf_addf(&b, "%s%s", q ? "/" : "", segs[q]);
        src->pattern = arena_strdup(ix->mem, strbuf_str(&b));
        strbuf_release(&b);
    }
}

static void add_source(infer_ctx *ix, const char *dir, const char *dirbase, const char *prefix, const group *g,
                       const char *pattern, bool literal, bool alone, const strvec *files, const strvec *pats,
                       diag_list *diags)
{
    infer_source *src = arena_alloc(ix->mem, sizeof *src);
    src->dir = arena_strdup(ix->mem, dir);
    src->prefix = prefix;
    src->literal_leaf = literal;
    src->pattern = pattern;
    for (size_t m = 0; m < g->members.n; m++) {
        size_t j = g->members.v[m];
        if (!literal || !strcmp(leaf_of(pats->v[j]), leaf_of(pattern)))
            VEC_PUSH(ix->mem, src->files, files->v[j]);
    }
    src->format = doc_format_for_path(src->files.v[0]);
    source_captures(ix, src);
    /* table name: the last plain directory of the pattern (or DIR's name) */
    const char **segs;
    size_t nseg = infer_split(ix->mem, src->pattern, &segs);
    const char *base = dirbase;
    for (size_t s = nseg - 1; s-- > 0;)
        if (segs[s][0] != '{') {
            base = segs[s];
            break;
        }
    const char *name = infer_plural(ix->mem, infer_snake(ix->mem, base));
    if (literal && !alone) {
        /* users/{user_id}/profile.yaml next to settings.yaml: user_profiles, user_settings */
        char *stem = arena_strdup(ix->mem, leaf_of(pattern));
        char *dot = strrchr(stem, '.');
        if (dot && dot != stem)
            *dot = 0;
        name = arena_printf(ix->mem, "%s_%s", infer_singular(ix->mem, infer_snake(ix->mem, base)),
                            infer_plural(ix->mem, infer_snake(ix->mem, stem)));
    }
    src->table = infer_table_new(ix, src, unique_table_name(ix, name, g->ext));
    for (size_t c = 0; c < src->capture_names.n; c++)
        infer_field_get(ix, src->table, src->capture_names.v[c])->capture = true;
    const char *sing = infer_singular(ix->mem, src->table->name);
    src->table->cand[0] = "id";
    src->table->cand[1] = arena_printf(ix->mem, "%s_id", sing);
    src->table->cand[2] = "uuid";
    src->table->cand[3] = "slug";
    VEC_PUSH(ix->mem, ix->sources, src);
    infer_read_source(ix, src, diags);
}

int infer_add_dir(infer_ctx *ix, const char *dir, diag_list *diags)
{
    strvec files = {0};
    if (walk(ix, dir, "", &files, diags) < 0)
        return -1;
    const char *prefix = relpath(ix->mem, ix->spec_dir, dir);
    if (!strcmp(prefix, "."))
        prefix = "";
    char abs[PATH_MAX];
    const char *d = realpath(dir, abs) ? abs : dir;
    const char *dirbase = arena_strdup(ix->mem, strrchr(d, '/') && strrchr(d, '/')[1] ? strrchr(d, '/') + 1 : d);

    /* one pass: the directory tree; a second: each file's pattern */
    tree tr = {ix->mem, {0}, {0}};
    hashmap_init(&tr.dirs, ix->mem);
    strbuf scratch = STRBUF_INIT;
    const char ***segs = arena_alloc(ix->mem, (files.n + 1) * sizeof *segs);
    size_t *nseg = arena_alloc(ix->mem, (files.n + 1) * sizeof *nseg);
    for (size_t i = 0; i < files.n; i++) {
        nseg[i] = infer_split(ix->mem, files.v[i], &segs[i]);
        tree_add(&tr, segs[i], nseg[i], &scratch);
    }
    /* groups: (pattern directory, extension), in order of first file */
    strvec pats = {0};
    hashmap by_group, pdir_sources;
    hashmap_init(&by_group, ix->mem);
    hashmap_init(&pdir_sources, ix->mem);
    VEC(group *) groups = {0};
    for (size_t i = 0; i < files.n; i++) {
        bool caps;
        const char *p = file_pattern(ix->mem, &tr, dirbase, segs[i], nseg[i], &caps, &scratch);
        VEC_PUSH(ix->mem, pats, p);
        const char *pdir = pattern_dir(ix->mem, p), *ext = ext_of(leaf_of(files.v[i]));
        const char *gk = arena_printf(ix->mem, "%s\x1f%s", pdir, ext);
        group *g = hashmap_get(&by_group, gk);
        if (!g) {
            g = arena_alloc(ix->mem, sizeof *g);
            g->pdir = pdir;
            g->ext = ext;
            g->caps = caps;
            hashmap_put(&by_group, gk, g);
            VEC_PUSH(ix->mem, groups, g);
        }
        VEC_PUSH(ix->mem, g->members, i);
    }
    /* a group under captures whose file names all repeat is split by name
     * (users/{user_id}/profile.yaml); otherwise one source DIR/pdir/ *.ext */
    bool *literal = arena_alloc(ix->mem, (groups.n + 1) * sizeof *literal);
    for (size_t gi = 0; gi < groups.n; gi++) {
        group *g = groups.v[gi];
        hashmap leaves;
        hashmap_init(&leaves, ix->mem);
        for (size_t m = 0; m < g->members.n; m++) {
            const char *l = leaf_of(pats.v[g->members.v[m]]);
            hashmap_put(&leaves, l, (void *)((uintptr_t)hashmap_get(&leaves, l) + 1));
        }
        bool repeats = true;
        for (size_t m = 0; m < g->members.n; m++)
            repeats = repeats && (uintptr_t)hashmap_get(&leaves, leaf_of(pats.v[g->members.v[m]])) >= 2;
        literal[gi] = g->caps && repeats;
        size_t nsrc = literal[gi] ? leaves.n : 1;
        hashmap_put(&pdir_sources, g->pdir,
                    (void *)((uintptr_t)hashmap_get(&pdir_sources, g->pdir) + nsrc));
        hashmap_release(&leaves);
    }
    for (size_t gi = 0; gi < groups.n; gi++) {
        group *g = groups.v[gi];
        bool alone = (uintptr_t)hashmap_get(&pdir_sources, g->pdir) == 1;
        if (!literal[gi]) {
            const char *pattern =
                arena_printf(ix->mem, "%s%s*%s%s", g->pdir, *g->pdir ? "/" : "", *g->ext ? "." : "", g->ext);
            add_source(ix, dir, dirbase, prefix, g, pattern, false, alone, &files, &pats, diags);
            continue;
        }
        hashmap seen;
        hashmap_init(&seen, ix->mem);
        for (size_t m = 0; m < g->members.n; m++) {
            const char *p = pats.v[g->members.v[m]];
            if (hashmap_get(&seen, leaf_of(p)))
                continue;
            hashmap_put(&seen, leaf_of(p), (void *)1);
            add_source(ix, dir, dirbase, prefix, g, p, true, alone, &files, &pats, diags);
        }
        hashmap_release(&seen);
    }
    hashmap_release(&by_group);
    hashmap_release(&pdir_sources);
    strbuf_release(&scratch);
    tree_free(&tr);
    return 0;
}
