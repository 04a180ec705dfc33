/*
 * copy_spec_run.c — owns: executing a copy spec (docs/copy-spec.md) between
 * two open connections: tenant schemas expanded from the glob, tenant values
 * (schema name / suffix / lookup on the target), primary-key collision
 * detection between tenants before any row moves, key remapping by offset
 * (persisted in dbsage_copy_tenants) or through the mapping table
 * dbsage_key_map (new keys from the target's sequence/identity), foreign
 * keys rewritten through the same offset/map, one transaction per
 * (table, tenant) unit recorded in dbsage_copy_progress (a re-run skips done
 * units: idempotent; a killed unit rolled back and is redone), sequences
 * reset after the load.  Values travel in text form (PG COPY text / SQLite
 * prepared INSERT via db_copy_*); the row transformation is a copy_row_hook
 * shaped function so the engine's copy_run can take over the streaming.
 */
#include "data/copy.h"
#include "data/copy_spec.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit/emit.h"
#include "util/hashmap.h"
#include "util/strbuf.h"

typedef struct tenant_info {
    const char *schema;   /* NULL: the single unit of a table that is not per tenant */
    const char *value;    /* tenant column value */
} tenant_info;

typedef struct run_ctx {
    const copy_spec *spec;
    db_conn *src, *dst;
    arena *mem;
    diag_list *diags;
    const char *job;
    size_t ntenants;
    tenant_info *tenants;
    int64_t *offsets;     /* [table * ntenants + tenant] */
    hashmap *maps;        /* [table * ntenants + tenant], map remap only (loaded lazily) */
    bool *map_loaded;
    int64_t batch;        /* rows per source chunk (copy_opts.batch) */
} run_ctx;

static src_loc spec_loc(const run_ctx *r)
{
    src_loc l = {r->spec->path, 0, 0};
    return l;
}

static int fail_db(run_ctx *r, db_conn *c, src_loc loc, const char *what)
{
    diag_error(r->diags, loc, "%s: %s", what, db_last_error(c));
    return -1;
}

static const char *tenant_label(const tenant_info *t)
{
    return t->schema ? t->schema : "-";
}

/* {schema} -> the quoted schema name (identifiers only; values are bound) */
static const char *expand_select(run_ctx *r, const char *sel, const char *schema)
{
    strbuf sb = STRBUF_INIT;
    for (const char *p = sel; *p;) {
        if (schema && !strncmp(p, "{schema}", 8)) {
            sql_quote_ident(&sb, db_dialect(r->src), schema);
            p += 8;
        } else {
            strbuf_addch(&sb, *p++);
        }
    }
    const char *out = arena_strdup(r->mem, strbuf_str(&sb));
    strbuf_release(&sb);
    return out;
}

static const char *qualified(run_ctx *r, db_conn *c, const copy_spec_table *t)
{
    strbuf sb = STRBUF_INIT;
    if (t->schema) {
        sql_quote_ident(&sb, db_dialect(c), t->schema);
        strbuf_addch(&sb, '.');
    }
    sql_quote_ident(&sb, db_dialect(c), t->name);
    const char *out = arena_strdup(r->mem, strbuf_str(&sb));
    strbuf_release(&sb);
    return out;
}

/* the select's column that feeds target column `target` */
static const char *source_of(const copy_spec_table *t, const char *target)
{
    for (size_t i = 0; i < t->columns.n; i++)
        if (!strcmp(t->columns.v[i].target, target))
            return t->columns.v[i].source;
    return target;
}

static const char *unit_name(run_ctx *r, const copy_spec_table *t, const tenant_info *tn)
{
    return tn->schema ? arena_printf(r->mem, "%s@%s", t->into, tn->schema) : t->into;
}

/* ---- state tables in the target ------------------------------------------- */

static int ensure_state(run_ctx *r)
{
    const char *sql[] = {
        ("CREATE TABLE IF NOT EXISTS dbsage_copy_progress (job text NOT NULL, table_name text NOT NULL, "
        "chunk bigint, last_key text, rows bigint, done boolean NOT NULL DEFAULT false, "
        "PRIMARY KEY (job, table_name))"),
        ("CREATE TABLE IF NOT EXISTS dbsage_copy_tenants (job text NOT NULL, target_table text NOT NULL, "
        "tenant text NOT NULL, tenant_value text, key_offset bigint NOT NULL, "
        "PRIMARY KEY (job, target_table, tenant))"),
        ("CREATE TABLE IF NOT EXISTS dbsage_key_map (\"table\" text NOT NULL, tenant text NOT NULL, "
        "old_key text NOT NULL, new_key text NOT NULL, PRIMARY KEY (\"table\", tenant, old_key))"),
    };
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++)
        if (db_exec(r->dst, sql[i]) != 0)
            return fail_db(r, r->dst, spec_loc(r), "cannot create the copy state tables in the target");
    return 0;
}

/* ---- tenants ---------------------------------------------------------------- */

