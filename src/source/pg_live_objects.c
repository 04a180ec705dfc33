/*
 * pg_live_objects.c — the live PostgreSQL reader, object kinds other than
 * tables: indexes, enums, domains, composite types, sequences, views and
 * materialized views, functions and procedures, triggers, policies,
 * extensions and grants.  One catalog query per kind (see pg_live.c).
 */
#include <stdlib.h>
#include <string.h>

#include "catalog/normalize.h"
#include "source/pg_live_int.h"
#include "util/strbuf.h"

/* ---- indexes ----------------------------------------------------------------- */

/* one row per index column (key or INCLUDE), grouped by index */
static const char indexes_sql[] =
    "SELECT n.nspname, t.relname, t.relkind, ic.relname, am.amname, i.indisunique, "
    " i.indnullsnotdistinct, CASE WHEN g.k = 0 THEN pg_get_expr(i.indpred, i.indrelid, true) END, "
    " CASE WHEN g.k = 0 THEN " PGL_COMMENT("ic.oid", "pg_class", "0") " END, "
    " ic.oid, g.k < i.indnkeyatts, "
    " (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = i.indrelid "
    "   AND a.attnum = i.indkey[g.k] AND i.indkey[g.k] <> 0), "
    " CASE WHEN i.indkey[g.k] = 0 THEN pg_get_indexdef(i.indexrelid, g.k + 1, true) END, "
    " i.indoption[g.k], "
    " CASE WHEN g.k < i.indnkeyatts AND i.indcollation[g.k] <> 0 AND i.indcollation[g.k] <> "
    "   coalesce((SELECT a.attcollation FROM pg_attribute a WHERE a.attrelid = i.indrelid "
    "     AND a.attnum = i.indkey[g.k] AND i.indkey[g.k] <> 0), ot.typcollation) "
    "   THEN co.collname END, "
    " CASE WHEN g.k < i.indnkeyatts AND NOT op.opcdefault THEN op.opcname END "
    "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
    "JOIN pg_class t ON t.oid = i.indrelid "
    "JOIN pg_namespace n ON n.oid = t.relnamespace "
    "JOIN pg_am am ON am.oid = ic.relam "
    "CROSS JOIN LATERAL generate_series(0, i.indnatts - 1) g(k) "
    "LEFT JOIN pg_opclass op ON op.oid = i.indclass[g.k] "
    "LEFT JOIN pg_type ot ON ot.oid = op.opcintype "
    "LEFT JOIN pg_collation co ON co.oid = i.indcollation[g.k] "
    "WHERE t.relkind IN ('r', 'p', 'm') AND NOT EXISTS (SELECT 1 FROM pg_constraint x "
    " WHERE x.conindid = i.indexrelid AND x.conrelid = i.indrelid "
    " AND x.contype IN ('p', 'u', 'x')) AND NOT EXISTS (SELECT 1 FROM pg_inherits ih "
    " WHERE ih.inhrelid = i.indexrelid) AND "
    PGL_NS_FILTER("n") " AND " PGL_NOT_EXT("pg_class", "t.oid") " ORDER BY ic.oid, g.k";

static cat_index *index_begin(pg_live_ctx *x, const PGresult *r, int i)
{
    const char *schema = pg_live_get(r, i, 0), *rel = pg_live_get(r, i, 1);
    const char *name = pg_live_get(r, i, 3);
    cat_index *ix = NULL;
    if (pg_live_get(r, i, 2)[0] == 'm') {
        cat_view *v = catalog_view_find(x->cat, schema, rel);
        if (v)
            ix = catalog_matview_index_add(x->cat, v, name, x->loc);
    } else {
        cat_table *t = pg_live_table(x, schema, rel);
        if (t)
            ix = catalog_index_add(x->cat, t, name, x->loc);
    }
    if (!ix)
        return NULL;
    ix->method = pg_live_str(x, r, i, 4);
    ix->unique = pg_live_bool(r, i, 5);
    ix->nulls_not_distinct = pg_live_bool(r, i, 6);
    ix->where_expr = pg_live_str(x, r, i, 7);
    ix->where_norm = pg_live_norm(x, ix->where_expr);
    ix->comment = pg_live_str(x, r, i, 8);
    return ix;
}

