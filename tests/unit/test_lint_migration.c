/*
 * test_lint_migration.c — the migration-safety rules (src/analysis/
 * lint_migration*.c) called directly: tables created earlier in the same
 * file are exempt from the lock rules, the `before` catalog decides which
 * tables exist, transactions / timeouts / NOT VALID are tracked across the
 * file, locations (with first_line), the SQLite dialect and syntax errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/lint.h"
#include "analysis/lint_migration.h"
#include "source/pg_parse.h"
#include "source/source.h"

typedef struct fx {
    arena mem;
    diag_list diags;
    lint_config cfg;
    lint_ctx ctx;
    strbuf out;
    int rc;
    catalog *before; /* freed by teardown */
} fx;

static int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    arena_init(&f->mem);
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    fx *f = *state;
    strbuf_release(&f->out);
    if (f->before)
        catalog_free(f->before);
    arena_free(&f->mem);
    free(f);
    return 0;
}

/* lint sql; the findings as "rule@line:col ..." sorted, in f->out */
static const char *run_at(fx *f, dialect d, const char *sql, unsigned first_line, const catalog *before)
{
    arena_free(&f->mem);
    arena_init(&f->mem);
    diag_list_init(&f->diags, &f->mem);
    lint_config_init(&f->cfg);
    lint_ctx_init(&f->ctx, &f->mem, &f->cfg);
    lint_ignores_scan(&f->ctx, "m.sql", sql, strlen(sql));
    f->rc = lint_migration_run(&f->ctx, d, "m.sql", sql, strlen(sql), first_line, before, &f->diags);
    lint_sort(&f->ctx);
    strbuf_reset(&f->out);
    for (size_t i = 0; i < f->ctx.findings.n; i++) {
        const lint_finding *x = &f->ctx.findings.v[i];
        assert_string_equal(x->loc.file, "m.sql");
        assert_non_null(x->message);
        strbuf_addf(&f->out, "%s%s@%u:%u", i ? " " : "", x->rule->id, x->loc.line, x->loc.col);
    }
    return strbuf_str(&f->out);
}

static const char *run(fx *f, const char *sql) { return run_at(f, DIALECT_PG, sql, 1, NULL); }

/* does the result name rule (anywhere) */
static bool has(const char *out, const char *rule)
{
    size_t n = strlen(rule);
    for (const char *p = strstr(out, rule); p; p = strstr(p + 1, rule))
        if ((p == out || p[-1] == ' ') && p[n] == '@')
            return true;
    return false;
}

static void test_rule_table(void **state)
{
    (void)state;
    size_t n = 0;
    for (const lint_rule *r = lint_migration_rules(); r->id; r++, n++) {
        assert_int_equal(r->category, LINT_MIGRATION);
        assert_non_null(r->summary);
        assert_non_null(lint_rule_find(r->id));
        assert_string_equal(lint_rule_find(r->id)->id, r->id);
        if (r->squawk)
            assert_string_equal(lint_rule_find(r->squawk)->id, r->id);
    }
    assert_true(n >= 34);
    /* each has a bad and a good fixture (tests/cli/lint_migration.sh runs them) and a doc page */
    const char *src = getenv("DBSAGE_SOURCE_DIR");
    if (src) {
        for (const lint_rule *r = lint_migration_rules(); r->id; r++) {
            const char *paths[] = {"tests/fixtures/lint/migration/%s/bad.sql",
                                   "tests/fixtures/lint/migration/%s/good.sql", "docs/rules/%s.md"};
            for (size_t k = 0; k < 3; k++) {
                char rel[256], path[1024];
                snprintf(rel, sizeof rel, paths[k], r->id);
                snprintf(path, sizeof path, "%s/%s", src, rel);
                FILE *fp = fopen(path, "r");
                if (fp)
                    fclose(fp);
                else
                    fail_msg("rule %s has no %s", r->id, rel);
            }
        }
    }
    assert_string_equal(lint_rule_find("prefer-timestamp-tz")->id, "prefer-timestamptz");
    assert_int_equal(lint_rule_find("require-concurrent-index-creation")->severity, DIAG_ERROR);
    assert_int_equal(lint_rule_find("prefer-text-field")->severity, DIAG_WARNING);
}

