/*
 * cmd_verify.c — `dbsage verify`: checks that data arrived.  Modes:
 *   --spec FILE [--into URL]   an import (data/import.h import_verify): every
 *                              file recorded in dbsage_imports with its
 *                              current hash, and per table count(*) equal to
 *                              the distinct keys the documents give.
 *   --from URL --to URL        a copy: cmd_verify_copy.c (counts and
 *                              checksums per table).
 * The mode is chosen by --from: present -> copy, else --spec.
 * Exit: 0 all equal, 1 a mismatch, 2 usage/spec/connection errors.
 */
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_import.h"

/* cmd_verify_copy.c */
int cmd_verify_copy(int argc, char **argv);

static const char verify_usage[] = "dbsage verify --spec FILE [--into URL] [--source NAME]... [--format text|json]\n"
                                   "       dbsage verify --from URL --to URL ...   (see dbsage verify --from x --help)";
static const char verify_description[] =
    "--spec: re-reads the spec's documents (writes nothing) and checks (1) every file has a\n"
    "dbsage_imports row with its current SHA-256, (2) per target table, count(*) equals the\n"
    "number of distinct key tuples the documents give (tables without a key: the number of rows).\n"
    "Exit: 0 all equal, 1 a mismatch, 2 usage/spec/connection errors.";

static int verify_spec(const char *spec_path, const char *into, const cli_strlist *only, bool json)
{
    arena mem;
    arena_init(&mem);
    diag_list diags;
    diag_list_init(&diags, &mem);
    import_spec *spec = NULL;
    int rc;
    db_conn *db = cli_import_open(spec_path, into, &mem, &diags, &spec, &rc);
    if (!db)
        goto done;
    for (size_t i = 0; i < only->n; i++)
        if (!spec_find_source(spec, only->v[i])) {
            fprintf(stderr, "dbsage: error: the spec has no source '%s'\n", only->v[i]);
            rc = EXIT_USAGE;
            goto done;
        }
    if (spec_check_target(spec, db, &diags) < 0) {
        rc = EXIT_USAGE;
        goto done;
    }
    import_opts o = {.only = only->v, .n_only = only->n};
    import_result res;
    int r = import_verify(spec, db, &o, &res, &mem, &diags);
    if (r < 0) {
        rc = EXIT_USAGE;
        goto done;
    }
    cli_import_summary(stdout, &res, json, true, db_spec_masked(db));
    rc = r ? EXIT_FINDINGS : EXIT_OK;
done:
    cli_print_diags(&diags);
    if (db)
        db_close(db);
    arena_free(&mem);
    return rc;
}

int cmd_verify(int argc, char **argv)
{
    for (int i = 0; i < argc && strcmp(argv[i], "--"); i++)
        if (!strcmp(argv[i], "--from") || !strncmp(argv[i], "--from=", 7))
            return cmd_verify_copy(argc, argv);
    const char *spec_path = NULL, *into = NULL, *format = "text";
    cli_strlist only = {0};
    const cli_option opts[] = {
        {OPT_STRING, 0, "spec", &spec_path, "FILE", "verify the import of this spec"},
        {OPT_STRING, 0, "into", &into, "URL", "target database (default: spec into:, $DATABASE_URL, .env, dbsage.db)"},
        {OPT_STRING_LIST, 0, "source", &only, "NAME", "only this source (repeatable)"},
        {OPT_STRING, 'f', "format", &format, "FORMAT", "text (default) or json"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    int n = cli_parse_options(argc, argv, opts, verify_usage, verify_description);
    int rc = EXIT_USAGE;
    if (n == -2)
        rc = EXIT_OK;
    else if (n < 0)
        rc = EXIT_USAGE;
    else if (strcmp(format, "text") && strcmp(format, "json"))
        fprintf(stderr, "dbsage: error: unknown --format '%s' (text, json)\n", format);
    else if (n > 0 || !spec_path) {
        fprintf(stderr, "dbsage: error: verify needs --spec FILE\n");
        cli_usage(stderr, opts, verify_usage, verify_description);
    } else {
        rc = verify_spec(spec_path, into, &only, !strcmp(format, "json"));
    }
    cli_strlist_free(&only);
    return rc;
}
