/*
 * test_emit.c — unit tests for src/emit: identifier/literal quoting, dollar
 * tags, PostgreSQL DDL order (FKs after tables, table and view dependency
 * order), SQLite DDL, JSON escaping and stable keys, Markdown tables.
 * Catalogs are built by hand with the catalog_* API.  When
 * DBSAGE_TEST_PG_URL names a PostgreSQL 15 database, the rich catalog's DDL
 * is also applied to a fresh database there (must succeed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "catalog/catalog.h"
#include "emit/emit.h"

static const src_loc LOC = {"t.sql", 3, 5};
static const emit_opts OPTS = {true, true};

#define assert_contains(hay, needle)                                                   \
    do {                                                                               \
        if (!strstr((hay), (needle)))                                                  \
            fail_msg("expected to find:\n%s\n--- in:\n%s", (needle), (hay));           \
    } while (0)
#define assert_not_contains(hay, needle)                                               \
    do {                                                                               \
        if (strstr((hay), (needle)))                                                   \
            fail_msg("did not expect:\n%s\n--- in:\n%s", (needle), (hay));             \
    } while (0)

static size_t pos(const char *hay, const char *needle)
{
    const char *p = strstr(hay, needle);
    if (!p)
        fail_msg("missing: %s\n--- in:\n%s", needle, hay);
    return (size_t)(p - hay);
}

static char *quote_ident(dialect d, const char *s)
{
    static char buf[256];
    strbuf sb = STRBUF_INIT;
    sql_quote_ident(&sb, d, s);
    snprintf(buf, sizeof buf, "%s", strbuf_str(&sb));
    strbuf_release(&sb);
    return buf;
}

static void test_quote_ident_pg(void **state)
{
    (void)state;
    assert_string_equal(quote_ident(DIALECT_PG, "my_table"), "my_table");
    assert_string_equal(quote_ident(DIALECT_PG, "user"), "\"user\"");
    assert_string_equal(quote_ident(DIALECT_PG, "select"), "\"select\"");
    assert_string_equal(quote_ident(DIALECT_PG, "Mixed"), "\"Mixed\"");
    assert_string_equal(quote_ident(DIALECT_PG, "a\"b"), "\"a\"\"b\"");
    assert_string_equal(quote_ident(DIALECT_PG, "has space"), "\"has space\"");
    assert_string_equal(quote_ident(DIALECT_PG, "1abc"), "\"1abc\"");
    assert_string_equal(quote_ident(DIALECT_PG, "a$1"), "a$1");
    /* unreserved keywords stay bare, type_func_name / col_name ones are quoted */
    assert_string_equal(quote_ident(DIALECT_PG, "name"), "name");
    assert_string_equal(quote_ident(DIALECT_PG, "comment"), "comment");
    assert_string_equal(quote_ident(DIALECT_PG, "left"), "\"left\"");
    assert_string_equal(quote_ident(DIALECT_PG, "integer"), "\"integer\"");
    assert_string_equal(quote_ident(DIALECT_PG, "xmltable"), "\"xmltable\"");
    assert_string_equal(quote_ident(DIALECT_PG, "all"), "\"all\"");
    assert_string_equal(quote_ident(DIALECT_PG, "café"), "\"café\"");
    assert_string_equal(quote_ident(DIALECT_PG, ""), "\"\"");
}

static void test_quote_ident_sqlite(void **state)
{
    (void)state;
    assert_string_equal(quote_ident(DIALECT_SQLITE, "my_table"), "my_table");
    assert_string_equal(quote_ident(DIALECT_SQLITE, "Mixed"), "Mixed");
    assert_string_equal(quote_ident(DIALECT_SQLITE, "select"), "\"select\"");
    assert_string_equal(quote_ident(DIALECT_SQLITE, "order"), "\"order\"");
    assert_string_equal(quote_ident(DIALECT_SQLITE, "a b"), "\"a b\"");
    assert_string_equal(quote_ident(DIALECT_SQLITE, "a\"b"), "\"a\"\"b\"");
    assert_string_equal(quote_ident(DIALECT_SQLITE, "x$"), "\"x$\"");
}

static void test_quote_qualified_literal(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    sql_quote_qualified(&sb, DIALECT_PG, "public", "t");
    strbuf_adds(&sb, " ");
    sql_quote_qualified(&sb, DIALECT_PG, "App", "user");
    strbuf_adds(&sb, " ");
    sql_quote_qualified(&sb, DIALECT_SQLITE, "main", "t");
    strbuf_adds(&sb, " ");
    sql_quote_literal(&sb, "it's");
    strbuf_adds(&sb, " ");
    sql_quote_literal(&sb, NULL);
    assert_string_equal(strbuf_str(&sb), "t \"App\".\"user\" t 'it''s' NULL");
    strbuf_release(&sb);
}

/* ---- PostgreSQL DDL ------------------------------------------------------------ */

static char *emit_to_string(catalog *cat, void (*fn)(strbuf *, catalog *, const emit_opts *))
{
    strbuf sb = STRBUF_INIT;
    fn(&sb, cat, &OPTS);
    return strbuf_detach(&sb);
}

