/*
 * test_catalog.c — the catalog model: lookup index, rename/move, removal,
 * ordering.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "catalog/catalog.h"

static src_loc at(unsigned line)
{
    src_loc l = {"t.sql", line, 1};
    return l;
}

static void test_lookup_by_kind(void **state)
{
    (void)state;
    catalog *cat = catalog_new(DIALECT_PG);
    cat_table *t = catalog_table_add(cat, NULL, "users", at(1));
    cat_view *v = catalog_view_add(cat, "public", "active_users", false, at(2));
    cat_sequence *s = catalog_sequence_add(cat, "app", "seq", at(3));
    assert_string_equal(t->schema, "public");
    assert_ptr_equal(catalog_table_find(cat, "public", "users"), t);
    assert_ptr_equal(catalog_table_find(cat, NULL, "users"), t);
    assert_null(catalog_table_find(cat, "public", "active_users"));
    assert_ptr_equal(catalog_view_find(cat, NULL, "active_users"), v);
    assert_null(catalog_view_find(cat, NULL, "users"));
    assert_ptr_equal(catalog_sequence_find(cat, "app", "seq"), s);
    assert_null(catalog_sequence_find(cat, "public", "seq"));
    catalog_free(cat);
}

static void test_sqlite_default_schema(void **state)
{
    (void)state;
    catalog *cat = catalog_new(DIALECT_SQLITE);
    cat_table *t = catalog_table_add(cat, NULL, "notes", at(1));
    assert_string_equal(t->schema, "main");
    assert_string_equal(catalog_default_schema(cat), "main");
    assert_string_equal(catalog_qualified(cat, "main", "notes"), "notes");
    assert_string_equal(catalog_qualified(cat, "aux", "notes"), "aux.notes");
    catalog_free(cat);
}

static void test_rename_moves_dependents(void **state)
{
    (void)state;
    catalog *cat = catalog_new(DIALECT_PG);
    cat_table *users = catalog_table_add(cat, NULL, "users", at(1));
    catalog_column_add(cat, users, "id", at(1));
    cat_table *posts = catalog_table_add(cat, NULL, "posts", at(2));
    cat_constraint *fk = catalog_constraint_add(cat, posts, CON_FOREIGN, "posts_user_id_fkey", at(2));
    fk->ref_schema = "public";
    fk->ref_table = "users";
    cat_index *ix = catalog_index_add(cat, users, "users_name_idx", at(3));
    cat_sequence *seq = catalog_sequence_add(cat, NULL, "users_id_seq", at(1));
    seq->owned_by_table = "users";
    seq->owned_by_column = "id";

    catalog_table_rename(cat, users, "auth", "accounts");
    assert_null(catalog_table_find(cat, "public", "users"));
    assert_ptr_equal(catalog_table_find(cat, "auth", "accounts"), users);
    assert_string_equal(fk->ref_table, "accounts");
    assert_string_equal(fk->ref_schema, "auth");
    assert_string_equal(ix->table, "accounts");
    assert_string_equal(ix->schema, "auth");
    assert_ptr_equal(catalog_index_find(cat, "auth", "users_name_idx"), ix);
    assert_null(catalog_index_find(cat, "public", "users_name_idx"));
    assert_string_equal(seq->owned_by_table, "accounts");
    assert_string_equal(seq->schema, "auth");
    catalog_free(cat);
}

static void test_remove_table_takes_indexes_and_owned_sequences(void **state)
{
    (void)state;
    catalog *cat = catalog_new(DIALECT_PG);
    cat_table *t = catalog_table_add(cat, NULL, "t", at(1));
    catalog_index_add(cat, t, "t_x_idx", at(2));
    cat_sequence *s = catalog_sequence_add(cat, NULL, "t_id_seq", at(1));
    s->owned_by_table = "t";
    s->owned_by_column = "id";
    catalog_sequence_add(cat, NULL, "free_seq", at(3));
    cat_grant *g = catalog_grant_add(cat, at(4));
    g->object_kind = "table";
    g->schema = "public";
    g->object = "t";
    g->grantee = "app_reader";
    g->privilege = "SELECT";

    catalog_table_remove(cat, t);
    assert_int_equal(cat->tables.n, 0);
    assert_null(catalog_index_find(cat, NULL, "t_x_idx"));
    assert_int_equal(cat->sequences.n, 1);
    assert_string_equal(cat->sequences.v[0]->name, "free_seq");
    assert_int_equal(cat->grants.n, 0);
    /* the name is free again */
    cat_table *t2 = catalog_table_add(cat, NULL, "t", at(5));
    assert_ptr_equal(catalog_table_find(cat, NULL, "t"), t2);
    catalog_free(cat);
}

