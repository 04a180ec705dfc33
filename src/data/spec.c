/*
 * spec.c — owns: reading the import spec (docs/import-spec.md) with
 * libfyaml into the model of spec.h, and checking it against a target
 * database (spec_check_target).  Errors are diagnostics at
 * spec-file:line:col; parsing continues after an error so that every
 * problem is reported at once.
 */
#include "data/spec.h"

#include <errno.h>
#include <libfyaml.h>
#include <libgen.h>
#include <string.h>

#include "emit/emit.h"
#include "util/strbuf.h"
#include "util/yaml.h"

typedef struct sreader {
    arena *mem;
    const char *path;
    diag_list *diags;
    import_spec *spec;
    int errors;
} sreader;

static const char *const type_names[] = {"text", "integer", "real", "boolean", "timestamp", "date", "json", "blob"};

const char *spec_type_name(spec_type t)
{
    return type_names[t];
}

static src_loc node_loc(sreader *r, struct fy_node *n)
{
    return yaml_node_loc(r->path, n);
}

static void err(sreader *r, struct fy_node *n, const char *fmt, const char *what)
{
    diag_add(r->diags, DIAG_ERROR, node_loc(r, n), fmt, what ? what : "");
    r->errors++;
}

static const char *scalar(sreader *r, struct fy_node *n)
{
    return yaml_scalar(r->mem, n);
}

static const char *need_scalar(sreader *r, struct fy_node *n, const char *what)
{
    const char *s = scalar(r, n);
    if (!s)
        err(r, n, "%s must be a scalar", what);
    return s;
}

static const char *const_lookup(const import_spec *s, const char *name)
{
    for (size_t i = 0; i < s->const_names.n; i++)
        if (!strcmp(s->const_names.v[i], name))
            return s->const_values.v[i];
    return NULL;
}

/* "${NAME}" references in a const: value are replaced by spec constants */
static const char *expand_const(sreader *r, struct fy_node *n, const char *v)
{
    if (!strstr(v, "${"))
        return v;
    strbuf sb = STRBUF_INIT;
    const char *p = v;
    while (*p) {
        const char *d = strstr(p, "${");
        const char *e = d ? strchr(d, '}') : NULL;
        if (!d || !e) {
            strbuf_adds(&sb, p);
            break;
        }
        strbuf_add(&sb, p, (size_t)(d - p));
        char *name = arena_strndup(r->mem, d + 2, (size_t)(e - d - 2));
        const char *val = const_lookup(r->spec, name);
        if (!val)
            err(r, n, "unknown constant '%s'", name);
        else
            strbuf_adds(&sb, val);
        p = e + 1;
    }
    const char *out = arena_strdup(r->mem, strbuf_str(&sb));
    strbuf_release(&sb);
    return out;
}

static doc_selector *selector(sreader *r, struct fy_node *n)
{
    const char *text = need_scalar(r, n, "a selector");
    if (!text)
        return NULL;
    size_t before = r->diags->n_errors;
    doc_selector *s = doc_selector_parse(r->mem, text, node_loc(r, n), r->diags);
    if (!s && r->diags->n_errors == before)
        err(r, n, "bad selector '%s'", text);
    else if (!s)
        r->errors++;
    return s;
}

static bool parse_bool(const char *s, bool *out)
{
    if (!strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "on")) {
        *out = true;
        return true;
    }
    if (!strcmp(s, "false") || !strcmp(s, "no") || !strcmp(s, "off")) {
        *out = false;
        return true;
    }
    return false;
}

