/*
 * test_lint.c — unit tests of the lint framework (src/analysis/lint.c,
 * lint_config.c, lint_emit.c, lint_design.c): the rule registry and squawk
 * alias lookup, inline ignore scanning, configuration (severity, off, YAML
 * errors at file:line:col), sorting/counting and the SARIF/JSON writers on a
 * catalog read from SQL.
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

#include "analysis/lint.h"
#include "source/source.h"

/* ---- registry ------------------------------------------------------------------ */

static void test_registry_ids_unique_and_complete(void **state)
{
    (void)state;
    size_t n = 0, ndesign = 0;
    for (const lint_rule *r = lint_rules(); r->id; r++, n++) {
        assert_non_null(r->summary);
        assert_true(r->severity <= DIAG_ERROR);
        for (const char *p = r->id; *p; p++) /* kebab-case */
            assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-');
        for (const lint_rule *o = lint_rules(); o < r; o++) {
            assert_string_not_equal(o->id, r->id);
            if (o->squawk && r->squawk)
                assert_string_not_equal(o->squawk, r->squawk);
        }
        assert_ptr_equal(lint_rule_find(r->id), r);
        if (r->category == LINT_DESIGN)
            ndesign++;
    }
    assert_int_equal(ndesign, 14);
    size_t nd = 0, nm = 0;
    for (const lint_rule *r = lint_design_rules(); r->id; r++)
        nd++;
    for (const lint_rule *r = lint_migration_rules(); r->id; r++)
        nm++;
    assert_int_equal(n, nd + nm); /* both sets, nothing lost */
    /* design rules first, in documentation order */
    assert_string_equal(lint_rules()[0].id, "missing-primary-key");
}

static void test_registry_alias_lookup(void **state)
{
    (void)state;
    assert_null(lint_rule_find("no-such-rule"));
    assert_null(lint_rule_find(NULL));
    assert_null(lint_rule_find(""));
    const lint_rule *r = lint_rule_find("plaintext-secret");
    assert_non_null(r);
    assert_int_equal(r->category, LINT_DESIGN);
    assert_int_equal(r->severity, DIAG_ERROR);
    /* every squawk alias finds its rule */
    size_t aliases = 0;
    for (const lint_rule *m = lint_rules(); m->id; m++)
        if (m->squawk) {
            assert_ptr_equal(lint_rule_find(m->squawk), m);
            aliases++;
        }
    if (lint_migration_rules()[0].id)
        assert_true(aliases > 0);
}

/* ---- ignores and reporting ----------------------------------------------------- */

static lint_config cfg0;

static size_t count_rule(const lint_ctx *ctx, const char *id, unsigned line)
{
    size_t n = 0;
    for (size_t i = 0; i < ctx->findings.n; i++)
        if (!strcmp(ctx->findings.v[i].rule->id, id) && (!line || ctx->findings.v[i].loc.line == line))
            n++;
    return n;
}

static void report_at(lint_ctx *ctx, const char *file, const char *id, unsigned line, unsigned end)
{
    src_loc loc = {file, line, 1};
    lint_report(ctx, id, loc, end, "obj", NULL, "finding of %s at %u", id, line);
}

static void test_ignores_next_statement(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    lint_config_init(&cfg0);
    lint_ctx ctx;
    lint_ctx_init(&ctx, &mem, &cfg0);
    const char *sql = "-- dbsage:ignore missing-primary-key\n" /* 1 */
                      "CREATE TABLE a (\n"                     /* 2 */
                      "  x int\n"                              /* 3 */
                      ");\n"                                   /* 4 */
                      "CREATE TABLE b (x int);\n"              /* 5 */
                      "SELECT ';-- dbsage:ignore duplicate-index';\n" /* 6: in a string */
                      "CREATE TABLE c (x int);\n"              /* 7 */
                      "CREATE TABLE d (x $$;$$ int, -- dbsage:ignore duplicate-index\n" /* 8 */
                      "  y int);\n"                            /* 9 */
                      "CREATE TABLE e (x int); -- squawk-ignore duplicate-index\n" /* 10 */
                      "CREATE TABLE f (x int);\n";             /* 11 */
    lint_ignores_scan(&ctx, "m.sql", sql, strlen(sql));
    report_at(&ctx, "m.sql", "missing-primary-key", 2, 4);
    report_at(&ctx, "m.sql", "missing-primary-key", 5, 5);
    report_at(&ctx, "m.sql", "missing-primary-key", 2, 0);
    report_at(&ctx, "other.sql", "missing-primary-key", 2, 4); /* another file */
    report_at(&ctx, "m.sql", "duplicate-index", 7, 7);
    report_at(&ctx, "m.sql", "duplicate-index", 8, 9);
    report_at(&ctx, "m.sql", "duplicate-index", 10, 10);
    report_at(&ctx, "m.sql", "duplicate-index", 11, 11);
    assert_int_equal(count_rule(&ctx, "missing-primary-key", 2), 1); /* other.sql only */
    assert_int_equal(count_rule(&ctx, "missing-primary-key", 5), 1);
    assert_int_equal(count_rule(&ctx, "duplicate-index", 7), 1);     /* the string is not a comment */
    assert_int_equal(count_rule(&ctx, "duplicate-index", 8), 0);     /* inside its statement */
    assert_int_equal(count_rule(&ctx, "duplicate-index", 10), 0);    /* after `...;` on the line */
    assert_int_equal(count_rule(&ctx, "duplicate-index", 11), 1);
    arena_free(&mem);
}

