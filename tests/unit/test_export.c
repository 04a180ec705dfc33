/*
 * test_export.c — unit tests of src/data/export*: the --where filter parser,
 * export_run on real SQLite files (closure through a self-reference, rows
 * per table, secrets removed by the default rules, dbsage_export row) and
 * export_dump_sqlite (quoting of literals, NULL, blobs, row order).
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

#include "data/export.h"

static void test_parse_filter(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    diag_list d;
    diag_list_init(&d, &mem);
    export_filter f;
    assert_int_equal(0, export_parse_filter("users.id = 42", &mem, &f, &d));
    assert_string_equal("users", f.table);
    assert_string_equal("id", f.column);
    assert_string_equal("42", f.value);
    assert_int_equal(0, export_parse_filter(" app.users.email='a = b' ", &mem, &f, &d));
    assert_string_equal("app.users", f.table);
    assert_string_equal("email", f.column);
    assert_string_equal("a = b", f.value);
    assert_int_equal(0, export_parse_filter("t.c =", &mem, &f, &d));
    assert_string_equal("", f.value);
    assert_false(diag_has_errors(&d));
    assert_int_equal(-1, export_parse_filter("users = 1", &mem, &f, &d));
    assert_int_equal(-1, export_parse_filter("users.id 1", &mem, &f, &d));
    assert_int_equal(-1, export_parse_filter(".id = 1", &mem, &f, &d));
    assert_int_equal(3, (int)d.n_errors);
    arena_free(&mem);
}

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
}

static char *query1(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(SQLITE_OK, sqlite3_open(path, &db));
    sqlite3_stmt *s;
    assert_int_equal(SQLITE_OK, sqlite3_prepare_v2(db, sql, -1, &s, NULL));
    char *out = NULL;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        out = strdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return out ? out : strdup("<null>");
}

static void test_run_and_dump(void **state)
{
    (void)state;
    char dir[] = "/tmp/dbsage-test-export-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char src_path[128], dst_path[128];
    snprintf(src_path, sizeof src_path, "%s/src.db", dir);
    snprintf(dst_path, sizeof dst_path, "%s/dst.db", dir);
    sqlite3 *db;
    assert_int_equal(SQLITE_OK, sqlite3_open(src_path, &db));
    exec(db, "CREATE TABLE node (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES node (id), label TEXT,"
             " password TEXT, data BLOB);"
             "INSERT INTO node VALUES (1, NULL, 'root', 'pw1', NULL), (2, 1, 'it''s', 'pw2', x'00ff'),"
             " (3, 2, 'leaf', NULL, NULL), (4, NULL, 'other', 'pw4', NULL), (5, 4, 'other child', NULL, NULL);");
    sqlite3_close(db);

    arena mem;
    arena_init(&mem);
    diag_list d;
    diag_list_init(&d, &mem);
    db_open_opts so = {0}, dso = {0};
    so.read_only = true;
    dso.create = true;
    db_conn *src = db_open(src_path, &so, &d);
    db_conn *dst = db_open(dst_path, &dso, &d);
    assert_non_null(src);
    assert_non_null(dst);
    export_filter f = {"node", "id", "2"};
    export_opts o;
    memset(&o, 0, sizeof o);
    o.filters = &f;
    o.nfilters = 1;
    o.rules = anon_rules_default(&mem, true);
    o.seed = "x";
    export_result res;
    int rc = export_run(src_path, dst_path, src, dst, &o, &mem, &res, &d);
    if (rc < 0)
        diag_print(stderr, &d, false);
    assert_int_equal(0, rc);
    db_close(dst);
    db_close(src);
    /* node 2, its parent 1 and its descendant 3; not 4/5 */
    assert_int_equal(3, (int)res.rows);
    char *v = query1(dst_path, "SELECT group_concat(id) FROM (SELECT id FROM node ORDER BY id)");
    assert_string_equal("1,2,3", v);
    free(v);
    v = query1(dst_path, "SELECT count(password) FROM node");
    assert_string_equal("0", v);
    free(v);
    v = query1(dst_path, "SELECT filters || '|' || follow FROM dbsage_export");
    assert_string_equal("node.id = 2|descendants", v);
    free(v);

    strbuf sb;
    strbuf_init(&sb);
    assert_int_equal(0, export_dump_sqlite(dst_path, &sb, &mem, &d));
    const char *dump = strbuf_str(&sb);
    const char *r1 = strstr(dump, "INSERT INTO node (id, parent_id, label, password, data) VALUES (1, NULL, 'root', NULL, NULL);");
    const char *r2 = strstr(dump, "VALUES (2, 1, 'it''s', NULL, X'00FF');");
    const char *r3 = strstr(dump, "VALUES (3, 2, 'leaf', NULL, NULL);");
    assert_non_null(r1);
    assert_non_null(r2);
    assert_non_null(r3);
    assert_true(r1 < r2 && r2 < r3);
    assert_null(strstr(dump, "pw"));
    assert_null(strstr(dump, "other"));
    strbuf_release(&sb);
    arena_free(&mem);
    unlink(src_path);
    unlink(dst_path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_filter),
        cmocka_unit_test(test_run_and_dump),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