static void test_new_table_exempt(void **state)
{
    fx *f = *state;
    const char *existing = "BEGIN;\nSET lock_timeout = '1s';\nSET statement_timeout = '1min';\n"
                           "CREATE INDEX i ON t (a);\n"
                           "ALTER TABLE t ADD COLUMN b bigint NOT NULL;\n"
                           "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);\nCOMMIT;\n";
    /* locations: the statement, the column name, the CONSTRAINT keyword */
    assert_string_equal(run(f, existing), "require-concurrent-index-creation@4:1 "
                                          "adding-required-field@5:26 "
                                          "constraint-missing-not-valid@6:19");
    /* the same statements on a table created earlier in the file: nothing */
    const char *fresh = "BEGIN;\nCREATE TABLE t (a bigint);\n"
                        "CREATE INDEX i ON t (a);\n"
                        "ALTER TABLE t ADD COLUMN b bigint NOT NULL;\n"
                        "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);\nCOMMIT;\n";
    assert_string_equal(run(f, fresh), "");
    /* a table renamed after being created here stays new; dropped, it exists again */
    assert_string_equal(run(f, "BEGIN;\nCREATE TABLE n (a bigint);\nALTER TABLE n RENAME TO t;\n"
                               "CREATE INDEX i ON t (a);\nCOMMIT;\n"),
                        "");
    assert_true(has(run(f, "BEGIN;\nCREATE TABLE t (a bigint);\nDROP TABLE t;\n"
                           "CREATE INDEX i ON t (a);\nCOMMIT;\n"),
                    "require-concurrent-index-creation"));
    assert_int_equal(f->rc, 0);
}

static void test_before_catalog(void **state)
{
    fx *f = *state;
    catalog *before = catalog_new(DIALECT_PG);
    f->before = before;
    diag_list dl;
    diag_list_init(&dl, &f->mem);
    const char *schema = "CREATE TABLE users (id bigint PRIMARY KEY, name varchar(20), n integer);";
    assert_int_equal(pg_sql_read(before, "schema.sql", schema, strlen(schema), &dl), 0);
    const char *sql = "BEGIN;\nSET lock_timeout = '1s';\nSET statement_timeout = '1min';\n"
                      "CREATE INDEX a ON users (name);\n"
                      "CREATE INDEX b ON other (x);\n"
                      "ALTER TABLE users ALTER COLUMN name TYPE text;\n"
                      "ALTER TABLE users ALTER COLUMN name TYPE varchar(40);\n"
                      "ALTER TABLE users ALTER COLUMN name TYPE varchar(10);\n"
                      "ALTER TABLE users ALTER COLUMN n TYPE bigint;\nCOMMIT;\n";
    /* with `before`: only users exists; widening varchar is no rewrite */
    assert_string_equal(run_at(f, DIALECT_PG, sql, 1, before),
                        "require-concurrent-index-creation@4:1 prefer-text-field@7:42 "
                        "changing-column-type@8:1 prefer-text-field@8:42 "
                        "changing-column-type@9:1");
    /* an existing table renamed here still exists under its new name */
    assert_string_equal(run_at(f, DIALECT_PG, "BEGIN;\nSET lock_timeout = '1s';\nSET statement_timeout = '1min';\n"
                                              "ALTER TABLE users RENAME TO customers;\n"
                                              "CREATE INDEX c_name ON customers (name);\nCOMMIT;\n", 1, before),
                        "renaming-table@4:1 require-concurrent-index-creation@5:1");
    /* materialized views of `before` exist too */
    const char *mv = "CREATE MATERIALIZED VIEW mv AS SELECT id FROM users;";
    assert_int_equal(pg_sql_read(before, "schema.sql", mv, strlen(mv), &dl), 0);
    assert_string_equal(run_at(f, DIALECT_PG, "CREATE INDEX mv_id ON mv (id);", 1, before),
                        "require-concurrent-index-creation@1:1 require-timeout-settings@1:1");
    /* unknown schema (NULL): every table not created here exists */
    assert_string_equal(run_at(f, DIALECT_PG, sql, 1, NULL),
                        "require-concurrent-index-creation@4:1 "
                        "require-concurrent-index-creation@5:1 "
                        "changing-column-type@6:1 "
                        "changing-column-type@7:1 prefer-text-field@7:42 "
                        "changing-column-type@8:1 prefer-text-field@8:42 "
                        "changing-column-type@9:1");
}