static void index_elem(pg_live_ctx *x, cat_index *ix, const PGresult *r, int i)
{
    const char *col = pg_live_get(r, i, 11);
    if (!pg_live_bool(r, i, 10)) {
        if (col)
            VEC_PUSH(&x->cat->mem, ix->include_columns, arena_strdup(&x->cat->mem, col));
        return;
    }
    cat_index_elem e = {0};
    if (col) {
        e.column = arena_strdup(&x->cat->mem, col);
    } else {
        e.expr = pg_live_str(x, r, i, 12);
        e.expr_norm = pg_live_norm(x, e.expr);
    }
    long long opt = pg_live_int(r, i, 13);
    e.desc = (opt & 1) != 0;
    bool nulls_first = (opt & 2) != 0;
    if (nulls_first != e.desc)
        e.nulls = nulls_first ? 'f' : 'l';
    e.collation = pg_live_str(x, r, i, 14);
    e.opclass = pg_live_str(x, r, i, 15);
    VEC_PUSH(&x->cat->mem, ix->elems, e);
}

int pg_live_read_indexes(pg_live_ctx *x)
{
    PGresult *r = pg_live_query(x, "indexes", indexes_sql);
    if (!r)
        return -1;
    const char *cur_oid = NULL;
    cat_index *ix = NULL;
    for (int i = 0; i < PQntuples(r); i++) {
        const char *oid = pg_live_get(r, i, 9);
        if (!cur_oid || strcmp(cur_oid, oid)) {
            cur_oid = oid;
            ix = index_begin(x, r, i);
        }
        if (ix)
            index_elem(x, ix, r, i);
    }
    PQclear(r);
    return 0;
}

/* ---- types ----------------------------------------------------------------------- */

int pg_live_read_enums(pg_live_ctx *x)
{
    PGresult *r = pg_live_query(x, "enums",
        "SELECT n.nspname, t.typname, ARRAY(SELECT e.enumlabel FROM pg_enum e "
        "  WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder), " PGL_COMMENT("t.oid", "pg_type", "0") " "
        "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
        "WHERE t.typtype = 'e' AND " PGL_NS_FILTER("n") " AND " PGL_NOT_EXT("pg_type", "t.oid")
        " ORDER BY 1, 2");
    if (!r)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        cat_enum *e = catalog_enum_add(x->cat, pg_live_get(r, i, 0), pg_live_get(r, i, 1), x->loc);
        pg_live_array(x, pg_live_get(r, i, 2), &e->labels);
        e->comment = pg_live_str(x, r, i, 3);
    }
    PQclear(r);
    return 0;
}

int pg_live_read_domains(pg_live_ctx *x)
{
    PGresult *r = pg_live_query(x, "domains",
        "SELECT n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod), "
        " pg_get_expr(t.typdefaultbin, 0), t.typnotnull, "
        " CASE WHEN t.typcollation <> bt.typcollation THEN co.collname END, " PGL_COMMENT("t.oid", "pg_type", "0") ", "
        " ARRAY(SELECT c.conname FROM pg_constraint c WHERE c.contypid = t.oid "
        "   AND c.contype = 'c' ORDER BY c.oid), "
        " ARRAY(SELECT pg_get_expr(c.conbin, 0) FROM pg_constraint c WHERE c.contypid = t.oid "
        "   AND c.contype = 'c' ORDER BY c.oid) "
        "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
        "JOIN pg_type bt ON bt.oid = t.typbasetype "
        "LEFT JOIN pg_collation co ON co.oid = t.typcollation "
        "WHERE t.typtype = 'd' AND " PGL_NS_FILTER("n") " AND " PGL_NOT_EXT("pg_type", "t.oid")
        " ORDER BY 1, 2");
    if (!r)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        cat_domain *dm = catalog_domain_add(x->cat, pg_live_get(r, i, 0), pg_live_get(r, i, 1), x->loc);
        dm->base_type = pg_live_str(x, r, i, 2);
        dm->default_expr = pg_live_str(x, r, i, 3);
        dm->default_norm = pg_live_norm(x, dm->default_expr);
        dm->not_null = pg_live_bool(r, i, 4);
        dm->collation = pg_live_str(x, r, i, 5);
        dm->comment = pg_live_str(x, r, i, 6);
        strvec names = {0}, exprs = {0};
        pg_live_array(x, pg_live_get(r, i, 7), &names);
        pg_live_array(x, pg_live_get(r, i, 8), &exprs);
        for (size_t k = 0; k < names.n && k < exprs.n; k++) {
            cat_domain_check ck = {names.v[k], exprs.v[k], pg_live_norm(x, exprs.v[k])};
            VEC_PUSH(&x->cat->mem, dm->checks, ck);
        }
    }
    PQclear(r);
    return 0;
}

