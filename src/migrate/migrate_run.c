/*
 * migrate_run.c — the runner: lock, status (files merged with tracking
 * rows), up, down, redo, baseline, pending (for plan), the live schema
 * without the tracking table (for drift and up --dump) and drift.
 *
 * Transactions: a migration's statements and its tracking row commit
 * together.  `-- dbsage:no-transaction` migrations: row first with
 * execution_ms NULL (dirty), statements one by one, then execution_ms set.
 * Rolling back such a migration runs its down statements outside a
 * transaction, then deletes the row.
 */
#include "migrate/migrate.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "source/source.h"

const char *migrate_state_name(migrate_state s)
{
    switch (s) {
    case MIGRATE_PENDING: return "pending";
    case MIGRATE_APPLIED: return "applied";
    case MIGRATE_CHANGED: return "changed";
    case MIGRATE_MISSING_FILE: return "missing-file";
    case MIGRATE_DIRTY: return "dirty";
    }
    return "?";
}

static src_loc db_loc(const migrate_ctx *ctx)
{
    src_loc loc = {db_spec_masked(ctx->db), 0, 0};
    return loc;
}

static src_loc file_loc(const migration *m)
{
    src_loc loc = {m->path, 1, 1};
    return loc;
}

static src_loc dir_loc(const migrate_ctx *ctx)
{
    src_loc loc = {ctx->files->dir, 0, 0};
    return loc;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *where(const migrate_ctx *ctx)
{
    return ctx->schema ? arena_printf(ctx->mem, " (schema %s)", ctx->schema) : "";
}

int migrate_begin(migrate_ctx *ctx, bool lock, diag_list *diags)
{
    memset(&ctx->applied, 0, sizeof ctx->applied);
    ctx->locked = false;
    ctx->applied_by = migrate_applied_by(ctx->mem);
    ctx->lock_name = ctx->schema ? arena_printf(ctx->mem, "%s:%s", MIGRATE_LOCK_NAME, ctx->schema) : MIGRATE_LOCK_NAME;
    if (ctx->schema && db_set_schema(ctx->db, ctx->schema) < 0) {
        diag_error(diags, db_loc(ctx), "cannot switch to schema %s: %s", ctx->schema, db_last_error(ctx->db));
        return -1;
    }
    if (lock) {
        int rc = db_lock_acquire(ctx->db, ctx->lock_name, ctx->lock_timeout_ms);
        if (rc == 1) {
            diag_error(diags, db_loc(ctx),
                       "timed out after %d ms waiting for the migration lock '%s' (another dbsage migrate is "
                       "running; see --lock-timeout)",
                       ctx->lock_timeout_ms, ctx->lock_name);
            return -1;
        }
        if (rc < 0) {
            diag_error(diags, db_loc(ctx), "cannot take the migration lock '%s': %s", ctx->lock_name,
                       db_last_error(ctx->db));
            return -1;
        }
        ctx->locked = true;
        if (migrate_tracking_ensure(ctx->db, ctx->schema, diags) < 0)
            return -1;
    }
    return migrate_tracking_load(ctx->db, ctx->schema, ctx->mem, &ctx->applied, diags);
}

void migrate_end(migrate_ctx *ctx)
{
    if (ctx->locked) {
        db_rollback(ctx->db);
        db_lock_release(ctx->db, ctx->lock_name);
        ctx->locked = false;
    }
}

static int reload(migrate_ctx *ctx, diag_list *diags)
{
    return migrate_tracking_load(ctx->db, ctx->schema, ctx->mem, &ctx->applied, diags);
}

const char *migrate_current_version(const migrate_ctx *ctx)
{
    return ctx->applied.n ? ctx->applied.v[ctx->applied.n - 1].version : "";
}

void migrate_status(const migrate_ctx *ctx, migrate_status_list *out)
{
    memset(out, 0, sizeof *out);
    const char *latest = ctx->applied.n ? ctx->applied.v[ctx->applied.n - 1].version : NULL;
    size_t i = 0, j = 0, nf = ctx->files->items.n, na = ctx->applied.n;
    while (i < nf || j < na) {
        const migration *f = i < nf ? &ctx->files->items.v[i] : NULL;
        const migrate_record *r = j < na ? &ctx->applied.v[j] : NULL;
        int c = !f ? 1 : !r ? -1 : migration_version_cmp(f->version, r->version);
        migrate_status_item it = {0};
        if (c < 0) {
            it.version = f->version;
            it.name = f->name;
            it.file = f;
            it.state = MIGRATE_PENDING;
            it.out_of_order = latest && migration_version_cmp(f->version, latest) < 0;
            i++;
        } else if (c > 0) {
            it.version = r->version;
            it.name = r->name;
            it.record = r;
            it.state = MIGRATE_MISSING_FILE;
            j++;
        } else {
            it.version = f->version;
            it.name = f->name;
            it.file = f;
            it.record = r;
            it.state = r->execution_ms < 0                 ? MIGRATE_DIRTY
                       : strcmp(r->checksum, f->checksum) ? MIGRATE_CHANGED
                                                          : MIGRATE_APPLIED;
            i++;
            j++;
        }
        VEC_PUSH(ctx->mem, *out, it);
    }
}

static bool known_version(const migrate_ctx *ctx, const char *v)
{
    if (migration_set_find(ctx->files, v))
        return true;
    for (size_t i = 0; i < ctx->applied.n; i++)
        if (!migration_version_cmp(ctx->applied.v[i].version, v))
            return true;
    return false;
}

int migrate_pending(const migrate_ctx *ctx, const char *to, migrate_file_list *out, diag_list *diags)
{
    memset(out, 0, sizeof *out);
    if (to && !known_version(ctx, to)) {
        diag_error(diags, dir_loc(ctx), "--to %s: no migration has this version", to);
        return -1;
    }
    migrate_status_list st;
    migrate_status(ctx, &st);
    for (size_t i = 0; i < st.n; i++) {
        const migrate_status_item *it = &st.v[i];
        if (to && migration_version_cmp(it->version, to) > 0)
            break;
        if (it->state == MIGRATE_PENDING || (it->state == MIGRATE_DIRTY && it->file))
            VEC_PUSH(ctx->mem, *out, it->file);
    }
    return 0;
}

static void add_step(migrate_ctx *ctx, migrate_step_list *steps, const char *action, const migration *m,
                     const char *version, const char *name, int64_t ms)
{
    if (!steps)
        return;
    migrate_step s = {action, m ? m->version : version, m ? m->name : name, m ? m->path : NULL, ms};
    VEC_PUSH(ctx->mem, *steps, s);
}

static int record_cmp(const void *a, const void *b)
{
    return migration_version_cmp(((const migrate_record *)a)->version, ((const migrate_record *)b)->version);
}

/* drop a version from ctx->applied */
static void forget(migrate_ctx *ctx, const char *version)
{
    for (size_t i = 0; i < ctx->applied.n; i++)
        if (!migration_version_cmp(ctx->applied.v[i].version, version)) {
            VEC_REMOVE(ctx->applied, i);
            return;
        }
}

/* Run one migration's up section and record it. */
static int apply_one(migrate_ctx *ctx, const migration *m, bool dirty, migrate_step_list *steps, diag_list *diags)
{
    db_conn *db = ctx->db;
    int64_t t0 = now_ms();
    migrate_record r = {.version = m->version, .name = m->name, .checksum = m->checksum, .execution_ms = -1,
                        .applied_by = ctx->applied_by};
    if (m->no_transaction) {
        if (dirty && migrate_tracking_delete(db, ctx->schema, m->version, diags) < 0)
            return -1;
        if (migrate_tracking_insert(db, ctx->schema, &r, diags) < 0)
            return -1;
        if (m->up.len && db_exec_script(db, m->path, m->up.text, m->up.len, m->up.first_line, diags) < 0) {
            diag_note(diags, file_loc(m),
                      "this migration runs outside a transaction (dbsage:no-transaction): the statements before "
                      "the failing one stay applied; it is marked dirty and `up` runs it again");
            return -1;
        }
        if (migrate_tracking_finish(db, ctx->schema, m->version, now_ms() - t0, diags) < 0)
            return -1;
    } else {
        if (db_begin(db) < 0) {
            diag_error(diags, db_loc(ctx), "cannot begin a transaction: %s", db_last_error(db));
            return -1;
        }
        /* a dirty row of a file that has since lost its no-transaction marker */
        if (dirty && migrate_tracking_delete(db, ctx->schema, m->version, diags) < 0) {
            db_rollback(db);
            return -1;
        }
        if (m->up.len && db_exec_script(db, m->path, m->up.text, m->up.len, m->up.first_line, diags) < 0) {
            db_rollback(db);
            diag_note(diags, file_loc(m), "migration %s rolled back; the database stays at version %s%s",
                      m->version, *migrate_current_version(ctx) ? migrate_current_version(ctx) : "(none)",
                      where(ctx));
            return -1;
        }
        r.execution_ms = now_ms() - t0;
        if (migrate_tracking_insert(db, ctx->schema, &r, diags) < 0) {
            db_rollback(db);
            return -1;
        }
        if (db_commit(db) < 0) {
            diag_error(diags, file_loc(m), "cannot commit migration %s: %s", m->version, db_last_error(db));
            db_rollback(db);
            return -1;
        }
    }
    add_step(ctx, steps, "applied", m, NULL, NULL, now_ms() - t0);
    /* keep ctx->applied current without a round trip (reloaded once at the end) */
    r.execution_ms = now_ms() - t0;
    forget(ctx, m->version);
    VEC_PUSH(ctx->mem, ctx->applied, r);
    qsort(ctx->applied.v, ctx->applied.n, sizeof *ctx->applied.v, record_cmp);
    return 0;
}

/* Run one migration's down section and delete its row. */
static int revert_one(migrate_ctx *ctx, const migration *m, migrate_step_list *steps, diag_list *diags)
{
    db_conn *db = ctx->db;
    int64_t t0 = now_ms();
    bool tx = !m->no_transaction;
    if (tx && db_begin(db) < 0) {
        diag_error(diags, db_loc(ctx), "cannot begin a transaction: %s", db_last_error(db));
        return -1;
    }
    if (m->down.len && db_exec_script(db, m->path, m->down.text, m->down.len, m->down.first_line, diags) < 0) {
        if (tx) {
            db_rollback(db);
            diag_note(diags, file_loc(m), "rollback of %s undone; the database stays at version %s%s", m->version,
                      migrate_current_version(ctx), where(ctx));
        }
        return -1;
    }
    if (migrate_tracking_delete(db, ctx->schema, m->version, diags) < 0) {
        if (tx)
            db_rollback(db);
        return -1;
    }
    if (tx && db_commit(db) < 0) {
        diag_error(diags, file_loc(m), "cannot commit the rollback of %s: %s", m->version, db_last_error(db));
        db_rollback(db);
        return -1;
    }
    add_step(ctx, steps, "rolled back", m, NULL, NULL, now_ms() - t0);
    forget(ctx, m->version);
    return 0;
}

int migrate_up(migrate_ctx *ctx, const char *to, migrate_step_list *steps, diag_list *diags)
{
    migrate_status_list st;
    migrate_status(ctx, &st);
    int changed = 0;
    for (size_t i = 0; i < st.n; i++) {
        const migrate_status_item *it = &st.v[i];
        if (it->state == MIGRATE_CHANGED) {
            diag_add(diags, ctx->ignore_changed ? DIAG_WARNING : DIAG_ERROR, file_loc(it->file),
                     "migration %s was applied%s but its file has changed since (checksum %.12s, now %.12s)",
                     it->version, where(ctx), it->record->checksum, it->file->checksum);
            changed++;
        } else if (it->state == MIGRATE_MISSING_FILE) {
            diag_warning(diags, db_loc(ctx), "migration %s (%s) was applied%s but has no file in %s", it->version,
                         it->name, where(ctx), ctx->files->dir);
        }
    }
    if (changed && !ctx->ignore_changed) {
        diag_note(diags, dir_loc(ctx),
                  "nothing applied: restore the file(s), or run up with --ignore-changed");
        return -1;
    }
    migrate_file_list todo;
    if (migrate_pending(ctx, to, &todo, diags) < 0)
        return -1;
    for (size_t i = 0; i < todo.n; i++) {
        const migration *m = todo.v[i];
        bool dirty = false;
        for (size_t k = 0; k < st.n; k++)
            if (st.v[k].file == m && st.v[k].state == MIGRATE_DIRTY)
                dirty = true;
        const char *latest = migrate_current_version(ctx);
        if (dirty)
            diag_warning(diags, file_loc(m),
                         "migration %s was interrupted (dirty)%s; running it again", m->version, where(ctx));
        else if (*latest && migration_version_cmp(m->version, latest) < 0)
            diag_warning(diags, file_loc(m), "migration %s is older than the latest applied version %s%s; applying "
                         "it out of order", m->version, latest, where(ctx));
        if (apply_one(ctx, m, dirty, steps, diags) < 0) {
            reload(ctx, diags);
            return -1;
        }
    }
    return todo.n ? reload(ctx, diags) : 0;
}

static const migrate_record *find_record(const migrate_ctx *ctx, const char *v)
{
    for (size_t i = 0; i < ctx->applied.n; i++)
        if (!migration_version_cmp(ctx->applied.v[i].version, v))
            return &ctx->applied.v[i];
    return NULL;
}

int migrate_down(migrate_ctx *ctx, int steps, const char *to, migrate_step_list *out, diag_list *diags)
{
    src_loc dir = {ctx->files->dir, 0, 0};
    if (steps <= 0 && !to) {
        diag_error(diags, dir, "down needs --steps N (N > 0) or --to VERSION; refusing to roll back everything");
        return -1;
    }
    if (to && strcmp(to, "0") && !known_version(ctx, to)) {
        diag_error(diags, dir, "--to %s: no migration has this version (use --to 0 to roll back all)", to);
        return -1;
    }
    size_t n = 0;
    for (size_t i = ctx->applied.n; i-- > 0;) {
        const char *v = ctx->applied.v[i].version;
        if (to ? migration_version_cmp(v, to) <= 0 && strcmp(to, "0") : (int)n >= steps)
            break;
        n++;
    }
    if (!to && (size_t)steps > n) {
        diag_error(diags, db_loc(ctx), "--steps %d: only %zu migration%s applied%s", steps, n, n == 1 ? "" : "s",
                   where(ctx));
        return -1;
    }
    /* check every one first: nothing runs when one cannot be rolled back */
    const migration **todo = arena_alloc(ctx->mem, (n ? n : 1) * sizeof *todo);
    int bad = 0;
    for (size_t k = 0; k < n; k++) {
        const migrate_record *r = &ctx->applied.v[ctx->applied.n - 1 - k];
        const migration *m = migration_set_find(ctx->files, r->version);
        todo[k] = m;
        if (!m) {
            diag_error(diags, dir, "cannot roll back %s (%s): its file is missing", r->version, r->name);
            bad++;
        } else if (!m->down.present) {
            diag_error(diags, file_loc(m), "cannot roll back %s: the file has no '-- migrate:down' section",
                       r->version);
            bad++;
        }
    }
    if (bad) {
        diag_note(diags, dir, "nothing rolled back");
        return -1;
    }
    for (size_t k = 0; k < n; k++)
        if (revert_one(ctx, todo[k], out, diags) < 0) {
            reload(ctx, diags);
            return -1;
        }
    return reload(ctx, diags);
}

int migrate_redo(migrate_ctx *ctx, migrate_step_list *out, diag_list *diags)
{
    if (!ctx->applied.n) {
        diag_error(diags, db_loc(ctx), "redo: no migration is applied%s", where(ctx));
        return -1;
    }
    const char *v = ctx->applied.v[ctx->applied.n - 1].version;
    if (migrate_down(ctx, 1, NULL, out, diags) < 0)
        return -1;
    const migration *m = migration_set_find(ctx->files, v);
    int rc = apply_one(ctx, m, false, out, diags);
    return reload(ctx, diags) < 0 ? -1 : rc;
}

int migrate_baseline(migrate_ctx *ctx, const char *version, migrate_step_list *out, diag_list *diags)
{
    if (!migration_set_find(ctx->files, version)) {
        diag_error(diags, dir_loc(ctx), "baseline %s: no migration file has this version",
                   version);
        return -1;
    }
    if (db_begin(ctx->db) < 0) {
        diag_error(diags, db_loc(ctx), "cannot begin a transaction: %s", db_last_error(ctx->db));
        return -1;
    }
    for (size_t i = 0; i < ctx->files->items.n; i++) {
        const migration *m = &ctx->files->items.v[i];
        if (migration_version_cmp(m->version, version) > 0)
            break;
        if (find_record(ctx, m->version))
            continue;
        migrate_record r = {.version = m->version, .name = m->name, .checksum = m->checksum, .execution_ms = 0,
                            .applied_by = ctx->applied_by};
        if (migrate_tracking_insert(ctx->db, ctx->schema, &r, diags) < 0) {
            db_rollback(ctx->db);
            return -1;
        }
        add_step(ctx, out, "baselined", m, NULL, NULL, 0);
    }
    if (db_commit(ctx->db) < 0) {
        diag_error(diags, db_loc(ctx), "cannot commit the baseline: %s", db_last_error(ctx->db));
        db_rollback(ctx->db);
        return -1;
    }
    return reload(ctx, diags);
}

catalog *migrate_live_schema(migrate_ctx *ctx, const char *spec, diag_list *diags)
{
    catalog *cat = catalog_new(db_dialect(ctx->db));
    cat->source = arena_strdup(&cat->mem, db_spec_masked(ctx->db));
    const char *schemas[1] = {ctx->schema};
    source_opts opts = {db_dialect(ctx->db), ctx->schema ? schemas : NULL, ctx->schema ? 1 : 0};
    if (source_load(cat, spec, &opts, diags) < 0) {
        catalog_free(cat);
        return NULL;
    }
    source_filter_schemas(cat, &opts);
    catalog_remove_tool_tables(cat);
    return cat;
}

int migrate_drift(migrate_ctx *ctx, const char *spec, migration_drift_list *out, diag_list *diags)
{
    memset(out, 0, sizeof *out);
    const char **versions = arena_alloc(ctx->mem, (ctx->applied.n + 1) * sizeof *versions);
    for (size_t i = 0; i < ctx->applied.n; i++)
        versions[i] = ctx->applied.v[i].version;
    catalog *expected = migration_set_schema(ctx->files, db_dialect(ctx->db), versions, ctx->applied.n, ctx->schema,
                                             diags);
    if (!expected)
        return -1;
    catalog *live = migrate_live_schema(ctx, spec, diags);
    if (!live) {
        catalog_free(expected);
        return -1;
    }
    int rc = migration_drift(expected, live, ctx->mem, out, diags);
    /* the items may point into the catalogs: keep copies in ctx->mem */
    for (size_t i = 0; i < out->n; i++) {
        migration_drift_item *it = &out->v[i];
        it->change = arena_strdup(ctx->mem, it->change);
        it->schema = arena_strdup(ctx->mem, it->schema);
        it->name = arena_strdup(ctx->mem, it->name);
        it->sub = arena_strdup(ctx->mem, it->sub);
        it->detail = arena_strdup(ctx->mem, it->detail);
    }
    catalog_free(expected);
    catalog_free(live);
    return rc;
}