static void test_transactions(void **state)
{
    fx *f = *state;
    /* (a concurrent build takes no lock that blocks writes: no timeout finding) */
    assert_string_equal(run(f, "BEGIN;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\nCOMMIT;\n"),
                        "ban-concurrent-index-creation-in-transaction@2:1");
    /* outside a transaction the same index is fine (no lock rule either) */
    assert_string_equal(run(f, "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n"
                               "DROP INDEX CONCURRENTLY IF EXISTS j;\n"),
                        "");
    assert_string_equal(run(f, "BEGIN;\nBEGIN;\nCOMMIT;\nCOMMIT;\n"),
                        "transaction-nesting@2:1 transaction-nesting@4:1");
    /* a transaction left open at the end of the file: reported at its BEGIN */
    assert_string_equal(run(f, "SELECT 1;\nBEGIN;\nSELECT 2;\n"), "ban-uncommitted-transaction@2:1");
    assert_string_equal(run(f, "BEGIN;\nSELECT 2;\nROLLBACK;\n"), "");
    /* NOT VALID then VALIDATE: same transaction is flagged, separate ones are not */
    const char *same = "SET lock_timeout = '1s'; SET statement_timeout = '1min';\nBEGIN;\n"
                       "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\n"
                       "ALTER TABLE t VALIDATE CONSTRAINT c;\nCOMMIT;\n";
    assert_string_equal(run(f, same), "constraint-missing-not-valid@4:1");
    const char *split = "SET lock_timeout = '1s'; SET statement_timeout = '1min';\nBEGIN;\n"
                        "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nCOMMIT;\nBEGIN;\n"
                        "ALTER TABLE t VALIDATE CONSTRAINT c;\nCOMMIT;\n";
    assert_string_equal(run(f, split), "");
}

static void test_timeouts(void **state)
{
    fx *f = *state;
    /* reported once per file, at the first locking statement on an existing table */
    assert_string_equal(run(f, "BEGIN;\nCREATE TABLE n (a bigint);\nALTER TABLE n ADD COLUMN b text;\n"
                               "ALTER TABLE t ADD COLUMN b text;\nALTER TABLE t ADD COLUMN c text;\nCOMMIT;\n"),
                        "require-timeout-settings@4:1");
    assert_string_equal(run(f, "BEGIN;\nSET lock_timeout = '2s';\nALTER TABLE t ADD COLUMN b text;\nCOMMIT;\n"),
                        "require-timeout-settings@3:1");
    assert_true(strstr(f->ctx.findings.v[0].message, "statement_timeout is not set") != NULL);
    /* 0 disables the timeout: still missing */
    assert_string_equal(run(f, "BEGIN;\nSET lock_timeout = 0;\nSET statement_timeout = '1min';\n"
                               "ALTER TABLE t ADD COLUMN b text;\nCOMMIT;\n"),
                        "require-timeout-settings@4:1");
    assert_string_equal(run(f, "BEGIN;\nSET LOCAL lock_timeout = '2s';\nSET statement_timeout = 60000;\n"
                               "ALTER TABLE t ADD COLUMN b text;\nCOMMIT;\n"),
                        "");
    /* set_config() counts as SET (is_local true = SET LOCAL) */
    assert_string_equal(run(f, "BEGIN;\nSELECT set_config('lock_timeout', '2s', false), "
                               "set_config('statement_timeout', '1min', false);\n"
                               "ALTER TABLE t ADD COLUMN b text;\nCOMMIT;\n"),
                        "");
    assert_string_equal(run(f, "BEGIN;\nSELECT set_config('lock_timeout', '2s', true);\n"
                               "SET statement_timeout = '1min';\nCOMMIT;\n"
                               "BEGIN;\nALTER TABLE t ADD COLUMN b text;\nCOMMIT;\n"),
                        "require-timeout-settings@6:1");
    /* CREATE TRIGGER on, and a new table's FOREIGN KEY to, an existing table lock it */
    assert_string_equal(run(f, "BEGIN;\nCREATE TABLE n (id bigint);\nCREATE TRIGGER g BEFORE INSERT ON n "
                               "FOR EACH ROW EXECUTE FUNCTION f();\n"
                               "CREATE TABLE c (id bigint, n_id bigint REFERENCES n (id));\n"
                               "CREATE TRIGGER g BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();\nCOMMIT;\n"),
                        "require-timeout-settings@5:1");
    assert_string_equal(run(f, "BEGIN;\nCREATE TABLE c (id bigint, t_id bigint);\n"
                               "ALTER TABLE c ADD CONSTRAINT c_t FOREIGN KEY (t_id) REFERENCES t (id);\nCOMMIT;\n"),
                        "require-timeout-settings@3:19");
    assert_string_equal(run(f, "BEGIN;\nCREATE TABLE c (id bigint, t_id bigint,\n"
                               "  FOREIGN KEY (t_id) REFERENCES t (id));\nCOMMIT;\n"),
                        "require-timeout-settings@2:1");
    /* SET LOCAL ends with its transaction */
    assert_string_equal(run(f, "BEGIN;\nSET LOCAL lock_timeout = '2s';\nSET statement_timeout = 60000;\nCOMMIT;\n"
                               "BEGIN;\nALTER TABLE t ADD COLUMN b text;\nCOMMIT;\n"),
                        "require-timeout-settings@6:1");
}

