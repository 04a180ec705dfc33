/*
 * copy_spec.c — owns: reading `dbsage copy --spec` files (docs/copy-spec.md)
 * with libfyaml into a copy_spec, every mistake reported at spec:line:col;
 * the load order of the tables (a table after the tables its `references`
 * name); the schema-suffix rule of tenant values.  No connection here: the
 * execution is copy_spec_run.c.
 */
#include "data/copy_spec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libfyaml.h>

#include "util/strbuf.h"
#include "util/yaml.h"

typedef struct spec_reader {
    arena *mem;
    const char *path;
    diag_list *diags;
    int errors;
} spec_reader;

static src_loc node_loc(spec_reader *r, struct fy_node *n)
{
    return yaml_node_loc(r->path, n);
}

static void spec_error(spec_reader *r, struct fy_node *n, const char *fmt, const char *what)
{
    diag_add(r->diags, DIAG_ERROR, node_loc(r, n), fmt, what ? what : "");
    r->errors++;
}

static const char *scalar(spec_reader *r, struct fy_node *n)
{
    return yaml_scalar(r->mem, n);
}

/* a non-empty string value, or an error naming the key */
static const char *want_string(spec_reader *r, struct fy_node *v, struct fy_node *k, const char *key)
{
    const char *s = scalar(r, v);
    if (!s || !*s) {
        spec_error(r, v ? v : k, "%s: expected a non-empty string", key);
        return NULL;
    }
    return s;
}

static int want_bool(spec_reader *r, struct fy_node *v, const char *key, bool *out)
{
    const char *s = scalar(r, v);
    if (s && (!strcmp(s, "true") || !strcmp(s, "yes"))) {
        *out = true;
        return 0;
    }
    if (s && (!strcmp(s, "false") || !strcmp(s, "no"))) {
        *out = false;
        return 0;
    }
    spec_error(r, v, "%s: expected true or false", key);
    return -1;
}

/* identifiers as the spec writes them: plain names, no quotes */
static bool is_name(const char *s)
{
    if (!s || !*s)
        return false;
    for (const char *p = s; *p; p++)
        if (*p == '"' || *p == '\'' || *p == ';' || *p == ' ' || *p == '\t' || *p == '\n')
            return false;
    return true;
}

static const char *want_name(spec_reader *r, struct fy_node *v, struct fy_node *k, const char *key)
{
    const char *s = want_string(r, v, k, key);
    if (s && !is_name(s)) {
        diag_add(r->diags, DIAG_ERROR, node_loc(r, v), "%s: '%s' is not a column or table name", key, s);
        r->errors++;
        return NULL;
    }
    return s;
}

const char *copy_remap_name(copy_remap m)
{
    switch (m) {
    case COPY_REMAP_OFFSET:
        return "offset";
    case COPY_REMAP_MAP:
        return "map";
    case COPY_REMAP_NONE:
        break;
    }
    return "none";
}

/* ---- tenants: ------------------------------------------------------------ */

static void read_tenant_value(spec_reader *r, copy_spec *s, struct fy_node *v)
{
    if (!fy_node_is_mapping(v)) {
        spec_error(r, v, "tenants.value: expected {from: schema_name|schema_suffix} or {lookup: SQL, from: ...}%s",
                   NULL);
        return;
    }
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(v, &it))) {
        struct fy_node *k = fy_node_pair_key(p), *val = fy_node_pair_value(p);
        const char *key = scalar(r, k);
        if (key && !strcmp(key, "from")) {
            const char *f = scalar(r, val);
            if (f && !strcmp(f, "schema_name"))
                s->tenants.from = COPY_TENANT_SCHEMA_NAME;
            else if (f && !strcmp(f, "schema_suffix"))
                s->tenants.from = COPY_TENANT_SCHEMA_SUFFIX;
            else
                spec_error(r, val ? val : k, "tenants.value.from: expected schema_name or schema_suffix%s", NULL);
        } else if (key && !strcmp(key, "lookup")) {
            s->tenants.lookup = want_string(r, val, k, "tenants.value.lookup");
            if (s->tenants.lookup && !strstr(s->tenants.lookup, "$1"))
                spec_error(r, val, "tenants.value.lookup: the query must use $1 (the schema name or suffix)%s",
                           NULL);
        } else {
            spec_error(r, k, "unknown key '%s' in tenants.value (from, lookup)", key ? key : "?");
        }
    }
}

