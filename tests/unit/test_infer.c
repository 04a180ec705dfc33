/*
 * test_infer.c — unit tests of src/data/infer*: scalar typing and widening,
 * names (snake_case, plural, singular, id-like directories), and whole runs
 * over directories written here: every document counts (a field seen only
 * in the 250th of 300 files), NDJSON without ids (no key), JSON arrays at
 * the root (each: $, key file+ordinal), numeric directories as captures,
 * conflicts, and the SQLite DDL applied to a real in-memory database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "data/infer.h"
#include "util/arena.h"
#include "util/strbuf.h"

static void test_scalar_types(void **state)
{
    (void)state;
#define T(s, plain) infer_scalar_type(s, strlen(s), plain)
    assert_int_equal(T("", true), INFER_NONE);
    assert_int_equal(T("null", true), INFER_NONE);
    assert_int_equal(T("~", true), INFER_NONE);
    assert_int_equal(T("null", false), INFER_TEXT);
    assert_int_equal(T("true", true), INFER_BOOLEAN);
    assert_int_equal(T("False", true), INFER_BOOLEAN);
    assert_int_equal(T("true", false), INFER_TEXT);
    assert_int_equal(T("42", true), INFER_INTEGER);
    assert_int_equal(T("-42", true), INFER_INTEGER);
    assert_int_equal(T("42", false), INFER_TEXT);
    assert_int_equal(T("007", true), INFER_TEXT);
    assert_int_equal(T("99999999999999999999", true), INFER_TEXT);
    assert_int_equal(T("1.5", true), INFER_REAL);
    assert_int_equal(T("-1e10", true), INFER_REAL);
    assert_int_equal(T("1.", true), INFER_REAL);
    assert_int_equal(T("e5", true), INFER_TEXT);
    assert_int_equal(T("2024-02-29", true), INFER_DATE);
    assert_int_equal(T("2024-02-29", false), INFER_DATE);
    assert_int_equal(T("2024-13-45", true), INFER_TEXT);
    assert_int_equal(T("2024-02-29T10:00:00Z", false), INFER_TIMESTAMP);
    assert_int_equal(T("2024-02-29T10:00:00.123456+02:00", false), INFER_TIMESTAMP);
    assert_int_equal(T("2024-02-29 10:00", false), INFER_TIMESTAMP);
    assert_int_equal(T("2024-02-29T10:00:00+0200", false), INFER_TIMESTAMP);
    assert_int_equal(T("2024-02-29T10:00:00 UTC", false), INFER_TEXT);
    assert_int_equal(T("2024-02-29T10", false), INFER_TEXT);
    assert_int_equal(T("hello", true), INFER_TEXT);
#undef T
}

static void test_widen(void **state)
{
    (void)state;
    assert_int_equal(infer_widen(INFER_NONE, INFER_INTEGER), INFER_INTEGER);
    assert_int_equal(infer_widen(INFER_INTEGER, INFER_NONE), INFER_INTEGER);
    assert_int_equal(infer_widen(INFER_INTEGER, INFER_REAL), INFER_REAL);
    assert_int_equal(infer_widen(INFER_REAL, INFER_INTEGER), INFER_REAL);
    assert_int_equal(infer_widen(INFER_REAL, INFER_TEXT), INFER_TEXT);
    assert_int_equal(infer_widen(INFER_INTEGER, INFER_BOOLEAN), INFER_TEXT);
    assert_int_equal(infer_widen(INFER_DATE, INFER_TIMESTAMP), INFER_TIMESTAMP);
    assert_int_equal(infer_widen(INFER_TIMESTAMP, INFER_DATE), INFER_TIMESTAMP);
    assert_int_equal(infer_widen(INFER_DATE, INFER_INTEGER), INFER_TEXT);
    assert_int_equal(infer_widen(INFER_BOOLEAN, INFER_BOOLEAN), INFER_BOOLEAN);
    assert_string_equal(infer_type_name(INFER_TIMESTAMP), "timestamp");
    assert_string_equal(infer_type_name(INFER_NONE), "text");
}

static void test_names(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    assert_string_equal(infer_snake(&mem, "createdAt"), "created_at");
    assert_string_equal(infer_snake(&mem, "Self Model"), "self_model");
    assert_string_equal(infer_snake(&mem, "self-model"), "self_model");
    assert_string_equal(infer_snake(&mem, "HTTPServer"), "http_server");
    assert_string_equal(infer_snake(&mem, "$body"), "body");
    assert_string_equal(infer_snake(&mem, "2024"), "t_2024");
    assert_string_equal(infer_snake(&mem, "--"), "col");
    assert_string_equal(infer_plural(&mem, "user"), "users");
    assert_string_equal(infer_plural(&mem, "users"), "users");
    assert_string_equal(infer_plural(&mem, "entry"), "entries");
    assert_string_equal(infer_plural(&mem, "day"), "days");
    assert_string_equal(infer_plural(&mem, "box"), "boxes");
    assert_string_equal(infer_plural(&mem, "data"), "data");
    assert_string_equal(infer_singular(&mem, "users"), "user");
    assert_string_equal(infer_singular(&mem, "entries"), "entry");
    assert_string_equal(infer_singular(&mem, "boxes"), "box");
    assert_string_equal(infer_singular(&mem, "status"), "status");
    assert_string_equal(infer_singular(&mem, "wiki"), "wiki");
    assert_true(infer_is_id_name("3f2a9c1e-8b4d-4e6f-9a7b-1c2d3e4f5a6b"));
    assert_true(infer_is_id_name("12345"));
    assert_true(infer_is_id_name("deadbeef01"));
    assert_false(infer_is_id_name("alice"));
    assert_false(infer_is_id_name("deadbeef"));
    assert_false(infer_is_id_name("2024-01"));
    arena_free(&mem);
}

/* ---- whole runs ------------------------------------------------------------------ */