static void test_defaults(void **state)
{
    fx *f = *state;
    const char *pre = "BEGIN;\nSET lock_timeout = '1s';\nSET statement_timeout = '1min';\n";
    char sql[512];
    snprintf(sql, sizeof sql, "%sALTER TABLE t ADD COLUMN a bigint DEFAULT 0,\n"
                              "  ADD COLUMN b timestamptz NOT NULL DEFAULT now(),\n"
                              "  ADD COLUMN c uuid DEFAULT gen_random_uuid(),\n"
                              "  ADD COLUMN d text DEFAULT 'x' || 'y',\n"
                              "  ADD COLUMN e bigint GENERATED ALWAYS AS (a * 2) STORED,\n"
                              "  ADD COLUMN f bigint GENERATED BY DEFAULT AS IDENTITY;\nCOMMIT;\n", pre);
    assert_string_equal(run(f, sql), "adding-field-with-default@6:21 adding-field-with-default@8:14 "
                                     "adding-field-with-default@9:14");
}

static void test_robust(void **state)
{
    fx *f = *state;
    /* one statement: an implicit transaction */
    assert_string_equal(run(f, "CREATE TABLE t (a bigint);"), "");
    assert_string_equal(run(f, "CREATE TABLE t (a bigint);\nDROP TABLE u;\n"
                               "ALTER TABLE t DROP CONSTRAINT IF EXISTS c;\n"
                               "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);\n"
                               "ALTER TABLE t ADD CONSTRAINT d CHECK (a > 0);\n"),
                        "prefer-robust-stmts@1:1 ban-drop-table@2:1 prefer-robust-stmts@2:1 "
                        "require-timeout-settings@2:1 prefer-robust-stmts@5:19");
}

static void test_types_and_locations(void **state)
{
    fx *f = *state;
    const char *sql = "-- header\nCREATE TABLE IF NOT EXISTS t (\n  id serial,\n  a int,\n  b smallint,\n"
                      "  c varchar(10),\n  d varchar,\n  e timestamp,\n  g timestamptz,\n  h char(2),\n"
                      "  i \"char\",\n  j bigint\n);\n";
    const char *expect = "prefer-bigint-over-int@13:6 prefer-identity@13:6 "
                         "prefer-bigint-over-int@14:5 prefer-bigint-over-smallint@15:5 "
                         "prefer-text-field@16:5 prefer-timestamptz@18:5 ban-char-field@20:5";
    assert_string_equal(run_at(f, DIALECT_PG, sql, 11, NULL), expect);
    /* the object names the column */
    assert_string_equal(f->ctx.findings.v[0].object, "t.id");
}

