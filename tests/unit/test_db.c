/*
 * test_db.c — unit tests for src/db (the driver layer), against real SQLite
 * files and the ctest PostgreSQL 15 cluster (fixture: db_fixture.h).  Both
 * engines: open, exec, script errors at file:line:col, splitting (one line,
 * comments, dollar quotes, trigger bodies), transactions, prepared
 * statements with $n (NULL, blobs), db_query_value, db_table_exists,
 * schemas (PG), the cross-process lock (a forked child holds it).
 * Bulk load and timeouts: test_db_copy.c.
 */
#define DB_FIXTURE_DB "dbsage_test_db"
#include "db_fixture.h"

/* ---- open ------------------------------------------------------------------------ */

static void test_open_sqlite(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    db_open_opts o = {0};
    const char *path = sqlite_path("absent.db");
    assert_null(db_open(path, &o, &dl));
    assert_int_equal(dl.items.n, 1);
    assert_contains(dl.items.v[0].message, "no such database");
    assert_int_equal(access(path, F_OK), -1);  /* not created */

    char spec[600];
    snprintf(spec, sizeof spec, "sqlite:%s", sqlite_path("created.db"));
    o.create = true;
    db_conn *c = db_open(spec, &o, &dl);
    assert_non_null(c);
    assert_int_equal(db_dialect(c), DIALECT_SQLITE);
    assert_string_equal(db_spec_masked(c), spec);
    assert_int_equal(access(sqlite_path("created.db"), F_OK), 0);
    /* foreign keys are on */
    int err;
    assert_string_equal(db_query_value(c, "PRAGMA foreign_keys", &err), "1");
    assert_int_equal(err, 0);
    db_close(c);

    /* a file that is not a database */
    FILE *f = fopen(sqlite_path("junk.db"), "w");
    fputs("this is not an SQLite database, just some text long enough to have a header....",
          f);
    fclose(f);
    size_t before = dl.items.n;
    assert_null(db_open(sqlite_path("junk.db"), &o, &dl));
    assert_int_equal(dl.items.n, before + 1);
    assert_contains(dl.items.v[before].message, "not a database");
    arena_free(&mem);
}

static void test_open_pg(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    db_conn *c = open_ok(pg_db_url, false);
    assert_int_equal(db_dialect(c), DIALECT_PG);
    int err;
    assert_string_equal(db_query_value(c, "SELECT current_setting('application_name')", &err),
                        "dbsage");
    assert_string_equal(db_query_value(c, "SELECT current_database()", &err), PG_DB);
    assert_string_equal(db_query_value(c, "SHOW client_encoding", &err), "UTF8");
    db_close(c);
    /* the spec's own settings win over the driver's defaults */
    char spec[1200];
    snprintf(spec, sizeof spec, "%s%capplication_name=from_url&client_encoding=LATIN1", pg_db_url,
             strchr(pg_db_url, '?') ? '&' : '?');
    c = open_ok(spec, false);
    assert_string_equal(db_query_value(c, "SELECT current_setting('application_name')", &err),
                        "from_url");
    assert_string_equal(db_query_value(c, "SHOW client_encoding", &err), "LATIN1");
    db_close(c);

    /* a password never shows; a missing database is an error at the spec */
    char bad[1200];
    url_with_db(bad, sizeof bad, pg_db_url, "no_such_db_here");
    char *at = strstr(bad, "postgresql://");
    assert_non_null(at);
    char withpw[1300];
    snprintf(withpw, sizeof withpw, "postgresql://postgres:s3cret@%s", bad + strlen("postgresql://"));
    assert_null(db_open(withpw, NULL, &dl));
    assert_int_equal(dl.items.n, 1);
    assert_contains(dl.items.v[0].message, "no_such_db_here");
    assert_null(strstr(dl.items.v[0].message, "s3cret"));
    assert_null(strstr(dl.items.v[0].loc.file, "s3cret"));
    arena_free(&mem);
}

/* ---- exec, query_value, table_exists ------------------------------------------------ */

