/*
 * pg_live.c — the live PostgreSQL reader: connection, the read-only
 * snapshot transaction, dispatch to one catalog query per object kind, the
 * small result-parsing helpers, and schemas, tables, columns and
 * constraints.  Other object kinds live in pg_live_objects.c.
 *
 * Everything is read in one REPEATABLE READ READ ONLY transaction with
 * search_path = public, so pg_get_expr()/format_type() qualify names outside
 * public exactly as a file reader sees them.  Queries never run per table:
 * the goal is well under a second for thousands of tables.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/normalize.h"
#include "source/pg_live_int.h"
#include "util/strbuf.h"
#include "util/url.h"

#define TEXTARRAYOID 1009

/* ---- helpers ------------------------------------------------------------- */

static void diag_pg_message(pg_live_ctx *x, const char *prefix, const char *msg)
{
    size_t n = msg ? strlen(msg) : 0;
    while (n && isspace((unsigned char)msg[n - 1]))
        n--;
    diag_error(x->diags, x->loc, "%s%.*s", prefix, (int)n, msg ? msg : "");
}

PGresult *pg_live_query(pg_live_ctx *x, const char *what, const char *sql)
{
    const char *params[1] = {x->schema_param};
    const Oid types[1] = {TEXTARRAYOID};
    PGresult *r = PQexecParams(x->conn, sql, 1, types, params, NULL, NULL, 0);
    if (PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK)
        return r;
    char prefix[96];
    snprintf(prefix, sizeof prefix, "reading %s: ", what);
    diag_pg_message(x, prefix, PQresultErrorMessage(r));
    PQclear(r);
    return NULL;
}

const char *pg_live_get(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

const char *pg_live_str(pg_live_ctx *x, const PGresult *r, int row, int col)
{
    return arena_strdup(&x->cat->mem, pg_live_get(r, row, col));
}

bool pg_live_bool(const PGresult *r, int row, int col)
{
    const char *v = pg_live_get(r, row, col);
    return v && v[0] == 't';
}

long long pg_live_int(const PGresult *r, int row, int col)
{
    const char *v = pg_live_get(r, row, col);
    return v ? strtoll(v, NULL, 10) : 0;
}

/* one element of an array literal starting at *pp; advances past it */
static const char *array_elem(arena *mem, const char **pp)
{
    const char *p = *pp;
    strbuf sb = STRBUF_INIT;
    bool quoted = *p == '"';
    if (quoted) {
        p++;
        while (*p && *p != '"') {
            if (*p == '\\' && p[1])
                p++;
            strbuf_addch(&sb, *p++);
        }
        if (*p == '"')
            p++;
    } else {
        while (*p && *p != ',' && *p != '}')
            strbuf_addch(&sb, *p++);
    }
    *pp = p;
    const char *s = (!quoted && !strcmp(strbuf_str(&sb), "NULL"))
                        ? NULL
                        : arena_strdup(mem, strbuf_str(&sb));
    strbuf_release(&sb);
    return s;
}

void pg_live_array(pg_live_ctx *x, const char *lit, strvec *out)
{
    if (!lit || *lit != '{')
        return;
    const char *p = lit + 1;
    while (*p && *p != '}') {
        const char *s = array_elem(&x->cat->mem, &p);
        VEC_PUSH(&x->cat->mem, *out, s);
        if (*p == ',')
            p++;
        else if (*p != '}')
            break;
    }
}

/* skip a quoted run starting at s[i] (quote char q); returns index after it */
static size_t skip_quoted(const char *s, size_t len, size_t i, char q)
{
    for (i++; i < len; i++) {
        if (s[i] == q) {
            if (i + 1 < len && s[i + 1] == q) {
                i++;
                continue;
            }
            return i + 1;
        }
    }
    return len;
}

void pg_live_split_top(arena *mem, const char *s, size_t len, strvec *out)
{
    int depth = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len;) {
        char c = i < len ? s[i] : ',';
        if (c == '\'' || c == '"') {
            i = skip_quoted(s, len, i, c);
            continue;
        }
        if (c == '(' || c == '[')
            depth++;
        else if ((c == ')' || c == ']') && depth > 0)
            depth--;
        else if (c == ',' && depth == 0) {
            size_t a = start, b = i;
            while (a < b && isspace((unsigned char)s[a]))
                a++;
            while (b > a && isspace((unsigned char)s[b - 1]))
                b--;
            if (b > a)
                VEC_PUSH(mem, *out, arena_strndup(mem, s + a, b - a));
            start = i + 1;
        }
        i++;
    }
}

