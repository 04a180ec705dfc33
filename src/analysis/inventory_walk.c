/*
 * inventory_walk.c — owns: finding the schema material of a repository
 * (the walk, with its list of vendored/generated folders that are skipped),
 * classifying each file (snapshot, migration, seed, test, other) and grouping
 * migration sequences with their numbering collisions and gaps.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "analysis/inventory.h"

/* Folders never walked: dependencies, build output, caches, VCS metadata. */
static const char *const skip_dirs[] = {
    "node_modules", "vendor", "third_party", "bower_components", ".git", ".hg", ".svn", "dist", "build",
    "target", "__pycache__", ".venv", "venv", "site-packages", ".tox", ".mypy_cache", ".next", "coverage",
    "generated", ".cache", NULL,
};

static bool is_skip_dir(const char *name)
{
    for (const char *const *s = skip_dirs; *s; s++)
        if (!strcmp(*s, name))
            return true;
    return false;
}

static const char *ext_host(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return NULL;
    dot++;
    if (!strcasecmp(dot, "sql"))
        return "sql";
    if (!strcmp(dot, "py"))
        return "python";
    if (!strcmp(dot, "js") || !strcmp(dot, "mjs") || !strcmp(dot, "cjs") || !strcmp(dot, "jsx"))
        return "javascript";
    if (!strcmp(dot, "ts") || !strcmp(dot, "tsx") || !strcmp(dot, "mts") || !strcmp(dot, "cts"))
        return "typescript";
    return NULL;
}

static void add_file(inventory *inv, const char *path, const char *name, const char *host)
{
    inv_file *f = ARENA_NEW(&inv->mem, inv_file);
    f->path = arena_strdup(&inv->mem, path);
    f->name = arena_strdup(&inv->mem, name);
    f->host = host;
    f->cls = INV_OTHER;
    VEC_PUSH(&inv->mem, inv->files, f);
}

static int walk_dir(inventory *inv, const char *dir, const char *rel, diag_list *diags)
{
    DIR *d = opendir(dir);
    if (!d) {
        src_loc l = {arena_strdup(&inv->mem, dir), 0, 0};
        diag_warning(diags, l, "cannot read folder: %s", strerror(errno));
        return -1;
    }
    strvec names = {0};
    arena tmp;
    arena_init(&tmp);
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            VEC_PUSH(&tmp, names, arena_strdup(&tmp, e->d_name));
    closedir(d);
    for (size_t i = 0; i < names.n; i++) {
        const char *nm = names.v[i];
        char *path = arena_printf(&tmp, "%s/%s", dir, nm);
        char *r = *rel ? arena_printf(&tmp, "%s/%s", rel, nm) : arena_strdup(&tmp, nm);
        struct stat st, lst;
        if (stat(path, &st) != 0 || lstat(path, &lst) != 0)
            continue;
        if (S_ISDIR(st.st_mode) && S_ISLNK(lst.st_mode))
            continue; /* a symlinked folder may loop back: not followed */
        if (S_ISDIR(st.st_mode)) {
            if (is_skip_dir(nm)) {
                VEC_PUSH(&inv->mem, inv->skipped, arena_printf(&inv->mem, "%s/", r));
                continue;
            }
            walk_dir(inv, path, r, diags);
        } else if (S_ISREG(st.st_mode)) {
            const char *host = ext_host(nm);
            if (host)
                add_file(inv, path, r, host);
        }
    }
    arena_free(&tmp);
    return 0;
}

static int cmp_file_name(const void *a, const void *b)
{
    const inv_file *fa = *(inv_file *const *)a, *fb = *(inv_file *const *)b;
    return strcmp(fa->name, fb->name);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int inv_walk(inventory *inv, const char *const *paths, size_t n, diag_list *diags)
{
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        VEC_PUSH(&inv->mem, inv->roots, arena_strdup(&inv->mem, paths[i]));
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            src_loc l = {arena_strdup(&inv->mem, paths[i]), 0, 0};
            diag_error(diags, l, "cannot read: %s", strerror(errno));
            rc = -1;
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            size_t len = strlen(paths[i]);
            while (len > 1 && paths[i][len - 1] == '/')
                len--;
            char *dir = arena_strndup(&inv->mem, paths[i], len);
            /* names are relative to the folder; with several folders, prefixed by it */
            const char *rel = n > 1 ? dir : "";
            if (walk_dir(inv, dir, rel, diags) != 0)
                rc = -1;
        } else {
            const char *host = ext_host(paths[i]);
            add_file(inv, paths[i], paths[i], host ? host : "sql");
        }
    }
    if (inv->files.n)
        qsort(inv->files.v, inv->files.n, sizeof *inv->files.v, cmp_file_name);
    if (inv->skipped.n)
        qsort(inv->skipped.v, inv->skipped.n, sizeof *inv->skipped.v, cmp_str);
    for (size_t i = 0; i < inv->files.n; i++)
        inv->files.v[i]->index = (int)i;
    return rc;
}