static int resolve_tenants(run_ctx *r)
{
    const copy_spec *s = r->spec;
    if (!s->has_tenants) {
        r->ntenants = 0;
        return 0;
    }
    if (db_dialect(r->src) != DIALECT_PG) {
        diag_error(r->diags, s->tenants.loc, "tenants: schemas are a PostgreSQL source feature (the source is %s)",
                   db_spec_masked(r->src));
        return -1;
    }
    const char **names = NULL;
    size_t n = 0;
    if (db_list_schemas(r->src, s->tenants.schemas, r->mem, &names, &n) != 0)
        return fail_db(r, r->src, s->tenants.loc, "cannot list the source schemas");
    if (!n) {
        diag_error(r->diags, s->tenants.loc, "tenants: no schema of the source matches '%s'", s->tenants.schemas);
        return -1;
    }
    r->ntenants = n;
    r->tenants = arena_alloc(r->mem, n * sizeof(tenant_info));
    db_stmt *lk = NULL;
    if (s->tenants.lookup && !(lk = db_prepare(r->dst, s->tenants.lookup, 1)))
        return fail_db(r, r->dst, s->tenants.loc, "tenants.value.lookup");
    for (size_t i = 0; i < n; i++) {
        const char *from = s->tenants.from == COPY_TENANT_SCHEMA_SUFFIX
                               ? copy_spec_schema_suffix(r->mem, s->tenants.schemas, names[i])
                               : names[i];
        r->tenants[i].schema = names[i];
        r->tenants[i].value = from;
        if (!lk)
            continue;
        db_bind_text(lk, 1, from, strlen(from));
        int rc = db_step(lk);
        if (rc < 0) {
            db_finalize(lk);
            return fail_db(r, r->dst, s->tenants.loc, "tenants.value.lookup");
        }
        if (rc == 0 || db_column_is_null(lk, 0)) {
            diag_error(r->diags, s->tenants.loc,
                       "tenants.value.lookup found no value for '%s' (schema %s): create that row in the target "
                       "first",
                       from, names[i]);
            db_finalize(lk);
            return -1;
        }
        r->tenants[i].value = arena_strdup(r->mem, db_column_text(lk, 0, NULL));
        db_reset(lk);
    }
    if (lk)
        db_finalize(lk);
    return 0;
}

/* ---- collisions and offsets --------------------------------------------------- */

static int query_int(run_ctx *r, db_conn *c, const char *sql, int64_t *out, bool *is_null, src_loc loc)
{
    db_stmt *st = db_prepare(c, sql, 0);
    if (!st)
        return fail_db(r, c, loc, "query failed");
    int rc = db_step(st);
    if (rc < 0) {
        fail_db(r, c, loc, "query failed");
        db_finalize(st);
        return -1;
    }
    *is_null = rc == 0 || db_column_is_null(st, 0);
    *out = *is_null ? 0 : db_column_int64(st, 0);
    db_finalize(st);
    return 0;
}

/* Offsets already planned by an earlier run (1), or none (0). */
static int read_planned_offsets(run_ctx *r, size_t ti)
{
    const copy_spec_table *t = &r->spec->tables.v[ti];
    db_stmt *st = db_prepare(r->dst, "SELECT tenant, key_offset FROM dbsage_copy_tenants WHERE job = $1 AND "
                                     "target_table = $2", 2);
    if (!st)
        return fail_db(r, r->dst, t->loc, "reading dbsage_copy_tenants");
    db_bind_text(st, 1, r->job, strlen(r->job));
    db_bind_text(st, 2, t->into, strlen(t->into));
    int rc, found = 0;
    while ((rc = db_step(st)) == 1) {
        const char *tenant = db_column_text(st, 0, NULL);
        for (size_t k = 0; k < r->ntenants; k++)
            if (!strcmp(r->tenants[k].schema, tenant)) {
                r->offsets[ti * r->ntenants + k] = db_column_int64(st, 1);
                found++;
            }
    }
    db_finalize(st);
    if (rc < 0)
        return fail_db(r, r->dst, t->loc, "reading dbsage_copy_tenants");
    if (found && (size_t)found != r->ntenants) {
        diag_error(r->diags, t->loc,
                   "'%s': the tenant schemas changed since the first run (%d planned, %zu now); rerun with a fresh "
                   "target or --restart",
                   t->into, found, r->ntenants);
        return -1;
    }
    return found ? 1 : 0;
}