static void read_column(sreader *r, spec_table *t, struct fy_node *k, struct fy_node *v)
{
    spec_column c = {0};
    c.name = need_scalar(r, k, "a column name");
    c.loc = node_loc(r, k);
    if (!c.name)
        return;
    for (size_t i = 0; i < t->columns.n; i++)
        if (!strcmp(t->columns.v[i].name, c.name))
            err(r, k, "column '%s' given twice", c.name);
    if (v && fy_node_is_scalar(v)) {
        c.path = selector(r, v);
    } else if (v && fy_node_is_mapping(v)) {
        void *it = NULL;
        struct fy_node_pair *p;
        while ((p = fy_node_mapping_iterate(v, &it))) {
            struct fy_node *ok = fy_node_pair_key(p), *ov = fy_node_pair_value(p);
            const char *key = scalar(r, ok);
            if (!key) {
                err(r, ok, "a column option must be a name%s", NULL);
            } else if (!strcmp(key, "path")) {
                c.path = selector(r, ov);
            } else if (!strcmp(key, "const")) {
                const char *cv = need_scalar(r, ov, "const");
                if (cv) {
                    const char *named = const_lookup(r->spec, cv);
                    c.const_value = named ? named : expand_const(r, ov, cv);
                    c.is_const = true;
                }
            } else if (!strcmp(key, "type")) {
                const char *tv = need_scalar(r, ov, "type");
                size_t i = 0;
                for (; tv && i < sizeof type_names / sizeof *type_names; i++)
                    if (!strcmp(tv, type_names[i]))
                        break;
                if (tv && i == sizeof type_names / sizeof *type_names)
                    err(r, ov, "unknown type '%s' (text, integer, real, boolean, timestamp, date, json, blob)", tv);
                else if (tv)
                    c.type = (spec_type)i;
            } else if (!strcmp(key, "default")) {
                c.def = need_scalar(r, ov, "default");
            } else if (!strcmp(key, "required")) {
                const char *bv = need_scalar(r, ov, "required");
                if (bv && !parse_bool(bv, &c.required))
                    err(r, ov, "required must be true or false, not '%s'", bv);
            } else if (!strcmp(key, "sql")) {
                c.sql = need_scalar(r, ov, "sql");
                if (c.sql && !strchr(c.sql, '?'))
                    err(r, ov, "sql expression '%s' must use the value as '?'", c.sql);
            } else {
                err(r, ok, "unknown column option '%s' (path, const, type, default, required, sql)", key);
            }
        }
        if (c.path && c.is_const)
            err(r, v, "column '%s': path and const exclude each other", c.name);
        if (!c.path && !c.is_const)
            err(r, v, "column '%s' needs a path or a const", c.name);
    } else {
        err(r, v ? v : k, "column '%s' must be a selector or a mapping of options", c.name);
        return;
    }
    VEC_PUSH(r->mem, t->columns, c);
}

static void read_table(sreader *r, spec_source *src, struct fy_node *n)
{
    if (!fy_node_is_mapping(n)) {
        err(r, n, "a table entry must be a mapping (table, rows, each, key, columns)%s", NULL);
        return;
    }
    spec_table t = {0};
    t.loc = node_loc(r, n);
    struct fy_node *columns = NULL, *columns_key = NULL, *tname = NULL;
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(n, &it))) {
        struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
        const char *key = scalar(r, k);
        if (!key) {
            err(r, k, "a table key must be a name%s", NULL);
        } else if (!strcmp(key, "table")) {
            const char *name = need_scalar(r, v, "table");
            tname = v;
            t.loc = node_loc(r, v);
            const char *dot = name ? strchr(name, '.') : NULL;
            if (dot) {
                t.schema = arena_strndup(r->mem, name, (size_t)(dot - name));
                t.name = dot + 1;
            } else {
                t.name = name;
            }
        } else if (!strcmp(key, "rows")) {
            const char *rv = need_scalar(r, v, "rows");
            if (rv && strcmp(rv, "document"))
                err(r, v, "rows must be 'document' (use each: for one row per element), not '%s'", rv);
        } else if (!strcmp(key, "each")) {
            t.each = selector(r, v);
        } else if (!strcmp(key, "key")) {
            if (v && fy_node_is_scalar(v)) {
                VEC_PUSH(r->mem, t.key, scalar(r, v));
            } else if (v && fy_node_is_sequence(v)) {
                void *ki = NULL;
                struct fy_node *e;
                while ((e = fy_node_sequence_iterate(v, &ki))) {
                    const char *kc = need_scalar(r, e, "a key column");
                    if (kc)
                        VEC_PUSH(r->mem, t.key, kc);
                }
            } else {
                err(r, v ? v : k, "key must be a column name or a list of them%s", NULL);
            }
        } else if (!strcmp(key, "columns")) {
            columns = v;
            columns_key = k;
        } else {
            err(r, k, "unknown table key '%s' (table, rows, each, key, columns)", key);
        }
    }
    if (!tname) {
        err(r, n, "a table entry needs table:%s", NULL);
        return;
    }
    if (!columns || !fy_node_is_mapping(columns) || !fy_node_mapping_item_count(columns)) {
        err(r, columns_key ? columns_key : n, "table '%s' needs columns: (a mapping of column: selector)", t.name);
        return;
    }
    it = NULL;
    while ((p = fy_node_mapping_iterate(columns, &it)))
        read_column(r, &t, fy_node_pair_key(p), fy_node_pair_value(p));
    for (size_t i = 0; i < t.key.n; i++) {
        size_t j = 0;
        while (j < t.columns.n && strcmp(t.columns.v[j].name, t.key.v[i]))
            j++;
        if (j == t.columns.n)
            err(r, tname, "key column '%s' is not one of the table's columns", t.key.v[i]);
    }
    VEC_PUSH(r->mem, src->tables, t);
}

