/*
 * cmd_infer.c — `dbsage infer DIR...`: read every document under the
 * directories and write an import spec (--out, default dbsage.yaml) plus a
 * migration creating the tables (--migrations, default migrations/ next to
 * the spec), and report what was inferred (stderr; --format json: stdout).
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "data/infer.h"
#include "migrate/migration_files.h"
#include "util/strbuf.h"

static const char infer_usage[] = "dbsage infer [--out dbsage.yaml] [--migrations DIR] [--dialect sqlite|pg] "
                                  "[--name NAME] [--format text|json] DIR...";
static const char infer_description[] =
    "Reads every document (JSON, NDJSON, YAML, Markdown with front matter, text) under\n"
    "the directories, groups the files into sources by directory structure and\n"
    "extension, and writes an import spec (docs/import-spec.md) and a migration\n"
    "creating the tables for `dbsage import --spec`.  Scalars become typed columns\n"
    "(widened when documents disagree), objects and arrays of scalars JSON columns,\n"
    "arrays of objects child tables.  The dialect defaults to DATABASE_URL's, else\n"
    "sqlite.  Exit 1 when some files were malformed (they are left out).";

static const char *rel_to(arena *mem, const char *from_dir, const char *path)
{
    char a[4096], b[4096];
    if (!realpath(from_dir, a) || !realpath(path, b))
        return path;
    size_t n = strlen(a);
    if (!strcmp(a, b))
        return ".";
    if (!strncmp(a, b, n) && (b[n] == '/' || n == 1))
        return arena_strdup(mem, b + (n == 1 ? 1 : n + 1));
    return arena_strdup(mem, b);
}

/* mkdir -p; 0 or -1 (errno) */
static int make_dirs(const char *path)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n >= sizeof buf)
        return -1;
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1;; p++)
        if (*p == '/' || !*p) {
            char c = *p;
            *p = 0;
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return -1;
            if (!c)
                return 0;
            *p = c;
        }
}

