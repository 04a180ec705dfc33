/*
 * pg_live_routines.c — the live PostgreSQL reader: functions and
 * procedures, triggers, row-level security policies and grants (one
 * catalog query per kind, see pg_live.c).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "source/pg_live_int.h"
#include "util/strbuf.h"

/* ---- functions ---------------------------------------------------------------------- */

/* Defaults (pg_get_expr(proargdefaults) list) belong to the last input args. */
static void function_defaults(pg_live_ctx *x, cat_function *fn, const char *list)
{
    if (!list)
        return;
    strvec defs = {0};
    pg_live_split_top(&x->cat->mem, list, strlen(list), &defs);
    size_t k = defs.n;
    for (size_t i = fn->args.n; i-- > 0 && k > 0;) {
        cat_func_arg *a = &fn->args.v[i];
        if (a->mode == 'o' || a->mode == 't')
            continue;
        k--;
        a->default_expr = defs.v[k];
        a->default_norm = pg_live_norm(x, defs.v[k]);
    }
}

static void function_args(pg_live_ctx *x, cat_function *fn, const PGresult *r, int i)
{
    strvec names = {0}, modes = {0}, types = {0};
    pg_live_array(x, pg_live_get(r, i, 3), &names);
    pg_live_array(x, pg_live_get(r, i, 4), &modes);
    pg_live_array(x, pg_live_get(r, i, 5), &types);
    for (size_t k = 0; k < types.n; k++) {
        cat_func_arg a = {0};
        a.type = types.v[k];
        a.mode = k < modes.n && modes.v[k] ? modes.v[k][0] : 'i';
        if (k < names.n && names.v[k] && *names.v[k])
            a.name = names.v[k];
        VEC_PUSH(&x->cat->mem, fn->args, a);
    }
    function_defaults(x, fn, pg_live_get(r, i, 6));
}

int pg_live_read_functions(pg_live_ctx *x)
{
    PGresult *r = pg_live_query(x, "functions",
        "SELECT n.nspname, p.proname, p.prokind = 'p', p.proargnames, p.proargmodes, "
        " ARRAY(SELECT format_type(t.typ, NULL) FROM unnest(coalesce(p.proallargtypes, "
        "   p.proargtypes::oid[])) WITH ORDINALITY t(typ, ord) ORDER BY t.ord), "
        " pg_get_expr(p.proargdefaults, 0), "
        " CASE WHEN p.prokind = 'f' THEN pg_get_function_result(p.oid) END, l.lanname, "
        " p.prosrc, p.provolatile, p.proisstrict, p.prosecdef, p.proleakproof, p.proparallel, "
        " " PGL_COMMENT("p.oid", "pg_proc", "0") " "
        "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "JOIN pg_language l ON l.oid = p.prolang "
                "WHERE p.prokind IN ('f', 'p') AND " PGL_NS_FILTER("n") " AND "
        PGL_NOT_EXT("pg_proc", "p.oid") " ORDER BY 1, 2, p.oid");
    if (!r)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        cat_function *fn = catalog_function_add(x->cat, pg_live_get(r, i, 0), pg_live_get(r, i, 1),
                                                pg_live_bool(r, i, 2), x->loc);
        function_args(x, fn, r, i);
        catalog_function_set_signature(x->cat, fn);
        fn->returns = pg_live_str(x, r, i, 7);
        fn->language = pg_live_str(x, r, i, 8);
        catalog_function_set_body(x->cat, fn, pg_live_get(r, i, 9));
        fn->volatility = pg_live_get(r, i, 10)[0];
        fn->strict = pg_live_bool(r, i, 11);
        fn->security_definer = pg_live_bool(r, i, 12);
        fn->leakproof = pg_live_bool(r, i, 13);
        fn->parallel = pg_live_get(r, i, 14)[0];
        fn->comment = pg_live_str(x, r, i, 15);
    }
    PQclear(r);
    return 0;
}

/* ---- triggers ----------------------------------------------------------------------- */

enum { TG_ROW = 1, TG_BEFORE = 2, TG_INSERT = 4, TG_DELETE = 8, TG_UPDATE = 16,
       TG_TRUNCATE = 32, TG_INSTEAD = 64 };

static void trigger_type(pg_live_ctx *x, cat_trigger *tg, long long type)
{
    tg->timing = (type & TG_BEFORE) ? "BEFORE" : (type & TG_INSTEAD) ? "INSTEAD OF" : "AFTER";
    tg->for_each_row = (type & TG_ROW) != 0;
    static const struct { int bit; const char *name; } ev[] = {
        {TG_INSERT, "INSERT"}, {TG_UPDATE, "UPDATE"}, {TG_DELETE, "DELETE"}, {TG_TRUNCATE, "TRUNCATE"}};
    for (size_t k = 0; k < sizeof ev / sizeof ev[0]; k++)
        if (type & ev[k].bit)
            VEC_PUSH(&x->cat->mem, tg->events, ev[k].name);
}

