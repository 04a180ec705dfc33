/*
 * test_inventory.c — unit tests of the inventory's SQL extraction from
 * Python / JavaScript / TypeScript string literals (inv_extract_sql): the
 * masked text keeps the host file's length and line structure, keeps only
 * literals that look like SQL, turns escapes and interpolations into blanks
 * and ends each kept literal with ';'.  Plus random bytes: never a crash,
 * length and newlines preserved.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "analysis/inventory.h"

static char *mask(const char *host, const char *text, bool *any)
{
    char *t = strdup(text);
    *any = inv_extract_sql(host, t, strlen(t));
    return t;
}

/* the masked text with runs of blanks squeezed, for readable expectations */
static char *squeeze(const char *s)
{
    char *o = malloc(strlen(s) + 1), *p = o;
    for (; *s; s++) {
        if (*s == ' ' && (p == o || p[-1] == ' ' || p[-1] == '\n'))
            continue;
        if (*s == '\n' && p > o && p[-1] == ' ')
            p--;
        *p++ = *s;
    }
    *p = 0;
    return o;
}

static void check(const char *host, const char *text, const char *expected, bool expect_any)
{
    bool any;
    char *m = mask(host, text, &any);
    assert_int_equal(strlen(m), strlen(text));
    for (size_t i = 0; text[i]; i++)
        assert_true((text[i] == '\n') == (m[i] == '\n'));
    char *s = squeeze(m);
    bool same = !strcmp(s, expected);
    if (!same)
        print_error("masked: [%s]\nwanted: [%s]\n", s, expected);
    free(s);
    free(m);
    assert_true(same);
    assert_int_equal(any, expect_any);
}

static void test_python_literals(void **state)
{
    (void)state;
    check("python",
          "import os\n"
          "# 'CREATE TABLE in_a_comment (x int)'\n"
          "SQL = \"\"\"\n"
          "CREATE TABLE t (a int);\n"
          "\"\"\"\n"
          "Q = 'SELECT 1'\n"
          "R = r'ALTER TABLE t ADD COLUMN b text'\n",
          "\n\n\nCREATE TABLE t (a int);\n;\n\nALTER TABLE t ADD COLUMN b text;\n", true);
}

static void test_python_escapes_and_fstrings(void **state)
{
    (void)state;
    /* \n inside a one-line string becomes blanks; {name} of an f-string too; {{ and }} are
     * braces (the doubled one becomes a blank: lengths must stay) */
    check("python", "x = f\"CREATE TABLE {name} (a int DEFAULT '{{}}')\\n\"\n",
          "CREATE TABLE (a int DEFAULT ' {} ') ;\n", true);
    check("python", "x = 'no sql here'\ny = \"nor here\"\n", "\n\n", false);
    /* two-letter prefixes; a name ending in r/b/f/u is not a prefix (the quote after it is
     * then not taken as the start of a string either) */
    check("python", "u = Br'CREATE TABLE z (a int)'\nbar = 1\n", "CREATE TABLE z (a int);\n\n", true);
}

static void test_js_literals(void **state)
{
    (void)state;
    check("javascript",
          "// 'CREATE TABLE c1 (x int)'\n"
          "/* \"CREATE TABLE c2 (x int)\" */\n"
          "db.exec(`CREATE TABLE t (a ${type}, b text)`);\n"
          "const s = 'DROP TABLE old';\n"
          "const n = \"hello\";\n",
          "\n\nCREATE TABLE t (a , b text);\nDROP TABLE old;\n\n", true);
    /* a template spanning lines keeps them; a ` inside ${} does not end it */
    check("typescript", "q = `\n  CREATE TABLE u (\n    id int ${`x`}\n  )`;\n",
          "\nCREATE TABLE u (\nid int\n);\n", true);
}

static void test_unterminated(void **state)
{
    (void)state;
    bool any;
    char *m = mask("python", "S = \"\"\"CREATE TABLE t (a int)", &any);
    assert_true(any);
    assert_int_equal(strlen(m), strlen("S = \"\"\"CREATE TABLE t (a int)"));
    free(m);
    m = mask("javascript", "s = `CREATE TABLE t (a ${", &any);
    free(m);
}

static void test_random_bytes(void **state)
{
    (void)state;
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    static const char alphabet[] = "'\"`\\{}$#/*\nCREATE TABLE rfbu ;-";
    for (int round = 0; round < 2000; round++) {
        char buf[200];
        size_t n = (size_t)(round % 199) + 1;
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            buf[i] = alphabet[x % (sizeof alphabet - 1)];
        }
        buf[n] = 0;
        for (int h = 0; h < 2; h++) {
            char *t = strdup(buf);
            inv_extract_sql(h ? "python" : "javascript", t, n);
            for (size_t i = 0; i < n; i++)
                assert_true((buf[i] == '\n') == (t[i] == '\n'));
            free(t);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_python_literals),
        cmocka_unit_test(test_python_escapes_and_fstrings),
        cmocka_unit_test(test_js_literals),
        cmocka_unit_test(test_unterminated),
        cmocka_unit_test(test_random_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