/* Count key values present in more than one tenant; plan offsets. */
static int plan_table(run_ctx *r, size_t ti, bool dry_run)
{
    const copy_spec_table *t = &r->spec->tables.v[ti];
    dialect sd = db_dialect(r->src);
    strbuf k = STRBUF_INIT, sql = STRBUF_INIT;
    sql_quote_ident(&k, sd, source_of(t, t->key));
    strbuf_adds(&sql, "SELECT count(*) FROM (SELECT k FROM (");
    for (size_t i = 0; i < r->ntenants; i++) {
        if (i)
            strbuf_adds(&sql, " UNION ALL ");
        strbuf_addf(&sql, "SELECT q.%s AS k FROM (%s) q", strbuf_str(&k),
                    expand_select(r, t->select, r->tenants[i].schema));
    }
    strbuf_adds(&sql, ") u GROUP BY k HAVING count(*) > 1) d");
    int64_t overlap = 0;
    bool isnull;
    int rc = query_int(r, r->src, strbuf_str(&sql), &overlap, &isnull, t->select_loc);
    if (rc == 0 && overlap > 0 && t->remap == COPY_REMAP_NONE) {
        diag_error(r->diags, t->loc,
                   "'%s': %" PRId64 " value%s of key '%s' occur in more than one tenant schema; use remap: offset or "
                   "map (or a key that includes the tenant column, without 'key:')",
                   t->into, overlap, overlap == 1 ? "" : "s", t->key);
        rc = -1;
    } else if (rc == 0 && overlap > 0) {
        diag_note(r->diags, t->loc, "'%s': %" PRId64 " value%s of key '%s' collide between tenants; remapped by %s",
                  t->into, overlap, overlap == 1 ? "" : "s", t->key, copy_remap_name(t->remap));
    } else if (rc == 0) {
        diag_note(r->diags, t->loc, "'%s': no key collision between tenants", t->into);
    }
    if (rc == 0 && t->remap == COPY_REMAP_OFFSET) {
        int planned = dry_run ? 0 : read_planned_offsets(r, ti);
        if (planned < 0)
            rc = -1;
        else if (planned == 0) {
            /* base: the target's current max key; then each tenant after the previous one's max */
            int64_t base = 0, mx;
            strbuf_reset(&sql);
            strbuf_adds(&sql, "SELECT max(");
            sql_quote_ident(&sql, db_dialect(r->dst), t->key);
            strbuf_addf(&sql, ") FROM %s", qualified(r, r->dst, t));
            if (query_int(r, r->dst, strbuf_str(&sql), &base, &isnull, t->loc) != 0)
                rc = -1;
            int64_t next = base;
            for (size_t i = 0; rc == 0 && i < r->ntenants; i++) {
                r->offsets[ti * r->ntenants + i] = (overlap == 0 && base == 0) ? 0 : next;
                strbuf_reset(&sql);
                strbuf_addf(&sql, "SELECT max(q.%s) FROM (%s) q", strbuf_str(&k),
                            expand_select(r, t->select, r->tenants[i].schema));
                if (query_int(r, r->src, strbuf_str(&sql), &mx, &isnull, t->select_loc) != 0)
                    rc = -1;
                else if (!isnull && mx > 0)
                    next += mx;
            }
            if (rc == 0 && !dry_run) {
                db_stmt *ins = db_prepare(r->dst, "INSERT INTO dbsage_copy_tenants (job, target_table, tenant, "
                                                  "tenant_value, key_offset) VALUES ($1, $2, $3, $4, $5)", 5);
                if (!ins)
                    rc = fail_db(r, r->dst, t->loc, "writing dbsage_copy_tenants");
                for (size_t i = 0; ins && rc == 0 && i < r->ntenants; i++) {
                    db_bind_text(ins, 1, r->job, strlen(r->job));
                    db_bind_text(ins, 2, t->into, strlen(t->into));
                    db_bind_text(ins, 3, r->tenants[i].schema, strlen(r->tenants[i].schema));
                    db_bind_text(ins, 4, r->tenants[i].value, strlen(r->tenants[i].value));
                    db_bind_int64(ins, 5, r->offsets[ti * r->ntenants + i]);
                    if (db_step(ins) < 0)
                        rc = fail_db(r, r->dst, t->loc, "writing dbsage_copy_tenants");
                    db_reset(ins);
                }
                if (ins)
                    db_finalize(ins);
            }
        }
        for (size_t i = 0; rc == 0 && i < r->ntenants; i++)
            diag_note(r->diags, t->loc, "'%s' of %s: keys + %" PRId64, t->into, r->tenants[i].schema,
                      r->offsets[ti * r->ntenants + i]);
    }
    strbuf_release(&k);
    strbuf_release(&sql);
    return rc;
}

/* ---- key maps ------------------------------------------------------------------ */

static hashmap *map_of(run_ctx *r, size_t ti, size_t tenant)
{
    size_t i = ti * r->ntenants + tenant;
    if (!r->map_loaded[i]) {
        hashmap_init(&r->maps[i], r->mem);
        r->map_loaded[i] = true;
    }
    return &r->maps[i];
}

