/*
 * pg_live_tables.c — the live PostgreSQL reader: schemas, tables, columns
 * (with comments and identity options) and table constraints.
 *
 * Tables are registered by oid (pg_live_rel_add) and their columns by
 * attnum, so the later queries return oids and attnum arrays and the names
 * are resolved here in C: per-row subqueries and relation-opening
 * deparsers are what makes catalog reads of thousands of tables slow.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/normalize.h"
#include "source/pg_live_int.h"
#include "util/strbuf.h"

/* ---- schemas --------------------------------------------------------------- */

int pg_live_read_schemas(pg_live_ctx *x)
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

int pg_live_read_tables(pg_live_ctx *x)
{
    PGresult *r = pg_live_query(x, "tables",
        "SELECT n.nspname, c.relname, c.relpersistence = 'u', c.relrowsecurity, "
        " c.relforcerowsecurity, CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, "
        " ARRAY(SELECT pn.nspname || '.' || pc.relname FROM pg_inherits i "
        "   JOIN pg_class pc ON pc.oid = i.inhparent "
        "   JOIN pg_namespace pn ON pn.oid = pc.relnamespace "
        "   WHERE i.inhrelid = c.oid ORDER BY i.inhseqno), "
        " c.oid, CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END "
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
        pg_live_rel_add(x, pg_live_get(r, i, 7), t);
        t->partition_bound = pg_live_str(x, r, i, 8);
    }
    PQclear(r);
    return 0;
}

/* ---- columns --------------------------------------------------------------- */

/* Defaults cannot reference columns, so they are deparsed without the
 * relation (pg_get_expr with a relid opens it: ~10x slower on a cold
 * backend); generated expressions need it. */
int pg_live_read_columns(pg_live_ctx *x)
{
    PGresult *r = pg_live_query(x, "columns",
        "SELECT c.oid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), "
        " a.attnotnull, CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, 0) "
        "   ELSE pg_get_expr(ad.adbin, ad.adrelid) END, a.attidentity, a.attgenerated, "
        " CASE WHEN a.attcollation <> t.typcollation THEN co.collname END "
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_type t ON t.oid = a.atttypid "
        "LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum "
        "LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> t.typcollation "
        "WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND "
        PGL_NS_FILTER("n") " AND " PGL_NOT_EXT("pg_class", "c.oid") " ORDER BY c.oid, a.attnum");
    if (!r)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        pg_live_rel *rel = pg_live_rel_get(x, pg_live_get(r, i, 0));
        if (!rel)
            continue;
        cat_column *c = catalog_column_add(x->cat, rel->table, pg_live_get(r, i, 2), x->loc);
        long long attnum = pg_live_int(r, i, 1);
        while ((long long)rel->att.n <= attnum)
            VEC_PUSH(&x->tmp, rel->att, NULL);
        rel->att.v[attnum] = c;
        c->type = pg_live_str(x, r, i, 3);
        c->not_null = pg_live_bool(r, i, 4);
        const char *def = pg_live_str(x, r, i, 5);
        const char *ident = pg_live_get(r, i, 6);
        const char *gen = pg_live_get(r, i, 7);
        c->identity = ident && *ident ? *ident : 0;
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

/* Table and column comments in one pass over pg_description (a probe per
 * table or column costs more than the column query itself on big
 * catalogs); tables not read (filtered, extension members) are skipped. */
int pg_live_read_column_comments(pg_live_ctx *x)
{
    PGresult *r = pg_live_query(x, "table comments",
        "SELECT d.objoid, d.objsubid, d.description FROM pg_description d "
        "WHERE d.classoid = 'pg_class'::regclass AND ($1::text[] IS NULL OR true) "
        "ORDER BY d.objoid, d.objsubid");
    if (!r)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        pg_live_rel *rel = pg_live_rel_get(x, pg_live_get(r, i, 0));
        if (!rel)
            continue;
        long long sub = pg_live_int(r, i, 1);
        if (sub == 0) {
            rel->table->comment = pg_live_str(x, r, i, 2);
        } else if (sub > 0 && (size_t)sub < rel->att.n && rel->att.v[sub]) {
            rel->att.v[sub]->comment = pg_live_str(x, r, i, 2);
        }
    }
    PQclear(r);
    return 0;
}

/* ---- identity options ------------------------------------------------------- */

/* Maximum of an identity sequence type (smallint, integer, else bigint). */
static int64_t type_max(const char *type)
{
    if (type && !strcmp(type, "smallint"))
        return 32767;
    if (type && !strcmp(type, "integer"))
        return 2147483647LL;
    return INT64_MAX;
}

typedef struct seq_opts {
    const char *type;
    int64_t inc, min, max, start, cache;
    bool cycle;
} seq_opts;

/* docs/CONTRACTS.md: the non-default options in fixed order, NULL if none.
 * MINVALUE/MAXVALUE are compared with the ascending defaults (1, type max)
 * like the file reader does; START WITH with min (ascending) / max. */
static const char *identity_options(pg_live_ctx *x, const seq_opts *o)
{
    strbuf sb = STRBUF_INIT;
    if (o->inc != 1)
        strbuf_addf(&sb, " INCREMENT BY %lld", (long long)o->inc);
    if (o->min != 1)
        strbuf_addf(&sb, " MINVALUE %lld", (long long)o->min);
    if (o->max != type_max(o->type))
        strbuf_addf(&sb, " MAXVALUE %lld", (long long)o->max);
    if (o->start != (o->inc > 0 ? o->min : o->max))
        strbuf_addf(&sb, " START WITH %lld", (long long)o->start);
    if (o->cache != 1)
        strbuf_addf(&sb, " CACHE %lld", (long long)o->cache);
    if (o->cycle)
        strbuf_adds(&sb, " CYCLE");
    const char *out = sb.len ? arena_strdup(&x->cat->mem, strbuf_str(&sb) + 1) : NULL;
    strbuf_release(&sb);
    return out;
}

