/*
 * test_migration_schema.c — unit tests of src/migrate/migration_schema.c:
 * the schema a migration directory produces (SQLite and PostgreSQL
 * readers, diagnostics on the files' own lines), the tenant move of
 * "public" objects, drift items, and `migrate diff` files applied with
 * sqlite3 and on the ctest PostgreSQL cluster.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "migration_test_util.h"
#include "source/source.h"
#include "util/strbuf.h"

/* ---- the schema of a set ------------------------------------------------------ */

static const char *fixture_dir(fixture *f, const char *name)
{
    const char *src = getenv("DBSAGE_SOURCE_DIR");
    return arena_printf(&f->mem, "%s/tests/fixtures/migrate/%s", src ? src : ".", name);
}

static void assert_no_errors(fixture *f)
{
    for (size_t i = 0; i < f->diags.items.n; i++)
        if (f->diags.items.v[i].severity == DIAG_ERROR)
            fail_msg("unexpected error: %s:%u:%u: %s", f->diags.items.v[i].loc.file, f->diags.items.v[i].loc.line,
                     f->diags.items.v[i].loc.col, f->diags.items.v[i].message);
}

/* "name type, name type" of a table's columns */
static const char *columns_of(fixture *f, const catalog *cat, const char *schema, const char *table)
{
    cat_table *t = catalog_table_find(cat, schema, table);
    if (!t)
        return "(no table)";
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < t->columns.n; i++)
        strbuf_addf(&sb, "%s%s %s", i ? ", " : "", t->columns.v[i]->name, t->columns.v[i]->type);
    const char *r = arena_strdup(&f->mem, strbuf_str(&sb));
    strbuf_release(&sb);
    return r;
}

static const cat_constraint *first_fk(const cat_table *t)
{
    for (size_t i = 0; t && i < t->constraints.n; i++)
        if (t->constraints.v[i]->kind == CON_FOREIGN)
            return t->constraints.v[i];
    return NULL;
}

static void test_set_schema_sqlite(void **state)
{
    fixture *f = *state;
    migration_set set;
    assert_int_equal(migration_set_load(&set, &f->mem, fixture_dir(f, "sqlite_basic"), &f->diags), 0);
    assert_int_equal(set.items.n, 3);
    catalog *cat = migration_set_schema(&set, DIALECT_SQLITE, NULL, 0, NULL, &f->diags);
    assert_no_errors(f);
    assert_int_equal(cat->tables.n, 2);
    assert_string_equal(columns_of(f, cat, "main", "users"), "id INTEGER, email TEXT, name TEXT");
    assert_string_equal(columns_of(f, cat, "main", "posts"), "id INTEGER, user_id INTEGER, title TEXT");
    const cat_constraint *fk = first_fk(catalog_table_find(cat, "main", "posts"));
    assert_non_null(fk);
    assert_string_equal(fk->ref_table, "users");
    assert_non_null(catalog_index_find(cat, "main", "posts_user"));
    /* provenance: the file and line of the CREATE */
    cat_table *users = catalog_table_find(cat, "main", "users");
    assert_non_null(users->prov.created.file);
    assert_non_null(strstr(users->prov.created.file, "001_create_users.sql"));
    assert_int_equal(users->prov.created.line, 2);
    catalog_free(cat);

    /* only the applied ones */
    const char *applied[] = {"001", "2"};
    cat = migration_set_schema(&set, DIALECT_SQLITE, applied, 2, NULL, &f->diags);
    assert_no_errors(f);
    assert_string_equal(columns_of(f, cat, "main", "users"), "id INTEGER, email TEXT");
    assert_non_null(catalog_table_find(cat, "main", "posts"));
    catalog_free(cat);
    const char *first_only[] = {"001"};
    cat = migration_set_schema(&set, DIALECT_SQLITE, first_only, 1, NULL, &f->diags);
    assert_int_equal(cat->tables.n, 1);
    catalog_free(cat);
}

static void test_set_schema_pg(void **state)
{
    fixture *f = *state;
    migration_set set;
    assert_int_equal(migration_set_load(&set, &f->mem, fixture_dir(f, "pg_basic"), &f->diags), 0);
    catalog *cat = migration_set_schema(&set, DIALECT_PG, NULL, 0, NULL, &f->diags);
    assert_no_errors(f);
    assert_int_equal(cat->tables.n, 2);
    assert_string_equal(columns_of(f, cat, "public", "users"),
                        "id bigint, email character varying(320), status status, name text");
    assert_string_equal(columns_of(f, cat, "public", "posts"), "id bigint, user_id bigint, title text");
    const cat_constraint *fk = first_fk(catalog_table_find(cat, "public", "posts"));
    assert_non_null(fk);
    assert_string_equal(fk->ref_schema, "public");
    assert_string_equal(fk->ref_table, "users");
    assert_non_null(catalog_enum_find(cat, "public", "status"));
    assert_non_null(catalog_index_find(cat, "public", "posts_user"));
    /* the ALTER is recorded on the file's own line */
    cat_table *users = catalog_table_find(cat, "public", "users");
    assert_true(users->prov.altered.n >= 1);
    assert_non_null(strstr(users->prov.altered.v[0].file, "003_alter_users.sql"));
    assert_int_equal(users->prov.altered.v[0].line, 2);
    catalog_free(cat);
}

