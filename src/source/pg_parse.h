/*
 * pg_parse.h — libpg_query parsing for the PostgreSQL SQL-file reader:
 * unpacking a parse tree into an arena (no node-by-node free), and a
 * parse-ahead queue that reads and parses a list of files on worker
 * threads while the caller interprets them, strictly in order.
 */
#ifndef DBSAGE_PG_PARSE_H
#define DBSAGE_PG_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "catalog/catalog.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/strbuf.h"

/* Unpack libpg_query's protobuf output; every message lives in `mem`
 * (released with the arena).  NULL when the bytes do not decode. */
PgQuery__ParseResult *pg_parse_unpack(arena *mem, const void *data, size_t len);

/* One file read and parsed ahead. */
typedef struct pg_parsed {
    const char *path;
    strbuf text;                 /* the file's bytes */
    int read_errno;              /* != 0: the file could not be read */
    PgQuery__ParseResult *tree;  /* NULL: syntax error or undecodable; re-parse to report */
    arena mem;                   /* holds tree */
} pg_parsed;

typedef struct pg_parse_queue pg_parse_queue;

/* Start reading + parsing paths[0..n) ahead on worker threads (paths are
 * borrowed and must outlive the queue).  threads <= 0: default (the
 * DBSAGE_PARSE_THREADS environment variable, else 2).  With one file or
 * when threads cannot be started, files are parsed on demand instead. */
pg_parse_queue *pg_parse_start(const char *const *paths, size_t n, int threads);
/* The next file in order (blocks until parsed); NULL after the last. */
pg_parsed *pg_parse_next(pg_parse_queue *q);
void pg_parse_release(pg_parsed *p);
/* Stop the workers (even if files are left) and free everything. */
void pg_parse_finish(pg_parse_queue *q);

/* pg_sql_read() of a file already parsed (tree from pg_parse_unpack, or
 * NULL: parse sql here, reporting syntax errors).  Implemented in pg_sql.c. */
int pg_sql_read_parsed(catalog *cat, const char *filename, const char *sql, size_t len,
                       PgQuery__ParseResult *tree, diag_list *diags);

/* Read PostgreSQL SQL files in order into cat, parsing ahead in parallel;
 * stops at the first file that fails like pg_sql_read_file (returns -1). */
int pg_sql_read_files(catalog *cat, const char *const *paths, size_t n, diag_list *diags);

#endif
