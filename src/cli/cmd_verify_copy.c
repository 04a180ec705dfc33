/*
 * cmd_verify_copy.c — the `--from URL --to URL` mode of `dbsage verify`
 * (cmd_verify.c dispatches here when --from is given): opens both
 * databases, runs verify_copy (data/verify_copy.h) and prints per table the
 * row counts and order-independent content checksums, as text or JSON.
 * Exit: 0 every table equal, 1 differences, 2 usage or I/O errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "data/copy_spec.h"
#include "data/verify_copy.h"
#include "db/db.h"
#include "util/strbuf.h"
#include "util/url.h"

/* called by cmd_verify (cmd_verify.c) when --from is given; argv as cmd_verify gets it */
int cmd_verify_copy(int argc, char **argv);

static const char verify_copy_usage[] =
    "dbsage verify --from URL [--to URL] [--spec copy.yaml] [--tables T[,T...]]... [--format text|json]";
static const char verify_copy_description[] =
    "Compares a copy with its source: per table the row counts and an order-independent checksum of\n"
    "the content, normalised across engines (a SQLite source and its PostgreSQL copy compare equal\n"
    "when the copy was faithful; docs/verify.md).  Columns are matched by name.\n"
    "--spec: per target table of a copy spec and per tenant, the spec's SELECT on the source against\n"
    "the target rows of that tenant (remapped keys are counted, not compared).\n"
    "--to defaults to $DATABASE_URL.  Exit: 0 equal, 1 differences, 2 errors.";

static void add_names_json(strbuf *sb, const char *key, const char **v, size_t n)
{
    strbuf_addf(sb, ", \"%s\": [", key);
    for (size_t i = 0; i < n; i++) {
        if (i)
            strbuf_adds(sb, ", ");
        strbuf_add_json_string(sb, v[i]);
    }
    strbuf_addch(sb, ']');
}

static const char *table_status(const verify_table *t)
{
    if (t->missing)
        return "missing";
    if (!t->equal)
        return t->from_rows != t->to_rows ? "count_differs" : "content_differs";
    return t->nmissing_in_to ? "columns_missing" : "equal";
}

static void print_json(const char *from, const char *to, const verify_report *r)
{
    strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, "{\"from\": ");
    strbuf_add_json_string(&sb, from);
    strbuf_adds(&sb, ", \"to\": ");
    strbuf_add_json_string(&sb, to);
    strbuf_addf(&sb, ", \"equal\": %s, \"tables\": [", r->ndiffer ? "false" : "true");
    for (size_t i = 0; i < r->ntables; i++) {
        const verify_table *t = &r->tables[i];
        strbuf_adds(&sb, i ? ",\n  {\"table\": " : "\n  {\"table\": ");
        strbuf_add_json_string(&sb, t->name);
        if (t->tenant) {
            strbuf_adds(&sb, ", \"tenant\": ");
            strbuf_add_json_string(&sb, t->tenant);
            strbuf_adds(&sb, ", \"tenant_value\": ");
            if (t->tenant_value)
                strbuf_add_json_string(&sb, t->tenant_value);
            else
                strbuf_adds(&sb, "null");
        }
        strbuf_addf(&sb, ", \"status\": \"%s\", \"from_rows\": %lld", table_status(t), (long long)t->from_rows);
        if (t->missing)
            strbuf_adds(&sb, ", \"to_rows\": null");
        else
            strbuf_addf(&sb, ", \"to_rows\": %lld", (long long)t->to_rows);
        strbuf_addf(&sb, ", \"from_checksum\": \"%s\", \"to_checksum\": ", t->from_sum);
        if (t->missing)
            strbuf_adds(&sb, "null");
        else
            strbuf_addf(&sb, "\"%s\"", t->to_sum);
        strbuf_adds(&sb, ", \"columns\": [");
        for (size_t c = 0; c < t->ncolumns; c++) {
            strbuf_adds(&sb, c ? ", {\"name\": " : "{\"name\": ");
            strbuf_add_json_string(&sb, t->columns[c]);
            strbuf_addf(&sb, ", \"kind\": \"%s\"}", verify_kind_name(t->kinds[c]));
        }
        strbuf_addch(&sb, ']');
        add_names_json(&sb, "missing_in_to", t->missing_in_to, t->nmissing_in_to);
        add_names_json(&sb, "missing_in_from", t->missing_in_from, t->nmissing_in_from);
        add_names_json(&sb, "remapped", t->remapped, t->nremapped);
        strbuf_addch(&sb, '}');
    }
    strbuf_addf(&sb, "\n], \"tables_differing\": %zu}\n", r->ndiffer);
    fputs(strbuf_str(&sb), stdout);
    strbuf_release(&sb);
}

static void print_names(const char *label, const char **v, size_t n)
{
    if (!n)
        return;
    printf("    %s:", label);
    for (size_t i = 0; i < n; i++)
        printf("%s %s", i ? "," : "", v[i]);
    putchar('\n');
}

static const char *label(const verify_table *t, char *buf, size_t cap)
{
    if (!t->tenant)
        return t->name;
    snprintf(buf, cap, "%s [%s]", t->name, t->tenant);
    return buf;
}

