/*
 * fuzz_pg_sql.c — libFuzzer target: arbitrary bytes as a PostgreSQL SQL file
 * through pg_sql_read into a fresh catalog, then every emitter on the result
 * (body: fuzz_sql_common.h).
 */
#include "fuzz_sql_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_sql_run(data, size, pg_sql_read, DIALECT_PG);
}