static cat_function *add_function(catalog *cat, const char *name, const char *body)
{
    cat_function *f = catalog_function_add(cat, NULL, name, false, LOC);
    f->language = "plpgsql";
    f->returns = "trigger";
    catalog_function_set_signature(cat, f);
    catalog_function_set_body(cat, f, body);
    return f;
}

static void test_dollar_tag(void **state)
{
    (void)state;
    catalog *cat = catalog_new(DIALECT_PG);
    add_function(cat, "f1", "begin return new; end");
    add_function(cat, "f2", "select '$$'");
    add_function(cat, "f3", "$$ and $body$");
    add_function(cat, "f4", "ends with $");
    cat_function *std = add_function(cat, "f5", "RETURN lower(x)");
    std->language = "sql";
    char *s = emit_to_string(cat, emit_sql_pg);
    assert_contains(s, "LANGUAGE sql VOLATILE PARALLEL UNSAFE\nRETURN lower(x);\n");
    assert_contains(s, "AS $$begin return new; end$$;");
    assert_contains(s, "AS $body$select '$$'$body$;");
    assert_contains(s, "AS $body1$$$ and $body$$body1$;");
    assert_contains(s, "AS $body$ends with $$body$;");
    free(s);
    catalog_free(cat);
}

static void strvec_push(catalog *cat, strvec *v, const char *s)
{
    VEC_PUSH(&cat->mem, *v, arena_strdup(&cat->mem, s));
}

static cat_table *add_table(catalog *cat, const char *schema, const char *name)
{
    cat_table *t = catalog_table_add(cat, schema, name, LOC);
    cat_column *id = catalog_column_add(cat, t, "id", LOC);
    id->type = "integer";
    id->not_null = true;
    cat_constraint *pk = catalog_constraint_add(cat, t, CON_PRIMARY,
                                                arena_printf(&cat->mem, "%s_pkey", name), LOC);
    strvec_push(cat, &pk->columns, "id");
    return t;
}

static cat_constraint *add_fk(catalog *cat, cat_table *t, const char *col, const char *ref)
{
    cat_column *c = catalog_column_add(cat, t, col, LOC);
    c->type = "integer";
    cat_constraint *fk = catalog_constraint_add(
        cat, t, CON_FOREIGN, arena_printf(&cat->mem, "%s_%s_fkey", t->name, col), LOC);
    strvec_push(cat, &fk->columns, col);
    fk->ref_schema = t->schema;
    fk->ref_table = ref;
    strvec_push(cat, &fk->ref_columns, "id");
    return fk;
}

