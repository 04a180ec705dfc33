/*
 * migrate.h — the versioned migration runner: the tracking table
 * (migrate_tracking.c) and the commands that apply, roll back and inspect
 * migrations against one database or one tenant schema (migrate_run.c).
 * Files are read by migration_files.h, databases reached through db/db.h.
 *
 *   migrate_ctx ctx = {.mem = mem, .db = conn, .files = &set, .schema = NULL};
 *   migrate_begin(&ctx, true, diags);      lock + tracking table + applied rows
 *   migrate_up(&ctx, NULL, &steps, diags); every pending migration, in order
 *   migrate_end(&ctx);                     releases the lock
 *
 * Each migration runs in its own transaction together with the INSERT of its
 * tracking row, so a failure or a SIGKILL leaves the previous version.
 * `-- dbsage:no-transaction` migrations insert their row first with
 * execution_ms NULL ("dirty"), run statement by statement, then set
 * execution_ms: a kill in the middle stays visible (state dirty) and the next
 * `up` re-runs the migration after a warning.
 *
 * Library code: never prints; problems are diagnostics (file:line:col of the
 * failing statement for migration errors).  Functions return 0 on success,
 * -1 on error; migrate_up/down stop at the first failing migration, the
 * migrations before it stay applied.
 */
#ifndef DBSAGE_MIGRATE_H
#define DBSAGE_MIGRATE_H

#include <stdbool.h>
#include <stdint.h>

#include "catalog/catalog.h"
#include "db/db.h"
#include "migrate/migration_files.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/vec.h"

#define MIGRATE_TABLE "dbsage_migrations"
#define MIGRATE_LOCK_NAME "dbsage-migrate"

/* ---- the tracking table (migrate_tracking.c) ---------------------------- */

/* One row of dbsage_migrations. */
typedef struct migrate_record {
    const char *version;
    const char *name;
    const char *checksum;       /* migration_checksum of the file when applied */
    const char *applied_at;     /* ISO-8601 UTC, "2026-11-28T17:40:31Z" */
    int64_t execution_ms;       /* -1: NULL — a no-transaction migration started and did not finish (dirty) */
    const char *applied_by;     /* user@host */
    const char *dbsage_version;
} migrate_record;
typedef VEC(migrate_record) migrate_record_list;

/* CREATE TABLE IF NOT EXISTS [schema.]dbsage_migrations (schema NULL = the
 * connection's default). */
int migrate_tracking_ensure(db_conn *c, const char *schema, diag_list *diags);
/* The rows sorted by version (migration_version_cmp); an absent table is no rows. */
int migrate_tracking_load(db_conn *c, const char *schema, arena *mem, migrate_record_list *out,
                          diag_list *diags);
/* r->applied_at / applied_by / dbsage_version NULL: now, this user@host, this dbsage. */
int migrate_tracking_insert(db_conn *c, const char *schema, const migrate_record *r, diag_list *diags);
int migrate_tracking_finish(db_conn *c, const char *schema, const char *version, int64_t execution_ms,
                            diag_list *diags);
int migrate_tracking_delete(db_conn *c, const char *schema, const char *version, diag_list *diags);
/* "user@host" of this process (arena). */
const char *migrate_applied_by(arena *mem);

/* ---- the runner (migrate_run.c) ----------------------------------------- */

typedef enum migrate_state {
    MIGRATE_PENDING,       /* file, no row */
    MIGRATE_APPLIED,       /* row and file, same checksum */
    MIGRATE_CHANGED,       /* row and file, the file's checksum changed since */
    MIGRATE_MISSING_FILE,  /* row, no file */
    MIGRATE_DIRTY,         /* row with execution_ms NULL: started, never finished */
} migrate_state;
const char *migrate_state_name(migrate_state s);   /* "pending", "applied", ... "missing-file", "dirty" */

typedef struct migrate_ctx {
    arena *mem;
    db_conn *db;
    const migration_set *files;
    const char *schema;         /* tenant schema (search_path, own table and lock), NULL = default */
    int lock_timeout_ms;        /* waiting for the migration lock: -1 forever, 0 try once */
    bool ignore_changed;        /* up: run even when an applied file changed */
    /* filled by migrate_begin */
    migrate_record_list applied;
    bool locked;
    const char *lock_name;
    const char *applied_by;     /* user@host, for the rows this run inserts */
} migrate_ctx;

typedef struct migrate_status_item {
    const char *version, *name;
    migrate_state state;
    const migration *file;          /* NULL: missing-file */
    const migrate_record *record;   /* NULL: pending */
    bool out_of_order;              /* pending, older than the latest applied version */
} migrate_status_item;
typedef VEC(migrate_status_item) migrate_status_list;

/* What up/down/redo/baseline did, in order. */
typedef struct migrate_step {
    const char *action;             /* "applied", "rolled back", "baselined" */
    const char *version, *name, *path;
    int64_t execution_ms;
} migrate_step;
typedef VEC(migrate_step) migrate_step_list;

/* Switch to the tenant schema, take the lock when `lock` (the writing
 * commands; the table is created under it), load the applied rows.  A lock
 * not obtained within lock_timeout_ms is an error naming the wait.
 * The database's journal mode and synchronous setting are never changed:
 * every migration is committed with the durability the user configured. */
int migrate_begin(migrate_ctx *ctx, bool lock, diag_list *diags);
void migrate_end(migrate_ctx *ctx);

/* Files and rows merged, in version order. */
void migrate_status(const migrate_ctx *ctx, migrate_status_list *out);
/* The version of the latest applied row ("" when none). */
const char *migrate_current_version(const migrate_ctx *ctx);
/* The files `up --to V` would run, in order (V NULL = all pending); dirty
 * no-transaction migrations are included (they are re-run).  -1 + diagnostic
 * when V is no known version. */
typedef VEC(const migration *) migrate_file_list;
int migrate_pending(const migrate_ctx *ctx, const char *to, migrate_file_list *out, diag_list *diags);

/* Apply pending migrations (up to and including `to`).  Refuses (-1, every
 * changed file named) when an applied file changed, unless ignore_changed;
 * warns about missing files and out-of-order migrations. */
int migrate_up(migrate_ctx *ctx, const char *to, migrate_step_list *steps, diag_list *diags);
/* Roll back the latest `steps` applied migrations (steps > 0), or every one
 * above `to` (to != NULL).  Checks first that each has a file and a down
 * section; nothing runs otherwise. */
int migrate_down(migrate_ctx *ctx, int steps, const char *to, migrate_step_list *out, diag_list *diags);
/* down 1 + up of that same migration. */
int migrate_redo(migrate_ctx *ctx, migrate_step_list *out, diag_list *diags);
/* Record every file up to and including `version` as applied, without running it. */
int migrate_baseline(migrate_ctx *ctx, const char *version, migrate_step_list *out, diag_list *diags);

/* The live schema of the connection (`spec` as given by the user; tenant:
 * only ctx->schema), without the tracking table; NULL + diagnostic on failure. */
catalog *migrate_live_schema(migrate_ctx *ctx, const char *spec, diag_list *diags);
/* Compare the schema the applied migrations produce with the live one. */
int migrate_drift(migrate_ctx *ctx, const char *spec, migration_drift_list *out, diag_list *diags);

#endif
