/*
 * inventory.c — owns: the inventory's lifecycle and the order of its steps
 * (walk -> read -> classify -> sequences -> index -> recommendation).
 */
#include <stdlib.h>

#include "analysis/inventory.h"

void inventory_init(inventory *inv)
{
    memset(inv, 0, sizeof *inv);
    arena_init(&inv->mem);
    hashmap_init(&inv->objmap, &inv->mem);
}

void inventory_free(inventory *inv)
{
    for (size_t i = 0; i < inv->files.n; i++) {
        catalog_free(inv->files.v[i]->cat);
        free(inv->files.v[i]->sql);
    }
    catalog_free(inv->winner_cat);
    hashmap_release(&inv->objmap);
    arena_free(&inv->mem);
}

int inventory_scan(inventory *inv, const char *const *paths, size_t n, diag_list *diags)
{
    int rc = inv_walk(inv, paths, n, diags);
    inv_read_files(inv, diags);
    inv_classify(inv);
    inv_sequences(inv);
    inv_build_index(inv);
    inv_recommend(inv);
    return rc;
}
