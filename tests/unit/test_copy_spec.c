/*
 * test_copy_spec.c — unit tests of src/data/copy_spec*.c: the spec parser
 * (the example spec, errors at spec:line:col, load order, schema suffix)
 * and copy_spec_run on the real PostgreSQL server with the
 * examples/backstage-to-cogito data: counts per table and tenant, the
 * remapped keys of a colliding client, foreign keys following them, content
 * checksums, resume after a SIGKILL in the middle of the run, idempotent
 * re-run.
 */
#define DB_FIXTURE_DB "dbsage_test_copy_spec"
#include "db_fixture.h"

#include "data/copy.h"
#include "data/copy_spec.h"
#include "util/strbuf.h"

static char src_url[1024], dst_url[1024];

static const char *example(const char *name)
{
    static char buf[4][1024];
    static int k;
    char *p = buf[k++ % 4];
    const char *root = getenv("DBSAGE_SOURCE_DIR");
    snprintf(p, 1024, "%s/examples/backstage-to-cogito/%s", root ? root : ".", name);
    return p;
}

static copy_spec *parse_text(arena *mem, diag_list *dl, const char *text)
{
    diag_list_init(dl, mem);
    return copy_spec_parse(mem, "t.yaml", text, strlen(text), dl);
}

static void test_parse_example(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    copy_spec *s = copy_spec_load(&mem, example("copy.yaml"), &dl);
    if (!s)
        diag_print(stderr, &dl, false);
    assert_non_null(s);
    assert_true(s->has_tenants);
    assert_string_equal(s->tenants.schemas, "client_*");
    assert_string_equal(s->tenants.column, "client_id");
    assert_int_equal(s->tenants.from, COPY_TENANT_SCHEMA_SUFFIX);
    assert_non_null(s->tenants.lookup);
    assert_int_equal(s->tables.n, 6);
    const copy_spec_table *bt = &s->tables.v[4];
    assert_string_equal(bt->into, "conversation.block_turns");
    assert_string_equal(bt->schema, "conversation");
    assert_string_equal(bt->name, "block_turns");
    assert_true(bt->per_tenant && bt->tenant_column);
    assert_int_equal(bt->references.n, 2);
    assert_int_equal(bt->references.v[0].table_index, 2);
    assert_int_equal(bt->references.v[1].table_index, 3);
    assert_int_equal(s->tables.v[2].remap, COPY_REMAP_OFFSET);
    assert_int_equal(s->tables.v[3].remap, COPY_REMAP_MAP);
    assert_false(s->tables.v[0].tenant_column);
    assert_int_equal(dl.n_errors, 0);
    arena_free(&mem);
}

static void test_parse_errors(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    diag_list dl;
    /* unknown key, at its line:col */
    assert_null(parse_text(&mem, &dl, "version: 1\ntables:\n  - into: t\n    select: SELECT 1\n    bogus: 3\n"));
    const diag *e = first_error(&dl);
    assert_non_null(e);
    assert_string_equal(e->loc.file, "t.yaml");
    assert_int_equal(e->loc.line, 5);
    assert_int_equal(e->loc.col, 5);
    assert_contains(e->message, "bogus");
    /* remap without key, per_tenant without tenants */
    assert_null(parse_text(&mem, &dl, "version: 1\ntables:\n  - into: t\n    per_tenant: true\n"
                                      "    select: SELECT 1 FROM {schema}.x\n    remap: offset\n"));
    assert_true(dl.n_errors >= 2);
    /* a reference to a table the spec does not load */
    assert_null(parse_text(&mem, &dl, "version: 1\ntables:\n  - into: a\n    select: SELECT 1\n"
                                      "    references: {b_id: b}\n"));
    e = first_error(&dl);
    assert_non_null(e);
    assert_int_equal(e->loc.line, 5);
    assert_contains(e->message, "'b' is not the 'into'");
    /* a cycle of references */
    assert_null(parse_text(&mem, &dl, "version: 1\ntables:\n  - into: a\n    select: SELECT 1\n"
                                      "    references: {b_id: b}\n  - into: b\n    select: SELECT 1\n"
                                      "    references: {a_id: a}\n"));
    assert_contains(first_error(&dl)->message, "cycle");
    /* bad YAML */
    assert_null(parse_text(&mem, &dl, "version: 1\ntables: [\n"));
    assert_contains(first_error(&dl)->message, "invalid YAML");
    /* wrong version, remap word */
    assert_null(parse_text(&mem, &dl, "version: 2\ntables: []\n"));
    assert_int_equal(first_error(&dl)->loc.line, 1);
    assert_int_equal(first_error(&dl)->loc.col, 10);
    /* load order: a referencing table written first still loads second */
    copy_spec *s = parse_text(&mem, &dl, "version: 1\ntables:\n  - into: child\n    select: SELECT 1\n"
                                         "    references: {p: parent}\n  - into: parent\n    select: SELECT 1\n");
    assert_non_null(s);
    assert_int_equal(s->order[0], 1);
    assert_int_equal(s->order[1], 0);
    arena_free(&mem);
}