size_t pg_live_match_paren(const char *s, size_t open)
{
    size_t len = strlen(s);
    int depth = 0;
    for (size_t i = open; i < len;) {
        if (s[i] == '\'' || s[i] == '"') {
            i = skip_quoted(s, len, i, s[i]);
            continue;
        }
        if (s[i] == '(')
            depth++;
        else if (s[i] == ')' && --depth == 0)
            return i;
        i++;
    }
    return (size_t)-1;
}

const char *pg_live_norm(pg_live_ctx *x, const char *expr)
{
    if (!expr)
        return NULL;
    const char *n = normalize_pg_expr(&x->cat->mem, expr);
    return n ? n : arena_strdup(&x->cat->mem, expr);
}

cat_table *pg_live_table(pg_live_ctx *x, const char *schema, const char *name)
{
    cat_table *t = x->last_table;
    if (t && !strcmp(t->name, name) && !strcmp(t->schema, schema))
        return t;
    t = catalog_table_find(x->cat, schema, name);
    x->last_table = t;
    return t;
}

/* ---- schemas --------------------------------------------------------------- */

static int read_schemas(pg_live_ctx *x)
{
    PGresult *r = pg_live_query(x, "schemas",
        "SELECT n.nspname, " PGL_COMMENT("n.oid", "pg_namespace", "0") " FROM pg_namespace n "
                "WHERE " PGL_NS_FILTER("n") " AND n.nspname <> 'public' AND "
        PGL_NOT_EXT("pg_namespace", "n.oid") " ORDER BY 1");
    if (!r)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        cat_schema *s = catalog_schema_add(x->cat, pg_live_get(r, i, 0), x->loc);
        s->comment = pg_live_str(x, r, i, 1);
    }
    PQclear(r);
    return 0;
}

/* ---- tables ---------------------------------------------------------------- */

static int read_tables(pg_live_ctx *x)
{
    PGresult *r = pg_live_query(x, "tables",
        "SELECT n.nspname, c.relname, c.relpersistence = 'u', c.relrowsecurity, "
        " c.relforcerowsecurity, CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, "
        " ARRAY(SELECT pn.nspname || '.' || pc.relname FROM pg_inherits i "
        "   JOIN pg_class pc ON pc.oid = i.inhparent "
        "   JOIN pg_namespace pn ON pn.oid = pc.relnamespace "
        "   WHERE i.inhrelid = c.oid ORDER BY i.inhseqno), "
        " " PGL_COMMENT("c.oid", "pg_class", "0") " "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'p') AND " PGL_NS_FILTER("n") " AND "
        PGL_NOT_EXT("pg_class", "c.oid") " ORDER BY 1, 2");
    if (!r)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        cat_table *t = catalog_table_add(x->cat, pg_live_get(r, i, 0), pg_live_get(r, i, 1), x->loc);
        t->unlogged = pg_live_bool(r, i, 2);
        t->rls_enabled = pg_live_bool(r, i, 3);
        t->rls_forced = pg_live_bool(r, i, 4);
        t->partition_by = pg_live_str(x, r, i, 5);
        pg_live_array(x, pg_live_get(r, i, 6), &t->inherits);
        t->comment = pg_live_str(x, r, i, 7);
    }
    PQclear(r);
    return 0;
}

/* ---- columns --------------------------------------------------------------- */

static int read_columns(pg_live_ctx *x)
{
    PGresult *r = pg_live_query(x, "columns",
        "SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), "
        " a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid), a.attidentity, a.attgenerated, "
        " CASE WHEN a.attcollation <> t.typcollation THEN co.collname END "
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_type t ON t.oid = a.atttypid "
        "LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum "
        "LEFT JOIN pg_collation co ON co.oid = a.attcollation "
                "WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND "
        PGL_NS_FILTER("n") " AND " PGL_NOT_EXT("pg_class", "c.oid") " ORDER BY c.oid, a.attnum");
    if (!r)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        cat_table *t = pg_live_table(x, pg_live_get(r, i, 0), pg_live_get(r, i, 1));
        if (!t)
            continue;
        cat_column *c = catalog_column_add(x->cat, t, pg_live_get(r, i, 2), x->loc);
        c->type = pg_live_str(x, r, i, 3);
        c->not_null = pg_live_bool(r, i, 4);
        const char *def = pg_live_str(x, r, i, 5);
        const char *ident = pg_live_get(r, i, 6);
        const char *gen = pg_live_get(r, i, 7);
        c->identity = ident && *ident ? *ident : 0;
        x->any_identity |= c->identity != 0;
        c->generated = gen && *gen ? *gen : 0;
        if (c->generated) {
            c->generated_expr = def;
            c->generated_norm = pg_live_norm(x, def);
        } else if (def) {
            c->default_expr = def;
            c->default_norm = pg_live_norm(x, def);
        }
        c->collation = pg_live_str(x, r, i, 8);
    }
    PQclear(r);
    return 0;
}