/* the map of (table, tenant) as stored in dbsage_key_map (committed units) */
static int load_map(run_ctx *r, size_t ti, size_t tenant)
{
    const copy_spec_table *t = &r->spec->tables.v[ti];
    hashmap *m = map_of(r, ti, tenant);
    if (m->n)
        return 0;
    db_stmt *st = db_prepare(r->dst, "SELECT old_key, new_key FROM dbsage_key_map WHERE \"table\" = $1 AND tenant = $2",
                             2);
    if (!st)
        return fail_db(r, r->dst, t->loc, "reading dbsage_key_map");
    db_bind_text(st, 1, t->into, strlen(t->into));
    db_bind_text(st, 2, r->tenants[tenant].schema, strlen(r->tenants[tenant].schema));
    int rc;
    while ((rc = db_step(st)) == 1)
        hashmap_put(m, db_column_text(st, 0, NULL), arena_strdup(r->mem, db_column_text(st, 1, NULL)));
    db_finalize(st);
    return rc < 0 ? fail_db(r, r->dst, t->loc, "reading dbsage_key_map") : 0;
}

/* New keys for every source key of the unit: PG nextval of the key's
 * sequence/identity, SQLite max+1...; stored in dbsage_key_map (same
 * transaction as the unit's rows). */
static int build_map(run_ctx *r, size_t ti, size_t tenant, const char *select)
{
    const copy_spec_table *t = &r->spec->tables.v[ti];
    hashmap *m = map_of(r, ti, tenant);
    strbuf sql = STRBUF_INIT;
    int rc = 0;
    int64_t next = 0;
    const char *seq = NULL;
    if (db_dialect(r->dst) == DIALECT_PG) {
        db_stmt *st = db_prepare(r->dst, "SELECT pg_get_serial_sequence($1, $2)", 2);
        const char *q = qualified(r, r->dst, t);
        if (st) {
            db_bind_text(st, 1, q, strlen(q));
            db_bind_text(st, 2, t->key, strlen(t->key));
        }
        if (!st || db_step(st) < 0)
            rc = fail_db(r, r->dst, t->loc, "remap: map: looking up the key's sequence");
        else if (!db_column_is_null(st, 0))
            seq = arena_strdup(r->mem, db_column_text(st, 0, NULL));
        if (st)
            db_finalize(st);
        if (rc == 0 && !seq) {
            diag_error(r->diags, t->loc, "remap: map needs a serial or identity key: %s.%s has no sequence", t->into,
                       t->key);
            rc = -1;
        }
    } else {
        bool isnull;
        strbuf_adds(&sql, "SELECT max(");
        sql_quote_ident(&sql, DIALECT_SQLITE, t->key);
        strbuf_addf(&sql, ") FROM %s", qualified(r, r->dst, t));
        rc = query_int(r, r->dst, strbuf_str(&sql), &next, &isnull, t->loc);
    }
    strbuf_reset(&sql);
    strbuf_adds(&sql, "SELECT q.");
    sql_quote_ident(&sql, db_dialect(r->src), source_of(t, t->key));
    strbuf_addf(&sql, " FROM (%s) q", select);
    db_stmt *src = rc == 0 ? db_prepare(r->src, strbuf_str(&sql), 0) : NULL;
    db_stmt *nv = rc == 0 && seq ? db_prepare(r->dst, "SELECT nextval($1::regclass)", 1) : NULL;
    db_stmt *ins = rc == 0 ? db_prepare(r->dst, "INSERT INTO dbsage_key_map (\"table\", tenant, old_key, new_key) "
                                                "VALUES ($1, $2, $3, $4)", 4)
                           : NULL;
    if (rc == 0 && (!src || (seq && !nv) || !ins))
        rc = fail_db(r, !src ? r->src : r->dst, t->loc, "remap: map");
    if (nv)
        db_bind_text(nv, 1, seq, strlen(seq));
    const char *schema = r->tenants[tenant].schema;
    int s;
    while (rc == 0 && (s = db_step(src)) == 1) {
        if (db_column_is_null(src, 0)) {
            diag_error(r->diags, t->select_loc, "'%s' of %s: a NULL key", t->into, schema);
            rc = -1;
            break;
        }
        const char *old = arena_strdup(r->mem, db_column_text(src, 0, NULL));
        const char *nk;
        if (nv) {
            if (db_step(nv) != 1) {
                rc = fail_db(r, r->dst, t->loc, "remap: map: nextval");
                break;
            }
            nk = arena_strdup(r->mem, db_column_text(nv, 0, NULL));
            db_reset(nv);
        } else {
            nk = arena_printf(r->mem, "%" PRId64, ++next);
        }
        hashmap_put(m, old, (void *)nk);
        db_bind_text(ins, 1, t->into, strlen(t->into));
        db_bind_text(ins, 2, schema, strlen(schema));
        db_bind_text(ins, 3, old, strlen(old));
        db_bind_text(ins, 4, nk, strlen(nk));
        if (db_step(ins) < 0) {
            rc = fail_db(r, r->dst, t->loc, "writing dbsage_key_map (duplicate source key?)");
            break;
        }
        db_reset(ins);
    }
    if (rc == 0 && s < 0)
        rc = fail_db(r, r->src, t->select_loc, "remap: map: reading the source keys");
    if (src)
        db_finalize(src);
    if (nv)
        db_finalize(nv);
    if (ins)
        db_finalize(ins);
    strbuf_release(&sql);
    return rc;
}

