/*
 * infer.h — `dbsage infer`: read every document under some directories and
 * propose (1) an import spec (docs/import-spec.md) and (2) the tables it
 * fills, as a catalog the project's emitters turn into canonical DDL.
 *
 *   infer_ctx *ix = infer_new(&mem, "spec/dir");
 *   infer_add_dir(ix, "data", diags);          // walks, groups, streams
 *   infer_finish(ix);                          // types, keys, names
 *   infer_write_spec(ix, &yaml, "migrations/");
 *   catalog *cat = infer_catalog(ix, DIALECT_SQLITE);
 *
 * Files are grouped into sources by directory structure and extension:
 * sibling directories that are ids (uuids, numbers) or that all hold the
 * same file names become captures ({user_id}); one table per source, one
 * child table per array-of-objects field.  Documents are read one at a
 * time; only per-field statistics are kept (plus hashes of the candidate
 * key values, to check uniqueness).  Details: docs/infer.md.
 */
#ifndef DBSAGE_INFER_H
#define DBSAGE_INFER_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog/catalog.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/strbuf.h"

typedef enum infer_type {
    INFER_NONE = 0, /* never seen a non-null value */
    INFER_INTEGER,
    INFER_REAL,
    INFER_BOOLEAN,
    INFER_DATE,
    INFER_TIMESTAMP,
    INFER_TEXT,
    INFER_JSON,
} infer_type;

const char *infer_type_name(infer_type t); /* the spec's type names: "integer", ... "json" */

typedef struct infer_ctx infer_ctx;

/* spec_dir: the directory the spec is written to (paths in the spec are
 * relative to it). */
infer_ctx *infer_new(arena *mem, const char *spec_dir);
void infer_free(infer_ctx *ix);
/* Leave this file or directory out of the walks (the spec and the
 * migration directory, when they are inside a DIR).  No-op when absent. */
void infer_exclude(infer_ctx *ix, const char *path);
/* Walk dir (symlinked folders not followed, dot files skipped), group its
 * files into sources and read every document.  A malformed file is a
 * diagnostic (path:line:col) and is left out of the statistics.  -1 when
 * dir cannot be read. */
int infer_add_dir(infer_ctx *ix, const char *dir, diag_list *diags);
/* Decide column types, nullability, keys and names. */
void infer_finish(infer_ctx *ix);

/* The import spec (YAML).  migrations_rel: the `migrations:` entry (NULL:
 * none). */
void infer_write_spec(infer_ctx *ix, strbuf *out, const char *migrations_rel);
/* The tables as a catalog of dialect d (caller frees). */
catalog *infer_catalog(infer_ctx *ix, dialect d);
/* The catalog's DDL (emit_sql) without the emitter's BEGIN/COMMIT framing:
 * the migration's up section. */
void infer_write_up(infer_ctx *ix, strbuf *out, dialect d);
/* DROP TABLE statements, children first (the migration's down section). */
void infer_write_drop(infer_ctx *ix, strbuf *out, dialect d);

/* What was inferred: human summary and JSON. */
void infer_report_text(infer_ctx *ix, strbuf *out);
void infer_report_json(infer_ctx *ix, strbuf *out);
size_t infer_table_count(const infer_ctx *ix);
size_t infer_malformed_count(const infer_ctx *ix);

/* ---- helpers (exposed for tests) --------------------------------------------- */

/* the type of one scalar: plain (unquoted YAML/JSON) scalars can be null,
 * booleans and numbers; any scalar can be a date or an RFC 3339 timestamp */
infer_type infer_scalar_type(const char *text, size_t len, bool plain);
/* widen: the type of a column holding values of types a and b */
infer_type infer_widen(infer_type a, infer_type b);
/* "createdAt" -> "created_at", "Self Model" -> "self_model" (arena) */
const char *infer_snake(arena *mem, const char *s);
const char *infer_plural(arena *mem, const char *s);
const char *infer_singular(arena *mem, const char *s);
/* a directory name that is an id: uuid, number, long hex */
bool infer_is_id_name(const char *s);

#endif
