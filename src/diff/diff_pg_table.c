/*
 * diff_pg_table.c — PostgreSQL diff of tables: create/drop/recreate tables,
 * add/drop/alter columns (type with USING, NOT NULL, defaults, identity,
 * generated expressions), constraints (drop + add when changed, VALIDATE),
 * indexes, table flags, and foreign keys (added after all tables; dropped
 * and re-added around changes of what they reference).
 */
#include "diff/diff_pg.h"

#include <stdlib.h>
#include <string.h>

void pgd_alter_table(strbuf *o, const cat_table *t)
{
    strbuf_adds(o, "ALTER TABLE ");
    pg_qname(o, t->schema, t->name);
}

void pgd_add_constraint_sql(strbuf *o, const cat_table *t, const cat_constraint *k)
{
    strbuf_adds(o, k->no_inherit ? "ALTER TABLE ONLY " : "ALTER TABLE ");
    pg_qname(o, t->schema, t->name);
    strbuf_adds(o, " ADD ");
    if (k->name) {
        strbuf_adds(o, "CONSTRAINT ");
        pg_ident(o, k->name);
        strbuf_addch(o, ' ');
    }
    pg_emit_constraint_def(o, k);
    strbuf_adds(o, ";\n");
}

static void drop_constraint_sql(strbuf *o, const cat_table *t, const char *name)
{
    pgd_alter_table(o, t);
    strbuf_adds(o, " DROP CONSTRAINT ");
    pg_ident(o, name);
    strbuf_adds(o, ";\n");
}

static bool constraint_eq(const cat_constraint *a, const cat_constraint *b)
{
    return a->kind == b->kind && pgd_strvec_eq(&a->columns, &b->columns) && pgd_str_eq(a->expr_norm, b->expr_norm) &&
           pgd_str_eq(a->ref_schema, b->ref_schema) && pgd_str_eq(a->ref_table, b->ref_table) &&
           pgd_strvec_eq(&a->ref_columns, &b->ref_columns) && a->on_delete == b->on_delete &&
           a->on_update == b->on_update && a->match == b->match && a->deferrable == b->deferrable &&
           a->initially_deferred == b->initially_deferred && a->no_inherit == b->no_inherit &&
           pgd_str_eq(a->using_method, b->using_method) && pgd_strvec_eq(&a->exclude_elems, &b->exclude_elems) &&
           pgd_strvec_eq(&a->include_columns, &b->include_columns) && pgd_str_eq(a->where_norm, b->where_norm) &&
           a->nulls_not_distinct == b->nulls_not_distinct;
}

static bool index_elem_eq(const cat_index_elem *a, const cat_index_elem *b)
{
    return pgd_str_eq(a->column, b->column) && pgd_str_eq(a->expr_norm, b->expr_norm) &&
           pgd_str_eq(a->collation, b->collation) && pgd_str_eq(a->opclass, b->opclass) && a->desc == b->desc &&
           a->nulls == b->nulls;
}

bool pgd_index_eq(const cat_index *a, const cat_index *b)
{
    if (a->elems.n != b->elems.n)
        return false;
    for (size_t i = 0; i < a->elems.n; i++)
        if (!index_elem_eq(&a->elems.v[i], &b->elems.v[i]))
            return false;
    return pgd_str_eq(a->table, b->table) && pgd_str_eq(a->method ? a->method : "btree", b->method ? b->method : "btree") &&
           a->unique == b->unique && a->nulls_not_distinct == b->nulls_not_distinct &&
           pgd_strvec_eq(&a->include_columns, &b->include_columns) && pgd_str_eq(a->where_norm, b->where_norm);
}

/* ---- inheritance -------------------------------------------------------------- */

/* the constraint comes from a parent (same name, inheritable; partitions: cloned keys) */
static bool inherited_constraint(catalog *cat, const cat_table *t, const cat_constraint *k)
{
    for (size_t i = 0; i < t->inherits.n; i++) {
        const cat_table *p = pg_table_parent(cat, t, i);
        if (!p)
            continue;
        const cat_constraint *pk = k->name ? catalog_constraint_find(p, k->name) : NULL;
        if (pk && pk->kind == k->kind && !pk->no_inherit)
            return true;
        if (!t->partition_bound || k->kind == CON_CHECK)
            continue;
        for (size_t j = 0; j < p->constraints.n; j++) {
            const cat_constraint *c = p->constraints.v[j];
            if (c->kind == k->kind && (k->kind == CON_PRIMARY || pgd_strvec_eq(&c->columns, &k->columns)))
                return true;
        }
    }
    return false;
}

/* ---- whole tables -------------------------------------------------------------- */