/* "... FOR EACH ROW WHEN (cond) EXECUTE FUNCTION ..." -> cond */
static const char *trigger_when(pg_live_ctx *x, const char *def)
{
    const char *each = def ? strstr(def, " FOR EACH ") : NULL;
    const char *w = each ? strstr(each, " WHEN (") : NULL;
    const char *exec = each ? strstr(each, " EXECUTE ") : NULL;
    if (!w || (exec && exec < w))
        return NULL;
    size_t open = (size_t)(w - def) + 6;
    size_t close = pg_live_match_paren(def, open);
    if (close == (size_t)-1)
        return NULL;
    return arena_strndup(&x->cat->mem, def + open + 1, close - open - 1);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* tgargs bytea in hex output (\x...): NUL-terminated arguments */
static void trigger_args(pg_live_ctx *x, cat_trigger *tg, const char *hex, long long nargs)
{
    if (!hex || hex[0] != '\\' || hex[1] != 'x' || nargs <= 0)
        return;
    strbuf sb = STRBUF_INIT;
    for (const char *p = hex + 2; p[0] && p[1]; p += 2) {
        int hi = hexval(p[0]), lo = hexval(p[1]);
        if (hi < 0 || lo < 0)
            break;
        char c = (char)(hi * 16 + lo);
        if (c) {
            strbuf_addch(&sb, c);
            continue;
        }
        if ((long long)tg->function_args.n < nargs)
            VEC_PUSH(&x->cat->mem, tg->function_args, arena_strdup(&x->cat->mem, strbuf_str(&sb)));
        strbuf_reset(&sb);
    }
    strbuf_release(&sb);
}

/* the trigger on its table, or on its view (INSTEAD OF triggers) */
static cat_trigger *trigger_add(pg_live_ctx *x, const PGresult *r, int i)
{
    const char *schema = pg_live_get(r, i, 0), *rel = pg_live_get(r, i, 1);
    const char *name = pg_live_get(r, i, 2);
    if (pg_live_get(r, i, 14)[0] == 'v') {
        cat_view *v = catalog_view_find(x->cat, schema, rel);
        return v ? catalog_view_trigger_add(x->cat, v, name, x->loc) : NULL;
    }
    cat_table *t = pg_live_table(x, schema, rel);
    return t ? catalog_trigger_add(x->cat, t, name, x->loc) : NULL;
}

int pg_live_read_triggers(pg_live_ctx *x)
{
    PGresult *r = pg_live_query(x, "triggers",
        "SELECT n.nspname, c.relname, tg.tgname, tg.tgtype, "
        " ARRAY(SELECT a.attname FROM unnest(tg.tgattr::int2[]) WITH ORDINALITY k(num, ord) "
        "   JOIN pg_attribute a ON a.attrelid = tg.tgrelid AND a.attnum = k.num ORDER BY k.ord), "
        " pg_get_triggerdef(tg.oid, true), fn.nspname, p.proname, tg.tgargs, tg.tgnargs, "
        " tg.tgconstraint <> 0, tg.tgdeferrable, tg.tginitdeferred, " PGL_COMMENT("tg.oid", "pg_trigger", "0") ", "
        " c.relkind "
        "FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_proc p ON p.oid = tg.tgfoid JOIN pg_namespace fn ON fn.oid = p.pronamespace "
        "WHERE NOT tg.tgisinternal AND tg.tgparentid = 0 AND c.relkind IN ('r', 'p', 'v') AND "
        PGL_NS_FILTER("n") " AND " PGL_NOT_EXT("pg_class", "c.oid") " ORDER BY c.oid, tg.tgname");
    if (!r)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        cat_trigger *tg = trigger_add(x, r, i);
        if (!tg)
            continue;
        trigger_type(x, tg, pg_live_int(r, i, 3));
        pg_live_array(x, pg_live_get(r, i, 4), &tg->update_columns);
        tg->when_expr = trigger_when(x, pg_live_get(r, i, 5));
        tg->when_norm = pg_live_norm(x, tg->when_expr);
        tg->function_schema = pg_live_str(x, r, i, 6);
        tg->function_name = pg_live_str(x, r, i, 7);
        trigger_args(x, tg, pg_live_get(r, i, 8), pg_live_int(r, i, 9));
        tg->constraint_trigger = pg_live_bool(r, i, 10);
        tg->deferrable = pg_live_bool(r, i, 11);
        tg->initially_deferred = pg_live_bool(r, i, 12);
        tg->comment = pg_live_str(x, r, i, 13);
    }
    PQclear(r);
    return 0;
}

/* ---- policies ------------------------------------------------------------------------ */

static const char *policy_command(char c)
{
    switch (c) {
    case 'r': return "SELECT";
    case 'a': return "INSERT";
    case 'w': return "UPDATE";
    case 'd': return "DELETE";
    default: return "ALL";
    }
}

