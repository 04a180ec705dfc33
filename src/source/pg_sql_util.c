/*
 * pg_sql_util.c — helpers of the PostgreSQL SQL-file reader: parse-tree
 * accessors, name resolution through search_path, type names, expression
 * deparsing and the server's auto-naming rules (makeObjectName,
 * ChooseRelationName, ChooseConstraintName, ChooseIndexNameAddition).
 */
#include "source/pg_sql_util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/normalize.h"
#include "util/strbuf.h"

/* ---- node helpers ---------------------------------------------------------- */

const char *pgu_str(const PgQuery__Node *n)
{
    if (!n)
        return NULL;
    if (n->node_case == PG_QUERY__NODE__NODE_STRING)
        return n->string->sval;
    if (n->node_case == PG_QUERY__NODE__NODE_A_CONST && n->a_const->val_case ==
                                                            PG_QUERY__A__CONST__VAL_SVAL)
        return n->a_const->sval->sval;
    return NULL;
}

PgQuery__List *pgu_list(const PgQuery__Node *n)
{
    return n && n->node_case == PG_QUERY__NODE__NODE_LIST ? n->list : NULL;
}

bool pgu_defbool(const PgQuery__DefElem *d)
{
    const PgQuery__Node *a = d->arg;
    if (!a)
        return true;
    if (a->node_case == PG_QUERY__NODE__NODE_BOOLEAN)
        return a->boolean->boolval;
    if (a->node_case == PG_QUERY__NODE__NODE_INTEGER)
        return a->integer->ival != 0;
    const char *s = pgu_str(a);
    if (s)
        return !strcasecmp(s, "true") || !strcasecmp(s, "on") || !strcmp(s, "1");
    return true;
}

bool pgu_defint(const PgQuery__DefElem *d, int64_t *out)
{
    const PgQuery__Node *a = d->arg;
    if (!a)
        return false;
    switch (a->node_case) {
    case PG_QUERY__NODE__NODE_INTEGER: *out = a->integer->ival; return true;
    case PG_QUERY__NODE__NODE_FLOAT: *out = strtoll(a->float_->fval, NULL, 10); return true;
    case PG_QUERY__NODE__NODE_STRING: *out = strtoll(a->string->sval, NULL, 10); return true;
    default: return false;
    }
}

const char *pgu_defstr(const PgQuery__DefElem *d)
{
    const PgQuery__Node *a = d->arg;
    if (!a)
        return NULL;
    if (a->node_case == PG_QUERY__NODE__NODE_TYPE_NAME) {
        PgQuery__TypeName *tn = a->type_name;
        return tn->n_names ? pgu_str(tn->names[tn->n_names - 1]) : NULL;
    }
    return pgu_str(a);
}

const char *pgu_node_kind(const PgQuery__Node *n)
{
    if (!n || n->node_case == PG_QUERY__NODE__NODE__NOT_SET || !n->alias)
        return "unknown";
    const ProtobufCMessage *m = (const ProtobufCMessage *)n->alias;
    return m->descriptor ? m->descriptor->short_name : "unknown";
}

const char *pgu_stmt_text(pgr *r)
{
    size_t off = r->stmt_off, n = r->stmt_len;
    if (off > r->len)
        off = r->len;
    if (n == 0 || off + n > r->len)
        n = r->len - off;
    while (n && isspace((unsigned char)r->text[off]))
        off++, n--;
    while (n && (isspace((unsigned char)r->text[off + n - 1]) || r->text[off + n - 1] == ';'))
        n--;
    return arena_strndup(&r->cat->mem, r->text + off, n);
}

/* ---- names ------------------------------------------------------------------ */

void pgu_names(PgQuery__Node **names, size_t n, const char **schema, const char **name)
{
    *schema = NULL;
    *name = NULL;
    if (n == 0)
        return;
    *name = pgu_str(names[n - 1]);
    if (n >= 2)
        *schema = pgu_str(names[n - 2]);
}

bool pgu_schema_exists(pgr *r, const char *schema)
{
    if (!schema)
        return false;
    if (!strcmp(schema, "public") || !strcmp(schema, "pg_catalog"))
        return true;
    return catalog_schema_find(r->cat, schema) != NULL;
}

