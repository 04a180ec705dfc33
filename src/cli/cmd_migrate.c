/*
 * cmd_migrate.c — `dbsage migrate`: the versioned migration runner's
 * command line (new, up, down, redo, status, history, validate, baseline,
 * plan, diff, drift), connection resolution (--url > DATABASE_URL > .env >
 * dbsage.db), tenant schemas (--schemas GLOB) and the text/JSON output.
 * The work itself is in src/migrate (migrate.h, migration_files.h).
 *
 * Exit codes: 0 ok; 1 findings (validate, drift, status --exit-code) or a
 * migration that failed / was refused; 2 usage, connection, lock timeout or
 * migration-directory errors (duplicate versions included).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "diff/diff.h"
#include "emit/emit.h"
#include "migrate/migrate.h"
#include "util/strbuf.h"
#include "util/url.h"

static const char migrate_usage[] =
    "dbsage migrate [--url URL] [--dir DIR] [--schemas GLOB] [--lock-timeout MS] [--statement-timeout MS]\n"
    "               [--format text|json] COMMAND [ARGS]";
static const char migrate_description[] =
    "commands:\n"
    "  new NAME                    create DIR/VERSION_NAME.sql (prints its path)\n"
    "  up [--to V] [--dump FILE]   apply pending migrations in order (exit 0 also when nothing pending)\n"
    "  down (--steps N | --to V)   roll back; refuses without --steps/--to\n"
    "  redo                        down 1 + up 1\n"
    "  status [--exit-code]        version, name, state, applied_at; --exit-code: 1 when pending/changed\n"
    "  history                     applied rows in order with execution_ms, applied_by, dbsage version\n"
    "  validate                    exit 1 when an applied file changed or is missing, naming each\n"
    "  baseline V                  record every migration up to V as applied without running it\n"
    "  plan [--to V]               print the SQL `up` would run, run nothing\n"
    "  diff NAME --to SCHEMA       write the next migration from a desired-state schema (SQL file/dir/db)\n"
    "  drift                       exit 1 when the live schema differs from what the applied migrations produce\n"
    "\n"
    "Connection: --url, else $DATABASE_URL, else a DATABASE_URL= line in ./.env, else the SQLite\n"
    "database dbsage.db (created).  Exit: 0 ok, 1 findings or a failed migration, 2 usage/connection errors.";

typedef struct mopts {
    const char *url, *dir, *schemas, *format, *to, *dump;
    int lock_timeout, statement_timeout, steps;
    bool exit_code, ignore_changed, json;
} mopts;

/* ---- connection ------------------------------------------------------------ */

static dialect url_dialect(const char *url)
{
    return url_is_postgres(url) ? DIALECT_PG : DIALECT_SQLITE;
}

static src_loc at(const char *where)
{
    src_loc loc = {where, 0, 0};
    return loc;
}

/* ---- output helpers -------------------------------------------------------- */

static void json_str(strbuf *o, const char *s)
{
    if (s)
        strbuf_add_json_string(o, s);
    else
        strbuf_adds(o, "null");
}

static void flush(strbuf *o)
{
    fwrite(strbuf_str(o), 1, o->len, stdout);
    strbuf_reset(o);
}

static const char *tenant_prefix(const char *schema, arena *mem)
{
    return schema ? arena_printf(mem, "[%s] ", schema) : "";
}

/* ---- per-target commands --------------------------------------------------- */

typedef struct target_result {
    const char *schema;
    const char *version;   /* current version after the command */
    size_t pending;
    const char *state;     /* up-to-date, pending, changed, dirty, missing-file, failed */
} target_result;

static void summarise(const migrate_ctx *ctx, bool failed, target_result *tr)
{
    migrate_status_list st;
    migrate_status(ctx, &st);
    tr->schema = ctx->schema;
    tr->version = migrate_current_version(ctx);
    tr->pending = 0;
    bool changed = false, dirty = false, missing = false;
    for (size_t i = 0; i < st.n; i++) {
        tr->pending += st.v[i].state == MIGRATE_PENDING;
        changed |= st.v[i].state == MIGRATE_CHANGED;
        dirty |= st.v[i].state == MIGRATE_DIRTY;
        missing |= st.v[i].state == MIGRATE_MISSING_FILE;
    }
    tr->state = failed     ? "failed"
                : dirty    ? "dirty"
                : changed  ? "changed"
                : missing  ? "missing-file"
                : tr->pending ? "pending"
                              : "up-to-date";
}

