/*
 * test_sqlite_reader.c — the SQLite readers: SQL text executed into an
 * in-memory database and introspected, provenance across files, error
 * positions, ALTER TABLE effects, and a live database file built with the
 * sqlite3 C API read back into the same catalog.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "source/source.h"
#include "util/strbuf.h"

typedef struct fx {
    arena mem;
    diag_list diags;
    catalog *cat;
} fx;

static int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    arena_init(&f->mem);
    diag_list_init(&f->diags, &f->mem);
    f->cat = catalog_new(DIALECT_SQLITE);
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    fx *f = *state;
    catalog_free(f->cat);
    arena_free(&f->mem);
    free(f);
    return 0;
}

static int read_sql(fx *f, const char *file, const char *sql)
{
    return sqlite_sql_read(f->cat, file, sql, strlen(sql), &f->diags);
}

static void assert_no_errors(fx *f)
{
    for (size_t i = 0; i < f->diags.items.n; i++) {
        diag *d = &f->diags.items.v[i];
        if (d->severity == DIAG_ERROR)
            fail_msg("unexpected error %s:%u:%u: %s", d->loc.file, d->loc.line, d->loc.col, d->message);
    }
}

static cat_table *table(fx *f, const char *name)
{
    cat_table *t = catalog_table_find(f->cat, "main", name);
    if (!t)
        fail_msg("table %s missing", name);
    return t;
}

static cat_column *column(cat_table *t, const char *name)
{
    cat_column *c = catalog_column_find(t, name);
    if (!c)
        fail_msg("column %s.%s missing", t->name, name);
    return c;
}

static cat_constraint *con_of_kind(cat_table *t, cat_con_kind k, size_t nth)
{
    for (size_t i = 0; i < t->constraints.n; i++)
        if (t->constraints.v[i]->kind == k && nth-- == 0)
            return t->constraints.v[i];
    return NULL;
}

static const char *first_error(fx *f, src_loc *loc)
{
    for (size_t i = 0; i < f->diags.items.n; i++)
        if (f->diags.items.v[i].severity == DIAG_ERROR) {
            if (loc)
                *loc = f->diags.items.v[i].loc;
            return f->diags.items.v[i].message;
        }
    return NULL;
}

/* ---- object kinds ---------------------------------------------------------------- */

static const char schema_sql[] =
    "PRAGMA foreign_keys = ON;\n"
    "CREATE TABLE users (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  email varchar( 200 ) NOT NULL COLLATE NOCASE,\n"
    "  age int CONSTRAINT age_positive CHECK (age >= 0),\n"
    "  status TEXT DEFAULT 'new',\n"
    "  created_at TEXT DEFAULT CURRENT_TIMESTAMP,\n"
    "  CONSTRAINT users_email_key UNIQUE (email)\n"
    ");\n"
    "CREATE TABLE orders (\n"
    "  id INTEGER NOT NULL,\n"
    "  user_id INTEGER REFERENCES users(id) ON DELETE CASCADE ON UPDATE SET NULL,\n"
    "  parent INTEGER,\n"
    "  total REAL,\n"
    "  doubled REAL GENERATED ALWAYS AS (total * 2) VIRTUAL,\n"
    "  tax REAL AS (total / 10) STORED,\n"
    "  CONSTRAINT orders_pk PRIMARY KEY (id),\n"
    "  CONSTRAINT fk_parent FOREIGN KEY (parent) REFERENCES orders DEFERRABLE INITIALLY DEFERRED,\n"
    "  CHECK (total > 0)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE kv (k TEXT PRIMARY KEY, v ANY) STRICT;\n"
    "CREATE INDEX orders_user_idx ON orders (user_id DESC);\n"
    "CREATE UNIQUE INDEX users_lower_email ON users (lower(email), status COLLATE NOCASE) WHERE status <> 'gone';\n"
    "CREATE VIEW big_orders (oid, uid) AS SELECT o.id, u.id FROM orders o JOIN users u ON u.id = o.user_id WHERE o.total > 100;\n"
    "CREATE TRIGGER orders_touch AFTER UPDATE OF total, parent ON orders\n"
    "  FOR EACH ROW WHEN new.total > 1000\n"
    "BEGIN\n"
    "  INSERT INTO kv (k, v) VALUES ('big', new.id);\n"
    "END;\n"
    "CREATE TRIGGER users_del BEFORE DELETE ON users BEGIN SELECT 1; END;\n"
    "INSERT INTO kv VALUES ('a', 1);\n"
    "CREATE VIRTUAL TABLE docs USING fts5(title, body);\n";