int pg_live_read_composites(pg_live_ctx *x)
{
    PGresult *r = pg_live_query(x, "composite types",
        "SELECT n.nspname, t.typname, "
        " ARRAY(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = t.typrelid "
        "   AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum), "
        " ARRAY(SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
        "   WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped "
        "   ORDER BY a.attnum), " PGL_COMMENT("t.oid", "pg_type", "0") " "
        "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
        "JOIN pg_class c ON c.oid = t.typrelid "
        "WHERE t.typtype = 'c' AND c.relkind = 'c' AND " PGL_NS_FILTER("n") " AND "
        PGL_NOT_EXT("pg_type", "t.oid") " ORDER BY 1, 2");
    if (!r)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        cat_composite *ct = catalog_composite_add(x->cat, pg_live_get(r, i, 0),
                                                  pg_live_get(r, i, 1), x->loc);
        strvec names = {0}, types = {0};
        pg_live_array(x, pg_live_get(r, i, 2), &names);
        pg_live_array(x, pg_live_get(r, i, 3), &types);
        for (size_t k = 0; k < names.n && k < types.n; k++) {
            cat_composite_attr at = {names.v[k], types.v[k], NULL};
            VEC_PUSH(&x->cat->mem, ct->attrs, at);
        }
        ct->comment = pg_live_str(x, r, i, 4);
    }
    PQclear(r);
    return 0;
}

/* ---- sequences --------------------------------------------------------------------- */

int pg_live_read_sequences(pg_live_ctx *x)
{
    PGresult *r = pg_live_query(x, "sequences",
        "SELECT n.nspname, c.relname, format_type(s.seqtypid, NULL), s.seqstart, "
        " s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle, own.relname, "
        " own.attname, " PGL_COMMENT("c.oid", "pg_class", "0") " "
        "FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN LATERAL (SELECT tc.relname, ta.attname FROM pg_depend dp "
        "   JOIN pg_class tc ON tc.oid = dp.refobjid "
        "   JOIN pg_attribute ta ON ta.attrelid = dp.refobjid AND ta.attnum = dp.refobjsubid "
        "   WHERE dp.classid = 'pg_class'::regclass AND dp.objid = c.oid "
        "   AND dp.refclassid = 'pg_class'::regclass AND dp.deptype = 'a' LIMIT 1) own ON true "
                "WHERE NOT EXISTS (SELECT 1 FROM pg_depend dp WHERE dp.classid = 'pg_class'::regclass "
        " AND dp.objid = c.oid AND dp.deptype = 'i') AND " PGL_NS_FILTER("n") " AND "
        PGL_NOT_EXT("pg_class", "c.oid") " ORDER BY 1, 2");
    if (!r)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        cat_sequence *s = catalog_sequence_add(x->cat, pg_live_get(r, i, 0), pg_live_get(r, i, 1),
                                               x->loc);
        s->type = pg_live_str(x, r, i, 2);
        s->start = pg_live_int(r, i, 3);
        s->increment = pg_live_int(r, i, 4);
        s->min_value = pg_live_int(r, i, 5);
        s->max_value = pg_live_int(r, i, 6);
        s->cache = pg_live_int(r, i, 7);
        s->cycle = pg_live_bool(r, i, 8);
        s->owned_by_table = pg_live_str(x, r, i, 9);
        s->owned_by_column = pg_live_str(x, r, i, 10);
        s->comment = pg_live_str(x, r, i, 11);
    }
    PQclear(r);
    return 0;
}

