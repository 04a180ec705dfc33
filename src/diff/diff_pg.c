/*
 * diff_pg.c — PostgreSQL diff backend: the driver (diff_pg), shared
 * helpers, renames (from hints), schemas, extensions, enums (ADD VALUE or
 * type recreation), domains, composite types, sequences and routines
 * (CREATE OR REPLACE when compatible, else drop + create).  Tables are in
 * diff_pg_table.c, views and the objects that hang off relations in
 * diff_pg_dep.c.
 *
 * diff_pg renames objects of the FROM catalog in place when a rename hint
 * applies, so that the rest of the comparison matches them by name.
 */
#include "diff/diff_pg.h"

#include <inttypes.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------------ */

const char *pgd_key(pgd *d, const char *a, const char *b)
{
    return arena_printf(d->mem, "%s\x1f%s", a ? a : "", b ? b : "");
}

const char *pgd_key3(pgd *d, const char *a, const char *b, const char *c)
{
    return arena_printf(d->mem, "%s\x1f%s\x1f%s", a ? a : "", b ? b : "", c ? c : "");
}

bool pgd_str_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return !strcmp(a, b);
}

bool pgd_strvec_eq(const strvec *a, const strvec *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (!pgd_str_eq(a->v[i], b->v[i]))
            return false;
    return true;
}

diff_change *pgd_add(pgd *d, const char *kind, cat_object_kind ok, const char *schema, const char *name,
                     const char *sub, int phase, unsigned hazards, strbuf *sql)
{
    diff_change *c = diff_add(d->plan, kind, ok, schema, name, sub, phase, hazards, strbuf_str(sql));
    strbuf_reset(sql);
    return c;
}

void pgd_mark_dirty(pgd *d, const char *schema, const char *name)
{
    hashmap_put(&d->dirty, pgd_key(d, schema, name), (void *)1);
}

bool pgd_is_dirty(pgd *d, const char *schema, const char *name)
{
    return hashmap_get(&d->dirty, pgd_key(d, schema, name)) != NULL;
}

void pgd_mark_recreated(pgd *d, const char *kind, const char *schema, const char *name)
{
    hashmap_put(&d->recreated, pgd_key3(d, kind, schema, name), (void *)1);
}

bool pgd_is_recreated(pgd *d, const char *kind, const char *schema, const char *name)
{
    return hashmap_get(&d->recreated, pgd_key3(d, kind, schema, name)) != NULL;
}


bool pgd_enum_has_label(const cat_enum *e, const char *l)
{
    for (size_t i = 0; i < e->labels.n; i++)
        if (!strcmp(e->labels.v[i], l))
            return true;
    return false;
}

/* ---- schemas and extensions ------------------------------------------------------ */

static void diff_schemas(pgd *d)
{
    strbuf q = STRBUF_INIT;
    for (size_t i = 0; i < d->to->schemas.n; i++) {
        const cat_schema *s = d->to->schemas.v[i];
        if (!strcmp(s->name, "public") || catalog_schema_find(d->from, s->name))
            continue;
        strbuf_adds(&q, "CREATE SCHEMA ");
        pg_ident(&q, s->name);
        strbuf_adds(&q, ";\n");
        pgd_add(d, "create_schema", OBJ_SCHEMA, NULL, s->name, NULL, PHASE_CREATE_SCHEMAS, 0, &q);
    }
    for (size_t i = 0; i < d->from->schemas.n; i++) {
        const cat_schema *s = d->from->schemas.v[i];
        if (!strcmp(s->name, "public") || catalog_schema_find(d->to, s->name))
            continue;
        strbuf_adds(&q, "DROP SCHEMA ");
        pg_ident(&q, s->name);
        strbuf_adds(&q, ";\n");
        pgd_add(d, "drop_schema", OBJ_SCHEMA, NULL, s->name, NULL, PGPHASE_DROP_SCHEMAS, 0, &q);
    }
    strbuf_release(&q);
}

