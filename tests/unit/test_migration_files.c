/*
 * test_migration_files.c — unit tests of src/migrate/migration_files.c:
 * section parsing and its errors, version order, duplicates, checksums,
 * the next version and new files.  (The schema side is
 * test_migration_schema.c.)
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

#include "migration_test_util.h"
#include "util/strbuf.h"

/* ---- parsing ------------------------------------------------------------------ */

static void test_parse_sections(void **state)
{
    fixture *f = *state;
    const char *text = "-- a header comment\n"
                       "-- migrate:up\n"
                       "CREATE TABLE t (id int);\n"
                       "CREATE INDEX t_i ON t (id);\n"
                       "\n"
                       "-- Migrate:Down\n"
                       "DROP TABLE t;\n";
    migration m;
    assert_int_equal(migration_parse(&m, &f->mem, "db/migrations/003_create_t.sql", text, strlen(text), &f->diags), 0);
    assert_int_equal(f->diags.items.n, 0);
    assert_string_equal(m.version, "003");
    assert_string_equal(m.name, "create_t");
    assert_true(m.up.present);
    assert_true(m.down.present);
    assert_false(m.no_transaction);
    assert_string_equal(section_str(&f->mem, &m.up), "CREATE TABLE t (id int);\nCREATE INDEX t_i ON t (id);\n\n");
    assert_int_equal(m.up.first_line, 3);
    assert_string_equal(section_str(&f->mem, &m.down), "DROP TABLE t;\n");
    assert_int_equal(m.down.first_line, 7);
    /* sections point into m.text */
    assert_true(m.up.text >= m.text && m.up.text + m.up.len <= m.text + m.len);
    assert_int_equal(m.up.text - m.text, strlen("-- a header comment\n-- migrate:up\n"));
}

static void test_parse_no_markers(void **state)
{
    fixture *f = *state;
    const char *text = "CREATE TABLE a (x int);\n-- migrate:upgrade is just a comment\n";
    migration m;
    assert_int_equal(migration_parse(&m, &f->mem, "m/20240101120000.sql", text, strlen(text), &f->diags), 0);
    assert_string_equal(m.version, "20240101120000");
    assert_string_equal(m.name, "");
    assert_true(m.up.present);
    assert_false(m.down.present);
    assert_int_equal(m.down.len, 0);
    assert_int_equal(m.up.first_line, 1);
    assert_int_equal(m.up.len, strlen(text));
    assert_false(m.no_transaction);
}

static void test_parse_crlf_lines(void **state)
{
    fixture *f = *state;
    const char *text = "-- migrate:up\r\nSELECT 1;\r\n\r\n-- migrate:down\r\nSELECT 2;\r\n";
    migration m;
    assert_int_equal(migration_parse(&m, &f->mem, "1_x.sql", text, strlen(text), &f->diags), 0);
    assert_int_equal(m.up.first_line, 2);
    assert_int_equal(m.down.first_line, 5);
    assert_string_equal(section_str(&f->mem, &m.down), "SELECT 2;\r\n");
}

static void test_parse_transaction_options(void **state)
{
    fixture *f = *state;
    const char *dbmate = "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (x);\n"
                         "-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY i;\n";
    migration m;
    assert_int_equal(migration_parse(&m, &f->mem, "2_idx.sql", dbmate, strlen(dbmate), &f->diags), 0);
    assert_true(m.no_transaction);
    assert_int_equal(m.up.first_line, 2);
    assert_string_equal(section_str(&f->mem, &m.up), "CREATE INDEX CONCURRENTLY i ON t (x);\n");

    const char *ours = "-- builds the index online\n--   dbsage:no-transaction\n-- migrate:up\nSELECT 1;\n";
    assert_int_equal(migration_parse(&m, &f->mem, "3_idx.sql", ours, strlen(ours), &f->diags), 0);
    assert_true(m.no_transaction);
    assert_int_equal(m.up.first_line, 4);

    /* not in a comment: not a directive */
    const char *plain = "SELECT 'dbsage:no-transaction';\n";
    assert_int_equal(migration_parse(&m, &f->mem, "4_x.sql", plain, strlen(plain), &f->diags), 0);
    assert_false(m.no_transaction);
    assert_int_equal(f->diags.items.n, 0);
}

