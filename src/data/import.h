/*
 * import.h — the import engine: documents read with doc.h, mapped by an
 * import spec (spec.h) into rows of the target tables through db.h.
 *
 *   import_opts o = {.force = false};
 *   import_result res;
 *   import_run(spec, db, &o, &res, mem, diags);   // rows written, files skipped ...
 *   import_verify(spec, db, &o, &res, mem, diags); // re-read, recount, compare
 *
 * Files are grouped into batches (one transaction each); every file runs
 * in a SAVEPOINT together with the upsert of its dbsage_imports row, so a
 * malformed file leaves no rows and a SIGKILL loses only the open batch,
 * which a re-run redoes (keys upsert, unchanged hashes skip).  Memory: one
 * document at a time, an arena reset per document.  Details: docs/import.md.
 */
#ifndef DBSAGE_IMPORT_H
#define DBSAGE_IMPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "data/spec.h"
#include "db/db.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/vec.h"

#define IMPORT_TABLE "dbsage_imports"

/* A rejected row or a malformed file (table NULL). */
typedef struct import_reject {
    const char *source, *path, *table;
    unsigned line, col;
    const char *reason;
} import_reject;

typedef struct import_progress {
    int64_t files_done, files_total, rows, bytes;
    bool final;
} import_progress;

typedef struct import_opts {
    bool strict;                 /* a rejected row or malformed file aborts the run */
    bool force;                  /* import files whose hash is unchanged */
    const char *const *only;     /* --source NAMEs (NULL = every source) */
    size_t n_only;
    /* called for every reject (the CLI prints and writes the reject file) */
    void (*on_reject)(void *ud, const import_reject *r);
    /* called after each file (the CLI throttles its display) */
    void (*on_progress)(void *ud, const import_progress *p);
    void *ud;
    int batch_files;             /* files per transaction, 0 = 256 */
    int batch_rows;              /* rows per transaction (checked between files), 0 = 50000 */
} import_opts;

typedef struct import_table_stats {
    const char *schema, *table;
    int64_t rows;                /* rows written (inserted or updated) */
    int64_t rejected;            /* rows rejected (cast, required, constraint) */
    int64_t expected;            /* verify: distinct keys (or rows) the documents give */
    int64_t counted;             /* verify: count(*) in the target, -1 unknown */
} import_table_stats;

typedef struct import_source_stats {
    const char *name;
    int64_t files, imported, skipped, malformed, docs, rows, rejected, bytes;
    int64_t not_imported;        /* verify: files without a dbsage_imports row for their current hash */
    VEC(import_table_stats) tables;
} import_source_stats;

typedef struct import_result {
    VEC(import_source_stats) sources;
    int64_t files, imported, skipped, malformed, docs, rows, rejected, bytes;
    bool aborted;                /* --strict stopped the run */
    VEC(import_table_stats) tables; /* verify: per target table (expected, counted) */
    int64_t mismatches;          /* verify: tables and sources whose counts differ */
} import_result;

/* CREATE TABLE IF NOT EXISTS dbsage_imports */
int import_tracking_ensure(db_conn *db, diag_list *diags);

/* 0 everything imported, 1 rows rejected or files malformed, -1 an I/O or
 * database error (diagnostic). */
int import_run(const import_spec *spec, db_conn *db, const import_opts *o, import_result *res, arena *mem,
               diag_list *diags);

/* Reads every document again (no writes) and checks: (1) every file has a
 * dbsage_imports row with its current hash; (2) per table, count(*) in the
 * target equals the distinct key tuples the documents give (tables without
 * a key: the number of rows).  0 all equal, 1 a mismatch, -1 error. */
int import_verify(const import_spec *spec, db_conn *db, const import_opts *o, import_result *res, arena *mem,
                  diag_list *diags);

#endif
