/*
 * lint_migration.c — owns the migration-safety rule set of `dbsage lint`
 * (squawk's rules, each with its squawk name as alias): the rule table and
 * lint_migration_run(), which parses one migration file with libpg_query,
 * walks its statements in order keeping the file's state (open transaction,
 * tables created here, lock/statement timeouts set) and reports statements
 * that lock or rewrite existing tables, lose data, or do not survive a
 * re-run.  CREATE/ALTER TABLE checks live in lint_migration_table.c.
 */
#include <ctype.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "analysis/lint_migration.h"
#include "analysis/lint_migration_int.h"
#include "source/pg_parse.h"
#include "source/pg_sql_util.h"

#define E DIAG_ERROR
#define W DIAG_WARNING
#define M LINT_MIGRATION

static const lint_rule migration_rules[] = {
    {"adding-field-with-default", "adding-field-with-default", M, E,
     "ADD COLUMN with a volatile default (or a stored generated column) rewrites the table"},
    {"adding-foreign-key-constraint", "adding-foreign-key-constraint", M, E,
     "adding a foreign key without NOT VALID locks both tables while every row is checked"},
    {"adding-not-nullable-field", "adding-not-nullable-field", M, E,
     "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock"},
    {"adding-required-field", "adding-required-field", M, E,
     "ADD COLUMN ... NOT NULL without a default fails on a non-empty table"},
    {"adding-serial-primary-key-field", "adding-serial-primary-key-field", M, E,
     "adding a primary key builds its index under an ACCESS EXCLUSIVE lock (use USING INDEX)"},
    {"ban-char-field", "ban-char-field", M, W, "char(n) pads with blanks; use text or varchar"},
    {"ban-concurrent-index-creation-in-transaction", "ban-concurrent-index-creation-in-transaction",
     M, E, "CREATE INDEX CONCURRENTLY cannot run inside a transaction block"},
    {"ban-drop-column", "ban-drop-column", M, E,
     "dropping a column loses data and breaks clients still reading it"},
    {"ban-drop-database", "ban-drop-database", M, E, "DROP DATABASE in a migration"},
    {"ban-drop-not-null", "ban-drop-not-null", M, W,
     "dropping NOT NULL breaks clients that rely on the column having a value"},
    {"ban-drop-table", "ban-drop-table", M, E,
     "dropping a table loses data and breaks clients still using it"},
    {"changing-column-type", "changing-column-type", M, E,
     "ALTER COLUMN TYPE rewrites the table (and its indexes) under an ACCESS EXCLUSIVE lock"},
    {"constraint-missing-not-valid", "constraint-missing-not-valid", M, E,
     "CHECK/FOREIGN KEY added without NOT VALID (or validated in the same transaction) "
     "scans the table under lock"},
    {"disallowed-unique-constraint", "disallowed-unique-constraint", M, E,
     "ADD UNIQUE builds its index under an ACCESS EXCLUSIVE lock (use USING INDEX)"},
    {"prefer-bigint-over-int", "prefer-bigint-over-int", M, W,
     "integer keys run out at 2^31; prefer bigint"},
    {"prefer-bigint-over-smallint", "prefer-bigint-over-smallint", M, W,
     "smallint runs out at 32767; prefer bigint"},
    {"prefer-identity", "prefer-identity", M, W,
     "serial types: prefer GENERATED ... AS IDENTITY"},
    {"prefer-robust-stmts", "prefer-robust-stmts", M, W,
     "outside a transaction, use IF [NOT] EXISTS so a failed migration can be re-run"},
    {"prefer-text-field", "prefer-text-field", M, W,
     "varchar(n): changing n later needs a lock; prefer text with a CHECK"},
    {"prefer-timestamptz", "prefer-timestamp-tz", M, W,
     "timestamp without time zone; prefer timestamptz"},
    {"renaming-column", "renaming-column", M, W,
     "renaming a column breaks clients still using the old name"},
    {"renaming-table", "renaming-table", M, W,
     "renaming a table breaks clients still using the old name"},
    {"require-concurrent-index-creation", "require-concurrent-index-creation", M, E,
     "CREATE INDEX without CONCURRENTLY blocks writes to an existing table"},
    {"require-concurrent-index-deletion", "require-concurrent-index-deletion", M, W,
     "DROP INDEX without CONCURRENTLY locks the table"},
    {"transaction-nesting", "transaction-nesting", M, W,
     "BEGIN inside a transaction, or COMMIT/ROLLBACK without one"},
    {"ban-create-domain-with-constraint", "ban-create-domain-with-constraint", M, W,
     "constraints on domains are hard to change online; put them on the columns"},
    {"ban-alter-domain-with-add-constraint", "ban-alter-domain-with-add-constraint", M, E,
     "ALTER DOMAIN ADD CONSTRAINT checks every column of the domain under lock"},
    {"ban-truncate-cascade", "ban-truncate-cascade", M, E,
     "TRUNCATE ... CASCADE also empties every referencing table"},
    {"require-timeout-settings", "require-timeout-settings", M, W,
     "set lock_timeout and statement_timeout before DDL that locks existing tables"},
    {"ban-uncommitted-transaction", "ban-uncommitted-transaction", M, E,
     "BEGIN without a matching COMMIT at the end of the file"},
    {"require-concurrent-reindex", "require-concurrent-reindex", M, W,
     "REINDEX without CONCURRENTLY blocks writes (and reads using the index)"},
    {"require-concurrent-partition-detach", "require-concurrent-partition-detach", M, W,
     "DETACH PARTITION without CONCURRENTLY locks the parent table"},
    {"require-enum-value-ordering", "require-enum-value-ordering", M, W,
     "ALTER TYPE ... ADD VALUE without BEFORE/AFTER appends the value at the end of the order"},
    {"ban-duplicate-column-assignments", "ban-duplicate-column-assignments", M, E,
     "the same column assigned twice in one UPDATE / INSERT column list"},
    {0},
};

