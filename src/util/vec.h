/*
 * vec.h — arena-backed growable arrays.
 *
 *   VEC(cat_column *) cols = {0};
 *   VEC_PUSH(arena, cols, col);
 *   for (size_t i = 0; i < cols.n; i++) use(cols.v[i]);
 *
 * Growth copies into a new arena block; the old block stays in the arena
 * until the arena is freed (cheap, and catalog vectors are small).
 */
#ifndef DBSAGE_VEC_H
#define DBSAGE_VEC_H

#include "util/arena.h"

#include <string.h>

#define VEC(T) struct { T *v; size_t n, cap; }

#define VEC_GROW(ar, vec)                                                                  \
    do {                                                                                   \
        if ((vec).n == (vec).cap) {                                                        \
            size_t vec_newcap_ = (vec).cap ? (vec).cap * 2 : 8;                            \
            (vec).v = arena_realloc((ar), (vec).v, (vec).cap * sizeof(*(vec).v),           \
                                    vec_newcap_ * sizeof(*(vec).v));                       \
            (vec).cap = vec_newcap_;                                                       \
        }                                                                                  \
    } while (0)

#define VEC_PUSH(ar, vec, item)                                                            \
    do {                                                                                   \
        VEC_GROW((ar), (vec));                                                             \
        (vec).v[(vec).n++] = (item);                                                       \
    } while (0)

/* remove element i, keeping order */
#define VEC_REMOVE(vec, i)                                                                 \
    do {                                                                                   \
        memmove(&(vec).v[(i)], &(vec).v[(i) + 1], ((vec).n - (i) - 1) * sizeof(*(vec).v)); \
        (vec).n--;                                                                         \
    } while (0)

typedef VEC(const char *) strvec;

#endif