static void test_parse_errors(void **state)
{
    fixture *f = *state;
    migration m;
    const char *down_first = "-- migrate:down\nDROP TABLE t;\n-- migrate:up\nCREATE TABLE t (x int);\n";
    assert_int_equal(migration_parse(&m, &f->mem, "d/5_t.sql", down_first, strlen(down_first), &f->diags), -1);
    assert_string_equal(only_diag(f), "d/5_t.sql:1:1: -- migrate:down before the -- migrate:up section (up comes first)");

    diag_list_init(&f->diags, &f->mem);
    const char *two_ups = "-- migrate:up\nSELECT 1;\n\n  -- migrate:up\nSELECT 2;\n";
    assert_int_equal(migration_parse(&m, &f->mem, "6_t.sql", two_ups, strlen(two_ups), &f->diags), -1);
    assert_string_equal(only_diag(f), "6_t.sql:4:3: second -- migrate:up section (line 1 has the first)");

    diag_list_init(&f->diags, &f->mem);
    const char *two_downs = "-- migrate:up\nSELECT 1;\n-- migrate:down\n-- migrate:down\n";
    assert_int_equal(migration_parse(&m, &f->mem, "7_t.sql", two_downs, strlen(two_downs), &f->diags), -1);
    assert_string_equal(only_diag(f), "7_t.sql:4:1: second -- migrate:down section (line 3 has the first)");

    /* statements outside the sections would never run */
    diag_list_init(&f->diags, &f->mem);
    const char *stray = "-- header\n/* a block\n   comment */  \n\n  CREATE TABLE lost (x int);\n-- migrate:up\nSELECT 1;\n";
    assert_int_equal(migration_parse(&m, &f->mem, "8_t.sql", stray, strlen(stray), &f->diags), -1);
    assert_string_equal(only_diag(f), "8_t.sql:5:3: statement before the -- migrate:up section (it would never run)");
    diag_list_init(&f->diags, &f->mem);
    const char *comments_only = "-- header\n/* block */ -- and more\n/*\n CREATE TABLE x (y int);\n*/\n-- migrate:up\nSELECT 1;\n";
    assert_int_equal(migration_parse(&m, &f->mem, "9_t.sql", comments_only, strlen(comments_only), &f->diags), 0);
    assert_int_equal(f->diags.items.n, 0);
    assert_int_equal(m.up.first_line, 7);

    diag_list_init(&f->diags, &f->mem);
    assert_int_equal(migration_parse(&m, &f->mem, "x/_oops.sql", "SELECT 1;", 9, &f->diags), -1);
    assert_non_null(strstr(only_diag(f), "x/_oops.sql:1:1: migration file name has no version"));
}

/* ---- versions ----------------------------------------------------------------- */

static void test_version_cmp(void **state)
{
    (void)state;
    assert_true(migration_version_cmp("2", "10") < 0);
    assert_true(migration_version_cmp("10", "2") > 0);
    assert_true(migration_version_cmp("001", "002") < 0);
    assert_true(migration_version_cmp("002", "001") > 0);
    assert_int_equal(migration_version_cmp("007", "007"), 0);
    assert_int_equal(migration_version_cmp("007", "7"), 0);
    assert_true(migration_version_cmp("20240101120000", "20240101120001") < 0);
    assert_true(migration_version_cmp("99999999999999999999999", "100000000000000000000000") < 0);
    /* lexical fallback */
    assert_true(migration_version_cmp("alpha", "beta") < 0);
    assert_true(migration_version_cmp("v10", "v2") < 0);
    assert_true(migration_version_cmp("beta", "alpha") > 0);
}