static void exec_and_query(dialect d)
{
    db_conn *c = open_engine(d, "exec.db");
    exec_ok(c, "CREATE TABLE eq_t (id integer PRIMARY KEY, name text); "
               "INSERT INTO eq_t VALUES (1, 'one'); INSERT INTO eq_t VALUES (2, NULL);");
    assert_int_equal(count_rows(c, "SELECT count(*) FROM eq_t"), 2);
    int err = -1;
    assert_string_equal(db_query_value(c, "SELECT name FROM eq_t WHERE id = 1", &err), "one");
    assert_int_equal(err, 0);
    err = -1;
    assert_null(db_query_value(c, "SELECT name FROM eq_t WHERE id = 2", &err));
    assert_int_equal(err, 0);
    err = -1;
    assert_null(db_query_value(c, "SELECT name FROM eq_t WHERE id = 3", &err));
    assert_int_equal(err, 0);
    assert_null(db_query_value(c, "SELECT nosuch FROM eq_t", &err));
    assert_int_equal(err, -1);
    assert_contains(db_last_error(c), "nosuch");

    /* stops at the first error */
    assert_int_equal(db_exec(c, "INSERT INTO eq_t VALUES (3, 'x'); INSERT INTO eq_t VALUES (1, "
                                "'dup'); INSERT INTO eq_t VALUES (4, 'y')"),
                     -1);
    assert_true(strlen(db_last_error(c)) > 0);
    assert_int_equal(count_rows(c, "SELECT count(*) FROM eq_t WHERE id = 4"), 0);

    bool exists = false;
    assert_int_equal(db_table_exists(c, NULL, "eq_t", &exists), 0);
    assert_true(exists);
    assert_int_equal(db_table_exists(c, NULL, "eq_nope", &exists), 0);
    assert_false(exists);
    assert_int_equal(db_table_exists(c, d == DIALECT_PG ? "public" : "main", "eq_t", &exists), 0);
    assert_true(exists);
    exec_ok(c, "DROP TABLE eq_t");
    db_close(c);
}

static void test_exec_sqlite(void **state)
{
    (void)state;
    exec_and_query(DIALECT_SQLITE);
}

static void test_exec_pg(void **state)
{
    (void)state;
    exec_and_query(DIALECT_PG);
}

/* ---- scripts: error locations --------------------------------------------------------- */


