/*
 * infer_out.c — owns the output of `dbsage infer`: the import spec (YAML,
 * docs/import-spec.md), the tables as a catalog (emitted as DDL by
 * src/emit), the DROP statements of the down migration, and the summary
 * of what was inferred (text and JSON).
 */
#include <string.h>

#include "data/infer_int.h"
#include "emit/emit.h"

static bool table_live(const infer_table *t)
{
    return !t->parent || t->parent_field->is_child;
}

static bool is_column(const infer_field *f)
{
    return !f->is_child && f->column;
}

void infer_yaml_scalar(strbuf *out, const char *s, bool flow)
{
    bool plain = *s && !strchr("-?:,[]{}#&*!|>'\"%@` ", s[0]);
    for (const char *p = s; *p && plain; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("_.$/-*", c) ||
              (!flow && strchr("{}", c))))
            plain = false;
    }
    if (plain) {
        strbuf_adds(out, s);
        return;
    }
    strbuf_addch(out, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            strbuf_addch(out, '\'');
        strbuf_addch(out, *p);
    }
    strbuf_addch(out, '\'');
}

static const char *source_files(infer_ctx *ix, const infer_source *src)
{
    return *src->prefix ? arena_printf(ix->mem, "%s/%s", src->prefix, src->pattern) : src->pattern;
}

static void spec_key(strbuf *out, const strvec *key)
{
    strbuf_adds(out, "[");
    for (size_t i = 0; i < key->n; i++) {
        if (i)
            strbuf_adds(out, ", ");
        infer_yaml_scalar(out, key->v[i], true);
    }
    strbuf_adds(out, "]");
}

static void spec_table(infer_ctx *ix, strbuf *out, const infer_table *t)
{
    strbuf_adds(out, "      - table: ");
    infer_yaml_scalar(out, t->name, false);
    strbuf_adds(out, "\n");
    if (t->parent) {
        strbuf_adds(out, "        each: ");
        infer_yaml_scalar(out, infer_selector_for_key(ix->mem, t->parent_field->key), false);
        strbuf_adds(out, "\n");
    } else if (t->each_root)
        strbuf_adds(out, "        each: $\n");
    if (t->key.n) {
        strbuf_adds(out, "        key: ");
        spec_key(out, &t->key);
        strbuf_adds(out, "\n");
    }
    strbuf_adds(out, "        columns:\n");
    for (size_t i = 0; i < t->fields.n; i++) {
        const infer_field *f = t->fields.v[i];
        if (!is_column(f))
            continue;
        strbuf_adds(out, "          ");
        infer_yaml_scalar(out, f->column, false);
        strbuf_adds(out, ": ");
        if (f->type == INFER_TEXT) {
            infer_yaml_scalar(out, f->selector, false);
        } else {
            strbuf_adds(out, "{path: ");
            infer_yaml_scalar(out, f->selector, true);
            strbuf_addf(out, ", type: %s}", infer_type_name(f->type));
        }
        strbuf_adds(out, "\n");
    }
}

void infer_write_spec(infer_ctx *ix, strbuf *out, const char *migrations_rel)
{
    strbuf_addf(out,
                "# dbsage.yaml: written by `dbsage infer` from %zu documents in %zu files.\n"
                "# Review the table names, types and keys; the format is docs/import-spec.md.\n"
                "version: 1\n",
                ix->docs, ix->files);
    if (migrations_rel) {
        strbuf_adds(out, "migrations: ");
        infer_yaml_scalar(out, migrations_rel, false);
        strbuf_adds(out, "\n");
    }
    strbuf_adds(out, "\nsources:\n");
    for (size_t i = 0; i < ix->sources.n; i++) {
        const infer_source *src = ix->sources.v[i];
        strbuf_adds(out, "  - name: ");
        infer_yaml_scalar(out, src->table->name, false);
        strbuf_adds(out, "\n    files: ");
        infer_yaml_scalar(out, source_files(ix, src), false);
        strbuf_addf(out, "\n    format: %s\n    tables:\n", doc_format_name(src->format));
        for (size_t j = 0; j < src->tables.n; j++)
            if (table_live(src->tables.v[j]))
                spec_table(ix, out, src->tables.v[j]);
    }
}

static const char *sql_type(infer_type t, dialect d)
{
    if (d == DIALECT_PG) {
        switch (t) {
        case INFER_INTEGER: return "bigint";
        case INFER_REAL: return "double precision";
        case INFER_BOOLEAN: return "boolean";
        case INFER_DATE: return "date";
        case INFER_TIMESTAMP: return "timestamp with time zone";
        case INFER_JSON: return "jsonb";
        default: return "text";
        }
    }
    switch (t) {
    case INFER_INTEGER:
    case INFER_BOOLEAN: return "INTEGER";
    case INFER_REAL: return "REAL";
    default: return "TEXT";
    }
}

