/*
 * db_fixture.h — shared fixture of the src/db unit tests (test_db.c,
 * test_db_copy.c): a temporary directory for SQLite files and a scratch
 * PostgreSQL database DB_FIXTURE_DB (define it before including; one per
 * test program, so that they can run in parallel) on the ctest cluster
 * ($DBSAGE_PG_STATE/url, or DBSAGE_TEST_PG_URL; a missing server is a
 * failure, not a skip), plus small assertion helpers.
 */
#ifndef DBSAGE_TEST_DB_FIXTURE_H
#define DBSAGE_TEST_DB_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db/db.h"

#define assert_contains(hay, needle)                                                   \
    do {                                                                               \
        const char *hay_ = (hay);                                                      \
        if (!hay_ || !strstr(hay_, (needle)))                                          \
            fail_msg("expected to find: %s\n--- in: %s", (needle), hay_ ? hay_ : "(null)"); \
    } while (0)

static char tmpdir[256];
static char pg_db_url[1024];
static const char *PG_DB = DB_FIXTURE_DB;

/* ---- fixtures ------------------------------------------------------------------ */

static inline const char *pg_admin_url(void)
{
    static char url_buf[1024];
    const char *url = getenv("DBSAGE_TEST_PG_URL");
    if (url && *url)
        return url;
    const char *pg_state = getenv("DBSAGE_PG_STATE");
    if (!pg_state || !*pg_state)
        return NULL;
    char path[1024];
    snprintf(path, sizeof path, "%s/url", pg_state);
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t n = fread(url_buf, 1, sizeof url_buf - 1, f);
    fclose(f);
    while (n && (url_buf[n - 1] == '\n' || url_buf[n - 1] == ' '))
        n--;
    url_buf[n] = '\0';
    return url_buf;
}

/* the admin URL with its database replaced: postgresql://.../DB?... */
static inline void url_with_db(char *out, size_t cap, const char *url, const char *db)
{
    const char *q = strchr(url, '?');
    size_t end = q ? (size_t)(q - url) : strlen(url);
    size_t slash = end;
    while (slash > 0 && url[slash - 1] != '/')
        slash--;
    snprintf(out, cap, "%.*s%s%s", (int)slash, url, db, q ? q : "");
}

static inline void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static inline int group_setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/" DB_FIXTURE_DB ".XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    const char *admin_url = pg_admin_url();
    if (!admin_url) {
        fprintf(stderr, "" DB_FIXTURE_DB ": no PostgreSQL server (DBSAGE_PG_STATE/url)\n");
        return -1;
    }
    PGconn *admin = PQconnectdb(admin_url);
    PQsetNoticeProcessor(admin, quiet, NULL);
    if (PQstatus(admin) != CONNECTION_OK) {
        fprintf(stderr, "" DB_FIXTURE_DB ": %s\n", PQerrorMessage(admin));
        PQfinish(admin);
        return -1;
    }
    PQclear(PQexec(admin, "DROP DATABASE IF EXISTS " DB_FIXTURE_DB " WITH (FORCE)"));
    PGresult *r = PQexec(admin, "CREATE DATABASE " DB_FIXTURE_DB);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    PQfinish(admin);
    url_with_db(pg_db_url, sizeof pg_db_url, admin_url, PG_DB);
    return ok ? 0 : -1;
}

static inline int group_teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        return -1;
    const char *admin_url = pg_admin_url();
    if (admin_url) {
        PGconn *admin = PQconnectdb(admin_url);
        PQclear(PQexec(admin, "DROP DATABASE IF EXISTS " DB_FIXTURE_DB " WITH (FORCE)"));
        PQfinish(admin);
    }
    return 0;
}

static inline const char *sqlite_path(const char *name)
{
    static char buf[4][512];
    static int k;
    char *p = buf[k++ % 4];
    snprintf(p, 512, "%s/%s", tmpdir, name);
    return p;
}

static inline db_conn *open_ok(const char *spec, bool create)
{
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    db_open_opts o = {0};
    o.create = create;
    db_conn *c = db_open(spec, &o, &dl);
    if (!c) {
        diag_print(stderr, &dl, false);
        arena_free(&mem);
        fail_msg("cannot open %s", spec);
    }
    arena_free(&mem);
    return c;
}

/* a fresh connection of the engine under test: SQLite file per name, or
 * the scratch PG database (tables named per test) */
static inline db_conn *open_engine(dialect d, const char *sqlite_name)
{
    if (d == DIALECT_PG)
        return open_ok(pg_db_url, false);
    return open_ok(sqlite_path(sqlite_name), true);
}

static inline void exec_ok(db_conn *c, const char *sql)
{
    if (db_exec(c, sql) != 0)
        fail_msg("exec failed: %s\n--- %s", db_last_error(c), sql);
}

static inline long count_rows(db_conn *c, const char *sql)
{
    int err;
    const char *v = db_query_value(c, sql, &err);
    if (err)
        fail_msg("query failed: %s\n--- %s", db_last_error(c), sql);
    return v ? strtol(v, NULL, 10) : -1;
}

static inline const diag *first_error(const diag_list *dl)
{
    for (size_t i = 0; i < dl->items.n; i++)
        if (dl->items.v[i].severity == DIAG_ERROR)
            return &dl->items.v[i];
    return NULL;
}

static inline const diag *find_note(const diag_list *dl, const char *prefix)
{
    for (size_t i = 0; i < dl->items.n; i++)
        if (dl->items.v[i].severity == DIAG_NOTE && !strncmp(dl->items.v[i].message, prefix,
                                                             strlen(prefix)))
            return &dl->items.v[i];
    return NULL;
}

static inline db_conn *open_opts(const char *spec, const db_open_opts *o)
{
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    db_conn *c = db_open(spec, o, &dl);
    if (!c)
        diag_print(stderr, &dl, false);
    arena_free(&mem);
    assert_non_null(c);
    return c;
}

#endif