static void script_errors(dialect d)
{
    db_conn *c = open_engine(d, "script.db");
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);

    /* error on line 3, inside the second statement of that line */
    const char *s1 = "CREATE TABLE se_a (x integer);\n"
                     "-- a comment; with a semicolon\n"
                     "INSERT INTO se_a VALUES (1); SELECT nosuch FROM se_a;\n"
                     "INSERT INTO se_a VALUES (2);\n";
    assert_int_equal(db_exec_script(c, "m.sql", s1, strlen(s1), 1, &dl), -1);
    const diag *e = first_error(&dl);
    assert_non_null(e);
    assert_string_equal(e->loc.file, "m.sql");
    assert_int_equal(e->loc.line, 3);
    assert_int_equal(e->loc.col, 37);  /* "nosuch" */
    assert_contains(e->message, "nosuch");
    const diag *n = find_note(&dl, "in statement: ");
    assert_non_null(n);
    assert_int_equal(n->loc.line, 3);
    assert_int_equal(n->loc.col, 30);  /* "SELECT" */
    assert_string_equal(n->message, "in statement: SELECT nosuch FROM se_a");
    /* what ran before the failure stays (no transaction of its own), what follows did not run */
    assert_int_equal(count_rows(c, "SELECT count(*) FROM se_a"), 1);

    /* a section starting on line 10; the error on the statement's 2nd line */
    dl.items.n = 0;
    const char *s2 = "SELECT 1;\n"
                     "  SELECT x,\n"
                     "         'é', nosuch2\n"
                     "    FROM se_a;\n";
    assert_int_equal(db_exec_script(c, "m.sql", s2, strlen(s2), 10, &dl), -1);
    e = first_error(&dl);
    assert_non_null(e);
    assert_int_equal(e->loc.line, 12);
    assert_int_equal(e->loc.col, 16);  /* bytes: 'é' is two */
    n = find_note(&dl, "in statement: ");
    assert_non_null(n);
    assert_int_equal(n->loc.line, 11);
    assert_int_equal(n->loc.col, 3);
    assert_string_equal(n->message, "in statement: SELECT x, ...");

    /* an error without a position: at the statement (constraint violation) */
    dl.items.n = 0;
    exec_ok(c, "CREATE TABLE se_u (k integer PRIMARY KEY)");
    const char *s3 = "INSERT INTO se_u VALUES (1);\n\n   INSERT INTO se_u VALUES (1);";
    assert_int_equal(db_exec_script(c, "u.sql", s3, strlen(s3), 1, &dl), -1);
    e = first_error(&dl);
    assert_non_null(e);
    assert_int_equal(e->loc.line, 3);
    assert_int_equal(e->loc.col, 4);
    if (d == DIALECT_PG) {
        assert_contains(e->message, "duplicate key");
        assert_non_null(find_note(&dl, "detail: Key (k)=(1) already exists"));
    } else {
        assert_contains(e->message, "UNIQUE constraint failed");
    }

    /* a syntax error */
    dl.items.n = 0;
    const char *s4 = "SELECT 1;\nSELEC 2;";
    assert_int_equal(db_exec_script(c, "x.sql", s4, strlen(s4), 1, &dl), -1);
    e = first_error(&dl);
    assert_non_null(e);
    assert_int_equal(e->loc.line, 2);
    assert_int_equal(e->loc.col, 1);
    assert_contains(e->message, "syntax error");

    /* success: empty statements, comments only, no trailing ';' */
    dl.items.n = 0;
    const char *s5 = ";;\n-- only a comment;\n/* block; */ INSERT INTO se_a VALUES (7);; "
                     "INSERT INTO se_a VALUES (8) -- last\n";
    assert_int_equal(db_exec_script(c, "ok.sql", s5, strlen(s5), 1, &dl), 0);
    assert_int_equal(dl.items.n, 0);
    assert_int_equal(count_rows(c, "SELECT count(*) FROM se_a WHERE x IN (7, 8)"), 2);
    exec_ok(c, "DROP TABLE se_a; DROP TABLE se_u");
    arena_free(&mem);
    db_close(c);
}

static void test_script_errors_sqlite(void **state)
{
    (void)state;
    script_errors(DIALECT_SQLITE);
}

static void test_script_errors_pg(void **state)
{
    (void)state;
    script_errors(DIALECT_PG);
}

static void test_script_pg_bodies(void **state)
{
    (void)state;
    db_conn *c = open_engine(DIALECT_PG, NULL);
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    const char *s =
        "CREATE TABLE pb_t (x int);\n"
        "CREATE FUNCTION pb_f() RETURNS trigger LANGUAGE plpgsql AS $body$\n"
        "BEGIN\n  NEW.x := NEW.x * 2; -- ; in a comment\n  RETURN NEW;\nEND;\n$body$;\n"
        "CREATE TRIGGER pb_tr BEFORE INSERT ON pb_t FOR EACH ROW EXECUTE FUNCTION pb_f();\n"
        "CREATE FUNCTION pb_g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\n"
        "INSERT INTO pb_t VALUES (21); SELECT ';'; CREATE INDEX CONCURRENTLY pb_i ON pb_t (x);\n";
    if (db_exec_script(c, "b.sql", s, strlen(s), 1, &dl) != 0) {
        diag_print(stderr, &dl, false);
        fail();
    }
    assert_int_equal(count_rows(c, "SELECT x FROM pb_t"), 42);
    assert_int_equal(count_rows(c, "SELECT pb_g()"), 2);
    exec_ok(c, "DROP TABLE pb_t; DROP FUNCTION pb_f(); DROP FUNCTION pb_g()");
    arena_free(&mem);
    db_close(c);
}