static void test_schema_suffix(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    assert_string_equal(copy_spec_schema_suffix(&mem, "client_*", "client_dev"), "dev");
    assert_string_equal(copy_spec_schema_suffix(&mem, "t_*_v1", "t_acme_v1"), "acme");
    assert_string_equal(copy_spec_schema_suffix(&mem, "exact", "exact"), "exact");
    arena_free(&mem);
}

/* ---- the example on the real server -------------------------------------------- */

static void sh_ok(const char *cmd)
{
    if (system(cmd) != 0)
        fail_msg("command failed: %s", cmd);
}

static void make_db(PGconn *admin, const char *name, char *url, size_t cap)
{
    char sql[256];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    PQclear(PQexec(admin, sql));
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    PGresult *r = PQexec(admin, sql);
    assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
    url_with_db(url, cap, pg_admin_url(), name);
}

static void apply_migration_up(db_conn *c, const char *file)
{
    strbuf sb = STRBUF_INIT;
    assert_int_equal(strbuf_read_file(&sb, file), 0);
    char *down = strstr(sb.buf, "-- migrate:down");
    if (down)
        *down = '\0';
    exec_ok(c, sb.buf);
    strbuf_release(&sb);
}

static int kill_after;
static void progress_kill(void *ctx, const copy_job *job, int64_t rows, bool done)
{
    (void)ctx;
    (void)job;
    (void)rows;
    if (done && --kill_after == 0)
        raise(SIGKILL);
}

static int run_spec(copy_result *res, arena *mem, diag_list *dl, copy_progress_fn progress)
{
    db_conn *src = open_ok(src_url, false), *dst = open_ok(dst_url, false);
    copy_opts o = {0};
    o.progress = progress;
    o.batch = 7; /* many keyset chunks per table and tenant */
    diag_list_init(dl, mem);
    memset(res, 0, sizeof *res);
    int rc = copy_spec_run(src, dst, example("copy.yaml"), &o, mem, res, dl);
    if (rc != 0)
        diag_print(stderr, dl, false);
    db_close(src);
    db_close(dst);
    return rc;
}

static const char *q1(db_conn *c, const char *sql)
{
    int err;
    const char *v = db_query_value(c, sql, &err);
    if (err)
        fail_msg("query failed: %s\n--- %s", db_last_error(c), sql);
    return v ? v : "(null)";
}