static void test_tables_columns(void **state)
{
    fx *f = *state;
    assert_int_equal(read_sql(f, "schema.sql", schema_sql), 0);
    assert_no_errors(f);
    cat_table *u = table(f, "users");
    assert_string_equal(u->schema, "main");
    assert_non_null(u->sql);
    assert_non_null(strstr(u->sql, "CREATE TABLE users"));
    assert_int_equal(u->columns.n, 5);
    cat_column *id = column(u, "id");
    assert_true(id->autoincrement);
    assert_string_equal(id->type_written, "INTEGER");
    cat_column *email = column(u, "email");
    assert_string_equal(email->type_written, "varchar( 200 )");
    assert_true(email->not_null);
    assert_string_equal(email->collation, "NOCASE");
    assert_false(email->autoincrement);
    cat_column *status = column(u, "status");
    assert_string_equal(status->default_expr, "'new'");
    assert_non_null(status->default_norm);
    assert_string_equal(column(u, "created_at")->default_expr, "CURRENT_TIMESTAMP");
    assert_null(column(u, "age")->collation);
    assert_int_equal(column(u, "age")->ordinal, 3);

    cat_table *o = table(f, "orders");
    assert_true(o->without_rowid);
    assert_false(o->strict);
    cat_column *d = column(o, "doubled");
    assert_int_equal(d->generated, 'v');
    assert_string_equal(d->generated_expr, "total * 2");
    cat_column *tax = column(o, "tax");
    assert_int_equal(tax->generated, 's');
    assert_string_equal(tax->generated_expr, "total / 10");
    assert_int_equal(column(o, "total")->generated, 0);

    cat_table *kv = table(f, "kv");
    assert_true(kv->strict);
    assert_false(kv->without_rowid);
    assert_null(catalog_table_find(f->cat, "main", "sqlite_sequence"));
}

static void test_constraints(void **state)
{
    fx *f = *state;
    assert_int_equal(read_sql(f, "schema.sql", schema_sql), 0);
    assert_no_errors(f);
    cat_table *u = table(f, "users");
    cat_constraint *pk = catalog_primary_key(u);
    assert_non_null(pk);
    assert_null(pk->name);
    assert_int_equal(pk->columns.n, 1);
    assert_string_equal(pk->columns.v[0], "id");
    cat_constraint *uq = con_of_kind(u, CON_UNIQUE, 0);
    assert_non_null(uq);
    assert_string_equal(uq->name, "users_email_key");
    assert_string_equal(uq->columns.v[0], "email");
    cat_constraint *ck = con_of_kind(u, CON_CHECK, 0);
    assert_non_null(ck);
    assert_string_equal(ck->name, "age_positive");
    assert_string_equal(ck->expr, "age >= 0");
    assert_non_null(ck->expr_norm);
    assert_string_equal(ck->columns.v[0], "age");

    cat_table *o = table(f, "orders");
    pk = catalog_primary_key(o);
    assert_string_equal(pk->name, "orders_pk");
    cat_constraint *ock = con_of_kind(o, CON_CHECK, 0);
    assert_non_null(ock);
    assert_null(ock->name);
    assert_string_equal(ock->expr, "total > 0");
    assert_null(con_of_kind(o, CON_CHECK, 1));

    /* FK actions, names, deferrability, implicit PK target */
    cat_constraint *fk_user = NULL, *fk_parent = NULL;
    for (size_t i = 0; i < o->constraints.n; i++) {
        cat_constraint *c = o->constraints.v[i];
        if (c->kind != CON_FOREIGN)
            continue;
        if (!strcmp(c->columns.v[0], "user_id"))
            fk_user = c;
        else if (!strcmp(c->columns.v[0], "parent"))
            fk_parent = c;
    }
    assert_non_null(fk_user);
    assert_non_null(fk_parent);
    assert_string_equal(fk_user->ref_table, "users");
    assert_string_equal(fk_user->ref_columns.v[0], "id");
    assert_int_equal(fk_user->on_delete, 'c');
    assert_int_equal(fk_user->on_update, 'n');
    assert_null(fk_user->name);
    assert_false(fk_user->deferrable);
    assert_string_equal(fk_parent->name, "fk_parent");
    assert_true(fk_parent->deferrable);
    assert_true(fk_parent->initially_deferred);
    assert_int_equal(fk_parent->on_delete, 'a');
    assert_string_equal(fk_parent->ref_table, "orders");
    assert_int_equal(fk_parent->ref_columns.n, 1);
    assert_string_equal(fk_parent->ref_columns.v[0], "id");
}