const char *pgu_create_schema(pgr *r, const char *schema)
{
    if (schema) {
        if (!pgu_schema_exists(r, schema)) {
            diag_error(r->diags, r->loc, "schema \"%s\" does not exist", schema);
            return NULL;
        }
        return schema;
    }
    for (size_t i = 0; i < r->search_path.n; i++) {
        const char *s = r->search_path.v[i];
        if (strcmp(s, "pg_catalog") && pgu_schema_exists(r, s))
            return s;
    }
    diag_error(r->diags, r->loc, "no schema has been selected to create in");
    return NULL;
}

const char *pgu_lookup_schema(pgr *r, const char *schema, const char *name, pgu_exists_fn found)
{
    if (schema)
        return schema;
    for (size_t i = 0; i < r->search_path.n; i++)
        if (found(r, r->search_path.v[i], name))
            return r->search_path.v[i];
    return NULL;
}

bool pgu_rel_exists(pgr *r, const char *schema, const char *name)
{
    catalog *c = r->cat;
    return catalog_table_find(c, schema, name) || catalog_view_find(c, schema, name) ||
           catalog_sequence_find(c, schema, name) || catalog_index_find(c, schema, name);
}

bool pgu_type_exists(pgr *r, const char *schema, const char *name)
{
    catalog *c = r->cat;
    return catalog_enum_find(c, schema, name) || catalog_domain_find(c, schema, name) ||
           catalog_composite_find(c, schema, name);
}

static bool table_exists(pgr *r, const char *schema, const char *name)
{
    return catalog_table_find(r->cat, schema, name) != NULL;
}

cat_table *pgu_find_table(pgr *r, const char *schema, const char *name)
{
    const char *s = pgu_lookup_schema(r, schema, name, table_exists);
    return s ? catalog_table_find(r->cat, s, name) : NULL;
}

cat_table *pgu_find_table_rv(pgr *r, const PgQuery__RangeVar *rv)
{
    if (!rv || !rv->relname)
        return NULL;
    return pgu_find_table(r, rv->schemaname && *rv->schemaname ? rv->schemaname : NULL,
                          rv->relname);
}

const char *pgu_display(const char *schema, const char *name, arena *mem)
{
    if (!schema)
        return name ? name : "";
    return arena_printf(mem, "%s.%s", schema, name ? name : "");
}

/* ---- types ------------------------------------------------------------------- */

static void typmods_text(const PgQuery__TypeName *tn, strbuf *sb)
{
    for (size_t i = 0; i < tn->n_typmods; i++) {
        const PgQuery__Node *m = tn->typmods[i];
        if (i)
            strbuf_addch(sb, ',');
        if (m->node_case == PG_QUERY__NODE__NODE_A_CONST) {
            const PgQuery__AConst *c = m->a_const;
            if (c->val_case == PG_QUERY__A__CONST__VAL_IVAL)
                strbuf_addf(sb, "%d", c->ival->ival);
            else if (c->val_case == PG_QUERY__A__CONST__VAL_FVAL)
                strbuf_adds(sb, c->fval->fval);
            else if (c->val_case == PG_QUERY__A__CONST__VAL_SVAL)
                strbuf_adds(sb, c->sval->sval);
        } else if (m->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
                   m->column_ref->n_fields) {
            const char *s = pgu_str(m->column_ref->fields[m->column_ref->n_fields - 1]);
            strbuf_adds(sb, s ? s : "");
        }
    }
}

/* interval typmods are a field mask (and a precision): format_type spelling */
static const char *interval_type(arena *mem, const PgQuery__TypeName *tn, int dims)
{
    static const struct { int mask; const char *txt; } fields[] = {
        {4, " year"}, {2, " month"}, {6, " year to month"}, {8, " day"}, {1024, " hour"},
        {2048, " minute"}, {4096, " second"}, {1032, " day to hour"}, {3080, " day to minute"},
        {7176, " day to second"}, {3072, " hour to minute"}, {7168, " hour to second"},
        {6144, " minute to second"}};
    int v[2] = {0x7FFF, -1};
    for (size_t i = 0; i < tn->n_typmods && i < 2; i++) {
        const PgQuery__Node *m = tn->typmods[i];
        if (m->node_case == PG_QUERY__NODE__NODE_A_CONST &&
            m->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL)
            v[i] = m->a_const->ival->ival;
    }
    const char *f = "";
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i].mask == v[0])
            f = fields[i].txt;
    strbuf sb = STRBUF_INIT;
    strbuf_addf(&sb, "interval%s", f);
    if (v[1] >= 0 && v[1] != 0xFFFF)
        strbuf_addf(&sb, "(%d)", v[1]);
    for (int i = 0; i < dims; i++)
        strbuf_adds(&sb, "[]");
    const char *out = arena_strdup(mem, strbuf_str(&sb));
    strbuf_release(&sb);
    return out;
}