static const char *joined(arena *mem, const strvec *v)
{
    strbuf b = STRBUF_INIT;
    for (size_t i = 0; i < v->n; i++)
        strbuf_addf(&b, "%s%s", i ? "_" : "", v->v[i]);
    const char *r = arena_strdup(mem, strbuf_str(&b));
    strbuf_release(&b);
    return r;
}

catalog *infer_catalog(infer_ctx *ix, dialect d)
{
    catalog *cat = catalog_new(d);
    cat->source = "dbsage infer";
    const char *schema = catalog_default_schema(cat);
    src_loc nowhere = {NULL, 0, 0};
    for (size_t i = 0; i < ix->sources.n; i++) {
        const infer_source *src = ix->sources.v[i];
        for (size_t j = 0; j < src->tables.n; j++) {
            const infer_table *it = src->tables.v[j];
            if (!table_live(it))
                continue;
            cat_table *t = catalog_table_add(cat, schema, it->name, nowhere);
            for (size_t k = 0; k < it->fields.n; k++) {
                const infer_field *f = it->fields.v[k];
                if (!is_column(f))
                    continue;
                cat_column *c = catalog_column_add(cat, t, f->column, nowhere);
                c->type = sql_type(f->type, d);
                c->type_written = c->type;
                bool in_key = false;
                for (size_t q = 0; q < it->key.n; q++)
                    in_key = in_key || !strcmp(it->key.v[q], f->column);
                c->not_null = in_key || f->special || !f->nullable;
            }
            if (it->key.n) {
                const char *kn = d == DIALECT_PG ? arena_printf(&cat->mem, "%s_pkey", it->name) : NULL;
                cat_constraint *k = catalog_constraint_add(cat, t, CON_PRIMARY, kn, nowhere);
                for (size_t q = 0; q < it->key.n; q++)
                    VEC_PUSH(&cat->mem, k->columns, arena_strdup(&cat->mem, it->key.v[q]));
            }
            if (it->parent) {
                const infer_table *p = it->parent;
                strvec cols = {0};
                for (size_t q = 0; q < p->key.n; q++)
                    VEC_PUSH(&cat->mem, cols, it->fields.v[q]->column);
                const char *fn =
                    d == DIALECT_PG ? arena_printf(&cat->mem, "%s_%s_fkey", it->name, joined(&cat->mem, &cols)) : NULL;
                cat_constraint *k = catalog_constraint_add(cat, t, CON_FOREIGN, fn, nowhere);
                for (size_t q = 0; q < cols.n; q++) {
                    VEC_PUSH(&cat->mem, k->columns, arena_strdup(&cat->mem, cols.v[q]));
                    VEC_PUSH(&cat->mem, k->ref_columns, arena_strdup(&cat->mem, p->key.v[q]));
                }
                k->ref_schema = schema;
                k->ref_table = arena_strdup(&cat->mem, p->name);
                k->on_delete = 'c';
                k->on_update = 'a';
                k->match = 's';
            }
        }
    }
    return cat;
}

void infer_write_up(infer_ctx *ix, strbuf *out, dialect d)
{
    /* the emitter's framing goes: the migration runner wraps each migration
     * in a transaction (a BEGIN inside it would fail) */
    static const char *const framing[] = {"PRAGMA foreign_keys=OFF;", "PRAGMA foreign_keys=ON;", "BEGIN;",
                                          "COMMIT;", "SET check_function_bodies = false;"};
    catalog *cat = infer_catalog(ix, d);
    strbuf all = STRBUF_INIT;
    emit_opts eo = {false, false};
    emit_sql(&all, cat, &eo);
    catalog_free(cat);
    const char *p = strbuf_str(&all);
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        bool skip = false;
        for (size_t i = 0; i < sizeof framing / sizeof *framing; i++)
            skip = skip || (len == strlen(framing[i]) && !memcmp(p, framing[i], len));
        if (!skip && !(len == 0 && out->len == 0)) {
            strbuf_add(out, p, len);
            strbuf_addch(out, '\n');
        }
        p += len + (nl ? 1 : 0);
    }
    strbuf_release(&all);
}

void infer_write_drop(infer_ctx *ix, strbuf *out, dialect d)
{
    for (size_t i = ix->sources.n; i-- > 0;) {
        const infer_source *src = ix->sources.v[i];
        for (size_t j = src->tables.n; j-- > 0;) {
            if (!table_live(src->tables.v[j]))
                continue;
            strbuf_adds(out, "DROP TABLE IF EXISTS ");
            sql_quote_ident(out, d, src->tables.v[j]->name);
            strbuf_adds(out, ";\n");
        }
    }
}

