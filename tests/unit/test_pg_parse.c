/*
 * test_pg_parse.c — unit tests of src/source/pg_parse.c: arena unpacking,
 * the parse-ahead queue (order, unreadable files, syntax errors, stopping
 * early with files left, 0/1/2/4 worker threads) and pg_sql_read_files()
 * giving exactly the catalog and diagnostics of reading the files one by
 * one with pg_sql_read_file().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "emit/emit.h"
#include "source/pg_parse.h"
#include "source/source.h"

enum { NFILES = 40 };

static arena A;
static char dir[64];
static const char *paths[NFILES + 2];

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    arena_init(&A);
    strcpy(dir, "/tmp/dbsage-pgparse-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    for (int i = 0; i < NFILES; i++) {
        char *p = arena_printf(&A, "%s/%03d.sql", dir, i);
        char *sql = arena_printf(&A,
                                 "CREATE TABLE t%d (id int PRIMARY KEY, v text DEFAULT 'x%d', "
                                 "CHECK (id > %d));\nCREATE INDEX ON t%d (v);\n",
                                 i, i, i, i);
        if (i > 0)
            sql = arena_printf(&A, "%sALTER TABLE t%d ADD COLUMN r int REFERENCES t%d (id);\n", sql, i,
                               i - 1);
        write_file(p, sql);
        paths[i] = p;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < NFILES + 2; i++)
        if (paths[i])
            unlink(paths[i]);
    rmdir(dir);
    arena_free(&A);
    return 0;
}

static void test_unpack_arena(void **state)
{
    (void)state;
    PgQueryProtobufParseResult r = pg_query_parse_protobuf("SELECT 1; CREATE TABLE x (a int)");
    assert_null(r.error);
    arena mem;
    arena_init(&mem);
    PgQuery__ParseResult *pr = pg_parse_unpack(&mem, r.parse_tree.data, r.parse_tree.len);
    assert_non_null(pr);
    assert_int_equal(pr->n_stmts, 2);
    assert_int_equal(pr->stmts[1]->stmt->node_case, PG_QUERY__NODE__NODE_CREATE_STMT);
    assert_string_equal(pr->stmts[1]->stmt->create_stmt->relation->relname, "x");
    pg_query_free_protobuf_parse_result(r);
    const uint8_t junk[] = {0xff, 0xff, 0xff, 0x01, 0x02};
    assert_null(pg_parse_unpack(&mem, junk, sizeof junk));
    arena_free(&mem); /* no free_unpacked: LeakSanitizer checks nothing is left */
}

static void check_order(int threads)
{
    pg_parse_queue *q = pg_parse_start(paths, NFILES, threads);
    for (int i = 0; i < NFILES; i++) {
        pg_parsed *p = pg_parse_next(q);
        assert_non_null(p);
        assert_ptr_equal(p->path, paths[i]);
        assert_int_equal(p->read_errno, 0);
        assert_non_null(p->tree);
        assert_int_equal(p->tree->n_stmts, i > 0 ? 3 : 2);
        char *want = arena_printf(&A, "t%d", i);
        assert_string_equal(p->tree->stmts[0]->stmt->create_stmt->relation->relname, want);
        pg_parse_release(p);
    }
    assert_null(pg_parse_next(q));
    assert_null(pg_parse_next(q));
    pg_parse_finish(q);
}

static void test_queue_order(void **state)
{
    (void)state;
    check_order(0);
    check_order(1);
    check_order(2);
    check_order(4);
}

static void test_queue_errors_and_early_stop(void **state)
{
    (void)state;
    char *bad = arena_printf(&A, "%s/zz_bad.sql", dir);
    write_file(bad, "CREATE TABLE ok (a int);\nCREATE TABLE (;\n");
    paths[NFILES] = bad;
    const char *list[] = {paths[0], arena_printf(&A, "%s/missing.sql", dir), bad, paths[1]};
    pg_parse_queue *q = pg_parse_start(list, 4, 2);
    pg_parsed *p = pg_parse_next(q);
    assert_non_null(p->tree);
    pg_parse_release(p);
    p = pg_parse_next(q);
    assert_int_not_equal(p->read_errno, 0);
    assert_null(p->tree);
    pg_parse_release(p);
    p = pg_parse_next(q);
    assert_int_equal(p->read_errno, 0);
    assert_null(p->tree); /* syntax error: the reader re-parses to report it */
    assert_true(strstr(strbuf_str(&p->text), "CREATE TABLE (") != NULL);
    pg_parse_release(p);
    pg_parse_finish(q); /* one file never taken */

    /* stop after two of many files: workers are joined, nothing leaks */
    q = pg_parse_start(paths, NFILES, 2);
    pg_parse_release(pg_parse_next(q));
    pg_parse_release(pg_parse_next(q));
    pg_parse_finish(q);
    pg_parse_finish(NULL);
    pg_parse_release(NULL);
}