static void print_steps(const migrate_step_list *steps, const migrate_ctx *ctx, const mopts *o, strbuf *out)
{
    if (o->json)
        return;
    const char *pre = tenant_prefix(ctx->schema, ctx->mem);
    for (size_t i = 0; i < steps->n; i++) {
        const migrate_step *s = &steps->v[i];
        strbuf_addf(out, "%s%s %s%s%s (%lld ms)\n", pre, s->action, s->version, *s->name ? "_" : "", s->name,
                    (long long)s->execution_ms);
    }
}

static void status_json_items(strbuf *out, const migrate_status_list *st)
{
    strbuf_adds(out, "[");
    for (size_t i = 0; i < st->n; i++) {
        const migrate_status_item *it = &st->v[i];
        strbuf_adds(out, i ? ",{\"version\":" : "{\"version\":");
        json_str(out, it->version);
        strbuf_adds(out, ",\"name\":");
        json_str(out, it->name);
        strbuf_adds(out, ",\"state\":");
        json_str(out, migrate_state_name(it->state));
        strbuf_adds(out, ",\"applied_at\":");
        json_str(out, it->record ? it->record->applied_at : NULL);
        strbuf_adds(out, ",\"path\":");
        json_str(out, it->file ? it->file->path : NULL);
        strbuf_addf(out, ",\"out_of_order\":%s}", it->out_of_order ? "true" : "false");
    }
    strbuf_adds(out, "]");
}

static bool status_text(const migrate_ctx *ctx, strbuf *out)
{
    migrate_status_list st;
    migrate_status(ctx, &st);
    bool findings = false;
    strbuf_addf(out, "%-16s %-32s %-12s %s\n", "VERSION", "NAME", "STATE", "APPLIED_AT");
    for (size_t i = 0; i < st.n; i++) {
        const migrate_status_item *it = &st.v[i];
        findings |= it->state == MIGRATE_PENDING || it->state == MIGRATE_CHANGED || it->state == MIGRATE_DIRTY;
        strbuf_addf(out, "%-16s %-32s %-12s %s%s\n", it->version, it->name, migrate_state_name(it->state),
                    it->record && it->record->applied_at ? it->record->applied_at : "-",
                    it->out_of_order ? "  (out of order)" : "");
    }
    if (!st.n)
        strbuf_adds(out, "(no migrations)\n");
    return findings;
}

static void history_out(const migrate_ctx *ctx, const mopts *o, strbuf *out, bool *first)
{
    if (!o->json)
        strbuf_addf(out, "%-16s %-32s %-22s %12s %-24s %s\n", "VERSION", "NAME", "APPLIED_AT", "EXECUTION_MS",
                    "APPLIED_BY", "DBSAGE");
    for (size_t i = 0; i < ctx->applied.n; i++) {
        const migrate_record *r = &ctx->applied.v[i];
        if (o->json) {
            strbuf_adds(out, *first ? "{\"schema\":" : ",{\"schema\":");
            *first = false;
            json_str(out, ctx->schema);
            strbuf_adds(out, ",\"version\":");
            json_str(out, r->version);
            strbuf_adds(out, ",\"name\":");
            json_str(out, r->name);
            strbuf_adds(out, ",\"applied_at\":");
            json_str(out, r->applied_at);
            if (r->execution_ms < 0)
                strbuf_adds(out, ",\"execution_ms\":null");
            else
                strbuf_addf(out, ",\"execution_ms\":%lld", (long long)r->execution_ms);
            strbuf_adds(out, ",\"applied_by\":");
            json_str(out, r->applied_by);
            strbuf_adds(out, ",\"dbsage_version\":");
            json_str(out, r->dbsage_version);
            strbuf_adds(out, "}");
        } else {
            char ms[32];
            if (r->execution_ms < 0)
                snprintf(ms, sizeof ms, "dirty");
            else
                snprintf(ms, sizeof ms, "%lld", (long long)r->execution_ms);
            strbuf_addf(out, "%-16s %-32s %-22s %12s %-24s %s\n", r->version, r->name,
                        r->applied_at ? r->applied_at : "-", ms, r->applied_by ? r->applied_by : "-",
                        r->dbsage_version ? r->dbsage_version : "-");
        }
    }
}

