/*
 * cmd_diff.c — `dbsage diff FROM TO`: read two sources (or `empty`) into
 * two catalogs of one dialect and print the migration plan that turns FROM
 * into TO (or, with --down, TO into FROM) as SQL or JSON.
 */
#include <errno.h>
#include <string.h>

#include "catalog/catalog.h"
#include "cli/cli.h"
#include "util/bigstack.h"
#include "diff/diff.h"
#include "util/strbuf.h"

static const char diff_usage[] =
    "dbsage diff [--dialect pg|sqlite] [--down] [--exit-code] [--allow-destructive] [--format sql|json]\n"
    "                   [--rename [KIND:]OLD=NEW]... [-o FILE] FROM TO";
static const char diff_description[] =
    "Prints the ordered SQL plan that turns FROM into TO (with --down: TO into FROM).\n"
    "FROM and TO are any inspect source (SQL file, directory, SQLite database, PostgreSQL URL)\n"
    "or the word `empty`.  Destructive changes are left out (listed as comments) unless\n"
    "--allow-destructive.  --rename: table=new, table.column=new, schema.table.column=new,\n"
    "table:schema.name=new, view:..., index:..., enum:TYPE=new, value:ENUM.label=new.\n"
    "Exit: 0 ok (with --exit-code: no difference), 1 differences (--exit-code), 2 errors.";

/* --rename [KIND:]a[.b[.c]]=NEW -> r; false when malformed */
static bool parse_rename(arena *mem, const char *spec, diff_rename *r)
{
    memset(r, 0, sizeof *r);
    const char *eq = strrchr(spec, '=');
    if (!eq || !eq[1] || eq == spec)
        return false;
    const char *colon = memchr(spec, ':', (size_t)(eq - spec));
    const char *kind = "";
    const char *p = spec;
    if (colon) {
        kind = arena_strndup(mem, spec, (size_t)(colon - spec));
        p = colon + 1;
    }
    char *path = arena_strndup(mem, p, (size_t)(eq - p));
    const char *parts[3] = {0};
    int np = 0;
    for (char *s = path; np < 3; np++) {
        parts[np] = s;
        char *dot = strchr(s, '.');
        if (!dot) {
            np++;
            break;
        }
        *dot = 0;
        s = dot + 1;
        if (np == 2)
            return false;
    }
    for (int i = 0; i < np; i++)
        if (!*parts[i])
            return false;
    r->new_name = arena_strdup(mem, eq + 1);
    bool sub = !*kind ? np >= 2 : !strcmp(kind, "column") || !strcmp(kind, "value");
    if (!*kind)
        r->kind = np == 1 ? OBJ_TABLE : OBJ_COLUMN;
    else if (!strcmp(kind, "table"))
        r->kind = OBJ_TABLE;
    else if (!strcmp(kind, "view"))
        r->kind = OBJ_VIEW;
    else if (!strcmp(kind, "index"))
        r->kind = OBJ_INDEX;
    else if (!strcmp(kind, "enum") || !strcmp(kind, "type") || !strcmp(kind, "value"))
        r->kind = OBJ_ENUM;
    else if (!strcmp(kind, "column"))
        r->kind = OBJ_COLUMN;
    else
        return false;
    if (sub) {
        if (np < 2)
            return false;
        r->schema = np == 3 ? parts[0] : NULL;
        r->table = parts[np - 2];
        r->old_name = parts[np - 1];
    } else {
        if (np > 2)
            return false;
        r->schema = np == 2 ? parts[0] : NULL;
        r->old_name = parts[np - 1];
    }
    return true;
}

/* the down plan renames NEW back to OLD; a column's table is then known by
 * the name the table has before the down plan's table renames */
