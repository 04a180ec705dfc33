/*
 * pg_sql_objects.c — non-table objects of the PostgreSQL SQL reader: enums,
 * composite types, domains, sequences, views, materialized views,
 * functions/procedures, triggers, policies and extensions.
 */
#include "source/pg_sql_util.h"

#include <stdlib.h>
#include <string.h>

#include "catalog/normalize.h"
#include "util/strbuf.h"

/* ---- types ------------------------------------------------------------------ */

static const char *create_type_schema(pgr *r, const char *schema, const char *name)
{
    const char *s = pgu_create_schema(r, schema);
    if (s && pgu_type_exists(r, s, name)) {
        diag_error(r->diags, r->loc, "type \"%s\" already exists", name);
        return NULL;
    }
    return s;
}

void pg_sql_create_enum(pgr *r, PgQuery__CreateEnumStmt *st)
{
    const char *schema, *name;
    pgu_names(st->type_name, st->n_type_name, &schema, &name);
    if (!name || !(schema = create_type_schema(r, schema, name)))
        return;
    cat_enum *e = catalog_enum_add(r->cat, schema, name, r->loc);
    for (size_t i = 0; i < st->n_vals; i++) {
        const char *v = pgu_str(st->vals[i]);
        if (v)
            pgu_strvec_push(&r->cat->mem, &e->labels, v);
    }
}

static bool enum_exists(pgr *r, const char *schema, const char *name)
{
    return catalog_enum_find(r->cat, schema, name) != NULL;
}

static long label_index(const cat_enum *e, const char *label)
{
    for (size_t i = 0; i < e->labels.n; i++)
        if (!strcmp(e->labels.v[i], label))
            return (long)i;
    return -1;
}

void pg_sql_alter_enum(pgr *r, PgQuery__AlterEnumStmt *st)
{
    const char *schema, *name;
    pgu_names(st->type_name, st->n_type_name, &schema, &name);
    const char *s = pgu_lookup_schema(r, schema, name, enum_exists);
    cat_enum *e = s ? catalog_enum_find(r->cat, s, name) : NULL;
    if (!e) {
        diag_error(r->diags, r->loc, "type \"%s\" does not exist", name ? name : "?");
        return;
    }
    pgu_altered(r, &e->prov);
    if (pgu_s(st->old_val)) { /* RENAME VALUE */
        long i = label_index(e, st->old_val);
        if (i < 0)
            diag_error(r->diags, r->loc, "\"%s\" is not an existing enum label", st->old_val);
        else
            e->labels.v[i] = arena_strdup(&r->cat->mem, st->new_val);
        return;
    }
    if (!st->new_val)
        return;
    if (label_index(e, st->new_val) >= 0) {
        if (!st->skip_if_new_val_exists)
            diag_error(r->diags, r->loc, "enum label \"%s\" already exists", st->new_val);
        return;
    }
    size_t at = e->labels.n;
    if (pgu_s(st->new_val_neighbor)) {
        long n = label_index(e, st->new_val_neighbor);
        if (n < 0) {
            diag_error(r->diags, r->loc, "\"%s\" is not an existing enum label",
                       st->new_val_neighbor);
            return;
        }
        at = (size_t)n + (st->new_val_is_after ? 1 : 0);
    }
    VEC_PUSH(&r->cat->mem, e->labels, NULL);
    memmove(&e->labels.v[at + 1], &e->labels.v[at], (e->labels.n - 1 - at) * sizeof(char *));
    e->labels.v[at] = arena_strdup(&r->cat->mem, st->new_val);
}

void pg_sql_create_composite(pgr *r, PgQuery__CompositeTypeStmt *st)
{
    PgQuery__RangeVar *rv = st->typevar;
    if (!rv || !rv->relname)
        return;
    const char *schema = create_type_schema(r, rv->schemaname && *rv->schemaname ? rv->schemaname
                                                                                 : NULL,
                                            rv->relname);
    if (!schema)
        return;
    cat_composite *c = catalog_composite_add(r->cat, schema, rv->relname, r->loc);
    for (size_t i = 0; i < st->n_coldeflist; i++) {
        if (st->coldeflist[i]->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF)
            continue;
        PgQuery__ColumnDef *cd = st->coldeflist[i]->column_def;
        cat_composite_attr a = {0};
        a.name = arena_strdup(&r->cat->mem, cd->colname);
        a.type = pgu_type(r, cd->type_name, &a.type_written);
        VEC_PUSH(&r->cat->mem, c->attrs, a);
    }
}