/* ---- classification ------------------------------------------------------- */

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* does a folder component of path (not the file name) equal one of words */
static const char *dir_component(arena *mem, const char *path, const char *const *words)
{
    const char *p = path;
    const char *end = strrchr(path, '/');
    while (end && p < end) {
        const char *slash = strchr(p, '/');
        size_t n = (size_t)(slash - p);
        for (const char *const *w = words; *w; w++)
            if (strlen(*w) == n && !strncasecmp(p, *w, n))
                return arena_strndup(mem, p, n);
        p = slash + 1;
    }
    return NULL;
}

static bool name_has(const char *name, const char *word)
{
    return strcasestr(name, word) != NULL;
}

/* Version of a migration file name: "V3__x.sql" -> "3", "V1_2__x" -> "1.2",
 * "004_x.sql" / "004-x.sql" / "20240101120000_x.sql" -> the digits.  NULL: none. */
static const char *file_version(arena *mem, const char *base)
{
    const char *p = base;
    if ((p[0] == 'V' || p[0] == 'v') && isdigit((unsigned char)p[1])) {
        const char *sep = strstr(p, "__");
        if (!sep)
            return NULL;
        char *v = arena_strndup(mem, p + 1, (size_t)(sep - p - 1));
        for (char *c = v; *c; c++)
            if (*c == '_')
                *c = '.';
        return v;
    }
    size_t n = 0;
    while (isdigit((unsigned char)p[n]))
        n++;
    if (!n || !(p[n] == '_' || p[n] == '-' || p[n] == '.'))
        return NULL;
    return arena_strndup(mem, p, n);
}

static char *dir_of(arena *mem, const char *name)
{
    const char *s = strrchr(name, '/');
    return s ? arena_strndup(mem, name, (size_t)(s - name)) : arena_strdup(mem, ".");
}

static bool is_down_file(const char *base)
{
    size_t n = strlen(base);
    return n > 9 && !strcasecmp(base + n - 9, ".down.sql");
}

void inv_classify(inventory *inv)
{
    static const char *const test_dirs[] = {"test", "tests", "spec", "specs", "__tests__", "testdata", NULL};
    static const char *const seed_dirs[] = {"seed", "seeds", "seeders", "fixtures", "data", NULL};
    /* versioned files per folder: a folder with two or more is a sequence */
    hashmap count;
    hashmap_init(&count, &inv->mem);
    for (size_t i = 0; i < inv->files.n; i++) {
        inv_file *f = inv->files.v[i];
        if (strcmp(f->host, "sql"))
            continue;
        f->version = file_version(&inv->mem, base_name(f->name));
        if (f->version) {
            char *dir = dir_of(&inv->mem, f->name);
            size_t c = (size_t)hashmap_get(&count, dir);
            hashmap_put(&count, dir, (void *)(c + 1));
        }
    }
    for (size_t i = 0; i < inv->files.n; i++) {
        inv_file *f = inv->files.v[i];
        const char *base = base_name(f->name);
        const char *dir;
        if ((dir = dir_component(&inv->mem, f->name, test_dirs))) {
            f->cls = INV_TEST;
            f->why = arena_printf(&inv->mem, "folder %s/", dir);
        } else if (!strncasecmp(base, "test_", 5) || name_has(base, "_test.") || name_has(base, ".test.") ||
                   name_has(base, ".spec.")) {
            f->cls = INV_TEST;
            f->why = "test file name";
        } else if ((dir = dir_component(&inv->mem, f->name, seed_dirs))) {
            f->cls = INV_SEED;
            f->why = arena_printf(&inv->mem, "folder %s/", dir);
        } else if (name_has(base, "seed")) {
            f->cls = INV_SEED;
            f->why = "seed file name";
        } else if (f->n_dml > 0 && f->n_ddl == 0) {
            f->cls = INV_SEED;
            f->why = "data statements only";
        } else if (f->version && (size_t)hashmap_get(&count, dir_of(&inv->mem, f->name)) >= 2) {
            f->cls = INV_MIGRATION;
            f->sequence = dir_of(&inv->mem, f->name);
            f->why = arena_printf(&inv->mem, "numbered file in %s/", f->sequence);
        } else if (f->n_ddl > 0) {
            f->cls = INV_SNAPSHOT;
            f->why = "schema definitions";
        } else {
            f->cls = INV_OTHER;
            f->why = f->n_statements ? "no schema statements" : "no statements";
        }
        if (f->cls != INV_MIGRATION)
            f->version = NULL;
    }
    hashmap_release(&count);
}

