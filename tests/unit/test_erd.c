/*
 * test_erd.c — the ERD module (src/report/erd.c) and the report renderers:
 * exact DOT and Mermaid of a small catalog, SVG through libgvc containing
 * every table, HTML/Markdown escaping of hostile comments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "report/report.h"
#include "source/source.h"

static const char small_sql[] =
    "CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL, name varchar(40));\n"
    "COMMENT ON TABLE users IS 'People <script>alert(1)</script> & \"friends\" | pipes';\n"
    "CREATE TABLE orders (id bigint PRIMARY KEY, user_id integer REFERENCES users, total numeric(10,2));\n"
    "CREATE SCHEMA billing;\n"
    "CREATE TABLE billing.invoices (id integer PRIMARY KEY,\n"
    "  order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE);\n";

static catalog *small_catalog(void)
{
    catalog *cat = catalog_new(DIALECT_PG);
    arena mem;
    arena_init(&mem);
    diag_list diags;
    diag_list_init(&diags, &mem);
    assert_int_equal(pg_sql_read(cat, "small.sql", small_sql, strlen(small_sql), &diags), 0);
    assert_false(diag_has_errors(&diags));
    arena_free(&mem);
    return cat;
}

static void test_dot_exact(void **state)
{
    (void)state;
    catalog *cat = small_catalog();
    strbuf out = STRBUF_INIT;
    erd_dot(&out, cat);
    const char *expected =
        "digraph erd {\n"
        "  graph [rankdir=LR, fontname=\"Helvetica\", nodesep=0.4, ranksep=0.8];\n"
        "  node [shape=plaintext, fontname=\"Helvetica\", fontsize=10];\n"
        "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\", arrowhead=normal];\n"
        "  \"public.users\" [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"4\"><tr><td bgcolor=\"#dbe4f0\" colspan=\"3\"><b>users</b></td></tr><tr><td align=\"left\">PK</td><td align=\"left\">id</td><td align=\"left\">integer</td></tr><tr><td align=\"left\"> </td><td align=\"left\">email</td><td align=\"left\">text NOT NULL</td></tr><tr><td align=\"left\"> </td><td align=\"left\">name</td><td align=\"left\">character varying(40)</td></tr></table>>];\n"
        "  \"public.orders\" [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"4\"><tr><td bgcolor=\"#dbe4f0\" colspan=\"3\"><b>orders</b></td></tr><tr><td align=\"left\">PK</td><td align=\"left\">id</td><td align=\"left\">bigint</td></tr><tr><td align=\"left\">FK</td><td align=\"left\">user_id</td><td align=\"left\">integer</td></tr><tr><td align=\"left\"> </td><td align=\"left\">total</td><td align=\"left\">numeric(10,2)</td></tr></table>>];\n"
        "  \"billing.invoices\" [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"4\"><tr><td bgcolor=\"#dbe4f0\" colspan=\"3\"><b>billing.invoices</b></td></tr><tr><td align=\"left\">PK</td><td align=\"left\">id</td><td align=\"left\">integer</td></tr><tr><td align=\"left\">FK</td><td align=\"left\">order_id</td><td align=\"left\">bigint NOT NULL</td></tr></table>>];\n"
        "  \"public.orders\" -> \"public.users\" [label=\"user_id -> id\"];\n"
        "  \"billing.invoices\" -> \"public.orders\" [label=\"order_id -> id\"];\n"
        "}\n";
    assert_string_equal(strbuf_str(&out), expected);
    strbuf_release(&out);
    catalog_free(cat);
}

static void test_mermaid_exact(void **state)
{
    (void)state;
    catalog *cat = small_catalog();
    strbuf out = STRBUF_INIT;
    erd_mermaid(&out, cat);
    const char *expected =
        "erDiagram\n"
        "    users {\n"
        "        integer id PK\n"
        "        text email\n"
        "        character_varying_40 name\n"
        "    }\n"
        "    orders {\n"
        "        bigint id PK\n"
        "        integer user_id FK\n"
        "        numeric_10_2 total\n"
        "    }\n"
        "    billing_invoices {\n"
        "        integer id PK\n"
        "        bigint order_id FK\n"
        "    }\n"
        "    orders }o--o| users : \"user_id\"\n"
        "    billing_invoices }o--|| orders : \"order_id\"\n";
    assert_string_equal(strbuf_str(&out), expected);
    strbuf_release(&out);
    catalog_free(cat);
}

static void test_svg_has_every_table(void **state)
{
    (void)state;
    catalog *cat = small_catalog();
    arena mem;
    arena_init(&mem);
    diag_list diags;
    diag_list_init(&diags, &mem);
    strbuf dot = STRBUF_INIT, svg = STRBUF_INIT;
    erd_dot(&dot, cat);
    assert_int_equal(erd_svg(&svg, strbuf_str(&dot), &diags), 0);
    assert_int_equal(diags.items.n, 0);
    const char *s = strbuf_str(&svg);
    assert_non_null(strstr(s, "<svg"));
    assert_non_null(strstr(s, ">users</text>"));
    assert_non_null(strstr(s, ">orders</text>"));
    assert_non_null(strstr(s, ">billing.invoices</text>"));
    assert_non_null(strstr(s, ">user_id &#45;&gt; id</text>"));
    strbuf_release(&dot);
    strbuf_release(&svg);
    arena_free(&mem);
    catalog_free(cat);
}

static void test_svg_bad_dot_is_a_diagnostic(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    diag_list diags;
    diag_list_init(&diags, &mem);
    strbuf svg = STRBUF_INIT;
    assert_int_equal(erd_svg(&svg, "digraph {", &diags), -1);
    assert_true(diag_has_errors(&diags));
    assert_int_equal(svg.len, 0);
    strbuf_release(&svg);
    arena_free(&mem);
}

static void test_html_escapes_comments(void **state)
{
    (void)state;
    catalog *cat = small_catalog();
    arena mem;
    arena_init(&mem);
    diag_list diags;
    diag_list_init(&diags, &mem);
    strbuf out = STRBUF_INIT;
    report_input in = {.title = "A <b>title</b>", .cat = cat};
    assert_int_equal(report_render(&out, REPORT_HTML, &in, &diags), 0);
    const char *s = strbuf_str(&out);
    assert_null(strstr(s, "<script"));
    assert_null(strstr(s, "<b>title"));
    assert_non_null(strstr(s, "<title>A &lt;b&gt;title&lt;/b&gt;</title>"));
    assert_non_null(strstr(s, "People &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;friends&quot; | pipes"));
    assert_non_null(strstr(s, "<section class=\"table\" id=\"table-billing.invoices\">"));
    assert_non_null(strstr(s, "FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE"));
    assert_null(strstr(s, "<?xml"));
    assert_null(strstr(s, "<!DOCTYPE svg"));
    strbuf_release(&out);

    strbuf_init(&out);
    assert_int_equal(report_render(&out, REPORT_MARKDOWN, &in, &diags), 0);
    s = strbuf_str(&out);
    assert_null(strstr(s, "<script"));
    assert_non_null(strstr(s, "People &lt;script&gt;alert(1)&lt;/script&gt; &amp; \"friends\" \\| pipes"));
    assert_non_null(strstr(s, "```mermaid\nerDiagram\n"));
    strbuf_release(&out);
    arena_free(&mem);
    catalog_free(cat);
}

static void test_format_from_path(void **state)
{
    (void)state;
    report_format f = REPORT_JSON;
    assert_true(report_format_from_path("a/b.HTML", &f));
    assert_int_equal(f, REPORT_HTML);
    assert_true(report_format_from_path("r.md", &f));
    assert_int_equal(f, REPORT_MARKDOWN);
    assert_true(report_format_from_path("r.json", &f));
    assert_int_equal(f, REPORT_JSON);
    assert_false(report_format_from_path("r.pdf", &f));
    assert_false(report_format_from_path("report", &f));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dot_exact),
        cmocka_unit_test(test_mermaid_exact),
        cmocka_unit_test(test_svg_has_every_table),
        cmocka_unit_test(test_svg_bad_dot_is_a_diagnostic),
        cmocka_unit_test(test_html_escapes_comments),
        cmocka_unit_test(test_format_from_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
