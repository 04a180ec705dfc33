/*
 * fuzz_sqlite_sql.c — libFuzzer target: arbitrary bytes as a SQLite SQL file
 * through sqlite_sql_read into a fresh catalog, then every emitter on the result.
 * Must never crash, hang, leak or trip UBSan.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "emit/emit.h"
#include "source/source.h"
#include "util/bigstack.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct fuzz_input {
    const uint8_t *data;
    size_t size;
} fuzz_input;

static int fuzz_one(void *p)
{
    const uint8_t *data = ((fuzz_input *)p)->data;
    size_t size = ((fuzz_input *)p)->size;
    char *sql = malloc(size + 1);
    if (!sql)
        return 0;
    if (size)
        memcpy(sql, data, size);
    sql[size] = '\0';

    arena mem;
    arena_init(&mem);
    diag_list diags;
    diag_list_init(&diags, &mem);
    catalog *cat = catalog_new(DIALECT_SQLITE);
    (void)sqlite_sql_read(cat, "fuzz.sql", sql, size, &diags);

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
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    return bigstack_run(fuzz_one, &in);
}