#undef E
#undef W
#undef M

/* rules that also apply to SQLite migrations */
static const char *const sqlite_rules[] = {
    "adding-required-field", "ban-drop-column", "ban-drop-table", "changing-column-type",
    "renaming-column", "renaming-table", "prefer-robust-stmts", "transaction-nesting",
    "ban-uncommitted-transaction", "ban-duplicate-column-assignments",
    /* ADD COLUMN forms SQLite refuses: */
    "adding-field-with-default", "adding-serial-primary-key-field", "disallowed-unique-constraint", NULL,
};

const lint_rule *lint_migration_rules(void) { return migration_rules; }

/* ---- reporting -------------------------------------------------------------- */

static src_loc loc_at(const mig *m, size_t off)
{
    src_loc l = line_index_loc(&m->li, off);
    l.file = m->file;
    if (l.line)
        l.line += m->first_line - 1;
    return l;
}

void mig_report(mig *m, const char *id, int node_loc, const char *object, const char *help,
                const char *fmt, ...)
{
    if (m->d == DIALECT_SQLITE) {
        bool ok = false;
        for (const char *const *r = sqlite_rules; *r && !ok; r++)
            ok = !strcmp(*r, id);
        if (!ok)
            return;
    }
    src_loc loc = m->stmt_loc;
    if (node_loc >= 0 && m->base + (size_t)node_loc >= m->stmt_off &&
        m->base + (size_t)node_loc < m->stmt_end)
        loc = loc_at(m, m->base + (size_t)node_loc);
    va_list ap;
    va_start(ap, fmt);
    const char *msg = arena_vprintf(&m->tmp, fmt, ap);
    va_end(ap);
    lint_report(m->ctx, id, loc, m->stmt_end_line, object, help, "%s", msg);
}

/* ---- tables ------------------------------------------------------------------ */

const char *mig_schema(const mig *m, const char *schema)
{
    if (schema && *schema)
        return schema;
    if (m->before)
        return catalog_default_schema(m->before);
    return m->d == DIALECT_SQLITE ? "main" : "public";
}

const char *mig_key(mig *m, const char *schema, const char *name)
{
    return arena_printf(&m->tmp, "%s.%s", mig_schema(m, schema), name ? name : "");
}

const char *mig_rv_display(mig *m, const PgQuery__RangeVar *rv)
{
    if (!rv)
        return NULL;
    return pgu_display(pgu_s(rv->schemaname), rv->relname, &m->tmp);
}

