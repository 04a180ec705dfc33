/*
 * test_compare.c — the integration analysis of src/analysis/compare.h on
 * small catalogs read from SQL: greedy best-score pairing (one table per
 * side), the threshold, --schema-map restrictions, tenant copies, one-side-only
 * objects, and FK-graph hint propagation (references, referrers, association
 * tables; no hint without a common column or against the FK direction).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare.h"
#include "source/source.h"

typedef struct fx {
    arena mem;
    diag_list diags;
    catalog *a, *b;
    compare_opts opts;
    compare_result r;
} fx;

static int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    arena_init(&f->mem);
    diag_list_init(&f->diags, &f->mem);
    f->a = catalog_new(DIALECT_PG);
    f->b = catalog_new(DIALECT_PG);
    compare_opts_init(&f->opts);
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    fx *f = *state;
    catalog_free(f->a);
    catalog_free(f->b);
    arena_free(&f->mem);
    free(f);
    return 0;
}

static void run(fx *f, const char *sql_a, const char *sql_b)
{
    assert_int_equal(pg_sql_read(f->a, "a.sql", sql_a, strlen(sql_a), &f->diags), 0);
    assert_int_equal(pg_sql_read(f->b, "b.sql", sql_b, strlen(sql_b), &f->diags), 0);
    assert_false(diag_has_errors(&f->diags));
    catalog_sort(f->a);
    catalog_sort(f->b);
    compare_catalogs(&f->mem, f->a, f->b, &f->opts, &f->r);
}

/* "a=b a=b ..." of the overlaps or hints */
static const char *pairs(fx *f, bool hints)
{
    strbuf sb = STRBUF_INIT;
    size_t n = hints ? f->r.hints.n : f->r.overlaps.n;
    for (size_t i = 0; i < n; i++) {
        if (i)
            strbuf_addch(&sb, ' ');
        if (hints)
            strbuf_addf(&sb, "%s=%s", f->r.hints.v[i].a_name, f->r.hints.v[i].b_name);
        else
            strbuf_addf(&sb, "%s=%s", f->r.overlaps.v[i].a_name, f->r.overlaps.v[i].b_name);
    }
    const char *s = arena_strdup(&f->mem, strbuf_str(&sb));
    strbuf_release(&sb);
    return s;
}

static const char *objects(fx *f, const compare_object_vec *v)
{
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < v->n; i++)
        strbuf_addf(&sb, "%s%s:%s%s", i ? " " : "", v->v[i].kind, v->v[i].name, v->v[i].hinted ? "*" : "");
    const char *s = arena_strdup(&f->mem, strbuf_str(&sb));
    strbuf_release(&sb);
    return s;
}

static void test_greedy_one_to_one(void **state)
{
    fx *f = *state;
    /* accounts also resembles app.user (3 of 4 columns) but pairs with app.account */
    run(f,
        "CREATE TABLE users (id int PRIMARY KEY, email text, name text);\n"
        "CREATE TABLE accounts (id int PRIMARY KEY, email text, name text, plan text);\n",
        "CREATE SCHEMA app;\n"
        "CREATE TABLE app.user (id int PRIMARY KEY, email text, name text);\n"
        "CREATE TABLE app.account (id int PRIMARY KEY, email text, plan text);\n");
    assert_string_equal(pairs(f, false), "users=app.user accounts=app.account");
    assert_true(f->r.overlaps.v[0].score > 0.999);
    assert_int_equal(f->r.overlaps.v[0].m.verdict, MATCH_IDENTICAL);
    /* accounts: names 1, columns 3/4 */
    assert_true(f->r.overlaps.v[1].score > 0.874 && f->r.overlaps.v[1].score < 0.876);
    assert_int_equal(f->r.overlaps.v[1].m.verdict, MATCH_COMPATIBLE);
    assert_int_equal(f->r.overlaps.v[1].m.superset, 1);
    assert_int_equal(f->r.identical, 1);
    assert_int_equal(f->r.compatible, 1);
    assert_int_equal(f->r.conflicts, 0);
    assert_string_equal(objects(f, &f->r.only_a), "");
    assert_string_equal(objects(f, &f->r.only_b), "");
}

static void test_threshold_and_schema_map(void **state)
{
    fx *f = *state;
    f->opts.min_score = 0.9;
    compare_schema_map m = {"public", "archive"};
    VEC_PUSH(&f->mem, f->opts.schema_map, m);
    run(f,
        "CREATE TABLE orders (id int PRIMARY KEY, total numeric);\n"
        "CREATE TABLE items (id int PRIMARY KEY, sku text, qty int);\n",
        "CREATE SCHEMA shop; CREATE SCHEMA archive;\n"
        "CREATE TABLE shop.orders (id int PRIMARY KEY, total numeric);\n"
        "CREATE TABLE archive.items (id int PRIMARY KEY, sku text);\n");
    /* shop.orders is identical but outside the mapped schema; archive.items
     * scores (1 + 2/3) / 2 = 0.83 < 0.9 */
    assert_string_equal(pairs(f, false), "");
    assert_string_equal(objects(f, &f->r.only_a), "table:items table:orders");
    assert_string_equal(objects(f, &f->r.only_b), "table:archive.items table:shop.orders");
    /* without the map and with the default threshold both pair */
    f->opts.schema_map.n = 0;
    f->opts.min_score = 0.5;
    compare_catalogs(&f->mem, f->a, f->b, &f->opts, &f->r);
    assert_string_equal(pairs(f, false), "orders=shop.orders items=archive.items");
}

