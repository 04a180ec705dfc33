/*
 * copy_spec.h — the spec of `dbsage copy --spec copy.yaml` (docs/copy-spec.md):
 * per target table a SELECT over the source and a column mapping; tenant
 * consolidation (one source schema per client merged into one target with a
 * tenant column), primary-key collision detection between tenants and key
 * remapping (offset or mapping table) with the foreign keys that point at
 * remapped keys rewritten.
 *
 *   copy_spec *s = copy_spec_load(mem, "copy.yaml", diags);   // spec:line:col errors
 *   copy_spec_run(src, dst, "copy.yaml", &copy_opts, mem, &result, diags);  // data/copy.h
 *
 * Parsing (copy_spec.c) needs no connection.  Execution (copy_spec_run.c)
 * works on two open db_conn (source: PostgreSQL for tenant schemas, any
 * engine otherwise; target: PostgreSQL or SQLite), never prints, and is
 * resumable per (table, tenant): each unit is loaded in one transaction
 * together with its row in the target's `dbsage_copy_units` table; a re-run
 * skips the units already loaded (idempotent) and redoes one that a kill
 * interrupted.
 */
#ifndef DBSAGE_COPY_SPEC_H
#define DBSAGE_COPY_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/vec.h"

typedef enum copy_remap { COPY_REMAP_NONE = 0, COPY_REMAP_OFFSET, COPY_REMAP_MAP } copy_remap;

/* where a tenant's value comes from */
typedef enum copy_tenant_from {
    COPY_TENANT_SCHEMA_NAME = 0,  /* the schema name itself */
    COPY_TENANT_SCHEMA_SUFFIX,    /* the part the glob's '*' matched (client_dev -> dev) */
} copy_tenant_from;

typedef struct copy_spec_column {
    const char *target;   /* target column */
    const char *source;   /* result column of the select */
    src_loc loc;
} copy_spec_column;

typedef struct copy_spec_ref {
    const char *column;   /* target column holding a key of `table` */
    const char *table;    /* the `into` of another table of the spec */
    int table_index;      /* resolved: index in copy_spec.tables */
    src_loc loc;
} copy_spec_ref;

typedef struct copy_spec_table {
    const char *into;         /* as written: "table" or "schema.table" */
    const char *schema;       /* NULL when unqualified */
    const char *name;
    bool per_tenant;
    bool tenant_column;       /* inject tenants.column (default: per_tenant) */
    const char *select;       /* with {schema} placeholders */
    const char *key;          /* target key column, NULL = none */
    copy_remap remap;
    VEC(copy_spec_column) columns;   /* empty: the select's result columns, same names */
    VEC(copy_spec_ref) references;
    src_loc loc;              /* the `into:` value */
    src_loc select_loc;
} copy_spec_table;

typedef struct copy_spec {
    const char *path;
    int version;
    bool has_tenants;
    struct {
        const char *schemas;      /* glob */
        const char *column;       /* injected column */
        copy_tenant_from from;
        const char *lookup;       /* SQL run on the target with $1, or NULL */
        src_loc loc;
    } tenants;
    VEC(copy_spec_table) tables;
    int *order;                   /* load order (indexes into tables): references first */
} copy_spec;

/* Parse a spec file / text.  NULL with diagnostics at path:line:col. */
copy_spec *copy_spec_load(arena *mem, const char *path, diag_list *diags);
copy_spec *copy_spec_parse(arena *mem, const char *path, const char *text, size_t len, diag_list *diags);

const char *copy_remap_name(copy_remap r);

/* The tenant value source of a schema matched by `glob`: the part matched
 * by the glob's wildcards (literal prefix and suffix removed). */
const char *copy_spec_schema_suffix(arena *mem, const char *glob, const char *schema);

/* Execution: copy_spec_run (declared in data/copy.h, implemented in
 * copy_spec_run.c). */

#endif