/* ---- one unit: (table, tenant) ------------------------------------------------- */

typedef struct unit_cols {
    int n;
    const char **names;   /* target columns */
    int *src;             /* select column index, -1 = tenant column */
    int key;              /* index in names of the key, -1 */
    int *ref_table;       /* per target column: referenced table index, -1 */
} unit_cols;

static int find_result_column(db_stmt *st, const char *name)
{
    int n = db_column_count(st);
    for (int i = 0; i < n; i++) {
        const char *c = db_column_name(st, i);
        if (c && !strcmp(c, name))
            return i;
    }
    return -1;
}

static int resolve_cols(run_ctx *r, const copy_spec_table *t, db_stmt *st, unit_cols *u)
{
    int nres = db_column_count(st);
    int cap = (int)t->columns.n + nres + 1;
    u->names = arena_alloc(r->mem, (size_t)cap * sizeof(char *));
    u->src = arena_alloc(r->mem, (size_t)cap * sizeof(int));
    u->ref_table = arena_alloc(r->mem, (size_t)cap * sizeof(int));
    u->n = 0;
    u->key = -1;
    if (t->columns.n) {
        for (size_t i = 0; i < t->columns.n; i++) {
            int ix = find_result_column(st, t->columns.v[i].source);
            if (ix < 0) {
                diag_error(r->diags, t->columns.v[i].loc, "columns: the select of '%s' has no column '%s'", t->into,
                           t->columns.v[i].source);
                return -1;
            }
            u->names[u->n] = t->columns.v[i].target;
            u->src[u->n++] = ix;
        }
    } else {
        for (int i = 0; i < nres; i++) {
            u->names[u->n] = arena_strdup(r->mem, db_column_name(st, i));
            u->src[u->n++] = i;
        }
    }
    if (t->tenant_column) {
        for (int i = 0; i < u->n; i++)
            if (!strcmp(u->names[i], r->spec->tenants.column)) {
                diag_error(r->diags, t->loc, "'%s': the tenant column '%s' is injected; do not map it too", t->into,
                           u->names[i]);
                return -1;
            }
        u->names[u->n] = r->spec->tenants.column;
        u->src[u->n++] = -1;
    }
    for (int i = 0; i < u->n; i++) {
        u->ref_table[i] = -1;
        if (t->key && !strcmp(u->names[i], t->key))
            u->key = i;
        for (size_t j = 0; j < t->references.n; j++)
            if (!strcmp(t->references.v[j].column, u->names[i]))
                u->ref_table[i] = t->references.v[j].table_index;
    }
    for (size_t j = 0; j < t->references.n; j++) {
        bool found = false;
        for (int i = 0; i < u->n; i++)
            found = found || u->ref_table[i] == t->references.v[j].table_index;
        if (!found) {
            diag_error(r->diags, t->references.v[j].loc, "references: '%s' is not a target column of '%s'",
                       t->references.v[j].column, t->into);
            return -1;
        }
    }
    if (t->key && u->key < 0) {
        diag_error(r->diags, t->loc, "key '%s' is not a column of what '%s' writes", t->key, t->into);
        return -1;
    }
    return 0;
}

/* the new value of a remapped key (or of a reference to one) */
static const char *remap_value(run_ctx *r, arena *row, size_t ti, size_t tenant, const char *v, src_loc loc,
                               const char *what)
{
    const copy_spec_table *t = &r->spec->tables.v[ti];
    if (t->remap == COPY_REMAP_OFFSET) {
        char *end;
        long long x = strtoll(v, &end, 10);
        if (!*v || *end) {
            diag_error(r->diags, loc, "%s: '%s' is not an integer key (remap: offset needs integer keys)", what, v);
            return NULL;
        }
        int64_t off = r->offsets[ti * r->ntenants + tenant];
        return off ? arena_printf(row, "%lld", x + (long long)off) : v;
    }
    if (t->remap == COPY_REMAP_MAP) {
        const char *nk = hashmap_get(map_of(r, ti, tenant), v);
        if (!nk)
            diag_error(r->diags, loc, "%s = %s (schema %s): no such key in '%s' (a dangling reference in the source)",
                       what, v, r->tenants[tenant].schema, t->into);
        return nk;
    }
    return v;
}

static int mark_done(run_ctx *r, const char *unit, int64_t rows, src_loc loc)
{
    db_stmt *st = db_prepare(r->dst, "INSERT INTO dbsage_copy_progress (job, table_name, chunk, last_key, rows, done) "
                                     "VALUES ($1, $2, 1, NULL, $3, true)", 3);
    if (!st)
        return fail_db(r, r->dst, loc, "writing dbsage_copy_progress");
    db_bind_text(st, 1, r->job, strlen(r->job));
    db_bind_text(st, 2, unit, strlen(unit));
    db_bind_int64(st, 3, rows);
    int rc = db_step(st) < 0 ? fail_db(r, r->dst, loc, "writing dbsage_copy_progress") : 0;
    db_finalize(st);
    return rc;
}