static void test_indexes(void **state)
{
    fx *f = *state;
    assert_int_equal(read_sql(f, "schema.sql", schema_sql), 0);
    assert_no_errors(f);
    /* autoindexes of UNIQUE/PK are constraints, not indexes */
    cat_table *u = table(f, "users");
    assert_int_equal(u->indexes.n, 1);
    cat_index *ix = catalog_index_find(f->cat, "main", "users_lower_email");
    assert_non_null(ix);
    assert_true(ix->unique);
    assert_int_equal(ix->elems.n, 2);
    assert_null(ix->elems.v[0].column);
    assert_string_equal(ix->elems.v[0].expr, "lower(email)");
    assert_string_equal(ix->elems.v[1].column, "status");
    assert_string_equal(ix->elems.v[1].collation, "NOCASE");
    assert_string_equal(ix->where_expr, "status <> 'gone'");
    assert_non_null(ix->sql);
    cat_index *oi = catalog_index_find(f->cat, "main", "orders_user_idx");
    assert_non_null(oi);
    assert_false(oi->unique);
    assert_string_equal(oi->table, "orders");
    assert_true(oi->elems.v[0].desc);
    assert_null(oi->where_expr);
}

static void test_views_triggers_opaque(void **state)
{
    fx *f = *state;
    assert_int_equal(read_sql(f, "schema.sql", schema_sql), 0);
    assert_no_errors(f);
    cat_view *v = catalog_view_find(f->cat, "main", "big_orders");
    assert_non_null(v);
    assert_non_null(strstr(v->definition, "SELECT o.id"));
    assert_int_equal(strncmp(v->definition, "SELECT", 6), 0);
    assert_int_equal(v->column_names.n, 2);
    assert_string_equal(v->column_names.v[1], "uid");
    assert_int_equal(v->depends_on.n, 2);
    assert_string_equal(v->depends_on.v[0], "main.orders");
    assert_string_equal(v->depends_on.v[1], "main.users");

    cat_table *o = table(f, "orders");
    cat_trigger *tg = catalog_trigger_find(o, "orders_touch");
    assert_non_null(tg);
    assert_string_equal(tg->timing, "AFTER");
    assert_int_equal(tg->events.n, 1);
    assert_string_equal(tg->events.v[0], "UPDATE");
    assert_int_equal(tg->update_columns.n, 2);
    assert_string_equal(tg->update_columns.v[1], "parent");
    assert_true(tg->for_each_row);
    assert_string_equal(tg->when_expr, "new.total > 1000");
    assert_string_equal(tg->body, "INSERT INTO kv (k, v) VALUES ('big', new.id);");
    cat_trigger *td = catalog_trigger_find(table(f, "users"), "users_del");
    assert_non_null(td);
    assert_string_equal(td->timing, "BEFORE");
    assert_string_equal(td->events.v[0], "DELETE");
    assert_null(td->when_expr);
    assert_string_equal(td->body, "SELECT 1;");

    assert_int_equal(f->cat->opaque.n, 1);
    assert_string_equal(f->cat->opaque.v[0].kind, "insert");
    assert_string_equal(f->cat->opaque.v[0].sql, "INSERT INTO kv VALUES ('a', 1)");

    /* virtual table kept with its sql, shadow tables skipped */
    cat_table *docs = table(f, "docs");
    assert_non_null(strstr(docs->sql, "fts5"));
    assert_null(catalog_table_find(f->cat, "main", "docs_data"));
    assert_null(catalog_table_find(f->cat, "main", "docs_config"));
}

/* ---- provenance, errors, ALTER ----------------------------------------------------------- */