/* a table of `before`; SQLite names are case-insensitive (and libpg_query
 * folds unquoted names to lower case) */
const cat_table *mig_before_table(const mig *m, const char *schema, const char *name)
{
    if (!m->before || !name)
        return NULL;
    schema = mig_schema(m, schema);
    const cat_table *t = catalog_table_find(m->before, schema, name);
    if (t || m->d != DIALECT_SQLITE)
        return t;
    for (size_t i = 0; i < m->before->tables.n; i++) {
        t = m->before->tables.v[i];
        if (!strcasecmp(t->name, name) && !strcasecmp(t->schema, schema))
            return t;
    }
    return NULL;
}

bool mig_table_existing(mig *m, const PgQuery__RangeVar *rv)
{
    if (!rv || !pgu_s(rv->relname))
        return false;
    if (rv->relpersistence && rv->relpersistence[0] == 't')
        return false; /* temporary */
    const char *key = mig_key(m, pgu_s(rv->schemaname), rv->relname);
    if (hashmap_get(&m->created, key))
        return false;
    if (!m->before || hashmap_get(&m->renamed, key))
        return true;
    const char *schema = mig_schema(m, pgu_s(rv->schemaname));
    return mig_before_table(m, schema, rv->relname) != NULL ||
           catalog_view_find(m->before, schema, rv->relname) != NULL; /* materialized views get indexes */
}

void mig_table_created(mig *m, const PgQuery__RangeVar *rv, mig_newtable *info)
{
    if (rv && pgu_s(rv->relname))
        hashmap_put(&m->created, mig_key(m, pgu_s(rv->schemaname), rv->relname), info ? info : &m->no_info);
}

bool mig_robust_applies(const mig *m) { return !m->in_tx && m->n_stmts > 1; }

void mig_locking(mig *m, int node_loc)
{
    if (m->timeout_reported || (m->lock_timeout && m->statement_timeout))
        return;
    m->timeout_reported = true;
    const char *missing = !m->lock_timeout && !m->statement_timeout ? "lock_timeout and statement_timeout"
                          : !m->lock_timeout                      ? "lock_timeout"
                                                                  : "statement_timeout";
    mig_report(m, "require-timeout-settings", node_loc, NULL,
               "SET lock_timeout = '2s'; SET statement_timeout = '5min'; at the top of the file",
               "statement locks an existing table but %s %s not set: it can queue behind a "
               "long transaction and block every query on the table meanwhile",
               missing, strchr(missing, ' ') ? "are" : "is");
}

/* ---- statements other than CREATE/ALTER TABLE --------------------------------- */

static void check_index(mig *m, PgQuery__IndexStmt *st)
{
    const char *tbl = mig_rv_display(m, st->relation);
    bool existing = mig_table_existing(m, st->relation);
    if (st->concurrent && m->in_tx)
        mig_report(m, "ban-concurrent-index-creation-in-transaction", -1, tbl,
                   "run CREATE INDEX CONCURRENTLY in its own migration, outside BEGIN/COMMIT",
                   "CREATE INDEX CONCURRENTLY inside a transaction block fails");
    if (existing && !st->concurrent) {
        mig_report(m, "require-concurrent-index-creation", -1, tbl,
                   "CREATE INDEX CONCURRENTLY (outside a transaction)",
                   "CREATE INDEX on existing table %s blocks writes while the index is built", tbl);
        mig_locking(m, -1);
    }
    if (!st->if_not_exists && mig_robust_applies(m))
        mig_report(m, "prefer-robust-stmts", -1, tbl, "CREATE INDEX IF NOT EXISTS",
                   "CREATE INDEX without IF NOT EXISTS outside a transaction: a re-run fails");
}

static const char *drop_object_name(mig *m, const PgQuery__Node *o, const char **schema)
{
    *schema = NULL;
    PgQuery__List *l = pgu_list(o);
    if (l) {
        const char *name = NULL;
        pgu_names(l->items, l->n_items, schema, &name);
        return name;
    }
    const char *s = pgu_str(o);
    (void)m;
    return s;
}

