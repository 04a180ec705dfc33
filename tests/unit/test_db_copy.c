/*
 * test_db_copy.c — unit tests for src/db, second part: bulk load (COPY FROM
 * STDIN on PostgreSQL, prepared INSERT on SQLite) round-tripping 1,000
 * awkward rows exactly, statement / lock / busy timeouts, read-only SQLite,
 * and PostgreSQL's statement-by-statement execution (CONCURRENTLY, COPY in a
 * script, unterminated strings).  Fixture: db_fixture.h.
 */
#define DB_FIXTURE_DB "dbsage_test_db_copy"
#include "db_fixture.h"

/* ---- bulk load --------------------------------------------------------------------------- */

/* row i: an awkward text (tab, newline, CR, backslashes, a literal \N, UTF-8),
 * NULL every 7th row in column b */
static const char *copy_value(char *buf, size_t cap, int i)
{
    static const char *const pieces[] = {"\t", "\n", "\r", "\\", "\\N", "\\t", "é", "'", "\"",
                                         ",", " ", "x"};
    size_t o = (size_t)snprintf(buf, cap, "v%d:", i);
    for (int k = 0; k < 1 + i % 9; k++)
        o += (size_t)snprintf(buf + o, cap - o, "%s", pieces[(i * 7 + k * 5) % 12]);
    return buf;
}

static void copy_roundtrip(dialect d)
{
    db_conn *c = open_engine(d, "copy.db");
    const char *schema = NULL;
    if (d == DIALECT_PG) {
        exec_ok(c, "CREATE SCHEMA cp_s; CREATE TABLE cp_s.\"Cp T\" (id int, a text, \"b col\" text)");
        schema = "cp_s";
    } else {
        exec_ok(c, "CREATE TABLE \"Cp T\" (id INTEGER, a TEXT, \"b col\" TEXT)");
    }
    const char *cols[] = {"id", "a", "b col"};
    assert_int_equal(db_begin(c), 0);
    db_copy *cp = db_copy_begin(c, schema, "Cp T", cols, 3);
    if (!cp)
        fail_msg("copy_begin: %s", db_last_error(c));
    char idbuf[16], abuf[128], bbuf[128];
    for (int i = 0; i < 1000; i++) {
        snprintf(idbuf, sizeof idbuf, "%d", i);
        copy_value(abuf, sizeof abuf, i);
        copy_value(bbuf, sizeof bbuf, i + 1);
        const char *vals[3] = {idbuf, abuf, i % 7 == 0 ? NULL : bbuf};
        size_t lens[3] = {strlen(idbuf), strlen(abuf), strlen(bbuf)};
        if (db_copy_row(cp, vals, i % 2 ? lens : NULL) != 0)
            fail_msg("copy_row %d: %s", i, db_last_error(c));
    }
    if (db_copy_end(cp) != 0)
        fail_msg("copy_end: %s", db_last_error(c));
    assert_int_equal(db_commit(c), 0);

    db_stmt *s = db_prepare(c, d == DIALECT_PG ? "SELECT id, a, \"b col\" FROM cp_s.\"Cp T\" ORDER BY id"
                                               : "SELECT id, a, \"b col\" FROM \"Cp T\" ORDER BY id",
                            0);
    assert_non_null(s);
    int n = 0;
    while (db_step(s) == 1) {
        assert_int_equal(db_column_int64(s, 0), n);
        size_t len;
        const char *a = db_column_text(s, 1, &len);
        assert_string_equal(a, copy_value(abuf, sizeof abuf, n));
        assert_int_equal(len, strlen(abuf));
        if (n % 7 == 0) {
            assert_true(db_column_is_null(s, 2));
        } else {
            assert_false(db_column_is_null(s, 2));
            assert_string_equal(db_column_text(s, 2, NULL), copy_value(bbuf, sizeof bbuf, n + 1));
        }
        n++;
    }
    assert_int_equal(n, 1000);
    db_finalize(s);

    /* a failing COPY reports the server's error at the end */
    cp = db_copy_begin(c, schema, "Cp T", cols, 3);
    assert_non_null(cp);
    const char *bad[3] = {"not a number", "a", "b"};
    int rc = db_copy_row(cp, bad, NULL);
    rc |= db_copy_end(cp);
    if (d == DIALECT_PG) {
        assert_int_equal(rc, -1);
        assert_contains(db_last_error(c), "invalid input syntax for type integer");
    }
    /* the connection stays usable; an unknown table fails at begin */
    assert_int_equal(count_rows(c, d == DIALECT_PG ? "SELECT count(*) FROM cp_s.\"Cp T\" WHERE id < 1000"
                                                   : "SELECT count(*) FROM \"Cp T\" WHERE id < 1000"),
                     1000);
    assert_null(db_copy_begin(c, schema, "no such table", cols, 3));
    assert_contains(db_last_error(c), "no such table");
    if (d == DIALECT_PG) {
        /* an explicit "public" is spelled out: the search_path points elsewhere */
        exec_ok(c, "CREATE TABLE public.cp_p (v text); CREATE TABLE cp_s.cp_p (v text)");
        assert_int_equal(db_set_schema(c, "cp_s"), 0);
        const char *vcol[] = {"v"};
        cp = db_copy_begin(c, "public", "cp_p", vcol, 1);
        assert_non_null(cp);
        const char *one[] = {"x"};
        assert_int_equal(db_copy_row(cp, one, NULL), 0);
        assert_int_equal(db_copy_end(cp), 0);
        assert_int_equal(count_rows(c, "SELECT count(*) FROM public.cp_p"), 1);
        assert_int_equal(count_rows(c, "SELECT count(*) FROM cp_s.cp_p"), 0);
        assert_int_equal(db_set_schema(c, NULL), 0);
        exec_ok(c, "DROP TABLE public.cp_p");
    }
    exec_ok(c, d == DIALECT_PG ? "DROP SCHEMA cp_s CASCADE" : "DROP TABLE \"Cp T\"");
    db_close(c);
}