static void read_source(sreader *r, struct fy_node *n)
{
    if (!fy_node_is_mapping(n)) {
        err(r, n, "a source must be a mapping (name, files, format, tables)%s", NULL);
        return;
    }
    spec_source s = {0};
    s.loc = node_loc(r, n);
    struct fy_node *tables = NULL, *tables_key = NULL;
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(n, &it))) {
        struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
        const char *key = scalar(r, k);
        if (!key) {
            err(r, k, "a source key must be a name%s", NULL);
        } else if (!strcmp(key, "name")) {
            s.name = need_scalar(r, v, "name");
            for (size_t i = 0; s.name && i < r->spec->sources.n; i++)
                if (!strcmp(r->spec->sources.v[i].name, s.name))
                    err(r, v, "source name '%s' used twice", s.name);
        } else if (!strcmp(key, "files")) {
            s.files = need_scalar(r, v, "files");
            if (s.files) {
                size_t before = r->diags->n_errors;
                s.pattern = doc_path_pattern_parse(r->mem, s.files, node_loc(r, v), r->diags);
                if (!s.pattern) {
                    if (r->diags->n_errors == before)
                        err(r, v, "bad path pattern '%s'", s.files);
                    else
                        r->errors++;
                }
            }
        } else if (!strcmp(key, "format")) {
            const char *f = need_scalar(r, v, "format");
            if (f) {
                s.format = doc_format_from_name(f);
                if (s.format == DOC_AUTO && strcmp(f, "auto"))
                    err(r, v, "unknown format '%s' (json, ndjson, yaml, markdown, text)", f);
            }
        } else if (!strcmp(key, "tables")) {
            tables = v;
            tables_key = k;
        } else {
            err(r, k, "unknown source key '%s' (name, files, format, tables)", key);
        }
    }
    if (!s.name)
        err(r, n, "a source needs name:%s", NULL);
    if (!s.files)
        err(r, n, "a source needs files: (a path pattern)%s", NULL);
    if (!tables || !fy_node_is_sequence(tables) || !fy_node_sequence_item_count(tables)) {
        err(r, tables_key ? tables_key : n, "a source needs tables: (a non-empty list)%s", NULL);
    } else {
        it = NULL;
        struct fy_node *e;
        while ((e = fy_node_sequence_iterate(tables, &it)))
            read_table(r, &s, e);
    }
    if (s.name)
        VEC_PUSH(r->mem, r->spec->sources, s);
}

static const char *join_base(arena *mem, const char *base, const char *p)
{
    if (p[0] == '/' || !strcmp(base, "."))
        return p;
    return arena_printf(mem, "%s/%s", base, p);
}

