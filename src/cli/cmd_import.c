/*
 * cmd_import.c — `dbsage import --spec FILE`: runs the spec's migrations,
 * checks its tables and columns against the target, imports (data/import.h),
 * writes the reject report (NDJSON), shows progress on stderr and prints the
 * summary (text or JSON).  Exit: 0 ok, 1 rows rejected or files malformed,
 * 2 usage, spec, connection or I/O errors.
 */
#include "cli/cmd_import.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "migrate/migrate.h"
#include "util/strbuf.h"
#include "util/url.h"

static const char import_usage[] =
    "dbsage import --spec FILE [--into URL] [--strict] [--reject-file FILE] [--source NAME]...\n"
    "              [--force] [--progress|--no-progress] [--format text|json]";
static const char import_description[] =
    "Loads document files (JSON, NDJSON, YAML, Markdown, text) into tables as the spec says\n"
    "(docs/import-spec.md).  Runs the spec's migrations: first.  Files whose content hash is\n"
    "unchanged since their last import are skipped (dbsage_imports); --force imports them again.\n"
    "Connection: --into, else the spec's into:, else $DATABASE_URL, else ./.env, else dbsage.db.\n"
    "Rejected rows and malformed files go to the reject file (default: dbsage-rejects.ndjson in\n"
    "the current directory, never into the source tree; written only when something is rejected).\n"
    "Exit: 0 ok, 1 rows rejected or files malformed, 2 usage/spec/connection/I/O errors.";

db_conn *cli_import_open(const char *spec_path, const char *into, arena *mem, diag_list *diags,
                         import_spec **spec_out, int *rc)
{
    *rc = EXIT_USAGE;
    import_spec *spec = spec_load(mem, spec_path, diags);
    if (!spec)
        return NULL;
    const char *url = cli_resolve_url(into, spec->into, mem);
    /* a relative SQLite path of the spec's into: is relative to the spec */
    if (!(into && *into) && spec->into && !strcmp(url, spec->into) && !url_is_postgres(url) &&
        strcmp(spec->base_dir, ".")) {
        const char *p = url_is_sqlite(url) ? url_sqlite_path(mem, url) : url;
        if (p && p[0] != '/' && strcmp(p, ":memory:"))
            url = arena_printf(mem, "%s/%s", spec->base_dir, p);
    }
    db_open_opts oo = {.create = true};
    db_conn *db = db_open(url, &oo, diags);
    if (!db)
        return NULL;
    *spec_out = spec;
    *rc = EXIT_OK;
    return db;
}

static const char *fmt_count(char *buf, size_t n, int64_t v)
{
    snprintf(buf, n, "%lld", (long long)v);
    return buf;
}

