/*
 * migration_test_util.h — shared fixture of the migration-file unit tests
 * (test_migration_files.c, test_migration_schema.c): an arena, diagnostics
 * and a scratch directory per test, and small file/diagnostic helpers.
 * Include after <cmocka.h>.
 */
#ifndef DBSAGE_MIGRATION_TEST_UTIL_H
#define DBSAGE_MIGRATION_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migrate/migration_files.h"

/* ---- helpers ------------------------------------------------------------------ */

typedef struct fixture {
    arena mem;
    diag_list diags;
    char dir[256];
} fixture;

static inline int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    arena_init(&f->mem);
    diag_list_init(&f->diags, &f->mem);
    snprintf(f->dir, sizeof f->dir, "/tmp/dbsage-migfiles-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    *state = f;
    return 0;
}

static inline void rm_rf(const char *path)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", path);
}

static inline int teardown(void **state)
{
    fixture *f = *state;
    rm_rf(f->dir);
    arena_free(&f->mem);
    free(f);
    return 0;
}

static inline void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static inline char *section_str(arena *mem, const migration_section *s)
{
    return arena_strndup(mem, s->text, s->len);
}

/* the only diagnostic, as "line:col: message" */
static inline const char *only_diag(fixture *f)
{
    assert_int_equal(f->diags.items.n, 1);
    const diag *d = &f->diags.items.v[0];
    return arena_printf(&f->mem, "%s:%u:%u: %s", d->loc.file ? d->loc.file : "-", d->loc.line, d->loc.col,
                        d->message);
}

#endif
