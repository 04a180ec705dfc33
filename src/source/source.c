/*
 * source.c — source classification, dialect detection, directory walking
 * and dispatch to the individual readers.
 */
#include "source/source.h"
#include "source/pg_parse.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "util/strbuf.h"
#include "util/url.h"

static bool is_sqlite_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char magic[16];
    size_t n = fread(magic, 1, sizeof magic, f);
    fclose(f);
    return n == 16 && memcmp(magic, "SQLite format 3", 16) == 0;
}

source_kind source_classify(const char *spec)
{
    if (!spec || !*spec)
        return SOURCE_UNKNOWN;
    if (url_is_postgres(spec))
        return SOURCE_LIVE_PG;
    if (url_is_sqlite(spec))
        return SOURCE_LIVE_SQLITE;
    struct stat st;
    if (stat(spec, &st) != 0)
        return SOURCE_UNKNOWN;
    if (S_ISDIR(st.st_mode))
        return SOURCE_SQL_DIR;
    /* only peek at regular files: reading a FIFO would consume its input */
    if (S_ISREG(st.st_mode) && is_sqlite_file(spec))
        return SOURCE_LIVE_SQLITE;
    return SOURCE_SQL_FILE;
}

static bool contains_ci(const char *text, size_t len, const char *needle)
{
    size_t nl = strlen(needle);
    if (nl > len)
        return false;
    for (size_t i = 0; i + nl <= len; i++)
        if (strncasecmp(text + i, needle, nl) == 0)
            return true;
    return false;
}

dialect source_detect_sql_dialect(const char *text, size_t len)
{
    int sqlite = 0, pg = 0;
    static const char *const sqlite_marks[] = {"AUTOINCREMENT", "WITHOUT ROWID", "PRAGMA ",
                                               "INSERT OR REPLACE", "INSERT OR IGNORE",
                                               "CREATE VIRTUAL TABLE", "STRICT;", NULL};
    static const char *const pg_marks[] = {"SERIAL", "$$", "CREATE EXTENSION", "::", "JSONB",
                                           "TIMESTAMPTZ", "CREATE SCHEMA", "CREATE TYPE",
                                           "CREATE OR REPLACE FUNCTION", "LANGUAGE plpgsql",
                                           "ROW LEVEL SECURITY", "CREATE POLICY", "GENERATED ALWAYS AS IDENTITY",
                                           "CREATE DOMAIN", "CREATE SEQUENCE", "UUID", "BYTEA",
                                           "CREATE MATERIALIZED VIEW", "CONCURRENTLY", NULL};
    for (int i = 0; sqlite_marks[i]; i++)
        if (contains_ci(text, len, sqlite_marks[i]))
            sqlite += 2;
    for (int i = 0; pg_marks[i]; i++)
        if (contains_ci(text, len, pg_marks[i]))
            pg++;
    if (sqlite > pg)
        return DIALECT_SQLITE;
    return DIALECT_PG;
}

dialect source_detect_dialect(const char *spec, source_kind kind)
{
    if (kind == SOURCE_LIVE_PG)
        return DIALECT_PG;
    if (kind == SOURCE_LIVE_SQLITE)
        return DIALECT_SQLITE;
    /* path hints */
    if (strstr(spec, "sqlite"))
        return DIALECT_SQLITE;
    if (strstr(spec, "postgres") || strstr(spec, "/pg/") || strstr(spec, ".pg.sql") ||
        strstr(spec, ".psql"))
        return DIALECT_PG;
    arena tmp;
    arena_init(&tmp);
    const char **files = NULL;
    size_t nfiles = 1;
    if (kind == SOURCE_SQL_DIR)
        nfiles = source_dir_sql_files(&tmp, spec, &files);
    /* a sample is enough: the head of the files, at most 64 KiB in all */
    enum { SAMPLE = 64 * 1024 };
    dialect d = DIALECT_UNKNOWN;
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < nfiles && sb.len < SAMPLE; i++) {
        const char *path = kind == SOURCE_SQL_DIR ? files[i] : spec;
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        strbuf_grow(&sb, SAMPLE - sb.len);
        sb.len += fread(sb.buf + sb.len, 1, SAMPLE - sb.len, f);
        sb.buf[sb.len] = '\0';
        fclose(f);
    }
    if (sb.len)
        d = source_detect_sql_dialect(strbuf_str(&sb), sb.len);
    strbuf_release(&sb);
    arena_free(&tmp);
    return d;
}