/* validate: every changed or missing applied file; returns the count */
static size_t validate_out(const migrate_ctx *ctx, const mopts *o, strbuf *out, bool *first)
{
    migrate_status_list st;
    migrate_status(ctx, &st);
    size_t n = 0;
    const char *pre = tenant_prefix(ctx->schema, ctx->mem);
    for (size_t i = 0; i < st.n; i++) {
        const migrate_status_item *it = &st.v[i];
        if (it->state != MIGRATE_CHANGED && it->state != MIGRATE_MISSING_FILE)
            continue;
        n++;
        if (o->json) {
            strbuf_adds(out, *first ? "{\"schema\":" : ",{\"schema\":");
            *first = false;
            json_str(out, ctx->schema);
            strbuf_adds(out, ",\"version\":");
            json_str(out, it->version);
            strbuf_adds(out, ",\"name\":");
            json_str(out, it->name);
            strbuf_adds(out, ",\"state\":");
            json_str(out, migrate_state_name(it->state));
            strbuf_adds(out, ",\"path\":");
            json_str(out, it->file ? it->file->path : NULL);
            strbuf_adds(out, ",\"applied_checksum\":");
            json_str(out, it->record->checksum);
            strbuf_adds(out, ",\"file_checksum\":");
            json_str(out, it->file ? it->file->checksum : NULL);
            strbuf_adds(out, "}");
        } else if (it->state == MIGRATE_CHANGED) {
            strbuf_addf(out, "%s%s: changed since it was applied (version %s, checksum %.12s, now %.12s)\n", pre,
                        it->file->path, it->version, it->record->checksum, it->file->checksum);
        } else {
            strbuf_addf(out, "%s%s_%s: applied but its file is missing from %s\n", pre, it->version, it->name,
                        ctx->files->dir);
        }
    }
    return n;
}

static void plan_out(const migrate_file_list *todo, const migrate_ctx *ctx, const mopts *o, strbuf *out,
                     bool *first)
{
    for (size_t i = 0; i < todo->n; i++) {
        const migration *m = todo->v[i];
        const char *sql = arena_strndup(ctx->mem, m->up.text ? m->up.text : "", m->up.len);
        if (o->json) {
            strbuf_adds(out, *first ? "{\"schema\":" : ",{\"schema\":");
            *first = false;
            json_str(out, ctx->schema);
            strbuf_adds(out, ",\"version\":");
            json_str(out, m->version);
            strbuf_adds(out, ",\"name\":");
            json_str(out, m->name);
            strbuf_adds(out, ",\"path\":");
            json_str(out, m->path);
            strbuf_addf(out, ",\"transaction\":%s,\"sql\":", m->no_transaction ? "false" : "true");
            json_str(out, sql);
            strbuf_adds(out, "}");
            continue;
        }
        strbuf_addf(out, "-- %s\n", m->path);
        if (ctx->schema)
            strbuf_addf(out, "-- search_path: %s\n", ctx->schema);
        if (m->no_transaction)
            strbuf_adds(out, "-- dbsage:no-transaction (statements run one by one, outside a transaction)\n");
        else
            strbuf_adds(out, "BEGIN;\n");
        strbuf_adds(out, sql);
        if (m->up.len && sql[m->up.len - 1] != '\n')
            strbuf_addch(out, '\n');
        if (!m->no_transaction)
            strbuf_adds(out, "COMMIT;\n");
        strbuf_addch(out, '\n');
    }
}

