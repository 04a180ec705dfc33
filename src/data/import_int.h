/*
 * import_int.h — internals of the import engine shared by import.c and
 * import_cast.c: a column value after its cast.
 */
#ifndef DBSAGE_IMPORT_INT_H
#define DBSAGE_IMPORT_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "catalog/catalog.h"
#include "data/spec.h"
#include "util/arena.h"

typedef enum import_vkind { IV_NULL = 0, IV_TEXT, IV_INT, IV_REAL, IV_BLOB } import_vkind;

typedef struct import_value {
    import_vkind kind;
    const char *s;   /* IV_TEXT / IV_BLOB */
    size_t len;
    int64_t i;
    double d;
} import_value;

/* text (non-NULL) -> *out for a column of type t on dialect d.  NULL on
 * success, else the reason ("cannot read 'abc' as integer").  is_json: the
 * text is the JSON of a mapping/sequence. */
const char *import_cast(spec_type t, dialect d, const char *text, bool is_json, arena *mem, import_value *out);

#endif