/* every typmod an integer constant (what normalize_pg_type_node understands) */
static bool int_typmods(const PgQuery__TypeName *tn)
{
    for (size_t i = 0; i < tn->n_typmods; i++) {
        const PgQuery__Node *m = tn->typmods[i];
        if (m->node_case != PG_QUERY__NODE__NODE_A_CONST ||
            m->a_const->val_case != PG_QUERY__A__CONST__VAL_IVAL)
            return false;
    }
    return true;
}

int pgu_serial_kind(const PgQuery__TypeName *tn)
{
    if (!tn || tn->n_names != 1 || tn->n_typmods || tn->n_array_bounds)
        return 0;
    const char *s = pgu_str(tn->names[0]);
    if (!s)
        return 0;
    if (!strcmp(s, "serial") || !strcmp(s, "serial4"))
        return 4;
    if (!strcmp(s, "bigserial") || !strcmp(s, "serial8"))
        return 8;
    if (!strcmp(s, "smallserial") || !strcmp(s, "serial2"))
        return 2;
    return 0;
}

const char *pgu_type(pgr *r, const PgQuery__TypeName *tn, const char **written)
{
    arena *mem = &r->cat->mem;
    if (written)
        *written = NULL;
    if (!tn)
        return NULL;
    strbuf name = STRBUF_INIT, mods = STRBUF_INIT;
    size_t first = 0;
    const char *n0 = tn->n_names ? pgu_str(tn->names[0]) : NULL;
    if (tn->n_names > 1 && n0 && !strcmp(n0, "pg_catalog"))
        first = 1;
    for (size_t i = first; i < tn->n_names; i++) {
        const char *s = pgu_str(tn->names[i]);
        if (i > first)
            strbuf_addch(&name, '.');
        strbuf_adds(&name, s ? s : "");
    }
    typmods_text(tn, &mods);
    int dims = (int)tn->n_array_bounds;
    const char *norm;
    if (!strcmp(strbuf_str(&name), "interval") && tn->n_typmods) {
        norm = interval_type(mem, tn, dims);
        strbuf_reset(&mods);
        strbuf_reset(&name);
        strbuf_add(&name, norm, strcspn(norm, "[")); /* written = format_type spelling */

    } else {
        /* the node form knows a quoted "char" (the one-byte type) from CHAR */
        norm = int_typmods(tn) ? normalize_pg_type_node(mem, tn) : NULL;
        if (!norm)
            norm = normalize_pg_type_name(mem, strbuf_str(&name),
                                          mods.len ? strbuf_str(&mods) : NULL, dims);
    }
    if (written) {
        strbuf w = STRBUF_INIT;
        strbuf_adds(&w, strbuf_str(&name));
        if (mods.len)
            strbuf_addf(&w, "(%s)", strbuf_str(&mods));
        for (int i = 0; i < dims; i++)
            strbuf_adds(&w, "[]");
        if (tn->pct_type)
            strbuf_adds(&w, "%TYPE");
        *written = arena_strdup(mem, strbuf_str(&w));
        strbuf_release(&w);
    }
    if (tn->setof)
        norm = arena_printf(mem, "SETOF %s", norm ? norm : "");
    strbuf_release(&name);
    strbuf_release(&mods);
    return norm;
}

/* ---- expressions ------------------------------------------------------------ */

