/*
 * verify_copy_spec.c — `dbsage verify --from --to --spec copy.yaml`: checks
 * a spec copy (data/copy_spec.h) per target table and per tenant — the
 * spec's SELECT over each tenant schema of the source against the target
 * table filtered by the tenant column — with the same canonical values and
 * order-independent checksums as the table mode (verify_copy.c).  Columns
 * the copy remapped (keys, references to remapped tables) are not compared;
 * counts always are.  Never prints.
 */
#include <string.h>

#include "data/copy_spec.h"
#include "data/verify_copy.h"
#include "data/verify_copy_int.h"
#include "emit/emit.h"
#include "util/strbuf.h"

typedef VEC(verify_table) table_vec;

typedef struct tenant {
    const char *schema, *value;
} tenant;

/* the tenants as copy_spec_run computes them: schema name or suffix, then the lookup */
static int load_tenants(db_conn *from, db_conn *to, const copy_spec *s, arena *mem, tenant **out, size_t *n,
                        diag_list *diags)
{
    const char **names = NULL;
    if (db_list_schemas(from, s->tenants.schemas, mem, &names, n) != 0) {
        verify_db_error(diags, from, "cannot list the tenant schemas");
        return -1;
    }
    *out = arena_alloc(mem, (*n ? *n : 1) * sizeof **out);
    db_stmt *lk = NULL;
    if (s->tenants.lookup && !(lk = db_prepare(to, s->tenants.lookup, 1))) {
        verify_db_error(diags, to, "tenants.value.lookup");
        return -1;
    }
    for (size_t i = 0; i < *n; i++) {
        const char *v = s->tenants.from == COPY_TENANT_SCHEMA_SUFFIX
                            ? copy_spec_schema_suffix(mem, s->tenants.schemas, names[i])
                            : names[i];
        (*out)[i].schema = names[i];
        (*out)[i].value = v;
        if (!lk)
            continue;
        db_bind_text(lk, 1, v, strlen(v));
        int rc = db_step(lk);
        if (rc < 0) {
            verify_db_error(diags, to, "tenants.value.lookup");
            db_finalize(lk);
            return -1;
        }
        /* no value: the tenant was never copied; its rows are looked for under NULL (none match) */
        (*out)[i].value = rc == 1 && !db_column_is_null(lk, 0) ? arena_strdup(mem, db_column_text(lk, 0, NULL)) : NULL;
        db_reset(lk);
    }
    if (lk)
        db_finalize(lk);
    return 0;
}

static const char *expand(db_conn *c, const char *sel, const char *schema, arena *mem)
{
    strbuf sb = STRBUF_INIT;
    for (const char *p = sel; *p;) {
        if (schema && !strncmp(p, "{schema}", 8)) {
            sql_quote_ident(&sb, db_dialect(c), schema);
            p += 8;
        } else {
            strbuf_addch(&sb, *p++);
        }
    }
    const char *r = arena_strdup(mem, strbuf_str(&sb));
    strbuf_release(&sb);
    return r;
}

/* result column names of a SELECT (the spec gave no `columns:`) */
static int select_columns(db_conn *c, const char *sql, arena *mem, name_vec *out, diag_list *diags)
{
    strbuf sb = STRBUF_INIT;
    strbuf_addf(&sb, "SELECT * FROM (%s) q LIMIT 0", sql);
    db_stmt *s = db_prepare(c, strbuf_str(&sb), 0);
    strbuf_release(&sb);
    if (!s || db_step(s) < 0) {
        verify_db_error(diags, c, "cannot run the spec's select");
        if (s)
            db_finalize(s);
        return -1;
    }
    for (int i = 0; i < db_column_count(s); i++)
        VEC_PUSH(mem, *out, arena_strdup(mem, db_column_name(s, i)));
    db_finalize(s);
    return 0;
}