/* errors in the up section keep the file's line; the down section is not read */
static void test_set_schema_error_lines(void **state)
{
    fixture *f = *state;
    write_file(f->dir, "1_ok.sql", "-- migrate:up\nCREATE TABLE a (x integer);\n-- migrate:down\nDROP TABLE a;\n");
    write_file(f->dir, "2_bad.sql",
               "-- a header\n"
               "-- migrate:up\n"
               "CREATE TABLE b (y integer);\n"
               "\n"
               "CREATE TABLEE c (z integer);\n"
               "-- migrate:down\n"
               "this is not sql at all;\n");
    migration_set set;
    assert_int_equal(migration_set_load(&set, &f->mem, f->dir, &f->diags), 0);
    dialect ds[] = {DIALECT_PG, DIALECT_SQLITE};
    for (size_t k = 0; k < 2; k++) {
        diag_list_init(&f->diags, &f->mem);
        catalog *cat = migration_set_schema(&set, ds[k], NULL, 0, NULL, &f->diags);
        size_t errors = 0;
        for (size_t i = 0; i < f->diags.items.n; i++) {
            const diag *d = &f->diags.items.v[i];
            if (d->severity != DIAG_ERROR)
                continue;
            errors++;
            assert_non_null(strstr(d->loc.file, "2_bad.sql"));
            assert_int_equal(d->loc.line, 5);
        }
        assert_int_equal(errors, 1);
        assert_non_null(catalog_table_find(cat, catalog_default_schema(cat), "a"));
        catalog_free(cat);
    }
}

static void test_target_schema(void **state)
{
    fixture *f = *state;
    write_file(f->dir, "001_base.sql",
               "-- migrate:up\n"
               "CREATE SCHEMA shared;\n"
               "CREATE TABLE shared.settings (k text PRIMARY KEY);\n"
               "CREATE TYPE mood AS ENUM ('ok', 'sad');\n"
               "CREATE TABLE public.users (id bigint PRIMARY KEY, mood mood);\n"
               "CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id),\n"
               "                    setting text REFERENCES shared.settings (k));\n"
               "CREATE INDEX posts_user ON posts (user_id);\n"
               "CREATE VIEW user_posts AS SELECT u.id, p.id AS post FROM users u JOIN posts p ON p.user_id = u.id;\n");
    migration_set set;
    assert_int_equal(migration_set_load(&set, &f->mem, f->dir, &f->diags), 0);
    catalog *cat = migration_set_schema(&set, DIALECT_PG, NULL, 0, "tenant_a", &f->diags);
    assert_no_errors(f);
    assert_null(catalog_table_find(cat, "public", "users"));
    cat_table *users = catalog_table_find(cat, "tenant_a", "users");
    cat_table *posts = catalog_table_find(cat, "tenant_a", "posts");
    assert_non_null(users);
    assert_non_null(posts);
    assert_string_equal(columns_of(f, cat, "tenant_a", "users"), "id bigint, mood tenant_a.mood");
    assert_non_null(catalog_enum_find(cat, "tenant_a", "mood"));
    assert_null(catalog_enum_find(cat, "public", "mood"));
    size_t fks = 0;
    for (size_t i = 0; i < posts->constraints.n; i++) {
        const cat_constraint *c = posts->constraints.v[i];
        if (c->kind != CON_FOREIGN)
            continue;
        fks++;
        /* users moved with the tenant; the qualified shared.settings did not */
        assert_string_equal(c->ref_schema, !strcmp(c->ref_table, "users") ? "tenant_a" : "shared");
    }
    assert_int_equal(fks, 2);
    cat_index *ix = catalog_index_find(cat, "tenant_a", "posts_user");
    assert_non_null(ix);
    assert_string_equal(ix->table, "posts");
    assert_non_null(catalog_view_find(cat, "tenant_a", "user_posts"));
    assert_non_null(catalog_table_find(cat, "shared", "settings")); /* qualified: stays */
    assert_non_null(catalog_schema_find(cat, "tenant_a"));
    catalog_free(cat);
}

/* ---- drift --------------------------------------------------------------------- */

