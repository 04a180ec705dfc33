/*
 * emit_json.c — the whole catalog as JSON (emit_json); the shape is
 * documented in docs/catalog-json.md.  Keys are the C field names of
 * catalog.h, every key always present (null/[]/false when empty), objects
 * in catalog_sort() order, 2-space indentation, valid JSON for any bytes
 * (control characters escaped, invalid UTF-8 replaced by U+FFFD).
 */
#include "emit/emit_internal.h"

#include <inttypes.h>
#include <string.h>

#define JW_MAX_DEPTH 32

typedef struct jw {
    strbuf *o;
    int depth;
    bool has_items[JW_MAX_DEPTH];
    bool after_key;
    bool prov;
} jw;

/* ---- strings ------------------------------------------------------------------- */

/* length of a valid UTF-8 sequence at p (1..4), 0 when invalid */
static size_t utf8_len(const unsigned char *p)
{
    unsigned c = p[0];
    size_t n;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        n = 2, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef)
        n = 3, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4)
        n = 4, min = 0x10000;
    else
        return 0;
    unsigned cp = c & (0x3f >> (n - 1));
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

void emit_json_string(strbuf *o, const char *s)
{
    if (!s) {
        strbuf_adds(o, "null");
        return;
    }
    strbuf_addch(o, '"');
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        /* the common case: a run of printable ASCII copied in one go */
        const unsigned char *run = p;
        while (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
            p++;
        if (p > run)
            strbuf_add(o, run, (size_t)(p - run));
        if (!*p)
            break;
        unsigned c = *p;
        switch (c) {
        case '"': strbuf_adds(o, "\\\""); p++; continue;
        case '\\': strbuf_adds(o, "\\\\"); p++; continue;
        case '\n': strbuf_adds(o, "\\n"); p++; continue;
        case '\r': strbuf_adds(o, "\\r"); p++; continue;
        case '\t': strbuf_adds(o, "\\t"); p++; continue;
        case '\b': strbuf_adds(o, "\\b"); p++; continue;
        case '\f': strbuf_adds(o, "\\f"); p++; continue;
        default: break;
        }
        if (c < 0x20 || c == 0x7f) {
            strbuf_addf(o, "\\u%04x", c);
            p++;
            continue;
        }
        size_t n = utf8_len(p);
        if (!n) {
            strbuf_adds(o, "\\ufffd");
            p++;
            continue;
        }
        strbuf_add(o, p, n);
        p += n;
    }
    strbuf_addch(o, '"');
}

/* ---- structure -------------------------------------------------------------------- */

static void jw_indent(jw *w)
{
    for (int i = 0; i < w->depth; i++)
        strbuf_adds(w->o, "  ");
}

/* separator and indentation before a new item (not after a key) */
static void jw_item(jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth == 0)
        return;
    strbuf_adds(w->o, w->has_items[w->depth] ? ",\n" : "\n");
    w->has_items[w->depth] = true;
    jw_indent(w);
}

static void jw_open(jw *w, char c)
{
    jw_item(w);
    strbuf_addch(w->o, c);
    if (w->depth + 1 < JW_MAX_DEPTH)
        w->depth++;
    w->has_items[w->depth] = false;
}

static void jw_close(jw *w, char c)
{
    bool had = w->has_items[w->depth];
    w->depth--;
    if (had) {
        strbuf_addch(w->o, '\n');
        jw_indent(w);
    }
    strbuf_addch(w->o, c);
}

static void jw_key(jw *w, const char *k)
{
    jw_item(w);
    emit_json_string(w->o, k);
    strbuf_adds(w->o, ": ");
    w->after_key = true;
}

static void jw_str(jw *w, const char *k, const char *v)
{
    jw_key(w, k);
    jw_item(w);
    emit_json_string(w->o, v);
}

static void jw_bool(jw *w, const char *k, bool v)
{
    jw_key(w, k);
    jw_item(w);
    strbuf_adds(w->o, v ? "true" : "false");
}

static void jw_int(jw *w, const char *k, int64_t v)
{
    jw_key(w, k);
    jw_item(w);
    strbuf_addf(w->o, "%" PRId64, v);
}

