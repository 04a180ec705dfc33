/*
 * cmd_inventory.c — `dbsage inventory PATH... [--against URL]`: what schema
 * material a repository holds (files by class, migration sequences, objects
 * defined in several places with verdicts, a recommended source of truth)
 * and, with --against, how a live database relates to it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/inventory.h"
#include "cli/cli.h"
#include "util/strbuf.h"

static const char inventory_usage[] =
    "dbsage inventory [--against URL] [--format text|json|markdown] [-o FILE] [PATH...]";
static const char inventory_description[] =
    "Walks PATHs (default: .) for schema material: .sql files of either dialect and SQL in\n"
    "Python/JavaScript/TypeScript string literals; vendored and generated folders (node_modules,\n"
    "vendor, dist, build, ...) are skipped.  Classifies each file, checks migration sequences for\n"
    "numbering collisions and gaps, lists every object defined in more than one place with a\n"
    "verdict (identical, compatible, conflicting) and the exact differences, and recommends a\n"
    "source of truth.  --against URL (`-`: DATABASE_URL) compares with a live PostgreSQL or SQLite\n"
    "database and reads the tracking tables of dbmate, golang-migrate, Flyway, Sqitch, Atlas, dbsage.\n"
    "Exit: 0 ok, 1 conflicting definitions found, 2 usage or I/O errors.";

int cmd_inventory(int argc, char **argv)
{
    const char *format = "text", *against = NULL, *output = NULL;
    const cli_option opts[] = {
        {OPT_STRING, 'a', "against", &against, "URL", "compare with a live database (`-`: DATABASE_URL)"},
        {OPT_STRING, 'f', "format", &format, "FORMAT", "text (default), json or markdown"},
        {OPT_STRING, 'o', "output", &output, "FILE", "write to FILE instead of standard output"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    int n = cli_parse_options(argc, argv, opts, inventory_usage, inventory_description);
    if (n == -2)
        return EXIT_OK;
    if (n < 0)
        return EXIT_USAGE;
    if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "markdown") && strcmp(format, "md")) {
        fprintf(stderr, "dbsage: error: unknown --format '%s' (text, json, markdown)\n", format);
        return EXIT_USAGE;
    }
    if (against && (!*against || !strcmp(against, "-"))) {
        against = getenv("DATABASE_URL");
        if (!against || !*against) {
            fprintf(stderr, "dbsage: error: --against - needs DATABASE_URL\n");
            return EXIT_USAGE;
        }
    }
    const char *dot[1] = {"."};
    const char *const *paths = n ? (const char *const *)argv : dot;
    size_t npaths = n ? (size_t)n : 1;

    int rc = EXIT_OK;
    arena mem;
    arena_init(&mem);
    diag_list diags;
    diag_list_init(&diags, &mem);
    inventory inv;
    inventory_init(&inv);
    if (inventory_scan(&inv, paths, npaths, &diags) < 0)
        rc = EXIT_USAGE;
    if (rc == EXIT_OK && against && inventory_against_live(&inv, against, &diags) < 0)
        rc = EXIT_USAGE;
    if (rc == EXIT_OK) {
        strbuf out = STRBUF_INIT;
        if (!strcmp(format, "json"))
            inventory_report_json(&out, &inv);
        else if (!strcmp(format, "text"))
            inventory_report_text(&out, &inv);
        else
            inventory_report_markdown(&out, &inv);
        FILE *f = output ? fopen(output, "w") : stdout;
        if (!f) {
            src_loc loc = {output, 0, 0};
            diag_error(&diags, loc, "cannot write: %s", strerror(errno));
            rc = EXIT_USAGE;
        } else {
            fwrite(strbuf_str(&out), 1, out.len, f);
            if (output && fclose(f) != 0) {
                src_loc loc = {output, 0, 0};
                diag_error(&diags, loc, "write failed: %s", strerror(errno));
                rc = EXIT_USAGE;
            }
        }
        strbuf_release(&out);
        if (rc == EXIT_OK && inv.n_conflicting > 0)
            rc = EXIT_FINDINGS;
    }
    cli_print_diags(&diags);
    inventory_free(&inv);
    arena_free(&mem);
    return rc;
}
