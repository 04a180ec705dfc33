/*
 * test_spec.c — unit tests of the import spec reader (src/data/spec.c: the
 * model, every error at spec:line:col) and of the import casts
 * (src/data/import_cast.c: integer, real, boolean, timestamp incl. epoch
 * seconds/ms and offsets, date, json, blob).
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

#include "data/import_int.h"
#include "data/spec.h"

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_spec.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *write_spec(arena *mem, const char *text)
{
    const char *path = arena_printf(mem, "%s/dbsage.yaml", tmpdir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* the diagnostics as "line:col: message\n" lines */
static const char *diag_text(arena *mem, const diag_list *dl)
{
    char *out = arena_strdup(mem, "");
    for (size_t i = 0; i < dl->items.n; i++)
        out = arena_printf(mem, "%s%u:%u: %s\n", out, dl->items.v[i].loc.line, dl->items.v[i].loc.col,
                           dl->items.v[i].message);
    return out;
}

static void test_model(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    const char *path = write_spec(&mem, "version: 1\n"
                                        "into: sqlite:x.db\n"
                                        "migrations: migrations/\n"
                                        "constants: {daemon_id: cass}\n"
                                        "sources:\n"
                                        "  - name: conv\n"
                                        "    files: data/{id}.json\n"
                                        "    format: json\n"
                                        "    tables:\n"
                                        "      - table: app.conversations\n"
                                        "        key: id\n"
                                        "        columns:\n"
                                        "          id: $.id\n"
                                        "          daemon: {const: daemon_id}\n"
                                        "          tag: {const: 'x-${daemon_id}'}\n"
                                        "          at: {path: $.at, type: timestamp, required: true}\n"
                                        "          t: {path: $.t, default: none, sql: 'lower(?)'}\n"
                                        "      - table: messages\n"
                                        "        each: $.messages\n"
                                        "        key: [cid, ord]\n"
                                        "        columns: {cid: $parent.id, ord: $index}\n");
    import_spec *s = spec_load(&mem, path, &dl);
    if (!s)
        fail_msg("%s", diag_text(&mem, &dl));
    assert_string_equal(s->into, "sqlite:x.db");
    assert_string_equal(s->migrations, arena_printf(&mem, "%s/migrations/", tmpdir));
    assert_string_equal(s->base_dir, tmpdir);
    assert_int_equal(s->sources.n, 1);
    const spec_source *src = &s->sources.v[0];
    assert_string_equal(src->name, "conv");
    assert_int_equal(src->format, DOC_JSON);
    assert_int_equal(src->tables.n, 2);
    const spec_table *t = &src->tables.v[0];
    assert_string_equal(t->schema, "app");
    assert_string_equal(t->name, "conversations");
    assert_int_equal(t->loc.line, 10);
    assert_int_equal(t->loc.col, 16);
    assert_int_equal(t->key.n, 1);
    assert_string_equal(t->key.v[0], "id");
    assert_null(t->each);
    assert_int_equal(t->columns.n, 5);
    assert_true(t->columns.v[1].is_const);
    assert_string_equal(t->columns.v[1].const_value, "cass");
    assert_string_equal(t->columns.v[2].const_value, "x-cass");
    assert_int_equal(t->columns.v[3].type, SPEC_TIMESTAMP);
    assert_true(t->columns.v[3].required);
    assert_string_equal(t->columns.v[4].def, "none");
    assert_string_equal(t->columns.v[4].sql, "lower(?)");
    assert_non_null(src->tables.v[1].each);
    assert_int_equal(src->tables.v[1].key.n, 2);
    assert_ptr_equal(spec_find_source(s, "conv"), src);
    assert_null(spec_find_source(s, "nope"));
    arena_free(&mem);
}

