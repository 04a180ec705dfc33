/*
 * arena.h — region allocator (PostgreSQL memory-context style).
 *
 * Everything a command builds (catalog objects, strings, diagnostics) is
 * allocated from an arena and released at once with arena_free().  No
 * scattered free() bookkeeping.  Allocation never fails silently: on OOM the
 * process aborts with a message (there is nothing sensible to recover).
 */
#ifndef DBSAGE_ARENA_H
#define DBSAGE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct arena_chunk arena_chunk;
typedef struct arena {
    arena_chunk *head;
    size_t chunk_size;
} arena;

void arena_init(arena *a);
void arena_free(arena *a);
void *arena_alloc(arena *a, size_t size);          /* zeroed, 16-byte aligned */
void *arena_realloc(arena *a, void *old, size_t old_size, size_t new_size);
char *arena_strdup(arena *a, const char *s);       /* NULL stays NULL */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap);

#define ARENA_NEW(a, type) ((type *)arena_alloc((a), sizeof(type)))

#endif