static void test_load_order_and_names(void **state)
{
    fixture *f = *state;
    write_file(f->dir, "10_ten.sql", "SELECT 10;\n");
    write_file(f->dir, "2_two.sql", "SELECT 2;\n");
    write_file(f->dir, "1.sql", "SELECT 1;\n");
    write_file(f->dir, "README.md", "not a migration\n");
    write_file(f->dir, "notes.sql.bak", "not a migration\n");
    char sub[300];
    snprintf(sub, sizeof sub, "%s/5_dir.sql", f->dir);
    assert_int_equal(mkdir(sub, 0777), 0);
    migration_set set;
    assert_int_equal(migration_set_load(&set, &f->mem, f->dir, &f->diags), 0);
    assert_int_equal(f->diags.items.n, 0);
    assert_int_equal(set.items.n, 3);
    assert_string_equal(set.items.v[0].version, "1");
    assert_string_equal(set.items.v[0].name, "");
    assert_string_equal(set.items.v[1].version, "2");
    assert_string_equal(set.items.v[1].name, "two");
    assert_string_equal(set.items.v[2].version, "10");
    assert_string_equal(set.items.v[2].path, arena_printf(&f->mem, "%s/10_ten.sql", f->dir));
    assert_ptr_equal(migration_set_find(&set, "2"), &set.items.v[1]);
    assert_ptr_equal(migration_set_find(&set, "02"), &set.items.v[1]);
    assert_null(migration_set_find(&set, "3"));
}

static void test_load_lexical_versions(void **state)
{
    fixture *f = *state;
    write_file(f->dir, "beta_second.sql", "SELECT 2;\n");
    write_file(f->dir, "alpha_first.sql", "SELECT 1;\n");
    migration_set set;
    assert_int_equal(migration_set_load(&set, &f->mem, f->dir, &f->diags), 0);
    assert_int_equal(set.items.n, 2);
    assert_string_equal(set.items.v[0].version, "alpha");
    assert_string_equal(set.items.v[0].name, "first");
    assert_string_equal(set.items.v[1].version, "beta");
}

static void test_load_duplicates(void **state)
{
    fixture *f = *state;
    write_file(f->dir, "003_a.sql", "SELECT 1;\n");
    write_file(f->dir, "003_b.sql", "SELECT 2;\n");
    write_file(f->dir, "004_c.sql", "SELECT 3;\n");
    migration_set set;
    assert_int_equal(migration_set_load(&set, &f->mem, f->dir, &f->diags), -1);
    assert_string_equal(only_diag(f), arena_printf(&f->mem,
                                                   "%s/003_b.sql:1:1: duplicate migration version 003: also "
                                                   "defined in %s/003_a.sql",
                                                   f->dir, f->dir));
    assert_int_equal(set.items.n, 2);
    assert_string_equal(set.items.v[0].name, "a");
    assert_string_equal(set.items.v[1].version, "004");
}

static void test_load_missing_dir(void **state)
{
    fixture *f = *state;
    const char *dir = arena_printf(&f->mem, "%s/none", f->dir);
    migration_set set;
    assert_int_equal(migration_set_load(&set, &f->mem, dir, &f->diags), 0);
    assert_int_equal(set.items.n, 0);
    assert_string_equal(set.dir, dir);
    assert_int_equal(f->diags.items.n, 0);
}

static void test_load_parse_error_has_file_line(void **state)
{
    fixture *f = *state;
    write_file(f->dir, "1_bad.sql", "-- migrate:up\nSELECT 1;\n-- migrate:up\n");
    migration_set set;
    assert_int_equal(migration_set_load(&set, &f->mem, f->dir, &f->diags), -1);
    assert_string_equal(only_diag(f),
                        arena_printf(&f->mem, "%s/1_bad.sql:3:1: second -- migrate:up section (line 1 has the first)",
                                     f->dir));
}

/* ---- checksum ----------------------------------------------------------------- */