static void test_provenance_two_files(void **state)
{
    fx *f = *state;
    assert_int_equal(read_sql(f, "a.sql", "-- first\nCREATE TABLE t (a INT);\n\n  CREATE INDEX t_a ON t(a);\n"), 0);
    assert_int_equal(read_sql(f, "b.sql", "\n\nALTER TABLE t ADD COLUMN b TEXT;\n"
                                          "CREATE TABLE u (x);  ALTER TABLE u RENAME TO u2;\n"), 0);
    assert_no_errors(f);
    cat_table *t = table(f, "t");
    assert_string_equal(t->prov.created.file, "a.sql");
    assert_int_equal(t->prov.created.line, 2);
    assert_int_equal(t->prov.created.col, 1);
    assert_int_equal(t->prov.altered.n, 1);
    assert_string_equal(t->prov.altered.v[0].file, "b.sql");
    assert_int_equal(t->prov.altered.v[0].line, 3);
    assert_int_equal(t->prov.altered.v[0].col, 1);
    cat_column *a = column(t, "a");
    assert_string_equal(a->prov.created.file, "a.sql");
    cat_column *b = column(t, "b");
    assert_string_equal(b->prov.created.file, "b.sql");
    assert_int_equal(b->prov.created.line, 3);
    cat_index *ix = catalog_index_find(f->cat, "main", "t_a");
    assert_non_null(ix);
    assert_int_equal(ix->prov.created.line, 4);
    assert_int_equal(ix->prov.created.col, 3);
    assert_null(catalog_table_find(f->cat, "main", "u"));
    cat_table *u2 = table(f, "u2");
    assert_string_equal(u2->prov.created.file, "b.sql");
    assert_int_equal(u2->prov.created.line, 4);
    assert_int_equal(u2->prov.created.col, 1);
    assert_int_equal(u2->prov.altered.n, 1);
    assert_int_equal(u2->prov.altered.v[0].col, 22);
}

static void test_syntax_error_position(void **state)
{
    fx *f = *state;
    assert_int_equal(read_sql(f, "bad.sql", "CREATE TABLE ok1 (a);\nCREATE TABLE bad (a INT,\n   b TEXT,, c);\n"
                                            "CREATE TABLE ok2 (b);\n"), 0);
    src_loc loc;
    const char *msg = first_error(f, &loc);
    assert_non_null(msg);
    assert_non_null(strstr(msg, "syntax error"));
    assert_string_equal(loc.file, "bad.sql");
    assert_int_equal(loc.line, 3);
    assert_int_equal(loc.col, 11); /* the second comma */
    /* keeps going: the statement after the error is read, the bad one is not */
    table(f, "ok1");
    table(f, "ok2");
    assert_null(catalog_table_find(f->cat, "main", "bad"));
}

static void test_runtime_error_position(void **state)
{
    fx *f = *state;
    read_sql(f, "dup.sql", "CREATE TABLE t (a);\n  CREATE TABLE t (b);\n");
    src_loc loc;
    const char *msg = first_error(f, &loc);
    assert_non_null(msg);
    assert_non_null(strstr(msg, "already exists"));
    assert_int_equal(loc.line, 2);
    assert_int_equal(loc.col, 16);
    assert_int_equal(f->diags.n_errors, 1);
}