/* constants spelled like the deparser does, without a libpg_query round trip */
static const char *const_text(arena *mem, const PgQuery__Node *n)
{
    if (n->node_case != PG_QUERY__NODE__NODE_A_CONST)
        return NULL;
    const PgQuery__AConst *c = n->a_const;
    if (c->isnull)
        return "NULL";
    switch (c->val_case) {
    case PG_QUERY__A__CONST__VAL_IVAL: return arena_printf(mem, "%d", c->ival->ival);
    case PG_QUERY__A__CONST__VAL_FVAL: return arena_strdup(mem, c->fval->fval);
    case PG_QUERY__A__CONST__VAL_BOOLVAL: return c->boolval->boolval ? "true" : "false";
    case PG_QUERY__A__CONST__VAL_SVAL: {
        const char *s = c->sval->sval;
        if (strchr(s, '\\'))
            return NULL; /* escape-string syntax: let the deparser decide */
        strbuf sb = STRBUF_INIT;
        strbuf_addch(&sb, '\'');
        for (; *s; s++) {
            if (*s == '\'')
                strbuf_addch(&sb, '\'');
            strbuf_addch(&sb, *s);
        }
        strbuf_addch(&sb, '\'');
        const char *out = arena_strdup(mem, strbuf_str(&sb));
        strbuf_release(&sb);
        return out;
    }
    default: return NULL;
    }
}

const char *pgu_expr(pgr *r, const PgQuery__Node *n)
{
    if (!n)
        return NULL;
    if (n == r->memo_node)
        return r->memo_text;
    const char *s = const_text(&r->cat->mem, n);
    if (!s)
        s = deparse_pg_expr(&r->cat->mem, n);
    r->memo_node = n;
    r->memo_text = s ? s : "";
    return r->memo_text;
}

static const char norm_none[] = "";

/* == normalize_pg_node_expr(), memoised by the written text */
const char *pgu_expr_norm(pgr *r, const PgQuery__Node *n)
{
    if (!n)
        return NULL;
    const char *w = pgu_expr(r, n);
    const char *hit = hashmap_get(&r->norm_cache, w);
    if (!hit) {
        hit = *w ? normalize_pg_expr(&r->cat->mem, w) : NULL;
        if (!hit)
            hit = norm_none;
        hashmap_put(&r->norm_cache, w, (void *)hit);
    }
    return hit == norm_none ? w : hit;
}

const char *pgu_deparse_stmt(arena *mem, PgQuery__Node *stmt)
{
    PgQuery__RawStmt raw = PG_QUERY__RAW_STMT__INIT;
    raw.stmt = stmt;
    PgQuery__RawStmt *raws[1] = {&raw};
    PgQuery__ParseResult pr = PG_QUERY__PARSE_RESULT__INIT;
    pr.version = PG_VERSION_NUM;
    pr.n_stmts = 1;
    pr.stmts = raws;
    size_t len = pg_query__parse_result__get_packed_size(&pr);
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf)
        abort();
    pg_query__parse_result__pack(&pr, buf);
    PgQueryProtobuf pb = {len, (char *)buf};
    PgQueryDeparseResult dr = pg_query_deparse_protobuf(pb);
    const char *out = NULL;
    if (!dr.error && dr.query)
        out = arena_strdup(mem, dr.query);
    pg_query_free_deparse_result(dr);
    free(buf);
    return out;
}

#define PGU_MAX_DEPTH 3000

static void walk_msg(pgr *r, const ProtobufCMessage *m, PgQuery__Node__NodeCase which,
                     pgu_visit_fn fn, void *ud, int depth);

static void walk_node(pgr *r, const PgQuery__Node *n, PgQuery__Node__NodeCase which,
                      pgu_visit_fn fn, void *ud, int depth)
{
    if (!n || n->node_case == PG_QUERY__NODE__NODE__NOT_SET || depth > PGU_MAX_DEPTH)
        return;
    if (n->node_case == which)
        fn(r, n, ud);
    walk_msg(r, (const ProtobufCMessage *)n->alias, which, fn, ud, depth + 1);
}