static void test_errors(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    const char *path = write_spec(&mem, "version: 2\n"
                                        "colour: red\n"
                                        "sources:\n"
                                        "  - name: a\n"
                                        "    files: x/*.json\n"
                                        "    format: xml\n"
                                        "    tables:\n"
                                        "      - table: t\n"
                                        "        rows: element\n"
                                        "        key: [k]\n"
                                        "        columns:\n"
                                        "          c: {path: $.c, type: number, required: maybe}\n"
                                        "          d: {path: $.d, const: x}\n"
                                        "          e: {sql: 'now()', path: $.e}\n"
                                        "          f: {const: '${nope}'}\n"
                                        "  - name: a\n"
                                        "    files: y/*.json\n"
                                        "    tables: []\n");
    assert_null(spec_load(&mem, path, &dl));
    const char *got = diag_text(&mem, &dl);
    const char *want[] = {
        "1:10: unsupported spec version '2' (1)",
        "2:1: unknown spec key 'colour'",
        "6:13: unknown format 'xml'",
        "9:15: rows must be 'document'",
        "12:32: unknown type 'number'",
        "12:50: required must be true or false, not 'maybe'",
        "13:15: column 'd': path and const exclude each other",
        "14:21: sql expression 'now()' must use the value as '?'",
        "15:23: unknown constant 'nope'",
        "8:16: key column 'k' is not one of the table's columns",
        "16:11: source name 'a' used twice",
        "18:5: a source needs tables: (a non-empty list)",
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        if (!strstr(got, want[i]))
            fail_msg("missing \"%s\" in:\n%s", want[i], got);
    /* YAML syntax error */
    arena_free(&mem);
    arena_init(&mem);
    diag_list_init(&dl, &mem);
    path = write_spec(&mem, "sources:\n  - name: [a\n");
    assert_null(spec_load(&mem, path, &dl));
    assert_true(dl.n_errors >= 1);
    assert_non_null(strstr(dl.items.v[0].message, "invalid YAML"));
    assert_int_not_equal(dl.items.v[0].loc.line, 0);
    /* missing file */
    arena_free(&mem);
    arena_init(&mem);
    diag_list_init(&dl, &mem);
    assert_null(spec_load(&mem, "/nonexistent/dbsage.yaml", &dl));
    assert_non_null(strstr(dl.items.v[0].message, "cannot read the import spec"));
    arena_free(&mem);
}

/* cast text as t on d: the result text (ints/reals printed), or "!" + reason */
static const char *cast(arena *mem, spec_type t, dialect d, const char *text)
{
    import_value v;
    const char *why = import_cast(t, d, text, false, mem, &v);
    if (why)
        return arena_printf(mem, "!%s", why);
    switch (v.kind) {
    case IV_INT:
        return arena_printf(mem, "i%lld", (long long)v.i);
    case IV_REAL:
        return arena_printf(mem, "r%g", v.d);
    case IV_BLOB:
        return arena_printf(mem, "b%.*s", (int)v.len, v.s);
    default:
        return arena_strndup(mem, v.s, v.len);
    }
}

static void test_casts(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    const dialect S = DIALECT_SQLITE, P = DIALECT_PG;
    assert_string_equal(cast(&mem, SPEC_INTEGER, S, "42"), "i42");
    assert_string_equal(cast(&mem, SPEC_INTEGER, S, "-7"), "i-7");
    assert_string_equal(cast(&mem, SPEC_INTEGER, S, "4.0"), "i4");
    assert_string_equal(cast(&mem, SPEC_INTEGER, S, "abc"), "!cannot read 'abc' as integer");
    assert_string_equal(cast(&mem, SPEC_INTEGER, S, "4.5"), "!cannot read '4.5' as integer");
    assert_string_equal(cast(&mem, SPEC_INTEGER, S, "99999999999999999999"),
                        "!cannot read '99999999999999999999' as integer");
    assert_string_equal(cast(&mem, SPEC_INTEGER, S, ""), "!cannot read '' as integer");
    assert_string_equal(cast(&mem, SPEC_REAL, S, "2.5"), "r2.5");
    assert_string_equal(cast(&mem, SPEC_REAL, S, "1e3"), "r1000");
    assert_string_equal(cast(&mem, SPEC_REAL, S, "nan"), "!cannot read 'nan' as real");
    assert_string_equal(cast(&mem, SPEC_BOOLEAN, S, "true"), "i1");
    assert_string_equal(cast(&mem, SPEC_BOOLEAN, S, "No"), "i0");
    assert_string_equal(cast(&mem, SPEC_BOOLEAN, P, "yes"), "true");
    assert_string_equal(cast(&mem, SPEC_BOOLEAN, P, "0"), "false");
    assert_string_equal(cast(&mem, SPEC_BOOLEAN, S, "maybe"), "!cannot read 'maybe' as boolean");
    assert_string_equal(cast(&mem, SPEC_TIMESTAMP, S, "0"), "1970-01-01T00:00:00Z");
    assert_string_equal(cast(&mem, SPEC_TIMESTAMP, S, "1700000000"), "2023-11-14T22:13:20Z");
    assert_string_equal(cast(&mem, SPEC_TIMESTAMP, S, "1700000000123"), "2023-11-14T22:13:20.123Z");
    assert_string_equal(cast(&mem, SPEC_TIMESTAMP, S, "1700000000.5"), "2023-11-14T22:13:20.500Z");
    assert_string_equal(cast(&mem, SPEC_TIMESTAMP, S, "2024-03-01T10:00:00+02:00"), "2024-03-01T08:00:00Z");
    assert_string_equal(cast(&mem, SPEC_TIMESTAMP, S, "2024-03-01 00:30-0100"), "2024-03-01T01:30:00Z");
    assert_string_equal(cast(&mem, SPEC_TIMESTAMP, S, "2024-01-01T00:00:00.250Z"), "2024-01-01T00:00:00.250Z");
    assert_string_equal(cast(&mem, SPEC_TIMESTAMP, S, "2024-02-29"), "2024-02-29T00:00:00Z");
    assert_string_equal(cast(&mem, SPEC_TIMESTAMP, S, "2023-02-29"), "!cannot read '2023-02-29' as timestamp");
    assert_string_equal(cast(&mem, SPEC_TIMESTAMP, S, "yesterday"), "!cannot read 'yesterday' as timestamp");
    assert_string_equal(cast(&mem, SPEC_TIMESTAMP, S, "2024-01-01T25:00"), "!cannot read '2024-01-01T25:00' as timestamp");
    assert_string_equal(cast(&mem, SPEC_DATE, S, "2024-02-29"), "2024-02-29");
    assert_string_equal(cast(&mem, SPEC_DATE, S, "2024-13-01"), "!cannot read '2024-13-01' as date");
    assert_string_equal(cast(&mem, SPEC_JSON, S, "12"), "12");
    assert_string_equal(cast(&mem, SPEC_JSON, S, "true"), "true");
    assert_string_equal(cast(&mem, SPEC_JSON, S, "he said \"hi\""), "\"he said \\\"hi\\\"\"");
    assert_string_equal(cast(&mem, SPEC_BLOB, S, "aGVsbG8="), "bhello");
    assert_string_equal(cast(&mem, SPEC_BLOB, S, "a*b"), "!cannot read 'a*b' as base64 blob");
    assert_string_equal(cast(&mem, SPEC_TEXT, S, "anything"), "anything");
    /* a mapping where a scalar type is expected */
    import_value v;
    assert_string_equal(import_cast(SPEC_INTEGER, S, "{\"a\":1}", true, &mem, &v), "cannot read a mapping as integer");
    assert_null(import_cast(SPEC_JSON, S, "[1,2]", true, &mem, &v));
    assert_string_equal(v.s, "[1,2]");
    /* long values are shortened in the reason */
    char longv[200];
    memset(longv, 'x', sizeof longv - 1);
    longv[sizeof longv - 1] = 0;
    assert_true(strlen(cast(&mem, SPEC_INTEGER, S, longv)) < 120);
    arena_free(&mem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_casts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