static void drop_table_fks(pgd *d, const cat_table *t, unsigned hz)
{
    strbuf q = STRBUF_INIT;
    for (size_t i = 0; i < t->constraints.n; i++) {
        const cat_constraint *k = t->constraints.v[i];
        if (k->kind != CON_FOREIGN || !k->name || inherited_constraint(d->from, t, k))
            continue;
        const char *key = pgd_key3(d, t->schema, t->name, k->name);
        if (hashmap_get(&d->dropped_fk, key))
            continue;
        hashmap_put(&d->dropped_fk, key, (void *)1);
        drop_constraint_sql(&q, t, k->name);
        pgd_add(d, "drop_foreign_key", OBJ_CONSTRAINT, t->schema, t->name, k->name, PHASE_DROP_DEPENDENTS, hz, &q);
    }
    strbuf_release(&q);
}

/* sequences owned by the table (column) that TO keeps would go with the
 * drop: detach them first (OWNED BY is restated in the metadata phase) */
static void release_owned_sequences(pgd *d, strbuf *q, const cat_table *t, const char *column)
{
    for (size_t i = 0; i < d->from->sequences.n; i++) {
        const cat_sequence *s = d->from->sequences.v[i];
        if (!pgd_str_eq(s->owned_by_table, t->name) || strcmp(s->schema, t->schema) ||
            (column && !pgd_str_eq(s->owned_by_column, column)) || !catalog_sequence_find(d->to, s->schema, s->name))
            continue;
        strbuf_adds(q, "ALTER SEQUENCE ");
        pg_qname(q, s->schema, s->name);
        strbuf_adds(q, " OWNED BY NONE;\n");
    }
}

static void drop_table(pgd *d, const cat_table *t, const char *kind)
{
    drop_table_fks(d, t, HAZARD_DESTRUCTIVE);
    strbuf q = STRBUF_INIT;
    release_owned_sequences(d, &q, t, NULL);
    /* a partition goes with its partitioned parent */
    strbuf_adds(&q, t->partition_bound ? "DROP TABLE IF EXISTS " : "DROP TABLE ");
    pg_qname(&q, t->schema, t->name);
    strbuf_adds(&q, ";\n");
    diff_change *c = pgd_add(d, kind, OBJ_TABLE, t->schema, t->name, NULL, PHASE_DROP_OBJECTS, HAZARD_DESTRUCTIVE, &q);
    c->order = t->inherits.n ? 10 : 20; /* children before parents */
    pgd_mark_dirty(d, t->schema, t->name);
    hashmap_put(&d->fk_dirty, pgd_key(d, t->schema, t->name), (void *)1);
    strbuf_release(&q);
}

static int table_rank(pgd *d, const cat_table *t, cat_table **order)
{
    (void)d;
    for (size_t i = 0; order[i]; i++)
        if (order[i] == t)
            return (int)i;
    return 0;
}

static void create_table(pgd *d, const cat_table *t, int rank, const char *kind)
{
    strbuf q = STRBUF_INIT;
    pg_emit_table(&q, d->to, t);
    pg_emit_not_valid_checks(&q, d->to, t);
    pgd_add(d, kind, OBJ_TABLE, t->schema, t->name, NULL, PHASE_ALTER_TABLES, 0, &q)->order = rank;
    for (size_t i = 0; i < t->indexes.n; i++) {
        pg_emit_index(&q, t->indexes.v[i]);
        pgd_add(d, "create_index", OBJ_INDEX, t->schema, t->indexes.v[i]->name, NULL, PHASE_CREATE_INDEXES, 0, &q);
    }
    strbuf_release(&q);
}

/* ---- columns -------------------------------------------------------------------- */

static bool generated_eq(const cat_column *a, const cat_column *b)
{
    return a->generated == b->generated && pgd_str_eq(a->generated_norm, b->generated_norm);
}

/* "character varying(20)" -> base "character varying", mod 20 (-1 none) */
static void split_typmod(const char *type, strbuf *base, long *m1, long *m2)
{
    const char *p = strchr(type, '(');
    *m1 = *m2 = -1;
    if (!p || strchr(type, '[')) {
        strbuf_adds(base, type);
        return;
    }
    strbuf_add(base, type, (size_t)(p - type));
    char *end;
    *m1 = strtol(p + 1, &end, 10);
    if (*end == ',')
        *m2 = strtol(end + 1, &end, 10);
    if (*end != ')' || end[1]) {
        strbuf_reset(base);
        strbuf_adds(base, type);
        *m1 = *m2 = -1;
    }
}

static bool is_text_like(const char *b)
{
    return !strcmp(b, "text") || !strcmp(b, "character varying");
}

