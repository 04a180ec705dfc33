/*
 * db_sqlite.c — the SQLite engine of the driver (db.h): open with
 * sqlite3_open_v2 (SQLITE_OPEN_CREATE only when asked), busy timeout,
 * `PRAGMA foreign_keys = ON` on every connection, statement timeout through
 * sqlite3_progress_handler, script execution by sqlite3_prepare_v2 tails
 * (error at the statement, or at sqlite3_error_offset() inside it), prepared
 * statements with `$n` parameters, and the cross-process lock: an exclusive
 * fcntl lock on "<database>-dbsage.lock".
 */
#include "db/db_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SQLITE_DEFAULT_BUSY_MS 5000

static int progress_cb(void *arg)
{
    db_conn *c = arg;
    if (c->deadline_ms && db_now_ms() > c->deadline_ms) {
        c->timed_out = true;
        return 1;  /* interrupt: SQLITE_INTERRUPT */
    }
    return 0;
}

int dbsq_begin_step(db_conn *c)
{
    c->timed_out = false;
    c->deadline_ms = c->statement_timeout_ms > 0 ? db_now_ms() + c->statement_timeout_ms : 0;
    return 0;
}

void dbsq_end_step(db_conn *c)
{
    c->deadline_ms = 0;
}

static bool is_memory_db(const char *path)
{
    return !strcmp(path, ":memory:") || !*path;
}

db_conn *dbsq_open(db_conn *c, const char *path, const db_open_opts *opts, diag_list *diags)
{
    src_loc loc = {c->spec_masked, 0, 0};
    if (!path) {
        if (diags)
            diag_error(diags, loc, "no SQLite database path in the spec");
        return NULL;
    }
    c->path = path;
    /* a connection is only ever used by one thread at a time: no per-call
     * mutexes (they cost a few percent of bulk loads) */
    int flags = (opts->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
    if (opts->create && !opts->read_only)
        flags |= SQLITE_OPEN_CREATE;
    struct stat st;
    if (!is_memory_db(path) && !(flags & SQLITE_OPEN_CREATE) && stat(path, &st) != 0) {
        if (diags)
            diag_error(diags, loc, "no such database: %s", path);
        return NULL;
    }
    if (sqlite3_open_v2(path, &c->sq, flags, NULL) != SQLITE_OK) {
        if (diags)
            diag_error(diags, loc, "cannot open SQLite database %s: %s", path,
                       c->sq ? sqlite3_errmsg(c->sq) : "out of memory");
        sqlite3_close(c->sq);
        c->sq = NULL;
        return NULL;
    }
    sqlite3_extended_result_codes(c->sq, 1);
    sqlite3_busy_timeout(c->sq, c->lock_timeout_ms > 0 ? c->lock_timeout_ms : SQLITE_DEFAULT_BUSY_MS);
    if (c->statement_timeout_ms > 0)
        sqlite3_progress_handler(c->sq, 1000, progress_cb, c);
    /* foreign keys on, and a first read so that "file is not a database"
     * shows here rather than at the first statement */
    char *msg = NULL;
    if (sqlite3_exec(c->sq, "PRAGMA foreign_keys = ON; SELECT count(*) FROM sqlite_master", NULL,
                     NULL, &msg) != SQLITE_OK) {
        if (diags)
            diag_error(diags, loc, "cannot open SQLite database %s: %s", path,
                       msg ? msg : sqlite3_errmsg(c->sq));
        sqlite3_free(msg);
        sqlite3_close(c->sq);
        c->sq = NULL;
        return NULL;
    }
    return c;
}

void dbsq_close(db_conn *c)
{
    dbsq_lock_release(c);
    if (c->sq)
        sqlite3_close_v2(c->sq);
    c->sq = NULL;
}

/* length of the statement at the start of text (up to its ';'), for a
 * statement that did not prepare */
static size_t statement_extent(const char *text, size_t len)
{
    arena tmp;
    arena_init(&tmp);
    db_stmt_span *sp;
    size_t n = len;
    if (db_split_script(DIALECT_SQLITE, &tmp, text, len, &sp) > 0 && sp[0].offset == 0)
        n = sp[0].len;
    arena_free(&tmp);
    return n;
}

/* Run the statements of a text NUL-terminated at text[len]; on failure c->err is set,
 * *stmt_off and *stmt_len locate the failing statement and *err_off the error
 * inside the text (-1 when SQLite gives none). */
static int run_text(db_conn *c, const char *text, size_t len, size_t *stmt_off, size_t *stmt_len,
                    long *err_off)
{
    *err_off = -1;
    size_t off = 0;
    while (off < len) {
        size_t start = db_skip_blank(text, len, off, false);
        if (start >= len)
            break;
        sqlite3_stmt *st = NULL;
        const char *tail = NULL;
        *stmt_off = start;
        *stmt_len = len - start;
        /* the length includes the NUL terminator: SQLite would copy an
         * unterminated rest of the script for every statement otherwise */
        int rc = sqlite3_prepare_v2(c->sq, text + start, (int)(len - start + 1), &st, &tail);
        if (rc != SQLITE_OK) {
#if SQLITE_VERSION_NUMBER >= 3038000
            int eo = sqlite3_error_offset(c->sq);
            if (eo >= 0)
                *err_off = (long)(start + (size_t)eo);
#endif
            db_fail(c, "%s", sqlite3_errmsg(c->sq));
            sqlite3_finalize(st);
            *stmt_len = statement_extent(text + start, len - start);
            return -1;
        }
        size_t next = tail ? (size_t)(tail - text) : len;
        if (next <= start)
            next = start + 1;
        *stmt_len = db_trim_right(text + start, next - start);
        if (!st) {  /* a lone ';' */
            off = next;
            continue;
        }
        dbsq_begin_step(c);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        }
        dbsq_end_step(c);
        if (rc != SQLITE_DONE) {
            if (c->timed_out)
                db_fail(c, "canceling statement due to statement timeout (%d ms)",
                        c->statement_timeout_ms);
            else
                db_fail(c, "%s", sqlite3_errmsg(c->sq));
#if SQLITE_VERSION_NUMBER >= 3038000
            int eo = sqlite3_error_offset(c->sq);
            if (eo >= 0)
                *err_off = (long)(start + (size_t)eo);
#endif
            sqlite3_finalize(st);
            return -1;
        }
        sqlite3_finalize(st);
        off = next;
    }
    return 0;
}