/* ---- domains -------------------------------------------------------------------- */

static bool domain_exists(pgr *r, const char *schema, const char *name)
{
    return catalog_domain_find(r->cat, schema, name) != NULL;
}

static long domain_check_index(const cat_domain *d, const char *name)
{
    for (size_t i = 0; i < d->checks.n; i++)
        if (!strcmp(d->checks.v[i].name, name))
            return (long)i;
    return -1;
}

static void domain_constraint(pgr *r, cat_domain *d, PgQuery__Constraint *c)
{
    switch (c->contype) {
    case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL: d->not_null = true; break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_NULL: d->not_null = false; break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
        d->default_expr = pgu_expr(r, c->raw_expr);
        d->default_norm = pgu_expr_norm(r, c->raw_expr);
        break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK: {
        const char *name = pgu_s(c->conname);
        if (name && domain_check_index(d, name) >= 0) {
            diag_error(r->diags, r->loc, "constraint \"%s\" for domain \"%s\" already exists", name,
                       d->name);
            return;
        }
        if (!name) {
            name = pgu_make_object_name(&r->tmp, d->name, NULL, "check");
            for (int pass = 1; domain_check_index(d, name) >= 0; pass++)
                name = pgu_make_object_name(&r->tmp, d->name, NULL,
                                            arena_printf(&r->tmp, "check%d", pass));
        }
        cat_domain_check k = {arena_strdup(&r->cat->mem, name), pgu_expr(r, c->raw_expr),
                              pgu_expr_norm(r, c->raw_expr)};
        VEC_PUSH(&r->cat->mem, d->checks, k);
        break;
    }
    default:
        diag_warning(r->diags, r->loc, "domain constraint kind %d is not interpreted",
                     (int)c->contype);
        break;
    }
}

