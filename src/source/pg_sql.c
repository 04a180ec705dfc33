/*
 * pg_sql.c — PostgreSQL-dialect SQL file reader: one libpg_query parse per
 * file, then statements are interpreted in order like the server would
 * (statement locations, syntax errors, dispatch, schemas, search_path and
 * statements kept opaque).  Object handlers live in pg_sql_table.c,
 * pg_sql_objects.c and pg_sql_misc.c.
 */
#include "source/pg_sql_annotate.h"
#include "source/pg_sql_util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "source/pg_parse.h"
#include "source/source.h"
#include "util/strbuf.h"

/* ---- locations ---------------------------------------------------------- */

/* first byte of a statement that is not whitespace or a comment */
static size_t skip_space_comments(const char *t, size_t off, size_t end)
{
    while (off < end) {
        if (isspace((unsigned char)t[off])) {
            off++;
        } else if (t[off] == '-' && off + 1 < end && t[off + 1] == '-') {
            while (off < end && t[off] != '\n')
                off++;
        } else if (t[off] == '/' && off + 1 < end && t[off + 1] == '*') {
            int depth = 0;
            do {
                if (t[off] == '/' && off + 1 < end && t[off + 1] == '*')
                    depth++, off += 2;
                else if (t[off] == '*' && off + 1 < end && t[off + 1] == '/')
                    depth--, off += 2;
                else
                    off++;
            } while (off < end && depth > 0);
        } else {
            break;
        }
    }
    return off;
}

/* libpg_query cursor positions count characters (1-based); map to bytes */
static size_t char_to_byte(const char *t, size_t len, int cursorpos)
{
    size_t off = 0;
    for (int chars = 1; chars < cursorpos && off < len; chars++) {
        off++;
        while (off < len && ((unsigned char)t[off] & 0xC0) == 0x80)
            off++;
    }
    return off;
}

static void set_stmt(pgr *r, size_t off, size_t len)
{
    size_t end = len ? off + len : r->len;
    if (end > r->len)
        end = r->len;
    r->stmt_off = off;
    r->memo_node = NULL; /* nodes of an earlier statement may be freed */
    r->stmt_len = end - off;
    r->loc = line_index_loc(&r->li, skip_space_comments(r->text, off, end));
}

/* ---- search_path -------------------------------------------------------- */

static void path_reset(pgr *r)
{
    r->search_path.n = 0;
    VEC_PUSH(&r->tmp, r->search_path, "public");
}

static void path_add_item(pgr *r, const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (!n)
        return;
    char *item;
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
        item = arena_strndup(&r->tmp, s + 1, n - 2);
    } else {
        item = arena_strndup(&r->tmp, s, n);
        for (char *p = item; *p; p++)
            *p = (char)tolower((unsigned char)*p);
    }
    if (!strcmp(item, "$user"))
        return;
    VEC_PUSH(&r->tmp, r->search_path, item);
}

static void path_add_list(pgr *r, const char *s)
{
    const char *start = s;
    bool q = false;
    for (const char *p = s;; p++) {
        if (*p == '"')
            q = !q;
        if (!*p || (*p == ',' && !q)) {
            path_add_item(r, start, (size_t)(p - start));
            if (!*p)
                break;
            start = p + 1;
        }
    }
}

static void set_search_path(pgr *r, PgQuery__Node **args, size_t n, bool reset)
{
    if (reset) {
        path_reset(r);
        return;
    }
    r->search_path.n = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = pgu_str(args[i]);
        if (s)
            path_add_list(r, s);
    }
}

static void variable_set(pgr *r, PgQuery__VariableSetStmt *st)
{
    if (pgu_s(st->name) && !strcmp(st->name, "search_path")) {
        bool reset = st->kind != PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE;
        set_search_path(r, st->args, st->n_args, reset);
        return;
    }
    catalog_opaque_add(r->cat, st->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_RESET ||
                                       st->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_RESET_ALL
                                   ? "reset"
                                   : "set",
                       pgu_stmt_text(r), r->loc);
}

