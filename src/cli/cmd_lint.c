/*
 * cmd_lint.c — `dbsage lint`: design rules on the resulting schema and
 * migration-safety rules on each migration file, printed as text, JSON,
 * SARIF 2.1.0 or GitHub Actions annotations.
 *
 * SQL files are read in the order given (directories in version order); for
 * each file: inline ignores are scanned, the migration rules run knowing the
 * schema built so far, then the file is loaded into the running catalog.
 * The design rules run once on the final catalog.  Live databases get the
 * design rules only.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/lint.h"
#include "analysis/lint_migration.h"
#include "cli/cli.h"
#include "source/pg_parse.h"
#include "source/source.h"
#include "util/strbuf.h"
#include "util/url.h"

static const char lint_usage[] =
    "dbsage lint [--format text|json|sarif|github] [--config FILE] [--dialect pg|sqlite]\n"
    "                   [--rule ID]... [--disable ID]... [--list-rules] SOURCE|MIGRATION...";
static const char lint_description[] =
    "Checks a schema for design problems (missing primary keys, unindexed foreign keys,\n"
    "plaintext secrets, ...) and migration files for unsafe statements (squawk's rules).\n"
    "SOURCEs are SQL files (read in order), directories of migrations (version order),\n"
    "SQLite databases or PostgreSQL URLs (DATABASE_URL when none is given; live databases\n"
    "get the design rules only).  The config is --config FILE, else .dbsage-lint.yaml in\n"
    "the current directory.  Rule ids are listed by --list-rules (--format markdown for\n"
    "docs/rules/README.md); squawk's names are accepted as aliases.\n"
    "Exit codes: 0 no error findings, 1 an error finding (or unreadable SQL), 2 usage or I/O errors.";

/* set rule `id` off (or on, with its default severity) in the config */
static void config_set(lint_config *cfg, arena *mem, const lint_rule *r, bool off)
{
    for (size_t i = 0; i < cfg->rules.n; i++)
        if (!strcmp(cfg->rules.v[i].id, r->id)) {
            cfg->rules.v[i].off = off;
            return;
        }
    lint_rule_setting s = {r->id, off, r->severity};
    VEC_PUSH(mem, cfg->rules, s);
}

/* --rule / --disable: false after a usage message for an unknown id */
static bool apply_rule_options(lint_config *cfg, arena *mem, const cli_strlist *only, const cli_strlist *disable)
{
    for (size_t i = 0; i < only->n; i++)
        if (!lint_rule_find(only->v[i])) {
            fprintf(stderr, "dbsage: error: unknown rule '%s' (see dbsage lint --list-rules)\n", only->v[i]);
            return false;
        }
    for (size_t i = 0; i < disable->n; i++)
        if (!lint_rule_find(disable->v[i])) {
            fprintf(stderr, "dbsage: error: unknown rule '%s' (see dbsage lint --list-rules)\n", disable->v[i]);
            return false;
        }
    if (only->n) {
        for (const lint_rule *r = lint_rules(); r->id; r++) {
            bool wanted = false;
            for (size_t i = 0; i < only->n; i++)
                wanted |= lint_rule_find(only->v[i]) == r;
            config_set(cfg, mem, r, !wanted);
        }
    }
    for (size_t i = 0; i < disable->n; i++)
        config_set(cfg, mem, lint_rule_find(disable->v[i]), true);
    return true;
}

/* one SQL file: ignores, text checks, migration rules, then into the catalog */
/* One SQL file's text: inline ignores, the design text scan, the migration
 * rules (knowing the schema the earlier files built), then the file is read
 * into the running catalog.  PostgreSQL files come parsed ahead (`tree`,
 * NULL: parse here) so the rules and the reader share one parse. */