static int unit_done(run_ctx *r, const char *unit, bool *done)
{
    db_stmt *st = db_prepare(r->dst, "SELECT done FROM dbsage_copy_progress WHERE job = $1 AND table_name = $2", 2);
    if (!st)
        return fail_db(r, r->dst, spec_loc(r), "reading dbsage_copy_progress");
    db_bind_text(st, 1, r->job, strlen(r->job));
    db_bind_text(st, 2, unit, strlen(unit));
    int rc = db_step(st);
    *done = rc == 1 && db_column_int64(st, 0) == 1;
    db_finalize(st);
    return rc < 0 ? fail_db(r, r->dst, spec_loc(r), "reading dbsage_copy_progress") : 0;
}

/* The unit's source rows.  A table with a `key` is read in keyset chunks
 * (SELECT * FROM (select) q [WHERE q.key > $1] ORDER BY q.key LIMIT n): the
 * PostgreSQL driver holds a whole result in memory, a chunk bounds it. */
#define SPEC_CHUNK_ROWS 10000 /* copy_opts.batch overrides */

typedef struct src_reader {
    run_ctx *r;
    const char *select;
    const char *key_sql;   /* quoted source key column, NULL: one query */
    const char *key_name;  /* the same, unquoted */
    int key_ix;            /* index of the key in the result, -1 until known */
    db_stmt *st;
    strbuf last;           /* key of the current row, before stepping past it */
    int64_t in_chunk, chunk;
} src_reader;

static db_stmt *reader_query(src_reader *rd, bool after)
{
    dialect d = db_dialect(rd->r->src);
    if (!rd->key_sql)
        return db_prepare(rd->r->src, rd->select, 0);
    char *sql = arena_printf(rd->r->mem, "SELECT * FROM (%s) q %s%s%s ORDER BY q.%s LIMIT %" PRId64, rd->select,
                             after ? "WHERE q." : "", after ? rd->key_sql : "", after ? " > $1" : "", rd->key_sql,
                             rd->chunk);
    db_stmt *st = db_prepare(rd->r->src, sql, after ? 1 : 0);
    if (st && after) {
        char *end;
        long long v = strtoll(rd->last.buf, &end, 10);
        /* SQLite orders integers before any text: bind integer keys as integers */
        if (d == DIALECT_SQLITE && rd->last.len && !*end)
            db_bind_int64(st, 1, v);
        else
            db_bind_text(st, 1, rd->last.buf, rd->last.len);
    }
    return st;
}

/* 1 a row, 0 done, -1 error (db_last_error of the source) */
static int reader_step(src_reader *rd)
{
    if (!rd->st) {
        if (!(rd->st = reader_query(rd, false)))
            return -1;
    } else if (rd->key_sql && rd->key_ix >= 0) {
        size_t len = 0;
        const char *k = db_column_text(rd->st, rd->key_ix, &len);
        strbuf_reset(&rd->last);
        strbuf_add(&rd->last, k ? k : "", k ? len : 0);
    }
    int s = db_step(rd->st);
    if (s == 0 && rd->key_sql && rd->in_chunk == rd->chunk) {
        db_finalize(rd->st);
        rd->in_chunk = 0;
        if (!(rd->st = reader_query(rd, true)))
            return -1;
        s = db_step(rd->st);
    }
    if (s == 1) {
        rd->in_chunk++;
        if (rd->key_sql && rd->key_ix < 0)
            rd->key_ix = find_result_column(rd->st, rd->key_name);
    }
    return s;
}

static void reader_close(src_reader *rd)
{
    if (rd->st)
        db_finalize(rd->st);
    rd->st = NULL;
    strbuf_release(&rd->last);
}