/* SELECT pg_catalog.set_config('search_path', '...', false) as pg_dump writes it */
static void select_stmt(pgr *r, PgQuery__SelectStmt *st)
{
    if (st->n_target_list == 1 && st->n_from_clause == 0 &&
        st->target_list[0]->node_case == PG_QUERY__NODE__NODE_RES_TARGET) {
        PgQuery__Node *v = st->target_list[0]->res_target->val;
        if (v && v->node_case == PG_QUERY__NODE__NODE_FUNC_CALL) {
            PgQuery__FuncCall *fc = v->func_call;
            const char *fn = fc->n_funcname ? pgu_str(fc->funcname[fc->n_funcname - 1]) : NULL;
            const char *a0 = fc->n_args >= 2 ? pgu_str(fc->args[0]) : NULL;
            if (fn && a0 && !strcmp(fn, "set_config") && !strcmp(a0, "search_path"))
                set_search_path(r, &fc->args[1], 1, false);
        }
    }
    catalog_opaque_add(r->cat, "select", pgu_stmt_text(r), r->loc);
}

/* ---- schemas ------------------------------------------------------------ */

static void interpret(pgr *r, PgQuery__Node *n);

static void create_schema(pgr *r, PgQuery__CreateSchemaStmt *st)
{
    const char *name = pgu_s(st->schemaname);
    if (!name && st->authrole)
        name = st->authrole->rolename;
    if (!name)
        return;
    if (!strncmp(name, "pg_", 3)) {
        diag_error(r->diags, r->loc, "unacceptable schema name \"%s\"", name);
        return;
    }
    if (pgu_schema_exists(r, name)) {
        if (!st->if_not_exists)
            diag_error(r->diags, r->loc, "schema \"%s\" already exists", name);
        return;
    }
    catalog_schema_add(r->cat, name, r->loc);
    if (!st->n_schema_elts)
        return;
    /* schema elements are created in the new schema */
    strvec saved = r->search_path;
    strvec tmp = {0};
    VEC_PUSH(&r->tmp, tmp, arena_strdup(&r->tmp, name));
    for (size_t i = 0; i < saved.n; i++)
        VEC_PUSH(&r->tmp, tmp, saved.v[i]);
    r->search_path = tmp;
    for (size_t i = 0; i < st->n_schema_elts; i++)
        interpret(r, st->schema_elts[i]);
    r->search_path = saved;
}

/* ---- dispatch ------------------------------------------------------------ */

static void opaque(pgr *r, const char *kind)
{
    catalog_opaque_add(r->cat, kind, pgu_stmt_text(r), r->loc);
}

static void unsupported(pgr *r, PgQuery__Node *n)
{
    diag_warning(r->diags, r->loc, "%s statement is not interpreted (kept as is)",
                 pgu_node_kind(n));
    opaque(r, "other");
}

static void alter_table_dispatch(pgr *r, PgQuery__AlterTableStmt *st)
{
    pg_sql_alter_table(r, st);
}