static void test_script_sqlite_trigger(void **state)
{
    (void)state;
    db_conn *c = open_engine(DIALECT_SQLITE, "trigger.db");
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    const char *s = "CREATE TABLE t (x INTEGER); CREATE TABLE log (y INTEGER);\n"
                    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n"
                    "  INSERT INTO log VALUES (NEW.x); INSERT INTO log VALUES (NEW.x + 1);\n"
                    "END;\n"
                    "INSERT INTO t VALUES (10);\n";
    assert_int_equal(db_exec_script(c, "t.sql", s, strlen(s), 1, &dl), 0);
    assert_int_equal(count_rows(c, "SELECT sum(y) FROM log"), 21);
    arena_free(&mem);
    db_close(c);
}

/* ---- splitting ------------------------------------------------------------------------- */

static void assert_spans(dialect d, const char *text, const char *const *want, int nwant)
{
    arena mem;
    arena_init(&mem);
    db_stmt_span *sp;
    int n = db_split_script(d, &mem, text, strlen(text), &sp);
    if (n != nwant) {
        for (int i = 0; i < n; i++)
            fprintf(stderr, "span %d: <%.*s>\n", i, (int)sp[i].len, text + sp[i].offset);
        fail_msg("%d statements, want %d", n, nwant);
    }
    for (int i = 0; i < n; i++) {
        char got[512];
        snprintf(got, sizeof got, "%.*s", (int)sp[i].len, text + sp[i].offset);
        assert_string_equal(got, want[i]);
    }
    arena_free(&mem);
}

static void test_split_pg(void **state)
{
    (void)state;
    const char *t1 = "SELECT 1; SELECT 2;SELECT ';'  ;\n";
    const char *w1[] = {"SELECT 1", "SELECT 2", "SELECT ';'"};
    assert_spans(DIALECT_PG, t1, w1, 3);
    const char *t2 = "-- head; comment\n/* block; /* nested; */ */\nCREATE TABLE a (x int);\n"
                     "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n"
                     "DO $x$ BEGIN PERFORM 1; END $x$;\n -- tail; comment\n";
    const char *w2[] = {"CREATE TABLE a (x int)",
                        "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
                        "DO $x$ BEGIN PERFORM 1; END $x$"};
    assert_spans(DIALECT_PG, t2, w2, 3);
    const char *t3 = "CREATE FUNCTION g() RETURNS int LANGUAGE sql\nBEGIN ATOMIC SELECT 1; "
                     "SELECT 2; END; SELECT \"a;b\" FROM x; SELECT E'\\';'";
    const char *w3[] = {"CREATE FUNCTION g() RETURNS int LANGUAGE sql\nBEGIN ATOMIC SELECT 1; "
                        "SELECT 2; END",
                        "SELECT \"a;b\" FROM x", "SELECT E'\\';'"};
    assert_spans(DIALECT_PG, t3, w3, 3);
    assert_spans(DIALECT_PG, " ;; \n-- nothing\n", NULL, 0);
    arena mem;
    arena_init(&mem);
    db_stmt_span *sp;
    assert_int_equal(db_split_script(DIALECT_PG, &mem, "SELECT 'open", 12, &sp), -1);
    /* a length shorter than the string: only that prefix is split */
    assert_int_equal(db_split_script(DIALECT_PG, &mem, "SELECT 1; SELECT 2", 9, &sp), 1);
    arena_free(&mem);
}