static void select_list(strbuf *sb, dialect d, const char *prefix, const char **cols, size_t n)
{
    strbuf_adds(sb, "SELECT ");
    for (size_t i = 0; i < n; i++) {
        if (i)
            strbuf_adds(sb, ", ");
        strbuf_adds(sb, prefix);
        sql_quote_ident(sb, d, cols[i]);
        if (d == DIALECT_SQLITE) {
            strbuf_adds(sb, ", typeof(");
            strbuf_adds(sb, prefix);
            sql_quote_ident(sb, d, cols[i]);
            strbuf_addch(sb, ')');
        }
    }
    if (!n)
        strbuf_adds(sb, "1");
}

/* the spec table whose remapping changed target_col's values (NULL: none) */
static const copy_spec_table *remapped_by(const copy_spec *s, const copy_spec_table *t, const char *target_col)
{
    if (t->key && t->remap != COPY_REMAP_NONE && !strcmp(t->key, target_col))
        return t;
    for (size_t i = 0; i < t->references.n; i++) {
        const copy_spec_ref *r = &t->references.v[i];
        if (!strcmp(r->column, target_col) && r->table_index >= 0 &&
            s->tables.v[r->table_index].remap != COPY_REMAP_NONE)
            return &s->tables.v[r->table_index];
    }
    return NULL;
}

/* the key offset the copy recorded for (table, tenant) in dbsage_copy_tenants;
 * false when there is none (or several jobs disagree) */
static bool recorded_offset(db_conn *to, const char *into, const char *tenant, int64_t *off)
{
    bool exists = false;
    if (db_table_exists(to, NULL, "dbsage_copy_tenants", &exists) < 0 || !exists)
        return false;
    db_stmt *q = db_prepare(to, "SELECT min(key_offset), count(DISTINCT key_offset) FROM dbsage_copy_tenants "
                                "WHERE target_table = $1 AND tenant = $2", 2);
    bool ok = q && db_bind_text(q, 1, into, strlen(into)) == 0 && db_bind_text(q, 2, tenant, strlen(tenant)) == 0 &&
              db_step(q) == 1 && db_column_int64(q, 1) == 1;
    if (ok)
        *off = db_column_int64(q, 0);
    if (q)
        db_finalize(q);
    return ok;
}

/* the key map the copy recorded for (table, tenant) in dbsage_key_map, as
 * new key -> old key; false when there is none */
static bool recorded_map(db_conn *to, const char *into, const char *tenant, arena *mem, hashmap *m)
{
    bool exists = false;
    if (db_table_exists(to, NULL, "dbsage_key_map", &exists) < 0 || !exists)
        return false;
    db_stmt *q = db_prepare(to, "SELECT new_key, old_key FROM dbsage_key_map WHERE \"table\" = $1 AND tenant = $2", 2);
    if (!q || db_bind_text(q, 1, into, strlen(into)) < 0 || db_bind_text(q, 2, tenant, strlen(tenant)) < 0) {
        if (q)
            db_finalize(q);
        return false;
    }
    hashmap_init(m, mem);
    int rc;
    while ((rc = db_step(q)) == 1)
        hashmap_put(m, db_column_text(q, 0, NULL), arena_strdup(mem, db_column_text(q, 1, NULL)));
    db_finalize(q);
    if (rc < 0 || m->n == 0) {
        hashmap_release(m);
        return false;
    }
    return true;
}

static bool selected(const verify_opts *o, const copy_spec_table *t)
{
    if (!o || !o->ntables)
        return true;
    for (size_t i = 0; i < o->ntables; i++)
        if (!strcmp(o->tables[i], t->into) || !strcmp(o->tables[i], t->name))
            return true;
    return false;
}

