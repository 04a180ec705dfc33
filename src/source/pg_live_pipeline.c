/*
 * pg_live_pipeline.c — the live PostgreSQL reader's sessions: connecting,
 * the read-only snapshot, and running the plan of catalog queries.
 *
 * The reader first collects its queries (one per object kind), then sends
 * them all at once in libpq pipeline mode, split over two sessions that
 * share one exported snapshot (SET TRANSACTION SNAPSHOT, as pg_dump -j
 * does), so the server works on two backends while this process turns
 * earlier results into catalog objects.  Results are consumed in plan
 * order.  If the second session cannot be opened, everything runs on the
 * first one.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "source/pg_live_int.h"
#include "util/strbuf.h"

#define TEXTARRAYOID 1009

/* Queries that run on the second session: together about half the server
 * time of a big catalog (the rest, tables and columns first, on the first). */
static const char *const second_session[] = {
    "constraints", "sequences", "grants", "functions", "triggers", "policies", NULL,
};

static int route(const char *what)
{
    for (int i = 0; second_session[i]; i++)
        if (!strcmp(second_session[i], what))
            return 1;
    return 0;
}

static int exec_simple(pg_live_ctx *x, PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK ? 0 : -1;
    if (rc)
        pg_live_diag(x, "", PQresultErrorMessage(r));
    PQclear(r);
    return rc;
}

static const char session_setup[] =
    "SET LOCAL search_path = public; SET LOCAL jit = off; SET LOCAL work_mem = '64MB'; "
    "SET LOCAL max_parallel_workers_per_gather = 0";

/* The second session on the first one's snapshot; silently none on failure
 * (too many connections, a pooler without snapshot export, ...). */
static void open_second(pg_live_ctx *x, const char *conninfo)
{
    PGresult *r = PQexec(x->conn, "SELECT pg_export_snapshot()");
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
        PQclear(r);
        return;
    }
    strbuf sb = STRBUF_INIT;
    const char *snap = PQgetvalue(r, 0, 0);
    strbuf_adds(&sb, "SET TRANSACTION SNAPSHOT '");
    for (const char *p = snap; *p; p++)
        if (isalnum((unsigned char)*p) || *p == '-')
            strbuf_addch(&sb, *p);
    strbuf_addch(&sb, '\'');
    PQclear(r);
    PGconn *c = PQconnectdb(conninfo);
    bool ok = c && PQstatus(c) == CONNECTION_OK;
    if (ok) {
        PGresult *b = PQexec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        ok = PQresultStatus(b) == PGRES_COMMAND_OK;
        PQclear(b);
    }
    if (ok) {
        PGresult *s = PQexec(c, strbuf_str(&sb));
        ok = PQresultStatus(s) == PGRES_COMMAND_OK;
        PQclear(s);
    }
    if (ok) {
        PGresult *s = PQexec(c, session_setup);
        ok = PQresultStatus(s) == PGRES_COMMAND_OK;
        PQclear(s);
    }
    strbuf_release(&sb);
    if (ok)
        x->conn2 = c;
    else
        PQfinish(c);
}

int pg_live_connect(pg_live_ctx *x, const char *conninfo)
{
    x->conn = PQconnectdb(conninfo);
    if (!x->conn || PQstatus(x->conn) != CONNECTION_OK) {
        pg_live_diag(x, "", x->conn ? PQerrorMessage(x->conn) : "out of memory");
        PQfinish(x->conn);
        x->conn = NULL;
        return -1;
    }
    if (exec_simple(x, x->conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") != 0 ||
        exec_simple(x, x->conn, session_setup) != 0) {
        pg_live_disconnect(x);
        return -1;
    }
    open_second(x, conninfo);
    return 0;
}

void pg_live_disconnect(pg_live_ctx *x)
{
    /* closing a session ends its read-only transaction */
    PQfinish(x->conn2);
    PQfinish(x->conn);
    x->conn = x->conn2 = NULL;
}

static PGconn *planned_conn(pg_live_ctx *x, const pg_live_planned *p)
{
    return p->conn && x->conn2 ? x->conn2 : x->conn;
}

int pg_live_send_plan(pg_live_ctx *x)
{
    PGconn *conns[2] = {x->conn, x->conn2};
    for (int k = 0; k < 2; k++)
        if (conns[k] && !PQenterPipelineMode(conns[k])) {
            pg_live_diag(x, "pipeline mode: ", PQerrorMessage(conns[k]));
            return -1;
        }
    const char *params[1] = {x->schema_param};
    const Oid types[1] = {TEXTARRAYOID};
    for (size_t i = 0; i < x->plan.n; i++) {
        PGconn *c = planned_conn(x, &x->plan.v[i]);
        if (!PQsendQueryParams(c, x->plan.v[i].sql, 1, types, params, NULL, NULL, 0)) {
            pg_live_diag(x, "sending catalog queries: ", PQerrorMessage(c));
            return -1;
        }
    }
    for (int k = 0; k < 2; k++)
        if (conns[k] && !PQpipelineSync(conns[k])) {
            pg_live_diag(x, "sending catalog queries: ", PQerrorMessage(conns[k]));
            return -1;
        }
    return 0;
}

PGresult *pg_live_query(pg_live_ctx *x, const char *what, const char *sql)
{
    if (x->collecting) {
        pg_live_planned p = {what, sql, route(what)};
        VEC_PUSH(&x->tmp, x->plan, p);
        return NULL;
    }
    if (x->next >= x->plan.n || x->plan.v[x->next].sql != sql) {
        diag_error(x->diags, x->loc, "reading %s: internal error: query out of plan order", what);
        return NULL;
    }
    PGconn *c = planned_conn(x, &x->plan.v[x->next++]);
    if (x->conn2) /* let the other session's results flow while we wait */
        PQconsumeInput(c == x->conn ? x->conn2 : x->conn);
    PGresult *r = PQgetResult(c);
    for (PGresult *end = r ? PQgetResult(c) : NULL; end; end = PQgetResult(c))
        PQclear(end);
    if (PQresultStatus(r) == PGRES_TUPLES_OK)
        return r;
    char prefix[96];
    snprintf(prefix, sizeof prefix, "reading %s: ", what);
    pg_live_diag(x, prefix, r ? PQresultErrorMessage(r) : PQerrorMessage(c));
    PQclear(r);
    return NULL;
}