static void diff_extensions(pgd *d)
{
    strbuf q = STRBUF_INIT;
    for (size_t i = 0; i < d->to->extensions.n; i++) {
        const cat_extension *e = d->to->extensions.v[i];
        const cat_extension *f = catalog_extension_find(d->from, e->name);
        if (f && pgd_str_eq(f->schema, e->schema))
            continue;
        if (f) {
            strbuf_adds(&q, "ALTER EXTENSION ");
            pg_ident(&q, e->name);
            strbuf_adds(&q, " SET SCHEMA ");
            pg_ident(&q, e->schema ? e->schema : "public");
            strbuf_adds(&q, ";\n");
            pgd_add(d, "alter_extension", OBJ_EXTENSION, NULL, e->name, NULL, PHASE_CREATE_SCHEMAS, 0, &q)->order = 1;
            continue;
        }
        strbuf_adds(&q, "CREATE EXTENSION IF NOT EXISTS ");
        pg_ident(&q, e->name);
        if (e->schema) {
            strbuf_adds(&q, " WITH SCHEMA ");
            pg_ident(&q, e->schema);
        }
        strbuf_adds(&q, ";\n");
        pgd_add(d, "create_extension", OBJ_EXTENSION, NULL, e->name, NULL, PHASE_CREATE_SCHEMAS, 0, &q)->order = 1;
    }
    for (size_t i = 0; i < d->from->extensions.n; i++) {
        const cat_extension *e = d->from->extensions.v[i];
        if (catalog_extension_find(d->to, e->name))
            continue;
        strbuf_adds(&q, "DROP EXTENSION IF EXISTS ");
        pg_ident(&q, e->name);
        strbuf_adds(&q, ";\n");
        pgd_add(d, "drop_extension", OBJ_EXTENSION, NULL, e->name, NULL, PGPHASE_LATE_DROPS, 0, &q)->order = 5;
    }
    strbuf_release(&q);
}

/* ---- types ------------------------------------------------------------------------ */

static void create_enum_sql(strbuf *q, const cat_enum *e)
{
    strbuf_adds(q, "CREATE TYPE ");
    pg_qname(q, e->schema, e->name);
    strbuf_adds(q, " AS ENUM (");
    for (size_t j = 0; j < e->labels.n; j++) {
        strbuf_adds(q, j ? ", " : "");
        sql_quote_literal(q, e->labels.v[j]);
    }
    strbuf_adds(q, ");\n");
}

static void drop_type(pgd *d, const char *what, cat_object_kind ok, const char *schema, const char *name)
{
    strbuf q = STRBUF_INIT;
    strbuf_addf(&q, "DROP %s ", what);
    pg_qname(&q, schema, name);
    strbuf_adds(&q, ";\n");
    pgd_add(d, ok == OBJ_DOMAIN ? "drop_domain" : "drop_type", ok, schema, name, NULL, PGPHASE_LATE_DROPS, 0, &q)
        ->order = 1;
    strbuf_release(&q);
}

/* the from labels appear in the to labels in the same order */
static bool labels_extend(const cat_enum *f, const cat_enum *t)
{
    size_t j = 0;
    for (size_t i = 0; i < t->labels.n && j < f->labels.n; i++)
        if (!strcmp(t->labels.v[i], f->labels.v[j]))
            j++;
    return j == f->labels.n;
}

static void add_enum_values(pgd *d, const cat_enum *f, const cat_enum *t)
{
    strbuf q = STRBUF_INIT;
    for (size_t i = 0; i < t->labels.n; i++) {
        const char *l = t->labels.v[i];
        if (pgd_enum_has_label(f, l))
            continue;
        strbuf_adds(&q, "ALTER TYPE ");
        pg_qname(&q, t->schema, t->name);
        strbuf_adds(&q, " ADD VALUE ");
        sql_quote_literal(&q, l);
        const char *next = NULL;
        for (size_t j = i + 1; j < t->labels.n && !next; j++)
            if (pgd_enum_has_label(f, t->labels.v[j]))
                next = t->labels.v[j];
        if (next) {
            strbuf_adds(&q, " BEFORE ");
            sql_quote_literal(&q, next);
        } else if (i > 0) {
            strbuf_adds(&q, " AFTER ");
            sql_quote_literal(&q, t->labels.v[i - 1]);
        }
        strbuf_adds(&q, ";\n");
        diff_change *c = pgd_add(d, "add_enum_value", OBJ_ENUM, t->schema, t->name, l, PHASE_CREATE_TYPES, 0, &q);
        c->transactional = false; /* a new value cannot be used in the transaction that added it */
        c->order = -10;
    }
    strbuf_release(&q);
}

/* column type is the type `qname` or an array of it */
static bool type_uses(const char *type, const char *qname)
{
    if (!type)
        return false;
    size_t n = strlen(qname);
    if (strncmp(type, qname, n))
        return false;
    const char *rest = type + n;
    while (rest[0] == '[' && rest[1] == ']')
        rest += 2;
    return !*rest;
}

/* Recreate a type under the same name: rename the old one away, create the
 * new one, move every column that uses it over, drop the old one. */