static void test_example_pg(void **state)
{
    (void)state;
    PGconn *admin = PQconnectdb(pg_admin_url());
    PQsetNoticeProcessor(admin, quiet, NULL);
    assert_int_equal(PQstatus(admin), CONNECTION_OK);
    make_db(admin, "dbsage_test_copy_spec_src", src_url, sizeof src_url);
    make_db(admin, "dbsage_test_copy_spec_dst", dst_url, sizeof dst_url);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "python3 '%s' | psql '%s' -X -q -v ON_ERROR_STOP=1 >/dev/null", example("gen_backstage.py"),
             src_url);
    sh_ok(cmd);
    db_conn *dst = open_ok(dst_url, false);
    const char *migs[] = {"001_client_mgmt.sql", "002_onboard_clients.sql", "003_conversation.sql", "004_files.sql"};
    for (size_t i = 0; i < 4; i++) {
        char name[128];
        snprintf(name, sizeof name, "cogito/%s", migs[i]);
        apply_migration_up(dst, example(name));
    }

    /* 1. a run killed (SIGKILL) after its 8th unit (the turns are in, their
     * block_turns not: the resumed run reads the turns' map back) */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        arena mem;
        arena_init(&mem);
        diag_list dl;
        copy_result res;
        kill_after = 8;
        run_spec(&res, &mem, &dl, progress_kill);
        _exit(3); /* not reached when the kill happened */
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM dbsage_copy_progress WHERE done"), 8);
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM conversation.turns"), 126);
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM conversation.block_turns"), 0);

    /* 2. the resumed run completes what was left */
    arena mem;
    arena_init(&mem);
    diag_list dl;
    copy_result res;
    assert_int_equal(run_spec(&res, &mem, &dl, NULL), 0);
    size_t skipped = 0;
    for (size_t i = 0; i < res.tables.n; i++)
        skipped += res.tables.v[i].skipped_done;
    assert_int_equal(skipped, 8);
    assert_int_equal(res.tables.n, 2 + 4 * 3);
    assert_non_null(find_note(&dl, "'conversation.blocks': "));
    assert_contains(find_note(&dl, "'conversation.blocks': ")->message, "collide between tenants");

    db_conn *src = open_ok(src_url, false);
    /* counts per table */
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM conversation.participants"), 12);
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM conversation.llms"), 3);
    long turns = count_rows(src, "SELECT (SELECT count(*) FROM client_dev.grp_topic_avatar_turns) + (SELECT count(*) "
                                 "FROM client_bsa.grp_topic_avatar_turns) + (SELECT count(*) FROM "
                                 "client_acme.grp_topic_avatar_turns)");
    assert_int_equal(turns, 126);
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM conversation.turns"), turns);
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM conversation.block_turns"), turns);
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM conversation.blocks"), 18);
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM files.file_uploads"), 14);
    /* per tenant */
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM conversation.turns t JOIN client_mgmt.clients c ON "
                                     "c.id = t.client_id WHERE c.slug = 'bsa'"),
                     count_rows(src, "SELECT count(*) FROM client_bsa.grp_topic_avatar_turns"));
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM files.file_uploads f JOIN client_mgmt.clients c ON "
                                     "c.id = f.client_id WHERE c.slug = 'acme'"),
                     2);
    /* content checksum of client bsa's turns */
    assert_string_equal(q1(src, "SELECT md5(string_agg(content, '|' ORDER BY content)) FROM "
                                "client_bsa.grp_topic_avatar_turns"),
                        q1(dst, "SELECT md5(string_agg(t.content, '|' ORDER BY t.content)) FROM conversation.turns t "
                                "JOIN client_mgmt.clients c ON c.id = t.client_id WHERE c.slug = 'bsa'"));
    /* the remapped key: bsa's topic path 1 collided with acme's and dev's;
     * schemas load in sorted order (acme, bsa, dev), so bsa's keys move by
     * acme's max topic path id */
    long acme_max = count_rows(src, "SELECT max(id) FROM client_acme.topic_paths");
    const char *path1 = q1(src, "SELECT path FROM client_bsa.topic_paths WHERE id = 1");
    char sql[1024];
    snprintf(sql, sizeof sql, "SELECT id FROM conversation.blocks WHERE metadata->>'original_topic_path' = '%s'",
             path1);
    assert_int_equal(count_rows(dst, sql), 1 + acme_max);
    /* its turns point at it: the same contents, through block_turns */
    snprintf(sql, sizeof sql,
             "SELECT md5(string_agg(t.content, '|' ORDER BY bt.sequence_order)) FROM conversation.block_turns bt "
             "JOIN conversation.turns t ON t.id = bt.turn_id WHERE bt.block_id = %ld",
             1 + acme_max);
    char want[64];
    snprintf(want, sizeof want, "%s", q1(dst, sql));
    assert_string_equal(want, q1(src, "SELECT md5(string_agg(content, '|' ORDER BY created_at, id)) FROM "
                                      "client_bsa.grp_topic_avatar_turns WHERE topic_path_id = 1"));
    /* turn ids came from the identity and are in the map */
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM dbsage_key_map WHERE \"table\" = 'conversation.turns'"),
                     turns);
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM conversation.turns t JOIN dbsage_key_map m ON m.\"table\" = "
                                     "'conversation.turns' AND m.new_key = t.id::text AND m.old_key = "
                                     "(t.metadata->>'original_turn_id')"),
                     turns);
    /* FK integrity: no link crosses tenants, nothing dangles */
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM conversation.block_turns bt JOIN conversation.blocks b ON "
                                     "b.id = bt.block_id JOIN conversation.turns t ON t.id = bt.turn_id WHERE "
                                     "b.client_id <> bt.client_id OR t.client_id <> bt.client_id"),
                     0);
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM conversation.block_turns bt LEFT JOIN conversation.turns t "
                                     "ON t.id = bt.turn_id WHERE t.id IS NULL"),
                     0);
    /* the identity continues after the loaded keys */
    exec_ok(dst, "INSERT INTO conversation.blocks (client_id, name) VALUES (1, 'new')");
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM conversation.blocks WHERE name = 'new' AND id > "
                                     "(SELECT max(id) FROM conversation.blocks WHERE name <> 'new')"),
                     1);
    exec_ok(dst, "DELETE FROM conversation.blocks WHERE name = 'new'");

    /* 3. a re-run moves nothing and changes nothing */
    assert_int_equal(run_spec(&res, &mem, &dl, NULL), 0);
    assert_int_equal(res.rows, 0);
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM conversation.turns"), turns);
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM conversation.blocks"), 18);

    db_close(src);
    db_close(dst);
    arena_free(&mem);
    PQclear(PQexec(admin, "DROP DATABASE IF EXISTS dbsage_test_copy_spec_src WITH (FORCE)"));
    PQclear(PQexec(admin, "DROP DATABASE IF EXISTS dbsage_test_copy_spec_dst WITH (FORCE)"));
    PQfinish(admin);
}

