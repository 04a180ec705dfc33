/*
 * test_verify_copy.c — unit tests of copy verification (data/verify_copy.h):
 * the canonical text of values per kind (numbers, booleans, timestamps and
 * epochs, dates, JSON key order / escapes / duplicates, blobs, values that
 * do not parse), kinds of declared types, and verify_copy over two real
 * SQLite files (equal in another row order; a changed value, a missing row,
 * a missing table and a missing column detected).  SQLite vs PostgreSQL is
 * tests/cli/pg_verify_copy.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "data/verify_copy.h"

static char *canon(verify_kind k, verify_storage st, int64_t iv, double dv, const char *text)
{
    static char buf[512];
    strbuf sb = STRBUF_INIT;
    verify_canon_value(k, st, iv, dv, text, text ? strlen(text) : 0, &sb);
    snprintf(buf, sizeof buf, "%s", strbuf_str(&sb));
    strbuf_release(&sb);
    return buf;
}

#define TXT(k, s) canon((k), VS_TEXT, 0, 0, (s))

static void test_numbers(void **state)
{
    (void)state;
    assert_string_equal(canon(VK_NUMBER, VS_INT, 42, 0, NULL), "42");
    assert_string_equal(canon(VK_NUMBER, VS_INT, INT64_MIN, 0, NULL), "-9223372036854775808");
    assert_string_equal(canon(VK_NUMBER, VS_REAL, 0, 0.1, NULL), "0.1");
    assert_string_equal(canon(VK_NUMBER, VS_REAL, 0, 0.1 + 0.2, NULL), "0.30000000000000004");
    assert_string_equal(canon(VK_NUMBER, VS_REAL, 0, 3.0, NULL), "3");
    assert_string_equal(canon(VK_NUMBER, VS_REAL, 0, -0.0, NULL), "0");
    assert_string_equal(canon(VK_NUMBER, VS_REAL, 0, 1e20, NULL), "100000000000000000000");
    assert_string_equal(canon(VK_NUMBER, VS_REAL, 0, 1.5e-7, NULL), "0.00000015");
    /* PG text spellings of the same values */
    assert_string_equal(TXT(VK_NUMBER, "1e+20"), "100000000000000000000");
    assert_string_equal(TXT(VK_NUMBER, "1.5e-07"), "0.00000015");
    assert_string_equal(TXT(VK_NUMBER, "0.30000000000000004"), "0.30000000000000004");
    assert_string_equal(TXT(VK_NUMBER, "12.500"), "12.5");
    assert_string_equal(TXT(VK_NUMBER, "-000.000"), "0");
    assert_string_equal(TXT(VK_NUMBER, "+007"), "7");
    assert_string_equal(TXT(VK_NUMBER, "1000.000"), "1000");
    assert_string_equal(TXT(VK_NUMBER, "NaN"), "NaN");
    assert_string_equal(TXT(VK_NUMBER, "-Infinity"), "-Infinity");
    assert_string_equal(canon(VK_NUMBER, VS_REAL, 0, -1.0 / 0.0, NULL), "-Infinity");
    assert_string_equal(TXT(VK_NUMBER, "inf"), "Infinity");
    /* not a number: raw, marked */
    assert_string_equal(TXT(VK_NUMBER, "12abc"), "?12abc");
    assert_string_equal(TXT(VK_NUMBER, "."), "?.");
}

static void test_bools(void **state)
{
    (void)state;
    assert_string_equal(canon(VK_BOOL, VS_INT, 1, 0, NULL), "true");
    assert_string_equal(canon(VK_BOOL, VS_INT, 0, 0, NULL), "false");
    assert_string_equal(canon(VK_BOOL, VS_INT, 2, 0, NULL), "2");
    assert_string_equal(TXT(VK_BOOL, "t"), "true");
    assert_string_equal(TXT(VK_BOOL, "F"), "false");
    assert_string_equal(TXT(VK_BOOL, "true"), "true");
    assert_string_equal(TXT(VK_BOOL, "0"), "false");
    assert_string_equal(TXT(VK_BOOL, "maybe"), "?maybe");
}