static int lint_sql_text(lint_ctx *ctx, catalog *cat, bool first, const char *path, const char *text, size_t len,
                         PgQuery__ParseResult *tree, diag_list *diags)
{
    const char *file = arena_strdup(ctx->mem, path);
    lint_ignores_scan(ctx, file, text, len);
    lint_design_scan(ctx, cat->dialect, file, text, len);
    /* before the first file nothing is known about the database: NULL = unknown */
    diag_list mig;
    diag_list_init(&mig, ctx->mem);
    lint_migration_run_tree(ctx, cat->dialect, file, text, len, 1, first ? NULL : cat, tree, &mig);
    size_t before = diags->items.n;
    int rc = cat->dialect == DIALECT_SQLITE ? sqlite_sql_read(cat, file, text, len, diags)
                                            : pg_sql_read_parsed(cat, file, text, len, tree, diags);
    /* the migration rules and the reader parse the same text: a syntax error once */
    for (size_t i = 0; i < mig.items.n; i++) {
        const diag *m = &mig.items.v[i];
        bool dup = false;
        for (size_t k = before; k < diags->items.n && !dup; k++) {
            const diag *r = &diags->items.v[k];
            dup = r->loc.line == m->loc.line && r->loc.col == m->loc.col && !strcmp(r->message, m->message);
        }
        if (!dup)
            diag_add_rule(diags, m->severity, m->loc, m->rule, "%s", m->message);
    }
    return rc;
}

/* SQL files in order: PostgreSQL files are read and parsed ahead on worker
 * threads while the previous one is linted (source/pg_parse.h). */
static int lint_sql_files(lint_ctx *ctx, catalog *cat, bool *first, const char *const *paths, size_t n,
                          diag_list *diags)
{
    if (cat->dialect != DIALECT_PG) {
        for (size_t i = 0; i < n; i++) {
            strbuf sb = STRBUF_INIT;
            if (strbuf_read_file(&sb, paths[i]) != 0) {
                src_loc loc = {paths[i], 0, 0};
                diag_error(diags, loc, "cannot read: %s", strerror(errno));
                strbuf_release(&sb);
                return -1;
            }
            source_mask_down_sections(sb.buf, sb.len);
            lint_sql_text(ctx, cat, *first, paths[i], strbuf_str(&sb), sb.len, NULL, diags);
            strbuf_release(&sb);
            *first = false;
        }
        return 0;
    }
    pg_parse_queue *q = pg_parse_start(paths, n, 0);
    int rc = 0;
    for (pg_parsed *p; (p = pg_parse_next(q)) != NULL;) {
        if (p->read_errno) {
            src_loc loc = {p->path, 0, 0};
            diag_error(diags, loc, "cannot read: %s", strerror(p->read_errno));
            pg_parse_release(p);
            rc = -1;
            break;
        }
        lint_sql_text(ctx, cat, *first, p->path, strbuf_str(&p->text), p->text.len, p->tree, diags);
        pg_parse_release(p);
        *first = false;
    }
    pg_parse_finish(q);
    return rc;
}

static int lint_sources(lint_ctx *ctx, catalog *cat, const char **sources, int n, dialect forced,
                        diag_list *diags)
{
    bool first = true;
    for (int i = 0; i < n; i++) {
        source_kind kind = source_classify(sources[i]);
        if (kind == SOURCE_SQL_FILE || kind == SOURCE_SQL_DIR) {
            /* consecutive SQL sources form one ordered run of files */
            VEC(const char *) files = {0};
            for (; i < n; i++) {
                kind = source_classify(sources[i]);
                if (kind == SOURCE_SQL_FILE) {
                    VEC_PUSH(ctx->mem, files, sources[i]);
                } else if (kind == SOURCE_SQL_DIR) {
                    const char **dir_files;
                    size_t nf = source_dir_sql_files(ctx->mem, sources[i], &dir_files);
                    if (nf == 0) {
                        src_loc loc = {sources[i], 0, 0};
                        diag_warning(diags, loc, "directory holds no .sql files");
                    }
                    for (size_t k = 0; k < nf; k++)
                        VEC_PUSH(ctx->mem, files, dir_files[k]);
                } else {
                    break;
                }
            }
            i--; /* the loop's i++ moves to the source that ended the run */
            if (lint_sql_files(ctx, cat, &first, files.v, files.n, diags) < 0)
                return -1;
        } else {
            source_opts sopts = {forced, NULL, 0};
            if (source_load(cat, sources[i], &sopts, diags) < 0)
                return -1;
            first = false;
        }
    }
    return 0;
}

static int list_rules(const char *format)
{
    bool md = !strcmp(format, "markdown") || !strcmp(format, "md");
    if (!md && strcmp(format, "text") != 0) {
        fprintf(stderr, "dbsage: error: --list-rules --format is text or markdown, not '%s'\n", format);
        return EXIT_USAGE;
    }
    strbuf out = STRBUF_INIT;
    lint_emit_rules(&out, md);
    fwrite(strbuf_str(&out), 1, out.len, stdout);
    strbuf_release(&out);
    return EXIT_OK;
}

