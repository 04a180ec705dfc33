/*
 * hashmap.c — linear probing, power-of-two capacity, tombstones on delete.
 */
#include "util/hashmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char hashmap_tombstone[] = "";
#define TOMBSTONE hashmap_tombstone

uint64_t hash_bytes(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

void hashmap_init(hashmap *m, arena *keys)
{
    memset(m, 0, sizeof *m);
    m->keys = keys;
}

void hashmap_release(hashmap *m)
{
    free(m->entries);
    m->entries = NULL;
    m->cap = m->n = m->used = 0;
}

static hashmap_entry *find_slot(const hashmap *m, const char *key, uint64_t h, int for_insert)
{
    size_t mask = m->cap - 1;
    size_t i = (size_t)h & mask;
    hashmap_entry *first_tomb = NULL;
    for (;;) {
        hashmap_entry *e = &m->entries[i];
        if (!e->key)
            return (for_insert && first_tomb) ? first_tomb : (for_insert ? e : NULL);
        if (e->key == TOMBSTONE) {
            if (!first_tomb)
                first_tomb = e;
        } else if (e->hash == h && strcmp(e->key, key) == 0) {
            return e;
        }
        i = (i + 1) & mask;
    }
}

static void rehash(hashmap *m, size_t newcap)
{
    hashmap_entry *old = m->entries;
    size_t oldcap = m->cap;
    m->entries = calloc(newcap, sizeof(hashmap_entry));
    if (!m->entries) {
        fputs("dbsage: out of memory\n", stderr);
        abort();
    }
    m->cap = newcap;
    m->used = m->n;
    for (size_t i = 0; i < oldcap; i++) {
        hashmap_entry *e = &old[i];
        if (e->key && e->key != TOMBSTONE) {
            hashmap_entry *s = find_slot(m, e->key, e->hash, 1);
            *s = *e;
        }
    }
    free(old);
}

void *hashmap_get(const hashmap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    hashmap_entry *e = find_slot(m, key, hash_bytes(key, strlen(key)), 0);
    return e ? e->value : NULL;
}

void hashmap_put(hashmap *m, const char *key, void *value)
{
    if ((m->used + 1) * 4 >= m->cap * 3)
        rehash(m, m->cap ? (m->n * 2 >= m->cap ? m->cap * 2 : m->cap) : 64);
    uint64_t h = hash_bytes(key, strlen(key));
    hashmap_entry *e = find_slot(m, key, h, 1);
    if (e->key && e->key != TOMBSTONE && strcmp(e->key, key) == 0) {
        e->value = value;
        return;
    }
    if (!e->key)
        m->used++;
    e->key = arena_strdup(m->keys, key);
    e->hash = h;
    e->value = value;
    m->n++;
}

void hashmap_del(hashmap *m, const char *key)
{
    if (!m->cap)
        return;
    hashmap_entry *e = find_slot(m, key, hash_bytes(key, strlen(key)), 0);
    if (e) {
        e->key = TOMBSTONE;
        e->value = NULL;
        m->n--;
    }
}