static void test_ignores(void **state)
{
    fx *f = *state;
    const char *sql = "BEGIN;\nSET lock_timeout = '1s';\nSET statement_timeout = '1min';\n"
                      "-- squawk-ignore ban-drop-column\nALTER TABLE t DROP COLUMN a;\n"
                      "ALTER TABLE t DROP COLUMN b; -- dbsage:ignore ban-drop-column\n"
                      "ALTER TABLE t DROP COLUMN c;\nCOMMIT;\n";
    assert_string_equal(run(f, sql), "ban-drop-column@7:1");
}

static void test_other_statements(void **state)
{
    fx *f = *state;
    const char *sql = "BEGIN;\nSET lock_timeout = '1s';\nSET statement_timeout = '1min';\n"
                      "ALTER TABLE t RENAME TO u;\nALTER TABLE u RENAME COLUMN a TO b;\n"
                      "ALTER TABLE u ALTER COLUMN b SET NOT NULL;\nALTER TABLE u ALTER COLUMN b DROP NOT NULL;\n"
                      "ALTER TABLE u ADD CONSTRAINT f FOREIGN KEY (b) REFERENCES v (id);\n"
                      "ALTER TABLE u ADD CONSTRAINT u1 UNIQUE (b);\nALTER TABLE u ADD CONSTRAINT u2 UNIQUE USING INDEX i;\n"
                      "ALTER TABLE u ADD PRIMARY KEY (b);\n"
                      "DROP INDEX i;\nTRUNCATE u CASCADE;\nCREATE DOMAIN pos AS bigint CHECK (VALUE > 0);\n"
                      "ALTER DOMAIN pos ADD CONSTRAINT p CHECK (VALUE > 1);\nCOMMIT;\nDROP DATABASE x;\n";
    assert_string_equal(run(f, sql), "renaming-table@4:1 renaming-column@5:1 adding-not-nullable-field@6:1 "
                                     "ban-drop-not-null@7:1 adding-foreign-key-constraint@8:19 "
                                     "constraint-missing-not-valid@8:19 disallowed-unique-constraint@9:19 "
                                     "adding-serial-primary-key-field@11:19 "
                                     "require-concurrent-index-deletion@12:1 ban-truncate-cascade@13:1 "
                                     "ban-create-domain-with-constraint@14:29 "
                                     "ban-alter-domain-with-add-constraint@15:1 ban-drop-database@17:1");
    assert_string_equal(run(f, "ALTER TYPE mood ADD VALUE 'meh';\nALTER TYPE mood ADD VALUE 'ok' AFTER 'meh';\n"
                               "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'bad' BEFORE 'meh';\n"
                               "ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';\n"),
                        "require-enum-value-ordering@1:1");
    assert_string_equal(run(f, "UPDATE t SET a = 1, b = 2, a = 3;\nUPDATE t SET x[1] = 1, x[2] = 2;\n"
                               "INSERT INTO t (a, b, a) VALUES (1, 2, 3);\n"
                               "INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET b = 1, b = 2;\n"),
                        "ban-duplicate-column-assignments@1:28 ban-duplicate-column-assignments@3:22 "
                        "ban-duplicate-column-assignments@4:67");
    assert_string_equal(run(f, "REINDEX TABLE t;\nREINDEX (CONCURRENTLY) TABLE t;\n"
                               "REINDEX TABLE CONCURRENTLY t;\n"),
                        "require-concurrent-reindex@1:1");
    assert_string_equal(run(f, "SET lock_timeout = '1s';\nSET statement_timeout = '1min';\n"
                               "ALTER TABLE p DETACH PARTITION p1;\n"
                               "ALTER TABLE p DETACH PARTITION p2 CONCURRENTLY;\n"),
                        "require-concurrent-partition-detach@3:1");
}