/* hazards of ALTER COLUMN ... TYPE from -> to */
static unsigned type_change_hazards(const char *from, const char *to)
{
    strbuf fb = STRBUF_INIT, tb = STRBUF_INIT;
    long f1, f2, t1, t2;
    split_typmod(from ? from : "", &fb, &f1, &f2);
    split_typmod(to ? to : "", &tb, &t1, &t2);
    const char *a = strbuf_str(&fb), *b = strbuf_str(&tb);
    unsigned hz = HAZARD_ACCESS_EXCLUSIVE;
    if (is_text_like(a) && is_text_like(b) && (t1 < 0 || (f1 >= 0 && t1 >= f1))) {
        /* binary coercible widening: no rewrite */
    } else if (!strcmp(a, b) && !strcmp(a, "numeric") && (t1 < 0 || (f1 >= 0 && t1 >= f1 && t2 == f2))) {
        /* numeric precision increase */
    } else if (!strcmp(a, b) && t1 >= 0 && (f1 < 0 || t1 < f1 || (t2 >= 0 && f2 >= 0 && t2 < f2))) {
        hz |= HAZARD_TABLE_REWRITE | HAZARD_DESTRUCTIVE | HAZARD_DATA_DEPENDENT; /* narrowing truncates/rounds */
    } else if (is_text_like(a) && is_text_like(b)) {
        hz |= HAZARD_TABLE_REWRITE | HAZARD_DESTRUCTIVE | HAZARD_DATA_DEPENDENT;
    } else if ((!strcmp(a, "smallint") && (!strcmp(b, "integer") || !strcmp(b, "bigint"))) ||
               (!strcmp(a, "integer") && !strcmp(b, "bigint")) || !strcmp(b, "text") ||
               (!strcmp(a, b))) {
        hz |= HAZARD_TABLE_REWRITE;
    } else {
        hz |= HAZARD_TABLE_REWRITE | HAZARD_DATA_DEPENDENT;
    }
    strbuf_release(&fb);
    strbuf_release(&tb);
    return hz;
}

static bool volatile_default(const char *def)
{
    static const char *const fns[] = {"nextval(", "random(", "uuid", "clock_timestamp(", "timeofday(", NULL};
    for (size_t i = 0; def && fns[i]; i++)
        if (strstr(def, fns[i]))
            return true;
    return false;
}

static void add_column(pgd *d, const cat_table *t, const cat_column *c, const char *kind, bool drop_first)
{
    strbuf q = STRBUF_INIT;
    unsigned hz = 0;
    if (drop_first) {
        pgd_alter_table(&q, t);
        strbuf_adds(&q, " DROP COLUMN ");
        pg_ident(&q, c->name);
        strbuf_adds(&q, ";\n");
        hz |= HAZARD_DESTRUCTIVE;
    }
    pgd_alter_table(&q, t);
    strbuf_adds(&q, " ADD COLUMN ");
    pg_emit_column_def(&q, c);
    strbuf_adds(&q, ";\n");
    if (c->generated || c->identity || volatile_default(c->default_norm))
        hz |= HAZARD_TABLE_REWRITE | HAZARD_ACCESS_EXCLUSIVE;
    if (c->not_null && !c->default_norm && !c->identity && !c->generated)
        hz |= HAZARD_DATA_DEPENDENT;
    pgd_add(d, kind, OBJ_COLUMN, t->schema, t->name, c->name, PHASE_ALTER_TABLES, hz, &q)->order = 10000;
    strbuf_release(&q);
}

static long long type_max(const char *type)
{
    if (type && !strcmp(type, "smallint"))
        return 32767;
    if (type && !strcmp(type, "integer"))
        return 2147483647LL;
    return 9223372036854775807LL;
}

/* "SET INCREMENT BY 1 SET MINVALUE ..." restating every identity option */
static void identity_set_options(strbuf *q, const cat_column *c)
{
    long long inc = 1, start = 0;
    const char *o = c->identity_options ? c->identity_options : "";
    const char *p;
    bool has_min = false, has_max = false, has_start = false;
    long long min = 0, max = 0, cache = 1;
    if ((p = strstr(o, "INCREMENT BY ")))
        inc = strtoll(p + 13, NULL, 10);
    if ((p = strstr(o, "MINVALUE ")))
        min = strtoll(p + 9, NULL, 10), has_min = true;
    if ((p = strstr(o, "MAXVALUE ")))
        max = strtoll(p + 9, NULL, 10), has_max = true;
    if ((p = strstr(o, "START WITH ")))
        start = strtoll(p + 11, NULL, 10), has_start = true;
    if ((p = strstr(o, "CACHE ")))
        cache = strtoll(p + 6, NULL, 10);
    if (!has_min)
        min = inc > 0 ? 1 : -type_max(c->type) - 1;
    if (!has_max)
        max = inc > 0 ? type_max(c->type) : -1;
    if (!has_start)
        start = inc > 0 ? min : max;
    strbuf_addf(q, " SET INCREMENT BY %lld SET MINVALUE %lld SET MAXVALUE %lld SET START WITH %lld SET CACHE %lld %s",
                inc, min, max, start, cache, strstr(o, "CYCLE") ? "SET CYCLE" : "SET NO CYCLE");
}