static void invert_renames(diff_opts *o)
{
    for (size_t i = 0; i < o->renames.n; i++) {
        diff_rename *r = &o->renames.v[i];
        for (size_t j = 0; r->kind == OBJ_COLUMN && r->table && j < o->renames.n; j++) {
            const diff_rename *t = &o->renames.v[j];
            if (t->kind == OBJ_TABLE && !strcmp(t->new_name, r->table) &&
                !strcmp(t->schema ? t->schema : "", r->schema ? r->schema : ""))
                r->table = t->old_name;
        }
    }
    for (size_t i = 0; i < o->renames.n; i++) {
        diff_rename *r = &o->renames.v[i];
        const char *t = r->old_name;
        r->old_name = r->new_name;
        r->new_name = t;
    }
}

static catalog *load_side(const char *spec, dialect d, arena *mem, diag_list *diags, int *rc)
{
    if (!strcmp(spec, "empty")) {
        catalog *cat = catalog_new(d);
        cat->source = "empty";
        return cat;
    }
    const char *sources[1] = {spec};
    catalog *cat = cli_load_catalog(sources, 1, d, NULL, 0, mem, diags, rc);
    /* dbsage's tracking tables (dbsage_migrations, dbsage_imports) are not
     * part of the user's schema */
    if (cat)
        catalog_remove_tool_tables(cat);
    return cat;
}

/* The two sides are independent: each is read into its own arena and
 * diagnostics, TO on a second thread while this one reads FROM; diagnostics
 * are merged after, FROM's first. */
typedef struct side_job {
    const char *spec;
    dialect d;
    arena mem;
    diag_list diags;
    catalog *cat;
    int rc;
} side_job;

static int load_side_job(void *p)
{
    side_job *j = p;
    j->cat = load_side(j->spec, j->d, &j->mem, &j->diags, &j->rc);
    return 0;
}

static void load_sides(const char *from_spec, const char *to_spec, dialect d, arena *mem, diag_list *diags,
                       catalog **from, catalog **to, int *rc)
{
    side_job jobs[2] = {{.spec = from_spec, .d = d, .rc = EXIT_OK}, {.spec = to_spec, .d = d, .rc = EXIT_OK}};
    for (int i = 0; i < 2; i++) {
        arena_init(&jobs[i].mem);
        diag_list_init(&jobs[i].diags, &jobs[i].mem);
    }
    bigstack_run_pair(load_side_job, &jobs[0], load_side_job, &jobs[1]);
    for (int i = 0; i < 2; i++) {
        for (size_t k = 0; k < jobs[i].diags.items.n; k++) {
            const diag *dg = &jobs[i].diags.items.v[k];
            diag_add_rule(diags, dg->severity, dg->loc, dg->rule, "%s", dg->message);
        }
        if (jobs[i].rc != EXIT_OK)
            *rc = jobs[i].rc;
        arena_free(&jobs[i].mem);
    }
    (void)mem;
    *from = jobs[0].cat;
    *to = jobs[1].cat;
}

static int write_output(const char *output, const strbuf *out, diag_list *diags)
{
    FILE *f = stdout;
    if (output) {
        f = fopen(output, "w");
        if (!f) {
            src_loc loc = {output, 0, 0};
            diag_error(diags, loc, "cannot write: %s", strerror(errno));
            return -1;
        }
    }
    fwrite(strbuf_str(out), 1, out->len, f);
    if (output && fclose(f) != 0) {
        src_loc loc = {output, 0, 0};
        diag_error(diags, loc, "write failed: %s", strerror(errno));
        return -1;
    }
    return 0;
}