static void test_alter_effects(void **state)
{
    fx *f = *state;
    read_sql(f, "m1.sql", "CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT, junk INT, old TEXT);\n"
                          "CREATE INDEX p_name ON p(name);\n");
    read_sql(f, "m2.sql", "ALTER TABLE p RENAME TO people;\n"
                          "ALTER TABLE people RENAME COLUMN old TO nickname;\n"
                          "ALTER TABLE people DROP COLUMN junk;\n"
                          "ALTER TABLE people ADD COLUMN email TEXT DEFAULT '' NOT NULL;\n");
    assert_no_errors(f);
    assert_null(catalog_table_find(f->cat, "main", "p"));
    cat_table *t = table(f, "people");
    assert_int_equal(t->columns.n, 4);
    assert_string_equal(t->columns.v[0]->name, "id");
    assert_string_equal(t->columns.v[1]->name, "name");
    assert_string_equal(t->columns.v[2]->name, "nickname");
    assert_string_equal(t->columns.v[3]->name, "email");
    assert_null(catalog_column_find(t, "junk"));
    assert_true(column(t, "email")->not_null);
    assert_string_equal(column(t, "email")->prov.created.file, "m2.sql");
    assert_int_equal(column(t, "email")->prov.created.line, 4);
    assert_int_equal(column(t, "nickname")->prov.altered.n, 1);
    assert_int_equal(column(t, "nickname")->prov.altered.v[0].line, 2);
    assert_string_equal(t->prov.created.file, "m1.sql");
    assert_int_equal(t->prov.altered.n, 4);
    cat_index *ix = catalog_index_find(f->cat, "main", "p_name");
    assert_non_null(ix);
    assert_string_equal(ix->table, "people");
    /* drop then re-create gets the new location */
    read_sql(f, "m3.sql", "DROP INDEX p_name;\n\nCREATE INDEX p_name ON people(nickname);\nDROP TABLE IF EXISTS nosuch;\n");
    assert_no_errors(f);
    ix = catalog_index_find(f->cat, "main", "p_name");
    assert_non_null(ix);
    assert_string_equal(ix->prov.created.file, "m3.sql");
    assert_int_equal(ix->prov.created.line, 3);
    assert_string_equal(ix->elems.v[0].column, "nickname");
}

static void test_attach_refused(void **state)
{
    fx *f = *state;
    char path[] = "/tmp/dbsage-attach-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    char sql[256];
    snprintf(sql, sizeof sql, "CREATE TABLE a (x);\nATTACH DATABASE '%s' AS other;\nVACUUM INTO '%s';\nCREATE TABLE b (y);\n",
             path, path);
    read_sql(f, "att.sql", sql);
    assert_int_equal(f->diags.n_errors, 2);
    src_loc loc;
    const char *msg = first_error(f, &loc);
    assert_non_null(strstr(msg, "ATTACH"));
    assert_int_equal(loc.line, 2);
    assert_int_equal(access(path, F_OK), -1); /* no file was created */
    table(f, "a");
    table(f, "b");
}

static void test_if_not_exists_and_temp(void **state)
{
    fx *f = *state;
    read_sql(f, "x.sql", "CREATE TABLE t (a);\nCREATE TABLE IF NOT EXISTS t (zzz);\nCREATE TEMP TABLE scratch (q);\n"
                         "BEGIN;\nCREATE TABLE in_tx (a);\nCOMMIT;\n");
    assert_no_errors(f);
    cat_table *t = table(f, "t");
    assert_int_equal(t->prov.created.line, 1);
    assert_non_null(catalog_column_find(t, "a"));
    assert_null(catalog_table_find(f->cat, "main", "scratch"));
    assert_int_equal(table(f, "in_tx")->prov.created.line, 5);
}

static void test_bad_input_never_crashes(void **state)
{
    fx *f = *state;
    static const char *const inputs[] = {
        "CREATE TABLE (", "'unterminated", "/* open comment", "CREATE TRIGGER x AFTER INSERT ON",
        "\"", ";;;;", "CREATE TABLE t(a CHECK(", "CREATE VIEW v AS", "SELECT 1 FROM", "\x01\x02\xff",
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) INSERT INTO nowhere SELECT x FROM c;",
        NULL};
    for (int i = 0; inputs[i]; i++)
        sqlite_sql_read(f->cat, "junk.sql", inputs[i], strlen(inputs[i]), &f->diags);
    const char nul[] = "CREATE TABLE a (x);\0CREATE TABLE b (y);";
    sqlite_sql_read(f->cat, "nul.sql", nul, sizeof nul - 1, &f->diags);
    assert_true(f->diags.n_errors > 0);
    table(f, "a");
}

static void test_runaway_statement_interrupted(void **state)
{
    fx *f = *state;
    read_sql(f, "loop.sql", "CREATE TABLE n (x);\n"
                            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) INSERT INTO n SELECT x FROM c;\n");
    src_loc loc;
    const char *msg = first_error(f, &loc);
    assert_non_null(msg);
    assert_int_equal(loc.line, 2);
}

/* ---- live database --------------------------------------------------------------------------- */

static void exec_or_fail(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("sqlite3_exec: %s", err);
}

static void assert_same_str(const char *what, const char *a, const char *b)
{
    if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
        fail_msg("%s differs: '%s' vs '%s'", what, a ? a : "(null)", b ? b : "(null)");
}