static void jw_char(jw *w, const char *k, char c)
{
    jw_key(w, k);
    jw_item(w);
    if (!c) {
        strbuf_adds(w->o, "null");
        return;
    }
    char s[2] = {c, 0};
    emit_json_string(w->o, s);
}

static void jw_strvec(jw *w, const char *k, const strvec *v)
{
    jw_key(w, k);
    jw_open(w, '[');
    for (size_t i = 0; i < v->n; i++) {
        jw_item(w);
        emit_json_string(w->o, v->v[i]);
    }
    jw_close(w, ']');
}

static void loc_string(strbuf *o, src_loc l)
{
    if (!l.file) {
        strbuf_adds(o, "null");
        return;
    }
    strbuf s = STRBUF_INIT;
    strbuf_adds(&s, l.file);
    if (l.line)
        strbuf_addf(&s, ":%u:%u", l.line, l.col);
    emit_json_string(o, strbuf_str(&s));
    strbuf_release(&s);
}

static void jw_prov(jw *w, const provenance *p)
{
    if (!w->prov)
        return;
    jw_key(w, "provenance");
    jw_open(w, '{');
    jw_key(w, "created");
    jw_item(w);
    loc_string(w->o, p->created);
    jw_key(w, "altered");
    jw_open(w, '[');
    for (size_t i = 0; i < p->altered.n; i++) {
        jw_item(w);
        loc_string(w->o, p->altered.v[i]);
    }
    jw_close(w, ']');
    jw_close(w, '}');
}

/* ---- objects ---------------------------------------------------------------------- */

static void j_column(jw *w, const cat_column *c)
{
    jw_open(w, '{');
    jw_str(w, "name", c->name);
    jw_int(w, "ordinal", c->ordinal);
    jw_str(w, "type_written", c->type_written);
    jw_str(w, "type", c->type);
    jw_str(w, "default_expr", c->default_expr);
    jw_str(w, "default_norm", c->default_norm);
    jw_bool(w, "not_null", c->not_null);
    jw_char(w, "identity", c->identity);
    jw_str(w, "identity_options", c->identity_options);
    jw_char(w, "generated", c->generated);
    jw_str(w, "generated_expr", c->generated_expr);
    jw_str(w, "generated_norm", c->generated_norm);
    jw_str(w, "collation", c->collation);
    jw_str(w, "comment", c->comment);
    jw_bool(w, "hidden", c->hidden);
    jw_bool(w, "autoincrement", c->autoincrement);
    jw_prov(w, &c->prov);
    jw_close(w, '}');
}

static void j_constraint(jw *w, const cat_constraint *k)
{
    jw_open(w, '{');
    jw_str(w, "name", k->name);
    jw_char(w, "kind", (char)k->kind);
    jw_strvec(w, "columns", &k->columns);
    jw_str(w, "expr", k->expr);
    jw_str(w, "expr_norm", k->expr_norm);
    jw_str(w, "ref_schema", k->ref_schema);
    jw_str(w, "ref_table", k->ref_table);
    jw_strvec(w, "ref_columns", &k->ref_columns);
    jw_char(w, "on_delete", k->on_delete);
    jw_char(w, "on_update", k->on_update);
    jw_char(w, "match", k->match);
    jw_bool(w, "deferrable", k->deferrable);
    jw_bool(w, "initially_deferred", k->initially_deferred);
    jw_bool(w, "not_valid", k->not_valid);
    jw_bool(w, "no_inherit", k->no_inherit);
    jw_str(w, "using_method", k->using_method);
    jw_strvec(w, "exclude_elems", &k->exclude_elems);
    jw_strvec(w, "include_columns", &k->include_columns);
    jw_str(w, "where_norm", k->where_norm);
    jw_bool(w, "nulls_not_distinct", k->nulls_not_distinct);
    jw_str(w, "conflict", k->conflict);
    jw_str(w, "comment", k->comment);
    jw_prov(w, &k->prov);
    jw_close(w, '}');
}