/* one spec table, all its tenants */
static int verify_spec_table(db_conn *from, db_conn *to, const copy_spec *s, const copy_spec_table *t,
                             const tenant *tenants, size_t ntenants, arena *mem, table_vec *out,
                             diag_list *diags)
{
    col_vec tc = {0};
    if (verify_list_columns(to, t->schema, t->name, mem, &tc, diags) < 0)
        return -1;
    bool per = t->per_tenant && s->has_tenants;
    const char *first_schema = per && ntenants ? tenants[0].schema : NULL;
    /* mapping: target <- source */
    name_vec tcols = {0}, scols = {0};
    if (t->columns.n) {
        for (size_t i = 0; i < t->columns.n; i++) {
            VEC_PUSH(mem, tcols, t->columns.v[i].target);
            VEC_PUSH(mem, scols, t->columns.v[i].source);
        }
    } else {
        if (per && !ntenants)
            return 0;
        if (select_columns(from, expand(from, t->select, first_schema, mem), mem, &scols, diags) < 0)
            return -1;
        for (size_t i = 0; i < scols.n; i++)
            VEC_PUSH(mem, tcols, scols.v[i]);
    }
    /* per mapped column: missing in the target, remapped by its owner table, or compared */
    name_vec miss_to = {0}, miss_from = {0};
    const copy_spec_table **owner = arena_alloc(mem, (tcols.n ? tcols.n : 1) * sizeof *owner);
    bool *skip = arena_alloc(mem, (tcols.n ? tcols.n : 1) * sizeof *skip);
    verify_kind *kind = arena_alloc(mem, (tcols.n ? tcols.n : 1) * sizeof *kind);
    for (size_t i = 0; i < tcols.n; i++) {
        const col_info *ci = verify_find_col(&tc, tcols.v[i]);
        if (tc.n && !ci) {
            VEC_PUSH(mem, miss_to, tcols.v[i]);
            skip[i] = true;
        }
        owner[i] = remapped_by(s, t, tcols.v[i]);
        kind[i] = verify_kind_of_type(ci ? ci->type : NULL);
    }
    const char *tenant_col = per && t->tenant_column ? s->tenants.column : NULL;
    for (size_t i = 0; i < tc.n; i++) {
        bool mapped = tenant_col && !strcmp(tc.v[i].name, tenant_col);
        for (size_t k = 0; k < tcols.n && !mapped; k++)
            mapped = !strcmp(tcols.v[k], tc.v[i].name);
        if (!mapped)
            VEC_PUSH(mem, miss_from, tc.v[i].name);
    }
    size_t nunits = per ? ntenants : 1;
    strbuf sb = STRBUF_INIT;
    int rc = 0;
    for (size_t u = 0; u < nunits && rc == 0; u++) {
        const char *schema = per ? tenants[u].schema : NULL;
        /* this unit's columns: remapped ones only when the copy's offset for this tenant is known */
        name_vec ut = {0}, us = {0}, remapped = {0};
        VEC(verify_kind) uk = {0};
        VEC(int64_t) uoff = {0};
        VEC(hashmap *) umap = {0};
        for (size_t i = 0; i < tcols.n; i++) {
            if (skip[i])
                continue;
            int64_t off = 0;
            hashmap *m = NULL;
            if (owner[i] && owner[i]->remap == COPY_REMAP_MAP && schema) {
                m = arena_alloc(mem, sizeof *m);
                if (!recorded_map(to, owner[i]->into, schema, mem, m))
                    m = NULL;
            }
            if (owner[i] && !m &&
                !(owner[i]->remap == COPY_REMAP_OFFSET && schema && recorded_offset(to, owner[i]->into, schema, &off))) {
                VEC_PUSH(mem, remapped, tcols.v[i]);
                continue;
            }
            VEC_PUSH(mem, ut, tcols.v[i]);
            VEC_PUSH(mem, us, scols.v[i]);
            VEC_PUSH(mem, uk, kind[i]);
            VEC_PUSH(mem, uoff, off);
            VEC_PUSH(mem, umap, m);
        }
        bool *blob = arena_alloc(mem, (ut.n ? ut.n : 1) * sizeof *blob);
        for (size_t i = 0; i < ut.n; i++)
            blob[i] = uk.v[i] == VK_BLOB;
        verify_table vt = {0};
        vt.name = t->into;
        vt.tenant = schema;
        vt.tenant_value = per ? tenants[u].value : NULL;
        vt.columns = ut.v;
        vt.kinds = uk.v;
        vt.ncolumns = ut.n;
        vt.missing_in_to = miss_to.v;
        vt.nmissing_in_to = miss_to.n;
        vt.missing_in_from = miss_from.v;
        vt.nmissing_in_from = miss_from.n;
        vt.remapped = remapped.v;
        vt.nremapped = remapped.n;
        vt.missing = tc.n == 0;
        strbuf_reset(&sb);
        select_list(&sb, db_dialect(from), "q.", us.v, us.n);
        strbuf_addf(&sb, " FROM (%s) q", expand(from, t->select, schema, mem));
        side_query fq = {from, arena_strdup(mem, strbuf_str(&sb)), us.n, uk.v, blob, NULL, uoff.v, NULL};
        rc = verify_side_checksum(&fq, &vt.from_rows, vt.from_sum, diags);
        if (rc == 0 && !vt.missing) {
            strbuf_reset(&sb);
            select_list(&sb, db_dialect(to), "", ut.v, ut.n);
            strbuf_adds(&sb, " FROM ");
            sql_quote_qualified(&sb, db_dialect(to), t->schema, t->name);
            if (tenant_col) {
                strbuf_adds(&sb, " WHERE ");
                sql_quote_ident(&sb, db_dialect(to), tenant_col);
                strbuf_adds(&sb, " = $1");
            }
            /* a tenant without value (lookup found none) matches no row: "\x01" is never a key */
            side_query tq = {to, arena_strdup(mem, strbuf_str(&sb)), ut.n, uk.v, blob,
                             tenant_col ? (tenants[u].value ? tenants[u].value : "\x01") : NULL, NULL, umap.v};
            rc = verify_side_checksum(&tq, &vt.to_rows, vt.to_sum, diags);
            vt.equal = vt.from_rows == vt.to_rows && !strcmp(vt.from_sum, vt.to_sum);
        }
        for (size_t i = 0; i < umap.n; i++)
            if (umap.v[i])
                hashmap_release(umap.v[i]);
        VEC_PUSH(mem, *out, vt);
    }
    strbuf_release(&sb);
    return rc;
}

