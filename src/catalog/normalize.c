/*
 * normalize.c — public entry points of the normaliser (normalize.h) and the
 * libpg_query plumbing they share: parse into a scratch arena (protobuf-c
 * allocator backed by the arena, so rewritten trees never need freeing node
 * by node), pack + deparse, wrap a bare expression node in "SELECT <expr>".
 * The tree rewriting itself is in normalize_expr.c, type names in
 * normalize_type.c, SQLite spellings in normalize_sqlite.c.
 *
 * Known limits (the server knows column types, we do not):
 *  - implicit casts the server adds around columns (`(vc)::text` for a
 *    varchar column compared with text) are kept, so a user's `vc <> ''`
 *    does not match; explicit casts the server drops as no-ops
 *    (`email::text` on a text column) are kept too;
 *  - `SELECT *` is left as `*` (pg_get_viewdef expands it);
 *  - in views over several relations pg_get_viewdef qualifies every column;
 *    qualifiers are kept there, so unqualified user columns do not match.
 */
#include "catalog/normalize.h"
#include "catalog/normalize_pg.h"

#include <stdbool.h>
#include <string.h>

static void *npg_alloc(void *data, size_t size)
{
    return arena_alloc((arena *)data, size ? size : 1);
}

static void npg_nofree(void *data, void *ptr)
{
    (void)data;
    (void)ptr;
}

/* ---- depth guard ------------------------------------------------------------
 * protobuf-c unpack/pack and the deparser recurse once per nesting level;
 * a pathological expression (thousands of chained operators) would overflow
 * the C stack.  The wire bytes are walked iteratively with the message
 * descriptors and anything nested deeper than NPG_MAX_DEPTH is refused. */
enum { NPG_MAX_DEPTH = 1200 };

/* libpg_query itself packs the raw tree recursively inside
 * pg_query_parse_protobuf: a chain like "a+a+a..." of ~24000 operators
 * overflows an 8 MB stack under ASan.  Every nesting level costs at least
 * two bytes of text, so texts up to 32 KiB are safe; longer ones are
 * refused (NULL: "cannot normalise"). */
enum { NPG_MAX_TEXT = 32 * 1024 };

static bool read_varint(const uint8_t *d, size_t end, size_t *pos, uint64_t *out)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (*pos >= end)
            return false;
        uint8_t b = d[(*pos)++];
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

static bool npg_depth_ok(arena *scratch, const uint8_t *d, size_t len,
                         const ProtobufCMessageDescriptor *root)
{
    struct { const ProtobufCMessageDescriptor *desc; size_t end; } *st;
    st = arena_alloc(scratch, NPG_MAX_DEPTH * sizeof *st);
    int top = 0;
    size_t pos = 0;
    bool ok = true;
    st[0].desc = root;
    st[0].end = len;
    while (ok) {
        if (pos == st[top].end) {
            if (top == 0)
                break;
            top--;
            continue;
        }
        uint64_t tag, v;
        ok = read_varint(d, st[top].end, &pos, &tag);
        if (!ok)
            break;
        switch (tag & 7) {
        case 0: ok = read_varint(d, st[top].end, &pos, &v); break;
        case 1: ok = st[top].end - pos >= 8; pos += ok ? 8 : 0; break;
        case 5: ok = st[top].end - pos >= 4; pos += ok ? 4 : 0; break;
        case 2: {
            ok = read_varint(d, st[top].end, &pos, &v) && v <= st[top].end - pos;
            if (!ok)
                break;
            const ProtobufCFieldDescriptor *f =
                protobuf_c_message_descriptor_get_field(st[top].desc, (unsigned)(tag >> 3));
            if (f && f->type == PROTOBUF_C_TYPE_MESSAGE) {
                ok = top + 1 < NPG_MAX_DEPTH;
                if (ok) {
                    top++;
                    st[top].desc = f->descriptor;
                    st[top].end = pos + v;
                }
            } else {
                pos += v;
            }
            break;
        }
        default: ok = false;
        }
    }
    return ok;
}