static void test_timestamps(void **state)
{
    (void)state;
    const char *want = "2024-01-02T03:04:05.123456Z";
    assert_string_equal(TXT(VK_TIMESTAMP, "2024-01-02 03:04:05.123456"), want);
    assert_string_equal(TXT(VK_TIMESTAMP, "2024-01-02 03:04:05.123456+00"), want);
    assert_string_equal(TXT(VK_TIMESTAMP, "2024-01-02T04:04:05.123456+01:00"), want);
    assert_string_equal(TXT(VK_TIMESTAMP, "2024-01-01T21:34:05.123456-05:30"), want);
    assert_string_equal(TXT(VK_TIMESTAMP, "2024-01-02T03:04:05.1234564Z"), want);
    assert_string_equal(TXT(VK_TIMESTAMP, "2024-01-02T03:04:05.1234555Z"), want);
    assert_string_equal(TXT(VK_TIMESTAMP, "2024-01-02"), "2024-01-02T00:00:00.000000Z");
    assert_string_equal(TXT(VK_TIMESTAMP, "2024-01-02 03:04"), "2024-01-02T03:04:00.000000Z");
    /* epochs: seconds, milliseconds (>= 1e11), reals, text */
    assert_string_equal(canon(VK_TIMESTAMP, VS_INT, 1700000000, 0, NULL), "2023-11-14T22:13:20.000000Z");
    assert_string_equal(canon(VK_TIMESTAMP, VS_INT, 1700000000123, 0, NULL), "2023-11-14T22:13:20.123000Z");
    assert_string_equal(canon(VK_TIMESTAMP, VS_REAL, 0, 1700000000.5, NULL), "2023-11-14T22:13:20.500000Z");
    assert_string_equal(TXT(VK_TIMESTAMP, "1700000000"), "2023-11-14T22:13:20.000000Z");
    assert_string_equal(canon(VK_TIMESTAMP, VS_INT, -1, 0, NULL), "1969-12-31T23:59:59.000000Z");
    assert_string_equal(TXT(VK_TIMESTAMP, "1969-12-31 23:59:59.5"), "1969-12-31T23:59:59.500000Z");
    assert_string_equal(TXT(VK_TIMESTAMP, "infinity"), "infinity");
    assert_string_equal(TXT(VK_TIMESTAMP, "yesterday"), "?yesterday");
    assert_string_equal(TXT(VK_TIMESTAMP, "2024-13-02"), "?2024-13-02");
    assert_string_equal(TXT(VK_DATE, "2024-02-29"), "2024-02-29");
    assert_string_equal(canon(VK_DATE, VS_INT, 1700000000, 0, NULL), "2023-11-14");
}

static void test_json(void **state)
{
    (void)state;
    /* jsonb reorders keys, drops whitespace, keeps the last duplicate, decodes escapes */
    assert_string_equal(TXT(VK_JSON, "{\"b\": 1, \"a\": [1, 2.50, {\"z\": null, \"y\": \"\\u00e9\"}]}"),
                        "{\"a\":[1,2.5,{\"y\":\"\xc3\xa9\",\"z\":null}],\"b\":1}");
    assert_string_equal(TXT(VK_JSON, "{\"a\":[1,2.5,{\"y\":\"\xc3\xa9\",\"z\":null}],\"b\":1}"),
                        "{\"a\":[1,2.5,{\"y\":\"\xc3\xa9\",\"z\":null}],\"b\":1}");
    assert_string_equal(TXT(VK_JSON, "{\"k\": 1, \"k\": 2}"), "{\"k\":2}");
    assert_string_equal(TXT(VK_JSON, " [ ] "), "[]");
    assert_string_equal(TXT(VK_JSON, "{}"), "{}");
    assert_string_equal(TXT(VK_JSON, "\"a\\nb\\\"\\ud83d\\ude00\""), "\"a\\u000ab\\\"\xf0\x9f\x98\x80\"");
    assert_string_equal(TXT(VK_JSON, "1e2"), "100");
    assert_string_equal(TXT(VK_JSON, "{\"a\":1"), "?{\"a\":1");
    assert_string_equal(TXT(VK_JSON, "[1,]"), "?[1,]");
    assert_string_equal(TXT(VK_JSON, "true false"), "?true false");
    /* depth limit: no stack overflow, raw */
    char deep[2100];
    memset(deep, '[', 1000);
    memset(deep + 1000, ']', 1000);
    deep[2000] = 0;
    assert_int_equal(TXT(VK_JSON, deep)[0], '?');
}