static void alter_col_prefix(strbuf *q, const cat_table *t, const cat_column *c)
{
    pgd_alter_table(q, t);
    strbuf_adds(q, " ALTER COLUMN ");
    pg_ident(q, c->name);
}

static void alter_column(pgd *d, const cat_table *t, const cat_column *fc, const cat_column *tc)
{
    strbuf q = STRBUF_INIT;
    unsigned hz = 0;
    bool type_changed = !pgd_str_eq(fc->type, tc->type) || !pgd_str_eq(fc->collation, tc->collation);
    bool def_changed = !pgd_str_eq(fc->default_norm, tc->default_norm);
    if (fc->default_norm && !fc->identity && (def_changed || type_changed)) {
        alter_col_prefix(&q, t, fc);
        strbuf_adds(&q, " DROP DEFAULT;\n");
        pgd_add(d, "drop_default", OBJ_COLUMN, t->schema, t->name, tc->name, PHASE_DROP_OBJECTS, 0, &q)->order = -1;
    }
    if (fc->identity && !tc->identity) {
        alter_col_prefix(&q, t, tc);
        strbuf_adds(&q, " DROP IDENTITY;\n");
    }
    if (type_changed) {
        alter_col_prefix(&q, t, tc);
        strbuf_addf(&q, " TYPE %s", tc->type && *tc->type ? tc->type : "text");
        if (tc->collation) {
            strbuf_adds(&q, " COLLATE ");
            pg_ident(&q, tc->collation);
        }
        if (!pgd_str_eq(fc->type, tc->type)) {
            strbuf_adds(&q, " USING ");
            pg_ident(&q, tc->name);
            strbuf_addf(&q, "::%s", tc->type);
        }
        strbuf_adds(&q, ";\n");
        hz |= pgd_str_eq(fc->type, tc->type) ? HAZARD_TABLE_REWRITE | HAZARD_ACCESS_EXCLUSIVE
                                             : type_change_hazards(fc->type, tc->type);
        pgd_mark_dirty(d, t->schema, t->name);
        pgd_fk_dirty_column(d, t->schema, t->name, tc->name);
    }
    if (fc->not_null != tc->not_null) {
        alter_col_prefix(&q, t, tc);
        strbuf_adds(&q, tc->not_null ? " SET NOT NULL;\n" : " DROP NOT NULL;\n");
        if (tc->not_null)
            hz |= HAZARD_FULL_SCAN | HAZARD_DATA_DEPENDENT | HAZARD_ACCESS_EXCLUSIVE;
    }
    if (tc->identity && !fc->identity) {
        alter_col_prefix(&q, t, tc);
        strbuf_adds(&q, tc->identity == 'a' ? " ADD GENERATED ALWAYS AS IDENTITY" : " ADD GENERATED BY DEFAULT AS IDENTITY");
        if (tc->identity_options && *tc->identity_options)
            strbuf_addf(&q, " (%s)", tc->identity_options);
        strbuf_adds(&q, ";\n");
        hz |= HAZARD_DATA_DEPENDENT;
    } else if (tc->identity && fc->identity) {
        if (tc->identity != fc->identity) {
            alter_col_prefix(&q, t, tc);
            strbuf_adds(&q, tc->identity == 'a' ? " SET GENERATED ALWAYS;\n" : " SET GENERATED BY DEFAULT;\n");
        }
        if (!pgd_str_eq(fc->identity_options, tc->identity_options)) {
            alter_col_prefix(&q, t, tc);
            identity_set_options(&q, tc);
            strbuf_adds(&q, ";\n");
        }
    }
    const char *def = emit_expr_text(tc->default_expr, tc->default_norm);
    if (def && !tc->identity && !tc->generated && (def_changed || type_changed)) {
        alter_col_prefix(&q, t, tc);
        strbuf_adds(&q, " SET DEFAULT ");
        pg_add_text(&q, def);
        strbuf_adds(&q, ";\n");
    }
    if (q.len)
        pgd_add(d, type_changed ? "alter_column_type" : "alter_column", OBJ_COLUMN, t->schema, t->name, tc->name,
                PHASE_ALTER_TABLES, hz, &q)
            ->order = 5000;
    strbuf_release(&q);
}

/* Column order PostgreSQL reaches: FROM's surviving columns, then added ones.
 * false when that is not TO's order (the table must be recreated). */