int dbsq_exec(db_conn *c, const char *sql)
{
    size_t so, sl;
    long eo;
    size_t len = strlen(sql);
    if (len > INT_MAX)
        return db_fail(c, "SQL text too large");
    return run_text(c, sql, len, &so, &sl, &eo);
}

int dbsq_exec_script(db_conn *c, const char *file, const char *text, size_t len,
                     unsigned first_line, diag_list *diags)
{
    if (len > INT_MAX)
        return db_fail(c, "script too large");
    char *copy = malloc(len + 1);
    if (!copy)
        abort();
    memcpy(copy, text, len);
    copy[len] = '\0';
    size_t so = 0, sl = 0;
    long eo = -1;
    int rc = run_text(c, copy, len, &so, &sl, &eo);
    if (rc)
        db_script_error(c, diags, file, copy, len, first_line, so, sl, eo, NULL, NULL);
    free(copy);
    return rc;
}

db_stmt *dbsq_prepare(db_conn *c, const char *sql, int nparams)
{
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    if (sqlite3_prepare_v2(c->sq, sql, -1, &st, &tail) != SQLITE_OK) {
        db_fail(c, "%s", sqlite3_errmsg(c->sq));
        sqlite3_finalize(st);
        return NULL;
    }
    if (!st) {
        db_fail(c, "no SQL statement to prepare");
        return NULL;
    }
    if (tail && db_skip_blank(tail, strlen(tail), 0, false) < strlen(tail)) {
        sqlite3_finalize(st);
        db_fail(c, "db_prepare takes one statement");
        return NULL;
    }
    db_stmt *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->c = c;
    s->st = st;
    s->nparams = nparams;
    s->sq_index = calloc((size_t)nparams + 1, sizeof(int));
    if (!s->sq_index)
        abort();
    int found = 0;
    for (int i = 1; i <= nparams; i++) {
        char name[16];
        snprintf(name, sizeof name, "$%d", i);
        s->sq_index[i] = sqlite3_bind_parameter_index(st, name);
        found += s->sq_index[i] != 0;
    }
    if (sqlite3_bind_parameter_count(st) != found) {
        db_fail(c, "the statement has parameters other than $1..$%d", nparams);
        db_finalize(s);
        return NULL;
    }
    return s;
}

/* ---- lock ----------------------------------------------------------------------- */

/* An open-file-description lock where the kernel has them (Linux): it is
 * owned by the descriptor, so two connections of one process exclude each
 * other too; plain POSIX record locks otherwise. */
#ifdef F_OFD_SETLK
#define LOCK_CMD F_OFD_SETLK
#else
#define LOCK_CMD F_SETLK
#endif

int dbsq_lock_try(db_conn *c, const char *name, bool *got)
{
    (void)name;  /* one lock per database file */
    *got = false;
    if (c->lock_fd >= 0 || is_memory_db(c->path)) {
        *got = true;  /* held already / an in-memory database is private */
        return 0;
    }
    const char *lp = arena_printf(&c->mem, "%s-dbsage.lock", c->path);
    int fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return db_fail(c, "cannot open lock file %s: %s", lp, strerror(errno));
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    if (fcntl(fd, LOCK_CMD, &fl) == 0) {
        c->lock_fd = fd;
        *got = true;
        return 0;
    }
    int e = errno;
    close(fd);
    if (e == EAGAIN || e == EACCES)
        return 0;
    return db_fail(c, "cannot lock %s: %s", lp, strerror(e));
}

int dbsq_lock_release(db_conn *c)
{
    if (c->lock_fd >= 0)
        close(c->lock_fd);  /* drops the lock */
    c->lock_fd = -1;
    return 0;
}