PgQuery__ParseResult *npg_parse(arena *scratch, const char *sql)
{
    if (!sql || strlen(sql) > NPG_MAX_TEXT)
        return NULL;
    PgQueryProtobufParseResult r = pg_query_parse_protobuf(sql);
    PgQuery__ParseResult *pr = NULL;
    if (!r.error && npg_depth_ok(scratch, (const uint8_t *)r.parse_tree.data, r.parse_tree.len,
                                 &pg_query__parse_result__descriptor)) {
        ProtobufCAllocator al = {npg_alloc, npg_nofree, scratch};
        pr = pg_query__parse_result__unpack(&al, r.parse_tree.len,
                                            (const uint8_t *)r.parse_tree.data);
    }
    pg_query_free_protobuf_parse_result(r);
    return pr;
}

char *npg_deparse(arena *mem, arena *scratch, PgQuery__ParseResult *pr)
{
    size_t len = pg_query__parse_result__get_packed_size(pr);
    uint8_t *buf = arena_alloc(scratch, len + 1);
    pg_query__parse_result__pack(pr, buf);
    if (!npg_depth_ok(scratch, buf, len, &pg_query__parse_result__descriptor))
        return NULL;
    PgQueryProtobuf pb = {len, (char *)buf};
    PgQueryDeparseResult d = pg_query_deparse_protobuf(pb);
    char *out = NULL;
    if (!d.error && d.query) {
        size_t n = strlen(d.query);
        while (n > 0 && (d.query[n - 1] == ';' || d.query[n - 1] == ' ' || d.query[n - 1] == '\n'))
            n--;
        out = arena_strndup(mem, d.query, n);
    }
    pg_query_free_deparse_result(d);
    return out;
}

PgQuery__Node *npg_new_node(arena *scratch)
{
    PgQuery__Node *n = ARENA_NEW(scratch, PgQuery__Node);
    pg_query__node__init(n);
    return n;
}

const char *npg_str(const PgQuery__Node *n)
{
    if (n && n->node_case == PG_QUERY__NODE__NODE_STRING && n->string)
        return n->string->sval;
    return NULL;
}

PgQuery__ParseResult *npg_wrap_expr(arena *scratch, PgQuery__Node *node)
{
    PgQuery__ResTarget *rt = ARENA_NEW(scratch, PgQuery__ResTarget);
    pg_query__res_target__init(rt);
    rt->val = node;
    PgQuery__Node *rtn = npg_new_node(scratch);
    rtn->node_case = PG_QUERY__NODE__NODE_RES_TARGET;
    rtn->res_target = rt;

    PgQuery__SelectStmt *sel = ARENA_NEW(scratch, PgQuery__SelectStmt);
    pg_query__select_stmt__init(sel);
    sel->n_target_list = 1;
    sel->target_list = ARENA_NEW(scratch, PgQuery__Node *);
    sel->target_list[0] = rtn;
    sel->limit_option = PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_DEFAULT;
    sel->op = PG_QUERY__SET_OPERATION__SETOP_NONE;
    PgQuery__Node *seln = npg_new_node(scratch);
    seln->node_case = PG_QUERY__NODE__NODE_SELECT_STMT;
    seln->select_stmt = sel;

    PgQuery__RawStmt *raw = ARENA_NEW(scratch, PgQuery__RawStmt);
    pg_query__raw_stmt__init(raw);
    raw->stmt = seln;
    PgQuery__ParseResult *pr = ARENA_NEW(scratch, PgQuery__ParseResult);
    pg_query__parse_result__init(pr);
    pr->version = PG_VERSION_NUM;
    pr->n_stmts = 1;
    pr->stmts = ARENA_NEW(scratch, PgQuery__RawStmt *);
    pr->stmts[0] = raw;
    return pr;
}

