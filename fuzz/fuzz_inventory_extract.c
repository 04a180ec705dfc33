/*
 * fuzz_inventory_extract.c — libFuzzer target: arbitrary bytes as a
 * Python / JavaScript / TypeScript source file through the extraction of
 * SQL string literals (inventory_extract.c).  The first byte picks the host
 * language.  Must never crash or write outside the text; the masked text
 * keeps every newline where it was (locations stay those of the host file).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/inventory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const hosts[] = {"python", "javascript", "typescript"};
    if (size < 1)
        return 0;
    const char *host = hosts[data[0] % 3];
    size_t len = size - 1;
    char *text = malloc(len + 1);
    if (!text)
        abort();
    if (len)
        memcpy(text, data + 1, len);
    text[len] = '\0';
    inv_extract_sql(host, text, len);
    for (size_t i = 0; i < len; i++)
        if ((data[1 + i] == '\n') != (text[i] == '\n'))
            abort();
    if (text[len] != '\0')
        abort();
    free(text);
    return 0;
}
