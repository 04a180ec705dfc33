/*
 * copy.h — the database-to-database copy engine (`dbsage copy`): its job
 * model, the pre-flight value profile, the catalog conversion between
 * dialects, and the resumable chunked loader.
 *
 *   profile (profile.c)  what is actually stored in each source column ->
 *                        target type per column + every lossy/risky cast,
 *                        reported BEFORE any row moves
 *   convert (convert.c)  a catalog of one dialect -> an equivalent catalog
 *                        of the other (types through typemap families,
 *                        defaults, serial/identity <-> AUTOINCREMENT, keys,
 *                        indexes, FKs; what cannot be carried is reported)
 *   copy_plan (copy_plan.c)  plain mode: source catalog -> converted target
 *                        catalog -> diff against the live target -> DDL, and
 *                        one copy_job per table in FK order
 *   copy_run (copy_run.c)  executes jobs: keyset chunks read from the
 *                        source, written to the target (PG: COPY FROM STDIN;
 *                        SQLite: prepared INSERTs), each chunk committed with
 *                        its row in dbsage_copy_progress; sequences reset
 *
 * The tenants mode (`--spec copy.yaml`) builds its own copy_job list (a
 * SELECT per target table, injected/remapped columns through row hooks)
 * and calls copy_run; it is implemented in src/data/copy_spec*.c as
 * copy_spec_run (declared at the end of this file).
 *
 * Library code: never prints or exits; problems go to the diag_list.
 * All values are bound as parameters; identifiers quoted via emit's quoting.
 */
#ifndef DBSAGE_COPY_H
#define DBSAGE_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/catalog.h"
#include "db/db.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/vec.h"

/* ---- values ---------------------------------------------------------------- */

/* One value as it travels from source to target.  Strings/blobs point into
 * the source row (valid until the next row) or into the job's row arena
 * (reset after each chunk): hooks that build a new value allocate there. */
typedef enum copy_vkind {
    COPY_NULL = 0,
    COPY_INT,     /* i */
    COPY_REAL,    /* d (may be NaN / +-Inf) */
    COPY_TEXT,    /* s, len (not NUL-terminated necessarily; may contain NUL bytes) */
    COPY_BLOB,    /* s, len raw bytes */
} copy_vkind;

typedef struct copy_value {
    copy_vkind kind;
    int64_t i;
    double d;
    const char *s;
    size_t len;
} copy_value;

/* Per-column conversion applied after the row hook, before writing. */
typedef enum copy_conv {
    CONV_NONE = 0,      /* text form as is (PG text out -> text in; SQLite keeps storage class) */
    CONV_BOOL,          /* 0/1/'t'/'f'/'true'/'false'/'yes'/'no' -> target boolean (PG t/f, SQLite 0/1) */
    CONV_EPOCH_S,       /* number = seconds since 1970 -> timestamp text (UTC, ISO 8601) */
    CONV_EPOCH_MS,      /* number = milliseconds since 1970 -> timestamp text */
    CONV_BLOB,          /* bytes: SQLite BLOB <-> PG bytea */
    CONV_INTEGER,       /* PG integer text -> SQLite INTEGER (int64) */
    CONV_REAL,          /* PG real/double text -> SQLite REAL ('NaN'/'Infinity' kept as REAL);
                           into a PG float column: REAL values sent in hex (%a), exact */
    CONV_TEXT,          /* anything -> text (SQLite INTEGER/REAL in a text column -> its text) */
    CONV_TIMESTAMPTZ_UTC,/* PG timestamptz -> SQLite text in UTC 'YYYY-MM-DD HH:MM:SS[.ffffff]+00' */
    CONV_EPOCH_AUTO,    /* numbers: milliseconds when |x| >= 1e11, else seconds; text as is */
} copy_conv;
const char *copy_conv_name(copy_conv c);   /* "none", "bool", "epoch_s", ... */

typedef struct copy_column {
    const char *name;         /* target column name (unquoted) */
    int src_index;            /* 0-based index in the source SELECT's output;
                                 -1 = no source column (value set by the row hook; NULL otherwise) */
    copy_conv conv;
    const char *target_type;  /* informational (messages, profile), may be NULL */
} copy_column;

/* ---- jobs ------------------------------------------------------------------- */