int cmd_diff(int argc, char **argv)
{
    const char *dialect_opt = NULL, *format = "sql", *output = NULL;
    bool down = false, exit_code = false, allow_destructive = false;
    cli_strlist renames = {0};
    const cli_option opts[] = {
        {OPT_STRING, 'd', "dialect", &dialect_opt, "pg|sqlite", "SQL dialect of file sources (and of `empty`)"},
        {OPT_FLAG, 0, "down", &down, NULL, "print the inverse plan (TO -> FROM)"},
        {OPT_FLAG, 0, "exit-code", &exit_code, NULL, "exit 1 when there are differences, 0 when none"},
        {OPT_FLAG, 0, "allow-destructive", &allow_destructive, NULL, "include changes that drop data"},
        {OPT_STRING, 'f', "format", &format, "FORMAT", "sql (default) or json"},
        {OPT_STRING_LIST, 0, "rename", &renames, "[KIND:]OLD=NEW", "treat OLD as renamed to NEW (repeatable)"},
        {OPT_STRING, 'o', "output", &output, "FILE", "write to FILE instead of standard output"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    int n = cli_parse_options(argc, argv, opts, diff_usage, diff_description);
    if (n == -2)
        return EXIT_OK;
    if (n < 0) {
        cli_strlist_free(&renames);
        return EXIT_USAGE;
    }
    int rc = EXIT_OK;
    arena mem;
    arena_init(&mem);
    diag_list diags;
    diag_list_init(&diags, &mem);
    catalog *from = NULL, *to = NULL;
    diff_opts dopts;
    memset(&dopts, 0, sizeof dopts);
    dopts.allow_destructive = allow_destructive;

    if (strcmp(format, "sql") && strcmp(format, "json")) {
        fprintf(stderr, "dbsage: error: unknown --format '%s' (sql, json)\n", format);
        rc = EXIT_USAGE;
        goto done;
    }
    if (n != 2) {
        fprintf(stderr, "dbsage: error: diff needs exactly two sources, FROM and TO (or `empty`)\n");
        cli_usage(stderr, opts, diff_usage, NULL);
        rc = EXIT_USAGE;
        goto done;
    }
    dialect forced;
    if (!cli_dialect_option(dialect_opt, &forced)) {
        rc = EXIT_USAGE;
        goto done;
    }
    for (size_t i = 0; i < renames.n; i++) {
        diff_rename r;
        if (!parse_rename(&mem, renames.v[i], &r)) {
            fprintf(stderr, "dbsage: error: bad --rename '%s' (expected [KIND:]OLD=NEW, see --help)\n", renames.v[i]);
            rc = EXIT_USAGE;
            goto done;
        }
        VEC_PUSH(&mem, dopts.renames, r);
    }
    /* one dialect: --dialect, else that of the non-empty side(s) */
    dialect d = forced;
    for (int i = 0; i < 2 && d == DIALECT_UNKNOWN; i++)
        if (strcmp(argv[i], "empty")) {
            const char *one[1] = {argv[i]};
            d = cli_sources_dialect(one, 1, forced, &mem, &diags);
            if (d == DIALECT_UNKNOWN) {
                rc = EXIT_USAGE;
                goto done;
            }
        }
    if (d == DIALECT_UNKNOWN)
        d = DIALECT_PG;
    int lrc = EXIT_OK;
    load_sides(argv[0], argv[1], d, &mem, &diags, &from, &to, &lrc);
    if (!from || !to || lrc != EXIT_OK) {
        rc = EXIT_USAGE;
        goto done;
    }
    if (from->dialect != to->dialect) {
        src_loc loc = {argv[1], 0, 0};
        diag_error(&diags, loc, "FROM is %s but TO is %s; diff needs one dialect", dialect_name(from->dialect),
                   dialect_name(to->dialect));
        rc = EXIT_USAGE;
        goto done;
    }
    if (down)
        invert_renames(&dopts);
    diff_plan plan;
    diff_plan_init(&plan, &mem, d);
    if (diff_catalogs(&plan, down ? to : from, down ? from : to, &dopts, &diags) < 0) {
        rc = EXIT_USAGE;
        goto done;
    }
    strbuf out = STRBUF_INIT;
    if (!strcmp(format, "json"))
        diff_emit_json(&out, &plan);
    else
        diff_emit_sql(&out, &plan);
    if (write_output(output, &out, &diags) < 0)
        rc = EXIT_USAGE;
    else if (exit_code && !diff_plan_empty(&plan))
        rc = EXIT_FINDINGS;
    strbuf_release(&out);
    for (size_t i = 0; i < plan.notes.n; i++)
        fprintf(stderr, "dbsage: note: %s\n", plan.notes.v[i]);

done:
    cli_print_diags(&diags);
    catalog_free(from);
    catalog_free(to);
    arena_free(&mem);
    cli_strlist_free(&renames);
    return rc;
}