/* a catalog exercising most PostgreSQL features; valid DDL when emitted */
static catalog *rich_pg_catalog(void)
{
    catalog *cat = catalog_new(DIALECT_PG);
    cat->source = "t.sql";
    cat_schema *app = catalog_schema_add(cat, "App", LOC);
    app->comment = "the app's schema";
    catalog_extension_add(cat, "pg_trgm", LOC)->schema = "public";
    cat_enum *e = catalog_enum_add(cat, NULL, "mood", LOC);
    strvec_push(cat, &e->labels, "sad");
    strvec_push(cat, &e->labels, "it's ok");
    cat_domain *d = catalog_domain_add(cat, NULL, "posint", LOC);
    d->base_type = "integer";
    d->not_null = true;
    d->default_expr = "1";
    cat_domain_check dc = {"posint_check", "VALUE > 0", "VALUE > 0"};
    VEC_PUSH(&cat->mem, d->checks, dc);
    cat_composite *ct = catalog_composite_add(cat, "App", "pair", LOC);
    cat_composite_attr a1 = {"left", "integer", "int"}, a2 = {"b", "text", "text"};
    VEC_PUSH(&cat->mem, ct->attrs, a1);
    VEC_PUSH(&cat->mem, ct->attrs, a2);
    cat_sequence *seq = catalog_sequence_add(cat, NULL, "z_parent_id_seq", LOC);
    seq->type = "integer";
    seq->max_value = 2147483647;
    seq->owned_by_table = "z_parent";
    seq->owned_by_column = "id";

    cat_function *f = add_function(cat, "touch", "begin new.n := 1; return new; end");
    f->comment = "touches";
    cat_function *g = catalog_function_add(cat, "App", "add", false, LOC);
    cat_func_arg x = {"x", 'i', "integer", NULL, NULL}, y = {"y", 'i', "integer", "2", "2"};
    VEC_PUSH(&cat->mem, g->args, x);
    VEC_PUSH(&cat->mem, g->args, y);
    g->returns = "integer";
    g->language = "sql";
    g->volatility = 'i';
    g->strict = true;
    g->parallel = 's';
    catalog_function_set_signature(cat, g);
    catalog_function_set_body(cat, g, "select x + y");

    cat_table *parent = add_table(cat, NULL, "z_parent");
    parent->columns.v[0]->default_expr = "nextval('z_parent_id_seq'::regclass)";
    cat_column *n = catalog_column_add(cat, parent, "n", LOC);
    n->type = "integer";
    n->comment = "a number";
    cat_column *m = catalog_column_add(cat, parent, "m", LOC);
    m->type = "mood";
    cat_column *lbl = catalog_column_add(cat, parent, "Label", LOC);
    lbl->type = "text";
    lbl->collation = "C";
    cat_column *dbl = catalog_column_add(cat, parent, "twice", LOC);
    dbl->type = "integer";
    dbl->generated = 's';
    dbl->generated_expr = "n * 2";
    cat_constraint *ck = catalog_constraint_add(cat, parent, CON_CHECK, "z_parent_n_check", LOC);
    ck->expr = "n > 0";
    ck->comment = "positive";
    cat_constraint *nv = catalog_constraint_add(cat, parent, CON_CHECK, "n_small", LOC);
    nv->expr = "n < 1000";
    nv->not_valid = true;
    cat_constraint *uq = catalog_constraint_add(cat, parent, CON_UNIQUE, "z_parent_n_m_key", LOC);
    strvec_push(cat, &uq->columns, "n");
    strvec_push(cat, &uq->columns, "m");
    uq->nulls_not_distinct = true;
    parent->rls_enabled = true;
    parent->rls_forced = true;
    cat_policy *pol = catalog_policy_add(cat, parent, "p_read", LOC);
    pol->command = "SELECT";
    strvec_push(cat, &pol->roles, "app_reader");
    strvec_push(cat, &pol->roles, "public");
    pol->using_expr = "n > 1";
    cat_trigger *tg = catalog_trigger_add(cat, parent, "trg_touch", LOC);
    tg->timing = "BEFORE";
    strvec_push(cat, &tg->events, "INSERT");
    strvec_push(cat, &tg->events, "UPDATE");
    strvec_push(cat, &tg->update_columns, "n");
    tg->for_each_row = true;
    tg->when_expr = "new.n IS NULL";
    tg->function_name = "touch";
    strvec_push(cat, &tg->function_args, "it's");
    cat_index *ix = catalog_index_add(cat, parent, "z_parent_lower_idx", LOC);
    ix->method = "btree";
    cat_index_elem el = {NULL, "lower(\"Label\")", NULL, NULL, NULL, true, 'l'};
    cat_index_elem el2 = {"n", NULL, NULL, NULL, NULL, false, 0};
    VEC_PUSH(&cat->mem, ix->elems, el);
    VEC_PUSH(&cat->mem, ix->elems, el2);
    ix->where_expr = "n > 0";
    ix->comment = "lower labels";

    cat_table *child = add_table(cat, NULL, "a_child");
    cat_constraint *fk = add_fk(cat, child, "parent_id", "z_parent");
    fk->on_delete = 'c';
    fk->match = 'f';
    fk->deferrable = fk->initially_deferred = true;
    cat_table *self = add_table(cat, "App", "user");
    add_fk(cat, self, "boss", "user")->not_valid = true;
    cat_table *inh = catalog_table_add(cat, NULL, "b_inherits", LOC);
    catalog_column_add(cat, inh, "extra", LOC)->type = "text";
    strvec_push(cat, &inh->inherits, "public.z_parent");
    inh->unlogged = true;
    cat_column *idc = catalog_column_add(cat, child, "serial_no", LOC);
    idc->type = "bigint";
    idc->identity = 'a';
    idc->not_null = true;

    cat_table *pt = catalog_table_add(cat, NULL, "measure", LOC);
    pt->partition_by = "RANGE (at)";
    catalog_column_add(cat, pt, "at", LOC)->type = "date";
    cat_table *part = catalog_table_add(cat, NULL, "measure_2024", LOC);
    catalog_column_add(cat, part, "at", LOC)->type = "date";
    strvec_push(cat, &part->inherits, "public.measure");
    part->partition_bound = "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')";

    cat_view *v1 = catalog_view_add(cat, NULL, "v_a", false, LOC);
    v1->definition = "SELECT id FROM v_b;";
    strvec_push(cat, &v1->depends_on, "public.v_b");
    v1->security_barrier = true;
    v1->check_option = "CASCADED";
    cat_view *v2 = catalog_view_add(cat, NULL, "v_b", false, LOC);
    v2->definition = "SELECT id, n FROM z_parent -- all of them";
    strvec_push(cat, &v2->depends_on, "public.z_parent");
    v2->comment = "base view";
    cat_view *mv = catalog_view_add(cat, "App", "mv", true, LOC);
    mv->definition_norm = "SELECT 1 AS one";
    cat_index *mix = catalog_matview_index_add(cat, mv, "mv_one_idx", LOC);
    cat_index_elem me = {"one", NULL, NULL, NULL, NULL, false, 0};
    VEC_PUSH(&cat->mem, mix->elems, me);
    mix->unique = true;

    const char *privs[] = {"SELECT", "INSERT", "UPDATE"};
    for (int i = 0; i < 3; i++) {
        cat_grant *gr = catalog_grant_add(cat, LOC);
        gr->object_kind = "table";
        gr->schema = "public";
        gr->object = "z_parent";
        gr->grantee = "app_writer";
        gr->privilege = privs[i];
        gr->with_grant_option = i == 2;
    }
    cat_grant *gc = catalog_grant_add(cat, LOC);
    gc->object_kind = "table";
    gc->schema = "public";
    gc->object = "z_parent";
    gc->column = "n";
    gc->grantee = "PUBLIC";
    gc->privilege = "SELECT";
    cat_grant *gf = catalog_grant_add(cat, LOC);
    gf->object_kind = "function";
    gf->schema = "App";
    gf->object = "add(integer, integer)";
    gf->grantee = "app_reader";
    gf->privilege = "EXECUTE";
    return cat;
}

