/*
 * cmd_export.c — `dbsage export`: parses options, opens the source (read
 * only) and the target (SQLite file, PostgreSQL database, or a temporary
 * SQLite file turned into a SQL dump for FILE.sql), runs export_run
 * (src/data/export.h) and reports the rows exported per table.
 *
 * Exit codes: 0 exported; 1 export error; 2 usage or connection errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "data/export.h"
#include "util/strbuf.h"
#include "util/url.h"

static const char export_usage[] =
    "dbsage export --from URL --to URL|FILE.sql --where 'table.col = value'... [--follow descendants|parents|both]\n"
    "              [--anonymize rules.yaml] [--seed S] [--read-only] [--format text|json]";
static const char export_description[] =
    "Export a foreign-key-closed subset: the rows the --where filters select, every row they reference\n"
    "(parents, always) and, by default, their descendants (rows referencing them, transitively);\n"
    "--follow both adds the children of every exported row, --follow parents none.  Columns are\n"
    "anonymised by rules.yaml (docs/anonymize.md: null, redact, keep-first-char, hash, fake-*, shuffle,\n"
    "keep); secrets (password, token, secret, API key columns) are removed and e-mail columns faked\n"
    "even without rules.  --seed makes replacements deterministic per seed.  The target gets the\n"
    "whole dbsage_migrations table and a dbsage_export row.  --read-only: PostgreSQL target gets\n"
    "default_transaction_read_only = on, an SQLite file is made read-only (mode 0444).\n"
    "--from defaults to $DATABASE_URL.  Exit: 0 ok, 1 export error, 2 usage/connection errors.";

static bool ends_with(const char *s, const char *w)
{
    size_t n = strlen(s), m = strlen(w);
    return n >= m && !strcmp(s + n - m, w);
}

static int write_file(const char *path, const strbuf *sb)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = fwrite(sb->buf ? sb->buf : "", 1, sb->len, f);
    return (fclose(f) == 0 && w == sb->len) ? 0 : -1;
}

int cmd_export(int argc, char **argv)
{
    const char *from = NULL, *to = NULL, *follow = "descendants", *rules = NULL, *seed = "", *format = "text";
    bool read_only = false;
    cli_strlist wheres = {0};
    cli_option opts[] = {
        {OPT_STRING, 0, "from", &from, "URL", "source database (default $DATABASE_URL); only read"},
        {OPT_STRING, 0, "to", &to, "URL|FILE.sql", "target database (SQLite files are created) or a SQL dump"},
        {OPT_STRING_LIST, 0, "where", &wheres, "T.COL = V", "root filter (repeatable; rows matching any)"},
        {OPT_STRING, 0, "follow", &follow, "MODE", "descendants (default), parents or both"},
        {OPT_STRING, 0, "anonymize", &rules, "FILE", "anonymisation rules (YAML: table.column: rule)"},
        {OPT_STRING, 0, "seed", &seed, "S", "seed of the deterministic replacements"},
        {OPT_FLAG, 0, "read-only", &read_only, NULL, "mark the copy read-only (demo copy)"},
        {OPT_STRING, 0, "format", &format, "FMT", "text (default) or json"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    int n = cli_parse_options(argc, argv, opts, export_usage, export_description);
    if (n == -2)
        return EXIT_OK;
    if (n < 0)
        return EXIT_USAGE;
    bool json = !strcmp(format, "json");
    export_follow fmode = EXPORT_FOLLOW_DESCENDANTS;
    if (!strcmp(follow, "both"))
        fmode = EXPORT_FOLLOW_BOTH;
    else if (!strcmp(follow, "parents"))
        fmode = EXPORT_FOLLOW_PARENTS;
    else if (strcmp(follow, "descendants") && strcmp(follow, "children")) {
        fprintf(stderr, "dbsage: error: --follow must be descendants, parents or both\n");
        cli_strlist_free(&wheres);
        return EXIT_USAGE;
    }
    if (!from)
        from = getenv("DATABASE_URL");
    const char *err = n > 0                                ? "export takes no positional arguments"
                      : (!json && strcmp(format, "text")) ? "--format must be text or json"
                      : (!from || !to)                     ? "export needs --from (or DATABASE_URL) and --to"
                      : !wheres.n                          ? "export needs at least one --where 'table.col = value'"
                                                           : NULL;
    if (err) {
        fprintf(stderr, "dbsage: error: %s\n", err);
        cli_strlist_free(&wheres);
        return EXIT_USAGE;
    }
    arena mem;
    arena_init(&mem);
    diag_list diags;
    diag_list_init(&diags, &mem);
    export_filter *filters = arena_alloc(&mem, sizeof *filters * wheres.n);
    anon_rules *arules = NULL;
    int rc = EXIT_OK;
    int nfilters = (int)wheres.n;
    for (size_t i = 0; i < wheres.n; i++)
        if (export_parse_filter(wheres.v[i], &mem, &filters[i], &diags) < 0)
            rc = EXIT_USAGE;
    if (rc == EXIT_OK) {
        /* without --anonymize: the defaults, secrets removed and e-mail columns faked */
        arules = rules ? anon_rules_load(&mem, rules, &diags) : anon_rules_default(&mem, true);
        if (!arules)
            rc = EXIT_USAGE;
    }
    cli_strlist_free(&wheres);
    if (rc != EXIT_OK) {
        cli_print_diags(&diags);
        arena_free(&mem);
        return rc;
    }
    bool dump = ends_with(to, ".sql");
    const char *target = to;
    char tmp[] = "/tmp/dbsage-export-XXXXXX";
    if (dump) {
        int fd = mkstemp(tmp);
        if (fd < 0) {
            fprintf(stderr, "dbsage: error: cannot create a temporary file\n");
            arena_free(&mem);
            return EXIT_USAGE;
        }
        close(fd);
        target = tmp;
    }
    db_open_opts so = {0}, dso = {0};
    so.read_only = true;
    dso.create = true;
    db_conn *src = db_open(from, &so, &diags);
    db_conn *dst = src ? db_open(target, &dso, &diags) : NULL;
    if (!src || !dst) {
        cli_print_diags(&diags);
        if (src)
            db_close(src);
        if (dump)
            unlink(tmp);
        arena_free(&mem);
        return EXIT_USAGE;
    }
    bool dst_sqlite = db_dialect(dst) == DIALECT_SQLITE;
    export_opts eo;
    memset(&eo, 0, sizeof eo);
    eo.filters = filters;
    eo.nfilters = nfilters;
    eo.follow = fmode;
    eo.rules = arules;
    eo.seed = seed;
    eo.read_only = read_only;
    eo.source_label = url_mask(&mem, from);
    export_result res;
    if (export_run(from, target, src, dst, &eo, &mem, &res, &diags) < 0) {
        rc = EXIT_FINDINGS;
        for (size_t i = 0; i < diags.items.n; i++)   /* a --where naming no table/column */
            if (diags.items.v[i].rule && !strcmp(diags.items.v[i].rule, "export-usage"))
                rc = EXIT_USAGE;
    }
    if (rules && rc == EXIT_OK)
        anon_rules_check_unused(arules, &diags);
    db_close(dst);
    db_close(src);
    if (rc == EXIT_OK && dump) {
        strbuf sb;
        strbuf_init(&sb);
        if (export_dump_sqlite(tmp, &sb, &mem, &diags) < 0)
            rc = EXIT_FINDINGS;
        else if (write_file(to, &sb) < 0) {
            fprintf(stderr, "dbsage: error: cannot write %s\n", to);
            rc = EXIT_USAGE;
        }
        strbuf_release(&sb);
    }
    if (dump)
        unlink(tmp);
    if (rc == EXIT_OK && read_only && (dump || dst_sqlite)) {
        const char *path = to;
        if (!dump && !strncmp(path, "sqlite:", 7))
            path += 7;
        else if (!dump && !strncmp(path, "file:", 5))
            path += 5;
        if (chmod(path, 0444) < 0) {
            fprintf(stderr, "dbsage: error: cannot make %s read-only\n", path);
            rc = EXIT_USAGE;
        }
    }
    cli_print_diags(&diags);
    if (rc == EXIT_OK) {
        if (json) {
            strbuf sb;
            strbuf_init(&sb);
            strbuf_adds(&sb, "{\"to\":");
            strbuf_add_json_string(&sb, dump ? to : url_mask(&mem, to));
            strbuf_adds(&sb, ",\"tables\":[");
            for (size_t i = 0; i < res.tables.n; i++) {
                strbuf_adds(&sb, i ? ",{\"table\":" : "{\"table\":");
                strbuf_add_json_string(&sb, res.tables.v[i].table);
                strbuf_addf(&sb, ",\"rows\":%lld}", (long long)res.tables.v[i].rows);
            }
            strbuf_addf(&sb, "],\"rows\":%lld,\"read_only\":%s}\n", (long long)res.rows, read_only ? "true" : "false");
            fputs(strbuf_str(&sb), stdout);
            strbuf_release(&sb);
        } else {
            for (size_t i = 0; i < res.tables.n; i++)
                if (res.tables.v[i].rows)
                    printf("%-40s %lld\n", res.tables.v[i].table, (long long)res.tables.v[i].rows);
            printf("exported %lld row(s) to %s%s\n", (long long)res.rows, dump ? to : url_mask(&mem, to),
                   read_only ? " (read-only)" : "");
        }
    }
    arena_free(&mem);
    return rc;
}