static int strcmp_p(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int pg_live_read_policies(pg_live_ctx *x)
{
    PGresult *r = pg_live_query(x, "policies",
        "SELECT n.nspname, c.relname, p.polname, p.polpermissive, p.polcmd, "
        " ARRAY(SELECT CASE WHEN ro = 0 THEN 'public' ELSE pg_get_userbyid(ro) END "
        "   FROM unnest(p.polroles) ro), "
        " pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid), "
        " " PGL_COMMENT("p.oid", "pg_policy", "0") " "
        "FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'p') AND " PGL_NS_FILTER("n") " AND "
        PGL_NOT_EXT("pg_class", "c.oid") " ORDER BY c.oid, p.polname");
    if (!r)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        cat_table *t = pg_live_table(x, pg_live_get(r, i, 0), pg_live_get(r, i, 1));
        if (!t)
            continue;
        cat_policy *p = catalog_policy_add(x->cat, t, pg_live_get(r, i, 2), x->loc);
        p->permissive = pg_live_bool(r, i, 3);
        p->command = policy_command(pg_live_get(r, i, 4)[0]);
        pg_live_array(x, pg_live_get(r, i, 5), &p->roles);
        if (p->roles.n > 1)
            qsort(p->roles.v, p->roles.n, sizeof(char *), strcmp_p);
        p->using_expr = pg_live_str(x, r, i, 6);
        p->using_norm = pg_live_norm(x, p->using_expr);
        p->check_expr = pg_live_str(x, r, i, 7);
        p->check_norm = pg_live_norm(x, p->check_expr);
        p->comment = pg_live_str(x, r, i, 8);
    }
    PQclear(r);
    return 0;
}

/* ---- grants ------------------------------------------------------------------------------ */

#define GRANTEE "CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(g.grantee) END"

/* (kind, schema, object, column, grantee, privilege, grantable); owner's own
 * privileges and PUBLIC EXECUTE on functions (the default) left out */
static const char grants_sql[] =
    "SELECT CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view' "
    "  WHEN 'm' THEN 'view' ELSE 'table' END, n.nspname, c.relname, NULL::name, "
    " " GRANTEE ", g.privilege_type, g.is_grantable "
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "CROSS JOIN LATERAL aclexplode(c.relacl) g "
    "WHERE c.relacl IS NOT NULL AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
    " AND g.grantee <> c.relowner AND " PGL_NS_FILTER("n") " AND " PGL_NOT_EXT("pg_class", "c.oid") " "
    "UNION ALL "
    "SELECT 'table', n.nspname, c.relname, a.attname, " GRANTEE ", g.privilege_type, "
    " g.is_grantable FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
    "JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN LATERAL aclexplode(a.attacl) g "
    "WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped "
    " AND g.grantee <> c.relowner AND " PGL_NS_FILTER("n") " AND " PGL_NOT_EXT("pg_class", "c.oid") " "
    "UNION ALL "
    "SELECT 'function', n.nspname, p.proname || '(' || array_to_string(ARRAY("
    "   SELECT format_type(t.typ, NULL) FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY "
    "   t(typ, ord) ORDER BY t.ord), ', ') || ')', NULL, " GRANTEE ", g.privilege_type, "
    " g.is_grantable FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
    "CROSS JOIN LATERAL aclexplode(p.proacl) g "
    "WHERE p.proacl IS NOT NULL AND g.grantee <> p.proowner "
    " AND NOT (g.grantee = 0 AND g.privilege_type = 'EXECUTE') AND "
    PGL_NS_FILTER("n") " AND " PGL_NOT_EXT("pg_proc", "p.oid") " "
    "UNION ALL "
    "SELECT 'schema', NULL, n.nspname, NULL, " GRANTEE ", g.privilege_type, "
    " g.is_grantable FROM pg_namespace n CROSS JOIN LATERAL aclexplode(n.nspacl) g "
    "WHERE n.nspacl IS NOT NULL AND g.grantee <> n.nspowner "
    " AND NOT (n.nspname = 'public' AND g.grantee = 0 AND g.privilege_type = 'USAGE') AND "
    PGL_NS_FILTER("n") " AND " PGL_NOT_EXT("pg_namespace", "n.oid") " "
    "ORDER BY 1, 2, 3, 4, 5, 6";

int pg_live_read_grants(pg_live_ctx *x)
{
    PGresult *r = pg_live_query(x, "grants", grants_sql);
    if (!r)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        cat_grant *g = catalog_grant_add(x->cat, x->loc);
        g->object_kind = pg_live_str(x, r, i, 0);
        g->schema = pg_live_str(x, r, i, 1);
        g->object = pg_live_str(x, r, i, 2);
        g->column = pg_live_str(x, r, i, 3);
        g->grantee = pg_live_str(x, r, i, 4);
        g->privilege = pg_live_str(x, r, i, 5);
        g->with_grant_option = pg_live_bool(r, i, 6);
    }
    PQclear(r);
    return 0;
}