void cli_import_summary(FILE *out, const import_result *res, bool json, bool verify, const char *target)
{
    strbuf o = STRBUF_INIT;
    if (json) {
        strbuf_adds(&o, "{\"target\":");
        strbuf_add_json_string(&o, target);
        strbuf_addf(&o, ",\"files\":%lld,\"imported\":%lld,\"skipped\":%lld,\"malformed\":%lld,\"documents\":%lld,"
                        "\"rows\":%lld,\"rejected\":%lld,\"bytes\":%lld,\"aborted\":%s",
                    (long long)res->files, (long long)res->imported, (long long)res->skipped,
                    (long long)res->malformed, (long long)res->docs, (long long)res->rows, (long long)res->rejected,
                    (long long)res->bytes, res->aborted ? "true" : "false");
        strbuf_adds(&o, ",\"sources\":[");
        for (size_t i = 0; i < res->sources.n; i++) {
            const import_source_stats *s = &res->sources.v[i];
            strbuf_adds(&o, i ? ",{\"name\":" : "{\"name\":");
            strbuf_add_json_string(&o, s->name);
            strbuf_addf(&o, ",\"files\":%lld,\"imported\":%lld,\"skipped\":%lld,\"malformed\":%lld,"
                            "\"documents\":%lld,\"rows\":%lld,\"rejected\":%lld",
                        (long long)s->files, (long long)s->imported, (long long)s->skipped,
                        (long long)s->malformed, (long long)s->docs, (long long)s->rows, (long long)s->rejected);
            if (verify)
                strbuf_addf(&o, ",\"not_imported\":%lld", (long long)s->not_imported);
            strbuf_adds(&o, ",\"tables\":[");
            for (size_t t = 0; t < s->tables.n; t++) {
                strbuf_adds(&o, t ? ",{\"table\":" : "{\"table\":");
                strbuf_add_json_string(&o, s->tables.v[t].table);
                strbuf_addf(&o, ",\"rows\":%lld,\"rejected\":%lld}", (long long)s->tables.v[t].rows,
                            (long long)s->tables.v[t].rejected);
            }
            strbuf_adds(&o, "]}");
        }
        strbuf_adds(&o, "]");
        if (verify) {
            strbuf_adds(&o, ",\"tables\":[");
            for (size_t t = 0; t < res->tables.n; t++) {
                const import_table_stats *ts = &res->tables.v[t];
                strbuf_adds(&o, t ? ",{\"table\":" : "{\"table\":");
                strbuf_add_json_string(&o, ts->table);
                strbuf_addf(&o, ",\"expected\":%lld,\"counted\":%lld,\"ok\":%s}", (long long)ts->expected,
                            (long long)ts->counted, ts->expected == ts->counted ? "true" : "false");
            }
            strbuf_addf(&o, "],\"mismatches\":%lld", (long long)res->mismatches);
        }
        strbuf_adds(&o, "}\n");
    } else {
        char a[32], b[32], c[32], d[32], e[32];
        strbuf_addf(&o, "%-28s %8s %8s %8s %9s %10s %9s\n", "SOURCE / TABLE", "FILES", "SKIPPED", "MALFORM",
                    "DOCUMENTS", "ROWS", "REJECTED");
        for (size_t i = 0; i < res->sources.n; i++) {
            const import_source_stats *s = &res->sources.v[i];
            strbuf_addf(&o, "%-28s %8lld %8lld %8lld %9s %10s %9s\n", s->name, (long long)s->files,
                        (long long)s->skipped, (long long)s->malformed, fmt_count(a, sizeof a, s->docs),
                        fmt_count(b, sizeof b, s->rows), fmt_count(c, sizeof c, s->rejected));
            for (size_t t = 0; t < s->tables.n; t++)
                strbuf_addf(&o, "  %-26s %8s %8s %8s %9s %10s %9s\n", s->tables.v[t].table, "", "", "", "",
                            fmt_count(d, sizeof d, s->tables.v[t].rows),
                            fmt_count(e, sizeof e, s->tables.v[t].rejected));
            if (verify && s->not_imported)
                strbuf_addf(&o, "  %lld file(s) not imported or changed since\n", (long long)s->not_imported);
        }
        strbuf_addf(&o, "%-28s %8lld %8lld %8lld %9lld %10lld %9lld\n", "total", (long long)res->files,
                    (long long)res->skipped, (long long)res->malformed, (long long)res->docs, (long long)res->rows,
                    (long long)res->rejected);
        if (verify) {
            strbuf_addf(&o, "\n%-28s %10s %10s\n", "TABLE", "EXPECTED", "IN TARGET");
            for (size_t t = 0; t < res->tables.n; t++) {
                const import_table_stats *ts = &res->tables.v[t];
                strbuf_addf(&o, "%-28s %10lld %10lld%s\n", ts->table, (long long)ts->expected,
                            (long long)ts->counted, ts->expected == ts->counted ? "" : "  MISMATCH");
            }
            strbuf_addf(&o, "%s\n", res->mismatches ? "verify: MISMATCH" : "verify: ok");
        }
    }
    fputs(strbuf_str(&o), out);
    strbuf_release(&o);
}

/* ---- rejects and progress ------------------------------------------------------ */

