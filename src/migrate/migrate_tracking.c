/*
 * migrate_tracking.c — the dbsage_migrations table: its definition on both
 * engines, reading its rows, inserting, finishing and deleting one.  Every
 * value is bound as a parameter; the (possibly tenant-qualified) table name
 * goes through sql_quote_qualified.
 *
 *   version TEXT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL,
 *   applied_at (timestamptz on PostgreSQL, ISO-8601 UTC TEXT on SQLite),
 *   execution_ms BIGINT (NULL: a no-transaction migration is running or was
 *   interrupted), applied_by TEXT (user@host), dbsage_version TEXT
 */
#include "migrate/migrate.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "emit/emit.h"
#include "util/strbuf.h"

static const char *table_name(db_conn *c, const char *schema)
{
    strbuf sb = STRBUF_INIT;
    sql_quote_qualified(&sb, db_dialect(c), schema, MIGRATE_TABLE);
    const char *s = arena_strdup(db_arena(c), strbuf_str(&sb));
    strbuf_release(&sb);
    return s;
}

static src_loc db_loc(db_conn *c)
{
    src_loc loc = {db_spec_masked(c), 0, 0};
    return loc;
}

static int fail(db_conn *c, diag_list *diags, const char *what)
{
    diag_error(diags, db_loc(c), "%s: %s", what, db_last_error(c));
    return -1;
}

int migrate_tracking_ensure(db_conn *c, const char *schema, diag_list *diags)
{
    bool pg = db_dialect(c) == DIALECT_PG;
    char *sql = arena_printf(db_arena(c),
                             "CREATE TABLE IF NOT EXISTS %s (\n"
                             "    version TEXT PRIMARY KEY,\n"
                             "    name TEXT NOT NULL,\n"
                             "    checksum TEXT NOT NULL,\n"
                             "    applied_at %s NOT NULL,\n"
                             "    execution_ms BIGINT,\n"
                             "    applied_by TEXT,\n"
                             "    dbsage_version TEXT\n"
                             ")",
                             table_name(c, schema), pg ? "TIMESTAMPTZ" : "TEXT");
    if (db_exec(c, sql) < 0)
        return fail(c, diags, "cannot create the tracking table " MIGRATE_TABLE);
    return 0;
}

static int record_cmp(const void *a, const void *b)
{
    return migration_version_cmp(((const migrate_record *)a)->version, ((const migrate_record *)b)->version);
}

static const char *col_text(arena *mem, db_stmt *s, int col)
{
    if (db_column_is_null(s, col))
        return NULL;
    size_t len = 0;
    const char *t = db_column_text(s, col, &len);
    return arena_strndup(mem, t ? t : "", len);
}

int migrate_tracking_load(db_conn *c, const char *schema, arena *mem, migrate_record_list *out,
                          diag_list *diags)
{
    memset(out, 0, sizeof *out);
    bool exists = false;
    if (db_table_exists(c, schema, MIGRATE_TABLE, &exists) < 0)
        return fail(c, diags, "cannot read the tracking table " MIGRATE_TABLE);
    if (!exists)
        return 0;
    bool pg = db_dialect(c) == DIALECT_PG;
    const char *sql =
        arena_printf(db_arena(c),
                     "SELECT version, name, checksum, %s, execution_ms, applied_by, dbsage_version FROM %s",
                     pg ? "to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')" : "applied_at",
                     table_name(c, schema));
    db_stmt *s = db_prepare(c, sql, 0);
    if (!s)
        return fail(c, diags, "cannot read the tracking table " MIGRATE_TABLE);
    int rc;
    while ((rc = db_step(s)) == 1) {
        migrate_record r;
        r.version = col_text(mem, s, 0);
        r.name = col_text(mem, s, 1);
        r.checksum = col_text(mem, s, 2);
        r.applied_at = col_text(mem, s, 3);
        r.execution_ms = db_column_is_null(s, 4) ? -1 : db_column_int64(s, 4);
        r.applied_by = col_text(mem, s, 5);
        r.dbsage_version = col_text(mem, s, 6);
        if (!r.name)
            r.name = "";
        if (!r.checksum)
            r.checksum = "";
        VEC_PUSH(mem, *out, r);
    }
    if (rc < 0) {
        fail(c, diags, "cannot read the tracking table " MIGRATE_TABLE);
        db_finalize(s);
        return -1;
    }
    db_finalize(s);
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, record_cmp);
    return 0;
}

