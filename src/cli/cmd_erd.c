/*
 * cmd_erd.c — `dbsage erd`: the entity-relationship diagram of one or more
 * sources as SVG (Graphviz), Mermaid or DOT.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "report/report.h"
#include "util/strbuf.h"

static const char erd_usage[] =
    "dbsage erd [--dialect pg|sqlite] [--schema NAME]... [--format svg|mermaid|dot] [-o FILE] SOURCE...";
static const char erd_description[] =
    "Draws the tables of the sources (SQL files, directories, SQLite or PostgreSQL\n"
    "databases; DATABASE_URL when no SOURCE is given) with their columns, types and\n"
    "PK/FK markers, and one edge per foreign key labelled with its columns.";

int cmd_erd(int argc, char **argv)
{
    const char *dialect_opt = NULL, *format = "svg", *output = NULL;
    cli_strlist schemas = {0};
    const cli_option opts[] = {
        {OPT_STRING, 'd', "dialect", &dialect_opt, "pg|sqlite", "force the SQL dialect of file sources"},
        {OPT_STRING_LIST, 's', "schema", &schemas, "NAME", "only objects in this schema (repeatable)"},
        {OPT_STRING, 'f', "format", &format, "FORMAT", "svg (default), mermaid or dot"},
        {OPT_STRING, 'o', "output", &output, "FILE", "write to FILE instead of standard output"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    int n = cli_parse_options(argc, argv, opts, erd_usage, erd_description);
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

    if (strcmp(format, "svg") && strcmp(format, "mermaid") && strcmp(format, "dot")) {
        fprintf(stderr, "dbsage: error: unknown --format '%s' (svg, mermaid, dot)\n", format);
        rc = EXIT_USAGE;
        goto done;
    }
    cat = cli_load_args(argv, n, dialect_opt, &schemas, opts, erd_usage, &mem, &diags, &rc);
    if (!cat)
        goto done;
    if (!strcmp(format, "mermaid")) {
        erd_mermaid(&out, cat);
    } else {
        erd_dot(&out, cat);
        if (!strcmp(format, "svg")) {
            strbuf svg = STRBUF_INIT;
            if (erd_svg(&svg, strbuf_str(&out), &diags) < 0) {
                strbuf_release(&svg);
                rc = EXIT_USAGE;
                goto done;
            }
            strbuf_release(&out);
            out = svg;
        }
    }
    FILE *f = output ? fopen(output, "w") : stdout;
    if (!f) {
        src_loc loc = {output, 0, 0};
        diag_error(&diags, loc, "cannot write: %s", strerror(errno));
        rc = EXIT_USAGE;
        goto done;
    }
    fwrite(strbuf_str(&out), 1, out.len, f);
    if (output && fclose(f) != 0) {
        src_loc loc = {output, 0, 0};
        diag_error(&diags, loc, "write failed: %s", strerror(errno));
        rc = EXIT_USAGE;
    }

done:
    strbuf_release(&out);
    cli_print_diags(&diags);
    catalog_free(cat);
    arena_free(&mem);
    cli_strlist_free(&schemas);
    return rc;
}