static catalog *pg_catalog_of(fixture *f, const char *sql)
{
    catalog *cat = catalog_new(DIALECT_PG);
    assert_int_equal(pg_sql_read(cat, "test.sql", sql, strlen(sql), &f->diags), 0);
    assert_no_errors(f);
    return cat;
}

static const migration_drift_item *drift_find(const migration_drift_list *l, const char *change, const char *name,
                                              const char *sub)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i].change, change) && !strcmp(l->v[i].name, name) &&
            !strcmp(l->v[i].sub ? l->v[i].sub : "", sub ? sub : ""))
            return &l->v[i];
    return NULL;
}

static catalog *sqlite_catalog_of(fixture *f, const char *sql)
{
    catalog *cat = catalog_new(DIALECT_SQLITE);
    assert_int_equal(sqlite_sql_read(cat, "to.sql", sql, strlen(sql), &f->diags), 0);
    assert_no_errors(f);
    return cat;
}

static void print_drift(const migration_drift_list *items)
{
    for (size_t i = 0; i < items->n; i++)
        fprintf(stderr, "drift: %s %s %s.%s %s: %s\n", items->v[i].change, cat_object_kind_name(items->v[i].kind),
                items->v[i].schema, items->v[i].name, items->v[i].sub ? items->v[i].sub : "", items->v[i].detail);
}

static void test_drift(void **state)
{
    fixture *f = *state;
    catalog *expected = pg_catalog_of(f, "CREATE TABLE users (id int4 PRIMARY KEY, email varchar(100) NOT NULL,\n"
                                         "  note text DEFAULT 'x');\n"
                                         "CREATE TABLE posts (id bigint PRIMARY KEY, body text);\n");
    catalog *live = pg_catalog_of(f, "CREATE TABLE public.users (id integer PRIMARY KEY,\n"
                                     "  email text NOT NULL, note text DEFAULT 'x'::text, legacy int);\n");
    migration_drift_list items = {0};
    assert_int_equal(migration_drift(expected, live, &f->mem, &items, &f->diags), 0);
    assert_no_errors(f);
    assert_int_equal(items.n, 3);
    const migration_drift_item *missing = drift_find(&items, "missing", "posts", NULL);
    assert_non_null(missing);
    assert_int_equal(missing->kind, OBJ_TABLE);
    assert_string_equal(missing->schema, "public");
    assert_non_null(strstr(missing->detail, "CREATE TABLE"));
    assert_null(strchr(missing->detail, '\n'));
    const migration_drift_item *extra = drift_find(&items, "extra", "users", "legacy");
    assert_non_null(extra);
    assert_non_null(strstr(extra->detail, "DROP COLUMN"));
    const migration_drift_item *changed = drift_find(&items, "changed", "users", "email");
    assert_non_null(changed);
    assert_non_null(strstr(changed->detail, "character varying(100)"));
    /* sorted by kind, schema, name */
    for (size_t i = 1; i < items.n; i++)
        assert_true(items.v[i - 1].kind < items.v[i].kind ||
                    (items.v[i - 1].kind == items.v[i].kind &&
                     strcmp(items.v[i - 1].name, items.v[i].name) <= 0));

    /* the same schema spelled differently: no drift */
    migration_drift_list none = {0};
    catalog *same = pg_catalog_of(f, "CREATE TABLE users (id integer PRIMARY KEY,\n"
                                     "  email character varying(100) NOT NULL, note text DEFAULT 'x'::text);\n"
                                     "CREATE TABLE public.posts (id int8 PRIMARY KEY, body text);\n");
    assert_int_equal(migration_drift(expected, same, &f->mem, &none, &f->diags), 0);
    assert_int_equal(none.n, 0);
    catalog_free(same);
    catalog_free(expected);
    catalog_free(live);
}

/* dependents the diff engine re-creates around a change are not drift of
 * their own; a real difference in them is */
static void test_drift_dependents(void **state)
{
    fixture *f = *state;
    const char *base = "CREATE TABLE users (id bigint PRIMARY KEY);\n"
                       "CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id)%s%s);\n";
    catalog *expected = pg_catalog_of(f, arena_printf(&f->mem, base, "", ""));
    catalog *live = pg_catalog_of(f, arena_printf(&f->mem, base, "", ", hack int"));
    migration_drift_list items = {0};
    assert_int_equal(migration_drift(expected, live, &f->mem, &items, &f->diags), 0);
    assert_int_equal(items.n, 1);
    assert_non_null(drift_find(&items, "extra", "posts", "hack"));

    catalog *cascade = pg_catalog_of(f, arena_printf(&f->mem, base, " ON DELETE CASCADE", ", hack int"));
    migration_drift_list two = {0};
    assert_int_equal(migration_drift(expected, cascade, &f->mem, &two, &f->diags), 0);
    assert_int_equal(two.n, 2);
    assert_non_null(drift_find(&two, "extra", "posts", "hack"));
    const migration_drift_item *fk = drift_find(&two, "changed", "posts", "posts_user_id_fkey");
    assert_non_null(fk);
    assert_int_equal(fk->kind, OBJ_CONSTRAINT);
    catalog_free(cascade);
    catalog_free(expected);
    catalog_free(live);
}