/* JSON of a catalog plus the diagnostics, for comparing two readings. */
static char *snapshot(catalog *cat, const diag_list *dl)
{
    strbuf sb = STRBUF_INIT;
    emit_opts o;
    memset(&o, 0, sizeof o);
    emit_json(&sb, cat, &o);
    for (size_t i = 0; i < dl->items.n; i++) {
        const diag *d = &dl->items.v[i];
        strbuf_addf(&sb, "\n%s:%u:%u %d %s", d->loc.file ? d->loc.file : "", d->loc.line, d->loc.col,
                    (int)d->severity, d->message);
    }
    char *out = arena_strdup(&A, strbuf_str(&sb));
    strbuf_release(&sb);
    return out;
}

static char *read_sequential(const char *const *list, size_t n, int *rc)
{
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    catalog *cat = catalog_new(DIALECT_PG);
    *rc = 0;
    for (size_t i = 0; i < n && *rc == 0; i++)
        *rc = pg_sql_read_file(cat, list[i], &dl);
    catalog_sort(cat);
    char *s = snapshot(cat, &dl);
    catalog_free(cat);
    arena_free(&mem);
    return s;
}

static char *read_parallel(const char *const *list, size_t n, const char *threads, int *rc)
{
    setenv("DBSAGE_PARSE_THREADS", threads, 1);
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    catalog *cat = catalog_new(DIALECT_PG);
    *rc = pg_sql_read_files(cat, list, n, &dl);
    catalog_sort(cat);
    char *s = snapshot(cat, &dl);
    catalog_free(cat);
    arena_free(&mem);
    unsetenv("DBSAGE_PARSE_THREADS");
    return s;
}

static void compare_lists(const char *const *list, size_t n)
{
    int rc_seq, rc_par;
    char *seq = read_sequential(list, n, &rc_seq);
    const char *threads[] = {"0", "1", "2", "4"};
    for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
        char *par = read_parallel(list, n, threads[t], &rc_par);
        assert_int_equal(rc_seq, rc_par);
        assert_string_equal(seq, par);
    }
}

static void test_read_files_same_as_sequential(void **state)
{
    (void)state;
    compare_lists(paths, NFILES);
    /* a syntax error in the middle: statements before it and later files kept */
    char *bad = arena_printf(&A, "%s/zz_bad.sql", dir);
    write_file(bad, "CREATE TABLE ok (a int);\nCREATE TABLE (;\n");
    paths[NFILES] = bad;
    const char *with_error[] = {paths[0], paths[1], bad, paths[2], paths[3]};
    compare_lists(with_error, 5);
    /* an unreadable file stops the reading, like the sequential loop */
    const char *with_missing[] = {paths[0], arena_printf(&A, "%s/missing.sql", dir), paths[1]};
    compare_lists(with_missing, 3);
    int rc;
    read_parallel(with_missing, 3, "2", &rc);
    assert_int_equal(rc, -1);
}

/* The PostgreSQL fixtures read through source_load (directory -> parallel
 * path) and file by file give the same catalog. */
static void test_fixture_dir(void **state)
{
    (void)state;
    const char *src = getenv("DBSAGE_SOURCE_DIR");
    if (!src)
        skip();
    const char **files;
    size_t n = source_dir_sql_files(&A, arena_printf(&A, "%s/tests/fixtures/pg", src), &files);
    if (n == 0)
        skip();
    for (size_t i = 0; i < n; i++) {
        const char *one[] = {files[i]};
        compare_lists(one, 1);
    }
    compare_lists(files, n); /* all of them in order, as a directory is read */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unpack_arena),
        cmocka_unit_test(test_queue_order),
        cmocka_unit_test(test_queue_errors_and_early_stop),
        cmocka_unit_test(test_read_files_same_as_sequential),
        cmocka_unit_test(test_fixture_dir),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    pg_query_exit();
    return rc;
}
