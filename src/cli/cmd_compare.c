/*
 * cmd_compare.c — `dbsage compare A B`: read two sources, each in its own
 * dialect, and print the integration analysis of src/analysis/compare.h
 * (overlaps with scores, column compatibility, conflicts, one-side-only
 * objects, FK-graph hints) as text, JSON or Markdown.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare.h"
#include "cli/cli.h"
#include "util/strbuf.h"

static const char compare_usage[] =
    "dbsage compare [--format text|json|markdown] [--min-score N] [--schema-map A=B]...\n"
    "                      [--dialect-a pg|sqlite] [--dialect-b pg|sqlite] [--exit-code] [-o FILE] A [B]";
static const char compare_description[] =
    "Integration analysis of two schemas or databases: tables paired by name similarity and\n"
    "column overlap (score = (names + columns) / 2, greedy best-first, at least --min-score),\n"
    "column-level compatibility through portable type families (docs/type-mapping.md),\n"
    "conflicts, objects present on one side only, and FK-graph hints for mapping the rest.\n"
    "A and B are any inspect source (SQL file, directory, SQLite database, PostgreSQL URL),\n"
    "each read in its own dialect; B defaults to $DATABASE_URL.  Table names are compared\n"
    "without their schema; --schema-map A=B restricts tables of schema A (side A) to schema B\n"
    "(side B), repeatable.\n"
    "Exit: 0 analysis printed (with --exit-code: and no conflicts), 1 conflicts (--exit-code),\n"
    "2 usage or I/O errors.";

static int write_output(const char *output, const strbuf *out)
{
    FILE *f = stdout;
    if (output) {
        f = fopen(output, "w");
        if (!f) {
            fprintf(stderr, "dbsage: error: %s: cannot write: %s\n", output, strerror(errno));
            return -1;
        }
    }
    fwrite(strbuf_str(out), 1, out->len, f);
    if (output && fclose(f) != 0) {
        fprintf(stderr, "dbsage: error: %s: write failed: %s\n", output, strerror(errno));
        return -1;
    }
    return 0;
}

static bool parse_score(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || v < 0 || v > 1)
        return false;
    *out = v;
    return true;
}

int cmd_compare(int argc, char **argv)
{
    const char *format = "text", *output = NULL, *min_score = NULL, *dialect_a = NULL, *dialect_b = NULL;
    bool exit_code = false;
    cli_strlist maps = {0};
    const cli_option opts[] = {
        {OPT_STRING, 'f', "format", &format, "FORMAT", "text (default), json or markdown"},
        {OPT_STRING, 0, "min-score", &min_score, "N", "pairing threshold between 0 and 1 (default 0.5)"},
        {OPT_STRING_LIST, 0, "schema-map", &maps, "A=B", "pair tables of schema A only with schema B (repeatable)"},
        {OPT_STRING, 0, "dialect-a", &dialect_a, "pg|sqlite", "SQL dialect of A when it is SQL files"},
        {OPT_STRING, 0, "dialect-b", &dialect_b, "pg|sqlite", "SQL dialect of B when it is SQL files"},
        {OPT_FLAG, 0, "exit-code", &exit_code, NULL, "exit 1 when there are conflicts"},
        {OPT_STRING, 'o', "output", &output, "FILE", "write to FILE instead of standard output"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    int n = cli_parse_options(argc, argv, opts, compare_usage, compare_description);
    if (n == -2) {
        cli_strlist_free(&maps);
        return EXIT_OK;
    }
    if (n < 0) {
        cli_strlist_free(&maps);
        return EXIT_USAGE;
    }
    int rc = EXIT_OK;
    arena mem;
    arena_init(&mem);
    diag_list diags;
    diag_list_init(&diags, &mem);
    catalog *a = NULL, *b = NULL;
    compare_opts copts;
    compare_opts_init(&copts);

    if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "markdown") &&
        strcmp(format, "md")) {
        fprintf(stderr, "dbsage: error: unknown --format '%s' (text, json, markdown)\n", format);
        rc = EXIT_USAGE;
        goto done;
    }
    if (min_score && !parse_score(min_score, &copts.min_score)) {
        fprintf(stderr, "dbsage: error: --min-score '%s' is not a number between 0 and 1\n", min_score);
        rc = EXIT_USAGE;
        goto done;
    }
    for (size_t i = 0; i < maps.n; i++) {
        const char *eq = strchr(maps.v[i], '=');
        if (!eq || eq == maps.v[i] || !eq[1] || strchr(eq + 1, '=')) {
            fprintf(stderr, "dbsage: error: bad --schema-map '%s' (expected SCHEMA_A=SCHEMA_B)\n", maps.v[i]);
            rc = EXIT_USAGE;
            goto done;
        }
        compare_schema_map m = {arena_strndup(&mem, maps.v[i], (size_t)(eq - maps.v[i])),
                                arena_strdup(&mem, eq + 1)};
        VEC_PUSH(&mem, copts.schema_map, m);
    }
    const char *env_url = getenv("DATABASE_URL");
    const char *spec_b = n >= 2 ? argv[1] : env_url && *env_url ? env_url : NULL;
    if (n < 1 || n > 2 || !spec_b) {
        fprintf(stderr, n == 1 ? "dbsage: error: compare needs B (or DATABASE_URL)\n"
                               : "dbsage: error: compare needs two sources, A and B\n");
        cli_usage(stderr, opts, compare_usage, NULL);
        rc = EXIT_USAGE;
        goto done;
    }
    dialect da, db;
    if (!cli_dialect_option(dialect_a, &da) || !cli_dialect_option(dialect_b, &db)) {
        rc = EXIT_USAGE;
        goto done;
    }
    int lrc = EXIT_OK;
    const char *one_a[1] = {argv[0]}, *one_b[1] = {spec_b};
    a = cli_load_catalog(one_a, 1, da, NULL, 0, &mem, &diags, &lrc);
    if (a)
        b = cli_load_catalog(one_b, 1, db, NULL, 0, &mem, &diags, &lrc);
    if (!a || !b || lrc != EXIT_OK) {
        rc = EXIT_USAGE;
        goto done;
    }
    catalog_sort(a);
    catalog_sort(b);
    compare_result res;
    compare_catalogs(&mem, a, b, &copts, &res);
    strbuf out = STRBUF_INIT;
    if (!strcmp(format, "json"))
        compare_emit_json(&out, &res);
    else if (!strcmp(format, "text"))
        compare_emit_text(&out, &res);
    else
        compare_emit_markdown(&out, &res);
    if (write_output(output, &out) < 0)
        rc = EXIT_USAGE;
    else if (exit_code && res.conflicts > 0)
        rc = EXIT_FINDINGS;
    strbuf_release(&out);

done:
    cli_print_diags(&diags);
    catalog_free(a);
    catalog_free(b);
    arena_free(&mem);
    cli_strlist_free(&maps);
    return rc;
}
