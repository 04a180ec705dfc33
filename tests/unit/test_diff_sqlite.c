/*
 * test_diff_sqlite.c — the SQLite diff backend against real database files:
 * each case reads FROM and TO schemas, applies plan(FROM -> TO) to a file
 * holding FROM plus rows, reads the file back (live reader) and checks that
 * the re-diff is empty, that rows survived, and that the down plan returns
 * to FROM.  Also: no ON DELETE CASCADE fires during a rebuild, references
 * keep pointing at a rebuilt table, the foreign key check fails the script.
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
#include <unistd.h>

#include "catalog/catalog.h"
#include "diff/diff.h"
#include "source/source.h"
#include "util/strbuf.h"

typedef struct fx {
    arena mem;
    diag_list diags;
    char path[64];
    sqlite3 *db;
    VEC(catalog *) cats;
    strbuf script;
} fx;

static int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    arena_init(&f->mem);
    diag_list_init(&f->diags, &f->mem);
    strcpy(f->path, "/tmp/dbsage-test-diff-sqlite-XXXXXX");
    int fd = mkstemp(f->path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(sqlite3_open(f->path, &f->db), SQLITE_OK);
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    fx *f = *state;
    sqlite3_close(f->db);
    unlink(f->path);
    for (size_t i = 0; i < f->cats.n; i++)
        catalog_free(f->cats.v[i]);
    strbuf_release(&f->script);
    arena_free(&f->mem);
    free(f);
    return 0;
}

static void assert_no_errors(fx *f)
{
    for (size_t i = 0; i < f->diags.items.n; i++) {
        diag *d = &f->diags.items.v[i];
        if (d->severity == DIAG_ERROR)
            fail_msg("unexpected error %s:%u:%u: %s", d->loc.file, d->loc.line, d->loc.col, d->message);
    }
}

static catalog *cat_sql(fx *f, const char *sql)
{
    catalog *c = catalog_new(DIALECT_SQLITE);
    VEC_PUSH(&f->mem, f->cats, c);
    assert_int_equal(sqlite_sql_read(c, "schema.sql", sql, strlen(sql), &f->diags), 0);
    assert_no_errors(f);
    return c;
}

static catalog *cat_live(fx *f)
{
    catalog *c = catalog_new(DIALECT_SQLITE);
    VEC_PUSH(&f->mem, f->cats, c);
    assert_int_equal(sqlite_live_read(c, f->path, NULL, &f->diags), 0);
    assert_no_errors(f);
    return c;
}

static void exec_ok(fx *f, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(f->db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        fail_msg("sqlite: %s\nin:\n%s", err ? err : "?", sql);
    sqlite3_free(err);
}

/* the script for from -> to into f->script; returns the plan */
static diff_plan *plan_of(fx *f, catalog *from, catalog *to, bool allow)
{
    diff_plan *p = ARENA_NEW(&f->mem, diff_plan);
    diff_plan_init(p, &f->mem, DIALECT_SQLITE);
    diff_opts o;
    memset(&o, 0, sizeof o);
    o.allow_destructive = allow;
    assert_int_equal(diff_catalogs(p, from, to, &o, &f->diags), 0);
    assert_no_errors(f);
    strbuf_reset(&f->script);
    diff_emit_sql(&f->script, p);
    return p;
}

static void assert_no_diff(fx *f, catalog *a, catalog *b)
{
    diff_plan *p = plan_of(f, a, b, true);
    if (!diff_plan_empty(p))
        fail_msg("re-diff is not empty:\n%s", strbuf_str(&f->script));
}