import_spec *spec_load(arena *mem, const char *path, diag_list *diags)
{
    import_spec *spec = ARENA_NEW(mem, import_spec);
    spec->path = arena_strdup(mem, path);
    char *dir = arena_strdup(mem, path);
    spec->base_dir = arena_strdup(mem, dirname(dir));
    sreader r = {mem, spec->path, diags, spec, 0};
    strbuf text = STRBUF_INIT;
    if (strbuf_read_file(&text, path) != 0) {
        src_loc loc = {spec->path, 0, 0};
        diag_error(diags, loc, "cannot read the import spec: %s", strerror(errno));
        strbuf_release(&text);
        return NULL;
    }
    yaml_doc y;
    if (yaml_doc_load(&y, spec->path, strbuf_str(&text), text.len, diags) < 0) {
        strbuf_release(&text);
        return NULL;
    }
    struct fy_document *doc = y.doc;
    struct fy_node *root = fy_document_root(doc);
    struct fy_node *sources = NULL;
    if (!root || !fy_node_is_mapping(root)) {
        err(&r, root, "the import spec must be a mapping (version, into, migrations, constants, sources)%s", NULL);
    } else {
        /* constants first: columns may name them */
        void *it = NULL;
        struct fy_node_pair *p;
        while ((p = fy_node_mapping_iterate(root, &it))) {
            struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
            const char *key = scalar(&r, k);
            if (!key || strcmp(key, "constants"))
                continue;
            if (!v || !fy_node_is_mapping(v)) {
                err(&r, v ? v : k, "constants must be a mapping of NAME: value%s", NULL);
                continue;
            }
            void *ci = NULL;
            struct fy_node_pair *cp;
            while ((cp = fy_node_mapping_iterate(v, &ci))) {
                const char *name = need_scalar(&r, fy_node_pair_key(cp), "a constant name");
                const char *val = need_scalar(&r, fy_node_pair_value(cp), "a constant value");
                if (name && val) {
                    VEC_PUSH(mem, spec->const_names, name);
                    VEC_PUSH(mem, spec->const_values, val);
                }
            }
        }
        it = NULL;
        while ((p = fy_node_mapping_iterate(root, &it))) {
            struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
            const char *key = scalar(&r, k);
            if (!key) {
                err(&r, k, "a spec key must be a name%s", NULL);
            } else if (!strcmp(key, "version")) {
                const char *vv = need_scalar(&r, v, "version");
                if (vv && strcmp(vv, "1"))
                    err(&r, v, "unsupported spec version '%s' (1)", vv);
            } else if (!strcmp(key, "into")) {
                spec->into = need_scalar(&r, v, "into");
            } else if (!strcmp(key, "migrations")) {
                const char *m = need_scalar(&r, v, "migrations");
                if (m)
                    spec->migrations = join_base(mem, spec->base_dir, m);
            } else if (!strcmp(key, "constants")) {
                /* read above */
            } else if (!strcmp(key, "sources")) {
                sources = v;
            } else {
                err(&r, k, "unknown spec key '%s' (version, into, migrations, constants, sources)", key);
            }
        }
        if (!sources || !fy_node_is_sequence(sources)) {
            err(&r, sources ? sources : root, "the spec needs sources: (a list)%s", NULL);
        } else {
            void *si = NULL;
            struct fy_node *e;
            while ((e = fy_node_sequence_iterate(sources, &si)))
                read_source(&r, e);
        }
    }
    yaml_doc_free(&y);
    strbuf_release(&text);
    return r.errors ? NULL : spec;
}

const spec_source *spec_find_source(const import_spec *s, const char *name)
{
    for (size_t i = 0; i < s->sources.n; i++)
        if (!strcmp(s->sources.v[i].name, name))
            return &s->sources.v[i];
    return NULL;
}

int spec_check_target(const import_spec *s, db_conn *db, diag_list *diags)
{
    int bad = 0;
    dialect d = db_dialect(db);
    for (size_t i = 0; i < s->sources.n; i++) {
        const spec_source *src = &s->sources.v[i];
        for (size_t j = 0; j < src->tables.n; j++) {
            const spec_table *t = &src->tables.v[j];
            bool exists = false;
            if (db_table_exists(db, t->schema, t->name, &exists) < 0) {
                diag_error(diags, t->loc, "cannot check table '%s': %s", t->name, db_last_error(db));
                return -1;
            }
            if (!exists) {
                diag_error(diags, t->loc, "table '%s' does not exist in %s", t->name, db_spec_masked(db));
                bad++;
                continue;
            }
            strbuf sql = STRBUF_INIT;
            strbuf_adds(&sql, "SELECT * FROM ");
            sql_quote_qualified(&sql, d, t->schema, t->name);
            strbuf_adds(&sql, " LIMIT 0");
            db_stmt *st = db_prepare(db, strbuf_str(&sql), 0);
            strbuf_release(&sql);
            if (!st || db_step(st) < 0) {
                diag_error(diags, t->loc, "cannot read table '%s': %s", t->name, db_last_error(db));
                if (st)
                    db_finalize(st);
                return -1;
            }
            int nc = db_column_count(st);
            for (size_t k = 0; k < t->columns.n; k++) {
                int c = 0;
                while (c < nc && strcmp(db_column_name(st, c), t->columns.v[k].name))
                    c++;
                if (c == nc) {
                    diag_error(diags, t->columns.v[k].loc, "table '%s' has no column '%s'", t->name,
                               t->columns.v[k].name);
                    bad++;
                }
            }
            db_finalize(st);
        }
    }
    return bad ? -1 : 0;
}
