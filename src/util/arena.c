/*
 * arena.c — chunked bump allocator.  Large requests get a chunk of their own.
 */
#include "util/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_chunk {
    arena_chunk *next;
    size_t size;
    size_t used;
    _Alignas(16) unsigned char data[];
};

#define ARENA_DEFAULT_CHUNK (64 * 1024)

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) {
        fputs("dbsage: out of memory\n", stderr);
        abort();
    }
    return p;
}

void arena_init(arena *a)
{
    a->head = NULL;
    a->chunk_size = ARENA_DEFAULT_CHUNK;
}

void arena_free(arena *a)
{
    arena_chunk *c = a->head;
    while (c) {
        arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
}

static arena_chunk *chunk_new(size_t size)
{
    arena_chunk *c = xmalloc(sizeof(arena_chunk) + size);
    c->next = NULL;
    c->size = size;
    c->used = 0;
    return c;
}

void *arena_alloc(arena *a, size_t size)
{
    size_t need = (size + 15) & ~(size_t)15;
    if (need == 0)
        need = 16;
    arena_chunk *c = a->head;
    if (!c || c->size - c->used < need) {
        if (need > a->chunk_size / 4) {
            /* big block: private chunk, linked behind the current one */
            arena_chunk *big = chunk_new(need);
            big->used = need;
            if (c) {
                big->next = c->next;
                c->next = big;
            } else {
                a->head = big;
            }
            memset(big->data, 0, need);
            return big->data;
        }
        c = chunk_new(a->chunk_size);
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += need;
    memset(p, 0, need);
    return p;
}

void *arena_realloc(arena *a, void *old, size_t old_size, size_t new_size)
{
    if (new_size <= old_size)
        return old;
    void *p = arena_alloc(a, new_size);
    if (old && old_size)
        memcpy(p, old, old_size);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        n = 0;
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}