static void test_drift_sqlite(void **state)
{
    fixture *f = *state;
    catalog *expected = sqlite_catalog_of(f, "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
                                             "CREATE TABLE posts (id INTEGER PRIMARY KEY, body TEXT);\n"
                                             "CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT);\n");
    catalog *live = sqlite_catalog_of(f, "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
                                         "CREATE TABLE posts (id INTEGER PRIMARY KEY, body TEXT, legacy TEXT);\n"
                                         "CREATE TABLE tags (id INTEGER PRIMARY KEY, label VARCHAR(20));\n"
                                         "CREATE TABLE scratch (x);\n");
    migration_drift_list items = {0};
    assert_int_equal(migration_drift(expected, live, &f->mem, &items, &f->diags), 0);
    assert_no_errors(f);
    if (items.n != 3)
        print_drift(&items);
    assert_int_equal(items.n, 3);
    /* kind order: tables (by name), then columns */
    assert_string_equal(items.v[0].name, "scratch");
    assert_string_equal(items.v[0].change, "extra");
    assert_string_equal(items.v[0].schema, "main");
    assert_string_equal(items.v[1].name, "tags");
    assert_string_equal(items.v[1].change, "changed"); /* a type SQLite changes by rebuilding the table */
    assert_non_null(strstr(items.v[1].detail, "label TEXT"));
    assert_string_equal(items.v[2].name, "posts");
    assert_string_equal(items.v[2].sub, "legacy");
    assert_string_equal(items.v[2].change, "extra");
    assert_int_equal(items.v[2].kind, OBJ_COLUMN);
    catalog_free(expected);
    catalog_free(live);
}

static void test_drift_detail_is_cut(void **state)
{
    fixture *f = *state;
    strbuf sql = STRBUF_INIT;
    strbuf_adds(&sql, "CREATE TABLE wide (\n");
    for (int i = 0; i < 40; i++)
        strbuf_addf(&sql, "  column_number_%02d integer,\n", i);
    strbuf_adds(&sql, "  last text);\n");
    catalog *expected = pg_catalog_of(f, sql.buf);
    catalog *live = catalog_new(DIALECT_PG);
    migration_drift_list items = {0};
    assert_int_equal(migration_drift(expected, live, &f->mem, &items, &f->diags), 0);
    assert_int_equal(items.n, 1);
    assert_int_equal(strlen(items.v[0].detail), 200);
    assert_string_equal(items.v[0].detail + 197, "...");
    assert_null(strstr(items.v[0].detail, "  "));
    strbuf_release(&sql);
    catalog_free(expected);
    catalog_free(live);
}

/* ---- migrate diff --------------------------------------------------------------- */

static void copy_fixture_dir(fixture *f, const char *name, const char *dest)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp '%s'/*.sql '%s'/", dest, fixture_dir(f, name), dest);
    assert_int_equal(system(cmd), 0);
}

static void exec_sql(sqlite3 *db, const char *sql, size_t len)
{
    char *copy = strndup(sql, len);
    char *err = NULL;
    int rc = sqlite3_exec(db, copy, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        fail_msg("sqlite3_exec: %s\n%s", err ? err : "?", copy);
    free(copy);
}

/* apply the up sections of set (and of `extra_up` / `extra_down` of a
 * migration) to a fresh SQLite file; read it back */
static catalog *apply_sqlite(fixture *f, const migration_set *set, const char *db_name, const migration *last,
                             bool with_down)
{
    const char *path = arena_printf(&f->mem, "%s/%s", f->dir, db_name);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    exec_sql(db, "PRAGMA foreign_keys = ON;", 25);
    for (size_t i = 0; i < set->items.n; i++) {
        const migration *m = &set->items.v[i];
        if (m == last)
            continue;
        exec_sql(db, "BEGIN;", 6);
        exec_sql(db, m->up.text, m->up.len);
        exec_sql(db, "COMMIT;", 7);
    }
    /* as the runner does: in a transaction unless the file says otherwise */
    if (!last->no_transaction)
        exec_sql(db, "BEGIN;", 6);
    exec_sql(db, last->up.text, last->up.len);
    if (with_down)
        exec_sql(db, last->down.text, last->down.len);
    if (!last->no_transaction)
        exec_sql(db, "COMMIT;", 7);
    sqlite3_close(db);
    catalog *cat = catalog_new(DIALECT_SQLITE);
    assert_int_equal(sqlite_live_read(cat, path, NULL, &f->diags), 0);
    assert_no_errors(f);
    return cat;
}