struct copy_job;
/* Per-row rewriting, called after the source row is read and before the
 * conversions: vals[k] is the value for job->cols[k] (already filled from
 * its src_index, COPY_NULL for src_index -1).  Use it to inject a tenant
 * column, remap a key through a map or an offset, rewrite FK columns.
 * `src` gives the raw source row (nsrc values) for hooks that need source
 * columns that are not target columns.  Allocate new strings in row_mem
 * (reset after each chunk).  Return 0 to write the row, 1 to skip it, -1 to
 * fail the job (with a diagnostic). */
typedef int (*copy_row_hook)(void *ctx, const struct copy_job *job, const copy_value *src, int nsrc,
                             copy_value *vals, arena *row_mem, diag_list *diags);

typedef struct copy_job {
    const char *name;          /* identifier in dbsage_copy_progress.table_name; default
                                  "dst_schema.dst_table" (must be unique within a run) */
    /* source */
    const char *select_sql;    /* SELECT over the source ($1..$n = params); NULL =
                                  SELECT <src_columns> FROM src_schema.src_table */
    const copy_value *params;  /* bound to $1..$nparams of select_sql */
    int nparams;
    const char *src_schema;    /* for the default SELECT and messages; NULL = default schema */
    const char *src_table;
    /* Keyset chunking: name of an output column of the SELECT that is unique
     * and not NULL (a single-column primary key; SQLite: may be "rowid").
     * The engine runs
     *   SELECT * FROM (select_sql) AS q WHERE q.key > $last ORDER BY q.key LIMIT batch
     * so memory stays constant and each chunk commits with its progress row.
     * NULL: the whole table is one chunk (resume reloads it from scratch); a
     * PostgreSQL source is then read through a cursor, FETCH batch rows at a time. */
    const char *key_column;
    int key_index;             /* index of key_column in the SELECT output */
    bool key_is_int;           /* compare/bind the key as an integer (else text) */
    /* target */
    const char *dst_schema;    /* NULL = public (PG) / main (SQLite) */
    const char *dst_table;
    const copy_column *cols;
    int ncols;
    copy_row_hook row_hook;    /* NULL = none */
    void *hook_ctx;
    /* after load: reset this table's sequences / identity / AUTOINCREMENT
     * counter to max(column) (PG setval on pg_get_serial_sequence; SQLite
     * sqlite_sequence).  NULL = the engine looks for serial/identity
     * columns itself (PG) or the sqlite_sequence row (SQLite). */
    const char *serial_column;
} copy_job;

typedef void (*copy_progress_fn)(void *ctx, const copy_job *job, int64_t rows_done, bool table_done);

typedef struct copy_opts {
    const char *run_name;      /* dbsage_copy_progress.job; default "copy" */
    int batch;                 /* rows per chunk; default 10000 */
    bool restart;              /* truncate target tables and forget progress first */
    bool dry_run;              /* profile + plan only; nothing is written */
    bool schema_only;          /* plan/DDL only */
    bool data_only;            /* no DDL: the target tables must exist */
    bool allow_incompatible;   /* load into existing tables whose types conflict */
    bool keep_progress;        /* keep dbsage_copy_progress rows after a complete run
                                  (default: kept; done tables are skipped on re-runs) */
    copy_progress_fn progress; /* may be NULL; called after each chunk */
    void *progress_ctx;
} copy_opts;

typedef struct copy_table_result {
    const char *name;          /* job name */
    int64_t rows;              /* rows written in this run */
    int64_t rows_total;        /* rows in the target table for this job after the run (progress) */
    int64_t chunks;
    bool skipped_done;         /* already complete in an earlier run */
    bool resumed;              /* continued from a chunk of an earlier run */
} copy_table_result;

typedef struct copy_result {
    VEC(copy_table_result) tables;
    int64_t rows;              /* total written in this run */
} copy_result;