static void walk_msg(pgr *r, const ProtobufCMessage *m, PgQuery__Node__NodeCase which,
                     pgu_visit_fn fn, void *ud, int depth)
{
    if (!m || depth > PGU_MAX_DEPTH)
        return;
    const ProtobufCMessageDescriptor *d = m->descriptor;
    if (d == &pg_query__node__descriptor) {
        walk_node(r, (const PgQuery__Node *)m, which, fn, ud, depth + 1);
        return;
    }
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        if (f->type != PROTOBUF_C_TYPE_MESSAGE)
            continue;
        const char *base = (const char *)m;
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t cnt = *(const size_t *)(base + f->quantifier_offset);
            ProtobufCMessage *const *arr = *(ProtobufCMessage *const *const *)(base + f->offset);
            for (size_t k = 0; k < cnt; k++)
                walk_msg(r, arr[k], which, fn, ud, depth + 1);
        } else {
            if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
                uint32_t qcase = *(const uint32_t *)(base + f->quantifier_offset);
                if (qcase != f->id)
                    continue;
            }
            const ProtobufCMessage *sub = *(ProtobufCMessage *const *)(base + f->offset);
            walk_msg(r, sub, which, fn, ud, depth + 1);
        }
    }
}

void pgu_walk(pgr *r, const void *msg, PgQuery__Node__NodeCase which, pgu_visit_fn fn, void *ud)
{
    walk_msg(r, (const ProtobufCMessage *)msg, which, fn, ud, 0);
}

static void visit_colref(pgr *r, const PgQuery__Node *n, void *ud)
{
    strvec *out = ud;
    const PgQuery__ColumnRef *cr = n->column_ref;
    if (!cr->n_fields)
        return;
    const char *s = pgu_str(cr->fields[cr->n_fields - 1]);
    if (s && !pgu_strvec_has(out, s))
        VEC_PUSH(&r->tmp, *out, s);
}

void pgu_column_refs(pgr *r, const PgQuery__Node *expr, strvec *out)
{
    pgu_walk(r, expr, PG_QUERY__NODE__NODE_COLUMN_REF, visit_colref, out);
}

const char *pgu_figure_colname(const PgQuery__Node *n)
{
    for (int guard = 0; n && guard < 100; guard++) {
        switch (n->node_case) {
        case PG_QUERY__NODE__NODE_COLUMN_REF: {
            const PgQuery__ColumnRef *cr = n->column_ref;
            const char *s = cr->n_fields ? pgu_str(cr->fields[cr->n_fields - 1]) : NULL;
            return s ? s : "expr";
        }
        case PG_QUERY__NODE__NODE_FUNC_CALL: {
            const PgQuery__FuncCall *fc = n->func_call;
            const char *s = fc->n_funcname ? pgu_str(fc->funcname[fc->n_funcname - 1]) : NULL;
            return s ? s : "expr";
        }
        case PG_QUERY__NODE__NODE_TYPE_CAST: {
            const PgQuery__Node *a = n->type_cast->arg;
            const char *s = pgu_figure_colname(a);
            if (strcmp(s, "expr"))
                return s;
            const PgQuery__TypeName *tn = n->type_cast->type_name;
            const char *t = tn && tn->n_names ? pgu_str(tn->names[tn->n_names - 1]) : NULL;
            return t ? t : "expr";
        }
        case PG_QUERY__NODE__NODE_COLLATE_CLAUSE: n = n->collate_clause->arg; continue;
        case PG_QUERY__NODE__NODE_CASE_EXPR: return "case";
        case PG_QUERY__NODE__NODE_A_ARRAY_EXPR: return "array";
        case PG_QUERY__NODE__NODE_COALESCE_EXPR: return "coalesce";
        case PG_QUERY__NODE__NODE_ROW_EXPR: return "row";
        case PG_QUERY__NODE__NODE_MIN_MAX_EXPR:
            return n->min_max_expr->op == PG_QUERY__MIN_MAX_OP__IS_GREATEST ? "greatest" : "least";
        case PG_QUERY__NODE__NODE_A_EXPR:
            if (n->a_expr->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF)
                return "nullif";
            return "expr";
        default: return "expr";
        }
    }
    return "expr";
}

bool pgu_text_mentions(const char *text, const char *ident)
{
    if (!text || !ident)
        return false;
    size_t il = strlen(ident);
    for (const char *p = text; *p;) {
        if (*p == '\'') { /* skip string literal */
            p++;
            while (*p && *p != '\'')
                p++;
            if (*p)
                p++;
            continue;
        }
        if (isalpha((unsigned char)*p) || *p == '_' || *p == '"') {
            bool q = *p == '"';
            const char *s = q ? p + 1 : p, *e = s;
            if (q)
                while (*e && *e != '"')
                    e++;
            else
                while (isalnum((unsigned char)*e) || *e == '_' || *e == '$')
                    e++;
            if ((size_t)(e - s) == il && !strncmp(s, ident, il))
                return true;
            p = (q && *e) ? e + 1 : e;
            continue;
        }
        p++;
    }
    return false;
}