static void test_sqlite(void **state)
{
    fx *f = *state;
    /* AUTOINCREMENT does not parse as PostgreSQL: skipped silently; PG-only rules off */
    const char *sql = "CREATE TABLE IF NOT EXISTS n (id INTEGER PRIMARY KEY AUTOINCREMENT, c varchar(3));\n"
                      "CREATE INDEX IF NOT EXISTS i ON t (a);\n"
                      "ALTER TABLE t ADD COLUMN x TEXT NOT NULL;\n"
                      "ALTER TABLE t RENAME COLUMN a TO b;\n"
                      "ALTER TABLE t DROP COLUMN c;\n";
    assert_string_equal(run_at(f, DIALECT_SQLITE, sql, 1, NULL),
                        "adding-required-field@3:26 renaming-column@4:1 ban-drop-column@5:1");
    /* ADD COLUMN forms SQLite refuses (checked with sqlite3 3.40): on a table with rows */
    assert_string_equal(run_at(f, DIALECT_SQLITE, "BEGIN;\nSELECT 1;\n"
                                                  "ALTER TABLE n ADD COLUMN b TEXT DEFAULT CURRENT_TIMESTAMP;\n"
                                                  "ALTER TABLE n ADD COLUMN c INTEGER DEFAULT (1 + 1);\n"
                                                  "ALTER TABLE n ADD COLUMN d INTEGER NOT NULL DEFAULT -1;\n"
                                                  "ALTER TABLE n ADD COLUMN e TEXT NOT NULL DEFAULT NULL;\n"
                                                  "ALTER TABLE n ADD COLUMN f INTEGER UNIQUE;\n"
                                                  "ALTER TABLE n ADD COLUMN g INTEGER PRIMARY KEY;\n"
                                                  "ALTER TABLE n ADD COLUMN h INTEGER GENERATED ALWAYS AS (d * 2) STORED;\n"
                                                  "ALTER TABLE n ADD COLUMN i INTEGER AS (d * 2);\n"
                                                  "ALTER TABLE n ADD COLUMN j BOOLEAN DEFAULT TRUE;\nCOMMIT;\n",
                               1, NULL),
                        "adding-field-with-default@3:33 adding-field-with-default@4:36 adding-required-field@6:26 "
                        "disallowed-unique-constraint@7:36 adding-serial-primary-key-field@8:36 "
                        "adding-field-with-default@9:26");
    /* a table created in the file is empty: only UNIQUE and PRIMARY KEY fail */
    assert_string_equal(run_at(f, DIALECT_SQLITE, "BEGIN;\nCREATE TABLE IF NOT EXISTS n (a TEXT);\n"
                                                  "ALTER TABLE n ADD COLUMN b TEXT DEFAULT CURRENT_TIMESTAMP;\n"
                                                  "ALTER TABLE n ADD COLUMN k TEXT NOT NULL;\n"
                                                  "ALTER TABLE n ADD COLUMN f INTEGER UNIQUE;\nCOMMIT;\n", 1, NULL),
                        "disallowed-unique-constraint@5:36");
    /* CREATE/DROP without IF [NOT] EXISTS are flagged (SQLite has those) */
    assert_string_equal(run_at(f, DIALECT_SQLITE, "CREATE TABLE a (x TEXT);\nDROP TABLE b;\n", 1, NULL),
                        "prefer-robust-stmts@1:1 ban-drop-table@2:1 prefer-robust-stmts@2:1");
    assert_int_equal(f->rc, 0);
    assert_int_equal(f->diags.items.n, 0);
}