static void recreate_type(pgd *d, cat_object_kind ok, const char *schema, const char *name, const char *create_sql,
                          const char *via, unsigned hazards)
{
    strbuf q = STRBUF_INIT, qn = STRBUF_INIT;
    const char *old = arena_printf(d->mem, "%s__dbsage_old", name);
    pg_qname(&qn, schema, name);
    strbuf_adds(&q, ok == OBJ_DOMAIN ? "ALTER DOMAIN " : "ALTER TYPE ");
    strbuf_adds(&q, strbuf_str(&qn));
    strbuf_adds(&q, " RENAME TO ");
    pg_ident(&q, old);
    strbuf_adds(&q, ";\n");
    strbuf_adds(&q, create_sql);
    for (size_t i = 0; i < d->to->tables.n; i++) {
        const cat_table *t = d->to->tables.v[i];
        const cat_table *ft = catalog_table_find(d->from, t->schema, t->name);
        if (!ft)
            continue;
        for (size_t j = 0; j < t->columns.n; j++) {
            const cat_column *c = t->columns.v[j];
            const cat_column *fc = catalog_column_find(ft, c->name);
            if (!fc || !type_uses(c->type, strbuf_str(&qn)) || !pgd_str_eq(fc->type, c->type))
                continue;
            if (t->partition_bound)
                continue; /* follows its parent */
            pgd_mark_dirty(d, t->schema, t->name);
            pgd_alter_table(&q, t);
            strbuf_adds(&q, " ALTER COLUMN ");
            pg_ident(&q, c->name);
            if (fc->default_norm) {
                strbuf_adds(&q, " DROP DEFAULT,\n    ALTER COLUMN ");
                pg_ident(&q, c->name);
            }
            strbuf_addf(&q, " TYPE %s USING ", c->type);
            pg_ident(&q, c->name);
            strbuf_addf(&q, "::%s%s::%s", via, strchr(c->type + strlen(strbuf_str(&qn)), '[') ? "[]" : "", c->type);
            const char *def = emit_expr_text(c->default_expr, c->default_norm);
            if (def && !c->identity && !c->generated) {
                strbuf_adds(&q, ",\n    ALTER COLUMN ");
                pg_ident(&q, c->name);
                strbuf_adds(&q, " SET DEFAULT ");
                pg_add_text(&q, def);
            }
            strbuf_adds(&q, ";\n");
            hazards |= HAZARD_TABLE_REWRITE | HAZARD_ACCESS_EXCLUSIVE;
        }
    }
    for (size_t i = 0; i < d->from->functions.n; i++) {
        const cat_function *f = d->from->functions.v[i];
        bool uses = f->returns && (type_uses(f->returns, strbuf_str(&qn)) ||
                                   (!strncmp(f->returns, "SETOF ", 6) && type_uses(f->returns + 6, strbuf_str(&qn))));
        for (size_t j = 0; j < f->args.n && !uses; j++)
            uses = type_uses(f->args.v[j].type, strbuf_str(&qn));
        if (uses)
            hashmap_put(&d->force_fn, pgd_key(d, f->schema, f->signature), (void *)1);
    }
    strbuf_adds(&q, ok == OBJ_DOMAIN ? "DROP DOMAIN " : "DROP TYPE ");
    pg_qname(&q, schema, old);
    strbuf_adds(&q, ";\n");
    pgd_add(d, ok == OBJ_DOMAIN ? "recreate_domain" : "recreate_type", ok, schema, name, NULL, PHASE_CREATE_TYPES,
            hazards, &q)
        ->order = 20;
    strbuf_release(&q);
    strbuf_release(&qn);
}

static void diff_enums(pgd *d)
{
    strbuf q = STRBUF_INIT;
    for (size_t i = 0; i < d->to->enums.n; i++) {
        const cat_enum *t = d->to->enums.v[i];
        const cat_enum *f = catalog_enum_find(d->from, t->schema, t->name);
        if (f && pgd_strvec_eq(&f->labels, &t->labels))
            continue;
        create_enum_sql(&q, t);
        if (!f) {
            pgd_add(d, "create_type", OBJ_ENUM, t->schema, t->name, NULL, PHASE_CREATE_TYPES, 0, &q);
            continue;
        }
        if (labels_extend(f, t)) {
            strbuf_reset(&q);
            add_enum_values(d, f, t);
            continue;
        }
        bool removed = false;
        for (size_t j = 0; j < f->labels.n; j++)
            removed |= !pgd_enum_has_label(t, f->labels.v[j]);
        recreate_type(d, OBJ_ENUM, t->schema, t->name, strbuf_str(&q), "text",
                      removed ? HAZARD_DESTRUCTIVE | HAZARD_DATA_DEPENDENT : 0);
        pgd_mark_recreated(d, "type", t->schema, t->name);
        strbuf_reset(&q);
    }
    for (size_t i = 0; i < d->from->enums.n; i++) {
        const cat_enum *f = d->from->enums.v[i];
        if (!catalog_enum_find(d->to, f->schema, f->name))
            drop_type(d, "TYPE", OBJ_ENUM, f->schema, f->name);
    }
    strbuf_release(&q);
}

