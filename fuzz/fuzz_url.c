/*
 * fuzz_url.c — libFuzzer target: arbitrary bytes as a source spec through
 * the url_* helpers and source_classify.  Must never crash or read out of
 * bounds; url_mask must never return NULL for a string.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "source/source.h"
#include "util/arena.h"
#include "util/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *spec = malloc(size + 1);
    if (!spec)
        return 0;
    if (size)
        memcpy(spec, data, size);
    spec[size] = '\0';

    arena mem;
    arena_init(&mem);
    bool pg = url_is_postgres(spec);
    bool lite = url_is_sqlite(spec);
    char *path = url_sqlite_path(&mem, spec);
    if (lite != (path != NULL))
        abort(); /* url_sqlite_path answers exactly for sqlite specs */
    if (!url_mask(&mem, spec))
        abort();
    source_kind kind = source_classify(spec);
    if (pg && kind != SOURCE_LIVE_PG)
        abort();
    arena_free(&mem);
    free(spec);
    return 0;
}