static void read_tenants(spec_reader *r, copy_spec *s, struct fy_node *map)
{
    if (!fy_node_is_mapping(map)) {
        spec_error(r, map, "tenants: expected a mapping (schemas, column, value)%s", NULL);
        return;
    }
    s->has_tenants = true;
    s->tenants.loc = node_loc(r, map);
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(map, &it))) {
        struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
        const char *key = scalar(r, k);
        if (key && !strcmp(key, "schemas")) {
            s->tenants.schemas = want_string(r, v, k, "tenants.schemas");
        } else if (key && !strcmp(key, "column")) {
            s->tenants.column = want_name(r, v, k, "tenants.column");
        } else if (key && !strcmp(key, "value")) {
            if (v)
                read_tenant_value(r, s, v);
        } else {
            spec_error(r, k, "unknown key '%s' in tenants (schemas, column, value)", key ? key : "?");
        }
    }
    if (!s->tenants.schemas)
        spec_error(r, map, "tenants: 'schemas' (a glob such as 'client_*') is required%s", NULL);
    if (!s->tenants.column)
        spec_error(r, map, "tenants: 'column' (the injected tenant column) is required%s", NULL);
}

/* ---- tables: --------------------------------------------------------------- */

static void read_columns(spec_reader *r, copy_spec_table *t, struct fy_node *v)
{
    if (!fy_node_is_mapping(v)) {
        spec_error(r, v, "columns: expected a mapping {target_column: select_column}%s", NULL);
        return;
    }
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(v, &it))) {
        struct fy_node *k = fy_node_pair_key(p), *val = fy_node_pair_value(p);
        copy_spec_column c = {0};
        c.target = want_name(r, k, k, "columns (target)");
        c.source = want_name(r, val, k, "columns (select column)");
        c.loc = node_loc(r, k);
        if (!c.target || !c.source)
            continue;
        for (size_t i = 0; i < t->columns.n; i++)
            if (!strcmp(t->columns.v[i].target, c.target)) {
                spec_error(r, k, "columns: target column '%s' mapped twice", c.target);
                break;
            }
        VEC_PUSH(r->mem, t->columns, c);
    }
}

static void read_references(spec_reader *r, copy_spec_table *t, struct fy_node *v)
{
    if (!fy_node_is_mapping(v)) {
        spec_error(r, v, "references: expected a mapping {fk_column: referenced_into}%s", NULL);
        return;
    }
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(v, &it))) {
        struct fy_node *k = fy_node_pair_key(p), *val = fy_node_pair_value(p);
        copy_spec_ref ref = {0};
        ref.column = want_name(r, k, k, "references (column)");
        ref.table = want_name(r, val, k, "references (table)");
        ref.loc = node_loc(r, val);
        ref.table_index = -1;
        if (ref.column && ref.table)
            VEC_PUSH(r->mem, t->references, ref);
    }
}