/* ---- sequences ------------------------------------------------------------ */

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* numeric versions compare by value ("004" == "4"), others lexically */
static int version_cmp(const char *a, const char *b)
{
    if (all_digits(a) && all_digits(b)) {
        while (*a == '0' && a[1])
            a++;
        while (*b == '0' && b[1])
            b++;
        size_t la = strlen(a), lb = strlen(b);
        if (la != lb)
            return la < lb ? -1 : 1;
    }
    return strcmp(a, b);
}

static int cmp_seq_file(const void *x, const void *y)
{
    const inv_file *a = *(inv_file *const *)x, *b = *(inv_file *const *)y;
    int c = version_cmp(a->version, b->version);
    return c ? c : strcmp(a->name, b->name);
}

static int cmp_seq(const void *x, const void *y)
{
    return strcmp((*(inv_sequence *const *)x)->dir, (*(inv_sequence *const *)y)->dir);
}

/* spelling of version v with the width of the sequence's versions */
static const char *pad_version(arena *mem, long long v, int width)
{
    return arena_printf(mem, "%0*lld", width, v);
}

static void sequence_check(inventory *inv, inv_sequence *s)
{
    arena *mem = &inv->mem;
    /* collisions: the same version twice (down files of golang-migrate pairs excluded) */
    for (size_t i = 0; i < s->files.n;) {
        size_t j = i + 1;
        while (j < s->files.n && !version_cmp(s->files.v[i]->version, s->files.v[j]->version))
            j++;
        size_t ups = 0;
        for (size_t k = i; k < j; k++)
            ups += !is_down_file(base_name(s->files.v[k]->name));
        if (ups > 1) {
            strbuf sb = STRBUF_INIT;
            strbuf_addf(&sb, "%s:", s->files.v[i]->version);
            for (size_t k = i; k < j; k++)
                if (!is_down_file(base_name(s->files.v[k]->name)))
                    strbuf_addf(&sb, "%s %s", k > i ? "," : "", base_name(s->files.v[k]->name));
            VEC_PUSH(mem, s->collisions, arena_strdup(mem, strbuf_str(&sb)));
            strbuf_release(&sb);
        }
        i = j;
    }
    /* gaps: only for small sequential numbers (timestamps have no successor) */
    int width = 0;
    for (size_t i = 0; i < s->files.n; i++) {
        const char *v = s->files.v[i]->version;
        if (!all_digits(v) || strlen(v) > 6)
            return;
        if ((int)strlen(v) > width)
            width = (int)strlen(v);
    }
    for (size_t i = 0; i + 1 < s->files.n; i++) {
        long long a = atoll(s->files.v[i]->version), b = atoll(s->files.v[i + 1]->version);
        if (b - a == 2)
            VEC_PUSH(mem, s->gaps, pad_version(mem, a + 1, width));
        else if (b - a > 2)
            VEC_PUSH(mem, s->gaps,
                     arena_printf(mem, "%s..%s", pad_version(mem, a + 1, width), pad_version(mem, b - 1, width)));
    }
}

void inv_sequences(inventory *inv)
{
    hashmap by_dir;
    hashmap_init(&by_dir, &inv->mem);
    for (size_t i = 0; i < inv->files.n; i++) {
        inv_file *f = inv->files.v[i];
        if (f->cls != INV_MIGRATION)
            continue;
        inv_sequence *s = hashmap_get(&by_dir, f->sequence);
        if (!s) {
            s = ARENA_NEW(&inv->mem, inv_sequence);
            s->dir = f->sequence;
            hashmap_put(&by_dir, f->sequence, s);
            VEC_PUSH(&inv->mem, inv->sequences, s);
        }
        VEC_PUSH(&inv->mem, s->files, f);
    }
    hashmap_release(&by_dir);
    if (inv->sequences.n)
        qsort(inv->sequences.v, inv->sequences.n, sizeof *inv->sequences.v, cmp_seq);
    for (size_t i = 0; i < inv->sequences.n; i++) {
        inv_sequence *s = inv->sequences.v[i];
        qsort(s->files.v, s->files.n, sizeof *s->files.v, cmp_seq_file);
        size_t pg = 0, lite = 0;
        for (size_t k = 0; k < s->files.n; k++)
            s->files.v[k]->dialect == DIALECT_SQLITE ? lite++ : pg++;
        s->dialect = lite > pg ? DIALECT_SQLITE : DIALECT_PG;
        sequence_check(inv, s);
    }
}

const char *inv_class_name(inv_class c)
{
    switch (c) {
    case INV_SNAPSHOT: return "snapshot";
    case INV_MIGRATION: return "migration";
    case INV_SEED: return "seed";
    case INV_TEST: return "test";
    case INV_OTHER: break;
    }
    return "other";
}