/* Identity sequences: pg_depend deptype 'i' from the sequence to the column. */
int pg_live_read_identity_options(pg_live_ctx *x)
{
    PGresult *r = pg_live_query(x, "identity sequences",
        "SELECT d.refobjid, d.refobjsubid, format_type(s.seqtypid, NULL), s.seqincrement, "
        " s.seqmin, s.seqmax, s.seqstart, s.seqcache, s.seqcycle "
        "FROM pg_depend d JOIN pg_sequence s ON s.seqrelid = d.objid "
        "WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass "
        " AND d.deptype = 'i' AND d.refobjsubid > 0 AND ($1::text[] IS NULL OR true) "
        "ORDER BY d.refobjid");
    if (!r)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        pg_live_rel *rel = pg_live_rel_get(x, pg_live_get(r, i, 0));
        long long sub = pg_live_int(r, i, 1);
        if (!rel || sub <= 0 || (size_t)sub >= rel->att.n || !rel->att.v[sub] ||
            !rel->att.v[sub]->identity)
            continue;
        seq_opts o = {pg_live_get(r, i, 2), pg_live_int(r, i, 3), pg_live_int(r, i, 4),
                      pg_live_int(r, i, 5), pg_live_int(r, i, 6), pg_live_int(r, i, 7),
                      pg_live_bool(r, i, 8)};
        rel->att.v[sub]->identity_options = identity_options(x, &o);
    }
    PQclear(r);
    return 0;
}

/* ---- constraints ------------------------------------------------------------- */

/* attribute names of an int2[] of attnums on relation `rel`, in array order
 * (only for FK targets outside the tables read, see below) */
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

/* Column names come from the column map (conkey / confkey / indkey attnums);
 * the server spells out names only for FK targets that were not read
 * (another schema under --schema, extension tables). */
static const char constraints_sql[] =
    "SELECT co.conrelid, co.conname, co.contype, co.conkey, "
    " CASE WHEN co.contype = 'c' THEN pg_get_expr(co.conbin, co.conrelid) END, "
    " rn.nspname, rc.relname, co.confrelid, co.confkey, "
    " CASE WHEN co.contype = 'f' AND NOT (" PGL_NS_FILTER("rn") " AND "
    PGL_NOT_EXT("pg_class", "rc.oid") ") THEN " ATTNAMES("co.confkey", "co.confrelid") " END, "
    " co.confdeltype, co.confupdtype, co.confmatchtype, co.condeferrable, co.condeferred, "
    " NOT co.convalidated, co.connoinherit, am.amname, "
    " CASE WHEN co.contype = 'x' THEN pg_get_constraintdef(co.oid) END, "
    " coalesce(i.indnullsnotdistinct, false), "
    " CASE WHEN i.indnatts > i.indnkeyatts THEN (i.indkey::int2[])[i.indnkeyatts:] END, "
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
    PGL_NS_FILTER("n") " AND " PGL_NOT_EXT("pg_class", "c.oid") " ORDER BY co.conrelid, co.conname";

static void constraint_fk(pg_live_ctx *x, cat_constraint *con, const PGresult *r, int i)
{
    con->ref_schema = pg_live_str(x, r, i, 5);
    con->ref_table = pg_live_str(x, r, i, 6);
    pg_live_rel *ref = pg_live_rel_get(x, pg_live_get(r, i, 7));
    if (!pg_live_attnames(x, ref, pg_live_get(r, i, 8), &con->ref_columns))
        pg_live_array(x, pg_live_get(r, i, 9), &con->ref_columns);
    con->on_delete = pg_live_get(r, i, 10)[0];
    con->on_update = pg_live_get(r, i, 11)[0];
    con->match = pg_live_get(r, i, 12)[0];
}

static void constraint_row(pg_live_ctx *x, pg_live_rel *rel, const PGresult *r, int i)
{
    char kind = pg_live_get(r, i, 2)[0];
    cat_constraint *con = catalog_constraint_add(x->cat, rel->table, (cat_con_kind)kind,
                                                 pg_live_get(r, i, 1), x->loc);
    if (kind != CON_CHECK) /* file readers cannot know conkey of a CHECK */
        pg_live_attnames(x, rel, pg_live_get(r, i, 3), &con->columns);
    con->expr = pg_live_str(x, r, i, 4);
    con->expr_norm = pg_live_norm(x, con->expr);
    if (kind == CON_FOREIGN)
        constraint_fk(x, con, r, i);
    con->deferrable = pg_live_bool(r, i, 13);
    con->initially_deferred = pg_live_bool(r, i, 14);
    con->not_valid = pg_live_bool(r, i, 15);
    con->no_inherit = kind == CON_CHECK && pg_live_bool(r, i, 16);
    if (kind == CON_EXCLUDE) {
        con->using_method = pg_live_str(x, r, i, 17);
        exclude_elems(x, con, pg_live_get(r, i, 18));
        con->where_norm = pg_live_norm(x, pg_live_get(r, i, 21));
    }
    con->nulls_not_distinct = pg_live_bool(r, i, 19);
    pg_live_attnames(x, rel, pg_live_get(r, i, 20), &con->include_columns);
    con->comment = pg_live_str(x, r, i, 22);
}

int pg_live_read_constraints(pg_live_ctx *x)
{
    PGresult *r = pg_live_query(x, "constraints", constraints_sql);
    if (!r)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        pg_live_rel *rel = pg_live_rel_get(x, pg_live_get(r, i, 0));
        if (rel)
            constraint_row(x, rel, r, i);
    }
    PQclear(r);
    return 0;
}
