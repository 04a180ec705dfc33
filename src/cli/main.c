/*
 * main.c — dbsage entry point: dispatches to one subcommand (git builtin
 * style).  Each subcommand lives in its own cmd_*.c file.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/bigstack.h"

typedef struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"inspect", cmd_inspect, "read schemas (SQL files, SQLite, PostgreSQL) and print the catalog"},
    {"diff", cmd_diff, "print the migration SQL that turns one schema into another"},
    {"migrate", cmd_migrate, "versioned migrations: new, up, down, status, validate, plan, diff, drift"},
    {"inventory", cmd_inventory, "what schema material a repository holds: classes, sequences, conflicts, source of truth"},
    {"compare", cmd_compare, "integration analysis of two schemas: overlaps, conflicts, complements, FK hints"},
    {"lint", cmd_lint, "check a schema's design and migrations' safety (text, json, sarif, github)"},
    {"infer", cmd_infer, "propose an import spec and a migration from a directory of JSON/YAML/Markdown documents"},
    {"import", cmd_import, "load JSON/YAML/Markdown document files into tables as an import spec says"},
    {"copy", cmd_copy, "copy tables between databases (SQLite <-> PostgreSQL, PG -> PG) with a pre-flight profile, resumable"},
    {"verify", cmd_verify, "check an import (--spec) or a copy (--from/--to): counts and content checksums"},
    {"export", cmd_export, "a foreign-key-closed, anonymised subset of a database into SQLite, PostgreSQL or a SQL dump"},
    {"audit", cmd_audit, "DB Sage step-2 audit of an expansion pack: configs, data folders, scripts, entities, KISS gate"},
    {"erd", cmd_erd, "entity-relationship diagram of a schema: svg, mermaid or dot"},
    {"report", cmd_report, "offline schema report (html, md, json): ERD, per-table docs, lint findings"},
    {NULL, NULL, NULL},
};

static void usage(FILE *out)
{
    fputs("usage: dbsage [--version] [--help] COMMAND [options] [ARGS]\n\ncommands:\n", out);
    for (const command *c = commands; c->name; c++)
        fprintf(out, "  %-12s %s\n", c->name, c->summary);
    fputs("\nRun 'dbsage COMMAND --help' for a command's options.\n"
          "Exit codes: 0 ok, 1 findings or input errors, 2 usage or I/O errors.\n",
          out);
}

static int run(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(name, "--version") || !strcmp(name, "version")) {
        printf("dbsage %s\n", DBSAGE_VERSION);
        return EXIT_OK;
    }
    for (const command *c = commands; c->name; c++)
        if (!strcmp(c->name, name))
            return c->fn(argc - 2, argv + 2);
    fprintf(stderr, "dbsage: error: unknown command '%s'\n", name);
    usage(stderr);
    return EXIT_USAGE;
}

typedef struct run_args {
    int argc;
    char **argv;
} run_args;

static int run_cb(void *p)
{
    run_args *a = p;
    return run(a->argc, a->argv);
}

int main(int argc, char **argv)
{
    /* deep SQL nesting must not overflow the stack: see util/bigstack.h */
    run_args a = {argc, argv};
    return bigstack_run(run_cb, &a);
}