/* ---- directory walking ------------------------------------------------------ */

/* version order: compare leading digit runs numerically, rest lexically,
 * per path component */
static int version_cmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
            while (*a == '0' && isdigit((unsigned char)a[1]))
                a++;
            while (*b == '0' && isdigit((unsigned char)b[1]))
                b++;
            size_t la = 0, lb = 0;
            while (isdigit((unsigned char)a[la]))
                la++;
            while (isdigit((unsigned char)b[lb]))
                lb++;
            if (la != lb)
                return la < lb ? -1 : 1;
            int r = strncmp(a, b, la);
            if (r)
                return r;
            a += la;
            b += lb;
            continue;
        }
        if (*a != *b)
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

static int version_cmp_p(const void *a, const void *b)
{
    return version_cmp(*(const char *const *)a, *(const char *const *)b);
}

typedef VEC(const char *) pathvec;

static void walk(arena *mem, const char *dir, pathvec *out, int depth)
{
    if (depth > 32)
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *path = arena_printf(mem, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            walk(mem, path, out, depth + 1);
        } else {
            size_t l = strlen(e->d_name);
            if (l > 4 && !strcasecmp(e->d_name + l - 4, ".sql"))
                VEC_PUSH(mem, *out, path);
        }
    }
    closedir(d);
}

size_t source_dir_sql_files(arena *mem, const char *dir, const char ***out)
{
    pathvec v = {0};
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    walk(mem, arena_strndup(mem, dir, dl), &v, 0);
    if (v.n > 1)
        qsort(v.v, v.n, sizeof(char *), version_cmp_p);
    *out = v.v;
    return v.n;
}

/* ---- dispatch ------------------------------------------------------------------ */

static int read_sql_file(catalog *cat, const char *path, diag_list *diags)
{
    return cat->dialect == DIALECT_SQLITE ? sqlite_sql_read_file(cat, path, diags)
                                          : pg_sql_read_file(cat, path, diags);
}

int source_load(catalog *cat, const char *spec, const source_opts *opts, diag_list *diags)
{
    source_kind kind = source_classify(spec);
    switch (kind) {
    case SOURCE_SQL_FILE:
        return read_sql_file(cat, spec, diags);
    case SOURCE_SQL_DIR: {
        arena tmp;
        arena_init(&tmp);
        const char **files;
        size_t n = source_dir_sql_files(&tmp, spec, &files);
        int rc = 0;
        if (n == 0) {
            src_loc loc = {spec, 0, 0};
            diag_warning(diags, loc, "directory holds no .sql files");
        }
        if (cat->dialect == DIALECT_SQLITE) {
            /* run every file, introspect once at the end */
            sqlite_sql_defer(cat, true);
            for (size_t i = 0; i < n && rc == 0; i++)
                rc = read_sql_file(cat, files[i], diags);
            int frc = sqlite_sql_flush(cat, diags);
            if (rc == 0)
                rc = frc;
        } else {
            rc = pg_sql_read_files(cat, files, n, diags); /* parses ahead in parallel */
        }
        arena_free(&tmp);
        return rc;
    }
    case SOURCE_LIVE_SQLITE: {
        arena tmp;
        arena_init(&tmp);
        const char *path = url_is_sqlite(spec) ? url_sqlite_path(&tmp, spec) : spec;
        int rc = sqlite_live_read(cat, path, opts, diags);
        arena_free(&tmp);
        return rc;
    }
    case SOURCE_LIVE_PG:
        return pg_live_read(cat, spec, opts, diags);
    default: {
        arena tmp;
        arena_init(&tmp);
        src_loc loc = {url_mask(&tmp, spec), 0, 0};
        diag_error(diags, loc, "cannot read source: %s", strerror(errno ? errno : ENOENT));
        arena_free(&tmp);
        return -1;
    }
    }
}