static void check_drop(mig *m, PgQuery__DropStmt *st)
{
    for (size_t i = 0; i < st->n_objects; i++) {
        const char *schema, *name = drop_object_name(m, st->objects[i], &schema);
        if (!name)
            continue;
        const char *disp = pgu_display(schema, name, &m->tmp);
        const char *key = mig_key(m, schema, name);
        switch (st->remove_type) {
        case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE: {
            PgQuery__RangeVar rv = PG_QUERY__RANGE_VAR__INIT;
            rv.schemaname = (char *)(schema ? schema : "");
            rv.relname = (char *)name;
            if (mig_table_existing(m, &rv)) {
                mig_drop_table(m, schema, name, disp);
                mig_locking(m, -1);
            }
            hashmap_del(&m->created, key);
            break;
        }
        case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
            if (!st->concurrent)
                mig_report(m, "require-concurrent-index-deletion", -1, disp,
                           "DROP INDEX CONCURRENTLY (outside a transaction)",
                           "DROP INDEX %s without CONCURRENTLY locks its table", disp);
            break;
        default: break;
        }
    }
    if (!st->missing_ok && mig_robust_applies(m))
        mig_report(m, "prefer-robust-stmts", -1, NULL, "DROP ... IF EXISTS",
                   "DROP without IF EXISTS outside a transaction: a re-run fails");
}

static void check_rename(mig *m, PgQuery__RenameStmt *st)
{
    const char *tbl = mig_rv_display(m, st->relation);
    bool existing = mig_table_existing(m, st->relation);
    switch (st->rename_type) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
        if (existing) {
            mig_report(m, "renaming-table", -1, tbl,
                       "add the new table (or a view) alongside the old one and migrate clients",
                       "renaming table %s to %s breaks clients still using the old name", tbl,
                       st->newname);
            mig_locking(m, -1);
            hashmap_put(&m->renamed, mig_key(m, pgu_s(st->relation->schemaname), st->newname), (void *)1);
        } else if (st->relation) {
            mig_newtable *info =
                hashmap_get(&m->created, mig_key(m, pgu_s(st->relation->schemaname), st->relation->relname));
            if (info) {
                PgQuery__RangeVar rv = PG_QUERY__RANGE_VAR__INIT;
                rv.schemaname = st->relation->schemaname;
                rv.relname = st->newname;
                mig_table_created(m, &rv, info);
                mig_rename_new_table(m, pgu_s(st->relation->schemaname), st->newname, info);
            }
        }
        break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN:
        if (existing && st->relation_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
            const char *obj = arena_printf(&m->tmp, "%s.%s", tbl, st->subname);
            mig_report(m, "renaming-column", -1, obj,
                       "add the new column, backfill, move clients, then drop the old one",
                       "renaming column %s to %s breaks clients still using the old name", obj,
                       st->newname);
            mig_locking(m, -1);
        }
        break;
    default: break;
    }
}

static void check_transaction(mig *m, PgQuery__TransactionStmt *st)
{
    switch (st->kind) {
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
        if (m->in_tx)
            mig_report(m, "transaction-nesting", -1, NULL, "remove the inner BEGIN",
                       "BEGIN inside an open transaction: PostgreSQL ignores it with a warning, "
                       "and the inner COMMIT ends the outer transaction");
        if (!m->in_tx)
            m->begin_loc = m->stmt_loc;
        m->in_tx = true;
        break;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
        if (!m->in_tx)
            mig_report(m, "transaction-nesting", -1, NULL,
                       "let the migration runner manage the transaction",
                       "COMMIT/ROLLBACK without BEGIN: it ends the migration runner's transaction "
                       "early");
        m->in_tx = false;
        if (m->lock_timeout_local) /* SET LOCAL lasts until the end of the transaction */
            m->lock_timeout = m->lock_timeout_local = false;
        if (m->statement_timeout_local)
            m->statement_timeout = m->statement_timeout_local = false;
        hashmap_release(&m->not_valid_in_tx);
        hashmap_init(&m->not_valid_in_tx, &m->tmp);
        break;
    default: break;
    }
}