static void assert_same_schema(fixture *f, catalog *a, catalog *b)
{
    diff_plan plan;
    diff_plan_init(&plan, &f->mem, a->dialect);
    diff_opts opts = {.allow_destructive = true};
    assert_int_equal(diff_catalogs(&plan, a, b, &opts, &f->diags), 0);
    if (plan.changes.n) {
        strbuf sb = STRBUF_INIT;
        diff_emit_sql(&sb, &plan);
        fail_msg("schemas differ:\n%s", sb.buf);
    }
}


static const migration *newest(const migration_set *set)
{
    return &set->items.v[set->items.n - 1];
}

static void test_write_diff_sqlite(void **state)
{
    fixture *f = *state;
    const char *dir = arena_printf(&f->mem, "%s/mig", f->dir);
    copy_fixture_dir(f, "sqlite_basic", dir);
    migration_set set;
    assert_int_equal(migration_set_load(&set, &f->mem, dir, &f->diags), 0);
    catalog *to = sqlite_catalog_of(f, "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE,\n"
                                       "  name TEXT, created_at TEXT);\n"
                                       "CREATE TABLE posts (id INTEGER PRIMARY KEY,\n"
                                       "  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,\n"
                                       "  title TEXT);\n"
                                       "CREATE INDEX posts_user ON posts (user_id);\n"
                                       "CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT NOT NULL);\n");
    diff_opts opts = {.allow_destructive = true};
    const char *path = NULL;
    bool no_changes = true;
    assert_int_equal(migration_write_diff(&set, DIALECT_SQLITE, to, "add_tags", &opts, &path, &no_changes, &f->diags),
                     0);
    assert_no_errors(f);
    assert_false(no_changes);
    assert_non_null(path);
    assert_string_equal(path, arena_printf(&f->mem, "%s/004_add_tags.sql", dir));

    migration_set after;
    assert_int_equal(migration_set_load(&after, &f->mem, dir, &f->diags), 0);
    assert_int_equal(after.items.n, 4);
    const migration *m = newest(&after);
    assert_string_equal(m->name, "add_tags");
    assert_false(m->no_transaction);
    assert_true(m->down.present);
    char *up = section_str(&f->mem, &m->up);
    assert_non_null(strstr(up, "CREATE TABLE"));
    assert_non_null(strstr(up, "ADD COLUMN"));
    assert_null(strstr(up, "BEGIN;"));
    assert_null(strstr(up, "COMMIT;"));
    assert_non_null(strstr(section_str(&f->mem, &m->down), "DROP TABLE"));

    /* applied after the earlier migrations, the up section yields `to` */
    catalog *live = apply_sqlite(f, &after, "up.db", m, false);
    assert_same_schema(f, live, to);
    catalog_free(live);
    /* and up + down gives back the schema of the earlier migrations */
    catalog *before = migration_set_schema(&set, DIALECT_SQLITE, NULL, 0, NULL, &f->diags);
    live = apply_sqlite(f, &after, "down.db", m, true);
    assert_same_schema(f, live, before);
    catalog_free(live);
    catalog_free(before);

    /* the set now matches `to`: no changes, no file */
    no_changes = false;
    assert_int_equal(migration_write_diff(&after, DIALECT_SQLITE, to, "again", &opts, &path, &no_changes, &f->diags),
                     0);
    assert_true(no_changes);
    assert_null(path);
    migration_set again;
    assert_int_equal(migration_set_load(&again, &f->mem, dir, &f->diags), 0);
    assert_int_equal(again.items.n, 4);
    catalog_free(to);
}