static void test_checksum(void **state)
{
    (void)state;
    char base[DIGEST_HEX_LEN + 1], other[DIGEST_HEX_LEN + 1];
    const char *lf = "-- migrate:up\nCREATE TABLE t (x int);\n\n-- migrate:down\nDROP TABLE t;\n";
    migration_checksum(lf, strlen(lf), base);
    assert_int_equal(strlen(base), DIGEST_HEX_LEN);

    const char *same[] = {
        "-- migrate:up\r\nCREATE TABLE t (x int);\r\n\r\n-- migrate:down\r\nDROP TABLE t;\r\n",
        "-- migrate:up\rCREATE TABLE t (x int);\r\r-- migrate:down\rDROP TABLE t;\r",
        "-- migrate:up  \nCREATE TABLE t (x int);\t\n \n-- migrate:down\nDROP TABLE t;   \n",
        "-- migrate:up\nCREATE TABLE t (x int);\n\n-- migrate:down\nDROP TABLE t;",
        "-- migrate:up\nCREATE TABLE t (x int);\n\n-- migrate:down\nDROP TABLE t;\n\n\n  \n",
    };
    for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
        migration_checksum(same[i], strlen(same[i]), other);
        assert_string_equal(other, base);
    }
    const char *differ[] = {
        "-- migrate:up\nCREATE TABLE t (x bigint);\n\n-- migrate:down\nDROP TABLE t;\n",
        "-- migrate:up\n CREATE TABLE t (x int);\n\n-- migrate:down\nDROP TABLE t;\n",  /* leading space */
        "-- migrate:up\nCREATE TABLE t  (x int);\n\n-- migrate:down\nDROP TABLE t;\n", /* inner space */
        "-- migrate:up\nCREATE TABLE t (x int);\n-- migrate:down\nDROP TABLE t;\n",    /* blank line removed */
        "\n-- migrate:up\nCREATE TABLE t (x int);\n\n-- migrate:down\nDROP TABLE t;\n", /* leading blank line */
        "-- migrate:up\ncreate table t (x int);\n\n-- migrate:down\nDROP TABLE t;\n",
    };
    for (size_t i = 0; i < sizeof differ / sizeof *differ; i++) {
        migration_checksum(differ[i], strlen(differ[i]), other);
        assert_string_not_equal(other, base);
    }
    /* the documented normal form: LF-terminated lines */
    char direct[DIGEST_HEX_LEN + 1];
    digest_sha256_hex(lf, strlen(lf), direct);
    assert_string_equal(direct, base);
}

/* ---- next version, new file ------------------------------------------------- */

static void test_next_version_counter(void **state)
{
    fixture *f = *state;
    write_file(f->dir, "001_a.sql", "SELECT 1;\n");
    write_file(f->dir, "007_b.sql", "SELECT 1;\n");
    migration_set set;
    assert_int_equal(migration_set_load(&set, &f->mem, f->dir, &f->diags), 0);
    assert_string_equal(migration_next_version(&set, &f->mem), "008");

    migration_set s2 = {.mem = &f->mem};
    migration m;
    assert_int_equal(migration_parse(&m, &f->mem, "099_x.sql", "", 0, &f->diags), 0);
    VEC_PUSH(&f->mem, s2.items, m);
    assert_string_equal(migration_next_version(&s2, &f->mem), "100");
    assert_int_equal(migration_parse(&m, &f->mem, "9.sql", "", 0, &f->diags), 0);
    s2.items.v[0] = m;
    assert_string_equal(migration_next_version(&s2, &f->mem), "10");
}

