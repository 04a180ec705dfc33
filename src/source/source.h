/*
 * source.h — readers: turn a source (SQL files, a directory, a live
 * database) into catalog objects.
 *
 * A "source spec" is what the user typed:
 *   path/to/file.sql            SQL file (dialect detected or forced)
 *   path/to/dir/                every .sql file below it, in version order
 *   path/to/db.sqlite, sqlite:PATH, sqlite:///PATH, file:PATH
 *                               live SQLite database (detected by magic header)
 *   postgres://..., postgresql://..., "host=... dbname=..."
 *                               live PostgreSQL (libpq connection string)
 *   DATABASE_URL                is used by the CLI when no source is given
 *
 * All readers append to one catalog (so several files are interpreted in
 * order, like the server would) and report problems as diagnostics with
 * file:line:col; they return 0 on success, -1 on a failure that stopped the
 * reader (I/O, connection), and never print.
 */
#ifndef DBSAGE_SOURCE_H
#define DBSAGE_SOURCE_H

#include "catalog/catalog.h"
#include "util/diag.h"

typedef enum source_kind {
    SOURCE_UNKNOWN = 0,
    SOURCE_SQL_FILE,
    SOURCE_SQL_DIR,
    SOURCE_LIVE_SQLITE,
    SOURCE_LIVE_PG,
} source_kind;

typedef struct source_opts {
    dialect force_dialect;      /* DIALECT_UNKNOWN = detect */
    const char *const *schemas; /* --schema filters (NULL-terminated or n_schemas) */
    size_t n_schemas;
} source_opts;

/* Classify a spec without reading much: URL scheme, directory, file magic. */
source_kind source_classify(const char *spec);
/* Dialect of a source: live kinds by engine; SQL by --dialect, extension
 * hints (".sqlite.sql", "sqlite" in the path), then content heuristics. */
dialect source_detect_dialect(const char *spec, source_kind kind);
/* Content heuristics on SQL text: AUTOINCREMENT, WITHOUT ROWID, PRAGMA ->
 * sqlite; SERIAL, $$, CREATE EXTENSION, ::casts, JSONB ... -> pg. */
dialect source_detect_sql_dialect(const char *text, size_t len);

/* Migration files in dbmate's format hold `-- migrate:up` and `-- migrate:down`
 * sections; a schema is what the up sections build.  Blanks every down
 * section of text in place (bytes become spaces, newlines stay, so line:col
 * of everything else is unchanged).  Returns the number of sections blanked.
 * Every SQL-file reader applies it. */
size_t source_mask_down_sections(char *text, size_t len);

/* Load any spec into cat (cat->dialect must already be set). */
int source_load(catalog *cat, const char *spec, const source_opts *opts, diag_list *diags);
/* Load several specs in order (consecutive PostgreSQL SQL files are parsed
 * ahead in parallel, like a directory).  -1 when a source could not be read. */
int source_load_many(catalog *cat, const char *const *specs, size_t n, const source_opts *opts,
                     diag_list *diags);

/* List the .sql files of a directory recursively in version order
 * (numeric prefixes compared numerically, then lexically).  Returns count;
 * paths are arena strings. */
size_t source_dir_sql_files(arena *mem, const char *dir, const char ***out);

/* ---- individual readers --------------------------------------------- */

/* PostgreSQL dialect SQL text, interpreted statement by statement. */
int pg_sql_read(catalog *cat, const char *filename, const char *sql, size_t len, diag_list *diags);
int pg_sql_read_file(catalog *cat, const char *path, diag_list *diags);

/* SQLite dialect SQL text: executed into an in-memory SQLite database
 * statement by statement, then introspected. */
int sqlite_sql_read(catalog *cat, const char *filename, const char *sql, size_t len, diag_list *diags);
int sqlite_sql_read_file(catalog *cat, const char *path, diag_list *diags);
/* Reading many files: sqlite_sql_defer(cat, true) makes each read only run
 * its statements; sqlite_sql_flush() then introspects once (instead of
 * re-introspecting the growing schema after every file). */
void sqlite_sql_defer(catalog *cat, bool on);
int sqlite_sql_flush(catalog *cat, diag_list *diags);
/* `-- dbsage:renamed-from OLD` annotations of SQLite SQL text (before CREATE
 * TABLE/INDEX/VIEW or a column definition) -> catalog rename hints
 * (sqlite_annotate.c; called by sqlite_sql_read). */
void sqlite_annotate_scan(catalog *cat, const char *sql, size_t len, const line_index *li);

/* Live SQLite database file (opened read-only). */
int sqlite_live_read(catalog *cat, const char *path, const source_opts *opts, diag_list *diags);

/* Live PostgreSQL through libpq; one catalog query per object kind. */
int pg_live_read(catalog *cat, const char *conninfo, const source_opts *opts, diag_list *diags);

/* Keep only objects in the --schema filter (no-op when none given). */
void source_filter_schemas(catalog *cat, const source_opts *opts);

#endif