typedef struct run {
    char dir[64];
    arena mem;
    diag_list diags;
    infer_ctx *ix;
    strbuf spec, report, ddl;
} run;

static void put(const char *dir, const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    for (char *p = path + strlen(dir) + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            mkdir(path, 0777);
            *p = '/';
        }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void run_start(run *r)
{
    memset(r, 0, sizeof *r);
    strcpy(r->dir, "/tmp/dbsage-test-infer.XXXXXX");
    assert_non_null(mkdtemp(r->dir));
    arena_init(&r->mem);
    diag_list_init(&r->diags, &r->mem);
}

static void run_infer(run *r)
{
    r->ix = infer_new(&r->mem, r->dir);
    assert_int_equal(infer_add_dir(r->ix, arena_printf(&r->mem, "%s/data", r->dir), &r->diags), 0);
    infer_finish(r->ix);
    infer_write_spec(r->ix, &r->spec, "migrations/");
    infer_report_text(r->ix, &r->report);
    infer_write_up(r->ix, &r->ddl, DIALECT_SQLITE);
}

static void run_end(run *r)
{
    infer_free(r->ix);
    strbuf_release(&r->spec);
    strbuf_release(&r->report);
    strbuf_release(&r->ddl);
    arena_free(&r->mem);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", r->dir);
    assert_int_equal(system(cmd), 0);
}

static void assert_contains(const strbuf *sb, const char *needle)
{
    if (!strstr(strbuf_str(sb), needle))
        fail_msg("expected to find\n%s\nin\n%s", needle, strbuf_str(sb));
}

static void assert_applies(const strbuf *ddl)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    char *err = NULL;
    if (sqlite3_exec(db, strbuf_str(ddl), NULL, NULL, &err) != SQLITE_OK)
        fail_msg("DDL does not apply: %s\n%s", err, strbuf_str(ddl));
    sqlite3_close(db);
}

static void test_every_document(void **state)
{
    (void)state;
    run r;
    run_start(&r);
    for (int i = 0; i < 300; i++) {
        char rel[64], text[128];
        snprintf(rel, sizeof rel, "data/items/item%03d.json", i);
        if (i == 250)
            snprintf(text, sizeof text, "{\"id\": %d, \"rare\": \"x\", \"n\": 1.5}", i);
        else
            snprintf(text, sizeof text, "{\"id\": %d, \"n\": %d}", i, i);
        put(r.dir, rel, text);
    }
    run_infer(&r);
    assert_int_equal(r.diags.n_errors, 0);
    assert_contains(&r.report, "items: 300 rows from data/items/*.json (300 files, 300 documents), key (id)");
    assert_contains(&r.report, "  rare                     text       null  (1 present, 0 null)");
    assert_contains(&r.report, "  n                        real       not null");
    assert_contains(&r.spec, "          id: {path: $.id, type: integer}\n");
    assert_contains(&r.ddl, "CREATE TABLE items (\n    id INTEGER NOT NULL,\n    n REAL NOT NULL,\n    rare TEXT,\n");
    assert_applies(&r.ddl);
    run_end(&r);
}