/* is a SET value "0" (timeout disabled) */
static bool set_value_zero(const PgQuery__VariableSetStmt *st)
{
    if (st->n_args != 1 || st->args[0]->node_case != PG_QUERY__NODE__NODE_A_CONST)
        return false;
    const PgQuery__AConst *c = st->args[0]->a_const;
    if (c->val_case == PG_QUERY__A__CONST__VAL_IVAL)
        return c->ival->ival == 0;
    if (c->val_case == PG_QUERY__A__CONST__VAL_SVAL) {
        const char *s = c->sval->sval;
        while (*s == '0')
            s++;
        return s != c->sval->sval && (!*s || !strcmp(s, "s") || !strcmp(s, "ms") ||
                                      !strcmp(s, "min"));
    }
    return false;
}

static void check_set(mig *m, PgQuery__VariableSetStmt *st)
{
    if (!st->name)
        return;
    bool *flag = !strcasecmp(st->name, "lock_timeout")        ? &m->lock_timeout
                 : !strcasecmp(st->name, "statement_timeout") ? &m->statement_timeout
                                                              : NULL;
    if (st->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_RESET_ALL) {
        m->lock_timeout = m->statement_timeout = false;
        return;
    }
    if (!flag)
        return;
    *flag = st->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE && !set_value_zero(st);
    bool *local = flag == &m->lock_timeout ? &m->lock_timeout_local : &m->statement_timeout_local;
    *local = st->is_local && m->in_tx && *flag;
}

/* SELECT set_config('lock_timeout', '2s', is_local) */
static void check_select(mig *m, const PgQuery__SelectStmt *st)
{
    for (size_t i = 0; i < st->n_target_list; i++) {
        const PgQuery__Node *t = st->target_list[i];
        if (t->node_case != PG_QUERY__NODE__NODE_RES_TARGET || !t->res_target->val ||
            t->res_target->val->node_case != PG_QUERY__NODE__NODE_FUNC_CALL)
            continue;
        const PgQuery__FuncCall *f = t->res_target->val->func_call;
        const char *fn = f->n_funcname ? pgu_str(f->funcname[f->n_funcname - 1]) : NULL;
        if (!fn || strcasecmp(fn, "set_config") != 0 || f->n_args != 3)
            continue;
        const char *name = pgu_str(f->args[0]);
        if (!name)
            continue;
        PgQuery__VariableSetStmt vs = PG_QUERY__VARIABLE_SET_STMT__INIT;
        vs.kind = PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE;
        vs.name = (char *)name;
        vs.n_args = 1;
        vs.args = (PgQuery__Node **)&f->args[1];
        const PgQuery__Node *local = f->args[2];
        vs.is_local = local->node_case == PG_QUERY__NODE__NODE_A_CONST &&
                      local->a_const->val_case == PG_QUERY__A__CONST__VAL_BOOLVAL &&
                      local->a_const->boolval->boolval;
        check_set(m, &vs);
    }
}

static void check_trigger(mig *m, const PgQuery__CreateTrigStmt *st)
{
    if (mig_table_existing(m, st->relation)) /* SHARE ROW EXCLUSIVE: blocks writes */
        mig_locking(m, -1);
}

static void check_enum(mig *m, const PgQuery__AlterEnumStmt *st)
{
    if (!pgu_s(st->new_val) || pgu_s(st->old_val) || pgu_s(st->new_val_neighbor))
        return;
    const char *schema, *name;
    pgu_names(st->type_name, st->n_type_name, &schema, &name);
    mig_report(m, "require-enum-value-ordering", -1, pgu_display(schema, name, &m->tmp),
               "ADD VALUE ... BEFORE 'v' / AFTER 'v'",
               "ADD VALUE '%s' without BEFORE or AFTER: it sorts after every existing value of %s",
               st->new_val, name ? name : "?");
}

/* ResTarget / String column names given twice (array element or field
 * assignments, a[1] = .., a[2] = .., are fine) */
