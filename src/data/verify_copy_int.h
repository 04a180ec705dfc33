/*
 * verify_copy_int.h — internals shared by verify_copy.c (table mode) and
 * verify_copy_spec.c (copy-spec mode, per tenant): column listing, one
 * side's streamed checksum, the PG session setup.  Not a public API.
 */
#ifndef DBSAGE_VERIFY_COPY_INT_H
#define DBSAGE_VERIFY_COPY_INT_H

#include "data/verify_copy.h"
#include "util/hashmap.h"
#include "util/vec.h"

typedef struct col_info {
    const char *name;
    const char *type;
} col_info;

typedef VEC(col_info) col_vec;
typedef VEC(const char *) name_vec;

/* one side of a comparison: the SELECT and how to read each column */
typedef struct side_query {
    db_conn *c;
    const char *sql;            /* SQLite: value, typeof(value) pairs; PG: values */
    size_t ncols;
    const verify_kind *kinds;
    const bool *pg_bytea;       /* PG: read decoded as bytes (VS_BLOB) */
    const char *param;          /* bound as $1 when not NULL */
    const int64_t *offsets;     /* NULL, or per column an integer added to the value (remap: offset) */
    hashmap *const *unmap;      /* NULL, or per column NULL / a map new key -> old key (remap: map) */
} side_query;

void verify_db_error(diag_list *diags, db_conn *c, const char *what);
/* columns of schema.table (schema NULL: PG current_schema(), SQLite main) */
int verify_list_columns(db_conn *c, const char *schema, const char *table, arena *mem, col_vec *out,
                        diag_list *diags);
const col_info *verify_find_col(const col_vec *v, const char *name);
int verify_pg_session(db_conn *c, diag_list *diags);
/* rows and the hex sum of their digests */
int verify_side_checksum(const side_query *q, int64_t *rows, char out[65], diag_list *diags);

#endif