/* ---- identity options ------------------------------------------------------- */

/* Bounds of an identity sequence type (smallint, integer, else bigint). */
static int64_t type_max(const char *type)
{
    if (type && !strcmp(type, "smallint"))
        return 32767;
    if (type && !strcmp(type, "integer"))
        return 2147483647LL;
    return INT64_MAX;
}

/* docs/CONTRACTS.md: the non-default options in fixed order, NULL if none.
 * MINVALUE/MAXVALUE are compared with the ascending defaults (1, type max)
 * like the file reader does; START WITH with min (ascending) / max. */
static const char *identity_options(pg_live_ctx *x, const char *type, int64_t inc, int64_t min,
                                    int64_t max, int64_t start, int64_t cache, bool cycle)
{
    strbuf sb = STRBUF_INIT;
    if (inc != 1)
        strbuf_addf(&sb, " INCREMENT BY %lld", (long long)inc);
    if (min != 1)
        strbuf_addf(&sb, " MINVALUE %lld", (long long)min);
    if (max != type_max(type))
        strbuf_addf(&sb, " MAXVALUE %lld", (long long)max);
    if (start != (inc > 0 ? min : max))
        strbuf_addf(&sb, " START WITH %lld", (long long)start);
    if (cache != 1)
        strbuf_addf(&sb, " CACHE %lld", (long long)cache);
    if (cycle)
        strbuf_adds(&sb, " CYCLE");
    const char *out = sb.len ? arena_strdup(&x->cat->mem, strbuf_str(&sb) + 1) : NULL;
    strbuf_release(&sb);
    return out;
}

/* Identity sequences: pg_depend deptype 'i' from the sequence to the column. */
static int read_identity_options(pg_live_ctx *x)
{
    if (!x->any_identity)
        return 0;
    PGresult *r = pg_live_query(x, "identity sequences",
        "SELECT n.nspname, c.relname, a.attname, format_type(s.seqtypid, NULL), s.seqincrement, "
        " s.seqmin, s.seqmax, s.seqstart, s.seqcache, s.seqcycle "
        "FROM pg_depend d JOIN pg_sequence s ON s.seqrelid = d.objid "
        "JOIN pg_class c ON c.oid = d.refobjid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
        "WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass "
        " AND d.deptype = 'i' AND a.attidentity <> '' AND c.relkind IN ('r', 'p') AND "
        PGL_NS_FILTER("n") " AND " PGL_NOT_EXT("pg_class", "c.oid") " ORDER BY c.oid");
    if (!r)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        cat_table *t = pg_live_table(x, pg_live_get(r, i, 0), pg_live_get(r, i, 1));
        cat_column *c = t ? catalog_column_find(t, pg_live_get(r, i, 2)) : NULL;
        if (!c)
            continue;
        c->identity_options = identity_options(
            x, pg_live_get(r, i, 3), pg_live_int(r, i, 4), pg_live_int(r, i, 5),
            pg_live_int(r, i, 6), pg_live_int(r, i, 7), pg_live_int(r, i, 8), pg_live_bool(r, i, 9));
    }
    PQclear(r);
    return 0;
}

/* Column comments in their own query: a per-column probe of pg_description
 * costs more than the rest of the column query on big catalogs. */
static int read_column_comments(pg_live_ctx *x)
{
    PGresult *r = pg_live_query(x, "column comments",
        "SELECT n.nspname, c.relname, a.attname, d.description "
        "FROM pg_description d JOIN pg_class c ON c.oid = d.objoid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid "
        "WHERE d.classoid = 'pg_class'::regclass AND d.objsubid > 0 "
        " AND c.relkind IN ('r', 'p') AND NOT a.attisdropped AND " PGL_NS_FILTER("n") " AND "
        PGL_NOT_EXT("pg_class", "c.oid") " ORDER BY c.oid");
    if (!r)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        cat_table *t = pg_live_table(x, pg_live_get(r, i, 0), pg_live_get(r, i, 1));
        cat_column *c = t ? catalog_column_find(t, pg_live_get(r, i, 2)) : NULL;
        if (c)
            c->comment = pg_live_str(x, r, i, 3);
    }
    PQclear(r);
    return 0;
}