/* ---- small specs: SQLite target, errors before any row moves ---------------------- */

static const char *write_spec(const char *name, const char *text)
{
    const char *path = sqlite_path(name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void small_source(db_conn *src)
{
    exec_ok(src, "DROP SCHEMA IF EXISTS t_a CASCADE; DROP SCHEMA IF EXISTS t_b CASCADE;"
                 "CREATE SCHEMA t_a; CREATE SCHEMA t_b;"
                 "CREATE TABLE t_a.items (id serial PRIMARY KEY, name text);"
                 "CREATE TABLE t_b.items (id serial PRIMARY KEY, name text);"
                 "CREATE TABLE t_a.notes (id serial PRIMARY KEY, item_id int REFERENCES t_a.items(id), body text);"
                 "CREATE TABLE t_b.notes (id serial PRIMARY KEY, item_id int REFERENCES t_b.items(id), body text);"
                 "INSERT INTO t_a.items (name) VALUES ('a1'), ('a2'), ('a3');"
                 "INSERT INTO t_b.items (name) VALUES ('b1'), ('b2');"
                 "INSERT INTO t_a.notes (item_id, body) VALUES (1, 'on a1'), (3, 'on a3'), (NULL, 'loose a');"
                 "INSERT INTO t_b.notes (item_id, body) VALUES (2, 'on b2'), (1, 'on b1');");
}

static const char SMALL_SPEC[] = "version: 1\n"
                                 "tenants: {schemas: 't_*', column: tenant, value: {from: schema_suffix}}\n"
                                 "tables:\n"
                                 "  - into: notes\n"
                                 "    per_tenant: true\n"
                                 "    select: SELECT id, item_id, body FROM {schema}.notes\n"
                                 "    key: id\n"
                                 "    remap: offset\n"
                                 "    references: {item_id: items}\n"
                                 "  - into: items\n"
                                 "    per_tenant: true\n"
                                 "    select: SELECT id, name FROM {schema}.items\n"
                                 "    key: id\n"
                                 "    remap: map\n";

static void test_sqlite_target(void **state)
{
    (void)state;
    db_conn *src = open_ok(pg_db_url, false);
    small_source(src);
    db_conn *dst = open_ok(sqlite_path("small.db"), true);
    exec_ok(dst, "CREATE TABLE items (id INTEGER PRIMARY KEY, tenant TEXT NOT NULL, name TEXT);"
                 "CREATE TABLE notes (id INTEGER PRIMARY KEY, tenant TEXT NOT NULL, "
                 "item_id INTEGER REFERENCES items(id), body TEXT);"
                 "INSERT INTO items VALUES (1, 'old', 'already there');");
    const char *spec = write_spec("small.yaml", SMALL_SPEC);
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    copy_result res = {0};
    int rc = copy_spec_run(src, dst, spec, NULL, &mem, &res, &dl);
    if (rc)
        diag_print(stderr, &dl, false);
    assert_int_equal(rc, 0);
    assert_int_equal(res.rows, 10);
    /* items loaded first (notes reference them); new keys after the existing row */
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM items"), 6);
    assert_int_equal(count_rows(dst, "SELECT min(id) FROM items WHERE tenant <> 'old'"), 2);
    /* every note points at the item of its own tenant it pointed at in the source */
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM notes n JOIN items i ON i.id = n.item_id "
                                     "WHERE i.tenant = n.tenant AND n.body = 'on ' || i.name"),
                     4);
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM notes WHERE item_id IS NULL AND body = 'loose a'"), 1);
    /* notes' ids collided (1, 2 in both): a keeps them, b moved by a's max (3) */
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM notes WHERE tenant = 'b' AND id IN (4, 5)"), 2);
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM notes WHERE tenant = 'a' AND id IN (1, 2, 3)"), 3);
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM dbsage_key_map WHERE \"table\" = 'items'"), 5);
    /* restart: emptied and loaded again, same result */
    copy_opts o = {0};
    o.restart = true;
    memset(&res, 0, sizeof res);
    assert_int_equal(copy_spec_run(src, dst, spec, &o, &mem, &res, &dl), 0);
    assert_int_equal(res.rows, 10);
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM items"), 5);
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM notes n JOIN items i ON i.id = n.item_id "
                                     "WHERE i.tenant = n.tenant AND n.body = 'on ' || i.name"),
                     4);
    db_close(dst);
    db_close(src);
    arena_free(&mem);
}