int cmd_lint(int argc, char **argv)
{
    const char *format = "text", *config_path = NULL, *dialect_opt = NULL;
    bool list = false;
    cli_strlist only = {0}, disable = {0};
    const cli_option opts[] = {
        {OPT_STRING, 'f', "format", &format, "FORMAT", "text (default), json, sarif or github"},
        {OPT_STRING, 'c', "config", &config_path, "FILE", "YAML config (default: ./.dbsage-lint.yaml if present)"},
        {OPT_STRING, 'd', "dialect", &dialect_opt, "pg|sqlite", "force the SQL dialect of file sources"},
        {OPT_STRING_LIST, 'r', "rule", &only, "ID", "run only this rule (repeatable)"},
        {OPT_STRING_LIST, 0, "disable", &disable, "ID", "do not run this rule (repeatable)"},
        {OPT_FLAG, 0, "list-rules", &list, NULL, "list the rules (--format text or markdown) and exit"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    int n = cli_parse_options(argc, argv, opts, lint_usage, lint_description);
    if (n == -2)
        return EXIT_OK;
    if (n < 0) {
        cli_strlist_free(&only);
        cli_strlist_free(&disable);
        return EXIT_USAGE;
    }
    if (list) {
        cli_strlist_free(&only);
        cli_strlist_free(&disable);
        return list_rules(format);
    }

    int rc = EXIT_OK;
    arena mem;
    arena_init(&mem);
    diag_list diags;
    diag_list_init(&diags, &mem);
    catalog *cat = NULL;
    lint_config cfg;
    lint_config_init(&cfg);

    if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "sarif") && strcmp(format, "github")) {
        fprintf(stderr, "dbsage: error: unknown --format '%s' (text, json, sarif, github)\n", format);
        rc = EXIT_USAGE;
        goto done;
    }
    dialect forced;
    if (!cli_dialect_option(dialect_opt, &forced)) {
        rc = EXIT_USAGE;
        goto done;
    }
    if (!config_path && access(".dbsage-lint.yaml", F_OK) == 0)
        config_path = ".dbsage-lint.yaml";
    if (config_path && lint_config_load(&cfg, &mem, config_path, &diags) != 0) {
        rc = EXIT_USAGE;
        goto done;
    }
    if (!apply_rule_options(&cfg, &mem, &only, &disable)) {
        rc = EXIT_USAGE;
        goto done;
    }

    const char **sources = cli_sources_or_env(argv, &n, opts, lint_usage);
    if (!sources) {
        rc = EXIT_USAGE;
        goto done;
    }
    dialect d = cli_sources_dialect(sources, n, forced, &mem, &diags);
    if (d == DIALECT_UNKNOWN) {
        rc = EXIT_USAGE;
        goto done;
    }
    cat = catalog_new(d);
    lint_ctx ctx;
    lint_ctx_init(&ctx, &mem, &cfg);
    if (lint_sources(&ctx, cat, sources, n, forced, &diags) < 0) {
        rc = EXIT_USAGE;
        goto done;
    }
    lint_design_run(&ctx, cat);
    lint_sort(&ctx);

    strbuf out = STRBUF_INIT;
    if (!strcmp(format, "json"))
        lint_emit_json(&out, &ctx);
    else if (!strcmp(format, "sarif"))
        lint_emit_sarif(&out, &ctx);
    else if (!strcmp(format, "github"))
        lint_emit_github(&out, &ctx);
    else
        lint_emit_text(&out, &ctx, cli_color(stdout));
    fwrite(strbuf_str(&out), 1, out.len, stdout);
    fflush(stdout);
    strbuf_release(&out);
    if (!strcmp(format, "text") && ctx.findings.n)
        fprintf(stderr, "%zu error(s), %zu warning(s), %zu note(s)\n", lint_count(&ctx, DIAG_ERROR),
                lint_count(&ctx, DIAG_WARNING), lint_count(&ctx, DIAG_NOTE));
    if (lint_count(&ctx, DIAG_ERROR) || diag_has_errors(&diags))
        rc = EXIT_FINDINGS;

done:
    cli_print_diags(&diags);
    catalog_free(cat);
    arena_free(&mem);
    cli_strlist_free(&only);
    cli_strlist_free(&disable);
    return rc;
}