static const cat_domain_check *domain_check(const cat_domain *dm, const char *name)
{
    for (size_t i = 0; i < dm->checks.n; i++)
        if (pgd_str_eq(dm->checks.v[i].name, name))
            return &dm->checks.v[i];
    return NULL;
}

static void alter_domain(pgd *d, const cat_domain *f, const cat_domain *t)
{
    strbuf q = STRBUF_INIT, qn = STRBUF_INIT;
    unsigned hz = 0;
    pg_qname(&qn, t->schema, t->name);
    for (size_t i = 0; i < f->checks.n; i++) {
        const cat_domain_check *fc = &f->checks.v[i], *tc = domain_check(t, fc->name);
        if (fc->name && (!tc || !pgd_str_eq(tc->expr_norm, fc->expr_norm))) {
            strbuf_addf(&q, "ALTER DOMAIN %s DROP CONSTRAINT ", strbuf_str(&qn));
            pg_ident(&q, fc->name);
            strbuf_adds(&q, ";\n");
        }
    }
    if (!pgd_str_eq(f->default_norm, t->default_norm)) {
        const char *def = emit_expr_text(t->default_expr, t->default_norm);
        strbuf_addf(&q, "ALTER DOMAIN %s %s", strbuf_str(&qn), def ? "SET DEFAULT " : "DROP DEFAULT");
        if (def)
            pg_add_text(&q, def);
        strbuf_adds(&q, ";\n");
    }
    if (f->not_null != t->not_null) {
        strbuf_addf(&q, "ALTER DOMAIN %s %s NOT NULL;\n", strbuf_str(&qn), t->not_null ? "SET" : "DROP");
        if (t->not_null)
            hz |= HAZARD_FULL_SCAN | HAZARD_DATA_DEPENDENT;
    }
    for (size_t i = 0; i < t->checks.n; i++) {
        const cat_domain_check *tc = &t->checks.v[i], *fc = domain_check(f, tc->name);
        if (fc && tc->name && pgd_str_eq(tc->expr_norm, fc->expr_norm))
            continue;
        strbuf_addf(&q, "ALTER DOMAIN %s ADD ", strbuf_str(&qn));
        if (tc->name) {
            strbuf_adds(&q, "CONSTRAINT ");
            pg_ident(&q, tc->name);
            strbuf_addch(&q, ' ');
        }
        strbuf_adds(&q, "CHECK (");
        pg_add_text(&q, emit_expr_text(tc->expr, tc->expr_norm));
        strbuf_adds(&q, ");\n");
        hz |= HAZARD_FULL_SCAN | HAZARD_DATA_DEPENDENT;
    }
    if (q.len)
        pgd_add(d, "alter_domain", OBJ_DOMAIN, t->schema, t->name, NULL, PHASE_CREATE_TYPES, hz, &q)->order = 21;
    strbuf_release(&q);
    strbuf_release(&qn);
}

static void diff_domains(pgd *d)
{
    strbuf q = STRBUF_INIT;
    for (size_t i = 0; i < d->to->domains.n; i++) {
        const cat_domain *t = d->to->domains.v[i];
        const cat_domain *f = catalog_domain_find(d->from, t->schema, t->name);
        if (!f) {
            pg_emit_domain(&q, t);
            pgd_add(d, "create_domain", OBJ_DOMAIN, t->schema, t->name, NULL, PHASE_CREATE_TYPES, 0, &q)->order = 1;
        } else if (!pgd_str_eq(f->base_type, t->base_type) || !pgd_str_eq(f->collation, t->collation)) {
            pg_emit_domain(&q, t);
            recreate_type(d, OBJ_DOMAIN, t->schema, t->name, strbuf_str(&q), t->base_type ? t->base_type : "text",
                          HAZARD_DATA_DEPENDENT);
            pgd_mark_recreated(d, "domain", t->schema, t->name);
            strbuf_reset(&q);
        } else {
            alter_domain(d, f, t);
        }
    }
    for (size_t i = 0; i < d->from->domains.n; i++) {
        const cat_domain *f = d->from->domains.v[i];
        if (!catalog_domain_find(d->to, f->schema, f->name))
            drop_type(d, "DOMAIN", OBJ_DOMAIN, f->schema, f->name);
    }
    strbuf_release(&q);
}