static void test_shapes(void **state)
{
    (void)state;
    run r;
    run_start(&r);
    /* NDJSON, no id, several documents per file: no key */
    put(r.dir, "data/logs/a.ndjson", "{\"level\": \"info\", \"code\": \"007\"}\n{\"level\": \"warn\", \"code\": \"12\"}\n");
    /* a JSON array at the root */
    put(r.dir, "data/lists/l.json", "[{\"name\": \"a\", \"when\": \"2024-01-01\"}, {\"name\": \"b\"}]");
    /* numeric directories: captures */
    put(r.dir, "data/orders/1/order.json", "{\"total\": 3, \"extra\": null, \"lines\": [{\"sku\": \"x\"}]}");
    put(r.dir, "data/orders/2/order.json", "{\"total\": 4, \"extra\": null, \"lines\": []}");
    /* a field that is an object in one document, a string in the other */
    put(r.dir, "data/things/a.yaml", "id: a\nmeta: {k: 1}\n");
    put(r.dir, "data/things/b.yaml", "id: b\nmeta: plain\n");
    /* duplicate ids: not a key */
    put(r.dir, "data/dups/a.json", "{\"id\": 1}");
    put(r.dir, "data/dups/b.json", "{\"id\": 1}");
    /* leaf directories of one extension below DIR's level: slugs */
    put(r.dir, "data/wiki/concept/a.md", "---\ntitle: A\n---\n# Heading A\ntext\n");
    put(r.dir, "data/wiki/entity/b.md", "---\ntitle: B\n---\nno heading\n");
    run_infer(&r);
    assert_int_equal(r.diags.n_errors, 0);
    assert_contains(&r.spec, "    files: data/wiki/{wiki_id}/*.md\n    format: markdown\n");
    assert_contains(&r.spec, "          wiki_id: $file.wiki_id\n          title: $.title\n          body: '$.\"$body\"'\n"
                             "          heading: '$.\"$title\"'\n");
    assert_contains(&r.report, "logs: 2 rows from data/logs/*.ndjson (1 files, 2 documents), no key\n");
    assert_contains(&r.report, "note: several documents per file and no unique id field");
    assert_contains(&r.report, "  code                     text");
    assert_contains(&r.spec, "      - table: lists\n        each: $\n        key: [file, ordinal]\n");
    assert_contains(&r.report, "  when                     date       null");
    assert_contains(&r.spec, "    files: data/orders/{order_id}/order.json\n");
    assert_contains(&r.spec, "          order_id: {path: $file.order_id, type: integer}\n");
    assert_contains(&r.spec, "      - table: lines\n        each: $.lines\n        key: [order_id, ordinal]\n");
    assert_contains(&r.spec, "          order_id: {path: $file.order_id, type: integer}\n          ordinal:");
    assert_contains(&r.report, "note: field 'extra' is always null: text");
    assert_contains(&r.report, "note: field 'meta' is sometimes an object, sometimes a scalar (1 of 2)");
    assert_contains(&r.spec, "      - table: dups\n        key: [file]\n");
    assert_contains(&r.ddl, "FOREIGN KEY (order_id) REFERENCES orders (order_id) ON DELETE CASCADE");
    assert_applies(&r.ddl);

    strbuf json = STRBUF_INIT;
    infer_report_json(r.ix, &json);
    assert_contains(&json, "\"name\":\"lines\"");
    assert_contains(&json, "\"parent\":\"orders\",\"each\":\"$.lines\"");
    strbuf_release(&json);

    strbuf pg = STRBUF_INIT;
    infer_write_up(r.ix, &pg, DIALECT_PG);
    assert_contains(&pg, "    order_id bigint NOT NULL,");
    assert_contains(&pg, "CONSTRAINT lines_pkey PRIMARY KEY (order_id, ordinal)");
    assert_contains(&pg, "meta jsonb");
    if (strstr(strbuf_str(&pg), "BEGIN;"))
        fail_msg("framing left in:\n%s", strbuf_str(&pg));
    strbuf_release(&pg);
    run_end(&r);
}

static void test_malformed(void **state)
{
    (void)state;
    run r;
    run_start(&r);
    put(r.dir, "data/docs/good.json", "{\"id\": 1}");
    put(r.dir, "data/docs/bad.json", "{\"id\": 2,\n\"x\": }");
    run_infer(&r);
    assert_int_equal(r.diags.n_errors, 1);
    assert_int_equal(r.diags.items.v[0].loc.line, 2);
    assert_int_equal(infer_malformed_count(r.ix), 1);
    assert_contains(&r.report, "docs: 1 rows");
    run_end(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalar_types), cmocka_unit_test(test_widen),     cmocka_unit_test(test_names),
        cmocka_unit_test(test_every_document), cmocka_unit_test(test_shapes), cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