static void test_pg_ddl_fragments(void **state)
{
    (void)state;
    catalog *cat = rich_pg_catalog();
    char *s = emit_to_string(cat, emit_sql_pg);
    assert_contains(s, "-- dbsage inspect: t.sql\nSET check_function_bodies = false;\n");
    assert_contains(s, "CREATE SCHEMA \"App\";\n");
    assert_contains(s, "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;\n");
    assert_contains(s, "CREATE TYPE mood AS ENUM ('sad', 'it''s ok');\n");
    assert_contains(s, "CREATE DOMAIN posint AS integer DEFAULT 1 NOT NULL\n"
                       "    CONSTRAINT posint_check CHECK (VALUE > 0);\n");
    assert_contains(s, "CREATE TYPE \"App\".pair AS (\n    \"left\" integer,\n    b text\n);\n");
    assert_contains(s, "CREATE SEQUENCE z_parent_id_seq AS integer START WITH 1 INCREMENT BY 1 "
                       "MINVALUE 1 MAXVALUE 2147483647 CACHE 1 NO CYCLE;\n");
    assert_contains(s, "CREATE FUNCTION \"App\".add(x integer, y integer DEFAULT 2)\n"
                       "    RETURNS integer\n    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE\n"
                       "    AS $$select x + y$$;\n");
    assert_contains(s, "    id integer DEFAULT nextval('z_parent_id_seq'::regclass) NOT NULL,\n");
    assert_contains(s, "    \"Label\" text COLLATE \"C\",\n");
    assert_contains(s, "    twice integer GENERATED ALWAYS AS (n * 2) STORED,\n");
    assert_contains(s, "    serial_no bigint NOT NULL GENERATED ALWAYS AS IDENTITY");
    assert_contains(s, "    CONSTRAINT z_parent_n_check CHECK (n > 0),\n");
    assert_contains(s, "    CONSTRAINT z_parent_n_m_key UNIQUE NULLS NOT DISTINCT (n, m),\n");
    assert_contains(s, "    CONSTRAINT z_parent_pkey PRIMARY KEY (id)\n);\n");
    assert_contains(s, "CREATE UNLOGGED TABLE b_inherits (\n    extra text\n) INHERITS (z_parent);\n");
    assert_contains(s, "CREATE TABLE measure (\n    at date\n) PARTITION BY RANGE (at);\n"
                       "CREATE TABLE measure_2024 PARTITION OF measure FOR VALUES FROM ('2024-01-01') "
                       "TO ('2025-01-01');\n");
    assert_contains(s, "ALTER TABLE z_parent ADD CONSTRAINT n_small CHECK (n < 1000) NOT VALID;\n");
    assert_contains(s, "ALTER SEQUENCE z_parent_id_seq OWNED BY z_parent.id;\n");
    assert_contains(s, "ALTER TABLE ONLY a_child ADD CONSTRAINT a_child_parent_id_fkey FOREIGN KEY "
                       "(parent_id) REFERENCES z_parent (id) MATCH FULL ON DELETE CASCADE "
                       "DEFERRABLE INITIALLY DEFERRED;\n");
    assert_contains(s, "ALTER TABLE ONLY \"App\".\"user\" ADD CONSTRAINT user_boss_fkey FOREIGN KEY "
                       "(boss) REFERENCES \"App\".\"user\" (id) NOT VALID;\n");
    assert_contains(s, "CREATE INDEX z_parent_lower_idx ON z_parent USING btree "
                       "((lower(\"Label\")) DESC NULLS LAST, n) WHERE (n > 0);\n");
    assert_contains(s, "CREATE VIEW v_a WITH (security_barrier=true) AS\nSELECT id FROM v_b\n"
                       "  WITH CASCADED CHECK OPTION;\n");
    assert_contains(s, "SELECT id, n FROM z_parent -- all of them\n;\n");
    assert_contains(s, "CREATE MATERIALIZED VIEW \"App\".mv AS\nSELECT 1 AS one;\n"
                       "CREATE UNIQUE INDEX mv_one_idx ON \"App\".mv USING btree (one);\n");
    assert_contains(s, "CREATE TRIGGER trg_touch BEFORE INSERT OR UPDATE OF n ON z_parent FOR EACH ROW "
                       "WHEN (new.n IS NULL) EXECUTE FUNCTION touch('it''s');\n");
    assert_contains(s, "ALTER TABLE z_parent ENABLE ROW LEVEL SECURITY;\n"
                       "ALTER TABLE z_parent FORCE ROW LEVEL SECURITY;\n");
    assert_contains(s, "CREATE POLICY p_read ON z_parent AS PERMISSIVE FOR SELECT TO app_reader, PUBLIC "
                       "USING (n > 1);\n");
    assert_contains(s, "COMMENT ON SCHEMA \"App\" IS 'the app''s schema';\n");
    assert_contains(s, "COMMENT ON FUNCTION touch() IS 'touches';\n");
    assert_contains(s, "COMMENT ON COLUMN z_parent.n IS 'a number';\n");
    assert_contains(s, "COMMENT ON CONSTRAINT z_parent_n_check ON z_parent IS 'positive';\n");
    assert_contains(s, "COMMENT ON INDEX z_parent_lower_idx IS 'lower labels';\n");
    assert_contains(s, "COMMENT ON VIEW v_b IS 'base view';\n");
    assert_contains(s, "GRANT INSERT, SELECT ON TABLE z_parent TO app_writer;\n");
    assert_contains(s, "GRANT UPDATE ON TABLE z_parent TO app_writer WITH GRANT OPTION;\n");
    assert_contains(s, "GRANT SELECT (n) ON TABLE z_parent TO PUBLIC;\n");
    assert_contains(s, "GRANT EXECUTE ON FUNCTION \"App\".add(integer, integer) TO app_reader;\n");
    /* order: types before sequences before functions before tables before FKs ... */
    assert_true(pos(s, "CREATE SCHEMA") < pos(s, "CREATE EXTENSION"));
    assert_true(pos(s, "CREATE TYPE mood") < pos(s, "CREATE SEQUENCE"));
    assert_true(pos(s, "CREATE SEQUENCE") < pos(s, "CREATE FUNCTION"));
    assert_true(pos(s, "CREATE FUNCTION touch") < pos(s, "CREATE TABLE"));
    /* referenced table first although it sorts last; parents before INHERITS children */
    assert_true(pos(s, "CREATE TABLE z_parent") < pos(s, "CREATE TABLE a_child"));
    assert_true(pos(s, "CREATE TABLE z_parent") < pos(s, "CREATE UNLOGGED TABLE b_inherits"));
    assert_true(pos(s, "CREATE TABLE \"App\".\"user\"") < pos(s, "ALTER TABLE ONLY a_child"));
    assert_true(pos(s, "CREATE TABLE a_child") < pos(s, "ALTER TABLE ONLY a_child ADD CONSTRAINT"));
    assert_true(pos(s, "ADD CONSTRAINT a_child_parent_id_fkey") < pos(s, "CREATE INDEX"));
    assert_true(pos(s, "CREATE INDEX") < pos(s, "CREATE VIEW"));
    assert_true(pos(s, "CREATE VIEW v_b") < pos(s, "CREATE VIEW v_a"));
    assert_true(pos(s, "CREATE VIEW v_a") < pos(s, "CREATE TRIGGER"));
    assert_true(pos(s, "CREATE TRIGGER") < pos(s, "ENABLE ROW LEVEL"));
    assert_true(pos(s, "ENABLE ROW LEVEL") < pos(s, "CREATE POLICY"));
    assert_true(pos(s, "CREATE POLICY") < pos(s, "COMMENT ON"));
    assert_true(pos(s, "COMMENT ON") < pos(s, "GRANT "));
    free(s);
    catalog_free(cat);
}

