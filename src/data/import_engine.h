/*
 * import_engine.h — internals of the import engine shared by import.c (the
 * run, rows, files, SQLite and the per-row path) and import_pg.c (the
 * PostgreSQL batch path: COPY into staging tables).  Not a public API.
 */
#ifndef DBSAGE_IMPORT_ENGINE_H
#define DBSAGE_IMPORT_ENGINE_H

#include "data/import.h"
#include "data/import_int.h"
#include "util/hashmap.h"
#include "util/strbuf.h"

typedef struct tplan {
    const spec_table *t;
    db_stmt *ins;              /* NULL in verify mode */
    import_table_stats *stats;
    struct vtable *vt;         /* verify: the table across sources */
    /* PostgreSQL COPY path: the batch's rows (batch arena) */
    VEC(const char **) rows;
    VEC(size_t *) lens;
} tplan;

/* a file visited in the current PostgreSQL batch */
typedef struct bfile {
    const char *rel, *abs, *sha;
    int64_t rows, rejected;
    bool ok;                   /* imported (to record), not skipped or malformed */
} bfile;

/* verify: one per target table, shared by the sources writing it */
typedef struct vtable {
    const char *qname;
    size_t index;              /* in res->tables */
    hashmap keys;              /* distinct key tuples */
} vtable;

typedef struct engine {
    const import_spec *spec;
    db_conn *db;
    dialect d;
    const import_opts *o;
    import_result *res;
    arena *mem;
    diag_list *diags;
    bool verify;
    hashmap done;              /* "source\x1fpath" -> sha256 (dbsage_imports) */
    arena done_mem;
    VEC(vtable *) vtables;
    arena key_mem;
    db_stmt *track;
    int files_in_batch;
    int64_t rows_in_batch;
    bool in_batch;
    int64_t files_total, files_done;
    /* per file */
    const spec_source *src;
    import_source_stats *sstats;
    tplan *plans;
    const char *rel;
    int64_t file_rows, file_rejected;
    bool file_failed;          /* PG: a statement error aborted the savepoint */
    const char *file_error;
    src_loc file_error_loc;
    doc_reader *reader;        /* the file being read */
    /* PostgreSQL: rows go to temp staging tables by COPY, then INSERT ... SELECT
     * ... ON CONFLICT per batch; a batch the server refuses is redone row by row */
    bool fast;
    bool pg_direct;            /* try COPY straight into the targets (until a batch conflicts) */
    arena bm;                  /* batch memory */
    VEC(bfile) bfiles;
    VEC(import_reject) brejects;
    import_source_stats snap;
    int64_t *snap_tables;
} engine;


/* import.c */
src_loc import_node_loc(const engine *e, struct fy_node *n, unsigned dflt_line);
void import_emit_reject(engine *e, const char *table, src_loc loc, const char *reason);
int import_db_fail(engine *e, const char *what);
const char *import_qname(engine *e, const spec_table *t);
void import_insert_sql(engine *e, const spec_table *t, const char *stage, strbuf *out);
int import_batch_commit(engine *e);
int import_track_file(engine *e, const char *sha);
/* 0 done (imported, skipped or rejected), -1 error, 1 --strict abort */
int import_file(engine *e, const char *rel, const char *abs);

/* import_pg.c */
void import_copy_text(arena *bm, const import_value *v, const char **out, size_t *len);
void import_pg_snapshot(engine *e);
void import_pg_note(engine *e, const char *rel, const char *abs, const char *sha, bool ok);
void import_pg_reset(engine *e);
int import_pg_flush(engine *e);

#endif