static void test_copy_sqlite(void **state)
{
    (void)state;
    copy_roundtrip(DIALECT_SQLITE);
}

static void test_copy_pg(void **state)
{
    (void)state;
    copy_roundtrip(DIALECT_PG);
}

/* ---- timeouts and options ------------------------------------------------------------------ */


static void test_timeouts_sqlite(void **state)
{
    (void)state;
    db_open_opts o = {0};
    o.create = true;
    o.statement_timeout_ms = 50;
    o.lock_timeout_ms = 50;
    db_conn *c = open_opts(sqlite_path("timeout.db"), &o);
    /* a query that would run for hours */
    const char *slow = "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r "
                       "WHERE i < 100000000000) SELECT count(*) FROM r";
    assert_int_equal(db_exec(c, slow), -1);
    assert_contains(db_last_error(c), "statement timeout");
    int err;
    assert_null(db_query_value(c, slow, &err));
    assert_int_equal(err, -1);
    assert_contains(db_last_error(c), "statement timeout");
    assert_int_equal(count_rows(c, "SELECT 41 + 1"), 42);  /* next statements run */
    /* busy timeout: a second writer gives up */
    db_conn *c2 = open_opts(sqlite_path("timeout.db"), &o);
    assert_int_equal(db_begin(c), 0);
    assert_int_equal(db_begin(c2), -1);
    assert_contains(db_last_error(c2), "locked");
    assert_int_equal(db_rollback(c), 0);
    assert_int_equal(db_begin(c2), 0);
    assert_int_equal(db_commit(c2), 0);
    db_close(c2);
    db_close(c);

    /* read-only */
    o.read_only = true;
    o.statement_timeout_ms = 0;
    c = open_opts(sqlite_path("timeout.db"), &o);
    assert_int_equal(db_exec(c, "CREATE TABLE ro (x)"), -1);
    assert_contains(db_last_error(c), "readonly");
    db_close(c);
}

static void test_timeouts_pg(void **state)
{
    (void)state;
    db_open_opts o = {0};
    o.statement_timeout_ms = 100;
    o.lock_timeout_ms = 100;
    o.application_name = "dbsage-test";
    db_conn *c = open_opts(pg_db_url, &o);
    int err;
    assert_string_equal(db_query_value(c, "SHOW statement_timeout", &err), "100ms");
    assert_string_equal(db_query_value(c, "SHOW lock_timeout", &err), "100ms");
    assert_string_equal(db_query_value(c, "SELECT current_setting('application_name')", &err),
                        "dbsage-test");
    assert_int_equal(db_exec(c, "SELECT pg_sleep(30)"), -1);
    assert_contains(db_last_error(c), "statement timeout");

    db_conn *holder = open_ok(pg_db_url, false);
    exec_ok(holder, "CREATE TABLE to_t (x int)");
    assert_int_equal(db_begin(holder), 0);
    exec_ok(holder, "LOCK TABLE to_t IN ACCESS EXCLUSIVE MODE");
    /* only a lock timeout here (a statement timeout could fire first) */
    db_open_opts lo = {0};
    lo.lock_timeout_ms = 100;
    db_conn *waiter = open_opts(pg_db_url, &lo);
    assert_int_equal(db_exec(waiter, "SELECT * FROM to_t"), -1);
    assert_contains(db_last_error(waiter), "lock timeout");
    assert_int_equal(db_rollback(holder), 0);
    exec_ok(waiter, "SELECT * FROM to_t");
    db_close(waiter);
    exec_ok(holder, "DROP TABLE to_t");
    db_close(holder);
    db_close(c);
}

/* ---- PG specifics: statements run one by one ------------------------------------------- */

static void test_pg_one_by_one(void **state)
{
    (void)state;
    db_conn *c = open_engine(DIALECT_PG, NULL);
    /* CONCURRENTLY cannot run inside the implicit transaction of a
     * multi-statement string: db_exec sends statements one at a time */
    exec_ok(c, "CREATE TABLE ob_t (x int); CREATE INDEX CONCURRENTLY ob_i ON ob_t (x); "
               "DROP INDEX CONCURRENTLY ob_i;");
    /* COPY FROM STDIN inside a script is an error, and the connection survives */
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    const char *s = "INSERT INTO ob_t VALUES (1);\nCOPY ob_t FROM STDIN;\n";
    assert_int_equal(db_exec_script(c, "c.sql", s, strlen(s), 1, &dl), -1);
    const diag *e = first_error(&dl);
    assert_non_null(e);
    assert_int_equal(e->loc.line, 2);
    assert_contains(e->message, "COPY");
    assert_int_equal(count_rows(c, "SELECT count(*) FROM ob_t"), 1);
    /* an unterminated string: the scanner's error at its position */
    dl.items.n = 0;
    const char *u = "SELECT 1;\n\nSELECT 'open";
    assert_int_equal(db_exec_script(c, "u.sql", u, strlen(u), 5, &dl), -1);
    e = first_error(&dl);
    assert_non_null(e);
    assert_int_equal(e->loc.line, 7);
    assert_int_equal(e->loc.col, 8);
    assert_contains(e->message, "unterminated");
    exec_ok(c, "DROP TABLE ob_t");
    arena_free(&mem);
    db_close(c);
}


int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copy_sqlite),
        cmocka_unit_test(test_copy_pg),
        cmocka_unit_test(test_timeouts_sqlite),
        cmocka_unit_test(test_timeouts_pg),
        cmocka_unit_test(test_pg_one_by_one),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