static void create_composite_sql(strbuf *o, const cat_composite *c)
{
    strbuf_adds(o, "CREATE TYPE ");
    pg_qname(o, c->schema, c->name);
    strbuf_adds(o, " AS (");
    for (size_t j = 0; j < c->attrs.n; j++) {
        strbuf_adds(o, j ? ",\n    " : "\n    ");
        pg_ident(o, c->attrs.v[j].name);
        strbuf_addch(o, ' ');
        strbuf_adds(o, c->attrs.v[j].type ? c->attrs.v[j].type : c->attrs.v[j].type_written);
    }
    strbuf_adds(o, c->attrs.n ? "\n);\n" : ");\n");
}

static const cat_composite_attr *comp_attr(const cat_composite *c, const char *name)
{
    for (size_t i = 0; i < c->attrs.n; i++)
        if (!strcmp(c->attrs.v[i].name, name))
            return &c->attrs.v[i];
    return NULL;
}

static bool composite_eq(const cat_composite *a, const cat_composite *b)
{
    if (a->attrs.n != b->attrs.n)
        return false;
    for (size_t i = 0; i < a->attrs.n; i++)
        if (strcmp(a->attrs.v[i].name, b->attrs.v[i].name) || !pgd_str_eq(a->attrs.v[i].type, b->attrs.v[i].type))
            return false;
    return true;
}

/* ALTER TYPE ... DROP/ADD/ALTER ATTRIBUTE when the resulting order is TO's */
static bool alter_composite(pgd *d, const cat_composite *f, const cat_composite *t)
{
    size_t k = 0;
    for (size_t i = 0; i < f->attrs.n; i++)
        if (comp_attr(t, f->attrs.v[i].name)) {
            if (k >= t->attrs.n || strcmp(t->attrs.v[k].name, f->attrs.v[i].name))
                return false;
            k++;
        }
    strbuf q = STRBUF_INIT;
    strbuf_adds(&q, "ALTER TYPE ");
    pg_qname(&q, t->schema, t->name);
    bool first = true;
    unsigned hz = 0;
    for (size_t i = 0; i < f->attrs.n; i++) {
        const cat_composite_attr *fa = &f->attrs.v[i], *ta = comp_attr(t, fa->name);
        if (ta && pgd_str_eq(ta->type, fa->type))
            continue;
        strbuf_adds(&q, first ? "\n    " : ",\n    ");
        first = false;
        if (!ta) {
            strbuf_adds(&q, "DROP ATTRIBUTE ");
            pg_ident(&q, fa->name);
            hz |= HAZARD_DESTRUCTIVE;
        } else {
            strbuf_adds(&q, "ALTER ATTRIBUTE ");
            pg_ident(&q, fa->name);
            strbuf_addf(&q, " TYPE %s", ta->type);
            hz |= HAZARD_DATA_DEPENDENT;
        }
    }
    for (size_t i = k; i < t->attrs.n; i++) {
        strbuf_adds(&q, first ? "\n    " : ",\n    ");
        first = false;
        strbuf_adds(&q, "ADD ATTRIBUTE ");
        pg_ident(&q, t->attrs.v[i].name);
        strbuf_addf(&q, " %s", t->attrs.v[i].type);
    }
    strbuf_adds(&q, ";\n");
    pgd_add(d, "alter_type", OBJ_COMPOSITE_TYPE, t->schema, t->name, NULL, PHASE_CREATE_TYPES, hz, &q)->order = 22;
    strbuf_release(&q);
    return true;
}

static void diff_composites(pgd *d)
{
    strbuf q = STRBUF_INIT;
    for (size_t i = 0; i < d->to->composites.n; i++) {
        const cat_composite *t = d->to->composites.v[i];
        const cat_composite *f = catalog_composite_find(d->from, t->schema, t->name);
        if (f && composite_eq(f, t))
            continue;
        if (!f) {
            create_composite_sql(&q, t);
            pgd_add(d, "create_type", OBJ_COMPOSITE_TYPE, t->schema, t->name, NULL, PHASE_CREATE_TYPES, 0, &q)
                ->order = 2;
            continue;
        }
        if (alter_composite(d, f, t))
            continue;
        strbuf_adds(&q, "DROP TYPE ");
        pg_qname(&q, f->schema, f->name);
        strbuf_adds(&q, ";\n");
        create_composite_sql(&q, t);
        pgd_add(d, "recreate_type", OBJ_COMPOSITE_TYPE, t->schema, t->name, NULL, PHASE_CREATE_TYPES,
                HAZARD_DESTRUCTIVE, &q)
            ->order = 22;
        pgd_mark_recreated(d, "type", t->schema, t->name);
    }
    for (size_t i = 0; i < d->from->composites.n; i++) {
        const cat_composite *f = d->from->composites.v[i];
        if (!catalog_composite_find(d->to, f->schema, f->name))
            drop_type(d, "TYPE", OBJ_COMPOSITE_TYPE, f->schema, f->name);
    }
    strbuf_release(&q);
}