int source_load_many(catalog *cat, const char *const *specs, size_t n, const source_opts *opts,
                     diag_list *diags)
{
    for (size_t i = 0; i < n;) {
        /* consecutive PostgreSQL SQL files: one parse-ahead batch */
        size_t j = i;
        while (cat->dialect == DIALECT_PG && j < n && source_classify(specs[j]) == SOURCE_SQL_FILE)
            j++;
        if (j - i > 1) {
            int rc = pg_sql_read_files(cat, specs + i, j - i, diags);
            if (rc < 0)
                return rc;
            i = j;
            continue;
        }
        if (source_load(cat, specs[i], opts, diags) < 0)
            return -1;
        i++;
    }
    return 0;
}

static bool schema_wanted(const source_opts *opts, const char *schema)
{
    if (!opts || !opts->n_schemas)
        return true;
    for (size_t i = 0; i < opts->n_schemas; i++)
        if (schema && !strcmp(opts->schemas[i], schema))
            return true;
    return false;
}

void source_filter_schemas(catalog *cat, const source_opts *opts)
{
    if (!opts || !opts->n_schemas)
        return;
    for (size_t i = cat->tables.n; i-- > 0;)
        if (!schema_wanted(opts, cat->tables.v[i]->schema))
            catalog_table_remove(cat, cat->tables.v[i]);
    for (size_t i = cat->views.n; i-- > 0;)
        if (!schema_wanted(opts, cat->views.v[i]->schema))
            catalog_view_remove(cat, cat->views.v[i]);
    for (size_t i = cat->enums.n; i-- > 0;)
        if (!schema_wanted(opts, cat->enums.v[i]->schema))
            catalog_enum_remove(cat, cat->enums.v[i]);
    for (size_t i = cat->domains.n; i-- > 0;)
        if (!schema_wanted(opts, cat->domains.v[i]->schema))
            catalog_domain_remove(cat, cat->domains.v[i]);
    for (size_t i = cat->composites.n; i-- > 0;)
        if (!schema_wanted(opts, cat->composites.v[i]->schema))
            catalog_composite_remove(cat, cat->composites.v[i]);
    for (size_t i = cat->sequences.n; i-- > 0;)
        if (!schema_wanted(opts, cat->sequences.v[i]->schema))
            catalog_sequence_remove(cat, cat->sequences.v[i]);
    for (size_t i = cat->functions.n; i-- > 0;)
        if (!schema_wanted(opts, cat->functions.v[i]->schema))
            catalog_function_remove(cat, cat->functions.v[i]);
    for (size_t i = cat->schemas.n; i-- > 0;)
        if (!schema_wanted(opts, cat->schemas.v[i]->name))
            catalog_schema_remove(cat, cat->schemas.v[i]);
    for (size_t i = cat->grants.n; i-- > 0;)
        if (cat->grants.v[i]->schema && !schema_wanted(opts, cat->grants.v[i]->schema))
            VEC_REMOVE(cat->grants, i);
}

/* "-- migrate:KIND" (any case, spaces after the dashes) at the start of the
 * line at text[i] (leading blanks allowed) */
static bool migrate_marker(const char *text, size_t len, size_t i, const char *kind)
{
    while (i < len && (text[i] == ' ' || text[i] == '\t'))
        i++;
    if (i + 2 > len || text[i] != '-' || text[i + 1] != '-')
        return false;
    i += 2;
    while (i < len && (text[i] == ' ' || text[i] == '\t'))
        i++;
    size_t klen = strlen(kind);
    return i + 8 + klen <= len && !strncasecmp(text + i, "migrate:", 8) && !strncasecmp(text + i + 8, kind, klen) &&
           (i + 8 + klen == len || !isalnum((unsigned char)text[i + 8 + klen]));
}

size_t source_mask_down_sections(char *text, size_t len)
{
    size_t sections = 0;
    bool down = false;
    for (size_t i = 0; i < len;) {
        size_t eol = i;
        while (eol < len && text[eol] != '\n')
            eol++;
        if (migrate_marker(text, eol, i, "down")) {
            down = true;
            sections++;
        } else if (migrate_marker(text, eol, i, "up")) {
            down = false;
        }
        if (down)
            for (size_t k = i; k < eol; k++)
                text[k] = ' ';
        i = eol + 1;
    }
    return sections;
}