static void assert_same_strvec(const char *what, const strvec *a, const strvec *b)
{
    if (a->n != b->n)
        fail_msg("%s: %zu vs %zu entries", what, a->n, b->n);
    for (size_t i = 0; i < a->n; i++)
        assert_same_str(what, a->v[i], b->v[i]);
}

static void compare_tables(cat_table *a, cat_table *b)
{
    assert_same_str("table name", a->name, b->name);
    assert_same_str("table sql", a->sql, b->sql);
    assert_int_equal(a->without_rowid, b->without_rowid);
    assert_int_equal(a->strict, b->strict);
    assert_int_equal(a->columns.n, b->columns.n);
    for (size_t i = 0; i < a->columns.n; i++) {
        cat_column *x = a->columns.v[i], *y = b->columns.v[i];
        assert_same_str("column", x->name, y->name);
        assert_same_str("type", x->type, y->type);
        assert_same_str("type_written", x->type_written, y->type_written);
        assert_same_str("default", x->default_expr, y->default_expr);
        assert_same_str("generated", x->generated_expr, y->generated_expr);
        assert_same_str("collation", x->collation, y->collation);
        assert_int_equal(x->not_null, y->not_null);
        assert_int_equal(x->generated, y->generated);
        assert_int_equal(x->autoincrement, y->autoincrement);
        assert_int_equal(x->hidden, y->hidden);
    }
    assert_int_equal(a->constraints.n, b->constraints.n);
    for (size_t i = 0; i < a->constraints.n; i++) {
        cat_constraint *x = a->constraints.v[i], *y = b->constraints.v[i];
        assert_int_equal(x->kind, y->kind);
        assert_same_str("constraint name", x->name, y->name);
        assert_same_strvec("constraint columns", &x->columns, &y->columns);
        assert_same_str("check", x->expr, y->expr);
        assert_same_str("ref table", x->ref_table, y->ref_table);
        assert_same_strvec("ref columns", &x->ref_columns, &y->ref_columns);
        assert_int_equal(x->on_delete, y->on_delete);
        assert_int_equal(x->on_update, y->on_update);
        assert_int_equal(x->deferrable, y->deferrable);
        assert_int_equal(x->initially_deferred, y->initially_deferred);
    }
    assert_int_equal(a->indexes.n, b->indexes.n);
    for (size_t i = 0; i < a->indexes.n; i++) {
        cat_index *x = a->indexes.v[i], *y = b->indexes.v[i];
        assert_same_str("index", x->name, y->name);
        assert_same_str("index sql", x->sql, y->sql);
        assert_same_str("index where", x->where_expr, y->where_expr);
        assert_int_equal(x->unique, y->unique);
        assert_int_equal(x->elems.n, y->elems.n);
        for (size_t k = 0; k < x->elems.n; k++) {
            assert_same_str("elem column", x->elems.v[k].column, y->elems.v[k].column);
            assert_same_str("elem expr", x->elems.v[k].expr, y->elems.v[k].expr);
            assert_int_equal(x->elems.v[k].desc, y->elems.v[k].desc);
        }
    }
    assert_int_equal(a->triggers.n, b->triggers.n);
    for (size_t i = 0; i < a->triggers.n; i++) {
        cat_trigger *x = a->triggers.v[i], *y = b->triggers.v[i];
        assert_same_str("trigger", x->name, y->name);
        assert_same_str("timing", x->timing, y->timing);
        assert_same_strvec("events", &x->events, &y->events);
        assert_same_strvec("update columns", &x->update_columns, &y->update_columns);
        assert_same_str("when", x->when_expr, y->when_expr);
        assert_same_str("body", x->body, y->body);
    }
}