static bool column_order_reachable(catalog *to, const cat_table *f, const cat_table *t)
{
    size_t k = 0;
    for (size_t i = 0; i < f->columns.n; i++) {
        const cat_column *tc = catalog_column_find(t, f->columns.v[i]->name);
        if (!tc || !generated_eq(f->columns.v[i], tc))
            continue;
        if (k >= t->columns.n || strcmp(t->columns.v[k]->name, tc->name))
            return false;
        k++;
    }
    for (; k < t->columns.n; k++) {
        const cat_column *fc = catalog_column_find(f, t->columns.v[k]->name);
        if (fc && generated_eq(fc, t->columns.v[k]))
            return false;
    }
    (void)to;
    return true;
}

static void diff_columns(pgd *d, const cat_table *f, const cat_table *t)
{
    strbuf q = STRBUF_INIT;
    bool partition = t->partition_bound != NULL;
    for (size_t i = 0; i < f->columns.n && !partition; i++) {
        const cat_column *fc = f->columns.v[i];
        if (catalog_column_find(t, fc->name) || pg_inherited_column(d->from, f, fc->name))
            continue;
        release_owned_sequences(d, &q, f, fc->name);
        pgd_alter_table(&q, t);
        strbuf_adds(&q, " DROP COLUMN ");
        pg_ident(&q, fc->name);
        strbuf_adds(&q, ";\n");
        pgd_add(d, "drop_column", OBJ_COLUMN, t->schema, t->name, fc->name, PHASE_DROP_OBJECTS, HAZARD_DESTRUCTIVE, &q)
            ->order = 30;
        pgd_mark_dirty(d, t->schema, t->name);
        pgd_fk_dirty_column(d, t->schema, t->name, fc->name);
    }
    for (size_t i = 0; i < t->columns.n && !partition; i++) {
        const cat_column *tc = t->columns.v[i];
        const cat_column *fc = catalog_column_find(f, tc->name);
        if (pg_inherited_column(d->to, t, tc->name) && (!fc || pg_inherited_column(d->from, f, tc->name)))
            continue;
        if (!fc) {
            add_column(d, t, tc, "add_column", false);
        } else if (!generated_eq(fc, tc)) {
            add_column(d, t, tc, "recreate_column", true);
            pgd_mark_dirty(d, t->schema, t->name);
            pgd_fk_dirty_column(d, t->schema, t->name, tc->name);
        } else {
            alter_column(d, t, fc, tc);
        }
    }
    strbuf_release(&q);
}

/* ---- constraints and indexes ------------------------------------------------------- */

static unsigned constraint_hazards(const cat_constraint *k)
{
    if (k->not_valid)
        return 0;
    return HAZARD_FULL_SCAN | HAZARD_DATA_DEPENDENT | (k->kind == CON_CHECK ? 0 : HAZARD_ACCESS_EXCLUSIVE);
}

static void diff_constraints(pgd *d, const cat_table *f, const cat_table *t)
{
    strbuf q = STRBUF_INIT;
    for (size_t i = 0; i < f->constraints.n; i++) {
        const cat_constraint *fk = f->constraints.v[i];
        if (fk->kind == CON_FOREIGN || !fk->name || inherited_constraint(d->from, f, fk))
            continue;
        const cat_constraint *tk = catalog_constraint_find(t, fk->name);
        if (tk && constraint_eq(fk, tk) && (fk->not_valid == tk->not_valid || !tk->not_valid))
            continue;
        drop_constraint_sql(&q, t, fk->name);
        pgd_add(d, "drop_constraint", OBJ_CONSTRAINT, t->schema, t->name, fk->name, PHASE_DROP_OBJECTS, 0, &q)->order = 10;
        if (fk->kind != CON_CHECK) {
            /* FKs referencing these key columns go and come back around it */
            for (size_t c = 0; c < fk->columns.n; c++)
                pgd_fk_dirty_column(d, t->schema, t->name, fk->columns.v[c]);
            if (!fk->columns.n)
                hashmap_put(&d->fk_dirty, pgd_key(d, t->schema, t->name), (void *)1);
        }
    }
    for (size_t i = 0; i < t->constraints.n; i++) {
        const cat_constraint *tk = t->constraints.v[i];
        if (tk->kind == CON_FOREIGN || inherited_constraint(d->to, t, tk))
            continue;
        const cat_constraint *fk = tk->name ? catalog_constraint_find(f, tk->name) : NULL;
        if (fk && inherited_constraint(d->from, f, fk))
            fk = NULL;
        if (fk && constraint_eq(fk, tk) && fk->not_valid == tk->not_valid)
            continue;
        if (fk && constraint_eq(fk, tk) && fk->not_valid && !tk->not_valid) {
            pgd_alter_table(&q, t);
            strbuf_adds(&q, " VALIDATE CONSTRAINT ");
            pg_ident(&q, tk->name);
            strbuf_adds(&q, ";\n");
            pgd_add(d, "validate_constraint", OBJ_CONSTRAINT, t->schema, t->name, tk->name, PHASE_ALTER_TABLES,
                    HAZARD_FULL_SCAN | HAZARD_DATA_DEPENDENT, &q)
                ->order = 20000;
            continue;
        }
        pgd_add_constraint_sql(&q, t, tk);
        pgd_add(d, "add_constraint", OBJ_CONSTRAINT, t->schema, t->name, tk->name, PHASE_ALTER_TABLES,
                constraint_hazards(tk), &q)
            ->order = 20000;
        if (fk)
            pgd_mark_recreated(d, "constraint", t->schema, pgd_key(d, t->name, tk->name));
    }
    strbuf_release(&q);
}