typedef struct ui {
    const char *reject_path;
    FILE *rejects;
    bool reject_open_failed;
    int64_t shown;
    bool tty, progress;
    double start, last;
    int64_t last_files;
} ui;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_reject(void *ud, const import_reject *r)
{
    ui *u = ud;
    if (u->shown < 20)
        fprintf(stderr, "%s:%u:%u: %s: %s%s\n", r->path, r->line, r->col, r->table ? "rejected" : "malformed",
                r->reason, r->table ? "" : " (none of the file's rows written)");
    else if (u->shown == 20)
        fprintf(stderr, "dbsage: more rejects in %s\n", u->reject_path);
    u->shown++;
    if (!u->rejects && !u->reject_open_failed) {
        u->rejects = fopen(u->reject_path, "w");
        if (!u->rejects) {
            u->reject_open_failed = true;
            fprintf(stderr, "dbsage: error: cannot write %s: %s\n", u->reject_path, strerror(errno));
            return;
        }
    }
    if (!u->rejects)
        return;
    strbuf o = STRBUF_INIT;
    strbuf_adds(&o, "{\"source\":");
    strbuf_add_json_string(&o, r->source);
    strbuf_adds(&o, ",\"path\":");
    strbuf_add_json_string(&o, r->path);
    strbuf_addf(&o, ",\"line\":%u,\"col\":%u,\"table\":", r->line, r->col);
    if (r->table)
        strbuf_add_json_string(&o, r->table);
    else
        strbuf_adds(&o, "null");
    strbuf_adds(&o, ",\"reason\":");
    strbuf_add_json_string(&o, r->reason);
    strbuf_adds(&o, "}\n");
    fputs(strbuf_str(&o), u->rejects);
    strbuf_release(&o);
}

static void on_progress(void *ud, const import_progress *p)
{
    ui *u = ud;
    if (!u->progress)
        return;
    double t = now_s();
    double every = u->tty ? 0.1 : 5.0;
    if (!p->final && t - u->last < every)
        return;
    if (p->final && !u->tty && u->last == u->start)
        return; /* short runs: no plain line */
    u->last = t;
    double el = t - u->start;
    double mbs = el > 0 ? (double)p->bytes / 1e6 / el : 0;
    double eta = p->files_done > 0 ? el * (double)(p->files_total - p->files_done) / (double)p->files_done : 0;
    if (u->tty) {
        int width = 30;
        int fill = p->files_total ? (int)(width * p->files_done / p->files_total) : width;
        fprintf(stderr, "\r[%.*s%*s] %lld/%lld files  %lld rows  %.1f MB/s  ETA %.0fs ", fill,
                "##############################", width - fill, "", (long long)p->files_done,
                (long long)p->files_total, (long long)p->rows, mbs, eta);
        if (p->final)
            fputc('\n', stderr);
    } else {
        fprintf(stderr, "dbsage import: %lld/%lld files, %lld rows, %.1f MB/s, ETA %.0fs\n",
                (long long)p->files_done, (long long)p->files_total, (long long)p->rows, mbs, eta);
    }
    fflush(stderr);
}

/* ---- migrations ------------------------------------------------------------------ */

static int run_migrations(const import_spec *spec, db_conn *db, arena *mem, diag_list *diags)
{
    migration_set set;
    if (migration_set_load(&set, mem, spec->migrations, diags) < 0)
        return -1;
    migrate_ctx ctx = {.mem = mem, .db = db, .files = &set, .lock_timeout_ms = 60000};
    if (migrate_begin(&ctx, true, diags) < 0) {
        migrate_end(&ctx);
        return -1;
    }
    migrate_step_list steps = {0};
    int rc = migrate_up(&ctx, NULL, &steps, diags);
    migrate_end(&ctx);
    for (size_t i = 0; i < steps.n; i++)
        fprintf(stderr, "dbsage import: applied migration %s %s\n", steps.v[i].version, steps.v[i].name);
    return rc;
}