/* a change SQLite can only make by rebuilding the table: outside a transaction */
static void test_write_diff_sqlite_rebuild(void **state)
{
    fixture *f = *state;
    const char *dir = arena_printf(&f->mem, "%s/mig", f->dir);
    copy_fixture_dir(f, "sqlite_basic", dir);
    migration_set set;
    assert_int_equal(migration_set_load(&set, &f->mem, dir, &f->diags), 0);
    catalog *to = sqlite_catalog_of(f, "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE,\n"
                                       "  name TEXT NOT NULL DEFAULT '');\n"
                                       "CREATE TABLE posts (id INTEGER PRIMARY KEY,\n"
                                       "  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,\n"
                                       "  title TEXT);\n"
                                       "CREATE INDEX posts_user ON posts (user_id);\n");
    diff_opts opts = {.allow_destructive = true};
    const char *path = NULL;
    bool no_changes = true;
    assert_int_equal(
        migration_write_diff(&set, DIALECT_SQLITE, to, "name_not_null", &opts, &path, &no_changes, &f->diags), 0);
    assert_false(no_changes);
    migration_set after;
    assert_int_equal(migration_set_load(&after, &f->mem, dir, &f->diags), 0);
    const migration *m = newest(&after);
    assert_string_equal(m->path, path);
    assert_true(m->no_transaction);
    assert_non_null(strstr(m->text, "-- dbsage:no-transaction\n"));
    assert_non_null(strstr(m->text, "-- migrate:up transaction:false\n"));
    char *up = section_str(&f->mem, &m->up);
    assert_non_null(strstr(up, "PRAGMA foreign_keys = OFF;"));
    assert_non_null(strstr(up, "BEGIN;"));
    catalog *live = apply_sqlite(f, &after, "up.db", m, false);
    assert_same_schema(f, live, to);
    catalog_free(live);
    /* the reader follows the file's own PRAGMA/BEGIN/COMMIT framing */
    catalog *cat = migration_set_schema(&after, DIALECT_SQLITE, NULL, 0, NULL, &f->diags);
    assert_no_errors(f);
    assert_same_schema(f, cat, to);
    catalog_free(cat);
    catalog_free(to);
}

static void test_write_diff_pg_text(void **state)
{
    fixture *f = *state;
    const char *dir = arena_printf(&f->mem, "%s/mig", f->dir);
    copy_fixture_dir(f, "pg_basic", dir);
    migration_set set;
    assert_int_equal(migration_set_load(&set, &f->mem, dir, &f->diags), 0);
    catalog *to = pg_catalog_of(f, "CREATE TYPE status AS ENUM ('active', 'banned');\n"
                                   "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
                                   "  email varchar(320) NOT NULL UNIQUE, status status NOT NULL DEFAULT 'active',\n"
                                   "  name text, bio text);\n"
                                   "CREATE TABLE posts (id bigserial PRIMARY KEY,\n"
                                   "  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE, title text);\n"
                                   "CREATE INDEX posts_user ON posts (user_id);\n");
    diff_opts opts = {0};
    const char *path = NULL;
    bool no_changes = true;
    assert_int_equal(migration_write_diff(&set, DIALECT_PG, to, "add_bio", &opts, &path, &no_changes, &f->diags), 0);
    assert_no_errors(f);
    assert_false(no_changes);
    migration_set after;
    assert_int_equal(migration_set_load(&after, &f->mem, dir, &f->diags), 0);
    const migration *m = newest(&after);
    assert_string_equal(m->version, "004");
    assert_false(m->no_transaction);
    char *up = section_str(&f->mem, &m->up);
    assert_non_null(strstr(up, "ADD COLUMN bio text"));
    assert_non_null(strstr(up, "SET LOCAL check_function_bodies = false;"));
    assert_null(strstr(up, "BEGIN;"));
    assert_null(strstr(up, "COMMIT;"));
    /* the down plan drops the column: destructive, left out without allow_destructive */
    char *down = section_str(&f->mem, &m->down);
    assert_null(strstr(down, "\nALTER TABLE users DROP COLUMN"));
    assert_non_null(strstr(down, "-- skipped (destructive, use --allow-destructive): ALTER TABLE users DROP COLUMN bio;"));
    /* the whole set reads cleanly, and now equals `to` */
    catalog *cat = migration_set_schema(&after, DIALECT_PG, NULL, 0, NULL, &f->diags);
    assert_no_errors(f);
    assert_same_schema(f, cat, to);
    catalog_free(cat);
    catalog_free(to);
}

/* no migrations yet (no directory): the first file is the whole schema */
static void test_write_diff_empty_set(void **state)
{
    fixture *f = *state;
    const char *dir = arena_printf(&f->mem, "%s/new/migrations", f->dir);
    migration_set set;
    assert_int_equal(migration_set_load(&set, &f->mem, dir, &f->diags), 0);
    catalog *to = sqlite_catalog_of(f, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);\n");
    diff_opts opts = {0};
    const char *path = NULL;
    bool no_changes = true;
    assert_int_equal(migration_write_diff(&set, DIALECT_SQLITE, to, "init", &opts, &path, &no_changes, &f->diags), 0);
    assert_false(no_changes);
    migration_set after;
    assert_int_equal(migration_set_load(&after, &f->mem, dir, &f->diags), 0);
    assert_int_equal(after.items.n, 1);
    const migration *m = &after.items.v[0];
    assert_int_equal(strlen(m->version), 14);
    assert_string_equal(m->name, "init");
    assert_non_null(strstr(section_str(&f->mem, &m->up), "CREATE TABLE"));
    /* dropping the table is destructive: listed, not run */
    assert_non_null(strstr(section_str(&f->mem, &m->down), "-- skipped (destructive"));
    catalog *cat = migration_set_schema(&after, DIALECT_SQLITE, NULL, 0, NULL, &f->diags);
    assert_no_errors(f);
    assert_same_schema(f, cat, to);
    catalog_free(cat);
    catalog_free(to);
}

