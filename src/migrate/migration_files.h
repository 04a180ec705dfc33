/*
 * migration_files.h — the migration *files*: discovery, parsing, ordering,
 * checksums, new files, and the schema they produce.  No database access
 * here (the runner, migrate.h, applies them).
 *
 * A migration directory holds
 *     VERSION_name.sql    with "-- migrate:up" / "-- migrate:down" sections
 *     VERSION.sql         up only (no section markers needed)
 * VERSION is the leading run of digits (or, when the name has no leading
 * digits, everything before the first '_'); versions order numerically when
 * both are numeric, else lexically.  Two files with the same version is an
 * error naming both files.  Directives, anywhere in a file's header comments:
 *     -- dbsage:no-transaction      run outside a transaction (CREATE INDEX CONCURRENTLY)
 * dbmate's "-- migrate:up transaction:false" is accepted as the same thing.
 */
#ifndef DBSAGE_MIGRATION_FILES_H
#define DBSAGE_MIGRATION_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog/catalog.h"
#include "diff/diff.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/digest.h"
#include "util/vec.h"

typedef struct migration_section {
    const char *text;      /* points into migration.text; the statements only */
    size_t len;
    unsigned first_line;   /* line of text[0] in the file (1-based) */
    bool present;
} migration_section;

typedef struct migration {
    const char *version;   /* "20240101120000", "001", "3" */
    const char *name;      /* "create_users" ("" for VERSION.sql) */
    const char *path;      /* as found (dir + file name) */
    const char *text;      /* whole file, NUL-terminated */
    size_t len;
    migration_section up, down;
    bool no_transaction;
    char checksum[DIGEST_HEX_LEN + 1];  /* migration_checksum(text) */
} migration;

typedef struct migration_set {
    arena *mem;
    const char *dir;
    VEC(migration) items;  /* sorted by version */
} migration_set;

/* Read every *.sql file directly in dir (not recursive, dot files skipped),
 * parse and sort.  Of files sharing a version the first by path is kept and
 * each other one gets "duplicate migration version V: also defined in P" at
 * its file:1:1 and is left out of the set.
 * A missing directory is an empty set (dir is remembered for `new`).
 * Errors (duplicate version, a file that cannot be read, a down section
 * before the up section, an unnamed file without a version) are diagnostics
 * with file:line:col; returns -1 when there were errors. */
int migration_set_load(migration_set *set, arena *mem, const char *dir, diag_list *diags);
/* Parse one file's text into m (used by migration_set_load and tests).
 * Markers are comment lines "-- migrate:up" / "-- migrate:down" (any case,
 * leading blanks allowed, trailing options such as transaction:false); a
 * section runs from the line after its marker to the next marker line or
 * EOF; before the first marker only blank lines and comments are allowed
 * (a statement there is an error: it would never run).  At most one of
 * each, up first, else an error at the offending marker.  An absent section has
 * present=false, len=0.  m->text is an arena copy; the checksum is set. */
int migration_parse(migration *m, arena *mem, const char *path, const char *text, size_t len,
                    diag_list *diags);
/* <0, 0, >0: numeric when both versions are all digits, else lexical. */
int migration_version_cmp(const char *a, const char *b);
const migration *migration_set_find(const migration_set *set, const char *version);

/* SHA-256 hex of the normalised content: CRLF/CR -> LF, trailing spaces and
 * tabs of every line removed, trailing blank lines removed, every remaining
 * line ended by LF (so a file already in that form hashes as itself).  So
 * line-ending and trailing-space edits do not change the checksum; anything
 * else does. */
void migration_checksum(const char *text, size_t len, char out[DIGEST_HEX_LEN + 1]);

/* The version a new migration gets: UTC timestamp YYYYMMDDHHMMSS when the
 * set is empty or uses timestamps (its last numeric version has 14 digits);
 * otherwise the last numeric version + 1, zero-padded to its width
 * ("007" -> "008").  A timestamp never goes backwards: when the clock is not
 * past the last version, that version + 1.  Arena string. */
const char *migration_next_version(const migration_set *set, arena *mem);
/* Write dir/VERSION_name.sql (VERSION = migration_next_version, arena =
 * set->mem) with the two sections (up/down may be NULL: empty sections with
 * a comment); no_transaction writes a "-- dbsage:no-transaction" header line
 * and dbmate's "transaction:false" on both markers.  name must be non-empty without '/'.  Refuses to overwrite;
 * creates dir.
 * *path_out = the new path (arena).  -1 + diagnostic on failure. */
int migration_write_new(const migration_set *set, const char *name, const char *up_sql, const char *down_sql,
                        bool no_transaction, const char **path_out, diag_list *diags);

/* The schema the up sections of the set produce, read by the SQL reader of
 * dialect d, in version order.  Only the migrations whose versions are in
 * `versions` (n entries) when versions != NULL (the applied ones, for drift);
 * all of them otherwise.  target_schema: PostgreSQL tenant runs execute
 * unqualified migrations with search_path = tenant; the objects the files put
 * in the default schema ("public") are moved to target_schema (NULL = leave). 
 * Diagnostics carry the migration file's own lines. */
catalog *migration_set_schema(const migration_set *set, dialect d, const char *const *versions, size_t n,
                              const char *target_schema, diag_list *diags);

/* One drifted object: what differs between the schema the applied
 * migrations produce (expected) and the live one. */
typedef struct migration_drift_item {
    const char *change;        /* "missing" (in migrations, not live), "extra" (live only), "changed" */
    cat_object_kind kind;
    const char *schema, *name, *sub;   /* sub: column/constraint/index or NULL */
    const char *detail;        /* the SQL that would bring live back to expected, one line */
} migration_drift_item;
typedef VEC(migration_drift_item) migration_drift_list;
/* Compare with the diff engine (normalised, so spelling differences are not
 * drift); items sorted by kind, schema, name (then sub, change, detail).
 * The items come from the plan live -> expected (allow_destructive): its
 * create_* / add_* changes are "missing", drop_* (but drop_default) "extra",
 * the others "changed"; a drop and a create of one object (dependents
 * recreated around a change) merge into one "changed" item.  detail is the
 * change's SQL with whitespace squashed, cut at 200 bytes ("..." at the end).
 * Items are appended to out (arena mem); -1 when the diff failed. */
int migration_drift(catalog *expected, catalog *live, arena *mem, migration_drift_list *out, diag_list *diags);

/* `dbsage migrate diff NAME --to SCHEMA`: a new migration (via
 * migration_write_new) whose up section is the diff plan from the schema of
 * the whole set to `to`, and whose down section is the plan back (renames in
 * opts inverted; same allow_destructive).  The runner wraps each migration in
 * a transaction, so the plans lose diff_emit_sql's BEGIN/COMMIT framing (and
 * PostgreSQL's SET check_function_bodies becomes SET LOCAL); a plan that must
 * run outside a transaction (a SQLite table rebuild with its PRAGMAs, a
 * non-transactional change) keeps its framing and the file is marked
 * "-- dbsage:no-transaction" (and dbmate's transaction:false).  When the up
 * plan has no change: *no_changes = true, no file is written (destructive
 * changes left out are reported as warnings).  -1 with diagnostics when the
 * set does not read cleanly, the diff fails or the file cannot be written. */
int migration_write_diff(const migration_set *set, dialect d, catalog *to, const char *name, const diff_opts *opts,
                         const char **path_out, bool *no_changes, diag_list *diags);

#endif