static void j_index(jw *w, const cat_index *ix)
{
    jw_open(w, '{');
    jw_str(w, "schema", ix->schema);
    jw_str(w, "name", ix->name);
    jw_str(w, "table", ix->table);
    jw_str(w, "method", ix->method);
    jw_bool(w, "unique", ix->unique);
    jw_bool(w, "nulls_not_distinct", ix->nulls_not_distinct);
    jw_key(w, "elems");
    jw_open(w, '[');
    for (size_t i = 0; i < ix->elems.n; i++) {
        const cat_index_elem *e = &ix->elems.v[i];
        jw_open(w, '{');
        jw_str(w, "column", e->column);
        jw_str(w, "expr", e->expr);
        jw_str(w, "expr_norm", e->expr_norm);
        jw_str(w, "collation", e->collation);
        jw_str(w, "opclass", e->opclass);
        jw_bool(w, "desc", e->desc);
        jw_char(w, "nulls", e->nulls);
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_strvec(w, "include_columns", &ix->include_columns);
    jw_str(w, "where_expr", ix->where_expr);
    jw_str(w, "where_norm", ix->where_norm);
    jw_str(w, "comment", ix->comment);
    jw_str(w, "sql", ix->sql);
    jw_prov(w, &ix->prov);
    jw_close(w, '}');
}

static void j_trigger(jw *w, const cat_trigger *t)
{
    jw_open(w, '{');
    jw_str(w, "name", t->name);
    jw_str(w, "schema", t->schema);
    jw_str(w, "table", t->table);
    jw_str(w, "timing", t->timing);
    jw_strvec(w, "events", &t->events);
    jw_strvec(w, "update_columns", &t->update_columns);
    jw_bool(w, "for_each_row", t->for_each_row);
    jw_str(w, "when_expr", t->when_expr);
    jw_str(w, "when_norm", t->when_norm);
    jw_str(w, "function_schema", t->function_schema);
    jw_str(w, "function_name", t->function_name);
    jw_strvec(w, "function_args", &t->function_args);
    jw_bool(w, "constraint_trigger", t->constraint_trigger);
    jw_bool(w, "deferrable", t->deferrable);
    jw_bool(w, "initially_deferred", t->initially_deferred);
    jw_str(w, "body", t->body);
    jw_str(w, "sql", t->sql);
    jw_str(w, "comment", t->comment);
    jw_prov(w, &t->prov);
    jw_close(w, '}');
}

static void j_policy(jw *w, const cat_policy *p)
{
    jw_open(w, '{');
    jw_str(w, "name", p->name);
    jw_str(w, "schema", p->schema);
    jw_str(w, "table", p->table);
    jw_bool(w, "permissive", p->permissive);
    jw_str(w, "command", p->command);
    jw_strvec(w, "roles", &p->roles);
    jw_str(w, "using_expr", p->using_expr);
    jw_str(w, "using_norm", p->using_norm);
    jw_str(w, "check_expr", p->check_expr);
    jw_str(w, "check_norm", p->check_norm);
    jw_str(w, "comment", p->comment);
    jw_prov(w, &p->prov);
    jw_close(w, '}');
}

#define JW_LIST(w, key, vec, fn)                      \
    do {                                              \
        jw_key((w), (key));                           \
        jw_open((w), '[');                            \
        for (size_t i_ = 0; i_ < (vec).n; i_++)       \
            fn((w), (vec).v[i_]);                     \
        jw_close((w), ']');                           \
    } while (0)

static void j_table(jw *w, const cat_table *t)
{
    jw_open(w, '{');
    jw_str(w, "schema", t->schema);
    jw_str(w, "name", t->name);
    JW_LIST(w, "columns", t->columns, j_column);
    JW_LIST(w, "constraints", t->constraints, j_constraint);
    JW_LIST(w, "indexes", t->indexes, j_index);
    JW_LIST(w, "triggers", t->triggers, j_trigger);
    JW_LIST(w, "policies", t->policies, j_policy);
    jw_bool(w, "rls_enabled", t->rls_enabled);
    jw_bool(w, "rls_forced", t->rls_forced);
    jw_bool(w, "unlogged", t->unlogged);
    jw_bool(w, "without_rowid", t->without_rowid);
    jw_bool(w, "strict", t->strict);
    jw_str(w, "partition_by", t->partition_by);
    jw_str(w, "partition_bound", t->partition_bound);
    jw_strvec(w, "inherits", &t->inherits);
    jw_str(w, "comment", t->comment);
    jw_str(w, "sql", t->sql);
    jw_prov(w, &t->prov);
    jw_close(w, '}');
}

static void j_enum(jw *w, const cat_enum *e)
{
    jw_open(w, '{');
    jw_str(w, "schema", e->schema);
    jw_str(w, "name", e->name);
    jw_strvec(w, "labels", &e->labels);
    jw_str(w, "comment", e->comment);
    jw_prov(w, &e->prov);
    jw_close(w, '}');
}

static void j_domain(jw *w, const cat_domain *d)
{
    jw_open(w, '{');
    jw_str(w, "schema", d->schema);
    jw_str(w, "name", d->name);
    jw_str(w, "base_type_written", d->base_type_written);
    jw_str(w, "base_type", d->base_type);
    jw_str(w, "default_expr", d->default_expr);
    jw_str(w, "default_norm", d->default_norm);
    jw_bool(w, "not_null", d->not_null);
    jw_str(w, "collation", d->collation);
    jw_key(w, "checks");
    jw_open(w, '[');
    for (size_t i = 0; i < d->checks.n; i++) {
        jw_open(w, '{');
        jw_str(w, "name", d->checks.v[i].name);
        jw_str(w, "expr", d->checks.v[i].expr);
        jw_str(w, "expr_norm", d->checks.v[i].expr_norm);
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_str(w, "comment", d->comment);
    jw_prov(w, &d->prov);
    jw_close(w, '}');
}

static void j_composite(jw *w, const cat_composite *c)
{
    jw_open(w, '{');
    jw_str(w, "schema", c->schema);
    jw_str(w, "name", c->name);
    jw_key(w, "attrs");
    jw_open(w, '[');
    for (size_t i = 0; i < c->attrs.n; i++) {
        jw_open(w, '{');
        jw_str(w, "name", c->attrs.v[i].name);
        jw_str(w, "type", c->attrs.v[i].type);
        jw_str(w, "type_written", c->attrs.v[i].type_written);
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_str(w, "comment", c->comment);
    jw_prov(w, &c->prov);
    jw_close(w, '}');
}

static void j_sequence(jw *w, const cat_sequence *s)
{
    jw_open(w, '{');
    jw_str(w, "schema", s->schema);
    jw_str(w, "name", s->name);
    jw_str(w, "type", s->type);
    jw_int(w, "start", s->start);
    jw_int(w, "increment", s->increment);
    jw_int(w, "min_value", s->min_value);
    jw_int(w, "max_value", s->max_value);
    jw_int(w, "cache", s->cache);
    jw_bool(w, "cycle", s->cycle);
    jw_str(w, "owned_by_table", s->owned_by_table);
    jw_str(w, "owned_by_column", s->owned_by_column);
    jw_str(w, "comment", s->comment);
    jw_prov(w, &s->prov);
    jw_close(w, '}');
}

static void j_view(jw *w, const cat_view *v)
{
    jw_open(w, '{');
    jw_str(w, "schema", v->schema);
    jw_str(w, "name", v->name);
    jw_bool(w, "materialized", v->materialized);
    jw_str(w, "definition", v->definition);
    jw_str(w, "definition_norm", v->definition_norm);
    jw_strvec(w, "column_names", &v->column_names);
    jw_str(w, "check_option", v->check_option);
    jw_bool(w, "security_barrier", v->security_barrier);
    jw_bool(w, "security_invoker", v->security_invoker);
    jw_str(w, "comment", v->comment);
    jw_str(w, "sql", v->sql);
    jw_strvec(w, "depends_on", &v->depends_on);
    JW_LIST(w, "indexes", v->indexes, j_index);
    JW_LIST(w, "triggers", v->triggers, j_trigger);
    jw_prov(w, &v->prov);
    jw_close(w, '}');
}

static void j_function(jw *w, const cat_function *f)
{
    jw_open(w, '{');
    jw_str(w, "schema", f->schema);
    jw_str(w, "name", f->name);
    jw_bool(w, "is_procedure", f->is_procedure);
    jw_key(w, "args");
    jw_open(w, '[');
    for (size_t i = 0; i < f->args.n; i++) {
        const cat_func_arg *a = &f->args.v[i];
        jw_open(w, '{');
        jw_str(w, "name", a->name);
        jw_char(w, "mode", a->mode);
        jw_str(w, "type", a->type);
        jw_str(w, "default_expr", a->default_expr);
        jw_str(w, "default_norm", a->default_norm);
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_str(w, "signature", f->signature);
    jw_str(w, "returns", f->returns);
    jw_str(w, "language", f->language);
    jw_str(w, "body", f->body);
    jw_str(w, "body_hash", f->body_hash[0] ? f->body_hash : NULL);
    jw_char(w, "volatility", f->volatility);
    jw_bool(w, "strict", f->strict);
    jw_bool(w, "security_definer", f->security_definer);
    jw_bool(w, "leakproof", f->leakproof);
    jw_char(w, "parallel", f->parallel);
    jw_str(w, "comment", f->comment);
    jw_prov(w, &f->prov);
    jw_close(w, '}');
}

static void j_extension(jw *w, const cat_extension *e)
{
    jw_open(w, '{');
    jw_str(w, "name", e->name);
    jw_str(w, "schema", e->schema);
    jw_prov(w, &e->prov);
    jw_close(w, '}');
}

static void j_schema(jw *w, const cat_schema *s)
{
    jw_open(w, '{');
    jw_str(w, "name", s->name);
    jw_str(w, "comment", s->comment);
    jw_prov(w, &s->prov);
    jw_close(w, '}');
}

static void j_grant(jw *w, const cat_grant *g)
{
    jw_open(w, '{');
    jw_str(w, "object_kind", g->object_kind);
    jw_str(w, "schema", g->schema);
    jw_str(w, "object", g->object);
    jw_str(w, "column", g->column);
    jw_str(w, "grantee", g->grantee);
    jw_str(w, "privilege", g->privilege);
    jw_bool(w, "with_grant_option", g->with_grant_option);
    jw_prov(w, &g->prov);
    jw_close(w, '}');
}

static void j_opaque(jw *w, const cat_opaque *op)
{
    jw_open(w, '{');
    jw_str(w, "kind", op->kind);
    jw_str(w, "sql", op->sql);
    if (w->prov) {
        jw_key(w, "loc");
        jw_item(w);
        loc_string(w->o, op->loc);
    }
    jw_close(w, '}');
}

void emit_json(strbuf *out, catalog *cat, const emit_opts *opts)
{
    catalog_sort(cat);
    jw w = {.o = out, .prov = !opts || opts->provenance};
    jw_open(&w, '{');
    jw_str(&w, "dialect", dialect_name(cat->dialect));
    jw_str(&w, "source", cat->source);
    JW_LIST(&w, "schemas", cat->schemas, j_schema);
    JW_LIST(&w, "tables", cat->tables, j_table);
    JW_LIST(&w, "enums", cat->enums, j_enum);
    JW_LIST(&w, "domains", cat->domains, j_domain);
    JW_LIST(&w, "composites", cat->composites, j_composite);
    JW_LIST(&w, "sequences", cat->sequences, j_sequence);
    JW_LIST(&w, "views", cat->views, j_view);
    JW_LIST(&w, "functions", cat->functions, j_function);
    JW_LIST(&w, "extensions", cat->extensions, j_extension);
    JW_LIST(&w, "grants", cat->grants, j_grant);
    jw_key(&w, "opaque");
    jw_open(&w, '[');
    for (size_t i = 0; i < cat->opaque.n; i++)
        j_opaque(&w, &cat->opaque.v[i]);
    jw_close(&w, ']');
    jw_close(&w, '}');
    strbuf_addch(out, '\n');
}
