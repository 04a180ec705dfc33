/*
 * diff.c — the dialect-independent part of `dbsage diff`: the plan model
 * (init, add, sort, emptiness) and diff_catalogs(), which merges rename hints
 * (--rename options plus `-- dbsage:renamed-from` annotations of the TO
 * catalog, and the inverted annotations of the FROM catalog for a down
 * plan), dispatches to the dialect backend and finally sets destructive
 * changes aside unless they are allowed.
 */
#include "diff/diff.h"

#include <stdlib.h>
#include <string.h>

void diff_plan_init(diff_plan *plan, arena *mem, dialect d)
{
    memset(plan, 0, sizeof *plan);
    plan->mem = mem;
    plan->dialect = d;
}

diff_change *diff_add(diff_plan *plan, const char *kind, cat_object_kind ok, const char *schema,
                      const char *name, const char *sub, int phase, unsigned hazards, const char *sql)
{
    diff_change c;
    memset(&c, 0, sizeof c);
    c.kind = arena_strdup(plan->mem, kind);
    c.object_kind = ok;
    c.schema = arena_strdup(plan->mem, schema);
    c.name = arena_strdup(plan->mem, name);
    c.sub = arena_strdup(plan->mem, sub);
    c.phase = phase;
    c.hazards = hazards;
    c.transactional = true;
    c.sql = arena_strdup(plan->mem, sql ? sql : "");
    VEC_PUSH(plan->mem, plan->changes, c);
    return &plan->changes.v[plan->changes.n - 1];
}

typedef struct sort_item {
    diff_change c;
    size_t seq;
} sort_item;