static void test_live_equals_file(void **state)
{
    fx *f = *state;
    assert_int_equal(read_sql(f, "schema.sql", schema_sql), 0);
    assert_no_errors(f);

    char path[] = "/tmp/dbsage-live-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    exec_or_fail(db, schema_sql);
    sqlite3_close(db);

    catalog *live = catalog_new(DIALECT_SQLITE);
    int rc = sqlite_live_read(live, path, NULL, &f->diags);
    assert_int_equal(rc, 0);
    assert_no_errors(f);
    catalog_sort(f->cat);
    catalog_sort(live);
    assert_int_equal(f->cat->tables.n, live->tables.n);
    for (size_t i = 0; i < live->tables.n; i++)
        compare_tables(f->cat->tables.v[i], live->tables.v[i]);
    assert_int_equal(f->cat->views.n, live->views.n);
    for (size_t i = 0; i < live->views.n; i++) {
        cat_view *a = f->cat->views.v[i], *b = live->views.v[i];
        assert_same_str("view", a->name, b->name);
        assert_same_str("definition", a->definition, b->definition);
        assert_same_str("definition_norm", a->definition_norm, b->definition_norm);
        assert_same_strvec("depends_on", &a->depends_on, &b->depends_on);
    }
    cat_table *u = catalog_table_find(live, "main", "users");
    assert_non_null(u);
    assert_string_equal(u->prov.created.file, path);
    assert_int_equal(u->prov.created.line, 0);
    catalog_free(live);
    unlink(path);
}

static void test_live_not_a_database(void **state)
{
    fx *f = *state;
    char path[] = "/tmp/dbsage-notdb-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char junk[] = "this is certainly not a sqlite database file, just some text padding it out......";
    assert_int_equal(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
    close(fd);
    assert_int_equal(sqlite_live_read(f->cat, path, NULL, &f->diags), -1);
    src_loc loc;
    const char *msg = first_error(f, &loc);
    assert_non_null(msg);
    assert_string_equal(msg, "not a SQLite database");
    assert_string_equal(loc.file, path);
    unlink(path);
    assert_int_equal(sqlite_live_read(f->cat, "/nonexistent/dir/x.db", NULL, &f->diags), -1);
}

/* 5,000 tables: the file reader and the set-based introspection of a live
 * file with the same tables read everything (speed is measured in bench/,
 * never here). */
static void test_5000_tables(void **state)
{
    fx *f = *state;
    strbuf sb = STRBUF_INIT;
    for (int i = 0; i < 5000; i++)
        strbuf_addf(&sb, "CREATE TABLE t%d (id INTEGER PRIMARY KEY, name TEXT NOT NULL, ref INTEGER REFERENCES t%d(id), "
                         "note TEXT DEFAULT 'x' CHECK (length(note) < 100));\n",
                    i, i > 0 ? i - 1 : 0);
    assert_int_equal(sqlite_sql_read(f->cat, "big.sql", strbuf_str(&sb), sb.len, &f->diags), 0);
    assert_no_errors(f);
    assert_int_equal(f->cat->tables.n, 5000);
    cat_table *t = catalog_table_find(f->cat, "main", "t4999");
    assert_non_null(t);
    assert_int_equal(t->prov.created.line, 5000);
    assert_int_equal(t->columns.n, 4);
    assert_non_null(con_of_kind(t, CON_FOREIGN, 0));
    assert_non_null(con_of_kind(t, CON_CHECK, 0));

    char path[] = "/tmp/dbsage-big-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    exec_or_fail(db, "BEGIN");
    exec_or_fail(db, strbuf_str(&sb));
    exec_or_fail(db, "COMMIT");
    sqlite3_close(db);
    strbuf_release(&sb);
    catalog *live = catalog_new(DIALECT_SQLITE);
    assert_int_equal(sqlite_live_read(live, path, NULL, &f->diags), 0);
    assert_int_equal(live->tables.n, 5000);
    cat_table *lt = catalog_table_find(live, "main", "t4999");
    assert_non_null(lt);
    assert_int_equal(lt->columns.n, 4);
    assert_non_null(con_of_kind(lt, CON_FOREIGN, 0));
    assert_non_null(con_of_kind(lt, CON_CHECK, 0));
    unlink(path);
    catalog_free(live);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_tables_columns),
        T(test_constraints),
        T(test_indexes),
        T(test_views_triggers_opaque),
        T(test_provenance_two_files),
        T(test_syntax_error_position),
        T(test_runtime_error_position),
        T(test_alter_effects),
        T(test_attach_refused),
        T(test_if_not_exists_and_temp),
        T(test_bad_input_never_crashes),
        T(test_runaway_statement_interrupted),
        T(test_live_equals_file),
        T(test_live_not_a_database),
        T(test_5000_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