static void test_split_sqlite(void **state)
{
    (void)state;
    const char *t1 = "SELECT 1; SELECT 2;SELECT ';'  ;\n";
    const char *w1[] = {"SELECT 1", "SELECT 2", "SELECT ';'"};
    assert_spans(DIALECT_SQLITE, t1, w1, 3);
    const char *t2 = "-- head; comment\nCREATE TABLE \"a;b\" (x);\n"
                     "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  INSERT INTO l VALUES (1);\n"
                     "  UPDATE l SET y = ';';\nEND;\n/* tail; */ SELECT [x;y] FROM t -- end";
    const char *w2[] = {"CREATE TABLE \"a;b\" (x)",
                        "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  INSERT INTO l VALUES (1);\n"
                        "  UPDATE l SET y = ';';\nEND",
                        "SELECT [x;y] FROM t -- end"};
    assert_spans(DIALECT_SQLITE, t2, w2, 3);
    assert_spans(DIALECT_SQLITE, " ;; \n-- nothing\n", NULL, 0);
    /* every quoting: doubled quotes, backticks, brackets; an unterminated
     * string keeps the rest of the text */
    const char *t3 = "INSERT INTO t VALUES ('it''s;', \"a\"\";\", `b;``c`, [d;e]);"
                     "/* ; */ SELECT 'open; SELECT 2";
    const char *w3[] = {"INSERT INTO t VALUES ('it''s;', \"a\"\";\", `b;``c`, [d;e])",
                        "SELECT 'open; SELECT 2"};
    assert_spans(DIALECT_SQLITE, t3, w3, 2);
}

/* ---- transactions ------------------------------------------------------------------------ */

static void transactions(dialect d)
{
    db_conn *c = open_engine(d, "tx.db");
    exec_ok(c, "CREATE TABLE tx_t (x integer)");
    assert_false(db_in_transaction(c));
    assert_int_equal(db_rollback(c), 0);  /* no-op */
    assert_int_equal(db_begin(c), 0);
    assert_true(db_in_transaction(c));
    assert_int_equal(db_begin(c), -1);  /* one at a time */
    exec_ok(c, "INSERT INTO tx_t VALUES (1)");
    exec_ok(c, "CREATE TABLE tx_u (y integer)");
    assert_int_equal(db_rollback(c), 0);
    assert_false(db_in_transaction(c));
    assert_int_equal(count_rows(c, "SELECT count(*) FROM tx_t"), 0);
    bool exists = true;
    assert_int_equal(db_table_exists(c, NULL, "tx_u", &exists), 0);
    assert_false(exists);

    assert_int_equal(db_begin(c), 0);
    exec_ok(c, "INSERT INTO tx_t VALUES (2)");
    assert_int_equal(db_commit(c), 0);
    assert_int_equal(count_rows(c, "SELECT count(*) FROM tx_t"), 1);
    assert_int_equal(db_commit(c), -1);  /* none open */

    /* an error inside: the transaction rolls back as a whole */
    assert_int_equal(db_begin(c), 0);
    exec_ok(c, "INSERT INTO tx_t VALUES (3)");
    assert_int_equal(db_exec(c, "INSERT INTO tx_nope VALUES (1)"), -1);
    assert_int_equal(db_rollback(c), 0);
    assert_int_equal(count_rows(c, "SELECT count(*) FROM tx_t"), 1);

    if (d == DIALECT_PG) {
        /* a statement run twice is named; finalized in a failed transaction,
         * it is deallocated later (one-shot statements are never named) */
        assert_int_equal(db_begin(c), 0);
        db_stmt *s = db_prepare(c, "SELECT 1", 0);
        assert_non_null(s);
        assert_int_equal(db_step(s), 1);
        assert_int_equal(db_reset(s), 0);
        assert_int_equal(db_step(s), 1);
        assert_int_equal(count_rows(c, "SELECT count(*) FROM pg_prepared_statements"), 1);
        assert_int_equal(db_exec(c, "SELECT 1/0"), -1);
        db_finalize(s);
        assert_int_equal(db_commit(c), -1);  /* the failed transaction rolls back */
        assert_false(db_in_transaction(c));
        /* the next prepare (the counting query's) settles the debt */
        assert_int_equal(count_rows(c, "SELECT count(*) FROM pg_prepared_statements"), 0);
    }
    exec_ok(c, "DROP TABLE tx_t");
    db_close(c);
}