static void check_duplicates(mig *m, PgQuery__Node **items, size_t n, const PgQuery__RangeVar *rel)
{
    for (size_t i = 1; i < n; i++) {
        const PgQuery__ResTarget *ri = items[i]->node_case == PG_QUERY__NODE__NODE_RES_TARGET ? items[i]->res_target
                                                                                          : NULL;
        if (!ri || !pgu_s(ri->name) || ri->n_indirection)
            continue;
        for (size_t k = 0; k < i; k++) {
            const PgQuery__ResTarget *rk =
                items[k]->node_case == PG_QUERY__NODE__NODE_RES_TARGET ? items[k]->res_target : NULL;
            if (!rk || rk->n_indirection || !pgu_s(rk->name) || strcmp(rk->name, ri->name) != 0)
                continue;
            const char *obj = arena_printf(&m->tmp, "%s.%s", rel ? rel->relname : "?", ri->name);
            mig_report(m, "ban-duplicate-column-assignments", ri->location, obj, "assign the column once",
                       "column %s is assigned more than once (PostgreSQL rejects the statement)", ri->name);
            break;
        }
    }
}

static void check_domain_create(mig *m, PgQuery__CreateDomainStmt *st)
{
    for (size_t i = 0; i < st->n_constraints; i++) {
        const PgQuery__Node *n = st->constraints[i];
        if (n->node_case != PG_QUERY__NODE__NODE_CONSTRAINT)
            continue;
        PgQuery__ConstrType t = n->constraint->contype;
        if (t != PG_QUERY__CONSTR_TYPE__CONSTR_CHECK && t != PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL)
            continue;
        const char *schema, *name;
        pgu_names(st->domainname, st->n_domainname, &schema, &name);
        mig_report(m, "ban-create-domain-with-constraint", n->constraint->location,
                   pgu_display(schema, name, &m->tmp),
                   "put the CHECK on the columns (added NOT VALID, then validated)",
                   "domain %s has a constraint: changing it later locks every table using it",
                   name ? name : "?");
        return;
    }
}

static void check_domain_alter(mig *m, PgQuery__AlterDomainStmt *st)
{
    if (!st->subtype || st->subtype[0] != 'C')
        return;
    const char *schema, *name;
    pgu_names(st->type_name, st->n_type_name, &schema, &name);
    mig_report(m, "ban-alter-domain-with-add-constraint", -1, pgu_display(schema, name, &m->tmp),
               "add the CHECK to the columns with NOT VALID, then VALIDATE",
               "ALTER DOMAIN %s ADD CONSTRAINT checks every column of the domain under lock",
               name ? name : "?");
}

static void check_truncate(mig *m, PgQuery__TruncateStmt *st)
{
    if (st->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE)
        mig_report(m, "ban-truncate-cascade", -1, NULL, "truncate the referencing tables explicitly",
                   "TRUNCATE ... CASCADE also empties every table referencing these, recursively");
    for (size_t i = 0; i < st->n_relations; i++)
        if (st->relations[i]->node_case == PG_QUERY__NODE__NODE_RANGE_VAR &&
            mig_table_existing(m, st->relations[i]->range_var)) {
            mig_locking(m, -1);
            break;
        }
}

static bool reindex_concurrent(const PgQuery__ReindexStmt *st)
{
    for (size_t i = 0; i < st->n_params; i++)
        if (st->params[i]->node_case == PG_QUERY__NODE__NODE_DEF_ELEM &&
            !strcmp(st->params[i]->def_elem->defname, "concurrently") && pgu_defbool(st->params[i]->def_elem))
            return true;
    return false;
}