static bool drift_out(const migration_drift_list *dl, const migrate_ctx *ctx, const mopts *o, strbuf *out,
                      bool *first)
{
    const char *pre = tenant_prefix(ctx->schema, ctx->mem);
    for (size_t i = 0; i < dl->n; i++) {
        const migration_drift_item *it = &dl->v[i];
        if (o->json) {
            strbuf_adds(out, *first ? "{\"schema_filter\":" : ",{\"schema_filter\":");
            *first = false;
            json_str(out, ctx->schema);
            strbuf_adds(out, ",\"change\":");
            json_str(out, it->change);
            strbuf_adds(out, ",\"kind\":");
            json_str(out, cat_object_kind_name(it->kind));
            strbuf_adds(out, ",\"schema\":");
            json_str(out, it->schema);
            strbuf_adds(out, ",\"name\":");
            json_str(out, it->name);
            strbuf_adds(out, ",\"sub\":");
            json_str(out, it->sub);
            strbuf_adds(out, ",\"detail\":");
            json_str(out, it->detail);
            strbuf_adds(out, "}");
        } else {
            strbuf_addf(out, "%s%s %s %s%s%s%s%s%s%s\n", pre, it->change, cat_object_kind_name(it->kind),
                        it->schema ? it->schema : "", it->schema ? "." : "", it->name, it->sub ? "." : "",
                        it->sub ? it->sub : "", it->detail ? ": " : "", it->detail ? it->detail : "");
        }
    }
    if (!o->json && dl->n == 0)
        strbuf_addf(out, "%sno drift: the live schema is what the %zu applied migration(s) produce\n", pre,
                    ctx->applied.n);
    return dl->n > 0;
}

/* ---- the commands that need no database ------------------------------------ */

static int cmd_new(const mopts *o, int npos, char **pos, arena *mem, diag_list *diags)
{
    if (npos != 2) {
        fprintf(stderr, "dbsage: error: usage: dbsage migrate new NAME\n");
        return EXIT_USAGE;
    }
    migration_set set;
    if (migration_set_load(&set, mem, o->dir, diags) < 0)
        return EXIT_USAGE;
    const char *path = NULL;
    if (migration_write_new(&set, pos[1], NULL, NULL, false, &path, diags) < 0)
        return EXIT_USAGE;
    printf("%s\n", path);
    return EXIT_OK;
}

static int cmd_diff_new(const mopts *o, const char *url, int npos, char **pos, arena *mem, diag_list *diags)
{
    if (npos != 2 || !o->to) {
        fprintf(stderr, "dbsage: error: usage: dbsage migrate diff NAME --to SCHEMA\n");
        return EXIT_USAGE;
    }
    migration_set set;
    if (migration_set_load(&set, mem, o->dir, diags) < 0)
        return EXIT_USAGE;
    dialect d = url_dialect(url);
    const char *src[1] = {o->to};
    int lrc = EXIT_OK, rc = EXIT_OK;
    catalog *want = cli_load_catalog(src, 1, d, NULL, 0, mem, diags, &lrc);
    if (!want || lrc != EXIT_OK) {
        catalog_free(want);
        return EXIT_USAGE;
    }
    /* the file is written for review before `up`: it holds every change,
     * destructive ones included (the down section needs the drops anyway) */
    diff_opts dopt;
    memset(&dopt, 0, sizeof dopt);
    dopt.allow_destructive = true;
    const char *path = NULL;
    bool no_changes = false;
    if (migration_write_diff(&set, d, want, pos[1], &dopt, &path, &no_changes, diags) < 0)
        rc = EXIT_USAGE;
    else if (no_changes)
        fprintf(stderr, "dbsage: no differences between %s and the migrations in %s; no file written\n",
                url_mask(mem, o->to), set.dir);
    else
        printf("%s\n", path);
    catalog_free(want);
    return rc;
}

/* ---- up --dump --------------------------------------------------------------- */

