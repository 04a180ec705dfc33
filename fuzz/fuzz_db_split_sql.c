/*
 * fuzz_db_split_sql.c — libFuzzer target: arbitrary bytes as a script
 * through db_split_script for both dialects (src/db/db_split.c).  Must never
 * crash or read out of bounds, and the spans must describe the text: in
 * order, inside it, non-empty, starting and ending on a non-blank byte, and
 * only blanks, comments and ';' between them (nothing silently dropped).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void check(dialect d, const char *text, size_t len)
{
    arena mem;
    arena_init(&mem);
    db_stmt_span *sp;
    int n = db_split_script(d, &mem, text, len, &sp);
    if (n < 0 && d != DIALECT_PG)
        abort();  /* only the PG scanner reports split errors */
    size_t pos = 0;
    bool nested = d == DIALECT_PG;
    for (int i = 0; i < n; i++) {
        if (sp[i].len == 0 || sp[i].offset < pos || sp[i].offset + sp[i].len > len)
            abort();
        if (blank(text[sp[i].offset]) || blank(text[sp[i].offset + sp[i].len - 1]))
            abort();
        /* the gap before: blanks, comments, ';' only */
        for (;;) {
            pos = db_skip_blank(text, sp[i].offset, pos, nested);
            if (pos < sp[i].offset && text[pos] == ';')
                pos++;
            else
                break;
        }
        if (pos != sp[i].offset)
            abort();
        pos = sp[i].offset + sp[i].len;
    }
    if (n >= 0) {
        for (;;) {  /* the tail likewise */
            pos = db_skip_blank(text, len, pos, nested);
            if (pos < len && text[pos] == ';')
                pos++;
            else
                break;
        }
        if (pos != len)
            abort();
    }
    arena_free(&mem);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the splitters see a NUL-terminated copy: stop at an embedded NUL as they do */
    size_t len = strnlen((const char *)data, size);
    char *text = malloc(len + 1);
    if (!text)
        return 0;
    memcpy(text, data, len);
    text[len] = '\0';
    check(DIALECT_PG, text, len);
    check(DIALECT_SQLITE, text, len);
    free(text);
    return 0;
}
