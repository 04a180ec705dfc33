/*
 * main.c — dbsage entry point: dispatches to one subcommand (git builtin
 * style).  Each subcommand lives in its own cmd_*.c file.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

typedef struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"inspect", cmd_inspect, "read schemas (SQL files, SQLite, PostgreSQL) and print the catalog"},
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

/* The PostgreSQL parser and the tree walkers recurse once per nesting level
 * of an expression; a hostile file (a chain of 100,000 `+`) must get a
 * diagnostic, not a stack overflow.  Commands therefore run on a thread with
 * a large stack (address space only: pages are committed when touched). */
enum { DBSAGE_STACK_SIZE = 1024u * 1024u * 1024u };

typedef struct run_args {
    int argc;
    char **argv;
    int rc;
} run_args;

static void *run_thread(void *p)
{
    run_args *a = p;
    a->rc = run(a->argc, a->argv);
    return NULL;
}

int main(int argc, char **argv)
{
    run_args a = {argc, argv, EXIT_USAGE};
    pthread_attr_t attr;
    pthread_t th;
    if (pthread_attr_init(&attr) == 0 && pthread_attr_setstacksize(&attr, DBSAGE_STACK_SIZE) == 0 &&
        pthread_create(&th, &attr, run_thread, &a) == 0) {
        pthread_attr_destroy(&attr);
        pthread_join(th, NULL);
        return a.rc;
    }
    /* no thread (tiny address space): run on the main stack */
    return run(argc, argv);
}