/* ---- on the ctest PostgreSQL cluster ------------------------------------------ */

/* URL of a fresh database on the test cluster ($DBSAGE_PG_STATE/url, set by
 * ctest; DBSAGE_TEST_PG_URL overrides); NULL = no server given (skip) */
static const char *pg_fresh_db(fixture *f, const char *name, PGconn **admin_out)
{
    const char *url = getenv("DBSAGE_TEST_PG_URL");
    const char *state = getenv("DBSAGE_PG_STATE");
    if ((!url || !*url) && state && *state) {
        strbuf sb = STRBUF_INIT;
        if (strbuf_read_file(&sb, arena_printf(&f->mem, "%s/url", state)) != 0)
            fail_msg("no PostgreSQL test cluster in %s (run through ctest: the pg fixture starts it)", state);
        strbuf_rtrim(&sb);
        url = arena_strdup(&f->mem, sb.buf);
        strbuf_release(&sb);
    }
    if (!url || !*url)
        return NULL;
    const char *prefix = "postgresql:///postgres?";
    if (strncmp(url, prefix, strlen(prefix)) != 0)
        fail_msg("expected a %s... URL, got %s", prefix, url);
    PGconn *admin = PQconnectdb(url);
    assert_int_equal(PQstatus(admin), CONNECTION_OK);
    const char *db = arena_printf(&f->mem, "%s_%ld", name, (long)getpid());
    PQclear(PQexec(admin, "SET client_min_messages = warning"));
    PQclear(PQexec(admin, arena_printf(&f->mem, "DROP DATABASE IF EXISTS %s WITH (FORCE)", db)));
    PGresult *r = PQexec(admin, arena_printf(&f->mem, "CREATE DATABASE %s TEMPLATE template0", db));
    assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
    *admin_out = admin;
    return arena_printf(&f->mem, "postgresql:///%s?%s", db, url + strlen(prefix));
}

static void pg_drop_db(fixture *f, PGconn *admin, const char *url)
{
    const char *db = url + strlen("postgresql:///");
    const char *q = strchr(db, '?');
    PQclear(PQexec(admin, arena_printf(&f->mem, "DROP DATABASE IF EXISTS %.*s WITH (FORCE)", (int)(q - db), db)));
    PQfinish(admin);
}

static void pg_exec(PGconn *db, const char *sql, size_t len)
{
    char *copy = strndup(sql, len);
    PGresult *r = PQexec(db, copy);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        fail_msg("PostgreSQL: %s\n%s", PQerrorMessage(db), copy);
    PQclear(r);
    free(copy);
}

/* each up section, in its own transaction unless the file says otherwise */
static void pg_apply_set(PGconn *db, const migration_set *set)
{
    for (size_t i = 0; i < set->items.n; i++) {
        const migration *m = &set->items.v[i];
        if (!m->no_transaction)
            pg_exec(db, "BEGIN", 5);
        pg_exec(db, m->up.text, m->up.len);
        if (!m->no_transaction)
            pg_exec(db, "COMMIT", 6);
    }
}

static catalog *pg_live(fixture *f, const char *url, const char *schema)
{
    catalog *cat = catalog_new(DIALECT_PG);
    const char *schemas[] = {schema};
    source_opts o = {.schemas = schema ? schemas : NULL, .n_schemas = schema ? 1 : 0};
    assert_int_equal(pg_live_read(cat, url, &o, &f->diags), 0);
    source_filter_schemas(cat, &o);
    assert_no_errors(f);
    return cat;
}

/* migrate diff on PostgreSQL: the file applies on the server (in the
 * runner's transaction, framing stripped) and yields the target */