static const cat_index *find_index(cat_index *const *v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i]->name, name))
            return v[i];
    return NULL;
}

void pgd_diff_indexes(pgd *d, const char *schema, const char *rel, cat_index *const *f, size_t fn,
                      cat_index *const *t, size_t tn)
{
    strbuf q = STRBUF_INIT;
    for (size_t i = 0; i < fn; i++) {
        const cat_index *fi = f[i], *ti = find_index(t, tn, fi->name);
        if (ti && pgd_index_eq(fi, ti))
            continue;
        strbuf_adds(&q, "DROP INDEX ");
        pg_qname(&q, fi->schema, fi->name);
        strbuf_adds(&q, ";\n");
        pgd_add(d, "drop_index", OBJ_INDEX, fi->schema, fi->name, NULL, PHASE_DROP_OBJECTS, 0, &q)->order = 20;
        if (fi->unique) {
            /* an FK may rest on this unique index: those on its columns are
             * dropped and re-added around it (an expression index: all) */
            bool all_columns = fi->elems.n > 0;
            for (size_t e = 0; e < fi->elems.n; e++)
                all_columns &= fi->elems.v[e].column != NULL;
            for (size_t e = 0; all_columns && e < fi->elems.n; e++)
                pgd_fk_dirty_column(d, schema, rel, fi->elems.v[e].column);
            if (!all_columns)
                hashmap_put(&d->fk_dirty, pgd_key(d, schema, rel), (void *)1);
        }
    }
    for (size_t i = 0; i < tn; i++) {
        const cat_index *ti = t[i], *fi = find_index(f, fn, ti->name);
        if (fi && pgd_index_eq(fi, ti))
            continue;
        pg_emit_index(&q, ti);
        pgd_add(d, "create_index", OBJ_INDEX, ti->schema, ti->name, NULL, PHASE_CREATE_INDEXES, HAZARD_FULL_SCAN, &q);
        if (fi)
            pgd_mark_recreated(d, "index", ti->schema, ti->name);
    }
    strbuf_release(&q);
}

static void diff_table_flags(pgd *d, const cat_table *f, const cat_table *t)
{
    strbuf q = STRBUF_INIT;
    if (f->unlogged != t->unlogged) {
        pgd_alter_table(&q, t);
        strbuf_adds(&q, t->unlogged ? " SET UNLOGGED;\n" : " SET LOGGED;\n");
        pgd_add(d, "alter_table", OBJ_TABLE, t->schema, t->name, NULL, PHASE_ALTER_TABLES,
                HAZARD_TABLE_REWRITE | HAZARD_ACCESS_EXCLUSIVE, &q)
            ->order = 1;
    }
    if (!t->partition_bound && !pgd_strvec_eq(&f->inherits, &t->inherits)) {
        for (size_t i = 0; i < f->inherits.n; i++) {
            bool keep = false;
            for (size_t j = 0; j < t->inherits.n; j++)
                keep |= !strcmp(f->inherits.v[i], t->inherits.v[j]);
            if (keep)
                continue;
            const char *s, *n;
            emit_split_qualified(d->from, f->inherits.v[i], &s, &n);
            pgd_alter_table(&q, t);
            strbuf_adds(&q, " NO INHERIT ");
            pg_qname(&q, s, n);
            strbuf_adds(&q, ";\n");
        }
        for (size_t i = 0; i < t->inherits.n; i++) {
            bool had = false;
            for (size_t j = 0; j < f->inherits.n; j++)
                had |= !strcmp(t->inherits.v[i], f->inherits.v[j]);
            if (had)
                continue;
            const char *s, *n;
            emit_split_qualified(d->to, t->inherits.v[i], &s, &n);
            pgd_alter_table(&q, t);
            strbuf_adds(&q, " INHERIT ");
            pg_qname(&q, s, n);
            strbuf_adds(&q, ";\n");
        }
        pgd_add(d, "alter_table_inherit", OBJ_TABLE, t->schema, t->name, NULL, PHASE_ALTER_TABLES, 0, &q)->order =
            30000;
    }
    strbuf_release(&q);
}