/* ---- constraints ------------------------------------------------------------- */

/* attribute names of an int2[] of attnums on relation `rel`, in array order */
#define ATTNAMES(arr, rel)                                                         \
    "ARRAY(SELECT a.attname FROM unnest(" arr ") WITH ORDINALITY k(num, ord) "      \
    "JOIN pg_attribute a ON a.attrelid = " rel " AND a.attnum = k.num ORDER BY k.ord)"

/* "EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (...)" -> elems */
static void exclude_elems(pg_live_ctx *x, cat_constraint *con, const char *def)
{
    const char *p = def ? strchr(def, '(') : NULL;
    if (!p)
        return;
    size_t open = (size_t)(p - def);
    size_t close = pg_live_match_paren(def, open);
    if (close == (size_t)-1)
        return;
    arena tmp;
    arena_init(&tmp);
    strvec parts = {0};
    pg_live_split_top(&tmp, def + open + 1, close - open - 1, &parts);
    for (size_t i = 0; i < parts.n; i++) {
        const char *part = parts.v[i];
        const char *with = NULL;
        for (const char *s = strstr(part, " WITH "); s; s = strstr(s + 1, " WITH "))
            with = s;
        const char *elem = with ? arena_strndup(&tmp, part, (size_t)(with - part)) : part;
        const char *n = normalize_pg_expr(&tmp, elem);
        const char *out = arena_printf(&x->cat->mem, "%s%s", n ? n : elem, with ? with : "");
        VEC_PUSH(&x->cat->mem, con->exclude_elems, out);
    }
    arena_free(&tmp);
}

static int read_constraints(pg_live_ctx *x)
{
    PGresult *r = pg_live_query(x, "constraints",
        "SELECT n.nspname, c.relname, co.conname, co.contype, "
        ATTNAMES("co.conkey", "co.conrelid") ", "
        " CASE WHEN co.contype = 'c' THEN pg_get_expr(co.conbin, co.conrelid) END, "
        " rn.nspname, rc.relname, "
        " CASE WHEN co.contype = 'f' THEN " ATTNAMES("co.confkey", "co.confrelid") " END, "
        " co.confdeltype, co.confupdtype, co.confmatchtype, co.condeferrable, co.condeferred, "
        " NOT co.convalidated, co.connoinherit, am.amname, "
        " CASE WHEN co.contype = 'x' THEN pg_get_constraintdef(co.oid) END, "
        " coalesce(i.indnullsnotdistinct, false), "
        " CASE WHEN i.indnatts > i.indnkeyatts THEN ARRAY(SELECT a.attname "
        "   FROM generate_series(i.indnkeyatts, i.indnatts - 1) g(k) "
        "   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[g.k] "
        "   ORDER BY g.k) END, "
        " CASE WHEN co.contype = 'x' THEN pg_get_expr(i.indpred, i.indrelid) END, "
        " " PGL_COMMENT("co.oid", "pg_constraint", "0") " "
        "FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_class rc ON rc.oid = co.confrelid "
        "LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace "
        "LEFT JOIN pg_index i ON i.indexrelid = co.conindid AND co.contype IN ('p', 'u', 'x') "
        "LEFT JOIN pg_class ic ON ic.oid = i.indexrelid "
        "LEFT JOIN pg_am am ON am.oid = ic.relam "
                "WHERE co.contypid = 0 AND co.contype IN ('p', 'u', 'c', 'f', 'x') "
        " AND co.conislocal AND co.conparentid = 0 AND c.relkind IN ('r', 'p') AND "
        PGL_NS_FILTER("n") " AND " PGL_NOT_EXT("pg_class", "c.oid") " ORDER BY c.oid, co.conname");
    if (!r)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        cat_table *t = pg_live_table(x, pg_live_get(r, i, 0), pg_live_get(r, i, 1));
        if (!t)
            continue;
        char kind = pg_live_get(r, i, 3)[0];
        cat_constraint *con = catalog_constraint_add(x->cat, t, (cat_con_kind)kind,
                                                     pg_live_get(r, i, 2), x->loc);
        if (kind != CON_CHECK) /* file readers cannot know conkey of a CHECK */
            pg_live_array(x, pg_live_get(r, i, 4), &con->columns);
        con->expr = pg_live_str(x, r, i, 5);
        con->expr_norm = pg_live_norm(x, con->expr);
        if (kind == CON_FOREIGN) {
            con->ref_schema = pg_live_str(x, r, i, 6);
            con->ref_table = pg_live_str(x, r, i, 7);
            pg_live_array(x, pg_live_get(r, i, 8), &con->ref_columns);
            con->on_delete = pg_live_get(r, i, 9)[0];
            con->on_update = pg_live_get(r, i, 10)[0];
            con->match = pg_live_get(r, i, 11)[0];
        }
        con->deferrable = pg_live_bool(r, i, 12);
        con->initially_deferred = pg_live_bool(r, i, 13);
        con->not_valid = pg_live_bool(r, i, 14);
        con->no_inherit = kind == CON_CHECK && pg_live_bool(r, i, 15);
        if (kind == CON_EXCLUDE) {
            con->using_method = pg_live_str(x, r, i, 16);
            exclude_elems(x, con, pg_live_get(r, i, 17));
            con->where_norm = pg_live_norm(x, pg_live_get(r, i, 20));
        }
        con->nulls_not_distinct = pg_live_bool(r, i, 18);
        pg_live_array(x, pg_live_get(r, i, 19), &con->include_columns);
        con->comment = pg_live_str(x, r, i, 21);
    }
    PQclear(r);
    return 0;
}

