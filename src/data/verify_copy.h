/*
 * verify_copy.h — `dbsage verify --from --to`: does a target database hold
 * the same rows as its source?  Per table: row counts and an
 * ORDER-INDEPENDENT content checksum computed over values normalised
 * across engines, so a SQLite source and the PostgreSQL database it was
 * copied into compare equal when the copy was faithful (docs/verify.md).
 *
 *   verify_report rep;
 *   verify_copy(from, to, &opts, mem, &rep, diags);
 *   for each rep.tables[i]: counts, checksums, missing columns, equal?
 *
 * Each value → a canonical text chosen by the column's kind (the more
 * specific of the two sides' declared types: a SQLite INTEGER column copied
 * into a PG timestamptz is compared as timestamps); row digest = SHA-256 of
 * the row's canonical values (columns matched by name, in the source's
 * order); table checksum = sum of the row digests modulo 2^256 (a sum, not a
 * XOR: two equal rows do not cancel) — rows stream (PG: a cursor fetched in
 * batches), memory is constant.
 */
#ifndef DBSAGE_VERIFY_COPY_H
#define DBSAGE_VERIFY_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/strbuf.h"

/* how values of a column are normalised */
typedef enum verify_kind {
    VK_TEXT = 0,   /* UTF-8 bytes as stored */
    VK_NUMBER,     /* integers, reals, numerics: one decimal spelling */
    VK_BOOL,       /* 0/1/t/f/true/false/yes/no/on/off -> true/false */
    VK_TIMESTAMP,  /* ISO-8601 UTC with microseconds; epoch s/ms numbers */
    VK_DATE,       /* YYYY-MM-DD */
    VK_JSON,       /* parsed, keys sorted (last duplicate wins), re-serialised */
    VK_BLOB,       /* lower-case hex of the bytes */
} verify_kind;

/* storage class of a value as read (SQLite typeof; PG values are text, bytea blob) */
typedef enum verify_storage { VS_NULL = 0, VS_INT, VS_REAL, VS_TEXT, VS_BLOB } verify_storage;

/* the kind of a declared type ("timestamp with time zone", "BOOLEAN", "jsonb", ...) */
verify_kind verify_kind_of_type(const char *declared_type);
/* the kind used for a column pair: the more specific of the two */
verify_kind verify_kind_merge(verify_kind a, verify_kind b);
const char *verify_kind_name(verify_kind k);

/* Appends the canonical text of one non-NULL value to out (no framing).
 * ival/dval are used for VS_INT/VS_REAL (SQLite), text/len otherwise.
 * A value that does not parse as its kind is appended as its raw bytes
 * (prefixed "?"), so it can only equal the same raw bytes. */
void verify_canon_value(verify_kind k, verify_storage st, int64_t ival, double dval, const char *text,
                        size_t len, strbuf *out);

typedef struct verify_opts {
    const char **tables;  /* only these tables (NULL/0: every table of the source) */
    size_t ntables;
} verify_opts;

typedef struct verify_table {
    const char *name;
    const char *tenant;       /* spec mode: the tenant schema of this row of the report, else NULL */
    const char *tenant_value; /* spec mode: its value in the tenant column */
    bool missing;             /* no such table in the target */
    bool equal;               /* counts and checksums equal */
    int64_t from_rows, to_rows;
    char from_sum[65], to_sum[65];  /* hex, "" when not computed */
    const char **columns;     /* compared columns, source order */
    const verify_kind *kinds; /* their kinds */
    size_t ncolumns;
    const char **missing_in_to;    /* source columns the target lacks */
    size_t nmissing_in_to;
    const char **missing_in_from;  /* target columns the source lacks (not compared) */
    size_t nmissing_in_from;
    const char **remapped;    /* spec mode: key / reference columns the copy remapped (not compared) */
    size_t nremapped;
} verify_table;

typedef struct verify_report {
    verify_table *tables;
    size_t ntables;
    size_t ndiffer;   /* tables missing or not equal, or with missing columns */
} verify_report;

/* Compares every (selected) table of `from` with the same-named table of
 * `to`.  Returns 0 when the comparison ran (differences are in *out), -1
 * on an error (a diagnostic at the masked URL; a selected table absent in
 * the source is an error).  Strings live in mem. */
int verify_copy(db_conn *from, db_conn *to, const verify_opts *opts, arena *mem, verify_report *out,
                diag_list *diags);

/* Spec mode (data/copy_spec.h, docs/copy-spec.md): for every table of the
 * spec (only `tables` when given: their `into`) and, for per-tenant tables,
 * every tenant schema of the source: the spec's SELECT on the source (with
 * {schema} expanded) against the target table filtered by the tenant column
 * = the tenant's value (schema name / suffix / lookup on the target, as the
 * copy computes it).  The columns compared are the spec's mapping minus the
 * remapped ones (a remapped `key` and `references` to remapped tables:
 * listed in `remapped`; counts still compared).  Kinds come from the
 * target's column types.  Report rows: one per (table, tenant), in the
 * spec's load order. */
struct copy_spec;
int verify_copy_spec(db_conn *from, db_conn *to, const struct copy_spec *spec, const verify_opts *opts, arena *mem,
                     verify_report *out, diag_list *diags);

#endif
