/*
 * cmd_inspect.c — `dbsage inspect`: read one or more sources into one
 * catalog and print it as canonical SQL, JSON or Markdown.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "cli/cli.h"
#include "emit/emit.h"
#include "util/strbuf.h"

static const char inspect_usage[] =
    "dbsage inspect [--dialect pg|sqlite] [--schema NAME]... [--format sql|json|markdown] SOURCE...";
static const char inspect_description[] =
    "Reads SQL files (interpreted in order), directories of .sql files (version order),\n"
    "live SQLite databases (PATH or sqlite:PATH) and live PostgreSQL databases\n"
    "(postgres://..., libpq keyword strings; DATABASE_URL when no SOURCE is given)\n"
    "into one catalog and prints it.";

int cmd_inspect(int argc, char **argv)
{
    const char *dialect_opt = NULL, *format = "sql", *output = NULL;
    bool no_provenance = false;
    cli_strlist schemas = {0};
    const cli_option opts[] = {
        {OPT_STRING, 'd', "dialect", &dialect_opt, "pg|sqlite", "force the SQL dialect of file sources"},
        {OPT_STRING_LIST, 's', "schema", &schemas, "NAME", "only objects in this schema (repeatable)"},
        {OPT_STRING, 'f', "format", &format, "FORMAT", "sql (default), json or markdown"},
        {OPT_FLAG, 0, "no-provenance", &no_provenance, NULL, "json: leave out file:line:col provenance"},
        {OPT_STRING, 'o', "output", &output, "FILE", "write to FILE instead of standard output"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    int n = cli_parse_options(argc, argv, opts, inspect_usage, inspect_description);
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

    if (strcmp(format, "sql") && strcmp(format, "json") && strcmp(format, "markdown") &&
        strcmp(format, "md")) {
        fprintf(stderr, "dbsage: error: unknown --format '%s' (sql, json, markdown)\n", format);
        rc = EXIT_USAGE;
        goto done;
    }
    cat = cli_load_args(argv, n, dialect_opt, &schemas, opts, inspect_usage, &mem, &diags, &rc);
    if (!cat)
        goto done;

    strbuf out = STRBUF_INIT;
    emit_opts eopts = {!no_provenance, true};
    if (!strcmp(format, "sql"))
        emit_sql(&out, cat, &eopts);
    else if (!strcmp(format, "json"))
        emit_json(&out, cat, &eopts);
    else
        emit_markdown(&out, cat, &eopts);
    FILE *f = stdout;
    if (output) {
        f = fopen(output, "w");
        if (!f) {
            src_loc loc = {output, 0, 0};
            diag_error(&diags, loc, "cannot write: %s", strerror(errno));
            strbuf_release(&out);
            rc = EXIT_USAGE;
            goto done;
        }
    }
    fwrite(strbuf_str(&out), 1, out.len, f);
    if (output && fclose(f) != 0) {
        src_loc loc = {output, 0, 0};
        diag_error(&diags, loc, "write failed: %s", strerror(errno));
        rc = EXIT_USAGE;
    }
    strbuf_release(&out);

done:
    cli_print_diags(&diags);
    catalog_free(cat);
    arena_free(&mem);
    cli_strlist_free(&schemas);
    return rc;
}