static int write_dump(const char *file, const char *url, const char *const *schemas, size_t n, arena *mem,
                      diag_list *diags)
{
    const char *src[1] = {url};
    int lrc = EXIT_OK;
    catalog *cat = cli_load_catalog(src, 1, url_dialect(url), (const char **)schemas, n, mem, diags, &lrc);
    if (!cat)
        return -1;
    for (size_t i = cat->tables.n; i-- > 0;)
        if (!strcmp(cat->tables.v[i]->name, MIGRATE_TABLE))
            catalog_table_remove(cat, cat->tables.v[i]);
    strbuf sb = STRBUF_INIT;
    emit_opts eo = {false, true};
    emit_sql(&sb, cat, &eo);
    int rc = 0;
    FILE *f = fopen(file, "w");
    if (!f || fwrite(strbuf_str(&sb), 1, sb.len, f) != sb.len) {
        diag_error(diags, at(file), "cannot write: %s", strerror(errno));
        rc = -1;
    }
    if (f && fclose(f) != 0 && rc == 0) {
        diag_error(diags, at(file), "write failed: %s", strerror(errno));
        rc = -1;
    }
    strbuf_release(&sb);
    catalog_free(cat);
    return rc;
}

/* ---- the commands that need a database ------------------------------------- */

static bool is_writing(const char *cmd)
{
    return !strcmp(cmd, "up") || !strcmp(cmd, "down") || !strcmp(cmd, "redo") || !strcmp(cmd, "baseline");
}