static void test_errors_before_rows_move(void **state)
{
    (void)state;
    db_conn *src = open_ok(pg_db_url, false);
    small_source(src);
    db_conn *dst = open_ok(sqlite_path("err.db"), true);
    exec_ok(dst, "CREATE TABLE items (id INTEGER PRIMARY KEY, tenant TEXT, name TEXT);"
                 "CREATE TABLE clients (id INTEGER PRIMARY KEY, slug TEXT)");
    arena mem;
    arena_init(&mem);
    diag_list dl;
    copy_result res = {0};
    /* remap none with colliding keys: an error naming the count, no row written */
    const char *spec = write_spec("none.yaml", "version: 1\n"
                                               "tenants: {schemas: 't_*', column: tenant}\n"
                                               "tables:\n"
                                               "  - into: items\n"
                                               "    per_tenant: true\n"
                                               "    select: SELECT id, name FROM {schema}.items\n"
                                               "    key: id\n");
    diag_list_init(&dl, &mem);
    assert_int_equal(copy_spec_run(src, dst, spec, NULL, &mem, &res, &dl), -1);
    assert_contains(first_error(&dl)->message, "2 values of key 'id' occur in more than one tenant schema");
    assert_int_equal(first_error(&dl)->loc.line, 4);
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM items"), 0);
    /* a tenant lookup without a row */
    spec = write_spec("lookup.yaml", "version: 1\n"
                                     "tenants:\n"
                                     "  schemas: 't_*'\n"
                                     "  column: tenant\n"
                                     "  value: {lookup: 'SELECT id FROM clients WHERE slug = $1', from: schema_suffix}\n"
                                     "tables:\n"
                                     "  - into: items\n"
                                     "    per_tenant: true\n"
                                     "    select: SELECT name FROM {schema}.items\n");
    diag_list_init(&dl, &mem);
    assert_int_equal(copy_spec_run(src, dst, spec, NULL, &mem, &res, &dl), -1);
    assert_contains(first_error(&dl)->message, "no value for 'a' (schema t_a)");
    exec_ok(dst, "INSERT INTO clients (id, slug) VALUES (10, 'a'), (20, 'b')");
    diag_list_init(&dl, &mem);
    assert_int_equal(copy_spec_run(src, dst, spec, NULL, &mem, &res, &dl), 0);
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM items WHERE tenant = '20'"), 2);
    /* no schema matches */
    spec = write_spec("nomatch.yaml", "version: 1\ntenants: {schemas: 'nobody_*', column: tenant}\n"
                                      "tables:\n  - into: items\n    per_tenant: true\n"
                                      "    select: SELECT name FROM {schema}.items\n");
    diag_list_init(&dl, &mem);
    assert_int_equal(copy_spec_run(src, dst, spec, NULL, &mem, &res, &dl), -1);
    assert_contains(first_error(&dl)->message, "no schema of the source matches 'nobody_*'");
    db_close(dst);
    db_close(src);
    arena_free(&mem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_example),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_schema_suffix),
        cmocka_unit_test(test_example_pg),
        cmocka_unit_test(test_sqlite_target),
        cmocka_unit_test(test_errors_before_rows_move),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