static long long scalar(fx *f, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(f->db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("prepare %s: %s", sql, sqlite3_errmsg(f->db));
    long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

/* apply FROM + rows, migrate up and check, migrate down and check; the up
 * script stays in f->script... (copied to *up when given) */
static void roundtrip(fx *f, const char *from_sql, const char *to_sql, const char *rows, char **up)
{
    exec_ok(f, from_sql);
    if (rows)
        exec_ok(f, rows);
    catalog *from = cat_sql(f, from_sql), *to = cat_sql(f, to_sql);
    plan_of(f, from, to, true);
    if (up)
        *up = arena_strdup(&f->mem, strbuf_str(&f->script));
    exec_ok(f, strbuf_str(&f->script));
    catalog *live = cat_live(f);
    assert_no_diff(f, live, to);
    assert_no_diff(f, to, live);
    plan_of(f, to, from, true);
    exec_ok(f, strbuf_str(&f->script));
    catalog *back = cat_live(f);
    assert_no_diff(f, back, from);
    assert_no_diff(f, from, back);
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("expected \"%s\" in:\n%s", needle, hay);
}

static void assert_not_contains(const char *hay, const char *needle)
{
    if (strstr(hay, needle))
        fail_msg("did not expect \"%s\" in:\n%s", needle, hay);
}

/* ---- cases --------------------------------------------------------------------------- */

static void test_identical_is_empty(void **state)
{
    fx *f = *state;
    const char *s = "CREATE TABLE a (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL DEFAULT 'x');\n"
                    "CREATE INDEX a_name ON a (name DESC);\n"
                    "CREATE VIEW v AS SELECT id FROM a WHERE name <> 'y';\n"
                    "CREATE TRIGGER tr AFTER DELETE ON a BEGIN SELECT 1; END;\n";
    exec_ok(f, s);
    catalog *from = cat_sql(f, s), *live = cat_live(f);
    assert_no_diff(f, from, live);
    assert_no_diff(f, live, from);
    assert_int_equal(f->script.len, 0);
}

static void test_add_column_uses_alter(void **state)
{
    fx *f = *state;
    char *up = NULL;
    roundtrip(f, "CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT);\n",
              "CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT, n INTEGER NOT NULL DEFAULT 0, "
              "t TEXT COLLATE NOCASE);\n",
              "INSERT INTO a VALUES (1, 'one'), (2, 'two');", &up);
    assert_contains(up, "ALTER TABLE a ADD COLUMN n INTEGER NOT NULL DEFAULT 0;");
    assert_contains(up, "ADD COLUMN t TEXT COLLATE");
    assert_not_contains(up, "new_a");
    assert_int_equal(scalar(f, "SELECT count(*) FROM a WHERE name IN ('one', 'two')"), 2);
}

static void test_drop_column_uses_alter_and_is_destructive(void **state)
{
    fx *f = *state;
    char *up = NULL;
    const char *a = "CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT, junk BLOB);\n";
    const char *b = "CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT);\n";
    roundtrip(f, a, b, "INSERT INTO a VALUES (1, 'one', x'00');", &up);
    assert_contains(up, "ALTER TABLE a DROP COLUMN junk;");
    assert_contains(up, "-- hazard: destructive");
    assert_not_contains(up, "new_a");
    /* without --allow-destructive the drop is left out, with a note */
    diff_plan *p = plan_of(f, cat_sql(f, a), cat_sql(f, b), false);
    assert_int_equal(p->changes.n, 0);
    assert_int_equal(p->skipped.n, 1);
    assert_contains(strbuf_str(&f->script), "-- skipped (destructive");
    assert_true(!diff_plan_empty(p));
}

static void test_type_change_rebuilds_keeping_rows(void **state)
{
    fx *f = *state;
    char *up = NULL;
    roundtrip(f,
              "CREATE TABLE a (id INTEGER PRIMARY KEY, qty TEXT, note TEXT);\n"
              "CREATE INDEX a_qty ON a (qty);\n",
              "CREATE TABLE a (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL DEFAULT 0 CHECK (qty >= 0), note TEXT);\n"
              "CREATE INDEX a_qty ON a (qty);\n",
              "INSERT INTO a VALUES (1, '5', 'five'), (2, NULL, 'none');", &up);
    assert_contains(up, "PRAGMA foreign_keys = OFF;\n");
    assert_contains(up, "CREATE TABLE new_a");
    assert_contains(up, "INSERT INTO new_a (id, qty, note)");
    assert_contains(up, "coalesce(qty, 0)");
    assert_contains(up, "DROP TABLE a;\nALTER TABLE new_a RENAME TO a;\nCREATE INDEX a_qty");
    assert_contains(up, "pragma_foreign_key_check");
    assert_contains(up, "-- hazard: table-rewrite, data-dependent");
    /* PRAGMA foreign_keys=OFF outside the transaction, ON after it */
    const char *off = strstr(up, "PRAGMA foreign_keys = OFF"), *begin = strstr(up, "BEGIN;"),
               *commit = strstr(up, "COMMIT;"), *on = strstr(up, "PRAGMA foreign_keys = ON");
    assert_true(off && begin && commit && on && off < begin && begin < commit && commit < on);
    /* the down plan ran last: rows with their original values */
    assert_int_equal(scalar(f, "SELECT count(*) FROM a WHERE note IN ('five', 'none')"), 2);
}

static void test_rebuild_fires_no_cascade(void **state)
{
    fx *f = *state;
    const char *a = "CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT);\n"
                    "CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p (id) ON DELETE CASCADE);\n";
    const char *b = "CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');\n"
                    "CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p (id) ON DELETE CASCADE);\n";
    exec_ok(f, "PRAGMA foreign_keys=ON;");
    char *up = NULL;
    roundtrip(f, a, b, "INSERT INTO p VALUES (1, 'one'), (2, NULL); INSERT INTO c VALUES (10, 1), (20, 2);", &up);
    assert_contains(up, "ALTER TABLE new_p RENAME TO p");
    assert_int_equal(scalar(f, "PRAGMA foreign_keys"), 1);
    /* both rebuilds (up and down) kept the children */
    assert_int_equal(scalar(f, "SELECT count(*) FROM c"), 2);
    assert_int_equal(scalar(f, "SELECT count(*) FROM c JOIN p ON p.id = c.p_id"), 2);
    /* the FK still points at "p", and works */
    assert_int_equal(scalar(f, "SELECT count(*) FROM pragma_foreign_key_list('c') WHERE \"table\" = 'p'"), 1);
    exec_ok(f, "PRAGMA foreign_keys=ON; DELETE FROM p WHERE id = 1;");
    assert_int_equal(scalar(f, "SELECT count(*) FROM c"), 1);
}

static void test_rebuild_recreates_views_and_triggers(void **state)
{
    fx *f = *state;
    const char *a = "CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT);\n"
                    "CREATE TABLE log (msg TEXT);\n"
                    "CREATE VIEW pv AS SELECT id, name FROM p;\n"
                    "CREATE VIEW pv2 AS SELECT name FROM pv;\n"
                    "CREATE TRIGGER p_ins AFTER INSERT ON p BEGIN INSERT INTO log VALUES (new.name); END;\n"
                    "CREATE TRIGGER log_ins AFTER INSERT ON log BEGIN DELETE FROM p WHERE 0; END;\n";
    const char *b = "CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT UNIQUE);\n"
                    "CREATE TABLE log (msg TEXT);\n"
                    "CREATE VIEW pv AS SELECT id, name FROM p;\n"
                    "CREATE VIEW pv2 AS SELECT name FROM pv;\n"
                    "CREATE TRIGGER p_ins AFTER INSERT ON p BEGIN INSERT INTO log VALUES (new.name); END;\n"
                    "CREATE TRIGGER log_ins AFTER INSERT ON log BEGIN DELETE FROM p WHERE 0; END;\n";
    char *up = NULL;
    roundtrip(f, a, b, "INSERT INTO p VALUES (1, 'one');", &up);
    assert_contains(up, "DROP VIEW pv2");
    assert_contains(up, "DROP TRIGGER log_ins");
    exec_ok(f, "INSERT INTO p VALUES (2, 'two');");
    assert_int_equal(scalar(f, "SELECT count(*) FROM pv2"), 2);
    assert_int_equal(scalar(f, "SELECT count(*) FROM log"), 2);
}

static void test_fk_check_fails_the_script(void **state)
{
    fx *f = *state;
    const char *a = "CREATE TABLE p (id INTEGER PRIMARY KEY);\nCREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER);\n";
    const char *b = "CREATE TABLE p (id INTEGER PRIMARY KEY);\n"
                    "CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p (id));\n";
    exec_ok(f, a);
    exec_ok(f, "INSERT INTO c VALUES (1, 42);"); /* an orphan */
    plan_of(f, cat_sql(f, a), cat_sql(f, b), true);
    char *err = NULL;
    int rc = sqlite3_exec(f->db, strbuf_str(&f->script), NULL, NULL, &err);
    assert_int_not_equal(rc, SQLITE_OK);
    sqlite3_free(err);
    exec_ok(f, "ROLLBACK; PRAGMA foreign_keys=ON;");
    /* nothing changed */
    assert_int_equal(scalar(f, "SELECT count(*) FROM pragma_foreign_key_list('c')"), 0);
    assert_int_equal(scalar(f, "SELECT count(*) FROM c"), 1);
}

static void test_index_view_trigger_changes(void **state)
{
    fx *f = *state;
    char *up = NULL;
    roundtrip(f,
              "CREATE TABLE a (id INTEGER PRIMARY KEY, x INT, y INT);\n"
              "CREATE INDEX ax ON a (x);\nCREATE INDEX gone ON a (y);\n"
              "CREATE VIEW v AS SELECT x FROM a;\n"
              "CREATE TRIGGER t1 AFTER INSERT ON a BEGIN SELECT 1; END;\n",
              "CREATE TABLE a (id INTEGER PRIMARY KEY, x INT, y INT);\n"
              "CREATE UNIQUE INDEX ax ON a (x, y);\nCREATE INDEX ay ON a (y) WHERE y > 0;\n"
              "CREATE VIEW v AS SELECT x, y FROM a;\n"
              "CREATE TRIGGER t1 AFTER UPDATE ON a BEGIN SELECT 2; END;\n",
              "INSERT INTO a VALUES (1, 1, 1);", &up);
    assert_contains(up, "DROP INDEX ax");
    assert_contains(up, "DROP INDEX gone");
    assert_contains(up, "CREATE UNIQUE INDEX ax");
    assert_contains(up, "DROP VIEW v");
    assert_contains(up, "DROP TRIGGER t1");
    assert_not_contains(up, "new_a");
}

static void test_renames_from_options(void **state)
{
    fx *f = *state;
    const char *a = "CREATE TABLE old_t (id INTEGER PRIMARY KEY, old_c TEXT);\n"
                    "CREATE TABLE ch (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES old_t (id));\n";
    const char *b = "CREATE TABLE new_t (id INTEGER PRIMARY KEY, new_c TEXT);\n"
                    "CREATE TABLE ch (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES new_t (id));\n";
    exec_ok(f, a);
    exec_ok(f, "INSERT INTO old_t VALUES (1, 'kept');");
    diff_plan *p = ARENA_NEW(&f->mem, diff_plan);
    diff_plan_init(p, &f->mem, DIALECT_SQLITE);
    diff_opts o;
    memset(&o, 0, sizeof o);
    diff_rename r1 = {OBJ_TABLE, NULL, NULL, "old_t", "new_t"};
    diff_rename r2 = {OBJ_COLUMN, NULL, "new_t", "old_c", "new_c"};
    VEC_PUSH(&f->mem, o.renames, r1);
    VEC_PUSH(&f->mem, o.renames, r2);
    catalog *to = cat_sql(f, b);
    assert_int_equal(diff_catalogs(p, cat_sql(f, a), to, &o, &f->diags), 0);
    assert_int_equal(p->skipped.n, 0);
    strbuf_reset(&f->script);
    diff_emit_sql(&f->script, p);
    assert_contains(strbuf_str(&f->script), "ALTER TABLE old_t RENAME TO new_t;");
    assert_contains(strbuf_str(&f->script), "ALTER TABLE new_t RENAME COLUMN old_c TO new_c;");
    exec_ok(f, strbuf_str(&f->script));
    assert_no_diff(f, cat_live(f), to);
    assert_int_equal(scalar(f, "SELECT count(*) FROM new_t WHERE new_c = 'kept'"), 1);
    /* without the hints: drop + add, destructive */
    plan_of(f, cat_sql(f, a), to, false);
    assert_contains(strbuf_str(&f->script), "-- skipped (destructive");
}

static void test_from_empty_creates_everything(void **state)
{
    fx *f = *state;
    char *up = NULL;
    roundtrip(f, "",
              "CREATE TABLE p (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE);\n"
              "CREATE TABLE c (a INT, b INT, p_id INT REFERENCES p (id) ON DELETE SET NULL, PRIMARY KEY (a, b)) "
              "WITHOUT ROWID;\n"
              "CREATE INDEX c_p ON c (p_id);\nCREATE VIEW cv AS SELECT * FROM c;\n"
              "CREATE TRIGGER cv_ins INSTEAD OF INSERT ON cv BEGIN INSERT INTO c VALUES (new.a, new.b, NULL); END;\n",
              NULL, &up);
    assert_contains(up, "CREATE TABLE p");
    assert_contains(up, "CREATE TRIGGER cv_ins");
}

static void test_strict_and_without_rowid_rebuild(void **state)
{
    fx *f = *state;
    char *up = NULL;
    roundtrip(f, "CREATE TABLE k (a INTEGER NOT NULL PRIMARY KEY, b TEXT);\n",
              "CREATE TABLE k (a INTEGER NOT NULL PRIMARY KEY, b TEXT) WITHOUT ROWID, STRICT;\n",
              "INSERT INTO k VALUES (1, 'x');", &up);
    assert_contains(up, "rebuild_table");
    assert_int_equal(scalar(f, "SELECT count(*) FROM k WHERE b = 'x'"), 1);
}

static void test_renamed_from_annotations(void **state)
{
    fx *f = *state;
    const char *a = "CREATE TABLE users (id INTEGER PRIMARY KEY, mail TEXT, age INT);\n"
                    "CREATE INDEX users_mail ON users (mail);\n";
    const char *b = "-- dbsage:renamed-from users\n"
                    "CREATE TABLE people (\n"
                    "    id INTEGER PRIMARY KEY,\n"
                    "    -- dbsage:renamed-from mail\n"
                    "    \"E-mail\" TEXT,\n"
                    "    age INT\n"
                    ");\n"
                    "-- dbsage:renamed-from users_mail\n"
                    "CREATE INDEX people_mail ON people (\"E-mail\");\n";
    catalog *to = cat_sql(f, b);
    assert_int_equal(to->rename_hints.n, 3);
    const cat_rename_hint *h = &to->rename_hints.v[0];
    assert_int_equal(h->kind, OBJ_TABLE);
    assert_string_equal(h->old_name, "users");
    assert_string_equal(h->new_name, "people");
    assert_int_equal(h->loc.line, 1);
    h = &to->rename_hints.v[1];
    assert_int_equal(h->kind, OBJ_COLUMN);
    assert_string_equal(h->table, "people");
    assert_string_equal(h->old_name, "mail");
    assert_string_equal(h->new_name, "E-mail");
    assert_int_equal(h->loc.line, 4);
    assert_int_equal(to->rename_hints.v[2].kind, OBJ_INDEX);
    char *up = NULL;
    roundtrip(f, a, b, "INSERT INTO users VALUES (1, 'a@b', 30);", &up);
    assert_contains(up, "ALTER TABLE users RENAME TO people;");
    assert_contains(up, "ALTER TABLE people RENAME COLUMN mail TO \"E-mail\";");
    assert_not_contains(up, "hazard: destructive");
    /* the down plan (annotations of its FROM side, inverted) renamed back */
    assert_int_equal(scalar(f, "SELECT count(*) FROM users WHERE mail = 'a@b' AND age = 30"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_identical_is_empty, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_add_column_uses_alter, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_drop_column_uses_alter_and_is_destructive, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_type_change_rebuilds_keeping_rows, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_rebuild_fires_no_cascade, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_rebuild_recreates_views_and_triggers, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_fk_check_fails_the_script, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_index_view_trigger_changes, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_renames_from_options, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_from_empty_creates_everything, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_strict_and_without_rowid_rebuild, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_renamed_from_annotations, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