static void print_text(const char *from, const char *to, const verify_report *r)
{
    printf("verify %s -> %s\n", from, to);
    size_t w = 5;
    char buf[512];
    for (size_t i = 0; i < r->ntables; i++)
        if (strlen(label(&r->tables[i], buf, sizeof buf)) > w)
            w = strlen(label(&r->tables[i], buf, sizeof buf));
    for (size_t i = 0; i < r->ntables; i++) {
        const verify_table *t = &r->tables[i];
        const char *name = label(t, buf, sizeof buf);
        const char *st = table_status(t);
        if (t->missing) {
            printf("  %-*s  missing in the target (source: %lld rows)\n", (int)w, name, (long long)t->from_rows);
        } else if (t->equal) {
            printf("  %-*s  %s  %lld rows  checksum %.16s\n", (int)w, name,
                   t->nmissing_in_to ? "equal on the shared columns" : "equal", (long long)t->from_rows,
                   t->from_sum);
        } else {
            printf("  %-*s  DIFFERS (%s)  rows %lld -> %lld  checksum %.16s -> %.16s\n", (int)w, name,
                   !strcmp(st, "count_differs") ? "row count" : "content", (long long)t->from_rows,
                   (long long)t->to_rows, t->from_sum, t->to_sum);
        }
        print_names("columns missing in the target", t->missing_in_to, t->nmissing_in_to);
        print_names("target columns not in the source (not compared)", t->missing_in_from, t->nmissing_in_from);
        print_names("remapped by the copy (counted, not compared)", t->remapped, t->nremapped);
    }
    printf("%zu %s%s: %zu equal, %zu differ%s\n", r->ntables, r->ntables && r->tables[0].tenant ? "table/tenant pair" : "table", r->ntables == 1 ? "" : "s",
           r->ntables - r->ndiffer, r->ndiffer, r->ndiffer == 1 ? "s" : "");
}

int cmd_verify_copy(int argc, char **argv)
{
    const char *from = NULL, *to = NULL, *spec = NULL, *format = "text";
    cli_strlist tables = {0};
    const cli_option opts[] = {
        {OPT_STRING, 0, "from", &from, "URL", "the source database (SQLite path or PostgreSQL URL)"},
        {OPT_STRING, 0, "to", &to, "URL", "the copy (default: $DATABASE_URL)"},
        {OPT_STRING_LIST, 0, "tables", &tables, "T[,T...]", "only these tables (repeatable)"},
        {OPT_STRING, 0, "spec", &spec, "FILE", "a copy spec: verify per spec table and tenant"},
        {OPT_STRING, 'f', "format", &format, "FORMAT", "text (default) or json"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    int n = cli_parse_options(argc, argv, opts, verify_copy_usage, verify_copy_description);
    if (n == -2) {
        cli_strlist_free(&tables);
        return EXIT_OK;
    }
    int rc = EXIT_USAGE;
    if (n < 0)
        goto done;
    if (n > 0) {
        fprintf(stderr, "dbsage: error: verify --from takes no positional argument ('%s')\n", argv[0]);
        goto done;
    }
    if (!to)
        to = getenv("DATABASE_URL");
    if (!from || !to || !*from || !*to) {
        fprintf(stderr, "dbsage: error: verify needs --from URL and --to URL (or $DATABASE_URL)\n");
        goto done;
    }
    if (strcmp(format, "text") && strcmp(format, "json")) {
        fprintf(stderr, "dbsage: error: unknown --format '%s' (text, json)\n", format);
        goto done;
    }
    arena mem;
    arena_init(&mem);
    diag_list diags;
    diag_list_init(&diags, &mem);
    /* --tables a,b --tables c */
    const char **names = NULL;
    size_t nnames = 0;
    for (size_t i = 0; i < tables.n; i++) {
        char *copy = arena_strdup(&mem, tables.v[i]);
        for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) {
            names = arena_realloc(&mem, names, nnames * sizeof *names, (nnames + 1) * sizeof *names);
            names[nnames++] = tok;
        }
    }
    const copy_spec *cs = spec ? copy_spec_load(&mem, spec, &diags) : NULL;
    db_open_opts oo = {.read_only = true};
    db_conn *fc = !spec || cs ? db_open(from, &oo, &diags) : NULL;
    db_conn *tc = fc ? db_open(to, &oo, &diags) : NULL;
    if (fc && tc) {
        verify_opts vo = {names, nnames};
        verify_report rep;
        int vrc = cs ? verify_copy_spec(fc, tc, cs, &vo, &mem, &rep, &diags)
                     : verify_copy(fc, tc, &vo, &mem, &rep, &diags);
        if (vrc == 0) {
            const char *mf = url_mask(&mem, from), *mt = url_mask(&mem, to);
            if (!strcmp(format, "json"))
                print_json(mf, mt, &rep);
            else
                print_text(mf, mt, &rep);
            rc = rep.ndiffer ? EXIT_FINDINGS : EXIT_OK;
        }
    }
    cli_print_diags(&diags);
    if (tc)
        db_close(tc);
    if (fc)
        db_close(fc);
    arena_free(&mem);
done:
    cli_strlist_free(&tables);
    return rc;
}