static void test_pg_write_diff_applies(void **state)
{
    fixture *f = *state;
    PGconn *admin = NULL;
    const char *url = pg_fresh_db(f, "dbsage_test_migfiles_diff", &admin);
    if (!url)
        skip();
    const char *dir = arena_printf(&f->mem, "%s/mig", f->dir);
    copy_fixture_dir(f, "pg_basic", dir);
    migration_set set;
    assert_int_equal(migration_set_load(&set, &f->mem, dir, &f->diags), 0);
    catalog *to = pg_catalog_of(f, "CREATE TYPE status AS ENUM ('active', 'banned');\n"
                                   "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
                                   "  email varchar(320) NOT NULL UNIQUE, status status NOT NULL DEFAULT 'active',\n"
                                   "  name text NOT NULL DEFAULT '', bio text);\n"
                                   "CREATE TABLE posts (id bigserial PRIMARY KEY,\n"
                                   "  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE, title text);\n"
                                   "CREATE INDEX posts_user ON posts (user_id);\n"
                                   "CREATE TABLE tags (id bigint PRIMARY KEY, post_id bigint REFERENCES posts (id),\n"
                                   "  label text NOT NULL CHECK (label <> ''));\n"
                                   "CREATE FUNCTION label_count() RETURNS bigint LANGUAGE sql AS\n"
                                   "  $$ SELECT count(*) FROM tags $$;\n"
                                   "CREATE VIEW tagged AS SELECT p.id, t.label FROM posts p JOIN tags t ON t.post_id = p.id;\n");
    diff_opts opts = {.allow_destructive = true};
    const char *path = NULL;
    bool no_changes = true;
    assert_int_equal(migration_write_diff(&set, DIALECT_PG, to, "tags", &opts, &path, &no_changes, &f->diags), 0);
    assert_no_errors(f);
    migration_set after;
    assert_int_equal(migration_set_load(&after, &f->mem, dir, &f->diags), 0);
    const migration *m = newest(&after);
    assert_string_equal(m->path, path);
    assert_false(m->no_transaction);

    const char *keys[] = {"dbname", NULL};
    const char *vals[] = {url, NULL};
    PGconn *db = PQconnectdbParams(keys, vals, 1);
    assert_int_equal(PQstatus(db), CONNECTION_OK);
    pg_apply_set(db, &after);
    catalog *live = pg_live(f, url, NULL);
    assert_same_schema(f, live, to);
    catalog_free(live);

    /* the down section, in a transaction, gives back the earlier schema */
    pg_exec(db, "BEGIN", 5);
    pg_exec(db, m->down.text, m->down.len);
    pg_exec(db, "COMMIT", 6);
    live = pg_live(f, url, NULL);
    catalog *before = migration_set_schema(&set, DIALECT_PG, NULL, 0, NULL, &f->diags);
    assert_same_schema(f, live, before);
    catalog_free(before);
    catalog_free(live);
    PQfinish(db);
    catalog_free(to);
    pg_drop_db(f, admin, url);
}


/* tenant runs: the files applied with search_path = tenant match the set's
 * schema moved to the tenant (no drift); a live change is drift */
static void test_pg_tenant_drift(void **state)
{
    fixture *f = *state;
    PGconn *admin = NULL;
    const char *url = pg_fresh_db(f, "dbsage_test_migfiles_tenant", &admin);
    if (!url)
        skip();
    migration_set set;
    assert_int_equal(migration_set_load(&set, &f->mem, fixture_dir(f, "pg_basic"), &f->diags), 0);
    const char *keys[] = {"dbname", NULL};
    const char *vals[] = {url, NULL};
    PGconn *db = PQconnectdbParams(keys, vals, 1);
    assert_int_equal(PQstatus(db), CONNECTION_OK);
    pg_exec(db, "CREATE SCHEMA tenant_a; SET search_path = tenant_a", 50);
    pg_apply_set(db, &set);

    catalog *expected = migration_set_schema(&set, DIALECT_PG, NULL, 0, "tenant_a", &f->diags);
    assert_no_errors(f);
    catalog *live = pg_live(f, url, "tenant_a");
    assert_non_null(catalog_table_find(live, "tenant_a", "posts"));
    migration_drift_list items = {0};
    assert_int_equal(migration_drift(expected, live, &f->mem, &items, &f->diags), 0);
    print_drift(&items);
    assert_int_equal(items.n, 0);
    catalog_free(live);

    pg_exec(db, "ALTER TABLE tenant_a.posts ADD COLUMN hack int", 46);
    live = pg_live(f, url, "tenant_a");
    migration_drift_list one = {0};
    assert_int_equal(migration_drift(expected, live, &f->mem, &one, &f->diags), 0);
    if (one.n != 1)
        print_drift(&one);
    assert_int_equal(one.n, 1);
    assert_string_equal(one.v[0].change, "extra");
    assert_string_equal(one.v[0].schema, "tenant_a");
    assert_string_equal(one.v[0].name, "posts");
    assert_string_equal(one.v[0].sub, "hack");
    catalog_free(live);
    catalog_free(expected);
    PQfinish(db);
    pg_drop_db(f, admin, url);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_set_schema_sqlite),
        T(test_set_schema_pg),
        T(test_set_schema_error_lines),
        T(test_target_schema),
        T(test_drift),
        T(test_drift_dependents),
        T(test_drift_sqlite),
        T(test_drift_detail_is_cut),
        T(test_write_diff_sqlite),
        T(test_write_diff_sqlite_rebuild),
        T(test_write_diff_pg_text),
        T(test_write_diff_empty_set),
        T(test_pg_write_diff_applies),
        T(test_pg_tenant_drift),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
