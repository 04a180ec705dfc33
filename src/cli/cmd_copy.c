/*
 * cmd_copy.c — `dbsage copy`: database-to-database copy (SQLite <->
 * PostgreSQL, PG -> PG, SQLite -> SQLite), whole databases or --tables.
 * Parses options, opens both ends, prints the pre-flight profile (every
 * lossy / risky cast) before any row moves, applies the schema plan, runs
 * the resumable loader and reports.  The work is in src/data (copy.h).
 *
 * Exit codes: 0 copied (or planned with --dry-run); 1 refused (existing
 * target tables with incompatible types) or a copy error; 2 usage or
 * connection errors.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "data/copy.h"
#include "util/strbuf.h"
#include "util/url.h"

static const char copy_usage[] =
    "dbsage copy --from URL [--to URL] [--tables T,...] [--spec FILE] [--schema-only|--data-only]\n"
    "            [--batch N] [--resume|--restart] [--dry-run] [--allow-incompatible] [--format text|json]";
static const char copy_description[] =
    "Copy tables between databases: SQLite -> PostgreSQL, PostgreSQL -> SQLite, PostgreSQL -> PostgreSQL,\n"
    "SQLite -> SQLite.  The target schema is created through the catalog and diff engine when absent;\n"
    "existing target tables must have compatible types (else refused, unless --allow-incompatible).\n"
    "A profile of the stored values lists every lossy or risky cast before any row moves.  Rows move in\n"
    "chunks of --batch rows (default 10000), each committed with its progress in dbsage_copy_progress:\n"
    "a killed copy resumes where it stopped (--resume, the default); --restart empties the targets first.\n"
    "--to defaults to $DATABASE_URL.  Exit: 0 ok, 1 refused or copy error, 2 usage/connection errors.";

static void split_list(const char *s, arena *mem, strvec *out)
{
    while (s && *s) {
        size_t n = strcspn(s, ",");
        if (n)
            VEC_PUSH(mem, *out, arena_strndup(mem, s, n));
        s += n;
        if (*s == ',')
            s++;
    }
}

static void print_profile_text(FILE *f, const copy_profile *p)
{
    if (!p->findings.n) {
        fprintf(f, "profile: no lossy or risky casts\n");
        return;
    }
    fprintf(f, "profile: %zu finding(s) before copying:\n", p->findings.n);
    for (size_t i = 0; i < p->findings.n; i++) {
        const profile_finding *x = &p->findings.v[i];
        fprintf(f, "  %s.%s: %s [%s]: %s", x->table, x->column, x->lossy ? "lossy" : "risky", x->kind, x->message);
        if (x->example)
            fprintf(f, " (e.g. %s)", x->example);
        fputc('\n', f);
    }
}

static void json_profile(strbuf *sb, const copy_profile *p)
{
    strbuf_adds(sb, "\"profile\":{\"tables\":[");
    for (size_t i = 0; i < p->tables.n; i++) {
        const profile_table *t = p->tables.v[i];
        strbuf_adds(sb, i ? ",{\"schema\":" : "{\"schema\":");
        strbuf_add_json_string(sb, t->schema);
        strbuf_adds(sb, ",\"table\":");
        strbuf_add_json_string(sb, t->name);
        strbuf_addf(sb, ",\"rows\":%lld,\"columns\":[", (long long)t->rows);
        for (size_t k = 0; k < t->cols.n; k++) {
            const profile_column *c = &t->cols.v[k];
            strbuf_adds(sb, k ? ",{\"name\":" : "{\"name\":");
            strbuf_add_json_string(sb, c->name);
            strbuf_adds(sb, ",\"source_type\":");
            strbuf_add_json_string(sb, c->source_type);
            strbuf_adds(sb, ",\"target_type\":");
            strbuf_add_json_string(sb, c->target_type);
            strbuf_adds(sb, ",\"conversion\":");
            strbuf_add_json_string(sb, copy_conv_name(c->conv));
            strbuf_addf(sb,
                        ",\"null\":%lld,\"integer\":%lld,\"real\":%lld,\"text\":%lld,\"blob\":%lld}",
                        (long long)c->n_null, (long long)c->n_int, (long long)c->n_real, (long long)c->n_text,
                        (long long)c->n_blob);
        }
        strbuf_adds(sb, "]}");
    }
    strbuf_adds(sb, "],\"findings\":[");
    for (size_t i = 0; i < p->findings.n; i++) {
        const profile_finding *x = &p->findings.v[i];
        strbuf_adds(sb, i ? ",{\"table\":" : "{\"table\":");
        strbuf_add_json_string(sb, x->table);
        strbuf_adds(sb, ",\"column\":");
        strbuf_add_json_string(sb, x->column);
        strbuf_adds(sb, ",\"kind\":");
        strbuf_add_json_string(sb, x->kind);
        strbuf_addf(sb, ",\"lossy\":%s,\"count\":%lld,\"source_type\":", x->lossy ? "true" : "false",
                    (long long)x->count);
        strbuf_add_json_string(sb, x->source_type);
        strbuf_adds(sb, ",\"target_type\":");
        strbuf_add_json_string(sb, x->target_type);
        strbuf_adds(sb, ",\"example\":");
        strbuf_add_json_string(sb, x->example);
        strbuf_adds(sb, ",\"message\":");
        strbuf_add_json_string(sb, x->message);
        strbuf_addch(sb, '}');
    }
    strbuf_adds(sb, "]}");
}

static void json_result(strbuf *sb, const copy_result *r)
{
    strbuf_adds(sb, "\"tables\":[");
    for (size_t i = 0; i < r->tables.n; i++) {
        const copy_table_result *t = &r->tables.v[i];
        strbuf_adds(sb, i ? ",{\"table\":" : "{\"table\":");
        strbuf_add_json_string(sb, t->name);
        strbuf_addf(sb, ",\"rows\":%lld,\"rows_total\":%lld,\"chunks\":%lld,\"skipped_done\":%s,\"resumed\":%s}",
                    (long long)t->rows, (long long)t->rows_total, (long long)t->chunks,
                    t->skipped_done ? "true" : "false", t->resumed ? "true" : "false");
    }
    strbuf_addf(sb, "],\"rows\":%lld", (long long)r->rows);
}

int cmd_copy(int argc, char **argv)
{
    const char *from = NULL, *to = NULL, *tables_opt = NULL, *spec = NULL, *format = "text";
    bool schema_only = false, data_only = false, resume = false, restart = false, dry_run = false;
    bool allow_incompatible = false;
    int batch = 10000;
    cli_option opts[] = {
        {OPT_STRING, 0, "from", &from, "URL", "source database (postgres://..., sqlite:PATH or a path)"},
        {OPT_STRING, 0, "to", &to, "URL", "target database (default $DATABASE_URL; SQLite files are created)"},
        {OPT_STRING, 0, "tables", &tables_opt, "T,...", "only these tables (name or schema.name)"},
        {OPT_STRING, 0, "spec", &spec, "FILE", "copy.yaml: SELECT mappings, tenant schemas, key remapping"},
        {OPT_FLAG, 0, "schema-only", &schema_only, NULL, "create the target schema, copy no rows"},
        {OPT_FLAG, 0, "data-only", &data_only, NULL, "copy rows into existing tables, no DDL"},
        {OPT_INT, 0, "batch", &batch, "N", "rows per chunk and transaction (default 10000)"},
        {OPT_FLAG, 0, "resume", &resume, NULL, "continue an interrupted copy (the default)"},
        {OPT_FLAG, 0, "restart", &restart, NULL, "empty the target tables and start over"},
        {OPT_FLAG, 0, "dry-run", &dry_run, NULL, "profile and plan only; write nothing"},
        {OPT_FLAG, 0, "allow-incompatible", &allow_incompatible, NULL,
         "load into existing tables whose types conflict"},
        {OPT_STRING, 0, "format", &format, "FMT", "text (default) or json"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    int n = cli_parse_options(argc, argv, opts, copy_usage, copy_description);
    if (n == -2)
        return EXIT_OK;
    if (n < 0)
        return EXIT_USAGE;
    bool json = !strcmp(format, "json");
    if (n > 0 || (!json && strcmp(format, "text"))) {
        fprintf(stderr, n > 0 ? "dbsage: error: copy takes no positional arguments\n"
                              : "dbsage: error: --format must be text or json\n");
        return EXIT_USAGE;
    }
    if (!to)
        to = getenv("DATABASE_URL");
    if (!from || !to) {
        fprintf(stderr, "dbsage: error: copy needs --from and --to (or DATABASE_URL)\n");
        return EXIT_USAGE;
    }
    if ((schema_only && data_only) || (resume && restart) || batch <= 0) {
        fprintf(stderr, "dbsage: error: %s\n",
                batch <= 0 ? "--batch must be positive"
                : resume && restart ? "--resume and --restart exclude each other"
                                    : "--schema-only and --data-only exclude each other");
        return EXIT_USAGE;
    }
    if (spec && tables_opt) {
        fprintf(stderr, "dbsage: error: --spec and --tables exclude each other (the spec names its tables)\n");
        return EXIT_USAGE;
    }
    arena mem;
    arena_init(&mem);
    diag_list diags;
    diag_list_init(&diags, &mem);
    int rc = EXIT_OK;
    db_open_opts so = {0}, dso = {0};
    so.read_only = true;
    dso.create = true;
    db_conn *src = db_open(from, &so, &diags);
    db_conn *dst = src ? db_open(to, &dso, &diags) : NULL;
    if (!src || !dst) {
        cli_print_diags(&diags);
        if (src)
            db_close(src);
        arena_free(&mem);
        return EXIT_USAGE;
    }
    strvec tables = {0};
    split_list(tables_opt, &mem, &tables);
    copy_opts co;
    memset(&co, 0, sizeof co);
    co.batch = batch;
    co.restart = restart;
    co.dry_run = dry_run;
    co.schema_only = schema_only;
    co.data_only = data_only;
    co.allow_incompatible = allow_incompatible;
    copy_plan plan;
    memset(&plan, 0, sizeof plan);
    copy_result res;
    memset(&res, 0, sizeof res);
    if (spec) {
        /* the spec mode (src/data/copy_spec*.c): its own schema check and jobs; a
         * failure before any table ran is a spec / setup error */
        if (copy_spec_run(src, dst, spec, &co, &mem, &res, &diags) < 0)
            rc = res.tables.n ? EXIT_FINDINGS : EXIT_USAGE;
        plan.ddl = "";
    } else {
        int prc = copy_plan_build(from, to, src, dst, &tables, &co, &mem, &plan, &diags);
        if (!json) {
            print_profile_text(stdout, &plan.profile);
            fflush(stdout);  /* shown before any row moves, also through a pipe */
        }
        if (prc < 0)
            rc = plan.refused.n ? EXIT_FINDINGS : EXIT_USAGE;
    }
    if (rc == EXIT_OK && dry_run && !json && !spec) {
        printf("-- schema plan for %s\n%s", db_spec_masked(dst), *plan.ddl ? plan.ddl : "-- (nothing to create)\n");
        for (size_t i = 0; i < plan.jobs.n; i++)
            printf("would copy %s (%s)\n", plan.jobs.v[i].name,
                   plan.jobs.v[i].key_column ? plan.jobs.v[i].key_column : "one chunk");
    }
    if (rc == EXIT_OK && !spec && !dry_run && !data_only && copy_plan_apply_ddl(dst, &plan, &diags) < 0)
        rc = EXIT_FINDINGS;
    if (rc == EXIT_OK && !spec && !dry_run && !schema_only &&
        copy_run(src, dst, plan.jobs.v, plan.jobs.n, &co, &mem, &res, &diags) < 0)
        rc = EXIT_FINDINGS;
    if (json) {
        strbuf sb = STRBUF_INIT;
        strbuf_adds(&sb, "{\"from\":");
        strbuf_add_json_string(&sb, db_spec_masked(src));
        strbuf_adds(&sb, ",\"to\":");
        strbuf_add_json_string(&sb, db_spec_masked(dst));
        strbuf_addf(&sb, ",\"ok\":%s,\"dry_run\":%s,", rc == EXIT_OK ? "true" : "false", dry_run ? "true" : "false");
        json_profile(&sb, &plan.profile);
        strbuf_adds(&sb, ",\"ddl\":");
        strbuf_add_json_string(&sb, plan.ddl ? plan.ddl : "");
        strbuf_addch(&sb, ',');
        json_result(&sb, &res);
        strbuf_adds(&sb, "}\n");
        fputs(strbuf_str(&sb), stdout);
        strbuf_release(&sb);
    } else if (rc == EXIT_OK && !dry_run) {
        for (size_t i = 0; i < res.tables.n; i++) {
            const copy_table_result *t = &res.tables.v[i];
            printf("%s: %lld row(s)%s%s\n", t->name, (long long)t->rows,
                   t->skipped_done ? " (already done)" : "", t->resumed ? " (resumed)" : "");
        }
        printf("copied %lld row(s) in %zu table(s) from %s to %s\n", (long long)res.rows, res.tables.n,
               db_spec_masked(src), db_spec_masked(dst));
    }
    cli_print_diags(&diags);
    copy_plan_free(&plan);
    db_close(src);
    db_close(dst);
    arena_free(&mem);
    return rc;
}