static void test_function_overloads(void **state)
{
    (void)state;
    catalog *cat = catalog_new(DIALECT_PG);
    cat_function *f1 = catalog_function_add(cat, NULL, "area", false, at(1));
    cat_func_arg a = {"r", 'i', "double precision", NULL, NULL};
    VEC_PUSH(&cat->mem, f1->args, a);
    catalog_function_set_signature(cat, f1);
    cat_function *f2 = catalog_function_add(cat, NULL, "area", false, at(2));
    cat_func_arg w = {"w", 'i', "integer", NULL, NULL};
    cat_func_arg o = {"result", 'o', "integer", NULL, NULL};
    VEC_PUSH(&cat->mem, f2->args, w);
    VEC_PUSH(&cat->mem, f2->args, w);
    VEC_PUSH(&cat->mem, f2->args, o);
    catalog_function_set_signature(cat, f2);
    assert_string_equal(f1->signature, "area(double precision)");
    assert_string_equal(f2->signature, "area(integer, integer)");
    assert_ptr_equal(catalog_function_find(cat, NULL, "area(double precision)"), f1);
    assert_ptr_equal(catalog_function_find(cat, "public", "area(integer, integer)"), f2);
    catalog_function_set_body(cat, f1, "  select 1\n");
    catalog_function_set_body(cat, f2, "select 1");
    assert_string_equal(f1->body_hash, f2->body_hash);
    assert_int_equal(strlen(f1->body_hash), 16);
    catalog_function_set_body(cat, f2, "select 2");
    assert_string_not_equal(f1->body_hash, f2->body_hash);
    catalog_free(cat);
}

static int position(cat_table **order, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(order[i]->name, name))
            return (int)i;
    return -1;
}

static void add_fk(catalog *cat, cat_table *from, const char *to)
{
    cat_constraint *c = catalog_constraint_add(cat, from, CON_FOREIGN, NULL, at(1));
    c->ref_schema = "public";
    c->ref_table = to;
}

static void test_dependency_order_with_cycle(void **state)
{
    (void)state;
    catalog *cat = catalog_new(DIALECT_PG);
    cat_table *a = catalog_table_add(cat, NULL, "a_orders", at(1));
    cat_table *b = catalog_table_add(cat, NULL, "b_customers", at(2));
    catalog_table_add(cat, NULL, "c_regions", at(3));
    cat_table *d = catalog_table_add(cat, NULL, "d_left", at(4));
    cat_table *e = catalog_table_add(cat, NULL, "e_right", at(5));
    add_fk(cat, a, "b_customers");
    add_fk(cat, b, "c_regions");
    add_fk(cat, d, "e_right");
    add_fk(cat, e, "d_left"); /* cycle */
    add_fk(cat, a, "a_orders"); /* self reference */
    catalog_sort(cat);
    cat_table **order = catalog_tables_in_dependency_order(cat);
    size_t n = cat->tables.n;
    assert_int_equal(n, 5);
    assert_true(position(order, n, "c_regions") < position(order, n, "b_customers"));
    assert_true(position(order, n, "b_customers") < position(order, n, "a_orders"));
    assert_true(position(order, n, "d_left") >= 0 && position(order, n, "e_right") >= 0);
    catalog_free(cat);
}

static void test_sort_is_by_schema_then_name(void **state)
{
    (void)state;
    catalog *cat = catalog_new(DIALECT_PG);
    catalog_table_add(cat, "z", "a", at(1));
    catalog_table_add(cat, NULL, "b", at(2));
    catalog_table_add(cat, NULL, "a", at(3));
    catalog_sort(cat);
    assert_string_equal(cat->tables.v[0]->name, "a");
    assert_string_equal(cat->tables.v[0]->schema, "public");
    assert_string_equal(cat->tables.v[1]->name, "b");
    assert_string_equal(cat->tables.v[2]->schema, "z");
    catalog_free(cat);
}

static void test_provenance_altered(void **state)
{
    (void)state;
    catalog *cat = catalog_new(DIALECT_PG);
    char file[] = "m/001.sql";
    src_loc l = {file, 3, 5};
    cat_table *t = catalog_table_add(cat, NULL, "t", l);
    src_loc l2 = {file, 9, 1};
    catalog_provenance_altered(cat, &t->prov, l2);
    file[0] = 'X'; /* the catalog keeps its own copy */
    assert_string_equal(t->prov.created.file, "m/001.sql");
    assert_int_equal(t->prov.created.line, 3);
    assert_int_equal(t->prov.altered.n, 1);
    assert_int_equal(t->prov.altered.v[0].line, 9);
    assert_string_equal(t->prov.altered.v[0].file, "m/001.sql");
    catalog_free(cat);
}

static void test_many_tables(void **state)
{
    (void)state;
    catalog *cat = catalog_new(DIALECT_PG);
    char name[32];
    for (int i = 0; i < 20000; i++) {
        snprintf(name, sizeof name, "t%05d", i);
        cat_table *t = catalog_table_add(cat, NULL, name, at(1));
        if (i)
            add_fk(cat, t, arena_printf(&cat->mem, "t%05d", i - 1));
    }
    for (int i = 0; i < 20000; i += 997) {
        snprintf(name, sizeof name, "t%05d", i);
        assert_non_null(catalog_table_find(cat, NULL, name));
    }
    catalog_sort(cat);
    cat_table **order = catalog_tables_in_dependency_order(cat);
    assert_string_equal(order[0]->name, "t00000");
    assert_string_equal(order[19999]->name, "t19999");
    catalog_free(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup_by_kind),
        cmocka_unit_test(test_sqlite_default_schema),
        cmocka_unit_test(test_rename_moves_dependents),
        cmocka_unit_test(test_remove_table_takes_indexes_and_owned_sequences),
        cmocka_unit_test(test_function_overloads),
        cmocka_unit_test(test_dependency_order_with_cycle),
        cmocka_unit_test(test_sort_is_by_schema_then_name),
        cmocka_unit_test(test_provenance_altered),
        cmocka_unit_test(test_many_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