static int run_db_command(const mopts *o, const char *cmd, int npos, char **pos, const char *url, arena *mem,
                          diag_list *diags)
{
    static const char *const known[] = {"up", "down", "redo", "status", "history", "validate", "baseline",
                                        "plan", "drift", NULL};
    bool ok_cmd = false;
    for (const char *const *k = known; *k; k++)
        ok_cmd |= !strcmp(*k, cmd);
    if (!ok_cmd) {
        fprintf(stderr, "dbsage: error: unknown migrate command '%s' (see dbsage migrate --help)\n", cmd);
        return EXIT_USAGE;
    }
    int want_args = !strcmp(cmd, "baseline") ? 2 : 1;
    if (npos != want_args) {
        fprintf(stderr, "dbsage: error: migrate %s %s\n", cmd,
                want_args == 2 ? "needs one VERSION" : "takes no arguments");
        return EXIT_USAGE;
    }
    if (!strcmp(cmd, "down") && o->steps <= 0 && !o->to) {
        fprintf(stderr, "dbsage: error: migrate down needs --steps N or --to VERSION (it never rolls back "
                        "everything by default)\n");
        return EXIT_USAGE;
    }
    migration_set set;
    if (migration_set_load(&set, mem, o->dir, diags) < 0)
        return EXIT_USAGE;
    db_open_opts dbo = {.create = true,
                        .statement_timeout_ms = o->statement_timeout,
                        .lock_timeout_ms = o->lock_timeout > 0 ? o->lock_timeout : 0,
                        .application_name = "dbsage migrate"};
    db_conn *db = db_open(url, &dbo, diags);
    if (!db)
        return EXIT_USAGE;
    int rc = EXIT_OK;
    const char **tenants = NULL;
    size_t ntenants = 0;
    if (o->schemas) {
        if (db_dialect(db) != DIALECT_PG) {
            diag_error(diags, at(db_spec_masked(db)), "--schemas needs PostgreSQL");
            rc = EXIT_USAGE;
            goto done;
        }
        if (db_list_schemas(db, o->schemas, mem, &tenants, &ntenants) < 0) {
            diag_error(diags, at(db_spec_masked(db)), "cannot list schemas: %s", db_last_error(db));
            rc = EXIT_USAGE;
            goto done;
        }
        if (!ntenants) {
            diag_error(diags, at(db_spec_masked(db)), "--schemas '%s': no schema matches",
                       o->schemas);
            rc = EXIT_USAGE;
            goto done;
        }
    }
    size_t ntargets = o->schemas ? ntenants : 1;
    target_result *results = arena_alloc(mem, ntargets * sizeof *results);
    strbuf out = STRBUF_INIT;
    bool first = true, findings = false;
    if (o->json && strcmp(cmd, "status"))
        strbuf_addf(&out, "{\"%s\":[", !strcmp(cmd, "history") ? "history"
                                      : !strcmp(cmd, "validate") ? "problems"
                                      : !strcmp(cmd, "plan")     ? "plan"
                                      : !strcmp(cmd, "drift")    ? "drift"
                                                                 : "steps");
    if (o->json && !strcmp(cmd, "status"))
        strbuf_adds(&out, o->schemas ? "{\"tenants\":[" : "{\"migrations\":");
    for (size_t t = 0; t < ntargets; t++) {
        migrate_ctx ctx = {.mem = mem,
                           .db = db,
                           .files = &set,
                           .schema = o->schemas ? tenants[t] : NULL,
                           .lock_timeout_ms = o->lock_timeout,
                           .ignore_changed = o->ignore_changed};
        migrate_step_list steps = {0};
        bool failed = false;
        if (migrate_begin(&ctx, is_writing(cmd), diags) < 0) {
            migrate_end(&ctx);
            rc = EXIT_USAGE;
            results[t] = (target_result){ctx.schema, "", 0, "failed"};
            continue;
        }
        int r = 0;
        if (!strcmp(cmd, "up"))
            r = migrate_up(&ctx, o->to, &steps, diags);
        else if (!strcmp(cmd, "down"))
            r = migrate_down(&ctx, o->steps, o->to, &steps, diags);
        else if (!strcmp(cmd, "redo"))
            r = migrate_redo(&ctx, &steps, diags);
        else if (!strcmp(cmd, "baseline"))
            r = migrate_baseline(&ctx, pos[1], &steps, diags);
        else if (!strcmp(cmd, "history"))
            history_out(&ctx, o, &out, &first);
        else if (!strcmp(cmd, "validate"))
            findings |= validate_out(&ctx, o, &out, &first) > 0;
        else if (!strcmp(cmd, "plan")) {
            migrate_file_list todo;
            r = migrate_pending(&ctx, o->to, &todo, diags);
            if (r == 0)
                plan_out(&todo, &ctx, o, &out, &first);
        } else if (!strcmp(cmd, "drift")) {
            migration_drift_list dl;
            r = migrate_drift(&ctx, url, &dl, diags);
            if (r == 0)
                findings |= drift_out(&dl, &ctx, o, &out, &first);
        } else if (!strcmp(cmd, "status")) {
            migrate_status_list st;
            migrate_status(&ctx, &st);
            for (size_t i = 0; i < st.n; i++)
                findings |= st.v[i].state == MIGRATE_PENDING || st.v[i].state == MIGRATE_CHANGED ||
                            st.v[i].state == MIGRATE_DIRTY;
            if (o->json) {
                if (o->schemas) {
                    target_result tr;
                    summarise(&ctx, false, &tr);
                    strbuf_adds(&out, t ? ",{\"schema\":" : "{\"schema\":");
                    json_str(&out, tr.schema);
                    strbuf_adds(&out, ",\"version\":");
                    json_str(&out, tr.version);
                    strbuf_addf(&out, ",\"pending\":%zu,\"state\":", tr.pending);
                    json_str(&out, tr.state);
                    strbuf_adds(&out, ",\"migrations\":");
                    status_json_items(&out, &st);
                    strbuf_adds(&out, "}");
                } else {
                    status_json_items(&out, &st);
                }
            } else if (!o->schemas) {
                status_text(&ctx, &out);
            }
        }
        if (r < 0) {
            failed = true;
            rc = rc == EXIT_OK ? EXIT_FINDINGS : rc;
        }
        print_steps(&steps, &ctx, o, &out);
        if (!o->json && !strcmp(cmd, "up") && !failed && !steps.n)
            strbuf_addf(&out, "%snothing to apply: database at version %s\n", tenant_prefix(ctx.schema, mem),
                        *migrate_current_version(&ctx) ? migrate_current_version(&ctx) : "(none)");
        for (size_t i = 0; o->json && i < steps.n; i++) {
            const migrate_step *s = &steps.v[i];
            strbuf_adds(&out, first ? "{\"schema\":" : ",{\"schema\":");
            first = false;
            json_str(&out, ctx.schema);
            strbuf_adds(&out, ",\"action\":");
            json_str(&out, s->action);
            strbuf_adds(&out, ",\"version\":");
            json_str(&out, s->version);
            strbuf_adds(&out, ",\"name\":");
            json_str(&out, s->name);
            strbuf_addf(&out, ",\"execution_ms\":%lld}", (long long)s->execution_ms);
        }
        summarise(&ctx, failed, &results[t]);
        migrate_end(&ctx);
        if (!o->json)
            flush(&out);
    }
    if (o->json)
        strbuf_adds(&out, !strcmp(cmd, "status") && !o->schemas ? "}\n" : "]}\n");
    if (!o->json && o->schemas && (!strcmp(cmd, "status") || is_writing(cmd))) {
        strbuf_addf(&out, "%-24s %-16s %8s %s\n", "SCHEMA", "VERSION", "PENDING", "STATE");
        for (size_t t = 0; t < ntargets; t++)
            strbuf_addf(&out, "%-24s %-16s %8zu %s\n", results[t].schema,
                        *results[t].version ? results[t].version : "-", results[t].pending, results[t].state);
    }
    flush(&out);
    strbuf_release(&out);
    if (rc == EXIT_OK && findings &&
        (!strcmp(cmd, "validate") || !strcmp(cmd, "drift") || (!strcmp(cmd, "status") && o->exit_code)))
        rc = EXIT_FINDINGS;
    if (rc == EXIT_OK && o->dump && !strcmp(cmd, "up") &&
        write_dump(o->dump, url, tenants, ntenants, mem, diags) < 0)
        rc = EXIT_USAGE;
done:
    db_close(db);
    return rc;
}