/* The single SELECT of a parse result, or NULL. */
static PgQuery__SelectStmt *single_select(PgQuery__ParseResult *pr)
{
    if (!pr || pr->n_stmts != 1 || !pr->stmts[0] || !pr->stmts[0]->stmt)
        return NULL;
    PgQuery__Node *n = pr->stmts[0]->stmt;
    if (n->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
        return NULL;
    return n->select_stmt;
}

/* "SELECT <expr>" and nothing else: the ResTarget holding the expression. */
static PgQuery__ResTarget *bare_target(PgQuery__ParseResult *pr)
{
    PgQuery__SelectStmt *s = single_select(pr);
    if (!s || s->n_target_list != 1 || s->n_from_clause || s->where_clause ||
        s->n_group_clause || s->having_clause || s->n_sort_clause || s->limit_count ||
        s->limit_offset || s->n_distinct_clause || s->with_clause || s->n_values_lists ||
        s->into_clause || s->n_window_clause || s->n_locking_clause || s->larg || s->rarg)
        return NULL;
    PgQuery__Node *t = s->target_list[0];
    if (!t || t->node_case != PG_QUERY__NODE__NODE_RES_TARGET || !t->res_target)
        return NULL;
    PgQuery__ResTarget *rt = t->res_target;
    if ((rt->name && rt->name[0]) || rt->n_indirection || !rt->val)
        return NULL;
    return rt;
}

/* Deparse "SELECT <expr>" and return <expr>. */
static const char *deparse_select_expr(arena *mem, arena *scratch, PgQuery__ParseResult *pr)
{
    char *s = npg_deparse(scratch, scratch, pr);
    if (!s || strncmp(s, "SELECT ", 7) != 0)
        return NULL;
    return arena_strdup(mem, s + 7);
}

const char *normalize_pg_expr(arena *mem, const char *expr)
{
    if (!expr)
        return NULL;
    arena scratch;
    arena_init(&scratch);
    const char *out = NULL;
    char *sql = arena_printf(&scratch, "SELECT %s", expr);
    PgQuery__ParseResult *pr = npg_parse(&scratch, sql);
    PgQuery__ResTarget *rt = bare_target(pr);
    if (rt) {
        npg_rewrite_scalar(&scratch, &rt->val);
        out = deparse_select_expr(mem, &scratch, pr);
    }
    arena_free(&scratch);
    return out;
}

const char *normalize_pg_query(arena *mem, const char *query)
{
    if (!query)
        return NULL;
    arena scratch;
    arena_init(&scratch);
    const char *out = NULL;
    PgQuery__ParseResult *pr = npg_parse(&scratch, query);
    if (single_select(pr)) {
        npg_rewrite_stmt(&scratch, &pr->stmts[0]->stmt);
        out = npg_deparse(mem, &scratch, pr);
    }
    arena_free(&scratch);
    return out;
}

/* The fast path's text copied into mem, or NULL when it does not apply. */
static const char *fast_text(arena *mem, const PgQuery__Node *n)
{
    strbuf sb = STRBUF_INIT;
    const char *out = npg_fast_deparse(&sb, n) ? arena_strdup(mem, strbuf_str(&sb)) : NULL;
    strbuf_release(&sb);
    return out;
}

const char *deparse_pg_expr(arena *mem, const void *pgquery_node)
{
    if (!pgquery_node)
        return NULL;
    const char *fast = fast_text(mem, pgquery_node);
    if (fast)
        return fast;
    arena scratch;
    arena_init(&scratch);
    PgQuery__ParseResult *pr = npg_wrap_expr(&scratch, (PgQuery__Node *)pgquery_node);
    const char *out = deparse_select_expr(mem, &scratch, pr);
    arena_free(&scratch);
    return out;
}

/* Shapes the fast path prints deparse to text that parses back to the same
 * tree, so the text round trip can be skipped: rewrite a copy, print it. */
static const char *normalize_fast(arena *mem, const PgQuery__Node *n)
{
    strbuf sb = STRBUF_INIT;
    bool ok = npg_fast_deparse(&sb, n);
    strbuf_release(&sb);
    if (!ok)
        return NULL;
    arena scratch;
    arena_init(&scratch);
    PgQuery__Node *copy = npg_copy_node(&scratch, n);
    npg_rewrite_scalar(&scratch, &copy);
    const char *out = fast_text(mem, copy);
    if (!out)
        out = deparse_select_expr(mem, &scratch, npg_wrap_expr(&scratch, copy));
    arena_free(&scratch);
    return out;
}

const char *normalize_pg_node_expr(arena *mem, const void *pgquery_node)
{
    if (!pgquery_node)
        return NULL;
    const char *fast = normalize_fast(mem, pgquery_node);
    if (fast)
        return fast;
    arena scratch;
    arena_init(&scratch);
    const char *written = deparse_pg_expr(&scratch, pgquery_node);
    const char *out = written ? normalize_pg_expr(mem, written) : NULL;
    arena_free(&scratch);
    return out;
}