/* ---- naming rules (src/backend/commands/indexcmds.c, catalog/pg_constraint.c) --- */

static size_t clip_utf8(const char *s, size_t len, size_t limit)
{
    if (len <= limit)
        return len;
    size_t n = limit;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

const char *pgu_make_object_name(arena *mem, const char *name1, const char *name2,
                                 const char *label)
{
    int overhead = 0;
    if (name2)
        overhead++; /* the separator; name1 and name2 share the rest */
    if (label)
        overhead += (int)strlen(label) + 1;
    int avail = PG_NAMEDATALEN - 1 - overhead;
    int n1 = (int)strlen(name1), n2 = name2 ? (int)strlen(name2) : 0;
    while (n1 + n2 > avail) {
        if (n1 > n2)
            n1--;
        else
            n2--;
    }
    n1 = (int)clip_utf8(name1, strlen(name1), (size_t)(n1 < 0 ? 0 : n1));
    if (name2)
        n2 = (int)clip_utf8(name2, strlen(name2), (size_t)(n2 < 0 ? 0 : n2));
    strbuf sb = STRBUF_INIT;
    strbuf_add(&sb, name1, (size_t)n1);
    if (name2) {
        strbuf_addch(&sb, '_');
        strbuf_add(&sb, name2, (size_t)n2);
    }
    if (label) {
        strbuf_addch(&sb, '_');
        strbuf_adds(&sb, label);
    }
    const char *out = arena_strdup(mem, strbuf_str(&sb));
    strbuf_release(&sb);
    return out;
}

const char *pgu_name_addition(arena *mem, const strvec *cols)
{
    char buf[PG_NAMEDATALEN * 2];
    size_t buflen = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < cols->n; i++) {
        if (buflen > 0)
            buf[buflen++] = '_';
        size_t l = strlen(cols->v[i]);
        if (l > PG_NAMEDATALEN - 1)
            l = PG_NAMEDATALEN - 1;
        memcpy(buf + buflen, cols->v[i], l);
        buflen += l;
        buf[buflen] = '\0';
        if (buflen >= PG_NAMEDATALEN)
            break;
    }
    return arena_strdup(mem, buf);
}

const char *pgu_choose_relation_name(pgr *r, const char *schema, const char *name1,
                                     const char *name2, const char *label)
{
    const char *name = pgu_make_object_name(&r->tmp, name1, name2, label);
    for (int pass = 1; pgu_rel_exists(r, schema, name) && pass < 100000; pass++) {
        const char *ml = arena_printf(&r->tmp, "%s%d", label, pass);
        name = pgu_make_object_name(&r->tmp, name1, name2, ml);
    }
    return name;
}

const char *pgu_choose_constraint_name(pgr *r, cat_table *t, const char *name1,
                                       const char *name2, const char *label, bool rel)
{
    const char *name = pgu_make_object_name(&r->tmp, name1, name2, label);
    for (int pass = 1; pass < 100000; pass++) {
        bool clash = (t && catalog_constraint_find(t, name)) ||
                     (rel && t && pgu_rel_exists(r, t->schema, name));
        if (!clash)
            break;
        const char *ml = arena_printf(&r->tmp, "%s%d", label, pass);
        name = pgu_make_object_name(&r->tmp, name1, name2, ml);
    }
    return name;
}

/* ---- misc ---------------------------------------------------------------------- */

void pgu_altered(pgr *r, provenance *p)
{
    catalog_provenance_altered(r->cat, p, r->loc);
}

char *pgu_upper(arena *mem, const char *s)
{
    char *u = arena_strdup(mem, s ? s : "");
    for (char *p = u; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return u;
}

void pgu_strvec_push(arena *mem, strvec *v, const char *s)
{
    VEC_PUSH(mem, *v, arena_strdup(mem, s));
}

bool pgu_strvec_has(const strvec *v, const char *s)
{
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->v[i], s))
            return true;
    return false;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void pgu_sort_strvec(strvec *v)
{
    if (v->n > 1)
        qsort(v->v, v->n, sizeof(char *), cmp_str);
}