/* Constraints and indexes that only changed name (typically after a table
 * rename: the server keeps emp_pkey, TO says employee_pkey) are renamed, and
 * renamed in FROM so the comparison below sees them as unchanged. */
static void rename_same_definitions(pgd *d, cat_table *f, const cat_table *t)
{
    strbuf q = STRBUF_INIT;
    for (size_t i = 0; i < f->constraints.n; i++) {
        cat_constraint *fk = f->constraints.v[i];
        if (!fk->name || catalog_constraint_find(t, fk->name) || inherited_constraint(d->from, f, fk))
            continue;
        for (size_t j = 0; j < t->constraints.n; j++) {
            const cat_constraint *tk = t->constraints.v[j];
            if (!tk->name || catalog_constraint_find(f, tk->name) || !constraint_eq(fk, tk) ||
                fk->not_valid != tk->not_valid)
                continue;
            pgd_alter_table(&q, t);
            strbuf_adds(&q, " RENAME CONSTRAINT ");
            pg_ident(&q, fk->name);
            strbuf_adds(&q, " TO ");
            pg_ident(&q, tk->name);
            strbuf_adds(&q, ";\n");
            pgd_add(d, "rename_constraint", OBJ_CONSTRAINT, t->schema, t->name, tk->name, PHASE_RENAMES, 0, &q)
                ->order = -70;
            fk->name = arena_strdup(&d->from->mem, tk->name);
            break;
        }
    }
    for (size_t i = 0; i < f->indexes.n; i++) {
        cat_index *fi = f->indexes.v[i];
        if (find_index(t->indexes.v, t->indexes.n, fi->name))
            continue;
        for (size_t j = 0; j < t->indexes.n; j++) {
            const cat_index *ti = t->indexes.v[j];
            if (find_index(f->indexes.v, f->indexes.n, ti->name) || !pgd_str_eq(fi->schema, ti->schema) ||
                catalog_index_find(d->from, ti->schema, ti->name) || !pgd_index_eq(fi, ti))
                continue;
            strbuf_adds(&q, "ALTER INDEX ");
            pg_qname(&q, fi->schema, fi->name);
            strbuf_adds(&q, " RENAME TO ");
            pg_ident(&q, ti->name);
            strbuf_adds(&q, ";\n");
            pgd_add(d, "rename_index", OBJ_INDEX, ti->schema, ti->name, NULL, PHASE_RENAMES, 0, &q)->order = -70;
            catalog_index_rename(d->from, fi, fi->schema, ti->name);
            break;
        }
    }
    strbuf_release(&q);
}

/* the table cannot be altered into shape: partitioning or column order */
static bool needs_recreate(pgd *d, const cat_table *f, const cat_table *t)
{
    if (!pgd_str_eq(f->partition_by, t->partition_by) || !pgd_str_eq(f->partition_bound, t->partition_bound))
        return true;
    if (t->partition_bound && !pgd_strvec_eq(&f->inherits, &t->inherits))
        return true;
    if (t->partition_bound)
        return false;
    return !column_order_reachable(d->to, f, t);
}

void pgd_tables(pgd *d)
{
    cat_table **order = emit_tables_in_order(d->to);
    cat_table **ord0 = arena_alloc(d->mem, (d->to->tables.n + 1) * sizeof *ord0);
    memcpy(ord0, order, d->to->tables.n * sizeof *ord0);
    for (size_t i = 0; i < d->from->tables.n; i++) {
        const cat_table *f = d->from->tables.v[i];
        if (!catalog_table_find(d->to, f->schema, f->name))
            drop_table(d, f, "drop_table");
    }
    for (size_t i = 0; i < d->to->tables.n; i++) {
        const cat_table *t = ord0[i];
        const cat_table *f = catalog_table_find(d->from, t->schema, t->name);
        if (!f) {
            create_table(d, t, (int)i, "create_table");
            continue;
        }
        if (needs_recreate(d, f, t)) {
            drop_table(d, f, "drop_table");
            create_table(d, t, (int)i, "recreate_table");
            pgd_mark_recreated(d, "table", t->schema, t->name);
            continue;
        }
        rename_same_definitions(d, (cat_table *)f, t);
        diff_table_flags(d, f, t);
        diff_columns(d, f, t);
        diff_constraints(d, f, t);
        pgd_diff_indexes(d, t->schema, t->name, f->indexes.v, f->indexes.n, t->indexes.v, t->indexes.n);
    }
    (void)table_rank;
}

/* ---- foreign keys --------------------------------------------------------------------- */