static void test_tx_sqlite(void **state)
{
    (void)state;
    transactions(DIALECT_SQLITE);
}

static void test_tx_pg(void **state)
{
    (void)state;
    transactions(DIALECT_PG);
}

/* ---- prepared statements ----------------------------------------------------------------- */

static void prepared(dialect d)
{
    db_conn *c = open_engine(d, "prep.db");
    exec_ok(c, d == DIALECT_PG
                   ? "CREATE TABLE pr_t (id bigint, name text, score double precision, data bytea)"
                   : "CREATE TABLE pr_t (id INTEGER, name TEXT, score REAL, data BLOB)");
    db_stmt *ins = db_prepare(c, "INSERT INTO pr_t (id, name, score, data) VALUES ($1, $2, $3, $4)",
                              4);
    assert_non_null(ins);
    static const unsigned char blob[] = {0, 1, 2, '\\', 'x', 0xff, 0, '\n', 39};
    assert_int_equal(db_bind_int64(ins, 1, INT64_C(9007199254740993)), 0);
    assert_int_equal(db_bind_text(ins, 2, "it's; \"q\" é\n\t", strlen("it's; \"q\" é\n\t")), 0);
    assert_int_equal(db_bind_double(ins, 3, 2.5), 0);
    assert_int_equal(db_bind_blob(ins, 4, blob, sizeof blob), 0);
    assert_int_equal(db_step(ins), 0);
    assert_int_equal(db_changes(ins), 1);
    assert_int_equal(db_step(ins), 0);  /* done until reset */
    /* second row: NULLs, rebinding without an explicit reset */
    assert_int_equal(db_bind_int64(ins, 1, 2), 0);
    assert_int_equal(db_bind_null(ins, 2), 0);
    assert_int_equal(db_bind_null(ins, 3), 0);
    assert_int_equal(db_bind_null(ins, 4), 0);
    assert_int_equal(db_step(ins), 0);
    assert_int_equal(db_bind_int64(ins, 5, 1), -1);  /* out of range */
    assert_int_equal(db_bind_int64(ins, 0, 1), -1);
    db_finalize(ins);

    db_stmt *sel = db_prepare(c, "SELECT id, name, score, data FROM pr_t WHERE id >= $1 ORDER BY id "
                                 "DESC",
                              1);
    assert_non_null(sel);
    assert_int_equal(db_bind_int64(sel, 1, 0), 0);
    assert_int_equal(db_step(sel), 1);
    assert_int_equal(db_column_count(sel), 4);
    assert_string_equal(db_column_name(sel, 1), "name");
    assert_int_equal(db_column_int64(sel, 0), INT64_C(9007199254740993));
    size_t len;
    assert_string_equal(db_column_text(sel, 1, &len), "it's; \"q\" é\n\t");
    assert_int_equal(len, strlen("it's; \"q\" é\n\t"));
    assert_true(db_column_double(sel, 2) == 2.5);
    const unsigned char *b = db_column_blob(sel, 3, &len);
    assert_int_equal(len, sizeof blob);
    assert_memory_equal(b, blob, sizeof blob);
    assert_false(db_column_is_null(sel, 3));
    assert_int_equal(db_step(sel), 1);
    assert_int_equal(db_column_int64(sel, 0), 2);
    assert_true(db_column_is_null(sel, 1));
    assert_null(db_column_text(sel, 1, &len));
    assert_true(db_column_is_null(sel, 3));
    assert_null(db_column_blob(sel, 3, &len));
    assert_int_equal(db_step(sel), 0);
    /* run again with another binding */
    assert_int_equal(db_bind_int64(sel, 1, 3), 0);
    assert_int_equal(db_step(sel), 1);
    assert_int_equal(db_column_int64(sel, 0), INT64_C(9007199254740993));
    assert_int_equal(db_step(sel), 0);
    /* db_reset keeps the bindings */
    assert_int_equal(db_reset(sel), 0);
    assert_int_equal(db_step(sel), 1);
    assert_int_equal(db_step(sel), 0);
    db_finalize(sel);

    /* the same $1 twice, and changes of an UPDATE */
    db_stmt *up = db_prepare(c, "UPDATE pr_t SET name = $1 WHERE name IS NULL OR name <> $1", 1);
    assert_non_null(up);
    assert_int_equal(db_bind_text(up, 1, "z", 1), 0);
    assert_int_equal(db_step(up), 0);
    assert_int_equal(db_changes(up), 2);
    db_finalize(up);

    /* errors in the SQL: at prepare (SQLite) or at the first step (PG) */
    db_stmt *e = db_prepare(c, "SELECT nosuch FROM pr_t", 0);
    if (d == DIALECT_PG) {
        assert_non_null(e);
        assert_int_equal(db_step(e), -1);
        db_finalize(e);
    } else {
        assert_null(e);
    }
    assert_contains(db_last_error(c), "nosuch");
    db_stmt *bad = db_prepare(c, "INSERT INTO pr_t (id) VALUES ($1)", 1);
    assert_non_null(bad);
    assert_int_equal(db_bind_text(bad, 1, "not a number", 12), 0);
    assert_int_equal(db_step(bad), d == DIALECT_PG ? -1 : 0);  /* SQLite stores the text */
    db_finalize(bad);
    exec_ok(c, "DROP TABLE pr_t");
    db_close(c);
}