static void interpret(pgr *r, PgQuery__Node *n)
{
    if (!n)
        return;
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT: create_schema(r, n->create_schema_stmt); break;
    case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT: variable_set(r, n->variable_set_stmt); break;
    case PG_QUERY__NODE__NODE_CREATE_STMT: pg_sql_create_table(r, n->create_stmt); break;
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT: alter_table_dispatch(r, n->alter_table_stmt); break;
    case PG_QUERY__NODE__NODE_INDEX_STMT: pg_sql_create_index(r, n->index_stmt); break;
    case PG_QUERY__NODE__NODE_CREATE_ENUM_STMT: pg_sql_create_enum(r, n->create_enum_stmt); break;
    case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT: pg_sql_alter_enum(r, n->alter_enum_stmt); break;
    case PG_QUERY__NODE__NODE_COMPOSITE_TYPE_STMT:
        pg_sql_create_composite(r, n->composite_type_stmt);
        break;
    case PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT: pg_sql_create_domain(r, n->create_domain_stmt); break;
    case PG_QUERY__NODE__NODE_ALTER_DOMAIN_STMT: pg_sql_alter_domain(r, n->alter_domain_stmt); break;
    case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT: pg_sql_create_sequence(r, n->create_seq_stmt); break;
    case PG_QUERY__NODE__NODE_ALTER_SEQ_STMT: pg_sql_alter_sequence(r, n->alter_seq_stmt); break;
    case PG_QUERY__NODE__NODE_VIEW_STMT: pg_sql_create_view(r, n->view_stmt); break;
    case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
        if (n->create_table_as_stmt->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW) {
            pg_sql_create_matview(r, n->create_table_as_stmt);
        } else {
            diag_note(r->diags, r->loc, "CREATE TABLE ... AS is kept as is: its columns are unknown");
            opaque(r, "create_table_as");
        }
        break;
    case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT:
        pg_sql_create_function(r, n->create_function_stmt);
        break;
    case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT: pg_sql_create_trigger(r, n->create_trig_stmt); break;
    case PG_QUERY__NODE__NODE_CREATE_POLICY_STMT: pg_sql_create_policy(r, n->create_policy_stmt); break;
    case PG_QUERY__NODE__NODE_ALTER_POLICY_STMT: pg_sql_alter_policy(r, n->alter_policy_stmt); break;
    case PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT:
        pg_sql_create_extension(r, n->create_extension_stmt);
        break;
    case PG_QUERY__NODE__NODE_DROP_STMT: pg_sql_drop(r, n->drop_stmt); break;
    case PG_QUERY__NODE__NODE_RENAME_STMT: pg_sql_rename(r, n->rename_stmt); break;
    case PG_QUERY__NODE__NODE_ALTER_OBJECT_SCHEMA_STMT:
        pg_sql_set_schema(r, n->alter_object_schema_stmt);
        break;
    case PG_QUERY__NODE__NODE_COMMENT_STMT: pg_sql_comment(r, n->comment_stmt); break;
    case PG_QUERY__NODE__NODE_GRANT_STMT: pg_sql_grant(r, n->grant_stmt); break;
    case PG_QUERY__NODE__NODE_SELECT_STMT: select_stmt(r, n->select_stmt); break;
    case PG_QUERY__NODE__NODE_DO_STMT: opaque(r, "do"); break;
    case PG_QUERY__NODE__NODE_INSERT_STMT: opaque(r, "insert"); break;
    case PG_QUERY__NODE__NODE_UPDATE_STMT: opaque(r, "update"); break;
    case PG_QUERY__NODE__NODE_DELETE_STMT: opaque(r, "delete"); break;
    case PG_QUERY__NODE__NODE_MERGE_STMT: opaque(r, "merge"); break;
    case PG_QUERY__NODE__NODE_COPY_STMT: opaque(r, "copy"); break;
    case PG_QUERY__NODE__NODE_TRUNCATE_STMT: opaque(r, "truncate"); break;
    case PG_QUERY__NODE__NODE_TRANSACTION_STMT: opaque(r, "transaction"); break;
    case PG_QUERY__NODE__NODE_CALL_STMT: opaque(r, "call"); break;
    case PG_QUERY__NODE__NODE_CREATE_ROLE_STMT:
    case PG_QUERY__NODE__NODE_ALTER_ROLE_STMT:
    case PG_QUERY__NODE__NODE_DROP_ROLE_STMT:
    case PG_QUERY__NODE__NODE_GRANT_ROLE_STMT:
    case PG_QUERY__NODE__NODE_ALTER_ROLE_SET_STMT: opaque(r, "role"); break;
    case PG_QUERY__NODE__NODE_ALTER_DEFAULT_PRIVILEGES_STMT: opaque(r, "default_privileges"); break;
    case PG_QUERY__NODE__NODE_ALTER_OWNER_STMT: break; /* ownership is not modelled */
    case PG_QUERY__NODE__NODE_REFRESH_MAT_VIEW_STMT:
    case PG_QUERY__NODE__NODE_VACUUM_STMT:
    case PG_QUERY__NODE__NODE_LOCK_STMT:
    case PG_QUERY__NODE__NODE_CHECK_POINT_STMT:
    case PG_QUERY__NODE__NODE_VARIABLE_SHOW_STMT:
    case PG_QUERY__NODE__NODE_EXPLAIN_STMT:
    case PG_QUERY__NODE__NODE_NOTIFY_STMT:
    case PG_QUERY__NODE__NODE_LISTEN_STMT:
    case PG_QUERY__NODE__NODE_DISCARD_STMT:
    case PG_QUERY__NODE__NODE_CONSTRAINTS_SET_STMT:
    case PG_QUERY__NODE__NODE_PREPARE_STMT:
    case PG_QUERY__NODE__NODE_EXECUTE_STMT:
    case PG_QUERY__NODE__NODE_DEALLOCATE_STMT: opaque(r, "other"); break;
    default: unsupported(r, n); break;
    }
}

/* ---- parse + interpret ----------------------------------------------------- */

