/*
 * fuzz_migration_file.c — libFuzzer target: arbitrary bytes as a migration
 * file through migration_parse and migration_checksum.  Must never crash;
 * sections must lie inside the text; the checksum must not depend on line
 * endings (CRLF versions of the same input hash the same).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "migrate/migration_files.h"
#include "util/arena.h"
#include "util/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_section(const migration *m, const migration_section *s)
{
    if (!s->present)
        return;
    if (s->text < m->text || s->text + s->len > m->text + m->len || s->first_line == 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    char *crlf = malloc(2 * size + 1);
    if (!text || !crlf)
        abort();
    if (size)
        memcpy(text, data, size);
    text[size] = '\0';

    arena mem;
    arena_init(&mem);
    diag_list diags;
    diag_list_init(&diags, &mem);
    migration m;
    memset(&m, 0, sizeof m);
    if (migration_parse(&m, &mem, "fuzz/001_fuzz.sql", text, size, &diags) == 0) {
        check_section(&m, &m.up);
        check_section(&m, &m.down);
    }

    /* the same text with LF -> CRLF (no CR in the input) checksums equal */
    if (!memchr(text, '\r', size)) {
        size_t n = 0;
        for (size_t i = 0; i < size; i++) {
            if (text[i] == '\n')
                crlf[n++] = '\r';
            crlf[n++] = text[i];
        }
        char a[DIGEST_HEX_LEN + 1], b[DIGEST_HEX_LEN + 1];
        migration_checksum(text, size, a);
        migration_checksum(crlf, n, b);
        if (strcmp(a, b))
            abort();
    }
    arena_free(&mem);
    free(text);
    free(crlf);
    return 0;
}