const char *migrate_applied_by(arena *mem)
{
    const char *user = getenv("USER");
    if (!user || !*user) {
        struct passwd *pw = getpwuid(getuid());
        user = pw ? pw->pw_name : "unknown";
    }
    char host[256] = "localhost";
    if (gethostname(host, sizeof host - 1) != 0)
        strcpy(host, "localhost");
    host[sizeof host - 1] = 0;
    return arena_printf(mem, "%s@%s", user, host);
}

static const char *now_iso(arena *mem)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    char buf[32];
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return arena_strdup(mem, buf);
}

static int bind_str(db_stmt *s, int i, const char *v)
{
    return v ? db_bind_text(s, i, v, strlen(v)) : db_bind_null(s, i);
}

/* prepare, bind (via the callback's values), run once, finalize */
static int run_stmt(db_conn *c, diag_list *diags, const char *what, const char *sql, int n, const char *const *texts,
                    const int64_t *ints)
{
    db_stmt *s = db_prepare(c, sql, n);
    if (!s)
        return fail(c, diags, what);
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        if (texts[i] == NULL && ints && ints[i] != -1)
            rc = db_bind_int64(s, i + 1, ints[i]);
        else
            rc = bind_str(s, i + 1, texts[i]);
    }
    if (rc == 0 && db_step(s) < 0)
        rc = -1;
    if (rc < 0)
        fail(c, diags, what);
    db_finalize(s);
    return rc;
}

int migrate_tracking_insert(db_conn *c, const char *schema, const migrate_record *r, diag_list *diags)
{
    arena *mem = db_arena(c);
    const char *sql = arena_printf(mem,
                                   "INSERT INTO %s (version, name, checksum, applied_at, execution_ms, applied_by, "
                                   "dbsage_version) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                                   table_name(c, schema));
    const char *texts[7] = {r->version,
                            r->name ? r->name : "",
                            r->checksum ? r->checksum : "",
                            r->applied_at ? r->applied_at : now_iso(mem),
                            NULL,
                            r->applied_by ? r->applied_by : migrate_applied_by(mem),
                            r->dbsage_version ? r->dbsage_version : DBSAGE_VERSION};
    const int64_t ints[7] = {-1, -1, -1, -1, r->execution_ms, -1, -1};
    return run_stmt(c, diags, "cannot record the migration in " MIGRATE_TABLE, sql, 7, texts, ints);
}

int migrate_tracking_finish(db_conn *c, const char *schema, const char *version, int64_t execution_ms,
                            diag_list *diags)
{
    const char *sql =
        arena_printf(db_arena(c), "UPDATE %s SET execution_ms = $1 WHERE version = $2", table_name(c, schema));
    const char *texts[2] = {NULL, version};
    const int64_t ints[2] = {execution_ms < 0 ? 0 : execution_ms, -1};
    return run_stmt(c, diags, "cannot record the migration in " MIGRATE_TABLE, sql, 2, texts, ints);
}

int migrate_tracking_delete(db_conn *c, const char *schema, const char *version, diag_list *diags)
{
    const char *sql = arena_printf(db_arena(c), "DELETE FROM %s WHERE version = $1", table_name(c, schema));
    const char *texts[1] = {version};
    return run_stmt(c, diags, "cannot remove the migration from " MIGRATE_TABLE, sql, 1, texts, NULL);
}