int cmd_infer(int argc, char **argv)
{
    const char *out_opt = "dbsage.yaml", *mig_opt = NULL, *dialect_opt = NULL, *name = "import_tables",
               *format = "text";
    bool force = false, no_migration = false;
    const cli_option opts[] = {
        {OPT_STRING, 'o', "out", &out_opt, "FILE", "the spec to write (default dbsage.yaml)"},
        {OPT_STRING, 'm', "migrations", &mig_opt, "DIR", "migration directory (default: migrations/ next to the spec)"},
        {OPT_STRING, 'd', "dialect", &dialect_opt, "sqlite|pg", "SQL dialect of the migration"},
        {OPT_STRING, 'n', "name", &name, "NAME", "name of the migration (default import_tables)"},
        {OPT_STRING, 'f', "format", &format, "FORMAT", "report: text (stderr, default) or json (stdout)"},
        {OPT_FLAG, 0, "force", &force, NULL, "overwrite an existing spec"},
        {OPT_FLAG, 0, "no-migration", &no_migration, NULL, "write only the spec"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    int n = cli_parse_options(argc, argv, opts, infer_usage, infer_description);
    if (n == -2)
        return EXIT_OK;
    if (n < 0)
        return EXIT_USAGE;
    if (n == 0) {
        fprintf(stderr, "dbsage: error: no DIR given\n");
        cli_usage(stderr, opts, infer_usage, NULL);
        return EXIT_USAGE;
    }
    if (strcmp(format, "text") && strcmp(format, "json")) {
        fprintf(stderr, "dbsage: error: unknown --format '%s' (text, json)\n", format);
        return EXIT_USAGE;
    }
    if (!*name || strchr(name, '/')) {
        fprintf(stderr, "dbsage: error: --name must be non-empty without '/'\n");
        return EXIT_USAGE;
    }
    dialect d;
    if (!cli_dialect_option(dialect_opt, &d))
        return EXIT_USAGE;
    if (d == DIALECT_UNKNOWN) {
        const char *url = getenv("DATABASE_URL");
        d = url && (!strncmp(url, "postgres", 8) || strstr(url, "host=") || strstr(url, "dbname="))
                ? DIALECT_PG
                : DIALECT_SQLITE;
    }
    struct stat st;
    if (!force && stat(out_opt, &st) == 0) {
        fprintf(stderr, "dbsage: error: %s exists (use --force to overwrite)\n", out_opt);
        return EXIT_USAGE;
    }
    for (int i = 0; i < n; i++)
        if (stat(argv[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
            fprintf(stderr, "dbsage: error: %s: not a directory\n", argv[i]);
            return EXIT_USAGE;
        }

    int rc = EXIT_OK;
    arena mem;
    arena_init(&mem);
    diag_list diags;
    diag_list_init(&diags, &mem);
    char *out_copy = arena_strdup(&mem, out_opt);
    const char *spec_dir = arena_strdup(&mem, dirname(out_copy));
    const char *mig_dir = mig_opt ? mig_opt : arena_printf(&mem, "%s/migrations", spec_dir);
    if (!mig_opt && !strcmp(spec_dir, "."))
        mig_dir = "migrations";

    if (make_dirs(spec_dir) != 0) {
        fprintf(stderr, "dbsage: error: cannot create %s: %s\n", spec_dir, strerror(errno));
        arena_free(&mem);
        return EXIT_USAGE;
    }
    infer_ctx *ix = infer_new(&mem, spec_dir);
    infer_exclude(ix, out_opt); /* `dbsage infer .` twice: not its own input */
    infer_exclude(ix, mig_dir);
    for (int i = 0; i < n; i++)
        if (infer_add_dir(ix, argv[i], &diags) < 0)
            rc = EXIT_USAGE;
    if (rc != EXIT_OK)
        goto done;
    infer_finish(ix);
    if (infer_table_count(ix) == 0) {
        fprintf(stderr, "dbsage: error: no documents found\n");
        rc = EXIT_USAGE;
        goto done;
    }

    const char *mig_path = NULL;
    if (!no_migration) {
        strbuf up = STRBUF_INIT, down = STRBUF_INIT;
        infer_write_up(ix, &up, d);
        infer_write_drop(ix, &down, d);
        migration_set set = {0};
        if (migration_set_load(&set, &mem, mig_dir, &diags) < 0 ||
            migration_write_new(&set, name, strbuf_str(&up), strbuf_str(&down), false, &mig_path, &diags) < 0)
            rc = EXIT_USAGE;
        strbuf_release(&up);
        strbuf_release(&down);
        if (rc != EXIT_OK)
            goto done;
    }

    strbuf spec = STRBUF_INIT;
    infer_write_spec(ix, &spec, no_migration ? NULL : arena_printf(&mem, "%s/", rel_to(&mem, spec_dir, mig_dir)));
    FILE *f = fopen(out_opt, "w");
    if (!f || fwrite(strbuf_str(&spec), 1, spec.len, f) != spec.len || fclose(f) != 0) {
        fprintf(stderr, "dbsage: error: cannot write %s: %s\n", out_opt, strerror(errno));
        strbuf_release(&spec);
        rc = EXIT_USAGE;
        goto done;
    }
    strbuf_release(&spec);

    strbuf rep = STRBUF_INIT;
    if (!strcmp(format, "json")) {
        infer_report_json(ix, &rep);
        fwrite(strbuf_str(&rep), 1, rep.len, stdout);
    } else {
        infer_report_text(ix, &rep);
        fwrite(strbuf_str(&rep), 1, rep.len, stderr);
    }
    strbuf_release(&rep);
    fprintf(stderr, "wrote %s%s%s (%s)\n", out_opt, mig_path ? " and " : "", mig_path ? mig_path : "",
            dialect_name(d));
    if (infer_malformed_count(ix))
        rc = EXIT_FINDINGS;

done:
    cli_print_diags(&diags);
    infer_free(ix);
    arena_free(&mem);
    return rc;
}