static void test_ignores_file_all_and_alias(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    lint_config_init(&cfg0);
    lint_ctx ctx;
    lint_ctx_init(&ctx, &mem, &cfg0);
    const char *a = "CREATE TABLE a (x int);\n-- dbsage:ignore-file table-without-timestamps,missing-primary-key\n";
    lint_ignores_scan(&ctx, "a.sql", a, strlen(a));
    const char *b = "-- dbsage:ignore\nCREATE TABLE a (x int);\nCREATE TABLE b (x int);\n"
                    "-- dbsage:ignored missing-primary-key\nCREATE TABLE c (x int);\n";
    lint_ignores_scan(&ctx, "b.sql", b, strlen(b));
    report_at(&ctx, "a.sql", "missing-primary-key", 1, 0);
    report_at(&ctx, "a.sql", "table-without-timestamps", 900, 0);
    report_at(&ctx, "a.sql", "duplicate-index", 1, 0);
    report_at(&ctx, "b.sql", "duplicate-index", 2, 0);
    report_at(&ctx, "b.sql", "missing-primary-key", 3, 0);
    report_at(&ctx, "b.sql", "missing-primary-key", 5, 0); /* "ignored" is not the keyword */
    assert_int_equal(ctx.findings.n, 3);
    assert_int_equal(count_rule(&ctx, "duplicate-index", 1), 1);
    assert_int_equal(count_rule(&ctx, "missing-primary-key", 3), 1);
    assert_int_equal(count_rule(&ctx, "missing-primary-key", 5), 1);
    /* a squawk alias in an ignore comment names the canonical rule */
    const lint_rule *m = NULL;
    for (const lint_rule *r = lint_rules(); r->id && !m; r++)
        if (r->squawk && strcmp(r->squawk, r->id) != 0)
            m = r;
    if (!m)
        for (const lint_rule *r = lint_rules(); r->id && !m; r++)
            if (r->squawk)
                m = r;
    if (m) {
        char c[200];
        snprintf(c, sizeof c, "-- squawk-ignore %s\nALTER TABLE t DROP COLUMN x;\n", m->squawk);
        lint_ignores_scan(&ctx, "c.sql", c, strlen(c));
        report_at(&ctx, "c.sql", m->id, 2, 2);
        assert_int_equal(count_rule(&ctx, m->id, 2), 0);
    }
    /* unknown ids are dropped, not recorded */
    report_at(&ctx, "z.sql", "no-such-rule", 1, 0);
    assert_int_equal(ctx.findings.n, 3);
    arena_free(&mem);
}

/* ---- configuration ------------------------------------------------------------- */