/* ---- sequences ------------------------------------------------------------------------ */

static void sequence_options(strbuf *q, const cat_sequence *s)
{
    strbuf_addf(q,
                " AS %s INCREMENT BY %" PRId64 " MINVALUE %" PRId64 " MAXVALUE %" PRId64 " START WITH %" PRId64
                " CACHE %" PRId64 "%s",
                s->type ? s->type : "bigint", s->increment, s->min_value, s->max_value, s->start, s->cache,
                s->cycle ? " CYCLE" : " NO CYCLE");
}

static bool sequence_eq(const cat_sequence *a, const cat_sequence *b)
{
    return pgd_str_eq(a->type ? a->type : "bigint", b->type ? b->type : "bigint") && a->start == b->start &&
           a->increment == b->increment && a->min_value == b->min_value && a->max_value == b->max_value &&
           a->cache == b->cache && a->cycle == b->cycle;
}

static void owned_by(pgd *d, const cat_sequence *s)
{
    strbuf q = STRBUF_INIT;
    strbuf_adds(&q, "ALTER SEQUENCE ");
    pg_qname(&q, s->schema, s->name);
    strbuf_adds(&q, " OWNED BY ");
    if (s->owned_by_table && s->owned_by_column) {
        pg_qname(&q, s->schema, s->owned_by_table);
        strbuf_addch(&q, '.');
        pg_ident(&q, s->owned_by_column);
    } else {
        strbuf_adds(&q, "NONE");
    }
    strbuf_adds(&q, ";\n");
    pgd_add(d, "alter_sequence_owner", OBJ_SEQUENCE, s->schema, s->name, NULL, PHASE_METADATA, 0, &q)->order = -10;
    strbuf_release(&q);
}

static void diff_sequences(pgd *d)
{
    strbuf q = STRBUF_INIT;
    for (size_t i = 0; i < d->to->sequences.n; i++) {
        const cat_sequence *t = d->to->sequences.v[i];
        const cat_sequence *f = catalog_sequence_find(d->from, t->schema, t->name);
        if (!f || !sequence_eq(f, t)) {
            strbuf_adds(&q, f ? "ALTER SEQUENCE " : "CREATE SEQUENCE ");
            pg_qname(&q, t->schema, t->name);
            sequence_options(&q, t);
            strbuf_adds(&q, ";\n");
            pgd_add(d, f ? "alter_sequence" : "create_sequence", OBJ_SEQUENCE, t->schema, t->name, NULL,
                    PHASE_CREATE_TYPES, 0, &q)
                ->order = 3;
        }
        bool owner_same = f && pgd_str_eq(f->owned_by_table, t->owned_by_table) &&
                          pgd_str_eq(f->owned_by_column, t->owned_by_column) &&
                          !(t->owned_by_table && pgd_is_recreated(d, "table", t->schema, t->owned_by_table));
        if (!owner_same && (f || t->owned_by_table))
            owned_by(d, t);
    }
    for (size_t i = 0; i < d->from->sequences.n; i++) {
        const cat_sequence *f = d->from->sequences.v[i];
        if (catalog_sequence_find(d->to, f->schema, f->name))
            continue;
        /* a sequence owned by a dropped column/table is already gone */
        strbuf_adds(&q, f->owned_by_table ? "DROP SEQUENCE IF EXISTS " : "DROP SEQUENCE ");
        pg_qname(&q, f->schema, f->name);
        strbuf_adds(&q, ";\n");
        pgd_add(d, "drop_sequence", OBJ_SEQUENCE, f->schema, f->name, NULL, PGPHASE_LATE_DROPS, 0, &q);
    }
    strbuf_release(&q);
}

/* ---- routines ---------------------------------------------------------------------------- */

