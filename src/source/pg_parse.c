/*
 * pg_parse.c — owns libpg_query parsing for the PostgreSQL SQL-file reader
 * (pg_parse.h): parse trees unpacked into an arena through a protobuf-c
 * allocator (one arena_free instead of a free_unpacked walk over every
 * node), and the parse-ahead queue: worker threads read and parse the next
 * few files of a directory while the main thread interprets the current
 * one.  libpg_query keeps its memory contexts per thread, so parsing on
 * several threads at once is safe (it frees a thread's contexts itself
 * when the thread exits).  At most PARSE_WINDOW parsed files wait at any time, which keeps
 * memory bounded for huge directories.
 */
#include "source/pg_parse.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source/source.h"

enum { PARSE_WINDOW = 4, PARSE_MAX_THREADS = 8 };

/* ---- arena-backed unpack ---------------------------------------------------- */

static void *arena_pb_alloc(void *data, size_t size)
{
    return arena_alloc((arena *)data, size ? size : 1);
}

static void arena_pb_free(void *data, void *ptr)
{
    (void)data;
    (void)ptr;
}

PgQuery__ParseResult *pg_parse_unpack(arena *mem, const void *data, size_t len)
{
    ProtobufCAllocator al = {arena_pb_alloc, arena_pb_free, mem};
    return pg_query__parse_result__unpack(&al, len, (const uint8_t *)data);
}

/* ---- one file ----------------------------------------------------------------- */

static pg_parsed *parse_file(const char *path)
{
    pg_parsed *p = calloc(1, sizeof *p);
    if (!p)
        abort();
    p->path = path;
    strbuf_init(&p->text);
    arena_init(&p->mem);
    if (strbuf_read_file(&p->text, path) != 0) {
        p->read_errno = errno ? errno : EIO;
        return p;
    }
    source_mask_down_sections(p->text.buf, p->text.len);
    PgQueryProtobufParseResult r = pg_query_parse_protobuf(strbuf_str(&p->text));
    if (!r.error)
        p->tree = pg_parse_unpack(&p->mem, r.parse_tree.data, r.parse_tree.len);
    pg_query_free_protobuf_parse_result(r);
    return p;
}

void pg_parse_release(pg_parsed *p)
{
    if (!p)
        return;
    strbuf_release(&p->text);
    arena_free(&p->mem);
    free(p);
}

/* ---- the queue ------------------------------------------------------------------ */

struct pg_parse_queue {
    const char *const *paths;
    size_t n;
    size_t next_claim;               /* next file a worker parses */
    size_t next_take;                /* next file the consumer takes */
    pg_parsed *slots[PARSE_WINDOW];  /* file i waits in slots[i % PARSE_WINDOW] */
    bool stop;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t th[PARSE_MAX_THREADS];
    int nth;
};

static void *worker(void *arg)
{
    pg_parse_queue *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->mu);
        while (!q->stop && q->next_claim < q->n && q->next_claim >= q->next_take + PARSE_WINDOW)
            pthread_cond_wait(&q->cv, &q->mu);
        if (q->stop || q->next_claim >= q->n) {
            pthread_mutex_unlock(&q->mu);
            break;
        }
        size_t i = q->next_claim++;
        pthread_mutex_unlock(&q->mu);

        pg_parsed *p = parse_file(q->paths[i]);

        pthread_mutex_lock(&q->mu);
        q->slots[i % PARSE_WINDOW] = p;
        pthread_cond_broadcast(&q->cv);
        pthread_mutex_unlock(&q->mu);
    }
    /* no pg_query_exit(): libpg_query frees this thread's memory context
     * in its own thread-exit destructor (calling both frees it twice) */
    return NULL;
}

static int default_threads(void)
{
    const char *env = getenv("DBSAGE_PARSE_THREADS");
    if (env && *env) {
        int t = atoi(env);
        return t < 0 ? 0 : t > PARSE_MAX_THREADS ? PARSE_MAX_THREADS : t;
    }
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return cpus >= 2 ? 2 : 1;
}

pg_parse_queue *pg_parse_start(const char *const *paths, size_t n, int threads)
{
    pg_parse_queue *q = calloc(1, sizeof *q);
    if (!q)
        abort();
    q->paths = paths;
    q->n = n;
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
    if (threads <= 0)
        threads = default_threads();
    if (threads > PARSE_MAX_THREADS)
        threads = PARSE_MAX_THREADS;
    if (n < 2)
        threads = 0;
    for (int i = 0; i < threads && (size_t)i < n; i++) {
        if (pthread_create(&q->th[q->nth], NULL, worker, q) != 0)
            break;
        q->nth++;
    }
    return q;
}

pg_parsed *pg_parse_next(pg_parse_queue *q)
{
    if (q->next_take >= q->n)
        return NULL;
    if (q->nth == 0)
        return parse_file(q->paths[q->next_take++]);
    pthread_mutex_lock(&q->mu);
    size_t i = q->next_take;
    while (!q->slots[i % PARSE_WINDOW])
        pthread_cond_wait(&q->cv, &q->mu);
    pg_parsed *p = q->slots[i % PARSE_WINDOW];
    q->slots[i % PARSE_WINDOW] = NULL;
    q->next_take++;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
    return p;
}

void pg_parse_finish(pg_parse_queue *q)
{
    if (!q)
        return;
    pthread_mutex_lock(&q->mu);
    q->stop = true;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
    for (int i = 0; i < q->nth; i++)
        pthread_join(q->th[i], NULL);
    for (int i = 0; i < PARSE_WINDOW; i++)
        pg_parse_release(q->slots[i]);
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->mu);
    free(q);
}

/* ---- reading a list of files ----------------------------------------------------- */

int pg_sql_read_files(catalog *cat, const char *const *paths, size_t n, diag_list *diags)
{
    pg_parse_queue *q = pg_parse_start(paths, n, 0);
    int rc = 0;
    pg_parsed *p;
    while (rc == 0 && (p = pg_parse_next(q))) {
        if (p->read_errno) {
            src_loc l = {p->path, 0, 0};
            diag_error(diags, l, "cannot read file");
            rc = -1;
        } else {
            rc = pg_sql_read_parsed(cat, p->path, strbuf_str(&p->text), p->text.len, p->tree, diags);
        }
        pg_parse_release(p);
    }
    pg_parse_finish(q);
    return rc;
}
