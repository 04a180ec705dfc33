/*
 * cli.h — the command-line layer: the only place that parses arguments,
 * prints to the user and chooses exit codes.
 *
 * Exit codes (every command): 0 ok, 1 findings / differences / input
 * errors, 2 usage or I/O errors.
 */
#ifndef DBSAGE_CLI_H
#define DBSAGE_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "catalog/catalog.h"
#include "util/diag.h"

enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

/* ---- option tables (git parse-options style) ----------------------------- */

typedef enum opt_type { OPT_END = 0, OPT_FLAG, OPT_STRING, OPT_STRING_LIST, OPT_INT } opt_type;

typedef struct cli_strlist {
    const char **v;
    size_t n, cap;
} cli_strlist;

typedef struct cli_option {
    opt_type type;
    char short_name;        /* 0 = none */
    const char *long_name;
    void *value;            /* bool*, const char**, cli_strlist*, int* */
    const char *argh;       /* placeholder in help, e.g. "NAME" */
    const char *help;
} cli_option;

/* Parses argv (after the command name) in place.  Returns the number of
 * positional arguments left in argv[0..n), or -1 after printing a usage
 * error, or -2 when --help was printed. */
int cli_parse_options(int argc, char **argv, const cli_option *opts, const char *usage,
                      const char *description);
void cli_usage(FILE *out, const cli_option *opts, const char *usage, const char *description);
void cli_strlist_push(cli_strlist *l, const char *s);
void cli_strlist_free(cli_strlist *l);

/* colour on stderr: only on a TTY and never with NO_COLOR */
bool cli_color(FILE *f);
void cli_print_diags(const diag_list *dl);

/* load.c: SOURCE arguments -> one catalog (shared by inspect and diff) */
/* the --dialect option value (NULL: none) -> *out (DIALECT_UNKNOWN for none);
 * false after printing a usage error for an unknown name */
bool cli_dialect_option(const char *name, dialect *out);
/* the one dialect of the sources (forced wins); DIALECT_UNKNOWN after a diagnostic */
dialect cli_sources_dialect(const char **sources, int n, dialect forced, arena *mem, diag_list *diags);
/* NULL with *rc = EXIT_USAGE when a source cannot be read; *rc = EXIT_FINDINGS when
 * the sources had errors (catalog still returned) */
catalog *cli_load_catalog(const char **sources, int n, dialect forced, const char **schemas, size_t nschemas,
                          arena *mem, diag_list *diags, int *rc);

/* connect.c: given URL > spec into: > $DATABASE_URL > ./.env > dbsage.db */
const char *cli_resolve_url(const char *given, const char *spec_into, arena *mem);

/* The SOURCE arguments argv[0..*n), or $DATABASE_URL (and *n = 1) when none
 * are given; NULL after printing a usage error (none given, DATABASE_URL unset). */
const char **cli_sources_or_env(char **argv, int *n, const cli_option *opts, const char *usage);

/* What inspect, erd and report share: --dialect, the SOURCE arguments (or
 * $DATABASE_URL) and the one catalog they read into.  NULL with *rc set
 * (EXIT_USAGE after a printed usage error, else cli_load_catalog's code);
 * otherwise *rc is EXIT_OK, or EXIT_FINDINGS when the sources had errors. */
catalog *cli_load_args(char **argv, int n, const char *dialect_opt, const cli_strlist *schemas,
                       const cli_option *opts, const char *usage, arena *mem, diag_list *diags, int *rc);

/* subcommands */
int cmd_inspect(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_inventory(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_infer(int argc, char **argv);
int cmd_copy(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_erd(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