static void test_next_version_timestamp(void **state)
{
    fixture *f = *state;
    migration_set empty = {.mem = &f->mem};
    const char *v = migration_next_version(&empty, &f->mem);
    assert_int_equal(strlen(v), 14);
    assert_true(strncmp(v, "20", 2) == 0);
    for (const char *p = v; *p; p++)
        assert_true(*p >= '0' && *p <= '9');

    write_file(f->dir, "20200101000000_a.sql", "SELECT 1;\n");
    migration_set set;
    assert_int_equal(migration_set_load(&set, &f->mem, f->dir, &f->diags), 0);
    const char *n = migration_next_version(&set, &f->mem);
    assert_int_equal(strlen(n), 14);
    assert_true(migration_version_cmp(n, "20200101000000") > 0);
    assert_true(migration_version_cmp(n, v) >= 0);

    /* a last version ahead of the clock: still after it */
    write_file(f->dir, "29991231235959_future.sql", "SELECT 1;\n");
    assert_int_equal(migration_set_load(&set, &f->mem, f->dir, &f->diags), 0);
    assert_string_equal(migration_next_version(&set, &f->mem), "29991231235960");
}

static void test_write_new(void **state)
{
    fixture *f = *state;
    const char *dir = arena_printf(&f->mem, "%s/db/migrations", f->dir);
    migration_set set;
    assert_int_equal(migration_set_load(&set, &f->mem, dir, &f->diags), 0);
    const char *path = NULL;
    assert_int_equal(migration_write_new(&set, "create_users", "CREATE TABLE users (id int);", NULL, false, &path,
                                         &f->diags),
                     0);
    assert_non_null(path);
    assert_int_equal(f->diags.items.n, 0);

    migration_set again;
    assert_int_equal(migration_set_load(&again, &f->mem, dir, &f->diags), 0);
    assert_int_equal(again.items.n, 1);
    const migration *m = &again.items.v[0];
    assert_string_equal(m->path, path);
    assert_string_equal(m->name, "create_users");
    assert_int_equal(strlen(m->version), 14);
    assert_string_equal(section_str(&f->mem, &m->up), "CREATE TABLE users (id int);\n\n");
    assert_true(m->down.present);
    assert_false(m->no_transaction);
    assert_true(strncmp(m->text, "-- migrate:up\n", 14) == 0);

    /* same set (same version) and name again: refused, file untouched */
    assert_int_equal(migration_write_new(&set, "create_users", "SELECT 2;", NULL, false, &path, &f->diags), -1);
    assert_null(path);
    assert_non_null(strstr(only_diag(f), "already exists"));
    strbuf sb = STRBUF_INIT;
    assert_int_equal(strbuf_read_file(&sb, m->path), 0);
    assert_string_equal(sb.buf, m->text);
    strbuf_release(&sb);

    /* counter sets, no-transaction, down section */
    diag_list_init(&f->diags, &f->mem);
    write_file(f->dir, "007_x.sql", "SELECT 1;\n");
    migration_set counter;
    assert_int_equal(migration_set_load(&counter, &f->mem, f->dir, &f->diags), 0);
    assert_int_equal(migration_write_new(&counter, "idx", "CREATE INDEX CONCURRENTLY i ON t (x);\n",
                                         "DROP INDEX CONCURRENTLY i;\n", true, &path, &f->diags),
                     0);
    assert_string_equal(path, arena_printf(&f->mem, "%s/008_idx.sql", f->dir));
    assert_int_equal(migration_set_load(&counter, &f->mem, f->dir, &f->diags), 0);
    m = migration_set_find(&counter, "008");
    assert_non_null(m);
    assert_true(m->no_transaction);
    assert_string_equal(section_str(&f->mem, &m->down), "DROP INDEX CONCURRENTLY i;\n");

    assert_int_equal(migration_write_new(&counter, "a/b", NULL, NULL, false, &path, &f->diags), -1);
    assert_int_equal(migration_write_new(&counter, "", NULL, NULL, false, &path, &f->diags), -1);
}


#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_parse_sections),
        T(test_parse_no_markers),
        T(test_parse_crlf_lines),
        T(test_parse_transaction_options),
        T(test_parse_errors),
        T(test_version_cmp),
        T(test_load_order_and_names),
        T(test_load_lexical_versions),
        T(test_load_duplicates),
        T(test_load_missing_dir),
        T(test_load_parse_error_has_file_line),
        T(test_checksum),
        T(test_next_version_counter),
        T(test_next_version_timestamp),
        T(test_write_new),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