static void read_table(spec_reader *r, copy_spec *s, struct fy_node *map)
{
    if (!fy_node_is_mapping(map)) {
        spec_error(r, map, "tables: each entry must be a mapping (into, select, ...)%s", NULL);
        return;
    }
    copy_spec_table t = {0};
    bool have_tc = false, have_remap = false;
    struct fy_node *remap_node = NULL, *key_node = NULL;
    t.loc = node_loc(r, map);
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(map, &it))) {
        struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
        const char *key = scalar(r, k);
        if (key && !strcmp(key, "into")) {
            t.into = want_name(r, v, k, "into");
            t.loc = node_loc(r, v ? v : k);
        } else if (key && !strcmp(key, "per_tenant")) {
            want_bool(r, v, "per_tenant", &t.per_tenant);
        } else if (key && !strcmp(key, "tenant_column")) {
            if (want_bool(r, v, "tenant_column", &t.tenant_column) == 0)
                have_tc = true;
        } else if (key && !strcmp(key, "select")) {
            t.select = want_string(r, v, k, "select");
            t.select_loc = node_loc(r, v ? v : k);
        } else if (key && !strcmp(key, "key")) {
            t.key = want_name(r, v, k, "key");
            key_node = v;
        } else if (key && !strcmp(key, "remap")) {
            const char *m = scalar(r, v);
            remap_node = v ? v : k;
            have_remap = true;
            if (m && !strcmp(m, "offset"))
                t.remap = COPY_REMAP_OFFSET;
            else if (m && !strcmp(m, "map"))
                t.remap = COPY_REMAP_MAP;
            else if (m && !strcmp(m, "none"))
                t.remap = COPY_REMAP_NONE;
            else
                spec_error(r, remap_node, "remap: expected offset, map or none%s", NULL);
        } else if (key && !strcmp(key, "columns")) {
            if (v)
                read_columns(r, &t, v);
        } else if (key && !strcmp(key, "references")) {
            if (v)
                read_references(r, &t, v);
        } else {
            spec_error(r, k,
                       "unknown key '%s' in a table (into, per_tenant, tenant_column, select, key, remap, columns, "
                       "references)",
                       key ? key : "?");
        }
    }
    if (!t.into) {
        spec_error(r, map, "a table needs 'into' (the target table)%s", NULL);
        return;
    }
    if (!t.select)
        spec_error(r, map, "table '%s' needs 'select' (a query over the source)", t.into);
    const char *dot = strchr(t.into, '.');
    if (dot) {
        t.schema = arena_strndup(r->mem, t.into, (size_t)(dot - t.into));
        t.name = dot + 1;
    } else {
        t.name = t.into;
    }
    if (!have_tc)
        t.tenant_column = t.per_tenant;
    if (t.per_tenant && !s->has_tenants)
        spec_error(r, map, "table '%s' is per_tenant but the spec has no 'tenants:' section", t.into);
    if (t.per_tenant && t.select && !strstr(t.select, "{schema}"))
        diag_add(r->diags, DIAG_WARNING, t.select_loc,
                 "table '%s' is per_tenant but its select never names {schema}: every tenant reads the same rows",
                 t.into);
    if (have_remap && t.remap != COPY_REMAP_NONE && !t.key)
        spec_error(r, remap_node, "remap needs 'key' (the target's key column) in table '%s'", t.into);
    if (t.remap != COPY_REMAP_NONE && !t.per_tenant)
        spec_error(r, remap_node, "remap applies to per_tenant tables only ('%s' is not)", t.into);
    if (t.key && t.columns.n) {
        bool found = false;
        for (size_t i = 0; i < t.columns.n; i++)
            found = found || !strcmp(t.columns.v[i].target, t.key);
        if (!found)
            spec_error(r, key_node, "key '%s' is not a target column of 'columns'", t.key);
    }
    for (size_t i = 0; i < s->tables.n; i++)
        if (!strcmp(s->tables.v[i].into, t.into))
            spec_error(r, map, "table '%s' appears twice in the spec", t.into);
    VEC_PUSH(r->mem, s->tables, t);
}

/* ---- load order ------------------------------------------------------------- */

/* Resolve references and order the tables: a table after those it references
 * (spec order otherwise).  A cycle is an error. */
static void order_tables(spec_reader *r, copy_spec *s)
{
    size_t n = s->tables.n;
    for (size_t i = 0; i < n; i++) {
        copy_spec_table *t = &s->tables.v[i];
        for (size_t j = 0; j < t->references.n; j++) {
            copy_spec_ref *ref = &t->references.v[j];
            for (size_t k = 0; k < n; k++)
                if (!strcmp(s->tables.v[k].into, ref->table))
                    ref->table_index = (int)k;
            if (ref->table_index < 0) {
                diag_add(r->diags, DIAG_ERROR, ref->loc, "references: '%s' is not the 'into' of a table of this spec",
                         ref->table);
                r->errors++;
                continue;
            }
            const copy_spec_table *to = &s->tables.v[ref->table_index];
            if (to->remap == COPY_REMAP_NONE)
                diag_add(r->diags, DIAG_WARNING, ref->loc,
                         "references: '%s' keeps its keys (remap none): '%s.%s' is copied unchanged", ref->table,
                         t->into, ref->column);
            if (to->per_tenant && !t->per_tenant) {
                diag_add(r->diags, DIAG_ERROR, ref->loc,
                         "references: '%s' is per_tenant, '%s' is not: its keys cannot be rewritten per tenant",
                         ref->table, t->into);
                r->errors++;
            }
        }
    }
    s->order = arena_alloc(r->mem, (n ? n : 1) * sizeof(int));
    bool *placed = arena_alloc(r->mem, (n ? n : 1) * sizeof(bool));
    size_t done = 0;
    while (done < n) {
        bool progress = false;
        for (size_t i = 0; i < n; i++) {
            if (placed[i])
                continue;
            const copy_spec_table *t = &s->tables.v[i];
            bool ready = true;
            for (size_t j = 0; j < t->references.n; j++) {
                int k = t->references.v[j].table_index;
                if (k >= 0 && (size_t)k != i && !placed[k])
                    ready = false;
            }
            if (ready) {
                placed[i] = true;
                s->order[done++] = (int)i;
                progress = true;
                break; /* restart: keep spec order among the ready ones */
            }
        }
        if (!progress) {
            for (size_t i = 0; i < n; i++)
                if (!placed[i]) {
                    diag_add(r->diags, DIAG_ERROR, s->tables.v[i].loc,
                             "references form a cycle through '%s': no load order", s->tables.v[i].into);
                    r->errors++;
                    break;
                }
            return;
        }
    }
}