/* routines returning/taking row types of tables or views come after them */
static void test_pg_routine_tiers(void **state)
{
    (void)state;
    catalog *cat = catalog_new(DIALECT_PG);
    add_table(cat, "App", "items");
    catalog_view_add(cat, NULL, "item_view", false, LOC)->definition = "SELECT 1 AS x";
    catalog_extension_add(cat, "pg_trgm", LOC)->schema = "extensions";
    cat_function *a = add_function(cat, "all_items", "select * from \"App\".items");
    a->language = "sql";
    a->returns = "SETOF \"App\".items";
    cat_function *b = add_function(cat, "from_view", "select 1");
    b->returns = "TABLE(items integer, v item_view)";
    cat_function *c = add_function(cat, "plain", "select 1");
    c->returns = "TABLE(items integer)";
    char *s = emit_to_string(cat, emit_sql_pg);
    assert_contains(s, "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA extensions;\n"
                       "SET search_path = public, extensions;\n");
    assert_true(pos(s, "CREATE FUNCTION plain") < pos(s, "CREATE TABLE"));
    assert_true(pos(s, "CREATE TABLE \"App\".items") < pos(s, "CREATE FUNCTION all_items"));
    assert_true(pos(s, "CREATE FUNCTION all_items") < pos(s, "CREATE VIEW"));
    assert_true(pos(s, "CREATE VIEW item_view") < pos(s, "CREATE FUNCTION from_view"));
    free(s);
    catalog_free(cat);
}

