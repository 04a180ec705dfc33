/*
 * spec.h — the import spec (dbsage.yaml, docs/import-spec.md) as a model:
 * sources (path patterns + format) mapped to target tables (one row per
 * document or per element of `each:`), columns from selectors, constants or
 * SQL expressions, a natural key.  spec.c parses it with libfyaml; every
 * problem is a diagnostic at spec-file:line:col.  spec_check_target checks
 * the tables and columns against an existing target database.
 */
#ifndef DBSAGE_SPEC_H
#define DBSAGE_SPEC_H

#include <stdbool.h>
#include <stddef.h>

#include "data/doc.h"
#include "db/db.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/vec.h"

typedef enum spec_type {
    SPEC_TEXT = 0, SPEC_INTEGER, SPEC_REAL, SPEC_BOOLEAN, SPEC_TIMESTAMP, SPEC_DATE, SPEC_JSON, SPEC_BLOB
} spec_type;
const char *spec_type_name(spec_type t);

typedef struct spec_column {
    const char *name;
    src_loc loc;
    doc_selector *path;        /* NULL: a constant */
    const char *const_value;   /* the constant's value (spec constants resolved) */
    bool is_const;
    spec_type type;
    const char *def;           /* default when the selector finds nothing / null; NULL = none */
    bool required;
    const char *sql;           /* expression with '?' for the value, NULL = none */
} spec_column;

typedef struct spec_table {
    const char *schema;        /* NULL: the connection's default */
    const char *name;
    src_loc loc;
    doc_selector *each;        /* NULL: one row per document */
    strvec key;                /* empty: plain INSERT */
    VEC(spec_column) columns;
} spec_table;

typedef struct spec_source {
    const char *name;
    src_loc loc;
    const char *files;         /* the path pattern as written */
    doc_path_pattern *pattern;
    doc_format format;         /* DOC_AUTO: by extension */
    VEC(spec_table) tables;
} spec_source;

typedef struct import_spec {
    const char *path;          /* the spec file */
    const char *base_dir;      /* its directory: paths are relative to it */
    const char *into;          /* NULL = not given */
    const char *migrations;    /* resolved against base_dir, NULL = none */
    strvec const_names, const_values;
    VEC(spec_source) sources;
} import_spec;

/* NULL after diagnostics (every error found, at file:line:col). */
import_spec *spec_load(arena *mem, const char *path, diag_list *diags);
/* The source named `name`, or NULL. */
const spec_source *spec_find_source(const import_spec *s, const char *name);
/* Every table and column of the spec exists in the target (errors at the
 * spec's line:col); -1 when one does not or the catalog cannot be read. */
int spec_check_target(const import_spec *s, db_conn *db, diag_list *diags);

#endif