void pg_sql_create_domain(pgr *r, PgQuery__CreateDomainStmt *st)
{
    const char *schema, *name;
    pgu_names(st->domainname, st->n_domainname, &schema, &name);
    if (!name || !(schema = create_type_schema(r, schema, name)))
        return;
    cat_domain *d = catalog_domain_add(r->cat, schema, name, r->loc);
    d->base_type = pgu_type(r, st->type_name, &d->base_type_written);
    if (st->coll_clause && st->coll_clause->n_collname)
        d->collation = arena_strdup(&r->cat->mem, pgu_str(st->coll_clause->collname[st->coll_clause->n_collname - 1]));
    for (size_t i = 0; i < st->n_constraints; i++)
        if (st->constraints[i]->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
            domain_constraint(r, d, st->constraints[i]->constraint);
}

void pg_sql_alter_domain(pgr *r, PgQuery__AlterDomainStmt *st)
{
    const char *schema, *name;
    pgu_names(st->type_name, st->n_type_name, &schema, &name);
    const char *s = pgu_lookup_schema(r, schema, name, domain_exists);
    cat_domain *d = s ? catalog_domain_find(r->cat, s, name) : NULL;
    if (!d) {
        diag_error(r->diags, r->loc, "type \"%s\" does not exist", name ? name : "?");
        return;
    }
    pgu_altered(r, &d->prov);
    char sub = st->subtype ? st->subtype[0] : 0;
    switch (sub) {
    case 'T':
        d->default_expr = st->def ? pgu_expr(r, st->def) : NULL;
        d->default_norm = st->def ? pgu_expr_norm(r, st->def) : NULL;
        break;
    case 'N': d->not_null = false; break;
    case 'O': d->not_null = true; break;
    case 'C':
        if (st->def && st->def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
            domain_constraint(r, d, st->def->constraint);
        break;
    case 'X': {
        long i = pgu_s(st->name) ? domain_check_index(d, st->name) : -1;
        if (i >= 0)
            VEC_REMOVE(d->checks, (size_t)i);
        else if (!st->missing_ok)
            diag_error(r->diags, r->loc, "constraint \"%s\" of domain \"%s\" does not exist",
                       st->name ? st->name : "?", d->name);
        break;
    }
    default: break;
    }
}

/* ---- sequences ---------------------------------------------------------------------- */

static void type_bounds(const char *type, int64_t *min, int64_t *max)
{
    if (!strcmp(type, "smallint"))
        *min = -32768, *max = 32767;
    else if (!strcmp(type, "integer"))
        *min = -2147483648LL, *max = 2147483647LL;
    else
        *min = INT64_MIN, *max = INT64_MAX;
}

void pg_sql_sequence_defaults(cat_sequence *s, const char *type)
{
    int64_t tmin, tmax;
    s->type = type;
    type_bounds(type, &tmin, &tmax);
    s->increment = 1;
    s->min_value = 1;
    s->max_value = tmax;
    s->start = 1;
    s->cache = 1;
    s->cycle = false;
}

bool pg_sql_sequence_options(pgr *r, cat_sequence *s, PgQuery__Node **opts, size_t n, bool alter)
{
    bool has_min = false, has_max = false, has_start = false, min_none = false, max_none = false;
    int64_t minv = 0, maxv = 0, startv = 0, v;
    const char *old_type = s->type;
    int64_t omin, omax;
    type_bounds(old_type, &omin, &omax);
    for (size_t i = 0; i < n; i++) {
        if (opts[i]->node_case != PG_QUERY__NODE__NODE_DEF_ELEM)
            continue;
        PgQuery__DefElem *d = opts[i]->def_elem;
        const char *k = d->defname;
        if (!strcmp(k, "as")) {
            PgQuery__Node *a = d->arg;
            const char *t = a && a->node_case == PG_QUERY__NODE__NODE_TYPE_NAME
                                ? pgu_type(r, a->type_name, NULL)
                                : NULL;
            if (t && strcmp(t, "smallint") && strcmp(t, "integer") && strcmp(t, "bigint")) {
                diag_error(r->diags, r->loc, "sequence type must be smallint, integer, or bigint");
                return false;
            }
            if (t)
                s->type = t;
        } else if (!strcmp(k, "increment") && pgu_defint(d, &v)) {
            if (v == 0) {
                diag_error(r->diags, r->loc, "INCREMENT must not be zero");
                return false;
            }
            s->increment = v;
        } else if (!strcmp(k, "minvalue")) {
            has_min = true;
            min_none = !pgu_defint(d, &minv);
        } else if (!strcmp(k, "maxvalue")) {
            has_max = true;
            max_none = !pgu_defint(d, &maxv);
        } else if (!strcmp(k, "start") && pgu_defint(d, &v)) {
            has_start = true;
            startv = v;
        } else if (!strcmp(k, "cache") && pgu_defint(d, &v)) {
            s->cache = v;
        } else if (!strcmp(k, "cycle")) {
            s->cycle = pgu_defbool(d);
        } else if (!strcmp(k, "owned_by")) {
            PgQuery__List *l = pgu_list(d->arg);
            if (l && l->n_items == 1) {
                s->owned_by_table = s->owned_by_column = NULL; /* OWNED BY NONE */
            } else if (l && l->n_items >= 2) {
                const char *col = pgu_str(l->items[l->n_items - 1]);
                const char *tab = pgu_str(l->items[l->n_items - 2]);
                const char *sch = l->n_items >= 3 ? pgu_str(l->items[l->n_items - 3]) : NULL;
                cat_table *t = pgu_find_table(r, sch, tab);
                if (!t || !catalog_column_find(t, col)) {
                    diag_error(r->diags, r->loc, "relation \"%s\" does not exist", tab);
                    return false;
                }
                s->owned_by_table = t->name;
                s->owned_by_column = arena_strdup(&r->cat->mem, col);
            }
        }
    }
    int64_t tmin, tmax;
    type_bounds(s->type, &tmin, &tmax);
    bool type_changed = strcmp(old_type, s->type) != 0;
    if (has_max && !max_none)
        s->max_value = maxv;
    else if (!alter || max_none || (type_changed && s->max_value == omax))
        s->max_value = s->increment > 0 ? tmax : -1;
    if (has_min && !min_none)
        s->min_value = minv;
    else if (!alter || min_none || (type_changed && s->min_value == omin))
        s->min_value = s->increment > 0 ? 1 : tmin;
    if (has_start)
        s->start = startv;
    else if (!alter)
        s->start = s->increment > 0 ? s->min_value : s->max_value;
    if (s->min_value >= s->max_value) {
        diag_error(r->diags, r->loc, "MINVALUE (%lld) must be less than MAXVALUE (%lld)",
                   (long long)s->min_value, (long long)s->max_value);
        return false;
    }
    return true;
}

const char *pg_sql_identity_options(pgr *r, const char *coltype, PgQuery__Node **opts, size_t n)
{
    if (!n)
        return NULL;
    const char *type = coltype && (!strcmp(coltype, "smallint") || !strcmp(coltype, "integer"))
                           ? coltype
                           : "bigint";
    cat_sequence s, d;
    memset(&s, 0, sizeof s);
    pg_sql_sequence_defaults(&s, type);
    d = s;
    if (!pg_sql_sequence_options(r, &s, opts, n, false))
        return NULL;
    pg_sql_sequence_options(r, &d, NULL, 0, false);
    strbuf sb = STRBUF_INIT;
    if (s.increment != d.increment)
        strbuf_addf(&sb, " INCREMENT BY %lld", (long long)s.increment);
    if (s.min_value != d.min_value)
        strbuf_addf(&sb, " MINVALUE %lld", (long long)s.min_value);
    if (s.max_value != d.max_value)
        strbuf_addf(&sb, " MAXVALUE %lld", (long long)s.max_value);
    if (s.start != (s.increment > 0 ? s.min_value : s.max_value))
        strbuf_addf(&sb, " START WITH %lld", (long long)s.start);
    if (s.cache != 1)
        strbuf_addf(&sb, " CACHE %lld", (long long)s.cache);
    if (s.cycle)
        strbuf_adds(&sb, " CYCLE");
    const char *out = sb.len ? arena_strdup(&r->cat->mem, strbuf_str(&sb) + 1) : NULL;
    strbuf_release(&sb);
    return out;
}

void pg_sql_create_sequence(pgr *r, PgQuery__CreateSeqStmt *st)
{
    PgQuery__RangeVar *rv = st->sequence;
    if (!rv || !rv->relname)
        return;
    const char *schema = pgu_create_schema(r, rv->schemaname && *rv->schemaname ? rv->schemaname
                                                                                : NULL);
    if (!schema)
        return;
    if (pgu_rel_exists(r, schema, rv->relname)) {
        if (!st->if_not_exists)
            diag_error(r->diags, r->loc, "relation \"%s\" already exists", rv->relname);
        return;
    }
    cat_sequence tmp;
    memset(&tmp, 0, sizeof tmp);
    pg_sql_sequence_defaults(&tmp, "bigint");
    if (!pg_sql_sequence_options(r, &tmp, st->options, st->n_options, false))
        return;
    cat_sequence *s = catalog_sequence_add(r->cat, schema, rv->relname, r->loc);
    provenance prov = s->prov;
    const char *sn = s->schema, *nm = s->name;
    *s = tmp;
    s->prov = prov;
    s->schema = sn;
    s->name = nm;
}

static bool seq_exists(pgr *r, const char *schema, const char *name)
{
    return catalog_sequence_find(r->cat, schema, name) != NULL;
}

void pg_sql_alter_sequence(pgr *r, PgQuery__AlterSeqStmt *st)
{
    PgQuery__RangeVar *rv = st->sequence;
    if (!rv || !rv->relname)
        return;
    const char *s = pgu_lookup_schema(r, rv->schemaname && *rv->schemaname ? rv->schemaname : NULL,
                                      rv->relname, seq_exists);
    cat_sequence *seq = s ? catalog_sequence_find(r->cat, s, rv->relname) : NULL;
    if (!seq) {
        if (!st->missing_ok)
            diag_error(r->diags, r->loc, "relation \"%s\" does not exist", rv->relname);
        return;
    }
    cat_sequence copy = *seq;
    if (pg_sql_sequence_options(r, &copy, st->options, st->n_options, true))
        *seq = copy;
    pgu_altered(r, &seq->prov);
}