/* ---- views --------------------------------------------------------------------- */

/* pg_get_viewdef text without surrounding blanks and the trailing ';' */
static const char *trim_viewdef(pg_live_ctx *x, const char *def)
{
    if (!def)
        return NULL;
    while (*def == ' ' || *def == '\n' || *def == '\t')
        def++;
    size_t n = strlen(def);
    while (n && (def[n - 1] == ' ' || def[n - 1] == '\n' || def[n - 1] == '\t' || def[n - 1] == ';'))
        n--;
    return arena_strndup(&x->cat->mem, def, n);
}

static void view_options(cat_view *v, const strvec *opts)
{
    for (size_t k = 0; k < opts->n; k++) {
        const char *o = opts->v[k];
        if (!o)
            continue;
        if (!strncmp(o, "check_option=", 13))
            v->check_option = !strcmp(o + 13, "cascaded") ? "CASCADED" : "LOCAL";
        else if (!strcmp(o, "security_barrier=true") || !strcmp(o, "security_barrier=on"))
            v->security_barrier = true;
        else if (!strcmp(o, "security_invoker=true") || !strcmp(o, "security_invoker=on"))
            v->security_invoker = true;
    }
}

int pg_live_read_views(pg_live_ctx *x)
{
    PGresult *r = pg_live_query(x, "views",
        "SELECT n.nspname, c.relname, c.relkind = 'm', pg_get_viewdef(c.oid, true), "
        " c.reloptions, " PGL_COMMENT("c.oid", "pg_class", "0") ", "
        " ARRAY(SELECT DISTINCT rn.nspname || '.' || rc.relname FROM pg_rewrite rw "
        "   JOIN pg_depend dp ON dp.classid = 'pg_rewrite'::regclass AND dp.objid = rw.oid "
        "   JOIN pg_class rc ON rc.oid = dp.refobjid AND dp.refclassid = 'pg_class'::regclass "
        "   JOIN pg_namespace rn ON rn.oid = rc.relnamespace "
        "   WHERE rw.ev_class = c.oid AND rc.oid <> c.oid ORDER BY 1) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind IN ('v', 'm') AND " PGL_NS_FILTER("n") " AND "
        PGL_NOT_EXT("pg_class", "c.oid") " ORDER BY 1, 2");
    if (!r)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        cat_view *v = catalog_view_add(x->cat, pg_live_get(r, i, 0), pg_live_get(r, i, 1),
                                       pg_live_bool(r, i, 2), x->loc);
        v->definition = trim_viewdef(x, pg_live_get(r, i, 3));
        const char *norm = v->definition ? normalize_pg_query(&x->cat->mem, v->definition) : NULL;
        v->definition_norm = norm ? norm : v->definition;
        strvec opts = {0};
        pg_live_array(x, pg_live_get(r, i, 4), &opts);
        view_options(v, &opts);
        v->comment = pg_live_str(x, r, i, 5);
        pg_live_array(x, pg_live_get(r, i, 6), &v->depends_on);
    }
    PQclear(r);
    return 0;
}

/* ---- extensions ------------------------------------------------------------------ */

int pg_live_read_extensions(pg_live_ctx *x)
{
    PGresult *r = pg_live_query(x, "extensions",
        "SELECT e.extname, n.nspname FROM pg_extension e "
        "JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname <> 'plpgsql' AND ($1::text[] IS NULL OR true) ORDER BY 1");
    if (!r)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        cat_extension *e = catalog_extension_add(x->cat, pg_live_get(r, i, 0), x->loc);
        e->schema = pg_live_str(x, r, i, 1);
    }
    PQclear(r);
    return 0;
}