static int cmp_item(const void *pa, const void *pb)
{
    const sort_item *a = pa, *b = pb;
    if (a->c.phase != b->c.phase)
        return a->c.phase < b->c.phase ? -1 : 1;
    if (a->c.order != b->c.order)
        return a->c.order < b->c.order ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* stable sort by (phase, order, insertion) */
void diff_plan_sort(diff_plan *plan)
{
    size_t n = plan->changes.n;
    if (n < 2)
        return;
    sort_item *items = malloc(n * sizeof *items);
    if (!items)
        abort();
    for (size_t i = 0; i < n; i++) {
        items[i].c = plan->changes.v[i];
        items[i].seq = i;
    }
    qsort(items, n, sizeof *items, cmp_item);
    for (size_t i = 0; i < n; i++)
        plan->changes.v[i] = items[i].c;
    free(items);
}

bool diff_plan_empty(const diff_plan *plan)
{
    return plan->changes.n == 0 && plan->skipped.n == 0;
}

/* ---- renames ------------------------------------------------------------------ */

static void push_rename(arena *mem, diff_opts *o, cat_object_kind kind, const char *schema,
                        const char *table, const char *old_name, const char *new_name)
{
    if (!old_name || !new_name || !strcmp(old_name, new_name))
        return;
    for (size_t i = 0; i < o->renames.n; i++) {
        const diff_rename *r = &o->renames.v[i];
        if (r->kind == kind && !strcmp(r->old_name, old_name) && !strcmp(r->new_name, new_name) &&
            !strcmp(r->schema ? r->schema : "", schema ? schema : "") &&
            !strcmp(r->table ? r->table : "", table ? table : ""))
            return;
    }
    diff_rename r = {kind, arena_strdup(mem, schema), arena_strdup(mem, table), arena_strdup(mem, old_name),
                     arena_strdup(mem, new_name)};
    VEC_PUSH(mem, o->renames, r);
}

/* The backends rename enum types before their labels and find a label's enum
 * by its renamed name; a label rename naming the type by its old name (as the
 * inverted renames of a down plan do) is moved to the new one. */
static void label_owners_renamed(diff_opts *o)
{
    for (size_t i = 0; i < o->renames.n; i++) {
        diff_rename *r = &o->renames.v[i];
        for (size_t j = 0; r->kind == OBJ_ENUM && r->table && j < o->renames.n; j++) {
            const diff_rename *t = &o->renames.v[j];
            if (t->kind == OBJ_ENUM && !t->table && !strcmp(t->old_name, r->table) &&
                !strcmp(t->schema ? t->schema : "", r->schema ? r->schema : "")) {
                r->table = t->new_name;
                break;
            }
        }
    }
}

/* The renames a backend sees: explicit options first, then the TO catalog's
 * annotations (old -> new), then the FROM catalog's annotations inverted
 * (new -> old: the down plan of a pair whose TO side was annotated).  The
 * backends apply a rename only when it fits the two catalogs (old exists in
 * FROM and not in TO, new exists in TO and not in FROM), so stale hints are
 * harmless. */
static void merge_renames(arena *mem, diff_opts *merged, const diff_opts *opts, const catalog *from,
                          const catalog *to)
{
    if (opts)
        for (size_t i = 0; i < opts->renames.n; i++) {
            const diff_rename *r = &opts->renames.v[i];
            push_rename(mem, merged, r->kind, r->schema, r->table, r->old_name, r->new_name);
        }
    for (size_t i = 0; i < to->rename_hints.n; i++) {
        const cat_rename_hint *h = &to->rename_hints.v[i];
        push_rename(mem, merged, h->kind, h->schema, h->table, h->old_name, h->new_name);
    }
    for (size_t i = 0; i < from->rename_hints.n; i++) {
        const cat_rename_hint *h = &from->rename_hints.v[i];
        /* a column of a renamed table: the down plan renames the table back first */
        const char *table = h->table;
        for (size_t j = 0; table && h->kind == OBJ_COLUMN && j < from->rename_hints.n; j++) {
            const cat_rename_hint *t = &from->rename_hints.v[j];
            if (t->kind == OBJ_TABLE && !strcmp(t->new_name, table) &&
                !strcmp(t->schema ? t->schema : "", h->schema ? h->schema : ""))
                table = t->old_name;
        }
        push_rename(mem, merged, h->kind, h->schema, table, h->new_name, h->old_name);
    }
    label_owners_renamed(merged);
}

/* ---- destructive changes ------------------------------------------------------ */

static void set_aside_destructive(diff_plan *plan)
{
    size_t kept = 0;
    for (size_t i = 0; i < plan->changes.n; i++) {
        diff_change c = plan->changes.v[i];
        if (c.hazards & HAZARD_DESTRUCTIVE)
            VEC_PUSH(plan->mem, plan->skipped, c);
        else
            plan->changes.v[kept++] = c;
    }
    plan->changes.n = kept;
    if (plan->skipped.n) {
        const char *note = arena_printf(plan->mem,
                                        "%zu destructive change%s left out (use --allow-destructive "
                                        "to include %s)",
                                        plan->skipped.n, plan->skipped.n == 1 ? "" : "s",
                                        plan->skipped.n == 1 ? "it" : "them");
        VEC_PUSH(plan->mem, plan->notes, note);
    }
}

int diff_catalogs(diff_plan *plan, catalog *from, catalog *to, const diff_opts *opts, diag_list *diags)
{
    src_loc nowhere = {NULL, 0, 0};
    if (from->dialect != to->dialect) {
        diag_error(diags, nowhere, "cannot diff a %s catalog against a %s catalog; both sides must have one dialect",
                   dialect_name(from->dialect), dialect_name(to->dialect));
        return -1;
    }
    plan->dialect = from->dialect;
    diff_opts merged;
    memset(&merged, 0, sizeof merged);
    merged.allow_destructive = opts && opts->allow_destructive;
    merge_renames(plan->mem, &merged, opts, from, to);
    catalog_sort(from);
    catalog_sort(to);
    int rc;
    switch (from->dialect) {
    case DIALECT_PG: rc = diff_pg(plan, from, to, &merged, diags); break;
    case DIALECT_SQLITE: rc = diff_sqlite(plan, from, to, &merged, diags); break;
    default:
        diag_error(diags, nowhere, "cannot diff catalogs of unknown dialect");
        return -1;
    }
    if (rc < 0)
        return rc;
    diff_plan_sort(plan);
    if (!merged.allow_destructive)
        set_aside_destructive(plan);
    return 0;
}