int cmd_migrate(int argc, char **argv)
{
    mopts o = {.dir = "migrations", .format = "text", .lock_timeout = 60000};
    const cli_option opts[] = {
        {OPT_STRING, 0, "url", &o.url, "URL", "database (default: $DATABASE_URL, .env, dbsage.db)"},
        {OPT_STRING, 0, "dir", &o.dir, "DIR", "migrations directory (default: migrations)"},
        {OPT_STRING, 0, "schemas", &o.schemas, "GLOB", "PostgreSQL: run for every schema matching GLOB"},
        {OPT_INT, 0, "lock-timeout", &o.lock_timeout, "MS", "wait this long for the migration lock (60000)"},
        {OPT_INT, 0, "statement-timeout", &o.statement_timeout, "MS", "server statement timeout (0: none)"},
        {OPT_STRING, 'f', "format", &o.format, "FORMAT", "text (default) or json"},
        {OPT_STRING, 0, "to", &o.to, "V", "up/plan/down: target version; diff: the desired schema"},
        {OPT_INT, 0, "steps", &o.steps, "N", "down: roll back the latest N migrations"},
        {OPT_STRING, 0, "dump", &o.dump, "FILE", "up: write the resulting schema to FILE"},
        {OPT_FLAG, 0, "exit-code", &o.exit_code, NULL, "status: exit 1 when pending or changed"},
        {OPT_FLAG, 0, "ignore-changed", &o.ignore_changed, NULL, "up: run even if an applied file changed"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    int n = cli_parse_options(argc, argv, opts, migrate_usage, migrate_description);
    if (n == -2)
        return EXIT_OK;
    if (n < 0)
        return EXIT_USAGE;
    if (n < 1) {
        fprintf(stderr, "dbsage: error: migrate needs a COMMAND\n");
        cli_usage(stderr, opts, migrate_usage, migrate_description);
        return EXIT_USAGE;
    }
    if (strcmp(o.format, "text") && strcmp(o.format, "json")) {
        fprintf(stderr, "dbsage: error: unknown --format '%s' (text, json)\n", o.format);
        return EXIT_USAGE;
    }
    o.json = !strcmp(o.format, "json");
    arena mem;
    arena_init(&mem);
    diag_list diags;
    diag_list_init(&diags, &mem);
    const char *url = cli_resolve_url(o.url, NULL, &mem);
    const char *cmd = argv[0];
    int rc;
    if (!strcmp(cmd, "new"))
        rc = cmd_new(&o, n, argv, &mem, &diags);
    else if (!strcmp(cmd, "diff"))
        rc = cmd_diff_new(&o, url, n, argv, &mem, &diags);
    else
        rc = run_db_command(&o, cmd, n, argv, url, &mem, &diags);
    cli_print_diags(&diags);
    arena_free(&mem);
    return rc;
}
