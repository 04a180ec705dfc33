/*
 * cmd_report.c — `dbsage report`: a self-contained offline schema report
 * (HTML with inline SVG ERD, Markdown with a Mermaid ERD, or JSON) of one or
 * more sources, optionally with the design lint findings.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/inventory.h"
#include "analysis/lint.h"
#include "cli/cli.h"
#include "cli/cmd_import.h"
#include "data/import.h"
#include "data/spec.h"
#include "db/db.h"
#include "migrate/migrate.h"
#include "migrate/migration_files.h"
#include "report/report.h"
#include "util/strbuf.h"

static const char report_usage[] =
    "dbsage report [--dialect pg|sqlite] [--schema NAME]... --out FILE.html|FILE.md|FILE.json\n"
    "              [--title T] [--lint] [--inventory PATH] [--migrations DIR --url URL]\n"
    "              [--spec FILE [--into URL]] SOURCE...";
static const char report_description[] =
    "Writes a report of the sources (SQL files, directories, SQLite or PostgreSQL\n"
    "databases; DATABASE_URL when no SOURCE is given): the ERD, per-table documentation\n"
    "(columns, types, nullability, defaults, comments, constraints, indexes, foreign keys\n"
    "in and out) and, with --lint, the design lint findings; with --inventory PATH the\n"
    "inventory of a repository (classes, sequences, conflicts); with --migrations DIR\n"
    "the migration status of the database --url (or DATABASE_URL); with --spec FILE the\n"
    "verification of that import (documents vs rows in its target).  The format follows the\n"
    "extension of --out.  HTML is one offline file: inline CSS and SVG, no scripts.";

int cmd_report(int argc, char **argv)
{
    const char *dialect_opt = NULL, *output = NULL, *title = NULL, *inv_path = NULL, *mig_dir = NULL,
               *url = NULL, *spec_path = NULL, *into = NULL;
    bool lint = false;
    cli_strlist schemas = {0};
    const cli_option opts[] = {
        {OPT_STRING, 'd', "dialect", &dialect_opt, "pg|sqlite", "force the SQL dialect of file sources"},
        {OPT_STRING_LIST, 's', "schema", &schemas, "NAME", "only objects in this schema (repeatable)"},
        {OPT_STRING, 'o', "out", &output, "FILE", "the report file: .html, .md or .json (required)"},
        {OPT_STRING, 't', "title", &title, "T", "report title (default \"Schema report\")"},
        {OPT_FLAG, 0, "lint", &lint, NULL, "include the design lint findings of the sources"},
        {OPT_STRING, 0, "inventory", &inv_path, "PATH", "include the inventory of the repository at PATH"},
        {OPT_STRING, 0, "migrations", &mig_dir, "DIR", "include the status of the migrations in DIR on --url"},
        {OPT_STRING, 0, "url", &url, "URL", "database of --migrations (default DATABASE_URL)"},
        {OPT_STRING, 0, "spec", &spec_path, "FILE", "include the verification of the import this spec describes"},
        {OPT_STRING, 0, "into", &into, "URL", "target of --spec (default: the spec's into:, DATABASE_URL)"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    int n = cli_parse_options(argc, argv, opts, report_usage, report_description);
    if (n == -2)
        return EXIT_OK;
    if (n < 0) {
        cli_strlist_free(&schemas);
        return EXIT_USAGE;
    }
    int rc = EXIT_OK;
    arena mem;
    arena_init(&mem);
    diag_list diags;
    diag_list_init(&diags, &mem);
    catalog *cat = NULL;
    strbuf out = STRBUF_INIT;
    report_format fmt = REPORT_HTML;
    inventory inv;
    bool inv_used = false;
    db_conn *db = NULL, *idb = NULL;
    migrate_ctx mctx = {0};
    bool mctx_begun = false;

    if (!output) {
        fprintf(stderr, "dbsage: error: --out FILE.html|FILE.md|FILE.json is required\n");
        cli_usage(stderr, opts, report_usage, NULL);
        rc = EXIT_USAGE;
        goto done;
    }
    if (!report_format_from_path(output, &fmt)) {
        fprintf(stderr, "dbsage: error: --out '%s': the extension must be .html, .md or .json\n", output);
        rc = EXIT_USAGE;
        goto done;
    }
    cat = cli_load_args(argv, n, dialect_opt, &schemas, opts, report_usage, &mem, &diags, &rc);
    if (!cat)
        goto done;

    lint_config cfg;
    lint_ctx lctx;
    if (lint) {
        lint_config_init(&cfg);
        lint_ctx_init(&lctx, &mem, &cfg);
        lint_design_run(&lctx, cat);
        lint_sort(&lctx);
    }
    report_input in = {.title = title, .cat = cat, .lint = lint ? &lctx : NULL};
    if (inv_path) {
        inventory_init(&inv);
        inv_used = true;
        const char *paths[1] = {inv_path};
        if (inventory_scan(&inv, paths, 1, &diags) < 0) {
            rc = EXIT_USAGE;
            goto done;
        }
        in.inv = &inv;
    }
    migrate_status_list mstatus = {0};
    migration_set set;
    if (mig_dir) {
        const char *db_url = url ? url : getenv("DATABASE_URL");
        if (!db_url || !*db_url) {
            fprintf(stderr, "dbsage: error: --migrations needs --url URL or DATABASE_URL\n");
            rc = EXIT_USAGE;
            goto done;
        }
        if (migration_set_load(&set, &mem, mig_dir, &diags) < 0) {
            rc = EXIT_USAGE;
            goto done;
        }
        db_open_opts dbo = {.create = false, .application_name = "dbsage report"};
        db = db_open(db_url, &dbo, &diags);
        if (!db) {
            rc = EXIT_USAGE;
            goto done;
        }
        mctx = (migrate_ctx){.mem = &mem, .db = db, .files = &set, .lock_timeout_ms = 0};
        mctx_begun = true;
        if (migrate_begin(&mctx, false, &diags) < 0) {
            rc = EXIT_USAGE;
            goto done;
        }
        migrate_status(&mctx, &mstatus);
        in.migrations = &mstatus;
        in.migrations_db = db_spec_masked(db);
    }
    import_result ires;
    if (spec_path) {
        import_spec *spec = NULL;
        int orc = EXIT_OK;
        idb = cli_import_open(spec_path, into, &mem, &diags, &spec, &orc);
        if (!idb) {
            rc = EXIT_USAGE;
            goto done;
        }
        if (spec_check_target(spec, idb, &diags) < 0) {
            rc = EXIT_USAGE;
            goto done;
        }
        import_opts io = {0};
        int r = import_verify(spec, idb, &io, &ires, &mem, &diags);
        if (r < 0) {
            rc = EXIT_USAGE;
            goto done;
        }
        if (r > 0 && rc == EXIT_OK)
            rc = EXIT_FINDINGS;
        in.import = &ires;
        in.import_db = db_spec_masked(idb);
    }
    if (report_render(&out, fmt, &in, &diags) < 0) {
        rc = EXIT_USAGE;
        goto done;
    }
    FILE *f = fopen(output, "w");
    if (!f) {
        src_loc loc = {output, 0, 0};
        diag_error(&diags, loc, "cannot write: %s", strerror(errno));
        rc = EXIT_USAGE;
        goto done;
    }
    fwrite(strbuf_str(&out), 1, out.len, f);
    if (fclose(f) != 0) {
        src_loc loc = {output, 0, 0};
        diag_error(&diags, loc, "write failed: %s", strerror(errno));
        rc = EXIT_USAGE;
    }

done:
    if (mctx_begun)
        migrate_end(&mctx);
    if (db)
        db_close(db);
    if (idb)
        db_close(idb);
    if (inv_used)
        inventory_free(&inv);
    strbuf_release(&out);
    cli_print_diags(&diags);
    catalog_free(cat);
    arena_free(&mem);
    cli_strlist_free(&schemas);
    return rc;
}