static int copy_unit(run_ctx *r, size_t ti, size_t tenant, tenant_info *tn, int64_t *rows_out)
{
    const copy_spec_table *t = &r->spec->tables.v[ti];
    const char *select = expand_select(r, t->select, tn->schema);
    *rows_out = 0;
    if (db_begin(r->dst) != 0)
        return fail_db(r, r->dst, t->loc, "BEGIN");
    int rc = 0;
    /* maps of the referenced tables (their units committed earlier) */
    for (size_t j = 0; rc == 0 && j < t->references.n; j++) {
        int rt = t->references.v[j].table_index;
        if (r->spec->tables.v[rt].remap == COPY_REMAP_MAP)
            rc = load_map(r, (size_t)rt, tenant);
    }
    if (rc == 0 && t->remap == COPY_REMAP_MAP)
        rc = build_map(r, ti, tenant, select);
    src_reader rd = {r, select, NULL, NULL, -1, NULL, STRBUF_INIT, 0, r->batch > 0 ? r->batch : SPEC_CHUNK_ROWS};
    if (t->key) {
        strbuf k = STRBUF_INIT;
        rd.key_name = source_of(t, t->key);
        sql_quote_ident(&k, db_dialect(r->src), rd.key_name);
        rd.key_sql = arena_strdup(r->mem, strbuf_str(&k));
        strbuf_release(&k);
    }
    int s = rc == 0 ? reader_step(&rd) : -1;
    db_stmt *st = rd.st;
    if (rc == 0 && s < 0)
        rc = fail_db(r, r->src, t->select_loc, arena_printf(r->mem, "the select of '%s' (schema %s)", t->into,
                                                            tenant_label(tn)));
    unit_cols u = {0};
    if (rc == 0 && s == 1)
        rc = resolve_cols(r, t, st, &u);
    if (rc == 0 && s == 1) {
        db_copy *cp = db_copy_begin(r->dst, t->schema, t->name, u.names, u.n);
        if (!cp)
            rc = fail_db(r, r->dst, t->loc, arena_printf(r->mem, "cannot load '%s'", t->into));
        const char **vals = arena_alloc(r->mem, (size_t)u.n * sizeof(char *));
        size_t *lens = arena_alloc(r->mem, (size_t)u.n * sizeof(size_t));
        arena row = {0};
        arena_init(&row);
        int64_t n = 0;
        while (cp && rc == 0 && s == 1) {
            for (int i = 0; i < u.n && rc == 0; i++) {
                if (u.src[i] < 0) {
                    vals[i] = tn->value;
                    lens[i] = strlen(tn->value);
                    continue;
                }
                if (db_column_is_null(st, u.src[i])) {
                    vals[i] = NULL;
                    lens[i] = 0;
                    continue;
                }
                size_t len;
                const char *v = db_column_text(st, u.src[i], &len);
                int rt = i == u.key ? (int)ti : u.ref_table[i];
                if (rt >= 0 && r->spec->tables.v[rt].remap != COPY_REMAP_NONE) {
                    const char *what = arena_printf(&row, "%s.%s", t->into, u.names[i]);
                    v = remap_value(r, &row, (size_t)rt, tenant, arena_strndup(&row, v, len), t->loc, what);
                    if (!v) {
                        rc = -1;
                        break;
                    }
                    len = strlen(v);
                }
                vals[i] = v;
                lens[i] = len;
            }
            if (rc == 0 && db_copy_row(cp, vals, lens) != 0)
                rc = fail_db(r, r->dst, t->loc, arena_printf(r->mem, "loading '%s'", t->into));
            n++;
            if (rc == 0) {
                s = reader_step(&rd);
                st = rd.st;
            }
            if (n % 4096 == 0) {
                arena_free(&row);
                arena_init(&row);
            }
        }
        arena_free(&row);
        if (cp && db_copy_end(cp) != 0 && rc == 0)
            rc = fail_db(r, r->dst, t->loc, arena_printf(r->mem, "loading '%s' (schema %s)", t->into,
                                                         tenant_label(tn)));
        if (rc == 0 && s < 0)
            rc = fail_db(r, r->src, t->select_loc, t->into);
        *rows_out = n;
    }
    reader_close(&rd);
    if (rc == 0)
        rc = mark_done(r, unit_name(r, t, tn), *rows_out, t->loc);
    if (rc == 0 && db_commit(r->dst) != 0)
        rc = fail_db(r, r->dst, t->loc, "COMMIT");
    if (rc != 0)
        db_rollback(r->dst);
    return rc;
}

/* ---- after the load --------------------------------------------------------------- */

static int reset_sequences(run_ctx *r)
{
    if (db_dialect(r->dst) != DIALECT_PG)
        return 0;
    for (size_t i = 0; i < r->spec->tables.n; i++) {
        const copy_spec_table *t = &r->spec->tables.v[i];
        if (!t->key)
            continue;
        strbuf sql = STRBUF_INIT;
        const char *q = qualified(r, r->dst, t);
        strbuf_adds(&sql, "SELECT setval(s, m) FROM (SELECT pg_get_serial_sequence($1, $2) AS s, (SELECT max(");
        sql_quote_ident(&sql, DIALECT_PG, t->key);
        strbuf_addf(&sql, ") FROM %s) AS m) x WHERE s IS NOT NULL AND m IS NOT NULL", q);
        db_stmt *st = db_prepare(r->dst, strbuf_str(&sql), 2);
        strbuf_release(&sql);
        int rc = st ? 0 : -1;
        if (st) {
            db_bind_text(st, 1, q, strlen(q));
            db_bind_text(st, 2, t->key, strlen(t->key));
            rc = db_step(st) < 0 ? -1 : 0;
        }
        if (rc != 0)
            fail_db(r, r->dst, t->loc, arena_printf(r->mem, "resetting the sequence of %s.%s", t->into, t->key));
        if (st)
            db_finalize(st);
        if (rc != 0)
            return -1;
    }
    return 0;
}