/* Run the jobs in order (callers order them by FK dependencies or disable
 * FK checks: the engine sets SQLite `PRAGMA foreign_keys = OFF` during the
 * load and `SET session_replication_role = replica` is NOT used on PG — the
 * order matters there).  Creates dbsage_copy_progress in dst when absent:
 *   dbsage_copy_progress(job text, table_name text, chunk bigint,
 *                        last_key text, rows bigint, done boolean,
 *                        PRIMARY KEY (job, table_name))
 * Each chunk and its progress row commit in one transaction; a job whose
 * row says done is skipped; a job with a partial row continues after
 * last_key (a job without key_column: its table is emptied and reloaded).
 * Returns 0, or -1 with diagnostics (the failed chunk rolled back). */
int copy_run(db_conn *src, db_conn *dst, const copy_job *jobs, size_t njobs, const copy_opts *opts,
             arena *mem, copy_result *out, diag_list *diags);

/* Set a sequence / identity / AUTOINCREMENT counter of table.column to the
 * column's max (used by copy_run; exposed for the spec mode). */
int copy_reset_serial(db_conn *dst, const char *schema, const char *table, const char *column,
                      diag_list *diags);

/* Forget progress of run_name (all tables; NULL table) or of one table. */
int copy_progress_clear(db_conn *dst, const char *run_name, const char *table_name, diag_list *diags);

/* ---- profile (profile.c) --------------------------------------------------- */

/* Rule ids of findings (the `rule` in diagnostics and JSON "kind"). */
#define PROFILE_MIXED_TYPES   "mixed-storage-classes"  /* SQLite: several typeof() in one column */
#define PROFILE_EPOCH_S       "epoch-seconds"          /* numbers in a date/timestamp column */
#define PROFILE_EPOCH_MS      "epoch-milliseconds"
#define PROFILE_BOOL_TEXT     "boolean-spellings"      /* 0/1/'t'/'f'/'true'/'false' */
#define PROFILE_NAN_INF       "nan-infinity"           /* NaN / Infinity in REAL */
#define PROFILE_NUL_BYTES     "nul-in-text"            /* NUL bytes in text (PG text cannot hold) */
#define PROFILE_TOO_LONG      "over-long-string"       /* longer than varchar(n) */
#define PROFILE_INT_RANGE     "integer-out-of-range"   /* beyond int4 (integer) / int8 */
#define PROFILE_BAD_UTF8      "invalid-utf8"
#define PROFILE_TEXT_IN_NUM   "text-in-numeric-column" /* SQLite text values in an INTEGER/REAL column */
#define PROFILE_REAL_IN_INT   "real-in-integer-column"
#define PROFILE_BLOB_IN_TEXT  "blob-in-text-column"
#define PROFILE_TZ_DROPPED    "timezone-to-utc"        /* PG timestamptz -> SQLite text */
#define PROFILE_PRECISION     "precision"              /* numeric/decimal -> REAL, etc. */
#define PROFILE_BAD_DATE      "unparsable-date"        /* text in a date column that is no ISO date: stays text */
#define PROFILE_DATE_FORMAT   "date-text-reformatted"  /* ISO text PostgreSQL prints differently ('T', offsets, ...) */

typedef struct profile_column {
    const char *name;
    const char *source_type;   /* declared/normalised source type ("" untyped) */
    const char *family;        /* typemap family of the source type */
    int64_t n_null, n_int, n_real, n_text, n_blob;   /* SQLite typeof(); PG: n_text = non-NULL */
    int64_t n_bool_like;       /* values in {0,1,'t','f','true','false'} */
    int64_t n_nan_inf, n_nul, n_bad_utf8;
    int64_t n_epoch_s, n_epoch_ms;
    int64_t max_len;           /* longest text (characters) */
    int64_t n_bad_date;        /* date/timestamp columns: text that is no ISO 8601 date/time */
    int64_t n_date_reformat;   /* ISO text not in PostgreSQL's output form ('T', 'Z', offsets, .500, no seconds) */
    int64_t n_date_time;       /* text with a time of day (a DATE column then becomes timestamp) */
    int64_t n_date_tz;         /* text with a UTC offset / Z (a timestamp column then becomes timestamptz) */
    int64_t min_int, max_int;  /* of integer values (n_int > 0) */
    const char *target_type;   /* chosen target type in the target dialect */
    copy_conv conv;
} profile_column;

typedef struct profile_table {
    const char *schema, *name;
    int64_t rows;
    VEC(profile_column) cols;
} profile_table;