/* interpret a parse of text[base ...]; locations are relative to base */
static void interpret_tree(pgr *r, PgQuery__ParseResult *res, size_t base)
{
    for (size_t i = 0; i < res->n_stmts; i++) {
        PgQuery__RawStmt *rs = res->stmts[i];
        set_stmt(r, base + (size_t)(rs->stmt_location > 0 ? rs->stmt_location : 0),
                 (size_t)(rs->stmt_len > 0 ? rs->stmt_len : 0));
        interpret(r, rs->stmt);
        pg_annot_statement(r, rs->stmt);
    }
}

static int interpret_parse(pgr *r, PgQueryProtobuf pb, size_t base)
{
    arena tree_mem; /* the whole tree: released at once, no free_unpacked walk */
    arena_init(&tree_mem);
    PgQuery__ParseResult *res = pg_parse_unpack(&tree_mem, pb.data, pb.len);
    if (res)
        interpret_tree(r, res, base);
    else
        diag_error(r->diags, line_index_loc(&r->li, base), "cannot decode the parse tree");
    arena_free(&tree_mem);
    return res ? 0 : -1;
}

/* On a syntax error: interpret the statements before it, then report it. */
static void syntax_error(pgr *r, const PgQueryError *err)
{
    size_t err_off = char_to_byte(r->text, r->len, err->cursorpos);
    if (err->cursorpos <= 0)
        err_off = r->len;
    PgQuerySplitResult sp = pg_query_split_with_scanner(r->text);
    if (!sp.error) {
        for (int i = 0; i < sp.n_stmts; i++) {
            size_t off = (size_t)sp.stmts[i]->stmt_location;
            size_t len = (size_t)sp.stmts[i]->stmt_len;
            if (off + len >= err_off || off + len > r->len)
                break;
            char *sub = arena_strndup(&r->tmp, r->text + off, len);
            PgQueryProtobufParseResult pr = pg_query_parse_protobuf(sub);
            if (!pr.error)
                interpret_parse(r, pr.parse_tree, off);
            pg_query_free_protobuf_parse_result(pr);
        }
    }
    pg_query_free_split_result(sp);
    diag_error(r->diags, line_index_loc(&r->li, err_off), "%s",
               err->message ? err->message : "syntax error");
}

int pg_sql_read(catalog *cat, const char *filename, const char *sql, size_t len, diag_list *diags)
{
    return pg_sql_read_parsed(cat, filename, sql, len, NULL, diags);
}

/* tree: parsed ahead by pg_parse.c (arena-backed, owned by the caller) */
int pg_sql_read_parsed(catalog *cat, const char *filename, const char *sql, size_t len,
                       PgQuery__ParseResult *tree, diag_list *diags)
{
    pgr r;
    memset(&r, 0, sizeof r);
    r.cat = cat;
    r.diags = diags;
    r.file = filename ? filename : "<input>";
    arena_init(&r.tmp);
    char *text = arena_strndup(&r.tmp, sql ? sql : "", sql ? len : 0);
    r.text = text;
    r.len = strlen(text); /* an embedded NUL ends the text, as for the server */
    line_index_build(&r.li, &r.tmp, r.file, r.text, r.len);
    path_reset(&r);
    hashmap_init(&r.grant_map, &r.tmp);
    hashmap_init(&r.norm_cache, &r.tmp);
    int rc = 0;
    if (tree) {
        interpret_tree(&r, tree, 0);
    } else {
        PgQueryProtobufParseResult pr = pg_query_parse_protobuf(r.text);
        if (pr.error)
            syntax_error(&r, pr.error);
        else
            rc = interpret_parse(&r, pr.parse_tree, 0);
        pg_query_free_protobuf_parse_result(pr);
    }
    hashmap_release(&r.grant_map);
    hashmap_release(&r.norm_cache);
    arena_free(&r.tmp);
    return rc;
}

int pg_sql_read_file(catalog *cat, const char *path, diag_list *diags)
{
    strbuf sb = STRBUF_INIT;
    if (strbuf_read_file(&sb, path) != 0) {
        src_loc l = {path, 0, 0};
        diag_error(diags, l, "cannot read file");
        strbuf_release(&sb);
        return -1;
    }
    source_mask_down_sections(sb.buf, sb.len);
    int rc = pg_sql_read(cat, path, strbuf_str(&sb), sb.len, diags);
    strbuf_release(&sb);
    return rc;
}
