/*
 * test_anon_pg.c — the shuffle second pass of src/data/anon_shuffle.c on the
 * real PostgreSQL test cluster (typed columns, a schema-qualified table) and
 * the same permutation on SQLite for the same rows and seed.
 */
#define DB_FIXTURE_DB "dbsage_test_anon"
#include "db_fixture.h"

#include "data/anon.h"

static void load(db_conn *c, const char *table)
{
    char sql[256];
    snprintf(sql, sizeof sql, "CREATE TABLE %s(id integer PRIMARY KEY, score integer NOT NULL, city text)", table);
    exec_ok(c, sql);
    for (int i = 1; i <= 30; i++) {
        if (i % 10 == 0)
            snprintf(sql, sizeof sql, "INSERT INTO %s VALUES (%d, %d, NULL)", table, i, i * 100);
        else
            snprintf(sql, sizeof sql, "INSERT INTO %s VALUES (%d, %d, 'c%02d')", table, i, i * 100, i);
        exec_ok(c, sql);
    }
}

static char *column_order(db_conn *c, const char *sql)
{
    int err = 0;
    const char *v = db_query_value(c, sql, &err);
    if (err || !v)
        fail_msg("query failed: %s\n--- %s", db_last_error(c), sql);
    char *r = malloc(strlen(v) + 1);
    memcpy(r, v, strlen(v) + 1);
    return r;
}

static void test_shuffle_pg_and_sqlite_agree(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    diag_list dl;
    diag_list_init(&dl, &a);
    db_conn *pg = open_engine(DIALECT_PG, NULL);
    exec_ok(pg, "CREATE SCHEMA shop");
    load(pg, "shop.people");
    db_conn *lite = open_engine(DIALECT_SQLITE, "anon.db");
    load(lite, "people");

    assert_int_equal(anon_shuffle_column(pg, "shop", "people", "score", "id", 11, &a, &dl), 0);
    assert_int_equal(anon_shuffle_column(pg, "shop", "people", "city", "id", 11, &a, &dl), 0);
    assert_int_equal(anon_shuffle_column(lite, NULL, "people", "score", "id", 11, &a, &dl), 0);
    assert_int_equal(anon_shuffle_column(lite, NULL, "people", "city", "id", 11, &a, &dl), 0);
    assert_int_equal(dl.n_errors, 0);

    /* values are kept (sum and count of NULLs), their order changed */
    assert_int_equal(count_rows(pg, "SELECT sum(score) FROM shop.people"), 46500);
    assert_int_equal(count_rows(pg, "SELECT count(*) FROM shop.people WHERE city IS NULL"), 3);
    assert_int_equal(count_rows(pg, "SELECT count(DISTINCT city) FROM shop.people"), 27);
    assert_true(count_rows(pg, "SELECT count(*) FROM shop.people WHERE score <> id * 100") > 20);
    /* the same rows and seed give the same permutation on both engines */
    char *p1 = column_order(pg, "SELECT string_agg(score::text || ':' || coalesce(city, '-'), ',' ORDER BY id) "
                                "FROM shop.people");
    char *s1 = column_order(lite, "SELECT group_concat(x, ',') FROM (SELECT score || ':' || coalesce(city, '-') "
                                  "AS x FROM people ORDER BY id)");
    assert_string_equal(p1, s1);
    /* the types survive the text round trip */
    assert_int_equal(count_rows(lite, "SELECT count(*) FROM people WHERE typeof(score) <> 'integer'"), 0);

    /* an unknown column is reported */
    assert_int_equal(anon_shuffle_column(pg, "shop", "people", "nope", "id", 11, &a, &dl), -1);
    assert_int_equal(dl.n_errors, 1);

    free(p1);
    free(s1);
    db_close(pg);
    db_close(lite);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shuffle_pg_and_sqlite_agree),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