static int restart(run_ctx *r)
{
    for (size_t k = r->spec->tables.n; k-- > 0;) {
        const copy_spec_table *t = &r->spec->tables.v[r->spec->order[k]];
        if (db_exec(r->dst, arena_printf(r->mem, "DELETE FROM %s", qualified(r, r->dst, t))) != 0)
            return fail_db(r, r->dst, t->loc, "--restart: emptying the target table");
        db_stmt *st = db_prepare(r->dst, "DELETE FROM dbsage_key_map WHERE \"table\" = $1", 1);
        if (!st)
            return fail_db(r, r->dst, t->loc, "--restart");
        db_bind_text(st, 1, t->into, strlen(t->into));
        int rc = db_step(st);
        db_finalize(st);
        if (rc < 0)
            return fail_db(r, r->dst, t->loc, "--restart");
    }
    const char *tabs[] = {"dbsage_copy_progress", "dbsage_copy_tenants"};
    for (size_t i = 0; i < 2; i++) {
        db_stmt *st = db_prepare(r->dst, arena_printf(r->mem, "DELETE FROM %s WHERE job = $1", tabs[i]), 1);
        if (!st)
            return fail_db(r, r->dst, spec_loc(r), "--restart");
        db_bind_text(st, 1, r->job, strlen(r->job));
        int rc = db_step(st);
        db_finalize(st);
        if (rc < 0)
            return fail_db(r, r->dst, spec_loc(r), "--restart");
    }
    return 0;
}

/* ---- entry points ---------------------------------------------------------------- */

static int run_spec(run_ctx *r, const copy_opts *opts, copy_result *out)
{
    const copy_spec *s = r->spec;
    bool dry = opts && opts->dry_run;
    if (!dry && ensure_state(r) != 0)
        return -1;
    if (resolve_tenants(r) != 0)
        return -1;
    if (!dry && opts && opts->restart && restart(r) != 0)
        return -1;
    size_t nt = r->ntenants ? r->ntenants : 1;
    r->offsets = arena_alloc(r->mem, s->tables.n * nt * sizeof(int64_t));
    r->maps = arena_alloc(r->mem, s->tables.n * nt * sizeof(hashmap));
    r->map_loaded = arena_alloc(r->mem, s->tables.n * nt * sizeof(bool));
    /* 1. collisions and offsets, before any row moves */
    int rc = 0;
    for (size_t i = 0; i < s->tables.n; i++) {
        const copy_spec_table *t = &s->tables.v[i];
        if (!t->per_tenant || !t->key)
            continue;
        if (plan_table(r, i, dry) != 0)
            rc = -1;
    }
    if (rc != 0 || dry)
        return rc;
    /* 2. the units, in load order */
    tenant_info single = {NULL, NULL};
    for (size_t k = 0; rc == 0 && k < s->tables.n; k++) {
        size_t ti = (size_t)s->order[k];
        const copy_spec_table *t = &s->tables.v[ti];
        size_t units = t->per_tenant ? r->ntenants : 1;
        for (size_t u = 0; rc == 0 && u < units; u++) {
            tenant_info *tn = t->per_tenant ? &r->tenants[u] : &single;
            const char *name = unit_name(r, t, tn);
            copy_table_result res = {name, 0, 0, 0, false, false};
            bool done = false;
            rc = unit_done(r, name, &done);
            if (rc == 0 && done) {
                res.skipped_done = true;
            } else if (rc == 0) {
                rc = copy_unit(r, ti, u, tn, &res.rows);
                res.chunks = 1;
                out->rows += res.rows;
            }
            res.rows_total = res.rows;
            if (opts && opts->progress && rc == 0) {
                copy_job job = {.name = name, .dst_schema = t->schema, .dst_table = t->name};
                opts->progress(opts->progress_ctx, &job, res.rows, true);
            }
            VEC_PUSH(r->mem, out->tables, res);
        }
    }
    if (rc == 0)
        rc = reset_sequences(r);
    return rc;
}

int copy_spec_run(db_conn *src, db_conn *dst, const char *spec_path, const copy_opts *opts, arena *mem,
                  copy_result *out, diag_list *diags)
{
    copy_spec *spec = copy_spec_load(mem, spec_path, diags);
    if (!spec)
        return -1;
    run_ctx r = {0};
    r.spec = spec;
    r.src = src;
    r.dst = dst;
    r.mem = mem;
    r.diags = diags;
    r.job = opts && opts->run_name ? opts->run_name : "copy";
    r.batch = opts ? opts->batch : 0;
    int rc = run_spec(&r, opts, out);
    size_t nt = r.ntenants ? r.ntenants : 1;
    for (size_t i = 0; r.map_loaded && i < spec->tables.n * nt; i++)
        if (r.map_loaded[i])
            hashmap_release(&r.maps[i]);
    return rc;
}
