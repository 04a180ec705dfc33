/*
 * cmd_audit.c — `dbsage audit PACKDIR`: the DB Sage step-2 audit of an
 * expansion pack (docs/audit.md).  Writes data-flow-audit.yaml (--out),
 * prints a summary (text, stderr) or the audit (--format json|yaml, stdout);
 * with --infer also a proposed import spec and a migration (up + down) in
 * migrations/ next to the audit output.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <libgen.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "data/audit.h"
#include "migrate/migration_files.h"
#include "util/strbuf.h"

static const char audit_usage[] = "dbsage audit [--out data-flow-audit.yaml] [--format text|json|yaml] [--infer] PACKDIR";
static const char audit_description[] =
    "Audits an expansion pack's data flows (DB Sage step 2): config files (keys only,\n"
    "secret values never printed), input/output/state folders with file counts,\n"
    "formats and bytes, scripts that read or write data, entities and relations\n"
    "inferred from path templates (outputs/minds/{slug}/...), and the KISS gate\n"
    "questions it can answer, with evidence.  --infer also writes an import spec\n"
    "(import-spec.yaml) and a migration with up and down sections (migrations/)\n"
    "next to the audit output.  Shape: docs/audit.md.";

static int write_file(const char *path, const strbuf *b)
{
    FILE *f = fopen(path, "w");
    if (!f || fwrite(strbuf_str(b), 1, b->len, f) != b->len || fclose(f) != 0) {
        fprintf(stderr, "dbsage: error: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* mkdir -p; 0 or -1 (errno) */
static int make_dirs(const char *path)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n >= sizeof buf)
        return -1;
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1;; p++)
        if (*p == '/' || !*p) {
            char c = *p;
            *p = 0;
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return -1;
            if (!c)
                return 0;
            *p = c;
        }
}

int cmd_audit(int argc, char **argv)
{
    const char *out_opt = "data-flow-audit.yaml", *format = "text";
    bool infer = false;
    const cli_option opts[] = {
        {OPT_STRING, 'o', "out", &out_opt, "FILE", "the audit to write (default data-flow-audit.yaml)"},
        {OPT_STRING, 'f', "format", &format, "FORMAT", "text (summary on stderr, default), json or yaml (stdout)"},
        {OPT_FLAG, 0, "infer", &infer, NULL, "also write an import spec and a migration (up + down)"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    int n = cli_parse_options(argc, argv, opts, audit_usage, audit_description);
    if (n == -2)
        return EXIT_OK;
    if (n < 0)
        return EXIT_USAGE;
    if (n != 1) {
        fprintf(stderr, "dbsage: error: %s\n", n == 0 ? "no PACKDIR given" : "one PACKDIR only");
        cli_usage(stderr, opts, audit_usage, NULL);
        return EXIT_USAGE;
    }
    audit_format f;
    if (!strcmp(format, "text"))
        f = AUDIT_TEXT;
    else if (!strcmp(format, "json"))
        f = AUDIT_JSON;
    else if (!strcmp(format, "yaml"))
        f = AUDIT_YAML;
    else {
        fprintf(stderr, "dbsage: error: unknown --format '%s' (text, json, yaml)\n", format);
        return EXIT_USAGE;
    }

    int rc = EXIT_OK;
    arena mem;
    arena_init(&mem);
    diag_list diags;
    diag_list_init(&diags, &mem);
    const char *out_dir = arena_strdup(&mem, dirname(arena_strdup(&mem, out_opt)));
    const char *mig_dir = !strcmp(out_dir, ".") ? "migrations" : arena_printf(&mem, "%s/migrations", out_dir);
    const char *spec = arena_printf(&mem, "%s/import-spec.yaml", out_dir);
    const char *exclude[] = {out_opt, mig_dir, spec, NULL};
    if (make_dirs(out_dir) != 0) {
        fprintf(stderr, "dbsage: error: cannot create %s: %s\n", out_dir, strerror(errno));
        arena_free(&mem);
        return EXIT_USAGE;
    }
    audit_result *a = audit_run(&mem, argv[0], out_dir, exclude, &diags);
    if (!a) {
        rc = EXIT_USAGE;
        goto done;
    }
    strbuf yaml = STRBUF_INIT;
    audit_write(a, &yaml, AUDIT_YAML);
    if (write_file(out_opt, &yaml) < 0)
        rc = EXIT_USAGE;
    strbuf_release(&yaml);
    if (rc != EXIT_OK)
        goto done;

    const char *mig_path = NULL;
    if (infer) {
        infer_ctx *ix = audit_infer(a);
        if (infer_table_count(ix) == 0) {
            fprintf(stderr, "dbsage: error: no documents in the pack's data folders: nothing to infer\n");
            rc = EXIT_USAGE;
            goto done;
        }
        strbuf up = STRBUF_INIT, down = STRBUF_INIT, sp = STRBUF_INIT;
        infer_write_up(ix, &up, DIALECT_SQLITE);
        infer_write_drop(ix, &down, DIALECT_SQLITE);
        migration_set set = {0};
        struct stat st;
        if (stat(mig_dir, &st) != 0 && make_dirs(mig_dir) != 0) {
            fprintf(stderr, "dbsage: error: cannot create %s: %s\n", mig_dir, strerror(errno));
            rc = EXIT_USAGE;
        } else if (migration_set_load(&set, &mem, mig_dir, &diags) < 0 ||
                   migration_write_new(&set, "audit_schema", strbuf_str(&up), strbuf_str(&down), false, &mig_path,
                                       &diags) < 0)
            rc = EXIT_USAGE;
        if (rc == EXIT_OK) {
            infer_write_spec(ix, &sp, "migrations/");
            if (write_file(spec, &sp) < 0)
                rc = EXIT_USAGE;
        }
        strbuf_release(&up);
        strbuf_release(&down);
        strbuf_release(&sp);
        if (rc != EXIT_OK)
            goto done;
    }

    strbuf rep = STRBUF_INIT;
    audit_write(a, &rep, f);
    fwrite(strbuf_str(&rep), 1, rep.len, f == AUDIT_TEXT ? stderr : stdout);
    strbuf_release(&rep);
    fprintf(stderr, "wrote %s", out_opt);
    if (mig_path)
        fprintf(stderr, ", %s and %s", spec, mig_path);
    fputc('\n', stderr);

done:
    cli_print_diags(&diags);
    audit_free(a);
    arena_free(&mem);
    return rc;
}