static void check_stmt(mig *m, PgQuery__Node *n)
{
    if (!n)
        return;
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_CREATE_STMT: mig_create_table(m, n->create_stmt); break;
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT: mig_alter_table(m, n->alter_table_stmt); break;
    case PG_QUERY__NODE__NODE_INDEX_STMT: check_index(m, n->index_stmt); break;
    case PG_QUERY__NODE__NODE_DROP_STMT: check_drop(m, n->drop_stmt); break;
    case PG_QUERY__NODE__NODE_RENAME_STMT: check_rename(m, n->rename_stmt); break;
    case PG_QUERY__NODE__NODE_TRANSACTION_STMT: check_transaction(m, n->transaction_stmt); break;
    case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT: check_set(m, n->variable_set_stmt); break;
    case PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT: check_domain_create(m, n->create_domain_stmt); break;
    case PG_QUERY__NODE__NODE_ALTER_DOMAIN_STMT: check_domain_alter(m, n->alter_domain_stmt); break;
    case PG_QUERY__NODE__NODE_TRUNCATE_STMT: check_truncate(m, n->truncate_stmt); break;
    case PG_QUERY__NODE__NODE_SELECT_STMT: check_select(m, n->select_stmt); break;
    case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT: check_enum(m, n->alter_enum_stmt); break;
    case PG_QUERY__NODE__NODE_UPDATE_STMT:
        check_duplicates(m, n->update_stmt->target_list, n->update_stmt->n_target_list, n->update_stmt->relation);
        break;
    case PG_QUERY__NODE__NODE_INSERT_STMT: {
        const PgQuery__InsertStmt *ins = n->insert_stmt;
        check_duplicates(m, ins->cols, ins->n_cols, ins->relation);
        if (ins->on_conflict_clause)
            check_duplicates(m, ins->on_conflict_clause->target_list, ins->on_conflict_clause->n_target_list,
                             ins->relation);
        break;
    }
    case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT: check_trigger(m, n->create_trig_stmt); break;
    case PG_QUERY__NODE__NODE_REINDEX_STMT:
        if (!reindex_concurrent(n->reindex_stmt))
            mig_report(m, "require-concurrent-reindex", -1, mig_rv_display(m, n->reindex_stmt->relation),
                       "REINDEX (CONCURRENTLY) ... (PostgreSQL >= 12, outside a transaction)",
                       "REINDEX without CONCURRENTLY blocks writes to the table while it runs");
        break;
    case PG_QUERY__NODE__NODE_DROPDB_STMT:
        mig_report(m, "ban-drop-database", -1, n->dropdb_stmt->dbname, NULL,
                   "DROP DATABASE %s in a migration", n->dropdb_stmt->dbname);
        break;
    default: break;
    }
}

/* ---- parsing ------------------------------------------------------------------ */

static size_t skip_space_comments(const char *t, size_t off, size_t end)
{
    while (off < end) {
        if (isspace((unsigned char)t[off])) {
            off++;
        } else if (t[off] == '-' && off + 1 < end && t[off + 1] == '-') {
            while (off < end && t[off] != '\n')
                off++;
        } else if (t[off] == '/' && off + 1 < end && t[off + 1] == '*') {
            const char *c = strstr(t + off + 2, "*/");
            off = c ? (size_t)(c - t) + 2 : end;
        } else {
            break;
        }
    }
    return off;
}

static void set_stmt(mig *m, size_t off, size_t len)
{
    size_t end = len ? off + len : m->len;
    if (end > m->len)
        end = m->len;
    off = skip_space_comments(m->text, off, end);
    size_t last = end;
    while (last > off && (isspace((unsigned char)m->text[last - 1]) || m->text[last - 1] == ';'))
        last--;
    m->stmt_off = off;
    m->stmt_end = end;
    m->stmt_loc = loc_at(m, off);
    m->stmt_end_line = loc_at(m, last > off ? last - 1 : off).line;
}

static void check_tree(mig *m, PgQuery__ParseResult *res, size_t base)
{
    for (size_t i = 0; i < res->n_stmts; i++) {
        PgQuery__RawStmt *rs = res->stmts[i];
        m->base = base;
        set_stmt(m, base + (size_t)(rs->stmt_location > 0 ? rs->stmt_location : 0),
                 (size_t)(rs->stmt_len > 0 ? rs->stmt_len : 0));
        check_stmt(m, rs->stmt);
    }
}

/* parse and check one statement's text (NUL-terminated copy); the parse
 * error (caller frees *keep) when it does not parse */