static void test_prepared_sqlite(void **state)
{
    (void)state;
    prepared(DIALECT_SQLITE);
}

static void test_prepared_pg(void **state)
{
    (void)state;
    prepared(DIALECT_PG);
}

/* ---- schemas ------------------------------------------------------------------------------ */

static void test_schemas_pg(void **state)
{
    (void)state;
    db_conn *c = open_engine(DIALECT_PG, NULL);
    exec_ok(c, "CREATE SCHEMA client_a; CREATE SCHEMA client_b; CREATE SCHEMA clientx; "
               "CREATE SCHEMA \"client_%\"; CREATE SCHEMA \"Client_C\"");
    arena mem;
    arena_init(&mem);
    const char **names;
    size_t n;
    assert_int_equal(db_list_schemas(c, "client_*", &mem, &names, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(names[0], "client_%");
    assert_string_equal(names[1], "client_a");
    assert_string_equal(names[2], "client_b");
    assert_int_equal(db_list_schemas(c, "client_?", &mem, &names, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(db_list_schemas(c, "client_%", &mem, &names, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(names[0], "client_%");
    assert_int_equal(db_list_schemas(c, "nothing*", &mem, &names, &n), 0);
    assert_int_equal(n, 0);

    /* set_schema: unqualified names land there; public stays reachable */
    exec_ok(c, "CREATE TABLE public.sc_pub (x int)");
    assert_int_equal(db_set_schema(c, "Client_C"), 0);
    exec_ok(c, "CREATE TABLE sc_t (x int)");
    bool exists = false;
    assert_int_equal(db_table_exists(c, "Client_C", "sc_t", &exists), 0);
    assert_true(exists);
    assert_int_equal(db_table_exists(c, NULL, "sc_t", &exists), 0);
    assert_true(exists);
    assert_int_equal(db_table_exists(c, NULL, "sc_pub", &exists), 0);
    assert_true(exists);
    assert_int_equal(db_table_exists(c, "public", "sc_t", &exists), 0);
    assert_false(exists);
    assert_int_equal(db_set_schema(c, NULL), 0);
    assert_int_equal(db_table_exists(c, NULL, "sc_t", &exists), 0);
    assert_false(exists);
    exec_ok(c, "DROP SCHEMA client_a, client_b, clientx, \"client_%\", \"Client_C\" CASCADE; "
               "DROP TABLE sc_pub");
    arena_free(&mem);
    db_close(c);
}

static void test_schemas_sqlite(void **state)
{
    (void)state;
    db_conn *c = open_engine(DIALECT_SQLITE, "schemas.db");
    arena mem;
    arena_init(&mem);
    const char **names;
    size_t n;
    assert_int_equal(db_list_schemas(c, "*", &mem, &names, &n), -1);
    assert_int_equal(db_set_schema(c, "main"), 0);
    assert_int_equal(db_set_schema(c, NULL), 0);
    assert_int_equal(db_set_schema(c, "other"), -1);
    arena_free(&mem);
    db_close(c);
}

/* ---- lock ----------------------------------------------------------------------------------- */

static void lock_across_processes(dialect d)
{
    const char *spec = d == DIALECT_PG ? pg_db_url : sqlite_path("lock.db");
    db_close(open_ok(spec, true));  /* create the SQLite file */
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        db_conn *cc = db_open(spec, NULL, NULL);
        if (!cc || db_lock_acquire(cc, "dbsage_migrate", 5000) != 0)
            _exit(1);
        if (write(fds[1], "L", 1) != 1)
            _exit(1);
        for (;;)
            pause();
    }
    close(fds[1]);
    char ch = 0;
    assert_int_equal(read(fds[0], &ch, 1), 1);  /* the child holds the lock */
    close(fds[0]);
    db_conn *c = open_ok(spec, false);
    assert_int_equal(db_lock_acquire(c, "dbsage_migrate", 200), 1);
    assert_contains(db_last_error(c), "another dbsage process holds the migration lock on ");
    assert_contains(db_last_error(c), "waited ");
    assert_int_equal(db_lock_acquire(c, "dbsage_migrate", 0), 1);
    kill(pid, SIGKILL);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    /* the holder died: the lock is free (PG notices the closed socket soon) */
    assert_int_equal(db_lock_acquire(c, "dbsage_migrate", 30000), 0);
    /* a second connection of this process is excluded as well */
    db_conn *c2 = open_ok(spec, false);
    assert_int_equal(db_lock_acquire(c2, "dbsage_migrate", 0), 1);
    assert_int_equal(db_lock_release(c, "dbsage_migrate"), 0);
    assert_int_equal(db_lock_acquire(c2, "dbsage_migrate", 0), 0);
    /* held across a transaction's end (not transaction-scoped) */
    assert_int_equal(db_begin(c2), 0);
    assert_int_equal(db_rollback(c2), 0);
    assert_int_equal(db_lock_acquire(c, "dbsage_migrate", 0), 1);
    db_close(c2);  /* closing drops it */
    assert_int_equal(db_lock_acquire(c, "dbsage_migrate", 30000), 0);
    assert_int_equal(db_lock_release(c, "dbsage_migrate"), 0);
    if (d == DIALECT_PG)
        assert_int_equal(db_lock_release(c, "dbsage_migrate"), -1);  /* not held */
    db_close(c);
}

static void test_lock_sqlite(void **state)
{
    (void)state;
    lock_across_processes(DIALECT_SQLITE);
}

static void test_lock_pg(void **state)
{
    (void)state;
    lock_across_processes(DIALECT_PG);
}


int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_sqlite),
        cmocka_unit_test(test_open_pg),
        cmocka_unit_test(test_exec_sqlite),
        cmocka_unit_test(test_exec_pg),
        cmocka_unit_test(test_script_errors_sqlite),
        cmocka_unit_test(test_script_errors_pg),
        cmocka_unit_test(test_script_pg_bodies),
        cmocka_unit_test(test_script_sqlite_trigger),
        cmocka_unit_test(test_split_pg),
        cmocka_unit_test(test_split_sqlite),
        cmocka_unit_test(test_tx_sqlite),
        cmocka_unit_test(test_tx_pg),
        cmocka_unit_test(test_prepared_sqlite),
        cmocka_unit_test(test_prepared_pg),
        cmocka_unit_test(test_schemas_pg),
        cmocka_unit_test(test_schemas_sqlite),
        cmocka_unit_test(test_lock_sqlite),
        cmocka_unit_test(test_lock_pg),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