static void test_blobs_and_text(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    verify_canon_value(VK_BLOB, VS_BLOB, 0, 0, "\x00\xff\x10", 3, &sb);
    assert_string_equal(strbuf_str(&sb), "00ff10");
    strbuf_reset(&sb);
    verify_canon_value(VK_TEXT, VS_BLOB, 0, 0, "\x01", 1, &sb);
    assert_string_equal(strbuf_str(&sb), "x01");
    strbuf_reset(&sb);
    verify_canon_value(VK_BLOB, VS_BLOB, 0, 0, "", 0, &sb);
    assert_string_equal(strbuf_str(&sb), "");
    strbuf_release(&sb);
    assert_string_equal(TXT(VK_TEXT, "h\xc3\xa9llo "), "h\xc3\xa9llo ");
    assert_string_equal(canon(VK_TEXT, VS_INT, 5, 0, NULL), "5");
}

static void test_kinds(void **state)
{
    (void)state;
    assert_int_equal(verify_kind_of_type("timestamp with time zone"), VK_TIMESTAMP);
    assert_int_equal(verify_kind_of_type("DATETIME"), VK_TIMESTAMP);
    assert_int_equal(verify_kind_of_type("date"), VK_DATE);
    assert_int_equal(verify_kind_of_type("BOOLEAN"), VK_BOOL);
    assert_int_equal(verify_kind_of_type("jsonb"), VK_JSON);
    assert_int_equal(verify_kind_of_type("bytea"), VK_BLOB);
    assert_int_equal(verify_kind_of_type("BLOB"), VK_BLOB);
    assert_int_equal(verify_kind_of_type("numeric(10,2)"), VK_NUMBER);
    assert_int_equal(verify_kind_of_type("double precision"), VK_NUMBER);
    assert_int_equal(verify_kind_of_type("INTEGER"), VK_NUMBER);
    assert_int_equal(verify_kind_of_type("character varying(20)"), VK_TEXT);
    assert_int_equal(verify_kind_of_type(""), VK_TEXT);
    assert_int_equal(verify_kind_merge(VK_NUMBER, VK_TIMESTAMP), VK_TIMESTAMP);
    assert_int_equal(verify_kind_merge(VK_BOOL, VK_NUMBER), VK_BOOL);
    assert_int_equal(verify_kind_merge(VK_TEXT, VK_JSON), VK_JSON);
}

/* ---- verify_copy over two SQLite files ------------------------------------------------ */

static char dir[256];

static db_conn *open_db(const char *name, const char *sql)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
    db_open_opts o = {.create = true};
    db_conn *c = db_open(path, &o, NULL);
    assert_non_null(c);
    if (sql && db_exec(c, sql) < 0)
        fail_msg("%s: %s", sql, db_last_error(c));
    return c;
}

static const char schema[] =
    "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, amount REAL, flag BOOLEAN, at TIMESTAMP, doc JSON, b BLOB);"
    "CREATE TABLE u (k TEXT, v INTEGER);";

static int run(db_conn *a, db_conn *b, const char **tables, size_t n, arena *mem, verify_report *rep)
{
    diag_list diags;
    diag_list_init(&diags, mem);
    verify_opts o = {tables, n};
    int rc = verify_copy(a, b, &o, mem, rep, &diags);
    if (rc < 0 && diags.items.n)
        print_message("%s\n", diags.items.v[0].message);
    return rc;
}