/* ---- entry points ------------------------------------------------------------ */

copy_spec *copy_spec_parse(arena *mem, const char *path, const char *text, size_t len, diag_list *diags)
{
    spec_reader r = {mem, arena_strdup(mem, path ? path : "<spec>"), diags, 0};
    copy_spec *s = ARENA_NEW(mem, copy_spec);
    s->path = r.path;
    yaml_doc y;
    if (yaml_doc_load(&y, r.path, text, len, diags) < 0) {
        return NULL;
    }
    struct fy_document *doc = y.doc;
    struct fy_node *root = fy_document_root(doc);
    bool have_version = false, have_tables = false;
    if (!root || !fy_node_is_mapping(root)) {
        src_loc loc = {r.path, 1, 1};
        diag_error(diags, loc, "a copy spec is a mapping (version, tenants, tables)");
        r.errors++;
    } else {
        void *it = NULL;
        struct fy_node_pair *p;
        /* tenants first: tables check per_tenant against it */
        struct fy_node *tenants = fy_node_mapping_lookup_by_string(root, "tenants", (size_t)-1);
        if (tenants)
            read_tenants(&r, s, tenants);
        while ((p = fy_node_mapping_iterate(root, &it))) {
            struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
            const char *key = scalar(&r, k);
            if (key && !strcmp(key, "version")) {
                const char *ver = scalar(&r, v);
                have_version = true;
                if (!ver || strcmp(ver, "1"))
                    spec_error(&r, v ? v : k, "version: only version 1 is known%s", NULL);
                s->version = 1;
            } else if (key && !strcmp(key, "tenants")) {
                /* read above */
            } else if (key && !strcmp(key, "tables")) {
                have_tables = true;
                if (!v || !fy_node_is_sequence(v)) {
                    spec_error(&r, v ? v : k, "tables: expected a list of tables%s", NULL);
                    continue;
                }
                void *it2 = NULL;
                struct fy_node *e;
                while ((e = fy_node_sequence_iterate(v, &it2)))
                    read_table(&r, s, e);
            } else {
                spec_error(&r, k, "unknown key '%s' in a copy spec (version, tenants, tables)", key ? key : "?");
            }
        }
        if (!have_version)
            spec_error(&r, root, "the spec needs 'version: 1'%s", NULL);
        if (!have_tables)
            spec_error(&r, root, "the spec needs 'tables:' (a list of target tables)%s", NULL);
    }
    if (!r.errors)
        order_tables(&r, s);
    yaml_doc_free(&y);
    return r.errors ? NULL : s;
}

copy_spec *copy_spec_load(arena *mem, const char *path, diag_list *diags)
{
    strbuf text = STRBUF_INIT;
    if (strbuf_read_file(&text, path) != 0) {
        src_loc loc = {arena_strdup(mem, path), 0, 0};
        diag_error(diags, loc, "cannot read the copy spec: %s", strerror(errno));
        strbuf_release(&text);
        return NULL;
    }
    copy_spec *s = copy_spec_parse(mem, path, strbuf_str(&text), text.len, diags);
    strbuf_release(&text);
    return s;
}

const char *copy_spec_schema_suffix(arena *mem, const char *glob, const char *schema)
{
    size_t pre = strcspn(glob, "*?");
    if (!glob[pre])
        return arena_strdup(mem, schema); /* no wildcard: the name itself */
    const char *last = glob + strlen(glob);
    size_t post = 0;
    while (last > glob + pre && last[-1] != '*' && last[-1] != '?') {
        last--;
        post++;
    }
    size_t n = strlen(schema);
    if (pre + post > n)
        return arena_strdup(mem, schema);
    return arena_strndup(mem, schema + pre, n - pre - post);
}