typedef struct profile_finding {
    const char *schema, *table, *column;
    const char *kind;          /* PROFILE_* */
    bool lossy;                /* true: values change (or fail) unless told; false: risky, carried */
    int64_t count;             /* values concerned */
    const char *example;       /* one offending value as text (escaped), NULL */
    const char *source_type, *target_type;
    const char *message;       /* human sentence */
} profile_finding;

typedef struct copy_profile {
    dialect from, to;
    VEC(profile_table *) tables;
    VEC(profile_finding) findings;
} copy_profile;

/* Scan the stored values of the tables of src_cat (only `tables` when not
 * NULL/empty, names "schema.table" or "table") and choose target types for
 * dialect `to`.  Reads every row once (SQLite: one aggregate query per
 * table).  Findings are not diagnostics; errors (I/O) are. */
int profile_run(db_conn *src, const catalog *src_cat, dialect to, const strvec *tables, arena *mem,
                copy_profile *out, diag_list *diags);
const profile_table *profile_find_table(const copy_profile *p, const char *schema, const char *table);
const profile_column *profile_find_column(const profile_table *t, const char *column);

/* ---- conversion (convert.c) ------------------------------------------------- */

/* An equivalent catalog of dialect `to` for the tables of `src` (only
 * `tables` when not NULL/empty).  Column types through typemap families,
 * refined by the profile when given (e.g. epoch numbers in a DATE column
 * stay integers unless converted; booleans stored as 0/1 -> boolean);
 * defaults translated (now()/CURRENT_TIMESTAMP, true/false <-> 1/0,
 * nextval()/serial/identity <-> INTEGER PRIMARY KEY AUTOINCREMENT); PK,
 * UNIQUE, CHECK (when translatable), FKs and indexes carried.  Target
 * schema: `to_schema` (NULL: "public" for PG, "main" for SQLite; PG->PG
 * keeps the source schemas).  What cannot be carried (views, triggers,
 * functions, partial indexes on untranslatable predicates, exclusion
 * constraints, ...) is reported as DIAG_WARNING with rule
 * "copy-not-carried".  Returns NULL on error. */
catalog *convert_catalog(const catalog *src, dialect to, const char *to_schema, const strvec *tables,
                         const copy_profile *prof, arena *mem, diag_list *diags);

/* The target type (in dialect `to`) for a source column type, and the value
 * conversion it needs; prof_col may be NULL. */
const char *convert_column_type(dialect from, const catalog *src, const cat_column *col, dialect to,
                                const profile_column *prof_col, copy_conv *conv_out, arena *mem);

/* ---- plain mode (copy_plan.c) ----------------------------------------------- */

typedef struct copy_plan {
    catalog *src_cat;          /* source as read live */
    catalog *target;           /* converted target catalog */
    copy_profile profile;
    const char *ddl;           /* script creating / altering the target ("" = nothing) */
    VEC(copy_job) jobs;        /* one per table, FK order */
    VEC(const char *) refused; /* tables whose existing target is incompatible */
} copy_plan;

/* Read the source catalog (src_spec: the URL/path src was opened with),
 * profile it, convert it, diff it against the live target (dst_spec), and
 * build one job per table (`tables` NULL/empty = all).  Nothing is written
 * (PG source: the session's TimeZone is set to UTC so timestamptz values
 * read as UTC).  Existing target tables with conflicting types: error
 * "copy-incompatible" (warning with opts->allow_incompatible). */
int copy_plan_build(const char *src_spec, const char *dst_spec, db_conn *src, db_conn *dst, const strvec *tables,
                    const copy_opts *opts, arena *mem, copy_plan *out, diag_list *diags);
void copy_plan_free(copy_plan *plan);   /* the two catalogs */
/* Apply plan->ddl on dst (in a transaction where the engine allows). */
int copy_plan_apply_ddl(db_conn *dst, const copy_plan *plan, diag_list *diags);

/* ---- spec mode (implemented by src/data/copy_spec*.c) ------------------------ */

/* Run a copy.yaml spec (SELECT mappings, tenant schemas, key remapping);
 * results and diagnostics as copy_run. */
int copy_spec_run(db_conn *src, db_conn *dst, const char *spec_path, const copy_opts *opts, arena *mem,
                  copy_result *out, diag_list *diags);

#endif