static void test_tenant_copies(void **state)
{
    fx *f = *state;
    run(f,
        "CREATE SCHEMA t1; CREATE SCHEMA t2; CREATE SCHEMA t3;\n"
        "CREATE TABLE t1.notes (id int PRIMARY KEY, body text);\n"
        "CREATE TABLE t2.notes (id int PRIMARY KEY, body text);\n"
        "CREATE TABLE t3.notes (id int PRIMARY KEY, body text, extra int);\n"
        "CREATE TABLE t1.tags (id int PRIMARY KEY, label text);\n"
        "CREATE TABLE t2.tags (id int PRIMARY KEY, label text);\n",
        "CREATE TABLE notes (id int PRIMARY KEY, body text, tenant int);\n");
    assert_string_equal(pairs(f, false), "t1.notes=notes");
    assert_int_equal(f->r.overlaps.v[0].tenant_copies.n, 1);
    assert_string_equal(f->r.overlaps.v[0].tenant_copies.v[0], "t2.notes");
    /* t3.notes differs: it is its own table; t2.tags is a copy of unpaired t1.tags */
    assert_string_equal(objects(f, &f->r.only_a), "table:t1.tags table:t2.tags table:t3.notes");
    assert_string_equal(f->r.only_a.v[1].copy_of, "t1.tags");
    assert_null(f->r.only_a.v[0].copy_of);
    assert_null(f->r.only_a.v[2].copy_of);
}

static void test_fk_hints(void **state)
{
    fx *f = *state;
    run(f,
        "CREATE TABLE members (id int PRIMARY KEY, name text, email text);\n"
        "CREATE TABLE threads (id int PRIMARY KEY, title text, created_at timestamp);\n"
        "CREATE TABLE posts (id int PRIMARY KEY, member_id int REFERENCES members(id),\n"
        "  thread_id int REFERENCES threads(id), body text, created_at timestamp);\n"
        "CREATE TABLE badges (id int PRIMARY KEY, code text);\n"
        "CREATE TABLE member_badges (member_id int REFERENCES members(id), badge_id int REFERENCES badges(id),\n"
        "  PRIMARY KEY (member_id, badge_id));\n",
        "CREATE TABLE members (id int PRIMARY KEY, name text, email text, bio text);\n"
        "CREATE TABLE messages (msg_id int PRIMARY KEY, author_id int REFERENCES members(id), body text,\n"
        "  created_at timestamp);\n"
        "CREATE TABLE channels (channel_id int PRIMARY KEY, title text, created_at timestamp);\n"
        "CREATE TABLE channel_messages (channel_id int REFERENCES channels(channel_id),\n"
        "  msg_id int REFERENCES messages(msg_id), PRIMARY KEY (channel_id, msg_id));\n"
        "CREATE TABLE achievements (ach_id int PRIMARY KEY, points int);\n"
        "CREATE TABLE member_achievements (member_id int REFERENCES members(id),\n"
        "  ach_id int REFERENCES achievements(ach_id), PRIMARY KEY (member_id, ach_id));\n");
    /* member_badges ~ member_achievements: (0.5 + 1/3) / 2 < 0.5, not an overlap */
    assert_string_equal(pairs(f, false), "members=members");
    /* from members: the association tables (both reference members, share
     * member_id), posts ~ messages (both reference members); then from
     * posts ~ messages: threads ~ channels (posts references threads, messages
     * reach channels through channel_messages).  badges ~ achievements share no
     * column: no hint. */
    assert_string_equal(pairs(f, true), "member_badges=member_achievements posts=messages threads=channels");
    assert_non_null(strstr(f->r.hints.v[1].reason, "posts references members (member_id)"));
    assert_non_null(strstr(f->r.hints.v[1].reason, "messages references members (author_id)"));
    assert_non_null(strstr(f->r.hints.v[2].reason, "posts references threads (thread_id)"));
    assert_non_null(strstr(f->r.hints.v[2].reason, "messages and channels are linked through channel_messages"));
    assert_non_null(strstr(f->r.hints.v[2].reason, "from posts ~ messages"));
    assert_string_equal(objects(f, &f->r.only_a), "table:badges table:member_badges* table:posts* table:threads*");
    assert_string_equal(objects(f, &f->r.only_b),
                        "table:achievements table:channel_messages table:channels* table:member_achievements* "
                        "table:messages*");
    /* a higher hint threshold keeps the strong hint only, and nothing propagates from the dropped one */
    f->opts.hint_min_score = 0.4;
    compare_catalogs(&f->mem, f->a, f->b, &f->opts, &f->r);
    assert_string_equal(pairs(f, true), "member_badges=member_achievements");
}

static void test_other_objects(void **state)
{
    fx *f = *state;
    run(f,
        "CREATE TYPE mood AS ENUM ('a');\n"
        "CREATE VIEW v1 AS SELECT 1 AS x;\n"
        "CREATE FUNCTION f1() RETURNS int LANGUAGE sql AS 'SELECT 1';\n",
        "CREATE SCHEMA s; CREATE TYPE s.mood AS ENUM ('b');\n"
        "CREATE VIEW v2 AS SELECT 1 AS x;\n");
    assert_string_equal(objects(f, &f->r.only_a), "view:v1 function:f1");
    assert_string_equal(objects(f, &f->r.only_b), "view:v2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_greedy_one_to_one, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_threshold_and_schema_map, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_tenant_copies, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_fk_hints, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_other_objects, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