/* ---- connection and dispatch ------------------------------------------------- */

/* {"a","b"} text[] literal of the --schema filters, NULL when none */
static const char *schema_param(arena *mem, const source_opts *opts)
{
    if (!opts || !opts->n_schemas)
        return NULL;
    strbuf sb = STRBUF_INIT;
    strbuf_addch(&sb, '{');
    for (size_t i = 0; i < opts->n_schemas; i++) {
        if (i)
            strbuf_addch(&sb, ',');
        strbuf_addch(&sb, '"');
        for (const char *p = opts->schemas[i]; p && *p; p++) {
            if (*p == '"' || *p == '\\')
                strbuf_addch(&sb, '\\');
            strbuf_addch(&sb, *p);
        }
        strbuf_addch(&sb, '"');
    }
    strbuf_addch(&sb, '}');
    const char *s = arena_strdup(mem, strbuf_str(&sb));
    strbuf_release(&sb);
    return s;
}

static int exec_simple(pg_live_ctx *x, const char *sql)
{
    PGresult *r = PQexec(x->conn, sql);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
    if (rc)
        diag_pg_message(x, "", PQresultErrorMessage(r));
    PQclear(r);
    return rc;
}

static int read_all(pg_live_ctx *x)
{
    int (*const steps[])(pg_live_ctx *) = {
        read_schemas,           read_tables,           read_columns,
        read_column_comments,  read_identity_options,
        read_constraints,       pg_live_read_views,    pg_live_read_indexes,
        pg_live_read_enums,     pg_live_read_domains,  pg_live_read_composites,
        pg_live_read_sequences, pg_live_read_functions, pg_live_read_triggers,
        pg_live_read_policies,  pg_live_read_extensions, pg_live_read_grants,
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (steps[i](x) != 0)
            return -1;
    return 0;
}

int pg_live_read(catalog *cat, const char *conninfo, const source_opts *opts, diag_list *diags)
{
    pg_live_ctx x = {0};
    x.cat = cat;
    x.diags = diags;
    x.loc.file = url_mask(&cat->mem, conninfo);
    x.schema_param = schema_param(&cat->mem, opts);
    if (!cat->source)
        cat->source = x.loc.file;

    x.conn = PQconnectdb(conninfo);
    if (!x.conn || PQstatus(x.conn) != CONNECTION_OK) {
        diag_pg_message(&x, "", x.conn ? PQerrorMessage(x.conn) : "out of memory");
        PQfinish(x.conn);
        return -1;
    }
    int rc = exec_simple(&x, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (rc == 0)
        rc = exec_simple(&x, "SET LOCAL search_path = public; SET LOCAL jit = off; "
                               "SET LOCAL work_mem = '64MB'");
    if (rc == 0)
        rc = read_all(&x);
    if (PQtransactionStatus(x.conn) != PQTRANS_IDLE)
        PQclear(PQexec(x.conn, "ROLLBACK"));
    PQfinish(x.conn);
    return rc;
}