static void test_sqlite_rebuild(void **state)
{
    fx *f = *state;
    f->before = catalog_new(DIALECT_SQLITE);
    diag_list dl;
    diag_list_init(&dl, &f->mem);
    const char *schema = "CREATE TABLE Notes (id INTEGER PRIMARY KEY, Body TEXT, legacy TEXT, n INTEGER,\n"
                         "  tag varchar( 20 ));";
    assert_int_equal(sqlite_sql_read(f->before, "schema.sql", schema, strlen(schema), &dl), 0);
    assert_int_equal(sqlite_sql_flush(f->before, &dl), 0);
    /* SQLite's rebuild: not a dropped table, but a dropped column and a changed type */
    const char *sql = "BEGIN;\n"
                      "CREATE TABLE notes_new (id INTEGER PRIMARY KEY AUTOINCREMENT, `body` TEXT NOT NULL,\n"
                      "  n REAL, tag VARCHAR(20)) STRICT;\n"
                      "INSERT INTO notes_new SELECT id, body, n, tag FROM notes;\n"
                      "DROP TABLE notes;\n"
                      "ALTER TABLE notes_new RENAME TO notes;\nCOMMIT;\n";
    assert_string_equal(run_at(f, DIALECT_SQLITE, sql, 1, f->before),
                        "ban-drop-column@6:1 changing-column-type@6:1");
    assert_string_equal(f->ctx.findings.v[0].object, "notes.legacy"); /* names case-insensitive */
    assert_string_equal(f->ctx.findings.v[1].message,
                        "the rebuild of notes changes column n from INTEGER to REAL");
    /* a plain drop is reported (at the DROP), also when another table is renamed */
    assert_string_equal(run_at(f, DIALECT_SQLITE, "BEGIN;\nDROP TABLE notes;\nCREATE TABLE x (a TEXT);\n"
                                                  "ALTER TABLE x RENAME TO y;\nCOMMIT;\n", 1, f->before),
                        "ban-drop-table@2:1");
    /* PostgreSQL: the same swap drops no table; without `before` columns are unknown */
    assert_string_equal(run(f, "BEGIN;\nSET lock_timeout = '1s';\nSET statement_timeout = '1min';\n"
                               "CREATE TABLE t_new (a bigint);\nDROP TABLE t;\nALTER TABLE t_new RENAME TO t;\nCOMMIT;\n"),
                        "");
}

/* a tree parsed by the caller gives the same findings as parsing here */
static void test_parsed_tree(void **state)
{
    fx *f = *state;
    const char *sql = "BEGIN;\nCREATE TABLE n (a int);\nCREATE INDEX i ON n (a);\nCREATE INDEX j ON t (a);\n"
                      "ALTER TABLE t ADD COLUMN b text NOT NULL;\nCOMMIT;\n";
    char *expect = strdup(run(f, sql));
    assert_string_equal(expect, "prefer-bigint-over-int@2:19 require-concurrent-index-creation@4:1 "
                                "require-timeout-settings@4:1 adding-required-field@5:26");
    PgQueryProtobufParseResult pr = pg_query_parse_protobuf(sql);
    assert_null(pr.error);
    arena tree_mem;
    arena_init(&tree_mem);
    PgQuery__ParseResult *tree = pg_parse_unpack(&tree_mem, pr.parse_tree.data, pr.parse_tree.len);
    assert_non_null(tree);
    arena_free(&f->mem);
    arena_init(&f->mem);
    diag_list_init(&f->diags, &f->mem);
    lint_ctx_init(&f->ctx, &f->mem, &f->cfg);
    assert_int_equal(lint_migration_run_tree(&f->ctx, DIALECT_PG, "m.sql", sql, strlen(sql), 1, NULL, tree,
                                             &f->diags), 0);
    lint_sort(&f->ctx);
    strbuf_reset(&f->out);
    for (size_t i = 0; i < f->ctx.findings.n; i++)
        strbuf_addf(&f->out, "%s%s@%u:%u", i ? " " : "", f->ctx.findings.v[i].rule->id,
                    f->ctx.findings.v[i].loc.line, f->ctx.findings.v[i].loc.col);
    assert_string_equal(strbuf_str(&f->out), expect);
    arena_free(&tree_mem);
    pg_query_free_protobuf_parse_result(pr);
    free(expect);
}

static void test_syntax_error(void **state)
{
    fx *f = *state;
    const char *sql = "BEGIN;\nDROP TABLE t;\nALTER TABLE;\nDROP TABLE u;\nCOMMIT;\n";
    assert_string_equal(run(f, sql), "ban-drop-table@2:1 require-timeout-settings@2:1 ban-drop-table@4:1");
    assert_int_equal(f->rc, -1);
    assert_int_equal(f->diags.items.n, 1);
    assert_int_equal(f->diags.items.v[0].loc.line, 3);
    /* the whole text's error, as the SQL reader reports it */
    assert_string_equal(f->diags.items.v[0].message, "syntax error at or near \";\"");
    assert_int_equal(f->diags.items.v[0].loc.col, 12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_table),
        cmocka_unit_test_setup_teardown(test_new_table_exempt, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_before_catalog, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_transactions, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_timeouts, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_defaults, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_robust, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_types_and_locations, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_ignores, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_other_statements, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_sqlite, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_rebuild, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_parsed_tree, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_syntax_error, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