static bool parse_check(mig *m, const char *sql, size_t base, PgQueryProtobufParseResult *keep)
{
    *keep = pg_query_parse_protobuf(sql);
    if (keep->error)
        return false;
    arena tree;
    arena_init(&tree);
    PgQuery__ParseResult *res = pg_parse_unpack(&tree, keep->parse_tree.data, keep->parse_tree.len);
    if (res)
        check_tree(m, res, base);
    arena_free(&tree);
    return true;
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

/* The whole text does not parse: check the statements that do, one by one
 * (the scanner splits them); the others are skipped.  PostgreSQL: the
 * whole-text error `err` is reported once, as the SQL reader reports it. */
static int check_split(mig *m, const PgQueryError *err, diag_list *diags)
{
    int rc = 0;
    if (m->d != DIALECT_SQLITE) {
        size_t eoff = err->cursorpos > 0 ? char_to_byte(m->text, m->len, err->cursorpos) : m->len;
        diag_error(diags, loc_at(m, eoff), "%s", err->message ? err->message : "syntax error");
        rc = -1;
    }
    PgQuerySplitResult sp = pg_query_split_with_scanner(m->text);
    if (sp.error) {
        pg_query_free_split_result(sp);
        return rc;
    }
    m->n_stmts = (size_t)sp.n_stmts;
    for (int i = 0; i < sp.n_stmts; i++) {
        size_t off = (size_t)sp.stmts[i]->stmt_location;
        size_t len = (size_t)sp.stmts[i]->stmt_len;
        if (off > m->len)
            continue;
        if (!len || off + len > m->len)
            len = m->len - off;
        const char *sub = arena_strndup(&m->tmp, m->text + off, len);
        PgQueryProtobufParseResult keep;
        bool ok = parse_check(m, sub, off, &keep);
        const char *blanked = !ok && m->d == DIALECT_SQLITE ? mig_sqlite_blank(&m->tmp, sub, len) : NULL;
        if (blanked) { /* retry without AUTOINCREMENT, WITHOUT ROWID, STRICT, `quotes` */
            pg_query_free_protobuf_parse_result(keep);
            ok = parse_check(m, blanked, off, &keep);
        }
        pg_query_free_protobuf_parse_result(keep);
    }
    pg_query_free_split_result(sp);
    return rc;
}

int lint_migration_run(lint_ctx *ctx, dialect d, const char *file, const char *text, size_t len,
                       unsigned first_line, const catalog *before, diag_list *diags)
{
    return lint_migration_run_tree(ctx, d, file, text, len, first_line, before, NULL, diags);
}

int lint_migration_run_tree(lint_ctx *ctx, dialect d, const char *file, const char *text, size_t len,
                            unsigned first_line, const catalog *before, PgQuery__ParseResult *tree,
                            diag_list *diags)
{
    mig m;
    memset(&m, 0, sizeof m);
    m.ctx = ctx;
    m.d = d;
    m.file = file ? file : "<input>";
    m.first_line = first_line ? first_line : 1;
    m.before = before;
    arena_init(&m.tmp);
    char *copy = arena_strndup(&m.tmp, text ? text : "", text ? len : 0);
    m.text = copy;
    m.len = strlen(copy);
    line_index_build(&m.li, &m.tmp, m.file, m.text, m.len);
    hashmap_init(&m.created, &m.tmp);
    hashmap_init(&m.renamed, &m.tmp);
    hashmap_init(&m.robust_constraints, &m.tmp);
    hashmap_init(&m.not_valid_in_tx, &m.tmp);

    int rc = 0;
    PgQueryProtobufParseResult pr = {0};
    if (tree) {
        m.n_stmts = tree->n_stmts;
        check_tree(&m, tree, 0);
    } else if ((pr = pg_query_parse_protobuf(m.text)).error) {
        rc = check_split(&m, pr.error, diags);
    } else {
        arena tree;
        arena_init(&tree);
        PgQuery__ParseResult *res = pg_parse_unpack(&tree, pr.parse_tree.data, pr.parse_tree.len);
        if (res) {
            m.n_stmts = res->n_stmts;
            check_tree(&m, res, 0);
        } else {
            diag_error(diags, loc_at(&m, 0), "cannot decode the parse tree");
            rc = -1;
        }
        arena_free(&tree);
    }
    if (!tree)
        pg_query_free_protobuf_parse_result(pr);
    mig_drops_report(&m);
    if (m.in_tx && m.begin_loc.line) {
        m.stmt_loc = m.begin_loc;
        m.stmt_end_line = m.begin_loc.line;
        mig_report(&m, "ban-uncommitted-transaction", -1, NULL, "end the file with COMMIT",
                   "BEGIN without COMMIT: the migration's changes are rolled back (or left open) "
                   "when the session ends");
    }
    hashmap_release(&m.created);
    hashmap_release(&m.renamed);
    hashmap_release(&m.robust_constraints);
    hashmap_release(&m.not_valid_in_tx);
    arena_free(&m.tmp);
    return rc;
}