int cmd_import(int argc, char **argv)
{
    const char *spec_path = NULL, *into = NULL, *reject_file = NULL, *format = "text";
    bool strict = false, force = false, progress = false, no_progress = false;
    cli_strlist only = {0};
    const cli_option opts[] = {
        {OPT_STRING, 0, "spec", &spec_path, "FILE", "the import spec (docs/import-spec.md)"},
        {OPT_STRING, 0, "into", &into, "URL", "target database (default: spec into:, $DATABASE_URL, .env, dbsage.db)"},
        {OPT_FLAG, 0, "strict", &strict, NULL, "stop at the first rejected row or malformed file"},
        {OPT_STRING, 0, "reject-file", &reject_file, "FILE", "NDJSON reject report (default: ./dbsage-rejects.ndjson)"},
        {OPT_STRING_LIST, 0, "source", &only, "NAME", "import only this source (repeatable)"},
        {OPT_FLAG, 0, "force", &force, NULL, "import files even when their hash is unchanged"},
        {OPT_FLAG, 0, "progress", &progress, NULL, "progress on stderr even when it is not a terminal"},
        {OPT_FLAG, 0, "no-progress", &no_progress, NULL, "no progress output"},
        {OPT_STRING, 'f', "format", &format, "FORMAT", "text (default) or json"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    int n = cli_parse_options(argc, argv, opts, import_usage, import_description);
    if (n == -2)
        return EXIT_OK;
    if (n < 0)
        return EXIT_USAGE;
    if (n > 0 || !spec_path) {
        fprintf(stderr, "dbsage: error: %s\n", n > 0 ? "import takes no positional arguments" : "import needs --spec FILE");
        cli_usage(stderr, opts, import_usage, import_description);
        cli_strlist_free(&only);
        return EXIT_USAGE;
    }
    if (strcmp(format, "text") && strcmp(format, "json")) {
        fprintf(stderr, "dbsage: error: unknown --format '%s' (text, json)\n", format);
        cli_strlist_free(&only);
        return EXIT_USAGE;
    }
    arena mem;
    arena_init(&mem);
    diag_list diags;
    diag_list_init(&diags, &mem);
    import_spec *spec = NULL;
    int rc;
    db_conn *db = cli_import_open(spec_path, into, &mem, &diags, &spec, &rc);
    if (!db)
        goto done;
    for (size_t i = 0; i < only.n; i++)
        if (!spec_find_source(spec, only.v[i])) {
            fprintf(stderr, "dbsage: error: the spec has no source '%s'\n", only.v[i]);
            rc = EXIT_USAGE;
            goto done;
        }
    if (spec->migrations && run_migrations(spec, db, &mem, &diags) < 0) {
        rc = EXIT_USAGE;
        goto done;
    }
    if (spec_check_target(spec, db, &diags) < 0) {
        rc = EXIT_USAGE;
        goto done;
    }
    ui u = {.reject_path = reject_file ? reject_file : "dbsage-rejects.ndjson",
            .tty = isatty(2) != 0};
    u.progress = !no_progress && (progress || u.tty);
    u.start = u.last = now_s();
    import_opts o = {.strict = strict, .force = force, .only = only.v, .n_only = only.n, .on_reject = on_reject,
                     .on_progress = on_progress, .ud = &u};
    const char *e = getenv("DBSAGE_IMPORT_BATCH_FILES");
    if (e)
        o.batch_files = atoi(e);
    import_result res;
    int r = import_run(spec, db, &o, &res, &mem, &diags);
    if (u.rejects)
        fclose(u.rejects);
    if (r < 0) {
        rc = EXIT_USAGE;
        goto done;
    }
    cli_import_summary(stdout, &res, !strcmp(format, "json"), false, db_spec_masked(db));
    if (res.aborted)
        fprintf(stderr, "dbsage: error: --strict: stopped at the first reject (the files before it are imported)\n");
    rc = r ? EXIT_FINDINGS : EXIT_OK;
done:
    cli_print_diags(&diags);
    if (db)
        db_close(db);
    cli_strlist_free(&only);
    arena_free(&mem);
    return rc;
}
