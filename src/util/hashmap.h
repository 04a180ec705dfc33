/*
 * hashmap.h — string-keyed open-addressing hash map (arena-backed keys).
 * Used for name lookup in catalogs with thousands of objects.
 */
#ifndef DBSAGE_HASHMAP_H
#define DBSAGE_HASHMAP_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

typedef struct hashmap_entry {
    const char *key;  /* NULL = empty; TOMBSTONE = deleted */
    void *value;
    uint64_t hash;
} hashmap_entry;

typedef struct hashmap {
    hashmap_entry *entries;  /* heap */
    size_t cap, n, used;     /* used counts tombstones too */
    arena *keys;             /* keys copied here */
} hashmap;

void hashmap_init(hashmap *m, arena *keys);
void hashmap_release(hashmap *m);
void *hashmap_get(const hashmap *m, const char *key);
void hashmap_put(hashmap *m, const char *key, void *value);  /* replaces */
void hashmap_del(hashmap *m, const char *key);
uint64_t hash_bytes(const void *data, size_t len);  /* FNV-1a 64 */

#endif
