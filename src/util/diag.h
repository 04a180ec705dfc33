/*
 * diag.h — diagnostics: the one way library code reports problems.
 *
 * Library code never prints or exits; it appends to a diag_list and returns
 * a status.  The CLI prints them gcc-style:
 *     file:line:col: error: message [rule]
 */
#ifndef DBSAGE_DIAG_H
#define DBSAGE_DIAG_H

#include <stdbool.h>
#include <stdio.h>

#include "util/arena.h"
#include "util/vec.h"

typedef enum diag_severity { DIAG_NOTE = 0, DIAG_WARNING = 1, DIAG_ERROR = 2 } diag_severity;

/* A place in a source: a file (line/col 1-based, 0 = unknown) or a URL. */
typedef struct src_loc {
    const char *file;  /* path, or password-masked URL; NULL = nowhere */
    unsigned line;
    unsigned col;
} src_loc;

typedef struct diag {
    diag_severity severity;
    src_loc loc;
    const char *message;
    const char *rule;  /* optional rule id, NULL */
} diag;

typedef struct diag_list {
    arena *mem;
    VEC(diag) items;
    size_t n_errors;
    size_t n_warnings;
} diag_list;

void diag_list_init(diag_list *dl, arena *mem);
void diag_add(diag_list *dl, diag_severity sev, src_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void diag_add_rule(diag_list *dl, diag_severity sev, src_loc loc, const char *rule,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
#define diag_error(dl, loc, ...) diag_add((dl), DIAG_ERROR, (loc), __VA_ARGS__)
#define diag_warning(dl, loc, ...) diag_add((dl), DIAG_WARNING, (loc), __VA_ARGS__)
#define diag_note(dl, loc, ...) diag_add((dl), DIAG_NOTE, (loc), __VA_ARGS__)
bool diag_has_errors(const diag_list *dl);
const char *diag_severity_name(diag_severity sev);
void diag_print(FILE *out, const diag_list *dl, bool color);
void diag_print_one(FILE *out, const diag *d, bool color);

/* 1-based line/col of byte offset `off` in `text` (col counts bytes).  O(off):
 * for many lookups in one text build a line_index instead. */
src_loc src_loc_at(const char *file, const char *text, size_t off);

/* Line-start table of a text: O(log n) offset -> line:col. */
typedef struct line_index {
    const char *file;
    size_t *starts;  /* arena */
    size_t n;
} line_index;
void line_index_build(line_index *li, arena *mem, const char *file, const char *text, size_t len);
src_loc line_index_loc(const line_index *li, size_t off);

#endif