static bool arg_eq(const cat_func_arg *a, const cat_func_arg *b, bool with_default)
{
    return a->mode == b->mode && pgd_str_eq(a->type, b->type) &&
           pgd_str_eq(a->name && *a->name ? a->name : NULL, b->name && *b->name ? b->name : NULL) &&
           (!with_default || pgd_str_eq(a->default_norm, b->default_norm));
}

static bool function_eq(const cat_function *a, const cat_function *b)
{
    if (a->args.n != b->args.n)
        return false;
    for (size_t i = 0; i < a->args.n; i++)
        if (!arg_eq(&a->args.v[i], &b->args.v[i], true))
            return false;
    return a->is_procedure == b->is_procedure && pgd_str_eq(a->returns, b->returns) &&
           pgd_str_eq(a->language, b->language) && !strcmp(a->body_hash, b->body_hash) &&
           pgd_str_eq(a->body, b->body) && a->volatility == b->volatility && a->strict == b->strict &&
           a->security_definer == b->security_definer && a->leakproof == b->leakproof && a->parallel == b->parallel;
}

/* CREATE OR REPLACE can turn a into b */
static bool function_replaceable(const cat_function *a, const cat_function *b)
{
    if (a->args.n != b->args.n || a->is_procedure != b->is_procedure || !pgd_str_eq(a->returns, b->returns))
        return false;
    size_t da = 0, db = 0;
    for (size_t i = 0; i < a->args.n; i++) {
        if (!arg_eq(&a->args.v[i], &b->args.v[i], false))
            return false;
        da += a->args.v[i].default_norm != NULL;
        db += b->args.v[i].default_norm != NULL;
    }
    return db >= da;
}

static bool rel_type_match(const char *type, const char *qname)
{
    if (!type)
        return false;
    if (!strncmp(type, "SETOF ", 6))
        type += 6;
    return type_uses(type, qname);
}

static int routine_phase(pgd *d, const cat_function *f)
{
    int phase = PHASE_CREATE_FUNCTIONS;
    strbuf qn = STRBUF_INIT;
    for (int pass = 0; pass < 2 && phase == PHASE_CREATE_FUNCTIONS; pass++) {
        size_t n = pass == 0 ? d->to->views.n : d->to->tables.n;
        for (size_t i = 0; i < n; i++) {
            strbuf_reset(&qn);
            if (pass == 0)
                pg_qname(&qn, d->to->views.v[i]->schema, d->to->views.v[i]->name);
            else
                pg_qname(&qn, d->to->tables.v[i]->schema, d->to->tables.v[i]->name);
            bool hit = rel_type_match(f->returns, strbuf_str(&qn));
            for (size_t j = 0; j < f->args.n && !hit; j++)
                hit = rel_type_match(f->args.v[j].type, strbuf_str(&qn));
            if (f->returns && !strncmp(f->returns, "TABLE(", 6) && strstr(f->returns, strbuf_str(&qn)))
                hit = true;
            if (hit) {
                phase = pass == 0 ? PGPHASE_VIEW_FUNCTIONS : PGPHASE_TABLE_FUNCTIONS;
                break;
            }
        }
    }
    strbuf_release(&qn);
    return phase;
}

static void drop_function_sql(strbuf *q, const cat_function *f)
{
    strbuf_adds(q, f->is_procedure ? "DROP PROCEDURE " : "DROP FUNCTION ");
    pg_qname(q, f->schema, f->name);
    const char *paren = f->signature ? strchr(f->signature, '(') : NULL;
    strbuf_adds(q, paren ? paren : "()");
    strbuf_adds(q, ";\n");
}

static void create_function(pgd *d, const cat_function *t, bool replace)
{
    strbuf q = STRBUF_INIT, body = STRBUF_INIT;
    pg_emit_function(&body, t);
    const char *s = strbuf_str(&body);
    if (replace && !strncmp(s, "CREATE ", 7)) {
        strbuf_adds(&q, "CREATE OR REPLACE ");
        strbuf_adds(&q, s + 7);
    } else {
        strbuf_adds(&q, s);
    }
    pgd_add(d, replace ? "replace_function" : "create_function", t->is_procedure ? OBJ_PROCEDURE : OBJ_FUNCTION,
            t->schema, t->signature ? t->signature : t->name, NULL, routine_phase(d, t), 0, &q);
    strbuf_release(&q);
    strbuf_release(&body);
}