void pgd_fk_dirty_column(pgd *d, const char *schema, const char *table, const char *column)
{
    hashmap_put(&d->fk_dirty, pgd_key3(d, schema, table, column), (void *)1);
}

/* the table as a whole, or one of the columns, changes under its FKs */
static bool fk_columns_dirty(pgd *d, const char *schema, const char *table, const strvec *cols)
{
    if (hashmap_get(&d->fk_dirty, pgd_key(d, schema, table)))
        return true;
    for (size_t i = 0; i < cols->n; i++)
        if (hashmap_get(&d->fk_dirty, pgd_key3(d, schema, table, cols->v[i])))
            return true;
    return false;
}

/* what the FK references changes: the referenced table as a whole, or one of
 * the referenced columns (an empty column list means its primary key) */
static bool fk_ref_dirty(pgd *d, catalog *cat, const cat_constraint *k)
{
    const char *schema = k->ref_schema ? k->ref_schema : "public";
    if (k->ref_columns.n)
        return fk_columns_dirty(d, schema, k->ref_table, &k->ref_columns);
    const cat_table *rt = catalog_table_find(cat, schema, k->ref_table);
    const cat_constraint *pk = rt ? catalog_primary_key(rt) : NULL;
    if (pk)
        return fk_columns_dirty(d, schema, k->ref_table, &pk->columns);
    return hashmap_get(&d->fk_dirty, pgd_key(d, schema, k->ref_table)) != NULL;
}

void pgd_foreign_keys(pgd *d)
{
    strbuf q = STRBUF_INIT;
    /* drops: FKs gone, changed, or around a change of what they reference */
    for (size_t i = 0; i < d->from->tables.n; i++) {
        const cat_table *f = d->from->tables.v[i];
        const cat_table *t = catalog_table_find(d->to, f->schema, f->name);
        if (!t)
            continue; /* dropped with its table */
        for (size_t j = 0; j < f->constraints.n; j++) {
            const cat_constraint *fk = f->constraints.v[j];
            if (fk->kind != CON_FOREIGN || !fk->name || inherited_constraint(d->from, f, fk))
                continue;
            bool table_dirty = fk_columns_dirty(d, f->schema, f->name, &fk->columns);
            const cat_constraint *tk = catalog_constraint_find(t, fk->name);
            if (tk && tk->kind == CON_FOREIGN && constraint_eq(fk, tk) && !table_dirty && !fk_ref_dirty(d, d->from, fk) &&
                (fk->not_valid == tk->not_valid || !tk->not_valid))
                continue;
            const char *key = pgd_key3(d, f->schema, f->name, fk->name);
            if (hashmap_get(&d->dropped_fk, key))
                continue;
            hashmap_put(&d->dropped_fk, key, (void *)1);
            drop_constraint_sql(&q, f, fk->name);
            pgd_add(d, "drop_foreign_key", OBJ_CONSTRAINT, f->schema, f->name, fk->name, PHASE_DROP_DEPENDENTS, 0, &q);
        }
    }
    /* adds */
    for (size_t i = 0; i < d->to->tables.n; i++) {
        const cat_table *t = d->to->tables.v[i];
        const cat_table *f = catalog_table_find(d->from, t->schema, t->name);
        for (size_t j = 0; j < t->constraints.n; j++) {
            const cat_constraint *tk = t->constraints.v[j];
            if (tk->kind != CON_FOREIGN || !tk->ref_table || inherited_constraint(d->to, t, tk))
                continue;
            const cat_constraint *fk = f && tk->name ? catalog_constraint_find(f, tk->name) : NULL;
            bool dropped = f && tk->name && hashmap_get(&d->dropped_fk, pgd_key3(d, t->schema, t->name, tk->name));
            if (fk && !dropped && constraint_eq(fk, tk)) {
                if (fk->not_valid && !tk->not_valid) {
                    pgd_alter_table(&q, t);
                    strbuf_adds(&q, " VALIDATE CONSTRAINT ");
                    pg_ident(&q, tk->name);
                    strbuf_adds(&q, ";\n");
                    pgd_add(d, "validate_constraint", OBJ_CONSTRAINT, t->schema, t->name, tk->name, PHASE_CREATE_FKS,
                            HAZARD_FULL_SCAN | HAZARD_DATA_DEPENDENT, &q);
                }
                continue;
            }
            pgd_add_constraint_sql(&q, t, tk);
            pgd_add(d, "add_foreign_key", OBJ_CONSTRAINT, t->schema, t->name, tk->name, PHASE_CREATE_FKS,
                    constraint_hazards(tk), &q);
            if (fk)
                pgd_mark_recreated(d, "constraint", t->schema, pgd_key(d, t->name, tk->name));
        }
    }
    strbuf_release(&q);
}