static void test_pg_ddl_deterministic(void **state)
{
    (void)state;
    catalog *c1 = rich_pg_catalog(), *c2 = rich_pg_catalog();
    char *a = emit_to_string(c1, emit_sql_pg);
    /* reverse c2's table list: output must not depend on insertion order */
    for (size_t i = 0; i < c2->tables.n / 2; i++) {
        cat_table *t = c2->tables.v[i];
        c2->tables.v[i] = c2->tables.v[c2->tables.n - 1 - i];
        c2->tables.v[c2->tables.n - 1 - i] = t;
    }
    char *b = emit_to_string(c2, emit_sql_pg);
    assert_string_equal(a, b);
    free(a);
    free(b);
    catalog_free(c1);
    catalog_free(c2);
}

static void test_pg_ddl_no_header(void **state)
{
    (void)state;
    catalog *cat = catalog_new(DIALECT_PG);
    cat->source = "x";
    emit_opts o = {false, false};
    strbuf sb = STRBUF_INIT;
    emit_sql(&sb, cat, &o);
    assert_string_equal(strbuf_str(&sb), "SET check_function_bodies = false;\n");
    strbuf_release(&sb);
    catalog_free(cat);
}

/* Apply the rich catalog's DDL to a fresh database when a server is given. */
static void test_pg_ddl_applies(void **state)
{
    (void)state;
    /* a server: DBSAGE_TEST_PG_URL, else the ctest cluster's URL file (a
     * missing file there is a failure, not a skip) */
    const char *url = getenv("DBSAGE_TEST_PG_URL");
    static char url_buf[1024];
    const char *pg_state = getenv("DBSAGE_PG_STATE");
    if ((!url || !*url) && pg_state && *pg_state) {
        char path[1024];
        snprintf(path, sizeof path, "%s/url", pg_state);
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        size_t n = fread(url_buf, 1, sizeof url_buf - 1, f);
        fclose(f);
        while (n && (url_buf[n - 1] == '\n' || url_buf[n - 1] == ' '))
            n--;
        url_buf[n] = '\0';
        url = url_buf;
    }
    if (!url || !*url)
        skip();
    PGconn *admin = PQconnectdb(url);
    assert_int_equal(PQstatus(admin), CONNECTION_OK);
    PQclear(PQexec(admin, "DROP DATABASE IF EXISTS dbsage_test_emit"));
    PGresult *r = PQexec(admin, "CREATE DATABASE dbsage_test_emit");
    assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
    PQclear(PQexec(admin, "DO $$BEGIN CREATE ROLE app_reader; EXCEPTION WHEN duplicate_object "
                          "THEN NULL; END$$; DO $$BEGIN CREATE ROLE app_writer; EXCEPTION WHEN "
                          "duplicate_object THEN NULL; END$$"));
    /* expand the given URL/conninfo, then override the database name */
    const char *keys[] = {"dbname", "dbname", NULL};
    const char *vals[] = {url, "dbsage_test_emit", NULL};
    PGconn *db = PQconnectdbParams(keys, vals, 1);
    assert_int_equal(PQstatus(db), CONNECTION_OK);
    catalog *cat = rich_pg_catalog();
    char *sql = emit_to_string(cat, emit_sql_pg);
    r = PQexec(db, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
    {
        fprintf(stderr, "%s\n", sql);
        fail_msg("DDL failed: %s", PQerrorMessage(db));
    }
    PQclear(r);
    free(sql);
    catalog_free(cat);
    PQfinish(db);
    PQclear(PQexec(admin, "DROP DATABASE dbsage_test_emit"));
    PQfinish(admin);
}

/* ---- SQLite DDL ---------------------------------------------------------------- */

static catalog *sqlite_catalog(void)
{
    catalog *cat = catalog_new(DIALECT_SQLITE);
    cat->source = "app.db";
    cat_table *u = catalog_table_add(cat, NULL, "users", LOC);
    cat_column *id = catalog_column_add(cat, u, "id", LOC);
    id->type_written = "INTEGER";
    id->type = "INTEGER";
    id->autoincrement = true;
    cat_constraint *pk = catalog_constraint_add(cat, u, CON_PRIMARY, NULL, LOC);
    strvec_push(cat, &pk->columns, "id");
    cat_column *name = catalog_column_add(cat, u, "name", LOC);
    name->type_written = "text";
    name->not_null = true;
    name->collation = "NOCASE";
    name->default_expr = "'anon'";
    cat_column *at = catalog_column_add(cat, u, "created", LOC);
    at->type_written = "TEXT";
    at->default_expr = "datetime('now')";
    cat_column *neg = catalog_column_add(cat, u, "score", LOC);
    neg->type_written = "REAL";
    neg->default_expr = "-1.5";
    cat_column *gen = catalog_column_add(cat, u, "upper_name", LOC);
    gen->generated = 'v';
    gen->generated_expr = "upper(name)";
    cat_constraint *uq = catalog_constraint_add(cat, u, CON_UNIQUE, "users_name_uq", LOC);
    strvec_push(cat, &uq->columns, "name");
    cat_constraint *ck = catalog_constraint_add(cat, u, CON_CHECK, NULL, LOC);
    ck->expr = "length(name) > 0";

    cat_table *o = catalog_table_add(cat, NULL, "a_orders", LOC);
    cat_column *ok = catalog_column_add(cat, o, "k", LOC);
    ok->type_written = "TEXT";
    ok->not_null = true;
    cat_column *ou = catalog_column_add(cat, o, "user_id", LOC);
    ou->type_written = "INT";
    cat_constraint *opk = catalog_constraint_add(cat, o, CON_PRIMARY, NULL, LOC);
    strvec_push(cat, &opk->columns, "k");
    cat_constraint *fk = catalog_constraint_add(cat, o, CON_FOREIGN, NULL, LOC);
    strvec_push(cat, &fk->columns, "user_id");
    fk->ref_table = "users";
    strvec_push(cat, &fk->ref_columns, "id");
    fk->on_delete = 'c';
    fk->deferrable = fk->initially_deferred = true;
    o->without_rowid = true;
    o->strict = true;
    cat_index *ix = catalog_index_add(cat, o, "a_orders_user_idx", LOC);
    cat_index_elem e = {"user_id", NULL, NULL, NULL, NULL, true, 0};
    VEC_PUSH(&cat->mem, ix->elems, e);
    ix->where_expr = "user_id IS NOT NULL";
    cat_index *ex = catalog_index_add(cat, u, "users_lower", LOC);
    cat_index_elem ee = {NULL, NULL, NULL, NULL, NULL, false, 0};
    VEC_PUSH(&cat->mem, ex->elems, ee);
    ex->sql = "CREATE INDEX users_lower ON users(lower(name))";
    cat_view *v2 = catalog_view_add(cat, NULL, "v2", false, LOC);
    v2->sql = "CREATE VIEW v2 AS SELECT * FROM v1";
    strvec_push(cat, &v2->depends_on, "main.v1");
    cat_view *v1 = catalog_view_add(cat, NULL, "v1", false, LOC);
    v1->sql = "CREATE VIEW v1 AS SELECT id FROM users;";
    cat_trigger *tg = catalog_trigger_add(cat, u, "users_ai", LOC);
    tg->sql = "CREATE TRIGGER users_ai AFTER INSERT ON users BEGIN SELECT 1; END";
    return cat;
}

static void test_sqlite_ddl(void **state)
{
    (void)state;
    catalog *cat = sqlite_catalog();
    char *s = emit_to_string(cat, emit_sql_sqlite);
    assert_contains(s, "-- dbsage inspect: app.db\nPRAGMA foreign_keys=OFF;\nBEGIN;\n");
    assert_contains(s, "    id INTEGER PRIMARY KEY AUTOINCREMENT,\n");
    assert_contains(s, "    name text NOT NULL DEFAULT 'anon' COLLATE NOCASE,\n");
    assert_contains(s, "    created TEXT DEFAULT (datetime('now')),\n");
    assert_contains(s, "    score REAL DEFAULT -1.5,\n");
    assert_contains(s, "    upper_name GENERATED ALWAYS AS (upper(name)) VIRTUAL");
    assert_contains(s, "    CONSTRAINT users_name_uq UNIQUE (name)");
    assert_contains(s, "    CHECK (length(name) > 0)");
    assert_not_contains(s, "PRIMARY KEY (id)");
    assert_contains(s, "    PRIMARY KEY (k),\n    FOREIGN KEY (user_id) REFERENCES users (id) "
                       "ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED\n) WITHOUT ROWID, STRICT;\n");
    assert_contains(s, "CREATE INDEX a_orders_user_idx ON a_orders (user_id DESC) WHERE user_id IS NOT NULL;\n");
    assert_contains(s, "CREATE INDEX users_lower ON users(lower(name));\n");
    assert_contains(s, "CREATE VIEW v1 AS SELECT id FROM users;\nCREATE VIEW v2 AS SELECT * FROM v1;\n");
    assert_contains(s, "CREATE TRIGGER users_ai AFTER INSERT ON users BEGIN SELECT 1; END;\n"
                       "COMMIT;\nPRAGMA foreign_keys=ON;\n");
    assert_true(pos(s, "CREATE TABLE users") < pos(s, "CREATE TABLE a_orders"));

    /* the DDL runs in a real SQLite database and gives the PRAGMA-visible shape */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    char *err = NULL;
    if (sqlite3_exec(db, s, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("sqlite: %s\n%s", err, s);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema WHERE type IN "
                                            "('table','index','view','trigger') AND name NOT LIKE 'sqlite_%'",
                                        -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 7);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT \"table\", on_delete FROM pragma_foreign_key_list('a_orders')",
                                        -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "users");
    assert_string_equal((const char *)sqlite3_column_text(st, 1), "CASCADE");
    sqlite3_finalize(st);
    sqlite3_close(db);
    free(s);
    catalog_free(cat);
}

/* ---- JSON ------------------------------------------------------------------------- */

static void test_json_escaping_and_keys(void **state)
{
    (void)state;
    catalog *cat = catalog_new(DIALECT_PG);
    cat->source = "dir/\"x\".sql";
    cat_table *t = catalog_table_add(cat, NULL, "t", LOC);
    t->comment = "tab\there \"q\" back\\slash\x01 nl\n é \xff end";
    cat_column *c = catalog_column_add(cat, t, "c", LOC);
    c->type = "integer";
    c->identity = 'd';
    src_loc url = {"postgresql://u:***@h/db", 0, 0};
    catalog_provenance_altered(cat, &t->prov, url);
    char *s = emit_to_string(cat, emit_json);
    assert_contains(s, "{\n  \"dialect\": \"pg\",\n  \"source\": \"dir/\\\"x\\\".sql\",\n  \"schemas\": [],\n");
    assert_contains(s, "\"comment\": \"tab\\there \\\"q\\\" back\\\\slash\\u0001 nl\\n é \\ufffd end\"");
    assert_contains(s, "      \"columns\": [\n        {\n          \"name\": \"c\",\n          \"ordinal\": 1,\n"
                       "          \"type_written\": null,\n          \"type\": \"integer\",\n");
    assert_contains(s, "\"identity\": \"d\"");
    assert_contains(s, "\"generated\": null");
    assert_contains(s, "\"not_null\": false");
    assert_contains(s, "\"constraints\": []");
    assert_contains(s, "\"inherits\": []");
    assert_contains(s, "\"partition_by\": null");
    assert_contains(s, "\"provenance\": {\n        \"created\": \"t.sql:3:5\",\n        \"altered\": [\n"
                       "          \"postgresql://u:***@h/db\"\n        ]\n      }");
    const char *keys[] = {"\"tables\": [", "\"enums\": []", "\"domains\": []", "\"composites\": []",
                          "\"sequences\": []", "\"views\": []", "\"functions\": []",
                          "\"extensions\": []", "\"grants\": []", "\"opaque\": []"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        assert_contains(s, keys[i]);
    assert_true(s[strlen(s) - 1] == '\n' && s[strlen(s) - 2] == '}');
    free(s);

    emit_opts noprov = {false, true};
    strbuf sb = STRBUF_INIT;
    emit_json(&sb, cat, &noprov);
    assert_not_contains(strbuf_str(&sb), "provenance");
    strbuf_release(&sb);
    catalog_free(cat);
}

static void test_json_sorted_and_stable(void **state)
{
    (void)state;
    catalog *cat = catalog_new(DIALECT_SQLITE);
    catalog_table_add(cat, NULL, "zeta", LOC);
    catalog_table_add(cat, NULL, "alpha", LOC);
    char *s = emit_to_string(cat, emit_json);
    assert_true(pos(s, "\"name\": \"alpha\"") < pos(s, "\"name\": \"zeta\""));
    assert_contains(s, "\"dialect\": \"sqlite\"");
    assert_contains(s, "\"source\": null");
    free(s);
    catalog_free(cat);
}

/* ---- Markdown ------------------------------------------------------------------------ */

static void test_markdown(void **state)
{
    (void)state;
    catalog *cat = rich_pg_catalog();
    char *s = emit_to_string(cat, emit_markdown);
    assert_contains(s, "# Schema\n\nSource: t.sql\n");
    assert_contains(s, "\n## public.z_parent\n\n| column | type | null | default | comment |\n"
                       "|---|---|---|---|---|\n"
                       "| id | integer | no | nextval('z_parent_id_seq'::regclass) |  |\n"
                       "| n | integer | yes |  | a number |\n");
    assert_contains(s, "| Label | text collate C | yes |  |  |\n");
    assert_contains(s, "- z_parent_n_check: CHECK (n > 0)\n");
    assert_contains(s, "- trg_touch: BEFORE INSERT OR UPDATE FOR EACH ROW → touch()\n");
    assert_contains(s, "- p_read: PERMISSIVE FOR SELECT TO app_reader, public USING (n > 1)\n");
    assert_contains(s, "Row level security: enabled, forced\n");
    assert_contains(s, "## Views\n");
    assert_contains(s, "## Functions\n");
    assert_contains(s, "- public.mood: enum (sad, it's ok)\n");
    assert_contains(s, "## Sequences\n");
    assert_contains(s, "## Extensions\n\n- pg_trgm (schema public)\n");
    assert_true(pos(s, "## App.user") < pos(s, "## public.a_child"));
    free(s);
    catalog_free(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quote_ident_pg),
        cmocka_unit_test(test_quote_ident_sqlite),
        cmocka_unit_test(test_quote_qualified_literal),
        cmocka_unit_test(test_dollar_tag),
        cmocka_unit_test(test_pg_ddl_fragments),
        cmocka_unit_test(test_pg_routine_tiers),
        cmocka_unit_test(test_pg_ddl_deterministic),
        cmocka_unit_test(test_pg_ddl_no_header),
        cmocka_unit_test(test_pg_ddl_applies),
        cmocka_unit_test(test_sqlite_ddl),
        cmocka_unit_test(test_json_escaping_and_keys),
        cmocka_unit_test(test_json_sorted_and_stable),
        cmocka_unit_test(test_markdown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
