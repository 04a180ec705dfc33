/*
 * fuzz_sql_common.h — owns: the body shared by the SQL-file fuzz targets
 * (fuzz_pg_sql.c, fuzz_sqlite_sql.c): arbitrary bytes as a SQL file through one
 * reader into a fresh catalog of its dialect, then every emitter on the result.
 * Must never crash, hang, leak or trip UBSan.
 */
#ifndef DBSAGE_FUZZ_SQL_COMMON_H
#define DBSAGE_FUZZ_SQL_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "emit/emit.h"
#include "source/source.h"
#include "util/bigstack.h"
#include "util/strbuf.h"

/* pg_sql_read, sqlite_sql_read */
typedef int (*fuzz_sql_reader)(catalog *cat, const char *filename, const char *sql, size_t len,
                               diag_list *diags);

typedef struct fuzz_sql_input {
    const uint8_t *data;
    size_t size;
    fuzz_sql_reader read;
    dialect dialect;
} fuzz_sql_input;

static inline int fuzz_sql_one(void *p)
{
    const fuzz_sql_input *in = p;
    char *sql = malloc(in->size + 1);
    if (!sql)
        return 0;
    if (in->size)
        memcpy(sql, in->data, in->size);
    sql[in->size] = '\0';

    arena mem;
    arena_init(&mem);
    diag_list diags;
    diag_list_init(&diags, &mem);
    catalog *cat = catalog_new(in->dialect);
    (void)in->read(cat, "fuzz.sql", sql, in->size, &diags);

    strbuf out = STRBUF_INIT;
    emit_opts opts = {true, true};
    emit_sql(&out, cat, &opts);
    strbuf_reset(&out);
    emit_json(&out, cat, &opts);
    strbuf_reset(&out);
    emit_markdown(&out, cat, &opts);
    strbuf_release(&out);

    catalog_free(cat);
    arena_free(&mem);
    free(sql);
    return 0;
}

/* as in the CLI, the reader runs on a big stack (util/bigstack.h) */
static inline int fuzz_sql_run(const uint8_t *data, size_t size, fuzz_sql_reader read, dialect d)
{
    fuzz_sql_input in = {data, size, read, d};
    return bigstack_run(fuzz_sql_one, &in);
}

#endif
