/*
 * options.c — table-driven option parsing shared by every subcommand.
 * Supports --long, --long=value, --long value, -s value, -s, and "--".
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cli_strlist_push(cli_strlist *l, const char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = realloc(l->v, l->cap * sizeof(*l->v));
        if (!l->v)
            abort();
    }
    l->v[l->n++] = s;
}

void cli_strlist_free(cli_strlist *l)
{
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

void cli_usage(FILE *out, const cli_option *opts, const char *usage, const char *description)
{
    fprintf(out, "usage: %s\n", usage);
    if (description)
        fprintf(out, "\n%s\n", description);
    fputs("\noptions:\n", out);
    for (const cli_option *o = opts; o->type != OPT_END; o++) {
        char left[96];
        int n = 0;
        if (o->short_name)
            n = snprintf(left, sizeof left, "-%c, ", o->short_name);
        else
            n = snprintf(left, sizeof left, "    ");
        if (o->type == OPT_FLAG)
            snprintf(left + n, sizeof left - (size_t)n, "--%s", o->long_name);
        else
            snprintf(left + n, sizeof left - (size_t)n, "--%s %s", o->long_name,
                     o->argh ? o->argh : "VALUE");
        fprintf(out, "  %-30s %s\n", left, o->help ? o->help : "");
    }
    fprintf(out, "  %-30s %s\n", "-h, --help", "show this help");
}

static int set_value(const cli_option *o, const char *arg)
{
    switch (o->type) {
    case OPT_FLAG: *(bool *)o->value = true; return 0;
    case OPT_STRING: *(const char **)o->value = arg; return 0;
    case OPT_STRING_LIST: cli_strlist_push(o->value, arg); return 0;
    case OPT_INT: {
        char *end;
        long v = strtol(arg, &end, 10);
        if (!*arg || *end) {
            fprintf(stderr, "dbsage: error: option --%s expects a number, got '%s'\n", o->long_name, arg);
            return -1;
        }
        *(int *)o->value = (int)v;
        return 0;
    }
    default: return -1;
    }
}

int cli_parse_options(int argc, char **argv, const cli_option *opts, const char *usage,
                      const char *description)
{
    int npos = 0;
    bool only_pos = false;
    for (int i = 0; i < argc; i++) {
        char *a = argv[i];
        if (only_pos || a[0] != '-' || !a[1]) {
            argv[npos++] = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            only_pos = true;
            continue;
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            cli_usage(stdout, opts, usage, description);
            return -2;
        }
        const cli_option *found = NULL;
        const char *inline_val = NULL;
        if (a[1] == '-') {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            for (const cli_option *o = opts; o->type != OPT_END; o++)
                if (strlen(o->long_name) == len && !strncmp(o->long_name, name, len))
                    found = o;
            if (eq)
                inline_val = eq + 1;
        } else {
            for (const cli_option *o = opts; o->type != OPT_END; o++)
                if (o->short_name == a[1])
                    found = o;
            if (found && a[2])
                inline_val = a + 2;
        }
        if (!found) {
            fprintf(stderr, "dbsage: error: unknown option '%s'\n", a);
            cli_usage(stderr, opts, usage, NULL);
            return -1;
        }
        if (found->type == OPT_FLAG) {
            if (inline_val) {
                fprintf(stderr, "dbsage: error: option --%s takes no value\n", found->long_name);
                return -1;
            }
            set_value(found, NULL);
            continue;
        }
        const char *val = inline_val;
        if (!val) {
            if (i + 1 >= argc) {
                fprintf(stderr, "dbsage: error: option --%s needs a value\n", found->long_name);
                return -1;
            }
            val = argv[++i];
        }
        if (set_value(found, val) < 0)
            return -1;
    }
    return npos;
}

bool cli_color(FILE *f)
{
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc)
        return false;
    return isatty(fileno(f));
}

void cli_print_diags(const diag_list *dl)
{
    diag_print(stderr, dl, cli_color(stderr));
}