static void test_sqlite_pair(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "%s", "/tmp/dbsage-test-verify-XXXXXX");
    assert_non_null(mkdtemp(dir));
    db_conn *a = open_db("a.db", schema);
    db_conn *b = open_db("b.db", schema);
    assert_int_equal(db_exec(a, "INSERT INTO t VALUES (1, 'x', 0.5, 1, '2024-01-02 03:04:05', '{\"b\":1,\"a\":2}', x'00');"
                                "INSERT INTO t VALUES (2, NULL, NULL, 0, 1700000000000, '[]', NULL);"
                                "INSERT INTO t VALUES (3, 'x', 0.5, 1, NULL, NULL, NULL);"
                                "INSERT INTO u VALUES ('a', 1), ('a', 1), ('b', 2);"),
                     0);
    /* same content, other order, other spellings */
    assert_int_equal(db_exec(b, "INSERT INTO t VALUES (3, 'x', 0.5, 't', NULL, NULL, NULL);"
                                "INSERT INTO t VALUES (2, NULL, NULL, 'f', '2023-11-14T22:13:20Z', ' [ ] ', NULL);"
                                "INSERT INTO t VALUES (1, 'x', 0.50, 1, '2024-01-02T04:04:05+01:00', '{\"a\": 2, \"b\": 1}', x'00');"
                                "INSERT INTO u VALUES ('b', 2), ('a', 1), ('a', 1);"),
                     0);
    arena mem;
    arena_init(&mem);
    verify_report rep;
    assert_int_equal(run(a, b, NULL, 0, &mem, &rep), 0);
    assert_int_equal(rep.ntables, 2);
    assert_int_equal(rep.ndiffer, 0);
    assert_string_equal(rep.tables[0].name, "t");
    assert_true(rep.tables[0].equal);
    assert_int_equal(rep.tables[0].from_rows, 3);
    assert_int_equal(rep.tables[1].to_rows, 3);
    char sum_t[65];
    memcpy(sum_t, rep.tables[0].from_sum, 65);

    /* a duplicated row replaced by another: XOR would cancel the pair, the sum does not */
    assert_int_equal(db_exec(b, "DELETE FROM u; INSERT INTO u VALUES ('b', 2), ('c', 3), ('c', 3);"), 0);
    assert_int_equal(run(a, b, (const char *[]){"u"}, 1, &mem, &rep), 0);
    assert_int_equal(rep.ntables, 1);
    assert_false(rep.tables[0].equal);
    assert_int_equal(rep.tables[0].from_rows, rep.tables[0].to_rows);
    assert_string_not_equal(rep.tables[0].from_sum, rep.tables[0].to_sum);

    /* one changed value: same count, other checksum */
    assert_int_equal(db_exec(b, "UPDATE t SET amount = 0.5000001 WHERE id = 3"), 0);
    assert_int_equal(run(a, b, (const char *[]){"t"}, 1, &mem, &rep), 0);
    assert_false(rep.tables[0].equal);
    assert_int_equal(rep.tables[0].to_rows, 3);
    assert_string_equal(rep.tables[0].from_sum, sum_t);
    assert_string_not_equal(rep.tables[0].to_sum, sum_t);

    /* a missing row */
    assert_int_equal(db_exec(b, "UPDATE t SET amount = 0.5 WHERE id = 3; DELETE FROM t WHERE id = 2"), 0);
    assert_int_equal(run(a, b, (const char *[]){"t"}, 1, &mem, &rep), 0);
    assert_false(rep.tables[0].equal);
    assert_int_equal(rep.tables[0].from_rows, 3);
    assert_int_equal(rep.tables[0].to_rows, 2);

    /* a missing column is reported; the shared columns still compare */
    db_close(b);
    b = open_db("b.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, amount REAL, flag BOOLEAN, at TIMESTAMP, "
                        "doc JSON, extra TEXT);");
    assert_int_equal(run(a, b, (const char *[]){"t"}, 1, &mem, &rep), 0);
    assert_int_equal(rep.tables[0].nmissing_in_to, 1);
    assert_string_equal(rep.tables[0].missing_in_to[0], "b");
    assert_int_equal(rep.tables[0].nmissing_in_from, 1);
    assert_string_equal(rep.tables[0].missing_in_from[0], "extra");
    assert_int_equal(rep.ndiffer, 1);

    /* a missing table */
    assert_int_equal(run(a, b, NULL, 0, &mem, &rep), 0);
    assert_int_equal(rep.ntables, 2);
    assert_true(rep.tables[1].missing);
    assert_int_equal(rep.tables[1].from_rows, 3);
    assert_int_equal(rep.ndiffer, 2);

    /* an unknown table is an error */
    assert_int_equal(run(a, b, (const char *[]){"nope"}, 1, &mem, &rep), -1);

    arena_free(&mem);
    db_close(a);
    db_close(b);
    char path[512];
    snprintf(path, sizeof path, "%s/a.db", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/b.db", dir);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers),    cmocka_unit_test(test_bools), cmocka_unit_test(test_timestamps),
        cmocka_unit_test(test_json),       cmocka_unit_test(test_blobs_and_text), cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_sqlite_pair),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