/* ---- reports ------------------------------------------------------------------------ */

void infer_report_text(infer_ctx *ix, strbuf *out)
{
    strbuf_addf(out, "infer: %zu files, %zu documents, %zu malformed -> %zu tables\n", ix->files, ix->docs,
                ix->malformed, infer_table_count(ix));
    for (size_t i = 0; i < ix->sources.n; i++) {
        const infer_source *src = ix->sources.v[i];
        for (size_t j = 0; j < src->tables.n; j++) {
            const infer_table *t = src->tables.v[j];
            if (!table_live(t))
                continue;
            strbuf_addf(out, "\n%s: %zu rows", t->name, t->rows);
            if (t->parent)
                strbuf_addf(out, " (one per element of %s.%s)", t->parent->name, t->parent_field->key);
            else
                strbuf_addf(out, " from %s (%zu files, %zu documents)", source_files(ix, src), src->files.n,
                            src->docs);
            strbuf_adds(out, t->key.n ? ", key (" : ", no key");
            for (size_t q = 0; q < t->key.n; q++)
                strbuf_addf(out, "%s%s", q ? ", " : "", t->key.v[q]);
            strbuf_adds(out, t->key.n ? ")\n" : "\n");
            for (size_t k = 0; k < t->fields.n; k++) {
                const infer_field *f = t->fields.v[k];
                if (!is_column(f))
                    continue;
                strbuf_addf(out, "  %-24s %-10s %s", f->column, infer_type_name(f->type),
                            (f->special || f->capture || !f->nullable) ? "not null" : "null");
                if (!f->special && !f->capture)
                    strbuf_addf(out, "  (%zu present, %zu null)", f->present, f->nulls);
                strbuf_adds(out, "\n");
            }
            for (size_t k = 0; k < t->notes.n; k++)
                strbuf_addf(out, "  note: %s\n", t->notes.v[k]);
        }
    }
}

void infer_report_json(infer_ctx *ix, strbuf *out)
{
    strbuf_addf(out, "{\"files\":%zu,\"documents\":%zu,\"malformed\":%zu,\"tables\":[", ix->files, ix->docs,
                ix->malformed);
    bool first = true;
    for (size_t i = 0; i < ix->sources.n; i++) {
        const infer_source *src = ix->sources.v[i];
        for (size_t j = 0; j < src->tables.n; j++) {
            const infer_table *t = src->tables.v[j];
            if (!table_live(t))
                continue;
            strbuf_adds(out, first ? "\n{\"name\":" : ",\n{\"name\":");
            first = false;
            strbuf_add_json_string(out, t->name);
            strbuf_adds(out, ",\"files\":");
            strbuf_add_json_string(out, source_files(ix, src));
            strbuf_adds(out, ",\"format\":");
            strbuf_add_json_string(out, doc_format_name(src->format));
            strbuf_adds(out, ",\"parent\":");
            if (t->parent) {
                strbuf_add_json_string(out, t->parent->name);
                strbuf_adds(out, ",\"each\":");
                strbuf_add_json_string(out, infer_selector_for_key(ix->mem, t->parent_field->key));
            } else
                strbuf_adds(out, "null");
            strbuf_addf(out, ",\"documents\":%zu,\"rows\":%zu,\"key\":[", t->parent ? 0 : src->docs, t->rows);
            for (size_t q = 0; q < t->key.n; q++) {
                if (q)
                    strbuf_addch(out, ',');
                strbuf_add_json_string(out, t->key.v[q]);
            }
            strbuf_adds(out, "],\"columns\":[");
            bool fc = true;
            for (size_t k = 0; k < t->fields.n; k++) {
                const infer_field *f = t->fields.v[k];
                if (!is_column(f))
                    continue;
                strbuf_adds(out, fc ? "{\"name\":" : ",{\"name\":");
                fc = false;
                strbuf_add_json_string(out, f->column);
                strbuf_adds(out, ",\"path\":");
                strbuf_add_json_string(out, f->selector);
                strbuf_addf(out, ",\"type\":\"%s\",\"nullable\":%s,\"present\":%zu,\"null\":%zu}",
                            infer_type_name(f->type), (f->special || f->capture || !f->nullable) ? "false" : "true",
                            f->special ? t->rows : f->present, f->nulls);
            }
            strbuf_adds(out, "],\"notes\":[");
            for (size_t k = 0; k < t->notes.n; k++) {
                if (k)
                    strbuf_addch(out, ',');
                strbuf_add_json_string(out, t->notes.v[k]);
            }
            strbuf_adds(out, "]}");
        }
    }
    strbuf_adds(out, "\n]}\n");
}