int verify_copy_spec(db_conn *from, db_conn *to, const copy_spec *spec, const verify_opts *opts, arena *mem,
                     verify_report *out, diag_list *diags)
{
    memset(out, 0, sizeof *out);
    if (verify_pg_session(from, diags) < 0 || verify_pg_session(to, diags) < 0)
        return -1;
    tenant *tenants = NULL;
    size_t ntenants = 0;
    if (spec->has_tenants && load_tenants(from, to, spec, mem, &tenants, &ntenants, diags) < 0)
        return -1;
    for (size_t i = 0; opts && i < opts->ntables; i++) {
        bool found = false;
        for (size_t k = 0; k < spec->tables.n && !found; k++)
            found = !strcmp(opts->tables[i], spec->tables.v[k].into) || !strcmp(opts->tables[i], spec->tables.v[k].name);
        if (!found) {
            diag_add(diags, DIAG_ERROR, (src_loc){spec->path, 0, 0}, "no table '%s' in the spec", opts->tables[i]);
            return -1;
        }
    }
    table_vec rows = {0};
    for (size_t i = 0; i < spec->tables.n; i++) {
        const copy_spec_table *t = &spec->tables.v[spec->order ? spec->order[i] : (int)i];
        if (!selected(opts, t))
            continue;
        if (verify_spec_table(from, to, spec, t, tenants, ntenants, mem, &rows, diags) < 0)
            return -1;
    }
    out->tables = rows.v;
    out->ntables = rows.n;
    for (size_t i = 0; i < rows.n; i++)
        if (rows.v[i].missing || !rows.v[i].equal || rows.v[i].nmissing_in_to)
            out->ndiffer++;
    return 0;
}
