/*
 * fuzz_sqlite_sql.c — libFuzzer target: arbitrary bytes as a SQLite SQL file
 * through sqlite_sql_read into a fresh catalog, then every emitter on the result
 * (body: fuzz_sql_common.h).
 */
#include "fuzz_sql_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_sql_run(data, size, sqlite_sql_read, DIALECT_SQLITE);
}