static void diff_functions(pgd *d)
{
    strbuf q = STRBUF_INIT;
    for (size_t i = 0; i < d->from->functions.n; i++) {
        const cat_function *f = d->from->functions.v[i];
        const cat_function *t = catalog_function_find(d->to, f->schema, f->signature);
        bool forced = hashmap_get(&d->force_fn, pgd_key(d, f->schema, f->signature)) != NULL;
        if (t && !forced && (function_eq(f, t) || function_replaceable(f, t)))
            continue;
        drop_function_sql(&q, f);
        pgd_add(d, "drop_function", f->is_procedure ? OBJ_PROCEDURE : OBJ_FUNCTION, f->schema,
                f->signature ? f->signature : f->name, NULL, PHASE_DROP_OBJECTS, 0, &q)
            ->order = 5;
        hashmap_put(&d->recreated_fn, pgd_key(d, f->schema, f->name), (void *)1);
        if (t)
            pgd_mark_recreated(d, "function", f->schema, f->signature);
    }
    for (size_t i = 0; i < d->to->functions.n; i++) {
        const cat_function *t = d->to->functions.v[i];
        const cat_function *f = catalog_function_find(d->from, t->schema, t->signature);
        bool forced = hashmap_get(&d->force_fn, pgd_key(d, t->schema, t->signature)) != NULL;
        if (f && !forced && function_eq(f, t))
            continue;
        create_function(d, t, f && !forced && function_replaceable(f, t));
    }
    strbuf_release(&q);
}

/* extensions outside public: their schemas on the search path so that
 * unqualified operator classes, types and functions of theirs resolve */
static void search_path(pgd *d)
{
    strbuf q = STRBUF_INIT;
    for (size_t i = 0; i < d->to->extensions.n; i++) {
        const char *s = d->to->extensions.v[i]->schema;
        if (!s || !strcmp(s, "public") || !strcmp(s, "pg_catalog"))
            continue;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = pgd_str_eq(d->to->extensions.v[j]->schema, s);
        if (seen)
            continue;
        strbuf_adds(&q, q.len ? ", " : "SET search_path = public, ");
        pg_ident(&q, s);
    }
    if (q.len) {
        strbuf_adds(&q, ";\n");
        pgd_add(d, "set_search_path", OBJ_SCHEMA, NULL, "search_path", NULL, PHASE_CREATE_SCHEMAS, 0, &q)->order = 5;
    }
    strbuf_release(&q);
}

/* ADD VALUE runs before BEGIN (diff_emit.c) and is written with TO's names, so
 * the renames of an enum that also gains a value (the type, its labels) leave
 * the transaction too: as pre-transaction changes of PHASE_RENAMES they run
 * first, type before labels (their order), then the ADD VALUE statements. */
static void early_enum_renames(pgd *d)
{
    diff_change *v = d->plan->changes.v;
    for (size_t i = 0; i < d->plan->changes.n; i++) {
        if (strcmp(v[i].kind, "rename_type") && strcmp(v[i].kind, "rename_enum_value"))
            continue;
        for (size_t j = 0; j < d->plan->changes.n && v[i].transactional; j++)
            if (!strcmp(v[j].kind, "add_enum_value") && !v[j].transactional &&
                pgd_str_eq(v[j].schema, v[i].schema) && pgd_str_eq(v[j].name, v[i].name))
                v[i].transactional = false;
    }
}

/* ---- driver ------------------------------------------------------------------------------ */

int diff_pg(diff_plan *plan, catalog *from, catalog *to, const diff_opts *opts, diag_list *diags)
{
    pgd d = {plan, from, to, opts, diags, plan->mem, {0}, {0}, {0}, {0}, {0}, {0}};
    hashmap_init(&d.dirty, plan->mem);
    hashmap_init(&d.fk_dirty, plan->mem);
    hashmap_init(&d.recreated, plan->mem);
    hashmap_init(&d.dropped_fk, plan->mem);
    hashmap_init(&d.recreated_fn, plan->mem);
    hashmap_init(&d.force_fn, plan->mem);
    pgd_apply_renames(&d);
    diff_schemas(&d);
    diff_extensions(&d);
    diff_enums(&d);
    early_enum_renames(&d);
    diff_domains(&d);
    diff_composites(&d);
    pgd_tables(&d);
    diff_sequences(&d);
    diff_functions(&d);
    pgd_foreign_keys(&d);
    pgd_views(&d);
    pgd_triggers_policies(&d);
    pgd_comments(&d);
    pgd_grants(&d);
    if (plan->changes.n)
        search_path(&d);
    hashmap_release(&d.dirty);
    hashmap_release(&d.fk_dirty);
    hashmap_release(&d.recreated);
    hashmap_release(&d.dropped_fk);
    hashmap_release(&d.recreated_fn);
    hashmap_release(&d.force_fn);
    return 0;
}