static const char *write_tmp(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/test_lint_cfg_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void test_config_severity_and_off(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    lint_config cfg;
    lint_config_init(&cfg);
    assert_string_equal(cfg.tenant_column, "tenant_id");
    const char *p = write_tmp("# lint config\nrules:\n  missing-primary-key: off\n  duplicate-index: error\n"
                              "  plaintext-secret: note\ntenant:\n  column: org_id\n  tables: [invoices, 'pay*']\n");
    assert_int_equal(lint_config_load(&cfg, &mem, p, &dl), 0);
    unlink(p);
    assert_int_equal(dl.items.n, 0);
    assert_string_equal(cfg.tenant_column, "org_id");
    assert_int_equal(cfg.tenant_tables.n, 2);
    assert_string_equal(cfg.tenant_tables.v[1], "pay*");
    lint_ctx ctx;
    lint_ctx_init(&ctx, &mem, &cfg);
    report_at(&ctx, "x.sql", "missing-primary-key", 3, 0);
    report_at(&ctx, "x.sql", "duplicate-index", 2, 0);
    report_at(&ctx, "x.sql", "plaintext-secret", 1, 0);
    report_at(&ctx, "a.sql", "fk-missing-index", 9, 0);
    assert_int_equal(ctx.findings.n, 3);
    assert_int_equal(lint_count(&ctx, DIAG_ERROR), 1);
    assert_int_equal(lint_count(&ctx, DIAG_NOTE), 1);
    assert_int_equal(lint_count(&ctx, DIAG_WARNING), 1);
    lint_sort(&ctx);
    assert_string_equal(ctx.findings.v[0].loc.file, "a.sql");
    assert_int_equal(ctx.findings.v[1].loc.line, 1);
    assert_int_equal(ctx.findings.v[1].severity, DIAG_NOTE);
    assert_int_equal(ctx.findings.v[2].loc.line, 2);
    assert_int_equal(ctx.findings.v[2].severity, DIAG_ERROR);
    arena_free(&mem);
}

static void test_config_errors_located(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    lint_config cfg;
    lint_config_init(&cfg);
    const char *p = write_tmp("rules:\n  missing-primary-key: off\n  not-a-rule: error\n  duplicate-index: loud\n");
    assert_int_equal(lint_config_load(&cfg, &mem, p, &dl), -1);
    assert_int_equal(dl.n_errors, 2);
    assert_int_equal(dl.items.v[0].loc.line, 3);
    assert_int_equal(dl.items.v[0].loc.col, 3);
    assert_non_null(strstr(dl.items.v[0].message, "not-a-rule"));
    assert_int_equal(dl.items.v[1].loc.line, 4);
    assert_int_equal(dl.items.v[1].loc.col, 20);
    unlink(p);
    diag_list_init(&dl, &mem);
    p = write_tmp("rules: {missing-primary-key: off\n");
    assert_int_equal(lint_config_load(&cfg, &mem, p, &dl), -1);
    assert_true(dl.n_errors >= 1);
    assert_string_equal(dl.items.v[0].loc.file, p);
    assert_true(dl.items.v[0].loc.line >= 1);
    unlink(p);
    diag_list_init(&dl, &mem);
    p = write_tmp("# nothing\n\n");
    assert_int_equal(lint_config_load(&cfg, &mem, p, &dl), 0);
    unlink(p);
    assert_int_equal(lint_config_load(&cfg, &mem, "/nonexistent/x.yaml", &dl), -1);
    arena_free(&mem);
}

/* ---- design rules and output on a real catalog ------------------------------------- */

static void test_design_and_sarif(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    const char *sql = "CREATE TABLE orgs (id bigint PRIMARY KEY, created_at timestamptz);\n"
                      "CREATE TABLE users (\n"
                      "  id int PRIMARY KEY,\n"
                      "  org_id int REFERENCES orgs ON DELETE CASCADE,\n"
                      "  password text,\n"
                      "  created_at timestamptz\n"
                      ");\n";
    catalog *cat = catalog_new(DIALECT_PG);
    assert_int_equal(pg_sql_read(cat, "s.sql", sql, strlen(sql), &dl), 0);
    lint_config cfg;
    lint_config_init(&cfg);
    lint_ctx ctx;
    lint_ctx_init(&ctx, &mem, &cfg);
    lint_design_run(&ctx, cat);
    lint_sort(&ctx);
    assert_int_equal(count_rule(&ctx, "fk-type-mismatch", 2), 1);
    assert_int_equal(count_rule(&ctx, "fk-missing-index", 2), 1);
    assert_int_equal(count_rule(&ctx, "plaintext-secret", 2), 1);
    assert_int_equal(count_rule(&ctx, "tenant-table-without-rls", 2), 1);
    assert_int_equal(count_rule(&ctx, "missing-primary-key", 0), 0);
    assert_int_equal(count_rule(&ctx, "fk-missing-on-delete", 0), 0);
    strbuf out = STRBUF_INIT;
    lint_emit_sarif(&out, &ctx);
    const char *s = strbuf_str(&out);
    assert_non_null(strstr(s, "\"version\": \"2.1.0\""));
    assert_non_null(strstr(s, "\"ruleId\": \"fk-type-mismatch\", \"ruleIndex\": 2, \"level\": \"error\""));
    assert_non_null(strstr(s, "\"uri\": \"s.sql\"}, \"region\": {\"startLine\": 2, \"startColumn\": 1}"));
    strbuf_reset(&out);
    lint_emit_text(&out, &ctx, false);
    assert_non_null(strstr(strbuf_str(&out), "s.sql:2:1: error: foreign key column users.org_id is integer but the "
                                             "referenced orgs.id is bigint [fk-type-mismatch]\n"));
    strbuf_release(&out);
    catalog_free(cat);
    arena_free(&mem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry_ids_unique_and_complete),
        cmocka_unit_test(test_registry_alias_lookup),
        cmocka_unit_test(test_ignores_next_statement),
        cmocka_unit_test(test_ignores_file_all_and_alias),
        cmocka_unit_test(test_config_severity_and_off),
        cmocka_unit_test(test_config_errors_located),
        cmocka_unit_test(test_design_and_sarif),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
